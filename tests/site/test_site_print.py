"""The print stylesheet: linked on every page, hides the chrome, keeps citations and references."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sitekit import linked_stylesheets

REPO = Path(__file__).resolve().parents[2]
PRINT_CSS = REPO / "docs" / "assets" / "css" / "print.css"

CHROME = [".md-header", ".md-tabs", ".md-search", ".md-sidebar", ".md-footer"]
# Content that must survive printing: citations, quoted constants, the bibliography.
KEPT = re.compile(
    r"\.cite\b|sup\b|\.references\b|\.reference\b|\.ref-|\.const\b|\.calc-(result|output|status)\b"
)
# An output showing a live result for the form's values (calculators.js: ready, not stale).
LIVE_OUTPUT = re.compile(
    r'\.calc-output\[data-state="ready"\]:not\(\[data-stale\]\) \.calc-status$'
)
HIDING = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden")


def hides_kept(selector: str) -> bool:
    """Whether hiding ``selector`` hides content that must print.

    Only the subject (the last compound) counts: ``.calc-output .spinner`` hides a spinner,
    not the output. A pseudo-element is decoration (a loading spinner), except the status tags,
    whose ``::after`` is text ("seed, not found in sources", "this site's choice",
    "reproduction only"). One status may go: a live, current result's ("Live: …", QA D17),
    whose print header (calculator-actions.js) says what the result is for; a stale or refused
    result's status ("NOT the values above") must print.
    """
    subject = re.split(r"\s*[\s>+~]\s*", selector.strip())[-1]
    if "::" in subject and not re.search(r"\.const-(nf|d|r)::after", subject):
        return False
    if subject == ".calc-status" and LIVE_OUTPUT.search(selector):
        return False
    return bool(KEPT.search(subject))


def _blocks(css: str) -> list[tuple[str, str]]:
    """Top-level ``prelude { body }`` pairs, braces matched (comments removed)."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    out, depth, start, prelude = [], 0, 0, ""
    for i, char in enumerate(css):
        if char == "{":
            if depth == 0:
                prelude, start = css[start:i].strip(), i + 1
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                out.append((prelude, css[start:i]))
                start = i + 1
    return out


def print_rules(css: str) -> list[tuple[list[str], str]]:
    """The rules inside every ``@media print`` block as ``([selectors], declarations)``."""
    rules = []
    for prelude, body in _blocks(css):
        if re.fullmatch(r"@media\s+print", prelude):
            for selectors, declarations in _blocks(body):
                if not selectors.startswith("@"):
                    rules.append(([s.strip() for s in selectors.split(",")], declarations))
    return rules


def test_print_css_hides_navigation_chrome():
    """Header, tabs, search, both sidebars and footer are display: none in print."""
    rules = print_rules(PRINT_CSS.read_text(encoding="utf-8"))
    hidden = {s for selectors, decls in rules if HIDING.search(decls) for s in selectors}
    missing = [selector for selector in CHROME if selector not in hidden]
    assert not missing, f"print.css does not hide {missing}"


def test_print_css_keeps_citations_and_references_visible():
    """No print rule hides a citation, a quoted constant or a bibliography entry."""
    rules = print_rules(PRINT_CSS.read_text(encoding="utf-8"))
    assert rules, "print.css has no @media print rules"
    offending = [
        s for selectors, decls in rules if HIDING.search(decls) for s in selectors if hides_kept(s)
    ]
    assert not offending, f"print.css hides content that must print: {offending}"


def test_print_css_prints_identifier_addresses_not_site_links():
    """DOI, PubMed and DailyMed links print their address; links within the site do not.

    Instant navigation makes every link absolute at run time, so a rule on all http links
    would also print the site's own address after each citation.
    """
    rules = print_rules(PRINT_CSS.read_text(encoding="utf-8"))
    printing = [s for selectors, decls in rules if "attr(href)" in decls for s in selectors]
    for host in (
        "https://doi.org/",
        "https://pubmed.ncbi.nlm.nih.gov/",
        "https://dailymed.nlm.nih.gov/",
    ):
        assert f'.md-typeset a[href^="{host}"]::after' in printing, host
    assert ".md-typeset a.ref-id::after" in printing
    assert not [s for s in printing if re.search(r'a\[href\^="https?://"\]', s)], printing


def test_hides_kept_looks_at_the_subject_only():
    """The check flags hiding a citation or the NF tag, not a spinner inside a result."""
    assert hides_kept(".md-typeset sup.cite")
    assert hides_kept(".md-typeset .references > li.reference")
    assert hides_kept(".md-typeset .const-nf::after")
    assert hides_kept(".md-typeset .const-d::after")
    assert not hides_kept('.calc-output[data-state="loading"] .calc-status::before')
    assert not hides_kept(".cite .decoration")
    assert not hides_kept('.calc-output[data-state="ready"]:not([data-stale]) .calc-status')
    # Control: a stale or erring result's status, or every status, must print.
    assert hides_kept(".calc-output[data-stale] .calc-status")
    assert hides_kept('.calc-output[data-state="error"] .calc-status')
    assert hides_kept(".md-typeset .calculator .calc-status")


@pytest.mark.site_build
def test_print_css_is_linked_on_every_page(built_site, site_pages):
    """Every built page applies the print stylesheet (in the site's one stylesheet)."""
    for url, page in site_pages.items():
        styles = linked_stylesheets(built_site, url, page)
        assert "assets/css/print.css" in styles, f"{url}: print.css not applied ({styles})"


@pytest.mark.site_build
def test_no_print_rule_in_the_site_hides_citations(built_site):
    """Across every built stylesheet (Material's too), print rules leave citations visible."""
    offending = []
    for path in built_site.rglob("*.css"):
        for selectors, decls in print_rules(path.read_text(encoding="utf-8")):
            if HIDING.search(decls):
                offending += [f"{path.name}: {s}" for s in selectors if hides_kept(s)]
    assert not offending, offending
