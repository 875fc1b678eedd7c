"""Dosing constants: each one a value, a unit, its source keys, where in the source, and a status.

Status follows the evidence base in ``evidence/`` (``evidence/label-facts.md``):

- ``V1``: seen in the primary source itself;
- ``V2``: seen only in a faithful reproduction (handbook, formulary);
- ``NF``: the seed's figure, not found in any primary source. An NF constant is shown
  (beside what the sources say) but is never used as a limit, a bound or a warning threshold;
- ``derived``: arithmetic or physical fact, explained in ``note``;
- ``R``: seen only as a quotation or reproduction of a source this project did not read;
  like NF, never a limit (a caution at most);
- ``P``: a manufacturer's product page (primary, but not a label or a paper);
- ``D``: a threshold or figure that is this site's own choice, not a source's. Its ``note``
  says why it was chosen; pages and warnings present it as this site's choice.

Code reads ``CONSTANT.value``; pages quote the same objects, so page and calculator cannot
disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
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
    ("uk-smpc", "au-pi"),
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
    ("listing-ozobax-ds",),
    "V1",
    "OZOBAX DS oral solution 2 mg/mL, its own product listing (NDC 69528-302)",
    "Not named in the ISMP alert, which compares the 1 mg/mL and 5 mg/mL products.",
)
FLEQSUVY_MG_PER_ML = _c(
    "FLEQSUVY_MG_PER_ML",
    5,
    "mg/mL",
    ("ismp-liquids",),
    "V1",
    "FLEQSUVY oral suspension",
)
ORAL_NOT_ESTABLISHED_UNDER_YEARS = _c(
    "ORAL_NOT_ESTABLISHED_UNDER_YEARS",
    12,
    "years",
    ("label-lyvispah",),
    "V1",
    "Pediatric use: safety and effectiveness below 12 years of age not established",
)
ORAL_DOSE_GRANULARITY_MG = _c(
    "ORAL_DOSE_GRANULARITY_MG",
    0.5,
    "mg",
    ("label-ozobax",),
    "D",
    "This site's finest oral dose amount in schedules",
    "Half a milligram is 0.5 mL of the 1 mg/mL oral solution, the most dilute liquid; finer "
    "amounts could not be measured reliably. A bound on the form, not a clinical rule.",
)
TAPER_NON_US_WEEKS = _c(
    "TAPER_NON_US_WEEKS",
    (1, 2),
    "weeks",
    ("bnf",),
    "V2",
    "CSM advice carried by the BNF: reduce 'over at least 1 to 2 weeks, or longer if symptoms "
    "occur'",
    "A minimum, not a ceiling. The US labels say only 'reduce the dosage slowly', with no "
    "duration.",
)
TAPER_MIN_DAYS = _c(
    "TAPER_MIN_DAYS",
    7,
    "days",
    ("bnf",),
    "V2",
    "CSM advice carried by the BNF, 'over at least 1 to 2 weeks': 1 week is the shortest taper "
    "it allows",
    "A taper shorter than this draws a withdrawal warning.",
)
TAPER_DEFAULT_DAYS = _c(
    "TAPER_DEFAULT_DAYS",
    14,
    "days",
    ("bnf",),
    "V2",
    "CSM advice carried by the BNF, 'over at least 1 to 2 weeks': the form's default is the "
    "2-week end",
    "Still a minimum: the advice says longer if symptoms occur.",
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
    ("label-gablofen",),
    "R",
    "Initial dose: 'No dose increases should be given in the first 24 hours (i.e., until the "
    "steady state is achieved)'",
    "Label text seen only in a reproduction (third review, X4). Not in the Boster 2016 abstract, "
    "which says 'Assessment should occur within 24 hours of a dose change'.",
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
    "Maintenance: the range of daily doses observed in children under 12 (label, via "
    "handbooks; mean 274 mcg/day)",
    "An observed range, not a usual one and not a limit.",
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
    "'2 ml (the alarm residual volume recommended by the manufacturer)', for that study's pumps",
    "Reported for the SynchroMed pumps of a 2004 cohort (not all of them holding baclofen). "
    "The SynchroMed II labeling for its own alarm setting was searched for and not found "
    "(third review, X6).",
)
PUMP_WITHDRAWAL_RESIDUAL_ML = _c(
    "PUMP_WITHDRAWAL_RESIDUAL_ML",
    3.8,
    "mL",
    ("neurosurgery2004",),
    "V1",
    "21 of 88 patients 'consistently developed symptoms of drug withdrawal 1 to 7 days before "
    "the drug residual volume reached a mean of 2.7 ml (range, 2.1-3.8 ml)'",
    "Not all the study's pumps held baclofen, but symptom development 'did not correlate with' "
    "the drugs used in the pump.",
)
PUMP_SAFER_ALARM_ML = _c(
    "PUMP_SAFER_ALARM_ML",
    4,
    "mL",
    ("neurosurgery2004",),
    "V1",
    "Withdrawal symptoms 'did not recur after the alarm volume was increased to 4 ml'",
)

ITB_MAINTENANCE_CHILD_MEAN_MCG = _c(
    "ITB_MAINTENANCE_CHILD_MEAN_MCG",
    274,
    "mcg/day",
    ("label-gablofen", "label-lioresal-it"),
    "V2",
    "Maintenance: mean daily dose observed in children under 12 (label, via handbooks)",
)
ITB_CHILD_UNDER_YEARS = _c(
    "ITB_CHILD_UNDER_YEARS",
    12,
    "years",
    ("label-gablofen", "label-lioresal-it"),
    "V2",
    "Maintenance: the label's paediatric figures are for children under 12 years",
    "This site uses the same age to say what 'child' means in the titration calculator.",
)
ITB_MIN_LABELLED_AGE_YEARS = _c(
    "ITB_MIN_LABELLED_AGE_YEARS",
    4,
    "years",
    ("label-gablofen",),
    "V1",
    "Indications: GABLOFEN is indicated from 4 years of age",
)
ITB_LARGE_INCREASE_FRACTION = _c(
    "ITB_LARGE_INCREASE_FRACTION",
    Fraction(1, 5),
    "fraction per 24 h",
    ("cmsc2015",),
    "V1",
    "'at higher doses an increase >20% may be excessive'",
    "The abstract does not say which doses are 'higher'; see ITB_HIGHER_DOSE_RULE.",
)
ITB_SCREENING_CONCENTRATION_MCG_PER_ML = _c(
    "ITB_SCREENING_CONCENTRATION_MCG_PER_ML",
    50,
    "mcg/mL",
    ("label-lioresal-it",),
    "P",
    "Manufacturer's page: the 50 mcg/mL ampule is 'for the screening dose'",
    "Pump refills use 500 to 2000 mcg/mL; 50 mcg/mL is not offered for a refill.",
)
ITB_REFILL_CONCENTRATIONS_MCG_PER_ML = _c(
    "ITB_REFILL_CONCENTRATIONS_MCG_PER_ML",
    (500, 1000, 2000),
    "mcg/mL",
    ("label-gablofen", "label-lioresal-it"),
    "derived",
    "The GABLOFEN strengths less the 50 mcg/mL screening strength",
    "ITB_CONCENTRATIONS_MCG_PER_ML without ITB_SCREENING_CONCENTRATION_MCG_PER_ML.",
)
ITB_PLAUSIBLE_MAX_MCG_PER_DAY = _c(
    "ITB_PLAUSIBLE_MAX_MCG_PER_DAY",
    5000,
    "mcg/day",
    ("label-gablofen",),
    "D",
    "This site's bound on dose fields, to catch typing and mg/mcg slips",
    "Not a clinical maximum: the '1000 mcg/day maximum' seen in one drug reference is not a "
    "label maximum and labels report higher doses. 5000 is above every dose the sources "
    "report (observed spinal-origin doses reached 2000 mcg/day).",
)
ITB_OBSERVED_SPINAL_RANGE_MCG = _c(
    "ITB_OBSERVED_SPINAL_RANGE_MCG",
    (12, 2000),
    "mcg/day",
    ("label-gablofen", "label-lioresal-it"),
    "V2",
    "Maintenance: spinal-origin daily doses ranged from 12 to 2000 mcg/day (label, via handbooks)",
)
ITB_MONITOR_HOURS = _c(
    "ITB_MONITOR_HOURS",
    8,
    "hours",
    ("cmsc2015",),
    "V1",
    "Monitor the patient for at least 8 hours after the pump is started",
)
PUMP_BATTERY_LIFE_YEARS = _c(
    "PUMP_BATTERY_LIFE_YEARS",
    7,
    "years",
    ("medtronic-pump",),
    "V1",
    "SynchroMed II battery life: up to about 7 years",
)
PUMP_ERI_TO_STOP_DAYS = _c(
    "PUMP_ERI_TO_STOP_DAYS",
    90,
    "days",
    ("medtronic-pump",),
    "V1",
    "The pump stops 90 days after the elective replacement indicator (ERI) alarm",
)
PUMP_REPLACEMENT_NOTICE_MONTHS = _c(
    "PUMP_REPLACEMENT_NOTICE_MONTHS",
    3,
    "months",
    ("boster2016",),
    "V1",
    "'Pump replacement should be scheduled at least three months in advance'",
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
    "Study groups: mild, moderate and severe chronic kidney disease",
    "The groups and cut-offs are the paper's own: 'Subjects were assigned to 1 of 4 groups "
    "based on their CrCL (>80 mL/min, 50-80 mL/min; 30-50 mL/min and <30 mL/min)', with CrCL "
    "by Cockcroft-Gault (third review, X1; the second review's 'inference' was wrong). By those "
    "groups 80 mL/min belongs to the 50-80 (mild) group and 30 to 30-50; 50 stands in both "
    "50-80 and 30-50 and is given the larger reduction (this site's reading).",
)
RENAL_DOSE_REDUCTION = _c(
    "RENAL_DOSE_REDUCTION",
    (Fraction(1, 3), Fraction(1, 2), Fraction(2, 3)),
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

RENAL_CREATININE_RANGE_MG_DL = _c(
    "RENAL_CREATININE_RANGE_MG_DL",
    (0.1, 20.0),
    "mg/dL",
    ("cockcroft1976",),
    "D",
    "This site's accepted range for a serum creatinine in mg/dL",
    "A plausibility range to catch typing and unit slips (a umol/L value typed as mg/dL), "
    "not a clinical limit.",
)
RENAL_CREATININE_RANGE_UMOL_L = _c(
    "RENAL_CREATININE_RANGE_UMOL_L",
    (8.84, 1768.0),
    "umol/L",
    ("cockcroft1976",),
    "D",
    "This site's accepted range for a serum creatinine in umol/L",
    "RENAL_CREATININE_RANGE_MG_DL times 88.4, exactly, so that the two units accept the same "
    "creatinines (review 25b W-3: 1800 umol/L was accepted while 20.1 mg/dL was not).",
)
CG_DERIVATION_PATIENTS = _c(
    "CG_DERIVATION_PATIENTS",
    249,
    "patients",
    ("cockcroft1976",),
    "V1",
    "Methods: the formula was derived in 249 patients",
)
CG_DERIVATION_MEN_FRACTION = _c(
    "CG_DERIVATION_MEN_FRACTION",
    Fraction(96, 100),
    "fraction",
    ("cockcroft1976",),
    "V1",
    "Methods: 96% of the derivation patients were men",
)
RENAL_LOW_CREATININE_MG_DL = _c(
    "RENAL_LOW_CREATININE_MG_DL",
    0.7,
    "mg/dL",
    ("hazer2021", "cockcroft1976"),
    "D",
    "This site's threshold for a low serum creatinine",
    "Below it, low muscle mass (spinal cord injury, multiple sclerosis, cerebral palsy, "
    "frailty) is a likely reason, and Cockcroft-Gault then tends to overestimate clearance; "
    "after spinal cord injury hazer2021 found it 'significantly different' from a 24-hour "
    "urine clearance. "
    "No source gives a cut-off; 0.7 mg/dL (62 umol/L) sits below usual adult values.",
)
RENAL_BMI_RELIABLE_RANGE = _c(
    "RENAL_BMI_RELIABLE_RANGE",
    (18.5, 30),
    "kg/m2",
    ("cockcroft1976",),
    "D",
    "This site's body-mass index range outside which weight is taken to be far from lean",
    "Cockcroft-Gault multiplies by body weight; no source in this project gives a range. "
    "The usual underweight and obesity cut-offs of the body-mass index are used.",
)
RENAL_OLDER_AGE_YEARS = _c(
    "RENAL_OLDER_AGE_YEARS",
    65,
    "years",
    ("cockcroft1976",),
    "D",
    "This site's age from which the lower implausibility threshold applies",
    "Clearance falls with age (the formula's own 140 - age term).",
)
RENAL_IMPLAUSIBLE_CRCL_ML_MIN = _c(
    "RENAL_IMPLAUSIBLE_CRCL_ML_MIN",
    (170, 100),
    "mL/min (any age, from RENAL_OLDER_AGE_YEARS)",
    ("cockcroft1976",),
    "D",
    "This site's thresholds for an implausibly high clearance",
    "Chosen to catch a unit slip or a misleading weight; a caution, not a limit. Young, "
    "muscular adults reach 150 mL/min and more, so the any-age threshold is 170.",
)
RENAL_DIALYSIS_DAILY_MG_CA = _c(
    "RENAL_DIALYSIS_DAILY_MG_CA",
    5,
    "mg/day",
    ("ca-monograph",),
    "V2",
    "Canadian label: about 5 mg/day in patients on dialysis",
    "Seen only in a reproduction; shown as information, never computed.",
)

# --- Pump clinic (itb-refill-visit, itb-concentration-change, itb-flex-schedule) ----------
# (this section is appended to by the pump-clinic work; keep it above the CONSTANTS line)

REFILL_DISCREPANCY_20_ML_PUMP_ML = _c(
    "REFILL_DISCREPANCY_20_ML_PUMP_ML",
    1,
    "mL",
    ("maino2017",),
    "V1",
    "Abstract: a refill volume discrepancy of more than 1 mL in 20 mL pumps 'should be "
    "regarded as potentially consequential'",
    "For pumps that measure their reservoir volume. A discrepancy above it is flagged; "
    "exactly 1 mL is not 'more than 1 mL'.",
)
REFILL_DISCREPANCY_40_ML_PUMP_ML = _c(
    "REFILL_DISCREPANCY_40_ML_PUMP_ML",
    2,
    "mL",
    ("maino2017",),
    "V1",
    "Abstract: more than 2 mL in 40 mL pumps 'should be regarded as potentially consequential'",
    "For pumps that measure their reservoir volume.",
)
PUMP_ACCURACY_PER_REFILL_FRACTION = _c(
    "PUMP_ACCURACY_PER_REFILL_FRACTION",
    Fraction(25, 1000),
    "fraction of the volume delivered",
    ("wesemann2014",),
    "V1",
    "Abstract: SynchroMed II clinical accuracy, about 2.5% per refill on average",
    "An average, not a tolerance. For pumps that calculate their reservoir volume, this site "
    "flags a discrepancy larger than 2.5% of the volume delivered since the last fill (its "
    "own use of the figure, status D of the rule, V1 of the number).",
)
PUMP_ACCURACY_SIX_MONTHS_FRACTION = _c(
    "PUMP_ACCURACY_SIX_MONTHS_FRACTION",
    Fraction(1, 100),
    "fraction of the volume programmed",
    ("wesemann2014",),
    "V1",
    "Abstract: on average about 1% more delivered than programmed at 6 months",
)
PUMP_ACCURACY_BENCH_FRACTION = _c(
    "PUMP_ACCURACY_BENCH_FRACTION",
    Fraction(-24, 1000),
    "fraction of the volume programmed",
    ("wesemann2014",),
    "V1",
    "Abstract: bench accuracy -2.4%",
)
POCKET_FILL_REPORTS = _c(
    "POCKET_FILL_REPORTS",
    351,
    "reports",
    ("pocketfill2011",),
    "V1",
    "Abstract: the manufacturer had received 351 reports of pocket fill",
)
POCKET_FILL_DEATHS = _c(
    "POCKET_FILL_DEATHS",
    8,
    "reports",
    ("pocketfill2011",),
    "V1",
    "Abstract: eight of the pocket-fill reports were lethal events",
)
ITB_FLUID_PATH_MAX_ML = _c(
    "ITB_FLUID_PATH_MAX_ML",
    10,
    "mL",
    ("boster2016",),
    "D",
    "This site's bound on the fluid-path volume field, to catch typing slips",
    "Not a device figure: the pump's and the catheter's volumes are not in the sources (NF), "
    "so the user enters them from the device manuals and nothing has a default. 10 mL is half "
    "the smaller reservoir; a path that large would be a typing slip.",
)
ITB_CONCENTRATION_TABLE_MAX_HOURS = _c(
    "ITB_CONCENTRATION_TABLE_MAX_HOURS",
    168,
    "hours",
    ("boster2016",),
    "D",
    "This site's display limit: the hour-by-hour table shows at most the first 7 days",
    "Longer transitions are still computed in full; the result says how long they last.",
)
FLEX_TOTAL_MATCH_FRACTION = _c(
    "FLEX_TOTAL_MATCH_FRACTION",
    Fraction(1, 100),
    "fraction of the intended daily dose",
    ("ismp-flex",),
    "D",
    "This site's threshold: a 24-hour total more than 1% away from the intended dose is a "
    "caution (more than 20%, a danger); a smaller difference (rates rounded) is a note",
    "1% is this site's choice: rates typed to three decimals can miss a daily dose by a "
    "fraction of a percent, while the programming slip ISMP reported was a factor of 24.",
)
FLEX_MAX_STEPS = _c(
    "FLEX_MAX_STEPS",
    12,
    "steps",
    ("boster2016",),
    "D",
    "This site's form limit on the number of flex steps in 24 hours",
    "Not a device figure (the pump's own step limit was not in the sources).",
)
FLEX_MAX_BOLUSES = _c(
    "FLEX_MAX_BOLUSES",
    12,
    "boluses",
    ("boster2016",),
    "D",
    "This site's form limit on the number of scheduled boluses in 24 hours",
    "Not a device figure.",
)
FLEX_MIN_STEP_HOURS = _c(
    "FLEX_MIN_STEP_HOURS",
    Fraction(1, 10),
    "hours",
    ("boster2016",),
    "D",
    "This site's shortest flex step (6 minutes): a shorter step is taken as a typing slip",
    "Not a device figure (the pump's minimum step was not in the sources).",
)

# --- Safety guards (calculators/guards.py): route ceilings, change guards, shortfalls --------
# Each guard threshold is a constant: a source's figure (V1/V2, shown as such), or this site's
# choice (D), whose note says why. A V2 or R figure is only ever a caution, never a refusal.

IV_LARGEST_SINGLE_DOSE_STUDIED_MG = _c(
    "IV_LARGEST_SINGLE_DOSE_STUDIED_MG",
    15,
    "mg per dose",
    ("schmitz2017",),
    "V1",
    "Abstract: 10-minute infusions of IV baclofen (7.5 mg, 11.5 mg, or 15 mg), single doses "
    "in healthy volunteers",
    "The largest single intravenous dose any study in this base gave. No repeated-dose IV "
    "regimen was studied.",
)
IV_INFUSION_MINUTES_STUDIED = _c(
    "IV_INFUSION_MINUTES_STUDIED",
    (10, 60),
    "minutes",
    ("schmitz2017", "agarwal2015"),
    "V1",
    "Abstracts: single doses given as 10-minute (Schmitz) or 60-minute infusions",
    "Context only: the infusion times the studies used.",
)
IV_NYSTAGMUS_IV_OF_36 = _c(
    "IV_NYSTAGMUS_IV_OF_36",
    (4, 13),
    "subjects of 36 (after oral, after IV)",
    ("schmitz2017",),
    "V1",
    "Abstract: transient mild nystagmus in 4 of 36 subjects after oral and 13 of 36 after IV "
    "administration",
)
ORAL_PLAUSIBLE_MAX_DAILY_MG = _c(
    "ORAL_PLAUSIBLE_MAX_DAILY_MG",
    200,
    "mg/day",
    ("label-tablets",),
    "D",
    "This site's bound on oral daily-dose fields, to catch typing and mg/mcg slips",
    "Not a clinical maximum: the US labelled maximum (80 mg/day, V1) and the UK and "
    "Australian one (100 mg/day, seen only in reproductions) draw cautions above them, but a "
    "figure seen only in a reproduction is never a limit, and a patient above it still needs "
    "a taper. Twice the UK maximum is taken as the edge of plausibility.",
)
IV_MIN_DOSES_PER_DAY = _c(
    "IV_MIN_DOSES_PER_DAY",
    3,
    "doses/day",
    ("he2014", "schmitz2017"),
    "D",
    "This site's fewest IV doses a day it divides a daily dose into",
    "Baclofen's half-life is a few hours (4.5 h in children, he2014), so one or two IV doses "
    "a day would mean large peaks and troughs; no IV regimen at all was studied.",
)
ITB_LARGEST_SCREENING_BOLUS_MCG = _c(
    "ITB_LARGEST_SCREENING_BOLUS_MCG",
    100,
    "mcg",
    ("boster2016screen",),
    "V1",
    "Screening: test doses 50, then 75, then 100 mcg; no response to 100 mcg, not a candidate",
    "A single intrathecal bolus above it is outside anything the screening protocol gives "
    "(a caution; the label reports an overdose after a 25 mcg bolus in a sensitive adult).",
)
ITB_BOLUS_DAILY_SHARE_DANGER = _c(
    "ITB_BOLUS_DAILY_SHARE_DANGER",
    Fraction(1, 2),
    "fraction of the 24-hour total",
    ("boster2016screen",),
    "D",
    "This site's threshold: a single bolus above the largest screening bolus that is also at "
    "least half the 24-hour total is a danger",
    "Half a day's dose pushed into the CSF at once, and more than any screening bolus, is "
    "the shape of a bolus typed where a daily dose belongs (or in mg as mcg).",
)
ITB_OBSERVED_CHILD_MAX_MCG = _c(
    "ITB_OBSERVED_CHILD_MAX_MCG",
    1199,
    "mcg/day",
    ("label-gablofen", "label-lioresal-it"),
    "V2",
    "Maintenance: the highest daily dose observed in children under 12 (label, via handbooks)",
    "A caution above it, never a limit.",
)
ORAL_START_DANGER_MULTIPLE = _c(
    "ORAL_START_DANGER_MULTIPLE",
    2,
    "x the label's starting daily dose",
    ("label-tablets", "label-ozobax"),
    "D",
    "This site's threshold: a titration that starts above twice the label's starting daily "
    "dose (15 mg/day) is a danger for a new patient",
    "The label starts at 5 mg three times a day and climbs every 3 days; starting above 30 "
    "mg/day skips at least two of its steps at once (the seed's '30 to 80 mg/d' start is NF).",
)
CHANGE_TENFOLD_FACTOR = _c(
    "CHANGE_TENFOLD_FACTOR",
    10,
    "x (up or down)",
    ("ismp-flex",),
    "D",
    "This site's threshold: a new dose of ten times the old or more, or a tenth or less, is a "
    "danger",
    "A tenfold step is the signature of a decimal-point or mg/mcg slip (x1000), or of a "
    "per-hour figure read as per day (x24); no source in this base gives a dose change that "
    "large in one step.",
)
ORAL_REDUCTION_STEP_CAUTION_FRACTION = _c(
    "ORAL_REDUCTION_STEP_CAUTION_FRACTION",
    Fraction(1, 2),
    "fraction of the previous daily dose",
    ("cmsc2015",),
    "D",
    "This site's threshold: one oral reduction step that cuts more than half the daily dose "
    "is a caution (withdrawal risk)",
    "CMSC 2015 (abstract): oral baclofen 'can be decreased by 25%-50% at one time' while "
    "intrathecal therapy is titrated; this site uses the upper end for any oral step down.",
)
TAPER_LAST_DAILY_CAUTION_MG = _c(
    "TAPER_LAST_DAILY_CAUTION_MG",
    15,
    "mg/day",
    ("label-tablets", "label-ozobax"),
    "D",
    "This site's threshold: a taper whose last daily dose before the stop is above the "
    "label's starting daily dose (15 mg/day) is a caution",
    "Stopping from more than the dose therapy starts at is itself an abrupt stop of that "
    "dose; the labels say 'reduce the dosage slowly'.",
)
REFILL_SHORTFALL_CAUTION_FRACTION = _c(
    "REFILL_SHORTFALL_CAUTION_FRACTION",
    Fraction(5, 100),
    "fraction",
    ("wesemann2014",),
    "D",
    "This site's threshold: a residual that differs from the expected by more than 5% of the "
    "volume delivered since the last fill (and by more than REFILL_SHORTFALL_CAUTION_ML) is a "
    "caution",
    "Wesemann 2014's 2.5% is the mean over-delivery of a normal SynchroMed II, i.e. the "
    "difference to expect, not a tolerance; 5% is twice it. No validated tolerance was found "
    "(SOURCES.md, third review).",
)
REFILL_SHORTFALL_CAUTION_ML = _c(
    "REFILL_SHORTFALL_CAUTION_ML",
    Fraction(2, 10),
    "mL",
    ("wesemann2014",),
    "D",
    "This site's floor under the caution threshold: a difference of 0.2 mL or less is not flagged",
    "About what a syringe reading can resolve.",
)
REFILL_SHORTFALL_DANGER_FRACTION = _c(
    "REFILL_SHORTFALL_DANGER_FRACTION",
    Fraction(20, 100),
    "fraction",
    ("wesemann2014", "maino2017"),
    "D",
    "This site's threshold: a shortfall of more than 20% of the volume delivered since the "
    "last fill (and more than REFILL_SHORTFALL_DANGER_ML) is a danger",
    "Eight times Wesemann's mean over-delivery.",
)
REFILL_SHORTFALL_DANGER_ML = _c(
    "REFILL_SHORTFALL_DANGER_ML",
    Fraction(5, 10),
    "mL",
    ("wesemann2014", "maino2017"),
    "D",
    "This site's floor under the danger threshold",
    "Keeps a syringe's reading error out. At 2000 mcg/mL, 0.5 mL is 1000 mcg: a pocket fill of "
    "that size is an overdose.",
)
REFILL_CHANGE_DANGER_FACTOR = _c(
    "REFILL_CHANGE_DANGER_FACTOR",
    2,
    "x (up or down)",
    ("label-gablofen", "label-lioresal-it"),
    "D",
    "This site's threshold: a dose change at a refill to more than twice the dose, or below "
    "half of it, is a danger",
    "The label's usual changes at refills are at most +40% or -20% (seen in handbooks). A "
    "step beyond double or half is five times the largest usual change: the signature of a "
    "decimal slip (180 typed 1800, 220 typed 22) or of an abrupt stop.",
)
RENAL_VERY_OLD_YEARS = _c(
    "RENAL_VERY_OLD_YEARS",
    80,
    "years",
    ("hazer2021", "cockcroft1976"),
    "D",
    "This site's age from which a serum creatinine below 1.0 mg/dL is taken to reflect low "
    "muscle mass",
    "In the very old a normal-looking creatinine often reflects little muscle, and "
    "Cockcroft-Gault then tends to overestimate clearance; no source gives a cut-off.",
)
RENAL_VERY_OLD_LOW_CREATININE_MG_DL = _c(
    "RENAL_VERY_OLD_LOW_CREATININE_MG_DL",
    1.0,
    "mg/dL",
    ("hazer2021", "cockcroft1976"),
    "D",
    "This site's threshold: from 80 years, a creatinine below 1.0 mg/dL (88 umol/L) is a "
    "caution that withholds the dose",
)
RENAL_UNDERWEIGHT_ANY_HEIGHT_KG = _c(
    "RENAL_UNDERWEIGHT_ANY_HEIGHT_KG",
    Fraction(416, 10),
    "kg",
    ("cockcroft1976",),
    "D",
    "This site's threshold: without a height, a weight below 41.6 kg (a body-mass index "
    "below 18.5 at 150 cm or taller) is a caution that withholds the dose",
    "18.5 x 1.5 m x 1.5 m = 41.6 kg: underweight for any adult of 150 cm or more.",
)
ITB_MIN_BOLUS_SHARE_CAUTION = _c(
    "ITB_MIN_BOLUS_SHARE_CAUTION",
    Fraction(1, 2),
    "fraction of the 24-hour total",
    ("label-gablofen",),
    "D",
    "This site's threshold: a bolus of half the 24-hour total or more is a caution at any size",
    "The label reports an overdose after a 25 mcg bolus in a sensitive adult; small children "
    "receive 24-100 mcg a day, so no bolus size is small in itself.",
)
ITB_SHORT_REFILL_INTERVAL_DAYS = _c(
    "ITB_SHORT_REFILL_INTERVAL_DAYS",
    14,
    "days",
    ("boster2016",),
    "D",
    "This site's threshold: a fill that reaches its alarm in under 14 days is a caution",
    "Refills every few days are not a practical schedule; Boster 2016: 'A higher "
    "concentration at refill can extend refill intervals'.",
)
ITB_LONG_REFILL_INTERVAL_DAYS = _c(
    "ITB_LONG_REFILL_INTERVAL_DAYS",
    183,
    "days",
    ("boster2016",),
    "D",
    "This site's threshold: a fill that lasts more than about 6 months to its alarm is a "
    "caution, and no pump card is printed under it",
    "No label maximum interval was found (NF), and no figure from the unidentified 2023 "
    "stability paper is used. An interval of many months or years is usually a slip: a "
    "per-hour rate typed as a daily dose, or a concentration too high for the dose.",
)
ITB_FLUID_PATH_CAUTION_ML = _c(
    "ITB_FLUID_PATH_CAUTION_ML",
    1,
    "mL",
    ("boster2016",),
    "D",
    "This site's threshold: a fluid-path volume above 1 mL is a caution, and no transition or "
    "bridge duration is printed under it",
    "No sourced pump or catheter volume exists here (NF). A path of several mL is more likely "
    "a decimal slip (2.6 for 0.26): it makes a bridge ten times too long, and a bridge run too "
    "long delivers the new concentration at the old rate, an overdose.",
)
FLEX_SLIP_RATE_FRACTION = _c(
    "FLEX_SLIP_RATE_FRACTION",
    Fraction(1, 2),
    "fraction of the intended daily dose, per hour",
    ("ismp-flex",),
    "D",
    "This site's threshold: a flex step whose hourly rate is at least half the intended daily "
    "dose is named as a possible per-hour/per-day slip",
    "ISMP's event was a rate equal to the daily dose (60 mcg per hour for 60 mcg per day); an "
    "hourly rate of half a day's dose is not a plausible per-hour rate.",
)
FLEX_TOTAL_DANGER_FRACTION = _c(
    "FLEX_TOTAL_DANGER_FRACTION",
    Fraction(1, 5),
    "fraction of the intended daily dose",
    ("label-gablofen", "ismp-flex"),
    "D",
    "This site's threshold: a 24-hour total more than 20% away from the intended dose is a "
    "danger; between 1% and 20% a caution",
    "20% is the largest usual reduction at a refill in the label (seen in handbooks); beyond "
    "it the programme is far from the prescription.",
)
ITB_RESPONSE_WINDOW_HOURS = _c(
    "ITB_RESPONSE_WINDOW_HOURS",
    (4, 8),
    "hours",
    ("label-gablofen", "boster2016screen"),
    "R",
    "Screening: observe the patient for 4 to 8 hours for a positive response (label, "
    "reproduction); spasticity assessed at least twice within four hours (boster2016screen)",
    "An 'effect' shorter than 4 hours is a caution (this site's reading), never a refusal.",
)
ITB_ADULT_FROM_YEARS = _c(
    "ITB_ADULT_FROM_YEARS",
    18,
    "years",
    ("label-gablofen",),
    "D",
    "This site's threshold: a patient of 12 to 17 years titrated at adult rates is a caution",
    "The label's titration for 'Pediatric Patients' (5-15% a day) has no 12-year cut; the "
    "12-year line is this site's reading of the maintenance data. 18 is the usual age of "
    "adulthood, not a source's figure.",
)
IBW_BASE_KG = _c(
    "IBW_BASE_KG",
    (50, Fraction(455, 10)),
    "kg (men, women)",
    ("devine1974",),
    "R",
    "Ideal body weight: 50 kg (men) or 45.5 kg (women) + 2.3 kg per inch over 5 feet",
    "Used only to show the clearance by ideal and adjusted weight beside the actual one.",
)
IBW_KG_PER_INCH = _c(
    "IBW_KG_PER_INCH",
    Fraction(23, 10),
    "kg per inch over 60 inches",
    ("devine1974",),
    "R",
    "Ideal body weight: + 2.3 kg per inch over 5 feet",
)
ADJUSTED_WEIGHT_FACTOR = _c(
    "ADJUSTED_WEIGHT_FACTOR",
    Fraction(4, 10),
    "fraction of the excess over ideal weight",
    ("devine1974",),
    "D",
    "Adjusted body weight = ideal + 0.4 x (actual - ideal), the convention of common "
    "clearance calculators",
    "No source in this base validates it for baclofen; shown for comparison only.",
)

# --- The intrathecal pathway (itb-oral-wean, itb-concentration-mismatch) --------------------

WEAN_STEP_RANGE_FRACTION = _c(
    "WEAN_STEP_RANGE_FRACTION",
    (Fraction(1, 4), Fraction(1, 2)),
    "fraction of the oral daily dose per step",
    ("cmsc2015",),
    "V1",
    "Oral baclofen 'can be decreased by 25%-50% at one time' as intrathecal therapy starts",
    "A conference abstract. A step above 50% draws a caution, below 25% a note; neither is a "
    "limit on the field.",
)
WEAN_ASSESS_WITHIN_HOURS = _c(
    "WEAN_ASSESS_WITHIN_HOURS",
    24,
    "hours",
    ("cmsc2015",),
    "V1",
    "'Assess within 24 hrs of a dose change'",
    "The schedule shows the day after each cut as the day to assess by.",
)
WEAN_MIN_STEP_DAYS = _c(
    "WEAN_MIN_STEP_DAYS",
    3,
    "days",
    ("label-tablets",),
    "D",
    "This site's threshold: oral wean steps closer than 3 days apart draw a caution",
    "No source in this base gives the days between wean steps once the pump runs; the oral "
    "label changes the dose every 3 days when titrating, and this site uses the same pace as "
    "the fastest it leaves unflagged.",
)
WEAN_DEFAULT_STEP_DAYS = _c(
    "WEAN_DEFAULT_STEP_DAYS",
    7,
    "days",
    ("cmsc2015",),
    "D",
    "This site's default: one week per oral wean step (CMSC 2015 gives the size of a step, not "
    "the days between steps)",
    "A default, not a recommendation: a week lets each step be judged at a review before the "
    "next. Not a threshold.",
)

CONSTANTS: dict[str, Constant[Any]] = {constant.name: constant for constant in _ALL}
