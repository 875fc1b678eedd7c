"""Baclofen dosing calculators: one tested Python source for every number on the site.

Standard library only; runs unchanged on CPython >= 3.11 and in Pyodide.

Public API:

- :func:`calculate` ``(calculator_id, inputs) -> dict`` runs one calculator on raw form values;
- :data:`CALCULATORS` maps each id to its :class:`Calculator` spec (fields, outputs, sources);
- :class:`InputError` (a ``ValueError``) lists every bad field, each with a message naming the
  field, the limit and the value received.

Teaching material, not a prescribing tool.
"""

from .registry import CALCULATORS, calculate
from .spec import Calculator, Field, InputError, UnknownCalculatorError

__all__ = [
    "CALCULATORS",
    "Calculator",
    "Field",
    "InputError",
    "UnknownCalculatorError",
    "calculate",
]
__version__ = "0.1.0"
