// @ts-check
/**
 * The one module every page loads (mkdocs.yml extra_javascript). It imports the calculators'
 * script on the first page shown that has a calculator form, and the teaching cases' script
 * on the first that has a case set; other pages load neither.
 *
 * Why (issue 27): every page loaded both, used or not, and once they were split into smaller
 * modules (issue 28) a short page made 31 requests instead of 24 and lost about 200 ms of
 * blocking time on a simulated phone (bench/README.md). Instant navigation shows later pages
 * without loading their scripts, so the check runs on every page shown (page-life.js); each
 * script, once imported, binds the page it arrived on through the same `document$`, which
 * replays the page shown last. Pages with a calculator also preload the calculators' module
 * (sitebuild/finish_head.py), so it is not fetched later than before.
 */
import { onEveryPage } from "./page-life.js";

/** @type {ReadonlyArray<[selector: string, load: () => Promise<unknown>]>} */
const NEEDS = [
  ["form[data-calculator]", () => import("./calculators.js")],
  [".case-set[data-case-set]", () => import("./teaching.js")],
];
/** @type {Set<string>} */
const imported = new Set();

onEveryPage((root) => {
  for (const [selector, load] of NEEDS) {
    if (imported.has(selector) || !root.querySelector(selector)) continue;
    imported.add(selector);
    load().catch((error) => {
      // The page stays as built (static results, answers in the key); a later page retries.
      imported.delete(selector);
      console.error(`page-scripts: could not load the script for ${selector}`, error);
    });
  }
});
