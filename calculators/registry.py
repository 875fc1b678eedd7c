"""The registry of calculators and the one entry point every caller uses."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from . import (
    conversions,
    itb_concentration_change,
    itb_concentration_mismatch,
    itb_flex_schedule,
    itb_initial_dose,
    itb_oral_wean,
    itb_refill,
    itb_refill_visit,
    itb_titration,
    oral_taper,
    oral_titration,
    renal,
)
from .guards import apply_guards
from .sources import SOURCES
from .spec import Calculator, FieldError, InputError, UnknownCalculatorError

if TYPE_CHECKING:
    from collections.abc import Mapping

CALCULATORS: dict[str, Calculator] = {
    c.id: c
    for c in (
        oral_titration.TITRATION,
        oral_taper.TAPER,
        conversions.CALCULATOR,
        itb_initial_dose.INITIAL,
        itb_titration.TITRATION,
        itb_refill.REFILL,
        renal.CALCULATOR,
        itb_refill_visit.REFILL_VISIT,
        itb_concentration_change.CONCENTRATION_CHANGE,
        itb_flex_schedule.FLEX_SCHEDULE,
        itb_oral_wean.WEAN,
        itb_concentration_mismatch.MISMATCH,
    )
}


_SEVERITY_ORDER = {"danger": 0, "caution": 1, "info": 2}


def get(calculator_id: object) -> Calculator:
    """The calculator for ``calculator_id``; :class:`UnknownCalculatorError` otherwise."""
    if isinstance(calculator_id, str) and calculator_id in CALCULATORS:
        return CALCULATORS[calculator_id]
    raise UnknownCalculatorError(
        [
            FieldError(
                "calculator",
                f"unknown calculator {calculator_id!r}; known calculators: "
                + ", ".join(CALCULATORS),
            )
        ]
    )


def calculate(calculator_id: str, inputs: Mapping[str, object]) -> dict[str, Any]:
    """Run one calculator on raw form values (strings or numbers).

    Returns a JSON-serializable dict: ``calculator``, ``inputs`` (the parsed values), the
    calculator's own result keys, ``warnings`` (``[{code, severity, message, sources}]``),
    ``notes`` and ``sources`` (every source key the result relies on, bibliography order).
    Raises :class:`InputError` (a ``ValueError``) listing every bad field.
    """
    calc = get(calculator_id)
    values = calc.parse(inputs)
    result = calc.function(**values)
    out: dict[str, Any] = {"calculator": calc.id, "inputs": values}
    out.update(result)
    if calc.guards is not None:
        apply_guards(out, calc.guards)
    # Dangers first, then cautions, then context (stable within a severity).
    out["warnings"].sort(key=lambda item: _SEVERITY_ORDER[item["severity"]])
    keys = set(calc.sources)
    for f in calc.fields:
        keys.update(f.sources)
    for group in calc.groups:
        keys.update(group.sources)
        for f in group.fields:
            keys.update(f.sources)
    for warning in out["warnings"]:
        keys.update(warning["sources"])
    out["sources"] = [key for key in SOURCES if key in keys]
    _check_json(out)
    return out


def _check_json(value: object) -> None:
    """Fail loudly if a result would not survive JSON (a NaN, a Fraction, a set...)."""

    def reject(obj: object) -> object:
        raise TypeError(f"result is not JSON-serializable: {obj!r}")

    json.dumps(value, default=reject, allow_nan=False)


__all__ = ["CALCULATORS", "InputError", "calculate", "get"]
