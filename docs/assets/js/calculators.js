// @ts-check
/**
 * Live calculators: binds each `form[data-calculator]` the build rendered to the one
 * Pyodide worker (calculator-client.js).
 *
 * Static first: the build already put the form and the result for its default values in
 * the page. This module only takes over when it runs; without it (JavaScript off, file://,
 * print) the page stays readable.
 *
 * This module binds the forms and keeps each result in step with its form (latest input
 * wins, below). What the output says and when is calculator-status.js; the fields, labels,
 * messages and a link's values calculator-form.js; Copy, CSV, link and Print
 * calculator-actions.js.
 *
 * DOM contract (tests and automation rely on it):
 * - `fieldset[data-until-live]`: the build renders the fields disabled; binding enables them
 *   (with JavaScript off they stay disabled, under a <noscript> note: QA D22);
 * - `form[data-calculator="<id>"]`, inputs named exactly as the spec's fields; number
 *   fields are text inputs, and what is typed is sent to Python as it is (calculators.spec
 *   parses it: one rule, in one place);
 * - one `[data-calculator-output]` per form, whose `data-state` is `static` (the build's
 *   result), `loading` (the engine is starting, or starting again), `ready` (a live result
 *   for the values in the form) or `error` (a value is invalid: each message is next to its
 *   field, and the last good result stays, marked `data-stale`);
 * - `data-stale` on the output whenever the result shown is not for the values in the form;
 * - `data-live="failed"` on the output once the live calculator is unavailable (it did not
 *   start, or its worker was lost twice): the status says why and what the result is for;
 * - `data-result` on the output: the JSON of the result shown (calculators.calculate's dict);
 * - `aria-busy="true"` on the output while a recalculation is due or running, `"false"` once
 *   the latest values have been answered or cannot be (what a test waits on; `data-state`
 *   alone cannot tell "ready" from "ready, about to change"); a recalculation still due after
 *   UPDATING_MS marks the result `data-stale` and the status says "Updating…";
 * - "Copy result" and "Download CSV" are `disabled` while the result is not for the form's
 *   values or not a live one, "Print" while it is not for the form's values, with the reason
 *   in `[data-actions-note]`; what they hand over starts with what the result is for (the
 *   link, the site's version, when it was computed, each value as typed). "Print" prints
 *   that calculator alone, on one page (print-sheet.js).
 *
 * The values are kept in the page URL's query (`?oral-titration.target_daily_mg=80`), so a
 * link reopens the same case; a form restores them on load, each into its field as text,
 * as if typed. A link can only set values: one a field cannot hold (an option the select
 * does not have, a date the date input refuses) is sent to Python as the link gave it, and
 * Python's message appears by the field; a field given twice with different values is an
 * error; a key naming no field of the calculator is reported and ignored.
 */

import { bindActions, printRefusal, printSource, updateActions, writePrintHeader } from "./calculator-actions.js";
import {
  getClient,
  restartClient,
  runtimeConfig,
  stats,
  STARTUP_SLOW_MS,
  StartupError,
  WorkerLostError,
} from "./calculator-client.js";
import {
  applySeparator,
  lookUpSeparator,
  noteStrayKeys,
  readInputs,
  restoreFromUrl,
  shown,
  showErrors,
  writeUrl,
} from "./calculator-form.js";
import { bindGroups, bindPrintCard, restoreGroupCounts, showCardButtons } from "./calculator-groups.js";
import { next } from "./calculator-status.js";
import { onEveryPage, yieldToPage } from "./page-life.js";
import { ENGINE_SETTLED } from "./protocol.js";

/* Recalculation is latest-input-wins, not debounced: each input is sent at once when no
 * request of its form is in flight; otherwise it waits for that one, whose answer is then
 * shown only if it is still for the values in the form (else the form's values are sent
 * instead). A calculation takes a few ms, so a result follows the keys; and the page never
 * puts up a result for values other than those it shows. */

/**
 * A result still behind the form's values after this long is marked stale ("Updating…"). A
 * calculation takes a few ms, so only a slow or lost worker gets there; before, a worker
 * lost without an error left "Live" over the old result until its 5 s deadline (QA D8).
 */
const UPDATING_MS = 300;

/** `window.baclofenCalculators`: counters and timings for tests and the console. */
Object.assign(/** @type {any} */ (window), { baclofenCalculators: stats });

/**
 * @typedef {object} Bound
 * @property {HTMLFormElement} form
 * @property {string} id the calculator id
 * @property {HTMLElement} output
 * @property {HTMLElement} status
 * @property {HTMLElement} result
 * @property {import("./calculator-client.js").EngineConfig} config
 * @property {number} seq the latest request's number; older replies are dropped
 * @property {number | undefined} timer
 * @property {number} inflight the seq of the request in flight (0: none)
 * @property {boolean} touched the user changed a value (the URL then records them)
 * @property {string} text the plain-text result (calculators.present.to_text), when live
 * @property {boolean} failed the live calculator is unavailable
 * @property {string} why why it is (shown in the status)
 * @property {string} defaults the form's values as built (JSON), before a link changed them
 * @property {string | null} resultFor the values (JSON) the shown result is for; null: the build's
 * @property {Map<string, string>} linked a link's raw value for a field that cannot hold it
 * @property {Map<string, string>} linkErrors a field the link gave conflicting values
 * @property {number | undefined} updating the timer that marks a late result stale (UPDATING_MS)
 * @property {Date | null} computedAt when the live result shown was computed
 * @property {string} shownSha256 the SHA-256 of the result's HTML (the build's, then each reply's:
 *   calculators.web.run's html_sha256), so that an identical reply leaves the page as it is
 */

/** @type {Set<Bound>} every form bound in this visit (the disconnected ones are dropped) */
const bound = new Set();

/** Why the live calculator is unavailable for the rest of the visit, once it is. */
let unavailable = "";

/** The forms bound in this visit. */
function boundForms() {
  return Array.from(bound, (b) => b.form);
}

/**
 * The live calculator has settled for this visit: it answered (`live`) or it is unavailable
 * (`unavailable`, final). <html> keeps the state; the event goes out once, the first time
 * (protocol.js, ENGINE_SETTLED: register.js waits for it before it registers the service
 * worker on a first visit).
 * @param {"live" | "unavailable"} state
 */
function announceEngine(state) {
  const root = document.documentElement;
  const before = root.getAttribute(ENGINE_SETTLED.attribute);
  if (before === state || before === "unavailable") return;
  root.setAttribute(ENGINE_SETTLED.attribute, state);
  if (before === null) document.dispatchEvent(new Event(ENGINE_SETTLED.event));
}

/** @param {Bound} b @param {string} text */
function setStatus(b, text) {
  if (b.status.textContent !== text) b.status.textContent = text; // same text: no re-announcement
}

/**
 * The output as it stands (calculator-status.js, View).
 * @param {Bound} b
 * @returns {import("./calculator-status.js").View}
 */
function viewOf(b) {
  return {
    state: /** @type {import("./calculator-status.js").OutputState} */ (b.output.dataset.state ?? "static"),
    stale: b.output.hasAttribute("data-stale"),
    busy: b.output.getAttribute("aria-busy") === "true",
    failed: b.failed,
    why: b.why,
  };
}

/**
 * Put on the page what the state machine (calculator-status.js, next) says for an event.
 * @param {Bound} b @param {import("./calculator-status.js").StatusEvent} event
 */
function show(b, event) {
  const change = next(viewOf(b), event, shown(b));
  if (change.failed) {
    b.failed = true;
    b.why = change.why ?? "";
  }
  if (change.busy === false) notBusy(b);
  else if (change.busy) b.output.setAttribute("aria-busy", "true");
  if (change.failed) b.output.dataset.live = "failed";
  if (change.state !== undefined) b.output.dataset.state = change.state;
  if (change.stale !== undefined) {
    if (change.stale) b.output.dataset.stale = "";
    else delete b.output.dataset.stale;
    updateActions(b);
  }
  if (change.status !== undefined) setStatus(b, change.status);
}

/**
 * The latest values are answered, or cannot be: not busy, and no "Updating…" to come.
 * @param {Bound} b
 */
function notBusy(b) {
  window.clearTimeout(b.updating);
  b.updating = undefined;
  b.output.setAttribute("aria-busy", "false");
}

/**
 * A change is on its way to the worker: if its answer is late (UPDATING_MS), the result is
 * marked stale and, where the status said "Live", it says "Updating…".
 * @param {Bound} b
 */
function armUpdating(b) {
  window.clearTimeout(b.updating);
  b.updating = window.setTimeout(() => {
    b.updating = undefined;
    show(b, { type: "late" });
  }, UPDATING_MS);
}

/**
 * @param {Bound} b
 * @param {import("./calculator-client.js").RunReply} reply
 * @param {string} sent the values (JSON) the reply is for
 */
function apply(b, reply, sent) {
  const linkErrors = Array.from(b.linkErrors, ([field, message]) => ({ field, message }));
  if (reply.ok && !linkErrors.length) {
    showErrors(b, []);
    // Built by calculators.present.to_html, which escapes. A reply identical to what is shown
    // (the build's result for the same values, on every page load) is not swapped in: the
    // page would be styled and laid out again for nothing (issue 27: on the Intrathecal page,
    // five such swaps when the engine answered, in tasks of 80-150 ms on a 4x slower CPU).
    if (!reply.html_sha256 || reply.html_sha256 !== b.shownSha256) {
      b.result.innerHTML = reply.html;
      b.shownSha256 = reply.html_sha256 ?? "";
      b.result.dataset.htmlSha256 = b.shownSha256; // what is shown now
    }
    showCardButtons(b.result);
    b.output.dataset.result = JSON.stringify(reply.result);
    b.text = reply.text;
    b.resultFor = sent;
    b.computedAt = new Date();
    show(b, { type: "result" });
    const csv = b.form.querySelector('[data-action="csv"]');
    if (csv instanceof HTMLElement) csv.hidden = !b.result.querySelector("table");
    if (stats.firstResultMs === null) stats.firstResultMs = performance.now();
  } else {
    const python = reply.ok
      ? []
      : reply.error.errors?.length
        ? reply.error.errors
        : [{ field: "", message: reply.error.message }];
    show(b, { type: "invalid", said: showErrors(b, [...python, ...linkErrors]) });
  }
  announceEngine("live"); // it answered, a result or a message by a field
}

/**
 * The live calculator is unavailable: every form of the visit says so, now and on every
 * page shown later, with what its result is for.
 * @param {unknown} error
 */
function declareUnavailable(error) {
  const message = error instanceof Error ? error.message : String(error);
  if (!unavailable) {
    unavailable = message.split("\n")[0].slice(0, 300);
    console.error("[calculators] the live calculator is unavailable:", message);
  }
  announceEngine("unavailable");
  for (const b of bound) {
    if (!b.form.isConnected) bound.delete(b);
    else showUnavailable(b);
  }
}

/** @param {Bound} b */
function showUnavailable(b) {
  window.clearTimeout(b.timer);
  b.timer = undefined;
  b.seq += 1; // a late answer from before is dropped
  show(b, { type: "unavailable", why: unavailable, computed: b.resultFor !== null });
}

/**
 * @param {Bound} b
 * @param {unknown} error
 */
function engineFailed(b, error) {
  if (!(error instanceof Error) || error instanceof StartupError || error instanceof WorkerLostError) {
    declareUnavailable(error);
    return;
  }
  // The engine runs but this calculation broke (a bug, not bad input): say so by the form.
  const message = `${error.name}: ${error.message}`;
  console.error("[calculators]", b.id, message);
  announceEngine("live"); // the engine answered, with a failure of this one calculation
  const said = showErrors(b, [{ field: "", message: `The calculation failed: ${message.split("\n").slice(-2).join(" ")}` }]);
  show(b, { type: "invalid", said });
}

/**
 * One calculation on the visit's worker. A lost worker (dead, or hung past its deadline) is
 * replaced once: the form says its result is not updated meanwhile, and the same values
 * are sent to the new worker.
 * @param {Bound} b @param {Record<string, string>} inputs @param {number} seq
 * @returns {Promise<import("./calculator-client.js").RunReply>}
 */
async function compute(b, inputs, seq) {
  const client = getClient(b.config);
  const refsHref = b.form.dataset.refsHref ?? "";
  try {
    return await client.run(b.id, inputs, refsHref);
  } catch (error) {
    if (!(error instanceof WorkerLostError)) throw error;
    const next = restartClient(client);
    if (next === null) {
      throw new WorkerLostError(`${error.message}, and it had already been started again once`);
    }
    watch(next);
    if (seq === b.seq && b.form.isConnected) showLost(b, error);
    return await next.run(b.id, inputs, refsHref);
  }
}

/** @type {WeakSet<import("./calculator-client.js").CalculatorClient>} */
const watched = new WeakSet();

/**
 * Follow a client's fate: a failed start-up makes the calculators unavailable; a worker lost
 * while idle (no request of ours to fail) is replaced at once, and every form is
 * recalculated on the new one, saying meanwhile that its result is not being updated.
 * @param {import("./calculator-client.js").CalculatorClient} client
 */
function watch(client) {
  if (watched.has(client)) return;
  watched.add(client);
  // "Start-up failed" is the readiness promise rejecting (with its cause), nothing else.
  client.ready.catch(declareUnavailable);
  client.gone.then((error) => {
    if (!(error instanceof WorkerLostError)) return; // a start-up failure: handled above
    const next = restartClient(client);
    if (next === null) {
      declareUnavailable(new WorkerLostError(`${error.message}, and it had already been started again once`));
      return;
    }
    console.warn("[calculators] starting the worker again:", error.message);
    watch(next);
    for (const b of bound) {
      if (!b.form.isConnected) {
        bound.delete(b);
      } else if (!b.failed) {
        showLost(b, error);
        recalculate(b);
      }
    }
  });
}

/** @param {Bound} b @param {Error} error */
function showLost(b, error) {
  show(b, { type: "lost", why: error.message });
}

/**
 * An input changed: recalculate now, or, while a request of this form is in flight, once
 * it is answered (latest input wins; see recalculate).
 * @param {Bound} b
 */
function schedule(b) {
  if (b.inflight === 0) recalculate(b);
}

/** @param {Bound} b */
function recalculate(b) {
  window.clearTimeout(b.timer);
  b.timer = undefined;
  if (b.failed) return;
  const seq = ++b.seq;
  const inputs = readInputs(b);
  if (b.touched) writeUrl(b, inputs);
  const sent = JSON.stringify(inputs);
  b.inflight = seq;
  compute(b, inputs, seq).then(
    (reply) => {
      if (b.inflight === seq) b.inflight = 0;
      if (seq !== b.seq || !b.form.isConnected) return;
      // Values changed while this one was computed: its answer is not for them.
      if (JSON.stringify(readInputs(b)) !== sent) recalculate(b);
      else apply(b, reply, sent);
    },
    (error) => {
      if (b.inflight === seq) b.inflight = 0;
      if (seq === b.seq && b.form.isConnected) engineFailed(b, error);
      else if (!(error instanceof Error) || error instanceof StartupError || error instanceof WorkerLostError) {
        declareUnavailable(error); // the other forms must still hear of it
      }
    },
  );
}

window.addEventListener("beforeprint", () => {
  for (const b of bound) if (b.form.isConnected) writePrintHeader(b);
});

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
  // The build disables the fields until this script takes the form over (QA D22): with
  // JavaScript off they cannot take values the build's result is not for.
  for (const fieldset of form.querySelectorAll("fieldset[data-until-live]")) {
    if (fieldset instanceof HTMLFieldSetElement) fieldset.disabled = false;
  }
  // Where the runtime is: the page's one <meta name="baclofen-calculators"> (calculator-client.js).
  const config = runtimeConfig() ?? { indexURL: "", lockFileURL: "", packageName: "" };
  /** @type {Bound} */
  const b = {
    form, id, output, status, result, config, seq: 0, timer: undefined, inflight: 0, touched: false, text: "",
    failed: false, why: "", defaults: "", resultFor: null, linked: new Map(), linkErrors: new Map(),
    updating: undefined, computedAt: null, shownSha256: result.dataset.htmlSha256 ?? "",
  };
  b.defaults = JSON.stringify(readInputs(b));
  applySeparator(form);
  for (const [group, message] of restoreGroupCounts(form, id, new URLSearchParams(window.location.search))) {
    b.linkErrors.set(group, message);
  }
  restoreFromUrl(b);
  bound.add(b);

  const changed = (/** @type {Event} */ event) => {
    const target = event.target;
    if (target instanceof HTMLInputElement || target instanceof HTMLSelectElement) {
      b.linked.delete(target.name); // typed over: what is in the field now is what counts
      b.linkErrors.delete(target.name);
    }
    // A change in a repeated group (a value, an item added or removed) answers the link's
    // note on that group (more items asked for than it can hold).
    const group = target instanceof Element ? target.closest("fieldset[data-group]") : null;
    if (group instanceof HTMLElement) b.linkErrors.delete(group.dataset.group ?? "");
    b.touched = true;
    show(b, { type: "input" });
    if (b.failed) return;
    armUpdating(b);
    schedule(b);
  };
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", (event) => {
    event.preventDefault(); // Enter recalculates now instead of reloading the page
    recalculate(b);
  });

  if (!unavailable && (!config.indexURL || !config.lockFileURL || !config.packageName || typeof Worker === "undefined")) {
    declareUnavailable(typeof Worker === "undefined" ? "this browser has no Web Workers" : "the page names no Pyodide runtime");
  }
  if (unavailable) {
    lookUpSeparator(null, boundForms);
    showUnavailable(b);
    return;
  }
  const client = getClient(config);
  lookUpSeparator(client, boundForms);
  watch(client);
  bindActions(b);
  bindGroups(form);
  bindPrintCard(output, () => printSource(b), () => printRefusal(b));
  show(b, { type: "start" });
  if (client.state === "starting") {
    const slow = window.setTimeout(() => {
      if (client.state === "starting") show(b, { type: "slow" });
    }, Math.max(0, STARTUP_SLOW_MS - (performance.now() - client.startedAt)));
    client.ready.then(() => window.clearTimeout(slow), () => window.clearTimeout(slow));
  }
  recalculate(b);
}

/**
 * Bind every form, one per task, the first one too (not in the task that evaluates this
 * module, or that Material's document$ emits in), so that the page can paint and take input
 * between them. A form waiting its turn shows its build-time result, as before it is bound;
 * one that left the page meanwhile (instant navigation) is skipped.
 * @param {ParentNode} root
 */
async function bindAll(root) {
  const forms = [...root.querySelectorAll("form[data-calculator]")];
  noteStrayKeys(/** @type {HTMLFormElement[]} */ (forms));
  for (const form of forms) {
    await yieldToPage();
    if (form instanceof HTMLFormElement && form.isConnected) bind(form);
  }
}

// Newly shown forms (Material's instant navigation) go live with the same worker.
onEveryPage(bindAll);
