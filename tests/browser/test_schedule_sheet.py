"""The oral schedule sheet in Chromium: a start date gives a large-type sheet printed alone."""

from __future__ import annotations

import contextlib
import re
from typing import TYPE_CHECKING

import pytest
from browserkit import Calculators, new_context
from playwright.sync_api import expect

from calculators import calculate

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import Browser

pytestmark = pytest.mark.browser

# 16 pt is 21.33 CSS px: the sheet's body text must be at least that.
LARGE_TYPE_PX = 21


@pytest.fixture(scope="module")
def kit(browser: Browser, base_url: str, calculator_pages: dict[str, str]) -> Iterator[Calculators]:
    """A page of its own for the sheet tests."""
    context, watch = new_context(browser)
    page = context.new_page()
    yield Calculators(page, base_url, calculator_pages)
    assert not watch.errors, watch.errors
    with contextlib.suppress(Exception):
        context.close()


def pdf_pages(pdf: bytes) -> int:
    """The number of page objects in a PDF (Chromium writes them uncompressed)."""
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))


@pytest.mark.parametrize("calc_id", ["oral-titration", "oral-taper"])
def test_schedule_sheet_prints_alone_in_large_type(kit: Calculators, calc_id: str) -> None:
    """With a start date the sheet's button prints only the sheet, dated, on one A4 page."""
    kit.goto(calc_id, f"?{calc_id}.start_date=2026-12-07")
    assert kit.settle(calc_id) == "ready"
    result = kit.result(calc_id)
    assert result == calculate(calc_id, {"start_date": "2026-12-07"})
    button = kit.output(calc_id).locator('[data-print-sheet] [data-action="print-card"]')
    expect(button).to_be_visible()
    page = kit.page
    page.evaluate(
        "() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }"
    )
    button.click()
    assert page.evaluate("() => window.__printed") == 1
    sheet = page.locator("#pump-card-print .schedule-sheet")
    page.emulate_media(media="print")
    try:
        expect(sheet).to_be_visible()
        expect(page.locator(".md-container")).to_be_hidden()
        text = sheet.inner_text()
        for step in result["steps"]:
            assert step["dates"] in text
        assert "Teaching material, not a prescribing tool" in text
        size = sheet.locator("td").first.evaluate("td => parseFloat(getComputedStyle(td).fontSize)")
        assert size >= LARGE_TYPE_PX
        assert pdf_pages(page.pdf(format="A4", print_background=True)) == 1
    finally:
        page.emulate_media(media="screen")
        page.evaluate("() => window.dispatchEvent(new Event('afterprint'))")
    expect(page.locator("#pump-card-print")).to_have_count(0)


def test_schedule_sheet_absent_without_a_start_date(kit: Calculators) -> None:
    """Control: without a start date there is no sheet and no sheet button."""
    kit.goto("oral-titration")
    assert kit.settle("oral-titration") == "ready"
    expect(kit.output("oral-titration").locator("[data-print-sheet]")).to_have_count(0)
