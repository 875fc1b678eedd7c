// @ts-check
/**
 * A calculator's values in the page URL's query, both ways: `?<id>.<field>=<value>`, and a
 * repeated group's items as `<id>.<group>.<index>.<field>` (calculators.spec.Group). The
 * DOM side (which control gets which value, the notes a link earns) is calculator-form.js and
 * calculator-groups.js; this module only reads and writes query strings, so node's test
 * runner can check it (tests/js/url-state.test.mjs).
 */

/** A key of a repeated group's item: `<group>.<index>.<field>` (calculators.spec.Group). */
export const GROUP_KEY = /^[A-Za-z_][A-Za-z0-9_]*\.(?:0|[1-9][0-9]*)\.[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * What a link says for one calculator's form.
 * @param {URLSearchParams} params the page URL's query
 * @param {string} id the calculator id (the keys' prefix, before its ".")
 * @param {Iterable<string>} names the form's field names
 * @returns {{values: Map<string, string[]>, unknown: string[]}} `values`: for each field the
 *   link names, its distinct values in the link's order (more than one is the link's
 *   mistake, reported by the caller); `unknown`: the link's keys for this calculator that
 *   name no field, each once, in order. A repeated group's item keys (`steps.3.rate`) are
 *   never unknown: they may name items the form does not show yet (restoreGroupCounts).
 */
export function readLink(params, id, names) {
  const prefix = `${id}.`;
  const fields = new Set(names);
  const unknown = [...new Set(params.keys())].filter((key) => {
    const name = key.slice(prefix.length);
    return key.startsWith(prefix) && !fields.has(name) && !GROUP_KEY.test(name);
  });
  /** @type {Map<string, string[]>} */
  const values = new Map();
  for (const name of fields) {
    const given = [...new Set(params.getAll(prefix + name))];
    if (given.length) values.set(name, given);
  }
  return { values, unknown };
}

/**
 * How many items a link asks a repeated group to hold: one more than the highest index of
 * its keys (`<id>.<group>.<index>.<field>`), or 0 when it names none.
 * @param {URLSearchParams} params @param {string} id @param {string} group
 */
export function linkedItemCount(params, id, group) {
  const prefix = `${id}.${group}.`;
  let count = 0;
  for (const key of params.keys()) {
    if (!key.startsWith(prefix)) continue;
    const match = /^(0|[1-9][0-9]*)\./.exec(key.slice(prefix.length));
    if (match) count = Math.max(count, Number(match[1]) + 1);
  }
  return count;
}

/**
 * The page URL with one calculator's values in its query. Other keys (another form's, the
 * page's own) stay as they are; a group item's keys that `inputs` no longer has are removed
 * (the item was removed: a link must not bring it back).
 * @param {string | URL} href the page's URL now
 * @param {string} id the calculator id
 * @param {Record<string, string>} inputs the form's values, by field name, as typed
 * @returns {URL}
 */
export function withInputs(href, id, inputs) {
  const url = new URL(href);
  for (const [name, value] of Object.entries(inputs)) url.searchParams.set(`${id}.${name}`, value);
  for (const key of [...url.searchParams.keys()]) {
    const name = key.slice(id.length + 1);
    if (key.startsWith(`${id}.`) && GROUP_KEY.test(name) && !(name in inputs)) url.searchParams.delete(key);
  }
  return url;
}

/**
 * A link's keys written like a calculator's (`<prefix>.<rest>`) whose prefix is none of the
 * page's calculator ids: a silently ignored key would leave the defaults looking like the
 * link's case (QA D15). Keys without a "." (a search's `?q=`, `?h=`) are the page's own.
 * @param {URLSearchParams} params the page URL's query
 * @param {Iterable<string>} ids the ids of the calculators on the page
 * @returns {{miscased: Map<string, string[]>, elsewhere: string[]}} `miscased`: by the id
 *   they spell in another case (`Oral-Titration.x` for `oral-titration`), the keys, each
 *   once, in order; `elsewhere`: the keys naming no calculator on the page in any case
 */
export function strayKeys(params, ids) {
  const known = new Set(ids);
  const byLower = new Map([...known].map((id) => [id.toLowerCase(), id]));
  /** @type {Map<string, string[]>} */
  const miscased = new Map();
  /** @type {string[]} */
  const elsewhere = [];
  for (const key of new Set(params.keys())) {
    const dot = key.indexOf(".");
    if (dot <= 0) continue;
    const prefix = key.slice(0, dot);
    if (known.has(prefix)) continue;
    const id = byLower.get(prefix.toLowerCase());
    if (id !== undefined) miscased.set(id, [...(miscased.get(id) ?? []), key]);
    else elsewhere.push(key);
  }
  return { miscased, elsewhere };
}
