"""BAPI over real HTTP, every response checked against the 2026-05-12 OpenAPI file."""

from __future__ import annotations

import pytest
from clerk_emulator.kit import LocalProcess
from emu_support import Bapi

pytestmark = pytest.mark.emulator


@pytest.mark.parametrize(("auth", "code"), [
    (None, "authentication_invalid"),
    ("Basic abc", "authorization_header_format_invalid"),
    ("Bearer sk_test_wrong", "clerk_key_invalid"),
])
def test_bapi_refuses_missing_or_wrong_key(emu: LocalProcess, auth: str | None, code: str) -> None:
    import httpx

    headers = {"Authorization": auth} if auth else {}
    r = httpx.get(emu.bapi_url + "/users", headers=headers)
    assert r.status_code == 401
    body = r.json()
    assert body["errors"][0]["code"] == code and body["clerk_trace_id"]


def test_user_crud_and_list(bapi: Bapi) -> None:
    u = bapi.create_user(first_name="Grace", public_metadata={"role": "admin"},
                         private_metadata={"ssn": "x"}, unsafe_metadata={"t": 1})
    assert (u["public_metadata"], u["private_metadata"], u["unsafe_metadata"]) == (
        {"role": "admin"}, {"ssn": "x"}, {"t": 1})
    got = bapi.call("GET", f"/users/{u['id']}").json
    assert got == u
    r = bapi.call("PATCH", f"/users/{u['id']}", {"last_name": "Hopper"})
    assert r.status == 200 and r.json["last_name"] == "Hopper"
    listed = bapi.call("GET", "/users", params={"user_id": [u["id"]]})
    assert [x["id"] for x in listed.json] == [u["id"]]
    email = u["email_addresses"][0]["email_address"]
    listed = bapi.call("GET", "/users", params={"email_address": email})
    assert [x["id"] for x in listed.json] == [u["id"]]
    assert len(bapi.call("GET", "/users", params={"limit": 2}).json) <= 2
    r = bapi.call("DELETE", f"/users/{u['id']}")
    assert r.status == 200 and r.json["deleted"] is True
    r = bapi.call("GET", f"/users/{u['id']}")
    assert r.status == 404 and r.error()["code"] == "resource_not_found"


def test_unknown_fields_and_bad_bodies(bapi: Bapi, emu: LocalProcess) -> None:
    r = bapi.call("POST", "/users", {"email_address": ["a+clerk_test@example.com"], "favourite": 1})
    assert r.status == 422 and r.error()["code"] == "form_param_unknown"
    assert r.error()["meta"]["param_name"] == "favourite"
    r = bapi.http.post("/users", content=b"{oops", headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and r.json()["errors"][0]["code"] == "request_body_invalid"
    u = bapi.create_user()
    r = bapi.call("PATCH", f"/users/{u['id']}/metadata", {"public_metadata": [1]})
    assert r.status == 422 and r.error()["code"] == "form_param_value_invalid"
    r = bapi.call("POST", "/users", {"email_address": ["not-an-email"]})
    assert r.status == 422 and r.error()["code"] == "form_param_format_invalid"
    dup = u["email_addresses"][0]["email_address"]
    r = bapi.call("POST", "/users", {"email_address": [dup]})
    assert r.status == 422 and r.error()["code"] == "form_identifier_exists"


@pytest.mark.parametrize("field", ["public_metadata", "private_metadata", "unsafe_metadata"])
def test_patch_user_refuses_metadata_under_2026_05_12(bapi: Bapi, field: str) -> None:
    u = bapi.create_user()
    r = bapi.call("PATCH", f"/users/{u['id']}", {field: {"a": 1}})
    assert r.status == 422
    err = r.error()
    assert err["code"] == "form_param_deprecated" and err["meta"]["param_name"] == field
    assert f"/v1/users/{u['id']}/metadata" in err["long_message"]
    old = bapi.call("PATCH", f"/users/{u['id']}", {field: {"a": 1}}, headers={"Clerk-API-Version": "2025-11-10"},
                    validate=False)
    assert old.status == 200 and old.json[field] == {"a": 1}
    old = bapi.call("PATCH", f"/users/{u['id']}", {field: {"b": 2}}, headers={"Clerk-API-Version": "2025-11-10"},
                    validate=False)
    assert old.json[field] == {"b": 2}  # old semantics: full replace


def test_user_metadata_merge_and_replace(bapi: Bapi) -> None:
    u = bapi.create_user(unsafe_metadata={"a": {"x": 1, "y": 2}, "tags": [1, 2]},
                         public_metadata={"p": 1})
    uid = u["id"]
    r = bapi.call("PATCH", f"/users/{uid}/metadata", {"unsafe_metadata": {"a": {"y": None, "z": 3}}})
    assert r.json["unsafe_metadata"] == {"a": {"x": 1, "z": 3}, "tags": [1, 2]}
    assert r.json["public_metadata"] == {"p": 1}
    r = bapi.call("PATCH", f"/users/{uid}/metadata", {"unsafe_metadata": {"tags": [3]},
                                                      "private_metadata": {"s": {"t": 1}}})
    assert r.json["unsafe_metadata"] == {"a": {"x": 1, "z": 3}, "tags": [3]}
    assert r.json["private_metadata"] == {"s": {"t": 1}}
    r = bapi.call("PUT", f"/users/{uid}/metadata", {"unsafe_metadata": {"b": 1}})
    assert r.json["unsafe_metadata"] == {"b": 1}
    assert r.json["public_metadata"] == {"p": 1} and r.json["private_metadata"] == {"s": {"t": 1}}
    r = bapi.call("PUT", f"/users/{uid}/metadata", {"public_metadata": {}})
    assert r.json["public_metadata"] == {}
    r = bapi.call("PUT", f"/users/{uid}/metadata", {"private_metadata": None}, validate=False)
    assert r.status == 200 and r.json["private_metadata"] is None
    r = bapi.call("PUT", f"/users/{uid}/metadata", {"unsafe_metadata": {"big": "x" * 9000}})
    assert r.status == 422 and r.error()["code"] == "form_param_exceeds_allowed_size"
    assert bapi.call("GET", f"/users/{uid}").json["unsafe_metadata"] == {"b": 1}


def test_organizations_memberships_and_metadata(bapi: Bapi) -> None:
    owner, member = bapi.create_user(), bapi.create_user()
    r = bapi.call("POST", "/organizations", {"name": "Initech", "slug": "initech", "created_by": owner["id"],
                                             "public_metadata": {"tier": "gold", "a": {"b": 1}}})
    assert r.status == 200, r
    org = r.json
    assert org["members_count"] == 1
    r = bapi.call("POST", f"/organizations/{org['id']}/memberships", {"user_id": member["id"], "role": "org:member"})
    assert r.status == 200 and r.json["role"] == "org:member"
    r = bapi.call("GET", f"/organizations/{org['id']}/memberships")
    assert r.json["total_count"] == 2
    assert {m["public_user_data"]["user_id"] for m in r.json["data"]} == {owner["id"], member["id"]}
    r = bapi.call("PATCH", f"/organizations/{org['id']}", {"public_metadata": {"x": 1}})
    assert r.status == 422 and r.error()["code"] == "form_param_deprecated"
    r = bapi.call("PATCH", f"/organizations/{org['id']}", {"name": "Initrode"})
    assert r.status == 200 and r.json["name"] == "Initrode"
    r = bapi.call("PATCH", f"/organizations/{org['id']}/metadata",
                  {"public_metadata": {"a": {"b": None, "c": 2}}, "private_metadata": {"k": 1}})
    assert r.json["public_metadata"] == {"tier": "gold", "a": {"c": 2}}
    assert r.json["private_metadata"] == {"k": 1}
    r = bapi.call("PUT", f"/organizations/{org['id']}/metadata", {"public_metadata": {"only": True}})
    assert r.json["public_metadata"] == {"only": True} and r.json["private_metadata"] == {"k": 1}
    r = bapi.call("PUT", f"/organizations/{org['id']}/metadata", {"unsafe_metadata": {}})
    assert r.status == 422 and r.error()["code"] == "form_param_unknown"
    assert bapi.call("GET", f"/organizations/{org['id']}").json["name"] == "Initrode"
    listed = bapi.call("GET", "/organizations")
    assert org["id"] in {o["id"] for o in listed.json["data"]}
    r = bapi.call("DELETE", f"/organizations/{org['id']}")
    assert r.status == 200 and r.json["deleted"] is True
    assert bapi.call("GET", f"/organizations/{org['id']}").status == 404
    assert bapi.call("GET", f"/users/{member['id']}/organization_memberships").json["total_count"] == 0


def test_sessions_list_revoke_and_jwks(bapi: Bapi, emu: LocalProcess) -> None:
    from emu_support import Fapi, email_of

    u = bapi.create_user()
    browser = Fapi(emu)
    browser.sign_in(email_of(u))
    r = bapi.call("GET", "/sessions", params={"user_id": u["id"]})
    assert [s["id"] for s in r.json] == [browser.session_id]
    r = bapi.call("POST", f"/sessions/{browser.session_id}/revoke")
    assert r.status == 200 and r.json["status"] == "revoked"
    assert browser.call("GET", "/v1/me").status == 401
    keys = bapi.call("GET", "/jwks").json["keys"]
    assert keys[0]["kty"] == "RSA" and keys[0]["alg"] == "RS256"
    browser.close()


def test_api_version_selection(bapi: Bapi, emu: LocalProcess) -> None:
    import httpx

    both = bapi.call("GET", "/users", params={"__clerk_api_version": "2026-05-12"},
                     headers={"Clerk-API-Version": "2026-05-12"})
    assert both.status == 400 and both.error()["code"] == "api_version_invalid"
    assert both.error()["long_message"].startswith("Invalid Clerk API version:")
    unknown = bapi.call("GET", "/users", headers={"Clerk-API-Version": "1999-01-01"})
    assert unknown.status == 400 and unknown.error()["code"] == "api_version_invalid"
    r = httpx.get(emu.fapi_url + "/v1/environment",
                  params={"__clerk_api_version": "2026-05-12"}, headers={"Clerk-API-Version": "2026-05-12"})
    assert r.status_code == 400 and r.json()["errors"][0]["code"] == "api_version_invalid"
    r = httpx.get(emu.fapi_url + "/v1/environment", params={"__clerk_api_version": "not-a-date"})
    assert r.status_code == 400
    # Either mechanism works on either API: the query parameter selects an old version on BAPI too.
    u = bapi.create_user()
    old = bapi.call("PATCH", f"/users/{u['id']}", {"public_metadata": {"q": 1}},
                    params={"__clerk_api_version": "2025-11-10"}, validate=False)
    assert old.status == 200 and old.json["public_metadata"] == {"q": 1}


def test_bapi_session_create_and_token(bapi: Bapi) -> None:
    u = bapi.create_user()
    r = bapi.call("POST", "/sessions", {"user_id": u["id"]})
    assert r.status == 200 and r.json["status"] == "active" and r.json["user_id"] == u["id"]
    tok = bapi.call("POST", f"/sessions/{r.json['id']}/tokens")
    assert tok.status == 200 and tok.json["jwt"].count(".") == 2
    listed = bapi.call("GET", "/sessions", params={"user_id": u["id"], "status": "active"})
    assert [s["id"] for s in listed.json] == [r.json["id"]]
    bapi.call("POST", f"/sessions/{r.json['id']}/revoke")
    assert bapi.call("POST", f"/sessions/{r.json['id']}/tokens").status == 401


def test_password_update_signs_out_sessions_only_when_asked(bapi: Bapi, emu: LocalProcess) -> None:
    from emu_support import Fapi, email_of

    u = bapi.create_user()
    browser = Fapi(emu)
    browser.sign_in(email_of(u))
    r = bapi.call("PATCH", f"/users/{u['id']}", {"sign_out_of_other_sessions": "yes", "password": "new-password-1"})
    assert r.status == 422 and r.error()["meta"]["param_name"] == "sign_out_of_other_sessions"
    assert bapi.call("PATCH", f"/users/{u['id']}", {"password": "new-password-1"}).status == 200
    assert browser.call("GET", "/v1/me").status == 200  # not asked: the session stays
    assert bapi.call("PATCH", f"/users/{u['id']}", {"first_name": "Ada", "sign_out_of_other_sessions": True}).status \
        == 200
    assert browser.call("GET", "/v1/me").status == 200  # no new password: nothing to sign out for
    r = bapi.call("PATCH", f"/users/{u['id']}", {"password": "new-password-2", "sign_out_of_other_sessions": True})
    assert r.status == 200
    assert browser.call("GET", "/v1/me").status == 401
    assert [s["status"] for s in bapi.call("GET", "/sessions", params={"user_id": u["id"]}).json] == ["revoked"]
    browser.close()
