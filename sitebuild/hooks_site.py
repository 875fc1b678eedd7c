"""MkDocs hooks for the site's own Markdown extensions (``hooks:`` in ``mkdocs.yml``).

- ``on_config``: the two extensions must be listed; a fresh citation ledger per build.
- ``on_page_markdown``: tell ``sitebuild.citations`` and ``sitebuild.constants_ext`` which
  page they render (through ``mdx_configs``: MkDocs builds one Markdown instance per page
  from it), so citation links are relative to that page and errors name it.
- ``on_page_content``: the References page must hold the bibliography block.
- ``on_env`` (after every page has rendered, before any is written): fill each reference's
  "Cited on" line with links to the pages citing it, in navigation order.

MkDocs loads this file by path; ``sitebuild`` itself must be importable (run MkDocs as
``python -m mkdocs`` from the repository root, or install the project).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mkdocs.utils import get_relative_url

from calculators.sources import SOURCES
from sitebuild import SiteBuildError
from sitebuild.citations import CitationLedger, back_links_html, back_links_placeholder

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page

# MkDocs calls each hook with every argument of its event; the unused ones are noqa'd ARG001.

CITATIONS = "sitebuild.citations"
CONSTANTS = "sitebuild.constants_ext"

_LEDGER = CitationLedger()
_NAV_ORDER: list[str] = []


def _references_page(config: MkDocsConfig) -> str:
    page: str = config.mdx_configs.get(CITATIONS, {}).get("references_page", "references.md")
    return page


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Check that both extensions are listed; forget the previous build's citations."""
    missing = [ext for ext in (CITATIONS, CONSTANTS) if ext not in config.markdown_extensions]
    if missing:
        raise SiteBuildError(
            f"mkdocs.yml: hooks_site.py serves the Markdown extensions {', '.join(missing)}, "
            "which are not listed under markdown_extensions."
        )
    _LEDGER.clear()
    return config


def on_nav(
    nav: Navigation,
    config: MkDocsConfig,  # noqa: ARG001
    files: Files,  # noqa: ARG001
) -> Navigation:
    """Remember the navigation order, the order of the "cited on" links."""
    _NAV_ORDER[:] = [page.file.src_uri for page in nav.pages]
    return nav


def on_page_markdown(
    markdown: str,
    page: Page,
    config: MkDocsConfig,
    files: Files,  # noqa: ARG001
) -> str:
    """Tell both extensions which page the next Markdown instance renders."""
    src = page.file.src_uri
    config.mdx_configs.setdefault(CITATIONS, {}).update(page=src, ledger=_LEDGER)
    config.mdx_configs.setdefault(CONSTANTS, {}).update(page=src)
    return markdown


def on_page_content(
    html: str,
    page: Page,
    config: MkDocsConfig,
    files: Files,  # noqa: ARG001
) -> str:
    """On the References page, require the bibliography block's output."""
    references = _references_page(config)
    if page.file.src_uri != references:
        return html
    missing = [key for key in SOURCES if back_links_placeholder(key) not in html]
    if missing:
        raise SiteBuildError(
            f"page {references!r} does not list the bibliography (no entry for "
            f"{', '.join(missing)}). Put the block '/// references' then '///' on lines of "
            "their own, with no argument, option or content."
        )
    return html


def on_env(env: Environment, config: MkDocsConfig, files: Files) -> Environment:
    """Write each source's "cited on" links into the References page."""
    references = _references_page(config)
    ref_file = files.get_file_from_path(references)
    ref_page = ref_file.page if ref_file is not None else None
    content = ref_page.content if ref_page is not None else None
    if ref_page is None or content is None:
        raise SiteBuildError(f"the References page {references!r} is missing from docs/.")
    order = {src: i for i, src in enumerate(_NAV_ORDER)}
    for key in SOURCES:
        citing = []
        pages = sorted(_LEDGER.citing_pages(key), key=lambda entry: order.get(entry[0], len(order)))
        for src, anchor, count in pages:
            if src == references:
                continue  # the References page citing a source is not a use of it
            target = files.get_file_from_path(src)
            if target is None or target.page is None:
                raise SiteBuildError(f"citation ledger names {src!r}, which is not a page.")
            url = get_relative_url(target.page.url or ".", ref_page.url)
            if not target.page.url.endswith(".html") and not url.endswith("/"):
                url += "/"  # '..' for the home page: keep the directory form
            citing.append((url, anchor, target.page.title or src, count))
        placeholder = back_links_placeholder(key)
        if content.count(placeholder) != 1:
            raise SiteBuildError(
                f"page {references!r}: expected one back-link slot for {key!r}, found "
                f"{content.count(placeholder)}."
            )
        content = content.replace(placeholder, back_links_html(key, citing))
    ref_page.content = content
    return env


# Material's search overlay is a `role="dialog"` with no accessible name (axe rule
# aria-dialog-name). Name it after the build rather than copying Material's whole template.
_SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
_SEARCH_DIALOG_NAMED = (
    '<div class="md-search" data-md-component="search" role="dialog" aria-label="Search">'
)


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Give Material's search dialog an accessible name; fail if the markup changed."""
    searching = any(name.split("/")[-1] == "search" for name in config.plugins)
    if config.theme.name != "material" or not searching:
        return output
    if output.count(_SEARCH_DIALOG) != 1:
        raise SiteBuildError(
            f"page {page.file.src_uri!r}: Material's search dialog markup changed; update "
            "_SEARCH_DIALOG in sitebuild/hooks_site.py so the dialog keeps its accessible name."
        )
    return output.replace(_SEARCH_DIALOG, _SEARCH_DIALOG_NAMED)
