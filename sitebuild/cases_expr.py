"""A teaching case's expressions: arithmetic over paths into the engine's results.

Part of the case model (:mod:`sitebuild.cases_model`, whose docstring gives the syntax);
standard library and :mod:`calculators` only. Here too are the two names every part of the
model shares: :class:`CaseError` and :class:`Run` (one calculator run and its result).
"""

from __future__ import annotations

import ast
import difflib
import math
import operator
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from calculators import constants as _constants
from calculators.registry import CALCULATORS
from sitebuild.cases_units import unit_of_spec

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["CaseError", "Run", "close_match", "evaluate", "spec_unit"]


class CaseError(ValueError):
    """A case file that cannot be rendered honestly; the message names file, case and field."""


@dataclass
class Run:
    """One run of a calculator: its raw inputs and the engine's result."""

    name: str
    label: str
    calculator: str
    inputs: dict[str, Any]
    result: dict[str, Any]
    hidden: bool = False  # its values would give an answer away: not shown to students


_BINOPS: dict[type[ast.operator], Callable[[float, float], float]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}


def _path(node: ast.expr, where: str, text: str) -> list[str | int]:
    """``steps[-1].daily_mg`` -> ``["steps", -1, "daily_mg"]``."""
    if isinstance(node, ast.Name):
        return [node.id]
    if isinstance(node, ast.Attribute):
        return [*_path(node.value, where, text), node.attr]
    if isinstance(node, ast.Subscript):
        index = node.slice
        sign = 1
        if isinstance(index, ast.UnaryOp) and isinstance(index.op, ast.USub):
            sign, index = -1, index.operand
        if isinstance(index, ast.Constant) and type(index.value) is int:
            return [*_path(node.value, where, text), sign * index.value]
    raise CaseError(
        f"{where}: {text!r} is not a path like steps[0].daily_mg (only names, .key and [index])"
    )


def close_match(key: object, known: list[str]) -> str:
    """`` Did you mean 'x'?`` for the known name closest to ``key``, or ``""``."""
    close = difflib.get_close_matches(str(key), known, n=1)
    return f" Did you mean {close[0]!r}?" if close else ""


def _walk(value: Any, path: list[str | int], shown: str, where: str, text: str) -> Any:  # noqa: ANN401  # JSON data
    for step in path:
        if isinstance(step, int):
            if not isinstance(value, list) or not -len(value) <= step < len(value):
                size = len(value) if isinstance(value, list) else "not a list"
                raise CaseError(
                    f"{where}: in {text!r}, {shown}[{step}] is out of range ({shown}: {size})"
                )
            value = value[step]
            shown = f"{shown}[{step}]"
        else:
            if not isinstance(value, dict) or step not in value:
                known = sorted(value) if isinstance(value, dict) else []
                raise CaseError(
                    f"{where}: in {text!r}, {shown or 'the result'} has no key {step!r}."
                    f"{close_match(step, known)} Known keys: {', '.join(known) or 'none'}"
                )
            value = value[step]
            shown = f"{shown}.{step}" if shown else step
    return value


def _lookup(path: list[str | int], runs: dict[str, Run], where: str, text: str) -> float:
    head = path[0]
    if head == "const":
        if len(path) < 2 or not isinstance(path[1], str) or path[1] not in _constants.CONSTANTS:  # noqa: PLR2004  # const.NAME
            name = path[1] if len(path) > 1 else ""
            raise CaseError(
                f"{where}: in {text!r}, unknown constant {name!r}."
                f"{close_match(name, list(_constants.CONSTANTS))} See calculators/constants.py."
            )
        value: Any = _constants.CONSTANTS[path[1]].value
        value = _walk(
            list(value) if isinstance(value, tuple) else value, path[2:], str(path[1]), where, text
        )
    elif isinstance(head, str) and head in runs and head != next(iter(runs)):
        value = _walk(runs[head].result, path[1:], head, where, text)
    else:
        value = _walk(next(iter(runs.values())).result, path, "", where, text)
    if isinstance(value, Fraction):
        value = float(value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        got = "blank (None)" if value is None else f"{type(value).__name__} {value!r}"
        raise CaseError(f"{where}: {text!r} is not a number (got {got})")
    return float(value)


def evaluate(text: str, runs: dict[str, Run], where: str) -> float:
    """The value of expression ``text`` over ``runs`` (the first is the case's main run)."""
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise CaseError(f"{where}: cannot read the expression {text!r} ({exc.msg})") from None

    def value(node: ast.expr) -> float:
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
            if isinstance(node.value, bool):
                raise CaseError(f"{where}: {text!r} uses True/False, which is not a number")
            return float(node.value)
        if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
            left, right = value(node.left), value(node.right)
            if isinstance(node.op, ast.Div) and right == 0:
                raise CaseError(f"{where}: {text!r} divides by zero")
            return float(_BINOPS[type(node.op)](left, right))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -value(node.operand)
        if isinstance(node, ast.Name | ast.Attribute | ast.Subscript):
            return _lookup(_path(node, where, text), runs, where, text)
        raise CaseError(
            f"{where}: {text!r} uses {type(node).__name__}; an expression may use only numbers, "
            "+ - * /, parentheses and result paths"
        )

    result = value(tree.body)
    if not math.isfinite(result):
        raise CaseError(f"{where}: {text!r} is not finite ({result})")
    return result


def spec_unit(expression: str, run: Run) -> str | None:
    """The unit the calculator's spec gives a bare result path, if it gives one of ours."""
    try:
        node = ast.parse(expression.strip(), mode="eval").body
        path = _path(node, "", expression)
    except (SyntaxError, CaseError):
        return None
    calc = CALCULATORS[run.calculator]
    units: dict[tuple[str | int, ...], str] = {(o.key,): o.unit for o in calc.outputs}
    units.update({("inputs", f.name): f.unit for f in calc.fields})
    for table in calc.tables:
        units.update({(table.key, 0, c.key): c.unit for c in table.columns})
    if len(path) == 3 and isinstance(path[1], int):  # noqa: PLR2004  # table[i].column
        path = [path[0], 0, path[2]]
    unit = units.get(tuple(path))
    return unit_of_spec(unit) if unit is not None else None
