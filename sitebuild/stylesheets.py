"""One stylesheet for the site's own styles (the *finish* step; issue 27, measured in ``bench/``).

The generator links each of the site's stylesheets (``extra_css``: ``assets/css/*.css``) on
every page, and the finish step adds ``assets/offline/offline.css``: eight or nine
render-blocking requests before the first paint. On a phone on a slow network each costs a
round trip, and six at most go at once. :func:`write_bundle` concatenates them, in the order
the pages link them, into one file whose name carries a hash of its bytes
(``assets/css/site.<hash>.css``, so it may be cached for a year), and :func:`link_bundle`
puts one ``<link>`` to it where the first of them was linked on each page.

The rules stay in their cascade order, so the page looks the same; the source files stay in
the site too (tests and readers open them by name). A stylesheet that uses ``url()`` or
``@import`` would resolve differently from another folder: the build stops rather than move it.
"""

from __future__ import annotations

import hashlib
import re
from typing import TYPE_CHECKING

from sitebuild import SiteBuildError

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

# Where the site's own stylesheets live (extra_css) and where the bundle is written.
CSS_DIR = "assets/css"
BUNDLE_STEM = "site"

# The line that starts each part of the bundle (tests read the parts back from it).
PART_HEADER = "/* --- {path} --- */"

_LINK = re.compile(r"<link\b[^>]*>", re.IGNORECASE)
_REL_STYLESHEET = re.compile(r"""\brel\s*=\s*["']?stylesheet\b""", re.IGNORECASE)
_HREF = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
_MEDIA = re.compile(r"""\bmedia\s*=""", re.IGNORECASE)
# A relative or root-relative reference that moving the rules to another file would change.
_MOVES_BADLY = re.compile(r"""url\(\s*(?!["']?data:)|@import""", re.IGNORECASE)
_LEADING_DOTS = re.compile(r"^(?:\./|\.\./)*")


def own_stylesheets(home_html: str, extra: tuple[str, ...] = ()) -> list[str]:
    """The site's own stylesheets (paths from the site root) as the home page links them.

    Only ``<link rel="stylesheet">`` without a ``media`` attribute, under :data:`CSS_DIR`;
    then ``extra`` (stylesheets the finish step adds to every page), in that order.
    """
    found: list[str] = []
    for tag in _LINK.findall(home_html):
        path = _own_path(tag)
        if path is not None and path not in found:
            found.append(path)
    return found + [p for p in extra if p not in found]


def _own_path(tag: str) -> str | None:
    """The site path of a stylesheet ``<link>`` to one of the site's own styles, or None."""
    if not _REL_STYLESHEET.search(tag) or _MEDIA.search(tag):
        return None
    href = _HREF.search(tag)
    if href is None:
        return None
    url = href.group(1) if href.group(1) is not None else href.group(2)
    if "://" in url or url.startswith("//") or "?" in url or "#" in url:
        return None
    path = _LEADING_DOTS.sub("", url.lstrip("/"))
    if url.startswith("/") and f"/{CSS_DIR}/" in url:  # under a site_url's path (404.html)
        path = url[url.index(f"/{CSS_DIR}/") + 1 :]
    if not path.startswith(f"{CSS_DIR}/") or not path.endswith(".css") or "/.." in path:
        return None
    return path


def write_bundle(site: Path, paths: list[str]) -> str:
    """Concatenate ``paths`` (site-relative) into ``assets/css/site.<hash>.css``; its path.

    Each part is introduced by a comment naming its source file (:data:`PART_HEADER`).
    """
    parts = []
    for path in paths:
        file = site / path
        if not file.is_file():
            raise SiteBuildError(f"{path}: linked from the pages but not in the built site.")
        text = file.read_text(encoding="utf-8")
        if _MOVES_BADLY.search(text):
            raise SiteBuildError(
                f"{path}: uses url() or @import, which would resolve differently from "
                f"{CSS_DIR}/; use a data: URL, or leave the file out of the bundle."
            )
        parts.append(PART_HEADER.format(path=path) + f"\n{text.rstrip()}\n")
    data = "\n".join(parts).encode("utf-8")
    name = f"{CSS_DIR}/{BUNDLE_STEM}.{hashlib.sha256(data).hexdigest()[:12]}.css"
    (site / name).write_bytes(data)
    return name


def link_bundle(html: str, *, bundled: list[str], bundle: str, href: Callable[[str], str]) -> str:
    """``html`` with its links to ``bundled`` stylesheets replaced by one link to ``bundle``.

    The new link goes where the first of them was; a page that links none of them gets it
    at the end of ``<head>`` (the finish step's own stylesheets are added to every page).
    """
    wanted = set(bundled)
    tag = f'<link rel="stylesheet" href="{href(bundle)}">'
    placed = False

    def replace(match: re.Match[str]) -> str:
        nonlocal placed
        if _own_path(match.group(0)) not in wanted:
            return match.group(0)
        first, placed = not placed, True
        return tag if first else ""

    out = _LINK.sub(replace, html)
    if placed:
        return out
    if out.count("</head>") != 1:
        raise SiteBuildError(f"expected one </head> to link {bundle} in")
    return out.replace("</head>", tag + "</head>")
