// @ts-check
/**
 * One calculator printed on its own, on one page (QA D17): what the "Print" button next to a
 * result hands to the browser instead of the whole page.
 *
 * The sheet says what it is (a printout, never "Live"), the calculator, the site's version,
 * when the result was computed and when it was printed, the link that reproduces the values
 * (as text and as a QR code of exactly that text, print-qr.js), each value the result was computed for (label, value as typed, unit), the result with
 * every warning under its severity word (calculators.present writes "Danger", "Caution" or
 * "Note"), and the sources cited, each in full (on paper a bare "[7]" leads nowhere).
 *
 * Left out, because they print on their own or say the same again: the hour and day charts
 * (their tables carry the same figures), the pump card and the oral schedule sheet (their own
 * print buttons), and the screen-only parts (buttons, the Python source).
 *
 * calculator-actions.js decides whether the result may be printed at all (a result not for the
 * form's values is refused, as Copy and CSV refuse it) and gives this module what the result
 * is for; calculator-groups.js's preparePrintCard puts the sheet alone on the paper.
 */

import { MIN_SIDE_MM, qrFigure } from "./print-qr.js";

/** The printable area every sheet must fit: A4's width (210 mm, narrower than Letter's
 * 215.9 mm) and Letter's height (279.4 mm, shorter than A4's 297 mm), less print.css's page
 * margins (15 mm at the sides and top, 18 mm at the bottom) and a few mm for rounding. */
export const SHEET_WIDTH_MM = 180;
export const SHEET_HEIGHT_MM = 240;

/** Below this zoom the type (9 pt at 1) would be under 6.3 pt: the sheet then takes a second page
 * rather than print what no one can read. */
export const MIN_ZOOM = 0.7;

const PX_PER_MM = 96 / 25.4;

/** Parts of a result that do not go on the calculator's sheet (see the module comment). */
const LEFT_OUT = [
  "svg.calc-chart",
  ".calc-chart-label",
  "[data-pump-card]",
  "[data-print-sheet]",
  ".calc-sources",
  "button",
  "[data-print-header]",
].join(", ");

/**
 * @typedef {object} SheetValue
 * @property {string} item the repeated group's item it belongs to ("Step 2"), or ""
 * @property {string} label the field's label, without the item
 * @property {string} value as typed (a select's option text with its value)
 * @property {string} unit
 */

/**
 * @typedef {object} SheetData
 * @property {string} title the calculator's title
 * @property {string} version the site's (calculators package) version
 * @property {string} computed when the result was computed ("2026-12-07 14:03 UTC", or
 *   "when this page was built")
 * @property {string} printed when it is printed
 * @property {string} link the URL that reproduces the values
 * @property {SheetValue[]} values each value the result was computed for
 * @property {Element} result the calculator's result element (copied, never moved)
 * @property {Element[]} citing every element whose citations the sheet lists (the result, the
 *   form's field sources)
 */

/**
 * @param {string} tag @param {string} [className] @param {string} [text]
 * @returns {HTMLElement}
 */
function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/**
 * Every source cited in `roots`, once each, in reference-number order: its number (as the
 * superscripts show it) and its full reference (the link's title, written by the build).
 * @param {Element[]} roots
 * @returns {{number: string, reference: string}[]}
 */
export function citedSources(roots) {
  /** @type {Map<string, {number: string, reference: string}>} */
  const seen = new Map();
  for (const root of roots) {
    for (const link of root.querySelectorAll("sup.cite a[href]")) {
      // By the reference's number: Material's instant navigation rewrites some links to
      // absolute URLs, so one source can appear under two hrefs.
      const number = (link.textContent ?? "").trim();
      if (seen.has(number)) continue;
      seen.set(number, {
        number,
        reference: (link.getAttribute("title") ?? "").trim() || (link.getAttribute("href") ?? ""),
      });
    }
  }
  return [...seen.values()].sort((a, b) => Number(a.number) - Number(b.number) || a.number.localeCompare(b.number));
}

/** A result table longer than this many rows prints as tables side by side, each at most
 * this long. */
const SPLIT_ROWS = 8;

/**
 * A long table (the flexible schedule's 24 hours) as tables side by side, each with the
 * headers: a third of the height on paper.
 * @param {Element} table
 */
function splitLongTable(table) {
  const rows = Array.from(table.querySelectorAll(":scope > tbody > tr"));
  if (rows.length <= SPLIT_ROWS) return;
  const parts = Math.ceil(rows.length / SPLIT_ROWS);
  const size = Math.ceil(rows.length / parts);
  const pair = el("div", "calc-print-sheet__split");
  table.replaceWith(pair);
  for (let part = 0; part < parts; part += 1) {
    const copy = /** @type {HTMLTableElement} */ (table.cloneNode(true));
    Array.from(copy.querySelectorAll(":scope > tbody > tr")).forEach((row, i) => {
      if (i < part * size || i >= (part + 1) * size) row.remove();
    });
    pair.append(copy);
  }
}

/**
 * The sheet for one calculator's result (see the module comment).
 * @param {SheetData} data
 * @returns {HTMLElement}
 */
export function buildSheet(data) {
  const sheet = el("section", "calc-print-sheet");
  sheet.dataset.calcPrint = "";
  // First, so that it floats beside the title, the provenance and the link it encodes.
  sheet.append(qrFigure(data.link, "calc-print-sheet__qr"));
  sheet.append(el("h1", "calc-print-sheet__title", data.title));
  sheet.append(
    el(
      "p",
      "calc-print-sheet__what",
      `Printout of the result computed ${data.computed} by the baclofen dosing site, version ` +
        `${data.version}, for the values listed below. Printed ${data.printed}. It does not change ` +
        "when the values on the page do: to compute again, open the link.",
    ),
  );
  const link = el("p", "calc-print-sheet__link");
  link.append(el("strong", "", "Link to these values: "), el("span", "", data.link));
  sheet.append(link);
  sheet.append(
    el(
      "p",
      "calc-print-sheet__note",
      "Teaching material, not a prescribing tool: check every dose against the current product " +
        "label and the clinician responsible for the patient.",
    ),
  );

  sheet.append(el("h2", "", "Values"));
  const values = /** @type {HTMLTableElement} */ (el("table", "calc-print-sheet__values"));
  const head = values.createTHead().insertRow();
  for (const text of ["Value", "As computed", "Unit"]) head.append(el("th", "", text));
  const body = values.createTBody();
  // A repeated group's item on one row ("Step 2 | Start 8 h after midnight; Duration 14
  // hours; …"): twelve steps then take twelve rows, not thirty-six.
  /** @type {Map<string, HTMLTableCellElement>} */
  const items = new Map();
  for (const { item, label, value, unit } of data.values) {
    const shown = `${value}${unit ? ` ${unit}` : ""}`;
    const cell = items.get(item);
    if (cell) {
      cell.append(`; ${label} `, el("strong", "", shown));
      continue;
    }
    const row = body.insertRow();
    if (item) {
      row.dataset.item = item;
      row.insertCell().textContent = item;
      const combined = row.insertCell();
      combined.colSpan = 2;
      combined.append(`${label} `, el("strong", "", shown));
      items.set(item, combined);
    } else {
      for (const text of [label, value, unit]) row.insertCell().textContent = text;
    }
  }
  if (body.rows.length > 8) values.classList.add("calc-print-sheet__values--many");
  sheet.append(values);

  sheet.append(el("h2", "", "Result"));
  const result = /** @type {Element} */ (data.result.cloneNode(true));
  for (const node of result.querySelectorAll(LEFT_OUT)) node.remove();
  for (const node of result.querySelectorAll("[id], [tabindex], [role], [aria-label]")) {
    node.removeAttribute("id"); // the page keeps its ids unique; the copy is for paper
    node.removeAttribute("tabindex");
    node.removeAttribute("role");
    node.removeAttribute("aria-label");
  }
  for (const table of result.querySelectorAll("figure table")) splitLongTable(table);
  const resultBox = el("div", "calc-print-sheet__result");
  resultBox.append(...result.childNodes);
  sheet.append(resultBox);

  const sources = citedSources(data.citing);
  if (sources.length) {
    sheet.append(el("h2", "", "Sources cited"));
    const list = el("ul", "calc-print-sheet__sources");
    for (const { number, reference } of sources) {
      list.append(el("li", "", `[${number}] ${reference}`));
    }
    sheet.append(list);
  }
  return sheet;
}

/**
 * Shrink `sheet` (CSS zoom) until it fits one page, measured at the printed width before the
 * browser prints: a long flexible schedule lists up to 12 steps and their table. Never below
 * MIN_ZOOM. The QR code shrinks with the sheet, but never under MIN_SIDE_MM (a zoom of its
 * own undoes the rest): a long link's code, drawn with modules of MODULE_MM, then keeps
 * modules of at least MODULE_MM * MIN_ZOOM. `box` is the print container the sheet is in
 * (hidden on screen).
 * @param {HTMLElement} box @param {HTMLElement} sheet
 * @returns {number} the zoom applied (1: none needed)
 */
export function fitToPage(box, sheet) {
  const before = box.getAttribute("style");
  box.style.cssText =
    `display:block;position:absolute;left:-100000px;top:0;visibility:hidden;width:${SHEET_WIDTH_MM}mm`;
  sheet.style.removeProperty("zoom");
  const qr = sheet.querySelector(":scope > .print-qr");
  if (qr instanceof HTMLElement) qr.style.removeProperty("zoom");
  const side = parseFloat(qr?.querySelector("svg")?.getAttribute("width") ?? "") || MIN_SIDE_MM;
  const height = sheet.getBoundingClientRect().height;
  const limit = SHEET_HEIGHT_MM * PX_PER_MM;
  let zoom = 1;
  if (height > limit) {
    zoom = Math.max(MIN_ZOOM, Math.floor((limit / height) * 100) / 100);
    for (;;) {
      sheet.style.setProperty("zoom", String(zoom));
      const keep = Math.max(1, MIN_SIDE_MM / (side * zoom));
      if (qr instanceof HTMLElement && keep > 1) qr.style.setProperty("zoom", String(keep));
      // A code kept at its floor may take more room than it did scaled: a step smaller then.
      if (zoom <= MIN_ZOOM || sheet.getBoundingClientRect().height <= limit) break;
      zoom = Math.max(MIN_ZOOM, Math.round((zoom - 0.02) * 100) / 100);
    }
  }
  if (before === null) box.removeAttribute("style");
  else box.setAttribute("style", before);
  return zoom;
}
