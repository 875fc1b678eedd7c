"""The teaching cases in Chromium: answer checking, progress, views, print, offline, CSP.

Expected answers come from the case files as ``sitebuild.cases_model`` computes them (the same
values the build wrote into the pages), never typed here. The tests wait on state
(``data-state`` on a question, ``.case-toolbar`` once the module has run), never on time.
Screenshots and PDFs go to pytest's temporary folder (``--basetemp`` to keep them).
"""

from __future__ import annotations

import json
import re
import zlib
from pathlib import Path
from typing import Any

import pytest
from browserkit import LIVE_TIMEOUT_MS, new_context
from playwright.sync_api import Browser, Page, Route, expect

from calculators.spec import format_number
from sitebuild.cases_model import UNITS, load_all

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


def _answer_first_dose_right(page: Page, base_url: str) -> tuple[str, str, int]:
    """Open the intrathecal set and answer its first-dose question right.

    Returns the question's id, what was typed and the set's number of questions.
    """
    open_set(page, base_url, "intrathecal")
    q = question("intrathecal", "itb-first-dose", "daily")
    qid = "itb-first-dose/daily"
    typed = f"{number(q.value, q.places)} mcg/day"
    answer(page, qid, typed)
    expect(page.locator(f'li[data-question="{qid}"]')).to_have_attribute("data-state", "right")
    return qid, typed, sum(len(c.questions) for c in SETS["intrathecal"].cases)


def test_teaching_progress_survives_reload_and_reset_clears_it(browser: Browser, base_url: str):
    """The answers survive a reload (localStorage); Reset clears storage and the page."""
    context, _ = new_context(browser)
    page = context.new_page()
    qid, typed, total = _answer_first_dose_right(page, base_url)
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
    # The built toolbar takes no room without JavaScript (teaching.css).
    expect(page.locator(".case-toolbar")).to_have_count(1)
    assert page.locator(".case-toolbar").evaluate("e => getComputedStyle(e).display") == "none"
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
    # Module scripts do not run from a file: the toolbar, never bound, takes no room.
    assert page.locator(".case-toolbar").evaluate("e => getComputedStyle(e).display") == "none"
    expect(page.locator("form.case-respond")).to_have_count(0)
    context.close()


_FIRST_CASE_TOP = "() => document.querySelector('section.case').getBoundingClientRect().top"


def test_teaching_binding_the_toolbar_moves_no_case(browser: Browser, base_url: str):
    """The toolbar has its room before teaching.js binds it: the first case does not move.

    The first case's top is read when the page is parsed (before the module has run) and once
    the toolbar is bound. Control: the same page with the toolbar taken out of the flow puts
    the first case higher by the toolbar's height, a shift this check would see.
    """
    context, watch = new_context(browser, viewport={"width": 412, "height": 823})
    context.add_init_script(
        "document.addEventListener('DOMContentLoaded', () => {"
        f" window.__parsedTop = ({_FIRST_CASE_TOP})();"
        " window.__parsedBound = !document.querySelector('.case-toolbar[data-prebuilt]'); })"
    )
    page = context.new_page()
    open_set(page, base_url, "oral")
    assert page.evaluate("window.__parsedBound") is False  # read before the module bound it
    parsed, bound = page.evaluate("window.__parsedTop"), page.evaluate(_FIRST_CASE_TOP)
    assert abs(bound - parsed) < 0.5, (parsed, bound)
    height = page.locator(".case-toolbar").evaluate("e => e.getBoundingClientRect().height")
    page.locator(".case-toolbar").evaluate("e => { e.style.display = 'none'; }")
    assert bound - page.evaluate(_FIRST_CASE_TOP) >= height > 20  # control
    assert watch.errors == []
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


# --- dark mode (QA D3) -----------------------------------------------------------------------


def _answer_every_state(page: Page, set_id: str) -> None:
    """Put the first case's questions in each state: wrong, unit, right, shown."""
    first = SETS[set_id].cases[0]
    numbers = [q for q in first.questions if q.type == "number"]
    for n, q in enumerate(numbers[:4]):
        qid = f"{first.id}/{q.id}"
        item = page.locator(f'li[data-question="{qid}"]')
        label = UNITS[q.unit].label
        if n == 0:
            answer(page, qid, f"0.000001 {label}".strip())  # wrong: feedback and a hint open
            expect(item).to_have_attribute("data-state", "wrong")
        elif n == 1 and UNITS[q.unit].required:
            answer(page, qid, number(q.value, q.places))  # no unit
            expect(item).to_have_attribute("data-state", "unit")
        elif n == 2:
            item.get_by_role("button", name="Show the answer").click()
            expect(item).to_have_attribute("data-state", "revealed")
        else:
            answer(page, qid, f"{number(q.value, q.places)} {label}".strip())
            expect(item).to_have_attribute("data-state", "right")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", ["", *(f"{s}/" for s in SETS)])
def test_teaching_axe_in_both_schemes(browser: Browser, base_url: str, path: str, scheme: str):
    """axe-core on every teaching page, light and dark (slate), answered in every state."""
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `npm ci` (package.json pins axe-core)")
    context, _ = new_context(browser, bypass_csp=True, color_scheme=scheme)
    page = context.new_page()
    page.goto(f"{base_url}teaching/{path}")
    material = "slate" if scheme == "dark" else "default"
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", material)
    if path:
        expect(page.locator(".case-toolbar")).to_be_visible()
        _answer_every_state(page, path.rstrip("/"))
    # Material eases button colours over 125 ms: measure the settled ones.
    page.evaluate(
        "() => { for (const b of document.querySelectorAll('.md-button'))"
        " b.style.transition = 'none'; }"
    )
    page.add_script_tag(path=str(AXE))
    # Code blocks (the case-file format on the index page) are left out: their colours are
    # Material's syntax highlighting, site-wide, and some fall below 4.5:1 (not a teaching
    # control; reported separately).
    violations = page.evaluate(
        """async () => (await axe.run({include: [".md-content"], exclude: [".highlight"]},
              {resultTypes: ["violations"]})).violations
            .filter(v => v.impact === "serious" || v.impact === "critical")
            .map(v => ({id: v.id, help: v.help,
                        targets: v.nodes.map(n => n.target.join(" ")).slice(0, 5)}))"""
    )
    assert violations == []
    context.close()


# --- storage messages (QA D9) ----------------------------------------------------------------

UNREADABLE = {
    "invalid JSON": "{not json",
    "array": "[1,2,3]",
    "null": "null",
    "number": "5",
    "string": '"text"',
    "nested garbage": json.dumps({"label-ladder/target-day": {"state": {"x": [1]}, "text": 7}}),
}


@pytest.mark.parametrize("raw", list(UNREADABLE.values()), ids=list(UNREADABLE))
def test_teaching_unreadable_storage_starts_empty_and_says_so(
    browser: Browser, base_url: str, raw: str
):
    """Stored data that is not ours: the page starts empty, says so, then keeps a new answer."""
    context, watch = new_context(browser)
    page = context.new_page()
    open_set(page, base_url, "oral")
    page.evaluate("([k, v]) => localStorage.setItem(k, v)", [f"{STORAGE}oral", raw])
    page.reload()
    expect(page.locator(".case-toolbar")).to_be_visible()
    kept = page.locator(".case-progress .case-storage")
    expect(kept).to_have_attribute("data-storage", "unreadable")
    expect(kept).to_contain_text("could not be read")
    expect(page.locator(".case-progress")).not_to_contain_text("Kept")
    expect(page.locator(".case-progress")).not_to_contain_text("block")
    q = question("oral", "label-ladder", "days-7-9")
    answer(page, "label-ladder/days-7-9", f"{number(q.value, q.places)} mg/day")
    expect(kept).to_have_attribute("data-storage", "kept")
    expect(kept).to_have_text("Kept in this browser only.")
    stored = json.loads(page.evaluate(f"localStorage.getItem('{STORAGE}oral')"))
    assert stored["label-ladder/days-7-9"]["state"] == "right"
    assert watch.errors == []
    context.close()


# Storage.prototype replaced before the page runs: a save that is dropped, a full storage, a
# storage the browser refuses (as with every cookie blocked).
BROKEN_STORAGE = {
    "dropped": ("Storage.prototype.setItem = function () {};", "lost", "did not keep"),
    "full": (
        (
            "Storage.prototype.setItem = function () {"
            " throw new DOMException('quota', 'QuotaExceededError'); };"
        ),
        "full",
        "is full",
    ),
    "refused": (
        (
            "Object.defineProperty(window, 'localStorage', {get() {"
            " throw new DOMException('denied', 'SecurityError'); }});"
        ),
        "unavailable",
        "does not let this page store",
    ),
}


@pytest.mark.parametrize("case", list(BROKEN_STORAGE))
def test_teaching_never_claims_kept_when_the_save_failed(
    browser: Browser, base_url: str, case: str
):
    """A save that did not happen says "Not kept" and why; only a refusal says it was refused."""
    script, status, words = BROKEN_STORAGE[case]
    context, _ = new_context(browser)
    context.add_init_script(script)
    page = context.new_page()
    open_set(page, base_url, "oral")
    q = question("oral", "label-ladder", "days-7-9")
    answer(page, "label-ladder/days-7-9", f"{number(q.value, q.places)} mg/day")
    expect(page.locator('li[data-question="label-ladder/days-7-9"]')).to_have_attribute(
        "data-state", "right"
    )
    kept = page.locator(".case-progress .case-storage")
    expect(kept).to_have_attribute("data-storage", status)
    expect(kept).to_contain_text("Not kept")
    expect(kept).to_contain_text(words)
    expect(page.locator(".case-progress")).not_to_contain_text("Kept in this browser")
    context.close()


# --- the printed student sheet is blank (QA D18) ---------------------------------------------


def _print_shot(page: Page) -> bytes:
    page.mouse.move(0, 0)
    return page.screenshot(full_page=True, animations="disabled", caret="hide")


@pytest.mark.parametrize("set_id", list(SETS))
def test_teaching_student_sheet_prints_blank_whatever_was_answered(
    browser: Browser, base_url: str, set_id: str
):
    """The sheet printed after answering (right, wrong, unit, shown) is the blank one, exactly."""
    context, _ = new_context(browser, viewport={"width": 900, "height": 1200})
    page = context.new_page()
    open_set(page, base_url, set_id)
    page.emulate_media(media="print")
    blank = _print_shot(page)
    page.emulate_media(media="screen")
    screen_blank = _print_shot(page)
    _answer_every_state(page, set_id)
    screen_answered = _print_shot(page)
    page.emulate_media(media="print")
    answered = _print_shot(page)
    assert screen_answered != screen_blank  # the control: the comparison sees answers
    assert answered == blank
    context.close()


# --- how answers are read (QA D19) -----------------------------------------------------------


def test_teaching_reads_answers_as_a_teacher_would(browser: Browser, base_url: str):
    """'day 10' and '10 days' for a day; full-width digits; µg/hr; unreadable clears 'right'."""
    context, _ = new_context(browser)
    page = context.new_page()
    open_set(page, base_url, "oral")
    day = question("oral", "label-ladder", "target-day")
    qid = "label-ladder/target-day"
    item = page.locator(f'li[data-question="{qid}"]')
    shown = format_number(day.value, 0)
    for typed in (f"day {shown}", f"{shown} days", shown):
        answer(page, qid, "1")
        expect(item).to_have_attribute("data-state", "wrong")
        answer(page, qid, typed)
        expect(item).to_have_attribute("data-state", "right")

    q = question("oral", "label-ladder", "days-7-9")
    qid = "label-ladder/days-7-9"
    item = page.locator(f'li[data-question="{qid}"]')
    wide = number(q.value, q.places).translate(
        str.maketrans("0123456789.", "０１２３４５６７８９．")
    )
    answer(page, qid, f"{wide} mg/day")
    expect(item).to_have_attribute("data-state", "right")
    progress = page.locator(".case-progress")
    expect(progress).to_contain_text("2 of ")
    answer(page, qid, "1,440 mg/day")  # unreadable: a thousands comma
    expect(item.locator(".case-feedback")).to_contain_text("thousands comma")
    expect(item).to_have_attribute("data-state", "")
    expect(item.locator("details.case-answer")).to_be_hidden()
    expect(progress).to_contain_text("1 of ")
    page.reload()
    expect(page.locator(".case-toolbar")).to_be_visible()
    expect(item).to_have_attribute("data-state", "")

    open_set(page, base_url, "intrathecal")
    hourly = question("intrathecal", "itb-first-dose", "hourly")
    qid = "itb-first-dose/hourly"
    item = page.locator(f'li[data-question="{qid}"]')
    for unit in ("µg/hr", "ug/hr", "mcg/hr", "µg/h"):
        answer(page, qid, "1 mg")
        expect(item).to_have_attribute("data-state", "unit")
        answer(page, qid, f"{number(hourly.value, hourly.places)} {unit}")
        expect(item).to_have_attribute("data-state", "right")
    context.close()


# --- name, date and page numbers on the printed sheets ---------------------------------------


def _pdf_objects(data: bytes) -> dict[int, bytes]:
    return {
        int(m.group(1)): m.group(2)
        for m in re.finditer(rb"(\d+) 0 obj\s*(.*?)endobj", data, re.DOTALL)
    }


def _pdf_stream(body: bytes) -> bytes:
    match = re.search(rb"stream\r?\n(.*?)\r?\nendstream", body, re.DOTALL)
    if not match:
        return b""
    raw = match.group(1)
    return zlib.decompress(raw) if b"/FlateDecode" in body[: match.start()] else raw


def _pdf_cmap(text: bytes) -> dict[int, str]:
    table: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", text, re.DOTALL):
        for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            table[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be", "replace")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", text, re.DOTALL):
        for lo, hi, dst in re.findall(
            rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block
        ):
            for i, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                table[code] = chr(int(dst, 16) + i)
    return table


def pdf_page_texts(data: bytes) -> list[str]:
    """The text of each page of a PDF Chromium printed (Skia: fonts with ToUnicode maps).

    Enough for these checks, not a PDF reader: uncompressed page objects, one content stream
    per page, text shown with hex strings (Tj, TJ).
    """
    objects = _pdf_objects(data)
    pages = []
    for body in objects.values():
        if not re.search(rb"/Type\s*/Page(?![s\w])", body):
            continue
        ref = re.search(rb"/Resources\s+(\d+) 0 R", body)
        resources = objects.get(int(ref.group(1)), b"") if ref else body
        fonts_ref = re.search(rb"/Font\s*<<(.*?)>>", resources, re.DOTALL)
        fonts: dict[bytes, dict[int, str]] = {}
        for name, number_ in re.findall(
            rb"/(\w+)\s+(\d+) 0 R", fonts_ref.group(1) if fonts_ref else b""
        ):
            unicode_ref = re.search(rb"/ToUnicode\s+(\d+) 0 R", objects.get(int(number_), b""))
            if unicode_ref:
                fonts[name] = _pdf_cmap(_pdf_stream(objects.get(int(unicode_ref.group(1)), b"")))
        contents = re.search(rb"/Contents\s+(\d+) 0 R", body)
        stream = _pdf_stream(objects.get(int(contents.group(1)), b"")) if contents else b""
        out: list[str] = []
        font: dict[int, str] = {}
        for token in re.finditer(
            rb"/(\w+)\s+[\d.]+\s+Tf|\[(.*?)\]\s*TJ|<([0-9A-Fa-f]*)>\s*Tj|(ET)", stream, re.DOTALL
        ):
            if token.group(1):
                font = fonts.get(token.group(1), {})
            elif token.group(4):
                out.append("\n")
            else:
                strings = (
                    re.findall(rb"<([0-9A-Fa-f]*)>", token.group(2))
                    if token.group(2) is not None
                    else [token.group(3)]
                )
                for hexes in strings:
                    out += [
                        font.get(int(hexes[i : i + 4], 16), "?") for i in range(0, len(hexes), 4)
                    ]
        pages.append("".join(out))
    return pages


@pytest.mark.parametrize("view", ["sheet", "key"])
def test_teaching_printed_pages_have_name_date_and_page_numbers(
    browser: Browser, base_url: str, view: str, tmp_path
):
    """Each printed page says "Page i of n"; Name and Date on each case's sheet, once in the key."""
    context, _ = new_context(browser)
    page = context.new_page()
    open_set(page, base_url, "oral", "?answers" if view == "key" else "")
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", print_background=True)
    (tmp_path / f"oral-{view}.pdf").write_bytes(pdf)
    texts = pdf_page_texts(pdf)
    assert len(texts) == pdf_pages(pdf)
    assert any("Case 1." in t for t in texts)  # the control: the reader reads this PDF's text
    for i, text in enumerate(texts, 1):
        assert re.search(rf"Page\s*{i}\s*of\s*{len(texts)}", text), text[:200]
    names = sum(t.count("Name") for t in texts)
    if view == "sheet":
        assert names == len(SETS["oral"].cases)
        assert all("Date" in t for t in texts)
    else:
        assert names == 1
        assert all("Answer key" in t for t in texts)
    context.close()


def test_teaching_other_pages_print_without_teaching_page_numbers(browser: Browser, base_url: str):
    """The teaching page numbers stay on teaching pages: the oral page prints without them."""
    context, _ = new_context(browser)
    page = context.new_page()
    page.goto(f"{base_url}oral/")
    page.emulate_media(media="print")
    texts = pdf_page_texts(page.pdf(format="A4"))
    assert texts
    assert not any(re.search(r"Page\s*1\s*of", t) for t in texts)
    context.close()


# --- exam mode -------------------------------------------------------------------------------


def test_teaching_exam_mode_does_not_carry_practice_answers(browser: Browser, base_url: str):
    """A practice answer is not shown in ``?exam`` (nor counted), and comes back in practice.

    A blind review found a practice answer shown as "Right" in exam mode. Control: the same
    answer is restored on the practice page, so the check could see it.
    """
    context, watch = new_context(browser)
    page = context.new_page()
    qid, _typed, total = _answer_first_dose_right(page, base_url)
    open_set(page, base_url, "intrathecal", "?exam")
    item = page.locator(f'li[data-question="{qid}"]')
    expect(item.locator("input.case-input")).to_have_value("")
    assert state(page, qid) == ""
    expect(page.locator(".case-progress")).to_contain_text(f"0 of {total} answered right")
    open_set(page, base_url, "intrathecal")  # control: practice keeps its answer
    expect(page.locator(f'li[data-question="{qid}"]')).to_have_attribute("data-state", "right")
    expect(page.locator(".case-progress")).to_contain_text(f"1 of {total} answered right")
    assert watch.errors == []
    context.close()


def test_teaching_exam_mode_hides_the_key_hints_and_answers(browser: Browser, base_url: str):
    """``?exam``: no key view, key print or Show the answer; no hint or answer ever opens."""
    context, _ = new_context(browser)
    page = context.new_page()
    for query in ("?exam", "?exam&answers"):
        open_set(page, base_url, "oral", query)
        toolbar = page.locator(".case-toolbar")
        expect(toolbar.get_by_role("button", name="Print the student sheet")).to_be_visible()
        expect(page.get_by_text("Answer key view")).to_have_count(0)
        expect(page.get_by_role("button", name="Print the answer key")).to_have_count(0)
        expect(page.get_by_role("button", name="Show the answer")).to_have_count(0)
        expect(page.locator("details.case-key:visible")).to_have_count(0)
        expect(page.locator(".case-progress")).to_contain_text("Exam mode")
    case = SETS["oral"].cases[0]
    q = next(q for q in case.questions if q.type == "number")
    qid = f"{case.id}/{q.id}"
    item = page.locator(f'li[data-question="{qid}"]')
    label = UNITS[q.unit].label
    answer(page, qid, f"0.000001 {label}".strip())
    expect(item).to_have_attribute("data-state", "wrong")
    expect(item.locator("details.case-hints")).to_be_hidden()
    answer(page, qid, f"{number(q.value, q.places)} {label}".strip())
    expect(item).to_have_attribute("data-state", "right")
    expect(item.locator("details.case-answer")).to_be_hidden()
    # The control: the same page without ?exam has the controls.
    open_set(page, base_url, "oral")
    expect(page.get_by_role("button", name="Show the answer").first).to_be_visible()
    expect(page.get_by_text("Answer key view")).to_have_count(1)
    context.close()
