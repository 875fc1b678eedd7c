"""itb-flex-schedule: a 24-hour flex schedule's total, hour by hour, against the intended dose."""

import pytest
from hypothesis import given, settings
from strategies import VALID_INPUTS, flatten_groups

from calculators import CALCULATORS, InputError, calculate

CALC_ID = "itb-flex-schedule"
SPEC = CALCULATORS[CALC_ID]


def step(start, hours, rate):
    """One step as the calculator takes it."""
    return {"start_hours": start, "duration_hours": hours, "rate_mcg_per_hour": rate}


def run(intended, steps, boluses=()):
    """Run the calculator on a list of steps and boluses."""
    inputs = {"intended_daily_mcg": intended, "steps": list(steps), "boluses": list(boluses)}
    return calculate(CALC_ID, inputs)


def codes(result):
    """The result's warnings by code."""
    return {w["code"]: w for w in result["warnings"]}


def test_itb_flex_schedule_ismp_60_per_day_as_60_per_hour():
    """ismp-flex: 60 mcg/day meant, 60 mcg/hour programmed: 1440 mcg in 24 h, two dangers."""
    result = run(60, [step(0, 24, 60)])
    assert result["total_mcg"] == 1440
    assert result["difference_mcg"] == 1380
    found = codes(result)
    slip = found["per-hour-per-day-slip"]
    assert slip["severity"] == "danger"
    assert slip["sources"] == ["ismp-flex"]
    assert "step 1 runs at 60 mcg/hour, 1440 mcg in 24 hours" in slip["message"]
    assert found["total-far-from-intended"]["severity"] == "danger"


def test_itb_flex_schedule_60_per_day_as_2_5_per_hour_is_right():
    """60 mcg/day is 2.5 mcg/hour for 24 hours: total 60, no danger."""
    result = run(60, [step(0, 24, 2.5)])
    assert result["total_mcg"] == 60
    assert not [w for w in result["warnings"] if w["severity"] == "danger"]


def test_itb_flex_schedule_default_flex_is_not_flagged_as_a_slip():
    """A real flex (20 mcg/hour by day: 480 at that rate over 24 h) that totals 400: no danger.

    The literal rule (a step's rate x 24 reaching the daily total) would flag every flex with
    a day-time peak and every continuous schedule; it fires only when the total is also over.
    """
    result = calculate(CALC_ID, {})
    assert result["total_mcg"] == 400
    assert [r["rate_mcg_per_hour"] * 24 >= 400 for r in result["steps_table"]] == [
        False,
        True,
        False,
    ]
    assert not [w for w in result["warnings"] if w["severity"] == "danger"]
    assert run(400, [step(0, 24, 400 / 24)])["total_mcg"] == 400


def test_itb_flex_schedule_slip_needs_a_step_at_the_daily_rate():
    """Over by a bolus, steps at 16.6 mcg/hour (398.4 in 24 h < 400): a total danger, no slip."""
    found = codes(run(400, [step(0, 24, 16.6)], [{"time_hours": 12, "dose_mcg": 100}]))
    assert "per-hour-per-day-slip" not in found
    assert found["total-far-from-intended"]["severity"] == "danger"
    found = codes(run(400, [step(0, 1, 400), step(1, 23, 16.6)]))
    assert found["per-hour-per-day-slip"]["severity"] == "danger"


def test_itb_flex_schedule_total_difference_threshold():
    """This site's 1% match (D): 404 of 400 is a note; 404.04 a caution; 480.04 a danger."""
    at_limit = codes(run(400, [step(0, 24, 16.8333)]))
    assert at_limit["total-rounding-difference"]["severity"] == "info"
    assert "total-differs-from-intended" not in at_limit
    exactly = codes(run(400, [step(0, 20, 16.8), step(20, 4, 17)]))  # 336 + 68 = 404: 1%
    assert "total-differs-from-intended" not in exactly
    over = codes(run(400, [step(0, 24, 16.835)]))  # 404.04
    assert over["total-differs-from-intended"]["severity"] == "caution"
    assert "total-far-from-intended" not in over
    at_twenty = codes(run(400, [step(0, 24, 20)]))  # 480: exactly 20% over, still a caution
    assert "total-far-from-intended" not in at_twenty
    far = codes(run(400, [step(0, 24, 20.0017)]))  # 480.04: more than 20% over
    assert far["total-far-from-intended"]["severity"] == "danger"
    under = codes(run(400, [step(0, 24, 16.49)]))  # 395.76: 1.06% below
    assert "below the intended" in under["total-differs-from-intended"]["message"]


def test_itb_flex_schedule_hour_by_hour_and_shares():
    """Default 12.5 x 8 + 20 x 14 + 10 x 2 = 400: shares 25%, 70%, 5%; hours by the clock."""
    result = calculate(CALC_ID, {})
    assert result["formula"] == "12.5 x 8 h + 20 x 14 h + 10 x 2 h = 400 mcg"
    assert [r["share_percent"] for r in result["steps_table"]] == [25, 70, 5]
    hourly = [r["total_mcg"] for r in result["hourly"]]
    assert hourly == [12.5] * 8 + [20] * 14 + [10] * 2
    assert result["hourly"][0]["clock"] == "00:00-01:00"


def test_itb_flex_schedule_bolus_lands_in_its_hour():
    """A 10 mcg bolus at 12:30 adds to the 12:00-13:00 hour and to the total."""
    result = run(410, [step(0, 24, 400 / 24)], [{"time_hours": 12.5, "dose_mcg": 10}])
    assert result["hourly"][12]["bolus_mcg"] == 10
    assert result["hourly"][12]["total_mcg"] == 26.67
    assert result["hourly"][11]["bolus_mcg"] is None
    assert result["total_mcg"] == 410
    assert result["bolus_total_mcg"] == 10
    assert result["boluses_table"][0]["time"] == "12:30"


def test_itb_flex_schedule_step_past_midnight_wraps():
    """22:00 for 4 hours covers 22:00-24:00 and 00:00-02:00 of the same day."""
    result = run(96, [step(22, 4, 4), step(2, 20, 4)])
    assert result["hours_covered"] == 24
    assert [r["continuous_mcg"] for r in result["hourly"]] == [4] * 24
    assert result["steps_table"][0]["end"] == "02:00"


def test_itb_flex_schedule_uncovered_hours_are_a_caution():
    """Steps covering 12 of 24 hours: a caution naming the gap; a full day: none."""
    warning = codes(run(200, [step(0, 12, 200 / 12)]))["uncovered-hours"]
    assert warning["severity"] == "caution"
    assert "12:00-24:00" in warning["message"]
    assert "uncovered-hours" not in codes(calculate(CALC_ID, {}))


def test_itb_flex_schedule_clock_change_note():
    """boster2016: 'Time changes may affect flex dosing', always shown as a note."""
    warning = codes(calculate(CALC_ID, {}))["clock-change"]
    assert warning["severity"] == "info"
    assert warning["sources"] == ["boster2016"]


def test_itb_flex_schedule_flat_keys_equal_the_list():
    """The form's flat keys (steps.0.start_hours ...) give the same result as the list."""
    values = {
        "intended_daily_mcg": 400,
        "steps": [step(0, 12, 15), step(12, 12, 18.333)],
        "boluses": [{"time_hours": 6, "dose_mcg": 20}],
    }
    flat = flatten_groups(SPEC, values)
    assert flat["steps.1.rate_mcg_per_hour"] == "18.333"
    assert calculate(CALC_ID, flat) == calculate(CALC_ID, values)


# --- errors ----------------------------------------------------------------------------------


def test_itb_flex_schedule_overlapping_steps_are_an_error():
    """Two steps covering 06:00-12:00 twice: refused, naming both steps and their times."""
    with pytest.raises(
        InputError,
        match=r"steps\.1\.start_hours: Step 2: it overlaps step 1 \(00:00-12:00\); steps must not "
        r"overlap \(got 06:00-18:00\)",
    ):
        run(400, [step(0, 12, 10), step(6, 12, 10)])


def test_itb_flex_schedule_wrapped_overlap_is_an_error():
    """22:00 + 4 h reaches 02:00, so a step at 01:00 overlaps it."""
    with pytest.raises(InputError, match=r"steps\.1\.start_hours: Step 2: it overlaps step 1"):
        run(400, [step(22, 4, 10), step(1, 2, 10)])


def test_itb_flex_schedule_longer_than_24_hours_is_an_error():
    """Steps of 12 + 13 hours make 25 hours: refused at the group, with the total."""
    with pytest.raises(
        InputError,
        match=r"steps: Steps: the schedule must last at most 24 hours in all \(got 25 hours\)",
    ):
        run(400, [step(0, 12, 10), step(12, 13, 10)])


def test_itb_flex_schedule_start_at_24_is_an_error():
    """24:00 is midnight, written 0: a start of 24 is refused."""
    with pytest.raises(
        InputError, match=r"steps\.0\.start_hours: Step 1: Start must be before 24 hours"
    ):
        run(400, [step(24, 1, 10)])
    with pytest.raises(InputError, match=r"boluses\.0\.time_hours: Bolus 1: Time must be before"):
        run(400, [step(0, 24, 10)], [{"time_hours": 24, "dose_mcg": 5}])


def test_itb_flex_schedule_step_field_errors_name_the_step():
    """A rate above this site's bound in step 2 names steps.1.rate_mcg_per_hour and 'Step 2'."""
    with pytest.raises(
        InputError,
        match=r"steps\.1\.rate_mcg_per_hour: Step 2: Rate must be between 0 and 5000 mcg/hour "
        r"\(got 6000\)",
    ):
        run(400, [step(0, 12, 10), step(12, 12, 6000)])


def test_itb_flex_schedule_needs_a_step():
    """An empty schedule is refused with the allowed count; 13 steps are too many."""
    with pytest.raises(
        InputError, match=r"steps: Steps must have between 1 and 12 steps \(got 0\)"
    ):
        run(400, [])
    with pytest.raises(InputError, match=r"\(got 13\)"):
        run(400, [step(i, 1, 10) for i in range(13)])


# --- properties ------------------------------------------------------------------------------


@settings(max_examples=150)
@given(inputs=VALID_INPUTS[CALC_ID])
def test_itb_flex_schedule_hours_add_up_to_the_total(inputs):
    """Any accepted schedule: the 24 hourly amounts add up to the 24-hour total."""
    result = calculate(CALC_ID, inputs)
    assert len(result["hourly"]) == 24
    assert sum(r["total_mcg"] for r in result["hourly"]) == pytest.approx(
        result["total_mcg"], abs=0.13
    )
    assert result["hours_covered"] <= 24


@settings(max_examples=150)
@given(inputs=VALID_INPUTS[CALC_ID])
def test_itb_flex_schedule_slip_comes_with_an_excess(inputs):
    """Any accepted schedule: the per-hour slip is only raised with a total above the dose."""
    result = calculate(CALC_ID, inputs)
    found = codes(result)
    if "per-hour-per-day-slip" in found:
        assert {"total-differs-from-intended", "total-far-from-intended"} & set(found)
        assert result["difference_mcg"] > 0
