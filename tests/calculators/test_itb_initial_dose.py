"""itb-initial-dose: twice the effective screening dose, or the dose itself after > 8 h."""

import pytest
from hypothesis import given, settings
from strategies import VALID_INPUTS

from calculators import CALCULATORS, InputError, calculate

CALC_ID = "itb-initial-dose"


def _codes(result):
    return [w["code"] for w in result["warnings"]]


def test_itb_initial_dose_short_effect_doubles():
    """boster2016: 50 mcg with a 6 h effect -> twice the dose over 24 h, 100 mcg/day."""
    result = calculate(CALC_ID, {"screening_dose_mcg": 50, "effect_hours": 6})
    assert result["initial_daily_mcg"] == 100
    assert result["hourly_mcg"] == 4.167
    assert "2 x the screening dose" in result["rule"]


def test_itb_initial_dose_long_effect_keeps_the_dose():
    """boster2016: 50 mcg with a 10 h effect (more than 8 h) -> 50 mcg/day."""
    result = calculate(CALC_ID, {"screening_dose_mcg": 50, "effect_hours": 10})
    assert result["initial_daily_mcg"] == 50
    assert "more than 8 hours" in result["rule"]


def test_itb_initial_dose_exactly_eight_hours_still_doubles():
    """boster2016: the rule is 'more than 8 hours', so exactly 8 h still doubles: 100 mcg/day."""
    assert calculate(CALC_ID, {"effect_hours": 8})["initial_daily_mcg"] == 100
    assert calculate(CALC_ID, {"effect_hours": 8.5})["initial_daily_mcg"] == 50


@pytest.mark.parametrize(("dose", "expected"), [(25, 50), (50, 100), (75, 150), (100, 200)])
def test_itb_initial_dose_each_screening_step_doubles(dose, expected):
    """boster2016screen: screening doses 25 (small children), 50, 75, 100 mcg, each doubled."""
    assert calculate(CALC_ID, {"screening_dose_mcg": dose})["initial_daily_mcg"] == expected


def test_itb_initial_dose_no_increase_in_the_first_24_hours():
    """label-gablofen (R): no increase in the first 24 hours, stated in every result."""
    result = calculate(CALC_ID, {})
    assert result["first_increase_after_hours"] == 24
    (warning,) = [w for w in result["warnings"] if w["code"] == "no-increase-24h"]
    assert "label-gablofen" in warning["sources"]


def test_itb_initial_dose_small_child_and_last_step_are_noted():
    """boster2016screen: 25 mcg is for very small children; no response to 100 mcg ends it."""
    assert "small-child-screening" in _codes(calculate(CALC_ID, {"screening_dose_mcg": 25}))
    assert "last-screening-dose" in _codes(calculate(CALC_ID, {"screening_dose_mcg": 100}))
    assert not {"small-child-screening", "last-screening-dose"} & set(
        _codes(calculate(CALC_ID, {"screening_dose_mcg": 75}))
    )


def test_itb_initial_dose_screening_dose_not_offered_is_an_error():
    """A dose that is not a screening step is rejected, listing the steps and the value."""
    with pytest.raises(
        InputError,
        match=r"screening_dose_mcg: Effective screening dose must be one of 25, 50, 75, 100 "
        r"\(got 60\)",
    ):
        calculate(CALC_ID, {"screening_dose_mcg": 60})


def test_itb_initial_dose_screening_dose_in_mg_is_an_error():
    """0.05 (mg) is not a screening dose in mcg: rejected, never rescaled."""
    with pytest.raises(InputError, match=r"screening_dose_mcg: .*\(got 0\.05\)"):
        calculate(CALC_ID, {"screening_dose_mcg": 0.05})


@pytest.mark.parametrize("hours", [0, 24.5])
def test_itb_initial_dose_effect_hours_out_of_range_is_an_error(hours):
    """Effect durations outside 0.5-24 h are rejected with the field, the limits and the value."""
    with pytest.raises(
        InputError,
        match=rf"effect_hours: Duration of effect must be between 0\.5 and 24 hours "
        rf"\(got {hours}\)",
    ):
        calculate(CALC_ID, {"effect_hours": hours})


@settings(max_examples=100)
@given(inputs=VALID_INPUTS[CALC_ID])
def test_itb_initial_dose_is_the_dose_or_twice_it(inputs):
    """Any accepted input: the dose itself or twice it; a longer effect never gives more."""
    result = calculate(CALC_ID, inputs)
    dose = inputs["screening_dose_mcg"]
    if inputs["effect_hours"] < 4:  # an effect the result questions: no dose (fourth review M9)
        assert result["initial_daily_mcg"] is None
        assert "dose-withheld" in {w["code"] for w in result["warnings"]}
        return
    assert result["initial_daily_mcg"] in {dose, 2 * dose}
    longest = CALCULATORS[CALC_ID].field("effect_hours").maximum
    longer = calculate(CALC_ID, {**inputs, "effect_hours": longest})
    assert longer["initial_daily_mcg"] <= result["initial_daily_mcg"]


# --- clinical review: the full Boster rule and its notes ---------------------------------------


def test_itb_initial_dose_negative_reactions_keep_the_screening_dose():
    """boster2016: 'or negative reactions' -> 75 mcg, 4 h effect, reactions: 75 mcg/day, not 150."""
    result = calculate(
        CALC_ID, {"screening_dose_mcg": 75, "effect_hours": 4, "negative_reactions": "yes"}
    )
    assert result["initial_daily_mcg"] == 75
    assert result["rule"] == "negative reactions to the bolus: the screening dose itself"
    (warning,) = [w for w in result["warnings"] if w["code"] == "negative-reactions"]
    assert warning["severity"] == "caution"
    assert warning["sources"] == ["boster2016"]


def test_itb_initial_dose_no_negative_reactions_still_doubles():
    """Control: the same bolus without negative reactions doubles (150 mcg/day), no caution."""
    result = calculate(
        CALC_ID, {"screening_dose_mcg": 75, "effect_hours": 4, "negative_reactions": "no"}
    )
    assert result["initial_daily_mcg"] == 150
    assert "negative-reactions" not in _codes(result)


def test_itb_initial_dose_negative_reactions_default_to_no():
    """The new input defaults to 'no', so the default result is unchanged: 100 mcg/day."""
    assert CALCULATORS[CALC_ID].field("negative_reactions").default == "no"
    assert calculate(CALC_ID, {})["initial_daily_mcg"] == 100


def test_itb_initial_dose_monitoring_note_cites_cmsc2015():
    """cmsc2015: monitor at least 8 h after the start; start at a minimum rate in tenuous cases."""
    (note,) = [w for w in calculate(CALC_ID, {})["warnings"] if w["code"] == "monitor-after-start"]
    assert note["severity"] == "info"
    assert "at least 8 hours" in note["message"]
    assert "minimum rate" in note["message"]
    assert {"cmsc2015", "label-gablofen"} <= set(note["sources"])


def test_itb_initial_dose_small_screening_dose_covers_mobility():
    """boster2016screen: the 25 mcg note also covers patients relying on spasticity for mobility."""
    (note,) = [
        w
        for w in calculate(CALC_ID, {"screening_dose_mcg": 25})["warnings"]
        if w["code"] == "small-child-screening"
    ]
    assert "rely on their spasticity for mobility" in note["message"]


def test_itb_initial_dose_hourly_rate_keeps_four_figures():
    """100 mcg/day is 4.167 mcg/hour (four significant figures, under 0.05% off)."""
    assert calculate(CALC_ID, {})["hourly_mcg"] == 4.167
