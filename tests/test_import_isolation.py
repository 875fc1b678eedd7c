"""Importing calculators in a fresh interpreter loads none of the site-build packages.

CPython only: it starts a subprocess, which Pyodide cannot do (the Pyodide run covers
tests/calculators only, where test_api.py checks the same rule by reading the imports).
"""

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
BUILD_TIME_PACKAGES = ("markdown", "mkdocs", "pymdownx")

pytestmark = pytest.mark.skipif(sys.platform == "emscripten", reason="no subprocesses in Pyodide")

_PROBE = """
import sys
import calculators
import calculators.present, calculators.web, calculators.__main__
calculators.calculate("oral-titration", {})
print(calculators.__file__)
print(",".join(sorted(m for m in sys.modules if m.split(".")[0] in NAMES)))
"""


def _run(probe: str) -> list[str]:
    """The lines ``probe`` prints in a fresh isolated interpreter, the work tree on its path."""
    completed = subprocess.run(  # noqa: S603 - a fixed command: this interpreter and a literal
        [sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(REPO)!r})\n{probe}"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert completed.returncode == 0, completed.stderr
    return completed.stdout.splitlines()


def test_import_isolation_no_build_packages_after_import():
    """A fresh `import calculators` (and its submodules) loads no markdown/mkdocs/pymdownx."""
    package_file, loaded = _run(_PROBE.replace("NAMES", repr(set(BUILD_TIME_PACKAGES))))
    assert Path(package_file).resolve().parent == REPO / "calculators"
    assert loaded == ""


def test_import_isolation_probe_would_see_a_build_package():
    """Control: the probe does see markdown once imported, so an empty list means 'absent'."""
    pytest.importorskip("markdown")
    lines = _run("import markdown\n" + _PROBE.replace("NAMES", repr(set(BUILD_TIME_PACKAGES))))
    assert "markdown" in lines[1].split(",")


_SITEBUILD_PROBE = """
import sys
BLOCK
import sitebuild
from sitebuild import cases_model
error = sitebuild.SiteBuildError("x")
print(isinstance(error, ValueError), [c.__module__ for c in type(error).__mro__][1])
"""


def _sitebuild_probe(block: str) -> list[str]:
    return _run(_SITEBUILD_PROBE.replace("BLOCK", block))[0].split()


def test_import_isolation_sitebuild_imports_without_mkdocs():
    """Without MkDocs (3.11, Pyodide), sitebuild and its case model import; still a ValueError."""
    assert _sitebuild_probe("sys.modules['mkdocs'] = None") == ["True", "sitebuild"]


def test_import_isolation_sitebuild_error_is_mkdocs_plugin_error_when_present():
    """Control: with MkDocs installed, the build error is MkDocs' PluginError (the other branch)."""
    pytest.importorskip("mkdocs")
    assert _sitebuild_probe("") == ["True", "mkdocs.exceptions"]
