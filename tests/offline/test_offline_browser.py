"""The offline teaching bundle in Chromium: unpacked, served by its launcher, then cut off.

Each test runs its scenario in a fresh browser profile (conftest's ``chromium.run``). They
wait on state the pages expose, never on time:

- ``<html data-offline-ready>``: the service worker stored every file (register.js);
- ``[data-calculator-output][data-state]``: ``ready`` once a calculator runs live;
- ``[data-selftest][data-selftest-state]``: ``pass`` or ``fail`` once the self-test is done.
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PRECACHE_TIMEOUT_MS = 90_000  # ~17 MB from a local server; generous for a loaded CI machine
PYODIDE_TIMEOUT_MS = 60_000
CALCULATOR_PAGES = ("oral/", "intrathecal/", "stopping/")
SNAPSHOT_CACHE = "baclofen-pyodide-snapshot"  # snapshot.js CACHE_NAME


def _expect_all_live(page) -> int:
    """Every calculator on the page reaches ``ready``; returns how many there are."""
    outputs = page.locator("[data-calculator-output]")
    count = outputs.count()
    assert count > 0, f"{page.url} has no calculator"
    for i in range(count):
        expect(outputs.nth(i)).to_have_attribute("data-state", "ready", timeout=PYODIDE_TIMEOUT_MS)
    return count


def _wait_precached(page) -> str:
    page.wait_for_selector(
        "html[data-offline-ready]", state="attached", timeout=PRECACHE_TIMEOUT_MS
    )
    return page.locator("html").get_attribute("data-offline-ready") or ""


# tests/browser/browserkit.py's: hide SharedWorker, so that the page uses a dedicated worker.
NO_SHARED_WORKER_JS = (
    'Object.defineProperty(window, "SharedWorker", {value: undefined, configurable: true});'
)


def test_offline_site_keeps_working_after_the_network_drops(bundle, launcher, chromium, page_watch):
    """Precache, stop the launcher and go offline: reload and two more pages run live."""

    def scenario(context):
        # A dedicated worker, started again by each full load below: in Chromium a shared
        # worker would outlive the reload and fetch nothing, and a restarted browser, or
        # one without SharedWorker's extendedLifetime, needs the runtime from the cache.
        context.add_init_script(NO_SHARED_WORKER_JS)
        watch = page_watch(context, launcher.url)
        page = context.new_page()
        page.goto(launcher.url + CALCULATOR_PAGES[0])
        cache_name = _wait_precached(page)
        manifest = json.loads((bundle.site / "assets/offline/manifest.json").read_text())
        assert cache_name == manifest["cache_name"]

        # The network drops twice over: the browser is offline and the server is gone.
        context.set_offline(True)
        launcher.stop()
        answered: dict[str, bool] = {}
        context.on("response", lambda r: answered.setdefault(r.url, r.from_service_worker))

        # The service worker registers once the first page's calculator has answered, so by
        # now that worker has stored its memory snapshot too; without it, the reload starts
        # Python normally and needs every file of the runtime and the wheel.
        page.evaluate(f"caches.delete({SNAPSHOT_CACHE!r})")
        page.reload()
        _expect_all_live(page)
        assert page.evaluate("window.baclofenCalculators.start") == "normal"
        # A full navigation to a second page, answered by the service worker.
        page.goto(launcher.url + CALCULATOR_PAGES[1])
        _expect_all_live(page)
        # A third page through Material's instant navigation: a fetch the service worker answers
        # and a swap of the page, not a new document (Material only does this on the site_url's
        # port, which the launcher fixture takes unless another program holds it).
        page.evaluate("window.__sameDocument = true")
        page.locator(f'a.md-nav__link[href$="{CALCULATOR_PAGES[2]}"]').first.click()
        page.wait_for_url("**/" + CALCULATOR_PAGES[2])
        # Material updates the address before it swaps the content: wait for the swap, or the
        # second page's three calculators would still be counted.
        expect(page.locator('form[data-calculator="itb-refill"]')).to_have_count(0)
        expect(page.locator('form[data-calculator="oral-taper"]')).to_have_count(1)
        _expect_all_live(page)
        if launcher.port == bundle.site_url_port:
            assert page.evaluate("window.__sameDocument") is True, "instant navigation did not run"
        # Each full load above started a new Pyodide worker whose fetches (wasm, stdlib zip, lock
        # file, wheel) had no server to reach: the service worker answered them.
        pyodide = manifest["pyodide"]
        for rel in (
            pyodide["index"] + "pyodide.asm.wasm",
            pyodide["stdlib"],
            pyodide["lock"],
        ):
            assert answered.get(launcher.url + rel) is True, (
                f"{rel} was not served by the service worker"
            )
        wheels = [url for url in answered if url.endswith(".whl")]
        assert wheels
        assert all(answered[url] for url in wheels)
        assert watch.errors == []
        assert watch.foreign == []

    chromium.run(scenario)


def test_offline_update_notice_when_a_new_release_is_waiting(bundle, launcher, chromium):
    """A changed sw.js on the server installs beside the old one and the page offers a reload."""

    def scenario(context):
        page = context.new_page()
        page.goto(launcher.url)
        first = _wait_precached(page)
        page.reload()  # now controlled by the service worker
        page.wait_for_function("() => navigator.serviceWorker.controller !== null")
        sw = bundle.site / "sw.js"
        manifest_file = bundle.site / "assets/offline/manifest.json"
        original = sw.read_text()
        original_manifest = manifest_file.read_text()
        assert first == json.loads(original_manifest)["cache_name"]
        # Caches of other features (a snapshot) are not this service worker's to delete.
        others = set(page.evaluate("caches.keys()")) - {first}
        try:
            # A new release: its sw.js and its manifest name the new cache (the service
            # worker checks that the manifest it stores belongs to its own build).
            sw.write_text(original.replace(first, first[:-4] + "beef"))
            manifest_file.write_text(original_manifest.replace(first, first[:-4] + "beef"))
            page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r && r.update())")
            notice = page.locator(".offline-update")
            expect(notice).to_contain_text("An update is ready", timeout=PRECACHE_TIMEOUT_MS)
            with page.expect_navigation():
                notice.get_by_role("button", name="reload").click()
            page.wait_for_function(
                "() => navigator.serviceWorker.controller !== null",
            )
            expect(page.locator("html")).to_have_attribute(
                "data-offline-ready", first[:-4] + "beef", timeout=PRECACHE_TIMEOUT_MS
            )
            names = [n for n in page.evaluate("caches.keys()") if n not in others]
            assert names == [first[:-4] + "beef"], "the old release's cache was not deleted"
        finally:
            sw.write_text(original)
            manifest_file.write_text(original_manifest)

    chromium.run(scenario)


def test_offline_pages_opened_as_files_show_notes_and_results(bundle, chromium, page_watch):
    """From file://, pages read and print; each calculator says how to start the launcher."""

    def scenario(context):
        watch = page_watch(context, None)
        page = context.new_page()
        page.goto((bundle.site / "index.html").as_uri())
        assert "is-file" in (page.locator("html").get_attribute("class") or "")
        for rel in ("oral/index.html", "intrathecal/index.html"):
            page.goto((bundle.site / rel).as_uri())
            outputs = page.locator("[data-calculator-output]")
            notes = page.locator(".offline-file-note")
            assert outputs.count() > 0
            expect(notes).to_have_count(outputs.count())
            expect(notes.first).to_be_visible()
            expect(notes.first).to_contain_text("start-windows.bat")
            for i in range(outputs.count()):
                expect(outputs.nth(i)).to_have_attribute("data-state", "static")
                result = outputs.nth(i).locator("[data-calculator-result]")
                expect(result).to_be_visible()
                assert result.inner_text().strip(), "the build-time result is empty"
            assert page.locator("form[data-calculator] input").first.is_disabled()
        # Links to folders lead to their index.html, not to a folder listing.
        page.locator('a.md-nav__link[href$="stopping/index.html"]').first.click()
        page.wait_for_url("**/stopping/index.html")
        expect(page.locator(".offline-file-note").first).to_be_visible()
        page.emulate_media(media="print")
        expect(page.locator("[data-calculator-result]").first).to_be_visible()
        assert watch.errors == []
        assert watch.foreign == []
        # Chrome refuses every module script on a file:// page and says so in the console; the
        # offline scripts load none there. Anything else logged as an error is a bug.
        refused = ("blocked by CORS policy", "net::ERR_FAILED")
        assert [m for m in watch.console_errors if not any(r in m for r in refused)] == []
        assert not [m for m in watch.console_errors if "assets/offline/" in m]

    chromium.run(scenario)


def test_offline_selftest_reports_every_check_passed(bundle, shared_launcher, chromium, page_watch):
    """The self-test page: files, offline copy, Pyodide and every known answer pass."""

    def scenario(context):
        watch = page_watch(context, shared_launcher.url)
        page = context.new_page()
        page.goto(shared_launcher.url + "selftest/")
        _wait_precached(page)
        page.reload()  # the offline-copy row can only pass once the copy is complete
        container = page.locator("[data-selftest]")
        expect(container).to_have_attribute(
            "data-selftest-state", "pass", timeout=PYODIDE_TIMEOUT_MS + PRECACHE_TIMEOUT_MS
        )
        cases = json.loads((bundle.site / "assets/offline/selftest-cases.json").read_text())
        rows = container.locator("tbody tr")
        expect(rows).to_have_count(3 + len(cases))
        assert container.locator('tbody tr[data-outcome="pass"]').count() == 3 + len(cases)
        expect(container.locator(".selftest-summary")).to_contain_text("All checks passed")
        # The files were read and hashed by the self-test's worker, not on the page's thread
        # (issue 27): the page fetched the worker's script and none of the checked files.
        fetched = page.evaluate("performance.getEntriesByType('resource').map((e) => e.name)")
        assert any(name.endswith("/assets/offline/selftest-files.js") for name in fetched)
        assert not [name for name in fetched if name.endswith(("/404.html", "/about/index.html"))]
        assert watch.errors == []

    chromium.run(scenario)


def test_offline_calculators_go_live_under_the_hosting_guide_csp(
    bundle, csp_launcher, chromium, page_watch
):
    """Under the build's policy (the manifest's, sent as a header): live, and no violation."""

    def scenario(context):
        watch = page_watch(context, csp_launcher.url)
        context.add_init_script(
            """window.__cspViolations = [];
            document.addEventListener("securitypolicyviolation", (e) =>
              window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));"""
        )
        page = context.new_page()
        response = page.goto(csp_launcher.url + CALCULATOR_PAGES[0])
        assert response is not None
        manifest = json.loads((bundle.site / "assets/offline/manifest.json").read_text())
        assert response.headers["content-security-policy"] == manifest["csp"]["policy"]
        _expect_all_live(page)
        _wait_precached(page)
        assert page.evaluate("window.__cspViolations") == []
        assert [m for m in watch.console_errors if "Content Security Policy" in m] == []
        assert watch.errors == []

    chromium.run(scenario)


def test_offline_selftest_runs_from_the_offline_copy(bundle, launcher, chromium, page_watch):
    """With the launcher stopped, the self-test skips the server's files and passes the rest."""

    def scenario(context):
        watch = page_watch(context, launcher.url)
        page = context.new_page()
        page.goto(launcher.url + "selftest/")
        _wait_precached(page)
        context.set_offline(True)
        launcher.stop()
        page.reload()
        container = page.locator("[data-selftest]")
        expect(container).to_have_attribute(
            "data-selftest-state", "pass", timeout=PYODIDE_TIMEOUT_MS
        )
        files = container.locator("tbody tr").first
        expect(files).to_have_attribute("data-outcome", "skip")
        expect(files).to_contain_text("cannot be reached")
        assert container.locator('tbody tr[data-outcome="fail"]').count() == 0
        expect(container.locator('tbody tr[data-outcome="pass"]')).to_have_count(
            2 + len(json.loads((bundle.site / "assets/offline/selftest-cases.json").read_text()))
        )
        assert watch.errors == []

    chromium.run(scenario)
