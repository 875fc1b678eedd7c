"""Unit tests of ``sitebuild.citations``: Markdown source beside the HTML it must become."""

from __future__ import annotations

import re
import textwrap

import markdown
import pytest

from calculators.sources import SOURCES
from sitebuild import SiteBuildError
from sitebuild.citations import (
    back_links_html,
    back_links_placeholder,
    citation_number,
)
from sitebuild.finish import _citation_anchors


def render(source: str, page: str = "oral.md") -> str:
    """Render ``source`` as a generator would for ``page`` (before it rewrites the links)."""
    config: dict[str, object] = {"page": page}
    md = markdown.Markdown(
        extensions=["tables", "pymdownx.superfences", "sitebuild.citations"],
        extension_configs={"sitebuild.citations": config},
    )
    return md.convert(textwrap.dedent(source).strip("\n"))


def cite(key: str, n: int = 1, text: str | None = None, href: str = "references.md") -> str:
    """The expected ``<a>`` of one citation."""
    label = text if text is not None else f"[{citation_number(key)}]"
    return (
        f'<a href="{href}#ref-{key}" id="cite-{key}-{n}" role="doc-biblioref" '
        f'title="{SOURCES[key].citation}">{label}</a>'
    )


def test_citation_single_renders_numbered_superscript_link():
    """One key becomes a superscript link "[n]" to its entry on the References page."""
    assert render("Start low [@label-tablets].") == (
        f'<p>Start low <sup class="cite">{cite("label-tablets")}</sup>.</p>'
    )


def test_citation_group_renders_one_link_per_source_in_number_order():
    """A group reads "[a, b]" in bibliography order, whatever order the page wrote."""
    low, high = "boster2016", "label-gablofen"
    assert citation_number(low) < citation_number(high)
    html = render(f"Titrate daily [@{high}; @{low}].")
    assert html == (
        '<p>Titrate daily <sup class="cite">['
        f"{cite(low, text=str(citation_number(low)))}, "
        f"{cite(high, text=str(citation_number(high)))}]</sup>.</p>"
    )


def test_citation_number_is_position_in_bibliography():
    """Every source's number is its 1-based position in SOURCES, the same on every page."""
    for position, key in enumerate(SOURCES, start=1):
        assert citation_number(key) == position
        html = render(f"[@{key}]", page="stopping.md")
        assert f">[{position}]</a>" in html


def test_citation_href_is_relative_to_the_page():
    """A page in a subfolder links up to the References page; MkDocs then rewrites the .md link."""
    assert 'href="../references.md#ref-dario2004"' in render("[@dario2004]", page="guide/x.md")
    assert 'href="references.md#ref-dario2004"' in render("[@dario2004]", page="index.md")


def test_citation_anchor_ids_count_each_key_per_page():
    """The n-th citation of a key on a page gets id cite-<key>-<n>, the back-links' target."""
    html = render("A [@dario2004]. B [@dario2004; @wolf2018]. C [@wolf2018].")
    assert re.findall(r'id="(cite-[^"]+)"', html) == [
        "cite-dario2004-1",
        "cite-dario2004-2",
        "cite-wolf2018-1",
        "cite-wolf2018-2",
    ]


def test_back_links_read_each_citation_anchor_of_a_built_page():
    """The finish step finds every citation of a page by its anchor, keys with hyphens too."""
    html = render("A [@dario2004]. B [@dario2004; @wolf2018]. C [@label-lyvispah].")
    assert _citation_anchors(html, "oral.md") == {
        "dario2004": ["cite-dario2004-1", "cite-dario2004-2"],
        "wolf2018": ["cite-wolf2018-1"],
        "label-lyvispah": ["cite-label-lyvispah-1"],
    }


def test_back_links_refuse_an_anchor_for_an_unknown_source():
    """A citation anchor naming no bibliography key stops the finish step, naming the page."""
    with pytest.raises(SiteBuildError, match=r"page 'oral.md'.*'nosuch'"):
        _citation_anchors('<a href="x" id="cite-nosuch-1">[1]</a>', "oral.md")


def test_citation_in_table_cell_renders():
    """Citations work inside table cells (the Overview's key-number table uses them)."""
    html = render("""
        | What | Source |
        |---|---|
        | Start | [@label-tablets] |
    """)
    assert f'<td><sup class="cite">{cite("label-tablets")}</sup></td>' in html


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("`[@nosuchkey]`", "<p><code>[@nosuchkey]</code></p>"),
        (r"\[@nosuchkey]", "<p>[@nosuchkey]</p>"),
        (
            "```\n[@nosuchkey]\n```",
            '<div class="highlight"><pre><span></span><code>[@nosuchkey]\n</code></pre></div>',
        ),
        ("Text.\n\n    [@nosuchkey]", "<p>Text.</p>\n<pre><code>[@nosuchkey]\n</code></pre>"),
    ],
    ids=["code-span", "escaped", "fenced-code", "indented-code"],
)
def test_citation_syntax_in_code_or_escaped_is_left_alone(source, expected):
    """Code and a backslash-escaped bracket are text, so the syntax can be documented."""
    assert render(source) == expected


def test_citation_unknown_key_fails_naming_page_key_and_known_keys():
    """An unknown key stops the build; the message names the page, the key and the known keys."""
    with pytest.raises(
        SiteBuildError, match=r"page 'oral\.md': unknown source key 'boster2061'"
    ) as err:
        render("Titrate [@boster2061].")
    message = str(err.value)
    assert "Did you mean 'boster2016'?" in message
    assert "Known keys: " + ", ".join(SOURCES) in message


def test_citation_unknown_key_is_also_a_value_error():
    """SiteBuildError subclasses ValueError, the matching built-in."""
    with pytest.raises(ValueError, match="unknown source key 'nope'"):
        render("[@nope]")


@pytest.mark.parametrize(
    "source",
    ["[@dario2004, @wolf2018]", "[@dario2004; wolf2018]", "[@]", "[@dario2004;]", "[@ dario2004]"],
)
def test_citation_malformed_group_fails(source):
    """A group that is not '@key; @key' stops the build and says how to write it."""
    with pytest.raises(SiteBuildError, match=r"malformed citation .* Write \[@key\]"):
        render(source)


def test_citation_same_key_twice_in_group_fails():
    """Naming a source twice in one group is a mistake, not two citations."""
    with pytest.raises(SiteBuildError, match="names 'dario2004' twice"):
        render("[@dario2004; @dario2004]")


# --- The bibliography block ---------------------------------------------------------------


def test_references_block_lists_every_source_in_order():
    """The block renders one <li id="ref-key"> per source, in SOURCES order, numbered."""
    html = render("/// references\n///", page="references.md")
    assert re.findall(r'<li class="[^"]*" id="ref-([^"]+)"', html) == list(SOURCES)
    numbers = re.findall(r'<span class="ref-number">\[(\d+)\]</span>', html)
    assert numbers == [str(n) for n in range(1, len(SOURCES) + 1)]
    for key in SOURCES:
        assert back_links_placeholder(key) in html


def test_references_block_entry_html():
    """One entry: number, citation, identifiers as links, access, key, note, back-link slot."""
    source = SOURCES["boster2016"]
    n = citation_number("boster2016")
    html = render("/// references\n///", page="references.md")
    entry = re.search(
        r'<li class="reference ref-access-primary" id="ref-boster2016">.*?</li>', html, re.DOTALL
    )
    assert entry is not None
    assert entry.group(0) == (
        '<li class="reference ref-access-primary" id="ref-boster2016">\n'
        f'<p class="ref-citation"><span class="ref-number">[{n}]</span> {source.citation}</p>\n'
        '<p class="ref-meta">'
        '<a class="ref-id" href="https://doi.org/10.1111/ner.12388">doi:10.1111/ner.12388</a> · '
        '<a class="ref-id" href="https://pubmed.ncbi.nlm.nih.gov/27433993/">PMID 27433993</a> · '
        '<span class="ref-access" data-access="primary">Access: primary</span> — checked '
        "against the record itself (label, abstract or publisher's record) · key "
        '<code class="ref-key">boster2016</code></p>\n'
        f'<p class="ref-note">{source.note}</p>\n'
        '<p class="ref-citedby" data-citedby="boster2016"></p>\n'
        "</li>"
    )


def test_references_block_links_every_canonical_identifier():
    """DOI, PMID and DailyMed set ID each appear as a link, for every source that has them."""
    html = render("/// references\n///", page="references.md")
    for source in SOURCES.values():
        for text, url in source.links():
            assert f'<a class="ref-id" href="{url}">{text}</a>' in html
        if not source.links():
            entry = re.search(rf'id="ref-{re.escape(source.key)}">.*?</li>', html, re.DOTALL)
            assert entry is not None
            assert "No DOI, PMID or DailyMed set ID recorded" in entry.group(0)


def test_references_block_shows_each_access_status():
    """The access status of each source (primary, reproduction, bibliographic, seed) is shown."""
    html = render("/// references\n///", page="references.md")
    for source in SOURCES.values():
        assert f'data-access="{source.access}">Access: {source.access}</span>' in html


@pytest.mark.parametrize(
    ("source", "page", "message"),
    [
        ("/// references | all\n///", "references.md", "takes no argument"),
        ("/// references\nSome text.\n///", "references.md", "takes no content"),
        ("/// references\n///", "oral.md", "belongs on 'references.md' only"),
        ("/// references\n///\n\n/// references\n///", "references.md", "appears twice"),
    ],
    ids=["argument", "content", "wrong-page", "twice"],
)
def test_references_block_misuse_fails(source, page, message):
    """A misused block stops the build instead of rendering as text or duplicating anchors."""
    with pytest.raises(SiteBuildError, match=message):
        render(source, page=page)


def test_back_links_html_lists_pages_and_counts():
    """The filled "cited on" line links each citing page's first citation, with a count."""
    html = back_links_html(
        "dario2004",
        [
            ("../", "cite-dario2004-1", "Overview", 1),
            ("../oral/", "cite-dario2004-1", "Oral baclofen", 3),
        ],
    )
    assert html == (
        '<p class="ref-citedby" data-citedby="dario2004">Cited on: '
        '<a href="../#cite-dario2004-1">Overview</a>, '
        '<a href="../oral/#cite-dario2004-1">Oral baclofen</a> (3\N{MULTIPLICATION SIGN})</p>'
    )
    assert back_links_html("dario2004", []) == (
        '<p class="ref-citedby" data-citedby="dario2004">Not cited on any page.</p>'
    )


def test_citation_numbers_follow_a_reordered_bibliography(monkeypatch):
    """Numbers are read from SOURCES at render time: reorder it and the numbers follow."""
    reordered = dict(reversed(list(SOURCES.items())))
    monkeypatch.setattr("calculators.sources.SOURCES", reordered)
    assert ">[1]</a>" in render(f"[@{next(iter(reordered))}]")
