"""Helpers of the testing kit's tests: throwaway projects run by ``pytester`` and the leftover checks."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

# Written into every throwaway project: records each instance the kit hands out, for the leftover checks.
RECORDING_CONFTEST = '''
import json
import pathlib

import pytest

HERE = pathlib.Path(__file__).parent


@pytest.fixture(autouse=True)
def _record_clerk_instance(request):
    if "clerk_instance" in request.fixturenames:
        inst = request.getfixturevalue("clerk_instance")
        root = str(inst.process.root) if inst.process is not None else None
        with open(HERE / "instances.jsonl", "a") as out:
            out.write(json.dumps({"pid": inst.pid, "root": root}) + "\\n")
    yield
'''


def alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie waiting for its parent to reap it counts as gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def wait_until(predicate: Callable[[], object], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def _default_sigint() -> None:
    # The user's run gets Ctrl-C as in a terminal even when this suite was started in the background, where
    # SIGINT is ignored and the ignoring is inherited (Python then installs no KeyboardInterrupt handler).
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@dataclass
class Project:
    """A throwaway user project in ``pytester.path`` and the ``TMPDIR`` its runs use."""

    pytester: pytest.Pytester
    tmpdir: Path

    @property
    def path(self) -> Path:
        return self.pytester.path

    def recording_conftest(self) -> str:
        """The recording conftest's text, to put into a project conftest of the test's own."""
        return RECORDING_CONFTEST

    def instances(self) -> list[dict[str, object]]:
        log = self.path / "instances.jsonl"
        if not log.exists():
            return []
        return [json.loads(line) for line in log.read_text().splitlines() if line.strip()]

    def run(self, *args: str, timeout: float = 300) -> pytest.RunResult:
        return self.pytester.runpytest_subprocess("-p", "no:cacheprovider", *args, timeout=timeout)

    def popen(self, *args: str) -> subprocess.Popen[bytes]:
        cmd = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args]
        return self.pytester.popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, preexec_fn=_default_sigint)

    def assert_nothing_left(self, *, timeout: float = 15) -> None:
        """No instance process of the run still runs, and the run's TMPDIR is empty."""
        pids = [int(str(i["pid"])) for i in self.instances() if i.get("pid") is not None]
        wait_until(lambda: not any(alive(p) for p in pids), timeout, f"instance processes {pids} to end")
        wait_until(lambda: not any(self.tmpdir.iterdir()), timeout,
                   f"{self.tmpdir} to be empty (has {sorted(p.name for p in self.tmpdir.iterdir())})")

    def kill_tree(self, proc: subprocess.Popen[bytes]) -> None:
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
