"""The theme's start-up work done by the build (sitebuild/theme_start.py) gives the theme's own DOM.

The build wraps the tables and sets the ``js`` classes; the theme's bundle, patched, no longer
wraps them. Each page is compared with the same page as the theme itself would have made it:
the built HTML with the wrappers taken out, run with the theme's original bundle. The article
must come out identical. Control: the built (wrapped) HTML run with the original bundle wraps
every table twice, and the comparison fails.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import material
import pytest
from browserkit import TABLE_FACTS_JS, new_context

from sitebuild import theme_start

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Route

pytestmark = pytest.mark.browser

PAGES = ("safety/", "evidence/", "intrathecal/")
_THEME_JS = Path(material.__file__).parent / "templates" / "assets" / "javascripts"
_UNWRAP_OPEN = re.compile(re.escape(theme_start.WRAP_OPEN) + r"(?=<table\b)")
_UNWRAP_CLOSE = re.compile(r"(?<=</table>)" + re.escape(theme_start.WRAP_CLOSE))
_ARTICLE = """() => {
  const article = document.querySelector("article").cloneNode(true);
  // The calculators' live parts change with the engine's timing; the tables are what matters.
  for (const form of article.querySelectorAll("form[data-calculator]")) form.remove();
  return article.innerHTML;
}"""


def _original_bundle() -> str:
    (bundle,) = _THEME_JS.glob("bundle.*.min.js")
    return bundle.read_text(encoding="utf-8")


def _article(browser: Browser, url: str, *, unwrap: bool, original: bool) -> tuple[str, dict]:
    context, _watch = new_context(browser)
    try:
        page = context.new_page()
        if original:

            def bundle(route: Route) -> None:
                route.fulfill(status=200, content_type="text/javascript", body=_original_bundle())

            page.route(re.compile(r"/assets/javascripts/bundle\.[0-9a-f]{8}\.min\.js$"), bundle)
        if unwrap:

            def document(route: Route) -> None:
                response = route.fetch()
                html = _UNWRAP_CLOSE.sub("", _UNWRAP_OPEN.sub("", response.text()))
                route.fulfill(response=response, body=html)

            page.route(url, document)
        page.goto(url)
        page.wait_for_function("document.documentElement.classList.contains('js')")
        # The theme mounts its components once the page's observable emits: give it the time.
        page.wait_for_load_state("load")
        page.wait_for_timeout(500)
        facts = page.evaluate(TABLE_FACTS_JS)
        return page.evaluate(_ARTICLE), facts
    finally:
        context.close()


@pytest.mark.parametrize("path", PAGES)
def test_theme_start_gives_the_themes_own_dom(browser: Browser, base_url: str, path: str) -> None:
    """The built page, after the patched bundle: the same article as the theme's own start."""
    url = f"{base_url}{path}"
    built, facts = _article(browser, url, unwrap=False, original=False)
    theirs, their_facts = _article(browser, url, unwrap=True, original=True)
    assert facts["tables"] > 0, path
    assert facts["wrapped"] == facts["tables"], facts
    assert facts["nested"] == 0, facts
    assert {"js", "js-focus-visible"} <= set(facts["html"].split()), facts
    assert "no-js" not in facts["html"].split()
    assert their_facts["wrapped"] == their_facts["tables"] == facts["tables"], their_facts
    assert built == theirs, path


def test_theme_start_control_original_bundle_wraps_twice(browser: Browser, base_url: str) -> None:
    """Control: the wrapped page with the theme's unpatched bundle nests every wrapper."""
    url = f"{base_url}{PAGES[0]}"
    built, facts = _article(browser, url, unwrap=False, original=False)
    twice, twice_facts = _article(browser, url, unwrap=False, original=True)
    assert twice_facts["nested"] == facts["tables"] > 0, twice_facts
    assert twice != built


def test_theme_start_bundle_is_the_patched_one(site_dir: Path) -> None:
    """The site ships the patched bundle under its own hashed name, and not the original."""
    shipped = list((site_dir / "assets" / "javascripts").glob("bundle.*.min.js"))
    (bundle,) = shipped
    text = bundle.read_text(encoding="utf-8")
    assert theme_start.NO_TABLE_SELECTOR in text
    assert theme_start.TABLE_SELECTOR not in text
    (original,) = _THEME_JS.glob("bundle.*.min.js")
    assert bundle.name != original.name
    assert len(text) == len(original.read_text(encoding="utf-8"))  # the source map stays right
