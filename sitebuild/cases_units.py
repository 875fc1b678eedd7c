"""The units a teaching case's answer may be given in, and how a value is shown with one.

Part of the case model (:mod:`sitebuild.cases_model`); standard library and :mod:`calculators`
only. The same table reaches the browser as the case set's ``data-units``
(:mod:`sitebuild.cases_blocks`), where ``docs/assets/js/teaching.js`` reads a student's answer
with it, and the learning-platform exports (:mod:`sitebuild.lms_moodle`) name their units
from it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from calculators.spec import format_number

__all__ = ["UNITS", "Unit", "normalize_unit", "show", "unit_of_spec"]


@dataclass(frozen=True)
class Unit:
    """A unit an answer may be given in.

    ``dimension`` groups units that convert into each other; ``factor`` converts one of this
    unit into the dimension's base (``mg`` is 0.001 g). ``required``: a bare number is not
    accepted (mass, volume and their rates, where mg/mcg or mg/mL slips harm patients).
    """

    id: str
    label: str
    dimension: str
    factor: float
    required: bool
    aliases: tuple[str, ...] = ()
    # A number named by a word before it: "day 10" (the tenth day, not ten days). The word is
    # a unit's id; any spelling of that unit is read before or after the number ("day 10",
    # "10 days") when this unit is the one asked for.
    before: str = ""

    def spellings(self) -> tuple[str, ...]:
        """Every accepted spelling, normalized (see :func:`normalize_unit`)."""
        return tuple(dict.fromkeys(normalize_unit(s) for s in (self.id, self.label, *self.aliases)))

    @property
    def note(self) -> str:
        """A question's note on its unit: ``Answer in mg/day``, ``Answer with the day's number``."""
        if self.before:
            return f"Answer with the {self.before}'s number"
        return f"Answer in {self.label}"


_DAY_S = 86400.0
_HOUR_S = 3600.0
_MIN_S = 60.0

# A rate is read in any spelling of its amount with any spelling of its time ("µg/hr" as well
# as "mcg/h"): listing the pairs by hand left gaps (QA D19: "ug/h" known, "µg/hr" not).
_MASS_SPELLINGS = {
    "mg": ("mg", "milligram", "milligrams"),
    "mcg": ("mcg", "µg", "ug", "microgram", "micrograms"),
}
_PER_SPELLINGS = {
    "day": ("/day", "/d", "/24h", "/24 h", " per day", " a day", " daily"),
    "hour": ("/hour", "/h", "/hr", " per hour", " an hour"),
}


def _rate(unit_id: str, dimension: str, factor: float) -> Unit:
    """A mass-per-time unit such as ``mcg/hour``, with every spelling of its two parts."""
    mass, per = unit_id.split("/")
    aliases = tuple(m + p for m in _MASS_SPELLINGS[mass] for p in _PER_SPELLINGS[per])
    return Unit(unit_id, unit_id, dimension, factor, required=True, aliases=aliases)


UNITS: dict[str, Unit] = {
    u.id: u
    for u in (
        Unit("mg", "mg", "mass", 1e-3, required=True, aliases=("milligram", "milligrams")),
        Unit(
            "mcg",
            "mcg",
            "mass",
            1e-6,
            required=True,
            aliases=("µg", "μg", "ug", "microgram", "micrograms"),
        ),
        Unit("g", "g", "mass", 1.0, required=True, aliases=("gram", "grams")),
        _rate("mg/day", "mass/time", 1e-3 / _DAY_S),
        _rate("mcg/day", "mass/time", 1e-6 / _DAY_S),
        _rate("mcg/hour", "mass/time", 1e-6 / _HOUR_S),
        _rate("mg/hour", "mass/time", 1e-3 / _HOUR_S),
        Unit(
            "mL",
            "mL",
            "volume",
            1e-3,
            required=True,
            aliases=("ml", "millilitre", "millilitres", "milliliter", "milliliters", "cc"),
        ),
        Unit(
            "mL/day",
            "mL/day",
            "volume/time",
            1e-3 / _DAY_S,
            required=True,
            aliases=("ml/d", "ml per day", "ml/24h", "ml/24 h", "ml a day"),
        ),
        Unit(
            "mL/min",
            "mL/min",
            "volume/time",
            1e-3 / _MIN_S,
            required=True,
            aliases=("ml/minute", "ml per minute"),
        ),
        Unit("mg/mL", "mg/mL", "concentration", 1.0, required=True, aliases=("mg per ml",)),
        Unit(
            "mcg/mL",
            "mcg/mL",
            "concentration",
            1e-3,
            required=True,
            aliases=("mcg per ml", "µg/ml", "ug/ml"),
        ),
        Unit("day", "days", "time", _DAY_S, required=False, aliases=("d", "day", "days")),
        # "On which day …": day 10 is the tenth day. Written "10", "day 10" or "10 days".
        Unit("day-number", "", "day-number", 1.0, required=False, before="day"),
        Unit(
            "hour",
            "hours",
            "time",
            _HOUR_S,
            required=False,
            aliases=("h", "hr", "hrs", "hour", "hours"),
        ),
        Unit("%", "%", "fraction", 0.01, required=False, aliases=("percent", "per cent")),
        Unit(
            "times",
            "times",
            "ratio",
            1.0,
            required=False,
            aliases=("x", "\N{MULTIPLICATION SIGN}", "fold", "-fold"),
        ),
        Unit("", "", "count", 1.0, required=False),
    )
}


def normalize_unit(text: str) -> str:
    """How a unit is compared: lower case, no spaces, µ/μ as u (``"MCG / Day"`` -> ``mcg/day``)."""
    return re.sub(r"\s+", "", text.strip().lower().replace("µ", "u").replace("μ", "u"))


_SPELLING: dict[str, str] = {}
for _each in UNITS.values():
    for _spelling in _each.spellings():
        if _spelling:
            _SPELLING.setdefault(_spelling, _each.id)


def unit_of_spec(text: str) -> str | None:
    """The :data:`UNITS` id a calculator spec's unit string means, or None if not one of ours."""
    return _SPELLING.get(normalize_unit(text)) if text.strip() else None


def show(value: float, places: int, unit: str) -> str:
    """``0.8 mL/day`` (no-break space); a bare number for a unitless answer."""
    text = format_number(value, places)
    if unit in UNITS and UNITS[unit].before:
        return f"{UNITS[unit].before}\N{NO-BREAK SPACE}{text}"
    label = UNITS[unit].label if unit in UNITS else unit
    if label == "%":
        return f"{text}%"
    return f"{text}\N{NO-BREAK SPACE}{label}" if label else text
