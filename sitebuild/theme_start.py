"""The theme's start-up work that the build can do once, instead of every phone on every load.

Material's bundle (and Zensical's, which shares its code) does two things on each page load
that restyle the whole page on the main thread (issue 27, a Chromium trace at 4x CPU):

- it swaps ``no-js`` for ``js`` on ``<html>`` (and its focus-visible polyfill adds
  ``js-focus-visible``), which invalidates the style of every element once the page is
  parsed: a full style recalculation of ~1,800 elements on the Safety page;
- it wraps each table without a class in a scroll box (``mountDataTable``: the table is
  removed from the page and put back inside two ``<div>``), which forces the style and the
  layout of the tables again: the longest task on the Safety page's 79-row hazard register.

The build does both instead:

- :data:`JS_CLASS_TAG`, an inline script right after ``<meta charset>``, sets those classes
  before the body is parsed (with JavaScript off it does not run, and ``no-js`` stays);
- :func:`wrap_tables` writes the theme's own wrapper around those tables, and
  :func:`patch_bundle` changes the bundle's selector for them to one that matches nothing
  (same length, so its source map stays right), under a new hashed name (a visitor's cached
  copy of the original, which would wrap the tables a second time, is never used).

Two more full restyles of every page, found the same way (a Chromium trace with style
invalidation tracking, at 4x CPU, on ``/about/``):

- instant navigation resolves every relative URL on the page by assigning ``el.href =
  el.href``; for a ``<link rel="stylesheet">`` that re-applies the stylesheet after the first
  render, and the whole page is restyled. :data:`LINK_RESOLVE_TAG`, an inline script at the
  end of ``<head>``, does it for the stylesheets before the first render; the theme then finds
  them absolute and leaves them alone (its own test, ``^(?:[a-z]+:)?//``, is copied);
- the palette sets ``data-md-color-switching`` on ``<body>`` on every page load, and removes
  it a moment later; its stylesheet's rule ``[data-md-color-switching] *`` (no transitions
  while the colours change) makes each of the two a restyle of every element.
  :func:`patch_palette` renames the attribute in that rule (:data:`USER_SWAP`, same length),
  and the head script sets it only when a reader switches the palette (a ``change`` event in
  ``[data-md-component=palette]``, in the capture phase, so before the theme's own handler),
  removing it on the next task as the theme does.

Every edit is an exact text match that fails the build loudly when the theme changes.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from calculators.present import TABLE_SCROLL_CLASS
from sitebuild import SiteBuildError

if TYPE_CHECKING:
    from pathlib import Path

# The palette's attribute for "colours are switching" (the theme's, in its palette stylesheet)
# and ours, set only on a reader's switch; the same length, so the stylesheet keeps its size.
SWITCHING = "[data-md-color-switching]"
USER_SWAP = "[data-md-color-user-swap]"
_USER_SWAP_NAME = USER_SWAP[1:-1]
# The head script: the theme's js classes; a page opened from a file marked data-file-page
# (module scripts do not run there, so the teaching toolbar takes no room: teaching.css); and
# the palette's attribute on a reader's switch (see the module docstring).
JS_CLASS_SCRIPT = (
    'document.documentElement.className="js js-focus-visible";'
    'document.documentElement.setAttribute("data-js-focus-visible","");'
    'if(location.protocol==="file:")document.documentElement.setAttribute("data-file-page","");'
    'document.addEventListener("change",function(e){'
    "var t=e.target,b=document.body;"
    'if(b&&t&&t.closest&&t.closest("[data-md-component=palette]")){'
    f'b.setAttribute("{_USER_SWAP_NAME}","");'
    f'setTimeout(function(){{b.removeAttribute("{_USER_SWAP_NAME}")}})}}}},true)'
)
JS_CLASS_TAG = f"<script>{JS_CLASS_SCRIPT}</script>"
LINK_RESOLVE_SCRIPT = (
    'for(var l of document.querySelectorAll("link[rel=stylesheet][href]"))'
    'if(!/^(?:[a-z]+:)?\\/\\//i.test(l.getAttribute("href")))l.href=l.href'
)
LINK_RESOLVE_TAG = f"<script>{LINK_RESOLVE_SCRIPT}</script>"
_HTML_NO_JS = re.compile(r'<html\b[^>]*\bclass="no-js"[^>]*>')

# What mountDataTable wraps (the selector in both themes' bundles), and what it matches after
# the patch: a table with a data-mdwrap attribute, which no page has.
TABLE_SELECTOR = '"table:not([class])"'
NO_TABLE_SELECTOR = '"table[data-mdwrap]"'
# The theme's wrapper, as its renderTable writes it (checked against the theme in a browser
# test: tests/browser/test_theme_start.py).
WRAP_OPEN = '<div class="md-typeset__scrollwrap"><div class="md-typeset__table">'
WRAP_CLOSE = "</div></div>"
_TABLE_TAG = re.compile(r"<(/?)table\b([^>]*)>", re.IGNORECASE)
_CLASS_ATTRIBUTE = re.compile(r"\sclass\s*=", re.IGNORECASE)
# A calculator result's own scroll box, right before its table (calculators/present.py).
_RESULT_BOX = re.compile(rf'<div class="{TABLE_SCROLL_CLASS}"[^>]*>\s*\Z')
_BUNDLE = re.compile(r"^bundle\.[0-9a-f]{8,}\.min\.js$")
_PALETTE = re.compile(r"^palette\.[0-9a-f]{8,}\.min\.css$")


@dataclass(frozen=True)
class Asset:
    """A theme asset before and after its patch, as site-relative paths."""

    old: str
    new: str


def wrap_tables(html: str, where: str) -> str:
    """``html`` with each table that has no class inside the theme's scroll wrapper.

    Except a calculator result's table: it has its own scroll box (``.calc-table-scroll``,
    a named region in the tab order, calculators/present.py), which a wrapper inside would
    nest (two scrolling boxes, one a keyboard cannot reach: axe's scrollable-region-focusable),
    and the live results that replace it have none.
    """
    out: list[str] = []
    stack: list[bool] = []
    end = 0
    for tag in _TABLE_TAG.finditer(html):
        closing, attributes = tag.group(1) == "/", tag.group(2)
        if closing:
            if not stack:
                raise SiteBuildError(f"{where}: a </table> without its <table>.")
            wrapped = stack.pop()
            out.append(html[end : tag.end()] + (WRAP_CLOSE if wrapped else ""))
        else:
            in_box = _RESULT_BOX.search(html, max(0, tag.start() - 400), tag.start()) is not None
            wrapped = _CLASS_ATTRIBUTE.search(attributes) is None and not in_box
            stack.append(wrapped)
            out.append(html[end : tag.start()] + (WRAP_OPEN if wrapped else "") + tag.group(0))
        end = tag.end()
    if stack:
        raise SiteBuildError(f"{where}: a <table> without its </table>.")
    return "".join(out) + html[end:]


def set_js_classes(html: str, where: str) -> str:
    """``html`` with :data:`JS_CLASS_TAG` right after ``<meta charset>``."""
    if not _HTML_NO_JS.search(html):
        raise SiteBuildError(
            f'{where}: no <html class="no-js"> for the theme to swap; update '
            "sitebuild/theme_start.py if the theme changed its markup."
        )
    charset = re.search(r"<meta\s+charset=[^>]*>", html, re.IGNORECASE)
    if charset is None or charset.start() > html.find("</head>"):
        raise SiteBuildError(f"{where}: no <meta charset> in <head> for the js classes.")
    return html[: charset.end()] + JS_CLASS_TAG + html[charset.end() :]


def resolve_stylesheet_links(html: str, where: str) -> str:
    """``html`` with :data:`LINK_RESOLVE_TAG` right before ``</head>``, after its stylesheets."""
    end, first = html.find("</head>"), html.find('rel="stylesheet"')
    if not 0 <= first < end:
        raise SiteBuildError(f"{where}: no <head> with the theme's stylesheets to resolve.")
    return html[:end] + LINK_RESOLVE_TAG + html[end:]


@dataclass(frozen=True)
class _Edit:
    """One exact edit of a theme asset: ``old`` becomes ``new`` (same length), ``count`` times.

    ``variants``: the theme may ship the file in several folders below ``folder`` (Zensical
    has a ``classic`` and a ``modern`` palette); each is edited, and a page loads one of them.
    """

    folder: str
    name: re.Pattern[str]
    old: str
    new: str
    count: int
    kind: str
    what: str
    variants: bool = False


# The bundle's table selector occurs once; the palette rule's attribute three times (the rule's
# `*`, `:after` and `:before`).
_BUNDLE_EDIT = _Edit(
    "assets/javascripts", _BUNDLE, TABLE_SELECTOR, NO_TABLE_SELECTOR, 1, "bundle", "table selector"
)
_PALETTE_EDIT = _Edit(
    "assets/stylesheets",
    _PALETTE,
    SWITCHING,
    USER_SWAP,
    3,
    "palette stylesheet",
    "attribute",
    variants=True,
)


def _patch_asset(site: Path, edit: _Edit) -> tuple[Asset, ...]:
    """Make ``edit`` in its file(s) under ``site``, each renamed with the new text's hash."""
    where = site / edit.folder
    found = sorted(
        p
        for p in (where.rglob("*") if edit.variants else where.glob("*"))
        if edit.name.match(p.name)
    )
    if not found or (len(found) > 1 and not edit.variants):
        raise SiteBuildError(f"expected one theme {edit.kind} in {where}, found {len(found)}.")
    done = []
    for original in found:
        text = original.read_text(encoding="utf-8")
        if text.count(edit.old) != edit.count or len(edit.old) != len(edit.new):
            raise SiteBuildError(
                f"{original.name}: expected the {edit.what} {edit.old} {edit.count} time(s), "
                f"found {text.count(edit.old)}; update sitebuild/theme_start.py for this theme."
            )
        patched = text.replace(edit.old, edit.new)
        digest = hashlib.sha256(patched.encode("utf-8")).hexdigest()[:8]
        stem, _hash, suffix = original.name.split(".", 2)
        renamed = original.with_name(f"{stem}.{digest}.{suffix}")
        renamed.write_text(patched, encoding="utf-8")
        original.unlink()
        done.append(
            Asset(
                old=original.relative_to(site).as_posix(), new=renamed.relative_to(site).as_posix()
            )
        )
    return tuple(done)


def patch_bundle(site: Path) -> Asset:
    """Patch the theme's bundle in ``site`` (see the module docstring) and return its names."""
    (bundle,) = _patch_asset(site, _BUNDLE_EDIT)
    return bundle


def patch_palette(site: Path) -> tuple[Asset, ...]:
    """Rename the palette rule's attribute to :data:`USER_SWAP` in each palette stylesheet."""
    return _patch_asset(site, _PALETTE_EDIT)


def link_bundle(html: str, bundle: Asset, where: str) -> str:
    """``html`` loading the patched bundle (its one ``<script src>`` ends with the old path)."""
    return _relink(html, "script src", bundle, where)


def link_palette(html: str, palettes: tuple[Asset, ...], where: str) -> str:
    """``html`` loading its patched palette stylesheet (one ``<link>`` to one of the originals)."""
    linked = [p for p in palettes if p.old in html]
    if len(linked) != 1:
        raise SiteBuildError(
            f"{where}: expected a <link> to one of the palette stylesheets, found {len(linked)}."
        )
    return _relink(html, 'link rel="stylesheet" href', linked[0], where)


def _relink(html: str, attribute: str, asset: Asset, where: str) -> str:
    pattern = re.compile("(<" + re.escape(attribute) + '="[^"]*)' + re.escape(asset.old) + '"')
    html, count = pattern.subn(lambda m: m.group(1) + asset.new + '"', html)
    if count != 1:
        raise SiteBuildError(f"{where}: expected one <{attribute}> for {asset.old}, found {count}.")
    return html


@dataclass(frozen=True)
class Theme:
    """The patched theme assets a page must load instead of the originals."""

    bundle: Asset
    palettes: tuple[Asset, ...]


def patch_theme(site: Path) -> Theme:
    """Patch the bundle and the palette stylesheet in ``site``."""
    return Theme(bundle=patch_bundle(site), palettes=patch_palette(site))


def start_page(html: str, theme: Theme, where: str) -> str:
    """One page with the theme's start-up work done: classes, tables, stylesheets, assets."""
    html = resolve_stylesheet_links(wrap_tables(set_js_classes(html, where), where), where)
    return link_palette(link_bundle(html, theme.bundle, where), theme.palettes, where)
