"""Moodle calculated questions: a case that is a formula, asked again with new values.

A Moodle *calculated* question holds a formula over wildcards (``{dose_mcg}``) and datasets,
one value per wildcard for each item; each attempt takes one item. Here the engine makes the
datasets: every combination of the inputs below is run through
:func:`calculators.calculate`, an item is kept only when the engine accepts it, passes the
question's own clinical filter (``keep``) and warns of nothing that its stem does not state
(``stated``: a Moodle stem cannot show the site's warnings, so an item that would draw one is
left out), and the formula must give the engine's answer for every item kept, within the
question's tolerance, or the build stops (:func:`check_formula`). Only cases that truly are
one formula, and are safe to ask with any of their values, are here:

- the days from a full reservoir to the low-reservoir alarm (``itb-refill``),
- the daily volume a pump delivers (``itb-refill``).

The oral-to-intravenous conversion is not one of them (see the comment above
:data:`CALCULATED`).

A titration schedule, a taper or a kidney dose reduction is a table of steps and rules, not
one formula, so they stay numerical questions with the case's own values.
"""

from __future__ import annotations

import ast
import itertools
import math
import operator
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from calculators import constants as _constants
from calculators._util import SIGNIFICANT_FIGURES
from calculators.registry import CALCULATORS, calculate
from calculators.spec import InputError
from sitebuild import SiteBuildError

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = [
    "CALCULATED",
    "Calculated",
    "base_inputs",
    "check_formula",
    "dataset",
    "evaluate_formula",
]

# Moodle keeps at most 100 items in a dataset (its form offers 1 to 100).
MAX_ITEMS = 100
_WILDCARD = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


@dataclass(frozen=True)
class Calculated:
    """One calculated question: a case's question, asked over a range of the engine's inputs.

    ``wildcards`` maps each wildcard of ``formula`` to the calculator input it stands for;
    ``grid`` gives the values each varied input takes (every combination is tried). The other
    inputs keep the case's values. ``tolerance_type`` is Moodle's: ``nominal`` (absolute, in
    the answer's unit) or ``relative`` (a fraction of the answer). ``places`` or ``figures``
    says how Moodle shows the right answer: that many decimals, or significant figures.
    """

    id: str
    case: str
    question: str
    calculator: str
    key: str
    formula: str
    wildcards: dict[str, str]
    grid: dict[str, tuple[float, ...]]
    text: Callable[[], str]
    explanation: str
    tolerance: float
    tolerance_type: str
    places: int = 0
    figures: int = 0
    # Inputs every item takes instead of the case's (not wildcards: the stem states them).
    fixed: dict[str, float] = field(default_factory=dict)
    # Warning codes of the engine that the stem itself states; any other warning drops an item.
    stated: tuple[str, ...] = ()
    # A clinical filter on the engine's result: False leaves the item out.
    keep: Callable[[dict[str, Any]], bool] | None = None
    # The hints shown in Moodle; the case question's hints when None.
    hints: tuple[str, ...] | None = None


def _spec_field(calculator: str, name: str) -> Any:  # noqa: ANN401  # a calculators.spec.Field
    return next(f for f in CALCULATORS[calculator].fields if f.name == name)


def _choices(calculator: str, name: str) -> tuple[float, ...]:
    return tuple(c.value for c in _spec_field(calculator, name).choices)


def _unit(calculator: str, name: str) -> str:
    """``{name} unit``: a wildcard with the unit its calculator field declares."""
    return f"{{{name}}} {_spec_field(calculator, name).unit}"


def _refill_text() -> str:
    def u(name: str) -> str:
        return _unit("itb-refill", name)

    return (
        f"<p>An intrathecal baclofen pump with a {u('reservoir_ml')} reservoir is filled full "
        f"with baclofen at {u('concentration_mcg_per_ml')}. Its low-reservoir alarm is set at "
        f"{u('alarm_ml')}, and it delivers {u('daily_dose_mcg')}, continuously.</p>"
        "<p>How many days after the refill does the reservoir reach the alarm volume? Answer "
        "in days, to one decimal.</p>"
    )


def _volume_text() -> str:
    def u(name: str) -> str:
        return _unit("itb-refill", name)

    return (
        f"<p>An intrathecal baclofen pump delivers {u('daily_dose_mcg')} of baclofen at "
        f"{u('concentration_mcg_per_ml')}.</p><p>What volume does it deliver each day? "
        "Answer in mL/day: type the number and then the unit (a number alone scores "
        "nothing).</p>"
    )


# Daily doses (mcg/day) to vary over: teaching values inside the field's bounds, which the
# engine checks again for every item.
_PUMP_DOSES_MCG = (100, 150, 200, 300, 400, 500, 600, 800)
# The refill-interval items stop well short of the engine's long-interval caution
# (ITB_LONG_REFILL_INTERVAL_DAYS, this site's threshold of about 6 months): an interval of
# 4 months at most is this export's choice, not a sourced limit (review M2: no label maximum
# was found, and a bank of items at the edge of one teaches the edge).
_REFILL_MAX_DAYS = 120
# Nor does any item run the pump at 0.1 mL a day or less (1000 to 2000 mcg/mL for 100 to
# 200 mcg a day; review M2): Boster 2016 advises starting at 500 mcg/mL.
_REFILL_MIN_VOLUME_ML = 0.1


def _refill_keep(result: dict[str, Any]) -> bool:
    return bool(
        result["days_to_alarm"] <= _REFILL_MAX_DAYS
        and result["daily_volume_ml"] > _REFILL_MIN_VOLUME_ML
    )


# The oral-to-intravenous conversion (case "oral-to-iv") is deliberately NOT a calculated
# question (review D1). As a bare formula it reads as a dose to give a patient who cannot
# swallow, stripped of the site's warnings: intravenous baclofen is investigational (no
# marketed product was found), the 74% bioavailability comes from single 3 or 5 mg IV doses
# in healthy volunteers (Agarwal 2015), repeated IV dosing was never studied, most items
# would be 1.5 to 3 times the largest single IV dose studied, and the case's own choice
# question teaches that this arithmetic is not the answer for a patient nil by mouth. The
# case stays a numerical question, with its caveats, in every export; docs/teachers.md says why.
CALCULATED: tuple[Calculated, ...] = (
    Calculated(
        id="refill-interval",
        case="itb-refill-alarm",
        question="alarm-days",
        calculator="itb-refill",
        key="days_to_alarm",
        formula="({reservoir_ml} - {alarm_ml}) * {concentration_mcg_per_ml} / {daily_dose_mcg}",
        wildcards={
            "reservoir_ml": "reservoir_ml",
            "alarm_ml": "alarm_ml",
            "concentration_mcg_per_ml": "concentration_mcg_per_ml",
            "daily_dose_mcg": "daily_dose_mcg",
        },
        grid={
            "daily_dose_mcg": _PUMP_DOSES_MCG,
            "concentration_mcg_per_ml": _choices("itb-refill", "concentration_mcg_per_ml"),
            "reservoir_ml": _choices("itb-refill", "reservoir_ml"),
            # Only the 4 mL alarm (review M2): with a 2 mL alarm the engine warns
            # "alarm-too-late", which a Moodle stem would not show.
            "alarm_ml": (_constants.PUMP_SAFER_ALARM_ML.value,),
        },
        text=_refill_text,
        explanation=(
            "Days to the alarm = (reservoir − alarm volume) × concentration ÷ daily dose: the "  # noqa: RUF001  # typography of shown text
            "daily volume is the daily dose divided by the concentration, and the volume above "
            "the alarm lasts that many days [@label-gablofen; @neurosurgery2004]. The alarm "
            "here is set at 4 mL: in a 2004 study of SynchroMed pumps with a 2 mL alarm, "
            "withdrawal symptoms appeared 1 to 7 days before 2.1-3.8 mL was left, did not "
            "correlate with the drug in the pump, and did not recur once the alarm was raised "
            "to 4 mL [@neurosurgery2004]."
        ),
        tolerance=0.1,
        tolerance_type="nominal",
        places=1,
        keep=_refill_keep,
        hints=("The alarm sounds when the alarm volume is left, not when the pump is empty.",),
    ),
    Calculated(
        id="daily-volume",
        case="itb-refill-alarm",
        question="volume",
        calculator="itb-refill",
        key="daily_volume_ml",
        formula="{daily_dose_mcg} / {concentration_mcg_per_ml}",
        wildcards={
            "daily_dose_mcg": "daily_dose_mcg",
            "concentration_mcg_per_ml": "concentration_mcg_per_ml",
        },
        grid={
            "daily_dose_mcg": _PUMP_DOSES_MCG,
            "concentration_mcg_per_ml": _choices("itb-refill", "concentration_mcg_per_ml"),
        },
        # The stem names no alarm; the engine's run takes the 4 mL one, so that no item
        # carries the 2 mL alarm's warning (which the stem would not show).
        fixed={"alarm_ml": _constants.PUMP_SAFER_ALARM_ML.value},
        text=_volume_text,
        explanation=(
            "Daily volume = daily dose ÷ concentration (mcg/day ÷ mcg/mL = mL/day) "
            "[@label-gablofen]. Small volumes are why a concentration change needs care: "
            "the same dose at four times the strength is a quarter of the volume."
        ),
        # The engine shows volumes to 3 significant figures (off by at most 0.5%): 1% covers it.
        tolerance=0.01,
        tolerance_type="relative",
        figures=SIGNIFICANT_FIGURES,
    ),
)


def base_inputs(calc: Calculated, case_inputs: dict[str, Any]) -> dict[str, Any]:
    """The inputs every item shares: the case's, less the varied ones, with ``fixed`` applied."""
    return {**{k: v for k, v in case_inputs.items() if k not in calc.grid}, **calc.fixed}


def dataset(calc: Calculated, case_inputs: dict[str, Any]) -> list[dict[str, Any]]:
    """The items: inputs the engine accepts, each with its result under ``"result"``.

    Every combination of ``calc.grid`` is run with the case's other inputs (and ``fixed``); an
    item whose result warns of anything the stem does not state (``calc.stated``) is left out
    (a Moodle stem cannot show the site's warnings, and a variant must not hide a hazard), and
    so is any input the engine refuses or ``calc.keep`` rejects.
    """
    base = base_inputs(calc, case_inputs)
    allowed = set(calc.stated)
    names = list(calc.grid)
    items: list[dict[str, Any]] = []
    for values in itertools.product(*(calc.grid[n] for n in names)):
        inputs = {**base, **dict(zip(names, values, strict=True))}
        try:
            result = calculate(calc.calculator, inputs)
        except InputError:
            continue
        if calc.keep is not None and not calc.keep(result):
            continue
        if {w["code"] for w in result["warnings"]} <= allowed:
            items.append({"inputs": inputs, "result": result})
    if not 2 <= len(items) <= MAX_ITEMS:  # noqa: PLR2004  # one item is not a variant
        raise SiteBuildError(
            f"calculated question {calc.id!r}: {len(items)} dataset items; Moodle needs 2 to "
            f"{MAX_ITEMS}. Change its grid in sitebuild/lms_calculated.py."
        )
    return items


_OPS: dict[type[ast.operator], Callable[[float, float], float]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}


def evaluate_formula(formula: str, values: dict[str, float]) -> float:
    """A Moodle formula (numbers, ``+ - * /``, parentheses, ``{wildcard}``) for ``values``."""
    missing = sorted(set(_WILDCARD.findall(formula)) - set(values))
    if missing:
        raise SiteBuildError(f"formula {formula!r}: no value for {', '.join(missing)}")
    text = _WILDCARD.sub(lambda m: f"({float(values[m[1]])!r})", formula)

    def value(node: ast.expr) -> float:
        if isinstance(node, ast.Constant) and type(node.value) in {int, float}:
            return float(node.value)
        if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
            return _OPS[type(node.op)](value(node.left), value(node.right))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -value(node.operand)
        raise SiteBuildError(f"formula {formula!r}: only numbers, + - * / and ( ) are used here")

    return value(ast.parse(text, mode="eval").body)


def within(calc: Calculated, got: float, expected: float) -> bool:
    """Whether Moodle would accept ``got`` for ``expected`` with the question's tolerance."""
    if calc.tolerance_type == "relative":
        return abs(got - expected) <= calc.tolerance * abs(expected) + 1e-12
    return abs(got - expected) <= calc.tolerance + 1e-9


def check_formula(calc: Calculated, items: list[dict[str, Any]]) -> None:
    """Stop the build if the formula misses the engine's answer for any item."""
    for item in items:
        values = {w: item["inputs"][name] for w, name in calc.wildcards.items()}
        got = evaluate_formula(calc.formula, values)
        expected = item["result"][calc.key]
        if not math.isfinite(got) or not within(calc, got, float(expected)):
            raise SiteBuildError(
                f"calculated question {calc.id!r}: the formula {calc.formula!r} gives "
                f"{got!r} for {values}, but the engine's {calc.key} is {expected!r} "
                f"(tolerance {calc.tolerance:g}, {calc.tolerance_type}). Fix the formula or "
                "the calculator."
            )
