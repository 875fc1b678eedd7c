"""``oral-taper``: a stepwise reduction of oral baclofen to stop, in givable dose units.

References: label-tablets, label-ozobax, uk-smpc, bnf, au-pi.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

from . import constants as K
from ._oral import (
    GRANULARITY_MG,
    GRANULARITY_REASON,
    MAX_DAILY_HELP,
    MAX_DAILY_MG,
    _plural,
    add_dates,
    children_note,
    date_text,
    days_text,
    dose_unit_field,
    dose_unit_warnings,
    doses_now_field,
    doses_text,
    split_units,
    start_date_field,
)
from ._util import exact, fail, number
from .guards import Dose, Guards, Schedule
from .spec import Calculator, Column, Field, Output, Table, Warnings, as_given, format_number


def oral_taper(
    *,
    current_daily_mg: float,
    doses_per_day: int,
    taper_days: int,
    dose_unit_mg: float,
    start_date: str | None = None,
) -> dict[str, Any]:
    """Taper to stop over exactly ``taper_days`` days, then stop on day ``taper_days + 1``.

    The daily total falls in equal reductions (rounded to whole dose units) over steps of about
    the label's titration interval (3 days), later steps taking any extra day. Every dose is a
    multiple of ``dose_unit_mg``; when a daily total is smaller than ``doses_per_day`` units,
    fewer doses are given. Daily totals never increase.

    This layout is arithmetic chosen by this site, not a schedule from a source: the US
    labels say "reduce the dosage slowly"; UK advice (CSM, via the BNF) "over at least 1 to 2
    weeks".
    With ``start_date`` (ISO), each step also gets its calendar dates (``dates``).

    References: label-tablets, label-ozobax, uk-smpc.
    """
    unit = exact(dose_unit_mg)
    current = exact(current_daily_mg)
    if current % unit != 0:
        raise fail(
            "current_daily_mg",
            f"Current daily dose must be a multiple of the dose unit, "
            f"{format_number(dose_unit_mg)} mg (got {as_given(current_daily_mg)})",
        )
    units = int(current / unit)
    level_count = min(units, max(1, round(taper_days / K.ORAL_STEP_DAYS.value)))
    base_days, extra_days = divmod(taper_days, level_count)
    lengths = [base_days] * (level_count - extra_days) + [base_days + 1] * extra_days

    steps: list[dict[str, Any]] = []
    day = 1
    for index, length in enumerate(lengths):
        # Equal reductions: level i of n keeps (n - i) / (n + 1) of the current dose.
        kept = Fraction(units * (level_count - index), level_count + 1)
        daily_units = max(1, int(kept + Fraction(1, 2)))
        doses = [u * unit for u in split_units(daily_units, doses_per_day) if u > 0]
        if steps and steps[-1]["daily_mg"] == number(daily_units * unit):
            steps[-1]["end_day"] = day + length - 1
            steps[-1]["days"] = days_text(steps[-1]["start_day"], day + length - 1)
        else:
            steps.append(
                {
                    "start_day": day,
                    "end_day": day + length - 1,
                    "days": days_text(day, day + length - 1),
                    "daily_mg": number(daily_units * unit),
                    "doses_mg": [number(d) for d in doses],
                    "doses_per_day": len(doses),
                    "doses_text": doses_text(doses),
                }
            )
        day += length
    steps.append(
        {
            "start_day": day,
            "end_day": None,
            "days": days_text(day, None),
            "daily_mg": 0,
            "doses_mg": [],
            "doses_per_day": 0,
            "doses_text": "stop",
        }
    )

    warnings = Warnings()
    lo_weeks, hi_weeks = K.TAPER_NON_US_WEEKS.value
    if taper_days < K.TAPER_MIN_DAYS.value:
        warnings.add(
            "short-taper",
            "danger",
            f"A taper of {_plural(taper_days, 'day')} is shorter than {K.TAPER_MIN_DAYS.value} "
            "days, the shortest the UK wording allows. Stopping "
            "quickly risks withdrawal: hallucinations, seizures, high fever, altered mental "
            "status, exaggerated rebound spasticity and muscle rigidity; rarely "
            "rhabdomyolysis, multi-organ failure and death.",
            "label-ozobax",
            "label-tablets",
            *K.TAPER_MIN_DAYS.sources,
        )
    warnings.add(
        "taper-wording",
        "info",
        f'The US labels say only "reduce the dosage slowly"; UK advice (the CSM\'s, carried by '
        f'the BNF) says "over at least {lo_weeks} to {hi_weeks} weeks, or longer if symptoms '
        'occur": a minimum, not a target. '
        "The equal-step layout here is this site's arithmetic, not a published schedule.",
        "label-tablets",
        *K.TAPER_NON_US_WEEKS.sources,
    )
    if steps[0]["daily_mg"] == number(current):
        warnings.add(
            "no-step-down",
            "caution",
            f"With a dose unit of {format_number(dose_unit_mg)} mg, "
            f"{format_number(current_daily_mg)} mg/day cannot be reduced before the stop: the "
            "schedule holds the current dose and then stops. A smaller unit (an oral liquid) "
            "allows a gradual reduction.",
        )
    dose_unit_warnings(unit, warnings)
    children_note(warnings)
    add_dates(steps, start_date, "start_date")

    return {
        "steps": steps,
        "current_daily_mg": number(current),
        "stop_day": day,
        "stop_date": date_text(dt.date.fromisoformat(steps[-1]["start_date"]))
        if start_date is not None
        else None,
        "taper_days": taper_days,
        "step_count": len(steps) - 1,
        "warnings": warnings.items,
        "notes": [
            (
                f"Every dose is a multiple of {format_number(dose_unit_mg)} mg; when the daily "
                "total is smaller than one unit per dose, fewer doses a day are given."
            ),
            (
                "Steps last about 3 days, later ones taking any extra day; steps that round "
                "to the same dose are joined into one."
            ),
        ],
    }


TAPER = Calculator(
    id="oral-taper",
    title="Oral taper to stop",
    summary="A stepwise reduction to stop over a chosen number of days, in givable dose units.",
    function=oral_taper,
    fields=(
        Field(
            "current_daily_mg",
            "Current daily dose",
            unit="mg/day",
            minimum=GRANULARITY_MG,
            maximum=MAX_DAILY_MG,
            step=GRANULARITY_MG,
            multiple_of=GRANULARITY_MG,
            multiple_reason=GRANULARITY_REASON,
            default=60,
            help="The total taken per day now; it must be a multiple of the smallest dose step "
            "below. " + MAX_DAILY_HELP,
            sources=K.ORAL_MAX_DAILY_MG_US.sources + K.ORAL_MAX_DAILY_MG_UK_AU.sources,
            limit_constants=("ORAL_PLAUSIBLE_MAX_DAILY_MG",),
        ),
        doses_now_field(),
        Field(
            "taper_days",
            "Taper length",
            unit="days",
            minimum=1,
            maximum=6 * K.TAPER_DEFAULT_DAYS.value,
            step=1,
            integer=True,
            default=K.TAPER_DEFAULT_DAYS.value,
            help=f"Days of reduced dosing before the stop. Shorter than "
            f"{K.TAPER_MIN_DAYS.value} days draws a withdrawal warning; the UK wording says "
            f"'over at least {K.TAPER_NON_US_WEEKS.value[0]} to {K.TAPER_NON_US_WEEKS.value[1]} "
            "weeks', a minimum.",
            sources=K.TAPER_DEFAULT_DAYS.sources,
        ),
        dose_unit_field("Every dose in the taper is a multiple of this amount."),
        start_date_field(),
    ),
    outputs=(
        Output("current_daily_mg", "Current daily dose", "mg/day"),
        Output("step_count", "Reduction steps"),
        Output("stop_day", "Stop on day"),
        Output("stop_date", "Stop on"),
    ),
    tables=(
        Table(
            "steps",
            "Taper",
            (
                Column("days", "Days"),
                Column("dates", "Dates"),
                Column("doses_text", "Each dose"),
                Column("daily_mg", "Daily total", "mg/day"),
            ),
            chart_y="daily_mg",
            chart_label="Daily dose (mg/day)",
        ),
    ),
    sources=("label-tablets", "label-ozobax", "uk-smpc"),
    guards=Guards(
        doses=(
            Dose("inputs.current_daily_mg", "oral", "daily", "the current daily dose"),
            Dose("steps[].doses_mg[]", "oral", "single", "the taper"),
        ),
        schedules=(
            Schedule(
                "steps[].daily_mg",
                "oral",
                "the taper",
                start_path="inputs.current_daily_mg",
                ends_in_stop=True,
            ),
        ),
    ),
)
