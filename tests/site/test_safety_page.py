"""The Safety and validation page: built from the hazard register, the engine and the records."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from typing import TYPE_CHECKING
from unittest import mock

import pytest
from sitekit import parse_html

from calculators.hazards import HAZARDS, Example
from calculators.registry import CALCULATORS
from calculators.validation import KNOWN_ANSWERS
from sitebuild import SiteBuildError, safety_page
from sitebuild.context import BUILD_ENV
from tools import record_test_runs

if TYPE_CHECKING:
    from pathlib import Path


def test_safety_page_hazards_lists_every_hazard_and_code():
    """Every hazard id and every warning code appears in the hazards section."""
    text = "\n".join(safety_page.render_section("hazards"))
    for hazard in HAZARDS:
        assert f"**{hazard.id}**" in text
        for code in hazard.codes:
            assert f"`{code}`" in text
    assert f"{len(HAZARDS)} hazards" in text


def test_safety_page_hazards_stop_the_build_when_an_example_misbehaves(monkeypatch):
    """Control: a firing example that does not fire stops the build, naming the hazard."""
    first = HAZARDS[0]
    broken = replace(first, fires=(Example(first.calculators[0], {}),))
    monkeypatch.setattr(safety_page, "HAZARDS", (broken,))
    with pytest.raises(SiteBuildError, match=f"hazard {first.id}: its control did not fire"):
        safety_page.render_section("hazards")


def test_safety_page_validation_shows_expected_and_computed():
    """Each worked example is a row; a wrong expected value stops the build."""
    rows = [line for line in safety_page.render_section("validation") if line.startswith("| `")]
    assert len(rows) == len(KNOWN_ANSWERS)


def test_safety_page_validation_mismatch_stops_the_build(monkeypatch):
    """Control: an expected value the engine does not give is a build error."""
    wrong = replace(KNOWN_ANSWERS[0], expected=11)
    monkeypatch.setattr(safety_page, "KNOWN_ANSWERS", (wrong,))
    with pytest.raises(SiteBuildError, match="expected 11, the engine computed 10"):
        safety_page.render_section("validation")


def test_safety_page_guards_names_every_calculator():
    """One row per calculator, none without declarations."""
    text = "\n".join(safety_page.render_section("guards"))
    assert "none declared" not in text
    for calc_id in CALCULATORS:
        assert f"`{calc_id}`" in text


def test_safety_page_changelog_renders_its_section():
    """The changelog section comes from CHANGELOG.md, its releases one level below the section."""
    lines = safety_page.render_section("changelog")
    assert any(line.startswith("### Unreleased") for line in lines)
    # Under the page's "## Change log" heading no level is skipped (heading-order).
    assert not any(line.startswith("####") for line in lines)
    assert any("IV single dose (D1)" in line for line in lines)


def test_safety_page_unknown_section_is_an_error():
    """An unknown section stops the build, listing the known ones."""
    with pytest.raises(SiteBuildError, match="unknown safety section 'nope'; known: hazards"):
        safety_page.render_section("nope")


def test_safety_page_runtime_hashes_the_prepared_files(tmp_path, monkeypatch):
    """Each prepared file is listed with its size and SHA-256; versions from the lock file."""
    prepared = tmp_path / "prepared"
    lock_dir = prepared / "assets" / "calculators" / "abc"
    lock_dir.mkdir(parents=True)
    (lock_dir / "pyodide-lock.json").write_text(
        json.dumps({"info": {"version": "9.9.9", "python": "3.99.0", "platform": "emscripten"}})
    )
    (prepared / "assets" / "x.wasm").write_bytes(b"abc")
    build = tmp_path / "build.json"
    build.write_text(json.dumps({"format": 1, "prepared": str(prepared)}))
    monkeypatch.setenv(BUILD_ENV, str(build))
    text = "\n".join(safety_page.render_section("runtime"))
    assert "Pyodide 9.9.9 (Python 3.99.0" in text
    # The SHA-256 of the three bytes "abc":
    assert "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" in text
    assert "| `assets/x.wasm` | 3 |" in text


def test_safety_page_test_runs_come_from_the_record():
    """The committed record (three passed runs, commit, date) is what the page shows."""
    text = "\n".join(safety_page.render_section("test-runs"))
    if not safety_page.TEST_RUNS.exists():  # a tree before its first `make record-test-runs`
        assert "No test run is recorded" in text
        return
    record = json.loads(safety_page.TEST_RUNS.read_text(encoding="utf-8"))
    assert len(record["runs"]) == 3
    assert all(run["passed"] > 0 and run["failed"] == 0 for run in record["runs"])
    assert re.fullmatch(r"[0-9a-f]{7,}.*", record["commit"])
    assert f"commit `{record['commit']}`" in text


def test_safety_page_test_runs_section_without_a_record(tmp_path, monkeypatch):
    """Control: with no record the section says so instead of showing a count."""
    monkeypatch.setattr(safety_page, "TEST_RUNS", tmp_path / "none.json")
    monkeypatch.setattr(safety_page, "ROOT", tmp_path)
    text = "\n".join(safety_page.render_section("test-runs"))
    assert "No test run is recorded in `none.json` yet" in text


def test_safety_page_record_tool_parses_pytest_and_refuses_a_failed_run(tmp_path):
    """record_test_runs reads the summary and the interpreter; a failed run is not recorded."""
    ok = "platform linux -- Python 3.11.2, pytest-8\n===== 12 passed, 1 skipped in 3.21s =====\n"
    assert record_test_runs.parse(ok) == {
        "interpreter": "Python 3.11.2",
        "passed": 12,
        "failed": 0,
        "skipped": 1,
        "errors": 0,
    }
    pyodide = "Pyodide 0.27.0, Python 3.12.7 (emscripten), 2 test wheels\n== 5 passed in 1.0s ==\n"
    assert record_test_runs.parse(pyodide)["interpreter"] == "Pyodide 0.27.0, Python 3.12.7"
    for name in ("cpython-browser.log", "cpython-other.log", "cpython-311.log", "pyodide.log"):
        (tmp_path / name).write_text(ok)
    out = tmp_path / "out.json"
    with mock.patch.object(record_test_runs.subprocess, "run") as git:
        git.return_value.stdout = "abc1234\n"
        assert record_test_runs.main(["--logs", str(tmp_path), "--out", str(out)]) == 0
    first = json.loads(out.read_text())["runs"][0]
    # The two halves of the CPython 3.12+ run (browser and not) are one run, counts added.
    assert (first["passed"], first["skipped"], first["interpreter"]) == (24, 2, "Python 3.11.2")
    out.unlink()
    (tmp_path / "pyodide.log").write_text("== 4 passed, 1 failed in 1.0s ==\n")
    assert record_test_runs.main(["--logs", str(tmp_path), "--out", str(out)]) == 1
    assert not out.exists()
    (tmp_path / "pyodide.log").write_text(ok)
    (tmp_path / "cpython-other.log").unlink()  # half a run is not a run
    assert record_test_runs.main(["--logs", str(tmp_path), "--out", str(out)]) == 1
    assert not out.exists()


@pytest.mark.site_build
def test_safety_page_is_in_the_built_site(built_site: Path):
    """The built page has the hazard table, the worked examples and numbered citations."""
    page = built_site / "safety" / "index.html"
    html = page.read_text(encoding="utf-8")
    assert parse_html(page) is not None
    assert "iv-single-dose-above-studied" in html
    assert 'class="cite"' in html
    assert "SHA-256" in html
    assert "[@" not in html
