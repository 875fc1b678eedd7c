// @ts-check
/// <reference lib="webworker" />
/**
 * The calculators' module Web Worker: Pyodide runs here, off the page's main thread.
 *
 * The messages are defined once, in protocol.js (page and worker import it):
 *
 *   page -> worker   {type: "init", id, indexURL, lockFileURL, packages}
 *                    {type: "run", id, calculator, inputs, refsHref}
 *                    {type: "locale", id}
 *   worker -> page   {type: "ready", id, versions, startupMs, start, startReason}
 *                    {type: "result", id, json}   calculators.web.run's reply, as it left
 *                                                 Python: {ok, result, html, text} or
 *                                                 {ok: false, error: {name, message, errors}}
 *                    {type: "failure", id, error: {name, message}}
 *                    {type: "locale", id, decimal}   the locale's decimal separator,
 *                                                    answered at once (not after init)
 *
 * One Python call per run: calculators.web.run answers with the complete reply (the
 * result, its HTML and its plain text) in one JSON text, and the worker forwards it as it
 * is; the page parses it once.
 *
 * There is one readiness promise: the first `init` starts Pyodide (or restores it from a
 * memory snapshot of an earlier visit: snapshot.js, `ready` says which) with the
 * calculators wheel named in the build's pyodide-lock.json (its sha256 checked); every
 * `run` awaits it. Nothing is fetched from anywhere but `indexURL` and `lockFileURL`'s
 * folder (the lock file, the wheel, and the build's standard library: STDLIB_FILE). The
 * first `init` may come from the inline early start in the page's <head>,
 * before the page's modules have loaded (protocol.js, EARLY_INIT_ID).
 */

import { REPLY, REQUEST, STDLIB_FILE, localeDecimal } from "./protocol.js";
import { mark, phases, startPyodide } from "./snapshot.js";

mark("worker");

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

// The standard library this build compiled (protocol.js, STDLIB_FILE) is beside the lock
// file, in the same content-addressed folder, its start-up modules as bytecode, so that
// Python's start does not compile them. Pyodide's own (sources only) is not in the site.

/** @type {Promise<Engine> | null} */
let ready = null;
/** @type {{indexURL: string, lockFileURL: string, packages: string[]} | null} what the first init asked for */
let started = null;

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
  const runtime = startRuntime(config.indexURL);
  const failed = startupFailure(runtime);
  try {
    return await Promise.race([boot(config), failed.promise]);
  } finally {
    // Only until up (or failed): a runtime that failed may reject again, and stays quiet.
    failed.stop();
  }
}

/**
 * @typedef {object} Runtime the runtime's two big files, on their way from the start
 * @property {string} wasmURL pyodide.asm.wasm
 * @property {Promise<Response>} response its download (handed to Pyodide's own fetch of it)
 * @property {Promise<WebAssembly.Module>} module its compilation, streamed as it arrives
 */

/**
 * Start the runtime's two big files at once, before Pyodide's loader asks for them.
 *
 * Pyodide fetches pyodide.asm.wasm early, but compiles it only once its 1.2 MB JavaScript
 * glue (pyodide.asm.mjs) has been fetched and evaluated, which pyodide.mjs in turn imports
 * only when loadPyodide runs: three files one after the other. Here the glue is imported
 * (the module map then hands pyodide.mjs the same module) and the WebAssembly compiled
 * while it streams in, all in parallel. Pyodide's own fetch of the .wasm file receives this
 * download (startupFailure), so the file is fetched once, and its instantiation uses this
 * compilation.
 * @param {string} indexURL
 * @returns {Runtime}
 */
function startRuntime(indexURL) {
  const wasmURL = new URL("pyodide.asm.wasm", indexURL).href;
  const response = fetch(wasmURL, { credentials: "same-origin" });
  const module = WebAssembly.compileStreaming(response);
  // Failures are reported where they are used: by the instantiation (startupFailure).
  module.then(() => mark("wasm-compiled"), () => {});
  import(new URL("pyodide.asm.mjs", indexURL).href).catch(() => {}); // loadPyodide reports it
  return { wasmURL, response, module };
}

/**
 * Pyodide reports some startup failures only on the console or as an unhandled rejection,
 * leaving loadPyodide's promise pending for ever: a runtime file that cannot be fetched,
 * and a WebAssembly module that cannot be compiled (missing, served with the wrong MIME
 * type, truncated or damaged: Pyodide catches that error and only logs "wasm instantiation
 * failed!"). Until the engine is up, such a rejection, error or failed instantiation is the
 * startup's failure, with its likely cause (diagnoseWasm): the page is told, as data.
 *
 * While Pyodide starts, its fetch of the runtime's .wasm file gets the download already
 * under way (once), and the instantiation of that download uses the module compiled from
 * it (startRuntime).
 * @param {Runtime} runtime
 * @returns {{promise: Promise<never>, stop: () => void}}
 */
function startupFailure(runtime) {
  const { wasmURL } = runtime;
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
  const nativeFetch = self.fetch;
  let handedOver = false;
  self.fetch = (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (!handedOver && url === wasmURL) {
      handedOver = true;
      return runtime.response;
    }
    return nativeFetch.call(self, input, init);
  };
  /** @param {unknown} error */
  const wasmFailed = (error) => {
    diagnoseWasm(wasmURL, error).then(
      (cause) => fail(new Error(cause)),
      () => fail(error instanceof Error ? error : new Error(String(error))),
    );
  };
  WebAssembly.instantiateStreaming = (source, imports) => {
    mark("wasm-requested");
    const attempt =
      source === runtime.response
        ? runtime.module.then(async (module) => ({
            module,
            instance: await instantiate.call(WebAssembly, module, imports),
          }))
        : instantiateStreaming.call(WebAssembly, source, imports);
    attempt.then(() => mark("wasm-instantiated"), wasmFailed);
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
      self.fetch = nativeFetch;
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
    stdLibURL: new URL(STDLIB_FILE, config.lockFileURL).href,
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
  mark("loaded");
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

/** @type {string} */
let separator = "";

/**
 * The decimal separator of the browser's default locale, looked up here rather than on the
 * page: ICU's first Intl.NumberFormat in a renderer costs 13-43 ms (docs/performance.md),
 * which on the page's main thread made a long task; here it delays nothing the reader sees.
 * @returns {string}
 */
function decimalSeparator() {
  separator ||= localeDecimal();
  return separator;
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
      mark("init");
      // A shared worker gets one init per page: the first starts Pyodide, the others
      // (pages of the same build: the worker's name carries its lock file) use it.
      const running = started;
      if (running && (running.indexURL !== request.indexURL || running.lockFileURL !== request.lockFileURL ||
          running.packages.join() !== request.packages.join())) {
        throw new ProtocolError("this worker runs another build's calculators; reload the page");
      }
      started ??= { indexURL: request.indexURL, lockFileURL: request.lockFileURL, packages: [...request.packages] };
      ready ??= start(request);
      const engine = await ready;
      mark("ready");
      return {
        type: REPLY.ready,
        id: request.id,
        versions: engine.versions,
        startupMs: engine.startupMs,
        start: running ? "running" : engine.start,
        startReason: running ? null : engine.startReason,
        phases: running ? {} : { ...phases },
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
    case REQUEST.locale:
      // Answered at once, whether or not Python has started (or could start): the page's
      // number fields need it from their first bind (calculator-form.js, applySeparator).
      return { type: REPLY.locale, id: request.id, decimal: decimalSeparator() };
    default: {
      const type = /** @type {{type?: unknown}} */ (request).type;
      throw new ProtocolError(`unknown request type ${JSON.stringify(type)}; expected init, run or locale`);
    }
  }
}

/**
 * Answer the requests that come through one port: the dedicated worker's own, or one
 * page's port of a shared worker.
 * @param {{postMessage: (message: WorkerReply) => void, addEventListener: (type: "message", listener: (event: MessageEvent<WorkerRequest>) => void) => void, start?: () => void}} port
 */
function serve(port) {
  port.addEventListener("message", (event) => {
    const request = event.data;
    handle(request).then(
      (reply) => port.postMessage(reply),
      (error) => {
        port.postMessage(
          /** @type {WorkerReply} */ ({
            type: REPLY.failure,
            id: typeof request?.id === "number" ? request.id : -1,
            error: asData(error),
          }),
        );
        // A shared worker whose start failed ends, so that the next page starts afresh.
        if (shared && request?.type === REQUEST.init && !(error instanceof ProtocolError)) self.close();
      },
    );
  });
  port.start?.();
}

const shared = typeof SharedWorkerGlobalScope !== "undefined" && self instanceof SharedWorkerGlobalScope;
if (shared) {
  self.addEventListener("connect", (/** @type {any} */ event) => serve(event.ports[0]));
} else {
  serve(/** @type {any} */ (self));
}
