// @ts-check
/**
 * The site in the engines Playwright cannot drive here (issue 15, item 7): Firefox ESR over
 * WebDriver BiDi and WebKitGTK over classic WebDriver, both from Debian packages
 * (`bash tests/engines/setup.sh` installs them). A representative subset of the browser
 * suite, on the built site served from 127.0.0.1:
 *
 * - every calculator goes live (data-state "ready", shown by Pyodide in the worker), its
 *   result is CPython's for the defaults, and after a value is typed, CPython's for it;
 * - a value over a field's maximum shows CPython's message beside the field, and the
 *   status names the field;
 * - the offline copy: once the service worker has stored the release, the server is shut
 *   and a reload still runs the calculator live.
 *
 * Expected values come from CPython (tests/engines/cases.py). Waits poll page state with a
 * bound, never a fixed sleep. ENGINES=firefox or ENGINES=webkit runs one engine;
 * BACLOFEN_SITE_DIR names a built site (default: site/, from `make site`).
 * Run: node --test tests/engines/
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";

import { firefox, webkit } from "./lib/drivers.mjs";
import { serve } from "./lib/server.mjs";
import { calculatorPages } from "./lib/site.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, "../..");
const SITE = resolve(process.env.BACLOFEN_SITE_DIR ?? join(REPO, "site"));
const PYTHON = process.env.PYTHON ?? [join(REPO, ".venv/bin/python"), "python3"].find((p) => p === "python3" || existsSync(p));
const LIVE_MS = 240_000; // first start: ~13 MB of Pyodide, compiled by an engine with no JIT cache
const SETTLE_MS = 30_000;
const ENGINES = (process.env.ENGINES ?? "firefox,webkit").split(",").map((e) => e.trim());

/** @type {Array<{id: string, default: any, change: {field: string, value: string}, changed: any,
 *   error?: {field: string, label: string, value: string, message: string}}>} */
const CASES = JSON.parse(
  execFileSync(/** @type {string} */ (PYTHON), [join(HERE, "cases.py")], { cwd: REPO, encoding: "utf-8" }),
);

/**
 * Poll `fn` in the page until it returns a truthy value; fail after `ms` with `what` and
 * the last value seen.
 * @param {import("./lib/drivers.mjs").Driver} d @param {string} fn @param {unknown[]} args
 * @param {number} ms @param {string} what
 */
async function until(d, fn, args, ms, what) {
  const deadline = Date.now() + ms;
  let last;
  for (;;) {
    try {
      last = await d.evaluate(fn, ...args);
      if (last && (typeof last !== "object" || last.ok)) return last;
    } catch (e) {
      last = String(e); // a navigation in progress: try again
    }
    if (Date.now() > deadline) throw new Error(`${d.name}: timed out after ${ms} ms waiting for ${what}; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

// Every calculator output on the page is live and idle; reports each one's state and status.
const ALL_LIVE = `() => {
  const outs = [...document.querySelectorAll("[data-calculator-output]")];
  const states = outs.map(o => [o.closest("form").dataset.calculator, o.dataset.state, o.getAttribute("aria-busy"),
                                o.querySelector("[data-calculator-status]")?.textContent]);
  return {ok: outs.length > 0 && outs.every(o => o.dataset.state === "ready" && o.getAttribute("aria-busy") === "false"), states};
}`;

// One form's state, result, status and the error shown next to a field.
const FORM = `(id, field) => {
  const form = document.querySelector('form[data-calculator="' + id + '"]');
  const out = form.querySelector("[data-calculator-output]");
  return {state: out.dataset.state, busy: out.getAttribute("aria-busy"),
          result: JSON.parse(out.dataset.result || "null"),
          status: form.querySelector("[data-calculator-status]").textContent,
          error: field ? form.querySelector('[data-error-for="' + field + '"]').textContent : ""};
}`;

const DRIVERS = { firefox, webkit };

for (const engine of ENGINES) {
  const launch = DRIVERS[/** @type {"firefox" | "webkit"} */ (engine)];
  if (!launch) throw new Error(`ENGINES: unknown engine ${engine}; known: ${Object.keys(DRIVERS).join(", ")}`);

  describe(`engine: ${engine}`, { timeout: 1_800_000 }, () => {
    /** @type {import("./lib/drivers.mjs").Driver} */
    let d;
    /** @type {Awaited<ReturnType<typeof serve>>} */
    let server;
    const pages = calculatorPages(SITE);

    before(async () => {
      server = await serve(SITE);
      d = await launch();
      console.log(`# ${d.name}; site ${SITE} at ${server.base}`);
    });
    after(async () => {
      await d?.close();
      await server?.close();
    });

    test("every calculator goes live with CPython's result, and follows a typed value", async () => {
      assert.equal(Object.keys(pages).length, CASES.length, "every calculator has a page");
      for (const path of [...new Set(Object.values(pages))].sort()) {
        await d.goto(server.base + path);
        await until(d, ALL_LIVE, [], LIVE_MS, `every calculator on ${path} live`);
        for (const c of CASES.filter((c) => pages[c.id] === path)) {
          const before = await d.evaluate(FORM, c.id, "");
          assert.deepEqual(before.result, c.default, `${c.id}: default result`);
          await d.fill(`form[data-calculator="${c.id}"] [name="${c.change.field}"]`, c.change.value);
          const now = await until(
            d,
            `(id, want) => { const f = (${FORM})(id, ""); return {ok: f.state === "ready" && f.busy === "false" && JSON.stringify(f.result?.inputs) === want, f}; }`,
            [c.id, JSON.stringify(c.changed.inputs)],
            SETTLE_MS,
            `${c.id} to answer ${c.change.field}=${c.change.value}`,
          );
          assert.deepEqual(now.f.result, c.changed, `${c.id}: result after ${c.change.field}=${c.change.value}`);
        }
      }
    });

    test("a value over a field's maximum shows CPython's message, named", async () => {
      let checked = 0;
      for (const path of [...new Set(Object.values(pages))].sort()) {
        await d.goto(server.base + path);
        await until(d, ALL_LIVE, [], LIVE_MS, `every calculator on ${path} live`);
        for (const c of CASES.filter((c) => pages[c.id] === path && c.error)) {
          const e = /** @type {NonNullable<typeof c.error>} */ (c.error);
          await d.fill(`form[data-calculator="${c.id}"] [name="${e.field}"]`, e.value);
          const shown = await until(
            d,
            `(id, field) => { const f = (${FORM})(id, field); return {ok: f.state === "error" && f.busy === "false", f}; }`,
            [c.id, e.field],
            SETTLE_MS,
            `${c.id}: the error for ${e.field}=${e.value}`,
          );
          assert.equal(shown.f.error, e.message, `${c.id}: message beside ${e.field}`);
          assert.ok(shown.f.status.includes(e.message), `${c.id}: status has the message: ${shown.f.status}`);
          assert.ok(shown.f.status.includes(e.label), `${c.id}: status names ${e.label}: ${shown.f.status}`);
          checked += 1;
        }
      }
      assert.equal(checked, CASES.filter((c) => c.error).length);
    });

    test("offline: with the copy stored and the server gone, a reload still runs live", async () => {
      const path = pages["oral-taper"];
      await d.goto(server.base + path);
      await until(d, ALL_LIVE, [], LIVE_MS, `${path} live`);
      const stored = await until(
        d,
        `() => { const r = document.documentElement; return {ok: r.hasAttribute("data-offline-ready") || r.hasAttribute("data-offline-error"),
                 state: r.dataset.offlineState, error: r.dataset.offlineError ?? ""}; }`,
        [],
        LIVE_MS,
        "the offline copy (html[data-offline-ready])",
      );
      assert.equal(stored.error, "", "the offline copy was stored");
      await server.close();
      const before = server.requests.length;
      await d.reload();
      await until(d, ALL_LIVE, [], LIVE_MS, `${path} live again, offline`);
      const c = CASES.find((c) => c.id === "oral-taper");
      assert.ok(c);
      const f = await d.evaluate(FORM, c.id, "");
      assert.deepEqual(f.result, c.default);
      assert.equal(server.requests.length, before, "nothing reached the (closed) server");
    });
  });
}
