// @ts-check
/**
 * Teaching cases: answer boxes, hints, progress kept in this browser, print views.
 *
 * The build (sitebuild/cases.py) already put every case, question, hint and answer in the
 * page, the answers in closed <details>. Without this module (JavaScript off, or file://,
 * where Chrome refuses module scripts) that page is the exercise sheet and its key. With it:
 *
 * - each `li.case-question[data-answer]` gets a form: a text box (numbers, with units) or
 *   A/B/C choices, a Check button and a "Show the answer" button;
 * - a wrong answer opens the next hint, a right one (or "Show the answer") opens the answer
 *   and, once every question of a case is done, the worked steps and the incident analysis;
 * - progress is kept in `localStorage` under the set's `data-storage-key`, nowhere else;
 *   "Reset my answers" clears it;
 * - `?answers` in the address is the answer-key view (every key open, no answer boxes);
 *   the two print buttons print the student sheet (no answers, room to write) or the key.
 *
 * DOM contract (tests rely on it): `data-state` on each question is "", "right", "wrong",
 * "unit" (a wrong or missing unit) or "revealed"; `.case-feedback` says why; `<html>` gets
 * the class `teaching-js` and, in the key view or while printing the key,
 * `data-teaching-view="answers"`; `.case-progress` on each set counts the questions.
 */

/**
 * @typedef {object} Unit
 * @property {string} label
 * @property {string} dimension
 * @property {number} factor to the dimension's base unit
 * @property {boolean} required a bare number is not accepted
 * @property {string[]} spellings normalized (see normalizeUnit)
 */
/**
 * @typedef {{type: "number", value: number, shown: string, unit: string, tolerance: number}
 *   | {type: "choice", correct: number, count: number}} Answer
 */
/**
 * @typedef {object} Verdict
 * @property {"right" | "wrong" | "unit" | "unreadable"} verdict
 * @property {string} message
 */
/** @typedef {{state: string, text: string, attempts: number}} Saved */

/** How a unit is compared: lower case, no spaces, µ as u (the build's normalize_unit). */
export function normalizeUnit(/** @type {string} */ text) {
  return text.trim().toLowerCase().replace(/[µμ]/g, "u").replace(/\s+/g, "");
}

/**
 * Read a typed answer: a number, then an optional unit.
 *
 * A decimal comma is accepted ("44,4" is 44.4), but a comma before exactly three digits
 * ("1,440") is refused as ambiguous: it may be a thousands separator. Spaces inside the
 * number are refused too.
 * @param {string} text
 * @returns {{ok: true, value: number, unit: string} | {ok: false, message: string}}
 */
export function parseAnswer(text) {
  const match = /^\s*([+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+))\s*(.*?)\s*$/u.exec(text);
  if (!match) {
    return { ok: false, message: "Write a number first, then the unit if there is one (for example 44.4 mg)." };
  }
  let number = match[1];
  if (number.includes(",")) {
    if (/^[+-]?\d{1,3},\d{3}$/.test(number)) {
      const [whole, part] = number.split(",");
      return {
        ok: false,
        message: `Is ${number} ${whole}${part} or ${whole}.${part}? Write it without a thousands comma (${whole}${part}) or with a decimal point (${whole}.${part}).`,
      };
    }
    number = number.replace(",", ".");
  }
  const value = Number(number);
  if (!Number.isFinite(value)) return { ok: false, message: "Write a number, like 44.4." };
  return { ok: true, value, unit: match[2] };
}

/** @param {Record<string, Unit>} units @param {string} typed @returns {string | undefined} */
function unitId(units, typed) {
  const wanted = normalizeUnit(typed);
  for (const [id, unit] of Object.entries(units)) {
    if (id !== "" && unit.spellings.includes(wanted)) return id;
  }
  return undefined;
}

const DIMENSIONS = /** @type {Record<string, string>} */ ({
  mass: "an amount (mass)",
  "mass/time": "a dose rate (mass per time)",
  volume: "a volume",
  "volume/time": "a volume per time",
  concentration: "a concentration",
  time: "a time",
  fraction: "a percentage",
  ratio: "a ratio",
  count: "a number",
});

/** @param {number} n */
function show(n) {
  return String(Math.round(n * 1e6) / 1e6);
}

/**
 * Judge a typed answer against the build's answer.
 * @param {Answer} answer
 * @param {string} text what the student typed (for a choice, the option's number, "1"…)
 * @param {Record<string, Unit>} units
 * @returns {Verdict}
 */
export function judge(answer, text, units) {
  if (answer.type === "choice") {
    const picked = Number(text);
    if (!Number.isInteger(picked) || picked < 1 || picked > answer.count) {
      return { verdict: "unreadable", message: "Choose one of the options." };
    }
    return picked === answer.correct
      ? { verdict: "right", message: "Right." }
      : { verdict: "wrong", message: "Not this one." };
  }
  const parsed = parseAnswer(text);
  if (!parsed.ok) return { verdict: "unreadable", message: parsed.message };
  const expected = units[answer.unit];
  let value = parsed.value;
  if (parsed.unit === "") {
    if (expected.required) {
      return {
        verdict: "unit",
        message: `Give the unit too: a number alone is not an answer here (this one is in ${expected.label}).`,
      };
    }
  } else {
    const given = unitId(units, parsed.unit);
    if (given === undefined) {
      return {
        verdict: "unit",
        message: `“${parsed.unit}” is not a unit this page knows. This answer is in ${expected.label || "no unit"}.`,
      };
    }
    if (given !== answer.unit) {
      const from = units[given];
      if (from.dimension !== expected.dimension) {
        return {
          verdict: "unit",
          message: `Wrong unit: ${from.label} is ${DIMENSIONS[from.dimension] ?? from.dimension}, but this question asks for ${DIMENSIONS[expected.dimension] ?? expected.dimension}${expected.label ? ` in ${expected.label}` : ""}.`,
        };
      }
      const converted = (value * from.factor) / expected.factor;
      const close = Math.abs(converted - answer.value) <= answer.tolerance + 1e-9 * Math.max(1, Math.abs(answer.value));
      return {
        verdict: "unit",
        message: close
          ? `Wrong unit: this question asks for ${expected.label}. ${show(value)} ${from.label} is ${show(converted)} ${expected.label}: write it in ${expected.label}.`
          : `Wrong unit: this question asks for ${expected.label}, not ${from.label}. Check the conversion (1 mg = 1000 mcg; a day has 24 hours).`,
      };
    }
  }
  value = Number(value);
  const slack = 1e-9 * Math.max(1, Math.abs(answer.value));
  if (Math.abs(value - answer.value) <= answer.tolerance + slack) {
    return { verdict: "right", message: `Right: ${answer.shown}.` };
  }
  return { verdict: "wrong", message: "Not right." };
}

// --- the page ---------------------------------------------------------------------------------

const ANSWERS_PARAM = "answers";

/** @param {string} key @returns {Record<string, Saved> | null} null: storage unavailable */
function load(key) {
  try {
    const raw = window.localStorage.getItem(key);
    const data = raw ? JSON.parse(raw) : {};
    return data && typeof data === "object" ? data : {};
  } catch {
    return null;
  }
}

/** @param {string} key @param {Record<string, Saved>} data @returns {boolean} */
function save(key, data) {
  try {
    window.localStorage.setItem(key, JSON.stringify(data));
    return true;
  } catch {
    return false;
  }
}

/** @param {string} tag @param {Record<string, string>} [attrs] @param {string} [text] */
function element(tag, attrs = {}, text = "") {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, value);
  if (text) el.textContent = text;
  return el;
}

/**
 * One case set on the page.
 * @param {HTMLElement} root
 */
function bindSet(root) {
  if (root.dataset.teachingBound === "true") return;
  root.dataset.teachingBound = "true";
  const key = root.dataset.storageKey ?? `baclofen-teaching/v1/${root.dataset.caseSet}`;
  const units = /** @type {Record<string, Unit>} */ (JSON.parse(root.dataset.units ?? "{}"));
  let saved = load(key);
  const storage = saved !== null;
  if (saved === null) saved = {};
  const questions = /** @type {HTMLElement[]} */ (Array.from(root.querySelectorAll("li.case-question[data-answer]")));
  const answersView = new URLSearchParams(window.location.search).has(ANSWERS_PARAM);

  const toolbar = element("div", { class: "case-toolbar", role: "group", "aria-label": "Teaching tools" });
  const progress = element("p", { class: "case-progress", role: "status" });
  const sheet = element("button", { type: "button", class: "md-button", "data-action": "print-sheet" }, "Print the student sheet");
  const keyButton = element("button", { type: "button", class: "md-button", "data-action": "print-key" }, "Print the answer key");
  const view = element("a", { class: "md-button", "data-action": "view" });
  const url = new URL(window.location.href);
  if (answersView) {
    url.searchParams.delete(ANSWERS_PARAM);
    view.textContent = "Back to the exercises";
  } else {
    url.searchParams.set(ANSWERS_PARAM, "");
    view.textContent = "Answer key view";
  }
  view.setAttribute("href", url.pathname + url.search.replace(/=(?=&|$)/, "") + url.hash);
  const reset = element("button", { type: "button", class: "md-button", "data-action": "reset" }, "Reset my answers");
  toolbar.append(progress, sheet, keyButton, view, reset);
  root.prepend(toolbar);

  function count() {
    const states = questions.map((q) => q.dataset.state ?? "");
    const right = states.filter((s) => s === "right").length;
    const revealed = states.filter((s) => s === "revealed").length;
    let text = `${right} of ${questions.length} answered right`;
    if (revealed) text += `, ${revealed} shown`;
    text += storage ? ". Kept in this browser only." : ". Not kept: this browser blocks storage here.";
    if (answersView) text = "Answer key view: every answer is open.";
    if (progress.textContent !== text) progress.textContent = text;
  }

  /** @param {HTMLElement} section */
  function caseDone(section) {
    const qs = Array.from(section.querySelectorAll("li.case-question"));
    const done = qs.every((q) => ["right", "revealed"].includes(/** @type {HTMLElement} */ (q).dataset.state ?? ""));
    for (const details of /** @type {NodeListOf<HTMLDetailsElement>} */ (section.querySelectorAll(":scope > details.case-key"))) {
      details.open = done || answersView;
      details.hidden = !done && !answersView;
    }
  }

  for (const item of questions) {
    const id = item.dataset.question ?? "";
    const answer = /** @type {Answer} */ (JSON.parse(item.dataset.answer ?? "{}"));
    const hints = /** @type {HTMLDetailsElement | null} */ (item.querySelector("details.case-hints"));
    const hintItems = /** @type {HTMLElement[]} */ (Array.from(item.querySelectorAll("li.case-hint")));
    const answerBox = /** @type {HTMLDetailsElement | null} */ (item.querySelector("details.case-answer"));
    const section = /** @type {HTMLElement} */ (item.closest("section.case"));
    const form = element("form", { class: "case-respond", novalidate: "" });
    const feedback = element("p", { class: "case-feedback", role: "status" });
    /** @type {() => string} */
    let read;
    /** @type {(text: string) => void} */
    let write;
    if (answer.type === "choice") {
      const group = element("fieldset", { class: "case-choices" });
      group.append(element("legend", {}, "Your answer"));
      const options = Array.from(item.querySelectorAll("ol.case-options > li"));
      options.forEach((option, i) => {
        const label = element("label");
        const radio = element("input", { type: "radio", name: `choice-${id}`, value: String(i + 1) });
        label.append(radio, ` ${String.fromCharCode(65 + i)}. ${(option.textContent ?? "").trim()}`);
        group.append(label);
      });
      form.append(group);
      read = () => /** @type {HTMLInputElement | null} */ (group.querySelector("input:checked"))?.value ?? "";
      write = (text) => {
        for (const radio of /** @type {NodeListOf<HTMLInputElement>} */ (group.querySelectorAll("input"))) {
          radio.checked = radio.value === text;
        }
      };
    } else {
      const inputId = `answer-${id.replace(/[^a-z0-9-]/g, "-")}`;
      const label = element("label", { for: inputId }, "Your answer");
      const input = /** @type {HTMLInputElement} */ (
        element("input", { type: "text", id: inputId, inputmode: "decimal", autocomplete: "off", spellcheck: "false", class: "case-input" })
      );
      const unit = units[answer.unit];
      input.placeholder = unit && unit.label ? `number and unit, e.g. 12.5 ${unit.label}` : "a number";
      form.append(label, input);
      read = () => input.value;
      write = (text) => {
        input.value = text;
      };
    }
    const checkButton = element("button", { type: "submit", class: "md-button md-button--primary" }, "Check");
    const revealButton = element("button", { type: "button", class: "md-button", "data-action": "reveal" }, "Show the answer");
    form.append(checkButton, revealButton, feedback);
    item.insertBefore(form, item.querySelector(".case-write"));

    let attempts = 0;
    /** @param {number} n */
    function showHints(n) {
      hintItems.forEach((hint, i) => {
        hint.hidden = i >= n;
      });
      if (hints) {
        hints.hidden = n === 0;
        hints.open = n > 0;
      }
    }
    /** @param {string} state @param {string} message */
    function apply(state, message) {
      item.dataset.state = state;
      feedback.textContent = message;
      if (answerBox) {
        const done = state === "right" || state === "revealed";
        answerBox.open = done;
        answerBox.hidden = !done && !answersView;
      }
      if (state === "revealed" || state === "right") showHints(0);
      else showHints(Math.min(attempts, hintItems.length));
      caseDone(section);
      count();
    }
    function store() {
      saved = saved ?? {};
      saved[id] = { state: item.dataset.state ?? "", text: read(), attempts };
      save(key, saved);
    }

    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const verdict = judge(answer, read(), units);
      if (verdict.verdict === "unreadable") {
        feedback.textContent = verdict.message;
        return;
      }
      if (verdict.verdict === "wrong") attempts += 1; // a unit slip is not a wrong method: no new hint
      let message = verdict.message;
      if (verdict.verdict === "wrong") {
        message += attempts <= hintItems.length ? " A hint is open below." : " Try again, or show the answer.";
      }
      apply(verdict.verdict, message);
      store();
    });
    revealButton.addEventListener("click", () => {
      if (item.dataset.state !== "right") apply("revealed", "The answer is open below.");
      store();
    });
    item.addEventListener("teaching:reset", () => {
      attempts = 0;
      write("");
      apply("", "");
    });

    const previous = saved[id];
    if (previous && typeof previous === "object") {
      attempts = Number(previous.attempts) || 0;
      write(String(previous.text ?? ""));
      const restored = {
        right: "Right (from your earlier answer).",
        wrong: "Not right yet (your earlier answer).",
        unit: "Check the unit (your earlier answer).",
        revealed: "The answer is open below.",
      };
      const state = String(previous.state ?? "");
      apply(state in restored ? state : "", /** @type {Record<string, string>} */ (restored)[state] ?? "");
    } else {
      apply("", "");
    }
  }

  reset.addEventListener("click", () => {
    saved = {};
    try {
      window.localStorage.removeItem(key);
    } catch {
      // Storage unavailable: nothing was kept, so nothing to clear.
    }
    for (const item of questions) item.dispatchEvent(new Event("teaching:reset"));
    progress.textContent = `Your answers on this page were cleared. 0 of ${questions.length} answered right.`;
  });

  /** Open every key (answer view or printing the key); returns how to undo it. */
  function openKeys() {
    const details = /** @type {HTMLDetailsElement[]} */ (Array.from(root.querySelectorAll("details.case-key")));
    const before = details.map((d) => ({ open: d.open, hidden: d.hidden }));
    for (const d of details) {
      d.open = true;
      d.hidden = false;
    }
    document.documentElement.dataset.teachingView = "answers";
    return () => {
      details.forEach((d, i) => {
        d.open = before[i].open;
        d.hidden = before[i].hidden;
      });
      if (!answersView) delete document.documentElement.dataset.teachingView;
    };
  }
  /** @param {"sheet" | "key"} what */
  function printAs(what) {
    const html = document.documentElement;
    const undo = what === "key" ? openKeys() : () => {};
    const view = html.dataset.teachingView;
    if (what === "sheet") delete html.dataset.teachingView;
    html.dataset.teachingPrint = what;
    const done = () => {
      window.removeEventListener("afterprint", done);
      delete html.dataset.teachingPrint;
      if (view !== undefined) html.dataset.teachingView = view;
      undo();
    };
    window.addEventListener("afterprint", done);
    window.print();
  }
  sheet.addEventListener("click", () => printAs("sheet"));
  keyButton.addEventListener("click", () => printAs("key"));

  if (answersView) {
    openKeys();
    for (const d of root.querySelectorAll("details.case-hints")) {
      /** @type {HTMLDetailsElement} */ (d).hidden = false;
      for (const li of d.querySelectorAll("li.case-hint")) /** @type {HTMLElement} */ (li).hidden = false;
    }
  }
  count();
}

/** @param {ParentNode} scope */
function bindAll(scope) {
  document.documentElement.classList.add("teaching-js");
  if (!new URLSearchParams(window.location.search).has(ANSWERS_PARAM)) {
    delete document.documentElement.dataset.teachingView;
  }
  for (const root of scope.querySelectorAll(".case-set[data-case-set]")) {
    if (root instanceof HTMLElement) bindSet(root);
  }
}

if (typeof document !== "undefined") {
  // Material's instant navigation swaps the page content; document$ emits after each swap.
  const documentObservable = /** @type {any} */ (window).document$;
  if (documentObservable && typeof documentObservable.subscribe === "function") {
    documentObservable.subscribe(() => bindAll(document));
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", () => bindAll(document));
  } else {
    bindAll(document);
  }
}
