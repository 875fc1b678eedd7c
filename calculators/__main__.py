"""Command line: ``python -m calculators <id> --field-name value ... [--json]``.

``python -m calculators --list`` lists the calculators; ``python -m calculators <id> --help``
lists a calculator's fields with units, limits and defaults (all from its spec).
"""

from __future__ import annotations

import argparse
import json
import sys

from .present import to_text
from .registry import CALCULATORS, calculate
from .spec import Field, InputError, format_number


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
        p.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)
    if args.list or not args.calculator:
        for calc in CALCULATORS.values():
            print(f"{calc.id:18} {calc.summary}")
        return 0
    calc = CALCULATORS[args.calculator]
    inputs = {
        f.name: getattr(args, f.name) for f in calc.fields if getattr(args, f.name) is not None
    }
    try:
        result = calculate(calc.id, inputs)
    except InputError as exc:
        for error in exc.errors:
            print(f"error: --{error.field.replace('_', '-')}: {error.message}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        print(to_text(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
