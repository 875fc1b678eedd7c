// @ts-check
/**
 * The one place the page scripts (calculators.js, teaching.js) learn that a page is shown.
 *
 * Material's instant navigation swaps the page content without reloading; its `document$`
 * emits after each swap, and once for the first page, so what a newly shown page holds gets
 * bound with the scripts (and the worker) already running. Without `document$` (another
 * theme, or Material's bundle not loaded), once, when the document is parsed.
 */

/**
 * Call `bind` with the document for every page shown in this visit.
 * @param {(root: Document) => unknown} bind
 */
export function onEveryPage(bind) {
  const documentObservable = /** @type {any} */ (window).document$;
  if (documentObservable && typeof documentObservable.subscribe === "function") {
    documentObservable.subscribe(() => bind(document));
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", () => bind(document));
  } else {
    bind(document);
  }
}
