"""The calculator catalogue: every calculator as data, in the built site under ``api/v1/``.

``api/v1/calculators.json`` is the index (engine version, how the files were made, one entry
per calculator: id, title, summary, the URL of its file relative to the index, its vector
count and SHA-256); ``api/v1/calculators/<id>.json`` holds one calculator: its inputs as a
JSON Schema (draft 2020-12), outputs, tables, warning codes with their hazards, sources with
their identifiers, and test vectors. All of it is read from the specs, the hazard register,
the bibliography and the known answers; nothing is typed here. ``docs/api.md`` describes the
files for the people who use them, including the ``x-`` annotations (``x-unit``, ``x-step``,
``x-unit-from``, ``x-sources``).

The prepare step (:func:`sitebuild.pipeline.prepare`) writes the files among the prepared
files, which the finish step copies into the site: they are in the offline manifest and the
service worker's list like any other file. Keys keep the order they are built in and each
file ends with a newline, so the same specs give the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import math
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import calculators
from calculators.constants import CONSTANTS
from calculators.hazards import ALL, HAZARDS
from calculators.registry import CALCULATORS
from calculators.sources import SOURCES
from calculators.validation import KNOWN_ANSWERS

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

    from calculators.hazards import Hazard
    from calculators.spec import Calculator, Field, Group

API = "v1"
API_DIR = f"api/{API}"
INDEX_FILE = f"{API_DIR}/calculators.json"
DIALECT = "https://json-schema.org/draft/2020-12/schema"
# The engine's own figures, rounded as it rounds them: room for floating-point noise only.
ENGINE_TOLERANCE = {"absolute": 1e-9, "relative": 1e-9}
GENERATED = {
    "by": "sitebuild/catalogue.py",
    "from": "calculators/spec.py specs, registered in calculators/registry.py",
    "expected_values": (
        "computed by calculators.calculate (CPython) when the site was built, except the "
        "known answers, whose expected values were worked by hand from the sources"
    ),
}


def calculator_path(calculator_id: str) -> str:
    """Where one calculator's file goes, relative to the site root."""
    return f"{API_DIR}/calculators/{calculator_id}.json"


def _plain(value: object) -> object:
    """A constant's value as JSON: a fraction as its decimal, a tuple as a list."""
    if isinstance(value, Fraction):
        return float(value)
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    return value


# --- the input schema ----------------------------------------------------------------------


def _given(**keywords: object) -> dict[str, Any]:
    """The keywords whose value is set (not None, not empty)."""
    return {k.replace("_", "-"): v for k, v in keywords.items() if v not in (None, "", (), [])}


def _kind_schema(f: Field) -> dict[str, Any]:
    """The keywords of one field's kind: number, choice or date."""
    if f.kind == "choice":
        options: list[dict[str, Any]] = [{"const": c.value, "title": c.label} for c in f.choices]
        return {"oneOf": options + ([] if f.required else [{"type": "null", "title": "Not given"}])}
    kind = {"number": "integer" if f.integer else "number", "date": "string"}[f.kind]
    schema: dict[str, Any] = {"type": kind if f.required else [kind, "null"]}
    if f.kind == "date":
        return {**schema, "format": "date"}
    return {
        **schema,
        **_given(minimum=f.minimum, maximum=f.maximum),
        **({"multipleOf": f.multiple_of} if f.multiple_of is not None else {}),
        **_given(x_step=f.step, x_unit_from=f.range_by),
    }


def field_schema(f: Field) -> dict[str, Any]:
    """One field as a JSON Schema: type, unit, range, multiple, choices, default, nullability."""
    return {
        "title": f.label,
        **_given(description=f.help),
        **_kind_schema(f),
        **_given(x_unit=f.unit, default=f.default, x_sources=list(f.sources)),
    }


def _object(fields: tuple[Field, ...]) -> dict[str, Any]:
    """``properties``, ``required`` (no default and not optional) and no other keys."""
    return {
        "type": "object",
        "properties": {f.name: field_schema(f) for f in fields},
        "required": [f.name for f in fields if f.required and f.default is None],
        "additionalProperties": False,
    }


def group_schema(group: Group) -> dict[str, Any]:
    """A repeated group: an array of item objects, with its item count and default items."""
    default = [
        {f.name: item.get(f.name, f.default) for f in group.fields} for item in group.default
    ]
    return {
        "title": group.label,
        **_given(description=group.help),
        "type": "array",
        "minItems": group.min_items,
        "maxItems": group.max_items,
        "items": {"title": group.item_label, **_object(group.fields)},
        "default": default,
        **_given(x_sources=list(group.sources)),
    }


def _unit_ranges(calc: Calculator) -> list[dict[str, Any]]:
    """``if``/``then`` per unit for a field whose range depends on a unit chosen elsewhere.

    A field left out takes its default, so the default unit's ``if`` also holds when the
    unit field is absent; another unit's ``if`` requires the unit field to be present.
    """
    rules: list[dict[str, Any]] = []
    for f in calc.fields:
        if not f.range_by:
            continue
        unit_default = calc.field(f.range_by).default
        for value, shown, lo, hi in f.ranges:
            condition: dict[str, Any] = {"properties": {f.range_by: {"const": value}}}
            if value != unit_default:
                condition["required"] = [f.range_by]
            limits = {"minimum": lo, "maximum": hi, "x-unit": shown}
            rules.append({"if": condition, "then": {"properties": {f.name: limits}}})
    return rules


def input_schema(calc: Calculator) -> dict[str, Any]:
    """The calculator's inputs as a JSON Schema (draft 2020-12) of the JSON form of a request."""
    body = _object(calc.fields)
    body["properties"].update({g.name: group_schema(g) for g in calc.groups})
    title = f"{calc.title}: inputs"
    head = {"$schema": DIALECT, "title": title, "description": calc.summary}
    return {**head, **body, **_given(allOf=_unit_ranges(calc))}


# --- warnings, hazards and sources ---------------------------------------------------------


def hazards_of(calculator_id: str) -> list[Hazard]:
    """The hazards the register applies to one calculator, in register order."""
    return [h for h in HAZARDS if calculator_id in h.calculators or ALL in h.calculators]


def _threshold(name: str) -> dict[str, Any] | None:
    if not name:
        return None
    constant = CONSTANTS[name]
    return {
        "constant": name,
        "value": _plain(constant.value),
        "unit": constant.unit,
        "status": constant.status,
        "sources": list(constant.sources),
    }


def _hazard(h: Hazard) -> dict[str, Any]:
    return {
        "id": h.id,
        "severity": h.severity,
        "codes": list(h.codes),
        "refusal": h.refusal or None,
        "always": h.always,
        "slip": h.slip,
        "harm": h.harm,
        "sources": list(h.sources),
        "status": h.status,
        "threshold": _threshold(h.threshold),
    }


def _source(key: str) -> dict[str, Any]:
    s = SOURCES[key]
    return {
        "key": s.key,
        "citation": s.citation,
        "access": s.access,
        "doi": s.doi,
        "pmid": s.pmid,
        "dailymed_setid": s.setid,
        "url": s.url,
        "note": s.note or None,
    }


def _source_keys(calc: Calculator, hazards: list[Hazard]) -> list[str]:
    """Every source the file names, in bibliography order."""
    items: list[Any] = [calc, *calc.fields, *calc.groups, *hazards]
    items += [f for g in calc.groups for f in g.fields]
    keys = {k for item in items for k in item.sources}
    keys.update(k for h in hazards if h.threshold for k in CONSTANTS[h.threshold].sources)
    keys.update(k for a in KNOWN_ANSWERS if a.calculator == calc.id for k in a.sources)
    return [key for key in SOURCES if key in keys]


# --- test vectors ----------------------------------------------------------------------------


def _full_inputs(calc: Calculator, given: Mapping[str, Any]) -> dict[str, Any]:
    """Every input spelled out: the given values over the defaults (blank defaults left out)."""
    values = {k: v for k, v in calc.defaults().items() if v is not None}
    values.update(given)
    return values


def _engine_expectation(calc: Calculator, inputs: dict[str, Any]) -> dict[str, Any]:
    """What :func:`calculators.calculate` gives now: outputs, tables and warning codes."""
    try:
        result = calculators.calculate(calc.id, inputs)
    except calculators.InputError as error:
        return {"refused": sorted({e.field for e in error.errors})}
    return {
        "outputs": {o.key: result[o.key] for o in calc.outputs},
        "tables": {t.key: result[t.key] for t in calc.tables},
        "warnings": sorted({w["code"] for w in result["warnings"]}),
    }


def _engine_vector(
    calc: Calculator, vector_id: str, kind: str, description: str, given: Mapping[str, Any]
) -> dict[str, Any]:
    inputs = _full_inputs(calc, given)
    return {
        "id": vector_id,
        "kind": kind,
        "description": description,
        "inputs": inputs,
        "expected_from": "engine",
        "tolerance": dict(ENGINE_TOLERANCE),
        "expected": _engine_expectation(calc, inputs),
    }


def vectors(calc: Calculator) -> list[dict[str, Any]]:
    """The defaults, the known answers, then each hazard example that fires here."""
    found = [_engine_vector(calc, "defaults", "defaults", "the form's defaults", {})]
    answers = [a for a in KNOWN_ANSWERS if a.calculator == calc.id]
    for n, answer in enumerate(answers, start=1):
        found.append(
            {
                "id": f"known-answer-{n}",
                "kind": "known-answer",
                "description": answer.what,
                "inputs": _full_inputs(calc, answer.inputs),
                "expected_from": "hand-worked",
                "working": answer.working,
                "sources": list(answer.sources),
                "tolerance": {"absolute": answer.tolerance, "relative": 0},
                "expected": {"outputs": {answer.output: answer.expected}},
            }
        )
    for h in HAZARDS:
        examples = [e for e in h.fires if e.calculator == calc.id]
        for n, example in enumerate(examples, start=1):
            description = f"fires hazard {h.id}" + (f": {example.note}" if example.note else "")
            vector = _engine_vector(
                calc, f"hazard-{h.id}-{n}", "hazard", description, example.inputs
            )
            vector["hazard"] = h.id
            found.append(vector)
    return found


def _close(expected: object, computed: object, tolerance: Mapping[str, float]) -> bool:
    """Numbers within the tolerance (as :func:`math.isclose`), anything else exactly."""
    numbers = (int, float)
    if isinstance(expected, numbers) and isinstance(computed, numbers):
        if isinstance(expected, bool) or isinstance(computed, bool):
            return expected is computed
        rel, absolute = tolerance["relative"], tolerance["absolute"]
        return math.isclose(expected, computed, rel_tol=rel, abs_tol=absolute)
    if isinstance(expected, dict) and isinstance(computed, dict):
        if expected.keys() != computed.keys():
            return False
        expected, computed = list(expected.values()), list(computed.values())
    if isinstance(expected, list) and isinstance(computed, list):
        return len(expected) == len(computed) and all(
            _close(e, c, tolerance) for e, c in zip(expected, computed, strict=True)
        )
    return expected == computed


def vector_mismatches(vector: Mapping[str, Any], result: Mapping[str, Any] | None) -> list[str]:
    """How a result differs from a vector (empty when it matches); ``None``: it was refused.

    ``result`` is what :func:`calculators.calculate` returned for the vector's inputs. The
    warning codes are compared as a set; ``refused`` lists the fields an input error names.
    """
    expected, tolerance = vector["expected"], vector["tolerance"]
    if "refused" in expected:
        return [] if result is None else [f"expected a refusal of {expected['refused']}"]
    if result is None:
        return ["the inputs were refused"]
    problems = []
    for group in ("outputs", "tables"):
        for key, value in expected.get(group, {}).items():
            if not _close(value, result.get(key), tolerance):
                problems.append(f"{key}: expected {value!r}, got {result.get(key)!r}")
    if "warnings" in expected:
        codes = sorted({w["code"] for w in result["warnings"]})
        if codes != expected["warnings"]:
            problems.append(f"warnings: expected {expected['warnings']}, got {codes}")
    return problems


# --- the files ---------------------------------------------------------------------------------


def calculator_document(calc: Calculator) -> dict[str, Any]:
    """One calculator's file, as data."""
    hazards = hazards_of(calc.id)
    return {
        "api": API,
        "engine_version": calculators.__version__,
        "id": calc.id,
        "title": calc.title,
        "summary": calc.summary,
        "input_schema": input_schema(calc),
        "outputs": [{"key": o.key, "label": o.label, "unit": o.unit} for o in calc.outputs],
        "tables": [
            {
                "key": t.key,
                "title": t.title,
                "columns": [{"key": c.key, "label": c.label, "unit": c.unit} for c in t.columns],
            }
            for t in calc.tables
        ],
        "warnings": [
            {"code": code, "severity": h.severity, "hazard": h.id}
            for h in hazards
            for code in h.codes
        ],
        "hazards": [_hazard(h) for h in hazards],
        "sources": [_source(key) for key in _source_keys(calc, hazards)],
        "vectors": vectors(calc),
    }


def dumps(document: object) -> str:
    """The file's text: keys in the order built, UTF-8 as is, one trailing newline."""
    return json.dumps(document, indent=1, ensure_ascii=False, allow_nan=False) + "\n"


def catalogue(registry: Mapping[str, Calculator] | None = None) -> dict[str, str]:
    """Every file of the catalogue as ``{path relative to the site root: text}``."""
    files: dict[str, str] = {}
    entries = []
    for calc in (CALCULATORS if registry is None else registry).values():
        document = calculator_document(calc)
        path, text = calculator_path(calc.id), dumps(document)
        files[path] = text
        entry: dict[str, Any] = {"id": calc.id, "title": calc.title, "summary": calc.summary}
        entry["url"] = path.removeprefix(f"{API_DIR}/")
        entry["vectors"] = len(document["vectors"])
        entry["sha256"] = hashlib.sha256(text.encode("utf-8")).hexdigest()
        entries.append(entry)
    index: dict[str, Any] = {
        "api": API,
        "engine_version": calculators.__version__,
        "generated": GENERATED,
    }
    index |= {"schema_dialect": DIALECT, "calculators": entries}
    return {INDEX_FILE: dumps(index), **files}


def write_catalogue(root: Path) -> list[Path]:
    """Write the catalogue under ``root`` (the prepared files); the paths written."""
    written = []
    for rel, text in catalogue().items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
        written.append(path)
    return written
