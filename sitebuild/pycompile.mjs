// @ts-check
/**
 * Add Pyodide's own bytecode to a pure-Python wheel, beside its sources.
 *
 *   node sitebuild/pycompile.mjs --pyodide DIR IN.whl OUT.whl [--stdlib STDLIB.zip]
 *
 * DIR is the pinned Pyodide (node_modules/pyodide); it is loaded under Node, offline, and its
 * Python (the one the browser runs) compiles every `*.py` of IN.whl. OUT.whl holds every entry
 * of IN.whl (same ZipInfo: name, date_time, compression method, attributes; same contents),
 * and after each `pkg/mod.py` a `pkg/mod.pyc`: an unchecked hash-based pyc (PEP 552: flags=1,
 * check_source=0) of `compile(source, "pkg/mod.py", "exec", dont_inherit=True)`, deflated,
 * with the date_time of its `.py` (the build's fixed one: OUT.whl stays reproducible).
 * zipimport looks for `mod.pyc` beside `mod.py` (not in __pycache__) and prefers it.
 * The `*.dist-info/RECORD` lists the new files with their sha256 and size, so OUT.whl is
 * still a valid wheel.
 *
 * With --stdlib, first the standard library: the modules a start needs (those Pyodide has
 * imported once it is up, and those `import calculators.web` and one run of each calculator
 * on its defaults add, with IN.whl on sys.path; not the frozen ones, which Python never
 * reads from the zip) are compiled the same way, and STDLIB.zip is
 * DIR/python_stdlib.zip with each of those `mod.py` replaced by its `mod.pyc` (same place,
 * same date_time); every other module stays source, compiled on import as before. Pyodide's
 * python_stdlib.zip holds no bytecode at all: a start compiles every module it imports.
 *
 * Why, and what prepare does with it: sitebuild/prepare.py (build_bundle).
 * Exits 0 when OUT.whl is written; 1 with a message on stderr otherwise.
 */

import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { inspect } from "node:util";

const IN = "/pycompile/in.whl";
const OUT = "/pycompile/out.whl";
const STDLIB_OUT = "/pycompile/python_stdlib.zip";

/** One .pyc for both rewrites: an unchecked hash-based pyc of a source, and its zip entry
 * beside (or in place of) the source's. Its imports are inside the functions, so defining
 * them imports nothing before STARTUP_MODULES has recorded what a start imports. */
const PYC = `
def pyc(name, source):
    import importlib.util, marshal
    code = compile(source, name, "exec", dont_inherit=True)
    flags = (1).to_bytes(4, "little")  # hash-based, check_source=0: never checked against the .py
    return importlib.util.MAGIC_NUMBER + flags + importlib.util.source_hash(source) + marshal.dumps(code)

def pyc_entry(info):
    import zipfile
    entry = zipfile.ZipInfo(info.filename + "c", date_time=info.date_time)
    entry.compress_type = zipfile.ZIP_DEFLATED
    entry.create_system = info.create_system
    entry.external_attr = info.external_attr
    return entry
`;

/** Which standard library modules a start imports; run before anything else is imported. */
const STARTUP_MODULES = `
import sys
sys.path.append(${JSON.stringify(IN)})
import calculators, calculators.web
for _name in calculators.CALCULATORS:
    calculators.web.run(_name, "{}", "")
sys.path.remove(${JSON.stringify(IN)})
_prefix = f"/lib/python{sys.version_info[0]}{sys.version_info[1]}.zip/"
STARTUP = sorted({
    _m.__file__[len(_prefix):]
    for _m in list(sys.modules.values())
    if isinstance(getattr(_m, "__file__", None), str) and _m.__file__.startswith(_prefix)
    # Frozen modules (os, codecs, ...) never come from the zip: their sources stay.
    and getattr(getattr(_m, "__spec__", None), "origin", None) != "frozen"
})
for _name in [n for n in sys.modules if n == "calculators" or n.startswith("calculators.")]:
    del sys.modules[_name]
`;

/** The standard library with the start-up modules as bytecode (after STARTUP_MODULES). */
const STDLIB_REWRITE = `
import zipfile

_wanted = set(STARTUP)
if not all(name.endswith(".py") for name in _wanted):
    raise ValueError(f"start-up modules that are not .py sources: {sorted(n for n in _wanted if not n.endswith('.py'))}")
_done = 0
with zipfile.ZipFile(_prefix.rstrip("/")) as _std, zipfile.ZipFile(${JSON.stringify(STDLIB_OUT)}, "w") as _out:
    for _info in _std.infolist():
        _data = _std.read(_info)
        if _info.filename not in _wanted:
            _out.writestr(_info, _data)
            continue
        _out.writestr(pyc_entry(_info), pyc(_info.filename, _data))
        _done += 1
if _done != len(_wanted):
    raise ValueError(f"{len(_wanted) - _done} start-up modules are not in {_prefix.rstrip('/')}")
print(f"{_done} standard library modules of the start compiled (of {sum(1 for n in zipfile.ZipFile(_prefix.rstrip('/')).namelist() if n.endswith('.py'))})")
`;

/** The rewrite, run by Pyodide's Python; prints one summary line. */
const REWRITE = `
import base64, csv, hashlib, importlib.util, io, marshal, sys, zipfile

def record_hash(data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
    return "sha256=" + digest.decode("ascii")

with zipfile.ZipFile(${JSON.stringify(IN)}) as wheel:
    infos = wheel.infolist()
    records = [info for info in infos if info.filename.endswith(".dist-info/RECORD")]
    if len(records) != 1:
        raise ValueError(f"expected one *.dist-info/RECORD in the wheel, found {[r.filename for r in records]}")
    names = {info.filename for info in infos}
    already = sorted(n for n in names if n.endswith(".pyc"))
    if already:
        raise ValueError(f"the wheel already holds bytecode ({', '.join(already)}); give the wheel pip built")
    added = {}  # "pkg/mod.py" -> ("pkg/mod.pyc", bytes)
    with zipfile.ZipFile(${JSON.stringify(OUT)}, "w") as out:
        for info in infos:
            if info is records[0]:
                continue  # rewritten below, last, as it was
            data = wheel.read(info)
            out.writestr(info, data)
            if info.filename.endswith(".py"):
                compiled = pyc(info.filename, data)
                entry = pyc_entry(info)
                out.writestr(entry, compiled)
                added[info.filename] = (entry.filename, compiled)
        rows = list(csv.reader(io.StringIO(wheel.read(records[0]).decode("utf-8"))))
        listed = {row[0] for row in rows if row}
        missing = sorted(set(added) - listed)
        if missing:
            raise ValueError(f"RECORD does not list {', '.join(missing)}; is the wheel complete?")
        text = io.StringIO()
        writer = csv.writer(text, lineterminator="\\n")
        for row in rows:
            writer.writerow(row)
            if row and row[0] in added:
                name, compiled = added[row[0]]
                writer.writerow([name, record_hash(compiled), str(len(compiled))])
        out.writestr(records[0], text.getvalue().encode("utf-8"))
print(f"{len(added)} modules compiled by Python {sys.version.split()[0]} "
      f"(magic {importlib.util.MAGIC_NUMBER.hex()})")
`;

/** @param {string} message @returns {never} */
function fail(message) {
  process.stderr.write(`pycompile.mjs: ${message}\n`);
  process.exit(1);
}

/** @param {string[]} argv */
function parseArgs(argv) {
  const stdlib = argv.length === 6 && argv[4] === "--stdlib" ? path.resolve(/** @type {string} */ (argv[5])) : null;
  if ((argv.length !== 4 && !stdlib) || argv[0] !== "--pyodide") {
    fail("usage: node sitebuild/pycompile.mjs --pyodide DIR IN.whl OUT.whl [--stdlib STDLIB.zip]");
  }
  const [, dir, input, output] = /** @type {[string, string, string, string]} */ (argv);
  return { dir: path.resolve(dir), input: path.resolve(input), output: path.resolve(output), stdlib };
}

async function main() {
  const { dir, input, output, stdlib } = parseArgs(process.argv.slice(2));
  /** @type {{loadPyodide: (options: object) => Promise<any>}} */
  let module;
  try {
    module = await import(pathToFileURL(path.join(dir, "pyodide.mjs")).href);
  } catch (error) {
    fail(`cannot load Pyodide from ${dir} (${describe(error)}); run \`npm ci\` or \`make site\``);
  }
  const pyodide = await module.loadPyodide({ indexURL: dir + path.sep });
  /** @type {string[]} */
  const printed = [];
  pyodide.setStdout({ batched: (/** @type {string} */ line) => printed.push(line) });
  pyodide.setStderr({ batched: (/** @type {string} */ line) => printed.push(line) });
  const bytes = readFileSync(input);
  pyodide.FS.mkdirTree(path.posix.dirname(IN));
  // A plain Uint8Array view: FS.writeFile treats a Node Buffer as something else.
  pyodide.FS.writeFile(IN, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  pyodide.runPython(PYC); // defines two functions, imports nothing
  if (stdlib) {
    // Before anything else imports a module: what is loaded now is what a start loads.
    try {
      pyodide.runPython(STARTUP_MODULES);
      pyodide.runPython(STDLIB_REWRITE);
    } catch (error) {
      fail(`compiling the standard library's start-up modules failed:\n${printed.join("\n")}\n${describe(error)}`);
    }
  }
  try {
    await pyodide.runPythonAsync(REWRITE);
  } catch (error) {
    fail(`compiling ${input} failed:\n${printed.join("\n")}\n${describe(error)}`);
  }
  writeFileSync(output, pyodide.FS.readFile(OUT));
  if (stdlib) writeFileSync(stdlib, pyodide.FS.readFile(STDLIB_OUT));
  process.stdout.write(`${printed.join("\n")}\n`);
}

/** @param {unknown} error */
function describe(error) {
  return error instanceof Error ? error.message : inspect(error, { depth: 4 });
}

main().catch((error) => fail(error instanceof Error ? (error.stack ?? error.message) : inspect(error)));
