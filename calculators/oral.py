"""Oral baclofen: the label titration ladder and a taper to stop.

References: label-tablets, label-ozobax, ismp-liquids, uk-smpc, au-pi, label-lyvispah.
"""

from __future__ import annotations

import datetime as dt
import math
from fractions import Fraction
from typing import Any

from . import constants as K
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

_FORMULATIONS: dict[str, tuple[str, K.Constant[int] | None]] = {
    "tablet": ("tablets", None),
    "ozobax": ("OZOBAX oral solution 1 mg/mL", K.OZOBAX_MG_PER_ML),
    "ozobax-ds": ("OZOBAX DS oral solution 2 mg/mL", K.OZOBAX_DS_MG_PER_ML),
    "fleqsuvy": ("FLEQSUVY oral suspension 5 mg/mL", K.FLEQSUVY_MG_PER_ML),
}


def days_text(start_day: int, end_day: int | None) -> str:
    """``3-5`` (en dash), ``4`` for a one-day step (never ``4-4``), ``6 onward`` at the end."""
    if end_day is None:
        return f"{start_day} onward"
    if end_day == start_day:
        return str(start_day)
    return f"{start_day}–{end_day}"


def _plural(count: int, word: str) -> str:
    """``1 day``, ``2 days``."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def date_text(day: dt.date) -> str:
    """``Mon 7 Dec 2026``: the weekday spelled out so a printed schedule cannot be misread."""
    return f"{day:%a} {day.day} {day:%b %Y}"


def add_dates(rows: list[dict[str, Any]], start_date: str | None, field: str) -> None:
    """Give each step its calendar dates, day 1 being ``start_date`` (nothing without one)."""
    if start_date is None:
        return
    first = dt.date.fromisoformat(start_date)
    try:
        for row in rows:
            start = first + dt.timedelta(days=row["start_day"] - 1)
            row["start_date"] = start.isoformat()
            row["dates"] = date_text(start) + (" onward" if row["end_day"] is None else "")
            if row["end_day"] is not None and row["end_day"] != row["start_day"]:
                end = first + dt.timedelta(days=row["end_day"] - 1)
                row["end_date"] = end.isoformat()
                row["dates"] = f"{date_text(start)} – {date_text(end)}"
            elif row["end_day"] is not None:
                row["end_date"] = start.isoformat()
    except OverflowError:  # past 9999-12-31
        raise fail(
            field,
            f"Start date must leave room for the schedule before 9999-12-31 (got {start_date})",
        ) from None


def children_note(warnings: Warnings) -> None:
    """US oral labelling has not established use under 12 years (info: context)."""
    warnings.add(
        "children-not-established",
        "info",
        f"For adults and adolescents: US oral labelling has not established safety and "
        f"effectiveness below {K.ORAL_NOT_ESTABLISHED_UNDER_YEARS.value} years. Children's doses "
        "are not computed here; the special-populations page shows what the sources say.",
        *K.ORAL_NOT_ESTABLISHED_UNDER_YEARS.sources,
    )


def split_units(total_units: int, doses: int) -> list[int]:
    """Split a whole number of dose units into ``doses`` near-equal parts, larger first.

    The first doses of the day take the extra units.
    """
    base, extra = divmod(total_units, doses)
    return [base + 1] * extra + [base] * (doses - extra)


def doses_text(doses_mg: list[Fraction]) -> str:
    """``5 mg x 3``, ``15 + 10 + 10 mg``, or ``stop`` for no doses."""
    if not doses_mg:
        return "stop"
    if all(d == doses_mg[0] for d in doses_mg):
        return f"{format_number(number(doses_mg[0]))} mg x {len(doses_mg)}"
    return " + ".join(format_number(number(d)) for d in doses_mg) + " mg"


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


def _liquid_warning(warnings: Warnings, lead: str) -> None:
    """Caution: the same mg dose is up to five times the volume in one liquid as in another.

    A caution, not a danger (fifth blind review M-5): it is a reminder on every liquid
    schedule, not a mismatch the calculator has found; a standing danger teaches readers to
    ignore dangers.
    """
    liquids = ", ".join(
        f"{name.split(' oral')[0]} {format_number(c.value)} mg/mL"
        for name, c in _FORMULATIONS.values()
        if c is not None
    )
    warnings.add(
        "liquid-concentration",
        "caution",
        f"{lead}Oral baclofen liquids come in different concentrations ({liquids}). The same "
        "dose in mL differs up to five-fold between products: check the concentration on the "
        "bottle against the prescription (ISMP safety alert).",
        "ismp-liquids",
        "label-ozobax",
        "listing-ozobax-ds",
    )


# --- oral-titration ------------------------------------------------------------------------


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


# --- oral-taper ----------------------------------------------------------------------------


def dose_unit_warnings(unit: Fraction, warnings: Warnings) -> None:
    """Say what a dose unit means in practice: half tablets, or a liquid."""
    smallest_tablet = min(K.TABLET_STRENGTHS_MG.value)
    if unit % smallest_tablet == 0:
        return
    if unit * 2 % smallest_tablet == 0:
        # Caution: the schedule is only givable if the tablets may be halved.
        warnings.add(
            "half-tablets",
            "caution",
            f"A {format_number(number(unit))} mg step means half tablets: no tablet comes in "
            f"{format_number(number(unit))} mg (strengths "
            + ", ".join(f"{s} mg" for s in K.TABLET_STRENGTHS_MG.value)
            + "). Tablet splitting is not covered by the sources used here; check that the "
            "product may be split, or use an oral liquid.",
            "label-tablets",
        )
        return
    _liquid_warning(
        warnings,
        f"A {format_number(number(unit))} mg step needs an oral liquid: no tablet gives it. ",
    )


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


# --- specs ---------------------------------------------------------------------------------
# Every number in a label, help text or choice comes from a constant (tests/calculators/
# test_help_numbers.py fails on a typed one).

_MAX_DAILY = float(K.ORAL_PLAUSIBLE_MAX_DAILY_MG.value)
_MAX_DAILY_HELP = (
    f"Above {K.ORAL_MAX_DAILY_MG_US.value} mg/day (the US maximum) and "
    f"{K.ORAL_MAX_DAILY_MG_UK_AU.value} mg/day (the UK and Australian maximum) draws a caution; "
    f"up to {K.ORAL_PLAUSIBLE_MAX_DAILY_MG.value} mg/day is accepted (this site's bound against "
    "typing slips, not a clinical maximum)."
)
_GRANULARITY = K.ORAL_DOSE_GRANULARITY_MG.value
GRANULARITY_REASON = (
    f"the finest amount these schedules use ({format_number(_GRANULARITY)} mg, this site's choice)"
)
_LARGEST_DOSE = Fraction(K.ORAL_MAX_DAILY_MG_US.value, K.ORAL_MAX_DOSES_PER_DAY.value)
_TABLETS = ", ".join(str(v) for v in K.TABLET_STRENGTHS_MG.value)


def dose_unit_field(help_text: str) -> Field:
    """The smallest dose step a schedule uses: 1 mg (a liquid), half a tablet or a tablet."""
    return Field(
        "dose_unit_mg",
        "Smallest dose step",
        kind="choice",
        unit="mg",
        default=min(K.TABLET_STRENGTHS_MG.value),
        choices=(
            Choice(1, "1 mg (needs an oral liquid)"),
            Choice(
                min(K.TABLET_STRENGTHS_MG.value) / 2,
                f"{format_number(min(K.TABLET_STRENGTHS_MG.value) / 2)} mg (half of a "
                f"{min(K.TABLET_STRENGTHS_MG.value)} mg tablet)",
            ),
            Choice(
                min(K.TABLET_STRENGTHS_MG.value),
                f"{min(K.TABLET_STRENGTHS_MG.value)} mg ({min(K.TABLET_STRENGTHS_MG.value)} "
                "mg tablets)",
            ),
        ),
        help=help_text,
        sources=("label-tablets",),
    )


def doses_now_field() -> Field:
    """How many doses the day is divided into now (a taper or a wean starts from it)."""
    return Field(
        "doses_per_day",
        "Doses per day",
        unit="doses/day",
        minimum=1,
        maximum=K.ORAL_MAX_DOSES_PER_DAY.value,
        step=1,
        integer=True,
        default=K.ORAL_START_DOSES_PER_DAY.value,
        help=f"How many doses the day is divided into now (the label's maximum is "
        f"{K.ORAL_MAX_DOSES_PER_DAY.value}).",
        sources=("label-tablets",),
        limit_constants=("ORAL_MAX_DOSES_PER_DAY",),
    )


def start_date_field(label: str = "Start date") -> Field:
    """An optional date for day 1 of a schedule."""
    return Field(
        "start_date",
        label,
        kind="date",
        required=False,
        default=None,
        help="Optional: shows the weekday and date of every step, for a schedule to take home.",
    )


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
            minimum=_GRANULARITY,
            maximum=float(_LARGEST_DOSE),
            step=_GRANULARITY,
            multiple_of=_GRANULARITY,
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
            minimum=_GRANULARITY,
            maximum=2 * K.ORAL_STEP_MG.value,
            step=_GRANULARITY,
            multiple_of=_GRANULARITY,
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
            minimum=_GRANULARITY,
            maximum=_MAX_DAILY,
            step=_GRANULARITY,
            multiple_of=_GRANULARITY,
            multiple_reason=GRANULARITY_REASON,
            default=60,
            help=_MAX_DAILY_HELP,
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
            minimum=_GRANULARITY,
            maximum=_MAX_DAILY,
            step=_GRANULARITY,
            multiple_of=_GRANULARITY,
            multiple_reason=GRANULARITY_REASON,
            default=60,
            help="The total taken per day now; it must be a multiple of the smallest dose step "
            "below. " + _MAX_DAILY_HELP,
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
