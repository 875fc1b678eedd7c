// @ts-check
/**
 * Lighthouse (npm, pinned in this folder's package.json) against Debian's Chromium
 * (CHROME_PATH, default /usr/bin/chromium), offline, on the built site served by the
 * project's own launcher (tools/launcher/serve.py: gzip, long-lived caching of versioned
 * files, the CSP header), as a host would serve it.
 *
 * Every page of the site (its sitemap), in Lighthouse's mobile mode (a slow 4G network and a
 * 4x slower CPU, simulated) and its desktop mode. Accessibility, best practices and SEO must
 * be 100 on every page; performance is measured, not asserted (it is a timing and varies
 * with the machine's load): the scores and the metrics go into a table,
 * build/lighthouse/lighthouse.md (and .json), with each page's long tasks.
 *
 * Environment: BACLOFEN_SITE_DIR a built site (default site/); LIGHTHOUSE_PAGES a
 * comma-separated subset of paths ("oral/,"); LIGHTHOUSE_FORMS "mobile", "desktop" or both
 * (default); LIGHTHOUSE_OUT the output folder. Run: make test-lighthouse
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join, resolve } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, "../..");
const SITE = resolve(process.env.BACLOFEN_SITE_DIR ?? join(ROOT, "site"));
const OUT = resolve(process.env.LIGHTHOUSE_OUT ?? join(ROOT, "build/lighthouse"));
const PYTHON = process.env.PYTHON ?? join(ROOT, ".venv/bin/python");
const CHROME = process.env.CHROME_PATH ?? "/usr/bin/chromium";
const FORMS = (process.env.LIGHTHOUSE_FORMS ?? "mobile,desktop").split(",").filter(Boolean);
const FLAGS = [
  "--headless=new",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];
const CATEGORIES = ["performance", "accessibility", "best-practices", "seo"];
const METRICS = {
  FCP: "first-contentful-paint",
  LCP: "largest-contentful-paint",
  TBT: "total-blocking-time",
  SI: "speed-index",
  CLS: "cumulative-layout-shift",
};

/** The site's pages, as paths relative to its root ("" is the home page), from its sitemap. */
function sitePages() {
  const sitemap = readFileSync(join(SITE, "sitemap.xml"), "utf-8");
  const paths = [...sitemap.matchAll(/<loc>\s*([^<\s]+)\s*<\/loc>/g)].map((m) =>
    new URL(m[1]).pathname.replace(/^\//, ""),
  );
  assert.ok(paths.length > 0, "the sitemap lists no page");
  const only = process.env.LIGHTHOUSE_PAGES;
  if (only === undefined) return paths;
  const wanted = only.split(",").map((p) => p.trim().replace(/^\//, ""));
  for (const p of wanted) assert.ok(paths.includes(p), `LIGHTHOUSE_PAGES: /${p} is not in the sitemap`);
  return wanted;
}

/** A free TCP port on 127.0.0.1. */
async function freePort() {
  return await new Promise((resolvePort, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const address = s.address();
      const port = address && typeof address !== "string" ? address.port : 0;
      s.close(() => resolvePort(port));
    });
  });
}

/** @type {import("node:child_process").ChildProcess | undefined} */
let launcher;
let base = "";
/** @type {any} */
let chrome;
/** @type {any} */
let lighthouse;
/** @type {any} */
let desktopConfig;
/** @type {Record<string, any>[]} */
const rows = [];

before(async () => {
  assert.ok(existsSync(join(SITE, "index.html")), `${SITE}: no built site (make site)`);
  assert.ok(existsSync(CHROME), `${CHROME} missing: apt-get install -y chromium`);
  try {
    lighthouse = (await import("lighthouse")).default;
    desktopConfig = (await import("lighthouse/core/config/desktop-config.js")).default;
  } catch (e) {
    throw new Error(`lighthouse is not installed (${e}): run bash tests/engines/setup.sh`);
  }
  const port = await freePort();
  launcher = spawn(
    PYTHON,
    [join(ROOT, "tools/launcher/serve.py"), "--root", SITE, "--port", String(port), "--no-browser", "--exact-port", "--quiet"],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
  base = `http://127.0.0.1:${port}/`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(base)).ok) break;
    } catch {
      /* not up yet */
    }
    assert.ok(i < 100, `the launcher did not answer at ${base} within 10 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const chromeLauncher = await import("chrome-launcher");
  chrome = await chromeLauncher.launch({ chromePath: CHROME, chromeFlags: FLAGS, logLevel: "error" });
  mkdirSync(join(OUT, "raw"), { recursive: true });
});

after(async () => {
  await chrome?.kill();
  launcher?.kill();
  if (rows.length) writeTable();
});

/** The long tasks of a run: where each starts, how long, and what it is attributed to. */
function longTasks(/** @type {any} */ lhr) {
  const items = lhr.audits["long-tasks"]?.details?.items ?? [];
  return items.slice(0, 5).map((/** @type {any} */ t) => ({
    url: String(t.url).replace(base, "/"),
    startMs: Math.round(t.startTime),
    durationMs: Math.round(t.duration),
  }));
}

for (const path of sitePages()) {
  for (const form of FORMS) {
    test(`lighthouse ${form}: /${path}`, { timeout: 300_000 }, async () => {
      const run = await lighthouse(
        base + path,
        {
          port: chrome.port,
          output: "json",
          logLevel: "error",
          onlyCategories: CATEGORIES,
        },
        form === "desktop" ? desktopConfig : undefined,
      );
      const lhr = run.lhr;
      assert.equal(lhr.runtimeError, undefined, JSON.stringify(lhr.runtimeError));
      assert.equal(lhr.configSettings.formFactor, form);
      writeFileSync(join(OUT, "raw", `${form}-${path.replace(/\//g, "_") || "home"}.json`), JSON.stringify(lhr));
      /** @type {Record<string, number | null>} */
      const scores = Object.fromEntries(
        CATEGORIES.map((c) => [c, lhr.categories[c].score === null ? null : Math.round(lhr.categories[c].score * 100)]),
      );
      /** @type {Record<string, number>} */
      const metrics = Object.fromEntries(
        Object.entries(METRICS).map(([k, id]) => [k, lhr.audits[id].numericValue]),
      );
      const bytes = lhr.audits["total-byte-weight"]?.numericValue ?? null;
      rows.push({ path: `/${path}`, form, scores, metrics, bytes, longTasks: longTasks(lhr) });
      console.log(`# lighthouse ${form} /${path} ${JSON.stringify(scores)} ${JSON.stringify(metrics)}`);
      for (const category of ["accessibility", "best-practices", "seo"]) {
        const failing = lhr.categories[category].auditRefs
          .map((/** @type {{id: string}} */ r) => lhr.audits[r.id])
          .filter((/** @type {any} */ a) => a.score !== null && a.score < 1 && a.scoreDisplayMode !== "informative")
          .map((/** @type {any} */ a) => `${a.id}: ${a.title} ${JSON.stringify(a.details?.items?.slice(0, 3) ?? "")}`);
        assert.deepEqual(failing, [], `${category} audits below 100 on /${path} (${form})`);
        assert.equal(scores[category], 100, `${category} on /${path} (${form})`);
      }
    });
  }
}

/** build/lighthouse/lighthouse.md and .json: one row per page, mobile and desktop side by side. */
function writeTable() {
  const ms = (/** @type {number} */ v) => (v >= 1000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v)} ms`);
  const byPage = new Map();
  for (const r of rows) byPage.set(r.path, { ...byPage.get(r.path), [r.form]: r });
  const lines = [
    `Lighthouse ${lighthouse?.version ?? ""} in ${CHROME}, ${new Date().toISOString()}, served by tools/launcher/serve.py.`,
    "",
    "| page | mobile perf | FCP | LCP | TBT | CLS | bytes | desktop perf | LCP | TBT |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const [path, r] of byPage) {
    const m = r.mobile;
    const d = r.desktop;
    lines.push(
      [
        path,
        m ? m.scores.performance : "",
        m ? ms(m.metrics.FCP) : "",
        m ? ms(m.metrics.LCP) : "",
        m ? ms(m.metrics.TBT) : "",
        m ? m.metrics.CLS.toFixed(3) : "",
        m && m.bytes !== null ? `${Math.round(m.bytes / 1024)} KiB` : "",
        d ? d.scores.performance : "",
        d ? ms(d.metrics.LCP) : "",
        d ? ms(d.metrics.TBT) : "",
      ].join(" | ").replace(/^/, "| ").replace(/$/, " |"),
    );
  }
  writeFileSync(join(OUT, "lighthouse.md"), lines.join("\n") + "\n");
  writeFileSync(join(OUT, "lighthouse.json"), JSON.stringify(rows, null, 1));
  console.log(lines.join("\n"));
}
