r"""Citations and the bibliography, both drawn from the one list ``calculators.sources.SOURCES``.

Citing (anywhere inline, except in code)
========================================

``[@boster2016]``                        one source
``[@boster2016; @label-gablofen]``       several sources in one group, separated by ``;``
``\[@boster2016]``                       not a citation (the backslash escapes it)

A group renders as one superscript holding one link per source. The number is the source's
position in ``SOURCES`` (1-based), so a source has the same number on every page and on the
References page; within a group the links are in number order. On ``docs/oral.md``::

    <sup class="cite"><a href="references.md#ref-boster2016" id="cite-boster2016-1"
      role="doc-biblioref" title="Boster AL, et al. Best Practices ...">[1]</a></sup>

The ``href`` points at the References page *source file*, relative to the page being
rendered; the generator (MkDocs or Zensical) rewrites it to the built URL
(``../references/#ref-boster2016`` with directory URLs); MkDocs, with ``validation: links:
anchors`` set, also checks that the anchor exists.
The ``title`` is the full citation: a shortened one would not tell apart the two Boster 2016
papers. ``id="cite-<key>-<n>"`` (the n-th citation of that key on the page) is where the
References page's "cited on" links land.

Any ``[@...]`` that is not a well-formed group of known keys stops the build with a
:class:`~sitebuild.SiteBuildError` naming the page, the key and the known keys. A group may
span a line break. Whatever still reads ``[@`` in a built page's text (outside code) stops
the build in the finish step (:func:`sitebuild.finish.check_no_raw_citations`).

The bibliography (on the References page only)
==============================================

A block, written on its own lines in ``docs/references.md``::

    /// references
    ///

renders a "Download: BibTeX, CSL-JSON" line linking the two files of
:mod:`sitebuild.bibliography` (relative to the page's built URL: they are not pages, so the
generator does not rewrite them), then every source, in ``SOURCES`` order, as
``<li id="ref-<key>">`` with its number,
citation, each canonical identifier (DOI, PMID, DailyMed set ID) as a link, its access
status (primary, reproduction, bibliographic, seed), its note, and an empty
``<p class="ref-citedby" data-citedby="<key>">`` that the build's *finish* step fills, from
the ``id="cite-<key>-<n>"`` anchors of every built page, with links back to the pages citing
the source (:func:`sitebuild.finish.fill_back_links`). The block takes no argument,
no option and no content, may appear once, and only on the References page (``references_page``).

Configuration (``mkdocs.yml`` sets none):

- ``references_page``: the References page source path, relative to ``docs/``;
- ``page``: the source path of the page being rendered; by default the site generator's
  (:func:`sitebuild.context.current_page`); with neither, links are relative to ``docs/``
  and error messages say no page was known;
- ``plain``: each group as plain text, ``[1]`` or ``[4, 9]``, with no link, anchor or count
  (the learning-platform exports, :func:`sitebuild.lms_text.lms_html`, which cannot reach the
  References page).
"""

from __future__ import annotations

import difflib
import html
import posixpath
import re
import xml.etree.ElementTree as ET
from collections import Counter
from typing import TYPE_CHECKING, Any

from markdown.inlinepatterns import InlineProcessor
from markdown.util import AtomicString

from calculators import sources as _sources
from sitebuild import SiteBuildError
from sitebuild.bibliography import BIBTEX_FILE, BIBTEX_TYPE, CSL_JSON_FILE, CSL_JSON_TYPE
from sitebuild.context import current_page, page_src, relative_url
from sitebuild.context import where as _where
from sitebuild.strict_block import StrictBlock, StrictBlockExtension

if TYPE_CHECKING:
    from markdown import Markdown

__all__ = [
    "ACCESS",
    "CitationExtension",
    "back_links_html",
    "citation_number",
    "makeExtension",
    "parse_group",
]

# ``[@`` up to the closing ``]``; the body is parsed strictly in ``parse_group``. A group may
# span a line break, as a wrapped paragraph puts it (QA D5: "[@label-gablofen;\n@label-...]"
# was left as text); the finish step refuses any ``[@`` still in a built page.
CITATION_RE = r"\[@(?P<body>[^\[\]]*)\]"
_KEY_RE = re.compile(r"@(?P<key>[A-Za-z0-9][A-Za-z0-9._:-]*)")

# After ``escape`` (180), so ``\[@key]`` stays text; before ``reference`` (170), so a link
# processor never sees ``[@key]`` as link text.
CITATION_PRIORITY = 175

ACCESS: dict[str, tuple[str, str]] = {
    # access value: (label shown, what it means for the reader)
    "primary": (
        "primary",
        "checked against the record itself (label, abstract or publisher's record)",
    ),
    "reproduction": (
        "reproduction",
        "seen only through a faithful reproduction, such as a drug handbook",
    ),
    "bibliographic": (
        "bibliographic",
        "bibliographic record only: the text itself was not seen",
    ),
    "seed": ("seed", "the project's unreferenced starting document, used as an outline only"),
}

TIMES = "\N{MULTIPLICATION SIGN}"


def citation_number(key: str) -> int:
    """The 1-based position of ``key`` in the bibliography (``SOURCES`` order)."""
    return list(_sources.SOURCES).index(key) + 1


def _unknown_key_error(page: str, key: str, text: str) -> SiteBuildError:
    known = list(_sources.SOURCES)
    close = difflib.get_close_matches(key, known, n=1)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    return SiteBuildError(
        f"{_where(page)}: unknown source key {key!r} in citation {text!r}.{hint} "
        f"Known keys: {', '.join(known)}. Cite one of these, or add the source to "
        "calculators/sources.py."
    )


def parse_group(body: str, page: str) -> list[str]:
    """The keys of ``[@body]``, validated; raise :class:`SiteBuildError` otherwise.

    The one key check: the inline processor and the teaching cases' check
    (:func:`sitebuild.cases_blocks.check_citations`) both call it.
    """
    text = f"[@{body}]"
    keys: list[str] = []
    for part in f"@{body}".split(";"):
        match = _KEY_RE.fullmatch(part.strip())
        if match is None:
            raise SiteBuildError(
                f"{_where(page)}: malformed citation {text!r}. Write [@key] for one source or "
                "[@key1; @key2] for several (keys separated by ';', each starting with '@')."
            )
        key = match.group("key")
        if key not in _sources.SOURCES:
            raise _unknown_key_error(page, key, text)
        if key in keys:
            raise SiteBuildError(f"{_where(page)}: citation {text!r} names {key!r} twice.")
        keys.append(key)
    return keys


class CitationInlineProcessor(InlineProcessor):
    """``[@key; @key2]`` -> ``<sup class="cite">`` with one numbered link per source."""

    def __init__(self, pattern: str, md: Markdown, extension: CitationExtension) -> None:
        super().__init__(pattern, md)
        self.extension = extension

    def handleMatch(  # noqa: N802  # Markdown's API names
        self,
        m: re.Match[str],
        data: str,  # noqa: ARG002  # required by the InlineProcessor signature
    ) -> tuple[ET.Element | str, int, int]:
        """Replace one citation group with its superscript links (or ``[4, 9]``, if plain)."""
        ext = self.extension
        page: str = page_src(self.md, ext.getConfig("page"))
        keys = sorted(parse_group(m.group("body"), page), key=citation_number)
        if ext.getConfig("plain"):
            numbers = ", ".join(str(citation_number(key)) for key in keys)
            return AtomicString(f"[{numbers}]"), m.start(0), m.end(0)
        href_base = ext.references_href(self.md)
        sup = ET.Element("sup", {"class": "cite"})
        links: list[ET.Element] = []
        for key in keys:
            ext.counts[key] += 1
            anchor = f"cite-{key}-{ext.counts[key]}"
            link = ET.SubElement(
                sup,
                "a",
                {
                    "href": f"{href_base}#ref-{key}",
                    "id": anchor,
                    "role": "doc-biblioref",
                    "title": _sources.SOURCES[key].citation,
                },
            )
            link.text = AtomicString(str(citation_number(key)))
            links.append(link)
        if len(links) == 1:
            links[0].text = AtomicString(f"[{links[0].text}]")
        else:  # "[4, 9]", as calculators.present writes a result's sources
            sup.text = AtomicString("[")
            for link in links[:-1]:
                link.tail = AtomicString(", ")
            links[-1].tail = AtomicString("]")
        return sup, m.start(0), m.end(0)


class ReferencesBlock(StrictBlock):
    """``/// references`` + ``///``: the whole bibliography, once, on the References page."""

    NAME = "references"

    def on_validate(self, parent: ET.Element) -> bool:  # noqa: ARG002  # pymdownx's signature
        """Refuse an argument, a page other than References, and a second block."""
        page = self.page
        self.refuse_argument()
        references_page: str = self.config["references_page"]
        if page and page != references_page:
            raise SiteBuildError(
                f"{_where(page)}: the references block belongs on {references_page!r} only; "
                "cite sources here with [@key] instead."
            )
        if self.tracker.get("rendered"):
            raise SiteBuildError(f"{_where(page)}: the references block appears twice.")
        self.tracker["rendered"] = True
        return True

    def on_create(self, parent: ET.Element) -> ET.Element:
        """The download links, then the list that will hold the bibliography."""
        # Raw HTML (stashed), as docs/teachers.md links its GIFT file: the generator would
        # check an <a> element's href against docs/, where the generated files are not.
        page = current_page(self.md, self.config["page"])
        links = [
            f'<a href="{html.escape(relative_url(path, page))}" '
            f'download="{html.escape(posixpath.basename(path))}" type="{mime}">{label}</a>'
            for label, path, mime in (
                ("BibTeX", BIBTEX_FILE, BIBTEX_TYPE),
                ("CSL-JSON", CSL_JSON_FILE, CSL_JSON_TYPE),
            )
        ]
        downloads = f'<p class="ref-downloads">Download: {", ".join(links)}</p>'
        ET.SubElement(parent, "p").text = self.md.htmlStash.store(downloads)
        return ET.SubElement(parent, "ol", {"class": "references"})

    def content_refused(self) -> str:
        """Where the list comes from instead."""
        return (
            "the references block takes no content; the list comes from calculators/sources.py. "
            "Write '/// references' then '///'."
        )

    def render(self, block: ET.Element) -> None:
        """Fill the list from ``SOURCES``."""
        for source in _sources.SOURCES.values():
            block.append(_reference_item(source, self.page))


def _reference_item(source: _sources.Source, page: str) -> ET.Element:
    if source.access not in ACCESS:
        raise SiteBuildError(
            f"{_where(page)}: source {source.key!r} has access {source.access!r}; expected one "
            f"of {', '.join(ACCESS)} (calculators/sources.py)."
        )
    label, meaning = ACCESS[source.access]
    item = ET.Element(
        "li", {"id": f"ref-{source.key}", "class": f"reference ref-access-{source.access}"}
    )

    citation = ET.SubElement(item, "p", {"class": "ref-citation"})
    number = ET.SubElement(citation, "span", {"class": "ref-number"})
    number.text = AtomicString(f"[{citation_number(source.key)}]")
    number.tail = AtomicString(" " + source.citation)

    meta = ET.SubElement(item, "p", {"class": "ref-meta"})
    identifiers: list[ET.Element] = []
    for text, url in source.links():
        identifiers.append(ET.SubElement(meta, "a", {"class": "ref-id", "href": url}))
        identifiers[-1].text = AtomicString(text)
    if not identifiers:
        identifiers.append(ET.SubElement(meta, "span", {"class": "ref-id ref-id-none"}))
        identifiers[-1].text = AtomicString("No DOI, PMID or DailyMed set ID recorded")
    for identifier in identifiers:
        identifier.tail = AtomicString(" · ")
    access = ET.SubElement(meta, "span", {"class": "ref-access", "data-access": source.access})
    access.text = AtomicString(f"Access: {label}")
    access.tail = AtomicString(f" \N{EM DASH} {meaning} · key ")
    key = ET.SubElement(meta, "code", {"class": "ref-key"})
    key.text = AtomicString(source.key)

    if source.note:
        note = ET.SubElement(item, "p", {"class": "ref-note"})
        note.text = AtomicString(source.note)
    ET.SubElement(item, "p", {"class": "ref-citedby", "data-citedby": source.key})
    return item


def back_links_placeholder(key: str) -> str:
    """The exact HTML the references block leaves for ``key``'s back-links."""
    return f'<p class="ref-citedby" data-citedby="{html.escape(key)}"></p>'


def back_links_html(key: str, citing: list[tuple[str, str, str, int]]) -> str:
    """The filled back-links paragraph for ``key``.

    ``citing`` is ``[(relative url, anchor, page title, count), ...]``; an empty list says so
    in the page rather than leaving a blank.
    """
    if not citing:
        body = "Not cited on any page."
    else:
        parts = []
        for url, anchor, title, count in citing:
            times = f" ({count}{TIMES})" if count > 1 else ""
            href = f"{html.escape(url)}#{html.escape(anchor)}"
            parts.append(f'<a href="{href}">{html.escape(title)}</a>{times}')
        body = "Cited on: " + ", ".join(parts)
    return f'<p class="ref-citedby" data-citedby="{html.escape(key)}">{body}</p>'


class CitationExtension(StrictBlockExtension):
    """``[@key]`` citations and the ``/// references`` block (see the module docstring)."""

    BLOCKS = (ReferencesBlock,)
    LABEL = "reference list"
    SYNTAX = (
        "The block takes no argument, options or content: write '/// references' then '///' on "
        "lines of their own."
    )

    def __init__(self, **kwargs: Any) -> None:  # noqa: ANN401  # Markdown passes any config
        """Declare the options; ``kwargs`` sets them (see the module docstring)."""
        self.config = {
            "references_page": [
                "references.md",
                "References page source path, relative to docs/",
            ],
            "page": [
                "",
                "Source path of the page being rendered (default: from the site generator)",
            ],
            "plain": [False, "Citations as plain [n], no links (the learning-platform exports)"],
        }
        super().__init__(**kwargs)
        self.counts: Counter[str] = Counter()

    def references_href(self, md: Markdown) -> str:
        """The References page source path, relative to the directory of the current page."""
        page = page_src(md, self.getConfig("page"))
        target: str = self.getConfig("references_page")
        return posixpath.relpath(target, posixpath.dirname(page) or ".")

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802  # Markdown's API name
        """Register the inline processor and the block (with its counter and checks)."""
        md.inlinePatterns.register(
            CitationInlineProcessor(CITATION_RE, md, self), "sitebuild-citation", CITATION_PRIORITY
        )
        super().extendMarkdown(md)

    def reset(self) -> None:
        """Between documents: citation counts and the block count start again."""
        self.counts.clear()
        super().reset()


def makeExtension(**kwargs: Any) -> CitationExtension:  # noqa: ANN401, N802  # Markdown's API
    """Entry point used by ``markdown_extensions: - sitebuild.citations``."""
    return CitationExtension(**kwargs)
