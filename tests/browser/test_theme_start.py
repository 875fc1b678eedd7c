"""The theme's start-up work done by the build (sitebuild/theme_start.py) gives the theme's own DOM.

The build wraps the tables and sets the ``js`` classes; the theme's bundle, patched, no longer
wraps them. Each page is compared with the same page as the theme itself would have made it:
the built HTML with the wrappers and the early stylesheet resolution taken out, run with the
theme's original bundle. The article and the ``<head>``'s links must come out identical.
Control: the built (wrapped) HTML run with the original bundle wraps every table twice, and
the comparison fails.

The palette: a reader's switch still turns transitions off while the colours change (as the
theme's own stylesheet does), through the renamed attribute; control: the theme's attribute,
which the theme sets on every page load, no longer does.
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
_THEME_ASSETS = Path(material.__file__).parent / "templates" / "assets"
_THEME_JS = _THEME_ASSETS / "javascripts"
_HEAD_LINKS = """() => [...document.head.querySelectorAll("link")]
  .map((link) => `${link.getAttribute("rel")} ${link.getAttribute("href")}`)"""
# Every change to a stylesheet <link>'s href, and whether <body> existed yet when it was seen
# (a MutationObserver's callback runs at the next microtask checkpoint, still in <head>).
_WATCH_STYLESHEETS = """
window.__stylesheetHrefs = [];
new MutationObserver((records) => {
  for (const record of records)
    if (record.target.rel === "stylesheet")
      window.__stylesheetHrefs.push({ body: document.body !== null });
}).observe(document, { attributes: true, attributeFilter: ["href"], subtree: true });
"""
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


def _article(
    browser: Browser, url: str, *, unwrap: bool, original: bool
) -> tuple[str, dict, list[str], list[dict]]:
    """The article, the tables' facts, the head's links and the stylesheet href changes."""
    context, _watch = new_context(browser)
    try:
        context.add_init_script(_WATCH_STYLESHEETS)
        page = context.new_page()
        if original:

            def bundle(route: Route) -> None:
                route.fulfill(status=200, content_type="text/javascript", body=_original_bundle())

            page.route(re.compile(r"/assets/javascripts/bundle\.[0-9a-f]{8}\.min\.js$"), bundle)
        if unwrap:

            def document(route: Route) -> None:
                response = route.fetch()
                html = _UNWRAP_CLOSE.sub("", _UNWRAP_OPEN.sub("", response.text()))
                html = html.replace(theme_start.LINK_RESOLVE_TAG, "", 1)
                route.fulfill(response=response, body=html)

            page.route(url, document)
        page.goto(url)
        page.wait_for_function("document.documentElement.classList.contains('js')")
        # The theme mounts its components once the page's observable emits: give it the time.
        page.wait_for_load_state("load")
        page.wait_for_timeout(500)
        facts = page.evaluate(TABLE_FACTS_JS)
        links = page.evaluate(_HEAD_LINKS)
        return page.evaluate(_ARTICLE), facts, links, page.evaluate("window.__stylesheetHrefs")
    finally:
        context.close()


@pytest.mark.parametrize("path", PAGES)
def test_theme_start_gives_the_themes_own_dom(browser: Browser, base_url: str, path: str) -> None:
    """The built page, after the patched bundle: the same article as the theme's own start."""
    url = f"{base_url}{path}"
    built, facts, links, changes = _article(browser, url, unwrap=False, original=False)
    theirs, their_facts, their_links, their_changes = _article(
        browser, url, unwrap=True, original=True
    )
    assert links == their_links, path
    assert any(link.startswith("stylesheet http") for link in links), links
    # Ours resolved the stylesheets while <head> was parsed; the theme's, after the first render.
    assert changes, "no stylesheet <link> was resolved"
    assert all(not change["body"] for change in changes), changes
    assert their_changes, "the theme's own start resolved no stylesheet <link>"
    assert all(change["body"] for change in their_changes), their_changes
    assert facts["tables"] > 0, path
    assert facts["wrapped"] == facts["tables"], facts
    assert facts["nested"] == 0, facts
    assert facts["in_box"] == 0, facts  # a result table keeps its own scroll box only
    assert {"js", "js-focus-visible"} <= set(facts["html"].split()), facts
    assert "no-js" not in facts["html"].split()
    assert their_facts["wrapped"] == their_facts["tables"] == facts["tables"], their_facts
    assert built == theirs, path


def test_theme_start_control_original_bundle_wraps_twice(browser: Browser, base_url: str) -> None:
    """Control: the wrapped page with the theme's unpatched bundle nests every wrapper."""
    url = f"{base_url}{PAGES[0]}"
    built, facts, _links, _changes = _article(browser, url, unwrap=False, original=False)
    twice, twice_facts, _links, _changes = _article(browser, url, unwrap=False, original=True)
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


# A bubbling listener on the document runs after the theme's own handler on the palette input:
# it records what the page's links' transitions are while the colours are being switched.
_RECORD_SWITCH = """() => {
  window.__during = [];
  document.addEventListener("change", () => {
    const link = document.querySelector("article a[href]");
    window.__during.push(getComputedStyle(link).transitionDuration);
  });
}"""
_LINK_TRANSITION = """() => getComputedStyle(document.querySelector("article a[href]"))
  .transitionDuration"""


def _switch_palette(browser: Browser, url: str, *, original_palette: bool) -> dict:
    context, watch = new_context(browser)
    try:
        page = context.new_page()
        if original_palette:
            (css,) = (_THEME_ASSETS / "stylesheets").glob("palette.*.min.css")
            body = css.read_text(encoding="utf-8")

            def palette(route: Route) -> None:
                route.fulfill(status=200, content_type="text/css", body=body)

            page.route(re.compile(r"/assets/stylesheets/palette\.[0-9a-f]{8}\.min\.css$"), palette)
        page.goto(url, wait_until="load")
        page.wait_for_timeout(300)
        before = page.evaluate(_LINK_TRANSITION)
        page.evaluate(_RECORD_SWITCH)
        page.locator("[data-md-component=palette] label:not([hidden])").first.click()
        page.wait_for_timeout(300)
        facts = {
            "before": before,
            "during": page.evaluate("window.__during"),
            "after": page.evaluate(_LINK_TRANSITION),
            "attributes": page.evaluate("document.body.getAttributeNames()"),
        }
        # The theme's attribute, set by hand: does it still turn the transitions off?
        page.evaluate("document.body.setAttribute('data-md-color-switching', '')")
        facts["theme_attribute"] = page.evaluate(_LINK_TRANSITION)
        assert watch.errors == []
        return facts
    finally:
        context.close()


def test_theme_start_palette_switch_turns_transitions_off_as_the_theme_does(
    browser: Browser, base_url: str
) -> None:
    """A reader's switch: transitions off while the colours change, back on after (as theirs)."""
    url = f"{base_url}about/"
    ours = _switch_palette(browser, url, original_palette=False)
    theirs = _switch_palette(browser, url, original_palette=True)
    for facts in (ours, theirs):
        assert facts["before"] not in {"0s", ""}, facts
        assert facts["during"] == ["0s"], facts
        assert facts["after"] == facts["before"], facts
        assert "data-md-color-switching" not in facts["attributes"], facts
        assert theme_start.USER_SWAP[1:-1] not in facts["attributes"], facts
    # Control: the attribute the theme sets on every page load no longer restyles our page
    # (it would in the theme's own stylesheet, which is what the rename is for).
    assert ours["theme_attribute"] == ours["before"], ours
    assert theirs["theme_attribute"] == "0s", theirs
