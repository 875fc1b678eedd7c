"""Moodle XML export of the teaching cases: units, tolerances, hints, calculated questions.

GIFT (:func:`sitebuild.lms_gift.to_gift`) cannot carry units; Moodle XML can. Here:

- a **number** question becomes ``<question type="numerical">``: the engine's answer with the
  case's tolerance (``<tolerance>``, absolute, in the answer's unit), and the unit asked for
  with the site's spellings in the case variants Moodle needs (:func:`moodle_units`; each
  ``<multiplier>1</multiplier>``).
  Where the site needs a unit (doses, volumes, rates: :attr:`sitebuild.cases_units.Unit.required`)
  a missing or other unit scores nothing (``<unitgradingtype>1</unitgradingtype>``, a penalty
  of the whole mark, ``<unitpenalty>1</unitpenalty>``), as the site's answer box marks it
  "wrong unit": mcg for mg converts, but it is not what was asked. Elsewhere the unit is
  optional (``<unitgradingtype>0</unitgradingtype>``). A day's number or a count has no unit
  (``<showunits>3</showunits>``). Where the unit is graded, the stem says to type the number
  and then the unit;
- a **choice** question becomes ``<question type="multichoice">`` (one right answer, options
  shuffled, ``<shuffleanswers>1</shuffleanswers>``: the feedback names the right option by
  its text, never by a letter);
- each case that truly is a formula also becomes a ``<question type="calculated">`` whose
  datasets the engine generated (:mod:`sitebuild.lms_calculated`).

Texts are HTML; the general feedback holds the answer, the explanation and the sources, and
the case's hints become Moodle hints (shown one per try in the "interactive" behaviour).
Element names follow Moodle's XML import (``question/format/xml/format.php``): its readers
``import_numerical``, ``import_multichoice`` and ``import_calculated``.
"""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING, Any

from calculators.registry import CALCULATORS
from calculators.spec import format_number
from sitebuild import cases_model as _data
from sitebuild.lms_calculated import CALCULATED, Calculated, check_formula, dataset
from sitebuild.lms_gift import gift_category
from sitebuild.lms_text import feedback_html, lms_html, lms_sources, option_html, question_html

if TYPE_CHECKING:
    from sitebuild.cases_model import Case, CaseSet, Question

__all__ = [
    "CALCULATED_CATEGORY",
    "TOP_CATEGORY",
    "moodle_unit_note",
    "moodle_units",
    "to_moodle_xml",
]

TOP_CATEGORY = "$course$/Baclofen dosing"
CALCULATED_CATEGORY = "Calculated: new values at each attempt"
# Moodle's numbers for the unit options (qtype_numerical): the unit typed in the answer box,
# or no unit at all; a wrong unit costs a fraction of the mark, or nothing.
_UNIT_TYPED = 0
_UNIT_NONE = 3
_UNIT_GRADED_OUT_OF_MARK = 1
_UNIT_NOT_GRADED = 0
# Moodle's tolerance types for calculated answers, and how the right answer is shown.
_TOLERANCE_TYPES = {"relative": 1, "nominal": 2}
_FORMAT_DECIMALS = 1
_FORMAT_FIGURES = 2
_PENALTY = "0.3333333"  # Moodle's default: a third of the mark lost for each wrong try


_MICRO = ("\N{MICRO SIGN}", "\N{GREEK SMALL LETTER MU}")
_PART = re.compile(r"([A-Za-z\N{MICRO SIGN}\N{GREEK SMALL LETTER MU}\N{GREEK CAPITAL LETTER MU}]+)")


def _canonical_cases() -> dict[str, str]:
    """Each word of the site's unit ids and labels as the site writes it (``ml`` -> ``mL``)."""
    words: dict[str, str] = {}
    for unit in _data.UNITS.values():
        for spelling in (unit.id, unit.label):
            for word in _PART.findall(spelling):
                words.setdefault(word.lower(), word)
    return words


def _word_cases(word: str, canonical: dict[str, str]) -> list[str]:
    """A word as written, in lower, upper and title case, and as the site's ids write it."""
    forms = [word, word.lower(), word.upper(), word[:1].upper() + word[1:].lower()]
    if word.lower() in canonical:
        forms.append(canonical[word.lower()])
    return list(dict.fromkeys(forms))


def _micro_forms(name: str) -> list[str]:
    """``name``, and with the other micro character: the site reads µ and μ alike."""
    forms = [name]
    for a, b in (_MICRO, _MICRO[::-1]):
        forms += [form.replace(a, b) for form in forms if a in form]
    return forms


def moodle_units(unit_id: str) -> list[str]:
    """Every spelling of a unit as Moodle matches it: no spaces, asked unit first.

    Moodle removes the spaces from an answer and looks the rest up exactly and case-
    sensitively (its ``qtype_numerical_answer_processor``), while the site lower-cases a unit
    and reads the micro sign and the Greek mu alike (:func:`sitebuild.cases_units.normalize_unit`).
    So each of the site's spellings is listed with each word as written, in lower, upper and
    title case and as the site's unit ids write it (``mL/d``, ``MG/DAY``, ``mcg/Hr``), and with
    either micro character (``µg/day``, ``μg/day``), spaces removed ("mg per day" is
    ``mgperday``). A day's number ("on which day") takes the spellings of a day after the
    number ("10 days"), as the site does; Moodle reads no unit before a number in a question
    whose units come after it.
    """
    unit = _data.UNITS[unit_id]
    if unit.before:
        unit = _data.UNITS[unit.before]
    canonical = _canonical_cases()
    names: list[str] = []
    for spelling in (unit.id, unit.label, *unit.aliases):
        parts = _PART.split(spelling)
        if " " in spelling:  # a phrase ("mg per day"): each word in the same case, not mixed
            forms = [spelling, spelling.lower(), spelling.upper(), spelling.title()]
            forms.append("".join(canonical.get(p.lower(), p) for p in parts))
            combinations: list[tuple[str, ...]] = [(form,) for form in forms]
        else:  # "mcg/hr": each word's cases combined ("mcg/Hr", "MCG/hr")
            choices = [
                _word_cases(part, canonical) if _PART.fullmatch(part) else [part] for part in parts
            ]
            combinations = list(itertools.product(*choices))
        for combination in combinations:
            for name in _micro_forms("".join(combination).replace(" ", "")):
                if name and name not in names:
                    names.append(name)
    return names


def moodle_unit_note(unit_id: str) -> str:
    """What follows "Answer in mg/day" in a Moodle stem: how to type a graded unit (review M1)."""
    if unit_id and _data.UNITS[unit_id].required:
        return ": type the number and then the unit (a number alone scores nothing)"
    return ""


def _text(parent: ET.Element, tag: str, text: str, *, html: bool = True) -> ET.Element:
    element = ET.SubElement(parent, tag, {"format": "html"} if html else {})
    ET.SubElement(element, "text").text = text
    return element


def _value(parent: ET.Element, tag: str, value: object) -> None:
    ET.SubElement(parent, tag).text = str(value)


def _number(value: float) -> str:
    return format_number(value, 6)


def _category(quiz: ET.Element, path: str, info: str) -> None:
    question = ET.SubElement(quiz, "question", {"type": "category"})
    category = ET.SubElement(question, "category")
    ET.SubElement(category, "text").text = path
    _text(question, "info", info)


def _header(
    quiz: ET.Element, qtype: str, *, name: str, text: str, feedback: str, idnumber: str
) -> ET.Element:
    question = ET.SubElement(quiz, "question", {"type": qtype})
    name_element = ET.SubElement(question, "name")
    ET.SubElement(name_element, "text").text = name
    _text(question, "questiontext", text)
    _text(question, "generalfeedback", feedback)
    _value(question, "defaultgrade", 1)
    _value(question, "penalty", _PENALTY)
    _value(question, "hidden", 0)
    _value(question, "idnumber", idnumber)
    return question


def _units(question: ET.Element, unit_id: str) -> None:
    """``<units>`` and the unit options for a number in ``unit_id``."""
    names = moodle_units(unit_id) if unit_id else []
    if names:
        units = ET.SubElement(question, "units")
        for name in names:
            unit = ET.SubElement(units, "unit")
            _value(unit, "multiplier", 1)
            _value(unit, "unit_name", name)
    required = bool(names) and _data.UNITS[unit_id].required
    _value(question, "unitgradingtype", _UNIT_GRADED_OUT_OF_MARK if required else _UNIT_NOT_GRADED)
    _value(question, "unitpenalty", 1 if required else 0)
    _value(question, "showunits", _UNIT_TYPED if names else _UNIT_NONE)
    _value(question, "unitsleft", 0)


def _hints(question: ET.Element, hints: list[str]) -> None:
    for hint in hints:
        _text(question, "hint", lms_html(hint))


def _numerical(quiz: ET.Element, number: int, case: Case, qn: int, q: Question) -> None:
    question = _header(
        quiz,
        "numerical",
        name=f"{case.id} {qn}: {case.title}",
        text=question_html(number, case, q, unit_note=moodle_unit_note(q.unit)),
        feedback=feedback_html(case, q),
        idnumber=f"{case.id}/{q.id}",
    )
    answer = ET.SubElement(question, "answer", {"fraction": "100", "format": "moodle_auto_format"})
    # The answer as the key shows it (Moodle shows this number as the right answer), with
    # the tolerance around it; the engine's unrounded value is inside it (cases_model checks).
    ET.SubElement(answer, "text").text = _number(q.rounded)
    _text(answer, "feedback", "")
    _value(answer, "tolerance", _number(q.tolerance))
    _units(question, q.unit)
    _hints(question, q.hints)


def _multichoice(quiz: ET.Element, number: int, case: Case, qn: int, q: Question) -> None:
    question = _header(
        quiz,
        "multichoice",
        name=f"{case.id} {qn}: {case.title}",
        text=question_html(number, case, q),
        feedback=feedback_html(case, q),
        idnumber=f"{case.id}/{q.id}",
    )
    _value(question, "single", "true")
    # Shuffled (review M4): no option refers to another by letter, and the feedback gives
    # the right option's text, not a letter.
    _value(question, "shuffleanswers", 1)
    _value(question, "answernumbering", "abc")
    _value(question, "showstandardinstruction", 0)
    for tag in ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback"):
        _text(question, tag, "")
    for i, option in enumerate(q.options, 1):
        answer = ET.SubElement(
            question, "answer", {"fraction": "100" if i == q.correct else "0", "format": "html"}
        )
        ET.SubElement(answer, "text").text = option_html(option)
        _text(answer, "feedback", "")
    _hints(question, q.hints)


def _decimals(values: list[Any]) -> int:
    return max(len(format_number(v, 6).partition(".")[2]) for v in values)


def _calculated(quiz: ET.Element, calc: Calculated, case: Case) -> int:
    """One calculated question; returns the number of dataset items."""
    source = next(q for q in case.questions if q.id == calc.question)
    items = dataset(calc, case.main.inputs)
    check_formula(calc, items)
    calculator = CALCULATORS[calc.calculator]
    if calc.tolerance_type == "relative":
        accepted = f"{_number(calc.tolerance * 100)}%"
    else:
        accepted = _data.show(calc.tolerance, 6, source.unit).replace("\N{NO-BREAK SPACE}", " ")
    feedback = (
        f"{lms_html(calc.explanation)}<p>Each set of values here was run through the site's "
        f"calculator “{calculator.title}” when the site was built; the formula gives its "
        f"answer for every one, and an answer within {accepted} of it is right.</p>"
        f"{lms_sources([calc.explanation])}"
    )
    question = _header(
        quiz,
        "calculated",
        name=f"{calc.id}: {calculator.title} (calculated, from case {case.id})",
        text=calc.text(),
        feedback=feedback,
        idnumber=f"calculated/{calc.id}",
    )
    _value(question, "synchronize", 0)
    _value(question, "single", 0)
    _value(question, "answernumbering", "abc")
    _value(question, "shuffleanswers", 0)
    for tag in ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback"):
        _text(question, tag, "")
    answer = ET.SubElement(question, "answer", {"fraction": "100"})
    ET.SubElement(answer, "text").text = calc.formula
    _value(answer, "tolerance", _number(calc.tolerance))
    _value(answer, "tolerancetype", _TOLERANCE_TYPES[calc.tolerance_type])
    _value(answer, "correctanswerformat", _FORMAT_FIGURES if calc.figures else _FORMAT_DECIMALS)
    _value(answer, "correctanswerlength", calc.figures or calc.places)
    _text(answer, "feedback", "")
    _units(question, source.unit)
    definitions = ET.SubElement(question, "dataset_definitions")
    for wildcard, name in calc.wildcards.items():
        values = [item["inputs"][name] for item in items]
        definition = ET.SubElement(definitions, "dataset_definition")
        for tag, text in (
            ("status", "private"),
            ("name", wildcard),
        ):
            ET.SubElement(ET.SubElement(definition, tag), "text").text = text
        _value(definition, "type", "calculated")
        for tag, text in (
            ("distribution", "uniform"),
            ("minimum", _number(min(values))),
            ("maximum", _number(max(values))),
            ("decimals", str(_decimals(values))),
        ):
            ET.SubElement(ET.SubElement(definition, tag), "text").text = text
        _value(definition, "itemcount", len(values))
        listing = ET.SubElement(definition, "dataset_items")
        for n, value in enumerate(values, 1):
            item = ET.SubElement(listing, "dataset_item")
            _value(item, "number", n)
            _value(item, "value", _number(value))
        _value(definition, "number_of_items", len(values))
    _hints(question, list(calc.hints) if calc.hints is not None else source.hints)
    return len(items)


def to_moodle_xml(sets: list[CaseSet], site_name: str = "") -> str:
    """Every question of every set in Moodle XML, one category per set, then the calculated.

    Categories are those of the GIFT file, so that importing both puts each question beside
    its GIFT twin; the calculated questions have a category of their own.
    """
    quiz = ET.Element("quiz")
    quiz.append(
        ET.Comment(
            f" {site_name or 'Baclofen dosing'}: teaching cases for Moodle (Moodle XML). Teaching "
            "material, not a prescribing tool. Answers and datasets were computed by the "
            "site's tested calculators when the site was built. "
        )
    )
    cases: dict[str, Case] = {}
    for case_set in sets:
        _category(
            quiz, f"{TOP_CATEGORY}/{gift_category(case_set.title)}", lms_html(case_set.summary)
        )
        for number, case in enumerate(case_set.cases, 1):
            cases[case.id] = case
            for qn, q in enumerate(case.questions, 1):
                quiz.append(ET.Comment(f" {case_set.file}: case {case.id}, question {q.id} "))
                if q.type == "choice":
                    _multichoice(quiz, number, case, qn, q)
                else:
                    _numerical(quiz, number, case, qn, q)
    present = [calc for calc in CALCULATED if calc.case in cases]
    if present:
        _category(
            quiz,
            f"{TOP_CATEGORY}/{gift_category(CALCULATED_CATEGORY)}",
            "<p>Cases that are one formula, asked with new values at each attempt. Every set of "
            "values was checked against the site's calculators when the site was built.</p>",
        )
        for calc in present:
            quiz.append(ET.Comment(f" calculated from case {calc.case}, question {calc.question} "))
            _calculated(quiz, calc, cases[calc.case])
    ET.indent(quiz)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(quiz, encoding="unicode") + "\n"
