// @ts-check
/**
 * Repeated groups of fields (calculators.spec.Group, rendered by sitebuild/calculator_block.py)
 * and the printable pump card (calculators.present.pump_card_html), patient sheet and schedule
 * sheets, each printed alone with the link to its values as a QR code (print-qr.js).
 *
 * A group is `fieldset[data-group="<name>"]` with `data-min-items` / `data-max-items`; its
 * items are `fieldset[data-group-item="<index>"]` inside `[data-group-items]`, each field
 * named `<group>.<index>.<field>` (what Python parses, what the URL keeps). A new item comes
 * from the group's `<template data-group-template>`, whose `__INDEX__` and `__NUMBER__` are
 * filled in. Removing an item renumbers the rest, so the indices stay 0, 1, 2... without gaps
 * (Python refuses gaps). Nothing here validates a value: the group dispatches an `input` event
 * (it bubbles to the form) and calculators.js sends the values to Python as typed.
 *
 * A group of spans in time (`data-chain-start`, `data-chain-duration`, `data-chain-period`,
 * written by the build) starts a new item where the last one ends. A link never makes a group
 * hold more than `data-max-items` items: what it asked for is said instead (restoreGroupCounts).
 */

import { qrFigure } from "./print-qr.js";
import { linkedItemCount } from "./url-state.js";

const INDEX = /__INDEX__/g;
const NUMBER = /__NUMBER__/g;

/** A plain decimal, as the last item's start and duration must be for the next to follow it. */
const PLAIN_DECIMAL = /^\s*[0-9]+(?:\.[0-9]+)?\s*$/;

/** @param {ParentNode} root @returns {HTMLFieldSetElement[]} */
function groupsIn(root) {
  return /** @type {HTMLFieldSetElement[]} */ (Array.from(root.querySelectorAll("fieldset[data-group]")));
}

/** @param {HTMLFieldSetElement} group @returns {HTMLElement[]} */
function itemsOf(group) {
  return /** @type {HTMLElement[]} */ (
    Array.from(group.querySelectorAll(":scope > [data-group-items] > [data-group-item]"))
  );
}

/** @param {HTMLFieldSetElement} group @param {number} index @returns {HTMLElement} */
function newItem(group, index) {
  const template = group.querySelector(":scope > template[data-group-template]");
  if (!(template instanceof HTMLTemplateElement)) throw new Error(`group ${group.dataset.group} has no template`);
  const holder = document.createElement("div");
  // The template was built by calculators' own code from the spec and escaped there.
  holder.innerHTML = template.innerHTML.replace(INDEX, String(index)).replace(NUMBER, String(index + 1));
  const item = holder.firstElementChild;
  if (!(item instanceof HTMLElement)) throw new Error(`group ${group.dataset.group} has an empty template`);
  for (const button of item.querySelectorAll("[data-group-action]")) {
    if (button instanceof HTMLElement) button.hidden = false;
  }
  // calculator-form.js may have changed the number inputs' keyboard for the reader's locale
  // (inputmode "text" where the decimal key is a comma): a new item's inputs follow the form's.
  const mode = group.closest("form")?.querySelector(".calc-field input[data-min]")?.getAttribute("inputmode");
  if (mode) {
    for (const input of item.querySelectorAll("input[inputmode]")) input.setAttribute("inputmode", mode);
  }
  return item;
}

/** The field's own name in an item (`rate_mcg_per_hour` of `steps.2.rate_mcg_per_hour`).
 * @param {string} name */
function fieldOf(name) {
  return name.slice(name.lastIndexOf(".") + 1);
}

/**
 * Rebuild the items from the template, keeping each one's values in order: indices, ids,
 * labels and error slots then match positions 0, 1, 2...
 * @param {HTMLFieldSetElement} group @param {Map<string, string>[]} values
 */
function rebuild(group, values) {
  const container = group.querySelector(":scope > [data-group-items]");
  if (!(container instanceof HTMLElement)) return;
  const items = values.map((kept, index) => {
    const item = newItem(group, index);
    for (const control of item.querySelectorAll("[name]")) {
      if (!(control instanceof HTMLInputElement || control instanceof HTMLSelectElement)) continue;
      const value = kept.get(fieldOf(control.name));
      if (value !== undefined) control.value = value;
    }
    return item;
  });
  container.replaceChildren(...items);
  updateButtons(group);
}

/** @param {HTMLElement} item */
function valuesOf(item) {
  /** @type {Map<string, string>} */
  const kept = new Map();
  for (const control of item.querySelectorAll("[name]")) {
    if (control instanceof HTMLInputElement || control instanceof HTMLSelectElement) {
      kept.set(fieldOf(control.name), control.value);
    }
  }
  return kept;
}

/** Add is off at the maximum, remove at the minimum (the counts come from the spec).
 * @param {HTMLFieldSetElement} group */
function updateButtons(group) {
  const count = itemsOf(group).length;
  const min = Number(group.dataset.minItems ?? "0");
  const max = Number(group.dataset.maxItems ?? "0");
  for (const button of group.querySelectorAll("[data-group-action]")) {
    if (!(button instanceof HTMLButtonElement)) continue;
    if (button.closest("template")) continue;
    button.hidden = false;
    button.disabled = button.dataset.groupAction === "add" ? count >= max : count <= min;
  }
}

/**
 * Make the form's groups hold as many items as a link names (`<id>.<group>.<n>.<field>`),
 * before its values are put in, but never more than the group's maximum (a crafted link once
 * built 100 steps, 30,000 px of form: QA D14). Without such keys a group keeps the items it
 * was built with. Returns, by group name, what a link asked for past the maximum, said as the
 * group's message (the caller shows it, and calculates nothing until the group is changed).
 * @param {HTMLFormElement} form @param {string} id @param {URLSearchParams} params
 * @returns {Map<string, string>}
 */
export function restoreGroupCounts(form, id, params) {
  /** @type {Map<string, string>} */
  const over = new Map();
  for (const group of groupsIn(form)) {
    const name = group.dataset.group ?? "";
    const count = linkedItemCount(params, id, name);
    if (!count) continue;
    const max = Number(group.dataset.maxItems ?? "0");
    const built = Math.min(count, max);
    const items = itemsOf(group).map(valuesOf).slice(0, built);
    while (items.length < built) items.push(new Map());
    rebuild(group, items);
    if (count > max) over.set(name, overMax(group, count, max));
  }
  return over;
}

/**
 * @param {HTMLFieldSetElement} group @param {number} count what the link asked for
 * @param {number} max the group's maximum
 */
function overMax(group, count, max) {
  const label = group.querySelector(":scope > legend")?.textContent?.trim() ?? group.dataset.group ?? "";
  const template = group.querySelector(":scope > template[data-group-template]");
  const legend = template instanceof HTMLTemplateElement ? template.content.querySelector("legend") : null;
  const item = (legend?.textContent ?? "item").replace(NUMBER, "").trim().toLowerCase();
  return (
    `${label}: this link asks for ${count} ${label.toLowerCase()} (up to ` +
    `${group.dataset.group}.${count - 1}), but at most ${max} can be given. The first ${max} are shown, ` +
    `the link's others were not used, and nothing is calculated until you change a ${item}, or add or remove one.`
  );
}

/**
 * A new item of a chained group starts where the last one ends (its start plus its duration,
 * wrapped at the period): the template's default start would overlap the first item (QA D13).
 * Left at the default when the last item's values are not plain decimals.
 * @param {HTMLFieldSetElement} group @param {HTMLElement | undefined} last @param {HTMLElement} item
 */
function chainStart(group, last, item) {
  const { chainStart: start, chainDuration: duration, chainPeriod: period } = group.dataset;
  if (!start || !duration || !last) return;
  /** @param {HTMLElement} element @param {string} field */
  const control = (element, field) =>
    Array.from(element.querySelectorAll("input[name]")).find(
      (c) => c instanceof HTMLInputElement && fieldOf(c.name) === field,
    );
  const lastStart = control(last, start);
  const lastDuration = control(last, duration);
  const next = control(item, start);
  if (!(lastStart instanceof HTMLInputElement && lastDuration instanceof HTMLInputElement)) return;
  if (!(next instanceof HTMLInputElement)) return;
  if (!PLAIN_DECIMAL.test(lastStart.value) || !PLAIN_DECIMAL.test(lastDuration.value)) return;
  let end = Number(lastStart.value) + Number(lastDuration.value);
  const cycle = Number(period);
  if (cycle > 0) end %= cycle;
  // Six decimals hide binary noise (8.1 + 0.2) and keep any quarter or minute.
  next.value = String(Number(end.toFixed(6)));
}

/**
 * Show the add and remove buttons and make them work; each change is announced to the form
 * as an `input` event, so it recalculates like a typed value.
 * @param {HTMLFormElement} form
 */
export function bindGroups(form) {
  for (const group of groupsIn(form)) {
    updateButtons(group);
    group.addEventListener("click", (event) => {
      const button = event.target instanceof Element ? event.target.closest("button[data-group-action]") : null;
      if (!(button instanceof HTMLButtonElement) || button.closest("fieldset[data-group]") !== group) return;
      const items = itemsOf(group);
      if (button.dataset.groupAction === "add") {
        const container = group.querySelector(":scope > [data-group-items]");
        const item = newItem(group, items.length);
        chainStart(group, items.at(-1), item);
        container?.append(item);
        updateButtons(group);
        const first = item.querySelector("input, select");
        if (first instanceof HTMLElement) first.focus();
      } else {
        const item = button.closest("[data-group-item]");
        const position = items.findIndex((candidate) => candidate === item);
        const kept = items.filter((candidate) => candidate !== item).map(valuesOf);
        rebuild(group, kept);
        const after = itemsOf(group);
        const next = after[Math.min(position, after.length - 1)];
        const focusable = next?.querySelector("input, select") ?? group.querySelector('[data-group-action="add"]');
        if (focusable instanceof HTMLElement) focusable.focus();
      }
      // From the group, so the form knows which group changed (a link's note on it goes).
      group.dispatchEvent(new Event("input", { bubbles: true }));
    });
  }
}

/** A group item's place for messages: "Step 2" for `steps.1.rate_mcg_per_hour`.
 * @param {Element | null} control */
export function itemLabel(control) {
  const item = control?.closest("[data-group-item]");
  return item?.querySelector(":scope > legend")?.textContent?.trim() ?? "";
}

// --- the pump card ---------------------------------------------------------------------------

/** The card's print buttons are shown once this script runs (printing needs it).
 * @param {ParentNode} root */
export function showCardButtons(root) {
  for (const button of root.querySelectorAll('[data-action="print-card"]')) {
    if (button instanceof HTMLElement) button.hidden = false;
  }
}

/**
 * @typedef {object} PrintSource what a printed card or sheet comes from (calculator-actions.js)
 * @property {string} link the link that reproduces its values (the page, the inputs)
 * @property {string} version the site's version
 * @property {string} printed when it is printed
 */

/**
 * The foot of a printed card or sheet: the link that reproduces its values as a QR code and
 * as text, the site's version and when it was printed (issue 26). The figures in the link are
 * the ones printed on the sheet above it, nothing more (no name: the sheet's name is a blank
 * written in by hand).
 * @param {PrintSource} source
 * @returns {HTMLElement}
 */
export function printSourceFooter(source) {
  const footer = document.createElement("div");
  footer.className = "print-source";
  footer.dataset.printSource = "";
  const text = document.createElement("p");
  text.className = "print-source__text";
  const link = document.createElement("span");
  link.className = "print-source__link";
  link.textContent = source.link;
  text.append(
    `Printed ${source.printed} from the baclofen dosing site, version ${source.version}. ` +
      "These values online (scan the code, or type the link): ",
    link,
  );
  footer.append(qrFigure(source.link, "print-source__qr"), text);
  return footer;
}

/** The patient sheet's code at most this wide (mm): as tall as the section beside it, so a
 * long link (the page's other calculators' values too) cannot push the sheet onto a second
 * page; its modules are then under 0.3 mm (0.25 mm at 860 characters). */
const PATIENT_SHEET_QR_MM = 30;

/**
 * Where a card or sheet printed from a result says where it comes from (issue 26).
 *
 * - The pump card and the schedule sheets end with printSourceFooter; the card's code goes
 *   up, beside the pump's figures (short values, room to their right), as its page is full.
 * - The patient and carer sheet fills its one page in large type, and says the site's
 *   version itself: its code goes beside its last section, "Write these down" (three short
 *   lines), and its note names the page (`data-print-link`: the page, not the values, as
 *   text; the values are in the code).
 * @param {Element} copy the printed copy
 * @param {PrintSource} source
 */
function addSource(copy, source) {
  const pageLink = copy.querySelectorAll("[data-print-link]");
  if (pageLink.length) {
    const page = new URL(source.link);
    for (const link of pageLink) link.textContent = `${page.origin}${page.pathname}`;
    const headings = copy.querySelectorAll(":scope > .patient-sheet__heading");
    const code = qrFigure(source.link, "print-source__qr", PATIENT_SHEET_QR_MM);
    headings[headings.length - 1]?.before(code);
    return;
  }
  const footer = printSourceFooter(source);
  copy.append(footer);
  const facts = copy.querySelector(":scope > .pump-card__facts");
  const code = footer.querySelector(":scope > .print-qr");
  if (facts && code) facts.before(code);
}

/**
 * Print one pump card on its own: a copy of it in `#pump-card-print`, and
 * `html.print-pump-card`, which the print stylesheet uses to print nothing else. Both go
 * once the browser has printed (`afterprint`). Returns the undo function.
 * With `source`, the copy says where it comes from (addSource); a calculator's sheet
 * (print-sheet.js) says that itself.
 * @param {Element} card
 * @param {PrintSource} [source]
 */
export function preparePrintCard(card, source) {
  document.getElementById("pump-card-print")?.remove();
  const sheet = document.createElement("div");
  sheet.id = "pump-card-print";
  const copy = /** @type {Element} */ (card.cloneNode(true));
  if (source) addSource(copy, source);
  sheet.append(copy);
  document.body.append(sheet);
  document.documentElement.classList.add("print-pump-card");
  const undo = () => {
    sheet.remove();
    document.documentElement.classList.remove("print-pump-card");
    window.removeEventListener("afterprint", undo);
  };
  window.addEventListener("afterprint", undo);
  return undo;
}

/**
 * @param {HTMLElement} output the calculator's output, whose result may hold a card
 * @param {() => PrintSource} source what the result shown comes from, asked at each print
 * @param {() => string} refused why the result shown may not be printed ("" when it may):
 *   asked at each click too, besides the buttons being disabled (calculator-actions.js)
 */
export function bindPrintCard(output, source, refused) {
  showCardButtons(output);
  output.addEventListener("click", (event) => {
    const button = event.target instanceof Element ? event.target.closest('[data-action="print-card"]') : null;
    // A pump card, or an oral schedule sheet (calculators/sheet.py): printed alone alike.
    const card = button?.closest("[data-pump-card], [data-print-sheet]");
    if (!card || refused()) return;
    preparePrintCard(card, source());
    window.print();
  });
}
