"""The emergencies wall sheet: one A4 and one Letter page at 11.5 pt, and a 375 px phone.

Printed by Chromium; on a phone, nothing at or past the right edge.

Type of at least 11.5 pt (the largest that still fits one Letter page: 12 pt takes two), and
every "write these down" blank on the same line as its label (QA D20, issue 23).

Each check has a control in the same test that shows it can fail: the same helper, run on the
page with the sheet's print rules overridden, reports the failure.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

EMERGENCIES = "emergencies/"
MIN_PT = 11.5
PX_PER_PT = 96 / 72
# The printable width of A4 with the sheet's 10 mm margins (190 mm), in CSS pixels.
A4_PRINT_WIDTH_PX = round(190 / 25.4 * 96)

# Every element that holds running text on the sheet. Citation superscripts (sup.cite) are
# left out on purpose: they are reference numbers, not text to read from across a room.
TEXT_SELECTOR = (
    ".emergency-sheet :is(p, li, h2, h3, .admonition-title, .emergency-field__label, strong, a)"
    ":not(sup *, sup)"
)

SMALLEST_FONT_JS = """(selector) => {
  let smallest = Infinity, where = '';
  for (const el of document.querySelectorAll(selector)) {
    if (!el.textContent.trim() || el.getClientRects().length === 0) continue;
    const px = parseFloat(getComputedStyle(el).fontSize);
    if (px < smallest) {
      smallest = px;
      where = el.tagName + ': ' + el.textContent.trim().slice(0, 40);
    }
  }
  return [smallest, where];
}"""

# For each labelled blank: does the blank sit on the label's line (their boxes overlap
# vertically, and the blank starts to the right of the label)?
FIELDS_JS = """() => [
  ...document.querySelectorAll('.emergency-sheet .emergency-field')
].map((f) => {
  const label = f.querySelector('.emergency-field__label');
  const blank = f.querySelector('.blank');
  if (!label || !blank) return [f.textContent.trim(), false, 'label or blank missing'];
  const a = label.getBoundingClientRect(), b = blank.getBoundingClientRect();
  const sameLine = b.top < a.bottom && a.top < b.bottom && b.left >= a.right - 1;
  return [label.textContent.trim(), sameLine && b.width > 20, `${a.top}/${b.top} w=${b.width}`];
})"""


def _open_print(browser: Browser, base_url: str) -> Page:
    page = browser.new_page(viewport={"width": A4_PRINT_WIDTH_PX, "height": 1000})
    page.goto(base_url + EMERGENCIES, wait_until="load")
    page.emulate_media(media="print")
    return page


def pdf_pages(pdf: bytes) -> int:
    """The number of page objects in a PDF (Chromium writes them uncompressed)."""
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))


def test_emergencies_prints_on_one_page_at_11_5pt_or_more(browser: Browser, base_url: str):
    """Print media, A4 and Letter: one page, and no text on the sheet smaller than 11.5 pt."""
    page = _open_print(browser, base_url)
    try:
        for paper in ("A4", "Letter"):
            pages = pdf_pages(page.pdf(format=paper, print_background=True))
            assert pages == 1, f"the emergencies sheet prints on {pages} {paper} pages, not 1"
        smallest_px, where = page.evaluate(SMALLEST_FONT_JS, TEXT_SELECTOR)
        assert smallest_px != float("inf"), "no text found on the sheet: the check proves nothing"
        assert smallest_px / PX_PER_PT >= MIN_PT - 0.01, (
            f"print type of {smallest_px / PX_PER_PT:.1f} pt ({where}); the wall sheet needs "
            f"{MIN_PT} pt or more"
        )
        # Control: the same measurement sees type made smaller (set through the CSSOM: the
        # site's Content-Security-Policy refuses an added <style>).
        page.evaluate(
            "document.querySelectorAll('.emergency-sheet li')"
            ".forEach((li) => li.style.setProperty('font-size', '11pt', 'important'))"
        )
        smaller_px, _ = page.evaluate(SMALLEST_FONT_JS, TEXT_SELECTOR)
        assert smaller_px / PX_PER_PT < MIN_PT
    finally:
        page.close()


def test_emergencies_every_blank_keeps_its_label(browser: Browser, base_url: str):
    """Each "write these down" blank is on its label's line, in print at A4 width (QA D20)."""
    page = _open_print(browser, base_url)
    try:
        fields = page.evaluate(FIELDS_JS)
        assert len(fields) >= 4, f"expected at least 4 labelled blanks, found {fields}"
        apart = [f for f in fields if not f[1]]
        assert not apart, f"blanks parted from their labels: {apart}"
        # Control: make each field a block with a full-width blank, and the check sees it.
        page.evaluate(
            "document.querySelectorAll('.emergency-sheet .emergency-field, "
            ".emergency-sheet .emergency-field .blank')"
            ".forEach((el) => el.style.setProperty('display', 'block', 'important'))"
        )
        assert not any(f[1] for f in page.evaluate(FIELDS_JS))
    finally:
        page.close()


# Every element of the sheet that ends at or past the page's right edge (1 px of air), and
# the page's own sideways scroll.
RIGHT_EDGE_JS = """() => {
  const width = document.documentElement.clientWidth;
  const touching = [];
  for (const el of document.querySelectorAll('.emergency-sheet *')) {
    const r = el.getBoundingClientRect();
    if (!r.width || getComputedStyle(el).visibility === 'hidden') continue;
    if (r.right > width - 1) touching.push(`${el.tagName}.${el.className} ${r.right}`);
  }
  const de = document.documentElement;
  return {scroll: Math.max(de.scrollWidth, document.body.scrollWidth) - de.clientWidth,
          touching: touching.slice(0, 10)};
}"""


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_emergencies_nothing_touches_the_right_edge_at_375px(
    browser: Browser, base_url: str, scheme: str
):
    """At 375 px, light and dark: no sideways scroll, no box at or past the right edge (D20)."""
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    try:
        page = context.new_page()
        page.goto(base_url + EMERGENCIES, wait_until="load")
        page.evaluate("(s) => document.body.setAttribute('data-md-color-scheme', s)", scheme)
        found = page.evaluate(RIGHT_EDGE_JS)
        assert found == {"scroll": 0, "touching": []}
        # Control: a box made wider than the page is seen.
        page.evaluate(
            "document.querySelector('.emergency-sheet .emergency-box')"
            ".style.setProperty('width', '400px', 'important')"
        )
        assert page.evaluate(RIGHT_EDGE_JS)["touching"]
    finally:
        context.close()
