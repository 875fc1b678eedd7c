"""The "check" profile's cap: a property test runs at most the capped number of examples.

Control: without the cap the same test runs its own ``max_examples``.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis_profiles import CHECK_MAX_EXAMPLES, cap_examples


def _counting_test(max_examples: int) -> tuple[object, list[int]]:
    seen: list[int] = []

    @settings(max_examples=max_examples, deadline=None, derandomize=True, database=None)
    @given(st.integers())
    def prop(n: int) -> None:
        seen.append(n)

    return prop, seen


def test_cap_lowers_a_tests_own_max_examples():
    """A test asking for 150 examples runs at most the cap once capped."""
    prop, seen = _counting_test(150)
    assert cap_examples(prop) is True
    prop()
    assert 0 < len(seen) <= CHECK_MAX_EXAMPLES


def test_without_the_cap_the_test_runs_its_own_count():
    """Control: the same test, not capped, runs far more than the cap."""
    prop, seen = _counting_test(150)
    prop()
    assert len(seen) > CHECK_MAX_EXAMPLES * 5  # control: 150 asked, far above the cap


def test_cap_never_raises_a_lower_count_and_ignores_plain_tests():
    """A count under the cap stays; a plain function or None is left alone."""
    prop, seen = _counting_test(3)
    assert cap_examples(prop) is False
    prop()
    assert len(seen) <= 3
    assert cap_examples(test_cap_never_raises_a_lower_count_and_ignores_plain_tests) is False
    assert cap_examples(None) is False
