"""Every calculator, live in Chromium: default, change, bad value and fix, CPython equality.

All values are chosen from the spec (``alternate``, ``out_of_range``) or from ``CASES``;
every expectation comes from ``calculators.calculate`` on CPython, so the browser's Pyodide
run is compared with the tested package, never with numbers typed here.
"""

from __future__ import annotations

import csv
import html as html_lib
import io
import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from browserkit import Calculators, alternate, expected, out_of_range
from playwright.sync_api import expect

import calculators
from calculators import CALCULATORS, calculate
from calculators.present import to_text

pytestmark = pytest.mark.browser

IDS = list(CALCULATORS)

# One non-default case per calculator, every field set; each must be valid on CPython.
CASES: dict[str, dict[str, str]] = {
    "oral-titration": {
        "start_dose_mg": "2.5",
        "doses_per_day": "4",
        "step_mg": "2.5",
        "step_days": "7",
        "target_daily_mg": "50",
        "formulation": "ozobax",
        "start_date": "2026-12-07",
    },
    "oral-taper": {
        "current_daily_mg": "45",
        "doses_per_day": "3",
        "taper_days": "21",
        "dose_unit_mg": "2.5",
        "start_date": "2026-12-07",
    },
    "oral-to-iv": {"oral_daily_mg": "75", "doses_per_day": "4"},
    "itb-initial-dose": {
        "screening_dose_mcg": "75",
        "effect_hours": "10",
        "negative_reactions": "yes",
    },
    "itb-titration": {
        "current_daily_mcg": "250",
        "origin": "cerebral",
        "age_group": "adult",
        "target_daily_mcg": "400",
        "age_years": "47.5",
    },
    "itb-refill": {
        "daily_dose_mcg": "350.5",
        "concentration_mcg_per_ml": "1000",
        "reservoir_ml": "40",
        "alarm_ml": "4",
        "refill_date": "2025-02-28",
    },
    "renal-function": {
        "age_years": "72",
        "weight_kg": "58.5",
        "height_cm": "171",
        "sex": "male",
        "serum_creatinine": "150",
        "creatinine_unit": "umol/L",
        "on_dialysis": "no",
        "planned_daily_mg": "30",
        "dose_unit_mg": "2.5",
    },
    "itb-refill-visit": {
        "reservoir_ml": "40",
        "pump_volume_kind": "measured",
        "volume_after_last_fill_ml": "38.5",
        "last_fill_date": "2025-01-10",
        "visit_date": "2025-03-07",
        "daily_dose_mcg": "450",
        "concentration_mcg_per_ml": "1000",
        "dosing_mode": "periodic",
        "bolus_volume_ml": "0.25",
        "aspirated_ml": "12.1",
        "new_fill_ml": "39",
        "alarm_ml": "4",
        "origin": "cerebral",
        "new_daily_dose_mcg": "495",
    },
    "itb-concentration-change": {
        "daily_dose_mcg": "620",
        "old_concentration_mcg_per_ml": "2000",
        "new_concentration_mcg_per_ml": "1000",
        "bridge": "no",
        "fluid_path_ml": "0.31",
    },
    "itb-flex-schedule": {"intended_daily_mcg": "380"},
    "itb-oral-wean": {
        "current_daily_mg": "45",
        "doses_per_day": "3",
        "step_percent": "40",
        "step_days": "5",
        "dose_unit_mg": "2.5",
        "start_date": "2026-12-07",
    },
    "itb-concentration-mismatch": {
        "programmed_daily_mcg": "350.5",
        "programmed_concentration_mcg_per_ml": "1000",
        "filled_concentration_mcg_per_ml": "500",
        "reservoir_ml": "40",
        "fill_volume_ml": "38.5",
        "alarm_ml": "4",
        "fill_date": "2026-12-01",
        "next_refill_date": "2027-01-15",
    },
}


def first_number_field(calc_id: str) -> str:
    """The first number field with a maximum: the one the tests change and break."""
    return next(
        f.name for f in CALCULATORS[calc_id].fields if f.kind == "number" and f.maximum is not None
    )


def test_every_calculator_is_on_a_page(calculator_pages: dict[str, str]) -> None:
    """Each registered calculator is embedded on some page of the site."""
    assert sorted(calculator_pages) == sorted(IDS)


def test_cases_cover_every_field() -> None:
    """Each case sets every field of its calculator and is valid on CPython."""
    for calc_id, inputs in CASES.items():
        assert set(inputs) == {f.name for f in CALCULATORS[calc_id].fields}, calc_id
        assert "errors" not in expected(calc_id, inputs), calc_id
    assert sorted(CASES) == sorted(IDS)


@pytest.mark.parametrize("calc_id", IDS)
def test_default_result_goes_live(
    warm: Calculators, calc_id: str, site_dir: Path, calculator_pages: dict[str, str]
) -> None:
    """The build's default result is replaced by a live one equal to it and to CPython's."""
    warm.open(calc_id)
    output = warm.output(calc_id)
    expect(output).to_have_attribute("data-state", "ready")
    live = warm.result(calc_id)
    assert live == calculate(calc_id, {})
    html = (site_dir / calculator_pages[calc_id] / "index.html").read_text(encoding="utf-8")
    static = re.search(
        rf'<form [^>]*data-calculator="{calc_id}".*?data-state="static" data-result="([^"]*)"',
        html,
        re.DOTALL,
    )
    assert static is not None
    assert json.loads(html_lib.unescape(static.group(1))) == live


@pytest.mark.parametrize("calc_id", IDS)
def test_changed_input_updates_result(warm: Calculators, calc_id: str) -> None:
    """Changing one value gives CPython's result for it, and the URL records the case."""
    warm.open(calc_id)
    default = warm.result(calc_id)
    name = first_number_field(calc_id)
    value = alternate(calc_id, name)
    warm.set(calc_id, name, value)
    assert warm.settle(calc_id) == "ready"
    live = warm.result(calc_id)
    assert live == calculate(calc_id, {name: value})
    assert live != default
    assert f"{calc_id}.{name}={value}" in warm.page.url


@pytest.mark.parametrize("calc_id", IDS)
def test_bad_value_shows_field_error_then_recovers(warm: Calculators, calc_id: str) -> None:
    """An out-of-range value: Python's message by its field, state error, result kept (stale).

    Fixing the value returns to ready with no message left.
    """
    warm.open(calc_id)
    good = warm.result(calc_id)
    name = first_number_field(calc_id)
    bad = out_of_range(CALCULATORS[calc_id].field(name))
    message = expected(calc_id, {name: bad})["errors"][name]

    warm.set(calc_id, name, bad)
    assert warm.settle(calc_id) == "error"
    expect(warm.error(calc_id, name)).to_have_text(message)
    control = warm.form(calc_id).locator(f'[name="{name}"]')
    expect(control).to_have_attribute("aria-invalid", "true")
    expect(control).to_have_value(bad)  # what the user typed stays
    output = warm.output(calc_id)
    expect(output).to_have_attribute("data-stale", "")
    assert warm.result(calc_id) == good  # the last good result is still shown
    expect(output.locator("[data-calculator-result]")).not_to_be_empty()

    fixed = alternate(calc_id, name)
    warm.set(calc_id, name, fixed)
    assert warm.settle(calc_id) == "ready"
    expect(warm.error(calc_id, name)).to_have_text("")
    expect(control).not_to_have_attribute("aria-invalid", "true")
    expect(output).not_to_have_attribute("data-stale", "")
    assert warm.result(calc_id) == calculate(calc_id, {name: fixed})


@pytest.mark.parametrize("calc_id", IDS)
def test_result_equals_cpython_for_a_full_case(warm: Calculators, calc_id: str) -> None:
    """Every field set to a non-default value: the browser's dict equals CPython's."""
    warm.open(calc_id)
    for name, value in CASES[calc_id].items():
        warm.set(calc_id, name, value)
    assert warm.settle(calc_id) == "ready"
    assert warm.result(calc_id) == calculate(calc_id, CASES[calc_id])


@pytest.mark.parametrize("calc_id", ["oral-titration", "itb-titration"])
def test_copy_gives_to_text_and_csv_gives_tables(warm: Calculators, calc_id: str) -> None:
    """The "Copy result" button copies calculators.present.to_text; the CSV holds each table row."""
    warm.open(calc_id)
    for name, value in CASES[calc_id].items():
        warm.set(calc_id, name, value)
    assert warm.settle(calc_id) == "ready"
    result = calculate(calc_id, CASES[calc_id])

    calc = CALCULATORS[calc_id]
    version = warm.page.evaluate("window.baclofenCalculators.versions.calculators")
    assert version == calculators.__version__

    warm.form(calc_id).locator('[data-action="copy"]').click()
    expect(warm.form(calc_id).locator('[data-action="copy"]')).to_have_text("Copied")
    copied = warm.page.evaluate("navigator.clipboard.readText()")
    head, body_text = copied.split("\n\n", 1)
    assert body_text == to_text(result)
    # What the result is for, first (QA D2): the version, when, each value as typed, the link.
    lines = head.split("\n")
    assert re.fullmatch(
        rf"{re.escape(calc.title)}: computed \d{{4}}-\d\d-\d\d \d\d:\d\d UTC by the baclofen "
        rf"dosing site, version {re.escape(version)}, for these values:",
        lines[0],
    ), lines[0]
    for f in calc.fields:
        assert any(
            line.startswith(f"  {f.label}: ") and CASES[calc_id][f.name] in line for line in lines
        ), f.name
    link = urlsplit(lines[-1].removeprefix("Link to this case: "))
    assert link.path == urlsplit(warm.base + warm.pages[calc_id]).path
    assert {k: v for k, (v,) in parse_qs(link.query).items() if k.startswith(f"{calc_id}.")} == {
        f"{calc_id}.{name}": value for name, value in CASES[calc_id].items()
    }

    with warm.page.expect_download() as info:
        warm.form(calc_id).locator('[data-action="csv"]').click()
    download = info.value
    assert download.suggested_filename == f"{calc_id}.csv"
    raw = Path(download.path()).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the byte-order mark a spreadsheet needs (D25)
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    blank = rows.index([])
    about, rows = rows[:blank], rows[blank + 1 :]
    assert about[0] == ["Calculator", calc.title]
    assert about[2] == ["Site version", version]
    assert about[3][0] == "Computed"
    assert about[4] == ["Value", "As typed", "Unit"]
    typed = {row[0]: row[1] for row in about[5:]}
    units = {row[0]: row[2] for row in about[5:]}
    for f in calc.fields:
        if f.kind == "choice":  # the option names its unit once: no "20 mL (20) mL"
            assert units[f.label] == "", (f.name, units[f.label])
        elif f.unit:
            assert units[f.label], f.name
    for f in calc.fields:
        assert typed[f.label].split(" (")[0] == CASES[calc_id][f.name] or typed[f.label].endswith(
            f"({CASES[calc_id][f.name]})"
        ), (f.name, typed[f.label])
    tables = [t for t in calc.tables if result.get(t.key)]
    assert [r[0] for r in rows if len(r) == 1] == [t.title for t in tables]
    body = [r for r in rows if len(r) > 1]
    assert len(body) == sum(len(result[t.key]) + 1 for t in tables)  # header + rows each


def test_stale_result_is_not_copied_or_downloaded(warm: Calculators) -> None:
    """A refused value: Copy and CSV are off, saying why; a valid value turns them on (QA D2)."""
    calc_id, name = "oral-taper", "current_daily_mg"
    warm.open(calc_id)
    form = warm.form(calc_id)
    copy, download = form.locator('[data-action="copy"]'), form.locator('[data-action="csv"]')
    note = form.locator("[data-actions-note]")
    warm.set(calc_id, name, "40")
    assert warm.settle(calc_id) == "ready"
    expect(copy).to_be_enabled()
    expect(download).to_be_enabled()
    expect(note).to_be_hidden()
    warm.set(calc_id, name, "7,5")
    assert warm.settle(calc_id) == "error"
    expect(warm.output(calc_id)).to_have_attribute("data-stale", "")
    expect(copy).to_be_disabled()
    expect(download).to_be_disabled()
    expect(note).to_have_text(
        "Copy result, Download CSV and Print are off: a value above is not valid, so the "
        "result below is not for the values above."
    )
    expect(copy).to_have_accessible_description(note.inner_text())
    warm.set(calc_id, name, "40")
    assert warm.settle(calc_id) == "ready"
    expect(copy).to_be_enabled()
    expect(note).to_be_hidden()


def test_csv_button_hidden_without_tables(warm: Calculators) -> None:
    """A calculator with no table offers no CSV."""
    calc_id = "oral-to-iv"
    assert not CALCULATORS[calc_id].tables
    warm.open(calc_id)
    expect(warm.form(calc_id).locator('[data-action="csv"]')).to_be_hidden()
    expect(warm.form(calc_id).locator('[data-action="copy"]')).to_be_visible()


def test_no_console_errors_in_calculator_tests(warm_context) -> None:
    """Nothing above logged a console error, threw, or got a 4xx/5xx (runs after them)."""
    _, watch = warm_context
    assert watch.errors == []
