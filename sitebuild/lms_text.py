"""The texts every learning-platform export shares: a question's HTML and its feedback.

The GIFT export (:func:`sitebuild.lms_gift.to_gift`), Moodle XML (:mod:`sitebuild.lms_moodle`) and
the QTI packages (:mod:`sitebuild.lms_qti`) show a question the same way: the case's title and
narrative, then the prompt, then a note on the unit; the feedback gives the engine's answer (a
choice's right option by its text, never a letter), the explanation, the case's analysis on
its last question, and every source the case cites. Case texts are Markdown with ``[@key]``
citations; a platform cannot reach the site's References page, so a citation becomes a plain
``[n]`` and the feedback lists those sources in full.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

import markdown

from calculators.sources import SOURCES
from sitebuild import cases_model as _data
from sitebuild import citations as _citations

if TYPE_CHECKING:
    from sitebuild.cases_model import Case, Question

__all__ = [
    "analysis_html",
    "answer_text",
    "feedback_html",
    "lms_html",
    "lms_markers",
    "lms_sources",
    "option_html",
    "question_html",
]

_SPAN = re.compile(r"</?span\b[^>]*>")


# The site's status markers (its Evidence page explains them), spelled out for a platform
# where no legend is at hand (review minor 4).
_STATUS_MARKERS = (
    (re.compile(r"\(status R\)|\(R\)"), "(seen only as quoted by another source)"),
    (re.compile(r"\(this site's arithmetic, D\)"), "(this site's arithmetic)"),
    (re.compile(r"\(D\)"), "(this site's own arithmetic)"),
)


def lms_markers(text: str) -> str:
    """``(R)`` and ``(D)`` in a case text as words: a platform has no legend for them."""
    for pattern, words in _STATUS_MARKERS:
        text = pattern.sub(words, text)
    return text


def lms_html(text: str) -> str:
    """Markdown -> HTML for a learning platform: citations as plain ``[n]``, constants filled in."""
    md = markdown.Markdown(
        extensions=[_citations.CitationExtension(plain=True), "sitebuild.constants_ext"]
    )
    rendered = md.convert(lms_markers(text))
    rendered = _SPAN.sub("", rendered)  # a constant's provenance tooltip: noise on a platform
    return re.sub(r"\s*\n\s*", " ", rendered).strip()


def _lms_citation(key: str) -> str:
    """A source's citation; "this repository" (the seed's file) named as the site's."""
    return SOURCES[key].citation.replace("this repository", "the site's repository")


def lms_sources(texts: list[str]) -> str:
    """``<p>Sources:</p><ul>…</ul>``: every source cited in ``texts``, by number; or ``""``."""
    keys: list[str] = []
    for text in texts:
        for match in re.finditer(_citations.CITATION_RE, text):
            for part in match["body"].split(";"):
                key = part.strip().lstrip("@")
                if key in SOURCES and key not in keys:
                    keys.append(key)
    keys.sort(key=_citations.citation_number)
    if not keys:
        return ""
    items = "".join(
        f"<li>[{_citations.citation_number(k)}] {html.escape(_lms_citation(k))}</li>" for k in keys
    )
    return f"<p>Sources:</p><ul>{items}</ul>"


def question_html(
    number: int, case: Case, q: Question, *, unit_note: str = " (number only)"
) -> str:
    """The case title, narrative and prompt, then the unit asked for (number questions).

    ``unit_note`` follows "Answer in mg/day": " (number only)" where the platform takes a bare
    number (GIFT, QTI), "" where it reads the unit too (Moodle XML).
    """
    text = (
        f"<p><strong>Case {number}. {html.escape(case.title, quote=False)}</strong></p>"
        f"{lms_html(case.narrative)}{lms_html(q.prompt)}"
    )
    if q.type == "number" and q.unit:
        note = html.escape(_data.UNITS[q.unit].note, quote=False)
        text += f"<p>{note}{unit_note}.</p>"
    return text


def answer_text(q: Question) -> str:
    """The right answer as an export shows it: the number, or the right option's own text.

    Never the option's letter: platforms shuffle the options (Moodle's GIFT import does by
    default) or do not letter them at all (Canvas, OpenOLAT), so "B" could name another one.
    """
    if q.type == "choice":
        return option_html(q.options[q.correct - 1])
    return html.escape(q.shown)


def analysis_html(case: Case) -> str:
    """A spot-the-error case's analysis, as on the site: incident, error, factors, prevention."""
    a = case.analysis
    if a is None:
        return ""
    out = f"<p><strong>{a.TITLE}</strong></p>"
    for title, texts, prose in a.sections():
        out += f"<p><em>{title}</em></p>"
        if prose:
            out += lms_html(texts[0])
        else:
            out += "<ul>" + "".join(f"<li>{option_html(t)}</li>" for t in texts) + "</ul>"
    return out


def feedback_html(case: Case, q: Question) -> str:
    """The engine's answer, the explanation, and the sources of the whole case.

    The case's last question also carries the case's analysis (a spot-the-error case's
    incident, error, factors and prevention), which the site shows after the questions.
    Every question lists every source its case cites, the analysis's included, so that a
    question taken alone into a quiz still names them.
    """
    last = q is case.questions[-1]
    analysis = analysis_html(case) if last else ""
    sources = lms_sources([text for _, text in case.texts()])
    return f"<p>Answer: {answer_text(q)}.</p>{lms_html(q.explanation)}{analysis}{sources}"


def option_html(option: str) -> str:
    """A choice option as inline HTML (its one paragraph unwrapped)."""
    return re.sub(r"^<p>(.*)</p>$", r"\1", lms_html(option), flags=re.DOTALL)
