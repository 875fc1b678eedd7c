"""The names the build shares with the browser's scripts (``sitebuild/names.json``).

``protocol.js`` exports them to the ES modules (``tests/js/names.test.mjs`` compares it with
the JSON as objects). The classic scripts and the service worker cannot import a module:
the finish step fills the same values into their ``/*@NAME@*/null ?? <placeholder>;``
markers (:func:`sitebuild.finish_offline.fill_names`). These tests run that fill on the
real sources and read the values back by running the filled statements as JavaScript.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from sitebuild import SiteBuildError, names
from sitebuild.finish_offline import NAMED_SCRIPTS, fill_names

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs"
NODE = shutil.which("node")

# One `var NAME = ...;` / `const NAME = ...;` statement holding a marker, in the source.
_MARKED = re.compile(r"(?:var|const) (?P<var>\w+) = /\*@(?P<key>[A-Z_]+)@\*/null \?\? [^;\n]*;")


def marked_statements(text: str) -> dict[str, str]:
    """``{variable: marker name}`` for every marked declaration of a script."""
    return {m["var"]: m["key"] for m in _MARKED.finditer(text)}


def evaluate(statements: list[str], variables: list[str]) -> dict[str, object]:
    """The variables' values after running the (filled) declarations in Node."""
    program = "\n".join(statements) + f"\nprocess.stdout.write(JSON.stringify({{{', '.join(variables)}}}));"
    done = subprocess.run([NODE or "node", "-e", program], capture_output=True, text=True, check=True)
    return dict(json.loads(done.stdout))


@pytest.mark.skipif(NODE is None, reason="needs node (make check has it)")
@pytest.mark.parametrize("rel", NAMED_SCRIPTS)
def test_classic_scripts_get_names_json_values(rel: str) -> None:
    """Each marked name in a classic script is, once filled, names.json's value."""
    source = (DOCS / rel).read_text(encoding="utf-8")
    marked = marked_statements(source)
    assert marked, f"{rel} declares no shared name"
    filled = fill_names(source, rel)
    assert not marked_statements(filled), "a marker was left"
    declarations = [m[0] for m in re.finditer(r"(?:var|const) (\w+) = [^;\n]*;", filled) if m[1] in marked]
    values = evaluate(declarations, list(marked))
    assert values == {var: names.BROWSER[key] for var, key in marked.items()}
    # Control: the unfilled source holds placeholders, not the values.
    unfilled = [m[0].replace("/*@" + m["key"] + "@*/", "") for m in _MARKED.finditer(source)]
    assert evaluate(unfilled, list(marked)) != values


def test_service_worker_template_gets_the_shared_names() -> None:
    """sw.template.js's shared markers are filled from names.json with the build's own values."""
    template = (DOCS / "assets" / "offline" / "sw.template.js").read_text(encoding="utf-8")
    marked = marked_statements(template)
    shared = {var: key for var, key in marked.items() if key in names.BROWSER}
    assert set(shared.values()) == {"MANIFEST_PATH", "SW_MESSAGE"}
    filled = fill_names(template, "sw.template.js", {k: "0" for k in marked.values() if k not in shared.values()})
    assert not marked_statements(filled)


def test_fill_names_refuses_unknown_and_missing_markers() -> None:
    """Controls: an unknown marker, or a required one absent or doubled, stops the build."""
    with pytest.raises(SiteBuildError, match=r"x\.js: unknown marker /\*@NO_SUCH@\*/"):
        fill_names('var a = /*@NO_SUCH@*/null ?? "";', "x.js")
    with pytest.raises(SiteBuildError, match=r"expected the marker /\*@CACHE_NAME@\*/.* once \(found 0\)"):
        fill_names("var a = 1;", "x.js", {"CACHE_NAME": '"c"'}, once=("CACHE_NAME",))
    twice = 'var a = /*@CACHE_NAME@*/null ?? "";\nvar b = /*@CACHE_NAME@*/null ?? "";'
    with pytest.raises(SiteBuildError, match=r"found 2"):
        fill_names(twice, "x.js", {"CACHE_NAME": '"c"'}, once=("CACHE_NAME",))


def test_only_the_named_scripts_carry_markers() -> None:
    """A script with markers that the finish step does not fill would ship its placeholders."""
    offline = DOCS / "assets" / "offline"
    carrying = {
        path.relative_to(DOCS).as_posix()
        for path in sorted((DOCS / "assets").rglob("*.js"))
        if marked_statements(path.read_text(encoding="utf-8"))
    }
    assert carrying == {*NAMED_SCRIPTS, (offline / "sw.template.js").relative_to(DOCS).as_posix()}
