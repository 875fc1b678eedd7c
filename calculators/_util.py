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


_BASE = 10
SIGNIFICANT_FIGURES = 3
"""Figures kept by :func:`significant`: the rounding error is then at most 0.5% of the value."""


def significant(value: Fraction, figures: int = SIGNIFICANT_FIGURES) -> float | int:
    """A JSON number rounded half-up to ``figures`` significant figures (0.0005 stays 0.0005).

    Used for volumes, whose size varies over orders of magnitude, so that no display is off by
    more than 0.5%: a fixed number of decimals would show 0.0005 mL/day as 0.001.
    """
    if value == 0:
        return 0
    magnitude = 0
    size = abs(value)
    while size >= _BASE:
        size /= _BASE
        magnitude += 1
    while size < 1:
        size *= _BASE
        magnitude -= 1
    places = figures - 1 - magnitude
    if places >= 0:
        return number(value, places)
    scale = Fraction(10) ** -places
    return number(_half_up(value / scale) * scale)


def _half_up(value: Fraction) -> Fraction:
    return Fraction(int(value + Fraction(1, 2)) if value >= 0 else -int(-value + Fraction(1, 2)))
