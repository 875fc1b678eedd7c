// @ts-check
/**
 * Teaching cases: how a typed answer is read and judged against the build's answer
 * (numbers with units, or A/B/C choices). No DOM: node's test runner checks it
 * (tests/js/teaching.test.mjs); teaching.js binds it to the page.
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
