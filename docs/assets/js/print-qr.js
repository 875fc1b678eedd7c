// @ts-check
/**
 * QR codes on what is printed from a live result: a calculator's sheet (print-sheet.js), the
 * pump card, the patient and carer sheet and the schedule sheets (calculator-groups.js). Each
 * encodes the link that reproduces the printed values (calculator-actions.js: the page's
 * address with the inputs in its query, url-state.js's withInputs), the same link the sheet
 * prints as text.
 * Static pages get theirs at build time, by the same rule: sitebuild/print_qr.py.
 *
 * The encoder is qrcode-generator (MIT; package.json pins it, sitebuild/prepare.py copies its
 * dist/qrcode.mjs into the site as assets/vendor/qrcode-generator/qrcode.mjs): nothing is
 * fetched from another host. It is imported on its own, without delaying the calculators
 * (a static import would hold back the whole module graph, and a missing file would stop
 * every calculator); a result takes seconds, so it is there long before anything is printed.
 * If it is not, the sheet says so where the code would be, and prints its link as text.
 *
 * The code is drawn as SVG elements (no innerHTML, no style attribute: the site's
 * Content-Security-Policy allows neither), black modules on white, with error correction M,
 * a quiet zone of four modules, and a side of at least MIN_SIDE_MM, more for a long link, so
 * that no module is under MODULE_MM. Its width and height are SVG attributes in mm: print.css
 * never scales it.
 */

/** The same numbers as sitebuild/print_qr.py (tests/site/test_print_qr.py compares them). */
export const ERROR_CORRECTION = "M";
export const MIN_SIDE_MM = 25;
export const MODULE_MM = 0.3;
export const QUIET_ZONE = 4;

const SVG_NS = "http://www.w3.org/2000/svg";

/** @typedef {import("../vendor/qrcode-generator/qrcode.mjs").default} QRCodeFactory */

/** @type {QRCodeFactory | null} */
let encoder = null;
let failure = "";

/** Settles once the encoder has loaded or failed to (tests wait on it). */
export const encoderReady = import("../vendor/qrcode-generator/qrcode.mjs").then(
  (module) => {
    encoder = module.default;
  },
  (/** @type {unknown} */ error) => {
    failure = error instanceof Error ? error.message : String(error);
  },
);

/**
 * The printed side (mm) of a code of `modules` modules a side, quiet zone excluded.
 * @param {number} modules
 */
export function sideMm(modules) {
  return Math.max(MIN_SIDE_MM, Math.ceil((modules + 2 * QUIET_ZONE) * MODULE_MM));
}

/**
 * `text` as a QR code, an `<svg>` sized in mm; null while the encoder is not there.
 * `maxSideMm` caps the side of a code on a sheet with no room to spare (never under
 * MIN_SIDE_MM): a long link's modules are then smaller than MODULE_MM.
 * @param {string} text
 * @param {number} [maxSideMm]
 * @returns {SVGSVGElement | null}
 */
export function qrSvg(text, maxSideMm = Infinity) {
  if (!encoder) return null;
  // Type 0: the smallest version that holds the text. Byte mode, UTF-8 (a link is ASCII).
  const code = encoder(0, ERROR_CORRECTION);
  code.addData(text, "Byte");
  code.make();
  const modules = code.getModuleCount();
  const size = modules + 2 * QUIET_ZONE;
  // One path: each run of dark modules in a row is one rectangle.
  let d = "";
  for (let row = 0; row < modules; row += 1) {
    for (let col = 0; col < modules; ) {
      if (!code.isDark(row, col)) {
        col += 1;
        continue;
      }
      let run = 1;
      while (col + run < modules && code.isDark(row, col + run)) run += 1;
      d += `M${col + QUIET_ZONE} ${row + QUIET_ZONE}h${run}v1h-${run}z`;
      col += run;
    }
  }
  const svg = document.createElementNS(SVG_NS, "svg");
  const side = `${Math.min(sideMm(modules), Math.max(MIN_SIDE_MM, maxSideMm))}mm`;
  for (const [name, value] of [
    ["class", "print-qr__code"],
    ["width", side],
    ["height", side],
    ["viewBox", `0 0 ${size} ${size}`],
    ["role", "img"],
    ["aria-label", `QR code of ${text}`],
    // Modules meet edge to edge: no anti-aliased seam between two rectangles.
    ["shape-rendering", "crispEdges"],
  ]) {
    svg.setAttribute(name, value);
  }
  const light = document.createElementNS(SVG_NS, "rect");
  for (const [name, value] of [["width", String(size)], ["height", String(size)], ["fill", "#fff"]]) {
    light.setAttribute(name, value);
  }
  const dark = document.createElementNS(SVG_NS, "path");
  dark.setAttribute("d", d);
  dark.setAttribute("fill", "#000");
  svg.append(light, dark);
  return svg;
}

/**
 * The code of `link` in its holder (`data-print-qr` names what it encodes), or, while the
 * encoder is missing, a line saying so.
 * @param {string} link
 * @param {string} className the holder's class, besides "print-qr"
 * @param {number} [maxSideMm] see qrSvg
 * @returns {HTMLElement}
 */
export function qrFigure(link, className, maxSideMm) {
  const holder = document.createElement("div");
  holder.className = `print-qr ${className}`;
  let svg = null;
  let why = `its encoder did not load (${failure || "still loading"})`;
  try {
    svg = qrSvg(link, maxSideMm);
  } catch (error) {
    // Past what a code holds at error correction M (2,331 bytes, version 40): a link with
    // every item of a long schedule and a long address.
    why = `the link is too long for one (${link.length} characters: ${error instanceof Error ? error.message : error})`;
  }
  if (svg) {
    holder.dataset.printQr = link;
    holder.append(svg);
  } else {
    holder.classList.add("print-qr--missing");
    holder.textContent = `No QR code: ${why}. Type the link instead.`;
  }
  return holder;
}
