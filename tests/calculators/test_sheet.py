"""The schedule sheet: a large-type take-home schedule for oral titration and taper results."""

import re

import pytest

from calculators import calculate
from calculators.present import to_html
from calculators.sheet import SHEET_CALCULATORS


@pytest.mark.parametrize("calc_id", sorted(SHEET_CALCULATORS))
def test_sheet_needs_a_start_date(calc_id):
    """Without a start date there are no dates to take home: no sheet."""
    assert "schedule-sheet" not in to_html(calculate(calc_id, {}))


@pytest.mark.parametrize("calc_id", sorted(SHEET_CALCULATORS))
def test_sheet_lists_every_step_with_weekday_and_date(calc_id):
    """With a start date every step is a row: its dates (weekday first), doses, daily total."""
    result = calculate(calc_id, {"start_date": "2026-12-07"})
    html = to_html(result)
    sheet = html[html.index('<section class="schedule-sheet"') :]
    sheet = sheet[: sheet.index("</section>")]
    rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td>", sheet)
    assert len(rows) == len(result["steps"])
    for (dates, doses, daily), step in zip(rows, result["steps"], strict=True):
        assert dates == step["dates"]
        assert re.match(r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d+ [A-Z][a-z]{2} \d{4}", dates)
        assert doses == step["doses_text"]
        assert daily.endswith(" mg")
    assert "Teaching material, not a prescribing tool" in sheet
    assert 'data-action="print-card"' in sheet
    assert 'class="cite"' in sheet  # where the schedule comes from, with its sources


def test_sheet_taper_says_not_to_stop_suddenly_and_whose_arithmetic():
    """The taper sheet says its steps are this site's arithmetic and not to stop suddenly."""
    html = to_html(calculate("oral-taper", {"start_date": "2026-12-07"}))
    assert "this site&#x27;s arithmetic, not a published schedule" in html
    assert "Do not stop suddenly" in html


def test_sheet_carries_the_result_cautions():
    """A caution of the result (a tablet split) is printed on the sheet too."""
    inputs = {"start_date": "2026-12-07", "dose_unit_mg": 2.5}
    result = calculate("oral-taper", inputs)
    assert "half-tablets" in {w["code"] for w in result["warnings"]}
    html = to_html(result)
    sheet = html[html.index('<section class="schedule-sheet"') :]
    assert "half tablets" in sheet[: sheet.index("</section>")]


@pytest.mark.parametrize(
    ("calc_id", "inputs"),
    [
        ("oral-taper", {"taper_days": 5}),
        ("itb-oral-wean", {"step_percent": 100}),
    ],
)
def test_sheet_is_not_made_under_a_danger(calc_id, inputs):
    """Review 25b D-4: no take-home schedule under a danger; the page says why instead."""
    html = to_html(calculate(calc_id, {"start_date": "2026-12-07", **inputs}))
    assert '<section class="schedule-sheet"' not in html
    assert "No take-home schedule sheet while this result carries a danger" in html


def test_sheet_wean_has_check_by_dates_and_what_to_do():
    """Review 25b M-7: the wean sheet gives the day to check by and the signs to act on."""
    html = to_html(calculate("itb-oral-wean", {"start_date": "2026-12-07"}))
    sheet = html[html.index('<section class="schedule-sheet"') :]
    sheet = sheet[: sheet.index("</section>")]
    assert "<th scope='col'>Check by</th>" in sheet
    assert "<td>Tue 8 Dec 2026</td>" in sheet
    assert "emergency department now" in sheet


def test_sheet_not_for_other_calculators():
    """A calculator without a take-home schedule gets no sheet."""
    assert "schedule-sheet" not in to_html(calculate("itb-titration", {"target_daily_mcg": 300}))
