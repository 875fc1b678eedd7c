// @ts-check
/// <reference lib="webworker" />
/*
 * The service worker of the baclofen dosing site: the whole site keeps working when the
 * network (or the launcher) goes away, once a browser has opened it once.
 *
 * This is the template. sitebuild/hooks_offline.py replaces each marker (a comment holding
 * @NAME@, then `null ?? fallback`) with the build's value (the fallbacks keep the template
 * valid JavaScript) and writes the result
 * to sw.js at the site root, so that its scope is the whole site (also under a sub-path).
 *
 * - install: every file of the build goes into one cache, named from a hash of the contents
 *   of all of them. A new release has a new name; activate deletes the older caches.
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

/** @type {string} */
const CACHE_NAME = /*@CACHE_NAME@*/null ?? "unbuilt";
/** @type {string} */
const CACHE_PREFIX = /*@CACHE_PREFIX@*/null ?? "unbuilt-";
/** @type {string} */
const VERSION = /*@VERSION@*/null ?? "0";
/** Site-relative paths of every file to precache, `oral/index.html` style. @type {string[]} */
const PRECACHE = /*@PRECACHE@*/null ?? [];
/** Folders whose contents never change under the same path. @type {string[]} */
const IMMUTABLE_PREFIXES = /*@IMMUTABLE_PREFIXES@*/null ?? [];
/** A file name that carries a content hash. @type {RegExp} */
const HASHED_NAME = /*@HASHED_NAME@*/null ?? /^$/;

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

/**
 * Fetch every file into the new cache, a few at a time. Files already in the cache (an
 * install that was interrupted and restarted) are not fetched again. Any failure fails the
 * install, so a half-filled cache never becomes the active one.
 */
async function precache() {
  const cache = await caches.open(CACHE_NAME);
  const have = new Set((await cache.keys()).map((request) => request.url));
  const todo = PRECACHE.filter((rel) => !have.has(keyUrl(rel)));
  let next = 0;
  async function worker() {
    while (next < todo.length) {
      const rel = todo[next++];
      // "no-cache": revalidate with the server, so a stale HTTP-cache copy of a page or of
      // an unversioned script does not end up in a release's cache.
      const request = new Request(keyUrl(rel), { cache: isVersioned(rel) ? "default" : "no-cache" });
      const response = await fetch(request);
      if (!response.ok) {
        throw new Error(`precache: ${rel} answered ${response.status} ${response.statusText}`);
      }
      await cache.put(keyUrl(rel), response);
    }
  }
  await Promise.all(Array.from({ length: PRECACHE_CONCURRENCY }, worker));
}

/** What the cache holds now, for the page and the self-test. */
async function status() {
  const cache = await caches.open(CACHE_NAME);
  const cached = (await cache.keys()).length;
  return {
    type: "precache-status",
    cache: CACHE_NAME,
    version: VERSION,
    cached,
    total: PRECACHE.length,
    complete: cached >= PRECACHE.length,
  };
}

sw.addEventListener("install", (event) => {
  event.waitUntil(
    precache().then(async () => {
      // Tell open pages (controlled or not yet) that this release is stored.
      const clients = await sw.clients.matchAll({ includeUncontrolled: true, type: "window" });
      const message = await status();
      for (const client of clients) client.postMessage(message);
    }),
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
  if (data.type === "skip-waiting") {
    event.waitUntil(sw.skipWaiting());
  } else if (data.type === "precache-status") {
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
