// @ts-check
/**
 * Teaching cases: answer boxes, hints, progress kept in this browser, print views.
 *
 * The build (sitebuild/cases_blocks.py) already put every case, question, hint and answer in the
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
 *   the two print buttons print the student sheet (no answers, room to write) or the key;
 * - `?exam` (the teacher's link for a test) is exam mode: no answer-key view or print, no
 *   "Show the answer", no hints, no answers or worked steps opening; Check still judges.
 *   It hides controls, it locks nothing: the answers are in the page for anyone who looks.
 *
 * DOM contract (tests rely on it): `data-state` on each question is "", "right", "wrong",
 * "unit" (a wrong or missing unit) or "revealed"; `.case-feedback` says why; `<html>` gets
 * the class `teaching-js` and, in the key view or while printing the key,
 * `data-teaching-view="answers"`, in exam mode `data-teaching-mode="exam"`; `.case-progress`
 * on each set counts the questions (`.case-count`) and says what storage did
 * (`.case-storage`, its `data-storage` a StorageStatus).
 */

/**
 * @typedef {object} Unit
 * @property {string} label
 * @property {string} dimension
 * @property {number} factor to the dimension's base unit
 * @property {boolean} required a bare number is not accepted
 * @property {string[]} spellings normalized (see normalizeUnit)
 * @property {string} [before] a number named by a word before it ("day 10"): that unit's id
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

const WRITE_A_NUMBER = "Write a number first, then the unit if there is one (for example 44.4 mg).";

/**
 * Read a typed answer: a number, then an optional unit; or a word, then a number ("day 10").
 *
 * Digits are read as the calculators read them (calculators/spec.py): NFKC first, so
 * full-width digits, points and commas (a Chinese or Japanese keyboard) become ASCII, then
 * only the digits 0-9. A decimal comma is accepted ("44,4" is 44.4), but a comma before
 * exactly three digits ("1,440") is refused as ambiguous: it may be a thousands separator.
 * Spaces inside the number are refused too. Whether a word may come before the number is
 * for `judge` to say: only a unit that declares it (`before`).
 * @param {string} text
 * @returns {{ok: true, value: number, unit: string, before: string} | {ok: false, message: string}}
 */
export function parseAnswer(text) {
  const normal = text.normalize("NFKC");
  const match = /^\s*(?:([^\d\s+.,-][^\d]*?)\s*)?([+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+))\s*(.*?)\s*$/u.exec(normal);
  if (!match) {
    if (/\p{Nd}/u.test(normal)) {
      return { ok: false, message: "Write the number with the digits 0 to 9 (for example 44.4 mg)." };
    }
    return { ok: false, message: WRITE_A_NUMBER };
  }
  const before = match[1] ?? "";
  if (before !== "" && match[3] !== "") return { ok: false, message: WRITE_A_NUMBER };
  let number = match[2];
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
  return { ok: true, value, unit: match[3], before };
}

/**
 * The unit a typed spelling names. The unit asked for is tried first, with the unit its
 * number is named by ("days" for a day's number), so that "10 days" answers "on which day".
 * @param {Record<string, Unit>} units @param {string} typed @param {string} asked
 * @returns {string | undefined}
 */
function unitId(units, typed, asked) {
  const wanted = normalizeUnit(typed);
  const expected = units[asked];
  if (expected && expected.spellings.includes(wanted)) return asked;
  if (expected && expected.before && units[expected.before]?.spellings.includes(wanted)) return asked;
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
  "day-number": "the number of a day",
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
  if (parsed.before !== "") {
    // Only a day's number is named by a word before it: "mg 44" is not how a dose is written.
    if (!expected.before || unitId(units, parsed.before, answer.unit) !== answer.unit) {
      return { verdict: "unreadable", message: WRITE_A_NUMBER };
    }
  }
  if (parsed.unit === "") {
    if (expected.required) {
      return {
        verdict: "unit",
        message: `Give the unit too: a number alone is not an answer here (this one is in ${expected.label}).`,
      };
    }
  } else {
    const given = unitId(units, parsed.unit, answer.unit);
    if (given === undefined) {
      return {
        verdict: "unit",
        message: `“${parsed.unit}” is not a unit this page knows. This answer is in ${expected.before ? `${expected.before}s` : expected.label || "no unit"}.`,
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
const EXAM_PARAM = "exam";

// --- progress in localStorage -------------------------------------------------------------------

/**
 * What the page may say about storage: "none" (nothing stored yet), "kept" (read back from
 * this browser), "unreadable" (stored data that is not ours: ignored), "partial" (some
 * answers unreadable: ignored), "unavailable" (the browser refuses storage to this page),
 * "full", "refused" (a save threw), "lost" (a save did not throw but did not read back).
 * @typedef {"none" | "kept" | "unreadable" | "partial" | "unavailable" | "full" | "refused" | "lost"} StorageStatus
 */
/** @typedef {Pick<Storage, "getItem" | "setItem" | "removeItem">} StorageLike */

const STATES = ["", "right", "wrong", "unit", "revealed"];
const MAX_TEXT = 200;
const MAX_ATTEMPTS = 1000;

/** @param {unknown} value @returns {value is Saved} */
function isSaved(value) {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const record = /** @type {Record<string, unknown>} */ (value);
  return (
    typeof record.state === "string" &&
    STATES.includes(record.state) &&
    typeof record.text === "string" &&
    record.text.length <= MAX_TEXT &&
    Number.isInteger(record.attempts) &&
    /** @type {number} */ (record.attempts) >= 0 &&
    /** @type {number} */ (record.attempts) <= MAX_ATTEMPTS
  );
}

/**
 * Read a set's saved answers. Anything that is not an object of well-formed answers (invalid
 * JSON, an array, null, a number, a string, an answer with a wrong shape) is ignored and said
 * so: the page then starts from what could be read.
 * @param {() => StorageLike} storage how to reach the storage (reaching it may throw)
 * @param {string} key
 * @param {string[]} ids the questions on the page: nothing else is read
 * @returns {{saved: Map<string, Saved>, status: StorageStatus}}
 */
export function readSaved(storage, key, ids) {
  /** @type {Map<string, Saved>} */
  const saved = new Map();
  let raw;
  try {
    raw = storage().getItem(key);
  } catch {
    return { saved, status: "unavailable" };
  }
  if (raw === null) return { saved, status: "none" };
  let data;
  try {
    data = JSON.parse(raw);
  } catch {
    return { saved, status: "unreadable" };
  }
  if (data === null || typeof data !== "object" || Array.isArray(data)) return { saved, status: "unreadable" };
  let bad = 0;
  for (const [id, record] of Object.entries(data)) {
    if (!ids.includes(id)) continue; // a question no longer on the page (or "__proto__")
    if (isSaved(record)) {
      saved.set(id, { state: record.state, text: record.text, attempts: record.attempts });
    } else {
      bad += 1;
    }
  }
  if (bad === 0) return { saved, status: saved.size ? "kept" : "none" };
  return { saved, status: saved.size ? "partial" : "unreadable" };
}

/**
 * Save a set's answers, then read them back: "kept" only when the browser returns what was
 * written.
 * @param {() => StorageLike} storage
 * @param {string} key
 * @param {Map<string, Saved>} saved
 * @returns {StorageStatus}
 */
export function writeSaved(storage, key, saved) {
  const text = JSON.stringify(Object.fromEntries(saved));
  let store;
  try {
    store = storage();
  } catch {
    return "unavailable";
  }
  try {
    store.setItem(key, text);
  } catch (error) {
    return error instanceof Error && /quota/i.test(`${error.name} ${error.message}`) ? "full" : "refused";
  }
  try {
    return store.getItem(key) === text ? "kept" : "lost";
  } catch {
    return "lost";
  }
}

/** The words for each storage status, after the count ("" says nothing). */
export const STORAGE_WORDS = /** @type {Record<StorageStatus, string>} */ ({
  none: "",
  kept: "Kept in this browser only.",
  unreadable: "The answers stored in this browser for this page could not be read, so the page starts empty.",
  partial: "Some answers stored in this browser could not be read and were left out.",
  unavailable: "Not kept: this browser does not let this page store anything.",
  full: "Not kept: this browser's storage for this site is full.",
  refused: "Not kept: this browser refused to store your answers.",
  lost: "Not kept: this browser did not keep your answers (they did not read back).",
});

const browserStorage = () => window.localStorage;

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
  const questions = /** @type {HTMLElement[]} */ (Array.from(root.querySelectorAll("li.case-question[data-answer]")));
  const loaded = readSaved(
    browserStorage,
    key,
    questions.map((q) => q.dataset.question ?? ""),
  );
  const saved = loaded.saved;
  /** @type {StorageStatus} */
  let storage = loaded.status;
  const params = new URLSearchParams(window.location.search);
  // Exam mode (?exam, set by the teacher's link) wins over the key view: no key, no answers.
  const exam = params.has(EXAM_PARAM);
  const answersView = params.has(ANSWERS_PARAM) && !exam;
  if (exam) document.documentElement.dataset.teachingMode = "exam";

  const toolbar = element("div", { class: "case-toolbar", role: "group", "aria-label": "Teaching tools" });
  const progress = element("p", { class: "case-progress", role: "status" });
  const counted = element("span", { class: "case-count" });
  const kept = element("span", { class: "case-storage" });
  progress.append(counted, " ", kept);
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
  if (exam) toolbar.append(progress, sheet, reset);
  else toolbar.append(progress, sheet, keyButton, view, reset);
  root.prepend(toolbar);

  function count() {
    const states = questions.map((q) => q.dataset.state ?? "");
    const right = states.filter((s) => s === "right").length;
    const revealed = states.filter((s) => s === "revealed").length;
    let text = `${right} of ${questions.length} answered right`;
    if (revealed) text += `, ${revealed} shown`;
    text += ".";
    if (exam) text += " Exam mode: no hints, answers or answer key on this page.";
    if (answersView) text = "Answer key view: every answer is open.";
    if (counted.textContent !== text) counted.textContent = text;
    const words = answersView ? "" : STORAGE_WORDS[storage];
    if (kept.textContent !== words) kept.textContent = words;
    kept.dataset.storage = storage;
  }

  /** @param {HTMLElement} section */
  function caseDone(section) {
    const qs = Array.from(section.querySelectorAll("li.case-question"));
    const done = !exam && qs.every((q) => ["right", "revealed"].includes(/** @type {HTMLElement} */ (q).dataset.state ?? ""));
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
      if (unit && unit.before) input.placeholder = `a number, e.g. ${unit.before} 3`;
      else input.placeholder = unit && unit.label ? `number and unit, e.g. 12.5 ${unit.label}` : "a number";
      form.append(label, input);
      read = () => input.value;
      write = (text) => {
        input.value = text;
      };
    }
    const checkButton = element("button", { type: "submit", class: "md-button md-button--primary" }, "Check");
    const revealButton = element("button", { type: "button", class: "md-button", "data-action": "reveal" }, "Show the answer");
    form.append(checkButton);
    if (!exam) form.append(revealButton);
    form.append(feedback);
    item.insertBefore(form, item.querySelector(".case-write"));

    let attempts = 0;
    /** @param {number} n */
    function showHints(n) {
      if (exam) n = 0;
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
        const done = !exam && (state === "right" || state === "revealed");
        answerBox.open = done;
        answerBox.hidden = !done && !answersView;
      }
      if (state === "revealed" || state === "right") showHints(0);
      else showHints(Math.min(attempts, hintItems.length));
      caseDone(section);
      count();
    }
    function store() {
      saved.set(id, { state: item.dataset.state ?? "", text: read().slice(0, MAX_TEXT), attempts: Math.min(attempts, MAX_ATTEMPTS) });
      storage = writeSaved(browserStorage, key, saved);
      count();
    }

    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const verdict = judge(answer, read(), units);
      if (verdict.verdict === "unreadable") {
        // A new answer replaces the old one: an unreadable one is no longer right (or wrong).
        // An answer already shown stays shown.
        apply(item.dataset.state === "revealed" ? "revealed" : "", verdict.message);
        store();
        return;
      }
      if (verdict.verdict === "wrong") attempts += 1; // a unit slip is not a wrong method: no new hint
      let message = verdict.message;
      if (verdict.verdict === "wrong" && !exam) {
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

    const previous = saved.get(id);
    if (previous) {
      attempts = previous.attempts;
      write(previous.text);
      const restored = {
        right: "Right (from your earlier answer).",
        wrong: "Not right yet (your earlier answer).",
        unit: "Check the unit (your earlier answer).",
        revealed: "The answer was shown earlier.",
      };
      const state = exam && previous.state === "revealed" ? "" : previous.state;
      apply(state, /** @type {Record<string, string>} */ (restored)[state] ?? "");
    } else {
      apply("", "");
    }
  }

  reset.addEventListener("click", () => {
    saved.clear();
    let cleared = true;
    try {
      window.localStorage.removeItem(key);
      cleared = window.localStorage.getItem(key) === null;
    } catch {
      // Storage unavailable: nothing was kept, so nothing to clear.
    }
    for (const item of questions) item.dispatchEvent(new Event("teaching:reset"));
    storage = cleared ? "none" : "lost";
    counted.textContent = cleared
      ? `Your answers on this page were cleared. 0 of ${questions.length} answered right.`
      : `0 of ${questions.length} answered right on the page, but this browser still holds the earlier answers.`;
    kept.textContent = "";
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
    const undo = what === "key" && !exam ? openKeys() : () => {};
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
  const params = new URLSearchParams(window.location.search);
  if (!params.has(ANSWERS_PARAM) || params.has(EXAM_PARAM)) {
    delete document.documentElement.dataset.teachingView;
  }
  if (!params.has(EXAM_PARAM)) delete document.documentElement.dataset.teachingMode;
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
