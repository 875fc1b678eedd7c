"""The hazard register: every warning belongs to a hazard, and every hazard is shown to work.

Each hazard's ``fires`` examples must raise one of its codes (or its refusal), and its
``quiet`` examples, just inside the limit, must raise none of them. The register checks
themselves have controls: a made-up code, a made-up hazard without examples, and a
calculator without a hazard each make the check fail.
"""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import pytest

import calculators
from calculators import hazards
from calculators.hazards import HAZARDS, SEVERITY_BY_CODE, Example, Hazard
from calculators.registry import CALCULATORS
from calculators.sources import SOURCES
from calculators.spec import UnregisteredWarningError, Warnings

PACKAGE = Path(calculators.__file__).parent
_FIRES = [(h.id, i, e) for h in HAZARDS for i, e in enumerate(h.fires)]
_QUIET = [(h.id, i, e) for h in HAZARDS for i, e in enumerate(h.quiet)]
_BY_ID = {h.id: h for h in HAZARDS}


def _codes_in_source() -> dict[str, set[str]]:
    """Every string literal passed as a warning code (``X.add("code", ...)``), per file."""
    found: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "add"
                and len(node.args) >= 2
            ):
                continue
            first = node.args[0]
            options = [first.body, first.orelse] if isinstance(first, ast.IfExp) else [first]
            for option in options:
                if isinstance(option, ast.Constant) and isinstance(option.value, str):
                    found.setdefault(path.name, set()).add(option.value)
    return found


def unregistered(codes: set[str], register: dict[str, str]) -> set[str]:
    """The codes the register does not hold."""
    return {code for code in codes if code not in register}


def hazards_without_tests(register: tuple[Hazard, ...]) -> list[str]:
    """Hazards with no control, no firing example, or (unless always shown) no quiet one."""
    return [
        h.id
        for h in register
        if not (h.codes or h.refusal) or not h.fires or not (h.quiet or h.always)
    ]


def calculators_without_hazard(register: tuple[Hazard, ...]) -> set[str]:
    """Calculator ids no hazard names."""
    named = {c for h in register for c in h.calculators}
    return set(CALCULATORS) - named


def _run(example: Example) -> tuple[set[str], set[str]]:
    """(warning codes, refused fields) for one example."""
    try:
        result = calculators.calculate(example.calculator, example.inputs)
    except calculators.InputError as error:
        return set(), {e.field for e in error.errors}
    return {w["code"] for w in result["warnings"]}, set()


def test_hazards_every_code_in_source_is_registered() -> None:
    """Every warning code written in calculators/ belongs to a hazard."""
    codes = set().union(*_codes_in_source().values())
    assert len(codes) > 40
    assert unregistered(codes, SEVERITY_BY_CODE) == set()


def test_hazards_register_check_fails_on_an_unknown_code() -> None:
    """Control: a code that no hazard holds is reported by the check above."""
    assert unregistered({"made-up-code", "short-taper"}, SEVERITY_BY_CODE) == {"made-up-code"}


def test_hazards_unregistered_code_is_refused_at_run_time() -> None:
    """Warnings.add refuses a code without a hazard, and a severity other than the register's."""
    with pytest.raises(UnregisteredWarningError, match="belongs to no hazard"):
        Warnings().add("made-up-code", "info", "text")
    with pytest.raises(UnregisteredWarningError, match="registered as 'danger'"):
        Warnings().add("short-taper", "caution", "text")
    Warnings().add("short-taper", "danger", "text")


def test_hazards_every_hazard_has_a_control_and_tests() -> None:
    """Every hazard has a control, a firing example and a just-inside example (or is context)."""
    assert hazards_without_tests(HAZARDS) == []


def test_hazards_check_fails_on_a_hazard_without_tests() -> None:
    """Control: a hazard with no examples, or no control, is reported."""
    bare = dataclasses.replace(HAZARDS[0], id="bare", fires=(), quiet=())
    no_control = dataclasses.replace(HAZARDS[0], id="no-control", codes=(), refusal="")
    assert hazards_without_tests((*HAZARDS, bare, no_control)) == ["bare", "no-control"]


def test_hazards_every_calculator_has_a_hazard() -> None:
    """Every registered calculator is named by at least one hazard."""
    assert calculators_without_hazard(HAZARDS) == set()


def test_hazards_check_fails_on_a_calculator_without_hazard() -> None:
    """Control: dropping the hazards of one calculator is reported."""
    fewer = tuple(h for h in HAZARDS if "itb-initial-dose" not in h.calculators)
    assert "itb-initial-dose" in calculators_without_hazard(fewer)


def test_hazards_ids_codes_and_metadata_are_sound() -> None:
    """Unique ids, one hazard per code, known severities, statuses, sources and calculators."""
    assert len(_BY_ID) == len(HAZARDS)
    owners: dict[str, str] = {}
    for h in HAZARDS:
        assert h.severity in hazards.SEVERITIES, h.id
        assert h.status in {"V1", "V2", "R", "P", "D", "NF", "arithmetic"}, h.id
        assert set(h.calculators) <= set(CALCULATORS), h.id
        assert all(key in SOURCES for key in h.sources), h.id
        for example in (*h.fires, *h.quiet):
            assert example.calculator in h.calculators, (h.id, example.calculator)
        for code in h.codes:
            assert code not in owners, f"{code} in {owners.get(code)} and {h.id}"
            owners[code] = h.id
        if h.threshold:
            assert h.threshold in calculators.constants.CONSTANTS, h.id


def test_hazards_thresholds_of_status_d_are_constants_of_status_d() -> None:
    """A hazard whose threshold is this site's own names a constant of status D."""
    for h in HAZARDS:
        if h.status == "D" and h.threshold:
            assert calculators.constants.CONSTANTS[h.threshold].status == "D", h.id


@pytest.mark.parametrize(("hazard_id", "index", "example"), _FIRES)
def test_hazards_control_fires(hazard_id: str, index: int, example: Example) -> None:
    """Each firing example raises one of its hazard's codes (or is refused by its field)."""
    hazard = _BY_ID[hazard_id]
    codes, refused = _run(example)
    if hazard.refusal:
        assert hazard.refusal in refused, (hazard_id, index, example.note)
    else:
        assert codes & set(hazard.codes), (hazard_id, index, example.note, codes)


@pytest.mark.parametrize(("hazard_id", "index", "example"), _QUIET)
def test_hazards_control_quiet_just_inside(hazard_id: str, index: int, example: Example) -> None:
    """Each just-inside example raises none of its hazard's codes and is not refused by it."""
    hazard = _BY_ID[hazard_id]
    codes, refused = _run(example)
    assert not codes & set(hazard.codes), (hazard_id, index, example.note, codes)
    if hazard.refusal:
        assert hazard.refusal not in refused, (hazard_id, index)
    assert not refused, (hazard_id, index, refused)
