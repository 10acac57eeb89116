"""Unit-layer plumbing shared by CPython and Pyodide.

Async tests run on a small pure-Python event loop, so the same test files work
under CPython and inside Pyodide, where the browser's loop cannot be driven
synchronously by pytest. Unit tests never touch the network: the loop has no
selector, and simply sleeps until the next timer is due.
"""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Coroutine
from typing import Any

import pytest


class _SleepSelector:
    """Stands in for a selector: no file descriptors, only timers."""

    def select(self, timeout: float | None) -> list[Any]:
        if timeout is None:
            raise RuntimeError("unit-test event loop would block forever: nothing is scheduled")
        if timeout > 0:
            time.sleep(timeout)
        return []

    def close(self) -> None:
        pass


class UnitLoop(asyncio.BaseEventLoop):
    """A deterministic event loop without I/O, portable to Pyodide."""

    def __init__(self) -> None:
        super().__init__()
        self._selector = _SleepSelector()

    def _process_events(self, event_list: list[Any]) -> None:
        pass

    def _write_to_self(self) -> None:
        pass


def run(coro: Coroutine[Any, Any, Any]) -> Any:
    """Run a coroutine to completion on a fresh :class:`UnitLoop`."""
    # Pyodide marks its browser loop as always running; step aside for the test.
    outer = asyncio.events._get_running_loop()
    asyncio.events._set_running_loop(None)
    loop = UnitLoop()
    try:
        return loop.run_until_complete(coro)
    finally:
        loop.close()
        asyncio.events._set_running_loop(outer)


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run ``async def`` tests on the unit loop (no plugin needed in Pyodide)."""
    func = pyfuncitem.obj
    if not inspect.iscoroutinefunction(func):
        return None
    argnames = pyfuncitem._fixtureinfo.argnames
    kwargs = {name: pyfuncitem.funcargs[name] for name in argnames}
    run(func(**kwargs))
    return True
