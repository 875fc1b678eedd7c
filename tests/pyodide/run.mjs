// @ts-check
/**
 * Run pytest inside the pinned Pyodide under Node, offline.
 *
 *   node tests/pyodide/run.mjs [--root DIR] [pytest arguments...]
 *   e.g. node tests/pyodide/run.mjs tests/calculators -x
 *
 * Needs `npm ci` (the pinned `pyodide` package) and the test wheels from
 * `python tests/pyodide/fetch_wheels.py` (both done by `make test-pyodide`). The repo's
 * pyproject.toml, calculators/ and tests/ (and the teaching cases, see COPIED; of the repo,
 * or of --root DIR) are copied into
 * Pyodide's in-memory file system at /repo, so the run cannot write into the work tree.
 * Exits with pytest's exit code; 3 (pytest's "internal error") if the runner itself failed.
 *
 * Environment: PYODIDE_TEST_WHEELS overrides the wheel directory.
 */

import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { inspect } from "node:util";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
/** What pytest needs from the work tree: its config, the package under test and the tests,
 * and the teaching cases with the stdlib-only model that reads them, imported as
 * `sitebuild.cases_model` (with its two parts, cases_expr and cases_units; their answers are
 * checked against the engine here too: tests/calculators/test_teaching_cases.py).
 * sitebuild/__init__.py imports MkDocs only if it is installed, which it is not here. */
const COPIED = [
  "pyproject.toml",
  "calculators",
  "tests",
  "sitebuild/__init__.py",
  "sitebuild/cases_model.py",
  "sitebuild/cases_expr.py",
  "sitebuild/cases_units.py",
  "docs/cases",
];
/** Never copied: caches a CPython run leaves behind, and Node's dependencies. */
const SKIPPED_DIRS = new Set(["__pycache__", ".pytest_cache", ".hypothesis", "node_modules"]);
const MOUNT = "/repo";
const RUNNER_ERROR = 3;

/** @param {string} message */
function fail(message) {
  process.stderr.write(`run.mjs: ${message}\n`);
  process.exit(RUNNER_ERROR);
}

/** Directory of the installed `pyodide` npm package (the version package.json pins). */
function pyodideDir() {
  const require = createRequire(import.meta.url);
  try {
    return path.dirname(require.resolve("pyodide/package.json"));
  } catch {
    return fail("the `pyodide` npm package is not installed; run `npm ci` (or `make node_modules`)");
  }
}

/**
 * The wheel files listed in the manifest fetch_wheels.py wrote for this Pyodide version.
 * @param {string} pyodideVersion
 * @returns {string[]}
 */
function testWheels(pyodideVersion) {
  const dir =
    process.env.PYODIDE_TEST_WHEELS ?? path.join(REPO, "build", "pyodide-wheels", pyodideVersion);
  const manifestPath = path.join(dir, "manifest.json");
  if (!existsSync(manifestPath)) {
    fail(
      `no test wheels for Pyodide ${pyodideVersion} in ${dir}; ` +
        "run `python tests/pyodide/fetch_wheels.py` (or `make test-pyodide`)",
    );
  }
  /** @type {{pyodide: string, wheels: string[]}} */
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
  if (manifest.pyodide !== pyodideVersion) {
    fail(`${manifestPath} is for Pyodide ${manifest.pyodide}, but ${pyodideVersion} is installed`);
  }
  return manifest.wheels.map((name) => path.join(dir, name));
}

/**
 * Copy a host file or directory tree into Pyodide's in-memory file system.
 * @param {import("pyodide").PyodideAPI["FS"]} FS
 * @param {string} hostPath
 * @param {string} targetPath
 */
function copyIn(FS, hostPath, targetPath) {
  if (statSync(hostPath).isDirectory()) {
    FS.mkdirTree(targetPath);
    for (const entry of readdirSync(hostPath, { withFileTypes: true })) {
      if (entry.isDirectory() && SKIPPED_DIRS.has(entry.name)) continue;
      copyIn(FS, path.join(hostPath, entry.name), `${targetPath}/${entry.name}`);
    }
  } else {
    FS.writeFile(targetPath, readFileSync(hostPath));
  }
}

/**
 * Write Python's output straight to the process streams, byte for byte, so pytest's
 * report (and its summary line) comes out exactly as on CPython.
 * @param {NodeJS.WriteStream} stream
 */
function passThrough(stream) {
  return {
    /** @param {Uint8Array} buffer */
    write(buffer) {
      stream.write(buffer);
      return buffer.length;
    },
  };
}

async function main() {
  let pytestArgs = process.argv.slice(2);
  let root = REPO;
  if (pytestArgs[0] === "--root") {
    if (pytestArgs.length < 2) fail("--root needs a directory");
    root = path.resolve(pytestArgs[1]);
    pytestArgs = pytestArgs.slice(2);
  }
  const indexURL = pyodideDir() + path.sep;
  const pyodideVersion = JSON.parse(readFileSync(path.join(indexURL, "package.json"), "utf8")).version;
  const wheels = testWheels(pyodideVersion);

  const { loadPyodide } = await import("pyodide");
  const pyodide = await loadPyodide({ indexURL, env: { HOME: "/home/pyodide" } });
  pyodide.setStdout(passThrough(process.stdout));
  pyodide.setStderr(passThrough(process.stderr));

  const sitePackages = pyodide.runPython("import sysconfig; sysconfig.get_path('purelib')");
  for (const wheel of wheels) {
    // A plain Uint8Array view of the bytes, not the Node Buffer subclass itself.
    const bytes = readFileSync(wheel);
    pyodide.unpackArchive(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), "wheel", {
      extractDir: sitePackages,
    });
  }

  pyodide.FS.mkdirTree(MOUNT);
  for (const name of COPIED) {
    const hostPath = path.join(root, name);
    if (!existsSync(hostPath)) continue;
    pyodide.FS.mkdirTree(path.posix.dirname(`${MOUNT}/${name}`));
    copyIn(pyodide.FS, hostPath, `${MOUNT}/${name}`);
  }

  pyodide.globals.set("pytest_args", pyodide.toPy(pytestArgs));
  const exitCode = await pyodide.runPythonAsync(`
import os, sys, platform
os.chdir(${JSON.stringify(MOUNT)})
sys.dont_write_bytecode = True
print(f"Pyodide ${pyodideVersion}, Python {platform.python_version()} ({sys.platform}), "
      "${wheels.length} test wheels", flush=True)
import pytest
int(pytest.main(list(pytest_args)))
`);
  process.exit(exitCode);
}

main().catch((error) =>
  fail(error instanceof Error ? (error.stack ?? error.message) : inspect(error, { depth: 4 })),
);
