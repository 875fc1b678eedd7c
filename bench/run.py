"""``make bench``: how fast the site's calculators start and answer, against a plain baseline.

Builds the site (``python -m sitebuild build``) into a temporary directory, adds a baseline
page (:file:`bench/baseline/`: Pyodide in a module worker, ``loadPyodide()`` then
``runPython("1+1")``, from the same vendored, versioned runtime files), serves both with the
launcher readers get (``tools/launcher/serve.py``, counting bytes: :mod:`_server`) and
measures them in headless Debian Chromium, interleaved run by run so that neither gets a
quieter machine:

- cold start (a new browser profile: empty caches), a quick second visit (the same profile,
  a new document opened 1 s after the first went live) and warm starts (the same profile,
  a new document after the page was left alone for a while) and a revisit after the
  browser was closed and opened again on the same profile, navigation start -> first live
  result (``data-state=ready``);
- switching calculator pages with Material's instant navigation -> live (ours);
- recalculation: input event -> updated result, and the worker round trip alone;
- main-thread long tasks during start-up, and which of them are Pyodide's;
- first contentful paint with and without the calculator;
- bytes on the wire for a first visit, a warm revisit and a page switch.

Prints a Markdown table of medians with the ratios ours / baseline and the targets, and
writes every sample to ``bench/results/<timestamp>.json`` and ``bench/results/latest.json``.

Usage: ``make bench``, or ``.venv/bin/python bench/run.py --help``.
"""

# A command-line program run by path (bench/ is no package): printing the table is its job.
# ruff: noqa: T201, INP001

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

# `python bench/run.py` puts bench/ first on sys.path: its modules import as top-level ones.
if str(Path(__file__).resolve().parents[1]) not in sys.path:  # the repo, for tools/
    sys.path.append(str(Path(__file__).resolve().parents[1]))
import _measure
import _report
import _site
from _server import Link, Server, free_port
from playwright.sync_api import sync_playwright

from tools.chromium import CHROMIUM, CHROMIUM_ARGS

if TYPE_CHECKING:
    from playwright.sync_api import BrowserType

PAGE = "/oral/"  # the calculator page measured
EDIT_CALCULATOR, EDIT_FIELD = "oral-titration", "target_daily_mg"
SWITCH_PREFERENCE = ("/intrathecal/", "/stopping/")  # the page switched to, if it exists
EDITS_TOTAL = 60  # recalculations measured, spread over the runs
WARM_VISITS = 2  # warm visits per cold profile (after the quick one)
QUICK_AFTER_MS = 1_000  # the quick second visit: this long after the first went live
FCP_PAIRS = 2  # per run: the page with and without its calculator, each in a new profile
HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RESULTS = HERE / "results"


@dataclass(frozen=True)
class Plan:
    """What one benchmark run measures, and where."""

    site: _site.Site
    baseline: str
    nocalc: str
    switch_to: str
    runs: int
    values: list[float]
    block_service_workers: bool
    stock_stdlib: str  # Pyodide's own python_stdlib.zip, added for the baseline
    phone: bool = False  # the throttled-phone profile (_measure.throttle_like_a_phone)


def edit_values(count: int) -> list[float]:
    """Values for the edited field: within its spec and accepted by the calculator itself."""
    if str(REPO) not in sys.path:
        sys.path.append(str(REPO))
    from calculators import CALCULATORS, InputError, calculate  # noqa: PLC0415 - needs REPO

    field = next(f for f in CALCULATORS[EDIT_CALCULATOR].fields if f.name == EDIT_FIELD)
    if field.minimum is None or field.maximum is None or not field.step:
        raise _site.BenchSetupError(f"{EDIT_CALCULATOR}.{EDIT_FIELD} has no bounded numeric range")
    valid = []
    value = float(field.minimum)
    while value <= field.maximum:
        try:
            calculate(EDIT_CALCULATOR, {EDIT_FIELD: value})
            valid.append(value)
        except InputError:
            pass  # a value the calculator refuses (a step it cannot give) is not an edit
        value += field.step
    # Up and down the valid values, so that every edit changes the result.
    cycle = valid + valid[-2:0:-1]
    return [cycle[i % len(cycle)] for i in range(count)]


def _output(*cmd: str) -> str:
    try:
        # Fixed commands (git, chromium --version), no shell.
        done = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO, check=False)  # noqa: S603
    except OSError:
        return ""
    return done.stdout.strip()


def environment() -> dict[str, Any]:
    """The machine and versions the numbers belong to."""
    package = REPO / "node_modules" / "pyodide" / "package.json"
    inputs = ("docs", "sitebuild", "calculators", "mkdocs.yml")
    return {
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "cores": os.cpu_count(),
        "machine": platform.machine(),
        "system": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "chromium": _output(CHROMIUM, "--version"),
        "pyodide": json.loads(package.read_text())["version"] if package.is_file() else None,
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "commit": _output("git", "rev-parse", "--short", "HEAD"),
        "dirty": bool(_output("git", "status", "--porcelain", "--", *inputs)),
    }


def measure_kind(
    chromium: BrowserType, server: Server, plan: Plan, *, kind: str, run: int, data: dict[str, Any]
) -> None:
    """One new profile for ``kind`` (baseline or ours): everything measured there."""
    profile = Path(tempfile.mkdtemp(prefix="bench-profile-"))
    context = _measure.new_context(
        chromium,
        profile,
        CHROMIUM,
        CHROMIUM_ARGS,
        block_service_workers=plan.block_service_workers,
        phone=plan.phone,
    )
    page = context.pages[0] if context.pages else context.new_page()
    base = server.url.rstrip("/")
    pyodide_dir = plan.site.pyodide_dir
    try:
        url = base + (plan.baseline if kind == "baseline" else PAGE)
        visits = [
            _measure.visit(
                page,
                server,
                url,
                kind=kind,
                which=which,
                pyodide_dir=pyodide_dir,
                settle_ms=QUICK_AFTER_MS if which == "cold" else _measure.SETTLE_MS,
            )
            for which in ("cold", "quick", *["warm"] * WARM_VISITS)
        ]
        data["visits"].extend(asdict(v) for v in visits)
        per_run = -(-len(plan.values) // plan.runs)
        chunk = plan.values[run * per_run : (run + 1) * per_run]
        if kind == "baseline":
            # The baseline's input is x in "x + 1": no debounce, the smallest Python call.
            values = [float(j) for j in range(len(chunk))]
            data["edits"]["baseline"].extend(_measure.edits(page, None, "x", values))
            return
        data["edits"]["ours"].extend(_measure.edits(page, EDIT_CALCULATOR, EDIT_FIELD, chunk))
        for target in (plan.switch_to, PAGE):
            ids = plan.site.calculator_pages[target]
            data["switches"].append(_measure.switch(page, server, target, ids))
    finally:
        context.close()
        restart(chromium, server, plan, profile, url=url, kind=kind, data=data)
        shutil.rmtree(profile, ignore_errors=True)


def restart(
    chromium: BrowserType,
    server: Server,
    plan: Plan,
    profile: Path,
    *,
    url: str,
    kind: str,
    data: dict[str, Any],
) -> None:
    """The browser closed and opened again on the same profile: one visit.

    Nothing of the last visit runs any more (a shared worker ended with the browser); what
    is on disk (HTTP cache, Cache Storage, the service worker) is what a reader returning
    the next day has.
    """
    context = _measure.new_context(
        chromium,
        profile,
        CHROMIUM,
        CHROMIUM_ARGS,
        block_service_workers=plan.block_service_workers,
        phone=plan.phone,
    )
    try:
        page = context.pages[0] if context.pages else context.new_page()
        visit = _measure.visit(
            page, server, url, kind=kind, which="restart", pyodide_dir=plan.site.pyodide_dir
        )
        data["visits"].append(asdict(visit))
    finally:
        context.close()


def measure_fcp(
    chromium: BrowserType, server: Server, plan: Plan, run: int
) -> list[dict[str, Any]]:
    """First contentful paint of the page with and without its calculator, in turn."""
    pairs = []
    for j in range(FCP_PAIRS):
        pair = {}
        order = ("ours", "nocalc") if (run + j) % 2 == 0 else ("nocalc", "ours")
        for which in order:
            profile = Path(tempfile.mkdtemp(prefix="bench-profile-"))
            context = _measure.new_context(
                chromium,
                profile,
                CHROMIUM,
                CHROMIUM_ARGS,
                block_service_workers=plan.block_service_workers,
                phone=plan.phone,
            )
            page = context.pages[0] if context.pages else context.new_page()
            url = server.url.rstrip("/") + (PAGE if which == "ours" else plan.nocalc)
            try:
                pair[which] = _measure.fcp_only(
                    page,
                    server,
                    url,
                    offline_copy=which == "ours" and not plan.block_service_workers,
                )
            finally:
                context.close()
                shutil.rmtree(profile, ignore_errors=True)
        pairs.append(pair)
    return pairs


def prepare(root: Path, args: argparse.Namespace, site_url: str) -> Plan:
    """Build (or copy) the site into ``root`` and add the pages only the benchmark needs."""
    if args.site_dir:
        shutil.copytree(args.site_dir, root)
        _site.retarget_sitemap(root, site_url)
    else:
        print(f">>> python -m sitebuild build (SITE_URL={site_url})", flush=True)
        _site.build(REPO, root, site_url)
    site = _site.inspect(root)
    if PAGE not in site.calculator_pages:
        raise _site.BenchSetupError(
            f"{PAGE} has no calculator; pages with one: {list(site.calculator_pages)}"
        )
    others = [p for p in site.calculator_pages if p != PAGE]
    if not others:
        raise _site.BenchSetupError("only one page has a calculator: no page switch to measure")
    switch_to = next((p for p in SWITCH_PREFERENCE if p in site.calculator_pages), others[0])
    return Plan(
        site=site,
        baseline=_site.add_baseline(site),
        nocalc=_site.add_nocalc_variant(site, PAGE),
        switch_to=switch_to,
        runs=args.runs,
        values=edit_values(EDITS_TOTAL),
        block_service_workers=args.block_service_workers,
        stock_stdlib=_site.add_stock_stdlib(site, REPO / "node_modules" / "pyodide"),
        phone=args.phone,
    )


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; print the table; write the JSON. Returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--runs", type=int, help="profiles per page kind (default 5; 2 with --phone)"
    )
    parser.add_argument(
        "--phone",
        action="store_true",
        help="the throttled-phone profile: 4x slower CPU, slow 4G, a phone-sized screen",
    )
    parser.add_argument("--site-dir", type=Path, help="benchmark a built site (copied) instead")
    parser.add_argument("--no-write", action="store_true", help="print only; write no JSON")
    parser.add_argument(
        "--block-service-workers",
        action="store_true",
        help="diagnosis: run without the site's service worker (not how readers get the site)",
    )
    args = parser.parse_args(argv)
    if args.runs is None:
        args.runs = 2 if args.phone else 5
    started = time.monotonic()
    data: dict[str, Any] = {"environment": {**environment(), "load_average_per_run": []}}
    data.update(visits=[], switches=[], edits={"ours": [], "baseline": []}, fcp_pairs=[])

    with tempfile.TemporaryDirectory(prefix="bench-site-") as tmp:
        root = Path(tmp) / "site"
        port = free_port()
        plan = prepare(root, args, f"http://127.0.0.1:{port}/")
        link = (
            Link(latency_s=_measure.PHONE_LATENCY_S, bytes_per_s=_measure.PHONE_BYTES_PER_S)
            if plan.phone
            else None
        )
        # The pages the benchmark added: not in the manifest, served (and compressed) too.
        added = [
            p.relative_to(root).as_posix()
            for page in (plan.baseline, plan.nocalc)
            for p in (root / page.strip("/")).iterdir()
            if p.is_file()
        ] + [plan.stock_stdlib]
        data["setup"] = {
            "page": PAGE,
            "switch_to": plan.switch_to,
            "nocalc": plan.nocalc,
            "baseline": plan.baseline,
            "pyodide_dir": plan.site.pyodide_dir,
            "server": Server.source,
            "runs": plan.runs,
            "warm_visits_per_profile": WARM_VISITS,
            "quick_after_ms": QUICK_AFTER_MS,
            "settle_ms": _measure.SETTLE_MS,
            "edit": {"calculator": EDIT_CALCULATOR, "field": EDIT_FIELD},
            "service_workers": "blocked" if plan.block_service_workers else "allowed",
            "profile": "phone" if plan.phone else "desktop",
        }
        if plan.phone:
            data["setup"]["phone"] = {
                "cpu_slowdown": _measure.PHONE_CPU_SLOWDOWN,
                "network": {
                    "latency_s": _measure.PHONE_LATENCY_S,
                    "bytes_per_s": _measure.PHONE_BYTES_PER_S,
                    "where": "the benchmark's server, every response (bench/_server.py Link)",
                },
                "viewport": _measure.PHONE_VIEWPORT,
            }
        with (
            Server(port, root, added, link) as server,
            sync_playwright() as pw,
        ):
            for run in range(plan.runs):
                # Alternate the order, so that neither kind always goes first.
                order = ("baseline", "ours") if run % 2 == 0 else ("ours", "baseline")
                for kind in order:
                    measure_kind(pw.chromium, server, plan, kind=kind, run=run, data=data)
                data["fcp_pairs"].extend(measure_fcp(pw.chromium, server, plan, run))
                data["environment"]["load_average_per_run"].append(
                    [round(x, 2) for x in os.getloadavg()]
                )
                print(
                    f"    run {run + 1}/{plan.runs} ({time.monotonic() - started:.0f} s)",
                    flush=True,
                )

    data["elapsed_s"] = round(time.monotonic() - started, 1)
    data["environment"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    data["summary"] = _report.summarize(data)
    print(_report.table(data))
    if not args.no_write:
        RESULTS.mkdir(exist_ok=True)
        stamp = dt.datetime.now().astimezone().strftime("%Y%m%dT%H%M%S")
        suffix = "-phone" if plan.phone else ""
        text = json.dumps(data, indent=1)
        (RESULTS / f"{stamp}{suffix}.json").write_text(text)
        (RESULTS / f"latest{suffix}.json").write_text(text)
        print(f"wrote bench/results/{stamp}{suffix}.json and bench/results/latest{suffix}.json")
    return 0


if __name__ == "__main__":
    try:
        raise SystemExit(main())
    except _site.BenchSetupError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
