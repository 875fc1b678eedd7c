"""Intrathecal baclofen (ITB): initial pump dose, titration, and pump refill arithmetic.

References: boster2016, boster2016screen, label-gablofen, label-lioresal-it, neurosurgery2004.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from . import constants as K
from ._util import exact, fail, number
from .spec import Calculator, Choice, Column, Field, Output, Table, Warnings, format_number

if TYPE_CHECKING:
    from fractions import Fraction

# A plausibility bound to catch mg/mcg and typing slips, NOT a clinical maximum: the
# "1000 mcg/day maximum" seen in one drug reference is not a label maximum (SOURCES.md),
# and labels report higher doses, so no clinical ceiling is coded.
_PLAUSIBLE_MAX_MCG_PER_DAY = 5000


def _pct(fraction: float) -> str:
    return f"{format_number(fraction * 100)}%"


# --- itb-initial-dose ----------------------------------------------------------------------


def itb_initial_dose(*, screening_dose_mcg: int, effect_hours: float) -> dict[str, Any]:
    """Initial daily pump dose after a positive screening bolus.

    Twice the effective screening dose over 24 hours; the screening dose itself when its
    effect lasted more than 8 hours. No increase in the first 24 hours. Doses in mcg.

    References: boster2016 (V1), label-gablofen (V2).
    """
    long_effect = effect_hours > K.ITB_LONG_EFFECT_HOURS.value
    multiplier = 1 if long_effect else K.ITB_INITIAL_MULTIPLIER.value
    daily = exact(screening_dose_mcg) * multiplier
    warnings = Warnings()
    warnings.add(
        "no-increase-24h",
        "info",
        f"Do not increase the dose in the first {K.ITB_NO_INCREASE_HOURS.value} hours.",
        *K.ITB_NO_INCREASE_HOURS.sources,
    )
    if screening_dose_mcg == K.ITB_SCREENING_DOSE_SMALL_CHILD_MCG.value:
        warnings.add(
            "small-child-screening",
            "info",
            f"{screening_dose_mcg} mcg is the screening dose for very small children.",
            *K.ITB_SCREENING_DOSE_SMALL_CHILD_MCG.sources,
        )
    if screening_dose_mcg == max(K.ITB_SCREENING_DOSES_MCG.value):
        warnings.add(
            "last-screening-dose",
            "info",
            f"{screening_dose_mcg} mcg is the last screening step: a patient who does not "
            "respond to it is not a candidate for intrathecal therapy.",
            *K.ITB_SCREENING_DOSES_MCG.sources,
        )
    rule = (
        f"effect lasted more than {K.ITB_LONG_EFFECT_HOURS.value} hours: the screening dose itself"
        if long_effect
        else f"effect lasted {K.ITB_LONG_EFFECT_HOURS.value} hours or less: "
        f"{K.ITB_INITIAL_MULTIPLIER.value} x the screening dose"
    )
    return {
        "initial_daily_mcg": number(daily),
        "hourly_mcg": number(daily / 24, 3),
        "rule": rule,
        "first_increase_after_hours": K.ITB_NO_INCREASE_HOURS.value,
        "warnings": warnings.items,
        "notes": ["The daily dose is given continuously over 24 hours by the pump."],
    }


# --- itb-titration -------------------------------------------------------------------------

_RATES = {
    ("adult", "spinal"): K.ITB_TITRATION_ADULT_SPINAL,
    ("adult", "cerebral"): K.ITB_TITRATION_ADULT_CEREBRAL,
    ("child", "spinal"): K.ITB_TITRATION_CHILD,
    ("child", "cerebral"): K.ITB_TITRATION_CHILD,
}


def _ladder(current: Fraction, target: Fraction, rate: Fraction) -> list[dict[str, Any]]:
    """Daily doses from ``current`` rising by ``rate`` once a day.

    The last step ends at ``target`` exactly (capped, never passed).
    """
    rows = [{"day": 0, "daily_mcg": number(current, 1)}]
    dose = current
    day = 0
    while dose < target:
        day += 1
        dose = min(dose * (1 + rate), target)
        rows.append({"day": day, "daily_mcg": number(dose, 1)})
    return rows


def itb_titration(
    *,
    current_daily_mcg: float,
    origin: str,
    age_group: str,
    target_daily_mcg: float | None = None,
) -> dict[str, Any]:
    """Next day's dose range during titration and, with a target, the days needed.

    Adults: spinal origin 10-30%, cerebral origin 5-15%; children 5-15%; at most one increase
    every 24 hours. ``days_to_target_min`` uses the largest increase every day,
    ``days_to_target_max`` the smallest. Doses in mcg/day.

    References: boster2016 (V1), label-gablofen (V2), label-lioresal-it (V2, maintenance).
    """
    rate = _RATES[(age_group, origin)]
    lo, hi = (exact(v) for v in rate.value)
    current = exact(current_daily_mcg)
    result: dict[str, Any] = {
        "next_min_mcg_per_day": number(current * (1 + lo)),
        "next_max_mcg_per_day": number(current * (1 + hi)),
        "increase_percent": f"{format_number(float(lo) * 100)}–{_pct(float(hi))}",
        "interval_hours": K.ITB_TITRATION_INTERVAL_HOURS.value,
        "days_to_target_min": None,
        "days_to_target_max": None,
        "fastest": [],
        "slowest": [],
    }
    warnings = Warnings()
    if target_daily_mcg is not None:
        target = exact(target_daily_mcg)
        if target <= current:
            warnings.add(
                "target-not-above-current",
                "info",
                f"The target ({format_number(target_daily_mcg)} mcg/day) is not above the "
                f"current dose ({format_number(current_daily_mcg)} mcg/day); this calculator "
                "plans increases only.",
            )
        else:
            fastest = _ladder(current, target, hi)
            slowest = _ladder(current, target, lo)
            result.update(
                days_to_target_min=fastest[-1]["day"],
                days_to_target_max=slowest[-1]["day"],
                fastest=fastest,
                slowest=slowest,
            )
    maintenance = (
        {
            "spinal": K.ITB_MAINTENANCE_SPINAL_MCG,
            "cerebral": K.ITB_MAINTENANCE_CEREBRAL_MCG,
        }[origin]
        if age_group == "adult"
        else K.ITB_MAINTENANCE_CHILD_MCG
    )
    m_lo, m_hi = maintenance.value
    highest = exact(target_daily_mcg) if target_daily_mcg is not None else current
    if highest > m_hi:
        group = "children under 12" if age_group == "child" else f"{origin} origin"
        warnings.add(
            "above-usual-maintenance",
            "info",
            f"{format_number(number(highest))} mcg/day is above the usual maintenance range for "
            f"{group} ({m_lo}–{m_hi} mcg/day, label figures seen in handbooks). A usual range, "
            "not a limit.",
            *maintenance.sources,
        )
    warnings.add(
        "once-per-24h",
        "info",
        f"At most one increase every {K.ITB_TITRATION_INTERVAL_HOURS.value} hours "
        f"({'children' if age_group == 'child' else 'adults, ' + origin + ' origin'}: "
        f"{result['increase_percent']}).",
        *rate.sources,
    )
    result["warnings"] = warnings.items
    result["notes"] = [
        (
            "Day counts assume one increase every 24 hours by the same percentage; the last "
            "increase stops at the target."
        ),
    ]
    return result


# --- itb-refill ----------------------------------------------------------------------------


def itb_refill(
    *,
    daily_dose_mcg: float,
    concentration_mcg_per_ml: int,
    reservoir_ml: int,
    alarm_ml: float,
    refill_date: str | None = None,
) -> dict[str, Any]:
    """Daily volume and the days until the low-reservoir alarm, from a full reservoir.

    ``days_to_alarm`` = (reservoir - alarm volume) / daily volume; the alarm date is the
    refill date plus the whole days before the alarm volume is reached.

    References: label-gablofen (concentrations), neurosurgery2004 (alarm volume).
    """
    if alarm_ml >= reservoir_ml:
        raise fail(
            "alarm_ml",
            f"Low-reservoir alarm volume must be less than the reservoir, {reservoir_ml} mL "
            f"(got {format_number(alarm_ml)})",
        )
    daily_ml = exact(daily_dose_mcg) / concentration_mcg_per_ml
    usable_ml = exact(reservoir_ml) - exact(alarm_ml)
    days_to_alarm = usable_ml / daily_ml
    days_to_empty = exact(reservoir_ml) / daily_ml
    whole_days = int(days_to_alarm)
    result: dict[str, Any] = {
        "daily_volume_ml": number(daily_ml, 4),
        "usable_volume_ml": number(usable_ml),
        "days_to_alarm": number(days_to_alarm, 1),
        "whole_days_to_alarm": whole_days,
        "days_to_empty": number(days_to_empty, 1),
        "alarm_date": None,
        "empty_date": None,
    }
    if refill_date is not None:
        start = dt.date.fromisoformat(refill_date)
        try:
            result["alarm_date"] = (start + dt.timedelta(days=whole_days)).isoformat()
            result["empty_date"] = (start + dt.timedelta(days=int(days_to_empty))).isoformat()
        except OverflowError:  # past 9999-12-31, the last date Python can represent
            latest = dt.date.max - dt.timedelta(days=int(days_to_empty))
            raise fail(
                "refill_date",
                f"Refill date must be no later than {latest.isoformat()}, so that the empty date "
                f"({int(days_to_empty)} days later) is a real date (got {refill_date})",
            ) from None
    warnings = Warnings()
    if alarm_ml < K.PUMP_SAFER_ALARM_ML.value:
        warnings.add(
            "alarm-too-late",
            "caution",
            f"With a {format_number(alarm_ml)} mL alarm, withdrawal may start before it sounds: "
            f"in a study of SynchroMed pumps, withdrawal symptoms were seen with residual "
            f"volumes up to {K.PUMP_WITHDRAWAL_RESIDUAL_ML.value} mL and stopped once the alarm "
            f"was set at {K.PUMP_SAFER_ALARM_ML.value} mL.",
            *K.PUMP_SAFER_ALARM_ML.sources,
        )
    result["warnings"] = warnings.items
    result["notes"] = [
        (
            "Assumes a full reservoir at the refill and a constant daily dose; bolus or "
            "flexible-dose programs use more."
        ),
        "Dates count whole days from the refill date (day 0).",
    ]
    return result


# --- specs ---------------------------------------------------------------------------------

_DOSE_HELP = (
    f"Up to {_PLAUSIBLE_MAX_MCG_PER_DAY} mcg/day is accepted to catch typing and mg/mcg "
    "slips; it is not a clinical maximum (the '1000 mcg/day maximum' in one drug reference "
    "is not a label limit)."
)

INITIAL = Calculator(
    id="itb-initial-dose",
    title="Initial intrathecal pump dose",
    summary="The first daily pump dose after a positive screening bolus.",
    function=itb_initial_dose,
    fields=(
        Field(
            "screening_dose_mcg",
            "Effective screening dose",
            kind="choice",
            unit="mcg",
            default=50,
            choices=(
                Choice(25, "25 mcg (very small children)"),
                Choice(50, "50 mcg"),
                Choice(75, "75 mcg"),
                Choice(100, "100 mcg"),
            ),
            help="The bolus that produced a positive response (50, then 75, then 100 mcg, at "
            "least 24 hours apart).",
            sources=K.ITB_SCREENING_DOSES_MCG.sources,
        ),
        Field(
            "effect_hours",
            "Duration of effect",
            unit="hours",
            minimum=0.5,
            maximum=24,
            step=0.5,
            default=6,
            help="How long the screening dose's effect lasted. More than 8 hours changes the rule.",
            sources=K.ITB_LONG_EFFECT_HOURS.sources,
        ),
    ),
    outputs=(
        Output("initial_daily_mcg", "Initial daily dose", "mcg/day"),
        Output("hourly_mcg", "Hourly rate", "mcg/hour"),
        Output("rule", "Rule applied"),
        Output("first_increase_after_hours", "First increase no sooner than", "hours"),
    ),
    sources=("boster2016", "label-gablofen"),
)

TITRATION = Calculator(
    id="itb-titration",
    title="Intrathecal titration",
    summary="The next day's dose range by origin and age, and the days needed to reach a target.",
    function=itb_titration,
    fields=(
        Field(
            "current_daily_mcg",
            "Current daily dose",
            unit="mcg/day",
            minimum=1,
            maximum=_PLAUSIBLE_MAX_MCG_PER_DAY,
            step=0.1,
            default=100,
            help=_DOSE_HELP,
        ),
        Field(
            "origin",
            "Origin of spasticity",
            kind="choice",
            default="spinal",
            choices=(Choice("spinal", "Spinal"), Choice("cerebral", "Cerebral")),
            help="Adults titrate 10-30% a day for spinal and 5-15% for cerebral origin.",
            sources=K.ITB_TITRATION_ADULT_SPINAL.sources,
        ),
        Field(
            "age_group",
            "Age group",
            kind="choice",
            default="adult",
            choices=(Choice("adult", "Adult"), Choice("child", "Child")),
            help="Children titrate 5-15% a day whatever the origin.",
            sources=K.ITB_TITRATION_CHILD.sources,
        ),
        Field(
            "target_daily_mcg",
            "Target daily dose",
            unit="mcg/day",
            minimum=1,
            maximum=_PLAUSIBLE_MAX_MCG_PER_DAY,
            step=0.1,
            required=False,
            default=300,
            help="Optional: gives the fewest and the most days to reach it. " + _DOSE_HELP,
        ),
    ),
    outputs=(
        Output("next_min_mcg_per_day", "Next day, smallest increase", "mcg/day"),
        Output("next_max_mcg_per_day", "Next day, largest increase", "mcg/day"),
        Output("increase_percent", "Increase per 24 hours"),
        Output("days_to_target_min", "Days to target, fastest", "days"),
        Output("days_to_target_max", "Days to target, slowest", "days"),
    ),
    tables=(
        Table(
            "fastest",
            "Fastest: largest increase every 24 hours",
            (Column("day", "Day"), Column("daily_mcg", "Daily dose", "mcg/day")),
            chart_y="daily_mcg",
            chart_label="Daily dose (mcg/day)",
        ),
        Table(
            "slowest",
            "Slowest: smallest increase every 24 hours",
            (Column("day", "Day"), Column("daily_mcg", "Daily dose", "mcg/day")),
            chart_y="daily_mcg",
            chart_label="Daily dose (mcg/day)",
        ),
    ),
    sources=("boster2016", "label-gablofen"),
)

REFILL = Calculator(
    id="itb-refill",
    title="Pump refill and low-reservoir alarm",
    summary="Daily volume, days until the low-reservoir alarm, and its date.",
    function=itb_refill,
    fields=(
        Field(
            "daily_dose_mcg",
            "Daily dose",
            unit="mcg/day",
            minimum=1,
            maximum=_PLAUSIBLE_MAX_MCG_PER_DAY,
            step=0.1,
            default=400,
            help=_DOSE_HELP,
        ),
        Field(
            "concentration_mcg_per_ml",
            "Concentration",
            kind="choice",
            unit="mcg/mL",
            default=K.ITB_START_CONCENTRATION_MCG_PER_ML.value,
            choices=tuple(Choice(c, f"{c} mcg/mL") for c in K.ITB_CONCENTRATIONS_MCG_PER_ML.value),
            help="GABLOFEN strengths; LIORESAL INTRATHECAL comes in 50, 500 and 2000 mcg/mL.",
            sources=K.ITB_CONCENTRATIONS_MCG_PER_ML.sources,
        ),
        Field(
            "reservoir_ml",
            "Reservoir",
            kind="choice",
            unit="mL",
            default=20,
            choices=tuple(Choice(v, f"{v} mL") for v in K.PUMP_RESERVOIR_ML.value),
            help="SynchroMed II reservoir sizes.",
            sources=K.PUMP_RESERVOIR_ML.sources,
        ),
        Field(
            "alarm_ml",
            "Low-reservoir alarm volume",
            unit="mL",
            minimum=0.5,
            maximum=10,
            step=0.1,
            default=K.PUMP_ALARM_ML_DEFAULT.value,
            help="The manufacturer's default is 2 mL; a study stopped withdrawal with 4 mL.",
            sources=K.PUMP_ALARM_ML_DEFAULT.sources,
        ),
        Field(
            "refill_date",
            "Refill date",
            kind="date",
            required=False,
            default=None,
            help="Optional: gives the alarm date.",
        ),
    ),
    outputs=(
        Output("daily_volume_ml", "Daily volume", "mL/day"),
        Output("usable_volume_ml", "Volume before the alarm", "mL"),
        Output("days_to_alarm", "Days to alarm", "days"),
        Output("alarm_date", "Alarm date"),
        Output("days_to_empty", "Days to empty", "days"),
        Output("empty_date", "Empty date"),
    ),
    sources=("label-gablofen", "neurosurgery2004"),
)
