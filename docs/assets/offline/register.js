// @ts-check
/*
 * Registers the site's service worker (sw.js at the site root) so the site keeps working
 * offline, and tells the reader when an update is ready. A classic deferred script: it runs
 * once per page load (Material's instant navigation does not run it again, nor need to).
 *
 * State for people and tests, on <html>:
 *   data-offline-state   "unsupported" | "waiting" (for the live calculator, see below) |
 *                        "installing" | "ready" | "error"
 *   data-offline-ready   the cache name, once every file of this release is stored in the
 *                        browser (set only after navigator.serviceWorker.ready and the
 *                        service worker's own answer that its precache is complete; the
 *                        service worker stores a file only once its length and SHA-256 are
 *                        the build's)
 *   data-offline-error   why the offline copy was not stored: the files that failed the
 *                        check twice, or the registration error; shown to the reader too,
 *                        in a dismissible notice (.offline-problem)
 *
 * On a first visit to a page with a calculator (no service worker controls the page yet),
 * the registration waits until the live calculator has settled: it answered once, or it is
 * unavailable (calculators.js sets <html data-calculators-engine> and dispatches
 * "calculators:engine-settled"; protocol.js, ENGINE_SETTLED) and the page has then stayed
 * open for OFFLINE_DWELL_MS, or ENGINE_WAIT_MAX_MS have passed, whichever comes first. The
 * precache fetches and checks every file of the site; on two cores, done at the same time
 * as Python's start it made the first live result about 0.5 s later, and done in the second
 * after it, a page the reader opened next (docs/performance.md). Meanwhile
 * data-offline-state is "waiting".
 *
 * Not on file:// (browsers have no service workers there; protocol.js handles that case).
 */
(function () {
  "use strict";
  var root = document.documentElement;
  if (location.protocol !== "http:" && location.protocol !== "https:") return;
  var script = /** @type {HTMLScriptElement | null} */ (document.currentScript);
  var here = script ? script.src : location.href;

  // The self-test module (idle unless the page holds [data-selftest]); imported from here so
  // that pages opened as files, where modules cannot load, never ask for it.
  import(new URL("selftest.js", here).href).catch(function (error) {
    console.warn("The self-test script did not load.", error);
  });

  if (!("serviceWorker" in navigator)) {
    // Plain http to another computer (not https, not 127.0.0.1/localhost): no offline copy.
    root.setAttribute("data-offline-state", "unsupported");
    return;
  }
  // This file is assets/offline/register.js; sw.js and the scope are two folders up, which
  // keeps both right under any sub-path the site is hosted at.
  var base = new URL("../../", here);
  var swUrl = new URL("sw.js", base);
  // The names shared with the other scripts (sitebuild/names.json; protocol.js exports the
  // same to modules): a classic script cannot import a module, so the build's finish step
  // fills them in here (sitebuild/finish_offline.py, fill_names), as in sw.js. TypeScript
  // calls `null ?? x` always nullish (TS2871), true of this source and not of the built file.
  /** How calculators.js announces that the live calculator settled. @type {{event: string, attribute: string}} */
  // @ts-expect-error TS2871: a build marker, replaced in the built site
  var ENGINE_SETTLED = /*@ENGINE_SETTLED@*/null ?? { event: "", attribute: "" };
  /** This site's choice: the longest a first visit's offline copy waits for the calculator
   * (one that never settles: its script did not load); a cold start takes 2-8 s. The
   * search index waits as long (sitebuild/finish_head.py). @type {number} */
  // @ts-expect-error TS2871: a build marker, replaced in the built site
  var ENGINE_WAIT_MAX_MS = /*@ENGINE_WAIT_MAX_MS@*/null ?? 0;
  /** The messages to and from the service worker. @type {{precacheStatus: string, skipWaiting: string}} */
  // @ts-expect-error TS2871: a build marker, replaced in the built site
  var SW_MESSAGE = /*@SW_MESSAGE@*/null ?? { precacheStatus: "", skipWaiting: "" };
  // This site's choice: how long a first visit's page stays open after its calculator
  // settled before the precache starts, so that a reader who opens another page at once
  // does not share the CPU with it (the benchmark's quick second visit, 1 s after live).
  // @ts-expect-error TS2871: a build marker, replaced in the built site
  var OFFLINE_DWELL_MS = /*@OFFLINE_DWELL_MS@*/null ?? 0;
  var reloading = false;
  var installed = false;

  /** @param {string} state */
  function setState(state) {
    root.setAttribute("data-offline-state", state);
  }

  /** @param {ServiceWorker} worker */
  function askStatus(worker) {
    return new Promise(function (resolve) {
      var channel = new MessageChannel();
      channel.port1.onmessage = function (event) {
        resolve(event.data);
      };
      worker.postMessage({ type: SW_MESSAGE.precacheStatus }, [channel.port2]);
    });
  }

  /** @param {ServiceWorkerRegistration} registration */
  function checkReady(registration) {
    if (!registration.active) return Promise.resolve();
    return askStatus(registration.active).then(function (status) {
      var message = /** @type {{complete: boolean, cache: string, cached: number, total: number}} */ (status);
      if (message && message.complete) {
        root.setAttribute("data-offline-ready", message.cache);
        setState("ready");
      }
    });
  }

  /**
   * The offline copy of this release could not be stored: say so on <html> and to the reader.
   * A copy stored earlier (an older release) stays in use, and the notice says that too.
   * @param {string} detail
   */
  function showProblem(detail) {
    var earlier = root.hasAttribute("data-offline-ready");
    root.setAttribute("data-offline-error", detail);
    if (!earlier) setState("error");
    var box = document.querySelector(".offline-problem");
    if (!box) {
      box = document.createElement("div");
      box.className = "offline-problem";
      box.setAttribute("role", "status");
      var text = document.createElement("span");
      text.className = "offline-problem__text";
      var dismiss = document.createElement("button");
      dismiss.type = "button";
      dismiss.className = "offline-problem__dismiss";
      dismiss.setAttribute("aria-label", "Dismiss");
      dismiss.textContent = "\u00d7";
      var target = box;
      dismiss.addEventListener("click", function () {
        target.remove();
      });
      box.append(text, dismiss);
      document.body.append(box);
    }
    var span = box.querySelector(".offline-problem__text");
    if (span) {
      span.textContent =
        (earlier
          ? "This update could not be stored for offline use; the copy stored earlier stays in use. "
          : "The offline copy could not be stored, so this site will not work here without the server. ") +
        detail +
        " The pages and calculators work while the server is reachable; reload later to try again, " +
        "or open the self-test page.";
    }
  }

  /** @param {{problems?: string[], failures?: number, total?: number}} message */
  function describeFailure(message) {
    var problems = message.problems || [];
    var count = message.failures || problems.length;
    return (
      (count === 1 ? "1 file" : count + " files") +
      " did not arrive intact, even when fetched again: " +
      problems.join("; ") +
      (count > problems.length ? "; \u2026" : "") +
      "."
    );
  }

  /** @param {ServiceWorker} worker */
  function watchInstall(worker) {
    worker.addEventListener("statechange", function () {
      // Redundant before it was ever installed: the install failed. The service worker's own
      // message (with the files) usually came first; otherwise say what is known.
      if (worker.state === "redundant" && !root.hasAttribute("data-offline-error") && !installed) {
        showProblem("The service worker's install failed (storage full, or a file could not be fetched).");
      }
      if (worker.state === "installed" || worker.state === "activated") installed = true;
    });
  }

  /** @param {ServiceWorker} waiting */
  function showUpdate(waiting) {
    if (document.querySelector(".offline-update")) return;
    var box = document.createElement("div");
    box.className = "offline-update";
    box.setAttribute("role", "status");
    var text = document.createElement("span");
    text.textContent = "An update is ready \u2014 ";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "offline-update__reload";
    button.textContent = "reload";
    button.addEventListener("click", function () {
      reloading = true;
      waiting.postMessage({ type: SW_MESSAGE.skipWaiting });
    });
    var dismiss = document.createElement("button");
    dismiss.type = "button";
    dismiss.className = "offline-update__dismiss";
    dismiss.setAttribute("aria-label", "Dismiss");
    dismiss.textContent = "\u00d7";
    dismiss.addEventListener("click", function () {
      box.remove();
    });
    box.append(text, button, dismiss);
    document.body.append(box);
  }

  /** @param {ServiceWorkerRegistration} registration */
  function watchUpdates(registration) {
    // A waiting worker with a controller present is an update (the first install has none).
    if (registration.waiting && navigator.serviceWorker.controller) showUpdate(registration.waiting);
    if (registration.installing) watchInstall(registration.installing);
    registration.addEventListener("updatefound", function () {
      // const, not var: the statechange listener below sees it narrowed to non-null.
      const installing = registration.installing;
      if (!installing) return;
      watchInstall(installing);
      installing.addEventListener("statechange", function () {
        if (installing.state === "installed" && navigator.serviceWorker.controller) {
          showUpdate(installing);
        }
      });
    });
  }

  navigator.serviceWorker.addEventListener("controllerchange", function () {
    if (reloading) location.reload();
  });
  navigator.serviceWorker.addEventListener("message", function (event) {
    if (!event.data || event.data.type !== SW_MESSAGE.precacheStatus) return;
    if (event.data.failed) {
      showProblem(describeFailure(event.data));
    } else if (event.data.complete) {
      navigator.serviceWorker.ready.then(checkReady);
    }
  });

  function register() {
    setState("installing");
    navigator.serviceWorker
      .register(swUrl.href, { scope: base.pathname })
      .then(function (registration) {
        watchUpdates(registration);
        return navigator.serviceWorker.ready.then(checkReady);
      })
      .catch(function (error) {
        setState("error");
        root.setAttribute("data-offline-error", String(error && error.message ? error.message : error));
        console.warn("Offline copy unavailable: the service worker did not register.", error);
      });
  }

  // A deferred script: the page has been parsed, so its calculator forms are there.
  if (navigator.serviceWorker.controller || !document.querySelector("form[data-calculator]")) {
    register();
    return;
  }
  setState("waiting");
  var registered = false;
  var fallback = setTimeout(registerOnce, ENGINE_WAIT_MAX_MS);
  function registerOnce() {
    if (registered) return;
    registered = true;
    clearTimeout(fallback);
    document.removeEventListener(ENGINE_SETTLED.event, settled);
    register();
  }
  function settled() {
    document.removeEventListener(ENGINE_SETTLED.event, settled);
    setTimeout(registerOnce, OFFLINE_DWELL_MS);
  }
  if (root.hasAttribute(ENGINE_SETTLED.attribute)) settled();
  else document.addEventListener(ENGINE_SETTLED.event, settled);
})();
