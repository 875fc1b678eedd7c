"""``registry.check_signature``: every spec names exactly its function's keyword-only parameters.

Runs on every interpreter the calculator tests run on (CPython 3.12+, 3.11 and Pyodide); the
site build runs the same check on each calculator it renders.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from calculators import CALCULATORS
from calculators.registry import check_signature

FLEX = CALCULATORS["itb-flex-schedule"]
ORAL_TO_IV = CALCULATORS["oral-to-iv"]


@pytest.mark.parametrize("calculator_id", list(CALCULATORS))
def test_signature_of_every_calculator_matches_spec(calculator_id: str) -> None:
    """Every registered spec names exactly its function's keyword-only parameters."""
    check_signature(CALCULATORS[calculator_id])


def test_signature_field_with_no_parameter_raises() -> None:
    """Control: a spec field renamed by a typo fails, naming the parameter and the field."""
    renamed = dataclasses.replace(ORAL_TO_IV.fields[0], name="oral_daily_mcg")
    broken = dataclasses.replace(ORAL_TO_IV, fields=(renamed, *ORAL_TO_IV.fields[1:]))
    with pytest.raises(
        TypeError,
        match=r"calculator 'oral-to-iv' \(calculators\.conversions\.oral_to_iv\): its input "
        r"spec does not match the function's signature: parameters with no field: "
        r"oral_daily_mg; fields with no parameter: oral_daily_mcg\. Make the spec's fields",
    ):
        check_signature(broken)


def test_signature_field_declared_twice_raises() -> None:
    """A field declared twice fails, naming it."""
    broken = dataclasses.replace(ORAL_TO_IV, fields=(*ORAL_TO_IV.fields, ORAL_TO_IV.fields[0]))
    with pytest.raises(TypeError, match=r"signature: fields declared twice: oral_daily_mg\. Make"):
        check_signature(broken)


def test_signature_positional_parameter_raises() -> None:
    """A calculator function whose parameters can be passed by position fails the check."""

    def positional(dose_mg: float) -> dict[str, Any]:
        return {"dose_mg": dose_mg}

    calc = dataclasses.replace(ORAL_TO_IV, function=positional)
    with pytest.raises(TypeError, match=r"not keyword-only: dose_mg"):
        check_signature(calc)


def test_signature_optional_field_needs_default() -> None:
    """A field that may be blank (passed as None) needs a parameter with a default."""

    def no_default(*, oral_daily_mg: float, doses_per_day: int) -> dict[str, Any]:
        return {"oral_daily_mg": oral_daily_mg, "doses_per_day": doses_per_day}

    optional = dataclasses.replace(ORAL_TO_IV.fields[1], required=False)
    broken = dataclasses.replace(
        ORAL_TO_IV, function=no_default, fields=(ORAL_TO_IV.fields[0], optional)
    )
    with pytest.raises(TypeError, match=r"'doses_per_day' may be blank"):
        check_signature(broken)


def test_signature_needs_the_group_parameter() -> None:
    """A group whose function has no parameter of its name fails, naming it; the real one passes."""

    def no_steps(*, intended_daily_mcg: float, boluses: list[Any]) -> dict[str, Any]:
        return {"dose": intended_daily_mcg, "boluses": boluses}

    broken = dataclasses.replace(FLEX, function=no_steps)
    with pytest.raises(TypeError, match=r"fields with no parameter: steps"):
        check_signature(broken)
    check_signature(FLEX)
