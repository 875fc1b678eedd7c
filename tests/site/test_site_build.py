"""The built site: every source cited, every citation and back-link landing, strict failures.

These tests build a site with ``mkdocs build --strict`` (the real one once per session, and
small ones for the failure cases), so they are marked ``site_build``.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from calculators.sources import SOURCES
from sitebuild.citations import citation_number

pytestmark = pytest.mark.site_build

REFERENCES = "/references/"
NAV_PAGES = [
    "/",
    "/oral/",
    "/stopping/",
    "/intrathecal/",
    "/special-situations/",
    "/evidence/",
    "/references/",
    "/about/",
    "/teachers/",
]
CLINICAL_PAGES = ["/oral/", "/stopping/", "/intrathecal/", "/special-situations/", "/evidence/"]


def citations(page) -> list[tuple[str, str, str]]:
    """The citation links of a page as ``(href, id, text)``."""
    return [
        (attrs["href"], attrs["id"], text)
        for attrs, text in page.links()
        if attrs.get("role") == "doc-biblioref"
    ]


def resolve(page_url: str, href: str) -> tuple[str, str]:
    """``href`` on ``page_url`` as ``(target page url, fragment)``; fails on another host."""
    absolute = urlsplit(urljoin(f"http://site.test{page_url}", href))
    assert absolute.netloc == "site.test", f"{page_url}: {href} leaves the site"
    return absolute.path, absolute.fragment


def test_site_has_every_nav_page(site_pages):
    """The strict build wrote each page of the navigation."""
    missing = [url for url in NAV_PAGES if url not in site_pages]
    assert not missing, f"pages not built: {missing}"


def test_site_every_source_is_cited_on_some_page(site_pages):
    """Each source in the bibliography is cited on at least one page besides References."""
    cited = set()
    for url, page in site_pages.items():
        if url != REFERENCES:
            cited |= {href.split("#ref-", 1)[1] for href, _, _ in citations(page)}
    never = [key for key in SOURCES if key not in cited]
    assert not never, f"sources never cited on any page: {never}"


def test_site_clinical_pages_cite_sources(site_pages):
    """Every clinical page cites at least one source."""
    counts = {url: len(citations(site_pages[url])) for url in CLINICAL_PAGES}
    uncited = [url for url, n in counts.items() if n == 0]
    assert not uncited, f"clinical pages without a citation: {uncited} (counts: {counts})"


def test_site_evidence_page_cites_the_seed(site_pages):
    """The seed is presented as a source on the evidence page, like any other."""
    hrefs = [href for href, _, _ in citations(site_pages["/evidence/"])]
    assert any(href.endswith("#ref-seed") for href in hrefs)


def test_site_citation_links_land_on_their_reference(site_pages):
    """Every citation on every page links to an existing entry, numbered as in the bibliography."""
    checked = 0
    for url, page in site_pages.items():
        for href, _, text in citations(page):
            target, fragment = resolve(url, href)
            assert target == REFERENCES, f"{url}: citation {href} does not go to References"
            assert fragment in site_pages[REFERENCES].ids, f"{url}: no anchor for {href}"
            key = fragment.removeprefix("ref-")
            assert text.strip("[]") == str(citation_number(key)), f"{url}: {href} shows {text}"
            checked += 1
    assert checked > 0


def test_site_references_page_lists_every_source_with_back_links(site_pages):
    """References has an entry per source, and each "cited on" link lands on a citation."""
    refs = site_pages[REFERENCES]
    assert {f"ref-{key}" for key in SOURCES} <= refs.ids
    back_links = [
        attrs["href"] for attrs, _ in refs.links() if re.search(r"#cite-", attrs.get("href", ""))
    ]
    cited_keys = {re.sub(r"^cite-(.*)-\d+$", r"\1", urlsplit(h).fragment) for h in back_links}
    assert cited_keys == set(SOURCES), f"sources without back-links: {set(SOURCES) - cited_keys}"
    for href in back_links:
        target, fragment = resolve(REFERENCES, href)
        assert target in site_pages, f"back-link {href} goes to no page"
        assert fragment in site_pages[target].ids, f"back-link {href}: no such citation"


def test_site_pages_are_set_for_phones(site_pages):
    """Every page declares a device-width viewport (Material's responsive layout needs it)."""
    for url in NAV_PAGES:
        metas = [
            a for tag, a in site_pages[url].tags if tag == "meta" and a.get("name") == "viewport"
        ]
        assert metas, f"{url}: no viewport meta"
        assert "width=device-width" in metas[0]["content"]


# --- Small sites: what must fail the strict build, and what must work ----------------------


def test_site_citations_from_a_nested_page_resolve(small_site):
    """A page in a subfolder gets a working link up to References, and a back-link to it."""
    build = small_site(
        {
            "index.md": "# Home\n\nStart low [@label-tablets].\n",
            "guide/deep.md": "# Deep\n\nTitrate [@boster2016; @label-gablofen].\n",
        }
    )
    assert build.returncode == 0, build.output
    deep = (build.site_dir / "guide" / "deep" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../references/#ref-boster2016"' in deep
    refs = (build.site_dir / "references" / "index.html").read_text(encoding="utf-8")
    assert '<a href="../guide/deep/#cite-boster2016-1">Deep</a>' in refs
    assert 'data-citedby="dario2004">Not cited on any page.</p>' in refs


def test_site_unknown_citation_key_fails_strict_build(small_site):
    """A page citing an unknown key fails the build with page, key and known keys."""
    build = small_site({"index.md": "# Home\n\nTitrate [@boster2061].\n"})
    assert build.returncode != 0
    assert "page 'index.md': unknown source key 'boster2061'" in build.output
    assert "Known keys: " + ", ".join(SOURCES) in build.output


def test_site_unknown_constant_fails_strict_build(small_site):
    """A page quoting an unknown constant fails the build with page and name."""
    build = small_site({"index.md": "# Home\n\nAt most {{ ORAL_MAX_MG }} mg.\n"})
    assert build.returncode != 0
    assert "page 'index.md': '{{ ORAL_MAX_MG }}': unknown constant 'ORAL_MAX_MG'" in build.output


def test_site_references_page_without_block_fails_strict_build(small_site):
    """A References page that lost its bibliography block fails the build and says what to add."""
    build = small_site(
        {"index.md": "# Home\n", "references.md": "# References\n\n/// referenses\n///\n"}
    )
    assert build.returncode != 0
    assert "does not list the bibliography" in build.output
    assert "'/// references' then '///'" in build.output


def test_site_broken_link_fails_strict_build(small_site):
    """mkdocs.yml's validation settings turn a broken link into a strict-build failure."""
    build = small_site({"index.md": "# Home\n\nSee [nowhere](missing.md).\n"})
    assert build.returncode != 0
    assert "missing.md" in build.output


def test_site_config_validation_fails_on_broken_links_and_anchors():
    """The real mkdocs.yml reports bad links, anchors and absolute links (strict fails on them)."""
    text = (Path(__file__).resolve().parents[2] / "mkdocs.yml").read_text(encoding="utf-8")
    links = text.split("\n  links:\n", 1)[1].split("\n\n", 1)[0]
    for setting in ("not_found", "anchors", "absolute_links", "unrecognized_links"):
        assert f"    {setting}: warn" in links, setting
    assert "\nstrict: true\n" in text


def test_site_search_dialog_has_an_accessible_name(built_site):
    """Every page names Material's search dialog (axe rule aria-dialog-name)."""
    pages = sorted(built_site.rglob("index.html"))
    assert pages, "the built site has no pages"
    for page in pages:
        html = page.read_text(encoding="utf-8")
        dialogs = re.findall(r'<div class="md-search"[^>]*>', html)
        assert len(dialogs) == 1, page
        assert 'role="dialog" aria-label="Search"' in dialogs[0], page
