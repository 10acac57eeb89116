// The harness of components_csp.html, as a file (the page's policy refuses inline scripts): boots Pyodide, loads
// clerk_frontend by name, exposes window.runPy(code) like harness.html, and records every Content-Security-Policy
// violation the page reports in window.cspViolations.
import { loadPyodide } from "/pyodide/pyodide.mjs";

const violations = (window.cspViolations = []);
document.addEventListener("securitypolicyviolation", (e) => {
  violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
try {
  const pyodide = await loadPyodide({ indexURL: new URL("/pyodide/", location.href).href });
  const errors = [];
  await pyodide.loadPackage(["clerk-frontend"], { errorCallback: (e) => errors.push(e), messageCallback: () => {} });
  if (errors.length) throw new Error(errors.join("\n"));
  pyodide.runPython("import clerk_frontend\nimport json\ndef _harness_to_json(value):\n    return json.dumps(value, default=repr)\n");
  const toJson = pyodide.globals.get("_harness_to_json");
  window.pyodide = pyodide;
  window.runPy = async (code) => {
    try {
      const value = await pyodide.runPythonAsync(code);
      const text = toJson(value);
      if (value && typeof value.destroy === "function") value.destroy();
      return { ok: true, json: text };
    } catch (err) {
      return { ok: false, error: String(err && err.message ? err.message : err) };
    }
  };
  document.getElementById("status").textContent = "ready";
} catch (err) {
  window.pyBootError = String(err && err.stack ? err.stack : err);
  document.getElementById("status").textContent = "failed";
}
window.pyReady = true;
