// The baseline worker: what a typical Pyodide site does, and nothing more. The site vendors
// the runtime files only; its one pyodide-lock.json (Pyodide's own, plus our wheel) sits
// elsewhere, so the baseline names it, as any site vendoring Pyodide this way would.
import { loadPyodide } from "__PYODIDE_INDEX_URL__pyodide.mjs";

const ready = loadPyodide({ lockFileURL: "__PYODIDE_LOCK_URL__" });

self.addEventListener("message", async (event) => {
  const { id, code } = event.data;
  try {
    const pyodide = await ready;
    self.postMessage({ id, ok: true, value: String(pyodide.runPython(code)) });
  } catch (error) {
    self.postMessage({ id, ok: false, error: String(error) });
  }
});
