"""The QR codes on printouts, decoded from the paper Chromium prints (issue 26, item 3).

Each test prints a sheet as a reader would (the sheet's own Print button, print media, a
real ``page.pdf()``), rasterises the PDF (pypdfium2, 200 dpi), decodes every QR code on it
(zxing-cpp) and compares the decoded text with what the sheet must lead to: the link the sheet
prints (a calculator's sheet, the pump card, the patient sheet, a schedule sheet; the link
must also reproduce the printed result, by CPython's ``calculate``) or the page's own address
(the emergencies wall sheet, each teaching case's student sheet, the answer key). A live
result's link is also the page's URL, which calculators.js keeps on the values, less any other
calculator's values. Each code is
also measured on the page: error correction M, at least 25 mm a side with its quiet zone.

The control: the same comparison, run on a printout whose code was swapped for the code of
another address (one value changed), reports the mismatch.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

import pypdfium2
import pytest
import segno
import zxingcpp
from browserkit import Calculators, new_context
from playwright.sync_api import expect

from calculators import calculate
from sitebuild.cases_model import load_all
from sitebuild.print_qr import MIN_SIDE_MM, QUIET_ZONE

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

DPI = 200
# Set BACLOFEN_PRINT_DIR to keep the rasterised pages, to look at them.
PAGE_DIR = Path(os.environ["BACLOFEN_PRINT_DIR"]) if os.environ.get("BACLOFEN_PRINT_DIR") else None
_SAVED = itertools.count()
MM_PER_INCH = 25.4
STUB_PRINT_JS = "() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }"
SETS = {s.id: s for s in load_all(Path(__file__).resolve().parents[2] / "docs" / "cases")}


@dataclass(frozen=True)
class Code:
    """One QR code read from a printed page."""

    page: int  # 0-based
    text: str
    ec_level: str
    side_mm: float  # with its quiet zone, as printed


def read_codes(pdf: bytes) -> list[Code]:
    """Every QR code on every page of ``pdf``, rasterised at :data:`DPI`."""
    codes = []
    document = pypdfium2.PdfDocument(pdf)
    try:
        for number in range(len(document)):
            image = document[number].render(scale=DPI / 72).to_pil()
            if PAGE_DIR:
                image.save(PAGE_DIR / f"qr-{next(_SAVED):03d}-page{number + 1}.png")
            for found in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode):
                corners = found.position
                symbol_px = corners.top_right.x - corners.top_left.x + 1
                modules = 17 + 4 * int(found.extra["Version"])
                side_mm = symbol_px / DPI * MM_PER_INCH * (modules + 2 * QUIET_ZONE) / modules
                codes.append(Code(number, found.text, found.ec_level, side_mm))
    finally:
        document.close()
    return codes


def mismatches(codes: list[Code], expected: list[str]) -> list[str]:
    """What is wrong with the printed ``codes`` if they must say ``expected``, page by page."""
    problems = []
    if [c.text for c in codes] != expected:
        problems.append(f"decoded {[c.text for c in codes]}, expected {expected}")
    for code in codes:
        if code.ec_level != "M":
            problems.append(f"page {code.page + 1}: error correction {code.ec_level}, not M")
        if code.side_mm < MIN_SIDE_MM - 0.5:  # half a mm for the rasterising
            problems.append(f"page {code.page + 1}: {code.side_mm:.1f} mm, under {MIN_SIDE_MM}")
    return problems


def swap_code(page: Page, selector: str, text: str) -> None:
    """Control: replace the printed code at ``selector`` with segno's code of ``text``."""
    svg = segno.make_qr(text, error="m", boost_error=False).svg_inline(
        border=QUIET_ZONE, dark="#000", light="#fff", omitsize=True
    )
    page.locator(selector).first.evaluate(
        """(old, svg) => {
            const holder = document.createElement("div");
            holder.innerHTML = svg;
            const code = holder.firstElementChild;
            code.setAttribute("width", old.getAttribute("width"));
            code.setAttribute("height", old.getAttribute("height"));
            old.replaceWith(code);
        }""",
        svg,
    )


def linked_inputs(link: str, calc_id: str) -> dict[str, str]:
    """The calculator's inputs a link carries."""
    return {
        k.removeprefix(f"{calc_id}."): v
        for k, v in parse_qsl(urlsplit(link).query, keep_blank_values=True)
        if k.startswith(f"{calc_id}.")
    }


def other_link(link: str) -> str:
    """``link`` with its first value changed: another case, another address."""
    key, value = next(iter(parse_qsl(urlsplit(link).query, keep_blank_values=True)))
    return link.replace(f"{key}={value}", f"{key}={value}1", 1)


@pytest.fixture(scope="module")
def kit(browser: Browser, base_url: str, calculator_pages: dict[str, str]) -> Iterator[Calculators]:
    """A page of its own for the printouts."""
    context, watch = new_context(browser)
    page = context.new_page()
    yield Calculators(page, base_url, calculator_pages)
    assert not watch.errors, watch.errors
    with contextlib.suppress(Exception):
        context.close()


def print_alone(kit: Calculators, calc_id: str, button: str) -> Page:
    """Click ``button`` of the calculator (window.print stubbed); print media on."""
    page = kit.page
    page.emulate_media(media="screen")
    page.evaluate(STUB_PRINT_JS)
    kit.form(calc_id).locator(button).first.click()
    assert page.evaluate("() => window.__printed") == 1
    page.emulate_media(media="print")
    expect(page.locator("#pump-card-print [data-print-qr]")).to_have_count(1)
    return page


def done(page: Page) -> None:
    """Back to the screen, the printed copy gone (Chromium's pdf() fires afterprint too)."""
    page.emulate_media(media="screen")
    page.evaluate("() => window.dispatchEvent(new Event('afterprint'))")
    expect(page.locator("#pump-card-print")).to_have_count(0)


def own_values(url: str, calc_id: str) -> dict[str, str]:
    """The calculator's values in a URL's query (another form's on the page left out)."""
    return {
        k: v
        for k, v in parse_qsl(urlsplit(url).query, keep_blank_values=True)
        if k.startswith(f"{calc_id}.")
    }


def check_live_printout(
    kit: Calculators, calc_id: str, button: str, link_selector: str | None, paper: str
) -> tuple[str, list[Code]]:
    """Print, decode, compare; the control swaps the code. Returns the decoded link.

    The code must lead to the page the result is on, with the values the result is for: the
    page's URL (calculators.js keeps the values there) less any other calculator's values,
    and those values must reproduce the printed result in CPython. Where the sheet prints
    its link as text (``link_selector``), the code must be exactly that text.
    """
    result = kit.result(calc_id)
    url = kit.page.url
    page_address = kit.base + kit.pages[calc_id]
    assert url.startswith(page_address + "?"), url
    version = kit.page.evaluate("window.baclofenCalculators.versions.calculators")
    page = print_alone(kit, calc_id, button)
    try:
        assert f"version {version}" in page.locator("#pump-card-print").inner_text()
        printed = (
            page.locator(f"#pump-card-print {link_selector}").inner_text().strip()
            if link_selector
            else None
        )
        codes = read_codes(page.pdf(format=paper, print_background=True))
        assert len(codes) == 1, codes
        link = codes[0].text
        assert link.split("?")[0] == page_address, link
        assert own_values(link, calc_id) == own_values(url, calc_id)
        assert calculate(calc_id, linked_inputs(link, calc_id)) == result
        if printed is not None:
            assert printed == link
        assert not mismatches(codes, [link]), mismatches(codes, [link])
        # Control: the code of another address fails the same comparisons.
        print_alone(kit, calc_id, button)
        swap_code(page, "#pump-card-print [data-print-qr] svg", other_link(link))
        swapped = read_codes(page.pdf(format=paper, print_background=True))
        assert [c.text for c in swapped] == [other_link(link)]
        assert mismatches(swapped, [link])
        assert own_values(swapped[0].text, calc_id) != own_values(url, calc_id)
    finally:
        done(page)
    return link, codes


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_calculator_sheet_code_is_the_printed_link(kit: Calculators, paper: str) -> None:
    """A calculator's one-page sheet: its code decodes to the link it prints, with the values."""
    calc_id = "oral-taper"
    kit.goto(calc_id)
    kit.set(calc_id, "current_daily_mg", "45")
    assert kit.settle(calc_id) == "ready"
    link, _ = check_live_printout(
        kit, calc_id, '[data-action="print"]', ".calc-print-sheet__link span", paper
    )
    assert linked_inputs(link, calc_id)["current_daily_mg"] == "45"


def test_long_flexible_schedule_code_grows_and_decodes(kit: Calculators) -> None:
    """12 steps and 6 boluses: a long link, a larger code (0.3 mm modules), still one page."""
    calc_id = "itb-flex-schedule"
    kit.goto(calc_id, long_flex_query())
    assert kit.settle(calc_id) == "ready"
    link, codes = check_live_printout(
        kit, calc_id, '[data-action="print"]', ".calc-print-sheet__link span", "Letter"
    )
    assert len(link) > 1000
    assert codes[0].side_mm > MIN_SIDE_MM + 10, codes


@pytest.mark.parametrize(
    ("what", "link_selector"), [(".pump-card", ".print-source__link"), (".patient-sheet", None)]
)
def test_pump_card_and_patient_sheet_codes_are_their_links(
    kit: Calculators, what: str, link_selector: str | None
) -> None:
    """The pump card (its code is the link at its foot) and the patient sheet (a code only)."""
    calc_id = "itb-refill-visit"
    kit.goto(calc_id)
    kit.set(calc_id, "dosing_mode", "flex")
    assert kit.settle(calc_id) == "ready"
    link, _ = check_live_printout(
        kit, calc_id, f'{what} [data-action="print-card"]', link_selector, "A4"
    )
    assert linked_inputs(link, calc_id)["dosing_mode"] == "flex"


def long_flex_query() -> str:
    """The flexible schedule at its group maximum (12 steps, 6 boluses), as a page query."""
    calc_id = "itb-flex-schedule"
    steps = {f"steps.{i}.{k}": v for i in range(12) for k, v in (
        ("start_hours", str(2 * i)), ("duration_hours", "2"), ("rate_mcg_per_hour", str(10 + i))
    )}  # fmt: skip
    boluses = {f"boluses.{i}.{k}": v for i in range(6) for k, v in (
        ("time_hours", str(1 + 4 * i)), ("dose_mcg", "5")
    )}  # fmt: skip
    case = {**steps, **boluses, "intended_daily_mcg": str(2 * sum(range(10, 22)) + 30)}
    return "?" + "&".join(f"{calc_id}.{k}={v}" for k, v in case.items())


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_patient_sheet_with_a_long_link_stays_on_one_page(kit: Calculators, paper: str) -> None:
    """Another calculator's 12 steps in the URL: the sheet's code holds its own values only.

    The page's URL is over 2,000 characters; the patient sheet prints on one page with a code
    of at most 30 mm that leads to this calculator's values.
    """
    calc_id = "itb-refill-visit"
    kit.goto(calc_id, long_flex_query())
    kit.set(calc_id, "dosing_mode", "flex")
    assert kit.settle(calc_id) == "ready"
    url = kit.page.url
    assert len(url) > 2000
    page = print_alone(kit, calc_id, '.patient-sheet [data-action="print-card"]')
    try:
        pdf = page.pdf(format=paper, print_background=True)
        assert len(pypdfium2.PdfDocument(pdf)) == 1
        codes = read_codes(pdf)
        assert len(codes) == 1, codes
        assert codes[0].text.split("?")[0] == url.split("?")[0]
        assert own_values(codes[0].text, calc_id) == own_values(url, calc_id)
        assert not own_values(codes[0].text, "itb-flex-schedule")
        assert MIN_SIDE_MM - 0.5 <= codes[0].side_mm <= 30.5
    finally:
        done(page)


@pytest.mark.parametrize("calc_id", ["oral-titration", "itb-oral-wean"])
def test_schedule_sheet_code_is_its_link(kit: Calculators, calc_id: str) -> None:
    """A take-home schedule sheet: its code is the link printed at its foot (with the date)."""
    kit.goto(calc_id)
    kit.set(calc_id, "start_date", "2026-12-07")
    assert kit.settle(calc_id) == "ready"
    link, _ = check_live_printout(
        kit, calc_id, '[data-print-sheet] [data-action="print-card"]', ".print-source__link", "A4"
    )
    assert linked_inputs(link, calc_id)["start_date"] == "2026-12-07"


# --- static pages: codes drawn at build time ---------------------------------------------------


def _print_page(browser: Browser, url: str, paper: str) -> tuple[bytes, Page, Any]:
    context, _ = new_context(browser)
    page = context.new_page()
    page.goto(url, wait_until="load")
    page.emulate_media(media="print")
    return page.pdf(format=paper, print_background=True), page, context


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_emergencies_sheet_code_is_its_address(browser: Browser, base_url: str, paper: str):
    """The wall sheet: one page, one code, the page's own address; the version beside it."""
    url = f"{base_url}emergencies/"
    pdf, page, context = _print_page(browser, url, paper)
    try:
        codes = read_codes(pdf)
        assert not mismatches(codes, [page.url]), mismatches(codes, [page.url])
        assert page.url == url
        version = page.evaluate("() => document.querySelector('.print-qr__text').textContent")
        assert re.search(r"version \d+\.\d+\.\d+", version), version
        # Control: another address's code fails the comparison.
        swap_code(page, ".print-qr svg", f"{base_url}pump-clinic/")
        assert mismatches(read_codes(page.pdf(format=paper, print_background=True)), [url])
    finally:
        context.close()


@pytest.mark.parametrize(("set_id", "query"), [("oral", ""), ("intrathecal", "?exam")])
def test_student_sheets_codes_are_each_cases_address(
    browser: Browser, base_url: str, set_id: str, query: str
):
    """Each case's student sheet (one a page): the case's address; in exam mode the exam view's."""
    url = f"{base_url}teaching/{set_id}/{query}"
    context, _ = new_context(browser)
    page = context.new_page()
    try:
        page.goto(url)
        expect(page.locator(".case-toolbar")).to_be_visible()
        page.evaluate(STUB_PRINT_JS)
        page.get_by_role("button", name="Print the student sheet").click()
        page.emulate_media(media="print")
        codes = read_codes(page.pdf(format="A4", print_background=True))
        expected = [f"{url}#case-{case.id}" for case in SETS[set_id].cases]
        assert [c.page for c in codes] == list(range(len(expected)))
        assert not mismatches(codes, expected), mismatches(codes, expected)
        # Control: the first case's code swapped for the second's fails the comparison.
        view = "exam" if query else "sheet"
        swap_code(page, f'.case-print-qr[data-print-view="{view}"] svg', expected[1])
        assert mismatches(read_codes(page.pdf(format="A4", print_background=True)), expected)
    finally:
        context.close()


def test_answer_key_code_is_the_key_view(browser: Browser, base_url: str):
    """The answer key: one code, at its top, of the key view's address (?answers)."""
    url = f"{base_url}teaching/incidents/?answers"
    context, _ = new_context(browser)
    page = context.new_page()
    try:
        page.goto(url)
        expect(page.locator(".case-toolbar")).to_be_visible()
        page.emulate_media(media="print")
        codes = read_codes(page.pdf(format="Letter", print_background=True))
        assert not mismatches(codes, [url]), mismatches(codes, [url])
        assert codes[0].page == 0
        # Control: another address's code fails the comparison.
        swap_code(page, '.case-print-qr[data-print-view="key"] svg', f"{base_url}teaching/oral/")
        assert mismatches(read_codes(page.pdf(format="Letter", print_background=True)), [url])
    finally:
        context.close()
