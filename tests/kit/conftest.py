"""The testing kit's tests: the pytest plugin of ``clerk-emulator`` run by ``pytester`` in throwaway user
projects (each a separate pytest process, as in a user's own repository), plus the kit's classes used
directly. Every test here carries the ``kit`` marker; those that drive Chromium also ``browser``.

After every project run the tests check that nothing was left behind: no running instance process (its pid
is recorded by the project's conftest) and nothing in the run's temporary folder (``TMPDIR`` points at a
folder of the test's own: the kit's data folders and Chromium's profiles are made there).
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from kit_support import RECORDING_CONFTEST, Project, alive


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.kit)


@pytest.fixture
def project(pytester: pytest.Pytester, tmp_path_factory: pytest.TempPathFactory,
            monkeypatch: pytest.MonkeyPatch) -> Iterator[Project]:
    """A throwaway project with the recording conftest; its runs get a TMPDIR of their own."""
    tmpdir = tmp_path_factory.mktemp("kit-tmpdir")
    monkeypatch.setenv("TMPDIR", str(tmpdir))
    for name in ("CLERK_PUBLISHABLE_KEY", "CLERK_SECRET_KEY", "CLERK_API_URL", "PYTEST_ADDOPTS"):
        monkeypatch.delenv(name, raising=False)
    pytester.makeconftest(RECORDING_CONFTEST)
    yield Project(pytester, tmpdir)
    # Whatever a test did, no instance it recorded may outlive it.
    for record in Project(pytester, tmpdir).instances():
        pid = record.get("pid")
        if isinstance(pid, int) and alive(pid):
            os.kill(pid, signal.SIGKILL)
