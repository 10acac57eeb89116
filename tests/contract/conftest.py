"""Contract layer: the SDK over real HTTP (CPython, httpx) against the local Clerk instance.

One emulator per session; every test gets a fresh, cookie-less ``Clerk`` (its own dev-browser client)
and, when it needs one, a user of its own created through the Backend API. Requests are recorded with
the unit layer's vocabulary (``assert_requested``).
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Iterator
from pathlib import Path

import pytest
from bapi_client import Backend
from contract_support import Harness
from emulator_proc import EmulatorProcess


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
def emu(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmulatorProcess]:
    with EmulatorProcess(tmp_path_factory.mktemp("clerk-contract")) as proc:
        yield proc


@pytest.fixture
def backend(emu: EmulatorProcess) -> Iterator[Backend]:
    api = Backend(emu)
    yield api
    api.http.close()


@pytest.fixture
def harness(emu: EmulatorProcess) -> Harness:
    return Harness(emu)
