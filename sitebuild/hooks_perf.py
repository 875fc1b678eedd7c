"""MkDocs hooks for start-up speed (``hooks:`` in ``mkdocs.yml``; see ``docs/performance.md``).

- ``on_post_page``: on a page with a calculator, put into ``<head>`` a
  ``<meta name="baclofen-calculators">`` naming the runtime, the lock file and the package
  (copied from the page's first calculator form, which ``sitebuild/calculator_block.py``
  rendered from ``sitebuild/hooks_pyodide.py``'s URLs) and the async module
  ``assets/js/calculators-early.js``, which starts the worker right after the first
  contentful paint instead of after the whole page has been parsed and set up. Pages
  without a calculator are left alone: nothing is loaded there that a reader might never
  need.

Anything unexpected (a calculator form without the runtime's attributes, a page without
exactly one ``<head>``) stops the build: a page whose early start silently did not happen
would only be slower, and nobody would notice.
"""

from __future__ import annotations

import re
from html import escape
from typing import TYPE_CHECKING

from mkdocs.utils import get_relative_url

from sitebuild import SiteBuildError

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.pages import Page

EARLY_SCRIPT = "assets/js/calculators-early.js"
META_NAME = "baclofen-calculators"
# The first calculator form's opening tag, and the attributes the early start needs from it.
_FORM = re.compile(r"<form\b[^>]*\bdata-calculator=\"[^\"]*\"[^>]*>")
_ATTRIBUTES = ("data-pyodide-index", "data-pyodide-lock", "data-pyodide-package")
_HEAD_END = "</head>"


def _attribute(tag: str, name: str) -> str | None:
    found = re.search(rf"\b{name}=\"([^\"]*)\"", tag)
    return found.group(1) if found else None


def early_start_tags(html: str, script_href: str, where: str) -> str | None:
    """The ``<head>`` tags that start the worker early, or None for a page without a form."""
    form = _FORM.search(html)
    if form is None:
        return None
    values = {name: _attribute(form.group(0), name) for name in _ATTRIBUTES}
    missing = [name for name, value in values.items() if not value]
    if missing:
        raise SiteBuildError(
            f"{where}: its calculator form has no {', '.join(missing)}; sitebuild/hooks_pyodide.py "
            "sets them (is it listed under hooks: in mkdocs.yml?)."
        )
    # The values are already HTML-escaped attribute text: copied as they are.
    attrs = " ".join(f'{name}="{value}"' for name, value in values.items())
    return (
        f'<meta name="{META_NAME}" {attrs}>'
        f'<script type="module" async src="{escape(script_href)}"></script>'
    )


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:  # noqa: ARG001 - by name
    """Start the calculators' worker early on a page that has one (see the module docstring)."""
    where = f"page {page.file.src_uri!r}"
    tags = early_start_tags(output, get_relative_url(EARLY_SCRIPT, page.url or "."), where)
    if tags is None:
        return output
    if output.count(_HEAD_END) != 1:
        raise SiteBuildError(
            f"{where}: expected one </head> to start the calculators from, found "
            f"{output.count(_HEAD_END)}."
        )
    # Last in <head>, not first: fetched first, the module took a connection from the
    # render-blocking stylesheets and delayed the first paint by ~15% (docs/performance.md);
    # it waits for that paint anyway.
    return output.replace(_HEAD_END, tags + _HEAD_END)
