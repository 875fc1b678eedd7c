"""Download the wheels that `run.mjs` installs into Pyodide (pytest, Hypothesis and their deps).

The target Python version and platform tag are read from the pinned Pyodide's own
``pyodide-lock.json`` (in node_modules, pinned in package.json), so the Pyodide version is
written down in one place only. Pure wheels (``py3-none-any``) match any platform; Hypothesis
needs its ``pyemscripten_<abi>_wasm32`` build.

Usage: python tests/pyodide/fetch_wheels.py [--dest DIR] [--requirements FILE]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PYODIDE_DIR = REPO / "node_modules" / "pyodide"
DEFAULT_DEST = REPO / "build" / "pyodide-wheels"
DEFAULT_REQUIREMENTS = REPO / "requirements" / "pyodide-test.txt"


def pyodide_target() -> tuple[str, str, str]:
    """Return (pyodide version, python major.minor, platform tag) of the installed Pyodide."""
    lock_path = PYODIDE_DIR / "pyodide-lock.json"
    package_path = PYODIDE_DIR / "package.json"
    if not lock_path.is_file():
        sys.exit(f"fetch_wheels: {lock_path} not found; run `npm ci` or `make node_modules` first")
    info = json.loads(lock_path.read_text(encoding="utf-8"))["info"]
    version = json.loads(package_path.read_text(encoding="utf-8"))["version"]
    major, minor = info["python"].split(".")[:2]
    # PEP 783 platform tag; Pyodide 314 (abi 2026_0) and later use "pyemscripten".
    platform = f"pyemscripten_{info['abi_version']}_{info['arch']}"
    return version, f"{major}.{minor}", platform


def main() -> int:
    """Download the wheels into ``<dest>/<pyodide version>/`` and write a manifest."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dest", type=Path, default=DEFAULT_DEST)
    parser.add_argument("--requirements", type=Path, default=DEFAULT_REQUIREMENTS)
    args = parser.parse_args()

    version, python, platform = pyodide_target()
    dest: Path = args.dest / version
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    abi = "cp" + python.replace(".", "")
    command = [
        sys.executable, "-m", "pip", "download",
        "--disable-pip-version-check", "--quiet",
        "--only-binary=:all:", "--no-deps",
        "--python-version", python,
        "--implementation", "cp",
        "--abi", abi,
        "--platform", platform,
        "--dest", str(dest),
        "--requirement", str(args.requirements),
    ]  # fmt: skip
    print(f"fetch_wheels: Pyodide {version} (Python {python}, {platform}) -> {dest}", flush=True)
    subprocess.run(command, check=True)
    wheels = sorted(p.name for p in dest.glob("*.whl"))
    if not wheels:
        sys.exit(f"fetch_wheels: pip downloaded no wheels into {dest}")
    manifest = {"pyodide": version, "python": python, "platform": platform, "wheels": wheels}
    (dest / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    for name in wheels:
        print(f"  {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
