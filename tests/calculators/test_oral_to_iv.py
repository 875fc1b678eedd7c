"""oral-to-iv: the seed's 20% (not found) beside the measured 74% oral bioavailability."""

import pytest
from hypothesis import given, settings
from strategies import VALID_INPUTS

from calculators import CALCULATORS, InputError, calculate
from calculators.constants import SEED_IV_REDUCTION_FRACTION

CALC_ID = "oral-to-iv"


def _warning(result, code):
    (warning,) = [w for w in result["warnings"] if w["code"] == code]
    return warning


def test_oral_to_iv_sixty_mg_by_bioavailability_with_the_seed_beside_it():
    """agarwal2015 (74% bioavailability): 60 mg/day -> 44.4 mg/day, the result; the seed's 48."""
    result = calculate(CALC_ID, {"oral_daily_mg": 60, "doses_per_day": 3})
    assert result["iv_daily_mg"] == 44.4
    assert result["iv_per_dose_mg"] == 14.8
    assert result["seed_iv_daily_mg"] == 48
    assert "iv_per_dose_mg_bioavailability" not in result  # no seed per-dose split either


def test_oral_to_iv_the_seed_figure_is_never_a_dose_of_equal_standing():
    """The summary leads with the sourced dose; the seed's figure is labelled the seed's claim."""
    spec = CALCULATORS[CALC_ID]
    keys = [o.key for o in spec.outputs]
    assert keys[0] == "iv_daily_mg"
    seed = spec.outputs[keys.index("seed_iv_daily_mg")]
    assert "seed's claim" in seed.label
    assert "not a dose" in seed.label
    per_dose = spec.outputs[keys.index("iv_per_dose_mg")]
    assert "arithmetic" in per_dose.label
    notes = " ".join(calculate(CALC_ID, {})["notes"])
    assert "no study used that split" in notes


def test_oral_to_iv_twenty_percent_is_labelled_not_found():
    """SOURCES.md claim 13: the 20% is NF; its note cites the seed beside agarwal2015."""
    assert SEED_IV_REDUCTION_FRACTION.status == "NF"
    warning = _warning(calculate(CALC_ID, {}), "seed-20-percent-not-found")
    assert "seed" in warning["sources"]
    assert "agarwal2015" in warning["sources"]
    assert "20%" in warning["message"]
    assert "74%" in warning["message"]
    assert "26%" in warning["message"]


def test_oral_to_iv_investigational_caution_cites_both_studies():
    """agarwal2015, schmitz2017: IV baclofen was investigational in both studies."""
    warning = _warning(calculate(CALC_ID, {}), "iv-investigational")
    assert warning["severity"] == "caution"
    assert warning["sources"] == ["agarwal2015", "schmitz2017"]


def test_oral_to_iv_notes_the_schmitz_dose_pairs():
    """schmitz2017: oral 10/15/20 mg were paired with IV 7.5/11.5/15 mg."""
    notes = " ".join(calculate(CALC_ID, {})["notes"])
    for pair in ("10 mg oral / 7.5 mg IV", "15 mg oral / 11.5 mg IV", "20 mg oral / 15 mg IV"):
        assert pair in notes


def test_oral_to_iv_result_cites_the_seed():
    """The result's sources include the seed, since one figure shown is the seed's."""
    assert {"seed", "agarwal2015", "schmitz2017"} <= set(calculate(CALC_ID, {})["sources"])


@pytest.mark.parametrize("oral", [0, 0.25, 200.5])
def test_oral_to_iv_out_of_range_is_an_error(oral):
    """Oral daily doses outside 0.5-200 mg/day are rejected, naming the field, limits and value."""
    with pytest.raises(
        InputError,
        match=rf"oral_daily_mg: Oral daily dose must be between 0\.5 and 200 mg/day \(got {oral}\)",
    ):
        calculate(CALC_ID, {"oral_daily_mg": oral})


def test_oral_to_iv_microgram_sized_value_hints_at_units():
    """60000 'mg' is 60 mg typed in mcg: the error says so."""
    with pytest.raises(InputError, match=r"oral_daily_mg: .*\(got 60000\); is this in mcg\?"):
        calculate(CALC_ID, {"oral_daily_mg": 60000})


@settings(max_examples=100)
@given(inputs=VALID_INPUTS[CALC_ID])
def test_oral_to_iv_iv_dose_is_below_the_oral_dose(inputs):
    """Any accepted input: IV dose < the seed's < the oral; per-dose x doses = daily."""
    result = calculate(CALC_ID, inputs)
    oral = inputs["oral_daily_mg"]
    assert 0 < result["iv_daily_mg"] < result["seed_iv_daily_mg"] < oral
    per_dose_total = result["iv_per_dose_mg"] * inputs["doses_per_day"]
    assert abs(per_dose_total - result["iv_daily_mg"]) <= 0.005 * inputs["doses_per_day"] + 1e-9
