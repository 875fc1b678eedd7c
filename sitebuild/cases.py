r"""The ``/// cases | <set>`` block: a set of teaching cases, answered by the engine at build time.

Syntax (on lines of their own, on ``docs/teaching/<set>.md``; no options, no content)::

    /// cases | oral
    ///

renders every case of ``docs/cases/oral.toml`` (read and computed by
:mod:`sitebuild.casedata`; the format is documented on ``docs/teaching/index.md``)::

    <div class="case-set" data-case-set="oral" data-units="{json}">
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

Also here: the Moodle GIFT export of every set (:func:`to_gift`, written into the site by
the build's prepare step, ``sitebuild/pipeline.py``; the other learning-platform exports are
:mod:`sitebuild.lms`), and :func:`check_citations`, which runs the citation
extension's own key check over every text of a case so that an unknown ``[@key]`` fails the
build with the case file's name.

Anything the block cannot render honestly stops the build with a
:class:`~sitebuild.SiteBuildError` naming the page or the case file.
"""

from __future__ import annotations

import json
import posixpath
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlencode

from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from pymdownx.blocks import BlocksExtension
from pymdownx.blocks.block import Block

from calculators.registry import CALCULATORS
from calculators.spec import format_number
from sitebuild import SiteBuildError
from sitebuild import casedata as _data
from sitebuild import citations as _citations
from sitebuild import print_qr as _qr
from sitebuild.context import build_path, current_page, load_build, page_src
from sitebuild.context import where as _where
from sitebuild.lms_text import feedback_html, option_html, question_html

if TYPE_CHECKING:
    import markdown
    from pymdownx.blocks import BlocksProcessor

    from sitebuild.casedata import Case, CaseSet, Question, Run

__all__ = [
    "CasesExtension",
    "calculator_link",
    "calculator_pages",
    "check_citations",
    "gift_escape",
    "load_sets",
    "makeExtension",
    "to_gift",
]

_HEADER_RE = re.compile(r"^ {0,3}/{3,}[ \t]*(?:cases|case-sets)\b", re.MULTILINE)
_CALCULATOR_RE = re.compile(r"^ {0,3}/{3,}[ \t]*calculator[ \t]*\|[ \t]*([a-z0-9-]+)", re.MULTILINE)
STORAGE_PREFIX = "baclofen-teaching/v1/"


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
                    _citations._parse_group(match["body"], "")  # noqa: SLF001  # the one key check
                except SiteBuildError as exc:
                    detail = str(exc).split(": ", 1)[-1]
                    raise SiteBuildError(
                        f"{case_set.file}: case {case.id!r}, {where}: {detail}"
                    ) from None


def calculator_pages(docs_dir: Path) -> dict[str, str]:
    """Each calculator id -> the page (``intrathecal.md``) whose block embeds it."""
    pages: dict[str, str] = {}
    for path in sorted(docs_dir.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        for calc_id in _CALCULATOR_RE.findall(text):
            pages.setdefault(calc_id, path.relative_to(docs_dir).as_posix())
    return pages


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


class CasesBlock(Block):
    """``/// cases | <set>`` + ``///`` -> every case of the set (see the module docstring)."""

    NAME = "cases"
    # Accept any argument and no option, then refuse a bad one loudly in on_validate:
    # pymdownx renders a block it refuses as plain text, which must not happen here.
    ARGUMENT = None
    OPTIONS: ClassVar[dict[str, tuple[Any, Any]]] = {}

    def on_validate(self, parent: ET.Element) -> bool:  # noqa: ARG002  # pymdownx's signature
        """Find the set; it must belong on this page and appear once."""
        page: str = page_src(self.md, self.config["page"])
        set_id = (self.argument or "").strip()
        sets: dict[str, CaseSet] = {s.id: s for s in self.config["sets"]}
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
            self.address = _qr.page_address(self.config["site_url"], shown.url if shown else "")
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

    def on_markdown(self) -> str:
        """Keep any content as raw text, so that ``on_end`` can refuse it."""
        return "raw"

    def on_end(self, block: ET.Element) -> None:
        """Refuse content, then render every case into the container."""
        if len(block) or (block.text or "").strip():
            where = _where(page_src(self.md, self.config["page"]))
            raise SiteBuildError(
                f"{where}: the cases block takes no content; the cases "
                f"come from {self.case_set.file}. Write '/// cases | {self.case_set.id}' "
                "then '///'."
            )
        block.text = None
        # Print only, on the answer key: the address of the key view (teaching.js, ?answers).
        block.append(_qr_holder(f"{self.address}?answers", "key"))
        for number, case in enumerate(self.case_set.cases, 1):
            self._case(block, number, case)
        rendered: list[str] = self.tracker.setdefault("sets", [])
        rendered.append(self.case_set.id)

    # Markdown text of a case becomes part of this page's tree: the page's own inline
    # processors (citations, constants) and link checks then run on it.
    def _markdown(self, parent: ET.Element, text: str) -> None:
        self.md.parser.parseChunk(parent, text)

    def _case(self, parent: ET.Element, number: int, case: Case) -> None:
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
        self._links(section, case)
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

    def _links(self, parent: ET.Element, case: Case) -> None:
        para = ET.SubElement(parent, "p", {"class": "case-link"})
        shown = [run for run in case.runs if not run.hidden]
        for i, run in enumerate(shown):
            calc = CALCULATORS[run.calculator]
            href = calculator_link(
                run,
                page_src(self.md, self.config["page"]),
                self.config["calculator_pages"],
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
        summary.text = "What went wrong: the incident and how to prevent it"
        for title, texts in (
            ("What was published", [a.incident]),
            ("The error", [a.error]),
            ("Contributing factors", a.factors),
            ("How to prevent it", a.prevention),
        ):
            if not texts:
                continue
            h = ET.SubElement(details, "p", {"class": "case-analysis-title"})
            strong = ET.SubElement(h, "strong")
            strong.text = title
            if len(texts) == 1 and title in {"What was published", "The error"}:
                block = ET.SubElement(details, "div")
                self._markdown(block, texts[0])
            else:
                listing = ET.SubElement(details, "ul")
                for text in texts:
                    self._markdown(ET.SubElement(listing, "li"), text)


class CaseSetsBlock(Block):
    """``/// case-sets`` + ``///`` -> a table of every set: page, cases by kind, minutes."""

    NAME = "case-sets"
    ARGUMENT = None
    OPTIONS: ClassVar[dict[str, tuple[Any, Any]]] = {}

    def on_validate(self, parent: ET.Element) -> bool:  # noqa: ARG002  # pymdownx's signature
        """Refuse an argument."""
        if self.argument:
            where = _where(page_src(self.md, self.config["page"]))
            raise SiteBuildError(
                f"{where}: the case-sets block takes no argument "
                f"(got {self.argument!r}). Write '/// case-sets' then '///'."
            )
        return True

    def on_create(self, parent: ET.Element) -> ET.Element:
        """The table of sets."""
        return ET.SubElement(parent, "table", {"class": "case-set-index"})

    def on_markdown(self) -> str:
        """Keep any content as raw text, so that ``on_end`` can refuse it."""
        return "raw"

    def on_end(self, block: ET.Element) -> None:
        """Fill the table from the loaded sets."""
        page: str = page_src(self.md, self.config["page"])
        if len(block) or (block.text or "").strip():
            raise SiteBuildError(f"{_where(page)}: the case-sets block takes no content.")
        block.text = None
        head = ET.SubElement(ET.SubElement(block, "thead"), "tr")
        for text in ("Case set", "Cases", "Spot the error", "Worked step by step", "Minutes"):
            th = ET.SubElement(head, "th", {"scope": "col"})
            th.text = text
        body = ET.SubElement(block, "tbody")
        for case_set in self.config["sets"]:
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
        every = [c.kind for s in self.config["sets"] for c in s.cases]
        for value in (
            len(every),
            every.count("spot-the-error"),
            every.count("worked"),
            sum(s.minutes for s in self.config["sets"]),
        ):
            td = ET.SubElement(foot, "td")
            td.text = str(value)


class _HeaderCounter(Preprocessor):
    """Count cases block headers outside code (fenced code is stashed by now)."""

    def __init__(self, md: markdown.Markdown, extension: CasesExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        self.extension.headers = len(_HEADER_RE.findall("\n".join(lines)))
        return lines


class _RenderedCheck(Treeprocessor):
    """Fail when a header was not rendered as a case set (pymdownx fell back to text)."""

    def __init__(self, md: markdown.Markdown, extension: CasesExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, root: ET.Element) -> None:
        ext = self.extension
        rendered = sum(1 for el in root.iter("div") if el.get("class") == "case-set")
        rendered += sum(1 for el in root.iter("table") if el.get("class") == "case-set-index")
        if rendered != ext.headers:
            where = _where(page_src(self.md, ext.getConfig("page")))
            raise SiteBuildError(
                f"{where}: {ext.headers} cases block header(s) but "
                f"{rendered} case set(s) rendered. The block takes no options and no content: "
                "write '/// cases | <set>' then '///' on lines of their own."
            )


class _CasesBlocks(BlocksExtension):
    """Registers :class:`CasesBlock` with pymdownx's shared blocks manager."""

    def __init__(self, parent: CasesExtension) -> None:
        self.parent = parent
        super().__init__()

    def extendMarkdownBlocks(  # noqa: N802  # pymdownx's API name
        self,
        md: markdown.Markdown,  # noqa: ARG002  # required by the BlocksExtension signature
        block_mgr: BlocksProcessor,
    ) -> None:
        """Register the block with the extension's configuration."""
        configs = self.parent.configs_for_block()
        block_mgr.register(CasesBlock, configs)
        block_mgr.register(CaseSetsBlock, configs)


class CasesExtension(Extension):
    """The ``/// cases | <set>`` block (see the module docstring).

    Configuration (``mkdocs.yml`` sets none): ``page``, the page's source path (default: the
    site generator's); ``sets``, the loaded :class:`~sitebuild.casedata.CaseSet` list, or
    ``cases_dir`` to load them from (default: the build description's); ``calculator_pages``,
    each calculator id's page, or ``docs_dir`` to find them in (default: the build
    description's); ``site_url``, the site's address for the printed QR codes (default: the
    build description's).
    """

    def __init__(self, **kwargs: Any) -> None:  # noqa: ANN401  # Markdown passes any config
        """Declare the options; ``kwargs`` sets them."""
        self.config = {
            "page": ["", "Source path of the page (default: the site generator's)"],
            "sets": [[], "The loaded case sets (default: loaded from cases_dir)"],
            "calculator_pages": [{}, "Calculator id -> page source path (default: the build's)"],
            "cases_dir": ["", "Folder of case files (default: the build description's)"],
            "cases_shown_as": ["", "How error messages name that folder (docs/cases)"],
            "docs_dir": ["", "Docs folder to find the calculators in, when not given"],
            "site_url": ["", "The site's address, for the QR codes (default: the build's)"],
        }
        super().__init__(**kwargs)
        self.headers = 0

    def configs_for_block(self) -> dict[str, Any]:
        """The block's configuration, loading the sets when only ``cases_dir`` was given."""
        configs = self.getConfigs()
        build = load_build() if build_path().is_file() else None
        cases_dir = configs["cases_dir"] or (build.data.get("cases_dir", "") if build else "")
        if not configs["sets"] and cases_dir:
            configs["sets"] = load_sets(Path(cases_dir), configs["cases_shown_as"] or cases_dir)
        if not configs["site_url"] and build is not None:
            configs["site_url"] = str(build.data.get("site_url") or "")
        if not configs["calculator_pages"]:
            if configs["docs_dir"]:
                configs["calculator_pages"] = calculator_pages(Path(configs["docs_dir"]))
            elif build is not None:
                configs["calculator_pages"] = build.calculator_pages
        return configs

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802  # Markdown's API name
        """Register the header counter, the rendered check and the block."""
        md.registerExtension(self)
        md.preprocessors.register(_HeaderCounter(md, self), "sitebuild-cases-count", 5)
        md.treeprocessors.register(_RenderedCheck(md, self), "sitebuild-cases-check", 0)
        _CasesBlocks(self).extendMarkdown(md)

    def reset(self) -> None:
        """Between documents: the header count starts again."""
        self.headers = 0


def makeExtension(**kwargs: Any) -> CasesExtension:  # noqa: ANN401, N802  # Markdown's API
    """Entry point used by ``markdown_extensions: - sitebuild.cases``."""
    return CasesExtension(**kwargs)


# --- Moodle GIFT export -------------------------------------------------------------------------

GIFT_SPECIAL = "~=#{}:"


def gift_escape(text: str) -> str:
    r"""Text safe inside a GIFT question: ``\`` and each of ``~ = # { } :`` escaped, lines joined.

    GIFT ends a question at a blank line, so newlines become the ``\n`` escape.
    """
    out = text.replace("\\", "\\\\")
    for char in GIFT_SPECIAL:
        out = out.replace(char, "\\" + char)
    return out.replace("\r\n", "\n").replace("\n", "\\n")


def gift_category(name: str) -> str:
    r"""One level of a ``$CATEGORY:`` path, as Moodle's GIFT reader takes it (QA D16).

    Moodle reads the rest of a ``$CATEGORY:`` line as it stands: it has already swapped each
    escaped ``\:`` for a placeholder and never swaps it back there, so a
    :func:`gift_escape`-d name would reach the course as "Oral baclofen&&058; ...". Only the
    path separator needs care: ``/`` splits levels, and ``//`` stands for a ``/`` in a name.
    """
    if "\n" in name or "\r" in name:
        raise ValueError(f"a GIFT category name must be one line (got {name!r})")
    return name.strip().replace("/", "//")


def to_gift(sets: list[CaseSet], site_name: str = "") -> str:
    """Every question of every set in Moodle's GIFT format, one category per set.

    Number questions become GIFT numerical questions (``{#value:tolerance}``) with the unit
    asked for in the text (GIFT has no units); choice questions become multiple choice. Texts
    are HTML (``[html]``), the case narrative first; the general feedback holds the
    explanation and the sources cited.
    """
    lines = [
        "// Baclofen dosing teaching cases, exported for Moodle (GIFT format).",
        f"// {site_name}: teaching material, not a prescribing tool."
        if site_name
        else "// Teaching material, not a prescribing tool.",
        "// Answers were computed by the site's tested calculators when the site was built.",
        "",
    ]
    for case_set in sets:
        lines += [f"$CATEGORY: $course$/Baclofen dosing/{gift_category(case_set.title)}", ""]
        for number, case in enumerate(case_set.cases, 1):
            for qn, q in enumerate(case.questions, 1):
                lines.append(f"// {case_set.file}: case {case.id}, question {q.id}")
                lines.append(_gift_question(number, case, qn, q))
                lines.append("")
    return "\n".join(lines)


def _gift_question(number: int, case: Case, qn: int, q: Question) -> str:
    title = gift_escape(f"{case.id} {qn}: {case.title}")
    text = question_html(number, case, q)
    feedback = gift_escape(feedback_html(case, q))
    if q.type == "choice":
        options = " ".join(
            ("=" if i == q.correct else "~") + gift_escape(option_html(o))
            for i, o in enumerate(q.options, 1)
        )
        answers = f"{{{options} ####{feedback}}}"
    else:
        value = format_number(q.rounded, 6)  # the key's answer: Moodle shows it as right
        tolerance = format_number(q.tolerance, 6)
        answers = f"{{#{value}:{tolerance} ####{feedback}}}"
    return f"::{title}::[html]{gift_escape(text)} {answers}"
