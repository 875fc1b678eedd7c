"""``/// evidence-file | <name>.md``: a file of the repository's ``evidence/`` folder, in a page.

Written on lines of their own::

    /// evidence-file | third-review-corrections.md
    ///

is replaced, before any other Markdown processing, by the lines of
``evidence/third-review-corrections.md``, so the evidence base is written once, in the
repository, and the Evidence page renders it: citations (``[@key]``) and constants
(``{{ NAME }}``) in the file work as on any page, and links are relative to ``docs/``.

A missing file, a name outside ``evidence/`` or a block left open stops the build.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

from sitebuild import SiteBuildError
from sitebuild.context import page_src
from sitebuild.context import where as _where

if TYPE_CHECKING:
    from markdown import Markdown

__all__ = ["EVIDENCE_DIR", "EvidenceIncludeExtension", "makeExtension"]

EVIDENCE_DIR = Path(__file__).resolve().parents[1] / "evidence"
_OPEN = re.compile(r"^ {0,3}/{3,}[ \t]*evidence-file[ \t]*\|[ \t]*(?P<name>\S+)[ \t]*$")
_CLOSE = re.compile(r"^ {0,3}/{3,}[ \t]*$")
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*\.md")


class _Include(Preprocessor):
    def __init__(self, md: Markdown, extension: EvidenceIncludeExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        page = page_src(self.md, self.extension.getConfig("page"))
        folder = Path(self.extension.getConfig("evidence_dir") or EVIDENCE_DIR)
        out: list[str] = []
        i = 0
        while i < len(lines):
            match = _OPEN.match(lines[i])
            if not match:
                out.append(lines[i])
                i += 1
                continue
            name = match["name"]
            if not _NAME.fullmatch(name):
                raise SiteBuildError(
                    f"{_where(page)}: evidence-file {name!r}: name a Markdown file in evidence/ "
                    "(letters, digits, '.', '_', '-', ending in .md)."
                )
            if i + 1 >= len(lines) or not _CLOSE.match(lines[i + 1]):
                raise SiteBuildError(
                    f"{_where(page)}: '/// evidence-file | {name}' must be followed by '///' on "
                    "the next line (the block takes no content)."
                )
            path = folder / name
            if not path.is_file():
                known = ", ".join(sorted(p.name for p in folder.glob("*.md")))
                raise SiteBuildError(
                    f"{_where(page)}: evidence/{name} does not exist. Files: {known}."
                )
            out.extend(["", *path.read_text(encoding="utf-8").splitlines(), ""])
            i += 2
        return out


class EvidenceIncludeExtension(Extension):
    """The ``/// evidence-file`` include (see the module docstring)."""

    def __init__(self, **kwargs: Any) -> None:  # noqa: ANN401  # Markdown passes any config
        """Declare the options; ``kwargs`` sets them."""
        self.config = {
            "page": ["", "Source path of the page being rendered (default: the generator's)"],
            "evidence_dir": ["", "The evidence folder (default: the repository's evidence/)"],
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802  # Markdown's API name
        """Register the preprocessor ahead of every block processor."""
        md.registerExtension(self)
        md.preprocessors.register(_Include(md, self), "sitebuild-evidence-file", 40)


def makeExtension(**kwargs: Any) -> EvidenceIncludeExtension:  # noqa: ANN401, N802
    """Entry point used by ``markdown_extensions: - sitebuild.evidence_include``."""
    return EvidenceIncludeExtension(**kwargs)
