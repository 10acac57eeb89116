"""Contract layer: the SDK over real HTTP (CPython, httpx) against the local Clerk instance.

One local Clerk instance per session (the testing kit's ``clerk_instance``); every test gets a fresh,
cookie-less ``Clerk`` (its own dev-browser client) and, when it needs one, a user of its own created through
the Backend API. Requests are recorded with the unit layer's vocabulary (``assert_requested``).
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Iterator
from pathlib import Path

import pytest
from bapi_client import Backend
from clerk_emulator.kit import ClerkInstance
from contract_support import Harness


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.contract)


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run ``async def`` contract tests on a real asyncio loop (they do real I/O)."""
    if Path(__file__).parent not in Path(str(pyfuncitem.fspath)).parents:
        return None
    func = pyfuncitem.obj
    if not inspect.iscoroutinefunction(func):
        return None
    kwargs = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
    asyncio.run(func(**kwargs))
    return True


@pytest.fixture(scope="session")
def emu(clerk_instance: ClerkInstance) -> ClerkInstance:
    """The session's local Clerk instance: the testing kit's ``clerk_instance`` (docs/testing.md), started once
    on a free port in a temporary folder; the helpers read its ``fapi_url``, ``bapi_url``, ``publishable_key``
    and ``secret_key``."""
    return clerk_instance


@pytest.fixture
def backend(emu: ClerkInstance) -> Iterator[Backend]:
    api = Backend(emu)
    yield api
    api.http.close()


@pytest.fixture
def harness(emu: ClerkInstance) -> Harness:
    return Harness(emu)
