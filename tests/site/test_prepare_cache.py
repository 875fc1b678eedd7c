"""Prepare's wheel cache (``sitebuild.prepare.cached_bundle``): reused only while no input changed.

The real wheel step (pip, Pyodide under Node, pyodide-build) is replaced by a stand-in that
counts its calls and writes files named after what it read, in a small project tree with every
input the real step reads. Whether the cache was used is then a count, not a timing.
"""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING

import pytest

from sitebuild import prepare

if TYPE_CHECKING:
    from pathlib import Path

VERSION = "314.0.7"


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project tree holding each file the wheel step reads."""
    root = tmp_path / "project"
    _write(root / "calculators" / "__init__.py", "VERSION = 1\n")
    _write(root / "calculators" / "oral.py", "DOSE = 5\n")
    _write(root / "pyproject.toml", "[project]\nname = 'baclofen-calculators'\n")
    _write(root / "README.md", "# read me\n")
    _write(root / "package.json", json.dumps({"devDependencies": {"pyodide": VERSION}}))
    _write(root / "package-lock.json", "{}\n")
    _write(root / "requirements" / "dev.txt", "pyodide-build==0.39.2\n")
    runtime = root / "node_modules" / "pyodide"
    _write(runtime / "package.json", json.dumps({"version": VERSION}))
    _write(runtime / "pyodide-lock.json", "{}\n")
    for name in prepare.RUNTIME_FILES:
        _write(runtime / name, f"runtime {name}\n")
    return root


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Replace the wheel step by a stand-in; the list grows by one per real build."""
    calls: list[Path] = []

    def build_bundle(root: Path, work: Path) -> prepare.Bundle:
        calls.append(work)
        out = work / "out"
        out.mkdir(parents=True, exist_ok=True)
        wheel = out / "baclofen_calculators-1.0-py3-none-any.whl"
        wheel.write_bytes((root / "calculators" / "oral.py").read_bytes())
        (out / "pyodide-lock.json").write_text(f"build {len(calls)}\n", encoding="utf-8")
        (out / prepare.STDLIB_FILE).write_bytes(b"stdlib")
        return prepare._bundle_from(out, root / "node_modules" / "pyodide", VERSION, wheel.name)

    monkeypatch.setattr(prepare, "build_bundle", build_bundle)
    return calls


def test_prepare_cache_reuses_the_wheel_when_no_input_changed(project, builds, tmp_path):
    """Two prepares with the same inputs: one build, the same files and the same URLs."""
    first, reused_first = prepare.cached_bundle(project, tmp_path / "w1")
    second, reused_second = prepare.cached_bundle(project, tmp_path / "w2")
    assert (reused_first, reused_second) == (False, True)
    assert len(builds) == 1
    assert second.lock_url == first.lock_url
    assert second.stdlib_url == first.stdlib_url
    assert second.wheel.read_bytes() == first.wheel.read_bytes()
    assert second.lock_file.read_text(encoding="utf-8") == "build 1\n"
    assert second.wheel.is_relative_to(project / prepare.CACHE_DIR)


def test_prepare_cache_ignores_a_touch_without_a_change(project, builds, tmp_path):
    """The key is the content, not the time: a file saved unchanged reuses the cache."""
    prepare.cached_bundle(project, tmp_path / "w1")
    later = (project / "calculators" / "oral.py").stat().st_mtime + 60
    os.utime(project / "calculators" / "oral.py", (later, later))
    _, reused = prepare.cached_bundle(project, tmp_path / "w2")
    assert reused
    assert len(builds) == 1


@pytest.mark.parametrize(
    "changed",
    [
        "calculators/oral.py",
        "calculators/new_module.py",
        "pyproject.toml",
        "README.md",
        "package.json",
        "package-lock.json",
        "requirements/dev.txt",
        "node_modules/pyodide/package.json",
        "node_modules/pyodide/pyodide-lock.json",
        "node_modules/pyodide/pyodide.asm.wasm",
        "node_modules/pyodide/python_stdlib.zip",
    ],
)
def test_prepare_cache_control_a_changed_input_builds_again(project, builds, tmp_path, changed):
    """Control: any changed (or new) input makes a new build, whose files are then used."""
    prepare.cached_bundle(project, tmp_path / "w1")
    path = project / changed
    if path.suffix == ".json" and path.name != "package-lock.json":
        data = json.loads(path.read_text(encoding="utf-8"))
        data["changed"] = True  # the version stays the pinned one
        path.write_text(json.dumps(data), encoding="utf-8")
    else:
        _write(path, (path.read_text(encoding="utf-8") if path.exists() else "") + "# edit\n")
    bundle, reused = prepare.cached_bundle(project, tmp_path / "w2")
    assert not reused
    assert len(builds) == 2
    assert bundle.lock_file.read_text(encoding="utf-8") == "build 2\n"
    _, reused_again = prepare.cached_bundle(project, tmp_path / "w3")
    assert reused_again  # and the new files are cached in turn
    assert len(builds) == 2


def test_prepare_cache_a_page_is_not_an_input(project, builds, tmp_path):
    """A page edit (docs/) leaves the key alone: the case the cache is for."""
    prepare.cached_bundle(project, tmp_path / "w1")
    _write(project / "docs" / "oral.md", "# Oral baclofen, edited\n")
    _, reused = prepare.cached_bundle(project, tmp_path / "w2")
    assert reused
    assert len(builds) == 1


def test_prepare_cache_does_not_trust_an_incomplete_entry(project, builds, tmp_path):
    """An entry missing a file (a damaged cache) is rebuilt, not used."""
    prepare.cached_bundle(project, tmp_path / "w1")
    cached, _ = prepare.cached_bundle(project, tmp_path / "w2")
    cached.stdlib.unlink()
    _, reused = prepare.cached_bundle(project, tmp_path / "w3")
    assert not reused
    assert len(builds) == 2


def test_prepare_cache_keeps_only_the_newest_entries(project, builds, tmp_path):
    """Old keys are pruned, so the cache does not grow with every edit of the package."""
    for n in range(5):
        _write(project / "calculators" / "oral.py", f"DOSE = {n}\n")
        prepare.cached_bundle(project, tmp_path / f"w{n}")
    entries = [p for p in (project / prepare.CACHE_DIR).iterdir() if p.is_dir()]
    assert len(builds) == 5
    assert len(entries) == prepare._CACHE_KEEP
