"""No template placeholder (``__number__``) reaches a reader: golden files and built pages.

A repeated group's ``<template>`` holds ``__INDEX__`` and ``__NUMBER__``, which
``docs/assets/js/calculator-groups.js`` fills in when it adds an item. Anywhere else, a word
between double underscores is a placeholder nobody filled in, and a screen reader reads it
out ("Remove step __number__", QA report D1). Inside a template, any other spelling (a
lower-cased ``__number__``) is one the script will never replace. The browser side (names
computed after adding and removing items) is ``tests/browser/test_pump_clinic.py``.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parent / "golden"
PLACEHOLDER = re.compile(r"__[A-Za-z][A-Za-z0-9_]*?__")
# What calculator-groups.js replaces (its INDEX and NUMBER patterns), inside a template only.
FILLED_BY_SCRIPT = frozenset({"__INDEX__", "__NUMBER__"})
# Attributes a reader hears or sees, or that the page's script puts into a message.
NAMED_ATTRIBUTES = frozenset(
    {"aria-label", "aria-description", "title", "alt", "value", "placeholder", "data-label"}
)
# Not prose: program text (a function's source in "Show the Python"), scripts and styles.
NOT_PROSE = frozenset({"script", "style", "code", "pre"})


class _Finder(HTMLParser):
    """Collects ``(where, placeholder)`` for text and named attributes, template-aware."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.found: list[tuple[str, str]] = []

    def _check(self, text: str, where: str) -> None:
        in_template = "template" in self.stack
        for token in PLACEHOLDER.findall(text):
            if not (in_template and token in FILLED_BY_SCRIPT):
                self.found.append((where, token))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in NAMED_ATTRIBUTES and value:
                self._check(value, f"<{tag} {name}>")
        if tag not in {"input", "br", "img", "meta", "link", "hr", "source", "wbr"}:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if not NOT_PROSE.intersection(self.stack):
            self._check(data, f"text in <{self.stack[-1] if self.stack else 'document'}>")


def placeholders(html: str) -> list[tuple[str, str]]:
    """Every unfilled placeholder a reader would meet in ``html``, with where it is."""
    finder = _Finder()
    finder.feed(html)
    finder.close()
    return finder.found


def test_placeholders_finder_catches_what_it_must() -> None:
    """Control: the check finds a lower-cased or stray placeholder and lets the template's be."""
    template = (
        "<template><legend>Step __NUMBER__</legend><button>Remove __NUMBER__</button></template>"
    )
    assert placeholders(template) == []
    assert placeholders("<template><button>Remove step __number__</button></template>") == [
        ("text in <button>", "__number__")
    ]
    assert placeholders('<p data-label="Step __NUMBER__">x</p>') == [
        ("<p data-label>", "__NUMBER__")
    ]
    assert placeholders("<legend>Step __NUMBER__</legend>") == [("text in <legend>", "__NUMBER__")]
    assert placeholders("<pre><code>def __init__(self): ...</code></pre>") == []


@pytest.mark.parametrize("path", sorted(GOLDEN.glob("*.html")), ids=lambda p: p.stem)
def test_placeholders_none_in_golden_html(path: Path) -> None:
    """A golden file holds no placeholder a reader would meet (a golden file can freeze a bug)."""
    assert placeholders(path.read_text(encoding="utf-8")) == []


@pytest.mark.site_build
def test_placeholders_none_in_built_pages(built_site: Path) -> None:
    """No page of the built site shows a placeholder, in its text or its accessible names."""
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) > 10
    found = {
        str(page.relative_to(built_site)): hits
        for page in pages
        if (hits := placeholders(page.read_text(encoding="utf-8")))
    }
    assert found == {}
