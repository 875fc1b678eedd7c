"""The build-time QR codes (sitebuild/print_qr.py) and the vendored browser encoder.

The SVG segno writes is read back into its modules (the path's rows of dark runs), drawn
module by module with Pillow and decoded by zxing-cpp: the code on the page says the address
it was made for, at error correction M and at least 25 mm. The ``/// print-qr`` block and the
teaching cases render the page's own address; a build without a site_url, an argument, content
or a header left as text stop the build. The browser's print-qr.js uses the same numbers.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import markdown
import pytest
import segno
import zxingcpp
from PIL import Image, ImageDraw

import calculators
from sitebuild import SiteBuildError, print_qr
from sitebuild.context import BUILD_ENV
from sitebuild.prepare import QR_FILE, QR_PACKAGE, QR_URL, stage_vendor

REPO = Path(__file__).resolve().parents[2]
SITE_URL = "http://127.0.0.1:8000/"
PIXELS_PER_MODULE = 8


def modules_of(svg: str) -> tuple[int, set[tuple[int, int]]]:
    """``(size, dark modules)`` of segno's SVG: its viewBox and its path of horizontal runs.

    segno draws each row's dark runs as strokes one module high through the row's middle
    (``M4 4.5h7m1 0h2...``): absolute ``M x y``, relative ``m dx dy`` and ``h length``.
    """
    root = ET.fromstring(svg)  # noqa: S314 - segno's output, written by this test's code
    size = int(float(root.get("viewBox", "").split()[2]))
    dark: set[tuple[int, int]] = set()
    paths = [p for p in root.iter("path") if not p.get("fill")]
    assert len(paths) == 1, [p.attrib for p in root.iter("path")]
    x = y = 0.0
    for op, a, b in re.findall(r"([Mmh])(-?[\d.]+)(?:[ ,](-?[\d.]+))?", paths[0].get("d", "")):
        if op == "M":
            x, y = float(a), float(b)
        elif op == "m":
            x, y = x + float(a), y + float(b)
        else:
            length = float(a)
            for column in range(int(x), int(x + length)):
                dark.add((column, int(y)))
            x += length
    return size, dark


def decode_svg(svg: str) -> zxingcpp.Result:
    """Draw the SVG's modules with Pillow and decode the picture."""
    size, dark = modules_of(svg)
    image = Image.new("L", (size * PIXELS_PER_MODULE,) * 2, 255)
    draw = ImageDraw.Draw(image)
    for column, row in dark:
        left, top = column * PIXELS_PER_MODULE, row * PIXELS_PER_MODULE
        draw.rectangle(
            (left, top, left + PIXELS_PER_MODULE - 1, top + PIXELS_PER_MODULE - 1), fill=0
        )
    found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    "address",
    [
        f"{SITE_URL}emergencies/",
        f"{SITE_URL}teaching/intrathecal/?exam#case-itb-refill-interval",
        "https://baclofen.example.org/a/longer/deployment/teaching/incidents/?answers",
    ],
)
def test_qr_svg_decodes_to_its_address_at_m_and_25_mm(address: str) -> None:
    """segno's SVG, read back and decoded: the address, error correction M, 25 mm a side."""
    svg = print_qr.qr_svg(address)
    found = decode_svg(svg)
    assert found.text == address
    assert found.ec_level == "M"
    root = ET.fromstring(svg)  # noqa: S314 - our own output
    assert root.get("width") == root.get("height") == f"{print_qr.MIN_SIDE_MM}mm"
    assert root.get("aria-label") == f"QR code of {address}"
    assert "style" not in svg  # the CSP allows no style attribute
    # The modules read back are segno's own for that address.
    size, dark = modules_of(svg)
    expected = segno.make_qr(address, error="m", boost_error=False)
    assert size == expected.symbol_size(border=print_qr.QUIET_ZONE)[0]
    matrix = expected.matrix
    want = {
        (c + print_qr.QUIET_ZONE, r + print_qr.QUIET_ZONE)
        for r, row in enumerate(matrix)
        for c, on in enumerate(row)
        if on
    }
    assert dark == want


def test_qr_svg_control_another_address_decodes_otherwise() -> None:
    """Control: the code of another address does not pass for this one."""
    found = decode_svg(print_qr.qr_svg(f"{SITE_URL}pump-clinic/"))
    assert found.text != f"{SITE_URL}emergencies/"


def test_side_grows_past_the_floor_for_long_addresses() -> None:
    """Short codes print at 25 mm; a long one keeps its modules at 0.3 mm or more."""
    assert print_qr.side_mm(29) == print_qr.MIN_SIDE_MM
    modules = 173  # version 39
    side = print_qr.side_mm(modules)
    assert side / (modules + 2 * print_qr.QUIET_ZONE) >= print_qr.MODULE_MM
    assert side > print_qr.MIN_SIDE_MM


def test_page_address_needs_an_http_site_url() -> None:
    """The address is site_url + the page's URL; without a site_url the build stops."""
    assert print_qr.page_address(SITE_URL, "emergencies/") == f"{SITE_URL}emergencies/"
    assert (
        print_qr.page_address("https://x.org/site", "teaching/oral/", query="exam", fragment="c")
        == "https://x.org/site/teaching/oral/?exam#c"
    )
    for bad in ("", "/", "file:///tmp/site/"):
        with pytest.raises(SiteBuildError, match="site_url"):
            print_qr.page_address(bad, "emergencies/")


def _render(text: str, page: str = "emergencies.md", site_url: str = SITE_URL) -> str:
    md = markdown.Markdown(
        extensions=["md_in_html", "sitebuild.print_qr"],
        extension_configs={"sitebuild.print_qr": {"page": page, "site_url": site_url}},
    )
    return md.convert(text)


def test_print_qr_block_renders_the_pages_address_and_version() -> None:
    """``/// print-qr`` in a page (also inside an HTML element marked markdown)."""
    html = _render('<div class="end" markdown>\n\nText\n\n/// print-qr\n///\n\n</div>\n')
    assert f'data-print-qr="{SITE_URL}emergencies/"' in html
    assert f"version {calculators.__version__}: " in html
    svg = re.search(r"<svg.*?</svg>", html, re.DOTALL)
    assert svg is not None
    assert decode_svg(svg.group(0)).text == f"{SITE_URL}emergencies/"


@pytest.mark.parametrize(
    ("text", "site_url", "message"),
    [
        ("/// print-qr | other\n///\n", SITE_URL, "takes no argument"),
        ("/// print-qr\nsomething\n///\n", SITE_URL, "takes no content"),
        ('<div class="end">\n\n/// print-qr\n///\n\n</div>\n', SITE_URL, r"0 print-qr\(s\) rendered"),
        ("/// print-qr\n///\n", "", "site_url"),
    ],
    ids=["argument", "content", "raw-html", "no-site-url"],
)
def test_print_qr_block_refuses_what_it_cannot_print(
    text: str, site_url: str, message: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
):
    """An argument, content, a header left as text, no site_url: each stops the build."""
    # No build description either (a `make site` leaves one in build/prepared/).
    monkeypatch.setenv(BUILD_ENV, str(tmp_path / "no-build.json"))
    with pytest.raises(SiteBuildError, match=message):
        _render(text, site_url=site_url)


def test_print_qr_block_in_code_is_left_alone() -> None:
    """Control for the raw-text check: the syntax quoted in code is not a header left over."""
    assert "print-qr" in _render("`/// print-qr`\n")


def test_browser_encoder_uses_the_same_numbers() -> None:
    """print-qr.js draws with the build's error correction, floor, module size, quiet zone."""
    js = (REPO / "docs" / "assets" / "js" / "print-qr.js").read_text(encoding="utf-8")
    numbers = dict(re.findall(r"export const ([A-Z_]+) = \"?([\w.]+)\"?;", js))
    assert numbers == {
        "ERROR_CORRECTION": print_qr.ERROR_CORRECTION,
        "MIN_SIDE_MM": str(print_qr.MIN_SIDE_MM),
        "MODULE_MM": str(print_qr.MODULE_MM),
        "QUIET_ZONE": str(print_qr.QUIET_ZONE),
    }
    assert f'import("../vendor/{QR_PACKAGE}/qrcode.mjs")' in js
    assert QR_URL == f"assets/vendor/{QR_PACKAGE}/qrcode.mjs"


def _fake_root(tmp_path: Path, pinned: str, installed: str | None) -> Path:
    root = tmp_path / "root"
    root.mkdir(parents=True)
    (root / "package.json").write_text(
        json.dumps({"devDependencies": {QR_PACKAGE: pinned}}), encoding="utf-8"
    )
    if installed is not None:
        package = root / "node_modules" / QR_PACKAGE
        (package / QR_FILE).parent.mkdir(parents=True)
        (package / QR_FILE).write_text("export default function qrcode() {}\n", encoding="utf-8")
        (package / "package.json").write_text(
            json.dumps({"name": QR_PACKAGE, "version": installed}), encoding="utf-8"
        )
    return root


def test_stage_vendor_copies_the_pinned_encoder(tmp_path: Path) -> None:
    """The pinned encoder is copied where print-qr.js imports it; another version stops it."""
    out = tmp_path / "out"
    stage_vendor(_fake_root(tmp_path, "2.0.4", "2.0.4"), out)
    assert (out / QR_URL).read_text(encoding="utf-8").startswith("export default")
    with pytest.raises(SiteBuildError, match=r"pins qrcode-generator 2\.0\.4 but .* is 2\.0\.3"):
        stage_vendor(_fake_root(tmp_path / "b", "2.0.4", "2.0.3"), tmp_path / "out2")
    with pytest.raises(SiteBuildError, match="npm ci"):
        stage_vendor(_fake_root(tmp_path / "c", "2.0.4", None), tmp_path / "out3")


def test_repository_pins_the_encoder_exactly() -> None:
    """package.json pins the encoder to one version, the lock file holds the same."""
    pinned = json.loads((REPO / "package.json").read_text(encoding="utf-8"))["devDependencies"]
    lock = json.loads((REPO / "package-lock.json").read_text(encoding="utf-8"))
    assert re.fullmatch(r"\d+\.\d+\.\d+", pinned[QR_PACKAGE])
    assert lock["packages"][f"node_modules/{QR_PACKAGE}"]["version"] == pinned[QR_PACKAGE]
    assert lock["packages"][f"node_modules/{QR_PACKAGE}"]["license"] == "MIT"


@pytest.mark.site_build
def test_built_site_ships_the_encoder_and_prints_codes(built_site: Path) -> None:
    """The built site: the encoder in the site and its offline list, codes on the sheets."""
    assert (built_site / QR_URL).is_file()
    manifest = json.loads(
        (built_site / "assets" / "offline" / "manifest.json").read_text(encoding="utf-8")
    )
    assert QR_URL in {entry["path"] for entry in manifest["files"]}
    # The site's address, as the build wrote it into the sitemap (site_url).
    home = re.search(r"<loc>([^<]+)</loc>", (built_site / "sitemap.xml").read_text("utf-8"))
    assert home is not None
    base = home.group(1)
    emergencies = (built_site / "emergencies" / "index.html").read_text(encoding="utf-8")
    assert re.findall(r'data-print-qr="([^"]+)"', emergencies) == [f"{base}emergencies/"]
    oral = (built_site / "teaching" / "oral" / "index.html").read_text(encoding="utf-8")
    views = re.findall(r'data-print-qr="([^"]+)" data-print-view="(\w+)"', oral)
    assert views[0] == (f"{base}teaching/oral/?answers", "key")
    cases = re.findall(r'<section class="case[^>]*\bid="(case-[^"]+)"', oral)
    assert cases
    assert [a for a, view in views if view == "sheet"] == [
        f"{base}teaching/oral/#{case}" for case in cases
    ]
    assert [a for a, view in views if view == "exam"] == [
        f"{base}teaching/oral/?exam#{case}" for case in cases
    ]
