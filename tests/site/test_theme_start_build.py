"""sitebuild/theme_start.py without a browser: which tables are wrapped, and the loud failures."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from sitebuild import SiteBuildError, theme_start

if TYPE_CHECKING:
    from pathlib import Path

OPEN, CLOSE = theme_start.WRAP_OPEN, theme_start.WRAP_CLOSE


def test_theme_start_wraps_only_tables_without_a_class() -> None:
    """The theme's selector is table:not([class]): a table with any class stays as it is."""
    html = (
        '<table><tr><td>a</td></tr></table><table class="x"><tr><td>b</td></tr></table>'
        "<table data-y><tr><td>c</td></tr></table>"
    )
    assert theme_start.wrap_tables(html, "t") == (
        f"{OPEN}<table><tr><td>a</td></tr></table>{CLOSE}"
        '<table class="x"><tr><td>b</td></tr></table>'
        f"{OPEN}<table data-y><tr><td>c</td></tr></table>{CLOSE}"
    )


def test_theme_start_closes_each_wrapper_after_its_own_table() -> None:
    """A classed table inside a wrapped one keeps its own end tag unwrapped."""
    html = '<table><tr><td><table class="in"></table></td></tr></table>'
    assert theme_start.wrap_tables(html, "t") == (
        f'{OPEN}<table><tr><td><table class="in"></table></td></tr></table>{CLOSE}'
    )


@pytest.mark.parametrize("html", ["<table>", "</table>", "<table></table></table>"])
def test_theme_start_unbalanced_tables_stop_the_build(html: str) -> None:
    """Control: markup the scan cannot pair is an error naming the page."""
    with pytest.raises(SiteBuildError, match=r"page\.html"):
        theme_start.wrap_tables(html, "page.html")


def test_theme_start_sets_the_classes_after_charset_and_needs_no_js() -> None:
    """The class script goes right after <meta charset>; a page without no-js stops the build."""
    page = '<html lang="en" class="no-js"><head><meta charset="utf-8"><title>t</title></head>'
    done = theme_start.set_js_classes(page, "t")
    assert done.startswith(
        f'<html lang="en" class="no-js"><head><meta charset="utf-8">{theme_start.JS_CLASS_TAG}'
    )
    with pytest.raises(SiteBuildError, match="no-js"):
        theme_start.set_js_classes(page.replace(' class="no-js"', ""), "t")


def _site(tmp_path: Path, bundle: str) -> Path:
    folder = tmp_path / "assets" / "javascripts"
    folder.mkdir(parents=True)
    (folder / "bundle.0123abcd.min.js").write_text(bundle, encoding="utf-8")
    return tmp_path


def test_theme_start_patches_the_selector_under_a_new_name(tmp_path: Path) -> None:
    """The selector is replaced by one of the same length; the file gets its own hashed name."""
    site = _site(tmp_path, 'a(M("table:not([class])",e))')
    bundle = theme_start.patch_bundle(site)
    assert bundle.old == "assets/javascripts/bundle.0123abcd.min.js"
    assert bundle.new != bundle.old
    assert not (site / bundle.old).exists()
    assert (site / bundle.new).read_text(encoding="utf-8") == 'a(M("table[data-mdwrap]",e))'
    page = f'<script src="../{bundle.old}"></script>'
    assert theme_start.link_bundle(page, bundle, "t") == f'<script src="../{bundle.new}"></script>'


@pytest.mark.parametrize("text", ["no selector here", '"table:not([class])" "table:not([class])"'])
def test_theme_start_a_changed_theme_stops_the_build(tmp_path: Path, text: str) -> None:
    """Control: the selector missing or twice is an error, not a silent no-op."""
    with pytest.raises(SiteBuildError, match="table selector"):
        theme_start.patch_bundle(_site(tmp_path, text))


def _palette_site(tmp_path: Path, css: str) -> Path:
    folder = tmp_path / "assets" / "stylesheets"
    folder.mkdir(parents=True)
    (folder / "palette.0123abcd.min.css").write_text(css, encoding="utf-8")
    return tmp_path


_RULE = (
    "[data-md-color-switching] *,[data-md-color-switching] :after,"
    "[data-md-color-switching] :before{transition-duration:0s!important}"
)


def test_theme_start_renames_the_palette_switch_attribute(tmp_path: Path) -> None:
    """The palette rule waits for the reader's switch attribute; same size, its own name."""
    site = _palette_site(tmp_path, f"a{{b:c}}{_RULE}")
    (palette,) = theme_start.patch_palette(site)
    assert palette.old == "assets/stylesheets/palette.0123abcd.min.css"
    assert palette.new.startswith("assets/stylesheets/palette.")
    assert palette.new.endswith(".min.css")
    assert palette.new != palette.old
    text = (site / palette.new).read_text(encoding="utf-8")
    assert text == f"a{{b:c}}{_RULE}".replace(theme_start.SWITCHING, theme_start.USER_SWAP)
    assert len(text) == len(f"a{{b:c}}{_RULE}")
    assert not (site / palette.old).exists()
    page = f'<link rel="stylesheet" href="../{palette.old}">'
    assert theme_start.link_palette(page, (palette,), "t") == (
        f'<link rel="stylesheet" href="../{palette.new}">'
    )


@pytest.mark.parametrize(
    "css", ["a{b:c}", _RULE.replace(",[data-md-color-switching] :before", ""), _RULE + _RULE]
)
def test_theme_start_a_changed_palette_stops_the_build(tmp_path: Path, css: str) -> None:
    """Control: the rule missing, changed or twice is an error naming the attribute."""
    with pytest.raises(SiteBuildError, match="data-md-color-switching"):
        theme_start.patch_palette(_palette_site(tmp_path, css))


def test_theme_start_resolves_stylesheets_at_the_end_of_head() -> None:
    """The stylesheet URLs are resolved by a script after the theme's <link>s, in <head>."""
    page = '<head><link rel="stylesheet" href="a.css"><script src="x.js"></script></head><body>'
    done = theme_start.resolve_stylesheet_links(page, "t")
    assert done == page.replace("</head>", f"{theme_start.LINK_RESOLVE_TAG}</head>")
    with pytest.raises(SiteBuildError, match="stylesheets"):
        theme_start.resolve_stylesheet_links("<head></head><body></body>", "t")


def test_theme_start_a_page_without_the_palette_link_stops_the_build() -> None:
    """Control: a page that does not load the palette stylesheet is named, not skipped."""
    palette = theme_start.Asset(old="assets/stylesheets/p.1.min.css", new="x")
    with pytest.raises(SiteBuildError, match=r"page\.html"):
        theme_start.link_palette("<head></head>", (palette,), "page.html")


def test_theme_start_patches_each_palette_variant(tmp_path: Path) -> None:
    """Zensical ships a classic and a modern palette: both patched, a page relinked to its own."""
    for variant in ("classic", "modern"):
        folder = tmp_path / "assets" / "stylesheets" / variant
        folder.mkdir(parents=True)
        (folder / f"palette.{'0' * 7}{len(variant)}.min.css").write_text(
            f"/*{variant}*/{_RULE}", encoding="utf-8"
        )
    palettes = theme_start.patch_palette(tmp_path)
    assert [p.old.split("/")[2] for p in palettes] == ["classic", "modern"]
    page = f'<link rel="stylesheet" href="../{palettes[1].old}">'
    assert theme_start.link_palette(page, palettes, "t") == (
        f'<link rel="stylesheet" href="../{palettes[1].new}">'
    )
    for palette in palettes:
        text = (tmp_path / palette.new).read_text(encoding="utf-8")
        assert theme_start.SWITCHING not in text
        assert text.count(theme_start.USER_SWAP) == 3


def test_theme_start_leaves_a_result_table_in_its_own_scroll_box() -> None:
    """A calculator result's table keeps only its own scroll box; the table after it is wrapped.

    Control: the same table outside the box is wrapped.
    """
    box = '<div class="calc-table-scroll" tabindex="0" role="region" aria-label="t">'
    html = f"{box}<table><tr><td>1</td></tr></table></div><table><tr><td>2</td></tr></table>"
    assert theme_start.wrap_tables(html, "t") == (
        f"{box}<table><tr><td>1</td></tr></table></div>"
        f"{OPEN}<table><tr><td>2</td></tr></table>{CLOSE}"
    )
