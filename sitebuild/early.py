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
