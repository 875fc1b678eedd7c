"""The benchmark's web server: the standard library's threaded HTTP server, made realistic.

- HTTP/1.1 keep-alive, as every static host speaks;
- the Content-Type a browser insists on (``application/wasm`` for streaming compilation,
  ``text/javascript`` for module scripts and workers);
- the project's offline launcher's own request handler (``tools/launcher/serve.py``: its
  cache headers, gzip and ETags) when it exists, gzip done once before measuring; otherwise
  the standard library's file handler with the usual policy for a static site: a year and
  ``immutable`` for versioned or content-hashed files (the Pyodide runtime lives under a
  versioned path), ``no-cache`` (revalidate, answered ``304`` when unchanged) for the rest;
- a log of every response with the bytes written to the socket (status line, headers and
  body), so the benchmark counts what crossed the wire without trusting the browser.
"""

# ruff: noqa: INP001 - bench/ is a folder of scripts run by path, not a package.
# ruff: noqa: ANN401 - the handler classes come from the launcher or the stdlib: Any at the seams.

from __future__ import annotations

import importlib.util
import os
import re
import socket
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, BinaryIO, ClassVar, Self

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
# Material's bundles carry a content hash: bundle.<hex>.min.js, main.<hex>.min.css.
_HASHED_NAME = re.compile(r"\.[0-9a-f]{8,}\.min\.(?:js|css)$")
_TYPES = {
    ".wasm": "application/wasm",
    ".mjs": "text/javascript",
    ".js": "text/javascript",
    ".json": "application/json",
    ".zip": "application/zip",
    ".whl": "application/zip",
    ".map": "application/json",
}

CachePolicy = Callable[[str], str]


@dataclass(frozen=True)
class Hit:
    """One response: when it was finished (``time.monotonic``), what and how many bytes."""

    t: float
    path: str
    status: int
    bytes_sent: int


def default_cache_policy(versioned_prefixes: tuple[str, ...]) -> CachePolicy:
    """Long-lived for versioned paths and hashed names, revalidate for the rest."""

    def policy(path: str) -> str:
        if path.startswith(versioned_prefixes) or _HASHED_NAME.search(path):
            return IMMUTABLE
        return REVALIDATE

    return policy


def launcher_handler(repo: Path, root: Path) -> tuple[type[BaseHTTPRequestHandler] | None, str]:
    """The offline launcher's own request handler (``tools/launcher/serve.py``), if any.

    It is what a reader of the offline copy gets: its ``Cache-Control`` (from the build's
    manifest of versioned paths), its gzip, its ETags. Returns ``(handler, where)``; the
    handler is None when the project has no launcher or it cannot be used, ``where`` says
    which, for the report.
    """
    serve = repo / "tools" / "launcher" / "serve.py"
    if not serve.is_file():
        return None, "no tools/launcher/serve.py"
    spec = importlib.util.spec_from_file_location("_bench_launcher_serve", serve)
    if spec is None or spec.loader is None:
        return None, f"{serve} is not importable"
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
        handler: type[BaseHTTPRequestHandler] = module.make_handler(root, quiet=True)
    except Exception as exc:  # noqa: BLE001 - a broken launcher must not stop the benchmark
        return None, f"{serve} could not be used: {exc!r}"
    _prewarm_gzip(handler, module, root)
    return handler, "tools/launcher/serve.py (its handler: cache headers, gzip, ETags)"


def _prewarm_gzip(handler: Any, module: Any, root: Path) -> None:
    """Compress every file once now, so no measured request waits for the server's gzip."""
    cache = getattr(handler, "gzip_cache", None)
    if cache is None:
        return
    for path in root.rglob("*"):
        if path.is_file() and module.is_compressible(module.content_type(path)):
            cache.get(Path(os.path.realpath(path)), path.stat())


class _CountingWriter:
    """Wraps the socket's write side and counts what goes through it."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw
        self.count = 0

    def write(self, data: bytes) -> int:
        self.count += len(data)
        return self.raw.write(data)

    def flush(self) -> None:
        self.raw.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.raw, name)


class _Counting:
    """Mixed into a request handler: logs each response with the bytes it wrote."""

    server: _Server
    wfile: Any

    def setup(self) -> None:
        super().setup()  # type: ignore[misc]
        self.wfile = _CountingWriter(self.wfile)

    def handle_one_request(self) -> None:
        writer: _CountingWriter = self.wfile
        before = writer.count
        self._bench_status = 0
        super().handle_one_request()  # type: ignore[misc]
        if getattr(self, "command", None):
            status = int(getattr(self, "_bench_status", 0))
            self.server.record(Hit(time.monotonic(), self.path, status, writer.count - before))

    def send_response(self, code: int, message: str | None = None) -> None:
        self._bench_status = code
        super().send_response(code, message)  # type: ignore[misc]


class _Handler(SimpleHTTPRequestHandler):
    """The fallback when the project has no launcher: stdlib files, the default policy."""

    protocol_version = "HTTP/1.1"
    extensions_map: ClassVar[dict[str, str]] = {**SimpleHTTPRequestHandler.extensions_map, **_TYPES}
    server: _Server

    def end_headers(self) -> None:
        path = self.path.split("?", 1)[0]
        self.send_header("Cache-Control", self.server.cache_policy(path))
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base's name
        pass  # quiet: the hits log is the record


def free_port() -> int:
    """A port free on 127.0.0.1 now, for the site to be built for and served on.

    Material's instant navigation only follows links whose host and port match the
    sitemap's, which come from ``site_url``.
    """
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return  # the browser closed a connection it no longer needed (a new page, a close)
        super().handle_error(request, client_address)

    def __init__(
        self,
        port: int,
        handler: Callable[..., BaseHTTPRequestHandler],
        cache_policy: CachePolicy | None,
    ) -> None:
        super().__init__(("127.0.0.1", port), handler)
        self.cache_policy = cache_policy
        self._lock = threading.Lock()
        self.hits: list[Hit] = []

    def record(self, hit: Hit) -> None:
        with self._lock:
            self.hits.append(hit)

    def count(self) -> int:
        with self._lock:
            return len(self.hits)

    def hits_since(self, mark: int) -> list[Hit]:
        with self._lock:
            return list(self.hits[mark:])


class Server:
    """``with Server(root, launcher) as s:`` serves ``root`` at ``s.url`` on 127.0.0.1.

    ``launcher`` is the project's launcher handler (:func:`launcher_handler`), or None for
    the standard library's file handler with :func:`default_cache_policy`.
    """

    def __init__(
        self,
        port: int,
        root: Path,
        launcher: type[BaseHTTPRequestHandler] | None,
        versioned: tuple[str, ...],
    ) -> None:
        if launcher is not None:
            handler: Callable[..., BaseHTTPRequestHandler] = type(
                "_BenchLauncher", (_Counting, launcher), {}
            )
            self._server = _Server(port, handler, None)
        else:
            counting = type("_BenchStdlib", (_Counting, _Handler), {})
            self._server = _Server(
                port, partial(counting, directory=str(root)), default_cache_policy(versioned)
            )
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/"

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def mark(self) -> int:
        """A position in the hits log, for :meth:`since`."""
        return self._server.count()

    def since(self, mark: int) -> list[Hit]:
        """The responses finished since ``mark``."""
        return self._server.hits_since(mark)
