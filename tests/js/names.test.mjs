// @ts-check
/**
 * sitebuild/names.json against docs/assets/js/protocol.js: every name the build and the
 * classic scripts share with the ES modules ("browser") is exported by protocol.js with the
 * same value, compared as objects (not as source text). The build fills the same values into
 * register.js and sw.js (sitebuild/finish_offline.py, fill_names).
 * Run: node --test tests/js/
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";

import * as protocol from "../../docs/assets/js/protocol.js";

const NAMES = JSON.parse(readFileSync(new URL("../../sitebuild/names.json", import.meta.url), "utf-8"));

/**
 * protocol.js's exports named by `shared`'s keys, as plain data (frozen tables copied).
 * @param {Record<string, unknown>} shared
 */
function exported(shared) {
  const module = /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (protocol));
  return Object.fromEntries(
    Object.keys(shared).map((key) => {
      const value = module[key];
      return [key, value && typeof value === "object" ? { ...value } : value];
    }),
  );
}

describe("names.json and protocol.js", () => {
  test("protocol.js exports every shared name with names.json's value", () => {
    assert.ok(Object.keys(NAMES.browser).length >= 9, "names.json lists the shared names");
    assert.deepEqual(exported(NAMES.browser), NAMES.browser);
  });

  test("control: a value changed on either side is caught", () => {
    for (const [key, value] of Object.entries(NAMES.browser)) {
      const changed =
        typeof value === "object"
          ? { ...value, [Object.keys(value)[0]]: "changed" }
          : typeof value === "number"
            ? value + 1
            : `${value}-changed`;
      assert.throws(() => assert.deepEqual(exported(NAMES.browser), { ...NAMES.browser, [key]: changed }), key);
    }
    // A name protocol.js does not export at all.
    assert.throws(() => assert.deepEqual(exported({ NOT_EXPORTED: 1 }), { NOT_EXPORTED: 1 }));
  });

  test("the shared tables stay frozen in protocol.js", () => {
    for (const key of ["ENGINE_SETTLED", "SW_MESSAGE"]) {
      assert.ok(Object.isFrozen(/** @type {Record<string, unknown>} */ (/** @type {unknown} */ (protocol))[key]), key);
    }
  });

  test("worker-start.js (a classic script) leaves its function under protocol.js's WORKER_START_GLOBAL", async () => {
    const scope = /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (globalThis));
    delete scope[protocol.WORKER_START_GLOBAL];
    assert.equal(scope[protocol.WORKER_START_GLOBAL], undefined, "control: not there before the import");
    await import(`../../docs/assets/js/worker-start.js?fresh=${Date.now()}`);
    assert.equal(typeof scope[protocol.WORKER_START_GLOBAL], "function");
  });
});
