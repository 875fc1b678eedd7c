"""The site built by Zensical (``make site GENERATOR=zensical``): its calculators run in Chromium.

The Zensical build is made here, served by the launcher readers get (``serve.py``, the
build's own CSP header), and every calculator is opened cold: it must go live, show the
same result as CPython's ``calculate`` for its defaults and for a changed value, with no
console error and no request to another host. What differs from the MkDocs build in the
files is checked in ``tests/site/test_generators.py``.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from typing import TYPE_CHECKING

import pytest
from browserkit import (
    TABLE_FACTS_JS,
    Calculators,
    alternate,
    expected,
    load_each_page_cleanly,
    new_context,
)

from calculators import CALCULATORS

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from playwright.sync_api import Browser

pytestmark = pytest.mark.browser


REPO = __import__("pathlib").Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def zensical_served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """``(base URL, site dir)`` of a Zensical build served by ``tools/launcher/serve.py``."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}/"
    site = tmp_path_factory.mktemp("zensical-live") / "site"
    env = dict(os.environ, SITE_URL=base)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    command = [sys.executable, "-m", "sitebuild", "build", "--generator", "zensical"]
    command += ["--site-dir", str(site), "--build-dir", str(site.parent / "build")]
    done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    assert done.returncode == 0, done.stdout + done.stderr
    launcher = [sys.executable, str(REPO / "tools" / "launcher" / "serve.py")]
    launcher += ["--root", str(site), "--port", str(port), "--no-browser"]
    server = subprocess.Popen(launcher, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603
    try:
        for _ in range(100):
            try:
                with urllib.request.urlopen(base, timeout=1) as response:
                    if response.status == 200:
                        break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail(f"the launcher did not answer on {base}")
        yield base, site
    finally:
        server.terminate()
        server.wait(timeout=10)


def _pages(site: Path) -> dict[str, str]:
    pages: dict[str, str] = {}
    for html in sorted(site.rglob("index.html")):
        for calc_id in re.findall(r'<form [^>]*data-calculator="([^"]+)"', html.read_text("utf-8")):
            pages[calc_id] = html.relative_to(site).as_posix().removesuffix("index.html")
    return pages


def test_zensical_build_runs_every_calculator_live(
    browser: Browser, zensical_served: tuple[str, Path]
) -> None:
    """Each calculator goes live, equals CPython for defaults and a change, with no errors."""
    base, site = zensical_served
    pages = _pages(site)
    assert sorted(pages) == sorted(CALCULATORS)
    context, watch = new_context(browser, dedicated_worker=True)  # its requests are seen
    try:
        calcs = Calculators(context.new_page(), base, pages)
        for calc_id, calc in CALCULATORS.items():
            calcs.goto(calc_id)
            assert calcs.result(calc_id) == expected(calc_id, {}), calc_id
            name = next(f.name for f in calc.fields if f.kind in {"number", "choice"})
            value = alternate(calc_id, name)
            calcs.set(calc_id, name, value)
            assert calcs.settle(calc_id) == "ready", calc_id
            assert calcs.result(calc_id) == expected(calc_id, {name: value}), (calc_id, name)
    finally:
        context.close()
    # Zensical's search overlay puts its stylesheet in an inline <style> in a shadow root:
    # the build's CSP allows it by its hash, read from the bundle (sitebuild/shadow_styles.py).
    assert watch.errors == []
    foreign = [url for url in watch.requests if not url.startswith((base, "data:", "blob:"))]
    assert foreign == []


def site_paths(site: Path) -> list[str]:
    """Every page of a built site (``""`` for the home page), its assets excluded."""
    return sorted(
        p.relative_to(site).as_posix().removesuffix("index.html")
        for p in site.rglob("index.html")
        if not p.relative_to(site).as_posix().startswith("assets/")
    )


def test_zensical_every_page_loads_with_a_clean_console(
    browser: Browser, zensical_served: tuple[str, Path]
) -> None:
    """Each page of the Zensical build, loaded afresh: 0 console errors, 0 page errors."""
    base, site = zensical_served
    paths = site_paths(site)
    assert len(paths) >= 15
    load_each_page_cleanly(browser, base, paths)


def test_zensical_search_overlay_is_styled(
    browser: Browser, zensical_served: tuple[str, Path]
) -> None:
    """The overlay's stylesheet applies: a <style> the policy refused would have no sheet."""
    base, _ = zensical_served
    context, watch = new_context(browser, dedicated_worker=True)
    try:
        page = context.new_page()
        page.goto(base, wait_until="load")
        rules = page.evaluate(
            """() => [...document.body.children]
                 .filter((el) => el.shadowRoot && el.shadowRoot.querySelector("style"))
                 .map((el) => el.shadowRoot.querySelector("style").sheet?.cssRules.length ?? -1)"""
        )
        assert rules, "no shadow root with a <style> (Zensical's search overlay) on the page"
        assert min(rules) > 10, f"the overlay's stylesheet did not apply: {rules}"
        assert watch.errors == []
    finally:
        context.close()


def test_zensical_tables_are_wrapped_once(
    browser: Browser, zensical_served: tuple[str, Path]
) -> None:
    """sitebuild/theme_start.py under Zensical: tables wrapped once, stylesheets resolved early.

    Zensical's bundle has Material's table component; the build wraps the tables and patches
    its selector (tests/browser/test_theme_start.py compares the DOM with the theme's own
    under Material). Control: the nested count is what an unpatched bundle would give.
    """
    base, _ = zensical_served
    context, watch = new_context(browser, dedicated_worker=True)
    try:
        page = context.new_page()
        page.goto(f"{base}safety/", wait_until="load")
        page.wait_for_timeout(500)
        facts = page.evaluate(TABLE_FACTS_JS)
        assert facts["tables"] > 0, facts
        assert facts["wrapped"] == facts["tables"], facts
        assert facts["nested"] == 0, facts
        assert "js" in facts["html"].split(), facts
        # The stylesheets resolved in <head>, and the palette's switch attribute renamed.
        sheets = page.evaluate(
            """async () => Promise.all([...document.querySelectorAll("link[rel=stylesheet]")]
              .map(async (link) => [
                link.getAttribute("href"), await (await fetch(link.href)).text(),
              ]))"""
        )
        assert sheets, "no stylesheet"
        assert all(href.startswith(base) for href, _ in sheets), [href for href, _ in sheets]
        palettes = [text for href, text in sheets if "/palette." in href]
        assert len(palettes) == 1, [href for href, _ in sheets]
        assert "data-md-color-user-swap" in palettes[0]
        assert "data-md-color-switching" not in palettes[0]
        assert watch.errors == []
    finally:
        context.close()
