"""The shipped wheel carries Pyodide's own bytecode beside its sources, and the browser uses it.

prepare (sitebuild/prepare.py) adds, with sitebuild/pycompile.mjs, an unchecked hash-based
``mod.pyc`` beside each ``mod.py`` of the calculators wheel, compiled by the pinned Pyodide's
Python, so that the browser's zipimport loads bytecode instead of compiling the sources on a
cold start. The Pyodide checks run tests/site/wheel_probe.mjs under Node.

The same step writes the site's standard library: Pyodide's python_stdlib.zip holds sources
only, so each start compiles every module it imports (most of a cold start's Python boot);
the site's copy has the modules a start imports as the same kind of ``.pyc``, in place of
their sources, and the worker loads it as ``stdLibURL``. The last tests check that copy entry
by entry against Pyodide's own zip, and start Pyodide with it as the worker does.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest

from calculators import CALCULATORS, web
from sitebuild import SiteBuildError, prepare

PROBE = Path(__file__).with_name("wheel_probe.mjs")
HASH_BASED_UNCHECKED = 1  # PEP 552 flags: bit 0 hash-based, bit 1 check_source (off)


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> prepare.Bundle:
    """The wheel and lock file as prepare builds them for the site."""
    root = prepare._root()
    if not (root / "node_modules" / "pyodide" / "pyodide.asm.wasm").is_file():
        pytest.fail("node_modules/pyodide is missing: run `npm ci`")
    return prepare.build_bundle(root, tmp_path_factory.mktemp("bytecode") / "wheel")


def probe(bundle: prepare.Bundle, wheel: Path, stdlib: Path | None = None) -> dict[str, Any]:
    """What importing the calculators from ``wheel`` in the pinned Pyodide gives (see PROBE).

    With ``stdlib``, Pyodide starts with that standard library zip, as the site's worker does.
    """
    node = shutil.which("node")
    assert node, "node is not on PATH"
    extra = ["--stdlib", str(stdlib)] if stdlib else []
    done = subprocess.run(  # noqa: S603  # our own script, arguments we build
        [node, str(PROBE), "--pyodide", str(bundle.runtime_dir), str(wheel), *extra],
        capture_output=True,
        text=True,
        check=False,
        timeout=180,
    )
    assert done.returncode == 0, f"{PROBE.name} exited {done.returncode}:\n{done.stderr[-3000:]}"
    result: dict[str, Any] = json.loads(done.stdout)
    assert result["platform"] == "emscripten", "the probe did not run in Pyodide"
    return result


@pytest.fixture(scope="module")
def in_pyodide(bundle: prepare.Bundle) -> dict[str, Any]:
    """The probe's report for the shipped wheel."""
    return probe(bundle, bundle.wheel)


def assert_pyodides_pyc(name: str, header: dict[str, Any], magic: str) -> None:
    """Check one .pyc header of the probe: Pyodide's bytecode of its source.

    ``magic``, unchecked hash-based, its source's hash and code (the .py beside it in the
    wheel, or the one it replaces in the standard library).
    """
    assert header["magic"] == magic, f"{name}: magic {header['magic']}"
    assert header["flags"] == HASH_BASED_UNCHECKED, f"{name}: flags {header['flags']}"
    assert header["source_hash_ok"], f"{name}: not the source hash of {name[:-1]}"
    assert header["code_is_compile_of_source"], f"{name}: not Pyodide's compile of {name[:-1]}"


def record_hash(data: bytes) -> str:
    """A RECORD hash: sha256, urlsafe base64 without padding."""
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


@pytest.mark.site_build
def test_wheel_has_a_pyc_beside_every_module(bundle: prepare.Bundle) -> None:
    """Each calculators/*.py has calculators/*.pyc beside it (where zipimport looks), unchecked.

    The header is PEP 552's hash-based form with check_source off, and the sources stay.
    """
    with zipfile.ZipFile(bundle.wheel) as wheel:
        names = set(wheel.namelist())
        sources = sorted(n for n in names if n.endswith(".py"))
        compiled = sorted(n for n in names if n.endswith(".pyc"))
        assert "calculators/web.py" in sources
        assert compiled == [name + "c" for name in sources], "one .pyc beside each .py, no other"
        assert not [n for n in names if "__pycache__" in n], "zipimport never reads __pycache__"
        for name in compiled:
            info = wheel.getinfo(name)
            data = wheel.read(name)
            flags = int.from_bytes(data[4:8], "little")
            assert flags == HASH_BASED_UNCHECKED, f"{name}: pyc flags {flags}, want 1"
            assert data[:4] == wheel.read(compiled[0])[:4], f"{name}: a different magic number"
            assert info.compress_type == zipfile.ZIP_DEFLATED, f"{name}: not deflated"
            assert info.date_time == wheel.getinfo(name[:-1]).date_time == (1980, 1, 1, 0, 0, 0)


@pytest.mark.site_build
def test_wheel_record_lists_every_file_with_its_hash(bundle: prepare.Bundle) -> None:
    """RECORD names every file of the wheel, bytecode included, with its sha256 and size."""
    with zipfile.ZipFile(bundle.wheel) as wheel:
        (record,) = [n for n in wheel.namelist() if n.endswith(".dist-info/RECORD")]
        rows = {
            row[0]: row[1:]
            for row in csv.reader(io.StringIO(wheel.read(record).decode("utf-8")))
            if row
        }
        assert set(rows) == set(wheel.namelist()), "RECORD and the wheel's files differ"
        assert rows.pop(record) == ["", ""]
        for name, (digest, size) in rows.items():
            data = wheel.read(name)
            assert digest == record_hash(data), f"RECORD: wrong sha256 for {name}"
            assert size == str(len(data)), f"RECORD: size {size} for {name}, {len(data)} bytes"
        assert "calculators/web.pyc" in rows


@pytest.mark.site_build
def test_wheel_bytecode_is_pyodides_own(in_pyodide: dict[str, Any]) -> None:
    """Each .pyc has the pinned Pyodide's magic, its .py's source hash, and that .py's code."""
    assert in_pyodide["python"].startswith("3.14."), in_pyodide["python"]
    pycs = in_pyodide["pycs"]
    assert len(pycs) >= 10, sorted(pycs)
    for name, header in pycs.items():
        assert_pyodides_pyc(name, header, in_pyodide["magic"])
        # The path inside the wheel: tracebacks name it, and show its lines (get_source).
        assert header["co_filename"] == name[:-1], f"{name}: co_filename {header['co_filename']}"


@pytest.mark.site_build
def test_pyodide_imports_the_bytecode_and_answers_as_cpython(in_pyodide: dict[str, Any]) -> None:
    """Every calculators module is loaded from its .pyc; the answers are CPython's.

    zipimport sets __file__ to the entry it loaded (the control test below sees ``.py``).
    web.source still reads the .py (inspect through the zip importer's get_source).
    """
    files = in_pyodide["files"]
    assert "calculators.web" in files
    from_source = sorted(name for name, file in files.items() if not file.endswith(".pyc"))
    assert not from_source, f"compiled from source, not loaded from .pyc: {from_source}"
    for calc_id in CALCULATORS:
        assert in_pyodide["answers"][calc_id] == web.run(calc_id, "{}"), calc_id
        assert in_pyodide["sources"][calc_id] == web.source(calc_id), calc_id
    bad = web.run("oral-to-iv", '{"oral_daily_mg": -5}')
    assert json.loads(bad)["ok"] is False
    assert in_pyodide["bad_input"] == bad


@pytest.mark.site_build
def test_pyc_with_a_wrong_magic_falls_back_to_source(
    bundle: prepare.Bundle, tmp_path: Path
) -> None:
    """Control: with a foreign magic number zipimport skips every .pyc and compiles the .py.

    The same probe then sees __file__ ending in .py, so the check above can fail; and the
    wheel still works, so a Pyodide upgrade without a rebuild would be slower, never broken.
    """
    foreign = tmp_path / bundle.wheel.name
    with zipfile.ZipFile(bundle.wheel) as good, zipfile.ZipFile(foreign, "w") as bad:
        for info in good.infolist():
            data = good.read(info)
            if info.filename.endswith(".pyc"):
                data = b"\x00\x00\r\n" + data[4:]
            bad.writestr(info, data)
    report = probe(bundle, foreign)
    assert report["files"], "nothing imported"
    compiled = sorted(name for name, file in report["files"].items() if file.endswith(".pyc"))
    assert not compiled, f"loaded a .pyc with a foreign magic: {compiled}"
    assert {h["magic"] for h in report["pycs"].values()} == {"00000d0a"}
    for calc_id in CALCULATORS:
        assert report["answers"][calc_id] == web.run(calc_id, "{}"), calc_id


@pytest.mark.site_build
def test_pycompile_refuses_a_wheel_without_record(bundle: prepare.Bundle, tmp_path: Path) -> None:
    """A zip that is not a wheel (no RECORD) stops prepare with what failed and how to fix it."""
    broken = tmp_path / "broken.whl"
    with zipfile.ZipFile(broken, "w") as wheel:
        wheel.writestr("calculators/__init__.py", "X = 1\n")
    with pytest.raises(SiteBuildError, match=r"(?s)compiling.*RECORD.*`npm ci`"):
        prepare._add_bytecode(bundle.runtime_dir, broken, tmp_path / "out.whl")
    assert not (tmp_path / "out.whl").exists()


def test_prepare_without_node_says_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without node on PATH prepare stops and says what it needs Node for and what to run."""
    monkeypatch.setattr(prepare.shutil, "which", lambda _name: None)
    with pytest.raises(SiteBuildError, match=r"`node` command is not installed.*`npm ci`"):
        prepare._node()


# --- the standard library -------------------------------------------------------------


@pytest.mark.site_build
def test_stdlib_is_pyodides_with_some_sources_replaced_by_bytecode(bundle: prepare.Bundle) -> None:
    """Every entry is Pyodide's own, unchanged, or a mod.pyc in place of its mod.py."""
    stock_zip = bundle.runtime_dir / prepare.STDLIB_FILE
    with zipfile.ZipFile(stock_zip) as stock, zipfile.ZipFile(bundle.stdlib) as ours:
        stock_names = set(stock.namelist())
        ours_names = set(ours.namelist())
        pycs = {n for n in ours_names if n.endswith(".pyc")}
        assert len(pycs) >= 100, len(pycs)
        assert not any(n.endswith(".pyc") for n in stock_names), "Pyodide now ships bytecode"
        replaced = {n[:-1] for n in pycs}
        assert replaced <= stock_names, sorted(replaced - stock_names)[:5]
        assert ours_names == (stock_names - replaced) | pycs
        for name in ours_names - pycs:
            assert ours.read(name) == stock.read(name), name
        assert {"json/decoder.py", "dataclasses.py", "fractions.py"} <= replaced
        # Sources no start needs stay sources.
        assert {"tkinter/__init__.py", "unittest/case.py"} & stock_names <= ours_names


@pytest.mark.site_build
def test_stdlib_bytecode_is_pyodides_compile_of_the_source_it_replaces(
    bundle: prepare.Bundle,
) -> None:
    """Each .pyc: the runtime's magic, unchecked hash-based, its source's hash and code.

    A start with it loads every non-frozen standard library module it imports from a .pyc,
    and the calculators answer as under CPython.
    """
    report = probe(bundle, bundle.wheel, stdlib=bundle.stdlib)
    pycs = report["stdlib_pycs"]
    assert len(pycs) >= 100, len(pycs)
    for name, header in pycs.items():
        assert header["replaces_a_source"], f"{name}: no {name[:-1]} in Pyodide's zip"
        assert_pyodides_pyc(name, header, report["magic"])
    files = report["stdlib_files"]
    assert len(files) >= 100, len(files)
    from_source = sorted(name for name, file in files.items() if not file.endswith(".pyc"))
    assert not from_source, f"a start compiled these from source: {from_source}"
    for calc_id in CALCULATORS:
        assert report["answers"][calc_id] == web.run(calc_id, "{}"), calc_id


@pytest.mark.site_build
def test_control_pyodides_own_stdlib_is_compiled_from_source(bundle: prepare.Bundle) -> None:
    """Control: the same probe with Pyodide's zip sees every module loaded from its .py."""
    report = probe(bundle, bundle.wheel, stdlib=bundle.runtime_dir / prepare.STDLIB_FILE)
    files = report["stdlib_files"]
    assert len(files) >= 100, len(files)
    assert all(file.endswith(".py") for file in files.values())
    assert report["stdlib_pycs"] == {}
