"""itb-refill: daily volume, days to the low-reservoir alarm, and the alarm date."""

import datetime as dt
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import VALID_INPUTS, field_value, latest_safe_refill_date

from calculators import CALCULATORS, InputError, _itb, calculate
from calculators.spec import Warnings

CALC_ID = "itb-refill"
SPEC = CALCULATORS[CALC_ID]


def _codes(result):
    return [w["code"] for w in result["warnings"]]


def test_itb_refill_daily_volume_and_days_to_alarm():
    """boster2016 (500 mcg/mL), neurosurgery2004 (2 mL alarm): 400 mcg/day lasts 22.5 days.

    400 / 500 = 0.8 mL/day; 20 mL reservoir - 2 mL alarm = 18 mL; 18 / 0.8 = 22.5 days.
    """
    result = calculate(
        CALC_ID,
        {"daily_dose_mcg": 400, "concentration_mcg_per_ml": 500, "reservoir_ml": 20, "alarm_ml": 2},
    )
    assert result["daily_volume_ml"] == 0.8
    assert result["usable_volume_ml"] == 18
    assert result["days_to_alarm"] == 22.5
    assert result["whole_days_to_alarm"] == 22
    assert result["days_to_empty"] == 25
    assert result["alarm_date"] is None


def test_itb_refill_alarm_date_is_refill_date_plus_whole_days():
    """Refilled 2025-03-01 with 22.5 days to the alarm: alarm 2025-03-23, empty 2025-03-26.

    The alarm date adds the 22 whole days; empty after 20 / 0.8 = 25 days.
    """
    result = calculate(CALC_ID, {"refill_date": "2025-03-01"})
    assert result["alarm_date"] == "2025-03-23"
    assert result["empty_date"] == "2025-03-26"


def test_itb_refill_alarm_date_crosses_month_and_leap_day():
    """Calendar arithmetic: 2024-02-20 + 22 days is 2024-03-13 (2024 has a 29 February)."""
    assert calculate(CALC_ID, {"refill_date": "2024-02-20"})["alarm_date"] == "2024-03-13"


def test_itb_refill_alarm_below_four_ml_cites_the_pump_study():
    """neurosurgery2004: withdrawal seen up to 3.8 mL residual, stopped with a 4 mL alarm."""
    result = calculate(CALC_ID, {"alarm_ml": 3.9})
    (warning,) = [w for w in result["warnings"] if w["code"] == "alarm-too-late"]
    assert warning["severity"] == "info"  # context since the fourth review (M6): mixed drugs
    assert warning["sources"] == ["neurosurgery2004"]
    assert "3.8 mL" in warning["message"]
    assert "4 mL" in warning["message"]
    # The study's own figures, and that the drug made no difference (sixth review M3): not
    # "several drugs, not baclofen only", which read as a reason to discount it.
    message = warning["message"]
    assert "21 had withdrawal symptoms" in message
    assert "88 patients" in message
    assert "symptoms did not correlate with the drug" in message
    assert "several drugs" not in message
    assert "Book the refill by the refill-by date" in message
    assert "this site's reading" in message
    assert "3.9 mL alarm" in message
    assert "alarm-too-late" in _codes(calculate(CALC_ID, {"alarm_ml": 2}))


def test_itb_refill_four_ml_alarm_does_not_warn():
    """neurosurgery2004: a 4 mL alarm is the volume that stopped withdrawal: no warning."""
    result = calculate(CALC_ID, {"alarm_ml": 4})
    assert "alarm-too-late" not in _codes(result)
    assert result["usable_volume_ml"] == 16
    assert result["days_to_alarm"] == 20


def test_itb_refill_default_concentration_is_the_consensus_start():
    """boster2016: 'initiate with the 500 mcg/mL concentration' is the form's default."""
    assert SPEC.field("concentration_mcg_per_ml").default == 500


@pytest.mark.parametrize(("concentration", "daily_ml"), [(500, 0.8), (1000, 0.4), (2000, 0.2)])
def test_itb_refill_each_refill_strength(concentration, daily_ml):
    """label-gablofen: 500, 1000, 2000 mcg/mL; 400 mcg/day is 400 / strength mL/day."""
    result = calculate(CALC_ID, {"concentration_mcg_per_ml": concentration})
    assert result["daily_volume_ml"] == daily_ml


def test_itb_refill_screening_strength_is_not_a_refill_strength():
    """label-lioresal-it: the 50 mcg/mL ampule is 'for the screening dose': refused, with why."""
    field = SPEC.field("concentration_mcg_per_ml")
    assert 50 not in [c.value for c in field.choices]
    assert "screening dose" in field.help
    with pytest.raises(
        InputError,
        match=r"concentration_mcg_per_ml: Concentration must be one of 500, 1000, 2000 \(got 50\)",
    ):
        calculate(CALC_ID, {"concentration_mcg_per_ml": 50})


def test_itb_refill_milligram_sized_dose_hints_at_units():
    """0.4 'mcg/day' looks like 0.4 mg: the error names the field, the limits and the value."""
    with pytest.raises(
        InputError,
        match=r"daily_dose_mcg: Daily dose must be between 1 and 5000 mcg/day \(got 0\.4\); "
        r"is this in mg\?",
    ):
        calculate(CALC_ID, {"daily_dose_mcg": 0.4})


def test_itb_refill_concentration_not_supplied_is_an_error():
    """750 mcg/mL is not a marketed strength: rejected, listing the strengths and the value."""
    with pytest.raises(
        InputError,
        match=r"concentration_mcg_per_ml: Concentration must be one of 500, 1000, 2000 "
        r"\(got 750\)",
    ):
        calculate(CALC_ID, {"concentration_mcg_per_ml": 750})


def test_itb_refill_reservoir_not_offered_is_an_error():
    """Reservoirs are 20 or 40 mL: 30 is rejected, listing both and the value."""
    with pytest.raises(
        InputError, match=r"reservoir_ml: Reservoir must be one of 20, 40 \(got 30\)"
    ):
        calculate(CALC_ID, {"reservoir_ml": 30})


def test_itb_refill_alarm_volume_out_of_range_is_an_error():
    """An alarm volume above 10 mL is rejected with the field, the limits and the value."""
    with pytest.raises(
        InputError,
        match=r"alarm_ml: Low-reservoir alarm volume must be between 0\.5 and 10 mL \(got 10\.5\)",
    ):
        calculate(CALC_ID, {"alarm_ml": 10.5})


@pytest.mark.parametrize("text", ["2025-02-30", "01/03/2025", "tomorrow"])
def test_itb_refill_bad_date_is_an_error(text):
    """A refill date that is not a real YYYY-MM-DD date is rejected, quoting it."""
    with pytest.raises(
        InputError,
        match=rf"refill_date: Refill date must be a date written YYYY-MM-DD \(got '{text}'\)",
    ):
        calculate(CALC_ID, {"refill_date": text})


def test_itb_refill_date_too_late_for_the_calendar_is_an_error():
    """A refill on 9999-12-31 has no alarm date: an InputError naming the field, never a crash."""
    with pytest.raises(
        InputError,
        match=r"refill_date: Refill date must be no later than 9999-12-06, .*25 days later.* "
        r"\(got 9999-12-31\)",
    ):
        calculate(CALC_ID, {"refill_date": "9999-12-31"})
    assert calculate(CALC_ID, {"refill_date": "9999-12-06"})["empty_date"] == "9999-12-31"


# --- properties ----------------------------------------------------------------------------


@settings(max_examples=150)
@given(inputs=VALID_INPUTS[CALC_ID])
def test_itb_refill_days_are_positive_and_dates_consistent(inputs):
    """Any accepted input: 0 < days to alarm <= days to empty; alarm date = refill + whole days."""
    result = calculate(CALC_ID, inputs)
    assert result["days_to_alarm"] > 0
    assert result["days_to_alarm"] <= result["days_to_empty"]
    assert result["whole_days_to_alarm"] <= result["days_to_alarm"]
    assert result["usable_volume_ml"] < inputs["reservoir_ml"]
    assert 0 <= result["days_to_refill_by"] <= result["days_to_alarm"]
    withheld = "dose-withheld" in _codes(result)
    if inputs["refill_date"] is None or withheld:
        assert result["alarm_date"] is None is result["empty_date"]
        assert result["refill_by_date"] is None
    else:
        refill = dt.date.fromisoformat(inputs["refill_date"])
        alarm = dt.date.fromisoformat(result["alarm_date"])
        empty = dt.date.fromisoformat(result["empty_date"])
        refill_by = dt.date.fromisoformat(result["refill_by_date"])
        assert (alarm - refill).days == result["whole_days_to_alarm"]
        assert refill <= refill_by <= alarm <= empty


@settings(max_examples=150)
@given(
    inputs=VALID_INPUTS[CALC_ID],
    other_dose=field_value(SPEC.field("daily_dose_mcg")),
)
def test_itb_refill_higher_dose_never_lasts_longer(inputs, other_dose):
    """Any accepted input: a higher daily dose never gives more days to the alarm or to empty."""
    low, high = sorted((inputs["daily_dose_mcg"], other_dose))
    slow = calculate(CALC_ID, {**inputs, "daily_dose_mcg": low})
    fast = calculate(CALC_ID, {**inputs, "daily_dose_mcg": high})
    assert fast["days_to_alarm"] <= slow["days_to_alarm"]
    assert fast["days_to_empty"] <= slow["days_to_empty"]
    assert fast["daily_volume_ml"] >= slow["daily_volume_ml"]


@settings(max_examples=100)
@given(
    inputs=VALID_INPUTS[CALC_ID],
    other_alarm=field_value(SPEC.field("alarm_ml")),
)
def test_itb_refill_higher_alarm_volume_sounds_sooner(inputs, other_alarm):
    """Any accepted input: raising the alarm volume never gives more days to the alarm."""
    low, high = sorted((inputs["alarm_ml"], other_alarm))
    early = calculate(CALC_ID, {**inputs, "alarm_ml": high})
    late = calculate(CALC_ID, {**inputs, "alarm_ml": low})
    assert early["days_to_alarm"] <= late["days_to_alarm"]


@settings(max_examples=50)
@given(day=st.dates(min_value=latest_safe_refill_date() + dt.timedelta(days=1)))
def test_itb_refill_late_dates_are_input_errors(day):
    """Slowest pump (80 000 days to empty): later refill dates are InputErrors, not crashes."""
    inputs = {
        "daily_dose_mcg": 1,
        "concentration_mcg_per_ml": 2000,
        "reservoir_ml": 40,
        "refill_date": day.isoformat(),
    }
    with pytest.raises(InputError, match=r"refill_date: Refill date must be no later than"):
        calculate(CALC_ID, inputs)


def test_itb_refill_tiny_daily_volume_is_not_rounded_away():
    """1 mcg/day at 2000 mcg/mL is 0.0005 mL/day, shown to 4 decimals rather than 0.001."""
    result = calculate("itb-refill", {"daily_dose_mcg": 1, "concentration_mcg_per_ml": 2000})
    assert result["daily_volume_ml"] == 0.0005


# --- clinical review: intervals and volumes ----------------------------------------------------


def test_itb_refill_no_caution_rests_on_the_unidentified_stability_paper():
    """N1: 100 mcg/day at 2000 mcg/mL lasts 760 days: no stability caution (record not found)."""
    result = calculate(
        CALC_ID,
        {"daily_dose_mcg": 100, "concentration_mcg_per_ml": 2000, "reservoir_ml": 40},
    )
    assert result["days_to_alarm"] == 760
    assert all("stability2023" not in w["sources"] for w in result["warnings"])


def test_itb_refill_interval_past_the_pump_battery_is_a_caution():
    """medtronic-pump: 506-day fills are long; a 15,200-day fill outlasts the 7-year battery."""
    result = calculate(
        CALC_ID,
        {"daily_dose_mcg": 5, "concentration_mcg_per_ml": 2000, "reservoir_ml": 40},
    )
    (warning,) = [w for w in result["warnings"] if w["code"] == "interval-beyond-pump-life"]
    assert warning["severity"] == "caution"
    assert "90 days after its elective replacement alarm" in warning["message"]
    assert {"medtronic-pump", "boster2016"} <= set(warning["sources"])


@pytest.mark.parametrize(("days", "fires"), [(Fraction(99, 100), True), (Fraction(1), False)])
def test_itb_refill_alarm_on_the_refill_day_is_a_danger(days, fires):
    """boster2016: an alarm due in under a day sounds on the refill day itself: a danger.

    The itb-refill form cannot reach it (a full 20 mL pump at 10 mL/day lasts a day), but
    the refill visit can (a partial fill), so the shared rule is tested directly: 0.99 days
    fires, exactly 1 day does not.
    """
    warnings = Warnings()
    _itb.refill_interval_warnings(warnings, days_to_alarm=days, days_to_refill_by=days)
    codes = [w["code"] for w in warnings.items]
    assert ("alarm-on-refill-day" in codes) is fires
    if fires:
        (warning,) = [w for w in warnings.items if w["code"] == "alarm-on-refill-day"]
        assert warning["severity"] == "danger"
        assert "a bridge bolus must be programmed" in warning["message"]


def test_itb_refill_refill_by_day_within_a_day_is_a_danger_even_if_the_alarm_is_later():
    """Re-check W1: the refill-by day (4 mL left) within a day is the danger, not the alarm."""
    warnings = Warnings()
    _itb.refill_interval_warnings(
        warnings, days_to_alarm=Fraction(5), days_to_refill_by=Fraction(1, 2)
    )
    (warning,) = [w for w in warnings.items if w["code"] == "alarm-on-refill-day"]
    assert warning["message"].startswith(
        "The refill-by day (4 mL left, or the alarm if set higher) comes on the refill day"
    )
    assert "after 12 hours; the alarm after 5 days" in warning["message"]


def test_itb_refill_alarm_one_day_later_is_not_the_refill_day():
    """Control: 10 mL at 9.6 mL/day lasts 1.04 days to the alarm, 1.02 with over-delivery."""
    result = calculate(
        CALC_ID,
        {
            "daily_dose_mcg": 4800,
            "concentration_mcg_per_ml": 500,
            "reservoir_ml": 20,
            "alarm_ml": 10,
            "refill_date": "2026-12-01",
        },
    )
    assert result["days_to_alarm"] == 1  # 10 / 9.6 = 1.04
    assert result["days_to_refill_by"] == 1  # 10 / (9.6 x 1.025) = 1.02
    assert "alarm-on-refill-day" not in _codes(result)
    # A one-day interval is still a caution, and its dates are withheld under it.
    assert "refill-interval-short" in _codes(result)
    assert result["alarm_date"] is None


@pytest.mark.parametrize(
    ("dose", "shown"), [(1, 0.0005), (3, 0.0015), (7, 0.0035), (1234, 0.617), (2345, 1.17)]
)
def test_itb_refill_daily_volume_is_within_one_percent(dose, shown):
    """Volumes keep 3 significant figures: 1 mcg/day at 2000 mcg/mL is 0.0005 mL/day, not 0.001."""
    result = calculate(CALC_ID, {"daily_dose_mcg": dose, "concentration_mcg_per_ml": 2000})
    assert result["daily_volume_ml"] == shown
    exact = dose / 2000
    assert abs(result["daily_volume_ml"] - exact) <= 0.01 * exact


def test_itb_refill_refill_by_is_4_ml_left_before_a_2_ml_alarm():
    """neurosurgery2004 (sixth review D1): book by 4 mL left, not by the 2 mL alarm.

    100 / 500 = 0.2 mL/day, 0.205 with a normal pump's 2.5% over-delivery (wesemann2014);
    (20 - 4) / 0.205 = 78.0 days to 4 mL left, (20 - 2) / 0.2 = 90 days to the alarm:
    2026-12-08 + 78 days = 2027-02-24; + 90 days = 2027-03-08.
    """
    result = calculate(CALC_ID, {"daily_dose_mcg": 100, "refill_date": "2026-12-08"})
    assert result["days_to_refill_by"] == 78  # 16 / (0.2 x 1.025) = 78.05, 2.5% over-delivery
    assert result["refill_by_date"] == "2027-02-24"
    assert result["days_to_alarm"] == 90
    assert result["alarm_date"] == "2027-03-08"


def test_itb_refill_refill_by_for_a_childs_low_flow():
    """25 mcg/day at 500 mcg/mL: 0.05 mL/day; 16 / 0.05125 = 312.2 days to 4 mL, 360 to alarm."""
    result = calculate(CALC_ID, {"daily_dose_mcg": 25})
    assert result["days_to_refill_by"] == 312.2
    assert result["days_to_alarm"] == 360


def test_itb_refill_refill_by_counts_to_the_alarm_when_it_is_set_at_4_ml_or_more():
    """An alarm at 4 mL or more is the volume counted to; only the 2.5% comes off.

    400 / 500 = 0.8 mL/day, 0.82 with over-delivery: (20 - 4) / 0.82 = 19.5 days (alarm 20);
    (20 - 5) / 0.82 = 18.3 days (alarm 18.8).
    """
    for alarm, refill_by, to_alarm in ((4, 19.5, 20), (5, 18.3, 18.8)):
        result = calculate(CALC_ID, {"alarm_ml": alarm})
        assert result["days_to_refill_by"] == refill_by
        assert result["days_to_alarm"] == to_alarm


def test_itb_refill_low_alarm_note_says_how_long_before_empty_it_sounds():
    """Third check M2: a 0.5 mL alarm at 0.8 mL/day sounds 0.5 / 0.8 x 24 = 15 hours early."""
    result = calculate(CALC_ID, {"alarm_ml": 0.5})
    (note,) = [w for w in result["warnings"] if w["code"] == "alarm-too-late"]
    assert "sounds about 15 hours before the reservoir is empty at this dose" in note["message"]
    # 2 mL at 0.8 mL/day: 2.5 days, in days.
    (note,) = [w for w in calculate(CALC_ID, {})["warnings"] if w["code"] == "alarm-too-late"]
    assert "sounds about 2.5 days before the reservoir is empty" in note["message"]


def test_itb_refill_short_interval_never_shows_the_threshold_itself():
    """Third check m2: 13.9998 days is 'in 13.9 days, under 14', never 'in 14 days'."""
    result = calculate(CALC_ID, {"daily_dose_mcg": 557.5})
    (caution,) = [w for w in result["warnings"] if w["code"] == "refill-interval-short"]
    assert "refill-by day in 13.9 days, under 14 days" in caution["message"]
