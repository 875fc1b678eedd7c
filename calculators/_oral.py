"""What the oral calculators share: dose and date text, dose-unit fields, daily bounds.

Dose and date text, the liquid caution, the dose-unit fields, and the bounds of an oral
daily dose.

Used by ``oral-titration``, ``oral-taper`` and ``itb-oral-wean`` (and the granularity
reason by ``oral-to-iv`` and ``renal-function``).

Names that a calculator function itself uses keep the leading underscore they had before
the split, so the Python source each calculator shows on its page did not change with it.

References: label-tablets, label-ozobax, listing-ozobax-ds, ismp-liquids, label-lyvispah,
uk-smpc, au-pi.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from . import constants as K
from ._util import fail, number
from .spec import Choice, Field, Warnings, format_number

if TYPE_CHECKING:
    from fractions import Fraction

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


# Every number in a label, help text or choice comes from a constant (tests/calculators/
# test_help_numbers.py fails on a typed one).

MAX_DAILY_MG = float(K.ORAL_PLAUSIBLE_MAX_DAILY_MG.value)
MAX_DAILY_HELP = (
    f"Above {K.ORAL_MAX_DAILY_MG_US.value} mg/day (the US maximum) and "
    f"{K.ORAL_MAX_DAILY_MG_UK_AU.value} mg/day (the UK and Australian maximum) draws a caution; "
    f"up to {K.ORAL_PLAUSIBLE_MAX_DAILY_MG.value} mg/day is accepted (this site's bound against "
    "typing slips, not a clinical maximum)."
)
GRANULARITY_MG = K.ORAL_DOSE_GRANULARITY_MG.value
GRANULARITY_REASON = (
    f"the finest amount these schedules use ({format_number(GRANULARITY_MG)} mg, "
    "this site's choice)"
)


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
