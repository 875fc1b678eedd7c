"""Fixtures for the site tests: one strict build of the real site per session, and small sites.

Tests marked ``site_build`` run ``mkdocs build --strict`` (a few seconds); run only the fast
unit tests with ``pytest tests/site -m "not site_build"``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Build:
    """The result of one ``mkdocs build --strict``."""

    returncode: int
    output: str
    site_dir: Path


def mkdocs_build(config_file: Path, site_dir: Path) -> Build:
    """Run ``python -m mkdocs build --strict`` in a subprocess, as ``make site`` does.

    A subprocess, so MkDocs' module state (hooks, caches) never leaks between builds, and the
    repository root on ``PYTHONPATH`` so ``sitebuild`` and ``calculators`` import.
    """
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    env["NO_MKDOCS_2_WARNING"] = "1"  # Material's banner about MkDocs 2.0: noise here
    env.pop("SITE_URL", None)  # the tests check the default site_url
    proc = subprocess.run(  # noqa: S603  # our own interpreter, arguments we build
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "--config-file",
            str(config_file),
            "--site-dir",
            str(site_dir),
        ],
        cwd=config_file.parent,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    return Build(proc.returncode, proc.stdout + proc.stderr, site_dir)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site, built once per session with ``mkdocs build --strict``; its site dir."""
    site_dir = tmp_path_factory.mktemp("site") / "site"
    build = mkdocs_build(REPO / "mkdocs.yml", site_dir)
    if build.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed ({build.returncode}):\n{build.output}")
    return site_dir


@pytest.fixture
def small_site(tmp_path: Path):
    """Build a small site from ``{page: markdown}`` with the real extensions and hooks.

    Returns a function ``build(pages) -> Build``; ``references.md`` holds the bibliography
    block unless ``pages`` gives its own.
    """

    def build(pages: dict[str, str]) -> Build:
        docs = tmp_path / "docs"
        docs.mkdir(exist_ok=True)
        pages = {"references.md": "# References\n\n/// references\n///\n", **pages}
        for name, text in pages.items():
            (docs / name).parent.mkdir(parents=True, exist_ok=True)
            (docs / name).write_text(textwrap.dedent(text), encoding="utf-8")
        config = tmp_path / "mkdocs.yml"
        config.write_text(
            textwrap.dedent(f"""\
                site_name: Small test site
                use_directory_urls: true
                validation:
                  links:
                    not_found: warn
                    anchors: warn
                hooks:
                  - {REPO / "sitebuild" / "hooks_site.py"}
                markdown_extensions:
                  - tables
                  - sitebuild.citations
                  - sitebuild.constants_ext
            """),
            encoding="utf-8",
        )
        return mkdocs_build(config, tmp_path / "site")

    return build


class Tags(HTMLParser):
    """Every start tag of an HTML document as ``(tag, attrs)``, with the text of each ``<a>``."""

    def __init__(self) -> None:
        """Start empty; feed() fills ``tags`` and ``link_texts``."""
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.link_texts: list[str] = []
        self._in_a: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Record the tag; start collecting a link's text."""
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        if tag == "a":
            self._in_a = []

    def handle_data(self, data: str) -> None:
        """Collect text inside a link."""
        if self._in_a is not None:
            self._in_a.append(data)

    def handle_endtag(self, tag: str) -> None:
        """Close a link's text."""
        if tag == "a" and self._in_a is not None:
            self.link_texts.append("".join(self._in_a))
            self._in_a = None

    @property
    def ids(self) -> set[str]:
        """Every id in the document."""
        return {attrs["id"] for _, attrs in self.tags if "id" in attrs}

    def links(self) -> list[tuple[dict[str, str], str]]:
        """Every ``<a>`` as ``(attrs, text)``."""
        anchors = [attrs for tag, attrs in self.tags if tag == "a"]
        return list(zip(anchors, self.link_texts, strict=True))


def parse_html(path: Path) -> Tags:
    """Parse one built HTML file."""
    parser = Tags()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


@pytest.fixture(scope="session")
def site_pages(built_site: Path) -> dict[str, Tags]:
    """Each built page, keyed by its URL path from the site root ("/", "/oral/", ...)."""
    pages = {}
    for path in sorted(built_site.rglob("*.html")):
        rel = path.relative_to(built_site).as_posix()
        url = "/" + rel.removesuffix("index.html")
        pages[url] = parse_html(path)
    return pages
