"""Issue 23's page checks: unrendered citations stop the build (QA D5), the home page lists
every calculator from the registry and links the pump clinic (QA D6), "Cited on" tells pages
of the same title apart (QA D23), the emergencies page carries the label's signs and
differential, and refill calculators link refill procedure safety."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import markdown
import pytest

from calculators import CALCULATORS
from sitebuild import SiteBuildError
from sitebuild.context import Build
from sitebuild.finish import _cited_on_titles, check_no_raw_citations, raw_citations


# --- D5: raw citation text -------------------------------------------------------------------


def test_raw_citations_finds_citation_text_outside_code():
    """A ``[@...`` in running text is found; in code, a script or an attribute it is not."""
    html = (
        "<p>never a limit [@label-gablofen;\n@label-lioresal-it]</p>"
        "<code>[@boster2016]</code><pre>[@x]</pre><script>var a='[@y]'</script>"
        '<a title="[@z]">t</a>'
    )
    assert raw_citations(html) == ["[@label-gablofen; @label-lioresal-it"]


def test_check_no_raw_citations_raises_with_page_and_fix():
    """The finish step's check names the page and what to write."""
    with pytest.raises(SiteBuildError, match=r"pump-clinic/index.html: citation text left"):
        check_no_raw_citations("<p>see [@boster2016 and more</p>", "pump-clinic/index.html")
    check_no_raw_citations("<p>Cited <sup><a>[1]</a></sup></p>", "oral/index.html")


def test_citation_group_spanning_a_line_break_renders():
    """The QA D5 source, a group wrapped over two lines, renders as one superscript."""
    md = markdown.Markdown(
        extensions=["sitebuild.citations"],
        extension_configs={"sitebuild.citations": {"page": "pump-clinic.md"}},
    )
    html = md.convert("never a limit [@label-gablofen;\n@label-lioresal-it].")
    assert "[@" not in html
    assert html.count('role="doc-biblioref"') == 2


@pytest.mark.site_build
def test_strict_build_fails_on_unrendered_citation(small_site):
    """Control on a real build: text that still reads ``[@`` after rendering stops it."""
    broken = small_site({"index.md": "# Home\n\nA broken group [@boster2016\n\nnever closed.\n"})
    assert broken.returncode != 0
    assert "citation text left unrendered" in broken.output
    fine = small_site({"index.md": "# Home\n\nA group [@boster2016;\n@label-gablofen] wrapped.\n"})
    assert fine.returncode == 0, fine.output


@pytest.mark.site_build
def test_no_built_page_shows_citation_text(built_site):
    """Across the whole built site, no page shows ``[@`` outside code (the build refuses it)."""
    offending = {
        str(path.relative_to(built_site)): raw_citations(path.read_text(encoding="utf-8"))
        for path in built_site.rglob("*.html")
        if not path.relative_to(built_site).as_posix().startswith("assets/")
    }
    assert not {k: v for k, v in offending.items() if v}


# --- D6: the home page ---------------------------------------------------------------------


def _links(tags, base: str) -> list[tuple[str, str]]:
    return [
        (
            urlsplit(urljoin(base, attrs.get("href", ""))).path,
            urlsplit(attrs.get("href", "")).fragment,
        )
        for attrs, _text in tags.links()
    ]


@pytest.mark.site_build
def test_home_page_lists_every_calculator_and_links_the_pump_clinic(site_pages):
    """Every registry calculator has a row linking its form; the pump clinic is linked."""
    home = site_pages["/"]
    rows = [a.get("data-calculator-index") for t, a in home.tags if t == "tr"]
    assert [r for r in rows if r] == list(CALCULATORS)
    assert len(CALCULATORS) == 12
    links = _links(home, "http://site.test/")
    fragments = {fragment for _path, fragment in links}
    assert {f"calculator-{c}" for c in CALCULATORS} <= fragments
    assert "/pump-clinic/" in {path for path, _ in links}


# --- D23: "Cited on" ----------------------------------------------------------------------


def test_cited_on_titles_tell_same_titled_pages_apart():
    """The teaching page is named with its section; a unique title is kept as it is."""
    build = Build({"titles": {"intrathecal.md": "Intrathecal baclofen"}})
    titles = _cited_on_titles(
        build,
        [
            ("intrathecal.md", "Intrathecal baclofen"),
            ("teaching/index.md", "Teaching cases"),
            ("teaching/intrathecal.md", "Intrathecal baclofen"),
            ("oral.md", "Oral baclofen"),
        ],
    )
    assert titles["intrathecal.md"] == "Intrathecal baclofen"
    assert titles["teaching/intrathecal.md"] == "Teaching cases: Intrathecal baclofen"
    assert titles["oral.md"] == "Oral baclofen"


@pytest.mark.site_build
def test_references_cited_on_has_no_duplicate_titles(built_site):
    """On the built References page, no source lists two pages under the same name."""
    html = (built_site / "references" / "index.html").read_text(encoding="utf-8")
    lines = re.findall(r'<p class="ref-citedby"[^>]*>(.*?)</p>', html, re.DOTALL)
    assert lines
    for line in lines:
        names = re.findall(r">([^<]+)</a>", line)
        assert len(names) == len(set(names)), line
        assert not [n for n in names if "\u00b6" in n], line  # no permalink sign in a name
    assert "Teaching cases: Intrathecal baclofen" in html


# --- the emergencies page and refill safety ----------------------------------------------------

LABEL_SIGNS = ["pruritus", "hypotension", "paresthesias", "return of baseline spasticity"]
DIFFERENTIAL = [
    "sepsis",
    "neuroleptic malignant syndrome",
    "malignant hyperthermia",
    "autonomic dysreflexia",
]
OVERDOSE = ["respiratory depression", "rostral progression of hypotonia", "25 mcg", "bradycardia"]


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split()).lower()


@pytest.mark.site_build
def test_emergencies_page_holds_the_label_signs_differential_and_overdose(built_site):
    """The label's early signs, the four-item differential, ED/ICU urgency and ITB overdose."""
    text = _text((built_site / "emergencies" / "index.html").read_text(encoding="utf-8"))
    missing = [t for t in LABEL_SIGNS + DIFFERENTIAL + OVERDOSE if t not in text]
    assert not missing, missing
    assert "emergency department or intensive care" in text
    assert "bridge" in text
    assert "physostigmine" in text


@pytest.mark.site_build
def test_every_refill_calculator_links_refill_procedure_safety(site_pages):
    """Each refill calculator's form has a refill-safety link on its page."""
    refill = ("itb-refill", "itb-refill-visit", "itb-concentration-change")
    for url, tags in site_pages.items():
        forms = [
            a["data-calculator"]
            for t, a in tags.tags
            if t == "form" and a.get("data-calculator") in refill
        ]
        if not forms:
            continue
        safety = [
            a
            for a, _text in tags.links()
            if "refill-safety-link" in a.get("class", "")
            and urlsplit(a.get("href", "")).fragment == "refill-procedure-safety"
        ]
        assert len(safety) >= len(forms), (url, forms, len(safety))
