"""The pipeline's *prepare* step: the pinned Pyodide and the ``calculators`` wheel, ready to ship.

:func:`build_bundle` checks that ``node_modules/pyodide`` holds the pinned runtime
(``package.json`` pins it; ``npm ci`` installs it); builds a wheel of ``calculators`` from the
work tree (offline, no build isolation) and adds it to a copy of Pyodide's
``pyodide-lock.json`` with ``pyodide lockfile add-wheels`` (pyodide-build), so that the
browser's ``loadPackage`` checks the wheel's sha256. Before that, ``sitebuild/pycompile.mjs``
adds to the wheel, beside each ``calculators/*.py``, its bytecode compiled by the pinned
Pyodide's own Python (run under Node): an unchecked hash-based ``.pyc`` (PEP 552), which the
browser's zipimport loads instead of compiling the source. That is the cold start: in Node with
Pyodide 314.0.7, ``import calculators.web`` took 409-499 ms from the wheel of sources alone and
179-202 ms with the ``.pyc`` files (the price: the wheel grows from 75 kB to 211 kB, and
prepare takes a few seconds more, to boot Pyodide). The ``.py`` sources stay in the wheel:
tracebacks show their lines, ``inspect.getsource`` works, and a reader can read the package the
site runs. A ``.pyc`` is never checked against its source, so both must come from one build:
they do, this one.

The same run compiles the standard library's start-up modules. Pyodide's own
``python_stdlib.zip`` holds sources only, so every start compiles each module it imports: in
Node with Pyodide 314.0.7 that is most of ``loadPyodide`` (2.05-2.11 s, against 0.67-0.85 s
with bytecode). ``pycompile.mjs --stdlib`` writes a copy in which the 130 modules a start
imports (Pyodide's own start, ``import calculators.web``, one run of each calculator) are
bytecode of the same kind, in place of their sources; the other 429 stay source and are
compiled on import as before (2.5 MB becomes 3.2 MB; the sources of the 130 are left out to
keep it at that, so a traceback through them shows no source lines). The worker loads it as
``stdLibURL`` (calculator-worker.js: ``STDLIB_FILE``, beside the lock file).

:func:`stage` then lays out, under the prepared folder, the files the *finish* step copies
into the site:

- ``assets/pyodide/<pyodide version>/``: ``pyodide.mjs``, ``pyodide.asm.mjs``,
  ``pyodide.asm.wasm`` (the runtime files ``loadPyodide`` fetches; they change only with
  the pin, so the path can be cached forever). Not Pyodide's ``python_stdlib.zip``: the site
  never loads it;
- ``assets/calculators/<hash>/``: ``pyodide-lock.json``, the wheel and the compiled
  ``python_stdlib.zip`` (content-addressed by the lock file and that zip: a new calculators
  build gets a new path, so a cached lock file can never name a stale wheel's hash).

and :func:`stage_vendor` copies the QR encoder that the page's ``assets/js/print-qr.js``
imports (the printouts' QR codes, issue 26): the pinned ``qrcode-generator``'s
``dist/qrcode.mjs``, as published (its MIT notice is in the file's header), to
``assets/vendor/qrcode-generator/qrcode.mjs``. Not under a versioned folder: the import in
``print-qr.js`` names the path, and the pin stays in ``package.json`` alone.

The wheel step takes most of prepare (Pyodide booted under Node to compile the bytecode), so
:func:`cached_bundle` keeps its output in ``build/prepare-cache/<key>/``, keyed by a SHA-256 of
every file :func:`build_bundle` reads (:func:`bundle_inputs`: the package, the wheel's
metadata files, the pinned runtime, the npm pins and lock file, the build venv's pins, this
module and ``pycompile.mjs``) and the Python version. An unchanged key reuses the files; any
changed byte builds afresh. A page edit changes none of them.

Nothing is fetched from the network, at build time or (through these paths) in the browser.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import calculators
from sitebuild import SiteBuildError, names

PACKAGE = "baclofen-calculators"  # [project] name in pyproject.toml: what loadPackage loads

# The standard library: Pyodide's (sources only) in the runtime; the site's compiled copy
# beside the lock file, under the same name (sitebuild/names.json: calculator-worker.js
# finds it by the same STDLIB_FILE).
STDLIB_FILE = names.STDLIB_FILE
# What the pinned runtime must hold (node_modules/pyodide); all but STDLIB_FILE are staged.
RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", STDLIB_FILE)
STAGED_RUNTIME_FILES = tuple(name for name in RUNTIME_FILES if name != STDLIB_FILE)
# The QR encoder (package.json pins it): the file copied, and where print-qr.js imports it from.
QR_PACKAGE = "qrcode-generator"
QR_FILE = "dist/qrcode.mjs"
QR_URL = "assets/vendor/qrcode-generator/qrcode.mjs"
# The files a wheel of the package is built from, copied out of the shared work tree so the
# build writes no build/ or *.egg-info there.
_WHEEL_INPUTS = ("pyproject.toml", "README.md", "LICENSE", "setup.cfg", "setup.py")
# Zip timestamps from 1980 (the zip minimum): the same sources give the same wheel and so the
# same sha256 and the same content-addressed path.
_SOURCE_DATE_EPOCH = "315532800"
# Adds Pyodide's bytecode to the wheel (run with Node; see the module docstring).
_PYCOMPILE = Path(__file__).with_name("pycompile.mjs")
# The wheel step's cache, under the project root (one folder per input key; the newest few kept).
CACHE_DIR = Path("build") / "prepare-cache"
_CACHE_KEEP = 3
# Besides the package and _WHEEL_INPUTS, what build_bundle reads under the root: the npm pins
# and lock file, the pinned runtime (its version, lock file and the files pycompile loads) and
# the build venv's pins (pip, setuptools, pyodide-build make the wheel and the lock file).
_BUNDLE_INPUTS = (
    "package.json",
    "package-lock.json",
    "requirements/dev.txt",
    "requirements/test.txt",
    "node_modules/pyodide/package.json",
    "node_modules/pyodide/pyodide-lock.json",
    *(f"node_modules/pyodide/{name}" for name in RUNTIME_FILES),
)


@dataclass(frozen=True)
class Bundle:
    """The built lock file and wheel, and where they go in the site."""

    pyodide_version: str
    runtime_dir: Path  # node_modules/pyodide
    lock_file: Path
    wheel: Path
    stdlib: Path  # the compiled standard library
    runtime_url: str  # site-relative, "assets/pyodide/<version>/"
    lock_url: str  # site-relative, "assets/calculators/<hash>/pyodide-lock.json"
    stdlib_url: str  # site-relative, "assets/calculators/<hash>/python_stdlib.zip"


def _root() -> Path:
    """The project root: where the ``calculators`` package (the wheel's source) lives."""
    return Path(calculators.__file__).resolve().parent.parent


def _installed(root: Path, package: str) -> str:
    """The version of ``node_modules/<package>``, which must be the one package.json pins."""
    pinned = json.loads((root / "package.json").read_text(encoding="utf-8"))
    dev_dependencies = pinned.get("devDependencies", {})
    wanted = dev_dependencies.get(package) or pinned.get("dependencies", {}).get(package)
    path = root / "node_modules" / package / "package.json"
    version = str(json.loads(path.read_text(encoding="utf-8"))["version"])
    if wanted and wanted != version:
        raise SiteBuildError(
            f"package.json pins {package} {wanted} but node_modules/{package} is {version}. "
            "Run `npm ci` to install the pinned version."
        )
    return version


def _runtime(root: Path) -> tuple[Path, str]:
    runtime = root / "node_modules" / "pyodide"
    missing = [
        name
        for name in (*RUNTIME_FILES, "pyodide-lock.json", "package.json")
        if not (runtime / name).is_file()
    ]
    if missing:
        raise SiteBuildError(
            f"the pinned Pyodide runtime is missing from {runtime} ({', '.join(missing)}). "
            "Install it with `npm ci` (package.json pins the version), or build with "
            "`make site`, which does that first."
        )
    return runtime, _installed(root, "pyodide")


def stage_vendor(root: Path, out: Path) -> None:
    """Copy the pinned QR encoder under ``out`` (site-shaped), where print-qr.js imports it."""
    source = root / "node_modules" / QR_PACKAGE / QR_FILE
    if not source.is_file() or not (source.parents[1] / "package.json").is_file():
        raise SiteBuildError(
            f"the QR encoder is missing: {source} (the printouts' QR codes, "
            "assets/js/print-qr.js). Install it with `npm ci` (package.json pins the version), "
            "or build with `make site`, which does that first."
        )
    _installed(root, QR_PACKAGE)
    target = out / QR_URL
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source, target)


def _run(command: list[str], cwd: Path, what: str, fix: str = "") -> None:
    env = dict(os.environ, SOURCE_DATE_EPOCH=_SOURCE_DATE_EPOCH, PIP_NO_INDEX="1")
    done = subprocess.run(  # noqa: S603  # fixed argument lists, no shell
        command, cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SiteBuildError(
            f"{what} failed (exit {done.returncode}): {' '.join(command)}\n"
            f"{done.stdout[-2000:]}{done.stderr[-2000:]}{fix}"
        )


def _node() -> str:
    found = shutil.which("node")
    if not found:
        raise SiteBuildError(
            "the `node` command is not installed (or not on PATH); prepare runs the pinned "
            "Pyodide under Node to compile the calculators wheel's modules "
            f"({_PYCOMPILE.name}). Install Node.js (package.json: engines), then run "
            "`npm ci`, or build with `make site`."
        )
    return found


def _add_bytecode(runtime: Path, plain: Path, wheel: Path, stdlib: Path | None = None) -> None:
    """Write ``wheel``: ``plain`` plus a ``.pyc`` of each module, by Pyodide's own Python.

    With ``stdlib``, also the standard library with its start-up modules compiled there.
    """
    if not _PYCOMPILE.is_file():
        raise SiteBuildError(f"{_PYCOMPILE} is missing: it belongs to sitebuild (git checkout).")
    extra = ["--stdlib", str(stdlib)] if stdlib else []
    _run(
        [_node(), str(_PYCOMPILE), "--pyodide", str(runtime), str(plain), str(wheel), *extra],
        wheel.parent,
        "compiling the calculators wheel's modules with Pyodide's Python",
        "\nThe pinned Pyodide must load under Node: run `npm ci` (or `make site`); if it "
        "does, the message above names the module or the wheel entry that failed.",
    )
    for written in (wheel, stdlib):
        if written and not written.is_file():
            raise SiteBuildError(f"{_PYCOMPILE.name} exited 0 but wrote no {written}")


def _pyodide_cli() -> str:
    sibling = Path(sys.executable).with_name("pyodide")
    found = str(sibling) if sibling.is_file() else shutil.which("pyodide")
    if not found:
        raise SiteBuildError(
            "the `pyodide` command (pyodide-build) is not installed in this environment; "
            "it adds the calculators wheel to the lock file. Build with `make site`, which "
            "uses .venv (requirements/dev.txt)."
        )
    return found


def build_bundle(root: Path, work: Path) -> Bundle:
    """Build the wheel and its lock file in ``work`` (emptied first; the caller's folder)."""
    runtime, version = _runtime(root)
    work = work.resolve()  # the build commands run with work as their directory
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    src, plain, out = work / "src", work / "plain", work / "out"
    src.mkdir()
    plain.mkdir()
    out.mkdir()
    for name in _WHEEL_INPUTS:
        if (root / name).is_file():
            shutil.copy2(root / name, src / name)
    shutil.copytree(
        root / "calculators",
        src / "calculators",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
    )
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--disable-pip-version-check",
            "--quiet",
            "--wheel-dir",
            str(plain),
            str(src),
        ],
        work,
        "building the calculators wheel",
    )
    built = sorted(plain.glob("*.whl"))
    if len(built) != 1:
        raise SiteBuildError(f"expected one calculators wheel in {plain}, found {built}")
    # Before the lock file: its sha256 must be the shipped wheel's, bytecode included.
    wheels = [out / built[0].name]
    stdlib = out / STDLIB_FILE
    _add_bytecode(runtime, built[0], wheels[0], stdlib)
    lock = out / "pyodide-lock.json"
    _run(
        [
            _pyodide_cli(),
            "lockfile",
            "add-wheels",
            "--input",
            str(runtime / "pyodide-lock.json"),
            "--output",
            str(lock),
            "--base-path",
            str(out),
            str(wheels[0]),
        ],
        out,
        "adding the calculators wheel to pyodide-lock.json",
    )
    entry = json.loads(lock.read_text(encoding="utf-8"))["packages"].get(PACKAGE)
    if (
        not entry
        or entry.get("file_name") != wheels[0].name
        or "calculators" not in entry.get("imports", [])
    ):
        raise SiteBuildError(
            f"pyodide-lock.json has no usable {PACKAGE!r} entry for {wheels[0].name}: {entry}"
        )
    digest = hashlib.sha256(lock.read_bytes() + stdlib.read_bytes()).hexdigest()[:16]
    return Bundle(
        pyodide_version=version,
        runtime_dir=runtime,
        lock_file=lock,
        wheel=wheels[0],
        stdlib=stdlib,
        runtime_url=f"assets/pyodide/{version}/",
        lock_url=f"assets/calculators/{digest}/pyodide-lock.json",
        stdlib_url=f"assets/calculators/{digest}/{STDLIB_FILE}",
    )


def bundle_inputs(root: Path) -> list[Path]:
    """Every file :func:`build_bundle` reads, in a fixed order (missing optional ones left out)."""
    package = sorted(
        p
        for p in (root / "calculators").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    )
    named = [root / name for name in (*_WHEEL_INPUTS, *_BUNDLE_INPUTS)]
    return [*package, *(p for p in named if p.is_file()), Path(__file__), _PYCOMPILE]


def inputs_key(root: Path) -> str:
    """A SHA-256 of every input's path and content, and of the Python that runs the build."""
    digest = hashlib.sha256(sys.version.encode())
    for path in bundle_inputs(root):
        name = path.relative_to(root) if path.is_relative_to(root) else Path(path.name)
        digest.update(f"\0{name.as_posix()}\0".encode())
        with path.open("rb") as f:
            digest.update(hashlib.file_digest(f, "sha256").digest())
    return digest.hexdigest()


def _bundle_from(folder: Path, runtime: Path, version: str, wheel_name: str) -> Bundle:
    lock, stdlib = folder / "pyodide-lock.json", folder / STDLIB_FILE
    digest = hashlib.sha256(lock.read_bytes() + stdlib.read_bytes()).hexdigest()[:16]
    return Bundle(
        pyodide_version=version,
        runtime_dir=runtime,
        lock_file=lock,
        wheel=folder / wheel_name,
        stdlib=stdlib,
        runtime_url=f"assets/pyodide/{version}/",
        lock_url=f"assets/calculators/{digest}/pyodide-lock.json",
        stdlib_url=f"assets/calculators/{digest}/{STDLIB_FILE}",
    )


def cached_bundle(root: Path, work: Path, cache: Path | None = None) -> tuple[Bundle, bool]:
    """:func:`build_bundle`, or its files from ``cache`` when no input changed; True if reused.

    ``cache`` defaults to :data:`CACHE_DIR` under ``root``. A finished entry is written under
    a temporary name and renamed, so a build stopped half-way, or two builds at once, never
    leave a partial entry that a later build would trust.
    """
    runtime, version = _runtime(root)
    cache = (cache or root / CACHE_DIR).resolve()
    key = inputs_key(root)
    entry = cache / key
    described = entry / "bundle.json"
    if described.is_file():
        wheel_name = json.loads(described.read_text(encoding="utf-8"))["wheel"]
        if all((entry / name).is_file() for name in (wheel_name, "pyodide-lock.json", STDLIB_FILE)):
            os.utime(entry)  # the newest entries are the ones kept
            return _bundle_from(entry, runtime, version, wheel_name), True
    built = build_bundle(root, work)
    cache.mkdir(parents=True, exist_ok=True)
    partial = cache / f".{key}.{os.getpid()}"
    if partial.exists():
        shutil.rmtree(partial)
    partial.mkdir()
    for path in (built.wheel, built.lock_file, built.stdlib):
        shutil.copy2(path, partial / path.name)
    (partial / "bundle.json").write_text(json.dumps({"wheel": built.wheel.name}), encoding="utf-8")
    if entry.exists():  # an entry without all its files (written by hand or damaged)
        shutil.rmtree(entry)
    try:
        partial.rename(entry)
    except OSError:  # another build wrote the same entry meanwhile: both are the same files
        shutil.rmtree(partial, ignore_errors=True)
    others = sorted(
        (p for p in cache.iterdir() if p.is_dir() and p.name != key and not p.name.startswith(".")),
        key=lambda p: p.stat().st_mtime,
    )
    for old in others[: max(0, len(others) - (_CACHE_KEEP - 1))]:
        shutil.rmtree(old, ignore_errors=True)
    return built, False


def stage(bundle: Bundle, out: Path) -> None:
    """Copy the runtime and the lock file with its wheel and stdlib under ``out`` (site-shaped)."""
    runtime = out / bundle.runtime_url
    runtime.mkdir(parents=True, exist_ok=True)
    for name in STAGED_RUNTIME_FILES:
        shutil.copy2(bundle.runtime_dir / name, runtime / name)
    lock_dir = (out / bundle.lock_url).parent
    lock_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy2(bundle.lock_file, lock_dir / "pyodide-lock.json")
    shutil.copy2(bundle.wheel, lock_dir / bundle.wheel.name)
    shutil.copy2(bundle.stdlib, lock_dir / STDLIB_FILE)
