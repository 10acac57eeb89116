"""pytest-playwright's browser is Debian's Chromium, launched by path.

The kit's plugin registers this module after pytest-playwright (in ``pytest_configure``), so its
``browser_type_launch_args`` overrides pytest-playwright's and builds on it: the kit never downloads a
browser, and ``--browser-channel`` or another engine is refused with a clear message."""

from __future__ import annotations

import os
from typing import Any

import pytest

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "browser_type_launch_args"]

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


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any], browser_name: str | None,
                             pytestconfig: pytest.Config) -> dict[str, Any]:
    """pytest-playwright's launch arguments plus ``executable_path`` (Debian's Chromium) and
    :data:`CHROMIUM_ARGS`."""
    if browser_name not in (None, "chromium"):
        raise pytest.UsageError(f"the Clerk testing kit runs Chromium only (got --browser {browser_name})")
    if browser_type_launch_args.get("channel"):
        raise pytest.UsageError("--browser-channel is not used with the Clerk testing kit: it launches "
                                "Debian's Chromium by path (see --clerk-chromium)")
    path = pytestconfig.getoption("clerk_chromium") or pytestconfig.getini("clerk_chromium") or CHROMIUM
    if not os.path.exists(path):
        raise pytest.UsageError(f"Chromium not found at {path}: install Debian's package (apt-get install "
                                f"chromium) or pass --clerk-chromium PATH")
    args = [*CHROMIUM_ARGS, *browser_type_launch_args.get("args", [])]
    return {**browser_type_launch_args, "executable_path": path, "args": args}
