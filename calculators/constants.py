"""Dosing constants: each one a value, a unit, its source keys, where in the source, and a status.

Status follows ``shared/evidence/SOURCES.md``:

- ``V1``: seen in the primary source itself;
- ``V2``: seen only in a faithful reproduction (handbook, formulary);
- ``NF``: the seed's figure, not found in any primary source. An NF constant is shown
  (beside what the sources say) but is never used as a limit, a bound or a warning threshold;
- ``derived``: arithmetic or physical fact, explained in ``note``.

Code reads ``CONSTANT.value``; pages quote the same objects, so page and calculator cannot
disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

__all__ = ["CONSTANTS", "Constant"]

T = TypeVar("T")


@dataclass(frozen=True)
class Constant(Generic[T]):
    """One dosing fact. ``unit`` is for display (``mg``, ``mg/day``, ``fraction``...)."""

    name: str
    value: T
    unit: str
    sources: tuple[str, ...]
    status: str
    locator: str
    note: str = ""


_ALL: list[Constant[Any]] = []


def _c(  # noqa: PLR0917 - each call reads as one row of a table
    name: str,
    value: T,
    unit: str,
    sources: tuple[str, ...],
    status: str,
    locator: str,
    note: str = "",
) -> Constant[T]:
    constant = Constant(name, value, unit, sources, status, locator, note)
    _ALL.append(constant)
    return constant


# --- Oral baclofen -------------------------------------------------------------------------

ORAL_START_DOSE_MG = _c(
    "ORAL_START_DOSE_MG",
    5,
    "mg per dose",
    ("label-tablets", "label-ozobax"),
    "V1",
    "Dosage and Administration: 5 mg three times a day",
)
ORAL_START_DOSES_PER_DAY = _c(
    "ORAL_START_DOSES_PER_DAY",
    3,
    "doses/day",
    ("label-tablets", "label-ozobax"),
    "V1",
    "Dosage and Administration: three times a day",
)
ORAL_STEP_MG = _c(
    "ORAL_STEP_MG",
    5,
    "mg per dose",
    ("label-tablets", "label-ozobax"),
    "V1",
    "Dosage and Administration: 5 -> 10 -> 15 -> 20 mg three times a day",
)
ORAL_STEP_DAYS = _c(
    "ORAL_STEP_DAYS",
    3,
    "days",
    ("label-tablets", "label-ozobax"),
    "V1",
    "Dosage and Administration: each step for 3 days",
)
ORAL_MAX_DOSES_PER_DAY = _c(
    "ORAL_MAX_DOSES_PER_DAY",
    4,
    "doses/day",
    ("label-tablets",),
    "V1",
    "Dosage and Administration: the maximum is given as 20 mg four times a day",
)
ORAL_USUAL_DAILY_MG = _c(
    "ORAL_USUAL_DAILY_MG",
    (40, 80),
    "mg/day",
    ("label-tablets",),
    "V1",
    "Dosage and Administration: optimum effect 'usually between 40 to 80 mg daily'",
)
ORAL_MAX_DAILY_MG_US = _c(
    "ORAL_MAX_DAILY_MG_US",
    80,
    "mg/day",
    ("label-tablets", "label-ozobax"),
    "V1",
    "Dosage and Administration: total daily dose not to exceed 80 mg (20 mg four times a day)",
)
ORAL_MAX_DAILY_MG_UK_AU = _c(
    "ORAL_MAX_DAILY_MG_UK_AU",
    100,
    "mg/day",
    ("non-us-labels",),
    "V2",
    "UK and Australian labelled maximum",
    "Off-label in the United States.",
)
TABLET_STRENGTHS_MG = _c(
    "TABLET_STRENGTHS_MG",
    (5, 10, 15, 20),
    "mg",
    ("label-tablets",),
    "V1",
    "How Supplied (strengths vary by manufacturer)",
)
OZOBAX_MG_PER_ML = _c(
    "OZOBAX_MG_PER_ML",
    1,
    "mg/mL",
    ("label-ozobax", "ismp-liquids"),
    "V1",
    "OZOBAX oral solution 5 mg/5 mL",
)
OZOBAX_DS_MG_PER_ML = _c(
    "OZOBAX_DS_MG_PER_ML",
    2,
    "mg/mL",
    ("ismp-liquids",),
    "V1",
    "OZOBAX DS oral solution",
)
FLEQSUVY_MG_PER_ML = _c(
    "FLEQSUVY_MG_PER_ML",
    5,
    "mg/mL",
    ("ismp-liquids",),
    "V1",
    "FLEQSUVY oral suspension",
)
TAPER_NON_US_WEEKS = _c(
    "TAPER_NON_US_WEEKS",
    (1, 2),
    "weeks",
    ("non-us-labels",),
    "V2",
    "Canadian and UK wording: reduce gradually over 1 to 2 weeks",
    "The US labels say only 'reduce the dosage slowly', with no duration.",
)
TAPER_MIN_DAYS = _c(
    "TAPER_MIN_DAYS",
    7,
    "days",
    ("non-us-labels",),
    "V2",
    "The lower end of the non-US 1 to 2 week taper",
    "A taper shorter than this draws a withdrawal warning.",
)
TAPER_DEFAULT_DAYS = _c(
    "TAPER_DEFAULT_DAYS",
    14,
    "days",
    ("non-us-labels",),
    "V2",
    "The upper end of the non-US 1 to 2 week taper",
)

# --- Intravenous baclofen ------------------------------------------------------------------

ORAL_BIOAVAILABILITY = _c(
    "ORAL_BIOAVAILABILITY",
    0.74,
    "fraction",
    ("agarwal2015",),
    "V1",
    "Abstract: mean absolute oral bioavailability 74%",
    "So an IV dose of about 74% of the oral dose gives a comparable total exposure.",
)
SCHMITZ_IV_ORAL_PAIRS_MG = _c(
    "SCHMITZ_IV_ORAL_PAIRS_MG",
    (10, 7.5, 15, 11.5, 20, 15),
    "mg (oral, IV pairs)",
    ("schmitz2017",),
    "V1",
    "Methods: oral 10/15/20 mg paired with IV 7.5/11.5/15 mg",
    "About 75% of the oral dose, in line with the measured bioavailability.",
)
SEED_IV_REDUCTION_FRACTION = _c(
    "SEED_IV_REDUCTION_FRACTION",
    0.20,
    "fraction",
    ("seed",),
    "NF",
    "Seed, Special Considerations: 'a 20% reduction in IV dose'",
    "Not found in agarwal2015 or schmitz2017; shown only beside the bioavailability figure.",
)

# --- The seed's oral figures (shown, never used as limits) ---------------------------------

SEED_ORAL_START_DAILY_MG = _c(
    "SEED_ORAL_START_DAILY_MG",
    (30, 80),
    "mg/day",
    ("seed",),
    "NF",
    "Seed, From the Guidelines: 'typically starts at 30 to 80 mg/d'",
    "The US label starts at 15 mg/day (5 mg three times a day).",
)
SEED_ORAL_OPTIMAL_DAILY_MG = _c(
    "SEED_ORAL_OPTIMAL_DAILY_MG",
    (10, 80),
    "mg/day",
    ("seed",),
    "NF",
    "Seed, From the Research: 'can range from 10 to 80 mg'",
    "The US label gives a usual effective range of 40 to 80 mg/day.",
)
SEED_ORAL_HIGH_DAILY_MG = _c(
    "SEED_ORAL_HIGH_DAILY_MG",
    100,
    "mg/day",
    ("seed",),
    "NF",
    "Seed, From the Research: 'doses up to 100 mg per day may be necessary'",
    "100 mg/day is the UK and Australian labelled maximum (V2); off-label in the US.",
)

# --- Intrathecal baclofen ------------------------------------------------------------------

ITB_SCREENING_DOSES_MCG = _c(
    "ITB_SCREENING_DOSES_MCG",
    (50, 75, 100),
    "mcg",
    ("boster2016screen", "label-gablofen"),
    "V1",
    "Screening: 50 mcg, then 75 mcg, then 100 mcg, at least 24 hours apart",
    "No response to 100 mcg: not a candidate for intrathecal therapy.",
)
ITB_SCREENING_DOSE_SMALL_CHILD_MCG = _c(
    "ITB_SCREENING_DOSE_SMALL_CHILD_MCG",
    25,
    "mcg",
    ("boster2016screen", "label-gablofen"),
    "V1",
    "Screening: 25 mcg in very small children",
)
ITB_SCREENING_INTERVAL_HOURS = _c(
    "ITB_SCREENING_INTERVAL_HOURS",
    24,
    "hours",
    ("boster2016screen", "label-gablofen"),
    "V1",
    "Screening: doses at least 24 hours apart",
)
ITB_INITIAL_MULTIPLIER = _c(
    "ITB_INITIAL_MULTIPLIER",
    2,
    "x screening dose per 24 h",
    ("boster2016", "label-gablofen"),
    "V1",
    "Initial dose: twice the effective screening dose, over 24 hours",
)
ITB_LONG_EFFECT_HOURS = _c(
    "ITB_LONG_EFFECT_HOURS",
    8,
    "hours",
    ("boster2016", "label-gablofen"),
    "V1",
    "Initial dose: the screening dose itself when its effect lasted more than 8 hours",
)
ITB_NO_INCREASE_HOURS = _c(
    "ITB_NO_INCREASE_HOURS",
    24,
    "hours",
    ("boster2016", "label-gablofen"),
    "V1",
    "Initial dose: no increase in the first 24 hours",
)
ITB_TITRATION_ADULT_SPINAL = _c(
    "ITB_TITRATION_ADULT_SPINAL",
    (0.10, 0.30),
    "fraction per 24 h",
    ("boster2016", "label-gablofen"),
    "V1",
    "Titration: adults, spinal origin, 10-30% once every 24 hours",
)
ITB_TITRATION_ADULT_CEREBRAL = _c(
    "ITB_TITRATION_ADULT_CEREBRAL",
    (0.05, 0.15),
    "fraction per 24 h",
    ("boster2016", "label-gablofen"),
    "V1",
    "Titration: adults, cerebral origin, 5-15% once every 24 hours",
)
ITB_TITRATION_CHILD = _c(
    "ITB_TITRATION_CHILD",
    (0.05, 0.15),
    "fraction per 24 h",
    ("boster2016", "label-gablofen"),
    "V1",
    "Titration: children, 5-15% once every 24 hours",
)
ITB_TITRATION_INTERVAL_HOURS = _c(
    "ITB_TITRATION_INTERVAL_HOURS",
    24,
    "hours",
    ("boster2016", "label-gablofen"),
    "V1",
    "Titration: at most one increase every 24 hours",
)
ITB_MAINTENANCE_SPINAL_MCG = _c(
    "ITB_MAINTENANCE_SPINAL_MCG",
    (300, 800),
    "mcg/day",
    ("label-gablofen", "label-lioresal-it"),
    "V2",
    "Maintenance: usual daily dose, spinal origin (label, via handbooks)",
    "A usual range, not a limit.",
)
ITB_MAINTENANCE_CEREBRAL_MCG = _c(
    "ITB_MAINTENANCE_CEREBRAL_MCG",
    (90, 703),
    "mcg/day",
    ("label-gablofen", "label-lioresal-it"),
    "V2",
    "Maintenance: usual daily dose, cerebral origin (label, via handbooks)",
    "A usual range, not a limit.",
)
ITB_MAINTENANCE_CHILD_MCG = _c(
    "ITB_MAINTENANCE_CHILD_MCG",
    (24, 1199),
    "mcg/day",
    ("label-gablofen", "label-lioresal-it"),
    "V2",
    "Maintenance: usual daily dose, children under 12 (label, via handbooks)",
    "A usual range, not a limit.",
)
ITB_MAINTENANCE_CHANGE_SPINAL = _c(
    "ITB_MAINTENANCE_CHANGE_SPINAL",
    (0.10, 0.40, 0.10, 0.20),
    "fraction (up min, up max, down min, down max)",
    ("label-gablofen", "label-lioresal-it"),
    "V2",
    "Maintenance: spinal origin, +10-40% or -10-20% at refills",
)
ITB_MAINTENANCE_CHANGE_CEREBRAL = _c(
    "ITB_MAINTENANCE_CHANGE_CEREBRAL",
    (0.05, 0.20, 0.10, 0.20),
    "fraction (up min, up max, down min, down max)",
    ("label-gablofen", "label-lioresal-it"),
    "V2",
    "Maintenance: cerebral origin, +5-20% or -10-20% at refills",
)
ITB_CONCENTRATIONS_MCG_PER_ML = _c(
    "ITB_CONCENTRATIONS_MCG_PER_ML",
    (50, 500, 1000, 2000),
    "mcg/mL",
    ("label-gablofen",),
    "V1",
    "How Supplied: GABLOFEN 50, 500, 1000 and 2000 mcg/mL",
    "LIORESAL INTRATHECAL comes in 50, 500 and 2000 mcg/mL (V2).",
)
ITB_START_CONCENTRATION_MCG_PER_ML = _c(
    "ITB_START_CONCENTRATION_MCG_PER_ML",
    500,
    "mcg/mL",
    ("boster2016",),
    "V1",
    "'Initiate with the 500 mcg/mL concentration' (expert consensus, not label)",
)
PUMP_RESERVOIR_ML = _c(
    "PUMP_RESERVOIR_ML",
    (20, 40),
    "mL",
    ("pump-secondary",),
    "V2",
    "SynchroMed II reservoir sizes (secondary sources)",
)
PUMP_ALARM_ML_DEFAULT = _c(
    "PUMP_ALARM_ML_DEFAULT",
    2,
    "mL",
    ("neurosurgery2004",),
    "V1",
    "The manufacturer's low-reservoir alarm volume",
)
PUMP_WITHDRAWAL_RESIDUAL_ML = _c(
    "PUMP_WITHDRAWAL_RESIDUAL_ML",
    3.8,
    "mL",
    ("neurosurgery2004",),
    "V1",
    "Withdrawal symptoms were seen with residual volumes up to 3.8 mL",
)
PUMP_SAFER_ALARM_ML = _c(
    "PUMP_SAFER_ALARM_ML",
    4,
    "mL",
    ("neurosurgery2004",),
    "V1",
    "Symptoms stopped once the alarm was set at 4 mL",
)

# --- Renal function ------------------------------------------------------------------------

CG_AGE_OFFSET_YEARS = _c(
    "CG_AGE_OFFSET_YEARS",
    140,
    "years",
    ("cockcroft1976",),
    "V1",
    "Formula: CrCl = (140 - age) x weight / (72 x serum creatinine)",
)
CG_DIVISOR = _c(
    "CG_DIVISOR",
    72,
    "(mg/dL) per (mL/min) per kg",
    ("cockcroft1976",),
    "V1",
    "Formula: the divisor 72 with creatinine in mg/dL",
)
CG_FEMALE_FACTOR = _c(
    "CG_FEMALE_FACTOR",
    0.85,
    "factor",
    ("cockcroft1976",),
    "V1",
    "Formula: 15% less in women",
)
CREATININE_UMOL_PER_MG_DL = _c(
    "CREATININE_UMOL_PER_MG_DL",
    88.4,
    "umol/L per mg/dL",
    ("cockcroft1976",),
    "derived",
    "Unit conversion",
    "From creatinine's molar mass, 113.12 g/mol: 1 mg/dL = 10 000 / 113.12 = 88.4 umol/L.",
)
RENAL_CRCL_BANDS_ML_MIN = _c(
    "RENAL_CRCL_BANDS_ML_MIN",
    (80, 50, 30),
    "mL/min",
    ("vlavonou2014",),
    "V1",
    "Study groups: creatinine clearance 50-80, 30-50 and below 30 mL/min",
    "A value on a boundary goes to the milder group (50 is mild, 30 is moderate).",
)
RENAL_DOSE_REDUCTION = _c(
    "RENAL_DOSE_REDUCTION",
    (1 / 3, 1 / 2, 2 / 3),
    "fraction of the dose",
    ("vlavonou2014",),
    "V1",
    "Results: mean dose reduction of 1/3, 1/2 and 2/3 in mild, moderate and severe CKD",
)
RENAL_REDUCE_BELOW_ML_MIN = _c(
    "RENAL_REDUCE_BELOW_ML_MIN",
    60,
    "mL/min",
    ("wolf2018",),
    "V1",
    "Reduce the dose at eGFR 30-60 mL/min/1.73 m2",
    "Wolf uses eGFR; this site computes Cockcroft-Gault creatinine clearance.",
)
RENAL_AVOID_BELOW_ML_MIN = _c(
    "RENAL_AVOID_BELOW_ML_MIN",
    30,
    "mL/min",
    ("wolf2018",),
    "V1",
    "Avoid below eGFR 30 mL/min/1.73 m2 or on dialysis",
)

CONSTANTS: dict[str, Constant[Any]] = {constant.name: constant for constant in _ALL}
