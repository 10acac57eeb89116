"""End to end: a sample project using pre-2026-05-12 calls fails against the local Clerk instance; after
``clerk-upgrade --write`` it runs and stores what the old semantics stored.

The old semantics are not written down here: a twin user and organization get the same old calls as raw HTTP
with an older API version (2025-11-10), which the local Clerk instance still serves the old way, and both
end states are compared through the Backend API.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from bapi_client import PASSWORD, Backend
from clerk_emulator.kit import LocalProcess

SAMPLE = Path(__file__).with_name("sample_project")
OLD_VERSION = "2025-11-10"
INITIAL_PUBLIC = {"plan": "free", "prefs": {"emails": "weekly"}, "keep": True}
INITIAL_PRIVATE = {"old_secret": 1, "stripe": "cus_1"}
INITIAL_UNSAFE = {"lang": "en", "theme": "light"}


@pytest.fixture(scope="module")
def emu(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalProcess]:
    with LocalProcess(tmp_path_factory.mktemp("clerk-upgrade-e2e")) as proc:
        yield proc


def _old(emu: LocalProcess, path: str, body: dict[str, Any]) -> None:
    """The pre-2026-05-12 request, sent with an older API version."""
    response = httpx.patch(emu.bapi_url + path, json=body, timeout=10,
                           headers={"Authorization": f"Bearer {emu.secret_key}", "Clerk-API-Version": OLD_VERSION})
    assert response.status_code == 200, response.text


def _run(script: Path, emu: LocalProcess, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "CLERK_SECRET_KEY": emu.secret_key, "CLERK_BAPI_URL": emu.bapi_url,
                   "CLERK_PUBLISHABLE_KEY": emu.publishable_key, **env}
    return subprocess.run([sys.executable, str(script), *args], capture_output=True, text=True, timeout=120,
                          env=environment, cwd=script.parent)


def _twins(backend: Backend, prefix: str) -> tuple[tuple[str, str], tuple[str, str]]:
    return tuple(backend.new_user(prefix, public_metadata=INITIAL_PUBLIC, private_metadata=INITIAL_PRIVATE,
                                  unsafe_metadata=INITIAL_UNSAFE) for _ in range(2))  # type: ignore[return-value]


def test_sample_project_fails_then_upgrades_to_the_old_result(emu: LocalProcess, tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    for name in ("backend_job", "frontend_app"):
        shutil.copy(SAMPLE / f"{name}.txt", project / f"{name}.py")
    backend = Backend(emu)
    try:
        (_, new_user), (_, old_user) = _twins(backend, "job")
        (email, app_user), (_, old_app_user) = _twins(backend, "app")
        orgs = [backend.call("POST", "/organizations", {"name": "Acme", "public_metadata": {"tier": "silver",
                                                                                              "region": "eu"},
                                                         "private_metadata": {"seats": 1, "po": "42"}})["id"]
                for _ in range(2)]

        # Before: clerk-backend-api 7.0.0 has no metadata arguments on update(); the SDK refuses them.
        failed = _run(project / "backend_job.py", emu, new_user, orgs[0])
        assert failed.returncode != 0
        assert "TypeError" in failed.stderr and "public_metadata" in failed.stderr
        refused = _run(project / "frontend_app.py", emu, EMAIL=email, PASSWORD=PASSWORD)
        assert refused.returncode != 0 and "MetadataRefusedError" in refused.stderr
        assert backend.user(new_user)["public_metadata"] == INITIAL_PUBLIC  # nothing was half-written
        assert backend.user(app_user)["unsafe_metadata"] == INITIAL_UNSAFE

        upgraded = subprocess.run([str(Path(sys.executable).with_name("clerk-upgrade")), "--write", "."],
                                  cwd=project, capture_output=True, text=True, timeout=120)
        assert upgraded.returncode == 0, upgraded.stdout + upgraded.stderr
        assert "5 fixed in 2 files" in upgraded.stdout

        done = _run(project / "backend_job.py", emu, new_user, orgs[0])
        assert done.returncode == 0, done.stderr
        ran = _run(project / "frontend_app.py", emu, EMAIL=email, PASSWORD=PASSWORD)
        assert ran.returncode == 0, ran.stderr

        # The same calls with the old semantics, on the twins.
        _old(emu, f"/users/{old_user}", {"first_name": "Ada", "public_metadata": {**INITIAL_PUBLIC, "plan": "pro"},
                                          "private_metadata": {"stripe": "cus_42"}})
        _old(emu, f"/organizations/{orgs[1]}", {"name": "Acme Pro",
                                                "public_metadata": {"tier": "gold", "region": "eu"}})
        _old(emu, f"/organizations/{orgs[1]}", {"private_metadata": {"seats": 5}})
        _old(emu, f"/users/{old_app_user}", {"first_name": "Grace",
                                              "unsafe_metadata": {**INITIAL_UNSAFE, "theme": "dark"}})
        _old(emu, f"/users/{old_app_user}", {"unsafe_metadata": {"onboarded": True, "theme": "dark"}})

        fields = ("first_name", "public_metadata", "private_metadata", "unsafe_metadata")
        for new, old in ((new_user, old_user), (app_user, old_app_user)):
            new_state, old_state = backend.user(new), backend.user(old)
            assert {k: new_state[k] for k in fields} == {k: old_state[k] for k in fields}
        assert backend.user(new_user)["private_metadata"] == {"stripe": "cus_42"}  # replaced whole, as before
        assert backend.user(app_user)["unsafe_metadata"] == {"onboarded": True, "theme": "dark"}
        new_org, old_org = (backend.call("GET", f"/organizations/{org}") for org in orgs)
        for key in ("name", "public_metadata", "private_metadata"):
            assert new_org[key] == old_org[key], key
        assert new_org["public_metadata"] == {"tier": "gold", "region": "eu"}
    finally:
        backend.close()
