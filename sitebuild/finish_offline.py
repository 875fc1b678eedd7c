"""The offline copy of a built site (the *finish* step, :mod:`sitebuild.finish`).

:func:`write_offline` writes ``assets/offline/selftest-cases.json`` (known answers computed
here, on CPython, by the same :func:`calculators.web.run` the browser's worker calls), fills
the ``@@OFFLINE_<NAME>@@`` markers (the hosting guide quotes this build's policy and size),
``sw.js`` at the site root (every file with its length and SHA-256, and a cache name derived
from all of them) and ``assets/offline/manifest.json``: the build's contract with the
launcher, the tests and the benchmark (files, sizes, hashes, versioned prefixes, the
hashed-name pattern, the CSP, where Pyodide is).
"""

from __future__ import annotations

import hashlib
import json
import re
from html import escape
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

import calculators
from calculators import web
from calculators.registry import CALCULATORS
from sitebuild import SiteBuildError, names
from sitebuild.finish_csp import InlineHashes, csp_meta_policy, csp_policy

if TYPE_CHECKING:
    from sitebuild.context import Build

ASSETS = "assets/offline"
# The service worker's source, filled in by write_offline; not copied into the site itself.
SW_TEMPLATE_URI = f"{ASSETS}/sw.template.js"
SW_FILE = "sw.js"
MANIFEST_FILE = names.MANIFEST_PATH
CASES_FILE = f"{ASSETS}/selftest-cases.json"
CSP_FILE = f"{ASSETS}/csp.txt"
# Kept once, in sitebuild/names.json (the service worker's JavaScript unit tests read it too).
CACHE_PREFIX = names.CACHE_PREFIX
# Classic page scripts (no module: they cannot import protocol.js) whose shared names the
# finish step fills in, as it fills the service worker's (see fill_names).
NAMED_SCRIPTS = (f"{ASSETS}/register.js",)

# A folder named for a version (314.0.7, v2.1) or a content hash, or a file name carrying a
# hash (Material's bundle.a5f9d56c.min.js): the bytes behind such a path never change, so
# browsers may keep them a year and the service worker answers from its cache first.
VERSIONED_DIR = re.compile(names.VERSIONED_DIR_PATTERN)
HASHED_NAME = re.compile(names.HASHED_NAME_PATTERN)

# In a script: `/*@NAME@*/null ?? <placeholder>;`, which type-checks as the placeholder's
# type and becomes `<value>;` in the built site.
_SCRIPT_MARKER = re.compile(r"/\*@(?P<key>[A-Z_]+)@\*/null \?\? [^;\n]*;")

# Written on pages as @@OFFLINE_<NAME>@@ and filled in after the build, when the values are
# known: the hosting guide quotes the exact policy and size of the build it is part of.
_MARKER = re.compile(r"@@OFFLINE_([A-Z_]+)@@")
_MARKED_SUFFIXES = {".html", ".json", ".xml", ".txt", ".js"}


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
            answer.pop("html_sha256", None)  # the same HTML's digest
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


def _runtime(build: Build) -> dict[str, str] | None:
    """Where the build put Pyodide and the calculators wheel (site-root URLs), for the self-test.

    The build description's ``pyodide`` entry (:mod:`sitebuild.pipeline`); None for a site
    without calculators.
    """
    runtime = build.data.get("pyodide")
    if not runtime:
        return None
    return {key: str(runtime[key]) for key in ("index", "lock", "stdlib", "package")}


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


def fill_names(
    text: str, where: str, values: dict[str, str] | None = None, *, once: tuple[str, ...] = ()
) -> str:
    """``text`` with each ``/*@NAME@*/null ?? <placeholder>;`` marker replaced by its value.

    The values are ``values`` (JavaScript source) and the shared names of ``names.json``'s
    ``browser`` (as JSON). A marker for any other name fails, and so does a name of ``once``
    that is not marked exactly once.
    """
    known = {key: json.dumps(value) for key, value in names.BROWSER.items()} | (values or {})
    for key in once:
        found = sum(1 for m in _SCRIPT_MARKER.finditer(text) if m["key"] == key)
        if found != 1:
            raise SiteBuildError(
                f"{where}: expected the marker /*@{key}@*/null ?? <fallback>; once "
                f"(found {found})."
            )

    def fill(match: re.Match[str]) -> str:
        if match["key"] not in known:
            raise SiteBuildError(
                f"{where}: unknown marker /*@{match['key']}@*/; known: {', '.join(sorted(known))}."
            )
        return f"{known[match['key']]};"

    return _SCRIPT_MARKER.sub(fill, text)


def _render_sw(
    template_path: Path,
    cache_name: str,
    precache: list[str],
    immutable: list[str],
    version: str,
    *,
    expected: dict[str, tuple[int, str]] | None = None,
) -> str:
    values = {
        "CACHE_NAME": json.dumps(cache_name),
        "CACHE_PREFIX": json.dumps(CACHE_PREFIX),
        "VERSION": json.dumps(version),
        "PRECACHE": json.dumps(precache, indent=0),
        "IMMUTABLE_PREFIXES": json.dumps(immutable),
        "HASHED_NAME": "/" + HASHED_NAME.pattern.replace("/", r"\/") + "/",
        "EXPECTED": json.dumps(expected or {}, indent=0),
    }
    template = template_path.read_text(encoding="utf-8")
    return fill_names(template, str(template_path), values, once=tuple(values))


def fill_named_scripts(site: Path) -> None:
    """Fill the shared names into the built copies of :data:`NAMED_SCRIPTS`."""
    for rel in NAMED_SCRIPTS:
        path = site / rel
        path.write_text(fill_names(path.read_text(encoding="utf-8"), rel), encoding="utf-8")


def write_offline(site: Path, build: Build, hashes: InlineHashes, sw_template: Path) -> None:
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
        "name": names.BUNDLE_NAME,
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
        "pyodide": _runtime(build),
        "total_bytes": sum(e["bytes"] for e in entries),
        "files": entries,
    }
    (site / MANIFEST_FILE).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
