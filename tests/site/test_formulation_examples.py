"""The ``/// liquid-doses`` block: volumes from the engine, and every bad input a build error."""

from __future__ import annotations

import re
from fractions import Fraction

import markdown
import pytest

from calculators import calculate, constants
from calculators.registry import CALCULATORS
from sitebuild import SiteBuildError
from sitebuild import formulation_examples as fe


def render(source: str) -> str:
    """Render ``source`` with the block extension (and tables, as on the site)."""
    md = markdown.Markdown(extensions=[fe.LiquidDosesExtension(page="formulations.md"), "tables"])
    return md.convert(source)


def test_liquid_doses_one_row_per_liquid_the_calculator_offers():
    """Every liquid choice of oral-titration (not tablets) gets a row, in the calculator's order."""
    html = render("/// liquid-doses | dose_mg=10\n///\n")
    rows = re.findall(r'<tr data-formulation="([^"]+)">', html)
    choices = [
        str(c.value)
        for c in CALCULATORS["oral-titration"].field("formulation").choices
        if c.value != "tablet"
    ]
    assert rows == choices
    assert len(rows) >= 3  # 1, 2 and 5 mg/mL: a control that the loop above saw real rows


def test_liquid_doses_volume_is_what_the_engine_computes():
    """Each volume cell is the amount the engine gives for that formulation, not page text."""
    html = render("/// liquid-doses | dose_mg=10\n///\n")
    for choice in fe.CONCENTRATION_CONSTANTS:
        result = calculate(
            "oral-titration",
            {"start_dose_mg": "10", "target_daily_mg": "30", "formulation": choice},
        )
        ml = result["steps"][0]["amount"].split(" mL")[0]
        row = re.search(rf'<tr data-formulation="{choice}">(.*?)</tr>', html)
        assert row is not None
        assert f"<strong>{ml}&nbsp;mL</strong>" in row.group(1)


def test_liquid_doses_volume_times_concentration_is_the_dose():
    """The rows satisfy mL x mg/mL = dose for every liquid (engine and constants agree)."""
    dose = Fraction(constants.ORAL_START_DOSE_MG.value)
    rows = fe.liquid_rows(dose, 3)
    assert {row.mg_per_ml for row in rows} == {
        Fraction(constants.CONSTANTS[name].value) for name in fe.CONCENTRATION_CONSTANTS.values()
    }
    for row in rows:
        assert row.ml_per_dose * row.mg_per_ml == dose


def test_liquid_doses_mixup_column_is_volume_times_other_concentration():
    """The mix-up cell for the 1 mg/mL row gives the 5 mg/mL product's mg for the same volume."""
    html = render("/// liquid-doses | dose_mg=10\n///\n")
    row = re.search(r'<tr data-formulation="ozobax">(.*?)</tr>', html)
    assert row is not None
    ratio = Fraction(constants.FLEQSUVY_MG_PER_ML.value, constants.OZOBAX_MG_PER_ML.value)
    assert f"FLEQSUVY: <strong>{fe._plain(10 * ratio)}&nbsp;mg</strong>" in row.group(1)


def test_liquid_doses_accepts_a_constant_name():
    """dose_mg may name a constant in mg per dose; the table is for its value."""
    html = render("/// liquid-doses | dose_mg=ORAL_START_DOSE_MG\n///\n")
    assert f'data-dose-mg="{constants.ORAL_START_DOSE_MG.value}"' in html


def test_liquid_doses_in_fenced_code_stays_text():
    """A block shown inside fenced code is not rendered (documentation of the syntax)."""
    md = markdown.Markdown(extensions=["fenced_code", fe.LiquidDosesExtension()])
    html = md.convert("```\n/// liquid-doses | dose_mg=10\n///\n```\n")
    assert "<table" not in html
    assert "liquid-doses | dose_mg=10" in html


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("/// liquid-doses\n///\n", r"write '/// liquid-doses \| dose_mg="),
        ("/// liquid-doses | dose=10\n///\n", r"unknown option 'dose'\. Did you mean 'dose_mg'"),
        ("/// liquid-doses | doses_per_day=3\n///\n", r"needs dose_mg="),
        ("/// liquid-doses | dose_mg=ORAL_START_DOSE\n///\n", r"Did you mean ORAL_START_DOSE_MG"),
        ("/// liquid-doses | dose_mg=ORAL_MAX_DAILY_MG_US\n///\n", r"needs one in 'mg per dose'"),
        ("/// liquid-doses | dose_mg=1000\n///\n", r"refused .*Start dose must be between"),
        ("/// liquid-doses | dose_mg=10 doses_per_day=two\n///\n", r"whole number"),
        ("/// liquid-doses | dose_mg=10 dose_mg=5\n///\n", r"given twice"),
        ("/// liquid-doses | dose_mg=10\nSome text\n", r"close it with '///'"),
    ],
)
def test_liquid_doses_bad_block_fails_the_build(source, message):
    """Each malformed or unknown input stops the build, naming the page and the problem."""
    with pytest.raises(SiteBuildError, match=r"page 'formulations\.md'.*" + message):
        render(source)


def test_liquid_doses_unmapped_liquid_fails(monkeypatch):
    """A liquid the calculator offers without a concentration constant here stops the build."""
    monkeypatch.delitem(fe.CONCENTRATION_CONSTANTS, "fleqsuvy")
    with pytest.raises(SiteBuildError, match=r"offers the liquid\(s\) fleqsuvy"):
        render("/// liquid-doses | dose_mg=10\n///\n")


def test_liquid_doses_engine_constant_disagreement_fails(monkeypatch):
    """If the constant a row reads disagreed with the engine's volume, the build would stop."""
    monkeypatch.setitem(fe.CONCENTRATION_CONSTANTS, "ozobax", "FLEQSUVY_MG_PER_ML")
    with pytest.raises(SiteBuildError, match="the engine and the constants disagree"):
        render("/// liquid-doses | dose_mg=10\n///\n")
