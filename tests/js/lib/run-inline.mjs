// @ts-check
/**
 * Runs the inline early start (sitebuild/finish_head.py, EARLY_INLINE: its text in the file
 * named by the first argument) in a `vm` context standing in for a calculator page's <head>,
 * with the stand-in workers of fake-worker.mjs, and prints what it did as JSON. The second
 * argument picks the browser: "shared" (SharedWorker reads extendedLifetime), "dedicated"
 * (no SharedWorker), "no-meta" (a page without the runtime's <meta>); the third names the
 * handoff global (EARLY_GLOBAL).
 * Used by tests/site/test_finish_page.py.
 */
import { readFileSync } from "node:fs";
import vm from "node:vm";

import { FakeSharedWorker, FakeWorker } from "./fake-worker.mjs";

const [, , file, mode, earlyGlobal] = process.argv;
const meta =
  mode === "no-meta"
    ? null
    : {
        dataset: {
          pyodideIndex: "../assets/pyodide/1.0/",
          pyodideLock: "../assets/calculators/abc/pyodide-lock.json",
          pyodidePackage: "baclofen-calculators",
        },
      };
const document = {
  currentScript: { dataset: { worker: "../assets/js/calculator-worker.js" } },
  baseURI: "https://example.test/site/oral/",
  /** @param {string} selector */
  querySelector: (selector) => (selector.startsWith("meta[") ? meta : null),
  addEventListener() {},
  documentElement: { hasAttribute: () => false },
};
FakeWorker.created = [];
FakeSharedWorker.created = [];
FakeSharedWorker.readsExtendedLifetime = true;
/** @type {Record<string, unknown>} */
const page = { document, location: { protocol: "https:" }, Worker: FakeWorker, URL, performance, Promise, WeakMap };
if (mode === "shared") page.SharedWorker = FakeSharedWorker;
page.window = page;
page.self = page;
vm.createContext(page);
vm.runInContext(readFileSync(file, "utf-8"), page);
const early = /** @type {any} */ (page[earlyGlobal]);
process.stdout.write(
  JSON.stringify({
    dedicated: FakeWorker.created.map((w) => ({ url: w.url, options: w.options, posted: w.posted })),
    shared: FakeSharedWorker.created.map((w) => ({ url: w.url, options: w.options, posted: w.port.posted, started: w.port.started })),
    early: early ? { shared: early.shared, init: early.init } : null,
  }),
);
