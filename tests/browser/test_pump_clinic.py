"""The pump clinic page in Chromium: flex steps added and removed, links, the pump card printed.

Every expected result is CPython's ``calculators.calculate`` on the values the form holds.
"""

from __future__ import annotations

import contextlib
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from browserkit import LIVE_TIMEOUT_MS, Calculators, new_context
from playwright.sync_api import expect

from calculators import calculate

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import Browser, Locator, Page

PUMP_IDS = ["itb-refill-visit", "itb-concentration-change", "itb-flex-schedule"]
FLEX = "itb-flex-schedule"


@pytest.fixture(scope="module")
def clinic(
    browser: Browser, base_url: str, calculator_pages: dict[str, str]
) -> Iterator[Calculators]:
    """One page of the pump clinic, in its own context, live."""
    context, watch = new_context(browser)
    page = context.new_page()
    kit = Calculators(page, base_url, calculator_pages)
    kit.goto(FLEX)
    yield kit
    assert not watch.errors, watch.errors
    with contextlib.suppress(Exception):
        context.close()


def form_inputs(kit: Calculators, calc_id: str) -> dict[str, str]:
    """The values the form holds now, by name, as the page sends them to Python."""
    return kit.form(calc_id).evaluate(
        """form => Object.fromEntries(
            Array.from(form.querySelectorAll(".calc-field [name]"), c => [c.name, c.value]))"""
    )


def items(kit: Calculators, group: str) -> Locator:
    """The items of a repeated group of the flex form."""
    return kit.form(FLEX).locator(f'[data-group="{group}"] [data-group-item]')


def reset(kit: Calculators) -> None:
    """Load the flex page again without a query: the defaults, live."""
    kit.goto(FLEX)


def test_pump_clinic_calculators_are_on_one_page(calculator_pages: dict[str, str]) -> None:
    """The three pump-clinic calculators are embedded on the Pump clinic page."""
    assert {calculator_pages[i] for i in PUMP_IDS} == {"pump-clinic/"}


@pytest.mark.parametrize("calc_id", PUMP_IDS)
def test_pump_clinic_default_results_equal_cpython(
    clinic: Calculators, calc_id: str, site_dir: Path
) -> None:
    """Each live default result equals CPython's and the one baked into the page at build."""
    expect(clinic.output(calc_id)).to_have_attribute("data-state", "ready", timeout=LIVE_TIMEOUT_MS)
    assert clinic.result(calc_id) == calculate(calc_id, {})
    html = (site_dir / "pump-clinic" / "index.html").read_text(encoding="utf-8")
    assert f'data-calculator="{calc_id}"' in html


def test_pump_clinic_add_and_remove_flex_steps(clinic: Calculators) -> None:
    """Add a step (overlap error by its field), remove one, fix it: CPython's result each time."""
    reset(clinic)
    steps = items(clinic, "steps")
    expect(steps).to_have_count(3)
    add = clinic.form(FLEX).locator('[data-group="steps"] [data-group-action="add"]')
    expect(add).to_be_visible()
    add.click()
    expect(steps).to_have_count(4)
    expect(steps.nth(3).locator("legend")).to_have_text("Step 4")
    assert clinic.settle(FLEX) == "error"
    inputs = form_inputs(clinic, FLEX)
    assert "steps.3.rate_mcg_per_hour" in inputs
    # 25 hours in all: Python's group error shows in the group's slot.
    with pytest.raises(ValueError, match="at most 24 hours") as info:
        calculate(FLEX, inputs)
    expect(clinic.error(FLEX, "steps")).to_have_text(str(info.value).split("steps: ", 1)[1])
    # Remove step 3 (22:00-24:00): the new step becomes step 3, renumbered.
    steps.nth(2).locator('[data-group-action="remove"]').click()
    expect(steps).to_have_count(3)
    expect(steps.nth(2).locator("legend")).to_have_text("Step 3")
    clinic.set(FLEX, "steps.2.start_hours", "22")
    clinic.set(FLEX, "steps.2.duration_hours", "2")
    clinic.set(FLEX, "steps.2.rate_mcg_per_hour", "10")
    assert clinic.settle(FLEX) == "ready"
    inputs = form_inputs(clinic, FLEX)
    assert set(inputs) == {"intended_daily_mcg"} | {
        f"steps.{i}.{f}"
        for i in range(3)
        for f in ("start_hours", "duration_hours", "rate_mcg_per_hour")
    }
    assert clinic.result(FLEX) == calculate(FLEX, inputs)
    assert clinic.result(FLEX)["total_mcg"] == 400


PLACEHOLDER = re.compile(r"__[A-Za-z][A-Za-z0-9_]*?__")


def test_pump_clinic_remove_buttons_say_which_item(clinic: Calculators) -> None:
    """After adds and removes, each remove button is named for its item; no placeholder (D1).

    Checks the accessible names (Playwright's, as a screen reader gets them) and the page's
    text, not the HTML: a golden file froze "Remove step __number__" once.
    """
    reset(clinic)
    form = clinic.form(FLEX)
    form.locator('[data-group="steps"] [data-group-action="add"]').click()
    form.locator('[data-group="boluses"] [data-group-action="add"]').click()
    form.locator('[data-group="boluses"] [data-group-action="add"]').click()
    items(clinic, "steps").nth(0).locator('[data-group-action="remove"]').click()
    items(clinic, "boluses").nth(0).locator('[data-group-action="remove"]').click()
    clinic.settle(FLEX)
    for group, item, count in (("steps", "step", 3), ("boluses", "bolus", 1)):
        expect(items(clinic, group)).to_have_count(count)
        for index in range(count):
            button = items(clinic, group).nth(index).locator('[data-group-action="remove"]')
            expect(button).to_have_accessible_name(f"Remove {item} {index + 1}")
    tree = clinic.page.locator("body").aria_snapshot()
    assert PLACEHOLDER.findall(tree) == [], tree
    assert PLACEHOLDER.findall(clinic.page.locator("body").inner_text()) == []


def test_pump_clinic_new_step_starts_where_the_last_ends(clinic: Calculators) -> None:
    """Adding a step after 0-8 h and 8-22 h starts the new step at 22, not at 0 (QA D13)."""
    reset(clinic)
    items(clinic, "steps").nth(2).locator('[data-group-action="remove"]').click()
    expect(items(clinic, "steps")).to_have_count(2)
    clinic.form(FLEX).locator('[data-group="steps"] [data-group-action="add"]').click()
    expect(items(clinic, "steps")).to_have_count(3)
    inputs = form_inputs(clinic, FLEX)
    assert inputs["steps.2.start_hours"] == "22"
    # The two hours left take the new step's default duration (1 h) without an overlap.
    assert clinic.settle(FLEX) == "ready"
    assert clinic.result(FLEX) == calculate(FLEX, inputs)
    # A step ending at midnight: the next starts at 0 (the day is a circle), 24 is no start.
    clinic.set(FLEX, "steps.2.duration_hours", "2")
    clinic.form(FLEX).locator('[data-group="steps"] [data-group-action="add"]').click()
    expect(items(clinic, "steps")).to_have_count(4)
    assert form_inputs(clinic, FLEX)["steps.3.start_hours"] == "0"


def test_pump_clinic_link_never_builds_past_the_maximum(clinic: Calculators) -> None:
    """A link naming step 100,000 builds 12 steps and says what it asked for (QA D14)."""
    steps_max = int(
        clinic.form(FLEX).locator('[data-group="steps"]').get_attribute("data-max-items") or "0"
    )
    clinic.goto(FLEX, f"?{FLEX}.steps.99999.rate_mcg_per_hour=5&{FLEX}.steps.0.rate_mcg_per_hour=7")
    expect(items(clinic, "steps")).to_have_count(steps_max)
    assert form_inputs(clinic, FLEX)["steps.0.rate_mcg_per_hour"] == "7"
    assert clinic.settle(FLEX) == "error"
    message = (
        f"Steps: this link asks for 100000 steps (up to steps.99999), but at most {steps_max} "
        f"can be given. The first {steps_max} are shown, the link's others were not used, and "
        "nothing is calculated until you change a step, or add or remove one."
    )
    # Beside Python's own message for the 12 steps the form holds, if it has one.
    expect(clinic.error(FLEX, "steps")).to_contain_text(message)
    expect(clinic.output(FLEX).locator("[data-calculator-status]")).to_contain_text(message)
    expect(clinic.output(FLEX)).to_have_attribute("data-stale", "")
    # Removing a step answers the note: Python's answer for the steps now in the form.
    items(clinic, "steps").nth(steps_max - 1).locator('[data-group-action="remove"]').click()
    clinic.settle(FLEX)
    expect(clinic.error(FLEX, "steps")).not_to_contain_text(message)
    answer = calculate_or_errors(FLEX, form_inputs(clinic, FLEX))
    if "errors" in answer:
        assert clinic.output(FLEX).get_attribute("data-state") == "error"
    else:
        assert clinic.result(FLEX) == answer


def calculate_or_errors(calc_id: str, inputs: dict[str, str]) -> dict[str, Any]:
    """CPython's result, or ``{"errors": ...}`` when it refuses the inputs."""
    try:
        return calculate(calc_id, inputs)
    except ValueError as exc:
        return {"errors": str(exc)}


def test_pump_clinic_message_names_its_field_once(clinic: Calculators) -> None:
    """The status names a field once: "Visit date must be…", never "Visit date (…): Visit date"."""
    visit = "itb-refill-visit"
    clinic.goto(visit, f"?{visit}.visit_date=2025-01-01")
    assert clinic.settle(visit) == "error"
    said = clinic.output(visit).locator("[data-calculator-status]").inner_text()
    assert "Visit date must be on or after the last fill date" in said
    assert said.count("Visit date") == 1, said


def test_pump_clinic_overlap_error_sits_by_its_step(clinic: Calculators) -> None:
    """Moving step 2 into step 1's hours: Python's message next to step 2's start."""
    reset(clinic)
    clinic.set(FLEX, "steps.1.start_hours", "6")
    assert clinic.settle(FLEX) == "error"
    with pytest.raises(ValueError, match="overlaps") as info:
        calculate(FLEX, form_inputs(clinic, FLEX))
    message = str(info.value).split("steps.1.start_hours: ", 1)[1]
    expect(clinic.error(FLEX, "steps.1.start_hours")).to_have_text(message)
    assert message.startswith("Step 2: it overlaps step 1")
    expect(clinic.output(FLEX)).to_have_attribute("data-stale", "")
    # The status names the step and its field once each (QA D12: "Step 2: Start: Step 2: …").
    said = clinic.output(FLEX).locator("[data-calculator-status]").inner_text()
    assert "Step 2: Start: it overlaps step 1" in said, said
    assert said.count("Step 2") == 1, said


def test_pump_clinic_bolus_added_and_removed(clinic: Calculators) -> None:
    """A bolus added to the flex schedule counts in the total; removed, the total is back."""
    reset(clinic)
    boluses = items(clinic, "boluses")
    expect(boluses).to_have_count(0)
    clinic.form(FLEX).locator('[data-group="boluses"] [data-group-action="add"]').click()
    expect(boluses).to_have_count(1)
    clinic.set(FLEX, "boluses.0.dose_mcg", "25")
    assert clinic.settle(FLEX) == "ready"
    assert clinic.result(FLEX) == calculate(FLEX, form_inputs(clinic, FLEX))
    assert clinic.result(FLEX)["bolus_total_mcg"] == 25
    boluses.nth(0).locator('[data-group-action="remove"]').click()
    expect(boluses).to_have_count(0)
    assert clinic.settle(FLEX) == "ready"
    assert clinic.result(FLEX) == calculate(FLEX, {})


def test_pump_clinic_remove_stops_at_the_minimum(clinic: Calculators) -> None:
    """Steps need at least one (the spec's min_items): the last remove button is disabled."""
    reset(clinic)
    steps = items(clinic, "steps")
    for _ in range(2):
        steps.nth(0).locator('[data-group-action="remove"]').click()
    expect(steps).to_have_count(1)
    expect(steps.nth(0).locator('[data-group-action="remove"]')).to_be_disabled()
    assert clinic.settle(FLEX) == "ready"
    assert clinic.result(FLEX) == calculate(FLEX, form_inputs(clinic, FLEX))


def test_pump_clinic_link_keeps_the_steps(clinic: Calculators) -> None:
    """The URL records every step and drops removed ones; opening it rebuilds the same form."""
    reset(clinic)
    clinic.form(FLEX).locator('[data-group="steps"] [data-group-action="add"]').click()
    expect(items(clinic, "steps")).to_have_count(4)
    items(clinic, "steps").nth(0).locator('[data-group-action="remove"]').click()
    items(clinic, "steps").nth(0).locator('[data-group-action="remove"]').click()
    expect(items(clinic, "steps")).to_have_count(2)
    clinic.set(FLEX, "steps.1.start_hours", "0")
    clinic.set(FLEX, "steps.1.duration_hours", "22")
    clinic.set(FLEX, "steps.1.rate_mcg_per_hour", "17.27")
    clinic.settle(FLEX)
    inputs = form_inputs(clinic, FLEX)
    url = clinic.page.url
    assert f"{FLEX}.steps.1.rate_mcg_per_hour=17.27" in url
    assert f"{FLEX}.steps.2." not in url
    clinic.page.goto(url)
    expect(clinic.output(FLEX)).to_have_attribute("aria-busy", "false", timeout=LIVE_TIMEOUT_MS)
    expect(items(clinic, "steps")).to_have_count(2)
    assert form_inputs(clinic, FLEX) == inputs
    assert clinic.result(FLEX) == calculate(FLEX, inputs)


def _pdf_pages(page: Page, paper: str, tmp_path: Path) -> tuple[int, Path]:
    """Print to PDF and count its page objects (Chromium writes them uncompressed).

    Counted here rather than with poppler's pdfinfo, which a fresh machine does not have.
    """
    pdf = tmp_path / f"card-{paper}.pdf"
    page.pdf(path=str(pdf), format=paper, print_background=True)
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf.read_bytes())), pdf


@contextlib.contextmanager
def _printed_alone(clinic: Calculators, visit: str, what: str) -> Iterator[Locator]:
    """Print the card or sheet ``what`` alone, with print media on; yields the printed copy.

    The copy is gone again after the browser's afterprint.
    """
    button = clinic.output(visit).locator(f'{what} [data-action="print-card"]')
    expect(button).to_be_visible()
    page = clinic.page
    page.evaluate(
        "() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }"
    )
    button.click()
    assert page.evaluate("() => window.__printed") == 1
    sheet = page.locator(f"#pump-card-print {what}")
    expect(sheet).to_have_count(1)
    page.emulate_media(media="print")
    try:
        expect(sheet).to_be_visible()
        expect(page.locator(".md-container")).to_be_hidden()
        yield sheet
    finally:
        page.emulate_media(media="screen")
        page.evaluate("() => window.dispatchEvent(new Event('afterprint'))")
    expect(page.locator("#pump-card-print")).to_have_count(0)


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_pump_clinic_card_prints_alone_on_one_page(
    clinic: Calculators, paper: str, tmp_path: Path
) -> None:
    """The card button prints the card only: one A4 or Letter page holding its facts."""
    visit = "itb-refill-visit"
    clinic.set(visit, "dosing_mode", "flex")
    assert clinic.settle(visit) == "ready"
    result: dict[str, Any] = clinic.result(visit)
    with _printed_alone(clinic, visit, ".pump-card") as sheet:
        text = sheet.inner_text()
        for fact in ("200 mcg/day", "500 mcg/mL", result["alarm_date"], "Emergency contact"):
            assert fact in text, fact
        pages, pdf = _pdf_pages(clinic.page, paper, tmp_path)
        assert pages == 1, f"{paper}: {pages} pages ({pdf})"
    assert json.loads(clinic.output(visit).get_attribute("data-result") or "{}") == result
    assert result == calculate(visit, {"dosing_mode": "flex"})


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_pump_clinic_patient_sheet_prints_alone_on_one_page_in_large_type(
    clinic: Calculators, paper: str, tmp_path: Path
) -> None:
    """The patient and carer sheet prints alone: one page, body text of 14 pt or more."""
    visit = "itb-refill-visit"
    assert clinic.settle(visit) == "ready"
    page = clinic.page
    with _printed_alone(clinic, visit, ".patient-sheet") as sheet:
        text = sheet.inner_text()
        for fact in (
            "200 mcg/day",
            "500 mcg/mL",
            "Sat 14 Mar 2026",
            "two-tone alarm",
            "emergency department",
            "Out of hours",
            page.url.split("?")[0],
        ):
            assert fact in text, fact
        # The booked refill is a line to write on (review 25b M-2), visible in print.
        fill = page.locator("#pump-card-print .patient-sheet__blank--fill")
        assert (fill.bounding_box() or {}).get("width", 0) > 100
        body_pt = page.evaluate(
            "() => parseFloat(getComputedStyle(document.querySelector("
            "'#pump-card-print .patient-sheet__signs li')).fontSize) * 0.75"
        )
        assert body_pt >= 14, body_pt
        pages, pdf = _pdf_pages(page, paper, tmp_path)
        assert pages == 1, f"{paper}: {pages} pages ({pdf})"


AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def _axe(page: Page) -> list[dict[str, object]]:
    """axe-core's serious and critical violations on the whole page."""
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `npm ci` (package.json pins axe-core)")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
            .filter(v => v.impact === "serious" || v.impact === "critical")
            .map(v => ({id: v.id, help: v.help,
                        targets: v.nodes.map(n => n.target.join(" ")).slice(0, 5)}))"""
    )


def test_pump_clinic_axe_with_added_step_and_errors(
    browser: Browser, base_url: str, calculator_pages: dict[str, str]
) -> None:
    """axe-core: no serious or critical violation with a step added and errors showing.

    In a context of its own that lets axe's script in past the site's Content Security Policy.
    """
    context, _ = new_context(browser, bypass_csp=True)
    try:
        kit = Calculators(context.new_page(), base_url, calculator_pages)
        kit.goto(FLEX)
        assert _axe(kit.page) == []
        kit.form(FLEX).locator('[data-group="steps"] [data-group-action="add"]').click()
        assert kit.settle(FLEX) == "error"
        # Adding a step focuses its first field, which scrolls the page: Material's header
        # then fades its title to the page's (a CSS transition). axe measures contrast as
        # painted, so it waits until no transition runs (mid-fade text reads as low contrast).
        kit.page.wait_for_function("document.getAnimations().every(a => a.playState !== 'running')")
        assert _axe(kit.page) == []
    finally:
        context.close()
