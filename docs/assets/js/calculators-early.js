// @ts-check
/**
 * Start the calculators' worker as soon as the page has painted, not after it has loaded.
 *
 * calculators.js binds the forms once the page is parsed and Material has set up (its
 * document$); starting Pyodide only then leaves the worker idle for the first few hundred
 * ms of every visit. sitebuild/hooks_perf.py puts this module (async) and a
 * <meta name="baclofen-calculators"> naming the runtime into the <head> of each page with
 * a calculator. It creates the one client (calculator-client.js keeps one per visit) right
 * after the first contentful paint, so the forms bound later find Pyodide on its way.
 *
 * Why after the paint and not at once: on a two-core machine the worker's downloads and
 * WebAssembly compilation take CPU from the page's first render, and the text of the page
 * matters more than the calculator (docs/performance.md has the numbers). If the page never
 * paints (a background tab), calculators.js starts the client when it binds the forms.
 */

import { getClient } from "./calculator-client.js";

function start() {
  const meta = document.querySelector('meta[name="baclofen-calculators"]');
  if (!(meta instanceof HTMLMetaElement) || typeof Worker === "undefined") return;
  const { pyodideIndex, pyodideLock, pyodidePackage } = meta.dataset;
  if (!pyodideIndex || !pyodideLock || !pyodidePackage) return;
  const client = getClient({
    indexURL: new URL(pyodideIndex, document.baseURI).href,
    lockFileURL: new URL(pyodideLock, document.baseURI).href,
    packageName: pyodidePackage,
  });
  // A failed start is reported by calculators.js, next to each form, when it binds them.
  client.ready.catch(() => {});
}

if (performance.getEntriesByName("first-contentful-paint").length > 0) {
  start();
} else {
  new PerformanceObserver((list, observer) => {
    if (list.getEntriesByName("first-contentful-paint").length > 0) {
      observer.disconnect();
      start();
    }
  }).observe({ type: "paint", buffered: true });
}
