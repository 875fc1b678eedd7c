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
