"""Renal function: Cockcroft-Gault creatinine clearance and the matching baclofen reduction.

References: cockcroft1976 (formula), vlavonou2014 (reductions by clearance band),
wolf2018 (reduce at eGFR 30-60; avoid below 30 or on dialysis), label-tablets.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from . import constants as K
from ._oral import GRANULARITY_REASON
from ._util import exact, fail, number, significant
from .guards import Dose, Guards, Withhold
from .spec import Calculator, Choice, Column, Field, Output, Table, Warnings, format_number

# Input plausibility ranges for serum creatinine, per unit (typing and unit slips, not
# clinical limits). The umol/L range is the mg/dL range converted and rounded.
_CREATININE_RANGE = {
    "mg/dL": K.RENAL_CREATININE_RANGE_MG_DL.value,
    "umol/L": K.RENAL_CREATININE_RANGE_UMOL_L.value,
}
_UNIT_SHOWN = {"mg/dL": "mg/dL", "umol/L": "µmol/L"}


def _band(crcl: Fraction) -> tuple[str, Fraction]:
    """Vlavonou's study group for an exact clearance, and its mean dose reduction.

    The paper's groups are ">80", "50-80", "30-50" and "<30" mL/min: 80 belongs to 50-80
    (mild); 50 stands in both 50-80 and 30-50 and is given the larger reduction (moderate,
    this site's reading); 30 belongs to 30-50 (moderate).
    """
    mild_upper, moderate_upper, severe_upper = K.RENAL_CRCL_BANDS_ML_MIN.value
    mild, moderate, severe = K.RENAL_DOSE_REDUCTION.value
    if crcl > mild_upper:
        return f"above {mild_upper} mL/min: no reduction in the study groups", Fraction(0)
    if crcl > moderate_upper:
        return f"mild ({moderate_upper}–{mild_upper} mL/min)", mild
    if crcl >= severe_upper:
        return f"moderate ({severe_upper}–{moderate_upper} mL/min)", moderate
    return f"severe (below {severe_upper} mL/min)", severe


def _cockcroft_gault(age_years: float, weight_kg: Fraction, scr: Fraction, sex: str) -> Fraction:
    crcl = (K.CG_AGE_OFFSET_YEARS.value - exact(age_years)) * weight_kg / (K.CG_DIVISOR.value * scr)
    return crcl * exact(K.CG_FEMALE_FACTOR.value) if sex == "female" else crcl


_CM_PER_INCH = Fraction(254, 100)
_INCHES_IN_FIVE_FEET = 60


def _weights(
    warnings: Warnings,
    *,
    age_years: float,
    weight_kg: float,
    height_cm: float,
    scr: Fraction,
    sex: str,
) -> list[dict[str, Any]]:
    """The clearance by actual, ideal and adjusted weight side by side, each with its band.

    Ideal weight by Devine; adjusted = ideal + 0.4 x (actual - ideal), shown only when the
    actual weight is above the ideal. A caution (which withholds the dose) when the bands
    differ: the weight the formula takes then decides the dose.

    References: cockcroft1976 (actual weight), devine1974.
    """
    men, women = K.IBW_BASE_KG.value
    inches = exact(height_cm) / _CM_PER_INCH
    ideal = Fraction(men if sex == "male" else women) + Fraction(K.IBW_KG_PER_INCH.value) * (
        inches - _INCHES_IN_FIVE_FEET
    )
    actual = exact(weight_kg)
    rows = [("actual", "Actual weight (as Cockcroft and Gault used)", actual)]
    # Devine's formula counts inches over 5 feet: below 152.4 cm it is not defined.
    if inches >= _INCHES_IN_FIVE_FEET:
        rows.append(("ideal", "Ideal weight (Devine)", ideal))
        if actual > ideal:
            adjusted = ideal + Fraction(K.ADJUSTED_WEIGHT_FACTOR.value) * (actual - ideal)
            rows.append(("adjusted", "Adjusted weight (ideal + 0.4 x excess)", adjusted))
    table: list[dict[str, Any]] = []
    for key, label, weight in rows:
        crcl = _cockcroft_gault(age_years, weight, scr, sex)
        band, _ = _band(crcl)
        table.append(
            {
                "basis": key,
                "weight_basis": label,
                "weight_kg": number(weight, 1),
                "crcl_ml_min": number(crcl, 1),
                "band": band,
            }
        )
    bands = {row["band"] for row in table}
    if len(bands) > 1:
        warnings.add(
            "weight-basis-bands-differ",
            "caution",
            "The clearance falls in different study bands depending on the weight used ("
            + "; ".join(
                f"{row['basis']} {format_number(float(row['weight_kg']), 1)} kg: "
                f"{format_number(float(row['crcl_ml_min']), 1)} mL/min, {row['band']}"
                for row in table
            )
            + "). Cockcroft and Gault used actual weight; which weight Vlavonou 2014 used was "
            "not found in its abstract. The band, and so the dose, depends on a choice the "
            "sources do not settle.",
            "cockcroft1976",
            "devine1974",
            "vlavonou2014",
        )
    return table


def _reliability_warnings(
    warnings: Warnings,
    *,
    crcl: Fraction,
    scr_mg_dl: Fraction,
    age_years: float,
    weight_kg: float,
    height_cm: float | None,
) -> bool:
    """Cautions where Cockcroft-Gault is known to mislead; True if any applies.

    References: hazer2021 (CG "significantly different" from 24-h urine clearance after spinal
    cord injury; CKD-EPI not), cockcroft1976 (derived
    in 249 patients, 96% men). Thresholds are this site's (status D), said so in each message.
    """
    unreliable = False
    low = exact(K.RENAL_LOW_CREATININE_MG_DL.value)
    if scr_mg_dl < low:
        unreliable = True
        # Caution: the formula's answer may be far too high; the reader must check it.
        warnings.add(
            "low-creatinine",
            "caution",
            f"A serum creatinine of {format_number(significant(scr_mg_dl), 3)} mg/dL is low (below "
            f"{format_number(K.RENAL_LOW_CREATININE_MG_DL.value)} mg/dL, this site's threshold). "
            "Low creatinine often reflects low muscle mass (spinal cord injury, multiple "
            "sclerosis, cerebral palsy, frail older people): less creatinine is made, so "
            "Cockcroft-Gault tends to overestimate clearance. After spinal cord injury Hazer 2021 "
            "found it 'significantly different' from a 24-hour urine clearance (CKD-EPI was "
            f"not), and the formula was derived in {K.CG_DERIVATION_PATIENTS.value} patients, "
            f"{format_number(float(K.CG_DERIVATION_MEN_FRACTION.value * 100))}% of them men. The "
            "clearance shown may be too high: do not take a mild or absent reduction from it.",
            "hazer2021",
            "cockcroft1976",
        )
    if height_cm is not None:
        bmi = exact(weight_kg) / (exact(height_cm) / 100) ** 2
        lo, hi = K.RENAL_BMI_RELIABLE_RANGE.value
        if not lo <= bmi < hi:
            unreliable = True
            why = (
                "a low weight usually means low muscle mass, so the creatinine is low and "
                "Cockcroft-Gault tends to overestimate clearance (frailty, spinal cord injury)"
                if bmi < lo
                else "the weight is probably far above lean weight (obesity or oedema), and "
                "Cockcroft-Gault, which multiplies by body weight, tends to overestimate clearance"
            )
            warnings.add(
                "weight-far-from-lean",
                "caution",
                f"A body-mass index of {format_number(number(bmi, 1))} kg/m2 is outside "
                f"{format_number(lo)}–{format_number(hi)} (this site's range): {why}.",
                "cockcroft1976",
                "hazer2021",
            )
    elif exact(weight_kg) < Fraction(K.RENAL_UNDERWEIGHT_ANY_HEIGHT_KG.value):
        unreliable = True
        warnings.add(
            "weight-far-from-lean",
            "caution",
            f"A weight of {format_number(weight_kg)} kg is underweight for any adult of 150 cm "
            f"or more (below {format_number(float(K.RENAL_UNDERWEIGHT_ANY_HEIGHT_KG.value))} "
            "kg, this site's threshold): a low weight usually means low muscle mass, so the "
            "creatinine is low and Cockcroft-Gault tends to overestimate clearance (frailty, "
            "spinal cord injury).",
            *K.RENAL_UNDERWEIGHT_ANY_HEIGHT_KG.sources,
            "hazer2021",
        )
    else:
        warnings.add(
            "weight-unchecked",
            "info",
            "Cockcroft-Gault multiplies by body weight: with obesity, oedema or an amputation "
            "the weight is far from lean weight and the estimate can be far off. Enter the "
            "height to have this checked.",
            "cockcroft1976",
        )
    very_old = K.RENAL_VERY_OLD_YEARS.value
    old_low = exact(K.RENAL_VERY_OLD_LOW_CREATININE_MG_DL.value)
    if age_years >= very_old and low <= scr_mg_dl < old_low:
        unreliable = True
        warnings.add(
            "older-low-creatinine",
            "caution",
            f"At {format_number(age_years)} years a creatinine of "
            f"{format_number(significant(scr_mg_dl), 3)} mg/dL (below "
            f"{format_number(float(old_low))} mg/dL from {very_old} years, this site's "
            "threshold) often reflects little muscle rather than good kidney function: "
            "Cockcroft-Gault then tends to overestimate clearance, and a mild or absent reduction "
            "cannot be taken from it.",
            *K.RENAL_VERY_OLD_YEARS.sources,
        )
    older = K.RENAL_OLDER_AGE_YEARS.value
    high_any, high_older = K.RENAL_IMPLAUSIBLE_CRCL_ML_MIN.value
    limit = high_older if age_years >= older else high_any
    if crcl > limit:
        unreliable = True
        warnings.add(
            "implausibly-high-clearance",
            "caution",
            f"A clearance of {format_number(number(crcl, 1))} mL/min is implausibly high "
            + (f"at {format_number(age_years)} years " if age_years >= older else "")
            + f"(above {limit} mL/min"
            + (f" from {older} years" if age_years >= older else "")
            + ", this site's threshold): check the creatinine, its unit and the weight.",
            "cockcroft1976",
        )
    return unreliable


def _givable_dose(
    warnings: Warnings, planned_daily_mg: float, reduction: Fraction, dose_unit_mg: float
) -> dict[str, Any]:
    """The reduced daily dose, exact and rounded down to whole dose units (stated)."""
    reduced = exact(planned_daily_mg) * (1 - reduction)
    unit = exact(dose_unit_mg)
    givable = (reduced // unit) * unit
    if givable == 0:
        # No dose rather than "0 mg/day", which reads as "stop": an abrupt stop.
        warnings.add(
            "reduced-below-one-unit",
            "caution",
            f"The reduced dose, {format_number(number(reduced))} mg/day, is less than one "
            f"{format_number(dose_unit_mg)} mg unit: choose a smaller unit (an oral liquid) "
            "or review the treatment.",
        )
    return {
        "reduced_daily_mg_exact": number(reduced),
        "reduced_daily_mg": number(givable) if givable else None,
        "rounding": (
            "no givable dose: less than one unit"
            if givable == 0
            else "none needed"
            if givable == reduced
            else f"rounded down from {format_number(number(reduced))} to whole "
            f"{format_number(dose_unit_mg)} mg units"
        ),
    }


def renal_function(
    *,
    age_years: float,
    weight_kg: float,
    height_cm: float | None = None,
    sex: str,
    serum_creatinine: float,
    creatinine_unit: str,
    on_dialysis: str = "no",
    planned_daily_mg: float | None = None,
    dose_unit_mg: float = 5,
) -> dict[str, Any]:
    """Cockcroft-Gault creatinine clearance (mL/min) and the dose reduction for its band.

    CrCl = (140 - age) x weight / (72 x serum creatinine in mg/dL), x 0.85 for women.
    Creatinine in umol/L is divided by 88.4 first. Bands (Vlavonou 2014's own groups by
    Cockcroft-Gault): >80, 50-80, 30-50 and below 30 mL/min, with mean reductions of none,
    1/3, 1/2 and 2/3; 80 is mild, 50 moderate (the larger reduction), 30 moderate. A givable
    dose is withheld when a reliability caution fires (the guards). Every threshold is applied to
    the exact clearance; rounding is for display only. On dialysis no band applies and no dose
    is computed. A reduced daily dose is given exactly and rounded down to whole
    ``dose_unit_mg`` units; below 30 mL/min (avoid) no dose is computed.

    References: cockcroft1976, vlavonou2014, wolf2018, hazer2021, label-tablets.
    """
    lo, hi = _CREATININE_RANGE[creatinine_unit]
    if not lo <= serum_creatinine <= hi:
        other = "umol/L" if creatinine_unit == "mg/dL" else "mg/dL"
        o_lo, o_hi = _CREATININE_RANGE[other]
        hint = f"; is this in {_UNIT_SHOWN[other]}?" if o_lo <= serum_creatinine <= o_hi else ""
        raise fail(
            "serum_creatinine",
            f"Serum creatinine in {_UNIT_SHOWN[creatinine_unit]} must be between "
            f"{format_number(lo)} and {format_number(hi)} (got {serum_creatinine:.12g}){hint}",
        )
    scr = exact(serum_creatinine)
    if creatinine_unit == "umol/L":
        scr = scr / exact(K.CREATININE_UMOL_PER_MG_DL.value)
    warnings = Warnings()
    avoid = K.RENAL_AVOID_BELOW_ML_MIN.value
    reduce_below = K.RENAL_REDUCE_BELOW_ML_MIN.value
    empty: dict[str, Any] = {
        "crcl_ml_min": None,
        "crcl_exact_ml_min": None,
        "crcl_by_weight": [],
        "creatinine_mg_dl": significant(scr),
        "category": None,
        "dose_reduction_fraction": None,
        "dose_reduction_text": None,
        "reduced_daily_mg_exact": None,
        "reduced_daily_mg": None,
        "rounding": None,
    }
    if on_dialysis == "yes":
        # Danger, and alone: no clearance band applies on dialysis, so no reduction is offered.
        warnings.add(
            "avoid-renal",
            "danger",
            f"On dialysis: Wolf 2018 advises avoiding baclofen on dialysis (and below an eGFR of "
            f"{avoid}); baclofen is cleared by the kidney, and its toxicity in kidney failure is "
            "treated with haemodialysis. Cockcroft-Gault does not apply, so no band and no "
            f"dose are computed here. The Canadian label's figure of about "
            f"{K.RENAL_DIALYSIS_DAILY_MG_CA.value} mg/day on dialysis was seen only in a "
            "reproduction (V2) and is not computed.",
            "wolf2018",
            *K.RENAL_DIALYSIS_DAILY_MG_CA.sources,
        )
        return {
            **empty,
            "category": "on dialysis: no clearance band applies",
            "warnings": warnings.items,
            "notes": ["The US label says only that 'it may be necessary to reduce the dosage'."],
        }

    crcl = _cockcroft_gault(age_years, exact(weight_kg), scr, sex)
    category, reduction = _band(crcl)
    unreliable = _reliability_warnings(
        warnings,
        crcl=crcl,
        scr_mg_dl=scr,
        age_years=age_years,
        weight_kg=weight_kg,
        height_cm=height_cm,
    )
    if crcl < avoid:
        warnings.add(
            "avoid-renal",
            "danger",
            f"Clearance below {avoid} mL/min: Wolf 2018 advises avoiding baclofen below an eGFR "
            f"of {avoid} or on dialysis (toxicity: baclofen is cleared by the kidney). "
            "Vlavonou's mean reduction for this group is shown for teaching; no dose is "
            "computed.",
            "wolf2018",
            "vlavonou2014",
        )
    elif crcl < reduce_below:
        warnings.add(
            "reduce-renal",
            "caution",
            f"Wolf 2018 advises a lower dose at an eGFR of {avoid}–{reduce_below}.",
            "wolf2018",
        )
    shown = number(crcl, 1)
    _rounding_note(warnings, crcl, shown)
    warnings.add(
        "crcl-not-egfr",
        "info",
        "This is a Cockcroft-Gault creatinine clearance (mL/min), not an eGFR "
        "(mL/min/1.73 m2). Vlavonou 2014 grouped its patients by Cockcroft-Gault creatinine "
        "clearance (>80, 50-80, 30-50, <30 mL/min: the paper's own bands), as computed here; "
        "Wolf's thresholds are eGFR.",
        "cockcroft1976",
        "vlavonou2014",
        "wolf2018",
    )
    warnings.add(
        "crcl-needs-steady-state",
        "info",
        "Cockcroft-Gault needs a creatinine at steady state: not during acute kidney injury. "
        "The reduction concerns oral (systemic) baclofen. A reduced clearance also lengthens "
        "baclofen's half-life, so titration steps should be slower as well as smaller.",
        "cockcroft1976",
        "vlavonou2014",
    )
    weights: list[dict[str, Any]] = []
    if height_cm is not None:
        weights = _weights(
            warnings,
            age_years=age_years,
            weight_kg=weight_kg,
            height_cm=height_cm,
            scr=scr,
            sex=sex,
        )
    if unreliable and reduction == 0:
        category = (
            f"above {K.RENAL_CRCL_BANDS_ML_MIN.value[0]} mL/min by Cockcroft-Gault, which "
            "probably overestimates clearance here (see the cautions): a reduction may still be "
            "needed"
        )
    result: dict[str, Any] = {
        **empty,
        "crcl_ml_min": shown,
        "crcl_exact_ml_min": number(crcl, 3),
        "category": category,
        "dose_reduction_fraction": number(reduction, 4),
        "dose_reduction_text": _fraction_text(reduction)
        + (" (for teaching: avoid)" if crcl < avoid else "")
        + (" (unreliable estimate)" if unreliable and reduction == 0 else ""),
        "crcl_by_weight": weights,
    }
    if planned_daily_mg is not None and crcl >= avoid:
        result.update(_givable_dose(warnings, planned_daily_mg, reduction, dose_unit_mg))
    result["warnings"] = warnings.items
    result["notes"] = [
        (
            "The bands are Vlavonou's: >80, 50-80, 30-50 and <30 mL/min. 80 is in 50-80; 50, in "
            "both 50-80 and 30-50, is given the larger reduction (this site's reading); 30 is "
            "in 30-50. Thresholds use the exact value."
        ),
        (
            "The band uses the actual weight, as Cockcroft and Gault did; with a height, the "
            "clearance by ideal and adjusted weight is shown beside it."
        ),
        "The reduced dose is rounded down to a givable amount; the exact figure is beside it.",
        "The US label says only that 'it may be necessary to reduce the dosage'.",
    ]
    return result


def _rounding_note(warnings: Warnings, crcl: Fraction, shown: float) -> None:
    """An info note when the rounded clearance sits on the other side of a threshold."""
    mild_upper, moderate_upper, severe_upper = K.RENAL_CRCL_BANDS_ML_MIN.value
    # (boundary, True when a value *on* the boundary counts as below it: 80 and 50 do)
    boundaries = (
        (mild_upper, True),
        (moderate_upper, True),
        (severe_upper, False),
        (K.RENAL_REDUCE_BELOW_ML_MIN.value, False),
    )

    def below(value: Fraction, bound: int, inclusive: bool) -> bool:  # noqa: FBT001
        return value <= bound if inclusive else value < bound

    crossed = sorted(
        bound
        for bound, inclusive in boundaries
        if below(crcl, bound, inclusive) != below(exact(shown), bound, inclusive)
    )
    if crossed:
        bound = crossed[0]
        side = "below" if crcl < bound else "above" if crcl > bound else "exactly"
        warnings.add(
            "rounded-across-threshold",
            "info",
            f"The clearance is {format_number(number(crcl, 3), 3)} mL/min, shown rounded as "
            f"{format_number(shown, 1)}; the bands and thresholds use the exact value, which is "
            f"{side} {bound}.",
        )


def _fraction_text(fraction: Fraction) -> str:
    if fraction == 0:
        return "none"
    return f"{fraction.numerator}/{fraction.denominator}"


_UNITS = (
    Choice(1, "1 mg (oral liquid)"),
    Choice(min(K.TABLET_STRENGTHS_MG.value) / 2, "half tablets"),
    Choice(min(K.TABLET_STRENGTHS_MG.value), "whole tablets"),
)

CALCULATOR = Calculator(
    id="renal-function",
    title="Renal function and dose reduction",
    summary="Cockcroft-Gault creatinine clearance, its study band and the matching reduction.",
    function=renal_function,
    fields=(
        Field(
            "age_years",
            "Age",
            unit="years",
            minimum=18,
            maximum=110,
            step=1,
            default=60,
            help="Cockcroft-Gault is an adult formula.",
            sources=("cockcroft1976",),
        ),
        Field(
            "weight_kg",
            "Weight",
            unit="kg",
            minimum=20,
            maximum=300,
            step=0.1,
            default=70,
            help="Body weight in kilograms, as measured.",
            sources=("cockcroft1976",),
        ),
        Field(
            "height_cm",
            "Height",
            unit="cm",
            minimum=100,
            maximum=250,
            step=1,
            required=False,
            default=None,
            help="Optional: checks whether the weight is far from lean weight (body-mass index).",
        ),
        Field(
            "sex",
            "Sex",
            kind="choice",
            default="female",
            choices=(Choice("female", "Female"), Choice("male", "Male")),
            help=f"Women: x {format_number(K.CG_FEMALE_FACTOR.value)}.",
            sources=("cockcroft1976",),
        ),
        Field(
            "serum_creatinine",
            "Serum creatinine",
            minimum=min(lo for lo, _ in _CREATININE_RANGE.values()),
            maximum=max(hi for _, hi in _CREATININE_RANGE.values()),
            step=0.01,
            default=1.2,
            range_by="creatinine_unit",
            ranges=tuple(
                (unit, _UNIT_SHOWN[unit], lo, hi) for unit, (lo, hi) in _CREATININE_RANGE.items()
            ),
            help="In the unit chosen below: "
            + " or ".join(
                f"{format_number(lo)}-{format_number(hi)} {_UNIT_SHOWN[unit]}"
                for unit, (lo, hi) in _CREATININE_RANGE.items()
            )
            + " are accepted.",
            sources=("cockcroft1976",),
        ),
        Field(
            "creatinine_unit",
            "Creatinine unit",
            kind="choice",
            default="mg/dL",
            choices=(Choice("mg/dL", "mg/dL"), Choice("umol/L", "µmol/L")),
            help=f"1 mg/dL = {format_number(K.CREATININE_UMOL_PER_MG_DL.value)} µmol/L.",
        ),
        Field(
            "on_dialysis",
            "On dialysis",
            kind="choice",
            default="no",
            choices=(Choice("no", "No"), Choice("yes", "Yes")),
            help="Wolf 2018 advises avoiding baclofen on dialysis; no dose is computed then.",
            sources=("wolf2018",),
        ),
        Field(
            "planned_daily_mg",
            "Planned oral daily dose",
            unit="mg/day",
            minimum=K.ORAL_DOSE_GRANULARITY_MG.value,
            maximum=float(K.ORAL_PLAUSIBLE_MAX_DAILY_MG.value),
            step=K.ORAL_DOSE_GRANULARITY_MG.value,
            multiple_of=K.ORAL_DOSE_GRANULARITY_MG.value,
            multiple_reason=GRANULARITY_REASON,
            required=False,
            default=None,
            help="Optional: applies the band's mean reduction to it, exactly and rounded down "
            "to the dose unit below.",
            limit_constants=("ORAL_PLAUSIBLE_MAX_DAILY_MG",),
        ),
        Field(
            "dose_unit_mg",
            "Dose unit for the reduced dose",
            kind="choice",
            unit="mg",
            default=min(K.TABLET_STRENGTHS_MG.value),
            choices=_UNITS,
            help="The reduced daily dose is rounded down to whole units of this amount.",
            sources=("label-tablets",),
        ),
    ),
    outputs=(
        Output("crcl_ml_min", "Creatinine clearance", "mL/min"),
        Output("category", "Band"),
        Output("dose_reduction_text", "Mean dose reduction in this band"),
        Output("reduced_daily_mg", "Reduced daily dose, givable", "mg/day"),
        Output("reduced_daily_mg_exact", "Reduced daily dose, exact", "mg/day"),
        Output("rounding", "Rounding"),
    ),
    tables=(
        Table(
            "crcl_by_weight",
            "Clearance by the weight used",
            (
                Column("weight_basis", "Weight"),
                Column("weight_kg", "kg", "kg"),
                Column("crcl_ml_min", "Clearance", "mL/min"),
                Column("band", "Study band"),
            ),
        ),
    ),
    sources=("cockcroft1976", "vlavonou2014", "wolf2018"),
    guards=Guards(
        doses=(
            Dose("inputs.planned_daily_mg", "oral", "target-daily", "the planned daily dose"),
            Dose("reduced_daily_mg", "oral", "daily", "the reduced daily dose"),
        ),
        withhold=Withhold(
            outputs=("reduced_daily_mg", "reduced_daily_mg_exact", "rounding"),
            measure="Measure the clearance instead (a timed urine collection), or estimate it "
            "by another method, before choosing a dose; if a dose is needed meanwhile, start "
            "low and titrate slowly.",
        ),
    ),
)
