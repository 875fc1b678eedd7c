"""The hostile corpus with CPython's answer for each value in each number field, as JSON.

For ``tests/engines/firefox.test.mjs``: the values come from ``tests/browser/hostile_corpus.py``
(the Chromium tests read the same module), the answers from ``calculators.calculate`` on
CPython with the other fields at their defaults: ``{"error": message}`` (the message beside
the field) or ``{"result": ...}``. Every top-level number field of every calculator is listed
(number fields are text inputs: anything can be typed there). Run as
``python tests/engines/hostile_cases.py``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parents[1]), str(HERE.parent / "browser")]

from browserkit import expected, value_text  # noqa: E402  # after sys.path
from hostile_corpus import PAYLOADS, typed_values  # noqa: E402  # after sys.path

from calculators import CALCULATORS  # noqa: E402  # after sys.path


def _json(value: object) -> object:
    """As the page holds it (data-result is JSON)."""
    return json.loads(json.dumps(value))


def outcome(calc_id: str, name: str, value: str) -> dict[str, object]:
    """CPython's answer for ``value`` in ``name``: the field's message, or the result."""
    answer = expected(calc_id, {name: value})
    if "errors" in answer:
        errors = answer["errors"]
        assert set(errors) == {name}, (calc_id, name, value, errors)  # only the field typed in
        return {"error": errors[name]}
    return {"result": _json(answer)}


def hostile_cases() -> dict[str, object]:
    """The values once, then per calculator its default result and each number field's answers."""
    values = typed_values()
    calculators = []
    for calc_id, calc in CALCULATORS.items():
        fields = [
            {
                "name": f.name,
                "label": f.label,
                "default": "" if f.default is None else value_text(f.default),
                "outcomes": [outcome(calc_id, f.name, value) for value in values],
            }
            for f in calc.fields
            if f.kind == "number"
        ]
        default = _json(expected(calc_id, {}))
        calculators.append({"id": calc_id, "default": default, "fields": fields})
    return {"values": list(values), "payloads": list(PAYLOADS), "calculators": calculators}


if __name__ == "__main__":
    json.dump(hostile_cases(), sys.stdout, ensure_ascii=False)
