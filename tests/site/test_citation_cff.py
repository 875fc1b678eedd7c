"""CITATION.cff: a valid Citation File Format 1.2.0 file that agrees with the package."""

import re
from pathlib import Path

import yaml

import calculators

CFF = Path(__file__).resolve().parents[2] / "CITATION.cff"
REQUIRED = {"cff-version", "message", "title", "authors"}


def problems(data: object) -> list[str]:
    """What makes ``data`` an unusable CITATION.cff (empty when it is usable)."""
    if not isinstance(data, dict):
        return ["not a mapping"]
    found = [f"missing {key}" for key in sorted(REQUIRED - set(data))]
    if data.get("cff-version") != "1.2.0":
        found.append("cff-version is not 1.2.0")
    authors = data.get("authors")
    if not isinstance(authors, list) or not authors:
        found.append("authors is not a non-empty list")
    elif not all(isinstance(a, dict) and ("name" in a or "family-names" in a) for a in authors):
        found.append("an author has neither name nor family-names")
    if str(data.get("version")) != calculators.__version__:
        found.append(f"version {data.get('version')!r} is not {calculators.__version__!r}")
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(data.get("date-released", ""))):
        found.append("date-released is not YYYY-MM-DD")
    if data.get("license") != "MIT":
        found.append("license is not the repository's MIT")
    return found


def test_citation_cff_is_valid_and_matches_the_package():
    """The file parses, has the required keys, and names the package's version and licence."""
    assert problems(yaml.safe_load(CFF.read_text("utf-8"))) == []


def test_citation_cff_check_fails_on_a_stale_version():
    """Control: a version other than the package's, or a missing title, is reported."""
    data = yaml.safe_load(CFF.read_text("utf-8"))
    stale = {**data, "version": "0.0.0"}
    del stale["title"]
    assert problems(stale) == [
        "missing title",
        f"version '0.0.0' is not {calculators.__version__!r}",
    ]
