"""The intrathecal pump clinic: the refill visit, a concentration change, flexible schedules.

The arithmetic is this site's own (status D in the evidence base, "Our arithmetic"), shown
step by step in each result; the figures it is compared with carry their sources.

References: boster2016, maino2017, wesemann2014, pocketfill2011, ismp-flex, label-gablofen,
label-lioresal-it, neurosurgery2004, medtronic-pump.
"""

from __future__ import annotations

import datetime as dt
import math
from fractions import Fraction
from typing import Any

from . import constants as K
from ._util import exact, fail, number, significant
from .guards import Change, Dose, Guards
from .intrathecal import (
    _DOSE_HELP,
    _PLAUSIBLE_MAX_MCG_PER_DAY,
    alarm_field,
    alarm_warnings,
    concentration_field,
    refill_interval_warnings,
    reservoir_field,
)
from .spec import (
    Calculator,
    Choice,
    Column,
    Field,
    FieldError,
    Group,
    InputError,
    Output,
    Table,
    Warnings,
    as_given,
    format_number,
)

__all__ = ["CONCENTRATION_CHANGE", "FLEX_SCHEDULE", "REFILL_VISIT"]

_HOURS_PER_DAY = 24
_MAX_RESERVOIR_ML = max(K.PUMP_RESERVOIR_ML.value)
_EMERGENCIES = "See the emergencies page for what to do now."

_BOSTER_BRIDGE = (
    'Boster 2016: "A higher concentration at refill can extend refill intervals, and a bridge '
    'bolus must be programmed."'
)


def _ml(value: Fraction) -> str:
    return f"{format_number(significant(value), 6)} mL"


def _mcg(value: Fraction) -> str:
    return f"{format_number(number(value, 1))} mcg"


def _pct(value: Fraction) -> str:
    return f"{format_number(number(value * 100, 1))}%"


_MINUTES_PER_HOUR = 60
_SHOWN_PLACES = 6


def _small(value: Fraction) -> str:
    """A small positive amount, two significant figures, never shown as ``0``."""
    text = format_number(significant(value, 2), _SHOWN_PLACES)
    return f"less than {10**-_SHOWN_PLACES:.{_SHOWN_PLACES}f}" if text == "0" else text


def _duration(days: Fraction) -> str:
    """``9 hours``; under an hour ``about 3 minutes (0.05 h)``: never ``0`` for a real time."""
    hours = days * _HOURS_PER_DAY
    if hours >= 1:
        return f"{format_number(number(hours, 1))} hours"
    minutes = hours * _MINUTES_PER_HOUR
    return (
        f"about {format_number(significant(minutes, 2), 2)} minutes "
        f"({format_number(significant(hours, 2), 6)} h)"
    )


def _date(start: dt.date, days: Fraction | int, field: str, label: str) -> str:
    """``start`` plus the whole days in ``days`` (ISO), or an InputError past 9999-12-31."""
    whole = max(0, math.floor(days))
    try:
        return (start + dt.timedelta(days=whole)).isoformat()
    except OverflowError:
        latest = dt.date.max - dt.timedelta(days=whole)
        raise fail(
            field,
            f"{label} must be no later than {latest.isoformat()}, so that the date {whole} days "
            f"later is a real date (got {start.isoformat()})",
        ) from None


def _check(errors: list[FieldError], ok: bool, field: str, message: str) -> None:  # noqa: FBT001
    if not ok:
        errors.append(FieldError(field, message))


# --- itb-refill-visit -----------------------------------------------------------------------


def itb_refill_visit(  # noqa: PLR0915 - one argument per form field, checked in turn
    *,
    reservoir_ml: int,
    pump_volume_kind: str,
    volume_after_last_fill_ml: float,
    last_fill_date: str,
    visit_date: str,
    daily_dose_mcg: float,
    concentration_mcg_per_ml: int,
    dosing_mode: str,
    bolus_volume_ml: float,
    aspirated_ml: float,
    new_fill_ml: float,
    alarm_ml: float,
    origin: str,  # noqa: ARG001 - read by the change guard (inputs.origin), not here
    new_daily_dose_mcg: float | None = None,
) -> dict[str, Any]:
    """The refill visit: expected residual volume, the discrepancy, and the new fill's dates.

    ``expected residual = volume after the last fill - (daily dose / concentration) x days
    elapsed - bolus volumes`` (mL; status D). The discrepancy is the aspirated volume minus
    the expected residual: negative when more drug is missing from the reservoir than the
    programme delivered. A shortfall is flagged above this site's threshold (more than 0.2 mL
    and 5% of the volume delivered: a caution; more than 0.5 mL and 20%: a danger), since a
    normal pump delivers on average 2.5% more than programmed (wesemann2014); maino2017's
    figures are quoted only for what they measured (right after a refill). The new fill then
    lasts ``(new fill - alarm volume) / new daily volume`` days to the alarm.

    References: maino2017, wesemann2014, pocketfill2011, neurosurgery2004, boster2016,
    label-gablofen, label-lioresal-it (maintenance changes, V2: information, not limits).
    """
    errors: list[FieldError] = []
    limit = f"the reservoir, {reservoir_ml} mL"
    _check(
        errors,
        volume_after_last_fill_ml <= reservoir_ml,
        "volume_after_last_fill_ml",
        f"Volume after the last fill must be at most {limit} "
        f"(got {as_given(volume_after_last_fill_ml)})",
    )
    _check(
        errors,
        bolus_volume_ml <= volume_after_last_fill_ml,
        "bolus_volume_ml",
        f"Bolus volumes must be at most the volume after the last fill, "
        f"{format_number(volume_after_last_fill_ml, 6)} mL "
        f"(got {as_given(bolus_volume_ml)})",
    )
    _check(
        errors,
        aspirated_ml <= reservoir_ml,
        "aspirated_ml",
        f"Volume aspirated must be at most {limit} (got {as_given(aspirated_ml)})",
    )
    _check(
        errors,
        alarm_ml < reservoir_ml,
        "alarm_ml",
        f"Low-reservoir alarm volume must be less than {limit} (got {as_given(alarm_ml)})",
    )
    _check(
        errors,
        alarm_ml < new_fill_ml <= reservoir_ml,
        "new_fill_ml",
        f"New fill volume must be more than the alarm volume, {format_number(alarm_ml)} mL, and "
        f"at most {limit} (got {as_given(new_fill_ml)})",
    )
    last = dt.date.fromisoformat(last_fill_date)
    visit = dt.date.fromisoformat(visit_date)
    _check(
        errors,
        visit >= last,
        "visit_date",
        f"Visit date must be on or after the last fill date, {last_fill_date} (got {visit_date})",
    )
    if errors:
        raise InputError(errors)

    days = Fraction((visit - last).days)
    concentration = Fraction(concentration_mcg_per_ml)
    daily_ml = exact(daily_dose_mcg) / concentration
    after = exact(volume_after_last_fill_ml)
    bolus = exact(bolus_volume_ml)
    programmed_ml = daily_ml * days
    delivered = programmed_ml + bolus
    expected = after - programmed_ml - bolus
    aspirated = exact(aspirated_ml)
    # A programme cannot leave less than nothing: past empty the expected residual is 0.
    expected_floor = max(expected, Fraction(0))
    discrepancy = aspirated - expected_floor

    new_dose = (
        exact(new_daily_dose_mcg) if new_daily_dose_mcg is not None else exact(daily_dose_mcg)
    )
    new_daily_ml = new_dose / concentration
    usable = exact(new_fill_ml) - exact(alarm_ml)
    days_to_alarm = usable / new_daily_ml
    days_to_empty = exact(new_fill_ml) / new_daily_ml
    alarm_date = _date(visit, days_to_alarm, "visit_date", "Visit date")
    empty_date = _date(visit, days_to_empty, "visit_date", "Visit date")

    w = Warnings()
    if expected < 0:
        dry_days = (after - bolus) / daily_ml
        w.add(
            "reservoir-empty-before-visit",
            "danger",
            f"By the programme the reservoir would have been empty after "
            f"{format_number(number(dry_days, 1))} days (about "
            f"{_date(last, dry_days, 'last_fill_date', 'Last fill date')}), "
            f"{format_number(number(days - dry_days, 1))} days before this visit: the patient may "
            "have gone without the drug. The label's boxed warning: do not discontinue "
            f"intrathecal baclofen abruptly. {_EMERGENCIES}",
            "label-gablofen",
        )
    elif expected < exact(alarm_ml):
        alarm_day = (after - bolus - exact(alarm_ml)) / daily_ml
        w.add(
            "alarm-before-visit",
            "caution",
            f"The expected residual, {_ml(expected)}, is below the "
            f"{format_number(alarm_ml)} mL alarm volume: by the programme the low-reservoir "
            f"alarm sounded on about {_date(last, alarm_day, 'last_fill_date', 'Last fill date')}. "
            "Ask whether it was heard.",
            *K.PUMP_ALARM_ML_DEFAULT.sources,
        )
    threshold = _discrepancy_warnings(
        w,
        discrepancy=discrepancy,
        delivered=delivered,
        expected=expected,
        expected_floor=expected_floor,
        aspirated=aspirated,
        alarm_ml=alarm_ml,
    )
    if aspirated <= exact(alarm_ml) and expected >= 0:
        # Danger: a reservoir found at or below its alarm volume is the label's "low volume in
        # the pump reservoir", a common cause of withdrawal, whatever the programme predicted.
        w.add(
            "residual-at-or-below-alarm",
            "danger",
            f"Only {_ml(aspirated)} was aspirated, at or below the {format_number(alarm_ml)} mL "
            "alarm volume: the reservoir ran low before this visit. Assess the patient for "
            "withdrawal now (itching, low blood pressure, pins and needles, the old spasticity "
            "returning). If delivery was interrupted, restart with care: the label warns of "
            f"overdose when therapy is re-introduced after an interruption. {_EMERGENCIES}",
            "label-gablofen",
            *K.PUMP_WITHDRAWAL_RESIDUAL_ML.sources,
        )
    if pump_volume_kind == "measured":
        small = K.REFILL_DISCREPANCY_20_ML_PUMP_ML.value
        big = K.REFILL_DISCREPANCY_40_ML_PUMP_ML.value
        w.add(
            "maino-at-refill-only",
            "info",
            f"Maino 2017's figures (more than {small} mL in 20 mL pumps, {big} mL in 40 mL "
            "pumps, 'potentially consequential') compare the volume injected with the volume a "
            "fill-level sensor measures right after a refill, to catch a pocket fill at that "
            "refill. They are not a tolerance for the residual at the next visit, which this "
            "calculator compares with this site's threshold.",
            *K.REFILL_DISCREPANCY_20_ML_PUMP_ML.sources,
        )
    dose_change = None
    if new_daily_dose_mcg is not None:
        dose_change = _dose_change_percent(exact(daily_dose_mcg), new_dose)
    alarm_warnings(w, alarm_ml=alarm_ml)
    refill_interval_warnings(w, days_to_alarm=days_to_alarm)

    formula = (
        f"{_ml(after)} after the last fill - {format_number(significant(daily_ml), 6)} mL/day "
        f"({format_number(daily_dose_mcg)} mcg/day / {concentration_mcg_per_ml} mcg/mL) x "
        f"{int(days)} days - {_ml(bolus)} of boluses = {_ml(expected)}"
        + (", so the reservoir is expected empty (0 mL)" if expected < 0 else "")
    )
    mode_label = next(c.label for c in _MODES if c.value == dosing_mode)
    return {
        "days_since_fill": int(days),
        "daily_volume_ml": significant(daily_ml),
        "delivered_ml": significant(delivered),
        "expected_residual_ml": significant(expected_floor),
        "expected_formula": formula,
        "discrepancy_ml": significant(discrepancy),
        "discrepancy_percent": number(discrepancy / delivered * 100, 1) if delivered else None,
        "flag_threshold_ml": significant(threshold),
        "new_daily_dose_mcg": number(new_dose, 1),
        "dose_change_percent": dose_change,
        "new_daily_volume_ml": significant(new_daily_ml),
        "days_to_alarm": number(days_to_alarm, 1),
        "alarm_date": alarm_date,
        "days_to_empty": number(days_to_empty, 1),
        "empty_date": empty_date,
        "card": {
            "daily_dose_mcg": number(new_dose, 1),
            "concentration_mcg_per_ml": concentration_mcg_per_ml,
            "mode": mode_label,
            "refill_date": visit_date,
            "alarm_date": alarm_date,
        },
        "warnings": w.items,
        "notes": [
            (
                "Discrepancy = volume aspirated - expected residual: negative when more drug "
                "is missing from the reservoir than the programme delivered."
            ),
            (
                "The percentage is of the volume delivered since the last fill (programme "
                "and boluses)."
            ),
            (
                "Dates count whole days from the visit (day 0); the new fill keeps the same "
                "concentration (for a new one, see the concentration change calculator)."
            ),
        ],
    }


def _discrepancy_warnings(
    w: Warnings,
    *,
    discrepancy: Fraction,
    delivered: Fraction,
    expected: Fraction,
    expected_floor: Fraction,
    aspirated: Fraction,
    alarm_ml: float,
) -> Fraction:
    """Grade the residual against the expected; return the caution threshold (mL).

    This site's thresholds (status D). References: wesemann2014, maino2017, pocketfill2011,
    label-gablofen.
    """
    floor_ml, fraction = (
        K.REFILL_SHORTFALL_CAUTION_ML.value,
        K.REFILL_SHORTFALL_CAUTION_FRACTION.value,
    )
    threshold = max(Fraction(floor_ml), fraction * delivered)
    large_floor, large_fraction = (
        K.REFILL_SHORTFALL_DANGER_ML.value,
        K.REFILL_SHORTFALL_DANGER_FRACTION.value,
    )
    large = max(Fraction(large_floor), large_fraction * delivered)
    reference = (
        f"this site's threshold: more than {format_number(float(floor_ml))} mL and more than "
        f"{_pct(fraction)} of the {_ml(delivered)} delivered since the last fill. A normal "
        f"pump delivers on average {_pct(K.PUMP_ACCURACY_PER_REFILL_FRACTION.value)} more "
        "than programmed (Wesemann 2014), so a residual slightly below the expected is normal"
    )
    threshold_sources: tuple[str, ...] = K.REFILL_SHORTFALL_CAUTION_FRACTION.sources

    size = abs(discrepancy)
    refill_now = (
        "Do not delay the refill of a nearly empty pump (withdrawal risk): at this refill, "
        "aspirate the residual first to confirm the needle is in the reservoir, never inject "
        "through the catheter access port, consider template or ultrasound guidance, and "
        "observe the patient afterwards."
    )
    if discrepancy < 0 and size > large:
        w.add(
            "residual-far-below-expected",
            "danger",
            f"{_ml(size)} less was aspirated than the {_ml(expected_floor)} expected, more than "
            f"{_ml(large)} (this site's threshold for a large shortfall: more than "
            f"{format_number(float(large_floor))} mL and {_pct(large_fraction)} of the volume "
            "delivered). Much more drug has left the reservoir than the programme delivered: "
            "some may have gone into the pump pocket at the last fill (a pocket fill: the "
            f"manufacturer had {K.POCKET_FILL_REPORTS.value} reports, "
            f"{K.POCKET_FILL_DEATHS.value} of them lethal), the catheter may leak, or the "
            "records are wrong. Check the patient now for signs of overdose and interrogate "
            f"the pump. {refill_now} {_EMERGENCIES}",
            *K.REFILL_SHORTFALL_DANGER_FRACTION.sources,
            *K.POCKET_FILL_REPORTS.sources,
        )
    elif discrepancy < 0 and size > threshold:
        w.add(
            "residual-below-expected",
            "caution",
            f"{_ml(size)} less was aspirated than the {_ml(expected_floor)} expected, more than "
            f"{_ml(threshold)} ({reference}). Check the records (dose, dates, boluses, the last "
            "fill volume) and the patient for signs of overdose; a pocket fill at the last "
            f"refill or a catheter leak are the causes to rule out. {refill_now}",
            *threshold_sources,
            *K.POCKET_FILL_REPORTS.sources,
        )
    elif discrepancy > 0 and size > large:
        w.add(
            "residual-far-above-expected",
            "danger",
            f"{_ml(size)} more was aspirated than the {_ml(expected_floor)} expected, more than "
            f"{_ml(large)} (this site's threshold for a large difference: more than "
            f"{format_number(float(large_floor))} mL and {_pct(large_fraction)} of the volume "
            "delivered). Much less drug left the reservoir than programmed: the pump may have "
            "stalled or the catheter may be blocked, so the patient may be going without "
            "intrathecal baclofen now. Check the patient for signs of withdrawal, interrogate "
            f"the pump and its log, and evaluate the catheter before relying on this fill. "
            f"{_EMERGENCIES}",
            *K.REFILL_SHORTFALL_DANGER_FRACTION.sources,
            "label-gablofen",
        )
    elif size > threshold:
        w.add(
            "residual-above-expected",
            "caution",
            f"{_ml(size)} more was aspirated than the {_ml(expected_floor)} expected, more than "
            f"{_ml(threshold)} ({reference}). Less drug left the reservoir than programmed: "
            "the catheter may be occluded or the pump may have stalled (interrogate the pump "
            "and its log; evaluate the catheter), or the records are wrong. Check the patient "
            f"for signs of withdrawal. {_EMERGENCIES}",
            *threshold_sources,
            "label-gablofen",
        )
    elif expected >= 0 and aspirated > exact(alarm_ml):
        w.add(
            "discrepancy-within-reference",
            "info",
            f"The discrepancy, {_ml(size)}, is not more than {_ml(threshold)} ({reference}). "
            "A residual in range does not exclude a catheter leak or disconnection: the drug "
            "then leaves the reservoir as programmed but does not reach the spinal fluid. "
            "Loss of effect still calls for a catheter check.",
            *threshold_sources,
            "label-gablofen",
        )
    return threshold


def _dose_change_percent(old: Fraction, new: Fraction) -> float | int:
    """The dose change at the visit, in percent (the guards judge it)."""
    return number((new - old) / old * 100, 1)


# --- itb-concentration-change ---------------------------------------------------------------


def itb_concentration_change(
    *,
    daily_dose_mcg: float,
    old_concentration_mcg_per_ml: int,
    new_concentration_mcg_per_ml: int,
    bridge: str,
    fluid_path_ml: float | None = None,
) -> dict[str, Any]:
    """What the patient receives after a concentration change, with and without a bridge.

    Until the fluid path (volume ``V``, user-entered) has been pushed out, an unbridged pump
    delivers the old drug at the new volume rate: ``dose x C_old / C_new`` per day, for
    ``V / (dose / C_new)`` days (status D). A bridge bolus pushes the old drug out at its own
    rate, so the dose stays the same; it lasts ``V / (dose / C_old)`` days. The extra (or
    missing) drug without a bridge is ``V x (C_old - C_new)`` mcg.

    References: boster2016 ("a bridge bolus must be programmed"), label-gablofen.
    """
    if old_concentration_mcg_per_ml == new_concentration_mcg_per_ml:
        raise fail(
            "new_concentration_mcg_per_ml",
            f"New concentration must differ from the old one, {old_concentration_mcg_per_ml} "
            f"mcg/mL (got {new_concentration_mcg_per_ml}): with the same concentration there is "
            "no change to bridge",
        )
    dose = exact(daily_dose_mcg)
    c_old, c_new = Fraction(old_concentration_mcg_per_ml), Fraction(new_concentration_mcg_per_ml)
    ratio = c_old / c_new
    unbridged = dose * ratio
    result: dict[str, Any] = {
        "ratio": number(ratio, 3),
        "unbridged_daily_mcg": number(unbridged, 1),
        "change_percent": number((ratio - 1) * 100, 1),
        "old_daily_volume_ml": significant(dose / c_old),
        "new_daily_volume_ml": significant(dose / c_new),
        "unbridged_hours": None,
        "bridge_hours": None,
        "extra_mcg": None,
        "hours": [],
    }
    w = Warnings()
    over = ratio > 1
    size = f"{format_number(number(ratio, 3))}x" if over else f"{_pct(1 - ratio)} less than"
    what = "an overdose" if over else "an underdose"
    large_path = fluid_path_ml is not None and fluid_path_ml > K.ITB_FLUID_PATH_CAUTION_ML.value
    if large_path:
        w.add(
            "fluid-path-large",
            "caution",
            f"A fluid path of {format_number(fluid_path_ml, 6)} mL is large (above "
            f"{K.ITB_FLUID_PATH_CAUTION_ML.value} mL, this site's threshold; no sourced pump or "
            "catheter volume exists): check it against the device manuals for a decimal slip. "
            "A path ten times too large makes a bridge ten times too long, and a bridge run too "
            "long overdoses. No transition or bridge duration is shown until it is confirmed.",
            *K.ITB_FLUID_PATH_CAUTION_ML.sources,
        )
    if fluid_path_ml is not None and not large_path:
        path = exact(fluid_path_ml)
        t_unbridged = path * c_new / dose  # days
        t_bridge = path * c_old / dose
        extra = path * (c_old - c_new)
        result.update(
            unbridged_hours=significant(t_unbridged * _HOURS_PER_DAY),
            bridge_hours=significant(t_bridge * _HOURS_PER_DAY),
            extra_mcg=number(extra, 1),
            hours=_transition_hours(dose, ratio, t_unbridged),
        )
        duration = (
            f"for {_duration(t_unbridged)} "
            f"({_ml(path)} x {new_concentration_mcg_per_ml} mcg/mL / "
            f"{format_number(daily_dose_mcg)} mcg/day), "
            f"{_mcg(abs(extra))} {'extra' if over else 'missing'}"
        )
        horizon = K.ITB_CONCENTRATION_TABLE_MAX_HOURS.value
        if t_unbridged * _HOURS_PER_DAY > horizon:
            w.add(
                "transition-beyond-table",
                "info",
                f"The transition lasts {format_number(number(t_unbridged, 1))} days; the "
                f"hour-by-hour table shows the first {horizon} hours (this site's display limit).",
            )
    elif large_path:
        duration = "for a time not shown until the fluid-path volume is confirmed"
    else:
        duration = "for a time this calculator cannot give without the fluid-path volume"
        w.add(
            "fluid-path-needed",
            "caution",
            "How long the wrong dose lasts, and how much drug it adds or misses, depend on the "
            "volume between the reservoir and the catheter tip. Enter it from the pump's and "
            "the catheter's manuals (the catheter's volume depends on its length). This site "
            "has no default for it: no sourced figure was found.",
            "boster2016",
        )
    if bridge == "no":
        w.add(
            "unbridged-overdose" if over else "unbridged-underdose",
            "danger",
            f"Without a bridge the patient receives the old drug at the new rate: "
            f"{format_number(number(unbridged, 1))} mcg/day instead of "
            f"{format_number(daily_dose_mcg)} ({size} the dose, {what}) {duration}. "
            f"{_BOSTER_BRIDGE} {_EMERGENCIES}",
            "boster2016",
            *(() if over else ("label-gablofen",)),
        )
    else:
        bridge_text = (
            f"lasts {_duration(exact(fluid_path_ml) * c_old / dose)} "
            f"({_ml(exact(fluid_path_ml))} x "
            f"{old_concentration_mcg_per_ml} mcg/mL / {format_number(daily_dose_mcg)} mcg/day)"
            if fluid_path_ml is not None and not large_path
            else "lasts as long as the old drug takes to leave the fluid path (not shown until "
            "its volume is known and confirmed)"
        )
        w.add(
            "bridge-programmed",
            "info",
            f"With the bridge programmed (as this site models it: the old drug pushed out at the "
            f"rate for the old concentration), the dose stays {format_number(daily_dose_mcg)} "
            f"mcg/day; the bridge {bridge_text}. Compare with the pump programmer's own figure. "
            f"{_BOSTER_BRIDGE}",
            "boster2016",
        )
    result["warnings"] = w.items
    result["notes"] = [
        (
            "The hour-by-hour table counts hours from the moment the new concentration is "
            "programmed; amounts are in mcg received in each hour."
        ),
        (
            "Without a bridge: dose x old / new concentration per day until the fluid path "
            "is cleared. With a bridge: the dose itself throughout."
        ),
    ]
    return result


def _transition_hours(dose: Fraction, ratio: Fraction, t_days: Fraction) -> list[dict[str, Any]]:
    """The mcg received in each hour, without and with the bridge, through the transition."""
    t_hours = t_days * _HOURS_PER_DAY
    horizon = K.ITB_CONCENTRATION_TABLE_MAX_HOURS.value
    last = min(horizon, max(_HOURS_PER_DAY, math.ceil(t_hours) + 2))
    per_hour = dose / _HOURS_PER_DAY
    rows = []
    for hour in range(last):
        old_part = min(Fraction(1), max(Fraction(0), t_hours - hour))
        received = per_hour * (old_part * ratio + (1 - old_part))
        rows.append(
            {
                "hour": hour,
                "day": hour // _HOURS_PER_DAY + 1,
                "clock": f"{hour % _HOURS_PER_DAY:02d}-{hour % _HOURS_PER_DAY + 1:02d} h",
                "without_bridge_mcg": number(received, 2),
                "with_bridge_mcg": number(per_hour, 2),
            }
        )
    return rows


# --- itb-flex-schedule ----------------------------------------------------------------------


def _clock(hours: Fraction) -> str:
    minutes = round(hours * 60) % (_HOURS_PER_DAY * 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _end_clock(start: Fraction, length: Fraction) -> str:
    """A step's end: ``24:00`` for a whole day from midnight, never ``00:00-00:00``."""
    if length == _HOURS_PER_DAY and start == 0:
        return "24:00"
    return _clock(start + length)


def _arcs(start: Fraction, length: Fraction) -> list[tuple[Fraction, Fraction]]:
    """The step as intervals of the 24-hour day (one past midnight wraps to the morning)."""
    end = start + length
    day = Fraction(_HOURS_PER_DAY)
    if end <= day:
        return [(start, end)]
    return [(start, day), (Fraction(0), end - day)]


def _schedule_arcs(
    steps: list[dict[str, Any]], boluses: list[dict[str, Any]]
) -> list[list[tuple[Fraction, Fraction]]]:
    """Each step's intervals of the day; an InputError for times past 24 h, overlaps, > 24 h."""
    errors: list[FieldError] = []
    arcs: list[list[tuple[Fraction, Fraction]]] = []
    day = Fraction(_HOURS_PER_DAY)
    for index, step in enumerate(steps):
        start = exact(step["start_hours"])
        _check(
            errors,
            start < day,
            f"steps.{index}.start_hours",
            f"Step {index + 1}: Start must be before {_HOURS_PER_DAY} hours (midnight is 0; got "
            f"{format_number(step['start_hours'])})",
        )
        arcs.append(_arcs(start, exact(step["duration_hours"])))
    for index, bolus in enumerate(boluses):
        _check(
            errors,
            exact(bolus["time_hours"]) < day,
            f"boluses.{index}.time_hours",
            f"Bolus {index + 1}: Time must be before {_HOURS_PER_DAY} hours (midnight is 0; got "
            f"{format_number(bolus['time_hours'])})",
        )
    total_hours = sum((exact(s["duration_hours"]) for s in steps), Fraction(0))
    if total_hours > day:
        errors.append(
            FieldError(
                "steps",
                f"Steps: the schedule must last at most {_HOURS_PER_DAY} hours in all (got "
                f"{format_number(number(total_hours, 2))} hours)",
            )
        )
    elif not errors:
        errors += _overlaps(arcs)
    if errors:
        raise InputError(errors)
    return arcs


def _overlaps(arcs: list[list[tuple[Fraction, Fraction]]]) -> list[FieldError]:
    """One error per step that overlaps an earlier one, naming both."""
    errors = []
    for j in range(len(arcs)):
        for i in range(j):
            if any(a0 < b1 and b0 < a1 for a0, a1 in arcs[i] for b0, b1 in arcs[j]):
                errors.append(
                    FieldError(
                        f"steps.{j}.start_hours",
                        f"Step {j + 1}: it overlaps step {i + 1} "
                        f"({_clock(arcs[i][0][0])}-{_clock(arcs[i][-1][1])}); steps must not "
                        f"overlap (got {_clock(arcs[j][0][0])}-{_clock(arcs[j][-1][1])})",
                    )
                )
                break
    return errors


def itb_flex_schedule(
    *,
    intended_daily_mcg: float,
    steps: list[dict[str, Any]],
    boluses: list[dict[str, Any]],
) -> dict[str, Any]:
    """A flexible 24-hour schedule: its total, its hour-by-hour delivery, each step's share.

    ``24-hour total = sum(step rate x step hours) + sum(boluses)`` (mcg; status D). Steps
    (start in hours after midnight, duration in hours, rate in mcg/hour) must not overlap and
    may run past midnight into the next morning; boluses are given at a time of day.

    References: ismp-flex (60 mcg per day delivered as 60 mcg every hour), boster2016.
    """
    arcs = _schedule_arcs(steps, boluses)
    day = Fraction(_HOURS_PER_DAY)
    intended = exact(intended_daily_mcg)
    amounts = [exact(s["rate_mcg_per_hour"]) * exact(s["duration_hours"]) for s in steps]
    bolus_total = sum((exact(b["dose_mcg"]) for b in boluses), Fraction(0))
    total = sum(amounts, Fraction(0)) + bolus_total
    difference = total - intended

    hourly = []
    for hour in range(_HOURS_PER_DAY):
        h0, h1 = Fraction(hour), Fraction(hour + 1)
        continuous = sum(
            (
                exact(s["rate_mcg_per_hour"]) * max(Fraction(0), min(a1, h1) - max(a0, h0))
                for s, step_arcs in zip(steps, arcs, strict=True)
                for a0, a1 in step_arcs
            ),
            Fraction(0),
        )
        given = sum(
            (exact(b["dose_mcg"]) for b in boluses if h0 <= exact(b["time_hours"]) < h1),
            Fraction(0),
        )
        hourly.append(
            {
                "hour": hour,
                "clock": f"{hour:02d}:00-{hour + 1:02d}:00",
                "continuous_mcg": number(continuous, 2),
                "bolus_mcg": number(given, 2) if given else None,
                "total_mcg": number(continuous + given, 2),
            }
        )
    step_rows = [
        {
            "step": index + 1,
            "start": _clock(exact(s["start_hours"])),
            "end": _end_clock(exact(s["start_hours"]), exact(s["duration_hours"])),
            "time": f"{_clock(exact(s['start_hours']))}-"
            f"{_end_clock(exact(s['start_hours']), exact(s['duration_hours']))}",
            "duration_hours": s["duration_hours"],
            "rate_mcg_per_hour": s["rate_mcg_per_hour"],
            "amount_mcg": significant(amount),
            "share_percent": significant(amount / total * 100) if total else None,
        }
        for index, (s, amount) in enumerate(zip(steps, amounts, strict=True))
    ]
    bolus_rows = [
        {
            "bolus": index + 1,
            "time": _clock(exact(b["time_hours"])),
            "dose_mcg": b["dose_mcg"],
            "share_percent": number(exact(b["dose_mcg"]) / total * 100, 1) if total else None,
        }
        for index, b in enumerate(boluses)
    ]

    covered = sum((b - a for step_arcs in arcs for a, b in step_arcs), Fraction(0))
    w = _flex_warnings(intended, total, steps)
    if covered < day:
        w.add(
            "uncovered-hours",
            "caution",
            f"{format_number(number(day - covered, 2))} hours of the day "
            f"({_gaps(arcs)}) are in no step: this calculator counts nothing delivered then. "
            "Check what the pump's programme does between steps.",
        )
    idle = [
        index + 1
        for index, step in enumerate(steps)
        if exact(step["rate_mcg_per_hour"]) == 0 and exact(step["duration_hours"]) > 0
    ]
    if idle:
        hours_idle = sum((exact(steps[i - 1]["duration_hours"]) for i in idle), Fraction(0))
        # Caution: hours without drug are a withdrawal risk that a matching total hides.
        w.add(
            "itb-zero-rate-step",
            "caution",
            f"Step{'s' if len(idle) > 1 else ''} {', '.join(map(str, idle))} deliver"
            f"{'' if len(idle) > 1 else 's'} nothing ({format_number(number(hours_idle, 2))} "
            "hours at 0 mcg/hour): the patient has no continuous drug then, even if the "
            "24-hour total matches. Check that this is meant.",
            "label-gablofen",
        )
    w.add(
        "clock-change",
        "info",
        'Boster 2016: "Time changes may affect flex dosing." When the clocks change, check when '
        "each step now starts.",
        "boster2016",
    )
    return {
        "total_mcg": number(total, 2),
        "continuous_mcg": number(total - bolus_total, 2),
        "bolus_total_mcg": number(bolus_total, 2),
        "difference_mcg": significant(difference),
        "difference_percent": significant(difference / intended * 100),
        "hours_covered": number(covered, 2),
        "formula": " + ".join(
            [
                f"{format_number(s['rate_mcg_per_hour'], 6)} x "
                f"{format_number(s['duration_hours'], 6)} h"
                for s in steps
            ]
            + [f"{format_number(b['dose_mcg'], 6)} (bolus)" for b in boluses]
        )
        + f" = {format_number(number(total, 4), 4)} mcg",
        "steps_table": step_rows,
        "boluses_table": bolus_rows,
        "hourly": hourly,
        "warnings": w.items,
        "notes": [
            (
                "24-hour total = sum of (rate x hours) over the steps + the boluses (this "
                "site's arithmetic)."
            ),
            "A step that runs past midnight continues in the early hours of the same 24-hour day.",
        ],
    }


def _flex_warnings(intended: Fraction, total: Fraction, steps: list[dict[str, Any]]) -> Warnings:
    """The per-hour/per-day slip (ismp-flex) and the total against the intended dose."""
    difference = total - intended
    intended_daily_mcg = number(intended, 3)
    w = Warnings()
    tolerance = K.FLEX_TOTAL_MATCH_FRACTION.value * intended
    slips = [
        index
        for index, s in enumerate(steps)
        # An hourly rate of half the day's dose or more is not a plausible per-hour rate: the
        # ISMP event had the daily figure typed as the hourly one (this site's threshold, D).
        if exact(s["rate_mcg_per_hour"]) >= K.FLEX_SLIP_RATE_FRACTION.value * intended
    ]
    if slips and difference > tolerance:
        named = "; ".join(
            f"step {i + 1} runs at {format_number(steps[i]['rate_mcg_per_hour'])} mcg/hour, "
            f"{_mcg(exact(steps[i]['rate_mcg_per_hour']) * _HOURS_PER_DAY)} in 24 hours"
            for i in slips
        )
        w.add(
            "per-hour-per-day-slip",
            "danger",
            f"Per hour or per day? {named}: an hourly rate of at least half the intended daily "
            f"dose ({format_number(intended_daily_mcg)} mcg; this site's threshold), and the "
            "schedule delivers "
            f"{_mcg(total)}. ISMP reported a flex step meant as 60 mcg per day that was "
            "delivered as 60 mcg every hour. Check that each rate is per hour. " + _EMERGENCIES,
            "ismp-flex",
        )
    far = K.FLEX_TOTAL_DANGER_FRACTION.value * intended
    if abs(difference) > tolerance:
        big = abs(difference) > far
        w.add(
            "total-far-from-intended" if big else "total-differs-from-intended",
            "danger" if big else "caution",
            f"The 24-hour total, {_mcg(total)}, is {_mcg(abs(difference))} "
            f"({_pct(abs(difference) / intended)}) {'above' if difference > 0 else 'below'} the "
            f"intended {format_number(intended_daily_mcg)} mcg/day: more than this site's "
            f"{_pct(K.FLEX_TOTAL_MATCH_FRACTION.value)} match"
            + (
                f" and more than {_pct(K.FLEX_TOTAL_DANGER_FRACTION.value)} (its own "
                f"thresholds). The programme is far from the prescribed dose. {_EMERGENCIES}"
                if big
                else " (its own threshold). The programme does not deliver the prescribed "
                "dose: check each rate and duration against the prescription."
            ),
            *K.FLEX_TOTAL_MATCH_FRACTION.sources,
        )
    if difference != 0 and abs(difference) <= tolerance:
        w.add(
            "total-rounding-difference",
            "info",
            f"The 24-hour total differs from the intended {format_number(intended_daily_mcg, 3)} "
            f"mcg by {_small(abs(difference))} mcg ({_small(abs(difference) / intended * 100)}%), "
            "within this site's "
            f"{_pct(K.FLEX_TOTAL_MATCH_FRACTION.value)} match: the rates are rounded.",
            *K.FLEX_TOTAL_MATCH_FRACTION.sources,
        )
    return w


def _gaps(arcs: list[list[tuple[Fraction, Fraction]]]) -> str:
    spans = sorted(span for step_arcs in arcs for span in step_arcs)
    gaps = []
    cursor = Fraction(0)
    for a, b in spans:
        if a > cursor:
            gaps.append((cursor, a))
        cursor = max(cursor, b)
    if cursor < _HOURS_PER_DAY:
        gaps.append((cursor, Fraction(_HOURS_PER_DAY)))
    return ", ".join(f"{_clock(a)}-{_clock(b) if b < _HOURS_PER_DAY else '24:00'}" for a, b in gaps)


# --- specs ----------------------------------------------------------------------------------

_MODES = (
    Choice("continuous", "Simple continuous"),
    Choice("flex", "Flexible (24-hour flex schedule)"),
    Choice("periodic", "Regularly scheduled boluses"),
)


def _volume(name: str, label: str, default: float, help_text: str, **extra: Any) -> Field:  # noqa: ANN401
    return Field(
        name,
        label,
        unit="mL",
        minimum=0,
        maximum=_MAX_RESERVOIR_ML,
        step=0.01,
        default=default,
        help=help_text,
        limit_constants=("PUMP_RESERVOIR_ML",),
        **extra,
    )


def _dose(name: str, label: str, default: float | None, help_text: str, **extra: Any) -> Field:  # noqa: ANN401
    return Field(
        name,
        label,
        unit="mcg/day",
        minimum=1,
        maximum=_PLAUSIBLE_MAX_MCG_PER_DAY,
        step=0.1,
        default=default,
        help=help_text,
        limit_constants=("ITB_PLAUSIBLE_MAX_MCG_PER_DAY",),
        **extra,
    )


REFILL_VISIT = Calculator(
    id="itb-refill-visit",
    title="Pump refill visit",
    summary=(
        "The expected residual volume, the discrepancy with what was aspirated, and the new "
        "fill's alarm and empty dates."
    ),
    function=itb_refill_visit,
    fields=(
        reservoir_field(),
        Field(
            "pump_volume_kind",
            "The pump's reservoir volume is",
            kind="choice",
            default="calculated",
            choices=(
                Choice("calculated", "Calculated from the programme"),
                Choice("measured", "Measured by the pump"),
            ),
            help=(
                "Both kinds are compared with this site's shortfall threshold (no validated "
                "tolerance was found). For a pump that measures its volume, the result adds "
                "what Maino 2017's figures are for: the volume measured right after a refill."
            ),
            sources=("maino2017", "wesemann2014"),
        ),
        _volume(
            "volume_after_last_fill_ml",
            "Volume in the reservoir after the last fill",
            18,
            "As recorded at the last refill.",
        ),
        Field(
            "last_fill_date",
            "Last fill date",
            kind="date",
            default="2026-01-05",
        ),
        Field(
            "visit_date",
            "Visit date (today's refill)",
            kind="date",
            default="2026-02-02",
        ),
        _dose(
            "daily_dose_mcg",
            "Daily dose since the last fill (or the flex 24-hour total)",
            200,
            "For a flexible schedule, its 24-hour total (the flex schedule calculator gives it). "
            + _DOSE_HELP,
        ),
        concentration_field(),
        Field(
            "dosing_mode",
            "Dosing mode",
            kind="choice",
            default="continuous",
            choices=_MODES,
            help="Printed on the pump card.",
            sources=("boster2016",),
        ),
        _volume(
            "bolus_volume_ml",
            "Bolus volumes given since the last fill",
            0,
            "The total volume of any boluses (including a bridge bolus) since the last fill.",
        ),
        _volume(
            "aspirated_ml",
            "Volume aspirated at this visit",
            6.7,
            "What was drawn out of the reservoir before the refill.",
        ),
        _volume(
            "new_fill_ml",
            "New fill volume",
            18,
            "The volume in the reservoir after today's refill.",
        ),
        alarm_field(),
        Field(
            "origin",
            "Origin of spasticity",
            kind="choice",
            default="spinal",
            choices=(Choice("spinal", "Spinal"), Choice("cerebral", "Cerebral")),
            help="Chooses the label's usual dose changes at refills (shown, never a limit).",
            sources=K.ITB_MAINTENANCE_CHANGE_SPINAL.sources,
        ),
        _dose(
            "new_daily_dose_mcg",
            "New daily dose from today",
            None,
            "Optional: a dose change at this visit. " + _DOSE_HELP,
            required=False,
        ),
    ),
    outputs=(
        Output("days_since_fill", "Days since the last fill", "days"),
        Output("expected_formula", "Expected residual (our arithmetic)"),
        Output("expected_residual_ml", "Expected residual", "mL"),
        Output("discrepancy_ml", "Discrepancy (aspirated - expected)", "mL"),
        Output("discrepancy_percent", "Discrepancy, of the volume delivered", "%"),
        Output("flag_threshold_ml", "Flagged above", "mL"),
        Output("new_daily_dose_mcg", "Daily dose from today", "mcg/day"),
        Output("dose_change_percent", "Dose change", "%"),
        Output("new_daily_volume_ml", "Daily volume from today", "mL/day"),
        Output("days_to_alarm", "Days to the low-reservoir alarm", "days"),
        Output("alarm_date", "Alarm date"),
        Output("days_to_empty", "Days to empty", "days"),
        Output("empty_date", "Empty date"),
    ),
    sources=("maino2017", "wesemann2014", "pocketfill2011", "boster2016"),
    guards=Guards(
        doses=(
            Dose("inputs.daily_dose_mcg", "intrathecal", "daily", "the daily dose"),
            Dose("inputs.new_daily_dose_mcg", "intrathecal", "daily", "the new daily dose"),
        ),
        changes=(
            Change(
                "inputs.daily_dose_mcg",
                "inputs.new_daily_dose_mcg",
                "intrathecal",
                "the daily dose at this refill",
                range_path="inputs.origin",
                ranges=(
                    ("spinal", "ITB_MAINTENANCE_CHANGE_SPINAL"),
                    ("cerebral", "ITB_MAINTENANCE_CHANGE_CEREBRAL"),
                ),
            ),
        ),
        nonnegative=("expected_residual_ml", "days_to_alarm", "days_to_empty"),
    ),
)

CONCENTRATION_CHANGE = Calculator(
    id="itb-concentration-change",
    title="Concentration change and the bridge",
    summary=(
        "The dose the patient actually receives after a concentration change, with and "
        "without a bridge bolus."
    ),
    function=itb_concentration_change,
    fields=(
        _dose("daily_dose_mcg", "Daily dose", 400, _DOSE_HELP),
        concentration_field(
            "old_concentration_mcg_per_ml", "Old concentration (in the fluid path)", 500
        ),
        concentration_field(
            "new_concentration_mcg_per_ml", "New concentration (in the reservoir)", 2000
        ),
        Field(
            "bridge",
            "Bridge bolus programmed",
            kind="choice",
            default="no",
            choices=(Choice("no", "No"), Choice("yes", "Yes")),
            help="Boster 2016: a bridge bolus must be programmed.",
            sources=("boster2016",),
        ),
        Field(
            "fluid_path_ml",
            "Fluid-path volume (reservoir to catheter tip)",
            unit="mL",
            minimum=0.01,
            maximum=K.ITB_FLUID_PATH_MAX_ML.value,
            step=0.001,
            required=False,
            default=None,
            help=(
                "From the pump's and the catheter's manuals (the catheter's share depends on "
                "its length). No default: no sourced figure was found. Up to "
                f"{K.ITB_FLUID_PATH_MAX_ML.value} mL is accepted to catch typing slips (this "
                "site's bound, not a device figure)."
            ),
            limit_constants=("ITB_FLUID_PATH_MAX_ML",),
        ),
    ),
    outputs=(
        Output("ratio", "Old / new concentration", "x"),
        Output("unbridged_daily_mcg", "Dose received without a bridge", "mcg/day"),
        Output("change_percent", "Change without a bridge", "%"),
        Output("unbridged_hours", "Wrong dose lasts, without a bridge", "hours"),
        Output("extra_mcg", "Drug extra (+) or missing (-), without a bridge", "mcg"),
        Output("bridge_hours", "Bridge duration", "hours"),
        Output("old_daily_volume_ml", "Daily volume, old concentration", "mL/day"),
        Output("new_daily_volume_ml", "Daily volume, new concentration", "mL/day"),
    ),
    tables=(
        Table(
            "hours",
            "Hour by hour: mcg received, without and with the bridge",
            (
                Column("day", "Day"),
                Column("clock", "Hours"),
                Column("without_bridge_mcg", "Without bridge", "mcg"),
                Column("with_bridge_mcg", "With bridge", "mcg"),
            ),
            chart_y="without_bridge_mcg",
            chart_label="mcg received per hour",
            chart_x="hour",
            chart_series=(("with_bridge_mcg", "with the bridge"),),
        ),
    ),
    sources=("boster2016",),
    guards=Guards(
        doses=(
            Dose("inputs.daily_dose_mcg", "intrathecal", "daily", "the prescribed daily dose"),
            Dose("unbridged_daily_mcg", "intrathecal", "daily", "the unbridged daily dose"),
        ),
        changes=(
            Change(
                "inputs.old_concentration_mcg_per_ml",
                "inputs.new_concentration_mcg_per_ml",
                "intrathecal",
                "the concentration (mcg/mL)",
            ),
        ),
        nonnegative=("unbridged_hours", "bridge_hours"),
    ),
)

FLEX_SCHEDULE = Calculator(
    id="itb-flex-schedule",
    title="Flexible 24-hour schedule",
    summary=(
        "The 24-hour total of a flex schedule, hour by hour, against the intended daily dose."
    ),
    function=itb_flex_schedule,
    fields=(
        _dose(
            "intended_daily_mcg",
            "Intended daily dose",
            400,
            "The prescribed 24-hour total. " + _DOSE_HELP,
        ),
    ),
    groups=(
        Group(
            name="steps",
            label="Steps",
            item_label="Step",
            fields=(
                Field(
                    "start_hours",
                    "Start",
                    unit="h after midnight",
                    minimum=0,
                    maximum=_HOURS_PER_DAY,
                    step=0.25,
                    default=0,
                    help="8.5 is 08:30.",
                ),
                Field(
                    "duration_hours",
                    "Duration",
                    unit="hours",
                    minimum=float(K.FLEX_MIN_STEP_HOURS.value),
                    maximum=_HOURS_PER_DAY,
                    step=0.25,
                    default=1,
                    limit_constants=("FLEX_MIN_STEP_HOURS",),
                ),
                Field(
                    "rate_mcg_per_hour",
                    "Rate",
                    unit="mcg/hour",
                    minimum=0,
                    maximum=_PLAUSIBLE_MAX_MCG_PER_DAY,
                    step=0.001,
                    default=10,
                    help="Per hour. Up to the same bound as a daily dose, so that a per-day "
                    "figure typed here is shown and explained rather than refused.",
                    limit_constants=("ITB_PLAUSIBLE_MAX_MCG_PER_DAY",),
                ),
            ),
            min_items=1,
            max_items=K.FLEX_MAX_STEPS.value,
            default=(
                {"start_hours": 0, "duration_hours": 8, "rate_mcg_per_hour": 12.5},
                {"start_hours": 8, "duration_hours": 14, "rate_mcg_per_hour": 20},
                {"start_hours": 22, "duration_hours": 2, "rate_mcg_per_hour": 10},
            ),
            help="Each step runs at its own rate; together they make the 24-hour day.",
            sources=("boster2016",),
        ),
        Group(
            name="boluses",
            label="Scheduled boluses",
            item_label="Bolus",
            item_plural="boluses",
            fields=(
                Field(
                    "time_hours",
                    "Time",
                    unit="h after midnight",
                    minimum=0,
                    maximum=_HOURS_PER_DAY,
                    step=0.25,
                    default=12,
                ),
                Field(
                    "dose_mcg",
                    "Dose",
                    unit="mcg",
                    minimum=0.1,
                    maximum=_PLAUSIBLE_MAX_MCG_PER_DAY,
                    step=0.1,
                    default=10,
                    help="Up to the same bound as a daily dose (this site's bound, not a "
                    "clinical maximum).",
                    limit_constants=("ITB_PLAUSIBLE_MAX_MCG_PER_DAY",),
                ),
            ),
            min_items=0,
            max_items=K.FLEX_MAX_BOLUSES.value,
            help="Optional boluses, each at a time of day.",
            sources=("boster2016",),
        ),
    ),
    outputs=(
        Output("formula", "24-hour total (our arithmetic)"),
        Output("total_mcg", "24-hour total", "mcg"),
        Output("bolus_total_mcg", "of which boluses", "mcg"),
        Output("difference_mcg", "Difference from the intended dose", "mcg"),
        Output("difference_percent", "Difference", "%"),
        Output("hours_covered", "Hours in a step", "hours"),
    ),
    tables=(
        Table(
            "hourly",
            "Hour by hour",
            (
                Column("clock", "Hour"),
                Column("continuous_mcg", "Steps", "mcg"),
                Column("bolus_mcg", "Bolus", "mcg"),
                Column("total_mcg", "Total", "mcg"),
            ),
            chart_y="total_mcg",
            chart_label="mcg delivered in each hour",
            chart_x="hour",
        ),
        Table(
            "steps_table",
            "Each step's share",
            (
                Column("step", "Step"),
                Column("time", "Time"),
                Column("duration_hours", "Hours"),
                Column("rate_mcg_per_hour", "Rate", "mcg/hour"),
                Column("amount_mcg", "Amount", "mcg"),
                Column("share_percent", "Share", "%"),
            ),
        ),
        Table(
            "boluses_table",
            "Boluses",
            (
                Column("bolus", "Bolus"),
                Column("time", "Time"),
                Column("dose_mcg", "Dose", "mcg"),
                Column("share_percent", "Share", "%"),
            ),
        ),
    ),
    sources=("ismp-flex", "boster2016"),
    guards=Guards(
        doses=(
            Dose("inputs.intended_daily_mcg", "intrathecal", "daily", "the intended daily dose"),
            Dose("total_mcg", "intrathecal", "daily", "the 24-hour total"),
            Dose(
                "inputs.boluses[].dose_mcg",
                "intrathecal",
                "bolus",
                "bolus",
                daily_total_path="total_mcg",
            ),
        ),
    ),
)
