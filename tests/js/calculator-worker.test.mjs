// @ts-check
/**
 * docs/assets/js/calculator-worker.js, the worker's side of protocol.js, in node: `self` is
 * a stand-in for the worker's global scope and Pyodide a stand-in module (indexURL names a
 * folder holding a fake pyodide.mjs), so the message handling runs as in the browser:
 * init -> ready (once, however many inits), run -> result with Python's JSON as it left
 * Python, and every failure answered as data with the request's id.
 * Run: node --test tests/js/
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, beforeEach, describe, test } from "node:test";
import { pathToFileURL } from "node:url";

const LOCK_URL = "https://example.test/assets/wheels/pyodide-lock.json";
const PACKAGE = "baclofen-calculators";

/** The stand-in Pyodide: what loadPyodide was asked, and how it behaves. */
const fake = {
  /** @type {any[]} */
  loads: [],
  /** leave the package out of loadedPackages (a failed download Pyodide only logs) */
  dropPackage: false,
  /** @type {string | null} loadPyodide rejects with this */
  loadError: null,
  /** @type {Array<[string, string, string]>} calculators.web.run's calls */
  runs: [],
  /** @type {Promise<void> | null} loadPyodide waits for this (a start still under way) */
  hold: null,
};

const FAKE_PYODIDE = `
export const version = "314.0.7";
export async function loadPyodide(options) {
  const fake = globalThis.__fakePyodide;
  fake.loads.push(options);
  if (fake.hold) await fake.hold;
  if (fake.loadError) throw new TypeError(fake.loadError);
  const loadedPackages = {};
  for (const name of options.packages ?? []) if (!fake.dropPackage) loadedPackages[name] = "fake";
  const modules = {
    "calculators.web": {
      run(calculator, inputsJson, refsHref) {
        fake.runs.push([calculator, inputsJson, refsHref]);
        const inputs = JSON.parse(inputsJson);
        if (inputs.x === "bad") {
          return JSON.stringify({ ok: false, error: { name: "InputError", message: "1 field", errors: [{ field: "x", message: "X must be a number (got 'bad')" }] } });
        }
        return JSON.stringify({ ok: true, result: { calculator, inputs }, html: "<p>ok</p>", text: "ok" });
      },
    },
    sys: { version: "3.14.0 (main, fake)" },
    calculators: { __version__: "1.2.3" },
  };
  return { version, loadedPackages, pyimport: (name) => modules[name] };
}
`;

/** @type {string} */
let dir;
/** @type {string} */
let indexURL;

before(() => {
  dir = mkdtempSync(join(tmpdir(), "fake-pyodide-"));
  writeFileSync(join(dir, "pyodide.mjs"), FAKE_PYODIDE);
  indexURL = pathToFileURL(dir).href + "/";
  Object.assign(globalThis, { __fakePyodide: fake });
  // The lock file: the package has a dependency, so snapshot.js leaves it to loadPackage
  // (the `packages` option), which the fake records. No Cache Storage: no snapshot.
  globalThis.fetch = async (url) => {
    if (String(url) === LOCK_URL) {
      return Response.json({ packages: { [PACKAGE]: { file_name: "calculators-1.2.3-py3-none-any.whl", depends: ["x"] } } });
    }
    return new Response("not found", { status: 404 });
  };
});

after(() => rmSync(dir, { recursive: true, force: true }));

/** The worker's global scope: requests in, replies out. */
class WorkerScope extends EventTarget {
  constructor() {
    super();
    /** @type {any[]} */
    this.replies = [];
    /** @type {Array<(reply: any) => void>} */
    this.waiting = [];
  }

  /** @param {any} message */
  postMessage(message) {
    this.replies.push(structuredClone(message));
    for (const resolve of this.waiting.splice(0)) resolve(message);
  }

  /**
   * Post a request and wait for its one reply (each request has exactly one, whatever its
   * id; requests asked at once are told apart by id).
   * @param {any} request
   */
  async ask(request) {
    const before = this.replies.length;
    this.dispatchEvent(new MessageEvent("message", { data: request }));
    for (;;) {
      const fresh = this.replies.slice(before);
      const found = fresh.find((r) => r.id === request?.id) ?? (fresh.length && typeof request?.id !== "number" ? fresh[0] : undefined);
      if (found) return found;
      await new Promise((resolve) => this.waiting.push(resolve));
    }
  }
}

let fresh = 0;
/** A worker just started: a new scope and a new instance of the module. */
async function startWorker() {
  const scope = new WorkerScope();
  Object.assign(globalThis, { self: scope });
  fresh += 1;
  await import(`../../docs/assets/js/calculator-worker.js?instance=${fresh}`);
  return scope;
}

beforeEach(() => {
  Object.assign(fake, { loads: [], dropPackage: false, loadError: null, runs: [], hold: null });
});

/** @param {number} id */
function init(id) {
  return { type: "init", id, indexURL, lockFileURL: LOCK_URL, packages: [PACKAGE] };
}

describe("calculator-worker.js", () => {
  test("init starts Pyodide with the package and answers ready with the versions", async () => {
    const worker = await startWorker();
    const reply = await worker.ask(init(0));
    assert.equal(reply.type, "ready");
    assert.equal(reply.id, 0);
    assert.deepEqual(reply.versions, { pyodide: "314.0.7", python: "3.14.0", calculators: "1.2.3" });
    assert.equal(reply.start, "normal");
    assert.equal(reply.startReason, "no Cache Storage here (not a secure context)");
    assert.equal(typeof reply.startupMs, "number");
    assert.equal(fake.loads.length, 1);
    assert.equal(fake.loads[0].indexURL, indexURL);
    assert.deepEqual(fake.loads[0].packages, [PACKAGE]);
  });

  test("the build's standard library is loaded from beside the lock file, by names.json's name", async () => {
    // The name the build writes it under (sitebuild/prepare.py reads names.json too).
    const names = JSON.parse(readFileSync(new URL("../../sitebuild/names.json", import.meta.url), "utf-8"));
    const worker = await startWorker();
    await worker.ask(init(0));
    const expected = new URL(names.browser.STDLIB_FILE, LOCK_URL).href;
    assert.equal(fake.loads[0].stdLibURL, expected);
    // Control: the runtime's own copy (beside pyodide.mjs) is not what it loads.
    assert.notEqual(fake.loads[0].stdLibURL, new URL(names.browser.STDLIB_FILE, indexURL).href);
  });

  test("a second init is answered from the same start: Pyodide loads once", async () => {
    const worker = await startWorker();
    const [a, b] = await Promise.all([worker.ask(init(0)), worker.ask(init(5))]);
    assert.deepEqual([a.type, a.id, b.type, b.id], ["ready", 0, "ready", 5]);
    assert.equal(fake.loads.length, 1);
  });

  test("run sends the inputs to calculators.web.run as JSON and forwards its reply unchanged", async () => {
    const worker = await startWorker();
    await worker.ask(init(0));
    const reply = await worker.ask({ type: "run", id: 7, calculator: "oral-titration", inputs: { x: " 1.5" }, refsHref: "../refs/" });
    assert.deepEqual(fake.runs, [["oral-titration", '{"x":" 1.5"}', "../refs/"]]);
    assert.equal(reply.type, "result");
    assert.equal(reply.id, 7);
    assert.equal(reply.json, JSON.stringify({ ok: true, result: { calculator: "oral-titration", inputs: { x: " 1.5" } }, html: "<p>ok</p>", text: "ok" }));
  });

  test("bad input is a result (ok: false, one message per field), not a failure", async () => {
    const worker = await startWorker();
    await worker.ask(init(0));
    const reply = await worker.ask({ type: "run", id: 8, calculator: "c", inputs: { x: "bad" }, refsHref: "" });
    assert.equal(reply.type, "result");
    assert.deepEqual(JSON.parse(reply.json).error.errors, [{ field: "x", message: "X must be a number (got 'bad')" }]);
  });

  test("locale is answered at once with the locale's decimal separator: before init, without starting Python", async () => {
    const worker = await startWorker();
    const reply = await worker.ask({ type: "locale", id: 2 });
    const expected = new Intl.NumberFormat().formatToParts(1.5).find((part) => part.type === "decimal")?.value;
    assert.deepEqual(reply, { type: "locale", id: 2, decimal: expected });
    assert.equal(fake.loads.length, 0);
  });

  test("locale does not wait for a start under way, nor fail with a start that failed", async () => {
    /** @type {() => void} */
    let release = () => {};
    fake.hold = new Promise((resolve) => (release = resolve));
    fake.loadError = "NetworkError when attempting to fetch resource.";
    const worker = await startWorker();
    const starting = worker.ask(init(0));
    const during = await worker.ask({ type: "locale", id: 1 });
    assert.equal(during.type, "locale");
    assert.equal(worker.replies.filter((r) => r.id === 0).length, 0, "init still pending");
    release();
    assert.equal((await starting).type, "failure");
    const after = await worker.ask({ type: "locale", id: 2 });
    assert.deepEqual(after, { ...during, id: 2 });
  });

  test("a run before init is a ProtocolError, answered to its id", async () => {
    const worker = await startWorker();
    const reply = await worker.ask({ type: "run", id: 3, calculator: "c", inputs: {}, refsHref: "" });
    assert.deepEqual(reply, {
      type: "failure", id: 3, error: { name: "ProtocolError", message: "a run request arrived before init; send init first" },
    });
    assert.equal(fake.loads.length, 0);
  });

  test("an unknown request type is a ProtocolError naming it; no usable id is answered as -1", async () => {
    const worker = await startWorker();
    const reply = await worker.ask({ type: "compute", id: 4 });
    assert.equal(reply.type, "failure");
    assert.equal(reply.error.name, "ProtocolError");
    assert.equal(reply.error.message, 'unknown request type "compute"; expected init, run or locale');
    const noId = await worker.ask({ type: "run", id: "x" });
    assert.equal(noId.id, -1);
    assert.equal(noId.type, "failure");
    assert.equal(noId.error.name, "ProtocolError");
  });

  test("a Pyodide that cannot start is a failure carrying its error's name and message, to every later request", async () => {
    fake.loadError = "NetworkError when attempting to fetch resource.";
    const worker = await startWorker();
    const reply = await worker.ask(init(0));
    assert.deepEqual(reply, { type: "failure", id: 0, error: { name: "TypeError", message: fake.loadError } });
    const later = await worker.ask({ type: "run", id: 1, calculator: "c", inputs: {}, refsHref: "" });
    assert.deepEqual(later.error, reply.error);
  });

  test("a package Pyodide did not load (it only logs why) fails the start, naming it and the lock file", async () => {
    fake.dropPackage = true;
    const worker = await startWorker();
    const reply = await worker.ask(init(0));
    assert.equal(reply.type, "failure");
    assert.equal(reply.error.message, `could not load ${PACKAGE} from ${LOCK_URL}`);
  });
});

/** A shared worker's global scope: pages connect, each through a port of its own. */
class SharedScope extends EventTarget {
  constructor() {
    super();
    this.closed = false;
  }

  close() {
    this.closed = true;
  }

  /** A page connects: its port (a WorkerScope is a port: requests in, replies out). */
  connect() {
    const port = new WorkerScope();
    this.dispatchEvent(Object.assign(new Event("connect"), { ports: [port] }));
    return port;
  }
}

describe("calculator-worker.js as a shared worker", () => {
  /** @type {any} */
  let saved;
  before(() => {
    saved = /** @type {any} */ (globalThis).SharedWorkerGlobalScope;
    Object.assign(globalThis, { SharedWorkerGlobalScope: SharedScope });
  });
  after(() => {
    Object.assign(globalThis, { SharedWorkerGlobalScope: saved });
  });

  async function startShared() {
    const scope = new SharedScope();
    Object.assign(globalThis, { self: scope });
    fresh += 1;
    await import(`../../docs/assets/js/calculator-worker.js?instance=${fresh}`);
    return scope;
  }

  test("the first page starts Pyodide; the next page finds it running, and each is answered on its own port", async () => {
    const scope = await startShared();
    const first = scope.connect();
    const a = await first.ask(init(0));
    assert.equal(a.start, "normal");
    assert.ok(Object.keys(a.phases).includes("init"), "the start's own phases");
    const second = scope.connect();
    const b = await second.ask(init(0));
    assert.deepEqual([b.type, b.start, b.startReason, b.phases], ["ready", "running", null, {}]);
    assert.equal(fake.loads.length, 1, "Pyodide loads once for both pages");
    const run = await second.ask({ type: "run", id: 1, calculator: "c", inputs: {}, refsHref: "" });
    assert.equal(run.type, "result");
    assert.equal(first.replies.length, 1, "the first page hears only its own replies");
  });

  test("a page of another build is refused, not served the running build's calculators", async () => {
    const scope = await startShared();
    await scope.connect().ask(init(0));
    const other = await scope.connect().ask({ ...init(0), lockFileURL: "https://example.test/assets/other/pyodide-lock.json" });
    assert.equal(other.type, "failure");
    assert.equal(other.error.name, "ProtocolError");
    assert.match(other.error.message, /another build/);
    assert.equal(scope.closed, false);
  });

  test("a start that failed closes the shared worker, so that the next page starts afresh", async () => {
    fake.loadError = "NetworkError when attempting to fetch resource.";
    const scope = await startShared();
    const reply = await scope.connect().ask(init(0));
    assert.equal(reply.type, "failure");
    assert.equal(scope.closed, true);
  });
});
