"""The Backend API's user fields over raw HTTP, every response checked against Clerk's OpenAPI file, each proven
through the Frontend API: ``delete_self_enabled`` (``DELETE /v1/me``), ``create_organization_enabled`` and
``create_organizations_limit`` (creating organizations), ``locale``, ``legal_accepted_at`` and ``created_at`` (the
user JSON), ``skip_password_requirement`` (a user without a password where the instance requires one), Web3 wallets
(refused), and ``password/set_compromised`` / ``unset_compromised`` (password sign-in refused with
``form_password_compromised``, the ``reset-password`` session task). Wrong types are a 422 naming the parameter,
and a refused request writes nothing."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import pytest
from clerk_emulator.kit import LocalProcess
from emu_support import PASSWORD, Bapi, Fapi, Reply, email_of

pytestmark = pytest.mark.emulator

NEW_PASSWORD = "a-brand-new-password"


def error(reply: Reply, status: int) -> tuple[str, str | None]:
    """(code, meta.param_name) of a refusal with ``status``."""
    assert reply.status == status, reply
    err = reply.error()
    return str(err["code"]), (err.get("meta") or {}).get("param_name")


def ms(text: str) -> int:
    return int(datetime.fromisoformat(text).timestamp() * 1000)


def new_email(tag: str = "fields") -> str:
    return f"{tag}-{secrets.token_hex(4)}+clerk_test@example.com"


@pytest.fixture
def devices(emu: LocalProcess) -> Iterator[Callable[[], Fapi]]:
    """Fresh browsers, closed after the test."""
    made: list[Fapi] = []

    def device() -> Fapi:
        made.append(Fapi(emu))
        return made[-1]

    yield device
    for d in made:
        d.close()


def fetch(bapi: Bapi, user_id: str) -> dict[str, Any]:
    r = bapi.call("GET", f"/users/{user_id}")
    assert r.status == 200, r
    return dict(r.json)


def users_with(bapi: Bapi, email: str) -> list[Any]:
    return list(bapi.call("GET", "/users", params={"email_address": email}).json)


def me(device: Fapi) -> dict[str, Any]:
    r = device.call("GET", "/v1/me")
    assert r.status == 200, r
    return dict(r.response)


def code_sign_in(device: Fapi, email: str) -> Reply:
    """A sign-in with an email code (424242 for test addresses); the session becomes the device's."""
    si = device.call("POST", "/v1/client/sign_ins", {"identifier": email, "strategy": "email_code"})
    assert si.status == 200, si
    r = device.call("POST", f"/v1/client/sign_ins/{si.response['id']}/attempt_first_factor",
                    {"strategy": "email_code", "code": "424242"})
    assert r.status == 200 and r.response["status"] == "complete", r
    device.session_id = r.response["created_session_id"]
    return r


def session_of(device: Fapi) -> dict[str, Any]:
    r = device.call("GET", "/v1/client")
    assert r.status == 200, r
    return next(s for s in r.response["sessions"] if s["id"] == device.session_id)


# --- profile fields on both APIs -------------------------------------------------------------------------------
def test_profile_fields_show_on_both_apis(bapi: Bapi, devices: Callable[[], Fapi]) -> None:
    user = bapi.create_user(locale="fr-FR", legal_accepted_at="2024-01-02T03:04:05.678Z",
                            created_at="2020-05-06T09:08:07+02:00", delete_self_enabled=False)
    assert (user["locale"], user["legal_accepted_at"], user["created_at"], user["delete_self_enabled"]) == \
        ("fr-FR", ms("2024-01-02T03:04:05.678+00:00"), ms("2020-05-06T07:08:07+00:00"), False)
    device = devices()
    device.sign_in(email_of(user))
    shown = me(device)
    assert (shown["locale"], shown["legal_accepted_at"], shown["created_at"], shown["delete_self_enabled"]) == \
        ("fr-FR", ms("2024-01-02T03:04:05.678+00:00"), ms("2020-05-06T07:08:07+00:00"), False)
    # The imported creation time orders the user before one created now.
    later = bapi.create_user()
    for order, expected in (("+created_at", [user["id"], later["id"]]), ("-created_at", [later["id"], user["id"]])):
        listed = bapi.call("GET", "/users", params={"user_id": [user["id"], later["id"]], "order_by": order}).json
        assert [u["id"] for u in listed] == expected
    r = bapi.call("PATCH", f"/users/{user['id']}", {"locale": "en-GB", "legal_accepted_at": None,
                                                    "created_at": "2019-12-31T23:59:59Z", "delete_self_enabled": True})
    assert r.status == 200, r
    shown = me(device)
    assert (shown["locale"], shown["legal_accepted_at"], shown["created_at"], shown["delete_self_enabled"]) == \
        ("en-GB", None, ms("2019-12-31T23:59:59+00:00"), True)
    untouched = bapi.call("PATCH", f"/users/{user['id']}", {"first_name": "Ada"}).json
    assert (untouched["locale"], untouched["delete_self_enabled"]) == ("en-GB", True)  # absent fields stay


def test_defaults_of_a_plain_user(bapi: Bapi, user: dict[str, Any]) -> None:
    assert (user["locale"], user["legal_accepted_at"], user["delete_self_enabled"],
            user["create_organization_enabled"], user["create_organizations_limit"]) == (None, None, True, True, None)


def test_legal_consent_of_a_sign_up_reaches_the_user(emu: LocalProcess, settings: Any,
                                                     devices: Callable[[], Fapi]) -> None:
    """The Frontend API's sign-up ``legal_accepted`` (required while the instance asks for legal consent) becomes
    the user's ``legal_accepted_at``."""
    settings({"sign_up": {"legal_consent_enabled": True}})
    device = devices()
    email = new_email("legal")
    r = device.call("POST", "/v1/client/sign_ups", {"email_address": email, "password": PASSWORD})
    assert r.status == 200 and "legal_accepted" in r.response["missing_fields"], r
    r = device.call("PATCH", f"/v1/client/sign_ups/{r.response['id']}", {"legal_accepted": "true"})
    assert r.status == 200 and "legal_accepted" not in r.response["missing_fields"], r
    accepted = r.response["legal_accepted_at"]
    assert isinstance(accepted, int)
    sid = r.response["id"]
    device.call("POST", f"/v1/client/sign_ups/{sid}/prepare_verification", {"strategy": "email_code"})
    r = device.call("POST", f"/v1/client/sign_ups/{sid}/attempt_verification",
                    {"strategy": "email_code", "code": "424242"})
    assert r.status == 200 and r.response["status"] == "complete", r
    device.session_id = r.response["created_session_id"]
    assert me(device)["legal_accepted_at"] == accepted


# --- delete_self_enabled -----------------------------------------------------------------------------------------
def test_delete_self_enabled_guards_delete_me(bapi: Bapi, devices: Callable[[], Fapi]) -> None:
    user = bapi.create_user(delete_self_enabled=False)
    device = devices()
    device.sign_in(email_of(user))
    assert error(device.call("DELETE", "/v1/me"), 403) == ("user_delete_self_not_enabled", None)
    assert fetch(bapi, user["id"])["id"] == user["id"]  # still there
    assert me(device)["id"] == user["id"]  # and still signed in
    assert bapi.call("PATCH", f"/users/{user['id']}", {"delete_self_enabled": True}).status == 200
    r = device.call("DELETE", "/v1/me")
    assert r.status == 200 and r.response["deleted"] is True, r
    assert bapi.call("GET", f"/users/{user['id']}").status == 404


# --- organization switches ---------------------------------------------------------------------------------------
def test_organization_switches_on_the_frontend_api(bapi: Bapi, devices: Callable[[], Fapi]) -> None:
    user = bapi.create_user(create_organization_enabled=False)
    assert user["create_organization_enabled"] is False
    device = devices()
    device.sign_in(email_of(user))
    assert me(device)["create_organization_enabled"] is False
    assert error(device.call("POST", "/v1/organizations", {"name": "Nope"}), 403) == \
        ("user_create_organization_not_enabled", None)
    bapi.call("PATCH", f"/users/{user['id']}", {"create_organization_enabled": True, "create_organizations_limit": 1})
    assert me(device)["create_organizations_limit"] == 1
    assert device.call("POST", "/v1/organizations", {"name": "First"}).status == 200
    assert error(device.call("POST", "/v1/organizations", {"name": "Second"}), 403)[0] == "org_creation_limit_exceeded"
    bapi.call("PATCH", f"/users/{user['id']}", {"create_organizations_limit": 0})  # 0: no limit, as clerk-js reads it
    assert device.call("POST", "/v1/organizations", {"name": "Second"}).status == 200
    assert device.call("POST", "/v1/organizations", {"name": "Third"}).status == 200


# --- skip_password_requirement -----------------------------------------------------------------------------------
def test_a_password_is_required_unless_skipped(bapi: Bapi, devices: Callable[[], Fapi], settings: Any) -> None:
    email = new_email("nopass")
    r = bapi.call("POST", "/users", {"email_address": [email], "first_name": "Pat"})
    assert error(r, 422) == ("form_param_missing", "password")
    assert users_with(bapi, email) == []  # nothing written
    r = bapi.call("POST", "/users", {"email_address": [email], "skip_password_requirement": True})
    assert r.status == 200 and r.json["password_enabled"] is False, r
    device = devices()
    refused = device.call("POST", "/v1/client/sign_ins", {"identifier": email, "password": PASSWORD})
    assert refused.status == 400 and refused.error()["code"] == "strategy_for_user_invalid", refused
    code_sign_in(device, email)  # another factor signs the user in
    assert me(device)["password_enabled"] is False
    # Where a password is optional, no flag is needed.
    settings({"attributes": {"password": {"required": False}}})
    r = bapi.call("POST", "/users", {"email_address": [new_email("optional")]})
    assert r.status == 200 and r.json["password_enabled"] is False, r


def test_skip_password_requirement_needs_another_way_in(bapi: Bapi, settings: Any) -> None:
    settings({"attributes": {"email_address": {"first_factors": [], "verifications": ["email_code"]},
                             "passkey": {"enabled": False}},
              "social": {"oauth_google": {"enabled": False}, "oauth_github": {"enabled": False}},
              "enterprise_sso": {"enabled": False}})
    email = new_email("onlypass")
    r = bapi.call("POST", "/users", {"email_address": [email], "skip_password_requirement": True})
    assert error(r, 422) == ("form_param_value_invalid", "skip_password_requirement")
    assert users_with(bapi, email) == []
    assert bapi.call("POST", "/users", {"email_address": [email], "password": PASSWORD}).status == 200


# --- Web3 wallets ------------------------------------------------------------------------------------------------
def test_web3_wallets_are_refused_not_dropped(bapi: Bapi, user: dict[str, Any]) -> None:
    email = new_email("web3")
    wallet = "0x" + "ab" * 20
    r = bapi.call("POST", "/users", {"email_address": [email], "password": PASSWORD, "web3_wallet": [wallet]})
    assert error(r, 403) == ("feature_not_enabled", "web3_wallet")
    assert users_with(bapi, email) == []
    r = bapi.call("POST", "/users", {"email_address": [email], "password": PASSWORD, "web3_wallet": []})
    assert r.status == 200 and r.json["web3_wallets"] == [], r
    before = fetch(bapi, user["id"])
    r = bapi.call("PATCH", f"/users/{user['id']}", {"primary_web3_wallet_id": "idn_x", "first_name": "Changed"})
    assert error(r, 403) == ("feature_not_enabled", "primary_web3_wallet_id")
    assert fetch(bapi, user["id"]) == before


# --- wrong types --------------------------------------------------------------------------------------------------
BAD_VALUES = [
    ("delete_self_enabled", "no", "form_param_value_invalid"),
    ("create_organization_enabled", 1, "form_param_value_invalid"),
    ("create_organizations_limit", -1, "form_param_value_invalid"),
    ("create_organizations_limit", "3", "form_param_value_invalid"),
    ("create_organizations_limit", True, "form_param_value_invalid"),
    ("bypass_client_trust", "true", "form_param_value_invalid"),
    ("locale", 5, "form_param_value_invalid"),
    ("locale", "not a locale!", "form_param_format_invalid"),
    ("legal_accepted_at", "yesterday", "form_param_format_invalid"),
    ("legal_accepted_at", 1700000000, "form_param_format_invalid"),
    ("legal_accepted_at", "2024-01-02", "form_param_format_invalid"),
    ("created_at", "2024-01-02T03:04:05", "form_param_format_invalid"),  # no time zone
    ("created_at", ["2024-01-02T03:04:05Z"], "form_param_format_invalid"),
    ("skip_legal_checks", "yes", "form_param_value_invalid"),
    ("skip_password_checks", 1, "form_param_value_invalid"),
]
CREATE_ONLY = [
    ("skip_password_requirement", "yes", "form_param_value_invalid"),
    ("web3_wallet", "0xabc", "form_param_value_invalid"),
    ("web3_wallet", [7], "form_param_value_invalid"),
    ("email_address", "one@example.com", "form_param_value_invalid"),
]


@pytest.mark.parametrize(("field", "value", "code"), BAD_VALUES + CREATE_ONLY)
def test_wrong_types_on_create_write_nothing(bapi: Bapi, field: str, value: Any, code: str) -> None:
    email = new_email("typed")
    body = {"email_address": [email], "password": PASSWORD, field: value}
    assert error(bapi.call("POST", "/users", body), 422) == (code, field)
    assert users_with(bapi, email) == []


@pytest.mark.parametrize(("field", "value", "code"), BAD_VALUES)
def test_wrong_types_on_update_change_nothing(bapi: Bapi, user: dict[str, Any], field: str, value: Any,
                                              code: str) -> None:
    before = fetch(bapi, user["id"])
    r = bapi.call("PATCH", f"/users/{user['id']}", {"first_name": "Changed", "locale": "de-DE", field: value})
    assert error(r, 422) == (code, field)
    assert fetch(bapi, user["id"]) == before


# --- compromised passwords ---------------------------------------------------------------------------------------
def test_compromised_password_cannot_sign_in_and_the_session_must_reset_it(
        bapi: Bapi, devices: Callable[[], Fapi]) -> None:
    user = bapi.create_user()
    email = email_of(user)
    earlier = devices()
    earlier.sign_in(email)
    r = bapi.call("POST", f"/users/{user['id']}/password/set_compromised", {})
    assert r.status == 200 and r.json["id"] == user["id"] and r.json["password_enabled"] is True, r
    assert session_of(earlier)["status"] == "active"  # kept: revoke_all_sessions was not asked for
    device = devices()
    wrong = device.call("POST", "/v1/client/sign_ins", {"identifier": email, "password": "not-the-password"})
    assert error(wrong, 422) == ("form_password_incorrect", "password")
    right = device.call("POST", "/v1/client/sign_ins", {"identifier": email, "password": PASSWORD})
    assert error(right, 422) == ("form_password_compromised", "password")
    assert "alternative sign-in method" in right.error()["long_message"]
    # Another factor signs in; the new session must reset the password first (clerk-js's reset-password task).
    code_sign_in(device, email)
    sess = session_of(device)
    assert sess["status"] == "pending" and sess["tasks"] == [{"key": "reset-password"}], sess
    r = device.call("POST", "/v1/me/change_password", {"new_password": NEW_PASSWORD})  # no current password
    assert r.status == 200, r
    sess = session_of(device)
    assert sess["status"] == "active" and not sess["tasks"], sess
    fresh = devices()
    fresh.sign_in(email, NEW_PASSWORD)


def test_compromised_password_reset_by_email_code(bapi: Bapi, devices: Callable[[], Fapi]) -> None:
    user = bapi.create_user()
    email = email_of(user)
    earlier = devices()
    earlier.sign_in(email)
    r = bapi.call("POST", f"/users/{user['id']}/password/set_compromised", {"revoke_all_sessions": True})
    assert r.status == 200, r
    assert bapi.call("GET", "/sessions", params={"user_id": user["id"]}).json[0]["status"] == "revoked"
    device = devices()
    si = device.call("POST", "/v1/client/sign_ins", {"identifier": email}).response
    factors = {f["strategy"] for f in si["supported_first_factors"]}
    assert "reset_password_email_code" in factors  # what clerk-js offers after form_password_compromised
    base = f"/v1/client/sign_ins/{si['id']}"
    assert device.call("POST", base + "/prepare_first_factor", {"strategy": "reset_password_email_code"}).status == 200
    r = device.call("POST", base + "/attempt_first_factor", {"strategy": "reset_password_email_code",
                                                             "code": "424242"})
    assert r.status == 200 and r.response["status"] == "needs_new_password", r
    r = device.call("POST", base + "/reset_password", {"password": NEW_PASSWORD})
    assert r.status == 200 and r.response["status"] == "complete", r
    device.session_id = r.response["created_session_id"]
    assert session_of(device)["status"] == "active"  # the reset ended the mark: no task
    devices().sign_in(email, NEW_PASSWORD)


def test_unset_compromised_and_refusals(bapi: Bapi, devices: Callable[[], Fapi], settings: Any) -> None:
    user = bapi.create_user()
    base = f"/users/{user['id']}/password"
    assert bapi.call("POST", base + "/set_compromised").status == 200  # no body at all
    assert bapi.call("POST", base + "/set_compromised", {}).status == 200  # marked again: no change
    r = bapi.call("POST", base + "/unset_compromised")
    assert r.status == 200 and r.json["id"] == user["id"], r
    devices().sign_in(email_of(user))  # the password signs in again
    assert bapi.call("POST", base + "/unset_compromised").status == 200  # not marked: answered as is
    assert error(bapi.call("POST", base + "/set_compromised", {"revoke_all_sessions": "yes"}), 422) == \
        ("form_param_value_invalid", "revoke_all_sessions")
    assert error(bapi.call("POST", base + "/set_compromised", {"other": 1}), 422) == ("form_param_unknown", "other")
    assert error(bapi.call("POST", base + "/unset_compromised", {"revoke_all_sessions": True}), 422)[0] == \
        "form_param_unknown"
    assert bapi.call("POST", "/users/user_missing/password/set_compromised", {}).status == 404
    assert bapi.call("POST", "/users/user_missing/password/unset_compromised").status == 404
    passwordless = bapi.call("POST", "/users", {"email_address": [new_email("nopw")],
                                                "skip_password_requirement": True}).json
    r = bapi.call("POST", f"/users/{passwordless['id']}/password/set_compromised", {})
    assert error(r, 400) == ("no_password_set", None)
    settings({"attributes": {"password": {"enabled": False, "required": False}}})
    assert error(bapi.call("POST", base + "/set_compromised", {}), 403) == ("password_disabled", None)
    settings({"attributes": {"password": {"enabled": True, "required": True}}})
    devices().sign_in(email_of(user))  # nothing was marked


# --- Clerk's Python Backend SDK ------------------------------------------------------------------------------------
def test_clerk_backend_api_sends_the_fields(emu: LocalProcess, bapi: Bapi, devices: Callable[[], Fapi]) -> None:
    """clerk-backend-api 7.0.0's ``users.create`` / ``set_password_compromised`` / ``unset_password_compromised``
    parse the answers, and a refusal reaches it as ``ClerkErrors``."""
    from clerk_backend_api import Clerk
    from clerk_backend_api.models import ClerkErrors

    email = new_email("pysdk")
    with Clerk(bearer_auth=emu.secret_key, server_url=emu.bapi_url) as clerk:
        made = clerk.users.create(email_address=[email], skip_password_requirement=True, locale="de-DE",
                                  legal_accepted_at="2023-03-04T05:06:07Z", created_at="2021-01-01T00:00:00Z",
                                  delete_self_enabled=False, create_organizations_limit=2)
        assert made.id is not None and made.password_enabled is False and made.locale == "de-DE"
        assert (made.created_at, made.legal_accepted_at, made.delete_self_enabled, made.create_organizations_limit) \
            == (ms("2021-01-01T00:00:00+00:00"), ms("2023-03-04T05:06:07+00:00"), False, 2)
        with pytest.raises(ClerkErrors) as refused:
            clerk.users.create(email_address=[new_email("pysdk")], created_at="last tuesday", password=PASSWORD)
        assert refused.value.data.errors[0].code == "form_param_format_invalid"
        user = bapi.create_user()
        marked = clerk.users.set_password_compromised(user_id=str(user["id"]), revoke_all_sessions=True)
        assert marked.id == user["id"]
        device = devices()
        r = device.call("POST", "/v1/client/sign_ins", {"identifier": email_of(user), "password": PASSWORD})
        assert error(r, 422) == ("form_password_compromised", "password")
        assert clerk.users.unset_password_compromised(user_id=str(user["id"])).id == user["id"]
        device.sign_in(email_of(user))
