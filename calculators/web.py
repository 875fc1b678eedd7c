"""The browser bridge: one JSON-in, JSON-out call for the Web Worker.

The worker posts ``{id, inputs}``; :func:`run` answers with the complete reply in one call: the
result, its HTML (rendered by the same :mod:`calculators.present` used at build time) and its
plain text (for copying), or the input errors as data. The worker only forwards it.
"""

from __future__ import annotations

import hashlib
import inspect
import json
from typing import Any

from .present import to_html, to_text
from .registry import calculate, get
from .spec import FieldError, InputError


def run(calculator_id: str, inputs_json: str, refs_href: str = "../references/") -> str:
    """Run a calculator for the browser and answer in JSON.

    The answer is
    ``{"ok": true, "result": {...}, "html": "...", "html_sha256": "...", "text": "..."}`` or
    ``{"ok": false, "error": {"name", "message", "errors": [{"field", "message"}]}}``.

    ``html_sha256`` (:func:`html_digest`) lets the page leave a result as it is when the new
    HTML is the one already shown: the build writes the same digest on each form's result.
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
    html = to_html(result, refs_href=refs_href)
    payload: dict[str, Any] = {
        "ok": True,
        "result": result,
        "html": html,
        "html_sha256": html_digest(html),
        "text": to_text(result),
    }
    return json.dumps(payload)


def html_digest(html: str) -> str:
    """The SHA-256 of a result's HTML (hex): equal digests, the same HTML."""
    return hashlib.sha256(html.encode("utf-8")).hexdigest()


def source(calculator_id: str) -> str:
    """The Python source of the function behind a calculator (for "show the Python")."""
    return inspect.getsource(get(calculator_id).function)
