"""Bibliography and constants: sourced, no NF limit, values as in the evidence base."""

import re
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import VALID_INPUTS

from calculators import CALCULATORS, calculate
from calculators.constants import CONSTANTS
from calculators.sources import SOURCES, resolve

STATUSES = {"V1", "V2", "NF", "R", "P", "D", "derived"}
ALL_FIELDS = [(c.id, f) for c in CALCULATORS.values() for f in c.fields]


def _field_id(pair):
    return f"{pair[0]}.{pair[1].name}"


# --- constants --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(CONSTANTS))
def test_sources_constants_every_constant_is_sourced(name):
    """Every constant names at least one source that resolves, a known status and a locator."""
    constant = CONSTANTS[name]
    assert constant.name == name
    assert constant.sources
    for key in constant.sources:
        assert key in SOURCES, f"{name} cites unknown source {key!r}"
    assert constant.status in STATUSES
    assert constant.locator.strip()
    assert constant.unit.strip()


def test_sources_constants_seed_constants_are_all_nf_and_cite_the_seed():
    """SOURCES.md: the seed's figures are NF; each SEED_* constant is NF and cites 'seed'."""
    seed_constants = [c for name, c in CONSTANTS.items() if name.startswith("SEED_")]
    assert seed_constants
    for constant in seed_constants:
        assert constant.status == "NF", constant.name
        assert "seed" in constant.sources, constant.name


def test_sources_constants_every_nf_constant_is_a_seed_constant():
    """No constant outside the SEED_* family is NF, so the NF figures are easy to see."""
    nf = {name for name, c in CONSTANTS.items() if c.status == "NF"}
    assert nf == {name for name in CONSTANTS if name.startswith("SEED_")}


def test_sources_constants_derived_constants_explain_themselves():
    """A 'derived' constant carries a note with the arithmetic behind it."""
    for constant in CONSTANTS.values():
        if constant.status == "derived":
            assert constant.note.strip(), constant.name


@pytest.mark.parametrize(
    ("name", "value", "status"),
    [
        ("ORAL_START_DOSE_MG", 5, "V1"),
        ("ORAL_START_DOSES_PER_DAY", 3, "V1"),
        ("ORAL_STEP_MG", 5, "V1"),
        ("ORAL_STEP_DAYS", 3, "V1"),
        ("ORAL_USUAL_DAILY_MG", (40, 80), "V1"),
        ("ORAL_MAX_DAILY_MG_US", 80, "V1"),
        ("ORAL_MAX_DOSES_PER_DAY", 4, "V1"),
        ("ORAL_MAX_DAILY_MG_UK_AU", 100, "V2"),
        ("TABLET_STRENGTHS_MG", (5, 10, 15, 20), "V1"),
        ("OZOBAX_MG_PER_ML", 1, "V1"),
        ("OZOBAX_DS_MG_PER_ML", 2, "V1"),
        ("FLEQSUVY_MG_PER_ML", 5, "V1"),
        ("ORAL_BIOAVAILABILITY", 0.74, "V1"),
        ("SEED_IV_REDUCTION_FRACTION", 0.20, "NF"),
        ("SEED_ORAL_START_DAILY_MG", (30, 80), "NF"),
        ("SEED_ORAL_HIGH_DAILY_MG", 100, "NF"),
        ("ITB_SCREENING_DOSES_MCG", (50, 75, 100), "V1"),
        ("ITB_SCREENING_DOSE_SMALL_CHILD_MCG", 25, "V1"),
        ("ITB_INITIAL_MULTIPLIER", 2, "V1"),
        ("ITB_LONG_EFFECT_HOURS", 8, "V1"),
        ("ITB_TITRATION_ADULT_SPINAL", (0.10, 0.30), "V1"),
        ("ITB_TITRATION_ADULT_CEREBRAL", (0.05, 0.15), "V1"),
        ("ITB_TITRATION_CHILD", (0.05, 0.15), "V1"),
        ("ITB_MAINTENANCE_SPINAL_MCG", (300, 800), "V2"),
        ("ITB_MAINTENANCE_CEREBRAL_MCG", (90, 703), "V2"),
        ("ITB_MAINTENANCE_CHILD_MCG", (24, 1199), "V2"),
        ("ITB_CONCENTRATIONS_MCG_PER_ML", (50, 500, 1000, 2000), "V1"),
        ("ITB_START_CONCENTRATION_MCG_PER_ML", 500, "V1"),
        ("PUMP_RESERVOIR_ML", (20, 40), "V2"),
        ("PUMP_ALARM_ML_DEFAULT", 2, "V1"),
        ("PUMP_WITHDRAWAL_RESIDUAL_ML", 3.8, "V1"),
        ("PUMP_SAFER_ALARM_ML", 4, "V1"),
        ("RENAL_CRCL_BANDS_ML_MIN", (80, 50, 30), "V1"),
        ("RENAL_DOSE_REDUCTION", (Fraction(1, 3), Fraction(1, 2), Fraction(2, 3)), "V1"),
        ("RENAL_REDUCE_BELOW_ML_MIN", 60, "V1"),
        ("RENAL_AVOID_BELOW_ML_MIN", 30, "V1"),
        ("CG_AGE_OFFSET_YEARS", 140, "V1"),
        ("CG_DIVISOR", 72, "V1"),
        ("CG_FEMALE_FACTOR", 0.85, "V1"),
    ],
)
def test_sources_constants_values_match_the_evidence_base(name, value, status):
    """Known answers from SOURCES.md's claim ledger and label-facts table (value and status)."""
    assert CONSTANTS[name].value == value
    assert CONSTANTS[name].status == status


def test_sources_constants_no_1000_mcg_itb_maximum():
    """SOURCES.md: the '1000 mcg/day maximum' is not a label maximum: no constant codes it."""
    daily = {n: c for n, c in CONSTANTS.items() if c.unit.startswith("mcg/day")}
    assert daily  # the ITB maintenance ranges, at least
    for name, constant in daily.items():
        values = constant.value if isinstance(constant.value, tuple) else (constant.value,)
        assert 1000 not in values, name
    for calc in CALCULATORS.values():
        for field in calc.fields:
            if field.unit.startswith("mcg/day"):
                assert field.maximum > 1000, field.name


# --- fields -----------------------------------------------------------------------------------


@pytest.mark.parametrize("pair", ALL_FIELDS, ids=_field_id)
def test_sources_constants_field_sources_and_limits_resolve(pair):
    """Every field's sources are bibliography keys and its limit_constants are constants."""
    _, field = pair
    for key in field.sources:
        assert key in SOURCES, f"{field.name} cites unknown source {key!r}"
    for name in field.limit_constants:
        assert name in CONSTANTS, f"{field.name} names unknown constant {name!r}"


@pytest.mark.parametrize("pair", ALL_FIELDS, ids=_field_id)
def test_sources_constants_no_bound_comes_from_an_nf_constant(pair):
    """SOURCES.md: an NF figure is shown, never used as a limit: no field bound names one."""
    _, field = pair
    for name in field.limit_constants:
        assert CONSTANTS[name].status != "NF", f"{field.name} takes a bound from NF {name}"


def test_sources_constants_oral_daily_maxima_are_the_plausibility_bound():
    """M-a: every oral mg/day field is bounded by this site's D bound, not the V2 UK maximum."""
    bound = CONSTANTS["ORAL_PLAUSIBLE_MAX_DAILY_MG"]
    assert bound.status == "D"
    fields = [f for _, f in ALL_FIELDS if "ORAL_PLAUSIBLE_MAX_DAILY_MG" in f.limit_constants]
    assert len(fields) >= 4
    for field in fields:
        assert field.maximum == bound.value, field.name
        assert field.maximum > CONSTANTS["ORAL_MAX_DAILY_MG_UK_AU"].value


# A device's capacity bounds a volume physically (no volume exceeds the largest reservoir);
# it is not a dosing limit. Named here so that any other V2 bound fails.
_PHYSICAL_BOUNDS = {"PUMP_RESERVOIR_ML"}


@pytest.mark.parametrize("pair", ALL_FIELDS, ids=lambda p: f"{p[0]}.{p[1].name}")
def test_sources_constants_no_reproduction_figure_is_a_limit(pair):
    """SOURCES.md: a figure seen only in a reproduction (V2, R) or not found is never a limit."""
    _, field = pair
    for name in set(field.limit_constants) - _PHYSICAL_BOUNDS:
        assert CONSTANTS[name].status not in {"V2", "R", "NF"}, f"{field.name}: {name}"


def test_sources_constants_reproduction_limit_check_can_fail():
    """Control: the UK maximum (V2) as a limit would be reported by the check above."""
    assert CONSTANTS["ORAL_MAX_DAILY_MG_UK_AU"].status in {"V2", "R", "NF"}


def test_sources_constants_start_dose_bound_is_the_us_maximum_per_dose():
    """label-tablets: the largest start dose is 80 mg/day over four doses, 20 mg."""
    field = CALCULATORS["oral-titration"].field("start_dose_mg")
    per_dose = CONSTANTS["ORAL_MAX_DAILY_MG_US"].value / CONSTANTS["ORAL_MAX_DOSES_PER_DAY"].value
    assert field.maximum == per_dose


def test_sources_constants_doses_per_day_bounds_are_the_label_constants():
    """label-tablets: titration is three or four doses a day; the taper allows up to four."""
    titration = CALCULATORS["oral-titration"].field("doses_per_day")
    assert titration.minimum == CONSTANTS["ORAL_START_DOSES_PER_DAY"].value
    assert titration.maximum == CONSTANTS["ORAL_MAX_DOSES_PER_DAY"].value
    taper = CALCULATORS["oral-taper"].field("doses_per_day")
    assert taper.maximum == CONSTANTS["ORAL_MAX_DOSES_PER_DAY"].value


def test_sources_constants_choices_come_from_the_constants():
    """label-gablofen / pump-secondary / boster2016screen: choice lists match the constants."""
    refill = CALCULATORS["itb-refill"]
    concentrations = [c.value for c in refill.field("concentration_mcg_per_ml").choices]
    assert tuple(concentrations) == CONSTANTS["ITB_REFILL_CONCENTRATIONS_MCG_PER_ML"].value
    screening_strength = CONSTANTS["ITB_SCREENING_CONCENTRATION_MCG_PER_ML"].value
    assert tuple(concentrations) == tuple(
        c for c in CONSTANTS["ITB_CONCENTRATIONS_MCG_PER_ML"].value if c != screening_strength
    )
    reservoirs = [c.value for c in refill.field("reservoir_ml").choices]
    assert tuple(reservoirs) == CONSTANTS["PUMP_RESERVOIR_ML"].value
    initial = CALCULATORS["itb-initial-dose"]
    screening = [c.value for c in initial.field("screening_dose_mcg").choices]
    expected = (
        CONSTANTS["ITB_SCREENING_DOSE_SMALL_CHILD_MCG"].value,
        *CONSTANTS["ITB_SCREENING_DOSES_MCG"].value,
    )
    assert tuple(screening) == expected


# --- calculators and results ---------------------------------------------------------------------


@pytest.mark.parametrize("calc_id", list(CALCULATORS))
def test_sources_constants_calculator_sources_resolve(calc_id):
    """Every calculator cites at least one source, all of them bibliography keys."""
    calc = CALCULATORS[calc_id]
    assert calc.sources
    assert all(key in SOURCES for key in calc.sources)


@settings(max_examples=150)
@given(data=st.data())
def test_sources_constants_results_cite_known_sources_in_order(data):
    """Any accepted input: warning and result sources are known keys, in bibliography order."""
    calc_id = data.draw(st.sampled_from(list(CALCULATORS)))
    result = calculate(calc_id, data.draw(VALID_INPUTS[calc_id]))
    order = list(SOURCES)
    assert all(key in SOURCES for key in result["sources"])
    positions = [order.index(key) for key in result["sources"]]
    assert positions == sorted(positions)
    assert len(set(result["sources"])) == len(result["sources"])
    for warning in result["warnings"]:
        assert warning["severity"] in {"info", "caution", "danger"}
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", warning["code"])
        assert warning["message"].strip()
        for key in warning["sources"]:
            assert key in SOURCES
            assert key in result["sources"]


@pytest.mark.parametrize("calc_id", list(CALCULATORS))
def test_sources_constants_cautions_and_dangers_cite_a_source(calc_id):
    """Every caution or danger shown for the defaults cites at least one source."""
    for warning in calculate(calc_id, {})["warnings"]:
        if warning["severity"] != "info":
            assert warning["sources"], warning["code"]


# --- the bibliography --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "doi", "pmid", "setid"),
    [
        ("boster2016", "10.1111/ner.12388", "27433993", None),
        ("boster2016screen", "10.1111/ner.12437", None, None),
        ("saulino2016", "10.1111/ner.12447", "27434197", None),
        ("dario2004", "10.2165/00002018-200427110-00004", "15350152", None),
        ("agarwal2015", "10.1177/0883073814535504", "25028414", None),
        ("schmitz2017", "10.1016/j.pmrj.2016.11.002", None, None),
        ("vlavonou2014", "10.1002/jcph.247", "24414993", None),
        ("wolf2018", "10.1053/j.ajkd.2017.07.005", "28899601", None),
        ("label-tablets", None, None, "b4f2f888-979a-6f54-e053-2a95a90a95a3"),
        ("label-ozobax", None, None, "92153f69-bc9b-4bef-9a8e-751effde5c7e"),
        ("label-gablofen", None, None, "00d3e846-dd92-448d-9ab8-6a07be823cc1"),
        ("neurosurgery2004", "10.1227/01.neu.0000129698.73730.e4", "15271246", None),
        ("cockcroft1976", "10.1159/000180580", "1244564", None),
    ],
)
def test_sources_constants_identifiers_match_the_evidence_base(key, doi, pmid, setid):
    """SOURCES.md canonical records: each DOI, PMID and DailyMed set ID as checked."""
    source = resolve(key)
    assert (source.doi, source.pmid, source.setid) == (doi, pmid, setid)


@pytest.mark.parametrize("key", list(SOURCES))
def test_sources_constants_links_are_canonical(key):
    """Every link goes to doi.org, PubMed or DailyMed; a source without one says why."""
    source = SOURCES[key]
    assert source.key == key
    assert source.citation.strip()
    assert source.access in {"primary", "reproduction", "bibliographic", "seed"}
    for _, url in source.links():
        assert url.startswith(
            (
                "https://doi.org/",
                "https://pubmed.ncbi.nlm.nih.gov/",
                "https://dailymed.nlm.nih.gov/dailymed/",
            )
        )
    if not source.links():
        assert source.note.strip()


def test_sources_constants_unknown_key_names_the_known_ones():
    """resolve() on an unknown key raises a KeyError listing the known keys."""
    with pytest.raises(KeyError, match=r"unknown source key 'nope'; known keys: .*boster2016"):
        resolve("nope")
