"""``itb-refill-visit``: the refill visit at the pump clinic.

The expected residual, the discrepancy (a pocket fill?), the new alarm and empty dates, and a
printable pump card.

The arithmetic is this site's own (status D in the evidence base, "Our arithmetic"), shown
step by step in each result; the figures it is compared with carry their sources.

References: boster2016, label-gablofen, label-lioresal-it, neurosurgery2004, maino2017,
wesemann2014, pocketfill2011, pump-secondary.
"""

from __future__ import annotations

import datetime as dt
import math
from fractions import Fraction
from typing import Any

from . import constants as K
from ._itb import (
    _EMERGENCIES,
    DOSE_HELP,
    _check,
    _ml,
    _pct,
    alarm_field,
    alarm_warnings,
    concentration_field,
    dose_field,
    refill_by_days,
    refill_interval_warnings,
    reservoir_field,
)
from ._util import exact, fail, number, significant
from .guards import Change, Dose, Guards, Withhold
from .spec import (
    Calculator,
    Choice,
    Field,
    FieldError,
    InputError,
    Output,
    Warnings,
    as_given,
    format_number,
)

_MAX_RESERVOIR_ML = max(K.PUMP_RESERVOIR_ML.value)


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
    days_to_refill_by = refill_by_days(new_fill_ml, alarm_ml, new_daily_ml)
    refill_by_date = _date(visit, days_to_refill_by, "visit_date", "Visit date")
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
    safer = K.PUMP_SAFER_ALARM_ML.value
    if exact(alarm_ml) < aspirated < exact(safer) and expected >= 0:
        # Above this pump's alarm but under the 4 mL after which neurosurgery2004 saw no more
        # withdrawal (its patients had symptoms days before 2.1-3.8 mL): not a "normal" residual.
        w.add(
            "residual-in-withdrawal-band",
            "caution",
            f"Only {_ml(aspirated)} was aspirated: above the {format_number(alarm_ml)} mL alarm "
            f"volume, but under {safer} mL. In one study, 21 of 88 patients had withdrawal "
            "symptoms 1 to 7 days before the residual fell to 2.1-"
            f"{K.PUMP_WITHDRAWAL_RESIDUAL_ML.value} mL (symptoms did not correlate with the "
            f"drug), and none once the alarm was raised to {safer} mL. Ask about withdrawal "
            "symptoms in the last days (itching, low blood pressure, pins and needles, the old "
            "spasticity returning), and book the next refill by the refill-by date.",
            *K.PUMP_SAFER_ALARM_ML.sources,
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
    alarm_warnings(w, alarm_ml=alarm_ml, daily_ml=new_daily_ml)
    refill_interval_warnings(w, days_to_alarm=days_to_alarm, days_to_refill_by=days_to_refill_by)

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
        "days_to_refill_by": number(days_to_refill_by, 1),
        "refill_by_date": refill_by_date,
        "days_to_alarm": number(days_to_alarm, 1),
        "alarm_date": alarm_date,
        "days_to_empty": number(days_to_empty, 1),
        "empty_date": empty_date,
        "card": {
            "daily_dose_mcg": number(new_dose, 1),
            "concentration_mcg_per_ml": concentration_mcg_per_ml,
            "mode": mode_label,
            "refill_date": visit_date,
            "refill_by_date": refill_by_date,
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
            (
                "Refill by: the day the reservoir holds its alarm volume or 4 mL, whichever is "
                "more, at the programmed rate plus a normal pump's average over-delivery of "
                "2.5% (this site's reading of two studies: withdrawal symptoms did not recur "
                "once the alarm was raised to 4 mL; Wesemann 2014)."
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
        dose_field(
            "daily_dose_mcg",
            "Daily dose since the last fill (or the flex 24-hour total)",
            200,
            "For a flexible schedule, its 24-hour total (the flex schedule calculator gives it). "
            + DOSE_HELP,
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
        dose_field(
            "new_daily_dose_mcg",
            "New daily dose from today",
            None,
            "Optional: a dose change at this visit. " + DOSE_HELP,
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
        Output("days_to_refill_by", "Days to refill by", "days"),
        Output("refill_by_date", "Refill by"),
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
        # The new fill's dates follow from the new dose and from a pump that delivers as
        # programmed: not shown when either is in doubt (sixth review re-check M3).
        withhold=Withhold(
            ("refill_by_date", "alarm_date", "empty_date"),
            "Check the doses against the pump's printout, and the pump itself if it delivered "
            "less than programmed: the dates follow from them.",
            also_codes=(
                "itb-daily-above-observed",
                "itb-daily-below-observed",
                "refill-interval-long",
                "refill-interval-short",
                "residual-above-expected",
                "residual-far-above-expected",
            ),
            withheld="The refill-by, alarm and empty dates are not shown",
        ),
        nonnegative=("expected_residual_ml", "days_to_refill_by", "days_to_alarm", "days_to_empty"),
    ),
)
