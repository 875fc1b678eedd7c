// @ts-check
/**
 * What a calculator's output says, and when: the words of its status line and of a link's
 * notes, what the result shown is for (`shownFor`), and the state machine that moves the
 * output between its states (`next`). No DOM: calculators.js reads the output's state off
 * the page, asks `next` what changes for an event and writes that back; node's test runner
 * checks the transitions (tests/js/calculator-status.test.mjs).
 *
 * The output's state, as calculators.js's DOM contract names it: `data-state` (`static`,
 * `loading`, `ready`, `error`), `data-stale`, `aria-busy`, and `data-live="failed"` once the
 * live calculator is unavailable (final for the visit).
 */

import { STARTUP_SLOW_MS } from "./calculator-client.js";

/** A link's value quoted in a message is cut to this many characters (as Python's are,
 * calculators.spec.SHOW_MAX_CHARS). */
const QUOTE_CHARS = 40;

export const STATUS = {
  /** @param {string} shown */
  loading: (shown) => `Starting the live calculator (loading Python in this browser)… ${shown}`,
  /** @param {string} shown */
  starting: (shown) => `Still starting the live calculator… ${shown}`,
  slow: `Still starting the live calculator after ${Math.round(STARTUP_SLOW_MS / 1000)} s: a first visit downloads about 7 MB, which takes longer on a slow network.`,
  ready: "Live: the result follows the values above as you change them.",
  /** @param {string} shown */
  updating: (shown) => `Updating… ${shown}`,
  /** @param {string[]} said each error, naming its field @param {string} shown */
  error: (said, shown) => `Not updated: ${said.join(" ")} ${shown}`,
  /** @param {string} why @param {string} shown */
  lost: (why, shown) => `Not updated: ${why}; starting it again… ${shown}`,
  /** @param {string} why @param {string} shown */
  failed: (why, shown) => `The live calculator is not available: ${why}. ${shown}`,
};

export const LINK = {
  /** @param {string} label @param {string[]} values */
  repeated: (label, values) =>
    `${label}: the link gives ${values.length} different values (${values.map(quote).join(", ")}); ` +
    "none was used. Type the one you mean.",
  /** @param {string[]} keys */
  unknown: (keys) =>
    `This link also sets ${keys.map(quote).join(", ")}, which ${keys.length === 1 ? "is not a field" : "are not fields"} ` +
    "of this calculator: ignored.",
  /** @param {string[]} keys @param {string} id */
  miscased: (keys, id) =>
    `This link sets ${keys.map(quote).join(", ")}: calculator ids are lower case, so ` +
    `${keys.length === 1 ? "it names" : "they name"} no calculator on this page (this one is "${id}"): ignored. ` +
    "The values below are not the link's.",
  /** @param {string[]} keys */
  elsewhere: (keys) =>
    `This link sets ${keys.map(quote).join(", ")}, which ${keys.length === 1 ? "names" : "name"} no calculator ` +
    "on this page: ignored.",
};

/** @param {string} value */
function quote(value) {
  const chars = Array.from(value);
  return `"${chars.length > QUOTE_CHARS ? chars.slice(0, QUOTE_CHARS).join("") + "…" : value}"`;
}

/**
 * @typedef {object} Facts what decides what the result shown is for
 * @property {string} now the form's values now (JSON, as sent to Python)
 * @property {string} defaults the form's values as built (JSON), before a link changed them
 * @property {string | null} resultFor the values (JSON) the shown result is for; null: the build's
 * @property {number} linkErrors how many fields a link gave conflicting values
 */
/** @typedef {{stale: boolean, text: string}} Shown */

/**
 * What the result shown is for, said plainly, and whether that is not the form's values.
 * @param {Facts} facts
 * @returns {Shown}
 */
export function shownFor({ now, defaults, resultFor, linkErrors }) {
  if (resultFor === null) {
    return now === defaults && !linkErrors
      ? { stale: false, text: "The result below, computed when this page was built, is for the default values above." }
      : { stale: true, text: "The result below is for the default values, NOT the values above." };
  }
  return now === resultFor && !linkErrors
    ? { stale: false, text: "The result below is for the values above." }
    : { stale: true, text: "The result below is for earlier values, NOT the values above." };
}

/** @typedef {"static" | "loading" | "ready" | "error"} OutputState */
/**
 * @typedef {object} View the output's state as the page shows it
 * @property {OutputState} state `data-state`
 * @property {boolean} stale `data-stale`: the result shown is not for the form's values
 * @property {boolean} busy `aria-busy="true"`: a recalculation is due or running
 * @property {boolean} failed the live calculator is unavailable (`data-live="failed"`), final
 * @property {string} why why it is unavailable (said in the status)
 */
/**
 * What happened to a form:
 * - `start`: it is bound, and the engine is starting (or started);
 * - `slow`: the engine is still starting after STARTUP_SLOW_MS;
 * - `input`: a value changed (typed, chosen, an item added or removed);
 * - `late`: a change is still not answered after calculators.js's UPDATING_MS;
 * - `result`: Python's result for the form's values now;
 * - `invalid`: Python refused a value, or a link's value, or the calculation failed (`said`:
 *   each message as the status says it, naming its field);
 * - `unavailable`: the live calculator is gone for the visit (`why`; `computed`: a live
 *   result was shown before);
 * - `lost`: the worker was lost and is being started again (`why`).
 * @typedef {{type: "start" | "slow" | "input" | "late" | "result"}
 *   | {type: "invalid", said: string[]}
 *   | {type: "unavailable", why: string, computed: boolean}
 *   | {type: "lost", why: string}} StatusEvent
 */
/**
 * What to change, in this order (a property left out stays as it is). `stale`, even when
 * unchanged, also sets the actions again (calculator-actions.js, updateActions).
 * @typedef {object} Change
 * @property {true} [failed]
 * @property {string} [why]
 * @property {boolean} [busy]
 * @property {OutputState} [state]
 * @property {boolean} [stale]
 * @property {string} [status]
 */

/**
 * The output's next state for an event.
 * @param {View} view the output now
 * @param {StatusEvent} event
 * @param {Shown} shown what the result shown is for, with the form's values now (shownFor)
 * @returns {Change}
 */
export function next(view, event, shown) {
  switch (event.type) {
    case "start":
      return { busy: true, state: "loading", stale: shown.stale, status: STATUS.loading(shown.text) };
    case "slow":
      return view.state === "loading" && !view.failed ? { status: `${STATUS.slow} ${shown.text}` } : {};
    case "input":
      if (view.failed) return { stale: shown.stale, status: STATUS.failed(view.why, shown.text) };
      // While starting, the status says at once what the result is for; once live, a change
      // answered within UPDATING_MS changes nothing but aria-busy (no flicker as one types).
      return view.state === "loading"
        ? { busy: true, stale: shown.stale, status: STATUS.starting(shown.text) }
        : { busy: true };
    case "late":
      if (view.failed || !view.busy || !shown.stale) return {};
      return view.state === "ready" ? { stale: true, status: STATUS.updating(shown.text) } : { stale: true };
    case "result":
      return { busy: false, state: "ready", stale: false, status: STATUS.ready };
    case "invalid":
      return { busy: false, state: "error", stale: true, status: STATUS.error(event.said, shown.text) };
    case "unavailable": {
      // The build's result stays "static"; a live one (or an error over it) keeps its state.
      /** @type {OutputState} */
      const state = !event.computed ? "static" : view.state === "error" ? "error" : "ready";
      return {
        failed: true,
        why: event.why,
        busy: false,
        state,
        stale: shown.stale,
        status: STATUS.failed(event.why, shown.text),
      };
    }
    case "lost":
      return { busy: false, state: "loading", stale: true, status: STATUS.lost(event.why, shown.text) };
  }
}
