// Run pytest inside Pyodide (Python 3.14) in Node, against the offline bundle.
//
// Usage: node build/pyodide_pytest.mjs <site-dir> <repo-root> [pytest args...]
// The SDK comes from the bundle's own clerk_frontend wheel (what browsers get);
// the repo is mounted read-write at /repo so pytest sees tests and config.
import path from "node:path";
import { pathToFileURL } from "node:url";

const [siteDir, repoRoot, ...pytestArgs] = process.argv.slice(2);
if (!siteDir || !repoRoot) {
  console.error("usage: node build/pyodide_pytest.mjs <site-dir> <repo-root> [pytest args...]");
  process.exit(2);
}
const pyodideDir = path.resolve(siteDir, "pyodide") + path.sep;
const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);

const py = await loadPyodide({
  indexURL: pyodideDir,
  lockFileURL: path.join(pyodideDir, "pyodide-lock-tests.json"),
  stdout: (line) => process.stdout.write(line + "\n"),
  stderr: (line) => process.stderr.write(line + "\n"),
});
const errors = [];
await py.loadPackage(["clerk-frontend", "pytest", "hypothesis"], {
  errorCallback: (e) => errors.push(e),
  messageCallback: () => {},
});
if (errors.length) {
  console.error("loading packages into Pyodide failed:\n" + errors.join("\n"));
  process.exit(3);
}
py.FS.mkdirTree("/repo");
py.FS.mount(py.FS.filesystems.NODEFS, { root: path.resolve(repoRoot) }, "/repo");
py.globals.set("pytest_args", py.toPy(pytestArgs));
const code = py.runPython(`
import os, sys
sys.dont_write_bytecode = True
os.environ["HYPOTHESIS_STORAGE_DIRECTORY"] = "/tmp/.hypothesis"
os.chdir("/repo")
import pytest
print(f"Python {sys.version.split()[0]} on {sys.platform}")
int(pytest.main(["-p", "no:cacheprovider", *pytest_args]))
`);
process.exit(code);
