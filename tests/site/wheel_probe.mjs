// @ts-check
/**
 * Import the calculators from a wheel in the pinned Pyodide under Node, as the browser does
 * (the wheel as a zip on sys.path: zipimport), and print what came of it as one JSON object.
 *
 *   node tests/site/wheel_probe.mjs --pyodide DIR WHEEL [--stdlib ZIP]
 *
 * Printed: Pyodide's magic number and version; the __file__ of every calculators module
 * imported (zipimport sets it to the entry it loaded: mod.pyc or mod.py); web.run's answer
 * for each calculator on its defaults and one bad input; web.source of each calculator; and,
 * for each .pyc in the wheel, its header and whether its code is what this Python compiles
 * from the .py beside it. With --stdlib, Pyodide starts with ZIP as its standard library
 * (stdLibURL, as the site's worker does), and the report adds `stdlib_files`: the __file__
 * of every standard library module loaded by then (mod.pyc when it came from bytecode), and
 * `stdlib_pycs`: each .pyc of ZIP checked against the .py of Pyodide's own
 * python_stdlib.zip (DIR) that it replaces. Used by tests/site/test_wheel_bytecode.py and
 * tests/site/test_stdlib_bytecode.py.
 */

import { readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const WHEEL = "/probe/wheel/baclofen_calculators-0.1.0-py3-none-any.whl";
const STOCK = "/probe/stock/python_stdlib.zip";

const PROBE = `
import importlib.util, json, marshal, sys, time, zipfile
sys.dont_write_bytecode = True
sys.path.insert(0, ${JSON.stringify(WHEEL)})
started = time.perf_counter()
import calculators.web as web
import_ms = (time.perf_counter() - started) * 1000
from calculators import CALCULATORS
modules = sorted(n for n in sys.modules if n == "calculators" or n.startswith("calculators."))
pycs = {}
with zipfile.ZipFile(${JSON.stringify(WHEEL)}) as wheel:
    for name in wheel.namelist():
        if not name.endswith(".pyc"):
            continue
        data, source = wheel.read(name), wheel.read(name[:-1])
        code = marshal.loads(data[16:]) if data[:4] == importlib.util.MAGIC_NUMBER else None
        pycs[name] = {
            "magic": data[:4].hex(),
            "flags": int.from_bytes(data[4:8], "little"),
            "source_hash_ok": data[8:16] == importlib.util.source_hash(source),
            # Code objects compare equal whatever their co_filename: it is reported apart.
            "code_is_compile_of_source": code is not None
            and code == compile(source, name[:-1], "exec", dont_inherit=True),
            "co_filename": code.co_filename if code else None,
        }
json.dumps({
    "magic": importlib.util.MAGIC_NUMBER.hex(),
    "python": sys.version.split()[0],
    "platform": sys.platform,
    "import_ms": import_ms,
    "files": {name: sys.modules[name].__file__ for name in modules},
    "answers": {calc_id: web.run(calc_id, "{}") for calc_id in CALCULATORS},
    "bad_input": web.run("oral-to-iv", '{"oral_daily_mg": -5}'),
    "sources": {calc_id: web.source(calc_id) for calc_id in CALCULATORS},
    "pycs": pycs,
    "stdlib_files": stdlib_files(),
    "stdlib_pycs": stdlib_pycs(),
})
`;

/** With --stdlib, run first: a start as the site's worker makes it (import calculators.web,
 * one run of each calculator), then which standard library modules were loaded, and from
 * what (frozen modules, which never come from the zip, left out). */
const STDLIB_PROBE = `
import sys
sys.path.insert(0, ${JSON.stringify(WHEEL)})
import calculators.web
for _id in calculators.CALCULATORS:
    calculators.web.run(_id, "{}", "")
_std = f"/lib/python{sys.version_info[0]}{sys.version_info[1]}.zip/"
_STARTUP_FILES = {
    n: m.__file__[len(_std):] for n, m in list(sys.modules.items())
    if isinstance(getattr(m, "__file__", None), str) and m.__file__.startswith(_std)
    and getattr(getattr(m, "__spec__", None), "origin", None) != "frozen"
}
`;

/** The report's standard library part (with --stdlib; empty otherwise). */
const STDLIB_REPORT = `
import importlib.util, marshal, sys, zipfile
_std = f"/lib/python{sys.version_info[0]}{sys.version_info[1]}.zip/"
def stdlib_files():
    return globals().get("_STARTUP_FILES")
def stdlib_pycs():
    try:
        stock = zipfile.ZipFile(${JSON.stringify(STOCK)})
    except FileNotFoundError:
        return None
    out = {}
    with stock, zipfile.ZipFile(_std.rstrip("/")) as ours:
        names = set(stock.namelist())
        for name in ours.namelist():
            if not name.endswith(".pyc"):
                continue
            data = ours.read(name)
            source = stock.read(name[:-1]) if name[:-1] in names else None
            code = marshal.loads(data[16:]) if data[:4] == importlib.util.MAGIC_NUMBER else None
            out[name] = {
                "magic": data[:4].hex(),
                "flags": int.from_bytes(data[4:8], "little"),
                "replaces_a_source": source is not None,
                "source_hash_ok": source is not None and data[8:16] == importlib.util.source_hash(source),
                "code_is_compile_of_source": code is not None and source is not None
                and code == compile(source, name[:-1], "exec", dont_inherit=True),
            }
    return out
`;

const [flag, dir, wheel, stdlibFlag, stdlib] = process.argv.slice(2);
if (flag !== "--pyodide" || !dir || !wheel || (stdlibFlag !== undefined && (stdlibFlag !== "--stdlib" || !stdlib))) {
  process.stderr.write("usage: node tests/site/wheel_probe.mjs --pyodide DIR WHEEL [--stdlib ZIP]\n");
  process.exit(2);
}
const indexURL = path.resolve(dir) + path.sep;
const { loadPyodide } = await import(pathToFileURL(path.join(indexURL, "pyodide.mjs")).href);
const pyodide = await loadPyodide({ indexURL, ...(stdlib ? { stdLibURL: path.resolve(stdlib) } : {}) });
const bytes = readFileSync(wheel);
pyodide.FS.mkdirTree(path.posix.dirname(WHEEL));
pyodide.FS.writeFile(WHEEL, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
if (stdlib) {
  // Before anything else imports a module (STDLIB_PROBE imports only what a start does).
  pyodide.runPython(STDLIB_PROBE);
  const stock = readFileSync(path.join(indexURL, "python_stdlib.zip"));
  pyodide.FS.mkdirTree(path.posix.dirname(STOCK));
  pyodide.FS.writeFile(STOCK, new Uint8Array(stock.buffer, stock.byteOffset, stock.byteLength));
}
pyodide.runPython(STDLIB_REPORT);
process.stdout.write(`${pyodide.runPython(PROBE)}\n`);
