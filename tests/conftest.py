"""Test-wide settings shared by the CPython and Pyodide runs: the Hypothesis profile.

"ci" unless ``HYPOTHESIS_PROFILE`` names another; ``make check`` runs "check", which caps
every property test's examples (``tests/hypothesis_profiles.py`` says how and why).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from hypothesis import settings
from hypothesis_profiles import PROFILE, cap_examples

if TYPE_CHECKING:
    import pytest

settings.load_profile(PROFILE)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under the "check" profile, cap every property test at the profile's example count."""
    if PROFILE == "check":
        for item in items:
            cap_examples(getattr(item, "obj", None))
