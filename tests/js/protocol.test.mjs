// @ts-check
/**
 * docs/assets/js/protocol.js, the messages' one definition, and the page's side of it
 * (docs/assets/js/calculator-client.js) driven against a stand-in Worker: requests carry
 * ids, each reply settles its own request, a `failure` crosses as data, a lost worker fails
 * what is pending, and the early start's worker is adopted with its events replayed.
 * Run: node --test tests/js/
 */
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, mock, test } from "node:test";

import { EARLY_GLOBAL, EARLY_INIT_ID, REPLY, REQUEST, SW_MESSAGE, parseRunReply } from "../../docs/assets/js/protocol.js";
import { errorEvent, installFakeSharedWorker, installFakeWorker, settle } from "./lib/fake-worker.mjs";

const FakeWorker = installFakeWorker();

const CONFIG = {
  indexURL: "https://example.test/assets/pyodide/314.0.7/",
  lockFileURL: "https://example.test/assets/wheels/pyodide-lock.json",
  packageName: "baclofen-calculators",
};
const VERSIONS = { pyodide: "314.0.7", python: "3.14.0", calculators: "1.0.0" };

let fresh = 0;
/**
 * A new instance of calculator-client.js (its one client per visit and its counters start
 * empty), as a page that has just loaded it.
 * @returns {Promise<typeof import("../../docs/assets/js/calculator-client.js")>}
 */
async function loadClient() {
  fresh += 1;
  return import(`../../docs/assets/js/calculator-client.js?instance=${fresh}`);
}

/** @param {FakeWorker} worker @param {number} id */
function ready(worker, id) {
  worker.reply({ type: REPLY.ready, id, versions: VERSIONS, startupMs: 1234, start: "normal", startReason: "no snapshot yet" });
}

/** @param {object} reply calculators.web.run's reply */
function resultJson(reply) {
  return JSON.stringify(reply);
}

beforeEach(() => {
  FakeWorker.created = [];
  delete (/** @type {any} */ (globalThis))[EARLY_GLOBAL];
});

describe("protocol.js", () => {
  test("names the worker's requests and replies, frozen", () => {
    assert.deepEqual({ ...REQUEST }, { init: "init", run: "run", locale: "locale" });
    assert.deepEqual({ ...REPLY }, { ready: "ready", result: "result", failure: "failure", locale: "locale" });
    assert.deepEqual({ ...SW_MESSAGE }, { precacheStatus: "precache-status", skipWaiting: "skip-waiting" });
    for (const table of [REQUEST, REPLY, SW_MESSAGE]) assert.ok(Object.isFrozen(table));
  });

  test("parseRunReply gives back calculators.web.run's reply, good or invalid input", () => {
    const ok = { ok: true, result: { daily_mg: 15 }, html: "<p>15 mg</p>", text: "15 mg" };
    assert.deepEqual(parseRunReply({ type: "result", id: 3, json: JSON.stringify(ok) }), ok);
    const invalid = { ok: false, error: { name: "InputError", message: "bad", errors: [{ field: "a", message: "too big" }] } };
    assert.deepEqual(parseRunReply({ type: "result", id: 3, json: JSON.stringify(invalid) }), invalid);
  });

  test("parseRunReply refuses JSON that is not a run reply, and text that is not JSON", () => {
    for (const json of ["null", "[]", '"ok"', "{}", '{"ok": "yes"}', "5"]) {
      assert.throws(() => parseRunReply({ type: "result", id: 1, json }), /not calculators\.web\.run's reply/, json);
    }
    assert.throws(() => parseRunReply({ type: "result", id: 1, json: "{ok: true" }), SyntaxError);
  });
});

describe("CalculatorClient", () => {
  test("starts one module worker and sends it init with the runtime's URLs", async () => {
    const { CalculatorClient, stats } = await loadClient();
    const client = new CalculatorClient(CONFIG);
    assert.equal(FakeWorker.created.length, 1);
    const [worker] = FakeWorker.created;
    assert.match(worker.url, /\/docs\/assets\/js\/calculator-worker\.js$/);
    assert.deepEqual(worker.options, { type: "module", name: "baclofen-calculators" });
    assert.deepEqual(worker.posted, [
      { type: "init", id: EARLY_INIT_ID + 1, indexURL: CONFIG.indexURL, lockFileURL: CONFIG.lockFileURL, packages: [CONFIG.packageName] },
    ]);
    assert.equal(client.state, "starting");
    ready(worker, EARLY_INIT_ID + 1);
    assert.deepEqual(await client.ready, VERSIONS);
    assert.equal(client.state, "ready");
    assert.equal(stats.workersCreated, 1);
    assert.equal(stats.early, false);
    assert.deepEqual(stats.versions, VERSIONS);
    assert.equal(stats.start, "normal");
    assert.equal(stats.startReason, "no snapshot yet");
    client.fail(new Error("test over"));
  });

  test("run posts the calculator and raw inputs, and parses the result it gets back", async () => {
    const { CalculatorClient } = await loadClient();
    const client = new CalculatorClient(CONFIG);
    const [worker] = FakeWorker.created;
    ready(worker, 1);
    const running = client.run("oral-titration", { target_daily_mg: "80 " }, "../references/");
    await settle();
    assert.deepEqual(worker.posted[1], {
      type: "run", id: 2, calculator: "oral-titration", inputs: { target_daily_mg: "80 " }, refsHref: "../references/",
    });
    const reply = { ok: true, result: { target_daily_mg: 80 }, html: "<table></table>", text: "80 mg" };
    worker.reply({ type: "result", id: 2, json: resultJson(reply) });
    assert.deepEqual(await running, reply);
    client.fail(new Error("test over"));
  });

  test("each reply settles the request with its id, whatever the order they come in", async () => {
    const { CalculatorClient } = await loadClient();
    const client = new CalculatorClient(CONFIG);
    const [worker] = FakeWorker.created;
    ready(worker, 1);
    const first = client.run("a", { x: "1" }, "");
    const second = client.run("b", { x: "2" }, "");
    await settle();
    const ids = worker.posted.slice(1).map((m) => [m.id, m.calculator]);
    assert.deepEqual(ids, [[2, "a"], [3, "b"]]);
    worker.reply({ type: "result", id: 3, json: resultJson({ ok: true, result: { n: 2 }, html: "", text: "two" }) });
    worker.reply({ type: "result", id: 99, json: "not even JSON" }); // nobody waits for it: ignored
    worker.reply({ type: "result", id: 2, json: resultJson({ ok: false, error: { name: "InputError", message: "x" } }) });
    assert.deepEqual(await second, { ok: true, result: { n: 2 }, html: "", text: "two" });
    assert.deepEqual(await first, { ok: false, error: { name: "InputError", message: "x" } });
    client.fail(new Error("test over"));
  });

  test("a failure reply rejects its request with a WorkerError carrying the worker's name and message", async () => {
    const { CalculatorClient, WorkerError } = await loadClient();
    const client = new CalculatorClient(CONFIG);
    const [worker] = FakeWorker.created;
    ready(worker, 1);
    const running = client.run("a", {}, "");
    await settle();
    worker.reply({ type: "failure", id: 2, error: { name: "ZeroDivisionError", message: "division by zero" } });
    await assert.rejects(running, (/** @type {any} */ error) => {
      assert.ok(error instanceof WorkerError);
      assert.equal(error.name, "ZeroDivisionError");
      assert.equal(error.message, "division by zero");
      return true;
    });
    assert.equal(client.state, "ready"); // one calculation failed; the worker is fine
    client.fail(new Error("test over"));
  });

  test("decimalSeparator asks the worker at once, before it is ready, and gives its answer", async () => {
    const { CalculatorClient } = await loadClient();
    const client = new CalculatorClient(CONFIG);
    const [worker] = FakeWorker.created;
    const asking = client.decimalSeparator();
    assert.deepEqual(worker.posted[1], { type: "locale", id: 2 });
    assert.equal(client.state, "starting");
    worker.reply({ type: "locale", id: 2, decimal: "," });
    assert.equal(await asking, ",");
    client.fail(new Error("test over"));
  });

  test("decimalSeparator rejects when the start fails before the answer, and at once afterwards", async () => {
    const { CalculatorClient, StartupError } = await loadClient();
    const client = new CalculatorClient(CONFIG);
    const [worker] = FakeWorker.created;
    const asking = client.decimalSeparator();
    worker.dispatchEvent(errorEvent("Failed to fetch a worker script"));
    await assert.rejects(asking, StartupError);
    await assert.rejects(client.decimalSeparator(), StartupError);
    assert.equal(worker.posted.length, 2, "nothing posted to a failed worker");
  });

  test("a locale reply without a separator is a protocol error", async () => {
    const { CalculatorClient, WorkerError } = await loadClient();
    const client = new CalculatorClient(CONFIG);
    const [worker] = FakeWorker.created;
    const asking = client.decimalSeparator();
    worker.reply({ type: "locale", id: 2, decimal: "" });
    await assert.rejects(asking, (/** @type {any} */ error) => error instanceof WorkerError && error.message === "the worker's locale reply names no decimal separator");
    client.fail(new Error("test over"));
  });

  test("a worker error before ready rejects ready with a StartupError and stops the worker", async () => {
    const { CalculatorClient, StartupError } = await loadClient();
    const client = new CalculatorClient(CONFIG);
    const [worker] = FakeWorker.created;
    const event = errorEvent("Failed to fetch a worker script");
    worker.dispatchEvent(event);
    await assert.rejects(client.ready, (/** @type {any} */ error) => {
      assert.ok(error instanceof StartupError);
      assert.match(error.message, /could not start \(Failed to fetch a worker script\)/);
      return true;
    });
    assert.ok(event.defaultPrevented, "the error is handled, not also logged as uncaught");
    assert.equal(client.state, "failed");
    assert.ok(worker.terminated);
    await assert.rejects(client.run("a", {}, ""), StartupError);
  });

  test("a worker lost after start fails what is pending with a WorkerLostError, and says so on gone", async () => {
    const { CalculatorClient, WorkerLostError } = await loadClient();
    const client = new CalculatorClient(CONFIG);
    const [worker] = FakeWorker.created;
    ready(worker, 1);
    const running = client.run("a", {}, "");
    await settle();
    worker.crash("RangeError: Maximum call stack size exceeded");
    await assert.rejects(running, (/** @type {any} */ error) => {
      assert.ok(error instanceof WorkerLostError);
      assert.match(error.message, /stopped \(RangeError: Maximum call stack size exceeded\)/);
      return true;
    });
    assert.equal(client.state, "lost");
    assert.ok(worker.terminated);
    assert.ok((await client.gone) instanceof WorkerLostError);
    await assert.rejects(client.request({ type: "run", calculator: "a", inputs: {}, refsHref: "" }), WorkerLostError);
  });

  test("a reply that is not ready to init is a protocol error: the start fails", async () => {
    const { CalculatorClient, StartupError } = await loadClient();
    const client = new CalculatorClient(CONFIG);
    const [worker] = FakeWorker.created;
    worker.reply({ type: "result", id: 1, json: "{}" });
    await assert.rejects(client.ready, (/** @type {any} */ error) => {
      assert.ok(error instanceof StartupError);
      assert.equal(error.message, "expected ready, got result");
      return true;
    });
  });

  describe("deadlines", () => {
    beforeEach(() => mock.timers.enable({ apis: ["setTimeout"] }));
    afterEach(() => mock.timers.reset());

    test("a calculation unanswered for RUN_DEADLINE_MS loses the worker", async () => {
      const { CalculatorClient, RUN_DEADLINE_MS, WorkerLostError } = await loadClient();
      const client = new CalculatorClient(CONFIG);
      const [worker] = FakeWorker.created;
      ready(worker, 1);
      const running = client.run("a", {}, "");
      running.catch(() => {});
      await settle();
      mock.timers.tick(RUN_DEADLINE_MS - 1);
      await settle();
      assert.equal(client.state, "ready", "not before the deadline");
      mock.timers.tick(1);
      await assert.rejects(running, (/** @type {any} */ error) => {
        assert.ok(error instanceof WorkerLostError);
        assert.match(error.message, /gave no answer within 5 s/);
        return true;
      });
      assert.ok(worker.terminated);
    });

    test("a start-up past STARTUP_DEADLINE_MS rejects ready with a StartupError saying why", async () => {
      const { CalculatorClient, STARTUP_DEADLINE_MS, StartupError } = await loadClient();
      const client = new CalculatorClient(CONFIG);
      mock.timers.tick(STARTUP_DEADLINE_MS);
      await assert.rejects(client.ready, (/** @type {any} */ error) => {
        assert.ok(error instanceof StartupError);
        assert.match(error.message, /did not start within 90 s/);
        return true;
      });
      assert.ok(FakeWorker.created[0].terminated);
    });
  });
});

describe("getClient and restartClient", () => {
  test("one client per visit; a lost one is replaced once, then the calculators are unavailable", async () => {
    const { getClient, restartClient, stats, WorkerLostError } = await loadClient();
    const first = getClient(CONFIG);
    assert.equal(getClient(CONFIG), first);
    first.fail(new WorkerLostError("gone"));
    const second = getClient(CONFIG);
    assert.notEqual(second, first);
    assert.equal(restartClient(first), second, "a second report of the same loss gets the same new client");
    assert.equal(stats.restarts, 1);
    second.fail(new WorkerLostError("gone again"));
    assert.equal(restartClient(second), null);
    assert.equal(getClient(CONFIG), second, "the failed client, whose rejections say why");
    assert.equal(FakeWorker.created.length, 2);
  });
});

describe("the inline early start", () => {
  /**
   * What the inline early start (sitebuild/finish_head.py) leaves on window: a worker that was sent init (id 0).
   * @param {{indexURL: string, lockFileURL: string, packages: string[]}} init
   * @param {() => Array<{kind: "message" | "error" | "messageerror", event: Event}>} adopt
   */
  function earlyStart(init, adopt) {
    const worker = new FakeWorker("early.js");
    const early = { worker, port: worker, shared: false, startedAt: 12.5, init, adopt };
    Object.assign(globalThis, { [EARLY_GLOBAL]: early });
    FakeWorker.created = [];
    return worker;
  }

  test("its worker is adopted: no second init, and the events it buffered are replayed in order", async () => {
    const { CalculatorClient, stats } = await loadClient();
    const events = [
      { kind: /** @type {const} */ ("message"), event: new MessageEvent("message", {
        data: { type: "ready", id: EARLY_INIT_ID, versions: VERSIONS, startupMs: 1, start: "snapshot", startReason: null },
      }) },
    ];
    let adopted = 0;
    const worker = earlyStart(
      { indexURL: CONFIG.indexURL, lockFileURL: CONFIG.lockFileURL, packages: [CONFIG.packageName] },
      () => (adopted += 1, events),
    );
    const client = new CalculatorClient(CONFIG);
    assert.equal(FakeWorker.created.length, 0, "no worker of its own");
    assert.equal(client.worker, worker);
    assert.equal(client.startedAt, 12.5);
    assert.equal(adopted, 1);
    assert.ok(!(EARLY_GLOBAL in globalThis), "adopted once only");
    assert.deepEqual(await client.ready, VERSIONS);
    assert.deepEqual(worker.posted, [], "the early start already sent init");
    assert.equal(stats.early, true);
    assert.equal(stats.start, "snapshot");
    const running = client.run("a", {}, "");
    await settle();
    assert.equal(worker.posted[0].id, EARLY_INIT_ID + 1);
    worker.reply({ type: "result", id: EARLY_INIT_ID + 1, json: resultJson({ ok: true, result: {}, html: "", text: "" }) });
    assert.equal((await running).ok, true);
    client.fail(new Error("test over"));
  });

  test("a buffered error event is replayed too: the start fails with it", async () => {
    const { CalculatorClient, StartupError } = await loadClient();
    earlyStart(
      { indexURL: CONFIG.indexURL, lockFileURL: CONFIG.lockFileURL, packages: [CONFIG.packageName] },
      () => [{ kind: "error", event: errorEvent("SyntaxError in the worker") }],
    );
    const client = new CalculatorClient(CONFIG);
    await assert.rejects(client.ready, (/** @type {any} */ error) => {
      assert.ok(error instanceof StartupError);
      assert.match(error.message, /SyntaxError in the worker/);
      return true;
    });
  });

  test("a worker started for another runtime is stopped, and the client starts its own", async () => {
    const { CalculatorClient } = await loadClient();
    const other = earlyStart(
      { indexURL: "https://example.test/assets/pyodide/0.1/", lockFileURL: CONFIG.lockFileURL, packages: [CONFIG.packageName] },
      () => [],
    );
    const client = new CalculatorClient(CONFIG);
    assert.ok(other.terminated);
    assert.equal(FakeWorker.created.length, 1);
    assert.equal(client.worker, FakeWorker.created[0]);
    assert.equal(client.adopted, false);
    assert.equal(FakeWorker.created[0].posted[0].type, "init");
    client.fail(new Error("test over"));
  });
});

describe("a shared worker, where the browser keeps it across page loads", () => {
  afterEach(() => {
    delete (/** @type {any} */ (globalThis)).SharedWorker;
  });

  test("is used when the browser reads extendedLifetime: named by the build, init through its port", async () => {
    const FakeSharedWorker = installFakeSharedWorker();
    const { CalculatorClient, stats } = await loadClient();
    const client = new CalculatorClient(CONFIG);
    assert.equal(FakeWorker.created.length, 0, "no dedicated worker");
    assert.equal(FakeSharedWorker.created.length, 1, "the detection itself creates no worker");
    const [shared] = FakeSharedWorker.created;
    assert.match(shared.url, /\/docs\/assets\/js\/calculator-worker\.js$/);
    assert.deepEqual(shared.options, {
      type: "module",
      name: `baclofen-calculators ${CONFIG.lockFileURL}`,
      extendedLifetime: true,
    });
    assert.equal(shared.port.started, true);
    const [init] = shared.port.posted;
    assert.equal(init.type, "init");
    assert.equal(init.lockFileURL, CONFIG.lockFileURL);
    shared.port.reply({ type: REPLY.ready, id: init.id, versions: VERSIONS, startupMs: 5, start: "running", startReason: null, phases: {} });
    assert.deepEqual(await client.ready, VERSIONS);
    assert.equal(stats.shared, true);
    assert.equal(stats.start, "running");
    const running = client.run("a", {}, "");
    await settle();
    const request = shared.port.posted[1];
    assert.equal(request.type, "run");
    shared.port.reply({ type: REPLY.result, id: request.id, json: resultJson({ ok: true, result: { x: 1 }, html: "", text: "" }) });
    assert.deepEqual((await running).result, { x: 1 });
    client.fail(new Error("test over"));
    assert.equal(shared.port.closed, true, "a failed client lets go of its port, leaving the worker to other pages");
  });

  test("is not used where the browser ignores extendedLifetime: a dedicated worker instead", async () => {
    const FakeSharedWorker = installFakeSharedWorker();
    FakeSharedWorker.readsExtendedLifetime = false;
    const { CalculatorClient, stats } = await loadClient();
    const client = new CalculatorClient(CONFIG);
    assert.equal(FakeSharedWorker.created.length, 0);
    assert.equal(FakeWorker.created.length, 1);
    assert.equal(stats.shared, false);
    client.fail(new Error("test over"));
    assert.equal(FakeWorker.created[0].terminated, true);
  });

  test("a lost shared worker is replaced by a dedicated one", async () => {
    const FakeSharedWorker = installFakeSharedWorker();
    const { getClient, restartClient, WorkerLostError } = await loadClient();
    const first = getClient(CONFIG);
    first.fail(new WorkerLostError("gone"));
    const second = restartClient(first);
    assert.ok(second && second !== first);
    assert.equal(FakeSharedWorker.created.length, 1, "not the lost shared worker again");
    assert.equal(FakeWorker.created.length, 1);
    assert.equal(second.shared, false);
    second.fail(new Error("test over"));
  });
});
