// @ts-check
/**
 * A calculator form's fields, for calculators.js and calculator-actions.js: the values
 * exactly as typed (what Python is sent), each field's label and unit as shown, a message
 * next to its field, a link's values in and out of the page URL (url-state.js reads and
 * writes the query), and the keyboard a number field asks for.
 */

import { itemLabel } from "./calculator-groups.js";
import { LINK, shownFor } from "./calculator-status.js";
import { yieldToPage } from "./page-life.js";
import { localeDecimal } from "./protocol.js";
import { readLink, strayKeys, withInputs } from "./url-state.js";

/** @typedef {import("./calculators.js").Bound} Bound */

/**
 * The decimal separator of this browser's locale. Where it is not ".", a phone's decimal
 * keypad (inputmode="decimal") offers only "," (iOS does), and Python refuses a decimal
 * comma (never guessed: "1,500"): the number fields then ask for the full keyboard, which
 * has a point.
 *
 * The worker looks it up (protocol.js, REQUEST.locale), once per visit: a renderer's first
 * Intl.NumberFormat (ICU's start) took 13-43 ms here, a main-thread long task on a loaded
 * machine when the page paid for it; in the worker it holds up nothing the reader sees. Only
 * where no worker answers (none, or its start failed) does the page look it up itself, in
 * a task of its own. Until the answer, a field keeps the keypad the build gave it.
 */
let separator = "";
/** @type {Promise<void> | null} */
let separatorLookup = null;

/**
 * Look the separator up once per visit, then fix the keyboard of every form bound by then.
 * @param {import("./calculator-client.js").CalculatorClient | null} client
 * @param {() => Iterable<HTMLFormElement>} forms the forms bound when the answer comes
 */
export function lookUpSeparator(client, forms) {
  separatorLookup ??= (client ? client.decimalSeparator() : Promise.reject(new Error("no worker")))
    .catch(async () => {
      await yieldToPage();
      return localeDecimal();
    })
    .then((decimal) => {
      separator = decimal;
      for (const form of forms()) applySeparator(form);
    });
}

/** Number fields ask for the full keyboard where the decimal key would be a comma.
 * @param {HTMLFormElement} form */
export function applySeparator(form) {
  if (!separator || separator === ".") return;
  for (const input of form.querySelectorAll('.calc-field input[inputmode="decimal"]')) {
    input.setAttribute("inputmode", "text");
  }
}

/** @param {HTMLFormElement} form */
export function fieldControls(form) {
  return /** @type {(HTMLInputElement | HTMLSelectElement)[]} */ (
    Array.from(form.querySelectorAll(".calc-field [name]"))
  );
}

/**
 * The field's label as shown (without "(optional)"), for messages that name it.
 * @param {HTMLFormElement} form @param {string} name
 */
export function fieldLabel(form, name) {
  const control = form.querySelector(`.calc-field [name="${CSS.escape(name)}"]`);
  const label = control?.id ? form.querySelector(`label[for="${CSS.escape(control.id)}"]`) : null;
  // A repeated group's slot (`steps`, `steps.1`) says its own name; an item's field is
  // named with its item ("Step 2: Rate"), as Python's message is.
  const slot = /** @type {HTMLElement | null} */ (form.querySelector(`[data-error-for="${CSS.escape(name)}"]`));
  const own = (label?.firstChild?.textContent ?? slot?.dataset.label ?? name).trim();
  const item = itemLabel(control);
  return item ? `${item}: ${own}` : own;
}

/**
 * The raw values, exactly as typed: Python (calculators.spec) parses and validates them.
 * A field still holding a link's value it could not show sends that value.
 * @param {Bound} b
 * @returns {Record<string, string>}
 */
export function readInputs(b) {
  /** @type {Record<string, string>} */
  const inputs = {};
  for (const control of fieldControls(b.form)) {
    inputs[control.name] = b.linked.get(control.name) ?? control.value;
  }
  return inputs;
}

/**
 * Put the values a link carries into the form, as text, as if typed. A value the control
 * cannot hold (an option the select lacks, a date the date input refuses, a line break in
 * a text field) is kept aside and sent to Python as it was, so its message appears next to
 * the field; no option is ever added.
 * @param {Bound} b
 */
export function restoreFromUrl(b) {
  const controls = fieldControls(b.form);
  // A repeated group's keys (`steps.3.rate`) name items the form may not show yet: the
  // group's own code restores those, so readLink does not call them unknown.
  const link = readLink(new URLSearchParams(window.location.search), b.id, controls.map((c) => c.name));
  const unknown = link.unknown;
  for (const control of controls) {
    const values = link.values.get(control.name) ?? [];
    if (values.length > 1) {
      b.linkErrors.set(control.name, LINK.repeated(fieldLabel(b.form, control.name), values));
    } else if (values.length === 1) {
      const value = values[0];
      control.value = value;
      if (control.value !== value) b.linked.set(control.name, value);
    }
  }
  if (unknown.length) {
    const note = document.createElement("p");
    note.className = "calc-note";
    note.dataset.linkNote = "";
    note.textContent = LINK.unknown(unknown);
    b.form.querySelector(".calc-error--form")?.before(note);
  }
}

/** @param {Bound} b @param {Record<string, string>} inputs */
export function writeUrl(b, inputs) {
  // A removed group item's keys go too, or the link would bring it back.
  const url = withInputs(window.location.href, b.id, inputs);
  if (url.href !== window.location.href) {
    // Keep history.state: Material's instant navigation keeps its own data there.
    window.history.replaceState(window.history.state, "", url);
  }
}

/**
 * A message as the status says it, naming its field once (QA D12): Python's message may name
 * the item only ("Step 3: it overlaps step 2") or the field by its short name ("Visit date
 * must be…" for "Visit date (today's refill)"); the status adds what is missing, never twice.
 * @param {HTMLFormElement} form @param {string} key the field ("" for the form) @param {string} message
 */
function nameOnce(form, key, message) {
  if (!key) return message;
  const label = fieldLabel(form, key);
  const item = itemLabel(form.querySelector(`.calc-field [name="${CSS.escape(key)}"]`));
  const own = item && label.startsWith(`${item}: `) ? label.slice(item.length + 2) : label;
  const rest = item && message.startsWith(`${item}: `) ? message.slice(item.length + 2) : message;
  const short = own.replace(/\s*\([^)]*\)$/, "");
  const body = [own, short].some((name) => name && rest.startsWith(name)) ? rest : `${own}: ${rest}`;
  return item && own !== label ? `${item}: ${body}` : body;
}

/**
 * Each message in the slot next to its field (referenced by the field's aria-describedby);
 * returns them as the status says them, each naming its field.
 * @param {Bound} b @param {import("./calculator-client.js").FieldError[]} errors
 * @returns {string[]}
 */
export function showErrors(b, errors) {
  /** @type {Map<string, string[]>} */
  const byField = new Map();
  const slots = /** @type {HTMLElement[]} */ (Array.from(b.form.querySelectorAll("[data-error-for]")));
  const known = new Set([...fieldControls(b.form).map((c) => c.name), ...slots.map((s) => s.dataset.errorFor ?? "")]);
  /** @type {string[]} */
  const said = [];
  for (const { field, message } of errors) {
    const key = known.has(field) ? field : "";
    byField.set(key, [...(byField.get(key) ?? []), message]);
    const named = nameOnce(b.form, key, message);
    said.push(/[.!?…]$/.test(named) ? named : `${named}.`);
  }
  for (const slot of /** @type {NodeListOf<HTMLElement>} */ (b.form.querySelectorAll("[data-error-for]"))) {
    const field = slot.dataset.errorFor ?? "";
    const messages = byField.get(field) ?? [];
    const text = messages.join(" ");
    if (slot.textContent !== text) slot.textContent = text;
    if (field) {
      const control = b.form.querySelector(`[name="${CSS.escape(field)}"]`);
      if (messages.length) control?.setAttribute("aria-invalid", "true");
      else control?.removeAttribute("aria-invalid");
    }
  }
  return said;
}

/**
 * What the result shown is for, with the form's values now (calculator-status.js, shownFor).
 * @param {Bound} b
 */
export function shown(b) {
  return shownFor({
    now: JSON.stringify(readInputs(b)),
    defaults: b.defaults,
    resultFor: b.resultFor,
    linkErrors: b.linkErrors.size,
  });
}


/**
 * A value as the form shows it: a select's option text (with its value), else as typed.
 * @param {HTMLFormElement} form @param {string} name @param {string} value
 */
export function shownValue(form, name, value) {
  const control = form.querySelector(`.calc-field [name="${CSS.escape(name)}"]`);
  if (control instanceof HTMLSelectElement) {
    const option = Array.from(control.options).find((o) => o.value === value);
    if (option && option.text.trim() !== value) return `${option.text.trim()} (${value})`;
  }
  return value;
}

/**
 * A field's unit, for a typed value. A drop-down's option already names its unit ("20 mL"),
 * so it gets none: "20 mL (20) mL" said the unit twice.
 * @param {HTMLFormElement} form @param {string} name
 */
export function unitOf(form, name) {
  const control = form.querySelector(`.calc-field [name="${CSS.escape(name)}"]`);
  if (control instanceof HTMLSelectElement) return "";
  return control?.closest(".calc-field")?.querySelector(".calc-unit")?.textContent?.trim() ?? "";
}

/**
 * A link's keys that name no calculator on this page (a wrong case, another page's id) are
 * said above the form they were probably meant for (the first form, when none matches): an
 * ignored key must not leave the defaults looking like the link's case (QA D15).
 * @param {HTMLFormElement[]} forms the page's calculator forms
 */
export function noteStrayKeys(forms) {
  if (!forms.length) return;
  const ids = forms.map((form) => form.dataset.calculator ?? "");
  const { miscased, elsewhere } = strayKeys(new URLSearchParams(window.location.search), ids);
  /** @param {HTMLFormElement} form @param {string} text */
  const note = (form, text) => {
    if (form.querySelector(`[data-link-stray="${CSS.escape(text)}"]`)) return; // bound again
    const p = document.createElement("p");
    p.className = "calc-note";
    p.dataset.linkStray = text;
    p.textContent = text;
    form.querySelector(".calc-error--form")?.before(p);
  };
  for (const [id, keys] of miscased) {
    const form = forms.find((f) => f.dataset.calculator === id);
    if (form) note(form, LINK.miscased(keys, id));
  }
  if (elsewhere.length) note(forms[0], LINK.elsewhere(elsewhere));
}
