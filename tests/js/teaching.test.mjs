// @ts-check
/**
 * docs/assets/js/teaching-answers.js and teaching-storage.js (what teaching.js binds to the
 * page): how a typed answer is read and judged, and what the page may say
 * about keeping progress in localStorage (QA D9, D19).
 * Run: node --test tests/js/
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { judge, parseAnswer } from "../../docs/assets/js/teaching-answers.js";
import { readSaved, STORAGE_WORDS, writeSaved } from "../../docs/assets/js/teaching-storage.js";

// The shape sitebuild/cases_blocks.py writes into data-units (a few of its units, spellings normalized).
const UNITS = {
  mg: { label: "mg", dimension: "mass", factor: 1e-3, required: true, spellings: ["mg"], before: "" },
  "mg/day": { label: "mg/day", dimension: "mass/time", factor: 1e-3 / 86400, required: true, spellings: ["mg/day", "mg/d"], before: "" },
  day: { label: "days", dimension: "time", factor: 86400, required: false, spellings: ["day", "days", "d"], before: "" },
  hour: { label: "hours", dimension: "time", factor: 3600, required: false, spellings: ["hour", "hours", "h"], before: "" },
  "day-number": { label: "", dimension: "day-number", factor: 1, required: false, spellings: ["day-number"], before: "day" },
  "": { label: "", dimension: "count", factor: 1, required: false, spellings: [""], before: "" },
};
/** @param {number} value @param {string} unit @returns {import("../../docs/assets/js/teaching-answers.js").Answer} */
const number = (value, unit) => ({ type: "number", value, shown: String(value), unit, tolerance: 0 });

describe("parseAnswer", () => {
  test("reads full-width digits, point and comma as the calculators do (NFKC)", () => {
    assert.deepEqual(parseAnswer("４４.４ mg/day"), { ok: true, value: 44.4, unit: "mg/day", before: "" });
    assert.deepEqual(parseAnswer("４４，４ mg"), { ok: true, value: 44.4, unit: "mg", before: "" });
    assert.deepEqual(parseAnswer("\u{1D7D2}\u{1D7D2} mg"), { ok: true, value: 44, unit: "mg", before: "" }); // mathematical bold digits
  });

  test("refuses digits NFKC leaves alone (Arabic-Indic), as the calculators do, saying which digits to use", () => {
    const parsed = parseAnswer("٤٤ mg");
    assert.equal(parsed.ok, false);
    assert.match(/** @type {{message: string}} */ (parsed).message, /digits 0 to 9/);
  });

  test("reads a word before the number (day 10), and refuses a word on both sides", () => {
    assert.deepEqual(parseAnswer("day 10"), { ok: true, value: 10, unit: "", before: "day" });
    assert.deepEqual(parseAnswer("10 days"), { ok: true, value: 10, unit: "days", before: "" });
    assert.equal(parseAnswer("day 10 days").ok, false);
  });

  test("still refuses a thousands comma and text without a number", () => {
    assert.match(/** @type {{message: string}} */ (parseAnswer("1,440 mg/day")).message, /thousands comma/);
    assert.equal(parseAnswer("ten").ok, false);
  });
});

describe("judge", () => {
  test("a day's number is right as 10, day 10, Day 10 and 10 days", () => {
    for (const typed of ["10", "day 10", "Day 10", "10 days", "10 day", "１０ days"]) {
      assert.equal(judge(number(10, "day-number"), typed, UNITS).verdict, "right", typed);
    }
    assert.equal(judge(number(10, "day-number"), "day 11", UNITS).verdict, "wrong");
  });

  test("a time in hours is the wrong unit for a day's number", () => {
    assert.equal(judge(number(10, "day-number"), "240 hours", UNITS).verdict, "unit");
  });

  test("a word before a dose is refused: only a day's number is written that way", () => {
    assert.equal(judge(number(44, "mg"), "mg 44", UNITS).verdict, "unreadable");
    assert.equal(judge(number(10, "day"), "day 10", UNITS).verdict, "unreadable"); // a duration
    assert.equal(judge(number(10, "day"), "10 days", UNITS).verdict, "right");
  });

  test("full-width digits are right where ASCII ones are", () => {
    assert.equal(judge(number(44.4, "mg/day"), "４４.４ mg/day", UNITS).verdict, "right");
  });
});

/** A Storage in memory; `mode` makes it fail as browsers do. */
class FakeStorage {
  /** @param {"ok" | "drop" | "quota" | "refuse"} mode */
  constructor(mode = "ok") {
    this.mode = mode;
    /** @type {Map<string, string>} */
    this.items = new Map();
  }
  /** @param {string} key */
  getItem(key) {
    return this.items.has(key) ? /** @type {string} */ (this.items.get(key)) : null;
  }
  /** @param {string} key @param {string} value */
  setItem(key, value) {
    if (this.mode === "quota") throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
    if (this.mode === "refuse") throw new DOMException("The operation is insecure.", "SecurityError");
    if (this.mode === "ok") this.items.set(key, value);
  }
  /** @param {string} key */
  removeItem(key) {
    this.items.delete(key);
  }
}

const KEY = "baclofen-teaching/v1/oral";
const IDS = ["a/one", "a/two"];
const GOOD = { state: "right", text: "44.4 mg", attempts: 1 };

describe("readSaved", () => {
  test("restores well-formed answers for the page's questions", () => {
    const store = new FakeStorage();
    store.setItem(KEY, JSON.stringify({ "a/one": GOOD }));
    const { saved, status } = readSaved(() => store, KEY, IDS);
    assert.equal(status, "kept");
    assert.deepEqual(saved.get("a/one"), GOOD);
  });

  test("nothing stored is 'none', which says nothing", () => {
    assert.equal(readSaved(() => new FakeStorage(), KEY, IDS).status, "none");
    assert.equal(STORAGE_WORDS.none, "");
  });

  for (const [what, raw] of [
    ["invalid JSON", "{not json"],
    ["an array", "[1,2,3]"],
    ["null", "null"],
    ["a number", "5"],
    ["a string", '"text"'],
    ["an answer that is a number", JSON.stringify({ "a/one": 7 })],
    ["an answer with nested garbage", JSON.stringify({ "a/one": { state: { x: [1] }, text: ["y"], attempts: "z" } })],
    ["an unknown state", JSON.stringify({ "a/one": { ...GOOD, state: "<b>right</b>" } })],
    ["a huge attempt count", JSON.stringify({ "a/one": { ...GOOD, attempts: 1e308 } })],
    ["a negative attempt count", JSON.stringify({ "a/one": { ...GOOD, attempts: -1 } })],
  ]) {
    test(`${what} is unreadable: the page starts empty and says so`, () => {
      const store = new FakeStorage();
      store.items.set(KEY, raw);
      const { saved, status } = readSaved(() => store, KEY, IDS);
      assert.equal(status, "unreadable");
      assert.equal(saved.size, 0);
      assert.match(STORAGE_WORDS[status], /could not be read/);
    });
  }

  test("one unreadable answer among good ones: the good ones are kept and the page says some were left out", () => {
    const store = new FakeStorage();
    store.items.set(KEY, JSON.stringify({ "a/one": GOOD, "a/two": null }));
    const { saved, status } = readSaved(() => store, KEY, IDS);
    assert.equal(status, "partial");
    assert.deepEqual([...saved.keys()], ["a/one"]);
  });

  test("answers for questions not on the page, and __proto__, are ignored without a word", () => {
    const store = new FakeStorage();
    store.items.set(KEY, '{"__proto__": {"state": "right"}, "gone/q": {"state": "right", "text": "", "attempts": 0}}');
    const { saved, status } = readSaved(() => store, KEY, IDS);
    assert.equal(status, "none");
    assert.equal(saved.size, 0);
    assert.equal(/** @type {any} */ ({}).state, undefined);
  });

  test("a storage that throws when reached is 'unavailable'", () => {
    const { status } = readSaved(() => { throw new DOMException("denied", "SecurityError"); }, KEY, IDS);
    assert.equal(status, "unavailable");
  });
});

describe("writeSaved", () => {
  const saved = new Map([["a/one", GOOD]]);
  test("'kept' only when the saved answers read back", () => {
    const store = new FakeStorage();
    assert.equal(writeSaved(() => store, KEY, saved), "kept");
    assert.deepEqual(JSON.parse(/** @type {string} */ (store.getItem(KEY))), { "a/one": GOOD });
    assert.match(STORAGE_WORDS.kept, /^Kept in this browser/);
  });

  test("a save the browser silently drops is 'lost', never 'kept'", () => {
    assert.equal(writeSaved(() => new FakeStorage("drop"), KEY, saved), "lost");
  });

  test("a full storage is 'full'; a refused save is 'refused'; neither says 'Kept' or that storage is blocked", () => {
    assert.equal(writeSaved(() => new FakeStorage("quota"), KEY, saved), "full");
    assert.equal(writeSaved(() => new FakeStorage("refuse"), KEY, saved), "refused");
    for (const status of /** @type {const} */ (["full", "refused", "lost", "unreadable", "partial"])) {
      assert.doesNotMatch(STORAGE_WORDS[status], /^Kept|block|does not let/);
    }
  });
});
