"""Oral to intravenous baclofen: the seed's 20% reduction beside the measured bioavailability.

References: agarwal2015 (74% oral bioavailability), schmitz2017 (oral/IV dose pairs), seed.
"""

from __future__ import annotations

from typing import Any

from . import constants as K
from ._util import exact, number
from .spec import Calculator, Field, Output, Warnings, format_number


def oral_to_iv(*, oral_daily_mg: float, doses_per_day: int) -> dict[str, Any]:
    """IV daily dose for an oral daily dose, two ways, in mg.

    ``iv_daily_mg``: the seed's "20% reduction" (status NF: not found in the sources).
    ``iv_daily_mg_bioavailability``: oral dose x the measured mean oral bioavailability (74%),
    which gives a comparable total exposure. Per-dose amounts divide by ``doses_per_day``.
    Results are rounded to 0.01 mg.

    References: agarwal2015, schmitz2017, seed.
    """
    oral = exact(oral_daily_mg)
    seed_iv = oral * (1 - exact(K.SEED_IV_REDUCTION_FRACTION.value))
    bio_iv = oral * exact(K.ORAL_BIOAVAILABILITY.value)
    warnings = Warnings()
    warnings.add(
        "iv-investigational",
        "caution",
        "Intravenous baclofen was investigational in the studies behind these figures.",
        "agarwal2015",
        "schmitz2017",
    )
    warnings.add(
        "seed-20-percent-not-found",
        "info",
        f"The {format_number(K.SEED_IV_REDUCTION_FRACTION.value * 100)}% reduction is the "
        "seed's statement; it was not found in the primary sources. The measured mean oral "
        f"bioavailability, {format_number(K.ORAL_BIOAVAILABILITY.value * 100)}%, implies an IV "
        f"dose about {format_number(100 - K.ORAL_BIOAVAILABILITY.value * 100)}% smaller.",
        "seed",
        *K.ORAL_BIOAVAILABILITY.sources,
    )
    pairs = K.SCHMITZ_IV_ORAL_PAIRS_MG.value
    pair_text = ", ".join(
        f"{format_number(pairs[i])} mg oral / {format_number(pairs[i + 1])} mg IV"
        for i in range(0, len(pairs), 2)
    )
    return {
        "oral_daily_mg": number(oral),
        "iv_daily_mg": number(seed_iv),
        "iv_per_dose_mg": number(seed_iv / doses_per_day),
        "iv_daily_mg_bioavailability": number(bio_iv),
        "iv_per_dose_mg_bioavailability": number(bio_iv / doses_per_day),
        "doses_per_day": doses_per_day,
        "warnings": warnings.items,
        "notes": [
            f"A dose-escalation study paired {pair_text} (about 75%).",
            "Figures are rounded to 0.01 mg.",
        ],
    }


CALCULATOR = Calculator(
    id="oral-to-iv",
    title="Oral to intravenous conversion",
    summary="The IV daily dose for an oral daily dose: the seed's 20% figure and the measured "
    "bioavailability, side by side.",
    function=oral_to_iv,
    fields=(
        Field(
            "oral_daily_mg",
            "Oral daily dose",
            unit="mg/day",
            minimum=0.5,
            maximum=float(K.ORAL_MAX_DAILY_MG_UK_AU.value),
            step=0.5,
            default=60,
            help="The total oral dose per day. 100 mg/day, the UK and Australian maximum, is "
            "the highest value accepted.",
            sources=K.ORAL_MAX_DAILY_MG_UK_AU.sources,
            limit_constants=("ORAL_MAX_DAILY_MG_UK_AU",),
        ),
        Field(
            "doses_per_day",
            "IV doses per day",
            unit="doses/day",
            minimum=1,
            maximum=6,
            step=1,
            integer=True,
            default=3,
            help="Used only to divide the daily dose.",
        ),
    ),
    outputs=(
        Output("iv_daily_mg_bioavailability", "IV daily dose, by 74% bioavailability", "mg/day"),
        Output("iv_per_dose_mg_bioavailability", "per dose", "mg"),
        Output(
            "iv_daily_mg",
            "IV daily dose, by the seed's 20% reduction (not found in sources)",
            "mg/day",
        ),
        Output("iv_per_dose_mg", "per dose", "mg"),
    ),
    sources=("agarwal2015", "schmitz2017", "seed"),
)
