"""Oral to intravenous baclofen: the seed's 20% reduction beside the measured bioavailability.

References: agarwal2015 (74% oral bioavailability), schmitz2017 (oral/IV dose pairs), seed.
"""

from __future__ import annotations

from typing import Any

from . import constants as K
from ._oral import GRANULARITY_REASON
from ._util import exact, number
from .guards import Dose, Guards
from .spec import Calculator, Field, Output, Warnings, format_number


def oral_to_iv(*, oral_daily_mg: float, doses_per_day: int) -> dict[str, Any]:
    """IV daily dose for an oral daily dose by the measured bioavailability, in mg.

    ``iv_daily_mg``: oral dose x the measured mean oral bioavailability (74%), which gives a
    comparable total exposure: the result. ``seed_iv_daily_mg``: the seed's "20% reduction"
    (status NF, not found in the sources), shown beside it as the seed's claim, never as a dose.
    ``iv_per_dose_mg`` is arithmetic only (the daily dose divided by ``doses_per_day``): no
    study used that split. Results are rounded to 0.01 mg.

    References: agarwal2015, schmitz2017, seed.
    """
    oral = exact(oral_daily_mg)
    seed_iv = oral * (1 - exact(K.SEED_IV_REDUCTION_FRACTION.value))
    bio_iv = oral * exact(K.ORAL_BIOAVAILABILITY.value)
    warnings = Warnings()
    # Caution: intravenous baclofen was an investigational product in both studies.
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
        f"The seed's figure ({format_number(number(seed_iv))} mg/day, a "
        f"{format_number(K.SEED_IV_REDUCTION_FRACTION.value * 100)}% reduction) is the seed's "
        "statement; it was not found in the primary sources and is not a dose. The measured mean "
        f"oral bioavailability, {format_number(K.ORAL_BIOAVAILABILITY.value * 100)}%, implies an "
        f"IV dose about {format_number(100 - K.ORAL_BIOAVAILABILITY.value * 100)}% smaller.",
        "seed",
        *K.ORAL_BIOAVAILABILITY.sources,
    )
    oral_n, iv_n = K.IV_NYSTAGMUS_IV_OF_36.value
    # Caution, not info: an equal exposure over a day is not an equal peak, and the peak is
    # what the one adverse effect the studies counted followed.
    warnings.add(
        "iv-peak-not-auc",
        "caution",
        f"{format_number(K.ORAL_BIOAVAILABILITY.value * 100)}% of the oral dose gives a "
        "comparable total exposure (area under the curve), not a comparable peak: an "
        "intravenous dose peaks higher. Transient nystagmus followed "
        f"{iv_n} of 36 intravenous doses against {oral_n} of 36 oral ones. The studies gave "
        "single doses to healthy volunteers; an enteral route (a feeding tube) and watching "
        "for withdrawal are the practical questions when a patient cannot swallow.",
        *K.IV_NYSTAGMUS_IV_OF_36.sources,
        *K.ORAL_BIOAVAILABILITY.sources,
    )
    pairs = K.SCHMITZ_IV_ORAL_PAIRS_MG.value
    pair_text = ", ".join(
        f"{format_number(pairs[i])} mg oral / {format_number(pairs[i + 1])} mg IV"
        for i in range(0, len(pairs), 2)
    )
    return {
        "oral_daily_mg": number(oral),
        "iv_daily_mg": number(bio_iv),
        "iv_per_dose_mg": number(bio_iv / doses_per_day),
        "seed_iv_daily_mg": number(seed_iv),
        "doses_per_day": doses_per_day,
        "warnings": warnings.items,
        "notes": [
            (
                f"A dose-escalation study paired {pair_text} (about 75%), single doses in "
                "healthy volunteers."
            ),
            (
                f"The per-dose figure is arithmetic (the daily dose divided by {doses_per_day}); "
                "no study used that split, and no repeated-dose intravenous regimen was studied."
            ),
            (
                "The studies infused each single dose over "
                + " or ".join(f"{m} minutes" for m in K.IV_INFUSION_MINUTES_STUDIED.value)
                + "."
            ),
            "Figures are rounded to 0.01 mg.",
        ],
    }


_BIO = format_number(K.ORAL_BIOAVAILABILITY.value * 100)
_SEED = format_number(K.SEED_IV_REDUCTION_FRACTION.value * 100)

CALCULATOR = Calculator(
    id="oral-to-iv",
    title="Oral to intravenous conversion",
    summary=f"The IV daily dose for an oral daily dose by the measured {_BIO}% bioavailability, "
    f"with the seed's {_SEED}% figure shown beside it as the seed's claim.",
    function=oral_to_iv,
    fields=(
        Field(
            "oral_daily_mg",
            "Oral daily dose",
            unit="mg/day",
            minimum=K.ORAL_DOSE_GRANULARITY_MG.value,
            maximum=float(K.ORAL_PLAUSIBLE_MAX_DAILY_MG.value),
            step=K.ORAL_DOSE_GRANULARITY_MG.value,
            multiple_of=K.ORAL_DOSE_GRANULARITY_MG.value,
            multiple_reason=GRANULARITY_REASON,
            default=60,
            help="The total oral dose per day. Above "
            f"{K.ORAL_MAX_DAILY_MG_US.value} mg/day (the US maximum) draws a caution; up to "
            f"{K.ORAL_PLAUSIBLE_MAX_DAILY_MG.value} mg/day is accepted (this site's bound "
            "against typing slips, not a clinical maximum).",
            sources=K.ORAL_MAX_DAILY_MG_US.sources,
            limit_constants=("ORAL_PLAUSIBLE_MAX_DAILY_MG",),
        ),
        Field(
            "doses_per_day",
            "IV doses per day",
            unit="doses/day",
            minimum=K.IV_MIN_DOSES_PER_DAY.value,
            maximum=6,
            step=1,
            integer=True,
            default=3,
            help="Used only to divide the daily dose (arithmetic: no study used a split). At "
            f"least {K.IV_MIN_DOSES_PER_DAY.value} (this site's choice): baclofen's half-life "
            "is a few hours.",
            sources=K.IV_MIN_DOSES_PER_DAY.sources,
            limit_constants=("IV_MIN_DOSES_PER_DAY",),
        ),
    ),
    outputs=(
        Output("iv_daily_mg", f"IV daily dose, by {_BIO}% bioavailability", "mg/day"),
        Output("iv_per_dose_mg", "per dose (arithmetic: daily dose ÷ doses)", "mg"),
        Output(
            "seed_iv_daily_mg",
            f"The seed's claim, a {_SEED}% reduction (not found in the sources; not a dose)",
            "mg/day",
        ),
    ),
    sources=("agarwal2015", "schmitz2017", "seed"),
    guards=Guards(
        doses=(
            Dose("iv_per_dose_mg", "iv", "single", "the IV dose per administration"),
            Dose("iv_daily_mg", "iv", "daily", "the IV daily dose"),
            Dose("inputs.oral_daily_mg", "oral", "daily", "the oral daily dose"),
        ),
    ),
)
