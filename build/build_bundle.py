"""Build the offline browser bundle: a self-contained static site in ``dist/site``.

What lands there:

* ``pyodide/``  - the Pyodide runtime from npm (its stdlib zip byte-compiled), every wheel the browser needs
  (pydantic and its exact core, pyodide-http, micropip, our own
  ``clerk_frontend`` wheel) and a generated ``pyodide-lock.json`` so that plain
  ``loadPyodide()`` and PyScript both load packages by name. A second lock,
  ``pyodide-lock-tests.json``, adds pytest and hypothesis for running the unit
  suite inside Pyodide.
* ``pyscript/`` - ``@pyscript/core`` from npm, self-hosted.
* ``demo_site/`` pages at the root (an index page until the demo lands).
* ``*.gz`` precompressed copies of the large text/wasm assets.

The stdlib and the third-party wheels are byte-compiled by Pyodide's own Python in Node
(``build/pycompile.mjs``), so pages do not compile them on every load; our own wheel stays source (without
comments and private docstrings, ``strip_sources.py``).

Downloads are cached under ``.cache``. A rebuild with nothing changed only
compares fingerprints; a change to the SDK rebuilds our wheel and the locks.
Usage: ``python build/build_bundle.py [--out DIR] [--force]``.
"""

from __future__ import annotations

import argparse
import email.parser
import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import npm_deps
import strip_sources
import versions

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache"
DEFAULT_OUT = ROOT / "dist" / "site"
SDK_DIR = ROOT / "clerk_frontend"
DEMO_DIR = ROOT / "demo_site"

# Files worth precompressing; wheels and the stdlib zip are already compressed.
COMPRESSIBLE = {".wasm", ".mjs", ".js", ".json", ".html", ".css", ".map", ".txt", ".py", ".svg"}
MIN_COMPRESS_BYTES = 1024
# Runtime files copied from the npm package (the stock lock is replaced by ours; the stdlib is byte-compiled).
PYODIDE_FILES = ["pyodide.mjs", "pyodide.js", "pyodide.asm.mjs", "pyodide.asm.wasm",
                 "pyodide.d.ts", "ffi.d.ts", "package.json"]
STDLIB_ZIP = "python_stdlib.zip"
# Where Pyodide mounts the stdlib zip; compiled code objects carry this path for tracebacks.
STDLIB_MOUNT = f"/lib/python{versions.PYODIDE_PYTHON.replace('.', '')}.zip"

# Marker environment of Pyodide: every key is set so the host's values never leak in.
EMSCRIPTEN_MARKERS = {
    "sys_platform": "emscripten",
    "platform_system": "Emscripten",
    "platform_machine": "wasm32",
    "platform_release": "",
    "platform_version": "",
    "os_name": "posix",
    "implementation_name": "cpython",
    "implementation_version": versions.PYODIDE_PYTHON_FULL,
    "platform_python_implementation": "CPython",
    "python_version": versions.PYODIDE_PYTHON,
    "python_full_version": versions.PYODIDE_PYTHON_FULL,
    "extra": "",
}


class BuildError(SystemExit):
    """A build failure with a message that says what to fix."""

    def __init__(self, message: str) -> None:
        super().__init__(f"build_bundle: {message}")


def log(msg: str) -> None:
    print(f"[bundle] {msg}", flush=True)


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def fingerprint(*parts: object) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(repr(part).encode())
    return h.hexdigest()[:20]


def tree_fingerprint(folder: Path, pattern: str = "**/*") -> str:
    """Fingerprint of a folder's file names, sizes and contents (small trees only)."""
    h = hashlib.sha256()
    for path in sorted(folder.glob(pattern)):
        if path.is_file() and "__pycache__" not in path.parts:
            h.update(str(path.relative_to(folder)).encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:20]


# --- wheels ------------------------------------------------------------------

def download_wheels(pins: dict[str, str], dest: Path, *, exact: bool) -> list[Path]:
    """Download wheels for the Pyodide platform; cached by the pin set.

    With ``exact`` the resolved set must equal the pins: a version mismatch or
    a dependency left unpinned stops the build.
    """
    key = fingerprint(sorted(pins.items()), versions.PYODIDE_PLATFORM, versions.PYODIDE_PYTHON, exact)
    stamp = dest / f".stamp-{key}"
    if stamp.exists():
        return sorted(dest / line for line in stamp.read_text().split())
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    cmd = [sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check",
           "--only-binary=:all:", "--platform", versions.PYODIDE_PLATFORM,
           "--python-version", versions.PYODIDE_PYTHON, "--implementation", "cp",
           "-d", str(dest), *[f"{n}=={v}" for n, v in pins.items()]]
    log(f"downloading wheels: {', '.join(f'{n}=={v}' for n, v in pins.items())}")
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise BuildError(
            "downloading wheels for the Pyodide platform failed:\n"
            f"{proc.stderr.strip()[-2500:]}\n"
            "Fix: check the pins in build/versions.py (pydantic pins pydantic-core exactly; "
            f"a wasm wheel must exist for {versions.PYODIDE_PLATFORM}) and access to the package index."
        )
    wheels = sorted(dest.glob("*.whl"))
    if exact:
        got = {normalize(m["Name"]): m["Version"] for m in (wheel_metadata(w) for w in wheels)}
        want = {normalize(n): v for n, v in pins.items()}
        if got != want:
            diff = sorted(set(got.items()) ^ set(want.items()))
            raise BuildError(
                f"resolved wheels differ from the pins in build/versions.py: {diff}. "
                "Fix: pin every dependency with the version the resolver needs."
            )
    stamp.write_text("\n".join(w.name for w in wheels))
    return wheels


def wheel_metadata(wheel: Path) -> email.message.Message:
    with zipfile.ZipFile(wheel) as zf:
        name = next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA") and n.count("/") == 1)
        return email.parser.Parser().parsestr(zf.read(name).decode())


def wheel_imports(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        top = next((n for n in names if n.endswith(".dist-info/top_level.txt")), None)
        if top:
            return sorted({line.strip() for line in zf.read(top).decode().splitlines() if line.strip()})
    found: set[str] = set()
    for n in names:
        first = n.split("/", 1)[0]
        if first.endswith((".dist-info", ".data")) or (first.startswith("_") and first != "_pytest"):
            continue
        if "/" in n or n.endswith((".py", ".pyc")):
            found.add(first.removesuffix(".pyc").removesuffix(".py"))
    return sorted(found)


def lock_entry(wheel: Path) -> dict[str, object]:
    from packaging.markers import Marker
    from packaging.requirements import Requirement

    meta = wheel_metadata(wheel)
    depends: list[str] = []
    for spec in meta.get_all("Requires-Dist") or []:
        req = Requirement(spec)
        if req.marker is None or Marker(str(req.marker)).evaluate(dict(EMSCRIPTEN_MARKERS)):
            depends.append(normalize(req.name))
    return {
        "name": normalize(meta["Name"]),
        "version": meta["Version"],
        "file_name": wheel.name,
        "install_dir": "site",
        "package_type": "package",
        "sha256": hashlib.sha256(wheel.read_bytes()).hexdigest(),
        "imports": wheel_imports(wheel),
        "depends": sorted(set(depends)),
        "unvendored_tests": False,
    }


def write_lock(path: Path, info: dict[str, object], wheels: list[Path]) -> None:
    packages = {}
    for wheel in wheels:
        entry = lock_entry(wheel)
        packages[str(entry["name"])] = entry
    for entry in packages.values():
        missing = [d for d in entry["depends"] if d not in packages]  # type: ignore[attr-defined]
        if missing:
            raise BuildError(f"{entry['name']} needs {missing}, which no wheel in the bundle provides. "
                             "Fix: add them to build/versions.py.")
    path.write_text(json.dumps({"info": info, "packages": packages}, indent=1, sort_keys=True) + "\n")


# --- our own wheel -------------------------------------------------------------

def build_sdk_wheel(dest: Path) -> Path:
    """Build the clerk_frontend wheel from the working tree (cached by source fingerprint), then strip its
    comments and private docstrings for the browser (``strip_sources.py``: public docstrings and line numbers
    stay)."""
    key = fingerprint(tree_fingerprint(SDK_DIR), (ROOT / "pyproject.toml").read_bytes(),
                      Path(strip_sources.__file__).read_bytes())
    stamp = dest / f".stamp-{key}"
    if stamp.exists():
        return dest / stamp.read_text().strip()
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    log("building the clerk_frontend wheel")
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.run([sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", tmp],
                              cwd=ROOT, capture_output=True, text=True)
        if proc.returncode != 0:
            raise BuildError(f"building the clerk_frontend wheel failed:\n{proc.stdout}{proc.stderr}")
        built = list(Path(tmp).glob("clerk_frontend-*.whl"))
        if len(built) != 1:
            raise BuildError(f"expected one clerk_frontend wheel, got {built}")
        wheel = dest / built[0].name
        shutil.copy2(built[0], wheel)
        strip_sources.strip_wheel(wheel)
    stamp.write_text(wheel.name)
    return wheel


# --- byte compilation -----------------------------------------------------------

SITE_PACKAGES = f"/lib/python{versions.PYODIDE_PYTHON}/site-packages"


def compiled_wheel_name(wheel: Path) -> str:
    """A pure wheel's bytecode is tied to one Python: ``py3-none-any`` becomes ``cp314-none-any``."""
    parts = wheel.name[: -len(".whl")].split("-")
    if parts[-2:] == ["none", "any"]:
        parts[-3] = "cp" + versions.PYODIDE_PYTHON.replace(".", "")
    return "-".join(parts) + ".whl"


def byte_compile(pyodide_pkg: Path, wheels: list[Path], dest: Path) -> tuple[Path, dict[Path, Path]]:
    """Byte-compiled copies of the stdlib zip and of ``wheels`` (cached by input fingerprint).

    The npm package ships the standard library as ``.py`` sources and PyPI's pure wheels are sources too,
    so every module a page imports (``asyncio``, ``urllib.parse``, ``pyodide.http``, pydantic...) used to be
    compiled by the wasm interpreter on every page load. Pyodide's own Python compiles them once here, in
    Node (``build/pycompile.mjs``), as Pyodide's releases do. Our own SDK wheel is not compiled: it stays
    the small source wheel that is also published.
    Returns the stdlib zip and a map from each wheel to its compiled copy.
    """
    stdlib_src = pyodide_pkg / STDLIB_ZIP
    script = Path(__file__).with_name("pycompile.mjs")
    key = fingerprint(hashlib.sha256(stdlib_src.read_bytes()).hexdigest(), script.read_bytes(), STDLIB_MOUNT,
                      SITE_PACKAGES, sorted(w.name for w in wheels))
    out = dest / key
    stdlib = out / STDLIB_ZIP
    compiled = {w: out / compiled_wheel_name(w) for w in wheels}
    if (out / ".done").exists():
        return stdlib, compiled
    if dest.exists():
        shutil.rmtree(dest)
    out.mkdir(parents=True)
    jobs = [{"src": str(stdlib_src), "dst": str(stdlib), "prefix": STDLIB_MOUNT, "tag": None}]
    jobs += [{"src": str(w), "dst": str(c), "prefix": SITE_PACKAGES,
              "tag": "-".join(c.name[: -len(".whl")].split("-")[-3:])} for w, c in compiled.items()]
    (out / "jobs.json").write_text(json.dumps(jobs, indent=1))
    log(f"byte-compiling the standard library and {len(wheels)} wheels with Pyodide's Python")
    proc = subprocess.run(["node", str(script), str(pyodide_pkg), str(out / "jobs.json")],
                          capture_output=True, text=True)
    if proc.returncode != 0 or not all(p.exists() for p in [stdlib, *compiled.values()]):
        raise BuildError(f"byte compilation failed (node build/pycompile.mjs):\n{proc.stdout}{proc.stderr}")
    for path in [stdlib, *compiled.values()]:
        path.chmod(0o644)
    (out / ".done").write_text(proc.stdout)
    return stdlib, compiled


# --- site assembly ---------------------------------------------------------------

def sync_file(src: Path, dst: Path) -> bool:
    """Copy when size or mtime differ; returns whether a copy happened."""
    if dst.exists():
        s, d = src.stat(), dst.stat()
        if s.st_size == d.st_size and int(s.st_mtime) == int(d.st_mtime):
            return False
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(src, dst)
    return True


def sync_tree(src: Path, dst: Path, *, skip_maps: bool = False) -> set[Path]:
    written: set[Path] = set()
    for path in src.rglob("*"):
        if path.is_dir() or (skip_maps and path.suffix == ".map") or "__pycache__" in path.parts:
            continue
        target = dst / path.relative_to(src)
        sync_file(path, target)
        written.add(target)
    return written


def precompress(out: Path) -> int:
    """Write ``.gz`` siblings for compressible files; only stale ones are redone."""
    count = 0
    for path in out.rglob("*"):
        if not path.is_file() or path.suffix not in COMPRESSIBLE or path.stat().st_size < MIN_COMPRESS_BYTES:
            continue
        gz = path.with_name(path.name + ".gz")
        if gz.exists() and gz.stat().st_mtime >= path.stat().st_mtime:
            continue
        with path.open("rb") as src, gzip.GzipFile(gz, "wb", compresslevel=9, mtime=0) as dst:
            shutil.copyfileobj(src, dst)
        count += 1
    return count


def remove_stale(folder: Path, keep: set[Path]) -> None:
    for path in folder.rglob("*"):
        if path.is_file() and path not in keep and not (path.suffix == ".gz" and path.with_suffix("") in keep):
            path.unlink()


def build(out: Path = DEFAULT_OUT, *, force: bool = False) -> Path:
    """Build (or refresh) the bundle in ``out`` and return it."""
    started = time.monotonic()
    node_modules = npm_deps.ensure()
    pyodide_pkg = node_modules / "pyodide"
    pyscript_dist = node_modules / "@pyscript" / "core" / "dist"
    for name, pkg in (("pyodide", pyodide_pkg), ("@pyscript/core", pyscript_dist.parent)):
        got = json.loads((pkg / "package.json").read_text())["version"]
        if got != versions.NODE_PACKAGES[name]:
            raise BuildError(f"{name} {got} is installed but build/versions.py pins {versions.NODE_PACKAGES[name]}")

    stock_lock = json.loads((pyodide_pkg / "pyodide-lock.json").read_text())
    info = stock_lock["info"]
    if info.get("python") != versions.PYODIDE_PYTHON_FULL:
        raise BuildError(f"Pyodide {versions.PYODIDE} runs Python {info.get('python')}, "
                         f"build/versions.py says {versions.PYODIDE_PYTHON_FULL}")

    runtime = download_wheels(versions.RUNTIME_WHEELS, CACHE / "wheels" / "runtime", exact=True)
    tests = download_wheels(versions.TEST_WHEELS, CACHE / "wheels" / "tests", exact=True)
    sdk = build_sdk_wheel(CACHE / "wheels" / "sdk")
    runtime_names = {w.name for w in runtime}
    test_only = [w for w in tests if w.name not in runtime_names]
    stdlib, compiled = byte_compile(pyodide_pkg, [*runtime, *test_only], CACHE / "compiled")
    runtime = [compiled[w] for w in runtime]
    test_only = [compiled[w] for w in test_only]

    key = fingerprint(versions.NODE_PACKAGES, versions.RUNTIME_WHEELS, versions.TEST_WHEELS, sdk.name, str(stdlib),
                      sdk.stat().st_size, sdk.stat().st_mtime, tree_fingerprint(DEMO_DIR),
                      Path(__file__).read_bytes(), str(out))
    stamp = out / ".bundle-stamp"
    if not force and stamp.exists() and stamp.read_text() == key:
        log(f"up to date ({time.monotonic() - started:.2f} s)")
        return out

    out.mkdir(parents=True, exist_ok=True)
    pyodide_out = out / "pyodide"
    keep: set[Path] = set()
    for name in PYODIDE_FILES:
        sync_file(pyodide_pkg / name, pyodide_out / name)
        keep.add(pyodide_out / name)
    sync_file(stdlib, pyodide_out / STDLIB_ZIP)
    keep.add(pyodide_out / STDLIB_ZIP)
    for wheel in [*runtime, *test_only, sdk]:
        sync_file(wheel, pyodide_out / wheel.name)
        keep.add(pyodide_out / wheel.name)
    write_lock(pyodide_out / "pyodide-lock.json", info, [*runtime, sdk])
    write_lock(pyodide_out / "pyodide-lock-tests.json", info, [*runtime, *test_only, sdk])
    keep |= {pyodide_out / "pyodide-lock.json", pyodide_out / "pyodide-lock-tests.json"}
    keep |= sync_tree(pyscript_dist, out / "pyscript", skip_maps=True)
    if DEMO_DIR.is_dir():
        keep |= sync_tree(DEMO_DIR, out)
    keep.add(stamp)
    remove_stale(out, keep)
    compressed = precompress(out)
    stamp.write_text(key)
    log(f"built {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}: "
        f"{len(keep)} files, {compressed} compressed, sdk {sdk.name} ({sdk.stat().st_size} bytes), "
        f"{time.monotonic() - started:.2f} s")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default dist/site)")
    parser.add_argument("--force", action="store_true", help="re-assemble even if nothing changed")
    args = parser.parse_args()
    os.umask(0o022)
    build(args.out.resolve(), force=args.force)


if __name__ == "__main__":
    main()
