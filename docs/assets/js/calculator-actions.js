// @ts-check
/**
 * What a calculator's result hands over: "Copy result" (plain text), "Download CSV" (its
 * tables), "Copy link" (the page URL with the form's values) and "Print" (this calculator
 * alone, on one page: print-sheet.js), and the line a printed page carries above the
 * result (writePrintHeader). calculators.js binds them to each form.
 *
 * What leaves the page is what was computed: Copy and CSV are `disabled` while the result
 * is not for the form's values or not a live one, Print while it is not for the form's
 * values, with the reason in `[data-actions-note]`; what they hand over starts with what
 * the result is for (the link, the site's version, when it was computed, each value as
 * typed).
 */

import { stats } from "./calculator-client.js";
import { itemLabel, preparePrintCard } from "./calculator-groups.js";
import { fieldLabel, readInputs, shown, shownValue, unitOf, writeUrl } from "./calculator-form.js";
import { csvFile } from "./csv.js";
import { buildSheet, fitToPage } from "./print-sheet.js";
import { withInputs } from "./url-state.js";

/** @typedef {import("./calculators.js").Bound} Bound */

/** Why Copy and CSV (and Print, when it is off too) are off, said next to them.
 * @param {string} why @param {boolean} print */
const ACTIONS_OFF = (why, print) =>
  `${print ? "Copy result, Download CSV and Print are" : "Copy result and Download CSV are"} off: ${why}.`;

/**
 * Plain text to the clipboard: the async API where it exists (secure contexts), else the
 * old selection route (a classroom server on plain http is not a secure context).
 * @param {string} text
 * @returns {Promise<void>}
 */
async function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return;
    } catch {
      // permission refused: fall through to the selection route
    }
  }
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.append(area);
  area.select();
  const ok = document.execCommand("copy");
  area.remove();
  if (!ok) throw new Error("the browser refused to copy");
}

/**
 * The result's tables, exactly as shown (headers carry the units): each
 * `figure.calc-table`'s caption and cells, as text (csv.js writes them).
 * @param {HTMLElement} result
 * @returns {import("./csv.js").CsvTable[]}
 */
function tablesOf(result) {
  return Array.from(result.querySelectorAll("figure.calc-table"), (figure) => ({
    caption: figure.querySelector("figcaption")?.textContent?.trim() ?? "",
    rows: Array.from(figure.querySelectorAll("tr"), (row) =>
      Array.from(row.querySelectorAll("th, td"), (c) => (c.textContent ?? "").trim()),
    ),
  }));
}

/**
 * Why the result shown may not leave the page ("" when it may): only a live result, for the
 * values the form holds, is copied or downloaded (QA D2).
 * @param {Bound} b
 */
function refusal(b) {
  if (b.output.dataset.state !== "ready" || !b.text || b.resultFor === null) {
    if (b.output.dataset.state === "error") {
      return "a value above is not valid, so the result below is not for the values above";
    }
    return b.failed ? "the live calculator is not available" : "they wait for a live result";
  }
  if (b.output.hasAttribute("data-stale") || shown(b).stale) {
    return "the result below is not for the values above";
  }
  return "";
}

/**
 * Why the result shown may not be printed as this calculator's sheet ("" when it may): only
 * a result for the values the form holds, live or the build's own for the default values.
 * A stale one is refused, as Copy and CSV refuse it (the browser's own Print menu still
 * prints the whole page, with the result marked NOT CURRENT: writePrintHeader).
 * @param {Bound} b
 */
export function printRefusal(b) {
  if (b.output.dataset.state === "error") {
    return "a value above is not valid, so the result below is not for the values above";
  }
  if (b.output.hasAttribute("data-stale") || shown(b).stale) {
    return "the result below is not for the values above";
  }
  return "";
}

/**
 * This calculator alone, on one page: its sheet (print-sheet.js) in the print container.
 * @param {Bound} b
 */
function printSheet(b) {
  const [[, title], [, link], [, version], [, when]] = provenance(b);
  /** @type {Record<string, string>} */
  const inputs = JSON.parse(b.resultFor ?? b.defaults);
  const values = Object.entries(inputs).map(([name, value]) => {
    const item = itemLabel(b.form.querySelector(`.calc-field [name="${CSS.escape(name)}"]`));
    const label = fieldLabel(b.form, name);
    return {
      item,
      label: item && label.startsWith(`${item}: `) ? label.slice(item.length + 2) : label,
      value: shownValue(b.form, name, value),
      unit: unitOf(b.form, name),
    };
  });
  const fieldSources = Array.from(b.form.querySelectorAll(".calc-intro, .calc-field-sources"));
  preparePrintCard(
    buildSheet({
      title, link, version, computed: when, printed: utc(new Date()), values, result: b.result,
      citing: [b.result, ...fieldSources],
    }),
  );
  const box = document.getElementById("pump-card-print");
  const sheet = box?.querySelector(":scope > [data-calc-print]");
  if (box && sheet instanceof HTMLElement) fitToPage(box, sheet);
}

/**
 * What a card or sheet printed from the result shown comes from: the link to the values the
 * result is for (the same as the calculator's sheet prints), the version, the time.
 * @param {Bound} b
 * @returns {import("./calculator-groups.js").PrintSource}
 */
export function printSource(b) {
  const [, [, link], [, version]] = provenance(b);
  return { link, version, printed: utc(new Date()) };
}

/** Copy, CSV and Print on or off, with the reason beside them. @param {Bound} b */
export function updateActions(b) {
  const actions = b.form.querySelector("[data-calculator-actions]");
  if (!(actions instanceof HTMLElement)) return;
  const why = refusal(b);
  const noPrint = printRefusal(b);
  for (const button of actions.querySelectorAll('[data-action="copy"], [data-action="csv"]')) {
    if (button instanceof HTMLButtonElement) button.disabled = Boolean(why);
  }
  const print = actions.querySelector('[data-action="print"]');
  if (print instanceof HTMLButtonElement) print.disabled = Boolean(noPrint);
  // The pump card, the patient sheet and the schedule sheet print from the result too, so
  // they are refused alike (a blind review printed a card for 400 mcg/day with 650 typed
  // above, during start-up; and after an invalid value). Set again after each swap.
  for (const button of b.result.querySelectorAll('[data-action="print-card"]')) {
    if (button instanceof HTMLButtonElement) {
      button.disabled = Boolean(noPrint);
      button.title = noPrint ? `Not printed: ${noPrint}.` : "";
    }
  }
  const note = actions.querySelector("[data-actions-note]");
  if (note instanceof HTMLElement) {
    const text = why ? ACTIONS_OFF(why, Boolean(noPrint)) : "";
    if (note.textContent !== text) note.textContent = text;
    note.hidden = !why;
  }
}

/** `2026-12-07 14:03 UTC` @param {Date} date */
function utc(date) {
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/**
 * What the result shown was computed for, as records: the calculator, the link to this case,
 * the site's version, when, then each value as typed with its label and unit.
 * @param {Bound} b
 * @returns {string[][]}
 */
function provenance(b) {
  /** @type {Record<string, string>} */
  const inputs = JSON.parse(b.resultFor ?? b.defaults);
  const title = b.form.querySelector(`#calc-${CSS.escape(b.id)}-title`)?.textContent?.trim() ?? b.id;
  // This calculator's values only: another form's on the same page are not this case (the
  // "Copy link" button copies the whole page), and they made a printed QR code outgrow what
  // one can hold (a flexible schedule's 12 steps beside the refill visit: 2,500 characters).
  const page = new URL(window.location.href);
  page.search = "";
  const rows = [
    ["Calculator", title],
    ["Link to this case", withInputs(page, b.id, inputs).href],
    ["Site version", stats.versions?.calculators ?? "not known"],
    ["Computed", b.computedAt ? utc(b.computedAt) : "when this page was built"],
    ["Value", "As typed", "Unit"],
  ];
  for (const [name, value] of Object.entries(inputs)) {
    rows.push([fieldLabel(b.form, name), shownValue(b.form, name, value), unitOf(b.form, name)]);
  }
  return rows;
}

/** The copied text: what the result is for, then the result (calculators.present.to_text).
 * @param {Bound} b */
function copiedText(b) {
  const [[, title], [, link], [, version], [, when], , ...values] = provenance(b);
  const lines = [
    `${title}: computed ${when} by the baclofen dosing site, version ${version}, for these values:`,
    ...values.map(([label, value, unit]) => `  ${label}: ${value}${unit ? ` ${unit}` : ""}`),
    `Link to this case: ${link}`,
    "",
    b.text,
  ];
  return lines.join("\n");
}

/**
 * The line a printed calculator carries above its result: what the result is for (when it
 * was computed, the site's version, the link to this case), or that it is NOT CURRENT.
 * Hidden on screen (calculators.css); written just before the browser prints (beforeprint:
 * the Print button and the browser's own menu alike).
 * @param {Bound} b
 */
export function writePrintHeader(b) {
  /** @type {HTMLElement | null} */
  let header = b.output.querySelector(":scope > [data-print-header]");
  if (!header) {
    header = document.createElement("p");
    header.className = "calc-print-header";
    header.dataset.printHeader = "";
    b.output.prepend(header);
  }
  const [[, title], [, link], [, version], [, when]] = provenance(b);
  const printed = utc(new Date());
  const stale = b.output.hasAttribute("data-stale") || shown(b).stale;
  header.dataset.stale = String(stale);
  header.textContent = stale
    ? `NOT CURRENT: the result below is NOT for the values above. Printed ${printed}; site version ${version}.`
    : `${title}: computed ${when} by the baclofen dosing site, version ${version}, for the values above. ` +
      `Printed ${printed}. Link to this case: ${link}`;
}

/** @param {string} name @param {string} text */
function download(name, text) {
  const url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** Briefly show what a button did, in the button itself (and to screen readers via the status).
 * @param {HTMLElement} button @param {string} text */
function flash(button, text) {
  const original = button.dataset.label ?? button.textContent ?? "";
  button.dataset.label = original;
  button.textContent = text;
  window.setTimeout(() => {
    button.textContent = original;
  }, 2000);
}

/** @param {Bound} b */
export function bindActions(b) {
  const actions = b.form.querySelector("[data-calculator-actions]");
  if (!(actions instanceof HTMLElement)) return;
  actions.hidden = false;
  const note = document.createElement("p");
  note.className = "calc-actions-note";
  note.dataset.actionsNote = "";
  note.id = `calc-${b.id}-actions-note`;
  note.hidden = true;
  actions.append(note);
  for (const button of actions.querySelectorAll('[data-action="copy"], [data-action="csv"], [data-action="print"]')) {
    button.setAttribute("aria-describedby", note.id);
  }
  updateActions(b);
  actions.addEventListener("click", (event) => {
    const button = event.target instanceof Element ? event.target.closest("button[data-action]") : null;
    if (!(button instanceof HTMLButtonElement)) return;
    const action = button.dataset.action;
    if (action === "copy" || action === "csv" || action === "print") {
      // Checked again now: the result may have gone stale since the buttons were last set.
      const why = action === "print" ? printRefusal(b) : refusal(b);
      updateActions(b);
      if (why) {
        flash(button, { copy: "Not copied", csv: "Not downloaded", print: "Not printed" }[action]);
        return;
      }
    }
    if (action === "copy") {
      copyText(copiedText(b)).then(() => flash(button, "Copied"), (e) => flash(button, `Not copied: ${e.message}`));
    } else if (action === "csv") {
      download(`${b.id}.csv`, csvFile(provenance(b), tablesOf(b.result)));
    } else if (action === "link") {
      writeUrl(b, readInputs(b));
      copyText(window.location.href).then(() => flash(button, "Link copied"), (e) => flash(button, `Not copied: ${e.message}`));
    } else if (action === "print") {
      printSheet(b);
      window.print();
    }
  });
}
