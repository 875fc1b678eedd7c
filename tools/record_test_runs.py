"""Record the test counts of the last `make test` for the Safety and validation page.

Reads the pytest logs `make test` keeps (build/test-logs: CPython 3.12+ with the whole suite,
in two halves that run side by side, the Chromium tests and the rest; CPython 3.11 and
Pyodide with tests/calculators), takes each one's interpreter line and closing summary, and
writes validation/test-runs.json with the commit and the date (the two halves as one run, their
counts added). A log without a summary, or with a failure, stops it: only a passed run is
recorded.
"""

# ruff: noqa: T201 - a command-line tool: printing is its interface.
from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path

RUNS = (
    (
        ("cpython-browser.log", "cpython-other.log"),
        "CPython 3.12+: every test (browser, site, calculators)",
    ),
    (("cpython-311.log",), "CPython 3.11: tests/calculators"),
    (("pyodide.log",), "Pyodide under Node: tests/calculators"),
)
_COUNTS = ("passed", "failed", "skipped", "errors")
_SUMMARY = re.compile(r"^=+ (?P<body>.*\d+ (?:passed|failed).*) in [\d.]+s.* =+$", re.MULTILINE)
_COUNT = re.compile(r"(\d+) (passed|failed|skipped|errors?|xfailed|xpassed|deselected)")
_PLATFORM = re.compile(r"^platform \S+ -- (?P<python>Python [\d.]+)", re.MULTILINE)
_PYODIDE = re.compile(r"^(?P<line>Pyodide [\d.]+, Python [\d.]+)", re.MULTILINE)


def parse(text: str) -> dict[str, object]:
    """The interpreter and the counts of one pytest log."""
    summaries = _SUMMARY.findall(text)
    if not summaries:
        raise ValueError("no pytest summary line")
    counts = dict.fromkeys(("passed", "failed", "skipped", "errors"), 0)
    for number, kind in _COUNT.findall(summaries[-1]):
        key = "errors" if kind.startswith("error") else kind
        if key in counts:
            counts[key] = int(number)
    pyodide = _PYODIDE.search(text)
    platform = _PLATFORM.search(text)
    interpreter = pyodide["line"] if pyodide else platform["python"] if platform else "?"
    return {"interpreter": interpreter, **counts}


def main(argv: list[str] | None = None) -> int:
    """Write the record; exit 1 with the reason when a log is missing, unfinished or failed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--logs", type=Path, default=Path("build/test-logs"))
    parser.add_argument("--out", type=Path, default=Path("validation/test-runs.json"))
    args = parser.parse_args(argv)
    runs = []
    for files, name in RUNS:
        parts = []
        for file in files:
            path = args.logs / file
            try:
                counts = parse(path.read_text(encoding="utf-8", errors="replace"))
            except (OSError, ValueError) as error:
                print(f"record-test-runs: {path}: {error}; run `make test` first", file=sys.stderr)
                return 1
            if counts["failed"] or counts["errors"]:
                print(
                    f"record-test-runs: {path}: the run failed; nothing recorded", file=sys.stderr
                )
                return 1
            parts.append(counts)
        if len({part["interpreter"] for part in parts}) != 1:
            print(f"record-test-runs: {', '.join(files)}: two interpreters", file=sys.stderr)
            return 1
        total = {key: sum(int(part[key]) for part in parts) for key in _COUNTS}
        runs.append({"name": name, "interpreter": parts[0]["interpreter"], **total})
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607 - git from PATH, as make does
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"],  # noqa: S607 - as above
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    record = {
        "commit": commit + ("+uncommitted changes" if dirty else ""),
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "runs": runs,
    }
    args.out.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(f"record-test-runs: wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
