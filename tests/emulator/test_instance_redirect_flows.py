"""Redirect and link flows of the local Clerk instance over real HTTP: OAuth and enterprise SSO through the fake
identity provider, email links, codes in the outbox, connected accounts, password reset, instance settings."""

from __future__ import annotations

import base64
import json
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from clerk_emulator.kit import LocalProcess
from emu_support import PASSWORD, Bapi, Fapi, Reply, email_of

pytestmark = pytest.mark.emulator

APP = "http://127.0.0.1:5999"
CALLBACK = APP + "/sso-callback"
DONE = APP + "/done"


def outbox(emu: LocalProcess, to: str) -> list[dict[str, Any]]:
    r = httpx.get(emu.fapi_url + "/__emulator/outbox", params={"to": to})
    assert r.status_code == 200
    return list(r.json()["data"])


def provider(fapi: Fapi, url: str, email: str, *, name: str = "Ada Lovelace", verified: bool = True,
             action: str = "continue") -> str:
    """Play the user on the fake provider's page, then follow the callback; the URL the app gets back."""
    page = fapi.http.get(url)
    assert page.status_code == 200 and '<label for="email">Email</label>' in page.text
    assert '<label for="name">Name</label>' in page.text and ">Continue</button>" in page.text
    state = parse_qs(urlsplit(url).query)["state"][0]
    form = {"state": state, "email": email, "name": name, "action": action}
    if verified:
        form["verified"] = "true"
    decided = fapi.http.post(urlsplit(url).path.replace("/authorize", "/decide"), data=form)
    assert decided.status_code == 303, decided.text
    callback = fapi.http.get(decided.headers["location"])
    assert callback.status_code == 303, callback.text
    return str(callback.headers["location"])


def start_sign_in(fapi: Fapi, strategy: str = "oauth_google", **extra: str) -> str:
    r = fapi.call("POST", "/v1/client/sign_ins", {"strategy": strategy, "redirect_url": CALLBACK,
                                                   "action_complete_redirect_url": DONE, **extra})
    assert r.status == 200, r
    ffv = r.response["first_factor_verification"]
    assert r.response["status"] == "needs_first_factor"
    assert ffv["status"] == "unverified" and ffv["strategy"] == strategy
    return str(ffv["external_verification_redirect_url"])


def client(fapi: Fapi) -> dict[str, Any]:
    return dict(fapi.call("GET", "/v1/client").response)


def new_email(tag: str) -> str:
    return f"{tag}-{base64.b32encode(__import__('os').urandom(5)).decode().lower()}@example.com"


def user_by_email(bapi: Bapi, email: str) -> dict[str, Any] | None:
    r = bapi.call("GET", "/users", params={"email_address": email})
    return r.json[0] if r.json else None


def error(r: Reply, status: int) -> str:
    assert r.status == status, r
    return str(r.error()["code"])


# --- environment and settings ------------------------------------------------------------------
def test_environment_reflects_settings(emu: LocalProcess, fapi: Fapi, settings: Any) -> None:
    env = fapi.call("GET", "/v1/environment").json
    social = env["user_settings"]["social"]
    assert social["oauth_google"]["enabled"] and social["oauth_google"]["name"] == "Google"
    assert social["oauth_github"]["authenticatable"] and social["oauth_github"]["strategy"] == "oauth_github"
    email = env["user_settings"]["attributes"]["email_address"]
    assert email["first_factors"] == ["email_code", "email_link"] and email["verifications"] == ["email_code",
                                                                                                "email_link"]
    first = env["auth_config"]["first_factors"]
    assert {"password", "email_code", "email_link", "reset_password_email_code", "oauth_google", "oauth_github",
            "enterprise_sso", "ticket"} <= set(first)
    assert env["auth_config"]["cookieless_dev"] is False
    assert {"logo_image_url", "favicon_image_url"} <= set(env["display_config"])
    assert env["user_settings"]["enterprise_sso"]["enabled"] is True

    settings({"social": {"oauth_github": None, "oauth_gitlab": {"enabled": True}},
              "attributes": {"email_address": {"first_factors": ["email_code"]}}, "sign_up": {"mode": "restricted"}})
    env = fapi.call("GET", "/v1/environment").json
    assert set(env["user_settings"]["social"]) == {"oauth_google", "oauth_gitlab"}
    assert env["user_settings"]["social"]["oauth_gitlab"]["name"] == "GitLab"
    assert env["user_settings"]["attributes"]["email_address"]["first_factors"] == ["email_code"]
    assert env["user_settings"]["sign_up"]["mode"] == "restricted"
    assert "email_link" not in env["auth_config"]["first_factors"]
    r = fapi.call("POST", "/v1/client/sign_ups", {"email_address": new_email("restricted")})
    assert error(r, 403) == "sign_up_mode_restricted"

    # A bad document is refused whole: nothing of it applies.
    before = httpx.get(emu.fapi_url + "/__emulator/settings").json()
    for bad in ({"sign_up": {"mode": "open"}}, {"social": {"google": {"enabled": True}}}, {"nope": 1},
                {"attributes": {"email_address": {"first_factors": ["password"]}}}, {"sign_up": None}):
        r2 = httpx.patch(emu.fapi_url + "/__emulator/settings", json=bad)
        assert r2.status_code == 400 and r2.json()["error"], bad
    assert httpx.patch(emu.fapi_url + "/__emulator/settings", content=b"{oops").status_code == 400
    assert httpx.get(emu.fapi_url + "/__emulator/settings").json() == before


def test_settings_file_is_the_startup_layer(tmp_path: Any) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"social": {"oauth_google": {"enabled": False}, "oauth_discord": {"enabled": True}},
                                "enterprise_sso": {"enabled": False}}))
    with LocalProcess(tmp_path / "data", settings_file=path) as emu:
        env = httpx.get(emu.fapi_url + "/v1/environment").json()
        social = env["user_settings"]["social"]
        assert social["oauth_google"]["enabled"] is False and social["oauth_discord"]["enabled"] is True
        assert "enterprise_sso" not in env["auth_config"]["first_factors"]
        assert httpx.patch(emu.fapi_url + "/__emulator/settings",
                           json={"social": {"oauth_google": {"enabled": True}}}).status_code == 200
        assert httpx.delete(emu.fapi_url + "/__emulator/settings").json()["social"]["oauth_google"]["enabled"] is False
    path.write_text('{"sign_up": {"mode": "sometimes"}}')
    with pytest.raises(Exception, match="settings"), LocalProcess(tmp_path / "data2", settings_file=path):
        pass


# --- OAuth sign-in ------------------------------------------------------------------------------
def test_oauth_new_user_is_transferred_to_sign_up(emu: LocalProcess, fapi: Fapi, bapi: Bapi) -> None:
    email = new_email("oauth-new")
    url = start_sign_in(fapi, oidc_login_hint=email)
    assert url.startswith(emu.fapi_url + "/__emulator/idp/google/authorize?")
    query = parse_qs(urlsplit(url).query)
    assert query["redirect_uri"] == [emu.fapi_url + "/v1/oauth_callback"] and query["login_hint"] == [email]
    assert f'value="{email}"' in fapi.http.get(url).text  # the Email field is pre-filled from login_hint
    assert provider(fapi, url, email, name="Ada Lovelace") == CALLBACK
    si = client(fapi)["sign_in"]
    ffv = si["first_factor_verification"]
    assert si["status"] == "needs_identifier" and ffv["status"] == "transferable"
    assert ffv["error"]["code"] == "external_account_not_found" and ffv["external_verification_redirect_url"] == ""
    assert user_by_email(bapi, email) is None  # nothing created before the transfer

    r = fapi.call("POST", "/v1/client/sign_ups", {"transfer": "true"})
    assert r.status == 200, r
    assert r.response["status"] == "complete" and r.client["sign_up"] is None
    assert r.response["verifications"]["external_account"]["status"] == "verified"
    session = r.client["sessions"][0]
    user = session["user"]
    assert (user["first_name"], user["last_name"]) == ("Ada", "Lovelace")
    account = user["external_accounts"][0]
    assert account["provider"] == "google" and account["object"] == "google_account"
    assert account["email_address"] == email and account["verification"]["status"] == "verified"
    address = user["email_addresses"][0]
    assert address["verification"]["strategy"] == "from_oauth_google"
    assert address["linked_to"] == [{"type": "oauth_google", "id": account["id"]}]
    assert r.client["last_authentication_strategy"] == "oauth_google"


def test_oauth_links_a_verified_email_and_completes(fapi: Fapi, bapi: Bapi, user: dict[str, Any]) -> None:
    url = start_sign_in(fapi)
    assert provider(fapi, url, email_of(user)) == DONE  # complete: straight to action_complete_redirect_url
    c = client(fapi)
    si = c["sign_in"]  # completed out of band: still on the client, with the session to activate
    assert si["status"] == "complete" and si["created_session_id"] == c["last_active_session_id"]
    assert si["supported_first_factors"] is None and si["first_factor_verification"]["status"] == "verified"
    fetched = bapi.call("GET", f"/users/{user['id']}").json
    assert [a["provider"] for a in fetched["external_accounts"]] == ["google"]

    # Next time the linked account is found by the provider's id, even under another email.
    fapi.call("DELETE", "/v1/client/sessions")
    url = start_sign_in(fapi)
    assert provider(fapi, url, email_of(user)) == DONE
    assert len(bapi.call("GET", f"/users/{user['id']}").json["external_accounts"]) == 1


def test_oauth_unverified_provider_email_needs_a_first_factor(emu: LocalProcess, fapi: Fapi, bapi: Bapi,
                                                              user: dict[str, Any]) -> None:
    url = start_sign_in(fapi, "oauth_github")
    assert provider(fapi, url, email_of(user), verified=False) == CALLBACK
    si = client(fapi)["sign_in"]
    assert si["status"] == "needs_first_factor" and si["identifier"] == email_of(user)
    r = fapi.call("POST", f"/v1/client/sign_ins/{si['id']}/prepare_first_factor", {"strategy": "email_code"})
    assert r.status == 200, r
    code = outbox(emu, email_of(user))[0]["code"]
    assert code == "424242"  # a +clerk_test address
    r = fapi.call("POST", f"/v1/client/sign_ins/{si['id']}/attempt_first_factor",
                  {"strategy": "email_code", "code": code})
    assert r.response["status"] == "complete"
    assert [a["provider"] for a in bapi.call("GET", f"/users/{user['id']}").json["external_accounts"]] == ["github"]


def test_cancel_on_the_provider_page(fapi: Fapi, bapi: Bapi) -> None:
    email = new_email("cancel")
    url = start_sign_in(fapi)
    assert provider(fapi, url, email, action="cancel") == CALLBACK
    ffv = client(fapi)["sign_in"]["first_factor_verification"]
    assert ffv["status"] == "failed" and ffv["error"]["code"] == "oauth_access_denied"
    assert "Google" in ffv["error"]["long_message"]
    assert user_by_email(bapi, email) is None
    # The provider's answer cannot be replayed, and the state cannot be used again.
    state = parse_qs(urlsplit(url).query)["state"][0]
    replay = fapi.http.get("/v1/oauth_callback", params={"state": state, "code": "anything"})
    assert replay.status_code == 400 and replay.json()["errors"][0]["code"] == "oauth_callback_invalid"
    assert fapi.http.get(url).status_code == 400
    garbage = fapi.http.get("/v1/oauth_callback", params={"state": "nope"})
    assert garbage.status_code == 400 and garbage.json()["errors"][0]["code"] == "oauth_callback_invalid"


def test_identifier_already_signed_in(me: Fapi, user: dict[str, Any]) -> None:
    url = start_sign_in(me)
    assert provider(me, url, email_of(user)) == CALLBACK
    ffv = client(me)["sign_in"]["first_factor_verification"]
    assert ffv["status"] == "failed" and ffv["error"]["code"] == "identifier_already_signed_in"
    assert ffv["error"]["meta"]["session_id"] == me.session_id


def test_redirect_urls_and_strategies_are_checked(fapi: Fapi) -> None:
    base = {"strategy": "oauth_google", "redirect_url": CALLBACK}
    cases = [
        ({**base, "redirect_url": "https://evil.example.com/cb"}, 422, "redirect_url_domain_mismatch"),
        ({**base, "redirect_url": "javascript:alert(1)"}, 422, "prohibited_redirect_url"),
        ({**base, "redirect_url": "/relative"}, 422, "invalid_redirect_url"),
        ({"strategy": "oauth_google"}, 422, "form_param_missing"),
        ({**base, "strategy": "oauth_nope"}, 400, "oauth_provider_not_enabled"),
        ({**base, "strategy": "bogus", "identifier": "x@example.com"}, 422, "form_identifier_not_found"),
    ]
    for form, status, code in cases:
        assert error(fapi.call("POST", "/v1/client/sign_ins", form), status) == code, form
        assert error(fapi.call("POST", "/v1/client/sign_ups", form), status) == code if code != \
            "form_identifier_not_found" else True
    left = fapi.call("GET", "/v1/client").response  # nothing half-done: not even a client was kept
    assert left is None or (left["sign_in"] is None and left["sign_up"] is None)


def test_transfer_without_a_transferable_attempt(fapi: Fapi) -> None:
    assert error(fapi.call("POST", "/v1/client/sign_ups", {"transfer": "true"}), 422) == "form_param_value_invalid"
    assert error(fapi.call("POST", "/v1/client/sign_ins", {"transfer": "true"}), 422) == "form_param_value_invalid"


# --- OAuth sign-up ------------------------------------------------------------------------------
def test_oauth_sign_up_of_an_existing_user_transfers_to_sign_in(fapi: Fapi, user: dict[str, Any]) -> None:
    r = fapi.call("POST", "/v1/client/sign_ups", {"strategy": "oauth_github", "redirect_url": CALLBACK,
                                                   "action_complete_redirect_url": DONE})
    ext = r.response["verifications"]["external_account"]
    assert ext["status"] == "unverified" and ext["object"] == "verification_oauth"
    assert provider(fapi, ext["external_verification_redirect_url"], email_of(user)) == CALLBACK
    su = client(fapi)["sign_up"]
    assert su["status"] == "missing_requirements"
    ext = su["verifications"]["external_account"]
    assert ext["status"] == "transferable" and ext["error"]["code"] == "external_account_exists"
    r = fapi.call("POST", "/v1/client/sign_ins", {"transfer": "true"})
    assert r.response["status"] == "complete" and r.client["sign_in"] is None
    assert r.client["sessions"][0]["user"]["id"] == user["id"]


def test_oauth_sign_up_with_missing_requirements(fapi: Fapi, settings: Any) -> None:
    settings({"attributes": {"username": {"required": True}}})
    email = new_email("needs-username")
    r = fapi.call("POST", "/v1/client/sign_ups", {"strategy": "oauth_google", "redirect_url": CALLBACK,
                                                   "action_complete_redirect_url": DONE})
    assert "username" in r.response["required_fields"] and "password" in r.response["required_fields"]
    url = r.response["verifications"]["external_account"]["external_verification_redirect_url"]
    assert provider(fapi, url, email) == CALLBACK
    su = client(fapi)["sign_up"]
    assert su["status"] == "missing_requirements" and su["missing_fields"] == ["username"]
    assert su["unverified_fields"] == [] and su["email_address"] == email
    assert su["verifications"]["external_account"]["status"] == "verified"
    r = fapi.call("PATCH", f"/v1/client/sign_ups/{su['id']}", {"username": "ada_" + email[13:20]})
    assert r.response["status"] == "complete" and r.client["sign_up"] is None
    assert r.client["sessions"][0]["user"]["password_enabled"] is False


# --- enterprise SSO -----------------------------------------------------------------------------
def test_enterprise_sso_by_email_domain(fapi: Fapi) -> None:
    email = new_email("grace").replace("@example.com", "@enterprise.test")
    r = fapi.call("POST", "/v1/client/sign_ins", {"identifier": email})
    assert r.response["supported_first_factors"] == [{"strategy": "enterprise_sso",
                                                       "enterprise_connection_id": "entconn_local"}]
    r = fapi.call("POST", f"/v1/client/sign_ins/{r.response['id']}/prepare_first_factor",
                  {"strategy": "enterprise_sso", "redirect_url": CALLBACK, "action_complete_redirect_url": DONE})
    ffv = r.response["first_factor_verification"]
    assert ffv["object"] == "verification_saml" and "/__emulator/idp/enterprise/authorize" in \
        ffv["external_verification_redirect_url"]
    page = fapi.http.get(ffv["external_verification_redirect_url"]).text
    assert "Sign in with Example SSO" in page
    assert provider(fapi, ffv["external_verification_redirect_url"], email, verified=False) == CALLBACK
    assert client(fapi)["sign_in"]["first_factor_verification"]["status"] == "transferable"
    r = fapi.call("POST", "/v1/client/sign_ups", {"transfer": "true"})
    assert r.response["status"] == "complete"
    # Identity-provider emails count as verified; no OAuth account is listed for an enterprise identity.
    user = r.client["sessions"][0]["user"]
    assert user["email_addresses"][0]["verification"]["status"] == "verified" and user["external_accounts"] == []


def test_enterprise_sso_refuses_another_domain(fapi: Fapi) -> None:
    url = start_sign_in(fapi, "enterprise_sso", identifier="someone@enterprise.test")
    assert provider(fapi, url, new_email("outsider")) == CALLBACK
    ffv = client(fapi)["sign_in"]["first_factor_verification"]
    assert ffv["status"] == "failed" and ffv["error"]["code"] == "enterprise_sso_email_address_domain_mismatch"


# --- email links ---------------------------------------------------------------------------------
def test_email_link_sign_in(emu: LocalProcess, fapi: Fapi, user: dict[str, Any]) -> None:
    si = fapi.call("POST", "/v1/client/sign_ins", {"identifier": email_of(user)}).response
    factor = next(f for f in si["supported_first_factors"] if f["strategy"] == "email_link")
    r = fapi.call("POST", f"/v1/client/sign_ins/{si['id']}/prepare_first_factor",
                  {"strategy": "email_link", "email_address_id": factor["email_address_id"], "redirect_url": DONE})
    ffv = r.response["first_factor_verification"]
    assert (ffv["object"], ffv["status"], ffv["attempts"]) == ("verification_email_link", "unverified", None)
    message = outbox(emu, email_of(user))[0]
    assert message["kind"] == "sign_in_link" and message["channel"] == "email" and message["link"] in message["body"]
    assert re.fullmatch(re.escape(emu.fapi_url) + r"/v1/verify\?token=[\w-]+", message["link"])
    assert fapi.call("GET", f"/v1/client/sign_ins/{si['id']}").response["status"] == "needs_first_factor"

    other_browser = httpx.get(message["link"])  # opened elsewhere: the session still goes to the starting client
    assert other_browser.status_code == 303
    landed = urlsplit(other_browser.headers["location"])
    params = parse_qs(landed.query)
    assert f"{landed.scheme}://{landed.netloc}{landed.path}" == DONE and params["__clerk_status"] == ["verified"]
    polled = fapi.call("GET", f"/v1/client/sign_ins/{si['id']}")
    assert polled.response["status"] == "complete"
    assert polled.response["first_factor_verification"]["verified_at_client"] == polled.client["id"]
    assert params["__clerk_created_session"] == [polled.response["created_session_id"]]
    assert polled.client["sign_in"]["status"] == "complete"  # out of band: left on the client
    assert polled.client["sessions"][0]["id"] == polled.response["created_session_id"]

    again = httpx.get(message["link"])
    assert parse_qs(urlsplit(again.headers["location"]).query)["__clerk_status"] == ["failed"]
    assert httpx.get(emu.fapi_url + "/v1/verify", params={"token": "nope"}).status_code == 400


def test_email_link_same_client_rule(emu: LocalProcess, fapi: Fapi, user: dict[str, Any], settings: Any) -> None:
    settings({"email_link": {"require_same_client": True}})
    si = fapi.call("POST", "/v1/client/sign_ins", {"identifier": email_of(user)}).response
    fapi.call("POST", f"/v1/client/sign_ins/{si['id']}/prepare_first_factor",
              {"strategy": "email_link", "redirect_url": DONE})
    link = outbox(emu, email_of(user))[0]["link"]
    mismatch = httpx.get(link)
    assert parse_qs(urlsplit(mismatch.headers["location"]).query)["__clerk_status"] == ["client_mismatch"]
    same = fapi.http.get(link)  # the browser that asked for it (its __client cookie)
    assert parse_qs(urlsplit(same.headers["location"]).query)["__clerk_status"] == ["verified"]


def test_email_link_sign_up_and_profile_email(emu: LocalProcess, fapi: Fapi) -> None:
    email = new_email("link-up")
    r = fapi.call("POST", "/v1/client/sign_ups", {"email_address": email, "password": PASSWORD})
    r = fapi.call("POST", f"/v1/client/sign_ups/{r.response['id']}/prepare_verification",
                  {"strategy": "email_link", "redirect_url": DONE})
    assert r.response["verifications"]["email_address"]["strategy"] == "email_link"
    link = outbox(emu, email)[0]["link"]
    landed = parse_qs(urlsplit(httpx.get(link).headers["location"]).query)
    assert landed["__clerk_status"] == ["verified"]
    c = client(fapi)
    assert c["sign_up"]["status"] == "complete" and landed["__clerk_created_session"] == [c["sessions"][0]["id"]]
    fapi.session_id = c["sessions"][0]["id"]

    other = new_email("link-profile")
    item = fapi.call("POST", "/v1/me/email_addresses", {"email_address": other}).response
    r = fapi.call("POST", f"/v1/me/email_addresses/{item['id']}/prepare_verification",
                  {"strategy": "email_link", "redirect_url": DONE})
    assert r.response["verification"]["status"] == "unverified"
    httpx.get(outbox(emu, other)[0]["link"])
    assert fapi.call("GET", f"/v1/me/email_addresses/{item['id']}").response["verification"]["status"] == "verified"


# --- codes ----------------------------------------------------------------------------------------
def test_codes_are_random_except_for_test_identifiers(emu: LocalProcess, fapi: Fapi) -> None:
    email = new_email("code")
    r = fapi.call("POST", "/v1/client/sign_ups", {"email_address": email, "password": PASSWORD,
                                                   "strategy": "email_code"})
    su = r.response
    ver = su["verifications"]["email_address"]
    assert ver["status"] == "unverified" and ver["attempts"] == 0 and "_code" not in ver and "code" not in ver
    message = outbox(emu, email)[0]
    assert message["kind"] == "sign_up_code" and re.fullmatch(r"\d{6}", message["code"])
    assert message["code"] in message["subject"]
    wrong = "000000" if message["code"] != "000000" else "111111"
    r = fapi.call("POST", f"/v1/client/sign_ups/{su['id']}/attempt_verification", {"code": wrong})
    assert error(r, 422) == "form_code_incorrect" and r.error()["meta"]["param_name"] == "code"
    assert r.json["meta"]["client"]["sign_up"]["verifications"]["email_address"]["attempts"] == 1  # counted, kept
    r = fapi.call("POST", f"/v1/client/sign_ups/{su['id']}/attempt_verification", {"code": message["code"]})
    assert r.response["status"] == "complete"

    # Five wrong codes fail the verification for good.
    other = new_email("code-fail")
    su = fapi.call("POST", "/v1/client/sign_ups", {"email_address": other, "password": PASSWORD,
                                                    "strategy": "email_code"}).response
    code = outbox(emu, other)[0]["code"]
    wrong = "000000" if code != "000000" else "111111"
    codes = [error(fapi.call("POST", f"/v1/client/sign_ups/{su['id']}/attempt_verification", {"code": wrong}),
                   422 if i < 4 else 400) for i in range(5)]
    assert codes == ["form_code_incorrect"] * 4 + ["verification_failed"]
    r = fapi.call("POST", f"/v1/client/sign_ups/{su['id']}/attempt_verification", {"code": code})
    assert error(r, 400) == "verification_failed"
    html = httpx.get(emu.fapi_url + "/__emulator/outbox.html")
    assert html.status_code == 200 and code in html.text and "text/html" in html.headers["content-type"]


def test_password_reset(emu: LocalProcess, fapi: Fapi, user: dict[str, Any]) -> None:
    si = fapi.call("POST", "/v1/client/sign_ins", {"identifier": email_of(user)}).response
    strategies = [f["strategy"] for f in si["supported_first_factors"]]
    assert strategies == ["password", "email_code", "email_link", "reset_password_email_code"]
    assert si["user_data"] is None
    fapi.call("POST", f"/v1/client/sign_ins/{si['id']}/prepare_first_factor",
              {"strategy": "reset_password_email_code"})
    message = outbox(emu, email_of(user))[0]
    assert message["kind"] == "reset_password_code"
    r = fapi.call("POST", f"/v1/client/sign_ins/{si['id']}/attempt_first_factor",
                  {"strategy": "reset_password_email_code", "code": message["code"]})
    assert r.response["status"] == "needs_new_password"
    assert error(fapi.call("POST", f"/v1/client/sign_ins/{si['id']}/reset_password", {"password": "short"}),
                 422) == "form_password_length_too_short"
    r = fapi.call("POST", f"/v1/client/sign_ins/{si['id']}/reset_password",
                  {"password": "a-brand-new-password", "sign_out_of_other_sessions": "true"})
    assert r.response["status"] == "complete" and r.client["sign_in"] is None
    fapi.call("DELETE", "/v1/client/sessions")
    bad = fapi.call("POST", "/v1/client/sign_ins", {"identifier": email_of(user), "password": PASSWORD})
    assert error(bad, 422) == "form_password_incorrect"
    fapi.sign_in(email_of(user), "a-brand-new-password")


# --- completion shape -----------------------------------------------------------------------------
def test_completed_sign_in_and_active_sessions_look_like_clerks(fapi: Fapi, user: dict[str, Any]) -> None:
    r = fapi.sign_in(email_of(user))
    assert r.response["supported_first_factors"] is None and r.response["user_data"] is None
    assert r.response["locale"] is None and r.client["sign_in"] is None
    session = r.client["sessions"][0]
    token = session["last_active_token"]
    assert token["object"] == "token"
    claims = json.loads(base64.urlsafe_b64decode(token["jwt"].split(".")[1] + "=="))
    assert claims["sid"] == session["id"] and claims["sub"] == user["id"]
    assert session["factor_verification_age"] == [0, -1]
    again = client(fapi)["sessions"][0]["last_active_token"]["jwt"]
    assert again == token["jwt"]  # reused while fresh, not minted per response
    me = session["user"]
    assert {"locale", "bypass_client_trust", "create_organizations_limit"} <= set(me)


# --- connected accounts ---------------------------------------------------------------------------
def test_connect_reauthorize_and_remove_an_account(me: Fapi, user: dict[str, Any], bapi: Bapi) -> None:
    r = me.call("POST", "/v1/me/external_accounts", {"strategy": "oauth_github", "redirect_url": CALLBACK})
    assert r.status == 200, r
    account = r.response
    assert account["verification"]["status"] == "unverified" and account["provider"] == "github"
    url = account["verification"]["external_verification_redirect_url"]
    assert provider(me, url, "octo-" + email_of(user)) == CALLBACK
    accounts = me.call("GET", "/v1/me").response["external_accounts"]
    assert [a["verification"]["status"] for a in accounts] == ["verified"]
    assert accounts[0]["email_address"] == "octo-" + email_of(user)
    assert error(me.call("POST", "/v1/me/external_accounts", {"strategy": "oauth_github",
                                                              "redirect_url": CALLBACK}),
                 400) == "oauth_account_already_connected"

    r = me.call("PATCH", f"/v1/me/external_accounts/{account['id']}/reauthorize",
                {"additional_scope": ["repo", "gist"], "redirect_url": CALLBACK})
    assert r.response["verification"]["status"] == "unverified"
    provider(me, r.response["verification"]["external_verification_redirect_url"], "octo-" + email_of(user))
    scopes = me.call("GET", "/v1/me").response["external_accounts"][0]["approved_scopes"].split()
    assert {"repo", "gist"} <= set(scopes)

    r = me.call("DELETE", f"/v1/me/external_accounts/{account['id']}")
    assert r.response["deleted"] is True
    assert me.call("GET", "/v1/me").response["external_accounts"] == []
    assert error(me.call("DELETE", f"/v1/me/external_accounts/{account['id']}"), 404) == "external_account_not_found"
