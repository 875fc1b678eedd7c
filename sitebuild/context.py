"""What the Markdown extensions know about a build: the page being rendered, the build description.

The site is built in three steps (:mod:`sitebuild.pipeline`): *prepare* writes the build
description, a JSON file; *generate* runs a site generator (MkDocs + Material, or Zensical),
which renders each page's Markdown with our extensions; *finish* post-processes the built
site. The extensions read everything they need from two places, and never from hooks:

- **the page being rendered**, which each generator already tells its Markdown instance:
  Zensical registers a ``rendering_context`` preprocessor holding the page (``path``,
  ``url``); MkDocs registers its ``relpath`` tree processor holding the page's ``File``
  (``src_uri``, ``url``). :func:`current_page` reads whichever is there; an extension
  config ``page`` (tests, or Markdown rendered by hand) takes precedence;
- **the build description** (:class:`Build`): where the runtime, the lock file and the
  References page are, the URL of every page, which page holds which calculator. Its path is
  in the environment variable :data:`BUILD_ENV`, which the pipeline sets for the generator.
  There is no default: Markdown rendered by hand (tests) gives each extension its values as
  configs, or sets :data:`BUILD_ENV` to a description it wrote; an extension that needs the
  description and finds neither stops with a :class:`~sitebuild.SiteBuildError` saying so.

Nothing here is mutated per page and nothing is passed through ``mdx_configs``.
"""

from __future__ import annotations

import json
import os
import posixpath
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sitebuild import SiteBuildError

if TYPE_CHECKING:
    from markdown import Markdown

BUILD_ENV = "BACLOFEN_SITE_BUILD"
BUILD_FORMAT = 1


@dataclass(frozen=True)
class Page:
    """The page a Markdown instance renders: its source path under docs/ and its URL."""

    src: str  # "teaching/oral.md"
    url: str  # "teaching/oral/" (directory URLs) or "teaching/oral.html"; "" for the home page


def page_url(src: str, *, use_directory_urls: bool = True) -> str:
    """The URL MkDocs and Zensical give the page ``src`` (relative to the site root)."""
    stem = src.removesuffix(".md")
    name = posixpath.basename(stem)
    folder = posixpath.dirname(stem)
    if name in {"index", "README"}:
        return f"{folder}/" if folder else ""
    if not use_directory_urls:
        return f"{stem}.html"
    return f"{stem}/"


def current_page(md: Markdown, configured: str = "") -> Page | None:
    """The page ``md`` renders: from the extension config, Zensical or MkDocs; None if unknown."""
    if configured:
        return Page(configured, page_url(configured))
    pre, tree = md.preprocessors, md.treeprocessors
    # markdown's Registry has no .get()
    context = pre["rendering_context"] if "rendering_context" in pre else None  # noqa: SIM401
    page = getattr(context, "page", None)
    if page is not None:  # Zensical
        src = str(page.path).replace(os.sep, "/")
        return Page(src, str(page.url or "").lstrip("/"))
    relpath = tree["relpath"] if "relpath" in tree else None  # noqa: SIM401
    file = getattr(relpath, "file", None)
    if file is not None:  # MkDocs
        return Page(str(file.src_uri), str(file.url or ""))
    return None


def where(src: str) -> str:
    """How every extension's error messages name the page (its source path, or none known)."""
    return f"page {src!r}" if src else "Markdown rendered outside a site generator (no page set)"


def relative_url(target: str, page: Page | None) -> str:
    """``target`` (a URL from the site root) relative to ``page``'s URL, as browsers resolve."""
    url = page.url if page else ""
    base = url.rstrip("/") if url.endswith("/") else posixpath.dirname(url)
    rel = posixpath.relpath(target or ".", base or ".")
    if (target == "" or target.endswith("/")) and not rel.endswith("/"):
        rel += "/"
    return rel


@dataclass(frozen=True)
class Build:
    """The build description written by the *prepare* step (see :mod:`sitebuild.pipeline`)."""

    data: dict[str, Any]

    @property
    def pyodide(self) -> dict[str, str]:
        """``index``, ``lock`` (site-root URLs) and ``package`` of the vendored runtime."""
        value: dict[str, str] = self.data["pyodide"]
        return value

    @property
    def references_page(self) -> str:
        """The References page's source path."""
        return str(self.data["references_page"])

    def url_of(self, src: str) -> str:
        """The URL of the page ``src``; a page the description does not know is an error."""
        pages: dict[str, str] = self.data["pages"]
        if src not in pages:
            raise SiteBuildError(f"the build description knows no page {src!r}.")
        return pages[src]

    @property
    def calculator_pages(self) -> dict[str, str]:
        """Each calculator id's page source path."""
        value: dict[str, str] = self.data["calculator_pages"]
        return value


def build_path() -> Path | None:
    """Where the build description is: ``$BACLOFEN_SITE_BUILD``, or None when it is not set."""
    value = os.environ.get(BUILD_ENV)
    return Path(value) if value else None


def load_build(path: Path | None = None, *, needed_for: str = "") -> Build:
    """Read the build description; a missing or foreign one stops the build with what to run.

    ``needed_for`` says, in the error, what asked for it (an extension's missing config).
    """
    path = path or build_path()
    asked = f" (needed for {needed_for})" if needed_for else ""
    if path is None:
        raise SiteBuildError(
            f"no build description{asked}: ${BUILD_ENV} is not set. The site generator gets it "
            "from `make site` (`python -m sitebuild build`); Markdown rendered by hand must "
            f"give the extension that value as a config, or set ${BUILD_ENV} to a build.json."
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SiteBuildError(
            f"no build description at {path}{asked}: build the site with `make site` (or "
            "`python -m sitebuild build`), whose prepare step writes it before the generator runs."
        ) from None
    if data.get("format") != BUILD_FORMAT:
        raise SiteBuildError(
            f"{path}: build description format {data.get('format')!r}, "
            f"expected {BUILD_FORMAT}; rebuild with `make site`."
        )
    return Build(data)


def page_src(md: Markdown, configured: str = "") -> str:
    """The source path of the page ``md`` renders, or ``""`` when no generator says."""
    page = current_page(md, configured)
    return page.src if page else ""
