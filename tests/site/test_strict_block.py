"""The one way to write a block (``sitebuild.strict_block``): every header rendered or an error.

Each check has its control: the same block written correctly renders, so the failure is the
block's fault, not the test's.
"""

from __future__ import annotations

import markdown
import pytest

from sitebuild import SiteBuildError
from sitebuild.strict_block import block_arguments

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
        ],
        extension_configs={
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
