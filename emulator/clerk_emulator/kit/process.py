"""Start and stop the local Clerk instance (``python -m clerk_emulator``) as a subprocess, for tests and
benchmarks: the one way this repository and the testing kit start an instance."""

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
from types import TracebackType

from .http import ClerkKitError

__all__ = ["LocalProcess"]

STARTUP_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 10.0
_LABELS = {"Frontend API": "fapi_url", "Backend API": "bapi_url", "Publishable key": "publishable_key",
           "Secret key": "secret_key", "Demo user": "demo", "Ready": "ready"}
_STDERR_KEEP = 200  # lines of the instance's stderr kept for error messages

_Path = str | os.PathLike[str]


class LocalProcess:
    """A local Clerk instance running as a subprocess, ready when the constructor returns.

    Options (all keyword-only except ``data_dir``):

    - ``data_dir``: the data folder (SQLite store and keys). Given: used as is and kept, so a second
      ``LocalProcess`` on it restarts the same instance (same keys, same users). ``None``: a fresh folder
      inside :attr:`root`, removed with it.
    - ``seed``: create the demo user (``demo_email``/``demo_password`` then hold its credentials). Off by
      default: tests make their own users.
    - ``host``, ``port``: where it listens; port 0 (the default) picks a free one.
    - ``static_dir``: a folder served on the instance's origin, as given. ``None``: an empty folder inside
      :attr:`root` (``ClerkInstance.serve`` fills it).
    - ``settings_file``: instance settings (JSON) for ``--settings``.
    - ``extra_args``: more ``clerk-emulator`` arguments (``--reset``, ``--rate-limits``, ``--fault JSON``, …).
    - ``timeout``: seconds to wait for the ``Ready:`` line.

    Attributes: ``fapi_url``, ``bapi_url``, ``publishable_key``, ``secret_key`` (its startup lines), ``port``,
    ``demo_email``/``demo_password`` (``None`` without the demo user), ``data_dir``, ``static_dir``,
    ``root`` (the kit's temporary folder), ``proc`` (the ``subprocess.Popen``).

    A start that fails (bad option, data folder in use or unreadable, port taken, no ``Ready:`` in time) raises
    :class:`~clerk_emulator.kit.ClerkKitError` carrying the instance's stderr, and leaves nothing running.

    Nothing outlives the caller: the process runs in its own session, so a Ctrl-C in the terminal reaches the
    test runner (whose teardown stops it) rather than the instance, and if the caller dies without stopping it
    (SIGKILL), the instance notices, shuts down and removes :attr:`root` by itself. A caller-given
    ``data_dir`` or ``static_dir`` is never removed."""

    fapi_url: str
    bapi_url: str
    publishable_key: str
    secret_key: str
    port: int
    demo_email: str | None
    demo_password: str | None

    def __init__(self, data_dir: _Path | None = None, *, seed: bool = False, host: str = "127.0.0.1",
                 port: int = 0, static_dir: _Path | None = None, settings_file: _Path | None = None,
                 extra_args: Sequence[str] = (), timeout: float = STARTUP_TIMEOUT_S) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="clerk-kit-"))
        self.data_dir = Path(data_dir).resolve() if data_dir is not None else self.root / "data"
        if static_dir is None:
            self.static_dir = self.root / "www"
            self.static_dir.mkdir()
        else:
            self.static_dir = Path(static_dir).resolve()
        self._stderr: list[str] = []
        args = ["--port", str(port), "--host", host, "--data", str(self.data_dir), "--static", str(self.static_dir)]
        if not seed:
            args.append("--no-seed")
        if settings_file is not None:
            args += ["--settings", str(Path(settings_file).resolve())]
        args += list(extra_args)
        cmd = [sys.executable, "-m", "clerk_emulator.kit._child", "--parent", str(os.getpid()),
               "--cleanup", str(self.root), "--", *args]
        try:
            self.proc: subprocess.Popen[str] = subprocess.Popen(
                cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                bufsize=1, start_new_session=True)
        except BaseException:
            shutil.rmtree(self.root, ignore_errors=True)
            raise
        self._stdout_thread: threading.Thread | None = None
        self._drain = threading.Thread(target=self._read_stderr, daemon=True, name="clerk-kit-stderr")
        self._drain.start()
        try:
            values = self._read_startup(timeout)
        except BaseException:
            self.kill()
            raise
        self.fapi_url = values["fapi_url"]
        self.bapi_url = values["bapi_url"]
        self.publishable_key = values["publishable_key"]
        self.secret_key = values["secret_key"]
        self.port = int(self.fapi_url.rsplit(":", 1)[1])
        self.demo_email = self.demo_password = None
        if "demo" in values:
            self.demo_email, _, self.demo_password = values["demo"].partition(" / ")

    @property
    def pid(self) -> int | None:
        """The instance's process id (``None`` once it has ended)."""
        return self.proc.pid if self.proc.poll() is None else None

    @property
    def stderr(self) -> str:
        """The last lines the instance wrote to stderr."""
        return "".join(self._stderr[-_STDERR_KEEP:])

    def _read_stderr(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self._stderr.append(line)
            if len(self._stderr) > 2 * _STDERR_KEEP:
                del self._stderr[:_STDERR_KEEP]

    def _read_startup(self, timeout: float) -> dict[str, str]:
        lines: queue.Queue[str | None] = queue.Queue()

        def reader() -> None:
            assert self.proc.stdout is not None
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
        missing = {"fapi_url", "bapi_url", "publishable_key", "secret_key"} - set(values)
        if missing:
            raise ClerkKitError(f"the local Clerk instance's startup lines lack {sorted(missing)}: {values}")
        return values

    def stop(self, timeout: float = STOP_TIMEOUT_S) -> int:
        """SIGTERM (SIGKILL after ``timeout`` seconds), wait, remove :attr:`root`; returns the exit code (0 for
        a clean shutdown). Idempotent."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self._cleanup()

    def kill(self) -> int:
        """SIGKILL (no clean shutdown: what a crash leaves in the data folder), wait, remove :attr:`root`;
        returns the exit code (-9 unless it had ended already)."""
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        return self._cleanup()

    def _cleanup(self) -> int:
        # The readers end at end-of-file once the process is gone; closing a pipe under them would fail them.
        for thread in (self._stdout_thread, self._drain):
            if thread is not None:
                thread.join(timeout=2)
        for pipe in (self.proc.stdout, self.proc.stderr):
            if pipe is not None:
                with contextlib.suppress(OSError):
                    pipe.close()
        shutil.rmtree(self.root, ignore_errors=True)
        return int(self.proc.returncode)

    def __enter__(self) -> LocalProcess:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    def __repr__(self) -> str:
        return (f"LocalProcess(fapi_url={getattr(self, 'fapi_url', None)!r}, pid={self.pid}, "
                f"data_dir={str(self.data_dir)!r})")
