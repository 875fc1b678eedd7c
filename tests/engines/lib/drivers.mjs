// @ts-check
/** Two ways to drive a browser that Playwright cannot: Firefox ESR over WebDriver BiDi
 * (puppeteer-core, browser "firefox") and WebKitGTK's MiniBrowser over classic WebDriver
 * (WebKitWebDriver, plain HTTP, on an Xvfb display). Both expose the same small interface:
 * goto, evaluate (a function's source and JSON arguments), fill, reload, close. */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";

export const FIREFOX = process.env.FIREFOX_BIN ?? "/usr/bin/firefox-esr";
export const WEBKIT_DRIVER = process.env.WEBKIT_DRIVER_BIN ?? "/usr/bin/WebKitWebDriver";
export const MINIBROWSER =
  process.env.MINIBROWSER_BIN ?? "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";
export const XVFB = process.env.XVFB_BIN ?? "/usr/bin/Xvfb";

const SETUP = "bash tests/engines/setup.sh";

/**
 * @typedef {object} Driver
 * @property {string} name
 * @property {(url: string) => Promise<void>} goto
 * @property {(fn: string, ...args: unknown[]) => Promise<any>} evaluate
 * @property {(selector: string, text: string) => Promise<void>} fill
 * @property {() => Promise<void>} reload
 * @property {() => Promise<void>} close
 */

/** @param {string[]} paths */
function need(paths) {
  const missing = paths.filter((p) => !existsSync(p));
  if (missing.length) throw new Error(`missing ${missing.join(", ")}: run ${SETUP} (as root)`);
}

/**
 * Debian's Firefox ESR through puppeteer-core over WebDriver BiDi, for tests that need more
 * than the Driver interface (several tabs, preload scripts).
 * @returns {Promise<import("puppeteer-core").Browser>}
 */
export async function launchFirefox() {
  need([FIREFOX]);
  let puppeteer;
  try {
    puppeteer = (await import("puppeteer-core")).default;
  } catch (e) {
    throw new Error(`puppeteer-core is not installed (${e}): run ${SETUP}`);
  }
  return puppeteer.launch({
    browser: "firefox",
    executablePath: FIREFOX,
    headless: true,
    protocol: "webDriverBiDi",
    extraPrefsFirefox: {
      // This machine's network is closed: no update, telemetry or safe-browsing calls.
      "app.update.enabled": false,
      "browser.safebrowsing.malware.enabled": false,
      "browser.safebrowsing.phishing.enabled": false,
      "datareporting.policy.dataSubmissionEnabled": false,
      "network.captive-portal-service.enabled": false,
      "network.connectivity-service.enabled": false,
    },
  });
}

/** @returns {Promise<Driver>} */
export async function firefox() {
  const browser = await launchFirefox();
  const page = await browser.newPage();
  const version = await browser.version();
  return {
    name: `Firefox ESR (${version}, WebDriver BiDi)`,
    goto: async (url) => {
      await page.goto(url, { waitUntil: "load", timeout: 120_000 });
    },
    evaluate: (fn, ...args) =>
      page.evaluate(`(${fn})(...${JSON.stringify(args)})`),
    fill: async (selector, text) => {
      await page.locator(selector).fill(text);
    },
    reload: async () => {
      await page.reload({ waitUntil: "load", timeout: 120_000 });
    },
    close: () => browser.close(),
  };
}

/** A free TCP port on 127.0.0.1. */
async function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      s.close(() => resolve(typeof a === "object" && a ? a.port : 0));
    });
  });
}

/** Start Xvfb on a display it picks itself (-displayfd); returns [display, process]. */
async function xvfb() {
  const proc = spawn(XVFB, ["-displayfd", "3", "-screen", "0", "1280x1024x24", "-nolisten", "tcp"], {
    stdio: ["ignore", "ignore", "pipe", "pipe"],
  });
  const display = await new Promise((resolve, reject) => {
    let out = "";
    const fd3 = /** @type {import("node:stream").Readable} */ (proc.stdio[3]);
    fd3.on("data", (d) => {
      out += d;
      if (out.includes("\n")) resolve(`:${out.trim()}`);
    });
    proc.once("exit", (code) => reject(new Error(`Xvfb exited ${code}`)));
    setTimeout(() => reject(new Error("Xvfb gave no display in 20 s")), 20_000);
  });
  return /** @type {[string, import("node:child_process").ChildProcess]} */ ([display, proc]);
}

/** @returns {Promise<Driver>} */
export async function webkit() {
  need([WEBKIT_DRIVER, MINIBROWSER, XVFB]);
  const [display, xproc] = await xvfb();
  const port = await freePort();
  const driver = spawn(WEBKIT_DRIVER, [`--port=${port}`], {
    env: { ...process.env, DISPLAY: display },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let driverLog = "";
  driver.stderr?.on("data", (d) => {
    driverLog = (driverLog + d).slice(-4000);
  });
  const root = `http://127.0.0.1:${port}`;
  /** @param {string} method @param {string} path @param {unknown} [body] */
  const call = async (method, path, body) => {
    const res = await fetch(root + path, {
      method,
      headers: { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = /** @type {any} */ (await res.json());
    if (!res.ok) {
      throw new Error(`WebDriver ${method} ${path}: ${res.status} ${JSON.stringify(json.value)}\n${driverLog}`);
    }
    return json.value;
  };
  // The driver listens a moment after it starts: wait on its /status (bounded).
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      if ((await call("GET", "/status")).ready !== undefined) break;
    } catch (e) {
      if (Date.now() > deadline) throw new Error(`WebKitWebDriver did not answer: ${e}\n${driverLog}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  const session = await call("POST", "/session", {
    capabilities: {
      alwaysMatch: {
        "webkitgtk:browserOptions": { binary: MINIBROWSER, args: ["--automation"] },
        timeouts: { script: 120_000, pageLoad: 120_000, implicit: 0 },
      },
    },
  });
  const sid = session.sessionId;
  const version = `${session.capabilities.browserName} ${session.capabilities.browserVersion}`;
  const s = `/session/${sid}`;
  /** @param {string} selector */
  const element = async (selector) =>
    Object.values(await call("POST", `${s}/element`, { using: "css selector", value: selector }))[0];
  return {
    name: `WebKitGTK (${version}, classic WebDriver, Xvfb)`,
    goto: async (url) => {
      await call("POST", `${s}/url`, { url });
    },
    evaluate: async (fn, ...args) => {
      const script =
        "const done = arguments[arguments.length - 1];" +
        `Promise.resolve().then(() => (${fn})(...${JSON.stringify(args)}))` +
        ".then(v => done({ok: v === undefined ? null : v}), e => done({error: String(e && e.stack || e)}));";
      const out = await call("POST", `${s}/execute/async`, { script, args: [] });
      if (out && "error" in out) throw new Error(out.error);
      return out.ok;
    },
    fill: async (selector, text) => {
      const id = await element(selector);
      await call("POST", `${s}/element/${id}/clear`, {});
      await call("POST", `${s}/element/${id}/value`, { text });
    },
    reload: async () => {
      await call("POST", `${s}/refresh`, {});
    },
    close: async () => {
      try {
        await call("DELETE", s);
      } finally {
        driver.kill();
        xproc.kill();
      }
    },
  };
}
