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

from mkdocs.plugins import event_priority
from mkdocs.utils import get_relative_url

from sitebuild import SiteBuildError

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.pages import Page

EARLY_SCRIPT = "assets/js/calculators-early.js"
WORKER_SCRIPT = "assets/js/calculator-worker.js"
META_NAME = "baclofen-calculators"
# assets/js/protocol.js: EARLY_GLOBAL, EARLY_INIT_ID and the init request's fields.
EARLY_GLOBAL = "__baclofenEarlyWorker"
EARLY_INIT_ID = 0

# The inline early start: one text for every page (its CSP hash is then one hash), the
# page's URLs in its data- attributes. ES5 and no module: it must run while <head> is read.
# It buffers the worker's events until calculator-client.js adopts the worker.
EARLY_INLINE = (
    "(function(){"
    "var s=document.currentScript,d=s&&s.dataset;"
    'if(!d||typeof Worker!=="function"||!/^https?:$/.test(location.protocol))return;'
    "try{"
    "var b=document.baseURI,"
    "i={indexURL:new URL(d.pyodideIndex,b).href,lockFileURL:new URL(d.pyodideLock,b).href,"
    "packages:[d.pyodidePackage]},"
    'w=new Worker(new URL(d.worker,b).href,{type:"module",name:"baclofen-calculators"}),'
    'q=[],k=["message","error","messageerror"],'
    "h=k.map(function(n){return function(e){"
    'if(n==="error")e.preventDefault();q.push({kind:n,event:e})}});'
    "k.forEach(function(n,j){w.addEventListener(n,h[j])});"
    f'w.postMessage({{type:"init",id:{EARLY_INIT_ID},indexURL:i.indexURL,'
    "lockFileURL:i.lockFileURL,packages:i.packages});"
    f"window.{EARLY_GLOBAL}={{worker:w,startedAt:performance.now(),init:i,"
    "adopt:function(){k.forEach(function(n,j){w.removeEventListener(n,h[j])});"
    "var r=q;q=[];return r}}"
    "}catch(e){}"
    "})();"
)
# The first calculator form's opening tag, and the attributes the early start needs from it.
_FORM = re.compile(r"<form\b[^>]*\bdata-calculator=\"[^\"]*\"[^>]*>")
_ATTRIBUTES = ("data-pyodide-index", "data-pyodide-lock", "data-pyodide-package")
_HEAD_END = "</head>"
_CHARSET = re.compile(r"<meta\s+charset=[^>]*>", re.IGNORECASE)


def _attribute(tag: str, name: str) -> str | None:
    found = re.search(rf"\b{name}=\"([^\"]*)\"", tag)
    return found.group(1) if found else None


def _form_values(html: str, where: str) -> dict[str, str] | None:
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
    return {name: value for name, value in values.items() if value}


def early_start_tags(html: str, script_href: str, where: str) -> str | None:
    """The ``<head>`` tags that start the worker early, or None for a page without a form."""
    values = _form_values(html, where)
    if values is None:
        return None
    # The values are already HTML-escaped attribute text: copied as they are.
    attrs = " ".join(f'{name}="{value}"' for name, value in values.items())
    return (
        f'<meta name="{META_NAME}" {attrs}>'
        f'<script type="module" async src="{escape(script_href)}"></script>'
    )


def early_inline_tag(html: str, worker_href: str, where: str) -> str | None:
    """The inline ``<script>`` that creates the worker at once, or None without a form."""
    values = _form_values(html, where)
    if values is None:
        return None
    attrs = " ".join(f'{name}="{value}"' for name, value in values.items())
    return f'<script data-worker="{escape(worker_href)}" {attrs}>{EARLY_INLINE}</script>'


# Before hooks_offline.py's on_post_page (priority 0): it hashes the inline scripts this
# adds for the Content-Security-Policy, and puts the policy before them.
@event_priority(50)
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
    inline = early_inline_tag(output, get_relative_url(WORKER_SCRIPT, page.url or "."), where)
    charset = _CHARSET.search(output)
    if inline is None or charset is None or charset.start() > output.index(_HEAD_END):
        raise SiteBuildError(f"{where}: no <meta charset> in <head> to start the worker after.")
    # The module last in <head>, not first: fetched first, it took a connection from the
    # render-blocking stylesheets and delayed the first paint by ~15% (docs/performance.md).
    output = output.replace(_HEAD_END, tags + _HEAD_END)
    # The inline script first (after the charset, which must stay within the first 1024
    # bytes): it costs no download, and the worker's own fetches start at once.
    return output[: charset.end()] + inline + output[charset.end() :]
