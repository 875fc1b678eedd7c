"""renal-function: Cockcroft-Gault clearance, Vlavonou's bands and Wolf's thresholds."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import VALID_INPUTS, creatinine, field_value

from calculators import CALCULATORS, InputError, calculate
from calculators.constants import CREATININE_UMOL_PER_MG_DL

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


def test_renal_function_eighty_is_mild():
    """W3, vlavonou2014 groups >80 / 50-80: 80.0 mL/min is in 50-80, 1/3 less (60 -> 40).

    At age 68, (140 - 68) = 72 cancels the divisor, so CrCl = weight / SCr: 80 / 1.0 = 80.
    """
    result = calculate(CALC_ID, _male(68, 80, 1.0, planned_daily_mg=60))
    assert result["crcl_ml_min"] == 80
    assert result["category"].startswith("mild")
    assert result["dose_reduction_text"] == "1/3"
    assert result["reduced_daily_mg"] == 40


def test_renal_function_just_above_eighty_is_no_reduction():
    """Control: 80.1 mL/min (68 y, 80.1 kg, 1.0) is in the paper's '>80' group: none."""
    result = calculate(CALC_ID, _male(68, 80.1, 1.0, planned_daily_mg=60))
    assert result["dose_reduction_fraction"] == 0
    assert result["reduced_daily_mg"] == 60
    assert not {"avoid-renal", "reduce-renal"} & set(_codes(result))


def test_renal_function_fifty_is_moderate_one_half():
    """vlavonou2014: 50 stands in both 50-80 and 30-50; the larger reduction: 60 -> 30 mg/day."""
    result = calculate(CALC_ID, _male(68, 50, 1.0, planned_daily_mg=60))
    assert result["crcl_ml_min"] == 50
    assert result["category"].startswith("moderate")
    assert result["dose_reduction_text"] == "1/2"
    assert result["reduced_daily_mg"] == 30
    assert "reduce-renal" in _codes(result)
    above = calculate(CALC_ID, _male(68, 50.1, 1.0, planned_daily_mg=60))
    assert above["category"].startswith("mild")


def test_renal_function_thirty_is_moderate_one_half():
    """vlavonou2014: 30 mL/min (68 y, 90 kg, 3.0) is the moderate band, 1/2: 60 -> 30 mg/day."""
    result = calculate(CALC_ID, _male(68, 90, 3.0, planned_daily_mg=60))
    assert result["crcl_ml_min"] == 30
    assert result["category"].startswith("moderate")
    assert result["dose_reduction_text"] == "1/2"
    assert result["reduced_daily_mg"] == 30
    assert "avoid-renal" not in _codes(result)


def test_renal_function_just_under_thirty_is_severe_and_avoided():
    """vlavonou2014 + wolf2018: 29.9 mL/min is severe (2/3) and draws the avoid danger.

    68 y, 89.7 kg, SCr 3.0: 89.7 / 3.0 = 29.9. Below 30 no dose is computed: the 2/3 is
    shown for teaching only, beside a danger that says avoid.
    """
    result = calculate(CALC_ID, _male(68, 89.7, 3.0, planned_daily_mg=60))
    assert result["crcl_ml_min"] == 29.9
    assert result["category"].startswith("severe")
    assert result["dose_reduction_text"] == "2/3 (for teaching: avoid)"
    assert result["reduced_daily_mg"] is None
    assert result["reduced_daily_mg_exact"] is None
    (warning,) = [w for w in result["warnings"] if w["code"] == "avoid-renal"]
    assert warning["severity"] == "danger"
    assert "wolf2018" in warning["sources"]
    assert "no dose is computed" in warning["message"]


def test_renal_function_dialysis_danger_stands_alone():
    """wolf2018: on dialysis no band, no reduction and no dose; one danger, with the CA figure."""
    result = calculate(CALC_ID, _male(60, 72, 1.0, on_dialysis="yes", planned_daily_mg=60))
    assert [(w["code"], w["severity"]) for w in result["warnings"]] == [("avoid-renal", "danger")]
    (warning,) = result["warnings"]
    assert "dialysis" in warning["message"]
    assert "haemodialysis" in warning["message"]
    assert "about 5 mg/day" in warning["message"]
    assert "(V2) and is not computed" in warning["message"]
    assert {"wolf2018", "ca-monograph"} <= set(warning["sources"])
    for key in (
        "crcl_ml_min",
        "dose_reduction_text",
        "dose_reduction_fraction",
        "reduced_daily_mg",
        "reduced_daily_mg_exact",
    ):
        assert result[key] is None, key
    assert "no clearance band" in result["category"]


def test_renal_function_not_on_dialysis_control():
    """Control: the same patient off dialysis gets a clearance and no avoid danger."""
    result = calculate(CALC_ID, _male(60, 72, 1.0, planned_daily_mg=60))
    assert result["crcl_ml_min"] == 80
    assert "avoid-renal" not in _codes(result)


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
        r"\(got 88\.4\); is this in µmol/L\?",
    ):
        calculate(CALC_ID, _male(60, 72, 88.4))


def test_renal_function_mg_dl_value_in_micromolar_hints_at_units():
    """1.0 'umol/L' is a mg/dL value: rejected with the reverse hint."""
    with pytest.raises(
        InputError,
        match=r"serum_creatinine: Serum creatinine in µmol/L must be between 8.84 and 1768 "
        r"\(got 1\); is this in mg/dL\?",
    ):
        calculate(CALC_ID, {**_male(60, 72, 1.0), "creatinine_unit": "umol/L"})


@pytest.mark.parametrize(
    ("unit", "typed", "message"),
    [
        ("mg/dL", "-5", r"Serum creatinine in mg/dL must be between 0\.1 and 20 \(got -5\)$"),
        ("umol/L", "-5", r"Serum creatinine in µmol/L must be between 8\.84 and 1768 \(got -5\)$"),
        ("mg/dL", "3000", r"in mg/dL must be between 0\.1 and 20 \(got 3000\)$"),
        ("umol/L", "0.004", r"in µmol/L must be between 8\.84 and 1768 \(got 0\.004\)$"),
        ("mg/dL", "150", r"in mg/dL must be between 0\.1 and 20 \(got 150\); is this in µmol/L\?$"),
    ],
)
def test_renal_function_creatinine_range_is_the_chosen_units(unit, typed, message):
    """QA D24: out of range, the message gives the chosen unit's range, not both merged.

    "must be between 0.1 and 1800 (got -5)" named no unit and mixed two units' bounds.
    """
    with pytest.raises(InputError) as excinfo:
        calculate(CALC_ID, {"serum_creatinine": typed, "creatinine_unit": unit})
    (error,) = excinfo.value.errors
    assert error.field == "serum_creatinine"
    assert re.search(message, error.message), error.message
    assert "1768" not in error.message or unit == "umol/L"


def test_renal_function_creatinine_with_an_unknown_unit_gets_the_envelope():
    """With no valid unit, the creatinine is checked against every unit's range.

    Both fields are named.
    """
    with pytest.raises(InputError) as excinfo:
        calculate(CALC_ID, {"serum_creatinine": "3000", "creatinine_unit": "mmol/L"})
    assert [e.field for e in excinfo.value.errors] == ["serum_creatinine", "creatinine_unit"]
    assert "between 0.1 and 20 mg/dL or between 8.84 and 1768 µmol/L (got 3000)" in (
        excinfo.value.errors[0].message
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("age_years", 17, r"Age must be between 18 and 110 years \(got 17\)"),
        ("weight_kg", 301, r"Weight must be between 20 and 300 kg \(got 301\)"),
        ("sex", "x", r"Sex must be one of 'female', 'male' \(got 'x'\)"),
        (
            "planned_daily_mg",
            201,
            r"Planned oral daily dose must be between 0\.5 and 200 mg/day \(got 201\)",
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
    inputs = {**inputs, "on_dialysis": "no"}
    assert (
        calculate(CALC_ID, {**inputs, "age_years": old})["crcl_ml_min"]
        <= calculate(CALC_ID, {**inputs, "age_years": young})["crcl_ml_min"]
    )


@settings(max_examples=150)
@given(inputs=VALID_INPUTS[CALC_ID], other_weight=field_value(SPEC.field("weight_kg")))
def test_renal_function_clearance_rises_with_weight(inputs, other_weight):
    """Any accepted input: a heavier patient never has a lower clearance."""
    light, heavy = sorted((inputs["weight_kg"], other_weight))
    inputs = {**inputs, "on_dialysis": "no"}
    assert (
        calculate(CALC_ID, {**inputs, "weight_kg": heavy})["crcl_ml_min"]
        >= calculate(CALC_ID, {**inputs, "weight_kg": light})["crcl_ml_min"]
    )


@settings(max_examples=150)
@given(inputs=VALID_INPUTS[CALC_ID], data=st.data())
def test_renal_function_clearance_falls_with_creatinine(inputs, data):
    """Any accepted input: higher creatinine never raises CrCl nor lowers the reduction."""
    other = data.draw(creatinine(inputs["creatinine_unit"]))
    inputs = {**inputs, "on_dialysis": "no"}
    low, high = sorted((inputs["serum_creatinine"], other))
    better = calculate(CALC_ID, {**inputs, "serum_creatinine": low})
    worse = calculate(CALC_ID, {**inputs, "serum_creatinine": high})
    assert worse["crcl_ml_min"] <= better["crcl_ml_min"]
    assert worse["dose_reduction_fraction"] >= better["dose_reduction_fraction"]


@settings(max_examples=100)
@given(inputs=VALID_INPUTS[CALC_ID])
def test_renal_function_women_never_exceed_men(inputs):
    """Any accepted input: the female clearance is never above the male one (x 0.85)."""
    inputs = {**inputs, "on_dialysis": "no"}
    female = calculate(CALC_ID, {**inputs, "sex": "female"})
    male = calculate(CALC_ID, {**inputs, "sex": "male"})
    assert female["crcl_ml_min"] <= male["crcl_ml_min"]


@settings(max_examples=150)
@given(inputs=VALID_INPUTS[CALC_ID])
def test_renal_function_reduced_dose_follows_the_band(inputs):
    """Any accepted input: givable <= exact = planned less the band; <30 or dialysis: no dose."""
    result = calculate(CALC_ID, inputs)
    planned = inputs["planned_daily_mg"]
    avoided = inputs["on_dialysis"] == "yes" or result["crcl_exact_ml_min"] < 30
    if avoided:
        assert "avoid-renal" in _codes(result)
    withheld = "dose-withheld" in _codes(result)
    if planned is None or avoided or withheld:
        assert result["reduced_daily_mg"] is None
    elif result["reduced_daily_mg"] is None:  # less than one unit: no dose, never "0" (M-i)
        assert result["reduced_daily_mg_exact"] < inputs["dose_unit_mg"]
        assert "reduced-below-one-unit" in _codes(result)
    else:
        exact = result["reduced_daily_mg_exact"]
        assert abs(exact - planned * (1 - result["dose_reduction_fraction"])) <= 0.01
        assert 0 <= result["reduced_daily_mg"] <= exact + 1e-9
        assert exact - result["reduced_daily_mg"] < inputs["dose_unit_mg"]
        units = result["reduced_daily_mg"] / inputs["dose_unit_mg"]
        assert abs(units - round(units)) < 1e-9


def test_renal_function_thresholds_use_the_exact_value_not_the_display():
    """68 y, 89.9 kg, SCr 3.0: CrCl 29.967 shows as 30, but is below 30: severe, avoid."""
    result = calculate(CALC_ID, _male(68, 89.9, 3.0))
    assert result["crcl_ml_min"] == 30
    assert result["crcl_exact_ml_min"] == 29.967
    assert result["category"].startswith("severe")
    assert "avoid-renal" in _codes(result)
    (note,) = [w for w in result["warnings"] if w["code"] == "rounded-across-threshold"]
    assert note["severity"] == "info"
    assert "below 30" in note["message"]


def test_renal_function_exactly_thirty_is_moderate_without_a_rounding_note():
    """Control: exactly 30.0 (68 y, 90 kg, SCr 3.0) is moderate and needs no rounding note."""
    result = calculate(CALC_ID, _male(68, 90, 3.0))
    assert result["category"].startswith("moderate")
    assert "rounded-across-threshold" not in _codes(result)


def test_renal_function_reduced_dose_is_rounded_down_to_a_givable_amount():
    """vlavonou2014 mild (1/3): 50 mg/day -> 33.33 exact; 30 in 5 mg units, 32.5 in halves."""
    base = _male(68, 51, 1.0, planned_daily_mg=50)
    whole = calculate(CALC_ID, base)
    assert whole["reduced_daily_mg_exact"] == 33.33
    assert whole["reduced_daily_mg"] == 30
    assert whole["rounding"] == "rounded down from 33.33 to whole 5 mg units"
    halves = calculate(CALC_ID, {**base, "dose_unit_mg": 2.5})
    assert halves["reduced_daily_mg"] == 32.5
    liquid = calculate(CALC_ID, {**base, "dose_unit_mg": 1})
    assert liquid["reduced_daily_mg"] == 33


def test_renal_function_exact_reduction_needs_no_rounding():
    """Control: 60 mg/day less 1/3 is 40 exactly: no rounding said."""
    result = calculate(CALC_ID, _male(68, 51, 1.0, planned_daily_mg=60))
    assert result["reduced_daily_mg"] == result["reduced_daily_mg_exact"] == 40
    assert result["rounding"] == "none needed"


def test_renal_function_reduced_dose_below_one_unit_is_a_caution():
    """Moderate (1/2): 5 mg/day -> 2.5 mg, less than one 5 mg unit: no dose (M-i), a caution."""
    result = calculate(CALC_ID, _male(68, 90, 3.0, planned_daily_mg=5))
    assert result["reduced_daily_mg"] is None
    assert result["rounding"] == "no givable dose: less than one unit"
    (warning,) = [w for w in result["warnings"] if w["code"] == "reduced-below-one-unit"]
    assert warning["severity"] == "caution"
    assert "reduced-below-one-unit" not in _codes(
        calculate(CALC_ID, _male(68, 90, 3.0, planned_daily_mg=10))
    )


# --- where Cockcroft-Gault misleads --------------------------------------------------------


def test_renal_function_frail_elderly_with_low_creatinine_is_not_reassuring():
    """hazer2021, cockcroft1976: 85 y, 50 kg woman, SCr 0.3 -> 108 mL/min is flagged, not fine.

    (140 - 85) x 50 / (72 x 0.3) x 0.85 = 108.2 mL/min: the formula's answer, which low
    muscle mass makes too high; the result must not read as 'no reduction'.
    """
    result = calculate(
        CALC_ID,
        {
            "age_years": 85,
            "weight_kg": 50,
            "sex": "female",
            "serum_creatinine": 0.3,
            "creatinine_unit": "mg/dL",
            "planned_daily_mg": 30,
        },
    )
    assert result["crcl_ml_min"] == 108.2
    codes = _codes(result)
    assert {"low-creatinine", "implausibly-high-clearance"} <= set(codes)
    (low,) = [w for w in result["warnings"] if w["code"] == "low-creatinine"]
    assert low["severity"] == "caution"
    assert {"hazer2021", "cockcroft1976"} <= set(low["sources"])
    assert "this site's threshold" in low["message"]
    assert "249 patients, 96% of them men" in low["message"]
    assert "a reduction may still be needed" in result["category"]
    assert "unreliable" in result["dose_reduction_text"]
    # D2: no givable dose under the calculator's own distrust; what to measure instead.
    assert result["reduced_daily_mg"] is None
    assert result["reduced_daily_mg_exact"] is None
    withheld = [w for w in result["warnings"] if w["code"] == "dose-withheld"]
    assert "timed urine collection" in withheld[0]["message"]


@pytest.mark.parametrize(("scr", "fires"), [(0.69, True), (0.7, False)])
def test_renal_function_low_creatinine_threshold(scr, fires):
    """The low-creatinine caution fires below 0.7 mg/dL (this site's threshold), not at it."""
    result = calculate(CALC_ID, _male(40, 70, scr))
    assert ("low-creatinine" in _codes(result)) is fires


def test_renal_function_low_creatinine_in_micromolar():
    """The threshold applies after conversion: 61 umol/L (0.69 mg/dL) fires, 62 does not."""
    low = calculate(CALC_ID, {**_male(40, 70, 61), "creatinine_unit": "umol/L"})
    ok = calculate(CALC_ID, {**_male(40, 70, 62), "creatinine_unit": "umol/L"})
    assert "low-creatinine" in _codes(low)
    assert "low-creatinine" not in _codes(ok)


@pytest.mark.parametrize(
    ("weight", "fires"), [(53.4, True), (53.5, False), (86.6, False), (86.7, True)]
)
def test_renal_function_weight_far_from_lean_by_body_mass_index(weight, fires):
    """At 170 cm, BMI 18.5 is 53.47 kg and 30 is 86.7 kg: outside 18.5-30 draws a caution."""
    result = calculate(CALC_ID, _male(60, weight, 1.0, height_cm=170))
    assert ("weight-far-from-lean" in _codes(result)) is fires
    assert "weight-unchecked" not in _codes(result)


def test_renal_function_without_height_says_weight_is_unchecked():
    """Without a height the weight cannot be checked: an info says what would mislead."""
    result = calculate(CALC_ID, _male(60, 70, 1.0))
    (note,) = [w for w in result["warnings"] if w["code"] == "weight-unchecked"]
    assert note["severity"] == "info"


@pytest.mark.parametrize(
    ("age", "weight", "fires"),
    [
        # From 65 years: above 100 mL/min. 65 y, SCr 1.0: CrCl = 75 x weight / 72.
        (65, 96, False),  # 100.0
        (65, 96.1, True),  # 100.1
        # Below 65: above 170 mL/min (M-h). 40 y: CrCl = 100 x weight / 72.
        (40, 122.4, False),  # 170.0
        (40, 122.5, True),  # 170.1
    ],
)
def test_renal_function_implausibly_high_clearance_for_the_age(age, weight, fires):
    """A clearance above this site's thresholds for the age draws a caution."""
    result = calculate(CALC_ID, _male(age, weight, 1.0))
    assert ("implausibly-high-clearance" in _codes(result)) is fires


def test_renal_function_no_reduction_reads_plainly_when_the_estimate_is_plausible():
    """Control: 80 mL/min with normal creatinine and a checked weight says 'none', no caveat."""
    result = calculate(CALC_ID, _male(68, 81, 1.0, height_cm=180))
    assert result["dose_reduction_text"] == "none"
    assert result["category"].startswith("above 80 mL/min: no reduction")


def test_renal_function_measured_values_take_any_decimal():
    """A creatinine of 1.458 mg/dL, a weight of 70.25 kg and an age of 70.5 are taken as typed."""
    result = calculate(CALC_ID, _male(70.5, 70.25, 1.458))
    expected = (140 - 70.5) * 70.25 / (72 * 1.458)
    assert result["crcl_ml_min"] == round(expected, 1)


def test_renal_function_both_units_accept_the_same_creatinines():
    """Review 25b W-3: the µmol/L range is the mg/dL range x 88.4.

    So no value is accepted in one unit and refused in the other (1800 µmol/L is 20.4 mg/dL).
    """
    calc = CALCULATORS[CALC_ID]
    ranges = {unit: (lo, hi) for unit, _, lo, hi in calc.field("serum_creatinine").ranges}
    factor = CREATININE_UMOL_PER_MG_DL.value
    assert ranges["umol/L"][0] == pytest.approx(ranges["mg/dL"][0] * factor)
    assert ranges["umol/L"][1] == pytest.approx(ranges["mg/dL"][1] * factor)
    with pytest.raises(InputError):
        calculate(CALC_ID, {"serum_creatinine": 1800, "creatinine_unit": "umol/L"})
