// @ts-check
/**
 * Live calculators: binds each `form[data-calculator]` the build rendered to the one
 * Pyodide worker (calculator-client.js).
 *
 * Static first: the build already put the form and the result for its default values in
 * the page. This module only takes over when it runs; without it (JavaScript off, file://,
 * print) the page stays readable.
 *
 * DOM contract (tests and automation rely on it):
 * - `form[data-calculator="<id>"]`, inputs named exactly as the spec's fields;
 * - one `[data-calculator-output]` per form, whose `data-state` is `static` (the build's
 *   result), `loading` (the engine is starting), `ready` (a live result for the values in
 *   the form) or `error` (a value is invalid: each message is next to its field, and the
 *   last good result stays, marked `data-stale`);
 * - `data-result` on the output: the JSON of the result shown (calculators.calculate's dict);
 * - `aria-busy="true"` on the output while a recalculation is due or running, `"false"` once
 *   the latest values have been answered (what a test waits on; `data-state` alone cannot
 *   tell "ready" from "ready, about to change").
 *
 * The values are kept in the page URL's query (`?oral-titration.target_daily_mg=80`), so a
 * link reopens the same case; a form restores them on load.
 */

import { getClient, stats } from "./calculator-client.js";

/** Wait after the last keystroke before recalculating (a calculation takes ~1 ms; this
 * only keeps a half-typed "1" of "100" from flashing an error). */
const DEBOUNCE_MS = 150;

/** Sent for a number input the browser cannot read (`validity.badInput`, e.g. "1e"): its
 * value is then "" to scripts, and Python would otherwise report "required". */
const UNREADABLE_NUMBER = "not a number";

const STATUS = {
  loading: "Starting the live calculator (loading Python in this browser)… The result below is for the default values.",
  loadingStale: "Still starting the live calculator… The result below is for the default values, not the ones above.",
  ready: "Live: the result follows the values above as you change them.",
  /** @param {number} n */
  error: (n) =>
    `Not updated: ${n === 1 ? "one value needs" : `${n} values need`} attention (see the message next to it). ` +
    "The result below is for the last valid values.",
  /** @param {string} why @param {boolean} stale */
  failed: (why, stale) =>
    `The live calculator is not available (${why}). ` +
    (stale
      ? "The result below is for the default values, NOT the values above."
      : "The result below is for the default values above."),
};

/** `window.baclofenCalculators`: counters and timings for tests and the console. */
Object.assign(/** @type {any} */ (window), { baclofenCalculators: stats });

/**
 * @typedef {object} Bound
 * @property {HTMLFormElement} form
 * @property {string} id the calculator id
 * @property {HTMLElement} output
 * @property {HTMLElement} status
 * @property {HTMLElement} result
 * @property {number} seq the latest request's number; older replies are dropped
 * @property {number | undefined} timer
 * @property {boolean} touched the user changed a value (the URL then records them)
 * @property {string} text the plain-text result (calculators.present.to_text), when live
 * @property {boolean} failed the engine could not start
 * @property {string} why why it could not (shown in the status)
 */

/** @param {Bound} b @param {string} text */
function setStatus(b, text) {
  if (b.status.textContent !== text) b.status.textContent = text; // same text: no re-announcement
}

/** @param {HTMLFormElement} form */
function fieldControls(form) {
  return /** @type {(HTMLInputElement | HTMLSelectElement)[]} */ (
    Array.from(form.querySelectorAll(".calc-field [name]"))
  );
}

/**
 * The raw values, as typed: Python (calculators.spec) parses and validates them.
 * @param {HTMLFormElement} form
 * @returns {Record<string, string>}
 */
function readInputs(form) {
  /** @type {Record<string, string>} */
  const inputs = {};
  for (const control of fieldControls(form)) {
    let value = control.value;
    if (value === "" && control instanceof HTMLInputElement) {
      if (control.dataset.linkValue !== undefined) value = control.dataset.linkValue;
      else if (control.validity.badInput) value = UNREADABLE_NUMBER;
    }
    inputs[control.name] = value;
  }
  return inputs;
}

/**
 * Put the values a link carries into the form. A value the control cannot hold (a number
 * input given "abc", an option the select lacks) is kept, not dropped: it is sent to Python
 * as it was, so its message appears next to the field.
 * @param {Bound} b
 */
function restoreFromUrl(b) {
  const params = new URLSearchParams(window.location.search);
  for (const control of fieldControls(b.form)) {
    const key = `${b.id}.${control.name}`;
    if (!params.has(key)) continue;
    const value = /** @type {string} */ (params.get(key));
    control.value = value;
    if (control.value === value) continue;
    if (control instanceof HTMLSelectElement) {
      const option = document.createElement("option");
      option.value = value;
      option.textContent = `${value} (from the link)`;
      option.dataset.fromLink = "";
      control.append(option);
      control.value = value;
    } else {
      control.dataset.linkValue = value;
    }
  }
}

/** @param {Bound} b @param {Record<string, string>} inputs */
function writeUrl(b, inputs) {
  const url = new URL(window.location.href);
  for (const [name, value] of Object.entries(inputs)) url.searchParams.set(`${b.id}.${name}`, value);
  if (url.href !== window.location.href) {
    // Keep history.state: Material's instant navigation keeps its own data there.
    window.history.replaceState(window.history.state, "", url);
  }
}

/** @param {Bound} b @param {import("./calculator-client.js").FieldError[]} errors */
function showErrors(b, errors) {
  /** @type {Map<string, string[]>} */
  const byField = new Map();
  const known = new Set(fieldControls(b.form).map((c) => c.name));
  for (const { field, message } of errors) {
    const key = known.has(field) ? field : "";
    byField.set(key, [...(byField.get(key) ?? []), message]);
  }
  for (const slot of /** @type {NodeListOf<HTMLElement>} */ (b.form.querySelectorAll("[data-error-for]"))) {
    const field = slot.dataset.errorFor ?? "";
    const messages = byField.get(field) ?? [];
    const text = messages.join(" ");
    if (slot.textContent !== text) slot.textContent = text;
    if (field) {
      const control = b.form.querySelector(`[name="${CSS.escape(field)}"]`);
      if (messages.length) control?.setAttribute("aria-invalid", "true");
      else control?.removeAttribute("aria-invalid");
    }
  }
}

/** @param {Bound} b @param {import("./calculator-client.js").RunReply} reply */
function apply(b, reply) {
  b.output.setAttribute("aria-busy", "false");
  if (reply.ok) {
    showErrors(b, []);
    b.result.innerHTML = reply.html; // built by calculators.present.to_html, which escapes
    b.output.dataset.result = JSON.stringify(reply.result);
    b.text = reply.text;
    delete b.output.dataset.stale;
    b.output.dataset.state = "ready";
    setStatus(b, STATUS.ready);
    const csv = b.form.querySelector('[data-action="csv"]');
    if (csv instanceof HTMLElement) csv.hidden = !b.result.querySelector("table");
    if (stats.firstResultMs === null) stats.firstResultMs = performance.now();
  } else {
    const errors = reply.error.errors?.length
      ? reply.error.errors
      : [{ field: "", message: reply.error.message }];
    showErrors(b, errors);
    b.output.dataset.stale = "";
    b.output.dataset.state = "error";
    setStatus(b, STATUS.error(errors.length));
  }
}

/**
 * @param {Bound} b
 * @param {unknown} error
 * @param {boolean} startup the engine never became ready (else: one calculation failed)
 */
function engineFailed(b, error, startup) {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  console.error("[calculators]", b.id, message);
  b.output.setAttribute("aria-busy", "false");
  if (startup) {
    // The engine never started: back to the build's result, said plainly.
    b.failed = true;
    b.why = message.split("\n")[0].slice(0, 200);
    b.output.dataset.state = "static";
    b.output.dataset.live = "failed";
    if (b.touched) b.output.dataset.stale = "";
    setStatus(b, STATUS.failed(b.why, b.touched));
  } else {
    // The engine runs but this calculation broke (a bug, not bad input): say so by the form.
    showErrors(b, [{ field: "", message: `The calculation failed: ${message.split("\n").slice(-2).join(" ")}` }]);
    b.output.dataset.stale = "";
    b.output.dataset.state = "error";
    setStatus(b, STATUS.error(1));
  }
}

/** @param {Bound} b @param {import("./calculator-client.js").CalculatorClient} client */
function recalculate(b, client) {
  window.clearTimeout(b.timer);
  b.timer = undefined;
  const seq = ++b.seq;
  const inputs = readInputs(b.form);
  if (b.touched) writeUrl(b, inputs);
  client.run(b.id, inputs, b.form.dataset.refsHref ?? "").then(
    (reply) => {
      if (seq === b.seq && b.form.isConnected) apply(b, reply);
    },
    (error) => {
      if (seq === b.seq && b.form.isConnected) engineFailed(b, error, stats.versions === null);
    },
  );
}

/**
 * Plain text to the clipboard: the async API where it exists (secure contexts), else the
 * old selection route (a classroom server on plain http is not a secure context).
 * @param {string} text
 * @returns {Promise<void>}
 */
async function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return;
    } catch {
      // permission refused: fall through to the selection route
    }
  }
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.append(area);
  area.select();
  const ok = document.execCommand("copy");
  area.remove();
  if (!ok) throw new Error("the browser refused to copy");
}

/** @param {string} cell */
function csvCell(cell) {
  return /[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}

/**
 * The result's tables as CSV, exactly as shown (headers carry the units).
 * @param {HTMLElement} result
 */
export function tablesToCsv(result) {
  /** @type {string[]} */
  const lines = [];
  for (const figure of result.querySelectorAll("figure.calc-table")) {
    const caption = figure.querySelector("figcaption")?.textContent?.trim() ?? "";
    if (lines.length) lines.push("");
    if (caption) lines.push(csvCell(caption));
    for (const row of figure.querySelectorAll("tr")) {
      const cells = Array.from(row.querySelectorAll("th, td"), (c) => csvCell((c.textContent ?? "").trim()));
      lines.push(cells.join(","));
    }
  }
  return lines.join("\r\n") + "\r\n";
}

/** @param {string} name @param {string} text */
function download(name, text) {
  const url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** Briefly show what a button did, in the button itself (and to screen readers via the status).
 * @param {HTMLElement} button @param {string} text */
function flash(button, text) {
  const original = button.dataset.label ?? button.textContent ?? "";
  button.dataset.label = original;
  button.textContent = text;
  window.setTimeout(() => {
    button.textContent = original;
  }, 2000);
}

/** @param {Bound} b */
function bindActions(b) {
  const actions = b.form.querySelector("[data-calculator-actions]");
  if (!(actions instanceof HTMLElement)) return;
  actions.hidden = false;
  actions.addEventListener("click", (event) => {
    const button = event.target instanceof Element ? event.target.closest("button[data-action]") : null;
    if (!(button instanceof HTMLButtonElement)) return;
    const action = button.dataset.action;
    if (action === "copy") {
      const text = b.output.dataset.state === "ready" && b.text ? b.text : (b.result.innerText ?? "");
      copyText(text).then(() => flash(button, "Copied"), (e) => flash(button, `Not copied: ${e.message}`));
    } else if (action === "csv") {
      download(`${b.id}.csv`, tablesToCsv(b.result));
    } else if (action === "link") {
      writeUrl(b, readInputs(b.form));
      copyText(window.location.href).then(() => flash(button, "Link copied"), (e) => flash(button, `Not copied: ${e.message}`));
    } else if (action === "print") {
      window.print();
    }
  });
}

/**
 * Resolve a URL the build wrote relative to the page.
 * @param {string | undefined} relative
 */
function absolute(relative) {
  return relative ? new URL(relative, document.baseURI).href : "";
}

/** @param {HTMLFormElement} form */
function bind(form) {
  if (form.dataset.live) return; // already bound (document$ may emit for the same page)
  const output = form.querySelector("[data-calculator-output]");
  const status = output?.querySelector("[data-calculator-status]");
  const result = output?.querySelector("[data-calculator-result]");
  const id = form.dataset.calculator ?? "";
  if (!(output instanceof HTMLElement) || !(status instanceof HTMLElement) || !(result instanceof HTMLElement)) {
    console.error("[calculators]", id, "form has no output element; left static");
    return;
  }
  form.dataset.live = "bound";
  /** @type {Bound} */
  const b = { form, id, output, status, result, seq: 0, timer: undefined, touched: false, text: "", failed: false, why: "" };

  const index = absolute(form.dataset.pyodideIndex);
  const lock = absolute(form.dataset.pyodideLock);
  const packageName = form.dataset.pyodidePackage ?? "";
  if (!index || !lock || !packageName || typeof Worker === "undefined") {
    engineFailed(b, new Error(typeof Worker === "undefined" ? "this browser has no Web Workers" : "the page names no Pyodide runtime"), true);
    form.addEventListener("input", () => {
      b.touched = true;
      b.output.dataset.stale = "";
      setStatus(b, STATUS.failed(b.why, true));
    });
    return;
  }
  const client = getClient({ indexURL: index, lockFileURL: lock, packageName });

  restoreFromUrl(b);
  output.setAttribute("aria-busy", "true");
  output.dataset.state = "loading";
  setStatus(b, STATUS.loading);
  bindActions(b);

  const changed = (/** @type {Event} */ event) => {
    const target = event.target;
    if (target instanceof HTMLInputElement) delete target.dataset.linkValue;
    b.touched = true;
    if (b.failed) {
      b.output.dataset.stale = "";
      setStatus(b, STATUS.failed(b.why, true));
      return;
    }
    b.output.setAttribute("aria-busy", "true");
    if (b.output.dataset.state === "loading") {
      b.output.dataset.stale = "";
      setStatus(b, STATUS.loadingStale);
    }
    window.clearTimeout(b.timer);
    b.timer = window.setTimeout(() => recalculate(b, client), DEBOUNCE_MS);
  };
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", (event) => {
    event.preventDefault(); // Enter recalculates now instead of reloading the page
    recalculate(b, client);
  });
  recalculate(b, client);
}

/** @param {ParentNode} root */
function bindAll(root) {
  for (const form of root.querySelectorAll("form[data-calculator]")) {
    if (form instanceof HTMLFormElement) bind(form);
  }
}

// Material's instant navigation swaps the page content without reloading; document$
// emits after each swap (and once for the first page), so newly shown forms go live with
// the same worker. Without Material, bind once.
const documentObservable = /** @type {any} */ (window).document$;
if (documentObservable && typeof documentObservable.subscribe === "function") {
  documentObservable.subscribe(() => bindAll(document));
} else if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", () => bindAll(document));
} else {
  bindAll(document);
}
