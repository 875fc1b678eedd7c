"""The finish step's page edits (sitebuild/finish_head.py): early start, offline tags, the CSP."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest

from sitebuild import SiteBuildError, finish_head, names
from sitebuild.context import Build
from sitebuild.finish_csp import InlineHashes, collect_inline
from sitebuild.finish_head import finish_page

REPO = Path(__file__).resolve().parents[2]
RUN_INLINE = REPO / "tests" / "js" / "lib" / "run-inline.mjs"
NODE = shutil.which("node")
needs_node = pytest.mark.skipif(NODE is None, reason="needs node (make check has it)")

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


def test_early_start_module_is_last_in_head() -> None:
    """A calculator page gets the async module at the end of <head>, the runtime meta once."""
    head = finish(page_html(FORM)).split("</head>")[0]
    assert (
        '<script type="module" async src="../assets/js/calculators-early.js"></script>'
    ) in head
    assert head.count('<meta name="baclofen-calculators"') == 1
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


def test_csp_meta_runtime_meta_and_inline_start_come_right_after_the_charset() -> None:
    """The CSP <meta> first (it governs every script), the runtime's <meta>, the inline start.

    The runtime's <meta> is the page's one statement of where the runtime, the lock file and
    the package are; the inline start, calculators-early.js and calculators.js all read it.
    """
    out = finish(page_html(FORM))
    assert out.startswith(
        '<!doctype html><html><head>\n  <meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" content="@@OFFLINE_CSP_META@@">'
        '<meta name="baclofen-calculators" data-pyodide-index="../assets/pyodide/0.0.0/" '
        'data-pyodide-lock="../assets/calculators/abc/pyodide-lock.json" '
        'data-pyodide-package="baclofen-calculators">'
        '<script data-worker="../assets/js/calculator-worker.js">'
        f"{finish_head.EARLY_INLINE}</script>"
    )
    assert out.count("data-pyodide-index=") == 1


def test_inline_text_is_the_same_on_every_page_and_hashed_once() -> None:
    """One text, hence one CSP hash, at any depth: the URLs live in the attributes."""
    hashes = InlineHashes()
    scripts = set()
    for rel in ("oral/index.html", "a/b/index.html", "index.html"):
        out = finish(page_html(FORM), rel=rel)
        collect_inline(out, hashes)
        scripts.add(re.search(r"<script data-worker[^>]*>(.*?)</script>", out, re.DOTALL)[1])  # type: ignore[index]
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


def run_inline(mode: str, text: str = finish_head.EARLY_INLINE) -> dict[str, Any]:
    """What the inline start does in Node, with stand-in workers (tests/js/lib/run-inline.mjs)."""
    with tempfile.NamedTemporaryFile("w", suffix=".js", encoding="utf-8") as script:
        script.write(text)
        script.flush()
        done = subprocess.run(  # noqa: S603 - node on our runner and our own text
            [NODE or "node", str(RUN_INLINE), script.name, mode, names.EARLY_GLOBAL],
            capture_output=True,
            text=True,
            check=True,
        )
    return dict(json.loads(done.stdout))


LOCK = "https://example.test/site/assets/calculators/abc/pyodide-lock.json"
INIT = {
    "type": "init",
    "id": names.EARLY_INIT_ID,
    "indexURL": "https://example.test/site/assets/pyodide/1.0/",
    "lockFileURL": LOCK,
    "packages": ["baclofen-calculators"],
}


@needs_node
def test_inline_start_creates_a_shared_worker_where_it_lives_on() -> None:
    """Where SharedWorker reads extendedLifetime: one shared worker, named by the build."""
    did = run_inline("shared")
    assert did["dedicated"] == []
    (shared,) = did["shared"]
    assert shared["url"] == "https://example.test/site/assets/js/calculator-worker.js"
    assert shared["options"] == {
        "type": "module",
        "name": f"{names.WORKER_NAME} {LOCK}",
        "extendedLifetime": True,
    }
    assert shared["started"] is True
    assert shared["posted"] == [INIT]
    assert did["early"]["shared"] is True


@needs_node
def test_inline_start_creates_a_dedicated_worker_elsewhere() -> None:
    """Without SharedWorker: a dedicated module worker under WORKER_NAME, init sent, handed over."""
    did = run_inline("dedicated")
    assert did["shared"] == []
    (worker,) = did["dedicated"]
    assert worker["options"] == {"type": "module", "name": names.WORKER_NAME}
    assert worker["posted"] == [INIT]
    assert did["early"] == {
        "shared": False,
        "init": {k: INIT[k] for k in ("indexURL", "lockFileURL", "packages")},
    }


@needs_node
def test_inline_start_does_nothing_without_the_runtime_meta() -> None:
    """Control: a page without the runtime's <meta> starts no worker and hands nothing over."""
    assert run_inline("no-meta") == {"dedicated": [], "shared": [], "early": None}


@needs_node
def test_inline_start_uses_worker_start_js_the_clients_one_implementation() -> None:
    """The inline start creates its worker with worker-start.js's function, nothing of its own.

    Control: with that file's function made to start nothing, the inline start starts nothing.
    """
    assert finish_head.WORKER_START_SOURCE in finish_head.EARLY_INLINE
    broken = finish_head.EARLY_INLINE.replace(
        finish_head.WORKER_START_SOURCE,
        f'window["{names.WORKER_START_GLOBAL}"]=function(){{throw new Error("none")}};',
    )
    assert run_inline("shared", broken) == {"dedicated": [], "shared": [], "early": None}
