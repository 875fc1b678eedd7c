// @ts-check
/**
 * Teaching cases: answer boxes, hints, progress kept in this browser, print views. This
 * module binds the page; how an answer is judged is teaching-answers.js, how progress is
 * stored teaching-storage.js (both without DOM, checked by tests/js/teaching.test.mjs).
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

import { onEveryPage } from "./page-life.js";
import { judge } from "./teaching-answers.js";
import { MAX_ATTEMPTS, MAX_TEXT, readSaved, STORAGE_WORDS, writeSaved } from "./teaching-storage.js";

/** @typedef {import("./teaching-answers.js").Unit} Unit */
/** @typedef {import("./teaching-answers.js").Answer} Answer */
/** @typedef {import("./teaching-storage.js").StorageStatus} StorageStatus */

const ANSWERS_PARAM = "answers";
const EXAM_PARAM = "exam";

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
  const params = new URLSearchParams(window.location.search);
  // Exam mode (?exam, set by the teacher's link) wins over the key view: no key, no answers.
  const exam = params.has(EXAM_PARAM);
  // An exam keeps its answers apart from practice: practice answers (and their "Right") do
  // not carry into it, nor exam answers back (a blind review found practice answers shown as
  // right in exam mode).
  const key = (root.dataset.storageKey ?? `baclofen-teaching/v1/${root.dataset.caseSet}`) + (exam ? "/exam" : "");
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
  const answersView = params.has(ANSWERS_PARAM) && !exam;
  if (exam) document.documentElement.dataset.teachingMode = "exam";

  // The toolbar is in the built page (sitebuild/cases_blocks.py: it takes its room before the
  // first paint, so binding it moves nothing), invisible until bound here.
  const toolbar = /** @type {HTMLElement | null} */ (root.querySelector(":scope > .case-toolbar"));
  if (!toolbar) throw new Error(`teaching: the case set ${root.dataset.caseSet} has no .case-toolbar`);
  /** @param {string} selector */
  const part = (selector) => {
    const found = /** @type {HTMLElement | null} */ (toolbar.querySelector(selector));
    if (!found) throw new Error(`teaching: the toolbar has no ${selector}`);
    return found;
  };
  const counted = part(".case-count");
  const kept = part(".case-storage");
  const sheet = part('[data-action="print-sheet"]');
  const keyButton = part('[data-action="print-key"]');
  const view = part('[data-action="view"]');
  const reset = part('[data-action="reset"]');
  const url = new URL(window.location.href);
  if (answersView) {
    url.searchParams.delete(ANSWERS_PARAM);
    view.textContent = "Back to the exercises";
  } else {
    url.searchParams.set(ANSWERS_PARAM, "");
  }
  view.setAttribute("href", url.pathname + url.search.replace(/=(?=&|$)/, "") + url.hash);
  if (exam) {
    keyButton.remove();
    view.remove();
  }

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
  delete toolbar.dataset.prebuilt; // bound: teaching.css shows it
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

// Material's instant navigation swaps the page content; document$ emits after each swap.
onEveryPage(bindAll);
