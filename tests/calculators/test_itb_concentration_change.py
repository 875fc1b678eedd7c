"""itb-concentration-change: the dose received while the fluid path still holds the old drug."""

import pytest
from hypothesis import given, settings
from strategies import VALID_INPUTS

from calculators import CALCULATORS, InputError, calculate

CALC_ID = "itb-concentration-change"
SPEC = CALCULATORS[CALC_ID]


def run(old, new, **changes):
    """Run the calculator for a 400 mcg/day dose, unbridged unless changed."""
    inputs = {
        "daily_dose_mcg": 400,
        "old_concentration_mcg_per_ml": old,
        "new_concentration_mcg_per_ml": new,
        "bridge": "no",
    }
    return calculate(CALC_ID, {**inputs, **changes})


def codes(result):
    """The result's warnings by code."""
    return {w["code"]: w for w in result["warnings"]}


def test_itb_concentration_change_2000_to_500_unbridged_is_4x():
    """SOURCES.md (D): 2000 -> 500 mcg/mL unbridged gives dose x 2000/500: a 4x overdose."""
    result = run(2000, 500)
    assert result["ratio"] == 4
    assert result["unbridged_daily_mcg"] == 1600
    assert result["change_percent"] == 300
    warning = codes(result)["unbridged-overdose"]
    assert warning["severity"] == "danger"
    assert warning["sources"] == ["boster2016"]
    assert "a bridge bolus must be programmed" in warning["message"]
    assert "4x the dose" in warning["message"]


def test_itb_concentration_change_500_to_2000_unbridged_is_75_percent_under():
    """SOURCES.md (D): 500 -> 2000 mcg/mL unbridged gives a quarter of the dose: 75% under."""
    result = run(500, 2000)
    assert result["ratio"] == 0.25
    assert result["unbridged_daily_mcg"] == 100
    assert result["change_percent"] == -75
    warning = codes(result)["unbridged-underdose"]
    assert warning["severity"] == "danger"
    assert "75% less than the dose" in warning["message"]
    assert "a bridge bolus must be programmed" in warning["message"]


def test_itb_concentration_change_duration_and_extra_drug():
    """D: 0.25 mL path, 2000 -> 500: 0.25 x 500 / 400 = 0.3125 days (7.5 h), 375 mcg extra.

    With the bridge the old drug leaves at its own rate: 0.25 x 2000 / 400 = 1.25 days (30 h).
    """
    result = run(2000, 500, fluid_path_ml=0.25)
    assert result["unbridged_hours"] == 7.5
    assert result["extra_mcg"] == 375
    assert result["bridge_hours"] == 30
    assert "for 7.5 hours" in codes(result)["unbridged-overdose"]["message"]
    assert "375 mcg extra" in codes(result)["unbridged-overdose"]["message"]


def test_itb_concentration_change_underdose_duration_and_missing_drug():
    """D: 0.25 mL path, 500 -> 2000: 0.25 x 2000 / 400 = 1.25 days (30 h), 375 mcg missing."""
    result = run(500, 2000, fluid_path_ml=0.25)
    assert result["unbridged_hours"] == 30
    assert result["extra_mcg"] == -375
    assert result["bridge_hours"] == 7.5


def test_itb_concentration_change_hour_by_hour_table():
    """2000 -> 500, 7.5 h: 1600/24 = 66.67 mcg per hour for 7 hours, half of it in hour 8."""
    rows = run(2000, 500, fluid_path_ml=0.25)["hours"]
    assert len(rows) == 24
    assert [r["without_bridge_mcg"] for r in rows[:7]] == [66.67] * 7
    assert rows[7]["without_bridge_mcg"] == 41.67  # (0.5 x 1600 + 0.5 x 400) / 24
    assert {r["without_bridge_mcg"] for r in rows[8:]} == {16.67}
    assert {r["with_bridge_mcg"] for r in rows} == {16.67}
    assert rows[0]["clock"] == "00-01 h"
    assert rows[0]["day"] == 1


def test_itb_concentration_change_bridge_programmed_is_not_a_danger():
    """With the bridge the dose stays the same: a note, no danger."""
    result = run(2000, 500, fluid_path_ml=0.25, bridge="yes")
    found = codes(result)
    assert "unbridged-overdose" not in found
    assert found["bridge-programmed"]["severity"] == "info"
    assert "lasts 30 hours" in found["bridge-programmed"]["message"]


def test_itb_concentration_change_fluid_path_has_no_default():
    """NF in SOURCES.md: the fluid-path volume is user-entered; the form starts it blank."""
    field = SPEC.field("fluid_path_ml")
    assert field.default is None
    assert not field.required
    assert "manual" in field.help
    result = run(2000, 500)
    assert result["unbridged_hours"] is None
    assert result["hours"] == []
    assert codes(result)["fluid-path-needed"]["severity"] == "caution"
    assert "fluid-path-needed" not in codes(run(2000, 500, fluid_path_ml=0.01))


def test_itb_concentration_change_long_transition_beyond_the_table():
    """0.7 mL x 2000 / 200 = 7 days: the 168-hour table holds it; 0.701 mL goes past it."""
    exactly = run(500, 2000, fluid_path_ml=0.7, daily_dose_mcg=200)
    assert exactly["unbridged_hours"] == 168
    assert "transition-beyond-table" not in codes(exactly)
    longer = run(500, 2000, fluid_path_ml=0.701, daily_dose_mcg=200)
    assert codes(longer)["transition-beyond-table"]["severity"] == "info"
    assert len(longer["hours"]) == 168


def test_itb_concentration_change_same_concentration_is_an_error():
    """500 -> 500 is no change: refused, naming the field and both values."""
    with pytest.raises(
        InputError,
        match=r"new_concentration_mcg_per_ml: New concentration must differ from the old one, "
        r"500 mcg/mL \(got 500\)",
    ):
        run(500, 500)


def test_itb_concentration_change_fluid_path_bounds_are_errors():
    """A fluid path of 0 or above this site's 10 mL bound is refused with the limits."""
    for bad in (0.009, 10.5):
        with pytest.raises(
            InputError,
            match=r"fluid_path_ml: Fluid-path volume .* must be between 0\.01 and 10 mL",
        ):
            run(2000, 500, fluid_path_ml=bad)


@settings(max_examples=150)
@given(inputs=VALID_INPUTS[CALC_ID])
def test_itb_concentration_change_extra_drug_is_the_tables_difference(inputs):
    """Any accepted input: the table's without-minus-with sum is the extra (or missing) drug."""
    result = calculate(CALC_ID, inputs)
    assert result["ratio"] * inputs["daily_dose_mcg"] == pytest.approx(
        result["unbridged_daily_mcg"], abs=0.06 + 0.0005 * result["unbridged_daily_mcg"]
    )
    if result["unbridged_hours"] is None or result["unbridged_hours"] > 168:
        return  # no path, a path not shown until confirmed, or past the table
    rows = result["hours"]
    difference = sum(r["without_bridge_mcg"] - r["with_bridge_mcg"] for r in rows)
    assert difference == pytest.approx(result["extra_mcg"], abs=0.01 * len(rows) + 0.05)
    assert (result["extra_mcg"] > 0) == (result["ratio"] > 1)


def test_itb_concentration_change_large_fluid_path_shows_no_duration():
    """Fifth review D-1: 2.6 mL (a slip of 0.26?) is a caution and no bridge time is shown."""
    result = run(500, 2000, fluid_path_ml=2.6, bridge="yes")
    found = codes(result)
    assert found["fluid-path-large"]["severity"] == "caution"
    assert result["bridge_hours"] is None
    assert result["unbridged_hours"] is None
    assert "not shown until" in found["bridge-programmed"]["message"]
    assert "fluid-path-needed" not in found
    one = run(500, 2000, fluid_path_ml=1, bridge="yes")
    assert "fluid-path-large" not in codes(one)
    assert one["bridge_hours"] == 30
