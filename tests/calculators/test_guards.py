"""The engine's guards (calculators/guards.py) and the third review's display findings.

The hazard register's examples (test_hazards.py) show each control fire and stay quiet just
inside its limit; these tests pin what the messages say and the pieces the guards rely on.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from strategies import VALID_INPUTS

from calculators import CALCULATORS, calculate
from calculators.guards import Dose, Guards, apply_guards, values_at
from calculators.hazards import DISTRUSTING_CODES
from calculators.present import pump_card, pump_card_html, to_text
from calculators.validation import KNOWN_ANSWERS


def _warnings(result):
    return {w["code"]: w for w in result["warnings"]}


def test_guards_values_at_walks_dicts_and_lists():
    """Paths: 'a.b' walks dicts, 'a[].b' each item (1-based place), None and missing left out."""
    result = {"inputs": {"x": 2, "items": [{"v": 1}, {"v": None}, {"v": 3}]}, "y": None}
    assert values_at(result, "inputs.x") == [("", 2)]
    assert values_at(result, "inputs.items[].v") == [("1", 1), ("3", 3)]
    assert values_at(result, "y") == []
    assert values_at(result, "nowhere.deep") == []


@pytest.mark.parametrize("calc_id", list(CALCULATORS))
def test_guards_every_declared_path_is_in_the_result(calc_id):
    """Each path a calculator declares names a key its result (or its inputs) really has."""
    calc = CALCULATORS[calc_id]
    assert calc.guards is not None, f"{calc_id} declares nothing to the guards"
    result = calculate(calc_id, {})
    for path in calc.guards.paths():
        head, _, rest = path.partition(".")
        node = result["inputs"] if head == "inputs" else result
        key = (rest or head).split(".")[0].removesuffix("[]")
        if head != "inputs":
            key = head.removesuffix("[]")
        assert key in node, (calc_id, path)


def test_guards_tenfold_names_the_per_hour_signature():
    """200 -> 8.3 mcg/day is about /24: the message names a per-hour figure read as per day."""
    result = calculate("itb-refill-visit", {"new_daily_dose_mcg": 8.3})
    warning = _warnings(result)["change-tenfold"]
    assert warning["severity"] == "danger"
    assert "A factor of about 24" in warning["message"]
    assert "abrupt stop" in warning["message"]


def test_guards_tenfold_names_the_mg_mcg_signature():
    """1 -> 1000 mcg/day (x1000) names the mg/mcg slip."""
    result = calculate("itb-refill-visit", {"daily_dose_mcg": 1, "new_daily_dose_mcg": 1000})
    assert "A factor of about 1000" in _warnings(result)["change-tenfold"]["message"]


def test_guards_tenfold_replaces_the_label_range_caution():
    """A tenfold change is a danger only, not also 'outside the label range'."""
    found = _warnings(calculate("itb-refill-visit", {"new_daily_dose_mcg": 2000}))
    assert "change-tenfold" in found
    assert "dose-change-outside-label-range" not in found


def test_guards_display_guard_refuses_a_negative_volume():
    """Control for the display guard: a negative declared output is an internal error."""
    result = {"warnings": [], "volume_ml": -0.1}
    with pytest.raises(AssertionError, match="volume_ml is negative"):
        apply_guards(result, Guards(nonnegative=("volume_ml",)))
    apply_guards({"warnings": [], "volume_ml": 0}, Guards(nonnegative=("volume_ml",)))


def test_guards_a_new_calculator_inherits_the_iv_ceiling():
    """Any result that declares an IV single dose gets the ceiling, whatever computed it."""
    result = {"warnings": [], "dose_mg": 15.5}
    apply_guards(result, Guards(doses=(Dose("dose_mg", "iv", "single", "the dose"),)))
    assert [w["code"] for w in result["warnings"]] == ["iv-single-dose-above-studied"]


def test_guards_dangers_come_first():
    """Warnings are ordered danger, caution, info."""
    result = calculate("oral-to-iv", {"oral_daily_mg": 100})
    order = {"danger": 0, "caution": 1, "info": 2}
    severities = [order[w["severity"]] for w in result["warnings"]]
    assert severities == sorted(severities)
    assert severities[0] == 0


def test_guards_iv_danger_says_no_regimen_was_studied():
    """D1: 74 mg/day in 3 doses is 24.67 mg each: danger naming 15 mg and the infusion."""
    result = calculate("oral-to-iv", {"oral_daily_mg": 100, "doses_per_day": 3})
    warning = _warnings(result)["iv-single-dose-above-studied"]
    assert "15 mg, the largest single dose studied (a 10-minute infusion" in warning["message"]
    assert "no repeated-dose intravenous regimen was studied" in warning["message"]
    assert any("10 minutes or 60 minutes" in note for note in result["notes"])


def test_guards_concentration_change_short_duration_is_never_zero():
    """W5: 0.01 mL at 500 mcg/mL and 5000 mcg/day lasts 1.44 minutes, not '0 hours'."""
    result = calculate(
        "itb-concentration-change",
        {
            "daily_dose_mcg": 5000,
            "old_concentration_mcg_per_ml": 2000,
            "new_concentration_mcg_per_ml": 500,
            "fluid_path_ml": 0.01,
        },
    )
    message = _warnings(result)["unbridged-overdose"]["message"]
    assert "for about 1.4 minutes (0.024 h)" in message
    assert "0 hours" not in message
    assert result["unbridged_hours"] == 0.024


def test_guards_flex_formula_shows_rates_as_typed():
    """W4: 8.3333 x 24 + 1000 is 1199.9992, and the formula says so (not 8.33 ... = 1200)."""
    result = calculate(
        "itb-flex-schedule",
        {
            "intended_daily_mcg": 1200,
            "steps": [{"start_hours": 0, "duration_hours": 24, "rate_mcg_per_hour": 8.3333}],
            "boluses": [{"time_hours": 8, "dose_mcg": 1000}],
        },
    )
    assert result["formula"] == "8.3333 x 24 h + 1000 (bolus) = 1199.9992 mcg"
    assert result["difference_mcg"] == -0.0008
    note = _warnings(result)["total-rounding-difference"]["message"]
    assert "by 0.0008 mcg" in note


def test_guards_flex_slip_names_only_a_step_at_a_daily_rate():
    """M10, fourth review M2: 25 and 60 mcg/h against 600/day are per-hour rates, not slips."""

    def flex(intended, steps):
        return _warnings(
            calculate(
                "itb-flex-schedule",
                {"intended_daily_mcg": intended, "steps": steps, "boluses": []},
            )
        )

    two = [
        {"start_hours": 0, "duration_hours": 22, "rate_mcg_per_hour": 25},
        {"start_hours": 22, "duration_hours": 2, "rate_mcg_per_hour": 60},
    ]
    found = flex(600, two)
    assert "per-hour-per-day-slip" not in found
    assert found["total-differs-from-intended"]["severity"] == "caution"
    small = [
        {"start_hours": 0, "duration_hours": 22, "rate_mcg_per_hour": 2.5},
        {"start_hours": 22, "duration_hours": 2, "rate_mcg_per_hour": 5},
    ]
    assert "per-hour-per-day-slip" not in flex(60, small)
    slip = [
        {"start_hours": 0, "duration_hours": 22, "rate_mcg_per_hour": 25},
        {"start_hours": 22, "duration_hours": 2, "rate_mcg_per_hour": 300},
    ]
    message = flex(600, slip)["per-hour-per-day-slip"]["message"]
    assert "step 2 runs at 300 mcg/hour" in message
    assert "step 1" not in message


def test_guards_pump_card_carries_reservoir_alarm_and_withdrawal_signs():
    """M9: the card names the reservoir and alarm volume; its HTML the early withdrawal signs."""
    result = calculate("itb-refill", {"refill_date": "2026-12-20", "alarm_ml": 2})
    lines = dict(pump_card(result))
    assert lines["Reservoir"] == "20 mL"
    assert lines["Low-reservoir alarm set at"] == "2 mL"
    html = pump_card_html(result, "references.md")
    assert "Early signs of withdrawal" in html
    assert "never stop intrathecal baclofen abruptly" in html


def test_guards_renal_weights_side_by_side():
    """MedCalc-Bench case: 45 y woman, 58 kg, 156 cm, SCr 0.7: 92.9 actual, 78.1 ideal."""
    result = calculate(
        "renal-function",
        {
            "age_years": 45,
            "weight_kg": 58,
            "height_cm": 156,
            "sex": "female",
            "serum_creatinine": 0.7,
            "planned_daily_mg": 60,
        },
    )
    rows = {row["basis"]: row for row in result["crcl_by_weight"]}
    assert rows["actual"]["crcl_ml_min"] == 92.9
    assert rows["ideal"]["crcl_ml_min"] == 78.1
    assert rows["ideal"]["band"].startswith("mild")
    warning = _warnings(result)["weight-basis-bands-differ"]
    assert "Cockcroft and Gault used actual weight" in warning["message"]
    assert "not found in its abstract" in warning["message"]
    assert result["reduced_daily_mg"] is None


def test_guards_renal_weights_agreeing_raise_nothing():
    """Control: 70 y man, 70 kg, 175 cm, SCr 1.8: every weight gives the moderate band."""
    result = calculate(
        "renal-function",
        {
            "age_years": 70,
            "weight_kg": 70,
            "height_cm": 175,
            "sex": "male",
            "serum_creatinine": 1.8,
            "planned_daily_mg": 60,
        },
    )
    assert "weight-basis-bands-differ" not in _warnings(result)
    assert result["reduced_daily_mg"] == 30


def test_guards_underweight_message_says_overestimate():
    """W6: BMI 17.5 says low muscle mass makes the formula overestimate, not 'obesity'."""
    result = calculate(
        "renal-function",
        {
            "age_years": 88,
            "weight_kg": 42,
            "height_cm": 155,
            "sex": "female",
            "serum_creatinine": 0.8,
            "planned_daily_mg": 30,
        },
    )
    message = _warnings(result)["weight-far-from-lean"]["message"]
    assert "low muscle mass" in message
    assert "overestimate" in message
    assert result["reduced_daily_mg"] is None


def test_guards_renal_bands_are_the_papers_own():
    """X1: the info note calls the bands Vlavonou's own, not an inference."""
    message = _warnings(calculate("renal-function", {}))["crcl-not-egfr"]["message"]
    assert "the paper's own bands" in message
    assert "inference" not in message


@settings(max_examples=200)
@given(inputs=VALID_INPUTS["renal-function"])
def test_guards_no_givable_dose_under_a_distrusting_caution(inputs):
    """Any accepted input: when a distrusting caution fires, no givable dose is shown."""
    result = calculate("renal-function", inputs)
    if {w["code"] for w in result["warnings"]} & DISTRUSTING_CODES:
        assert result["reduced_daily_mg"] is None
        assert result["reduced_daily_mg_exact"] is None


@pytest.mark.parametrize("answer", KNOWN_ANSWERS, ids=lambda a: f"{a.calculator}-{a.output}")
def test_guards_known_answers_from_the_sources(answer):
    """Each worked example of calculators/validation.py: the engine gives the source's value."""
    assert calculate(answer.calculator, answer.inputs)[answer.output] == answer.expected


def test_guards_display_never_shows_a_nonzero_as_zero():
    """W-a: a 0.0000002% difference reads 'less than 0.000001', never '0'; a true 0 reads 0."""
    one_step = [{"start_hours": 0, "duration_hours": 24, "rate_mcg_per_hour": 16.6666667}]
    result = calculate(
        "itb-flex-schedule", {"intended_daily_mcg": 400, "steps": one_step, "boluses": []}
    )
    text = to_text(result)
    assert "Difference: less than 0.000001 %" in text
    assert "(less than 0.000001%)" in _warnings(result)["total-rounding-difference"]["message"]
    assert "00:00-24:00" in text
    exact = to_text(calculate("itb-flex-schedule", {}))
    assert "Difference: 0 %" in exact
