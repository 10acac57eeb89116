"""First browser tests: the bundle boots, PyScript works offline, HTTP from Python in the page."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_harness import PyPage, PythonFailure, is_loopback_url
from echo_server import EchoServer

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def echo() -> Iterator[EchoServer]:
    server = EchoServer()
    yield server
    server.shutdown()
    server.server_close()


def sdk_version() -> str:
    text = (ROOT / "clerk_frontend" / "_version.py").read_text()
    match = re.search(r'__version__ = "([^"]+)"', text)
    assert match
    return match.group(1)


def test_page_imports_clerk_frontend_and_reports_its_version(py_page: PyPage) -> None:
    got = py_page.run("import sys, clerk_frontend\n[clerk_frontend.__version__, sys.version_info[:2], sys.platform]")
    assert got == [sdk_version(), [3, 14], "emscripten"]


def test_python_exceptions_come_back_readable(py_page: PyPage) -> None:
    with pytest.raises(PythonFailure, match=r"ZeroDivisionError"):
        py_page.run("1 / 0")


def test_pyscript_page_with_top_level_await_from_the_bundle(open_page) -> None:  # type: ignore[no-untyped-def]
    page, recorder = open_page("/pyscript.html")
    page.wait_for_function("document.getElementById('out').textContent !== 'waiting'", timeout=120_000)
    out = json.loads(page.text_content("#out") or "")
    assert out["version"] == sdk_version()
    assert out["python"].startswith("3.14")
    assert {"clerk-frontend", "pydantic", "pydantic-core", "pyodide-http", "micropip"} <= set(out["locked"])
    assert recorder.requests and all(is_loopback_url(u) for u in recorder.requests)
    assert not recorder.failed, recorder.failed


def test_credentialed_pyfetch_patch_round_trip(py_page: PyPage, echo: EchoServer) -> None:
    got = py_page.run(f"""
from pyodide.http import pyfetch
await pyfetch("{echo.url}/set-cookie", credentials="include")
r = await pyfetch("{echo.url}/echo?x=1", method="PATCH", credentials="include",
                  headers={{"Content-Type": "application/x-www-form-urlencoded"}},
                  body="first_name=Ada&emoji=%F0%9F%90%8D")
[r.status, await r.json()]
""")
    status, seen = got
    assert status == 200
    assert seen["method"] == "PATCH"
    assert seen["path"] == "/echo?x=1"
    assert seen["body"] == "first_name=Ada&emoji=%F0%9F%90%8D"
    assert seen["cookie"] == "echo_session=s3cret"


def test_synchronous_round_trip_through_pyodide_http(py_page: PyPage, echo: EchoServer) -> None:
    got = py_page.run(f"""
import json, js, urllib.request, pyodide_http
from pyodide.code import run_js
pyodide_http.patch_all()
# pyodide-http never sets withCredentials; swap in a subclass that does.
run_js("window.CredXHR = class extends XMLHttpRequest {{ constructor() {{ super(); this.withCredentials = true; }} }}")
original = js.XMLHttpRequest
js.XMLHttpRequest = js.CredXHR
try:
    urllib.request.urlopen("{echo.url}/set-cookie")
    req = urllib.request.Request("{echo.url}/echo", data=b"a=1", method="PATCH",
                                 headers={{"Content-Type": "application/x-www-form-urlencoded"}})
    resp = urllib.request.urlopen(req)
    result = [resp.status, json.loads(resp.read())]
finally:
    js.XMLHttpRequest = original
result
""")
    status, seen = got
    assert status == 200
    assert seen["method"] == "PATCH"
    assert seen["body"] == "a=1"
    assert seen["cookie"] == "echo_session=s3cret"
