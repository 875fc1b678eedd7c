"""Small helpers shared by the calculator modules (exact arithmetic and rounding)."""

from __future__ import annotations

from fractions import Fraction

from .spec import FieldError, InputError


def exact(value: float) -> Fraction:
    """The decimal value as typed (``0.1`` is 1/10, not the nearest binary float)."""
    return Fraction(str(value))


def number(value: Fraction, places: int = 2) -> float | int:
    """A JSON number: an int when whole, else rounded half-up to ``places`` decimals."""
    if value.denominator == 1:
        return int(value)
    scaled = value * 10**places
    rounded = Fraction(
        int(scaled + Fraction(1, 2)) if scaled >= 0 else -int(-scaled + Fraction(1, 2))
    )
    result = rounded / 10**places
    return int(result) if result.denominator == 1 else float(result)


def fail(field: str, message: str) -> InputError:
    """An :class:`InputError` for one field (cross-field checks inside a calculator)."""
    return InputError([FieldError(field, message)])
