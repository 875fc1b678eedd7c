// @ts-check
/**
 * The one definition of the messages the site's scripts exchange, imported by both ends:
 *
 * - the page <-> the calculators' Web Worker (calculator-client.js, calculator-worker.js,
 *   and the inline early start that the build's finish step (sitebuild/finish_head.py) writes into <head>, which posts
 *   the first `init` before any module has loaded: see EARLY_GLOBAL);
 * - the page <-> the site's service worker (assets/offline/register.js and selftest.js on
 *   the page, sw.js, built from assets/offline/sw.template.js).
 *
 * Every worker request carries an `id`, echoed by its one reply. A `result` with `ok: false`
 * is bad input (calculators.InputError, as data, one message per field); `failure` is
 * anything else (Pyodide could not load, a Python bug, a protocol mistake). Both cross the
 * boundary as data, never as a lost string. A `result` is calculators.web.run's reply as it
 * left Python (`json`: one JSON text holding `{ok, result, html, text}` or
 * `{ok: false, error}`), forwarded by the worker unchanged and parsed once, on the page
 * (parseRunReply).
 *
 * Only data lives here (no DOM, no worker API), so that any of those contexts can import it.
 *
 * The names shared with the build and with the classic scripts (EARLY_INIT_ID, EARLY_GLOBAL,
 * ... SW_MESSAGE) are kept once in sitebuild/names.json ("browser"): the build reads it, fills it into
 * the classic scripts and the service worker, and tests/js/names.test.mjs checks that these
 * exports equal it, as objects.
 */

/** The request types the page sends the calculators worker. `locale` asks for the
 * decimal separator of the browser's locale, answered at once (not after Python's start):
 * the worker looks it up so that the page's main thread never pays for ICU's first
 * Intl.NumberFormat (13-43 ms here), see calculators.js. */
export const REQUEST = Object.freeze({ init: "init", run: "run", locale: "locale" });

/** The reply types the calculators worker sends back. */
export const REPLY = Object.freeze({ ready: "ready", result: "result", failure: "failure", locale: "locale" });

/**
 * The id of the `init` request posted by the inline early start in <head> (sitebuild/finish_head.py),
 * before calculator-client.js has loaded; the client that adopts that worker waits for the
 * reply with this id. Ids the client assigns itself start above it.
 */
export const EARLY_INIT_ID = 0;

/**
 * Where the inline early start leaves its worker for calculator-client.js to adopt:
 * `window[EARLY_GLOBAL]` is an EarlyStart.
 */
export const EARLY_GLOBAL = "__baclofenEarlyWorker";

/** The worker's name; a shared worker's adds the build's lock file URL
 * (worker-start.js). */
export const WORKER_NAME = "baclofen-calculators";

/** Where worker-start.js leaves its one function that creates the worker (for the inline
 * early start and calculator-client.js alike: a classic script cannot export it). */
export const WORKER_START_GLOBAL = "__baclofenStartWorker";

/** The name of the `<meta>` on each calculator page that says where the runtime, the lock
 * file and the package are (its `data-pyodide-*` attributes, URLs relative to the page). */
export const RUNTIME_META = "baclofen-calculators";

/** The standard library the build compiled (sitebuild/prepare.py), beside the lock file. */
export const STDLIB_FILE = "python_stdlib.zip";

/** The build's manifest, from the site root (sitebuild/finish_offline.py writes it). */
export const MANIFEST_PATH = "assets/offline/manifest.json";

/** Messages between the page and the service worker (`type`). */
export const SW_MESSAGE = Object.freeze({
  /** page -> service worker (a MessagePort attached, or answered to the page), and the
   * service worker's answer and its own announcements to every open page */
  precacheStatus: "precache-status",
  /** page -> waiting service worker: activate now (the reader clicked "reload") */
  skipWaiting: "skip-waiting",
});

/**
 * How calculators.js tells the page's other scripts that the live calculator has settled:
 * it has answered once (`live`), or it is unavailable for this visit (`unavailable`). The
 * value is kept on <html> in `attribute` (for a script that runs later, and for tests), and
 * `event` is dispatched on `document` once, the first time. register.js waits for it on a
 * first visit to a calculator page before it registers the service worker, whose precache
 * would otherwise compete with Python's start for the CPU and the network
 * (docs/performance.md).
 */
export const ENGINE_SETTLED = Object.freeze({
  event: "calculators:engine-settled",
  attribute: "data-calculators-engine",
});

/** The longest (ms) the offline copy (register.js) and the search index (the inline gate)
 * wait for a calculator that never settles: the site's own choice. */
export const ENGINE_WAIT_MAX_MS = 30000;

/** How long (ms) a first visit's page stays open after its calculator settled before the
 * offline copy starts (register.js): the site's own choice. */
export const OFFLINE_DWELL_MS = 3000;

/**
 * @typedef {{type: "init", id: number, indexURL: string, lockFileURL: string, packages: string[]}} InitRequest
 * @typedef {{type: "run", id: number, calculator: string, inputs: Record<string, string>, refsHref: string}} RunRequest
 * @typedef {{type: "locale", id: number}} LocaleRequest
 * @typedef {InitRequest | RunRequest | LocaleRequest} WorkerRequest
 *
 * @typedef {{field: string, message: string}} FieldError
 * @typedef {{name: string, message: string, errors?: FieldError[]}} ErrorData
 * @typedef {{pyodide: string, python: string, calculators: string}} Versions
 *
 * @typedef {{type: "ready", id: number, versions: Versions, startupMs: number, start: "snapshot" | "normal" | "running", startReason: string | null, phases: StartPhases}} ReadyReply
 *   `start`: how Pyodide started ("snapshot", "normal"), or "running" when a shared worker
 *   was already running for an earlier page (its phases are then not this page's: empty)
 * @typedef {Record<string, number>} StartPhases when each step of the worker's start
 *   happened (epoch ms; snapshot.js `mark`): for the benchmark, nothing depends on them
 * @typedef {{type: "result", id: number, json: string}} ResultReply calculators.web.run's JSON, as it left Python
 * @typedef {{type: "failure", id: number, error: ErrorData}} FailureReply
 * @typedef {{type: "locale", id: number, decimal: string}} LocaleReply `decimal`:
 *   localeDecimal() in the worker (same browser, same default locale as the page)
 * @typedef {ReadyReply | ResultReply | FailureReply | LocaleReply} WorkerReply
 *
 * @typedef {{ok: true, result: Record<string, unknown>, html: string, html_sha256?: string, text: string}} RunOk
 *   `html_sha256`: the HTML's SHA-256, also written by the build on each form's result
 * @typedef {{ok: false, error: ErrorData}} RunInvalid
 * @typedef {RunOk | RunInvalid} RunReply what a `result` holds, parsed
 *
 * @typedef {{kind: "message" | "error" | "messageerror", event: Event}} EarlyEvent
 * @typedef {object} EarlyStart the inline early start's worker, waiting to be adopted
 * @property {EventTarget} worker the Worker or SharedWorker (its `error` events)
 * @property {EventTarget & {postMessage: (message: unknown) => void}} port what messages go
 *   through: the dedicated worker itself, or a shared worker's port (already started)
 * @property {boolean} shared whether `worker` is a SharedWorker
 * @property {number} startedAt performance.now() when it was created
 * @property {{indexURL: string, lockFileURL: string, packages: string[]}} init what its
 *   `init` (id EARLY_INIT_ID) asked for
 * @property {() => EarlyEvent[]} adopt stops buffering; the events so far, in order
 *
 * @typedef {{type: "precache-status", cache: string, version: string, cached: number, total: number, complete: boolean, failed?: boolean, problems?: string[], failures?: number}} PrecacheStatus
 * @typedef {{type: "precache-status"} | {type: "skip-waiting"}} ServiceWorkerRequest
 */

/**
 * The decimal separator of this context's default locale: what a `locale` reply carries.
 * The worker calls it (calculator-worker.js); the page only when no worker answers
 * (calculators.js). Intl only, so that either context can.
 * @returns {string}
 */
export function localeDecimal() {
  return new Intl.NumberFormat().formatToParts(1.5).find((part) => part.type === "decimal")?.value ?? ".";
}

/**
 * The reply inside a `result` message, parsed (once, on the page).
 * @param {ResultReply} message
 * @returns {RunReply}
 */
export function parseRunReply(message) {
  const reply = JSON.parse(message.json);
  if (!reply || typeof reply !== "object" || typeof reply.ok !== "boolean") {
    throw new Error("the worker's result is not calculators.web.run's reply");
  }
  return reply;
}
