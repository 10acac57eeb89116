"""Every factor of the local Clerk instance over real HTTP, each response checked against Clerk's OpenAPI file:
TOTP (codes computed here from the secret, RFC 6238), backup codes, SMS second factors, Client Trust, phone codes
and phone sign-up, password reset by email and phone with the password policy, lockout, passkeys (a software
authenticator signing real WebAuthn answers), reverification and sessions with activities. Bad input: wrong,
expired and reused codes, too many attempts, a TOTP code of another period, an assertion for another relying party
or of another user's passkey — each a Clerk-shaped error that leaves nothing half-enabled."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import struct
import time
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import httpx
import pytest
from clerk_emulator.kit import LocalProcess
from emu_support import PASSWORD, Bapi, Fapi, Reply, email_of
from soft_authenticator import SoftAuthenticator, parsed

pytestmark = pytest.mark.emulator

CHROME_MAC = ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
              "Chrome/126.0.6478.127 Safari/537.36")
SAFARI_IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                 "Version/17.5 Mobile/15E148 Safari/604.1")
PHONE_SETTINGS = {"attributes": {"phone_number": {
    "enabled": True, "used_for_first_factor": True, "first_factors": ["phone_code"], "verifications": ["phone_code"],
    "used_for_second_factor": True}}}


# --- helpers ----------------------------------------------------------------------------------------
def totp(secret: str, step: int | None = None, digits: int = 6) -> str:
    """RFC 6238 (HMAC-SHA1, 30 s), written here independently of the instance."""
    step = int(time.time() // 30) if step is None else step
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 15
    return str((struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 10 ** digits).zfill(digits)


def error(reply: Reply, status: int) -> str:
    assert reply.status == status, reply
    return str(reply.error()["code"])


def outbox(emu: LocalProcess, to: str) -> list[dict[str, Any]]:
    r = httpx.get(emu.fapi_url + "/__emulator/outbox", params={"to": to})
    assert r.status_code == 200
    return list(r.json()["data"])


def claims(jwt: str) -> dict[str, Any]:
    return dict(json.loads(base64.urlsafe_b64decode(jwt.split(".")[1] + "==")))


def advance(emu: LocalProcess, seconds: int) -> None:
    r = httpx.post(emu.fapi_url + "/__emulator/clock", json={"advance_seconds": seconds})
    assert r.status_code == 200, r.text


def enable_totp(me: Fapi) -> tuple[str, list[str]]:
    """Set up TOTP as an app does; returns the secret and the backup codes shown once."""
    r = me.call("POST", "/v1/me/totp")
    assert r.status == 200, r
    secret = r.response["secret"]
    r = me.call("POST", "/v1/me/totp/attempt_verification", {"code": totp(secret)})
    assert r.status == 200 and r.response["verified"] is True, r
    return secret, list(r.response["backup_codes"])


def password_sign_in(fapi: Fapi, email: str, password: str = PASSWORD) -> dict[str, Any]:
    r = fapi.call("POST", "/v1/client/sign_ins", {"identifier": email, "password": password})
    assert r.status == 200, r
    return dict(r.response)


def finish(fapi: Fapi, reply: Reply) -> dict[str, Any]:
    """The completing answer of a sign-in: checks Clerk's completion shape, remembers the session."""
    assert reply.status == 200, reply
    assert reply.response["status"] == "complete", reply
    assert reply.response["supported_second_factors"] is None and reply.client["sign_in"] is None, reply
    fapi.session_id = reply.response["created_session_id"]
    return next(s for s in reply.client["sessions"] if s["id"] == fapi.session_id)


def unused_step_code(secret: str) -> str:
    """A code the instance has not accepted yet: the next period's (the window is one step either side)."""
    return totp(secret, int(time.time() // 30) + 1)


# --- TOTP -------------------------------------------------------------------------------------------
def test_totp_codes_follow_rfc_6238() -> None:
    from clerk_emulator.mfa import totp_code

    secret = base64.b32encode(b"12345678901234567890").decode()
    # RFC 6238 appendix B, SHA-1 (8 digits there; the 6 rightmost ones here).
    assert totp_code(secret, 59 // 30) == "287082" == totp(secret, 59 // 30)
    assert totp_code(secret, 1111111109 // 30) == "081804" == totp(secret, 1111111109 // 30)


def test_environment_lists_the_factors(fapi: Fapi) -> None:
    env = fapi.call("GET", "/v1/environment").json
    assert env["auth_config"]["second_factors"] == ["totp", "backup_code"]
    assert "passkey" in env["auth_config"]["first_factors"]
    attrs = env["user_settings"]["attributes"]
    assert attrs["authenticator_app"]["second_factors"] == ["totp"]
    assert attrs["backup_code"]["second_factors"] == ["backup_code"]
    assert attrs["passkey"]["first_factors"] == ["passkey"]
    assert env["user_settings"]["passkey_settings"] == {"allow_autofill": True, "show_sign_in_button": True,
                                                       "satisfies_second_factor": True}
    assert env["user_settings"]["attack_protection"]["user_lockout"]["enabled"] is True
    assert env["auth_config"]["reverification"] is False


def test_totp_setup_is_off_until_a_code_is_accepted(me: Fapi, user: dict[str, Any], bapi: Bapi) -> None:
    r = me.call("POST", "/v1/me/totp")
    assert r.status == 200, r
    created = r.response
    assert created["object"] == "totp" and created["verified"] is False and created["backup_codes"] is None
    secret = created["secret"]
    assert len(secret) == 32 and base64.b32decode(secret)  # 20 bytes
    uri = urlsplit(created["uri"])
    query = {k: v[0] for k, v in parse_qs(uri.query).items()}
    assert uri.scheme == "otpauth" and uri.netloc == "totp"
    assert unquote(uri.path) == f"/Local Clerk instance:{email_of(user)}"
    assert query == {"algorithm": "SHA1", "digits": "6", "issuer": "Local Clerk instance", "period": "30",
                     "secret": secret}
    me_now = me.call("GET", "/v1/me").response
    assert (me_now["totp_enabled"], me_now["two_factor_enabled"], me_now["backup_code_enabled"]) == (False,) * 3
    # A wrong code and the code of another period (five steps ago) are refused; TOTP stays off.
    wrong = "000000" if totp(secret) != "000000" else "111111"
    assert error(me.call("POST", "/v1/me/totp/attempt_verification", {"code": wrong}), 422) == "form_code_incorrect"
    old = totp(secret, int(time.time() // 30) - 5)
    assert error(me.call("POST", "/v1/me/totp/attempt_verification", {"code": old}), 422) == "form_code_incorrect"
    assert me.call("GET", "/v1/me").response["totp_enabled"] is False
    assert bapi.call("GET", f"/users/{user['id']}").json["totp_enabled"] is False
    # Creating again before verifying replaces the secret: the old one's codes no longer work.
    second = me.call("POST", "/v1/me/totp").response["secret"]
    assert second != secret
    if totp(secret) != totp(second):  # one chance in a million that both secrets give the same code now
        assert error(me.call("POST", "/v1/me/totp/attempt_verification", {"code": totp(secret)}), 422) == \
            "form_code_incorrect"
    r = me.call("POST", "/v1/me/totp/attempt_verification", {"code": totp(second)})
    assert r.status == 200 and r.response["verified"] is True, r
    codes = r.response["backup_codes"]
    assert len(codes) == 10 and len(set(codes)) == 10 and all(len(c) == 8 for c in codes)
    assert r.response["secret"] is None  # shown while setting up only
    me_now = me.call("GET", "/v1/me").response
    assert (me_now["totp_enabled"], me_now["two_factor_enabled"], me_now["backup_code_enabled"]) == (True,) * 3
    assert me_now["mfa_enabled_at"] and me_now["mfa_disabled_at"] is None
    assert error(me.call("POST", "/v1/me/totp"), 400) == "totp_already_enabled"
    stored = bapi.call("GET", f"/users/{user['id']}").json
    assert stored["totp_enabled"] is True and stored["two_factor_enabled"] is True


def test_sign_in_with_password_and_totp(emu: LocalProcess, me: Fapi, user: dict[str, Any]) -> None:
    secret, _codes = enable_totp(me)
    device = Fapi(emu)
    try:
        si = password_sign_in(device, email_of(user))
        assert si["status"] == "needs_second_factor", si
        assert si["first_factor_verification"]["status"] == "verified"
        assert [f["strategy"] for f in si["supported_second_factors"]] == ["totp", "backup_code"]
        assert device.call("GET", "/v1/client").response["sessions"] == []
        path = f"/v1/client/sign_ins/{si['id']}/attempt_second_factor"
        wrong = device.call("POST", path, {"strategy": "totp", "code": "12345"})
        assert error(wrong, 422) == "form_code_incorrect" and wrong.error()["meta"]["param_name"] == "code"
        sfv = device.call("GET", f"/v1/client/sign_ins/{si['id']}").response["second_factor_verification"]
        assert sfv == {"object": "verification_totp", "status": "unverified", "strategy": "totp", "attempts": 1,
                       "expire_at": None}
        code = unused_step_code(secret)
        session = finish(device, device.call("POST", path, {"strategy": "totp", "code": code}))
        assert session["factor_verification_age"] == [0, 0]
        assert claims(session["last_active_token"]["jwt"])["fva"] == [0, 0]
        # The same code never works twice, not even on another sign-in.
        again = Fapi(emu)
        si2 = password_sign_in(again, email_of(user))
        assert error(again.call("POST", f"/v1/client/sign_ins/{si2['id']}/attempt_second_factor",
                                {"strategy": "totp", "code": code}), 422) == "form_code_incorrect"
        again.close()
    finally:
        device.close()


def test_backup_codes_are_single_use_and_replaced(emu: LocalProcess, me: Fapi, user: dict[str, Any]) -> None:
    _secret, codes = enable_totp(me)
    first = Fapi(emu)
    si = password_sign_in(first, email_of(user))
    path = f"/v1/client/sign_ins/{si['id']}/attempt_second_factor"
    session = finish(first, first.call("POST", path, {"strategy": "backup_code", "code": codes[0].upper()}))
    assert session["factor_verification_age"] == [0, 0]
    first.close()
    second = Fapi(emu)
    si = password_sign_in(second, email_of(user))
    path = f"/v1/client/sign_ins/{si['id']}/attempt_second_factor"
    assert error(second.call("POST", path, {"strategy": "backup_code", "code": codes[0]}), 422) == \
        "form_code_incorrect"
    # New codes replace the old set.
    r = me.call("POST", "/v1/me/backup_codes")
    assert r.status == 200 and r.response["object"] == "backup_code" and len(r.response["codes"]) == 10, r
    assert error(second.call("POST", path, {"strategy": "backup_code", "code": codes[1]}), 422) == \
        "form_code_incorrect"
    finish(second, second.call("POST", path, {"strategy": "backup_code", "code": r.response["codes"][0]}))
    second.close()


def test_too_many_wrong_totp_codes_lock_the_account(emu: LocalProcess, me: Fapi, user: dict[str, Any],
                                                    settings: Any, bapi: Bapi) -> None:
    secret, _ = enable_totp(me)
    settings({"attack_protection": {"user_lockout": {"max_attempts": 5, "duration_in_minutes": 10}}})
    device = Fapi(emu)
    si = password_sign_in(device, email_of(user))
    path = f"/v1/client/sign_ins/{si['id']}/attempt_second_factor"
    wrong = "000000" if unused_step_code(secret) != "000000" else "111111"
    codes = [error(device.call("POST", path, {"strategy": "totp", "code": wrong}), 422 if i < 4 else 403)
             for i in range(5)]
    assert codes == ["form_code_incorrect"] * 4 + ["user_locked"]
    assert error(device.call("POST", path, {"strategy": "totp", "code": unused_step_code(secret)}), 403) == \
        "user_locked"
    ver = device.call("GET", f"/v1/client/sign_ins/{si['id']}").response["second_factor_verification"]
    assert ver["status"] == "unverified" and ver["attempts"] == 5
    assert device.call("GET", "/v1/client").response["sessions"] == []
    assert bapi.call("GET", f"/users/{user['id']}").json["locked"] is True
    device.close()


def test_too_many_wrong_codes_fail_a_sent_code(emu: LocalProcess, user: dict[str, Any]) -> None:
    device = Fapi(emu)
    si = device.call("POST", "/v1/client/sign_ins", {"identifier": email_of(user), "strategy": "email_code"}).response
    path = f"/v1/client/sign_ins/{si['id']}/attempt_first_factor"
    codes = [error(device.call("POST", path, {"strategy": "email_code", "code": "000000"}), 422 if i < 4 else 400)
             for i in range(5)]
    assert codes == ["form_code_incorrect"] * 4 + ["verification_failed"]
    assert error(device.call("POST", path, {"strategy": "email_code", "code": "424242"}), 400) == "verification_failed"
    ffv = device.call("GET", f"/v1/client/sign_ins/{si['id']}").response["first_factor_verification"]
    assert ffv["status"] == "failed" and ffv["attempts"] == 5
    device.close()


def test_disabling_totp_turns_mfa_off(emu: LocalProcess, me: Fapi, user: dict[str, Any]) -> None:
    assert error(me.call("POST", "/v1/me/backup_codes"), 400) == "backup_codes_not_available"
    enable_totp(me)
    r = me.call("DELETE", "/v1/me/totp")
    assert r.status == 200 and r.response["object"] == "totp" and r.response["deleted"] is True, r
    flags = me.call("GET", "/v1/me").response
    assert (flags["totp_enabled"], flags["two_factor_enabled"], flags["backup_code_enabled"]) == (False,) * 3
    assert flags["mfa_disabled_at"] and flags["mfa_enabled_at"] is None
    assert error(me.call("DELETE", "/v1/me/totp"), 404) == "resource_not_found"
    device = Fapi(emu)
    device.sign_in(email_of(user))  # one factor again
    device.close()


def test_second_factor_is_asked_after_a_ticket_and_unknown_strategies_are_refused(
        emu: LocalProcess, me: Fapi, user: dict[str, Any], bapi: Bapi) -> None:
    secret, _ = enable_totp(me)
    token = bapi.call("POST", "/sign_in_tokens", {"user_id": user["id"]}).json["token"]
    device = Fapi(emu)
    si = device.call("POST", "/v1/client/sign_ins", {"strategy": "ticket", "ticket": token}).response
    assert si["status"] == "needs_second_factor", si
    base = f"/v1/client/sign_ins/{si['id']}"
    assert error(device.call("POST", base + "/attempt_second_factor", {"strategy": "phone_code", "code": "424242"}),
                 400) == "no_second_factors"
    assert error(device.call("POST", base + "/prepare_second_factor", {"strategy": "totp"}), 422) == \
        "form_param_value_invalid"
    session = finish(device, device.call("POST", base + "/attempt_second_factor",
                                         {"strategy": "totp", "code": unused_step_code(secret)}))
    assert session["user"]["id"] == user["id"]
    device.close()


# --- SMS as a second factor, phone codes, phone sign-up ----------------------------------------------
def _verified_phone(me: Fapi, number: str) -> str:
    r = me.call("POST", "/v1/me/phone_numbers", {"phone_number": number})
    assert r.status == 200, r
    pid = str(r.response["id"])
    me.call("POST", f"/v1/me/phone_numbers/{pid}/prepare_verification", {"strategy": "phone_code"})
    assert me.call("POST", f"/v1/me/phone_numbers/{pid}/attempt_verification", {"code": "424242"}).status == 200
    return pid


def test_phone_reserved_for_the_second_factor(emu: LocalProcess, me: Fapi, user: dict[str, Any],
                                              settings: Any) -> None:
    settings(PHONE_SETTINGS)
    pending = me.call("POST", "/v1/me/phone_numbers", {"phone_number": "+12015550111"}).response
    assert error(me.call("PATCH", f"/v1/me/phone_numbers/{pending['id']}", {"reserved_for_second_factor": "true"}),
                 400) == "identification_update_second_factor_unverified"
    pid = _verified_phone(me, "+12015550123")
    r = me.call("PATCH", f"/v1/me/phone_numbers/{pid}", {"reserved_for_second_factor": "true"})
    assert r.status == 200, r
    assert r.response["reserved_for_second_factor"] is True and r.response["default_second_factor"] is True
    assert len(r.response["backup_codes"]) == 10  # the first second factor brings backup codes, shown once
    assert me.call("GET", f"/v1/me/phone_numbers/{pid}").response["backup_codes"] is None
    flags = me.call("GET", "/v1/me").response
    assert (flags["two_factor_enabled"], flags["totp_enabled"], flags["backup_code_enabled"]) == (True, False, True)
    assert error(me.call("PATCH", f"/v1/me/phone_numbers/{pid}", {"default_second_factor": "false"}), 422) == \
        "form_disable_default_second_factor_not_allowed"

    device = Fapi(emu)
    si = password_sign_in(device, email_of(user))
    assert si["status"] == "needs_second_factor"
    phone_factor = si["supported_second_factors"][0]
    assert phone_factor == {"strategy": "phone_code", "safe_identifier": "+12015550123", "phone_number_id": pid,
                            "primary": True, "default": True}
    base = f"/v1/client/sign_ins/{si['id']}"
    r = device.call("POST", base + "/prepare_second_factor", {"strategy": "phone_code"})  # the default phone
    sfv = r.response["second_factor_verification"]
    assert sfv["object"] == "verification_otp" and sfv["channel"] == "sms" and sfv["status"] == "unverified"
    sms = outbox(emu, "+12015550123")[0]
    assert (sms["channel"], sms["kind"], sms["code"]) == ("sms", "second_factor_code", "424242")
    assert error(device.call("POST", base + "/attempt_second_factor", {"strategy": "phone_code", "code": "111111"}),
                 422) == "form_code_incorrect"
    session = finish(device, device.call("POST", base + "/attempt_second_factor",
                                         {"strategy": "phone_code", "code": "424242"}))
    assert session["factor_verification_age"] == [0, 0]
    device.close()
    # Releasing the only phone turns MFA off and takes the backup codes with it.
    r = me.call("PATCH", f"/v1/me/phone_numbers/{pid}", {"reserved_for_second_factor": "false"})
    assert r.response["reserved_for_second_factor"] is False and r.response["default_second_factor"] is False
    flags = me.call("GET", "/v1/me").response
    assert (flags["two_factor_enabled"], flags["backup_code_enabled"]) == (False, False)


def test_phone_code_first_factor_with_wrong_and_expired_codes(emu: LocalProcess, bapi: Bapi,
                                                              settings: Any) -> None:
    settings(PHONE_SETTINGS)
    number = "+13105550142"
    user = bapi.create_user(phone_number=[number])
    device = Fapi(emu)
    si = device.call("POST", "/v1/client/sign_ins", {"identifier": number}).response
    strategies = [f["strategy"] for f in si["supported_first_factors"]]
    assert strategies == ["password", "phone_code", "email_code", "email_link", "reset_password_phone_code"]
    phone_id = next(f["phone_number_id"] for f in si["supported_first_factors"] if f["strategy"] == "phone_code")
    base = f"/v1/client/sign_ins/{si['id']}"
    r = device.call("POST", base + "/prepare_first_factor", {"strategy": "phone_code", "phone_number_id": phone_id})
    ffv = r.response["first_factor_verification"]
    assert (ffv["object"], ffv["strategy"], ffv["channel"], ffv["attempts"]) == ("verification_otp", "phone_code",
                                                                                 "sms", 0)
    assert outbox(emu, number)[0]["channel"] == "sms"
    assert error(device.call("POST", base + "/attempt_first_factor", {"strategy": "phone_code", "code": "000000"}),
                 422) == "form_code_incorrect"
    advance(emu, 11 * 60)  # codes live ten minutes
    assert error(device.call("POST", base + "/attempt_first_factor", {"strategy": "phone_code", "code": "424242"}),
                 400) == "verification_expired"
    assert device.call("GET", base).response["first_factor_verification"]["status"] == "expired"
    device.call("POST", base + "/prepare_first_factor", {"strategy": "phone_code", "phone_number_id": phone_id})
    session = finish(device, device.call("POST", base + "/attempt_first_factor",
                                         {"strategy": "phone_code", "code": "424242"}))
    assert session["user"]["id"] == user["id"]
    assert error(device.call("POST", base + "/attempt_first_factor", {"strategy": "phone_code", "code": "424242"}),
                 400) == "session_exists"
    device.close()


def test_phone_sign_up(emu: LocalProcess, fapi: Fapi, settings: Any, bapi: Bapi) -> None:
    settings({"attributes": {"phone_number": {"enabled": True, "used_for_first_factor": True,
                                              "first_factors": ["phone_code"], "verifications": ["phone_code"],
                                              "verify_at_sign_up": True},
                             "email_address": {"required": False}}})
    number = "+14155550177"
    r = fapi.call("POST", "/v1/client/sign_ups", {"phone_number": number, "password": PASSWORD,
                                                  "strategy": "phone_code"})
    assert r.status == 200, r
    su = r.response
    assert su["status"] == "missing_requirements" and su["unverified_fields"] == ["phone_number"]
    assert su["phone_number"] == number
    ver = su["verifications"]["phone_number"]
    assert (ver["strategy"], ver["status"], ver["channel"], ver["next_action"]) == ("phone_code", "unverified", "sms",
                                                                                    "needs_attempt")
    assert outbox(emu, number)[0]["kind"] == "sign_up_code"
    path = f"/v1/client/sign_ups/{su['id']}/attempt_verification"
    assert error(fapi.call("POST", path, {"strategy": "phone_code", "code": "000000"}), 422) == "form_code_incorrect"
    r = fapi.call("POST", path, {"strategy": "phone_code", "code": "424242"})
    assert r.response["status"] == "complete" and r.client["sign_up"] is None, r
    user = bapi.call("GET", f"/users/{r.response['created_user_id']}").json
    assert [(p["phone_number"], p["verification"]["status"]) for p in user["phone_numbers"]] == [(number, "verified")]
    assert user["primary_phone_number_id"] == user["phone_numbers"][0]["id"]


# --- Client Trust -----------------------------------------------------------------------------------
def test_client_trust_on_a_new_device(emu: LocalProcess, user: dict[str, Any], settings: Any) -> None:
    settings({"client_trust": {"enabled": True}})
    device = Fapi(emu)
    si = password_sign_in(device, email_of(user))
    assert si["status"] == "needs_client_trust", si
    assert si["supported_second_factors"] == [{"strategy": "email_code", "safe_identifier": email_of(user),
                                               "email_address_id": user["email_addresses"][0]["id"],
                                               "primary": True}]
    base = f"/v1/client/sign_ins/{si['id']}"
    assert error(device.call("POST", base + "/attempt_second_factor", {"strategy": "email_code", "code": "424242"}),
                 400) == "verification_missing"
    r = device.call("POST", base + "/prepare_second_factor", {"strategy": "email_code"})
    assert r.response["second_factor_verification"]["strategy"] == "email_code"
    assert "channel" not in r.response["second_factor_verification"]
    assert outbox(emu, email_of(user))[0]["kind"] == "second_factor_code"
    r = device.call("POST", base + "/attempt_second_factor", {"strategy": "email_code", "code": "424242"})
    session = finish(device, r)
    assert r.client["last_authentication_strategy"] == "password"
    assert session["factor_verification_age"] == [0, -1]  # trust is not a second factor
    # The same browser is a known device now: the next password sign-in completes at once.
    device.call("POST", f"/v1/client/sessions/{device.session_id}/end")
    device.sign_in(email_of(user))
    device.close()
    # Passwordless sign-ins never ask for it, and a fresh browser asks again.
    other = Fapi(emu)
    si = other.call("POST", "/v1/client/sign_ins", {"identifier": email_of(user), "strategy": "email_code"}).response
    finish(other, other.call("POST", f"/v1/client/sign_ins/{si['id']}/attempt_first_factor",
                             {"strategy": "email_code", "code": "424242"}))
    other.close()
    fresh = Fapi(emu)
    assert password_sign_in(fresh, email_of(user))["status"] == "needs_client_trust"
    fresh.close()


def test_client_trust_by_email_link(emu: LocalProcess, user: dict[str, Any], settings: Any) -> None:
    settings({"client_trust": {"enabled": True}})
    device = Fapi(emu)
    si = password_sign_in(device, email_of(user))
    base = f"/v1/client/sign_ins/{si['id']}"
    r = device.call("POST", base + "/prepare_second_factor", {"strategy": "email_link",
                                                              "redirect_url": "http://127.0.0.1:5999/verify"})
    assert r.response["second_factor_verification"]["strategy"] == "email_link", r
    link = outbox(emu, email_of(user))[0]["link"]
    opened = httpx.get(link)  # another browser: the sign-in still completes for the client that asked
    assert opened.status_code == 303 and "__clerk_status=verified" in opened.headers["location"]
    polled = device.call("GET", base).response
    assert polled["status"] == "complete" and polled["second_factor_verification"]["status"] == "verified"
    assert [s["id"] for s in device.call("GET", "/v1/client").response["sessions"]] == [polled["created_session_id"]]
    device.close()


def test_oauth_and_email_link_sign_ins_ask_for_the_second_factor(emu: LocalProcess, me: Fapi,
                                                                  user: dict[str, Any]) -> None:
    secret, _ = enable_totp(me)
    device = Fapi(emu)
    r = device.call("POST", "/v1/client/sign_ins", {"strategy": "oauth_google",
                                                    "redirect_url": "http://127.0.0.1:5999/sso-callback",
                                                    "action_complete_redirect_url": "http://127.0.0.1:5999/done"})
    url = r.response["first_factor_verification"]["external_verification_redirect_url"]
    state = parse_qs(urlsplit(url).query)["state"][0]
    decided = device.http.post(urlsplit(url).path.replace("/authorize", "/decide"), data={
        "state": state, "email": email_of(user), "name": "Ada", "verified": "true", "action": "continue"})
    callback = device.http.get(decided.headers["location"])
    # Not complete yet: back to the app's callback page (not the "complete" URL), where it continues.
    assert callback.status_code == 303 and callback.headers["location"] == "http://127.0.0.1:5999/sso-callback"
    si = device.call("GET", "/v1/client").response["sign_in"]
    assert si["status"] == "needs_second_factor" and si["first_factor_verification"]["status"] == "verified"
    finish(device, device.call("POST", f"/v1/client/sign_ins/{si['id']}/attempt_second_factor",
                               {"strategy": "totp", "code": unused_step_code(secret)}))
    device.close()
    linked = Fapi(emu)
    si = linked.call("POST", "/v1/client/sign_ins", {"identifier": email_of(user)}).response
    link_factor = next(f for f in si["supported_first_factors"] if f["strategy"] == "email_link")
    linked.call("POST", f"/v1/client/sign_ins/{si['id']}/prepare_first_factor", {
        "strategy": "email_link", "email_address_id": link_factor["email_address_id"],
        "redirect_url": "http://127.0.0.1:5999/verify"})
    opened = linked.http.get(outbox(emu, email_of(user))[0]["link"])
    assert opened.status_code == 303 and "__clerk_created_session" not in opened.headers["location"]
    assert linked.call("GET", f"/v1/client/sign_ins/{si['id']}").response["status"] == "needs_second_factor"
    linked.close()


# --- password reset ---------------------------------------------------------------------------------
def test_password_reset_by_phone_with_the_password_policy(emu: LocalProcess, bapi: Bapi, settings: Any) -> None:
    settings({**PHONE_SETTINGS, "password_settings": {"require_uppercase": True, "require_numbers": True,
                                                      "disable_hibp": False}})
    number = "+16175550190"
    user = bapi.create_user(phone_number=[number])
    elsewhere = Fapi(emu)
    elsewhere.sign_in(email_of(user))
    device = Fapi(emu)
    si = device.call("POST", "/v1/client/sign_ins", {"identifier": number,
                                                      "strategy": "reset_password_phone_code"}).response
    assert si["first_factor_verification"]["strategy"] == "reset_password_phone_code"
    assert si["first_factor_verification"]["channel"] == "sms"
    sms = outbox(emu, number)[0]
    assert (sms["kind"], sms["channel"]) == ("reset_password_code", "sms")
    base = f"/v1/client/sign_ins/{si['id']}"
    r = device.call("POST", base + "/attempt_first_factor", {"strategy": "reset_password_phone_code",
                                                             "code": sms["code"]})
    assert r.response["status"] == "needs_new_password", r
    for weak, code in (("short1A", "form_password_length_too_short"),
                       ("lowercase-only-1", "form_password_no_uppercase"),
                       ("No-Numbers-Here", "form_password_no_number"), ("Password1", "form_password_pwned")):
        bad = device.call("POST", base + "/reset_password", {"password": weak})
        assert error(bad, 422) == code and bad.error()["meta"]["param_name"] == "password", bad
    assert "8 characters" in device.call("POST", base + "/reset_password",
                                         {"password": "Ab1"}).error()["long_message"]
    assert error(device.call("POST", base + "/reset_password", {"password": "Fine-Password-9", "extra": "x"}),
                 422) == "form_param_unknown"
    session = finish(device, device.call("POST", base + "/reset_password", {"password": "Brand-New-Password-9"}))
    assert session["user"]["password_enabled"] is True
    # sign_out_of_other_sessions defaults to true: the other browser's session was revoked.
    assert elsewhere.call("GET", "/v1/client").response["sessions"] == []
    sessions = bapi.call("GET", "/sessions", params={"user_id": user["id"]}).json
    assert sorted(s["status"] for s in sessions) == ["active", "revoked"]
    elsewhere.close()
    device.close()


def test_password_reset_of_an_mfa_user_asks_for_the_second_factor(emu: LocalProcess, me: Fapi,
                                                                  user: dict[str, Any]) -> None:
    secret, _ = enable_totp(me)
    device = Fapi(emu)
    si = device.call("POST", "/v1/client/sign_ins", {"identifier": email_of(user)}).response
    base = f"/v1/client/sign_ins/{si['id']}"
    device.call("POST", base + "/prepare_first_factor", {"strategy": "reset_password_email_code"})
    code = outbox(emu, email_of(user))[0]["code"]
    assert device.call("POST", base + "/attempt_first_factor", {"strategy": "reset_password_email_code",
                                                                "code": code}).response["status"] == \
        "needs_new_password"
    r = device.call("POST", base + "/reset_password", {"password": "another-password-1",
                                                       "sign_out_of_other_sessions": "false"})
    assert r.response["status"] == "needs_second_factor", r
    assert [f["strategy"] for f in r.response["supported_second_factors"]] == ["totp", "backup_code"]
    finish(device, device.call("POST", base + "/attempt_second_factor",
                               {"strategy": "totp", "code": unused_step_code(secret)}))
    assert me.call("GET", "/v1/me").status == 200  # sign_out_of_other_sessions=false kept this one
    device.close()


# --- lockout ----------------------------------------------------------------------------------------
def test_lockout_after_failed_attempts(emu: LocalProcess, bapi: Bapi, settings: Any) -> None:
    settings({"attack_protection": {"user_lockout": {"max_attempts": 3, "duration_in_minutes": 2}}})
    user = bapi.create_user()
    device = Fapi(emu)
    for _ in range(2):
        r = device.call("POST", "/v1/client/sign_ins", {"identifier": email_of(user), "password": "wrong-password"})
        assert error(r, 422) == "form_password_incorrect"
    assert bapi.call("GET", f"/users/{user['id']}").json["verification_attempts_remaining"] == 1
    # A wrong email code counts too, and the third failure locks the account.
    si = device.call("POST", "/v1/client/sign_ins", {"identifier": email_of(user), "strategy": "email_code"}).response
    locked = device.call("POST", f"/v1/client/sign_ins/{si['id']}/attempt_first_factor",
                         {"strategy": "email_code", "code": "000000"})
    assert error(locked, 403) == "user_locked"
    assert locked.error()["meta"]["lockout_expires_in_seconds"] == 120
    assert "2 minutes" in locked.error()["long_message"]
    r = device.call("POST", "/v1/client/sign_ins", {"identifier": email_of(user), "password": PASSWORD})
    assert error(r, 403) == "user_locked"
    stored = bapi.call("GET", f"/users/{user['id']}").json
    assert stored["locked"] is True and 0 < stored["lockout_expires_in_seconds"] <= 120
    advance(emu, 121)
    device.sign_in(email_of(user))
    assert bapi.call("GET", f"/users/{user['id']}").json["locked"] is False
    device.close()


# --- passkeys ---------------------------------------------------------------------------------------
def register_passkey(me: Fapi, emu: LocalProcess) -> tuple[SoftAuthenticator, dict[str, Any]]:
    r = me.call("POST", "/v1/me/passkeys")
    assert r.status == 200, r
    pending = r.response
    options = parsed(pending["verification"]["nonce"])
    assert options["rp"]["id"] == "127.0.0.1" and options["authenticatorSelection"]["residentKey"] == "required"
    assert {"type": "public-key", "alg": -7} in options["pubKeyCredParams"]
    assert me.call("GET", "/v1/me").response["passkeys"] == []  # not before the attestation is verified
    authenticator = SoftAuthenticator()
    r = me.call("POST", f"/v1/me/passkeys/{pending['id']}/attempt_verification",
                {"strategy": "passkey",
                 "public_key_credential": authenticator.register(pending["verification"]["nonce"], emu.fapi_url)})
    assert r.status == 200, r
    assert r.response["verification"]["status"] == "verified" and "nonce" not in r.response["verification"]
    return authenticator, dict(r.response)


def test_passkey_registration_and_discoverable_sign_in(emu: LocalProcess, me: Fapi, user: dict[str, Any],
                                                       bapi: Bapi) -> None:
    enable_totp(me)  # a passkey satisfies the second factor
    authenticator, passkey = register_passkey(me, emu)
    listed = me.call("GET", "/v1/me").response["passkeys"]
    assert [p["id"] for p in listed] == [passkey["id"]]
    stored = bapi.call("GET", f"/users/{user['id']}").json["passkeys"]  # checked against the BAPI spec too
    assert [(p["id"], p["verification"]["status"]) for p in stored] == [(passkey["id"], "verified")]
    r = me.call("PATCH", f"/v1/me/passkeys/{passkey['id']}", {"name": "Work laptop"})
    assert r.status == 200 and r.response["name"] == "Work laptop", r
    device = Fapi(emu)
    r = device.call("POST", "/v1/client/sign_ins", {"strategy": "passkey"})
    assert r.status == 200, r
    si = r.response
    ffv = si["first_factor_verification"]
    assert (ffv["object"], ffv["strategy"], ffv["status"]) == ("verification_passkey", "passkey", "unverified")
    options = parsed(ffv["nonce"])
    assert options["rpId"] == "127.0.0.1" and options["allowCredentials"] == []
    assertion = authenticator.assertion(ffv["nonce"], emu.fapi_url)
    session = finish(device, device.call("POST", f"/v1/client/sign_ins/{si['id']}/attempt_first_factor",
                                         {"strategy": "passkey", "public_key_credential": assertion}))
    assert session["user"]["id"] == user["id"] and session["factor_verification_age"] == [0, 0]
    assert session["user"]["passkeys"][0]["last_used_at"]
    device.close()
    # The same answer again (a replayed challenge) is refused on a new sign-in.
    replay = Fapi(emu)
    si = replay.call("POST", "/v1/client/sign_ins", {"strategy": "passkey"}).response
    assert error(replay.call("POST", f"/v1/client/sign_ins/{si['id']}/attempt_first_factor",
                             {"strategy": "passkey", "public_key_credential": assertion}), 400) == \
        "passkey_invalid_verification"
    replay.close()


def test_passkey_sign_in_after_an_identifier(emu: LocalProcess, me: Fapi, user: dict[str, Any]) -> None:
    authenticator, _passkey = register_passkey(me, emu)
    device = Fapi(emu)
    si = device.call("POST", "/v1/client/sign_ins", {"identifier": email_of(user)}).response
    assert [f["strategy"] for f in si["supported_first_factors"]][:2] == ["password", "passkey"]
    r = device.call("POST", f"/v1/client/sign_ins/{si['id']}/prepare_first_factor", {"strategy": "passkey"})
    nonce = r.response["first_factor_verification"]["nonce"]
    allowed = parsed(nonce)["allowCredentials"]
    assert [c["id"] for c in allowed] == [passkey_credential_id(authenticator)]
    finish(device, device.call("POST", f"/v1/client/sign_ins/{si['id']}/attempt_first_factor",
                               {"strategy": "passkey", "public_key_credential": authenticator.assertion(
                                   nonce, emu.fapi_url)}))
    device.close()


def passkey_credential_id(authenticator: SoftAuthenticator) -> str:
    return base64.urlsafe_b64encode(authenticator.credential_id).rstrip(b"=").decode()


def test_passkey_bad_answers(emu: LocalProcess, me: Fapi, user: dict[str, Any], bapi: Bapi) -> None:
    authenticator, passkey = register_passkey(me, emu)
    device = Fapi(emu)

    def fresh_nonce() -> tuple[str, str]:
        si = device.call("POST", "/v1/client/sign_ins", {"strategy": "passkey"}).response
        return si["id"], si["first_factor_verification"]["nonce"]

    def answer(sid: str, credential: str) -> Reply:
        return device.call("POST", f"/v1/client/sign_ins/{sid}/attempt_first_factor",
                           {"strategy": "passkey", "public_key_credential": credential})

    sid, _nonce = fresh_nonce()
    assert error(answer(sid, "{not json"), 422) == "passkey_invalid_public_key_credential"
    # Signed for another relying party, or answered from another origin.
    sid, nonce = fresh_nonce()
    assert error(answer(sid, authenticator.assertion(nonce, emu.fapi_url, rp_id="evil.example")), 400) == \
        "passkey_authentication_failure"
    sid, nonce = fresh_nonce()
    assert error(answer(sid, authenticator.assertion(nonce, "http://evil.example")), 400) == \
        "passkey_authentication_failure"
    # A credential the instance never registered.
    sid, nonce = fresh_nonce()
    assert error(answer(sid, SoftAuthenticator().assertion(nonce, emu.fapi_url)), 404) == "passkey_not_registered"
    # Another user's passkey on a sign-in that names this user.
    other = bapi.create_user()
    other_browser = Fapi(emu)
    other_browser.sign_in(email_of(other))
    other_key, _ = register_passkey(other_browser, emu)
    si = device.call("POST", "/v1/client/sign_ins", {"identifier": email_of(user)}).response
    nonce = device.call("POST", f"/v1/client/sign_ins/{si['id']}/prepare_first_factor",
                        {"strategy": "passkey"}).response["first_factor_verification"]["nonce"]
    r = answer(si["id"], other_key.assertion(nonce, emu.fapi_url))
    assert error(r, 400) == "passkey_authentication_failure"
    assert device.call("GET", "/v1/client").response["sessions"] == []
    # A registration answered for another relying party fails, and leaves nothing behind.
    pending = other_browser.call("POST", "/v1/me/passkeys").response
    bad = other_browser.call("POST", f"/v1/me/passkeys/{pending['id']}/attempt_verification", {
        "strategy": "passkey",
        "public_key_credential": SoftAuthenticator().register(pending["verification"]["nonce"], emu.fapi_url,
                                                              rp_id="evil.example")})
    assert error(bad, 400) == "passkey_registration_failure"
    assert len(other_browser.call("GET", "/v1/me").response["passkeys"]) == 1
    other_browser.close()
    # A deleted passkey no longer signs in.
    r = me.call("DELETE", f"/v1/me/passkeys/{passkey['id']}")
    assert r.status == 200 and r.response == {"object": "passkey", "id": passkey["id"], "deleted": True}, r
    assert me.call("GET", "/v1/me").response["passkeys"] == []
    sid, nonce = fresh_nonce()
    assert error(answer(sid, authenticator.assertion(nonce, emu.fapi_url)), 404) == "passkey_not_registered"
    device.close()


def test_passkey_as_a_second_factor(emu: LocalProcess, me: Fapi, user: dict[str, Any], bapi: Bapi,
                                    settings: Any) -> None:
    """clerk-js 6.40.0's passkey second factor: listed once the instance allows it and the user has a passkey;
    prepare gives the request options, attempt takes an assertion of this user's passkey for that challenge."""
    authenticator, _passkey = register_passkey(me, emu)
    device = Fapi(emu)
    assert password_sign_in(device, email_of(user))["status"] == "complete"  # off by default: no second step
    device.close()
    env = settings({"attributes": {"passkey": {"used_for_second_factor": True}}})
    assert env["attributes"]["passkey"]["used_for_second_factor"] is True
    published = me.call("GET", "/v1/environment").json
    assert published["user_settings"]["attributes"]["passkey"]["second_factors"] == ["passkey"]
    assert published["auth_config"]["second_factors"] == ["totp", "backup_code", "passkey"]
    device = Fapi(emu)
    si = password_sign_in(device, email_of(user))
    assert si["status"] == "needs_second_factor" and si["supported_second_factors"] == [{"strategy": "passkey"}], si
    path = f"/v1/client/sign_ins/{si['id']}"
    attempt = path + "/attempt_second_factor"
    # An assertion before any challenge, a malformed one, or a strategy the user does not have: refused.
    assert error(device.call("POST", attempt, {"strategy": "passkey", "public_key_credential":
                                                authenticator.assertion(json.dumps({"challenge": "AAAA",
                                                                                    "rpId": "127.0.0.1"}),
                                                                        emu.fapi_url)}), 400) == \
        "passkey_invalid_verification"
    assert error(device.call("POST", path + "/prepare_second_factor", {"strategy": "phone_code"}), 400) == \
        "no_second_factors"
    r = device.call("POST", path + "/prepare_second_factor", {"strategy": "passkey"})
    assert r.status == 200, r
    sfv = r.response["second_factor_verification"]
    assert (sfv["object"], sfv["strategy"], sfv["status"]) == ("verification_passkey", "passkey", "unverified")
    options = parsed(sfv["nonce"])
    assert options["rpId"] == "127.0.0.1" and options["userVerification"] == "required"
    assert [c["id"] for c in options["allowCredentials"]] == [passkey_credential_id(authenticator)]
    assert error(device.call("POST", attempt, {"strategy": "passkey"}), 422) == "passkey_invalid_public_key_credential"
    # Another user's passkey, or one the instance never saw, does not pass; the sign-in stays open.
    other_browser = Fapi(emu)
    other_browser.sign_in(email_of(bapi.create_user()))
    other_key, _ = register_passkey(other_browser, emu)
    other_browser.close()
    assert error(device.call("POST", attempt, {"strategy": "passkey", "public_key_credential":
                                                other_key.assertion(sfv["nonce"], emu.fapi_url)}), 400) == \
        "passkey_authentication_failure"
    assert error(device.call("POST", attempt, {"strategy": "passkey", "public_key_credential":
                                                SoftAuthenticator().assertion(sfv["nonce"], emu.fapi_url)}), 404) == \
        "passkey_not_registered"
    assert device.call("GET", path).response["second_factor_verification"]["attempts"] == 2
    assertion = authenticator.assertion(sfv["nonce"], emu.fapi_url)
    session = finish(device, device.call("POST", attempt, {"strategy": "passkey", "public_key_credential": assertion}))
    assert session["user"]["id"] == user["id"] and session["factor_verification_age"] == [0, 0]
    assert session["user"]["passkeys"][0]["last_used_at"]
    device.close()
    # A replayed assertion fails on the next sign-in; with TOTP too, Clerk's order: totp, passkey, backup codes.
    enable_totp(me)
    again = Fapi(emu)
    si = password_sign_in(again, email_of(user))
    assert [f["strategy"] for f in si["supported_second_factors"]] == ["totp", "passkey", "backup_code"]
    again.call("POST", f"/v1/client/sign_ins/{si['id']}/prepare_second_factor", {"strategy": "passkey"})
    assert error(again.call("POST", f"/v1/client/sign_ins/{si['id']}/attempt_second_factor",
                            {"strategy": "passkey", "public_key_credential": assertion}), 400) == \
        "passkey_invalid_verification"
    again.close()


# --- reverification ---------------------------------------------------------------------------------
def test_reverification_gates_sensitive_actions(emu: LocalProcess, me: Fapi, user: dict[str, Any],
                                                settings: Any) -> None:
    settings({"reverification": {"enabled": True}})
    assert me.call("GET", "/v1/environment").json["auth_config"]["reverification"] is True
    # Freshly signed in: allowed.
    r = me.call("POST", "/v1/me/change_password", {"current_password": PASSWORD, "new_password": "second-password"})
    assert r.status == 200, r
    advance(emu, 11 * 60)
    gated = me.call("POST", "/v1/me/change_password", {"current_password": "second-password",
                                                       "new_password": "third-password"})
    assert error(gated, 403) == "session_reverification_required"
    assert gated.error()["long_message"] == "You need to provide additional verification to perform this operation"
    assert error(me.call("POST", "/v1/me/totp"), 403) == "session_reverification_required"
    assert error(me.call("DELETE", "/v1/me"), 403) == "session_reverification_required"
    base = f"/v1/client/sessions/{me.session_id}/verify"
    assert error(me.call("POST", base + "/attempt_first_factor", {"strategy": "password", "password": "x"}),
                 400) == "session_reverification_missing"
    r = me.call("POST", base, {"level": "second_factor"})  # no second factor: falls back to the first
    assert r.status == 200, r
    rv = r.response
    assert (rv["object"], rv["status"], rv["level"]) == ("session_reverification", "needs_first_factor",
                                                         "first_factor")
    assert [f["strategy"] for f in rv["supported_first_factors"]] == ["password", "email_code"]
    assert rv["session"]["factor_verification_age"][0] >= 11
    assert error(me.call("POST", base + "/attempt_second_factor", {"strategy": "totp", "code": "123456"}),
                 400) == "invalid_action_for_session_reverification"
    assert error(me.call("POST", base + "/attempt_first_factor", {"strategy": "password", "password": "nope-nope"}),
                 422) == "form_password_incorrect"
    r = me.call("POST", base + "/attempt_first_factor", {"strategy": "password", "password": "second-password"})
    assert r.response["status"] == "complete", r
    assert r.response["session"]["factor_verification_age"] == [0, -1]
    session = next(s for s in r.client["sessions"] if s["id"] == me.session_id)
    assert claims(session["last_active_token"]["jwt"])["fva"] == [0, -1]
    r = me.call("POST", "/v1/me/change_password", {"current_password": "second-password",
                                                   "new_password": "third-password"})
    assert r.status == 200, r
    # Under reverification the recent factor proves the caller: clerk-js's form sends no current password.
    r = me.call("POST", "/v1/me/change_password", {"new_password": "fourth-password"})
    assert r.status == 200, r
    assert error(me.call("POST", "/v1/me/change_password", {"current_password": "third-password",
                                                            "new_password": "fifth-password"}),
                 422) == "form_password_incorrect"  # one that is given is still checked
    settings({"reverification": {"enabled": False}})
    missing = me.call("POST", "/v1/me/change_password", {"new_password": "fifth-password"})
    assert error(missing, 422) == "form_password_incorrect"
    assert missing.error()["meta"]["param_name"] == "current_password"
    assert me.call("POST", "/v1/me/change_password", {"current_password": "fourth-password",
                                                      "new_password": "fifth-password"}).status == 200


def test_reverification_with_email_code_and_second_factor(emu: LocalProcess, me: Fapi, user: dict[str, Any],
                                                          settings: Any) -> None:
    secret, _ = enable_totp(me)
    settings({"reverification": {"enabled": True}})
    # The sign-in verified only one factor, and this user has a second: reverify with TOTP.
    assert error(me.call("POST", "/v1/me/backup_codes"), 403) == "session_reverification_required"
    base = f"/v1/client/sessions/{me.session_id}/verify"
    rv = me.call("POST", base, {"level": "multi_factor"}).response
    assert rv["status"] == "needs_first_factor" and [f["strategy"] for f in rv["supported_second_factors"]] == \
        ["totp", "backup_code"]
    r = me.call("POST", base + "/prepare_first_factor", {"strategy": "email_code"})
    assert r.response["first_factor_verification"]["strategy"] == "email_code"
    message = outbox(emu, email_of(user))[0]
    assert message["kind"] == "reverification_code"
    r = me.call("POST", base + "/attempt_first_factor", {"strategy": "email_code", "code": message["code"]})
    assert r.response["status"] == "needs_second_factor", r
    assert error(me.call("POST", base + "/attempt_second_factor", {"strategy": "totp", "code": "99999"}), 422) == \
        "form_code_incorrect"
    r = me.call("POST", base + "/attempt_second_factor", {"strategy": "totp", "code": unused_step_code(secret)})
    assert r.response["status"] == "complete" and r.response["session"]["factor_verification_age"] == [0, 0], r
    assert me.call("POST", "/v1/me/backup_codes").status == 200


def test_factor_verification_age_grows(emu: LocalProcess, me: Fapi) -> None:
    r = httpx.post(f"{emu.fapi_url}/__emulator/sessions/{me.session_id}/age", json={"minutes": 42})
    assert r.status_code == 200 and r.json() == {"factor_verification_age": [42, -1]}
    session = next(s for s in me.call("GET", "/v1/client").response["sessions"] if s["id"] == me.session_id)
    assert session["factor_verification_age"] == [42, -1]
    assert claims(session["last_active_token"]["jwt"])["fva"] == [42, -1]


# --- required MFA -----------------------------------------------------------------------------------
def test_required_mfa_gives_new_sessions_a_setup_task(emu: LocalProcess, me: Fapi, user: dict[str, Any],
                                                      settings: Any) -> None:
    settings({"sign_in": {"second_factor": {"required": True}}})
    session = next(s for s in me.call("GET", "/v1/client").response["sessions"] if s["id"] == me.session_id)
    assert session["status"] == "pending" and session["tasks"] == [{"key": "setup-mfa"}]
    assert claims(session["last_active_token"]["jwt"])["sts"] == "pending"
    enable_totp(me)
    session = next(s for s in me.call("GET", "/v1/client").response["sessions"] if s["id"] == me.session_id)
    assert session["status"] == "active" and session["tasks"] is None
    assert error(me.call("DELETE", "/v1/me/totp"), 400) == "second_factor_deletion_not_allowed"


# --- sessions with activities -----------------------------------------------------------------------
def test_sessions_with_activities_and_revoke(emu: LocalProcess, user: dict[str, Any]) -> None:
    laptop, phone = Fapi(emu), Fapi(emu)
    laptop.http.headers["User-Agent"] = CHROME_MAC
    phone.http.headers["User-Agent"] = SAFARI_IPHONE
    laptop.sign_in(email_of(user))
    phone.sign_in(email_of(user))
    listed = laptop.call("GET", "/v1/me/sessions/active")
    assert listed.status == 200 and isinstance(listed.json, list)
    by_id = {item["id"]: item["latest_activity"] for item in listed.json}
    assert by_id[laptop.session_id] == {
        "object": "session_activity", "id": "sess_activity_" + laptop.session_id.removeprefix("sess_"),
        "browser_name": "Chrome", "browser_version": "126.0.6478.127", "device_type": "Macintosh",
        "is_mobile": False, "ip_address": "127.0.0.1"}
    mobile = by_id[phone.session_id]
    assert (mobile["browser_name"], mobile["browser_version"], mobile["device_type"], mobile["is_mobile"]) == \
        ("Safari", "17.5", "iPhone", True)
    r = laptop.call("POST", f"/v1/me/sessions/{phone.session_id}/revoke")
    assert r.status == 200 and r.response["id"] == phone.session_id and r.response["status"] == "revoked", r
    assert [item["id"] for item in laptop.call("GET", "/v1/me/sessions/active").json] == [laptop.session_id]
    assert phone.call("GET", "/v1/client").response["sessions"] == []
    stranger = Fapi(emu)
    stranger.sign_in(email_of(Bapi(emu).create_user()))
    assert error(stranger.call("POST", f"/v1/me/sessions/{laptop.session_id}/revoke"), 404) == "resource_not_found"
    for device in (laptop, phone, stranger):
        device.close()
