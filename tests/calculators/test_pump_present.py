"""The pump clinic's display: the printable pump card, hour charts and a second chart series."""

import re

from calculators import calculate
from calculators.present import pump_card, to_html, to_text


def test_pump_present_card_from_the_refill_visit():
    """boster2016: dose, concentration, mode, refill and alarm dates, next visit, contact lines."""
    result = calculate("itb-refill-visit", {"dosing_mode": "flex"})
    html = to_html(result)
    card = re.search(r'<section class="pump-card".*?</section>', html)
    assert card is not None
    text = card.group(0)
    for fact in (
        "200 mcg/day",
        "500 mcg/mL",
        "Flexible (24-hour flex schedule)",
        result["inputs"]["visit_date"],
        result["alarm_date"],
        # The next visit is due by 4 mL left, before the 2 mL alarm (sixth review D1).
        f"by {result['refill_by_date']}",
        "Emergency contact (write in)",
        "Telephone (out of hours)",
        "Low-reservoir alarm dates and refill schedules should be written down",
        'data-action="print-card"',
    ):
        assert fact in text, fact
    assert text.count('class="pump-card__blank"') >= 4
    assert "#ref-boster2016" in text
    assert result["refill_by_date"] < result["alarm_date"]
    assert f"before {result['alarm_date']}" not in text


def test_pump_present_card_from_the_refill_calculator():
    """itb-refill: the card takes its inputs; without a refill date its dates are blank."""
    dated = pump_card(calculate("itb-refill", {"refill_date": "2025-03-01"}))
    assert dated is not None
    assert ("Refill date", "2025-03-01") in dated
    assert ("Low-reservoir alarm date", "2025-03-23") in dated
    undated = dict(pump_card(calculate("itb-refill", {})) or [])
    assert undated["Refill date"] == ""
    assert undated["Next visit"] == ""


def test_pump_present_no_card_elsewhere():
    """Only the two refill calculators print a pump card."""
    for calc_id in ("itb-flex-schedule", "itb-concentration-change", "oral-taper"):
        assert pump_card(calculate(calc_id, {})) is None
        assert "pump-card" not in to_html(calculate(calc_id, {}))


def test_pump_present_card_in_the_text():
    """The terminal text carries the card with lines to write on."""
    text = to_text(calculate("itb-refill-visit", {}))
    assert "Intrathecal baclofen pump card" in text
    assert "Clinic: ______" in text
    assert "(boster2016)" in text


def test_pump_present_hour_chart_and_second_series():
    """The concentration chart is by hour and draws the bridged series as a second line."""
    result = calculate(
        "itb-concentration-change",
        {
            "old_concentration_mcg_per_ml": 2000,
            "new_concentration_mcg_per_ml": 500,
            "fluid_path_ml": 0.25,
        },
    )
    html = to_html(result)
    svg = re.search(r'<svg class="calc-chart".*?</svg>', html).group(0)
    assert svg.count("<polyline") == 2
    assert "series--extra" in svg
    assert ">hour 0<" in svg
    assert ">hour 24<" in svg
    assert "dashed: with the bridge" in svg


def test_pump_present_flex_hour_chart():
    """The flex schedule's chart spans hour 0 to hour 24; its peak is the day rate."""
    svg = re.search(
        r'<svg class="calc-chart".*?</svg>', to_html(calculate("itb-flex-schedule", {}))
    )
    assert svg is not None
    assert ">hour 24<" in svg.group(0)
    assert ">20<" in svg.group(0)


def test_pump_present_copied_text_has_no_card_the_page_will_not_print():
    """Re-check W3: under a card-blocking caution the plain text says so, with no card lines."""
    blocked = calculate("itb-refill", {"daily_dose_mcg": 4, "refill_date": "2026-12-08"})
    text = to_text(blocked)
    assert "pump card: not printed (" in text
    assert "Next visit:" not in text
    # Control: an ordinary result carries the card, its refill-by line first.
    shown = to_text(calculate("itb-refill", {"refill_date": "2026-12-08"}))
    assert "Next visit: by 2026-12-27: " in shown
    assert "Refill by: 2026-12-27" in shown
