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
3. does the theme's start-up work once (:mod:`sitebuild.theme_start`: the ``js`` classes,
   the tables' scroll wrappers, the stylesheets' URLs resolved before the first render, the
   theme's bundle told not to wrap the tables again, the palette's restyle kept to a reader's
   switch), edits each
   page's ``<head>`` (:func:`sitebuild.finish_head.finish_page`: the offline tags, the
   worker's early start, the CSP ``<meta>``) and hashes its inline scripts and styles
   (:mod:`sitebuild.finish_csp`);
4. writes the offline copy (:func:`sitebuild.finish_offline.write_offline`): the policy,
   the self-test answers, ``sw.js`` and ``assets/offline/manifest.json``, the build's
   contract with the launcher, the tests and the benchmark.

Nothing is fetched from another host, at build time or in the browser.
"""

from __future__ import annotations

import contextlib
import re
import shutil
from html import unescape
from typing import TYPE_CHECKING

from calculators.sources import SOURCES
from sitebuild import SiteBuildError
from sitebuild.citations import back_links_html, back_links_placeholder
from sitebuild.context import Page, relative_url
from sitebuild.finish_csp import InlineHashes, collect_inline, theme_shadow_style_hashes
from sitebuild.finish_head import HEAD_CSS, Styles, finish_page, html_path
from sitebuild.finish_offline import ASSETS, SW_TEMPLATE_URI, fill_named_scripts, write_offline
from sitebuild.stylesheets import own_stylesheets, write_bundle
from sitebuild.theme_start import patch_theme, start_page

if TYPE_CHECKING:
    from pathlib import Path

    from sitebuild.context import Build

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


def _site_styles(site: Path, *, offline: bool) -> Styles | None:
    """Write the site's one stylesheet from what the home page links (plus offline.css)."""
    home = site / "index.html"
    if not home.is_file():
        return None
    extra = tuple(f"{ASSETS}/{name}" for name in HEAD_CSS) if offline else ()
    bundled = own_stylesheets(home.read_text(encoding="utf-8"), extra=extra)
    return Styles(write_bundle(site, bundled), tuple(bundled)) if bundled else None


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
    if offline:
        fill_named_scripts(site)
    fill_back_links(site, build)
    styles = _site_styles(site, offline=offline)
    # Material's or Zensical's bundle (a small test site with MkDocs' own theme has neither).
    themed = build.data.get("theme") == "material" or build.data.get("generator") == "zensical"
    theme = patch_theme(site) if themed else None
    calculator_files = {html_path(build.url_of(src)) for src in build.calculator_pages.values()}
    hashes = InlineHashes()
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        if rel.startswith("assets/"):
            continue
        check_no_raw_citations(path.read_text(encoding="utf-8"), rel)
        html = finish_page(
            start_page(path.read_text(encoding="utf-8"), theme, rel)
            if theme
            else path.read_text(encoding="utf-8"),
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
        write_offline(site, build, hashes, docs / SW_TEMPLATE_URI)
