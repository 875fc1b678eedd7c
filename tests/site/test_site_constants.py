"""Unit tests of ``sitebuild.constants_ext``: Markdown source beside the HTML it must become."""

from __future__ import annotations

import dataclasses
import textwrap
from pathlib import Path

import markdown
import pytest

from calculators.constants import CONSTANTS
from sitebuild import SiteBuildError

NBSP = "\u00a0"
DASH = "\u2013"  # en dash, as ranges are written on the pages


REPO = Path(__file__).resolve().parents[2]


def render(source: str, page: str = "oral.md") -> str:
    """Render ``source`` as MkDocs would for ``page``."""
    md = markdown.Markdown(
        extensions=["tables", "pymdownx.superfences", "sitebuild.constants_ext"],
        extension_configs={"sitebuild.constants_ext": {"page": page}},
    )
    return md.convert(textwrap.dedent(source).strip("\n"))


def span(name: str, text: str) -> str:
    """The expected wrapper of one rendered constant, built from the constant itself."""
    c = CONSTANTS[name]
    marker = {"NF": "const-nf", "D": "const-d", "R": "const-r"}.get(c.status)
    classes = f"const {marker}" if marker else "const"
    title = f"{c.status} · {', '.join(c.sources)} · {c.locator}"
    for char, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;")):
        title = title.replace(char, entity)
    return (
        f'<span class="{classes}" data-constant="{name}" data-status="{c.status}" '
        f'title="{title}">{text}</span>'
    )


def inner(source: str) -> str:
    """The text inside the single constant span rendered from ``source``."""
    html = render(source)
    start = html.index('">', html.index("<span")) + 2
    return html[start : html.index("</span>")]


@pytest.mark.parametrize(
    ("source", "text"),
    [
        ("{{ ORAL_MAX_DAILY_MG_US }}", "80"),
        ("{{ORAL_MAX_DAILY_MG_US}}", "80"),
        ("{{ ORAL_USUAL_DAILY_MG }}", f"40{DASH}80"),
        ("{{ TABLET_STRENGTHS_MG }}", "5, 10, 15 and 20"),
        ("{{ ITB_SCREENING_DOSES_MCG[1] }}", "75"),
        ("{{ ORAL_MAX_DAILY_MG_US | unit }}", f"80{NBSP}mg/day"),
        ("{{ ORAL_USUAL_DAILY_MG | unit }}", f"40{DASH}80{NBSP}mg/day"),
        ("{{ TABLET_STRENGTHS_MG | unit }}", f"5, 10, 15 and 20{NBSP}mg"),
        ("{{ ITB_SCREENING_DOSES_MCG[2] | unit }}", f"100{NBSP}mcg"),
        ("{{ ORAL_BIOAVAILABILITY | percent }}", "74%"),
        ("{{ ITB_TITRATION_ADULT_SPINAL | percent }}", f"10{DASH}30%"),
        ("{{ ITB_TITRATION_ADULT_CEREBRAL[1] | percent }}", "15%"),
        ("{{ ITB_MAINTENANCE_CHANGE_SPINAL | percent }}", "10%, 40%, 10% and 20%"),
        ("{{ RENAL_DOSE_REDUCTION | fraction }}", "1/3, 1/2 and 2/3"),
        ("{{ RENAL_DOSE_REDUCTION[1] | fraction }}", "1/2"),
        ("{{ PUMP_WITHDRAWAL_RESIDUAL_ML }}", "3.8"),
        ("{{ CREATININE_UMOL_PER_MG_DL }}", "88.4"),
        ("{{ ORAL_BIOAVAILABILITY }}", "0.74"),
        ("{{ SCHMITZ_IV_ORAL_PAIRS_MG }}", "10, 7.5, 15, 11.5, 20 and 15"),
    ],
)
def test_constant_renders_value(source, text):
    """Scalars, ranges (en dash), lists, indices and filters, numbers without a trailing .0."""
    assert inner(source) == text


def test_constant_full_html_carries_provenance():
    """The span names the constant and carries status, source keys and locator in its title."""
    assert render("Maximum {{ ORAL_MAX_DAILY_MG_US | unit }}.") == (
        f"<p>Maximum {span('ORAL_MAX_DAILY_MG_US', f'80{NBSP}mg/day')}.</p>"
    )
    title = render("{{ ORAL_MAX_DAILY_MG_US }}").split('title="')[1].split('"')[0]
    c = CONSTANTS["ORAL_MAX_DAILY_MG_US"]
    assert title.startswith(f"{c.status} · {', '.join(c.sources)} · ")


def test_constant_nf_status_gets_its_own_class():
    """A seed figure not found in the sources (NF) is marked const-nf for the CSS tag."""
    assert CONSTANTS["SEED_ORAL_HIGH_DAILY_MG"].status == "NF"
    assert render("{{ SEED_ORAL_HIGH_DAILY_MG | unit }}") == (
        f"<p>{span('SEED_ORAL_HIGH_DAILY_MG', f'100{NBSP}mg/day')}</p>"
    )
    assert 'class="const"' in render("{{ ORAL_MAX_DAILY_MG_US }}")


@pytest.mark.parametrize(
    ("name", "marker", "label"),
    [
        ("RENAL_LOW_CREATININE_MG_DL", "const-d", "this site's choice"),
        ("ITB_RESPONSE_WINDOW_HOURS", "const-r", "reproduction only"),
    ],
)
def test_constant_site_choice_and_reproduction_are_labelled(name, marker, label):
    """Status D (this site's threshold) and R (seen reproduced) carry a visible CSS label."""
    assert CONSTANTS[name].status == marker[-1].upper()
    assert f'class="const {marker}"' in render("{{ " + name + " }}")
    css = (REPO / "docs" / "assets" / "css" / "site.css").read_text(encoding="utf-8")
    assert f'.md-typeset .{marker}::after {{\n  content: "{label}";' in css


def test_constant_filter_in_table_cell_with_escaped_pipe():
    r"""In a table cell the filter bar is written \| so the table keeps its columns."""
    html = render(r"""
        | What | Figure |
        |---|---|
        | Spinal | {{ ITB_TITRATION_ADULT_SPINAL \| percent }} a day |
    """)
    assert f"<td>{span('ITB_TITRATION_ADULT_SPINAL', f'10{DASH}30%')} a day</td>" in html


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("`{{ NOT_A_CONSTANT }}`", "<p><code>{{ NOT_A_CONSTANT }}</code></p>"),
        (
            "```\n{{ NOT_A_CONSTANT }}\n```",
            (
                '<div class="highlight"><pre><span></span>'
                "<code>{{ NOT_A_CONSTANT }}\n</code></pre></div>"
            ),
        ),
        (
            "Text.\n\n    {{ NOT_A_CONSTANT }}",
            "<p>Text.</p>\n<pre><code>{{ NOT_A_CONSTANT }}\n</code></pre>",
        ),
        (r"\{{ NOT_A_CONSTANT }}", "<p>{{ NOT_A_CONSTANT }}</p>"),
    ],
    ids=["code-span", "fenced-code", "indented-code", "escaped"],
)
def test_constant_syntax_in_code_or_escaped_is_left_alone(source, expected):
    """Code blocks, code spans and an escaped brace are never touched."""
    assert render(source) == expected


def test_constant_change_changes_rendered_page(monkeypatch):
    """Pages read the constant when they render: change it and the page changes with it."""
    before = render("Not more than {{ ORAL_MAX_DAILY_MG_US | unit }}.")
    assert f">80{NBSP}mg/day<" in before
    changed = dataclasses.replace(CONSTANTS["ORAL_MAX_DAILY_MG_US"], value=90)
    monkeypatch.setitem(CONSTANTS, "ORAL_MAX_DAILY_MG_US", changed)
    after = render("Not more than {{ ORAL_MAX_DAILY_MG_US | unit }}.")
    assert f">90{NBSP}mg/day<" in after
    assert "80" not in after.split("title=")[0]


def test_constant_unknown_name_fails_naming_page_name_and_known():
    """An unknown name stops the build: page, the reference, a suggestion and every known name."""
    with pytest.raises(
        SiteBuildError,
        match=(
            r"page 'oral\.md': '\{\{ ORAL_MAX_DAILY_MG \}\}': "
            r"unknown constant 'ORAL_MAX_DAILY_MG'"
        ),
    ) as err:
        render("{{ ORAL_MAX_DAILY_MG }}")
    message = str(err.value)
    assert "Did you mean ORAL_MAX_DAILY_MG_US?" in message
    assert "Known constants: " + ", ".join(CONSTANTS) in message


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (
            "{{ ORAL_MAX_DAILY_MG_US | units }}",
            r"unknown filter 'units'\. Known filters: '\| unit'",
        ),
        (
            "{{ ORAL_MAX_DAILY_MG_US | percent }}",
            r"'\| percent' needs a fraction, but ORAL_MAX_DAILY_MG_US is in 'mg/day'",
        ),
        ("{{ ORAL_MAX_DAILY_MG_US | fraction }}", r"'\| fraction' needs a fraction"),
        (
            "{{ ORAL_BIOAVAILABILITY | unit }}",
            r"ORAL_BIOAVAILABILITY is a fraction .* use '\| percent'",
        ),
        ("{{ ORAL_BIOAVAILABILITY | fraction }}", r"0\.74, which is not a simple fraction"),
        ("{{ ITB_SCREENING_DOSES_MCG[3] }}", r"has 3 values \(indices 0 to 2\); got \[3\]"),
        ("{{ ORAL_MAX_DAILY_MG_US[0] }}", r"is a single value \(80\); it takes no \[index\]"),
        ("{{ ORAL_MAX_DAILY_MG_US | unit | percent }}", r"malformed constant reference"),
        ("{{ ORAL_MAX_DAILY_MG_US", r"malformed constant reference '\{\{ ORAL_MAX_DAILY_MG_US'"),
        ("{{ oral max }}", r"malformed constant reference"),
        ("{{ }}", r"malformed constant reference"),
    ],
)
def test_constant_bad_reference_fails_with_clear_message(source, message):
    """Unknown filters, wrong filters, bad indices and malformed references stop the build."""
    with pytest.raises(SiteBuildError, match=message):
        render(source)


@pytest.mark.parametrize("value", [float("nan"), float("inf"), True, "80", (40, float("nan"))])
def test_constant_non_number_value_fails(monkeypatch, value):
    """NaN, infinities, booleans and strings are refused before any formatting."""
    bad = dataclasses.replace(CONSTANTS["ORAL_MAX_DAILY_MG_US"], value=value)
    monkeypatch.setitem(CONSTANTS, "ORAL_MAX_DAILY_MG_US", bad)
    with pytest.raises(SiteBuildError, match=r"not a (finite )?number"):
        render("{{ ORAL_MAX_DAILY_MG_US }}")


def test_constant_error_outside_mkdocs_says_no_page_was_set():
    """Rendered with no site generator (no page), the message says so rather than inventing one."""
    with pytest.raises(SiteBuildError, match=r"outside a site generator \(no page set\)"):
        markdown.markdown("{{ NOPE }}", extensions=["sitebuild.constants_ext"])


def test_every_constant_renders():
    """Every constant in the table can be quoted plainly (no value the renderer cannot show)."""
    for name in CONSTANTS:
        assert f'data-constant="{name}"' in render(f"{{{{ {name} }}}}")
