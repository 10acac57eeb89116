"""Run the local Clerk instance (``python -m clerk_emulator``) as a subprocess for tests.

Usage::

    with EmulatorProcess(tmp_path / "clerk") as emu:
        httpx.get(emu.fapi_url + "/v1/environment")

The process is started with ``--port 0 --data DIR`` plus any extra arguments;
its startup lines (see ``emulator/README.md``) are parsed into attributes.
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import TracebackType

STARTUP_TIMEOUT_S = 30.0

_LABELS = {
    "Frontend API": "fapi_url",
    "Backend API": "bapi_url",
    "Publishable key": "publishable_key",
    "Secret key": "secret_key",
    "Demo user": "demo",
    "Ready": "ready",
}


class EmulatorStartError(RuntimeError):
    pass


class EmulatorProcess:
    """A running emulator. Attributes: ``fapi_url``, ``bapi_url``, ``publishable_key``, ``secret_key``,
    ``demo_email``/``demo_password`` (``None`` with ``--no-seed``), ``data_dir``, ``port``, ``proc``."""

    fapi_url: str
    bapi_url: str
    publishable_key: str
    secret_key: str
    demo_email: str | None
    demo_password: str | None
    port: int

    def __init__(self, data_dir: str | os.PathLike[str], *extra_args: str,
                 timeout: float = STARTUP_TIMEOUT_S) -> None:
        self.data_dir = Path(data_dir)
        self.extra_args = tuple(extra_args)
        cmd = [sys.executable, "-m", "clerk_emulator", "--port", "0", "--data", str(self.data_dir), *extra_args]
        self.proc = subprocess.Popen(
            cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, bufsize=1,
        )
        self._stderr: list[str] = []
        self._stderr_thread = threading.Thread(target=self._drain_stderr, daemon=True)
        self._stderr_thread.start()
        self.demo_email = self.demo_password = None
        try:
            self._read_contract(timeout)
        except BaseException:
            self.kill()
            raise

    def _drain_stderr(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self._stderr.append(line)

    @property
    def stderr(self) -> str:
        return "".join(self._stderr)

    def _read_contract(self, timeout: float) -> None:
        lines: queue.Queue[str | None] = queue.Queue()

        def reader() -> None:
            assert self.proc.stdout is not None
            for line in self.proc.stdout:
                lines.put(line)
            lines.put(None)

        self._stdout_thread = threading.Thread(target=reader, daemon=True)
        self._stdout_thread.start()
        deadline = time.monotonic() + timeout
        values: dict[str, str] = {}
        while "ready" not in values:
            remaining = deadline - time.monotonic()
            try:
                line = lines.get(timeout=max(remaining, 0.01))
            except queue.Empty:
                raise EmulatorStartError(
                    f"clerk-emulator did not print 'Ready:' within {timeout:.0f}s; got {values}; "
                    f"stderr:\n{self.stderr}"
                ) from None
            if line is None:
                self.proc.wait(timeout=5)
                time.sleep(0.1)
                raise EmulatorStartError(
                    f"clerk-emulator exited with {self.proc.returncode} before 'Ready:'; stderr:\n{self.stderr}"
                )
            label, sep, value = line.rstrip("\n").partition(": ")
            if sep and label in _LABELS:
                values[_LABELS[label]] = value
        missing = {"fapi_url", "bapi_url", "publishable_key", "secret_key"} - set(values)
        if missing:
            raise EmulatorStartError(f"clerk-emulator startup lines lack {sorted(missing)}: {values}")
        self.fapi_url = values["fapi_url"]
        self.bapi_url = values["bapi_url"]
        self.publishable_key = values["publishable_key"]
        self.secret_key = values["secret_key"]
        self.port = int(self.fapi_url.rsplit(":", 1)[1])
        if "demo" in values:
            email, _, password = values["demo"].partition(" / ")
            self.demo_email, self.demo_password = email, password

    def stop(self, timeout: float = 10.0) -> int:
        """SIGTERM and wait (SIGKILL after ``timeout`` seconds); returns the exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._close_pipes()
        return int(self.proc.returncode)

    def kill(self) -> None:
        """SIGKILL (no clean shutdown) and reap."""
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self._close_pipes()

    def _close_pipes(self) -> None:
        for thread in (getattr(self, "_stdout_thread", None), self._stderr_thread):
            if thread is not None:
                thread.join(timeout=2)
        for pipe in (self.proc.stdout, self.proc.stderr):
            if pipe is not None and not pipe.closed:
                pipe.close()

    def __enter__(self) -> EmulatorProcess:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"EmulatorProcess(fapi_url={getattr(self, 'fapi_url', None)!r}, data_dir={str(self.data_dir)!r})"
