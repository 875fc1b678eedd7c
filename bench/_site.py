"""Build what the benchmark serves: the real site, plus two pages that are not part of it.

- ``bench-baseline/``: :file:`bench/baseline/`, the way any Pyodide docs site starts it, pointed
  at the very same vendored, versioned runtime directory the site uses, to which the
  benchmark adds Pyodide's own ``python_stdlib.zip`` (sources only) from the pinned npm
  package: the site loads its own compiled copy instead (sitebuild/prepare.py), so the
  baseline gets the runtime exactly as Pyodide ships it;
- ``<page>-nocalc/``: a copy of a calculator page with its calculator removed (the forms and
  the calculator's scripts), for first contentful paint with and without the calculator. It
  sits beside the original so its relative links resolve the same way.
"""

# ruff: noqa: INP001 - bench/ is a folder of scripts run by path, not a package.

from __future__ import annotations

import gzip
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

BASELINE_SOURCE = Path(__file__).with_name("baseline")
BASELINE_DIR = "bench-baseline"
INDEX_PLACEHOLDER = "__PYODIDE_INDEX_URL__"
LOCK_PLACEHOLDER = "__PYODIDE_LOCK_URL__"

_FORM = re.compile(r"<form\b[^>]*\bdata-calculator=\"[^\"]+\"[^>]*>.*?</form>", re.DOTALL)
_CALC_ID = re.compile(r"<form\b[^>]*\bdata-calculator=\"([^\"]+)\"")


class BenchSetupError(RuntimeError):
    """The site cannot be benchmarked as built; the message says what is missing and why."""


@dataclass(frozen=True)
class Site:
    root: Path
    pyodide_dir: str  # URL path of the versioned runtime directory, "/.../" form
    lock_file: str  # URL path of the site's pyodide-lock.json
    calculator_pages: dict[str, list[str]]  # URL path ("/oral/") -> calculator ids on it
    js_client_paths: list[str]  # URL paths of the calculator's own scripts in the page


def build(repo: Path, dest: Path, site_url: str) -> None:
    """The three-step build (``python -m sitebuild build``) of ``repo`` into ``dest``.

    Built for a site served at ``site_url``: mkdocs.yml reads ``SITE_URL``, and the sitemap's
    URLs (which instant navigation matches links against) come from it.
    """
    if not (repo / "mkdocs.yml").is_file():
        raise BenchSetupError(
            f"{repo}/mkdocs.yml does not exist yet: there is no site to benchmark."
        )
    env = dict(os.environ, SITE_URL=site_url, NO_MKDOCS_2_WARNING="1")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(repo), env.get("PYTHONPATH")]))
    cmd = [sys.executable, "-m", "sitebuild", "build", "--site-dir", str(dest)]
    cmd += ["--build-dir", str(dest.parent / f"{dest.name}-build")]
    # Our own interpreter and arguments, no shell.
    proc = subprocess.run(cmd, cwd=repo, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if proc.returncode != 0:
        raise BenchSetupError(
            f"the site build failed (exit {proc.returncode}); `make site` shows "
            "the same:\n" + (proc.stderr or proc.stdout)[-4000:]
        )


def retarget_sitemap(root: Path, site_url: str) -> None:
    """Point a prebuilt site's sitemap at ``site_url`` (see :func:`build`)."""
    sitemap = root / "sitemap.xml"
    if not sitemap.is_file():
        return
    text = sitemap.read_text(encoding="utf-8")
    locs = re.findall(r"<loc>([^<]+)</loc>", text)
    if locs:
        # The site's root URL: the shortest <loc> (the home page) of a directory-URL site.
        prefix = min(locs, key=len)
        prefix = prefix[: prefix.rfind("/") + 1]
        sitemap.write_text(text.replace(f"<loc>{prefix}", f"<loc>{site_url}"), encoding="utf-8")
    gz = root / "sitemap.xml.gz"
    if gz.is_file():  # the service worker precaches it: keep it, and keep it the same
        gz.write_bytes(gzip.compress(sitemap.read_bytes(), mtime=0))


def inspect(root: Path) -> Site:
    """Find the versioned Pyodide directory and the calculator pages in a built site."""
    wasm = sorted(root.rglob("pyodide.asm.wasm"))
    if len(wasm) != 1:
        raise BenchSetupError(
            f"expected one vendored pyodide.asm.wasm in the built site, found {len(wasm)}: "
            f"{[str(p.relative_to(root)) for p in wasm]}. sitebuild/prepare.py vendors it."
        )
    pyodide_dir = "/" + wasm[0].parent.relative_to(root).as_posix() + "/"
    locks = sorted(root.rglob("pyodide-lock.json"))
    if len(locks) != 1:
        raise BenchSetupError(
            f"expected one pyodide-lock.json in the built site, found {len(locks)}: "
            f"{[str(p.relative_to(root)) for p in locks]}."
        )
    lock_file = "/" + locks[0].relative_to(root).as_posix()
    pages: dict[str, list[str]] = {}
    for html in sorted(root.rglob("index.html")):
        ids = _CALC_ID.findall(html.read_text(encoding="utf-8"))
        if ids:
            rel = html.parent.relative_to(root).as_posix()
            pages["/" if rel == "." else f"/{rel}/"] = ids
    if not pages:
        raise BenchSetupError('no page of the built site has a form[data-calculator="..."].')
    js_dir = root / "assets" / "js"
    js = (
        sorted("/" + p.relative_to(root).as_posix() for p in js_dir.rglob("*.*js"))
        if js_dir.is_dir()
        else []
    )
    return Site(root, pyodide_dir, lock_file, pages, js)


def add_stock_stdlib(site: Site, runtime: Path) -> str:
    """Copy Pyodide's own standard library into the site's runtime folder, for the baseline.

    ``runtime`` is the pinned npm package (node_modules/pyodide). Returns the path added.
    """
    source = runtime / "python_stdlib.zip"
    if not source.is_file():
        raise BenchSetupError(f"{source} is missing: run `npm ci` (or `make bench`).")
    rel = site.pyodide_dir.strip("/") + "/python_stdlib.zip"
    dest = site.root / rel
    if dest.exists():
        raise BenchSetupError(
            f"{rel} is already in the site: the site loads its own standard library "
            "(assets/calculators/<hash>/python_stdlib.zip); is this an older build?"
        )
    shutil.copy2(source, dest)
    return rel


def add_baseline(site: Site) -> str:
    """Copy the baseline page into the site; returns its URL path."""
    dest = site.root / BASELINE_DIR
    dest.mkdir(exist_ok=True)
    for src in BASELINE_SOURCE.iterdir():
        text = src.read_text(encoding="utf-8")
        text = text.replace(INDEX_PLACEHOLDER, site.pyodide_dir).replace(
            LOCK_PLACEHOLDER, site.lock_file
        )
        (dest / src.name).write_text(text, encoding="utf-8")
    return f"/{BASELINE_DIR}/"


def add_nocalc_variant(site: Site, page: str) -> str:
    """A copy of ``page`` without its calculators; returns its URL path."""
    src = site.root / page.strip("/") / "index.html"
    html = src.read_text(encoding="utf-8")
    stripped, forms = _FORM.subn("", html)
    if forms == 0:
        raise BenchSetupError(f"{page}: no calculator form to remove.")
    for path in site.js_client_paths:
        name = re.escape(path.rsplit("/", 1)[-1])
        # <script src=".../name"></script> and <link rel="modulepreload" href=".../name">
        stripped = re.sub(
            rf"<script\b[^>]*\bsrc=\"[^\"]*{name}(?:\?[^\"]*)?\"[^>]*>\s*</script>", "", stripped
        )
        stripped = re.sub(rf"<link\b[^>]*\bhref=\"[^\"]*{name}(?:\?[^\"]*)?\"[^>]*>", "", stripped)
    stripped = re.sub(r"<meta\b[^>]*\bname=\"baclofen-calculators\"[^>]*>", "", stripped)
    # The inline early start (sitebuild/finish_head.py): it would start a worker here too.
    stripped = re.sub(r"<script\b[^>]*\bdata-worker=\"[^\"]*\"[^>]*>.*?</script>", "", stripped)
    variant = page.rstrip("/") + "-nocalc/"
    dest = site.root / variant.strip("/")
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "index.html").write_text(stripped, encoding="utf-8")
    shutil.copystat(src, dest / "index.html")
    return variant
