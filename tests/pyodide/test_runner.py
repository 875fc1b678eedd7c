"""The Pyodide runner really runs tests there and reports a failure as a failure."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
RUNNER = REPO / "tests" / "pyodide" / "run.mjs"
PYODIDE_PACKAGE = REPO / "node_modules" / "pyodide" / "package.json"

PROBE_TESTS = '''
"""Throwaway tests for the runner: two pass, one fails on purpose."""
import sys

from hypothesis import given, strategies as st


def test_runs_in_pyodide():
    """The interpreter is Pyodide's, not the host's."""
    assert sys.platform == "emscripten"


@given(st.integers(min_value=0, max_value=10**6))
def test_hypothesis_runs(n):
    """Hypothesis (a compiled wheel) loads and generates examples."""
    assert n >= 0


def test_fails_on_purpose():
    """Must be reported as a failure, with a non-zero exit code."""
    assert 1 + 1 == 3
'''


@pytest.fixture
def probe_tree(tmp_path: Path) -> Path:
    """A throwaway work tree with the repo's pytest config and conftest, and the probe tests."""
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / "tests" / "probe").mkdir(parents=True)
    shutil.copy(REPO / "tests" / "conftest.py", tmp_path / "tests" / "conftest.py")
    # conftest.py imports the Hypothesis profiles module beside it.
    shutil.copy(REPO / "tests" / "hypothesis_profiles.py", tmp_path / "tests")
    (tmp_path / "tests" / "probe" / "test_probe.py").write_text(PROBE_TESTS, encoding="utf-8")
    return tmp_path


def test_runner_reports_failures_with_exit_code(probe_tree: Path):
    """A failing test inside Pyodide gives exit code 1 and pytest's usual summary line."""
    node = shutil.which("node")
    if node is None or not PYODIDE_PACKAGE.is_file():
        pytest.skip("needs node and `npm ci` (make test-py sets both up)")
    version = json.loads(PYODIDE_PACKAGE.read_text(encoding="utf-8"))["version"]

    result = subprocess.run(
        [node, str(RUNNER), "--root", str(probe_tree), "tests/probe"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert f"Pyodide {version}, Python 3." in output
    assert "platform emscripten" in output
    assert re.search(r"^=+ 1 failed, 2 passed in [\d.]+s =+$", output, re.MULTILINE), output
