"""The Print button of a calculator, in Chromium: that calculator alone, on one page (QA D17).

For each of the calculators with its default values, and for a long flexible schedule
(12 steps, 6 boluses): the sheet holds the values the result was computed for (label, value,
unit), every warning with its severity word, the sources cited in full, the site version,
when it was computed and printed, and the link that reproduces the values; it prints on one
A4 and one Letter page; nothing on it says "Live". A stale result is refused. The whole page
printed from the browser's menu never shows the "Live" status either.

Each check has a control: the same page count on the whole page (more than one page), and
the same "Live" search on the screen's status line (which says it).
"""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from browserkit import Calculators, new_context
from playwright.sync_api import expect

from calculators import CALCULATORS, calculate

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

SEVERITY_WORD = {"danger": "Danger", "caution": "Caution", "info": "Note"}
# Set BACLOFEN_PRINT_DIR to keep the PDFs, to look at them.
PDF_DIR = Path(os.environ["BACLOFEN_PRINT_DIR"]) if os.environ.get("BACLOFEN_PRINT_DIR") else None
STUB_PRINT_JS = "() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }"


def pdf_pages(pdf: bytes) -> int:
    """The number of page objects in a PDF (Chromium writes them uncompressed)."""
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))


def long_flex_case() -> dict[str, str]:
    """A flexible schedule at the group maximum: 12 two-hour steps and 6 boluses."""
    case: dict[str, str] = {}
    for i in range(12):
        case[f"steps.{i}.start_hours"] = str(2 * i)
        case[f"steps.{i}.duration_hours"] = "2"
        case[f"steps.{i}.rate_mcg_per_hour"] = str(10 + i)
    for i in range(6):
        case[f"boluses.{i}.time_hours"] = str(1 + 4 * i)
        case[f"boluses.{i}.dose_mcg"] = "5"
    case["intended_daily_mcg"] = str(2 * sum(range(10, 22)) + 6 * 5)
    return case


@pytest.fixture(scope="module")
def kit(browser: Browser, base_url: str, calculator_pages: dict[str, str]) -> Iterator[Calculators]:
    """A page of its own for the print tests."""
    context, watch = new_context(browser)
    page = context.new_page()
    yield Calculators(page, base_url, calculator_pages)
    assert not watch.errors, watch.errors
    with contextlib.suppress(Exception):
        context.close()


def _print_alone(kit: Calculators, calc_id: str) -> Page:
    """Click the calculator's Print (window.print stubbed); return the page in print media."""
    page = kit.page
    page.evaluate(STUB_PRINT_JS)
    kit.form(calc_id).locator('[data-action="print"]').click()
    assert page.evaluate("() => window.__printed") == 1
    page.emulate_media(media="print")
    return page


def _done(page: Page) -> None:
    page.emulate_media(media="screen")
    page.evaluate("() => window.dispatchEvent(new Event('afterprint'))")
    expect(page.locator("#pump-card-print")).to_have_count(0)


def _check_sheet(kit: Calculators, calc_id: str, result: dict[str, Any]) -> str:
    """The printed sheet's checks shared by every case; returns its text."""
    page = kit.page
    sheet = page.locator("#pump-card-print [data-calc-print]")
    expect(sheet).to_be_visible()
    expect(page.locator(".md-container")).to_be_hidden()
    text = sheet.inner_text()
    assert CALCULATORS[calc_id].title in text
    version = page.evaluate("window.baclofenCalculators.versions.calculators")
    assert f"version {version}," in text
    assert re.search(r"Printout of the result computed \d{4}-\d\d-\d\d \d\d:\d\d UTC", text)
    assert re.search(r"Printed \d{4}-\d\d-\d\d \d\d:\d\d UTC", text)
    assert "Live" not in text
    # Every warning, with its severity word.
    flat = " ".join(text.split())
    for w in result["warnings"]:
        assert f"{SEVERITY_WORD[w['severity']]}: {' '.join(w['message'].split())}" in flat, w
    # The values: each field's label, value and unit in a row of the values table.
    rows = sheet.locator(".calc-print-sheet__values tbody tr").evaluate_all(
        "rows => rows.map((r) => [...r.cells].map((c) => c.textContent.trim()))"
    )
    controls = (
        kit.form(calc_id)
        .locator(".calc-field [name]")
        .evaluate_all(
            """cs => cs.map((c) => [
          c.closest('[data-group-item]')?.querySelector(':scope > legend').textContent.trim() ?? '',
          c.value,
          c.closest('.calc-field').querySelector('.calc-unit')?.textContent.trim() ?? '',
          c.tagName === 'SELECT',
        ])"""
        )
    )
    assert controls
    single = [c for c in controls if not c[0]]
    items = {c[0]: [] for c in controls if c[0]}
    for item, value, unit, _select in controls:
        if item:
            items[item].append(f"{value} {unit}".strip())
    assert len(rows) == len(single) + len(items), (rows, controls)
    for (label, shown, unit), (_, value, field_unit, select) in zip(rows, single, strict=False):
        assert label
        assert shown == value or shown.endswith(f"({value})"), (label, shown, value)
        # A drop-down's option names its unit itself ("20 mL (20)"), never twice.
        assert unit == ("" if select else field_unit), (label, unit, field_unit)
    by_item = {row[0]: row[1] for row in rows[len(single) :]}
    for item, shown_values in items.items():
        assert all(v in by_item[item] for v in shown_values), (item, by_item.get(item))
    # The sources: every reference the result cites, in full.
    cited = (
        kit.output(calc_id)
        .locator("[data-calculator-result] sup.cite a")
        .evaluate_all("links => links.map((a) => a.title)")
    )
    assert cited, "the result cites nothing: the sources check proves nothing"
    for reference in cited:
        assert reference in text
    # The link reproduces the values the result was computed for.
    link = sheet.locator(".calc-print-sheet__link span").inner_text()
    linked = {
        k.removeprefix(f"{calc_id}."): v
        for k, v in parse_qsl(urlsplit(link).query, keep_blank_values=True)
    }
    assert calculate(calc_id, linked) == result
    for paper in ("A4", "Letter"):
        # Chromium's pdf() fires afterprint, which takes the sheet away: print it again.
        page.emulate_media(media="screen")
        _print_alone(kit, calc_id)
        pdf = page.pdf(format=paper, print_background=True)
        if PDF_DIR:
            (PDF_DIR / f"{calc_id}-{paper}.pdf").write_bytes(pdf)
        pages = pdf_pages(pdf)
        assert pages == 1, f"{calc_id} prints on {pages} {paper} pages"
    return text


@pytest.mark.parametrize("calc_id", list(CALCULATORS))
def test_print_button_prints_the_calculator_alone_on_one_page(
    kit: Calculators, calc_id: str
) -> None:
    """Defaults: inputs, result, warnings, sources, version, dates, link; one A4/Letter page."""
    kit.goto(calc_id)
    assert kit.settle(calc_id) == "ready"
    result = kit.result(calc_id)
    page = _print_alone(kit, calc_id)
    try:
        _check_sheet(kit, calc_id, result)
    finally:
        _done(page)
    # Control: the whole page, printed without the button, takes more than one page.
    page.emulate_media(media="print")
    try:
        assert pdf_pages(page.pdf(format="A4", print_background=True)) > 1
    finally:
        page.emulate_media(media="screen")


def test_long_flexible_schedule_prints_on_one_page(kit: Calculators) -> None:
    """12 steps and 6 boluses: still one A4 and one Letter page, every value listed."""
    calc_id = "itb-flex-schedule"
    case = long_flex_case()
    kit.goto(calc_id, "?" + "&".join(f"{calc_id}.{k}={v}" for k, v in case.items()))
    assert kit.settle(calc_id) == "ready"
    result = kit.result(calc_id)
    assert result == calculate(calc_id, case)
    assert len(result["inputs"]["steps"]) == 12
    page = _print_alone(kit, calc_id)
    try:
        text = _check_sheet(kit, calc_id, result)
        step_12 = r"Step 12\s+Start 22 h after midnight; Duration 2 hours; Rate 21 mcg/hour"
        assert re.search(step_12, text)
        assert re.search(r"Bolus 6\s+Time 21 h after midnight; Dose 5 mcg", text)
    finally:
        _done(page)


def test_stale_result_is_not_printed(kit: Calculators) -> None:
    """A refused value: Print is off, says why, and a click prints nothing (as Copy and CSV)."""
    calc_id = "oral-taper"
    form = kit.goto(calc_id)
    kit.set(calc_id, "current_daily_mg", "7,5")
    assert kit.settle(calc_id) == "error"
    button = form.locator('[data-action="print"]')
    expect(button).to_be_disabled()
    expect(form.locator("[data-actions-note]")).to_have_text(
        "Copy result, Download CSV and Print are off: a value above is not valid, so the "
        "result below is not for the values above."
    )
    page = kit.page
    page.evaluate(STUB_PRINT_JS)
    button.evaluate("b => { b.disabled = false; b.click(); }")  # the click is checked again
    assert page.evaluate("() => window.__printed") == 0
    expect(page.locator("#pump-card-print")).to_have_count(0)
    # Control: a valid value turns Print back on, and it prints.
    kit.set(calc_id, "current_daily_mg", "40")
    assert kit.settle(calc_id) == "ready"
    expect(button).to_be_enabled()
    button.click()
    assert page.evaluate("() => window.__printed") == 1
    _done(page)


def test_stale_result_prints_no_pump_card_or_sheet(kit: Calculators) -> None:
    """The result's own print buttons (pump card, patient sheet) refuse a stale result too.

    A blind review printed the pump card of the result shown (400 mcg/day) with other values
    typed above it. Control: valid values turn them back on, and they print.
    """
    calc_id = "itb-refill"
    form = kit.goto(calc_id)
    cards = form.locator('[data-calculator-result] [data-action="print-card"]')
    assert cards.count() >= 2, "no pump card and patient sheet in the default result"
    page = kit.page
    page.evaluate(STUB_PRINT_JS)
    kit.set(calc_id, "alarm_ml", "4,0")
    assert kit.settle(calc_id) == "error"
    for i in range(cards.count()):
        expect(cards.nth(i)).to_be_disabled()
    cards.first.evaluate("b => { b.disabled = false; b.click(); }")  # the click is checked again
    assert page.evaluate("() => window.__printed") == 0
    # Control: a valid value turns them back on, and they print.
    kit.set(calc_id, "alarm_ml", "4")
    assert kit.settle(calc_id) == "ready"
    expect(cards.first).to_be_enabled()
    cards.first.click()
    assert page.evaluate("() => window.__printed") == 1
    _done(page)


def test_whole_page_print_never_says_live(kit: Calculators) -> None:
    """The browser's own Print menu: the status line's "Live" is not on the paper."""
    calc_id = "oral-titration"
    kit.goto(calc_id)
    assert kit.settle(calc_id) == "ready"
    status = kit.output(calc_id).locator("[data-calculator-status]")
    expect(status).to_contain_text("Live")  # control: on screen it says so
    page = kit.page
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    page.emulate_media(media="print")
    try:
        expect(status).to_be_hidden()
        assert "Live" not in page.locator("body").inner_text()
        expect(kit.output(calc_id).locator("[data-print-header]")).to_be_visible()
    finally:
        page.emulate_media(media="screen")
