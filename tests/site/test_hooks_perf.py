"""``sitebuild/hooks_perf.py``: the early start of the calculators' worker, page by page."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from sitebuild import SiteBuildError, hooks_perf

REPO = Path(__file__).resolve().parents[2]

FORM = (
    '<form class="calc-form" data-calculator="oral-titration" novalidate '
    'data-refs-href="../references/" data-pyodide-index="../assets/pyodide/0.0.0/" '
    'data-pyodide-lock="../assets/calculators/abc/pyodide-lock.json" '
    'data-pyodide-package="baclofen-calculators">'
)


def page_html(body: str) -> str:
    """A built page as Material writes one: the charset first in <head>."""
    return (
        '<!doctype html><html><head>\n  <meta charset="utf-8">\n  <title>t</title>\n'
        f"</head><body>{body}</body></html>"
    )


def post_page(html: str, url: str = "oral/") -> str:
    """Run the hook on ``html`` as the page at ``url``."""
    page: Any = SimpleNamespace(url=url, file=SimpleNamespace(src_uri="oral.md"))
    return hooks_perf.on_post_page(html, page, config=None)  # type: ignore[arg-type]


def test_hooks_perf_puts_early_start_last_in_head() -> None:
    """A calculator page gets the runtime meta and the async module at the end of <head>."""
    out = post_page(page_html(FORM + "</form>"))
    head = out.split("</head>")[0]
    assert head.endswith(
        "<title>t</title>\n"
        '<meta name="baclofen-calculators" data-pyodide-index="../assets/pyodide/0.0.0/" '
        'data-pyodide-lock="../assets/calculators/abc/pyodide-lock.json" '
        'data-pyodide-package="baclofen-calculators">'
        '<script type="module" async src="../assets/js/calculators-early.js"></script>'
    )


def test_hooks_perf_script_url_is_relative_to_the_page() -> None:
    """The module's URL is relative to the page, at any depth."""
    out = post_page(page_html(FORM + "</form>"), url="a/b/")
    assert 'src="../../assets/js/calculators-early.js"' in out


def test_hooks_perf_leaves_pages_without_a_calculator_alone() -> None:
    """No form, no early start: nothing is loaded that the page does not need."""
    html = page_html("<p>No calculator here.</p>")
    assert post_page(html) == html


def test_hooks_perf_form_without_runtime_fails_the_build() -> None:
    """A calculator form that names no runtime stops the build, naming the attribute."""
    form = FORM.replace(' data-pyodide-lock="../assets/calculators/abc/pyodide-lock.json"', "")
    with pytest.raises(SiteBuildError, match=r"page 'oral.md': .* no data-pyodide-lock"):
        post_page(page_html(form + "</form>"))


def test_hooks_perf_puts_the_inline_start_right_after_the_charset() -> None:
    """The inline early start follows <meta charset>, with the page's URLs as attributes."""
    out = post_page(page_html(FORM + "</form>"))
    assert out.startswith(
        '<!doctype html><html><head>\n  <meta charset="utf-8">'
        '<script data-worker="../assets/js/calculator-worker.js" '
        'data-pyodide-index="../assets/pyodide/0.0.0/" '
        'data-pyodide-lock="../assets/calculators/abc/pyodide-lock.json" '
        f'data-pyodide-package="baclofen-calculators">{hooks_perf.EARLY_INLINE}</script>'
    )


def test_hooks_perf_inline_text_is_the_same_on_every_page() -> None:
    """One text, hence one CSP hash, at any depth: the URLs live in the attributes."""
    scripts = {
        re.search(r"<script data-worker[^>]*>(.*?)</script>", post_page(page_html(FORM), url))[1]  # type: ignore[index]
        for url in ("oral/", "a/b/", "")
    }
    assert scripts == {hooks_perf.EARLY_INLINE}


def test_hooks_perf_inline_names_agree_with_protocol_js() -> None:
    """The inline script (no module) spells protocol.js's EARLY_GLOBAL and EARLY_INIT_ID."""
    protocol = (REPO / "docs" / "assets" / "js" / "protocol.js").read_text("utf-8")
    assert f'export const EARLY_GLOBAL = "{hooks_perf.EARLY_GLOBAL}";' in protocol
    assert f"export const EARLY_INIT_ID = {hooks_perf.EARLY_INIT_ID};" in protocol
    assert f"window.{hooks_perf.EARLY_GLOBAL}=" in hooks_perf.EARLY_INLINE
    assert f'type:"init",id:{hooks_perf.EARLY_INIT_ID},' in hooks_perf.EARLY_INLINE


def test_hooks_perf_runs_before_the_offline_hook_hashes_inline_scripts() -> None:
    """Its on_post_page has a higher priority than hooks_offline.py's (which has none)."""
    assert getattr(hooks_perf.on_post_page, "mkdocs_priority", 0) > 0
