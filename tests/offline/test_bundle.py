"""The offline bundle and what the finish step (sitebuild/finish_offline.py) writes, no browser.

Uses the session's bundle (tools/bundle.py, as ``make bundle`` runs it), unpacked.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import zipfile
from pathlib import Path

import pytest

from calculators import CALCULATORS, __version__, web
from sitebuild import finish_csp, finish_offline
from tools import bundle as bundle_tool

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def manifest(bundle):
    """The build's assets/offline/manifest.json."""
    return json.loads((bundle.site / finish_offline.MANIFEST_FILE).read_text(encoding="utf-8"))


def _site_files(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}


def test_bundle_archive_is_named_for_the_package_version(bundle):
    """dist/baclofen-dosing-site-<calculators.__version__>.zip, one top folder of that name."""
    assert bundle.archive.name == f"baclofen-dosing-site-{__version__}.zip"
    assert bundle.folder.name == f"baclofen-dosing-site-{__version__}"


def test_bundle_holds_the_launcher_and_the_site(bundle):
    """The launcher, both starters, the README and the whole site are in the archive."""
    for name in ("serve.py", "start-windows.bat", "start-macos.command", "README.txt"):
        assert (bundle.folder / name).is_file(), name
    for rel in ("index.html", "sw.js", "selftest/index.html", "hosting/index.html"):
        assert (bundle.site / rel).is_file(), rel


def test_bundle_starters_are_executable_and_windows_files_use_crlf(bundle):
    """The macOS starter and serve.py carry the executable bit; .bat and README use CRLF."""
    with zipfile.ZipFile(bundle.archive) as zf:
        modes = {Path(i.filename).name: (i.external_attr >> 16) & 0o777 for i in zf.infolist()}
    assert modes["start-macos.command"] == 0o755
    assert modes["serve.py"] == 0o755
    assert modes["index.html"] == 0o644
    for name in ("start-windows.bat", "README.txt"):
        data = (bundle.folder / name).read_bytes()
        assert data.count(b"\r\n") == data.count(b"\n"), f"{name} has bare LF line ends"


def test_bundle_archive_is_reproducible(tmp_path):
    """The same site gives byte-identical archives (fixed timestamps, sorted entries)."""
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "index.html").write_text("<p>home</p>")
    (site / "a" / "b.js").write_text("let b = 1;")
    first = bundle_tool.write_archive(site, tmp_path / "one")
    second = bundle_tool.write_archive(site, tmp_path / "two")
    assert first.read_bytes() == second.read_bytes()


def test_bundle_refuses_a_stale_or_incomplete_site(tmp_path):
    """--site must name a complete build (the finish step's); the message says what to do."""
    with pytest.raises(bundle_tool.BundleError, match="not a complete build"):
        bundle_tool.check_site(tmp_path)


def test_offline_precache_lists_every_file_of_the_site(bundle):
    """sw.js precaches every built file: pages, assets, Pyodide, the wheel, the search index."""
    text = (bundle.site / "sw.js").read_text(encoding="utf-8")
    match = re.search(r"const PRECACHE = (\[.*?\]);", text, re.DOTALL)
    assert match
    precache = set(json.loads(match[1]))
    assert precache == _site_files(bundle.site) - {"sw.js"}
    assert any(p.endswith("pyodide.asm.wasm") for p in precache)
    assert any(p.endswith(".whl") for p in precache)
    assert "search/search_index.json" in precache


def test_offline_cache_name_is_the_hash_of_the_contents(bundle, manifest):
    """The cache name in sw.js derives from every file's path and SHA-256."""
    entries = [e for e in manifest["files"] if e["path"] != "sw.js"]
    assert finish_offline.cache_name_for(entries) == manifest["cache_name"]
    assert f'const CACHE_NAME = "{manifest["cache_name"]}";' in (bundle.site / "sw.js").read_text()
    changed = [dict(entries[0], sha256="0" * 64), *entries[1:]]
    assert finish_offline.cache_name_for(changed) != manifest["cache_name"]


def test_offline_manifest_sizes_and_hashes_match_the_files(bundle, manifest):
    """Every manifest entry is a file of the site with that size and SHA-256."""
    listed = {e["path"] for e in manifest["files"]}
    assert listed == _site_files(bundle.site) - {finish_offline.MANIFEST_FILE}
    for entry in manifest["files"]:
        data = (bundle.site / entry["path"]).read_bytes()
        assert len(data) == entry["bytes"], entry["path"]
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], entry["path"]


def test_offline_versioned_folders_hold_unchanged_pyodide(bundle, manifest):
    """The immutable Pyodide folder is byte-identical to the pinned npm package.

    It holds the runtime files but not Pyodide's python_stdlib.zip: the site loads the
    build's compiled copy, from the lock file's folder (also immutable).
    """
    runtime = manifest["pyodide"]["index"]
    assert runtime in manifest["immutable_prefixes"]
    lock_dir = manifest["pyodide"]["lock"].rsplit("/", 1)[0] + "/"
    assert lock_dir in manifest["immutable_prefixes"]
    assert manifest["pyodide"]["stdlib"] == lock_dir + "python_stdlib.zip"
    npm = ROOT / "node_modules" / "pyodide"
    names = sorted(path.name for path in (bundle.site / runtime).iterdir())
    assert names == ["pyodide.asm.mjs", "pyodide.asm.wasm", "pyodide.mjs"]
    for name in names:
        assert (bundle.site / runtime / name).read_bytes() == (npm / name).read_bytes(), name


def test_offline_selftest_cases_cover_every_calculator_and_still_hold(bundle):
    """Each calculator has a defaults case and a bad-input case; CPython agrees today."""
    cases = json.loads((bundle.site / finish_offline.CASES_FILE).read_text(encoding="utf-8"))
    for calc_id in CALCULATORS:
        mine = [c for c in cases if c["calculator"] == calc_id]
        assert any(c["case"] == "defaults" and c["ok"] for c in mine), calc_id
        assert any(not c["ok"] for c in mine), calc_id
    for case in cases:
        answer = json.loads(web.run(case["calculator"], json.dumps(case["inputs"])))
        answer.pop("html", None)
        answer.pop("html_sha256", None)  # the build leaves both out (page-relative links)
        expected = {k: v for k, v in case.items() if k not in {"calculator", "case", "inputs"}}
        assert answer == expected, (case["calculator"], case["case"])


def test_offline_csp_allows_exactly_the_inline_scripts_of_the_pages(bundle, manifest):
    """Every executable inline script of every page has its hash in the policy."""
    policy = (bundle.site / finish_offline.CSP_FILE).read_text(encoding="utf-8").strip()
    assert policy == manifest["csp"]["policy"]
    found = set()
    for page in bundle.site.rglob("*.html"):
        for match in re.finditer(r"<script([^>]*)>(.*?)</script>", page.read_text(), re.DOTALL):
            attrs, body = match.groups()
            if "src=" in attrs or "application/json" in attrs:
                continue
            digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
            found.add(f"sha256-{digest}")
    assert found == set(manifest["csp"]["script_hashes"])
    assert "script-src 'self' 'wasm-unsafe-eval'" in policy
    assert "'unsafe-inline'" not in policy
    assert "'unsafe-eval'" not in policy.replace("'wasm-unsafe-eval'", "")


def test_offline_markers_are_all_filled_in(bundle):
    """No @@OFFLINE_…@@ marker is left in any page or index."""
    for path in bundle.site.rglob("*"):
        if path.suffix in {".html", ".json", ".js", ".xml", ".txt"}:
            assert "@@OFFLINE_" not in path.read_text(encoding="utf-8", errors="replace"), path


def test_offline_every_page_loads_the_offline_scripts(bundle):
    """Each page applies offline.css and loads protocol.js, then register.js, both deferred."""
    css = list((bundle.site / "assets" / "css").glob("site.*.css"))
    assert len(css) == 1, css
    assert "/* --- assets/offline/offline.css --- */" in css[0].read_text(encoding="utf-8")
    for page in bundle.site.rglob("*.html"):
        head = page.read_text(encoding="utf-8").split("</head>")[0]
        assert f"assets/css/{css[0].name}" in head, page
        assert "offline.css" not in head, page
        protocol = re.search(r'<script src="[^"]*assets/offline/protocol\.js" defer>', head)
        register = re.search(r'<script src="[^"]*assets/offline/register\.js" defer>', head)
        assert protocol, page
        assert register, page
        assert protocol.start() < register.start(), page


def test_offline_render_sw_fails_on_a_missing_marker(tmp_path):
    """A template without a marker fails the build, naming the marker."""
    template = tmp_path / "sw.template.js"
    template.write_text("const CACHE_NAME = 1;\n")
    with pytest.raises(finish_offline.SiteBuildError, match="CACHE_NAME"):
        finish_offline._render_sw(template, "c", [], [], "0")


def test_offline_launcher_caches_the_real_build_as_its_manifest_says(manifest, shared_launcher):
    """On the built site: a hashed bundle and the runtime a year, immutable; pages no-cache.

    Which names are hashed and which folders versioned is the manifest's word (the launcher
    keeps no pattern of its own); this checks it on the files of a real build.
    """
    import urllib.request  # noqa: PLC0415

    hashed = re.compile(manifest["hashed_name_pattern"])
    prefixes = tuple(manifest["immutable_prefixes"])
    paths = [e["path"] for e in manifest["files"]]
    bundle_js = next(p for p in paths if hashed.search(p) and not p.startswith(prefixes))
    runtime = manifest["pyodide"]["index"] + "pyodide.asm.wasm"
    year = "public, max-age=31536000, immutable"
    expected = {bundle_js: year, runtime: year, "oral/": "no-cache", "sw.js": "no-cache"}
    for rel, cache in expected.items():
        with urllib.request.urlopen(shared_launcher.url + rel, timeout=30) as response:  # noqa: S310
            assert response.headers["Cache-Control"] == cache, rel


def test_offline_every_page_carries_the_csp_as_a_meta_tag_first(bundle, manifest):
    """Each page's <meta> policy is the build's without frame-ancestors, before any script."""
    meta_policy = finish_csp.csp_meta_policy(manifest["csp"]["policy"])
    assert "frame-ancestors" not in meta_policy
    assert "frame-ancestors 'self'" in manifest["csp"]["policy"]
    assert meta_policy == manifest["csp"]["policy"].replace("; frame-ancestors 'self'", "")
    tag = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')
    for page in bundle.site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        found = tag.findall(text)
        assert len(found) == 1, page
        assert html.unescape(found[0]) == meta_policy, page
        position = text.index('http-equiv="Content-Security-Policy"')
        assert position < text.index("<script"), page  # it governs every script of the page
        assert position < text.index("<meta charset=") + 40, page  # right after the charset
        assert text.index("<meta charset=") < 1024, page  # the charset still comes early


def test_offline_csp_meta_policy_drops_only_what_meta_tags_ignore():
    """frame-ancestors, report-uri, report-to and sandbox go; every other directive stays."""
    policy = "default-src 'self'; frame-ancestors 'none'; report-uri /r; img-src data:; sandbox"
    assert finish_csp.csp_meta_policy(policy) == "default-src 'self'; img-src data:"


def test_offline_service_worker_knows_every_file_length_and_hash(bundle, manifest):
    """sw.js checks each precached file against the manifest's bytes and SHA-256."""
    text = (bundle.site / "sw.js").read_text(encoding="utf-8")
    match = re.search(r"const EXPECTED = (\{.*?\});", text, re.DOTALL)
    assert match
    expected = json.loads(match[1])
    from_manifest = {e["path"]: [e["bytes"], e["sha256"]] for e in manifest["files"]}
    from_manifest.pop("sw.js")  # sw.js cannot hold its own hash; the browser fetches it itself
    assert expected == from_manifest
    assert f'const MANIFEST = "{finish_offline.MANIFEST_FILE}";' in text
    assert 'crypto.subtle.digest("SHA-256"' in text


def test_offline_csp_allows_exactly_the_style_attributes_of_the_pages(bundle, manifest):
    """Each style="…" attribute value of every page is allowed by hash, with 'unsafe-hashes'."""
    found = set()
    for page in bundle.site.rglob("*.html"):
        for tag in re.finditer(r"<[a-zA-Z][^<>]*>", page.read_text(encoding="utf-8")):
            for value in re.findall(r'\sstyle="([^"]*)"', tag[0]):
                digest = hashlib.sha256(html.unescape(value).encode()).digest()
                found.add("sha256-" + base64.b64encode(digest).decode())
    assert found == set(manifest["csp"]["style_attribute_hashes"])
    policy = manifest["csp"]["policy"]
    style_src = next(p for p in policy.split("; ") if p.startswith("style-src "))
    assert ("'unsafe-hashes'" in style_src) == bool(found)
    assert all(f"'{h}'" in style_src for h in found)
    assert "'unsafe-inline'" not in policy
