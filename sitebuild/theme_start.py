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

Every edit is an exact text match that fails the build loudly when the theme changes.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sitebuild import SiteBuildError

if TYPE_CHECKING:
    from pathlib import Path

JS_CLASS_SCRIPT = (
    'document.documentElement.className="js js-focus-visible";'
    'document.documentElement.setAttribute("data-js-focus-visible","")'
)
JS_CLASS_TAG = f"<script>{JS_CLASS_SCRIPT}</script>"
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
_BUNDLE = re.compile(r"^bundle\.[0-9a-f]{8,}\.min\.js$")


@dataclass(frozen=True)
class Bundle:
    """The theme's bundle before and after :func:`patch_bundle`, as site-relative paths."""

    old: str
    new: str


def wrap_tables(html: str, where: str) -> str:
    """``html`` with each table that has no class inside the theme's scroll wrapper."""
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
            wrapped = _CLASS_ATTRIBUTE.search(attributes) is None
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


def patch_bundle(site: Path) -> Bundle:
    """Patch the theme's bundle in ``site`` (see the module docstring) and return its names."""
    folder = site / "assets" / "javascripts"
    found = sorted(p for p in folder.glob("bundle.*.min.js") if _BUNDLE.match(p.name))
    if len(found) != 1:
        raise SiteBuildError(f"expected one theme bundle in {folder}, found {len(found)}.")
    original = found[0]
    text = original.read_text(encoding="utf-8")
    if text.count(TABLE_SELECTOR) != 1:
        raise SiteBuildError(
            f"{original.name}: expected the table selector {TABLE_SELECTOR} once, found "
            f"{text.count(TABLE_SELECTOR)}; update sitebuild/theme_start.py for this theme."
        )
    patched = text.replace(TABLE_SELECTOR, NO_TABLE_SELECTOR)
    digest = hashlib.sha256(patched.encode("utf-8")).hexdigest()[:8]
    renamed = original.with_name(f"bundle.{digest}.min.js")
    renamed.write_text(patched, encoding="utf-8")
    original.unlink()
    base = "assets/javascripts/"
    return Bundle(old=base + original.name, new=base + renamed.name)


def link_bundle(html: str, bundle: Bundle, where: str) -> str:
    """``html`` loading the patched bundle (its one ``<script src>`` ends with the old path)."""
    pattern = re.compile(r'(<script src="[^"]*)' + re.escape(bundle.old) + '"')
    html, count = pattern.subn(lambda m: m.group(1) + bundle.new + '"', html)
    if count != 1:
        raise SiteBuildError(f"{where}: expected one <script> for {bundle.old}, found {count}.")
    return html


def start_page(html: str, bundle: Bundle, where: str) -> str:
    """One page with the theme's start-up work done: classes, table wrappers, patched bundle."""
    return link_bundle(wrap_tables(set_js_classes(html, where), where), bundle, where)
