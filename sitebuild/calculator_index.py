"""``/// index-of-calculators``: a table of every calculator, from the registry, for the home page.

Written on lines of its own::

    /// index-of-calculators
    ///

renders one row per entry of ``calculators.CALCULATORS``, in registry order: the calculator's
title, linked to its form (``<page>.md#calculator-<id>``), its one-line summary, and the page
it is on, linked by the page's navigation title. Nothing is typed on the page, so a new
calculator appears on the home page as soon as a page embeds it (QA D6: the hand-typed table
listed 7 of 10).

Which page embeds a calculator comes from the build description's ``calculator_pages``
(written by the prepare step from every ``/// calculator | id`` block). A calculator that no
page embeds stops the build: the home page would otherwise list a calculator a reader cannot
open. The block takes no argument, option or content; it is a
:class:`~sitebuild.strict_block.StrictBlock` (a header left as text stops the build).

Configuration (tests; the site sets none): ``page``, the page being rendered; ``pages``
(calculator id -> page source path) and ``titles`` (page source path -> title), by default
the build description's.
"""

from __future__ import annotations

import posixpath
import xml.etree.ElementTree as ET
from typing import Any

from markdown.util import AtomicString

from calculators import CALCULATORS
from sitebuild import SiteBuildError
from sitebuild.context import load_build
from sitebuild.context import where as _where
from sitebuild.strict_block import StrictBlock, StrictBlockExtension

__all__ = ["CalculatorIndexExtension", "index_rows", "makeExtension"]


def index_rows(
    pages: dict[str, str], titles: dict[str, str], page: str
) -> list[tuple[str, str, str, str, str]]:
    """``(id, title, summary, form href, page title)`` for every registered calculator.

    ``form href`` is relative to ``page``; a calculator on no page is a build error.
    """
    missing = [calc_id for calc_id in CALCULATORS if calc_id not in pages]
    if missing:
        raise SiteBuildError(
            f"{_where(page)}: the calculator index lists every calculator, but "
            f"{', '.join(missing)} is on no page. Put '/// calculator | <id>' on a page first."
        )
    rows = []
    for calc_id, calc in CALCULATORS.items():
        target = pages[calc_id]
        href = posixpath.relpath(target, posixpath.dirname(page) or ".")
        form = f"{href}#calculator-{calc_id}"
        rows.append((calc_id, calc.title, calc.summary, form, titles.get(target, target)))
    return rows


class CalculatorIndexBlock(StrictBlock):
    """``/// index-of-calculators`` + ``///``: the table of every calculator."""

    NAME = "index-of-calculators"

    def on_create(self, parent: ET.Element) -> ET.Element:
        """The table that will hold the index."""
        return ET.SubElement(parent, "table", {"class": "calculator-index"})

    def content_refused(self) -> str:
        """Where the list comes from instead."""
        return (
            "the index-of-calculators block takes no content; the list comes from "
            "calculators.CALCULATORS."
        )

    def render(self, block: ET.Element) -> None:
        """Fill the table from the registry."""
        page = self.page
        pages, titles = self.config["pages"], self.config["titles"]
        if not pages:
            data = load_build(needed_for="the index of calculators").data
            pages, titles = data["calculator_pages"], data.get("titles", {})
        head = ET.SubElement(ET.SubElement(block, "thead"), "tr")
        for text in ("Calculator", "What it does", "Page"):
            ET.SubElement(head, "th").text = AtomicString(text)
        body = ET.SubElement(block, "tbody")
        for calc_id, title, summary, href, page_title in index_rows(pages, titles, page):
            row = ET.SubElement(body, "tr", {"data-calculator-index": calc_id})
            link = ET.SubElement(ET.SubElement(row, "td"), "a", {"href": href})
            link.text = AtomicString(title)
            ET.SubElement(row, "td").text = AtomicString(summary)
            page_link = ET.SubElement(ET.SubElement(row, "td"), "a", {"href": href.split("#")[0]})
            page_link.text = AtomicString(page_title)


class CalculatorIndexExtension(StrictBlockExtension):
    """The ``/// index-of-calculators`` block (see the module docstring)."""

    BLOCKS = (CalculatorIndexBlock,)
    LABEL = "index-of-calculators"
    SYNTAX = "Write '/// index-of-calculators' then '///' on lines of their own."

    def __init__(self, **kwargs: Any) -> None:  # noqa: ANN401  # Markdown passes any config
        """Declare the options; ``kwargs`` sets them."""
        self.config = {
            "page": ["", "Source path of the page being rendered (default: the generator's)"],
            "pages": [{}, "Calculator id -> page source path (default: the build's)"],
            "titles": [{}, "Page source path -> title (default: the build's)"],
        }
        super().__init__(**kwargs)


def makeExtension(**kwargs: Any) -> CalculatorIndexExtension:  # noqa: ANN401, N802
    """Entry point used by ``markdown_extensions: - sitebuild.calculator_index``."""
    return CalculatorIndexExtension(**kwargs)
