// @ts-check
/*
 * The one way the calculators' worker is created, for both starts: the inline early start
 * in <head> (the build's finish step puts this file's text into that script,
 * sitebuild/finish_head.py, so it runs before any module has loaded) and
 * calculator-client.js (which imports this file, then calls the function it leaves under
 * protocol.js's WORKER_START_GLOBAL). ES5 and no import or export, so it runs as either.
 *
 * Where the browser keeps a shared worker alive across page loads (SharedWorker's
 * extendedLifetime option, Chromium 148 and later), the worker is a shared one named by the
 * build's lock file, so that the next page of the same build finds Python already running
 * and a page of another build never talks to an old one. The option is detected by whether
 * the constructor reads it: given a URL that cannot be parsed, it reads its options first
 * and then throws, so no worker is created and nothing is fetched. Elsewhere, and for a
 * restart (the shared worker is what was lost), a dedicated worker: a shared worker without
 * the extended lifetime ends with its last page and gains nothing.
 */
(function (scope) {
  "use strict";
  /**
   * @param {string} url the worker script's absolute URL
   * @param {string} name the worker's name (WORKER_NAME); a shared worker's adds the lock file's URL
   * @param {string} lockFileURL the build's lock file (absolute)
   * @param {boolean} dedicated a dedicated worker whatever the browser supports
   * @returns {{worker: Worker | SharedWorker, port: Worker | MessagePort, shared: boolean}}
   */
  function startWorker(url, name, lockFileURL, dedicated) {
    var Shared = scope.SharedWorker;
    var shared = false;
    if (!dedicated && typeof Shared === "function") {
      try {
        new Shared("http://", /** @type {WorkerOptions} */ ({
          get extendedLifetime() {
            shared = true;
            return true;
          },
        }));
      } catch (e) {
        // the URL, as intended
      }
    }
    if (shared) {
      var worker = new Shared(url, /** @type {WorkerOptions} */ ({
        type: "module",
        name: name + " " + lockFileURL,
        extendedLifetime: true,
      }));
      return { worker: worker, port: worker.port, shared: true };
    }
    var dedicatedWorker = new scope.Worker(url, { type: "module", name: name });
    return { worker: dedicatedWorker, port: dedicatedWorker, shared: false };
  }
  /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (scope)).__baclofenStartWorker = startWorker;
})(typeof globalThis === "object" ? globalThis : self);
