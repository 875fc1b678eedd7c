"""The schedule sheet: an oral titration or taper with its calendar dates, in large type.

A take-home sheet printed on its own (the page's "Print this schedule" button): each step's
dates with the weekday, each dose and the daily total, where the schedule comes from, and the
statement that this is teaching material. Only for a result with a start date (``dates`` in its
rows); otherwise nothing. Rendered into the result HTML by :func:`calculators.present.to_html`.

References: label-tablets, label-ozobax (the titration ladder), uk-smpc (the taper's
"at least 1 to 2 weeks"), label-ozobax (withdrawal).
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

from . import constants as K
from .spec import format_number

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["SHEET_CALCULATORS", "schedule_sheet_html"]

SHEET_CALCULATORS = {
    "oral-titration": (
        "Oral baclofen: increasing the dose",
        (
            "The label's schedule: "
            f"{K.ORAL_START_DOSE_MG.value} mg {K.ORAL_START_DOSES_PER_DAY.value} times a day, "
            f"+{K.ORAL_STEP_MG.value} mg per dose every {K.ORAL_STEP_DAYS.value} days, "
            f"at most {K.ORAL_MAX_DAILY_MG_US.value} mg a day (US label)."
        ),
        ("label-tablets", "label-ozobax"),
    ),
    "oral-taper": (
        "Oral baclofen: reducing the dose to stop",
        (
            "Equal steps down: this site's arithmetic, not a published schedule. The US labels "
            'say "reduce the dosage slowly"; UK advice "over at least '
            f"{K.TAPER_NON_US_WEEKS.value[0]} to {K.TAPER_NON_US_WEEKS.value[1]} weeks, or longer "
            'if symptoms occur" (CSM, via the BNF). Do not stop suddenly: stopping quickly risks '
            "withdrawal."
        ),
        ("label-tablets", "bnf", "label-ozobax"),
    ),
    "itb-oral-wean": (
        "Oral baclofen: stepping down after the pump starts",
        (
            "Check within 24 hours of each cut (CMSC 2015): stiffness or spasms coming back, "
            "itching, tingling, feeling faint, or unusual sleepiness: call the clinic before the "
            "next cut. Confusion, hallucinations, a high fever or a seizure: go to an emergency "
            "department now. The days between cuts and the rounding are this site's "
            "arithmetic; keep oral baclofen at hand."
        ),
        ("cmsc2015", "boster2016"),
    ),
}
"""Calculator id -> (sheet title, where the schedule comes from, its source keys)."""


def schedule_sheet_html(result: dict[str, Any], cites: Callable[[list[str]], str]) -> str:
    """The large-type schedule sheet for ``result``, or ``""`` without one.

    ``cites`` renders citation links for source keys (the result's own citation style).
    """
    entry = SHEET_CALCULATORS.get(str(result.get("calculator")))
    steps = result.get("steps") or []
    if entry is None or not steps or "dates" not in steps[0]:
        return ""
    title, origin, sources = entry
    dangers_found = [w["code"] for w in result["warnings"] if w["severity"] == "danger"]
    if dangers_found:
        # A take-home schedule under a danger would be followed as the plan (review 25b D-4).
        return (
            '<p class="schedule-sheet-blocked" data-blocked-by="'
            f'{escape(" ".join(dict.fromkeys(dangers_found)))}">No take-home schedule sheet '
            "while this result carries a danger ("
            + escape(", ".join(dict.fromkeys(dangers_found)))
            + "): resolve it first.</p>"
        )
    has_amount = any(step.get("amount") for step in steps)
    has_assess = any(step.get("assess_date") for step in steps)
    head = "<th scope='col'>Dates</th><th scope='col'>Each dose</th>"
    head += "<th scope='col'>Daily total</th>" + (
        "<th scope='col'>Per dose</th>" if has_amount else ""
    )
    head += "<th scope='col'>Check by</th>" if has_assess else ""
    rows = "".join(
        "<tr>"
        f"<td>{escape(step['dates'])}</td>"
        f"<td>{escape(step['doses_text'])}</td>"
        f"<td>{escape(format_number(step['daily_mg'], 6))} mg</td>"
        + (f"<td>{escape(step.get('amount') or '')}</td>" if has_amount else "")
        + (f"<td>{escape(step.get('assess_date') or '')}</td>" if has_assess else "")
        + "</tr>"
        for step in steps
    )
    dangers = "".join(
        f"<li>{escape(w['message'])}</li>"
        for w in result["warnings"]
        if w["severity"] in {"danger", "caution"}
    )
    return (
        f'<section class="schedule-sheet" data-print-sheet="{escape(str(result["calculator"]))}">'
        f'<h3 class="schedule-sheet__title">{escape(title)}</h3>'
        '<p class="schedule-sheet__name">Name: <span class="schedule-sheet__blank"></span></p>'
        f'<table class="schedule-sheet__table"><thead><tr>{head}</tr></thead>'
        f"<tbody>{rows}</tbody></table>"
        + (f'<ul class="schedule-sheet__warnings">{dangers}</ul>' if dangers else "")
        + f'<p class="schedule-sheet__origin">{escape(origin)}{cites(list(sources))}</p>'
        '<p class="schedule-sheet__note">Teaching material, not a prescribing tool: follow the '
        "prescription and the clinician responsible for you; ask before changing a dose.</p>"
        '<button type="button" class="md-button schedule-sheet__print" data-action="print-card" '
        "hidden>Print this schedule (large type)</button>"
        "</section>"
    )
