"""What the intrathecal calculators share: dose bound, refill fields and warnings, text.

The plausible-dose bound, the refill fields and warnings, and the pump clinic's text
helpers.

Used by ``itb-titration``, ``itb-refill``, ``itb-refill-visit``,
``itb-concentration-change``, ``itb-flex-schedule`` and ``itb-concentration-mismatch``.

Names that a calculator function itself uses keep the leading underscore they had before
the split, so the Python source each calculator shows on its page did not change with it.

References: boster2016, label-gablofen, label-lioresal-it, neurosurgery2004, medtronic-pump,
pump-secondary.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

from . import constants as K
from ._util import exact, number, significant
from .spec import Choice, Field, FieldError, Warnings, format_number

# A plausibility bound to catch mg/mcg and typing slips, NOT a clinical maximum: the
# "1000 mcg/day maximum" seen in one drug reference is not a label maximum (SOURCES.md),
# and labels report higher doses, so no clinical ceiling is coded (status D).
PLAUSIBLE_MAX_MCG_PER_DAY = K.ITB_PLAUSIBLE_MAX_MCG_PER_DAY.value
_DAYS_PER_YEAR = 365  # the shortest year, so a year-based caution is never late
_BOSTER_CONCENTRATION = (
    'Boster 2016: "A higher concentration at refill can extend refill intervals, and a bridge '
    'bolus must be programmed."'
)

# Used by the pump clinic's calculators (refill visit, concentration change, flex schedule).
_HOURS_PER_DAY = 24
_EMERGENCIES = "See the emergencies page for what to do now."


def _ml(value: Fraction) -> str:
    return f"{format_number(significant(value), 6)} mL"


def _mcg(value: Fraction) -> str:
    return f"{format_number(number(value, 1))} mcg"


def _pct(value: Fraction) -> str:
    return f"{format_number(number(value * 100, 1))}%"


def _check(errors: list[FieldError], ok: bool, field: str, message: str) -> None:  # noqa: FBT001
    if not ok:
        errors.append(FieldError(field, message))


# The neurosurgery2004 study's own figures, quoted in the text (its abstract): 21 of 88
# patients had withdrawal symptoms "1 to 7 days before" the residual reached 2.1-3.8 mL,
# and symptoms did not correlate with the drug; none once the alarm was raised to 4 mL.
_RESIDUAL_STUDY = (
    "in a study of 88 patients with SynchroMed pumps (not all of them holding baclofen; "
    "symptoms did not correlate with the drug), 21 had withdrawal symptoms 1 to 7 days before "
    "the residual "
    f"volume fell to 2.1-{K.PUMP_WITHDRAWAL_RESIDUAL_ML.value} mL, and none once the alarm "
    f"was raised to {K.PUMP_SAFER_ALARM_ML.value} mL"
)


def refill_by_days(fill_ml: float | Fraction, alarm_ml: float, daily_ml: Fraction) -> Fraction:
    """Days until the reservoir holds the alarm volume or 4 mL, whichever is more.

    The date to book the refill by. A 4 mL floor is this site's reading of neurosurgery2004
    (no withdrawal once the alarm was raised to 4 mL); the volume is counted at the programmed
    rate plus a normal pump's average over-delivery, 2.5% (wesemann2014), so that a pump
    refilled on that day still holds about 4 mL (status D). Never below 0: a fill that starts
    under 4 mL is due at once.

    References: neurosurgery2004, wesemann2014.
    """
    floor = max(exact(alarm_ml), exact(K.PUMP_SAFER_ALARM_ML.value))
    fill = fill_ml if isinstance(fill_ml, Fraction) else exact(fill_ml)
    over = 1 + K.PUMP_ACCURACY_PER_REFILL_FRACTION.value
    return max(Fraction(0), (fill - floor) / (daily_ml * over))


def _under(days: Fraction) -> Fraction:
    """``days`` cut (not rounded) to one decimal: 13.99 shows as 13.9, never as 14."""
    return Fraction(math.floor(days * 10), 10)


def days_text(days: Fraction) -> str:
    """``1 day``, ``0.5 days``, ``12.3 days`` (one decimal)."""
    shown = number(days, 1)
    return f"{format_number(shown)} day{'' if shown == 1 else 's'}"


def alarm_warnings(warnings: Warnings, *, alarm_ml: float, daily_ml: Fraction) -> None:
    """Context (info) when the low-reservoir alarm is set below 4 mL.

    The result's "refill by" date already counts to 4 mL left; the note says why, and how
    long before the reservoir is empty this alarm sounds at this dose.

    References: neurosurgery2004.
    """
    if alarm_ml < K.PUMP_SAFER_ALARM_ML.value:
        warning_days = exact(alarm_ml) / daily_ml
        before = (
            f"{format_number(number(warning_days * 24, 0))} hours"
            if warning_days < 2  # noqa: PLR2004 - hours read better than "1.3 days"
            else days_text(warning_days)
        )
        warnings.add(
            "alarm-too-late",
            "info",
            f"The refill-by day counts to {K.PUMP_SAFER_ALARM_ML.value} mL left, not to this "
            f"{format_number(alarm_ml, 6)} mL alarm (this site's reading), which sounds about "
            f"{before} before the reservoir is empty at this dose: {_RESIDUAL_STUDY}. Book the "
            "refill by the refill-by date.",
            *K.PUMP_SAFER_ALARM_ML.sources,
        )


def refill_interval_warnings(
    warnings: Warnings, *, days_to_alarm: Fraction, days_to_refill_by: Fraction
) -> None:
    """Add the warnings about how long one fill lasts before it must be refilled.

    Both counts are exact (never rounded display values). The refill-by day (4 mL left, or
    the alarm if set higher) within a day: due on the refill day itself (danger); under 14
    days, an impractical interval (caution, this site's threshold). Past 6 months or the
    pump's battery life to the alarm: a caution.

    References: boster2016, medtronic-pump.
    """
    if days_to_refill_by < 1:
        hours = format_number(
            number((days_to_alarm if days_to_alarm < 1 else days_to_refill_by) * 24, 1)
        )
        when = (
            f"the low-reservoir alarm would sound on the refill day itself (after {hours} hours)"
            if days_to_alarm < 1
            else f"the refill-by day ({K.PUMP_SAFER_ALARM_ML.value} mL left, or the alarm if set "
            f"higher) comes on the refill day itself (after {hours} hours; the alarm after "
            f"{days_text(days_to_alarm)})"
        )
        warnings.add(
            "alarm-on-refill-day",
            "danger",
            f"{when[0].upper()}{when[1:]}: this fill cannot deliver this dose until the next "
            "visit. Check the dose, the concentration and the volume. "
            'Boster 2016: "A higher concentration at refill can extend refill intervals, and a '
            'bridge bolus must be programmed."',
            "boster2016",
        )
    short = K.ITB_SHORT_REFILL_INTERVAL_DAYS.value
    if 1 <= days_to_refill_by < short:
        warnings.add(
            "refill-interval-short",
            "caution",
            f"This fill reaches its refill-by day in {days_text(_under(days_to_refill_by))}, under "
            f"{short} days (this site's threshold): refills this often are not a "
            "practical schedule, and one missed visit means withdrawal. Check the dose and the "
            f"concentration. {_BOSTER_CONCENTRATION}",
            *K.ITB_SHORT_REFILL_INTERVAL_DAYS.sources,
        )
    long = K.ITB_LONG_REFILL_INTERVAL_DAYS.value
    if days_to_refill_by > long:
        warnings.add(
            "refill-interval-long",
            "caution",
            f"This fill lasts {format_number(number(days_to_refill_by, 1))} days to its "
            "refill-by day, "
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


# --- fields --------------------------------------------------------------------------------

DOSE_HELP = (
    f"Up to {PLAUSIBLE_MAX_MCG_PER_DAY} mcg/day is accepted to catch typing and mg/mcg "
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
        help=f"{K.PUMP_ALARM_ML_DEFAULT.value} mL was the manufacturer's recommendation for the "
        "pumps of an older study (the SynchroMed II labeling was not found); in that study, "
        f"withdrawal symptoms did not recur with {K.PUMP_SAFER_ALARM_ML.value} mL. The refill-by "
        f"date counts to {K.PUMP_SAFER_ALARM_ML.value} mL left.",
        sources=K.PUMP_ALARM_ML_DEFAULT.sources,
    )


def dose_field(name: str, label: str, default: float | None, help_text: str, **extra: Any) -> Field:  # noqa: ANN401
    """A daily intrathecal dose, up to the plausible-dose bound (the pump clinic's fields)."""
    return Field(
        name,
        label,
        unit="mcg/day",
        minimum=1,
        maximum=PLAUSIBLE_MAX_MCG_PER_DAY,
        step=0.1,
        default=default,
        help=help_text,
        limit_constants=("ITB_PLAUSIBLE_MAX_MCG_PER_DAY",),
        **extra,
    )
