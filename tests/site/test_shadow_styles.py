"""Styles a theme puts in a shadow root, allowed by hash (sitebuild/shadow_styles.py)."""

from __future__ import annotations

import base64
import hashlib
from typing import TYPE_CHECKING

import pytest

from sitebuild.finish_csp import theme_shadow_style_hashes
from sitebuild.shadow_styles import ShadowStyleError, js_string, shadow_styles

if TYPE_CHECKING:
    from pathlib import Path

# The shape of Zensical 0.0.73's search overlay, minified (names differ between releases).
BUNDLE = (
    "function x(){}var Tc='.u{color:red}\\n.l\\x3e.m{content:\"\\u2192\"}',Zz=1;"
    'function Sc(e){let r=1,n=document.createElement("div");document.body.appendChild(n);'
    'let o=n.attachShadow({mode:"open"});o.appendChild(C("style",{},Tc.toString()));return o}'
)


def _hash(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()


def test_the_stylesheet_is_read_from_the_literal_with_its_escapes_decoded():
    """The escapes (newline, hexadecimal, Unicode) become the characters the browser sees."""
    assert shadow_styles(BUNDLE) == ['.u{color:red}\n.l>.m{content:"→"}']


def test_a_bundle_without_a_shadow_style_gives_nothing():
    """Material's bundle appends no <style> to a shadow root; a mermaid-like root is not one."""
    assert shadow_styles('a.attachShadow({mode:"closed"});a.innerHTML=o') == []
    # Control: the same bundle with its stylesheet renamed away is not read either.
    assert shadow_styles(BUNDLE.replace("Tc=", "Td=")) == []


@pytest.mark.parametrize(
    ("literal", "value"),
    [
        ("'a\\'b'", "a'b"),
        ('"a\\"b"', 'a"b'),
        ("`a\nb`", "a\nb"),
        ("'\\u{1F600}'", "\U0001f600"),
        ("'\\uD83D\\uDE00'", "\U0001f600"),
        ("'a\\\nb'", "ab"),
        ("'\\0'", "\0"),
        ("'\\q'", "q"),
    ],
)
def test_js_string_decodes_every_escape(literal: str, value: str):
    """Each escape of ECMAScript's string grammar gives the character it stands for."""
    assert js_string(literal, 0) == (value, len(literal))


@pytest.mark.parametrize("literal", ["`a${b}`", "'abc", "'a\nb'", "'\\12'", "'\\xZZ'", "x'a'"])
def test_js_string_refuses_what_it_cannot_decode_exactly(literal: str):
    """A hash of a guessed text would not match: such a literal stops the build instead."""
    with pytest.raises(ShadowStyleError):
        js_string(literal, 0)


def test_hashes_come_from_the_shipped_bundle(tmp_path: Path):
    """The finish step hashes the text in the site's bundle; another text, another hash."""
    scripts = tmp_path / "assets" / "javascripts"
    scripts.mkdir(parents=True)
    (scripts / "bundle.0123abcd.min.js").write_text(BUNDLE)
    assert theme_shadow_style_hashes(tmp_path) == {_hash('.u{color:red}\n.l>.m{content:"→"}')}
    (scripts / "bundle.0123abcd.min.js").write_text(BUNDLE.replace("color:red", "color:blue"))
    assert theme_shadow_style_hashes(tmp_path) != {_hash('.u{color:red}\n.l>.m{content:"→"}')}
