"""Fixtures for the site tests: one strict build of the real site per session, and small sites.

Tests marked ``site_build`` run the three-step build, ``python -m sitebuild build`` (a few
seconds); run only the fast unit tests with ``pytest tests/site -m "not site_build"``.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from sitekit import REPO, Build, Tags, build_site, parse_html


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site, built once per session (MkDocs, strict); its site dir."""
    site_dir = tmp_path_factory.mktemp("site") / "site"
    build = build_site(REPO / "mkdocs.yml", site_dir)
    if build.returncode != 0:
        pytest.fail(f"the site build failed ({build.returncode}):\n{build.output}")
    return site_dir


@pytest.fixture
def small_site(tmp_path: Path):
    """Build a small site from ``{page: markdown}`` with the real extensions and pipeline.

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
            textwrap.dedent("""\
                site_name: Small test site
                use_directory_urls: true
                validation:
                  links:
                    not_found: warn
                    anchors: warn
                markdown_extensions:
                  - tables
                  - sitebuild.citations
                  - sitebuild.constants_ext
            """),
            encoding="utf-8",
        )
        return build_site(config, tmp_path / "site")

    return build


@pytest.fixture(scope="session")
def site_pages(built_site: Path) -> dict[str, Tags]:
    """Each built page, keyed by its URL path from the site root ("/", "/oral/", ...)."""
    pages = {}
    for path in sorted(built_site.rglob("*.html")):
        rel = path.relative_to(built_site).as_posix()
        url = "/" + rel.removesuffix("index.html")
        pages[url] = parse_html(path)
    return pages


_BUILDING_FIXTURES = {"built_site", "site_pages", "small_site", "zensical_site"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that builds a site must say so (``site_build``): `make check` deselects them."""
    here = Path(__file__).parent  # pytest calls this hook for every item of the session
    unmarked = [
        item.nodeid
        for item in items
        if item.path.is_relative_to(here)
        and _BUILDING_FIXTURES & set(getattr(item, "fixturenames", ()))
        and item.get_closest_marker("site_build") is None
    ]
    if unmarked:
        raise pytest.UsageError(
            "these tests build a site but are not marked site_build: " + ", ".join(unmarked)
        )
