r"""The Moodle GIFT export of every teaching case set: ``teaching/baclofen-cases-gift.txt``.

Written by the build's prepare step with the other learning-platform exports
(:func:`sitebuild.lms.write_exports`) from the case sets it has loaded and checked
(:mod:`sitebuild.cases_model`); the question and feedback HTML is :mod:`sitebuild.lms_text`'s,
shared with Moodle XML and QTI. GIFT cannot carry units, so a number question names its unit in
its text; Moodle XML (:mod:`sitebuild.lms_moodle`) can.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from calculators.spec import format_number
from sitebuild.lms_text import feedback_html, option_html, question_html

if TYPE_CHECKING:
    from sitebuild.cases_model import Case, CaseSet, Question

__all__ = ["GIFT_FILE", "gift_category", "gift_escape", "to_gift"]

GIFT_FILE = "teaching/baclofen-cases-gift.txt"
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
