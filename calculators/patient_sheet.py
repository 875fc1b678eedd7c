"""The patient and caregiver sheet: the pump's figures and what to do, in large type.

Made from a refill result and its pump card (``itb-refill``, ``itb-refill-visit``): the daily
dose, the concentration, the low-reservoir alarm date and the date to refill by; the early
signs of withdrawal and what to do at once; what the pump's alarms mean; blank lines for the
clinic's contacts; the site's version. Printed on its own, like the oral schedule sheet
(the same "print-card" button). Never made where no pump card may be printed (a danger, or a
doubt about the dose: :func:`calculators.present.card_blocked_by`).

References: label-gablofen (educate patients and caregivers on the early symptoms of
withdrawal; keep refill visits; bring the patient to hospital at once; attend to alarms),
medtronic-pump (the two alarm sounds and what to do), boster2016 (write the dates and the
emergency contacts down).
"""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import TYPE_CHECKING

from . import __version__
from . import constants as K

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["PATIENT_SHEET_FACTS", "patient_sheet_html"]

# Which pump-card lines the sheet repeats, under the patient's words for them.
PATIENT_SHEET_FACTS = (
    ("Daily dose", "Daily dose of the pump"),
    ("Concentration", "Strength of the medicine in the pump"),
    ("Refill date", "Filled on"),
    ("Low-reservoir alarm date", "Low-medicine alarm expected on"),
    # Last, right above the booked-refill line that points to it (third blind check M1).
    ("Refill by", "Refill needed by"),
)
# Written in by the clinic: a booked date, by the refill-by date (withdrawal has been seen
# days before a 2 mL alarm sounds, so the alarm date itself is not a target).

_SIGNS_EARLY = (
    "your stiffness or spasms come back or get worse",
    "itching",
    "tingling or pins and needles",
    "feeling light-headed or faint (low blood pressure)",
)
_SIGNS_LATE = "high fever, confusion, or muscles that go rigid"
_CONTACTS = ("Pump clinic (daytime)", "Out of hours", "Nearest emergency department")


def _readable(value: str) -> str:
    """``Sat 14 Mar 2026`` for an ISO date (a weekday cannot be misread); anything else as is."""
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return value
    return f"{day:%a} {day.day} {day:%b %Y}"


def patient_sheet_html(
    result: dict[str, object],
    card: list[tuple[str, str]] | None,
    blocked: list[str],
    cites: Callable[[list[str]], str],
) -> str:
    """The large-type sheet for ``result``'s pump card, or ``""`` (no card, or a blocked one).

    ``card`` is :func:`calculators.present.pump_card` of the result, ``blocked`` the codes
    that stop the card, and ``cites`` renders citation links for source keys.
    """
    if card is None or blocked:
        return ""
    values = {label: _readable(value) for label, value in card}
    facts = "".join(
        f"<div><dt>{escape(shown)}</dt><dd>{escape(values.get(label, ''))}"
        f'<span class="patient-sheet__blank" aria-hidden="true"></span></dd></div>'
        for label, shown in PATIENT_SHEET_FACTS
    )
    facts += (
        "<div><dt>Next refill booked for (by the \u201crefill needed by\u201d date)</dt>"
        '<dd><span class="patient-sheet__blank patient-sheet__blank--fill"></span></dd></div>'
    )
    early = "".join(f"<li>{escape(sign)}</li>" for sign in _SIGNS_EARLY)
    contacts = "".join(
        f'<p class="patient-sheet__line">{escape(label)}: '
        '<span class="patient-sheet__blank"></span></p>'
        for label in _CONTACTS
    )
    return (
        f'<section class="patient-sheet" data-print-sheet="patient" '
        f'data-calculator="{escape(str(result.get("calculator")))}">'
        '<h3 class="patient-sheet__title">Your baclofen pump: for you and your carers</h3>'
        '<p class="patient-sheet__line">Name: <span class="patient-sheet__blank"></span></p>'
        f'<dl class="patient-sheet__facts">{facts}</dl>'
        '<h4 class="patient-sheet__heading">Missing doses can be dangerous</h4>'
        "<p>If the pump stops (empty, a catheter problem, a flat battery), withdrawal can "
        "follow. Early signs:</p>"
        f'<ul class="patient-sheet__signs">{early}</ul>'
        f"<p>Later: {escape(_SIGNS_LATE)}.{cites(['label-gablofen'])}</p>"
        '<p class="patient-sheet__act"><strong>If these signs appear, go to an emergency '
        "department now</strong> (call an ambulance if they are severe), show them this "
        "sheet, then tell the pump clinic: the label says the patient \u201cshould be brought "
        f"immediately to a hospital\u201d.{cites(['label-gablofen'])}</p>"
        '<h4 class="patient-sheet__heading">Too much medicine</h4>'
        "<p>Very sleepy or hard to wake, dizzy, slow or shallow breathing, weak and floppy "
        "muscles, or a seizure: <strong>call an ambulance now</strong>."
        f"{cites(['label-lioresal-it'])}</p>"
        '<h4 class="patient-sheet__heading">The pump\u2019s alarms</h4>'
        '<ul class="patient-sheet__alarms">'
        "<li><strong>A single beep, about once an hour:</strong> the medicine is getting low, or "
        f"the pump needs replacing within {K.PUMP_ERI_TO_STOP_DAYS.value} days. Call the clinic "
        "the same day: it needs a refill or a new pump.</li>"
        "<li><strong>A two-tone alarm:</strong> the medicine is no longer flowing. Call the "
        f"clinic or your doctor immediately.{cites(['medtronic-pump'])}</li></ul>"
        "<p>Keep every refill appointment. If you miss one, call the clinic at once to book "
        f"another before the pump runs out.{cites(['label-gablofen'])}</p>"
        '<h4 class="patient-sheet__heading">Write these down'
        f"{cites(['boster2016'])}</h4>{contacts}"
        '<p class="patient-sheet__note">From the baclofen dosing teaching site, version '
        f"{escape(__version__)}: teaching material, not a prescribing tool. Check every figure "
        "against the clinic's own pump printout. "
        '<span class="patient-sheet__link" data-print-link></span></p>'
        '<button type="button" class="md-button patient-sheet__print" data-action="print-card" '
        "hidden>Print the patient and carer sheet (large type)</button>"
        "</section>"
    )
