"""The site build in three explicit steps, prepare, generate, finish: ``python -m sitebuild build``.

1. **prepare** (:func:`prepare`): vendor the pinned Pyodide and QR encoder, build the
   calculators wheel and its lock file (:mod:`sitebuild.prepare`), write the calculator catalogue
   (:mod:`sitebuild.catalogue`) and the bibliography as BibTeX and CSL-JSON
   (:mod:`sitebuild.bibliography`), load and check the teaching cases, export them for
   learning platforms (GIFT, Moodle XML, QTI 1.2 and 2.1: :mod:`sitebuild.lms`), and write the
   *build description*, ``<build dir>/build.json``: the URL and title of every page, the
   navigation order, the References page, which page holds which calculator, where the
   runtime and the lock file go. It is the one object the steps share.
2. **generate** (:func:`generate`): the site generator renders ``docs/`` with our Markdown
   extensions, which read the build description (its path is in the environment,
   :data:`sitebuild.context.BUILD_ENV`) and the page each generator tells its Markdown
   instance (:func:`sitebuild.context.current_page`). ``mkdocs`` (MkDocs + Material, the
   default, strict) or ``zensical`` (which reads the same ``mkdocs.yml``).
3. **finish** (:func:`sitebuild.finish.finish`): back-links, head tags, the early start, the
   CSP over the final HTML, the service worker and the manifest.

No hooks and no module state shared between steps. The one thing read back from the built
HTML is the citation anchors, for the References page's back-links (the finish step): only
there do both generators' final anchors agree.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import yaml

from sitebuild import SiteBuildError, names
from sitebuild.bibliography import write_bibliography
from sitebuild.catalogue import write_catalogue
from sitebuild.context import BUILD_ENV, BUILD_FORMAT, Build, page_url
from sitebuild.finish import finish
from sitebuild.prepare import PACKAGE, cached_bundle, stage, stage_vendor
from sitebuild.strict_block import block_arguments

GENERATORS = ("mkdocs", "zensical")
CALCULATOR_EXTENSION = "sitebuild.calculator_block"
CASES_EXTENSION = "sitebuild.cases_blocks"
CITATIONS = "sitebuild.citations"
# Every input of a site build, relative to the project root: a built site older than any
# file under these is stale (tools/bundle.py and the browser tests ask :func:`stale_input`).
BUILD_INPUTS = (
    "mkdocs.yml",
    "docs",
    "calculators",
    "sitebuild",
    "package.json",
    "package-lock.json",
    "pyproject.toml",
    "node_modules/pyodide/package.json",
)
# Beside mkdocs.yml for the length of one Zensical build; named per process, so that two
# builds at once (two test sessions) do not write each other's config or site.
ZENSICAL_CONFIG = ".zensical-build-{pid}.yml"


class _ConfigLoader(yaml.SafeLoader):
    """Reads ``mkdocs.yml`` as both generators do: ``!ENV`` resolved, Python tags ignored."""


def _env_tag(loader: yaml.SafeLoader, node: yaml.Node) -> Any:  # noqa: ANN401 - YAML values
    if isinstance(node, yaml.ScalarNode):
        names, default = [loader.construct_scalar(node)], None
    else:
        values = loader.construct_sequence(node)  # type: ignore[arg-type]
        names, default = values[:-1], values[-1]
    for name in names:
        if name in os.environ:
            return yaml.safe_load(os.environ[name])
    return default


_ConfigLoader.add_constructor("!ENV", _env_tag)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda *_: None)


def read_config(path: Path) -> dict[str, Any]:
    """``mkdocs.yml`` as a dict (with ``!ENV`` values resolved)."""
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_ConfigLoader)  # noqa: S506
    if not isinstance(data, dict):
        raise SiteBuildError(f"{path}: not a configuration mapping.")
    if data.get("hooks"):
        raise SiteBuildError(
            f"{path}: lists hooks:, which Zensical does not run; the build does their work in "
            "its prepare and finish steps (sitebuild/pipeline.py)."
        )
    return data


def _extensions(config: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for entry in config.get("markdown_extensions") or []:
        if isinstance(entry, str):
            found[entry] = {}
        elif isinstance(entry, dict):
            for name, options in entry.items():
                found[name] = dict(options or {})
    return found


def _nav(entries: list[Any], titles: dict[str, str], order: list[str]) -> None:
    for entry in entries:
        if isinstance(entry, str):
            order.append(entry)
        elif isinstance(entry, dict):
            for title, value in entry.items():
                if isinstance(value, str):
                    order.append(value)
                    titles[value] = str(title)
                else:
                    _nav(value, titles, order)


def calculator_pages(docs_dir: Path) -> dict[str, str]:
    """Each calculator id -> the first page (``intrathecal.md``) whose block embeds it.

    The headers are found as the calculator block's header counter finds them: outside fenced
    code (:func:`sitebuild.strict_block.block_arguments`), so a page showing the syntax in a
    code block does not claim a calculator.
    """
    pages: dict[str, str] = {}
    for path in sorted(docs_dir.rglob("*.md")):
        for calc_id in block_arguments(path.read_text(encoding="utf-8"), "calculator"):
            pages.setdefault(calc_id, path.relative_to(docs_dir).as_posix())
    return pages


def prepare(config_file: Path, build_dir: Path, generator: str) -> Build:
    """The prepare step: the prepared files under ``build_dir/site`` and ``build.json``."""
    from sitebuild.cases_blocks import load_sets  # noqa: PLC0415
    from sitebuild.lms import write_exports  # noqa: PLC0415

    config = read_config(config_file)
    root = config_file.parent
    docs = (root / config.get("docs_dir", "docs")).resolve()
    directory_urls = bool(config.get("use_directory_urls", True))
    sources = sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md"))
    titles: dict[str, str] = {}
    order: list[str] = []
    _nav(config.get("nav") or [], titles, order)
    order += [src for src in sources if src not in order]
    extensions = _extensions(config)
    references = extensions.get(CITATIONS, {}).get("references_page", "references.md")
    if CITATIONS in extensions and references not in sources:
        raise SiteBuildError(f"the References page {references!r} is missing from {docs}.")

    out = build_dir / "site"
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    if CITATIONS in extensions:
        write_bibliography(out)
    data: dict[str, Any] = {
        "format": BUILD_FORMAT,
        "generator": generator,
        "theme": (config.get("theme") or {}).get("name", ""),
        "site_name": config.get("site_name", ""),
        "site_url": config.get("site_url") or "",
        "docs_dir": str(docs),
        "use_directory_urls": directory_urls,
        "pages": {src: page_url(src, use_directory_urls=directory_urls) for src in sources},
        "titles": titles,
        "nav_order": order,
        "references_page": references,
        "calculator_pages": {},
        "pyodide": None,
        "cases_dir": "",
        "prepared": str(out),
    }
    if CALCULATOR_EXTENSION in extensions:
        root = Path(__file__).resolve().parent.parent
        bundle, reused = cached_bundle(root, build_dir / "wheel")
        if reused:
            sys.stderr.write("sitebuild: prepare: calculators wheel unchanged, reused from cache\n")
        stage(bundle, out)
        stage_vendor(Path(__file__).resolve().parent.parent, out)
        data["pyodide"] = {
            "version": bundle.pyodide_version,
            "index": bundle.runtime_url,
            "lock": bundle.lock_url,
            "stdlib": bundle.stdlib_url,
            "package": PACKAGE,
            "wheel": bundle.wheel.name,
        }
        data["calculator_pages"] = calculator_pages(docs)
        write_catalogue(out)
    cases = docs / "cases"
    if CASES_EXTENSION in extensions and cases.is_dir():
        sets = load_sets(cases, f"{docs.name}/cases")
        missing = [s.page for s in sets if s.page not in sources]
        if missing:
            raise SiteBuildError(
                f"case sets without their page: {', '.join(missing)}. Each docs/cases/<set>.toml "
                "is shown on docs/teaching/<set>.md, with '/// cases | <set>' then '///'."
            )
        data["cases_dir"] = str(cases)
        write_exports(sets, out, str(config.get("site_name", "")))
    path = build_dir / "build.json"
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    return Build(data)


def newest_input(root: Path) -> tuple[float, Path]:
    """``(mtime, path)`` of the most recently changed build input under ``root``."""
    newest = (0.0, root)
    for name in BUILD_INPUTS:
        path = root / name
        candidates = path.rglob("*") if path.is_dir() else [path]
        for p in candidates:
            if p.is_file() and "__pycache__" not in p.parts:
                newest = max(newest, (p.stat().st_mtime, p))
    return newest


def stale_input(site: Path, root: Path) -> Path | None:
    """A build input changed after ``site``'s manifest was written, or None if it is fresh."""
    manifest = site / names.MANIFEST_PATH
    if not manifest.is_file():
        return root / "mkdocs.yml"
    newest, path = newest_input(root)
    return path if newest > manifest.stat().st_mtime else None


def _generator_config(config_file: Path, site_dir: Path) -> Path:
    """A copy of ``mkdocs.yml`` beside it that writes to ``site_dir`` (Zensical has no -d).

    Zensical takes the config file's folder as the project root and wants the site inside it.
    """
    text = config_file.read_text(encoding="utf-8")
    text += "\n# Added by sitebuild/pipeline.py for this build:\n"
    text += f"site_dir: {json.dumps(str(site_dir))}\n"
    derived = config_file.with_name(ZENSICAL_CONFIG.format(pid=os.getpid()))
    derived.write_text(text, encoding="utf-8")
    return derived


def _run(generator: str, command: list[str], cwd: Path, env: dict[str, str]) -> None:
    done = subprocess.run(command, cwd=cwd, env=env, check=False)  # noqa: S603 - our arguments
    if done.returncode != 0:
        raise SiteBuildError(f"{generator} build failed (exit {done.returncode}).")


def generate(config_file: Path, build_dir: Path, site_dir: Path, generator: str) -> None:
    """The generate step: run the site generator in a subprocess with the build description."""
    project = config_file.parent
    env = dict(os.environ)
    env[BUILD_ENV] = str((build_dir / "build.json").resolve())
    sources = str(Path(__file__).resolve().parent.parent)  # sitebuild and calculators import
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [sources, env.get("PYTHONPATH")]))
    env["NO_MKDOCS_2_WARNING"] = "1"  # Material's banner about MkDocs 2.0: noise here
    if generator == "mkdocs":
        command = [
            sys.executable, "-m", "mkdocs", "build", "--strict",
            "--config-file", str(config_file), "--site-dir", str(site_dir),
        ]  # fmt: skip
        _run(generator, command, project, env)
    else:
        # Zensical has no --site-dir and wants the site inside the project: build there, move.
        inside = site_dir.resolve().is_relative_to(project.resolve())
        out = site_dir.resolve() if inside else project / "build" / f"zensical-site-{os.getpid()}"
        if out.exists():
            shutil.rmtree(out)
        derived = _generator_config(config_file, out)
        command = [sys.executable, "-m", "zensical", "build", "--clean", "--strict"]
        try:
            _run(generator, [*command, "-f", str(derived)], project, env)
        finally:
            derived.unlink(missing_ok=True)
        if out != site_dir.resolve():
            if site_dir.exists():
                shutil.rmtree(site_dir)
            shutil.move(out, site_dir)
    if not any(site_dir.glob("**/*.html")):
        raise SiteBuildError(f"{generator} wrote no page into {site_dir}.")


def build(config_file: Path, site_dir: Path, build_dir: Path, generator: str) -> None:
    """All three steps."""
    if generator not in GENERATORS:
        raise SiteBuildError(f"unknown generator {generator!r}; known: {', '.join(GENERATORS)}.")
    build_dir.mkdir(parents=True, exist_ok=True)
    timings = []
    start = time.perf_counter()
    description = prepare(config_file, build_dir, generator)
    timings.append(("prepare", time.perf_counter() - start))
    start = time.perf_counter()
    generate(config_file, build_dir, site_dir, generator)
    timings.append((f"generate ({generator})", time.perf_counter() - start))
    start = time.perf_counter()
    finish(site_dir, description, build_dir / "site", Path(description.data["docs_dir"]))
    timings.append(("finish", time.perf_counter() - start))
    shown = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in timings)
    sys.stderr.write(f"sitebuild: {site_dir} built: {shown}\n")


def main(argv: list[str] | None = None) -> int:
    """``python -m sitebuild build|prepare`` (see ``--help``)."""
    parser = argparse.ArgumentParser(prog="python -m sitebuild", description=__doc__.split("\n")[0])
    parser.add_argument(
        "step", choices=("build", "prepare"), help="all three steps, or prepare only"
    )
    parser.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"))
    parser.add_argument("-d", "--site-dir", type=Path, default=Path("site"))
    parser.add_argument(
        "--build-dir",
        type=Path,
        default=Path("build") / "prepared",
        help="where the build description and the prepared files go (default build/prepared)",
    )
    parser.add_argument("-g", "--generator", choices=GENERATORS, default="mkdocs")
    args = parser.parse_args(argv)
    try:
        if args.step == "prepare":
            args.build_dir.mkdir(parents=True, exist_ok=True)
            prepare(args.config_file.resolve(), args.build_dir, args.generator)
        else:
            build(args.config_file.resolve(), args.site_dir, args.build_dir, args.generator)
    except SiteBuildError as exc:
        sys.stderr.write(f"sitebuild: error: {exc}\n")
        return 1
    return 0
