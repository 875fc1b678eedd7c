"""Test-wide settings shared by the CPython and Pyodide runs.

Hypothesis runs under the "ci" profile unless HYPOTHESIS_PROFILE names another registered
one (for example ``HYPOTHESIS_PROFILE=default`` to explore with fresh random seeds):

- ``derandomize=True``: the same examples every run, so a failure in CI fails locally too;
- ``database=None``: nothing written to ``.hypothesis/``, which Pyodide's in-memory file
  system would throw away anyway;
- ``deadline=None``: Pyodide is several times slower than CPython, and a per-example time
  limit would make the same test flaky there.
"""

import os

from hypothesis import settings

settings.register_profile("ci", deadline=None, derandomize=True, database=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
