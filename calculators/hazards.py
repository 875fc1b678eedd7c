"""The hazard register: every way a result could mislead, and the control that answers it.

One :class:`Hazard` per slip or misreading: what goes wrong, the harm, the control (warning
codes of one severity, or a refusal of the input), the source keys and status of its
threshold, the calculators it applies to, and two kinds of example run by the tests: inputs
where the control fires, and inputs just inside its limit where it does not.

This module is data. :meth:`calculators.spec.Warnings.add` refuses a code that no hazard
holds (or a severity other than the register's), ``tests/calculators/test_hazards.py``
runs every example, and the site's Safety and validation page is built from this register.
A new warning therefore cannot ship without a hazard, a source or a stated threshold, and
examples that show it fire and stay quiet.

Statuses follow ``calculators/constants.py``: V1, V2, R, P, D (this site's own threshold),
``arithmetic`` (a control of this site's own arithmetic or display, no clinical threshold).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "DISTRUSTING_CODES",
    "HAZARDS",
    "SEVERITY_BY_CODE",
    "Example",
    "Hazard",
]

SEVERITIES = ("info", "caution", "danger")
ALL = "*"


@dataclass(frozen=True)
class Example:
    """Inputs for one calculator (form values; missing fields take their defaults)."""

    calculator: str
    inputs: dict[str, Any] = field(default_factory=dict)
    note: str = ""


@dataclass(frozen=True)
class Hazard:
    """One hazard and its control.

    ``codes`` are the warning codes that control it, all of ``severity``; ``refusal`` names
    the field whose validation refuses the input instead (then ``codes`` may be empty).
    ``fires`` are inputs where a code in ``codes`` (or the refusal) appears; ``quiet`` are
    inputs just inside the limit where none of ``codes`` appears. A hazard shown on every
    result (context) sets ``always=True`` and needs no quiet example. ``distrusts_input``
    marks codes that say the calculator's own input cannot be trusted: a givable dose is
    then withheld (:func:`calculators.guards.apply_guards`).
    """

    id: str
    slip: str
    harm: str
    severity: str
    codes: tuple[str, ...]
    sources: tuple[str, ...]
    status: str
    calculators: tuple[str, ...]
    fires: tuple[Example, ...]
    quiet: tuple[Example, ...] = ()
    refusal: str = ""
    always: bool = False
    distrusts_input: bool = False
    threshold: str = ""


def _h(**kwargs: Any) -> Hazard:  # noqa: ANN401 - keyword rows read as a table
    return Hazard(**kwargs)


E = Example
_ORAL = ("oral-titration", "oral-taper", "oral-to-iv", "renal-function")
_ITB_DAILY = (
    "itb-initial-dose",
    "itb-titration",
    "itb-refill",
    "itb-refill-visit",
    "itb-concentration-change",
    "itb-flex-schedule",
    "itb-concentration-mismatch",
)
_FLEX_ONE = [{"start_hours": 0, "duration_hours": 24, "rate_mcg_per_hour": 16.667}]

HAZARDS: tuple[Hazard, ...] = (
    # --- route ceilings (guards.py, every calculator that declares such a dose) -------------
    _h(
        id="iv-single-dose-above-studied",
        slip="An IV dose per administration above anything studied (a once-daily split).",
        harm="An unstudied intravenous peak: sedation, nystagmus, respiratory depression.",
        severity="danger",
        codes=("iv-single-dose-above-studied",),
        sources=("schmitz2017",),
        status="V1",
        threshold="IV_LARGEST_SINGLE_DOSE_STUDIED_MG",
        calculators=("oral-to-iv",),
        fires=(E("oral-to-iv", {"oral_daily_mg": 61, "doses_per_day": 3}, "15.05 mg per dose"),),
        quiet=(E("oral-to-iv", {"oral_daily_mg": 60.5, "doses_per_day": 3}, "14.92 mg"),),
    ),
    _h(
        id="iv-daily-above-studied",
        slip="An IV daily total split into doses that each stay under 15 mg.",
        harm="Repeated intravenous dosing, which no study gave.",
        severity="caution",
        codes=("iv-daily-above-studied",),
        sources=("schmitz2017",),
        status="V1",
        threshold="IV_LARGEST_SINGLE_DOSE_STUDIED_MG",
        calculators=("oral-to-iv",),
        fires=(E("oral-to-iv", {"oral_daily_mg": 100, "doses_per_day": 6}, "74 mg/day"),),
        quiet=(E("oral-to-iv", {"oral_daily_mg": 20}, "14.8 mg/day"),),
    ),
    _h(
        id="iv-once-daily",
        slip="A daily IV dose split into one or two doses, for a drug with a short half-life.",
        harm="Large peaks and troughs; no such regimen was studied.",
        severity="danger",
        codes=(),
        refusal="doses_per_day",
        sources=("he2014", "schmitz2017"),
        status="D",
        threshold="IV_MIN_DOSES_PER_DAY",
        calculators=("oral-to-iv",),
        fires=(E("oral-to-iv", {"doses_per_day": 2}),),
        quiet=(E("oral-to-iv", {"doses_per_day": 3}),),
    ),
    _h(
        id="iv-peak-not-auc",
        slip="Reading an equal daily exposure (AUC) as an equal, safe IV dose.",
        harm="Higher IV peaks than oral; nystagmus 13/36 after IV against 4/36 oral.",
        severity="caution",
        codes=("iv-peak-not-auc", "iv-investigational"),
        sources=("schmitz2017", "agarwal2015"),
        status="V1",
        calculators=("oral-to-iv",),
        always=True,
        fires=(E("oral-to-iv", {}),),
    ),
    _h(
        id="seed-figure-as-dose",
        slip="Taking the seed's unsourced 20% IV reduction as a dose.",
        harm="A dose resting on no source.",
        severity="info",
        codes=("seed-20-percent-not-found",),
        sources=("seed", "agarwal2015"),
        status="NF",
        calculators=("oral-to-iv",),
        always=True,
        fires=(E("oral-to-iv", {}),),
    ),
    _h(
        id="oral-above-us-maximum",
        slip="An oral daily dose above the US labelled maximum of 80 mg/day.",
        harm="Off-label exposure; more sedation and weakness.",
        severity="caution",
        codes=("above-us-maximum",),
        sources=("label-tablets", "uk-smpc", "au-pi"),
        status="V1",
        threshold="ORAL_MAX_DAILY_MG_US",
        calculators=(*_ORAL, "itb-oral-wean"),
        fires=(
            E("oral-titration", {"target_daily_mg": 85}),
            E("oral-taper", {"current_daily_mg": 85, "doses_per_day": 4}),
            E("oral-to-iv", {"oral_daily_mg": 80.5}),
            E("renal-function", {"planned_daily_mg": 80.5}),
        ),
        quiet=(
            E("oral-titration", {"target_daily_mg": 80, "doses_per_day": 4}),
            E("oral-to-iv", {"oral_daily_mg": 80}),
        ),
    ),
    _h(
        id="oral-start-far-above-label",
        slip="A new patient started far above the label's 15 mg/day (e.g. at 80 mg/day).",
        harm="Sedation, dizziness, weakness, falls on day 1.",
        severity="danger",
        codes=("oral-start-far-above-label",),
        sources=("label-tablets", "label-ozobax"),
        status="D",
        threshold="ORAL_START_DANGER_MULTIPLE",
        calculators=("oral-titration",),
        fires=(
            E(
                "oral-titration",
                {"start_dose_mg": 20, "doses_per_day": 4, "target_daily_mg": 80},
                "M6: 80 mg/day from day 1",
            ),
            E("oral-titration", {"start_dose_mg": 10.5, "target_daily_mg": 31.5}),
        ),
        quiet=(E("oral-titration", {"start_dose_mg": 10, "target_daily_mg": 30}),),
    ),
    _h(
        id="oral-step-far-above-label",
        slip="One titration step that adds more than twice the label's step in a day.",
        harm="Sedation, weakness and falls from a sudden climb.",
        severity="danger",
        codes=("oral-step-far-above-label",),
        sources=("label-tablets", "label-ozobax"),
        status="D",
        threshold="ORAL_START_DANGER_MULTIPLE",
        calculators=("oral-titration",),
        fires=(
            E(
                "oral-titration",
                {"doses_per_day": 4, "step_mg": 10, "step_days": 1, "target_daily_mg": 100},
                "+40 mg/day a step",
            ),
        ),
        quiet=(
            E(
                "oral-titration",
                {"doses_per_day": 4, "step_mg": 7.5, "target_daily_mg": 80},
                "+30 mg/day a step",
            ),
        ),
    ),
    _h(
        id="oral-faster-than-label",
        slip="A schedule that climbs faster than the label, judged per dose not per day.",
        harm="Adverse effects from a faster climb than intended.",
        severity="caution",
        codes=("faster-than-label",),
        sources=("label-tablets", "label-ozobax"),
        status="V1",
        calculators=("oral-titration",),
        fires=(
            E(
                "oral-titration",
                {"start_dose_mg": 5, "doses_per_day": 4, "step_mg": 5, "target_daily_mg": 80},
                "W1: 20 mg/day start, +20 mg/day a step",
            ),
            E("oral-titration", {"step_days": 2}),
        ),
        quiet=(E("oral-titration", {"start_dose_mg": 2.5, "doses_per_day": 4, "step_mg": 2.5}),),
    ),
    _h(
        id="oral-schedule-context",
        slip="A schedule read as the label's, or as adjusted for kidney function or age.",
        harm="A dose not adjusted for a reduced clearance or a child.",
        severity="info",
        codes=(
            "not-label-schedule",
            "below-usual-range",
            "uneven-final-step",
            "children-not-established",
            "not-adjusted-for-kidney",
        ),
        sources=("label-tablets", "label-ozobax"),
        status="V1",
        calculators=("oral-titration", "oral-taper", "itb-oral-wean"),
        always=True,
        fires=(E("oral-titration", {"start_dose_mg": 2.5, "step_mg": 2.5, "target_daily_mg": 20}),),
    ),
    _h(
        id="oral-single-dose-above-label",
        slip="Single doses above the label's largest (20 mg).",
        harm="Higher peaks than the label ever gives.",
        severity="caution",
        codes=("single-dose-above-label",),
        sources=("label-tablets",),
        status="V1",
        calculators=("oral-titration", "itb-oral-wean", "oral-taper"),
        fires=(E("oral-titration", {"target_daily_mg": 65}, "25 + 20 + 20 mg"),),
        quiet=(E("oral-titration", {"target_daily_mg": 60}),),
    ),
    _h(
        id="oral-liquid-concentration",
        slip="The same mg dose measured from a liquid of another concentration.",
        harm="Up to a five-fold overdose or underdose (ISMP alert); a standing reminder, so a "
        "caution rather than a danger.",
        severity="caution",
        codes=("liquid-concentration",),
        sources=("ismp-liquids", "label-ozobax"),
        status="V1",
        calculators=("oral-titration", "oral-taper", "itb-oral-wean"),
        fires=(
            E("oral-titration", {"formulation": "ozobax"}),
            E("oral-taper", {"dose_unit_mg": 1}),
        ),
        quiet=(E("oral-titration", {"formulation": "tablet"}),),
    ),
    _h(
        id="oral-tablet-splitting",
        slip="A dose that needs split tablets, or strengths that may not be stocked.",
        harm="A dose that cannot be given as written.",
        severity="caution",
        codes=("tablet-split", "half-tablets"),
        sources=("label-tablets",),
        status="V1",
        calculators=("oral-titration", "oral-taper", "itb-oral-wean"),
        fires=(
            E("oral-titration", {"start_dose_mg": 2.5, "step_mg": 2.5, "formulation": "tablet"}),
            E("oral-taper", {"dose_unit_mg": 2.5}),
        ),
        quiet=(E("oral-taper", {"dose_unit_mg": 5}),),
    ),
    _h(
        id="oral-tablet-strengths",
        slip="Assuming every tablet strength is available.",
        harm="A count that cannot be dispensed.",
        severity="info",
        codes=("tablet-strengths",),
        sources=("label-tablets",),
        status="V1",
        calculators=("oral-titration",),
        fires=(E("oral-titration", {"formulation": "tablet"}),),
        quiet=(E("oral-titration", {"formulation": "ozobax"}),),
    ),
    # --- stopping oral baclofen ------------------------------------------------------------
    _h(
        id="oral-short-taper",
        slip="Stopping oral baclofen over fewer days than the shortest wording allows.",
        harm="Withdrawal: hallucinations, seizures, fever, rebound spasticity, death.",
        severity="danger",
        codes=("short-taper",),
        sources=("label-ozobax", "bnf"),
        status="V2",
        threshold="TAPER_MIN_DAYS",
        calculators=("oral-taper", "itb-oral-wean"),
        fires=(
            E("itb-oral-wean", {"step_percent": 50, "step_days": 1}, "stops on day 5"),
            E("oral-taper", {"taper_days": 6}),
        ),
        quiet=(
            E("itb-oral-wean", {"step_percent": 50, "step_days": 2}),
            E("oral-taper", {"taper_days": 7, "current_daily_mg": 15, "doses_per_day": 3}),
        ),
    ),
    _h(
        id="oral-reduction-step-large",
        slip="One taper step that cuts more than half the daily dose.",
        harm="Withdrawal at that step.",
        severity="caution",
        codes=("reduction-step-large",),
        sources=("cmsc2015",),
        status="D",
        threshold="ORAL_REDUCTION_STEP_CAUTION_FRACTION",
        calculators=("oral-taper", "itb-oral-wean"),
        fires=(
            E("itb-oral-wean", {"step_percent": 60}),
            E(
                "oral-taper",
                {"current_daily_mg": 80, "doses_per_day": 4, "taper_days": 7},
                "M5: 55 -> 25 mg/day cuts 55%",
            ),
        ),
        quiet=(
            E("itb-oral-wean", {"step_percent": 50}),
            E("oral-taper", {"current_daily_mg": 100, "doses_per_day": 4, "taper_days": 7}),
        ),
    ),
    _h(
        id="oral-taper-stop-from-high-dose",
        slip="A taper that stops from more than twice the label's starting daily dose.",
        harm="An abrupt stop of a large dose: withdrawal.",
        severity="danger",
        codes=("taper-stop-from-high-dose",),
        sources=("label-tablets", "label-ozobax"),
        status="D",
        threshold="ORAL_START_DANGER_MULTIPLE",
        calculators=("oral-taper", "itb-oral-wean"),
        fires=(
            E("itb-oral-wean", {"step_percent": 100}),
            E(
                "oral-taper",
                {"current_daily_mg": 200, "doses_per_day": 4, "taper_days": 7},
                "stops from 65 mg/day",
            ),
        ),
        quiet=(
            E("itb-oral-wean", {"current_daily_mg": 30, "step_percent": 100}),
            E(
                "oral-taper",
                {"current_daily_mg": 80, "doses_per_day": 4, "taper_days": 7},
                "stops from 25 mg/day: a caution",
            ),
        ),
    ),
    _h(
        id="oral-target-above-every-label",
        slip="A dose to aim for above every oral label (80 US, 100 UK/AU).",
        harm="Sedation, weakness; toxicity with reduced kidney function.",
        severity="danger",
        codes=("oral-target-above-every-label",),
        sources=("label-tablets", "uk-smpc", "au-pi"),
        status="V1",
        threshold="ORAL_MAX_DAILY_MG_UK_AU",
        calculators=("oral-titration", "renal-function"),
        fires=(
            E("oral-titration", {"target_daily_mg": 105}),
            E("renal-function", {"planned_daily_mg": 100.5}),
        ),
        quiet=(E("oral-titration", {"target_daily_mg": 100, "doses_per_day": 4}),),
    ),
    _h(
        id="oral-taper-last-dose-large",
        slip="A taper that stops from a large daily dose.",
        harm="An abrupt stop of that dose: withdrawal.",
        severity="caution",
        codes=("taper-last-dose-large",),
        sources=("label-tablets", "label-ozobax"),
        status="D",
        threshold="TAPER_LAST_DAILY_CAUTION_MG",
        calculators=("oral-taper", "itb-oral-wean"),
        fires=(
            E("itb-oral-wean", {"current_daily_mg": 20, "step_percent": 100}),
            E(
                "oral-taper",
                {"current_daily_mg": 80, "doses_per_day": 4, "taper_days": 7},
                "M5: stops from 25 mg/day",
            ),
        ),
        quiet=(
            E("itb-oral-wean", {"current_daily_mg": 15, "step_percent": 100}),
            E("oral-taper", {"current_daily_mg": 30, "doses_per_day": 3, "taper_days": 7}),
        ),
    ),
    _h(
        id="oral-taper-context",
        slip="Reading this site's equal-step layout as a published schedule, or a unit too "
        "coarse to step down.",
        harm="A taper that is not what the labels say, or no taper at all.",
        severity="caution",
        codes=("no-step-down",),
        sources=("label-tablets",),
        status="arithmetic",
        calculators=("oral-taper",),
        fires=(E("oral-taper", {"current_daily_mg": 5, "doses_per_day": 1}),),
        quiet=(E("oral-taper", {"current_daily_mg": 10, "doses_per_day": 1}),),
    ),
    _h(
        id="oral-taper-wording",
        slip="Reading the UK's 1-2 weeks as a target rather than a minimum.",
        harm="A taper shorter than needed.",
        severity="info",
        codes=("taper-wording",),
        sources=("label-tablets", "bnf"),
        status="V2",
        calculators=("oral-taper",),
        always=True,
        fires=(E("oral-taper", {}),),
    ),
    # --- change guards (every current -> new pair) -----------------------------------------
    _h(
        id="change-tenfold",
        slip="A new dose ten times the old, or a tenth of it: a decimal, mg/mcg (x1000) or "
        "per-hour/per-day (x24) slip.",
        harm="A tenfold overdose, or an abrupt stop and withdrawal.",
        severity="danger",
        codes=("change-tenfold",),
        sources=("ismp-flex",),
        status="D",
        threshold="CHANGE_TENFOLD_FACTOR",
        calculators=("itb-refill-visit", "oral-taper", "oral-titration", "itb-oral-wean"),
        fires=(
            E("itb-refill-visit", {"new_daily_dose_mcg": 2000}, "D3: +900%"),
            E("itb-refill-visit", {"new_daily_dose_mcg": 20}, "D3: -90%"),
        ),
        quiet=(
            E("itb-refill-visit", {"new_daily_dose_mcg": 1999}),
            E("itb-refill-visit", {"new_daily_dose_mcg": 21}),
        ),
    ),
    _h(
        id="change-far-outside-label-range",
        slip="A refill change beyond double or half: 180 typed as 1800, 220 as 22.",
        harm="A large overdose, or an abrupt cut and withdrawal.",
        severity="danger",
        codes=("dose-change-far-outside-label-range",),
        sources=("label-gablofen", "label-lioresal-it"),
        status="D",
        threshold="REFILL_CHANGE_DANGER_FACTOR",
        calculators=("itb-refill-visit",),
        fires=(
            E("itb-refill-visit", {"new_daily_dose_mcg": 401}, "x2.005"),
            E("itb-refill-visit", {"new_daily_dose_mcg": 99}, "below half"),
            E("itb-refill-visit", {"new_daily_dose_mcg": 1800}, "fourth review D-1"),
        ),
        quiet=(
            E("itb-refill-visit", {"new_daily_dose_mcg": 400}, "exactly double: a caution"),
            E("itb-refill-visit", {"new_daily_dose_mcg": 100}, "exactly half: a caution"),
        ),
    ),
    _h(
        id="change-outside-label-range",
        slip="A change at a refill beyond the label's usual changes.",
        harm="Overdose after a large increase, withdrawal after a large cut.",
        severity="caution",
        codes=("dose-change-outside-label-range",),
        sources=("label-gablofen", "label-lioresal-it"),
        status="V2",
        threshold="ITB_MAINTENANCE_CHANGE_SPINAL",
        calculators=("itb-refill-visit",),
        fires=(
            E("itb-refill-visit", {"new_daily_dose_mcg": 281}, "+40.5%"),
            E("itb-refill-visit", {"new_daily_dose_mcg": 159}, "-20.5%"),
        ),
        quiet=(
            E("itb-refill-visit", {"new_daily_dose_mcg": 280}),
            E("itb-refill-visit", {"new_daily_dose_mcg": 160}),
        ),
    ),
    _h(
        id="change-within-label-range",
        slip="Not knowing where a change sits against the label's usual changes.",
        harm="None directly: context.",
        severity="info",
        codes=("dose-change-within-label-range",),
        sources=("label-gablofen", "label-lioresal-it"),
        status="V2",
        calculators=("itb-refill-visit",),
        fires=(E("itb-refill-visit", {"new_daily_dose_mcg": 240}),),
        quiet=(E("itb-refill-visit", {"new_daily_dose_mcg": 281}),),
    ),
    # --- intrathecal route ceilings and unit slips -----------------------------------------
    _h(
        id="itb-bolus-above-screening",
        slip="A single intrathecal bolus above the largest screening bolus (100 mcg).",
        harm="Intrathecal overdose (reported after 25 mcg in a sensitive adult).",
        severity="caution",
        codes=("itb-bolus-above-screening",),
        sources=("boster2016screen", "label-gablofen"),
        status="V1",
        threshold="ITB_LARGEST_SCREENING_BOLUS_MCG",
        calculators=("itb-flex-schedule",),
        fires=(
            E(
                "itb-flex-schedule",
                {
                    "intended_daily_mcg": 500.5,
                    "steps": [
                        {"start_hours": 0, "duration_hours": 24, "rate_mcg_per_hour": 16.667}
                    ],
                    "boluses": [{"time_hours": 8, "dose_mcg": 100.5}],
                },
            ),
        ),
        quiet=(
            E(
                "itb-flex-schedule",
                {
                    "intended_daily_mcg": 500,
                    "steps": [
                        {"start_hours": 0, "duration_hours": 24, "rate_mcg_per_hour": 16.667}
                    ],
                    "boluses": [{"time_hours": 8, "dose_mcg": 100}],
                },
            ),
        ),
    ),
    _h(
        id="itb-bolus-large-share",
        slip="A huge single bolus that the 24-hour total hides (a daily dose typed as a bolus).",
        harm="A life-threatening intrathecal overdose at one time.",
        severity="danger",
        codes=("itb-bolus-large-share",),
        sources=("boster2016screen",),
        status="D",
        threshold="ITB_BOLUS_DAILY_SHARE_DANGER",
        calculators=("itb-flex-schedule",),
        fires=(
            E(
                "itb-flex-schedule",
                {
                    "intended_daily_mcg": 1200,
                    "steps": [
                        {"start_hours": 0, "duration_hours": 24, "rate_mcg_per_hour": 8.3333}
                    ],
                    "boluses": [{"time_hours": 8, "dose_mcg": 1000}],
                },
                "D4",
            ),
        ),
        quiet=(
            E(
                "itb-flex-schedule",
                {
                    "intended_daily_mcg": 239,
                    "steps": [{"start_hours": 0, "duration_hours": 24, "rate_mcg_per_hour": 5}],
                    "boluses": [{"time_hours": 8, "dose_mcg": 119}],
                },
                "119 of 239 mcg, just under half: a caution, not this danger",
            ),
        ),
    ),
    _h(
        id="itb-bolus-half-of-day",
        slip="A bolus of half the day's dose or more, at any size.",
        harm="Intrathecal overdose in a small or sensitive patient.",
        severity="caution",
        codes=("itb-bolus-half-of-day",),
        sources=("label-gablofen",),
        status="D",
        threshold="ITB_MIN_BOLUS_SHARE_CAUTION",
        calculators=("itb-flex-schedule",),
        fires=(
            E(
                "itb-flex-schedule",
                {
                    "intended_daily_mcg": 124,
                    "steps": [{"start_hours": 0, "duration_hours": 24, "rate_mcg_per_hour": 1}],
                    "boluses": [{"time_hours": 8, "dose_mcg": 100}],
                },
            ),
        ),
        quiet=(
            E(
                "itb-flex-schedule",
                {
                    "intended_daily_mcg": 47,
                    "steps": [{"start_hours": 0, "duration_hours": 24, "rate_mcg_per_hour": 1}],
                    "boluses": [{"time_hours": 8, "dose_mcg": 23}],
                },
            ),
        ),
    ),
    _h(
        id="itb-daily-above-observed",
        slip="An intrathecal daily dose above the highest observed (2000; 1199 in children).",
        harm="Overdose, or a unit or basis slip.",
        severity="caution",
        codes=("itb-daily-above-observed",),
        sources=("label-gablofen", "label-lioresal-it"),
        status="V2",
        threshold="ITB_OBSERVED_SPINAL_RANGE_MCG",
        calculators=_ITB_DAILY,
        fires=(
            E("itb-titration", {"current_daily_mcg": 2001}),
            E(
                "itb-titration",
                {"current_daily_mcg": 1000, "age_group": "child", "target_daily_mcg": 1200},
            ),
            E("itb-refill", {"daily_dose_mcg": 2001}),
        ),
        quiet=(
            E("itb-titration", {"current_daily_mcg": 2000}),
            E(
                "itb-titration",
                {"current_daily_mcg": 1000, "age_group": "child", "target_daily_mcg": 1199},
            ),
        ),
    ),
    _h(
        id="itb-daily-below-observed",
        slip="An intrathecal daily dose below the lowest observed (12 mcg/day): a per-hour "
        "rate or a mg value typed as a daily mcg dose?",
        harm="Underdose and withdrawal, or a slip that hides an overdose elsewhere.",
        severity="caution",
        codes=("itb-daily-below-observed",),
        sources=("label-gablofen", "label-lioresal-it"),
        status="V2",
        threshold="ITB_OBSERVED_SPINAL_RANGE_MCG",
        calculators=_ITB_DAILY,
        fires=(E("itb-refill", {"daily_dose_mcg": 11.9}),),
        quiet=(E("itb-refill", {"daily_dose_mcg": 12}),),
    ),
    _h(
        id="itb-per-hour-per-day",
        slip="A flex step rate typed per day where the pump takes per hour (ISMP).",
        harm="24 times the intended dose.",
        severity="danger",
        codes=("per-hour-per-day-slip", "total-far-from-intended"),
        sources=("ismp-flex",),
        status="V1",
        calculators=("itb-flex-schedule",),
        fires=(
            E(
                "itb-flex-schedule",
                {
                    "intended_daily_mcg": 60,
                    "steps": [{"start_hours": 0, "duration_hours": 24, "rate_mcg_per_hour": 60}],
                    "boluses": [],
                },
            ),
        ),
        quiet=(
            E(
                "itb-flex-schedule",
                {"intended_daily_mcg": 400, "steps": _FLEX_ONE, "boluses": []},
            ),
        ),
    ),
    _h(
        id="itb-flex-total-differs",
        slip="A flex programme whose 24-hour total misses the prescription by more than 1%.",
        harm="Under- or overdose day after day.",
        severity="caution",
        codes=("total-differs-from-intended",),
        sources=("ismp-flex",),
        status="D",
        threshold="FLEX_TOTAL_MATCH_FRACTION",
        calculators=("itb-flex-schedule",),
        fires=(
            E(
                "itb-flex-schedule",
                {
                    "intended_daily_mcg": 400,
                    "steps": [
                        {"start_hours": 0, "duration_hours": 8, "rate_mcg_per_hour": 12.5},
                        {"start_hours": 8, "duration_hours": 16, "rate_mcg_per_hour": 19.1},
                    ],
                    "boluses": [],
                },
                "405.6 mcg: 1.4% over",
            ),
        ),
        quiet=(
            E("itb-flex-schedule", {"intended_daily_mcg": 400, "steps": _FLEX_ONE, "boluses": []}),
        ),
    ),
    _h(
        id="itb-flex-rounding",
        slip="A total that differs from the intended dose only because rates are rounded.",
        harm="None: context.",
        severity="info",
        codes=("total-rounding-difference",),
        sources=("ismp-flex",),
        status="D",
        calculators=("itb-flex-schedule",),
        fires=(
            E("itb-flex-schedule", {"intended_daily_mcg": 400, "steps": _FLEX_ONE, "boluses": []}),
        ),
        quiet=(E("itb-flex-schedule", {}),),
    ),
    _h(
        id="itb-flex-gaps",
        slip="Hours of the day in no step, or in a step at 0 mcg/hour.",
        harm="Hours without drug: withdrawal risk hidden by a matching 24-hour total.",
        severity="caution",
        codes=("uncovered-hours", "itb-zero-rate-step"),
        sources=("boster2016",),
        status="arithmetic",
        calculators=("itb-flex-schedule",),
        fires=(
            E(
                "itb-flex-schedule",
                {
                    "intended_daily_mcg": 400,
                    "steps": [
                        {"start_hours": 0, "duration_hours": 12, "rate_mcg_per_hour": 0},
                        {"start_hours": 12, "duration_hours": 12, "rate_mcg_per_hour": 33.3333},
                    ],
                    "boluses": [],
                },
                "D4: 12 h at 0",
            ),
        ),
        quiet=(E("itb-flex-schedule", {}),),
    ),
    _h(
        id="itb-flex-clock-change",
        slip="Steps that shift when the clocks change.",
        harm="Doses at the wrong time of day.",
        severity="info",
        codes=("clock-change",),
        sources=("boster2016",),
        status="V1",
        calculators=("itb-flex-schedule",),
        always=True,
        fires=(E("itb-flex-schedule", {}),),
    ),
    # --- intrathecal start and titration ---------------------------------------------------
    _h(
        id="itb-initial-after-reaction",
        slip="Doubling the screening dose after negative reactions to it.",
        harm="Overdose in a patient who already reacted.",
        severity="caution",
        codes=("negative-reactions",),
        sources=("boster2016",),
        status="V1",
        calculators=("itb-initial-dose",),
        fires=(E("itb-initial-dose", {"negative_reactions": "yes"}),),
        quiet=(E("itb-initial-dose", {"negative_reactions": "no"}),),
    ),
    _h(
        id="itb-effect-outside-window",
        slip="An 'effect' far shorter than the response window, doubled as if positive.",
        harm="Starting intrathecal therapy on a doubtful screen.",
        severity="caution",
        codes=("effect-outside-response-window",),
        sources=("label-gablofen", "boster2016screen"),
        status="R",
        threshold="ITB_RESPONSE_WINDOW_HOURS",
        calculators=("itb-initial-dose",),
        fires=(E("itb-initial-dose", {"screening_dose_mcg": 50, "effect_hours": 3.9}, "M8"),),
        quiet=(E("itb-initial-dose", {"screening_dose_mcg": 50, "effect_hours": 4}),),
    ),
    _h(
        id="itb-start-context",
        slip="Increasing in the first 24 hours, too little monitoring, or the screening "
        "steps misread.",
        harm="Overdose before steady state; a missed reaction.",
        severity="info",
        codes=(
            "no-increase-24h",
            "monitor-after-start",
            "small-child-screening",
            "last-screening-dose",
        ),
        sources=("label-gablofen", "boster2016screen", "cmsc2015"),
        status="R",
        calculators=("itb-initial-dose",),
        always=True,
        fires=(E("itb-initial-dose", {"screening_dose_mcg": 25}),),
    ),
    _h(
        id="itb-titration-child-rates",
        slip="An adolescent titrated at adult rates, or the age group contradicting the age.",
        harm="Faster increases than the paediatric titration (5-15%).",
        severity="caution",
        codes=("adolescent-adult-rates", "age-group-mismatch", "below-labelled-age"),
        sources=("label-gablofen", "label-lioresal-it"),
        status="V2",
        threshold="ITB_CHILD_UNDER_YEARS",
        calculators=("itb-titration",),
        fires=(
            E(
                "itb-titration",
                {"current_daily_mcg": 100, "age_group": "adult", "age_years": 14},
                "M3",
            ),
            E("itb-titration", {"current_daily_mcg": 100, "age_group": "child", "age_years": 3}),
        ),
        quiet=(
            E("itb-titration", {"current_daily_mcg": 100, "age_group": "adult", "age_years": 18}),
        ),
    ),
    _h(
        id="itb-large-increase-at-higher-dose",
        slip="Increases above 20% a day at doses already in the maintenance range.",
        harm="Overdose.",
        severity="caution",
        codes=("large-increase-at-higher-dose",),
        sources=("cmsc2015",),
        status="V1",
        calculators=("itb-titration",),
        fires=(E("itb-titration", {"current_daily_mcg": 300}),),
        quiet=(E("itb-titration", {"current_daily_mcg": 299.9}),),
    ),
    _h(
        id="itb-titration-context",
        slip="Reading a usual range as a limit, or titrating more than once in 24 hours.",
        harm="Context.",
        severity="info",
        codes=("above-usual-maintenance", "target-not-above-current", "once-per-24h"),
        sources=("label-gablofen", "label-lioresal-it", "boster2016"),
        status="V2",
        calculators=("itb-titration",),
        always=True,
        fires=(E("itb-titration", {"current_daily_mcg": 900}),),
    ),
    # --- pump refills ----------------------------------------------------------------------
    _h(
        id="pump-alarm-before-visit",
        slip="A visit after the programme says the low-reservoir alarm sounded.",
        harm="Withdrawal before the visit.",
        severity="caution",
        codes=("alarm-before-visit",),
        sources=("neurosurgery2004",),
        status="arithmetic",
        calculators=("itb-refill-visit",),
        fires=(E("itb-refill-visit", {"daily_dose_mcg": 300, "aspirated_ml": 2.5}, "1.2 mL"),),
        quiet=(E("itb-refill-visit", {"daily_dose_mcg": 285, "aspirated_ml": 2.5}, "2.04 mL"),),
    ),
    _h(
        id="pump-alarm-setting",
        slip="A low-reservoir alarm below the volume one study found safer, taken as the date "
        "to refill by.",
        harm="Withdrawal before the alarm sounds (21 of 88 patients in one study, whatever "
        "drug the pump held). Controlled by the result itself: its refill-by date counts to "
        "4 mL left; the note (context) says why.",
        severity="info",
        codes=("alarm-too-late",),
        sources=("neurosurgery2004",),
        status="V1",
        calculators=("itb-refill", "itb-refill-visit", "itb-concentration-mismatch"),
        fires=(E("itb-refill", {"alarm_ml": 3.9}),),
        quiet=(E("itb-refill", {"alarm_ml": 4}),),
    ),
    _h(
        id="pump-refill-interval-long",
        slip="A fill that lasts many months or years: a per-hour rate typed as a daily dose, "
        "or a concentration too high for the dose.",
        harm="A refill date far too late: an empty pump and withdrawal.",
        severity="caution",
        codes=("refill-interval-long",),
        sources=("boster2016",),
        status="D",
        threshold="ITB_LONG_REFILL_INTERVAL_DAYS",
        calculators=("itb-refill", "itb-refill-visit", "itb-concentration-mismatch"),
        fires=(E("itb-refill", {"daily_dose_mcg": 16.7}, "400 mcg/day typed per hour: 539 days"),),
        quiet=(E("itb-refill", {"daily_dose_mcg": 49.2}, "182.9 days"),),
    ),
    _h(
        id="pump-alarm-on-refill-day",
        slip="A fill that reaches its refill-by day (4 mL left, or the alarm if set higher) on "
        "the day it is given.",
        harm="An empty pump before the next visit: withdrawal.",
        severity="danger",
        codes=("alarm-on-refill-day",),
        sources=("boster2016",),
        status="arithmetic",
        calculators=("itb-refill", "itb-refill-visit", "itb-concentration-mismatch"),
        fires=(
            E("itb-refill-visit", {"new_fill_ml": 2.1}, "0.25 days to the alarm"),
            E("itb-refill-visit", {"new_fill_ml": 4.3}, "0.7 days to 4 mL left (re-check W1)"),
        ),
        quiet=(E("itb-refill-visit", {"new_fill_ml": 4.5}, "1.2 days to 4 mL left"),),
    ),
    _h(
        id="pump-refill-interval-short",
        slip="A fill that reaches its refill-by day within days: usually a concentration too low "
        "for the dose.",
        harm="Refills every few days; a missed one means withdrawal.",
        severity="caution",
        codes=("refill-interval-short",),
        sources=("boster2016",),
        status="D",
        threshold="ITB_SHORT_REFILL_INTERVAL_DAYS",
        calculators=("itb-refill", "itb-refill-visit", "itb-concentration-mismatch"),
        fires=(
            E(
                "itb-refill",
                {"daily_dose_mcg": 5000, "concentration_mcg_per_ml": 500, "alarm_ml": 9},
                "M7",
            ),
            E(
                "itb-refill",
                {"daily_dose_mcg": 600},
                "13 days to the refill-by day, 15 to the alarm (re-check W1)",
            ),
        ),
        quiet=(
            E(
                "itb-refill",
                {"daily_dose_mcg": 557.4, "concentration_mcg_per_ml": 500, "alarm_ml": 2},
                "14.0 days to the refill-by day",
            ),
        ),
    ),
    _h(
        id="pump-interval-long",
        slip="A fill meant to last longer than the pump's battery.",
        harm="A pump that stops, or drug kept past a stated time.",
        severity="caution",
        codes=("interval-beyond-pump-life",),
        sources=("medtronic-pump",),
        status="P",
        calculators=("itb-refill", "itb-refill-visit", "itb-concentration-mismatch"),
        fires=(
            E(
                "itb-refill",
                {"daily_dose_mcg": 12, "concentration_mcg_per_ml": 2000, "reservoir_ml": 40},
            ),
        ),
        quiet=(E("itb-refill", {}),),
    ),
    _h(
        id="pump-reservoir-empty",
        slip="A visit after the programme would have emptied the reservoir.",
        harm="Days without drug: withdrawal.",
        severity="danger",
        codes=("reservoir-empty-before-visit",),
        sources=("label-gablofen",),
        status="arithmetic",
        calculators=("itb-refill-visit",),
        fires=(E("itb-refill-visit", {"visit_date": "2026-03-30", "aspirated_ml": 0}, "W2"),),
        quiet=(E("itb-refill-visit", {}),),
    ),
    _h(
        id="pump-found-low",
        slip="A reservoir found at or below its alarm volume, read as a bookkeeping matter.",
        harm="Withdrawal under way; overdose when delivery is restarted.",
        severity="danger",
        codes=("residual-at-or-below-alarm",),
        sources=("label-gablofen", "neurosurgery2004"),
        status="R",
        calculators=("itb-refill-visit",),
        fires=(E("itb-refill-visit", {"aspirated_ml": 2, "alarm_ml": 2}),),
        quiet=(E("itb-refill-visit", {"aspirated_ml": 2.1, "alarm_ml": 2}),),
    ),
    _h(
        id="pump-residual-withdrawal-band",
        slip="A residual above the alarm volume but under 4 mL, read as normal.",
        harm="Withdrawal already starting: one study saw symptoms begin 1 to 7 days before "
        "2.1-3.8 mL was left, and none once the alarm was raised to 4 mL.",
        severity="caution",
        codes=("residual-in-withdrawal-band",),
        sources=("neurosurgery2004",),
        status="V1",
        threshold="PUMP_SAFER_ALARM_ML",
        calculators=("itb-refill-visit",),
        fires=(
            E("itb-refill-visit", {"aspirated_ml": 2.9, "alarm_ml": 2}, "sixth review M1"),
            E("itb-refill-visit", {"aspirated_ml": 3.99, "alarm_ml": 2}, "re-check M1"),
        ),
        quiet=(
            E("itb-refill-visit", {"aspirated_ml": 4, "alarm_ml": 2}),
            E("itb-refill-visit", {"aspirated_ml": 2, "alarm_ml": 2}),
        ),
    ),
    _h(
        id="refill-shortfall",
        slip="Less drug left in the reservoir than expected, by more than a normal pump's "
        "over-delivery and what a syringe can read.",
        harm="A pocket fill, a leak or wrong records; overdose risk at this refill too.",
        severity="caution",
        codes=("residual-below-expected",),
        sources=("wesemann2014",),
        status="D",
        threshold="REFILL_SHORTFALL_CAUTION_FRACTION",
        calculators=("itb-refill-visit",),
        fires=(
            E("itb-refill-visit", {"aspirated_ml": 6.2}, "0.6 mL, 5.4% of 11.2 mL"),
            E(
                "itb-refill-visit",
                {"daily_dose_mcg": 100, "concentration_mcg_per_ml": 2000, "aspirated_ml": 16.39},
                "0.21 mL short at 2000 mcg/mL: 15% of the 1.4 mL delivered",
            ),
        ),
        quiet=(
            E("itb-refill-visit", {"aspirated_ml": 6.5}, "M1: 0.3 mL is a normal pump"),
            E("itb-refill-visit", {"aspirated_ml": 6.25}, "0.55 mL: not more than 5%"),
        ),
    ),
    _h(
        id="refill-shortfall-large",
        slip="A large shortfall: much more drug has left the reservoir than programmed.",
        harm="A pocket fill (351 reports, 8 lethal) or a catheter leak.",
        severity="danger",
        codes=("residual-far-below-expected",),
        sources=("wesemann2014", "maino2017", "pocketfill2011"),
        status="D",
        threshold="REFILL_SHORTFALL_DANGER_FRACTION",
        calculators=("itb-refill-visit",),
        fires=(
            E("itb-refill-visit", {"aspirated_ml": 4.5}, "2.3 mL, 20.5%"),
            E(
                "itb-refill-visit",
                {"daily_dose_mcg": 100, "concentration_mcg_per_ml": 2000, "aspirated_ml": 15.6},
                "1 mL (2000 mcg) missing of 1.4 mL delivered",
            ),
        ),
        quiet=(E("itb-refill-visit", {"aspirated_ml": 4.6}, "2.2 mL: not more than 20%"),),
    ),
    _h(
        id="refill-residual-above",
        slip="More left in the reservoir than expected, read as a recording error only.",
        harm="A missed catheter occlusion or pump stall: underdose and withdrawal.",
        severity="caution",
        codes=("residual-above-expected",),
        sources=("label-gablofen",),
        status="D",
        threshold="REFILL_SHORTFALL_CAUTION_FRACTION",
        calculators=("itb-refill-visit",),
        fires=(E("itb-refill-visit", {"aspirated_ml": 7.4}, "0.6 mL more"),),
        quiet=(E("itb-refill-visit", {"aspirated_ml": 7.3}, "0.5 mL more: within 5%"),),
    ),
    _h(
        id="refill-residual-far-above",
        slip="Far more left in the reservoir than expected (a stalled pump, a blocked "
        "catheter), graded as a mere caution.",
        harm="A patient going without intrathecal baclofen: withdrawal, which can be fatal.",
        severity="danger",
        codes=("residual-far-above-expected",),
        sources=("label-gablofen",),
        status="D",
        threshold="REFILL_SHORTFALL_DANGER_FRACTION",
        calculators=("itb-refill-visit",),
        fires=(E("itb-refill-visit", {"aspirated_ml": 9.1}, "2.3 mL more: above 20% of 11.2"),),
        quiet=(E("itb-refill-visit", {"aspirated_ml": 9.0}, "2.2 mL more: a caution only"),),
    ),
    _h(
        id="refill-residual-in-range",
        slip="A residual in range read as proof that the drug reached the CSF.",
        harm="A missed catheter leak or disconnection: withdrawal.",
        severity="info",
        codes=("discrepancy-within-reference", "maino-at-refill-only"),
        sources=("label-gablofen", "maino2017"),
        status="V1",
        calculators=("itb-refill-visit",),
        fires=(E("itb-refill-visit", {}),),
        quiet=(E("itb-refill-visit", {"aspirated_ml": 4.5}),),
    ),
    # --- concentration change --------------------------------------------------------------
    _h(
        id="concentration-unbridged",
        slip="A new concentration without a bridge bolus.",
        harm="Hours to days at a multiple (or a fraction) of the dose.",
        severity="danger",
        codes=("unbridged-overdose", "unbridged-underdose"),
        sources=("boster2016",),
        status="V1",
        calculators=("itb-concentration-change",),
        fires=(
            E(
                "itb-concentration-change",
                {"old_concentration_mcg_per_ml": 2000, "new_concentration_mcg_per_ml": 500},
            ),
            E("itb-concentration-change", {}),
        ),
        quiet=(E("itb-concentration-change", {"bridge": "yes"}),),
    ),
    _h(
        id="concentration-context",
        slip="A transition computed without the fluid-path volume, or read past the table.",
        harm="An unknown duration of the wrong dose.",
        severity="caution",
        codes=("fluid-path-needed",),
        sources=("boster2016",),
        status="NF",
        calculators=("itb-concentration-change",),
        fires=(E("itb-concentration-change", {}),),
        quiet=(E("itb-concentration-change", {"fluid_path_ml": 0.3}),),
    ),
    _h(
        id="concentration-notes",
        slip="A bridge or a long transition not understood.",
        harm="Context.",
        severity="info",
        codes=("bridge-programmed", "transition-beyond-table"),
        sources=("boster2016",),
        status="D",
        calculators=("itb-concentration-change",),
        fires=(
            E(
                "itb-concentration-change",
                {"daily_dose_mcg": 50, "fluid_path_ml": 10, "bridge": "yes"},
            ),
        ),
        quiet=(E("itb-concentration-change", {"fluid_path_ml": 0.3}),),
    ),
    _h(
        id="oral-climb-far-faster-than-label",
        slip="A titration whose daily climb (step size and frequency) is more than twice the "
        "label's.",
        harm="Drowsiness, weakness and falls from a climb six times the label's.",
        severity="danger",
        codes=("oral-climb-far-faster-than-label",),
        sources=("label-tablets", "label-ozobax"),
        status="D",
        threshold="ORAL_START_DANGER_MULTIPLE",
        calculators=("oral-titration",),
        fires=(
            E(
                "oral-titration",
                {"step_mg": 10, "step_days": 1, "target_daily_mg": 60},
                "fifth review M-1: +30 mg/day every day",
            ),
        ),
        quiet=(
            E(
                "oral-titration",
                {"step_mg": 10, "target_daily_mg": 60},
                "+30 mg/day every 3 days: twice the label's climb, a caution",
            ),
        ),
    ),
    _h(
        id="oral-single-dose-far-above-label",
        slip="Single oral doses of more than twice the label's largest (one large dose a day).",
        harm="Peak effects far above anything labelled: sedation, weakness, falls.",
        severity="danger",
        codes=("single-dose-far-above-label",),
        sources=("label-tablets",),
        status="D",
        threshold="ORAL_START_DANGER_MULTIPLE",
        calculators=("oral-taper", "oral-titration", "itb-oral-wean"),
        fires=(
            E(
                "oral-taper",
                {"current_daily_mg": 100, "doses_per_day": 1, "taper_days": 28},
                "90 mg single doses",
            ),
        ),
        quiet=(
            E(
                "oral-taper",
                {"current_daily_mg": 40, "doses_per_day": 1, "taper_days": 14},
                "single doses up to 40 mg: a caution",
            ),
        ),
    ),
    _h(
        id="itb-next-range-above-observed",
        slip="A next-day titration range that leaves the doses the label reports as observed.",
        harm="An increase into unobserved doses: overdose.",
        severity="caution",
        codes=("next-range-above-observed",),
        sources=("label-gablofen", "label-lioresal-it"),
        status="V2",
        threshold="ITB_OBSERVED_CHILD_MAX_MCG",
        calculators=("itb-titration",),
        fires=(
            E(
                "itb-titration",
                {"current_daily_mcg": 1100, "age_group": "child", "age_years": 8},
                "fifth review M-3",
            ),
        ),
        quiet=(
            E(
                "itb-titration",
                {"current_daily_mcg": 1000, "age_group": "child", "age_years": 8},
                "1000 x 1.15 = 1150",
            ),
        ),
    ),
    _h(
        id="concentration-fluid-path-large",
        slip="A fluid-path volume typed ten times too large (2.6 for 0.26 mL).",
        harm="A bridge ten times too long: the new concentration at the old rate, an overdose.",
        severity="caution",
        codes=("fluid-path-large",),
        sources=("boster2016",),
        status="D",
        threshold="ITB_FLUID_PATH_CAUTION_ML",
        calculators=("itb-concentration-change",),
        fires=(E("itb-concentration-change", {"bridge": "yes", "fluid_path_ml": 2.6}),),
        quiet=(E("itb-concentration-change", {"bridge": "yes", "fluid_path_ml": 1}),),
    ),
    # --- kidney function -------------------------------------------------------------------
    _h(
        id="renal-avoid",
        slip="Oral baclofen below a clearance of 30 mL/min or on dialysis.",
        harm="Baclofen toxicity: encephalopathy, coma (cleared by the kidney).",
        severity="danger",
        codes=("avoid-renal",),
        sources=("wolf2018",),
        status="V1",
        threshold="RENAL_AVOID_BELOW_ML_MIN",
        calculators=("renal-function",),
        fires=(
            E(
                "renal-function",
                {"age_years": 60, "weight_kg": 72, "sex": "male", "serum_creatinine": 2.67},
            ),
        ),
        quiet=(
            E(
                "renal-function",
                {"age_years": 60, "weight_kg": 72, "sex": "male", "serum_creatinine": 2.66},
            ),
        ),
    ),
    _h(
        id="renal-reduce",
        slip="A full dose at a clearance of 30-60 mL/min.",
        harm="Accumulation and toxicity.",
        severity="caution",
        codes=("reduce-renal",),
        sources=("wolf2018",),
        status="V1",
        threshold="RENAL_REDUCE_BELOW_ML_MIN",
        calculators=("renal-function",),
        fires=(
            E(
                "renal-function",
                {"age_years": 60, "weight_kg": 72, "sex": "male", "serum_creatinine": 1.34},
            ),
        ),
        quiet=(
            E(
                "renal-function",
                {"age_years": 60, "weight_kg": 72, "sex": "male", "serum_creatinine": 1.33},
            ),
        ),
    ),
    _h(
        id="renal-estimate-unreliable",
        slip="A Cockcroft-Gault clearance taken at face value where it is known to mislead "
        "(low muscle mass, weight far from lean, an implausible value, weights disagreeing).",
        harm="A reassuring 'no reduction' in exactly the patients who take baclofen: toxicity.",
        severity="caution",
        codes=(
            "low-creatinine",
            "weight-far-from-lean",
            "implausibly-high-clearance",
            "weight-basis-bands-differ",
            "older-low-creatinine",
        ),
        sources=("hazer2021", "cockcroft1976", "devine1974"),
        status="D",
        threshold="RENAL_LOW_CREATININE_MG_DL",
        distrusts_input=True,
        calculators=("renal-function",),
        fires=(
            E(
                "renal-function",
                {
                    "age_years": 35,
                    "weight_kg": 60,
                    "height_cm": 175,
                    "sex": "male",
                    "serum_creatinine": 0.4,
                    "planned_daily_mg": 80,
                },
                "D2",
            ),
            E(
                "renal-function",
                {
                    "age_years": 88,
                    "weight_kg": 42,
                    "height_cm": 155,
                    "sex": "female",
                    "serum_creatinine": 0.8,
                    "planned_daily_mg": 30,
                },
                "W6",
            ),
            E(
                "renal-function",
                {
                    "age_years": 45,
                    "weight_kg": 58,
                    "height_cm": 156,
                    "sex": "female",
                    "serum_creatinine": 0.7,
                    "planned_daily_mg": 60,
                },
                "MedCalc-Bench: actual 92.9 vs ideal 78.1 mL/min",
            ),
            E(
                "renal-function",
                {
                    "age_years": 88,
                    "weight_kg": 41.5,
                    "sex": "female",
                    "serum_creatinine": 0.8,
                    "planned_daily_mg": 30,
                },
                "fourth review D-3: no height, underweight for any adult height",
            ),
            E(
                "renal-function",
                {
                    "age_years": 85,
                    "weight_kg": 60,
                    "sex": "female",
                    "serum_creatinine": 0.9,
                    "planned_daily_mg": 30,
                },
                "fourth review D-3: 85 years, creatinine 0.9",
            ),
        ),
        quiet=(
            E(
                "renal-function",
                {
                    "age_years": 70,
                    "weight_kg": 70,
                    "height_cm": 175,
                    "sex": "male",
                    "serum_creatinine": 1.8,
                    "planned_daily_mg": 60,
                },
            ),
            E(
                "renal-function",
                {
                    "age_years": 79,
                    "weight_kg": 41.6,
                    "sex": "female",
                    "serum_creatinine": 0.9,
                    "planned_daily_mg": 30,
                },
                "79 years and 41.6 kg: just inside both thresholds",
            ),
            E(
                "renal-function",
                {
                    "age_years": 80,
                    "weight_kg": 60,
                    "sex": "female",
                    "serum_creatinine": 1.0,
                    "planned_daily_mg": 30,
                },
            ),
        ),
    ),
    _h(
        id="renal-dose-withheld",
        slip="A givable dose printed under the calculator's own warning that its input is "
        "unreliable.",
        harm="A confident dose from a number the result itself distrusts.",
        severity="caution",
        codes=("dose-withheld",),
        sources=("hazer2021",),
        status="D",
        calculators=(
            "renal-function",
            "itb-titration",
            "itb-initial-dose",
            "itb-concentration-mismatch",
            "itb-refill",
            "itb-refill-visit",
        ),
        fires=(
            E("itb-titration", {"current_daily_mcg": 4.2}, "fourth review D-4"),
            E(
                "itb-refill",
                {"daily_dose_mcg": 4, "refill_date": "2026-12-08"},
                "dates under a distrusted dose (sixth review re-check M3)",
            ),
            E("itb-initial-dose", {"screening_dose_mcg": 75, "effect_hours": 0.5}, "M9"),
            E(
                "renal-function",
                {
                    "age_years": 35,
                    "weight_kg": 60,
                    "height_cm": 175,
                    "sex": "male",
                    "serum_creatinine": 0.4,
                    "planned_daily_mg": 80,
                },
            ),
        ),
        quiet=(
            E(
                "renal-function",
                {
                    "age_years": 35,
                    "weight_kg": 60,
                    "height_cm": 175,
                    "sex": "male",
                    "serum_creatinine": 0.4,
                },
                "no planned dose: nothing to withhold",
            ),
        ),
    ),
    _h(
        id="renal-unit-small",
        slip="A reduced dose smaller than one dose unit.",
        harm="A dose rounded down to nothing.",
        severity="caution",
        codes=("reduced-below-one-unit",),
        sources=("label-tablets",),
        status="arithmetic",
        calculators=("renal-function",),
        fires=(
            E(
                "renal-function",
                {
                    "age_years": 60,
                    "weight_kg": 72,
                    "sex": "male",
                    "serum_creatinine": 1.2,
                    "planned_daily_mg": 5,
                    "dose_unit_mg": 5,
                },
            ),
        ),
        quiet=(
            E(
                "renal-function",
                {
                    "age_years": 60,
                    "weight_kg": 72,
                    "sex": "male",
                    "serum_creatinine": 1.2,
                    "planned_daily_mg": 10,
                    "dose_unit_mg": 5,
                },
            ),
        ),
    ),
    _h(
        id="renal-context",
        slip="A clearance read as an eGFR, a rounded value read across a band, an unchecked "
        "weight, or a creatinine that is not at steady state.",
        harm="The wrong band.",
        severity="info",
        codes=(
            "crcl-not-egfr",
            "rounded-across-threshold",
            "weight-unchecked",
            "crcl-needs-steady-state",
        ),
        sources=("cockcroft1976", "vlavonou2014", "wolf2018"),
        status="V1",
        calculators=("renal-function",),
        always=True,
        fires=(E("renal-function", {}),),
    ),
    # --- the intrathecal pathway (pathway.py) ------------------------------------------------
    _h(
        id="wean-step-above-source",
        slip="An oral wean step larger than the 25-50% the abstract describes.",
        harm="Oral baclofen withdrawal at that step, with the pump running.",
        severity="caution",
        codes=("wean-step-above-source",),
        sources=("cmsc2015",),
        status="V1",
        threshold="WEAN_STEP_RANGE_FRACTION",
        calculators=("itb-oral-wean",),
        fires=(E("itb-oral-wean", {"step_percent": 55}),),
        quiet=(E("itb-oral-wean", {"step_percent": 50}),),
    ),
    _h(
        id="wean-step-below-source",
        slip="An oral wean step smaller than the abstract's range, read as required.",
        harm="None in itself: a slower wean, with more steps (context).",
        severity="info",
        codes=("wean-step-below-source",),
        sources=("cmsc2015",),
        status="V1",
        threshold="WEAN_STEP_RANGE_FRACTION",
        calculators=("itb-oral-wean",),
        fires=(E("itb-oral-wean", {"step_percent": 20}),),
        quiet=(E("itb-oral-wean", {"step_percent": 25}),),
    ),
    _h(
        id="wean-steps-close",
        slip="Oral wean steps closer together than the oral label's 3-day dose changes.",
        harm="A cut before the last one's effect is known: withdrawal or rebound spasticity.",
        severity="caution",
        codes=("wean-steps-close",),
        sources=("label-tablets",),
        status="D",
        threshold="WEAN_MIN_STEP_DAYS",
        calculators=("itb-oral-wean",),
        fires=(E("itb-oral-wean", {"step_days": 2}),),
        quiet=(E("itb-oral-wean", {"step_days": 3}),),
    ),
    _h(
        id="wean-no-step",
        slip="A dose unit too coarse for the chosen cut, so the wean stops at once.",
        harm="An abrupt stop that looks like a schedule.",
        severity="caution",
        codes=("wean-no-step",),
        sources=("cmsc2015",),
        status="arithmetic",
        calculators=("itb-oral-wean",),
        fires=(E("itb-oral-wean", {"current_daily_mg": 5, "dose_unit_mg": 5}),),
        quiet=(
            E("itb-oral-wean", {"current_daily_mg": 10, "dose_unit_mg": 5, "step_percent": 50}),
        ),
    ),
    _h(
        id="wean-context",
        slip="Weaning without oral baclofen at hand, or several drugs at once.",
        harm="No bridge if the pump fails; no way to tell which drug caused a change.",
        severity="info",
        codes=("wean-keep-oral-available", "wean-assess"),
        sources=("cmsc2015", "boster2016"),
        status="V1",
        calculators=("itb-oral-wean",),
        always=True,
        fires=(E("itb-oral-wean", {}),),
    ),
    _h(
        id="concentration-mismatch",
        slip="A pump programmed for one concentration and filled with another.",
        harm="The wrong dose for the whole refill interval: 4 times the dose (overdose: "
        "respiratory depression, coma) or a quarter of it (withdrawal).",
        severity="danger",
        codes=("concentration-mismatch-overdose", "concentration-mismatch-underdose"),
        sources=("label-gablofen", "label-lioresal-it"),
        status="arithmetic",
        calculators=("itb-concentration-mismatch",),
        fires=(
            E("itb-concentration-mismatch", {}, "500 programmed, 2000 filled: 4x"),
            E(
                "itb-concentration-mismatch",
                {
                    "programmed_concentration_mcg_per_ml": 2000,
                    "filled_concentration_mcg_per_ml": 500,
                },
                "2000 programmed, 500 filled: a quarter",
            ),
        ),
        quiet=(
            E(
                "itb-concentration-mismatch",
                {"filled_concentration_mcg_per_ml": 500},
                "the same concentration",
            ),
        ),
    ),
    _h(
        id="mismatch-refill-plan",
        slip="A refill date planned for the filled concentration while the pump runs on the "
        "programmed one.",
        harm="A refill booked after the alarm: the reservoir runs low before the visit.",
        severity="caution",
        codes=("mismatch-refill-plan",),
        sources=("medtronic-fa596",),
        status="arithmetic",
        calculators=("itb-concentration-mismatch",),
        fires=(E("itb-concentration-mismatch", {}),),
        quiet=(E("itb-concentration-mismatch", {"filled_concentration_mcg_per_ml": 500}),),
    ),
    _h(
        id="concentration-refill-procedure",
        slip="Changing concentration without emptying the old drug, reprogramming or a bridge.",
        harm="One drug delivered under the other's settings: overdose or withdrawal.",
        severity="caution",
        codes=("concentration-change-procedure",),
        sources=("boster2016", "medtronic-pump"),
        status="D",
        calculators=("itb-concentration-mismatch",),
        fires=(E("itb-concentration-mismatch", {}),),
        quiet=(E("itb-concentration-mismatch", {"filled_concentration_mcg_per_ml": 500}),),
    ),
    _h(
        id="mismatch-correction-shortens-interval",
        slip="Correcting an underdosing programme without rebooking the refill.",
        harm="The corrected pump moves more volume a day and empties weeks before the visit "
        "planned for the old programme: withdrawal.",
        severity="danger",
        codes=("mismatch-correction-shortens-interval",),
        sources=("medtronic-fa596",),
        status="arithmetic",
        calculators=("itb-concentration-mismatch",),
        fires=(
            E(
                "itb-concentration-mismatch",
                {
                    "programmed_concentration_mcg_per_ml": 2000,
                    "filled_concentration_mcg_per_ml": 500,
                },
                "review 25b D-1",
            ),
        ),
        quiet=(E("itb-concentration-mismatch", {}, "an overdose: correcting lengthens it"),),
    ),
    _h(
        id="mismatch-refill-after-empty",
        slip="A next refill booked on or after the day the reservoir empties.",
        harm="Days with no intrathecal baclofen: withdrawal, which can be fatal.",
        severity="danger",
        codes=("refill-after-empty",),
        sources=("label-gablofen",),
        status="arithmetic",
        calculators=("itb-concentration-mismatch",),
        fires=(
            E(
                "itb-concentration-mismatch",
                {
                    "filled_concentration_mcg_per_ml": 500,
                    "fill_date": "2026-12-08",
                    "next_refill_date": "2026-12-31",
                },
                "empty after 22.5 days; refill on day 23",
            ),
            E(
                "itb-concentration-mismatch",
                {
                    "filled_concentration_mcg_per_ml": 500,
                    "fill_date": "2026-12-08",
                    "next_refill_date": "2026-12-30",
                },
                "day 22: an average pump, 2.5% fast, is empty after 21.95 days (third check M3)",
            ),
        ),
        quiet=(
            E(
                "itb-concentration-mismatch",
                {
                    "filled_concentration_mcg_per_ml": 500,
                    "fill_date": "2026-12-08",
                    "next_refill_date": "2026-12-29",
                },
                "refill on day 21, before an average pump is empty (21.95 days)",
            ),
        ),
    ),
    _h(
        id="mismatch-refill-after-alarm",
        slip="A next refill booked after the refill-by day (4 mL left, or the alarm if set "
        "higher).",
        harm="Withdrawal symptoms began 1 to 7 days before the residual fell to 2.1-3.8 mL.",
        severity="caution",
        codes=("refill-after-alarm",),
        sources=("neurosurgery2004",),
        status="V1",
        calculators=("itb-concentration-mismatch",),
        fires=(
            E(
                "itb-concentration-mismatch",
                {
                    "filled_concentration_mcg_per_ml": 500,
                    "fill_date": "2026-12-08",
                    "next_refill_date": "2026-12-29",
                },
                "alarm after 20 days; refill on day 21",
            ),
            E(
                "itb-concentration-mismatch",
                {
                    "filled_concentration_mcg_per_ml": 500,
                    "fill_date": "2026-12-08",
                    "next_refill_date": "2026-12-26",
                },
                "4 mL left after 17.1 days; refill on day 18, before the alarm (sixth review M5)",
            ),
        ),
        quiet=(
            E(
                "itb-concentration-mismatch",
                {
                    "filled_concentration_mcg_per_ml": 500,
                    "fill_date": "2026-12-08",
                    "next_refill_date": "2026-12-25",
                },
                "refill on day 17, before 4 mL is left",
            ),
        ),
    ),
    _h(
        id="concentrations-match",
        slip="Trusting a matching pair of figures without checking the syringe and printout.",
        harm="None in itself (context).",
        severity="info",
        codes=("concentrations-match",),
        sources=("medtronic-pump",),
        status="arithmetic",
        calculators=("itb-concentration-mismatch",),
        fires=(E("itb-concentration-mismatch", {"filled_concentration_mcg_per_ml": 500}),),
        quiet=(E("itb-concentration-mismatch", {}),),
    ),
)

SEVERITY_BY_CODE: dict[str, str] = {
    code: hazard.severity for hazard in HAZARDS for code in hazard.codes
}
DISTRUSTING_CODES: frozenset[str] = frozenset(
    code for hazard in HAZARDS if hazard.distrusts_input for code in hazard.codes
)
