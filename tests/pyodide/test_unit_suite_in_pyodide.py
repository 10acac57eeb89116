"""The unit suite, run again inside Pyodide (Python 3.14) in Node with the bundle's runtime.

There is no CPython 3.14 on our machines; this is how the SDK is proven on the
interpreter browsers run. A failure inside Pyodide fails this test, with the
inner pytest output attached.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RUNNER = ROOT / "build" / "pyodide_pytest.mjs"

pytestmark = pytest.mark.pyodide


def test_unit_suite_passes_under_pyodide(bundle_dir: Path) -> None:
    node = shutil.which("node")
    assert node, "node is required to run the unit suite under Pyodide"
    proc = subprocess.run(
        [node, str(RUNNER), str(bundle_dir), str(ROOT), "tests/unit", "-q", "-p", "no:randomly"],
        capture_output=True, text=True, timeout=900,
    )
    output = proc.stdout + proc.stderr
    print(output[-4000:])
    assert "Python 3.14" in output, output[-4000:]
    assert proc.returncode == 0, f"unit suite failed under Pyodide (exit {proc.returncode}):\n{output[-8000:]}"
    assert " passed" in output and " failed" not in output, output[-4000:]
