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
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .hazards import SEVERITY_BY_CODE

__all__ = [
    "Calculator",
    "Choice",
    "Column",
    "Field",
    "FieldError",
    "Group",
    "InputError",
    "Output",
    "Table",
    "UnknownCalculatorError",
    "UnregisteredWarningError",
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


class UnregisteredWarningError(AssertionError):
    """A calculator raised a warning code that the hazard register does not hold."""


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
    ``minimum``/``maximum`` are inclusive and ``step`` is only a hint for the form (a measured
    value such as a creatinine of 1.458 mg/dL is taken as typed). An amount that must be
    givable (a tablet unit, a dose the schedule divides) sets ``multiple_of`` and says why in
    ``multiple_reason``; a value that is not a multiple is then an error whose message gives
    the reason. ``limit_constants`` names the constants a bound comes from, so a test can
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
    multiple_of: float | None = None
    multiple_reason: str = ""
    #: A range that depends on a unit chosen in another field: ``range_by`` names that choice
    #: field and ``ranges`` gives ``(choice value, unit as shown, minimum, maximum)`` for each
    #: of its values.
    #: ``minimum``/``maximum`` then stay the envelope (the form's attributes), and a value
    #: outside the chosen unit's range is refused with that unit's range (QA D24).
    range_by: str = ""
    ranges: tuple[tuple[str, str, float, float], ...] = ()

    def describe_range(self) -> str:
        """``between 5 and 100 mg/day`` (built from the spec, never typed by hand).

        A field whose range depends on a unit gives each unit's range (QA D24).
        """
        if self.ranges:
            return " or ".join(
                f"between {format_number(lo)} and {format_number(hi)} {shown}"
                for _, shown, lo, hi in self.ranges
            )
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

    def parse(self, raw: object, unit: str | None = None) -> Scalar | None:
        """Convert one raw form value; raise ``ValueError`` with a user-facing message.

        ``unit`` is the value of the ``range_by`` field, for a field whose range depends on
        it (None when that field is itself invalid: the envelope is checked then).
        """
        if raw is None or (isinstance(raw, str) and raw.strip() == ""):
            if self.required:
                raise ValueError(f"{self.label} is required (got a blank value)")
            return None
        if isinstance(raw, bool):
            raise ValueError(f"{self.label} must be {self._expected()} (got a boolean, {raw})")
        if isinstance(raw, str):
            # Full-width digits and points (a Japanese or Chinese keyboard) read as ASCII, the
            # same whether typed or from a link; NFKC changes nothing else a number needs.
            raw = unicodedata.normalize("NFKC", raw)
        if self.kind == "number":
            return self._parse_number(raw, unit)
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

    def _unit_range(self, unit: str | None) -> tuple[str, float, float] | None:
        for value, shown, lo, hi in self.ranges:
            if value == unit:
                return shown, lo, hi
        return None

    def _parse_number(self, raw: object, unit: str | None = None) -> float | int:
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
        # A message echoes the value as given, never a rounded one: "(got 0)" for 0.004 and
        # "between 0.5 and 20 (got 20)" for 20.004 contradicted the reader (QA D7).
        typed = _typed(raw)
        # A plain decimal too large for a float ("1e309", 400 nines) is a number out of range,
        # not "not finite"; NaN and the words inf/infinity are not numbers at all.
        too_large = isinstance(raw, str) and _DECIMAL.fullmatch(raw.strip()) is not None
        if math.isinf(value) and too_large:
            raise ValueError(f"{self.label} must be {self.describe_range()} (got {typed})")
        # NaN passes every `lo <= x <= hi` test silently, so it is rejected before any range.
        if math.isnan(value) or math.isinf(value):
            raise ValueError(f"{self.label} must be a finite number (got {_show(raw)})")
        self._check_range(value, typed, unit)
        if self.integer and value != int(value):
            raise ValueError(f"{self.label} must be a whole number (got {typed})")
        if self.multiple_of is not None and not _is_multiple(value, self.multiple_of):
            unit = f" {self.unit}" if self.unit else ""
            reason = f", {self.multiple_reason}" if self.multiple_reason else ""
            raise ValueError(
                f"{self.label} must be a multiple of {format_number(self.multiple_of)}{unit}"
                f"{reason} (got {typed})"
            )
        if self.integer:
            return int(value)
        return int(value) if value == int(value) else value

    def _check_range(self, value: float, typed: str, unit: str | None) -> None:
        """Refuse a value outside the field's range (the chosen unit's, for ``range_by``)."""
        bounds = self._unit_range(unit)
        if bounds is not None:
            shown, lo, hi = bounds
            if not lo <= value <= hi:
                others = [
                    other
                    for choice_value, other, o_lo, o_hi in self.ranges
                    if choice_value != unit and o_lo <= value <= o_hi
                ]
                hint = f"; is this in {others[0]}?" if others else ""
                raise ValueError(
                    f"{self.label} in {shown} must be between {format_number(lo)} and "
                    f"{format_number(hi)} (got {typed}){hint}"
                )
        elif (self.minimum is not None and value < self.minimum) or (
            self.maximum is not None and value > self.maximum
        ):
            raise ValueError(
                f"{self.label} must be {self.describe_range()} (got {typed})"
                + self._unit_hint(value)
            )

    def _parse_decimal(self, raw: str) -> float:
        text = raw.strip()
        # Only plain ASCII decimals: float() would also take "1_0" and non-ASCII digits.
        if _DECIMAL.fullmatch(text):
            return float(text)
        if text.lower().lstrip("+-") in {"nan", "inf", "infinity"}:
            return float(text)  # rejected by the caller as not finite, before any range
        if _COMMA_DECIMAL.fullmatch(text):
            # Never guessed: "7,5" is 7.5 in much of Europe, but "1,500" is 1500 in English,
            # and a wrong guess is a 10x or 1000x dose. The field says how to write it.
            whole, _, part = text.partition(",")
            raise ValueError(
                f"{self.label} must be written with a decimal point, not a comma: "
                f"{whole}.{part} or {whole}{part}? Type the number you mean with a point "
                f"(got {_show(raw)})"
            )
        raise ValueError(f"{self.label} must be a number (got {_show(raw)})")

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
    # The x axis: rows keyed by ``day`` (the default) or by ``hour`` (a 24-hour schedule).
    chart_x: str = "day"
    # More series drawn on the same chart, as ``(row key, label)`` (dashed, after chart_y).
    chart_series: tuple[tuple[str, str], ...] = ()


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
    groups: tuple[Group, ...] = ()
    guards: Any = None
    """What the engine's guards read (a :class:`calculators.guards.Guards`)."""

    def field(self, name: str) -> Field:
        """The field called ``name``."""
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    def defaults(self) -> dict[str, Any]:
        """Every field's default, as the form shows it first (a group: its default items)."""
        values: dict[str, Any] = {f.name: f.default for f in self.fields}
        for group in self.groups:
            values[group.name] = [
                {f.name: item.get(f.name, f.default) for f in group.fields}
                for item in group.default
            ]
        return values

    def parse(self, inputs: Mapping[str, object]) -> dict[str, Any]:
        """Validate raw inputs against the spec; raise :class:`InputError` listing every error.

        A field missing from ``inputs`` takes its default; a field present but blank is blank
        (an error if required). Unknown field names are rejected. Each repeated group
        (:class:`Group`) becomes a list of item dicts (see :func:`parse_groups`).
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
        group_values, group_errors, consumed = parse_groups(self.groups, inputs)
        listed = sorted(known | {g.pattern() for g in self.groups})
        errors = [
            FieldError(
                str(name),
                f"unknown field {name!r} for {self.id}; known fields: " + ", ".join(listed),
            )
            for name in inputs
            if name not in known and name not in consumed
        ]
        parsed: dict[str, Any] = {}
        field_errors: dict[str, FieldError] = {}
        # A field whose range depends on another (a unit choice) is read after it.
        for f in sorted(self.fields, key=lambda f: bool(f.range_by)):
            raw = inputs.get(f.name, f.default)
            unit = parsed.get(f.range_by) if f.range_by else None
            try:
                parsed[f.name] = f.parse(raw, unit)
            except ValueError as exc:
                field_errors[f.name] = FieldError(f.name, str(exc))
        values = {f.name: parsed[f.name] for f in self.fields if f.name in parsed}
        errors += [field_errors[f.name] for f in self.fields if f.name in field_errors]
        errors += group_errors
        if errors:
            raise InputError(errors)
        values.update(group_values)
        return values


@dataclass
class Warnings:
    """Collects warnings for a result, each with code, severity, message and sources."""

    items: list[dict[str, Any]] = field(default_factory=list)

    def add(self, code: str, severity: str, message: str, *sources: str) -> None:
        """Add one warning; ``severity`` is ``info``, ``caution`` or ``danger``.

        The code must belong to a hazard in :mod:`calculators.hazards` with that severity:
        a warning that no hazard accounts for is a defect, and fails here, at once.
        """
        if severity not in {"info", "caution", "danger"}:
            raise ValueError(f"unknown warning severity {severity!r}")
        registered = SEVERITY_BY_CODE.get(code)
        if registered is None:
            raise UnregisteredWarningError(
                f"warning code {code!r} belongs to no hazard in calculators/hazards.py"
            )
        if registered != severity:
            raise UnregisteredWarningError(
                f"warning code {code!r} is registered as {registered!r}, raised as {severity!r}"
            )
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
# A number written with a comma where a point belongs ("7,5", "1,500", ",5").
_COMMA_DECIMAL = re.compile(r"[+-]?[0-9]*,[0-9]+")

SHOW_MAX_CHARS = 40
"""Echoed input is cut to this many characters: a crafted link cannot fill a message."""


def _show(raw: object) -> str:
    """The value as received, for a message; long values are cut and their length given."""
    try:
        text = repr(raw) if isinstance(raw, str) else str(raw)
    except ValueError:  # an int longer than sys.get_int_max_str_digits() cannot be shown
        return f"a {type(raw).__name__} too large to show"
    if len(text) > SHOW_MAX_CHARS:
        length = len(raw) if isinstance(raw, str) else len(text)
        return f"{text[: SHOW_MAX_CHARS - 1]}… ({length} characters)"
    return text


def _typed(raw: object) -> str:
    """A number as it was given, for a message: the text as typed, never rounded.

    Text is echoed without quotes (``got 0.004``), cut to :data:`SHOW_MAX_CHARS` with its
    length. A float from a Python caller shows 12 significant digits (``20.004``, ``150`` for
    150.0): enough for any value a person gives, without a sum's binary noise (0.1 - 0.05).
    """
    if isinstance(raw, str):
        text = raw.strip()
        if len(text) > SHOW_MAX_CHARS:
            return f"{text[: SHOW_MAX_CHARS - 1]}… ({len(text)} characters)"
        return text
    if isinstance(raw, float):
        return f"{raw:.12g}"
    return _show(raw)


def as_given(value: float) -> str:
    """A parsed number for a cross-field message, never rounded (``20.004``, ``150``).

    A calculator's own checks see the parsed value, not the text typed: this shows it to 12
    significant digits, as :func:`_typed` does for a float (QA D7).
    """
    return _typed(value)


def _is_multiple(value: float, step: float) -> bool:
    ratio = value / step
    return abs(ratio - round(ratio)) < 1e-9 * max(1.0, abs(ratio))


# --- repeated groups ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Group:
    """A repeated group of fields: the form can add and remove items (a flex schedule's steps).

    The calculator's function receives ``name`` as a list of item dicts, each holding every
    field of the group, parsed by :meth:`Field.parse`. Callers send the items in either of
    two shapes, never both:

    - a list: ``{"steps": [{"start_hours": 0, "duration_hours": 24, ...}, ...]}`` (Python,
      JSON);
    - flat keys ``<group>.<index>.<field>``: ``{"steps.0.start_hours": "0", ...}``, which is
      what the HTML form sends (its inputs are named so), what the page URL keeps
      (``?itb-flex-schedule.steps.0.start_hours=0``) and what the command line builds. Indices
      are 0, 1, 2... without gaps, written without leading zeros.

    With neither, the group takes ``default`` (its items as the form first shows them). A
    field missing from an item takes the field's own default. Every error names its place:
    ``steps`` for the item count, ``steps.1`` for an item that is not a mapping,
    ``steps.1.rate_mcg_per_hour`` for a value, with a message starting ``Step 2:``.
    """

    name: str
    label: str
    item_label: str
    fields: tuple[Field, ...]
    min_items: int = 0
    max_items: int = 12
    default: tuple[Mapping[str, Scalar | None], ...] = ()
    help: str = ""
    sources: tuple[str, ...] = ()
    item_plural: str = ""  # "boluses"; empty: item_label + "s"

    @property
    def plural(self) -> str:
        """The items' name in the plural, lower case: ``steps``, ``boluses``."""
        return (self.item_plural or f"{self.item_label}s").lower()

    def key(self, index: int, field_name: str) -> str:
        """The flat key of one value: ``steps.0.rate_mcg_per_hour``."""
        return f"{self.name}.{index}.{field_name}"

    def pattern(self) -> str:
        """How the flat keys are written, for messages: ``steps.<n>.<field>``."""
        return f"{self.name}.<n>.<field>"

    def field(self, name: str) -> Field:
        """The group's field called ``name``."""
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    def describe_count(self) -> str:
        """``between 1 and 12 steps`` (built from the spec)."""
        plural = self.plural
        if self.min_items == self.max_items:
            return f"exactly {self.min_items} {plural}"
        return f"between {self.min_items} and {self.max_items} {plural}"

    def parse_items(
        self, inputs: Mapping[str, object]
    ) -> tuple[list[dict[str, Scalar | None]], list[FieldError], set[object]]:
        """This group's items from ``inputs``: (items, errors, the input keys it consumed)."""
        flat, consumed = self._flat(inputs)
        if self.name in inputs:
            consumed.add(self.name)
        raw_items, message = self._raw_items(inputs, flat)
        if message is None and not self.min_items <= len(raw_items) <= self.max_items:
            message = f"{self.label} must have {self.describe_count()} (got {len(raw_items)})"
        if message is not None:
            return [], [FieldError(self.name, message)], consumed
        items: list[dict[str, Scalar | None]] = []
        errors: list[FieldError] = []
        for index, raw_item in enumerate(raw_items):
            item, item_errors = self._parse_item(index, raw_item)
            errors += item_errors
            items.append(item)
        return items, errors, consumed

    def _flat(
        self, inputs: Mapping[str, object]
    ) -> tuple[dict[int, dict[str, object]], set[object]]:
        """The ``<group>.<index>.<field>`` keys, by index; a malformed key is not consumed."""
        flat: dict[int, dict[str, object]] = {}
        consumed: set[object] = set()
        prefix = f"{self.name}."
        names = {f.name for f in self.fields}
        for given_key, raw in inputs.items():
            key: object = given_key  # a caller may pass any key, whatever the annotation says
            if not isinstance(key, str) or not key.startswith(prefix):
                continue
            index_text, dot, field_name = key[len(prefix) :].partition(".")
            if dot and _INDEX.fullmatch(index_text) and field_name in names:
                consumed.add(key)
                flat.setdefault(int(index_text), {})[field_name] = raw
        return flat, consumed

    def _raw_items(
        self, inputs: Mapping[str, object], flat: dict[int, dict[str, object]]
    ) -> tuple[list[object], str | None]:
        """The items as given (a list, flat keys or the default), or a message saying why not."""
        plural = self.plural
        if self.name in inputs:
            given = inputs[self.name]
            if flat:
                return [], (
                    f"{self.label}: give the {plural} either as a list ({self.name}) or as "
                    f"{self.pattern()} keys, not both"
                )
            if not isinstance(given, (list, tuple)):
                return [], f"{self.label} must be a list of {plural} (got {_kind_of(given)})"
            return list(given), None
        if flat:
            indices = sorted(flat)
            if indices != list(range(len(indices))):
                shown = ", ".join(str(i) for i in indices[:_SHOW_INDICES])
                more = ", ..." if len(indices) > _SHOW_INDICES else ""
                return [], (
                    f"{self.label}: {plural} must be numbered 0, 1, 2... without gaps "
                    f"(got {shown}{more})"
                )
            return [flat[i] for i in indices], None
        return [dict(item) for item in self.default], None

    def _parse_item(
        self, index: int, raw_item: object
    ) -> tuple[dict[str, Scalar | None], list[FieldError]]:
        where = f"{self.item_label} {index + 1}"
        if not isinstance(raw_item, Mapping):
            return {}, [
                FieldError(
                    f"{self.name}.{index}",
                    f"{where} must be a mapping of field names to values "
                    f"(got {_kind_of(raw_item)})",
                )
            ]
        names = {f.name for f in self.fields}
        errors = [
            FieldError(
                f"{self.name}.{index}",
                f"{where}: unknown field {_show(name)}; known fields: " + ", ".join(sorted(names)),
            )
            for name in raw_item
            if name not in names
        ]
        item: dict[str, Scalar | None] = {}
        for f in self.fields:
            try:
                item[f.name] = f.parse(raw_item.get(f.name, f.default))
            except ValueError as exc:
                errors.append(FieldError(self.key(index, f.name), f"{where}: {exc}"))
        return item, errors


def parse_groups(
    groups: tuple[Group, ...], inputs: Mapping[str, object]
) -> tuple[dict[str, list[dict[str, Scalar | None]]], list[FieldError], set[object]]:
    """Every group's items: (values by group name, errors, the input keys consumed)."""
    values: dict[str, list[dict[str, Scalar | None]]] = {}
    errors: list[FieldError] = []
    consumed: set[object] = set()
    for group in groups:
        items, group_errors, keys = group.parse_items(inputs)
        values[group.name] = items
        errors += group_errors
        consumed |= keys
    return values, errors, consumed


_INDEX = re.compile(r"0|[1-9][0-9]{0,3}")
_SHOW_INDICES = 8


def _kind_of(raw: object) -> str:
    if isinstance(raw, str):
        return f"the text {_show(raw)}"
    return f"a value of type {type(raw).__name__}"
