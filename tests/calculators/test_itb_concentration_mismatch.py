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
    assert "Correct the dose first" in found["mismatch-refill-plan"]["message"]  # review M-1


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
    """500 and 500: the programmed dose is delivered; a note, no danger, no change procedure."""
    result = run(500, 500)
    assert result["delivered_daily_mcg"] == 400
    assert result["difference_daily_mcg"] == 0
    found = codes(result)
    assert found["concentrations-match"]["severity"] == "info"
    assert not {c for c, w in found.items() if w["severity"] == "danger"}
    assert "concentration-change-procedure" not in found  # review M-3


def test_itb_concentration_mismatch_always_gives_the_refill_procedure():
    """Empty the old drug, enter the new concentration, bridge (Boster 2016), as a caution."""
    warning = codes(run(500, 1000))["concentration-change-procedure"]
    assert warning["severity"] == "caution"
    assert "boster2016" in warning["sources"]
    assert "a bridge bolus must be programmed" in warning["message"]


def test_itb_concentration_mismatch_dates_and_total_to_the_next_refill():
    """With dates, the total runs to the refill, and the days after empty are counted apart.

    Filled 1 Dec 2026, refill booked 1 Mar 2027 (90 days): 22.5 days of 1600 instead of 400
    mcg/day (+27000 mcg), then 67.5 days with an empty reservoir (400 x 67.5 = 27000 mcg
    missed). Never netted to 0: an overdose then withdrawal are two harms (review W-2, D-1).
    """
    result = run(500, 2000, fill_date="2026-12-01", next_refill_date="2027-03-01")
    assert result["alarm_date"] == "2026-12-21"
    assert result["empty_date"] == "2026-12-23"
    assert result["planned_alarm_date"] == "2027-02-19"
    assert result["days_counted"] == 22.5
    assert result["days_without_drug"] == 67.5
    assert result["total_difference_mcg"] == 27000
    assert result["missed_after_empty_mcg"] == 27000
    found = codes(result)
    assert found["refill-after-empty"]["severity"] == "danger"
    # An average pump, 2.5% fast, is empty after 22.5 / 1.025 = 21.95 days: up to 68 days dry.
    assert "up to 68 days with no intrathecal baclofen" in found["refill-after-empty"]["message"]
    assert found["concentration-mismatch-overdose"]["severity"] == "danger"


def test_itb_concentration_mismatch_same_drug_refill_after_empty_is_a_danger():
    """Review D-1: the same drug, a refill after the reservoir empties: a danger.

    Not a reassuring note alone; the missing drug is counted: 400 x 9.5 days.
    """
    result = run(500, 500, fill_date="2026-12-01", next_refill_date="2027-01-02")
    found = codes(result)
    assert found["refill-after-empty"]["severity"] == "danger"
    assert result["days_without_drug"] == 9.5
    assert result["total_difference_mcg"] == 0
    assert result["missed_after_empty_mcg"] == 3800


def test_itb_concentration_mismatch_refill_after_the_alarm_is_a_caution():
    """A refill after the refill-by day (17.1) but before an average pump is empty (21.95)."""
    found = codes(run(500, 500, fill_date="2026-12-01", next_refill_date="2026-12-22"))
    assert found["refill-after-alarm"]["severity"] == "caution"
    assert "refill-after-empty" not in found


def test_itb_concentration_mismatch_small_figures_are_never_shown_as_zero():
    """Review W-3: a fill just above the alarm gives 0.0125 days to the alarm, not 0."""
    result = run(500, 2000, fill_volume_ml=2.01)
    assert 0 < result["days_to_alarm"] < 0.1
    assert codes(result)["alarm-on-refill-day"]["severity"] == "danger"


def test_itb_concentration_mismatch_long_interval_is_flagged():
    """Review M-4: 1 mcg/day at 2000 mcg/mL in a full 40 mL pump lasts centuries: a caution.

    The itb-refill interval checks apply; a doubtful dose withholds the dates.
    """
    result = run(
        2000,
        500,
        programmed_daily_mcg=1,
        reservoir_ml=40,
        fill_volume_ml=40,
        alarm_ml=0.5,
        fill_date="2026-12-08",
    )
    found = codes(result)
    assert found["refill-interval-long"]["severity"] == "caution"
    assert "dose-withheld" in found
    assert result["alarm_date"] is None


def test_itb_concentration_mismatch_underdose_says_not_to_raise_the_dose():
    """Review M-2: the fix is the programme's concentration, never a higher programmed dose."""
    message = codes(run(2000, 500))["concentration-mismatch-underdose"]["message"]
    assert "Do not raise the programmed dose" in message


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


def test_itb_concentration_mismatch_refill_after_the_refill_by_day_is_a_caution():
    """Same drug: 0.8 mL/day, 0.82 with 2.5% over-delivery; 4 mL left after 14 / 0.82 = 17.1 days.

    A refill on day 18 is before the alarm (day 20) but after 4 mL is left (sixth review M5).
    """
    on_18 = run(500, 500, fill_date="2026-12-08", next_refill_date="2026-12-26")
    assert on_18["days_to_refill_by"] == 17.1
    assert on_18["refill_by_date"] == "2026-12-25"
    assert codes(on_18)["refill-after-alarm"]["severity"] == "caution"
    on_17 = run(500, 500, fill_date="2026-12-08", next_refill_date="2026-12-25")
    assert "refill-after-alarm" not in codes(on_17)


def test_itb_concentration_mismatch_withheld_dates_are_called_dates():
    """25 mcg/day: the fill lasts a year, the dates are withheld; the note says dates (W1)."""
    result = run(500, 500, programmed_daily_mcg=25, fill_date="2026-12-08")
    assert result["alarm_date"] is None
    assert result["refill_by_date"] is None
    withheld = codes(result)["dose-withheld"]["message"]
    assert withheld.startswith("The refill-by, alarm and empty dates are not shown")
    assert "No dose is shown" not in withheld
    assert result["delivered_daily_mcg"] == 25


def test_itb_concentration_mismatch_underdose_refill_by_counts_the_corrected_rate():
    """Re-check D2: programmed for 2000, filled with 500 mcg/mL; correcting moves 4x the volume.

    Uncorrected: 0.2 mL/day, the alarm after 80 days. Corrected: 400 / 500 = 0.8 mL/day, so
    4 mL is left after 14 / (0.8 x 1.025) = 17.1 days: the earlier day is the one shown.
    """
    result = run(2000, 500, fill_date="2026-12-08")
    assert result["days_to_alarm"] == 80
    assert result["days_to_refill_by"] == 17.1
    assert result["refill_by_date"] == "2026-12-25"
    # Control: the overdose direction keeps the programmed rate's (earlier) day.
    assert run(500, 2000, fill_date="2026-12-08")["days_to_refill_by"] == 17.1


def test_itb_concentration_mismatch_childs_underdose_keeps_the_corrected_refill_by_date():
    """Third check W1: 50 mcg/day programmed at 2000, filled with 500 mcg/mL.

    Corrected: 50 / 500 = 0.1 mL/day, 4 mL left after 14 / (0.1 x 1.025) = 136.6 days, which
    is under 6 months: no long-interval caution, and the date is shown. The danger's text
    gives day counts, not a second date beside the withheld-or-shown ones.
    """
    result = run(2000, 500, programmed_daily_mcg=50, fill_date="2026-12-08")
    assert result["days_to_refill_by"] == 136.6
    assert result["refill_by_date"] == "2027-04-23"
    found = codes(result)
    assert "refill-interval-long" not in found
    danger = found["mismatch-correction-shortens-interval"]["message"]
    assert "the refill-by day comes after 136.6 days and the alarm after 160 days" in danger
    assert "2027-" not in danger


def test_itb_concentration_mismatch_booked_refill_caution_names_one_programme():
    """Third check W2: no uncorrected alarm day beside the corrected refill-by day."""
    found = codes(run(2000, 500, fill_date="2026-12-08", next_refill_date="2026-12-26"))
    message = found["refill-after-alarm"]["message"]
    assert "the alarm itself" not in message
    assert "at the programmed or the corrected rate, whichever comes first" in message
