"""Stylesheets a theme's script puts into a shadow root, read out of the script it ships.

Zensical's search overlay is a ``<div>`` with an open shadow root into which its bundle
appends ``<style>`` holding a stylesheet kept in the bundle as one string literal. The
site's Content-Security-Policy allows no inline style but by hash, so that ``<style>`` was
refused (a console error on every page, and an unstyled search box). The *finish* step
allows it by the hash of the text this module reads out of the very bundle the build ships
(issue 27): nothing is typed by hand, and a theme update that changes the stylesheet
changes the hash with it. A bundle that no longer matches the pattern yields nothing, and
the browser test that counts console errors on every page then fails, naming the policy.
"""

from __future__ import annotations

import re

# `<root>=<el>.attachShadow({mode:"open"});<root>.appendChild(<h>("style",{},<NAME>.toString()))`
# (the `.toString()` is optional): the stylesheet is the string literal bound to NAME.
_SHADOW_STYLE = re.compile(
    r"""\.attachShadow\(\{mode:"(?:open|closed)"\}\)[;,]\s*"""
    r"""([\w$]+)\.appendChild\([\w$]+\("style",\{\},([\w$]+)(?:\.toString\(\))?\)\)"""
)
_SIMPLE_ESCAPES = {
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "b": "\b",
    "f": "\f",
    "v": "\v",
    "0": "\0",
}


class ShadowStyleError(ValueError):
    """A string literal the reader cannot decode exactly (it would hash the wrong text)."""


def shadow_styles(script: str) -> list[str]:
    """The text of every stylesheet ``script`` appends to a shadow root, in order found."""
    found: list[str] = []
    for match in _SHADOW_STYLE.finditer(script):
        name = re.escape(match[2])
        binding = re.search(rf"(?:\bvar|\blet|\bconst|,)\s*{name}\s*=\s*(['\"`])", script)
        if binding is None:
            continue
        text, _ = js_string(script, binding.start(1))
        if text not in found:
            found.append(text)
    return found


def js_string(source: str, start: int) -> tuple[str, int]:
    """The value of the JavaScript string literal at ``source[start]`` and the index after it.

    Single-quoted, double-quoted and template literals without substitutions; every escape
    of ECMAScript's string grammar. Anything else raises :class:`ShadowStyleError`.
    """
    quote = source[start]
    if quote not in "'\"`":
        raise ShadowStyleError(f"no string literal at {start}: {source[start : start + 20]!r}")
    out: list[str] = []
    i = start + 1
    while i < len(source):
        char = source[i]
        if char == quote:  # surrogate pairs written as two \u escapes become one character
            text = "".join(out).encode("utf-16", "surrogatepass").decode("utf-16")
            return text, i + 1
        if quote == "`" and source.startswith("${", i):
            raise ShadowStyleError(f"a template literal with a substitution at {i}")
        if char == "\\":
            value, i = _escape(source, i + 1)
            out.append(value)
            continue
        if char in "\r\n" and quote != "`":
            raise ShadowStyleError(f"a line break inside a string literal at {i}")
        out.append(char)
        i += 1
    raise ShadowStyleError(f"the string literal at {start} is not closed")


def _escape(source: str, i: int) -> tuple[str, int]:  # noqa: PLR0911 - one return per escape kind
    """The character(s) an escape sequence starting at ``source[i]`` (after a backslash) gives."""
    char = source[i]
    if char in _SIMPLE_ESCAPES and not (char == "0" and source[i + 1 : i + 2].isdigit()):
        return _SIMPLE_ESCAPES[char], i + 1
    if char == "x":
        return chr(int(_hex(source, i + 1, 2), 16)), i + 3
    if char == "u" and source.startswith("{", i + 1):
        end = source.index("}", i + 2)
        return chr(int(_hex(source, i + 2, end - i - 2), 16)), end + 1
    if char == "u":
        return chr(int(_hex(source, i + 1, 4), 16)), i + 5
    if char == "\r":  # a line continuation: nothing
        return "", i + (2 if source.startswith("\n", i + 1) else 1)
    if char in "\n\u2028\u2029":
        return "", i + 1
    if char.isdigit():
        raise ShadowStyleError(f"a legacy octal escape at {i}")
    return char, i + 1


def _hex(source: str, i: int, length: int) -> str:
    digits = source[i : i + length]
    if len(digits) != length or not re.fullmatch(r"[0-9a-fA-F]+", digits):
        raise ShadowStyleError(f"a bad hexadecimal escape at {i}: {digits!r}")
    return digits
