"""Fixtures for the local Clerk instance's own tests: one emulator per session, fresh browsers per test."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from clerk_emulator.kit import LocalProcess
from emu_support import ALLOWED_ORIGIN, Bapi, Fapi, email_of


@pytest.fixture(scope="session")
def emu(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalProcess]:
    with LocalProcess(tmp_path_factory.mktemp("clerk-emu"), seed=True,
                      extra_args=["--allowed-origin", ALLOWED_ORIGIN]) as proc:
        yield proc


@pytest.fixture(scope="session")
def bapi(emu: LocalProcess) -> Iterator[Bapi]:
    b = Bapi(emu)
    yield b
    b.http.close()


@pytest.fixture
def fapi(emu: LocalProcess) -> Iterator[Fapi]:
    f = Fapi(emu)
    yield f
    f.close()


@pytest.fixture
def user(bapi: Bapi) -> dict[str, Any]:
    return bapi.create_user()


@pytest.fixture
def me(fapi: Fapi, user: dict[str, Any]) -> Fapi:
    """A browser signed in as ``user``."""
    fapi.sign_in(email_of(user))
    return fapi


@pytest.fixture(scope="session")
def node_modules() -> Path:
    """The npm packages the Node clients need (@clerk/backend, clerk-js), installed once by build/npm_deps.py."""
    if shutil.which("node") is None:
        pytest.fail("node (Node.js 20) is required for the tests driving Clerk's JavaScript clients")
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "build"))
    try:
        import npm_deps
    finally:
        sys.path.pop(0)
    return Path(npm_deps.ensure())


@pytest.fixture
def settings(emu: LocalProcess) -> Iterator[Callable[[dict[str, Any]], dict[str, Any]]]:
    """PATCH the instance settings for one test (answers the merged settings); settings and clock are reset
    afterwards."""

    def patch(changes: dict[str, Any]) -> dict[str, Any]:
        r = httpx.patch(emu.fapi_url + "/__emulator/settings", json=changes)
        assert r.status_code == 200, r.text
        return dict(r.json())

    yield patch
    assert httpx.delete(emu.fapi_url + "/__emulator/settings").status_code == 200
    assert httpx.delete(emu.fapi_url + "/__emulator/clock").status_code == 200
