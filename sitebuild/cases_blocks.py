r"""The ``/// cases | <set>`` block: a set of teaching cases, answered by the engine at build time.

Syntax (on lines of their own, on ``docs/teaching/<set>.md``; no options, no content)::

    /// cases | oral
    ///

renders every case of ``docs/cases/oral.toml`` (read and computed by
:mod:`sitebuild.cases_model`; the format is documented on ``docs/teaching/index.md``)::

    <div class="case-set" data-case-set="oral" data-units="{json}">
      <div class="case-toolbar" data-prebuilt> progress, print, key view, reset: shown once
        teaching.js binds it (until then it keeps its room, so binding it moves nothing) </div>
      <div class="case-print-qr" data-print-view="key"> (print only: the key's QR code) </div>
      <section class="case" id="case-<id>" data-case="<id>">
        <div class="case-print-qr" data-print-view="sheet"> (print only: the case's QR code,
          sitebuild.print_qr; another, data-print-view="exam", for the exam view) </div>
        <p class="case-name-line"> (print only: Name and Date lines) </p>
        <h2 id="<id>">Case 1. title</h2>
        <p class="case-meta"> kind · calculator </p>
        <div class="case-narrative"> Markdown, citations </div>
        <table class="case-inputs"> every input the engine used, with its unit </table>
        <p class="case-link"> links that open the calculator with these inputs </p>
        <ol class="case-questions">
          <li class="case-question" data-question="<case>/<q>" data-answer="{json}">
            prompt, options; <div class="case-write"> (print: room to write)
            <details class="case-hints"> hints </details>
            <details class="case-answer"> the engine's answer and the explanation </details>
        </ol>
        <details class="case-key case-worked"> each step's value and unit </details>
        <details class="case-key case-analysis"> ISMP's structure: incident, error, ... </details>
      </section>
    </div>

With JavaScript (``docs/assets/js/teaching.js``) each question gets an answer box that checks
what the student types against ``data-answer`` (units from ``data-units``), and progress is
kept in ``localStorage``. Without it (JavaScript off, or ``file://``, where browsers refuse
module scripts) the questions and their answers are all there, the answers in closed
``<details>``.

Also here: :func:`load_sets`, the case sets as the site shows them (the model,
:mod:`sitebuild.cases_model`, plus :func:`check_citations`, which runs the citation
extension's own key check over every text of a case so that an unknown ``[@key]`` fails the
build with the case file's name); the build's prepare step loads them with it for the
learning-platform exports (:mod:`sitebuild.lms`).

Anything the block cannot render honestly stops the build with a
:class:`~sitebuild.SiteBuildError` naming the page or the case file. The two blocks are
:class:`~sitebuild.strict_block.StrictBlock`\ s: no option, no content, every header rendered.

Configuration (``mkdocs.yml`` sets none; tests do): ``page``, the page's source path (default:
the site generator's); ``sets``, the loaded :class:`~sitebuild.cases_model.CaseSet` list;
``calculator_pages``, each calculator id's page; ``site_url``, the site's address for the
printed QR codes. Each one not given comes from the build description, read only when a block
needs it, so a page without a cases block never loads the sets.
"""

from __future__ import annotations

import json
import posixpath
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from calculators.registry import CALCULATORS
from calculators.spec import format_number
from sitebuild import SiteBuildError
from sitebuild import cases_model as _data
from sitebuild import citations as _citations
from sitebuild import print_qr as _qr
from sitebuild.context import current_page, load_build
from sitebuild.context import where as _where
from sitebuild.strict_block import StrictBlock, StrictBlockExtension

if TYPE_CHECKING:
    from sitebuild.cases_model import Case, CaseSet, Question, Run

__all__ = [
    "CasesExtension",
    "calculator_link",
    "check_citations",
    "load_sets",
    "makeExtension",
]

STORAGE_PREFIX = "baclofen-teaching/v1/"
# The set's toolbar (teaching.js binds each by its data-action; in exam mode it removes the
# key's two, and in the key view it relabels "view").
TOOLBAR_ACTIONS = (
    ("print-sheet", "Print the student sheet"),
    ("print-key", "Print the answer key"),
    ("view", "Answer key view"),
    ("reset", "Reset my answers"),
)


# --- build-time checks ------------------------------------------------------------------------


def load_sets(folder: Path, shown_as: str = "docs/cases") -> list[CaseSet]:
    """Every case set in ``folder``, computed and checked; a bad one is a SiteBuildError."""
    try:
        sets = _data.load_all(folder, shown_as)
    except _data.CaseError as exc:
        raise SiteBuildError(str(exc)) from None
    for case_set in sets:
        check_citations(case_set)
    return sets


def check_citations(case_set: CaseSet) -> None:
    """Run the citation extension's key check on every text; name the case file on failure."""
    pattern = re.compile(_citations.CITATION_RE)
    for case in case_set.cases:
        for where, text in case.texts():
            for match in pattern.finditer(text):
                if match.start() > 0 and text[match.start() - 1] == "\\":
                    continue  # \[@key] is text, as on the pages
                try:
                    _citations.parse_group(match["body"], "")
                except SiteBuildError as exc:
                    detail = str(exc).split(": ", 1)[-1]
                    raise SiteBuildError(
                        f"{case_set.file}: case {case.id!r}, {where}: {detail}"
                    ) from None


def _value_text(value: object) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return format_number(value, 6)
    return str(value)


def calculator_link(run: Run, page: str, pages: dict[str, str], file: str = "") -> str:
    """The link, relative to ``page``, that opens ``run``'s calculator with ``run``'s inputs.

    ``?<id>.<field>=<value>`` for every input the engine used (defaults included, so the
    link reproduces the case even if a default changes), then ``#calculator-<id>``.
    """
    target = pages.get(run.calculator)
    if target is None:
        raise SiteBuildError(
            f"{file or _where(page)}: calculator {run.calculator!r} is on no page, so the case "
            "cannot link to it. Put '/// calculator | "
            f"{run.calculator}' on a page first."
        )
    pairs: list[tuple[str, str]] = []
    for name, value in run.result["inputs"].items():
        if isinstance(value, list):  # a repeated group: <group>.<index>.<field>
            for index, item in enumerate(value):
                pairs += [
                    (f"{run.calculator}.{name}.{index}.{field}", _value_text(v))
                    for field, v in item.items()
                    if v is not None
                ]
        elif value is not None:
            pairs.append((f"{run.calculator}.{name}", _value_text(value)))
    query = urlencode(pairs)
    relative = posixpath.relpath(target, posixpath.dirname(page) or ".")
    return f"{relative}?{query}#calculator-{run.calculator}"


# --- rendering --------------------------------------------------------------------------------


def _units_json() -> str:
    return json.dumps(
        {
            u.id: {
                "label": u.label,
                "dimension": u.dimension,
                "factor": u.factor,
                "required": u.required,
                "spellings": list(u.spellings()),
                "before": u.before,
            }
            for u in _data.UNITS.values()
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


def _answer_json(q: Question) -> str:
    if q.type == "choice":
        data: dict[str, Any] = {"type": "choice", "correct": q.correct, "count": len(q.options)}
    else:
        data = {
            "type": "number",
            "value": q.value,
            "shown": q.shown,
            "unit": q.unit,
            "tolerance": q.tolerance,
        }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _accepted(q: Question) -> str:
    if q.tolerance == 0:
        return "exactly"
    lo = format_number(q.value - q.tolerance, q.places + 2)
    hi = format_number(q.value + q.tolerance, q.places + 2)
    return f"from {lo} to {hi}"


def _qr_holder(address: str, view: str) -> ET.Element:
    """A printed sheet's QR code of ``address``, shown when printing ``view`` (teaching.css)."""
    return _qr.print_qr_element(address, css_class="case-print-qr", **{"data-print-view": view})


class CasesBlock(StrictBlock):
    """``/// cases | <set>`` + ``///`` -> every case of the set (see the module docstring)."""

    NAME = "cases"

    def on_validate(self, parent: ET.Element) -> bool:  # noqa: ARG002  # pymdownx's signature
        """Find the set; it must belong on this page and appear once."""
        page = self.page
        set_id = (self.argument or "").strip()
        extension: CasesExtension = self.extension
        sets: dict[str, CaseSet] = {s.id: s for s in extension.case_sets()}
        if set_id not in sets:
            known = ", ".join(sets) or "none"
            raise SiteBuildError(
                f"{_where(page)}: unknown case set {set_id!r}; write '/// cases | <set>' with "
                f"one of: {known} (the files in docs/cases/)."
            )
        case_set = sets[set_id]
        if page and page != case_set.page:
            raise SiteBuildError(
                f"{_where(page)}: the case set {set_id!r} belongs on {case_set.page!r} (its "
                "answer keys, progress and print views are per page)."
            )
        if self.tracker.get("rendered"):
            raise SiteBuildError(f"{_where(page)}: a page holds one case set.")
        self.tracker["rendered"] = True
        self.case_set = case_set
        shown = current_page(self.md, self.config["page"])
        try:
            self.address = _qr.page_address(extension.site_url(), shown.url if shown else "")
        except SiteBuildError as exc:
            raise SiteBuildError(f"{_where(page)}: the printed sheets' QR codes: {exc}") from None
        return True

    def on_create(self, parent: ET.Element) -> ET.Element:
        """The set's container."""
        return ET.SubElement(
            parent,
            "div",
            {
                "class": "case-set",
                "data-case-set": self.case_set.id,
                "data-storage-key": STORAGE_PREFIX + self.case_set.id,
                "data-units": _units_json(),
            },
        )

    def content_refused(self) -> str:
        """Where the cases come from instead."""
        return (
            f"the cases block takes no content; the cases come from {self.case_set.file}. "
            f"Write '/// cases | {self.case_set.id}' then '///'."
        )

    def render(self, block: ET.Element) -> None:
        """Render every case into the container."""
        block.append(self._toolbar())
        # Print only, on the answer key: the address of the key view (teaching.js, ?answers).
        block.append(_qr_holder(f"{self.address}?answers", "key"))
        pages = self.extension.calculator_pages()
        for number, case in enumerate(self.case_set.cases, 1):
            self._case(block, number, case, pages)

    # processors (citations, constants) and link checks then run on it.
    def _toolbar(self) -> ET.Element:
        """The set's tools, in the page from the start and shown once teaching.js binds them.

        Written here rather than by the script, so that it takes its room before the first
        paint: the script inserting it pushed the cases down by its height (a layout shift
        of 0.078 on a phone, Lighthouse; issue 27). ``data-prebuilt`` keeps it invisible (its
        room kept) until the script has bound it, and not displayed at all without JavaScript
        or from a file (teaching.css).
        """
        toolbar = ET.Element(
            "div",
            {
                "class": "case-toolbar",
                "role": "group",
                "aria-label": "Teaching tools",
                "data-prebuilt": "",
            },
        )
        total = sum(len(case.questions) for case in self.case_set.cases)
        progress = ET.SubElement(toolbar, "p", {"class": "case-progress", "role": "status"})
        count = ET.SubElement(progress, "span", {"class": "case-count"})
        count.text = f"0 of {total} answered right."
        count.tail = " "
        ET.SubElement(progress, "span", {"class": "case-storage"})
        for action, label in TOOLBAR_ACTIONS:
            attributes = {"class": "md-button", "data-action": action}
            if action == "view":
                button = ET.SubElement(toolbar, "a", {**attributes, "href": "?answers"})
            else:
                button = ET.SubElement(toolbar, "button", {"type": "button", **attributes})
            button.text = label
        return toolbar

    def _markdown(self, parent: ET.Element, text: str) -> None:
        self.md.parser.parseChunk(parent, text)

    def _case(self, parent: ET.Element, number: int, case: Case, pages: dict[str, str]) -> None:
        calc = CALCULATORS[case.main.calculator]
        section = ET.SubElement(
            parent,
            "section",
            {"class": f"case case--{case.kind}", "id": f"case-{case.id}", "data-case": case.id},
        )
        # Print only: the case's address on its sheet, as a QR code with the site's version;
        # in exam mode (teaching.js, ?exam) the exam view's, so the code opens no answers.
        section.append(_qr_holder(f"{self.address}#case-{case.id}", "sheet"))
        section.append(_qr_holder(f"{self.address}?exam#case-{case.id}", "exam"))
        # Print only: a line for the student's name and the date on each sheet.
        name_line = ET.SubElement(section, "p", {"class": "case-name-line", "aria-hidden": "true"})
        for word in ("Name", "Date"):
            ET.SubElement(name_line, "span", {"class": "case-name-field"}).text = word
        heading = ET.SubElement(section, "h2", {"id": case.id})
        heading.text = f"Case {number}. {case.title}"
        meta = ET.SubElement(section, "p", {"class": "case-meta"})
        kind = ET.SubElement(meta, "span", {"class": f"case-kind case-kind--{case.kind}"})
        kind.text = _data.KINDS[case.kind]
        kind.tail = f" · calculator: {calc.title}"
        narrative = ET.SubElement(section, "div", {"class": "case-narrative"})
        self._markdown(narrative, case.narrative)
        self._inputs(section, case)
        self._links(section, case, pages)
        questions = ET.SubElement(section, "ol", {"class": "case-questions"})
        for q in case.questions:
            self._question(questions, case, q)
        if case.steps:
            self._steps(section, case)
        if case.analysis is not None:
            self._analysis(section, case)

    def _inputs(self, parent: ET.Element, case: Case) -> None:
        holder = ET.SubElement(parent, "div", {"class": "case-inputs-group"})
        for run in case.runs:
            if run.hidden:
                continue
            calc = CALCULATORS[run.calculator]
            table = ET.SubElement(holder, "table", {"class": "case-inputs"})
            caption = ET.SubElement(table, "caption")
            caption.text = f"Values used: {run.label}" if run.name != "main" else "Values used"
            body = ET.SubElement(table, "tbody")
            for f in calc.fields:
                value = run.result["inputs"].get(f.name)
                if value is None:
                    continue
                row = ET.SubElement(body, "tr")
                name = ET.SubElement(row, "th", {"scope": "row"})
                name.text = f.label
                cell = ET.SubElement(row, "td")
                shown = next((c.label for c in f.choices if c.value == value), None)
                cell.text = shown or f"{_value_text(value)}{' ' + f.unit if f.unit else ''}"
            for group in calc.groups:
                for index, item in enumerate(run.result["inputs"].get(group.name) or [], 1):
                    row = ET.SubElement(body, "tr")
                    name = ET.SubElement(row, "th", {"scope": "row"})
                    name.text = f"{group.item_label} {index}"
                    cell = ET.SubElement(row, "td")
                    cell.text = "; ".join(
                        f"{f.label} {_value_text(item[f.name])}{' ' + f.unit if f.unit else ''}"
                        for f in group.fields
                        if item.get(f.name) is not None
                    )

    def _links(self, parent: ET.Element, case: Case, pages: dict[str, str]) -> None:
        para = ET.SubElement(parent, "p", {"class": "case-link"})
        shown = [run for run in case.runs if not run.hidden]
        for i, run in enumerate(shown):
            calc = CALCULATORS[run.calculator]
            href = calculator_link(
                run,
                self.page,
                pages,
                case.file,
            )
            link = ET.SubElement(para, "a", {"href": href, "class": "case-calculator-link"})
            link.text = (
                f"Open these values in the {calc.title.lower()} calculator"
                if run.name == "main"
                else f"Open “{run.label}”"
            )
            if i < len(shown) - 1:
                link.tail = " · "

    def _question(self, parent: ET.Element, case: Case, q: Question) -> None:
        item = ET.SubElement(
            parent,
            "li",
            {
                "class": f"case-question case-question--{q.type}",
                "id": f"q-{case.id}-{q.id}",
                "data-question": f"{case.id}/{q.id}",
                "data-answer": _answer_json(q),
            },
        )
        prompt = ET.SubElement(item, "div", {"class": "case-prompt"})
        self._markdown(prompt, q.prompt)
        if q.type == "number" and q.unit:
            unit = _data.UNITS[q.unit]
            note = ET.SubElement(prompt, "p", {"class": "case-unit-note"})
            note.text = f"{unit.note}."
        if q.options:
            options = ET.SubElement(item, "ol", {"class": "case-options", "type": "A"})
            for option in q.options:
                li = ET.SubElement(options, "li")
                self._markdown(li, option)
        ET.SubElement(item, "div", {"class": "case-write", "aria-hidden": "true"})
        if q.hints:
            hints = ET.SubElement(item, "details", {"class": "case-hints"})
            summary = ET.SubElement(hints, "summary")
            summary.text = "Hint" if len(q.hints) == 1 else f"Hints ({len(q.hints)})"
            listing = ET.SubElement(hints, "ol", {"class": "case-hint-list"})
            for hint in q.hints:
                li = ET.SubElement(listing, "li", {"class": "case-hint"})
                self._markdown(li, hint)
        answer = ET.SubElement(item, "details", {"class": "case-key case-answer"})
        summary = ET.SubElement(answer, "summary")
        summary.text = "Answer"
        value = ET.SubElement(answer, "p", {"class": "case-answer-value"})
        strong = ET.SubElement(value, "strong")
        strong.text = q.shown
        if q.type == "number":
            strong.tail = (
                f" (computed by the calculator when this page was built; accepted {_accepted(q)})"
            )
        explanation = ET.SubElement(answer, "div", {"class": "case-explanation"})
        self._markdown(explanation, q.explanation)

    def _steps(self, parent: ET.Element, case: Case) -> None:
        details = ET.SubElement(parent, "details", {"class": "case-key case-worked"})
        summary = ET.SubElement(details, "summary")
        summary.text = "Worked answer, step by step"
        table = ET.SubElement(details, "table", {"class": "case-steps"})
        head = ET.SubElement(ET.SubElement(table, "thead"), "tr")
        for text in ("Step", "Value", "Note"):
            th = ET.SubElement(head, "th", {"scope": "col"})
            th.text = text
        body = ET.SubElement(table, "tbody")
        for n, step in enumerate(case.steps, 1):
            row = ET.SubElement(body, "tr")
            label = ET.SubElement(row, "td")
            label.text = f"{n}. {step.label}"
            value = ET.SubElement(row, "td", {"class": "case-step-value"})
            value.text = step.shown
            note = ET.SubElement(row, "td")
            if step.text:
                self._markdown(note, step.text)
        caption = ET.SubElement(details, "p", {"class": "case-steps-note"})
        caption.text = (
            "Every value above was computed from the calculator's result when this page was "
            "built; none was typed."
        )

    def _analysis(self, parent: ET.Element, case: Case) -> None:
        a = case.analysis
        assert a is not None  # noqa: S101  # _case only calls this with an analysis
        details = ET.SubElement(parent, "details", {"class": "case-key case-analysis"})
        summary = ET.SubElement(details, "summary")
        summary.text = a.TITLE
        for title, texts, prose in a.sections():
            h = ET.SubElement(details, "p", {"class": "case-analysis-title"})
            strong = ET.SubElement(h, "strong")
            strong.text = title
            if prose:
                block = ET.SubElement(details, "div")
                self._markdown(block, texts[0])
            else:
                listing = ET.SubElement(details, "ul")
                for text in texts:
                    self._markdown(ET.SubElement(listing, "li"), text)


class CaseSetsBlock(StrictBlock):
    """``/// case-sets`` + ``///`` -> a table of every set: page, cases by kind, minutes."""

    NAME = "case-sets"

    def on_create(self, parent: ET.Element) -> ET.Element:
        """The table of sets."""
        return ET.SubElement(parent, "table", {"class": "case-set-index"})

    def render(self, block: ET.Element) -> None:
        """Fill the table from the loaded sets."""
        page = self.page
        sets: list[CaseSet] = self.extension.case_sets()
        head = ET.SubElement(ET.SubElement(block, "thead"), "tr")
        for text in ("Case set", "Cases", "Spot the error", "Worked step by step", "Minutes"):
            th = ET.SubElement(head, "th", {"scope": "col"})
            th.text = text
        body = ET.SubElement(block, "tbody")
        for case_set in sets:
            row = ET.SubElement(body, "tr")
            cell = ET.SubElement(row, "td")
            link = ET.SubElement(
                cell,
                "a",
                {"href": posixpath.relpath(case_set.page, posixpath.dirname(page) or ".")},
            )
            link.text = case_set.title
            summary = ET.SubElement(cell, "br")
            summary.tail = case_set.summary
            kinds = [c.kind for c in case_set.cases]
            for value in (
                len(kinds),
                kinds.count("spot-the-error"),
                kinds.count("worked"),
                case_set.minutes,
            ):
                td = ET.SubElement(row, "td")
                td.text = str(value)
        foot = ET.SubElement(ET.SubElement(block, "tfoot"), "tr")
        total = ET.SubElement(foot, "th", {"scope": "row"})
        total.text = "All sets"
        every = [c.kind for s in sets for c in s.cases]
        for value in (
            len(every),
            every.count("spot-the-error"),
            every.count("worked"),
            sum(s.minutes for s in sets),
        ):
            td = ET.SubElement(foot, "td")
            td.text = str(value)


class CasesExtension(StrictBlockExtension):
    """The ``/// cases | <set>`` and ``/// case-sets`` blocks (see the module docstring)."""

    BLOCKS = (CasesBlock, CaseSetsBlock)
    LABEL = "case set"
    SYNTAX = (
        "The block takes no options and no content: write '/// cases | <set>' (or "
        "'/// case-sets') then '///' on lines of their own."
    )

    def __init__(self, **kwargs: Any) -> None:  # noqa: ANN401  # Markdown passes any config
        """Declare the options; ``kwargs`` sets them."""
        self.config = {
            "page": ["", "Source path of the page (default: the site generator's)"],
            "sets": [[], "The loaded case sets (default: the build description's cases_dir)"],
            "calculator_pages": [{}, "Calculator id -> page source path (default: the build's)"],
            "site_url": ["", "The site's address, for the QR codes (default: the build's)"],
        }
        super().__init__(**kwargs)
        self._sets: list[CaseSet] | None = None

    def case_sets(self) -> list[CaseSet]:
        """The configured sets, else those of the build description's ``cases_dir``, loaded once.

        Error messages name the files as the prepare step does (``docs/cases/oral.toml``).
        """
        if self._sets is None:
            sets: list[CaseSet] = self.getConfig("sets")
            if not sets:
                build = load_build(needed_for="the case sets")
                folder = str(build.data.get("cases_dir") or "")
                if folder:
                    cases_dir = Path(folder)
                    sets = load_sets(cases_dir, f"{cases_dir.parent.name}/{cases_dir.name}")
            self._sets = sets
        return self._sets

    def calculator_pages(self) -> dict[str, str]:
        """Each calculator id's page: configured, else the build description's."""
        pages: dict[str, str] = self.getConfig("calculator_pages")
        return pages or load_build(needed_for="the cases' calculator links").calculator_pages

    def site_url(self) -> str:
        """The site's address for the QR codes: configured, else the build description's."""
        configured: str = self.getConfig("site_url")
        if configured:
            return configured
        build = load_build(needed_for="the printed QR codes' site_url")
        return str(build.data.get("site_url") or "")


def makeExtension(**kwargs: Any) -> CasesExtension:  # noqa: ANN401, N802  # Markdown's API
    """Entry point used by ``markdown_extensions: - sitebuild.cases_blocks``."""
    return CasesExtension(**kwargs)
