// @ts-check
/**
 * Teaching cases: a set's progress in `localStorage`, read back and said plainly. Only what
 * reads as well-formed answers to the questions on the page is used; a save counts as kept
 * only when the browser returns what was written. No DOM: node's test runner checks it
 * (tests/js/teaching.test.mjs); teaching.js binds it to the page.
 */

/** @typedef {{state: string, text: string, attempts: number}} Saved */

/**
 * What the page may say about storage: "none" (nothing stored yet), "kept" (read back from
 * this browser), "unreadable" (stored data that is not ours: ignored), "partial" (some
 * answers unreadable: ignored), "unavailable" (the browser refuses storage to this page),
 * "full", "refused" (a save threw), "lost" (a save did not throw but did not read back).
 * @typedef {"none" | "kept" | "unreadable" | "partial" | "unavailable" | "full" | "refused" | "lost"} StorageStatus
 */
/** @typedef {Pick<Storage, "getItem" | "setItem" | "removeItem">} StorageLike */

const STATES = ["", "right", "wrong", "unit", "revealed"];
export const MAX_TEXT = 200;
export const MAX_ATTEMPTS = 1000;

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
