"""itb-concentration-mismatch: a pump programmed for one concentration, filled with another."""

from fractions import Fraction

import pytest
from hypothesis import given, settings
from strategies import VALID_INPUTS

from calculators import InputError, calculate

CALC_ID = "itb-concentration-mismatch"


def run(programmed, filled, **changes):
    """400 mcg/day programmed, 20 mL reservoir filled to 18 mL, 2 mL alarm, unless changed."""
    inputs = {
        "programmed_daily_mcg": 400,
        "programmed_concentration_mcg_per_ml": programmed,
        "filled_concentration_mcg_per_ml": filled,
        "reservoir_ml": 20,
        "fill_volume_ml": 18,
        "alarm_ml": 2,
    }
    return calculate(CALC_ID, {**inputs, **changes})


def codes(result):
    """The result's warnings by code."""
    return {w["code"]: w for w in result["warnings"]}


def test_itb_concentration_mismatch_500_programmed_2000_filled_is_4x_for_the_interval():
    """Programmed 500, filled 2000: four times the dose until the alarm.

    By hand: 400 / 500 = 0.8 mL/day moved; 0.8 x 2000 = 1600 mcg/day delivered, +1200/day; (18 -
    2) / 0.8 = 20 days to the alarm, 18 / 0.8 = 22.5 to empty; 1200 x 20 = 24000 mcg too much by
    the alarm. A plan for 2000 mcg/mL would expect 16 / 0.2 = 80 days.
    """
    result = run(500, 2000)
    assert result["ratio"] == 4
    assert result["delivered_daily_mcg"] == 1600
    assert result["difference_daily_mcg"] == 1200
    assert result["volume_rate_ml_per_day"] == 0.8
    assert result["days_to_alarm"] == 20
    assert result["days_to_empty"] == 22.5
    assert result["total_difference_mcg"] == 24000
    assert result["planned_days_to_alarm"] == 80
    found = codes(result)
    assert found["concentration-mismatch-overdose"]["severity"] == "danger"
    assert "for the whole refill interval" in found["concentration-mismatch-overdose"]["message"]
    assert found["mismatch-refill-plan"]["severity"] == "caution"
    assert "60 days too late" in found["mismatch-refill-plan"]["message"]


def test_itb_concentration_mismatch_2000_programmed_500_filled_is_a_quarter():
    """Programmed 2000, filled 500: a quarter of the dose, a danger.

    By hand: 400 / 2000 = 0.2 mL/day; 0.2 x 500 = 100 mcg/day, -300/day; 16 / 0.2 = 80 days to
    the alarm; -300 x 80 = -24000 mcg. A quarter of the dose: withdrawal, a danger.
    """
    result = run(2000, 500)
    assert result["ratio"] == 0.25
    assert result["delivered_daily_mcg"] == 100
    assert result["difference_daily_mcg"] == -300
    assert result["days_to_alarm"] == 80
    assert result["total_difference_mcg"] == -24000
    found = codes(result)
    assert found["concentration-mismatch-underdose"]["severity"] == "danger"
    assert "Withdrawal" in found["concentration-mismatch-underdose"]["message"]
    # An earlier alarm than planned harms no one: no refill-plan caution this way round.
    assert "mismatch-refill-plan" not in found


def test_itb_concentration_mismatch_same_concentration_is_no_mismatch():
    """500 and 500: the programmed dose is delivered; a note, no danger."""
    result = run(500, 500)
    assert result["delivered_daily_mcg"] == 400
    assert result["difference_daily_mcg"] == 0
    found = codes(result)
    assert found["concentrations-match"]["severity"] == "info"
    assert not {c for c, w in found.items() if w["severity"] == "danger"}


def test_itb_concentration_mismatch_always_gives_the_refill_procedure():
    """Empty the old drug, enter the new concentration, bridge (Boster 2016), as a caution."""
    warning = codes(run(500, 1000))["concentration-change-procedure"]
    assert warning["severity"] == "caution"
    assert "boster2016" in warning["sources"]
    assert "a bridge bolus must be programmed" in warning["message"]


def test_itb_concentration_mismatch_dates_and_total_to_the_next_refill():
    """With dates, the total counts the days to the refill, but not past empty.

    Filled 1 Dec 2026, refill booked 1 Mar 2027 (90 days): the reservoir is empty after 22.5
    days, so the total counts 22.5 days: 1200 x 22.5 = 27000 mcg.
    """
    result = run(500, 2000, fill_date="2026-12-01", next_refill_date="2027-03-01")
    assert result["alarm_date"] == "2026-12-21"
    assert result["empty_date"] == "2026-12-23"
    assert result["planned_alarm_date"] == "2027-02-19"
    assert result["days_counted"] == 22.5
    assert result["total_difference_mcg"] == 27000


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"fill_volume_ml": 21}, "fill_volume_ml"),
        ({"fill_volume_ml": 2}, "fill_volume_ml"),
        ({"fill_date": "2026-12-01", "next_refill_date": "2026-11-30"}, "next_refill_date"),
        ({"next_refill_date": "2027-03-01"}, "fill_date"),
    ],
)
def test_itb_concentration_mismatch_cross_field_slips_are_refused(changes, field):
    """Cross-field slips are refused, naming the field.

    A fill above the reservoir or at the alarm, a refill before the fill, or a refill date with
    no fill date: refused, naming the field.
    """
    with pytest.raises(InputError) as excinfo:
        run(500, 2000, **changes)
    assert [e.field for e in excinfo.value.errors] == [field]


@settings(max_examples=150)
@given(VALID_INPUTS[CALC_ID])
def test_itb_concentration_mismatch_properties(inputs):
    """Delivered = programmed x filled / programmed concentration; a danger whenever they differ."""
    result = calculate(CALC_ID, inputs)
    programmed = Fraction(str(inputs["programmed_daily_mcg"]))
    ratio = Fraction(
        inputs["filled_concentration_mcg_per_ml"], inputs["programmed_concentration_mcg_per_ml"]
    )
    assert result["delivered_daily_mcg"] == pytest.approx(
        float(programmed * ratio), abs=0.05 + 1e-9
    )
    dangers = {w["code"] for w in result["warnings"] if w["severity"] == "danger"}
    if ratio > 1:
        assert "concentration-mismatch-overdose" in dangers
    elif ratio < 1:
        assert "concentration-mismatch-underdose" in dangers
    assert result["days_to_alarm"] < result["days_to_empty"]
