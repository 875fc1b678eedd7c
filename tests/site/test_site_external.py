"""The built site loads nothing from another host: no fonts, scripts, styles, images or frames.

What counts as a *load* (fails on any absolute URL; ``data:`` and ``blob:`` are fine):

- HTML: ``<script src>``, ``<img src|srcset>``, ``<source src|srcset>``, ``<iframe src>``,
  ``<video src|poster>``, ``<audio src>``, ``<track src>``, ``<embed src>``, ``<object data>``,
  ``<input src>``, SVG ``<image|use href>``, ``<link href>`` whose ``rel`` loads something
  (stylesheet, preload, modulepreload, prefetch, preconnect, dns-prefetch, icon, manifest...),
  ``<meta http-equiv=refresh>``, ``<form action>`` (it would send data away), and the CSS of
  ``<style>`` elements and ``style`` attributes;
- CSS files: ``url(...)`` and ``@import``;
- JavaScript files and inline scripts: every string literal holding an absolute URL, which
  covers ``import("https://...")``, ``importScripts``, ``fetch``, ``new Worker`` and script
  injection alike.

What does not count: ``<a href>`` (navigation a reader chooses: DOIs, PubMed, DailyMed) and
``<link rel=canonical|prev|next|alternate>`` (metadata, never fetched by the page).

Material's bundle holds a few absolute URLs for optional features. Each is allowed below by
exact prefix and file, with the reason it is not fetched on this site; a new one fails the
test until someone looks at it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.site_build

# (file name pattern, URL prefix) -> why it is never fetched here.
CONDITIONAL_VENDOR_URLS: dict[tuple[str, str], str] = {
    (
        r"assets/javascripts/bundle\.[0-9a-f]+\.min\.js",
        "https://unpkg.com/resize-observer-polyfill",
    ): (
        "Material injects this polyfill only when window.ResizeObserver is undefined; every "
        "browser released since 2020 has ResizeObserver."
    ),
    (r"assets/javascripts/bundle\.[0-9a-f]+\.min\.js", "https://unpkg.com/mermaid@"): (
        "Material loads Mermaid only for a .mermaid diagram; "
        "test_site_optional_vendor_features_stay_off asserts there is none."
    ),
    (r"assets/javascripts/bundle\.[0-9a-f]+\.min\.js", "https://api.github.com/"): (
        "repository facts, fetched only when repo_url names a GitHub repository; "
        "test_site_optional_vendor_features_stay_off asserts there is no repository widget."
    ),
    (r"assets/javascripts/bundle\.[0-9a-f]+\.min\.js", "https://${"): (
        "the GitLab API (a template literal), fetched only with a GitLab repo_url; same check."
    ),
    (r"assets/pyodide/[^/]+/pyodide\.mjs", "https://cdn.jsdelivr.net/pyodide/"): (
        "Pyodide's default cdnUrl, read only under Node (IN_NODE); in a browser packages come "
        "from packageBaseUrl, the folder of the lockFileURL the calculators' worker passes "
        "(the site's own lock file). tests/browser's tour records no request to another host."
    ),
    (r"assets/js/print-qr\.js", "http://www.w3.org/2000/svg"): (
        "the SVG namespace, an identifier passed to document.createElementNS for the printouts' "
        "QR codes; never fetched."
    ),
    (r"assets/vendor/qrcode-generator/qrcode\.mjs", "http://www.w3.org/2000/svg"): (
        "the SVG namespace in the QR encoder's createSvgTag (a string it writes, which "
        "print-qr.js does not use); never fetched."
    ),
    (r"assets/pyodide/[^/]+/pyodide\.asm\.mjs", "https://${"): (
        "wintercg-sockets connect(): new URL(`https://${host}`) only parses a host name for a "
        "socket API the calculators never call; nothing is fetched."
    ),
}

LOAD_ATTRS: dict[str, tuple[str, ...]] = {
    "script": ("src",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "iframe": ("src",),
    "frame": ("src",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "input": ("src",),
    "image": ("href", "xlink:href"),
    "use": ("href", "xlink:href"),
    "feimage": ("href", "xlink:href"),
    "form": ("action",),
}
LOADING_RELS = {
    "stylesheet",
    "preload",
    "modulepreload",
    "prefetch",
    "prerender",
    "preconnect",
    "dns-prefetch",
    "icon",
    "apple-touch-icon",
    "apple-touch-icon-precomposed",
    "mask-icon",
    "manifest",
}

CSS_URL_RE = re.compile(r"""url\(\s*(["']?)(.*?)\1\s*\)""", re.DOTALL)
CSS_IMPORT_RE = re.compile(r"""@import\s+(["'])(.*?)\1""")
CSS_COMMENT_RE = re.compile(r"/\*.*?\*/", re.DOTALL)
JS_URL_LITERAL_RE = re.compile(r"""(["'`])((?:https?:|wss?:)?//[^"'`\s]+)""")


@dataclass
class Scan:
    """What the scan looked at and what it found."""

    files: Counter[str] = field(default_factory=Counter)
    loads_checked: int = 0
    navigation_hosts: Counter[str] = field(default_factory=Counter)
    allowed: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)

    def check(self, where: str, url: str) -> None:
        """Record one load; an absolute URL (any host, any scheme but data/blob) is external."""
        self.loads_checked += 1
        url = url.strip()
        parts = urlsplit(url)
        if parts.scheme in {"data", "blob"} or (not parts.scheme and not parts.netloc):
            return
        self.external.append(f"{where}: {url}")

    def summary(self) -> str:
        """The counts for an assertion message."""
        files = ", ".join(f"{n} {kind}" for kind, n in sorted(self.files.items()))
        return (
            f"scanned {files} file(s); {self.loads_checked} load reference(s) checked; "
            f"{len(self.allowed)} conditional vendor URL(s) allowed; "
            f"<a> links to other hosts (navigation, allowed): {dict(self.navigation_hosts)}"
        )


def scan_css(scan: Scan, where: str, css: str) -> None:
    """Check every ``url()`` and ``@import`` of a stylesheet."""
    css = CSS_COMMENT_RE.sub("", css)
    for match in CSS_URL_RE.finditer(css):
        scan.check(f"{where} url()", match.group(2))
    for match in CSS_IMPORT_RE.finditer(css):
        scan.check(f"{where} @import", match.group(2))


def scan_js(scan: Scan, where: str, js: str) -> None:
    """Check every string literal holding an absolute URL against the allowed vendor list."""
    for match in JS_URL_LITERAL_RE.finditer(js):
        url = match.group(2)
        host = urlsplit(url).netloc
        if not host:
            continue  # "//" alone: a comment marker or a path join, not a URL
        if url.startswith("//") and "." not in host and "${" not in host:
            # Scheme-less "//word" with no dot is prose in a comment ("not //host") or a
            # regex, never a loadable host name; "//cdn.example/x.js" still counts.
            continue
        scan.loads_checked += 1
        reasons = [
            reason
            for (pattern, prefix), reason in CONDITIONAL_VENDOR_URLS.items()
            if re.fullmatch(pattern, where) and url.startswith(prefix)
        ]
        if reasons:
            scan.allowed.append(f"{where}: {url} ({reasons[0]})")
        else:
            scan.external.append(f"{where} JS literal: {url}")


def load_urls(tag: str, a: dict[str, str]) -> list[tuple[str, str]]:
    """The URLs an element with attributes ``a`` makes the browser fetch, as (label, url)."""
    urls = []
    for attr in LOAD_ATTRS.get(tag, ()):
        if attr == "srcset" and attr in a:
            urls += [(attr, c.strip().split(" ")[0]) for c in a[attr].split(",")]
        elif attr in a:
            urls.append((attr, a[attr]))
    if tag == "link" and set(a.get("rel", "").lower().split()) & LOADING_RELS and "href" in a:
        urls.append((f"rel={a['rel']}", a["href"]))
    if tag == "meta" and a.get("http-equiv", "").lower() == "refresh":
        target = re.split(r"(?i)url\s*=", a.get("content", ""), maxsplit=1)
        if len(target) == 2:  # "delay; url=target"
            urls.append(("refresh", target[1].strip("'\" ")))
    return urls


class _PageScanner(HTMLParser):
    def __init__(self, scan: Scan, where: str) -> None:
        super().__init__(convert_charrefs=True)
        self.scan = scan
        self.where = where
        self._text_kind: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Check the loads of one element; collect the text of <style> and <script>."""
        a = {k.lower(): v or "" for k, v in attrs}
        where = f"{self.where} <{tag}>"
        for label, url in load_urls(tag, a):
            self.scan.check(f"{where} {label}", url)
        if tag == "a" and urlsplit(a.get("href", "")).netloc:
            self.scan.navigation_hosts[urlsplit(a["href"]).netloc] += 1
        if "style" in a:
            scan_css(self.scan, f"{where} style=", a["style"])
        if tag in {"style", "script"}:
            self._text_kind = tag
            self._text = []

    def handle_data(self, data: str) -> None:
        if self._text_kind:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == self._text_kind:
            text = "".join(self._text)
            if tag == "style":
                scan_css(self.scan, f"{self.where} <style>", text)
            else:
                scan_js(self.scan, f"{self.where} <script>", text)
            self._text_kind = None


def scan_site(site: Path) -> Scan:
    """Scan every HTML, CSS and JavaScript file of a built site (source maps are not loaded)."""
    scan = Scan()
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site).as_posix()
        suffix = path.suffix.lower()
        if suffix in {".html", ".htm"}:
            scan.files["HTML"] += 1
            parser = _PageScanner(scan, rel)
            parser.feed(path.read_text(encoding="utf-8"))
            parser.close()
        elif suffix == ".css":
            scan.files["CSS"] += 1
            scan_css(scan, rel, path.read_text(encoding="utf-8"))
        elif suffix in {".js", ".mjs"}:
            scan.files["JS"] += 1
            scan_js(scan, rel, path.read_text(encoding="utf-8"))
    return scan


def test_site_loads_nothing_from_other_hosts(built_site):
    """No page, stylesheet or script of the built site loads anything from another host."""
    scan = scan_site(built_site)
    assert scan.files["HTML"] >= 9, scan.summary()
    assert scan.files["CSS"] >= 2, scan.summary()
    assert scan.files["JS"] >= 1, scan.summary()
    assert not scan.external, (
        "external loads found:\n  " + "\n  ".join(scan.external) + "\n" + scan.summary()
    )


def test_site_optional_vendor_features_stay_off(built_site):
    """The features whose vendor code would fetch from a CDN or an API are not in use."""
    for path in built_site.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        rel = path.relative_to(built_site)
        assert 'data-md-component="source"' not in html, f"{rel}: repository widget (repo_url)"
        assert not re.search(r'class="[^"]*\bmermaid\b', html), f"{rel}: a Mermaid diagram"
        assert "fonts.googleapis" not in html, f"{rel}: web fonts"
        assert "fonts.gstatic" not in html, f"{rel}: web fonts"


def test_scanner_catches_external_loads(tmp_path):
    """The scanner itself flags each kind of load it claims to check, and spares <a> links."""
    (tmp_path / "index.html").write_text(
        '<link rel="stylesheet" href="https://cdn.test/a.css">'
        '<link rel="preconnect" href="https://fonts.test">'
        '<link rel="canonical" href="https://site.test/">'
        '<script src="//cdn.test/b.js"></script><script>var note = "//host";</script>'
        '<img srcset="small.png 1x, https://img.test/big.png 2x">'
        '<iframe src="https://frame.test/"></iframe>'
        '<div style="background: url(https://img.test/bg.png)"></div>'
        '<script>fetch("https://api.test/x")</script>'
        '<a href="https://doi.org/10.1/x">doi</a>'
        '<img src="data:image/png;base64,AAAA"><script src="assets/local.js"></script>'
        '<meta http-equiv="refresh" content="0; URL=https://away.test/">',
        encoding="utf-8",
    )
    (tmp_path / "s.css").write_text(
        '@import "https://css.test/i.css"; /* url(https://comment.test/) */ '
        'a { background: url("x.png") }',
        encoding="utf-8",
    )
    (tmp_path / "w.js").write_text(
        'importScripts("https://w.test/a.js"); import("https://m.test/b.js"); '
        'const path = "a" + "//" + "b";',
        encoding="utf-8",
    )
    scan = scan_site(tmp_path)
    found = "\n".join(scan.external)
    for host in (
        "cdn.test/a.css",
        "fonts.test",
        "cdn.test/b.js",
        "img.test/big.png",
        "frame.test",
        "img.test/bg.png",
        "api.test",
        "css.test",
        "w.test",
        "m.test",
    ):
        assert host in found, host
    assert "doi.org" not in found
    assert "site.test" not in found
    assert "comment.test" not in found
    assert len(scan.external) == 11, found
    assert scan.navigation_hosts == Counter({"doi.org": 1})
