r"""Dosing constants quoted on pages, straight from ``calculators.constants.CONSTANTS``.

Syntax (anywhere inline, except in code)
========================================

Each line: what the page says, then what it renders.

- ``{{ ORAL_MAX_DAILY_MG_US }}``: ``80``, a number;
- ``{{ ORAL_USUAL_DAILY_MG }}``: ``40-80`` with an en dash, a pair being a range;
- ``{{ TABLET_STRENGTHS_MG }}``: ``5, 10, 15 and 20``, three or more being a list;
- ``{{ ITB_SCREENING_DOSES_MCG[1] }}``: ``75``, one element (counted from 0);
- ``{{ ORAL_MAX_DAILY_MG_US | unit }}``: ``80 mg/day``, value and unit;
- ``{{ ORAL_BIOAVAILABILITY | percent }}``: ``74%``; a pair gives ``10-30%`` (fractions only);
- ``{{ RENAL_DOSE_REDUCTION | fraction }}``: ``1/3, 1/2 and 2/3`` (fractions only);
- ``\{{ NAME }}``: the text ``{{ NAME }}``, for writing about the syntax.

An index and one filter combine: ``{{ ITB_TITRATION_ADULT_SPINAL[1] | percent }}`` -> ``30%``.
In a table cell escape the pipe: ``{{ NAME \| percent }}``. Numbers print without a trailing
``.0`` and with at most six decimals; ``unit`` joins value and unit with a no-break space so
they never wrap apart. ``percent`` and ``fraction`` accept only constants whose unit is a
fraction, and ``unit`` refuses those (``0.74 fraction`` says nothing): each mistake is a
build error rather than a wrong number on a clinical page.

Each value is wrapped so a reader can see where it comes from::

    <span class="const" data-constant="ORAL_MAX_DAILY_MG_US" data-status="V1"
      title="V1 · label-tablets, label-ozobax · Dosage and Administration: ...">80</span>

A constant of status ``NF`` (the seed's figure, not found in any source) also gets the class
``const-nf``, which ``site.css`` marks as "seed, not found in sources"; status ``D`` (a
threshold that is this site's own choice) gets ``const-d``, marked "this site's choice", and
``R`` (seen only reproduced) ``const-r``, marked "reproduction only".

Every ``{{`` outside code must be a well-formed reference to a known constant with a known
filter; anything else stops the build with a :class:`~sitebuild.SiteBuildError` naming the
page, the reference and what is known. Values are read when the page renders, so a page can
never quote a stale copy of a constant.

Configuration: ``page``, the source path of the page being rendered (by default the site
generator's; used in error messages).
"""

from __future__ import annotations

import difflib
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.util import AtomicString

from calculators import constants as _constants
from sitebuild import SiteBuildError
from sitebuild.context import page_src
from sitebuild.context import where as _where

if TYPE_CHECKING:
    from markdown import Markdown

__all__ = ["FILTERS", "ConstantsExtension", "format_constant", "makeExtension"]

# Every unescaped ``{{`` starts a reference; ``close`` is missing when it is never closed.
CONSTANT_RE = r"(?<!\\)\{\{(?P<body>[^{}\n]*)(?P<close>\}\})?"
_BODY_RE = re.compile(
    r"\s*(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*"
    r"(?:\[\s*(?P<index>\d+)\s*\])?\s*"
    r"(?:\\?\|\s*(?P<filter>[A-Za-z_]+)\s*)?"
)

# After ``backtick`` (190), so code spans are left alone; before ``escape`` (180), so a table
# cell's ``\|`` still reads as the filter bar.
CONSTANT_PRIORITY = 185

NBSP = "\u00a0"
# Statuses a reader must see beside the number, not only in its title (site.css labels them).
_STATUS_CLASS = {"NF": "const-nf", "D": "const-d", "R": "const-r"}
EN_DASH = "\u2013"
RANGE_LENGTH = 2  # a pair of values is a range ("40-80", with an en dash); more, a list

Number = int | float


class _Reference:
    """One parsed ``{{ ... }}``, with the page for error messages."""

    def __init__(
        self, text: str, name: str, index: int | None, filter_name: str | None, page: str
    ) -> None:
        self.text = text
        self.name = name
        self.index = index
        self.filter = filter_name
        self.page = page

    def error(self, problem: str) -> SiteBuildError:
        return SiteBuildError(f"{_where(self.page)}: {self.text!r}: {problem}")


def _number(value: object, ref: _Reference) -> Number:
    # An exact fraction (constants such as RENAL_DOSE_REDUCTION hold Fraction(1, 3) so the
    # calculators compute exactly) is shown through its float: the filters round for display.
    if isinstance(value, Fraction):
        value = float(value)
    # bool is an int; NaN and infinities pass every range check silently: refuse all three.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ref.error(f"{ref.name} holds {value!r}, which is not a number.")
    if not math.isfinite(value):
        raise ref.error(f"{ref.name} holds {value!r}, which is not a finite number.")
    return value


def _plain(value: Number) -> str:
    """``80`` not ``80.0``; at most six decimals, trailing zeros dropped."""
    rounded = round(value, 6)
    if float(rounded).is_integer():
        text = str(int(rounded))
    else:
        text = f"{rounded:.6f}".rstrip("0").rstrip(".")
    return text.replace("-", "\u2212")


def _ratio(value: Number, ref: _Reference) -> str:
    ratio = Fraction(value).limit_denominator(12)
    if not math.isclose(float(ratio), value, rel_tol=0, abs_tol=1e-9):
        raise ref.error(
            f"{ref.name} holds {value!r}, which is not a simple fraction (denominator up to 12); "
            "use '| percent' instead."
        )
    return str(ratio)


def _join(parts: list[str], suffix: str) -> str:
    """Two parts make a range, more a list; ``suffix`` (a unit) is written once, at the end."""
    if len(parts) == 1:
        return parts[0] + suffix
    if len(parts) == RANGE_LENGTH:
        return f"{parts[0]}{EN_DASH}{parts[1]}{suffix}"
    return f"{', '.join(parts[:-1])} and {parts[-1]}{suffix}"


def _render_plain(
    values: list[Number],
    constant: _constants.Constant[Any],  # noqa: ARG001  # every renderer takes the same arguments
    ref: _Reference,  # noqa: ARG001
) -> str:
    return _join([_plain(v) for v in values], "")


def _render_unit(values: list[Number], constant: _constants.Constant[Any], ref: _Reference) -> str:
    if constant.unit.startswith("fraction"):
        raise ref.error(
            f"{ref.name} is a fraction (unit {constant.unit!r}); use '| percent' or '| fraction'."
        )
    return _join([_plain(v) for v in values], NBSP + constant.unit)


def _require_fraction(constant: _constants.Constant[Any], ref: _Reference) -> None:
    if not constant.unit.startswith("fraction"):
        raise ref.error(
            f"'| {ref.filter}' needs a fraction, but {ref.name} is in {constant.unit!r}; "
            "use '| unit' or no filter."
        )


def _render_percent(
    values: list[Number], constant: _constants.Constant[Any], ref: _Reference
) -> str:
    _require_fraction(constant, ref)
    parts = [_plain(v * 100) for v in values]
    if len(parts) <= RANGE_LENGTH:
        return _join(parts, "%")  # "74%", and a range with one sign: "10-30%"
    return _join([p + "%" for p in parts], "")  # a list: "10%, 40%, 10% and 20%"


def _render_fraction(
    values: list[Number], constant: _constants.Constant[Any], ref: _Reference
) -> str:
    _require_fraction(constant, ref)
    return _join([_ratio(v, ref) for v in values], "")


Renderer = Callable[[list[Number], _constants.Constant[Any], _Reference], str]

FILTERS: dict[str, tuple[str, Renderer]] = {
    # name: (what it does, renderer); no filter renders the plain value
    "unit": ("the value followed by the constant's unit (80 mg/day)", _render_unit),
    "percent": ("a fraction as a percentage (0.74 -> 74%)", _render_percent),
    "fraction": ("a fraction as a simple ratio (0.5 -> 1/2)", _render_fraction),
}


def _lookup(ref: _Reference) -> _constants.Constant[Any]:
    known = _constants.CONSTANTS
    if ref.name in known:
        return known[ref.name]
    close = difflib.get_close_matches(ref.name, list(known), n=1)
    hint = f" Did you mean {close[0]}?" if close else ""
    raise ref.error(
        f"unknown constant {ref.name!r}.{hint} Known constants: {', '.join(known)}. "
        "Quote one of these, or add it to calculators/constants.py with its source."
    )


def format_constant(ref: _Reference) -> tuple[_constants.Constant[Any], str]:
    """Look up ``ref`` and return the constant with its rendered text."""
    constant = _lookup(ref)
    value = constant.value
    if isinstance(value, tuple):
        if not value:
            raise ref.error(f"{ref.name} holds an empty tuple.")
        values = [_number(v, ref) for v in value]
        if ref.index is not None:
            if ref.index >= len(values):
                raise ref.error(
                    f"{ref.name} has {len(values)} values (indices 0 to {len(values) - 1}); "
                    f"got [{ref.index}]."
                )
            values = [values[ref.index]]
    else:
        values = [_number(value, ref)]
        if ref.index is not None:
            raise ref.error(f"{ref.name} is a single value ({value!r}); it takes no [index].")
    if ref.filter is None:
        return constant, _render_plain(values, constant, ref)
    if ref.filter not in FILTERS:
        known = "; ".join(f"'| {name}': {what}" for name, (what, _) in FILTERS.items())
        raise ref.error(f"unknown filter {ref.filter!r}. Known filters: {known}.")
    return constant, FILTERS[ref.filter][1](values, constant, ref)


class ConstantInlineProcessor(InlineProcessor):
    """``{{ NAME[i] | filter }}`` -> ``<span class="const" ...>value</span>``."""

    def __init__(self, pattern: str, md: Markdown, extension: ConstantsExtension) -> None:
        super().__init__(pattern, md)
        self.extension = extension

    def handleMatch(  # noqa: N802  # Markdown's API names
        self,
        m: re.Match[str],
        data: str,  # noqa: ARG002  # required by the InlineProcessor signature
    ) -> tuple[ET.Element, int, int]:
        """Replace one reference with its value, wrapped with its provenance."""
        page: str = page_src(self.md, self.extension.getConfig("page"))
        text = m.group(0)
        body = _BODY_RE.fullmatch(m.group("body"))
        if m.group("close") is None or body is None:
            raise SiteBuildError(
                f"{_where(page)}: malformed constant reference {text!r}. Write {{{{ NAME }}}}, "
                "{{ NAME[0] }} or {{ NAME | filter }} on one line, with a filter among "
                f"{', '.join(FILTERS)}; write \\{{{{ to show the braces as text."
            )
        index = body.group("index")
        ref = _Reference(
            text,
            body.group("name"),
            int(index) if index is not None else None,
            body.group("filter"),
            page,
        )
        constant, rendered = format_constant(ref)
        marker = _STATUS_CLASS.get(constant.status)
        classes = f"const {marker}" if marker else "const"
        span = ET.Element(
            "span",
            {
                "class": classes,
                "data-constant": constant.name,
                "data-status": constant.status,
                "title": f"{constant.status} · {', '.join(constant.sources)} · {constant.locator}",
            },
        )
        span.text = AtomicString(rendered)
        return span, m.start(0), m.end(0)


class ConstantsExtension(Extension):
    """``{{ NAME }}`` dosing constants (see the module docstring)."""

    def __init__(self, **kwargs: Any) -> None:  # noqa: ANN401  # Markdown passes any config
        """Declare the options; ``kwargs`` sets them (see the module docstring)."""
        self.config = {
            "page": [
                "",
                "Source path of the page being rendered, relative to docs/ (default: generator's)",
            ],
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802  # Markdown's API name
        """Register the inline processor."""
        md.inlinePatterns.register(
            ConstantInlineProcessor(CONSTANT_RE, md, self), "sitebuild-constant", CONSTANT_PRIORITY
        )


def makeExtension(**kwargs: Any) -> ConstantsExtension:  # noqa: ANN401, N802  # Markdown's API
    """Entry point used by ``markdown_extensions: - sitebuild.constants_ext``."""
    return ConstantsExtension(**kwargs)
