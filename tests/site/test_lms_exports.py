"""The learning-platform exports: Moodle XML, QTI 1.2 (Canvas) and QTI 2.1 (Blackboard, OpenOLAT).

Each export is read back and scored as the platform would score it, and every answer is
compared with the engine's:

- Moodle XML: the multichoice questions by ``moodle-xml-parser`` (the oracle; it reads only
  multichoice and cloze), the numerical and calculated questions by :func:`read_moodle`, a
  reader of the elements Moodle's own importer reads (``question/format/xml/format.php``),
  and graded by :func:`moodle_grade`, which follows Moodle's ``qtype_numerical`` grading: the
  spaces are removed, the number is read first and the rest looked up as a unit, exactly;
- QTI: no package here ships the IMS XSDs (none of ``qti-package-maker``, ``text2qti``,
  ``citolab-qti-convert`` has an ``.xsd``), so the packages are checked by structure: the
  manifest lists every file, identifiers are unique, and each item's response processing,
  run by a small interpreter below, scores the engine's answer right and a wrong one wrong.

Each check has a control that feeds it a broken export and expects it to fail.
"""

from __future__ import annotations

import ast
import dataclasses
import html
import io
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import PurePosixPath

import markdown
import pytest
from moodle_xml_parser import parser as moodle_parser
from sitekit import REPO

from calculators import calculate
from calculators.sources import SOURCES
from calculators.spec import format_number
from sitebuild import lms_moodle
from sitebuild.cases_blocks import load_sets
from sitebuild.cases_model import UNITS, normalize_unit
from sitebuild.citations import citation_number
from sitebuild.lms import MOODLE_XML_FILE, QTI12_FILE, QTI21_FILE
from sitebuild.lms_calculated import CALCULATED, Calculated, base_inputs, dataset
from sitebuild.lms_gift import to_gift
from sitebuild.lms_moodle import moodle_units, to_moodle_xml
from sitebuild.lms_qti import QTI12, QTI21, XHTML_21, item_id, to_qti12, to_qti21
from sitebuild.lms_text import lms_html, lms_sources, option_html

SETS = load_sets(REPO / "docs" / "cases")
QUESTIONS = [(c, q) for s in SETS for c in s.cases for q in c.questions]
NUMBERS = [(c, q) for c, q in QUESTIONS if q.type == "number"]
CHOICES = [(c, q) for c, q in QUESTIONS if q.type == "choice"]
CASES = {c.id: c for s in SETS for c in s.cases}
MOODLE = to_moodle_xml(SETS, "Baclofen dosing")
QTI12_ZIP = to_qti12(SETS, "Baclofen dosing")
QTI21_ZIP = to_qti21(SETS, "Baclofen dosing")
GIFT = to_gift(SETS, "Baclofen dosing")
IMSCP = "{http://www.imsglobal.org/xsd/imscp_v1p1}"


def xml(data: str | bytes) -> ET.Element:
    """Parse XML that this build wrote (trusted input)."""
    return ET.fromstring(data)  # noqa: S314  # the build's own output, not untrusted data


def _wrong(value: float, tolerance: float) -> float:
    """A number outside the tolerance: what a student off by more than it types."""
    return value + 10 * tolerance + 1


# --- Moodle XML -------------------------------------------------------------------------------


def read_moodle(text: str) -> list[dict]:
    """Every question as Moodle's XML importer reads it (the paths of its import_* functions)."""
    out = []
    for question in xml(text).findall("question"):
        kind = question.get("type")
        if kind == "category":
            out.append({"type": kind, "path": question.findtext("category/text")})
            continue
        q = {
            "type": kind,
            "name": question.findtext("name/text"),
            "idnumber": question.findtext("idnumber"),
            "text": question.findtext("questiontext/text"),
            "feedback": question.findtext("generalfeedback/text"),
            "answers": [
                {
                    "text": a.findtext("text"),
                    "fraction": float(a.get("fraction", "0")) / 100,
                    "tolerance": float(a.findtext("tolerance") or 0),
                    "tolerancetype": a.findtext("tolerancetype"),
                }
                for a in question.findall("answer")
            ],
            "units": {
                u.findtext("unit_name"): float(u.findtext("multiplier") or "nan")
                for u in question.findall("units/unit")
            },
            "unitgradingtype": int(question.findtext("unitgradingtype") or 0),
            "unitpenalty": float(question.findtext("unitpenalty") or 0.1),
            "showunits": int(question.findtext("showunits") or 3),
            "hints": [h.findtext("text") for h in question.findall("hint")],
            "datasets": {
                d.findtext("name/text"): {
                    "itemcount": int(d.findtext("itemcount") or 0),
                    "items": {
                        int(i.findtext("number") or 0): float(i.findtext("value") or "nan")
                        for i in d.findall("dataset_items/dataset_item")
                    },
                }
                for d in question.findall("dataset_definitions/dataset_definition")
            },
        }
        out.append(q)
    return out


_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?")


def moodle_grade(q: dict, response: str) -> float:
    """The fraction Moodle gives a numerical ``response`` (its qtype_numerical grading).

    Spaces are removed; the number is read first and the rest is the unit, looked up exactly
    among the question's units. A known unit converts (divided by its multiplier) and is
    right; an unknown or missing one is wrong, and costs the unit penalty (as a fraction of
    the mark) when units are graded. No units at all (showunits 3): the unit is not read.
    """
    text = response.replace(" ", "")
    match = _NUMBER.match(text)
    if not match:
        return 0.0
    value = float(match[0])
    unit = text[match.end() :]
    multiplier = 1 / q["units"][unit] if unit in q["units"] else None
    unit_right = q["showunits"] == 3 or multiplier is not None  # 3: UNITNONE
    for answer in q["answers"]:
        target, tolerance = float(answer["text"]), answer["tolerance"]
        scaled = value * multiplier if multiplier is not None else value
        if abs(scaled - target) <= tolerance + 1e-9 * max(1, abs(target)):
            fraction = answer["fraction"]
            if not unit_right and q["unitgradingtype"] == 1:
                fraction -= q["unitpenalty"] * fraction
            return max(fraction, 0.0)
    return 0.0


def check_moodle_numerical(text: str) -> int:
    """Every number question: the engine's answer with its unit right, a slip wrong."""
    read = [q for q in read_moodle(text) if q["type"] == "numerical"]
    assert len(read) == len(NUMBERS), (len(read), len(NUMBERS))
    for got, (case, q) in zip(read, NUMBERS, strict=True):
        where = f"{case.id}/{q.id}"
        assert got["idnumber"] == where
        # The key's rounded answer is what Moodle shows as right; the engine's value scores.
        assert float(got["answers"][0]["text"]) == pytest.approx(q.rounded, abs=5e-7), where
        assert got["answers"][0]["tolerance"] == pytest.approx(q.tolerance), where
        unit = UNITS[q.unit]
        shown = f"{q.value:.6f}"
        typed = f"{shown} {unit.label or (UNITS[unit.before].label if unit.before else '')}"
        assert moodle_grade(got, typed.strip()) == 1, f"{where}: {typed!r} not right"
        assert moodle_grade(got, str(_wrong(q.value, q.tolerance))) == 0, where
        if unit.required:
            assert moodle_grade(got, shown) == 0, f"{where}: a bare number is right"
            # The other size of the same quantity (mcg for mg) where there is one: it converts,
            # but it is not the unit asked; else a unit of another kind (mg for mL).
            others = [u for u in UNITS.values() if u.required and u.id != unit.id]
            other = min(others, key=lambda u: u.dimension != unit.dimension)
            converted = q.value * unit.factor / other.factor
            assert moodle_grade(got, f"{converted!r} {other.id}") == 0, (
                f"{where}: {converted} {other.id} for {q.value} {unit.id} is right"
            )
        else:
            assert moodle_grade(got, shown) == 1, f"{where}: the optional unit is required"
    return len(read)


def test_moodle_numerical_questions_score_the_engines_answer_with_its_unit():
    """Each number question scores the engine's answer in the unit asked, not a unit slip."""
    assert check_moodle_numerical(MOODLE) == len(NUMBERS)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("<unitpenalty>1</unitpenalty>", "<unitpenalty>0</unitpenalty>", "bare number is right"),
        ("<tolerance>0.1</tolerance>", "<tolerance>100</tolerance>", "oral-to-iv/iv-daily"),
        ("<unit_name>mg/day</unit_name>", "<unit_name>mcg/day</unit_name>", "not right"),
    ],
    ids=["no-unit-penalty", "wide-tolerance", "wrong-unit-name"],
)
def test_moodle_numerical_check_fails_on_a_broken_export(old, new, message):
    """Control: no penalty, a huge tolerance or the wrong unit name is caught."""
    assert old in MOODLE
    with pytest.raises(AssertionError, match=re.escape(message)):
        check_moodle_numerical(MOODLE.replace(old, new))


def check_moodle_choices(text: str, capsys: pytest.CaptureFixture[str]) -> None:
    """The oracle reads every choice question with the right option, and no parse error."""
    parsed = moodle_parser.parse_string(text)
    assert capsys.readouterr().out == "", "the parser reported an error"
    read = parsed["multichoice"]
    assert len(read) == len(CHOICES)
    for got, (case, q) in zip(read, CHOICES, strict=True):
        assert got.name.startswith(f"{case.id} ")
        assert got.single
        assert len(got.options) == len(q.options)
        right = [i for i, o in enumerate(got.options, 1) if o.score_fraction == 100]
        assert right == [q.correct], f"{case.id}/{q.id}: right option {right}"
        assert "Answer:" in (got.general_feedback or "")


def test_moodle_choices_read_by_moodle_xml_parser(capsys):
    """moodle-xml-parser reads each choice question with its one right option."""
    check_moodle_choices(MOODLE, capsys)


def test_moodle_choice_check_fails_when_the_right_option_moves(capsys):
    """Control: a right option marked 0 and a wrong one marked 100 is caught."""
    broken = MOODLE.replace('<answer fraction="100" format="html">', '<answer fraction="x">', 1)
    broken = broken.replace('<answer fraction="0" format="html">', '<answer fraction="100">', 1)
    broken = broken.replace('<answer fraction="x">', '<answer fraction="0">', 1)
    with pytest.raises(AssertionError, match="right option"):
        check_moodle_choices(broken, capsys)


def test_moodle_categories_match_gift_and_counts_add_up():
    """One category per set (as GIFT), then the calculated; every case question once."""
    read = read_moodle(MOODLE)
    paths = [q["path"] for q in read if q["type"] == "category"]
    assert paths[:-1] == [f"$course$/Baclofen dosing/{s.title}" for s in SETS]
    assert paths[-1] == "$course$/Baclofen dosing/Calculated: new values at each attempt"
    kinds = [q["type"] for q in read if q["type"] != "category"]
    assert kinds.count("numerical") + kinds.count("multichoice") == len(QUESTIONS)
    assert kinds.count("calculated") == len(CALCULATED) >= 1
    hints = sum(len(q["hints"]) for q in read if q["type"] in {"numerical", "multichoice"})
    assert hints == sum(len(q.hints) for _, q in QUESTIONS)


def test_moodle_unit_names_are_what_moodle_can_match():
    """Moodle removes spaces before the lookup: no unit name has one; the asked unit is first."""
    for unit_id in UNITS:
        names = moodle_units(unit_id)
        assert all(" " not in n for n in names)
        assert len(names) == len(set(names))
    assert moodle_units("mg/day")[0] == "mg/day"
    assert "mgperday" in moodle_units("mg/day")
    assert moodle_units("day-number") == moodle_units("day")  # "10 days" for day 10


def evaluate_moodle_formula(formula: str, values: dict[str, float]) -> float:
    """A calculated answer's formula for one dataset item: ``{name}`` -> its value."""
    text = re.sub(r"\{(\w+)\}", lambda m: repr(values[m[1]]), formula)
    tree = ast.parse(text, mode="eval")
    allowed = (ast.Expression, ast.BinOp, ast.UnaryOp, ast.Constant, ast.operator, ast.USub)
    assert all(isinstance(n, allowed) for n in ast.walk(tree)), formula
    return float(eval(compile(tree, "formula", "eval"), {"__builtins__": {}}))  # noqa: S307  # checked above


def check_calculated(text: str) -> int:
    """Every dataset item: the formula gives the engine's ``calculate`` within the tolerance."""
    read = [q for q in read_moodle(text) if q["type"] == "calculated"]
    assert len(read) == len(CALCULATED)
    checked = 0
    for got, calc in zip(read, CALCULATED, strict=True):
        counts = {d["itemcount"] for d in got["datasets"].values()}
        assert len(counts) == 1, f"{calc.id}: datasets of different sizes {counts}"
        count = counts.pop()
        assert 2 <= count <= 100
        assert set(got["datasets"]) == set(re.findall(r"\{(\w+)\}", got["answers"][0]["text"]))
        answer = got["answers"][0]
        base = CASES[calc.case].main.inputs
        for n in range(1, count + 1):
            values = {name: d["items"][n] for name, d in got["datasets"].items()}
            inputs = {**base, **{calc.wildcards[w]: v for w, v in values.items()}}
            expected = calculate(calc.calculator, inputs)[calc.key]
            formula = evaluate_moodle_formula(answer["text"], values)
            if answer["tolerancetype"] == "1":  # relative
                limit = answer["tolerance"] * abs(expected)
            else:
                assert answer["tolerancetype"] == "2"  # nominal
                limit = answer["tolerance"]
            assert abs(formula - expected) <= limit + 1e-9, (
                f"{calc.id} item {n} {values}: formula {formula}, engine {expected}"
            )
            checked += 1
    return checked


def test_moodle_calculated_formula_gives_the_engines_answer_for_every_item():
    """Each item of each dataset, put in the formula, gives ``calculate``'s answer."""
    items = check_calculated(MOODLE)
    assert items >= 2 * len(CALCULATED)
    refill = next(
        q for q in read_moodle(MOODLE) if q.get("idnumber") == "calculated/refill-interval"
    )
    doses = set(refill["datasets"]["daily_dose_mcg"]["items"].values())
    concentrations = set(refill["datasets"]["concentration_mcg_per_ml"]["items"].values())
    assert len(doses) >= 4  # a range of doses and of concentrations, as asked
    assert len(concentrations) >= 2


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("({reservoir_ml} - {alarm_ml})", "({reservoir_ml} + {alarm_ml})"),
        (
            "<tolerance>0.1</tolerance>\n      <tolerancetype>2",
            "<tolerance>0</tolerance>\n      <tolerancetype>2",
        ),
    ],
    ids=["alarm-added", "no-tolerance-for-the-engines-rounding"],
)
def test_moodle_calculated_check_fails_on_a_wrong_formula_or_tolerance(old, new):
    """Control: a wrong formula, or no room for the engine's rounding to 0.1 day, is caught."""
    assert old in MOODLE
    with pytest.raises(AssertionError, match="formula"):
        check_calculated(MOODLE.replace(old, new, 1))


# --- QTI packages ---------------------------------------------------------------------------


def unzip(data: bytes) -> dict[str, bytes]:
    """The files of a zip, by name."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def check_manifest(files: dict[str, bytes]) -> dict[str, ET.Element]:
    """The manifest lists each file once, and nothing that is not in the zip."""
    manifest = xml(files["imsmanifest.xml"])
    resources = manifest.findall(f"{IMSCP}resources/{IMSCP}resource")
    listed = [f.get("href") for r in resources for f in r.findall(f"{IMSCP}file")]
    assert sorted(listed) == sorted(set(files) - {"imsmanifest.xml"}), "manifest and zip differ"
    ids = [r.get("identifier") for r in resources]
    assert len(ids) == len(set(ids)), "resource identifiers repeat"
    for resource in resources:
        for dependency in resource.findall(f"{IMSCP}dependency"):
            assert dependency.get("identifierref") in ids
    return {r.get("identifier") or "": r for r in resources}


def qti12_score(item: ET.Element, response: str) -> float:  # noqa: C901  # one branch per QTI operator
    """SCORE after QTI 1.2 ``resprocessing`` for one response to ``response1``."""
    ns = f"{{{QTI12}}}"

    def holds(node: ET.Element) -> bool:  # noqa: PLR0911  # one return per QTI operator
        tag = node.tag.removeprefix(ns)
        if tag in {"conditionvar", "and"}:
            return all(holds(c) for c in node)
        if tag == "or":
            return any(holds(c) for c in node)
        if tag == "not":
            return not holds(node[0])
        if tag == "other":
            return True
        if tag == "varequal":
            text = (node.text or "").strip()
            try:
                return float(response) == float(text)
            except ValueError:
                return response == text
        if tag in {"vargte", "varlte"}:
            value, bound = float(response), float(node.text or "nan")
            return value >= bound if tag == "vargte" else value <= bound
        raise AssertionError(f"unknown condition {tag}")

    score = 0.0
    for condition in item.iter(f"{ns}respcondition"):
        if holds(condition.find(f"{ns}conditionvar")):
            for setvar in condition.findall(f"{ns}setvar"):
                score = float(setvar.text or 0)
            if condition.get("continue") == "No":
                break
    return score


def check_qti12(data: bytes) -> int:
    """Every question once; the engine's answer scores 100, a wrong one 0; feedback present."""
    files = unzip(data)
    check_manifest(files)
    ns = f"{{{QTI12}}}"
    items = [
        item
        for name, body in sorted(files.items())
        if name != "imsmanifest.xml"
        for item in xml(body).iter(f"{ns}item")
    ]
    by_id = {item.get("ident"): item for item in items}
    assert len(by_id) == len(items) == len(QUESTIONS), "item count or identifiers"
    for case, q in QUESTIONS:
        item = by_id[item_id(case, q)]
        where = f"{case.id}/{q.id}"
        kind = item.find(f".//{ns}qtimetadatafield[{ns}fieldlabel='question_type']/{ns}fieldentry")
        assert kind is not None
        feedback = item.find(f"{ns}itemfeedback[@ident='general_fb']//{ns}mattext")
        assert feedback is not None
        assert "Answer:" in (feedback.text or "")
        if q.type == "number":
            assert kind.text == "numerical_question"
            assert qti12_score(item, repr(q.value)) == 100, f"{where}: engine's answer wrong"
            assert qti12_score(item, repr(q.rounded + q.tolerance * 0.999)) == 100, where
            assert qti12_score(item, repr(_wrong(q.value, q.tolerance))) == 0, where
        else:
            assert kind.text == "multiple_choice_question"
            labels = [r.get("ident") for r in item.iter(f"{ns}response_label")]
            assert len(labels) == len(q.options)
            scores = [qti12_score(item, label or "") for label in labels]
            assert scores == [100 if i == q.correct else 0 for i in range(1, len(labels) + 1)]
    return len(items)


def test_qti12_package_scores_every_answer_as_the_engine():
    """QTI 1.2: one item per question, scored right for the engine's answer only."""
    assert check_qti12(QTI12_ZIP) == len(QUESTIONS)


def _rezip(data: bytes, change) -> bytes:
    files = unzip(data)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, body in change(files).items():
            archive.writestr(name, body)
    return out.getvalue()


def test_qti12_check_fails_on_a_wrong_bound_or_a_missing_file():
    """Control: an upper bound far too high, or a file the manifest lists but lacks."""

    def widen(files):
        name = "oral/oral.xml"
        files[name] = files[name].replace(
            b'<varlte respident="response1">', b'<varlte respident="response1">1000', 1
        )
        return files

    with pytest.raises(AssertionError, match=r"== 0"):
        check_qti12(_rezip(QTI12_ZIP, widen))
    with pytest.raises(AssertionError, match="manifest and zip differ"):
        check_qti12(
            _rezip(QTI12_ZIP, lambda f: {k: v for k, v in f.items() if k != "oral/oral.xml"})
        )


def qti21_score(item: ET.Element, response: str | None) -> float:  # noqa: C901  # one branch per QTI operator
    """SCORE after a QTI 2.1 item's ``responseProcessing`` (the operators used here)."""
    ns = f"{{{QTI21}}}"
    declaration = item.find(f"{ns}responseDeclaration")
    assert declaration is not None
    float_type = declaration.get("baseType") == "float"
    correct = (declaration.findtext(f"{ns}correctResponse/{ns}value") or "").strip()

    def value(node: ET.Element) -> object:
        tag = node.tag.removeprefix(ns)
        if tag == "variable":
            return None if response is None else float(response) if float_type else response
        if tag == "correct":
            return float(correct) if float_type else correct
        if tag == "match":
            return value(node[0]) == value(node[1])
        if tag == "equal":
            a, b = value(node[0]), value(node[1])
            if a is None:
                return False
            mode = node.get("toleranceMode")
            if mode == "exact":
                return a == b
            assert mode == "absolute", mode
            low, high = (float(t) for t in (node.get("tolerance") or "").split())
            return b - low <= a <= b + high  # bounds included, as declared
        raise AssertionError(f"unknown operator {tag}")

    outcomes = {"SCORE": 0.0}

    def run(rules: ET.Element) -> None:
        for rule in rules:
            tag = rule.tag.removeprefix(ns)
            if tag == "setOutcomeValue":
                outcomes[rule.get("identifier") or ""] = rule.findtext(f"{ns}baseValue") or ""
            elif tag == "responseCondition":
                branch = rule.find(f"{ns}responseIf")
                assert branch is not None
                if value(branch[0]):
                    run(branch[1:])
                elif (other := rule.find(f"{ns}responseElse")) is not None:
                    run(other)

    processing = item.find(f"{ns}responseProcessing")
    assert processing is not None
    run(processing)
    assert outcomes.get("FEEDBACK") == "explanation"
    return float(outcomes["SCORE"])


def _xhtml_only(item: ET.Element) -> None:
    ns = f"{{{QTI21}}}"
    interactions = {"choiceInteraction", "simpleChoice", "textEntryInteraction"}
    for part in (item.find(f"{ns}itemBody"), item.find(f"{ns}modalFeedback")):
        assert part is not None
        for element in list(part.iter())[1:]:
            assert element.tag.startswith(ns), element.tag
            tag = element.tag.removeprefix(ns)
            assert tag in XHTML_21 | interactions, f"<{tag}> in a QTI 2.1 item"


def check_qti21(data: bytes) -> int:
    """Manifest, test and items agree; each item scores the engine's answer 1, a wrong one 0."""
    files = unzip(data)
    resources = check_manifest(files)
    ns = f"{{{QTI21}}}"
    test = xml(files["test.xml"])
    refs = {r.get("identifier"): r.get("href") for r in test.iter(f"{ns}assessmentItemRef")}
    items = {k: v for k, v in resources.items() if v.get("type") == "imsqti_item_xmlv2p1"}
    assert refs == {k: v.get("href") for k, v in items.items()}, "test and manifest differ"
    assert len(items) == len(QUESTIONS), "item count"
    sections = [s.get("title") for s in test.iter(f"{ns}assessmentSection")]
    assert sections == [s.title for s in SETS]
    for case, q in QUESTIONS:
        identifier = item_id(case, q)
        where = f"{case.id}/{q.id}"
        item = xml(files[str(PurePosixPath(refs[identifier] or ""))])
        assert item.get("identifier") == identifier
        _xhtml_only(item)
        feedback = "".join(item.find(f"{ns}modalFeedback").itertext())  # type: ignore[union-attr]
        assert "Answer:" in feedback
        assert qti21_score(item, None) == 0, f"{where}: no answer scores"
        if q.type == "number":
            assert qti21_score(item, repr(q.value)) == 1, f"{where}: engine's answer wrong"
            assert qti21_score(item, repr(q.rounded - q.tolerance * 0.999)) == 1, where
            assert qti21_score(item, repr(_wrong(q.value, q.tolerance))) == 0, where
        else:
            choices = [c.get("identifier") for c in item.iter(f"{ns}simpleChoice")]
            scores = [qti21_score(item, c) for c in choices]
            assert scores == [1 if i == q.correct else 0 for i in range(1, len(choices) + 1)]
    return len(items)


def test_qti21_package_scores_every_answer_as_the_engine():
    """QTI 2.1: an item file per question, in the test and the manifest, scored as the engine."""
    assert check_qti21(QTI21_ZIP) == len(QUESTIONS)


def test_qti21_check_fails_on_a_wrong_tolerance_or_an_unlisted_item():
    """Control: a tolerance of 1000, or an item the test does not reference, is caught."""
    name = f"items/{item_id(*NUMBERS[0])}.xml"

    def widen(files):
        files[name] = re.sub(
            rb'toleranceMode="exact"',
            b'toleranceMode="absolute" tolerance="1000 1000"',
            files[name],
        )
        return files

    with pytest.raises(AssertionError, match="== 0"):
        check_qti21(_rezip(QTI21_ZIP, widen))

    def extra(files):
        files["items/extra.xml"] = files[name]
        manifest = files["imsmanifest.xml"].decode()
        files["imsmanifest.xml"] = manifest.replace(
            "</resources>",
            '<resource identifier="extra" type="imsqti_item_xmlv2p1" href="items/extra.xml">'
            '<file href="items/extra.xml"/></resource></resources>',
        ).encode()
        return files

    with pytest.raises(AssertionError, match="test and manifest differ"):
        check_qti21(_rezip(QTI21_ZIP, extra))


def test_qti_packages_are_reproducible():
    """The same cases give the same bytes: no build time or random identifier in a package."""
    assert to_qti12(SETS, "Baclofen dosing") == QTI12_ZIP
    assert to_qti21(SETS, "Baclofen dosing") == QTI21_ZIP
    assert to_moodle_xml(SETS, "Baclofen dosing") == MOODLE


# --- the built site ----------------------------------------------------------------------------


@pytest.mark.site_build
def test_lms_exports_in_the_built_site_linked_and_offline(built_site, capsys):
    """`make site` writes each export, valid as above; the teachers' page links each one."""
    check_moodle_numerical((built_site / MOODLE_XML_FILE).read_text(encoding="utf-8"))
    check_moodle_choices((built_site / MOODLE_XML_FILE).read_text(encoding="utf-8"), capsys)
    check_calculated((built_site / MOODLE_XML_FILE).read_text(encoding="utf-8"))
    assert check_qti12((built_site / QTI12_FILE).read_bytes()) == len(QUESTIONS)
    assert check_qti21((built_site / QTI21_FILE).read_bytes()) == len(QUESTIONS)
    teachers = (built_site / "teachers" / "index.html").read_text(encoding="utf-8")
    sw = (built_site / "sw.js").read_text(encoding="utf-8")
    for path in (MOODLE_XML_FILE, QTI12_FILE, QTI21_FILE, "teaching/baclofen-cases-gift.txt"):
        assert f'href="../{path}"' in teachers, path
        assert f'"{path}"' in sw, path


# --- the blind clinical review of the LMS exports --------------------------------------------
# One check per finding (D1, W1-W7, M1-M7, minor 1-10 of the review), each with a control that
# feeds it the old behaviour or a mutated export and expects it to fail.

GIFT = to_gift(SETS, "Baclofen dosing")


def _question(case_id: str, qid: str):  # a cases_model.Question
    return next(q for q in CASES[case_id].questions if q.id == qid)


_GIFT_QUESTION = re.compile(
    r"^// .*: case (?P<case>\S+), question (?P<q>\S+)\n.*####(?P<fb>.*)\}$", re.MULTILINE
)


def gift_feedback(text: str) -> dict[str, str]:
    """Each GIFT question's general feedback (after ``####``), unescaped, by ``case/question``."""
    return {
        f"{m['case']}/{m['q']}": re.sub(r"\\(.)", lambda e: "\n" if e[1] == "n" else e[1], m["fb"])
        for m in _GIFT_QUESTION.finditer(text)
    }


def feedback_by_format(
    moodle: str = MOODLE, gift: str = GIFT, qti12: bytes = QTI12_ZIP, qti21: bytes = QTI21_ZIP
) -> dict[str, dict[str, str]]:
    """Each question's feedback (HTML text) in each format, by ``case/question``."""
    out: dict[str, dict[str, str]] = {}
    read = [q for q in read_moodle(moodle) if q["type"] in {"numerical", "multichoice"}]
    out["moodle"] = {q["idnumber"]: q["feedback"] or "" for q in read}
    out["gift"] = gift_feedback(gift)
    files12 = unzip(qti12)
    ns = f"{{{QTI12}}}"
    items12 = {
        item.get("ident"): item
        for name, body in files12.items()
        if name != "imsmanifest.xml"
        for item in xml(body).iter(f"{ns}item")
    }
    out["qti12"] = {
        f"{c.id}/{q.id}": items12[item_id(c, q)].findtext(
            f"{ns}itemfeedback/{ns}flow_mat/{ns}material/{ns}mattext"
        )
        or ""
        for c, q in QUESTIONS
    }
    files21 = unzip(qti21)
    ns21 = f"{{{QTI21}}}"
    out["qti21"] = {}
    for c, q in QUESTIONS:
        item = xml(files21[f"items/{item_id(c, q)}.xml"])
        feedback = item.find(f"{ns21}modalFeedback")
        assert feedback is not None
        text = ET.tostring(feedback, encoding="unicode")
        out["qti21"][f"{c.id}/{q.id}"] = re.sub(r"<(/?)ns0:", r"<\1", text)
    return out


FEEDBACK = feedback_by_format()


def _plain(text: str) -> str:
    """HTML as words: tags out, entities decoded, spaces collapsed."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", text))).strip()


# --- D1: no oral-to-IV calculated question; M2 and W1: the refill dataset ------------------


def check_no_unstated_warnings(calcs: tuple[Calculated, ...]) -> int:
    """Every item of every calculated question: the engine warns of nothing its stem omits."""
    checked = 0
    for calc in calcs:
        case = CASES[calc.case]
        for item in dataset(calc, case.main.inputs):
            result = calculate(
                calc.calculator, {**base_inputs(calc, case.main.inputs), **item["inputs"]}
            )
            codes = {w["code"] for w in result["warnings"]}
            assert codes <= set(calc.stated), f"{calc.id} {item['inputs']}: warns {codes}"
            for code in calc.stated:
                assert code in calc.text(), f"{calc.id}: {code} not stated in the stem"
            checked += 1
    return checked


def test_d1_calculated_items_carry_no_unstated_warning_and_no_oral_to_iv():
    """D1, M2: no oral-to-IV question; no item draws a warning the Moodle stem cannot show."""
    assert "calculated/oral-to-iv-daily" not in MOODLE
    assert all(c.calculator != "oral-to-iv" for c in CALCULATED)
    assert check_no_unstated_warnings(CALCULATED) > 0


def test_d1_control_the_old_oral_to_iv_and_2ml_alarm_items_are_caught():
    """Control: the old oral-to-IV question, and 2 mL-alarm refill items, fail the check."""
    old_iv = Calculated(
        id="oral-to-iv-daily",
        case="oral-to-iv",
        question="iv-daily",
        calculator="oral-to-iv",
        key="iv_daily_mg",
        formula="{oral_daily_mg} * 0.74",
        wildcards={"oral_daily_mg": "oral_daily_mg"},
        grid={"oral_daily_mg": (15, 20, 30, 40, 45, 60, 75, 80)},
        text=lambda: "<p>IV daily dose?</p>",
        explanation="",
        tolerance=0.1,
        tolerance_type="nominal",
        # the old rule allowed the case's own warnings
        stated=tuple(
            w["code"] for w in calculate("oral-to-iv", CASES["oral-to-iv"].main.inputs)["warnings"]
        ),
    )
    with pytest.raises(AssertionError, match="not stated in the stem"):
        check_no_unstated_warnings((old_iv,))
    refill = CALCULATED[0]
    old_refill = dataclasses.replace(
        refill, grid={**refill.grid, "alarm_ml": (2, 4)}, stated=("alarm-too-late",)
    )
    with pytest.raises(AssertionError, match="not stated in the stem"):
        check_no_unstated_warnings((old_refill,))


def check_refill_dataset(text: str) -> int:
    """M2, W1: 4 mL alarm only, intervals of at most 120 days, no 0.1 mL/day, no '2 mL' hint."""
    refill = next(q for q in read_moodle(text) if q.get("idnumber") == "calculated/refill-interval")
    data = refill["datasets"]
    count = data["alarm_ml"]["itemcount"]
    for n in range(1, count + 1):
        values = {name: d["items"][n] for name, d in data.items()}
        assert values["alarm_ml"] == 4, f"item {n}: alarm {values['alarm_ml']} mL"
        days = (values["reservoir_ml"] - values["alarm_ml"]) * values["concentration_mcg_per_ml"]
        days /= values["daily_dose_mcg"]
        assert days <= 120, f"item {n}: {days} days"
        volume = values["daily_dose_mcg"] / values["concentration_mcg_per_ml"]
        assert volume > 0.1, f"item {n}: {volume} mL/day"
    for hint in refill["hints"]:
        assert not re.search(r"\d\s*mL", hint), f"hint names a volume: {hint}"
    return count


def test_m2_w1_refill_dataset_is_clinically_sensible():
    """M2, W1: the refill-interval items and hint."""
    assert check_refill_dataset(MOODLE) >= 20


def test_m2_w1_control_the_old_dataset_and_hint_fail(monkeypatch):
    """Control: the old grid (2 and 4 mL, every interval) and the case's '2 mL' hint fail."""
    refill = CALCULATED[0]
    old = dataclasses.replace(
        refill, grid={**refill.grid, "alarm_ml": (2, 4)}, stated=("alarm-too-late",), keep=None
    )
    monkeypatch.setattr(lms_moodle, "CALCULATED", (old, *CALCULATED[1:]))
    with pytest.raises(AssertionError, match="alarm 2"):
        check_refill_dataset(to_moodle_xml(SETS))
    hinted = dataclasses.replace(refill, hints=None)  # the case's hint: "when 2 mL are left"
    monkeypatch.setattr(lms_moodle, "CALCULATED", (hinted, *CALCULATED[1:]))
    with pytest.raises(AssertionError, match="hint names a volume"):
        check_refill_dataset(to_moodle_xml(SETS))


# --- W6: Moodle unit spellings --------------------------------------------------------------


def _micro(name: str) -> list[str]:
    return [name, name.replace("µ", "μ"), name.replace("μ", "µ")]


def check_unit_spellings(units_for) -> None:  # a moodle_units-like function
    """Each site spelling in lower, upper and as written, with either micro, is listed.

    A sample: the units of every number question that grades its unit, and the review's own
    examples (scored 0 by Moodle but accepted by the site before the fix).
    """
    asked = sorted({q.unit for _, q in QUESTIONS if q.type == "number" and q.unit})
    for unit_id in asked:
        unit = UNITS[unit_id.replace("day-number", "day")]
        names = set(units_for(unit_id))
        for spelling in (unit.id, unit.label, *unit.aliases):
            bare = spelling.replace(" ", "")
            for form in {bare, bare.lower(), bare.upper()}:
                for variant in _micro(form):
                    assert variant in names, f"{unit_id}: {variant!r} missing"
        # Every listed name is one the site accepts for this unit (no stray spelling).
        accepted = {normalize_unit(s) for s in unit.spellings()}
        assert {normalize_unit(n) for n in names} <= accepted, unit_id
    examples = {
        "mL/day": ("mL/d", "mL/24h", "ML/DAY"),
        "mL/min": ("mL/minute",),
        "mg/day": ("MG/DAY", "Mg/Day"),
        "mcg/hour": ("mcg/Hr", "MCG/H", "μg/h", "µg/hr"),
        "mcg/day": ("μg/day", "µg/day", "ug/DAY"),
    }
    for unit_id, spellings in examples.items():
        for spelling in spellings:
            assert spelling in units_for(unit_id), f"{unit_id}: {spelling!r} missing"


def test_w6_moodle_units_hold_the_sites_spellings_in_every_case():
    """W6: the Moodle unit lists hold the case and micro variants of every site spelling."""
    check_unit_spellings(moodle_units)


def test_w6_control_the_old_unit_lists_fail():
    """Control: the old lists (each spelling and its lower case only) miss variants."""

    def old(unit_id: str) -> list[str]:
        unit = UNITS[unit_id]
        if unit.before:
            unit = UNITS[unit.before]
        names: list[str] = []
        for spelling in (unit.id, unit.label, *unit.aliases):
            for form in (spelling, spelling.lower()):
                name = form.replace(" ", "")
                if name and name not in names:
                    names.append(name)
        return names

    with pytest.raises(AssertionError, match="missing"):
        check_unit_spellings(old)


def test_w6_moodle_grades_the_reviews_spellings_right():
    """W6 in Moodle's own grading: '0.8 mL/d' and '100 μg/day' score the mark."""
    read = {q["idnumber"]: q for q in read_moodle(MOODLE) if q["type"] == "numerical"}
    assert moodle_grade(read["itb-refill-alarm/volume"], "0.8 mL/d") == 1
    assert moodle_grade(read["itb-refill-alarm/volume"], "0.8 ML/24H") == 1
    assert moodle_grade(read["itb-first-dose/daily"], "100 μg/day") == 1
    assert moodle_grade(read["itb-first-dose/hourly"], "4.17 mcg/Hr") == 1
    assert moodle_grade(read["itb-first-dose/daily"], "100 mg/day") == 0  # control


# --- W5, M4, minor 9: option text, not a letter; shuffled ----------------------------------


_LETTER = re.compile(r"Answer: [A-H]\.")


def check_choice_feedback(feedback: dict[str, dict[str, str]]) -> None:
    """Every choice question in every format: the right option's text, and no letter."""
    for fmt, by_id in feedback.items():
        for case, q in CHOICES:
            text = by_id[f"{case.id}/{q.id}"]
            where = f"{fmt} {case.id}/{q.id}"
            assert not _LETTER.search(_plain(text)), f"{where}: a letter in the feedback"
            right = _plain(option_html(q.options[q.correct - 1]))
            assert f"Answer: {right}" in _plain(text), f"{where}: right option's text missing"


def test_w5_choice_feedback_names_the_option_by_its_text():
    """W5, M4, minor 9: GIFT, Moodle XML, QTI 1.2 and 2.1 feedback give the option's text."""
    check_choice_feedback(FEEDBACK)


def test_w5_control_a_lettered_feedback_fails():
    """Control: the old "Answer: B. ..." feedback is caught."""
    _, q = CHOICES[0]
    letter = chr(ord("A") + q.correct - 1)
    right = option_html(q.options[q.correct - 1])
    broken = MOODLE.replace(f"Answer: {right}", f"Answer: {letter}. {right}", 1)
    assert broken != MOODLE
    with pytest.raises(AssertionError, match="a letter in the feedback"):
        check_choice_feedback(feedback_by_format(moodle=broken))


def check_shuffled(moodle: str, qti12: bytes, qti21: bytes) -> None:
    """M4: shuffling is on wherever the format has a switch for it."""
    for question in xml(moodle).findall("question[@type='multichoice']"):
        assert question.findtext("shuffleanswers") == "1", "Moodle multichoice not shuffled"
    ns = f"{{{QTI12}}}"
    for name, body in unzip(qti12).items():
        if name != "imsmanifest.xml":
            for render in xml(body).iter(f"{ns}render_choice"):
                assert render.get("shuffle") == "Yes", "QTI 1.2 choice not shuffled"
    ns21 = f"{{{QTI21}}}"
    found = 0
    for name, body in unzip(qti21).items():
        if PurePosixPath(name).parent.name == "items":
            for interaction in xml(body).iter(f"{ns21}choiceInteraction"):
                assert interaction.get("shuffle") == "true", "QTI 2.1 choice not shuffled"
                found += 1
    assert found == len(CHOICES)


def test_m4_choices_are_shuffled_in_every_format():
    """M4: Moodle XML, QTI 1.2 and QTI 2.1 shuffle the options (GIFT: Moodle's default)."""
    check_shuffled(MOODLE, QTI12_ZIP, QTI21_ZIP)


def test_m4_control_unshuffled_fails():
    """Control: the old Moodle ``shuffleanswers`` false is caught."""
    broken = MOODLE.replace(
        "<shuffleanswers>1</shuffleanswers>", "<shuffleanswers>false</shuffleanswers>"
    )
    with pytest.raises(AssertionError, match="not shuffled"):
        check_shuffled(broken, QTI12_ZIP, QTI21_ZIP)


# --- M3: the analysis and the case's sources in the feedback --------------------------------


def check_analysis_and_sources(feedback: dict[str, dict[str, str]]) -> None:
    """Each case's sources in every question's feedback; its analysis in the last question's."""
    for fmt, by_id in feedback.items():
        for case in CASES.values():
            sources = _plain(lms_sources([t for _, t in case.texts()]))
            for q in case.questions:
                text = _plain(by_id[f"{case.id}/{q.id}"])
                assert sources in text, f"{fmt} {case.id}/{q.id}: the case's sources missing"
            if case.analysis is not None:
                last = _plain(by_id[f"{case.id}/{case.questions[-1].id}"])
                for part in (
                    case.analysis.incident,
                    case.analysis.error,
                    *case.analysis.prevention,
                ):
                    assert _plain(lms_html(part)) in last, f"{fmt} {case.id}: analysis missing"


def test_m3_feedback_carries_the_analysis_and_the_case_sources():
    """M3: in every format."""
    check_analysis_and_sources(FEEDBACK)


def test_m3_control_the_old_feedback_fails():
    """Control: feedback with only the question's own sources (the old rule) is caught."""
    old = {fmt: dict(by_id) for fmt, by_id in FEEDBACK.items()}
    case = CASES["flex-per-hour"]
    q = case.questions[0]
    old["gift"][f"{case.id}/{q.id}"] = lms_sources([case.narrative, q.prompt, q.explanation])
    with pytest.raises(AssertionError, match="sources missing"):
        check_analysis_and_sources(old)
    old = {fmt: dict(by_id) for fmt, by_id in FEEDBACK.items()}
    last = case.questions[-1]
    old["qti21"][f"{case.id}/{last.id}"] = lms_sources([t for _, t in case.texts()])
    with pytest.raises(AssertionError, match="analysis missing"):
        check_analysis_and_sources(old)


# --- M1: the unit typing note; minor 3, 5: shown answers and wording ----------------------


def check_moodle_stems(text: str) -> None:
    """M1: a Moodle number question that grades its unit says to type the number and unit."""
    for q in read_moodle(text):
        if q["type"] == "numerical" and q["unitgradingtype"] == 1:
            assert "type the number and then the unit" in q["text"], q["idnumber"]
        if q["type"] == "calculated" and q["unitgradingtype"] == 1:
            assert "type the number and then the unit" in q["text"], q["idnumber"]


def test_m1_moodle_stems_say_how_to_type_a_graded_unit():
    """M1."""
    check_moodle_stems(MOODLE)


def test_m1_control_a_stem_without_the_note_fails():
    """Control: the old stems ("Answer in mg/day.") are caught."""
    broken = MOODLE.replace(
        ": type the number and then the unit (a number alone scores nothing)", ""
    )
    with pytest.raises(AssertionError):
        check_moodle_stems(broken)


def check_shown_answers(text: str) -> None:
    """Minor 3, 5: Moodle shows no more decimals than the key; no garbled tolerance sentence."""
    read = {q["idnumber"]: q for q in read_moodle(text) if q["type"] == "numerical"}
    for case, q in QUESTIONS:
        if q.type == "number":
            shown = read[f"{case.id}/{q.id}"]["answers"][0]["text"]
            decimals = len(shown.partition(".")[2])
            assert decimals <= q.places, f"{case.id}/{q.id}: {shown} shown"
    assert "of the answer of it" not in text


def test_minor3_shown_answers_are_the_keys():
    """Minor 3 (1.8 %, not 1.785714 %) and minor 5 (the daily-volume sentence)."""
    check_shown_answers(MOODLE)


def test_minor3_control_unrounded_answers_fail():
    """Control: the old unrounded 1.785714 is caught."""
    q = _question("refill-shortfall-handled", "shortfall-percent")
    old = f"<text>{format_number(q.value, 6)}</text>"
    broken = MOODLE.replace(f"<text>{format_number(q.rounded, 6)}</text>", old)
    assert old in broken
    with pytest.raises(AssertionError, match="shown"):
        check_shown_answers(broken)


# --- case texts: W2, W3, W4, W7, M6, M7, minor 2, 4, 7, 8, 10 ----------------------------


def test_w2_w3_stems_state_the_reservoir_and_alarm():
    """W2, W3: the stems give the volumes their answers need."""
    assert "20 mL" in CASES["unbridged-concentration"].narrative
    assert "2 mL" in CASES["unbridged-concentration"].narrative
    assert "2 mL" in CASES["concentration-mismatch"].narrative


def test_w4_first_step_stem_states_the_rule_and_needs_no_calculator():
    """W4: the schedule's rule is in the stem; no "open the calculator" in an LMS."""
    prompt = _question("abrupt-stop", "first-step").prompt
    assert "open the case" not in prompt
    # The rule a student can follow to the key: steps of 10 mg/day, the stop on day 15
    # (the re-check review: "five equal cuts" read as 12 mg each).
    assert "steps of 10 mg a day" in prompt
    assert "day 15" in prompt
    assert "five equal cuts" not in prompt


@pytest.mark.parametrize(
    ("case_id", "qid", "typed"),
    [("itb-first-dose", "hourly", 4.2), ("kidney-toxicity", "reduction", 67.0)],
)
def test_w7_minor2_rounded_answers_score_in_every_format(case_id, qid, typed):
    """W7, minor 2: 4.2 mcg/hour and 67% score right in Moodle, QTI 1.2 and QTI 2.1."""
    case, q = CASES[case_id], _question(case_id, qid)
    moodle = next(m for m in read_moodle(MOODLE) if m.get("idnumber") == f"{case_id}/{qid}")
    label = UNITS[q.unit].label
    assert moodle_grade(moodle, f"{typed} {label}") == 1
    assert abs(typed - q.rounded) <= q.tolerance
    ns = f"{{{QTI12}}}"
    items = {
        i.get("ident"): i
        for name, body in unzip(QTI12_ZIP).items()
        if name != "imsmanifest.xml"
        for i in xml(body).iter(f"{ns}item")
    }
    assert qti12_score(items[item_id(case, q)], repr(typed)) == 100
    item21 = xml(unzip(QTI21_ZIP)[f"items/{item_id(case, q)}.xml"])
    assert qti21_score(item21, repr(typed)) == 1
    assert qti21_score(item21, repr(typed + 1)) == 0  # control


def test_m6_m7_minor_texts():
    """M6, M7, minor 7, 8, 10: the case texts the review flagged."""
    texts = {(c.id, where): t for c in CASES.values() for where, t in c.texts()}
    assert not any("nearly empty" in t for t in texts.values())  # M6
    # The re-check review: after the aspiration the reservoir is empty, so no "days above
    # the alarm" may be claimed for it.
    shortfall = " ".join(t for (cid, _), t in texts.items() if cid == "refill-shortfall-handled")
    assert "days above" not in shortfall
    assert "reservoir is now empty" in shortfall
    for (cid, where), text in texts.items():  # M7: the 3.8 mL study's caveat
        if "3.8" in text and "explanation" in where:
            # Not all its pumps held baclofen, and symptoms did not correlate with the drug
            # (the sixth review: "various drugs" alone read as a reason to discount the study).
            assert "did not correlate with the drug in the pump" in " ".join(text.split()), (
                cid,
                where,
            )
    for name in (r"\bMs R\.", r"\bM[rs] T\."):  # minor 7, and no Ms T. beside Mr T.
        patients = [c.id for c in CASES.values() if re.search(name, c.narrative)]
        assert len(patients) <= 1, patients
    paced = _question("oral-wean-after-pump", "paced-by").options[0]  # minor 8
    stop = int(_question("oral-wean-after-pump", "stop-day").value)
    assert f"stop on day {stop}" in paced
    reduction = _question("kidney-toxicity", "reduction").prompt  # minor 10
    assert "recommend" in reduction
    assert "was the dose reduced" not in reduction


def test_minor4_no_status_marker_left_in_any_export():
    """Minor 4: (R) and (D) are spelled out; the site's pages are named as the site's."""
    for text in (MOODLE, GIFT, *(b.decode() for b in unzip(QTI12_ZIP).values())):
        plain = _plain(text)
        assert "(R)" not in plain
        assert "(D)" not in plain
        assert not re.search(r"(?<!site's )Pump clinic page", plain)
        assert not re.search(r"(?<!site's )emergencies sheet", plain)
        assert "this repository" not in plain


def test_minor4_control_a_marker_is_caught():
    """Control: the case texts themselves still hold (R), which the export spells out."""
    raw = " ".join(t for c in CASES.values() for _, t in c.texts())
    assert "(R)" in raw
    assert "(R)" not in _plain(lms_html("A label quote (R) [@label-gablofen]."))


def test_lms_html_citations_are_plain_numbers_rendered_so():
    """The export renders a citation group as ``[4, 9]`` text: no link, anchor or superscript."""
    keys = sorted(SOURCES, key=citation_number)[:2]
    text = f"One [@{keys[0]}], two [@{keys[1]}; @{keys[0]}]."
    numbers = [citation_number(k) for k in keys]
    out = lms_html(text)
    assert out == f"<p>One [{numbers[0]}], two [{numbers[0]}, {numbers[1]}].</p>"
    # Control: the site's own rendering of the same text links each number.
    site = markdown.Markdown(extensions=["sitebuild.citations"]).convert(text)
    assert site.count('<sup class="cite">') == 2
    assert site.count('role="doc-biblioref"') == 3
