"""Oral baclofen: the label titration ladder and a taper to stop.

References: label-tablets, label-ozobax, ismp-liquids, non-us-labels.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

from . import constants as K
from ._util import exact, fail, number
from .spec import Calculator, Choice, Column, Field, Output, Table, Warnings, format_number

_FORMULATIONS: dict[str, tuple[str, K.Constant[int] | None]] = {
    "tablet": ("tablets", None),
    "ozobax": ("OZOBAX oral solution 1 mg/mL", K.OZOBAX_MG_PER_ML),
    "ozobax-ds": ("OZOBAX DS oral solution 2 mg/mL", K.OZOBAX_DS_MG_PER_ML),
    "fleqsuvy": ("FLEQSUVY oral suspension 5 mg/mL", K.FLEQSUVY_MG_PER_ML),
}


def _split(total_units: int, doses: int) -> list[int]:
    """Split a whole number of dose units into ``doses`` near-equal parts, larger first.

    The first doses of the day take the extra units.
    """
    base, extra = divmod(total_units, doses)
    return [base + 1] * extra + [base] * (doses - extra)


def _doses_text(doses_mg: list[Fraction]) -> str:
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
    liquids = ", ".join(
        f"{name.split(' oral')[0]} {format_number(c.value)} mg/mL"
        for name, c in (v for v in _FORMULATIONS.values())
        if c is not None
    )
    warnings.add(
        "liquid-concentration",
        "danger",
        f"Oral baclofen liquids come in different concentrations ({liquids}). The same dose in "
        "mL differs up to five-fold between products: check the concentration on the bottle "
        "against the prescription (ISMP safety alert).",
        "ismp-liquids",
        "label-ozobax",
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
) -> dict[str, Any]:
    """Titration schedule from a start dose up to ``target_daily_mg`` exactly.

    Each dose rises by ``step_mg`` every ``step_days`` days until the daily total reaches
    the target.
    Doses in mg, days counted from day 1. The final step may split an uneven target into
    unequal doses, each a multiple of the granularity gcd(start, step), the larger doses first.

    References: label-tablets, label-ozobax (5 mg three times a day, +5 mg per dose every
    3 days, at most 80 mg/day); non-us-labels (100 mg/day); ismp-liquids.
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
            f"{doses_per_day}) (got {format_number(target_daily_mg)})",
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
            f"(got {format_number(target_daily_mg)})",
        )

    steps: list[dict[str, Any]] = []
    day = 1
    dose = start
    while dose * doses_per_day < target:
        doses = [dose] * doses_per_day
        steps.append(_titration_row(day, day + step_days - 1, doses, formulation))
        day += step_days
        dose += step
    final_doses = [u * unit for u in _split(int(target / unit), doses_per_day)]
    steps.append(_titration_row(day, None, final_doses, formulation))

    warnings = Warnings()
    label_schedule = (
        start == K.ORAL_START_DOSE_MG.value
        and doses_per_day == K.ORAL_START_DOSES_PER_DAY.value
        and step == K.ORAL_STEP_MG.value
        and step_days == K.ORAL_STEP_DAYS.value
    )
    if not label_schedule:
        warnings.add(
            "not-label-schedule",
            "info",
            f"This differs from the label's suggested schedule ({K.ORAL_START_DOSE_MG.value} mg "
            f"{K.ORAL_START_DOSES_PER_DAY.value} times a day, +{K.ORAL_STEP_MG.value} mg per dose "
            f"every {K.ORAL_STEP_DAYS.value} days).",
            *K.ORAL_START_DOSE_MG.sources,
        )
    usual_lo, usual_hi = K.ORAL_USUAL_DAILY_MG.value
    if target > K.ORAL_MAX_DAILY_MG_US.value:
        warnings.add(
            "above-us-maximum",
            "caution",
            f"{format_number(target_daily_mg)} mg/day is above the US labelled maximum of "
            f"{K.ORAL_MAX_DAILY_MG_US.value} mg/day. {K.ORAL_MAX_DAILY_MG_UK_AU.value} mg/day is "
            "the UK and Australian labelled maximum (seen in reproductions); in the US such a "
            "dose is off-label.",
            *K.ORAL_MAX_DAILY_MG_US.sources,
            *K.ORAL_MAX_DAILY_MG_UK_AU.sources,
        )
    elif target < usual_lo:
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
        warnings.add(
            "single-dose-above-label",
            "caution",
            f"Single doses reach {format_number(number(max(all_doses)))} mg; the US label frames "
            f"its maximum as {format_number(number(largest_label_dose))} mg "
            f"{K.ORAL_MAX_DOSES_PER_DAY.value} times a day "
            f"({K.ORAL_MAX_DAILY_MG_US.value} mg/day).",
            *K.ORAL_MAX_DAILY_MG_US.sources,
        )
    _formulation_warnings(formulation, all_doses, warnings)

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


def _titration_row(
    start_day: int, end_day: int | None, doses: list[Fraction], formulation: str | None
) -> dict[str, Any]:
    even = all(d == doses[0] for d in doses)
    return {
        "start_day": start_day,
        "end_day": end_day,
        "days": f"{start_day}–{end_day}" if end_day is not None else f"{start_day} onward",
        "dose_mg": number(doses[0]) if even else None,
        "doses_mg": [number(d) for d in doses],
        "doses_per_day": len(doses),
        "daily_mg": number(sum(doses, Fraction(0))),
        "doses_text": _doses_text(doses),
        "amount": _amounts(doses, formulation),
        "_doses": doses,
    }


# --- oral-taper ----------------------------------------------------------------------------


def oral_taper(
    *,
    current_daily_mg: float,
    doses_per_day: int,
    taper_days: int,
    dose_unit_mg: float,
) -> dict[str, Any]:
    """Taper to stop over exactly ``taper_days`` days, then stop on day ``taper_days + 1``.

    The daily total falls in equal reductions (rounded to whole dose units) over steps of about
    the label's titration interval (3 days), later steps taking any extra day. Every dose is a
    multiple of ``dose_unit_mg``; when a daily total is smaller than ``doses_per_day`` units,
    fewer doses are given. Daily totals never increase.

    This layout is arithmetic chosen by this site, not a schedule from a source: the US
    labels say "reduce the dosage slowly"; the Canadian and UK wording gives 1 to 2 weeks.

    References: label-tablets, label-ozobax, non-us-labels.
    """
    unit = exact(dose_unit_mg)
    current = exact(current_daily_mg)
    if current % unit != 0:
        raise fail(
            "current_daily_mg",
            f"Current daily dose must be a multiple of the dose unit, "
            f"{format_number(dose_unit_mg)} mg (got {format_number(current_daily_mg)})",
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
        doses = [u * unit for u in _split(daily_units, doses_per_day) if u > 0]
        if steps and steps[-1]["daily_mg"] == number(daily_units * unit):
            steps[-1]["end_day"] = day + length - 1
            steps[-1]["days"] = f"{steps[-1]['start_day']}–{day + length - 1}"
        else:
            steps.append(
                {
                    "start_day": day,
                    "end_day": day + length - 1,
                    "days": f"{day}–{day + length - 1}",
                    "daily_mg": number(daily_units * unit),
                    "doses_mg": [number(d) for d in doses],
                    "doses_per_day": len(doses),
                    "doses_text": _doses_text(doses),
                }
            )
        day += length
    steps.append(
        {
            "start_day": day,
            "end_day": None,
            "days": f"{day} onward",
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
            f"A taper of {taper_days} days is shorter than {K.TAPER_MIN_DAYS.value} days. Stopping "
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
        f'The US labels say only "reduce the dosage slowly"; Canadian and UK wording gives '
        f"{lo_weeks} to {hi_weeks} weeks. The equal-step layout here is this site's arithmetic, "
        "not a published schedule.",
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
    if current > K.ORAL_MAX_DAILY_MG_US.value:
        warnings.add(
            "above-us-maximum",
            "caution",
            f"{format_number(current_daily_mg)} mg/day is above the US labelled maximum of "
            f"{K.ORAL_MAX_DAILY_MG_US.value} mg/day.",
            *K.ORAL_MAX_DAILY_MG_US.sources,
        )

    return {
        "steps": steps,
        "current_daily_mg": number(current),
        "stop_day": day,
        "taper_days": taper_days,
        "step_count": len(steps) - 1,
        "warnings": warnings.items,
        "notes": [
            (
                f"Every dose is a multiple of {format_number(dose_unit_mg)} mg; when the daily "
                "total is smaller than one unit per dose, fewer doses a day are given."
            ),
            "Later steps take any extra day, so the lowest doses last longest.",
        ],
    }


# --- specs ---------------------------------------------------------------------------------

_MAX_DAILY = float(K.ORAL_MAX_DAILY_MG_UK_AU.value)

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
            minimum=0.5,
            maximum=20,
            step=0.5,
            default=K.ORAL_START_DOSE_MG.value,
            help="The label starts at 5 mg three times a day. The upper bound is the label's "
            "largest single dose (20 mg four times a day = 80 mg/day).",
            sources=K.ORAL_START_DOSE_MG.sources,
            limit_constants=("ORAL_MAX_DAILY_MG_US",),
        ),
        Field(
            "doses_per_day",
            "Doses per day",
            unit="doses/day",
            minimum=3,
            maximum=4,
            step=1,
            integer=True,
            default=K.ORAL_START_DOSES_PER_DAY.value,
            help="Three times a day in the label's schedule; its maximum is given as four doses.",
            sources=("label-tablets",),
            limit_constants=("ORAL_START_DOSES_PER_DAY", "ORAL_MAX_DOSES_PER_DAY"),
        ),
        Field(
            "step_mg",
            "Increase per step",
            unit="mg per dose",
            minimum=0.5,
            maximum=10,
            step=0.5,
            default=K.ORAL_STEP_MG.value,
            help="The label adds 5 mg to each dose at every step.",
            sources=K.ORAL_STEP_MG.sources,
        ),
        Field(
            "step_days",
            "Days per step",
            unit="days",
            minimum=1,
            maximum=14,
            step=1,
            integer=True,
            default=K.ORAL_STEP_DAYS.value,
            help="The label keeps each step for 3 days.",
            sources=K.ORAL_STEP_DAYS.sources,
        ),
        Field(
            "target_daily_mg",
            "Target daily dose",
            unit="mg/day",
            minimum=1,
            maximum=_MAX_DAILY,
            step=0.5,
            default=60,
            help="Above 80 mg/day (the US maximum) draws a warning; 100 mg/day, the UK and "
            "Australian maximum, is the highest value accepted.",
            sources=K.ORAL_MAX_DAILY_MG_US.sources + K.ORAL_MAX_DAILY_MG_UK_AU.sources,
            limit_constants=("ORAL_MAX_DAILY_MG_UK_AU",),
        ),
        Field(
            "formulation",
            "Formulation",
            kind="choice",
            required=False,
            default=None,
            choices=(
                Choice("tablet", "Tablets (5, 10, 15, 20 mg)"),
                Choice("ozobax", "OZOBAX oral solution 1 mg/mL"),
                Choice("ozobax-ds", "OZOBAX DS oral solution 2 mg/mL"),
                Choice("fleqsuvy", "FLEQSUVY oral suspension 5 mg/mL"),
            ),
            help="Optional: shows tablets or mL per dose. Liquids differ five-fold in strength.",
            sources=("label-tablets", "label-ozobax", "ismp-liquids"),
        ),
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
                Column("doses_text", "Each dose"),
                Column("daily_mg", "Daily total", "mg/day"),
                Column("amount", "Per dose"),
            ),
            chart_y="daily_mg",
            chart_label="Daily dose (mg/day)",
        ),
    ),
    sources=("label-tablets", "label-ozobax"),
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
            minimum=0.5,
            maximum=_MAX_DAILY,
            step=0.5,
            default=60,
            help="The total taken per day now. 100 mg/day, the UK and Australian maximum, is "
            "the highest value accepted.",
            sources=K.ORAL_MAX_DAILY_MG_UK_AU.sources,
            limit_constants=("ORAL_MAX_DAILY_MG_UK_AU",),
        ),
        Field(
            "doses_per_day",
            "Doses per day",
            unit="doses/day",
            minimum=1,
            maximum=4,
            step=1,
            integer=True,
            default=3,
            help="How many doses the day is divided into now (the label's maximum is four).",
            sources=("label-tablets",),
            limit_constants=("ORAL_MAX_DOSES_PER_DAY",),
        ),
        Field(
            "taper_days",
            "Taper length",
            unit="days",
            minimum=1,
            maximum=84,
            step=1,
            integer=True,
            default=K.TAPER_DEFAULT_DAYS.value,
            help="Days of reduced dosing before the stop. Shorter than 7 days draws a "
            "withdrawal warning; the non-US labels give 1 to 2 weeks.",
            sources=K.TAPER_DEFAULT_DAYS.sources,
        ),
        Field(
            "dose_unit_mg",
            "Smallest dose step",
            kind="choice",
            unit="mg",
            default=5,
            choices=(
                Choice(1, "1 mg (oral liquid)"),
                Choice(2.5, "2.5 mg"),
                Choice(5, "5 mg (5 mg tablets)"),
            ),
            help="Every dose in the taper is a multiple of this amount.",
            sources=("label-tablets",),
        ),
    ),
    outputs=(
        Output("current_daily_mg", "Current daily dose", "mg/day"),
        Output("step_count", "Reduction steps"),
        Output("stop_day", "Stop on day"),
    ),
    tables=(
        Table(
            "steps",
            "Taper",
            (
                Column("days", "Days"),
                Column("doses_text", "Each dose"),
                Column("daily_mg", "Daily total", "mg/day"),
            ),
            chart_y="daily_mg",
            chart_label="Daily dose (mg/day)",
        ),
    ),
    sources=("label-tablets", "label-ozobax", "non-us-labels"),
)
