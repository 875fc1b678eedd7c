"""The measurements, each one a Playwright routine against a served page.

Every time comes from the page itself (``bench/probe.js``, epoch ms) so that Python-side
overhead never enters a number. Bytes come from the server's own log.
"""

# ruff: noqa: INP001 - bench/ is a folder of scripts run by path, not a package.

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

if TYPE_CHECKING:
    from _server import Server
    from playwright.sync_api import BrowserContext, BrowserType, Page, ViewportSize

PROBE = Path(__file__).with_name("probe.js")
START_TIMEOUT_MS = 90_000
SWITCH_TIMEOUT_MS = 30_000
EDIT_TIMEOUT_MS = 5_000
# After the first live result, the page is left alone this long before the next visit, the
# same for baseline and ours: a reader spends seconds on a page, and whatever a site does
# in the background after start-up (ours: write the memory snapshot) happens then.
SETTLE_MS = 1_500

_READY_JS = """() => {
  const B = window.__bench;
  if (!B) return null;
  const s = B.states.find((s) => s.state === "ready" || s.state === "error");
  return s ? s : null;
}"""

_SNAPSHOT_JS = """() => {
  const B = window.__bench;
  const paint = performance.getEntriesByName("first-contentful-paint")[0];
  return {
    doc: B.doc, timeOrigin: B.timeOrigin,
    fcp: paint ? paint.startTime : null,
    dcl: performance.getEntriesByType("navigation")[0]?.domContentLoadedEventStart ?? null,
    states: B.states, posts: B.posts, replies: B.replies, workers: B.workers,
    longtasks: B.longtasks, loafs: B.loafs,
    start: document.querySelector("[data-calculator-output]")?.getAttribute("data-start")
      ?? window.baclofenCalculators?.start ?? null,
    startReason: window.baclofenCalculators?.startReason ?? null,
  };
}"""


_STUCK_JS = """() => JSON.stringify({
  status: document.querySelector("[data-calculator-status]")?.textContent ?? null,
  state: document.querySelector("[data-calculator-output]")?.getAttribute("data-state") ?? null,
  stats: window.baclofenCalculators ?? null,
  posts: window.__bench?.posts, replies: window.__bench?.replies,
})"""


@dataclass
class Visit:
    """One document load until its first live result."""

    kind: str
    visit: str  # "cold" | "quick" (1 s after the cold one went live) | "warm"
    live_ms: float  # navigation start -> first data-state=ready
    fcp_ms: float | None
    bytes: int
    requests: int
    longtasks: list[dict[str, Any]]
    start_path: str | None  # how the worker started ("snapshot" or "normal"), if the page says
    extra: dict[str, Any] = field(default_factory=dict)


# The throttled-phone profile (``--phone``, issue 27), Lighthouse's mobile defaults: a main
# thread 4x slower (DevTools, on every page of the browser), "slow 4G" (150 ms round trip,
# 1.6 Mbit/s; applied by the benchmark's server to every response, the service worker's
# requests included: _server.Link) and a phone-sized screen.
PHONE_CPU_SLOWDOWN = 4
PHONE_LATENCY_S = 0.150
PHONE_BYTES_PER_S = 1_600_000 / 8
PHONE_VIEWPORT: ViewportSize = {"width": 412, "height": 823}


def throttle_like_a_phone(context: BrowserContext, page: Page) -> None:
    """Apply the phone profile's CPU slowdown to ``page`` (DevTools protocol)."""
    cdp = context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": PHONE_CPU_SLOWDOWN})


def new_context(
    chromium: BrowserType,
    profile: Path,
    executable: str,
    args: list[str],
    *,
    block_service_workers: bool = False,
    phone: bool = False,
) -> BrowserContext:
    """A browser with a new, empty profile: empty HTTP cache, Cache Storage and code cache.

    A persistent profile on disk, not Playwright's default incognito-like context: that one
    keeps its HTTP cache in memory, where an entry as large as ``pyodide.asm.wasm`` is never
    stored, so every "warm" visit would download and compile the runtime again, which no
    real visitor's browser does.
    """
    context = chromium.launch_persistent_context(
        str(profile),
        executable_path=executable,
        args=args,
        headless=True,
        viewport=PHONE_VIEWPORT if phone else {"width": 1280, "height": 900},
        service_workers="block" if block_service_workers else "allow",
    )
    context.add_init_script(path=str(PROBE))
    if phone:
        for page in context.pages:
            throttle_like_a_phone(context, page)
        context.on("page", lambda page: throttle_like_a_phone(context, page))
    return context


def _hits_summary(server: Server, mark: int) -> tuple[int, int, list[dict[str, Any]]]:
    hits = server.since(mark)
    return (
        sum(h.bytes_sent for h in hits),
        len(hits),
        [{"path": h.path, "status": h.status, "bytes": h.bytes_sent} for h in hits],
    )


def visit(
    page: Page,
    server: Server,
    url: str,
    *,
    kind: str,
    which: str,
    pyodide_dir: str,
    settle_ms: int = SETTLE_MS,
) -> Visit:
    """Navigate ``page`` to ``url`` (a new document) and wait for the first live result.

    Then the page is left alone for ``settle_ms`` before the next visit (which replaces it).
    """
    mark = server.mark()
    page.goto(url, wait_until="commit")
    try:
        handle = page.wait_for_function(_READY_JS, timeout=START_TIMEOUT_MS)
    except PlaywrightTimeoutError:
        said = page.evaluate(_STUCK_JS)
        raise RuntimeError(f"{kind} {which} visit of {url}: not live in time: {said}") from None
    first = handle.json_value()
    if first["state"] == "error":
        text = page.inner_text("[data-calculator-output]")
        raise RuntimeError(
            f"{kind} {which} visit of {url}: the output went to data-state=error: {text[:500]}"
        )
    # Left alone from the moment it went live (the wait above polls, so some ms have passed).
    elapsed = page.evaluate("() => performance.timeOrigin + performance.now()") - first["t"]
    page.wait_for_timeout(max(0, settle_ms - elapsed))
    snap = page.evaluate(_SNAPSHOT_JS)
    total, count, hits = _hits_summary(server, mark)
    live_at = first["t"]
    return Visit(
        kind=kind,
        visit=which,
        live_ms=live_at - snap["timeOrigin"],
        fcp_ms=snap["fcp"],
        bytes=total,
        requests=count,
        longtasks=classify_longtasks(snap, until=live_at, pyodide_dir=pyodide_dir),
        start_path=snap["start"],
        extra={
            "hits": hits,
            "start_reason": snap["startReason"],
            # When the page created each worker and posted its first message, ms after
            # navigation start: how early the calculator's worker gets going.
            "workers_ms": [
                {"url": w["url"], "at_ms": w["t"] - snap["timeOrigin"]} for w in snap["workers"]
            ],
            "first_post_ms": snap["posts"][0]["t"] - snap["timeOrigin"] if snap["posts"] else None,
            "dcl_ms": snap["dcl"],
            # The worker's own steps (its ready reply's phases, snapshot.js), ms after
            # navigation start: where a start spends its time.
            "phases_ms": _phases(snap),
            # The page's messages to and from the worker until live, ms after navigation.
            "messages_ms": sorted(
                [
                    {
                        "at_ms": round(m["t"] - snap["timeOrigin"], 1),
                        "dir": d,
                        "type": m["type"],
                        "id": m["id"],
                    }
                    for d, ms in (("post", snap["posts"]), ("reply", snap["replies"]))
                    for m in ms
                    if m["t"] <= live_at
                ],
                key=lambda m: m["at_ms"],
            ),
        },
    )


def _phases(snap: dict[str, Any]) -> dict[str, float]:
    ready = next((r for r in snap["replies"] if r.get("type") == "ready" and "phases" in r), None)
    if ready is None:
        return {}
    return {
        name: round(t - snap["timeOrigin"], 1)
        for name, t in sorted(ready["phases"].items(), key=lambda item: item[1])
    }


def classify_longtasks(
    snap: dict[str, Any], until: float, pyodide_dir: str
) -> list[dict[str, Any]]:
    """Main-thread long tasks up to ``until``, with their scripts and whether one is ours.

    Long tasks carry no script attribution; long animation frames do. Each task gets the
    scripts of the frames overlapping it, and counts as Pyodide's if one of them comes from
    the Pyodide runtime or our calculator scripts (``/assets/js/``).
    """
    out = []
    for task in snap["longtasks"] or []:
        if task["start"] > until:
            continue
        end = task["start"] + task["duration"]
        scripts = [
            {k: s[k] for k in ("url", "fn", "invoker", "invokerType", "duration")}
            for loaf in snap["loafs"] or []
            for s in loaf["scripts"]
            if s["start"] < end and s["start"] + s["duration"] > task["start"]
        ]
        pyodide = any(
            pyodide_dir in (s["url"] or "")
            or "pyodide" in (s["url"] or "").lower()
            or "/assets/js/" in (s["url"] or "")
            for s in scripts
        )
        out.append(
            {
                "start_ms": task["start"] - snap["timeOrigin"],
                "duration_ms": task["duration"],
                "pyodide": pyodide,
                "scripts": scripts,
            }
        )
    return out


def fcp_only(page: Page, server: Server, url: str, *, offline_copy: bool = False) -> dict[str, Any]:
    """Load ``url`` in a cold context and read its first contentful paint.

    ``offline_copy``: then wait until the site's service worker has stored every file
    (``html[data-offline-ready]``) and count what the server sent until then, the whole of
    a first visit (``bytes_with_offline_copy``): the cold visits stop counting 1 s after
    live, and the service worker registers only once the calculator has answered. If the
    copy is refused, ``offline_copy_error`` says why instead.
    """
    mark = server.mark()
    page.goto(url, wait_until="load")
    page.wait_for_function(
        "performance.getEntriesByName('first-contentful-paint').length > 0",
        timeout=START_TIMEOUT_MS,
    )
    page.wait_for_timeout(300)
    fcp = page.evaluate("performance.getEntriesByName('first-contentful-paint')[0].startTime")
    total, count, _ = _hits_summary(server, mark)
    out: dict[str, Any] = {"fcp_ms": fcp, "bytes": total, "requests": count}
    if offline_copy:
        page.wait_for_function(
            "() => ['data-offline-ready', 'data-offline-error']"
            ".some((a) => document.documentElement.hasAttribute(a))",
            timeout=START_TIMEOUT_MS,
        )
        error = page.evaluate("document.documentElement.getAttribute('data-offline-error')")
        if error:
            # With --site-dir the bench rewrites the sitemap for its port (retarget_sitemap),
            # which the service worker then refuses: no whole-visit count from such a run.
            out["offline_copy_error"] = error
        else:
            out["bytes_with_offline_copy"] = _hits_summary(server, mark)[0]
    return out


_CLICK_JS = """(href) => {
  const target = new URL(href, location.href).href;
  const links = [...document.querySelectorAll("a[href]")].filter((a) => a.href === target);
  const link = links.find((a) => a.offsetParent !== null) ?? links[0];
  if (!link) return null;
  const t = performance.timeOrigin + performance.now();
  link.click();
  return { t, doc: window.__bench.doc };
}"""

_SWITCHED_JS = """([t0, ids]) => {
  const B = window.__bench;
  if (!B) return null;
  const mine = B.states.filter((s) => s.t > t0 && ids.includes(s.form));
  const s = mine.find((s) => s.state === "ready" || s.state === "error");
  if (!s) return null;
  return { ...s, doc: B.doc, bound: mine[0].t };
}"""


def switch(page: Page, server: Server, href: str, ids: list[str]) -> dict[str, Any]:
    """Click the navigation link to ``href`` and wait until one of its calculators is live."""
    mark = server.mark()
    clicked = page.evaluate(_CLICK_JS, href)
    if clicked is None:
        raise RuntimeError(f"no link to {href} on {page.url}")
    handle = page.wait_for_function(
        _SWITCHED_JS, arg=[clicked["t"], ids], timeout=SWITCH_TIMEOUT_MS
    )
    done = handle.json_value()
    if done["state"] == "error":
        raise RuntimeError(f"switch to {href}: the output went to data-state=error")
    page.wait_for_timeout(300)
    total, count, hits = _hits_summary(server, mark)
    return {
        "to": href,
        "live_ms": done["t"] - clicked["t"],
        "instant": done["doc"] == clicked["doc"],
        # click -> the new page's form bound by our script (Material's share of the switch)
        "bound_ms": None if done["bound"] is None else done["bound"] - clicked["t"],
        "bytes": total,
        "requests": count,
        "hits": hits,
    }


_EDITS_JS = """async ({ form, field, values, timeoutMs, gapMs }) => {
  const now = () => performance.timeOrigin + performance.now();
  const B = window.__bench;
  const root = document.querySelector(form ? `form[data-calculator="${form}"]` : "form");
  const input = root.querySelector(`[name="${field}"]`);
  const out = root.querySelector("[data-calculator-output]");
  const rows = [];
  for (const value of values) {
    const before = out.innerHTML;
    const posts = B.posts.length;
    const done = new Promise((resolve) => {
      const check = () => out.getAttribute("data-state") === "ready" && out.innerHTML !== before;
      const mo = new MutationObserver(() => {
        if (check()) { mo.disconnect(); clearTimeout(timer); resolve(now()); }
      });
      mo.observe(out, { subtree: true, childList: true, characterData: true, attributes: true });
      const timer = setTimeout(() => { mo.disconnect(); resolve(null); }, timeoutMs);
    });
    input.value = String(value);
    const t0 = now();
    input.dispatchEvent(new Event("input", { bubbles: true }));
    const t1 = await done;
    const post = B.posts.slice(posts).find((p) => p.t >= t0 && p.id !== null);
    const reply = post ? B.replies.find((r) => r.id === post.id && r.t >= post.t) : undefined;
    rows.push({ value, t0, t1, post: post ?? null, reply: reply ?? null });
    await new Promise((r) => setTimeout(r, gapMs));
  }
  return rows;
}"""


def edits(
    page: Page, form: str | None, field_name: str, values: list[float], gap_ms: int = 60
) -> list[dict[str, Any]]:
    """Set ``field_name`` to each value in turn (an ``input`` event each) and time the update.

    Per edit: ``with_debounce_ms`` (input event -> output updated and ready),
    ``debounce_ms`` (input event -> request posted to the worker) and ``compute_ms``
    (request posted -> the worker's reply arrived: the round trip, Python included).
    """
    rows = page.evaluate(
        _EDITS_JS,
        {
            "form": form,
            "field": field_name,
            "values": values,
            "timeoutMs": EDIT_TIMEOUT_MS,
            "gapMs": gap_ms,
        },
    )
    out = []
    for r in rows:
        post, reply = r["post"], r["reply"]
        out.append(
            {
                "value": r["value"],
                "with_debounce_ms": None if r["t1"] is None else r["t1"] - r["t0"],
                "debounce_ms": None if post is None else post["t"] - r["t0"],
                "compute_ms": None if post is None or reply is None else reply["t"] - post["t"],
            }
        )
    return out
