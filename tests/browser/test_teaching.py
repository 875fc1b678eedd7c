"""The teaching cases in Chromium: answer checking, progress, views, print, offline, CSP.

Expected answers come from the case files as ``sitebuild.casedata`` computes them (the same
values the build wrote into the pages), never typed here. The tests wait on state
(``data-state`` on a question, ``.case-toolbar`` once the module has run), never on time.
Screenshots and PDFs go to pytest's temporary folder (``--basetemp`` to keep them).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from browserkit import LIVE_TIMEOUT_MS, new_context
from playwright.sync_api import Browser, Page, Route, expect

from calculators.spec import format_number
from sitebuild.casedata import UNITS, load_all

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
SETS = {s.id: s for s in load_all(REPO / "docs" / "cases")}
STORAGE = "baclofen-teaching/v1/"
PRECACHE_TIMEOUT_MS = 120_000


def question(set_id: str, case_id: str, question_id: str):
    """A question of the case files, with its engine-computed answer."""
    case = next(c for c in SETS[set_id].cases if c.id == case_id)
    return next(q for q in case.questions if q.id == question_id)


def open_set(page: Page, base_url: str, set_id: str, query: str = "") -> None:
    """Load a set's page and wait for the teaching module to bind it."""
    page.goto(f"{base_url}teaching/{set_id}/{query}")
    expect(page.locator(".case-toolbar")).to_be_visible()


def answer(page: Page, qid: str, text: str) -> None:
    """Type ``text`` into a question's answer box and press Check."""
    item = page.locator(f'li[data-question="{qid}"]')
    item.locator("input.case-input").fill(text)
    item.get_by_role("button", name="Check").click()


def state(page: Page, qid: str) -> str:
    """The question's ``data-state``."""
    return page.locator(f'li[data-question="{qid}"]').get_attribute("data-state") or ""


def number(value: float, places: int) -> str:
    """A value as a student would type it."""
    return format_number(value, places)


def test_teaching_answers_right_wrong_and_wrong_unit(browser: Browser, base_url: str, tmp_path):
    """Right, wrong (hint opens), wrong unit (mcg for mg), missing unit, decimal comma."""
    context, watch = new_context(browser)
    page = context.new_page()
    open_set(page, base_url, "oral")
    q = question("oral", "oral-to-iv", "iv-daily")
    qid = "oral-to-iv/iv-daily"
    item = page.locator(f'li[data-question="{qid}"]')
    unit = UNITS[q.unit].label
    feedback = item.locator(".case-feedback")
    hints = item.locator("details.case-hints")
    key = item.locator("details.case-answer")
    expect(hints).to_be_hidden()
    expect(key).to_be_hidden()

    answer(page, qid, f"{number(q.value + 10 * (q.tolerance + 1), 1)} {unit}")
    expect(item).to_have_attribute("data-state", "wrong")
    expect(feedback).to_contain_text("Not right")
    expect(hints).to_be_visible()
    expect(item.locator("li.case-hint").first).to_be_visible()
    expect(item.locator("li.case-hint").nth(1)).to_be_hidden()

    answer(page, qid, f"{number(q.value, q.places)} mcg/day")  # the 1000-fold slip
    expect(item).to_have_attribute("data-state", "unit")
    expect(feedback).to_contain_text("Wrong unit")
    expect(feedback).to_contain_text(unit)
    expect(key).to_be_hidden()

    answer(page, qid, number(q.value, q.places))  # a dose without its unit
    expect(item).to_have_attribute("data-state", "unit")
    expect(feedback).to_contain_text("Give the unit")

    answer(page, qid, f"{number(q.value, q.places).replace('.', ',')} mg/d")
    expect(item).to_have_attribute("data-state", "right")
    expect(feedback).to_contain_text(f"Right: {q.shown}")
    expect(key).to_be_visible()
    expect(key).to_have_attribute("open", "")
    expect(key.locator(".case-answer-value strong")).to_have_text(q.shown)
    page.locator('section[data-case="oral-to-iv"]').screenshot(path=str(tmp_path / "answered.png"))
    assert watch.errors == []
    context.close()


def test_teaching_ambiguous_comma_and_converted_unit(browser: Browser, base_url: str):
    """A thousands comma ("1,440") is refused; 1.44 mg for a mcg answer is a wrong unit."""
    context, _ = new_context(browser)
    page = context.new_page()
    open_set(page, base_url, "incidents")
    q = question("incidents", "flex-per-hour", "total")
    qid = "flex-per-hour/total"
    assert q.value >= 1000  # the comma case needs four digits
    thousands = f"{int(q.value) // 1000},{int(q.value) % 1000:03d}"
    answer(page, qid, f"{thousands} mcg")
    item = page.locator(f'li[data-question="{qid}"]')
    expect(item.locator(".case-feedback")).to_contain_text("without a thousands comma")
    assert state(page, qid) == ""
    answer(page, qid, f"{number(q.value / 1000, 6)} mg")
    expect(item).to_have_attribute("data-state", "unit")
    expect(item.locator(".case-feedback")).to_contain_text("write it in mcg")
    context.close()


def test_teaching_choice_and_worked_answer_open_when_case_done(browser: Browser, base_url: str):
    """A choice question judges the option; finishing a case opens its worked steps."""
    context, _ = new_context(browser)
    page = context.new_page()
    open_set(page, base_url, "intrathecal")
    case = next(c for c in SETS["intrathecal"].cases if c.id == "itb-long-response")
    section = page.locator(f'section[data-case="{case.id}"]')
    for q in case.questions:
        item = page.locator(f'li[data-question="{case.id}/{q.id}"]')
        if q.type == "choice":
            wrong = 1 if q.correct != 1 else 2
            item.locator(f'input[type="radio"][value="{wrong}"]').check()
            item.get_by_role("button", name="Check").click()
            expect(item).to_have_attribute("data-state", "wrong")
            item.locator(f'input[type="radio"][value="{q.correct}"]').check()
            item.get_by_role("button", name="Check").click()
        else:
            answer(page, f"{case.id}/{q.id}", f"{number(q.value, q.places)} {UNITS[q.unit].label}")
        expect(item).to_have_attribute("data-state", "right")
    # This case has no worked steps; a worked one does, and stays closed until done.
    worked = page.locator('section[data-case="itb-refill-alarm"] details.case-worked')
    expect(worked).to_be_hidden()
    q = page.locator('li[data-question="itb-refill-alarm/volume"]')
    q.get_by_role("button", name="Show the answer").click()
    expect(q).to_have_attribute("data-state", "revealed")
    expect(worked).to_be_hidden()  # two questions still open
    assert section.count() == 1
    context.close()


def test_teaching_progress_survives_reload_and_reset_clears_it(browser: Browser, base_url: str):
    """The answers survive a reload (localStorage); Reset clears storage and the page."""
    context, _ = new_context(browser)
    page = context.new_page()
    open_set(page, base_url, "intrathecal")
    q = question("intrathecal", "itb-first-dose", "daily")
    qid = "itb-first-dose/daily"
    typed = f"{number(q.value, q.places)} mcg/day"
    answer(page, qid, typed)
    expect(page.locator(f'li[data-question="{qid}"]')).to_have_attribute("data-state", "right")
    total = sum(len(c.questions) for c in SETS["intrathecal"].cases)
    expect(page.locator(".case-progress")).to_contain_text(f"1 of {total} answered right")

    page.reload()
    expect(page.locator(".case-toolbar")).to_be_visible()
    item = page.locator(f'li[data-question="{qid}"]')
    expect(item).to_have_attribute("data-state", "right")
    expect(item.locator("input.case-input")).to_have_value(typed)
    expect(page.locator(".case-progress")).to_contain_text(f"1 of {total} answered right")
    stored = json.loads(page.evaluate(f"localStorage.getItem('{STORAGE}intrathecal')"))
    assert stored[qid]["state"] == "right"

    page.get_by_role("button", name="Reset my answers").click()
    expect(item).to_have_attribute("data-state", "")
    expect(item.locator("input.case-input")).to_have_value("")
    assert page.evaluate(f"localStorage.getItem('{STORAGE}intrathecal')") is None
    page.reload()
    expect(page.locator(".case-toolbar")).to_be_visible()
    expect(page.locator(f'li[data-question="{qid}"]')).to_have_attribute("data-state", "")
    context.close()


def test_teaching_answer_key_view_opens_every_answer(browser: Browser, base_url: str):
    """``?answers`` opens every key and hides the answer boxes."""
    context, _ = new_context(browser)
    page = context.new_page()
    open_set(page, base_url, "oral", "?answers")
    keys = page.locator("details.case-key")
    assert keys.count() > 0
    for i in range(keys.count()):
        expect(keys.nth(i)).to_have_attribute("open", "")
        expect(keys.nth(i)).to_be_visible()
    expect(page.locator("form.case-respond").first).to_be_hidden()
    expect(page.locator("html")).to_have_attribute("data-teaching-view", "answers")
    context.close()


def test_teaching_without_javascript_shows_questions_and_closed_answers(
    browser: Browser, base_url: str, tmp_path
):
    """JavaScript off: no answer boxes; every answer is in a closed <details> and opens."""
    context, _ = new_context(browser, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{base_url}teaching/incidents/")
    expect(page.locator(".case-toolbar")).to_have_count(0)
    expect(page.locator("form.case-respond")).to_have_count(0)
    q = question("incidents", "wrong-bottle", "dose-given")
    item = page.locator('li[data-question="wrong-bottle/dose-given"]')
    expect(item.locator(".case-prompt")).to_be_visible()
    key = item.locator("details.case-answer")
    expect(key).to_be_visible()
    expect(key).not_to_have_attribute("open", "")
    expect(key.locator(".case-answer-value strong")).to_be_hidden()
    key.locator("summary").click()
    expect(key.locator(".case-answer-value strong")).to_have_text(q.shown)
    page.screenshot(path=str(tmp_path / "no-js.png"), full_page=False)
    context.close()


def test_teaching_from_file_is_readable(browser: Browser, site_dir: Path):
    """Opened as a file (module scripts refused), the cases and their answers are there."""
    context, _ = new_context(browser)
    page = context.new_page()
    page.goto((site_dir / "teaching" / "oral" / "index.html").as_uri())
    expect(page.locator("section.case").first).to_be_visible()
    expect(page.locator("details.case-answer").first).to_be_visible()
    expect(page.locator(".case-toolbar")).to_have_count(0)
    context.close()


def pdf_pages(data: bytes) -> int:
    """Pages in a PDF Chromium printed (page objects are not compressed there)."""
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", data))


@pytest.mark.parametrize("paper", ["A4", "Letter"])
@pytest.mark.parametrize("set_id", list(SETS))
def test_teaching_prints_student_sheet_one_case_a_page(
    browser: Browser, base_url: str, set_id: str, paper: str, tmp_path
):
    """The student sheet: no hints or answers, room to write, each case on one page."""
    context, _ = new_context(browser)
    page = context.new_page()
    open_set(page, base_url, set_id)
    # An answer opened on screen must still not print on the student sheet.
    page.locator("button[data-action='reveal']").first.click()
    page.emulate_media(media="print")
    expect(page.locator("details.case-answer").first).to_be_hidden()
    expect(page.locator("details.case-hints").first).to_be_hidden()
    expect(page.locator("li.case-question--number .case-write").first).to_be_visible()
    expect(page.locator(".case-toolbar")).to_be_hidden()
    pdf = page.pdf(format=paper, print_background=True)
    (tmp_path / f"{set_id}-sheet-{paper}.pdf").write_bytes(pdf)
    assert pdf_pages(pdf) == len(SETS[set_id].cases)
    width = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert width
    context.close()


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_teaching_prints_answer_key(browser: Browser, base_url: str, paper: str, tmp_path):
    """The answer key: every answer and analysis prints, no writing room."""
    context, _ = new_context(browser)
    page = context.new_page()
    open_set(page, base_url, "incidents", "?answers")
    page.emulate_media(media="print")
    expect(page.locator("details.case-answer").first).to_be_visible()
    expect(page.locator("details.case-analysis").first).to_be_visible()
    expect(page.locator(".case-write").first).to_be_hidden()
    pdf = page.pdf(format=paper, print_background=True)
    (tmp_path / f"key-{paper}.pdf").write_bytes(pdf)
    cases = len(SETS["incidents"].cases)
    assert cases <= pdf_pages(pdf) <= 3 * cases
    context.close()


def test_teaching_calculator_link_opens_the_case(browser: Browser, base_url: str):
    """A case's link opens its calculator with the case's values: the same answer, live."""
    context, _ = new_context(browser)
    page = context.new_page()
    open_set(page, base_url, "intrathecal")
    q = question("intrathecal", "itb-refill-alarm", "alarm-days")
    page.locator('section[data-case="itb-refill-alarm"] a.case-calculator-link').first.click()
    output = page.locator('form[data-calculator="itb-refill"] [data-calculator-output]')
    expect(output).to_have_attribute("data-state", "ready", timeout=LIVE_TIMEOUT_MS)
    expect(output).to_have_attribute("aria-busy", "false")
    result = json.loads(output.get_attribute("data-result") or "{}")
    assert result["days_to_alarm"] == q.value
    context.close()


def test_teaching_runs_under_the_sites_csp(
    browser: Browser, base_url: str, site_manifest: dict[str, Any]
):
    """With the build's Content-Security-Policy sent, the module binds and nothing is refused."""
    policy = site_manifest["csp"]["policy"]
    context, watch = new_context(browser)

    def with_csp(route: Route) -> None:
        response = route.fetch()
        headers = {**response.headers, "content-security-policy": policy}
        route.fulfill(response=response, headers=headers)

    context.route(re.compile(r".*/teaching/.*"), with_csp)
    page = context.new_page()
    violations: list[str] = []
    page.on(
        "console", lambda m: violations.append(m.text) if "Content Security" in m.text else None
    )
    open_set(page, base_url, "oral")
    q = question("oral", "label-ladder", "days-7-9")
    answer(page, "label-ladder/days-7-9", f"{number(q.value, q.places)} mg/day")
    expect(page.locator('li[data-question="label-ladder/days-7-9"]')).to_have_attribute(
        "data-state", "right"
    )
    assert violations == []
    assert watch.errors == []
    context.close()


def test_teaching_works_offline_after_one_visit(browser: Browser, base_url: str):
    """Once the service worker has the site, the set page reloads and checks answers offline."""
    context, _ = new_context(browser)
    page = context.new_page()
    open_set(page, base_url, "incidents")
    page.wait_for_selector(
        "html[data-offline-ready]", state="attached", timeout=PRECACHE_TIMEOUT_MS
    )
    page.reload()
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    context.set_offline(True)
    open_set(page, base_url, "incidents")
    q = question("incidents", "pocket-fill", "amount")
    answer(page, "pocket-fill/amount", f"{number(q.value, q.places)} mg")
    expect(page.locator('li[data-question="pocket-fill/amount"]')).to_have_attribute(
        "data-state", "right"
    )
    context.close()


AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"


@pytest.mark.parametrize("set_id", list(SETS))
def test_teaching_axe_live_and_answered(browser: Browser, base_url: str, set_id: str):
    """axe-core: no serious or critical violation in a case set, with feedback and hints open."""
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `npm ci` (package.json pins axe-core)")
    # The pages carry their CSP in a <meta>; axe is injected inline, so the test bypasses it.
    context, _ = new_context(browser, bypass_csp=True)
    page = context.new_page()
    open_set(page, base_url, set_id)
    first = SETS[set_id].cases[0]
    q = next(q for q in first.questions if q.type == "number")
    answer(page, f"{first.id}/{q.id}", "0.000001")  # wrong: feedback and a hint open
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(
        """async () => (await axe.run(document.querySelector(".case-set"),
              {resultTypes: ["violations"]})).violations
            .filter(v => v.impact === "serious" || v.impact === "critical")
            .map(v => ({id: v.id, help: v.help,
                        targets: v.nodes.map(n => n.target.join(" ")).slice(0, 5)}))"""
    )
    assert violations == []
    context.close()


@pytest.mark.parametrize("path", ["", *(f"{s}/" for s in SETS)])
def test_teaching_fits_a_320px_screen(browser: Browser, base_url: str, path: str):
    """At 320 px (WCAG reflow) no teaching page scrolls sideways, answer boxes included."""
    context, _ = new_context(browser, viewport={"width": 320, "height": 800})
    page = context.new_page()
    page.goto(f"{base_url}teaching/{path}")
    if path:
        expect(page.locator(".case-toolbar")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    context.close()
