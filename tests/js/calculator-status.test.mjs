// @ts-check
/**
 * docs/assets/js/calculator-status.js: what a calculator's output says and when. The state
 * machine (`next`) is driven here without a page: each event's change, worked through the
 * sequences a reader meets, then every sequence of events up to a length, checked against
 * what the page promises (a result not for the values shown is marked stale once nothing
 * is on its way; "Live" is never said over a stale result; an unavailable calculator stays
 * unavailable). Broken machines show that those checks can fail.
 * Run: node --test tests/js/
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { LINK, STATUS, next, shownFor } from "../../docs/assets/js/calculator-status.js";

/** @typedef {import("../../docs/assets/js/calculator-status.js").View} View */
/** @typedef {import("../../docs/assets/js/calculator-status.js").StatusEvent} StatusEvent */
/** @typedef {import("../../docs/assets/js/calculator-status.js").Change} Change */
/** @typedef {(view: View, event: StatusEvent, shown: {stale: boolean, text: string}) => Change} Machine */

const DEFAULTS = '{"dose":"10"}';
const OTHER = '{"dose":"20"}';
const THIRD = '{"dose":"30"}';

/** @type {View} the build's output, before the script binds the form */
const STATIC = { state: "static", stale: false, busy: false, failed: false, why: "" };

/** @param {View} view @param {Change} change @returns {View} the output after the change */
function applyChange(view, change) {
  const { status: _status, ...rest } = change;
  return { ...view, ...rest };
}

describe("shownFor", () => {
  test("the build's result is for the defaults, unless the values or a link say otherwise", () => {
    assert.deepEqual(shownFor({ now: DEFAULTS, defaults: DEFAULTS, resultFor: null, linkErrors: 0 }), {
      stale: false,
      text: "The result below, computed when this page was built, is for the default values above.",
    });
    for (const facts of [
      { now: OTHER, defaults: DEFAULTS, resultFor: null, linkErrors: 0 },
      { now: DEFAULTS, defaults: DEFAULTS, resultFor: null, linkErrors: 1 },
    ]) {
      assert.deepEqual(shownFor(facts), {
        stale: true,
        text: "The result below is for the default values, NOT the values above.",
      });
    }
  });

  test("a live result is for the values it was computed for, and no others", () => {
    assert.deepEqual(shownFor({ now: OTHER, defaults: DEFAULTS, resultFor: OTHER, linkErrors: 0 }), {
      stale: false,
      text: "The result below is for the values above.",
    });
    for (const facts of [
      { now: DEFAULTS, defaults: DEFAULTS, resultFor: OTHER, linkErrors: 0 },
      { now: OTHER, defaults: DEFAULTS, resultFor: OTHER, linkErrors: 2 },
    ]) {
      assert.deepEqual(shownFor(facts), {
        stale: true,
        text: "The result below is for earlier values, NOT the values above.",
      });
    }
  });

  test("a link's notes quote its values, cut to 40 characters", () => {
    assert.equal(
      LINK.repeated("Dose", ["1", "2"]),
      'Dose: the link gives 2 different values ("1", "2"); none was used. Type the one you mean.',
    );
    assert.equal(LINK.unknown(["x".repeat(41)]), `This link also sets "${"x".repeat(40)}…", which is not a field of this calculator: ignored.`);
  });
});

describe("next: each event", () => {
  const fresh = { stale: false, text: "FOR THE VALUES" };
  const behind = { stale: true, text: "NOT FOR THE VALUES" };
  /** @type {View} */
  const loading = { ...STATIC, state: "loading", busy: true };
  /** @type {View} */
  const ready = { ...STATIC, state: "ready" };

  test("binding starts the engine: loading, busy, saying what the result is for", () => {
    assert.deepEqual(next(STATIC, { type: "start" }, fresh), {
      busy: true,
      state: "loading",
      stale: false,
      status: STATUS.loading("FOR THE VALUES"),
    });
    assert.equal(next(STATIC, { type: "start" }, behind).stale, true);
  });

  test("a value typed while the engine starts is said at once; once live, it only makes the output busy", () => {
    assert.deepEqual(next(loading, { type: "input" }, behind), {
      busy: true,
      stale: true,
      status: "Still starting the live calculator… NOT FOR THE VALUES",
    });
    assert.deepEqual(next(ready, { type: "input" }, behind), { busy: true });
  });

  test("an answer late by UPDATING_MS marks a live result stale and says Updating…", () => {
    const busy = { ...ready, busy: true };
    assert.deepEqual(next(busy, { type: "late" }, behind), { stale: true, status: "Updating… NOT FOR THE VALUES" });
    assert.deepEqual(next({ ...busy, state: "error", stale: true }, { type: "late" }, behind), { stale: true });
    assert.deepEqual(next(busy, { type: "late" }, fresh), {}, "the values went back to the result's");
    assert.deepEqual(next(ready, { type: "late" }, behind), {}, "already answered");
  });

  test("a result makes the output live; a refusal keeps the last result, marked stale", () => {
    assert.deepEqual(next(loading, { type: "result" }, fresh), {
      busy: false,
      state: "ready",
      stale: false,
      status: "Live: the result follows the values above as you change them.",
    });
    assert.deepEqual(next({ ...ready, busy: true }, { type: "invalid", said: ["Dose: too big."] }, behind), {
      busy: false,
      state: "error",
      stale: true,
      status: "Not updated: Dose: too big. NOT FOR THE VALUES",
    });
  });

  test("an unavailable calculator keeps the build's result static, a live one ready, an error an error", () => {
    const why = "the worker did not start";
    const change = next(loading, { type: "unavailable", why, computed: false }, fresh);
    assert.deepEqual(change, {
      failed: true,
      why,
      busy: false,
      state: "static",
      stale: false,
      status: "The live calculator is not available: the worker did not start. FOR THE VALUES",
    });
    assert.equal(next({ ...ready, busy: true }, { type: "unavailable", why, computed: true }, behind).state, "ready");
    assert.equal(next({ ...ready, state: "error" }, { type: "unavailable", why, computed: true }, behind).state, "error");
    const failed = applyChange(loading, change);
    assert.deepEqual(next(failed, { type: "input" }, behind), {
      stale: true,
      status: "The live calculator is not available: the worker did not start. NOT FOR THE VALUES",
    });
    assert.deepEqual(next(failed, { type: "slow" }, behind), {});
  });

  test("a lost worker: loading again, stale, saying why", () => {
    assert.deepEqual(next({ ...ready, busy: true }, { type: "lost", why: "the worker stopped" }, fresh), {
      busy: false,
      state: "loading",
      stale: true,
      status: "Not updated: the worker stopped; starting it again… FOR THE VALUES",
    });
  });

  test("a slow start is said only while still loading", () => {
    assert.match(next(loading, { type: "slow" }, fresh).status ?? "", /^Still starting the live calculator after 15 s: .* FOR THE VALUES$/);
    assert.deepEqual(next(ready, { type: "slow" }, fresh), {});
  });
});

// --- every sequence of events, against what the page promises ----------------------------------

/**
 * The form's values and what the result is for, as calculators.js keeps them, and the events
 * that can happen to a form in that state (calculators.js's rules: `start` or `unavailable`
 * first; once unavailable, only typing and another `unavailable`; a result is for the values
 * the form holds, since an answer for other values is never shown).
 * @typedef {{view: View, now: string, resultFor: string | null, status: string}} World
 */

/** @type {Record<string, (w: World) => {event: StatusEvent, now?: string, resultFor?: string | null} | null>} */
const STEPS = {
  start: (w) => (w.status === "" ? { event: { type: "start" } } : null),
  slow: () => ({ event: { type: "slow" } }),
  "type the defaults": () => ({ event: { type: "input" }, now: DEFAULTS }),
  "type another value": () => ({ event: { type: "input" }, now: OTHER }),
  "type a third value": () => ({ event: { type: "input" }, now: THIRD }),
  late: () => ({ event: { type: "late" } }),
  result: (w) => (w.view.failed ? null : { event: { type: "result" }, resultFor: w.now }),
  invalid: (w) => (w.view.failed ? null : { event: { type: "invalid", said: ["Dose: too big."] } }),
  unavailable: (w) => ({ event: { type: "unavailable", why: "gone", computed: w.resultFor !== null } }),
  lost: (w) => (w.view.failed ? null : { event: { type: "lost", why: "lost" } }),
};

/** @param {World} w */
function shownIn(w) {
  return shownFor({ now: w.now, defaults: DEFAULTS, resultFor: w.resultFor, linkErrors: 0 });
}

/**
 * What the page promises after every event.
 * @param {World} before @param {World} after @param {StatusEvent} event
 */
function checkPromises(before, after, event) {
  const { view } = after;
  const shown = shownIn(after);
  if (!view.busy && shown.stale) assert.ok(view.stale, "nothing on its way, the result not for the values: stale");
  if (event.type === "late" && view.busy && shown.stale) assert.ok(view.stale, "an answer late by UPDATING_MS: stale");
  if (after.status === STATUS.ready) assert.ok(!view.stale && view.state === "ready", '"Live" over a stale result');
  if (before.view.failed) {
    assert.ok(view.failed && !view.busy && view.state !== "loading", "an unavailable calculator came back");
  }
  if (view.stale && !view.busy) {
    assert.ok(after.status.endsWith(shown.text), "a stale result says what it is for");
  }
}

/**
 * Every sequence of up to `length` steps from the build's static output.
 * @param {Machine} machine @param {number} length
 * @returns {number} how many sequences were checked
 */
function walk(machine, length) {
  let checked = 0;
  /** @param {World} w @param {string[]} path */
  const go = (w, path) => {
    if (path.length === length) return;
    for (const [name, step] of Object.entries(STEPS)) {
      if (path.length === 0 && name !== "start" && name !== "unavailable") continue;
      const taken = step(w);
      if (taken === null) continue;
      const typed = { ...w, now: taken.now ?? w.now };
      const change = machine(typed.view, taken.event, shownIn(typed));
      /** @type {World} */
      const after = {
        view: applyChange(typed.view, change),
        now: typed.now,
        resultFor: taken.resultFor === undefined ? typed.resultFor : taken.resultFor,
        status: change.status ?? w.status,
      };
      try {
        checkPromises(typed, after, taken.event);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        throw new assert.AssertionError({ message: `${message} after: ${[...path, name].join(" → ")}` });
      }
      checked += 1;
      go(after, [...path, name]);
    }
  };
  go({ view: STATIC, now: DEFAULTS, resultFor: null, status: "" }, []);
  return checked;
}

const LENGTH = 7;

describe("next: every sequence of events", () => {
  test(`keeps the page's promises for every sequence of up to ${LENGTH} events`, () => {
    assert.ok(walk(next, LENGTH) > 100_000, "the walk checked every sequence (477,383 of them)");
  });

  // Controls: machines each broken in one way; the walk must catch every one.
  /** @type {Record<string, Machine>} */
  const broken = {
    "a refusal leaves the old result unmarked": (view, event, shown) =>
      event.type === "invalid" ? { ...next(view, event, shown), stale: false } : next(view, event, shown),
    "a late answer does not mark the result stale": (view, event, shown) =>
      event.type === "late" ? {} : next(view, event, shown),
    "typing makes an unavailable calculator busy": (view, event, shown) =>
      event.type === "input" ? { ...next(view, event, shown), busy: true } : next(view, event, shown),
    '"Live" said before the result is shown': (view, event, shown) =>
      event.type === "input" && view.state === "loading" ? { ...next(view, event, shown), status: STATUS.ready } : next(view, event, shown),
    "the unavailable status drops what the result is for": (view, event, shown) =>
      event.type === "unavailable" ? { ...next(view, event, shown), status: STATUS.failed(event.why, "") } : next(view, event, shown),
  };
  for (const [name, machine] of Object.entries(broken)) {
    test(`control: the walk catches a machine where ${name}`, () => {
      assert.throws(() => walk(machine, LENGTH), assert.AssertionError);
    });
  }
});
