// @ts-check
/**
 * The page's module scripts (docs/assets/js/), as the browser loads them: no bundler, so a
 * module's static imports are fetched only once it has arrived, and each level of imports
 * is one more round trip before the script can run. Splitting a script into modules must
 * not add a level: the deepest chain from an entry the pages load stays at two imports
 * (calculators.js → calculator-groups.js → print-qr.js, as before the split), and every
 * module the pages load is a file of the site. Imports are read with TypeScript's parser
 * (the one `tsc` type-checks them with), not a regex. Dynamic `import()` is left out on
 * purpose: print-qr.js loads the QR encoder that way so as not to hold the graph back.
 * Run: node --test tests/js/
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";

import ts from "typescript";

const JS = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "docs", "assets", "js");

/** The module scripts the pages name or import (mkdocs.yml extra_javascript, page-scripts.js;
 * sitebuild/finish_head.py). */
// page-scripts.js imports calculators.js and teaching.js with import() when a page needs them:
// each is then an entry of its own (its graph starts when it is imported).
const ENTRIES = ["page-scripts.js", "calculators.js", "teaching.js", "calculators-early.js"];
/** Imports after the entry (round trips after the entry's own) before it can run. */
const MAX_LEVELS = 2;

/**
 * The static imports of a module, as paths relative to docs/assets/js.
 * @param {string} path @param {string} source
 */
function staticImports(path, source) {
  const file = ts.createSourceFile(path, source, ts.ScriptTarget.ES2022, false, ts.ScriptKind.JS);
  return file.statements.flatMap((statement) =>
    (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) &&
    statement.moduleSpecifier &&
    ts.isStringLiteral(statement.moduleSpecifier)
      ? [normalize(join(dirname(path), statement.moduleSpecifier.text))]
      : [],
  );
}

/**
 * Each module of an entry's graph with its level: how many imports down the shortest
 * chain from the entry reaches it (the browser asks for it when its first importer arrives).
 * @param {string} entry @param {(path: string) => string} read
 * @returns {Map<string, number>}
 */
function levels(entry, read) {
  const level = new Map([[entry, 0]]);
  const queue = [entry];
  while (queue.length) {
    const path = /** @type {string} */ (queue.shift());
    for (const imported of staticImports(path, read(path))) {
      if (level.has(imported)) continue;
      level.set(imported, /** @type {number} */ (level.get(path)) + 1);
      queue.push(imported);
    }
  }
  return level;
}

/** @param {string} path */
const readSite = (path) => readFileSync(join(JS, path), "utf-8");

describe("module graph", () => {
  for (const entry of ENTRIES) {
    test(`${entry}: every import is a file, at most ${MAX_LEVELS} levels down`, () => {
      const graph = levels(entry, readSite);
      for (const path of graph.keys()) assert.ok(existsSync(join(JS, path)), `${path} is not a file`);
      const deepest = Math.max(...graph.values());
      assert.ok(deepest <= MAX_LEVELS, `${entry}: ${JSON.stringify(Object.fromEntries(graph))}`);
    });
  }

  test("the split modules are in calculators.js's and teaching.js's graphs", () => {
    const calculators = levels("calculators.js", readSite);
    for (const path of ["calculator-actions.js", "calculator-form.js", "calculator-status.js", "page-life.js"]) {
      assert.equal(calculators.get(path), 1, path);
    }
    const teaching = levels("teaching.js", readSite);
    for (const path of ["teaching-answers.js", "teaching-storage.js", "page-life.js"]) {
      assert.equal(teaching.get(path), 1, path);
    }
  });

  test("control: a chain one import deeper is counted, and a dynamic import is not", () => {
    /** @type {Record<string, string>} */
    const files = {
      "a.js": 'import { b } from "./b.js";\nexport { c } from "./c.js";\nconst lazy = import("./lazy.js");',
      "b.js": 'import "./d.js";',
      "c.js": "",
      "d.js": 'import { e } from "./sub/e.js";',
      "sub/e.js": 'import { f } from "../f.js";',
      "f.js": "",
    };
    const graph = levels("a.js", (path) => files[path] ?? assert.fail(`read ${path}`));
    assert.deepEqual(Object.fromEntries(graph), { "a.js": 0, "b.js": 1, "c.js": 1, "d.js": 2, "sub/e.js": 3, "f.js": 4 });
    assert.ok(Math.max(...graph.values()) > MAX_LEVELS);
  });
});
