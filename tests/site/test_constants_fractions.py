"""``{{ NAME }}`` with constants that hold exact fractions (``fractions.Fraction``)."""

from __future__ import annotations

import dataclasses
from fractions import Fraction

import markdown
import pytest

from calculators import constants
from sitebuild import SiteBuildError


def render(source: str) -> str:
    """Render ``source`` with the constants extension, as a page would."""
    md = markdown.Markdown(
        extensions=["sitebuild.constants_ext"],
        extension_configs={"sitebuild.constants_ext": {"page": "evidence.md"}},
    )
    return md.convert(source)


def text_of(html: str) -> str:
    """The text inside the one constant span of ``html``."""
    start = html.index('">', html.index("<span")) + 2
    return html[start : html.index("</span>")]


def test_fraction_constants_render_as_ratios_and_percentages(monkeypatch):
    """Fraction(1, 3) and friends print as 1/3 with | fraction and as 20% with | percent."""
    reduction = dataclasses.replace(
        constants.CONSTANTS["RENAL_DOSE_REDUCTION"],
        value=(Fraction(1, 3), Fraction(1, 2), Fraction(2, 3)),
    )
    monkeypatch.setitem(constants.CONSTANTS, "RENAL_DOSE_REDUCTION", reduction)
    assert text_of(render("{{ RENAL_DOSE_REDUCTION | fraction }}")) == "1/3, 1/2 and 2/3"
    assert text_of(render("{{ RENAL_DOSE_REDUCTION[1] | percent }}")) == "50%"
    bioavailability = dataclasses.replace(
        constants.CONSTANTS["ORAL_BIOAVAILABILITY"], value=Fraction(1, 5)
    )
    monkeypatch.setitem(constants.CONSTANTS, "ORAL_BIOAVAILABILITY", bioavailability)
    assert text_of(render("{{ ORAL_BIOAVAILABILITY | percent }}")) == "20%"
    assert text_of(render("{{ ORAL_BIOAVAILABILITY }}")) == "0.2"


def test_non_numbers_are_still_refused(monkeypatch):
    """Control: the Fraction case did not open the door to strings or booleans."""
    for bad in ("1/3", True):
        changed = dataclasses.replace(constants.CONSTANTS["ORAL_MAX_DAILY_MG_US"], value=bad)
        monkeypatch.setitem(constants.CONSTANTS, "ORAL_MAX_DAILY_MG_US", changed)
        with pytest.raises(SiteBuildError, match="which is not a number"):
            render("{{ ORAL_MAX_DAILY_MG_US }}")
