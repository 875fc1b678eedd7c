// @ts-check
/**
 * Lighthouse (npm, pinned in this folder's package.json) in its default mobile mode against
 * Debian's Chromium (CHROME_PATH, default /usr/bin/chromium), offline, on the built site
 * served from 127.0.0.1: the four main pages score 100 in "best practices" (issue 15,
 * item 5). Every category's score is printed for the record. BACLOFEN_SITE_DIR names a
 * built site (default site/). Run: node --test tests/engines/lighthouse.test.mjs
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";

import { serve } from "./lib/server.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const SITE = resolve(process.env.BACLOFEN_SITE_DIR ?? join(HERE, "../../site"));
const CHROME = process.env.CHROME_PATH ?? "/usr/bin/chromium";
const PAGES = ["", "oral/", "intrathecal/", "special-situations/"];
const FLAGS = [
  "--headless=new",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/** @type {Awaited<ReturnType<typeof serve>>} */
let server;
/** @type {any} */
let chrome;
/** @type {any} */
let lighthouse;

before(async () => {
  assert.ok(existsSync(join(SITE, "index.html")), `${SITE}: no built site (make site)`);
  assert.ok(existsSync(CHROME), `${CHROME} missing: apt-get install -y chromium`);
  try {
    lighthouse = (await import("lighthouse")).default;
  } catch (e) {
    throw new Error(`lighthouse is not installed (${e}): run bash tests/engines/setup.sh`);
  }
  const launcher = await import("chrome-launcher");
  server = await serve(SITE);
  chrome = await launcher.launch({ chromePath: CHROME, chromeFlags: FLAGS, logLevel: "error" });
});

after(async () => {
  await chrome?.kill();
  await server?.close();
});

for (const path of PAGES) {
  test(`lighthouse mobile: /${path} best practices 100`, { timeout: 300_000 }, async () => {
    const run = await lighthouse(server.base + path, {
      port: chrome.port,
      output: "json",
      logLevel: "error",
      onlyCategories: ["performance", "accessibility", "best-practices", "seo"],
    });
    const lhr = run.lhr;
    assert.equal(lhr.runtimeError, undefined, JSON.stringify(lhr.runtimeError));
    assert.equal(lhr.configSettings.formFactor, "mobile");
    const scores = Object.fromEntries(
      Object.values(lhr.categories).map((c) => [c.id, c.score === null ? null : Math.round(c.score * 100)]),
    );
    console.log(`# lighthouse /${path} ${JSON.stringify(scores)}`);
    const failing = lhr.categories["best-practices"].auditRefs
      .map((/** @type {{id: string}} */ r) => lhr.audits[r.id])
      .filter((/** @type {any} */ a) => a.score !== null && a.score < 1 && a.scoreDisplayMode !== "informative")
      .map((/** @type {any} */ a) => `${a.id}: ${a.title} ${JSON.stringify(a.details?.items?.slice(0, 3) ?? "")}`);
    assert.deepEqual(failing, [], `best-practices audits below 100 on /${path}`);
    assert.equal(scores["best-practices"], 100);
  });
}
