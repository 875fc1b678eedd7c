"""End-to-end fixtures: the built site, a local server, Debian's Chromium, and helpers.

- ``served`` (``base_url``, ``site_dir``): the launcher readers get
  (``tools/launcher/serve.py``: its types, gzip, cache headers and the Content-Security-Policy
  from the site's manifest) in a thread on 127.0.0.1, serving ``site/`` when it is at least
  as new as everything it is built from (``make test-browser`` builds it first) and its
  ``site_url`` port is free, otherwise one strict build (``python -m sitebuild build``) into a
  temporary directory for a free port. ``BACLOFEN_SITE_DIR`` names a prebuilt site instead.
- ``site_manifest``: the served site's build manifest (``assets/offline/manifest.json``), where
  tests read the policy and the cache name rather than copying them.
- ``browser``: ``/usr/bin/chromium`` through Playwright (``playwright install`` cannot work
  offline; install Chromium with ``apt-get install chromium``).
- ``warm``: one browser context and page shared by the per-calculator tests, so Pyodide is
  downloaded once and each test resets the form instead of reloading it.

The tests wait on state (``data-state``, ``aria-busy``), never on sleeps.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import subprocess
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from browserkit import MEASUREMENTS, Calculators, Watch, new_context
from playwright.sync_api import Browser, BrowserContext, sync_playwright

from sitebuild.pipeline import stale_input
from tools.chromium import CHROMIUM as CHROMIUM_PATH
from tools.chromium import CHROMIUM_ARGS
from tools.launcher import serve

if TYPE_CHECKING:
    from collections.abc import Iterator

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path(CHROMIUM_PATH)


def _fresh(site: Path) -> bool:
    """``site`` was built (it has the build's manifest) after every input of the build."""
    if not (site / "assets" / "pyodide").is_dir():
        return False
    return stale_input(site, REPO) is None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the per-calculator tests grouped by calculator, not by test function.

    Calculators sharing a page are then tested one after another on the warm page, and the
    suite loads each calculator page a few times instead of once per test (Pyodide boots on
    every full page load). Only the order changes; every test still resets its form.
    """
    slots = [
        i
        for i, item in enumerate(items)
        if getattr(item, "callspec", None)
        and "calc_id" in item.callspec.params
        and item.path.name == "test_calculators_live.py"
    ]
    ordered = sorted((items[i] for i in slots), key=lambda item: item.callspec.params["calc_id"])
    for slot, item in zip(slots, ordered, strict=True):
        items[slot] = item


def _sitemap_origin(site: Path) -> tuple[str, int] | None:
    """``(host, port)`` of the site_url the site was built with, from its sitemap."""
    sitemap = site / "sitemap.xml"
    if not sitemap.is_file():
        return None
    match = re.search(r"<loc>http://([^:/<]+):(\d+)/", sitemap.read_text("utf-8"))
    return (match.group(1), int(match.group(2))) if match else None


def _serve_prebuilt(site: Path, port: int) -> serve.SiteServer | None:
    """The launcher for ``site`` on exactly ``port``, or None if the port is busy."""
    try:
        return serve.make_server(site, port=port, quiet=True, move_if_busy=False)
    except OSError:
        return None


def _build(out: Path, site_url: str) -> None:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SITE_URL=site_url)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    command = [sys.executable, "-m", "sitebuild", "build", "--site-dir", str(out)]
    command += ["--build-dir", str(out.parent / f"{out.name}-build")]
    proc = subprocess.run(  # noqa: S603  # our interpreter, our arguments
        command,
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    if proc.returncode != 0:
        pytest.fail(
            f"the site build failed (`make site` shows the same):\n{proc.stdout}{proc.stderr}"
        )


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """``(base URL, site dir)``: the built site served on 127.0.0.1 by the launcher.

    Material's instant navigation only follows links whose URL matches the sitemap's
    ``site_url`` with the *port* unchanged (it rebases the host, not the port). So a
    prebuilt site (``$BACLOFEN_SITE_DIR``, or a fresh ``site/``) is served on its
    ``site_url`` port when that port is free; otherwise the site is built here, strictly,
    with ``SITE_URL`` naming a free port.
    """
    server: serve.SiteServer | None = None
    site: Path | None = None
    prebuilt = os.environ.get("BACLOFEN_SITE_DIR")
    candidate = Path(prebuilt).resolve() if prebuilt else REPO / "site"
    if prebuilt or _fresh(candidate):
        origin = _sitemap_origin(candidate)
        if origin and origin[0] in {"127.0.0.1", "localhost"}:
            server = _serve_prebuilt(candidate, origin[1])
            site = candidate
    if server is None or site is None:
        # The port is taken now, before the build it names; the handler, which reads the
        # build's manifest, is set once the site exists (no request is served before).
        server = serve.SiteServer(("127.0.0.1", 0), serve.SiteHandler)
        site = tmp_path_factory.mktemp("browser-site") / "site"
        _build(site, server.url)
        server.RequestHandlerClass = serve.make_handler(site, quiet=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.url, site
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="session")
def site_dir(served: tuple[str, Path]) -> Path:
    """The directory being served."""
    return served[1]


@pytest.fixture(scope="session")
def site_manifest(site_dir: Path) -> dict[str, Any]:
    """The served site's build manifest: its policy (``csp.policy``), cache name, files."""
    return json.loads((site_dir / serve.MANIFEST_PATH).read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def base_url(served: tuple[str, Path]) -> str:
    """``http://127.0.0.1:<port>/``."""
    return served[0]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's headless Chromium."""
    if not CHROMIUM.is_file():
        pytest.fail(
            f"{CHROMIUM} not found. The browser tests drive Debian's Chromium (playwright "
            "install cannot download browsers offline): apt-get update && apt-get install -y "
            "chromium"
        )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def calculator_pages(site_dir: Path) -> dict[str, str]:
    """Each calculator id -> the page path (``oral/``) whose HTML embeds it."""
    pages: dict[str, str] = {}
    for html in sorted(site_dir.rglob("*.html")):
        text = html.read_text(encoding="utf-8")
        for calc_id in re.findall(r'<form [^>]*data-calculator="([^"]+)"', text):
            pages[calc_id] = html.relative_to(site_dir).as_posix().removesuffix("index.html")
    return pages


@pytest.fixture(scope="session")
def site_pages(site_dir: Path) -> list[str]:
    """Every page path of the site (``""`` for the home page), 404 page excluded."""
    return sorted(
        p.relative_to(site_dir).as_posix().removesuffix("index.html")
        for p in site_dir.rglob("index.html")
        if not p.relative_to(site_dir).as_posix().startswith("assets/")
    )


# --- measurements, printed at the end of the run ---------------------------------------------


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Print what the browser tests measured (cold start, external requests)."""
    if MEASUREMENTS:
        terminalreporter.section("browser measurements")
        for key, value in MEASUREMENTS.items():
            terminalreporter.write_line(f"{key}: {value}")


@pytest.fixture(scope="session")
def warm_context(browser: Browser) -> Iterator[tuple[BrowserContext, Watch]]:
    """One context shared by the per-calculator tests (its HTTP cache stays warm)."""
    context, watch = new_context(
        browser, permissions=["clipboard-read", "clipboard-write"], accept_downloads=True
    )
    yield context, watch
    with contextlib.suppress(Exception):
        context.close()


@pytest.fixture(scope="session")
def warm(
    warm_context: tuple[BrowserContext, Watch], base_url: str, calculator_pages: dict[str, str]
) -> Calculators:
    """The shared page, as :class:`Calculators`."""
    context, _ = warm_context
    return Calculators(context.new_page(), base_url, calculator_pages)
