"""Install the pinned npm packages into ``.cache/node`` (skipped when up to date).

Usage: ``python build/npm_deps.py`` prints the ``node_modules`` folder.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import versions

ROOT = Path(__file__).resolve().parent.parent
NODE_DIR = ROOT / ".cache" / "node"
NODE_MODULES = NODE_DIR / "node_modules"


def manifest() -> dict[str, object]:
    return {
        "name": "clerk-frontend-node-deps",
        "private": True,
        "description": "Generated from build/versions.py; do not edit.",
        "dependencies": dict(sorted(versions.NODE_PACKAGES.items())),
    }


def ensure() -> Path:
    """Install the npm packages unless the installed set already matches the pins."""
    if shutil.which("npm") is None:
        raise SystemExit("npm is missing: install Node.js 20 and npm (Debian: apt-get install nodejs npm)")
    NODE_DIR.mkdir(parents=True, exist_ok=True)
    wanted = json.dumps(manifest(), indent=2) + "\n"
    stamp = NODE_DIR / ".installed"
    if stamp.exists() and stamp.read_text() == wanted and NODE_MODULES.is_dir():
        return NODE_MODULES
    (NODE_DIR / "package.json").write_text(wanted)
    cmd = ["npm", "install", "--no-audit", "--no-fund", "--ignore-scripts", "--save-exact"]
    proc = subprocess.run(cmd, cwd=NODE_DIR, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(
            f"npm install failed (exit {proc.returncode}) for {versions.NODE_PACKAGES}:\n"
            f"{proc.stderr[-3000:]}\nCheck the versions in build/versions.py and the npm registry access."
        )
    for name, version in versions.NODE_PACKAGES.items():
        pkg = json.loads((NODE_MODULES / name / "package.json").read_text())
        if pkg["version"] != version:
            raise SystemExit(f"npm installed {name} {pkg['version']}, but build/versions.py pins {version}")
    stamp.write_text(wanted)
    return NODE_MODULES


def unpacked(name: str) -> Path:
    """The files of the pinned tarball of ``name`` (``versions.NODE_TARBALLS``), fetched with ``npm pack`` and
    unpacked once into ``.cache/node/tarballs/<name>/`` (its ``package/`` folder, no dependencies)."""
    version = versions.NODE_TARBALLS[name]
    dest = NODE_DIR / "tarballs" / name
    stamp = dest / ".version"
    if stamp.exists() and stamp.read_text() == version:
        return dest / "package"
    if shutil.which("npm") is None:
        raise SystemExit("npm is missing: install Node.js 20 and npm (Debian: apt-get install nodejs npm)")
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    proc = subprocess.run(["npm", "pack", f"{name}@{version}", "--pack-destination", str(dest), "--json"],
                          cwd=dest, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"npm pack {name}@{version} failed (exit {proc.returncode}):\n{proc.stderr[-3000:]}")
    tgz = dest / json.loads(proc.stdout)[0]["filename"]
    with tarfile.open(tgz) as tar:
        members = [m for m in tar.getmembers() if m.isfile() and m.name.startswith("package/")
                   and ".." not in m.name.split("/")]
        tar.extractall(dest, members=members)  # regular files under package/ only
    tgz.unlink()
    pkg = json.loads((dest / "package" / "package.json").read_text())
    if pkg["version"] != version:
        raise SystemExit(f"npm pack gave {name} {pkg['version']}, but build/versions.py pins {version}")
    stamp.write_text(version)
    return dest / "package"


if __name__ == "__main__":
    print(ensure())
