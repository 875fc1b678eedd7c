"""Golden HTML: what each calculator block renders, kept beside its Markdown source.

``tests/site/golden/<id>.md`` holds the block as a page writes it; ``<id>.html`` the HTML the
``sitebuild.calculator_block`` extension makes of it, with a line break added before each
block-level tag so a reader (and a diff) can follow it. The test renders the Markdown again
and compares. After an intended change to a spec, a field, the presenter or the block,
rewrite the files with ``UPDATE_GOLDEN=1 make check`` and read the diff before committing.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import markdown
import pytest

from calculators import CALCULATORS

GOLDEN = Path(__file__).resolve().parent / "golden"
EXT = "sitebuild.calculator_block"
# The URLs a page at oral/ gets (explicit here, so no build description is needed).
CONFIG = {
    "page": "oral.md",
    "refs_href": "../references/",
    "pyodide_index": "../assets/pyodide/<version>/",
    "pyodide_lock": "../assets/calculators/<hash>/pyodide-lock.json",
    "pyodide_package": "baclofen-calculators",
}
_BLOCK_TAG = re.compile(
    r"><(?=/?(?:div|form|fieldset|legend|p|ul|ol|li|dl|dt|dd|table|thead|tbody|tr|details|"
    r"summary|pre|label|select|option|input|figure|h[1-6]|button|section)\b)"
)


def render(source: str) -> str:
    """The Markdown as the site renders it, one block-level tag per line."""
    html = markdown.markdown(
        source, extensions=[EXT, "pymdownx.superfences"], extension_configs={EXT: CONFIG}
    )
    return _BLOCK_TAG.sub(">\n<", html) + "\n"


@pytest.mark.parametrize("calc_id", list(CALCULATORS))
def test_golden_calculator_block(calc_id: str) -> None:
    """The block renders exactly the HTML kept in golden/<id>.html."""
    source_path, html_path = GOLDEN / f"{calc_id}.md", GOLDEN / f"{calc_id}.html"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        source_path.write_text(f"/// calculator | {calc_id}\n///\n", encoding="utf-8")
        html_path.write_text(render(source_path.read_text(encoding="utf-8")), encoding="utf-8")
    assert source_path.is_file(), f"{source_path} is missing: run UPDATE_GOLDEN=1 make check"
    got = render(source_path.read_text(encoding="utf-8"))
    assert got == html_path.read_text(encoding="utf-8"), (
        f"{calc_id}: the block's HTML changed. If intended, run UPDATE_GOLDEN=1 make check and "
        "read the diff of tests/site/golden/."
    )


def test_golden_files_name_only_known_calculators() -> None:
    """No golden file is left behind for a calculator that no longer exists."""
    names = {p.stem for p in GOLDEN.glob("*.md")} | {p.stem for p in GOLDEN.glob("*.html")}
    assert names == set(CALCULATORS)
