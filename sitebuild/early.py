"""The early start of the calculators' worker (the *finish* step; see ``bench/README.md``).

On a page with a calculator, :func:`early_tags` gives what goes into ``<head>``:

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

from html import escape

EARLY_SCRIPT = "assets/js/calculators-early.js"
WORKER_SCRIPT = "assets/js/calculator-worker.js"
META_NAME = "baclofen-calculators"
# assets/js/protocol.js: EARLY_GLOBAL, EARLY_INIT_ID and the init request's fields.
EARLY_GLOBAL = "__baclofenEarlyWorker"
EARLY_INIT_ID = 0
# calculator-client.js: WORKER_NAME (a shared worker's name adds the lock file's URL).
WORKER_NAME = "baclofen-calculators"

# calculators.js's announcement that the live calculator has settled (protocol.js,
# ENGINE_SETTLED; tests/site/test_protocol.py checks the spelling).
ENGINE_SETTLED_EVENT = "calculators:engine-settled"
ENGINE_SETTLED_ATTRIBUTE = "data-calculators-engine"
# The longest the search index waits for the calculator (ms): the site's own choice, the
# same as register.js's ENGINE_WAIT_MAX_MS, for a page whose calculator never settles.
SEARCH_WAIT_MAX_MS = 30_000
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

# The inline early start: one text for every page (its CSP hash is then one hash), the
# page's URLs in its data- attributes. ES5 and no module: it must run while <head> is read.
# It buffers the worker's events until calculator-client.js adopts the worker.
#
# Where the browser keeps a shared worker alive across page loads (SharedWorker's
# extendedLifetime option, detected by whether the constructor reads it: a URL that cannot
# be parsed then stops the constructor before any worker or request exists), the worker is
# a shared one, named by the build's lock file, so that the next page of the same build
# finds Python already running; elsewhere a dedicated worker, as calculator-client.js
# does (sharedWorkerName, extendedLifetimeSupported: the same rules, kept in step by
# tests/site/test_finish_page.py).
EARLY_INLINE = (
    "(function(){"
    "var s=document.currentScript,d=s&&s.dataset;"
    'if(!d||typeof Worker!=="function"||!/^https?:$/.test(location.protocol))return;'
    "try{"
    "var b=document.baseURI,"
    "i={indexURL:new URL(d.pyodideIndex,b).href,lockFileURL:new URL(d.pyodideLock,b).href,"
    "packages:[d.pyodidePackage]},"
    "u=new URL(d.worker,b).href,S=window.SharedWorker,x=false;"
    'if(typeof S==="function")'
    'try{new S("http://",{get extendedLifetime(){x=true;return true}})}catch(e){}'
    f'var w=x?new S(u,{{type:"module",name:"{WORKER_NAME} "+i.lockFileURL,extendedLifetime:true}})'
    f':new Worker(u,{{type:"module",name:"{WORKER_NAME}"}}),'
    'p=x?w.port:w,q=[],k=["message","error","messageerror"],'
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


def early_tags(*, index: str, lock: str, package: str, worker: str, module: str) -> tuple[str, str]:
    """``(inline start, end of head)`` tags for a page, from URLs relative to that page."""
    attrs = (
        f'data-pyodide-index="{escape(index)}" data-pyodide-lock="{escape(lock)}" '
        f'data-pyodide-package="{escape(package)}"'
    )
    inline = f'<script data-worker="{escape(worker)}" {attrs}>{EARLY_INLINE}</script>'
    # The module last in <head>, not first: fetched first, it took a connection from the
    # render-blocking stylesheets and delayed the first paint by ~15% (bench/README.md).
    tail = (
        f'<meta name="{META_NAME}" {attrs}>'
        f'<script type="module" async src="{escape(module)}"></script>'
    )
    return inline, tail
