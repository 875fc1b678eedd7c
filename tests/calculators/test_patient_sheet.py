"""The patient and carer sheet: made from a refill result's pump card, never under a doubt."""

import re

import pytest

from calculators import calculate
from calculators.present import to_html


def sheet(calc_id, inputs):
    """The patient sheet section of the result's HTML, or "" without one."""
    match = re.search(
        r'<section class="patient-sheet".*?</section>', to_html(calculate(calc_id, inputs))
    )
    return match.group(0) if match else ""


def test_patient_sheet_holds_the_pump_figures_and_what_to_do():
    """Dose, strength, fill and alarm dates (weekday spelled out), signs, action, alarms, lines."""
    html = sheet("itb-refill", {"refill_date": "2026-12-07"})
    assert "<dd>400 mcg/day" in html
    assert "<dd>500 mcg/mL" in html
    assert "<dd>Mon 7 Dec 2026" in html
    assert "<dd>Tue 29 Dec 2026" in html  # the alarm date
    # Review 25b M-2: the booked refill is written in by the clinic, before the alarm.
    # The sixth review's re-check D1: the refill-by date (4 mL left, 2.5% over-delivery:
    # 16 / (0.8 x 1.025) = 19.5 days), not the alarm date, is what the patient is told.
    assert "<dt>Refill needed by</dt><dd>Sat 26 Dec 2026" in html
    booked = "<dt>Next refill booked for (by the \u201crefill needed by\u201d date)</dt>"
    assert booked + "<dd><span" in html
    # The refill-needed-by line is the last fact, right above the booked line (third check M1).
    assert html.index("Refill needed by") > html.index("Low-medicine alarm expected on")
    assert "before the alarm" not in html
    # Review 25b D-3: signs mean the emergency department now, then the clinic.
    assert "go to an emergency department now" in html
    assert "should be brought immediately to a hospital" in html
    # Review 25b M-3: too much medicine, and what to do.
    assert "Too much medicine" in html
    assert "call an ambulance now" in html
    assert "it needs a refill or a new pump" in html  # review 25b M-1
    assert "A two-tone alarm:" in html
    assert "A single beep, about once an hour:" in html
    assert "within 90 days" in html
    for line in ("Pump clinic (daytime)", "Out of hours", "Nearest emergency department"):
        assert f"{line}: " in html
    assert "data-print-link" in html
    assert 'data-action="print-card"' in html
    for key in ("label-gablofen", "label-lioresal-it", "medtronic-pump", "boster2016"):
        assert f"#ref-{key}" in html


def test_patient_sheet_also_follows_the_refill_visit():
    """The refill visit's card gives the sheet its figures too."""
    html = sheet("itb-refill-visit", {})
    assert "<dd>200 mcg/day" in html
    assert "<dd>Sat 14 Mar 2026" in html


@pytest.mark.parametrize(
    ("calc_id", "inputs"),
    [
        ("itb-refill-visit", {"new_daily_dose_mcg": 2000}),  # a change far outside the label's
        ("itb-refill", {"daily_dose_mcg": 5000}),  # above every observed dose
        ("oral-taper", {}),  # no pump at all
    ],
)
def test_patient_sheet_is_not_made_under_a_doubt_or_without_a_pump(calc_id, inputs):
    """No sheet where no pump card may be printed: a patient would take it as the record."""
    assert sheet(calc_id, inputs) == ""
