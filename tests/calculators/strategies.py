"""Hypothesis strategies derived from the calculators' input specs.

Every bound, step, choice and integer flag comes from ``calculators.CALCULATORS``: nothing
here retypes a limit. Where a calculator has a cross-field rule (a target that must be a
multiple of the dose granularity, a creatinine range that depends on the unit), the
strategy builds values that satisfy it from the same spec fields, so property tests reach
the arithmetic instead of stopping at validation.

Imported by the test modules as ``strategies`` (``tests/calculators`` is on ``sys.path``
under pytest's default import mode; there is deliberately no ``__init__.py``, which would
make this directory a package called ``calculators`` and shadow the real one).
"""

from __future__ import annotations

import datetime as dt
import math
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from hypothesis import strategies as st

from calculators import CALCULATORS
from calculators import renal as _renal

if TYPE_CHECKING:
    from calculators.spec import Calculator, Field, Group

__all__ = [
    "VALID_INPUTS",
    "arbitrary_inputs",
    "bound_values",
    "creatinine",
    "field_value",
    "grid",
    "junk_values",
    "latest_safe_refill_date",
    "oral_taper_inputs",
    "oral_titration_inputs",
    "renal_inputs",
    "spec_inputs",
]


def _fraction(value: float) -> Fraction:
    """The decimal value as written in the spec (``0.1`` is 1/10)."""
    return Fraction(str(value))


def _as_number(value: Fraction) -> int | float:
    """An int when whole (as a form would send ``60``), else the nearest float."""
    return int(value) if value.denominator == 1 else float(value)


def _step(f: Field) -> Fraction:
    if f.step is not None:
        return _fraction(f.step)
    if f.integer:
        return Fraction(1)
    raise ValueError(f"field {f.name!r} has no step; give it one or extend grid()")


def grid(
    f: Field,
    *,
    multiple_of: Fraction | None = None,
    lo: Fraction | None = None,
    hi: Fraction | None = None,
) -> st.SearchStrategy[int | float]:
    """Values of number field ``f``: on its step, within its bounds (narrowed by ``lo``/``hi``).

    With ``multiple_of``, only values that are also multiples of that amount.
    """
    if f.minimum is None or f.maximum is None:
        raise ValueError(f"field {f.name!r} is unbounded; grid() needs both bounds")
    unit = _step(f)
    if multiple_of is not None:
        # k * step is a multiple of m iff k is a multiple of p, where m / step = p / q.
        unit *= (multiple_of / unit).numerator
    low = max(_fraction(f.minimum), lo) if lo is not None else _fraction(f.minimum)
    high = min(_fraction(f.maximum), hi) if hi is not None else _fraction(f.maximum)
    k_min, k_max = math.ceil(low / unit), math.floor(high / unit)
    if k_min > k_max:
        return st.nothing()
    return st.integers(k_min, k_max).map(lambda k: _as_number(k * unit))


def field_value(f: Field) -> st.SearchStrategy[Any]:
    """Any value the field accepts on its own (a form value, before cross-field rules)."""
    if f.kind == "number":
        value: st.SearchStrategy[Any] = grid(f)
    elif f.kind == "choice":
        value = st.sampled_from([c.value for c in f.choices])
    elif f.kind == "date":
        value = st.dates().map(dt.date.isoformat)
    else:  # pragma: no cover - a new field kind needs a strategy here
        raise ValueError(f"no strategy for field kind {f.kind!r}")
    if not f.required:
        value = st.none() | value
    return value


def spec_inputs(calc: Calculator) -> st.SearchStrategy[dict[str, Any]]:
    """A full input dict, each field drawn from its own spec (cross-field rules ignored).

    A repeated group is a list of items, as many as the group allows, each field from its spec.
    """
    strategies: dict[str, st.SearchStrategy[Any]] = {f.name: field_value(f) for f in calc.fields}
    for group in calc.groups:
        strategies[group.name] = group_items(group)
    return st.fixed_dictionaries(strategies)


def group_items(
    group: Group, item: st.SearchStrategy[dict[str, Any]] | None = None
) -> st.SearchStrategy[list[dict[str, Any]]]:
    """A list of items for ``group``, between its min and max counts (from the spec)."""
    if item is None:
        item = st.fixed_dictionaries({f.name: field_value(f) for f in group.fields})
    return st.lists(item, min_size=group.min_items, max_size=group.max_items)


def flatten_groups(calc: Calculator, values: dict[str, Any]) -> dict[str, Any]:
    """The same inputs with each group's list as ``<group>.<i>.<field>`` strings (the form's)."""
    out = {k: v for k, v in values.items() if k not in {g.name for g in calc.groups}}
    for group in calc.groups:
        for index, item in enumerate(values.get(group.name, [])):
            for name, value in item.items():
                out[group.key(index, name)] = "" if value is None else str(value)
    return out


# --- calculator-specific valid inputs (cross-field rules satisfied) ---------------------------


@st.composite
def oral_titration_inputs(draw: st.DrawFn) -> dict[str, Any]:
    """Inputs oral-titration accepts: target >= start x doses, a multiple of gcd(start, step)."""
    calc = CALCULATORS["oral-titration"]
    values = {
        name: draw(field_value(calc.field(name)))
        for name in ("start_dose_mg", "doses_per_day", "step_mg", "step_days", "formulation")
    }
    start, step = _fraction(values["start_dose_mg"]), _fraction(values["step_mg"])
    granularity = Fraction(
        math.gcd(start.numerator * step.denominator, step.numerator * start.denominator),
        start.denominator * step.denominator,
    )
    target = grid(
        calc.field("target_daily_mg"),
        multiple_of=granularity,
        lo=start * values["doses_per_day"],
    )
    values["target_daily_mg"] = draw(target)
    values["start_date"] = draw(_schedule_start())
    return values


def _schedule_start() -> st.SearchStrategy[str | None]:
    """An optional start date that leaves room for any schedule before 9999-12-31."""
    return st.none() | st.dates(max_value=dt.date(9000, 12, 31)).map(dt.date.isoformat)


@st.composite
def oral_taper_inputs(draw: st.DrawFn) -> dict[str, Any]:
    """Inputs the oral taper accepts: the current daily dose is a multiple of the dose unit."""
    calc = CALCULATORS["oral-taper"]
    values = {
        name: draw(field_value(calc.field(name)))
        for name in ("doses_per_day", "taper_days", "dose_unit_mg")
    }
    current = grid(calc.field("current_daily_mg"), multiple_of=_fraction(values["dose_unit_mg"]))
    values["current_daily_mg"] = draw(current)
    values["start_date"] = draw(_schedule_start())
    return values


def creatinine(unit: str) -> st.SearchStrategy[int | float]:
    """Creatinine values accepted in ``unit``: the field's step, bounds and per-unit range."""
    lo, hi = _renal._CREATININE_RANGE[unit]
    field = CALCULATORS["renal-function"].field("serum_creatinine")
    return grid(field, lo=_fraction(lo), hi=_fraction(hi))


@st.composite
def renal_inputs(draw: st.DrawFn) -> dict[str, Any]:
    """Inputs the renal calculator accepts: creatinine inside the range for its unit."""
    calc = CALCULATORS["renal-function"]
    values = {f.name: draw(field_value(f)) for f in calc.fields if f.name != "serum_creatinine"}
    values["serum_creatinine"] = draw(creatinine(values["creatinine_unit"]))
    return values


def latest_safe_refill_date() -> dt.date:
    """The last refill date whose empty date exists for every pump the spec allows.

    The slowest pump empties after the largest reservoir divided by the smallest daily
    volume (smallest dose at the strongest concentration), all read from the spec.
    """
    calc = CALCULATORS["itb-refill"]
    reservoir = max(c.value for c in calc.field("reservoir_ml").choices)
    concentration = max(c.value for c in calc.field("concentration_mcg_per_ml").choices)
    smallest_dose = calc.field("daily_dose_mcg").minimum
    assert smallest_dose is not None
    longest_days = math.ceil(_fraction(reservoir) * concentration / _fraction(smallest_dose))
    return dt.date.max - dt.timedelta(days=longest_days)


@st.composite
def itb_refill_inputs(draw: st.DrawFn) -> dict[str, Any]:
    """Inputs itb-refill accepts: spec values, with a refill date whose empty date exists."""
    values = draw(spec_inputs(CALCULATORS["itb-refill"]))
    if values["refill_date"] is not None:
        day = draw(st.dates(max_value=latest_safe_refill_date()))
        values["refill_date"] = day.isoformat()
    return values


# --- the pump clinic ------------------------------------------------------------------------


def _quarters(lo: int, hi: int) -> st.SearchStrategy[Fraction]:
    return st.integers(lo, hi).map(lambda q: Fraction(q, 4))


def latest_safe_visit_date() -> dt.date:
    """The last visit date whose new fill's empty date exists for every input the spec allows."""
    calc = CALCULATORS["itb-refill-visit"]
    fill = calc.field("new_fill_ml").maximum
    concentration = max(c.value for c in calc.field("concentration_mcg_per_ml").choices)
    smallest_dose = calc.field("daily_dose_mcg").minimum
    assert fill is not None
    assert smallest_dose is not None
    longest_days = math.ceil(_fraction(fill) * concentration / _fraction(smallest_dose))
    return dt.date.max - dt.timedelta(days=longest_days)


@st.composite
def itb_refill_visit_inputs(draw: st.DrawFn) -> dict[str, Any]:
    """Inputs itb-refill-visit accepts: volumes within the reservoir, visit on or after the fill."""
    calc = CALCULATORS["itb-refill-visit"]
    values = draw(spec_inputs(calc))
    reservoir = _fraction(values["reservoir_ml"])
    after = draw(grid(calc.field("volume_after_last_fill_ml"), hi=reservoir))
    values["volume_after_last_fill_ml"] = after
    values["bolus_volume_ml"] = draw(grid(calc.field("bolus_volume_ml"), hi=_fraction(after)))
    values["aspirated_ml"] = draw(grid(calc.field("aspirated_ml"), hi=reservoir))
    alarm = _fraction(values["alarm_ml"])
    values["new_fill_ml"] = draw(
        grid(calc.field("new_fill_ml"), lo=alarm + Fraction(1, 100), hi=reservoir)
    )
    last = draw(st.dates(max_value=latest_safe_visit_date()))
    visit = draw(st.dates(min_value=last, max_value=latest_safe_visit_date()))
    values["last_fill_date"], values["visit_date"] = last.isoformat(), visit.isoformat()
    return values


@st.composite
def itb_concentration_change_inputs(draw: st.DrawFn) -> dict[str, Any]:
    """Inputs itb-concentration-change accepts: two different concentrations."""
    calc = CALCULATORS["itb-concentration-change"]
    values = draw(spec_inputs(calc))
    choices = [c.value for c in calc.field("new_concentration_mcg_per_ml").choices]
    others = [c for c in choices if c != values["old_concentration_mcg_per_ml"]]
    values["new_concentration_mcg_per_ml"] = draw(st.sampled_from(others))
    return values


@st.composite
def flex_steps(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Steps that fit one 24-hour day without overlapping (quarter hours, any may wrap)."""
    group = CALCULATORS["itb-flex-schedule"].groups[0]
    count = draw(st.integers(group.min_items, group.max_items))
    day = Fraction(24)
    lengths = [draw(_quarters(1, 16)) for _ in range(count)]
    while sum(lengths) > day:
        lengths.pop()
    gaps = [draw(_quarters(0, 8)) for _ in lengths]
    while sum(lengths) + sum(gaps) > day:
        gaps[gaps.index(max(gaps))] = Fraction(0)
    cursor = draw(_quarters(0, 95))
    rate = grid(group.field("rate_mcg_per_hour"))
    steps = []
    for length, gap in zip(lengths, gaps, strict=True):
        steps.append(
            {
                "start_hours": _as_number(cursor % day),
                "duration_hours": _as_number(length),
                "rate_mcg_per_hour": draw(rate),
            }
        )
        cursor += length + gap
    return steps


@st.composite
def itb_flex_schedule_inputs(draw: st.DrawFn) -> dict[str, Any]:
    """Inputs itb-flex-schedule accepts: non-overlapping steps, boluses before 24:00."""
    calc = CALCULATORS["itb-flex-schedule"]
    boluses = calc.groups[1]
    bolus = st.fixed_dictionaries(
        {
            "time_hours": grid(boluses.field("time_hours"), hi=Fraction(95, 4)),
            "dose_mcg": field_value(boluses.field("dose_mcg")),
        }
    )
    return {
        "intended_daily_mcg": draw(field_value(calc.field("intended_daily_mcg"))),
        "steps": draw(flex_steps()),
        "boluses": draw(group_items(boluses, bolus)),
    }


# --- the intrathecal pathway ---------------------------------------------------------------


@st.composite
def itb_oral_wean_inputs(draw: st.DrawFn) -> dict[str, Any]:
    """Inputs itb-oral-wean accepts: the current daily dose is a multiple of the dose unit."""
    calc = CALCULATORS["itb-oral-wean"]
    values = {
        name: draw(field_value(calc.field(name)))
        for name in ("doses_per_day", "step_percent", "step_days", "dose_unit_mg")
    }
    current = grid(calc.field("current_daily_mg"), multiple_of=_fraction(values["dose_unit_mg"]))
    values["current_daily_mg"] = draw(current)
    values["start_date"] = draw(_schedule_start())
    return values


def latest_safe_mismatch_fill_date() -> dt.date:
    """The last fill date whose empty date exists for every input the spec allows."""
    calc = CALCULATORS["itb-concentration-mismatch"]
    fill = calc.field("fill_volume_ml").maximum
    concentration = max(c.value for c in calc.field("programmed_concentration_mcg_per_ml").choices)
    smallest_dose = calc.field("programmed_daily_mcg").minimum
    assert fill is not None
    assert smallest_dose is not None
    longest_days = math.ceil(_fraction(fill) * concentration / _fraction(smallest_dose))
    return dt.date.max - dt.timedelta(days=longest_days)


@st.composite
def itb_concentration_mismatch_inputs(draw: st.DrawFn) -> dict[str, Any]:
    """Inputs itb-concentration-mismatch accepts.

    A fill within the reservoir and above the alarm; a next refill date after the fill date.
    """
    calc = CALCULATORS["itb-concentration-mismatch"]
    values = draw(spec_inputs(calc))
    reservoir = _fraction(values["reservoir_ml"])
    fill = draw(grid(calc.field("fill_volume_ml"), hi=reservoir))
    values["fill_volume_ml"] = fill
    values["alarm_ml"] = draw(
        grid(calc.field("alarm_ml"), hi=min(_fraction(fill) - Fraction(1, 10), Fraction(10)))
    )
    values["fill_date"] = values["next_refill_date"] = None
    if draw(st.booleans()):
        filled = draw(st.dates(max_value=latest_safe_mismatch_fill_date()))
        values["fill_date"] = filled.isoformat()
        if draw(st.booleans()) and filled < dt.date.max:
            refill = draw(st.dates(min_value=filled + dt.timedelta(days=1)))
            values["next_refill_date"] = refill.isoformat()
    return values


VALID_INPUTS: dict[str, st.SearchStrategy[dict[str, Any]]] = {
    "oral-titration": oral_titration_inputs(),
    "oral-taper": oral_taper_inputs(),
    "oral-to-iv": spec_inputs(CALCULATORS["oral-to-iv"]),
    "itb-initial-dose": spec_inputs(CALCULATORS["itb-initial-dose"]),
    "itb-titration": spec_inputs(CALCULATORS["itb-titration"]),
    "itb-refill": itb_refill_inputs(),
    "renal-function": renal_inputs(),
    "itb-refill-visit": itb_refill_visit_inputs(),
    "itb-concentration-change": itb_concentration_change_inputs(),
    "itb-flex-schedule": itb_flex_schedule_inputs(),
    "itb-oral-wean": itb_oral_wean_inputs(),
    "itb-concentration-mismatch": itb_concentration_mismatch_inputs(),
}
"""For each calculator id, inputs it must accept (a result, never an InputError)."""


# --- totality: anything at all -------------------------------------------------------------

_EDGE_VALUES: tuple[object, ...] = (
    "",
    "   ",
    "nan",
    "NaN",
    "-nan",
    "inf",
    "-inf",
    "Infinity",
    "1e999",
    "-1e999",
    "1e-999",
    "0",
    "-0",
    "0x10",
    "1,5",
    "1_0",
    "9999-12-31",
    "0001-01-01",
    "2024-02-30",
    "20240101",
    10**400,
    -(10**400),
    10**5000,
    2**1024,
    float("nan"),
    float("inf"),
    float("-inf"),
    -0.0,
    5e-324,
    1.7976931348623157e308,
)


def bound_values(calc: Calculator) -> list[object]:
    """Values on and just past every number field's bounds, and a factor of 1000 off them."""
    out: list[object] = []
    for f in calc.fields:
        if f.kind != "number" or f.minimum is None or f.maximum is None:
            continue
        step = float(_step(f))
        for bound in (f.minimum, f.maximum):
            out += [bound, bound - step, bound + step, bound * 1000, bound / 1000, str(bound)]
    for f in calc.fields:
        out += [c.value for c in f.choices]
    return out


def junk_values(calc: Calculator) -> st.SearchStrategy[object]:
    """Any JSON-ish value a form, the command line or a careless caller could send."""
    scalars = st.one_of(
        st.text(max_size=12),
        st.floats(),
        st.integers(),
        st.booleans(),
        st.none(),
        st.floats().map(repr),
        st.integers().map(str),
        st.sampled_from(_EDGE_VALUES),
        st.sampled_from(bound_values(calc)),
    )
    return st.one_of(
        scalars,
        st.lists(scalars, max_size=3),
        st.dictionaries(st.text(max_size=4), scalars, max_size=2),
    )


@st.composite
def arbitrary_inputs(draw: st.DrawFn, calc: Calculator) -> dict[Any, object]:
    """An input dict for ``calc``: valid values, some replaced by junk, dropped or added."""
    values: dict[Any, object] = dict(draw(spec_inputs(calc)))
    names = [f.name for f in calc.fields]
    for name in draw(st.lists(st.sampled_from(names), unique=True, max_size=2)):
        values[name] = str(values[name])  # as a form or the command line sends it
    for name in draw(st.lists(st.sampled_from(names), unique=True)):
        values[name] = draw(junk_values(calc))
    for name in draw(st.lists(st.sampled_from(names), unique=True, max_size=2)):
        values.pop(name, None)
    extra = draw(
        st.dictionaries(
            st.text(max_size=8) | st.integers() | st.sampled_from(names),
            junk_values(calc),
            max_size=2,
        )
    )
    values.update(extra)
    if calc.groups:
        values = draw(_junk_groups(calc, values))
    return values


@st.composite
def _junk_groups(draw: st.DrawFn, calc: Calculator, values: dict[Any, object]) -> dict[Any, object]:
    """Repeated groups sent as a list or as flat keys, with junk items, keys and values."""
    for group in calc.groups:
        how = draw(st.sampled_from(["list", "flat", "junk", "absent", "both"]))
        if how == "flat":
            flat = flatten_groups(calc, {group.name: values.pop(group.name, [])})
            for key in draw(st.lists(st.sampled_from(sorted(flat)), unique=True)) if flat else []:
                flat[key] = draw(junk_values(calc))
            values.update(flat)
        elif how == "junk":
            values[group.name] = draw(junk_values(calc))
        elif how == "absent":
            values.pop(group.name, None)
        elif how == "both":
            values[group.key(0, group.fields[0].name)] = "1"
        prefix = st.sampled_from([group.name + ".", f"{group.name}.0.", f"{group.name}.01."])
        odd = draw(st.lists(st.tuples(prefix, st.text(max_size=6)), max_size=2))
        for head, tail in odd:
            values[head + tail] = draw(junk_values(calc))
    return values
