"""The offline copy is verified (issue 15, item 3), and every page carries the CSP itself.

The service worker stores a file only once its length and SHA-256 are those the build
recorded; a bad file is fetched once more past the HTTP cache, and if it is still bad the copy
is not declared ready and the page says why. Faults come from the bundle's own launcher with a
test-only handler that damages chosen files for a chosen number of requests (it runs in this
process, on 127.0.0.1); Chromium then does what it would do for a reader.

The ``<meta>`` policy is checked where it matters: served with ``--no-csp`` (no header at all),
an inline script is refused and the pages, calculators included, raise no violation.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import sys
import threading
from collections import Counter
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import expect

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.browser

PRECACHE_TIMEOUT_MS = 90_000
PYODIDE_TIMEOUT_MS = 60_000
# A page without a calculator: nothing but the service worker asks for the runtime there.
QUIET_PAGE = "hosting/"
VIOLATIONS = """window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));"""


def _load_serve(folder: Path):
    # Loaded by path on purpose: the launcher as the unpacked bundle ships it (a standalone
    # script beside site/, in no package), so the faults hit exactly what a teacher runs.
    # tests/offline/test_launcher.py imports the work tree's copy as tools.launcher.serve.
    spec = importlib.util.spec_from_file_location("bundle_serve_for_faults", folder / "serve.py")
    assert spec
    assert spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


class FaultyLauncher:
    """The bundle's launcher, in a thread, damaging the files it is told to.

    ``damage(rel, how, times)``: the next ``times`` responses for ``rel`` (None: all of them)
    carry half its bytes (``"truncate"``) or the same number of bytes with one changed
    (``"alter"``). The damaged response is an ordinary 200 with a consistent Content-Length
    and the launcher's cache headers (a year, immutable, for the runtime), as a broken proxy
    or a disk error would give. ``requests[rel]`` counts what reached the server.
    """

    def __init__(self, folder: Path) -> None:
        """Start serving ``folder/site`` on a free port (with the CSP header, as by default)."""
        serve = _load_serve(folder)
        self.requests: Counter[str] = Counter()
        self._plan: dict[str, tuple[str, int | None]] = {}
        self._lock = threading.Lock()
        outer = self

        base = serve.make_handler(folder / "site", quiet=True)

        class Handler(base):
            def _send_file(self, path, *, head, status=200):
                rel = path.relative_to(self.root).as_posix()
                how = outer._take(rel)
                if how is None or head:
                    return super()._send_file(path, head=head, status=status)
                data = path.read_bytes()
                if how == "truncate":
                    body = data[: len(data) // 2]
                else:
                    middle = len(data) // 2
                    body = data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1 :]
                self.send_response(200)
                self.send_header("Content-Type", serve.content_type(path))
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", self.manifest.cache_control(rel))
                self.end_headers()
                self.wfile.write(body)
                return None

        self.server, _moved = serve.bind(Handler, 0)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def damage(self, rel: str, how: str, times: int | None) -> None:
        """Damage the next ``times`` responses for ``rel`` (None: every one)."""
        with self._lock:
            self._plan[rel] = (how, times)

    def repair(self) -> None:
        """Serve every file intact from now on."""
        with self._lock:
            self._plan.clear()

    def _take(self, rel: str) -> str | None:
        with self._lock:
            self.requests[rel] += 1
            how, times = self._plan.get(rel, ("", 0))
            if not how or times == 0:
                return None
            if times is not None:
                self._plan[rel] = (how, times - 1)
            return how

    def stop(self) -> None:
        """Stop serving."""
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=10)


@pytest.fixture
def faulty(bundle):
    """A :class:`FaultyLauncher` for one test."""
    launcher = FaultyLauncher(bundle.folder)
    yield launcher
    launcher.stop()


@pytest.fixture(scope="module")
def manifest(bundle):
    """The build's manifest."""
    return json.loads((bundle.site / "assets/offline/manifest.json").read_text(encoding="utf-8"))


def _wasm(manifest) -> str:
    return manifest["pyodide"]["index"] + "pyodide.asm.wasm"


def _cached_digest(page, cache_name: str, url: str) -> list:
    """[length, sha256 hex] of the service worker's stored copy of ``url``, or None."""
    return page.evaluate(
        """async ([name, url]) => {
          const cache = await caches.open(name);
          const hit = await cache.match(url);
          if (!hit) return null;
          const body = await hit.arrayBuffer();
          const digest = await crypto.subtle.digest("SHA-256", body);
          const hex = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0"));
          return [body.byteLength, hex.join("")];
        }""",
        [cache_name, url],
    )


def _entry(manifest, rel: str) -> list:
    (entry,) = [e for e in manifest["files"] if e["path"] == rel]
    return [entry["bytes"], entry["sha256"]]


def test_offline_copy_refetches_a_truncated_file_and_is_ready_only_with_the_good_one(
    manifest, faulty, chromium, page_watch
):
    """Half the wasm on the first request: refetched once past the HTTP cache, then ready."""
    wasm = _wasm(manifest)
    faulty.damage(wasm, "truncate", times=1)

    def scenario(context):
        watch = page_watch(context, faulty.url)
        page = context.new_page()
        page.goto(faulty.url + QUIET_PAGE)
        page.wait_for_selector(
            "html[data-offline-ready]", state="attached", timeout=PRECACHE_TIMEOUT_MS
        )
        html = page.locator("html")
        expect(html).to_have_attribute("data-offline-ready", manifest["cache_name"])
        expect(html).to_have_attribute("data-offline-state", "ready")
        assert html.get_attribute("data-offline-error") is None
        # What is stored is the whole file, byte for byte.
        stored = _cached_digest(page, manifest["cache_name"], faulty.url + wasm)
        assert stored == _entry(manifest, wasm)
        assert watch.errors == []

    chromium.run(scenario)
    # Two requests reached the server: the truncated answer and one refetch. The truncated one
    # carried a year's immutable Cache-Control, so a refetch through the HTTP cache would have
    # got it again without asking the server.
    assert faulty.requests[wasm] == 2


def test_offline_copy_with_a_persistently_bad_file_is_not_declared_ready(
    manifest, faulty, chromium, page_watch
):
    """A wasm altered on every request (same length): not stored, not ready, and said so.

    Once the server sends it intact, a reload stores the copy, fetching only what was missing.
    """
    wasm = _wasm(manifest)
    stdlib = manifest["pyodide"]["stdlib"]
    faulty.damage(wasm, "alter", times=None)

    def scenario(context):
        watch = page_watch(context, faulty.url)
        page = context.new_page()
        page.goto(faulty.url + QUIET_PAGE)
        html = page.locator("html")
        page.wait_for_selector(
            "html[data-offline-error]", state="attached", timeout=PRECACHE_TIMEOUT_MS
        )
        expect(html).to_have_attribute("data-offline-state", "error")
        assert html.get_attribute("data-offline-ready") is None
        error = html.get_attribute("data-offline-error") or ""
        assert wasm in error
        assert "contents differ from the build's (SHA-256)" in error
        notice = page.locator(".offline-problem")
        expect(notice).to_be_visible()
        expect(notice).to_contain_text("The offline copy could not be stored")
        expect(notice).to_contain_text(wasm)
        # No active service worker, and the damaged file is not in this release's cache.
        assert (
            page.evaluate(
                "navigator.serviceWorker.getRegistration().then((r) => Boolean(r && r.active))"
            )
            is False
        )
        assert _cached_digest(page, manifest["cache_name"], faulty.url + wasm) is None
        assert faulty.requests[wasm] == 2  # the first try and exactly one refetch
        assert faulty.requests[stdlib] == 1

        # The server is repaired: the next load installs again and the copy becomes ready.
        faulty.repair()
        page.reload()
        page.wait_for_selector(
            "html[data-offline-ready]", state="attached", timeout=PRECACHE_TIMEOUT_MS
        )
        expect(html).to_have_attribute("data-offline-ready", manifest["cache_name"])
        assert _cached_digest(page, manifest["cache_name"], faulty.url + wasm) == _entry(
            manifest, wasm
        )
        expect(page.locator(".offline-problem")).to_have_count(0)
        assert watch.errors == []

    chromium.run(scenario)
    assert faulty.requests[wasm] == 3
    assert faulty.requests[stdlib] == 1  # checked in the cache again, not fetched again


def test_offline_selftest_reports_a_refused_offline_copy(manifest, faulty, chromium):
    """The self-test's "Offline copy" row fails, naming the file the service worker refused."""
    wasm = _wasm(manifest)
    faulty.damage(wasm, "alter", times=None)

    def scenario(context):
        page = context.new_page()
        page.goto(faulty.url + "selftest/")
        rows = page.locator("[data-selftest] tbody tr")
        # Rows come in order: the server's files, then the offline copy (then Python, which
        # cannot start from the altered runtime; not waited for here).
        expect(rows.nth(1)).to_be_attached(timeout=PRECACHE_TIMEOUT_MS + PYODIDE_TIMEOUT_MS)
        expect(rows.nth(0)).to_have_attribute("data-outcome", "fail")
        expect(rows.nth(0)).to_contain_text(f"{wasm}: contents differ from the build")
        expect(rows.nth(1)).to_have_attribute("data-outcome", "fail")
        expect(rows.nth(1)).to_contain_text("Offline copy")
        expect(rows.nth(1)).to_contain_text(f"{wasm}: contents differ from the build's (SHA-256)")

    chromium.run(scenario)


def test_offline_copy_refuses_a_damaged_manifest(faulty, chromium):
    """The manifest cannot hold its own hash: a truncated one fails its own check."""
    faulty.damage("assets/offline/manifest.json", "truncate", times=None)

    def scenario(context):
        page = context.new_page()
        page.goto(faulty.url + QUIET_PAGE)
        page.wait_for_selector(
            "html[data-offline-error]", state="attached", timeout=PRECACHE_TIMEOUT_MS
        )
        error = page.locator("html").get_attribute("data-offline-error") or ""
        assert "assets/offline/manifest.json: not valid JSON" in error
        assert page.locator("html").get_attribute("data-offline-ready") is None

    chromium.run(scenario)


def _pages(site: Path) -> list[str]:
    pages = []
    for path in sorted(site.rglob("index.html")):
        rel = path.relative_to(site).parent.as_posix()
        pages.append("" if rel == "." else rel + "/")
    return pages


def test_offline_meta_csp_is_enforced_without_a_header_and_nothing_violates_it(
    bundle, no_csp_launcher, chromium, page_watch
):
    """With no CSP header, the <meta> policy refuses an inline script; no page violates it.

    Every page is loaded; on the oral page the calculators must also go live under it (the
    Pyodide worker and its WebAssembly are allowed by the policy).
    """
    pages = _pages(bundle.site)
    assert len(pages) > 10  # the site's pages, not a stray folder

    def scenario(context):
        watch = page_watch(context, no_csp_launcher.url)
        context.add_init_script(VIOLATIONS)
        page = context.new_page()
        response = page.goto(no_csp_launcher.url)
        assert response is not None
        assert "content-security-policy" not in response.headers
        # Enforced: an injected inline script does not run, and the policy says why. (Wait
        # with function predicates only: Playwright evaluates a string predicate with eval,
        # which this very policy refuses.)
        page.evaluate(
            """() => { const s = document.createElement("script");
              s.textContent = "window.__ran = true"; document.head.append(s); }"""
        )
        page.wait_for_function("() => window.__cspViolations.length > 0")
        assert page.evaluate("() => window.__ran === undefined")
        assert page.evaluate("() => window.__cspViolations") == ["script-src-elem inline"]
        page.evaluate("() => { window.__cspViolations.length = 0; }")
        for rel in pages:
            page.goto(no_csp_launcher.url + rel, wait_until="load")
            if rel == "oral/":
                outputs = page.locator("[data-calculator-output]")
                assert outputs.count() > 0
                for i in range(outputs.count()):
                    expect(outputs.nth(i)).to_have_attribute(
                        "data-state", "ready", timeout=PYODIDE_TIMEOUT_MS
                    )
            assert page.evaluate("() => window.__cspViolations") == [], rel
        # The console reports one refusal: the script injected above, nothing else.
        assert len([m for m in watch.console_errors if "Content Security Policy" in m]) == 1

    chromium.run(scenario)


def test_offline_launcher_sends_the_csp_header_by_default(bundle, launcher):
    """The default launcher sends the build's whole policy (frame-ancestors too) on pages."""
    import urllib.request  # noqa: PLC0415

    with urllib.request.urlopen(launcher.url + "oral/", timeout=10) as response:  # noqa: S310
        policy = response.headers["Content-Security-Policy"]
    assert policy == manifest_policy(bundle)
    assert "frame-ancestors 'self'" in policy


def manifest_policy(bundle) -> str:
    """The build's policy as the manifest records it."""
    data = json.loads((bundle.site / "assets/offline/manifest.json").read_text(encoding="utf-8"))
    return data["csp"]["policy"]


def test_offline_integrity_helper_damages_as_told(bundle, manifest, faulty):
    """The fault injector itself: half the bytes, then one byte changed, then intact."""
    import http.client  # noqa: PLC0415

    wasm = _wasm(manifest)
    data = (bundle.site / wasm).read_bytes()
    faulty.damage(wasm, "truncate", times=1)

    def get() -> bytes:
        conn = http.client.HTTPConnection("127.0.0.1", faulty.server.server_address[1], timeout=30)
        conn.request("GET", "/" + wasm)
        body = conn.getresponse().read()
        conn.close()
        return body

    assert get() == data[: len(data) // 2]
    faulty.damage(wasm, "alter", times=1)
    altered = get()
    assert len(altered) == len(data)
    assert hashlib.sha256(altered).hexdigest() != hashlib.sha256(data).hexdigest()
    assert get() == data
