"""Test-wide settings shared by the CPython and Pyodide runs: Hypothesis, the browser marker.

"ci" unless ``HYPOTHESIS_PROFILE`` names another; ``make check`` runs "check", which caps
every property test's examples (``tests/hypothesis_profiles.py`` says how and why).

A test that uses a Chromium fixture (``browser`` in tests/browser, ``chromium`` in
tests/offline) is marked ``browser`` here, so that ``-m browser`` and ``-m "not browser"``
split the suite exactly: `make test` runs the two halves side by side (Makefile).
"""

from __future__ import annotations

import pytest
from hypothesis import settings
from hypothesis_profiles import PROFILE, cap_examples

settings.load_profile(PROFILE)

# The fixtures that start Chromium (tests/browser/conftest.py, tests/offline/conftest.py).
CHROMIUM_FIXTURES = frozenset({"browser", "chromium"})


@pytest.hookimpl(tryfirst=True)  # before pytest's own hook deselects by -m
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the Chromium tests ``browser``; under "check", cap every property test's examples."""
    for item in items:
        if CHROMIUM_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)
    if PROFILE == "check":
        for item in items:
            cap_examples(getattr(item, "obj", None))
