"""pytest-playwright's browser is Debian's Chromium, launched by path.

The kit's plugin registers this module after pytest-playwright (in ``pytest_configure``), so its
``browser_type_launch_args`` overrides pytest-playwright's and builds on it: the kit never downloads a
browser, and ``--browser-channel`` or another engine is refused with a clear message."""

from __future__ import annotations

import os
from typing import Any

import pytest

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "browser_type_launch_args", "launch_args"]

#: Debian's Chromium, the one browser the kit launches (unless ``--clerk-chromium`` names another build).
CHROMIUM = "/usr/bin/chromium"
#: Headless flags: no sandbox (CI containers run as root), and none of Chromium's own background traffic.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]


def launch_args(base: dict[str, Any], browser_name: str | None, executable: str) -> dict[str, Any]:
    """pytest-playwright's launch arguments ``base`` plus ``executable_path`` and :data:`CHROMIUM_ARGS`;
    ``pytest.UsageError`` for another engine, a browser channel or a missing executable."""
    if browser_name not in (None, "chromium"):
        raise pytest.UsageError(f"the Clerk testing kit runs Chromium only (got --browser {browser_name})")
    if base.get("channel"):
        raise pytest.UsageError("--browser-channel is not used with the Clerk testing kit: it launches "
                                "Debian's Chromium by path (see --clerk-chromium)")
    if not os.path.exists(executable):
        raise pytest.UsageError(f"Chromium not found at {executable}: install Debian's package (apt-get install "
                                f"chromium) or pass --clerk-chromium PATH")
    return {**base, "executable_path": executable, "args": [*CHROMIUM_ARGS, *base.get("args", [])]}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any], browser_name: str | None,
                             pytestconfig: pytest.Config) -> dict[str, Any]:
    """pytest-playwright's launch arguments with Debian's Chromium (``--clerk-chromium``, the
    ``clerk_chromium`` ini value, else :data:`CHROMIUM`)."""
    executable = pytestconfig.getoption("clerk_chromium") or pytestconfig.getini("clerk_chromium") or CHROMIUM
    return launch_args(browser_type_launch_args, browser_name, executable)
