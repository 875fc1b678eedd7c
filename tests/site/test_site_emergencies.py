"""The intrathecal emergencies page: built, printable, linked from every intrathecal calculator."""

from __future__ import annotations

import re
import threading
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from sitekit import linked_stylesheets

EMERGENCIES = "/emergencies/"
ITB_PREFIX = "itb-"

pytestmark = pytest.mark.site_build


def itb_forms(tags: Any) -> list[str]:  # tags: a sitekit.Tags
    """The ids of the intrathecal calculators on a page (``form[data-calculator^="itb-"]``)."""
    return [
        attrs["data-calculator"]
        for tag, attrs in tags.tags
        if tag == "form" and attrs.get("data-calculator", "").startswith(ITB_PREFIX)
    ]


def emergency_links(url: str, tags: Any) -> list[dict[str, str]]:  # tags: a sitekit.Tags
    """Every link on the page at ``url`` whose target is the emergencies page."""
    base = "http://site.test" + url
    return [
        attrs
        for attrs, _text in tags.links()
        if urlsplit(urljoin(base, attrs.get("href", ""))).path == EMERGENCIES
    ]


def test_emergencies_every_page_with_an_itb_calculator_links_the_emergencies_page(site_pages):
    """A page with intrathecal calculators links the emergencies page once per calculator."""
    pages = {url: itb_forms(tags) for url, tags in site_pages.items()}
    with_itb = {url: forms for url, forms in pages.items() if forms}
    assert with_itb, "no built page holds an itb-* calculator: the check below would prove nothing"
    missing = {}
    for url, forms in with_itb.items():
        placed = [
            a
            for a in emergency_links(url, site_pages[url])
            if "emergency-link" in a.get("class", "")
        ]
        if len(placed) < len(forms):
            missing[url] = (forms, len(placed))
    assert not missing, (
        "pages whose intrathecal calculators lack an emergencies link next to them "
        f"(calculators, links): {missing}. Put "
        "'[Intrathecal baclofen emergencies](emergencies.md){ .emergency-link }' after each "
        "'/// calculator | itb-...' block."
    )


def test_emergencies_link_check_detects_a_page_without_the_link(site_pages):
    """Control: a page with an itb form and no emergencies link is found by the same helpers."""
    tags_class = type(site_pages["/"])  # sitekit.Tags, the parser of every built page
    tags = tags_class()
    tags.feed('<form data-calculator="itb-refill"></form><a href="../stopping/">Stopping</a>')
    assert itb_forms(tags) == ["itb-refill"]
    assert emergency_links("/intrathecal/", tags) == []
    linked = tags_class()
    linked.feed('<a class="emergency-link" href="../emergencies/">Emergencies</a>')
    assert len(emergency_links("/intrathecal/", linked)) == 1


def test_emergencies_page_has_withdrawal_overdose_and_alarm_sections(site_pages):
    """The page has its withdrawal, overdose and pump-alarm sections (their heading ids)."""
    tags = site_pages[EMERGENCIES]
    for section in ("withdrawal", "overdose", "pump-alarms-synchromed-ii"):
        assert section in tags.ids, section


def test_emergencies_page_text_states_no_validated_conversion(built_site):
    """The plain statement is in the built page, in a danger admonition."""
    html = (built_site / "emergencies" / "index.html").read_text(encoding="utf-8")
    assert "No validated oral ↔ intrathecal conversion exists" in html
    assert 'class="admonition danger"' in html


def test_emergencies_page_links_its_print_stylesheet(built_site, site_pages):
    """The one-page print layout's stylesheet applies on the emergencies page."""
    styles = linked_stylesheets(built_site, EMERGENCIES, site_pages[EMERGENCIES])
    assert "assets/css/emergency.css" in styles, styles


def _print_with_and_without_layout(page_file, paper):
    """The page printed to PDF by Chromium, with and without its one-page layout.

    Run in a thread of its own: Playwright's sync API allows one instance per thread, and the
    browser tests keep one open in the main thread for the whole session.
    """
    from playwright.sync_api import sync_playwright  # noqa: PLC0415  # only this test needs it

    from tools.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: PLC0415

    out = {}

    def work():
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, args=CHROMIUM_ARGS[1:]
                )
                try:
                    page = browser.new_page()
                    page.goto(page_file.as_uri(), wait_until="load")
                    page.emulate_media(media="print")
                    out["pdf"] = page.pdf(format=paper, print_background=True)
                    # Control: the same page printed without the one-page layout takes more.
                    # emergency.css is in the site's one stylesheet; its rules all hang on
                    # the .emergency-sheet class, so without the class they do not apply.
                    removed = page.evaluate(
                        "[...document.querySelectorAll('.emergency-sheet')]"
                        ".map((el) => el.classList.remove('emergency-sheet')).length"
                    )
                    assert removed >= 1, "no .emergency-sheet on the emergencies page"
                    out["pdf_without"] = page.pdf(format=paper, print_background=True)
                finally:
                    browser.close()
        except BaseException as exc:  # noqa: BLE001 - handed back to the test's thread
            out["error"] = exc

    thread = threading.Thread(target=work, name="emergencies-print", daemon=True)
    thread.start()
    thread.join(timeout=120)
    if "error" in out:
        raise out["error"]
    assert not thread.is_alive(), "printing the emergencies page took over 120 s"
    return out["pdf"], out["pdf_without"]


@pytest.mark.browser
@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_emergencies_page_prints_on_one_sheet(built_site, paper):
    """Printed by Chromium (print media, the site's own stylesheets), the page is one sheet."""
    page_file = built_site / "emergencies" / "index.html"
    pdf, pdf_without = _print_with_and_without_layout(page_file, paper)
    assert pdf_pages(pdf) == 1
    assert pdf_pages(pdf_without) > 1


def pdf_pages(pdf: bytes) -> int:
    """The number of page objects in a PDF (Chromium writes them uncompressed)."""
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))
