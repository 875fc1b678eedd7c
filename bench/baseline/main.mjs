// The baseline page's script, in a file of its own: the site's Content-Security-Policy (sent
// by the launcher's handler, which serves the benchmark) refuses inline scripts without a
// hash, and the baseline must not need one.
const output = document.querySelector("output");
const worker = new Worker("./worker.mjs", { type: "module" });
let nextId = 0;
worker.addEventListener("message", (event) => {
  const { ok, value, error } = event.data;
  output.textContent = ok ? value : `error: ${error}`;
  output.dataset.state = ok ? "ready" : "error";
});
const run = (code) => worker.postMessage({ id: ++nextId, code });
run("1+1");
// A recalculation floor: no debounce, the smallest Python call.
document.querySelector("input").addEventListener("input", (event) => {
  output.dataset.state = "loading";
  run(`${Number(event.target.value)}+1`);
});
