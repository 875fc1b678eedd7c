#!/usr/bin/env python3
"""Serve the offline copy of the baclofen dosing site, on this computer (127.0.0.1) or a room.

    python3 serve.py                 # http://127.0.0.1:8000/, opens the browser
    python3 serve.py --port 8080     # another port (a free one is used if it is busy)
    python3 serve.py --no-browser    # do not open a browser window
    python3 serve.py --lan           # also answer other computers on the network (a classroom)
    python3 serve.py --no-csp        # do not send the Content-Security-Policy header

Standard library only, Python 3.9 or newer, so it runs on whatever Python a school computer
has. The calculators need a web server because browsers refuse to start the Python runtime
(WebAssembly in a module worker) from a page opened as a file.

What it does beyond ``python -m http.server``:

- binds to 127.0.0.1 only, so nobody else on the network can reach it, unless ``--lan``
  (every interface: it prints what that exposes);
- holds a classroom: a listen backlog of :data:`LISTEN_BACKLOG` and one thread per
  connection, at most :data:`MAX_CONNECTIONS` at once (more wait in the backlog, they are not
  refused); a connection that sends no complete request head within :data:`REQUEST_TIMEOUT_S`
  seconds (silent, or trickling bytes) is closed, and so is one that stops reading;
- when the process runs out of file descriptors it stops accepting for a moment (no busy
  loop) and answers 503 to a request it cannot open a file for, and keeps serving;
- a path segment longer than a file name can be is a 404, a very long path a 414;
- sends the build's Content-Security-Policy on pages (``--no-csp`` to leave it out);
- serves only a folder the site build made: the policy, the versioned paths, the hashed-name
  pattern and the file list come from its manifest (:data:`MANIFEST_PATH`), of which the
  launcher keeps no copy; a folder without one is refused, saying what to run instead, and a
  folder missing some of the listed files gets a warning;
- sends correct types for ``.wasm``, ``.mjs``, ``.json``, ``.webmanifest`` whatever the
  operating system's registry says (Windows often maps ``.js`` to ``text/plain``);
- gzip-compresses text, JSON and WebAssembly when the browser accepts it;
- ``Cache-Control``: a year and ``immutable`` for versioned files (the Pyodide folder and
  files whose names carry a content hash), ``no-cache`` for pages, ``sw.js`` and the rest;
- refuses anything outside the site folder: ``..`` (also percent-encoded), backslashes,
  drive letters and symbolic links that lead out of the folder (403), missing files (404).

It is also the project's one request handler: the benchmark (``bench/_server.py``) and the
browser tests (``tests/browser/conftest.py``) import this file and add only what they measure
or need (:func:`make_server`, :func:`make_handler`, :class:`SiteManifest`).
"""

# ruff: noqa: T201 - a command-line program: printing is how it talks to the person running it.

from __future__ import annotations

import argparse
import contextlib
import email.utils
import errno
import gzip
import http.server
import json
import os
import re
import socket
import sys
import threading
import time
import urllib.parse
import webbrowser
from pathlib import Path
from typing import TypeVar

HERE = Path(__file__).resolve().parent
DEFAULT_ROOT = HERE / "site"
DEFAULT_PORT = 8000
HOST = "127.0.0.1"
LAN_HOST = "0.0.0.0"  # noqa: S104 - every interface, only with --lan, which says so
HTTP_OK = 200

# Connections the operating system queues while the server is busy (capped by the system's
# own limit, e.g. net.core.somaxconn on Linux). The standard library's default is 5: past it
# a classroom's burst of connections was dropped.
LISTEN_BACKLOG = 1024
# Threads serving connections at once. A thread per connection keeps the browsers' keep-alive
# connections (six per visitor) simple and cheap; the cap keeps a flood from exhausting
# memory. Connections past it wait in the listen backlog until a thread is free.
MAX_CONNECTIONS = 512
# A connection must deliver a complete request head (request line and headers) within this
# many seconds of being opened or of its previous response, and each read or write must make
# progress within it: a silent, trickling or non-reading client is closed, not kept forever.
REQUEST_TIMEOUT_S = 15.0
# How long accepting pauses when the process has no file descriptor left (EMFILE/ENFILE):
# the pending connection stays in the backlog, and in-flight requests free descriptors.
FD_BACKOFF_S = 0.25
# Longer paths cannot name a file of the site; the file system would refuse them anyway.
MAX_SEGMENT_BYTES = 255
MAX_PATH_CHARS = 2048
_FD_EXHAUSTED = {errno.EMFILE, errno.ENFILE}
_NOT_A_FILE = {errno.ENAMETOOLONG, errno.ENOENT, errno.ENOTDIR, errno.ELOOP, errno.EINVAL}
# The client went away, stopped reading or sending, or the watchdog closed it. (On Python
# 3.9 socket.timeout is not yet TimeoutError.)
_GONE = (ConnectionError, TimeoutError, socket.timeout)

# Written by the site build (sitebuild/finish_offline.py) into every site it builds: the exact
# Content-Security-Policy, which paths are versioned, the pattern of content-hashed names and
# every file with its size. The launcher reads these facts there and keeps no copy of them.
# Its path is the one fact it must know beforehand: it ships alone (no sitebuild to read
# sitebuild/names.json from, and nothing in the site can say where that file is), so it is
# written here, and tests/offline/test_launcher.py checks it against names.json.
MANIFEST_PATH = "assets/offline/manifest.json"
BUILD_HINT = (
    "Build the site with `make site` (in the project's folder; it writes site/) and serve "
    "that folder, or, for the offline copy, unpack its zip again and start serve.py from it."
)

# Explicit types: the platform's mimetypes registry is not trusted (see the module docstring).
MIME_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".map": "application/json",
    ".webmanifest": "application/manifest+json",
    ".wasm": "application/wasm",
    ".zip": "application/zip",
    ".whl": "application/zip",
    ".gz": "application/gzip",
    ".tar": "application/x-tar",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".ico": "image/x-icon",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".txt": "text/plain; charset=utf-8",
    ".md": "text/plain; charset=utf-8",
    ".py": "text/plain; charset=utf-8",
    ".ts": "text/plain; charset=utf-8",
    ".xml": "application/xml",
    ".pdf": "application/pdf",
    ".csv": "text/csv; charset=utf-8",
}
DEFAULT_MIME_TYPE = "application/octet-stream"

COMPRESSIBLE = re.compile(
    r"^(text/|application/(json|javascript|wasm|xml|manifest\+json)|image/svg\+xml)"
)
# Below this size gzip saves less than the header costs.
MIN_COMPRESS_BYTES = 512

CACHE_IMMUTABLE = "public, max-age=31536000, immutable"
CACHE_REVALIDATE = "no-cache"
# Files named in the warning about a partial copy; the count says how many more.
MISSING_SHOWN = 5


class Forbidden(Exception):  # noqa: N818 - names the HTTP status it becomes.
    """The request names something outside the site folder."""


class TooLong(Exception):  # noqa: N818 - names the HTTP status it becomes.
    """The request's path is longer than any path of the site could be (414)."""


class NotABuiltSiteError(ValueError):
    """The folder has no usable manifest of this project's site build (see :data:`BUILD_HINT`)."""


_T = TypeVar("_T")
_KINDS = {str: "a string", int: "an integer", list: "a list", dict: "an object"}


def _check(value: object, kind: type[_T], what: str) -> _T:
    """``value`` if it is a ``kind`` (JSON's: no boolean is an integer), else NotABuiltSiteError."""
    if not isinstance(value, kind) or isinstance(value, bool):
        got = json.dumps(value)
        raise NotABuiltSiteError(f"{what} should be {_KINDS[kind]}, got {got[:80]}. {BUILD_HINT}")
    return value


def _field(data: object, key: str, kind: type[_T], where: str) -> _T:
    """``data[key]`` (dotted: ``csp.policy``) if it is a ``kind``, else NotABuiltSiteError."""
    value = data
    for part in key.split("."):
        if not isinstance(value, dict) or part not in value:
            raise NotABuiltSiteError(f"{where} has no `{key}`. {BUILD_HINT}")
        value = value[part]
    return _check(value, kind, f"{where}: `{key}`")


class SiteManifest:
    """What the build's manifest says about a site: its CSP, its versioned paths, its files.

    Made by :meth:`read`; every fact here comes from the manifest, none is built in.
    """

    def __init__(
        self,
        *,
        policy: str,
        immutable_prefixes: tuple[str, ...],
        hashed_name: re.Pattern[str],
        file_bytes: dict[str, int],
    ) -> None:
        """The facts, as :meth:`read` takes them from the manifest."""
        self.policy = policy
        self.immutable_prefixes = immutable_prefixes
        self.hashed_name = hashed_name
        self.file_bytes = file_bytes

    @classmethod
    def read(cls, root: Path) -> SiteManifest:
        """Read ``root``'s :data:`MANIFEST_PATH`, or raise NotABuiltSiteError saying why not."""
        path = root / MANIFEST_PATH
        if not path.is_file():
            raise NotABuiltSiteError(
                f"{root} is not a site built by this project: it has no {MANIFEST_PATH}, "
                "which the site build writes (the Content-Security-Policy and the caching "
                f"rules this launcher sends come from it). {BUILD_HINT}"
            )
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise NotABuiltSiteError(
                f"{path} cannot be read as JSON ({exc}). {BUILD_HINT}"
            ) from None
        where = str(path)
        pattern = _field(data, "hashed_name_pattern", str, where)
        try:
            hashed_name = re.compile(pattern)
        except re.error as exc:
            raise NotABuiltSiteError(
                f"{where}: `hashed_name_pattern` {pattern!r} is not a regular expression "
                f"({exc}). {BUILD_HINT}"
            ) from None
        prefixes = _field(data, "immutable_prefixes", list, where)
        for i, prefix in enumerate(prefixes):
            _check(prefix, str, f"{where}: `immutable_prefixes[{i}]`")
        file_bytes: dict[str, int] = {}
        for i, entry in enumerate(_field(data, "files", list, where)):
            rel = _field(entry, "path", str, f"{where}: `files[{i}]`")
            file_bytes[rel] = _field(entry, "bytes", int, f"{where}: `files[{i}]`")
        return cls(
            policy=_field(data, "csp.policy", str, where),
            immutable_prefixes=tuple(prefixes),
            hashed_name=hashed_name,
            file_bytes=file_bytes,
        )

    def cache_control(self, rel_path: str) -> str:
        """``Cache-Control`` for a site-relative path such as ``assets/pyodide/0.27/x.wasm``.

        A year and ``immutable`` for a versioned folder's files and content-hashed names (both
        as the manifest says), ``no-cache`` (revalidate) for the rest.
        """
        if rel_path.startswith(self.immutable_prefixes) or self.hashed_name.search(rel_path):
            return CACHE_IMMUTABLE
        return CACHE_REVALIDATE

    def missing(self, root: Path) -> list[str]:
        """The listed files that ``root`` lacks or holds with another size (a partial copy)."""
        gone = []
        for rel, size in self.file_bytes.items():
            try:
                if (root / rel).stat().st_size != size:
                    gone.append(rel)
            except OSError:
                gone.append(rel)
        return gone


def content_type(path: Path) -> str:
    """The ``Content-Type`` for a file, from its extension only."""
    return MIME_TYPES.get(path.suffix.lower(), DEFAULT_MIME_TYPE)


def is_compressible(mime: str) -> bool:
    """Whether gzip helps for this type (text, JSON, SVG, WebAssembly; not zip or images)."""
    return bool(COMPRESSIBLE.match(mime))


def accepts_gzip(header: str | None) -> bool:
    """Whether an ``Accept-Encoding`` header allows gzip (``gzip;q=0`` forbids it)."""
    if not header:
        return False
    for part in header.split(","):
        name, _, params = part.strip().partition(";")
        if name.strip().lower() not in {"gzip", "*"}:
            continue
        quality = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        return quality > 0
    return False


def resolve(root: Path, url_path: str) -> Path:
    """The file or folder a URL path names inside ``root`` (already resolved).

    Raises :class:`Forbidden` for anything that could leave the folder: ``..`` or ``.``
    segments (also percent-encoded), backslashes, NUL bytes, drive letters or colons, and
    symbolic links whose target lies outside ``root``; :class:`TooLong` for a path over
    :data:`MAX_PATH_CHARS` characters; ``FileNotFoundError`` for a segment over
    :data:`MAX_SEGMENT_BYTES` bytes (no file can have that name). Existence is not checked.
    """
    path = urllib.parse.urlsplit(url_path).path
    if len(path) > MAX_PATH_CHARS:
        raise TooLong(f"path of {len(path)} characters (at most {MAX_PATH_CHARS})")
    try:
        decoded = urllib.parse.unquote(path, errors="strict")
    except UnicodeDecodeError:
        raise Forbidden(f"undecodable path {url_path[:100]!r}") from None
    if "\\" in decoded or "\x00" in decoded or ":" in decoded:
        raise Forbidden(f"forbidden character in {url_path[:100]!r}")
    segments = [s for s in decoded.split("/") if s]
    if any(s in {"..", "."} for s in segments):
        raise Forbidden(f"relative segment in {url_path[:100]!r}")
    if any(len(s.encode("utf-8", "surrogatepass")) > MAX_SEGMENT_BYTES for s in segments):
        raise FileNotFoundError(errno.ENAMETOOLONG, "a path segment longer than a file name")
    candidate = root.joinpath(*segments)
    real = Path(os.path.realpath(candidate))
    if real != root and root not in real.parents:
        raise Forbidden(f"{url_path!r} leads outside the site folder")
    return real


class _GzipCache:
    """Compressed bodies, kept per (path, size, mtime) so each file is compressed once.

    Once also when thirty browsers ask for the 10 MB WebAssembly file at the same moment: the
    first request compresses it, the others wait for that body (one lock per file) instead of
    each compressing it again.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: dict[tuple[str, int, int], bytes] = {}
        self._busy: dict[tuple[str, int, int], threading.Lock] = {}

    def get(self, path: Path, stat: os.stat_result) -> bytes:
        key = (str(path), stat.st_size, stat.st_mtime_ns)
        with self._lock:
            body = self._items.get(key)
            if body is not None:
                return body
            file_lock = self._busy.setdefault(key, threading.Lock())
        with file_lock:
            with self._lock:
                body = self._items.get(key)
            if body is None:
                body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
                with self._lock:
                    self._items[key] = body
                    self._busy.pop(key, None)
        return body


class SiteHandler(http.server.BaseHTTPRequestHandler):
    """GET and HEAD for the files of one folder; nothing else."""

    server_version = "BaclofenSiteLauncher/1"
    protocol_version = "HTTP/1.1"

    # Set on the class made by make_handler().
    root: Path
    manifest: SiteManifest
    send_csp: bool
    gzip_cache: _GzipCache
    quiet: bool
    server: SiteServer

    def do_GET(self) -> None:
        """Send a file."""
        self._serve(head=False)

    def do_HEAD(self) -> None:
        """Send a file's headers only."""
        self._serve(head=True)

    def _method_not_allowed(self) -> None:
        self._error(405, "Only GET and HEAD are served.", allow="GET, HEAD")

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _method_not_allowed  # noqa: N815

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Log to stderr unless --quiet."""
        if not self.quiet:
            super().log_message(format, *args)

    @classmethod
    def prewarm(cls, rel_paths: list[str]) -> None:
        """Compress these site-relative files now (those worth it), not on their first request.

        The benchmark does, so that no measured request waits for the server's gzip.
        """
        for rel in rel_paths:
            path = Path(os.path.realpath(cls.root / rel))
            if path.is_file() and is_compressible(content_type(path)):
                cls.gzip_cache.get(path, path.stat())

    def setup(self) -> None:
        """Give every read and write on the connection the server's timeout."""
        super().setup()
        self.connection.settimeout(self.server.request_timeout)

    def handle_one_request(self) -> None:
        """Read and answer one request; the server's watchdog bounds the time to read it."""
        self.server.watch(self.connection)
        try:
            super().handle_one_request()
        except _GONE:
            # The client went away, stopped reading, or was closed by the watchdog.
            self.close_connection = True
        finally:
            self._unwatch()

    def parse_request(self) -> bool:
        """The standard parsing, refused if the watchdog closed the connection meanwhile."""
        ok = super().parse_request()
        if self._unwatch():
            self.close_connection = True
            return False
        return ok

    def _unwatch(self) -> bool:
        return self.server.unwatch(self.connection)

    def _error(
        self,
        status: int,
        text: str,
        allow: str | None = None,
        retry_after: str | None = None,
    ) -> None:
        body = f"{status} {text}\n".encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        if allow:
            self.send_header("Allow", allow)
        if retry_after:
            self.send_header("Retry-After", retry_after)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _serve(self, *, head: bool) -> None:
        self._answered = False
        try:
            self._route(head=head)
        except OSError as exc:
            if self._answered or isinstance(exc, _GONE):
                raise  # mid-response or the client is gone: handle_one_request closes it
            if exc.errno in _FD_EXHAUSTED:
                # Out of file descriptors for a moment: say so; the browser may try again.
                self.close_connection = True
                self._error(503, "Busy: too many open files; try again.", retry_after="1")
            elif exc.errno in _NOT_A_FILE:
                self._error(404, "Not found.")
            else:
                self._error(500, f"The file could not be read ({exc.strerror}).")

    def send_response(self, code: int, message: str | None = None) -> None:
        """Send the status line; remembers that the answer has begun."""
        self._answered = True
        super().send_response(code, message)

    def _route(self, *, head: bool) -> None:
        try:
            path = resolve(self.root, self.path)
        except Forbidden:
            self._error(403, "Forbidden: only files inside the site folder are served.")
            return
        except TooLong:
            self.close_connection = True
            self._error(414, f"URI too long: paths of this site are under {MAX_PATH_CHARS}.")
            return
        if path.is_dir():
            url = urllib.parse.urlsplit(self.path)
            if not url.path.endswith("/"):
                # Relative links in an index page only work from the address with a slash.
                location = urllib.parse.urlunsplit(("", "", url.path + "/", url.query, ""))
                self.send_response(301)
                self.send_header("Location", location)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            path = path / "index.html"
        if not path.is_file():
            self._send_not_found(head=head)
            return
        self._send_file(path, head=head)

    def _send_not_found(self, *, head: bool) -> None:
        page = self.root / "404.html"
        if page.is_file():
            self._send_file(page, head=head, status=404)
        else:
            self._error(404, "Not found.")

    def _send_file(self, path: Path, *, head: bool, status: int = HTTP_OK) -> None:
        stat = path.stat()
        mime = content_type(path)
        rel = path.relative_to(self.root).as_posix()
        compress = is_compressible(mime) and stat.st_size >= MIN_COMPRESS_BYTES
        use_gzip = compress and accepts_gzip(self.headers.get("Accept-Encoding"))
        etag = f'"{stat.st_mtime_ns:x}-{stat.st_size:x}{"-gz" if use_gzip else ""}"'
        if status == HTTP_OK and etag in _etags(self.headers.get("If-None-Match")):
            self.send_response(304)
            self._common_headers(rel, etag, stat, mime=None, vary=compress)
            self.end_headers()
            return
        # The body (or the open file) is in hand before the status line goes out: a file that
        # cannot be opened (no file descriptor left) still gets a whole answer, a 503.
        body = self.gzip_cache.get(path, stat) if use_gzip else None
        source = None if body is not None or head else path.open("rb")
        try:
            length = len(body) if body is not None else stat.st_size
            self.send_response(status)
            self._common_headers(rel, etag, stat, mime=mime, vary=compress)
            if use_gzip:
                self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(length))
            self.end_headers()
            if head:
                return
            if body is not None:
                self.wfile.write(body)
                return
            assert source is not None  # noqa: S101 - opened above when there is no body
            while chunk := source.read(1 << 16):
                self.wfile.write(chunk)
        finally:
            if source is not None:
                source.close()

    def _common_headers(
        self, rel: str, etag: str, stat: os.stat_result, *, mime: str | None, vary: bool
    ) -> None:
        if mime:
            self.send_header("Content-Type", mime)
        self.send_header("Cache-Control", self.manifest.cache_control(rel))
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", email.utils.formatdate(stat.st_mtime, usegmt=True))
        self.send_header("X-Content-Type-Options", "nosniff")
        if vary:
            self.send_header("Vary", "Accept-Encoding")
        if self.send_csp and (mime is None or mime.startswith("text/html")):
            self.send_header("Content-Security-Policy", self.manifest.policy)


def _etags(header: str | None) -> set[str]:
    """The entity tags of an ``If-None-Match`` header, weak ones compared as strong."""
    if not header:
        return set()
    tags = {tag.strip() for tag in header.split(",")}
    return {tag.removeprefix("W/") for tag in tags}


def make_handler(
    root: Path,
    *,
    csp: bool = True,
    quiet: bool = False,
    mixins: tuple[type, ...] = (),
) -> type[SiteHandler]:
    """A handler class serving one built site folder, by its manifest.

    ``csp``: send the manifest's Content-Security-Policy on pages. ``mixins`` come first in
    the class's bases, to add to the handler (the benchmark counts the bytes it writes).
    Raises :class:`NotABuiltSiteError` for a folder without a usable manifest.
    """
    real_root = Path(os.path.realpath(root))
    return type(
        "BoundSiteHandler",
        (*mixins, SiteHandler),
        {
            "root": real_root,
            "manifest": SiteManifest.read(real_root),
            "send_csp": csp,
            "gzip_cache": _GzipCache(),
            "quiet": quiet,
        },
    )


class SiteServer(http.server.ThreadingHTTPServer):
    """A thread per connection, at most ``max_connections`` at once; timeouts; fd back-off.

    Why threads and not a fixed pool: a browser keeps up to six keep-alive connections per
    visitor open between requests, and a fixed pool of N workers would sit idle on those
    while new visitors wait. A thread per connection serves whoever is sending; the
    semaphore caps them so that a flood cannot exhaust memory, and connections past the cap
    wait in the listen backlog (:data:`LISTEN_BACKLOG`) rather than being refused. The
    request timeout frees a thread held by an idle or silent connection. Threads are daemons,
    so they do not keep the program alive on Ctrl-C.
    """

    daemon_threads = True
    # True when bind() took another port than the one asked for (it was busy).
    moved = False
    # The fallback to another port must see a busy port as busy, also on Windows.
    allow_reuse_address = os.name != "nt"
    request_queue_size = LISTEN_BACKLOG

    def __init__(
        self,
        address: tuple[str, int],
        handler: type[http.server.BaseHTTPRequestHandler],
        *,
        request_timeout: float = REQUEST_TIMEOUT_S,
        max_connections: int = MAX_CONNECTIONS,
    ) -> None:
        """Bind and listen; start the watchdog that closes connections past their deadline."""
        self.request_timeout = request_timeout
        self._slots = threading.BoundedSemaphore(max_connections)
        self._watch_lock = threading.Lock()
        self._deadlines: dict[socket.socket, float] = {}
        self._expired: set[socket.socket] = set()
        self._stop = threading.Event()
        self._fd_warned_at = -1e9
        super().__init__(address, handler)
        self._watchdog = threading.Thread(
            target=self._watch_loop, name="request-deadlines", daemon=True
        )
        self._watchdog.start()

    @property
    def url(self) -> str:
        """``http://127.0.0.1:<port>/``: where this computer reaches the site (also with --lan)."""
        return f"http://{HOST}:{self.server_address[1]}/"

    # --- Request deadlines ----------------------------------------------------------------

    def watch(self, conn: socket.socket) -> None:
        """The connection must deliver a whole request head within the timeout from now."""
        with self._watch_lock:
            self._deadlines[conn] = time.monotonic() + self.request_timeout

    def unwatch(self, conn: socket.socket) -> bool:
        """Stop watching; True if the watchdog already closed this connection."""
        with self._watch_lock:
            self._deadlines.pop(conn, None)
            if conn in self._expired:
                self._expired.discard(conn)
                return True
            return False

    def _watch_loop(self) -> None:
        tick = max(0.05, min(1.0, self.request_timeout / 4))
        while not self._stop.wait(tick):
            now = time.monotonic()
            with self._watch_lock:
                late = [conn for conn, deadline in self._deadlines.items() if deadline <= now]
                for conn in late:
                    del self._deadlines[conn]
                    self._expired.add(conn)
                    # Wakes the thread blocked reading from it; it then closes it.
                    with contextlib.suppress(OSError):
                        conn.shutdown(socket.SHUT_RDWR)

    # --- Connections: the cap, and running out of file descriptors -------------------------

    def get_request(self) -> tuple[socket.socket, tuple[str, int]]:
        """Accept a connection; with no file descriptor left, pause instead of spinning."""
        try:
            return super().get_request()
        except OSError as exc:
            if exc.errno in _FD_EXHAUSTED:
                now = time.monotonic()
                if now - self._fd_warned_at > 60:  # noqa: PLR2004 - once a minute at most
                    self._fd_warned_at = now
                    print(
                        "Too many open files: new connections wait until others close "
                        "(the system's limit on open files is reached).",
                        file=sys.stderr,
                        flush=True,
                    )
                # The connection stays in the backlog; accepting again at once would only
                # fail again, in a loop that takes a whole core.
                time.sleep(FD_BACKOFF_S)
            raise

    def process_request(self, request: socket.socket, client_address: object) -> None:  # type: ignore[override]
        """Start the connection's thread once fewer than ``max_connections`` are running."""
        self._slots.acquire()
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request: socket.socket, client_address: object) -> None:  # type: ignore[override]
        """Serve the connection, then free its slot."""
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that went away is not an error worth a traceback."""
        if isinstance(sys.exc_info()[1], _GONE):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]

    def server_close(self) -> None:
        """Stop the watchdog and close the listening socket."""
        self._stop.set()
        super().server_close()


def bind(
    handler: type[SiteHandler],
    port: int,
    host: str = HOST,
    *,
    move_if_busy: bool = True,
    server_class: type[SiteServer] = SiteServer,
    **options: float,
) -> tuple[SiteServer, bool]:
    """A server on ``port``, or on a free port if that one is busy. Returns (server, moved).

    ``move_if_busy=False``: a busy port raises ``OSError`` instead (a site built for that
    port). ``options`` go to ``server_class`` (``request_timeout``, ``max_connections``).
    """
    try:
        return server_class((host, port), handler, **options), False  # type: ignore[arg-type]
    except OSError as exc:
        busy = {errno.EADDRINUSE, errno.EACCES, getattr(errno, "WSAEADDRINUSE", -1)}
        if not move_if_busy or exc.errno not in busy:
            raise
    server = server_class((host, 0), handler, **options)  # type: ignore[arg-type]
    server.moved = True
    return server, True


def make_server(
    root: Path,
    *,
    host: str = HOST,
    port: int = DEFAULT_PORT,
    csp: bool = True,
    quiet: bool = False,
    move_if_busy: bool = True,
    mixins: tuple[type, ...] = (),
    server_class: type[SiteServer] = SiteServer,
    **options: float,
) -> SiteServer:
    """A server for the built site in ``root``, listening (call ``serve_forever()``).

    What ``serve.py`` runs, and what the benchmark and the browser tests start in a thread:
    :func:`make_handler` (``csp``, ``quiet``, ``mixins``) on :func:`bind` (``host``,
    ``port``, ``move_if_busy``, ``server_class``, ``options``). ``server.moved`` says whether
    the port was busy and another one was taken; ``server.url`` is the address.
    Raises :class:`NotABuiltSiteError` for a folder without a usable manifest.
    """
    handler = make_handler(root, csp=csp, quiet=quiet, mixins=mixins)
    server, _moved = bind(
        handler, port, host, move_if_busy=move_if_busy, server_class=server_class, **options
    )
    return server


def lan_addresses() -> list[str]:
    """This computer's IPv4 addresses other computers may reach it at (best effort).

    Asked of the operating system only: connecting a UDP socket picks the interface a route
    would use and sends nothing.
    """
    found: list[str] = []
    with contextlib.suppress(OSError):
        found += socket.gethostbyname_ex(socket.gethostname())[2]
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: a documentation address, no packet
            found.append(probe.getsockname()[0])
        except OSError:
            pass
    return sorted({a for a in found if not a.startswith(("127.", "0."))})


LAN_NOTICE = """\
--lan: this site is now open to the network.
  EXPOSED: every file of {root}
  (the site: its pages, scripts and the Python runtime), read-only, to anyone who can
  reach this computer on port {port}. Nothing can be uploaded or changed, and nothing
  outside that folder is served. Stop with Ctrl-C when the class is done.
  NO OFFLINE COPY for the others: browsers keep the offline copy (a service worker) only
  for https or for 127.0.0.1/localhost. Visitors at http://<this computer>:{port}/ can use
  the pages and calculators while this window stays open, and lose them when it closes or
  they leave the network. The firewall may ask whether Python may accept connections."""


def raise_open_file_limit(wanted: int = 4096) -> None:
    """Raise this process's soft limit on open files towards ``wanted`` (Unix; best effort).

    macOS starts programs with 256, which a classroom of browsers (six connections each)
    comes close to.
    """
    try:
        import resource  # noqa: PLC0415 - Unix only
    except ImportError:
        return
    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        if soft != resource.RLIM_INFINITY and soft < target:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    except (OSError, ValueError):
        pass


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(
        description="Serve the offline copy of the baclofen dosing site at http://127.0.0.1 "
        "(or, with --lan, to the local network).",
    )
    parser.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help=f"port to use (default {DEFAULT_PORT}; a free one is chosen if it is busy)",
    )
    parser.add_argument(
        "--no-browser", action="store_true", help="do not open the site in a browser"
    )
    parser.add_argument(
        "--lan",
        action="store_true",
        help="also answer other computers on the network (every interface): every file of "
        "the site becomes readable to anyone who can reach this computer; they get no "
        "offline copy (that needs https or localhost)",
    )
    csp = parser.add_mutually_exclusive_group()
    csp.add_argument(
        "--no-csp",
        dest="csp",
        action="store_false",
        help="do not send the Content-Security-Policy header (sent by default; the pages "
        "also carry the policy in a <meta> tag)",
    )
    csp.add_argument("--csp", dest="csp", action="store_true", help=argparse.SUPPRESS)
    parser.set_defaults(csp=True)
    parser.add_argument(
        "--root",
        type=Path,
        default=DEFAULT_ROOT,
        help="the site folder to serve (default: the 'site' folder beside this script)",
    )
    parser.add_argument("--quiet", action="store_true", help="do not log each request")
    parser.add_argument(
        "--exact-port",
        action="store_true",
        help="stop if the port is busy instead of taking a free one (`make serve` uses it: "
        "the site is built for that port, and instant navigation needs it)",
    )
    args = parser.parse_args(argv)
    if not 0 <= args.port <= 65535:  # noqa: PLR2004 - the TCP port range.
        parser.error(f"--port must be between 0 and 65535 (got {args.port})")
    return args


_SITEMAP_LOC = re.compile(rb"<loc>\s*([^<\s]+)\s*</loc>")


def built_for(root: Path) -> str | None:
    """The address the site was built for (its sitemap's first URL's origin), or None.

    Material's instant navigation only follows links whose port matches the sitemap's (it
    rewrites the scheme and host, not the port); elsewhere every click reloads the page.
    """
    try:
        match = _SITEMAP_LOC.search((root / "sitemap.xml").read_bytes()[:65536])
    except OSError:
        return None
    if match is None:
        return None
    parts = urllib.parse.urlsplit(match.group(1).decode("utf-8", "replace"))
    default = {"http": 80, "https": 443}.get(parts.scheme)
    try:
        port = parts.port or default
    except ValueError:
        return None
    return f"{parts.scheme}://{parts.hostname}:{port}"


def navigation_notice(root: Path, port: int) -> str:
    """A line saying instant navigation is off on this port, or "" when it works here."""
    origin = built_for(root)
    if origin is None or origin.endswith(f":{port}"):
        return ""
    return (
        f"Note: this copy was built for {origin}/, so on port {port} each click reloads the "
        "page (and the calculators start again). To avoid it, serve it on that port, or "
        f"rebuild it for this one: SITE_URL=http://127.0.0.1:{port}/ make site"
    )


def warn_if_incomplete(root: Path, manifest: SiteManifest) -> None:
    """Say so on stderr if files the manifest lists are missing (a partial copy); go on."""
    missing = manifest.missing(root)
    if not missing:
        return
    shown = ", ".join(missing[:MISSING_SHOWN])
    more = f" and {len(missing) - MISSING_SHOWN} more" if len(missing) > MISSING_SHOWN else ""
    print(
        f"warning: {len(missing)} of the site's {len(manifest.file_bytes)} files are missing "
        f"or incomplete in {root} ({shown}{more}): pages that need them will fail. "
        f"{BUILD_HINT}",
        file=sys.stderr,
        flush=True,
    )


def announce(args: argparse.Namespace, root: Path, server: SiteServer) -> str:
    """Print where the site is served (and what a reader should know about it); its URL."""
    port = server.server_address[1]
    url = server.url
    if server.moved:
        print(f"Port {args.port} is busy (another program is using it); using port {port}.")
    print(f"Serving {root} at {url}")
    notice = navigation_notice(root, port)
    if notice:
        print(notice)
    if args.lan:
        print(LAN_NOTICE.format(root=Path(os.path.realpath(root)), port=port))
        addresses = lan_addresses()
        if addresses:
            for address in addresses:
                print(f"  Others on the network: http://{address}:{port}/")
        else:
            print("  No network address found: is this computer on a network?")
    if not args.csp:
        print("Not sending the Content-Security-Policy header (--no-csp).")
    return url


def main(argv: list[str] | None = None) -> int:
    """Run the server until Ctrl-C."""
    args = parse_args(argv)
    root: Path = args.root
    if not (root / "index.html").is_file():
        print(
            f"error: {root} has no index.html. Keep serve.py next to the 'site' folder it "
            "came with, or name the folder with --root.",
            file=sys.stderr,
        )
        return 2
    try:
        manifest = SiteManifest.read(root)
    except NotABuiltSiteError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    warn_if_incomplete(root, manifest)
    raise_open_file_limit()
    try:
        server = make_server(
            root,
            host=LAN_HOST if args.lan else HOST,
            port=args.port,
            csp=args.csp,
            quiet=args.quiet,
            move_if_busy=not args.exact_port,
        )
    except OSError as exc:
        if not args.exact_port:
            raise
        print(
            f"error: port {args.port} is busy ({exc.strerror}). The site was built for it, "
            "and instant navigation needs that port: stop the program using it, or choose "
            "another, for example make serve PORT=8001.",
            file=sys.stderr,
        )
        return 2
    url = announce(args, root, server)
    print("Keep this window open while you use the site. Press Ctrl-C to stop.", flush=True)
    if not args.no_browser:
        threading.Timer(0.3, webbrowser.open, args=(url,)).start()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("\nStopped.")
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
