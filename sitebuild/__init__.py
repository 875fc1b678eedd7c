"""Build-time package: the Markdown extensions and MkDocs hooks that turn ``docs/`` into the site.

It imports :mod:`calculators` (the bibliography, the constants, the calculators); the
calculators never import it, so Pyodide loads none of this.

Modules, each loaded by name from ``mkdocs.yml``:

- :mod:`sitebuild.citations`: ``[@key]`` citations and the ``/// references`` bibliography;
- :mod:`sitebuild.constants_ext`: ``{{ NAME }}`` dosing constants quoted on pages;
- ``sitebuild/hooks_site.py``: MkDocs hooks that tell the extensions which page they render
  and write the "cited on" back-links of the References page.

Every build error raised here is a :class:`SiteBuildError`: MkDocs prints its message
without a traceback and stops the build, strict or not. A page that cites an unknown source
or quotes an unknown constant is a broken page, never rendered as plain text.
"""

from __future__ import annotations

from mkdocs.exceptions import PluginError

__all__ = ["SiteBuildError"]


class SiteBuildError(PluginError, ValueError):
    """A page asks for something the build cannot render honestly.

    A :class:`mkdocs.exceptions.PluginError` (so ``mkdocs build`` reports the message and
    aborts cleanly) and a :class:`ValueError` (the matching built-in, for callers outside
    MkDocs). The message names the page, what was asked for, and what is known.
    """
