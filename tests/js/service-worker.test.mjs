// @ts-check
/**
 * docs/assets/offline/sw.template.js, run whole in node's vm (tests/js/lib/sw-harness.mjs):
 * what it precaches and how it checks each file (length and SHA-256 from the build, one
 * retry past the HTTP cache, the manifest checked against its list), which requests it
 * answers and from where, what it tells pages, and which caches activate deletes.
 * Run: node --test tests/js/
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { CACHE_PREFIX, FakeCacheStorage, MANIFEST, SCOPE, TEMPLATE, build, network, renderTemplate, startServiceWorker } from "./lib/sw-harness.mjs";

const WASM = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]);
const FILES = {
  "index.html": "<h1>Baclofen dosing</h1>",
  "oral/index.html": "<h1>Oral</h1>",
  "assets/js/calculators.js": "export {};\n",
  "assets/pyodide/314.0.7/pyodide.asm.wasm": WASM,
  "assets/bundle.a5f9d56c.min.js": "/* bundle */",
};
const IMMUTABLE = ["assets/pyodide/314.0.7/"];

/** A built site, its network and a fresh service worker for it. @param {Parameters<typeof build>[1]} [options] */
function setUp(options = { immutable: IMMUTABLE }) {
  const site = build(FILES, options);
  const net = network(site.files);
  const caches = new FakeCacheStorage();
  const sw = startServiceWorker(site.source, { caches, fetch: net.fetch });
  return { site, net, caches, sw };
}

/** Let the service worker's awaits run. */
async function settle() {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe("the template", () => {
  test("has each marker the build fills exactly once", () => {
    for (const name of ["CACHE_NAME", "CACHE_PREFIX", "VERSION", "PRECACHE", "IMMUTABLE_PREFIXES", "HASHED_NAME", "EXPECTED", "MANIFEST_PATH", "SW_MESSAGE"]) {
      assert.equal(TEMPLATE.split(`/*@${name}@*/null ?? `).length, 2, name);
    }
    assert.throws(() => renderTemplate({ NO_SUCH_MARKER: "1" }), /found 0 times/);
  });

  test("runs unbuilt too (the fallbacks keep it valid JavaScript): it precaches nothing", async () => {
    const net = network({});
    const sw = startServiceWorker(TEMPLATE, { fetch: net.fetch });
    await sw.install();
    assert.deepEqual(net.requests, []);
    // Unbuilt, the shared names are placeholders too (the message type is ""): only a built
    // sw.js speaks the protocol.
    assert.deepEqual(sw.clientMessages, [
      { type: "", cache: "unbuilt", version: "0", cached: 0, total: 0, complete: true },
    ]);
  });
});

describe("install", () => {
  test("stores every file of the build, checked, and tells the open pages it is complete", async () => {
    const { site, net, caches, sw } = setUp();
    await sw.install();
    assert.deepEqual(caches.stored(site.cacheName), [...site.precache].sort());
    assert.deepEqual(sw.clientMessages, [
      { type: "precache-status", cache: site.cacheName, version: "1.2.3", cached: 6, total: 6, complete: true },
    ]);
    // Versioned files may come from the HTTP cache; pages and unversioned scripts are revalidated.
    const modes = Object.fromEntries(net.requests.map((r) => [r.path, r.cache]));
    assert.deepEqual(modes, {
      "index.html": "no-cache",
      "oral/index.html": "no-cache",
      "assets/js/calculators.js": "no-cache",
      "assets/pyodide/314.0.7/pyodide.asm.wasm": "default",
      "assets/bundle.a5f9d56c.min.js": "default",
      [MANIFEST]: "no-cache",
    });
    const stored = await (await caches.open(site.cacheName)).match(`${SCOPE}assets/pyodide/314.0.7/pyodide.asm.wasm`);
    assert.deepEqual(new Uint8Array(await /** @type {Response} */ (stored).arrayBuffer()), WASM);
  });

  test("a file cut short is fetched once more past the HTTP cache, and stored when that copy is right", async () => {
    const { site, net, caches, sw } = setUp();
    const path = "assets/js/calculators.js";
    net.overrides.set(path, (attempt) => new Response(attempt === 1 ? "export" : FILES[path]));
    await sw.install();
    assert.deepEqual(net.requests.filter((r) => r.path === path).map((r) => r.cache), ["no-cache", "reload"]);
    assert.ok(caches.stored(site.cacheName).includes(path));
    assert.equal(sw.clientMessages.at(-1).complete, true);
  });

  test("a file wrong twice is not stored; the install fails and the pages hear which file and why", async () => {
    const { site, caches, net, sw } = setUp();
    net.overrides.set("oral/index.html", () => new Response("<h1>Oral</h1>\n<p>more</p>")); // 25 bytes, not 13
    await assert.rejects(sw.install(), /offline copy not stored: 1 file\(s\) failed: oral\/index\.html: 25 bytes arrived, the build's file has 13/);
    assert.ok(!caches.stored(site.cacheName).includes("oral/index.html"));
    const [message] = sw.clientMessages;
    assert.equal(message.failed, true);
    assert.equal(message.complete, false);
    assert.equal(message.failures, 1);
    assert.deepEqual(message.problems, ["oral/index.html: 25 bytes arrived, the build's file has 13"]);
    assert.equal(net.count("oral/index.html"), 2);
    assert.equal(message.cached, 5);
  });

  test("same length, other bytes: refused by SHA-256", async () => {
    const { sw, net } = setUp();
    net.overrides.set("index.html", () => new Response("<h1>Baclofen DOSING</h1>"));
    await assert.rejects(sw.install());
    assert.deepEqual(sw.clientMessages[0].problems, ["index.html: contents differ from the build's (SHA-256)"]);
  });

  test("an HTTP error and a failed fetch are each a problem naming the file", async () => {
    const { sw, net } = setUp();
    net.overrides.set("index.html", () => new Response("gone", { status: 404, statusText: "Not Found" }));
    net.overrides.set("oral/index.html", () => Promise.reject(new TypeError("Failed to fetch")));
    await assert.rejects(sw.install());
    assert.deepEqual([...sw.clientMessages[0].problems].sort(), [
      "index.html: the server answered 404 Not Found",
      "oral/index.html: could not be fetched (TypeError: Failed to fetch)",
    ]);
    assert.equal(net.count("index.html"), 2, "tried twice");
  });

  test("the manifest must be this build's: another build's cache name is refused", async () => {
    const { sw } = setUp({ immutable: IMMUTABLE, manifest: (m) => ({ ...m, cache_name: `${CACHE_PREFIX}older` }) });
    await assert.rejects(sw.install());
    assert.deepEqual(sw.clientMessages[0].problems, [`${MANIFEST}: belongs to another build (${CACHE_PREFIX}older)`]);
  });

  test("the manifest must list each file with the length and hash the service worker expects", async () => {
    const { sw } = setUp({
      immutable: IMMUTABLE,
      manifest: (m) => ({ ...m, files: m.files.map((/** @type {any} */ f) => (f.path === "index.html" ? { ...f, sha256: "0".repeat(64) } : f)) }),
    });
    await assert.rejects(sw.install());
    assert.deepEqual(sw.clientMessages[0].problems, [`${MANIFEST}: its entry for index.html differs from this build's`]);
  });

  test("a manifest that is not JSON is refused, saying how long it was", async () => {
    const { sw, net } = setUp();
    net.overrides.set(MANIFEST, () => new Response('{"cache_name": "baclofen-si'));
    await assert.rejects(sw.install());
    assert.deepEqual(sw.clientMessages[0].problems, [`${MANIFEST}: not valid JSON (27 bytes; damaged or cut short)`]);
  });

  test("tried again, it fetches only what is missing or damaged in the cache", async () => {
    const { site, caches, net } = setUp();
    const cache = await caches.open(site.cacheName);
    await cache.put(`${SCOPE}index.html`, new Response(FILES["index.html"]));
    await cache.put(`${SCOPE}oral/index.html`, new Response("<h1>Or")); // a copy cut short
    const sw = startServiceWorker(site.source, { caches, fetch: net.fetch });
    await sw.install();
    assert.equal(net.count("index.html"), 0, "intact: checked, not fetched");
    assert.equal(net.count("oral/index.html"), 1, "damaged: fetched again");
    const stored = await cache.match(`${SCOPE}oral/index.html`);
    assert.equal(await /** @type {Response} */ (stored).text(), FILES["oral/index.html"]);
    assert.equal(sw.clientMessages.at(-1).complete, true);
  });
});

describe("activate", () => {
  test("deletes this site's older caches only, and takes over the open pages", async () => {
    const { site, caches, sw } = setUp();
    for (const name of [`${CACHE_PREFIX}older`, `${CACHE_PREFIX}oldest`, "baclofen-pyodide-snapshot", "someone-else"]) {
      await caches.open(name);
    }
    await sw.install();
    await sw.activate();
    assert.deepEqual((await caches.keys()).sort(), ["baclofen-pyodide-snapshot", site.cacheName, "someone-else"].sort());
    assert.equal(sw.state.claimed, true);
  });
});

describe("fetch", () => {
  /** An installed service worker whose network answers `changed` for every file. */
  async function installed() {
    const ctx = setUp();
    await ctx.sw.install();
    ctx.net.requests.length = 0;
    return ctx;
  }

  test("a versioned file comes from the cache, without asking the network", async () => {
    const { sw, net } = await installed();
    for (const path of ["assets/pyodide/314.0.7/pyodide.asm.wasm", "assets/bundle.a5f9d56c.min.js"]) {
      const response = await sw.request(path);
      assert.ok(response, path);
      const body = FILES[/** @type {keyof FILES} */ (path)];
      assert.deepEqual(new Uint8Array(await response.arrayBuffer()), typeof body === "string" ? new TextEncoder().encode(body) : body);
    }
    assert.deepEqual(net.requests, []);
  });

  test("a page comes from the network while it answers, so updates arrive", async () => {
    const { sw, net } = await installed();
    net.overrides.set("oral/index.html", () => new Response("<h1>Oral, updated</h1>"));
    const response = await sw.request("oral/", { mode: "navigate" });
    assert.equal(await response?.text(), "<h1>Oral, updated</h1>");
    assert.equal(net.count("oral/index.html"), 1);
  });

  test("offline, a page (its folder URL too) and an unversioned script come from the cache", async () => {
    const { sw, net } = await installed();
    net.setOffline(true);
    assert.equal(await (await sw.request("oral/", { mode: "navigate" }))?.text(), FILES["oral/index.html"]);
    assert.equal(await (await sw.request("", { mode: "navigate" }))?.text(), FILES["index.html"]);
    assert.equal(await (await sw.request("assets/js/calculators.js"))?.text(), FILES["assets/js/calculators.js"]);
  });

  test("a server error (5xx) is answered from the cache; a 404 is passed on", async () => {
    const { sw, net } = await installed();
    net.overrides.set("index.html", () => new Response("down", { status: 502 }));
    assert.equal(await (await sw.request("index.html"))?.text(), FILES["index.html"]);
    net.overrides.set("index.html", () => new Response("no", { status: 404 }));
    assert.equal((await sw.request("index.html"))?.status, 404);
  });

  test("a network slower than 4 s loses to the cached copy", async () => {
    const { sw, net } = await installed();
    net.overrides.set("oral/index.html", () => new Promise(() => {})); // never answers
    const answer = sw.request("oral/index.html", { mode: "navigate" });
    await settle();
    const timer = sw.timers.find((t) => t.ms === 4000);
    assert.ok(timer, "a 4000 ms timer was set");
    timer.run();
    assert.equal(await (await answer)?.text(), FILES["oral/index.html"]);
  });

  test("offline, a page not in the copy gets the offline page (503, a link home)", async () => {
    const { sw, net } = await installed();
    net.setOffline(true);
    const response = await sw.request("no-such-page/", { mode: "navigate" });
    assert.equal(response?.status, 503);
    assert.equal(response?.headers.get("cache-control"), "no-store");
    assert.match(await /** @type {Response} */ (response).text(), new RegExp(`<a href="${SCOPE}">Go to the home page</a>`));
  });

  test("leaves alone what is not a plain GET of a precached file of this site", async () => {
    const { sw, net } = await installed();
    assert.equal(await sw.request("https://elsewhere.test/site/index.html"), null, "another origin");
    assert.equal(await sw.request("https://example.test/other/index.html"), null, "outside the scope");
    assert.equal(await sw.request("index.html", { method: "POST" }), null, "not GET");
    assert.equal(await sw.request("index.html", { cache: "no-store" }), null, "the self-test's server check");
    assert.equal(await sw.request("assets/pyodide/314.0.7/pyodide.asm.wasm", { headers: { range: "bytes=0-1" } }), null, "a range");
    assert.equal(await sw.request("assets/js/calculators.js?v=2"), null, "a query string on a file");
    assert.equal(await sw.request("assets/bundle.a5f9d56c.min.js?v=2"), null, "a query string on a versioned file");
    assert.equal(await sw.request("assets/js/not-built.js"), null, "not in the build");
    assert.deepEqual(net.requests, []);
  });
});

describe("messages", () => {
  test("precache-status is answered on the port with what the cache holds", async () => {
    const { site, sw, caches } = setUp();
    const before = await sw.message({ type: "precache-status" });
    assert.deepEqual(before.replies, [{ type: "precache-status", cache: site.cacheName, version: "1.2.3", cached: 0, total: 6, complete: false }]);
    await sw.install();
    await (await caches.open(site.cacheName)).delete(`${SCOPE}index.html`);
    const after = await sw.message({ type: "precache-status" });
    assert.equal(after.replies[0].cached, 5);
    assert.equal(after.replies[0].complete, false);
  });

  test("skip-waiting activates a waiting update; anything else is ignored", async () => {
    const { sw } = setUp();
    await sw.message({ type: "something-else" });
    await sw.message(null);
    assert.equal(sw.state.skippedWaiting, false);
    await sw.message({ type: "skip-waiting" });
    assert.equal(sw.state.skippedWaiting, true);
  });
});
