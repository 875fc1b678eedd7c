// @ts-check
/**
 * Runs docs/assets/offline/sw.template.js in node's `vm`, as a browser runs sw.js: its
 * markers filled the way sitebuild/finish_offline.py fills them (_render_sw: each
 * `/*@NAME@*\/null ?? <fallback>;` becomes `<value>;`), with stand-ins for what a service
 * worker's global scope offers (`self.registration`, `self.clients`, Cache Storage, fetch,
 * timers). The template stays a classic service worker (register.js registers it without
 * `type: "module"`), so it cannot import a module of pure helpers; this runs it whole.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import vm from "node:vm";

const TEMPLATE_PATH = new URL("../../../docs/assets/offline/sw.template.js", import.meta.url);
export const TEMPLATE = readFileSync(TEMPLATE_PATH, "utf-8");

// The shared names and offline rules the build uses too (sitebuild/names.py reads the same file).
export const NAMES = JSON.parse(
  readFileSync(new URL("../../../sitebuild/names.json", import.meta.url), "utf-8"),
);
/** sitebuild/finish_offline.py's HASHED_NAME (a file name carrying a content hash). */
export const HASHED_NAME = /** @type {string} */ (NAMES.hashed_name_pattern);
export const SCOPE = "https://example.test/site/";
export const MANIFEST = /** @type {string} */ (NAMES.browser.MANIFEST_PATH);
export const CACHE_PREFIX = /** @type {string} */ (NAMES.cache_prefix);

/** @param {string | Uint8Array} body */
export function sha256Hex(body) {
  return createHash("sha256").update(body).digest("hex");
}

/** @param {string | Uint8Array} body */
function byteLength(body) {
  return typeof body === "string" ? Buffer.byteLength(body) : body.byteLength;
}

/**
 * The template with each marker replaced by its value (JavaScript source text), as the
 * build does; throws if a marker is not there exactly once (the build refuses that too).
 * The shared names (names.json's "browser") are filled in as well, as the build fills them.
 * @param {Record<string, string>} values
 */
export function renderTemplate(values) {
  let text = TEMPLATE;
  /** @type {Record<string, string>} */
  const shared = {};
  for (const [key, value] of Object.entries(NAMES.browser)) {
    if (TEMPLATE.includes(`/*@${key}@*/`)) shared[key] = JSON.stringify(value);
  }
  for (const [key, value] of Object.entries({ ...shared, ...values })) {
    const marker = new RegExp(String.raw`/\*@` + key + String.raw`@\*/null \?\? [^;\n]*;`, "g");
    const count = (text.match(marker) ?? []).length;
    if (count !== 1) throw new Error(`marker ${key} found ${count} times in the template`);
    text = text.replace(marker, () => `${value};`);
  }
  return text;
}

/**
 * A build: its files (site-relative path -> contents) and what the build writes into sw.js
 * for them. The manifest is made from the files, as finish_offline.py makes it.
 * @param {Record<string, string | Uint8Array>} files
 * @param {{cacheName?: string, immutable?: string[], manifest?: (m: any) => any}} [options]
 */
export function build(files, options = {}) {
  const cacheName = options.cacheName ?? `${CACHE_PREFIX}0123456789abcdef`;
  /** @type {Record<string, [number, string]>} */
  const expected = {};
  for (const [path, body] of Object.entries(files)) expected[path] = [byteLength(body), sha256Hex(body)];
  let manifest = {
    cache_name: cacheName,
    files: Object.entries(expected).map(([path, [bytes, sha256]]) => ({ path, bytes, sha256 })),
  };
  if (options.manifest) manifest = options.manifest(manifest);
  const served = { ...files, [MANIFEST]: JSON.stringify(manifest) };
  const precache = [...Object.keys(files), MANIFEST];
  const values = {
    CACHE_NAME: JSON.stringify(cacheName),
    CACHE_PREFIX: JSON.stringify(CACHE_PREFIX),
    VERSION: JSON.stringify("1.2.3"),
    PRECACHE: JSON.stringify(precache),
    IMMUTABLE_PREFIXES: JSON.stringify(options.immutable ?? []),
    HASHED_NAME: "/" + HASHED_NAME.replaceAll("/", "\\/") + "/",
    EXPECTED: JSON.stringify(expected),
  };
  return { cacheName, files: served, precache, expected, source: renderTemplate(values) };
}

/** A Cache (one cache of Cache Storage), keyed by URL. */
export class FakeCache {
  constructor() {
    /** @type {Map<string, Response>} */
    this.entries = new Map();
  }

  /** @param {RequestInfo | URL} key */
  static url(key) {
    return typeof key === "string" ? key : key instanceof URL ? key.href : key.url;
  }

  async keys() {
    return [...this.entries.keys()].map((url) => new Request(url));
  }

  /** @param {RequestInfo | URL} key */
  async match(key) {
    return this.entries.get(FakeCache.url(key))?.clone();
  }

  /** @param {RequestInfo | URL} key @param {Response} response */
  async put(key, response) {
    // As a browser does, the body is read in full before put settles.
    const body = await response.arrayBuffer();
    this.entries.set(FakeCache.url(key), new Response(body, { status: response.status, headers: response.headers }));
  }

  /** @param {RequestInfo | URL} key */
  async delete(key) {
    return this.entries.delete(FakeCache.url(key));
  }
}

export class FakeCacheStorage {
  constructor() {
    /** @type {Map<string, FakeCache>} */
    this.caches = new Map();
  }

  /** @param {string} name */
  async open(name) {
    if (!this.caches.has(name)) this.caches.set(name, new FakeCache());
    return /** @type {FakeCache} */ (this.caches.get(name));
  }

  async keys() {
    return [...this.caches.keys()];
  }

  /** @param {string} name */
  async delete(name) {
    return this.caches.delete(name);
  }

  /** The URLs one cache holds, site-relative, sorted. @param {string} name */
  stored(name) {
    const cache = this.caches.get(name);
    return cache ? [...cache.entries.keys()].map((url) => url.slice(SCOPE.length)).sort() : [];
  }
}

/**
 * The network behind the service worker: serves a build's files (a folder URL its
 * index.html), records every request (by site-relative path),
 * and can be told to answer one path differently (a function of the request and how many
 * times that path was asked for), to fail, or to hang.
 * @param {Record<string, string | Uint8Array>} files
 */
export function network(files) {
  /** @type {Array<{path: string, cache: string, url: string}>} */
  const requests = [];
  /** @type {Map<string, (attempt: number, request: any) => Response | Promise<Response>>} */
  const overrides = new Map();
  let offline = false;
  /** @param {any} input */
  async function fetch(input) {
    const url = typeof input === "string" ? input : input.url;
    let path = url.startsWith(SCOPE) ? decodeURIComponent(new URL(url).pathname.slice(new URL(SCOPE).pathname.length)) : url;
    if (path === "" || path.endsWith("/")) path += "index.html"; // a folder: its index.html, as a server answers
    requests.push({ path, cache: typeof input === "string" ? "default" : input.cache, url });
    if (offline) throw new TypeError("Failed to fetch");
    const override = overrides.get(path);
    if (override) return override(requests.filter((r) => r.path === path).length, input);
    const body = files[path];
    if (body === undefined) return new Response("not found", { status: 404, statusText: "Not Found" });
    return new Response(body, { status: 200 });
  }
  return {
    fetch,
    requests,
    overrides,
    /** @param {boolean} value */
    setOffline(value) {
      offline = value;
    },
    /** @param {string} path */
    count(path) {
      return requests.filter((r) => r.path === path).length;
    },
  };
}

/**
 * Start a service worker from `source` (a rendered template) in a fresh context.
 * @param {string} source
 * @param {{caches?: FakeCacheStorage, fetch: (input: any) => Promise<Response>}} env
 */
export function startServiceWorker(source, env) {
  /** @type {Map<string, (event: any) => void>} */
  const listeners = new Map();
  /** @type {any[]} */
  const clientMessages = [];
  /** @type {Array<{ms: number, run: () => void}>} */
  const timers = [];
  const state = { claimed: false, skippedWaiting: false };
  const caches = env.caches ?? new FakeCacheStorage();
  const self = {
    registration: { scope: SCOPE },
    clients: {
      async matchAll() {
        // postMessage delivers a structured clone (here also: objects of this realm, not the vm's).
        return [{ postMessage: (/** @type {any} */ m) => clientMessages.push(structuredClone(m)) }];
      },
      async claim() {
        state.claimed = true;
      },
    },
    async skipWaiting() {
      state.skippedWaiting = true;
    },
    /** @param {string} type @param {(event: any) => void} listener */
    addEventListener(type, listener) {
      listeners.set(type, listener);
    },
  };
  const context = vm.createContext({
    self,
    caches,
    fetch: env.fetch,
    Request,
    Response,
    Headers,
    URL,
    TextDecoder,
    crypto: globalThis.crypto,
    console,
    /** @param {() => void} run @param {number} ms */
    setTimeout(run, ms) {
      timers.push({ ms, run });
      return timers.length;
    },
  });
  vm.runInContext(source, context, { filename: "sw.js" });

  /** @param {string} type @param {any} event */
  function dispatch(type, event) {
    const listener = listeners.get(type);
    if (!listener) throw new Error(`the service worker has no ${type} listener`);
    listener(event);
  }

  return {
    caches,
    clientMessages,
    state,
    timers,
    /** Run the install event; resolves or rejects as its waitUntil promise does. */
    install() {
      /** @type {Promise<unknown>} */
      let done = Promise.resolve();
      dispatch("install", { waitUntil: (/** @type {Promise<unknown>} */ p) => (done = p) });
      return done;
    },
    activate() {
      /** @type {Promise<unknown>} */
      let done = Promise.resolve();
      dispatch("activate", { waitUntil: (/** @type {Promise<unknown>} */ p) => (done = p) });
      return done;
    },
    /**
     * A fetch event: the response the service worker answered with, or null when it left
     * the request to the browser (no respondWith).
     * @param {string} url
     * @param {{method?: string, mode?: string, cache?: string, headers?: Record<string, string>}} [init]
     * @returns {Promise<Response | null>}
     */
    async request(url, init = {}) {
      const request = {
        url: new URL(url, SCOPE).href,
        method: init.method ?? "GET",
        mode: init.mode ?? "cors",
        cache: init.cache ?? "default",
        headers: new Headers(init.headers ?? {}),
      };
      /** @type {Promise<Response> | null} */
      let answer = null;
      dispatch("fetch", { request, respondWith: (/** @type {Promise<Response>} */ p) => (answer = p) });
      return answer === null ? null : await answer;
    },
    /**
     * A message from a page, with a MessagePort-like reply channel.
     * @param {any} data
     * @returns {Promise<{replies: any[]}>}
     */
    async message(data) {
      /** @type {any[]} */
      const replies = [];
      /** @type {Promise<unknown>} */
      let done = Promise.resolve();
      dispatch("message", {
        data,
        ports: [{ postMessage: (/** @type {any} */ m) => replies.push(structuredClone(m)) }],
        source: null,
        waitUntil: (/** @type {Promise<unknown>} */ p) => (done = p),
      });
      await done;
      return { replies };
    },
  };
}
