"""MkDocs hooks for the teaching cases (``hooks:`` in ``mkdocs.yml``; see ``sitebuild/cases.py``).

- ``on_config``: read every ``docs/cases/*.toml`` with :func:`sitebuild.cases.load_sets`
  (each answer computed by ``calculators.calculate``; a case the engine cannot answer, a
  hand ``check`` the engine disagrees with, or an unknown citation stops the build naming the
  case file), find the page of each calculator, and hand both to the ``sitebuild.cases``
  extension.
- ``on_files``: keep the case files themselves out of the site, add the Moodle export
  ``teaching/baclofen-cases-gift.txt`` (so pages can link to it and the offline copy holds
  it), and require each set's page, ``docs/teaching/<set>.md``.
- ``on_page_markdown``: tell the extension which page it renders.
- ``on_page_content``: a set's page must show its set; on a calculator's page, the
  ``calculator-<id>`` anchors that the cases link to are registered with MkDocs' anchor check
  (the calculator block's HTML is stashed, where MkDocs does not look for ids), so a case
  link to a calculator that has moved still fails the strict build.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.structure.files import File

from sitebuild import SiteBuildError
from sitebuild.cases import calculator_pages, load_sets, to_gift

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

    from sitebuild.casedata import CaseSet

# MkDocs calls each hook with every argument of its event; the unused ones are noqa'd ARG001.

EXTENSION = "sitebuild.cases"
CASES_DIR = "cases"
GIFT_FILE = "teaching/baclofen-cases-gift.txt"

_SETS: list[CaseSet] = []
_CALCULATOR_ANCHOR = re.compile(r'<div class="calculator" id="(calculator-[a-z0-9-]+)"')


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Load and check every case set; give the extension the sets and the calculator pages."""
    if EXTENSION not in config.markdown_extensions:
        raise SiteBuildError(
            f"mkdocs.yml: hooks_cases.py serves the Markdown extension {EXTENSION}, which is "
            "not listed under markdown_extensions."
        )
    docs = Path(config.docs_dir)
    folder = docs / CASES_DIR
    _SETS[:] = load_sets(folder, f"{docs.name}/{CASES_DIR}") if folder.is_dir() else []
    config.mdx_configs.setdefault(EXTENSION, {}).update(
        sets=list(_SETS), calculator_pages=calculator_pages(docs)
    )
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Drop the case files from the site, add the GIFT export, require each set's page."""
    for file in list(files):
        if file.src_uri.startswith(f"{CASES_DIR}/") and file.src_uri.endswith(".toml"):
            files.remove(file)
    missing = [s.page for s in _SETS if files.get_file_from_path(s.page) is None]
    if missing:
        raise SiteBuildError(
            f"case sets without their page: {', '.join(missing)}. Each docs/cases/<set>.toml "
            "is shown on docs/teaching/<set>.md, with '/// cases | <set>' then '///'."
        )
    if _SETS:
        files.append(File.generated(config, GIFT_FILE, content=to_gift(_SETS, config.site_name)))
    return files


def on_page_markdown(
    markdown: str,
    page: Page,
    config: MkDocsConfig,
    files: Files,  # noqa: ARG001
) -> str:
    """Tell the extension which page the next Markdown instance renders."""
    config.mdx_configs.setdefault(EXTENSION, {}).update(page=page.file.src_uri)
    return markdown


def on_page_content(
    html: str,
    page: Page,
    config: MkDocsConfig,  # noqa: ARG001
    files: Files,  # noqa: ARG001
) -> str:
    """A set's page must hold its set's block; calculator anchors become known to MkDocs."""
    anchors = set(_CALCULATOR_ANCHOR.findall(html))
    if anchors and page.present_anchor_ids is not None:
        page.present_anchor_ids |= anchors
    for case_set in _SETS:
        if page.file.src_uri == case_set.page and f'data-case-set="{case_set.id}"' not in html:
            raise SiteBuildError(
                f"page {case_set.page!r} does not show its cases: put '/// cases | "
                f"{case_set.id}' then '///' on lines of their own."
            )
    return html
