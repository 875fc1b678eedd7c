// @ts-check
/**
 * The self-test's first part, in a module Web Worker that selftest.js starts: every file in
 * the build's manifest fetched from the server (past the service worker's cache, with
 * `cache: "no-store"`) and compared with the build's size and SHA-256.
 *
 * Why a worker (issue 27): reading about 9 MB of responses and hashing them on the page's
 * thread made it busy in tasks of 50-100 ms each on a 4x slower CPU (a Chromium trace of the
 * self-test page; with this part taken out they were gone). Here the page's thread only gets
 * the summary.
 *
 * Message in: `{files: FileEntry[], root: string}` (root: the site's address); message out:
 * a FilesResult. A file that cannot be fetched at all counts as unreachable; selftest.js
 * tells "the server is gone" (all unreachable) from "some files are missing".
 */

/**
 * @typedef {{path: string, bytes: number, sha256: string}} FileEntry
 * @typedef {{problems: string[], bytes: number, unreachable: number, canHash: boolean}} FilesResult
 */

const FETCH_CONCURRENCY = 6;

/** @param {ArrayBuffer} buffer */
async function sha256Hex(buffer) {
  const digest = await crypto.subtle.digest("SHA-256", buffer);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * @template T
 * @param {T[]} items
 * @param {(item: T) => Promise<void>} fn
 */
async function eachLimited(items, fn) {
  let next = 0;
  async function lane() {
    while (next < items.length) await fn(items[next++]);
  }
  await Promise.all(Array.from({ length: FETCH_CONCURRENCY }, lane));
}

/**
 * @param {FileEntry[]} files
 * @param {string} root
 * @returns {Promise<FilesResult>}
 */
async function checkFiles(files, root) {
  const canHash = typeof crypto !== "undefined" && Boolean(crypto.subtle);
  /** @type {string[]} */
  const problems = [];
  let bytes = 0;
  let unreachable = 0;
  await eachLimited(files, async (file) => {
    try {
      const response = await fetch(new URL(file.path, root), { cache: "no-store" });
      if (!response.ok) {
        problems.push(`${file.path}: HTTP ${response.status}`);
        return;
      }
      const body = await response.arrayBuffer();
      bytes += body.byteLength;
      if (body.byteLength !== file.bytes) {
        problems.push(`${file.path}: ${body.byteLength} bytes, expected ${file.bytes}`);
      } else if (canHash && (await sha256Hex(body)) !== file.sha256) {
        problems.push(`${file.path}: contents differ from the build (SHA-256)`);
      }
    } catch (error) {
      unreachable += 1;
      problems.push(`${file.path}: could not be fetched (${String(error)})`);
    }
  });
  return { problems, bytes, unreachable, canHash };
}

const scope = /** @type {DedicatedWorkerGlobalScope} */ (/** @type {unknown} */ (self));
scope.addEventListener("message", (event) => {
  const { files, root } = /** @type {{files: FileEntry[], root: string}} */ (event.data);
  checkFiles(files, root).then((result) => scope.postMessage(result));
});
