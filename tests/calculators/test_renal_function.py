"""renal-function: Cockcroft-Gault clearance, Vlavonou's bands and Wolf's thresholds."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import VALID_INPUTS, creatinine, field_value

from calculators import CALCULATORS, InputError, calculate

CALC_ID = "renal-function"
SPEC = CALCULATORS[CALC_ID]


def _codes(result):
    return [w["code"] for w in result["warnings"]]


def _male(age, weight, creatinine, **extra):
    return {
        "age_years": age,
        "weight_kg": weight,
        "sex": "male",
        "serum_creatinine": creatinine,
        "creatinine_unit": "mg/dL",
        **extra,
    }


def test_renal_function_cockcroft_gault_by_hand():
    """cockcroft1976: male, 60 y, 72 kg, SCr 1.0 mg/dL: (140 - 60) x 72 / (72 x 1.0) = 80."""
    result = calculate(CALC_ID, _male(60, 72, 1.0))
    assert result["crcl_ml_min"] == 80
    assert result["creatinine_mg_dl"] == 1


def test_renal_function_female_is_fifteen_percent_less():
    """cockcroft1976: the same woman: 80 x 0.85 = 68 mL/min."""
    result = calculate(CALC_ID, {**_male(60, 72, 1.0), "sex": "female"})
    assert result["crcl_ml_min"] == 68


def test_renal_function_micromolar_creatinine_gives_the_same_answer():
    """88.4 umol/L is 1.0 mg/dL, so the clearance is the same 80 mL/min (within 0.1)."""
    result = calculate(CALC_ID, {**_male(60, 72, 88.4), "creatinine_unit": "umol/L"})
    assert abs(result["crcl_ml_min"] - 80) <= 0.1
    assert result["creatinine_mg_dl"] == 1


def test_renal_function_eighty_is_no_reduction():
    """vlavonou2014 bands 50-80 / 30-50 / <30; 80 mL/min is above them: no reduction.

    At age 68, (140 - 68) = 72 cancels the divisor, so CrCl = weight / SCr: 80 / 1.0 = 80.
    """
    result = calculate(CALC_ID, _male(68, 80, 1.0, planned_daily_mg=60))
    assert result["crcl_ml_min"] == 80
    assert result["dose_reduction_text"] == "none"
    assert result["dose_reduction_fraction"] == 0
    assert result["reduced_daily_mg"] == 60
    assert not {"avoid-renal", "reduce-renal"} & set(_codes(result))


def test_renal_function_fifty_is_mild_one_third():
    """vlavonou2014: 50 mL/min (68 y, 50 kg, 1.0) is the mild band, 1/3 less: 60 -> 40 mg/day."""
    result = calculate(CALC_ID, _male(68, 50, 1.0, planned_daily_mg=60))
    assert result["crcl_ml_min"] == 50
    assert result["category"].startswith("mild")
    assert result["dose_reduction_text"] == "1/3"
    assert result["reduced_daily_mg"] == 40
    assert "reduce-renal" in _codes(result)


def test_renal_function_thirty_is_moderate_one_half():
    """vlavonou2014: 30 mL/min (68 y, 90 kg, 3.0) is the moderate band, 1/2: 60 -> 30 mg/day."""
    result = calculate(CALC_ID, _male(68, 90, 3.0, planned_daily_mg=60))
    assert result["crcl_ml_min"] == 30
    assert result["category"].startswith("moderate")
    assert result["dose_reduction_text"] == "1/2"
    assert result["reduced_daily_mg"] == 30
    assert "avoid-renal" not in _codes(result)


def test_renal_function_just_under_thirty_is_severe_and_avoided():
    """vlavonou2014 + wolf2018: 29.9 mL/min is severe (2/3 less) and draws the avoid danger.

    68 y, 89.7 kg, SCr 3.0: 89.7 / 3.0 = 29.9; 60 mg/day less 2/3 is 20 mg/day.
    """
    result = calculate(CALC_ID, _male(68, 89.7, 3.0, planned_daily_mg=60))
    assert result["crcl_ml_min"] == 29.9
    assert result["category"].startswith("severe")
    assert result["dose_reduction_text"] == "2/3"
    assert result["reduced_daily_mg"] == 20
    (warning,) = [w for w in result["warnings"] if w["code"] == "avoid-renal"]
    assert warning["severity"] == "danger"
    assert "wolf2018" in warning["sources"]


def test_renal_function_dialysis_is_avoided_whatever_the_clearance():
    """wolf2018: avoid on dialysis, even when the computed clearance is 80 mL/min."""
    result = calculate(CALC_ID, _male(60, 72, 1.0, on_dialysis="yes"))
    (warning,) = [w for w in result["warnings"] if w["code"] == "avoid-renal"]
    assert warning["severity"] == "danger"
    assert "dialysis" in warning["message"]


def test_renal_function_sixty_is_the_wolf_reduce_threshold():
    """wolf2018: reduce at 30-60; 59.9 draws the caution and 60 does not (68 y, SCr 1.0)."""
    assert "reduce-renal" in _codes(calculate(CALC_ID, _male(68, 59.9, 1.0)))
    assert "reduce-renal" not in _codes(calculate(CALC_ID, _male(68, 60, 1.0)))


def test_renal_function_says_it_is_not_an_egfr():
    """cockcroft1976 / wolf2018: the note that CrCl (mL/min) is not eGFR is always shown."""
    (warning,) = [w for w in calculate(CALC_ID, {})["warnings"] if w["code"] == "crcl-not-egfr"]
    assert {"cockcroft1976", "wolf2018"} <= set(warning["sources"])


def test_renal_function_micromolar_value_in_mg_dl_hints_at_units():
    """88.4 'mg/dL' is a umol/L value: the error names the field, the range, the value, the hint."""
    with pytest.raises(
        InputError,
        match=r"serum_creatinine: Serum creatinine in mg/dL must be between 0\.1 and 20 "
        r"\(got 88\.4\); is this in umol/L\?",
    ):
        calculate(CALC_ID, _male(60, 72, 88.4))


def test_renal_function_mg_dl_value_in_micromolar_hints_at_units():
    """1.0 'umol/L' is a mg/dL value: rejected with the reverse hint."""
    with pytest.raises(
        InputError,
        match=r"serum_creatinine: Serum creatinine in umol/L must be between 9 and 1800 "
        r"\(got 1\); is this in mg/dL\?",
    ):
        calculate(CALC_ID, {**_male(60, 72, 1.0), "creatinine_unit": "umol/L"})


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("age_years", 17, r"Age must be between 18 and 110 years \(got 17\)"),
        ("weight_kg", 301, r"Weight must be between 20 and 300 kg \(got 301\)"),
        ("sex", "x", r"Sex must be one of 'female', 'male' \(got 'x'\)"),
        (
            "planned_daily_mg",
            101,
            r"Planned oral daily dose must be between 0\.5 and 100 mg/day \(got 101\)",
        ),
    ],
)
def test_renal_function_out_of_range_is_an_error(field, value, message):
    """Out-of-range inputs are rejected with the field, the limit and the value."""
    with pytest.raises(InputError, match=rf"{field}: {message}"):
        calculate(CALC_ID, {field: value})


# --- properties ----------------------------------------------------------------------------


@settings(max_examples=150)
@given(inputs=VALID_INPUTS[CALC_ID], other_age=field_value(SPEC.field("age_years")))
def test_renal_function_clearance_falls_with_age(inputs, other_age):
    """Any accepted input: an older patient never has a higher clearance."""
    young, old = sorted((inputs["age_years"], other_age))
    assert (
        calculate(CALC_ID, {**inputs, "age_years": old})["crcl_ml_min"]
        <= calculate(CALC_ID, {**inputs, "age_years": young})["crcl_ml_min"]
    )


@settings(max_examples=150)
@given(inputs=VALID_INPUTS[CALC_ID], other_weight=field_value(SPEC.field("weight_kg")))
def test_renal_function_clearance_rises_with_weight(inputs, other_weight):
    """Any accepted input: a heavier patient never has a lower clearance."""
    light, heavy = sorted((inputs["weight_kg"], other_weight))
    assert (
        calculate(CALC_ID, {**inputs, "weight_kg": heavy})["crcl_ml_min"]
        >= calculate(CALC_ID, {**inputs, "weight_kg": light})["crcl_ml_min"]
    )


@settings(max_examples=150)
@given(inputs=VALID_INPUTS[CALC_ID], data=st.data())
def test_renal_function_clearance_falls_with_creatinine(inputs, data):
    """Any accepted input: higher creatinine never raises CrCl nor lowers the reduction."""
    other = data.draw(creatinine(inputs["creatinine_unit"]))
    low, high = sorted((inputs["serum_creatinine"], other))
    better = calculate(CALC_ID, {**inputs, "serum_creatinine": low})
    worse = calculate(CALC_ID, {**inputs, "serum_creatinine": high})
    assert worse["crcl_ml_min"] <= better["crcl_ml_min"]
    assert worse["dose_reduction_fraction"] >= better["dose_reduction_fraction"]


@settings(max_examples=100)
@given(inputs=VALID_INPUTS[CALC_ID])
def test_renal_function_women_never_exceed_men(inputs):
    """Any accepted input: the female clearance is never above the male one (x 0.85)."""
    female = calculate(CALC_ID, {**inputs, "sex": "female"})
    male = calculate(CALC_ID, {**inputs, "sex": "male"})
    assert female["crcl_ml_min"] <= male["crcl_ml_min"]


@settings(max_examples=150)
@given(inputs=VALID_INPUTS[CALC_ID])
def test_renal_function_reduced_dose_follows_the_band(inputs):
    """Any accepted input: reduced = planned less the band fraction; <30 or dialysis: avoid."""
    result = calculate(CALC_ID, inputs)
    planned = inputs["planned_daily_mg"]
    if planned is None:
        assert result["reduced_daily_mg"] is None
    else:
        assert 0 < result["reduced_daily_mg"] <= planned
        expected = planned * (1 - result["dose_reduction_fraction"])
        assert abs(result["reduced_daily_mg"] - expected) <= 0.01
    if inputs["on_dialysis"] == "yes" or result["crcl_ml_min"] < 29.95:
        assert "avoid-renal" in _codes(result)


def test_renal_function_band_matches_the_clearance_shown():
    """68 y, 89.9 kg, SCr 3.0: CrCl 29.97 shows as 30, so the band is moderate, not severe."""
    result = calculate("renal-function", _male(68, 89.9, 3.0))
    assert result["crcl_ml_min"] == 30
    assert result["category"].startswith("moderate")
    assert "avoid-renal" not in _codes(result)
