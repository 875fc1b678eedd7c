"""The early start of the calculators' worker (the *finish* step; see ``docs/performance.md``).

On a page with a calculator, :func:`early_tags` gives what goes into ``<head>``:

- right after ``<meta charset>``, an inline script (:data:`EARLY_INLINE`, one text for
  every page, so its CSP hash is one hash) that creates the module worker and sends it the
  init request at once, while the rest of ``<head>`` is still being read; the page's URLs
  are in its ``data-`` attributes;
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
    "var r=q;q=[];return r}}"
    "}catch(e){}"
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
    # render-blocking stylesheets and delayed the first paint by ~15% (docs/performance.md).
    tail = (
        f'<meta name="{META_NAME}" {attrs}>'
        f'<script type="module" async src="{escape(module)}"></script>'
    )
    return inline, tail
