#!/usr/bin/env python3
"""Serve the offline copy of the baclofen dosing site on this computer only (127.0.0.1).

    python3 serve.py                 # http://127.0.0.1:8000/, opens the browser
    python3 serve.py --port 8080     # another port (a free one is used if it is busy)
    python3 serve.py --no-browser    # do not open a browser window
    python3 serve.py --csp           # also send the Content-Security-Policy of the hosting guide

Standard library only, Python 3.9 or newer, so it runs on whatever Python a school computer
has. The calculators need a web server because browsers refuse to start the Python runtime
(WebAssembly in a module worker) from a page opened as a file.

What it does beyond ``python -m http.server``:

- binds to 127.0.0.1 only, so nobody else on the network can reach it;
- sends correct types for ``.wasm``, ``.mjs``, ``.json``, ``.webmanifest`` whatever the
  operating system's registry says (Windows often maps ``.js`` to ``text/plain``);
- gzip-compresses text, JSON and WebAssembly when the browser accepts it;
- ``Cache-Control``: a year and ``immutable`` for versioned files (the Pyodide folder and
  files whose names carry a content hash), ``no-cache`` for pages, ``sw.js`` and the rest;
- refuses anything outside the site folder: ``..`` (also percent-encoded), backslashes,
  drive letters and symbolic links that lead out of the folder (403), missing files (404).
"""

# ruff: noqa: T201 - a command-line program: printing is how it talks to the person running it.

from __future__ import annotations

import argparse
import email.utils
import errno
import gzip
import http.server
import json
import os
import re
import sys
import threading
import urllib.parse
import webbrowser
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_ROOT = HERE / "site"
DEFAULT_PORT = 8000
HOST = "127.0.0.1"
HTTP_OK = 200

# Written by the site build (sitebuild/hooks_offline.py): which paths are versioned and the
# hashes of the inline scripts the Content-Security-Policy must allow.
MANIFEST_PATH = "assets/offline/manifest.json"

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

# A file name carrying a content hash, as Material names its bundles: bundle.a5f9d56c.min.js.
HASHED_NAME = re.compile(r"\.[0-9a-f]{8,}\.(min\.)?(js|css|mjs|json|wasm|map)$")

# The hosting guide's policy without the build's inline-script hashes: used only for a site
# folder without the build's manifest (which holds the exact policy). Kept equal to
# sitebuild/hooks_offline.py by tests/offline/test_bundle.py.
CSP_BASE = (
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "worker-src 'self'",
    "connect-src 'self'",
    "img-src 'self' data:",
    "style-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'self'",
)


class Forbidden(Exception):  # noqa: N818 - names the HTTP status it becomes.
    """The request names something outside the site folder."""


class SiteRules:
    """What the build says about the site: its versioned paths and its exact CSP."""

    def __init__(self, root: Path) -> None:
        """Read ``assets/offline/manifest.json`` if the build wrote one."""
        self.immutable_prefixes: tuple[str, ...] = ()
        self.policy = "; ".join(CSP_BASE)
        path = root / MANIFEST_PATH
        if path.is_file():
            data = json.loads(path.read_text(encoding="utf-8"))
            self.immutable_prefixes = tuple(data.get("immutable_prefixes", ()))
            self.policy = data.get("csp", {}).get("policy", self.policy)

    def cache_control(self, rel_path: str) -> str:
        """``Cache-Control`` for a site-relative path such as ``assets/pyodide/0.27/x.wasm``."""
        if any(rel_path.startswith(prefix) for prefix in self.immutable_prefixes):
            return CACHE_IMMUTABLE
        if HASHED_NAME.search(rel_path):
            return CACHE_IMMUTABLE
        return CACHE_REVALIDATE

    def csp(self) -> str:
        """The Content-Security-Policy header value (the build's, inline-script hashes too)."""
        return self.policy


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
    symbolic links whose target lies outside ``root``. Existence is not checked here.
    """
    path = urllib.parse.urlsplit(url_path).path
    try:
        decoded = urllib.parse.unquote(path, errors="strict")
    except UnicodeDecodeError:
        raise Forbidden(f"undecodable path {url_path!r}") from None
    if "\\" in decoded or "\x00" in decoded or ":" in decoded:
        raise Forbidden(f"forbidden character in {url_path!r}")
    segments = [s for s in decoded.split("/") if s]
    if any(s in {"..", "."} for s in segments):
        raise Forbidden(f"relative segment in {url_path!r}")
    candidate = root.joinpath(*segments)
    real = Path(os.path.realpath(candidate))
    if real != root and root not in real.parents:
        raise Forbidden(f"{url_path!r} leads outside the site folder")
    return real


class _GzipCache:
    """Compressed bodies, kept per (path, size, mtime) so each file is compressed once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: dict[tuple[str, int, int], bytes] = {}

    def get(self, path: Path, stat: os.stat_result) -> bytes:
        key = (str(path), stat.st_size, stat.st_mtime_ns)
        with self._lock:
            body = self._items.get(key)
        if body is None:
            body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
            with self._lock:
                self._items[key] = body
        return body


class SiteHandler(http.server.BaseHTTPRequestHandler):
    """GET and HEAD for the files of one folder; nothing else."""

    server_version = "BaclofenSiteLauncher/1"
    protocol_version = "HTTP/1.1"

    # Set on the class made by make_handler().
    root: Path
    rules: SiteRules
    send_csp: bool
    gzip_cache: _GzipCache
    quiet: bool

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

    def _error(self, status: int, text: str, allow: str | None = None) -> None:
        body = f"{status} {text}\n".encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        if allow:
            self.send_header("Allow", allow)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _serve(self, *, head: bool) -> None:
        try:
            path = resolve(self.root, self.path)
        except Forbidden:
            self._error(403, "Forbidden: only files inside the site folder are served.")
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
        body = self.gzip_cache.get(path, stat) if use_gzip else None
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
        with path.open("rb") as f:
            while chunk := f.read(1 << 16):
                self.wfile.write(chunk)

    def _common_headers(
        self, rel: str, etag: str, stat: os.stat_result, *, mime: str | None, vary: bool
    ) -> None:
        if mime:
            self.send_header("Content-Type", mime)
        self.send_header("Cache-Control", self.rules.cache_control(rel))
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", email.utils.formatdate(stat.st_mtime, usegmt=True))
        self.send_header("X-Content-Type-Options", "nosniff")
        if vary:
            self.send_header("Vary", "Accept-Encoding")
        if self.send_csp and (mime is None or mime.startswith("text/html")):
            self.send_header("Content-Security-Policy", self.rules.csp())


def _etags(header: str | None) -> set[str]:
    """The entity tags of an ``If-None-Match`` header, weak ones compared as strong."""
    if not header:
        return set()
    tags = {tag.strip() for tag in header.split(",")}
    return {tag.removeprefix("W/") for tag in tags}


def make_handler(root: Path, *, send_csp: bool = False, quiet: bool = False) -> type[SiteHandler]:
    """A handler class bound to one site folder."""
    real_root = Path(os.path.realpath(root))
    return type(
        "BoundSiteHandler",
        (SiteHandler,),
        {
            "root": real_root,
            "rules": SiteRules(real_root),
            "send_csp": send_csp,
            "gzip_cache": _GzipCache(),
            "quiet": quiet,
        },
    )


class SiteServer(http.server.ThreadingHTTPServer):
    """One thread per connection; threads do not keep the program alive on Ctrl-C."""

    daemon_threads = True
    # The fallback to another port must see a busy port as busy, also on Windows.
    allow_reuse_address = os.name != "nt"


def bind(handler: type[SiteHandler], port: int, host: str = HOST) -> tuple[SiteServer, bool]:
    """A server on ``port``, or on a free port if that one is busy. Returns (server, moved)."""
    try:
        return SiteServer((host, port), handler), False
    except OSError as exc:
        if exc.errno not in {errno.EADDRINUSE, errno.EACCES, getattr(errno, "WSAEADDRINUSE", -1)}:
            raise
    return SiteServer((host, 0), handler), True


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(
        description="Serve the offline copy of the baclofen dosing site at http://127.0.0.1.",
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
        "--csp",
        action="store_true",
        help="send the Content-Security-Policy recommended in the hosting guide",
    )
    parser.add_argument(
        "--root",
        type=Path,
        default=DEFAULT_ROOT,
        help="the site folder to serve (default: the 'site' folder beside this script)",
    )
    parser.add_argument("--quiet", action="store_true", help="do not log each request")
    args = parser.parse_args(argv)
    if not 0 <= args.port <= 65535:  # noqa: PLR2004 - the TCP port range.
        parser.error(f"--port must be between 0 and 65535 (got {args.port})")
    return args


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
    handler = make_handler(root, send_csp=args.csp, quiet=args.quiet)
    server, moved = bind(handler, args.port)
    port = server.server_address[1]
    url = f"http://{HOST}:{port}/"
    if moved:
        print(f"Port {args.port} is busy (another program is using it); using port {port}.")
    print(f"Serving {root} at {url}")
    if args.csp:
        print("Sending the Content-Security-Policy from the hosting guide.")
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
