// @ts-check
/**
 * Import the calculators from a wheel in the pinned Pyodide under Node, as the browser does
 * (the wheel as a zip on sys.path: zipimport), and print what came of it as one JSON object.
 *
 *   node tests/site/wheel_probe.mjs --pyodide DIR WHEEL
 *
 * Printed: Pyodide's magic number and version; the __file__ of every calculators module
 * imported (zipimport sets it to the entry it loaded: mod.pyc or mod.py); web.run's answer
 * for each calculator on its defaults and one bad input; web.source of each calculator; and,
 * for each .pyc in the wheel, its header and whether its code is what this Python compiles
 * from the .py beside it. Used by tests/site/test_wheel_bytecode.py.
 */

import { readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const WHEEL = "/probe/wheel/baclofen_calculators-0.1.0-py3-none-any.whl";

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
})
`;

const [flag, dir, wheel] = process.argv.slice(2);
if (flag !== "--pyodide" || !dir || !wheel) {
  process.stderr.write("usage: node tests/site/wheel_probe.mjs --pyodide DIR WHEEL\n");
  process.exit(2);
}
const indexURL = path.resolve(dir) + path.sep;
const { loadPyodide } = await import(pathToFileURL(path.join(indexURL, "pyodide.mjs")).href);
const pyodide = await loadPyodide({ indexURL });
const bytes = readFileSync(wheel);
pyodide.FS.mkdirTree(path.posix.dirname(WHEEL));
pyodide.FS.writeFile(WHEEL, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
process.stdout.write(`${pyodide.runPython(PROBE)}\n`);
