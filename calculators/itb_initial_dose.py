"""``itb-initial-dose``: the first intrathecal pump dose after a positive screening bolus.

References: boster2016, boster2016screen, label-gablofen, cmsc2015.
"""

from __future__ import annotations

from typing import Any

from . import constants as K
from ._util import exact, number, significant
from .guards import Dose, Guards, Withhold
from .spec import Calculator, Choice, Field, Output, Warnings, format_number


def itb_initial_dose(
    *, screening_dose_mcg: int, effect_hours: float, negative_reactions: str = "no"
) -> dict[str, Any]:
    """Initial daily pump dose after a positive screening bolus.

    Twice the effective screening dose over 24 hours; the screening dose itself when its
    effect lasted more than 8 hours or the patient had negative reactions to the bolus. No
    increase in the first 24 hours. Doses in mcg.

    References: boster2016 (V1), label-gablofen (V2), cmsc2015, boster2016screen.
    """
    long_effect = effect_hours > K.ITB_LONG_EFFECT_HOURS.value
    reacted = negative_reactions == "yes"
    multiplier = 1 if (long_effect or reacted) else K.ITB_INITIAL_MULTIPLIER.value
    daily = exact(screening_dose_mcg) * multiplier
    warnings = Warnings()
    if reacted:
        # Caution: a doubled dose after a bad reaction is the error this branch prevents.
        warnings.add(
            "negative-reactions",
            "caution",
            "Negative reactions to the screening bolus: Boster 2016 starts at the screening dose "
            f"itself ({screening_dose_mcg} mcg/day), not {K.ITB_INITIAL_MULTIPLIER.value} times "
            "it. Review the reaction before starting.",
            "boster2016",
        )
    warnings.add(
        "no-increase-24h",
        "info",
        f"Do not increase the dose in the first {K.ITB_NO_INCREASE_HOURS.value} hours.",
        *K.ITB_NO_INCREASE_HOURS.sources,
    )
    warnings.add(
        "monitor-after-start",
        "info",
        f"Monitor the patient for at least {K.ITB_MONITOR_HOURS.value} hours after the pump is "
        "started; have resuscitation equipment available, as at screening, titration and "
        "refills. In tenuous cases the pump can be started at a minimum rate.",
        *K.ITB_MONITOR_HOURS.sources,
        "label-gablofen",
    )
    window_lo, window_hi = K.ITB_RESPONSE_WINDOW_HOURS.value
    if effect_hours < window_lo:
        # Caution: an "effect" shorter than the observation window is a question to ask,
        # not a response to double (label, reproduction: never a refusal).
        warnings.add(
            "effect-outside-response-window",
            "caution",
            f"An effect of {format_number(effect_hours)} hours is shorter than the "
            f"{window_lo}-{window_hi} hours over which the label observes a screening response "
            f"(this site's reading: below {window_lo} hours). Ask whether the response was "
            "positive, and judged at its peak, before starting the pump at this dose.",
            *K.ITB_RESPONSE_WINDOW_HOURS.sources,
        )
    if screening_dose_mcg == K.ITB_SCREENING_DOSE_SMALL_CHILD_MCG.value:
        warnings.add(
            "small-child-screening",
            "info",
            f"{screening_dose_mcg} mcg is the screening dose for very small children and for "
            "patients who rely on their spasticity for mobility (standing, transfers, walking).",
            *K.ITB_SCREENING_DOSE_SMALL_CHILD_MCG.sources,
        )
    if screening_dose_mcg == max(K.ITB_SCREENING_DOSES_MCG.value):
        warnings.add(
            "last-screening-dose",
            "info",
            f"{screening_dose_mcg} mcg is the last screening step: a patient who does not "
            "respond to it is not a candidate for intrathecal therapy.",
            *K.ITB_SCREENING_DOSES_MCG.sources,
        )
    hours = K.ITB_LONG_EFFECT_HOURS.value
    if reacted:
        rule = "negative reactions to the bolus: the screening dose itself"
    elif long_effect:
        rule = f"effect lasted more than {hours} hours: the screening dose itself"
    elif effect_hours < window_lo:
        rule = (
            f"an effect of {format_number(effect_hours)} hours is shorter than the observation "
            "window: no rule is applied until a positive response is confirmed"
        )
    else:
        rule = (
            f"effect lasted {hours} hours or less, no negative reactions: "
            f"{K.ITB_INITIAL_MULTIPLIER.value} x the screening dose"
        )
    return {
        "initial_daily_mcg": number(daily),
        "hourly_mcg": significant(daily / 24, 4),
        "rule": rule,
        "first_increase_after_hours": K.ITB_NO_INCREASE_HOURS.value,
        "warnings": warnings.items,
        "notes": ["The daily dose is given continuously over 24 hours by the pump."],
    }


INITIAL = Calculator(
    id="itb-initial-dose",
    title="Initial intrathecal pump dose",
    summary="The first daily pump dose after a positive screening bolus.",
    function=itb_initial_dose,
    fields=(
        Field(
            "screening_dose_mcg",
            "Effective screening dose",
            kind="choice",
            unit="mcg",
            default=50,
            choices=(
                Choice(
                    K.ITB_SCREENING_DOSE_SMALL_CHILD_MCG.value,
                    f"{K.ITB_SCREENING_DOSE_SMALL_CHILD_MCG.value} mcg (very small children, or "
                    "relying on spasticity for mobility)",
                ),
                *(Choice(d, f"{d} mcg") for d in K.ITB_SCREENING_DOSES_MCG.value),
            ),
            help="The bolus that produced a positive response ("
            + ", then ".join(f"{d} mcg" for d in K.ITB_SCREENING_DOSES_MCG.value)
            + f", at least {K.ITB_SCREENING_INTERVAL_HOURS.value} hours apart).",
            sources=K.ITB_SCREENING_DOSES_MCG.sources,
        ),
        Field(
            "effect_hours",
            "Duration of effect",
            unit="hours",
            minimum=0.5,
            maximum=24,
            step=0.5,
            default=6,
            help=f"How long the screening dose's effect lasted. More than "
            f"{K.ITB_LONG_EFFECT_HOURS.value} hours changes the rule.",
            sources=K.ITB_LONG_EFFECT_HOURS.sources,
        ),
        Field(
            "negative_reactions",
            "Negative reactions to the bolus",
            kind="choice",
            default="no",
            choices=(Choice("no", "No"), Choice("yes", "Yes")),
            help="Negative reactions to the screening bolus also mean starting at the screening "
            "dose itself.",
            sources=("boster2016",),
        ),
    ),
    outputs=(
        Output("initial_daily_mcg", "Initial daily dose", "mcg/day"),
        Output("hourly_mcg", "Hourly rate", "mcg/hour"),
        Output("rule", "Rule applied"),
        Output("first_increase_after_hours", "First increase no sooner than", "hours"),
    ),
    sources=("boster2016", "label-gablofen"),
    guards=Guards(
        doses=(
            Dose("initial_daily_mcg", "intrathecal", "daily", "the initial daily dose"),
            Dose("inputs.screening_dose_mcg", "intrathecal", "bolus", "the screening bolus"),
        ),
        # A dose doubled from an "effect" the result itself questions is not printed (fourth
        # blind review M9).
        withhold=Withhold(
            outputs=("initial_daily_mcg", "hourly_mcg"),
            measure="Confirm a positive response, judged at its peak within the label's "
            "observation window; the first pump dose is then twice the screening dose, or the "
            "screening dose itself after a response longer than 8 hours.",
            also_codes=("effect-outside-response-window",),
        ),
    ),
)
