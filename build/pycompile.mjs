// Byte-compile zips of Python sources with Pyodide's own Python (3.14 bytecode; no CPython 3.14 here).
//
// Usage: node build/pycompile.mjs <pyodide-dir> <jobs.json>
// jobs.json: [{"src": "...zip|whl", "dst": "...", "prefix": "/lib/python314.zip", "tag": null}, ...]
// Every compilable `x.py` becomes `x.pyc` (sourceless, as Pyodide's own releases ship packages), other
// members are copied as they are. `prefix` is where the files live at run time, so tracebacks name the
// right file. A wheel job names its new tag (bytecode is tied to one Python): the WHEEL file says it and
// RECORD is rewritten with the new files' hashes and sizes.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [pyodideDir, jobsFile] = process.argv.slice(2);
if (!pyodideDir || !jobsFile) {
  console.error("usage: node build/pycompile.mjs <pyodide-dir> <jobs.json>");
  process.exit(2);
}
const jobs = JSON.parse(fs.readFileSync(jobsFile, "utf8"));
const { loadPyodide } = await import(pathToFileURL(path.join(path.resolve(pyodideDir), "pyodide.mjs")).href);
const py = await loadPyodide({ indexURL: path.resolve(pyodideDir) + path.sep });
// Each job's folders are mounted under /mnt/<n>; paths handed to Python are the mounted ones.
const mounted = new Map();
const inPyodide = (file) => {
  const dir = path.dirname(path.resolve(file));
  if (!mounted.has(dir)) {
    const where = `/mnt/${mounted.size}`;
    py.FS.mkdirTree(where);
    py.FS.mount(py.FS.filesystems.NODEFS, { root: dir }, where);
    mounted.set(dir, where);
  }
  return `${mounted.get(dir)}/${path.basename(file)}`;
};
py.globals.set("jobs", py.toPy(jobs.map((j) => ({ ...j, src: inPyodide(j.src), dst: inPyodide(j.dst) }))));
const summary = py.runPython(`
import base64
import hashlib
import importlib._bootstrap_external as bx
import zipfile


def record_line(name, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def byte_compile(src, dst, prefix, tag):
    compiled = 0
    members = []  # (ZipInfo, bytes) in the original order
    with zipfile.ZipFile(src) as zin:
        for info in zin.infolist():
            data = zin.read(info)
            name = info.filename
            if name.endswith(".py"):
                try:
                    code = compile(data, f"{prefix}/{name}", "exec", dont_inherit=True)
                except SyntaxError:
                    code = None  # test data with deliberate errors: ship the source as it is
                if code is not None:
                    # A timestamp pyc with no source beside it is loaded without any freshness check.
                    info = zipfile.ZipInfo(name + "c", date_time=info.date_time)
                    data = bytes(bx._code_to_timestamp_pyc(code, 0, len(data)))
                    compiled += 1
            members.append((info, data))
    if tag:
        for i, (info, data) in enumerate(members):
            if info.filename.endswith(".dist-info/WHEEL") and info.filename.count("/") == 1:
                kept = [line for line in data.decode().splitlines() if not line.startswith("Tag:")]
                members[i] = (info, ("\\n".join([*kept, f"Tag: {tag}"]) + "\\n").encode())
        is_record = [m[0].filename.endswith(".dist-info/RECORD") and m[0].filename.count("/") == 1 for m in members]
        record = is_record.index(True)
        lines = [record_line(info.filename, data) for (info, data), skip in zip(members, is_record) if not skip]
        lines.append(f"{members[record][0].filename},,")
        members[record] = (members[record][0], ("\\n".join(lines) + "\\n").encode())
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zout:
        for info, data in members:
            info.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(info, data)
    return compiled


"; ".join(f"{job['dst'].rsplit('/', 1)[-1]}: {byte_compile(job['src'], job['dst'], job['prefix'], job['tag'])} modules"
          for job in jobs)
`);
console.log(summary);
