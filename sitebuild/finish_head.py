"""Each built page's ``<head>`` (the *finish* step, :mod:`sitebuild.finish`).

:func:`finish_page` edits one page:

- every page: ``<meta http-equiv="Content-Security-Policy">`` right after ``<meta charset>``
  (for hosts that send no policy header; filled in once the policy is known), the offline
  tags (``offline.css``; ``protocol.js``, a classic script, so it also runs from ``file://``:
  it marks ``<html class="is-file">`` and puts a "start the launcher" note before each
  calculator's output; ``register.js``, on http(s) only: registers ``sw.js``) and a name for
  Material's search dialog;
- a page with a calculator: the early start of the worker (:func:`early_tags`, below);
- a page without one: the search index's gate alone (:data:`SEARCH_GATE_TAG`).

The early start (see ``bench/README.md``): on a page with a calculator, :func:`early_tags`
gives

- right after ``<meta charset>``, an inline script (:data:`EARLY_INLINE`, one text for
  every page, so its CSP hash is one hash) that creates the module worker and sends it the
  init request at once, while the rest of ``<head>`` is still being read; the page's URLs
  are in its ``data-`` attributes. The same script holds back Material's request for the
  search index until the calculator has answered (:data:`SEARCH_GATE`);
- last in ``<head>``, ``<meta name="baclofen-calculators">`` naming the runtime, the lock file
  and the package, and the async module ``assets/js/calculators-early.js`` (the fallback
  start after the first paint, for a browser where the inline start did not happen).

The URLs come from the build description, made relative to the page; pages without a
calculator are left alone: nothing is loaded there that a reader might never need.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from sitebuild import SiteBuildError, names
from sitebuild.context import Page, relative_url
from sitebuild.finish_csp import CSP_META_TAG
from sitebuild.finish_offline import ASSETS
from sitebuild.stylesheets import link_bundle

if TYPE_CHECKING:
    from collections.abc import Callable

    from sitebuild.context import Build

# The names shared with the browser's scripts (sitebuild/names.json; protocol.js exports them).
EARLY_SCRIPT = names.EARLY_SCRIPT
CALCULATORS_SCRIPT = "assets/js/calculators.js"  # imported by page-scripts.js (mkdocs.yml)
WORKER_SCRIPT = names.WORKER_SCRIPT
WORKER_START_SCRIPT = names.WORKER_START_SCRIPT
WORKER_START_GLOBAL = names.WORKER_START_GLOBAL
META_NAME = names.RUNTIME_META
EARLY_GLOBAL = names.EARLY_GLOBAL
EARLY_INIT_ID = names.EARLY_INIT_ID
WORKER_NAME = names.WORKER_NAME
# calculators.js's announcement that the live calculator has settled (ENGINE_SETTLED).
ENGINE_SETTLED_EVENT = names.ENGINE_SETTLED_EVENT
ENGINE_SETTLED_ATTRIBUTE = names.ENGINE_SETTLED_ATTRIBUTE
# The longest the search index waits for the calculator (ms), for a page whose calculator
# never settles: the same wait as the offline copy's (register.js, ENGINE_WAIT_MAX_MS).
SEARCH_WAIT_MAX_MS = names.ENGINE_WAIT_MAX_MS
# The search index's path: Material for MkDocs' search/search_index.json, Zensical's search.json.
SEARCH_INDEX_PATH = r"\/search(\/search_index)?\.json$"


# The search index waits for the calculator. Material's bundle (and Zensical's) requests the
# whole search index with XMLHttpRequest as it starts, and its search worker builds the
# index from it at once: on a two-core machine that took the CPU from Python's start (a
# cold start 250-300 ms slower in the diagnosis of bench/README.md). On a page with a
# calculator, that request (same origin, SEARCH_INDEX_PATH) is sent only once the calculator
# has answered or is unavailable (ENGINE_SETTLED), once the reader moves to the search box
# (focus inside Material's form[name=search]: a click, a tap or a keyboard shortcut), or
# after SEARCH_WAIT_MAX_MS, whichever comes first. Every other request, and every request
# after that, is sent as it is (once released, open and send only check G).
def _search_gate(wait_max_ms: int | None) -> str:
    """The gate's ES5 text: release on the calculator's answer, on search focus, or in time."""
    timer = f"setTimeout(O,{wait_max_ms});" if wait_max_ms is not None else ""
    return (
        "var X=window.XMLHttpRequest,W=window.WeakMap,G=null,"
        "O=function(){if(G){var r=G;G=null;r()}};"
        'if(typeof X==="function"&&typeof W==="function"&&typeof Promise==="function"){'
        "var P=new Promise(function(r){G=r}),M=new W(),X0=X.prototype.open,X1=X.prototype.send;"
        f'document.addEventListener("{ENGINE_SETTLED_EVENT}",O);'
        'document.addEventListener("focusin",function(e){var t=e.target;'
        "if(t&&t.closest&&t.closest('form[name=\"search\"]'))O()},true);"
        f"{timer}"
        "X.prototype.open=function(m,l){"
        "if(G)try{var v=new URL(String(l),b);"
        f"M.set(this,v.origin===location.origin&&/{SEARCH_INDEX_PATH}/.test(v.pathname))"
        "}catch(e){}"
        "return X0.apply(this,arguments)};"
        "X.prototype.send=function(){var x=this,a=arguments;"
        f'if(G&&M.get(x)&&!document.documentElement.hasAttribute("{ENGINE_SETTLED_ATTRIBUTE}"))'
        "{P.then(function(){if(x.readyState===1)X1.apply(x,a)});return}"
        "return X1.apply(x,a)}}"
    )


SEARCH_GATE = _search_gate(SEARCH_WAIT_MAX_MS)
# On a page without a calculator the index waits for the reader alone (issue 27): Material
# requests all of it (86 KB, then an index built from it) on every page load, used or not,
# and on a phone that work competes with the page's first seconds. It is requested when the
# reader moves to the search box, or when a calculator the reader reached by instant
# navigation has answered. One text for every such page: one CSP hash.
SEARCH_GATE_ALONE = (
    "(function(){var b=document.baseURI;try{" + _search_gate(None) + "}catch(e){}})();"
)
SEARCH_GATE_TAG = f"<script>{SEARCH_GATE_ALONE}</script>"

# The one implementation of the worker's creation (dedicated, or shared where the browser
# keeps it across page loads), which calculator-client.js imports too: its text goes into the
# inline start below, from its first statement (its header comment stays in the file).
_WORKER_START_FILE = Path(__file__).resolve().parent.parent / "docs" / WORKER_START_SCRIPT


def _worker_start_source(path: Path = _WORKER_START_FILE) -> str:
    """``worker-start.js`` from its first statement (the IIFE) on, without its header."""
    text = path.read_text(encoding="utf-8")
    start = text.find("\n(function")
    if start < 0:
        raise SiteBuildError(f"{path}: expected its code to start with a line '(function'.")
    return text[start + 1 :].strip()


WORKER_START_SOURCE = _worker_start_source()

# The inline early start: one text for every page (its CSP hash is then one hash). ES5 and
# no module: it must run while <head> is read. It reads the runtime's URLs from the
# <meta name="baclofen-calculators"> just before it (the one place a page names them), the
# worker script's from its own data-worker, creates the worker with worker-start.js's
# function and sends it init at once. It buffers the worker's events until
# calculator-client.js adopts the worker.
EARLY_INLINE = (
    "(function(){"
    f'var s=document.currentScript,m=document.querySelector(\'meta[name="{META_NAME}"]\'),'
    "d=m&&m.dataset;"
    'if(!s||!d||typeof Worker!=="function"||!/^https?:$/.test(location.protocol))return;'
    "try{"
    "var b=document.baseURI,"
    "i={indexURL:new URL(d.pyodideIndex,b).href,lockFileURL:new URL(d.pyodideLock,b).href,"
    "packages:[d.pyodidePackage]},"
    "u=new URL(s.dataset.worker,b).href;\n"
    + WORKER_START_SOURCE
    + "\n"
    f'var t=window["{WORKER_START_GLOBAL}"](u,"{WORKER_NAME}",i.lockFileURL,false),'
    "w=t.worker,p=t.port,x=t.shared,"
    'q=[],k=["message","error","messageerror"],'
    "h=k.map(function(n){return function(e){"
    'if(n==="error")e.preventDefault();q.push({kind:n,event:e})}}),'
    'o=function(n){return n==="error"?w:p};'
    "k.forEach(function(n,j){o(n).addEventListener(n,h[j])});"
    "if(x)p.start();"
    f'p.postMessage({{type:"init",id:{EARLY_INIT_ID},indexURL:i.indexURL,'
    "lockFileURL:i.lockFileURL,packages:i.packages});"
    f"window.{EARLY_GLOBAL}={{worker:w,port:p,shared:x,startedAt:performance.now(),init:i,"
    "adopt:function(){k.forEach(function(n,j){o(n).removeEventListener(n,h[j])});"
    "var r=q;q=[];return r}};" + SEARCH_GATE + "}catch(e){}"
    "})();"
)


def early_tags(
    *, index: str, lock: str, package: str, worker: str, module: str, calculators: str
) -> tuple[str, str]:
    """``(start of head, end of head)`` tags for a page, from URLs relative to that page.

    The start: the runtime's ``<meta>`` (the page's one statement of where the runtime, the
    lock file and the package are; calculators-early.js and calculators.js read it too), then
    the inline early start. The end: the async module ``calculators-early.js``.
    """
    meta = (
        f'<meta name="{META_NAME}" data-pyodide-index="{escape(index)}" '
        f'data-pyodide-lock="{escape(lock)}" data-pyodide-package="{escape(package)}">'
    )
    inline = f'<script data-worker="{escape(worker)}">{EARLY_INLINE}</script>'
    # The module last in <head>, not first: fetched first, it took a connection from the
    # render-blocking stylesheets and delayed the first paint by ~15% (bench/README.md).
    # calculators.js is imported by page-scripts.js once the page is shown; preloaded here,
    # it is fetched as early as when every page named it (issue 27).
    tail = (
        f'<script type="module" async src="{escape(module)}"></script>'
        f'<link rel="modulepreload" href="{escape(calculators)}">'
    )
    return meta + inline, tail


# --- the offline tags -----------------------------------------------------------------------

# The scripts and styles every page loads from docs/assets/offline/. The stylesheet goes into
# the site's one stylesheet (sitebuild/stylesheets.py). Both scripts are deferred, in this
# order: protocol.js is a classic script (it must also run from file://, where Chrome
# refuses module scripts) but need not block the first paint (it does nothing over http).
HEAD_CSS = ("offline.css",)
HEAD_CLASSIC_SCRIPTS = ("protocol.js",)
HEAD_DEFERRED_SCRIPTS = ("register.js",)
# Loaded by register.js over http(s) only: Chrome logs a CORS error for any module script on
# a page opened as a file.
LOADED_BY_REGISTER = ("selftest.js",)

_CHARSET_META = re.compile(r"<meta\s+charset=[^>]*>", re.IGNORECASE)


def _add_head_tags(output: str, href: Callable[[str], str], where: str, *, css: bool = True) -> str:
    tags = [f'<link rel="stylesheet" href="{href(n)}">' for n in HEAD_CSS] if css else []
    tags += [
        f'<script src="{href(n)}" defer></script>'
        for n in HEAD_CLASSIC_SCRIPTS + HEAD_DEFERRED_SCRIPTS
    ]
    if output.count("</head>") != 1:
        raise SiteBuildError(
            f"{where}: expected one </head> to add the offline scripts to, found "
            f"{output.count('</head>')}."
        )
    output = output.replace("</head>", "".join(tags) + "</head>")
    # The policy must come before every script it governs: right after <meta charset>, which
    # must itself stay within the first 1024 bytes.
    charset = _CHARSET_META.search(output)
    if charset is None or charset.start() > output.index("</head>"):
        raise SiteBuildError(f"{where}: no <meta charset> in <head> to put the CSP <meta> after.")
    return output[: charset.end()] + CSP_META_TAG + output[charset.end() :]


# --- the page edit ----------------------------------------------------------------------------

# Material's search overlay is a `role="dialog"` with no accessible name (axe rule
# aria-dialog-name). Named here rather than by copying Material's whole template.
_SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
_SEARCH_DIALOG_NAMED = (
    '<div class="md-search" data-md-component="search" role="dialog" aria-label="Search">'
)


def html_path(url: str) -> str:
    """The file a page URL is served from: ``oral/`` -> ``oral/index.html``."""
    return f"{url}index.html" if url == "" or url.endswith("/") else url


def page_url_of(rel: str) -> str:
    """The URL a built HTML file answers: ``oral/index.html`` -> ``oral/``."""
    return rel.removesuffix("index.html") if rel.endswith("index.html") else rel


def _name_search_dialog(html: str, build: Build, where: str) -> str:
    if html.count(_SEARCH_DIALOG) == 1:
        return html.replace(_SEARCH_DIALOG, _SEARCH_DIALOG_NAMED)
    if build.data.get("theme") == "material" and build.data.get("generator") == "mkdocs":
        raise SiteBuildError(
            f"{where}: Material's search dialog markup changed; update _SEARCH_DIALOG in "
            "sitebuild/finish_head.py so the dialog keeps its accessible name."
        )
    return html


def _after_charset(html: str, tag: str, where: str) -> str:
    """``html`` with ``tag`` right after ``<meta charset>`` (before every script it governs)."""
    charset = _CHARSET_META.search(html)
    if charset is None or charset.start() > html.find("</head>"):
        raise SiteBuildError(f"{where}: no <meta charset> in <head> to put {tag[:40]}... after.")
    return html[: charset.end()] + tag + html[charset.end() :]


def _add_early_start(html: str, href: Callable[[str], str], build: Build, where: str) -> str:
    """``html`` (a page with a calculator) with the worker's early start (:func:`early_tags`)."""
    if "data-calculator=" not in html:
        raise SiteBuildError(
            f"{where}: the build description says this page holds a calculator, but the "
            "built page has no calculator form."
        )
    runtime = build.pyodide
    inline, tail = early_tags(
        index=href(runtime["index"]),
        lock=href(runtime["lock"]),
        package=runtime["package"],
        worker=href(WORKER_SCRIPT),
        module=href(EARLY_SCRIPT),
        calculators=href(CALCULATORS_SCRIPT),
    )
    if html.count("</head>") != 1:
        raise SiteBuildError(f"{where}: expected one </head>, found {html.count('</head>')}.")
    html = html.replace("</head>", tail + "</head>")
    return _after_charset(html, inline, where)


@dataclass(frozen=True)
class Styles:
    """The site's one stylesheet (:mod:`sitebuild.stylesheets`) and what it replaces."""

    bundle: str
    bundled: tuple[str, ...]


def finish_page(
    html: str,
    *,
    rel: str,
    build: Build,
    calculators: bool,
    offline: bool = True,
    styles: Styles | None = None,
) -> str:
    """``html`` (the built file ``rel``) with the offline tags, early start and CSP ``<meta>``.

    With ``styles``, the page links the site's one stylesheet instead of its parts. A page
    without a calculator gets the search index's gate alone (:data:`SEARCH_GATE_TAG`).
    ``404.html`` is served at any depth, so its URLs start from the site's root path.
    """
    where = f"{rel}"
    if rel == "404.html":
        base = urlsplit(build.data.get("site_url") or "/").path or "/"
        base = base if base.endswith("/") else base + "/"

        def href(target: str) -> str:
            return f"{base}{target}"
    else:
        page = Page(rel, page_url_of(rel))

        def href(target: str) -> str:
            return relative_url(target, page)

    html = _name_search_dialog(html, build, where)
    if calculators:
        html = _add_early_start(html, href, build, where)
    elif offline:
        html = _after_charset(html, SEARCH_GATE_TAG, where)
    if styles is not None:
        html = link_bundle(html, bundled=list(styles.bundled), bundle=styles.bundle, href=href)
    if not offline:
        return html
    return _add_head_tags(html, lambda name: href(f"{ASSETS}/{name}"), where, css=styles is None)
