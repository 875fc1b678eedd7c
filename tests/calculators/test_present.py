"""Presentation: HTML for the site, text for the terminal, and the browser bridge (web.run)."""

import copy
import hashlib
import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import VALID_INPUTS

from calculators import CALCULATORS, calculate, web
from calculators.present import chart_svg, source_number, to_html, to_text
from calculators.sources import SOURCES

SCHEDULE_CALCULATORS = [c.id for c in CALCULATORS.values() if any(t.chart_y for t in c.tables)]


def _shown_outputs(calc_id, result):
    return [o for o in CALCULATORS[calc_id].outputs if result.get(o.key) not in (None, [], "")]


@pytest.mark.parametrize("calc_id", list(CALCULATORS))
def test_present_html_shows_every_summary_label(calc_id):
    """to_html for the defaults lists each output that has a value, by its spec label."""
    result = calculate(calc_id, {})
    html = to_html(result)
    outputs = _shown_outputs(calc_id, result)
    assert outputs
    for output in outputs:
        assert f'data-output="{output.key}"' in html
        assert f"<dt>{output.label.replace(chr(39), '&#x27;')}</dt>" in html


def test_present_schedule_calculators_are_the_expected_ones():
    """The calculators with tables: the oral schedules, the wean, the ITB ladder, two pump ones."""
    assert set(SCHEDULE_CALCULATORS) == {
        "oral-titration",
        "oral-taper",
        "itb-oral-wean",
        "itb-titration",
        "itb-concentration-change",
        "itb-flex-schedule",
    }


@pytest.mark.parametrize("calc_id", SCHEDULE_CALCULATORS)
def test_present_html_has_a_table_and_a_chart_for_schedules(calc_id):
    """to_html for a schedule calculator's defaults has a table and an inline SVG step chart.

    itb-titration's target starts empty (no ladder without one), so it is given one; so is
    itb-concentration-change's fluid-path volume (no table without it, and no default).
    """
    inputs = {
        "itb-titration": {"target_daily_mcg": 300},
        "itb-concentration-change": {"fluid_path_ml": 0.25},
    }.get(calc_id, {})
    html = to_html(calculate(calc_id, inputs))
    assert "<table>" in html
    assert "<svg" in html
    assert "<polyline" in html
    # QA D10: each sideways-scrolling box is a named region a keyboard can reach, written by
    # the engine (so the build-time result, the printout and the worker's HTML all carry it).
    boxes = re.findall(r'<div class="calc-table-scroll"([^>]*)>', html)
    assert boxes
    for attrs in boxes:
        assert 'tabindex="0"' in attrs
        assert 'role="region"' in attrs
        assert re.search(r'aria-label="[^"]+ \(scrolls sideways\)"', attrs), attrs


@pytest.mark.parametrize("calc_id", [c for c in CALCULATORS if c not in SCHEDULE_CALCULATORS])
def test_present_html_has_no_chart_without_a_schedule(calc_id):
    """Calculators with a single answer show a summary, no table and no chart."""
    html = to_html(calculate(calc_id, {}))
    assert "<table" not in html
    assert "<svg" not in html


def test_present_html_table_rows_match_the_schedule():
    """The oral-titration table has one row per step, with the label ladder's daily totals."""
    html = to_html(calculate("oral-titration", {}))
    rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>", html)
    assert [r[2] for r in rows] == ["15", "30", "45", "60"]
    assert rows[0][0] == "1\N{EN DASH}3"
    assert rows[-1][0] == "10 onward"


@pytest.mark.parametrize("calc_id", list(CALCULATORS))
def test_present_html_cites_with_reference_links(calc_id):
    """Each result source is cited as a #ref-<key> link numbered as in the bibliography."""
    result = calculate(calc_id, {})
    html = to_html(result, refs_href="../references/")
    for key in result["sources"]:
        assert f'href="../references/#ref-{key}"' in html
        assert re.search(rf'#ref-{re.escape(key)}"[^>]*>{source_number(key)}</a>', html)


def test_present_source_numbers_follow_the_bibliography():
    """source_number is the 1-based position in SOURCES, the same on every page."""
    assert [source_number(k) for k in SOURCES] == list(range(1, len(SOURCES) + 1))


def test_present_html_escapes_messages_and_notes():
    """Warning messages and notes are HTML-escaped: markup in them is shown, not run."""
    result = copy.deepcopy(calculate("itb-refill", {}))
    result["warnings"][0]["message"] = '<script>alert("x")</script> & <b>'
    result["notes"] = ["<img src=x onerror=alert(1)>"]
    html = to_html(result)
    assert "<script>" not in html
    assert "<img" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_present_html_escapes_refs_href():
    """The references URL is escaped in attributes."""
    html = to_html(calculate("oral-to-iv", {}), refs_href='"><script>')
    assert '"><script>' not in html
    assert "&quot;&gt;&lt;script&gt;#ref-" in html


def test_present_html_warnings_carry_code_and_severity():
    """Each warning is an <li> with its code and severity, for styling and browser tests."""
    html = to_html(calculate("oral-taper", {"taper_days": 3}))
    assert 'class="calc-warning calc-warning--danger" data-code="short-taper"' in html
    assert "<strong>Danger:</strong>" in html


def test_present_chart_draws_each_step():
    """The titration chart has two points per step (held over its days) and tops at 60."""
    calc = CALCULATORS["oral-titration"]
    rows = calculate("oral-titration", {})["steps"]
    svg = chart_svg(calc.tables[0], rows)
    (points,) = re.findall(r'points="([^"]*)"', svg)
    assert len(points.split()) == 2 * len(rows)
    assert ">60</text>" in svg
    assert "day 1<" in svg


def test_present_text_shows_the_taper_table():
    """to_text for the default taper has the table heading, columns, each step and the stop."""
    text = to_text(calculate("oral-taper", {}))
    lines = text.splitlines()
    assert lines[0] == "Oral taper to stop"
    assert "Taper" in lines
    header = next(line for line in lines if line.startswith("Days"))
    assert "Each dose" in header
    assert "Daily total (mg/day)" in header
    assert any(line.startswith("15 onward") and "stop" in line for line in lines)
    assert any(line.startswith("1\N{EN DASH}2") and "50" in line for line in lines)
    assert lines[-1] == "Teaching material, not a prescribing tool."


def test_present_text_lists_sources_with_links():
    """to_text ends with numbered sources and their canonical links."""
    text = to_text(calculate("renal-function", {}))
    number = source_number("cockcroft1976")
    assert f"  [{number}] Cockcroft DW, Gault MH." in text
    assert "https://doi.org/10.1159/000180580" in text


@settings(max_examples=100)
@given(data=st.data())
def test_present_any_result_renders(data):
    """Any accepted input to any calculator renders as HTML and as text without error."""
    calc_id = data.draw(st.sampled_from(list(CALCULATORS)))
    result = calculate(calc_id, data.draw(VALID_INPUTS[calc_id]))
    html = to_html(result)
    assert html.startswith("<")
    assert html.count('<svg class="calc-chart"') == sum(
        1 for t in CALCULATORS[calc_id].tables if t.chart_y and result.get(t.key)
    )
    assert to_text(result).startswith(CALCULATORS[calc_id].title)


# --- web.run / web.source ---------------------------------------------------------------------


@pytest.mark.parametrize("calc_id", list(CALCULATORS))
def test_present_web_run_defaults_is_ok(calc_id):
    """web.run on {} answers ok with the same result and HTML as calculate + to_html."""
    answer = json.loads(web.run(calc_id, "{}"))
    assert answer["ok"] is True
    expected = calculate(calc_id, {})
    assert answer["result"] == json.loads(json.dumps(expected))
    assert answer["html"] == to_html(expected)
    assert answer["html_sha256"] == hashlib.sha256(answer["html"].encode("utf-8")).hexdigest()


def test_present_web_run_digest_tells_different_html_apart():
    """Another value, another HTML, another digest (the page swaps only on a new digest)."""
    one = json.loads(web.run("oral-taper", "{}"))
    other = json.loads(web.run("oral-taper", json.dumps({"current_daily_mg": "45"})))
    assert other["ok"] is True
    assert other["html"] != one["html"]
    assert other["html_sha256"] != one["html_sha256"]


def test_present_web_run_answers_in_one_call_with_html_and_text():
    """web.run's reply carries the text too (one Python call per input): equal to to_text."""
    answer = json.loads(web.run("oral-taper", "{}"))
    assert answer["text"] == to_text(calculate("oral-taper", {}))


def test_present_web_run_bad_input_is_data():
    """web.run on bad input answers ok: false with each error's field and message as data."""
    answer = json.loads(web.run("oral-titration", json.dumps({"target_daily_mg": 250})))
    assert answer["ok"] is False
    assert answer["error"]["name"] == "InputError"
    assert answer["error"]["errors"] == [
        {
            "field": "target_daily_mg",
            "message": "Target daily dose must be between 0.5 and 200 mg/day (got 250)",
        },
    ]


def test_present_web_run_unknown_calculator_is_data():
    """web.run with an unknown id answers ok: false naming the 'calculator' field."""
    answer = json.loads(web.run("nope", "{}"))
    assert answer["ok"] is False
    assert answer["error"]["name"] == "UnknownCalculatorError"
    assert answer["error"]["errors"][0]["field"] == "calculator"


@pytest.mark.parametrize(
    "text", ["{bad", "", "[1,", "1" * 5000], ids=["brace", "empty", "unclosed", "5000-digits"]
)
def test_present_web_run_malformed_json_is_data(text):
    """web.run given malformed JSON answers ok: false on the 'inputs' field, never raises."""
    answer = json.loads(web.run("oral-titration", text))
    assert answer["ok"] is False
    (error,) = answer["error"]["errors"]
    assert error["field"] == "inputs"
    assert error["message"].startswith("inputs must be a JSON object (got invalid JSON")


@pytest.mark.parametrize("text", ["[]", "null", "60"])
def test_present_web_run_json_that_is_not_an_object_is_data(text):
    """web.run given JSON that is not an object answers ok: false on 'inputs'."""
    answer = json.loads(web.run("oral-titration", text))
    assert answer["ok"] is False
    assert answer["error"]["errors"][0]["field"] == "inputs"


def test_present_web_run_nan_in_json_is_rejected():
    """JSON's non-standard NaN, as Python's json module reads it, is rejected as not finite."""
    answer = json.loads(web.run("itb-refill", '{"daily_dose_mcg": NaN}'))
    assert answer["ok"] is False
    assert "finite" in answer["error"]["errors"][0]["message"]


@pytest.mark.parametrize("calc_id", list(CALCULATORS))
def test_present_web_source_is_the_function(calc_id):
    """web.source(id) returns the Python source of the calculator's own function."""
    text = web.source(calc_id)
    assert text.startswith("def ")
    assert f"def {CALCULATORS[calc_id].function.__name__}(" in text
    assert "return" in text
