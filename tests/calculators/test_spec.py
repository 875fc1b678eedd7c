"""Input validation: every bad value named with field, limit and value; nothing clamped."""

import math
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calculators import CALCULATORS, InputError, UnknownCalculatorError, calculate
from calculators.spec import SHOW_MAX_CHARS, Field, FieldError, format_number

NUMBER_FIELDS = [
    (calc.id, f.name) for calc in CALCULATORS.values() for f in calc.fields if f.kind == "number"
]
REQUIRED_FIELDS = [
    (calc.id, f.name) for calc in CALCULATORS.values() for f in calc.fields if f.required
]
OPTIONAL_FIELDS = [
    (calc.id, f.name) for calc in CALCULATORS.values() for f in calc.fields if not f.required
]


def _field(calc_id, name):
    return CALCULATORS[calc_id].field(name)


def _only_error(excinfo, name):
    """The one FieldError for ``name`` (exactly one must exist)."""
    (error,) = [e for e in excinfo.value.errors if e.field == name]
    return error


# --- blanks, NaN, infinities, booleans ------------------------------------------------------


@pytest.mark.parametrize(("calc_id", "name"), REQUIRED_FIELDS)
@pytest.mark.parametrize("blank", ["", "   ", None])
def test_spec_blank_required_field_is_an_error(calc_id, name, blank):
    """A required field left blank is an error naming the field, never its default."""
    label = re.escape(_field(calc_id, name).label)
    with pytest.raises(InputError, match=rf"{name}: {label} is required \(got a blank value\)"):
        calculate(calc_id, {name: blank})


@pytest.mark.parametrize(("calc_id", "name"), OPTIONAL_FIELDS)
def test_spec_blank_optional_field_is_none(calc_id, name):
    """An optional field left blank reaches the calculator as None (no silent default)."""
    assert calculate(calc_id, {name: ""})["inputs"][name] is None


@pytest.mark.parametrize(("calc_id", "name"), NUMBER_FIELDS)
@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("nan", "'nan'"),
        ("NaN", "'NaN'"),
        (math.nan, "nan"),
        ("inf", "'inf'"),
        ("-inf", "'-inf'"),
        (math.inf, "inf"),
        (-math.inf, "-inf"),
    ],
)
def test_spec_nan_and_infinity_are_errors(calc_id, name, raw, shown):
    """NaN and +-inf are rejected before any range check, quoting the value."""
    label = re.escape(_field(calc_id, name).label)
    with pytest.raises(
        InputError, match=rf"{name}: {label} must be a finite number \(got {re.escape(shown)}\)"
    ):
        calculate(calc_id, {name: raw})


@pytest.mark.parametrize(
    ("calc_id", "name"), [(c.id, f.name) for c in CALCULATORS.values() for f in c.fields]
)
@pytest.mark.parametrize("raw", [True, False])
def test_spec_booleans_are_errors(calc_id, name, raw):
    """True/False are not 1/0: every field rejects a boolean, naming what it expected."""
    f = _field(calc_id, name)
    with pytest.raises(
        InputError, match=rf"{name}: {re.escape(f.label)} must be .*\(got a boolean, {raw}\)"
    ):
        calculate(calc_id, {name: raw})


@pytest.mark.parametrize(("calc_id", "name"), NUMBER_FIELDS)
@pytest.mark.parametrize("raw", ["abc", "5 mg", "0x10", "1 000", "\U0001f48a", "1.2.3"])
def test_spec_non_numbers_are_errors(calc_id, name, raw):
    """Text that is not a plain number (units typed in, hex, emoji, spaces) is rejected."""
    with pytest.raises(
        InputError, match=rf"{name}: .* must be a number \(got '{re.escape(raw)}'\)"
    ):
        calculate(calc_id, {name: raw})


@pytest.mark.parametrize(("calc_id", "name"), NUMBER_FIELDS)
@pytest.mark.parametrize(
    ("raw", "point", "joined"), [("1,5", "1.5", "15"), ("12,5", "12.5", "125")]
)
def test_spec_decimal_comma_is_refused_never_read(calc_id, name, raw, point, joined):
    """'1,5' is never read as 15 (a 10x dose) nor guessed as 1.5: the field says how to write it."""
    f = _field(calc_id, name)
    with pytest.raises(
        InputError,
        match=rf"{name}: {re.escape(f.label)} must be written with a decimal point, not a comma: "
        rf"{re.escape(point)} or {joined}\? .*\(got '{re.escape(raw)}'\)",
    ):
        calculate(calc_id, {name: raw})


@pytest.mark.parametrize("raw", ["1,500", ",5", "-7,5", "7,50"])
def test_spec_decimal_comma_forms_are_all_refused(raw):
    """Thousands-style and leading commas are refused the same way (no guess either way)."""
    with pytest.raises(InputError, match=r"not a comma"):
        calculate("oral-to-iv", {"oral_daily_mg": raw})


def test_spec_decimal_comma_is_not_refused_inside_the_range_check_control():
    """Control: the same digits with a point are accepted, so the comma is what is refused."""
    assert calculate("oral-to-iv", {"oral_daily_mg": "7.5"})["oral_daily_mg"] == 7.5


@pytest.mark.parametrize(
    ("typed", "ascii_text"), [("\uff17\uff0e\uff15", "7.5"), ("\uff16\uff10", "60")]
)
def test_spec_full_width_digits_read_as_ascii(typed, ascii_text):
    """Full-width digits (an East Asian keyboard) give exactly the ASCII value's result."""
    assert calculate("oral-to-iv", {"oral_daily_mg": typed}) == calculate(
        "oral-to-iv", {"oral_daily_mg": ascii_text}
    )


def test_spec_long_values_are_truncated_in_messages():
    """A 20,000-character value is echoed cut to SHOW_MAX_CHARS, with its length."""
    raw = "9" * 10_000 + "x" * 10_000
    with pytest.raises(InputError) as info:
        calculate("oral-to-iv", {"oral_daily_mg": raw})
    message = info.value.errors[0].message
    assert "(20000 characters)" in message
    assert len(message) < SHOW_MAX_CHARS + 120


def test_spec_short_values_are_echoed_whole():
    """Control: a value under the limit is quoted whole, with no length."""
    with pytest.raises(InputError, match=r"\(got 'abc'\)$"):
        calculate("oral-to-iv", {"oral_daily_mg": "abc"})


@pytest.mark.parametrize(("calc_id", "name"), NUMBER_FIELDS)
@pytest.mark.parametrize("raw", [[60], {"value": 60}])
def test_spec_containers_are_errors(calc_id, name, raw):
    """A list or a dict is not a number: the error names the type received."""
    with pytest.raises(
        InputError,
        match=rf"{name}: .* must be a number \(got a value of type {type(raw).__name__}\)",
    ):
        calculate(calc_id, {name: raw})


@pytest.mark.parametrize(("calc_id", "name"), NUMBER_FIELDS)
def test_spec_huge_integer_is_an_error_not_a_crash(calc_id, name):
    """An int too large for a float (10**400) is an InputError naming field and range."""
    f = _field(calc_id, name)
    with pytest.raises(
        InputError,
        match=rf"{name}: {re.escape(f.label)} must be {re.escape(f.describe_range())} "
        rf"\(got an integer too large for a number, \d+ bits\)",
    ):
        calculate(calc_id, {name: 10**400})


@pytest.mark.parametrize(
    ("calc_id", "name"),
    [(c.id, f.name) for c in CALCULATORS.values() for f in c.fields if f.kind == "choice"],
)
@pytest.mark.parametrize("raw", [10**400, 10**5000, [10**5000]], ids=["1e400", "1e5000", "list"])
def test_spec_huge_integer_choice_is_an_error_not_a_crash(calc_id, name, raw):
    """A choice field given an enormous int (or one too long to print) is an InputError."""
    with pytest.raises(InputError, match=rf"{name}: .* must be one of .*\(got "):
        calculate(calc_id, {name: raw})


@pytest.mark.parametrize(("calc_id", "name"), NUMBER_FIELDS)
@pytest.mark.parametrize(("raw", "shown"), [("1e999", "1e999"), (" -1e999", "-1e999")])
def test_spec_number_too_large_for_a_float_is_out_of_range(calc_id, name, raw, shown):
    """'1e999' is a number, too large: the range message, not "must be a finite number" (D7)."""
    f = _field(calc_id, name)
    expected = f"{f.label} must be {f.describe_range()} (got {shown})"
    with pytest.raises(InputError, match=rf"{name}: {re.escape(expected)}$"):
        calculate(calc_id, {name: raw})


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("0.004", "0.004"),
        ("20.004", "20.004"),
        (" 0.0040 ", "0.0040"),
        ("99999999999999999999999", "99999999999999999999999"),
        ("1e300", "1e300"),
        ("\uff12\uff15", "25"),  # full-width digits are read as ASCII (NFKC), then echoed so
        (0.004, "0.004"),
        (20.004, "20.004"),
        (10**30, str(10**30)),
    ],
)
def test_spec_message_echoes_the_value_as_typed(raw, shown):
    """The range message quotes the value as given, never rounded: not "(got 0)" (QA D7)."""
    f = _field("oral-titration", "start_dose_mg")
    expected = f"{f.label} must be {f.describe_range()} (got {shown})"
    with pytest.raises(InputError, match=rf"^start_dose_mg: {re.escape(expected)}$"):
        calculate("oral-titration", {"start_dose_mg": raw})


@pytest.mark.parametrize("digits", [301, 10_000])
def test_spec_message_cuts_a_long_typed_number(digits):
    """A long run of digits (a crafted link) is cut in the message, with its length (QA D7)."""
    f = _field("oral-titration", "start_dose_mg")
    shown = "9" * (SHOW_MAX_CHARS - 1) + f"\u2026 ({digits} characters)"
    expected = f"{f.label} must be {f.describe_range()} (got {shown})"
    with pytest.raises(InputError, match=rf"^start_dose_mg: {re.escape(expected)}$"):
        calculate("oral-titration", {"start_dose_mg": "9" * digits})


# --- ranges, steps, integers: never clamped --------------------------------------------------


def _range(calc_id: str, f: Field) -> tuple[float, float, str]:
    """A field's bounds and the start of its range message.

    A field whose range depends on a unit choice (``range_by``, QA D24) uses the default unit's.
    """
    if f.range_by:
        unit = _field(calc_id, f.range_by).default
        ((shown, lo, hi),) = [(s, lo, hi) for v, s, lo, hi in f.ranges if v == unit]
        return (
            lo,
            hi,
            f"{f.label} in {shown} must be between {format_number(lo)} and {format_number(hi)}",
        )
    assert f.minimum is not None
    assert f.maximum is not None
    return f.minimum, f.maximum, f"{f.label} must be {f.describe_range()}"


@pytest.mark.parametrize(("calc_id", "name"), NUMBER_FIELDS)
def test_spec_above_maximum_is_an_error_not_a_clamp(calc_id, name):
    """One step above the maximum is an error naming the field, the range and the value."""
    f = _field(calc_id, name)
    _, hi, prefix = _range(calc_id, f)
    value = hi + f.step
    expected = f"{prefix} (got {value:.12g})"
    with pytest.raises(InputError, match=rf"{name}: {re.escape(expected)}") as excinfo:
        calculate(calc_id, {name: value})
    assert _only_error(excinfo, name).message.startswith(expected)


@pytest.mark.parametrize(("calc_id", "name"), NUMBER_FIELDS)
def test_spec_below_minimum_is_an_error_not_a_clamp(calc_id, name):
    """One step below the minimum is an error naming the field, the range and the value."""
    f = _field(calc_id, name)
    lo, _, prefix = _range(calc_id, f)
    value = lo - f.step
    expected = f"{prefix} (got {value:.12g})"
    with pytest.raises(InputError, match=rf"{name}: {re.escape(expected)}") as excinfo:
        calculate(calc_id, {name: value})
    assert _only_error(excinfo, name).message.startswith(expected)


@settings(max_examples=100)
@given(data=st.data())
def test_spec_any_value_outside_the_range_is_an_error(data):
    """Any finite value outside a field's range is an InputError naming it, never clamped."""
    calc_id, name = data.draw(st.sampled_from(NUMBER_FIELDS))
    f = _field(calc_id, name)
    lo, hi, prefix = _range(calc_id, f)
    value = data.draw(
        st.floats(max_value=lo, exclude_max=True, allow_nan=False, allow_infinity=False)
        | st.floats(min_value=hi, exclude_min=True, allow_nan=False, allow_infinity=False)
    )
    with pytest.raises(InputError, match=rf"{name}: {re.escape(prefix)}") as excinfo:
        calculate(calc_id, {name: value})
    assert prefix in _only_error(excinfo, name).message


@pytest.mark.parametrize(("calc_id", "name"), NUMBER_FIELDS)
def test_spec_values_are_passed_on_unchanged(calc_id, name):
    """An accepted value reaches the calculator exactly as given (no rounding to the step)."""
    f = _field(calc_id, name)
    for value in (f.minimum, f.maximum):
        try:
            result = calculate(calc_id, {name: value})
        except InputError as exc:  # a cross-field rule may refuse a bound; never a clamp
            refusal = exc
        else:
            assert result["inputs"][name] == value
            continue
        assert all(f"(got {format_number(value)})" in e.message for e in refusal.errors)


GIVABLE = [(c, n) for c, n in NUMBER_FIELDS if _field(c, n).multiple_of is not None]
MEASURED = [
    (c, n)
    for c, n in NUMBER_FIELDS
    if _field(c, n).multiple_of is None and not _field(c, n).integer
]


@pytest.mark.parametrize(("calc_id", "name"), GIVABLE)
def test_spec_givable_amount_off_its_unit_is_an_error(calc_id, name):
    """A givable amount between units (default plus a third) is rejected, saying why."""
    f = _field(calc_id, name)
    base = f.default if f.default is not None else f.minimum
    value = base + f.multiple_of / 3
    unit = re.escape(format_number(f.multiple_of))
    assert f.multiple_reason
    with pytest.raises(
        InputError,
        match=rf"{name}: {re.escape(f.label)} must be a multiple of {unit}.*"
        rf"{re.escape(f.multiple_reason)} \(got {re.escape(format(value, '.12g'))}\)",
    ):
        calculate(calc_id, {name: value})


@pytest.mark.parametrize(("calc_id", "name"), MEASURED)
def test_spec_measured_values_take_ordinary_precision(calc_id, name):
    """A measured value with more decimals than the form's step (1.458) is taken as typed."""
    f = _field(calc_id, name)
    base = f.default if f.default is not None else f.minimum
    value = round(base + 0.0013, 4)
    result = calculate(calc_id, {name: str(value)})
    assert result["inputs"][name] == value


def test_spec_measured_examples_from_the_issue():
    """A creatinine of 1.458 mg/dL and a weight of 70.25 kg are accepted as typed."""
    result = calculate("renal-function", {"serum_creatinine": "1.458", "weight_kg": "70.25"})
    assert result["inputs"]["serum_creatinine"] == 1.458
    assert result["inputs"]["weight_kg"] == 70.25


@pytest.mark.parametrize(
    ("calc_id", "name"), [(c, n) for c, n in NUMBER_FIELDS if _field(c, n).integer]
)
def test_spec_fractional_value_in_an_integer_field_is_an_error(calc_id, name):
    """Integer fields (doses per day, days, age) reject a fraction rather than rounding it."""
    f = _field(calc_id, name)
    value = f.minimum + 0.5
    with pytest.raises(
        InputError,
        match=rf"{name}: {re.escape(f.label)} must be a whole number \(got {value}\)",
    ):
        calculate(calc_id, {name: value})


def test_spec_integer_fields_arrive_as_int():
    """'3.0' for doses per day is accepted and reaches the calculator as the int 3."""
    result = calculate("oral-titration", {"doses_per_day": "3.0"})
    assert result["inputs"]["doses_per_day"] == 3
    assert isinstance(result["inputs"]["doses_per_day"], int)


def test_spec_text_numbers_with_spaces_are_accepted():
    """' 60 ' from a form is the number 60."""
    assert calculate("oral-taper", {"current_daily_mg": " 60 "})["inputs"]["current_daily_mg"] == 60


def test_spec_numeric_choice_accepts_text_and_numbers():
    """A numeric choice (2.5 mg) is accepted as 2.5 or '2.5', and stored as the choice's value."""
    assert calculate("oral-taper", {"dose_unit_mg": "2.5"})["inputs"]["dose_unit_mg"] == 2.5
    assert calculate("oral-taper", {"dose_unit_mg": 2.5})["inputs"]["dose_unit_mg"] == 2.5
    assert calculate("itb-refill", {"reservoir_ml": "40.0"})["inputs"]["reservoir_ml"] == 40


# --- the mg/mcg hint --------------------------------------------------------------------------

MCG_FIELDS = [(c, n) for c, n in NUMBER_FIELDS if "mcg" in _field(c, n).unit]
MG_FIELDS = [
    (c, n) for c, n in NUMBER_FIELDS if "mg" in _field(c, n).unit and "mcg" not in _field(c, n).unit
]


def test_spec_hint_fields_exist():
    """The hint tests below cover some fields in mcg and some in mg."""
    assert MCG_FIELDS
    assert MG_FIELDS


@pytest.mark.parametrize(("calc_id", "name"), MCG_FIELDS)
def test_spec_mcg_field_given_a_mg_sized_value_hints(calc_id, name):
    """0.4 in an mcg field (0.4 mg = 400 mcg) is rejected with 'is this in mg?'."""
    with pytest.raises(
        InputError,
        match=rf"{name}: .*\(got 0\.4\); is this in mg\? This field is in mcg \(1 mg = 1000 mcg\)",
    ):
        calculate(calc_id, {name: 0.4})


@pytest.mark.parametrize(("calc_id", "name"), MG_FIELDS)
def test_spec_mg_field_given_a_mcg_sized_value_hints(calc_id, name):
    """The default daily dose typed in mcg (x 1000) into an mg field draws 'is this in mcg?'."""
    f = _field(calc_id, name)
    value = (f.default or f.maximum) * 1000
    with pytest.raises(
        InputError,
        match=rf"{name}: .*\(got {format_number(value)}\); is this in mcg\? This field is in mg",
    ):
        calculate(calc_id, {name: value})


@pytest.mark.parametrize(("calc_id", "name"), MCG_FIELDS)
def test_spec_no_hint_when_not_a_unit_slip(calc_id, name):
    """Just above the maximum is not a factor of 1000 off, so no unit hint is added."""
    f = _field(calc_id, name)
    with pytest.raises(InputError, match=rf"{name}: .* \(got [0-9.]+\)$") as excinfo:
        calculate(calc_id, {name: f.maximum + f.step})
    assert "is this in" not in _only_error(excinfo, name).message


# --- unknown names, non-mappings, every error at once ---------------------------------------


@pytest.mark.parametrize("calc_id", ["nope", "", "Oral-Titration", None, 3])
def test_spec_unknown_calculator_is_an_error(calc_id):
    """An unknown id is an UnknownCalculatorError (an InputError and a KeyError) listing ids."""
    with pytest.raises(
        UnknownCalculatorError,
        match=rf"calculator: unknown calculator {re.escape(repr(calc_id))}; "
        r"known calculators: oral-titration, ",
    ) as excinfo:
        calculate(calc_id, {})
    assert isinstance(excinfo.value, KeyError)
    assert isinstance(excinfo.value, InputError)


@pytest.mark.parametrize("calc_id", list(CALCULATORS))
def test_spec_unknown_field_is_an_error(calc_id):
    """A field the calculator does not have is rejected, naming it and listing the known ones."""
    calc = CALCULATORS[calc_id]
    known = ", ".join(sorted([f.name for f in calc.fields] + [g.pattern() for g in calc.groups]))
    with pytest.raises(
        InputError,
        match=rf"dose: unknown field 'dose' for {calc_id}; known fields: {re.escape(known)}",
    ):
        calculate(calc_id, {"dose": 5})


@pytest.mark.parametrize("inputs", [[("target_daily_mg", 60)], "target_daily_mg=60", None, 60])
def test_spec_inputs_that_are_not_a_mapping_are_an_error(inputs):
    """Inputs must be a mapping; anything else is an InputError naming what arrived."""
    with pytest.raises(
        InputError,
        match=rf"inputs: inputs must be a mapping of field names to values "
        rf"\(got {type(inputs).__name__}\)",
    ):
        calculate("oral-titration", inputs)


def test_spec_two_bad_fields_give_two_errors():
    """Two bad fields are reported together, in one InputError, each naming its field."""
    with pytest.raises(
        InputError,
        match=r"^start_dose_mg: Start dose must be .*\(got 0\); "
        r"target_daily_mg: Target daily dose must be .*\(got 250\)$",
    ) as excinfo:
        calculate("oral-titration", {"start_dose_mg": 0, "target_daily_mg": 250})
    assert [e.field for e in excinfo.value.errors] == ["start_dose_mg", "target_daily_mg"]
    assert "(got 0)" in excinfo.value.errors[0].message
    assert "(got 250)" in excinfo.value.errors[1].message


@pytest.mark.parametrize("calc_id", list(CALCULATORS))
def test_spec_every_bad_field_is_reported_at_once(calc_id):
    """Every field bad at once (plus an unknown one) gives one error per field, none lost."""
    calc = CALCULATORS[calc_id]
    inputs = {f.name: True for f in calc.fields} | {"extra_field": 1}
    with pytest.raises(InputError, match=r"extra_field: unknown field 'extra_field'") as excinfo:
        calculate(calc_id, inputs)
    fields = [e.field for e in excinfo.value.errors]
    assert sorted(fields) == sorted([f.name for f in calc.fields] + ["extra_field"])


def test_spec_input_error_is_a_value_error_with_field_errors():
    """InputError is a ValueError; .errors is a tuple of FieldError; as_dict() is JSON-ready."""
    with pytest.raises(ValueError, match="target_daily_mg") as excinfo:
        calculate("oral-titration", {"target_daily_mg": 250})
    error = excinfo.value
    assert isinstance(error, InputError)
    assert isinstance(error.errors, tuple)
    assert all(isinstance(e, FieldError) for e in error.errors)
    assert error.as_dict() == {
        "name": "InputError",
        "message": str(error),
        "errors": [{"field": "target_daily_mg", "message": error.errors[0].message}],
    }


# --- the spec itself ---------------------------------------------------------------------------


@pytest.mark.parametrize("calc_id", list(CALCULATORS))
def test_spec_defaults_are_valid_inputs(calc_id):
    """Every calculator runs on its own defaults, and each default is echoed unchanged."""
    calc = CALCULATORS[calc_id]
    result = calculate(calc_id, {})
    assert result["inputs"] == calc.defaults()


@pytest.mark.parametrize(("calc_id", "name"), NUMBER_FIELDS)
def test_spec_number_fields_are_fully_bounded(calc_id, name):
    """Every number field has a minimum below its maximum and a positive step."""
    f = _field(calc_id, name)
    assert f.minimum is not None
    assert f.maximum is not None
    assert f.minimum < f.maximum
    assert f.step is not None
    assert f.step > 0


@pytest.mark.parametrize(
    ("value", "text"),
    [(80, "80"), (80.0, "80"), (4.1667, "4.17"), (0.5, "0.5"), (-0.0, "0"), (None, "")],
)
def test_spec_format_number_drops_trailing_zeros(value, text):
    """format_number shows 80 not 80.0, at most two decimals, and '' for None."""
    assert format_number(value) == text


def test_spec_describe_range_is_built_from_the_spec():
    """'between 0.5 and 200 mg/day' comes from the field's bounds and unit."""
    f = _field("oral-titration", "target_daily_mg")
    assert f.describe_range() == f"between {format_number(f.minimum)} and 200 mg/day"


@pytest.mark.parametrize("text", ["1_0", "\u0661\u0660", "10 mg", "0x10"])
def test_spec_number_rejects_non_plain_decimals(text):
    """float() accepts "1_0" and Arabic-Indic digits; the form must not read them as 10."""
    with pytest.raises(InputError, match=r"oral_daily_mg: Oral daily dose must be a number \(got "):
        calculate("oral-to-iv", {"oral_daily_mg": text})
