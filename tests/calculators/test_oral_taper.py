"""oral-taper: a stepwise reduction to a stop, in givable dose units, with no gaps."""

from fractions import Fraction
from itertools import pairwise

import pytest
from hypothesis import given, settings
from strategies import oral_taper_inputs

from calculators import CALCULATORS, InputError, calculate
from calculators.oral_taper import oral_taper

CALC_ID = "oral-taper"


def _codes(result):
    return [w["code"] for w in result["warnings"]]


def _warning(result, code):
    (warning,) = [w for w in result["warnings"] if w["code"] == code]
    return warning


def test_oral_taper_default_schedule_by_hand():
    """This site's arithmetic (no source gives a schedule): 60 mg/day over 14 days, 5 mg units.

    12 units; round(14 / 3) = 5 levels, level i keeping (5 - i) / 6 of 12 units: 10, 8, 6, 4,
    2 units = 50, 40, 30, 20, 10 mg/day; 14 days = 2 + 3 + 3 + 3 + 3 (later steps longer);
    stop on day 15.
    """
    result = calculate(CALC_ID, {"current_daily_mg": 60, "taper_days": 14, "dose_unit_mg": 5})
    steps = result["steps"]
    assert [s["daily_mg"] for s in steps] == [50, 40, 30, 20, 10, 0]
    assert [(s["start_day"], s["end_day"]) for s in steps] == [
        (1, 2),
        (3, 5),
        (6, 8),
        (9, 11),
        (12, 14),
        (15, None),
    ]
    assert steps[0]["doses_mg"] == [20, 15, 15]
    assert steps[-2]["doses_mg"] == [5, 5]
    assert result["stop_day"] == 15
    assert result["step_count"] == 5


def test_oral_taper_stop_is_the_last_step():
    """The schedule ends with a stop: daily 0, no doses, from day taper_days + 1 onward."""
    result = calculate(CALC_ID, {"taper_days": 10})
    stop = result["steps"][-1]
    assert stop["daily_mg"] == 0
    assert stop["doses_mg"] == []
    assert stop["doses_text"] == "stop"
    assert (stop["start_day"], stop["end_day"]) == (11, None)
    assert result["stop_day"] == 11


def test_oral_taper_fewer_doses_when_the_total_is_small():
    """A daily total smaller than one unit per dose is given as fewer doses.

    15 mg/day t.i.d. over 3 days in 5 mg units: one level keeps 1/2 of 3 units, rounded half
    up to 2 units = 10 mg/day, which cannot be three 5 mg doses: 5 mg twice.
    """
    result = calculate(
        CALC_ID, {"current_daily_mg": 15, "doses_per_day": 3, "taper_days": 3, "dose_unit_mg": 5}
    )
    first = result["steps"][0]
    assert first["daily_mg"] == 10
    assert first["doses_mg"] == [5, 5]
    assert first["doses_per_day"] == 2


def test_oral_taper_six_days_warns_of_withdrawal():
    """non-us-labels: a taper under 7 days (the 1-2 week wording) draws a danger warning."""
    result = calculate(CALC_ID, {"taper_days": 6})
    warning = _warning(result, "short-taper")
    assert warning["severity"] == "danger"
    assert {"label-ozobax", "bnf"} <= set(warning["sources"])
    assert "seizures" in warning["message"]
    assert "hallucinations" in warning["message"]


def test_oral_taper_seven_days_does_not_warn():
    """non-us-labels: 7 days, the lower end of 1-2 weeks, draws no short-taper warning."""
    assert "short-taper" not in _codes(calculate(CALC_ID, {"taper_days": 7}))


def test_oral_taper_wording_note_cites_both_label_families():
    """label-tablets + non-us-labels: the US says 'reduce slowly'; non-US labels 1 to 2 weeks."""
    warning = _warning(calculate(CALC_ID, {}), "taper-wording")
    assert warning["sources"] == ["label-tablets", "bnf"]
    assert "1 to 2 weeks" in warning["message"]


def test_oral_taper_above_us_maximum_warns():
    """label-tablets: tapering from 90 mg/day notes that it is above the US 80 mg/day."""
    warning = _warning(calculate(CALC_ID, {"current_daily_mg": 90}), "above-us-maximum")
    assert "80 mg/day" in warning["message"]
    assert "above-us-maximum" not in _codes(calculate(CALC_ID, {"current_daily_mg": 80}))


def test_oral_taper_current_not_a_multiple_of_the_unit_is_an_error():
    """62.5 mg/day cannot be given in 5 mg units: the error names the field, 5 mg and 62.5."""
    with pytest.raises(
        InputError,
        match=r"current_daily_mg: Current daily dose must be a multiple of the dose unit, "
        r"5 mg \(got 62\.5\)",
    ):
        calculate(CALC_ID, {"current_daily_mg": 62.5, "dose_unit_mg": 5})


def test_oral_taper_above_uk_maximum_is_tapered_with_a_caution():
    """M-a: 120 mg/day (above the UK 100, seen only in reproductions) still gets a taper."""
    result = calculate(CALC_ID, {"current_daily_mg": 120, "doses_per_day": 4, "taper_days": 28})
    warning = {w["code"]: w for w in result["warnings"]}["above-us-maximum"]
    assert warning["severity"] == "caution"
    assert "above 100 mg/day, the UK and Australian maximum" in warning["message"]
    assert result["steps"][-1]["doses_text"] == "stop"


def test_oral_taper_above_the_plausibility_bound_is_an_error():
    """Above 200 mg/day (this site's typing-slip bound, D) is rejected with the value."""
    with pytest.raises(
        InputError,
        match=r"current_daily_mg: Current daily dose must be between 0\.5 and 200 mg/day "
        r"\(got 200\.5\)",
    ):
        calculate(CALC_ID, {"current_daily_mg": 200.5})


def test_oral_taper_large_single_doses_are_flagged():
    """M-g: 100 mg/day once a day gives 85 mg single doses: above the label's 20 mg."""
    result = calculate(CALC_ID, {"current_daily_mg": 100, "doses_per_day": 1, "taper_days": 14})
    warning = {w["code"]: w for w in result["warnings"]}["single-dose-far-above-label"]
    assert warning["severity"] == "danger"
    assert "single doses of 85 mg" in warning["message"]
    four = calculate(CALC_ID, {"current_daily_mg": 80, "doses_per_day": 4, "taper_days": 14})
    assert "single-dose-above-label" not in {w["code"] for w in four["warnings"]}


def test_oral_taper_unit_not_offered_is_an_error():
    """A dose unit outside the offered choices is rejected, listing them and the value."""
    with pytest.raises(
        InputError, match=r"dose_unit_mg: Smallest dose step must be one of 1, 2\.5, 5 \(got 3\)"
    ):
        calculate(CALC_ID, {"dose_unit_mg": 3})


def test_oral_taper_length_field_admits_short_and_two_week_tapers():
    """The taper-length field accepts tapers under 7 days (warned, not refused) and 14 days."""
    field = CALCULATORS[CALC_ID].field("taper_days")
    assert field.minimum < 7
    assert field.maximum >= 14
    assert field.default == 14


# --- properties ----------------------------------------------------------------------------


@settings(max_examples=200)
@given(inputs=oral_taper_inputs())
def test_oral_taper_schedule_invariants(inputs):
    """Any accepted input: totals never rise, days 1..N have no gap, stop on N + 1, whole units."""
    result = calculate(CALC_ID, inputs)
    steps = result["steps"]
    daily = [s["daily_mg"] for s in steps]
    assert daily == sorted(daily, reverse=True)
    assert daily[0] <= inputs["current_daily_mg"]
    assert all(d > 0 for d in daily[:-1])
    assert steps[0]["start_day"] == 1
    for before, after in pairwise(steps):
        assert before["end_day"] >= before["start_day"]
        assert after["start_day"] == before["end_day"] + 1
    assert steps[-2]["end_day"] == inputs["taper_days"]
    stop = steps[-1]
    assert (stop["daily_mg"], stop["doses_mg"], stop["end_day"]) == (0, [], None)
    assert stop["start_day"] == inputs["taper_days"] + 1 == result["stop_day"]
    unit = Fraction(str(inputs["dose_unit_mg"]))
    for step in steps:
        doses = [Fraction(str(d)) for d in step["doses_mg"]]
        assert all(d > 0 and d % unit == 0 for d in doses)
        assert sum(doses, Fraction(0)) == Fraction(str(step["daily_mg"]))
        assert len(doses) == step["doses_per_day"] <= inputs["doses_per_day"]


@settings(max_examples=100)
@given(inputs=oral_taper_inputs())
def test_oral_taper_short_taper_warning_iff_under_seven_days(inputs):
    """non-us-labels: the withdrawal warning appears exactly when the taper is under 7 days."""
    result = calculate(CALC_ID, inputs)
    assert ("short-taper" in _codes(result)) == (inputs["taper_days"] < 7)


def test_oral_taper_one_unit_dose_warns_that_it_cannot_step_down():
    """5 mg/day in 5 mg units can only be held then stopped: the result says so."""
    result = calculate("oral-taper", {"current_daily_mg": 5, "dose_unit_mg": 5, "taper_days": 14})
    assert [s["daily_mg"] for s in result["steps"]] == [5, 0]
    assert "no-step-down" in [w["code"] for w in result["warnings"]]


def test_oral_taper_smaller_unit_steps_down_without_warning():
    """The same 5 mg/day in 1 mg units falls before the stop, and draws no such warning."""
    result = calculate("oral-taper", {"current_daily_mg": 5, "dose_unit_mg": 1, "taper_days": 14})
    assert result["steps"][0]["daily_mg"] < 5
    assert "no-step-down" not in [w["code"] for w in result["warnings"]]


# --- clinical review ---------------------------------------------------------------------------


def test_oral_taper_half_tablet_unit_says_so():
    """label-tablets: no tablet comes in 2.5 mg: a 2.5 mg unit means half tablets (a caution)."""
    warning = _warning(calculate(CALC_ID, {"dose_unit_mg": 2.5}), "half-tablets")
    assert warning["severity"] == "caution"
    assert "half tablets" in warning["message"]


def test_oral_taper_one_mg_unit_means_a_liquid_with_the_concentration_caution():
    """ismp-liquids: a 1 mg unit needs an oral liquid; the five-fold reminder shows (caution)."""
    warning = _warning(calculate(CALC_ID, {"dose_unit_mg": 1}), "liquid-concentration")
    assert warning["severity"] == "caution"
    assert "needs an oral liquid" in warning["message"]
    assert "ismp-liquids" in warning["sources"]


def test_oral_taper_whole_tablet_unit_needs_no_such_warning():
    """Control: 5 mg is a tablet strength: neither warning."""
    codes = _codes(calculate(CALC_ID, {"dose_unit_mg": 5}))
    assert not {"half-tablets", "liquid-concentration"} & set(codes)


def test_oral_taper_one_to_two_weeks_is_a_minimum():
    """non-us-labels (UK): 'over at least 1 to 2 weeks': the wording says so, not an upper end."""
    warning = _warning(calculate(CALC_ID, {}), "taper-wording")
    assert "at least 1 to 2 weeks" in warning["message"]
    assert "a minimum" in warning["message"]
    help_text = CALCULATORS[CALC_ID].field("taper_days").help
    assert "at least" in help_text
    assert "upper end" not in help_text


def test_oral_taper_never_writes_one_day_as_a_range_or_one_days():
    """A one-day taper reads '1' and 'a taper of 1 day', never a '1 to 1' range or '1 days'."""
    result = calculate(CALC_ID, {"taper_days": 1, "current_daily_mg": 15})
    assert result["steps"][0]["days"] == "1"
    message = _warning(result, "short-taper")["message"]
    assert "A taper of 1 day is" in message
    assert "1 days" not in message
    assert all("–" not in s["days"] or s["start_day"] != s["end_day"] for s in result["steps"])


def test_oral_taper_start_date_gives_the_stop_date():
    """Day 1 on Mon 7 Dec 2026, 14-day taper: stop on day 15, Mon 21 Dec 2026."""
    result = calculate(CALC_ID, {"start_date": "2026-12-07"})
    assert result["stop_day"] == 15
    assert result["stop_date"] == "Mon 21 Dec 2026"
    assert result["steps"][0]["dates"].startswith("Mon 7 Dec 2026 – ")


def test_oral_taper_start_date_too_late_is_an_error():
    """A start date whose schedule runs past 9999-12-31 is an input error, not a crash."""
    with pytest.raises(InputError, match=r"start_date: Start date must leave room"):
        calculate(CALC_ID, {"start_date": "9999-12-30"})


def test_oral_taper_cross_field_message_shows_the_value_unrounded():
    """QA D7 in a calculator's own check: the value is shown unrounded.

    30.125 mg/day is not a multiple of a 0.5 mg unit, and the message says 30.125, never a
    rounded 30.13.
    """
    with pytest.raises(InputError) as excinfo:
        oral_taper(current_daily_mg=30.125, doses_per_day=3, taper_days=14, dose_unit_mg=0.5)
    (error,) = excinfo.value.errors
    assert error.field == "current_daily_mg"
    assert error.message.endswith("(got 30.125)"), error.message
