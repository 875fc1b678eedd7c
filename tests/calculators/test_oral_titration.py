"""oral-titration: the label ladder, the US and UK/Australian maxima, liquids and tablets."""

from fractions import Fraction
from itertools import pairwise

import pytest
from hypothesis import given, settings
from strategies import oral_titration_inputs

from calculators import CALCULATORS, InputError, calculate

CALC_ID = "oral-titration"
LIQUIDS = ("ozobax", "ozobax-ds", "fleqsuvy")


def _codes(result):
    return [w["code"] for w in result["warnings"]]


def _warning(result, code):
    (warning,) = [w for w in result["warnings"] if w["code"] == code]
    return warning


def test_oral_titration_label_ladder():
    """label-tablets, label-ozobax: 5-10-15-20 mg t.i.d., 3 days each; target on day 10."""
    result = calculate(
        CALC_ID,
        {
            "start_dose_mg": 5,
            "doses_per_day": 3,
            "step_mg": 5,
            "step_days": 3,
            "target_daily_mg": 60,
        },
    )
    steps = result["steps"]
    assert [s["doses_mg"] for s in steps] == [[5, 5, 5], [10, 10, 10], [15, 15, 15], [20, 20, 20]]
    assert [s["daily_mg"] for s in steps] == [15, 30, 45, 60]
    assert [(s["start_day"], s["end_day"]) for s in steps] == [(1, 3), (4, 6), (7, 9), (10, None)]
    assert result["day_target_reached"] == 10
    assert result["start_daily_mg"] == 15
    assert _codes(result) == ["children-not-established", "not-adjusted-for-kidney"]


def test_oral_titration_label_schedule_is_the_default():
    """label-tablets: the form opens on the label's 5 mg three times a day, +5 mg every 3 days."""
    defaults = CALCULATORS[CALC_ID].defaults()
    assert (defaults["start_dose_mg"], defaults["doses_per_day"]) == (5, 3)
    assert (defaults["step_mg"], defaults["step_days"]) == (5, 3)
    assert "not-label-schedule" not in _codes(calculate(CALC_ID, {}))


def test_oral_titration_us_maximum_as_20_mg_four_times_daily():
    """label-tablets: the US maximum, 80 mg/day, is 20 mg four times a day, with no warning."""
    result = calculate(CALC_ID, {"doses_per_day": 4, "target_daily_mg": 80})
    assert result["steps"][-1]["doses_mg"] == [20, 20, 20, 20]
    assert result["steps"][-1]["daily_mg"] == 80
    assert [s["daily_mg"] for s in result["steps"]] == [20, 40, 60, 80]
    assert "above-us-maximum" not in _codes(result)


def test_oral_titration_exactly_us_maximum_does_not_warn():
    """label-tablets: 80 mg/day t.i.d. is at, not above, the US maximum."""
    assert "above-us-maximum" not in _codes(calculate(CALC_ID, {"target_daily_mg": 80}))


def test_oral_titration_above_us_maximum_warns_with_label_and_non_us_sources():
    """label-tablets + non-us-labels: 85 mg/day is above the US 80 but within the UK/AU 100."""
    result = calculate(CALC_ID, {"target_daily_mg": 85})
    warning = _warning(result, "above-us-maximum")
    assert warning["severity"] == "caution"
    assert {"label-tablets", "uk-smpc", "au-pi"} <= set(warning["sources"])
    assert "80 mg/day" in warning["message"]
    assert "100 mg/day" in warning["message"]
    assert result["steps"][-1]["daily_mg"] == 85


def test_oral_titration_uk_maximum_is_accepted():
    """non-us-labels: 100 mg/day, the UK and Australian maximum, is accepted with a caution."""
    result = calculate(CALC_ID, {"target_daily_mg": 100})
    assert result["steps"][-1]["daily_mg"] == 100
    assert "above-us-maximum" in _codes(result)


@pytest.mark.parametrize("target", [200.5, 250])
def test_oral_titration_above_the_plausibility_bound_is_an_error(target):
    """D: above 200 mg/day (a typing-slip bound) is an InputError naming field, limit, value."""
    with pytest.raises(
        InputError,
        match=rf"target_daily_mg: Target daily dose must be between 0.5 and 200 mg/day "
        rf"\(got {target}\)",
    ):
        calculate(CALC_ID, {"target_daily_mg": target})


def test_oral_titration_above_uk_maximum_is_a_danger_not_a_limit():
    """M-a, fourth review M8: a 120 mg/day target is accepted, and graded a danger."""
    result = calculate(CALC_ID, {"target_daily_mg": 120})
    warning = _warning(result, "oral-target-above-every-label")
    assert warning["severity"] == "danger"
    assert "above every oral label this site holds" in warning["message"]


def test_oral_titration_uneven_target_sums_exactly():
    """label-tablets ladder to 50 mg/day t.i.d.: the last step is 20 + 15 + 15 = 50 exactly."""
    result = calculate(CALC_ID, {"target_daily_mg": 50})
    last = result["steps"][-1]
    assert last["doses_mg"] == [20, 15, 15]
    assert sum(last["doses_mg"]) == 50
    assert last["daily_mg"] == 50
    assert last["dose_mg"] is None
    assert last["doses_text"] == "20 + 15 + 15 mg"
    assert [s["daily_mg"] for s in result["steps"]] == [15, 30, 45, 50]
    assert "uneven-final-step" in _codes(result)


def test_oral_titration_target_below_start_is_an_error():
    """A target below the start's daily total (5 mg x 3 = 15) names the field, 15 and the value."""
    with pytest.raises(
        InputError,
        match=r"target_daily_mg: Target daily dose must be at least the starting daily dose, "
        r"15 mg/day \(5 mg x 3\) \(got 10\)",
    ):
        calculate(CALC_ID, {"target_daily_mg": 10})


def test_oral_titration_target_off_granularity_is_an_error():
    """52.5 mg/day cannot be split into 5 mg steps: the error names the field, 5 mg and 52.5."""
    with pytest.raises(
        InputError,
        match=r"target_daily_mg: Target daily dose must be a multiple of 5 mg.*got 52\.5",
    ):
        calculate(CALC_ID, {"target_daily_mg": 52.5})


def test_oral_titration_target_equal_to_start_is_one_step():
    """A target equal to the starting daily dose is reached on day 1, in one open-ended step."""
    result = calculate(CALC_ID, {"target_daily_mg": 15})
    assert result["steps"] == [
        {
            "start_day": 1,
            "end_day": None,
            "days": "1 onward",
            "dose_mg": 5,
            "doses_mg": [5, 5, 5],
            "doses_per_day": 3,
            "daily_mg": 15,
            "doses_text": "5 mg x 3",
            "amount": None,
        }
    ]
    assert result["day_target_reached"] == 1


def test_oral_titration_ozobax_five_mg_is_five_ml():
    """label-ozobax: OZOBAX is 1 mg/mL, so 5 mg is 5 mL and 20 mg is 20 mL."""
    result = calculate(CALC_ID, {"formulation": "ozobax"})
    assert result["steps"][0]["amount"] == "5 mL, 3 times a day"
    assert result["steps"][-1]["amount"] == "20 mL, 3 times a day"


def test_oral_titration_fleqsuvy_twenty_mg_is_four_ml():
    """ismp-liquids: FLEQSUVY is 5 mg/mL, so 20 mg is 4 mL and 5 mg is 1 mL."""
    result = calculate(CALC_ID, {"formulation": "fleqsuvy"})
    assert result["steps"][0]["amount"] == "1 mL, 3 times a day"
    assert result["steps"][-1]["amount"] == "4 mL, 3 times a day"


def test_oral_titration_ozobax_ds_five_mg_is_two_and_a_half_ml():
    """ismp-liquids: OZOBAX DS is 2 mg/mL, so 5 mg is 2.5 mL and 20 mg is 10 mL."""
    result = calculate(CALC_ID, {"formulation": "ozobax-ds"})
    assert result["steps"][0]["amount"] == "2.5 mL, 3 times a day"
    assert result["steps"][-1]["amount"] == "10 mL, 3 times a day"


def test_oral_titration_liquid_list_matches_the_spec():
    """Every formulation choice but tablets is a liquid covered by the ISMP warning test."""
    choices = {c.value for c in CALCULATORS[CALC_ID].field("formulation").choices}
    assert choices - {"tablet"} == set(LIQUIDS)


@pytest.mark.parametrize("formulation", LIQUIDS)
def test_oral_titration_every_liquid_carries_the_ismp_warning(formulation):
    """ismp-liquids: each liquid shows the concentration mix-up reminder, as a caution."""
    result = calculate(CALC_ID, {"formulation": formulation})
    warning = _warning(result, "liquid-concentration")
    assert warning["severity"] == "caution"
    assert "ismp-liquids" in warning["sources"]
    assert "ismp-liquids" in result["sources"]
    for strength in ("1 mg/mL", "2 mg/mL", "5 mg/mL"):
        assert strength in warning["message"]


def test_oral_titration_tablets_count_whole_strengths():
    """label-tablets: 5, 10, 15, 20 mg tablets; the uneven 50 mg/day step is 20 / 15 / 15 mg."""
    result = calculate(CALC_ID, {"formulation": "tablet", "target_daily_mg": 50})
    assert result["steps"][0]["amount"] == "1 x 5 mg tablet, 3 times a day"
    assert result["steps"][-1]["amount"] == (
        "1 x 20 mg tablet / 1 x 15 mg tablet / 1 x 15 mg tablet"
    )
    assert "liquid-concentration" not in _codes(result)
    assert "tablet-strengths" in _codes(result)
    assert "tablet-split" not in _codes(result)


def test_oral_titration_tablets_flag_doses_that_need_splitting():
    """label-tablets: a 2.5 mg dose is not a whole 5 mg tablet, so it draws a caution."""
    result = calculate(
        CALC_ID,
        {"formulation": "tablet", "start_dose_mg": 2.5, "step_mg": 2.5, "target_daily_mg": 15},
    )
    warning = _warning(result, "tablet-split")
    assert warning["severity"] == "caution"
    assert "2.5 mg" in warning["message"]
    assert result["steps"][0]["amount"] == "2.5 mg: not whole tablets, 3 times a day"


def test_oral_titration_own_schedule_notes_the_difference():
    """label-tablets: a schedule other than the label's says so, citing the label."""
    result = calculate(CALC_ID, {"step_days": 7})
    warning = _warning(result, "not-label-schedule")
    assert "label-tablets" in warning["sources"]
    assert [s["start_day"] for s in result["steps"]] == [1, 8, 15, 22]


def test_oral_titration_target_below_usual_range_notes_it():
    """label-tablets: the usual effective range is 40-80 mg/day; 30 mg/day says so."""
    result = calculate(CALC_ID, {"target_daily_mg": 30})
    assert "40 to 80 mg/day" in _warning(result, "below-usual-range")["message"]
    assert "below-usual-range" not in _codes(calculate(CALC_ID, {"target_daily_mg": 40}))


# --- properties ----------------------------------------------------------------------------


def _multiple(value, unit):
    return Fraction(str(value)) % Fraction(str(unit)) == 0


@settings(max_examples=200)
@given(inputs=oral_titration_inputs())
def test_oral_titration_schedule_invariants(inputs):
    """Any accepted input: totals never fall, days contiguous, ends on target, whole units."""
    result = calculate(CALC_ID, inputs)
    steps = result["steps"]
    daily = [s["daily_mg"] for s in steps]
    assert daily == sorted(daily)
    assert steps[0]["start_day"] == 1
    for before, after in pairwise(steps):
        assert after["start_day"] == before["end_day"] + 1
        assert before["end_day"] - before["start_day"] + 1 == inputs["step_days"]
    assert steps[-1]["end_day"] is None
    assert Fraction(str(steps[-1]["daily_mg"])) == Fraction(str(inputs["target_daily_mg"]))
    assert result["day_target_reached"] == steps[-1]["start_day"]
    granularity = result["dose_granularity_mg"]
    for step in steps:
        assert len(step["doses_mg"]) == inputs["doses_per_day"]
        assert sum(Fraction(str(d)) for d in step["doses_mg"]) == Fraction(str(step["daily_mg"]))
        assert all(_multiple(d, granularity) for d in step["doses_mg"])
        assert _multiple(inputs["start_dose_mg"], granularity)
        assert _multiple(inputs["step_mg"], granularity)


@settings(max_examples=150)
@given(inputs=oral_titration_inputs())
def test_oral_titration_no_single_dose_falls(inputs):
    """Any accepted input: no dose falls step to step; the last step's doses differ by <= 1 unit."""
    result = calculate(CALC_ID, inputs)
    steps = result["steps"]
    for before, after in pairwise(steps):
        assert min(after["doses_mg"]) >= max(before["doses_mg"])
    last = [Fraction(str(d)) for d in steps[-1]["doses_mg"]]
    assert last == sorted(last, reverse=True)
    assert max(last) - min(last) <= Fraction(str(result["dose_granularity_mg"]))


@settings(max_examples=150)
@given(inputs=oral_titration_inputs())
def test_oral_titration_us_maximum_warning_iff_above_80(inputs):
    """label-tablets: the above-US-maximum warning appears exactly when the target exceeds it."""
    result = calculate(CALC_ID, inputs)
    target = inputs["target_daily_mg"]
    assert ("above-us-maximum" in _codes(result)) == (80 < target <= 100)
    assert ("oral-target-above-every-label" in _codes(result)) == (target > 100)


def test_oral_titration_single_dose_above_label_warns():
    """label-tablets: the maximum is 20 mg four times a day; 80 mg/day t.i.d. needs 30 mg doses."""
    result = calculate("oral-titration", {"target_daily_mg": 80, "doses_per_day": 3})
    assert result["steps"][-1]["doses_mg"] == [30, 25, 25]
    warning = next(w for w in result["warnings"] if w["code"] == "single-dose-above-label")
    assert "30 mg" in warning["message"]
    assert "20 mg" in warning["message"]
    assert "label-tablets" in warning["sources"]


def test_oral_titration_label_maximum_has_no_single_dose_warning():
    """label-tablets: 20 mg four times a day (80 mg/day) stays within the label's single dose."""
    result = calculate("oral-titration", {"target_daily_mg": 80, "doses_per_day": 4})
    assert "single-dose-above-label" not in [w["code"] for w in result["warnings"]]


# --- clinical review ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("inputs", "fires"),
    [
        ({"start_dose_mg": 5.5, "target_daily_mg": 60}, True),
        ({"start_dose_mg": 5}, False),
        ({"step_mg": 5.5, "target_daily_mg": 60}, True),
        ({"step_mg": 5}, False),
        ({"step_days": 2}, True),
        ({"step_days": 3}, False),
    ],
)
def test_oral_titration_faster_than_label_is_a_caution(inputs, fires):
    """label-tablets: a start or step above 5 mg, or steps under 3 days, draw a caution."""
    result = calculate(CALC_ID, inputs)
    assert ("faster-than-label" in _codes(result)) is fires
    if fires:
        warning = _warning(result, "faster-than-label")
        assert warning["severity"] == "caution"
        assert "not-label-schedule" not in _codes(result)


def test_oral_titration_slower_schedule_is_only_a_note():
    """2.5 mg four times a day (10 mg/day, +10 mg/day every 5 days) climbs slower: info."""
    result = calculate(
        CALC_ID,
        {
            "start_dose_mg": 2.5,
            "step_mg": 2.5,
            "doses_per_day": 4,
            "step_days": 5,
            "target_daily_mg": 60,
        },
    )
    assert _warning(result, "not-label-schedule")["severity"] == "info"
    assert "faster-than-label" not in _codes(result)


def test_oral_titration_faster_is_judged_by_daily_totals():
    """W1: 5 mg four times a day starts at 20 mg/day (label 15) and adds 20 mg/day a step."""
    result = calculate(CALC_ID, {"doses_per_day": 4, "target_daily_mg": 80})
    warning = _warning(result, "faster-than-label")
    assert warning["severity"] == "caution"
    assert "it starts at 20 mg/day, above the label's 15" in warning["message"]
    assert "each step adds 20 mg/day, above the label's 15" in warning["message"]
    label = calculate(CALC_ID, {"target_daily_mg": 60})
    assert "faster-than-label" not in _codes(label)


def test_oral_titration_single_dose_above_twenty_says_use_four_doses():
    """label-tablets: 80 mg/day in 3 doses is 26.67 mg each; use 4 doses a day (20 mg x 4)."""
    result = calculate(CALC_ID, {"target_daily_mg": 80, "doses_per_day": 3})
    warning = _warning(result, "single-dose-above-label")
    assert "largest single dose is 20 mg" in warning["message"]
    assert "80 mg/day is 20 mg x 4: use 4 doses a day" in warning["message"]


def test_oral_titration_four_doses_of_twenty_need_no_such_advice():
    """Control: 80 mg/day in 4 doses is 20 mg each, the label's maximum: no caution."""
    result = calculate(CALC_ID, {"target_daily_mg": 80, "doses_per_day": 4})
    assert "single-dose-above-label" not in _codes(result)


def test_oral_titration_says_use_under_twelve_is_not_established():
    """label-lyvispah: below 12 years not established: an info on every result."""
    warning = _warning(calculate(CALC_ID, {}), "children-not-established")
    assert warning["severity"] == "info"
    assert "below 12 years" in warning["message"]


def test_oral_titration_start_date_gives_weekdays_and_dates():
    """Day 1 on Monday 7 Dec 2026: 5 mg x 3 Mon-Wed, 10 mg x 3 from Thu 10 Dec, ..."""
    result = calculate(CALC_ID, {"start_date": "2026-12-07"})
    dates = [s["dates"] for s in result["steps"]]
    assert dates == [
        "Mon 7 Dec 2026 – Wed 9 Dec 2026",
        "Thu 10 Dec 2026 – Sat 12 Dec 2026",
        "Sun 13 Dec 2026 – Tue 15 Dec 2026",
        "Wed 16 Dec 2026 onward",
    ]
    assert result["steps"][1]["start_date"] == "2026-12-10"
    assert "dates" not in calculate(CALC_ID, {})["steps"][0]


def test_oral_titration_one_day_steps_are_not_written_as_ranges():
    """A one-day step reads '1', not a '1 to 1' range."""
    result = calculate(CALC_ID, {"step_days": 1, "target_daily_mg": 30})
    assert [s["days"] for s in result["steps"]] == ["1", "2 onward"]
