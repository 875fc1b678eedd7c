"""The benchmark's web server: the offline launcher readers get, counting what it sends.

The request handler and the server are ``tools/launcher/serve.py``'s, as ``make serve`` and
the offline copy run them: its Content-Types, gzip and ETags, the ``Cache-Control`` and the
Content-Security-Policy it takes from the site's manifest, its timeouts and connection cap.
The benchmark adds only what it measures with:

- every file compressed once before measuring (the manifest's files and the pages the
  benchmark adds), so that no measured request waits for the server's gzip;
- a log of every response with the bytes written to the socket (status line, headers and
  body), so the benchmark counts what crossed the wire without trusting the browser.
"""

# ruff: noqa: INP001 - bench/ is a folder of scripts run by path, not a package.
# ruff: noqa: ANN401 - the launcher is loaded from its file: its classes are Any at the seams.

from __future__ import annotations

import importlib.util
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Self

from _site import BenchSetupError

if TYPE_CHECKING:
    from types import ModuleType

LAUNCHER = Path(__file__).resolve().parents[1] / "tools" / "launcher" / "serve.py"
SOURCE = (
    "tools/launcher/serve.py (the launcher readers get: its handler and server; "
    "cache headers and CSP from the site's manifest)"
)


@dataclass(frozen=True)
class Hit:
    """One response: when it was finished (``time.monotonic``), what and how many bytes."""

    t: float
    path: str
    status: int
    bytes_sent: int


def load_launcher(path: Path = LAUNCHER) -> ModuleType:
    """``serve.py``, imported from its file (it is one file in the offline copy, no package)."""
    spec = importlib.util.spec_from_file_location("_bench_launcher_serve", path)
    if spec is None or spec.loader is None:
        raise BenchSetupError(f"{path} is not importable: the benchmark serves the site with it.")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Link:
    """A slow network shared by every connection: one round trip, then a capped throughput.

    The throttled-phone profile (``run.py --phone``): the server holds each response's first
    byte for ``latency_s`` and lets bytes out, across all connections together, no faster
    than ``bytes_per_s``. Throttling here rather than in DevTools applies it to every
    request alike: DevTools' network emulation does not reach requests a service worker
    makes, so a page with one would seem to have a fast network.
    """

    def __init__(self, *, latency_s: float, bytes_per_s: float) -> None:
        self.latency_s = latency_s
        self.bytes_per_s = bytes_per_s
        self._lock = threading.Lock()
        self._free_at = 0.0

    def transmit(self, size: int) -> None:
        """Wait until ``size`` more bytes would have crossed the link."""
        with self._lock:
            now = time.monotonic()
            self._free_at = max(now, self._free_at) + size / self.bytes_per_s
            wait = self._free_at - now
        time.sleep(wait)


class _CountingWriter:
    """Wraps the socket's write side and counts what goes through it (through ``link``)."""

    def __init__(self, raw: BinaryIO, link: Link | None = None) -> None:
        self.raw = raw
        self.count = 0
        self.link = link
        self.fresh = False  # a response has not written its first byte yet

    def write(self, data: bytes) -> int:
        self.count += len(data)
        if self.link is not None:
            if self.fresh:
                time.sleep(self.link.latency_s)
                self.fresh = False
            self.link.transmit(len(data))
        return self.raw.write(data)

    def flush(self) -> None:
        self.raw.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.raw, name)


class _Counting:
    """Mixed into the launcher's request handler: logs each response with the bytes it wrote."""

    server: Any
    wfile: Any

    def setup(self) -> None:
        super().setup()  # type: ignore[misc]
        self.wfile = _CountingWriter(self.wfile, getattr(self.server, "link", None))

    def handle_one_request(self) -> None:
        writer: _CountingWriter = self.wfile
        writer.fresh = True
        before = writer.count
        self._bench_status = 0
        super().handle_one_request()  # type: ignore[misc]
        if getattr(self, "command", None):
            status = int(getattr(self, "_bench_status", 0))
            self.server.record(Hit(time.monotonic(), self.path, status, writer.count - before))

    def send_response(self, code: int, message: str | None = None) -> None:
        self._bench_status = code
        super().send_response(code, message)  # type: ignore[misc]


class _HitsLog:
    """Mixed into the launcher's server: the log the counting handler writes to."""

    link: Link | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._hits_lock = threading.Lock()
        self.hits: list[Hit] = []
        super().__init__(*args, **kwargs)

    def record(self, hit: Hit) -> None:
        with self._hits_lock:
            self.hits.append(hit)

    def count(self) -> int:
        with self._hits_lock:
            return len(self.hits)

    def hits_since(self, mark: int) -> list[Hit]:
        with self._hits_lock:
            return list(self.hits[mark:])


def free_port() -> int:
    """A port free on 127.0.0.1 now, for the site to be built for and served on.

    Material's instant navigation only follows links whose host and port match the
    sitemap's, which come from ``site_url``.
    """
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """``with Server(port, root, extra) as s:`` serves the built site ``root`` at ``s.url``.

    On 127.0.0.1:``port`` exactly (the site was built for it). ``extra``: site-relative
    paths of the files the benchmark added (not in the manifest), compressed up front too.
    """

    source = SOURCE

    def __init__(self, port: int, root: Path, extra: list[str], link: Link | None = None) -> None:
        serve = load_launcher()
        server_class = type("_BenchSiteServer", (_HitsLog, serve.SiteServer), {})
        try:
            self._server = serve.make_server(
                root,
                port=port,
                quiet=True,
                move_if_busy=False,
                mixins=(_Counting,),
                server_class=server_class,
            )
        except serve.NotABuiltSiteError as exc:
            raise BenchSetupError(str(exc)) from None
        except OSError as exc:
            raise BenchSetupError(
                f"port {port}, which the site was built for, cannot be served ({exc}): "
                "another program took it meanwhile; run the benchmark again."
            ) from None
        self._server.link = link
        handler = self._server.RequestHandlerClass
        handler.prewarm([*handler.manifest.file_bytes, *extra])
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return str(self._server.url)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def mark(self) -> int:
        """A position in the hits log, for :meth:`since`."""
        return int(self._server.count())

    def since(self, mark: int) -> list[Hit]:
        """The responses finished since ``mark``."""
        return list(self._server.hits_since(mark))
