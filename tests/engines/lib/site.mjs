// @ts-check
/** The built site as the engine tests see it: which page holds which calculator, and the
 * client's deadlines, read from the files rather than typed in the tests. */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";

/**
 * Each calculator id -> its page path ("oral/"), from the built HTML.
 * @param {string} site the built site's directory
 */
export function calculatorPages(site) {
  if (!existsSync(join(site, "index.html"))) {
    throw new Error(`${site} has no built site: run make site (or set BACLOFEN_SITE_DIR)`);
  }
  /** @type {Record<string, string>} */
  const pages = {};
  /** @param {string} dir */
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        if (name !== "assets") walk(path);
      } else if (name === "index.html") {
        for (const m of readFileSync(path, "utf-8").matchAll(/<form [^>]*data-calculator="([^"]+)"/g)) {
          pages[m[1]] = relative(site, dirname(path)).split("\\").join("/") + (dirname(path) === site ? "" : "/");
        }
      }
    }
  };
  walk(site);
  return pages;
}

/**
 * A deadline exported by calculator-client.js (`export const NAME = 90_000;`), in ms.
 * @param {string} repo @param {string} name
 */
export function clientConstant(repo, name) {
  const path = join(repo, "docs/assets/js/calculator-client.js");
  const match = readFileSync(path, "utf-8").match(new RegExp(`export const ${name} = ([0-9_]+);`));
  if (!match) throw new Error(`${name} not found in ${path}`);
  return Number(match[1].replaceAll("_", ""));
}
