"""Repeated groups (calculators.spec.Group): a list or flat keys, every error named by place."""

import pytest

from calculators import CALCULATORS, InputError, calculate
from calculators.spec import Field, Group

FLEX = CALCULATORS["itb-flex-schedule"]
STEPS = FLEX.groups[0]


def parse(inputs):
    """The flex schedule's parsed inputs."""
    return FLEX.parse(inputs)


def test_spec_groups_absent_group_takes_its_default_items():
    """No steps given: the group's default items, every field parsed."""
    values = parse({})
    assert values["steps"] == [dict(item) for item in STEPS.default]
    assert values["boluses"] == []


def test_spec_groups_flat_keys_become_items_in_index_order():
    """steps.1.* and steps.0.* (any order) become two items, strings parsed as numbers."""
    values = parse(
        {
            "steps.1.start_hours": "12",
            "steps.1.duration_hours": "12",
            "steps.1.rate_mcg_per_hour": "20",
            "steps.0.start_hours": "0",
            "steps.0.duration_hours": "12",
            "steps.0.rate_mcg_per_hour": "12.5",
        }
    )
    assert values["steps"] == [
        {"start_hours": 0, "duration_hours": 12, "rate_mcg_per_hour": 12.5},
        {"start_hours": 12, "duration_hours": 12, "rate_mcg_per_hour": 20},
    ]


def test_spec_groups_missing_item_field_takes_the_field_default():
    """An item without a rate takes the rate field's default."""
    values = parse({"steps": [{"start_hours": 0, "duration_hours": 24}]})
    assert values["steps"][0]["rate_mcg_per_hour"] == STEPS.field("rate_mcg_per_hour").default


def test_spec_groups_gap_in_indices_is_an_error():
    """Indices 0 and 2 without 1: refused at the group, listing the indices received."""
    with pytest.raises(
        InputError,
        match=r"steps: Steps: steps must be numbered 0, 1, 2\.\.\. without gaps "
        r"\(got 0, 2\)",
    ):
        parse({"steps.0.start_hours": "0", "steps.2.start_hours": "12"})


def test_spec_groups_list_and_flat_keys_together_is_an_error():
    """A list and flat keys for the same group: refused, saying to use one."""
    with pytest.raises(InputError, match=r"steps: Steps: give the steps either as a list"):
        parse({"steps": [], "steps.0.start_hours": "0"})


def test_spec_groups_not_a_list_is_an_error():
    """A string where the list belongs: refused, naming what arrived."""
    with pytest.raises(
        InputError, match=r"steps: Steps must be a list of steps \(got the text '0,24,10'\)"
    ):
        parse({"steps": "0,24,10"})


def test_spec_groups_item_not_a_mapping_is_an_error():
    """An item that is a number: refused at steps.0."""
    with pytest.raises(
        InputError, match=r"steps\.0: Step 1 must be a mapping .* \(got a value of type int\)"
    ):
        parse({"steps": [5]})


def test_spec_groups_unknown_item_field_is_an_error():
    """An item field the group does not have: refused, listing the known ones."""
    with pytest.raises(
        InputError,
        match=r"steps\.0: Step 1: unknown field 'rate'; known fields: duration_hours, "
        r"rate_mcg_per_hour, start_hours",
    ):
        parse({"steps": [{"start_hours": 0, "duration_hours": 24, "rate": 10}]})


def test_spec_groups_malformed_flat_key_is_an_unknown_field():
    """steps.01.x, steps.0.rate and steps.a.b are not group keys: unknown fields, listed."""
    for key in ("steps.01.start_hours", "steps.0.rate", "steps.a.b", "steps."):
        with pytest.raises(InputError, match=r"unknown field .*steps\.<n>\.<field>") as info:
            parse({key: "1"})
        assert info.value.errors[0].field == key


def test_spec_groups_every_item_error_is_reported_at_once():
    """Bad values in two steps give two errors, each with its place and 'Step n:'."""
    with pytest.raises(InputError) as info:
        parse({"steps": [{"rate_mcg_per_hour": "x"}, {"duration_hours": 0}]})
    assert [e.field for e in info.value.errors] == [
        "steps.0.rate_mcg_per_hour",
        "steps.1.duration_hours",
    ]
    assert info.value.errors[0].message == "Step 1: Rate must be a number (got 'x')"
    assert info.value.errors[1].message.startswith("Step 2: Duration must be between 0.1 and 24")


def test_spec_groups_field_and_group_errors_together():
    """A bad scalar field and a bad group item are both reported, field first."""
    with pytest.raises(InputError) as info:
        calculate("itb-flex-schedule", {"intended_daily_mcg": "0", "steps.0.start_hours": "-1"})
    assert [e.field for e in info.value.errors] == ["intended_daily_mcg", "steps.0.start_hours"]


def test_spec_groups_describe_count_and_plural():
    """Counts and plurals come from the spec: 'between 0 and 12 boluses'."""
    group = Group("g", "Things", "Thing", (Field("x_mg", "X"),), min_items=2, max_items=2)
    assert group.describe_count() == "exactly 2 things"
    assert FLEX.groups[1].describe_count() == "between 0 and 12 boluses"
    assert STEPS.key(3, "rate_mcg_per_hour") == "steps.3.rate_mcg_per_hour"
