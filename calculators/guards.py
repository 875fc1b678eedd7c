"""Guards the engine applies to every result, after the calculator's own function.

A calculator declares *what* its result holds (:class:`Guards`: which numbers are doses, by
which route and on which basis; which pairs are a change from one dose to another; which
schedule steps down to a stop; which outputs are a givable dose that an untrustworthy input
must withhold). The guards here decide *what is dangerous* once, for every calculator, so a
new calculator inherits them by declaring its doses. Every threshold is a constant carrying its
source key and status (``D`` where it is this site's choice); every warning code belongs to a
hazard in :mod:`calculators.hazards`.

References: schmitz2017 (largest single IV dose studied), boster2016screen (largest screening
bolus), label-gablofen and label-lioresal-it (highest observed intrathecal doses, V2: cautions,
never limits), label-tablets (start and maximum), cmsc2015 (oral reduction steps).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from itertools import pairwise
from typing import Any

from . import constants as K
from ._util import exact, number
from .hazards import DISTRUSTING_CODES
from .spec import Warnings, format_number

__all__ = ["Change", "Dose", "Guards", "Schedule", "Withhold", "apply_guards", "values_at"]

ROUTES = ("oral", "iv", "intrathecal")
BASES = ("single", "daily", "target-daily", "start-daily", "bolus")
_UNITS = {"oral": "mg", "iv": "mg", "intrathecal": "mcg"}
_HOURS_PER_DAY = 24
_MG_TO_MCG = 1000
_SIGNATURE_TOLERANCE = Fraction(1, 10)


@dataclass(frozen=True)
class Dose:
    """One dose in a result, found at ``path`` (see :func:`values_at`).

    ``basis``: ``single`` (one administration), ``daily`` (a 24-hour total), ``start-daily``
    (the first daily total of a new patient's titration) or ``bolus`` (one intrathecal bolus;
    ``daily_total_path`` then names the 24-hour total it is part of). ``child_path`` names a
    value that reads ``child`` when the children's observed range applies.
    """

    path: str
    route: str
    basis: str
    label: str
    child_path: str | None = None
    daily_total_path: str | None = None


@dataclass(frozen=True)
class Change:
    """A change from the dose at ``before`` to the dose at ``after`` (same unit).

    ``ranges`` maps a value of ``range_path`` (an origin) to the constant holding the label's
    usual change range ``(up min, up max, down min, down max)``, where one exists.
    """

    before: str
    after: str
    route: str
    label: str
    range_path: str | None = None
    ranges: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Schedule:
    """Consecutive daily totals at ``path`` (``steps[].daily_mg``), from ``start_path``.

    With ``ends_in_stop`` the last step is the stop (0): the step before it is the last dose.
    ``chosen_cuts`` says the steps follow a cut the user chose (a percentage), so a tenfold
    step is named as a cut that large, not as the signature of a typing slip.
    """

    path: str
    route: str
    label: str
    start_path: str | None = None
    ends_in_stop: bool = False
    chosen_cuts: bool = False


@dataclass(frozen=True)
class Withhold:
    """Outputs that follow from a distrusted input: set to None when such a code fired.

    ``also_codes`` are codes that distrust *this* calculator's input (a guard's caution that
    the typed dose is outside everything observed), beside the register's distrusting codes.
    """

    outputs: tuple[str, ...]
    measure: str
    also_codes: tuple[str, ...] = ()
    # What the reader is told is missing: "No dose is shown" unless the withheld outputs are
    # not doses (a calculator that withholds dates says so; fifth review W1).
    withheld: str = "No dose is shown"


@dataclass(frozen=True)
class Guards:
    """Everything a calculator declares for the guards (see the module docstring)."""

    doses: tuple[Dose, ...] = ()
    changes: tuple[Change, ...] = ()
    schedules: tuple[Schedule, ...] = ()
    withhold: Withhold | None = None
    nonnegative: tuple[str, ...] = ()

    def paths(self) -> list[str]:
        """Every path this declaration reads (a test checks each one resolves)."""
        out = [d.path for d in self.doses]
        out += [p for d in self.doses for p in (d.child_path, d.daily_total_path) if p]
        out += [p for c in self.changes for p in (c.before, c.after, c.range_path) if p]
        out += [p for s in self.schedules for p in (s.path, s.start_path) if p]
        out += list(self.withhold.outputs) if self.withhold else []
        return out + list(self.nonnegative)


def values_at(result: dict[str, Any], path: str) -> list[tuple[str, Any]]:
    """The values at ``path``: ``a.b`` walks dicts, ``a[].b`` every item of a list.

    Returns ``[(where, value), ...]``; ``where`` is ``""`` for a scalar and ``"2"`` (the
    1-based item number) inside a list. A missing key or a None is left out.
    """
    found: list[tuple[str, Any]] = [("", result)]
    for part in path.split("."):
        listed = part.endswith("[]")
        key = part.removesuffix("[]")
        step: list[tuple[str, Any]] = []
        for where, node in found:
            value = node.get(key) if isinstance(node, dict) else None
            if value is None:
                continue
            if listed:
                step += [(str(i + 1), item) for i, item in enumerate(value)]
            else:
                step.append((where, value))
        found = step
    return [(where, value) for where, value in found if value is not None]


def _one(result: dict[str, Any], path: str | None) -> Any:  # noqa: ANN401 - a result value
    if path is None:
        return None
    found = values_at(result, path)
    return found[0][1] if found else None


def _cap(text: str) -> str:
    """``the IV dose`` -> ``The IV dose`` (str.capitalize would lower the rest)."""
    return text[:1].upper() + text[1:]


def _amount(value: object, route: str) -> str:
    return f"{format_number(number(exact(value)), 3)} {_UNITS[route]}"  # type: ignore[arg-type]


def apply_guards(result: dict[str, Any], guards: Guards) -> None:
    """Add the guards' warnings to ``result['warnings']`` and withhold distrusted doses.

    ``result`` is the assembled result (``inputs`` included). A code the calculator already
    raised is not raised twice.
    """
    w = Warnings()
    have = {item["code"] for item in result["warnings"]}
    for dose in guards.doses:
        _dose_ceilings(w, result, dose)
    for change in guards.changes:
        before, after = _one(result, change.before), _one(result, change.after)
        if before is not None and after is not None:
            _change(w, exact(before), exact(after), change, result)
    for schedule in guards.schedules:
        _schedule(w, result, schedule)
    result["warnings"].extend(item for item in w.items if item["code"] not in have)
    if guards.withhold is not None:
        _withhold(result, guards.withhold)
    for key in guards.nonnegative:
        for where, value in values_at(result, key):
            if value < 0:
                raise AssertionError(f"display guard: {key}{where} is negative ({value})")


def _dose_ceilings(w: Warnings, result: dict[str, Any], dose: Dose) -> None:
    found = values_at(result, dose.path)
    if dose.route == "oral" and dose.basis == "single" and found:
        # One message for a schedule's largest single dose, not one per dose.
        _oral_single(w, max(exact(raw) for _, raw in found), dose.label)
        return
    for where, raw in found:
        value = exact(raw)
        label = f"{dose.label} {where}".strip()
        if dose.route == "iv" and dose.basis == "single":
            _iv_single(w, value, label)
        elif dose.route == "iv" and dose.basis == "daily":
            _iv_daily(w, value, label)
        elif dose.route == "oral" and dose.basis in {"daily", "target-daily"}:
            _oral_daily(w, value, label, target=dose.basis == "target-daily")
        elif dose.route == "oral" and dose.basis == "start-daily":
            _oral_start(w, value, label)
        elif dose.route == "intrathecal" and dose.basis == "bolus":
            total = _one(result, dose.daily_total_path)
            _itb_bolus(w, value, label, exact(total) if total is not None else None)
        elif dose.route == "intrathecal" and dose.basis == "daily":
            child = _one(result, dose.child_path) == "child"
            _itb_daily(w, value, label, child=child)


def _iv_single(w: Warnings, value: Fraction, label: str) -> None:
    ceiling = K.IV_LARGEST_SINGLE_DOSE_STUDIED_MG.value
    if value > ceiling:
        minutes = K.IV_INFUSION_MINUTES_STUDIED.value[0]
        w.add(
            "iv-single-dose-above-studied",
            "danger",
            f"{_cap(label)}: {_amount(value, 'iv')} in one intravenous dose is above "
            f"{ceiling} mg, the largest single dose studied (a {minutes}-minute infusion in "
            "healthy volunteers). Nothing is known of the peak, or of its harm, above it; no "
            "repeated-dose intravenous regimen was studied at all. More doses a day give "
            "smaller single doses.",
            *K.IV_LARGEST_SINGLE_DOSE_STUDIED_MG.sources,
        )


def _iv_daily(w: Warnings, value: Fraction, label: str) -> None:
    ceiling = K.IV_LARGEST_SINGLE_DOSE_STUDIED_MG.value
    if value > ceiling:
        w.add(
            "iv-daily-above-studied",
            "caution",
            f"{_cap(label)}, {_amount(value, 'iv')}/day, is more intravenous baclofen in a day "
            f"than any study gave: the largest exposure studied was one {ceiling} mg dose. The "
            "daily total matches the oral exposure by area under the curve, but no repeated "
            "intravenous dosing was studied, and the peaks are higher.",
            *K.IV_LARGEST_SINGLE_DOSE_STUDIED_MG.sources,
        )


def _oral_single(w: Warnings, value: Fraction, label: str) -> None:
    largest = Fraction(K.ORAL_MAX_DAILY_MG_US.value, K.ORAL_MAX_DOSES_PER_DAY.value)
    far = largest * K.ORAL_START_DANGER_MULTIPLE.value
    if value > far:
        w.add(
            "single-dose-far-above-label",
            "danger",
            f"{_cap(label)}: single doses of {_amount(value, 'oral')}, more than "
            f"{K.ORAL_START_DANGER_MULTIPLE.value} times the US label's largest single dose "
            f"({format_number(number(largest))} mg; this site's threshold). Check the daily "
            "total and the number of doses a day: more doses a day give smaller ones.",
            *K.ORAL_MAX_DAILY_MG_US.sources,
            *K.ORAL_START_DANGER_MULTIPLE.sources,
        )
        return
    if value > largest:
        w.add(
            "single-dose-above-label",
            "caution",
            f"{_cap(label)}: single doses of {_amount(value, 'oral')}; the US label's largest "
            f"single dose is {format_number(number(largest))} mg "
            f"({format_number(number(largest))} mg {K.ORAL_MAX_DOSES_PER_DAY.value} times a day "
            f"= {K.ORAL_MAX_DAILY_MG_US.value} mg/day). More doses a day give smaller ones.",
            *K.ORAL_MAX_DAILY_MG_US.sources,
        )


def _oral_daily(w: Warnings, value: Fraction, label: str, *, target: bool = False) -> None:
    uk = K.ORAL_MAX_DAILY_MG_UK_AU.value
    if target and value > uk:
        # Danger: a dose to aim for above every label this site holds (a current dose above it
        # stays a caution: the patient already takes it, and stopping it is the harm).
        w.add(
            "oral-target-above-every-label",
            "danger",
            f"{_cap(label)}, {_amount(value, 'oral')}/day, is above every oral label this site "
            f"holds: the US maximum of {K.ORAL_MAX_DAILY_MG_US.value} mg/day and the UK and "
            f"Australian {uk} mg/day (seen in reproductions). No source here supports aiming "
            "for it; sedation, weakness and, with reduced kidney function, toxicity.",
            *K.ORAL_MAX_DAILY_MG_US.sources,
            *K.ORAL_MAX_DAILY_MG_UK_AU.sources,
        )
        return
    if value > K.ORAL_MAX_DAILY_MG_US.value:
        uk = K.ORAL_MAX_DAILY_MG_UK_AU.value
        w.add(
            "above-us-maximum",
            "caution",
            f"{_cap(label)}, {_amount(value, 'oral')}/day, is above the US labelled "
            f"maximum of {K.ORAL_MAX_DAILY_MG_US.value} mg/day"
            + (
                f" and above {uk} mg/day, the UK and Australian maximum (seen in "
                "reproductions): a dose outside every label this site holds."
                if value > uk
                else f" ({uk} mg/day is the UK and Australian maximum, seen in reproductions; "
                "in the US such a dose is off-label)."
            ),
            *K.ORAL_MAX_DAILY_MG_US.sources,
            *K.ORAL_MAX_DAILY_MG_UK_AU.sources,
        )


def _oral_start(w: Warnings, value: Fraction, label: str) -> None:
    label_start = K.ORAL_START_DOSE_MG.value * K.ORAL_START_DOSES_PER_DAY.value
    limit = label_start * K.ORAL_START_DANGER_MULTIPLE.value
    if value > limit:
        w.add(
            "oral-start-far-above-label",
            "danger",
            f"{_cap(label)}, {_amount(value, 'oral')}/day, is more than "
            f"{K.ORAL_START_DANGER_MULTIPLE.value} times the label's starting daily dose "
            f"({K.ORAL_START_DOSE_MG.value} mg {K.ORAL_START_DOSES_PER_DAY.value} times a day = "
            f"{label_start} mg/day; this site's threshold). For a patient new to baclofen this "
            "skips the label's gradual climb: drowsiness, dizziness, weakness and falls are "
            "likely. If the patient already takes this dose, this schedule is not the tool: "
            "nothing needs titrating.",
            *K.ORAL_START_DANGER_MULTIPLE.sources,
        )


def _itb_bolus(w: Warnings, value: Fraction, label: str, total: Fraction | None) -> None:
    ceiling = K.ITB_LARGEST_SCREENING_BOLUS_MCG.value
    if value <= ceiling:
        half = K.ITB_MIN_BOLUS_SHARE_CAUTION.value
        if total and value >= half * total:
            w.add(
                "itb-bolus-half-of-day",
                "caution",
                f"{_cap(label)}: a single intrathecal bolus of {_amount(value, 'intrathecal')} "
                f"is {format_number(number(value / total * 100, 0))}% of the 24-hour total "
                f"(this site's threshold: {format_number(number(half * 100))}% or more). The "
                "label reports an overdose after a 25 mcg bolus in a sensitive adult: check "
                "that the bolus is meant, and that a daily dose was not typed as a bolus.",
                *K.ITB_MIN_BOLUS_SHARE_CAUTION.sources,
            )
        return
    share = K.ITB_BOLUS_DAILY_SHARE_DANGER.value
    text = (
        f"{_cap(label)}: a single intrathecal bolus of {_amount(value, 'intrathecal')} "
        f"is above {ceiling} mcg, the largest screening bolus (50, 75, then 100 mcg). The "
        "label reports an overdose in a sensitive adult after a 25 mcg bolus."
    )
    if total and value >= share * total and value > 2 * ceiling:
        w.add(
            "itb-bolus-large-share",
            "danger",
            text + f" It is more than twice that, and "
            f"{format_number(number(value / total * 100, 0))}% of the 24-hour total (this "
            f"site's threshold: over {2 * ceiling} mcg and {format_number(number(share * 100))}% "
            "or more): check that a daily dose was not typed as a bolus, and mg as mcg.",
            *K.ITB_LARGEST_SCREENING_BOLUS_MCG.sources,
            *K.ITB_BOLUS_DAILY_SHARE_DANGER.sources,
            "label-gablofen",
        )
    else:
        w.add(
            "itb-bolus-above-screening",
            "caution",
            text + " Check the bolus is meant.",
            *K.ITB_LARGEST_SCREENING_BOLUS_MCG.sources,
            "label-gablofen",
        )


def _itb_daily(w: Warnings, value: Fraction, label: str, *, child: bool) -> None:
    sources = (K.ITB_OBSERVED_CHILD_MAX_MCG if child else K.ITB_OBSERVED_SPINAL_RANGE_MCG).sources
    highest = (
        K.ITB_OBSERVED_CHILD_MAX_MCG.value if child else K.ITB_OBSERVED_SPINAL_RANGE_MCG.value[1]
    )
    who = "in children under 12" if child else "(spinal origin, the highest of any group)"
    if value > highest:
        w.add(
            "itb-daily-above-observed",
            "caution",
            f"{_cap(label)}, {_amount(value, 'intrathecal')}/day, is above the highest "
            f"daily dose observed {who}, {highest} mcg/day (label figures seen in handbooks: a "
            "caution, not a limit). Check the figure, its unit (mcg, not mg) and its basis "
            "(per day, not per hour).",
            *sources,
        )
    lowest = (
        K.ITB_MAINTENANCE_CHILD_MCG.value[0] if child else K.ITB_OBSERVED_SPINAL_RANGE_MCG.value[0]
    )
    if value < lowest:
        w.add(
            "itb-daily-below-observed",
            "caution",
            f"{_cap(label)}, {_amount(value, 'intrathecal')}/day, is below the lowest "
            f"daily dose observed{' in children' if child else ''}, {lowest} mcg/day (label "
            "figures seen in handbooks). Was a "
            "per-hour rate typed as a daily dose, or mg as mcg?",
            *K.ITB_OBSERVED_SPINAL_RANGE_MCG.sources,
        )


def _signature(ratio: Fraction) -> str:
    """Name the slip a large ratio looks like: x24 (per hour/per day) or x1000 (mg/mcg)."""
    size = ratio if ratio >= 1 else 1 / ratio
    for factor, name in (
        (_HOURS_PER_DAY, "a per-hour figure read as per day, or the reverse"),
        (_MG_TO_MCG, "mg typed as mcg, or the reverse"),
    ):
        if abs(size / factor - 1) <= _SIGNATURE_TOLERANCE:
            return f" A factor of about {factor} is the signature of {name}."
    return " That is the signature of a decimal-point or unit slip."


def _change(
    w: Warnings,
    before: Fraction,
    after: Fraction,
    change: Change,
    result: dict[str, Any],
    *,
    slip: bool = True,
) -> None:
    if before <= 0 or after <= 0 or before == after:
        return
    ratio = after / before
    factor = K.CHANGE_TENFOLD_FACTOR.value
    unit = _UNITS[change.route]
    shown = (
        f"{_cap(change.label)}: from {format_number(number(before), 3)} to "
        f"{format_number(number(after), 3)} {unit}"
    )
    if ratio >= factor or ratio <= Fraction(1, factor):
        direction = "up" if ratio > 1 else "down"
        w.add(
            "change-tenfold",
            "danger",
            f"{shown}, {format_number(number(ratio if ratio > 1 else 1 / ratio, 1))} times "
            f"{direction} in one step (this site's threshold: {factor} times)."
            + (_signature(ratio) if slip else "")
            + (
                " A cut this large is an abrupt stop: withdrawal risk."
                if ratio < 1
                else " Check for an overdose before acting."
            ),
            *K.CHANGE_TENFOLD_FACTOR.sources,
            *(("label-gablofen",) if change.route == "intrathecal" else ()),
        )
        return
    if change.range_path is None:
        return
    origin = _one(result, change.range_path)
    names = dict(change.ranges)
    if origin not in names:
        return
    constant = K.CONSTANTS[names[origin]]
    up_lo, up_hi, down_lo, down_hi = (exact(v) for v in constant.value)
    step = ratio - 1

    def pct(value: Fraction) -> str:
        return f"{format_number(number(value * 100, 1))}%"

    ranges = (
        f"{origin} origin: +{pct(up_lo)} to +{pct(up_hi)} or -{pct(down_lo)} to -{pct(down_hi)}"
    )
    inside = (up_lo <= step <= up_hi) or (down_lo <= -step <= down_hi)
    text = f"{shown} ({'+' if step > 0 else ''}{pct(step)})"
    far = K.REFILL_CHANGE_DANGER_FACTOR.value
    if ratio > far or ratio < Fraction(1, far):
        w.add(
            "dose-change-far-outside-label-range",
            "danger",
            f"{text} is far outside the label's usual changes at refills ({ranges}; label "
            f"figures seen in handbooks): beyond {far} times or below 1/{far} of the dose (this "
            "site's threshold). That is the signature of a decimal slip (180 typed as 1800, "
            "220 as 22) "
            + (
                "or a large overdose: check the prescription before programming."
                if step > 0
                else "or an abrupt cut: withdrawal risk. Check the prescription."
            ),
            *K.REFILL_CHANGE_DANGER_FACTOR.sources,
        )
    elif inside:
        w.add(
            "dose-change-within-label-range",
            "info",
            f"{text} is within the label's usual changes at refills ({ranges}; label figures "
            "seen in handbooks).",
            *constant.sources,
        )
    else:
        w.add(
            "dose-change-outside-label-range",
            "caution",
            f"{text} is outside the label's usual changes at refills ({ranges}; label figures "
            "seen in handbooks: a caution, not a limit). "
            + (
                "A larger increase risks overdose: observe the patient after it."
                if step > 0
                else "A larger reduction risks withdrawal."
            ),
            *constant.sources,
        )


def _schedule(w: Warnings, result: dict[str, Any], schedule: Schedule) -> None:
    totals = [exact(v) for _, v in values_at(result, schedule.path)]
    start = _one(result, schedule.start_path)
    chain = ([exact(start)] if start is not None else []) + totals
    if schedule.ends_in_stop and chain and chain[-1] == 0:
        last = chain[-2] if len(chain) > 1 else None
        chain = chain[:-1]
        limit = K.TAPER_LAST_DAILY_CAUTION_MG.value
        high = limit * K.ORAL_START_DANGER_MULTIPLE.value
        if last is not None and last > high:
            w.add(
                "taper-stop-from-high-dose",
                "danger",
                f"{_cap(schedule.label)}: the last daily dose before the stop is "
                f"{_amount(last, schedule.route)}/day, more than "
                f"{K.ORAL_START_DANGER_MULTIPLE.value} times the label's starting daily dose "
                f"({limit} mg/day; this site's threshold). "
                "Stopping from it is an abrupt stop: withdrawal (hallucinations, seizures, "
                "high fever, rebound spasticity). A more gradual schedule ends lower.",
                *K.ORAL_START_DANGER_MULTIPLE.sources,
            )
        elif last is not None and last > limit:
            w.add(
                "taper-last-dose-large",
                "caution",
                f"{_cap(schedule.label)}: the last daily dose before the stop is "
                f"{_amount(last, schedule.route)}/day, above {limit} mg/day, the label's "
                "starting daily dose (this site's threshold): stopping from it is an abrupt "
                "stop of that dose. A more gradual schedule, or a smaller dose unit, ends lower.",
                *K.TAPER_LAST_DAILY_CAUTION_MG.sources,
            )
    cut = K.ORAL_REDUCTION_STEP_CAUTION_FRACTION.value
    label_step = K.ORAL_STEP_MG.value * K.ORAL_START_DOSES_PER_DAY.value
    big_step = label_step * K.ORAL_START_DANGER_MULTIPLE.value
    for index, (before, after) in enumerate(pairwise(chain)):
        step = Change("", "", schedule.route, f"{_cap(schedule.label)}, step {index + 1}")
        _change(w, before, after, step, result, slip=not schedule.chosen_cuts)
        if schedule.route == "oral" and after - before > big_step:
            w.add(
                "oral-step-far-above-label",
                "danger",
                f"{_cap(schedule.label)}, step {index + 1}: from {_amount(before, 'oral')}/day "
                f"to {_amount(after, 'oral')}/day adds {_amount(after - before, 'oral')}/day "
                f"at once, more than {K.ORAL_START_DANGER_MULTIPLE.value} times the label's "
                f"step (+{label_step} mg/day every {K.ORAL_STEP_DAYS.value} days; this site's "
                "threshold). It skips the gradual climb: drowsiness, weakness and falls.",
                *K.ORAL_START_DANGER_MULTIPLE.sources,
            )
        if schedule.route == "oral" and before > 0 and (before - after) / before > cut:
            w.add(
                "reduction-step-large",
                "caution",
                f"{_cap(schedule.label)}, step {index + 1}: from "
                f"{_amount(before, 'oral')}/day to {_amount(after, 'oral')}/day cuts "
                f"{format_number(number((before - after) / before * 100, 0))}% at once, more "
                f"than {format_number(number(cut * 100))}% (this site's threshold; CMSC 2015 "
                "cuts oral baclofen by 25-50% at one time). Withdrawal risk: a longer taper or "
                "a smaller cut gives smaller steps.",
                *K.ORAL_REDUCTION_STEP_CAUTION_FRACTION.sources,
            )


def _withhold(result: dict[str, Any], withhold: Withhold) -> None:
    distrusting = DISTRUSTING_CODES | set(withhold.also_codes)
    fired = [item["code"] for item in result["warnings"] if item["code"] in distrusting]
    shown = [key for key in withhold.outputs if result.get(key) is not None]
    if not fired or not shown:
        return
    for key in withhold.outputs:
        result[key] = [] if isinstance(result.get(key), list) else None
    w = Warnings()
    w.add(
        "dose-withheld",
        "caution",
        withhold.withheld
        + ": the cautions above ("
        + ", ".join(dict.fromkeys(fired))
        + ") say this input or estimate cannot be trusted as it stands. "
        + withhold.measure,
    )
    result["warnings"].extend(w.items)
