"""``oral-titration``: the label titration ladder (or your own) to a target daily dose.

References: vlavonou2014, wolf2018, label-tablets, label-ozobax, ismp-liquids, uk-smpc, bnf,
au-pi.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

from . import constants as K
from ._oral import (
    _FORMULATIONS,
    GRANULARITY_MG,
    GRANULARITY_REASON,
    MAX_DAILY_HELP,
    MAX_DAILY_MG,
    _liquid_warning,
    _plural,
    add_dates,
    children_note,
    days_text,
    doses_text,
    split_units,
    start_date_field,
)
from ._util import exact, fail, number
from .guards import Dose, Guards, Schedule
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


def _tablets(dose_mg: Fraction) -> str | None:
    """Fewest whole tablets of the label strengths for one dose, or None if impossible."""
    strengths = sorted((exact(s) for s in K.TABLET_STRENGTHS_MG.value), reverse=True)
    smallest = strengths[-1]
    if dose_mg % smallest != 0:
        return None
    parts: list[str] = []
    left = dose_mg
    for strength in strengths:
        count = int(left // strength)
        if count:
            parts.append(f"{count} x {format_number(number(strength))} mg")
            left -= count * strength
    return " + ".join(parts) + (
        " tablet" if len(parts) == 1 and parts[0].startswith("1 ") else " tablets"
    )


def _amounts(doses_mg: list[Fraction], formulation: str | None) -> str | None:
    """What to measure or count per dose for the chosen formulation."""
    if formulation is None or not doses_mg:
        return None
    _, concentration = _FORMULATIONS[formulation]
    texts: list[str] = []
    for dose in doses_mg:
        if concentration is None:
            texts.append(_tablets(dose) or f"{format_number(number(dose))} mg: not whole tablets")
        else:
            ml = dose / exact(concentration.value)
            texts.append(f"{format_number(number(ml))} mL")
    if all(t == texts[0] for t in texts):
        return f"{texts[0]}, {len(texts)} times a day"
    return " / ".join(texts)


def _formulation_warnings(
    formulation: str | None, doses: list[Fraction], warnings: Warnings
) -> None:
    if formulation is None:
        return
    if formulation == "tablet":
        smallest = min(K.TABLET_STRENGTHS_MG.value)
        odd = sorted({d for d in doses if d % exact(smallest) != 0})
        if odd:
            warnings.add(
                "tablet-split",
                "caution",
                "Some doses ("
                + ", ".join(f"{format_number(number(d))} mg" for d in odd)
                + f") are not whole {format_number(smallest)} mg tablets. Tablet splitting is not "
                "covered by the sources used here; consider an oral liquid.",
                "label-tablets",
            )
        warnings.add(
            "tablet-strengths",
            "info",
            "Tablet strengths ("
            + ", ".join(f"{s} mg" for s in K.TABLET_STRENGTHS_MG.value)
            + ") vary by manufacturer; the counts assume all are available.",
            "label-tablets",
        )
        return
    _liquid_warning(warnings, "")


def oral_titration(
    *,
    start_dose_mg: float,
    doses_per_day: int,
    step_mg: float,
    step_days: int,
    target_daily_mg: float,
    formulation: str | None = None,
    start_date: str | None = None,
) -> dict[str, Any]:
    """Titration schedule from a start dose up to ``target_daily_mg`` exactly.

    Each dose rises by ``step_mg`` every ``step_days`` days until the daily total reaches
    the target.
    Doses in mg, days counted from day 1. The final step may split an uneven target into
    unequal doses, each a multiple of the granularity gcd(start, step), the larger doses first.
    With ``start_date`` (ISO), each step also gets its calendar dates (``dates``).

    References: label-tablets, label-ozobax (5 mg three times a day, +5 mg per dose every
    3 days, at most 80 mg/day); uk-smpc and au-pi (100 mg/day); ismp-liquids.
    """
    start = exact(start_dose_mg)
    step = exact(step_mg)
    target = exact(target_daily_mg)
    start_daily = start * doses_per_day
    if target < start_daily:
        raise fail(
            "target_daily_mg",
            f"Target daily dose must be at least the starting daily dose, "
            f"{format_number(number(start_daily))} mg/day ({format_number(start_dose_mg)} mg x "
            f"{doses_per_day}) (got {as_given(target_daily_mg)})",
        )
    unit = Fraction(
        math.gcd(start.numerator * step.denominator, step.numerator * start.denominator),
        start.denominator * step.denominator,
    )
    if target % unit != 0:
        raise fail(
            "target_daily_mg",
            f"Target daily dose must be a multiple of {format_number(number(unit))} mg, the "
            f"granularity of the start dose and the step, so that every dose can be given "
            f"(got {as_given(target_daily_mg)})",
        )

    steps: list[dict[str, Any]] = []
    day = 1
    dose = start
    while dose * doses_per_day < target:
        doses = [dose] * doses_per_day
        steps.append(_titration_row(day, day + step_days - 1, doses, formulation))
        day += step_days
        dose += step
    final_doses = [u * unit for u in split_units(int(target / unit), doses_per_day)]
    steps.append(_titration_row(day, None, final_doses, formulation))

    warnings = Warnings()
    _schedule_warnings(
        warnings,
        start=start,
        doses_per_day=doses_per_day,
        step=step,
        step_days=step_days,
        climbs=len(steps) > 1,
    )
    usual_lo, usual_hi = K.ORAL_USUAL_DAILY_MG.value
    if target < usual_lo:
        warnings.add(
            "below-usual-range",
            "info",
            f"The label's usual effective range is {usual_lo} to {usual_hi} mg/day; it titrates "
            "'until optimum effect is achieved'.",
            *K.ORAL_USUAL_DAILY_MG.sources,
        )
    if steps[-1]["dose_mg"] is None:
        warnings.add(
            "uneven-final-step",
            "info",
            f"{format_number(target_daily_mg)} mg/day does not divide into {doses_per_day} equal "
            f"doses of a multiple of {format_number(number(unit))} mg, so the final step gives "
            f"{steps[-1]['doses_text']}.",
        )
    all_doses = [d for row in steps for d in row.pop("_doses")]
    largest_label_dose = Fraction(K.ORAL_MAX_DAILY_MG_US.value, K.ORAL_MAX_DOSES_PER_DAY.value)
    if max(all_doses) > largest_label_dose:
        four = K.ORAL_MAX_DOSES_PER_DAY.value
        advice = (
            f" Divided into {four} doses a day, {format_number(target_daily_mg)} mg/day is "
            f"{doses_text([u * unit for u in split_units(int(target / unit), four)])}: use "
            f"{four} doses a day."
            if doses_per_day < four and target <= largest_label_dose * four
            else ""
        )
        warnings.add(
            "single-dose-above-label",
            "caution",
            f"Single doses reach {format_number(number(max(all_doses)))} mg; the US label's "
            f"largest single dose is {format_number(number(largest_label_dose))} mg "
            f"({format_number(number(largest_label_dose))} mg {four} times a day = "
            f"{K.ORAL_MAX_DAILY_MG_US.value} mg/day).{advice}",
            *K.ORAL_MAX_DAILY_MG_US.sources,
        )
    _formulation_warnings(formulation, all_doses, warnings)
    children_note(warnings)
    warnings.add(
        "not-adjusted-for-kidney",
        "info",
        "This schedule is not adjusted for kidney function or age: baclofen is cleared by the "
        "kidney, and a reduced clearance calls for lower doses and slower steps (see the "
        "renal function calculator).",
        "vlavonou2014",
        "wolf2018",
    )
    add_dates(steps, start_date, "start_date")

    return {
        "steps": steps,
        "start_daily_mg": number(start_daily),
        "target_daily_mg": number(target),
        "day_target_reached": day,
        "step_count": len(steps),
        "dose_granularity_mg": number(unit),
        "formulation": _FORMULATIONS[formulation][0] if formulation else None,
        "warnings": warnings.items,
        "notes": [
            "The last step continues: it is the target (maintenance) dose.",
            (
                "An uneven target is split into doses that differ by one granularity step, the "
                "larger doses first."
            ),
        ],
    }


def _schedule_warnings(
    warnings: Warnings,
    *,
    start: Fraction,
    doses_per_day: int,
    step: Fraction,
    step_days: int,
    climbs: bool = True,
) -> None:
    """Compare a titration schedule with the label's by *daily totals*: a caution if faster.

    Per-dose amounts mislead: 5 mg four times a day is the label's dose but a faster start
    (20 against 15 mg/day) and a faster climb (+20 against +15 mg/day a step).
    """
    label_start = K.ORAL_START_DOSE_MG.value * K.ORAL_START_DOSES_PER_DAY.value
    label_step = K.ORAL_STEP_MG.value * K.ORAL_START_DOSES_PER_DAY.value
    label_text = (
        f"the label's suggested schedule ({K.ORAL_START_DOSE_MG.value} mg "
        f"{K.ORAL_START_DOSES_PER_DAY.value} times a day = {label_start} mg/day, then "
        f"+{label_step} mg/day every {K.ORAL_STEP_DAYS.value} days)"
    )
    start_daily = start * doses_per_day
    step_daily = step * doses_per_day
    faster = []
    if start_daily > label_start:
        faster.append(
            f"it starts at {format_number(number(start_daily))} mg/day, above the label's "
            f"{label_start}"
        )
    if climbs and step_daily > label_step:
        faster.append(
            f"each step adds {format_number(number(step_daily))} mg/day, above the label's "
            f"{label_step}"
        )
    if climbs and step_days < K.ORAL_STEP_DAYS.value:
        faster.append(
            f"each step lasts {_plural(step_days, 'day')}, fewer than the label's "
            f"{K.ORAL_STEP_DAYS.value}"
        )
    label_rate = Fraction(label_step, K.ORAL_STEP_DAYS.value)
    climb_rate = step_daily / step_days
    if climbs and climb_rate > label_rate * K.ORAL_START_DANGER_MULTIPLE.value:
        # Danger: the daily climb, steps and their frequency together, is more than twice the
        # label's (fifth blind review M-1: +30 mg/day every day is six times the label's).
        warnings.add(
            "oral-climb-far-faster-than-label",
            "danger",
            f"The schedule climbs {format_number(number(step_daily))} mg/day every "
            f"{_plural(step_days, 'day')}, {format_number(number(climb_rate / label_rate, 1))} "
            f"times the label's climb (+{label_step} mg/day every {K.ORAL_STEP_DAYS.value} "
            f"days), more than {K.ORAL_START_DANGER_MULTIPLE.value} times (this site's "
            "threshold): drowsiness, weakness and falls.",
            *K.ORAL_START_DANGER_MULTIPLE.sources,
        )
    if faster:
        # Caution, not info: the label climbs gradually on purpose; a faster climb is a choice
        # someone must check, not a detail.
        warnings.add(
            "faster-than-label",
            "caution",
            "This titrates faster than " + label_text + ": " + "; ".join(faster) + ". The label "
            "increases slowly 'until optimum effect is achieved'; check this is intended.",
            *K.ORAL_START_DOSE_MG.sources,
        )
    elif not (
        start_daily == label_start
        and step_daily == label_step
        and step_days == K.ORAL_STEP_DAYS.value
    ):
        warnings.add(
            "not-label-schedule",
            "info",
            f"This differs from {label_text}, without climbing faster in daily totals.",
            *K.ORAL_START_DOSE_MG.sources,
        )


def _titration_row(
    start_day: int, end_day: int | None, doses: list[Fraction], formulation: str | None
) -> dict[str, Any]:
    even = all(d == doses[0] for d in doses)
    return {
        "start_day": start_day,
        "end_day": end_day,
        "days": days_text(start_day, end_day),
        "dose_mg": number(doses[0]) if even else None,
        "doses_mg": [number(d) for d in doses],
        "doses_per_day": len(doses),
        "daily_mg": number(sum(doses, Fraction(0))),
        "doses_text": doses_text(doses),
        "amount": _amounts(doses, formulation),
        "_doses": doses,
    }


_LARGEST_DOSE = Fraction(K.ORAL_MAX_DAILY_MG_US.value, K.ORAL_MAX_DOSES_PER_DAY.value)
_TABLETS = ", ".join(str(v) for v in K.TABLET_STRENGTHS_MG.value)


TITRATION = Calculator(
    id="oral-titration",
    title="Oral titration schedule",
    summary="The label's titration ladder, or your own, from a start dose to a target daily dose.",
    function=oral_titration,
    fields=(
        Field(
            "start_dose_mg",
            "Start dose",
            unit="mg per dose",
            minimum=GRANULARITY_MG,
            maximum=float(_LARGEST_DOSE),
            step=GRANULARITY_MG,
            multiple_of=GRANULARITY_MG,
            multiple_reason=GRANULARITY_REASON,
            default=K.ORAL_START_DOSE_MG.value,
            help=f"The label starts at {K.ORAL_START_DOSE_MG.value} mg "
            f"{K.ORAL_START_DOSES_PER_DAY.value} times a day; a higher start draws a caution. The "
            "upper bound is the label's largest single dose "
            f"({format_number(float(_LARGEST_DOSE))} mg "
            f"{K.ORAL_MAX_DOSES_PER_DAY.value} times a day = {K.ORAL_MAX_DAILY_MG_US.value} "
            "mg/day).",
            sources=K.ORAL_START_DOSE_MG.sources,
            limit_constants=("ORAL_MAX_DAILY_MG_US", "ORAL_MAX_DOSES_PER_DAY"),
        ),
        Field(
            "doses_per_day",
            "Doses per day",
            unit="doses/day",
            minimum=K.ORAL_START_DOSES_PER_DAY.value,
            maximum=K.ORAL_MAX_DOSES_PER_DAY.value,
            step=1,
            integer=True,
            default=K.ORAL_START_DOSES_PER_DAY.value,
            help=f"{K.ORAL_START_DOSES_PER_DAY.value} times a day in the label's schedule; its "
            f"maximum is given as {K.ORAL_MAX_DOSES_PER_DAY.value} doses.",
            sources=("label-tablets",),
            limit_constants=("ORAL_START_DOSES_PER_DAY", "ORAL_MAX_DOSES_PER_DAY"),
        ),
        Field(
            "step_mg",
            "Increase per step",
            unit="mg per dose",
            minimum=GRANULARITY_MG,
            maximum=2 * K.ORAL_STEP_MG.value,
            step=GRANULARITY_MG,
            multiple_of=GRANULARITY_MG,
            multiple_reason=GRANULARITY_REASON,
            default=K.ORAL_STEP_MG.value,
            help=f"The label adds {K.ORAL_STEP_MG.value} mg to each dose at every step; a larger "
            "step draws a caution.",
            sources=K.ORAL_STEP_MG.sources,
            limit_constants=("ORAL_STEP_MG",),
        ),
        Field(
            "step_days",
            "Days per step",
            unit="days",
            minimum=1,
            maximum=K.TAPER_DEFAULT_DAYS.value,
            step=1,
            integer=True,
            default=K.ORAL_STEP_DAYS.value,
            help=f"The label keeps each step for {K.ORAL_STEP_DAYS.value} days; fewer days draw "
            "a caution.",
            sources=K.ORAL_STEP_DAYS.sources,
        ),
        Field(
            "target_daily_mg",
            "Target daily dose",
            unit="mg/day",
            minimum=GRANULARITY_MG,
            maximum=MAX_DAILY_MG,
            step=GRANULARITY_MG,
            multiple_of=GRANULARITY_MG,
            multiple_reason=GRANULARITY_REASON,
            default=60,
            help=MAX_DAILY_HELP,
            sources=K.ORAL_MAX_DAILY_MG_US.sources + K.ORAL_MAX_DAILY_MG_UK_AU.sources,
            limit_constants=("ORAL_PLAUSIBLE_MAX_DAILY_MG",),
        ),
        Field(
            "formulation",
            "Formulation",
            kind="choice",
            required=False,
            default=None,
            choices=(
                Choice("tablet", f"Tablets ({_TABLETS} mg)"),
                *(
                    Choice(key, name)
                    for key, (name, concentration) in _FORMULATIONS.items()
                    if concentration is not None
                ),
            ),
            help="Optional: shows tablets or mL per dose. Liquids differ up to five-fold in "
            "strength.",
            sources=("label-tablets", "label-ozobax", "ismp-liquids"),
        ),
        start_date_field(),
    ),
    outputs=(
        Output("start_daily_mg", "Starting daily dose", "mg/day"),
        Output("target_daily_mg", "Target daily dose", "mg/day"),
        Output("day_target_reached", "Target reached on day"),
        Output("step_count", "Steps"),
        Output("formulation", "Formulation"),
    ),
    tables=(
        Table(
            "steps",
            "Schedule",
            (
                Column("days", "Days"),
                Column("dates", "Dates"),
                Column("doses_text", "Each dose"),
                Column("daily_mg", "Daily total", "mg/day"),
                Column("amount", "Per dose"),
            ),
            chart_y="daily_mg",
            chart_label="Daily dose (mg/day)",
        ),
    ),
    sources=("label-tablets", "label-ozobax"),
    guards=Guards(
        doses=(
            Dose("start_daily_mg", "oral", "start-daily", "the starting daily dose"),
            Dose("target_daily_mg", "oral", "target-daily", "the target daily dose"),
        ),
        schedules=(Schedule("steps[].daily_mg", "oral", "the titration"),),
    ),
)
