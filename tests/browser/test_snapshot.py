"""The memory snapshot (docs/assets/js/snapshot.js): restored on a later visit, never when bad.

A later visit restores Pyodide from the snapshot; a snapshot that is damaged or from another
build is never used.

One browser context for the module: its Cache Storage keeps the snapshot between visits.
The first visit starts Pyodide normally and, after its first answer, stores the snapshot;
each test then reloads the page (a new document and a new worker) and reads how the worker
started from
``window.baclofenCalculators.start`` ("snapshot" or "normal") and ``.startReason``.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import pytest
from browserkit import LIVE_TIMEOUT_MS, Calculators, Watch, expected, new_context

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import Browser, BrowserContext, Page

pytestmark = pytest.mark.browser

CALC = "oral-titration"
CACHE_NAME = "baclofen-pyodide-snapshot"  # snapshot.js CACHE_NAME

# The one snapshot kept, as {url, length, stored, answer, size}; null while there is none.
# `length` is the heap's, `stored` what was written (the heap without its zero pages).
_STORED_JS = """async (name) => {
  const cache = await caches.open(name);
  const keys = await cache.keys();
  if (keys.length !== 1) return null;
  const hit = await cache.match(keys[0]);
  return {
    url: keys[0].url,
    length: Number(hit.headers.get("x-snapshot-length")),
    stored: Number(hit.headers.get("x-snapshot-stored")),
    answer: hit.headers.get("x-snapshot-answer"),
    size: (await hit.arrayBuffer()).byteLength,
  };
}"""

# Replace the stored snapshot by a damaged copy (same headers unless the damage is in them).
_DAMAGE_JS = """async ([name, how]) => {
  const cache = await caches.open(name);
  const [request] = await cache.keys();
  const hit = await cache.match(request);
  const headers = new Headers(hit.headers);
  let bytes = new Uint8Array(await hit.arrayBuffer());
  let url = request.url;
  if (how === "truncated") {
    bytes = bytes.slice(0, bytes.length - 4096);
  } else if (how === "build-id") {
    // Bytes 16-47 of Pyodide's snapshot header hold the runtime's build id.
    for (let i = 16; i < 48; i++) bytes[i] ^= 0xff;
  } else if (how === "heap-zeroed") {
    // Everything after the header: a heap of zeros (a failed or half-finished write).
    const header = new Uint32Array(bytes.buffer, 0, 2)[1];
    bytes.fill(0, header);
  } else if (how === "wrong-answer") {
    headers.set("x-snapshot-answer", "0".repeat(64));
  } else if (how === "other-build") {
    // The same bytes filed under another wheel's sha256: a snapshot of an older release.
    url = url.replace(/\\/([0-9a-f]{64})\\?/, "/" + "0".repeat(64) + "?");
  } else {
    throw new Error("unknown damage " + how);
  }
  await cache.delete(request);
  await cache.put(url, new Response(bytes, { headers }));
  return url;
}"""


@pytest.fixture(scope="module")
def snapshot_context(browser: Browser) -> Iterator[tuple[BrowserContext, Watch]]:
    """A context of its own: the tests below fill and damage its Cache Storage."""
    # A dedicated worker: a shared one would survive between the visits below and be found
    # running; the snapshot is what a browser without it (or a restarted browser) gets.
    context, watch = new_context(browser, dedicated_worker=True)
    yield context, watch
    context.close()


@pytest.fixture(scope="module")
def calcs(
    snapshot_context: tuple[BrowserContext, Watch], base_url: str, calculator_pages: dict[str, str]
) -> Calculators:
    """The calculators page in the snapshot context."""
    context, _ = snapshot_context
    return Calculators(context.new_page(), base_url, calculator_pages)


def _start(page: Page) -> dict[str, Any]:
    return page.evaluate(
        "({start: baclofenCalculators.start, reason: baclofenCalculators.startReason})"
    )


def _wait_for_snapshot(page: Page, not_url: str | None = None) -> dict[str, Any]:
    """Wait until the worker has stored its snapshot (it does so after its first answer).

    Cache Storage is asynchronous and ``wait_for_function`` does not await a promise, so
    this polls the cache from Python, within the same bound as a start.
    """
    deadline = time.monotonic() + LIVE_TIMEOUT_MS / 1000
    while True:
        stored: dict[str, Any] | None = page.evaluate(_STORED_JS, CACHE_NAME)
        if stored and stored["url"] != not_url and stored["size"] == stored["stored"]:
            return stored
        if time.monotonic() > deadline:
            pytest.fail(f"no snapshot stored within {LIVE_TIMEOUT_MS} ms (last seen: {stored})")
        page.wait_for_timeout(250)


def _live_default_result(calcs: Calculators) -> dict[str, Any]:
    form = calcs.goto(CALC)
    assert form.locator("[data-calculator-output]").get_attribute("data-state") == "ready"
    return calcs.result(CALC)


def test_first_visit_starts_normally_and_stores_a_snapshot(calcs: Calculators) -> None:
    """A first visit has no snapshot: a normal start, then one snapshot is stored."""
    assert _live_default_result(calcs) == expected(CALC, {})
    assert _start(calcs.page) == {"start": "normal", "reason": "no snapshot yet"}
    stored = _wait_for_snapshot(calcs.page)
    assert stored["length"] > stored["size"] > 1_000_000, stored  # the heap less zero pages
    assert len(stored["answer"]) == 64, stored  # the known answer's SHA-256


def test_second_visit_restores_from_the_snapshot(calcs: Calculators) -> None:
    """A later visit (new document, new worker) restores Pyodide and gives the same result."""
    _wait_for_snapshot(calcs.page)
    assert _live_default_result(calcs) == expected(CALC, {})
    assert _start(calcs.page) == {"start": "snapshot", "reason": None}


def test_restored_worker_recalculates(calcs: Calculators) -> None:
    """After a restore the calculators still answer new values like CPython."""
    _live_default_result(calcs)
    assert _start(calcs.page)["start"] == "snapshot"
    calcs.set(CALC, "target_daily_mg", "40")
    assert calcs.settle(CALC) == "ready"
    assert calcs.result(CALC) == expected(CALC, {"target_daily_mg": "40"})


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        ("truncated", "snapshot not usable (Error: stored"),
        ("build-id", "snapshot not usable (Error: Snapshot build id mismatch"),
        ("heap-zeroed", "snapshot not usable ("),
        ("wrong-answer", "snapshot not usable (Error: the restored interpreter does not give"),
        ("other-build", "the snapshot is for another build"),
    ],
)
def test_damaged_or_stale_snapshot_falls_back_to_a_normal_start(
    calcs: Calculators, snapshot_context: tuple[BrowserContext, Watch], damage: str, reason: str
) -> None:
    """A damaged or stale snapshot is not used: a normal start, the right result, a new one."""
    _wait_for_snapshot(calcs.page)
    damaged_url = calcs.page.evaluate(_DAMAGE_JS, [CACHE_NAME, damage])
    _, watch = snapshot_context
    errors_before = len(watch.errors)
    assert _live_default_result(calcs) == expected(CALC, {})
    started = _start(calcs.page)
    assert started["start"] == "normal", started
    assert started["reason"].startswith(reason), started
    # The fallback replaces the bad snapshot with a good one: the next visit uses it.
    _wait_for_snapshot(calcs.page, not_url=damaged_url if damage == "other-build" else None)
    assert _live_default_result(calcs) == expected(CALC, {})
    assert _start(calcs.page)["start"] == "snapshot"
    # A fallback is a warning in the console, never an error.
    assert watch.errors[errors_before:] == []
