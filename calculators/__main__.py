"""Command line: ``python -m calculators <id> --field-name value ... [--json]``.

``python -m calculators --list`` lists the calculators; ``python -m calculators <id> --help``
lists a calculator's fields with units, limits and defaults (all from its spec).

A repeated group (:class:`calculators.spec.Group`) takes one flag per item, named after the
item and repeated, its values separated by commas in the group's field order:
``itb-flex-schedule --step 0,8,12.5 --step 8,16,20`` (start, duration, rate). Given once, the
flags replace the group's default items.
"""

from __future__ import annotations

import argparse
import json
import sys

from .present import to_text
from .registry import CALCULATORS, calculate
from .spec import Calculator, Field, Group, InputError, format_number


def _help(f: Field) -> str:
    parts = [f.label + (f" ({f.unit})" if f.unit else "")]
    if f.kind == "choice":
        parts.append("one of: " + ", ".join(str(c.value) for c in f.choices))
    elif f.kind == "date":
        parts.append("YYYY-MM-DD")
    else:
        parts.append(f.describe_range())
    if f.default is not None:
        parts.append(
            f"default {format_number(f.default) if not isinstance(f.default, str) else f.default}"
        )
    elif not f.required:
        parts.append("optional")
    return "; ".join(parts)


def _group_flag(group: Group) -> str:
    return "--" + group.item_label.lower().replace(" ", "-")


def _group_help(group: Group) -> str:
    parts = ", ".join(
        f.label + (f" ({f.unit})" if f.unit else "") + f" {f.describe_range()}"
        for f in group.fields
    )
    return (
        f"one {group.item_label.lower()} of {group.label.lower()} as {len(group.fields)} values "
        f"separated by commas: {parts}; repeat the flag for each; {group.describe_count()}"
    )


def _group_inputs(calc: Calculator, args: argparse.Namespace) -> tuple[dict[str, str], list[str]]:
    """Flat ``<group>.<index>.<field>`` inputs from the repeated flags, and any usage errors."""
    inputs: dict[str, str] = {}
    problems: list[str] = []
    for group in calc.groups:
        given: list[str] | None = getattr(args, group.name)
        for index, text in enumerate(given or []):
            values = text.split(",")
            if len(values) != len(group.fields):
                problems.append(
                    f"error: {_group_flag(group)}: {group.item_label} {index + 1} needs "
                    f"{len(group.fields)} values separated by commas "
                    f"({','.join(f.name.upper() for f in group.fields)}) (got {text!r})"
                )
                continue
            for f, value in zip(group.fields, values, strict=True):
                inputs[group.key(index, f.name)] = value.strip()
    return inputs, problems


def _flag(calc: Calculator, field: str) -> str:
    for group in calc.groups:
        if field == group.name or field.startswith(group.name + "."):
            return _group_flag(group)
    return "--" + field.replace("_", "-")


def _escape(text: str) -> str:
    """``text`` as an argparse help string: a literal ``%`` is written ``%%``."""
    return text.replace("%", "%%")


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status (2 for bad input)."""
    parser = argparse.ArgumentParser(
        prog="python -m calculators",
        description="Baclofen dosing calculators (teaching material, not a prescribing tool).",
    )
    parser.add_argument("--list", action="store_true", help="list the calculators")
    sub = parser.add_subparsers(dest="calculator", metavar="CALCULATOR")
    for calc in CALCULATORS.values():
        # argparse %-formats help strings (and Python 3.14 checks them when they are added),
        # so a literal '%' such as "the seed's 20% figure" must be doubled.
        p = sub.add_parser(calc.id, help=_escape(calc.summary), description=calc.summary)
        for f in calc.fields:
            p.add_argument(
                "--" + f.name.replace("_", "-"),
                dest=f.name,
                metavar="VALUE",
                help=_escape(_help(f)),
            )
        for group in calc.groups:
            p.add_argument(
                _group_flag(group),
                dest=group.name,
                action="append",
                metavar=",".join(f.name.upper() for f in group.fields),
                help=_escape(_group_help(group)),
            )
        p.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)
    if args.list or not args.calculator:
        for calc in CALCULATORS.values():
            print(f"{calc.id:18} {calc.summary}")
        return 0
    return _run(CALCULATORS[args.calculator], args)


def _run(calc: Calculator, args: argparse.Namespace) -> int:
    """Calculate from the parsed flags and print the result (exit 0) or the errors (exit 2)."""
    inputs = {
        f.name: getattr(args, f.name) for f in calc.fields if getattr(args, f.name) is not None
    }
    group_inputs, problems = _group_inputs(calc, args)
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        return 2
    inputs.update(group_inputs)
    try:
        result = calculate(calc.id, inputs)
    except InputError as exc:
        for error in exc.errors:
            print(f"error: {_flag(calc, error.field)}: {error.message}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        print(to_text(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
