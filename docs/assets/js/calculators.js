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
  bindGroups,
  bindPrintCard,
  itemLabel,
  preparePrintCard,
  restoreGroupCounts,
  showCardButtons,
} from "./calculator-groups.js";
import { csvFile } from "./csv.js";
import { buildSheet, fitToPage } from "./print-sheet.js";
import { ENGINE_SETTLED, localeDecimal } from "./protocol.js";
import { readLink, strayKeys, withInputs } from "./url-state.js";

/* Recalculation is latest-input-wins, not debounced: each input is sent at once when no
 * request of its form is in flight; otherwise it waits for that one, whose answer is then
 * shown only if it is still for the values in the form (else the form's values are sent
 * instead). A calculation takes a few ms, so a result follows the keys; and the page never
 * puts up a result for values other than those it shows. */

/** A link's value quoted in a message is cut to this many characters (as Python's are,
 * calculators.spec.SHOW_MAX_CHARS). */
const QUOTE_CHARS = 40;

/**
 * A result still behind the form's values after this long is marked stale ("Updating…"). A
 * calculation takes a few ms, so only a slow or lost worker gets there; before, a worker
 * lost without an error left "Live" over the old result until its 5 s deadline (QA D8).
 */
const UPDATING_MS = 300;

/**
 * The decimal separator of this browser's locale. Where it is not ".", a phone's decimal
 * keypad (inputmode="decimal") offers only "," (iOS does), and Python refuses a decimal
 * comma (never guessed: "1,500"): the number fields then ask for the full keyboard, which
 * has a point.
 *
 * The worker looks it up (protocol.js, REQUEST.locale), once per visit: a renderer's first
 * Intl.NumberFormat (ICU's start) took 13-43 ms here, a main-thread long task on a loaded
 * machine when the page paid for it; in the worker it holds up nothing the reader sees. Only
 * where no worker answers (none, or its start failed) does the page look it up itself, in
 * a task of its own. Until the answer, a field keeps the keypad the build gave it.
 */
let separator = "";
/** @type {Promise<void> | null} */
let separatorLookup = null;

/** @param {import("./calculator-client.js").CalculatorClient | null} client */
function lookUpSeparator(client) {
  separatorLookup ??= (client ? client.decimalSeparator() : Promise.reject(new Error("no worker")))
    .catch(async () => {
      await yieldToPage();
      return localeDecimal();
    })
    .then((decimal) => {
      separator = decimal;
      for (const b of bound) applySeparator(b.form);
    });
}

/** Number fields ask for the full keyboard where the decimal key would be a comma.
 * @param {HTMLFormElement} form */
function applySeparator(form) {
  if (!separator || separator === ".") return;
  for (const input of form.querySelectorAll('.calc-field input[inputmode="decimal"]')) {
    input.setAttribute("inputmode", "text");
  }
}

const STATUS = {
  /** @param {string} shown */
  loading: (shown) => `Starting the live calculator (loading Python in this browser)… ${shown}`,
  /** @param {string} shown */
  starting: (shown) => `Still starting the live calculator… ${shown}`,
  slow: `Still starting the live calculator after ${Math.round(STARTUP_SLOW_MS / 1000)} s: a first visit downloads about 7 MB, which takes longer on a slow network.`,
  ready: "Live: the result follows the values above as you change them.",
  /** @param {string} shown */
  updating: (shown) => `Updating… ${shown}`,
  /** @param {string[]} said each error, naming its field @param {string} shown */
  error: (said, shown) => `Not updated: ${said.join(" ")} ${shown}`,
  /** @param {string} why @param {string} shown */
  lost: (why, shown) => `Not updated: ${why}; starting it again… ${shown}`,
  /** @param {string} why @param {string} shown */
  failed: (why, shown) => `The live calculator is not available: ${why}. ${shown}`,
};

const LINK = {
  /** @param {string} label @param {string[]} values */
  repeated: (label, values) =>
    `${label}: the link gives ${values.length} different values (${values.map(quote).join(", ")}); ` +
    "none was used. Type the one you mean.",
  /** @param {string[]} keys */
  unknown: (keys) =>
    `This link also sets ${keys.map(quote).join(", ")}, which ${keys.length === 1 ? "is not a field" : "are not fields"} ` +
    "of this calculator: ignored.",
  /** @param {string[]} keys @param {string} id */
  miscased: (keys, id) =>
    `This link sets ${keys.map(quote).join(", ")}: calculator ids are lower case, so ` +
    `${keys.length === 1 ? "it names" : "they name"} no calculator on this page (this one is "${id}"): ignored. ` +
    "The values below are not the link's.",
  /** @param {string[]} keys */
  elsewhere: (keys) =>
    `This link sets ${keys.map(quote).join(", ")}, which ${keys.length === 1 ? "names" : "name"} no calculator ` +
    "on this page: ignored.",
};

/** Why Copy and CSV (and Print, when it is off too) are off, said next to them.
 * @param {string} why @param {boolean} print */
const ACTIONS_OFF = (why, print) =>
  `${print ? "Copy result, Download CSV and Print are" : "Copy result and Download CSV are"} off: ${why}.`;

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
 */

/** @type {Set<Bound>} every form bound in this visit (the disconnected ones are dropped) */
const bound = new Set();

/** Why the live calculator is unavailable for the rest of the visit, once it is. */
let unavailable = "";

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

/** @param {string} value */
function quote(value) {
  const chars = Array.from(value);
  return `"${chars.length > QUOTE_CHARS ? chars.slice(0, QUOTE_CHARS).join("") + "…" : value}"`;
}

/** @param {HTMLFormElement} form */
function fieldControls(form) {
  return /** @type {(HTMLInputElement | HTMLSelectElement)[]} */ (
    Array.from(form.querySelectorAll(".calc-field [name]"))
  );
}

/**
 * The field's label as shown (without "(optional)"), for messages that name it.
 * @param {HTMLFormElement} form @param {string} name
 */
function fieldLabel(form, name) {
  const control = form.querySelector(`.calc-field [name="${CSS.escape(name)}"]`);
  const label = control?.id ? form.querySelector(`label[for="${CSS.escape(control.id)}"]`) : null;
  // A repeated group's slot (`steps`, `steps.1`) says its own name; an item's field is
  // named with its item ("Step 2: Rate"), as Python's message is.
  const slot = /** @type {HTMLElement | null} */ (form.querySelector(`[data-error-for="${CSS.escape(name)}"]`));
  const own = (label?.firstChild?.textContent ?? slot?.dataset.label ?? name).trim();
  const item = itemLabel(control);
  return item ? `${item}: ${own}` : own;
}

/**
 * The raw values, exactly as typed: Python (calculators.spec) parses and validates them.
 * A field still holding a link's value it could not show sends that value.
 * @param {Bound} b
 * @returns {Record<string, string>}
 */
function readInputs(b) {
  /** @type {Record<string, string>} */
  const inputs = {};
  for (const control of fieldControls(b.form)) {
    inputs[control.name] = b.linked.get(control.name) ?? control.value;
  }
  return inputs;
}

/**
 * Put the values a link carries into the form, as text, as if typed. A value the control
 * cannot hold (an option the select lacks, a date the date input refuses, a line break in
 * a text field) is kept aside and sent to Python as it was, so its message appears next to
 * the field; no option is ever added.
 * @param {Bound} b
 */
function restoreFromUrl(b) {
  const controls = fieldControls(b.form);
  // A repeated group's keys (`steps.3.rate`) name items the form may not show yet: the
  // group's own code restores those, so readLink does not call them unknown.
  const link = readLink(new URLSearchParams(window.location.search), b.id, controls.map((c) => c.name));
  const unknown = link.unknown;
  for (const control of controls) {
    const values = link.values.get(control.name) ?? [];
    if (values.length > 1) {
      b.linkErrors.set(control.name, LINK.repeated(fieldLabel(b.form, control.name), values));
    } else if (values.length === 1) {
      const value = values[0];
      control.value = value;
      if (control.value !== value) b.linked.set(control.name, value);
    }
  }
  if (unknown.length) {
    const note = document.createElement("p");
    note.className = "calc-note";
    note.dataset.linkNote = "";
    note.textContent = LINK.unknown(unknown);
    b.form.querySelector(".calc-error--form")?.before(note);
  }
}

/** @param {Bound} b @param {Record<string, string>} inputs */
function writeUrl(b, inputs) {
  // A removed group item's keys go too, or the link would bring it back.
  const url = withInputs(window.location.href, b.id, inputs);
  if (url.href !== window.location.href) {
    // Keep history.state: Material's instant navigation keeps its own data there.
    window.history.replaceState(window.history.state, "", url);
  }
}

/**
 * A message as the status says it, naming its field once (QA D12): Python's message may name
 * the item only ("Step 3: it overlaps step 2") or the field by its short name ("Visit date
 * must be…" for "Visit date (today's refill)"); the status adds what is missing, never twice.
 * @param {HTMLFormElement} form @param {string} key the field ("" for the form) @param {string} message
 */
function nameOnce(form, key, message) {
  if (!key) return message;
  const label = fieldLabel(form, key);
  const item = itemLabel(form.querySelector(`.calc-field [name="${CSS.escape(key)}"]`));
  const own = item && label.startsWith(`${item}: `) ? label.slice(item.length + 2) : label;
  const rest = item && message.startsWith(`${item}: `) ? message.slice(item.length + 2) : message;
  const short = own.replace(/\s*\([^)]*\)$/, "");
  const body = [own, short].some((name) => name && rest.startsWith(name)) ? rest : `${own}: ${rest}`;
  return item && own !== label ? `${item}: ${body}` : body;
}

/**
 * Each message in the slot next to its field (referenced by the field's aria-describedby);
 * returns them as the status says them, each naming its field.
 * @param {Bound} b @param {import("./calculator-client.js").FieldError[]} errors
 * @returns {string[]}
 */
function showErrors(b, errors) {
  /** @type {Map<string, string[]>} */
  const byField = new Map();
  const slots = /** @type {HTMLElement[]} */ (Array.from(b.form.querySelectorAll("[data-error-for]")));
  const known = new Set([...fieldControls(b.form).map((c) => c.name), ...slots.map((s) => s.dataset.errorFor ?? "")]);
  /** @type {string[]} */
  const said = [];
  for (const { field, message } of errors) {
    const key = known.has(field) ? field : "";
    byField.set(key, [...(byField.get(key) ?? []), message]);
    const named = nameOnce(b.form, key, message);
    said.push(/[.!?…]$/.test(named) ? named : `${named}.`);
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
  return said;
}

/**
 * What the result shown is for, said plainly, and whether that is not the form's values.
 * @param {Bound} b
 * @returns {{stale: boolean, text: string}}
 */
function shownFor(b) {
  const now = JSON.stringify(readInputs(b));
  if (b.resultFor === null) {
    return now === b.defaults && !b.linkErrors.size
      ? { stale: false, text: "The result below, computed when this page was built, is for the default values above." }
      : { stale: true, text: "The result below is for the default values, NOT the values above." };
  }
  return now === b.resultFor && !b.linkErrors.size
    ? { stale: false, text: "The result below is for the values above." }
    : { stale: true, text: "The result below is for earlier values, NOT the values above." };
}

/** @param {Bound} b @param {boolean} stale */
function markStale(b, stale) {
  if (stale) b.output.dataset.stale = "";
  else delete b.output.dataset.stale;
  updateActions(b);
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
    if (b.failed || b.output.getAttribute("aria-busy") !== "true") return;
    const shown = shownFor(b);
    if (!shown.stale) return;
    markStale(b, true);
    if (b.output.dataset.state === "ready") setStatus(b, STATUS.updating(shown.text));
  }, UPDATING_MS);
}

/**
 * @param {Bound} b
 * @param {import("./calculator-client.js").RunReply} reply
 * @param {string} sent the values (JSON) the reply is for
 */
function apply(b, reply, sent) {
  notBusy(b);
  const linkErrors = Array.from(b.linkErrors, ([field, message]) => ({ field, message }));
  if (reply.ok && !linkErrors.length) {
    showErrors(b, []);
    b.result.innerHTML = reply.html; // built by calculators.present.to_html, which escapes
    showCardButtons(b.result);
    b.output.dataset.result = JSON.stringify(reply.result);
    b.text = reply.text;
    b.resultFor = sent;
    b.computedAt = new Date();
    b.output.dataset.state = "ready";
    markStale(b, false);
    setStatus(b, STATUS.ready);
    const csv = b.form.querySelector('[data-action="csv"]');
    if (csv instanceof HTMLElement) csv.hidden = !b.result.querySelector("table");
    if (stats.firstResultMs === null) stats.firstResultMs = performance.now();
  } else {
    const python = reply.ok
      ? []
      : reply.error.errors?.length
        ? reply.error.errors
        : [{ field: "", message: reply.error.message }];
    const said = showErrors(b, [...python, ...linkErrors]);
    b.output.dataset.state = "error";
    markStale(b, true);
    setStatus(b, STATUS.error(said, shownFor(b).text));
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
  b.failed = true;
  b.why = unavailable;
  notBusy(b);
  b.output.dataset.live = "failed";
  if (b.resultFor === null) b.output.dataset.state = "static";
  else if (b.output.dataset.state !== "error") b.output.dataset.state = "ready";
  const shown = shownFor(b);
  markStale(b, shown.stale);
  setStatus(b, STATUS.failed(b.why, shown.text));
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
  notBusy(b);
  const said = showErrors(b, [{ field: "", message: `The calculation failed: ${message.split("\n").slice(-2).join(" ")}` }]);
  b.output.dataset.state = "error";
  markStale(b, true);
  setStatus(b, STATUS.error(said, shownFor(b).text));
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
  notBusy(b);
  b.output.dataset.state = "loading";
  const shown = shownFor(b);
  markStale(b, true);
  setStatus(b, STATUS.lost(error.message, shown.text));
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

/**
 * The result's tables, exactly as shown (headers carry the units): each
 * `figure.calc-table`'s caption and cells, as text (csv.js writes them).
 * @param {HTMLElement} result
 * @returns {import("./csv.js").CsvTable[]}
 */
function tablesOf(result) {
  return Array.from(result.querySelectorAll("figure.calc-table"), (figure) => ({
    caption: figure.querySelector("figcaption")?.textContent?.trim() ?? "",
    rows: Array.from(figure.querySelectorAll("tr"), (row) =>
      Array.from(row.querySelectorAll("th, td"), (c) => (c.textContent ?? "").trim()),
    ),
  }));
}

/**
 * Why the result shown may not leave the page ("" when it may): only a live result, for the
 * values the form holds, is copied or downloaded (QA D2).
 * @param {Bound} b
 */
function refusal(b) {
  if (b.output.dataset.state !== "ready" || !b.text || b.resultFor === null) {
    if (b.output.dataset.state === "error") {
      return "a value above is not valid, so the result below is not for the values above";
    }
    return b.failed ? "the live calculator is not available" : "they wait for a live result";
  }
  if (b.output.hasAttribute("data-stale") || shownFor(b).stale) {
    return "the result below is not for the values above";
  }
  return "";
}

/**
 * Why the result shown may not be printed as this calculator's sheet ("" when it may): only
 * a result for the values the form holds, live or the build's own for the default values.
 * A stale one is refused, as Copy and CSV refuse it (the browser's own Print menu still
 * prints the whole page, with the result marked NOT CURRENT: writePrintHeader).
 * @param {Bound} b
 */
function printRefusal(b) {
  if (b.output.dataset.state === "error") {
    return "a value above is not valid, so the result below is not for the values above";
  }
  if (b.output.hasAttribute("data-stale") || shownFor(b).stale) {
    return "the result below is not for the values above";
  }
  return "";
}

/**
 * This calculator alone, on one page: its sheet (print-sheet.js) in the print container.
 * @param {Bound} b
 */
function printSheet(b) {
  const [[, title], [, link], [, version], [, when]] = provenance(b);
  /** @type {Record<string, string>} */
  const inputs = JSON.parse(b.resultFor ?? b.defaults);
  const values = Object.entries(inputs).map(([name, value]) => {
    const item = itemLabel(b.form.querySelector(`.calc-field [name="${CSS.escape(name)}"]`));
    const label = fieldLabel(b.form, name);
    return {
      item,
      label: item && label.startsWith(`${item}: `) ? label.slice(item.length + 2) : label,
      value: shownValue(b.form, name, value),
      unit: unitOf(b.form, name),
    };
  });
  const fieldSources = Array.from(b.form.querySelectorAll(".calc-intro, .calc-field-sources"));
  preparePrintCard(
    buildSheet({
      title, link, version, computed: when, printed: utc(new Date()), values, result: b.result,
      citing: [b.result, ...fieldSources],
    }),
  );
  const box = document.getElementById("pump-card-print");
  const sheet = box?.querySelector(":scope > [data-calc-print]");
  if (box && sheet instanceof HTMLElement) fitToPage(box, sheet);
}

/**
 * What a card or sheet printed from the result shown comes from: the link to the values the
 * result is for (the same as the calculator's sheet prints), the version, the time.
 * @param {Bound} b
 * @returns {import("./calculator-groups.js").PrintSource}
 */
function printSource(b) {
  const [, [, link], [, version]] = provenance(b);
  return { link, version, printed: utc(new Date()) };
}

/** Copy, CSV and Print on or off, with the reason beside them. @param {Bound} b */
function updateActions(b) {
  const actions = b.form.querySelector("[data-calculator-actions]");
  if (!(actions instanceof HTMLElement)) return;
  const why = refusal(b);
  const noPrint = printRefusal(b);
  for (const button of actions.querySelectorAll('[data-action="copy"], [data-action="csv"]')) {
    if (button instanceof HTMLButtonElement) button.disabled = Boolean(why);
  }
  const print = actions.querySelector('[data-action="print"]');
  if (print instanceof HTMLButtonElement) print.disabled = Boolean(noPrint);
  const note = actions.querySelector("[data-actions-note]");
  if (note instanceof HTMLElement) {
    const text = why ? ACTIONS_OFF(why, Boolean(noPrint)) : "";
    if (note.textContent !== text) note.textContent = text;
    note.hidden = !why;
  }
}

/**
 * A value as the form shows it: a select's option text (with its value), else as typed.
 * @param {HTMLFormElement} form @param {string} name @param {string} value
 */
function shownValue(form, name, value) {
  const control = form.querySelector(`.calc-field [name="${CSS.escape(name)}"]`);
  if (control instanceof HTMLSelectElement) {
    const option = Array.from(control.options).find((o) => o.value === value);
    if (option && option.text.trim() !== value) return `${option.text.trim()} (${value})`;
  }
  return value;
}

/**
 * A field's unit, for a typed value. A drop-down's option already names its unit ("20 mL"),
 * so it gets none: "20 mL (20) mL" said the unit twice.
 * @param {HTMLFormElement} form @param {string} name
 */
function unitOf(form, name) {
  const control = form.querySelector(`.calc-field [name="${CSS.escape(name)}"]`);
  if (control instanceof HTMLSelectElement) return "";
  return control?.closest(".calc-field")?.querySelector(".calc-unit")?.textContent?.trim() ?? "";
}

/** `2026-12-07 14:03 UTC` @param {Date} date */
function utc(date) {
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/**
 * What the result shown was computed for, as records: the calculator, the link to this case,
 * the site's version, when, then each value as typed with its label and unit.
 * @param {Bound} b
 * @returns {string[][]}
 */
function provenance(b) {
  /** @type {Record<string, string>} */
  const inputs = JSON.parse(b.resultFor ?? b.defaults);
  const title = b.form.querySelector(`#calc-${CSS.escape(b.id)}-title`)?.textContent?.trim() ?? b.id;
  // This calculator's values only: another form's on the same page are not this case (the
  // "Copy link" button copies the whole page), and they made a printed QR code outgrow what
  // one can hold (a flexible schedule's 12 steps beside the refill visit: 2,500 characters).
  const page = new URL(window.location.href);
  page.search = "";
  const rows = [
    ["Calculator", title],
    ["Link to this case", withInputs(page, b.id, inputs).href],
    ["Site version", stats.versions?.calculators ?? "not known"],
    ["Computed", b.computedAt ? utc(b.computedAt) : "when this page was built"],
    ["Value", "As typed", "Unit"],
  ];
  for (const [name, value] of Object.entries(inputs)) {
    rows.push([fieldLabel(b.form, name), shownValue(b.form, name, value), unitOf(b.form, name)]);
  }
  return rows;
}

/** The copied text: what the result is for, then the result (calculators.present.to_text).
 * @param {Bound} b */
function copiedText(b) {
  const [[, title], [, link], [, version], [, when], , ...values] = provenance(b);
  const lines = [
    `${title}: computed ${when} by the baclofen dosing site, version ${version}, for these values:`,
    ...values.map(([label, value, unit]) => `  ${label}: ${value}${unit ? ` ${unit}` : ""}`),
    `Link to this case: ${link}`,
    "",
    b.text,
  ];
  return lines.join("\n");
}

/**
 * The line a printed calculator carries above its result: what the result is for (when it
 * was computed, the site's version, the link to this case), or that it is NOT CURRENT.
 * Hidden on screen (calculators.css); written just before the browser prints (beforeprint:
 * the Print button and the browser's own menu alike).
 * @param {Bound} b
 */
function writePrintHeader(b) {
  /** @type {HTMLElement | null} */
  let header = b.output.querySelector(":scope > [data-print-header]");
  if (!header) {
    header = document.createElement("p");
    header.className = "calc-print-header";
    header.dataset.printHeader = "";
    b.output.prepend(header);
  }
  const [[, title], [, link], [, version], [, when]] = provenance(b);
  const printed = utc(new Date());
  const stale = b.output.hasAttribute("data-stale") || shownFor(b).stale;
  header.dataset.stale = String(stale);
  header.textContent = stale
    ? `NOT CURRENT: the result below is NOT for the values above. Printed ${printed}; site version ${version}.`
    : `${title}: computed ${when} by the baclofen dosing site, version ${version}, for the values above. ` +
      `Printed ${printed}. Link to this case: ${link}`;
}

window.addEventListener("beforeprint", () => {
  for (const b of bound) if (b.form.isConnected) writePrintHeader(b);
});

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
  const note = document.createElement("p");
  note.className = "calc-actions-note";
  note.dataset.actionsNote = "";
  note.id = `calc-${b.id}-actions-note`;
  note.hidden = true;
  actions.append(note);
  for (const button of actions.querySelectorAll('[data-action="copy"], [data-action="csv"], [data-action="print"]')) {
    button.setAttribute("aria-describedby", note.id);
  }
  updateActions(b);
  actions.addEventListener("click", (event) => {
    const button = event.target instanceof Element ? event.target.closest("button[data-action]") : null;
    if (!(button instanceof HTMLButtonElement)) return;
    const action = button.dataset.action;
    if (action === "copy" || action === "csv" || action === "print") {
      // Checked again now: the result may have gone stale since the buttons were last set.
      const why = action === "print" ? printRefusal(b) : refusal(b);
      updateActions(b);
      if (why) {
        flash(button, { copy: "Not copied", csv: "Not downloaded", print: "Not printed" }[action]);
        return;
      }
    }
    if (action === "copy") {
      copyText(copiedText(b)).then(() => flash(button, "Copied"), (e) => flash(button, `Not copied: ${e.message}`));
    } else if (action === "csv") {
      download(`${b.id}.csv`, csvFile(provenance(b), tablesOf(b.result)));
    } else if (action === "link") {
      writeUrl(b, readInputs(b));
      copyText(window.location.href).then(() => flash(button, "Link copied"), (e) => flash(button, `Not copied: ${e.message}`));
    } else if (action === "print") {
      printSheet(b);
      window.print();
    }
  });
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
    updating: undefined, computedAt: null,
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
    if (b.failed) {
      const shown = shownFor(b);
      markStale(b, shown.stale);
      setStatus(b, STATUS.failed(b.why, shown.text));
      return;
    }
    b.output.setAttribute("aria-busy", "true");
    armUpdating(b);
    if (b.output.dataset.state === "loading") {
      const shown = shownFor(b);
      markStale(b, shown.stale);
      setStatus(b, STATUS.starting(shown.text));
    }
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
    lookUpSeparator(null);
    showUnavailable(b);
    return;
  }
  const client = getClient(config);
  lookUpSeparator(client);
  watch(client);
  bindActions(b);
  bindGroups(form);
  bindPrintCard(output, () => printSource(b));
  output.setAttribute("aria-busy", "true");
  output.dataset.state = "loading";
  const shown = shownFor(b);
  markStale(b, shown.stale);
  setStatus(b, STATUS.loading(shown.text));
  if (client.state === "starting") {
    const slow = window.setTimeout(() => {
      if (b.output.dataset.state === "loading" && !b.failed && client.state === "starting") {
        setStatus(b, `${STATUS.slow} ${shownFor(b).text}`);
      }
    }, Math.max(0, STARTUP_SLOW_MS - (performance.now() - client.startedAt)));
    client.ready.then(() => window.clearTimeout(slow), () => window.clearTimeout(slow));
  }
  recalculate(b);
}

/**
 * A link's keys that name no calculator on this page (a wrong case, another page's id) are
 * said above the form they were probably meant for (the first form, when none matches): an
 * ignored key must not leave the defaults looking like the link's case (QA D15).
 * @param {HTMLFormElement[]} forms the page's calculator forms
 */
function noteStrayKeys(forms) {
  if (!forms.length) return;
  const ids = forms.map((form) => form.dataset.calculator ?? "");
  const { miscased, elsewhere } = strayKeys(new URLSearchParams(window.location.search), ids);
  /** @param {HTMLFormElement} form @param {string} text */
  const note = (form, text) => {
    if (form.querySelector(`[data-link-stray="${CSS.escape(text)}"]`)) return; // bound again
    const p = document.createElement("p");
    p.className = "calc-note";
    p.dataset.linkStray = text;
    p.textContent = text;
    form.querySelector(".calc-error--form")?.before(p);
  };
  for (const [id, keys] of miscased) {
    const form = forms.find((f) => f.dataset.calculator === id);
    if (form) note(form, LINK.miscased(keys, id));
  }
  if (elsewhere.length) note(forms[0], LINK.elsewhere(elsewhere));
}

/** Let the browser paint and handle input before the next piece of work. */
function yieldToPage() {
  const scheduler = /** @type {any} */ (globalThis).scheduler;
  if (scheduler && typeof scheduler.yield === "function") return scheduler.yield();
  return new Promise((resolve) => setTimeout(resolve, 0));
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
