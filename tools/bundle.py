"""Build the offline teaching bundle: ``dist/baclofen-dosing-site-<version>.zip``.

    python tools/bundle.py                  # strict site build into a temporary folder, then zip
    python tools/bundle.py --site site      # zip an existing build instead (checked to be fresh)
    python tools/bundle.py --out-dir /tmp   # write the archive elsewhere

The archive holds one folder, ``baclofen-dosing-site-<version>/``, with

- ``site/``: the built site, service worker and self-test included;
- ``serve.py``: the standard-library launcher (``tools/launcher/serve.py``);
- ``start-windows.bat``, ``start-macos.command``: double-click starters;
- ``README.txt``: how to start it, for the person holding the USB stick.

The version is :data:`calculators.__version__`. The zip is reproducible: entries sorted, one
fixed timestamp (``SOURCE_DATE_EPOCH`` if set, else 1980-01-01), Unix permissions recorded
(the macOS starter and ``serve.py`` executable). Already-compressed files (wheels, zips,
images) are stored, the rest deflated.
"""

# ruff: noqa: T201 - a command-line tool: printing is its interface.

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAUNCHER = ROOT / "tools" / "launcher"
LAUNCHER_FILES = ("serve.py", "start-windows.bat", "start-macos.command", "README.txt")
EXECUTABLE = {"serve.py", "start-macos.command"}
STORED_SUFFIXES = {".zip", ".whl", ".gz", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".woff2"}
ZIP_EPOCH = 315532800  # 1980-01-01, the earliest time a zip entry can carry

sys.path.insert(0, str(ROOT))
import calculators  # noqa: E402 - the work tree is put on sys.path just above.
from sitebuild import names  # noqa: E402
from sitebuild.pipeline import stale_input  # noqa: E402 - the one list of build inputs

NAME = names.BUNDLE_NAME


class BundleError(RuntimeError):
    """The bundle cannot be built as asked; the message says what to do."""


def build_site(dest: Path) -> Path:
    """The three-step build (``python -m sitebuild build``) into ``dest``; returns ``dest``."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    command = [sys.executable, "-m", "sitebuild", "build", "--site-dir", str(dest)]
    command += ["--build-dir", str(dest.parent / f"{dest.name}-build")]
    print(f">>> {' '.join(command)}", flush=True)
    done = subprocess.run(command, cwd=ROOT, env=env, check=False)  # noqa: S603 - fixed argv
    if done.returncode != 0:
        raise BundleError(
            f"the site build failed (exit {done.returncode}); fix the errors above, "
            "or run `make site` to see them alone."
        )
    return dest


def check_site(site: Path) -> None:
    """Refuse a build that is not this work tree's latest, complete, offline-ready build."""
    manifest_path = site / names.MANIFEST_PATH
    if not (site / "index.html").is_file() or not manifest_path.is_file():
        raise BundleError(
            f"{site} is not a complete build (no index.html or {names.MANIFEST_PATH}); "
            "run `make site`, or leave out --site to build into a temporary folder."
        )
    if not (site / "sw.js").is_file():
        raise BundleError(f"{site} has no sw.js: it was not built by `make site` (finish step).")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    if manifest.get("version") != calculators.__version__:
        raise BundleError(
            f"{site} was built from calculators {manifest.get('version')}, the work tree is "
            f"{calculators.__version__}; rebuild it (`make site`) or leave out --site."
        )
    path = stale_input(site, ROOT)
    if path is not None:
        raise BundleError(
            f"{site} is older than {path.relative_to(ROOT)}; rebuild it (`make site`) or "
            "leave out --site."
        )
    if manifest.get("pyodide") is None:
        raise BundleError(
            f"{site} has no Pyodide runtime or calculators wheel, so its calculators could not "
            "run: mkdocs.yml must list the sitebuild.calculator_block extension (the build's "
            "prepare step then vendors Pyodide), and `npm ci` must have installed Pyodide."
        )


def _entry(name: str, mode: int, when: tuple[int, int, int, int, int, int]) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=when)
    info.create_system = 3  # Unix, so that unzip and macOS honour the permission bits
    info.external_attr = (0o100000 | mode) << 16
    suffix = Path(name).suffix.lower()
    info.compress_type = zipfile.ZIP_STORED if suffix in STORED_SUFFIXES else zipfile.ZIP_DEFLATED
    return info


def write_archive(site: Path, out_dir: Path) -> Path:
    """Zip the site and the launcher; returns the archive's path."""
    version = calculators.__version__
    top = f"{NAME}-{version}"
    out_dir.mkdir(parents=True, exist_ok=True)
    archive = out_dir / f"{top}.zip"
    epoch = max(int(os.environ.get("SOURCE_DATE_EPOCH", ZIP_EPOCH)), ZIP_EPOCH)
    when = time.gmtime(epoch)[:6]
    members: list[tuple[str, Path]] = [(f"{top}/{n}", LAUNCHER / n) for n in LAUNCHER_FILES]
    members += [
        (f"{top}/site/{p.relative_to(site).as_posix()}", p) for p in site.rglob("*") if p.is_file()
    ]
    missing = [str(src) for _, src in members if not src.is_file()]
    if missing:
        raise BundleError(f"missing launcher files: {', '.join(missing)}")
    partial = archive.with_suffix(".zip.partial")
    with zipfile.ZipFile(partial, "w", compresslevel=9) as zf:
        for name, src in sorted(members):
            mode = 0o755 if Path(name).name in EXECUTABLE and "/site/" not in name else 0o644
            zf.writestr(_entry(name, mode, when), src.read_bytes())
    partial.replace(archive)
    return archive


def verify_archive(archive: Path) -> None:
    """Re-read the archive: every CRC checks, and the launcher and site entry points are in."""
    with zipfile.ZipFile(archive) as zf:
        bad = zf.testzip()
        if bad:
            raise BundleError(f"{archive}: entry {bad} is corrupt")
        names = set(zf.namelist())
    top = f"{NAME}-{calculators.__version__}"
    needed = [f"{top}/{n}" for n in LAUNCHER_FILES]
    needed += [f"{top}/site/index.html", f"{top}/site/sw.js", f"{top}/site/selftest/index.html"]
    missing = [n for n in needed if n not in names]
    if missing:
        raise BundleError(f"{archive} lacks {', '.join(missing)}")


def main(argv: list[str] | None = None) -> int:
    """Build the bundle; print its path and size."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--site",
        type=Path,
        help="zip this existing build instead of building afresh (it must be up to date)",
    )
    parser.add_argument(
        "--out-dir",
        type=Path,
        default=ROOT / "dist",
        help="where to write the archive (default: dist/)",
    )
    args = parser.parse_args(argv)
    try:
        with tempfile.TemporaryDirectory(prefix="bundle-site-") as tmp:
            site = args.site.resolve() if args.site else build_site(Path(tmp) / "site")
            check_site(site)
            archive = write_archive(site, args.out_dir)
            verify_archive(archive)
    except BundleError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    size = archive.stat().st_size
    print(f"Wrote {archive} ({size} bytes, {size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
