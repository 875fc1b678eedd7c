"""Helpers for the browser tests: watch a context, fill and read the calculators.

Imported by ``conftest.py`` and the test modules (pytest puts this directory on sys.path).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from playwright.sync_api import Browser, BrowserContext, Locator, Page, Request, expect

from calculators import CALCULATORS, InputError, calculate
from calculators.spec import Field, format_number

# Pyodide's first start downloads ~13 MB and compiles the wasm: generous, but a bound.
LIVE_TIMEOUT_MS = 90_000
SETTLE_TIMEOUT_MS = 20_000

# What the tests measured; conftest prints it at the end of the run.
MEASUREMENTS: dict[str, Any] = {}


@dataclass
class Watch:
    """Console errors, page errors and failed responses seen by one context."""

    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)  # every request, service worker's too
    # Requests made for the page (its documents, scripts and workers), not by the site's
    # service worker precaching or forwarding them.
    page_requests: list[str] = field(default_factory=list)

    def attach_page(self, page: Page) -> None:
        """Record this page's console errors and uncaught exceptions."""
        page.on(
            "console",
            lambda msg: (
                self.errors.append(f"console.{msg.type}: {msg.text}")
                if msg.type == "error"
                else None
            ),
        )
        page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))

    def _request(self, request: Request) -> None:
        self.requests.append(request.url)
        if request.service_worker is None:
            self.page_requests.append(request.url)

    def attach_context(self, context: BrowserContext) -> None:
        """Record every request (pages and workers) and every 4xx/5xx response."""
        context.on("request", self._request)
        context.on(
            "response",
            lambda res: (
                self.errors.append(f"HTTP {res.status}: {res.url}") if res.status >= 400 else None
            ),
        )
        context.on("page", self.attach_page)


# A browser without shared workers, as the site sees Firefox and WebKit (no
# extendedLifetime) and a restarted engine: the calculators use a dedicated worker, which
# Playwright can reach (page.workers), route, and whose requests it reports. It does not
# report a shared worker's requests: tests that check every request the calculators make
# use a dedicated worker, which runs the same code and makes the same requests
# (calculator-worker.js serves both; only the page's channel to it differs).
NO_SHARED_WORKER_JS = (
    'Object.defineProperty(window, "SharedWorker", {value: undefined, configurable: true});'
)


def new_context(
    browser: Browser, *, dedicated_worker: bool = False, **options: Any
) -> tuple[BrowserContext, Watch]:
    """A fresh context (empty cache: a cold start) with its watcher attached.

    ``dedicated_worker``: hide SharedWorker, so that the page starts a dedicated worker.
    """
    context = browser.new_context(**options)
    if dedicated_worker:
        context.add_init_script(NO_SHARED_WORKER_JS)
    watch = Watch()
    watch.attach_context(context)
    return context, watch


def load_each_page_cleanly(
    browser: Browser, base: str, paths: list[str], settle_ms: int = 400
) -> None:
    """Load each page afresh (not by instant navigation): no console or page error on any.

    ``settle_ms`` after each load event, for what a page's scripts log after it.
    """
    context, watch = new_context(browser, dedicated_worker=True)
    try:
        page = context.new_page()
        for path in paths:
            before = len(watch.errors)
            page.goto(base + path, wait_until="load")
            page.wait_for_timeout(settle_ms)
            assert watch.errors[before:] == [], f"/{path}"
    finally:
        context.close()


def value_text(value: object) -> str:
    """A spec value as a form holds it (``5``, ``2.5``, ``mg/dL``)."""
    if isinstance(value, float | int) and not isinstance(value, bool):
        return format_number(value, 6)
    return str(value)


def alternate(calc_id: str, name: str) -> str:
    """A value for ``name``, not its default, that CPython accepts (others at defaults).

    Spec-driven: the nearest multiples of the step first, then further ones.
    """
    f = CALCULATORS[calc_id].field(name)
    if f.kind == "choice":
        candidates = [value_text(c.value) for c in f.choices if c.value != f.default]
    elif f.kind == "date":
        candidates = ["2025-03-01"]
    else:
        step = f.step or 1
        default = float(f.default) if f.default is not None else float(f.minimum or 0)
        candidates = []
        for k in range(1, 41):
            for value in (default + k * step, default - k * step):
                if (f.minimum is None or value >= f.minimum) and (
                    f.maximum is None or value <= f.maximum
                ):
                    candidates.append(value_text(value))
    for candidate in candidates:
        if "errors" not in expected(calc_id, {name: candidate}):
            return candidate
    raise AssertionError(f"no valid alternative value for {calc_id}.{name} in {candidates}")


def out_of_range(f: Field) -> str:
    """A value above ``f``'s maximum (a number field with a maximum)."""
    assert f.maximum is not None
    return value_text(f.maximum + (f.step or 1))


def expected(calc_id: str, inputs: dict[str, str]) -> dict[str, Any]:
    """What CPython answers for these raw inputs: the result, or ``{"errors": {field: msg}}``."""
    try:
        return calculate(calc_id, inputs)
    except InputError as exc:
        return {"errors": {e.field: e.message for e in exc.errors}}


class Calculators:
    """Open, fill and read the calculators of the built site in one page."""

    def __init__(self, page: Page, base: str, pages: dict[str, str]) -> None:
        """Drive ``page``; ``pages`` maps calculator ids to page paths."""
        self.page = page
        self.base = base
        self.pages = pages

    def form(self, calc_id: str) -> Locator:
        """The calculator's form."""
        return self.page.locator(f'form[data-calculator="{calc_id}"]')

    def output(self, calc_id: str) -> Locator:
        """The calculator's one output element."""
        return self.form(calc_id).locator("[data-calculator-output]")

    def goto(self, calc_id: str, query: str = "") -> Locator:
        """Load the calculator's page (a full navigation) and wait until it is live."""
        self.page.goto(self.base + self.pages[calc_id] + query)
        expect(self.output(calc_id)).to_have_attribute(
            "aria-busy", "false", timeout=LIVE_TIMEOUT_MS
        )
        return self.form(calc_id)

    def visit(self, path: str) -> None:
        """Go to ``path`` as a reader would: by clicking a link.

        Material's instant navigation turns the click into a content swap (the worker, and
        Pyodide, carry on).
        """
        target = self.base + path
        if not self.page.url.startswith(self.base):
            self.page.goto(target)
            return
        self.page.evaluate(
            """href => {
                window.__oldContainer = document.querySelector("[data-md-component=container]");
                const link = document.createElement("a");
                link.href = href;
                document.body.append(link);
                link.click();
                link.remove();
            }""",
            target,
        )
        self.page.wait_for_url(target)
        # The URL changes before the content is swapped in: wait for the new content.
        self.page.wait_for_function(
            """() => {
                const now = document.querySelector("[data-md-component=container]");
                return now !== null && now !== window.__oldContainer;
            }"""
        )

    def open(self, calc_id: str) -> Locator:
        """The calculator, live, with its default values.

        Its page is visited (instant navigation) if another page is showing; otherwise its
        form is reset, value by value.
        """
        target = self.base + self.pages[calc_id]
        form = self.form(calc_id)
        if self.page.url.split("?")[0].split("#")[0] != target:
            self.visit(self.pages[calc_id])
            expect(self.output(calc_id)).to_have_attribute(
                "aria-busy", "false", timeout=LIVE_TIMEOUT_MS
            )
            return form
        for f in CALCULATORS[calc_id].fields:
            self.set(calc_id, f.name, "" if f.default is None else value_text(f.default))
        self.settle(calc_id)
        return form

    def set(self, calc_id: str, name: str, value: str) -> None:
        """Put ``value`` into the field ``name`` as a user would (this fires input events)."""
        control = self.form(calc_id).locator(f'[name="{name}"]')
        if control.evaluate("el => el.tagName") == "SELECT":
            control.select_option(value)
        else:
            control.fill(value)

    def settle(self, calc_id: str) -> str:
        """Wait until the latest values have been answered; return ``data-state``."""
        output = self.output(calc_id)
        expect(output).to_have_attribute("aria-busy", "false", timeout=SETTLE_TIMEOUT_MS)
        return output.get_attribute("data-state") or ""

    def result(self, calc_id: str) -> dict[str, Any]:
        """The result JSON the output shows."""
        return json.loads(self.output(calc_id).get_attribute("data-result") or "null")

    def error(self, calc_id: str, name: str) -> Locator:
        """The error slot next to field ``name``."""
        return self.form(calc_id).locator(f'[data-error-for="{name}"]')


# The theme's table wrappers on a page (sitebuild/theme_start.py): tables without a class, how
# many sit in exactly the theme's wrapper, and how many wrappers are nested in another.
# The theme's table wrappers on a page. A calculator result's tables are left out of
# ``tables`` and ``wrapped``: they have their own scroll box (.calc-table-scroll, a named
# region), which the theme's wrapper inside it would nest (``in_box`` counts those).
TABLE_FACTS_JS = """() => {
  const mine = [...document.querySelectorAll("article table:not([class])")]
    .filter((table) => !table.closest(".calc-table-scroll"));
  return {
    html: document.documentElement.className,
    tables: mine.length,
    wrapped: mine.filter((table) => table.parentElement?.matches(
      ".md-typeset__scrollwrap > .md-typeset__table")).length,
    nested: document.querySelectorAll(".md-typeset__scrollwrap .md-typeset__scrollwrap").length,
    in_box: document.querySelectorAll(".calc-table-scroll .md-typeset__scrollwrap").length,
  };
}"""
