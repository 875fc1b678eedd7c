"""The same pipeline with both generators: MkDocs + Material (the default) and Zensical.

The Zensical build must hold everything the MkDocs build holds that is ours: every page,
every calculator form with the same build-time result, the same citations, constants and
references with their back-links, the offline copy (service worker, manifest) and the early
start. Where the two outputs differ, the difference is named in :data:`DIFFERENCES` (the
README repeats the list); a difference not named there fails the test, and so does a named
one that has gone away.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from typing import TYPE_CHECKING

import pytest
from sitekit import REPO, build_site

from sitebuild.finish_csp import theme_shadow_style_hashes
from sitebuild.shadow_styles import shadow_styles

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.site_build

# Counted on every page of both builds; the counts must be equal.
OURS = {
    "calculator forms": r'<form class="calc-form" data-calculator="',
    "citation anchors": r'role="doc-biblioref"',
    "constants": r'data-constant="',
    "reference entries": r'<li class="reference [^"]*" id="ref-',
    "cited-on lines": r'<p class="ref-citedby" data-citedby="[^"]+">Cited on|Not cited',
    "teaching cases": r'<div class="case-prompt"',
    "early start": r'<script data-worker="',
    "CSP meta": r'<meta http-equiv="Content-Security-Policy" content="default-src',
    "offline tags": r"assets/offline/register\.js",
    "search dialog name": r'role="dialog" aria-label="Search"',
    "headings": r"<h[1-6][ >]",
    "tables": r"<table",
    "admonitions": r'class="admonition',
}

# Files only one generator writes: the theme's own assets and search index. Each pattern is
# a named, known difference; the list is the README's "what differs" list.
DIFFERENCES = {
    "Material's bundle, search worker and lunr language files (MkDocs)": (
        "mkdocs",
        (
            r"assets/javascripts/(bundle\.[0-9a-f]{8}\.min\.js"
            r"|workers/search\.[0-9a-f]{8}\.min\.js|lunr/.*)"
        ),
    ),
    "source maps of Material's scripts and styles (MkDocs; Zensical ships none)": (
        "mkdocs",
        r"assets/(javascripts|stylesheets)/.*\.map",
    ),
    "Material's stylesheets (MkDocs)": (
        "mkdocs",
        r"assets/stylesheets/(main|palette)\.[0-9a-f]{8}\.min\.css",
    ),
    "search index at search/search_index.json (MkDocs) or search.json (Zensical)": (
        "both",
        r"search/search_index\.json|search\.json",
    ),
    "sitemap.xml.gz (MkDocs only; both write sitemap.xml)": ("mkdocs", r"sitemap\.xml\.gz"),
    "Zensical's own bundle, search worker and its licence file": (
        "zensical",
        (
            r"assets/javascripts/(bundle\.[0-9a-f]{8}\.min\.js"
            r"|workers/search\.[0-9a-f]{8}\.min\.js|LICENSE)"
        ),
    ),
    "Zensical's stylesheets, in a classic (Material look) and a modern variant": (
        "zensical",
        r"assets/stylesheets/(classic|modern)/(main|palette)\.[0-9a-f]{8}\.min\.css",
    ),
}


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site built with ``--generator zensical``."""
    site = tmp_path_factory.mktemp("zensical") / "site"
    build = build_site(REPO / "mkdocs.yml", site, "zensical")
    assert build.returncode == 0, build.output
    return site


def _files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def _named(path: str, side: str) -> str | None:
    for name, (where, pattern) in DIFFERENCES.items():
        if where in {side, "both"} and re.fullmatch(pattern, path):
            return name
    return None


def test_generators_differ_only_in_named_theme_files(built_site: Path, zensical_site: Path) -> None:
    """Every file one build has and the other lacks is a named difference; each name is used."""
    mkdocs, zensical = _files(built_site), _files(zensical_site)
    unnamed = sorted(
        [f"mkdocs only: {p}" for p in mkdocs - zensical if _named(p, "mkdocs") is None]
        + [f"zensical only: {p}" for p in zensical - mkdocs if _named(p, "zensical") is None]
    )
    assert unnamed == []
    used = {_named(p, "mkdocs") for p in mkdocs - zensical}
    used |= {_named(p, "zensical") for p in zensical - mkdocs}
    assert used == set(DIFFERENCES)


def test_generators_build_the_same_pages_with_the_same_content_of_ours(
    built_site: Path, zensical_site: Path
) -> None:
    """Page by page, our blocks, citations, constants and head tags appear as often."""
    pages = sorted(p.relative_to(built_site).as_posix() for p in built_site.rglob("*.html"))
    assert pages == sorted(
        p.relative_to(zensical_site).as_posix() for p in zensical_site.rglob("*.html")
    )
    total = dict.fromkeys(OURS, 0)
    for rel in pages:
        a = (built_site / rel).read_text(encoding="utf-8")
        b = (zensical_site / rel).read_text(encoding="utf-8")
        for name, pattern in OURS.items():
            counts = len(re.findall(pattern, a)), len(re.findall(pattern, b))
            assert counts[0] == counts[1], (
                f"{rel}: {name}: MkDocs {counts[0]}, Zensical {counts[1]}"
            )
            total[name] += counts[0]
    # The comparison is not of two empty sites: everything counted is there.
    assert all(total.values()), total


def _results(html: str) -> list[str]:
    return re.findall(r'data-calculator="([a-z-]+)"|data-result="([^"]*)"', html)  # type: ignore[return-value]


def test_generators_give_every_calculator_the_same_build_time_result(
    built_site: Path, zensical_site: Path
) -> None:
    """The static result under each form (what JavaScript-off readers see) is identical."""
    for rel in ("oral/index.html", "stopping/index.html", "intrathecal/index.html",
                "pump-clinic/index.html", "special-situations/index.html"):  # fmt: skip
        a = (built_site / rel).read_text(encoding="utf-8")
        b = (zensical_site / rel).read_text(encoding="utf-8")
        assert _results(a) == _results(b)
        assert _results(a)


def test_generators_write_the_same_offline_contract(built_site: Path, zensical_site: Path) -> None:
    """Both manifests list every file with its hash, the same Pyodide paths, a policy."""
    for site in (built_site, zensical_site):
        manifest = json.loads((site / "assets/offline/manifest.json").read_text(encoding="utf-8"))
        listed = {entry["path"] for entry in manifest["files"]}
        assert listed == _files(site) - {"assets/offline/manifest.json"}
        assert "'wasm-unsafe-eval'" in manifest["csp"]["policy"]
        assert manifest["pyodide"]["package"] == "baclofen-calculators"
    a = json.loads((built_site / "assets/offline/manifest.json").read_text(encoding="utf-8"))
    b = json.loads((zensical_site / "assets/offline/manifest.json").read_text(encoding="utf-8"))
    assert a["pyodide"] == b["pyodide"]
    assert a["immutable_prefixes"] == b["immutable_prefixes"]


def test_generators_write_the_same_back_links(built_site: Path, zensical_site: Path) -> None:
    """The References page's "cited on" lines (filled by the finish step) are identical."""
    pattern = r'<p class="ref-citedby" data-citedby="[^"]+">.*?</p>'
    a = re.findall(pattern, (built_site / "references/index.html").read_text(encoding="utf-8"))
    b = re.findall(pattern, (zensical_site / "references/index.html").read_text(encoding="utf-8"))
    assert a == b
    assert len(a) > 10


@pytest.mark.site_build
def test_zensical_policy_allows_its_search_overlay_and_mkdocs_needs_nothing(
    built_site: Path, zensical_site: Path
) -> None:
    """The Zensical build's policy holds its overlay's hash; Material's bundle has no such style."""
    bundle = next((zensical_site / "assets" / "javascripts").glob("bundle.*.js"))
    styles = shadow_styles(bundle.read_text(encoding="utf-8"))
    assert len(styles) == 1
    assert len(styles[0]) > 1000  # the whole overlay stylesheet, not a fragment
    manifest = json.loads((zensical_site / "assets/offline/manifest.json").read_text())
    digest = base64.b64encode(hashlib.sha256(styles[0].encode()).digest()).decode()
    assert f"'sha256-{digest}'" in manifest["csp"]["policy"]
    assert theme_shadow_style_hashes(built_site) == set()
