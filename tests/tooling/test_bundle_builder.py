"""The bundle builder: lock entries, clear failures, and the built site itself."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import build_bundle
import pytest
import versions


def make_wheel(path: Path, name: str, version: str, requires: list[str], top: str) -> Path:
    wheel = path / f"{name}-{version}-py3-none-any.whl"
    meta = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n" + "".join(
        f"Requires-Dist: {r}\n" for r in requires)
    with zipfile.ZipFile(wheel, "w") as zf:
        zf.writestr(f"{top}/__init__.py", "")
        zf.writestr(f"{name}-{version}.dist-info/METADATA", meta)
    return wheel


def test_lock_entry_evaluates_markers_for_emscripten(tmp_path: Path) -> None:
    wheel = make_wheel(tmp_path, "demo_pkg", "1.2.3", [
        "pydantic>=2",
        "httpx; sys_platform != 'emscripten'",
        "pyodide-http; sys_platform == 'emscripten'",
        "pytest; extra == 'dev'",
    ], "demo_pkg")
    entry = build_bundle.lock_entry(wheel)
    assert entry["name"] == "demo-pkg"
    assert entry["depends"] == ["pydantic", "pyodide-http"]
    assert entry["imports"] == ["demo_pkg"]
    assert entry["file_name"] == wheel.name
    assert len(str(entry["sha256"])) == 64


def test_lock_refuses_a_dependency_no_wheel_provides(tmp_path: Path) -> None:
    wheel = make_wheel(tmp_path, "needy", "1.0", ["missing-thing"], "needy")
    with pytest.raises(SystemExit, match=r"needs \['missing-thing'\].*build/versions.py"):
        build_bundle.write_lock(tmp_path / "lock.json", {"python": "3.14.2"}, [wheel])


def test_a_version_mismatch_stops_the_build_with_a_fix(tmp_path: Path) -> None:
    # pydantic 2.14.4 pins pydantic-core 2.50.5 exactly: the resolver cannot satisfy this set.
    pins = {"pydantic": "2.14.4", "pydantic-core": "2.50.4"}
    with pytest.raises(SystemExit) as info:
        build_bundle.download_wheels(pins, tmp_path / "wheels", exact=True)
    message = str(info.value)
    assert "Fix:" in message and "build/versions.py" in message


def test_built_site_loads_every_package_by_name(bundle_dir: Path) -> None:
    lock = json.loads((bundle_dir / "pyodide" / "pyodide-lock.json").read_text())
    packages = lock["packages"]
    assert lock["info"]["python"] == versions.PYODIDE_PYTHON_FULL
    for name, version in versions.RUNTIME_WHEELS.items():
        assert packages[name]["version"] == version
    assert "clerk-frontend" in packages and "pytest" not in packages
    for entry in packages.values():
        assert (bundle_dir / "pyodide" / entry["file_name"]).is_file()
        assert set(entry["depends"]) <= set(packages)
    assert (bundle_dir / "pyodide" / "pyodide.asm.wasm.gz").is_file()
    assert (bundle_dir / "pyscript" / "core.js").is_file()
    tests_lock = json.loads((bundle_dir / "pyodide" / "pyodide-lock-tests.json").read_text())
    assert {"pytest", "hypothesis"} <= set(tests_lock["packages"])


def test_sdk_wheel_is_small_and_pure(bundle_dir: Path, tmp_path: Path) -> None:
    wheel = next((bundle_dir / "pyodide").glob("clerk_frontend-*-py3-none-any.whl"))
    assert wheel.stat().st_size <= 150 * 1024, "budget: the SDK wheel with its components <= 150 KB"
    # Without the components (clerk_frontend/ui/): the same entries, compressed the same way, <= 84 KB.
    core = tmp_path / "core.whl"
    with zipfile.ZipFile(wheel) as zf, zipfile.ZipFile(core, "w", zipfile.ZIP_DEFLATED) as out:
        for info in zf.infolist():
            if info.filename.startswith("clerk_frontend/ui/"):
                continue
            data = zf.read(info)
            if info.filename.endswith(".dist-info/RECORD"):
                data = b"".join(line for line in data.splitlines(keepends=True)
                                if not line.startswith(b"clerk_frontend/ui/"))
            out.writestr(info, data)
    assert core.stat().st_size <= 84 * 1024, "budget: the SDK wheel without its components <= 84 KB"
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
    assert "clerk_frontend/py.typed" in names
    assert not [n for n in names if n.startswith(("tests/", "clerk_emulator/"))]


def test_pure_wheels_are_renamed_for_the_python_their_bytecode_needs() -> None:
    assert build_bundle.compiled_wheel_name(Path("pydantic-2.14.4-py3-none-any.whl")) == \
        "pydantic-2.14.4-cp314-none-any.whl"
    assert build_bundle.compiled_wheel_name(Path("six-1.0-py2.py3-none-any.whl")) == "six-1.0-cp314-none-any.whl"
    binary = "pydantic_core-2.50.5-cp314-cp314-pyemscripten_2026_0_wasm32.whl"
    assert build_bundle.compiled_wheel_name(Path(binary)) == binary


def test_stdlib_and_third_party_wheels_ship_bytecode_and_the_sdk_ships_source(bundle_dir: Path) -> None:
    pyodide_dir = bundle_dir / "pyodide"
    with zipfile.ZipFile(pyodide_dir / "python_stdlib.zip") as zf:
        names = set(zf.namelist())
        header = zf.read("asyncio/events.pyc")[:4]
    assert {"asyncio/events.pyc", "urllib/parse.pyc", "pyodide/http/__init__.pyc"} <= names
    assert "asyncio/events.py" not in names
    # The magic number of the bytecode is Pyodide's Python's, not this machine's.
    assert header[2:4] == b"\r\n"
    pydantic = next(pyodide_dir.glob("pydantic-*-cp314-none-any.whl"))
    with zipfile.ZipFile(pydantic) as zf:
        names = set(zf.namelist())
        record = zf.read(next(n for n in names if n.endswith(".dist-info/RECORD"))).decode()
        wheel_file = zf.read(next(n for n in names if n.endswith(".dist-info/WHEEL"))).decode()
    assert "pydantic/main.pyc" in names and "pydantic/main.py" not in names
    assert "pydantic/main.pyc,sha256=" in record and "pydantic/main.py," not in record
    assert "Tag: cp314-none-any" in wheel_file
    sdk = next(pyodide_dir.glob("clerk_frontend-*.whl"))
    with zipfile.ZipFile(sdk) as zf:
        assert "clerk_frontend/clerk.py" in zf.namelist()
