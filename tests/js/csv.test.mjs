// @ts-check
/**
 * docs/assets/js/csv.js: the "Download CSV" file (RFC 4180), from the tables' texts as
 * calculators.js reads them off the page.
 * Run: node --test tests/js/
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { BOM, csvCell, csvFile, toCsv } from "../../docs/assets/js/csv.js";

describe("csvCell", () => {
  test("leaves a plain cell as it is (spaces, units, decimals)", () => {
    for (const cell of ["Daily dose (mg)", "12.5", "", "5 mg ×3", "µg/day", "'quoted'"]) assert.equal(csvCell(cell), cell);
  });

  test("quotes a cell holding a comma, a quote or a line break, doubling its quotes", () => {
    assert.equal(csvCell("1,500"), '"1,500"');
    assert.equal(csvCell('say "stop"'), '"say ""stop"""');
    assert.equal(csvCell("two\nlines"), '"two\nlines"');
    assert.equal(csvCell("cr\rhere"), '"cr\rhere"');
    assert.equal(csvCell('"'), '""""');
  });
});

describe("toCsv", () => {
  test("writes each table's caption, then its rows, a blank line between tables, CRLF throughout", () => {
    const csv = toCsv([
      { caption: "Titration", rows: [["Day", "Dose (mg)"], ["1", "5"], ["4", "10"]] },
      { caption: "Totals, per day", rows: [["Total (mg)"], ["15"]] },
    ]);
    assert.equal(
      csv,
      "Titration\r\nDay,Dose (mg)\r\n1,5\r\n4,10\r\n\r\n" + '"Totals, per day"\r\nTotal (mg)\r\n15\r\n',
    );
  });

  test("writes no caption line for a table without one", () => {
    assert.equal(toCsv([{ caption: "", rows: [["a", "b"]] }]), "a,b\r\n");
  });

  test("quotes the cells that need it, and only those", () => {
    assert.equal(toCsv([{ caption: "", rows: [["x", "1,5", 'a "b"']] }]), 'x,"1,5","a ""b"""\r\n');
  });

  test("puts no blank line before the first table that writes a line", () => {
    // An empty table (no caption, no rows) writes nothing, so the next one starts the file.
    const csv = toCsv([{ caption: "", rows: [] }, { caption: "T", rows: [["1"]] }]);
    assert.equal(csv, "T\r\n1\r\n");
  });

  test("parses back into the same cells with a strict RFC 4180 reader", () => {
    const rows = [["Dose (mg)", "Note"], ["5", 'take with "food", at night'], ["10", "line one\r\nline two"]];
    assert.deepEqual(parseCsv(toCsv([{ caption: "", rows }])), rows);
  });

  test("is a single CRLF for no tables at all", () => {
    assert.equal(toCsv([]), "\r\n");
  });
});

describe("csvFile", () => {
  test("starts with the UTF-8 byte-order mark, so a spreadsheet reads µ, × and – as written (QA D25)", () => {
    const file = csvFile([], [{ caption: "Taper", rows: [["Days", "Dose (µg)"], ["1–3", "5 ×3"]] }]);
    assert.equal(BOM, "\uFEFF");
    assert.ok(file.startsWith("\uFEFF"), "no byte-order mark");
    assert.equal(file.indexOf("\uFEFF", 1), -1, "a second mark");
    assert.deepEqual([...new TextEncoder().encode(file).slice(0, 3)], [0xef, 0xbb, 0xbf]);
    assert.equal(file.slice(1), toCsv([{ caption: "Taper", rows: [["Days", "Dose (µg)"], ["1–3", "5 ×3"]] }]));
  });

  test("writes what the result is for first, one record each, then a blank line, then the tables", () => {
    const about = [["Calculator", "Stopping baclofen"], ["Computed", "2026-12-07 14:03 UTC"], ["Current daily dose", "40", "mg/day"]];
    const file = csvFile(about, [{ caption: "T", rows: [["1"]] }]);
    assert.deepEqual(parseCsv(file.slice(1)), [...about, [""], ["T"], ["1"]]);
  });
});

/**
 * A small strict RFC 4180 reader (records end in CRLF), written here independently of the
 * module under test.
 * @param {string} text
 * @returns {string[][]}
 */
function parseCsv(text) {
  /** @type {string[][]} */
  const records = [];
  /** @type {string[]} */
  let record = [];
  let i = 0;
  while (i < text.length) {
    let cell = "";
    if (text[i] === '"') {
      i += 1;
      for (;;) {
        const quote = text.indexOf('"', i);
        assert.notEqual(quote, -1, "unterminated quoted cell");
        cell += text.slice(i, quote);
        i = quote + 1;
        if (text[i] === '"') {
          cell += '"';
          i += 1;
        } else break;
      }
    } else {
      const end = text.slice(i).search(/,|\r\n/);
      assert.notEqual(end, -1, "record without CRLF");
      cell = text.slice(i, i + end);
      assert.doesNotMatch(cell, /["\r\n]/, "unquoted cell with a quote or line break");
      i += end;
    }
    record.push(cell);
    if (text.startsWith(",", i)) i += 1;
    else if (text.startsWith("\r\n", i)) {
      records.push(record);
      record = [];
      i += 2;
    } else assert.fail(`unexpected character at ${i}: ${JSON.stringify(text[i])}`);
  }
  return records;
}
