"""Input specs: each calculator declares its fields once, and this module validates raw values.

A spec drives the Python validation here, the HTML form (rendered at build time), the
Hypothesis strategies in the tests and the command line. No bound, label or unit is typed
twice. Validation never clamps: a bad value is reported, with the field, the limit and the
value received, and *every* bad field is reported at once.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "Calculator",
    "Choice",
    "Column",
    "Field",
    "FieldError",
    "InputError",
    "Output",
    "Table",
    "UnknownCalculatorError",
    "format_number",
]

Scalar = int | float | str

_FLOAT_MAX_INT = int(sys.float_info.max)


class InputError(ValueError):
    """Bad input: ``errors`` lists every failing field as a :class:`FieldError`."""

    def __init__(self, errors: list[FieldError] | tuple[FieldError, ...]) -> None:
        """Keep every error; the message joins them as ``field: message``."""
        self.errors: tuple[FieldError, ...] = tuple(errors)
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in self.errors))

    def as_dict(self) -> dict[str, Any]:
        """The errors as JSON-ready data: ``{"name", "message", "errors": [{field, message}]}``."""
        return {
            "name": type(self).__name__,
            "message": str(self),
            "errors": [{"field": e.field, "message": e.message} for e in self.errors],
        }


class UnknownCalculatorError(InputError, KeyError):
    """The calculator id is not in the registry."""

    def __str__(self) -> str:
        """The plain message (``KeyError`` alone would quote it)."""
        return ValueError.__str__(self)


@dataclass(frozen=True)
class FieldError:
    """One failing field and a message naming the field, the limit and the value."""

    field: str
    message: str


@dataclass(frozen=True)
class Choice:
    """One option of a choice field: the value the function receives and its label."""

    value: Scalar
    label: str


@dataclass(frozen=True)
class Field:
    """One input.

    ``kind`` is ``number``, ``choice`` or ``date`` (ISO ``YYYY-MM-DD``). For numbers,
    ``minimum``/``maximum`` are inclusive and ``step`` is the granularity a value must be a
    multiple of. ``limit_constants`` names the constants a bound comes from, so a test can
    check that no NF constant became a limit. A field with ``required=False`` may be left
    blank; it is then passed to the function as ``None``.
    """

    name: str
    label: str
    kind: str = "number"
    unit: str = ""
    minimum: float | None = None
    maximum: float | None = None
    step: float | None = None
    default: Scalar | None = None
    required: bool = True
    integer: bool = False
    choices: tuple[Choice, ...] = ()
    help: str = ""
    sources: tuple[str, ...] = ()
    limit_constants: tuple[str, ...] = ()

    def describe_range(self) -> str:
        """``between 5 and 100 mg/day`` (built from the spec, never typed by hand)."""
        unit = f" {self.unit}" if self.unit else ""
        lo = format_number(self.minimum) if self.minimum is not None else None
        hi = format_number(self.maximum) if self.maximum is not None else None
        if lo is not None and hi is not None:
            return f"between {lo} and {hi}{unit}"
        if lo is not None:
            return f"at least {lo}{unit}"
        if hi is not None:
            return f"at most {hi}{unit}"
        return "a number"

    def parse(self, raw: object) -> Scalar | None:
        """Convert one raw form value; raise ``ValueError`` with a user-facing message."""
        if raw is None or (isinstance(raw, str) and raw.strip() == ""):
            if self.required:
                raise ValueError(f"{self.label} is required (got a blank value)")
            return None
        if isinstance(raw, bool):
            raise ValueError(f"{self.label} must be {self._expected()} (got a boolean, {raw})")
        if self.kind == "number":
            return self._parse_number(raw)
        if self.kind == "choice":
            return self._parse_choice(raw)
        if self.kind == "date":
            return self._parse_date(raw)
        raise AssertionError(f"unknown field kind {self.kind!r}")  # pragma: no cover

    def _expected(self) -> str:
        if self.kind == "choice":
            return "one of " + ", ".join(_show(c.value) for c in self.choices)
        if self.kind == "date":
            return "a date written YYYY-MM-DD"
        return self.describe_range()

    def _parse_number(self, raw: object) -> float | int:
        if isinstance(raw, (int, float)):
            if isinstance(raw, int) and abs(raw) > _FLOAT_MAX_INT:  # float(raw) would overflow
                raise ValueError(
                    f"{self.label} must be {self.describe_range()} "
                    f"(got an integer too large for a number, {raw.bit_length()} bits)"
                )
            value = float(raw)
        elif isinstance(raw, str):
            value = self._parse_decimal(raw)
        else:
            raise ValueError(
                f"{self.label} must be a number (got a value of type {type(raw).__name__})"
            )
        # NaN passes every `lo <= x <= hi` test silently, so it is rejected before any range.
        if math.isnan(value) or math.isinf(value):
            raise ValueError(f"{self.label} must be a finite number (got {raw!r})")
        if (self.minimum is not None and value < self.minimum) or (
            self.maximum is not None and value > self.maximum
        ):
            raise ValueError(
                f"{self.label} must be {self.describe_range()} (got {format_number(value)})"
                + self._unit_hint(value)
            )
        if self.integer and value != int(value):
            raise ValueError(f"{self.label} must be a whole number (got {format_number(value)})")
        if self.step is not None and not _is_multiple(value, self.step):
            unit = f" {self.unit}" if self.unit else ""
            raise ValueError(
                f"{self.label} must be a multiple of {format_number(self.step)}{unit} "
                f"(got {format_number(value)})"
            )
        if self.integer:
            return int(value)
        return int(value) if value == int(value) else value

    def _parse_decimal(self, raw: str) -> float:
        text = raw.strip()
        # Only plain ASCII decimals: float() would also take "1_0" and non-ASCII digits.
        if _DECIMAL.fullmatch(text):
            return float(text)
        if text.lower().lstrip("+-") in {"nan", "inf", "infinity"}:
            return float(text)  # rejected by the caller as not finite, before any range
        raise ValueError(f"{self.label} must be a number (got {raw!r})")

    def _unit_hint(self, value: float) -> str:
        """A hint when the value looks like an mg/mcg mix-up (a factor of 1000)."""
        if self.minimum is None or self.maximum is None:
            return ""
        if "mcg" in self.unit and self.minimum <= value * 1000 <= self.maximum:
            return "; is this in mg? This field is in mcg (1 mg = 1000 mcg)"
        if (
            "mg" in self.unit
            and "mcg" not in self.unit
            and self.minimum <= value / 1000 <= self.maximum
        ):
            return "; is this in mcg? This field is in mg (1 mg = 1000 mcg)"
        return ""

    def _parse_choice(self, raw: object) -> Scalar:
        for choice in self.choices:
            if isinstance(choice.value, str):
                if isinstance(raw, str) and raw.strip() == choice.value:
                    return choice.value
            elif isinstance(raw, (int, float)) and not isinstance(raw, bool):
                # Python compares int and float exactly; float(raw) overflows on a huge int.
                if raw == choice.value:
                    return choice.value
            elif isinstance(raw, str):
                try:
                    number = float(raw.strip())
                except ValueError:
                    continue
                if number == float(choice.value):
                    return choice.value
        raise ValueError(f"{self.label} must be {self._expected()} (got {_show(raw)})")

    def _parse_date(self, raw: object) -> str:
        if isinstance(raw, str):
            try:
                return dt.date.fromisoformat(raw.strip()).isoformat()
            except ValueError:
                pass
        raise ValueError(f"{self.label} must be {self._expected()} (got {_show(raw)})")


@dataclass(frozen=True)
class Output:
    """One scalar result shown in the summary: key in the result dict, label and unit."""

    key: str
    label: str
    unit: str = ""


@dataclass(frozen=True)
class Column:
    """One column of a result table."""

    key: str
    label: str
    unit: str = ""


@dataclass(frozen=True)
class Table:
    """A list of rows in the result (``key``), shown as a table.

    If ``chart_y`` is set, the rows are also drawn as a step chart of ``chart_y`` by day.
    """

    key: str
    title: str
    columns: tuple[Column, ...]
    chart_y: str | None = None
    chart_label: str = ""


@dataclass(frozen=True)
class Calculator:
    """A registered calculator: id, title, function, its inputs and how to show its result."""

    id: str
    title: str
    summary: str
    function: Callable[..., dict[str, Any]]
    fields: tuple[Field, ...]
    outputs: tuple[Output, ...]
    tables: tuple[Table, ...] = ()
    sources: tuple[str, ...] = ()

    def field(self, name: str) -> Field:
        """The field called ``name``."""
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    def defaults(self) -> dict[str, Scalar | None]:
        """Every field's default, as the form shows it first."""
        return {f.name: f.default for f in self.fields}

    def parse(self, inputs: Mapping[str, object]) -> dict[str, Scalar | None]:
        """Validate raw inputs against the spec; raise :class:`InputError` listing every error.

        A field missing from ``inputs`` takes its default; a field present but blank is blank
        (an error if required). Unknown field names are rejected.
        """
        if not isinstance(inputs, Mapping):
            raise InputError(
                [
                    FieldError(
                        "inputs",
                        f"inputs must be a mapping of field names to values "
                        f"(got {type(inputs).__name__})",
                    )
                ]
            )
        known = {f.name for f in self.fields}
        errors = [
            FieldError(
                str(name),
                f"unknown field {name!r} for {self.id}; known fields: " + ", ".join(sorted(known)),
            )
            for name in inputs
            if name not in known
        ]
        values: dict[str, Scalar | None] = {}
        for f in self.fields:
            raw = inputs.get(f.name, f.default)
            try:
                values[f.name] = f.parse(raw)
            except ValueError as exc:
                errors.append(FieldError(f.name, str(exc)))
        if errors:
            raise InputError(errors)
        return values


@dataclass
class Warnings:
    """Collects warnings for a result, each with code, severity, message and sources."""

    items: list[dict[str, Any]] = field(default_factory=list)

    def add(self, code: str, severity: str, message: str, *sources: str) -> None:
        """Add one warning; ``severity`` is ``info``, ``caution`` or ``danger``."""
        if severity not in {"info", "caution", "danger"}:
            raise ValueError(f"unknown warning severity {severity!r}")
        self.items.append(
            {"code": code, "severity": severity, "message": message, "sources": list(sources)}
        )


def format_number(value: float | None, places: int = 2) -> str:
    """``80`` not ``80.0``; at most ``places`` decimals, trailing zeros dropped."""
    if value is None:
        return ""
    if isinstance(value, int) or float(value).is_integer():
        return str(int(value))
    text = f"{value:.{places}f}".rstrip("0").rstrip(".")
    return "0" if text in {"-0", ""} else text


_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def _show(raw: object) -> str:
    try:
        return repr(raw) if isinstance(raw, str) else str(raw)
    except ValueError:  # an int longer than sys.get_int_max_str_digits() cannot be shown
        return f"a {type(raw).__name__} too large to show"


def _is_multiple(value: float, step: float) -> bool:
    ratio = value / step
    return abs(ratio - round(ratio)) < 1e-9 * max(1.0, abs(ratio))
