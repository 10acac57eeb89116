"""``python -m clerk_emulator.kit._child --parent PID --cleanup DIR -- <clerk-emulator arguments>``.

Runs the local Clerk instance for the testing kit, and makes sure it does not outlive the test run: when the
process that started it disappears (killed with SIGKILL, so no fixture teardown ran), the instance shuts down
and removes its temporary folder itself. In a normal run the kit stops it and removes the folder.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
import threading
import time
from types import FrameType

from ..__main__ import main as emulator_main

POLL_S = 0.25


def _orphaned(parent: int) -> bool:
    return os.getppid() != parent


def _watch(parent: int) -> None:
    while not _orphaned(parent):
        time.sleep(POLL_S)
    os.kill(os.getpid(), signal.SIGTERM)  # the instance's own handler shuts it down cleanly


def _exit_on_term(signum: int, frame: FrameType | None) -> None:
    # Only until the instance installs its own handler: a SIGTERM during start-up still runs the cleanup.
    raise SystemExit(128 + signum)


def main(argv: list[str]) -> None:
    """Parse ``--parent``/``--cleanup``, then run the instance with the arguments after ``--``."""
    if "--" not in argv:
        raise SystemExit("usage: python -m clerk_emulator.kit._child --parent PID --cleanup DIR -- ARGS")
    split = argv.index("--")
    own, rest = argv[:split], argv[split + 1:]
    options = dict(zip(own[::2], own[1::2], strict=True))
    parent = int(options["--parent"])
    cleanup = options.get("--cleanup")
    signal.signal(signal.SIGTERM, _exit_on_term)
    threading.Thread(target=_watch, args=(parent,), daemon=True, name="clerk-kit-parent-watch").start()
    try:
        emulator_main(rest)
    finally:
        if cleanup and _orphaned(parent):
            shutil.rmtree(cleanup, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
