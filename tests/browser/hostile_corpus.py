"""The hostile corpus: odd and hostile text typed into number fields, defined once.

Read by the Chromium tests (``test_hostile_input.py``) and, through
``tests/engines/hostile_cases.py``, by the Firefox tests (``tests/engines/firefox.test.mjs``),
so that both engines are held to the same values. The expected outcome of each value is
never written here: it is CPython's (``browserkit.expected``).
"""

from __future__ import annotations

# Each payload calls alert() if it ever runs, and names an image path no page has.
PAYLOADS = (
    "<script>alert('hostile-script')</script>",
    '<img src="/hostile-img.png" onerror="alert(\'hostile-img\')">',
    '"><svg onload="alert(\'hostile-svg\')"></svg>',
)

# (calculator, number field, value with a decimal comma): each, read without its comma,
# is a valid value of the field (checked in test_hostile_input.py), so a browser dropping
# the comma would show a plausible result for a dose ten times too high.
COMMAS = (
    ("oral-to-iv", "oral_daily_mg", "7,5"),
    ("oral-taper", "current_daily_mg", "7,5"),
    ("oral-titration", "start_dose_mg", "1,5"),
    ("oral-to-iv", "oral_daily_mg", "1,5"),
    ("renal-function", "weight_kg", "7,5"),
    ("itb-titration", "current_daily_mcg", "12,5"),
    ("itb-refill", "daily_dose_mcg", "12,5"),
    ("itb-initial-dose", "effect_hours", "1,5"),
)

# "75", "7.5" and "12" in full-width digits and point (a Japanese or Chinese keyboard).
FULL_WIDTH = ("\uff17\uff15", "\uff17\uff0e\uff15", "\uff11\uff12")

# Emoji, NaN, an infinity, a huge and a 20,000-digit number, spaces, hex and underscores.
ODD = ("💊", "NaN", "-inf", "1e308", "1" * 20_000, " 7.5 ", "0x10", "1_0")


def typed_values() -> tuple[str, ...]:
    """Every distinct value of the corpus, each once, in the order above."""
    values = [value for _, _, value in COMMAS] + [*FULL_WIDTH, *ODD, *PAYLOADS]
    return tuple(dict.fromkeys(values))
