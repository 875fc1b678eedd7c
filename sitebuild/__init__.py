"""Build-time package: the build steps and the Markdown extensions that turn ``docs/`` into a site.

It imports :mod:`calculators` (the bibliography, the constants, the calculators); the
calculators never import it, so Pyodide loads none of this.

The build runs in three steps, ``python -m sitebuild build`` (:mod:`sitebuild.pipeline`):
*prepare* (the vendored Pyodide, the calculators wheel and its lock file, the build
description), *generate* (MkDocs + Material or Zensical renders ``docs/`` with the Markdown
extensions below, listed in ``mkdocs.yml``) and *finish* (back-links, head tags, the
Content-Security-Policy, the service worker and the manifest, over the built HTML).

Markdown extensions (they learn the page and the build from :mod:`sitebuild.context`; every
``/// name`` block but the two Markdown includes, ``evidence-file`` and ``safety``, is a
:class:`sitebuild.strict_block.StrictBlock`: no option, no content, every header rendered or
the build stops):

- :mod:`sitebuild.citations`: ``[@key]`` citations and the ``/// references`` bibliography;
- :mod:`sitebuild.constants_ext`: ``{{ NAME }}`` dosing constants quoted on pages;
- :mod:`sitebuild.calculator_block`: ``/// calculator | <id>`` forms with their result;
- :mod:`sitebuild.calculator_index`: ``/// index-of-calculators``, the table of every calculator;
- :mod:`sitebuild.evidence_include`: ``/// evidence-file | <name>.md``, a file of
  ``evidence/`` in a page;
- :mod:`sitebuild.cases_blocks`: ``/// cases | <set>`` teaching cases and ``/// case-sets``,
  their index (the cases themselves, with no Markdown: :mod:`sitebuild.cases_model`, which
  CPython 3.11 and Pyodide also import; their exports for learning platforms:
  :mod:`sitebuild.lms`);
- :mod:`sitebuild.formulation_examples`: ``/// liquid-doses`` tables;
- :mod:`sitebuild.safety_page`: ``/// safety | section=<name>``, the Safety and validation
  page's tables from the hazard register and the engine;
- :mod:`sitebuild.print_qr`: ``/// print-qr``, a printed sheet's QR code of its page's address
  (also drawn on the teaching cases' sheets by :mod:`sitebuild.cases_blocks`).

Every build error raised here is a :class:`SiteBuildError`: MkDocs prints its message
without a traceback and stops the build, strict or not. A page that cites an unknown source
or quotes an unknown constant is a broken page, never rendered as plain text.
"""

from __future__ import annotations

try:  # MkDocs prints a PluginError's message without a traceback and stops the build.
    from mkdocs.exceptions import PluginError as _BaseError
except ImportError:  # no MkDocs (CPython 3.11 and Pyodide import sitebuild.cases_model)

    class _BaseError(Exception):  # type: ignore[no-redef]
        """Stands in for MkDocs' PluginError; SiteBuildError is a ValueError either way.

        Not ValueError itself: ``class SiteBuildError(ValueError, ValueError)`` is a TypeError.
        """


__all__ = ["SiteBuildError"]


class SiteBuildError(_BaseError, ValueError):
    """A page asks for something the build cannot render honestly.

    A :class:`mkdocs.exceptions.PluginError` (so ``mkdocs build`` reports the message and
    aborts cleanly) and a :class:`ValueError` (the matching built-in, for callers outside
    MkDocs). The message names the page, what was asked for, and what is known.
    """
