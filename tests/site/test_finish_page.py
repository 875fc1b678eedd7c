"""The finish step's page edits (sitebuild/finish_head.py): early start, offline tags, the CSP."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sitebuild import SiteBuildError, finish_head, names
from sitebuild.context import Build
from sitebuild.finish_csp import InlineHashes, collect_inline
from sitebuild.finish_head import finish_page

REPO = Path(__file__).resolve().parents[2]

FORM = '<form class="calc-form" data-calculator="oral-titration" novalidate></form>'
BUILD = Build(
    {
        "format": 1,
        "generator": "zensical",
        "theme": "material",
        "site_url": "https://example.org/baclofen/",
        "pages": {"oral.md": "oral/"},
        "pyodide": {
            "index": "assets/pyodide/0.0.0/",
            "lock": "assets/calculators/abc/pyodide-lock.json",
            "package": "baclofen-calculators",
        },
        "calculator_pages": {"oral-titration": "oral.md"},
    }
)


def page_html(body: str) -> str:
    """A built page as the generators write one: the charset first in <head>."""
    return (
        '<!doctype html><html><head>\n  <meta charset="utf-8">\n  <title>t</title>\n'
        f"</head><body>{body}</body></html>"
    )


def finish(html: str, rel: str = "oral/index.html", *, calculators: bool = True) -> str:
    """Run the finish step's page edit on ``html`` as the built file ``rel``."""
    return finish_page(html, rel=rel, build=BUILD, calculators=calculators)


def test_early_start_is_last_in_head_with_urls_from_the_build() -> None:
    """A calculator page gets the runtime meta and the async module at the end of <head>."""
    head = finish(page_html(FORM)).split("</head>")[0]
    assert (
        '<meta name="baclofen-calculators" data-pyodide-index="../assets/pyodide/0.0.0/" '
        'data-pyodide-lock="../assets/calculators/abc/pyodide-lock.json" '
        'data-pyodide-package="baclofen-calculators">'
        '<script type="module" async src="../assets/js/calculators-early.js"></script>'
    ) in head
    # then the offline tags, last of all
    assert head.endswith('<script src="../assets/offline/register.js" defer></script>')


def test_early_start_urls_are_relative_to_the_page_at_any_depth() -> None:
    """The module's URL is relative to the page the file serves."""
    out = finish(page_html(FORM), rel="a/b/index.html")
    assert 'src="../../assets/js/calculators-early.js"' in out
    assert 'data-pyodide-index="../../assets/pyodide/0.0.0/"' in out


def test_pages_without_a_calculator_get_no_early_start() -> None:
    """No calculator, no early start: nothing is loaded that the page does not need."""
    out = finish(page_html("<p>No calculator here.</p>"), calculators=False)
    assert "baclofen-calculators" not in out
    assert "calculators-early.js" not in out
    assert "register.js" in out  # the offline tags go on every page


def test_a_calculator_page_without_its_form_fails_the_build() -> None:
    """The description says a calculator is there; a built page without the form is an error."""
    with pytest.raises(SiteBuildError, match=r"oral/index.html: .*no calculator form"):
        finish(page_html("<p>The block was lost.</p>"))


def test_inline_start_and_csp_meta_come_right_after_the_charset() -> None:
    """The CSP <meta> first (it governs every script), then the inline early start."""
    out = finish(page_html(FORM))
    assert out.startswith(
        '<!doctype html><html><head>\n  <meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" content="@@OFFLINE_CSP_META@@">'
        '<script data-worker="../assets/js/calculator-worker.js" '
        'data-pyodide-index="../assets/pyodide/0.0.0/" '
        'data-pyodide-lock="../assets/calculators/abc/pyodide-lock.json" '
        f'data-pyodide-package="baclofen-calculators">{finish_head.EARLY_INLINE}</script>'
    )


def test_inline_text_is_the_same_on_every_page_and_hashed_once() -> None:
    """One text, hence one CSP hash, at any depth: the URLs live in the attributes."""
    hashes = InlineHashes()
    scripts = set()
    for rel in ("oral/index.html", "a/b/index.html", "index.html"):
        out = finish(page_html(FORM), rel=rel)
        collect_inline(out, hashes)
        scripts.add(re.search(r"<script data-worker[^>]*>(.*?)</script>", out)[1])  # type: ignore[index]
    assert scripts == {finish_head.EARLY_INLINE}
    assert len(hashes.scripts) == 1


def test_404_page_uses_urls_from_the_site_root() -> None:
    """404.html is served at any depth: its offline tags start from site_url's path."""
    out = finish(page_html("<p>Not found</p>"), rel="404.html", calculators=False)
    assert 'src="/baclofen/assets/offline/register.js"' in out


def test_material_search_dialog_gets_a_name() -> None:
    """Material's search dialog has no accessible name; the finish step gives it one."""
    dialog = '<div class="md-search" data-md-component="search" role="dialog">'
    out = finish(page_html(dialog + "</div>"), calculators=False)
    assert 'role="dialog" aria-label="Search">' in out


def test_inline_start_uses_the_shared_names() -> None:
    """The inline script (no module) hands over under names.json's EARLY_GLOBAL and init id."""
    assert f"window.{names.EARLY_GLOBAL}=" in finish_head.EARLY_INLINE
    assert f'type:"init",id:{names.EARLY_INIT_ID},' in finish_head.EARLY_INLINE
    assert f'name:"{names.WORKER_NAME}"' in finish_head.EARLY_INLINE
