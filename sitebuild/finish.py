"""The pipeline's *finish* step: everything done over the built site, whichever generator built it.

:func:`finish` runs after the generator (MkDocs + Material, or Zensical) has written
``site/``. It reads only the build description (:class:`sitebuild.context.Build`) and the
built files; in order:

1. drops the sources that are not part of the site (``assets/offline/sw.template.js``, the
   teaching case files ``cases/*.toml``) and copies in the prepared files (the vendored
   Pyodide, the calculators wheel and lock file, the calculator catalogue, the GIFT, Moodle
   XML and QTI exports);
2. fills the References page's "cited on" lines from the ``id="cite-<key>-<n>"`` anchors of
   every built page (:func:`fill_back_links`), in navigation order;
3. edits each page's ``<head>`` (:func:`finish_page`): ``offline.css``, ``protocol.js`` (a
   classic script, so it also runs from ``file://``: it marks ``<html class="is-file">`` and
   puts a "start the launcher" note before each calculator's output) and ``register.js``
   (on http(s) only: registers ``sw.js``); on a page with a calculator, the early start of
   the worker (:mod:`sitebuild.early`); ``<meta http-equiv="Content-Security-Policy">`` right
   after ``<meta charset>`` (for hosts that send no policy header: the build's policy without
   the directives browsers ignore in a ``<meta>``); and a name for Material's search dialog;
4. hashes every inline script, style and ``style=`` attribute of the final pages into the
   Content-Security-Policy, writes ``assets/offline/csp.txt`` and fills the
   ``@@OFFLINE_<NAME>@@`` markers (the hosting guide quotes this build's policy and size);
5. writes ``assets/offline/selftest-cases.json`` (known answers computed here, on CPython, by
   the same :func:`calculators.web.run` the browser's worker calls), ``sw.js`` at the site
   root (every file with its length and SHA-256, and a cache name derived from all of them)
   and ``assets/offline/manifest.json``: the build's contract with the launcher, the tests
   and the benchmark (files, sizes, hashes, versioned prefixes, the hashed-name pattern,
   the CSP, where Pyodide is).

Nothing is fetched from another host, at build time or in the browser.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import re
import shutil
from dataclasses import dataclass, field
from html import escape, unescape
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import calculators
from calculators import web
from calculators.registry import CALCULATORS
from calculators.sources import SOURCES
from sitebuild import SiteBuildError
from sitebuild.citations import back_links_html, back_links_placeholder
from sitebuild.context import Page, relative_url
from sitebuild.early import SEARCH_GATE_TAG, early_tags
from sitebuild.prepare import STDLIB_FILE
from sitebuild.shadow_styles import shadow_styles
from sitebuild.stylesheets import link_bundle, own_stylesheets, write_bundle

if TYPE_CHECKING:
    from collections.abc import Callable

    from sitebuild.context import Build

ASSETS = "assets/offline"
# The service worker's source, filled in by on_post_build; not copied into the site itself.
SW_TEMPLATE_URI = f"{ASSETS}/sw.template.js"
SW_FILE = "sw.js"
MANIFEST_FILE = f"{ASSETS}/manifest.json"
CASES_FILE = f"{ASSETS}/selftest-cases.json"
CSP_FILE = f"{ASSETS}/csp.txt"
# Kept once, in a file the service worker's JavaScript unit tests read too.
_RULES = json.loads((Path(__file__).with_name("offline-rules.json")).read_text(encoding="utf-8"))
CACHE_PREFIX: str = _RULES["cache_prefix"]

# The scripts and styles every page loads from docs/assets/offline/. The stylesheet goes into
# the site's one stylesheet (sitebuild/stylesheets.py). Both scripts are deferred, in this
# order: protocol.js is a classic script (it must also run from file://, where Chrome
# refuses module scripts) but need not block the first paint (it does nothing over http).
HEAD_CSS = ("offline.css",)
HEAD_CLASSIC_SCRIPTS = ("protocol.js",)
HEAD_DEFERRED_SCRIPTS = ("register.js",)
# Loaded by register.js over http(s) only: Chrome logs a CORS error for any module script on
# a page opened as a file.
LOADED_BY_REGISTER = ("selftest.js",)

# A folder named for a version (314.0.7, v2.1) or a content hash, or a file name carrying a
# hash (Material's bundle.a5f9d56c.min.js): the bytes behind such a path never change, so
# browsers may keep them a year and the service worker answers from its cache first.
VERSIONED_DIR = re.compile(_RULES["versioned_dir_pattern"])
HASHED_NAME = re.compile(_RULES["hashed_name_pattern"])

# The policy the hosting guide quotes (filled in after the build, with the inline-script
# hashes). The manifest carries it; tools/launcher/serve.py sends exactly the manifest's.
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

# style="…" attributes (Python-Markdown's aligned table cells write style="text-align: right;")
# are allowed one by one, by hash, with 'unsafe-hashes' (which lets hashes match attributes).
_TAG = re.compile(r"<[a-zA-Z][^<>]*>")
_STYLE_ATTR = re.compile(r"""\sstyle\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)


def _csp_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


@dataclass
class InlineHashes:
    """The CSP hashes of the inline scripts, styles and style attributes of the final pages."""

    scripts: set[str] = field(default_factory=set)
    styles: set[str] = field(default_factory=set)
    style_attributes: set[str] = field(default_factory=set)


def collect_inline(html: str, into: InlineHashes) -> None:
    """Add the hashes of ``html``'s inline scripts, styles and style attributes to ``into``."""
    for match in _INLINE_SCRIPT.finditer(html):
        attrs = match["attrs"]
        if re.search(r"\ssrc\s*=", attrs, re.IGNORECASE):
            continue
        kind = _SCRIPT_TYPE.search(attrs)
        if (kind[1].lower() if kind else "") in _JS_TYPES:
            into.scripts.add(_csp_hash(match["body"]))
    for match in _INLINE_STYLE.finditer(html):
        into.styles.add(_csp_hash(match["body"]))
    for tag in _TAG.finditer(html):
        for attr in _STYLE_ATTR.finditer(tag[0]):
            value = attr[1] if attr[1] is not None else attr[2]
            into.style_attributes.add(_csp_hash(unescape(value)))


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


def _add_head_tags(
    output: str, href: Callable[[str], str], where: str, *, css: bool = True
) -> str:
    tags = [f'<link rel="stylesheet" href="{href(n)}">' for n in HEAD_CSS] if css else []
    tags += [
        f'<script src="{href(n)}" defer></script>'
        for n in HEAD_CLASSIC_SCRIPTS + HEAD_DEFERRED_SCRIPTS
    ]
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
    return output[: charset.end()] + CSP_META_TAG + output[charset.end() :]


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
                stdlib = str(folder / STDLIB_FILE)
                return {
                    "index": str(PurePosixPath(runtime[0]).parent) + "/",
                    "lock": rel,
                    **({"stdlib": stdlib} if stdlib in paths else {}),
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


def write_offline(site: Path, hashes: InlineHashes, sw_template: Path) -> None:
    """Write the self-test answers, ``sw.js``, the manifest and the CSP of this build."""
    cases_path = site / CASES_FILE
    cases_path.parent.mkdir(parents=True, exist_ok=True)
    cases_path.write_text(json.dumps(_selftest_cases(), indent=1) + "\n", encoding="utf-8")

    script_hashes, style_hashes = sorted(hashes.scripts), sorted(hashes.styles)
    style_attr_hashes = sorted(hashes.style_attributes)
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
        sw_template,
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


# --- the References page's back-links -------------------------------------------------------

# Where a citation lands: the n-th citation of a key on a page (sitebuild/citations.py).
_CITE_ANCHOR = re.compile(r'<a\b[^>]*\bid="cite-(?P<key>[a-z0-9][a-z0-9-]*?)-(?P<n>\d+)"')
_H1 = re.compile(r"<h1\b[^>]*>(?P<text>.*?)</h1>", re.DOTALL)
_TAGS = re.compile(r"<[^>]+>")
_HEADERLINK = re.compile(r'<a\b[^>]*\bclass="headerlink"[^>]*>.*?</a>', re.DOTALL)


def _page_title(build: Build, src: str, html: str) -> str:
    title = build.data.get("titles", {}).get(src)
    if title:
        return str(title)
    heading = _H1.search(html)
    if not heading:
        return src
    text = _HEADERLINK.sub("", heading["text"])  # the permalink's "¶" is not the title
    return unescape(_TAGS.sub("", text)).strip()


def _citation_anchors(html: str, src: str) -> dict[str, list[str]]:
    """``{key: [anchor id, ...]}`` of the citations on a built page, in page order."""
    anchors: dict[str, list[str]] = {}
    for match in _CITE_ANCHOR.finditer(html):
        if match["key"] not in SOURCES:
            raise SiteBuildError(
                f"page {src!r}: citation anchor for unknown source {match['key']!r}."
            )
        anchors.setdefault(match["key"], []).append(f"cite-{match['key']}-{match['n']}")
    return anchors


# Text a reader sees: a built page without its code, scripts, styles and tags.
_NOT_TEXT = re.compile(
    r"<(?P<tag>code|pre|script|style|template|textarea)\b[^>]*>.*?</(?P=tag)>|<!--.*?-->",
    re.DOTALL | re.IGNORECASE,
)
_RAW_CITATION = re.compile(r"\[@[^\]]{0,80}")


def raw_citations(html: str) -> list[str]:
    """Every ``[@...`` left as text in a built page (outside code, scripts and tags)."""
    text = unescape(_TAGS.sub(" ", _NOT_TEXT.sub(" ", html)))
    return [" ".join(m.group(0).split()) for m in _RAW_CITATION.finditer(text)]


def check_no_raw_citations(html: str, rel: str) -> None:
    """Stop the build when a page shows citation markup as text (QA D5)."""
    found = raw_citations(html)
    if found:
        raise SiteBuildError(
            f"{rel}: citation text left unrendered: {found[:5]}. Write [@key] or "
            "[@key1; @key2] with known keys from calculators/sources.py (a group may span a "
            "line break); to show the syntax itself, put it in a code span."
        )


def _cited_on_titles(build: Build, found: list[tuple[str, str]]) -> dict[str, str]:
    """``{src: title}`` for the References page's "Cited on" lines (QA D23).

    Two pages with the same title (the clinical page and its teaching cases, both
    "Intrathecal baclofen") are told apart: a page in a section is named with the section's
    title first ("Teaching cases: Intrathecal baclofen").
    """
    titles = dict(found)
    counts: dict[str, int] = {}
    for title in titles.values():
        counts[title] = counts.get(title, 0) + 1
    sections = build.data.get("titles", {})
    out = {}
    for src, title in titles.items():
        if counts[title] > 1 and "/" in src:
            section_index = f"{src.rsplit('/', 1)[0]}/index.md"
            section = (
                titles.get(section_index)
                or sections.get(section_index)
                or src.rsplit("/", 1)[0].replace("-", " ")
            )
            out[src] = f"{section}: {title}"
        else:
            out[src] = title
    return out


def fill_back_links(site: Path, build: Build) -> None:
    """Write each source's "cited on" links into the References page, in navigation order."""
    references = build.references_page
    ref_url = build.url_of(references)
    ref_path = site / html_path(ref_url)
    if not ref_path.is_file():
        raise SiteBuildError(f"the References page {references!r} was not built ({ref_path}).")
    content = ref_path.read_text(encoding="utf-8")
    missing = [key for key in SOURCES if back_links_placeholder(key) not in content]
    if missing:
        raise SiteBuildError(
            f"page {references!r} does not list the bibliography (no entry for "
            f"{', '.join(missing)}). Put the block '/// references' then '///' on lines of "
            "their own, with no argument, option or content."
        )
    cited: dict[str, list[tuple[str, str, str, int]]] = {key: [] for key in SOURCES}
    ref_page = Page(references, ref_url)
    pages: list[tuple[str, str, dict[str, list[str]]]] = []
    for src in build.data["nav_order"]:
        if src == references:
            continue  # the References page citing a source is not a use of it
        path = site / html_path(build.url_of(src))
        if not path.is_file():
            continue
        html = path.read_text(encoding="utf-8")
        pages.append((src, _page_title(build, src, html), _citation_anchors(html, src)))
    titles = _cited_on_titles(build, [(src, title) for src, title, _ in pages])
    for src, _title, anchors in pages:
        for key, ids in anchors.items():
            url = relative_url(build.url_of(src), ref_page)
            cited[key].append((url, ids[0], titles[src], len(ids)))
    for key, citing in cited.items():
        placeholder = back_links_placeholder(key)
        if content.count(placeholder) != 1:
            raise SiteBuildError(
                f"page {references!r}: expected one back-link slot for {key!r}, found "
                f"{content.count(placeholder)}."
            )
        content = content.replace(placeholder, back_links_html(key, citing))
    ref_path.write_text(content, encoding="utf-8")


# --- each page's <head> -----------------------------------------------------------------------

# Material's search overlay is a `role="dialog"` with no accessible name (axe rule
# aria-dialog-name). Named here rather than by copying Material's whole template.
_SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
_SEARCH_DIALOG_NAMED = (
    '<div class="md-search" data-md-component="search" role="dialog" aria-label="Search">'
)
EARLY_SCRIPT = "assets/js/calculators-early.js"
WORKER_SCRIPT = "assets/js/calculator-worker.js"


def html_path(url: str) -> str:
    """The file a page URL is served from: ``oral/`` -> ``oral/index.html``."""
    return f"{url}index.html" if url == "" or url.endswith("/") else url


def page_url_of(rel: str) -> str:
    """The URL a built HTML file answers: ``oral/index.html`` -> ``oral/``."""
    return rel.removesuffix("index.html") if rel.endswith("index.html") else rel


def _name_search_dialog(html: str, build: Build, where: str) -> str:
    if html.count(_SEARCH_DIALOG) == 1:
        return html.replace(_SEARCH_DIALOG, _SEARCH_DIALOG_NAMED)
    if build.data.get("theme") == "material" and build.data.get("generator") == "mkdocs":
        raise SiteBuildError(
            f"{where}: Material's search dialog markup changed; update _SEARCH_DIALOG in "
            "sitebuild/finish.py so the dialog keeps its accessible name."
        )
    return html


def _after_charset(html: str, tag: str, where: str) -> str:
    """``html`` with ``tag`` right after ``<meta charset>`` (before every script it governs)."""
    charset = _CHARSET_META.search(html)
    if charset is None or charset.start() > html.find("</head>"):
        raise SiteBuildError(f"{where}: no <meta charset> in <head> to put {tag[:40]}... after.")
    return html[: charset.end()] + tag + html[charset.end() :]


def _add_early_start(html: str, href: Callable[[str], str], build: Build, where: str) -> str:
    """``html`` (a page with a calculator) with the worker's early start (``sitebuild.early``)."""
    if "data-calculator=" not in html:
        raise SiteBuildError(
            f"{where}: the build description says this page holds a calculator, but the "
            "built page has no calculator form."
        )
    runtime = build.pyodide
    inline, tail = early_tags(
        index=href(runtime["index"]),
        lock=href(runtime["lock"]),
        package=runtime["package"],
        worker=href(WORKER_SCRIPT),
        module=href(EARLY_SCRIPT),
    )
    if html.count("</head>") != 1:
        raise SiteBuildError(f"{where}: expected one </head>, found {html.count('</head>')}.")
    html = html.replace("</head>", tail + "</head>")
    return _after_charset(html, inline, where)


def _site_styles(site: Path, *, offline: bool) -> Styles | None:
    """Write the site's one stylesheet from what the home page links (plus offline.css)."""
    home = site / "index.html"
    if not home.is_file():
        return None
    extra = tuple(f"{ASSETS}/{name}" for name in HEAD_CSS) if offline else ()
    bundled = own_stylesheets(home.read_text(encoding="utf-8"), extra=extra)
    return Styles(write_bundle(site, bundled), tuple(bundled)) if bundled else None


def theme_shadow_style_hashes(site: Path) -> set[str]:
    """CSP hashes of the stylesheets the theme's bundle appends to a shadow root.

    Zensical's search overlay (:mod:`sitebuild.shadow_styles`); Material's bundle has none.
    """
    found: set[str] = set()
    for script in sorted(site.glob("assets/javascripts/bundle.*.js")):
        found.update(_csp_hash(t) for t in shadow_styles(script.read_text(encoding="utf-8")))
    return found


@dataclass(frozen=True)
class Styles:
    """The site's one stylesheet (:mod:`sitebuild.stylesheets`) and what it replaces."""

    bundle: str
    bundled: tuple[str, ...]


def finish_page(
    html: str,
    *,
    rel: str,
    build: Build,
    calculators: bool,
    offline: bool = True,
    styles: Styles | None = None,
) -> str:
    """``html`` (the built file ``rel``) with the offline tags, early start and CSP ``<meta>``.

    With ``styles``, the page links the site's one stylesheet instead of its parts. A page
    without a calculator gets the search index's gate alone (:data:`SEARCH_GATE_TAG`).
    ``404.html`` is served at any depth, so its URLs start from the site's root path.
    """
    where = f"{rel}"
    if rel == "404.html":
        base = urlsplit(build.data.get("site_url") or "/").path or "/"
        base = base if base.endswith("/") else base + "/"

        def href(target: str) -> str:
            return f"{base}{target}"
    else:
        page = Page(rel, page_url_of(rel))

        def href(target: str) -> str:
            return relative_url(target, page)

    html = _name_search_dialog(html, build, where)
    if calculators:
        html = _add_early_start(html, href, build, where)
    elif offline:
        html = _after_charset(html, SEARCH_GATE_TAG, where)
    if styles is not None:
        html = link_bundle(html, bundled=list(styles.bundled), bundle=styles.bundle, href=href)
    if not offline:
        return html
    return _add_head_tags(
        html, lambda name: href(f"{ASSETS}/{name}"), where, css=styles is None
    )


# --- the whole step -----------------------------------------------------------------------------

# Sources the generators copy from docs/ that are not part of the site.
_SOURCE_ONLY = (SW_TEMPLATE_URI,)
_SOURCE_ONLY_GLOBS = ("cases/*.toml",)


def finish(site: Path, build: Build, prepared: Path, docs: Path) -> None:
    """Run the finish step over ``site`` (see the module docstring).

    A docs folder without ``assets/offline/`` (a small test site) gets no offline copy: no
    offline tags, no service worker, no manifest.
    """
    offline = (docs / SW_TEMPLATE_URI).is_file()
    for rel in _SOURCE_ONLY:
        (site / rel).unlink(missing_ok=True)
    for pattern in _SOURCE_ONLY_GLOBS:
        for path in site.glob(pattern):
            path.unlink()
            with contextlib.suppress(OSError):
                path.parent.rmdir()  # only when empty
    if prepared.is_dir():
        shutil.copytree(prepared, site, dirs_exist_ok=True)
    fill_back_links(site, build)
    styles = _site_styles(site, offline=offline)
    calculator_files = {html_path(build.url_of(src)) for src in build.calculator_pages.values()}
    hashes = InlineHashes()
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        if rel.startswith("assets/"):
            continue
        check_no_raw_citations(path.read_text(encoding="utf-8"), rel)
        html = finish_page(
            path.read_text(encoding="utf-8"),
            rel=rel,
            build=build,
            calculators=rel in calculator_files,
            offline=offline,
            styles=styles,
        )
        collect_inline(html, hashes)
        path.write_text(html, encoding="utf-8")
    missing = [
        src
        for src in build.calculator_pages.values()
        if not (site / html_path(build.url_of(src))).is_file()
    ]
    if missing:
        raise SiteBuildError(f"pages with a calculator were not built: {', '.join(missing)}")
    hashes.styles.update(theme_shadow_style_hashes(site))
    if offline:
        write_offline(site, hashes, docs / SW_TEMPLATE_URI)
