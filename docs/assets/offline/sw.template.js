// @ts-check
/// <reference lib="webworker" />
/*
 * The service worker of the baclofen dosing site: the whole site keeps working when the
 * network (or the launcher) goes away, once a browser has opened it once.
 *
 * This is the template. The build's finish step (sitebuild/finish_offline.py) replaces each marker (a comment holding
 * @NAME@, then `null ?? fallback`) with the build's value (the fallbacks keep the template
 * valid JavaScript) and writes the result
 * to sw.js at the site root, so that its scope is the whole site (also under a sub-path).
 *
 * - install: every file of the build goes into one cache, named from a hash of the contents
 *   of all of them. A new release has a new name; activate deletes the older caches.
 *   Each file is checked before it is stored: its length and SHA-256 (Web Crypto) must be
 *   those the build recorded in assets/offline/manifest.json (copied into EXPECTED below;
 *   the manifest itself, which cannot hold its own hash, must be this build's and list the
 *   same files). A file that fails is fetched once more, past the HTTP cache (a truncated
 *   copy may sit there under a year's max-age); if it fails again it is not stored and the
 *   install fails, so the copy is never declared ready with a damaged file. Open pages are
 *   told which files failed ({type: "precache-status", failed: true, problems}); the next
 *   page load tries again, fetching only what is missing.
 * - fetch, for files of the site only (anything else goes to the network untouched):
 *   - versioned files (the Pyodide folder, the calculators wheel folder, hashed bundles):
 *     from the cache first; their bytes never change under the same name;
 *   - pages and everything else: from the network first, so updates arrive, and from the
 *     cache when the network fails or takes too long; a page missing from the cache gets a
 *     short offline page with a link home.
 *   - a request made with cache: "no-store" asks for the server's own copy (the self-test
 *     checks the files on the server that way) and is left to the network.
 * - messages: {type: "precache-status"} is answered with what the cache holds (the page
 *   sets <html data-offline-ready> from it); {type: "skip-waiting"} activates a waiting
 *   update when the reader clicks "reload".
 *
 * The Pyodide worker's fetches (the wasm, the standard library zip, the lock file, our wheel)
 * are answered here too: a dedicated worker started by a page of this site is a client of
 * this service worker.
 */

const sw = /** @type {ServiceWorkerGlobalScope} */ (/** @type {unknown} */ (self));

// Each `/*@NAME@*/null ?? fallback` below is a build marker (see above): TypeScript calls
// `null ?? x` always nullish (TS2871), which is true of the template and not of sw.js. The
// format is sitebuild/finish_offline.py's, so the error is expected, line by line, instead.
/** @type {string} */
// @ts-expect-error TS2871: a build marker, replaced in sw.js
const CACHE_NAME = /*@CACHE_NAME@*/null ?? "unbuilt";
/** @type {string} */
// @ts-expect-error TS2871: a build marker, replaced in sw.js
const CACHE_PREFIX = /*@CACHE_PREFIX@*/null ?? "unbuilt-";
/** @type {string} */
// @ts-expect-error TS2871: a build marker, replaced in sw.js
const VERSION = /*@VERSION@*/null ?? "0";
/** Site-relative paths of every file to precache, `oral/index.html` style. @type {string[]} */
// @ts-expect-error TS2871: a build marker, replaced in sw.js
const PRECACHE = /*@PRECACHE@*/null ?? [];
/** Folders whose contents never change under the same path. @type {string[]} */
// @ts-expect-error TS2871: a build marker, replaced in sw.js
const IMMUTABLE_PREFIXES = /*@IMMUTABLE_PREFIXES@*/null ?? [];
/** A file name that carries a content hash. @type {RegExp} */
// @ts-expect-error TS2871: a build marker, replaced in sw.js
const HASHED_NAME = /*@HASHED_NAME@*/null ?? /^$/;
/** Each precached file's length and SHA-256 (hex), from the build's manifest. @type {Record<string, [number, string]>} */
// @ts-expect-error TS2871: a build marker, replaced in sw.js
const EXPECTED = /*@EXPECTED@*/null ?? {};
/** The build's manifest (precached, checked against EXPECTED rather than by its own hash). @type {string} */
// @ts-expect-error TS2871: a build marker, replaced in sw.js
const MANIFEST = /*@MANIFEST_PATH@*/null ?? "";
/** The messages between the pages and this service worker (sitebuild/names.json; protocol.js,
 * SW_MESSAGE). @type {{precacheStatus: string, skipWaiting: string}} */
// @ts-expect-error TS2871: a build marker, replaced in sw.js
const SW_MESSAGE = /*@SW_MESSAGE@*/null ?? { precacheStatus: "", skipWaiting: "" };

/** How long a page waits for the network before the cached copy is used. */
const NETWORK_TIMEOUT_MS = 4000;
/** Files fetched at once while precaching: enough to fill the pipe, few enough to be polite. */
const PRECACHE_CONCURRENCY = 6;

const SCOPE = new URL(sw.registration.scope);
const PRECACHED = new Set(PRECACHE);

/**
 * The site-relative cache key for a URL of this site, or null for anything else.
 * A folder URL (`oral/`) stands for its `index.html`.
 * @param {URL} url
 */
function siteKey(url) {
  if (url.origin !== SCOPE.origin || !url.pathname.startsWith(SCOPE.pathname)) return null;
  let rel;
  try {
    rel = decodeURIComponent(url.pathname.slice(SCOPE.pathname.length));
  } catch {
    return null;
  }
  if (rel === "" || rel.endsWith("/")) rel += "index.html";
  return rel;
}

/** @param {string} rel */
function isVersioned(rel) {
  return IMMUTABLE_PREFIXES.some((prefix) => rel.startsWith(prefix)) || HASHED_NAME.test(rel);
}

/** @param {string} rel */
function isPage(rel) {
  return rel.endsWith(".html");
}

/** @param {string} rel */
function keyUrl(rel) {
  return new URL(rel, SCOPE).href;
}

/** @param {ArrayBuffer} buffer */
async function sha256Hex(buffer) {
  const digest = await crypto.subtle.digest("SHA-256", buffer);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * The manifest cannot carry its own hash: it must parse, name this build's cache, and list
 * every other file with the length and hash this service worker expects.
 * @param {ArrayBuffer} buffer
 */
function manifestProblem(buffer) {
  let data;
  try {
    data = JSON.parse(new TextDecoder().decode(buffer));
  } catch {
    return `${MANIFEST}: not valid JSON (${buffer.byteLength} bytes; damaged or cut short)`;
  }
  if (!data || data.cache_name !== CACHE_NAME) {
    return `${MANIFEST}: belongs to another build (${String(data && data.cache_name)})`;
  }
  /** @type {Map<string, {bytes: number, sha256: string}>} */
  const listed = new Map(
    (Array.isArray(data.files) ? data.files : []).map((/** @type {{path: string, bytes: number, sha256: string}} */ f) => [f.path, f]),
  );
  for (const [rel, [bytes, sha256]] of Object.entries(EXPECTED)) {
    const entry = listed.get(rel);
    if (!entry || entry.bytes !== bytes || entry.sha256 !== sha256) {
      return `${MANIFEST}: its entry for ${rel} differs from this build's`;
    }
  }
  return "";
}

/**
 * What is wrong with a file's bytes, or "" when they are exactly the build's.
 * @param {string} rel
 * @param {ArrayBuffer} buffer
 */
async function problemWith(rel, buffer) {
  if (rel === MANIFEST) return manifestProblem(buffer);
  const expected = EXPECTED[rel];
  if (!expected) return `${rel}: not in the build's list of files`;
  const [bytes, sha256] = expected;
  if (buffer.byteLength !== bytes) {
    return `${rel}: ${buffer.byteLength} bytes arrived, the build's file has ${bytes}`;
  }
  if ((await sha256Hex(buffer)) !== sha256) return `${rel}: contents differ from the build's (SHA-256)`;
  return "";
}

/**
 * A checked response for one file, or the reason there is none. The first try uses the HTTP
 * cache as before ("no-cache" revalidates pages and unversioned scripts); a file that fails
 * is fetched once more with "reload", which bypasses the HTTP cache both ways.
 * @param {string} rel
 * @returns {Promise<{response: Response | null, problem: string}>}
 */
async function fetchVerified(rel) {
  let problem = "";
  for (const mode of [isVersioned(rel) ? "default" : "no-cache", "reload"]) {
    /** @type {Response} */
    let response;
    try {
      response = await fetch(new Request(keyUrl(rel), { cache: /** @type {RequestCache} */ (mode) }));
    } catch (error) {
      problem = `${rel}: could not be fetched (${String(error)})`;
      continue;
    }
    if (!response.ok) {
      problem = `${rel}: the server answered ${response.status} ${response.statusText}`;
      continue;
    }
    const copy = response.clone();
    try {
      problem = await problemWith(rel, await response.arrayBuffer());
    } catch (error) {
      problem = `${rel}: the download broke off (${String(error)})`;
    }
    if (!problem) return { response: copy, problem: "" };
  }
  return { response: null, problem };
}

/**
 * Fetch, check and store every file, a few at a time. Files already in the cache (an install
 * that was interrupted or failed, and is tried again) are checked again, not fetched again.
 * Returns the files that could not be stored intact, with the reason for each: an empty
 * list means every file is in the cache and is the build's.
 */
async function precache() {
  const cache = await caches.open(CACHE_NAME);
  const have = new Set((await cache.keys()).map((request) => request.url));
  /** @type {string[]} */
  const problems = [];
  let next = 0;
  async function worker() {
    while (next < PRECACHE.length) {
      const rel = PRECACHE[next++];
      const key = keyUrl(rel);
      if (have.has(key)) {
        const cached = await cache.match(key);
        if (cached && !(await problemWith(rel, await cached.arrayBuffer()))) continue;
        await cache.delete(key);
      }
      const { response, problem } = await fetchVerified(rel);
      if (response) await cache.put(key, response);
      else problems.push(problem);
    }
  }
  await Promise.all(Array.from({ length: PRECACHE_CONCURRENCY }, worker));
  return problems;
}

/** What the cache holds now, for the page and the self-test. */
async function status() {
  const cache = await caches.open(CACHE_NAME);
  const have = new Set((await cache.keys()).map((request) => request.url));
  const cached = PRECACHE.filter((rel) => have.has(keyUrl(rel))).length;
  return {
    type: SW_MESSAGE.precacheStatus,
    cache: CACHE_NAME,
    version: VERSION,
    cached,
    total: PRECACHE.length,
    // Only checked files are ever stored, so "all stored" is "all checked".
    complete: cached === PRECACHE.length,
  };
}

/** @param {unknown} message */
async function tellPages(message) {
  // Open pages, controlled or not yet (a first visit is not controlled during install).
  const clients = await sw.clients.matchAll({ includeUncontrolled: true, type: "window" });
  for (const client of clients) client.postMessage(message);
}

sw.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const problems = await precache();
      if (problems.length) {
        const message = {
          ...(await status()),
          complete: false,
          failed: true,
          problems: problems.slice(0, 10),
          failures: problems.length,
        };
        await tellPages(message);
        // A failed install: this release's copy never becomes the active one.
        throw new Error(`offline copy not stored: ${problems.length} file(s) failed: ${problems[0]}`);
      }
      await tellPages(await status());
    })(),
  );
});

sw.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(CACHE_PREFIX) && name !== CACHE_NAME) await caches.delete(name);
      }
      // The first install takes over the open pages at once, so that they (and workers they
      // start from now on) are served from the cache; an update waits for "reload".
      await sw.clients.claim();
    })(),
  );
});

sw.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === SW_MESSAGE.skipWaiting) {
    event.waitUntil(sw.skipWaiting());
  } else if (data.type === SW_MESSAGE.precacheStatus) {
    event.waitUntil(
      status().then((message) => {
        const port = event.ports && event.ports[0];
        if (port) port.postMessage(message);
        else if (event.source) event.source.postMessage(message);
      }),
    );
  }
});

/** @param {string} rel */
async function fromCache(rel) {
  const cache = await caches.open(CACHE_NAME);
  return cache.match(keyUrl(rel));
}

/**
 * @param {Request} request
 * @param {string} rel
 */
async function cacheFirst(request, rel) {
  const cached = await fromCache(rel);
  return cached || fetch(request);
}

/**
 * The network's answer unless it fails or is slower than NETWORK_TIMEOUT_MS, then the
 * cached copy; the network's answer (even an error status) if nothing is cached.
 * @param {Request} request
 * @param {string} rel
 */
async function networkFirst(request, rel) {
  const network = fetch(request);
  network.catch(() => {}); // handled below; do not report it as unhandled after a timeout
  /** @type {Promise<"timeout">} */
  const timeout = new Promise((resolve) => setTimeout(() => resolve("timeout"), NETWORK_TIMEOUT_MS));
  try {
    const response = await Promise.race([network, timeout]);
    if (response !== "timeout" && response.status < 500) return response;
  } catch {
    // Offline, or the launcher stopped: fall through to the cache.
  }
  const cached = PRECACHED.has(rel) ? await fromCache(rel) : undefined;
  if (cached) return cached;
  if (request.mode === "navigate" || isPage(rel)) {
    try {
      return await network;
    } catch {
      return offlinePage();
    }
  }
  return network;
}

function offlinePage() {
  const home = SCOPE.href;
  const body = `<!doctype html><html lang="en"><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Not in the offline copy</title>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem">
<h1>Not in the offline copy</h1>
<p>This address is not part of the copy of the site stored in this browser, and the network
cannot be reached. <a href="${home}">Go to the home page</a>.</p></body></html>`;
  return new Response(body, {
    status: 503,
    headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" },
  });
}

sw.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || request.cache === "no-store" || request.headers.has("range")) {
    return;
  }
  const url = new URL(request.url);
  const rel = siteKey(url);
  if (rel === null) return;
  if (request.mode === "navigate" || isPage(rel)) {
    event.respondWith(networkFirst(request, rel));
  } else if (PRECACHED.has(rel) && isVersioned(rel) && url.search === "") {
    event.respondWith(cacheFirst(request, rel));
  } else if (PRECACHED.has(rel) && url.search === "") {
    event.respondWith(networkFirst(request, rel));
  }
});
