// @ts-check
/**
 * The page's side of the calculators worker: one module Web Worker for the whole visit.
 *
 * With Material's instant navigation the page is never reloaded, so this module (and the
 * one worker it creates) lives across page changes: Pyodide starts once per visit. See
 * calculator-worker.js for the protocol; requests and replies are matched by `id`.
 */

/**
 * @typedef {{type: "init", id: number, indexURL: string, lockFileURL: string, packages: string[]}} InitRequest
 * @typedef {{type: "run", id: number, calculator: string, inputs: Record<string, string>, refsHref: string}} RunRequest
 * @typedef {InitRequest | RunRequest} WorkerRequest
 *
 * @typedef {{field: string, message: string}} FieldError
 * @typedef {{name: string, message: string, errors?: FieldError[]}} ErrorData
 * @typedef {{pyodide: string, python: string, calculators: string}} Versions
 *
 * @typedef {{type: "ready", id: number, versions: Versions, startupMs: number, start: "snapshot" | "normal", startReason: string | null}} ReadyReply
 * @typedef {{type: "result", id: number, ok: true, result: Record<string, unknown>, html: string, text: string}} ResultOk
 * @typedef {{type: "result", id: number, ok: false, error: ErrorData}} ResultInvalid
 * @typedef {{type: "failure", id: number, error: ErrorData}} FailureReply
 * @typedef {ReadyReply | ResultOk | ResultInvalid | FailureReply} WorkerReply
 * @typedef {ResultOk | ResultInvalid} RunReply
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

/**
 * Counters for tests and for the curious (`window.baclofenCalculators` in the console).
 * @type {{workersCreated: number, versions: Versions | null, readyMs: number | null, firstResultMs: number | null, start: "snapshot" | "normal" | null, startReason: string | null}}
 */
export const stats = {
  workersCreated: 0,
  versions: null,
  readyMs: null, // performance.now() on the page when the engine became ready
  firstResultMs: null, // performance.now() on the page when a first live result was shown
  start: null, // how Pyodide started: "snapshot" (restored, snapshot.js) or "normal"
  startReason: null, // why not from a snapshot, when it was not
};

export class CalculatorClient {
  /** @param {EngineConfig} config */
  constructor(config) {
    this.config = config;
    /** @type {Map<number, {resolve: (reply: WorkerReply) => void, reject: (error: Error) => void}>} */
    this.pending = new Map();
    this.nextId = 1;
    /** @type {Error | null} set once the worker itself is dead */
    this.broken = null;
    this.worker = new Worker(new URL("./calculator-worker.js", import.meta.url), {
      type: "module",
      name: "baclofen-calculators",
    });
    stats.workersCreated += 1;
    this.worker.addEventListener("message", (event) => this.receive(event.data));
    this.worker.addEventListener("error", (event) => {
      // The worker script itself failed (not found, syntax error, module workers
      // unsupported): nothing will answer, so every pending request fails now.
      event.preventDefault();
      this.fail(new WorkerError({
        name: "WorkerStartError",
        message: `the calculator worker could not start (${event.message || "script failed to load"})`,
      }));
    });
    this.worker.addEventListener("messageerror", () => {
      this.fail(new WorkerError({ name: "MessageError", message: "a worker message could not be read" }));
    });
    /** The one readiness promise: resolves with the versions once Pyodide has loaded. */
    this.ready = this.request({
      type: "init",
      indexURL: config.indexURL,
      lockFileURL: config.lockFileURL,
      packages: [config.packageName],
    }).then((reply) => {
      if (reply.type !== "ready") {
        throw new WorkerError({ name: "ProtocolError", message: `expected ready, got ${reply.type}` });
      }
      stats.versions = reply.versions;
      stats.start = reply.start;
      stats.startReason = reply.startReason;
      stats.readyMs = performance.now();
      return reply.versions;
    });
  }

  /**
   * @param {Omit<InitRequest, "id"> | Omit<RunRequest, "id">} message
   * @returns {Promise<WorkerReply>}
   */
  request(message) {
    if (this.broken) return Promise.reject(this.broken);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...message, id });
    });
  }

  /** @param {WorkerReply} reply */
  receive(reply) {
    const waiting = this.pending.get(reply.id);
    if (!waiting) return; // an answer nobody waits for (cannot happen with unique ids)
    this.pending.delete(reply.id);
    if (reply.type === "failure") waiting.reject(new WorkerError(reply.error));
    else waiting.resolve(reply);
  }

  /** @param {Error} error */
  fail(error) {
    this.broken = error;
    for (const { reject } of this.pending.values()) reject(error);
    this.pending.clear();
  }

  /**
   * Run one calculator. Resolves with the result, or with the input errors as data
   * (`ok: false`); rejects only when the engine failed.
   * @param {string} calculator
   * @param {Record<string, string>} inputs raw form values, as typed
   * @param {string} refsHref the References page URL relative to the page
   * @returns {Promise<RunReply>}
   */
  async run(calculator, inputs, refsHref) {
    await this.ready;
    const reply = await this.request({ type: "run", calculator, inputs, refsHref });
    if (reply.type !== "result") {
      throw new WorkerError({ name: "ProtocolError", message: `expected result, got ${reply.type}` });
    }
    return reply;
  }
}

/** @type {CalculatorClient | null} */
let client = null;

/**
 * The one client for this visit, created on first use with the first page's URLs (every
 * page of one build names the same runtime and lock file).
 * @param {EngineConfig} config
 * @returns {CalculatorClient}
 */
export function getClient(config) {
  client ??= new CalculatorClient(config);
  return client;
}
