"""``itb-titration``: next day's intrathecal dose range by origin and age, and days to a target.

References: boster2016, label-gablofen, label-lioresal-it, cmsc2015.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import constants as K
from ._itb import DOSE_HELP, PLAUSIBLE_MAX_MCG_PER_DAY
from ._util import exact, number
from .guards import Dose, Guards, Withhold
from .spec import Calculator, Choice, Column, Field, Output, Table, Warnings, format_number

if TYPE_CHECKING:
    from fractions import Fraction


def _pct(fraction: float) -> str:
    return f"{format_number(fraction * 100)}%"


def _range_pct(constant: K.Constant[tuple[float, float]]) -> str:
    """``10-30%`` from a pair of fractions."""
    lo, hi = constant.value
    return f"{format_number(lo * 100)}-{_pct(hi)}"


_RATES = {
    ("adult", "spinal"): K.ITB_TITRATION_ADULT_SPINAL,
    ("adult", "cerebral"): K.ITB_TITRATION_ADULT_CEREBRAL,
    ("child", "spinal"): K.ITB_TITRATION_CHILD,
    ("child", "cerebral"): K.ITB_TITRATION_CHILD,
}


def _ladder(current: Fraction, target: Fraction, rate: Fraction) -> list[dict[str, Any]]:
    """Daily doses from ``current`` rising by ``rate`` once a day.

    The last step ends at ``target`` exactly (capped, never passed).
    """
    rows = [{"day": 0, "daily_mcg": number(current, 1)}]
    dose = current
    day = 0
    while dose < target:
        day += 1
        dose = min(dose * (1 + rate), target)
        rows.append({"day": day, "daily_mcg": number(dose, 1)})
    return rows


def _capped(dose: Fraction, current: Fraction, target_daily_mcg: float | None) -> Fraction:
    """A next-day dose never passes a target above the current dose (fifth review W-1)."""
    if target_daily_mcg is None or exact(target_daily_mcg) <= current:
        return dose
    return min(dose, exact(target_daily_mcg))


def _next_range_warning(
    warnings: Warnings, *, current: Fraction, next_max: Fraction, child: bool
) -> None:
    """Caution when the next day's range leaves the observed doses (fifth review M-3)."""
    constant = K.ITB_OBSERVED_CHILD_MAX_MCG if child else K.ITB_OBSERVED_SPINAL_RANGE_MCG
    observed = K.ITB_OBSERVED_CHILD_MAX_MCG.value if child else constant.value[1]  # type: ignore[index]
    if current <= observed < next_max:
        warnings.add(
            "next-range-above-observed",
            "caution",
            f"The next day's range reaches {format_number(number(next_max))} mcg/day, above the "
            f"highest daily dose observed ({observed} mcg/day; label figures seen in handbooks): "
            "the step itself leaves the doses the label reports. Consider a smaller increase.",
            *constant.sources,
        )


def itb_titration(
    *,
    current_daily_mcg: float,
    origin: str,
    age_group: str,
    target_daily_mcg: float | None = None,
    age_years: float | None = None,
) -> dict[str, Any]:
    """Next day's dose range during titration and, with a target, the days needed.

    Adults: spinal origin 10-30%, cerebral origin 5-15%; children 5-15%; at most one increase
    every 24 hours. ``days_to_target_min`` uses the largest increase every day,
    ``days_to_target_max`` the smallest. Doses in mcg/day. "Child" means under 12 years, the
    age of the label's paediatric maintenance figures (this site's reading).

    References: boster2016 (V1), label-gablofen (V2), label-lioresal-it (V2, maintenance),
    cmsc2015 (increases above 20% at higher doses).
    """
    # Under 18 the paediatric rates apply whatever the group (fourth blind review D2: an
    # adult range printed under "check the age group" is a dose under its own doubt).
    young = age_years is not None and age_years < K.ITB_ADULT_FROM_YEARS.value
    rate_group = "child" if young else age_group
    rate = _RATES[(rate_group, origin)]
    lo, hi = (exact(v) for v in rate.value)
    current = exact(current_daily_mcg)
    result: dict[str, Any] = {
        "next_min_mcg_per_day": number(_capped(current * (1 + lo), current, target_daily_mcg)),
        "next_max_mcg_per_day": number(_capped(current * (1 + hi), current, target_daily_mcg)),
        "increase_percent": f"{format_number(float(lo) * 100)}–{_pct(float(hi))}",
        "interval_hours": K.ITB_TITRATION_INTERVAL_HOURS.value,
        "days_to_target_min": None,
        "days_to_target_max": None,
        "fastest": [],
        "slowest": [],
    }
    warnings = Warnings()
    if target_daily_mcg is not None:
        target = exact(target_daily_mcg)
        if target <= current:
            warnings.add(
                "target-not-above-current",
                "info",
                f"The target ({format_number(target_daily_mcg)} mcg/day) is not above the "
                f"current dose ({format_number(current_daily_mcg)} mcg/day); this calculator "
                "plans increases only.",
            )
        else:
            fastest = _ladder(current, target, hi)
            slowest = _ladder(current, target, lo)
            result.update(
                days_to_target_min=fastest[-1]["day"],
                days_to_target_max=slowest[-1]["day"],
                fastest=fastest,
                slowest=slowest,
            )
    maintenance = (
        {
            "spinal": K.ITB_MAINTENANCE_SPINAL_MCG,
            "cerebral": K.ITB_MAINTENANCE_CEREBRAL_MCG,
        }[origin]
        if age_group == "adult"
        else K.ITB_MAINTENANCE_CHILD_MCG
    )
    m_lo, m_hi = maintenance.value
    under = K.ITB_CHILD_UNDER_YEARS.value
    highest = max(current, exact(target_daily_mcg)) if target_daily_mcg is not None else current
    if highest > m_hi:
        if age_group == "child":
            what = (
                f"the range of doses observed in children under {under} ({m_lo}–{m_hi} mcg/day, "
                f"mean {K.ITB_MAINTENANCE_CHILD_MEAN_MCG.value}; label figures seen in handbooks)"
                ". An observed range, not a usual one and not a limit."
            )
        else:
            what = (
                f"the usual maintenance range for {origin} origin ({m_lo}–{m_hi} mcg/day, label "
                "figures seen in handbooks). A usual range, not a limit."
            )
        warnings.add(
            "above-usual-maintenance",
            "info",
            f"{format_number(number(highest))} mcg/day is above {what}",
            *maintenance.sources,
        )
    _next_range_warning(
        warnings,
        current=current,
        next_max=_capped(current * (1 + hi), current, target_daily_mcg),
        child=age_group == "child",
    )
    large = K.ITB_LARGE_INCREASE_FRACTION.value
    if hi > large and highest >= m_lo:
        # Caution: cmsc2015 calls such an increase possibly excessive at higher doses; the
        # abstract does not define "higher", so this site reads it as the usual maintenance
        # range and says so.
        warnings.add(
            "large-increase-at-higher-dose",
            "caution",
            f"The largest increase here, {_pct(float(hi))} a day, is above "
            f"{_pct(float(large))}: 'at higher doses an increase >20% may be excessive' "
            f"(CMSC 2015 abstract). At {format_number(number(highest))} mcg/day the dose is "
            f"at or above the lower end of the usual maintenance range ({m_lo} mcg/day), which "
            f"this site takes as 'higher'; consider at most {_pct(float(large))} for the "
            "increases made there.",
            *K.ITB_LARGE_INCREASE_FRACTION.sources,
            *maintenance.sources,
        )
    if age_years is not None:
        youngest = K.ITB_MIN_LABELLED_AGE_YEARS.value
        if age_years < youngest:
            # Caution: outside the labelled population, the figures here were not studied.
            warnings.add(
                "below-labelled-age",
                "caution",
                f"GABLOFEN is indicated from {youngest} years of age; at "
                f"{format_number(age_years)} years the patient is below it.",
                *K.ITB_MIN_LABELLED_AGE_YEARS.sources,
            )
        adult_from = K.ITB_ADULT_FROM_YEARS.value
        if age_group == "adult" and under <= age_years < adult_from:
            warnings.add(
                "adolescent-adult-rates",
                "caution",
                f"At {format_number(age_years)} years the paediatric rates are used "
                f"({result['increase_percent']} a day), not the adult ones: the label's "
                f"titration for paediatric patients has no {under}-year cut, and the "
                f"{under}-year line is this site's reading. Under {adult_from} years this site "
                "uses the paediatric rates (its own choice); the adult group is kept for the "
                "maintenance range only.",
                *K.ITB_ADULT_FROM_YEARS.sources,
            )
        if (age_years < under) != (age_group == "child"):
            warnings.add(
                "age-group-mismatch",
                "caution",
                f"Age {format_number(age_years)} years with the age group set to "
                f"{'child' if age_group == 'child' else 'adult'}: here 'child' means under "
                f"{under} years. Check the age group."
                + (
                    f" The paediatric rates ({result['increase_percent']}) are used at this age."
                    if age_group == "adult"
                    else ""
                ),
                *K.ITB_CHILD_UNDER_YEARS.sources,
            )
    warnings.add(
        "once-per-24h",
        "info",
        f"At most one increase every {K.ITB_TITRATION_INTERVAL_HOURS.value} hours "
        f"({'children' if rate_group == 'child' else 'adults, ' + origin + ' origin'}: "
        f"{result['increase_percent']}).",
        *rate.sources,
    )
    result["warnings"] = warnings.items
    result["notes"] = [
        (
            "Day counts assume one increase every 24 hours by the same percentage; the last "
            "increase stops at the target."
        ),
    ]
    return result


TITRATION = Calculator(
    id="itb-titration",
    title="Intrathecal titration",
    summary="The next day's dose range by origin and age, and the days needed to reach a target.",
    function=itb_titration,
    fields=(
        Field(
            "current_daily_mcg",
            "Current daily dose",
            unit="mcg/day",
            minimum=1,
            maximum=PLAUSIBLE_MAX_MCG_PER_DAY,
            step=0.1,
            default=100,
            help=DOSE_HELP,
        ),
        Field(
            "origin",
            "Origin of spasticity",
            kind="choice",
            default="spinal",
            choices=(Choice("spinal", "Spinal"), Choice("cerebral", "Cerebral")),
            help=f"Adults titrate {_range_pct(K.ITB_TITRATION_ADULT_SPINAL)} a day for spinal and "
            f"{_range_pct(K.ITB_TITRATION_ADULT_CEREBRAL)} for cerebral origin.",
            sources=K.ITB_TITRATION_ADULT_SPINAL.sources,
        ),
        Field(
            "age_group",
            "Age group",
            kind="choice",
            default="adult",
            choices=(
                Choice("adult", f"Adult ({K.ITB_CHILD_UNDER_YEARS.value} years or older)"),
                Choice("child", f"Child (under {K.ITB_CHILD_UNDER_YEARS.value} years)"),
            ),
            help=f"Children titrate {_range_pct(K.ITB_TITRATION_CHILD)} a day whatever the "
            f"origin. 'Child' means under {K.ITB_CHILD_UNDER_YEARS.value} years, the age of the "
            "label's paediatric maintenance figures.",
            sources=K.ITB_TITRATION_CHILD.sources,
        ),
        Field(
            "target_daily_mcg",
            "Target daily dose",
            unit="mcg/day",
            minimum=1,
            maximum=PLAUSIBLE_MAX_MCG_PER_DAY,
            step=0.1,
            required=False,
            default=None,
            help="Optional: gives the fewest and the most days to reach it. " + DOSE_HELP,
        ),
        Field(
            "age_years",
            "Age",
            unit="years",
            minimum=0,
            maximum=110,
            step=1,
            required=False,
            default=None,
            help=f"Optional: checks the age group and the labelled age (GABLOFEN from "
            f"{K.ITB_MIN_LABELLED_AGE_YEARS.value} years).",
            sources=K.ITB_MIN_LABELLED_AGE_YEARS.sources,
        ),
    ),
    outputs=(
        Output("next_min_mcg_per_day", "Next day, smallest increase", "mcg/day"),
        Output("next_max_mcg_per_day", "Next day, largest increase", "mcg/day"),
        Output("increase_percent", "Increase per 24 hours"),
        Output("days_to_target_min", "Days to target, fastest", "days"),
        Output("days_to_target_max", "Days to target, slowest", "days"),
    ),
    tables=(
        Table(
            "fastest",
            "Fastest: largest increase every 24 hours",
            (Column("day", "Day"), Column("daily_mcg", "Daily dose", "mcg/day")),
            chart_y="daily_mcg",
            chart_label="Daily dose (mcg/day)",
        ),
        Table(
            "slowest",
            "Slowest: smallest increase every 24 hours",
            (Column("day", "Day"), Column("daily_mcg", "Daily dose", "mcg/day")),
            chart_y="daily_mcg",
            chart_label="Daily dose (mcg/day)",
        ),
    ),
    sources=("boster2016", "label-gablofen"),
    guards=Guards(
        doses=tuple(
            Dose(path, "intrathecal", "daily", label, child_path="inputs.age_group")
            for path, label in (
                ("inputs.current_daily_mcg", "the current daily dose"),
                ("inputs.target_daily_mcg", "the target daily dose"),
            )
        ),
        # A next-day range built on a dose outside everything observed would print a dose
        # under the result's own "check the figure, its unit" caution (fourth review D-4).
        withhold=Withhold(
            outputs=(
                "next_min_mcg_per_day",
                "next_max_mcg_per_day",
                "days_to_target_min",
                "days_to_target_max",
                "fastest",
                "slowest",
            ),
            measure="Confirm the current (and target) daily dose from the pump programmer, in "
            "mcg per day; this site shows no titration range for a dose outside every dose "
            "the label reports as observed.",
            also_codes=("itb-daily-above-observed", "itb-daily-below-observed"),
        ),
    ),
)
