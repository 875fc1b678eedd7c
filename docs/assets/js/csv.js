// @ts-check
/**
 * CSV for the "Download CSV" button (RFC 4180: CRLF line ends, a field holding a quote, a
 * comma or a line break is quoted, its quotes doubled). calculators.js reads the result's
 * tables from the page as text; this module writes them, so node's test runner can check
 * it (tests/js/csv.test.mjs).
 */

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
