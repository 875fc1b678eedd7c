"""The evidence base in ``evidence/`` and the code agree: every source key with its access and
identifiers (``sources.toml`` against ``calculators/sources.py``), every constant with its
status and source keys (``label-facts.toml`` against ``calculators/constants.py``)."""

from __future__ import annotations

import tomllib
from pathlib import Path

from calculators.constants import CONSTANTS
from calculators.sources import SOURCES

EVIDENCE = Path(__file__).resolve().parents[2] / "evidence"
STATUSES = {"V1", "V2", "R", "P", "NF", "D", "derived"}


def _load(name: str) -> dict:
    with (EVIDENCE / name).open("rb") as handle:
        return tomllib.load(handle)


def _constants() -> dict:
    return CONSTANTS if isinstance(CONSTANTS, dict) else {c.name: c for c in CONSTANTS}


def source_mismatches(recorded: dict, code: dict) -> list[str]:
    """What differs between the evidence base's sources and the code's bibliography."""
    out = [f"{k}: in sources.py, not in evidence/sources.toml" for k in code if k not in recorded]
    out += [f"{k}: in evidence/sources.toml, not in sources.py" for k in recorded if k not in code]
    for key in set(recorded) & set(code):
        for field in ("access", "doi", "pmid", "setid"):
            if recorded[key].get(field) != (getattr(code[key], field) or None):
                out.append(
                    f"{key}.{field}: {recorded[key].get(field)!r} vs {getattr(code[key], field)!r}"
                )
    return out


def constant_mismatches(recorded: dict, code: dict) -> list[str]:
    """What differs between the evidence base's label facts and ``constants.py``."""
    out = [f"{k}: in constants.py, not in label-facts.toml" for k in code if k not in recorded]
    out += [f"{k}: in label-facts.toml, not in constants.py" for k in recorded if k not in code]
    for name in set(recorded) & set(code):
        if recorded[name]["status"] != code[name].status:
            out.append(f"{name}.status: {recorded[name]['status']} vs {code[name].status}")
        if tuple(recorded[name]["sources"]) != tuple(code[name].sources):
            out.append(f"{name}.sources: {recorded[name]['sources']} vs {code[name].sources}")
    return out


def test_evidence_sources_agree_with_calculators_sources():
    """Every key, access and identifier in sources.py is the evidence base's."""
    assert source_mismatches(_load("sources.toml")["sources"], SOURCES) == []


def test_evidence_label_facts_agree_with_constants():
    """Every constant's status and source keys are the evidence base's."""
    assert constant_mismatches(_load("label-facts.toml")["constants"], _constants()) == []


def test_evidence_statuses_and_keys_are_known():
    """Each recorded status is a known one and each source key is in the bibliography."""
    facts = _load("label-facts.toml")["constants"]
    assert {f["status"] for f in facts.values()} <= STATUSES
    keys = {k for f in facts.values() for k in f["sources"]}
    assert keys <= set(_load("sources.toml")["sources"])


def test_no_constant_cites_the_superseded_catch_all_record():
    """``non-us-labels`` is split into the documents it stood for; no constant cites it."""
    assert not [n for n, c in _constants().items() if "non-us-labels" in c.sources]


def test_mismatch_checks_can_fail():
    """Control: a changed status, a changed access and a missing key are all reported."""
    facts = _load("label-facts.toml")["constants"]
    name = next(iter(facts))
    changed = {
        **facts,
        name: {**facts[name], "status": "V1" if facts[name]["status"] != "V1" else "R"},
    }
    assert constant_mismatches(changed, _constants())
    recorded = _load("sources.toml")["sources"]
    key = next(iter(recorded))
    assert source_mismatches({**recorded, key: {**recorded[key], "access": "seed-x"}}, SOURCES)
    assert source_mismatches({k: v for k, v in recorded.items() if k != key}, SOURCES)
