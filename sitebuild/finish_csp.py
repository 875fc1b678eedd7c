"""The Content-Security-Policy of a built site (the *finish* step, :mod:`sitebuild.finish`).

Every inline script, style and ``style=`` attribute of the final pages is hashed
(:func:`collect_inline`) into the policy (:func:`csp_policy`); a ``<meta>`` copy
(:func:`csp_meta_policy`) goes on each page for hosts that send no policy header.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass, field
from html import unescape
from typing import TYPE_CHECKING

from sitebuild.shadow_styles import shadow_styles

if TYPE_CHECKING:
    from pathlib import Path

# The policy the hosting guide quotes (filled in after the build, with the inline-script
# hashes). The manifest carries it; tools/launcher/serve.py sends exactly the manifest's.
CSP_DIRECTIVES = (
    ("default-src", "'self'"),
    ("script-src", "'self' 'wasm-unsafe-eval'"),
    ("worker-src", "'self'"),
    ("connect-src", "'self'"),
    ("img-src", "'self' data:"),
    ("style-src", "'self'"),
    ("font-src", "'self'"),
    ("object-src", "'none'"),
    ("base-uri", "'self'"),
    ("form-action", "'self'"),
    ("frame-ancestors", "'self'"),
)

# Ignored by browsers in a <meta http-equiv="Content-Security-Policy"> (CSP Level 3, and a
# console warning each): left out of the meta tag's policy. frame-ancestors only works as a
# header (the launcher and the hosting guide's servers send it).
META_IGNORED_DIRECTIVES = frozenset({"frame-ancestors", "report-uri", "report-to", "sandbox"})
CSP_META_TAG = '<meta http-equiv="Content-Security-Policy" content="@@OFFLINE_CSP_META@@">'

# Inline <script> without src whose type runs as JavaScript; JSON data blocks are not
# scripts to CSP (Material's __config is one).
_INLINE_SCRIPT = re.compile(r"<script(?P<attrs>(?:\s[^>]*)?)>(?P<body>.*?)</script>", re.DOTALL)
_INLINE_STYLE = re.compile(r"<style(?:\s[^>]*)?>(?P<body>.*?)</style>", re.DOTALL)
_SCRIPT_TYPE = re.compile(r"""\stype\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)
_JS_TYPES = {"", "text/javascript", "application/javascript", "module"}

# style="…" attributes (Python-Markdown's aligned table cells write style="text-align: right;")
# are allowed one by one, by hash, with 'unsafe-hashes' (which lets hashes match attributes).
_TAG = re.compile(r"<[a-zA-Z][^<>]*>")
_STYLE_ATTR = re.compile(r"""\sstyle\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)


def _csp_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


@dataclass
class InlineHashes:
    """The CSP hashes of the inline scripts, styles and style attributes of the final pages."""

    scripts: set[str] = field(default_factory=set)
    styles: set[str] = field(default_factory=set)
    style_attributes: set[str] = field(default_factory=set)


def collect_inline(html: str, into: InlineHashes) -> None:
    """Add the hashes of ``html``'s inline scripts, styles and style attributes to ``into``."""
    for match in _INLINE_SCRIPT.finditer(html):
        attrs = match["attrs"]
        if re.search(r"\ssrc\s*=", attrs, re.IGNORECASE):
            continue
        kind = _SCRIPT_TYPE.search(attrs)
        if (kind[1].lower() if kind else "") in _JS_TYPES:
            into.scripts.add(_csp_hash(match["body"]))
    for match in _INLINE_STYLE.finditer(html):
        into.styles.add(_csp_hash(match["body"]))
    for tag in _TAG.finditer(html):
        for attr in _STYLE_ATTR.finditer(tag[0]):
            value = attr[1] if attr[1] is not None else attr[2]
            into.style_attributes.add(_csp_hash(unescape(value)))


def csp_policy(
    script_hashes: list[str], style_hashes: list[str], style_attr_hashes: list[str] | None = None
) -> str:
    """The Content-Security-Policy for a build with these inline-script and -style hashes.

    ``style_attr_hashes`` (of ``style="…"`` attribute values) come with ``'unsafe-hashes'``,
    without which a hash never matches an attribute; nothing else inline is allowed by it.
    """
    attrs = sorted(style_attr_hashes or [])
    styles = [*style_hashes, *attrs]
    parts = []
    for name, value in CSP_DIRECTIVES:
        if name == "style-src" and attrs:
            value = f"{value} 'unsafe-hashes'"  # noqa: PLW2901 - the directive's value, amended
        extra = {"script-src": script_hashes, "style-src": styles}.get(name, [])
        parts.append(" ".join([name, value, *(f"'{h}'" for h in extra)]))
    return "; ".join(parts)


def csp_meta_policy(policy: str) -> str:
    """The policy for a ``<meta>`` tag: ``policy`` without the directives ignored there."""
    kept = [
        part.strip()
        for part in policy.split(";")
        if part.strip() and part.split()[0].lower() not in META_IGNORED_DIRECTIVES
    ]
    return "; ".join(kept)


def theme_shadow_style_hashes(site: Path) -> set[str]:
    """CSP hashes of the stylesheets the theme's bundle appends to a shadow root.

    Zensical's search overlay (:mod:`sitebuild.shadow_styles`); Material's bundle has none.
    """
    found: set[str] = set()
    for script in sorted(site.glob("assets/javascripts/bundle.*.js")):
        found.update(_csp_hash(t) for t in shadow_styles(script.read_text(encoding="utf-8")))
    return found
