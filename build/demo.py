"""The README's first command: build the bundle, start the local Clerk instance and serve the demo pages.

Usage: ``python build/demo.py [--port 8000] [--data .clerk-emulator] [--reset]``. One process serves the
pages and the Frontend API on the same origin (the emulator's ``--static``), so cookies stay first-party.
The data folder keeps users, sessions and metadata between runs. Ctrl-C or SIGTERM stops everything.

With ``CLERK_PUBLISHABLE_KEY=pk_test_…`` set, no emulator is started: the same pages are served by the
static server and talk to that real Clerk development instance. Either way the pages read their key
from ``/demo-config.json``, written at start; it never holds a secret key.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from types import FrameType

import build_bundle
from serve import StaticServer

ROOT = Path(__file__).resolve().parent.parent
CONFIG_NAME = "demo-config.json"
STARTUP_TIMEOUT_S = 60.0
LABELS = {"Frontend API": "fapi", "Publishable key": "pk", "Demo user": "demo", "Ready": "ready"}


class DemoError(Exception):
    """A reason the demo cannot start, printed without a traceback."""


class Stopper:
    """Turns SIGINT/SIGTERM into an event the main loop waits on."""

    def __init__(self) -> None:
        self.event = threading.Event()
        self.signal_name = ""
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, self._handle)

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        self.signal_name = signal.Signals(signum).name
        self.event.set()


def write_config(folder: Path, config: dict[str, str]) -> Path:
    """Write the pages' config atomically; refuse anything that looks like a secret key."""
    text = json.dumps(config, indent=2)
    if "sk_" in text:
        raise DemoError("refusing to write a secret key into a page config")
    path = folder / CONFIG_NAME
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text + "\n")
    tmp.replace(path)
    # A stale precompressed copy would be served instead of the fresh file.
    path.with_name(path.name + ".gz").unlink(missing_ok=True)
    return path


def read_startup(proc: subprocess.Popen[str], timeout: float) -> dict[str, str]:
    """Read the emulator's labelled startup lines until ``Ready:``; echo nothing (we print our own)."""
    lines: queue.Queue[str | None] = queue.Queue()

    def reader() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=reader, daemon=True).start()
    values: dict[str, str] = {}
    deadline = time.monotonic() + timeout
    while "ready" not in values:
        try:
            line = lines.get(timeout=max(deadline - time.monotonic(), 0.01))
        except queue.Empty:
            raise DemoError(f"the local Clerk instance did not start within {timeout:.0f} s") from None
        if line is None:
            proc.wait(timeout=5)
            raise DemoError(f"the local Clerk instance exited with code {proc.returncode} before it was ready "
                            "(see its message above; if the port is taken, pass --port 0 or another port)")
        label, sep, value = line.rstrip("\n").partition(": ")
        if sep and label in LABELS:
            values[LABELS[label]] = value
    return values


def run_local(args: argparse.Namespace, site: Path, stopper: Stopper) -> int:
    """Emulator mode: one process serves the pages (``--static``) and the Frontend API."""
    data = args.data.resolve()
    cmd = [sys.executable, "-m", "clerk_emulator", "--host", args.host, "--port", str(args.port),
           "--data", str(data), "--static", str(site)]
    if args.reset:
        cmd.append("--reset")
    # Its own process group: a terminal's Ctrl-C reaches us, and we stop the emulator ourselves.
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, bufsize=1, start_new_session=True)
    config_path: Path | None = None
    try:
        values = read_startup(proc, STARTUP_TIMEOUT_S)
        config: dict[str, str] = {"mode": "local", "publishable_key": values["pk"]}
        if "demo" in values:
            email, _, password = values["demo"].partition(" / ")
            # The seeded user of the local instance only: shown on the sign-in form as a convenience.
            config |= {"demo_email": email, "demo_password": password}
        config_path = write_config(site, config)
        url = values["fapi"].rstrip("/") + "/"
        print(f"Demo: {url}", flush=True)
        if "demo" in values:
            print(f"Demo user: {values['demo']}", flush=True)
        shown = os.path.relpath(data) if data.is_relative_to(Path.cwd()) else str(data)
        print(f"Data: {shown} (kept between runs; --reset starts over)", flush=True)
        print("Ctrl-C stops the demo.", flush=True)
        while not stopper.event.wait(0.5):
            if not config_path.exists():
                # A bundle rebuild (make test, make bundle) prunes files it does not know: write it again.
                write_config(site, config)
            if proc.poll() is not None:
                print(f"demo: the local Clerk instance exited with code {proc.returncode}", file=sys.stderr)
                return 1
        return 0
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if config_path is not None:
            config_path.unlink(missing_ok=True)


def run_real(args: argparse.Namespace, site: Path, key: str, stopper: Stopper) -> int:
    """Real-Clerk mode: static pages pointed at the development instance named by the publishable key."""
    if key.startswith("sk_"):
        raise DemoError("CLERK_PUBLISHABLE_KEY holds a secret key (sk_…); it must never reach a browser. "
                        "Use the publishable key (pk_test_…) from the Clerk dashboard.")
    if not key.startswith("pk_test_"):
        raise DemoError("CLERK_PUBLISHABLE_KEY must be a development instance's publishable key (pk_test_…).")
    with tempfile.TemporaryDirectory(prefix="clerk-demo-config-") as tmp:
        write_config(Path(tmp), {"mode": "clerk", "publishable_key": key})
        try:
            server = StaticServer([Path(tmp), site], args.host, args.port)
        except OSError as exc:
            raise DemoError(f"cannot listen on {args.host}:{args.port}: {exc}; try --port 0") from None
        server.start_in_thread()
        try:
            print(f"Demo: {server.url}/", flush=True)
            print("Clerk: the development instance of CLERK_PUBLISHABLE_KEY (sign in with your own users)",
                  flush=True)
            print("Ctrl-C stops the demo.", flush=True)
            stopper.event.wait()
        finally:
            server.shutdown()
            server.server_close()
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1", help="bind address (default: loopback only)")
    parser.add_argument("--port", type=int, default=8000, help="port (0 picks a free one); default 8000")
    parser.add_argument("--data", type=Path, default=ROOT / ".clerk-emulator",
                        help="the local Clerk instance's data folder; default .clerk-emulator")
    parser.add_argument("--reset", action="store_true", help="wipe the data folder first")
    parser.add_argument("--site", type=Path, default=build_bundle.DEFAULT_OUT,
                        help="where the bundle is built and served from; default dist/site")
    args = parser.parse_args()
    stopper = Stopper()
    try:
        site = build_bundle.build(args.site.resolve())
        key = os.environ.get("CLERK_PUBLISHABLE_KEY", "").strip()
        code = run_real(args, site, key, stopper) if key else run_local(args, site, stopper)
    except (DemoError, build_bundle.BuildError) as exc:
        print(f"demo: {exc}", file=sys.stderr)
        sys.exit(1)
    if stopper.signal_name:
        print(f"demo: stopped ({stopper.signal_name})", flush=True)
    sys.exit(code)


if __name__ == "__main__":
    main()
