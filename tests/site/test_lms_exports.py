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
import io
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import PurePosixPath

import pytest
from moodle_xml_parser import parser as moodle_parser
from sitekit import REPO

from calculators import calculate
from sitebuild.casedata import UNITS
from sitebuild.cases import load_sets
from sitebuild.lms import MOODLE_XML_FILE, QTI12_FILE, QTI21_FILE
from sitebuild.lms_calculated import CALCULATED
from sitebuild.lms_moodle import moodle_units, to_moodle_xml
from sitebuild.lms_qti import QTI12, QTI21, XHTML_21, item_id, to_qti12, to_qti21

SETS = load_sets(REPO / "docs" / "cases")
QUESTIONS = [(c, q) for s in SETS for c in s.cases for q in c.questions]
NUMBERS = [(c, q) for c, q in QUESTIONS if q.type == "number"]
CHOICES = [(c, q) for c, q in QUESTIONS if q.type == "choice"]
CASES = {c.id: c for s in SETS for c in s.cases}
MOODLE = to_moodle_xml(SETS, "Baclofen dosing")
QTI12_ZIP = to_qti12(SETS, "Baclofen dosing")
QTI21_ZIP = to_qti21(SETS, "Baclofen dosing")
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
