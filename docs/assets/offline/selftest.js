// @ts-check
/**
 * The self-test page: is this copy of the site complete, and do its calculators give, in this
 * browser, the answers they gave on CPython when the site was built?
 *
 * Loaded as a module on every page (by the build's finish step, sitebuild/finish_head.py) and idle unless the page
 * holds a `[data-selftest]` element; with Material's instant navigation it runs again each
 * time the self-test page is shown (Material's `document$`).
 *
 * Parts, each timed:
 * 1. files: every file in assets/offline/manifest.json is fetched from the server (past the
 *    service worker's cache, with `cache: "no-store"`) and its size and SHA-256 compared with
 *    the build's, in a module worker (selftest-files.js), so that the page stays responsive;
 *    skipped, and said so, when the server cannot be reached at all;
 * 2. offline copy: what the service worker has stored in this browser (it stores a file only
 *    once its length and SHA-256 are the build's; a copy it refused is reported here);
 * 3. Python: Pyodide starts through the calculators' own client (calculator-client.js);
 * 4. calculators: every known-answer case in assets/offline/selftest-cases.json is run in the
 *    browser and its result (or its input errors) compared with the build's, exactly.
 *
 * State for tests: `data-selftest-state` on the container: "running", then "pass" or "fail".
 */

/**
 * @typedef {{path: string, bytes: number, sha256: string}} FileEntry
 * @typedef {{
 *   cache_name: string, version: string, files: FileEntry[], selftest_cases: string,
 *   pyodide: {index: string, lock: string, package: string} | null
 * }} Manifest
 * @typedef {{calculator: string, case: string, inputs: Record<string, string>, ok: boolean,
 *   result?: unknown, error?: unknown}} Case
 * @typedef {{part: string, check: string, outcome: "pass" | "fail" | "skip", ms: number | null,
 *   details: string}} Row
 * @typedef {{problems: string[], bytes: number, unreachable: number, canHash: boolean}} FilesResult
 */

const SITE_ROOT = new URL("../../", import.meta.url);

/** @type {WeakSet<Element>} containers already started in this document */
const started = new WeakSet();

/** @param {number} ms */
function seconds(ms) {
  return `${(ms / 1000).toFixed(2)} s`;
}

/** @param {number} bytes */
function megabytes(bytes) {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/**
 * JSON with sorted keys: two values are equal exactly when these strings are.
 * @param {unknown} value
 * @returns {string}
 */
function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const object = /** @type {Record<string, unknown>} */ (value);
    const keys = Object.keys(object).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(object[k])}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * Where two JSON values first differ, as a path and both values; "" if equal.
 * @param {unknown} expected
 * @param {unknown} actual
 * @param {string} [path]
 * @returns {string}
 */
function firstDifference(expected, actual, path = "") {
  if (canonical(expected) === canonical(actual)) return "";
  if (expected && actual && typeof expected === "object" && typeof actual === "object") {
    const e = /** @type {Record<string, unknown>} */ (expected);
    const a = /** @type {Record<string, unknown>} */ (actual);
    for (const key of new Set([...Object.keys(e), ...Object.keys(a)])) {
      const found = firstDifference(e[key], a[key], `${path}/${key}`);
      if (found) return found;
    }
  }
  return `${path || "/"}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
}

/**
 * Fetches and hashes the files in a module worker (selftest-files.js): the page's thread
 * stays free while about 9 MB is read and hashed.
 * @param {FileEntry[]} files
 * @returns {Promise<FilesResult>}
 */
function inWorker(files) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./selftest-files.js", import.meta.url), { type: "module", name: "selftest-files" });
    worker.addEventListener("message", (event) => {
      worker.terminate();
      resolve(/** @type {FilesResult} */ (event.data));
    });
    worker.addEventListener("error", (event) => {
      worker.terminate();
      reject(new Error(`the file check's worker failed: ${event.message || "it could not start"}`));
    });
    worker.postMessage({ files, root: SITE_ROOT.href });
  });
}

/**
 * Part 1: every file of the build, on the server, byte for byte.
 * @param {Manifest} manifest
 * @returns {Promise<Row>}
 */
async function checkFiles(manifest) {
  const t0 = performance.now();
  /** @type {FilesResult} */
  let result;
  try {
    result = await inWorker(manifest.files);
  } catch (error) {
    return { part: "Files", check: `${manifest.files.length} files of the build are on the server`, outcome: "fail", ms: performance.now() - t0, details: String(error) };
  }
  const { problems, bytes, unreachable, canHash } = result;
  if (unreachable === manifest.files.length) {
    // No answer at all: the network or the launcher is gone. Not a damaged copy; the rows
    // below still check this browser's offline copy and the calculators.
    return {
      part: "Files",
      check: `${manifest.files.length} files of the build are on the server`,
      outcome: "skip",
      ms: performance.now() - t0,
      details: "The server cannot be reached (offline, or the launcher stopped), so the files on it were not checked.",
    };
  }
  const how = canHash ? "size and SHA-256" : "size only (this page is not a secure context, so the browser offers no SHA-256)";
  return {
    part: "Files",
    check: `${manifest.files.length} files of the build are on the server (${how})`,
    outcome: problems.length ? "fail" : "pass",
    ms: performance.now() - t0,
    details: problems.length
      ? `${problems.length} problem(s):\n${problems.slice(0, 20).join("\n")}`
      : `${megabytes(bytes)} checked`,
  };
}

/** How long the self-test waits for a service worker's install to finish. */
const INSTALL_WAIT_MS = 120_000;

/**
 * Resolves once the worker is installed, activated or redundant (its install failed), or
 * after INSTALL_WAIT_MS; then a moment more, for its last message to the page to arrive.
 * @param {ServiceWorker} worker
 * @returns {Promise<void>}
 */
function settled(worker) {
  return new Promise((resolve) => {
    const done = () => setTimeout(resolve, 250);
    const check = () => {
      if (worker.state !== "installing" && worker.state !== "parsed") done();
      else return false;
      return true;
    };
    if (check()) return;
    worker.addEventListener("statechange", check);
    setTimeout(resolve, INSTALL_WAIT_MS);
  });
}

/**
 * Part 2: the copy stored in this browser by the service worker.
 * @param {Manifest} manifest
 * @returns {Promise<Row>}
 */
async function checkOfflineCopy(manifest) {
  const t0 = performance.now();
  const part = "Offline copy";
  const check = "every file is stored in this browser for use without a network";
  if (!("serviceWorker" in navigator) || !window.isSecureContext) {
    return {
      part, check, outcome: "skip", ms: null,
      details: "This browser offers no service worker here (they need https or 127.0.0.1/localhost).",
    };
  }
  const registration = await navigator.serviceWorker.getRegistration(SITE_ROOT.href);
  // An install under way (a first visit, or a retry after a failed one): wait for its outcome,
  // a bounded time, so that a refused copy is reported here rather than "still installing".
  if (registration && registration.installing) await settled(registration.installing);
  // Set by register.js when the service worker could not store this release intact (each
  // file's length and SHA-256 are checked before it is stored).
  const refused = document.documentElement.getAttribute("data-offline-error");
  if (refused) {
    return { part, check, outcome: "fail", ms: performance.now() - t0, details: refused };
  }
  if (!registration || !registration.active) {
    return {
      part, check, outcome: "skip", ms: performance.now() - t0,
      details: "Not stored yet: the service worker is still installing. Reload this page in a minute.",
    };
  }
  const active = registration.active;
  const { SW_MESSAGE } = await import("../js/protocol.js");
  /** @type {{cache: string, cached: number, total: number, complete: boolean}} */
  const status = await new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = (event) => resolve(event.data);
    active.postMessage({ type: SW_MESSAGE.precacheStatus }, [channel.port2]);
  });
  const current = status.cache === manifest.cache_name;
  return {
    part, check,
    outcome: status.complete && current ? "pass" : current ? "fail" : "skip",
    ms: performance.now() - t0,
    details: current
      ? `${status.cached} of ${status.total} files in cache ${status.cache}`
      : `This browser holds another release (${status.cache}); it updates on the next reload.`,
  };
}

/**
 * Parts 3 and 4: start Pyodide, then run every known-answer case.
 * @param {Manifest} manifest
 * @param {Case[]} cases
 * @param {(row: Row) => void} report
 */
async function checkCalculators(manifest, cases, report) {
  const t0 = performance.now();
  if (!manifest.pyodide) {
    report({
      part: "Python", check: "Pyodide starts and imports the calculators", outcome: "fail", ms: null,
      details: "The build's manifest names no Pyodide runtime or calculators wheel.",
    });
    return;
  }
  // Imported only here, so other pages never load it for the self-test; the same module URL
  // as the calculators' own script, so a visit shares one client (and one Pyodide).
  const { getClient } = await import("../js/calculator-client.js");
  const client = getClient({
    indexURL: new URL(manifest.pyodide.index, SITE_ROOT).href,
    lockFileURL: new URL(manifest.pyodide.lock, SITE_ROOT).href,
    packageName: manifest.pyodide.package,
  });
  let versions;
  try {
    versions = await client.ready;
  } catch (error) {
    report({
      part: "Python", check: "Pyodide starts and imports the calculators", outcome: "fail",
      ms: performance.now() - t0, details: String(error),
    });
    return;
  }
  report({
    part: "Python",
    check: "Pyodide starts and imports the calculators",
    outcome: versions.calculators === manifest.version ? "pass" : "fail",
    ms: performance.now() - t0,
    details:
      `Pyodide ${versions.pyodide}, Python ${versions.python}, calculators ${versions.calculators}` +
      (versions.calculators === manifest.version ? "" : ` (the build is ${manifest.version})`),
  });
  for (const item of cases) {
    const t1 = performance.now();
    const check = `${item.calculator}: ${item.case}`;
    try {
      const reply = await client.run(item.calculator, item.inputs, "../references/");
      const expected = item.ok ? { ok: true, result: item.result } : { ok: false, error: item.error };
      const actual = reply.ok ? { ok: true, result: reply.result } : { ok: false, error: reply.error };
      const difference = firstDifference(expected, actual);
      report({
        part: "Calculators", check, outcome: difference ? "fail" : "pass",
        ms: performance.now() - t1,
        details: difference || (item.ok ? "same result as on CPython at build time" : "same input errors as on CPython at build time"),
      });
    } catch (error) {
      report({ part: "Calculators", check, outcome: "fail", ms: performance.now() - t1, details: String(error) });
    }
  }
}

/**
 * @param {HTMLElement} container
 */
async function run(container) {
  const t0 = performance.now();
  container.dataset.selftestState = "running";
  container.replaceChildren();
  const summary = document.createElement("p");
  summary.className = "selftest-summary";
  summary.setAttribute("role", "status");
  summary.textContent = "Running…";
  const table = document.createElement("table");
  table.className = "selftest-table";
  const head = table.createTHead().insertRow();
  for (const label of ["Part", "Check", "Result", "Time", "Details"]) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = label;
    head.append(th);
  }
  const body = table.createTBody();
  const again = document.createElement("button");
  again.type = "button";
  again.className = "md-button";
  again.textContent = "Run the self-test again";
  again.disabled = true;
  again.addEventListener("click", () => run(container));
  // The five columns are wider than a phone (486 px at 375, QA D11): the table scrolls in its
  // own box, a named region a keyboard can reach, and the page itself never scrolls sideways.
  const scroller = document.createElement("div");
  scroller.className = "selftest-scroll";
  scroller.tabIndex = 0;
  scroller.setAttribute("role", "region");
  scroller.setAttribute("aria-label", "Self-test results (scrolls sideways)");
  scroller.append(table);
  container.append(summary, scroller, again);

  /** @type {Row[]} */
  const rows = [];
  /** @param {Row} row */
  function report(row) {
    rows.push(row);
    const tr = body.insertRow();
    tr.dataset.outcome = row.outcome;
    for (const [i, text] of [row.part, row.check, row.outcome, row.ms === null ? "–" : seconds(row.ms), row.details].entries()) {
      const td = tr.insertCell();
      td.textContent = text;
      if (i === 2) td.className = `selftest-${row.outcome}`;
      if (i === 4) td.className = "selftest-details";
    }
  }

  try {
    // Through the service worker (network first, its copy when offline): the self-test also
    // works in a room without network, on what this browser stored.
    // Imported here, not at the top: this module loads on every page and is idle on all but one.
    const { MANIFEST_PATH } = await import("../js/protocol.js");
    const manifest = /** @type {Manifest} */ (
      await (await fetch(new URL(MANIFEST_PATH, SITE_ROOT))).json()
    );
    const cases = /** @type {Case[]} */ (
      await (await fetch(new URL(manifest.selftest_cases, SITE_ROOT))).json()
    );
    report(await checkFiles(manifest));
    report(await checkOfflineCopy(manifest));
    await checkCalculators(manifest, cases, report);
  } catch (error) {
    report({ part: "Self-test", check: "read the build's manifest and known answers", outcome: "fail", ms: null, details: String(error) });
  }

  const failed = rows.filter((r) => r.outcome === "fail").length;
  const passed = rows.filter((r) => r.outcome === "pass").length;
  const skipped = rows.length - failed - passed;
  summary.textContent =
    `${failed ? "FAILED" : "All checks passed"}: ${passed} passed, ${failed} failed` +
    (skipped ? `, ${skipped} skipped` : "") + ` in ${seconds(performance.now() - t0)}.`;
  container.dataset.selftestState = failed ? "fail" : "pass";
  again.disabled = false;
}

function maybeRun() {
  for (const element of document.querySelectorAll("[data-selftest]")) {
    const container = /** @type {HTMLElement} */ (element);
    if (started.has(container)) continue;
    started.add(container);
    run(container);
  }
}

// Material's instant navigation swaps the page without reloading modules; document$ emits
// for every page shown (the first one included). Without Material, run once.
const documentStream = /** @type {{subscribe?: (fn: () => void) => unknown} | undefined} */ (
  /** @type {any} */ (window).document$
);
if (documentStream && typeof documentStream.subscribe === "function") {
  documentStream.subscribe(maybeRun);
} else {
  maybeRun();
}
