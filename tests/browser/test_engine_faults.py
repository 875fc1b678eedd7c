"""The status never lies: a hung or dead worker, and a runtime that fails or stalls at start-up.

Faults are made from outside the page: Playwright's routing (a .wasm answered 404, cut
short, with the wrong MIME type, or never), Playwright's handle on the worker (a busy loop,
an uncaught error) and its fake clock for the start-up deadline. The deadlines are read from
calculator-client.js, never typed here. Service workers are blocked in these contexts so
that every request reaches the routes, and SharedWorker is hidden: the calculators use a
dedicated worker (as in Firefox and WebKit, and after a restart), which Playwright can
reach.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from browserkit import LIVE_TIMEOUT_MS, Calculators, alternate, new_context
from playwright.sync_api import expect

from calculators import calculate

if TYPE_CHECKING:
    from collections.abc import Callable

    from playwright.sync_api import Browser, Locator, Page, Route, Worker

pytestmark = pytest.mark.browser

CLIENT_JS = Path(__file__).resolve().parents[2] / "docs" / "assets" / "js" / "calculator-client.js"


def client_constants(*names: str) -> dict[str, int]:
    """Deadlines (ms) as calculator-client.js exports them: the module imported in Node."""
    program = (
        f"import * as c from {json.dumps(CLIENT_JS.as_uri())};"
        f"process.stdout.write(JSON.stringify(Object.fromEntries({json.dumps(names)}"
        ".map((n) => [n, c[n]]))));"
    )
    done = subprocess.run(  # noqa: S603 - node on the project's own module
        [shutil.which("node") or "node", "--input-type=module", "-e", program],
        capture_output=True,
        text=True,
        check=True,
    )
    values = json.loads(done.stdout)
    for name in names:
        assert isinstance(values.get(name), int), f"calculator-client.js exports no {name}"
    return values


_DEADLINES = client_constants("RUN_DEADLINE_MS", "STARTUP_DEADLINE_MS", "STARTUP_SLOW_MS")
RUN_DEADLINE_MS = _DEADLINES["RUN_DEADLINE_MS"]
STARTUP_DEADLINE_MS = _DEADLINES["STARTUP_DEADLINE_MS"]
STARTUP_SLOW_MS = _DEADLINES["STARTUP_SLOW_MS"]
# A fault's message must be up within its deadline plus this (the page's own work).
MARGIN_MS = 10_000

CALC = "oral-to-iv"
OTHER = "oral-taper"  # on another page: reached by instant navigation


def calculator_worker(page: Page, exclude: tuple[Worker, ...] = ()) -> Worker:
    """The page's (current) calculator worker."""
    workers = [w for w in page.workers if "calculator-worker" in w.url and w not in exclude]
    assert len(workers) == 1, [w.url for w in page.workers]
    return workers[0]


def status(cal: Calculators, calc_id: str) -> Locator:
    """The form's status line."""
    return cal.output(calc_id).locator("[data-calculator-status]")


def test_hung_then_dead_worker_restarts_once_then_says_unavailable(
    browser: Browser, base_url: str, calculator_pages: dict[str, str]
) -> None:
    """A hung worker: "Not updated" within the deadline, one restart, live again.

    The restarted worker then dies (an uncaught error): every form says the live calculator
    is unavailable and what its result is for, here and on the next page, with no third
    worker.
    """
    context, _ = new_context(browser, service_workers="block", dedicated_worker=True)
    page = context.new_page()
    cal = Calculators(page, base_url, calculator_pages)
    cal.goto(CALC)
    first = calculator_worker(page)
    name = "oral_daily_mg"

    # Hold the restarted worker's script until the "not updated" state has been checked.
    held: list[Route] = []
    page.route("**/calculator-worker.js", lambda route: held.append(route))  # noqa: PLW0108  # Playwright cannot wrap a builtin
    first.evaluate("setTimeout(() => { for (;;); }, 0)")  # busy for ever: hung, not dead
    value = alternate(CALC, name)
    cal.set(CALC, name, value)
    output = cal.output(CALC)
    expect(status(cal, CALC)).to_contain_text(
        "Not updated: the calculator worker gave no answer within",
        timeout=RUN_DEADLINE_MS + MARGIN_MS,
    )
    expect(status(cal, CALC)).to_contain_text("NOT the values above")
    expect(output).to_have_attribute("aria-busy", "false")
    expect(output).to_have_attribute("data-stale", "")
    assert cal.result(CALC) == calculate(CALC, {})  # the old result, marked, not replaced
    page.wait_for_function("() => window.baclofenCalculators.workersCreated === 2")
    assert len(held) == 1
    held[0].continue_()
    page.unroute("**/calculator-worker.js")

    expect(output).to_have_attribute("data-state", "ready", timeout=LIVE_TIMEOUT_MS)
    expect(output).not_to_have_attribute("data-stale", "")
    assert cal.result(CALC) == calculate(CALC, {name: value})
    assert page.evaluate("window.baclofenCalculators.restarts") == 1

    second = calculator_worker(page, exclude=(first,))
    second.evaluate("setTimeout(() => { throw new Error('worker crashed on purpose'); }, 0)")
    expect(output).to_have_attribute("data-live", "failed", timeout=RUN_DEADLINE_MS + MARGIN_MS)
    expect(status(cal, CALC)).to_contain_text("The live calculator is not available")
    expect(status(cal, CALC)).to_contain_text("worker crashed on purpose")
    expect(status(cal, CALC)).to_contain_text("for the values above")  # still its values
    expect(output).to_have_attribute("aria-busy", "false")
    cal.set(CALC, name, "50")
    expect(output).to_have_attribute("data-stale", "")
    expect(status(cal, CALC)).to_contain_text("for earlier values, NOT the values above")

    cal.visit(calculator_pages[OTHER])
    other = cal.output(OTHER)
    expect(other).to_have_attribute("data-live", "failed")
    expect(other).to_have_attribute("data-state", "static")
    expect(other).to_have_attribute("aria-busy", "false")
    expect(status(cal, OTHER)).to_contain_text("The live calculator is not available")
    expect(status(cal, OTHER)).to_contain_text("computed when this page was built")
    assert cal.result(OTHER) == calculate(OTHER, {})
    assert page.evaluate("window.baclofenCalculators.workersCreated") == 2
    context.close()


def test_silently_closed_worker_is_detected_and_restarted(
    browser: Browser, base_url: str, calculator_pages: dict[str, str]
) -> None:
    """A worker that stops without an error event is caught by the deadline and replaced."""
    context, _ = new_context(browser, service_workers="block", dedicated_worker=True)
    page = context.new_page()
    cal = Calculators(page, base_url, calculator_pages)
    cal.goto(CALC)
    calculator_worker(page).evaluate("setTimeout(() => self.close(), 0)")
    name = "doses_per_day"
    value = alternate(CALC, name)
    started = page.evaluate("performance.now()")
    cal.set(CALC, name, value)
    output = cal.output(CALC)
    page.wait_for_function(
        "() => window.baclofenCalculators.restarts === 1", timeout=RUN_DEADLINE_MS + MARGIN_MS
    )
    expect(output).to_have_attribute("aria-busy", "false", timeout=LIVE_TIMEOUT_MS)
    expect(output).to_have_attribute("data-state", "ready")
    assert cal.result(CALC) == calculate(CALC, {name: value})
    assert page.evaluate("window.baclofenCalculators.workersCreated") == 2
    assert page.evaluate("performance.now()") - started >= RUN_DEADLINE_MS  # by the deadline
    context.close()


def test_lost_worker_marks_the_result_stale_at_once(
    browser: Browser, base_url: str, calculator_pages: dict[str, str]
) -> None:
    """A silently lost worker: the next change marks the result stale at once, not "Live" (D8).

    The loss itself is only found at the run deadline; meanwhile the result is for the old
    values, and the status, the frame and the Copy button must say so within a moment.
    """
    context, _ = new_context(browser, service_workers="block", dedicated_worker=True)
    page = context.new_page()
    cal = Calculators(page, base_url, calculator_pages)
    cal.goto(CALC)
    calculator_worker(page).evaluate("setTimeout(() => self.close(), 0)")
    name = "doses_per_day"
    value = alternate(CALC, name)
    started = page.evaluate("performance.now()")
    cal.set(CALC, name, value)
    output = cal.output(CALC)
    expect(output).to_have_attribute("data-stale", "", timeout=RUN_DEADLINE_MS // 4)
    expect(status(cal, CALC)).to_have_text(
        "Updating… The result below is for earlier values, NOT the values above."
    )
    expect(cal.form(CALC).locator('[data-action="copy"]')).to_be_disabled()
    assert page.evaluate("window.baclofenCalculators.restarts") == 0  # before the deadline
    assert page.evaluate("performance.now()") - started < RUN_DEADLINE_MS / 2
    page.wait_for_function(
        "() => window.baclofenCalculators.restarts === 1", timeout=RUN_DEADLINE_MS + MARGIN_MS
    )
    expect(output).to_have_attribute("aria-busy", "false", timeout=LIVE_TIMEOUT_MS)
    expect(output).not_to_have_attribute("data-stale", "")
    assert cal.result(CALC) == calculate(CALC, {name: value})
    context.close()


def _truncated(route: Route) -> None:
    response = route.fetch()
    body = response.body()
    route.fulfill(response=response, body=body[: len(body) // 2])


def _octet_stream(route: Route) -> None:
    response = route.fetch()
    headers = {**response.headers, "content-type": "application/octet-stream"}
    route.fulfill(response=response, headers=headers)


def _not_found(route: Route) -> None:
    route.fulfill(status=404, content_type="text/html", body="<h1>Not Found</h1>")


@pytest.mark.parametrize(
    ("handler", "cause"),
    [
        (_not_found, "the server answered HTTP 404 for pyodide.asm.wasm"),
        (_truncated, "pyodide.asm.wasm is damaged or incomplete"),
        (_octet_stream, "the server must send .wasm files as application/wasm"),
    ],
    ids=["404", "truncated", "octet-stream"],
)
def test_failing_wasm_names_the_cause_in_time(
    browser: Browser,
    base_url: str,
    calculator_pages: dict[str, str],
    handler: Callable[[Route], None],
    cause: str,
) -> None:
    """A runtime that cannot compile: the cause in words, within the start-up deadline.

    The build's result stays, said to be the defaults', and aria-busy is cleared.
    """
    context, watch = new_context(browser, service_workers="block", dedicated_worker=True)
    context.route("**/pyodide.asm.wasm", handler)
    page = context.new_page()
    page.goto(base_url + calculator_pages[CALC])
    output = page.locator(f'form[data-calculator="{CALC}"] [data-calculator-output]')
    expect(output).to_have_attribute("data-live", "failed", timeout=STARTUP_DEADLINE_MS)
    line = output.locator("[data-calculator-status]")
    expect(line).to_contain_text("The live calculator is not available")
    expect(line).to_contain_text(cause)
    expect(line).to_contain_text("computed when this page was built, is for the default values")
    expect(output).to_have_attribute("data-state", "static")
    expect(output).to_have_attribute("aria-busy", "false")
    assert page.evaluate("window.baclofenCalculators.workersCreated") == 1  # not retried
    # The cause went to the console too, as one error.
    assert any("unavailable" in e and cause in e for e in watch.errors), watch.errors
    context.close()


def test_stalled_start_up_gives_up_at_its_deadline(
    browser: Browser, base_url: str, calculator_pages: dict[str, str]
) -> None:
    """A .wasm request that never answers: "slow" after STARTUP_SLOW_MS, failed at the deadline.

    The page's clock is Playwright's, paused once the page is loading and then fast-forwarded:
    the deadline is the page's own timer.
    """
    context, _ = new_context(browser, service_workers="block", dedicated_worker=True)
    held: list[Route] = []
    context.route("**/pyodide.asm.wasm", lambda route: held.append(route))  # noqa: PLW0108  # never answered; Playwright cannot wrap a builtin
    page = context.new_page()
    page.clock.install()
    wasm = lambda request: request.url.endswith("/pyodide.asm.wasm")  # noqa: E731
    with context.expect_event("request", wasm, timeout=LIVE_TIMEOUT_MS):
        page.goto(base_url + calculator_pages[CALC])
    output = page.locator(f'form[data-calculator="{CALC}"] [data-calculator-output]')
    line = output.locator("[data-calculator-status]")
    expect(output).to_have_attribute("data-state", "loading")
    # From here on the page's time moves only when the test moves it. Until now it flowed with
    # real time since the client set its timers, which on a loaded machine can be over a second
    # (CI once saw the deadline fire inside a 1 s margin); MARGIN_MS leaves room for that.
    page.clock.pause_at((page.evaluate("Date.now()") + 500) / 1000)
    page.clock.fast_forward(STARTUP_SLOW_MS)
    expect(line).to_contain_text("Still starting the live calculator after")
    expect(output).not_to_have_attribute("data-live", "failed")
    page.clock.fast_forward(STARTUP_DEADLINE_MS - STARTUP_SLOW_MS - MARGIN_MS)
    expect(output).not_to_have_attribute("data-live", "failed")
    page.clock.fast_forward(MARGIN_MS + 1_000)
    expect(output).to_have_attribute("data-live", "failed")
    expect(line).to_contain_text(f"did not start within {STARTUP_DEADLINE_MS // 1000} s")
    expect(line).to_contain_text("the network may have stalled")
    expect(output).to_have_attribute("aria-busy", "false")
    expect(output).to_have_attribute("data-state", "static")
    context.close()


def test_missing_worker_script_fails_at_once(
    browser: Browser, base_url: str, calculator_pages: dict[str, str]
) -> None:
    """The worker script itself answered 404: start-up fails with that said, not a wait."""
    context, _ = new_context(browser, service_workers="block", dedicated_worker=True)
    context.route("**/calculator-worker.js", _not_found)
    page = context.new_page()
    page.goto(base_url + calculator_pages[CALC])
    output = page.locator(f'form[data-calculator="{CALC}"] [data-calculator-output]')
    expect(output).to_have_attribute("data-live", "failed", timeout=MARGIN_MS)
    line = output.locator("[data-calculator-status]")
    expect(line).to_contain_text("the calculator worker could not start")
    expect(output).to_have_attribute("data-state", "static")
    expect(output).to_have_attribute("aria-busy", "false")
    assert page.evaluate("window.baclofenCalculators.restarts") == 0
    context.close()
