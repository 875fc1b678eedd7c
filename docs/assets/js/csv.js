// @ts-check
/**
 * CSV for the "Download CSV" button (RFC 4180: CRLF line ends, a field holding a quote, a
 * comma or a line break is quoted, its quotes doubled). calculator-actions.js reads the
 * result's tables from the page as text; this module writes them, so node's test runner can
 * check it (tests/js/csv.test.mjs).
 *
 * The file starts with a UTF-8 byte-order mark (csvFile): Excel on Windows reads a CSV
 * without one in the system's legacy code page, so the results' "µ", "×" and "–" (the
 * "1–3" day ranges) would arrive as mojibake; LibreOffice and Numbers read the mark too.
 */

/** U+FEFF, written first: the spreadsheet's cue that the file is UTF-8. */
export const BOM = "\uFEFF";

/**
 * @typedef {object} CsvTable one table as shown: its caption ("" for none) and its rows of
 *   cell texts, the header row first (the headers carry the units)
 * @property {string} caption
 * @property {string[][]} rows
 */

/** @param {string} cell */
export function csvCell(cell) {
  return /[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}

/**
 * The tables one after the other, each its caption's line (when it has one) then its rows,
 * a blank line between tables; every line ends in CRLF.
 * @param {Iterable<CsvTable>} tables
 */
export function toCsv(tables) {
  /** @type {string[]} */
  const lines = [];
  for (const { caption, rows } of tables) {
    if (lines.length) lines.push("");
    if (caption) lines.push(csvCell(caption));
    for (const cells of rows) lines.push(cells.map(csvCell).join(","));
  }
  return lines.join("\r\n") + "\r\n";
}

/**
 * The downloadable file: the byte-order mark, then `about` (what the result is for, one
 * record each, e.g. `["Computed", "2026-12-07 14:03 UTC"]`) and a blank line when there is
 * any, then the tables (toCsv).
 * @param {string[][]} about @param {Iterable<CsvTable>} tables
 */
export function csvFile(about, tables) {
  const head = about.length ? about.map((cells) => cells.map(csvCell).join(",")).join("\r\n") + "\r\n\r\n" : "";
  return BOM + head + toCsv(tables);
}
