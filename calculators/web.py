"""The browser bridge: one JSON-in, JSON-out call for the Web Worker.

The worker posts ``{id, inputs}``; :func:`run` answers with the complete reply in one call: the
result, its HTML (rendered by the same :mod:`calculators.present` used at build time) and its
plain text (for copying), or the input errors as data. The worker only forwards it.
"""

from __future__ import annotations

import inspect
import json
from typing import Any

from .present import to_html, to_text
from .registry import calculate, get
from .spec import FieldError, InputError


def run(calculator_id: str, inputs_json: str, refs_href: str = "../references/") -> str:
    """Run a calculator for the browser and answer in JSON.

    The answer is
    ``{"ok": true, "result": {...}, "html": "...", "text": "..."}`` or
    ``{"ok": false, "error": {"name", "message", "errors": [{"field", "message"}]}}``.
    """
    try:
        try:
            inputs = json.loads(inputs_json)
        except ValueError as exc:  # malformed JSON must come back as data, not a lost exception
            raise InputError(
                [FieldError("inputs", f"inputs must be a JSON object (got invalid JSON: {exc})")]
            ) from None
        result = calculate(calculator_id, inputs)
    except InputError as exc:
        return json.dumps({"ok": False, "error": exc.as_dict()})
    payload: dict[str, Any] = {
        "ok": True,
        "result": result,
        "html": to_html(result, refs_href=refs_href),
        "text": to_text(result),
    }
    return json.dumps(payload)


def source(calculator_id: str) -> str:
    """The Python source of the function behind a calculator (for "show the Python")."""
    return inspect.getsource(get(calculator_id).function)
