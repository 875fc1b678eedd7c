// @ts-check
/** A static server for the built site on 127.0.0.1 (a free port), with the MIME types
 * Pyodide needs; `close()` also drops open connections, so a test can cut the network.
 * A test can also make named files fail from outside the page: answered 404, or stalled
 * (the request is read and never answered, as on a network that hangs). */
import { createReadStream, statSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize, sep } from "node:path";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".mjs": "text/javascript",
  ".css": "text/css",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".xml": "application/xml",
  ".txt": "text/plain; charset=utf-8",
  ".whl": "application/octet-stream",
  ".zip": "application/zip",
  ".gz": "application/gzip",
  ".webmanifest": "application/manifest+json",
};

/**
 * @typedef {"stall" | "404"} Fault
 * @typedef {{path: string, fault: Fault, at: number}} Faulted a request given its fault, and
 *   when (Date.now())
 */

/**
 * @param {string} root the site directory
 * @param {{faults?: Record<string, Fault>}} [options] `faults`: by file name (the last part
 *   of the path, e.g. "pyodide.asm.wasm"), what its requests get instead of the file
 * @returns {Promise<{base: string, requests: string[], faulted: Faulted[], close: () => Promise<void>}>}
 */
export async function serve(root, options = {}) {
  const faults = options.faults ?? {};
  /** @type {Set<import("node:net").Socket>} */
  const sockets = new Set();
  /** @type {string[]} */
  const requests = [];
  /** @type {Faulted[]} */
  const faulted = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    requests.push(url.pathname);
    const fault = faults[url.pathname.split("/").pop() ?? ""];
    if (fault) {
      faulted.push({ path: url.pathname, fault, at: Date.now() });
      if (fault === "404") res.writeHead(404, { "Content-Type": "text/plain" }).end("not found");
      return; // "stall": never answered; close() drops the connection
    }
    let path = normalize(join(root, decodeURIComponent(url.pathname)));
    if (!path.startsWith(normalize(root + sep)) && path !== normalize(root)) {
      res.writeHead(403).end();
      return;
    }
    try {
      if (statSync(path).isDirectory()) path = join(path, "index.html");
      const size = statSync(path).size;
      res.writeHead(200, {
        "Content-Type": TYPES[extname(path)] ?? "application/octet-stream",
        "Content-Length": size,
        "Cache-Control": "no-cache",
      });
      createReadStream(path).pipe(res);
    } catch {
      res.writeHead(404, { "Content-Type": "text/plain" }).end("not found");
    }
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(undefined)));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("no port");
  return {
    base: `http://127.0.0.1:${address.port}/`,
    requests,
    faulted,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
