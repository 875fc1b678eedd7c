"""Renal function: Cockcroft-Gault creatinine clearance and the matching baclofen reduction.

References: cockcroft1976 (formula), vlavonou2014 (reductions by clearance band),
wolf2018 (reduce at eGFR 30-60; avoid below 30 or on dialysis), label-tablets.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from . import constants as K
from ._util import exact, fail, number
from .spec import Calculator, Choice, Field, Output, Warnings, format_number

# Input plausibility ranges for serum creatinine, per unit (typing and unit slips, not
# clinical limits). The umol/L range is the mg/dL range converted and rounded.
_CREATININE_RANGE = {"mg/dL": (0.1, 20.0), "umol/L": (9.0, 1800.0)}


def _band(crcl: Fraction) -> tuple[str, Fraction]:
    """Vlavonou's study band for a clearance, and its mean dose reduction."""
    mild_upper, moderate_upper, severe_upper = K.RENAL_CRCL_BANDS_ML_MIN.value
    mild, moderate, severe = (
        Fraction(v).limit_denominator(10) for v in K.RENAL_DOSE_REDUCTION.value
    )
    if crcl >= mild_upper:
        return f"{mild_upper} mL/min or more: no reduction in the study bands", Fraction(0)
    if crcl >= moderate_upper:
        return f"mild ({moderate_upper}–{mild_upper} mL/min)", mild
    if crcl >= severe_upper:
        return f"moderate ({severe_upper}–{moderate_upper} mL/min)", moderate
    return f"severe (below {severe_upper} mL/min)", severe


def renal_function(
    *,
    age_years: int,
    weight_kg: float,
    sex: str,
    serum_creatinine: float,
    creatinine_unit: str,
    on_dialysis: str = "no",
    planned_daily_mg: float | None = None,
) -> dict[str, Any]:
    """Cockcroft-Gault creatinine clearance (mL/min) and the dose reduction for its band.

    CrCl = (140 - age) x weight / (72 x serum creatinine in mg/dL), x 0.85 for women.
    Creatinine in umol/L is divided by 88.4 first. Bands (Vlavonou 2014): 50-80, 30-50 and
    below 30 mL/min, with mean reductions of 1/3, 1/2 and 2/3; a value on a boundary goes to
    the milder band. Bands are read from the clearance rounded to 0.1 mL/min, as shown.

    References: cockcroft1976, vlavonou2014, wolf2018, label-tablets.
    """
    lo, hi = _CREATININE_RANGE[creatinine_unit]
    if not lo <= serum_creatinine <= hi:
        other = "umol/L" if creatinine_unit == "mg/dL" else "mg/dL"
        o_lo, o_hi = _CREATININE_RANGE[other]
        hint = f"; is this in {other}?" if o_lo <= serum_creatinine <= o_hi else ""
        raise fail(
            "serum_creatinine",
            f"Serum creatinine in {creatinine_unit} must be between {format_number(lo)} and "
            f"{format_number(hi)} (got {format_number(serum_creatinine)}){hint}",
        )
    scr = exact(serum_creatinine)
    if creatinine_unit == "umol/L":
        scr = scr / exact(K.CREATININE_UMOL_PER_MG_DL.value)
    crcl = (K.CG_AGE_OFFSET_YEARS.value - age_years) * exact(weight_kg) / (K.CG_DIVISOR.value * scr)
    if sex == "female":
        crcl *= exact(K.CG_FEMALE_FACTOR.value)
    # The band is read from the clearance as shown (0.1 mL/min), so that a displayed "30"
    # never sits beside "below 30".
    shown = exact(number(crcl, 1))
    category, reduction = _band(shown)
    warnings = Warnings()
    avoid = K.RENAL_AVOID_BELOW_ML_MIN.value
    reduce_below = K.RENAL_REDUCE_BELOW_ML_MIN.value
    if on_dialysis == "yes" or shown < avoid:
        reason = "on dialysis" if on_dialysis == "yes" else f"below {avoid} mL/min"
        warnings.add(
            "avoid-renal",
            "danger",
            f"Kidney function {reason}: Wolf 2018 advises avoiding baclofen below an eGFR of "
            f"{avoid} or on dialysis (toxicity: baclofen is cleared by the kidney). Vlavonou's "
            "reduction for this band is shown for teaching, not as a dose to give.",
            "wolf2018",
            "vlavonou2014",
        )
    elif shown < reduce_below:
        warnings.add(
            "reduce-renal",
            "caution",
            f"Wolf 2018 advises a lower dose at an eGFR of {avoid}–{reduce_below}.",
            "wolf2018",
        )
    warnings.add(
        "crcl-not-egfr",
        "info",
        "This is a Cockcroft-Gault creatinine clearance (mL/min), not an eGFR "
        "(mL/min/1.73 m2); Vlavonou's bands use creatinine clearance, Wolf's thresholds eGFR.",
        "cockcroft1976",
        "vlavonou2014",
        "wolf2018",
    )
    return {
        "crcl_ml_min": number(crcl, 1),
        "creatinine_mg_dl": number(scr, 2),
        "category": category,
        "dose_reduction_fraction": number(reduction, 4),
        "dose_reduction_text": _fraction_text(reduction),
        "reduced_daily_mg": (
            number(exact(planned_daily_mg) * (1 - reduction))
            if planned_daily_mg is not None
            else None
        ),
        "warnings": warnings.items,
        "notes": [
            "A value on a band boundary goes to the milder band.",
            "The US label says only that 'it may be necessary to reduce the dosage'.",
        ],
    }


def _fraction_text(fraction: Fraction) -> str:
    if fraction == 0:
        return "none"
    return f"{fraction.numerator}/{fraction.denominator}"


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
            integer=True,
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
            help="Body weight in kilograms.",
            sources=("cockcroft1976",),
        ),
        Field(
            "sex",
            "Sex",
            kind="choice",
            default="female",
            choices=(Choice("female", "Female"), Choice("male", "Male")),
            help="Women: x 0.85.",
            sources=("cockcroft1976",),
        ),
        Field(
            "serum_creatinine",
            "Serum creatinine",
            minimum=min(lo for lo, _ in _CREATININE_RANGE.values()),
            maximum=max(hi for _, hi in _CREATININE_RANGE.values()),
            step=0.01,
            default=1.2,
            help="In the unit chosen below: "
            + " or ".join(
                f"{format_number(lo)}-{format_number(hi)} {unit}"
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
            help="1 mg/dL = 88.4 µmol/L.",
        ),
        Field(
            "on_dialysis",
            "On dialysis",
            kind="choice",
            default="no",
            choices=(Choice("no", "No"), Choice("yes", "Yes")),
            help="Wolf 2018 advises avoiding baclofen on dialysis.",
            sources=("wolf2018",),
        ),
        Field(
            "planned_daily_mg",
            "Planned oral daily dose",
            unit="mg/day",
            minimum=0.5,
            maximum=float(K.ORAL_MAX_DAILY_MG_UK_AU.value),
            step=0.5,
            required=False,
            default=None,
            help="Optional: applies the band's mean reduction to it.",
            limit_constants=("ORAL_MAX_DAILY_MG_UK_AU",),
        ),
    ),
    outputs=(
        Output("crcl_ml_min", "Creatinine clearance", "mL/min"),
        Output("category", "Band"),
        Output("dose_reduction_text", "Mean dose reduction in this band"),
        Output("reduced_daily_mg", "Reduced daily dose", "mg/day"),
    ),
    sources=("cockcroft1976", "vlavonou2014", "wolf2018"),
)
