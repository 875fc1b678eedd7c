"""The teaching cases: case files read strictly, rendered at build time, exported to GIFT.

Unit tests render Markdown with ``sitebuild.cases_blocks`` directly; the ``site_build`` ones build
small sites with ``mkdocs build --strict`` to show that a bad case stops the build with a
message naming the case file.
"""

from __future__ import annotations

import json
import re
import textwrap
from html.parser import HTMLParser
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlsplit

import markdown
import pytest
from sitekit import REPO, build_site

from calculators import calculate
from calculators.spec import format_number
from sitebuild import SiteBuildError
from sitebuild.cases_model import UNITS, CaseError, evaluate, load_all, load_set, normalize_unit
from sitebuild.cases_blocks import check_citations, load_sets
from sitebuild.lms_gift import gift_category, gift_escape, to_gift
from sitebuild.pipeline import calculator_pages

if TYPE_CHECKING:
    from pathlib import Path

DOCS = REPO / "docs"
SETS = load_sets(DOCS / "cases")
PAGES = calculator_pages(DOCS)
# The address the printed sheets' QR codes name (the build takes it from mkdocs.yml's site_url).
SITE_URL = "http://127.0.0.1:8000/"


def render(set_id: str, page: str | None = None) -> str:
    """The set's page as the build renders it (before MkDocs rewrites the links)."""
    page = page or f"teaching/{set_id}.md"
    md = markdown.Markdown(
        extensions=[
            "tables",
            "toc",
            "sitebuild.citations",
            "sitebuild.constants_ext",
            "sitebuild.cases_blocks",
        ],
        extension_configs={
            "sitebuild.cases_blocks": {
                "page": page,
                "sets": SETS,
                "calculator_pages": PAGES,
                "site_url": SITE_URL,
            },
            "sitebuild.citations": {"page": page},
        },
    )
    return md.convert(f"# Cases\n\n/// cases | {set_id}\n///\n")


class _Questions(HTMLParser):
    """Each question's ``data-question`` -> parsed ``data-answer``; every case link."""

    def __init__(self) -> None:
        super().__init__()
        self.answers: dict[str, dict] = {}
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "li" and a.get("data-question"):
            self.answers[a["data-question"] or ""] = json.loads(a.get("data-answer") or "")
        if tag == "a" and "case-calculator-link" in (a.get("class") or ""):
            self.links.append(a.get("href") or "")


def parsed(html: str) -> _Questions:
    """The questions and links of rendered HTML."""
    parser = _Questions()
    parser.feed(html)
    return parser


def write_case(tmp_path: Path, body: str, name: str = "demo.toml") -> Path:
    """A case file with one set header and ``body`` (TOML for one or more cases)."""
    path = tmp_path / name
    path.write_text(
        '[set]\ntitle = "Demo"\nsummary = "Demo."\nminutes = 5\norder = 1\n\n'
        + textwrap.dedent(body),
        encoding="utf-8",
    )
    return path


REFILL_CASE = """\
    [[case]]
    id = "refill"
    title = "Refill"
    kind = "calculation"
    calculator = "itb-refill"
    narrative = "A pump [@boster2016]."

    [case.inputs]
    daily_dose_mcg = 400
    concentration_mcg_per_ml = 500
    reservoir_ml = 20
    alarm_ml = 2

    [[case.question]]
    id = "volume"
    prompt = "Daily volume?"
    answer = "ANSWER"
    unit = "UNIT"
    tolerance = TOLERANCE
    places = 2
    check = CHECK
    explanation = "400 / 500."
"""


def refill(answer="daily_volume_ml", unit="mL/day", tolerance="0.01", check="0.8") -> str:
    """The refill case with one question's fields replaced."""
    return (
        REFILL_CASE.replace("ANSWER", answer)
        .replace("UNIT", unit)
        .replace("TOLERANCE", tolerance)
        .replace("CHECK", check)
    )


# --- reading case files -----------------------------------------------------------------------


def test_cases_demo_file_loads_and_computes_with_the_engine(tmp_path):
    """A good file loads; its answer is the engine's value (400 mcg/day at 500 mcg/mL)."""
    case_set = load_set(write_case(tmp_path, refill()))
    question = case_set.cases[0].questions[0]
    engine = calculate(
        "itb-refill",
        {"daily_dose_mcg": 400, "concentration_mcg_per_ml": 500, "reservoir_ml": 20, "alarm_ml": 2},
    )
    assert question.value == engine["daily_volume_ml"]
    assert question.shown == "0.8\N{NO-BREAK SPACE}mL/day"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            refill(answer="daily_volume"),
            r"has no key 'daily_volume'\. Did you mean 'daily_volume_ml'",
        ),
        (refill(check="0.9"), r"engine computes 0\.8 .* hand-worked 'check' is 0\.9"),
        (refill(unit="mL"), r"unit 'mL', but the calculator gives 'daily_volume_ml' in 'mL/day'"),
        (refill(unit="ml/d"), r"unknown unit 'ml/d'"),
        (refill(answer="len(warnings)"), r"uses Call; an expression may use only numbers"),
        (refill(answer="const.NOT_A_CONSTANT"), r"unknown constant 'NOT_A_CONSTANT'"),
        (
            refill(answer="daily_volume_ml / 3", check="0.2667", tolerance="0"),
            r"the answer shown, 0\.27, is .* more than the tolerance 0",
        ),
        (
            refill().replace("alarm_ml = 2", "alarm_ml = 99"),
            r"engine refused the inputs of 'itb-refill': alarm_ml: .*between 0\.5 and 10",
        ),
        (
            refill().replace('kind = "calculation"', 'kind = "spot-the-error"'),
            r"a spot-the-error case needs \[case\.analysis\]",
        ),
        (
            refill().replace('narrative = "A pump', 'narative = "A pump'),
            r"unknown key 'narative'\. Did you mean 'narrative'",
        ),
        (
            refill().replace('calculator = "itb-refill"', 'calculator = "itb-refil"'),
            r"unknown calculator 'itb-refil'\. Did you mean 'itb-refill'",
        ),
    ],
    ids=[
        "unknown-key",
        "check-disagrees",
        "unit-disagrees-with-spec",
        "unknown-unit",
        "call-refused",
        "unknown-constant",
        "tolerance-below-rounding",
        "engine-input-error",
        "spot-the-error-without-analysis",
        "misspelt-field",
        "unknown-calculator",
    ],
)
def test_cases_bad_file_names_file_case_and_problem(tmp_path, body, message):
    """Each kind of bad case is a CaseError naming the file, the case and what is wrong."""
    path = write_case(tmp_path, body)
    with pytest.raises(CaseError, match=message) as info:
        load_set(path, "docs/cases/demo.toml")
    assert str(info.value).startswith("docs/cases/demo.toml: case 'refill'")


def test_cases_duplicate_ids_across_files_are_refused(tmp_path):
    """A case id used in two files is an error naming both."""
    write_case(tmp_path, refill(), "a.toml")
    write_case(tmp_path, refill(), "b.toml")
    with pytest.raises(CaseError, match=r"b\.toml: case id 'refill' is already used in .*a\.toml"):
        load_all(tmp_path)


def test_cases_unknown_citation_names_the_case_file(tmp_path):
    """The citation extension's own key check runs on case texts, naming file and case."""
    write_case(tmp_path, refill().replace("[@boster2016]", "[@boster2061]"))
    sets = load_all(tmp_path, "docs/cases")
    with pytest.raises(
        SiteBuildError,
        match=r"docs/cases/demo\.toml: case 'refill', narrative: unknown source key "
        r"'boster2061'.*Did you mean 'boster2016'",
    ):
        check_citations(sets[0])


def test_cases_expression_reads_named_runs_and_constants():
    """``<run>.path`` reads another run; ``const.NAME`` a constant; arithmetic on both."""
    case = next(c for s in SETS for c in s.cases if c.id == "unbridged-concentration")
    runs = {run.name: run for run in case.runs}
    before = calculate("itb-refill", runs["before"].inputs)
    after = calculate("itb-refill", runs["after"].inputs)
    main = calculate(case.main.calculator, case.main.inputs)
    assert evaluate("before.daily_volume_ml", runs, "t") == before["daily_volume_ml"]
    assert evaluate("after.days_to_alarm - before.days_to_alarm", runs, "t") == pytest.approx(
        after["days_to_alarm"] - before["days_to_alarm"]
    )
    assert evaluate("-change_percent", runs, "t") == -main["change_percent"]
    assert evaluate("const.PUMP_ALARM_ML_DEFAULT * 2", runs, "t") == 4


def test_cases_units_cover_what_the_questions_use():
    """Every question and step unit is a known unit, and each spelling maps to one unit."""
    spellings = [s for u in UNITS.values() for s in u.spellings() if s]
    assert len(spellings) == len(set(spellings))
    for case_set in SETS:
        for case in case_set.cases:
            for q in case.questions:
                assert q.type == "choice" or q.unit in UNITS
            for step in case.steps:
                assert step.unit in UNITS


def test_cases_rates_read_every_spelling_of_amount_and_time():
    """µg/hr, ug/hr, mcg/hr and µg/h all name mcg/hour (QA D19), as every amount/time pair does."""
    by_spelling = {s: u.id for u in UNITS.values() for s in u.spellings() if s}
    for typed in ("µg/hr", "ug/hr", "mcg/hr", "µg/h", "μg/hour", "micrograms per hour"):
        assert by_spelling.get(normalize_unit(typed)) == "mcg/hour", typed
    for typed in ("µg/24 h", "ug/d", "mcg daily"):
        assert by_spelling.get(normalize_unit(typed)) == "mcg/day", typed
    for typed in ("milligrams/hr", "mg an hour"):
        assert by_spelling.get(normalize_unit(typed)) == "mg/hour", typed
    assert by_spelling.get(normalize_unit("ug/hr")) != "mcg/day"  # the control: ids differ


def test_cases_day_number_is_shown_and_asked_as_a_day():
    """An "on which day" answer is shown "day 10" and asks for the day's number, not days."""
    q = next(q for s in SETS for c in s.cases for q in c.questions if q.id == "target-day")
    assert q.unit == "day-number"
    assert q.shown == f"day\N{NO-BREAK SPACE}{format_number(q.value, 0)}"
    assert UNITS[q.unit].note == "Answer with the day's number"
    assert UNITS["mg/day"].note == "Answer in mg/day"


# --- rendering ----------------------------------------------------------------------------------


@pytest.mark.parametrize("case_set", SETS, ids=[s.id for s in SETS])
def test_cases_render_every_question_with_the_engines_answer(case_set):
    """Each question is in the page with the answer its calculator computes."""
    html = render(case_set.id)
    found = parsed(html)
    for case in case_set.cases:
        assert f'<section class="case case--{case.kind}" data-case="{case.id}"' in html
        for q in case.questions:
            data = found.answers[f"{case.id}/{q.id}"]
            if q.type == "number":
                assert data["value"] == pytest.approx(q.value)
                assert data["unit"] == q.unit
                assert data["tolerance"] == q.tolerance
            else:
                assert data == {"type": "choice", "correct": q.correct, "count": len(q.options)}
    # Without JavaScript the answers are there, in closed <details>.
    assert html.count('<details class="case-key case-answer">') == sum(
        len(c.questions) for c in case_set.cases
    )
    assert "<script" not in html


@pytest.mark.parametrize("case_set", SETS, ids=[s.id for s in SETS])
def test_cases_calculator_link_reproduces_the_case(case_set):
    """Each link's query, fed back to ``calculate``, gives the case's own result."""
    found = parsed(render(case_set.id))
    runs = [run for case in case_set.cases for run in case.runs if not run.hidden]
    assert len(found.links) == len(runs)
    for href, run in zip(found.links, runs, strict=True):
        parts = urlsplit(href)
        assert parts.fragment == f"calculator-{run.calculator}"
        assert parts.path == "../" + PAGES[run.calculator]
        inputs = {}
        for key, value in parse_qsl(parts.query):
            calc_id, _, field = key.partition(".")
            assert calc_id == run.calculator
            inputs[field] = value
        assert calculate(run.calculator, inputs) == run.result


def test_cases_worked_steps_show_each_value_with_its_unit():
    """A worked case lists every step's engine value with its unit."""
    html = render("intrathecal")
    case = next(c for s in SETS for c in s.cases if c.id == "itb-refill-alarm")
    engine = calculate("itb-refill", case.main.inputs)
    assert case.steps[0].expression == "daily_volume_ml"
    shown = f"{engine['daily_volume_ml']:g}\N{NO-BREAK SPACE}mL/day"
    assert f'<td class="case-step-value">{shown}</td>' in html


def test_cases_block_refuses_wrong_page_unknown_set_and_content():
    """The block belongs on its set's page, names a known set and holds nothing."""
    with pytest.raises(SiteBuildError, match=r"belongs on 'teaching/oral\.md'"):
        render("oral", page="teaching/intrathecal.md")
    with pytest.raises(SiteBuildError, match=r"unknown case set 'orall'"):
        render("orall", page="teaching/orall.md")
    md = markdown.Markdown(
        extensions=["sitebuild.citations", "sitebuild.constants_ext", "sitebuild.cases_blocks"],
        extension_configs={
            "sitebuild.cases_blocks": {
                "page": "teaching/oral.md",
                "sets": SETS,
                "calculator_pages": PAGES,
                "site_url": SITE_URL,
            }
        },
    )
    with pytest.raises(SiteBuildError, match="takes no content"):
        md.convert("/// cases | oral\nsomething\n///\n")


# --- GIFT export --------------------------------------------------------------------------------

_UNESCAPED = re.compile(r"(?<!\\)((?:\\\\)*)([~=#{}:])")


def gift_unescape(text: str) -> str:
    r"""Undo :func:`gift_escape` (``\n`` back to a newline, ``\x`` back to ``x``)."""
    out, i = [], 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            out.append("\n" if text[i + 1] == "n" else text[i + 1])
            i += 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def split_unescaped(text: str, char: str) -> list[str]:
    """Split at ``char`` where it is not escaped by a backslash."""
    parts, current, i = [], [], 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            current.append(text[i : i + 2])
            i += 2
            continue
        if text.startswith(char, i):
            parts.append("".join(current))
            current = []
            i += len(char)
            continue
        current.append(text[i])
        i += 1
    parts.append("".join(current))
    return parts


def parse_gift(text: str) -> list[dict]:
    """A strict reader of the GIFT subset the export writes; fails on any syntax slip.

    Questions are separated by blank lines; ``//`` lines are comments; ``$CATEGORY:`` lines
    stand alone. A question is ``::title::[html]text {answers}``, where title and text hold
    no unescaped ``~ = # { } :``, and answers are ``#value:tolerance ####feedback`` or
    ``=right ~wrong ... ####feedback``.
    """
    questions = []
    for block in text.split("\n\n"):
        lines = [ln for ln in block.split("\n") if ln and not ln.startswith("//")]
        if not lines:
            continue
        if lines[0].startswith("$CATEGORY: "):
            assert len(lines) == 1, block
            continue
        assert len(lines) == 1, f"a question spans lines: {block!r}"
        line = lines[0]
        match = re.fullmatch(
            r"::(?P<title>.*?)(?<!\\)::\[html\](?P<text>.*) \{(?P<answers>.*)\}", line
        )
        assert match, line
        for part in ("title", "text"):
            assert not _UNESCAPED.search(match[part]), f"unescaped special in {part}: {line}"
        answers, _, feedback = match["answers"].partition(" ####")
        assert not _UNESCAPED.search(feedback.replace("", "")), feedback
        q = {
            "title": gift_unescape(match["title"]),
            "text": gift_unescape(match["text"]),
            "feedback": gift_unescape(feedback),
        }
        if answers.startswith("#"):
            value, colon, tolerance = answers[1:].partition(":")
            assert colon, answers
            q.update(type="number", value=float(value), tolerance=float(tolerance))
        else:
            options = re.findall(r"(?<!\\)([=~])((?:\\.|[^=~\\])*)", answers)
            assert options, answers
            assert "".join(m + o for m, o in options).replace(" ", "") == answers.replace(" ", "")
            q.update(
                type="choice",
                options=[gift_unescape(o.strip()) for _, o in options],
                correct=[i for i, (m, _) in enumerate(options, 1) if m == "="],
            )
        questions.append(q)
    return questions


def test_gift_escape_round_trips_every_special_character():
    """``~ = # { } :``, the backslash and newlines survive escaping and unescaping."""
    text = "a ~ b = c # d { e } f : g \\ h\nnext line"
    escaped = gift_escape(text)
    assert "\n" not in escaped
    assert not _UNESCAPED.search(escaped)
    assert gift_unescape(escaped) == text


def test_gift_export_parses_and_matches_every_question():
    """The export has one well-formed GIFT question per case question, with its answer."""
    questions = parse_gift(to_gift(SETS, "Baclofen dosing"))
    expected = [(c, q) for s in SETS for c in s.cases for q in c.questions]
    assert len(questions) == len(expected)
    for got, (case, q) in zip(questions, expected, strict=True):
        assert got["type"] == q.type
        assert got["title"].startswith(f"{case.id} ")
        assert case.title.replace("'", "&#x27;") in got["text"] or case.title in got["text"]
        if q.type == "number":
            # The key's rounded answer (shown as right); the engine's value within tolerance.
            assert got["value"] == pytest.approx(q.rounded, abs=1e-6)
            assert abs(q.value - got["value"]) <= got["tolerance"] + 1e-9
            assert got["tolerance"] == pytest.approx(q.tolerance)
            assert f"{UNITS[q.unit].note} (number only)" in got["text"] or q.unit == ""
        else:
            assert got["correct"] == [q.correct]
            assert len(got["options"]) == len(q.options)
        assert "Answer:" in got["feedback"]
        # Citations become plain numbers; no link back to a page Moodle cannot reach.
        assert "href=" not in got["text"] + got["feedback"]


def moodle_categories(text: str) -> list[list[str]]:
    r"""Each ``$CATEGORY:`` path as Moodle's GIFT reader would name its levels.

    After Moodle's reading (``question/format/gift/format.php``, ``readquestion``): the escapes
    ``\: \# \= \{ \} \~`` are swapped for placeholders first, and a ``$CATEGORY:``
    line is then taken as it stands, the placeholders left in; the path is split at single
    ``/`` and ``//`` stands for ``/``.
    """
    placeholders = {
        "\\:": "&&058;",
        "\\#": "&&035;",
        "\\=": "&&061;",
        "\\{": "&&123;",
        "\\}": "&&125;",
        "\\~": "&&126;",
    }
    paths = []
    for raw in text.splitlines():
        line = raw
        for escaped, placeholder in placeholders.items():
            line = line.replace(escaped, placeholder)
        if line.startswith("$CATEGORY:"):
            path = line[len("$CATEGORY:") :].strip()
            paths.append([p.replace("//", "/") for p in re.split(r"(?<!/)/(?!/)", path)])
    return paths


def test_gift_categories_reach_moodle_as_titled():
    """QA D16: each category is named as its case set, with no "&&058;" for an escaped ":"."""
    paths = moodle_categories(to_gift(SETS, "Baclofen dosing"))
    assert paths == [["$course$", "Baclofen dosing", s.title] for s in SETS]
    assert any(":" in s.title for s in SETS)  # the case that once came out as "&&058;"


def test_gift_category_reader_sees_an_escaped_colon():
    """The reader can fail: an escaped ':' in a category comes out as Moodle's placeholder."""
    assert moodle_categories("$CATEGORY: $course$/A\\: b") == [["$course$", "A&&058; b"]]
    assert moodle_categories(f"$CATEGORY: $course$/{gift_category('A/B')}") == [["$course$", "A/B"]]


def test_gift_parser_rejects_an_unescaped_special():
    """The checker can fail: a raw '=' in a question text is caught."""
    bad = "::t::[html]1 = 2 {#1:0 ####x}"
    with pytest.raises(AssertionError, match="unescaped special"):
        parse_gift(bad)


# --- strict builds of small sites ---------------------------------------------------------------

CALC_PAGE = "# Pump\n\n/// calculator | itb-refill\n///\n"


def small_cases_site(tmp_path: Path, case_body: str):
    """A small site with the real case hooks and extensions, a calculator page and one set."""
    docs = tmp_path / "docs"
    (docs / "cases").mkdir(parents=True)
    (docs / "teaching").mkdir()
    (docs / "references.md").write_text("# References\n\n/// references\n///\n", encoding="utf-8")
    (docs / "pump.md").write_text(CALC_PAGE, encoding="utf-8")
    write_case(docs / "cases", case_body)
    (docs / "teaching" / "demo.md").write_text(
        "# Demo cases\n\n/// cases | demo\n///\n", encoding="utf-8"
    )
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        textwrap.dedent("""\
            site_name: Small cases site
            site_url: http://127.0.0.1:8000/
            use_directory_urls: true
            validation:
              links:
                not_found: warn
                anchors: warn
                unrecognized_links: warn
            markdown_extensions:
              - tables
              - toc
              - sitebuild.citations
              - sitebuild.constants_ext
              - sitebuild.calculator_block:
                  refs_href: ../references/
                  pyodide_index: ../assets/pyodide/
                  pyodide_lock: ../assets/lock.json
                  pyodide_package: baclofen-calculators
              - sitebuild.cases_blocks
        """),
        encoding="utf-8",
    )
    return build_site(config, tmp_path / "site")


@pytest.mark.site_build
def test_cases_small_site_builds_with_links_and_gift(tmp_path):
    """A good case builds strictly; its calculator link and the GIFT file are in the site."""
    build = small_cases_site(tmp_path, refill())
    assert build.returncode == 0, build.output
    page = (build.site_dir / "teaching" / "demo" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../pump/?itb-refill.daily_dose_mcg=400&amp;' in page
    assert "#calculator-itb-refill" in page
    gift = (build.site_dir / "teaching" / "baclofen-cases-gift.txt").read_text(encoding="utf-8")
    assert len(parse_gift(gift)) == 1
    assert not (build.site_dir / "cases").exists()  # the case files stay out of the site


@pytest.mark.site_build
@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            refill().replace("[@boster2016]", "[@nosuchkey]"),
            r"docs/cases/demo\.toml: case 'refill', narrative: unknown source key 'nosuchkey'",
        ),
        (
            refill(answer="days_to_alarm_x", unit="day", check="22.5"),
            (
                r"docs/cases/demo\.toml: case 'refill': question 1 \('volume'\): .*no key "
                r"'days_to_alarm_x'"
            ),
        ),
        (
            refill().replace("alarm_ml = 2", "alarm_ml = 0"),
            r"docs/cases/demo\.toml: case 'refill': inputs: the engine refused",
        ),
    ],
    ids=["unknown-citation", "missing-result-key", "input-error"],
)
def test_cases_bad_case_fails_the_strict_build(tmp_path, body, message):
    """An unknown citation, a missing result key or refused inputs stop the build, named."""
    build = small_cases_site(tmp_path, body)
    assert build.returncode != 0
    assert re.search(message, build.output), build.output


@pytest.mark.site_build
def test_cases_set_without_its_page_fails(tmp_path):
    """A case file with no docs/teaching/<set>.md stops the build."""
    build = small_cases_site(tmp_path, refill())
    assert build.returncode == 0, build.output
    (tmp_path / "docs" / "teaching" / "demo.md").unlink()
    build = build_site(tmp_path / "mkdocs.yml", tmp_path / "site2")
    assert build.returncode != 0
    assert "case sets without their page: teaching/demo.md" in build.output


@pytest.mark.site_build
def test_cases_real_site_pages_gift_and_offline_copy(built_site):
    """The real build has every set's page, the GIFT export, and both in the offline copy."""
    sw = (built_site / "sw.js").read_text(encoding="utf-8")
    for case_set in SETS:
        page = built_site / "teaching" / case_set.id / "index.html"
        html = page.read_text(encoding="utf-8")
        found = parsed(html)
        assert len(found.answers) == sum(len(c.questions) for c in case_set.cases)
        assert f'"teaching/{case_set.id}/index.html"' in sw
        assert '<script src="../../assets/js/page-scripts.js" type="module">' in html
    gift = built_site / "teaching" / "baclofen-cases-gift.txt"
    assert len(parse_gift(gift.read_text(encoding="utf-8"))) == sum(
        len(c.questions) for s in SETS for c in s.cases
    )
    assert '"teaching/baclofen-cases-gift.txt"' in sw
    assert '"assets/js/teaching.js"' in sw
    assert '"assets/css/teaching.css"' in sw
    index = (built_site / "teaching" / "index.html").read_text(encoding="utf-8")
    assert index.count('<a href="oral/">') == 1  # the sets table links each set
