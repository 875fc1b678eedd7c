"""Fixtures for the offline-bundle tests: the bundle, unpacked; the launcher; Chromium.

The bundle is built once per session exactly as ``make bundle`` builds it (a fresh strict
site build into a temporary folder, then the zip), and unpacked into a temporary folder.
``OFFLINE_TEST_SITE=<dir>`` zips that existing build instead (``tools/bundle.py --site``,
which refuses a stale one): quicker while working on the tests themselves.

Browser tests use Debian's Chromium (``/usr/bin/chromium``), headless, with everything that
would phone home switched off; ``apt-get install chromium`` if it is missing.
"""

from __future__ import annotations

import os
import queue
import re
import socket
import subprocess
import sys
import threading
import zipfile
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tools.chromium import CHROMIUM, CHROMIUM_ARGS

if TYPE_CHECKING:
    from collections.abc import Callable

ROOT = Path(__file__).resolve().parents[2]
SERVING = re.compile(r"^Serving .* at (http://127\.0\.0\.1:\d+/)$")


@dataclass(frozen=True)
class Bundle:
    """The archive and the folder it was unpacked into."""

    archive: Path
    folder: Path  # holds serve.py, the starters and site/

    @property
    def site(self) -> Path:
        """The unpacked site folder."""
        return self.folder / "site"

    @property
    def site_url_port(self) -> int:
        """The port of the site_url the site was built with (from its sitemap).

        Material's instant navigation only takes over links whose port is that one; on any
        other port every link is a full page load.
        """
        sitemap = (self.site / "sitemap.xml").read_text(encoding="utf-8")
        match = re.search(r"<loc>http://127\.0\.0\.1:(\d+)/", sitemap)
        assert match, "the sitemap names no http://127.0.0.1:<port>/ address"
        return int(match[1])


@pytest.fixture(scope="session")
def bundle(tmp_path_factory) -> Bundle:
    """``tools/bundle.py`` run once, its archive unpacked.

    The site is built for a free port (SITE_URL), which the ``launcher`` fixture then uses,
    so that Material's instant navigation works as it does for a reader on port 8000.
    """
    out = tmp_path_factory.mktemp("dist")
    command = [sys.executable, str(ROOT / "tools" / "bundle.py"), "--out-dir", str(out)]
    env = dict(os.environ)
    if os.environ.get("OFFLINE_TEST_SITE"):
        command += ["--site", os.environ["OFFLINE_TEST_SITE"]]
    else:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            env["SITE_URL"] = f"http://127.0.0.1:{probe.getsockname()[1]}/"
    done = subprocess.run(  # noqa: S603 - our own tool
        command, cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, (
        f"tools/bundle.py failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    )
    (archive,) = out.glob("*.zip")
    unpacked = tmp_path_factory.mktemp("unpacked")
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(unpacked)
    (folder,) = unpacked.iterdir()
    return Bundle(archive=archive, folder=folder)


class Launcher:
    """``serve.py`` from the unpacked bundle, as a child process on a free port."""

    def __init__(self, folder: Path, *options: str, port: int = 0) -> None:
        """Start it and read the address it prints (a busy ``port`` gives another one)."""
        self.proc = subprocess.Popen(  # noqa: S603 - the bundle's own script
            [
                sys.executable,
                str(folder / "serve.py"),
                "--port",
                str(port),
                "--no-browser",
                "--quiet",
                *options,
            ],
            cwd=folder,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.url = ""
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            match = SERVING.match(line.strip())
            if match:
                self.url = match[1]
                break
        assert self.url, f"the launcher printed no address; stderr: {self.stop()}"
        self.port = int(self.url.rsplit(":", 1)[1].strip("/"))

    def stop(self) -> str:
        """Stop the server (the network is gone); returns what it wrote to stderr."""
        if self.proc.poll() is None:
            self.proc.terminate()
        _out, err = self.proc.communicate(timeout=10)
        return err


@pytest.fixture(scope="session")
def make_launcher():
    """``make_launcher(folder, *options)`` starts a :class:`Launcher` (the caller stops it)."""
    return Launcher


@pytest.fixture
def launcher(bundle):
    """A launcher for one test (a test may stop it), on the site_url port when it is free."""
    server = Launcher(bundle.folder, port=bundle.site_url_port)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def shared_launcher(bundle):
    """A launcher shared by the tests of one module."""
    server = Launcher(bundle.folder)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def csp_launcher(bundle):
    """A launcher sending the hosting guide's Content-Security-Policy.

    It is the default; the old ``--csp`` flag, still accepted, says so explicitly.
    """
    server = Launcher(bundle.folder, "--csp")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def no_csp_launcher(bundle):
    """A launcher with ``--no-csp``: only the pages' own ``<meta>`` policy applies."""
    server = Launcher(bundle.folder, "--no-csp")
    yield server
    server.stop()


class BrowserThread:
    """Debian's headless Chromium, driven from a thread of its own.

    Playwright's sync API allows one running instance per thread, and tests/browser keeps one
    open in the main thread for the whole session; so the offline tests start theirs in
    another thread and run each scenario there (:meth:`run`). Exceptions, assertion failures
    included, are raised again in the test.
    """

    def __init__(self) -> None:
        """Start the thread and wait until Chromium is up (or failed to start)."""
        self._jobs: queue.Queue[tuple[Callable[[Any], Any], Future[Any]] | None] = queue.Queue()
        started: Future[None] = Future()
        self._thread = threading.Thread(
            target=self._main, args=(started,), name="offline-chromium", daemon=True
        )
        self._thread.start()
        started.result(timeout=120)

    def _main(self, started: Future[None]) -> None:
        from playwright.sync_api import sync_playwright  # noqa: PLC0415 - browser tests only

        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                started.set_result(None)
                while (job := self._jobs.get()) is not None:
                    fn, done = job
                    try:
                        done.set_result(fn(browser))
                    except BaseException as exc:  # noqa: BLE001 - handed to the test thread
                        done.set_exception(exc)
                browser.close()
        except BaseException as exc:  # noqa: BLE001 - Chromium did not start: say why
            if not started.done():
                started.set_exception(exc)

    def run(self, scenario: Callable[[Any], Any], **context_options: Any) -> Any:
        """``scenario(context)`` in a fresh browser context (no service worker, no cache)."""

        def job(browser: Any) -> Any:
            context = browser.new_context(service_workers="allow", **context_options)
            try:
                return scenario(context)
            finally:
                context.close()

        done: Future[Any] = Future()
        self._jobs.put((job, done))
        return done.result()

    def close(self) -> None:
        """Close Chromium and end the thread."""
        self._jobs.put(None)
        self._thread.join(timeout=30)


@pytest.fixture(scope="session")
def chromium():
    """The offline tests' Chromium thread; ``chromium.run(scenario)`` runs one scenario."""
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"{CHROMIUM} is missing: apt-get update && apt-get install -y chromium")
    thread = BrowserThread()
    yield thread
    thread.close()


class PageWatch:
    """What a page did that a test must see: uncaught errors, console errors, foreign hosts."""

    def __init__(self, context, allowed_origin: str | None) -> None:
        """Watch every page and worker of ``context``."""
        self.errors: list[str] = []
        self.console_errors: list[str] = []
        self.foreign: list[str] = []
        self.allowed_origin = allowed_origin
        context.on("page", self._page)
        context.on("request", self._request)

    def _page(self, page) -> None:
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on(
            "console",
            lambda message: (
                self.console_errors.append(message.text) if message.type == "error" else None
            ),
        )

    def _request(self, request) -> None:
        url = request.url
        if url.startswith(("data:", "blob:", "file:")):
            return
        if self.allowed_origin and url.startswith(self.allowed_origin):
            return
        self.foreign.append(url)


@pytest.fixture
def page_watch():
    """``page_watch(context, origin)`` starts a :class:`PageWatch`."""
    return PageWatch
