"""FAPI flows over real HTTP, every response checked against the 2026-05-12 OpenAPI file."""

from __future__ import annotations

import json
from typing import Any

import clerk_openapi
import pytest
from clerk_emulator.kit import LocalProcess
from emu_support import PASSWORD, Bapi, Fapi, Reply, email_of

pytestmark = pytest.mark.emulator


def test_environment_and_empty_client(fapi: Fapi) -> None:
    env = fapi.call("GET", "/v1/environment")
    assert env.status == 200
    assert env.json["display_config"]["instance_environment_type"] == "development"
    assert fapi.call("PATCH", "/v1/environment").status == 200
    r = fapi.call("GET", "/v1/client")
    assert r.status == 200 and r.json == {"response": None, "client": None}


def test_password_sign_in_sets_cookie_and_returns_client(fapi: Fapi, user: dict[str, Any]) -> None:
    r = fapi.call("POST", "/v1/client/sign_ins", {"identifier": email_of(user), "password": PASSWORD})
    assert r.status == 200, r
    assert r.response["status"] == "complete"
    sid = r.response["created_session_id"]
    assert "__client" in r.raw.headers.get("set-cookie", "")
    assert r.client["last_active_session_id"] == sid
    assert [s["id"] for s in r.client["sessions"]] == [sid]
    assert r.client["sessions"][0]["user"]["id"] == user["id"]
    again = fapi.call("GET", "/v1/client")
    assert again.response["id"] == r.client["id"] and again.client == again.response


def test_wrong_password_and_unknown_identifier(fapi: Fapi, user: dict[str, Any]) -> None:
    r = fapi.call("POST", "/v1/client/sign_ins", {"identifier": email_of(user), "password": "nope-nope-nope"})
    assert r.status == 422 and r.error()["code"] == "form_password_incorrect"
    assert r.error()["meta"]["param_name"] == "password"
    r = fapi.call("POST", "/v1/client/sign_ins", {"identifier": "ghost@example.com", "password": "x" * 9})
    assert r.status == 422 and r.error()["code"] == "form_identifier_not_found"


def test_email_code_sign_in(fapi: Fapi, user: dict[str, Any]) -> None:
    r = fapi.call("POST", "/v1/client/sign_ins", {"identifier": email_of(user)})
    assert r.response["status"] == "needs_first_factor"
    factor = next(f for f in r.response["supported_first_factors"] if f["strategy"] == "email_code")
    sia = r.response["id"]
    r = fapi.call("POST", f"/v1/client/sign_ins/{sia}/prepare_first_factor",
                  {"strategy": "email_code", "email_address_id": factor["email_address_id"]})
    assert r.status == 200 and r.response["first_factor_verification"]["status"] == "unverified"
    bad = fapi.call("POST", f"/v1/client/sign_ins/{sia}/attempt_first_factor",
                    {"strategy": "email_code", "code": "111111"})
    assert bad.status == 422 and bad.error()["code"] == "form_code_incorrect"
    ok = fapi.call("POST", f"/v1/client/sign_ins/{sia}/attempt_first_factor",
                   {"strategy": "email_code", "code": "424242"})
    assert ok.status == 200 and ok.response["status"] == "complete"
    assert ok.client["sessions"][0]["user"]["id"] == user["id"]


def test_sign_up_with_email_code_copies_unsafe_metadata(fapi: Fapi, bapi: Bapi) -> None:
    email = "newbie+clerk_test@example.com"
    r = fapi.call("POST", "/v1/client/sign_ups", {
        "email_address": email, "password": PASSWORD, "first_name": "New",
        "unsafe_metadata": json.dumps({"plan": "free", "ui": {"theme": "dark"}}),
    })
    assert r.status == 200, r
    assert r.response["status"] == "missing_requirements"
    assert r.response["unverified_fields"] == ["email_address"]
    sua = r.response["id"]
    r = fapi.call("POST", f"/v1/client/sign_ups/{sua}/prepare_verification", {"strategy": "email_code"})
    assert r.status == 200
    r = fapi.call("POST", f"/v1/client/sign_ups/{sua}/attempt_verification",
                  {"strategy": "email_code", "code": "424242"})
    assert r.status == 200 and r.response["status"] == "complete", r
    user_id = r.response["created_user_id"]
    stored = bapi.call("GET", f"/users/{user_id}").json
    assert stored["unsafe_metadata"] == {"plan": "free", "ui": {"theme": "dark"}}
    assert stored["email_addresses"][0]["verification"]["status"] == "verified"
    dup = Fapi(fapi.emu)
    r = dup.call("POST", "/v1/client/sign_ups", {"email_address": email, "password": PASSWORD})
    assert r.status == 422 and r.error()["code"] == "form_identifier_exists"
    dup.close()


def test_me_requires_session(fapi: Fapi) -> None:
    r = fapi.call("GET", "/v1/me")
    assert r.status == 401 and r.error()["code"] == "signed_out"


def test_get_and_patch_me(me: Fapi, user: dict[str, Any]) -> None:
    r = me.call("GET", "/v1/me")
    assert r.response["id"] == user["id"] and "private_metadata" not in r.response
    image = r.response["image_url"]
    assert image.startswith(me.emu.fapi_url + "/")  # nothing points outside loopback
    assert me.http.get(image).headers["content-type"] == "image/svg+xml"
    r = me.call("PATCH", "/v1/me", {"first_name": "Ada", "last_name": "Lovelace"})
    assert r.status == 200 and r.response["first_name"] == "Ada"
    assert r.client["sessions"][0]["user"]["first_name"] == "Ada"  # fresh client in every envelope
    r = me.call("PATCH", "/v1/me", {"favourite_colour": "blue"})
    assert r.status == 422 and r.error()["code"] == "form_param_unknown"
    assert r.error()["meta"]["param_name"] == "favourite_colour"


@pytest.mark.parametrize("field", ["unsafe_metadata", "public_metadata", "private_metadata"])
@pytest.mark.parametrize("how", ["default", "query", "header", "newer"])
def test_patch_me_refuses_metadata_under_2026_05_12(me: Fapi, field: str, how: str) -> None:
    params, headers = {}, {}
    if how == "query":
        params["__clerk_api_version"] = "2026-05-12"
    elif how == "header":
        headers["Clerk-API-Version"] = "2026-05-12"
    elif how == "newer":
        params["__clerk_api_version"] = "2026-08-20"
    r = me.call("PATCH", "/v1/me", {field: json.dumps({"a": 1})}, params=params, headers=headers)
    assert r.status == 422, r
    err = r.error()
    assert err["code"] == "form_param_deprecated"
    assert err["meta"]["param_name"] == field
    assert "PATCH /v1/me/metadata" in err["long_message"]
    # Errors piggyback the caller's committed client too, so a client can stay equal to the server.
    client = r.json["meta"]["client"]
    assert client["sessions"][0]["user"]["unsafe_metadata"] == me.call("GET", "/v1/me").response["unsafe_metadata"]


def test_patch_me_accepts_unsafe_metadata_under_old_version_with_replace(me: Fapi) -> None:
    old = {"__clerk_api_version": "2025-11-10"}
    me.call("PATCH", "/v1/me/metadata", {"unsafe_metadata": json.dumps({"a": 1, "b": {"c": 2}})})
    r = me.call("PATCH", "/v1/me", {"unsafe_metadata": json.dumps({"b": {"d": 3}})}, params=old)
    assert r.status == 200, r
    assert r.response["unsafe_metadata"] == {"b": {"d": 3}}
    r = me.call("PATCH", "/v1/me", {"public_metadata": json.dumps({"x": 1})}, params=old)
    assert r.status == 422 and r.error()["code"] == "form_param_unknown"


def test_metadata_deep_merge_semantics(me: Fapi) -> None:
    def patch(value: Any) -> Any:
        r = me.call("PATCH", "/v1/me/metadata", {"unsafe_metadata": json.dumps(value)})
        assert r.status == 200, r
        assert r.client["sessions"][0]["user"]["unsafe_metadata"] == r.response["unsafe_metadata"]
        return r.response["unsafe_metadata"]

    assert patch({"a": {"x": 1, "y": 2}, "tags": [1, 2]}) == {"a": {"x": 1, "y": 2}, "tags": [1, 2]}
    assert patch({"a": {"y": None, "z": 3}}) == {"a": {"x": 1, "z": 3}, "tags": [1, 2]}
    assert patch({"tags": [3]}) == {"a": {"x": 1, "z": 3}, "tags": [3]}
    assert patch({"a": {"deep": {"k": {"l": 1}}}}) == {"a": {"x": 1, "z": 3, "deep": {"k": {"l": 1}}}, "tags": [3]}
    assert patch({"a": {"deep": {"k": {"l": None}}}}) == {"a": {"x": 1, "z": 3, "deep": {"k": {}}}, "tags": [3]}
    assert patch({"a": "scalar", "tags": None}) == {"a": "scalar"}
    assert patch({}) == {"a": "scalar"}


@pytest.mark.parametrize(("form", "code", "status"), [
    ({"unsafe_metadata": "{not json"}, "form_param_format_invalid", 422),
    ({"unsafe_metadata": "[1, 2]"}, "form_param_value_invalid", 422),
    ({"unsafe_metadata": "null"}, "form_param_value_invalid", 422),
    ({"unsafe_metadata": '"text"'}, "form_param_value_invalid", 422),
    ({}, "form_param_missing", 422),
    ({"unsafe_metadata": "{}", "public_metadata": "{}"}, "form_param_unknown", 422),
])
def test_metadata_bad_input_loses_nothing(me: Fapi, form: dict[str, str], code: str, status: int) -> None:
    me.call("PATCH", "/v1/me/metadata", {"unsafe_metadata": json.dumps({"keep": True})})
    r = me.call("PATCH", "/v1/me/metadata", form)
    assert r.status == status, r
    assert r.error()["code"] == code
    assert me.call("GET", "/v1/me").response["unsafe_metadata"] == {"keep": True}


def test_metadata_size_limit_counts_utf8_bytes_of_the_result(me: Fapi) -> None:
    # {"k":"…"} = 8 bytes of framing; "é" is 2 UTF-8 bytes.
    fits = "é" * ((8192 - 8) // 2)
    r = me.call("PATCH", "/v1/me/metadata", {"unsafe_metadata": json.dumps({"k": fits})})
    assert r.status == 200, r
    r = me.call("PATCH", "/v1/me/metadata", {"unsafe_metadata": json.dumps({"k2": "x"})})
    assert r.status == 422 and r.error()["code"] == "form_param_exceeds_allowed_size"
    assert r.error()["meta"]["param_name"] == "unsafe_metadata"
    assert me.call("GET", "/v1/me").response["unsafe_metadata"] == {"k": fits}


def test_session_tokens_touch_end(me: Fapi, user: dict[str, Any]) -> None:
    sid = me.session_id
    r = me.call("POST", f"/v1/client/sessions/{sid}/touch", {"intent": "focus"})
    assert r.status == 200 and r.response["id"] == sid
    tok = me.call("POST", f"/v1/client/sessions/{sid}/tokens", validate=True)
    assert tok.status == 200 and tok.json["object"] == "token"
    r = me.call("POST", f"/v1/client/sessions/{sid}/end")
    assert r.status == 200 and r.response["status"] == "ended"
    assert r.client["sessions"] == [] and r.client["last_active_session_id"] is None
    assert me.call("GET", "/v1/me").status == 401
    assert me.call("POST", f"/v1/client/sessions/{sid}/tokens").status == 401


def test_remove_session_and_sign_out_all(fapi: Fapi, user: dict[str, Any]) -> None:
    fapi.sign_in(email_of(user))
    r = fapi.call("POST", f"/v1/client/sessions/{fapi.session_id}/remove")
    assert r.status == 200 and r.response["status"] == "removed"
    fapi.sign_in(email_of(user))
    r = fapi.call("DELETE", "/v1/client/sessions")
    assert r.status == 200 and r.response["sessions"] == []


def test_dev_browser_mode(emu: LocalProcess, user: dict[str, Any]) -> None:
    browser = Fapi(emu, dev_browser=True)
    assert browser.db_jwt is not None and browser.db_jwt.count(".") == 2  # a JWT, as Clerk's are
    r = browser.call("POST", "/v1/client/sign_ins", {"identifier": email_of(user), "password": PASSWORD})
    assert r.status == 200 and "set-cookie" not in r.raw.headers
    assert browser.call("GET", "/v1/me").response["id"] == user["id"]
    browser.db_jwt = "dvb_not_a_real_one"
    r = browser.call("GET", "/v1/client")
    assert r.status == 401 and r.error()["code"] == "dev_browser_unauthenticated"
    browser.close()


def test_email_addresses_and_phone_numbers(me: Fapi) -> None:
    r = me.call("POST", "/v1/me/email_addresses", {"email_address": "second+clerk_test@example.com"})
    assert r.status == 200, r
    eid = r.response["id"]
    assert r.response["verification"] is None
    r = me.call("POST", f"/v1/me/email_addresses/{eid}/prepare_verification", {"strategy": "email_code"})
    assert r.response["verification"]["status"] == "unverified"
    r = me.call("POST", f"/v1/me/email_addresses/{eid}/attempt_verification", {"code": "424242"})
    assert r.response["verification"]["status"] == "verified"
    r = me.call("PATCH", "/v1/me", {"primary_email_address_id": eid})
    assert r.response["primary_email_address_id"] == eid
    listed = me.call("GET", "/v1/me/email_addresses")
    assert {e["id"] for e in listed.json} >= {eid}
    r = me.call("POST", "/v1/me/phone_numbers", {"phone_number": "+15555550100"})
    assert r.status == 200, r
    pid = r.response["id"]
    me.call("POST", f"/v1/me/phone_numbers/{pid}/prepare_verification", {"strategy": "phone_code"})
    r = me.call("POST", f"/v1/me/phone_numbers/{pid}/attempt_verification", {"code": "424242"})
    assert r.response["verification"]["status"] == "verified"
    r = me.call("DELETE", f"/v1/me/phone_numbers/{pid}")
    assert r.status == 200 and r.response["deleted"] is True
    bad = me.call("POST", "/v1/me/phone_numbers", {"phone_number": "12"})
    assert bad.status == 422 and bad.error()["code"] == "form_param_format_invalid"


def test_change_and_remove_password(me: Fapi, user: dict[str, Any], emu: LocalProcess) -> None:
    r = me.call("POST", "/v1/me/change_password", {"current_password": "wrong-wrong", "new_password": "n" * 10})
    assert r.status == 422 and r.error()["code"] == "form_password_incorrect"
    r = me.call("POST", "/v1/me/change_password", {"current_password": PASSWORD, "new_password": "new-password-1"})
    assert r.status == 200 and r.response["password_enabled"] is True
    other = Fapi(emu)
    other.sign_in(email_of(user), "new-password-1")
    other.close()
    r = me.call("POST", "/v1/me/remove_password", {"current_password": "new-password-1"})
    assert r.status == 200 and r.response["password_enabled"] is False


def test_active_sessions_is_a_bare_array(me: Fapi) -> None:
    r = me.call("GET", "/v1/me/sessions/active")
    assert r.status == 200 and isinstance(r.json, list)
    assert [s["id"] for s in r.json] == [me.session_id]


def test_delete_me(me: Fapi, bapi: Bapi, user: dict[str, Any]) -> None:
    r = me.call("DELETE", "/v1/me")
    assert r.status == 200 and r.response == {"object": "user", "id": user["id"], "deleted": True}
    assert r.client["sessions"] == []
    assert bapi.call("GET", f"/users/{user['id']}").status == 404


def test_organizations_through_fapi(me: Fapi, bapi: Bapi, user: dict[str, Any]) -> None:
    org = bapi.call("POST", "/organizations", {"name": "Acme", "created_by": user["id"],
                                               "private_metadata": {"secret": 1}}).json
    r = me.call("GET", "/v1/me/organization_memberships", params={"paginated": "true", "limit": 10})
    assert r.status == 200 and r.response["total_count"] == 1
    assert r.response["data"][0]["organization"]["id"] == org["id"]
    assert "private_metadata" not in r.response["data"][0]["organization"]
    r = me.call("PATCH", f"/v1/organizations/{org['id']}", {"name": "Acme 2", "slug": "acme-two"})
    assert r.status == 200 and (r.response["name"], r.response["slug"]) == ("Acme 2", "acme-two")
    r = me.call("PATCH", f"/v1/organizations/{org['id']}", {"public_metadata": "{}"})
    assert r.status == 422 and r.error()["code"] == "form_param_unknown"
    tok = me.call("POST", f"/v1/client/sessions/{me.session_id}/tokens", {"organization_id": org["id"]})
    assert tok.status == 200


def test_fapi_isolation(emu: LocalProcess, bapi: Bapi) -> None:
    alice, bob = bapi.create_user(), bapi.create_user()
    a, b = Fapi(emu), Fapi(emu)
    a.sign_in(email_of(alice))
    b.sign_in(email_of(bob))
    # Bob names Alice's session: not his client's session, so he is signed out, not Alice.
    r = b.call("GET", "/v1/me", params={"_clerk_session_id": a.session_id}, session=False)
    assert r.status == 401
    r = b.call("POST", f"/v1/client/sessions/{a.session_id}/tokens")
    assert r.status == 404
    r = b.call("PATCH", "/v1/me/metadata", {"unsafe_metadata": '{"bob": 1}'})
    assert r.response["id"] == bob["id"]
    assert a.call("GET", "/v1/me").response["unsafe_metadata"] == {}
    org = bapi.call("POST", "/organizations", {"name": "Alice Co", "created_by": alice["id"]}).json
    r = b.call("PATCH", f"/v1/organizations/{org['id']}", {"name": "Bob's now"})
    assert r.status == 404
    a.close()
    b.close()


def test_clerk_session_id_selects_among_the_clients_sessions(fapi: Fapi, bapi: Bapi) -> None:
    first, second = bapi.create_user(), bapi.create_user()
    fapi.sign_in(email_of(first))
    sid_first = fapi.session_id
    fapi.sign_in(email_of(second))
    sid_second = fapi.session_id
    r = fapi.call("GET", "/v1/client")
    assert {s["id"] for s in r.response["sessions"]} == {sid_first, sid_second}
    assert r.response["last_active_session_id"] == sid_second
    assert fapi.call("GET", "/v1/me", params={"_clerk_session_id": sid_first},
                     session=False).response["id"] == first["id"]
    assert fapi.call("GET", "/v1/me", session=False).response["id"] == second["id"]  # last active
    fapi.session_id = sid_first
    r = fapi.call("PATCH", "/v1/me/metadata", {"unsafe_metadata": '{"who": "first"}'})
    assert r.response["id"] == first["id"]
    assert bapi.call("GET", f"/users/{second['id']}").json["unsafe_metadata"] == {}


def test_oversized_body_is_a_clerk_413(me: Fapi) -> None:
    r = me.call("PATCH", "/v1/me/metadata", {"unsafe_metadata": json.dumps({"k": "x" * 10_600_000})},
                validate=False)
    assert r.status == 413 and r.error()["code"] == "request_body_too_large"
    assert "10485760 bytes" in r.error()["long_message"]


def test_body_encodings(me: Fapi) -> None:
    query = {"_method": "PATCH", "_clerk_session_id": me.session_id}
    r = me.http.post("/v1/me/metadata", params=query, json={"unsafe_metadata": {"via": "json"}})
    assert r.status_code == 200 and r.json()["response"]["unsafe_metadata"] == {"via": "json"}
    r = me.http.post("/v1/me/metadata", params=query, files={"unsafe_metadata": (None, '{"x": 1}')})
    assert r.status_code == 415 and r.json()["errors"][0]["code"] == "unsupported_content_type"
    r = me.http.post("/v1/me/metadata", params=query, content=b"unsafe_metadata=%FF%FE",
                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code in (400, 422), r.text
    assert me.call("GET", "/v1/me").response["unsafe_metadata"] == {"via": "json"}


PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def test_profile_image_upload_and_delete(me: Fapi, bapi: Bapi, user: dict[str, Any]) -> None:
    import base64

    query = {"_clerk_session_id": me.session_id}
    r = me.http.post("/v1/me/profile_image", params=query, files={"file": ("me.png", PNG_1PX, "image/png")})
    assert r.status_code == 200, r.text
    body = r.json()
    clerk_openapi.validate("fapi", "POST", "/v1/me/profile_image", 200, body)
    image = body["response"]
    assert image["object"] == "image" and image["name"] == "me.png"
    served = me.http.get(image["public_url"])
    assert served.content == PNG_1PX and served.headers["content-type"] == "image/png"
    session_user = body["client"]["sessions"][0]["user"]
    assert session_user["has_image"] is True and session_user["image_url"] == image["public_url"]
    assert bapi.call("GET", f"/users/{user['id']}").json["has_image"] is True
    # octet-stream with a base64 data URL, as clerk-js sends a string upload
    r = me.http.post("/v1/me/profile_image", params=query,
                     content=b"data:image/png;base64," + base64.b64encode(PNG_1PX),
                     headers={"Content-Type": "application/octet-stream"})
    assert r.status_code == 200 and me.http.get(r.json()["response"]["public_url"]).content == PNG_1PX
    assert me.http.get(image["public_url"]).status_code == 404  # the previous image is gone
    bad = me.http.post("/v1/me/profile_image", params=query, files={"file": ("x.txt", b"hello", "text/plain")})
    assert bad.status_code == 400 and bad.json()["errors"][0]["message"] == "Unsupported image type"
    missing = me.http.post("/v1/me/profile_image", params=query, files={"other": ("x.png", PNG_1PX)})
    assert missing.status_code == 400 and missing.json()["errors"][0]["code"] == "form_param_missing"
    r = me.call("DELETE", "/v1/me/profile_image")
    assert r.status == 200 and r.response["deleted"] is True
    assert r.client["sessions"][0]["user"]["has_image"] is False


@pytest.mark.parametrize("name", ["a", "abc", "x" * 65])
def test_usernames_outside_the_length_bounds_are_refused_everywhere(me: Fapi, fapi: Fapi, bapi: Bapi,
                                                                    user: dict[str, Any], name: str) -> None:
    env = fapi.call("GET", "/v1/environment").json["user_settings"]["username_settings"]
    assert (env["min_length"], env["max_length"]) == (4, 64)

    def refused(r: Reply) -> None:
        assert r.status == 422, r
        error = r.error()
        assert error["code"] == "form_username_invalid_length" and error["meta"]["param_name"] == "username"
        assert error["long_message"] == "Usernames must be between 4 and 64 characters long."

    refused(fapi.call("POST", "/v1/client/sign_ups", {"email_address": "short+clerk_test@example.com",
                                                      "password": PASSWORD, "username": name}))
    refused(me.call("PATCH", "/v1/me", {"username": name}))
    refused(bapi.call("POST", "/users", {"email_address": ["short2+clerk_test@example.com"], "password": PASSWORD,
                                         "username": name}))
    refused(bapi.call("PATCH", f"/users/{user['id']}", {"username": name}))
    # Nothing was written: the user keeps no username and the refused ones stay free.
    assert bapi.call("GET", f"/users/{user['id']}").json["username"] is None
    assert bapi.call("GET", "/users", params={"username": name}).json == []
    fine = f"u{len(name):03d}"  # four characters, one per parameter (the instance is shared by the module)
    assert me.call("PATCH", "/v1/me", {"username": fine}).response["username"] == fine
    assert [u["id"] for u in bapi.call("GET", "/users", params={"username": fine}).json] == [user["id"]]
