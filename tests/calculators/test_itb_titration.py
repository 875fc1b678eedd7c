"""itb-titration: daily increases of 10-30% (adult spinal) or 5-15% (cerebral, children)."""

from itertools import pairwise

import pytest
from hypothesis import given, settings
from strategies import VALID_INPUTS

from calculators import InputError, calculate, itb_titration

CALC_ID = "itb-titration"


def _codes(result):
    return [w["code"] for w in result["warnings"]]


def _doses(ladder):
    return [row["daily_mcg"] for row in ladder]


def test_itb_titration_adult_spinal_next_day():
    """boster2016: adult spinal origin, 10-30% once every 24 h: 100 mcg/day -> 110 to 130."""
    result = calculate(
        CALC_ID, {"current_daily_mcg": 100, "origin": "spinal", "age_group": "adult"}
    )
    assert (result["next_min_mcg_per_day"], result["next_max_mcg_per_day"]) == (110, 130)
    assert result["increase_percent"] == "10\N{EN DASH}30%"
    assert result["interval_hours"] == 24


def test_itb_titration_adult_cerebral_next_day():
    """boster2016: adult cerebral origin, 5-15% once every 24 h: 100 mcg/day -> 105 to 115."""
    result = calculate(
        CALC_ID, {"current_daily_mcg": 100, "origin": "cerebral", "age_group": "adult"}
    )
    assert (result["next_min_mcg_per_day"], result["next_max_mcg_per_day"]) == (105, 115)


@pytest.mark.parametrize("origin", ["spinal", "cerebral"])
def test_itb_titration_child_is_five_to_fifteen_percent_whatever_the_origin(origin):
    """boster2016: children 5-15% once every 24 h, for spinal and cerebral origin alike."""
    result = calculate(CALC_ID, {"current_daily_mcg": 100, "origin": origin, "age_group": "child"})
    assert (result["next_min_mcg_per_day"], result["next_max_mcg_per_day"]) == (105, 115)
    assert result["increase_percent"] == "5\N{EN DASH}15%"


def test_itb_titration_adult_spinal_days_to_double_by_hand():
    """boster2016 percentages, 100 -> 200 mcg/day, adult spinal, worked by hand.

    Fastest (+30%/day): 100, 130, 169, 219.7 -> capped at 200 on day 3.
    Slowest (+10%/day): 100, 110, 121, 133.1, 146.41, 161.05, 177.16, 194.87, 214.36 -> capped
    at 200 on day 8.
    """
    result = calculate(
        CALC_ID,
        {
            "current_daily_mcg": 100,
            "origin": "spinal",
            "age_group": "adult",
            "target_daily_mcg": 200,
        },
    )
    assert _doses(result["fastest"]) == [100, 130, 169, 200]
    assert result["days_to_target_min"] == 3
    assert _doses(result["slowest"]) == [100, 110, 121, 133.1, 146.4, 161.1, 177.2, 194.9, 200]
    assert result["days_to_target_max"] == 8


def test_itb_titration_adult_cerebral_days_to_one_and_a_half_by_hand():
    """boster2016 percentages, 100 -> 150 mcg/day, adult cerebral, worked by hand.

    Fastest (+15%/day): 100, 115, 132.25, 152.09 -> capped at 150 on day 3.
    Slowest (+5%/day): 1.05^8 = 1.4775 < 1.5 <= 1.05^9 = 1.5513, so day 9.
    """
    result = calculate(
        CALC_ID,
        {
            "current_daily_mcg": 100,
            "origin": "cerebral",
            "age_group": "adult",
            "target_daily_mcg": 150,
        },
    )
    assert _doses(result["fastest"]) == [100, 115, 132.3, 150]
    assert (result["days_to_target_min"], result["days_to_target_max"]) == (3, 9)
    assert _doses(result["slowest"])[-2:] == [147.7, 150]


def test_itb_titration_target_not_above_current_plans_nothing():
    """A target at or below the current dose gives no ladder and says so (increases only)."""
    result = calculate(CALC_ID, {"current_daily_mcg": 300, "target_daily_mcg": 300})
    assert result["days_to_target_min"] is None
    assert result["days_to_target_max"] is None
    assert result["fastest"] == result["slowest"] == []
    assert "target-not-above-current" in _codes(result)


def test_itb_titration_without_target_gives_the_next_day_only():
    """With the optional target left blank, only the next day's range is given."""
    result = calculate(CALC_ID, {"target_daily_mcg": ""})
    assert result["inputs"]["target_daily_mcg"] is None
    assert result["days_to_target_min"] is None
    assert result["fastest"] == []
    assert (result["next_min_mcg_per_day"], result["next_max_mcg_per_day"]) == (110, 130)


def test_itb_titration_once_per_24h_note_cites_the_rate_source():
    """boster2016: at most one increase every 24 h, with the group's percentages."""
    result = calculate(CALC_ID, {"origin": "cerebral"})
    (warning,) = [w for w in result["warnings"] if w["code"] == "once-per-24h"]
    assert "boster2016" in warning["sources"]
    assert "5\N{EN DASH}15%" in warning["message"]


@pytest.mark.parametrize(
    ("origin", "age_group", "above", "within"),
    [
        ("spinal", "adult", 800.1, 800),
        ("cerebral", "adult", 703.1, 703),
        ("spinal", "child", 1199.1, 1199),
    ],
)
def test_itb_titration_above_usual_maintenance_is_noted(origin, age_group, above, within):
    """label-gablofen (V2): a target above usual maintenance is noted, not refused.

    Usual maintenance: spinal 300-800, cerebral 90-703, children 24-1199 mcg/day.
    """
    inputs = {"current_daily_mcg": 100, "origin": origin, "age_group": age_group}
    result = calculate(CALC_ID, {**inputs, "target_daily_mcg": above})
    assert "above-usual-maintenance" in _codes(result)
    if "dose-withheld" not in _codes(result):  # above every observed dose: no ladder (D-4)
        assert result["fastest"][-1]["daily_mcg"] == above
    assert "above-usual-maintenance" not in _codes(
        calculate(CALC_ID, {**inputs, "target_daily_mcg": within})
    )


def test_itb_titration_no_clinical_ceiling_at_1000():
    """SOURCES.md: '1000 mcg/day max' is not a label maximum, so 1500 mcg/day is accepted."""
    result = calculate(CALC_ID, {"current_daily_mcg": 1200, "target_daily_mcg": 1500})
    assert result["fastest"][-1]["daily_mcg"] == 1500


def test_itb_titration_milligram_sized_value_hints_at_units():
    """0.3 'mcg/day' looks like 0.3 mg: the error names field, limits, value and the hint."""
    with pytest.raises(
        InputError,
        match=r"current_daily_mcg: Current daily dose must be between 1 and 5000 mcg/day "
        r"\(got 0\.3\); is this in mg\?",
    ):
        calculate(CALC_ID, {"current_daily_mcg": 0.3})


def test_itb_titration_above_plausible_bound_is_an_error_without_a_hint():
    """5001 mcg/day is over the typing-slip bound; no mg/mcg hint, since 5001 mg is absurd too."""
    with pytest.raises(InputError, match=r"target_daily_mcg: .*5000 mcg/day \(got 5001\)$"):
        calculate(CALC_ID, {"target_daily_mcg": 5001})


def test_itb_titration_unknown_origin_is_an_error():
    """An origin other than spinal or cerebral is rejected, listing both and the value."""
    with pytest.raises(
        InputError,
        match=r"origin: Origin of spasticity must be one of 'spinal', 'cerebral' \(got 'brain'\)",
    ):
        calculate(CALC_ID, {"origin": "brain"})


# --- properties ----------------------------------------------------------------------------


@settings(max_examples=150)
@given(inputs=VALID_INPUTS[CALC_ID])
def test_itb_titration_ladders_rise_to_the_target_and_stop(inputs):
    """Any accepted input: ladders rise day by day from current to exactly the target, capped."""
    result = calculate(CALC_ID, inputs)
    current, target = inputs["current_daily_mcg"], inputs["target_daily_mcg"]
    if "dose-withheld" in _codes(result):
        # A dose outside every observed dose: no range is printed under the caution (D-4).
        assert result["next_min_mcg_per_day"] is None is result["next_max_mcg_per_day"]
        assert result["fastest"] == result["slowest"] == []
        return
    assert result["next_min_mcg_per_day"] > current
    assert result["next_min_mcg_per_day"] <= result["next_max_mcg_per_day"]
    if target is None or target <= current:
        assert result["fastest"] == result["slowest"] == []
        assert result["days_to_target_min"] is None is result["days_to_target_max"]
        return
    for key, days_key in (("fastest", "days_to_target_min"), ("slowest", "days_to_target_max")):
        ladder = result[key]
        doses = _doses(ladder)
        assert [row["day"] for row in ladder] == list(range(len(ladder)))
        assert doses[0] == round(current, 1)
        assert doses == sorted(doses)
        assert max(doses) == doses[-1] == target
        assert result[days_key] == ladder[-1]["day"] >= 1
    assert result["days_to_target_min"] <= result["days_to_target_max"]


@settings(max_examples=100)
@given(inputs=VALID_INPUTS[CALC_ID])
def test_itb_titration_each_day_rises_within_the_percentages(inputs):
    """Any accepted input: each daily rise is within the group's percentages (0.1 mcg shown)."""
    result = calculate(CALC_ID, inputs)
    if not result["fastest"]:
        return
    lo, hi = itb_titration._RATES[(inputs["age_group"], inputs["origin"])].value
    for ladder in (result["fastest"], result["slowest"]):
        doses = _doses(ladder)
        for before, after in pairwise(doses):
            assert after <= (before + 0.05) * (1 + hi) + 0.05 + 1e-9
        for before, after in pairwise(doses[:-1]):
            assert after >= (before - 0.05) * (1 + lo) - 0.05 - 1e-9


# --- clinical review ---------------------------------------------------------------------------


def test_itb_titration_target_starts_empty():
    """The optional target starts blank: no ladder and no note about a target never entered."""
    assert itb_titration.TITRATION.field("target_daily_mcg").default is None
    result = calculate(CALC_ID, {})
    assert result["fastest"] == []
    assert "target-not-above-current" not in _codes(result)


def test_itb_titration_above_maintenance_uses_the_higher_of_current_and_target():
    """A current dose above the usual range is noted even when the target is lower."""
    result = calculate(CALC_ID, {"current_daily_mcg": 900, "target_daily_mcg": 500})
    assert "above-usual-maintenance" in _codes(result)
    assert "900 mcg/day" in next(
        w["message"] for w in result["warnings"] if w["code"] == "above-usual-maintenance"
    )


def test_itb_titration_child_range_is_observed_not_usual():
    """Label (V2): 24-1199 mcg/day in children under 12 is the observed range (mean 274)."""
    result = calculate(CALC_ID, {"current_daily_mcg": 1200, "age_group": "child"})
    (note,) = [w for w in result["warnings"] if w["code"] == "above-usual-maintenance"]
    assert "range of doses observed in children under 12" in note["message"]
    assert "mean 274" in note["message"]
    assert "not a usual one" in note["message"]


@pytest.mark.parametrize(("current", "fires"), [(300, True), (299.9, False)])
def test_itb_titration_large_increase_at_higher_doses(current, fires):
    """cmsc2015: at higher doses an increase >20% may be excessive; spinal adults go to 30%.

    'Higher' is this site's reading: from the lower end of the usual maintenance range
    (spinal origin, 300 mcg/day, V2). 300 fires; 299.9 does not.
    """
    result = calculate(CALC_ID, {"current_daily_mcg": current, "origin": "spinal"})
    assert ("large-increase-at-higher-dose" in _codes(result)) is fires
    if fires:
        (warning,) = [w for w in result["warnings"] if w["code"] == "large-increase-at-higher-dose"]
        assert warning["severity"] == "caution"
        assert "cmsc2015" in warning["sources"]
        assert "this site takes as 'higher'" in warning["message"]


def test_itb_titration_no_large_increase_caution_when_the_rate_is_at_most_twenty_percent():
    """Cerebral origin (5-15%) never exceeds 20%: no caution, however high the dose."""
    result = calculate(CALC_ID, {"current_daily_mcg": 700, "origin": "cerebral"})
    assert "large-increase-at-higher-dose" not in _codes(result)


@pytest.mark.parametrize(("age", "fires"), [(3.9, True), (4, False)])
def test_itb_titration_below_the_labelled_age(age, fires):
    """label-gablofen: indicated from 4 years; 3.9 draws a caution, 4 does not."""
    result = calculate(CALC_ID, {"age_group": "child", "age_years": age})
    assert ("below-labelled-age" in _codes(result)) is fires


@pytest.mark.parametrize(
    ("age", "group", "fires"),
    [(11.9, "child", False), (12, "child", True), (12, "adult", False), (11.9, "adult", True)],
)
def test_itb_titration_child_means_under_twelve(age, group, fires):
    """'Child' means under 12 years (the label's paediatric figures): a mismatch is a caution."""
    result = calculate(CALC_ID, {"age_group": group, "age_years": age})
    assert ("age-group-mismatch" in _codes(result)) is fires


def test_itb_titration_age_group_labels_say_what_child_means():
    """The choice labels say 'under 12 years', from the constant."""
    labels = [c.label for c in itb_titration.TITRATION.field("age_group").choices]
    assert labels == ["Adult (12 years or older)", "Child (under 12 years)"]


def test_itb_titration_no_range_for_a_dose_outside_every_observed_dose():
    """D-4: 4.2 or 5000 mcg/day prints no next-day range; 12 and 2000 do."""
    for slip in (4.2, 5000):
        result = calculate(CALC_ID, {"current_daily_mcg": slip})
        assert result["next_max_mcg_per_day"] is None
        assert "dose-withheld" in _codes(result)
    for edge in (12, 2000):
        result = calculate(CALC_ID, {"current_daily_mcg": edge})
        assert result["next_max_mcg_per_day"] is not None
        assert "dose-withheld" not in _codes(result)


def test_itb_titration_child_below_observed_is_a_caution():
    """M-e: 23.9 mcg/day in a child is below the lowest observed (24); 24 is not."""
    child = {"age_group": "child", "age_years": 8}
    assert "itb-daily-below-observed" in _codes(
        calculate(CALC_ID, {**child, "current_daily_mcg": 23.9})
    )
    assert "itb-daily-below-observed" not in _codes(
        calculate(CALC_ID, {**child, "current_daily_mcg": 24})
    )
