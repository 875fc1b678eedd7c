// @ts-check
/*
 * Runs first on every page, as a classic script: Chrome refuses module scripts (and Web
 * Workers) on pages opened from a file, so this is the one script that can speak there.
 *
 * Opened as a file (double-clicked index.html):
 * - marks <html class="is-file">, which offline.css uses;
 * - puts a note before each calculator's output saying how to start the launcher, and
 *   disables the calculator's inputs: the result shown is the one computed when the site was
 *   built, for the default values, and typing cannot change it here;
 * - points links to folders at their index.html: a file browser shows a folder listing for
 *   "oral/", not the page.
 * Served over http(s), it does nothing.
 */
(function () {
  "use strict";
  if (location.protocol !== "file:") return;
  document.documentElement.classList.add("is-file");

  var NOTE_TEXT =
    "This calculator runs only when the site is served, not from a file. To use it, start " +
    "the launcher in the folder that holds the site folder: double-click start-windows.bat " +
    "(Windows) or start-macos.command (macOS), or run python3 serve.py, then use the " +
    "address it opens (http://127.0.0.1:8000/). The result below was computed when the site " +
    "was built, for the values shown.";

  /** @param {Element} output */
  function addNote(output) {
    if (output.previousElementSibling && output.previousElementSibling.classList.contains("offline-file-note")) {
      return;
    }
    var note = document.createElement("p");
    note.className = "offline-file-note";
    note.setAttribute("role", "note");
    note.textContent = NOTE_TEXT;
    output.parentNode && output.parentNode.insertBefore(note, output);
    var form = output.closest("form");
    if (form) {
      var controls = form.querySelectorAll("input, select, textarea, button");
      for (var i = 0; i < controls.length; i++) {
        /** @type {HTMLInputElement} */ (controls[i]).disabled = true;
      }
    }
  }

  /** @param {HTMLAnchorElement} link */
  function fixFolderLink(link) {
    var href = link.getAttribute("href");
    // Only relative links of this site: no scheme, not "#fragment" alone, not "//host".
    if (!href || /^[a-z][a-z0-9+.-]*:/i.test(href) || href.charAt(0) === "#" || href.slice(0, 2) === "//") {
      return;
    }
    var hash = href.indexOf("#") >= 0 ? href.slice(href.indexOf("#")) : "";
    var path = hash ? href.slice(0, href.indexOf("#")) : href;
    if (path.indexOf("?") >= 0) return;
    if (path === "." || path === ".." || /\/\.\.?$/.test(path)) path += "/";
    if (path.slice(-1) === "/") link.setAttribute("href", path + "index.html" + hash);
  }

  function onReady() {
    var outputs = document.querySelectorAll("[data-calculator-output]");
    for (var i = 0; i < outputs.length; i++) addNote(outputs[i]);
    var links = document.querySelectorAll("a[href]");
    for (var j = 0; j < links.length; j++) fixFolderLink(/** @type {HTMLAnchorElement} */ (links[j]));
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", onReady);
  } else {
    onReady();
  }
})();
