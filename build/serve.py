"""Static file server for the offline bundle (tests, benchmarks and the demo).

* right MIME types for ``.mjs``, ``.wasm``, ``.whl`` and friends, set here rather
  than taken from the system's mime.types;
* serves a precompressed ``.gz`` sibling with ``Content-Encoding: gzip`` when the
  client accepts gzip (``Vary: Accept-Encoding``);
* cache headers: ``no-cache`` for pages and locks, ``max-age`` for versioned
  runtime files and wheels, or ``no-store`` everywhere for cold-load measurements;
* Nagle disabled, so keep-alive responses are not held back by delayed ACKs;
* binds to 127.0.0.1 unless told otherwise;
* optionally cross-origin isolated (COOP/COEP), which PyScript workers need for
  their synchronous bridge to the page.

Several folders can be layered: a path is looked up in each root in turn.
Usage: ``python build/serve.py [--port 8000] [--root dist/site ...] [--no-store]``.
"""

from __future__ import annotations

import argparse
import email.utils
import os
import posixpath
import sys
import threading
import urllib.parse
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

MIME_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".map": "application/json",
    ".wasm": "application/wasm",
    ".whl": "application/zip",
    ".zip": "application/zip",
    ".py": "text/x-python; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".ts": "text/plain; charset=utf-8",
    ".toml": "text/plain; charset=utf-8",
}
# Immutable in practice: their names change with their versions.
LONG_CACHE = {".wasm", ".whl", ".zip"}


class StaticHandler(BaseHTTPRequestHandler):
    """Serves files from ``server.roots``; GET and HEAD only."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: StaticServer

    def log_message(self, format: str, *args: object) -> None:
        if self.server.verbose:
            super().log_message(format, *args)

    def _resolve(self) -> Path | None:
        raw = urllib.parse.urlsplit(self.path).path
        rel = posixpath.normpath(urllib.parse.unquote(raw)).lstrip("/")
        if rel.startswith("..") or "\x00" in rel:
            return None
        for root in self.server.roots:
            candidate = root / rel if rel not in ("", ".") else root
            if candidate.is_dir():
                candidate = candidate / "index.html"
            if candidate.is_file():
                return candidate
        return None

    def _cache_control(self, path: Path) -> str:
        if self.server.no_store:
            return "no-store"
        if path.suffix in LONG_CACHE:
            return "public, max-age=3600"
        return "no-cache"

    def do_HEAD(self) -> None:
        self._serve(body=False)

    def do_GET(self) -> None:
        self._serve(body=True)

    def _serve(self, *, body: bool) -> None:
        path = self._resolve()
        if path is None:
            self._send_plain(HTTPStatus.NOT_FOUND, "not found\n", body=body)
            return
        send = path
        headers = {
            "Content-Type": MIME_TYPES.get(path.suffix, "application/octet-stream"),
            "Cache-Control": self._cache_control(path),
            "Last-Modified": email.utils.formatdate(path.stat().st_mtime, usegmt=True),
            "Vary": "Accept-Encoding",
        }
        gz = path.with_name(path.name + ".gz")
        accepts = self.headers.get("Accept-Encoding", "")
        if "gzip" in [part.split(";")[0].strip() for part in accepts.split(",")] and gz.is_file():
            send = gz
            headers["Content-Encoding"] = "gzip"
        size = send.stat().st_size
        self.send_response(HTTPStatus.OK)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(size))
        if self.server.isolated:
            self.send_header("Cross-Origin-Opener-Policy", "same-origin")
            self.send_header("Cross-Origin-Embedder-Policy", "require-corp")
            self.send_header("Cross-Origin-Resource-Policy", "same-origin")
        self.end_headers()
        if body:
            with send.open("rb") as fh:
                self.wfile.write(fh.read())
        self.server.count(self.path, size if body else 0)

    def _send_plain(self, status: HTTPStatus, text: str, *, body: bool) -> None:
        data = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if body:
            self.wfile.write(data)


class StaticServer(ThreadingHTTPServer):
    """A threaded static server over one or more root folders."""

    daemon_threads = True

    def __init__(self, roots: list[Path], host: str = "127.0.0.1", port: int = 0, *,
                 no_store: bool = False, isolated: bool = False, verbose: bool = False) -> None:
        self.roots = [Path(r).resolve() for r in roots]
        self.no_store = no_store
        self.isolated = isolated
        self.verbose = verbose
        self.bytes_sent = 0
        self.requests: list[str] = []
        self._lock = threading.Lock()
        super().__init__((host, port), StaticHandler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def count(self, path: str, size: int) -> None:
        with self._lock:
            self.bytes_sent += size
            self.requests.append(path)

    def start_in_thread(self) -> threading.Thread:
        """Serve in a background thread (tests and benchmarks); stop with ``shutdown()``."""
        thread = threading.Thread(target=self.serve_forever, name="static-server", daemon=True)
        thread.start()
        return thread


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve the offline bundle.")
    parser.add_argument("--host", default="127.0.0.1", help="bind address (default: loopback only)")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--root", action="append", type=Path,
                        help="folder to serve; repeat to layer folders (default dist/site)")
    parser.add_argument("--no-store", action="store_true", help="send Cache-Control: no-store")
    parser.add_argument("--isolated", action="store_true", help="send COOP/COEP (cross-origin isolation)")
    parser.add_argument("--verbose", action="store_true", help="log every request")
    args = parser.parse_args()
    roots = args.root or [ROOT / "dist" / "site"]
    for root in roots:
        if not root.is_dir():
            sys.exit(f"serve: {root} does not exist; build the bundle first (python build/build_bundle.py)")
    server = StaticServer(roots, args.host, args.port, no_store=args.no_store, isolated=args.isolated,
                          verbose=args.verbose)
    print(f"Serving {', '.join(os.path.relpath(r) for r in roots)} at {server.url}/", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
