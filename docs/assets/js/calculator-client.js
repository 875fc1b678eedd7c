// @ts-check
/**
 * The page's side of the calculators worker: one module Web Worker for the whole visit.
 *
 * With Material's instant navigation the page is never reloaded, so this module (and the
 * one worker it creates) lives across page changes: Pyodide starts once per visit. The
 * messages are defined in protocol.js; requests and replies are matched by `id`.
 *
 * Where the browser can keep a shared worker alive across page loads (extendedLifetime;
 * worker-start.js, which the inline early start uses too), the worker is a SharedWorker named by the build's lock file:
 * a reload, a link opened in a new tab or any other page of the same build connects to
 * the Python already running (`start: "running"`), and each page talks to it through its
 * own port. Elsewhere, and for a restart after a lost worker, it is a dedicated worker.
 *
 * The first client of a visit adopts the worker the inline early start in <head>
 * (sitebuild/finish_head.py, written by the build's finish step) created and sent `init` to, before Material's bundle and this
 * module had loaded: its events so far are replayed in order, and its `init` reply (id
 * EARLY_INIT_ID) is this client's readiness. Without one (the inline script blocked by a
 * policy without its hash, or no early start on the page) the client starts its own.
 *
 * Nothing here waits for ever:
 * - start-up has a deadline (STARTUP_DEADLINE_MS): `ready` rejects with a StartupError
 *   naming the likely cause, and the worker is stopped;
 * - each calculation has a deadline (RUN_DEADLINE_MS), and a worker `error` event after
 *   start-up means the worker is gone: its requests reject with a WorkerLostError;
 * - a lost worker is replaced once (MAX_RESTARTS, by `restartClient`); after that, and
 *   after any failed start-up, `getClient` keeps handing out the failed client, whose
 *   `ready` and `run` reject at once, so every later page can say so instead of waiting.
 */

import "./worker-start.js";
import { EARLY_GLOBAL, EARLY_INIT_ID, REPLY, REQUEST, RUNTIME_META, WORKER_NAME, WORKER_START_GLOBAL, parseRunReply } from "./protocol.js";

/**
 * How long start-up may take before it is reported as failed (ms). A first visit transfers
 * about 7 MB (the compressed runtime, standard library and wheel; docs/performance.md):
 * about a minute at 1 Mbit/s, then a few seconds to compile on a slow phone. A start-up
 * still not done after 90 s is far more likely a stalled network or a server that never
 * answers than a slow one, and the reader is told so rather than left on "Starting…".
 */
export const STARTUP_DEADLINE_MS = 90_000;

/**
 * After this long without being ready (ms), the status says the start is slow and why it
 * may be (a first visit downloads the runtime), before the deadline above gives up.
 */
export const STARTUP_SLOW_MS = 15_000;

/**
 * How long one calculation may take before the worker is declared hung (ms). A calculation
 * answers in 4–5 ms median, under 40 ms at p95 (docs/performance.md), and the one other
 * thing the worker does, saving its memory snapshot, blocks it for tens of ms: 5 s is over
 * 100 times the slowest answer measured, so no answer by then means a hung or dead worker,
 * and the reader learns within seconds that the result stopped following the values.
 */
export const RUN_DEADLINE_MS = 5_000;


/**
 * @typedef {(url: string, name: string, lockFileURL: string, dedicated: boolean) =>
 *   {worker: Worker | SharedWorker, port: Worker | MessagePort, shared: boolean}} StartWorker
 */

/** worker-start.js's function (imported above for it): the one way the worker is created,
 * the inline early start's too. */
const startWorker = /** @type {StartWorker} */ (
  /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (globalThis))[WORKER_START_GLOBAL]
);

/**
 * Where the page's runtime is: the `<meta name="baclofen-calculators">` the build puts in
 * each calculator page's <head> (RUNTIME_META; its URLs relative to the page), resolved
 * against the page's URL; null on a page without it.
 * @param {Document} [doc]
 * @returns {EngineConfig | null}
 */
export function runtimeConfig(doc = document) {
  const meta = doc.querySelector(`meta[name="${RUNTIME_META}"]`);
  if (!(meta instanceof HTMLMetaElement)) return null;
  const { pyodideIndex, pyodideLock, pyodidePackage } = meta.dataset;
  if (!pyodideIndex || !pyodideLock || !pyodidePackage) return null;
  return {
    indexURL: new URL(pyodideIndex, doc.baseURI).href,
    lockFileURL: new URL(pyodideLock, doc.baseURI).href,
    packageName: pyodidePackage,
  };
}

/** A lost worker is replaced this many times per visit; then the calculators say they are
 * unavailable (a worker that dies twice will die again, and each start costs seconds). */
export const MAX_RESTARTS = 1;

/**
 * @typedef {import("./protocol.js").InitRequest} InitRequest
 * @typedef {import("./protocol.js").RunRequest} RunRequest
 * @typedef {import("./protocol.js").LocaleRequest} LocaleRequest
 * @typedef {import("./protocol.js").WorkerRequest} WorkerRequest
 * @typedef {import("./protocol.js").FieldError} FieldError
 * @typedef {import("./protocol.js").ErrorData} ErrorData
 * @typedef {import("./protocol.js").Versions} Versions
 * @typedef {import("./protocol.js").WorkerReply} WorkerReply
 * @typedef {import("./protocol.js").RunReply} RunReply
 * @typedef {import("./protocol.js").EarlyStart} EarlyStart
 * @typedef {import("./protocol.js").EarlyEvent} EarlyEvent
 *
 * @typedef {object} EngineConfig
 * @property {string} indexURL absolute URL of the Pyodide runtime directory (ends in "/")
 * @property {string} lockFileURL absolute URL of the pyodide-lock.json holding the wheel
 * @property {string} packageName the calculators wheel's distribution name
 */

/** An error that came back from the worker as data (`name`, `message`). */
export class WorkerError extends Error {
  /** @param {ErrorData} data */
  constructor(data) {
    super(data.message);
    this.name = data.name;
  }
}

/** The engine did not start: `ready` rejects with this; the message names the likely cause. */
export class StartupError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = "StartupError";
  }
}

/** The worker died or stopped answering after it had started. */
export class WorkerLostError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = "WorkerLostError";
  }
}

/**
 * Counters for tests and for the curious (`window.baclofenCalculators` in the console).
 * @type {{workersCreated: number, restarts: number, early: boolean | null, versions: Versions | null, readyMs: number | null, firstResultMs: number | null, start: "snapshot" | "normal" | "running" | null, startReason: string | null, shared: boolean | null}}
 */
export const stats = {
  workersCreated: 0,
  shared: null, // the worker is a shared one (kept across page loads) or dedicated
  early: null, // the first worker was the inline early start's (adopted), or this module's
  restarts: 0, // workers started again after one was lost
  versions: null,
  readyMs: null, // performance.now() on the page when the engine became ready
  firstResultMs: null, // performance.now() on the page when a first live result was shown
  start: null, // how Pyodide started: "snapshot" (restored, snapshot.js), "normal", or
  // "running": a shared worker already running for an earlier page of this build
  startReason: null, // why not from a snapshot, when it was not
};

/** @param {number} ms */
function seconds(ms) {
  return `${Math.round(ms / 1000)} s`;
}

export class CalculatorClient {
  /**
   * @param {EngineConfig} config
   * @param {{restart?: boolean}} [options] `restart`: replacing a lost worker
   */
  constructor(config, options = {}) {
    this.config = config;
    /** performance.now() when this worker was started */
    this.startedAt = performance.now();
    /** @type {Map<number, {resolve: (reply: WorkerReply) => void, reject: (error: Error) => void, timer: ReturnType<typeof setTimeout> | undefined}>} */
    this.pending = new Map();
    this.nextId = EARLY_INIT_ID + 1;
    /** @type {"starting" | "ready" | "failed" | "lost"} */
    this.state = "starting";
    /** @type {Error | null} why the client cannot be used (a StartupError or WorkerLostError) */
    this.broken = null;
    /** @type {(error: Error) => void} */
    this.settleGone = () => {};
    /** Resolves with the error once this client cannot be used (never rejects): how a page
     * learns that an idle worker died, with no request of its own to fail. */
    this.gone = /** @type {Promise<Error>} */ (new Promise((resolve) => (this.settleGone = resolve)));
    const early = adoptEarly(config);
    /** @type {EarlyEvent[]} */
    let replay = [];
    /** @type {EventTarget} the Worker or SharedWorker */
    let worker;
    /** @type {EventTarget & {postMessage: (message: unknown) => void}} where messages go */
    let port;
    if (early) {
      worker = early.worker;
      port = early.port;
      this.shared = early.shared;
      this.startedAt = early.startedAt;
      this.adopted = true;
      replay = early.adopt();
    } else {
      const url = new URL("./calculator-worker.js", import.meta.url).href;
      // A restart gets a dedicated worker of its own: the shared one is what was lost.
      const started = startWorker(url, WORKER_NAME, config.lockFileURL, Boolean(options.restart));
      worker = started.worker;
      port = started.port;
      this.shared = started.shared;
      this.adopted = false;
    }
    this.worker = worker;
    this.port = port;
    stats.workersCreated += 1;
    stats.early = this.adopted;
    stats.shared = this.shared;
    const onMessage = (/** @type {MessageEvent} */ event) => this.receive(event.data);
    const onError = (/** @type {ErrorEvent} */ event) => {
      // Before start-up: the script itself failed (not found, a syntax error, module
      // workers unsupported). After: an uncaught error inside the worker. Either way it
      // cannot be trusted to answer again.
      event.preventDefault();
      const detail = event.message || "its script failed to load";
      this.fail(
        this.state === "starting"
          ? new StartupError(`the calculator worker could not start (${detail})`)
          : new WorkerLostError(`the calculator worker stopped (${detail})`),
      );
    };
    const onMessageError = () => {
      this.fail(new WorkerLostError("a message from the calculator worker could not be read"));
    };
    // Messages come through the port (a shared worker's, or the dedicated worker itself);
    // a script that fails to load is an error on the worker object either way.
    this.port.addEventListener("message", /** @type {EventListener} */ (onMessage));
    this.port.addEventListener("messageerror", onMessageError);
    this.worker.addEventListener("error", /** @type {EventListener} */ (onError));
    if (this.shared) /** @type {MessagePort} */ (this.port).start();
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    let deadline;
    const startupDeadline = /** @type {Promise<never>} */ (new Promise((_, reject) => {
      deadline = setTimeout(
        () =>
          reject(
            new StartupError(
              `it did not start within ${seconds(STARTUP_DEADLINE_MS)}: the network may have ` +
                "stalled or the server stopped answering; reload the page to try again",
            ),
          ),
        STARTUP_DEADLINE_MS,
      );
    }));
    const init = this.adopted
      ? this.expect(EARLY_INIT_ID)
      : this.request({
          type: REQUEST.init,
          indexURL: config.indexURL,
          lockFileURL: config.lockFileURL,
          packages: [config.packageName],
        });
    // What the early worker said before this client listened, in the order it said it.
    for (const { kind, event } of replay) {
      if (kind === "message") onMessage(/** @type {MessageEvent} */ (event));
      else if (kind === "error") onError(/** @type {ErrorEvent} */ (event));
      else onMessageError();
    }
    /** The one readiness promise: the versions once Pyodide has loaded, or a StartupError. */
    this.ready = Promise.race([init, startupDeadline]).then(
      (reply) => {
        clearTimeout(deadline);
        if (reply.type !== REPLY.ready) {
          throw new WorkerError({ name: "ProtocolError", message: `expected ready, got ${reply.type}` });
        }
        this.state = "ready";
        stats.versions = reply.versions;
        stats.start = reply.start;
        stats.startReason = reply.startReason;
        stats.readyMs = performance.now();
        return reply.versions;
      },
    ).catch((/** @type {unknown} */ error) => {
      clearTimeout(deadline);
      const failure =
        error instanceof StartupError
          ? error
          : new StartupError(error instanceof Error ? error.message : String(error));
      this.fail(failure);
      throw failure;
    });
    this.ready.catch(() => {}); // reported by whoever awaits it; never an unhandled rejection
  }

  /**
   * Post one request; its reply, or a rejection (worker gone, or past `deadlineMs`).
   * @param {Omit<InitRequest, "id"> | Omit<RunRequest, "id"> | Omit<LocaleRequest, "id">} message
   * @param {number} [deadlineMs] no deadline when not given (start-up has its own)
   * @returns {Promise<WorkerReply>}
   */
  request(message, deadlineMs) {
    if (this.broken) return Promise.reject(this.broken);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer =
        deadlineMs === undefined
          ? undefined
          : setTimeout(() => {
              this.fail(
                new WorkerLostError(
                  `the calculator worker gave no answer within ${seconds(deadlineMs)}`,
                ),
              );
            }, deadlineMs);
      this.pending.set(id, { resolve, reject, timer });
      this.port.postMessage({ ...message, id });
    });
  }

  /**
   * A reply to a request already posted (the early start's `init`).
   * @param {number} id
   * @returns {Promise<WorkerReply>}
   */
  expect(id) {
    if (this.broken) return Promise.reject(this.broken);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, timer: undefined });
    });
  }

  /** @param {WorkerReply} reply */
  receive(reply) {
    const waiting = this.pending.get(reply.id);
    if (!waiting) return; // an answer nobody waits for any more (past its deadline)
    this.pending.delete(reply.id);
    clearTimeout(waiting.timer);
    if (reply.type === REPLY.failure) waiting.reject(new WorkerError(reply.error));
    else waiting.resolve(reply);
  }

  /**
   * The worker cannot be used any more: reject everything pending, stop it.
   * @param {Error} error
   */
  fail(error) {
    if (this.broken) return;
    this.broken = error;
    this.state = error instanceof WorkerLostError ? "lost" : "failed";
    for (const { reject, timer } of this.pending.values()) {
      clearTimeout(timer);
      reject(error);
    }
    this.pending.clear();
    // A dedicated worker is stopped; a shared one is left (other pages may be using it).
    if (this.shared) /** @type {MessagePort} */ (this.port).close();
    else /** @type {Worker} */ (this.worker).terminate();
    this.settleGone(error);
  }

  /**
   * The decimal separator of the browser's locale, as the worker looks it up (at once, not
   * after start-up: protocol.js, REQUEST.locale). No deadline of its own: a worker busy
   * starting Python answers when it is next free, and one that never does fails start-up,
   * which rejects this too. Rejects at once when the client cannot be used.
   * @returns {Promise<string>}
   */
  async decimalSeparator() {
    const reply = await this.request({ type: REQUEST.locale });
    if (reply.type !== REPLY.locale) {
      throw new WorkerError({ name: "ProtocolError", message: `expected locale, got ${reply.type}` });
    }
    if (typeof reply.decimal !== "string" || !reply.decimal) {
      throw new WorkerError({ name: "ProtocolError", message: "the worker's locale reply names no decimal separator" });
    }
    return reply.decimal;
  }

  /**
   * Run one calculator. Resolves with the result, or with the input errors as data
   * (`ok: false`); rejects with a StartupError (the engine never started), a
   * WorkerLostError (the worker died or hung) or a WorkerError (the calculation failed).
   * @param {string} calculator
   * @param {Record<string, string>} inputs raw form values, as typed
   * @param {string} refsHref the References page URL relative to the page
   * @returns {Promise<RunReply>}
   */
  async run(calculator, inputs, refsHref) {
    await this.ready;
    const reply = await this.request({ type: REQUEST.run, calculator, inputs, refsHref }, RUN_DEADLINE_MS);
    if (reply.type !== REPLY.result) {
      throw new WorkerError({ name: "ProtocolError", message: `expected result, got ${reply.type}` });
    }
    return parseRunReply(reply);
  }
}

/**
 * The inline early start's worker, if there is one for this runtime and not yet adopted
 * (once only: a restarted client starts a worker of its own).
 * @param {EngineConfig} config
 * @returns {EarlyStart | null}
 */
function adoptEarly(config) {
  const holder = /** @type {Record<string, EarlyStart | undefined>} */ (/** @type {unknown} */ (globalThis));
  const early = holder[EARLY_GLOBAL];
  if (!early) return null;
  delete holder[EARLY_GLOBAL];
  const same =
    early.init.indexURL === config.indexURL &&
    early.init.lockFileURL === config.lockFileURL &&
    early.init.packages.length === 1 &&
    early.init.packages[0] === config.packageName;
  if (same) return early;
  early.adopt();
  // Started for another runtime: not ours to use.
  if (early.shared) /** @type {MessagePort} */ (early.port).close();
  else /** @type {Worker} */ (early.worker).terminate();
  return null;
}

/** @type {CalculatorClient | null} */
let client = null;

/**
 * The client for this visit, created on first use with the first page's URLs (every page
 * of one build names the same runtime and lock file). If the worker was lost and a restart
 * is left, a new one is started; otherwise the failed client is returned, so that its
 * rejections say why the calculators are unavailable.
 * @param {EngineConfig} config
 * @returns {CalculatorClient}
 */
export function getClient(config) {
  if (client === null) client = new CalculatorClient(config);
  else if (client.state === "lost") return restartClient(client) ?? client;
  return client;
}

/**
 * Replace a lost client with a new worker, once per visit (MAX_RESTARTS). Several forms
 * may report the same loss: only the first starts a worker, the others get the same one.
 * @param {CalculatorClient} lost
 * @returns {CalculatorClient | null} the client to use now, or null when none is left
 */
export function restartClient(lost) {
  if (client !== lost) return client;
  if (stats.restarts >= MAX_RESTARTS) return null;
  stats.restarts += 1;
  client = new CalculatorClient(lost.config, { restart: true });
  return client;
}
