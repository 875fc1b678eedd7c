"""The registry of calculators and the one entry point every caller uses."""

from __future__ import annotations

import inspect
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


def check_signature(calc: Calculator) -> None:
    """Raise :class:`TypeError` unless ``calc.fields`` match its function's signature.

    Every parameter must be keyword-only and have exactly one field or group of the same name;
    a field that may be blank (``required=False``, passed as ``None``) needs a parameter with a
    default. The build runs it on every calculator it renders (a :class:`SiteBuildError` there),
    and ``tests/calculators`` on every registered one, on each interpreter.
    """
    where = f"calculator {calc.id!r} ({calc.function.__module__}.{calc.function.__qualname__})"
    params = inspect.signature(calc.function).parameters
    problems: list[str] = []
    positional = [p.name for p in params.values() if p.kind is not inspect.Parameter.KEYWORD_ONLY]
    if positional:
        problems.append(f"parameters not keyword-only: {', '.join(positional)}")
    names = [f.name for f in calc.fields] + [g.name for g in calc.groups]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        problems.append(f"fields declared twice: {', '.join(duplicates)}")
    missing = [p for p in params if p not in names]
    if missing:
        problems.append(f"parameters with no field: {', '.join(missing)}")
    extra = [n for n in names if n not in params]
    if extra:
        problems.append(f"fields with no parameter: {', '.join(extra)}")
    for f in calc.fields:
        param = params.get(f.name)
        if param is not None and not f.required and param.default is inspect.Parameter.empty:
            problems.append(
                f"field {f.name!r} may be blank (passed as None) but the parameter has no default"
            )
    if problems:
        raise TypeError(
            f"{where}: its input spec does not match the function's signature: "
            + "; ".join(problems)
            + ". Make the spec's fields and the keyword-only parameters the same names."
        )


def _check_json(value: object) -> None:
    """Fail loudly if a result would not survive JSON (a NaN, a Fraction, a set...)."""

    def reject(obj: object) -> object:
        raise TypeError(f"result is not JSON-serializable: {obj!r}")

    json.dumps(value, default=reject, allow_nan=False)


__all__ = ["CALCULATORS", "InputError", "calculate", "check_signature", "get"]
