"""QR codes on printed sheets of static pages, drawn at build time, and the ``/// print-qr`` block.

Every printout carries the site's version and a QR code of the exact address it comes from
(issue 26), so that a reader holding the paper can open the page and check it. Where the page
is static (the emergencies wall sheet, the teaching cases' student sheets and answer keys)
the code is drawn here, at build time, by ``segno`` as inline SVG: nothing is fetched, on the
build machine or in the browser, and the Content-Security-Policy has nothing to allow (an
``<svg>`` element with a ``<path>``, no ``style`` attribute). Live results (a calculator's
sheet, the pump card, the patient sheet, the schedules) draw theirs in the browser with the
same rule, from the link that reproduces their values: ``docs/assets/js/print-qr.js``.

The address is the configured ``site_url`` (``mkdocs.yml``, ``SITE_URL`` when deploying)
followed by the page's URL, then any query (``?answers``) and fragment (``#case-...``): the
build description (:mod:`sitebuild.context`) carries both. A build without a ``site_url``
cannot print a code that leads anywhere, so a page that asks for one stops the build.

The size: error correction M (15% of the code may be lost to a fold or a smudge), a quiet
zone of four modules, and at least :data:`MIN_SIDE_MM` a side, more for a long address, so
that no module is smaller than :data:`MODULE_MM` (what a phone camera reads at arm's length
from paper). ``print-qr.js`` holds the same three numbers; a test checks that they agree.

The block, on a line of its own and closed on the next (no argument, no content)::

    /// print-qr
    ///

renders, hidden on screen and printed (``print.css``)::

    <div class="print-qr" data-print-qr="<address>">
      <svg class="print-qr__code" width="25mm" height="25mm" viewBox="..." role="img"
        aria-label="QR code of <address>">...</svg>
      <p class="print-qr__text">Baclofen dosing site, version <v>: <address></p>
    </div>

It is a :class:`~sitebuild.strict_block.StrictBlock`: a header left as text (pymdownx fell back,
or it sat in raw HTML without the ``markdown`` attribute) stops the build.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from html import escape
from typing import Any

import segno

import calculators
from sitebuild import SiteBuildError
from sitebuild.context import current_page, load_build
from sitebuild.context import where as _where
from sitebuild.strict_block import StrictBlock, StrictBlockExtension

__all__ = [
    "ERROR_CORRECTION",
    "MIN_SIDE_MM",
    "MODULE_MM",
    "QUIET_ZONE",
    "PrintQrExtension",
    "makeExtension",
    "page_address",
    "print_qr_element",
    "qr_svg",
    "side_mm",
]

ERROR_CORRECTION = "M"
MIN_SIDE_MM = 25
MODULE_MM = 0.3
QUIET_ZONE = 4
SITE_NAME = "Baclofen dosing site"


def page_address(site_url: str, url: str, *, query: str = "", fragment: str = "") -> str:
    """The absolute address of the page at ``url`` (from the site root) under ``site_url``."""
    if not site_url.startswith(("http://", "https://")):
        raise SiteBuildError(
            f"a printed QR code needs the site's address, and site_url is {site_url!r}. Set "
            "site_url in mkdocs.yml (SITE_URL when deploying) to the http(s) address the site "
            "is served from."
        )
    base = site_url if site_url.endswith("/") else f"{site_url}/"
    return base + url + (f"?{query}" if query else "") + (f"#{fragment}" if fragment else "")


def side_mm(modules: int) -> int:
    """The printed side (mm) of a code of ``modules`` modules a side, quiet zone excluded."""
    return max(MIN_SIDE_MM, math.ceil((modules + 2 * QUIET_ZONE) * MODULE_MM))


def qr_svg(text: str) -> str:
    """``text`` as a QR code: an inline ``<svg>`` sized in mm, black on white, with its name."""
    code = segno.make_qr(text, error=ERROR_CORRECTION, boost_error=False)
    side = side_mm(code.symbol_size(border=0)[0])
    svg: str = code.svg_inline(
        border=QUIET_ZONE,
        dark="#000",
        light="#fff",
        omitsize=True,
        svgclass="print-qr__code",
        lineclass=None,
    )
    if not svg.startswith("<svg "):  # pragma: no cover - segno's output changed
        raise SiteBuildError(f"segno wrote an unexpected SVG for {text!r}: {svg[:80]}")
    size = f'width="{side}mm" height="{side}mm" role="img" aria-label="QR code of {escape(text)}"'
    return f"<svg {size} {svg.removeprefix('<svg ')}"


def print_qr_element(text: str, *, css_class: str = "print-qr", **attributes: str) -> ET.Element:
    """The block's ``<div>`` for the address ``text`` (see the module docstring)."""
    holder = ET.Element("div", {"class": css_class, "data-print-qr": text, **attributes})
    holder.append(ET.fromstring(qr_svg(text)))  # noqa: S314 - segno's output, not a reader's
    caption = ET.SubElement(holder, "p", {"class": "print-qr__text"})
    caption.text = f"{SITE_NAME}, version {calculators.__version__}: "
    ET.SubElement(caption, "span", {"class": "print-qr__link"}).text = text
    return holder


def _site_url(configured: str) -> str:
    if configured:
        return configured
    return str(load_build(needed_for="the printed QR codes' site_url").data.get("site_url") or "")


class PrintQrBlock(StrictBlock):
    """``/// print-qr`` + ``///`` -> the page's address as a QR code, printed only."""

    NAME = "print-qr"

    def on_validate(self, parent: ET.Element) -> bool:  # noqa: ARG002  # pymdownx's signature
        """Refuse an argument; the page must be known (its address is what is printed)."""
        page = current_page(self.md, self.config["page"])
        self.refuse_argument("; it prints the page's own address")
        if page is None:
            raise SiteBuildError(
                f"{_where('')}: the print-qr block prints the page's address, and no page is "
                "known; give the extension's 'page' option."
            )
        self.address = page_address(_site_url(self.config["site_url"]), page.url)
        return True

    def on_create(self, parent: ET.Element) -> ET.Element:
        """The block's ``<div>`` with the code and its caption."""
        holder = print_qr_element(self.address)
        parent.append(holder)
        return holder

    def content_refused(self) -> str:
        """The block is the page's address, nothing else."""
        return "the print-qr block takes no content. Write '/// print-qr' then '///'."


class PrintQrExtension(StrictBlockExtension):
    """The ``/// print-qr`` block (see the module docstring).

    Configuration (``mkdocs.yml`` sets none): ``page``, the page's source path (default: the
    site generator's); ``site_url`` (default: the build description's).
    """

    BLOCKS = (PrintQrBlock,)
    LABEL = "print-qr"
    SYNTAX = (
        "Write '/// print-qr' then '///' on lines of their own, in Markdown (inside an HTML "
        "element, give it the 'markdown' attribute)."
    )

    def __init__(self, **kwargs: Any) -> None:  # noqa: ANN401  # Markdown passes any config
        """Declare the options; ``kwargs`` sets them."""
        self.config = {
            "page": ["", "Source path of the page (default: the site generator's)"],
            "site_url": ["", "The site's address (default: the build description's)"],
        }
        super().__init__(**kwargs)


def makeExtension(**kwargs: Any) -> PrintQrExtension:  # noqa: ANN401, N802  # Markdown's API
    """Entry point used by ``markdown_extensions: - sitebuild.print_qr``."""
    return PrintQrExtension(**kwargs)
