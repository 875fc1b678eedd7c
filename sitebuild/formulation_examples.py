r"""The ``/// liquid-doses`` block: one dose as mL of every oral liquid, computed at build time.

Syntax (two lines of their own; outside code)::

    /// liquid-doses | dose_mg=10
    ///

    /// liquid-doses | dose_mg=ORAL_START_DOSE_MG doses_per_day=3
    ///

``dose_mg`` (required) is a number or the name of a dosing constant in mg per dose
(``calculators.constants``); ``doses_per_day`` (optional, default the label's
``ORAL_START_DOSES_PER_DAY``) is a whole number. It renders a table with one row per oral
liquid the ``oral-titration`` calculator offers (its ``formulation`` choices other than
tablets), in the order the calculator lists them:

- the product and its concentration (from the constant the calculator uses);
- the volume per dose, as the engine computes it: ``calculators.calculate("oral-titration",
  ...)`` with that formulation, a start dose of ``dose_mg`` and a target of ``dose_mg`` times
  ``doses_per_day`` (one step, so the first row of the schedule is the dose asked for);
- what that same volume would hold if it were measured from each *other* product: the
  concentration mix-up the ISMP alert warns about (``ismp-liquids``).

Nothing in the table is typed on the page: the volumes come from the engine, the
concentrations and the mix-up amounts from the constants the engine uses, and the build
checks that the two agree (volume times concentration equals the dose). Anything it cannot
render honestly stops the build with a :class:`~sitebuild.SiteBuildError`: an unknown
option, a missing ``dose_mg``, an unknown constant, a value the calculator refuses (its own
message, naming the field and the limit), a missing closing ``///``, a liquid the calculator
offers that this module cannot match to a concentration constant, or an engine result that
does not read as mL. It is a :class:`~sitebuild.strict_block.StrictBlock` (the options are its
argument, ``key=value`` words, not pymdownx's YAML options): a header pymdownx refuses, or one
left in raw HTML, stops the build too.

Configuration: ``page``, the source path of the page (for error messages; ``""`` outside
MkDocs; ``mkdocs.yml`` cannot set it per page, so build errors name the block instead).
"""

from __future__ import annotations

import difflib
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from fractions import Fraction
from html import escape
from typing import Any

from calculators import InputError, calculate
from calculators import constants as _constants
from calculators.registry import CALCULATORS
from sitebuild import SiteBuildError
from sitebuild.context import where as _where
from sitebuild.strict_block import StrictBlock, StrictBlockExtension

__all__ = [
    "LiquidDosesBlock",
    "LiquidDosesExtension",
    "LiquidRow",
    "liquid_rows",
    "makeExtension",
    "render_table",
]

CALCULATOR_ID = "oral-titration"
TABLET_CHOICE = "tablet"

# The calculator's liquid choices and the constant holding each one's concentration. A new
# liquid in the calculator without an entry here stops the build (``_liquids``), so the table
# can never silently leave a product out.
CONCENTRATION_CONSTANTS: dict[str, str] = {
    "ozobax": "OZOBAX_MG_PER_ML",
    "ozobax-ds": "OZOBAX_DS_MG_PER_ML",
    "fleqsuvy": "FLEQSUVY_MG_PER_ML",
}

OPTIONS = ("dose_mg", "doses_per_day")

_OPTION_RE = re.compile(r"(?P<key>[A-Za-z_][A-Za-z0-9_]*)=(?P<value>\S+)")
_NUMBER_RE = re.compile(r"\d+(?:\.\d+)?")
_AMOUNT_RE = re.compile(r"^(?P<ml>\d+(?:\.\d+)?) mL, (?P<times>\d+) times a day$")


@dataclass(frozen=True)
class LiquidRow:
    """One product: its label, its concentration and the volume for the dose asked for."""

    choice: str
    label: str
    mg_per_ml: Fraction
    ml_per_dose: Fraction


def _plain(value: Fraction) -> str:
    """``10``, ``2.5``: exact values with at most three decimals (the engine's volumes)."""
    if value.denominator == 1:
        return str(value.numerator)
    return f"{float(value):.3f}".rstrip("0").rstrip(".")


def _liquids(where: str) -> list[tuple[str, str]]:
    """``[(choice value, label), ...]`` for the calculator's liquid formulations, in order."""
    field = CALCULATORS[CALCULATOR_ID].field("formulation")
    liquids = [(str(c.value), c.label) for c in field.choices if c.value != TABLET_CHOICE]
    unknown = [value for value, _ in liquids if value not in CONCENTRATION_CONSTANTS]
    if unknown:
        raise SiteBuildError(
            f"{where}: the {CALCULATOR_ID} calculator offers the liquid(s) "
            f"{', '.join(unknown)}, which sitebuild/formulation_examples.py cannot match to a "
            "concentration constant. Add each to CONCENTRATION_CONSTANTS."
        )
    return liquids


def _dose_value(text: str, where: str) -> Fraction:
    if _NUMBER_RE.fullmatch(text):
        return Fraction(text)
    known = _constants.CONSTANTS
    if text not in known:
        close = difflib.get_close_matches(text, list(known), n=1)
        hint = f" Did you mean {close[0]}?" if close else ""
        raise SiteBuildError(
            f"{where}: dose_mg={text!r} is neither a plain number nor a known constant.{hint}"
        )
    constant = known[text]
    if not constant.unit.startswith("mg per dose") or isinstance(constant.value, bool):
        raise SiteBuildError(
            f"{where}: dose_mg={text} names a constant in {constant.unit!r}; it needs one in "
            "'mg per dose'."
        )
    return Fraction(constant.value)


def liquid_rows(dose_mg: Fraction, doses_per_day: int, where: str = "") -> list[LiquidRow]:
    """One :class:`LiquidRow` per oral liquid, the volume computed by the calculator.

    Raises :class:`SiteBuildError` when the calculator refuses the inputs (with its message),
    when its result does not read as mL, or when volume times concentration is not the dose.
    """
    where = where or _where("")
    daily = dose_mg * doses_per_day
    rows: list[LiquidRow] = []
    for choice, label in _liquids(where):
        inputs: dict[str, Any] = {
            "start_dose_mg": _plain(dose_mg),
            "doses_per_day": str(doses_per_day),
            "target_daily_mg": _plain(daily),
            "formulation": choice,
        }
        try:
            result = calculate(CALCULATOR_ID, inputs)
        except InputError as error:
            raise SiteBuildError(
                f"{where}: the {CALCULATOR_ID} calculator refused {inputs}: {error}"
            ) from None
        amount = str(result["steps"][0]["amount"])
        match = _AMOUNT_RE.match(amount)
        if match is None or int(match["times"]) != doses_per_day:
            raise SiteBuildError(
                f"{where}: the {CALCULATOR_ID} calculator gave {amount!r} for {label}; expected "
                f"'<mL> mL, {doses_per_day} times a day'."
            )
        ml = Fraction(match["ml"])
        concentration = Fraction(_constants.CONSTANTS[CONCENTRATION_CONSTANTS[choice]].value)
        if ml * concentration != dose_mg:
            raise SiteBuildError(
                f"{where}: {label}: the calculator's {_plain(ml)} mL at {_plain(concentration)} "
                f"mg/mL is not {_plain(dose_mg)} mg; the engine and the constants disagree."
            )
        rows.append(LiquidRow(choice, label, concentration, ml))
    return rows


def render_table(rows: list[LiquidRow], dose_mg: Fraction, doses_per_day: int) -> str:
    """The HTML table for ``rows`` (see the module docstring)."""
    dose = _plain(dose_mg)
    head = (
        "<thead><tr><th>Product</th><th>Concentration</th>"
        f"<th>Volume for one {dose}&nbsp;mg dose</th>"
        "<th>The same volume of another product, by mistake, holds</th></tr></thead>"
    )
    body: list[str] = []
    for row in rows:
        others = "; ".join(
            f"{escape(other.label.split(' oral')[0])}: "
            f"<strong>{_plain(row.ml_per_dose * other.mg_per_ml)}&nbsp;mg</strong>"
            for other in rows
            if other is not row
        )
        body.append(
            f'<tr data-formulation="{escape(row.choice)}">'
            f"<td>{escape(row.label.split(' oral')[0])}</td>"
            f"<td>{_plain(row.mg_per_ml)}&nbsp;mg/mL</td>"
            f'<td class="liquid-ml"><strong>{_plain(row.ml_per_dose)}&nbsp;mL</strong>, '
            f"{doses_per_day} times a day</td>"
            f"<td>{others}</td></tr>"
        )
    caption = (
        f"<caption>{dose}&nbsp;mg per dose, {doses_per_day} doses a day: volumes computed when "
        f"this page was built by the {CALCULATOR_ID} calculator</caption>"
    )
    return (
        f'<table class="liquid-doses" data-dose-mg="{dose}">{caption}{head}'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def _parse(rest: str, where: str) -> tuple[Fraction, int]:
    rest = rest.strip()
    if not rest.startswith("|"):
        raise SiteBuildError(
            f"{where}: write '/// liquid-doses | dose_mg=<number or constant>' then '///'."
        )
    options: dict[str, str] = {}
    for part in rest[1:].split():
        match = _OPTION_RE.fullmatch(part)
        if match is None:
            raise SiteBuildError(f"{where}: {part!r} is not an option; write key=value.")
        key = match["key"]
        if key not in OPTIONS:
            close = difflib.get_close_matches(key, OPTIONS, n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            raise SiteBuildError(
                f"{where}: unknown option {key!r}.{hint} Known options: {', '.join(OPTIONS)}."
            )
        if key in options:
            raise SiteBuildError(f"{where}: option {key!r} given twice.")
        options[key] = match["value"]
    if "dose_mg" not in options:
        raise SiteBuildError(f"{where}: the block needs dose_mg=<number or constant>.")
    dose = _dose_value(options["dose_mg"], where)
    per_day_text = options.get(
        "doses_per_day", str(_constants.CONSTANTS["ORAL_START_DOSES_PER_DAY"].value)
    )
    if not per_day_text.isdigit():
        raise SiteBuildError(
            f"{where}: doses_per_day must be a whole number (got {per_day_text!r})."
        )
    return dose, int(per_day_text)


class LiquidDosesBlock(StrictBlock):
    """``/// liquid-doses | dose_mg=<n>`` + ``///`` -> the table (see the module docstring)."""

    NAME = "liquid-doses"

    def on_validate(self, parent: ET.Element) -> bool:  # noqa: ARG002  # pymdownx's signature
        """Read the options and compute the table now, so that an error names the header."""
        argument = self.argument or ""
        header = f"/// {self.NAME}" + (f" | {argument}" if argument else "")
        where = f"{self.where()}: block {header!r}"
        dose, per_day = _parse(f"| {argument}" if argument else "", where)
        self.html = render_table(liquid_rows(dose, per_day, where), dose, per_day)
        self.header = header
        return True

    def on_create(self, parent: ET.Element) -> ET.Element:
        """A paragraph that will hold only the stashed table (Markdown then unwraps it)."""
        return ET.SubElement(parent, "p")

    def content_refused(self) -> str:
        """The block is closed on the next line."""
        return (
            f"block {self.header!r}: the block takes no content; close it with '///' on the "
            "next line."
        )

    def render(self, block: ET.Element) -> None:
        """Put the table in the stash."""
        block.text = self.md.htmlStash.store(self.html)


class LiquidDosesExtension(StrictBlockExtension):
    """The ``/// liquid-doses`` block (see the module docstring)."""

    BLOCKS = (LiquidDosesBlock,)
    LABEL = "liquid-doses"
    SYNTAX = (
        "Write '/// liquid-doses | dose_mg=<number or constant>' on a line of its own and close "
        "it with '///' on the next line."
    )

    def __init__(self, **kwargs: Any) -> None:  # noqa: ANN401  # Markdown passes any config
        """Declare the options; ``kwargs`` sets them."""
        self.config = {"page": ["", "Source path of the page being rendered (error messages)"]}
        super().__init__(**kwargs)


def makeExtension(**kwargs: Any) -> LiquidDosesExtension:  # noqa: ANN401, N802  # Markdown's API
    """Entry point used by ``markdown_extensions: - sitebuild.formulation_examples``."""
    return LiquidDosesExtension(**kwargs)
