"""The site's one stylesheet (sitebuild/stylesheets.py) and the search index's gate on pages."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

from sitebuild import SiteBuildError
from sitebuild.finish_head import EARLY_INLINE, SEARCH_GATE_ALONE, SEARCH_GATE_TAG
from sitebuild.stylesheets import PART_HEADER, link_bundle, own_stylesheets, write_bundle

if TYPE_CHECKING:
    from pathlib import Path

HEAD = (
    '<head><link rel="stylesheet" href="../assets/stylesheets/main.css">'
    '<link rel="stylesheet" href="../assets/css/site.css">'
    '<link rel="stylesheet" href="../assets/css/print.css" media="print">'
    '<link rel="stylesheet" href="https://example.org/assets/css/x.css">'
    '<link rel="stylesheet" href="../assets/css/teaching.css"></head>'
)


def test_own_stylesheets_in_page_order_without_media_or_other_hosts():
    """Only the site's own, unconditional stylesheets, in order, then the extra ones."""
    assert own_stylesheets(HEAD, extra=("assets/offline/offline.css",)) == [
        "assets/css/site.css",
        "assets/css/teaching.css",
        "assets/offline/offline.css",
    ]


def test_write_bundle_keeps_order_and_names_each_part(tmp_path: Path):
    """The bundle is the parts in order, each after its header; the name carries a hash."""
    (tmp_path / "assets/css").mkdir(parents=True)
    (tmp_path / "assets/css/a.css").write_text("a { color: red }\n")
    (tmp_path / "assets/css/b.css").write_text("b { color: blue }\n")
    name = write_bundle(tmp_path, ["assets/css/a.css", "assets/css/b.css"])
    assert re.fullmatch(r"assets/css/site\.[0-9a-f]{12}\.css", name)
    text = (tmp_path / name).read_text()
    a = text.index(PART_HEADER.format(path="assets/css/a.css"))
    b = text.index(PART_HEADER.format(path="assets/css/b.css"))
    assert a < text.index("color: red") < b < text.index("color: blue")
    # Control: another order is another file.
    assert write_bundle(tmp_path, ["assets/css/b.css", "assets/css/a.css"]) != name


def test_write_bundle_refuses_a_relative_url(tmp_path: Path):
    """A url() that would resolve from another folder stops the build; data: is fine."""
    (tmp_path / "assets/css").mkdir(parents=True)
    (tmp_path / "assets/css/ok.css").write_text('a { background: url("data:image/png;base64,AA") }')
    write_bundle(tmp_path, ["assets/css/ok.css"])
    (tmp_path / "assets/css/bad.css").write_text("a { background: url(../img/x.png) }")
    with pytest.raises(SiteBuildError, match=r"bad\.css: uses url\(\)"):
        write_bundle(tmp_path, ["assets/css/bad.css"])


def test_link_bundle_replaces_the_parts_where_the_first_was():
    """One link to the bundle, where site.css was; the others stay as they were."""
    out = link_bundle(
        HEAD,
        bundled=["assets/css/site.css", "assets/css/teaching.css"],
        bundle="assets/css/site.0123456789ab.css",
        href=lambda p: f"../{p}",
    )
    assert "assets/css/site.css" not in out
    assert "teaching.css" not in out
    assert out.index("main.css") < out.index("site.0123456789ab.css") < out.index("print.css")
    assert 'media="print"' in out
    assert "https://example.org/assets/css/x.css" in out
    # Control: with nothing to replace, the link goes at the end of <head>.
    bare = link_bundle(
        "<head></head>", bundled=["assets/css/site.css"], bundle="assets/css/s.css", href=str
    )
    assert bare == '<head><link rel="stylesheet" href="assets/css/s.css"></head>'


@pytest.mark.site_build
def test_every_page_applies_the_same_styles_in_the_same_order(built_site, site_pages):
    """Each page's one stylesheet: the site's styles in mkdocs.yml's order, offline.css last."""
    for url, page in site_pages.items():
        links = [
            a["href"] for tag, a in page.tags if tag == "link" and a.get("rel") == "stylesheet"
        ]
        ours = [h for h in links if "/assets/css/" in f"/{h.lstrip('./')}"]
        assert len(ours) == 1, f"{url}: {ours}"
        assert not [h for h in links if h.endswith("offline.css")], url
    bundle = next((built_site / "assets" / "css").glob("site.*.css")).read_text()
    parts = re.findall(r"^/\* --- (\S+) --- \*/$", bundle, re.MULTILINE)
    assert parts[0] == "assets/css/site.css"
    assert parts[-1] == "assets/offline/offline.css"
    assert "assets/css/print.css" in parts
    assert "assets/css/teaching.css" in parts


@pytest.mark.site_build
def test_search_index_waits_on_every_page(built_site):
    """A page without a calculator has the gate alone; one with a calculator, the early start."""
    with_calc = without = 0
    for path in built_site.rglob("*.html"):
        if path.relative_to(built_site).parts[0] == "assets":
            continue
        html = path.read_text(encoding="utf-8")
        head = html.split("</head>")[0]
        if "data-calculator=" in html:
            with_calc += 1
            assert EARLY_INLINE in head, path
            assert SEARCH_GATE_ALONE not in head, path
        else:
            without += 1
            assert head.count(SEARCH_GATE_TAG) == 1, path
            # The gate runs before Material's bundle, which asks for the index as it starts.
            assert head.index(SEARCH_GATE_TAG) < html.index("javascripts/bundle.")
    assert with_calc >= 4
    assert without >= 10
