"""Helpers for the site tests: build a site with the three-step pipeline, parse built pages.

A module of its own (not conftest.py), so test files import it by a name no other test
folder uses: ``from sitekit import build_site``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Build:
    """The result of one site build."""

    returncode: int
    output: str
    site_dir: Path


def build_site(config_file: Path, site_dir: Path, generator: str = "mkdocs") -> Build:
    """Run the three-step build (``python -m sitebuild build``) in a subprocess, as ``make site``.

    A subprocess, so no generator state leaks between builds, and the repository root on
    ``PYTHONPATH`` so ``sitebuild`` and ``calculators`` import. The build description and the
    prepared files go next to ``site_dir``.
    """
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    env["NO_MKDOCS_2_WARNING"] = "1"  # Material's banner about MkDocs 2.0: noise here
    env.pop("SITE_URL", None)  # the tests check the default site_url
    proc = subprocess.run(  # noqa: S603  # our own interpreter, arguments we build
        [
            sys.executable,
            "-m",
            "sitebuild",
            "build",
            "--generator",
            generator,
            "--config-file",
            str(config_file),
            "--site-dir",
            str(site_dir),
            "--build-dir",
            str(site_dir.parent / f"{site_dir.name}-build"),
        ],
        cwd=config_file.parent,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    return Build(proc.returncode, proc.stdout + proc.stderr, site_dir)


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


_PART_HEADER = re.compile(r"^/\* --- (\S+) --- \*/$", re.MULTILINE)


def linked_stylesheets(site: Path, url: str, page: Tags) -> list[str]:
    """The stylesheets a built page applies, as site paths, its one stylesheet expanded.

    A link to the site's bundle (``assets/css/site.<hash>.css``, sitebuild/stylesheets.py)
    stands for the files named in its part headers, in order; each linked file must exist.
    """
    found: list[str] = []
    for tag, attrs in page.tags:
        if tag != "link" or "stylesheet" not in attrs.get("rel", "").split():
            continue
        target = urlsplit(urljoin(f"http://site.test{url}", attrs["href"])).path.lstrip("/")
        file = site / target
        assert file.is_file(), f"{url}: {attrs['href']} is missing"
        parts = _PART_HEADER.findall(file.read_text(encoding="utf-8"))
        found += parts or [target]
    return found
