"""Worked examples from the sources: inputs, the value the source's rule gives, and where.

The tests run each one and the Safety and validation page shows expected beside
computed, both taken from here and from the engine when the site is built.

``expected`` is the source's figure (or the figure its rule gives, done by hand and shown in
``working``); nothing here is copied from the engine's output.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["KNOWN_ANSWERS", "KnownAnswer"]


@dataclass(frozen=True)
class KnownAnswer:
    """One worked example: ``calculate(calculator, inputs)[output]`` should equal ``expected``."""

    calculator: str
    inputs: dict[str, Any]
    output: str
    expected: float | int | str
    working: str
    sources: tuple[str, ...]
    tolerance: float = 0
    what: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


KNOWN_ANSWERS: tuple[KnownAnswer, ...] = (
    KnownAnswer(
        "oral-titration",
        {},
        "day_target_reached",
        10,
        "5 mg t.i.d. on days 1-3, 10 on 4-6, 15 on 7-9, 20 from day 10",
        ("label-tablets",),
        what="the label's ladder reaches 20 mg three times a day",
    ),
    KnownAnswer(
        "oral-taper",
        {},
        "stop_day",
        15,
        "60 mg/day in 5 equal steps over 14 days (50, 40, 30, 20, 10), stop on day 15",
        ("bnf",),
        what="a 14-day taper from 60 mg/day (this site's equal-step arithmetic)",
    ),
    KnownAnswer(
        "oral-to-iv",
        {"oral_daily_mg": 60},
        "iv_daily_mg",
        44.4,
        "60 mg x 0.74 (mean oral bioavailability)",
        ("agarwal2015",),
        what="IV daily dose by the measured bioavailability",
    ),
    KnownAnswer(
        "itb-initial-dose",
        {"screening_dose_mcg": 50, "effect_hours": 6},
        "initial_daily_mcg",
        100,
        "twice the effective 50 mcg screening dose over 24 h (effect 8 h or less)",
        ("boster2016",),
        what="first pump dose",
    ),
    KnownAnswer(
        "itb-initial-dose",
        {"screening_dose_mcg": 50, "effect_hours": 10},
        "initial_daily_mcg",
        50,
        "the screening dose itself when the effect lasted more than 8 h",
        ("boster2016",),
        what="first pump dose after a prolonged response",
    ),
    KnownAnswer(
        "itb-titration",
        {"current_daily_mcg": 100, "target_daily_mcg": 300},
        "days_to_target_min",
        5,
        "1.3^4 = 2.86 < 3 <= 1.3^5: five daily increases of 30%",
        ("boster2016",),
        what="fewest days from 100 to 300 mcg/day (spinal, adult)",
    ),
    KnownAnswer(
        "itb-titration",
        {"current_daily_mcg": 100, "target_daily_mcg": 300},
        "days_to_target_max",
        12,
        "1.1^11 = 2.85 < 3 <= 1.1^12: twelve daily increases of 10%",
        ("boster2016",),
        what="most days from 100 to 300 mcg/day",
    ),
    KnownAnswer(
        "itb-refill",
        {"daily_dose_mcg": 400, "concentration_mcg_per_ml": 500, "alarm_ml": 2},
        "days_to_alarm",
        22.5,
        "(20 - 2) mL / (400 / 500) mL/day",
        ("label-gablofen",),
        what="days to the low-reservoir alarm",
    ),
    KnownAnswer(
        "renal-function",
        {
            "age_years": 70,
            "weight_kg": 70,
            "sex": "male",
            "serum_creatinine": 1.8,
            "planned_daily_mg": 60,
        },
        "crcl_ml_min",
        37.8,
        "(140 - 70) x 70 / (72 x 1.8) = 4900 / 129.6",
        ("cockcroft1976",),
        what="Cockcroft-Gault clearance",
    ),
    KnownAnswer(
        "renal-function",
        {
            "age_years": 70,
            "weight_kg": 70,
            "sex": "male",
            "serum_creatinine": 1.8,
            "planned_daily_mg": 60,
        },
        "reduced_daily_mg",
        30,
        "moderate group (30-50 mL/min): half of 60 mg/day",
        ("vlavonou2014",),
        what="reduced daily dose",
    ),
    KnownAnswer(
        "renal-function",
        {
            "age_years": 45,
            "weight_kg": 58,
            "height_cm": 156,
            "sex": "female",
            "serum_creatinine": 0.7,
        },
        "crcl_ml_min",
        92.9,
        "(140 - 45) x 58 / (72 x 0.7) x 0.85, actual weight (an independent known answer: "
        "MedCalc-Bench, 92.9 mL/min)",
        ("cockcroft1976",),
        what="clearance by actual weight",
    ),
    KnownAnswer(
        "itb-refill-visit",
        {},
        "expected_residual_ml",
        6.8,
        "18 mL - (200 / 500) mL/day x 28 days - 0 mL of boluses",
        ("wesemann2014",),
        what="expected residual at the refill visit (this site's arithmetic, D)",
    ),
    KnownAnswer(
        "itb-concentration-change",
        {
            "old_concentration_mcg_per_ml": 2000,
            "new_concentration_mcg_per_ml": 500,
            "fluid_path_ml": 0.3,
        },
        "unbridged_daily_mcg",
        1600,
        "400 mcg/day x 2000 / 500 (the old drug at the new rate, D)",
        ("boster2016",),
        what="daily dose delivered without a bridge",
    ),
    KnownAnswer(
        "itb-concentration-change",
        {
            "old_concentration_mcg_per_ml": 2000,
            "new_concentration_mcg_per_ml": 500,
            "fluid_path_ml": 0.3,
        },
        "unbridged_hours",
        9,
        "0.3 mL x 500 mcg/mL / 400 mcg/day = 0.375 days",
        ("boster2016",),
        what="how long the wrong dose lasts",
    ),
    KnownAnswer(
        "itb-flex-schedule",
        {},
        "total_mcg",
        400,
        "12.5 x 8 h + 20 x 14 h + 10 x 2 h",
        ("ismp-flex",),
        what="24-hour total of the default flex schedule (D)",
    ),
    KnownAnswer(
        "itb-oral-wean",
        {"current_daily_mg": 60, "step_percent": 50, "step_days": 7, "dose_unit_mg": 5},
        "stop_day",
        29,
        "60 -> 30 -> 15 -> 7.5 up to 10 -> 5 mg/day: four cuts of 7 days, stop on day 29",
        ("cmsc2015",),
        what="an oral wean by CMSC 2015's largest cut (the rounding and pace are D)",
    ),
    KnownAnswer(
        "itb-concentration-mismatch",
        {},
        "delivered_daily_mcg",
        1600,
        "400 mcg/day x 2000 / 500: the pump moves 0.8 mL/day of 2000 mcg/mL",
        ("boster2016",),
        what="dose delivered when programmed for 500 but filled with 2000 mcg/mL (D)",
    ),
)
