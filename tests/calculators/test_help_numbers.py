"""One source of truth reaches the help text: no number in it is typed by hand.

Every number a reader sees in a field's label, help or choices, or in a calculator's summary
and output labels, comes from a constant or from the field's own spec (its bounds, default,
step or choice values).

rcpchgrowth's lesson: a message that hand-typed a number went stale when the constant changed.
"""

import re
from fractions import Fraction

import pytest

from calculators import CALCULATORS
from calculators.constants import CONSTANTS
from calculators.spec import format_number

NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?(?![\w])")
# An author-year citation ("Wolf 2018") names a paper, not a dose.
YEAR = re.compile(r"\b[A-Z][A-Za-z]+(?: et al\.)? (?:19|20)\d{2}\b")


def _flatten(value):
    if isinstance(value, (tuple, list)):
        for item in value:
            yield from _flatten(item)
    elif isinstance(value, (int, float, Fraction)) and not isinstance(value, bool):
        yield value


def _forms(value):
    """Every way a page or message may print a constant: as is, as a percent, as a fraction."""
    yield format_number(float(value), 6)
    yield format_number(float(value) * 100, 6)  # fractions shown as percentages
    yield format_number(100 - float(value) * 100, 6)  # "26% smaller" from 74%
    yield format_number(float(value) / 2, 6)  # half of a tablet strength
    if isinstance(value, Fraction):
        yield str(value.numerator)
        yield str(value.denominator)


CONSTANT_NUMBERS = {
    text for c in CONSTANTS.values() for v in _flatten(c.value) for text in _forms(v)
}


def _field_numbers(field):
    values = [field.minimum, field.maximum, field.step, field.multiple_of]
    if isinstance(field.default, (int, float)) and not isinstance(field.default, bool):
        values.append(field.default)
    values += [c.value for c in field.choices if isinstance(c.value, (int, float))]
    return {format_number(v, 6) for v in values if v is not None}


def _numbers(text):
    return NUMBER.findall(YEAR.sub("", text))


TEXTS = [
    (calc.id, f"{f.name}.{part}", text, f)
    for calc in CALCULATORS.values()
    for f in calc.fields
    for part, text in (
        ("label", f.label),
        ("help", f.help),
        *((f"choice[{c.value}]", c.label) for c in f.choices),
    )
    if text
] + [
    (calc.id, part, text, None)
    for calc in CALCULATORS.values()
    for part, text in (
        ("summary", calc.summary),
        *((f"output.{o.key}", o.label) for o in calc.outputs),
    )
]


@pytest.mark.parametrize(("calc_id", "where", "text", "field"), TEXTS, ids=lambda v: str(v)[:40])
def test_help_numbers_every_number_comes_from_a_constant_or_the_spec(calc_id, where, text, field):
    """A number typed by hand in a label or help text fails here: build it from the constant."""
    allowed = CONSTANT_NUMBERS | (_field_numbers(field) if field else set())
    typed = [n for n in _numbers(text) if n not in allowed]
    assert not typed, f"{calc_id} {where}: {typed} typed by hand in {text!r}"


def test_help_numbers_the_check_can_fail():
    """Control: a help text with a number no constant holds (7.77) is caught."""
    assert "7.77" not in CONSTANT_NUMBERS
    assert _numbers("Shorter than 7.77 days draws a warning.") == ["7.77"]


def test_help_numbers_years_of_citations_are_not_doses():
    """'Wolf 2018' is skipped; a bare 2018 is still checked."""
    assert _numbers("Wolf 2018 advises") == []
    assert _numbers("up to 2018 mcg") == ["2018"]
