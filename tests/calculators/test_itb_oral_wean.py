"""itb-oral-wean: oral baclofen weaned to a stop once the pump runs (CMSC 2015's 25-50% steps)."""

from fractions import Fraction
from itertools import pairwise

import pytest
from hypothesis import given, settings
from strategies import VALID_INPUTS

from calculators import InputError, calculate

CALC_ID = "itb-oral-wean"


def run(**inputs):
    """The wean for 60 mg/day in 3 doses, 25% steps of 7 days, 5 mg units, unless changed."""
    base = {
        "current_daily_mg": 60,
        "doses_per_day": 3,
        "step_percent": 25,
        "step_days": 7,
        "dose_unit_mg": 5,
    }
    return calculate(CALC_ID, {**base, **inputs})


def codes(result):
    """The result's warnings by code."""
    return {w["code"]: w for w in result["warnings"]}


def test_itb_oral_wean_worked_example_25_percent():
    """The default wean, 25% cuts of 60 mg/day in 5 mg units, stops on day 57.

    By hand, 25% cuts rounded up to 5 mg: 60 -> 45 (exact) -> 33.75, up to 35 -> 26.25, up to 30
    -> 22.5, up to 25 -> 18.75, up to 20 -> 15 (exact) -> 11.25, up to 15, which cuts nothing,
    so one unit: 10 -> 7.5, up to 10, so one unit: 5 -> the stop from one unit. Eight cuts of
    7 days: the stop is on day 57 (review W-1: the stop comes from the smallest dose).
    """
    result = run()
    totals = [s["daily_mg"] for s in result["steps"]]
    assert totals == [45, 35, 30, 25, 20, 15, 10, 5, 0]
    assert [s["days"] for s in result["steps"]][:2] == ["1–7", "8–14"]
    assert result["stop_day"] == 57
    assert result["total_days"] == 56
    assert result["step_count"] == 8
    assert [s["cut_percent"] for s in result["steps"]] == [25, 22, 14, 17, 20, 25, 33, 50, 100]
    assert result["steps"][1]["doses_text"] == "15 + 10 + 10 mg"


def test_itb_oral_wean_worked_example_50_percent_daily():
    """50% cuts from 60 mg/day: 30, 15, then 7.5 rounded up to 10, then 5, then the stop."""
    result = run(step_percent=50, step_days=1)
    assert [s["daily_mg"] for s in result["steps"]] == [30, 15, 10, 5, 0]
    assert result["steps"][3]["doses_text"] == "5 mg x 1"
    assert result["stop_day"] == 5
    found = codes(result)
    assert found["short-taper"]["severity"] == "danger"
    assert found["wean-steps-close"]["severity"] == "caution"


def test_itb_oral_wean_assess_within_24_hours_of_each_cut():
    """CMSC 2015: 'Assess within 24 hrs of a dose change': by the day after each cut."""
    result = run(start_date="2026-12-08")
    for step in result["steps"]:
        assert step["assess_day"] == step["start_day"] + 1
    assert result["steps"][0]["assess_date"] == "Wed 9 Dec 2026"
    assert result["steps"][-1]["dates"] == "Tue 2 Feb 2027 onward"
    assert result["stop_date"] == "Tue 2 Feb 2027"
    assessed = codes(result)["wean-assess"]
    assert "within 24 hours" in assessed["message"]
    assert set(assessed["sources"]) == {"cmsc2015", "label-gablofen", "label-tablets"}


def test_itb_oral_wean_always_says_keep_oral_baclofen_available():
    """CMSC 2015 and Boster 2016: keep oral baclofen at hand; wean one drug at a time."""
    warning = codes(run())["wean-keep-oral-available"]
    assert warning["severity"] == "info"
    assert warning["sources"] == ["cmsc2015", "boster2016"]
    assert "one drug at a time" in warning["message"]


@pytest.mark.parametrize(("percent", "code"), [(55, "wean-step-above-source"), (20, None)])
def test_itb_oral_wean_step_outside_the_abstract_range(percent, code):
    """Above 50% is a caution; below 25% is a note (slower), never a refusal."""
    found = codes(run(step_percent=percent))
    if code:
        assert found[code]["severity"] == "caution"
    else:
        assert found["wean-step-below-source"]["severity"] == "info"
        assert "wean-step-above-source" not in found


def test_itb_oral_wean_a_whole_cut_stops_at_once_with_a_danger():
    """100% is an abrupt stop from 60 mg/day: the guards' danger, no 'no step' message."""
    result = run(step_percent=100)
    assert [s["daily_mg"] for s in result["steps"]] == [0]
    found = codes(result)
    assert found["taper-stop-from-high-dose"]["severity"] == "danger"
    assert "wean-no-step" not in found


def test_itb_oral_wean_a_single_unit_cannot_step():
    """5 mg/day in 5 mg units is one unit: no cut is possible, so it stops at once."""
    result = run(current_daily_mg=5)
    assert [s["daily_mg"] for s in result["steps"]] == [0]
    found = codes(result)
    assert found["wean-no-step"]["severity"] == "caution"
    assert "smaller unit" in found["wean-no-step"]["message"]
    assert "larger step" not in found["wean-no-step"]["message"]
    # Review D-2: an immediate stop is a stop in under a week, whatever the dose.
    assert found["short-taper"]["severity"] == "danger"


@pytest.mark.parametrize("daily", [30, 15])
def test_itb_oral_wean_an_immediate_stop_is_a_short_taper(daily):
    """Review D-2: a 100% cut of 30 or 15 mg/day is a stop in 0 days: the danger fires."""
    assert codes(run(current_daily_mg=daily, step_percent=100))["short-taper"]["severity"] == (
        "danger"
    )


@pytest.mark.parametrize("percent", [10, 15, 20])
def test_itb_oral_wean_smaller_cuts_never_stop_higher(percent):
    """Review W-1: a smaller cut gives more steps and still stops from one unit, not 45 mg/day."""
    result = run(step_percent=percent)
    assert result["steps"][-2]["daily_mg"] == 5
    assert result["step_count"] >= run()["step_count"]


def test_itb_oral_wean_a_chosen_large_cut_is_not_called_a_slip():
    """Review M-9: a 90% cut the user chose is a danger, not 'the signature of a slip'."""
    result = run(current_daily_mg=200, doses_per_day=4, step_percent=90, step_days=1)
    tenfold = codes(result)["change-tenfold"]
    assert tenfold["severity"] == "danger"
    assert "signature" not in tenfold["message"]


def test_itb_oral_wean_current_dose_off_the_unit_is_refused():
    """62.5 mg/day is not a multiple of a 5 mg unit: refused, naming the field and the value."""
    with pytest.raises(InputError) as excinfo:
        run(current_daily_mg=62.5)
    (error,) = excinfo.value.errors
    assert error.field == "current_daily_mg"
    assert error.message.endswith("(got 62.5)")


@settings(max_examples=150)
@given(VALID_INPUTS[CALC_ID])
def test_itb_oral_wean_properties(inputs):
    """Every schedule falls at each step, cuts no more than chosen, uses whole units and stops."""
    result = calculate(CALC_ID, inputs)
    steps = result["steps"]
    unit = Fraction(inputs["dose_unit_mg"]).limit_denominator(1000)
    chosen = Fraction(inputs["step_percent"], 100)
    current = Fraction(inputs["current_daily_mg"]).limit_denominator(1000)
    totals = [current] + [Fraction(s["daily_mg"]).limit_denominator(1000) for s in steps]
    assert totals[-1] == 0
    for before, after in pairwise(totals[:-1]):
        assert after < before
        # At most the chosen cut, unless that cut nothing: then one unit, at most half.
        assert (before - after) / before <= chosen or (before - after == unit and after >= unit)
    if len(totals) > 2:
        assert totals[-2] == unit  # the stop follows one unit (review W-1)
    for step in steps[:-1]:
        doses = [Fraction(d).limit_denominator(1000) for d in step["doses_mg"]]
        assert sum(doses) == Fraction(step["daily_mg"]).limit_denominator(1000)
        assert all(d % unit == 0 for d in doses)
        assert len(doses) <= inputs["doses_per_day"]
        assert step["end_day"] - step["start_day"] + 1 == inputs["step_days"]
    assert result["stop_day"] == steps[-1]["start_day"]
