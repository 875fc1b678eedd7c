"""The one way to write a block (``sitebuild.strict_block``) and the build description it reads.

Each check has its control: the same block written correctly renders, so the failure is the
block's fault, not the test's.
"""

from __future__ import annotations

import json
from pathlib import Path

import markdown
import pytest

from calculators import CALCULATORS
from sitebuild import SiteBuildError
from sitebuild.context import BUILD_ENV, load_build
from sitebuild.pipeline import calculator_pages
from sitebuild.strict_block import block_arguments

REPO = Path(__file__).resolve().parents[2]
SITE_URL = "http://127.0.0.1:8000/"
# Everything the calculator block would otherwise take from the build description.
CALCULATOR_CONFIG = {
    "refs_href": "../references/",
    "pyodide_index": "../assets/pyodide/0/",
    "pyodide_lock": "../assets/calculators/0/pyodide-lock.json",
    "pyodide_package": "baclofen-calculators",
}


def _convert(text: str, *, md_in_html: bool = False) -> str:
    extensions = ["md_in_html"] if md_in_html else []
    md = markdown.Markdown(
        extensions=[
            *extensions,
            "pymdownx.superfences",
            "sitebuild.citations",
            "sitebuild.calculator_block",
            "sitebuild.formulation_examples",
            "sitebuild.calculator_index",
        ],
        extension_configs={
            "sitebuild.calculator_index": {
                "page": "references.md",
                "pages": dict.fromkeys(CALCULATORS, "oral.md"),
            },
            "sitebuild.citations": {"page": "references.md"},
            "sitebuild.calculator_block": {"page": "references.md", **CALCULATOR_CONFIG},
            "sitebuild.formulation_examples": {"page": "references.md"},
        },
    )
    return md.convert(text)


# --- the header counter and the rendered check, for every block ---------------------------------

BLOCKS = {
    "references": ("/// references\n///\n", 'class="references"'),
    "calculator": ("/// calculator | oral-taper\n///\n", 'id="calculator-oral-taper"'),
    "liquid-doses": ("/// liquid-doses | dose_mg=10\n///\n", 'class="liquid-doses"'),
    "index-of-calculators": ("/// index-of-calculators\n///\n", 'class="calculator-index"'),
}


@pytest.mark.parametrize("name", list(BLOCKS))
def test_strict_block_renders_when_written_right(name: str) -> None:
    """Control: each block, written as documented, renders (also inside a markdown element)."""
    source, rendered = BLOCKS[name]
    assert rendered in _convert(source)
    wrapped = f'<div class="x" markdown>\n\n{source}\n</div>\n'
    assert rendered in _convert(wrapped, md_in_html=True)


@pytest.mark.parametrize("name", list(BLOCKS))
def test_strict_block_refused_by_pymdownx_stops_the_build(name: str) -> None:
    """An option under the header: pymdownx falls back to text, the count check refuses it."""
    source, _ = BLOCKS[name]
    header, close = source.splitlines()
    with pytest.raises(SiteBuildError, match=r"page 'references\.md': 1 .* but 0 .* rendered"):
        _convert(f"{header}\n    open: true\n{close}\n")


@pytest.mark.parametrize("name", list(BLOCKS))
def test_strict_block_inside_raw_html_stops_the_build(name: str) -> None:
    """In raw HTML without the markdown attribute the header would be left as page text."""
    source, _ = BLOCKS[name]
    with pytest.raises(SiteBuildError, match=r"but 0 .* rendered.*'markdown' attribute"):
        _convert(f'<div class="x">\n\n{source}\n</div>\n')


@pytest.mark.parametrize("name", list(BLOCKS))
def test_strict_block_in_fenced_code_is_documentation(name: str) -> None:
    """Control for the counter: the syntax shown in fenced code is neither counted nor rendered."""
    source, rendered = BLOCKS[name]
    html = _convert(f"```text\n{source}```\n")
    assert rendered not in html
    assert source.splitlines()[0].replace("|", "") in html.replace("|", "")


def test_strict_block_refuses_content() -> None:
    """Content inside a block that takes none is refused with the block's own message."""
    with pytest.raises(SiteBuildError, match=r"page 'references\.md': the references block takes "):
        _convert("/// references\n\nSome text\n\n///\n")


def test_strict_block_count_starts_again_for_each_document() -> None:
    """One Markdown instance, two documents: the second's count is its own."""
    md = markdown.Markdown(
        extensions=["sitebuild.citations"],
        extension_configs={"sitebuild.citations": {"page": "references.md"}},
    )
    assert 'class="references"' in md.convert("/// references\n///\n")
    md.reset()
    assert "references" not in md.convert("Nothing here.\n")
    md.reset()
    with pytest.raises(SiteBuildError, match="1 reference list block header"):
        md.convert("/// references\n    open: true\n///\n")


# --- which page holds which calculator ------------------------------------------------------------


def test_block_arguments_skip_fenced_code() -> None:
    """Headers in backtick or tilde fences are examples; the rest are blocks."""
    text = (
        "```text\n/// calculator | shown-in-code\n///\n```\n\n"
        "~~~~\n```\n/// calculator | still-code\n~~~~\n\n"
        "/// calculator | oral-taper\n///\n"
    )
    assert block_arguments(text, "calculator") == ["oral-taper"]
    # Control: without the fences, every header counts.
    assert block_arguments(text.replace("```", "").replace("~~~~", ""), "calculator") == [
        "shown-in-code",
        "still-code",
        "oral-taper",
    ]


def test_calculator_pages_ignore_a_fenced_example(tmp_path: Path) -> None:
    """A page sorted first that shows the syntax in code does not claim the calculator."""
    (tmp_path / "a-howto.md").write_text("```\n/// calculator | oral-taper\n///\n```\n")
    (tmp_path / "oral.md").write_text("# Oral\n\n/// calculator | oral-taper\n///\n")
    assert calculator_pages(tmp_path) == {"oral-taper": "oral.md"}
    # Control: written outside code, the first page in order holds it.
    (tmp_path / "a-howto.md").write_text("/// calculator | oral-taper\n///\n")
    assert calculator_pages(tmp_path) == {"oral-taper": "a-howto.md"}


# --- the build description: no silent default -----------------------------------------------------


def _description(folder: Path, site_url: str) -> Path:
    path = folder / "build" / "prepared" / "build.json"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"format": 1, "site_url": site_url}), encoding="utf-8")
    return path


def test_build_description_is_never_read_from_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With $BACLOFEN_SITE_BUILD unset, a build/prepared/build.json here is not read."""
    _description(tmp_path, SITE_URL)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(BUILD_ENV, raising=False)
    missing = rf"no build description \(needed for x\): \${BUILD_ENV} is not set"
    with pytest.raises(SiteBuildError, match=missing):
        load_build(needed_for="x")


def test_build_description_is_read_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Control: the same file named by $BACLOFEN_SITE_BUILD is the description."""
    path = _description(tmp_path, SITE_URL)
    monkeypatch.setenv(BUILD_ENV, str(path))
    assert load_build().data["site_url"] == SITE_URL


def test_print_qr_without_site_url_or_description_names_what_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A hand-rendered page with no site_url config and no description: a clear error."""
    _description(tmp_path, SITE_URL)  # the old default location, which must stay unread
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(BUILD_ENV, raising=False)
    md = markdown.Markdown(
        extensions=["sitebuild.print_qr"],
        extension_configs={"sitebuild.print_qr": {"page": "emergencies.md"}},
    )
    with pytest.raises(SiteBuildError, match=r"needed for the printed QR codes' site_url"):
        md.convert("/// print-qr\n///\n")
    # Control: given explicitly, no description is needed.
    md = markdown.Markdown(
        extensions=["sitebuild.print_qr"],
        extension_configs={"sitebuild.print_qr": {"page": "emergencies.md", "site_url": SITE_URL}},
    )
    assert f'data-print-qr="{SITE_URL}emergencies/"' in md.convert("/// print-qr\n///\n")


def test_calculator_index_without_pages_or_description_names_what_is_missing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The home page's index needs each calculator's page: configured, or the build's."""
    monkeypatch.delenv(BUILD_ENV, raising=False)
    md = markdown.Markdown(
        extensions=["sitebuild.calculator_index"],
        extension_configs={"sitebuild.calculator_index": {"page": "index.md"}},
    )
    with pytest.raises(SiteBuildError, match=r"needed for the index of calculators"):
        md.convert("/// index-of-calculators\n///\n")


def test_cases_block_reads_the_description_only_when_a_block_needs_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A page without a cases block needs no description; a page with one says what is missing."""
    monkeypatch.delenv(BUILD_ENV, raising=False)
    md = markdown.Markdown(
        extensions=["sitebuild.cases_blocks"],
        extension_configs={"sitebuild.cases_blocks": {"page": "teaching/oral.md"}},
    )
    assert md.convert("No cases here.\n") == "<p>No cases here.</p>"
    md.reset()
    with pytest.raises(SiteBuildError, match=rf"needed for the case sets\): \${BUILD_ENV} is not"):
        md.convert("/// cases | oral\n///\n")


def test_cases_block_loads_the_sets_of_the_build_description(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In the generator the sets come from the description, their files named as in docs/."""
    cases_dir = REPO / "docs" / "cases"
    description = tmp_path / "build.json"
    description.write_text(
        json.dumps(
            {
                "format": 1,
                "cases_dir": str(cases_dir),
                "site_url": SITE_URL,
                "calculator_pages": calculator_pages(REPO / "docs"),
            }
        ),
        encoding="utf-8",
    )
    monkeypatch.setenv(BUILD_ENV, str(description))
    md = markdown.Markdown(
        extensions=["sitebuild.cases_blocks"],
        extension_configs={"sitebuild.cases_blocks": {"page": "teaching/oral.md"}},
    )
    assert 'data-case-set="oral"' in md.convert("/// cases | oral\n///\n")
    md.reset()
    with pytest.raises(SiteBuildError, match=r"the cases come from docs/cases/oral\.toml\."):
        md.convert("/// cases | oral\nsomething\n///\n")
