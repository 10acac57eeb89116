"""The schema checker itself: it must reject what the spec forbids, or the other tests prove nothing."""

from __future__ import annotations

import copy
from typing import Any

import clerk_openapi
import pytest
from emu_support import Bapi, Fapi, email_of

pytestmark = pytest.mark.emulator


def test_translate_nullable() -> None:
    assert clerk_openapi.translate({"type": "string", "nullable": True}) == {"type": ["string", "null"]}
    assert clerk_openapi.translate({"type": "string", "enum": ["a"], "nullable": True}) == {
        "type": ["string", "null"], "enum": ["a", None]}
    assert clerk_openapi.translate({"$ref": "#/x", "nullable": True}) == {"anyOf": [{"type": "null"}, {"$ref": "#/x"}]}
    both = clerk_openapi.translate({"type": "object", "nullable": True, "allOf": [{"$ref": "#/y"}]})
    assert both == {"anyOf": [{"type": "null"}, {"type": "object", "allOf": [{"$ref": "#/y"}]}]}


def test_validator_rejects_broken_bodies(me: Fapi, bapi: Bapi) -> None:
    good = me.call("GET", "/v1/me").json
    clerk_openapi.validate("fapi", "GET", "/v1/me", 200, good)
    breakages: list[tuple[str, Any]] = [
        ("response.id", None),           # required, not nullable
        ("response.object", "person"),   # enum
        ("client.sessions", "none"),     # array
        ("response.first_name", 12),     # string or null
    ]
    for dotted, value in breakages:
        bad = copy.deepcopy(good)
        node = bad
        *parents, leaf = dotted.split(".")
        for p in parents:
            node = node[p]
        node[leaf] = value
        with pytest.raises(AssertionError, match="does not match"):
            clerk_openapi.validate("fapi", "GET", "/v1/me", 200, bad)
    missing = copy.deepcopy(good)
    del missing["client"]
    with pytest.raises(AssertionError):
        clerk_openapi.validate("fapi", "GET", "/v1/me", 200, missing)
    user = bapi.create_user()
    user["unexpected"] = 1  # BAPI User is additionalProperties: false
    with pytest.raises(AssertionError):
        clerk_openapi.validate("bapi", "GET", "/users/{user_id}", 200, user)


def test_remaining_fapi_routes_validate(me: Fapi, bapi: Bapi, user: dict[str, Any]) -> None:
    sid = me.session_id
    assert me.call("GET", f"/v1/client/sessions/{sid}").response["id"] == sid
    r = me.call("GET", "/v1/client")
    assert r.response["sign_in"] is None  # the request that completed the sign-in took it off the client
    sign_in_id = me.call("POST", "/v1/client/sign_ins", {"identifier": email_of(user)}).response["id"]
    assert me.call("GET", f"/v1/client/sign_ins/{sign_in_id}").response["status"] == "needs_first_factor"
    emails = me.call("GET", "/v1/me/email_addresses").json
    assert me.call("GET", f"/v1/me/email_addresses/{emails[0]['id']}").response["id"] == emails[0]["id"]
    org = bapi.call("POST", "/organizations", {"name": "Routes", "created_by": user["id"]}).json
    assert me.call("GET", f"/v1/organizations/{org['id']}").response["id"] == org["id"]
    r = me.call("GET", f"/v1/organizations/{org['id']}/memberships", params={"paginated": "true"})
    assert r.response["total_count"] == 1
    r = me.call("GET", "/v1/me/organization_memberships")
    assert isinstance(r.response, list) and len(r.response) == 1
    # The last admin may not leave (issue 12): another one joins first.
    bapi.call("POST", f"/organizations/{org['id']}/memberships", {"user_id": bapi.create_user()["id"],
                                                                   "role": "org:admin"})
    r = me.call("DELETE", f"/v1/me/organization_memberships/{org['id']}")
    assert r.status == 200 and r.response["deleted"] is True
    assert me.call("GET", f"/v1/organizations/{org['id']}").status == 404
    r = me.call("POST", "/v1/client/sign_ups", {"email_address": "routes+clerk_test@example.com"})
    sua = r.response["id"]
    r = me.call("PATCH", f"/v1/client/sign_ups/{sua}", {"password": "routes-password-1"})
    assert r.status == 200 and r.response["missing_fields"] == []
    assert me.call("GET", f"/v1/client/sign_ups/{sua}").response["password_enabled"] is True
    r = me.call("DELETE", "/v1/client")
    assert r.status == 200 and r.response["sessions"] == []
    r = me.call("PUT", "/v1/client")
    assert r.status == 200
