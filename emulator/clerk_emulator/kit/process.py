"""Start and stop a local Clerk instance in a temporary folder for a test session."""

from __future__ import annotations

import contextlib
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from .http import ClerkKitError

__all__ = ["LocalProcess"]

STARTUP_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 10.0
_LABELS = {"Frontend API": "fapi_url", "Backend API": "bapi_url", "Publishable key": "publishable_key",
           "Secret key": "secret_key", "Ready": "ready"}
_STDERR_KEEP = 200  # lines of the instance's stderr kept for error messages


class LocalProcess:
    """``python -m clerk_emulator`` on a free loopback port, with its data folder and static mount inside one
    temporary folder (``root``) that :meth:`stop` removes. The process runs in its own session, so a Ctrl-C in
    the terminal reaches pytest (which then stops it through the fixture) rather than the instance directly,
    and it shuts down and removes ``root`` by itself if the test process dies without a teardown."""

    def __init__(self, *, settings_file: str | os.PathLike[str] | None = None, extra_args: Sequence[str] = (),
                 timeout: float = STARTUP_TIMEOUT_S) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="clerk-kit-"))
        self.data_dir = self.root / "data"
        self.static_dir = self.root / "www"
        self.static_dir.mkdir()
        self._stderr: list[str] = []
        self.proc: subprocess.Popen[str] | None = None
        args = ["--port", "0", "--host", "127.0.0.1", "--data", str(self.data_dir), "--no-seed",
                "--static", str(self.static_dir)]
        if settings_file is not None:
            args += ["--settings", str(Path(settings_file).resolve())]
        args += list(extra_args)
        cmd = [sys.executable, "-m", "clerk_emulator.kit._child", "--parent", str(os.getpid()),
               "--cleanup", str(self.root), "--", *args]
        try:
            self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                         stderr=subprocess.PIPE, text=True, bufsize=1, start_new_session=True)
            self._drain = threading.Thread(target=self._read_stderr, daemon=True, name="clerk-kit-stderr")
            self._drain.start()
            values = self._read_startup(timeout)
        except BaseException:
            self.stop()
            raise
        self.fapi_url = values["fapi_url"]
        self.bapi_url = values["bapi_url"]
        self.publishable_key = values["publishable_key"]
        self.secret_key = values["secret_key"]

    @property
    def pid(self) -> int | None:
        """The instance's process id (``None`` once stopped)."""
        return self.proc.pid if self.proc is not None and self.proc.poll() is None else None

    @property
    def stderr(self) -> str:
        """The last lines the instance wrote to stderr."""
        return "".join(self._stderr[-_STDERR_KEEP:])

    def _read_stderr(self) -> None:
        assert self.proc is not None and self.proc.stderr is not None
        for line in self.proc.stderr:
            self._stderr.append(line)
            if len(self._stderr) > 2 * _STDERR_KEEP:
                del self._stderr[:_STDERR_KEEP]

    def _read_startup(self, timeout: float) -> dict[str, str]:
        assert self.proc is not None
        lines: queue.Queue[str | None] = queue.Queue()

        def reader() -> None:
            assert self.proc is not None and self.proc.stdout is not None
            for line in self.proc.stdout:
                lines.put(line)
            lines.put(None)

        self._stdout_thread = threading.Thread(target=reader, daemon=True, name="clerk-kit-stdout")
        self._stdout_thread.start()
        deadline = time.monotonic() + timeout
        values: dict[str, str] = {}
        while "ready" not in values:
            try:
                line = lines.get(timeout=max(deadline - time.monotonic(), 0.01))
            except queue.Empty:
                raise ClerkKitError(f"the local Clerk instance did not start within {timeout:.0f} s; "
                                    f"its stderr:\n{self.stderr}") from None
            if line is None:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    self.proc.wait(timeout=5)
                self._drain.join(timeout=2)
                raise ClerkKitError(f"the local Clerk instance exited with {self.proc.returncode} before it was "
                                    f"ready; its stderr:\n{self.stderr}")
            label, sep, value = line.rstrip("\n").partition(": ")
            if sep and label in _LABELS:
                values[_LABELS[label]] = value
        return values

    def stop(self, timeout: float = STOP_TIMEOUT_S) -> None:
        """SIGTERM (SIGKILL after ``timeout`` seconds), wait, then remove the temporary folder. Idempotent."""
        proc = self.proc
        if proc is not None:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout=timeout)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
            # The readers end at end-of-file once the process is gone; closing a pipe under them would fail them.
            for thread in (getattr(self, "_stdout_thread", None), getattr(self, "_drain", None)):
                if thread is not None:
                    thread.join(timeout=2)
            for pipe in (proc.stdout, proc.stderr):
                if pipe is not None:
                    with contextlib.suppress(OSError):
                        pipe.close()
        shutil.rmtree(self.root, ignore_errors=True)

    def __repr__(self) -> str:
        return f"LocalProcess(pid={self.pid}, root={str(self.root)!r})"
