"""The Hypothesis profiles of the test runs, and the cap that makes "check" light.

Imported by ``tests/conftest.py`` (which loads the profile) and by
``tests/test_hypothesis_profiles.py``; ``tests/`` is on ``sys.path`` under pytest's default
import mode, in CPython and in Pyodide alike.

- "ci" (the default, ``make test``): ``derandomize=True``, the same examples every run, so a
  failure in CI fails locally too; ``database=None``, nothing written to ``.hypothesis/``,
  which Pyodide's in-memory file system would throw away anyway; ``deadline=None``, since
  Pyodide is several times slower than CPython, and a per-example time limit would make the
  same test flaky there.
- "check" (``make check``): "ci" with at most :data:`CHECK_MAX_EXAMPLES` examples per
  property test, for feedback in seconds. A test's own ``@settings(max_examples=N)`` wins
  over any profile, so under "check" :func:`cap_examples` lowers each collected test's
  settings to the cap (it never raises them).

``HYPOTHESIS_PROFILE`` picks one (``HYPOTHESIS_PROFILE=default`` explores with fresh random
seeds).
"""

from __future__ import annotations

import os

from hypothesis import settings

CHECK_MAX_EXAMPLES = 10
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")

settings.register_profile("ci", deadline=None, derandomize=True, database=None)
settings.register_profile("check", settings.get_profile("ci"), max_examples=CHECK_MAX_EXAMPLES)


def cap_examples(test: object, cap: int = CHECK_MAX_EXAMPLES) -> bool:
    """Lower a Hypothesis test's ``max_examples`` to ``cap``; True if it was above.

    Hypothesis keeps a ``@given`` test's settings (its own ``@settings`` over the profile) on
    the wrapped function and reads them each time the test runs, so replacing them after
    collection is enough. Anything else (a plain test, None) is left alone.
    """
    function = getattr(test, "__func__", test)  # a method's function
    chosen = getattr(function, "_hypothesis_internal_use_settings", None)
    if not isinstance(chosen, settings) or chosen.max_examples <= cap:
        return False
    function._hypothesis_internal_use_settings = settings(chosen, max_examples=cap)
    return True
