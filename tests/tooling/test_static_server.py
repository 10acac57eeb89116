"""The bundle's static server: MIME types, precompressed files, cache headers, safety."""

from __future__ import annotations

import gzip
import http.client
from collections.abc import Iterator
from pathlib import Path

import pytest
from serve import StaticServer


@pytest.fixture
def site(tmp_path: Path) -> Path:
    (tmp_path / "pyodide").mkdir()
    (tmp_path / "index.html").write_text("<p>hello</p>")
    (tmp_path / "pyodide" / "pyodide.mjs").write_text("export const x = 1;\n" * 200)
    with gzip.open(tmp_path / "pyodide" / "pyodide.mjs.gz", "wb") as fh:
        fh.write(("export const x = 1;\n" * 200).encode())
    (tmp_path / "pyodide" / "pyodide.asm.wasm").write_bytes(b"\0asm" + b"\1" * 100)
    (tmp_path / "pyodide" / "x-1.0-py3-none-any.whl").write_bytes(b"PK")
    return tmp_path


@pytest.fixture
def server(site: Path) -> Iterator[StaticServer]:
    srv = StaticServer([site])
    srv.start_in_thread()
    yield srv
    srv.shutdown()
    srv.server_close()


def get(server: StaticServer, path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    host, port = server.server_address[:2]
    conn = http.client.HTTPConnection(str(host), int(port), timeout=5)
    conn.request("GET", path, headers=headers)
    resp = conn.getresponse()
    body = resp.read()
    conn.close()
    return resp.status, {k.lower(): v for k, v in resp.getheaders()}, body


def test_binds_to_loopback_by_default(server: StaticServer) -> None:
    assert server.server_address[0] == "127.0.0.1"


def test_mime_types_for_modules_wasm_and_wheels(server: StaticServer) -> None:
    assert get(server, "/pyodide/pyodide.mjs")[1]["content-type"].startswith("text/javascript")
    assert get(server, "/pyodide/pyodide.asm.wasm")[1]["content-type"] == "application/wasm"
    assert get(server, "/pyodide/x-1.0-py3-none-any.whl")[1]["content-type"] == "application/zip"
    assert get(server, "/")[1]["content-type"].startswith("text/html")


def test_precompressed_copy_only_when_gzip_is_accepted(server: StaticServer, site: Path) -> None:
    status, headers, body = get(server, "/pyodide/pyodide.mjs", **{"Accept-Encoding": "gzip, br"})
    assert status == 200 and headers["content-encoding"] == "gzip"
    assert gzip.decompress(body) == (site / "pyodide" / "pyodide.mjs").read_bytes()
    assert headers["vary"] == "Accept-Encoding"
    status, headers, body = get(server, "/pyodide/pyodide.mjs", **{"Accept-Encoding": "identity"})
    assert "content-encoding" not in headers and body == (site / "pyodide" / "pyodide.mjs").read_bytes()


def test_cache_headers(server: StaticServer, site: Path) -> None:
    assert get(server, "/pyodide/pyodide.asm.wasm")[1]["cache-control"] == "public, max-age=3600"
    assert get(server, "/index.html")[1]["cache-control"] == "no-cache"
    cold = StaticServer([site], no_store=True)
    cold.start_in_thread()
    try:
        assert get(cold, "/pyodide/pyodide.asm.wasm")[1]["cache-control"] == "no-store"
    finally:
        cold.shutdown()
        cold.server_close()


def test_missing_files_and_traversal_are_404(server: StaticServer, tmp_path: Path) -> None:
    assert get(server, "/nope.js")[0] == 404
    assert get(server, "/../../etc/passwd")[0] == 404
    assert get(server, "/%2e%2e/%2e%2e/etc/passwd")[0] == 404


def test_layered_roots_and_isolation_headers(site: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    extra = tmp_path_factory.mktemp("extra")
    (extra / "page.html").write_text("<p>extra</p>")
    srv = StaticServer([site, extra], isolated=True)
    srv.start_in_thread()
    try:
        status, headers, body = get(srv, "/page.html")
        assert status == 200 and body == b"<p>extra</p>"
        assert headers["cross-origin-opener-policy"] == "same-origin"
        assert headers["cross-origin-embedder-policy"] == "require-corp"
        assert get(srv, "/index.html")[2] == b"<p>hello</p>"
    finally:
        srv.shutdown()
        srv.server_close()
