"""What the other-engine tests check, computed by CPython: printed as JSON for engines.test.mjs.

For every calculator: a valid value for one field that is not its default (the live result
must then equal CPython's), and an out-of-range value for a number field with a maximum
(the field's error must be CPython's message). Run as ``python tests/engines/cases.py``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parents[1]), str(HERE.parent / "browser")]

from browserkit import alternate, expected, out_of_range  # noqa: E402  # after sys.path

from calculators import CALCULATORS  # noqa: E402  # after sys.path


def cases() -> list[dict[str, object]]:
    """One change and one error per calculator (the error where a number has a maximum)."""
    out: list[dict[str, object]] = []
    for calc_id, calc in CALCULATORS.items():
        first = next(f for f in calc.fields if f.kind == "number")
        value = alternate(calc_id, first.name)
        case: dict[str, object] = {
            "id": calc_id,
            "default": json.loads(json.dumps(expected(calc_id, {}))),
            "change": {"field": first.name, "value": value},
            "changed": json.loads(json.dumps(expected(calc_id, {first.name: value}))),
        }
        bounded = next((f for f in calc.fields if f.maximum is not None), None)
        if bounded is not None:
            bad = out_of_range(bounded)
            case["error"] = {
                "field": bounded.name,
                "label": bounded.label,
                "value": bad,
                "message": expected(calc_id, {bounded.name: bad})["errors"][bounded.name],
            }
        out.append(case)
    return out


if __name__ == "__main__":
    json.dump(cases(), sys.stdout, ensure_ascii=False)
