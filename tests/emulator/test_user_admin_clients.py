"""Clerk's own backend clients, unchanged, through the Backend API's user administration against the local Clerk
instance: @clerk/backend 3.25.0 (Node; ``users.verifyPassword``, ``verifyTOTP``, ``lockUser``, ``unlockUser``,
``banUser``, ``unbanUser``, ``deleteUserBackupCodes``, ``deleteUserTOTP``, ``disableUserMFA``,
``deleteUserPasskey``, ``deleteUserExternalAccount``, ``removePassword``) and clerk-backend-api 7.0.0 (Python; the
same operations), with the Frontend API checked between the steps."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from clerk_emulator.kit import LocalProcess
from emu_support import PASSWORD, Bapi, Fapi, Reply, email_of
from test_instance_factors import enable_totp, register_passkey, unused_step_code
from test_instance_redirect_flows import CALLBACK, provider

pytestmark = [pytest.mark.emulator, pytest.mark.realclient]

NODE_DIR = Path(__file__).resolve().parent / "node"


def equipped_user(emu: LocalProcess, bapi: Bapi) -> tuple[Fapi, dict[str, Any]]:
    """A signed-in user with a GitHub account, a passkey and TOTP with backup codes; what the clients need."""
    user = bapi.create_user()
    me = Fapi(emu)
    me.sign_in(email_of(user))
    r = me.call("POST", "/v1/me/external_accounts", {"strategy": "oauth_github", "redirect_url": CALLBACK})
    assert r.status == 200, r
    provider(me, r.response["verification"]["external_verification_redirect_url"], "octo-" + email_of(user))
    _authenticator, passkey = register_passkey(me, emu)
    secret, codes = enable_totp(me)
    return me, {"userId": user["id"], "email": email_of(user), "password": PASSWORD,
                "totpCode": unused_step_code(secret), "backupCode": codes[0], "passkeyId": passkey["id"],
                "accountId": r.response["id"]}


def sign_in(emu: LocalProcess, email: str, form: dict[str, str] | None = None) -> Reply:
    device = Fapi(emu)
    try:
        return device.call("POST", "/v1/client/sign_ins", {"identifier": email, **(form or {"password": PASSWORD})})
    finally:
        device.close()


def code_sign_in(emu: LocalProcess, email: str) -> str:
    """Sign in with an email code (424242 for test addresses); the attempt's final status."""
    device = Fapi(emu)
    si = device.call("POST", "/v1/client/sign_ins", {"identifier": email, "strategy": "email_code"}).response
    r = device.call("POST", f"/v1/client/sign_ins/{si['id']}/attempt_first_factor",
                    {"strategy": "email_code", "code": "424242"})
    device.close()
    assert r.status == 200, r
    return str(r.response["status"])


def refused(reply: Reply, status: int) -> str:
    assert reply.status == status, reply
    return str(reply.error()["code"])


def test_clerk_backend_node_user_admin(emu: LocalProcess, bapi: Bapi, node_modules: Path) -> None:
    me, state = equipped_user(emu, bapi)

    def phase(name: str) -> dict[str, Any]:
        env = {**os.environ, "CLERK_NODE_MODULES": str(node_modules), "CLERK_API_URL": emu.fapi_url + "/bapi",
               "CLERK_SECRET_KEY": emu.secret_key, "PHASE": name, "STATE": json.dumps(state)}
        proc = subprocess.run(["node", str(NODE_DIR / "user_admin_client.mjs")], env=env, capture_output=True,
                              text=True, timeout=120)
        assert proc.returncode == 0, f"phase {name}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
        return dict(json.loads(proc.stdout.strip().splitlines()[-1]))

    results = phase("verify_and_lock")
    assert results["verifyPassword"] == {"verified": True}
    assert results["wrongPassword"] == {"status": 422, "code": "incorrect_password"}
    assert results["verifyTotp"] == {"verified": True, "code_type": "totp"}
    assert results["verifyBackupCode"] == {"verified": True, "code_type": "backup_code"}
    assert results["spentBackupCode"] == {"status": 422, "code": "totp_incorrect_code"}
    assert results["locked"][0] is True and 3590 < results["locked"][1] <= 3600
    assert refused(sign_in(emu, state["email"]), 403) == "user_locked"

    results = phase("unlock_and_ban")
    assert results == {"unlocked": [False, None, 100], "banned": True}
    assert refused(me.call("POST", f"/v1/client/sessions/{me.session_id}/tokens"), 401) == "signed_out"
    assert refused(sign_in(emu, state["email"]), 403) == "user_banned"

    results = phase("unban_and_remove")
    mfa_gone = {"user_id": state["userId"]}
    assert results == {
        "unbanned": False, "deleteUserBackupCodes": mfa_gone, "deleteUserTOTP": mfa_gone, "disableUserMFA": mfa_gone,
        "deleteUserPasskey": ["passkey", state["passkeyId"], True],
        "deleteUserExternalAccount": ["external_account", state["accountId"], True],
        "removePassword": [False, False, 0, 0],
        "noPassword": {"status": 400, "code": "no_password_set"},
        "noTotp": {"status": 400, "code": "totp_disabled"},
        "missingUser": {"status": 404, "code": "resource_not_found"},
    }
    # No password to sign in with; an email code signs in at once (no second factor any more).
    assert refused(sign_in(emu, state["email"]), 400) == "strategy_for_user_invalid"
    assert code_sign_in(emu, state["email"]) == "complete"
    me.close()


@pytest.mark.filterwarnings("ignore::DeprecationWarning:clerk_backend_api")
def test_clerk_backend_api_python_user_admin(emu: LocalProcess, bapi: Bapi) -> None:
    from clerk_backend_api import Clerk
    from clerk_backend_api.models import SDKError

    me, state = equipped_user(emu, bapi)
    user_id = state["userId"]
    with Clerk(bearer_auth=emu.secret_key, server_url=emu.bapi_url) as clerk:
        assert clerk.users.verify_password(user_id=user_id, password=PASSWORD).verified is True
        with pytest.raises(SDKError) as excinfo:
            clerk.users.verify_password(user_id=user_id, password="not-it-at-all")
        assert excinfo.value.status_code == 422 and "incorrect_password" in excinfo.value.body
        checked = clerk.users.verify_totp(user_id=user_id, code=state["totpCode"])
        assert (checked.verified, checked.code_type) == (True, "totp")
        checked = clerk.users.verify_totp(user_id=user_id, code=state["backupCode"])
        assert (checked.verified, checked.code_type) == (True, "backup_code")

        locked = clerk.users.lock(user_id=user_id)
        assert locked.locked is True and locked.lockout_expires_in_seconds
        assert refused(sign_in(emu, state["email"]), 403) == "user_locked"
        unlocked = clerk.users.unlock(user_id=user_id)
        assert (unlocked.locked, unlocked.lockout_expires_in_seconds) == (False, None)

        assert clerk.users.ban(user_id=user_id).banned is True
        assert refused(me.call("POST", f"/v1/client/sessions/{me.session_id}/tokens"), 401) == "signed_out"
        assert refused(sign_in(emu, state["email"]), 403) == "user_banned"
        assert clerk.users.unban(user_id=user_id).banned is False

        assert clerk.users.delete_backup_codes(user_id=user_id).user_id == user_id
        assert clerk.users.delete_totp(user_id=user_id).user_id == user_id
        assert clerk.users.disable_mfa(user_id=user_id).user_id == user_id
        deleted = clerk.users.delete_passkey(user_id=user_id, passkey_identification_id=state["passkeyId"])
        assert (deleted.object, deleted.id, deleted.deleted) == ("passkey", state["passkeyId"], True)
        deleted = clerk.users.delete_external_account(user_id=user_id, external_account_id=state["accountId"])
        assert (deleted.object, deleted.id, deleted.deleted) == ("external_account", state["accountId"], True)
        user = clerk.users.remove_password(user_id=user_id, sign_out_of_other_sessions=True)
        assert (user.password_enabled, user.two_factor_enabled, user.passkeys, user.external_accounts) == (
            False, False, [], [])

        with pytest.raises(SDKError) as excinfo:
            clerk.users.verify_totp(user_id=user_id, code="123456")
        assert excinfo.value.status_code == 400 and "totp_disabled" in excinfo.value.body
        with pytest.raises(SDKError) as excinfo:
            clerk.users.lock(user_id="user_doesnotexist")
        assert excinfo.value.status_code == 404
    assert refused(sign_in(emu, state["email"]), 400) == "strategy_for_user_invalid"
    assert code_sign_in(emu, state["email"]) == "complete"
    me.close()
