"""Teaching cases as data: read ``docs/cases/<set>.toml``, check it, compute every answer.

Standard library and :mod:`calculators` only (no Markdown, no MkDocs), so the same code serves
the site build (:mod:`sitebuild.cases_blocks` renders the cases; the ``lms*`` modules export
them) and the known-answer test ``tests/calculators/test_teaching_cases.py``, which runs on
CPython 3.11+ and inside Pyodide. ``sitebuild/__init__.py`` imports MkDocs only if it is
installed, so Pyodide and CPython 3.11 need just that file and the three of the model: this
one (the case file and its checks), :mod:`sitebuild.cases_expr` (the expressions, and the
:class:`CaseError` and :class:`Run` every part shares) and :mod:`sitebuild.cases_units` (the
answer units). Import the model's names from here.

The format is documented for case writers on the site (``docs/teaching/index.md``, "Writing a
case"). In short, one TOML file per case set::

    [set]
    title = "Oral baclofen"          # the set's page is docs/teaching/<file name>.md
    summary = "..."                   # one sentence, Markdown
    minutes = 25                      # a teacher's time estimate for the set
    order = 1                         # where the set comes in the teaching index

    [[case]]
    id = "label-ladder"              # kebab-case, unique across every set
    title = "..."
    kind = "worked"                  # "calculation", "worked" or "spot-the-error"
    calculator = "oral-titration"    # a calculators.CALCULATORS id
    inputs = { target_daily_mg = 60 }  # raw values; a field left out takes its default
    narrative = "..."                # Markdown with [@key] citations

    [case.runs.intended]              # optional: more runs of a calculator, by name
    label = "..."
    calculator = "oral-titration"
    inputs = { ... }
    hidden = true                     # optional: its values would give an answer away

    [[case.step]]                     # worked steps: each value computed, never typed
    label = "..."
    value = "steps[0].daily_mg"      # an expression (below)
    unit = "mg/day"
    places = 1                        # decimals shown (trailing zeros dropped); default 2
    text = "..."                      # optional, Markdown

    [[case.question]]                 # a number...
    id = "day"
    prompt = "..."
    answer = "day_target_reached"    # an expression (below)
    unit = "day"                     # a key of UNITS
    tolerance = 0                     # in the answer's unit; the student is right within it
    check = 10                        # the author's own hand-worked answer
    places = 0
    hints = ["..."]
    explanation = "..."

    [[case.question]]                 # ...or a choice
    id = "error"
    type = "choice"
    prompt = "..."
    options = ["...", "..."]
    correct = 2                       # 1-based
    explanation = "..."

    [case.analysis]                   # required for "spot-the-error" (ISMP's case structure)
    incident = "..."                 # the published incident, with its [@key]
    error = "..."
    factors = ["..."]
    prevention = ["..."]

An expression is arithmetic (``+ - * /``, parentheses, numbers) over paths into a result:
``days_to_alarm``, ``steps[-1].daily_mg``, ``inputs.age_years``; ``<run>.<path>`` reads a
named run; ``const.NAME`` (``const.NAME[1]``) reads a dosing constant from
``calculators.constants``. Nothing else is evaluated (no names, calls or attributes beyond
these), and a path that is missing, blank or not a number is an error naming the case.

Every problem is a :class:`CaseError` naming the file, the case and the field; the build turns
it into a failed strict build.
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from calculators.registry import CALCULATORS, calculate
from calculators.spec import InputError, format_number
from sitebuild.cases_expr import CaseError, Run, close_match, evaluate, spec_unit
from sitebuild.cases_units import UNITS, Unit, normalize_unit, show

if TYPE_CHECKING:
    from pathlib import Path

__all__ = [
    "KINDS",
    "UNITS",
    "Case",
    "CaseError",
    "CaseSet",
    "Question",
    "Run",
    "Step",
    "Unit",
    "evaluate",
    "load_all",
    "load_set",
    "normalize_unit",
    "show",
]

KINDS = {
    "calculation": "Calculation",
    "worked": "Worked step by step",
    "spot-the-error": "Spot the error",
}
_ID_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_CITATION_RE = re.compile(r"\[@[^\[\]\n]*\]")
DEFAULT_PLACES = 2


@dataclass
class Step:
    """One worked step: its value computed from the runs."""

    label: str
    expression: str
    unit: str
    places: int
    text: str
    value: float

    @property
    def shown(self) -> str:
        """The value as shown (``0.8 mL/day``)."""
        return show(self.value, self.places, self.unit)


@dataclass
class Question:
    """A question: a number (computed) or a choice (the author's)."""

    id: str
    type: str
    prompt: str
    hints: list[str]
    explanation: str
    # number questions
    expression: str = ""
    unit: str = ""
    tolerance: float = 0.0
    places: int = DEFAULT_PLACES
    check: float | None = None
    value: float = math.nan
    # choice questions
    options: list[str] = field(default_factory=list)
    correct: int = 0

    @property
    def shown(self) -> str:
        """The expected answer as the key shows it."""
        if self.type == "choice":
            return f"{chr(ord('A') + self.correct - 1)}. {self.options[self.correct - 1]}"
        return show(self.value, self.places, self.unit)

    @property
    def rounded(self) -> float:
        """The expected value rounded to the decimals shown."""
        return round(self.value, self.places)


@dataclass
class Analysis:
    """ISMP's case structure for a spot-the-error case."""

    incident: str
    error: str
    factors: list[str]
    prevention: list[str]

    TITLE = "What went wrong: the incident and how to prevent it"

    def sections(self) -> list[tuple[str, list[str], bool]]:
        """``(title, texts, prose)`` in the order shown, for the site and the exports alike.

        Empty sections are left out; ``prose`` is a paragraph (the incident, the error), else a
        list.
        """
        parts = [
            ("What was published", [self.incident], True),
            ("The error", [self.error], True),
            ("Contributing factors", self.factors, False),
            ("How to prevent it", self.prevention, False),
        ]
        return [part for part in parts if part[1]]


@dataclass
class Case:
    """One case: a narrative, the engine's runs, worked steps and questions."""

    id: str
    title: str
    kind: str
    narrative: str
    runs: list[Run]
    steps: list[Step]
    questions: list[Question]
    analysis: Analysis | None
    file: str

    @property
    def main(self) -> Run:
        """The run the case is about (its calculator link opens it)."""
        return self.runs[0]

    def texts(self) -> list[tuple[str, str]]:
        """Every Markdown text of the case as ``(where, text)``, for the build's checks."""
        out = [("narrative", self.narrative)]
        out += [(f"step {i} text", s.text) for i, s in enumerate(self.steps, 1) if s.text]
        for q in self.questions:
            out.append((f"question {q.id!r} prompt", q.prompt))
            out += [(f"question {q.id!r} hint {i}", h) for i, h in enumerate(q.hints, 1)]
            out.append((f"question {q.id!r} explanation", q.explanation))
            out += [(f"question {q.id!r} option {i}", o) for i, o in enumerate(q.options, 1)]
        if self.analysis is not None:
            a = self.analysis
            out += [("analysis incident", a.incident), ("analysis error", a.error)]
            out += [(f"analysis factor {i}", t) for i, t in enumerate(a.factors, 1)]
            out += [(f"analysis prevention {i}", t) for i, t in enumerate(a.prevention, 1)]
        return [(where, text) for where, text in out if text]


@dataclass
class CaseSet:
    """A case file: a set of cases taught together, on ``docs/teaching/<id>.md``."""

    id: str
    title: str
    summary: str
    minutes: int
    order: int
    cases: list[Case]
    file: str

    @property
    def page(self) -> str:
        """The set's page, relative to ``docs/``."""
        return f"teaching/{self.id}.md"


# --- reading a file ---------------------------------------------------------------------------


class _Table:
    """A TOML table read strictly: every key used, unknown keys reported with a suggestion."""

    def __init__(self, data: object, where: str, allowed: set[str]) -> None:
        if not isinstance(data, dict):
            raise CaseError(f"{where}: expected a table, got {type(data).__name__}")
        unknown = sorted(set(data) - allowed)
        if unknown:
            key = unknown[0]
            raise CaseError(
                f"{where}: unknown key {key!r}.{close_match(key, sorted(allowed))} "
                f"Known keys: {', '.join(sorted(allowed))}"
            )
        self.data: dict[str, Any] = data
        self.where = where

    def get(self, key: str, kind: type | tuple[type, ...], default: Any = ...) -> Any:  # noqa: ANN401  # TOML values
        if key not in self.data:
            if default is ...:
                raise CaseError(f"{self.where}: missing {key!r}")
            return default
        value = self.data[key]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        if isinstance(value, bool) and bool not in kinds:
            raise CaseError(f"{self.where}: {key!r} must not be true/false (got {value!r})")
        if not isinstance(value, kinds):
            names = " or ".join(k.__name__ for k in kinds)
            raise CaseError(f"{self.where}: {key!r} must be {names} (got {value!r})")
        return value

    def text(self, key: str, *, required: bool = True) -> str:
        value: str = self.get(key, str, ... if required else "")
        if required and not value.strip():
            raise CaseError(f"{self.where}: {key!r} is empty")
        return value.strip()

    def texts(self, key: str) -> list[str]:
        values = self.get(key, list, [])
        if not all(isinstance(v, str) and v.strip() for v in values):
            raise CaseError(f"{self.where}: {key!r} must be a list of non-empty strings")
        return [v.strip() for v in values]


def _run(name: str, data: object, where: str) -> Run:
    table = _Table(data, where, {"label", "calculator", "inputs", "hidden"})
    calculator = table.text("calculator")
    label = table.text("label", required=name != "main")
    # The calculator's own validation reports unknown fields and bad values, below.
    raw: dict[str, Any] = table.get("inputs", dict, {})
    if calculator not in CALCULATORS:
        raise CaseError(
            f"{where}: unknown calculator {calculator!r}."
            f"{close_match(calculator, list(CALCULATORS))} "
            f"Known calculators: {', '.join(CALCULATORS)}"
        )
    for key, value in raw.items():
        items = value if isinstance(value, list) else [value]  # a repeated group: a list
        for item in items:
            scalars = item.values() if isinstance(item, dict) and value is not item else [item]
            if any(isinstance(v, bool) or not isinstance(v, int | float | str) for v in scalars):
                raise CaseError(
                    f"{where}: input {key!r} must be a number or text, or for a repeated group "
                    f"a list of tables of them (got {value!r})"
                )
    try:
        result = calculate(calculator, raw)
    except InputError as exc:
        raise CaseError(
            f"{where}: the engine refused the inputs of {calculator!r}: {exc}"
        ) from None
    hidden: bool = table.get("hidden", bool, False)
    return Run(name, label, calculator, raw, result, hidden)


def _places(table: _Table) -> int:
    places: int = table.get("places", int, DEFAULT_PLACES)
    if not 0 <= places <= 6:  # noqa: PLR2004  # more than six decimals is never a dose
        raise CaseError(f"{table.where}: 'places' must be 0 to 6 (got {places})")
    return places


def _unit(table: _Table, runs: dict[str, Run], expression: str) -> str:
    unit: str = table.get("unit", str, "")
    if unit not in UNITS:
        raise CaseError(
            f"{table.where}: unknown unit {unit!r}.{close_match(unit, list(UNITS))} "
            f"Known units: {', '.join(repr(u) for u in UNITS)}"
        )
    main = next(iter(runs.values()))
    declared = spec_unit(expression, main)
    if declared is not None and declared != unit:
        raise CaseError(
            f"{table.where}: unit {unit!r}, but the calculator gives {expression!r} in "
            f"{declared!r}; write the question in the calculator's unit, or convert in the "
            "expression"
        )
    return unit


def _step(data: object, where: str, runs: dict[str, Run]) -> Step:
    table = _Table(data, where, {"label", "value", "unit", "places", "text"})
    expression = table.text("value")
    return Step(
        label=table.text("label"),
        expression=expression,
        unit=_unit(table, runs, expression),
        places=_places(table),
        text=table.text("text", required=False),
        value=evaluate(expression, runs, where),
    )


def _question(data: object, where: str, runs: dict[str, Run]) -> Question:
    base = {"id", "type", "prompt", "hints", "explanation"}
    raw = data if isinstance(data, dict) else {}
    kind = raw.get("type", "number")
    if kind == "choice":
        table = _Table(data, where, base | {"options", "correct"})
    elif kind == "number":
        table = _Table(data, where, base | {"answer", "unit", "tolerance", "places", "check"})
    else:
        raise CaseError(f"{where}: 'type' must be 'number' or 'choice' (got {kind!r})")
    qid = table.text("id")
    if not _ID_RE.fullmatch(qid):
        raise CaseError(f"{where}: id {qid!r} must be kebab-case (a-z, 0-9, -)")
    where = f"{where} ({qid!r})"
    table.where = where
    question = Question(
        id=qid,
        type=kind,
        prompt=table.text("prompt"),
        hints=table.texts("hints"),
        explanation=table.text("explanation"),
    )
    if kind == "choice":
        question.options = table.texts("options")
        if len(question.options) < 2:  # noqa: PLR2004  # a choice needs two options
            raise CaseError(f"{where}: a choice question needs at least two options")
        question.correct = table.get("correct", int)
        if not 1 <= question.correct <= len(question.options):
            raise CaseError(
                f"{where}: 'correct' must be 1 to {len(question.options)} (got {question.correct})"
            )
        return question
    question.expression = table.text("answer")
    question.unit = _unit(table, runs, question.expression)
    question.places = _places(table)
    question.tolerance = float(table.get("tolerance", (int, float)))
    question.check = float(table.get("check", (int, float)))
    if question.tolerance < 0 or not math.isfinite(question.tolerance):
        raise CaseError(f"{where}: 'tolerance' must be 0 or more (got {question.tolerance})")
    question.value = evaluate(question.expression, runs, where)
    slack = 1e-9 * max(1.0, abs(question.value))
    if abs(question.rounded - question.value) > question.tolerance + slack:
        raise CaseError(
            f"{where}: the answer shown, {format_number(question.rounded, question.places)}, is "
            f"{abs(question.rounded - question.value):g} from the engine's {question.value!r}, "
            f"more than the tolerance {question.tolerance:g}: a student copying the key would be "
            "marked wrong. Raise the tolerance or show more decimals ('places')"
        )
    if abs(question.check - question.value) > question.tolerance + slack:
        raise CaseError(
            f"{where}: the engine computes {format_number(question.value, 6)} "
            f"({question.expression}), but the case's hand-worked 'check' is "
            f"{format_number(question.check, 6)} (tolerance {question.tolerance:g}). Either the "
            "case text or the calculator changed: re-read the case, then fix one of them"
        )
    return question


def _case(data: object, where: str, file: str) -> Case:
    if isinstance(data, dict) and isinstance(data.get("id"), str):
        where = f"{file}: case {data['id']!r}"  # name the case as soon as it has a name
    table = _Table(
        data,
        where,
        {
            "id",
            "title",
            "kind",
            "calculator",
            "inputs",
            "narrative",
            "runs",
            "step",
            "question",
            "analysis",
        },
    )
    cid = table.text("id")
    if not _ID_RE.fullmatch(cid):
        raise CaseError(f"{where}: id {cid!r} must be kebab-case (a-z, 0-9, -)")
    where = f"{file}: case {cid!r}"
    table.where = where
    kind = table.text("kind")
    if kind not in KINDS:
        raise CaseError(f"{where}: 'kind' must be one of {', '.join(KINDS)} (got {kind!r})")
    runs = _runs(table, where)
    steps = [
        _step(s, f"{where}: step {i}", runs) for i, s in enumerate(table.get("step", list, []), 1)
    ]
    questions = [
        _question(q, f"{where}: question {i}", runs)
        for i, q in enumerate(table.get("question", list), 1)
    ]
    if not any(q.type == "number" for q in questions):
        raise CaseError(f"{where}: needs at least one number question answered by the engine")
    ids = [q.id for q in questions]
    if len(set(ids)) != len(ids):
        raise CaseError(f"{where}: question ids repeat: {', '.join(ids)}")
    if kind == "worked" and len(steps) < 2:  # noqa: PLR2004  # step by step means two or more
        raise CaseError(f"{where}: a worked case needs at least two steps")
    analysis = _analysis(table, where)
    if kind == "spot-the-error" and analysis is None:
        raise CaseError(
            f"{where}: a spot-the-error case needs [case.analysis] (incident, error, factors, "
            "prevention)"
        )
    return Case(
        id=cid,
        title=table.text("title"),
        kind=kind,
        narrative=table.text("narrative"),
        runs=list(runs.values()),
        steps=steps,
        questions=questions,
        analysis=analysis,
        file=file,
    )


def _runs(table: _Table, where: str) -> dict[str, Run]:
    """The case's main run, then its named runs, each computed by the engine."""
    main = _run(
        "main",
        {"calculator": table.get("calculator", str), "inputs": table.get("inputs", dict, {})},
        f"{where}: inputs",
    )
    runs = {"main": main}
    extra = table.get("runs", dict, {})
    for name, spec in extra.items():
        if not re.fullmatch(r"[a-z][a-z0-9_]*", name) or name in {"const", "main"}:
            raise CaseError(
                f"{where}: run name {name!r} must be a lower-case identifier, not const"
            )
        if name in main.result:
            raise CaseError(
                f"{where}: run name {name!r} is also a key of the main result; rename the run"
            )
        runs[name] = _run(name, spec, f"{where}: run {name!r}")
    return runs


def _analysis(table: _Table, where: str) -> Analysis | None:
    """ISMP's structure for a spot-the-error case; the incident must cite its source."""
    analysis = None
    if "analysis" in table.data:
        a = _Table(
            table.data["analysis"],
            f"{where}: analysis",
            {"incident", "error", "factors", "prevention"},
        )
        analysis = Analysis(
            a.text("incident"), a.text("error"), a.texts("factors"), a.texts("prevention")
        )
        if not _CITATION_RE.search(analysis.incident):
            raise CaseError(f"{where}: analysis.incident must cite the published incident ([@key])")
    return analysis


def load_set(path: Path, shown_as: str | None = None) -> CaseSet:
    """Read and check one case file; every answer computed by :func:`calculators.calculate`."""
    file = shown_as or path.as_posix()
    set_id = path.stem
    if not _ID_RE.fullmatch(set_id):
        raise CaseError(f"{file}: the file name must be kebab-case, like oral.toml")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise CaseError(f"{file}: not valid TOML ({exc})") from None
    top = _Table(data, file, {"set", "case"})
    meta = _Table(top.get("set", dict), f"{file}: [set]", {"title", "summary", "minutes", "order"})
    cases = [_case(c, f"{file}: case {i}", file) for i, c in enumerate(top.get("case", list), 1)]
    if not cases:
        raise CaseError(f"{file}: no [[case]]")
    minutes: int = meta.get("minutes", int)
    order: int = meta.get("order", int)
    return CaseSet(set_id, meta.text("title"), meta.text("summary"), minutes, order, cases, file)


def load_all(folder: Path, shown_as: str = "docs/cases") -> list[CaseSet]:
    """Every ``*.toml`` in ``folder``, by ``order``; case ids must be unique across them."""
    sets = [load_set(p, f"{shown_as}/{p.name}") for p in sorted(folder.glob("*.toml"))]
    sets.sort(key=lambda s: (s.order, s.id))
    seen: dict[str, str] = {}
    for case_set in sets:
        for case in case_set.cases:
            if case.id in seen:
                raise CaseError(
                    f"{case_set.file}: case id {case.id!r} is already used in {seen[case.id]}"
                )
            seen[case.id] = case_set.file
    return sets
