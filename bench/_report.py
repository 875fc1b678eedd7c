"""Medians, ratios and targets from the raw samples, and the printed Markdown table."""

# bench/ is a folder of scripts run by path, not a package; the multiplication sign in the
# table is deliberate typography.
# ruff: noqa: INP001, RUF001

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass
from typing import Any

DASH = "—"


@dataclass(frozen=True)
class Target:
    """A goal from the performance issue: ``value <= limit``, in ``unit`` ("x" or "ms")."""

    name: str
    limit: float
    unit: str


# Issue 14 ("faster than bare Pyodide"); the switch and first-paint targets are older ones.
TARGETS = {
    "cold": Target("Cold start ≤ 1.05 × baseline cold", 1.05, "x"),
    "quick": Target("Quick second visit (1 s after live) ≤ 0.25 × baseline's", 0.25, "x"),
    "warm": Target("Warm start ≤ 0.25 × baseline warm", 0.25, "x"),
    "recalc_p95": Target("Recalculation, input event → result shown, p95 ≤ 50 ms", 50.0, "ms"),
    "longtask": Target("No main-thread long task > 50 ms caused by our code", 50.0, "ms"),
    "switch": Target("Instant-navigation page switch → live ≤ 100 ms (median)", 100.0, "ms"),
    "fcp": Target("FCP within 10% of the page without a calculator", 1.10, "x"),
}


def _clean(values: list[float | None]) -> list[float]:
    return [v for v in values if v is not None]


def median(values: list[float | None]) -> float | None:
    """The median of the values that are not None; None if there are none."""
    vals = _clean(values)
    return statistics.median(vals) if vals else None


def p95(values: list[float | None]) -> float | None:
    """Nearest-rank 95th percentile of the values that are not None."""
    vals = sorted(_clean(values))
    if not vals:
        return None
    return vals[max(0, math.ceil(0.95 * len(vals)) - 1)]


def ratio(a: float | None, b: float | None) -> float | None:
    """``a / b``, or None when either is missing or ``b`` is zero."""
    return None if a is None or not b else a / b


def _longtasks(per_visit: list[list[dict[str, Any]]]) -> dict[str, Any]:
    everything = [t for tasks in per_visit for t in tasks]
    pyodide = [t for t in everything if t["pyodide"]]
    return {
        "count_median": median([len(tasks) for tasks in per_visit]),
        "max_ms": max((t["duration_ms"] for t in everything), default=0.0),
        "pyodide_count": len(pyodide),
        "pyodide_max_ms": max((t["duration_ms"] for t in pyodide), default=0.0),
    }


def _edits(rows: list[dict[str, Any]]) -> dict[str, Any]:
    def col(key: str) -> list[float | None]:
        return [r[key] for r in rows]

    return {
        "n": len(rows),
        "timeouts": sum(r["with_debounce_ms"] is None for r in rows),
        "with_debounce_median_ms": median(col("with_debounce_ms")),
        "with_debounce_p95_ms": p95(col("with_debounce_ms")),
        "compute_median_ms": median(col("compute_ms")),
        "compute_p95_ms": p95(col("compute_ms")),
        "debounce_median_ms": median(col("debounce_ms")),
    }


def summarize(data: dict[str, Any]) -> dict[str, Any]:
    """Medians per measure and kind, the ratios ours / baseline, and each target met or not."""
    visits = data["visits"]

    def pick(kind: str, which: str, key: str) -> list[Any]:
        return [v[key] for v in visits if v["kind"] == kind and v["visit"] == which]

    s: dict[str, Any] = {}
    for which in ("cold", "quick", "warm", "restart"):
        live = {k: median(pick(k, which, "live_ms")) for k in ("baseline", "ours")}
        s[f"{which}_live_ms"] = {
            **live,
            "ratio": ratio(live["ours"], live["baseline"]),
            "ours_all": pick("ours", which, "live_ms"),
            "baseline_all": pick("baseline", which, "live_ms"),
            "ours_start_paths": pick("ours", which, "start_path"),
        }
        sent = {k: median(pick(k, which, "bytes")) for k in ("baseline", "ours")}
        s[f"{which}_bytes"] = {**sent, "ratio": ratio(sent["ours"], sent["baseline"])}
        s[f"{which}_longtasks"] = {
            k: _longtasks(pick(k, which, "longtasks")) for k in ("baseline", "ours")
        }
    switches = data["switches"]
    s["switch"] = {
        "n": len(switches),
        "median_ms": median([x["live_ms"] for x in switches]),
        "max_ms": max((x["live_ms"] for x in switches), default=None),
        "bound_median_ms": median([x.get("bound_ms") for x in switches]),
        "instant": all(x["instant"] for x in switches) if switches else None,
        "bytes_median": median([x["bytes"] for x in switches]),
    }
    s["edits_ours"] = _edits(data["edits"]["ours"])
    s["edits_baseline"] = _edits(data["edits"]["baseline"])
    # With and without the calculator: the same page loaded alone, in turn, in new profiles.
    fcp_with = median([p["ours"]["fcp_ms"] for p in data["fcp_pairs"]])
    fcp_without = median([p["nocalc"]["fcp_ms"] for p in data["fcp_pairs"]])
    s["fcp_ms"] = {
        "pairs": len(data["fcp_pairs"]),
        "with": fcp_with,
        "without": fcp_without,
        "ratio_ours_nocalc": ratio(fcp_with, fcp_without),
        "ours_cold_visit": median(pick("ours", "cold", "fcp_ms")),
        "baseline": median(pick("baseline", "cold", "fcp_ms")),
    }
    # A whole first visit, the offline copy included (fcp_only's offline_copy): the cold
    # visits' own count stops 1 s after live, before the service worker has finished.
    full = [p["ours"].get("bytes_with_offline_copy") for p in data["fcp_pairs"]]
    full_median = median([b for b in full if b is not None])
    s["first_visit_with_offline_copy_bytes"] = {
        "samples": sum(b is not None for b in full),
        "ours": full_median,
        "ratio": ratio(full_median, s["cold_bytes"]["baseline"]),
    }
    which_visits = ("cold", "quick", "warm", "restart")
    longest = max(s[f"{w}_longtasks"]["ours"]["pyodide_max_ms"] for w in which_visits)
    values = {
        "cold": s["cold_live_ms"]["ratio"],
        "quick": s["quick_live_ms"]["ratio"],
        "warm": s["warm_live_ms"]["ratio"],
        "recalc_p95": s["edits_ours"]["with_debounce_p95_ms"],
        "longtask": longest,
        "switch": s["switch"]["median_ms"],
        "fcp": s["fcp_ms"]["ratio_ours_nocalc"],
    }
    s["targets"] = [
        {
            "key": key,
            "target": t.name,
            "value": values[key],
            "limit": t.limit,
            "unit": t.unit,
            # A long task of exactly 50 ms is not "> 50 ms"; every other limit is inclusive.
            "met": values[key] is not None and values[key] <= t.limit,
        }
        for key, t in TARGETS.items()
    ]
    return s


def _ms(v: float | None) -> str:
    if v is None:
        return DASH
    return f"{v:,.0f} ms" if v >= 100 else f"{v:.1f} ms"  # noqa: PLR2004 - display precision


def _kb(v: float | None) -> str:
    if v is None:
        return DASH
    return f"{v / 1024:,.0f} KiB" if v >= 10 * 1024 else f"{v / 1024:.1f} KiB"


def _x(v: float | None) -> str:
    return DASH if v is None else f"{v:.2f}×"


def _pair(a: float | None, b: float | None) -> str:
    return f"{_ms(a)} / {_ms(b)}"


def _share(values: list[Any], wanted: object) -> str:
    return f"{sum(v == wanted for v in values)} of {len(values)}"


def _paths(paths: list[Any]) -> str:
    """How many starts restored the snapshot / found Python running (a shared worker)."""
    return f"{_share(paths, 'snapshot')} / {_share(paths, 'running')}"


def _rows(s: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    eo, eb = s["edits_ours"], s["edits_baseline"]
    lt_cold = s["cold_longtasks"]
    every = [s[f"{w}_longtasks"] for w in ("cold", "quick", "warm", "restart")]

    def pyodide_tasks(kind: str) -> str:
        count = sum(lt[kind]["pyodide_count"] for lt in every)
        longest = max(lt[kind]["pyodide_max_ms"] for lt in every)
        return f"{count} / {_ms(longest)}"

    def tasks(kind: str) -> str:
        return f"{lt_cold[kind]['count_median']} / {_ms(lt_cold[kind]['max_ms'])}"

    cold, warm, sw, fcp = s["cold_live_ms"], s["warm_live_ms"], s["switch"], s["fcp_ms"]
    full_samples = s["first_visit_with_offline_copy_bytes"]["samples"]
    quick, restart = s["quick_live_ms"], s["restart_live_ms"]
    return [
        ("Cold start → live (median)", _ms(cold["baseline"]), _ms(cold["ours"]), _x(cold["ratio"])),
        (
            "Quick second visit (opened 1 s after live) → live (median)",
            _ms(quick["baseline"]),
            _ms(quick["ours"]),
            _x(quick["ratio"]),
        ),
        (
            "… quick visits restored from the memory snapshot / Python still running",
            "",
            _paths(quick["ours_start_paths"]),
            DASH,
        ),
        ("Warm start → live (median)", _ms(warm["baseline"]), _ms(warm["ours"]), _x(warm["ratio"])),
        (
            "… warm starts restored from the memory snapshot / Python still running",
            "",
            _paths(warm["ours_start_paths"]),
            DASH,
        ),
        (
            "Revisit after the browser was closed → live (median)",
            _ms(restart["baseline"]),
            _ms(restart["ours"]),
            _x(restart["ratio"]),
        ),
        (
            "… restored from the memory snapshot",
            "",
            _share(restart["ours_start_paths"], "snapshot"),
            DASH,
        ),
        (
            "Page switch, instant navigation → live: median / max",
            "(a new page: a warm start)",
            _pair(sw["median_ms"], sw["max_ms"]),
            DASH,
        ),
        (
            "… of which Material's (click → form bound), median",
            "",
            _ms(sw["bound_median_ms"]),
            DASH,
        ),
        (
            "Recalculation, input event → result shown: median / p95",
            _pair(eb["with_debounce_median_ms"], eb["with_debounce_p95_ms"]),
            _pair(eo["with_debounce_median_ms"], eo["with_debounce_p95_ms"]),
            DASH,
        ),
        (
            "… of which waiting to be sent (input → request posted), median",
            _ms(eb["debounce_median_ms"]),
            _ms(eo["debounce_median_ms"]),
            DASH,
        ),
        (
            "Recalculation, compute only (worker round trip): median / p95",
            _pair(eb["compute_median_ms"], eb["compute_p95_ms"]),
            _pair(eo["compute_median_ms"], eo["compute_p95_ms"]),
            DASH,
        ),
        (
            "Main-thread long tasks, cold start: count (median) / longest",
            tasks("baseline"),
            tasks("ours"),
            DASH,
        ),
        (
            "… caused by Pyodide or our scripts (all visits): count / longest",
            pyodide_tasks("baseline"),
            pyodide_tasks("ours"),
            DASH,
        ),
        (
            "First contentful paint, cold visit (median)",
            _ms(fcp["baseline"]),
            _ms(fcp["ours_cold_visit"]),
            DASH,
        ),
        (
            f"… the page with / without its calculator ({fcp['pairs']} pairs, median)",
            "",
            _pair(fcp["with"], fcp["without"]),
            f"{_x(fcp['ratio_ours_nocalc'])} with / without",
        ),
        (
            "Bytes, first visit (until 1 s after live)",
            _kb(s["cold_bytes"]["baseline"]),
            _kb(s["cold_bytes"]["ours"]),
            _x(s["cold_bytes"]["ratio"]),
        ),
        (
            f"… until its offline copy is stored ({full_samples} page loads, median)",
            _kb(s["cold_bytes"]["baseline"]),
            _kb(s["first_visit_with_offline_copy_bytes"]["ours"]),
            _x(s["first_visit_with_offline_copy_bytes"]["ratio"]),
        ),
        (
            "Bytes, warm revisit",
            _kb(s["warm_bytes"]["baseline"]),
            _kb(s["warm_bytes"]["ours"]),
            _x(s["warm_bytes"]["ratio"]),
        ),
        ("Bytes, page switch", "", _kb(sw["bytes_median"]), DASH),
    ]


def table(data: dict[str, Any]) -> str:
    """The results as Markdown, as bench/README.md records them."""
    s, env, setup = data["summary"], data["environment"], data["setup"]
    dirty = " + uncommitted changes" if env["dirty"] else ""
    load = f"{env['load_average_at_start'][0]:.1f} → {env['load_average_at_end'][0]:.1f}"
    warm_runs = setup["runs"] * setup["warm_visits_per_profile"]
    per_run = env.get("load_average_per_run") or []
    if per_run:
        loads = [x[0] for x in per_run]
        load += f" (after each run: {min(loads):.1f}–{max(loads):.1f})"
    heading = (
        f"{env['date']} · {env['cores']} cores · {env['chromium']} · Pyodide {env['pyodide']} · "
        f"commit {env['commit']}{dirty} · load average {load} · service worker "
        f"{setup['service_workers']} · {setup['runs']} cold + {setup['runs']} quick + "
        f"{warm_runs} warm + {setup['runs']} restart runs each · "
        f"{data['elapsed_s']:.0f} s"
    )
    lines = [
        heading,
        "",
        "| Measure | Baseline | Ours | Ours / baseline |",
        "| --- | ---: | ---: | ---: |",
        *(f"| {a} | {b} | {c} | {d} |" for a, b, c, d in _rows(s)),
        "",
        "| Target | Value | Met |",
        "| --- | ---: | :---: |",
    ]
    for t in s["targets"]:
        unit = "×" if t["unit"] == "x" else " ms"
        value = DASH if t["value"] is None else f"{t['value']:.2f}{unit}"
        lines.append(f"| {t['target']} | {value} | {'yes' if t['met'] else '**no**'} |")
    return "\n".join(lines)
