"""The USB-stick launcher (tools/launcher/serve.py), tested directly: no browser, no site build.

A small site folder is made per test module; the server runs in a thread on a free port and
requests go through http.client, so paths reach the server exactly as written (a browser or
urllib would normalise ``..`` away before sending).
"""

from __future__ import annotations

import errno
import gzip
import http.client
import json
import os
import re
import selectors
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from sitebuild import names  # the build's side; the launcher itself cannot import it
from tools.launcher import serve

# The same file, run as a script (as the bundle's starters run it) where a test needs a process.
LAUNCHER = Path(serve.__file__).resolve()

# This test site's manifest: its own policy and pattern (not the real build's), so that what
# the launcher sends can only have come from the manifest.
FAKE_POLICY = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'sha256-abc='"
FAKE_HASHED_NAME = r"\.[0-9a-f]{8}\.min\.js$"
FILES = {
    "index.html": b"<!doctype html><title>home</title>" + b"<p>hello</p>" * 100,
    "oral/index.html": b"<!doctype html><title>oral</title>" + b"<p>oral</p>" * 100,
    "sw.js": b"self.addEventListener('fetch', () => {});" + b"//" * 400,
    "assets/app.js": b"console.log('app');" * 100,
    "assets/app.mjs": b"export const x = 1;" * 100,
    "assets/javascripts/bundle.a5f9d56c.min.js": b"var a=1;" * 200,
    "assets/data.json": json.dumps({"k": list(range(300))}).encode(),
    "assets/pyodide/0.27.7/pyodide.asm.wasm": b"\x00asm\x01\x00\x00\x00" + b"\x00" * 4000,
    "assets/pyodide/0.27.7/python_stdlib.zip": b"PK\x03\x04" + b"z" * 4000,
    "assets/calculators/0123456789abcdef/pyodide-lock.json": b'{"packages": {}}' + b" " * 600,
    "assets/icon.svg": b"<svg xmlns='http://www.w3.org/2000/svg'>" + b"<g/>" * 200 + b"</svg>",
    "manifest.webmanifest": b'{"name": "x"}' + b" " * 600,
    "assets/tiny.css": b"a{}",
}
FILES["assets/offline/manifest.json"] = json.dumps(
    {
        "immutable_prefixes": [
            "assets/calculators/0123456789abcdef/",
            "assets/pyodide/0.27.7/",
        ],
        "hashed_name_pattern": FAKE_HASHED_NAME,
        "csp": {"policy": FAKE_POLICY},
        "files": [{"path": rel, "bytes": len(data)} for rel, data in FILES.items()],
    }
).encode()
SECRET = b"outside the site folder"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A site folder of FILES, a secret file beside it, and symbolic links both ways."""
    base = tmp_path_factory.mktemp("launcher")
    root = base / "site"
    for rel, data in FILES.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    (base / "secret.txt").write_bytes(SECRET)
    (root / "empty-folder").mkdir()
    try:
        (root / "escape").symlink_to(base / "secret.txt")
        (root / "escape-dir").symlink_to(base, target_is_directory=True)
        (root / "inside").symlink_to(root / "assets" / "app.js")
    except OSError:  # pragma: no cover - e.g. Windows without the symlink privilege
        pass
    return root


def _start(root: Path, server_options=None, **options):
    handler = serve.make_handler(root, quiet=True, **options)
    server, _moved = serve.bind(handler, 0, **(server_options or {}))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread


@pytest.fixture(scope="module")
def server(site):
    """The launcher on a free port, as it starts by default (CSP sent)."""
    srv, thread = _start(site)
    yield srv
    srv.shutdown()
    srv.server_close()
    thread.join(timeout=5)


@pytest.fixture(scope="module")
def no_csp_server(site):
    """The launcher on a free port, told not to send the CSP (``--no-csp``)."""
    srv, thread = _start(site, csp=False)
    yield srv
    srv.shutdown()
    srv.server_close()
    thread.join(timeout=5)


def _get(srv, path, method="GET", headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", srv.server_address[1], timeout=10)
    try:
        conn.putrequest(method, path, skip_accept_encoding=True)
        for key, value in (headers or {}).items():
            conn.putheader(key, value)
        conn.endheaders()
        response = conn.getresponse()
        body = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body
    finally:
        conn.close()


# --- Path safety -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/../secret.txt",
        "/assets/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/assets/%2e%2e%2f%2e%2e%2fsecret.txt",
        "/..%2fsecret.txt",
        "/..%5csecret.txt",
        "/assets\\..\\..\\secret.txt",
        "/./index.html",
        "/C:/Windows/win.ini",
        "/index.html%00.txt",
        "/%ff%fe",
    ],
)
def test_launcher_refuses_paths_leaving_the_site(server, path):
    """``..`` in any spelling, backslashes, drive letters, NUL and bad UTF-8 get 403."""
    status, _headers, body = _get(server, path)
    assert status == 403, (path, status)
    assert SECRET not in body


def test_launcher_double_encoded_dots_are_a_missing_file(server):
    """``%252e%252e`` decodes once, to a literal file name ``%2e%2e`` that does not exist."""
    status, _headers, body = _get(server, "/%252e%252e/secret.txt")
    assert status == 404
    assert SECRET not in body


def test_launcher_refuses_symlinks_out_of_the_site(server, site):
    """A symbolic link whose target lies outside the site folder gets 403, file or folder."""
    if not (site / "escape").is_symlink():
        pytest.skip("this file system cannot make symbolic links")
    assert _get(server, "/escape")[0] == 403
    assert _get(server, "/escape-dir/secret.txt")[0] == 403


def test_launcher_serves_symlinks_inside_the_site(server, site):
    """A symbolic link to a file inside the site folder is served like the file."""
    if not (site / "inside").is_symlink():
        pytest.skip("this file system cannot make symbolic links")
    status, _headers, body = _get(server, "/inside")
    assert status == 200
    assert body == FILES["assets/app.js"]


def test_launcher_resolve_rejects_traversal_directly(site):
    """resolve() itself raises Forbidden for an encoded ``..``; accepts a plain path."""
    root = Path(os.path.realpath(site))
    with pytest.raises(serve.Forbidden, match="relative segment"):
        serve.resolve(root, "/a/%2e%2e/%2e%2e/secret.txt")
    with pytest.raises(serve.Forbidden, match="forbidden character"):
        serve.resolve(root, "/a%5c..%5c..%5csecret.txt")
    assert serve.resolve(root, "/oral/index.html?x=1#y") == root / "oral" / "index.html"


def test_launcher_missing_file_is_404(server):
    """A file that is not there is a 404, not a listing or a crash."""
    assert _get(server, "/nothing-here.js")[0] == 404


def test_launcher_folder_without_index_is_404_not_a_listing(server):
    """Folders are never listed."""
    status, _headers, body = _get(server, "/empty-folder/")
    assert status == 404
    assert b"Directory listing" not in body


def test_launcher_folder_redirects_to_its_slash_form(server):
    """``/oral`` redirects to ``/oral/`` (relative links need the slash), keeping the query."""
    status, headers, _body = _get(server, "/oral?x=1")
    assert status == 301
    assert headers["location"] == "/oral/?x=1"
    status, _headers, body = _get(server, "/oral/")
    assert status == 200
    assert body == FILES["oral/index.html"]


def test_launcher_only_get_and_head(server):
    """POST and the like get 405 with an Allow header; HEAD gets headers and no body."""
    status, headers, _body = _get(server, "/index.html", method="POST")
    assert status == 405
    assert headers["allow"] == "GET, HEAD"
    status, headers, body = _get(server, "/index.html", method="HEAD")
    assert status == 200
    assert body == b""
    assert int(headers["content-length"]) == len(FILES["index.html"])


# --- Types, compression, caching --------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "mime"),
    [
        ("/assets/pyodide/0.27.7/pyodide.asm.wasm", "application/wasm"),
        ("/assets/app.mjs", "text/javascript; charset=utf-8"),
        ("/assets/app.js", "text/javascript; charset=utf-8"),
        ("/assets/data.json", "application/json"),
        ("/assets/pyodide/0.27.7/python_stdlib.zip", "application/zip"),
        ("/assets/icon.svg", "image/svg+xml"),
        ("/manifest.webmanifest", "application/manifest+json"),
        ("/index.html", "text/html; charset=utf-8"),
        ("/", "text/html; charset=utf-8"),
    ],
)
def test_launcher_sends_correct_mime_types(server, path, mime):
    """Types come from the launcher's own table, whatever the platform registry says."""
    status, headers, _body = _get(server, path)
    assert status == 200
    assert headers["content-type"] == mime
    assert headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(
    "path",
    [
        "/index.html",
        "/assets/app.js",
        "/assets/data.json",
        "/assets/icon.svg",
        "/assets/pyodide/0.27.7/pyodide.asm.wasm",
    ],
)
def test_launcher_gzips_compressible_types_when_accepted(server, path):
    """Text, JSON, SVG and WebAssembly are gzipped for a client that accepts gzip."""
    status, headers, body = _get(server, path, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert status == 200
    assert headers["content-encoding"] == "gzip"
    assert headers["vary"] == "Accept-Encoding"
    assert int(headers["content-length"]) == len(body)
    assert gzip.decompress(body) == FILES[path.lstrip("/")]


@pytest.mark.parametrize("accept", [None, "identity", "gzip;q=0", "br"])
def test_launcher_sends_identity_unless_gzip_is_accepted(server, accept):
    """No Accept-Encoding, or one that refuses gzip, gets the plain bytes."""
    headers = {"Accept-Encoding": accept} if accept else {}
    status, got, body = _get(server, "/assets/app.js", headers=headers)
    assert status == 200
    assert "content-encoding" not in got
    assert body == FILES["assets/app.js"]


@pytest.mark.parametrize("path", ["/assets/pyodide/0.27.7/python_stdlib.zip", "/assets/tiny.css"])
def test_launcher_does_not_gzip_zips_or_tiny_files(server, path):
    """A zip is already compressed; a file under the threshold is not worth it."""
    _status, headers, body = _get(server, path, headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in headers
    assert body == FILES[path.lstrip("/")]


@pytest.mark.parametrize(
    ("path", "cache"),
    [
        ("/assets/pyodide/0.27.7/pyodide.asm.wasm", "public, max-age=31536000, immutable"),
        ("/assets/pyodide/0.27.7/python_stdlib.zip", "public, max-age=31536000, immutable"),
        (
            "/assets/calculators/0123456789abcdef/pyodide-lock.json",
            "public, max-age=31536000, immutable",
        ),
        ("/assets/javascripts/bundle.a5f9d56c.min.js", "public, max-age=31536000, immutable"),
        ("/index.html", "no-cache"),
        ("/oral/", "no-cache"),
        ("/sw.js", "no-cache"),
        ("/assets/app.js", "no-cache"),
    ],
)
def test_launcher_cache_control(server, path, cache):
    """The manifest's versioned folders and hashed names a year; the rest no-cache."""
    _status, headers, _body = _get(server, path)
    assert headers["cache-control"] == cache


def test_launcher_answers_304_to_a_matching_etag(server):
    """A revalidation with the current ETag gets 304 and no body."""
    _status, headers, _body = _get(server, "/sw.js", headers={"Accept-Encoding": "gzip"})
    status, again, body = _get(
        server, "/sw.js", headers={"Accept-Encoding": "gzip", "If-None-Match": headers["etag"]}
    )
    assert status == 304
    assert body == b""
    assert again["cache-control"] == "no-cache"


def test_launcher_etag_differs_between_gzip_and_identity(server):
    """A strong ETag names one representation: gzip and plain bytes differ."""
    plain = _get(server, "/assets/app.js")[1]["etag"]
    zipped = _get(server, "/assets/app.js", headers={"Accept-Encoding": "gzip"})[1]["etag"]
    assert plain != zipped


def test_launcher_csp_by_default_only_on_pages_and_off_with_no_csp(server, no_csp_server):
    """The build's policy, inline-script hashes too, goes with every page unless --no-csp."""
    policy = _get(server, "/index.html")[1]["content-security-policy"]
    assert "script-src 'self' 'wasm-unsafe-eval' 'sha256-abc='" in policy
    assert policy == FAKE_POLICY  # the build's policy from its manifest, word for word
    assert "content-security-policy" not in _get(server, "/assets/app.js")[1]
    assert "content-security-policy" not in _get(no_csp_server, "/index.html")[1]


def test_launcher_command_line_csp_flags():
    """The CSP is on by default; --no-csp turns it off; the old --csp is still accepted."""
    assert serve.parse_args([]).csp is True
    assert serve.parse_args(["--csp"]).csp is True
    assert serve.parse_args(["--no-csp"]).csp is False
    assert serve.parse_args([]).lan is False
    assert serve.parse_args(["--lan"]).lan is True


def _manifest() -> dict:
    return json.loads(FILES["assets/offline/manifest.json"])


def _write_site(root: Path, manifest: object | None) -> Path:
    """A home page and, unless None, ``manifest`` as the build's manifest (JSON, or raw text)."""
    (root / "assets" / "offline").mkdir(parents=True)
    (root / "index.html").write_bytes(FILES["index.html"])
    if manifest is not None:
        text = manifest if isinstance(manifest, str) else json.dumps(manifest)
        (root / serve.MANIFEST_PATH).write_text(text, encoding="utf-8")
    return root


def test_launcher_reads_the_manifest_where_the_build_writes_it(tmp_path):
    """The launcher ships alone, so it keeps the manifest's path itself: names.json's.

    A site with its manifest where sitebuild/names.json says the build writes it is read; the
    control, the same manifest one folder off, is refused.
    """
    good = tmp_path / "good"
    (good / names.MANIFEST_PATH).parent.mkdir(parents=True)
    (good / names.MANIFEST_PATH).write_text(json.dumps(_manifest()), encoding="utf-8")
    assert serve.SiteManifest.read(good).policy == _manifest()["csp"]["policy"]
    moved = tmp_path / "moved"
    (moved / "assets").mkdir(parents=True)
    (moved / "assets" / "manifest.json").write_text(json.dumps(_manifest()), encoding="utf-8")
    with pytest.raises(serve.NotABuiltSiteError, match=r"not a site built by this project"):
        serve.SiteManifest.read(moved)


def test_launcher_refuses_a_folder_without_a_manifest(tmp_path, capsys):
    """A folder the build did not make: no baked-in policy, but an error saying what to run."""
    root = _write_site(tmp_path, None)
    with pytest.raises(serve.NotABuiltSiteError, match=r"not a site built by this project"):
        serve.make_handler(root)
    assert serve.main(["--root", str(root), "--no-browser"]) == 2
    err = capsys.readouterr().err
    assert "assets/offline/manifest.json" in err
    assert "make site" in err


def _without(key: str) -> dict:
    data = _manifest()
    if key == "csp.policy":
        del data["csp"]["policy"]
    else:
        del data[key]
    return data


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        ("{not json", r"cannot be read as JSON"),
        ([], r"has no `hashed_name_pattern`"),
        (_without("csp.policy"), r"has no `csp\.policy`"),
        (_without("immutable_prefixes"), r"has no `immutable_prefixes`"),
        (_without("files"), r"has no `files`"),
        ({**_manifest(), "hashed_name_pattern": "(["}, r"`hashed_name_pattern` '\(\[' is not a"),
        (
            {**_manifest(), "immutable_prefixes": "assets/"},
            r"`immutable_prefixes` should be a list",
        ),
        (
            {**_manifest(), "immutable_prefixes": [3]},
            r"`immutable_prefixes\[0\]` should be a string, got 3",
        ),
        ({**_manifest(), "files": [{"path": "a.js"}]}, r"`files\[0\]` has no `bytes`"),
        (
            {**_manifest(), "files": [{"path": "a", "bytes": "1"}]},
            r"`files\[0\]`: `bytes` should be an integer, got \"1\"",
        ),
        ({**_manifest(), "csp": {"policy": None}}, r"`csp\.policy` should be a string, got null"),
    ],
)
def test_launcher_names_what_is_wrong_in_a_manifest(tmp_path, manifest, message):
    """A damaged manifest is refused with the field, what was expected and what to run."""
    root = _write_site(tmp_path, manifest)
    with pytest.raises(serve.NotABuiltSiteError, match=message) as caught:
        serve.SiteManifest.read(root)
    assert "make site" in str(caught.value)


def test_launcher_cache_rules_are_the_manifests(tmp_path):
    """Another pattern and other prefixes in the manifest: other files are immutable.

    The control for test_launcher_cache_control: the launcher has no pattern of its own.
    """
    data = _manifest()
    data["hashed_name_pattern"] = r"-v\d+\.css$"
    data["immutable_prefixes"] = ["assets/fonts/"]
    rules = serve.SiteManifest.read(_write_site(tmp_path, data))
    assert rules.cache_control("assets/site-v2.css") == serve.CACHE_IMMUTABLE
    assert rules.cache_control("assets/fonts/a.woff2") == serve.CACHE_IMMUTABLE
    assert rules.cache_control("assets/javascripts/bundle.a5f9d56c.min.js") == "no-cache"
    assert rules.cache_control("assets/pyodide/0.27.7/pyodide.asm.wasm") == "no-cache"


def test_launcher_warns_about_listed_files_that_are_missing(tmp_path, capsys):
    """A partial copy (a file gone, one cut short) is served, with a warning naming them."""
    data = _manifest()
    root = _write_site(tmp_path, data)
    for rel, content in FILES.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    rules = serve.SiteManifest.read(root)
    assert rules.missing(root) == []
    serve.warn_if_incomplete(root, rules)
    assert capsys.readouterr().err == ""
    (root / "sw.js").unlink()
    (root / "assets/app.js").write_bytes(b"cut")
    assert sorted(rules.missing(root)) == ["assets/app.js", "sw.js"]
    serve.warn_if_incomplete(root, rules)
    err = capsys.readouterr().err
    assert f"2 of the site's {len(data['files'])} files are missing or incomplete" in err
    assert "sw.js" in err
    assert "make site" in err


def test_launcher_accepts_gzip_parses_quality_values():
    """``gzip;q=0`` refuses, ``*`` accepts, an unparsable q refuses."""
    assert serve.accepts_gzip("gzip")
    assert serve.accepts_gzip("br, gzip;q=0.5")
    assert serve.accepts_gzip("*")
    assert not serve.accepts_gzip("gzip;q=0")
    assert not serve.accepts_gzip("gzip;q=zero")
    assert not serve.accepts_gzip("br, deflate")
    assert not serve.accepts_gzip(None)


# --- Binding and the command line ------------------------------------------------------------


def test_launcher_falls_back_to_a_free_port_when_busy(site):
    """bind() on a busy port takes another one and says it moved."""
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        server, moved = serve.bind(serve.make_handler(site, quiet=True), port)
        try:
            assert moved
            assert server.server_address[1] != port
            assert server.server_address[0] == "127.0.0.1"
        finally:
            server.server_close()


def test_launcher_make_server_keeps_or_moves_off_a_busy_port_as_told(site):
    """make_server moves off a busy port (server.moved), or with move_if_busy=False refuses."""
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(OSError, match=rf"\[Errno {errno.EADDRINUSE}\]"):
            serve.make_server(site, port=port, quiet=True, move_if_busy=False)
        server = serve.make_server(site, port=port, quiet=True)
        try:
            assert server.moved
            assert server.url == f"http://127.0.0.1:{server.server_address[1]}/"
            assert server.server_address[1] != port
        finally:
            server.server_close()


def test_launcher_command_line_prints_the_address_and_the_port_change(site):
    """``serve.py --port <busy> --no-browser`` says the port is busy and prints the address."""
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with subprocess.Popen(  # noqa: S603 - our own script, fixed arguments
            [
                sys.executable,
                str(LAUNCHER),
                "--port",
                str(port),
                "--no-browser",
                "--quiet",
                "--root",
                str(site),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        ) as proc:
            try:
                first = proc.stdout.readline()
                second = proc.stdout.readline()
            finally:
                proc.terminate()
                proc.communicate(timeout=10)
    assert f"Port {port} is busy" in first
    assert second.startswith("Serving ")
    assert "http://127.0.0.1:" in second
    assert f":{port}/" not in second


def test_launcher_refuses_a_folder_without_index(tmp_path, capsys):
    """Started away from its site folder, it says what to do and exits 2."""
    assert serve.main(["--root", str(tmp_path), "--no-browser"]) == 2
    assert "has no index.html" in capsys.readouterr().err


def test_launcher_rejects_an_out_of_range_port(capsys):
    """--port outside 0-65535 is a usage error naming the limit and the value."""
    with pytest.raises(SystemExit):
        serve.parse_args(["--port", "70000"])
    assert "between 0 and 65535 (got 70000)" in capsys.readouterr().err


# --- A classroom: long paths, timeouts, the connection cap, file descriptors, --lan ----------


def _raw(srv, data: bytes, timeout: float = 10) -> bytes:
    """Send raw bytes on a fresh connection; everything the server answers before closing."""
    with socket.create_connection(("127.0.0.1", srv.server_address[1]), timeout=timeout) as s:
        s.sendall(data)
        chunks = []
        while chunk := s.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/" + "a" * 256, 404),  # one segment longer than any file name
        ("/assets/" + "%C3%A9" * 128 + ".js", 404),  # 256 bytes once decoded
        ("/" + "a" * 256 + "/index.html", 404),
        ("/" + "/".join(["b" * 200] * 12), 414),  # 2,400 characters: no path of the site
        ("/" + "c" * 5000, 414),
    ],
)
def test_launcher_long_paths_get_a_status_not_an_empty_reply(server, path, status, capsys):
    """Too long for the file system: 404 for a segment, 414 for the path; no traceback."""
    got, headers, body = _get(server, path)
    assert got == status, (len(path), got)
    assert int(headers["content-length"]) == len(body) > 0
    assert "Traceback" not in capsys.readouterr().err
    assert _get(server, "/index.html")[0] == 200  # still serving


def test_launcher_request_line_over_64_kib_is_414(server):
    """The standard library's own limit on the request line answers 414, not a crash."""
    reply = _raw(server, b"GET /" + b"d" * 70_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    assert reply.startswith((b"HTTP/1.1 414", b"HTTP/1.0 414")), reply[:80]


@pytest.fixture
def quick_server(site):
    """The launcher with a 1 s request timeout, as a classroom's would be with 15 s."""
    srv, thread = _start(site, server_options={"request_timeout": 1.0})
    yield srv
    srv.shutdown()
    srv.server_close()
    thread.join(timeout=5)


def test_launcher_closes_a_silent_connection(quick_server):
    """A client that connects and sends nothing is closed after the timeout, not kept."""
    with socket.create_connection(("127.0.0.1", quick_server.server_address[1]), timeout=10) as s:
        started = time.monotonic()
        assert s.recv(1) == b""  # the server closed it (a recv timeout would raise here)
        waited = time.monotonic() - started
    assert waited < 5, waited  # the 1 s timeout plus the watchdog's tick
    assert _get(quick_server, "/index.html")[0] == 200


def test_launcher_closes_a_trickling_connection(quick_server):
    """A client sending one header byte at a time (never finishing) is closed at the deadline.

    Each byte arrives well within the per-read timeout, so only the deadline on the whole
    request head can end it.
    """
    port = quick_server.server_address[1]
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(b"GET /index.html HTTP/1.1\r\nX-Slow: ")
        started = time.monotonic()
        closed = False
        while time.monotonic() - started < 8:  # a bound, not an expectation
            try:
                s.sendall(b"a")
                s.settimeout(0.2)
                if s.recv(1) == b"":
                    closed = True
                    break
            except TimeoutError:
                continue  # nothing from the server yet: send the next byte
            except OSError:
                closed = True  # reset by the server
                break
        waited = time.monotonic() - started
    assert closed, "the server kept a never-ending request head open for 8 s"
    assert waited < 5, waited
    assert _get(quick_server, "/index.html")[0] == 200


def test_launcher_connections_past_the_cap_wait_and_are_then_served(site):
    """At the connection cap a new connection waits in the backlog, then is served.

    Queued, not refused: it is answered as soon as a thread is free.
    """
    srv, thread = _start(site, server_options={"max_connections": 2, "request_timeout": 30.0})
    port = srv.server_address[1]
    try:
        idle = [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(2)]
        # Both slots are taken once each idle connection is being served by a thread.
        deadline = time.monotonic() + 10
        while srv._slots._value > 0 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert srv._slots._value == 0
        waiting = http.client.HTTPConnection("127.0.0.1", port, timeout=0.5)
        waiting.request("GET", "/index.html")  # connects: the backlog holds it
        with pytest.raises(TimeoutError):
            waiting.getresponse()  # no thread for it yet
        idle[0].close()
        waiting.sock.settimeout(10)
        response = waiting.getresponse()
        assert response.status == 200
        assert response.read() == FILES["index.html"]
        waiting.close()
        idle[1].close()
    finally:
        srv.shutdown()
        srv.server_close()
        thread.join(timeout=5)


LAUNCHER_ARGS = (sys.executable, str(LAUNCHER), "--port", "0", "--no-browser", "--quiet")


def _line_within(stream, seconds: float) -> str:
    """The next line of a child's pipe, or "" if none comes within ``seconds``."""
    with selectors.DefaultSelector() as selector:
        selector.register(stream, selectors.EVENT_READ)
        if not selector.select(seconds):
            return ""
    return stream.readline()


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@pytest.mark.skipif(not Path("/proc/self/stat").is_file(), reason="reads CPU time from /proc")
def test_launcher_out_of_file_descriptors_backs_off_and_recovers(site):
    """Out of file descriptors: no busy loop, a 503, a warning, then normal service again.

    The launcher runs with RLIMIT_NOFILE at 64 and 120 connections are opened to it; a
    request that needs a file opened gets a whole 503 answer meanwhile.
    """
    import resource  # noqa: PLC0415 - Unix only, like this test

    limit = 64

    def lower_limit() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (limit, limit))

    proc = subprocess.Popen(  # noqa: S603 - our own script, fixed arguments
        [*LAUNCHER_ARGS, "--root", str(site)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lower_limit,  # noqa: PLW1509 - no threads in this test process need it
    )
    held: list[socket.socket] = []
    try:
        line = proc.stdout.readline()
        port = int(line.rsplit(":", 1)[1].strip().strip("/"))
        held.extend(socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(120))
        # Exhausted: the launcher says so once accept() fails for want of a descriptor.
        assert "Too many open files" in _line_within(proc.stderr, 20)
        # The first connections were accepted; a request on one of them needs a file opened
        # (an uncompressed zip), which the exhausted process cannot do: a whole 503 answer.
        held[0].sendall(b"GET /assets/pyodide/0.27.7/python_stdlib.zip HTTP/1.1\r\nHost: x\r\n\r\n")
        held[0].settimeout(10)
        reply = held[0].recv(65536)
        assert reply.startswith(b"HTTP/1.1 503"), reply[:100]
        assert b"Retry-After: 1" in reply
        # The listening socket stays readable while descriptors are out: a busy loop would
        # burn a core here. Sample the server's CPU time over a second and a half.
        before = _cpu_seconds(proc.pid)
        time.sleep(1.5)
        used = _cpu_seconds(proc.pid) - before
        assert used < 0.25, f"the launcher used {used:.2f} s of CPU in 1.5 s: a busy loop"
        for s in held:
            s.close()
        held.clear()
        # Recovered: ordinary requests are answered again (the threads of the closed
        # connections end and give their descriptors back).
        deadline = time.monotonic() + 15
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/assets/pyodide/0.27.7/python_stdlib.zip")
                response = conn.getresponse()
                body = response.read()
                conn.close()
                if response.status == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "the launcher did not recover"
            time.sleep(0.1)
        assert body == FILES["assets/pyodide/0.27.7/python_stdlib.zip"]
        assert proc.poll() is None
    finally:
        for s in held:
            s.close()
        proc.terminate()
        _out, err = proc.communicate(timeout=10)
    assert "Traceback" not in err


def test_launcher_lan_prints_what_it_exposes(site):
    """With --lan it says what it exposes and that others get no offline copy.

    Every file, read-only, to anyone on the network; service workers need https or
    localhost. Only 127.0.0.1 is asked for a page.
    """
    with subprocess.Popen(  # noqa: S603 - our own script, fixed arguments
        [*LAUNCHER_ARGS, "--lan", "--root", str(site)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as proc:
        try:
            lines = []
            for line in proc.stdout:
                lines.append(line)
                if line.startswith("Keep this window open"):
                    break
            text = "".join(lines)
            port = int(re.search(r"at http://127\.0\.0\.1:(\d+)/", text)[1])
            assert _get_port(port, "/index.html") == 200
        finally:
            proc.terminate()
            proc.communicate(timeout=10)
    assert "every file of" in text
    assert "read-only" in text
    assert "anyone who can" in text
    assert "https or for 127.0.0.1/localhost" in text
    assert "NO OFFLINE COPY" in text


def test_launcher_lan_binds_every_interface(site):
    """bind() with the --lan host listens on 0.0.0.0; the default stays on 127.0.0.1."""
    handler = serve.make_handler(site, quiet=True)
    lan, _ = serve.bind(handler, 0, serve.LAN_HOST)
    local, _ = serve.bind(handler, 0)
    try:
        assert lan.server_address[0] == "0.0.0.0"  # noqa: S104 - what --lan means
        assert local.server_address[0] == "127.0.0.1"
        assert lan.socket.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN) == 1
    finally:
        lan.server_close()
        local.server_close()


def _get_port(port: int, path: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


# --- the port the site was built for (QA D4) -----------------------------------------------


def _with_sitemap(site: Path, tmp_path: Path, loc: str | None) -> Path:
    """A copy of the test site whose sitemap names ``loc`` (no sitemap for None)."""
    copy = tmp_path / "site"
    subprocess.run(["cp", "-a", str(site), str(copy)], check=True)  # noqa: S603, S607
    if loc is not None:
        (copy / "sitemap.xml").write_text(
            f'<?xml version="1.0"?><urlset><url><loc>{loc}</loc></url></urlset>', "utf-8"
        )
    return copy


def test_launcher_says_when_the_port_is_not_the_one_built_for(site, tmp_path):
    """QA D4: served on another port than the sitemap's, the launcher says clicks will reload."""
    copy = _with_sitemap(site, tmp_path, "http://127.0.0.1:8000/")
    notice = serve.navigation_notice(copy, 8765)
    assert "built for http://127.0.0.1:8000/" in notice
    assert "SITE_URL=http://127.0.0.1:8765/ make site" in notice
    assert serve.navigation_notice(copy, 8000) == ""


@pytest.mark.parametrize(
    ("loc", "origin"),
    [
        ("https://intranet.example.org/teaching/baclofen/", "https://intranet.example.org:443"),
        ("http://127.0.0.1:8765/", "http://127.0.0.1:8765"),
        (None, None),
    ],
)
def test_launcher_reads_the_address_built_for(site, tmp_path, loc, origin):
    """The sitemap's origin, with the scheme's default port; None without a sitemap."""
    assert serve.built_for(_with_sitemap(site, tmp_path, loc)) == origin


def test_launcher_exact_port_stops_on_a_busy_port(site):
    """``--exact-port`` (make serve): a busy port is an error naming it, not a silent move."""
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = subprocess.run(  # noqa: S603 - our own script, fixed arguments
            [
                sys.executable,
                str(LAUNCHER),
                "--port",
                str(port),
                "--no-browser",
                "--quiet",
                "--root",
                str(site),
                "--exact-port",
            ],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    assert done.returncode == 2
    assert f"error: port {port} is busy" in done.stderr
    assert "make serve PORT=" in done.stderr


def test_make_serve_builds_for_the_port_it_serves():
    """QA D4: `make serve PORT=8765` builds with SITE_URL for 8765 and serves that port exactly.

    A plain `make site` leaves SITE_URL to mkdocs.yml's default (the control).
    """
    repo = LAUNCHER.parents[2]
    make = shutil.which("make")
    assert make
    env = {k: v for k, v in os.environ.items() if k != "SITE_URL"}

    def dry_run(*args: str) -> str:
        return subprocess.run(  # noqa: S603 - make, fixed arguments, a dry run
            [make, "-n", *args], cwd=repo, env=env, capture_output=True, text=True, check=True
        ).stdout

    served = dry_run("serve", "PORT=8765")
    assert "SITE_URL=http://127.0.0.1:8765/ " in served
    assert "--port 8765 --no-browser --exact-port" in served
    built = dry_run("site")
    assert "sitebuild build" in built
    assert "SITE_URL=" not in built
