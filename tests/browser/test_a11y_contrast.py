"""Colour contrast of every calculator control, light and dark (issue 15, item 5).

Computed in Chromium from the computed styles: each visible control's text colour, with its
alpha, over the backgrounds stacked beneath it (each ancestor's background colour, alpha
blended down to an opaque one; white if none). WCAG 2 relative luminance; the bar is 4.5:1
(1.4.3, normal text) for the text of buttons, fields, labels, units, help, status and links,
at rest and, for the buttons, hovered-or-focused too. Material's slate scheme is what
``prefers-color-scheme: dark`` selects (mkdocs.yml palette).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from browserkit import LIVE_TIMEOUT_MS, new_context
from playwright.sync_api import expect

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

MIN_RATIO = 4.5

CONTRAST_JS = """(selector) => {
  const parse = (s) => {
    const m = s.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const v = m[1].split(/[\\s,/]+/).filter(Boolean).map(Number);
    return [v[0], v[1], v[2], v.length > 3 ? v[3] : 1];
  };
  const over = (top, bottom) =>
    [0, 1, 2].map((i) => top[i] * top[3] + bottom[i] * (1 - top[3])).concat([1]);
  const background = (el) => {
    const stack = [];
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c[3] > 0) { stack.push(c); if (c[3] >= 1) break; }
    }
    let c = [255, 255, 255, 1];
    for (let i = stack.length - 1; i >= 0; i--) c = over(stack[i], c);
    return c;
  };
  const lum = (c) => {
    const f = (x) => { x /= 255; return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
  };
  const ratio = (a, b) => {
    const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  return [...document.querySelectorAll(selector)]
    .filter((el) => el.getClientRects().length && getComputedStyle(el).visibility !== "hidden"
                    && el.textContent.trim() + (el.value ?? "") !== "")
    .map((el) => {
      const bg = background(el);
      const fg = over(parse(getComputedStyle(el).color), bg);
      const form = el.closest("[data-calculator]")?.dataset.calculator ?? "";
      const text = (el.textContent || el.value || "").trim().slice(0, 24);
      const what = `${form} ${el.tagName.toLowerCase()} "${text}"`;
      return [what, Math.round(ratio(fg, bg) * 100) / 100];
    });
}"""

CONTROLS = (
    "form[data-calculator] :is(button, input, select, label, a, .calc-unit, .calc-help,"
    " .calc-status, .calc-note, dt, dd, td, th, figcaption, .calc-chart-label),"
    " .calculator summary"
)


def _low(page: Page, selector: str) -> list[tuple[str, float]]:
    return [(what, r) for what, r in page.evaluate(CONTRAST_JS, selector) if r < MIN_RATIO]


def _scheme_page(browser: Browser, scheme: str) -> tuple[Page, object]:
    context, _ = new_context(browser, color_scheme=scheme, viewport={"width": 1000, "height": 900})
    return context.new_page(), context


@pytest.mark.parametrize("scheme", ["dark", "light"])
def test_a11y_contrast_every_control(
    browser: Browser, base_url: str, calculator_pages: dict[str, str], scheme: str
) -> None:
    """Every calculator control's text is >= 4.5:1 on its background, buttons hovered too."""
    page, context = _scheme_page(browser, scheme)
    material = "slate" if scheme == "dark" else "default"
    low: dict[str, list[tuple[str, float]]] = {}
    checked = 0
    try:
        for path in sorted(set(calculator_pages.values())):
            page.goto(base_url + path)
            expect(page.locator("body")).to_have_attribute("data-md-color-scheme", material)
            for output in page.locator("[data-calculator-output]").all():
                expect(output).to_have_attribute("aria-busy", "false", timeout=LIVE_TIMEOUT_MS)
            # The settled colours: Material eases a button's colours over 125 ms.
            page.evaluate(
                "() => { for (const b of document.querySelectorAll('.md-button'))"
                " b.style.transition = 'none'; }"
            )
            found = _low(page, CONTROLS)
            checked += len(page.evaluate(CONTRAST_JS, CONTROLS))
            buttons = page.locator("form[data-calculator] .md-button:visible")
            for index in range(buttons.count()):
                button = buttons.nth(index)
                button.hover()
                button.focus()
                found += [(f"{what} (hovered, focused)", r) for what, r in _low(page, ":focus")]
            if found:
                low[path] = found
    finally:
        context.close()  # type: ignore[attr-defined]
    assert checked > 50  # the control: the selector found the forms' controls
    assert low == {}


def test_a11y_dark_buttons_measured(browser: Browser, base_url: str) -> None:
    """The Copy / CSV / Link / Print buttons in slate, each measured (they were 2.34:1)."""
    page, context = _scheme_page(browser, "dark")
    try:
        page.goto(base_url + "stopping/")
        actions = page.locator('form[data-calculator="oral-taper"] .calc-actions')
        expect(actions).to_be_visible(timeout=LIVE_TIMEOUT_MS)
        ratios = dict(page.evaluate(CONTRAST_JS, ".calc-actions .md-button"))
    finally:
        context.close()  # type: ignore[attr-defined]
    assert len(ratios) == 4
    assert min(ratios.values()) >= MIN_RATIO, ratios


TEACHING_CONTROLS = (
    # Not the "¶" heading links: Material shows them only on hover, as on every page.
    ".case-set :is(button, input, label, a:not(.headerlink), summary, .case-progress,"
    " .case-feedback, legend, .case-unit-note, .case-meta, .case-kind)"
)


@pytest.mark.parametrize("scheme", ["dark", "light"])
def test_a11y_contrast_teaching_controls(browser: Browser, base_url: str, scheme: str) -> None:
    """Every teaching control (toolbar, answer boxes, feedback in each state) is >= 4.5:1 (D3)."""
    page, context = _scheme_page(browser, scheme)
    material = "slate" if scheme == "dark" else "default"
    low: dict[str, list[tuple[str, float]]] = {}
    checked = 0
    try:
        for set_id in ("oral", "intrathecal", "incidents"):
            page.goto(f"{base_url}teaching/{set_id}/")
            expect(page.locator("body")).to_have_attribute("data-md-color-scheme", material)
            expect(page.locator(".case-toolbar")).to_be_visible()
            # One question in each state, so that each feedback colour is measured.
            items = page.locator("li.case-question--number")
            for index, typed in enumerate(("0.000001 mg", "1")):
                item = items.nth(index)
                item.locator("input.case-input").fill(typed)
                item.get_by_role("button", name="Check").click()
                expect(item).not_to_have_attribute("data-state", "")
            items.nth(2).get_by_role("button", name="Show the answer").click()
            page.evaluate(
                "() => { for (const b of document.querySelectorAll('.md-button'))"
                " b.style.transition = 'none'; }"
            )
            found = _low(page, TEACHING_CONTROLS)
            checked += len(page.evaluate(CONTRAST_JS, TEACHING_CONTROLS))
            buttons = page.locator(".case-set .md-button:visible")
            for index in range(min(buttons.count(), 12)):
                button = buttons.nth(index)
                button.hover()
                button.focus()
                found += [(f"{what} (hovered, focused)", r) for what, r in _low(page, ":focus")]
            if found:
                low[set_id] = found
    finally:
        context.close()  # type: ignore[attr-defined]
    assert checked > 100  # the control: the selector found the teaching controls
    assert low == {}
