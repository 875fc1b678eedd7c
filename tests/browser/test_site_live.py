"""The whole site in Chromium, beyond one calculator at a time.

No outside requests and no console errors over every page; the cold start measured;
instant navigation with one worker; keyboard-only use; axe-core; links that reopen a case;
print; the static page without JavaScript; an engine that cannot start.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browserkit import (
    LIVE_TIMEOUT_MS,
    MEASUREMENTS,
    Calculators,
    expected,
    load_each_page_cleanly,
    new_context,
)
from playwright.sync_api import Browser, Page, Route, expect

from calculators import CALCULATORS, calculate

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"


# Each calculator worker a document creates, dedicated or shared (Playwright's "worker"
# event sees dedicated workers only). SharedWorker's feature check, whose URL cannot be
# parsed, throws in super() and is not counted.
_WORKERS_JS = """(() => {
  const made = [];
  Object.defineProperty(window, "__calculatorWorkers", { value: made });
  for (const name of ["Worker", "SharedWorker"]) {
    const Native = window[name];
    if (typeof Native !== "function") continue;
    window[name] = class extends Native {
      constructor(url, options) {
        super(url, options);
        if (String(url).includes("calculator-worker")) made.push(name);
      }
    };
  }
})();"""


def calculator_workers(page: Page) -> list[str]:
    """The calculator workers this document created so far ("Worker" or "SharedWorker")."""
    return page.evaluate("window.__calculatorWorkers")


def wasm_fetches(requests: list[str]) -> int:
    """How many times the Pyodide runtime was requested.

    Pass the page's requests: the site's service worker also fetches it, to cache it.
    """
    return sum(url.endswith("/pyodide.asm.wasm") for url in requests)


def wait_live(page: Page, timeout: int = LIVE_TIMEOUT_MS) -> None:
    """Wait until every calculator on the page has answered its current values."""
    for output in page.locator("[data-calculator-output]").all():
        expect(output).to_have_attribute("aria-busy", "false", timeout=timeout)
        expect(output).to_have_attribute("data-state", "ready")


def test_tour_requests_only_the_local_server(
    browser: Browser, base_url: str, site_pages: list[str]
) -> None:
    """Every page, every calculator live: all requests local, none failing, no console error.

    The tour clicks from page to page, so it also checks that instant navigation reaches
    every page without a reload, on one calculator worker.
    """
    context, watch = new_context(browser, dedicated_worker=True)  # its requests are seen
    context.add_init_script(_WORKERS_JS)
    page = context.new_page()
    tour = Calculators(page, base_url, {})
    page.goto(base_url)
    page.evaluate("window.__sameDocument = true")
    for path in site_pages:
        tour.visit(path)
        wait_live(page)
    assert page.evaluate("window.__sameDocument") is True
    assert page.evaluate("window.baclofenCalculators.workersCreated") == 1
    # One calculator worker for the whole tour. (Requests for pyodide.asm.wasm are not
    # counted here: the self-test page downloads every file of the build to check it.)
    assert len(calculator_workers(page)) == 1
    context.close()
    external = [
        url
        for url in watch.requests
        if not url.startswith(base_url) and not url.startswith(("data:", "blob:"))
    ]
    MEASUREMENTS["tour: pages"] = len(site_pages)
    MEASUREMENTS["tour: requests"] = len(watch.requests)
    MEASUREMENTS["tour: requests to any other host"] = len(external)
    assert external == []
    assert watch.errors == []


def test_every_page_loads_with_a_clean_console(
    browser: Browser, base_url: str, site_pages: list[str]
) -> None:
    """Each page of the MkDocs build loaded afresh (not by instant navigation): no error."""
    assert len(site_pages) >= 15
    load_each_page_cleanly(browser, base_url, site_pages)


def test_instant_navigation_keeps_one_worker(
    browser: Browser, base_url: str, calculator_pages: dict[str, str]
) -> None:
    """A nav-link click swaps the page; the next form goes live on the same worker.

    Also measures the cold start: navigation to the first live result, empty cache.
    """
    context, watch = new_context(browser, dedicated_worker=True)  # its requests are seen
    context.add_init_script(_WORKERS_JS)
    page = context.new_page()
    page.goto(base_url + calculator_pages["oral-titration"])
    wait_live(page)
    stats = page.evaluate("window.baclofenCalculators")
    MEASUREMENTS["cold start: navigation to first live result (ms)"] = round(stats["firstResultMs"])
    MEASUREMENTS["cold start: navigation to engine ready (ms)"] = round(stats["readyMs"])
    MEASUREMENTS["engine"] = stats["versions"]

    page.evaluate("window.__sameDocument = true")
    target = calculator_pages["oral-taper"]
    started = page.evaluate("performance.now()")
    page.locator(f'.md-nav--primary a.md-nav__link[href$="{target}"]').first.click()
    output = page.locator('form[data-calculator="oral-taper"] [data-calculator-output]')
    expect(output).to_have_attribute("data-state", "ready", timeout=LIVE_TIMEOUT_MS)
    MEASUREMENTS["instant navigation: click to live result on the next page (ms)"] = round(
        page.evaluate("performance.now()") - started
    )
    assert page.url == base_url + target
    assert page.evaluate("window.__sameDocument") is True  # no full page load
    assert page.evaluate("window.baclofenCalculators.workersCreated") == 1
    assert len(calculator_workers(page)) == 1
    assert wasm_fetches(watch.page_requests) == 1, watch.page_requests
    assert page.evaluate("el => JSON.parse(el.dataset.result)", output.element_handle()) == (
        calculate("oral-taper", {})
    )
    page.go_back()  # back to the first page: its form goes live again, same worker
    wait_live(page)
    assert page.evaluate("window.baclofenCalculators.workersCreated") == 1
    assert len(calculator_workers(page)) == 1
    context.close()
    assert watch.errors == []


def test_keyboard_only(warm: Calculators) -> None:
    """Tab to the first input, type a value, and the result follows it."""
    calc_id = "oral-to-iv"
    warm.open(calc_id)
    page = warm.page
    first = CALCULATORS[calc_id].fields[0].name
    page.locator("body").focus()
    for _ in range(300):
        page.keyboard.press("Tab")
        if page.evaluate(
            "([id, name]) => document.activeElement?.name === name && "
            "document.activeElement.closest('form')?.dataset.calculator === id",
            [calc_id, first],
        ):
            break
    else:
        pytest.fail(f"Tab never reached {calc_id}.{first}")
    page.keyboard.press("Control+A")
    page.keyboard.type("75")
    assert warm.settle(calc_id) == "ready"
    assert warm.result(calc_id) == calculate(calc_id, {first: "75"})


def _axe(page: Page, include: str | None = None) -> list[dict[str, object]]:
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `npm ci` (package.json pins axe-core)")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, not added as a <script>: every page now
        # carries its CSP as a <meta> tag, which (rightly) refuses an injected inline script.
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    return page.evaluate(
        """async (include) => (await axe.run(include ? {include: [include]} : document,
              {resultTypes: ["violations"]})).violations
            .filter(v => v.impact === "serious" || v.impact === "critical")
            .map(v => ({id: v.id, impact: v.impact, help: v.help,
                        targets: v.nodes.map(n => n.target.join(" ")).slice(0, 5)}))""",
        include,
    )


CALCULATOR_PAGES = ["oral-titration", "oral-taper", "itb-refill", "oral-to-iv"]  # one per page


@pytest.mark.parametrize("calc_id", CALCULATOR_PAGES)
def test_axe_calculators_live(warm: Calculators, calc_id: str) -> None:
    """axe-core: no serious or critical violation inside the page's calculators, live."""
    warm.open(calc_id)
    assert _axe(warm.page, ".calculator") == []


@pytest.mark.parametrize("calc_id", CALCULATOR_PAGES)
def test_axe_calculator_pages(warm: Calculators, calc_id: str) -> None:
    """axe-core: no serious or critical violation on the whole calculator page, live."""
    warm.open(calc_id)
    violations = _axe(warm.page)
    MEASUREMENTS[f"axe serious/critical on {warm.pages[calc_id]}"] = [
        (v["id"], v["targets"]) for v in violations
    ]
    assert violations == []


@pytest.mark.parametrize("calc_id", ["oral-titration", "itb-refill"])
def test_axe_calculator_in_error_state(warm: Calculators, calc_id: str) -> None:
    """axe-core: no serious or critical violation inside a calculator showing an error."""
    warm.open(calc_id)
    name = next(f.name for f in CALCULATORS[calc_id].fields if f.kind == "number")
    warm.set(calc_id, name, "-1")
    assert warm.settle(calc_id) == "error"
    assert _axe(warm.page, f"#calculator-{calc_id}") == []


def test_link_reopens_the_case(warm: Calculators) -> None:
    """Values in the URL fill the forms on load.

    A value a field cannot hold is kept and explained by Python; a link followed by instant
    navigation restores its case too.
    """
    inputs = {"age_years": "72", "sex": "male", "weight_kg": "58.5"}
    query = "?" + "&".join(
        [f"renal-function.{k}={v}" for k, v in inputs.items()] + ["oral-to-iv.oral_daily_mg=abc"]
    )
    warm.goto("renal-function", query)
    form = warm.form("renal-function")
    for name, value in inputs.items():
        expect(form.locator(f'[name="{name}"]')).to_have_value(value)
    assert warm.settle("renal-function") == "ready"
    assert warm.result("renal-function") == calculate("renal-function", inputs)

    assert warm.settle("oral-to-iv") == "error"
    message = expected("oral-to-iv", {"oral_daily_mg": "abc"})["errors"]["oral_daily_mg"]
    expect(warm.error("oral-to-iv", "oral_daily_mg")).to_have_text(message)

    calc_id = "oral-titration"
    case = {"target_daily_mg": "80", "formulation": "ozobax"}
    warm.visit(warm.pages[calc_id] + "?" + "&".join(f"{calc_id}.{k}={v}" for k, v in case.items()))
    expect(warm.form(calc_id).locator('[name="target_daily_mg"]')).to_have_value("80")
    assert warm.settle(calc_id) == "ready"
    assert warm.result(calc_id) == calculate(calc_id, case)


def test_print_hides_buttons_keeps_result(warm: Calculators) -> None:
    """In print, the buttons go and the result stays."""
    calc_id = "oral-taper"
    form = warm.open(calc_id)
    warm.page.emulate_media(media="print")
    try:
        expect(form.locator("[data-calculator-actions]")).to_be_hidden()
        expect(form.locator("[data-calculator-result] table")).to_be_visible()
        expect(form.locator("[data-calculator-result] svg.calc-chart")).to_be_visible()
    finally:
        warm.page.emulate_media(media="screen")


def test_print_header_says_what_the_result_is_for(warm: Calculators) -> None:
    """A print carries when, which version and which link the result is for; stale: NOT CURRENT."""
    calc_id, name = "oral-taper", "current_daily_mg"
    warm.open(calc_id)
    warm.set(calc_id, name, "40")
    assert warm.settle(calc_id) == "ready"
    page = warm.page
    version = page.evaluate("window.baclofenCalculators.versions.calculators")
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    header = warm.output(calc_id).locator("[data-print-header]")
    expect(header).to_be_hidden()  # on screen
    page.emulate_media(media="print")
    try:
        expect(header).to_be_visible()
        expect(header).to_have_text(
            re.compile(
                rf"^{re.escape(CALCULATORS[calc_id].title)}: computed \d{{4}}-\d\d-\d\d "
                rf"\d\d:\d\d UTC by the baclofen dosing site, version {re.escape(version)}, "
                r"for the values above\. Printed .* UTC\. Link to this case: http\S*"
                rf"{re.escape(calc_id)}\.{name}=40"
            )
        )
    finally:
        page.emulate_media(media="screen")
    warm.set(calc_id, name, "7,5")
    assert warm.settle(calc_id) == "error"
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    expect(header).to_have_text(
        re.compile(r"^NOT CURRENT: the result below is NOT for the values above\. Printed ")
    )
    expect(header).to_have_attribute("data-stale", "true")


def test_without_javascript_the_static_result_is_readable(
    browser: Browser, base_url: str, calculator_pages: dict[str, str]
) -> None:
    """JavaScript off: the form, the build's result and the Python panel are all there."""
    context, _ = new_context(browser, java_script_enabled=False)
    page = context.new_page()
    for calc_id in ("oral-titration", "itb-refill"):
        page.goto(base_url + calculator_pages[calc_id])
        form = page.locator(f'form[data-calculator="{calc_id}"]')
        output = form.locator("[data-calculator-output]")
        expect(output).to_have_attribute("data-state", "static")
        expect(output.locator("[data-calculator-result] .calc-summary")).to_be_visible()
        expect(output.locator("[data-calculator-status]")).to_contain_text("default values")
        expect(form.locator("[data-calculator-actions]")).to_be_hidden()
        # QA D22: the fields cannot take a value the build's result is not for, and say why.
        controls = form.locator(".calc-field [name]")
        assert controls.count() > 0
        for i in range(controls.count()):
            expect(controls.nth(i)).to_be_disabled()
        expect(form.locator(".calc-noscript")).to_be_visible()
        expect(form.locator(".calc-noscript")).to_contain_text("JavaScript is off")
        expect(output.locator("[data-calculator-status]")).to_have_text(
            "Result for the default values above, computed when this page was built."
        )
        panel = page.locator(f"#calculator-{calc_id} details.calc-python")
        panel.locator("summary").click()
        expect(panel.locator("pre code")).to_contain_text("def ")
    context.close()


def test_with_javascript_the_fields_are_enabled_once_bound(warm: Calculators) -> None:
    """Control for the JavaScript-off test: once bound, every field takes input; no note."""
    form = warm.open("oral-titration")
    controls = form.locator(".calc-field [name]")
    for i in range(controls.count()):
        expect(controls.nth(i)).to_be_enabled()
    # Instant navigation parses the page with scripting off, so the note may be an element,
    # but a <noscript> is not shown with JavaScript on.
    expect(form.locator(".calc-noscript")).to_be_hidden()


def _tamper(route: Route) -> None:
    """Serve the wheel with one byte changed: its sha256 no longer matches the lock file."""
    response = route.fetch()
    body = bytearray(response.body())
    body[-1] ^= 0xFF
    route.fulfill(response=response, body=bytes(body))


@pytest.mark.parametrize(
    ("pattern", "handler"),
    [("**/pyodide.asm.wasm", lambda route: route.abort()), ("**/*.whl", _tamper)],
    ids=["runtime-unreachable", "wheel-tampered"],
)
def test_engine_failure_falls_back_to_static_honestly(
    browser: Browser, base_url: str, calculator_pages: dict[str, str], pattern: str, handler
) -> None:
    """If the engine cannot start (no runtime; a wheel failing its sha256), say so.

    The build's result stays, said to be the defaults', and is marked stale in words once a
    value changes.
    """
    context, _ = new_context(browser, dedicated_worker=True)  # routes reach it
    context.route(pattern, handler)
    page = context.new_page()
    page.goto(base_url + calculator_pages["oral-to-iv"])
    form = page.locator('form[data-calculator="oral-to-iv"]')
    output = form.locator("[data-calculator-output]")
    expect(output).to_have_attribute("data-live", "failed", timeout=LIVE_TIMEOUT_MS)
    expect(output).to_have_attribute("data-state", "static")
    expect(output.locator("[data-calculator-status]")).to_contain_text("not available")
    assert output.get_attribute("data-result")  # the build's result is still there
    form.locator('[name="oral_daily_mg"]').fill("75")
    expect(output).to_have_attribute("data-stale", "")
    expect(output.locator("[data-calculator-status]")).to_contain_text("NOT the values above")
    context.close()
