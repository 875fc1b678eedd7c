"""``itb-concentration-mismatch``: a pump programmed for one concentration, filled with another.

The pump moves volume at the rate its programme computes (programmed dose / programmed
concentration), so the dose delivered is the programmed dose x filled / programmed
concentration, for as long as that drug is in the reservoir: the whole
refill interval, not only until a fluid path is flushed (the unbridged transition of
``itb-concentration-change``). The arithmetic is this site's (D); the bridge statement is
Boster 2016's.

References: boster2016, label-gablofen, label-lioresal-it, neurosurgery2004, medtronic-pump,
pump-secondary, medtronic-fa596.
"""

from __future__ import annotations

import datetime as dt
import math
from fractions import Fraction
from typing import Any

from . import constants as K
from ._itb import (
    alarm_field,
    alarm_warnings,
    concentration_field,
    refill_by_days,
    refill_interval_warnings,
    reservoir_field,
)
from ._util import exact, fail, number, significant
from .guards import Change, Dose, Guards, Withhold
from .spec import Calculator, Field, Output, Warnings, as_given, format_number


def _days_text(days: Fraction) -> str:
    """``1 day``, ``2.5 days`` (a figure as shown, with its unit in the right number)."""
    shown = _shown(days)
    return f"{format_number(shown, 3)} day" if shown == 1 else f"{format_number(shown, 3)} days"


def itb_concentration_mismatch(
    *,
    programmed_daily_mcg: float,
    programmed_concentration_mcg_per_ml: int,
    filled_concentration_mcg_per_ml: int,
    reservoir_ml: int,
    fill_volume_ml: float,
    alarm_ml: float,
    fill_date: str | None = None,
    next_refill_date: str | None = None,
) -> dict[str, Any]:
    """The dose a pump delivers when its programmed concentration is not the one filled.

    The pump moves ``programmed_daily_mcg / programmed_concentration`` mL a day whatever the
    reservoir holds, so it delivers ``programmed x filled / programmed concentration`` mcg a
    day until that drug is gone (status D: arithmetic). Its low-reservoir alarm is calculated
    from the programmed rate (Medtronic FA596), so it comes on the day the pump predicts;
    what is wrong is the dose, and any refill date planned for the other concentration.
    Totals are "if uncorrected": from the fill to the next refill date (the days after the
    reservoir is empty count as no drug at all), or to the alarm without one.

    References: boster2016 (a bridge bolus must be programmed at a concentration change),
    label-gablofen and label-lioresal-it (withdrawal and overdose signs), medtronic-fa596.
    """
    if not alarm_ml < fill_volume_ml <= reservoir_ml:
        raise fail(
            "fill_volume_ml",
            f"Volume after the fill must be more than the low-reservoir alarm volume, "
            f"{format_number(alarm_ml, 6)} mL, and at most the reservoir, {reservoir_ml} mL "
            f"(got {as_given(fill_volume_ml)})",
        )
    programmed = exact(programmed_daily_mcg)
    c_prog = Fraction(programmed_concentration_mcg_per_ml)
    c_fill = Fraction(filled_concentration_mcg_per_ml)
    ratio = c_fill / c_prog
    delivered = programmed * ratio
    difference = delivered - programmed
    volume_rate = programmed / c_prog
    fill = exact(fill_volume_ml)
    usable = fill - exact(alarm_ml)
    days_to_alarm = usable / volume_rate
    days_to_empty = fill / volume_rate
    # The interval a clinic would plan if the pump were programmed for the filled drug.
    planned_days_to_alarm = usable / (programmed / c_fill)
    # Whichever comes first: at the programmed volume rate, or once the programme is corrected
    # to the filled drug (an underdose corrected moves more volume a day; re-check D2).
    days_to_refill_by = min(
        refill_by_days(fill, alarm_ml, volume_rate),
        refill_by_days(fill, alarm_ml, programmed / c_fill),
    )
    days_to_refill = _days_to_refill(fill_date, next_refill_date)
    alarm_date = empty_date = planned_alarm_date = refill_by_date = None
    if fill_date is not None:
        filled_on = dt.date.fromisoformat(fill_date)
        alarm_date = _plus(filled_on, days_to_alarm, "fill_date")
        refill_by_date = _plus(filled_on, days_to_refill_by, "fill_date")
        empty_date = _plus(filled_on, days_to_empty, "fill_date")
        planned_alarm_date = _plus(filled_on, planned_days_to_alarm, "fill_date")
    if days_to_refill is not None:
        with_drug = min(days_to_refill, days_to_empty)
        without_drug = max(days_to_refill - days_to_empty, Fraction(0))
    else:
        with_drug, without_drug = days_to_alarm, Fraction(0)
    # Shown apart, never netted: an overdose then an empty pump are two harms, not none.
    total_difference = difference * with_drug
    missed_after_empty = programmed * without_drug

    w = Warnings()
    refill_interval_warnings(w, days_to_alarm=days_to_alarm, days_to_refill_by=days_to_refill_by)
    alarm_warnings(w, alarm_ml=alarm_ml, daily_ml=volume_rate)
    if days_to_refill is not None:
        _refill_date_warnings(
            w,
            days_to_refill=days_to_refill,
            days_to_refill_by=days_to_refill_by,
            days_to_empty=days_to_empty,
            programmed=programmed,
        )
    if ratio < 1:
        _correction_warning(
            w,
            ratio=ratio,
            corrected_days=planned_days_to_alarm,
            corrected_refill_by=refill_by_days(fill, alarm_ml, programmed / c_fill),
            days_to_refill=days_to_refill,
        )
    if ratio != 1:
        _mismatch_warning(
            w,
            ratio=ratio,
            programmed=programmed,
            delivered=delivered,
            c_prog=programmed_concentration_mcg_per_ml,
            c_fill=filled_concentration_mcg_per_ml,
            days_to_alarm=days_to_alarm,
        )
        late = planned_days_to_alarm - days_to_alarm
        if late > 0:
            w.add(
                "mismatch-refill-plan",
                "caution",
                f"The reservoir reaches its alarm after {_shown(days_to_alarm)} days, on the "
                "day the pump predicts (the alarm is calculated from the programmed rate, not "
                "measured: Medtronic FA596). A refill date planned for the filled concentration "
                f"would expect {_shown(planned_days_to_alarm)} days, {_shown(late)} days too "
                "late. Correct the dose first; then book the refill by the refill-by date.",
                "medtronic-fa596",
            )
        w.add(
            "concentration-change-procedure",
            "caution",
            "Correcting a mismatch found after the fill: enter the concentration that is in the "
            "reservoir in the pump's programme, or empty the reservoir and fill the programmed "
            "concentration; no bridge bolus, since the catheter already holds the filled drug "
            "(this site's reading). For a planned change at a refill: empty the old drug (done "
            "at every refill), enter the new concentration at the same visit, check the "
            'printout against the syringe label, and program a bridge bolus (Boster 2016: "a '
            'bridge bolus must be programmed").',
            "boster2016",
            "medtronic-pump",
        )
    else:
        w.add(
            "concentrations-match",
            "info",
            f"The programmed and the filled concentration are the same "
            f"({programmed_concentration_mcg_per_ml} mcg/mL): the pump delivers its programmed "
            "dose. Check both against the syringe label and the pump's printout at every fill.",
            "medtronic-pump",
        )

    return {
        "ratio": number(ratio, 2),
        "delivered_daily_mcg": number(delivered, 1),
        "difference_daily_mcg": number(difference, 1),
        "volume_rate_ml_per_day": _shown(volume_rate, 3),
        "days_to_refill_by": _shown(days_to_refill_by),
        "refill_by_date": refill_by_date,
        "days_to_alarm": _shown(days_to_alarm),
        "days_to_empty": _shown(days_to_empty),
        "planned_days_to_alarm": _shown(planned_days_to_alarm),
        "alarm_date": alarm_date,
        "empty_date": empty_date,
        "planned_alarm_date": planned_alarm_date,
        "days_counted": _shown(with_drug),
        "days_without_drug": _shown(without_drug) if days_to_refill is not None else None,
        "total_difference_mcg": _shown(total_difference, 0),
        "missed_after_empty_mcg": _shown(missed_after_empty, 0)
        if days_to_refill is not None
        else None,
        "warnings": w.items,
        "notes": [
            (
                "Dose delivered = programmed dose x filled / programmed concentration, for as "
                "long as the filled drug is in the reservoir (this site's arithmetic)."
            ),
            (
                "Totals are if uncorrected: while the filled drug lasts, to the next refill date "
                "or to the empty reservoir if that comes first (otherwise to the alarm); any days "
                "from empty to the refill are counted apart, as the whole dose missed."
            ),
            (
                "Refill by: the day the reservoir holds its alarm volume or 4 mL, whichever is "
                "more, at the programmed rate or the corrected one, whichever comes first, plus "
                "a normal pump's average over-delivery of 2.5% (this site's reading of two "
                "studies: withdrawal symptoms did not recur once the alarm was raised to 4 mL; "
                "Wesemann 2014)."
            ),
        ],
    }


def _shown(value: Fraction, places: int = 1) -> float | int:
    """A figure rounded for display; below 1, two significant figures (never 0.1 for 0.05)."""
    if 0 < abs(value) < 1:
        return significant(value, 2)
    return number(value, places)


def _days_to_refill(fill_date: str | None, next_refill_date: str | None) -> Fraction | None:
    if next_refill_date is None:
        return None
    if fill_date is None:
        raise fail(
            "fill_date",
            "Fill date is needed to count the days to the next refill date (got a blank value)",
        )
    filled_on = dt.date.fromisoformat(fill_date)
    refill_on = dt.date.fromisoformat(next_refill_date)
    if refill_on <= filled_on:
        raise fail(
            "next_refill_date",
            f"Next refill date must be after the fill date, {fill_date} (got {next_refill_date})",
        )
    return Fraction((refill_on - filled_on).days)


def _refill_date_warnings(
    w: Warnings,
    *,
    days_to_refill: Fraction,
    days_to_refill_by: Fraction,
    days_to_empty: Fraction,
    programmed: Fraction,
) -> None:
    """The booked refill against the refill-by day (4 mL or the alarm) and the empty day.

    An average pump delivers 2.5% more than programmed (wesemann2014), so it can be empty
    before the programmed empty day (third blind check M3).
    """
    empty_average = days_to_empty / (1 + K.PUMP_ACCURACY_PER_REFILL_FRACTION.value)
    if days_to_refill >= empty_average:
        without = days_to_refill - empty_average
        w.add(
            "refill-after-empty",
            "danger",
            f"The next refill is booked {_shown(days_to_refill)} days after the fill, but an "
            f"average pump (2.5% over its programme) is empty after {_shown(empty_average)} "
            f"days ({_shown(days_to_empty)} at the programmed rate): up to "
            f"{_days_text(without)} with no intrathecal baclofen ("
            f"{format_number(number(programmed, 1))} mcg/day missing), and withdrawal can be "
            'fatal: "Do not discontinue abruptly". Book the refill by the refill-by date.',
            "label-gablofen",
        )
    elif days_to_refill > days_to_refill_by:
        w.add(
            "refill-after-alarm",
            "caution",
            f"The next refill is booked {_shown(days_to_refill)} days after the fill, after "
            f"the refill-by day ({_shown(days_to_refill_by)} days: the alarm volume or 4 mL "
            "left, whichever is more, at the programmed or the corrected rate, whichever "
            "comes first). "
            "In one study, withdrawal symptoms began 1 to 7 days before the residual fell to "
            f"2.1-{K.PUMP_WITHDRAWAL_RESIDUAL_ML.value} mL: book the refill by the refill-by "
            "date.",
            *K.PUMP_WITHDRAWAL_RESIDUAL_ML.sources,
        )


def _correction_warning(
    w: Warnings,
    *,
    ratio: Fraction,
    corrected_days: Fraction,
    corrected_refill_by: Fraction,
    days_to_refill: Fraction | None,
) -> None:
    """Correcting an underdose moves more volume a day: the alarm comes sooner than planned."""
    later = 1 - ratio
    booked = ""
    if days_to_refill is not None and days_to_refill > corrected_refill_by:
        booked = (
            f" The refill booked for day {format_number(number(days_to_refill, 1))} is after "
            f"that day ({_shown(corrected_refill_by)} days from the fill): rebook it."
        )
    w.add(
        "mismatch-correction-shortens-interval",
        "danger",
        f"Once the programme is corrected to the drug in the reservoir, the pump moves "
        f"{format_number(number(1 / ratio, 2))} times the volume a day, so the reservoir runs "
        "out sooner than this fill was planned for. Corrected on the fill day, the refill-by "
        f"day comes after {_days_text(corrected_refill_by)} and the alarm after "
        f"{_days_text(corrected_days)}; corrected on day t, the alarm after "
        f"{_shown(corrected_days)} + "
        f"{format_number(number(later, 2))} x t days. Book the next refill from the corrected "
        f"programme: by the day 4 mL is left, or its alarm if set higher.{booked}",
        "medtronic-fa596",
    )


def _plus(start: dt.date, days: Fraction, field: str) -> str:
    try:
        return (start + dt.timedelta(days=math.floor(days))).isoformat()
    except OverflowError:
        raise fail(
            field,
            f"Fill date must leave room for the alarm and empty dates before 9999-12-31 (got "
            f"{start.isoformat()})",
        ) from None


def _mismatch_warning(
    w: Warnings,
    *,
    ratio: Fraction,
    programmed: Fraction,
    delivered: Fraction,
    c_prog: int,
    c_fill: int,
    days_to_alarm: Fraction,
) -> None:
    shown = (
        f"Programmed for {c_prog} mcg/mL but filled with {c_fill} mcg/mL: the pump delivers "
        f"{format_number(number(delivered, 1))} mcg/day instead of "
        f"{format_number(number(programmed, 1))} mcg/day"
    )
    lasting = (
        f" for the whole refill interval ({_shown(days_to_alarm)} days to the alarm) if "
        "uncorrected, not only until a catheter is flushed."
    )
    if ratio > 1:
        w.add(
            "concentration-mismatch-overdose",
            "danger",
            f"{shown}: {format_number(number(ratio, 2))} times the dose{lasting} Overdose: "
            "drowsiness, dizziness, respiratory depression, seizures, loss of consciousness "
            "progressing to coma. Act now: urgent medical assessment; the label's first step "
            "is to remove the drug from the pump.",
            "label-lioresal-it",
            "label-gablofen",
        )
    else:
        w.add(
            "concentration-mismatch-underdose",
            "danger",
            f"{shown}: {format_number(number(ratio * 100, 0))}% of the dose{lasting} "
            "Withdrawal: return of baseline spasticity, itching, low blood pressure, tingling, "
            "then high fever, altered mental state, rigidity; it can be fatal. Act now: urgent "
            "assessment, and correct the programme's concentration to the drug in the "
            "reservoir (or empty it and fill the programmed concentration). Do not raise the "
            "programmed dose instead: it becomes an overdose once the right drug is filled. "
            "After days at a fraction of the dose, restore it with monitoring: the label warns "
            "of overdose when therapy is resumed after an interruption (R).",
            "label-gablofen",
            "label-lioresal-it",
        )


_FILL_HELP = "The volume in the reservoir once the fill is done."

MISMATCH = Calculator(
    id="itb-concentration-mismatch",
    title="Programmed versus filled concentration",
    summary=(
        "The dose a pump delivers when the concentration in its programme is not the one in "
        "its reservoir, for the whole refill interval."
    ),
    function=itb_concentration_mismatch,
    fields=(
        Field(
            "programmed_daily_mcg",
            "Programmed daily dose",
            unit="mcg/day",
            minimum=1,
            maximum=K.ITB_PLAUSIBLE_MAX_MCG_PER_DAY.value,
            step=0.1,
            default=400,
            help="The daily dose the pump's programme shows. Up to "
            f"{K.ITB_PLAUSIBLE_MAX_MCG_PER_DAY.value} mcg/day is accepted to catch typing and "
            "mg/mcg slips (this site's bound, not a clinical maximum).",
            limit_constants=("ITB_PLAUSIBLE_MAX_MCG_PER_DAY",),
        ),
        concentration_field(
            "programmed_concentration_mcg_per_ml",
            "Programmed concentration (in the pump's settings)",
            500,
        ),
        concentration_field(
            "filled_concentration_mcg_per_ml",
            "Filled concentration (in the reservoir)",
            2000,
        ),
        reservoir_field(),
        Field(
            "fill_volume_ml",
            "Volume after the fill",
            unit="mL",
            minimum=0.5,
            maximum=max(K.PUMP_RESERVOIR_ML.value),
            step=0.01,
            default=18,
            help=_FILL_HELP,
            limit_constants=("PUMP_RESERVOIR_ML",),
        ),
        alarm_field(),
        Field(
            "fill_date",
            "Fill date",
            kind="date",
            required=False,
            default=None,
            help="Optional: gives the alarm and empty dates.",
        ),
        Field(
            "next_refill_date",
            "Next refill date (as planned)",
            kind="date",
            required=False,
            default=None,
            help="Optional, with the fill date: the total counts the days up to it.",
        ),
    ),
    outputs=(
        Output("ratio", "Filled / programmed concentration", "x"),
        Output("delivered_daily_mcg", "Dose delivered", "mcg/day"),
        Output("difference_daily_mcg", "Too much (+) or too little (-)", "mcg/day"),
        Output("days_counted", "Days counted, while the filled drug lasts", "days"),
        Output(
            "total_difference_mcg", "Total too much (+) or too little (-), if uncorrected", "mcg"
        ),
        Output("days_without_drug", "Then days with an empty reservoir", "days"),
        Output("missed_after_empty_mcg", "Drug missed while empty", "mcg"),
        Output("volume_rate_ml_per_day", "Volume pumped", "mL/day"),
        Output("days_to_refill_by", "Days to refill by", "days"),
        Output("refill_by_date", "Refill by"),
        Output("days_to_alarm", "Days to the alarm", "days"),
        Output("alarm_date", "Alarm date"),
        Output("empty_date", "Empty date"),
        Output("planned_days_to_alarm", "Alarm expected by a plan for the filled drug", "days"),
        Output("planned_alarm_date", "That plan's alarm date"),
    ),
    sources=("boster2016", "label-gablofen", "label-lioresal-it", "wesemann2014"),
    guards=Guards(
        doses=(Dose("inputs.programmed_daily_mcg", "intrathecal", "daily", "the programmed dose"),),
        changes=(
            Change(
                "inputs.programmed_daily_mcg",
                "delivered_daily_mcg",
                "intrathecal",
                "the dose delivered against the programmed dose",
            ),
        ),
        withhold=Withhold(
            ("refill_by_date", "alarm_date", "empty_date", "planned_alarm_date"),
            "Check the programmed dose against the pump's printout: the dates follow from it.",
            withheld="The refill-by, alarm and empty dates are not shown",
            also_codes=(
                "itb-daily-above-observed",
                "itb-daily-below-observed",
                "refill-interval-long",
                "refill-interval-short",
            ),
        ),
        nonnegative=(
            "days_to_refill_by",
            "days_to_alarm",
            "days_to_empty",
            "planned_days_to_alarm",
        ),
    ),
)
