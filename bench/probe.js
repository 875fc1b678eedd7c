// @ts-check
// Injected by bench/run.py into every page before any page script runs (Playwright's
// add_init_script). It only observes: every time is an epoch time in ms
// (performance.timeOrigin + performance.now()), so events from two documents compare.
(() => {
  const now = () => performance.timeOrigin + performance.now();
  /** @type {any} */
  const B = {
    doc: Math.random().toString(36).slice(2),
    timeOrigin: performance.timeOrigin,
    states: [],   // {t, form, state} each time an output's data-state is set
    posts: [],    // {t, id, type} each message the page posts to a worker
    replies: [],  // {t, id, type} each message a worker posts back
    workers: [],  // {t, url}
    longtasks: [],
    loafs: [],
  };
  Object.defineProperty(window, "__bench", { value: B });

  const formOf = (/** @type {Element} */ el) =>
    el.closest("form[data-calculator]")?.getAttribute("data-calculator") ?? "baseline";

  const observe = () => {
    new MutationObserver((records) => {
      const t = now();
      for (const r of records) {
        const el = /** @type {Element} */ (r.target);
        if (r.type === "attributes" && el.hasAttribute("data-calculator-output")) {
          B.states.push({ t, form: formOf(el), state: el.getAttribute("data-state") });
        }
      }
    }).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-state"] });
  };
  observe();

  const pick = (/** @type {any} */ data) =>
    data && typeof data === "object"
      ? { id: data.id ?? null, type: data.type ?? data.kind ?? data.op ?? null,
          ...(data.phases ? { phases: data.phases } : {}) }
      : { id: null, type: typeof data };

  const NativeWorker = window.Worker;
  window.Worker = class extends NativeWorker {
    /** @param {string | URL} url @param {WorkerOptions} [options] */
    constructor(url, options) {
      super(url, options);
      B.workers.push({ t: now(), url: String(url) });
      this.addEventListener("message", (event) => B.replies.push({ t: now(), ...pick(event.data) }));
    }
    /** @param {any} message @param {any} [transfer] */
    postMessage(message, transfer) {
      B.posts.push({ t: now(), ...pick(message) });
      return super.postMessage(message, transfer);
    }
  };

  // A shared worker (where the browser keeps it across page loads): the same records,
  // through its port. The feature check (a URL that cannot be parsed) throws in super().
  const NativeShared = window.SharedWorker;
  if (typeof NativeShared === "function") {
    window.SharedWorker = class extends NativeShared {
      /** @param {string | URL} url @param {any} [options] */
      constructor(url, options) {
        super(url, options);
        B.workers.push({ t: now(), url: String(url), shared: true });
        const port = this.port;
        port.addEventListener("message", (event) => B.replies.push({ t: now(), ...pick(event.data) }));
        const post = port.postMessage.bind(port);
        port.postMessage = (/** @type {any} */ message, /** @type {any} */ transfer) => {
          B.posts.push({ t: now(), ...pick(message) });
          return post(message, transfer);
        };
      }
    };
  }

  const attribution = (/** @type {any} */ e) =>
    (e.attribution ?? []).map((/** @type {any} */ a) => ({
      containerType: a.containerType, containerSrc: a.containerSrc, containerName: a.containerName,
    }));
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        B.longtasks.push({ start: B.timeOrigin + e.startTime, duration: e.duration, attribution: attribution(e) });
      }
    }).observe({ type: "longtask", buffered: true });
  } catch { B.longtasks = null; }
  try {
    new PerformanceObserver((list) => {
      for (const e of /** @type {any[]} */ (list.getEntries())) {
        B.loafs.push({
          start: B.timeOrigin + e.startTime, duration: e.duration, blocking: e.blockingDuration,
          scripts: e.scripts.map((/** @type {any} */ s) => ({
            start: B.timeOrigin + s.startTime, duration: s.duration, url: s.sourceURL,
            fn: s.sourceFunctionName, invoker: s.invoker, invokerType: s.invokerType,
          })),
        });
      }
    }).observe({ type: "long-animation-frame", buffered: true });
  } catch { B.loafs = null; }
})();
