"""itb-refill-visit: expected residual, the discrepancy and its flag, the new fill's dates."""

import datetime as dt

import pytest
from hypothesis import given, settings
from strategies import VALID_INPUTS

from calculators import CALCULATORS, InputError, calculate
from calculators.constants import CONSTANTS

CALC_ID = "itb-refill-visit"
SPEC = CALCULATORS[CALC_ID]

# 20 mL after the fill, 200 mcg/day at 500 mcg/mL (0.4 mL/day) for 28 days: 11.2 mL delivered,
# 8.8 mL expected (SOURCES.md, "Our arithmetic (D)").
BASE = {
    "reservoir_ml": 20,
    "pump_volume_kind": "calculated",
    "volume_after_last_fill_ml": 20,
    "last_fill_date": "2026-01-05",
    "visit_date": "2026-02-02",
    "daily_dose_mcg": 200,
    "concentration_mcg_per_ml": 500,
    "bolus_volume_ml": 0,
    "aspirated_ml": 8.8,
    "new_fill_ml": 20,
    "alarm_ml": 4,
}


def run(**changes):
    """Run the calculator on BASE with some values changed."""
    return calculate(CALC_ID, {**BASE, **changes})


def codes(result):
    """The result's warnings by code."""
    return {w["code"]: w for w in result["warnings"]}


def test_itb_refill_visit_expected_residual_formula():
    """D: 20 - (200 / 500) x 28 - 0 = 8.8 mL; the formula is shown with each term."""
    result = run()
    assert result["days_since_fill"] == 28
    assert result["daily_volume_ml"] == 0.4
    assert result["delivered_ml"] == 11.2
    assert result["expected_residual_ml"] == 8.8
    assert result["discrepancy_ml"] == 0
    assert result["expected_formula"] == (
        "20 mL after the last fill - 0.4 mL/day (200 mcg/day / 500 mcg/mL) x 28 days - "
        "0 mL of boluses = 8.8 mL"
    )


def test_itb_refill_visit_bolus_volumes_are_subtracted():
    """D: boluses of 0.5 mL leave 20 - 11.2 - 0.5 = 8.3 mL expected, with 11.7 mL delivered."""
    result = run(bolus_volume_ml=0.5, aspirated_ml=8.3)
    assert result["expected_residual_ml"] == 8.3
    assert result["delivered_ml"] == 11.7
    assert result["discrepancy_ml"] == 0


def test_itb_refill_visit_discrepancy_in_ml_and_percent():
    """Aspirated 8.5 of 8.8 expected: -0.3 mL, -2.7% of the 11.2 mL delivered."""
    result = run(aspirated_ml=8.5)
    assert result["discrepancy_ml"] == -0.3
    assert result["discrepancy_percent"] == -2.7


def test_itb_refill_visit_shortfall_above_the_site_threshold_is_a_caution():
    """D: more than 0.2 mL and 5% of the 11.2 mL delivered (0.56) is a caution; 0.56 is not."""
    missing = run(aspirated_ml=8.23)
    warning = codes(missing)["residual-below-expected"]
    assert warning["severity"] == "caution"
    assert missing["flag_threshold_ml"] == 0.56
    assert "Do not delay the refill of a nearly empty pump" in warning["message"]
    assert "never inject through the catheter access port" in warning["message"]
    assert "this site's threshold" in warning["message"]
    within = codes(run(aspirated_ml=8.24))
    assert "residual-below-expected" not in within
    assert within["discrepancy-within-reference"]["severity"] == "info"


def test_itb_refill_visit_normal_over_delivery_is_not_flagged():
    """M1: wesemann2014's 2.5% is a normal pump's mean over-delivery: 0.3 mL short is in range."""
    result = run(aspirated_ml=8.5)
    found = codes(result)
    assert "residual-below-expected" not in found
    assert "residual-far-below-expected" not in found
    assert "catheter leak or disconnection" in found["discrepancy-within-reference"]["message"]


def test_itb_refill_visit_large_shortfall_is_a_danger():
    """D: more than 0.5 mL and 20% of the 11.2 mL delivered (2.24) is a danger; 2.24 is not."""
    warning = codes(run(aspirated_ml=6.55))["residual-far-below-expected"]
    assert warning["severity"] == "danger"
    assert {"wesemann2014", "maino2017", "pocketfill2011"} <= set(warning["sources"])
    assert "351 reports, 8 of them lethal" in warning["message"]
    assert "Do not delay the refill" in warning["message"]
    three = codes(run(aspirated_ml=6.56))
    assert "residual-far-below-expected" not in three
    assert three["residual-below-expected"]["severity"] == "caution"


def test_itb_refill_visit_maino_is_quoted_for_what_it_measured():
    """X2: a measuring pump gets Maino's figures as a note on the refill itself, not a flag."""
    result = run(reservoir_ml=40, pump_volume_kind="measured", aspirated_ml=6.7)
    found = codes(result)
    assert "right after a refill" in found["maino-at-refill-only"]["message"]
    assert found["maino-at-refill-only"]["severity"] == "info"
    assert "residual-below-expected" in found
    assert "maino-at-refill-only" not in codes(run())


def test_itb_refill_visit_surplus_names_occlusion_and_stall():
    """M2: more left than expected (0.57 mL) is a caution naming occlusion and pump stall."""
    warning = codes(run(aspirated_ml=9.37))["residual-above-expected"]
    assert warning["severity"] == "caution"
    assert "occluded" in warning["message"]
    assert "stalled" in warning["message"]
    assert "residual-above-expected" not in codes(run(aspirated_ml=9.36))


def test_itb_refill_visit_threshold_constants_are_the_evidence_base_figures():
    """SOURCES.md: maino2017 1 mL and 2 mL (V1), wesemann2014 2.5% per refill (V1)."""
    assert CONSTANTS["REFILL_DISCREPANCY_20_ML_PUMP_ML"].value == 1
    assert CONSTANTS["REFILL_DISCREPANCY_40_ML_PUMP_ML"].value == 2
    assert float(CONSTANTS["PUMP_ACCURACY_PER_REFILL_FRACTION"].value) == 0.025
    for name in ("REFILL_DISCREPANCY_20_ML_PUMP_ML", "PUMP_ACCURACY_PER_REFILL_FRACTION"):
        assert CONSTANTS[name].status == "V1"


def test_itb_refill_visit_reservoir_empty_before_visit_is_a_danger():
    """400 mcg/day at 500 mcg/mL for 28 days needs 22.4 mL of 20: empty after 25 days."""
    result = run(daily_dose_mcg=400, aspirated_ml=0)
    assert result["expected_residual_ml"] == 0
    assert result["expected_formula"].endswith(
        "= -2.4 mL, so the reservoir is expected empty (0 mL)"
    )
    assert "discrepancy-within-reference" not in codes(result)
    warning = codes(result)["reservoir-empty-before-visit"]
    assert warning["severity"] == "danger"
    assert "after 25 days (about 2026-01-30), 3 days before this visit" in warning["message"]
    assert "reservoir-empty-before-visit" not in codes(run(daily_dose_mcg=357, aspirated_ml=0))


def test_itb_refill_visit_alarm_before_visit_is_a_caution():
    """0.72 mL/day for 26 days leaves 1.28 mL, below a 2 mL alarm: a caution; 25 days leaves 2."""
    late = run(daily_dose_mcg=360, visit_date="2026-01-31", aspirated_ml=1.28, alarm_ml=2)
    warning = codes(late)["alarm-before-visit"]
    assert warning["severity"] == "caution"
    assert "2026-01-30" in warning["message"]
    on_time = run(daily_dose_mcg=360, visit_date="2026-01-30", aspirated_ml=2, alarm_ml=2)
    assert on_time["expected_residual_ml"] == 2
    assert "alarm-before-visit" not in codes(on_time)


def test_itb_refill_visit_new_fill_dates():
    """New fill 20 mL, 4 mL alarm, 0.4 mL/day: alarm after 40 days, empty after 50."""
    result = run()
    assert result["days_to_alarm"] == 40
    assert result["alarm_date"] == "2026-03-14"
    assert result["days_to_empty"] == 50
    assert result["empty_date"] == "2026-03-24"


def test_itb_refill_visit_new_dose_changes_the_dates():
    """From 300 mcg/day (0.6 mL/day) the 16 usable mL last 26.7 days: alarm on 2026-02-28."""
    result = run(new_daily_dose_mcg=300)
    assert result["new_daily_volume_ml"] == 0.6
    assert result["days_to_alarm"] == 26.7
    assert result["alarm_date"] == "2026-02-28"
    assert result["card"]["daily_dose_mcg"] == 300


@pytest.mark.parametrize(
    ("origin", "inside", "outside"),
    [("spinal", 280, 281), ("spinal", 160, 159), ("cerebral", 240, 241), ("cerebral", 160, 159)],
)
def test_itb_refill_visit_dose_change_against_label_ranges(origin, inside, outside):
    """The label (V2): spinal +10-40% / -10-20%, cerebral +5-20% / -10-20%; shown, never refused."""
    within = codes(run(origin=origin, new_daily_dose_mcg=inside))
    assert within["dose-change-within-label-range"]["severity"] == "info"
    assert "dose-change-outside-label-range" not in within
    beyond = codes(run(origin=origin, new_daily_dose_mcg=outside))
    warning = beyond["dose-change-outside-label-range"]
    assert warning["severity"] == "caution"
    assert "a caution, not a limit" in warning["message"]
    assert set(warning["sources"]) == {"label-gablofen", "label-lioresal-it"}


def test_itb_refill_visit_dose_change_percent():
    """200 -> 240 mcg/day is +20%."""
    assert run(new_daily_dose_mcg=240)["dose_change_percent"] == 20
    assert run()["dose_change_percent"] is None


def test_itb_refill_visit_uses_the_refill_calculators_interval_cautions():
    """_itb.refill_interval_warnings: 1 mcg/day at 2000 mcg/mL outlasts the battery."""
    result = run(daily_dose_mcg=1, concentration_mcg_per_ml=2000, aspirated_ml=19.99)
    assert codes(result)["interval-beyond-pump-life"]["severity"] == "caution"
    quick = run(daily_dose_mcg=5000, new_fill_ml=4.5)
    assert codes(quick)["alarm-on-refill-day"]["severity"] == "danger"


def test_itb_refill_visit_low_alarm_cites_the_pump_study():
    """neurosurgery2004 via _itb.alarm_warnings: a 2 mL alarm is a caution, 4 mL none."""
    assert codes(run(alarm_ml=2))["alarm-too-late"]["sources"] == ["neurosurgery2004"]
    assert "alarm-too-late" not in codes(run(alarm_ml=4))


def test_itb_refill_visit_card_holds_what_boster2016_says_to_write_down():
    """boster2016: alarm dates and refill schedules written down; the card has them."""
    card = run(dosing_mode="flex")["card"]
    assert card == {
        "daily_dose_mcg": 200,
        "concentration_mcg_per_ml": 500,
        "mode": "Flexible (24-hour flex schedule)",
        "refill_date": "2026-02-02",
        "refill_by_date": "2026-03-13",  # (20 - 4) / (0.4 x 1.025) = 39.0 days
        "alarm_date": "2026-03-14",
    }


def test_itb_refill_visit_concentrations_are_refill_strengths():
    """The 50 mcg/mL screening strength is not a refill strength: refused, naming the others."""
    assert [c.value for c in SPEC.field("concentration_mcg_per_ml").choices] == [500, 1000, 2000]
    with pytest.raises(
        InputError,
        match=r"concentration_mcg_per_ml: Concentration must be one of 500, 1000, 2000 \(got 50\)",
    ):
        run(concentration_mcg_per_ml=50)


# --- errors ----------------------------------------------------------------------------------


def test_itb_refill_visit_visit_before_fill_is_an_error():
    """A visit before the last fill is refused, naming the field, the limit and the value."""
    with pytest.raises(
        InputError,
        match=r"visit_date: Visit date must be on or after the last fill date, 2026-01-05 "
        r"\(got 2026-01-04\)",
    ):
        run(visit_date="2026-01-04")


def test_itb_refill_visit_aspirated_more_than_reservoir_is_an_error():
    """21 mL cannot come out of a 20 mL reservoir: refused, not clamped."""
    with pytest.raises(
        InputError,
        match=r"aspirated_ml: Volume aspirated must be at most the reservoir, 20 mL \(got 21\)",
    ):
        run(aspirated_ml=21)


def test_itb_refill_visit_every_cross_field_error_at_once():
    """All volume errors are reported together, each naming its field."""
    with pytest.raises(InputError) as info:
        run(volume_after_last_fill_ml=25, aspirated_ml=30, new_fill_ml=3, bolus_volume_ml=26)
    fields = [e.field for e in info.value.errors]
    assert fields == ["volume_after_last_fill_ml", "bolus_volume_ml", "aspirated_ml", "new_fill_ml"]
    assert "more than the alarm volume, 4 mL" in str(info.value)


def test_itb_refill_visit_new_fill_above_reservoir_is_an_error():
    """A 25 mL fill in a 20 mL pump is refused; 20 mL in a 40 mL pump is accepted."""
    with pytest.raises(
        InputError, match=r"new_fill_ml: .* at most the reservoir, 20 mL \(got 25\)"
    ):
        run(new_fill_ml=25)
    assert run(reservoir_ml=40, new_fill_ml=40)["days_to_alarm"] == 90


def test_itb_refill_visit_date_too_late_for_the_calendar_is_an_error():
    """A visit on 9999-12-01 whose empty date would pass 9999-12-31: an InputError, no crash."""
    with pytest.raises(InputError, match=r"visit_date: Visit date must be no later than"):
        run(last_fill_date="9999-11-01", visit_date="9999-12-01")


# --- properties ------------------------------------------------------------------------------


@settings(max_examples=150)
@given(inputs=VALID_INPUTS[CALC_ID])
def test_itb_refill_visit_volumes_balance(inputs):
    """Any accepted input: expected + delivered = volume after the fill (within rounding)."""
    result = calculate(CALC_ID, inputs)
    total = result["expected_residual_ml"] + result["delivered_ml"]
    after = inputs["volume_after_last_fill_ml"]
    # Each volume is rounded to 3 significant figures: off by at most 0.5% of itself.
    rounding = 0.005 * (abs(result["expected_residual_ml"]) + result["delivered_ml"])
    assert result["expected_residual_ml"] >= 0
    if result["expected_residual_ml"] > 0:
        assert abs(total - after) <= rounding + 1e-9
    else:  # past empty the expected residual is 0, never negative (W2)
        assert total >= after - rounding - 1e-9
    assert result["days_to_refill_by"] <= result["days_to_alarm"] <= result["days_to_empty"]
    if any(w["code"] == "dose-withheld" for w in result["warnings"]):
        # Dates under a caution that distrusts the dose or the pump are not shown.
        assert result["alarm_date"] is None is result["refill_by_date"]
    else:
        visit = dt.date.fromisoformat(inputs["visit_date"])
        refill_by = dt.date.fromisoformat(result["refill_by_date"])
        assert visit <= refill_by <= dt.date.fromisoformat(result["alarm_date"])


@settings(max_examples=150)
@given(inputs=VALID_INPUTS[CALC_ID])
def test_itb_refill_visit_flag_matches_the_sign(inputs):
    """Any accepted input: exactly one discrepancy warning, matching the discrepancy's sign."""
    result = calculate(CALC_ID, inputs)
    found = codes(result)
    kinds = {
        "residual-below-expected",
        "residual-far-below-expected",
        "residual-above-expected",
        "residual-far-above-expected",
        "discrepancy-within-reference",
    }
    low = {"reservoir-empty-before-visit", "residual-at-or-below-alarm"}
    expected = 0 if low & set(found) else 1
    assert len(kinds & set(found)) <= 1
    assert len(kinds & set(found)) >= expected
    if "residual-far-below-expected" in found:
        assert result["discrepancy_ml"] < 0
    if "residual-below-expected" in found:
        assert result["discrepancy_ml"] < 0
    if "residual-above-expected" in found or "residual-far-above-expected" in found:
        assert result["discrepancy_ml"] > 0


def test_itb_refill_visit_reservoir_found_at_the_alarm_is_a_danger():
    """D-5: 2 mL aspirated with a 2 mL alarm is a danger naming withdrawal; 2.1 mL is not."""
    found = codes(run(daily_dose_mcg=320, aspirated_ml=2, alarm_ml=2))
    warning = found["residual-at-or-below-alarm"]
    assert warning["severity"] == "danger"
    assert "withdrawal" in warning["message"]
    assert "re-introduced after an interruption" in warning["message"]
    assert "discrepancy-within-reference" not in found
    assert "residual-at-or-below-alarm" not in codes(
        run(daily_dose_mcg=320, aspirated_ml=2.1, alarm_ml=2)
    )


def test_itb_refill_visit_threshold_scales_with_the_volume_delivered():
    """M-d: at 2000 mcg/mL, 1 mL missing of 1.4 mL delivered is a danger, not 'in range'."""
    small = {"daily_dose_mcg": 100, "concentration_mcg_per_ml": 2000}
    found = codes(run(**small, aspirated_ml=17.6))
    assert "residual-far-below-expected" in found
    surplus = codes(run(**small, aspirated_ml=19.59))
    # 0.99 mL more of 1.4 mL delivered: most of the dose never left (review 25b D-2).
    assert surplus["residual-far-above-expected"]["severity"] == "danger"
    assert "shortfall" not in surplus["residual-far-above-expected"]["message"].split("(")[0]


def test_itb_refill_visit_refill_by_counts_to_4_ml_with_a_2_ml_alarm():
    """(20 - 4) / (0.4 x 1.025) = 39.0 days to 4 mL left, (20 - 2) / 0.4 = 45 to the alarm."""
    result = run(alarm_ml=2)
    assert result["days_to_refill_by"] == 39
    assert result["refill_by_date"] == "2026-03-13"
    assert result["alarm_date"] == "2026-03-19"
    assert result["card"]["refill_by_date"] == "2026-03-13"


def test_itb_refill_visit_residual_in_the_studys_band_is_a_caution_not_normal():
    """neurosurgery2004 (sixth review M1): 2.9 mL left above a 2 mL alarm is not reassuring."""
    found = codes(run(alarm_ml=2, aspirated_ml=2.9))
    assert found["residual-in-withdrawal-band"]["severity"] == "caution"
    assert "Ask about withdrawal symptoms" in found["residual-in-withdrawal-band"]["message"]
    # Under 4 mL (re-check M1): 3.99 mL is in the band too.
    assert "residual-in-withdrawal-band" in codes(run(alarm_ml=2, aspirated_ml=3.99))
    # Control: at 4 mL, and at the alarm (the danger instead).
    assert "residual-in-withdrawal-band" not in codes(run(alarm_ml=2, aspirated_ml=4))
    at_alarm = codes(run(alarm_ml=2, aspirated_ml=2))
    assert "residual-in-withdrawal-band" not in at_alarm
    assert at_alarm["residual-at-or-below-alarm"]["severity"] == "danger"
