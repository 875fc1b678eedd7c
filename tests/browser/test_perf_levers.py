"""The start-up and recalculation levers of bench/README.md (the lab notebook), each shown to work.

How fast they make the site is the benchmark's business (``make bench``); these tests check
that each one does what it claims, in the browser:

- the inline early start (``sitebuild/finish_head.py``) creates the worker while ``<head>`` is
  read, before Material's bundle, under the hosting Content-Security-Policy (the build's,
  sent as a header), and the page adopts that worker; under a policy without its hash the
  page starts a worker of its own and is live all the same;
- the memory snapshot is stored without the page ever being left idle;
- on a calculator page Material's search index is requested once the calculator answered,
  at once when the reader goes to the search box, and at the latest after
  ``SEARCH_WAIT_MAX_MS``; elsewhere at once;
- recalculation is latest-input-wins: one request in flight per form, a burst of inputs
  costs two calculations, and no result is ever shown for values other than the form's;
- an answer identical to the result shown (the first answer on every page load, for the
  build's values) leaves the page's elements as they are.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import time
from typing import TYPE_CHECKING, Any

import pytest
from browserkit import LIVE_TIMEOUT_MS, Calculators, expected, new_context
from playwright.sync_api import expect

from sitebuild import finish_head, names

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Route

pytestmark = pytest.mark.browser

CALC = "oral-titration"
FIELD = "target_daily_mg"
SNAPSHOT_CACHE = "baclofen-pyodide-snapshot"  # snapshot.js CACHE_NAME

# Before any page script: when each worker is created (and what had run by then), every CSP
# violation, and every run request posted to a worker with the replies to it.
_RECORDER = """(() => {
  const R = { workers: [], violations: [], posts: [], replies: [], inflightMax: 0, inflight: 0 };
  Object.defineProperty(window, "__levers", { value: R });
  document.addEventListener("securitypolicyviolation", (e) => {
    R.violations.push({ directive: e.effectiveDirective, blocked: e.blockedURI, sample: e.sample });
  });
  const Native = window.Worker;
  window.Worker = class extends Native {
    constructor(url, options) {
      super(url, options);
      R.workers.push({
        url: String(url),
        readyState: document.readyState,
        // Material's bundle is the script at the end of <body>: not parsed yet?
        bundle: document.querySelector('script[src*="javascripts/bundle."]') !== null,
        body: document.body !== null,
      });
      this.addEventListener("message", (event) => {
        if (event.data && event.data.type === "result") {
          R.replies.push(event.data.id);
          R.inflight -= 1;
        }
      });
    }
    postMessage(message, transfer) {
      if (message && message.type === "run") {
        R.posts.push({ id: message.id, inputs: message.inputs });
        R.inflight += 1;
        R.inflightMax = Math.max(R.inflightMax, R.inflight);
      }
      return super.postMessage(message, transfer);
    }
  };
  const NativeShared = window.SharedWorker;
  if (typeof NativeShared === "function") {
    window.SharedWorker = class extends NativeShared {
      constructor(url, options) {
        super(url, options); // the feature check's unparsable URL throws here
        R.workers.push({
          url: String(url), shared: true, name: options && options.name,
          extendedLifetime: options && options.extendedLifetime,
          readyState: document.readyState,
          bundle: document.querySelector('script[src*="javascripts/bundle."]') !== null,
          body: document.body !== null,
        });
      }
    };
  }
})();"""


def inline_hash() -> str:
    """The CSP hash of the inline early start, as a browser computes it."""
    digest = hashlib.sha256(finish_head.EARLY_INLINE.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def calculator_workers(levers: dict[str, Any]) -> list[dict[str, Any]]:
    """The calculator workers the page created (Material has a search worker too)."""
    return [w for w in levers["workers"] if w["url"].endswith("/assets/js/calculator-worker.js")]


def with_policy(policy: str) -> Any:
    """A route handler that serves the page with ``policy`` as its CSP header."""

    def handle(route: Route) -> None:
        response = route.fetch()
        headers = {**response.headers, "content-security-policy": policy}
        route.fulfill(response=response, headers=headers)

    return handle


def open_live(
    browser: Browser,
    base_url: str,
    calculator_pages: dict[str, str],
    policy: str | None,
    *,
    dedicated_worker: bool = True,
) -> tuple[Page, Calculators, list[str]]:
    """The calculator page, live, in a new context with the recorder, served with ``policy``.

    Service workers are blocked: every file comes from the server, under the policy. The
    calculators use a dedicated worker (whose messages the recorder sees) unless
    ``dedicated_worker`` is false.
    """
    context, watch = new_context(
        browser, service_workers="block", dedicated_worker=dedicated_worker
    )
    context.add_init_script(script=_RECORDER)
    page = context.new_page()
    if policy is not None:
        page.route(base_url + calculator_pages[CALC], with_policy(policy))
    cal = Calculators(page, base_url, calculator_pages)
    cal.goto(CALC)
    return page, cal, watch.errors


def test_early_worker_starts_in_head_under_the_hosting_policy(
    browser: Browser,
    base_url: str,
    site_manifest: dict[str, Any],
    calculator_pages: dict[str, str],
) -> None:
    """Under the build's policy the inline script runs: one worker, created before Material."""
    policy = site_manifest["csp"]["policy"]  # what the launcher and the hosting guide send
    assert inline_hash() in policy.split("script-src", 1)[1].split(";", 1)[0]
    page, cal, errors = open_live(browser, base_url, calculator_pages, policy)
    levers = page.evaluate("window.__levers")
    assert levers["violations"] == []
    workers = calculator_workers(levers)
    assert len(workers) == 1, levers["workers"]
    worker = workers[0]
    assert worker["readyState"] == "loading", worker  # while the document was being parsed
    assert worker["body"] is False, worker  # from <head>
    assert worker["bundle"] is False, worker  # before Material's bundle
    stats = page.evaluate("window.baclofenCalculators")
    assert stats["early"] is True, stats
    assert stats["workersCreated"] == 1, stats
    assert cal.output(CALC).get_attribute("data-state") == "ready"
    assert cal.result(CALC) == expected(CALC, {})
    assert errors == []
    page.context.close()


def test_a_reload_finds_the_shared_worker_running(
    browser: Browser,
    base_url: str,
    site_manifest: dict[str, Any],
    calculator_pages: dict[str, str],
) -> None:
    """Where SharedWorker keeps its extended lifetime (Chromium): Python outlives the page.

    The inline start creates a shared worker named by the build's lock file, from <head>;
    a reload, and then another calculator page opened as a new document, connect to the
    Python already running (start "running"), live and equal to CPython, with no new start.
    """
    page, cal, errors = open_live(
        browser, base_url, calculator_pages, site_manifest["csp"]["policy"], dedicated_worker=False
    )
    levers = page.evaluate("window.__levers")
    workers = calculator_workers(levers)
    assert len(workers) == 1, levers["workers"]
    worker = workers[0]
    assert worker["shared"] is True, worker
    assert worker["extendedLifetime"] is True, worker
    lock = site_manifest_lock(page)
    assert worker["name"] == f"baclofen-calculators {lock}", worker
    assert worker["body"] is False, worker  # from <head>
    stats = page.evaluate("window.baclofenCalculators")
    assert (stats["shared"], stats["early"], stats["start"]) == (True, True, "normal"), stats
    assert cal.result(CALC) == expected(CALC, {})

    cal.goto(CALC)  # a new document: the old page is gone
    stats = page.evaluate("window.baclofenCalculators")
    assert (stats["shared"], stats["start"], stats["startReason"]) == (True, "running", None), stats
    assert cal.result(CALC) == expected(CALC, {})
    cal.set(CALC, FIELD, "40")
    assert cal.settle(CALC) == "ready"
    assert cal.result(CALC) == expected(CALC, {FIELD: "40"})

    other = next(c for c, url in calculator_pages.items() if url != calculator_pages[CALC])
    cal.goto(other)
    stats = page.evaluate("window.baclofenCalculators")
    assert stats["start"] == "running", stats
    assert cal.result(other) == expected(other, {})
    assert errors == []
    page.context.close()


def site_manifest_lock(page: Page) -> str:
    """The absolute URL of the lock file the page names (the shared worker's name has it)."""
    return page.evaluate(
        """() => new URL(document.querySelector('meta[name="baclofen-calculators"]')
             .dataset.pyodideLock, document.baseURI).href"""
    )


def test_a_policy_without_its_hash_still_gives_a_live_calculator(
    browser: Browser,
    base_url: str,
    site_manifest: dict[str, Any],
    calculator_pages: dict[str, str],
) -> None:
    """A host whose policy lacks the inline hash: the page starts a worker of its own.

    The inline script is refused; calculators-early.js starts the worker after the first
    paint, and the calculator is live and right.
    """
    policy = site_manifest["csp"]["policy"].replace(" " + inline_hash(), "")
    assert inline_hash() not in policy
    page, cal, errors = open_live(browser, base_url, calculator_pages, policy)
    levers = page.evaluate("window.__levers")
    refused = [v for v in levers["violations"] if v["directive"] == "script-src-elem"]
    assert refused, levers["violations"]
    assert all(v["blocked"] == "inline" for v in refused), levers["violations"]
    workers = calculator_workers(levers)
    assert len(workers) == 1, levers["workers"]
    assert workers[0]["bundle"] is True, workers  # not from <head>
    stats = page.evaluate("window.baclofenCalculators")
    assert stats["early"] is False, stats
    assert stats["workersCreated"] == 1, stats
    assert cal.result(CALC) == expected(CALC, {})
    # The refusal is the browser's console error, and the only one.
    assert errors, "the refused inline script was not reported"
    assert all("Content Security Policy" in e for e in errors), errors
    page.context.close()


def _stored_snapshot(page: Page) -> dict[str, Any] | None:
    return page.evaluate(
        """async (name) => {
          const keys = await (await caches.open(name)).keys();
          return keys.length === 1 ? { url: keys[0].url } : null;
        }""",
        SNAPSHOT_CACHE,
    )


def test_snapshot_is_stored_while_the_reader_keeps_typing(
    browser: Browser, base_url: str, calculator_pages: dict[str, str]
) -> None:
    """The snapshot does not wait for the page to fall idle.

    It is stored after the first answer even while the form is changed without a pause,
    and the next document restores it.
    """
    page, cal, _ = open_live(browser, base_url, calculator_pages, None)
    values = ["40", "60", "80", "30"]
    deadline = time.monotonic() + LIVE_TIMEOUT_MS / 1000
    edits = 0
    while _stored_snapshot(page) is None:
        assert time.monotonic() < deadline, f"no snapshot after {edits} edits"
        value = values[edits % len(values)]
        cal.set(CALC, FIELD, value)
        assert cal.settle(CALC) == "ready"
        assert cal.result(CALC) == expected(CALC, {FIELD: value})
        edits += 1
    cal.goto(CALC)  # a new document and worker
    started = page.evaluate(
        "({start: baclofenCalculators.start, reason: baclofenCalculators.startReason})"
    )
    assert started == {"start": "snapshot", "reason": None}
    assert cal.result(CALC) == expected(CALC, {})
    page.context.close()


# Set the field to each value in one task (no reply can arrive in between), record every
# result put up together with the field's value at that moment, and wait for the last.
_BURST_JS = """async ({ calc, field, values }) => {
  const form = document.querySelector(`form[data-calculator="${calc}"]`);
  const input = form.querySelector(`[name="${field}"]`);
  const out = form.querySelector("[data-calculator-output]");
  const shown = [];
  const mo = new MutationObserver(() => {
    if (out.getAttribute("data-state") === "ready" && !out.hasAttribute("data-stale")) {
      const result = JSON.parse(out.getAttribute("data-result"));
      shown.push({ field: input.value, result: result.inputs[field] });
    }
  });
  mo.observe(out, { attributes: true, attributeFilter: ["data-result", "data-state"] });
  const before = window.__levers.posts.length;
  for (const value of values) {
    input.value = value;
    input.dispatchEvent(new Event("input", { bubbles: true }));
  }
  await new Promise((resolve) => {
    const check = () =>
      out.getAttribute("aria-busy") === "false" ? resolve() : setTimeout(check, 5);
    check();
  });
  mo.disconnect();
  const R = window.__levers;
  return { shown, posts: R.posts.slice(before), inflightMax: R.inflightMax };
}"""


def test_latest_input_wins(
    browser: Browser, base_url: str, calculator_pages: dict[str, str]
) -> None:
    """A burst of inputs costs two calculations, and only the last values are shown.

    The first input is sent at once, the rest wait for its answer, which is not shown (the
    values changed); then the last values are sent and shown. Never more than one request
    in flight, never a result for values other than those in the form.
    """
    page, cal, errors = open_live(browser, base_url, calculator_pages, None)
    values = ["20", "30", "40", "50", "60", "70", "80"]
    burst = page.evaluate(_BURST_JS, {"calc": CALC, "field": FIELD, "values": values})
    sent = [post["inputs"][FIELD] for post in burst["posts"]]
    assert sent == [values[0], values[-1]], burst["posts"]
    assert burst["inflightMax"] == 1, burst
    last = expected(CALC, {FIELD: values[-1]})
    assert cal.result(CALC) == last
    assert burst["shown"], burst  # the last result was put up
    for shown in burst["shown"]:
        assert json.dumps(shown["result"]) == json.dumps(
            expected(CALC, {FIELD: shown["field"]})["inputs"][FIELD]
        ), burst["shown"]
    # Input by input, with the answers in between: each one is shown, in order.
    for value in ("35", "45"):
        cal.set(CALC, FIELD, value)
        assert cal.settle(CALC) == "ready"
        assert cal.result(CALC) == expected(CALC, {FIELD: value})
    assert errors == []
    page.context.close()


# Once the page is parsed (before calculators.js binds a form): each result's elements tagged.
_TAG_BUILT = """document.addEventListener("DOMContentLoaded", () => {
  for (const e of document.querySelectorAll("[data-calculator-result] > *")) e.__built = true;
});"""
_BUILT_LEFT = """calc => [...document.querySelectorAll(
  `form[data-calculator="${calc}"] [data-calculator-result] > *`)].map((e) => e.__built === true)"""


def test_an_answer_identical_to_the_result_shown_is_not_swapped_in(
    browser: Browser, base_url: str, calculator_pages: dict[str, str]
) -> None:
    """The first answer, for the build's values, leaves the build's elements in place.

    Swapping identical HTML in would only make the browser style and lay the result out
    again (issue 27). Control: an answer for a changed value replaces them.
    """
    context, watch = new_context(browser, service_workers="block", dedicated_worker=True)
    context.add_init_script(script=_TAG_BUILT)
    page = context.new_page()
    cal = Calculators(page, base_url, calculator_pages)
    cal.goto(CALC)
    expect(cal.output(CALC)).to_have_attribute(
        "data-result", re.compile("."), timeout=LIVE_TIMEOUT_MS
    )
    assert cal.result(CALC) == expected(CALC, {})
    built = page.evaluate(_BUILT_LEFT, CALC)
    assert built, "the result has no elements"
    assert all(built), built
    cal.set(CALC, FIELD, "35")
    assert cal.settle(CALC) == "ready"
    assert cal.result(CALC) == expected(CALC, {FIELD: "35"})
    assert not any(page.evaluate(_BUILT_LEFT, CALC))  # control: a new answer is swapped in
    assert watch.errors == []
    context.close()


# Before any page script: every call of navigator.serviceWorker.register, with what the page
# had reached by then.
_REGISTER_RECORDER = """(() => {
  const calls = [];
  Object.defineProperty(window, "__registers", { value: calls });
  const container = window.ServiceWorkerContainer && ServiceWorkerContainer.prototype;
  if (!container) return;
  const native = container.register;
  container.register = function (...args) {
    calls.push({
      readyState: document.readyState,
      engine: document.documentElement.getAttribute("data-calculators-engine"),
      firstResultMs: window.baclofenCalculators ? window.baclofenCalculators.firstResultMs : null,
      at: performance.now(),
      controlled: navigator.serviceWorker.controller !== null,
    });
    return native.apply(this, args);
  };
})();"""
ENGINE_WAIT_MAX_MS = names.ENGINE_WAIT_MAX_MS  # register.js gets it from names.json
OFFLINE_DWELL_MS = names.OFFLINE_DWELL_MS  # likewise


def test_first_visit_registers_the_service_worker_once_the_calculator_answered(
    browser: Browser, base_url: str, calculator_pages: dict[str, str]
) -> None:
    """A first visit's offline copy waits for the first live result and OFFLINE_DWELL_MS.

    A page without a calculator registers at once, and so does a later visit to a calculator
    page once the service worker controls it (nothing then competes with Python's start).
    """
    context, watch = new_context(browser, dedicated_worker=True)  # service workers allowed
    context.add_init_script(script=_REGISTER_RECORDER)
    page = context.new_page()
    cal = Calculators(page, base_url, calculator_pages)
    cal.goto(CALC)
    page.wait_for_selector("html[data-offline-ready]", state="attached", timeout=90_000)
    calls = page.evaluate("window.__registers")
    assert len(calls) == 1, calls
    assert calls[0]["engine"] == "live", calls  # after the calculator answered
    assert calls[0]["firstResultMs"] is not None, calls
    # ... and the page stayed open OFFLINE_DWELL_MS more (timers never fire early).
    assert calls[0]["at"] - calls[0]["firstResultMs"] >= OFFLINE_DWELL_MS - 5, calls
    assert calls[0]["controlled"] is False, calls
    assert page.locator("html").get_attribute("data-offline-state") == "ready"
    assert cal.result(CALC) == expected(CALC, {})

    cal.goto(CALC)  # a new document, now under the service worker
    calls = page.evaluate("window.__registers")
    assert len(calls) == 1, calls
    assert (calls[0]["controlled"], calls[0]["readyState"], calls[0]["engine"]) == (
        True,
        "interactive",
        None,
    ), calls  # at once, while deferred scripts run: before any answer
    assert cal.result(CALC) == expected(CALC, {})
    assert watch.errors == []
    context.close()

    context, watch = new_context(browser)
    context.add_init_script(script=_REGISTER_RECORDER)
    page = context.new_page()
    page.goto(base_url)  # the home page: no calculator
    assert page.locator("form[data-calculator]").count() == 0
    page.wait_for_function("window.__registers.length === 1")
    calls = page.evaluate("window.__registers")
    assert (calls[0]["controlled"], calls[0]["readyState"]) == (False, "interactive"), calls
    page.wait_for_selector("html[data-offline-ready]", state="attached", timeout=90_000)
    assert watch.errors == []
    context.close()


def test_offline_copy_does_not_wait_forever_for_a_calculator_that_never_loads(
    browser: Browser, base_url: str, calculator_pages: dict[str, str]
) -> None:
    """calculators.js refused: the page stays static and registers after ENGINE_WAIT_MAX_MS."""
    context, _ = new_context(browser, dedicated_worker=True)
    context.add_init_script(script=_REGISTER_RECORDER)
    context.route("**/assets/js/calculators.js", lambda route: route.abort())
    page = context.new_page()
    page.clock.install()
    page.goto(base_url + calculator_pages[CALC])
    html = page.locator("html")
    expect(html).to_have_attribute("data-offline-state", "waiting")
    page.clock.fast_forward(ENGINE_WAIT_MAX_MS - 5_000)
    assert page.evaluate("window.__registers") == []
    expect(html).to_have_attribute("data-offline-state", "waiting")
    page.clock.fast_forward(5_000 + 1_000)
    page.wait_for_function("window.__registers.length === 1")
    calls = page.evaluate("window.__registers")
    assert (calls[0]["engine"], calls[0]["controlled"]) == (None, False), calls
    expect(html).not_to_have_attribute("data-offline-state", "waiting")
    context.close()


# Before any page script, beneath the inline early start's gate: each time Material's search
# index request is really sent, and what the page had reached by then.
_SEARCH_RECORDER = """(() => {
  const sent = [];
  Object.defineProperty(window, "__searchIndex", { value: sent });
  const proto = XMLHttpRequest.prototype, open = proto.open, send = proto.send;
  const urls = new WeakMap();
  proto.open = function (method, url, ...rest) {
    urls.set(this, new URL(String(url), location.href).pathname);
    return open.call(this, method, url, ...rest);
  };
  proto.send = function (...args) {
    if ((urls.get(this) || "").endsWith("/search/search_index.json")) {
      const active = document.activeElement;
      sent.push({
        engine: document.documentElement.getAttribute("data-calculators-engine"),
        inSearch: !!(active && active.closest && active.closest('form[name="search"]')),
      });
    }
    return send.apply(this, args);
  };
})();"""


def _search_finds(page: Page, query: str) -> int:
    """Open Material's search with its keyboard shortcut, type ``query``: how many results."""
    page.keyboard.press("/")
    page.keyboard.type(query)
    results = page.locator(".md-search-result__item")
    expect(results.first).to_be_visible(timeout=30_000)
    return results.count()


def test_search_index_waits_for_the_calculator_on_its_first_visit(
    browser: Browser, base_url: str, calculator_pages: dict[str, str]
) -> None:
    """On a calculator page the index is requested once the calculator answered; search works.

    On a page without a calculator it waits for the reader (issue 27): requested only when
    the search box is focused, and search then works.
    """
    context, watch = new_context(browser, dedicated_worker=True)
    context.add_init_script(script=_SEARCH_RECORDER)
    page = context.new_page()
    cal = Calculators(page, base_url, calculator_pages)
    cal.goto(CALC)
    page.wait_for_function("window.__searchIndex.length === 1", timeout=LIVE_TIMEOUT_MS)
    assert page.evaluate("window.__searchIndex") == [{"engine": "live", "inSearch": False}]
    assert cal.result(CALC) == expected(CALC, {})
    assert _search_finds(page, "intrathecal") > 0
    assert len(page.evaluate("window.__searchIndex")) == 1
    assert watch.errors == []
    context.close()

    context, watch = new_context(browser)
    context.add_init_script(script=_SEARCH_RECORDER)
    page = context.new_page()
    page.goto(base_url, wait_until="load")  # the home page: no calculator, no early start
    page.wait_for_timeout(1500)  # Material asks for the index as it starts: held
    assert page.evaluate("window.__searchIndex") == []
    assert _search_finds(page, "intrathecal") > 0
    assert page.evaluate("window.__searchIndex") == [{"engine": None, "inSearch": True}]
    assert watch.errors == []
    context.close()


def _stalled_calculator_page(browser: Browser) -> tuple[Any, Page, list[Route]]:
    """A new context recording the search index, whose calculator never starts.

    The worker script's request is held, never answered, so the calculator never settles.
    """
    context, _ = new_context(browser, dedicated_worker=True)
    context.add_init_script(script=_SEARCH_RECORDER)
    held: list[Route] = []
    context.route("**/assets/js/calculator-worker.js", lambda route: held.append(route))  # noqa: PLW0108  # never answered; Playwright cannot wrap a builtin
    return context, context.new_page(), held


def test_search_index_is_sent_at_once_when_the_reader_goes_to_search(
    browser: Browser, base_url: str, calculator_pages: dict[str, str]
) -> None:
    """The calculator still loading (its worker script held): focus on search releases it."""
    context, page, held = _stalled_calculator_page(browser)
    page.goto(base_url + calculator_pages[CALC])
    page.wait_for_load_state("load")
    page.wait_for_timeout(500)
    assert held, "the worker script was not requested"
    assert page.evaluate("window.__searchIndex") == []
    assert page.locator("html").get_attribute("data-calculators-engine") is None
    assert _search_finds(page, "intrathecal") > 0
    assert page.evaluate("window.__searchIndex") == [{"engine": None, "inSearch": True}]
    context.close()


def test_search_index_waits_at_most_search_wait_max_ms(
    browser: Browser, base_url: str, calculator_pages: dict[str, str]
) -> None:
    """A calculator that never settles, a reader who never searches: sent after the maximum."""
    context, page, held = _stalled_calculator_page(browser)
    page.clock.install()
    page.goto(base_url + calculator_pages[CALC])
    page.wait_for_load_state("load")
    assert held, "the worker script was not requested"
    page.clock.fast_forward(finish_head.SEARCH_WAIT_MAX_MS - 5_000)
    assert page.evaluate("window.__searchIndex") == []
    page.clock.fast_forward(5_000 + 1_000)
    page.wait_for_function("window.__searchIndex.length === 1")
    assert page.evaluate("window.__searchIndex") == [{"engine": None, "inSearch": False}]
    context.close()


def test_worker_loads_the_builds_compiled_standard_library(
    browser: Browser,
    base_url: str,
    calculator_pages: dict[str, str],
    site_manifest: dict[str, Any],
) -> None:
    """A cold start fetches the build's python_stdlib.zip, once, and no other standard library.

    (Its modules being bytecode that Pyodide loads is tests/site/test_wheel_bytecode.py's.)
    """
    stdlib = base_url.rstrip("/") + "/" + site_manifest["pyodide"]["stdlib"]
    # Without the service worker, whose precache (after the first answer) fetches it again.
    context, watch = new_context(browser, dedicated_worker=True, service_workers="block")
    requested: list[str] = []
    context.on("request", lambda request: requested.append(request.url))
    page = context.new_page()
    cal = Calculators(page, base_url, calculator_pages)
    cal.goto(CALC)
    assert cal.result(CALC) == expected(CALC, {})
    zips = [url for url in requested if url.endswith("/python_stdlib.zip")]
    assert zips == [stdlib], zips
    assert watch.errors == []
    context.close()
