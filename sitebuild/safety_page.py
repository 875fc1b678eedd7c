r"""The ``/// safety`` block: the Safety and validation page, built from the register and engine.

Syntax (two lines of their own; outside code)::

    /// safety | section=hazards
    ///

``section`` is one of :data:`SECTIONS`:

- ``hazards``: every hazard of :mod:`calculators.hazards` (slip and harm, severity, control,
  threshold with its value and status, sources, calculators, the examples that show it fire
  and stay quiet, each run through the engine now);
- ``guards``: what each calculator declares to the engine's guards (:mod:`calculators.guards`);
- ``validation``: the worked examples of :mod:`calculators.validation`, expected beside
  computed (a mismatch stops the build);
- ``test-runs``: the test counts recorded in ``validation/test-runs.json`` (by ``make
  record-test-runs`` after ``make test``), with their commit and date (or a sentence saying
  that none is recorded yet);
- ``runtime``: the Pyodide and Python versions and each runtime file the browser loads, with
  its size and SHA-256, read from the prepared build (the build description's ``prepared``);
- ``changelog``: the "Formula, threshold and warning changes" section of ``CHANGELOG.md``.

Everything is emitted as Markdown (tables, with citations as ``[@key]``), so citations get
their numbers and back-links like any page's. Nothing the engine knows is typed on the page.
An unknown section, a missing record or an example that no longer behaves as the register
says stops the build with a :class:`~sitebuild.SiteBuildError`.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

import calculators
from calculators import constants as _constants
from calculators.hazards import HAZARDS, Example, Hazard
from calculators.registry import CALCULATORS
from calculators.validation import KNOWN_ANSWERS
from sitebuild import SiteBuildError
from sitebuild.context import load_build, page_src
from sitebuild.context import where as _where

if TYPE_CHECKING:
    from markdown import Markdown

__all__ = ["SECTIONS", "SafetyExtension", "makeExtension", "render_section"]

ROOT = Path(__file__).resolve().parent.parent
TEST_RUNS = ROOT / "validation" / "test-runs.json"
CHANGELOG = ROOT / "CHANGELOG.md"
CHANGELOG_SECTION = "## Formula, threshold and warning changes"

_HEADER_RE = re.compile(r"^ {0,3}/{3,}[ \t]*safety\b(?P<rest>.*)$")
_CLOSE_RE = re.compile(r"^ {0,3}/{3,}[ \t]*$")
_SECTION_RE = re.compile(r"^\s*\|\s*section=(?P<name>[a-z-]+)\s*$")
_SEVERITY = {"danger": "Danger", "caution": "Caution", "info": "Info"}


def _cell(text: object) -> str:
    """Text for a Markdown table cell: pipes escaped, on one line."""
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _cite(keys: tuple[str, ...] | list[str]) -> str:
    keys = [k for k in dict.fromkeys(keys) if k != "seed"]
    return f"[@{'; @'.join(keys)}]" if keys else ""


def _table(head: list[str], rows: list[list[str]]) -> list[str]:
    return [
        "| " + " | ".join(head) + " |",
        "|" + "|".join(" --- " for _ in head) + "|",
        *("| " + " | ".join(row) + " |" for row in rows),
        "",
    ]


def _codes_of(example: Example) -> tuple[set[str], set[str]]:
    try:
        result = calculators.calculate(example.calculator, example.inputs)
    except calculators.InputError as error:
        return set(), {e.field for e in error.errors}
    return {w["code"] for w in result["warnings"]}, set()


def _example_text(example: Example) -> str:
    shown = ", ".join(f"{k}={json.dumps(v)}" for k, v in example.inputs.items()) or "defaults"
    return f"`{example.calculator}` ({shown})" + (f": {example.note}" if example.note else "")


def _check_examples(hazard: Hazard, where: str) -> None:
    for example in hazard.fires:
        codes, refused = _codes_of(example)
        fired = hazard.refusal in refused if hazard.refusal else bool(codes & set(hazard.codes))
        if not fired:
            raise SiteBuildError(
                f"{where}: hazard {hazard.id}: its control did not fire for "
                f"{_example_text(example)}; the register and the engine disagree."
            )
    for example in hazard.quiet:
        codes, refused = _codes_of(example)
        if codes & set(hazard.codes) or refused:
            raise SiteBuildError(
                f"{where}: hazard {hazard.id}: its control fired just inside the limit for "
                f"{_example_text(example)}."
            )


def _threshold(hazard: Hazard) -> str:
    if not hazard.threshold:
        return "—"
    constant = _constants.CONSTANTS[hazard.threshold]
    value = constant.value
    shown = (
        ", ".join(str(v) for v in value) if isinstance(value, tuple) else str(value)
    ).replace("Fraction", "")
    mine = " (this site's choice)" if constant.status == "D" else ""
    return f"{constant.name}: {shown} {constant.unit}, status {constant.status}{mine}"


def _hazards(where: str) -> list[str]:
    rows = []
    examples: list[str] = []
    for hazard in HAZARDS:
        _check_examples(hazard, where)
        control = ", ".join(f"`{c}`" for c in hazard.codes)
        if hazard.refusal:
            control += ("; " if control else "") + f"refusal of `{hazard.refusal}`"
        if hazard.distrusts_input:
            control += "; withholds the dose"
        rows.append(
            [
                f"**{_cell(hazard.id)}**: {_cell(hazard.slip)} *Harm:* {_cell(hazard.harm)} "
                "*In:* " + ", ".join(hazard.calculators),
                _SEVERITY[hazard.severity],
                f"{_cell(control)}<br>{_cell(_threshold(hazard))}",
                f"{hazard.status} {_cite(hazard.sources)}",
            ]
        )
        shown = [f"fires: {_example_text(e)}" for e in hazard.fires]
        shown += [f"quiet just inside: {_example_text(e)}" for e in hazard.quiet]
        if hazard.always:
            shown.append("shown on every result of its calculators (context)")
        examples.append(f"    - **{hazard.id}**: " + "; ".join(shown))
    return [
        (
            f"{len(HAZARDS)} hazards, {sum(len(h.codes) for h in HAZARDS)} warning codes; "
            f"{sum(len(h.fires) for h in HAZARDS)} examples that fire and "
            f"{sum(len(h.quiet) for h in HAZARDS)} just inside the limit, each run through the "
            "engine when this page was built."
        ),
        "",
        *_table(
            ["Hazard, harm and calculators", "Severity", "Control and threshold", "Source"],
            rows,
        ),
        '??? note "The examples each hazard is tested with (run when this page was built)"',
        "",
        *examples,
        "",
    ]


def _guards(_where_text: str) -> list[str]:
    rows = []
    for calc in CALCULATORS.values():
        guards = calc.guards
        if guards is None:
            rows.append([f"`{calc.id}`", "none declared", "", "", ""])
            continue
        doses = "; ".join(f"{d.label} ({d.route}, {d.basis})" for d in guards.doses)
        changes = "; ".join(c.label for c in guards.changes)
        schedules = "; ".join(s.label for s in guards.schedules)
        withhold = ", ".join(guards.withhold.outputs) if guards.withhold else ""
        rows.append(
            [f"`{calc.id}`", _cell(doses), _cell(changes), _cell(schedules), _cell(withhold)]
        )
    return _table(
        ["Calculator", "Doses checked", "Changes checked", "Schedules checked", "Withheld"],
        rows,
    )


def _validation(where: str) -> list[str]:
    rows = []
    for answer in KNOWN_ANSWERS:
        result = calculators.calculate(answer.calculator, answer.inputs)
        computed = result[answer.output]
        same = (
            computed == answer.expected
            if isinstance(answer.expected, str) or answer.tolerance == 0
            else abs(float(computed) - float(answer.expected)) <= answer.tolerance
        )
        if not same:
            raise SiteBuildError(
                f"{where}: worked example {answer.calculator} {answer.output}: expected "
                f"{answer.expected}, the engine computed {computed}."
            )
        rows.append(
            [
                f"`{answer.calculator}`",
                _cell(answer.what),
                _cell(answer.working),
                _cell(answer.expected),
                _cell(computed),
                _cite(answer.sources),
            ]
        )
    return _table(["Calculator", "What", "Working", "Expected", "Computed", "Source"], rows)


def _test_runs(_where: str) -> list[str]:
    try:
        record = json.loads(TEST_RUNS.read_text(encoding="utf-8"))
    except FileNotFoundError:
        # A clone before its first recorded run: say so rather than show a count.
        return [
            (
                f"No test run is recorded in `{TEST_RUNS.relative_to(ROOT)}` yet: run `make "
                "test`, then `make record-test-runs`."
            ),
            "",
        ]
    rows = [
        [
            _cell(run["name"]),
            _cell(run["interpreter"]),
            str(run["passed"]),
            str(run["failed"]),
            str(run["skipped"]),
        ]
        for run in record["runs"]
    ]
    return [
        (
            f"Recorded from `make test` on commit `{record['commit']}`, {record['date']} "
            "(the commit tested; this page may be built from a later one)."
        ),
        "",
        *_table(["Run", "Interpreter", "Passed", "Failed", "Skipped"], rows),
    ]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _runtime(where: str) -> list[str]:
    build = load_build()
    prepared = Path(build.data["prepared"])
    files = sorted(
        p for p in (prepared / "assets").rglob("*") if p.is_file() and p.suffix != ".map"
    )
    if not files:
        raise SiteBuildError(f"{where}: no prepared runtime files under {prepared}.")
    lock_path = next((p for p in files if p.name == "pyodide-lock.json"), None)
    if lock_path is None:
        raise SiteBuildError(f"{where}: no pyodide-lock.json under {prepared}.")
    info = json.loads(lock_path.read_text(encoding="utf-8"))["info"]
    rows = [
        [f"`{p.relative_to(prepared).as_posix()}`", f"{p.stat().st_size:,}", f"`{_sha256(p)}`"]
        for p in files
    ]
    return [
        (
            f"Pyodide {info.get('version', '?')} (Python {info.get('python', '?')}, "
            f"{info.get('platform', '?')}), vendored from the pinned npm package; the "
            f"`calculators` package {calculators.__version__}. Every file the browser runs, "
            "with its size and SHA-256 as built:"
        ),
        "",
        *_table(["File", "Bytes", "SHA-256"], rows),
    ]


def _changelog(where: str) -> list[str]:
    text = CHANGELOG.read_text(encoding="utf-8")
    start = text.find(CHANGELOG_SECTION)
    if start < 0:
        raise SiteBuildError(f"{where}: CHANGELOG.md has no '{CHANGELOG_SECTION}' section.")
    body = text[start + len(CHANGELOG_SECTION) :]
    end = re.search(r"^## ", body, flags=re.MULTILINE)
    body = body[: end.start()] if end else body
    # Its release headings (###) sit one level below the page's section heading (##), as in
    # CHANGELOG.md itself: deeper would skip a level (Lighthouse's heading-order audit).
    return [*body.strip().splitlines(), ""]


SECTIONS = {
    "hazards": _hazards,
    "guards": _guards,
    "validation": _validation,
    "test-runs": _test_runs,
    "runtime": _runtime,
    "changelog": _changelog,
}


def render_section(name: str, where: str = "") -> list[str]:
    """The Markdown lines of one section; an unknown name is a :class:`SiteBuildError`."""
    if name not in SECTIONS:
        raise SiteBuildError(
            f"{where}: unknown safety section {name!r}; known: {', '.join(SECTIONS)}."
        )
    return SECTIONS[name](where)


class _SafetyPreprocessor(Preprocessor):
    def __init__(self, md: Markdown, page: str) -> None:
        """Remember the configured page (for error messages)."""
        super().__init__(md)
        self.page = page

    def run(self, lines: list[str]) -> list[str]:
        """Replace each safety block by its section's Markdown."""
        out: list[str] = []
        index = 0
        where = _where(page_src(self.md, self.page))
        while index < len(lines):
            header = _HEADER_RE.match(lines[index])
            if header is None:
                out.append(lines[index])
                index += 1
                continue
            option = _SECTION_RE.match(header["rest"])
            if option is None:
                raise SiteBuildError(
                    f"{where}: a safety block needs '| section=NAME' (got {lines[index]!r})."
                )
            if index + 1 >= len(lines) or not _CLOSE_RE.match(lines[index + 1]):
                raise SiteBuildError(f"{where}: the safety block has no closing '///' line.")
            out += ["", *render_section(option["name"], where)]
            index += 2
        return out


class SafetyExtension(Extension):
    """Registers the ``/// safety`` preprocessor (before the other blocks' preprocessors)."""

    def __init__(self, **kwargs: Any) -> None:  # noqa: ANN401 - Markdown's config protocol
        """Accept ``page`` like the other extensions."""
        self.config = {"page": ["", "the page's source path, for error messages"]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Markdown's API
        """Register the preprocessor after whitespace normalising, before raw HTML blocks."""
        md.preprocessors.register(
            _SafetyPreprocessor(md, self.getConfig("page")), "baclofen_safety", 25
        )


def makeExtension(**kwargs: Any) -> SafetyExtension:  # noqa: ANN401, N802 - Markdown's API
    """The entry point Markdown calls for ``sitebuild.safety_page``."""
    return SafetyExtension(**kwargs)
