// @ts-check
/// <reference lib="webworker" />
/**
 * The calculators' module Web Worker: Pyodide runs here, off the page's main thread.
 *
 * The messages are defined once, in protocol.js (page and worker import it):
 *
 *   page -> worker   {type: "init", id, indexURL, lockFileURL, packages}
 *                    {type: "run", id, calculator, inputs, refsHref}
 *   worker -> page   {type: "ready", id, versions, startupMs, start, startReason}
 *                    {type: "result", id, json}   calculators.web.run's reply, as it left
 *                                                 Python: {ok, result, html, text} or
 *                                                 {ok: false, error: {name, message, errors}}
 *                    {type: "failure", id, error: {name, message}}
 *
 * One Python call per run: calculators.web.run answers with the complete reply (the
 * result, its HTML and its plain text) in one JSON text, and the worker forwards it as it
 * is; the page parses it once.
 *
 * There is one readiness promise: the first `init` starts Pyodide (or restores it from a
 * memory snapshot of an earlier visit: snapshot.js, `ready` says which) with the
 * calculators wheel named in the build's pyodide-lock.json (its sha256 checked); every
 * `run` awaits it. Nothing is fetched from anywhere but `indexURL` and `lockFileURL`'s
 * folder. The first `init` may come from the inline early start in the page's <head>,
 * before the page's modules have loaded (protocol.js, EARLY_INIT_ID).
 */

import { REPLY, REQUEST } from "./protocol.js";
import { startPyodide } from "./snapshot.js";

/** @typedef {import("./protocol.js").WorkerRequest} WorkerRequest */
/** @typedef {import("./protocol.js").WorkerReply} WorkerReply */

/**
 * @typedef {object} Engine
 * @property {(calculator: string, inputsJson: string, refsHref: string) => string} run
 *   calculators.web.run: JSON in, the complete reply (result, HTML, text) JSON out.
 * @property {{pyodide: string, python: string, calculators: string}} versions
 * @property {number} startupMs time from the worker's start to the engine being ready
 * @property {"snapshot" | "normal"} start how Pyodide started (snapshot.js)
 * @property {string | null} startReason why not from a snapshot
 * @property {() => void} noteActivity after each answer: the snapshot is made after the first
 */

/** @type {Promise<Engine> | null} */
let ready = null;

/** A request the worker does not understand: the page and worker disagree on the protocol. */
class ProtocolError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = "ProtocolError";
  }
}

/**
 * Start Pyodide and import the calculators, or fail with the reason. Called once.
 * @param {{indexURL: string, lockFileURL: string, packages: string[]}} config
 * @returns {Promise<Engine>}
 */
async function start(config) {
  const failed = startupFailure(config.indexURL + "pyodide.asm.wasm");
  try {
    return await Promise.race([boot(config), failed.promise]);
  } finally {
    // Only until up (or failed): a runtime that failed may reject again, and stays quiet.
    failed.stop();
  }
}

/**
 * Pyodide reports some startup failures only on the console or as an unhandled rejection,
 * leaving loadPyodide's promise pending for ever: a runtime file that cannot be fetched,
 * and a WebAssembly module that cannot be compiled (missing, served with the wrong MIME
 * type, truncated or damaged: Pyodide catches that error and only logs "wasm instantiation
 * failed!"). Until the engine is up, such a rejection, error or failed instantiation is the
 * startup's failure, with its likely cause (diagnoseWasm): the page is told, as data.
 * @param {string} wasmURL the runtime's WebAssembly file, for the diagnosis
 * @returns {{promise: Promise<never>, stop: () => void}}
 */
function startupFailure(wasmURL) {
  /** @type {(error: Error) => void} */
  let fail = () => {};
  const promise = /** @type {Promise<never>} */ (
    new Promise((_, reject) => {
      fail = reject;
    })
  );
  const onRejection = (/** @type {PromiseRejectionEvent} */ event) => {
    event.preventDefault(); // reported to the page instead
    const reason = event.reason;
    fail(reason instanceof Error ? reason : new Error(String(reason)));
  };
  const onError = (/** @type {ErrorEvent} */ event) => {
    event.preventDefault();
    fail(event.error instanceof Error ? event.error : new Error(event.message));
  };
  self.addEventListener("unhandledrejection", onRejection);
  self.addEventListener("error", onError);
  // Watch WebAssembly's own entry points while Pyodide starts (restored afterwards).
  const { instantiateStreaming, instantiate } = WebAssembly;
  /** @param {unknown} error */
  const wasmFailed = (error) => {
    diagnoseWasm(wasmURL, error).then(
      (cause) => fail(new Error(cause)),
      () => fail(error instanceof Error ? error : new Error(String(error))),
    );
  };
  WebAssembly.instantiateStreaming = (source, imports) => {
    const attempt = instantiateStreaming.call(WebAssembly, source, imports);
    attempt.catch(wasmFailed);
    return attempt;
  };
  WebAssembly.instantiate = /** @type {typeof WebAssembly.instantiate} */ (
    (/** @type {any} */ source, /** @type {any} */ imports) => {
      const attempt = instantiate.call(WebAssembly, source, imports);
      attempt.catch(wasmFailed);
      return attempt;
    }
  );
  return {
    promise,
    stop: () => {
      self.removeEventListener("unhandledrejection", onRejection);
      self.removeEventListener("error", onError);
      WebAssembly.instantiateStreaming = instantiateStreaming;
      WebAssembly.instantiate = instantiate;
    },
  };
}

/**
 * Why the runtime's WebAssembly could not be compiled, in words a person hosting the site
 * can act on: fetched again and checked (status, MIME type, validity).
 * @param {string} url
 * @param {unknown} error the instantiation's own error
 * @returns {Promise<string>}
 */
async function diagnoseWasm(url, error) {
  const name = url.slice(url.lastIndexOf("/") + 1);
  const original = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  /** @type {Response} */
  let response;
  try {
    response = await fetch(url, { cache: "no-store" });
  } catch (fetchError) {
    return `${name} could not be downloaded: the network or the server failed (${original})`;
  }
  if (!response.ok) {
    await response.body?.cancel();
    return `the server answered HTTP ${response.status} for ${name}: the runtime file is missing or refused on the server`;
  }
  const type = (response.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  if (type !== "application/wasm") {
    await response.body?.cancel();
    return `the server sent ${name} as ${type || "a file with no type"}; the server must send .wasm files as application/wasm (see the hosting guide)`;
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (!WebAssembly.validate(bytes)) {
    return `${name} is damaged or incomplete (${bytes.length} bytes received, not a valid WebAssembly module): a truncated download, or something between the server and this browser changed it`;
  }
  return `${name} could not be compiled (${original})`;
}

/**
 * @param {{indexURL: string, lockFileURL: string, packages: string[]}} config
 * @returns {Promise<Engine>}
 */
async function boot(config) {
  // loadPyodide, or a restore from the memory snapshot of an earlier visit (snapshot.js).
  const { pyodide, start, reason, noteActivity } = await startPyodide({
    indexURL: config.indexURL,
    lockFileURL: config.lockFileURL,
    // Loaded while Python boots; its sha256 in the lock file is checked on download.
    packages: config.packages,
    options: {
      // stdout and stderr reach the console only through here: quiet unless something is wrong.
      stdout: () => {},
      stderr: (/** @type {string} */ line) => console.warn("[calculators worker]", line),
    },
  });
  const missing = config.packages.filter((name) => !(name in pyodide.loadedPackages));
  if (missing.length) {
    // loadPackage logs why (a failed download, a sha256 mismatch) but does not throw.
    throw new Error(`could not load ${missing.join(", ")} from ${config.lockFileURL}`);
  }
  const web = pyodide.pyimport("calculators.web");
  const sys = pyodide.pyimport("sys");
  const calculators = pyodide.pyimport("calculators");
  /** @type {(calculator: string, inputsJson: string, refsHref: string) => string} */
  const run = web.run;
  return {
    run: (calculator, inputsJson, refsHref) => run(calculator, inputsJson, refsHref),
    versions: {
      pyodide: pyodide.version,
      python: sys.version.split(" ")[0],
      calculators: calculators.__version__,
    },
    startupMs: performance.now(),
    start,
    startReason: reason,
    noteActivity,
  };
}

/**
 * @param {unknown} error
 * @returns {{name: string, message: string}}
 */
function asData(error) {
  if (error instanceof Error) {
    return { name: error.name || "Error", message: error.message };
  }
  return { name: "Error", message: String(error) };
}

/**
 * @param {WorkerRequest} request
 * @returns {Promise<WorkerReply>}
 */
async function handle(request) {
  switch (request.type) {
    case REQUEST.init: {
      ready ??= start(request);
      const engine = await ready;
      return {
        type: REPLY.ready,
        id: request.id,
        versions: engine.versions,
        startupMs: engine.startupMs,
        start: engine.start,
        startReason: engine.startReason,
      };
    }
    case REQUEST.run: {
      if (ready === null) {
        throw new ProtocolError("a run request arrived before init; send init first");
      }
      const engine = await ready;
      // One Python call; its JSON goes to the page as it is.
      const json = engine.run(request.calculator, JSON.stringify(request.inputs), request.refsHref);
      engine.noteActivity();
      return { type: REPLY.result, id: request.id, json };
    }
    default: {
      const type = /** @type {{type?: unknown}} */ (request).type;
      throw new ProtocolError(`unknown request type ${JSON.stringify(type)}; expected init or run`);
    }
  }
}

self.addEventListener("message", (/** @type {MessageEvent<WorkerRequest>} */ event) => {
  const request = event.data;
  handle(request).then(
    (reply) => self.postMessage(reply),
    (error) =>
      self.postMessage(
        /** @type {WorkerReply} */ ({
          type: REPLY.failure,
          id: typeof request?.id === "number" ? request.id : -1,
          error: asData(error),
        }),
      ),
  );
});
