"""MkDocs hooks for the offline copy: the service worker, the file:// notes and the self-test.

Registered in ``mkdocs.yml`` under ``hooks:``. What each event does:

- ``on_files``: keeps ``assets/offline/sw.template.js`` out of the site (it becomes ``sw.js``).
- ``on_post_page`` (and ``on_post_template`` for ``404.html``, with root-relative URLs since
  it is served at any depth): puts three files into every page's ``<head>``: ``offline.css``,
  ``protocol.js`` (a classic script, so it also runs from ``file://``, where Chrome refuses
  module scripts: it marks ``<html class="is-file">`` and puts a "start the launcher" note
  before each calculator's output) and ``register.js`` (on http(s) only: registers ``sw.js``
  and imports the module ``selftest.js``, which is idle on pages without ``[data-selftest]``).
  It also puts ``<meta http-equiv="Content-Security-Policy">`` right after ``<meta
  charset>`` (before any script), for hosts that send no policy header: the build's policy
  without the directives browsers ignore in a ``<meta>`` (``frame-ancestors``, reporting,
  ``sandbox``); its value is a marker filled in after the build, once every page's inline
  hashes are known. The tag holds no script or style, so the hashes it lists are unchanged
  by it. It also collects the hashes of inline scripts and styles for the policy.
- ``on_post_build`` (last, after Pyodide and the search index are in ``site/``):

  1. ``assets/offline/selftest-cases.json``: known answers computed here, on CPython, by the
     same :func:`calculators.web.run` the browser's worker calls;
  2. ``sw.js`` at the site root (so its scope is the whole site): the list of every built
     file with its length and SHA-256 (the service worker checks each file before storing
     it) and a cache name derived from the contents of all of them;
  3. ``assets/offline/manifest.json``: every file with its size and SHA-256 (the self-test
     checks them), the versioned path prefixes (cached for a year; the launcher and the
     service worker read the same list) and the CSP hashes (``serve.py`` sends them);
  4. ``assets/offline/csp.txt``: the Content-Security-Policy for this build, one line;
  5. before the file list is taken: ``@@OFFLINE_CSP@@``, ``@@OFFLINE_CSP_META@@`` (every
     page's ``<meta>`` policy) and ``@@OFFLINE_SITE_MB@@`` in the built pages become this
     build's policies and size.

Nothing is fetched from another host, at build time or in the browser.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html import escape, unescape
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from mkdocs.plugins import event_priority
from mkdocs.utils import get_relative_url

import calculators
from calculators import web
from calculators.registry import CALCULATORS
from sitebuild import SiteBuildError

if TYPE_CHECKING:
    from collections.abc import Callable

    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

ASSETS = "assets/offline"
# The service worker's source, filled in by on_post_build; not copied into the site itself.
SW_TEMPLATE_URI = f"{ASSETS}/sw.template.js"
SW_FILE = "sw.js"
MANIFEST_FILE = f"{ASSETS}/manifest.json"
CASES_FILE = f"{ASSETS}/selftest-cases.json"
CSP_FILE = f"{ASSETS}/csp.txt"
CACHE_PREFIX = "baclofen-site-"

# The scripts and styles every page loads from docs/assets/offline/.
HEAD_CSS = ("offline.css",)
HEAD_CLASSIC_SCRIPTS = ("protocol.js",)
HEAD_DEFERRED_SCRIPTS = ("register.js",)
# Loaded by register.js over http(s) only: Chrome logs a CORS error for any module script on
# a page opened as a file.
LOADED_BY_REGISTER = ("selftest.js",)

# A folder named for a version (314.0.7, v2.1) or a content hash, or a file name carrying a
# hash (Material's bundle.a5f9d56c.min.js): the bytes behind such a path never change, so
# browsers may keep them a year and the service worker answers from its cache first.
VERSIONED_DIR = re.compile(r"^(v?\d+(\.\d+)+[0-9a-z.+-]*|[0-9a-f]{8,})$")
HASHED_NAME = re.compile(r"\.[0-9a-f]{8,}\.(min\.)?(js|css|mjs|json|wasm|map)$")

# The policy the hosting guide quotes (filled in after the build, with the inline-script
# hashes). tools/launcher/serve.py sends the build's exact policy from the manifest and keeps
# a copy of this base for a folder without one; tests/offline/test_bundle.py keeps them equal.
CSP_DIRECTIVES = (
    ("default-src", "'self'"),
    ("script-src", "'self' 'wasm-unsafe-eval'"),
    ("worker-src", "'self'"),
    ("connect-src", "'self'"),
    ("img-src", "'self' data:"),
    ("style-src", "'self'"),
    ("font-src", "'self'"),
    ("object-src", "'none'"),
    ("base-uri", "'self'"),
    ("form-action", "'self'"),
    ("frame-ancestors", "'self'"),
)

# Ignored by browsers in a <meta http-equiv="Content-Security-Policy"> (CSP Level 3, and a
# console warning each): left out of the meta tag's policy. frame-ancestors only works as a
# header (the launcher and the hosting guide's servers send it).
META_IGNORED_DIRECTIVES = frozenset({"frame-ancestors", "report-uri", "report-to", "sandbox"})
CSP_META_TAG = '<meta http-equiv="Content-Security-Policy" content="@@OFFLINE_CSP_META@@">'
_CHARSET_META = re.compile(r"<meta\s+charset=[^>]*>", re.IGNORECASE)

# Inline <script> without src whose type runs as JavaScript; JSON data blocks are not
# scripts to CSP (Material's __config is one).
_INLINE_SCRIPT = re.compile(r"<script(?P<attrs>(?:\s[^>]*)?)>(?P<body>.*?)</script>", re.DOTALL)
_INLINE_STYLE = re.compile(r"<style(?:\s[^>]*)?>(?P<body>.*?)</style>", re.DOTALL)
_SCRIPT_TYPE = re.compile(r"""\stype\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)
_JS_TYPES = {"", "text/javascript", "application/javascript", "module"}

# Written on pages as @@OFFLINE_<NAME>@@ and filled in after the build, when the values are
# known: the hosting guide quotes the exact policy and size of the build it is part of.
_MARKER = re.compile(r"@@OFFLINE_([A-Z_]+)@@")
_MARKED_SUFFIXES = {".html", ".json", ".xml", ".txt", ".js"}

_SCRIPT_HASHES: set[str] = set()
_STYLE_HASHES: set[str] = set()
# style="…" attributes (Python-Markdown's aligned table cells write style="text-align: right;"):
# allowed one by one, by hash, with 'unsafe-hashes' (which lets hashes match attributes).
_STYLE_ATTR_HASHES: set[str] = set()
_TAG = re.compile(r"<[a-zA-Z][^<>]*>")
_STYLE_ATTR = re.compile(r"""\sstyle\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)


def _csp_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


def _collect_inline(html: str) -> None:
    for match in _INLINE_SCRIPT.finditer(html):
        attrs = match["attrs"]
        if re.search(r"\ssrc\s*=", attrs, re.IGNORECASE):
            continue
        kind = _SCRIPT_TYPE.search(attrs)
        if (kind[1].lower() if kind else "") in _JS_TYPES:
            _SCRIPT_HASHES.add(_csp_hash(match["body"]))
    for match in _INLINE_STYLE.finditer(html):
        _STYLE_HASHES.add(_csp_hash(match["body"]))
    for tag in _TAG.finditer(html):
        for attr in _STYLE_ATTR.finditer(tag[0]):
            value = attr[1] if attr[1] is not None else attr[2]
            _STYLE_ATTR_HASHES.add(_csp_hash(unescape(value)))


def csp_policy(
    script_hashes: list[str], style_hashes: list[str], style_attr_hashes: list[str] | None = None
) -> str:
    """The Content-Security-Policy for a build with these inline-script and -style hashes.

    ``style_attr_hashes`` (of ``style="…"`` attribute values) come with ``'unsafe-hashes'``,
    without which a hash never matches an attribute; nothing else inline is allowed by it.
    """
    attrs = sorted(style_attr_hashes or [])
    styles = [*style_hashes, *attrs]
    parts = []
    for name, value in CSP_DIRECTIVES:
        if name == "style-src" and attrs:
            value = f"{value} 'unsafe-hashes'"  # noqa: PLW2901 - the directive's value, amended
        extra = {"script-src": script_hashes, "style-src": styles}.get(name, [])
        parts.append(" ".join([name, value, *(f"'{h}'" for h in extra)]))
    return "; ".join(parts)


def csp_meta_policy(policy: str) -> str:
    """The policy for a ``<meta>`` tag: ``policy`` without the directives ignored there."""
    kept = [
        part.strip()
        for part in policy.split(";")
        if part.strip() and part.split()[0].lower() not in META_IGNORED_DIRECTIVES
    ]
    return "; ".join(kept)


def _sw_template(config: MkDocsConfig) -> Path:
    return Path(config.docs_dir) / SW_TEMPLATE_URI


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Start a build with no collected hashes; check that every offline asset exists."""
    _SCRIPT_HASHES.clear()
    _STYLE_HASHES.clear()
    _STYLE_ATTR_HASHES.clear()
    docs = Path(config.docs_dir) / ASSETS
    needed = (
        *HEAD_CSS,
        *HEAD_CLASSIC_SCRIPTS,
        *HEAD_DEFERRED_SCRIPTS,
        *LOADED_BY_REGISTER,
        PurePosixPath(SW_TEMPLATE_URI).name,
    )
    missing = [name for name in needed if not (docs / name).is_file()]
    if missing:
        raise SiteBuildError(
            f"hooks_offline.py puts {', '.join(missing)} on every page, but "
            f"{docs} has no such file. Restore it from git or drop it from the HEAD_* lists."
        )
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:  # noqa: ARG001 - MkDocs passes it by name
    """Keep the service worker template out of the site; on_post_build writes ``sw.js``."""
    template = files.get_file_from_path(SW_TEMPLATE_URI)
    if template is not None:
        files.remove(template)
    return files


def _add_head_tags(output: str, href: Callable[[str], str], where: str) -> str:
    tags = [f'<link rel="stylesheet" href="{href(n)}">' for n in HEAD_CSS]
    tags += [f'<script src="{href(n)}"></script>' for n in HEAD_CLASSIC_SCRIPTS]
    tags += [f'<script src="{href(n)}" defer></script>' for n in HEAD_DEFERRED_SCRIPTS]
    if output.count("</head>") != 1:
        raise SiteBuildError(
            f"{where}: expected one </head> to add the offline scripts to, found "
            f"{output.count('</head>')}."
        )
    output = output.replace("</head>", "".join(tags) + "</head>")
    # The policy must come before every script it governs: right after <meta charset>, which
    # must itself stay within the first 1024 bytes.
    charset = _CHARSET_META.search(output)
    if charset is None or charset.start() > output.index("</head>"):
        raise SiteBuildError(f"{where}: no <meta charset> in <head> to put the CSP <meta> after.")
    output = output[: charset.end()] + CSP_META_TAG + output[charset.end() :]
    _collect_inline(output)
    return output


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:  # noqa: ARG001 - by name
    """Add the offline scripts and styles to ``<head>``; collect inline hashes for the CSP."""
    return _add_head_tags(
        output,
        lambda name: get_relative_url(f"{ASSETS}/{name}", page.url or "."),
        f"page {page.file.src_uri!r}",
    )


def on_post_template(output: str, template_name: str, config: MkDocsConfig) -> str:
    """The same for ``404.html``, with URLs from the site root: it is served at any depth."""
    if not template_name.endswith(".html"):
        return output
    base = urlsplit(config.site_url or "/").path or "/"
    base = base if base.endswith("/") else base + "/"
    return _add_head_tags(output, lambda name: f"{base}{ASSETS}/{name}", template_name)


def _selftest_cases() -> list[dict[str, Any]]:
    """Known answers for every calculator: its defaults, other choices, one bad value."""
    cases: list[dict[str, Any]] = []
    for calc in CALCULATORS.values():
        variants: list[tuple[str, dict[str, str]]] = [("defaults", {})]
        other: dict[str, str] = {}
        for f in calc.fields:
            if f.kind == "choice" and f.choices and f.choices[-1].value != f.default:
                other[f.name] = str(f.choices[-1].value)
            elif f.kind == "date":
                other[f.name] = "2025-01-15"  # a fixed date: a known answer must not age
        if other:
            variants.append(("other choices", other))
        for f in calc.fields:
            if f.kind == "number" and f.maximum is not None:
                too_big = f.maximum + (f.step or 1)
                variants.append((f"{f.name} above its maximum", {f.name: f"{too_big:g}"}))
                break
        for label, inputs in variants:
            answer = json.loads(web.run(calc.id, json.dumps(inputs)))
            answer.pop("html", None)  # page-relative links; the result itself is compared
            cases.append({"calculator": calc.id, "case": label, "inputs": inputs, **answer})
    return cases


def _immutable_prefixes(paths: list[str]) -> list[str]:
    """The shortest folder prefixes whose last folder name is a version or a hash."""
    prefixes: set[str] = set()
    for rel in paths:
        parts = PurePosixPath(rel).parts[:-1]
        for i, part in enumerate(parts):
            if VERSIONED_DIR.match(part):
                prefixes.add("/".join(parts[: i + 1]) + "/")
                break
    return sorted(prefixes)


def _pyodide_paths(site: Path, paths: list[str]) -> dict[str, str] | None:
    """Where the build put Pyodide and the calculators wheel, for the self-test page.

    The runtime folder holds ``pyodide.asm.wasm``; the lock file is the ``pyodide-lock.json``
    next to a wheel it lists (the one written by ``sitebuild/hooks_pyodide.py``).
    """
    runtime = [rel for rel in paths if PurePosixPath(rel).name == "pyodide.asm.wasm"]
    for rel in paths:
        if PurePosixPath(rel).name != "pyodide-lock.json":
            continue
        folder = PurePosixPath(rel).parent
        lock = json.loads((site / rel).read_text(encoding="utf-8"))
        for name, entry in lock.get("packages", {}).items():
            if str(folder / str(entry.get("file_name", ""))) in paths and len(runtime) == 1:
                return {
                    "index": str(PurePosixPath(runtime[0]).parent) + "/",
                    "lock": rel,
                    "package": name,
                }
    return None


def _fill_markers(site: Path, values: dict[str, str]) -> None:
    """Replace every ``@@OFFLINE_<NAME>@@`` in the built text files; unknown names fail."""
    for path in site.rglob("*"):
        if path.suffix not in _MARKED_SUFFIXES or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="surrogateescape")
        if "@@OFFLINE_" not in text:
            continue
        html = path.suffix == ".html"

        def fill(match: re.Match[str], *, html: bool = html, path: Path = path) -> str:
            if match[1] not in values:
                raise SiteBuildError(
                    f"{path.relative_to(site)}: unknown marker {match[0]}; known: "
                    + ", ".join(f"@@OFFLINE_{k}@@" for k in values)
                )
            # In pages: safe in text and in double-quoted attributes (the CSP <meta>), and
            # the policy's many single quotes stay readable.
            value = values[match[1]]
            return escape(value, quote=False).replace('"', "&quot;") if html else value

        path.write_text(_MARKER.sub(fill, text), encoding="utf-8", errors="surrogateescape")


def _list_files(site: Path) -> list[Path]:
    skip = {SW_FILE, MANIFEST_FILE}
    files = [
        p for p in site.rglob("*") if p.is_file() and p.relative_to(site).as_posix() not in skip
    ]
    return sorted(files, key=lambda p: p.relative_to(site).as_posix())


def _describe(site: Path, path: Path) -> dict[str, Any]:
    data = path.read_bytes()
    return {
        "path": path.relative_to(site).as_posix(),
        "bytes": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
    }


def cache_name_for(entries: list[dict[str, Any]]) -> str:
    """The service worker's cache name: a hash of every path with its contents' hash.

    Any changed, added or removed file gives a new name, so a new release never mixes
    with the files of the one before.
    """
    listing = "\n".join(f"{e['path']} {e['sha256']}" for e in entries)
    return CACHE_PREFIX + hashlib.sha256(listing.encode()).hexdigest()[:16]


def _render_sw(
    template_path: Path,
    cache_name: str,
    precache: list[str],
    immutable: list[str],
    version: str,
    *,
    expected: dict[str, tuple[int, str]] | None = None,
) -> str:
    template = template_path.read_text(encoding="utf-8")
    values = {
        "CACHE_NAME": json.dumps(cache_name),
        "CACHE_PREFIX": json.dumps(CACHE_PREFIX),
        "VERSION": json.dumps(version),
        "PRECACHE": json.dumps(precache, indent=0),
        "IMMUTABLE_PREFIXES": json.dumps(immutable),
        "HASHED_NAME": "/" + HASHED_NAME.pattern.replace("/", r"\/") + "/",
        "EXPECTED": json.dumps(expected or {}, indent=0),
        "MANIFEST": json.dumps(MANIFEST_FILE),
    }
    for key, value in values.items():
        marker = re.compile(r"/\*@" + key + r"@\*/null \?\? [^;\n]*;")
        template, count = marker.subn(lambda _m, v=value: f"{v};", template)
        if count != 1:
            raise SiteBuildError(
                f"{template_path}: expected the marker /*@{key}@*/null ?? <fallback>; once "
                f"(found {count})."
            )
    return template


@event_priority(-100)  # after every other post_build: Pyodide, the search index, sitemaps
def on_post_build(config: MkDocsConfig) -> None:
    """Write the self-test answers, ``sw.js``, the manifest and the CSP of this build."""
    site = Path(config.site_dir)
    cases_path = site / CASES_FILE
    cases_path.parent.mkdir(parents=True, exist_ok=True)
    cases_path.write_text(json.dumps(_selftest_cases(), indent=1) + "\n", encoding="utf-8")

    script_hashes, style_hashes = sorted(_SCRIPT_HASHES), sorted(_STYLE_HASHES)
    style_attr_hashes = sorted(_STYLE_ATTR_HASHES)
    csp = csp_policy(script_hashes, style_hashes, style_attr_hashes)
    (site / CSP_FILE).write_text(csp + "\n", encoding="utf-8")
    site_bytes = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    _fill_markers(
        site,
        {"CSP": csp, "CSP_META": csp_meta_policy(csp), "SITE_MB": f"{round(site_bytes / 1e6)}"},
    )

    entries = [_describe(site, p) for p in _list_files(site)]
    cache_name = cache_name_for(entries)
    paths = [e["path"] for e in entries]
    immutable = _immutable_prefixes(paths)
    version = calculators.__version__
    # The manifest is precached too (the self-test reads it), though it is not hashed into
    # the cache name: it only restates the other files.
    # Every file but the manifest (it holds sw.js's hash, so sw.js cannot hold its hash; the
    # service worker checks it against this list instead) with its length and SHA-256.
    expected = {e["path"]: (e["bytes"], e["sha256"]) for e in entries}
    sw_text = _render_sw(
        _sw_template(config),
        cache_name,
        [*paths, MANIFEST_FILE],
        immutable,
        version,
        expected=expected,
    )
    (site / SW_FILE).write_text(sw_text, encoding="utf-8")
    entries.append(_describe(site, site / SW_FILE))

    manifest = {
        "name": "baclofen-dosing-site",
        "version": version,
        "cache_name": cache_name,
        "service_worker": SW_FILE,
        "immutable_prefixes": immutable,
        "hashed_name_pattern": HASHED_NAME.pattern,
        "csp": {
            "policy": csp,
            "script_hashes": script_hashes,
            "style_hashes": style_hashes,
            "style_attribute_hashes": style_attr_hashes,
        },
        "selftest_cases": CASES_FILE,
        "pyodide": _pyodide_paths(site, paths),
        "total_bytes": sum(e["bytes"] for e in entries),
        "files": entries,
    }
    (site / MANIFEST_FILE).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
