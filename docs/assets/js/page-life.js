// @ts-check
/**
 * When the page scripts (calculators.js, teaching.js) do their work: on every page shown
 * (`onEveryPage`, the one place they learn of one), and in turns that let the page paint
 * (`yieldToPage`).
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

/** Let the browser paint and handle input before the next piece of work. */
export function yieldToPage() {
  const scheduler = /** @type {any} */ (globalThis).scheduler;
  if (scheduler && typeof scheduler.yield === "function") return scheduler.yield();
  return new Promise((resolve) => setTimeout(resolve, 0));
}
