"""Clerk's official backend clients, unchanged, against the local Clerk instance."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from clerk_emulator.kit import LocalProcess
from emu_support import Bapi, Fapi, email_of

pytestmark = [pytest.mark.emulator, pytest.mark.realclient]

NODE_DIR = Path(__file__).resolve().parent / "node"


def test_clerk_backend_node(emu: LocalProcess, bapi: Bapi, node_modules: Path) -> None:
    user = bapi.create_user()
    browser = Fapi(emu)
    browser.sign_in(email_of(user))
    jwt = browser.call("POST", f"/v1/client/sessions/{browser.session_id}/tokens").json["jwt"]
    browser.close()
    env = {**os.environ, "CLERK_NODE_MODULES": str(node_modules), "CLERK_API_URL": emu.fapi_url + "/bapi",
           "CLERK_SECRET_KEY": emu.secret_key, "SESSION_JWT": jwt}
    proc = subprocess.run(["node", str(NODE_DIR / "backend_client.mjs")], env=env, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
    results: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    assert results["updateUserMetadata"] == {"a": {"x": 1, "z": 3}, "tags": [1, 2]}
    assert results["replaceUserMetadata"] == {"b": 1}
    assert results["updateOrganizationMetadata"] == {"tier": "gold", "nested": {"b": 2, "c": 3}}
    assert results["replaceOrganizationMetadata"] == {"only": 1}
    assert results["notFound"] == "resource_not_found"
    assert results["wrongKey"] == "clerk_key_invalid"
    assert results["verifyToken"] == user["id"]


@pytest.mark.filterwarnings("ignore::DeprecationWarning:clerk_backend_api")
def test_clerk_backend_api_python(emu: LocalProcess) -> None:
    from clerk_backend_api import Clerk
    from clerk_backend_api.models import ClerkErrors

    with Clerk(bearer_auth=emu.secret_key, server_url=emu.bapi_url) as clerk:
        user = clerk.users.create(email_address=["py-sdk+clerk_test@example.com"], password="py-password-123",
                                  first_name="Py", unsafe_metadata={"a": {"x": 1, "y": 2}, "tags": [1, 2]},
                                  public_metadata={"plan": "free"})
        assert user.first_name == "Py"
        got = clerk.users.get(user_id=user.id)
        assert got.id == user.id and got.email_addresses[0].email_address == "py-sdk+clerk_test@example.com"
        merged = clerk.users.update_metadata(user_id=user.id, unsafe_metadata={"a": {"y": None, "z": 3}},
                                             private_metadata={"k": {"v": 1}})
        assert merged.unsafe_metadata == {"a": {"x": 1, "z": 3}, "tags": [1, 2]}
        assert merged.private_metadata == {"k": {"v": 1}}
        assert merged.public_metadata == {"plan": "free"}
        replaced = clerk.users.replace_metadata(user_id=user.id, unsafe_metadata={"b": 1}, public_metadata={})
        assert replaced.unsafe_metadata == {"b": 1}
        assert replaced.public_metadata == {}
        assert replaced.private_metadata == {"k": {"v": 1}}
        listed = clerk.users.list(request={"user_id": [user.id]})
        assert [u.id for u in listed] == [user.id]
        with pytest.raises(ClerkErrors) as excinfo:
            clerk.users.update_metadata(user_id=user.id, unsafe_metadata={"big": "x" * 9000})
        assert excinfo.value.data.errors[0].code == "form_param_exceeds_allowed_size"
        clerk.users.delete(user_id=user.id)
