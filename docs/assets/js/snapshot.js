// @ts-check
/// <reference lib="webworker" />
/**
 * Start Pyodide from a memory snapshot when a good one is at hand, normally otherwise.
 *
 * A normal start boots CPython, imports what Pyodide needs and unpacks the calculators
 * wheel: 2 s and more on a two-core machine even with every file cached
 * (docs/performance.md). A memory snapshot is the whole WebAssembly heap after all of
 * that, so restoring it is mostly a copy. After a normal start
 * the worker calls `noteActivity()` after each answer; right after the first one the heap
 * is snapshotted and kept in Cache Storage, and the next visit (a new document, a new
 * worker, even one opened a second later) restores it.
 *
 * `_makeSnapshot`, `_loadSnapshot` and `makeMemorySnapshot` are Pyodide's private API:
 * they are used with the one version package.json pins, and everything here falls back to
 * a normal start when they or the snapshot misbehave. A snapshot is used only if
 *
 * - its cache key matches: the Pyodide version, the sha256 of each package loaded (the
 *   calculators wheel, from the lock file) and the standard library's URL (each names its
 *   contents);
 * - its length is the one recorded with it (a truncated write is not restored);
 * - Pyodide accepts it (its header carries a magic number and the runtime's build id);
 * - the restored interpreter gives the known answer recorded when the snapshot was made:
 *   a calculator run on its default inputs, compared by SHA-256.
 *
 * Anything else (no Cache Storage outside a secure context, a quota error, a snapshot that
 * fails any check) means a normal start, with the reason in `reason`; a snapshot that
 * failed a check is deleted. Only one snapshot is kept.
 *
 * The snapshot does not hold the in-memory file system: the standard library zip is
 * written again by Pyodide on every start, but the calculators wheel (and the .pth file
 * naming it) is not there after a restore.
 * Nothing reads the calculators' files once they are imported (the build renders the
 * "show the Python" source), so that is fine; `loadPackage` must not be relied on after a
 * restore, where `loadedPackages` lists the restored packages as from "memory snapshot".
 */

/** Cache Storage name; not the service worker's (it deletes only its own caches). */
export const CACHE_NAME = "baclofen-pyodide-snapshot";
/** Bumped when what is stored (or how it is checked) changes: older entries are ignored. */
const FORMAT = "3";
/** The heap is stored without its all-zero pages (about half of them), so a restore reads
 * half as much from disk; a bitmap in a header says which pages were kept. */
const PAGE_BYTES = 4096;
/** Delay after the first answer was posted before the snapshot is made (ms): the next
 * task, so that the answer leaves first. */
export const SAVE_DELAY_MS = 0;
/** Where the wheels go in Pyodide's file system (outside site-packages, which holds the
 * .pth files naming them). */
const WHEEL_DIR = "/lib/baclofen-wheels";

/** The first calculator on its defaults: the known answer a restored interpreter must
 * give (its HTML runs through most of the package). One expression, so that it leaves no
 * names behind in __main__. */
const PROBE = `__import__("calculators.web", fromlist=["run"]).run(
  next(iter(__import__("calculators").CALCULATORS)), "{}", "")`;

/**
 * @typedef {object} StartConfig
 * @property {string} indexURL absolute URL of the Pyodide runtime directory (ends in "/")
 * @property {string} lockFileURL absolute URL of the pyodide-lock.json naming the wheel
 * @property {string[]} packages the packages to load (the calculators wheel), by lock-file name
 * @property {string} [stdLibURL] the standard library zip, if not the runtime's own
 * @property {Record<string, unknown>} [options] more loadPyodide options (stdout, stderr)
 *
 * @typedef {object} Started
 * @property {any} pyodide the Pyodide API
 * @property {"snapshot" | "normal"} start how it started
 * @property {string | null} reason why not from a snapshot (null when it was)
 * @property {() => void} noteActivity call after each answer: the first one schedules the snapshot
 * @property {Promise<string>} saved settles when the snapshot was stored ("saved") or
 *   will not be ("not needed", or the reason it failed)
 */

/**
 * When each step of this worker's start happened: epoch ms (performance.timeOrigin +
 * performance.now()), so that they line up with the page's own times. Sent with `ready`
 * (protocol.js, StartPhases); the benchmark reads them, nothing depends on them.
 * @type {Record<string, number>}
 */
export const phases = {};
/** @param {string} name */
export function mark(name) {
  phases[name] ??= performance.timeOrigin + performance.now();
}

/** @param {string} text */
async function sha256(text) {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** @param {any} pyodide */
function probe(pyodide) {
  return /** @type {string} */ (pyodide.runPython(PROBE));
}

/** @param {unknown} error */
function describe(error) {
  return error instanceof Error ? `${error.name}: ${error.message.split("\n")[0]}` : String(error);
}

/**
 * @param {StartConfig} config
 * @returns {Promise<Started>}
 */
export async function startPyodide(config) {
  const storage = typeof caches === "undefined" ? null : caches;
  const packageBaseUrl = new URL(".", config.lockFileURL).href;
  // All at once: the loader, the lock file, and the one snapshot kept (read now, so that
  // its tens of MB come off the disk while the runtime loads; its key is checked below).
  mark("start");
  const lockFile = fetchLock(config.lockFileURL);
  lockFile.then(() => mark("lock"), () => {});
  const storedSnapshot = storage ? readStored(storage) : Promise.resolve(null);
  storedSnapshot.then(() => mark("snapshot-found"), () => {});
  // The wheels too, as soon as the lock file names them, unless a snapshot is stored (it
  // will most likely be restored; if not, they are fetched then).
  /** @type {Promise<Wheel[] | null> | null} */
  let wheels = null;
  const fetchWheelsOnce = () => (wheels ??= lockFile.then((lock) => fetchWheels(lock, config.packages, packageBaseUrl)));
  storedSnapshot.then((stored) => {
    if (!stored) fetchWheelsOnce().catch(() => {}); // awaited (and reported) below
  });
  const [{ loadPyodide, version }, lock, stored] = await Promise.all([
    import(config.indexURL + "pyodide.mjs").then((module) => (mark("pyodide.mjs"), module)),
    lockFile,
    storedSnapshot,
  ]);
  const shas = config.packages.map((name) => lock?.packages?.[name]?.sha256);
  const base = {
    ...config.options,
    indexURL: config.indexURL,
    // The lock file is already here: hand it over rather than fetch it twice.
    lockFileContents: lock,
    packageBaseUrl,
    ...(config.stdLibURL ? { stdLibURL: config.stdLibURL } : {}),
  };
  const stdlib = config.stdLibURL ?? config.indexURL + "python_stdlib.zip";
  const key = shas.every(Boolean)
    ? new URL(
        `pyodide-snapshot/${FORMAT}/${version}/${shas.join("+")}?stdlib=${encodeURIComponent(stdlib)}`,
        config.indexURL,
      ).href
    : null;

  /** @type {string} */
  let reason;
  if (!storage) reason = "no Cache Storage here (not a secure context)";
  else if (!key) reason = `no sha256 for each of ${config.packages.join(", ")} in the lock file`;
  else if (!stored) reason = "no snapshot yet";
  else if (stored.key !== key) reason = "the snapshot is for another build";
  else {
    try {
      stored.bytes.then(() => mark("snapshot-read"), () => {});
      const pyodide = await loadPyodide({ ...base, _loadSnapshot: stored.bytes });
      mark("restored");
      const answer = await sha256(probe(pyodide));
      mark("checked");
      if (answer !== stored.answer) {
        throw new Error("the restored interpreter does not give the recorded known answer");
      }
      // The packages are in the restored heap (imported), not in Pyodide's JS record of
      // what loadPackage loaded, which a restore starts empty: record where they came from.
      for (const name of config.packages) pyodide.loadedPackages[name] = "memory snapshot";
      return { pyodide, start: "snapshot", reason: null, noteActivity: () => {}, saved: Promise.resolve("not needed") };
    } catch (error) {
      reason = `snapshot not usable (${describe(error)})`;
      console.warn("[calculators worker] starting normally:", reason);
      await storage.open(CACHE_NAME).then((c) => c.delete(key)).catch(() => {});
    }
  }

  const canSave = storage !== null && key !== null;
  // Our own pure-Python wheels, fetched in parallel with the runtime and checked against
  // the lock file's sha256, are put on sys.path before Python starts (Pyodide's fsInit
  // hook: a .pth file naming each wheel, imported from it as a zip): no second resolution
  // step, no package loader to import. Anything else (a dependency) goes to loadPackage.
  // Whether they can go that way is known from the lock file alone (here already), so
  // the runtime's own downloads start now; the wheels are awaited inside fsInit.
  const own = simpleWheels(lock, config.packages);
  const pyodide = await loadPyodide({
    ...base,
    ...(own ? { fsInit: installWheels(fetchWheelsOnce()) } : { packages: config.packages }),
    _makeSnapshot: canSave,
  });
  mark("booted");
  if (own) {
    for (const wheel of /** @type {Wheel[]} */ (await fetchWheelsOnce())) {
      pyodide.loadedPackages[wheel.name] = wheel.url;
    }
  }
  if (!canSave) {
    return { pyodide, start: "normal", reason, noteActivity: () => {}, saved: Promise.resolve(reason) };
  }
  /** @type {(outcome: string) => void} */
  let settle = () => {};
  const saved = new Promise((resolve) => (settle = resolve));
  let due = false;
  // Made once, right after the first answer has been posted (the next task): a page opened
  // a second later already finds it. It blocks the worker for some tens of ms, during which
  // a new request waits; after that first answer, the page has nothing else to ask yet.
  const noteActivity = () => {
    if (due) return;
    due = true;
    setTimeout(() => {
      save(/** @type {CacheStorage} */ (storage), /** @type {string} */ (key), pyodide).then(
        () => settle("saved"),
        (error) => {
          console.warn("[calculators worker] no snapshot kept:", describe(error));
          settle(describe(error));
        },
      );
    }, SAVE_DELAY_MS);
  };
  return { pyodide, start: "normal", reason, noteActivity, saved };
}

/**
 * @typedef {{name: string, fileName: string, url: string, bytes: Uint8Array}} Wheel
 */

/**
 * Whether every package can be installed from its own wheel (fetchWheels): in the lock
 * file, a pure-Python wheel with a sha256 and no dependencies. Otherwise Pyodide's
 * loadPackage does it all.
 * @param {any} lock @param {string[]} names
 */
function simpleWheels(lock, names) {
  return names.every((name) => {
    const entry = lock?.packages?.[name];
    return (
      entry &&
      typeof entry.file_name === "string" &&
      /-none-any\.whl$/.test(entry.file_name) &&
      typeof entry.sha256 === "string" &&
      (entry.depends ?? []).length === 0
    );
  });
}

/**
 * The packages' wheels, checked against the lock file, or null when one of them cannot be
 * installed this way (simpleWheels). A wheel that does not arrive, or differs from its
 * sha256, is an error naming it (never a silent fallback to unchecked bytes).
 * @param {any} lock @param {string[]} names @param {string} baseUrl
 * @returns {Promise<Wheel[] | null>}
 */
async function fetchWheels(lock, names, baseUrl) {
  if (!simpleWheels(lock, names)) return null;
  return Promise.all(
    names.map(async (name) => {
      const entry = lock.packages[name];
      const url = new URL(entry.file_name, baseUrl).href;
      const response = await fetch(url);
      if (!response.ok) {
        throw new Error(`could not load ${name} from ${url}: HTTP ${response.status}`);
      }
      const bytes = new Uint8Array(await response.arrayBuffer());
      const digest = await crypto.subtle.digest("SHA-256", bytes);
      const hex = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
      if (hex !== entry.sha256) {
        throw new Error(`could not load ${name} from ${url}: its sha256 is not the lock file's`);
      }
      return { name, fileName: entry.file_name, url, bytes };
    }),
  );
}

/**
 * Pyodide's fsInit hook: each wheel into the file system, and a .pth file in site-packages
 * naming it, so that Python's start-up puts it on sys.path (imported from the zip). The
 * wheels may still be on their way: Python waits for this hook.
 * @param {Promise<Wheel[] | null>} arriving
 */
function installWheels(arriving) {
  return async (/** @type {any} */ FS, /** @type {{sitePackages: string}} */ { sitePackages }) => {
    mark("fs-init");
    const wheels = await arriving;
    mark("wheels");
    if (!wheels) throw new Error("the lock file's wheels cannot be installed directly");
    FS.mkdirTree(WHEEL_DIR);
    for (const wheel of wheels) {
      const path = `${WHEEL_DIR}/${wheel.fileName}`;
      FS.writeFile(path, wheel.bytes);
      FS.writeFile(`${sitePackages}/${wheel.name}.pth`, `${path}\n`);
    }
  };
}

/** @param {string} url */
async function fetchLock(url) {
  const response = await fetch(url);
  if (!response.ok) {
    throw new Error(`${url}: HTTP ${response.status}; expected the build's pyodide-lock.json`);
  }
  return response.json();
}

/**
 * The one snapshot kept, if any: its key, its recorded known answer, and its bytes (a
 * promise that rejects if they are not as long as recorded: a truncated write).
 * @param {CacheStorage} storage
 * @returns {Promise<{key: string, answer: string, bytes: Promise<Uint8Array>} | null>}
 */
async function readStored(storage) {
  try {
    const cache = await storage.open(CACHE_NAME);
    const [request] = await cache.keys();
    const hit = request && (await cache.match(request));
    if (!hit) return null;
    const length = Number(hit.headers.get("x-snapshot-length"));
    const stored = Number(hit.headers.get("x-snapshot-stored"));
    const pages = hit.headers.get("x-snapshot-pages") ?? "";
    const answer = hit.headers.get("x-snapshot-answer") ?? "";
    const bytes = hit.arrayBuffer().then((buffer) => {
      if (buffer.byteLength !== stored) {
        throw new Error(`stored ${buffer.byteLength} bytes, recorded ${stored}`);
      }
      return expand(new Uint8Array(buffer), pages, length);
    });
    bytes.catch(() => {}); // not awaited when the key does not match
    return { key: request.url, answer, bytes };
  } catch {
    return null; // Cache Storage refused (quota, private mode): start normally
  }
}

/**
 * Snapshot the heap and keep it (replacing any older snapshot).
 * @param {CacheStorage} storage @param {string} key @param {any} pyodide
 */
async function save(storage, key, pyodide) {
  const answer = await sha256(probe(pyodide));
  // Pyodide checks that the JS objects Python holds are those of a fresh start; one is the
  // loadedPackages record, which must then be empty. Empty it for the copy, then put it
  // back. (After a restore it is empty: nothing may call loadPackage then, see above.)
  const loaded = pyodide.loadedPackages;
  const record = { ...loaded };
  for (const name of Object.keys(record)) delete loaded[name];
  /** @type {Uint8Array} */
  let bytes;
  try {
    bytes = pyodide.makeMemorySnapshot();
  } finally {
    Object.assign(loaded, record);
  }
  const { body, pages } = squeeze(bytes);
  const cache = await storage.open(CACHE_NAME);
  for (const old of await cache.keys()) {
    if (old.url !== key) await cache.delete(old);
  }
  await cache.put(key, new Response(body, {
    headers: {
      "content-type": "application/octet-stream",
      "x-snapshot-length": String(bytes.length),
      "x-snapshot-stored": String(body.length),
      "x-snapshot-pages": pages,
      "x-snapshot-answer": answer,
    },
  }));
}

/**
 * The snapshot without its all-zero pages, and which pages were kept (a bitmap, base64).
 * The first page (Pyodide's header: magic number, build id) is never zero, so the stored
 * body starts as the snapshot does.
 * @param {Uint8Array} bytes
 */
function squeeze(bytes) {
  const count = Math.ceil(bytes.length / PAGE_BYTES);
  const bitmap = new Uint8Array(Math.ceil(count / 8));
  // Test 4 bytes at a time (a copy if the bytes are not 4-byte aligned in their buffer).
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
  const words = new Uint32Array(aligned.buffer, aligned.byteOffset, Math.floor(bytes.length / 4));
  let kept = 0;
  for (let page = 0; page < count; page++) {
    const start = (page * PAGE_BYTES) / 4;
    const end = start + PAGE_BYTES / 4;
    // A last, partial page is kept as it is.
    let zero = end <= words.length;
    for (let i = start; zero && i < end; i++) zero = words[i] === 0;
    if (!zero) {
      bitmap[page >> 3] |= 1 << (page & 7);
      kept++;
    }
  }
  const body = new Uint8Array(Math.min(kept * PAGE_BYTES, bytes.length));
  let at = 0;
  for (let page = 0; page < count; page++) {
    if (!(bitmap[page >> 3] & (1 << (page & 7)))) continue;
    const chunk = bytes.subarray(page * PAGE_BYTES, (page + 1) * PAGE_BYTES);
    body.set(chunk, at);
    at += chunk.length;
  }
  let binary = "";
  for (const byte of bitmap) binary += String.fromCharCode(byte);
  return { body: body.subarray(0, at), pages: btoa(binary) };
}

/**
 * The full snapshot from its stored body and page bitmap (see squeeze).
 * @param {Uint8Array} body @param {string} pages @param {number} length
 */
function expand(body, pages, length) {
  const bitmap = Uint8Array.from(atob(pages), (c) => c.charCodeAt(0));
  const out = new Uint8Array(length); // zero-filled
  let at = 0;
  for (let page = 0; page * PAGE_BYTES < length; page++) {
    if (!(bitmap[page >> 3] & (1 << (page & 7)))) continue;
    const size = Math.min(PAGE_BYTES, length - page * PAGE_BYTES);
    if (at + size > body.length) throw new Error("the stored pages end early");
    out.set(body.subarray(at, at + size), page * PAGE_BYTES);
    at += size;
  }
  if (at !== body.length) throw new Error("the stored pages do not match their bitmap");
  return out;
}
