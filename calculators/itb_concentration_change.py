"""``itb-concentration-change``: the dose while the fluid path holds the old concentration.

What the patient receives while the fluid path still holds the old concentration, with and
without a bridge.

The arithmetic is this site's own (status D in the evidence base, "Our arithmetic"), shown
step by step in each result; the figures it is compared with carry their sources.

References: boster2016, label-gablofen.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

from . import constants as K
from ._itb import (
    _EMERGENCIES,
    _HOURS_PER_DAY,
    DOSE_HELP,
    _mcg,
    _ml,
    _pct,
    concentration_field,
    dose_field,
)
from ._util import exact, fail, number, significant
from .guards import Change, Dose, Guards
from .spec import Calculator, Choice, Column, Field, Output, Table, Warnings, format_number

_BOSTER_BRIDGE = (
    'Boster 2016: "A higher concentration at refill can extend refill intervals, and a bridge '
    'bolus must be programmed."'
)
_MINUTES_PER_HOUR = 60


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


CONCENTRATION_CHANGE = Calculator(
    id="itb-concentration-change",
    title="Concentration change and the bridge",
    summary=(
        "The dose the patient actually receives after a concentration change, with and "
        "without a bridge bolus."
    ),
    function=itb_concentration_change,
    fields=(
        dose_field("daily_dose_mcg", "Daily dose", 400, DOSE_HELP),
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
