"""Intrathecal baclofen (ITB): initial pump dose, titration, and pump refill arithmetic.

References: boster2016, boster2016screen, label-gablofen, label-lioresal-it, neurosurgery2004.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from . import constants as K
from ._util import exact, fail, number, significant
from .guards import Dose, Guards, Withhold
from .spec import (
    Calculator,
    Choice,
    Column,
    Field,
    Output,
    Table,
    Warnings,
    as_given,
    format_number,
)

if TYPE_CHECKING:
    from fractions import Fraction

# A plausibility bound to catch mg/mcg and typing slips, NOT a clinical maximum: the
# "1000 mcg/day maximum" seen in one drug reference is not a label maximum (SOURCES.md),
# and labels report higher doses, so no clinical ceiling is coded (status D).
_PLAUSIBLE_MAX_MCG_PER_DAY = K.ITB_PLAUSIBLE_MAX_MCG_PER_DAY.value
_DAYS_PER_YEAR = 365  # the shortest year, so a year-based caution is never late
_BOSTER_CONCENTRATION = (
    'Boster 2016: "A higher concentration at refill can extend refill intervals, and a bridge '
    'bolus must be programmed."'
)


def _pct(fraction: float) -> str:
    return f"{format_number(fraction * 100)}%"


def _range_pct(constant: K.Constant[tuple[float, float]]) -> str:
    """``10-30%`` from a pair of fractions."""
    lo, hi = constant.value
    return f"{format_number(lo * 100)}-{_pct(hi)}"


# --- itb-initial-dose ----------------------------------------------------------------------


def itb_initial_dose(
    *, screening_dose_mcg: int, effect_hours: float, negative_reactions: str = "no"
) -> dict[str, Any]:
    """Initial daily pump dose after a positive screening bolus.

    Twice the effective screening dose over 24 hours; the screening dose itself when its
    effect lasted more than 8 hours or the patient had negative reactions to the bolus. No
    increase in the first 24 hours. Doses in mcg.

    References: boster2016 (V1), label-gablofen (V2), cmsc2015, boster2016screen.
    """
    long_effect = effect_hours > K.ITB_LONG_EFFECT_HOURS.value
    reacted = negative_reactions == "yes"
    multiplier = 1 if (long_effect or reacted) else K.ITB_INITIAL_MULTIPLIER.value
    daily = exact(screening_dose_mcg) * multiplier
    warnings = Warnings()
    if reacted:
        # Caution: a doubled dose after a bad reaction is the error this branch prevents.
        warnings.add(
            "negative-reactions",
            "caution",
            "Negative reactions to the screening bolus: Boster 2016 starts at the screening dose "
            f"itself ({screening_dose_mcg} mcg/day), not {K.ITB_INITIAL_MULTIPLIER.value} times "
            "it. Review the reaction before starting.",
            "boster2016",
        )
    warnings.add(
        "no-increase-24h",
        "info",
        f"Do not increase the dose in the first {K.ITB_NO_INCREASE_HOURS.value} hours.",
        *K.ITB_NO_INCREASE_HOURS.sources,
    )
    warnings.add(
        "monitor-after-start",
        "info",
        f"Monitor the patient for at least {K.ITB_MONITOR_HOURS.value} hours after the pump is "
        "started; have resuscitation equipment available, as at screening, titration and "
        "refills. In tenuous cases the pump can be started at a minimum rate.",
        *K.ITB_MONITOR_HOURS.sources,
        "label-gablofen",
    )
    window_lo, window_hi = K.ITB_RESPONSE_WINDOW_HOURS.value
    if effect_hours < window_lo:
        # Caution: an "effect" shorter than the observation window is a question to ask,
        # not a response to double (label, reproduction: never a refusal).
        warnings.add(
            "effect-outside-response-window",
            "caution",
            f"An effect of {format_number(effect_hours)} hours is shorter than the "
            f"{window_lo}-{window_hi} hours over which the label observes a screening response "
            f"(this site's reading: below {window_lo} hours). Ask whether the response was "
            "positive, and judged at its peak, before starting the pump at this dose.",
            *K.ITB_RESPONSE_WINDOW_HOURS.sources,
        )
    if screening_dose_mcg == K.ITB_SCREENING_DOSE_SMALL_CHILD_MCG.value:
        warnings.add(
            "small-child-screening",
            "info",
            f"{screening_dose_mcg} mcg is the screening dose for very small children and for "
            "patients who rely on their spasticity for mobility (standing, transfers, walking).",
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
    hours = K.ITB_LONG_EFFECT_HOURS.value
    if reacted:
        rule = "negative reactions to the bolus: the screening dose itself"
    elif long_effect:
        rule = f"effect lasted more than {hours} hours: the screening dose itself"
    elif effect_hours < window_lo:
        rule = (
            f"an effect of {format_number(effect_hours)} hours is shorter than the observation "
            "window: no rule is applied until a positive response is confirmed"
        )
    else:
        rule = (
            f"effect lasted {hours} hours or less, no negative reactions: "
            f"{K.ITB_INITIAL_MULTIPLIER.value} x the screening dose"
        )
    return {
        "initial_daily_mcg": number(daily),
        "hourly_mcg": significant(daily / 24, 4),
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


def _capped(dose: Fraction, current: Fraction, target_daily_mcg: float | None) -> Fraction:
    """A next-day dose never passes a target above the current dose (fifth review W-1)."""
    if target_daily_mcg is None or exact(target_daily_mcg) <= current:
        return dose
    return min(dose, exact(target_daily_mcg))


def _next_range_warning(
    warnings: Warnings, *, current: Fraction, next_max: Fraction, child: bool
) -> None:
    """Caution when the next day's range leaves the observed doses (fifth review M-3)."""
    constant = K.ITB_OBSERVED_CHILD_MAX_MCG if child else K.ITB_OBSERVED_SPINAL_RANGE_MCG
    observed = K.ITB_OBSERVED_CHILD_MAX_MCG.value if child else constant.value[1]  # type: ignore[index]
    if current <= observed < next_max:
        warnings.add(
            "next-range-above-observed",
            "caution",
            f"The next day's range reaches {format_number(number(next_max))} mcg/day, above the "
            f"highest daily dose observed ({observed} mcg/day; label figures seen in handbooks): "
            "the step itself leaves the doses the label reports. Consider a smaller increase.",
            *constant.sources,
        )


def itb_titration(
    *,
    current_daily_mcg: float,
    origin: str,
    age_group: str,
    target_daily_mcg: float | None = None,
    age_years: float | None = None,
) -> dict[str, Any]:
    """Next day's dose range during titration and, with a target, the days needed.

    Adults: spinal origin 10-30%, cerebral origin 5-15%; children 5-15%; at most one increase
    every 24 hours. ``days_to_target_min`` uses the largest increase every day,
    ``days_to_target_max`` the smallest. Doses in mcg/day. "Child" means under 12 years, the
    age of the label's paediatric maintenance figures (this site's reading).

    References: boster2016 (V1), label-gablofen (V2), label-lioresal-it (V2, maintenance),
    cmsc2015 (increases above 20% at higher doses).
    """
    # Under 18 the paediatric rates apply whatever the group (fourth blind review D2: an
    # adult range printed under "check the age group" is a dose under its own doubt).
    young = age_years is not None and age_years < K.ITB_ADULT_FROM_YEARS.value
    rate_group = "child" if young else age_group
    rate = _RATES[(rate_group, origin)]
    lo, hi = (exact(v) for v in rate.value)
    current = exact(current_daily_mcg)
    result: dict[str, Any] = {
        "next_min_mcg_per_day": number(_capped(current * (1 + lo), current, target_daily_mcg)),
        "next_max_mcg_per_day": number(_capped(current * (1 + hi), current, target_daily_mcg)),
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
    under = K.ITB_CHILD_UNDER_YEARS.value
    highest = max(current, exact(target_daily_mcg)) if target_daily_mcg is not None else current
    if highest > m_hi:
        if age_group == "child":
            what = (
                f"the range of doses observed in children under {under} ({m_lo}–{m_hi} mcg/day, "
                f"mean {K.ITB_MAINTENANCE_CHILD_MEAN_MCG.value}; label figures seen in handbooks)"
                ". An observed range, not a usual one and not a limit."
            )
        else:
            what = (
                f"the usual maintenance range for {origin} origin ({m_lo}–{m_hi} mcg/day, label "
                "figures seen in handbooks). A usual range, not a limit."
            )
        warnings.add(
            "above-usual-maintenance",
            "info",
            f"{format_number(number(highest))} mcg/day is above {what}",
            *maintenance.sources,
        )
    _next_range_warning(
        warnings,
        current=current,
        next_max=_capped(current * (1 + hi), current, target_daily_mcg),
        child=age_group == "child",
    )
    large = K.ITB_LARGE_INCREASE_FRACTION.value
    if hi > large and highest >= m_lo:
        # Caution: cmsc2015 calls such an increase possibly excessive at higher doses; the
        # abstract does not define "higher", so this site reads it as the usual maintenance
        # range and says so.
        warnings.add(
            "large-increase-at-higher-dose",
            "caution",
            f"The largest increase here, {_pct(float(hi))} a day, is above "
            f"{_pct(float(large))}: 'at higher doses an increase >20% may be excessive' "
            f"(CMSC 2015 abstract). At {format_number(number(highest))} mcg/day the dose is "
            f"at or above the lower end of the usual maintenance range ({m_lo} mcg/day), which "
            f"this site takes as 'higher'; consider at most {_pct(float(large))} for the "
            "increases made there.",
            *K.ITB_LARGE_INCREASE_FRACTION.sources,
            *maintenance.sources,
        )
    if age_years is not None:
        youngest = K.ITB_MIN_LABELLED_AGE_YEARS.value
        if age_years < youngest:
            # Caution: outside the labelled population, the figures here were not studied.
            warnings.add(
                "below-labelled-age",
                "caution",
                f"GABLOFEN is indicated from {youngest} years of age; at "
                f"{format_number(age_years)} years the patient is below it.",
                *K.ITB_MIN_LABELLED_AGE_YEARS.sources,
            )
        adult_from = K.ITB_ADULT_FROM_YEARS.value
        if age_group == "adult" and under <= age_years < adult_from:
            warnings.add(
                "adolescent-adult-rates",
                "caution",
                f"At {format_number(age_years)} years the paediatric rates are used "
                f"({result['increase_percent']} a day), not the adult ones: the label's "
                f"titration for paediatric patients has no {under}-year cut, and the "
                f"{under}-year line is this site's reading. Under {adult_from} years this site "
                "uses the paediatric rates (its own choice); the adult group is kept for the "
                "maintenance range only.",
                *K.ITB_ADULT_FROM_YEARS.sources,
            )
        if (age_years < under) != (age_group == "child"):
            warnings.add(
                "age-group-mismatch",
                "caution",
                f"Age {format_number(age_years)} years with the age group set to "
                f"{'child' if age_group == 'child' else 'adult'}: here 'child' means under "
                f"{under} years. Check the age group."
                + (
                    f" The paediatric rates ({result['increase_percent']}) are used at this age."
                    if age_group == "adult"
                    else ""
                ),
                *K.ITB_CHILD_UNDER_YEARS.sources,
            )
    warnings.add(
        "once-per-24h",
        "info",
        f"At most one increase every {K.ITB_TITRATION_INTERVAL_HOURS.value} hours "
        f"({'children' if rate_group == 'child' else 'adults, ' + origin + ' origin'}: "
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


def alarm_warnings(warnings: Warnings, *, alarm_ml: float) -> None:
    """Caution when the low-reservoir alarm is set below the volume a study found safer.

    References: neurosurgery2004 (pumps with several drugs, not baclofen only).
    """
    if alarm_ml < K.PUMP_SAFER_ALARM_ML.value:
        warnings.add(
            "alarm-too-late",
            "info",
            f"With a {format_number(alarm_ml)} mL alarm, withdrawal may start before it sounds: "
            f"in a study of SynchroMed pumps (with several drugs, not baclofen only), symptoms "
            f"of drug withdrawal were seen with residual volumes up to "
            f"{K.PUMP_WITHDRAWAL_RESIDUAL_ML.value} mL and did not recur once the alarm was set "
            f"at {K.PUMP_SAFER_ALARM_ML.value} mL.",
            *K.PUMP_SAFER_ALARM_ML.sources,
        )


def refill_interval_warnings(warnings: Warnings, *, days_to_alarm: Fraction) -> None:
    """Add the warnings about how long one fill lasts before the low-reservoir alarm.

    ``days_to_alarm`` is exact (never a rounded display value). Less than one day: the alarm
    sounds on the refill day itself (danger); under 14 days, an impractical interval
    (caution, this site's threshold); longer than the pump's battery life (caution).

    References: boster2016, medtronic-pump.
    """
    if days_to_alarm < 1:
        warnings.add(
            "alarm-on-refill-day",
            "danger",
            f"The low-reservoir alarm would sound on the refill day itself (after "
            f"{format_number(number(days_to_alarm * 24, 1))} hours): this fill cannot deliver "
            "this dose until the next visit. Check the dose, the concentration and the volume. "
            'Boster 2016: "A higher concentration at refill can extend refill intervals, and a '
            'bridge bolus must be programmed."',
            "boster2016",
        )
    short = K.ITB_SHORT_REFILL_INTERVAL_DAYS.value
    if 1 <= days_to_alarm < short:
        warnings.add(
            "refill-interval-short",
            "caution",
            f"This fill reaches its alarm in {format_number(number(days_to_alarm, 1))} days, "
            f"under {short} days (this site's threshold): refills this often are not a "
            "practical schedule, and one missed visit means withdrawal. Check the dose and the "
            f"concentration. {_BOSTER_CONCENTRATION}",
            *K.ITB_SHORT_REFILL_INTERVAL_DAYS.sources,
        )
    long = K.ITB_LONG_REFILL_INTERVAL_DAYS.value
    if days_to_alarm > long:
        warnings.add(
            "refill-interval-long",
            "caution",
            f"This fill lasts {format_number(number(days_to_alarm, 1))} days to its alarm, "
            f"more than {long} days (about 6 months; this site's threshold): that is usually a "
            "slip (a per-hour rate typed as a daily dose, mg as mcg) or a concentration too "
            "high for the dose. Check the dose and the concentration; no label maximum interval "
            "was found.",
            *K.ITB_LONG_REFILL_INTERVAL_DAYS.sources,
        )
    # No caution rests on the 2023 stability paper's 180 days: its record (authors, journal,
    # DOI) was never identified (third review N1), so the site does not build a warning on it.
    battery_days = K.PUMP_BATTERY_LIFE_YEARS.value * _DAYS_PER_YEAR
    if days_to_alarm > battery_days:
        warnings.add(
            "interval-beyond-pump-life",
            "caution",
            f"{format_number(number(days_to_alarm, 1))} days is longer than the pump's battery "
            f"life (up to about {K.PUMP_BATTERY_LIFE_YEARS.value} years). The pump stops "
            f"{K.PUMP_ERI_TO_STOP_DAYS.value} days after its elective replacement alarm, and "
            f"replacement should be scheduled at least "
            f"{K.PUMP_REPLACEMENT_NOTICE_MONTHS.value} months in advance.",
            *K.PUMP_BATTERY_LIFE_YEARS.sources,
            *K.PUMP_REPLACEMENT_NOTICE_MONTHS.sources,
        )


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
            f"(got {as_given(alarm_ml)})",
        )
    daily_ml = exact(daily_dose_mcg) / concentration_mcg_per_ml
    usable_ml = exact(reservoir_ml) - exact(alarm_ml)
    days_to_alarm = usable_ml / daily_ml
    days_to_empty = exact(reservoir_ml) / daily_ml
    whole_days = int(days_to_alarm)
    result: dict[str, Any] = {
        "daily_volume_ml": significant(daily_ml),
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
    alarm_warnings(warnings, alarm_ml=alarm_ml)
    refill_interval_warnings(warnings, days_to_alarm=days_to_alarm)
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
    "slips (this site's bound); it is not a clinical maximum."
)

# Fields the refill and the pump-clinic calculators share: declared once, here.

REFILL_CONCENTRATION_CHOICES = tuple(
    Choice(c, f"{c} mcg/mL") for c in K.ITB_REFILL_CONCENTRATIONS_MCG_PER_ML.value
)
REFILL_CONCENTRATION_HELP = (
    f"Refill strengths. The {K.ITB_SCREENING_CONCENTRATION_MCG_PER_ML.value} mcg/mL ampule is for "
    "the screening dose, not a pump refill, so it is not offered."
)


def concentration_field(
    name: str = "concentration_mcg_per_ml",
    label: str = "Concentration",
    default: int = K.ITB_START_CONCENTRATION_MCG_PER_ML.value,
) -> Field:
    """A refill concentration (500, 1000 or 2000 mcg/mL; never the screening strength)."""
    return Field(
        name,
        label,
        kind="choice",
        unit="mcg/mL",
        default=default,
        choices=REFILL_CONCENTRATION_CHOICES,
        help=REFILL_CONCENTRATION_HELP,
        sources=K.ITB_REFILL_CONCENTRATIONS_MCG_PER_ML.sources,
    )


def reservoir_field() -> Field:
    """The pump's reservoir size (SynchroMed II, V2)."""
    return Field(
        "reservoir_ml",
        "Reservoir",
        kind="choice",
        unit="mL",
        default=min(K.PUMP_RESERVOIR_ML.value),
        choices=tuple(Choice(v, f"{v} mL") for v in K.PUMP_RESERVOIR_ML.value),
        help="SynchroMed II reservoir sizes (seen in secondary sources).",
        sources=K.PUMP_RESERVOIR_ML.sources,
    )


def alarm_field() -> Field:
    """The low-reservoir alarm volume, defaulting to the manufacturer's."""
    return Field(
        "alarm_ml",
        "Low-reservoir alarm volume",
        unit="mL",
        minimum=0.5,
        maximum=10,
        step=0.1,
        default=K.PUMP_ALARM_ML_DEFAULT.value,
        help=f"The manufacturer's default is {K.PUMP_ALARM_ML_DEFAULT.value} mL; in a study, "
        f"withdrawal symptoms did not recur with {K.PUMP_SAFER_ALARM_ML.value} mL.",
        sources=K.PUMP_ALARM_ML_DEFAULT.sources,
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
                Choice(
                    K.ITB_SCREENING_DOSE_SMALL_CHILD_MCG.value,
                    f"{K.ITB_SCREENING_DOSE_SMALL_CHILD_MCG.value} mcg (very small children, or "
                    "relying on spasticity for mobility)",
                ),
                *(Choice(d, f"{d} mcg") for d in K.ITB_SCREENING_DOSES_MCG.value),
            ),
            help="The bolus that produced a positive response ("
            + ", then ".join(f"{d} mcg" for d in K.ITB_SCREENING_DOSES_MCG.value)
            + f", at least {K.ITB_SCREENING_INTERVAL_HOURS.value} hours apart).",
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
            help=f"How long the screening dose's effect lasted. More than "
            f"{K.ITB_LONG_EFFECT_HOURS.value} hours changes the rule.",
            sources=K.ITB_LONG_EFFECT_HOURS.sources,
        ),
        Field(
            "negative_reactions",
            "Negative reactions to the bolus",
            kind="choice",
            default="no",
            choices=(Choice("no", "No"), Choice("yes", "Yes")),
            help="Negative reactions to the screening bolus also mean starting at the screening "
            "dose itself.",
            sources=("boster2016",),
        ),
    ),
    outputs=(
        Output("initial_daily_mcg", "Initial daily dose", "mcg/day"),
        Output("hourly_mcg", "Hourly rate", "mcg/hour"),
        Output("rule", "Rule applied"),
        Output("first_increase_after_hours", "First increase no sooner than", "hours"),
    ),
    sources=("boster2016", "label-gablofen"),
    guards=Guards(
        doses=(
            Dose("initial_daily_mcg", "intrathecal", "daily", "the initial daily dose"),
            Dose("inputs.screening_dose_mcg", "intrathecal", "bolus", "the screening bolus"),
        ),
        # A dose doubled from an "effect" the result itself questions is not printed (fourth
        # blind review M9).
        withhold=Withhold(
            outputs=("initial_daily_mcg", "hourly_mcg"),
            measure="Confirm a positive response, judged at its peak within the label's "
            "observation window; the first pump dose is then twice the screening dose, or the "
            "screening dose itself after a response longer than 8 hours.",
            also_codes=("effect-outside-response-window",),
        ),
    ),
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
            help=f"Adults titrate {_range_pct(K.ITB_TITRATION_ADULT_SPINAL)} a day for spinal and "
            f"{_range_pct(K.ITB_TITRATION_ADULT_CEREBRAL)} for cerebral origin.",
            sources=K.ITB_TITRATION_ADULT_SPINAL.sources,
        ),
        Field(
            "age_group",
            "Age group",
            kind="choice",
            default="adult",
            choices=(
                Choice("adult", f"Adult ({K.ITB_CHILD_UNDER_YEARS.value} years or older)"),
                Choice("child", f"Child (under {K.ITB_CHILD_UNDER_YEARS.value} years)"),
            ),
            help=f"Children titrate {_range_pct(K.ITB_TITRATION_CHILD)} a day whatever the "
            f"origin. 'Child' means under {K.ITB_CHILD_UNDER_YEARS.value} years, the age of the "
            "label's paediatric maintenance figures.",
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
            default=None,
            help="Optional: gives the fewest and the most days to reach it. " + _DOSE_HELP,
        ),
        Field(
            "age_years",
            "Age",
            unit="years",
            minimum=0,
            maximum=110,
            step=1,
            required=False,
            default=None,
            help=f"Optional: checks the age group and the labelled age (GABLOFEN from "
            f"{K.ITB_MIN_LABELLED_AGE_YEARS.value} years).",
            sources=K.ITB_MIN_LABELLED_AGE_YEARS.sources,
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
    guards=Guards(
        doses=tuple(
            Dose(path, "intrathecal", "daily", label, child_path="inputs.age_group")
            for path, label in (
                ("inputs.current_daily_mcg", "the current daily dose"),
                ("inputs.target_daily_mcg", "the target daily dose"),
            )
        ),
        # A next-day range built on a dose outside everything observed would print a dose
        # under the result's own "check the figure, its unit" caution (fourth review D-4).
        withhold=Withhold(
            outputs=(
                "next_min_mcg_per_day",
                "next_max_mcg_per_day",
                "days_to_target_min",
                "days_to_target_max",
                "fastest",
                "slowest",
            ),
            measure="Confirm the current (and target) daily dose from the pump programmer, in "
            "mcg per day; this site shows no titration range for a dose outside every dose "
            "the label reports as observed.",
            also_codes=("itb-daily-above-observed", "itb-daily-below-observed"),
        ),
    ),
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
        concentration_field(),
        reservoir_field(),
        alarm_field(),
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
    guards=Guards(
        doses=(Dose("inputs.daily_dose_mcg", "intrathecal", "daily", "the daily dose"),),
    ),
)
