"""``itb-oral-wean``: weaning oral baclofen once the intrathecal pump runs.

CMSC 2015 (abstract) gives the size of one step ("can be decreased by
25%-50% at one time") and says to keep oral baclofen available; Boster 2016 weans oral
antispasmodics one drug at a time, oral baclofen first. No source gives the days between
steps: that pace, and the stop rule, are this site's arithmetic (status D).

References: boster2016, label-tablets, label-ozobax, label-gablofen, cmsc2015,
label-lyvispah, bnf.
"""

from __future__ import annotations

import datetime as dt
import math
from fractions import Fraction
from typing import Any

from . import constants as K
from ._oral import (
    GRANULARITY_MG,
    GRANULARITY_REASON,
    MAX_DAILY_MG,
    add_dates,
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


def _next_daily_units(units: int, step: Fraction) -> int:
    """The next daily total, in whole dose units: a cut of ``step``, rounded to a smaller cut.

    Rounding up keeps a cut at or below the chosen size; where that would cut nothing, one
    unit is cut (a cut of at most half while two units or more are left). From one unit the
    next step is the stop.
    """
    return min(math.ceil(units * (1 - step)), units - 1)


def itb_oral_wean(
    *,
    current_daily_mg: float,
    doses_per_day: int,
    step_percent: int,
    step_days: int,
    dose_unit_mg: float,
    start_date: str | None = None,
) -> dict[str, Any]:
    """Wean oral baclofen in steps of ``step_percent`` of the current daily dose, to the stop.

    Each step keeps ``step_days`` days. A step's daily total is the previous one less
    ``step_percent``, rounded up to whole ``dose_unit_mg`` units (so no cut is larger than
    chosen), but at least one unit less; the stop follows the smallest daily dose, one unit.
    Day 1 is the first reduction; with ``start_date`` (ISO) every step gets its dates.

    References: cmsc2015 (25-50% at one time; keep oral baclofen available), boster2016 (one
    drug at a time, oral baclofen first), bnf (stopping over at least 1 to 2 weeks).
    """
    unit = exact(dose_unit_mg)
    current = exact(current_daily_mg)
    if current % unit != 0:
        raise fail(
            "current_daily_mg",
            f"Current oral daily dose must be a multiple of the dose unit, "
            f"{format_number(dose_unit_mg)} mg (got {as_given(current_daily_mg)})",
        )
    step = Fraction(step_percent, 100)
    units = int(current / unit)
    levels = _wean_levels(units, step)
    steps = _wean_steps(levels, units, unit, doses_per_day, step_days)
    add_dates(steps, start_date, "start_date")
    if start_date is not None:
        first = dt.date.fromisoformat(start_date)
        for row in steps:
            row["assess_date"] = date_text(first + dt.timedelta(days=row["assess_day"] - 1))

    w = Warnings()
    total_days = steps[-1]["start_day"] - 1
    _wean_step_warnings(w, step_percent, step_days)
    if total_days < K.TAPER_MIN_DAYS.value:
        w.add(
            "short-taper",
            "danger",
            f"The oral baclofen stops on day {steps[-1]['start_day']}, after "
            f"{_days(total_days)} of reductions: shorter than {K.TAPER_MIN_DAYS.value} days, "
            "the shortest the UK wording allows for stopping oral baclofen. A running pump is "
            "no reason to stop faster (this site's reading): stopping oral baclofen quickly "
            "risks withdrawal (hallucinations, seizures, high fever, rebound spasticity).",
            "label-tablets",
            *K.TAPER_MIN_DAYS.sources,
        )
    if not levels and step < 1:
        smaller = [u for u in _UNIT_CHOICES if u < unit and current % u == 0]
        w.add(
            "wean-no-step",
            "caution",
            f"{format_number(number(current))} mg/day is a single "
            f"{format_number(dose_unit_mg)} mg unit: it cannot be cut, so the schedule stops at "
            "once. "
            + (
                f"A smaller unit gives a gradual wean: {_UNIT_LABELS[max(smaller)]}."
                if smaller
                else "No smaller unit offered here divides it: this is the last dose before "
                "the stop."
            ),
        )
    w.add(
        "wean-keep-oral-available",
        "info",
        'Keep oral baclofen available: CMSC 2015 says to "have oral baclofen available during '
        'titration and for management of ITB withdrawal", and to wean "one drug at a time '
        'beginning with oral baclofen" (so also Boster 2016).',
        "cmsc2015",
        "boster2016",
    )
    dose_unit_warnings(unit, w)
    w.add(
        "children-not-established",
        "info",
        f"For adults and adolescents: US oral labelling has not established safety and "
        f"effectiveness below {K.ORAL_NOT_ESTABLISHED_UNDER_YEARS.value} years, and this "
        "schedule was not written for children. A child's wean belongs to the paediatric team "
        "and a children's formulary.",
        *K.ORAL_NOT_ESTABLISHED_UNDER_YEARS.sources,
    )
    w.add(
        "wean-assess",
        "info",
        f"Assess within {K.WEAN_ASSESS_WITHIN_HOURS.value} hours of each cut (CMSC 2015), so by "
        "the day after it, and again before the next cut (this site's choice). Look for the "
        "early signs of intrathecal withdrawal (return of spasticity, itching, low blood "
        "pressure, tingling), the signs of oral withdrawal (hallucinations, confusion, "
        "seizures), and drowsiness or weakness. If a cut is not tolerated, hold the next one "
        "or go back a step, and review the intrathecal dose (this site's reading): the dates "
        "are a plan, not a timetable.",
        "cmsc2015",
        "label-gablofen",
        "label-tablets",
    )

    return {
        "steps": steps,
        "current_daily_mg": number(current),
        "step_count": len(levels),
        "stop_day": steps[-1]["start_day"],
        "stop_date": steps[-1].get("dates", "").removesuffix(" onward") or None,
        "total_days": total_days,
        "warnings": w.items,
        "notes": [
            (
                f"Each step cuts {step_percent}% of the previous daily dose, rounded up to "
                f"whole {format_number(dose_unit_mg)} mg units so that no cut is larger, but at "
                "least one unit; the stop follows the smallest daily dose, one unit (this "
                "site's arithmetic)."
            ),
        ],
    }


def _wean_levels(units: int, step: Fraction) -> list[int]:
    """The daily totals after each cut, in whole units, down to the last before the stop."""
    levels: list[int] = []
    level = units
    following = _next_daily_units(level, step)
    while 0 < following < level:
        levels.append(following)
        level = following
        following = _next_daily_units(level, step)
    return levels


def _wean_steps(
    levels: list[int], units: int, unit: Fraction, doses_per_day: int, step_days: int
) -> list[dict[str, Any]]:
    """One row per cut, each ``step_days`` long, then the stop (assess by the next day)."""
    steps: list[dict[str, Any]] = []
    previous = units
    day = 1
    for index, daily_units in enumerate(levels, 1):
        doses = [u * unit for u in split_units(daily_units, doses_per_day) if u > 0]
        end = day + step_days - 1
        steps.append(
            {
                "step": index,
                "start_day": day,
                "end_day": end,
                "days": days_text(day, end),
                "daily_mg": number(daily_units * unit),
                "doses_mg": [number(d) for d in doses],
                "doses_text": doses_text(doses),
                "cut_percent": number(Fraction(previous - daily_units, previous) * 100, 0),
                "assess_day": day + 1,
            }
        )
        previous = daily_units
        day = end + 1
    steps.append(
        {
            "step": len(levels) + 1,
            "start_day": day,
            "end_day": None,
            "days": days_text(day, None),
            "daily_mg": 0,
            "doses_mg": [],
            "doses_text": "stop",
            "cut_percent": 100,
            "assess_day": day + 1,
        }
    )
    return steps


def _wean_step_warnings(w: Warnings, step_percent: int, step_days: int) -> None:
    """The chosen cut against CMSC 2015's range, and the days between cuts."""
    step = Fraction(step_percent, 100)
    lo, hi = K.WEAN_STEP_RANGE_FRACTION.value
    if step > hi:
        w.add(
            "wean-step-above-source",
            "caution",
            f"A step of {step_percent}% is larger than the CMSC 2015 abstract's range: oral "
            f'baclofen "can be decreased by {format_number(float(lo * 100))}%-'
            f'{format_number(float(hi * 100))}% at one time". A larger cut risks oral '
            "withdrawal even with the pump running: choose a step within that range.",
            *K.WEAN_STEP_RANGE_FRACTION.sources,
        )
    elif step < lo:
        w.add(
            "wean-step-below-source",
            "info",
            f"A step of {step_percent}% is smaller than the CMSC 2015 abstract's range "
            f"({format_number(float(lo * 100))}-{format_number(float(hi * 100))}% at one time): "
            "smaller cuts than the ones it describes, so more steps and a longer wean.",
            *K.WEAN_STEP_RANGE_FRACTION.sources,
        )
    if step_days < K.WEAN_MIN_STEP_DAYS.value:
        w.add(
            "wean-steps-close",
            "caution",
            f"Steps {_days(step_days)} apart are closer than {K.WEAN_MIN_STEP_DAYS.value} "
            "days, the label's interval between oral dose changes (this site's threshold: no "
            "source gives an interval for weaning after the pump starts). Judge each step's "
            "effect before the next.",
            *K.WEAN_MIN_STEP_DAYS.sources,
        )


def _days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"


_UNIT_LABELS = {exact(float(c.value)): c.label for c in dose_unit_field("").choices}
_UNIT_CHOICES = tuple(_UNIT_LABELS)


_WEAN_LO, _WEAN_HI = (int(v * 100) for v in K.WEAN_STEP_RANGE_FRACTION.value)


WEAN = Calculator(
    id="itb-oral-wean",
    title="Weaning oral baclofen after the pump starts",
    summary=(
        "A dated schedule that steps oral baclofen down to a stop once intrathecal baclofen "
        "runs, with what to check after each step."
    ),
    function=itb_oral_wean,
    fields=(
        Field(
            "current_daily_mg",
            "Current oral daily dose",
            unit="mg/day",
            minimum=1,
            maximum=MAX_DAILY_MG,
            step=GRANULARITY_MG,
            multiple_of=GRANULARITY_MG,
            multiple_reason=GRANULARITY_REASON,
            default=60,
            help="The oral baclofen taken per day now, all doses together. Up to "
            f"{K.ORAL_PLAUSIBLE_MAX_DAILY_MG.value} mg/day is accepted (this site's bound "
            "against typing slips, not a clinical maximum).",
            sources=K.ORAL_MAX_DAILY_MG_US.sources,
            limit_constants=("ORAL_PLAUSIBLE_MAX_DAILY_MG",),
        ),
        doses_now_field(),
        Field(
            "step_percent",
            "Cut per step",
            unit="% of the daily dose",
            minimum=10,
            maximum=100,
            step=5,
            integer=True,
            default=_WEAN_LO,
            help=f"CMSC 2015: oral baclofen 'can be decreased by {_WEAN_LO}%-{_WEAN_HI}% at one "
            f"time'. Above {_WEAN_HI}% draws a caution.",
            sources=K.WEAN_STEP_RANGE_FRACTION.sources,
        ),
        Field(
            "step_days",
            "Days per step",
            unit="days",
            minimum=1,
            maximum=4 * K.WEAN_DEFAULT_STEP_DAYS.value,
            step=1,
            integer=True,
            default=K.WEAN_DEFAULT_STEP_DAYS.value,
            help=f"No source gives it; the default of {K.WEAN_DEFAULT_STEP_DAYS.value} days is "
            f"this site's. Fewer than {K.WEAN_MIN_STEP_DAYS.value} days draws a caution.",
        ),
        dose_unit_field("Every dose in the wean is a multiple of this amount."),
        start_date_field("Date of the first cut"),
    ),
    outputs=(
        Output("current_daily_mg", "Current oral daily dose", "mg/day"),
        Output("step_count", "Reduction steps"),
        Output("stop_day", "Oral baclofen stops on day"),
        Output("stop_date", "Stops on"),
        Output("total_days", "Days of reductions", "days"),
    ),
    tables=(
        Table(
            "steps",
            "Wean",
            (
                Column("step", "Step"),
                Column("days", "Days"),
                Column("dates", "Dates"),
                Column("doses_text", "Each dose"),
                Column("daily_mg", "Daily total", "mg/day"),
                Column("cut_percent", "Cut", "%"),
                Column("assess_day", "Assess by day"),
                Column("assess_date", "Assess by"),
            ),
            chart_y="daily_mg",
            chart_label="Oral daily dose (mg/day)",
        ),
    ),
    sources=("cmsc2015", "boster2016", "label-tablets", "bnf"),
    guards=Guards(
        doses=(
            Dose("inputs.current_daily_mg", "oral", "daily", "the current oral daily dose"),
            Dose("steps[].doses_mg[]", "oral", "single", "the wean"),
        ),
        schedules=(
            Schedule(
                "steps[].daily_mg",
                "oral",
                "the wean",
                start_path="inputs.current_daily_mg",
                ends_in_stop=True,
                chosen_cuts=True,
            ),
        ),
    ),
)
