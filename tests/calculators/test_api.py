"""The public API: names, registry, signatures, result shape, totality, stdlib-only imports."""

import ast
import inspect
import json
import re
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import VALID_INPUTS, arbitrary_inputs

import calculators
from calculators import CALCULATORS, InputError, calculate
from calculators.present import to_html, to_text
from calculators.spec import FieldError

IDS = [
    "oral-titration",
    "oral-taper",
    "oral-to-iv",
    "itb-initial-dose",
    "itb-titration",
    "itb-refill",
    "renal-function",
    "itb-refill-visit",
    "itb-concentration-change",
    "itb-flex-schedule",
    "itb-oral-wean",
    "itb-concentration-mismatch",
]
PACKAGE_DIR = Path(calculators.__file__).parent
MODULES = sorted(PACKAGE_DIR.glob("*.py"))
BUILD_TIME_PACKAGES = {"markdown", "mkdocs", "pymdownx"}
# Absent or unusable in Pyodide's browser build; the package must not need them.
NOT_IN_PYODIDE = {"subprocess", "threading", "multiprocessing", "socket", "ssl", "sqlite3"}


def test_api_public_names():
    """The package exports exactly the documented API."""
    assert set(calculators.__all__) == {
        "CALCULATORS",
        "Calculator",
        "Field",
        "InputError",
        "UnknownCalculatorError",
        "calculate",
    }
    for name in calculators.__all__:
        assert hasattr(calculators, name)


def test_api_input_error_is_a_value_error():
    """InputError subclasses ValueError, so callers can catch the built-in."""
    assert issubclass(InputError, ValueError)
    assert issubclass(calculators.UnknownCalculatorError, InputError)


def test_api_registry_has_the_twelve_ids():
    """CALCULATORS maps the twelve kebab-case ids, in order, to specs carrying the same id."""
    assert list(CALCULATORS) == IDS
    for calc_id, calc in CALCULATORS.items():
        assert calc.id == calc_id
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", calc_id)


@pytest.mark.parametrize("calc_id", IDS)
def test_api_functions_are_keyword_only_and_match_the_fields(calc_id):
    """Functions take keyword-only arguments named as the fields (mg/mcg cannot swap places)."""
    calc = CALCULATORS[calc_id]
    parameters = inspect.signature(calc.function).parameters
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in parameters.values())
    assert list(parameters) == [f.name for f in calc.fields] + [g.name for g in calc.groups]


@pytest.mark.parametrize("calc_id", IDS)
def test_api_field_names_carry_units(calc_id):
    """A number field's name ends in its unit family (_mg, _mcg, _ml, _days, _percent...)."""
    calc = CALCULATORS[calc_id]
    for f in calc.fields + tuple(f for g in calc.groups for f in g.fields):
        if f.kind == "number" and f.unit:
            assert re.search(
                r"_(mg|mcg|ml|days|hours|years|kg|cm|day|percent)$", f.name
            ) or f.name.endswith(("_per_day", "_per_ml", "_per_hour")), f.name


@pytest.mark.parametrize("calc_id", IDS)
def test_api_result_shape(calc_id):
    """calculate() returns id, inputs, outputs, tables, warnings, notes, sources, all JSON."""
    calc = CALCULATORS[calc_id]
    result = calculate(calc_id, {})
    assert result["calculator"] == calc_id
    assert set(result["inputs"]) == {f.name for f in calc.fields} | {g.name for g in calc.groups}
    for key in [o.key for o in calc.outputs] + [t.key for t in calc.tables]:
        assert key in result
    assert isinstance(result["warnings"], list)
    assert isinstance(result["notes"], list)
    assert isinstance(result["sources"], list)
    assert json.loads(json.dumps(result, allow_nan=False)) == result


@pytest.mark.parametrize("calc_id", IDS)
def test_api_calculate_does_not_change_its_inputs(calc_id):
    """calculate() leaves the caller's dict as it was."""
    inputs = {f.name: str(f.default) for f in CALCULATORS[calc_id].fields if f.default is not None}
    before = dict(inputs)
    calculate(calc_id, inputs)
    assert inputs == before


@pytest.mark.parametrize("calc_id", IDS)
def test_api_calculate_is_repeatable(calc_id):
    """The same inputs give the same result twice (no hidden state between calls)."""
    assert calculate(calc_id, {}) == calculate(calc_id, {})


# --- totality -----------------------------------------------------------------------------------


@pytest.mark.parametrize("calc_id", IDS)
@settings(max_examples=150)
@given(data=st.data())
def test_api_any_input_gives_a_result_or_an_input_error(calc_id, data):
    """Totality: any input dict gives a JSON-safe, renderable result or an InputError, only."""
    inputs = data.draw(arbitrary_inputs(CALCULATORS[calc_id]))
    try:
        result = calculate(calc_id, inputs)
    except InputError as exc:
        refusal = exc
    else:
        json.dumps(result, allow_nan=False)
        to_html(result)
        to_text(result)
        return
    assert refusal.errors
    for error in refusal.errors:
        assert isinstance(error, FieldError)
        assert isinstance(error.field, str)
        assert error.message.strip()
    json.dumps(refusal.as_dict(), allow_nan=False)


@pytest.mark.parametrize("calc_id", IDS)
@settings(max_examples=100)
@given(data=st.data())
def test_api_valid_inputs_always_give_a_result(calc_id, data):
    """Inputs meeting the spec and cross-field rules give a result echoing the values given."""
    inputs = data.draw(VALID_INPUTS[calc_id])
    result = calculate(calc_id, inputs)
    assert result["inputs"] == inputs


# --- standard library only ----------------------------------------------------------------------


def _imports(path):
    """(absolute top-level module names, relative import count) imported by one file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = set()
    relative = 0
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                relative += 1
            else:
                names.add(node.module.split(".")[0])
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) == "__import__":
            names.add("<__import__>")
        elif isinstance(node, ast.Attribute) and node.attr == "import_module":
            names.add("<importlib.import_module>")
    return names, relative


def test_api_package_files_are_found():
    """The import checks below read the package's own files (and there are several)."""
    assert PACKAGE_DIR.name == "calculators"
    assert {p.name for p in MODULES} >= {"__init__.py", "spec.py", "registry.py", "oral_taper.py"}


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_api_no_build_time_packages_imported(path):
    """No calculators module imports markdown, mkdocs or pymdownx (build depends on us only)."""
    names, _ = _imports(path)
    assert not names & BUILD_TIME_PACKAGES


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_api_standard_library_only(path):
    """Every import in the package is a static standard-library import that Pyodide has."""
    names, _ = _imports(path)
    assert names <= set(sys.stdlib_module_names) | {"__future__"}, names
    assert not names & NOT_IN_PYODIDE


def test_api_loaded_modules_are_standard_library():
    """Every calculators.* module loaded comes from the package directory under test."""
    loaded = {name for name in sys.modules if name.split(".")[0] == "calculators"}
    assert loaded
    for name in loaded:
        module_file = getattr(sys.modules[name], "__file__", None)
        assert module_file is not None
        assert Path(module_file).resolve().parent == PACKAGE_DIR.resolve()
