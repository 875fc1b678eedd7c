// @ts-check
/**
 * Take over the calculators' worker as early as this module can run.
 *
 * The build's finish step (sitebuild/finish_head.py) puts into the <head> of each page with
 * a calculator: first, <meta name="baclofen-calculators"> naming the runtime and an inline
 * script that creates the worker and posts its `init` while <head> is still being read
 * (protocol.js, EARLY_GLOBAL); last, this module (async).
 *
 * - When the inline script ran, this module creates the one client at once
 *   (calculator-client.js keeps one per visit), which adopts that worker: its replies are
 *   handled from now on rather than when calculators.js binds the forms, after Material has
 *   set up.
 * - When it did not (a Content-Security-Policy without its hash, as on a host that sends a
 *   policy of its own), the client starts a worker right after the first contentful paint:
 *   on a two-core machine the worker's downloads and WebAssembly compilation would otherwise
 *   take CPU from the page's first render. If the page never paints (a background tab),
 *   calculators.js starts the client when it binds the forms.
 */

import { getClient, runtimeConfig } from "./calculator-client.js";
import { EARLY_GLOBAL } from "./protocol.js";

function start() {
  const config = runtimeConfig();
  if (config === null || typeof Worker === "undefined") return;
  const client = getClient(config);
  // A failed start is reported by calculators.js, next to each form, when it binds them.
  client.ready.catch(() => {});
}

if (EARLY_GLOBAL in window || performance.getEntriesByName("first-contentful-paint").length > 0) {
  start();
} else {
  new PerformanceObserver((list, observer) => {
    if (list.getEntriesByName("first-contentful-paint").length > 0) {
      observer.disconnect();
      start();
    }
  }).observe({ type: "paint", buffered: true });
}
