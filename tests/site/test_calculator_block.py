"""The ``/// calculator | <id>`` block: Markdown in, HTML out, and every way it must fail."""

from __future__ import annotations

import dataclasses
import hashlib
import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import markdown
import pytest

from calculators import CALCULATORS, calculate
from calculators.present import source_number, to_html
from calculators.web import source
from sitebuild import SiteBuildError, prepare
from sitebuild.context import BUILD_ENV

CONFIG = {
    "page": "oral.md",
    "refs_href": "../references/",
    "pyodide_index": "../assets/pyodide/0.0.0/",
    "pyodide_lock": "../assets/calculators/abc/pyodide-lock.json",
    "pyodide_package": "baclofen-calculators",
}
EXT = "sitebuild.calculator_block"


def render(text: str, **config: Any) -> str:
    """Markdown to HTML with the block extension (and the extensions the site uses beside it)."""
    return markdown.markdown(
        text,
        extensions=[EXT, "toc", "pymdownx.superfences", "pymdownx.blocks.admonition"],
        extension_configs={EXT: {**CONFIG, **config}},
    )


def block(calculator_id: str) -> str:
    """The block for one calculator, between two paragraphs."""
    return f"Before.\n\n/// calculator | {calculator_id}\n///\n\nAfter.\n"


class Elements(HTMLParser):
    """Every start tag as ``(tag, attrs)``, and the text inside each element with an id."""

    def __init__(self, text: str) -> None:
        """Parse ``text`` now."""
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Record one start tag."""
        self.tags.append((tag, dict(attrs)))

    def find(self, tag: str, **attrs: str | None) -> list[dict[str, str | None]]:
        """Start tags named ``tag`` having ``attrs`` (``_`` for ``-``; ``None``: bare)."""
        want = {k.replace("_", "-"): v for k, v in attrs.items()}
        return [
            a
            for t, a in self.tags
            if t == tag and all(k in a and a[k] == v for k, v in want.items())
        ]


@pytest.mark.parametrize("calculator_id", list(CALCULATORS))
def test_block_renders_form_from_spec(calculator_id: str) -> None:
    """Each field becomes a control named as the spec's field, with its bounds and labels."""
    calc = CALCULATORS[calculator_id]
    out = render(block(calculator_id))
    doc = Elements(out)
    assert len(doc.find("form", data_calculator=calculator_id)) == 1
    assert out.startswith("<p>Before.</p>")
    assert out.endswith("<p>After.</p>")
    for f in calc.fields:
        control_id = f"calc-{calculator_id}-{f.name}"
        assert len(doc.find("label", **{"for": control_id})) == 1, f.name
        if f.kind == "choice":
            (select,) = doc.find("select", name=f.name)
            assert select["id"] == control_id
            assert len(doc.find("option")) >= len(f.choices)
        else:
            (control,) = doc.find("input", name=f.name)
            assert control["id"] == control_id
            assert control["type"] == ("date" if f.kind == "date" else "text")
            if f.kind == "number":
                # Text, so the raw typed value reaches Python; bounds only as data- hints.
                assert control["inputmode"] == "decimal"
                for attr in ("min", "max", "step", "pattern", "maxlength"):
                    assert attr not in control, attr
                assert float(control["data-min"] or "nan") == f.minimum
                assert float(control["data-max"] or "nan") == f.maximum
                assert float(control["data-step"] or "nan") == f.step
                if f.default is None:
                    assert control["value"] == ""
                else:
                    assert float(control["value"] or "nan") == f.default
        described = (doc.find("select", name=f.name) or doc.find("input", name=f.name))[0][
            "aria-describedby"
        ]
        assert f"{control_id}-error" in (described or "").split()
        assert len(doc.find("p", id=f"{control_id}-error", data_error_for=f.name)) == 1
        if f.unit:
            assert f'<span class="calc-unit">{html.escape(f.unit)}</span>' in out
        control_attrs = (doc.find("select", name=f.name) or doc.find("input", name=f.name))[0]
        assert ("required" in control_attrs) == f.required


def test_block_optional_choice_has_blank_option() -> None:
    """An optional choice field can be left blank; a required one cannot."""
    out = render(block("oral-titration"))
    select = re.search(r'<select[^>]*name="formulation".*?</select>', out, re.DOTALL)
    assert select is not None
    assert '<option value="">(not set)</option>' in select.group(0)
    taper = render(block("oral-taper"))
    required = re.search(r'<select[^>]*name="dose_unit_mg".*?</select>', taper, re.DOTALL)
    assert required is not None
    assert 'value=""' not in required.group(0)
    assert '<option value="5" selected>' in required.group(0)


def test_block_date_field_is_a_date_input() -> None:
    """A date field is a native date input."""
    doc = Elements(render(block("itb-refill")))
    (date,) = doc.find("input", name="refill_date")
    assert date["type"] == "date"


def test_block_static_result_is_present_to_html_of_defaults() -> None:
    """The output holds to_html of the default result, byte for byte, and its JSON."""
    out = render(block("oral-titration"))
    result = calculate("oral-titration", {})
    assert to_html(result, refs_href="../references/") in out
    (output,) = Elements(out).find("div", data_calculator_output=None)
    assert output["data-state"] == "static"
    assert json.loads(output["data-result"] or "") == result
    assert out.count("data-calculator-output") == 1


def test_block_field_sources_link_to_references() -> None:
    """A field's sources are numbered citation links to the References page."""
    calc = CALCULATORS["oral-titration"]
    out = render(block("oral-titration"), refs_href="../refs/")
    for key in calc.field("start_dose_mg").sources:
        assert f'<a href="../refs/#ref-{key}"' in out
        assert f">{source_number(key)}</a>" in out


def test_block_live_settings_on_form() -> None:
    """The form names its calculator and the References page, not the runtime.

    Where the runtime is, each page says once, in its <head> (sitebuild/finish_head.py).
    """
    (form,) = Elements(render(block("oral-to-iv"))).find("form")
    assert form["data-calculator"] == "oral-to-iv"
    assert form["data-refs-href"] == CONFIG["refs_href"]
    assert not [name for name in form if name.startswith("data-pyodide")]
    assert "novalidate" in form


def test_block_python_panel_is_escaped_source() -> None:
    """The "Show the Python" panel holds the function's source, escaped, closed by default."""
    out = render(block("itb-titration"))
    assert '<details class="calc-python"><summary>Show the Python</summary>' in out
    assert html.escape(source("itb-titration")) in out
    assert '<details class="calc-python" open' not in out


def test_block_actions_hidden_until_script_runs() -> None:
    """The buttons need JavaScript, so the build renders them hidden."""
    out = render(block("oral-taper"))
    assert '<div class="calc-actions" data-calculator-actions hidden>' in out


def test_block_unknown_id_raises() -> None:
    """An unknown calculator id stops the build and names the close match."""
    with pytest.raises(
        SiteBuildError, match=r"unknown calculator 'oral-titrat'.*Did you mean 'oral-titration'"
    ):
        render(block("oral-titrat"))


def test_block_missing_id_raises() -> None:
    """A block with no id stops the build."""
    with pytest.raises(SiteBuildError, match=r"needs an id"):
        render("/// calculator\n///\n")


def test_block_option_raises() -> None:
    """An option (pymdownx would render the block as text) stops the build."""
    with pytest.raises(
        SiteBuildError, match=r"1 calculator block header\(s\) but 0 calculator\(s\) rendered"
    ):
        render("/// calculator | oral-taper\n    open: true\n///\n")


def test_block_content_raises() -> None:
    """Content inside the block stops the build."""
    with pytest.raises(SiteBuildError, match=r"takes no content"):
        render("/// calculator | oral-taper\nSome text.\n///\n")


def test_block_twice_on_a_page_raises() -> None:
    """The same calculator twice on one page stops the build (ids and URL keys would clash)."""
    with pytest.raises(SiteBuildError, match=r"'oral-taper' appears twice"):
        render(block("oral-taper") + "\n" + block("oral-taper"))


def test_block_in_fenced_code_is_left_alone() -> None:
    """A block header shown in a code block is documentation, not a block."""
    out = render("```text\n/// calculator | nope\n///\n```\n")
    assert "data-calculator" not in out
    assert "/// calculator | nope" in out


def test_block_without_build_description_raises(tmp_path, monkeypatch) -> None:
    """With neither the build description nor explicit URLs, no form that cannot go live."""
    monkeypatch.setenv(BUILD_ENV, str(tmp_path / "missing.json"))
    with pytest.raises(SiteBuildError, match=r"no build description at .*missing\.json.*make site"):
        render(block("oral-taper"), pyodide_index="", pyodide_lock="")


def test_block_takes_its_urls_from_the_build_description(tmp_path, monkeypatch) -> None:
    """The References URL comes from the description, relative to the page."""
    description = tmp_path / "build.json"
    description.write_text(
        json.dumps(
            {
                "format": 1,
                "pages": {"references.md": "references/", "a/b.md": "a/b/"},
                "references_page": "references.md",
                "pyodide": {
                    "index": "assets/pyodide/9.9.9/",
                    "lock": "assets/calculators/f00/pyodide-lock.json",
                    "package": "baclofen-calculators",
                },
            }
        ),
        encoding="utf-8",
    )
    monkeypatch.setenv(BUILD_ENV, str(description))
    out = render(
        block("oral-taper"), page="a/b.md", refs_href="", pyodide_index="", pyodide_lock=""
    )
    assert 'data-refs-href="../../references/"' in out


def test_block_two_calculators_render_two_forms() -> None:
    """Several calculators on one page each get their own form and output."""
    out = render(block("itb-initial-dose") + "\n" + block("itb-refill"))
    assert out.count("data-calculator-output") == 2
    assert out.count("<form ") == 2


def test_signature_mismatch_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    """A spec field with no parameter (a typo) fails the build, naming both sides.

    The check itself is the engine's (``calculators.registry.check_signature``, tested in
    ``tests/calculators/test_signature.py``); the block reports it as a build error.
    """
    calc = CALCULATORS["oral-to-iv"]
    renamed = dataclasses.replace(calc.fields[0], name="oral_daily_mcg")
    broken = dataclasses.replace(calc, fields=(renamed, *calc.fields[1:]))
    monkeypatch.setitem(CALCULATORS, "oral-to-iv", broken)
    with pytest.raises(
        SiteBuildError,
        match=r"parameters with no field: oral_daily_mg; fields with no parameter: oral_daily_mcg",
    ):
        render(block("oral-to-iv"))


def test_prepare_missing_runtime_says_run_npm_ci(tmp_path: Path) -> None:
    """Without node_modules/pyodide the build stops and says how to install it."""
    with pytest.raises(SiteBuildError, match=r"pinned Pyodide runtime is missing.*`npm ci`"):
        prepare._runtime(tmp_path)


@pytest.mark.site_build
def test_prepare_locks_the_wheel_by_sha256(tmp_path: Path) -> None:
    """The shipped lock file lists the wheel with the wheel's own sha256.

    The lock file's folder is named for the lock file's contents.
    """
    root = prepare._root()
    if not (root / "node_modules" / "pyodide" / "pyodide.asm.wasm").is_file():
        pytest.fail("node_modules/pyodide is missing: run `npm ci`")
    bundle = prepare.build_bundle(root, tmp_path / "first")
    lock = json.loads(bundle.lock_file.read_text(encoding="utf-8"))
    entry = lock["packages"][prepare.PACKAGE]
    assert entry["file_name"] == bundle.wheel.name
    assert entry["sha256"] == hashlib.sha256(bundle.wheel.read_bytes()).hexdigest()
    assert entry["imports"] == ["calculators"]
    # Content-addressed by the lock file and the compiled standard library that sit there.
    addressed = bundle.lock_file.read_bytes() + bundle.stdlib.read_bytes()
    digest = hashlib.sha256(addressed).hexdigest()[:16]
    assert bundle.lock_url == f"assets/calculators/{digest}/pyodide-lock.json"
    assert bundle.stdlib_url == f"assets/calculators/{digest}/python_stdlib.zip"
    assert bundle.runtime_url == f"assets/pyodide/{bundle.pyodide_version}/"
    # Reproducible: the same sources give the same wheel, so the same content-addressed path.
    # ... whether the work folder is given as an absolute or a relative path.
    again = prepare.build_bundle(root, (tmp_path / "second").relative_to(Path.cwd(), walk_up=True))
    assert again.lock_url == bundle.lock_url
    assert again.wheel.read_bytes() == bundle.wheel.read_bytes()
    assert again.stdlib.read_bytes() == bundle.stdlib.read_bytes()


def test_block_fields_disabled_until_script_binds_with_note_and_plain_status():
    """QA D22: fields disabled in the HTML, a noscript note, no JavaScript promise in the status."""
    out = render(block("oral-titration"))
    tags = Elements(out).tags
    fieldsets = [a for t, a in tags if t == "fieldset" and "calc-fields" in (a.get("class") or "")]
    assert len(fieldsets) == 1
    assert "disabled" in fieldsets[0]
    assert "data-until-live" in fieldsets[0]
    assert re.search(r"<noscript><p [^>]*class=\"calc-note calc-noscript\">JavaScript is off", out)
    status = re.search(r"<p [^>]*data-calculator-status>(.*?)</p>", out)
    assert status is not None
    assert status.group(1) == "Result for the default values above, computed when this page was built."
    assert "With JavaScript on" not in out
