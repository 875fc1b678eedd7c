// @ts-check
/**
 * docs/assets/js/url-state.js: a calculator's values in the page URL's query, both ways
 * (what calculators.js restores from a link and writes back as the reader types).
 * Run: node --test tests/js/
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { GROUP_KEY, linkedItemCount, readLink, strayKeys, withInputs } from "../../docs/assets/js/url-state.js";

const PAGE = "https://example.test/site/oral/";

describe("readLink", () => {
  test("gives each field the link names its value, under the calculator's own prefix only", () => {
    const params = new URLSearchParams("oral-titration.target_daily_mg=80&itb-refill.volume_ml=20&q=x");
    const { values, unknown } = readLink(params, "oral-titration", ["target_daily_mg", "start_mg"]);
    assert.deepEqual([...values], [["target_daily_mg", ["80"]]]);
    assert.deepEqual(unknown, []);
  });

  test("keeps a value exactly as the link spells it (decoded, not parsed)", () => {
    const params = new URLSearchParams("c.dose=%201%2C5%20&c.date=2024-13-45");
    const { values } = readLink(params, "c", ["dose", "date"]);
    assert.deepEqual(values.get("dose"), [" 1,5 "]);
    assert.deepEqual(values.get("date"), ["2024-13-45"]);
  });

  test("a field given twice with different values keeps both, in order; the same value twice is one", () => {
    const params = new URLSearchParams("c.a=1&c.b=2&c.a=3&c.b=2");
    const { values } = readLink(params, "c", ["a", "b"]);
    assert.deepEqual(values.get("a"), ["1", "3"]);
    assert.deepEqual(values.get("b"), ["2"]);
  });

  test("reports keys naming no field once each, but not a repeated group's item keys", () => {
    const params = new URLSearchParams("c.nope=1&c.steps.3.rate=5&c.nope=2&c.steps.x.rate=1&c.a=1&cc.other=1");
    const { unknown } = readLink(params, "c", ["a"]);
    // steps.3.rate may name an item the form does not show yet; steps.x.rate is no item key.
    assert.deepEqual(unknown, ["c.nope", "c.steps.x.rate"]);
  });

  test("a calculator id that is a prefix of another's does not claim its keys", () => {
    const params = new URLSearchParams("oral.a=1&oral-titration.a=2");
    const { values, unknown } = readLink(params, "oral", ["a"]);
    assert.deepEqual(values.get("a"), ["1"]);
    assert.deepEqual(unknown, []);
  });
});

describe("GROUP_KEY", () => {
  test("matches <group>.<index>.<field> with indices as Python writes them", () => {
    for (const key of ["steps.0.rate", "steps.12.rate_mcg_per_hour", "_g.1._f"]) assert.match(key, GROUP_KEY);
    for (const key of ["steps.01.rate", "steps.-1.rate", "steps.1", "1steps.1.rate", "steps.1.rate.x", "a.b.c"]) {
      assert.doesNotMatch(key, GROUP_KEY);
    }
  });
});

describe("linkedItemCount", () => {
  test("is one more than the highest item index the link names for that group", () => {
    const params = new URLSearchParams("c.steps.0.rate=1&c.steps.4.rate=2&c.steps.2.start=3&c.other.9.x=1");
    assert.equal(linkedItemCount(params, "c", "steps"), 5);
    assert.equal(linkedItemCount(params, "c", "other"), 10);
  });

  test("is 0 when the link names no item of the group, or only malformed indices", () => {
    const params = new URLSearchParams("c.steps=1&c.steps.01.rate=1&c.steps.x.rate=1&d.steps.3.rate=1&c.stepsx.1.rate=1");
    assert.equal(linkedItemCount(params, "c", "steps"), 0);
  });
});

describe("withInputs", () => {
  test("sets the calculator's keys and leaves other keys, the path and the fragment alone", () => {
    const url = withInputs(`${PAGE}?lang=en&other.a=1#result`, "c", { a: "80", b: "" });
    assert.equal(url.pathname, "/site/oral/");
    assert.equal(url.hash, "#result");
    assert.deepEqual([...url.searchParams], [["lang", "en"], ["other.a", "1"], ["c.a", "80"], ["c.b", ""]]);
  });

  test("replaces a value the link gave, even one given twice", () => {
    const url = withInputs(`${PAGE}?c.a=1&c.a=2`, "c", { a: "3" });
    assert.deepEqual(url.searchParams.getAll("c.a"), ["3"]);
  });

  test("removes the keys of a group item the form no longer has, and only those", () => {
    const href = `${PAGE}?c.steps.0.rate=1&c.steps.1.rate=2&c.steps.1.start=3&c.nope=1&d.steps.1.rate=9`;
    const url = withInputs(href, "c", { "steps.0.rate": "1" });
    assert.deepEqual([...url.searchParams], [["c.steps.0.rate", "1"], ["c.nope", "1"], ["d.steps.1.rate", "9"]]);
  });

  test("round-trips: what it writes, readLink reads back unchanged", () => {
    const inputs = { dose: "1.5 & more", note: "a=b?c#d", when: "2024-01-31", empty: "" };
    const url = withInputs(PAGE, "calc", inputs);
    const { values, unknown } = readLink(url.searchParams, "calc", Object.keys(inputs));
    assert.deepEqual(Object.fromEntries([...values].map(([k, v]) => [k, v.join("|")])), inputs);
    assert.deepEqual(unknown, []);
  });

  test("does not change the URL it was given", () => {
    const page = new URL(`${PAGE}?c.a=1`);
    withInputs(page, "c", { a: "2" });
    assert.equal(page.search, "?c.a=1");
  });
});

describe("strayKeys", () => {
  test("reports a key naming a page's calculator in another case, under that calculator (QA D15)", () => {
    const params = new URLSearchParams("Oral-Titration.target_daily_mg=80&ORAL-TITRATION.x=1&Oral-Titration.target_daily_mg=9");
    const { miscased, elsewhere } = strayKeys(params, ["oral-titration", "oral-taper"]);
    assert.deepEqual([...miscased], [["oral-titration", ["Oral-Titration.target_daily_mg", "ORAL-TITRATION.x"]]]);
    assert.deepEqual(elsewhere, []);
  });

  test("reports a key naming no calculator on the page, and leaves the page's own keys and its calculators' alone", () => {
    const params = new URLSearchParams("q=dose&h=x&oral-titration.a=1&itb-refill.volume_ml=20&.x=1&oral-titrationx.a=1");
    const { miscased, elsewhere } = strayKeys(params, ["oral-titration"]);
    assert.deepEqual([...miscased], []);
    assert.deepEqual(elsewhere, ["itb-refill.volume_ml", "oral-titrationx.a"]);
  });
});
