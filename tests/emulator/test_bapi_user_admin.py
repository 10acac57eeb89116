"""The Backend API's user administration over raw HTTP, every response checked against Clerk's OpenAPI file, and
its effects on the Frontend API: ban/unban (sessions revoked, sign-in refused with ``user_banned``), lock/unlock
(``user_locked`` until unlocked or expired), password and TOTP/backup-code checks, and removing a password, second
factors, passkeys and external accounts. Bad input on every route is a Clerk-shaped 4xx."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from clerk_emulator.kit import LocalProcess
from emu_support import PASSWORD, Bapi, Fapi, Reply, email_of
from test_instance_factors import PHONE_SETTINGS, enable_totp, register_passkey, totp, unused_step_code
from test_instance_redirect_flows import CALLBACK, DONE, provider, start_sign_in

pytestmark = pytest.mark.emulator


def error(reply: Reply, status: int) -> str:
    assert reply.status == status, reply
    return str(reply.error()["code"])


def fetch(bapi: Bapi, user: dict[str, Any]) -> dict[str, Any]:
    r = bapi.call("GET", f"/users/{user['id']}")
    assert r.status == 200, r
    return dict(r.json)


def sign_in_reply(emu: LocalProcess, identifier: str, password: str = PASSWORD) -> Reply:
    device = Fapi(emu)
    try:
        return device.call("POST", "/v1/client/sign_ins", {"identifier": identifier, "password": password})
    finally:
        device.close()


def session_statuses(bapi: Bapi, user: dict[str, Any]) -> list[str]:
    r = bapi.call("GET", "/sessions", params={"user_id": user["id"]})
    assert r.status == 200, r
    return [s["status"] for s in r.json]


def outbox(emu: LocalProcess, to: str, kind: str) -> list[dict[str, Any]]:
    r = httpx.get(emu.fapi_url + "/__emulator/outbox", params={"to": to, "kind": kind})
    assert r.status_code == 200
    return list(r.json()["data"])


# --- ban ----------------------------------------------------------------------------------------------------------
def test_ban_revokes_sessions_and_refuses_every_sign_in(emu: LocalProcess, bapi: Bapi, me: Fapi,
                                                        user: dict[str, Any]) -> None:
    ticket = bapi.call("POST", "/sign_in_tokens", {"user_id": user["id"]}).json["token"]
    assert me.call("POST", f"/v1/client/sessions/{me.session_id}/tokens").status == 200
    r = bapi.call("POST", f"/users/{user['id']}/ban")
    assert r.status == 200, r
    assert r.json["banned"] is True and r.json["id"] == user["id"]
    assert session_statuses(bapi, user) == ["revoked"]
    # The signed-in browser lost its session: no client session, no token.
    assert me.call("GET", "/v1/client").response["sessions"] == []
    assert error(me.call("POST", f"/v1/client/sessions/{me.session_id}/tokens"), 401) == "signed_out"
    # Every way in is refused: password, a code, a sign-in token, a BAPI testing session.
    banned = sign_in_reply(emu, email_of(user))
    assert error(banned, 403) == "user_banned"
    assert banned.error()["long_message"] == ("You have been banned. If you think this was by mistake, please "
                                              "contact support.")
    device = Fapi(emu)
    si = device.call("POST", "/v1/client/sign_ins", {"identifier": email_of(user)}).response
    assert error(device.call("POST", f"/v1/client/sign_ins/{si['id']}/prepare_first_factor",
                             {"strategy": "email_code"}), 403) == "user_banned"
    assert error(device.call("POST", "/v1/client/sign_ins", {"strategy": "ticket", "ticket": ticket}),
                 403) == "user_banned"
    assert error(bapi.call("POST", "/sessions", {"user_id": user["id"]}), 403) == "user_banned"
    assert fetch(bapi, user)["banned"] is True
    # Unbanned: signing in works again, even with the ticket the refusal did not spend.
    r = bapi.call("POST", f"/users/{user['id']}/unban")
    assert r.status == 200 and r.json["banned"] is False, r
    r = device.call("POST", "/v1/client/sign_ins", {"strategy": "ticket", "ticket": ticket})
    assert r.status == 200 and r.response["status"] == "complete", r
    assert session_statuses(bapi, user) == ["active", "revoked"]
    device.close()


def test_banned_or_locked_user_on_an_oauth_sign_in(emu: LocalProcess, bapi: Bapi, fapi: Fapi,
                                                   user: dict[str, Any], settings: Any) -> None:
    # Link Google once, then sign out.
    assert provider(fapi, start_sign_in(fapi), email_of(user)) == DONE
    fapi.call("DELETE", "/v1/client/sessions")
    assert bapi.call("POST", f"/users/{user['id']}/ban").status == 200
    assert provider(fapi, start_sign_in(fapi), email_of(user)) == CALLBACK  # back to the app, not signed in
    si = fapi.call("GET", "/v1/client").response["sign_in"]
    assert si["status"] == "needs_identifier" and si["created_session_id"] is None
    assert si["first_factor_verification"]["status"] == "failed"
    assert si["first_factor_verification"]["error"]["code"] == "user_banned"
    bapi.call("POST", f"/users/{user['id']}/unban")
    settings({"attack_protection": {"user_lockout": {"duration_in_minutes": 30}}})
    assert bapi.call("POST", f"/users/{user['id']}/lock").status == 200
    assert provider(fapi, start_sign_in(fapi), email_of(user)) == CALLBACK
    failed = fapi.call("GET", "/v1/client").response["sign_in"]["first_factor_verification"]
    assert failed["error"]["code"] == "user_locked"
    assert 1790 < failed["error"]["meta"]["lockout_expires_in_seconds"] <= 1800
    bapi.call("POST", f"/users/{user['id']}/unlock")
    assert provider(fapi, start_sign_in(fapi), email_of(user)) == DONE


def test_created_banned_or_locked(emu: LocalProcess, bapi: Bapi, settings: Any) -> None:
    banned = bapi.create_user(banned=True)
    assert banned["banned"] is True and banned["locked"] is False
    assert error(sign_in_reply(emu, email_of(banned)), 403) == "user_banned"
    locked = bapi.create_user(locked=True)
    assert locked["locked"] is True and locked["lockout_expires_in_seconds"] == 3600
    assert error(sign_in_reply(emu, email_of(locked)), 403) == "user_locked"
    for field, value in (("banned", "yes"), ("locked", 1)):
        r = bapi.call("POST", "/users", {"email_address": ["typed+clerk_test@example.com"], field: value})
        assert error(r, 422) == "form_param_value_invalid" and r.error()["meta"]["param_name"] == field
    settings({"attack_protection": {"user_lockout": {"enabled": False}}})
    r = bapi.call("POST", "/users", {"email_address": ["nolock+clerk_test@example.com"], "locked": True})
    assert error(r, 403) == "feature_not_enabled"
    assert bapi.call("GET", "/users", params={"email_address": "nolock+clerk_test@example.com"}).json == []


# --- lock ---------------------------------------------------------------------------------------------------------
def test_lock_and_unlock(emu: LocalProcess, bapi: Bapi, me: Fapi, user: dict[str, Any], settings: Any) -> None:
    settings({"attack_protection": {"user_lockout": {"max_attempts": 5, "duration_in_minutes": 10}}})
    for _ in range(2):
        assert error(sign_in_reply(emu, email_of(user), "wrong-password"), 422) == "form_password_incorrect"
    assert fetch(bapi, user)["verification_attempts_remaining"] == 3
    r = bapi.call("POST", f"/users/{user['id']}/lock")
    assert r.status == 200, r
    assert r.json["locked"] is True and 595 <= r.json["lockout_expires_in_seconds"] <= 600
    assert r.json["verification_attempts_remaining"] == 3  # an explicit lock keeps the count
    refused = sign_in_reply(emu, email_of(user))
    assert error(refused, 403) == "user_locked"
    assert refused.error()["meta"]["lockout_expires_in_seconds"] > 590 and "10 minutes" in \
        refused.error()["long_message"]
    # A lock stops signing in; the session already open stays.
    assert session_statuses(bapi, user) == ["active"]
    assert me.call("POST", f"/v1/client/sessions/{me.session_id}/tokens").status == 200
    r = bapi.call("POST", f"/users/{user['id']}/unlock")
    assert r.status == 200, r
    assert (r.json["locked"], r.json["lockout_expires_in_seconds"], r.json["verification_attempts_remaining"]) == (
        False, None, 5)
    assert sign_in_reply(emu, email_of(user)).response["status"] == "complete"
    # Locked again, the lock ends by itself after duration_in_minutes.
    bapi.call("POST", f"/users/{user['id']}/lock")
    assert error(sign_in_reply(emu, email_of(user)), 403) == "user_locked"
    assert httpx.post(emu.fapi_url + "/__emulator/clock", json={"advance_seconds": 601}).status_code == 200
    assert fetch(bapi, user)["locked"] is False
    assert sign_in_reply(emu, email_of(user)).response["status"] == "complete"
    # With lockout off there is nothing to lock with.
    settings({"attack_protection": {"user_lockout": {"enabled": False}}})
    assert error(bapi.call("POST", f"/users/{user['id']}/lock"), 403) == "feature_not_enabled"
    assert fetch(bapi, user)["verification_attempts_remaining"] is None


# --- verify_password, verify_totp -----------------------------------------------------------------------------
def test_verify_password(bapi: Bapi, user: dict[str, Any]) -> None:
    path = f"/users/{user['id']}/verify_password"
    before = fetch(bapi, user)["verification_attempts_remaining"]
    r = bapi.call("POST", path, {"password": PASSWORD})
    assert r.status == 200 and r.json == {"verified": True}, r
    wrong = bapi.call("POST", path, {"password": "not-the-password"})
    assert error(wrong, 422) == "incorrect_password"
    assert wrong.error()["long_message"] == "The provided password is not the one the user has set"
    assert fetch(bapi, user)["verification_attempts_remaining"] == before  # the server's check is not an attempt
    assert error(bapi.call("POST", path, {}), 422) == "form_param_missing"
    assert error(bapi.call("POST", path, {"password": 12345678}), 422) == "form_param_value_invalid"
    assert error(bapi.call("POST", path, {"password": PASSWORD, "extra": 1}), 422) == "form_param_unknown"
    passwordless = bapi.call("POST", "/users", {"email_address": ["nopass+clerk_test@example.com"],
                                                "skip_password_requirement": True}).json
    assert error(bapi.call("POST", f"/users/{passwordless['id']}/verify_password", {"password": PASSWORD}),
                 400) == "no_password_set"


def test_verify_totp_and_backup_codes(bapi: Bapi, me: Fapi, user: dict[str, Any]) -> None:
    path = f"/users/{user['id']}/verify_totp"
    assert error(bapi.call("POST", path, {"code": "123456"}), 400) == "totp_disabled"
    secret, codes = enable_totp(me)
    code = unused_step_code(secret)
    r = bapi.call("POST", path, {"code": code})
    assert r.status == 200 and r.json == {"verified": True, "code_type": "totp"}, r
    assert error(bapi.call("POST", path, {"code": code}), 422) == "totp_incorrect_code"  # a step is used once
    wrong = "000000" if totp(secret) != "000000" else "111111"
    assert error(bapi.call("POST", path, {"code": wrong}), 422) == "totp_incorrect_code"
    r = bapi.call("POST", path, {"code": codes[0]})
    assert r.status == 200 and r.json == {"verified": True, "code_type": "backup_code"}, r
    assert error(bapi.call("POST", path, {"code": codes[0]}), 422) == "totp_incorrect_code"  # spent
    assert error(bapi.call("POST", path, {"code": "abc"}), 422) == "totp_incorrect_code"  # not one of the codes
    assert error(bapi.call("POST", path, {"code": ["123456"]}), 422) == "form_param_value_invalid"
    assert fetch(bapi, user)["backup_code_enabled"] is True  # nine codes left
    r = bapi.call("DELETE", f"/users/{user['id']}/backup_code")
    assert r.status == 200 and r.json == {"user_id": user["id"]}, r
    short = bapi.call("POST", path, {"code": "1234"})
    assert error(short, 422) == "totp_invalid_length"
    assert short.error()["long_message"] == "The provided TOTP code must be 6 characters long."


# --- removing credentials -------------------------------------------------------------------------------------
def test_remove_password(emu: LocalProcess, bapi: Bapi, me: Fapi, user: dict[str, Any]) -> None:
    path = f"/users/{user['id']}/remove_password"
    assert error(bapi.call("POST", path, {"sign_out_of_other_sessions": "true"}), 422) == "form_param_value_invalid"
    r = bapi.call("POST", path, {"sign_out_of_other_sessions": True})
    assert r.status == 200, r
    assert r.json["password_enabled"] is False and r.json["password_last_updated_at"] is None
    assert session_statuses(bapi, user) == ["revoked"]
    assert error(sign_in_reply(emu, email_of(user)), 400) == "strategy_for_user_invalid"
    # Without a password: the user comes back unchanged.
    again = bapi.call("POST", path)
    assert again.status == 200 and again.json["updated_at"] == r.json["updated_at"], again
    # By default the sessions stay.
    other = bapi.create_user()
    device = Fapi(emu)
    device.sign_in(email_of(other))
    assert bapi.call("POST", f"/users/{other['id']}/remove_password", {}).json["password_enabled"] is False
    assert session_statuses(bapi, other) == ["active"]
    device.close()


def test_disable_mfa_removes_every_second_factor(emu: LocalProcess, bapi: Bapi, settings: Any) -> None:
    settings(PHONE_SETTINGS)
    user = bapi.create_user(phone_number=["+12015550177"])
    me = Fapi(emu)
    me.sign_in(email_of(user))
    phone_id = user["phone_numbers"][0]["id"]
    enable_totp(me)  # first: it is the factor that brings the backup codes here
    assert me.call("PATCH", f"/v1/me/phone_numbers/{phone_id}", {"reserved_for_second_factor": "true"}).status == 200
    flags = fetch(bapi, user)
    assert (flags["two_factor_enabled"], flags["totp_enabled"], flags["backup_code_enabled"]) == (True, True, True)
    assert sign_in_reply(emu, email_of(user)).response["status"] == "needs_second_factor"
    r = bapi.call("DELETE", f"/users/{user['id']}/mfa")
    assert r.status == 200 and r.json == {"user_id": user["id"]}, r
    after = fetch(bapi, user)
    assert (after["two_factor_enabled"], after["totp_enabled"], after["backup_code_enabled"]) == (False, False, False)
    assert after["mfa_enabled_at"] is None and after["mfa_disabled_at"]
    phone = after["phone_numbers"][0]
    assert (phone["phone_number"], phone["reserved_for_second_factor"], phone["default_second_factor"]) == (
        "+12015550177", False, False)
    assert sign_in_reply(emu, email_of(user)).response["status"] == "complete"
    assert bapi.call("DELETE", f"/users/{user['id']}/mfa").json == {"user_id": user["id"]}  # nothing left: fine
    me.close()


def test_delete_totp_keeps_or_drops_backup_codes(emu: LocalProcess, bapi: Bapi, me: Fapi,
                                                 user: dict[str, Any]) -> None:
    enable_totp(me)
    r = bapi.call("DELETE", f"/users/{user['id']}/totp")
    assert r.status == 200 and r.json == {"user_id": user["id"]}, r
    after = fetch(bapi, user)
    # Backup codes only stand beside another second factor: with the TOTP gone they go too.
    assert (after["totp_enabled"], after["two_factor_enabled"], after["backup_code_enabled"]) == (False, False, False)
    assert sign_in_reply(emu, email_of(user)).response["status"] == "complete"
    # TOTP can be set up again from the Frontend API.
    assert me.call("POST", "/v1/me/totp").status == 200
    assert bapi.call("DELETE", f"/users/{user['id']}/totp").status == 200  # the one being set up goes too
    assert error(me.call("POST", "/v1/me/totp/attempt_verification", {"code": "123456"}), 404) == "resource_not_found"


def test_delete_passkey(emu: LocalProcess, bapi: Bapi, me: Fapi, user: dict[str, Any]) -> None:
    authenticator, passkey = register_passkey(me, emu)
    assert [p["id"] for p in fetch(bapi, user)["passkeys"]] == [passkey["id"]]
    path = f"/users/{user['id']}/passkeys/{passkey['id']}"
    r = bapi.call("DELETE", path)
    assert r.status == 200 and r.json == {"object": "passkey", "id": passkey["id"], "deleted": True}, r
    assert fetch(bapi, user)["passkeys"] == [] and me.call("GET", "/v1/me").response["passkeys"] == []
    notice = outbox(emu, email_of(user), "passkey_removed")
    assert len(notice) == 1 and passkey["name"] in notice[0]["body"]
    # The authenticator's credential no longer signs anyone in.
    device = Fapi(emu)
    si = device.call("POST", "/v1/client/sign_ins", {"strategy": "passkey"}).response
    nonce = si["first_factor_verification"]["nonce"]
    r = device.call("POST", f"/v1/client/sign_ins/{si['id']}/attempt_first_factor",
                    {"strategy": "passkey", "public_key_credential": authenticator.assertion(nonce, emu.fapi_url)})
    assert error(r, 404) == "passkey_not_registered"
    device.close()
    assert error(bapi.call("DELETE", path), 404) == "resource_not_found"


def test_delete_external_account(emu: LocalProcess, bapi: Bapi, fapi: Fapi, user: dict[str, Any]) -> None:
    assert provider(fapi, start_sign_in(fapi), email_of(user)) == DONE
    account = fetch(bapi, user)["external_accounts"][0]
    path = f"/users/{user['id']}/external_accounts/{account['id']}"
    r = bapi.call("DELETE", path)
    assert r.status == 200 and r.json == {"object": "external_account", "id": account["id"], "deleted": True}, r
    after = fetch(bapi, user)
    assert after["external_accounts"] == []
    assert [(e["email_address"], e["linked_to"]) for e in after["email_addresses"]] == [(email_of(user), [])]
    assert fapi.call("GET", "/v1/me").response["external_accounts"] == []
    assert error(bapi.call("DELETE", path), 404) == "external_account_not_found"
    # The provider's identity was released: a new Google sign-in links a fresh account to the same user.
    fapi.call("DELETE", "/v1/client/sessions")
    assert provider(fapi, start_sign_in(fapi), email_of(user)) == DONE
    relinked = fetch(bapi, user)["external_accounts"]
    assert len(relinked) == 1 and relinked[0]["id"] != account["id"]


# --- bad input ----------------------------------------------------------------------------------------------------
ROUTES = [("POST", "/ban"), ("POST", "/unban"), ("POST", "/lock"), ("POST", "/unlock"),
          ("POST", "/verify_password"), ("POST", "/verify_totp"), ("POST", "/remove_password"),
          ("DELETE", "/mfa"), ("DELETE", "/backup_code"), ("DELETE", "/totp"), ("DELETE", "/passkeys/pk_nope"),
          ("DELETE", "/external_accounts/eac_nope")]


@pytest.mark.parametrize(("method", "tail"), ROUTES)
def test_bad_input_is_a_clerk_shaped_4xx(bapi: Bapi, user: dict[str, Any], method: str, tail: str) -> None:
    good = {"/verify_password": {"password": PASSWORD}, "/verify_totp": {"code": "123456"}}.get(tail)
    base = f"/users/{user['id']}{tail}"
    assert error(bapi.call(method, f"/users/user_missing{tail}", good), 404) == "resource_not_found"
    assert error(bapi.call(method, base, {**(good or {}), "unexpected": True}), 422) == "form_param_unknown"
    assert error(bapi.call(method, base, [1, 2]), 400) == "request_body_invalid"
    raw = bapi.http.request(method, base, content=b"{not json", headers={"Content-Type": "application/json"})
    assert raw.status_code == 400 and raw.json()["errors"][0]["code"] == "request_body_invalid"
    form = bapi.http.request(method, base, content=b"a=1",
                             headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert form.status_code == 415 and form.json()["errors"][0]["code"] == "unsupported_content_type"
    unauthenticated = httpx.request(method, str(bapi.http.base_url) + base.lstrip("/"))
    assert unauthenticated.status_code == 401
    # Nothing changed for the user.
    after = fetch(bapi, user)
    assert (after["banned"], after["locked"], after["password_enabled"]) == (False, False, True)
