"""``itb-flex-schedule``: a flexible 24-hour schedule, its total and hour-by-hour delivery.

The total, the hour-by-hour delivery, and the per-hour versus per-day slip.

The arithmetic is this site's own (status D in the evidence base, "Our arithmetic"), shown
step by step in each result; the figures it is compared with carry their sources.

References: boster2016, label-gablofen, ismp-flex.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from . import constants as K
from ._itb import (
    _EMERGENCIES,
    _HOURS_PER_DAY,
    DOSE_HELP,
    PLAUSIBLE_MAX_MCG_PER_DAY,
    _check,
    _mcg,
    _pct,
    dose_field,
)
from ._util import exact, number, significant
from .guards import Dose, Guards
from .spec import (
    Calculator,
    Column,
    Field,
    FieldError,
    Group,
    InputError,
    Output,
    Table,
    Warnings,
    format_number,
)

_SHOWN_PLACES = 6


def _small(value: Fraction) -> str:
    """A small positive amount, two significant figures, never shown as ``0``."""
    text = format_number(significant(value, 2), _SHOWN_PLACES)
    return f"less than {10**-_SHOWN_PLACES:.{_SHOWN_PLACES}f}" if text == "0" else text


def _clock(hours: Fraction) -> str:
    minutes = round(hours * 60) % (_HOURS_PER_DAY * 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _end_clock(start: Fraction, length: Fraction) -> str:
    """A step's end: ``24:00`` for a whole day from midnight, never ``00:00-00:00``."""
    if length == _HOURS_PER_DAY and start == 0:
        return "24:00"
    return _clock(start + length)


def _arcs(start: Fraction, length: Fraction) -> list[tuple[Fraction, Fraction]]:
    """The step as intervals of the 24-hour day (one past midnight wraps to the morning)."""
    end = start + length
    day = Fraction(_HOURS_PER_DAY)
    if end <= day:
        return [(start, end)]
    return [(start, day), (Fraction(0), end - day)]


def _schedule_arcs(
    steps: list[dict[str, Any]], boluses: list[dict[str, Any]]
) -> list[list[tuple[Fraction, Fraction]]]:
    """Each step's intervals of the day; an InputError for times past 24 h, overlaps, > 24 h."""
    errors: list[FieldError] = []
    arcs: list[list[tuple[Fraction, Fraction]]] = []
    day = Fraction(_HOURS_PER_DAY)
    for index, step in enumerate(steps):
        start = exact(step["start_hours"])
        _check(
            errors,
            start < day,
            f"steps.{index}.start_hours",
            f"Step {index + 1}: Start must be before {_HOURS_PER_DAY} hours (midnight is 0; got "
            f"{format_number(step['start_hours'])})",
        )
        arcs.append(_arcs(start, exact(step["duration_hours"])))
    for index, bolus in enumerate(boluses):
        _check(
            errors,
            exact(bolus["time_hours"]) < day,
            f"boluses.{index}.time_hours",
            f"Bolus {index + 1}: Time must be before {_HOURS_PER_DAY} hours (midnight is 0; got "
            f"{format_number(bolus['time_hours'])})",
        )
    total_hours = sum((exact(s["duration_hours"]) for s in steps), Fraction(0))
    if total_hours > day:
        errors.append(
            FieldError(
                "steps",
                f"Steps: the schedule must last at most {_HOURS_PER_DAY} hours in all (got "
                f"{format_number(number(total_hours, 2))} hours)",
            )
        )
    elif not errors:
        errors += _overlaps(arcs)
    if errors:
        raise InputError(errors)
    return arcs


def _overlaps(arcs: list[list[tuple[Fraction, Fraction]]]) -> list[FieldError]:
    """One error per step that overlaps an earlier one, naming both."""
    errors = []
    for j in range(len(arcs)):
        for i in range(j):
            if any(a0 < b1 and b0 < a1 for a0, a1 in arcs[i] for b0, b1 in arcs[j]):
                errors.append(
                    FieldError(
                        f"steps.{j}.start_hours",
                        f"Step {j + 1}: it overlaps step {i + 1} "
                        f"({_clock(arcs[i][0][0])}-{_clock(arcs[i][-1][1])}); steps must not "
                        f"overlap (got {_clock(arcs[j][0][0])}-{_clock(arcs[j][-1][1])})",
                    )
                )
                break
    return errors


def itb_flex_schedule(
    *,
    intended_daily_mcg: float,
    steps: list[dict[str, Any]],
    boluses: list[dict[str, Any]],
) -> dict[str, Any]:
    """A flexible 24-hour schedule: its total, its hour-by-hour delivery, each step's share.

    ``24-hour total = sum(step rate x step hours) + sum(boluses)`` (mcg; status D). Steps
    (start in hours after midnight, duration in hours, rate in mcg/hour) must not overlap and
    may run past midnight into the next morning; boluses are given at a time of day.

    References: ismp-flex (60 mcg per day delivered as 60 mcg every hour), boster2016.
    """
    arcs = _schedule_arcs(steps, boluses)
    day = Fraction(_HOURS_PER_DAY)
    intended = exact(intended_daily_mcg)
    amounts = [exact(s["rate_mcg_per_hour"]) * exact(s["duration_hours"]) for s in steps]
    bolus_total = sum((exact(b["dose_mcg"]) for b in boluses), Fraction(0))
    total = sum(amounts, Fraction(0)) + bolus_total
    difference = total - intended

    hourly = []
    for hour in range(_HOURS_PER_DAY):
        h0, h1 = Fraction(hour), Fraction(hour + 1)
        continuous = sum(
            (
                exact(s["rate_mcg_per_hour"]) * max(Fraction(0), min(a1, h1) - max(a0, h0))
                for s, step_arcs in zip(steps, arcs, strict=True)
                for a0, a1 in step_arcs
            ),
            Fraction(0),
        )
        given = sum(
            (exact(b["dose_mcg"]) for b in boluses if h0 <= exact(b["time_hours"]) < h1),
            Fraction(0),
        )
        hourly.append(
            {
                "hour": hour,
                "clock": f"{hour:02d}:00-{hour + 1:02d}:00",
                "continuous_mcg": number(continuous, 2),
                "bolus_mcg": number(given, 2) if given else None,
                "total_mcg": number(continuous + given, 2),
            }
        )
    step_rows = [
        {
            "step": index + 1,
            "start": _clock(exact(s["start_hours"])),
            "end": _end_clock(exact(s["start_hours"]), exact(s["duration_hours"])),
            "time": f"{_clock(exact(s['start_hours']))}-"
            f"{_end_clock(exact(s['start_hours']), exact(s['duration_hours']))}",
            "duration_hours": s["duration_hours"],
            "rate_mcg_per_hour": s["rate_mcg_per_hour"],
            "amount_mcg": significant(amount),
            "share_percent": significant(amount / total * 100) if total else None,
        }
        for index, (s, amount) in enumerate(zip(steps, amounts, strict=True))
    ]
    bolus_rows = [
        {
            "bolus": index + 1,
            "time": _clock(exact(b["time_hours"])),
            "dose_mcg": b["dose_mcg"],
            "share_percent": number(exact(b["dose_mcg"]) / total * 100, 1) if total else None,
        }
        for index, b in enumerate(boluses)
    ]

    covered = sum((b - a for step_arcs in arcs for a, b in step_arcs), Fraction(0))
    w = _flex_warnings(intended, total, steps)
    if covered < day:
        w.add(
            "uncovered-hours",
            "caution",
            f"{format_number(number(day - covered, 2))} hours of the day "
            f"({_gaps(arcs)}) are in no step: this calculator counts nothing delivered then. "
            "Check what the pump's programme does between steps.",
        )
    idle = [
        index + 1
        for index, step in enumerate(steps)
        if exact(step["rate_mcg_per_hour"]) == 0 and exact(step["duration_hours"]) > 0
    ]
    if idle:
        hours_idle = sum((exact(steps[i - 1]["duration_hours"]) for i in idle), Fraction(0))
        # Caution: hours without drug are a withdrawal risk that a matching total hides.
        w.add(
            "itb-zero-rate-step",
            "caution",
            f"Step{'s' if len(idle) > 1 else ''} {', '.join(map(str, idle))} deliver"
            f"{'' if len(idle) > 1 else 's'} nothing ({format_number(number(hours_idle, 2))} "
            "hours at 0 mcg/hour): the patient has no continuous drug then, even if the "
            "24-hour total matches. Check that this is meant.",
            "label-gablofen",
        )
    w.add(
        "clock-change",
        "info",
        'Boster 2016: "Time changes may affect flex dosing." When the clocks change, check when '
        "each step now starts.",
        "boster2016",
    )
    return {
        "total_mcg": number(total, 2),
        "continuous_mcg": number(total - bolus_total, 2),
        "bolus_total_mcg": number(bolus_total, 2),
        "difference_mcg": significant(difference),
        "difference_percent": significant(difference / intended * 100),
        "hours_covered": number(covered, 2),
        "formula": " + ".join(
            [
                f"{format_number(s['rate_mcg_per_hour'], 6)} x "
                f"{format_number(s['duration_hours'], 6)} h"
                for s in steps
            ]
            + [f"{format_number(b['dose_mcg'], 6)} (bolus)" for b in boluses]
        )
        + f" = {format_number(number(total, 4), 4)} mcg",
        "steps_table": step_rows,
        "boluses_table": bolus_rows,
        "hourly": hourly,
        "warnings": w.items,
        "notes": [
            (
                "24-hour total = sum of (rate x hours) over the steps + the boluses (this "
                "site's arithmetic)."
            ),
            "A step that runs past midnight continues in the early hours of the same 24-hour day.",
        ],
    }


def _flex_warnings(intended: Fraction, total: Fraction, steps: list[dict[str, Any]]) -> Warnings:
    """The per-hour/per-day slip (ismp-flex) and the total against the intended dose."""
    difference = total - intended
    intended_daily_mcg = number(intended, 3)
    w = Warnings()
    tolerance = K.FLEX_TOTAL_MATCH_FRACTION.value * intended
    slips = [
        index
        for index, s in enumerate(steps)
        # An hourly rate of half the day's dose or more is not a plausible per-hour rate: the
        # ISMP event had the daily figure typed as the hourly one (this site's threshold, D).
        if exact(s["rate_mcg_per_hour"]) >= K.FLEX_SLIP_RATE_FRACTION.value * intended
    ]
    if slips and difference > tolerance:
        named = "; ".join(
            f"step {i + 1} runs at {format_number(steps[i]['rate_mcg_per_hour'])} mcg/hour, "
            f"{_mcg(exact(steps[i]['rate_mcg_per_hour']) * _HOURS_PER_DAY)} in 24 hours"
            for i in slips
        )
        w.add(
            "per-hour-per-day-slip",
            "danger",
            f"Per hour or per day? {named}: an hourly rate of at least half the intended daily "
            f"dose ({format_number(intended_daily_mcg)} mcg; this site's threshold), and the "
            "schedule delivers "
            f"{_mcg(total)}. ISMP reported a flex step meant as 60 mcg per day that was "
            "delivered as 60 mcg every hour. Check that each rate is per hour. " + _EMERGENCIES,
            "ismp-flex",
        )
    far = K.FLEX_TOTAL_DANGER_FRACTION.value * intended
    if abs(difference) > tolerance:
        big = abs(difference) > far
        w.add(
            "total-far-from-intended" if big else "total-differs-from-intended",
            "danger" if big else "caution",
            f"The 24-hour total, {_mcg(total)}, is {_mcg(abs(difference))} "
            f"({_pct(abs(difference) / intended)}) {'above' if difference > 0 else 'below'} the "
            f"intended {format_number(intended_daily_mcg)} mcg/day: more than this site's "
            f"{_pct(K.FLEX_TOTAL_MATCH_FRACTION.value)} match"
            + (
                f" and more than {_pct(K.FLEX_TOTAL_DANGER_FRACTION.value)} (its own "
                f"thresholds). The programme is far from the prescribed dose. {_EMERGENCIES}"
                if big
                else " (its own threshold). The programme does not deliver the prescribed "
                "dose: check each rate and duration against the prescription."
            ),
            *K.FLEX_TOTAL_MATCH_FRACTION.sources,
        )
    if difference != 0 and abs(difference) <= tolerance:
        w.add(
            "total-rounding-difference",
            "info",
            f"The 24-hour total differs from the intended {format_number(intended_daily_mcg, 3)} "
            f"mcg by {_small(abs(difference))} mcg ({_small(abs(difference) / intended * 100)}%), "
            "within this site's "
            f"{_pct(K.FLEX_TOTAL_MATCH_FRACTION.value)} match: the rates are rounded.",
            *K.FLEX_TOTAL_MATCH_FRACTION.sources,
        )
    return w


def _gaps(arcs: list[list[tuple[Fraction, Fraction]]]) -> str:
    spans = sorted(span for step_arcs in arcs for span in step_arcs)
    gaps = []
    cursor = Fraction(0)
    for a, b in spans:
        if a > cursor:
            gaps.append((cursor, a))
        cursor = max(cursor, b)
    if cursor < _HOURS_PER_DAY:
        gaps.append((cursor, Fraction(_HOURS_PER_DAY)))
    return ", ".join(f"{_clock(a)}-{_clock(b) if b < _HOURS_PER_DAY else '24:00'}" for a, b in gaps)


FLEX_SCHEDULE = Calculator(
    id="itb-flex-schedule",
    title="Flexible 24-hour schedule",
    summary=(
        "The 24-hour total of a flex schedule, hour by hour, against the intended daily dose."
    ),
    function=itb_flex_schedule,
    fields=(
        dose_field(
            "intended_daily_mcg",
            "Intended daily dose",
            400,
            "The prescribed 24-hour total. " + DOSE_HELP,
        ),
    ),
    groups=(
        Group(
            name="steps",
            label="Steps",
            item_label="Step",
            fields=(
                Field(
                    "start_hours",
                    "Start",
                    unit="h after midnight",
                    minimum=0,
                    maximum=_HOURS_PER_DAY,
                    step=0.25,
                    default=0,
                    help="8.5 is 08:30.",
                ),
                Field(
                    "duration_hours",
                    "Duration",
                    unit="hours",
                    minimum=float(K.FLEX_MIN_STEP_HOURS.value),
                    maximum=_HOURS_PER_DAY,
                    step=0.25,
                    default=1,
                    limit_constants=("FLEX_MIN_STEP_HOURS",),
                ),
                Field(
                    "rate_mcg_per_hour",
                    "Rate",
                    unit="mcg/hour",
                    minimum=0,
                    maximum=PLAUSIBLE_MAX_MCG_PER_DAY,
                    step=0.001,
                    default=10,
                    help="Per hour. Up to the same bound as a daily dose, so that a per-day "
                    "figure typed here is shown and explained rather than refused.",
                    limit_constants=("ITB_PLAUSIBLE_MAX_MCG_PER_DAY",),
                ),
            ),
            min_items=1,
            max_items=K.FLEX_MAX_STEPS.value,
            default=(
                {"start_hours": 0, "duration_hours": 8, "rate_mcg_per_hour": 12.5},
                {"start_hours": 8, "duration_hours": 14, "rate_mcg_per_hour": 20},
                {"start_hours": 22, "duration_hours": 2, "rate_mcg_per_hour": 10},
            ),
            help="Each step runs at its own rate; together they make the 24-hour day.",
            sources=("boster2016",),
        ),
        Group(
            name="boluses",
            label="Scheduled boluses",
            item_label="Bolus",
            item_plural="boluses",
            fields=(
                Field(
                    "time_hours",
                    "Time",
                    unit="h after midnight",
                    minimum=0,
                    maximum=_HOURS_PER_DAY,
                    step=0.25,
                    default=12,
                ),
                Field(
                    "dose_mcg",
                    "Dose",
                    unit="mcg",
                    minimum=0.1,
                    maximum=PLAUSIBLE_MAX_MCG_PER_DAY,
                    step=0.1,
                    default=10,
                    help="Up to the same bound as a daily dose (this site's bound, not a "
                    "clinical maximum).",
                    limit_constants=("ITB_PLAUSIBLE_MAX_MCG_PER_DAY",),
                ),
            ),
            min_items=0,
            max_items=K.FLEX_MAX_BOLUSES.value,
            help="Optional boluses, each at a time of day.",
            sources=("boster2016",),
        ),
    ),
    outputs=(
        Output("formula", "24-hour total (our arithmetic)"),
        Output("total_mcg", "24-hour total", "mcg"),
        Output("bolus_total_mcg", "of which boluses", "mcg"),
        Output("difference_mcg", "Difference from the intended dose", "mcg"),
        Output("difference_percent", "Difference", "%"),
        Output("hours_covered", "Hours in a step", "hours"),
    ),
    tables=(
        Table(
            "hourly",
            "Hour by hour",
            (
                Column("clock", "Hour"),
                Column("continuous_mcg", "Steps", "mcg"),
                Column("bolus_mcg", "Bolus", "mcg"),
                Column("total_mcg", "Total", "mcg"),
            ),
            chart_y="total_mcg",
            chart_label="mcg delivered in each hour",
            chart_x="hour",
        ),
        Table(
            "steps_table",
            "Each step's share",
            (
                Column("step", "Step"),
                Column("time", "Time"),
                Column("duration_hours", "Hours"),
                Column("rate_mcg_per_hour", "Rate", "mcg/hour"),
                Column("amount_mcg", "Amount", "mcg"),
                Column("share_percent", "Share", "%"),
            ),
        ),
        Table(
            "boluses_table",
            "Boluses",
            (
                Column("bolus", "Bolus"),
                Column("time", "Time"),
                Column("dose_mcg", "Dose", "mcg"),
                Column("share_percent", "Share", "%"),
            ),
        ),
    ),
    sources=("ismp-flex", "boster2016"),
    guards=Guards(
        doses=(
            Dose("inputs.intended_daily_mcg", "intrathecal", "daily", "the intended daily dose"),
            Dose("total_mcg", "intrathecal", "daily", "the 24-hour total"),
            Dose(
                "inputs.boluses[].dose_mcg",
                "intrathecal",
                "bolus",
                "bolus",
                daily_total_path="total_mcg",
            ),
        ),
    ),
)
