"""``itb-refill``: pump daily volume, the refill-by date, the low-reservoir alarm and its date.

References: label-gablofen, neurosurgery2004.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ._itb import (
    DOSE_HELP,
    PLAUSIBLE_MAX_MCG_PER_DAY,
    alarm_field,
    alarm_warnings,
    concentration_field,
    refill_by_days,
    refill_interval_warnings,
    reservoir_field,
)
from ._util import exact, fail, number, significant
from .guards import Dose, Guards, Withhold
from .spec import Calculator, Field, Output, Warnings, as_given


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
    refill date plus the whole days before the alarm volume is reached. ``days_to_refill_by``
    counts to the alarm volume or 4 mL left, whichever is more (neurosurgery2004).

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
    days_to_refill_by = refill_by_days(reservoir_ml, alarm_ml, daily_ml)
    result: dict[str, Any] = {
        "daily_volume_ml": significant(daily_ml),
        "usable_volume_ml": number(usable_ml),
        "days_to_alarm": number(days_to_alarm, 1),
        "whole_days_to_alarm": whole_days,
        "days_to_refill_by": number(days_to_refill_by, 1),
        "refill_by_date": None,
        "days_to_empty": number(days_to_empty, 1),
        "alarm_date": None,
        "empty_date": None,
    }
    if refill_date is not None:
        start = dt.date.fromisoformat(refill_date)
        try:
            result["alarm_date"] = (start + dt.timedelta(days=whole_days)).isoformat()
            result["refill_by_date"] = (
                start + dt.timedelta(days=int(days_to_refill_by))
            ).isoformat()
            result["empty_date"] = (start + dt.timedelta(days=int(days_to_empty))).isoformat()
        except OverflowError:  # past 9999-12-31, the last date Python can represent
            latest = dt.date.max - dt.timedelta(days=int(days_to_empty))
            raise fail(
                "refill_date",
                f"Refill date must be no later than {latest.isoformat()}, so that the empty date "
                f"({int(days_to_empty)} days later) is a real date (got {refill_date})",
            ) from None
    warnings = Warnings()
    alarm_warnings(warnings, alarm_ml=alarm_ml, daily_ml=daily_ml)
    refill_interval_warnings(
        warnings, days_to_alarm=days_to_alarm, days_to_refill_by=days_to_refill_by
    )
    result["warnings"] = warnings.items
    result["notes"] = [
        (
            "Assumes a full reservoir at the refill and a constant daily dose; bolus or "
            "flexible-dose programs use more."
        ),
        "Dates count whole days from the refill date (day 0).",
        (
            "Refill by: the day the reservoir holds its alarm volume or 4 mL, whichever is "
            "more, at the programmed rate plus a normal pump's average over-delivery of 2.5% "
            "(this site's reading of two studies: withdrawal symptoms did not recur once the "
            "alarm was raised to 4 mL; Wesemann 2014)."
        ),
    ]
    return result


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
            maximum=PLAUSIBLE_MAX_MCG_PER_DAY,
            step=0.1,
            default=400,
            help=DOSE_HELP,
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
            help="Optional: gives the refill-by and alarm dates.",
        ),
    ),
    outputs=(
        Output("daily_volume_ml", "Daily volume", "mL/day"),
        Output("usable_volume_ml", "Volume before the alarm", "mL"),
        Output("days_to_refill_by", "Days to refill by", "days"),
        Output("refill_by_date", "Refill by"),
        Output("days_to_alarm", "Days to alarm", "days"),
        Output("alarm_date", "Alarm date"),
        Output("days_to_empty", "Days to empty", "days"),
        Output("empty_date", "Empty date"),
    ),
    sources=("label-gablofen", "neurosurgery2004", "wesemann2014"),
    guards=Guards(
        doses=(Dose("inputs.daily_dose_mcg", "intrathecal", "daily", "the daily dose"),),
        # Dates that follow from a dose the result itself distrusts are not shown (sixth
        # review re-check M3), as in itb-concentration-mismatch.
        withhold=Withhold(
            ("refill_by_date", "alarm_date", "empty_date"),
            "Check the daily dose and the concentration against the pump's printout: the "
            "dates follow from them.",
            also_codes=(
                "itb-daily-above-observed",
                "itb-daily-below-observed",
                "refill-interval-long",
                "refill-interval-short",
            ),
            withheld="The refill-by, alarm and empty dates are not shown",
        ),
    ),
)
