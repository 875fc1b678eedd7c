"""Every teaching case's answers, recomputed by ``calculators.calculate`` on this interpreter.

The site shows answers computed at build time (CPython). This file runs on CPython 3.11+ and
inside Pyodide (``tests/pyodide/run.mjs`` copies ``docs/cases``, ``sitebuild/__init__.py`` and
the case model's three ``sitebuild/cases_{model,expr,units}.py`` there), so the engine must
give the same answers everywhere, and each must agree with the case author's hand-worked
``check`` within the question's tolerance.

:mod:`sitebuild.cases_model` is imported as usual: it needs only the standard library and
``calculators``; the ``sitebuild`` package guards its one MkDocs import, so the package imports
without MkDocs (CPython 3.11, Pyodide).
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from calculators import CALCULATORS, calculate
from sitebuild import cases_model

REPO = Path(__file__).resolve().parents[2]
CASES_DIR = REPO / "docs" / "cases"
if not CASES_DIR.is_dir():
    pytest.fail(
        f"{CASES_DIR} is missing; under Pyodide, tests/pyodide/run.mjs must copy it (its COPIED "
        "list)"
    )
SETS = cases_model.load_all(CASES_DIR)
CASES = [case for case_set in SETS for case in case_set.cases]
NUMBER_QUESTIONS = [
    pytest.param(case, q, id=f"{case.id}/{q.id}")
    for case in CASES
    for q in case.questions
    if q.type == "number"
]


@pytest.mark.parametrize(("case", "question"), NUMBER_QUESTIONS)
def test_case_answer_matches_the_authors_hand_check(case, question):
    """The engine's answer, recomputed here, is within the tolerance of the hand-worked one."""
    runs = {
        run.name: cases_model.Run(
            run.name, run.label, run.calculator, run.inputs, calculate(run.calculator, run.inputs)
        )
        for run in case.runs
    }
    value = cases_model.evaluate(question.expression, runs, f"{case.id}/{question.id}")
    assert math.isfinite(value)
    assert abs(value - question.check) <= question.tolerance + 1e-9 * max(1.0, abs(value)), (
        f"{case.file}: {case.id}/{question.id}: engine {value}, hand check {question.check}"
    )
    # What the key shows, rounded, is itself accepted.
    assert abs(round(value, question.places) - value) <= question.tolerance + 1e-9


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case_inputs_are_accepted_by_the_engine(case):
    """Each run of each case is a valid calculation (no InputError), on this interpreter."""
    for run in case.runs:
        assert run.calculator in CALCULATORS
        result = calculate(run.calculator, run.inputs)
        assert result["inputs"] == run.result["inputs"]


def test_case_sets_cover_the_issue():
    """At least 12 cases, 5 spot-the-error ones citing their incident, 3 worked step by step."""
    kinds = [case.kind for case in CASES]
    assert len(CASES) >= 12
    assert kinds.count("spot-the-error") >= 5
    assert kinds.count("worked") >= 3
    for case in CASES:
        if case.kind == "spot-the-error":
            assert case.analysis is not None
            assert "[@" in case.analysis.incident
        if case.kind == "worked":
            assert len(case.steps) >= 2
            assert all(math.isfinite(step.value) for step in case.steps)
    used = {run.calculator for case in CASES for run in case.runs}
    first_seven = {
        "oral-titration",
        "oral-taper",
        "oral-to-iv",
        "itb-initial-dose",
        "itb-titration",
        "itb-refill",
        "renal-function",
    }
    assert first_seven <= used, f"no case uses {sorted(first_seven - used)}"
