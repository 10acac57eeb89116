"""Organizations on the local Clerk instance over real HTTP, both APIs, every answer checked against the
2026-05-12 OpenAPI files: create and select, members and permissions, invitations (e-mail, ticket, accept),
domains with suggestions and requests, roles, session-token claims, settings, edge rules, bad input, and a
property test that FAPI's and BAPI's views of an organization agree after any sequence of membership changes.

The module runs its own instance (``--settings``: domains on, a custom ``org:editor`` role) so settings can be
changed freely; every change made through ``/__emulator/settings`` is undone by the ``settings`` fixture.
"""

from __future__ import annotations

import base64
import json
import secrets
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from clerk_emulator.kit import LocalProcess
from emu_support import PASSWORD, Bapi, Fapi, Reply, email_of
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

pytestmark = pytest.mark.emulator

EDITOR = {"name": "Editor", "description": "Writes posts.",
          "permissions": ["org:sys_memberships:read", "org:posts:edit", "org:posts:read", "org:comments:read"]}
SETTINGS = {"organization_settings": {"domains": {"enabled": True}, "roles": {"org:editor": EDITOR}}}


@pytest.fixture(scope="module")
def emu(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalProcess]:
    folder = tmp_path_factory.mktemp("clerk-orgs")
    (folder / "settings.json").write_text(json.dumps(SETTINGS))
    with LocalProcess(folder / "data", settings_file=folder / "settings.json") as proc:
        yield proc


@pytest.fixture(scope="module")
def bapi(emu: LocalProcess) -> Iterator[Bapi]:
    with Bapi(emu) as b:
        yield b


@pytest.fixture
def browsers(emu: LocalProcess) -> Iterator[list[Fapi]]:
    opened: list[Fapi] = []
    yield opened
    for b in opened:
        b.close()


def new_email(tag: str, domain: str = "example.com") -> str:
    return f"{tag}-{secrets.token_hex(4)}+clerk_test@{domain}"


def person(emu: LocalProcess, bapi: Bapi, browsers: list[Fapi], tag: str = "u",
           domain: str = "example.com") -> tuple[Fapi, dict[str, Any]]:
    """A new user, signed in in a browser of its own."""
    user = bapi.create_user(email_address=[new_email(tag, domain)], first_name=tag.title())
    browser = Fapi(emu)
    browsers.append(browser)
    browser.sign_in(email_of(user))
    return browser, user


def error(r: Reply, status: int) -> str:
    assert r.status == status, r
    return str(r.error()["code"])


def memberships_in_client(r: Reply) -> list[dict[str, Any]]:
    session = next(s for s in r.client["sessions"] if s["id"] == r.client["last_active_session_id"])
    return list(session["user"]["organization_memberships"])


def create_org(browser: Fapi, name: str = "Acme", **extra: str) -> dict[str, Any]:
    r = browser.call("POST", "/v1/organizations", {"name": name, **extra})
    assert r.status == 200, r
    return dict(r.response)


def outbox(emu: LocalProcess, to: str) -> list[dict[str, Any]]:
    r = httpx.get(emu.fapi_url + "/__emulator/outbox", params={"to": to})
    return list(r.json()["data"])


def claims_of(jwt: str) -> dict[str, Any]:
    part = jwt.split(".")[1]
    return dict(json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))))


def token(browser: Fapi, **form: str) -> dict[str, Any]:
    r = browser.call("POST", f"/v1/client/sessions/{browser.session_id}/tokens", form or None)
    assert r.status == 200, r
    return claims_of(r.json["jwt"])


# --- create, read, update, select ----------------------------------------------------------------------------

def test_create_select_read_update(emu: LocalProcess, bapi: Bapi, browsers: list[Fapi]) -> None:
    admin, user = person(emu, bapi, browsers, "ada")
    env = admin.call("GET", "/v1/environment").json["organization_settings"]
    assert env["enabled"] is True and env["domains"]["enabled"] is True and env["creator_role"] == "org:admin"
    assert env["slug"] == {"disabled": False} and env["max_allowed_memberships"] == 5
    r = admin.call("POST", "/v1/organizations", {"name": "Acme Corp"})
    assert r.status == 200, r
    org = r.response
    assert org["slug"].startswith("acme-corp-") and org["members_count"] == 1 and org["admin_delete_enabled"] is True
    mems = memberships_in_client(r)
    assert [(m["organization"]["id"], m["role"], m["role_name"]) for m in mems] == [(org["id"], "org:admin", "Admin")]
    assert "org:sys_memberships:manage" in mems[0]["permissions"]
    session = r.client["sessions"][0]
    assert session["last_active_organization_id"] is None  # creating does not activate
    # Select it by slug (and back to personal); the token then carries o.
    r = admin.call("POST", f"/v1/client/sessions/{admin.session_id}/touch",
                   {"active_organization_id": org["slug"], "intent": "select_org"})
    assert r.status == 200 and r.response["last_active_organization_id"] == org["id"]
    claims = claims_of(r.response["last_active_token"]["jwt"])
    assert claims["o"] == {"id": org["id"], "slg": org["slug"], "rol": "admin"}  # system permissions stay out
    assert "fea" not in claims
    new_slug = "acme-two-" + org["id"][-5:].lower()
    r = admin.call("PATCH", f"/v1/organizations/{org['id']}", {"name": "Acme 2", "slug": new_slug})
    assert r.status == 200 and r.response["name"] == "Acme 2"
    assert r.response["updated_at"] > org["updated_at"]
    assert admin.call("GET", f"/v1/organizations/{org['id']}").response["name"] == "Acme 2"
    stranger, _ = person(emu, bapi, browsers, "eve")
    for method, path in (("GET", ""), ("PATCH", ""), ("DELETE", ""), ("GET", "/memberships"), ("GET", "/roles")):
        r = stranger.call(method, f"/v1/organizations/{org['id']}{path}", {"name": "x"} if method == "PATCH" else None)
        assert error(r, 404) == "organization_not_found_or_unauthorized", (method, path)
    r = stranger.call("POST", f"/v1/client/sessions/{stranger.session_id}/touch",
                      {"active_organization_id": org["id"]})
    assert error(r, 404) == "organization_not_found_or_unauthorized"
    r = stranger.call("POST", f"/v1/client/sessions/{stranger.session_id}/tokens", {"organization_id": org["id"]})
    assert error(r, 404) == "organization_not_found_or_unauthorized"
    by_slug = bapi.call("GET", f"/organizations/{new_slug}")  # BAPI finds an organization by id or slug
    assert by_slug.status == 200 and by_slug.json["id"] == org["id"] and by_slug.json["created_by"] == user["id"]


def test_slug_rules_and_name_rules(emu: LocalProcess, bapi: Bapi, browsers: list[Fapi], settings: Any) -> None:
    admin, _ = person(emu, bapi, browsers, "sam")
    slug = "unique-" + secrets.token_hex(3)
    create_org(admin, "One", slug=slug)
    r = admin.call("POST", "/v1/organizations", {"name": "Two", "slug": slug})
    assert error(r, 422) == "form_identifier_exists" and r.error()["meta"]["param_name"] == "slug"
    for bad in ("Upper", "has space", "-lead", "ünï"):
        assert error(admin.call("POST", "/v1/organizations", {"name": "X", "slug": bad}), 422) == \
            "form_param_format_invalid"
    for name in ("Visit https://evil.test", "<b>bold</b>", "www.spam.test"):
        r = admin.call("POST", "/v1/organizations", {"name": name})
        assert error(r, 422) == "form_param_value_invalid"
        assert "may not contain URLs or HTML" in r.error()["long_message"]
    assert error(admin.call("POST", "/v1/organizations", {"name": "   "}), 422) == "form_param_value_invalid"
    assert error(admin.call("POST", "/v1/organizations", {}), 422) == "form_param_missing"
    assert error(admin.call("POST", "/v1/organizations", {"name": "x" * 257}), 422) == "form_param_value_invalid"
    assert error(admin.call("POST", "/v1/organizations", {"name": "X", "metadata": "{}"}), 422) == "form_param_unknown"
    settings({"organization_settings": {"slug": {"disabled": True}}})
    assert admin.call("GET", "/v1/environment").json["organization_settings"]["slug"] == {"disabled": True}
    assert error(admin.call("POST", "/v1/organizations", {"name": "X", "slug": "x-slug"}), 403) == \
        "organization_slugs_disabled"
    assert create_org(admin, "No Slug")["slug"]  # a slug is still made for it


def test_organizations_off_and_creation_limits(emu: LocalProcess, bapi: Bapi, browsers: list[Fapi],
                                                settings: Any) -> None:
    admin, user = person(emu, bapi, browsers, "lim")
    org = create_org(admin)
    bapi.call("PATCH", f"/users/{user['id']}", {"create_organizations_limit": 1})
    assert error(admin.call("POST", "/v1/organizations", {"name": "Second"}), 403) == "org_creation_limit_exceeded"
    bapi.call("PATCH", f"/users/{user['id']}", {"create_organization_enabled": False,
                                                "create_organizations_limit": None})
    r = admin.call("POST", "/v1/organizations", {"name": "Third"})
    assert error(r, 403) in ("user_create_organization_not_enabled", "org_creation_limit_exceeded")
    settings({"organization_settings": {"enabled": False}})
    assert error(admin.call("GET", f"/v1/organizations/{org['id']}"), 403) == "organization_not_enabled_in_instance"
    assert error(bapi.call("GET", "/organizations"), 403) == "organization_not_enabled_in_instance"


# --- members and permissions -----------------------------------------------------------------------------------

def test_members_roles_and_permissions(emu: LocalProcess, bapi: Bapi, browsers: list[Fapi]) -> None:
    admin, admin_user = person(emu, bapi, browsers, "boss")
    member, member_user = person(emu, bapi, browsers, "doe")
    org = create_org(admin)
    base = f"/v1/organizations/{org['id']}/memberships"
    r = admin.call("POST", base, {"user_id": member_user["id"], "role": "org:member"})
    assert r.status == 200 and r.response["role"] == "org:member" and r.response["role_name"] == "Member"
    assert r.response["public_user_data"]["user_id"] == member_user["id"]
    assert error(admin.call("POST", base, {"user_id": member_user["id"], "role": "org:member"}), 400) == \
        "already_a_member_in_organization"
    r = admin.call("POST", base, {"user_id": "user_nobody", "role": "org:member"})
    assert error(r, 404) == "resource_not_found"
    r = admin.call("POST", base, {"user_id": member_user["id"], "role": "org:wizard"})
    assert error(r, 404) == "resource_not_found" and r.error()["meta"]["param_name"] == "role"
    # The member's client shows the membership; members may read the list but not change it.
    r = member.call("GET", "/v1/me/organization_memberships", params={"paginated": "true"})
    assert [m["organization"]["id"] for m in r.response["data"]] == [org["id"]]
    r = member.call("GET", base, params={"paginated": "true", "role": ["org:admin"]})
    assert [m["public_user_data"]["user_id"] for m in r.response["data"]] == [admin_user["id"]]
    r = member.call("GET", base, params={"paginated": "true", "query": ["Doe"]})
    assert [m["public_user_data"]["user_id"] for m in r.response["data"]] == [member_user["id"]]
    # clerk-js splits a query holding a comma into repeated keys: the instance puts it back together.
    r = member.call("GET", base, params={"paginated": "true", "query": ["nobody", " here"]})
    assert r.response["total_count"] == 0
    r = member.call("GET", base)  # without paginated=true: a bare array
    assert isinstance(r.response, list) and len(r.response) == 2
    r = member.call("POST", base, {"user_id": admin_user["id"], "role": "org:member"})
    assert error(r, 403) == "missing_organization_permission"
    assert r.error()["meta"]["permissions"] == ["org:sys_memberships:manage"]
    assert error(member.call("PATCH", f"/v1/organizations/{org['id']}", {"name": "Mine"}), 403) == \
        "missing_organization_permission"
    assert error(member.call("DELETE", f"/v1/organizations/{org['id']}"), 403) == "missing_organization_permission"
    # Promote, then the former admin may step down; the last admin may not.
    r = admin.call("PATCH", f"{base}/{member_user['id']}", {"role": "org:admin"})
    assert r.status == 200 and r.response["role"] == "org:admin"
    r = member.call("PATCH", f"{base}/{admin_user['id']}", {"role": "org:member"})
    assert r.status == 200 and r.response["role"] == "org:member"
    r = member.call("PATCH", f"{base}/{member_user['id']}", {"role": "org:member"})
    assert error(r, 400) == "organization_minimum_permissions_needed"
    assert error(member.call("DELETE", f"/v1/me/organization_memberships/{org['id']}"), 400) == \
        "organization_minimum_permissions_needed"
    assert error(member.call("DELETE", f"{base}/{member_user['id']}"), 400) == "organization_minimum_permissions_needed"
    assert error(member.call("DELETE", f"{base}/user_nobody"), 404) == "resource_not_found"
    # The former admin leaves: the membership is gone from its client at once.
    r = admin.call("DELETE", f"/v1/me/organization_memberships/{org['id']}")
    assert r.status == 200 and r.response["deleted"] is True and memberships_in_client(r) == []
    assert admin.call("GET", f"/v1/organizations/{org['id']}").status == 404
    # The Backend API may remove the last admin, and then says so.
    r = bapi.call("DELETE", f"/organizations/{org['id']}/memberships/{member_user['id']}")
    assert r.status == 200 and r.json["public_user_data"]["user_id"] == member_user["id"]
    got = bapi.call("GET", f"/organizations/{org['id']}").json
    assert got["members_count"] == 0 and got["missing_member_with_elevated_permissions"] is True


def test_roles_and_custom_permissions_in_tokens(emu: LocalProcess, bapi: Bapi, browsers: list[Fapi]) -> None:
    admin, _ = person(emu, bapi, browsers, "rol")
    editor, editor_user = person(emu, bapi, browsers, "ed")
    org = create_org(admin)
    r = admin.call("GET", f"/v1/organizations/{org['id']}/roles", params={"limit": 10, "offset": 0})
    assert r.status == 200 and r.response["has_role_set_migration"] is False
    roles = {role["key"]: role for role in r.response["data"]}
    assert set(roles) == {"org:admin", "org:member", "org:editor"} and r.response["total_count"] == 3
    assert roles["org:admin"]["is_creator_eligible"] is True and roles["org:editor"]["is_creator_eligible"] is False
    assert {p["key"]: p["type"] for p in roles["org:editor"]["permissions"]} == {
        "org:sys_memberships:read": "system", "org:posts:edit": "user", "org:posts:read": "user",
        "org:comments:read": "user"}
    assert admin.call("POST", f"/v1/organizations/{org['id']}/memberships",
                      {"user_id": editor_user["id"], "role": "org:editor"}).status == 200
    claims = token(editor, organization_id=org["id"])
    # Custom permissions only: features posts, comments; actions edit, read -> posts = edit|read, comments = read.
    assert claims["o"] == {"id": org["id"], "slg": org["slug"], "rol": "editor", "per": "edit,read", "fpm": "3,2"}
    assert claims["fea"] == "o:posts,o:comments"
    # Minting for an organization does not make it the active one (a side token).
    assert editor.call("GET", "/v1/client").response["sessions"][0]["last_active_organization_id"] is None
    # The role changes: the next token (and the session's last_active_token) says so at once.
    editor.call("POST", f"/v1/client/sessions/{editor.session_id}/touch", {"active_organization_id": org["id"]})
    admin.call("PATCH", f"/v1/organizations/{org['id']}/memberships/{editor_user['id']}", {"role": "org:member"})
    session = editor.call("GET", "/v1/client").response["sessions"][0]
    assert claims_of(session["last_active_token"]["jwt"])["o"] == {"id": org["id"], "slg": org["slug"],
                                                                   "rol": "member"}
    assert token(editor)["o"]["rol"] == "member"


def test_deleting_an_organization_ends_everything_in_it(emu: LocalProcess, bapi: Bapi, browsers: list[Fapi],
                                                         settings: Any) -> None:
    admin, _ = person(emu, bapi, browsers, "del")
    member, member_user = person(emu, bapi, browsers, "mem")
    org = create_org(admin)
    admin.call("POST", f"/v1/organizations/{org['id']}/memberships", {"user_id": member_user["id"],
                                                                      "role": "org:member"})
    member.call("POST", f"/v1/client/sessions/{member.session_id}/touch", {"active_organization_id": org["id"]})
    invited = new_email("later")
    inv = admin.call("POST", f"/v1/organizations/{org['id']}/invitations",
                     {"email_address": invited, "role": "org:member"}).response
    # admin_delete_enabled false (BAPI) blocks deletion from the frontend.
    r = bapi.call("PATCH", f"/organizations/{org['id']}", {"admin_delete_enabled": False})
    assert r.status == 200 and r.json["admin_delete_enabled"] is False
    assert admin.call("GET", f"/v1/organizations/{org['id']}").response["admin_delete_enabled"] is False
    assert error(admin.call("DELETE", f"/v1/organizations/{org['id']}"), 403) == \
        "organization_admin_delete_not_enabled"
    bapi.call("PATCH", f"/organizations/{org['id']}", {"admin_delete_enabled": True})
    r = admin.call("DELETE", f"/v1/organizations/{org['id']}")
    assert r.status == 200 and r.response == {"object": "organization", "id": org["id"], "slug": org["slug"],
                                              "deleted": True}
    assert memberships_in_client(r) == []
    session = member.call("GET", "/v1/client").response["sessions"][0]
    assert session["last_active_organization_id"] is None and session["user"]["organization_memberships"] == []
    assert "o" not in claims_of(session["last_active_token"]["jwt"])
    assert bapi.call("GET", f"/organizations/{org['id']}").status == 404
    assert bapi.call("GET", f"/users/{member_user['id']}/organization_memberships").json["total_count"] == 0
    ticket = parse_qs(urlsplit(inv["url"] or "").query)["ticket"][0]
    r = Fapi(emu)
    browsers.append(r)
    assert error(r.call("GET", "/v1/tickets/accept", params={"ticket": ticket}), 400) == \
        "organization_invitation_to_deleted_organization"
    # New organizations take admin_delete_enabled from the settings.
    settings({"organization_settings": {"actions": {"admin_delete": False}}})
    assert create_org(admin, "Kept")["admin_delete_enabled"] is False


# --- invitations -----------------------------------------------------------------------------------------------

def test_invitations_email_accept_revoke_and_limits(emu: LocalProcess, bapi: Bapi, browsers: list[Fapi]) -> None:
    admin, admin_user = person(emu, bapi, browsers, "inv")
    guest, guest_user = person(emu, bapi, browsers, "guest")
    other, _ = person(emu, bapi, browsers, "other")
    org = create_org(admin, "Invite Co")
    base = f"/v1/organizations/{org['id']}/invitations"
    r = admin.call("POST", base, {"email_address": email_of(guest_user), "role": "org:member"})
    assert r.status == 200, r
    inv = r.response
    assert (inv["status"], inv["role"], inv["role_name"], inv["organization_id"]) == ("pending", "org:member",
                                                                                      "Member", org["id"])
    assert inv["public_organization_data"]["name"] == "Invite Co" and inv["url"].startswith(emu.fapi_url)
    mail = outbox(emu, email_of(guest_user))[0]
    assert mail["kind"] == "organization_invitation" and mail["link"] == inv["url"] and "Invite Co" in mail["subject"]
    assert admin.call("GET", f"/v1/organizations/{org['id']}").response["pending_invitations_count"] == 1
    # Duplicates: one address → organization_invitation_not_unique; in bulk → duplicate_record naming them.
    r = admin.call("POST", base, {"email_address": email_of(guest_user), "role": "org:member"})
    assert error(r, 400) == "organization_invitation_not_unique"
    fresh = new_email("fresh")
    r = admin.call("POST", base + "/bulk", {"email_address": [fresh, email_of(guest_user)], "role": "org:member"})
    assert error(r, 400) == "duplicate_record" and r.error()["meta"]["email_addresses"] == [email_of(guest_user)]
    assert not outbox(emu, fresh)  # all or nothing
    r = admin.call("POST", base, {"email_address": email_of(admin_user), "role": "org:member"})
    assert error(r, 400) == "already_a_member_in_organization" and email_of(admin_user) in r.error()["long_message"]
    assert error(admin.call("POST", base, {"email_address": "not-an-email", "role": "org:member"}), 422) == \
        "form_param_format_invalid"
    assert error(admin.call("POST", base, {"email_address": fresh}), 422) == "form_param_missing"
    # The invitee sees it; someone else cannot accept it.
    r = guest.call("GET", "/v1/me/organization_invitations", params={"status": "pending"})
    assert [i["id"] for i in r.response["data"]] == [inv["id"]]
    assert r.response["data"][0]["public_organization_data"]["id"] == org["id"]
    assert other.call("GET", "/v1/me/organization_invitations").response["total_count"] == 0
    r = other.call("POST", f"/v1/me/organization_invitations/{inv['id']}/accept")
    assert error(r, 404) == "organization_invitation_not_found"
    r = guest.call("POST", f"/v1/me/organization_invitations/{inv['id']}/accept")
    assert r.status == 200 and r.response["status"] == "accepted"
    assert [m["organization"]["id"] for m in memberships_in_client(r)] == [org["id"]]
    assert error(guest.call("POST", f"/v1/me/organization_invitations/{inv['id']}/accept"), 404) == \
        "organization_invitation_not_pending"
    # Bulk, list by status, revoke.
    a, b = new_email("a"), new_email("b")
    r = admin.call("POST", base + "/bulk", {"email_address": [a, b], "role": "org:member"})
    assert r.status == 200 and [i["email_address"] for i in r.response] == [a, b]
    r = admin.call("GET", base, params={"status": ["pending"]})
    assert {i["email_address"] for i in r.response["data"]} == {a, b}
    r = admin.call("GET", base, params={"status": ["accepted"]})
    assert [i["id"] for i in r.response["data"]] == [inv["id"]]
    assert admin.call("GET", base + "/pending").response["total_count"] == 2
    pending = admin.call("GET", base, params={"status": ["pending"]}).response["data"]
    r = admin.call("POST", f"{base}/{pending[0]['id']}/revoke")
    assert r.status == 200 and r.response["status"] == "revoked"
    assert error(admin.call("POST", f"{base}/{pending[0]['id']}/revoke"), 404) == "organization_invitation_not_pending"
    assert error(admin.call("POST", f"{base}/orginv_nope/revoke"), 404) == "organization_invitation_not_found"
    assert error(guest.call("GET", base), 403) == "missing_organization_permission"
    assert error(admin.call("GET", base, params={"status": ["bogus"]}), 422) == "form_param_value_invalid"
    # Members plus pending invitations count against max_allowed_memberships (5 here: 2 members + 1 pending).
    r = admin.call("POST", base + "/bulk", {"email_address": [new_email("c"), new_email("d")], "role": "org:member"})
    assert r.status == 200
    r = admin.call("POST", base, {"email_address": new_email("e"), "role": "org:member"})
    assert error(r, 403) == "organization_membership_quota_exceeded" and "limit of 5" in r.error()["long_message"]
    extra = bapi.create_user()
    r = admin.call("POST", f"/v1/organizations/{org['id']}/memberships", {"user_id": extra["id"],
                                                                         "role": "org:member"})
    assert error(r, 403) == "organization_membership_quota_exceeded"
    bapi.call("PATCH", f"/organizations/{org['id']}", {"max_allowed_memberships": 0})  # 0 = unlimited
    assert admin.call("POST", f"/v1/organizations/{org['id']}/memberships",
                      {"user_id": extra["id"], "role": "org:member"}).status == 200


def test_invitation_tickets_sign_in_and_link(emu: LocalProcess, bapi: Bapi, browsers: list[Fapi]) -> None:
    admin, _ = person(emu, bapi, browsers, "tick")
    org = create_org(admin, "Ticket Co")
    existing = bapi.create_user(email_address=[new_email("known")])
    inv = admin.call("POST", f"/v1/organizations/{org['id']}/invitations",
                     {"email_address": email_of(existing), "role": "org:member"}).response
    ticket = parse_qs(urlsplit(inv["url"]).query)["ticket"][0]
    claims = claims_of(ticket)
    assert claims["st"] == "organization_invitation" and claims["sid"] == inv["id"]
    link = httpx.get(inv["url"], follow_redirects=False)
    assert link.status_code == 303
    params = parse_qs(urlsplit(link.headers["location"]).query)
    assert params["__clerk_status"] == ["sign_in"] and params["__clerk_ticket"] == [ticket]
    # Ticket sign-in: the account signs in, joins, and the organization is active in the new session.
    browser = Fapi(emu)
    browsers.append(browser)
    r = browser.call("POST", "/v1/client/sign_ins", {"strategy": "ticket", "ticket": ticket})
    assert r.status == 200 and r.response["status"] == "complete", r
    session = r.client["sessions"][0]
    assert session["last_active_organization_id"] == org["id"]
    assert [m["organization"]["id"] for m in session["user"]["organization_memberships"]] == [org["id"]]
    again = Fapi(emu)
    browsers.append(again)
    r = again.call("POST", "/v1/client/sign_ins", {"strategy": "ticket", "ticket": ticket})
    assert error(r, 400) == "organization_invitation_already_accepted"
    # A revoked invitation's ticket, and one for an address without an account.
    newcomer = new_email("newbie")
    inv2 = admin.call("POST", f"/v1/organizations/{org['id']}/invitations",
                      {"email_address": newcomer, "role": "org:member"}).response
    ticket2 = parse_qs(urlsplit(inv2["url"]).query)["ticket"][0]
    link = httpx.get(inv2["url"], follow_redirects=False)
    assert parse_qs(urlsplit(link.headers["location"]).query)["__clerk_status"] == ["sign_up"]
    r = again.call("POST", "/v1/client/sign_ins", {"strategy": "ticket", "ticket": ticket2})
    assert error(r, 400) == "invitation_account_not_exists"
    admin.call("POST", f"/v1/organizations/{org['id']}/invitations/{inv2['id']}/revoke")
    r = again.call("POST", "/v1/client/sign_ups", {"strategy": "ticket", "ticket": ticket2, "password": PASSWORD})
    assert error(r, 400) == "organization_invitation_revoked_code"


def test_invitation_ticket_sign_up_joins_the_organization(emu: LocalProcess, bapi: Bapi,
                                                         browsers: list[Fapi]) -> None:
    admin, _ = person(emu, bapi, browsers, "tsu")
    org = create_org(admin, "Sign-up Co")
    newcomer = new_email("joiner")
    inv = admin.call("POST", f"/v1/organizations/{org['id']}/invitations",
                     {"email_address": newcomer, "role": "org:member"}).response
    ticket = parse_qs(urlsplit(inv["url"]).query)["ticket"][0]
    browser = Fapi(emu)
    browsers.append(browser)
    r = browser.call("POST", "/v1/client/sign_ups", {"strategy": "ticket", "ticket": ticket, "password": PASSWORD})
    assert r.status == 200 and r.response["status"] == "complete", r
    assert r.response["email_address"] == newcomer
    mems = r.client["sessions"][0]["user"]["organization_memberships"]
    assert [m["organization"]["id"] for m in mems] == [org["id"]]


# --- domains, suggestions, membership requests --------------------------------------------------------------

def test_domains_affiliation_and_enrollment(emu: LocalProcess, bapi: Bapi, browsers: list[Fapi],
                                            settings: Any) -> None:
    host = f"corp{secrets.token_hex(3)}.test"
    admin, _ = person(emu, bapi, browsers, "dom")
    org = create_org(admin, "Domain Co")
    base = f"/v1/organizations/{org['id']}/domains"
    assert error(admin.call("POST", base, {"name": "gmail.com"}), 422) == "organization_domain_common"
    assert error(admin.call("POST", base, {"name": "not a domain"}), 422) == "form_param_format_invalid"
    r = admin.call("POST", base, {"name": host, "enrollment_mode": "automatic_suggestion"})
    assert r.status == 200, r
    domain = r.response
    assert (domain["name"], domain["enrollment_mode"], domain["affiliation_verification"]) == (
        host, "automatic_suggestion", None)
    r = admin.call("POST", base, {"name": host})
    assert error(r, 422) == "organization_domain_already_exists_same_organization"
    path = f"{base}/{domain['id']}"
    r = admin.call("POST", f"{path}/prepare_affiliation_verification",
                   {"affiliation_email_address": new_email("x", "elsewhere.test")})
    assert error(r, 422) == "organization_domain_mismatch"
    address = new_email("it", host)
    r = admin.call("POST", f"{path}/prepare_affiliation_verification", {"affiliation_email_address": address})
    assert r.status == 200 and r.response["affiliation_verification"]["status"] == "unverified"
    assert r.response["affiliation_verification"]["strategy"] == "email_code"
    code = outbox(emu, address)[0]["code"]
    assert code == "424242"  # a Clerk test address
    r = admin.call("POST", f"{path}/attempt_affiliation_verification", {"code": "000000"})
    assert error(r, 422) == "form_code_incorrect"
    assert admin.call("GET", path).response["affiliation_verification"]["attempts"] == 1
    r = admin.call("POST", f"{path}/attempt_affiliation_verification", {"code": code})
    assert r.status == 200 and r.response["affiliation_verification"]["status"] == "verified"
    assert r.response["affiliation_email_address"] == address
    # Another organization cannot claim a verified domain.
    rival, _ = person(emu, bapi, browsers, "rival")
    rival_org = create_org(rival, "Rival")
    r = rival.call("POST", f"/v1/organizations/{rival_org['id']}/domains", {"name": host})
    assert error(r, 422) == "organization_domain_already_exists"
    # A user at the domain gets a suggestion, asks to join, and an admin lets them in.
    worker, worker_user = person(emu, bapi, browsers, "worker", host)
    r = worker.call("GET", "/v1/me/organization_suggestions", params={"status": ["pending", "accepted"]})
    assert [s["public_organization_data"]["id"] for s in r.response["data"]] == [org["id"]]
    suggestion = r.response["data"][0]
    assert admin.call("GET", path).response["total_pending_suggestions"] == 1
    r = worker.call("POST", f"/v1/me/organization_suggestions/{suggestion['id']}/accept")
    assert r.status == 200 and r.response["status"] == "accepted"
    assert error(worker.call("POST", f"/v1/me/organization_suggestions/{suggestion['id']}/accept"), 400) == \
        "organization_suggestion_already_accepted"
    r = admin.call("GET", f"/v1/organizations/{org['id']}/membership_requests", params={"status": "pending"})
    assert [q["public_user_data"]["user_id"] for q in r.response["data"]] == [worker_user["id"]]
    request = r.response["data"][0]
    r = admin.call("POST", f"/v1/organizations/{org['id']}/membership_requests/{request['id']}/accept")
    assert r.status == 200 and r.response["status"] == "accepted"
    mems = worker.call("GET", "/v1/me/organization_memberships", params={"paginated": "true"}).response["data"]
    assert [(m["organization"]["id"], m["role"]) for m in mems] == [(org["id"], "org:member")]
    assert error(admin.call("POST", f"/v1/organizations/{org['id']}/membership_requests/{request['id']}/reject"),
                 404) == "resource_not_found"
    # automatic_invitation: users at the domain find an invitation instead; delete_pending drops them.
    r = admin.call("POST", f"{path}/update_enrollment_mode", {"enrollment_mode": "automatic_invitation"})
    assert r.status == 200 and r.response["enrollment_mode"] == "automatic_invitation"
    late, _ = person(emu, bapi, browsers, "late", host)
    r = late.call("GET", "/v1/me/organization_invitations")
    assert [i["organization_id"] for i in r.response["data"]] == [org["id"]]
    assert admin.call("GET", path).response["total_pending_invitations"] == 1
    # Domain invitations are not the admins' list, and not counted as pending invitations of the organization.
    assert admin.call("GET", f"/v1/organizations/{org['id']}/invitations").response["total_count"] == 0
    r = admin.call("POST", f"{path}/update_enrollment_mode", {"enrollment_mode": "manual_invitation",
                                                              "delete_pending": "true"})
    assert r.response["total_pending_invitations"] == 0
    assert late.call("GET", "/v1/me/organization_invitations", params={"status": "pending"}).response[
        "total_count"] == 0
    # Reading needs sys_domains:read (members have none), and modes must be enabled in the settings.
    r = worker.call("GET", base)
    assert error(r, 403) == "missing_organization_permission"
    assert r.error()["meta"]["permissions"] == ["org:sys_domains:read", "org:sys_domains:manage"]
    r = admin.call("GET", base, params={"verified": "true"})
    assert [d["id"] for d in r.response["data"]] == [domain["id"]]
    settings({"organization_settings": {"domains": {"enrollment_modes": ["manual_invitation"]}}})
    r = admin.call("POST", f"{path}/update_enrollment_mode", {"enrollment_mode": "automatic_suggestion"})
    assert error(r, 403) == "organization_domain_enrollment_mode_not_enabled"
    r = admin.call("DELETE", path)
    assert r.status == 200 and r.response == {"object": "organization_domain", "id": domain["id"], "deleted": True}
    assert error(admin.call("GET", path), 404) == "resource_not_found"
    settings({"organization_settings": {"domains": {"enabled": False}}})
    assert error(admin.call("GET", base), 403) == "organization_domains_not_enabled"


def test_adding_a_domain_of_ones_own_verified_address_verifies_it(emu: LocalProcess, bapi: Bapi,
                                                                   browsers: list[Fapi]) -> None:
    host = f"own{secrets.token_hex(3)}.test"
    admin, admin_user = person(emu, bapi, browsers, "owner", host)
    org = create_org(admin)
    r = admin.call("POST", f"/v1/organizations/{org['id']}/domains", {"name": host})
    assert r.response["affiliation_verification"]["status"] == "verified"
    assert r.response["affiliation_email_address"] == email_of(admin_user)
    defaults = person(emu, bapi, browsers, "colleague", host)[0].call("GET", "/v1/me/organization_creation_defaults")
    assert defaults.response["advisory"]["code"] == "organization_already_exists"
    assert defaults.response["form"]["name"]


# --- forced organization selection ---------------------------------------------------------------------------

def test_forced_selection_makes_sessions_pending(emu: LocalProcess, bapi: Bapi, browsers: list[Fapi],
                                                 settings: Any) -> None:
    admin, _ = person(emu, bapi, browsers, "force")
    org = create_org(admin)
    settings({"organization_settings": {"force_organization_selection": True}})
    env = admin.call("GET", "/v1/environment", validate=False).json["organization_settings"]
    assert env["force_organization_selection"] is True
    session = admin.call("GET", "/v1/client").response["sessions"][0]
    assert session["status"] == "pending" and session["tasks"] == [{"key": "choose-organization"}]
    assert claims_of(session["last_active_token"]["jwt"])["sts"] == "pending"
    r = admin.call("POST", f"/v1/client/sessions/{admin.session_id}/touch", {"active_organization_id": org["id"]})
    assert r.response["status"] == "active" and r.response["tasks"] is None
    assert "sts" not in token(admin)
    # An empty organization keeps the one in use; the last organization cannot be left.
    r = admin.call("POST", f"/v1/client/sessions/{admin.session_id}/touch", {"active_organization_id": ""})
    assert r.response["last_active_organization_id"] == org["id"]
    r = admin.call("DELETE", f"/v1/me/organization_memberships/{org['id']}")
    assert error(r, 422) in ("personal_accounts_not_allowed", "organization_minimum_permissions_needed")


# --- the Backend API -------------------------------------------------------------------------------------------

def test_backend_api_organizations(emu: LocalProcess, bapi: Bapi) -> None:
    owner, member = bapi.create_user(first_name="Olga"), bapi.create_user(first_name="Max", username=None)
    slug = "bapi-" + secrets.token_hex(3)
    r = bapi.call("POST", "/organizations", {"name": "Backend Co", "slug": slug, "created_by": owner["id"],
                                             "max_allowed_memberships": 3, "public_metadata": {"a": 1},
                                             "private_metadata": {"p": 1}})
    assert r.status == 200, r
    org = r.json
    assert (org["max_allowed_memberships"], org["members_count"], org["created_by"]) == (3, 1, owner["id"])
    assert org["missing_member_with_elevated_permissions"] is False
    r = bapi.call("POST", f"/organizations/{org['id']}/memberships", {"user_id": member["id"], "role": "org:member",
                                                                      "public_metadata": {"team": "x"}})
    assert r.status == 200 and r.json["public_metadata"] == {"team": "x"} and r.json["private_metadata"] == {}
    r = bapi.call("PATCH", f"/organizations/{org['id']}/memberships/{member['id']}/metadata",
                  {"public_metadata": {"team": None, "lead": True}, "private_metadata": {"k": 1}})
    assert r.status == 200 and r.json["public_metadata"] == {"lead": True} and r.json["private_metadata"] == {"k": 1}
    r = bapi.call("PATCH", f"/organizations/{org['id']}/memberships/{member['id']}", {"role": "org:editor"})
    assert r.status == 200 and r.json["role"] == "org:editor" and "org:posts:edit" in r.json["permissions"]
    # Lists and their filters.
    r = bapi.call("GET", "/organizations", params={"query": slug, "include_members_count": "true"})
    assert [o["id"] for o in r.json["data"]] == [org["id"]] and r.json["data"][0]["members_count"] == 2
    r = bapi.call("GET", "/organizations", params={"user_id": [member["id"]]})
    assert [o["id"] for o in r.json["data"]] == [org["id"]]
    r = bapi.call("GET", "/organizations", params={"organization_id": [org["id"]], "order_by": "-name"})
    assert r.json["total_count"] == 1
    path = f"/organizations/{org['id']}/memberships"
    assert [m["role"] for m in bapi.call("GET", path, params={"role": ["org:editor"]}).json["data"]] == ["org:editor"]
    assert bapi.call("GET", path, params={"user_id": [owner["id"]]}).json["data"][0]["public_user_data"][
        "user_id"] == owner["id"]
    assert bapi.call("GET", path, params={"name_query": "max"}).json["total_count"] == 1
    assert bapi.call("GET", path, params={"email_address_query": email_of(owner)[:8]}).json["total_count"] == 1
    assert bapi.call("GET", path, params={"email_address": [email_of(member)]}).json["total_count"] == 1
    ordered = bapi.call("GET", path, params={"order_by": "-first_name"}).json["data"]
    assert [m["public_user_data"]["first_name"] for m in ordered] == ["Olga", "Max"]
    assert bapi.call("GET", path, params={"created_at_after": str(org["created_at"] - 1)}).json["total_count"] == 2
    assert bapi.call("GET", "/organization_memberships", params={"limit": 500}).json["total_count"] >= 2
    assert bapi.call("GET", f"/users/{member['id']}/organization_memberships").json["data"][0]["organization"][
        "id"] == org["id"]
    # Invitations: single, bulk, list, get, revoke, per user, instance-wide.
    guest = bapi.create_user()
    r = bapi.call("POST", f"/organizations/{org['id']}/invitations",
                  {"email_address": email_of(guest), "role": "org:member", "inviter_user_id": owner["id"],
                   "public_metadata": {"via": "bapi"}, "private_metadata": {"s": 1}, "expires_in_days": 2,
                   "redirect_url": "http://127.0.0.1:9/welcome"})
    assert r.status == 200, r
    inv = r.json
    assert inv["inviter_id"] == owner["id"] and inv["public_inviter_data"]["user_id"] == owner["id"]
    assert inv["private_metadata"] == {"s": 1}
    assert inv["expires_at"] - inv["created_at"] <= 2 * 86400 * 1000 + 1000
    r = bapi.call("POST", f"/organizations/{org['id']}/invitations/bulk",
                  [{"email_address": new_email("b1"), "role": "org:member"}])
    assert error(r, 403) == "organization_membership_quota_exceeded"  # 2 members + 1 pending = 3
    bapi.call("PATCH", f"/organizations/{org['id']}", {"max_allowed_memberships": 10})
    r = bapi.call("POST", f"/organizations/{org['id']}/invitations/bulk",
                  [{"email_address": new_email("b1"), "role": "org:member"},
                   {"email_address": new_email("b2"), "role": "org:editor", "notify": False}])
    assert r.status == 200 and r.json["total_count"] == 2
    r = bapi.call("GET", f"/organizations/{org['id']}/invitations", params={"status": ["pending"]})
    assert r.json["total_count"] == 3
    assert bapi.call("GET", f"/organizations/{org['id']}/invitations/{inv['id']}").json["id"] == inv["id"]
    r = bapi.call("GET", f"/users/{guest['id']}/organization_invitations")
    assert [i["public_organization_data"]["id"] for i in r.json["data"]] == [org["id"]]
    r = bapi.call("GET", "/organization_invitations", params={"query": email_of(guest)})
    assert [i["id"] for i in r.json["data"]] == [inv["id"]]
    r = bapi.call("POST", f"/organizations/{org['id']}/invitations/{inv['id']}/revoke",
                  {"requesting_user_id": member["id"]})
    assert error(r, 403) == "missing_organization_permission"  # an editor cannot manage members
    r = bapi.call("POST", f"/organizations/{org['id']}/invitations/{inv['id']}/revoke", {})
    assert r.status == 200 and r.json["status"] == "revoked"
    # Domains (verified by default, as @clerk/backend asks), logo removal, deletion.
    host = f"bapi{secrets.token_hex(3)}.test"
    r = bapi.call("POST", f"/organizations/{org['id']}/domains", {"name": host, "enrollment_mode": "manual_invitation"})
    assert r.status == 200 and r.json["affiliation_verification"]["status"] == "verified"
    dom = r.json
    r = bapi.call("PATCH", f"/organizations/{org['id']}/domains/{dom['id']}", {"enrollment_mode":
                                                                             "automatic_suggestion"})
    assert r.status == 200 and r.json["enrollment_mode"] == "automatic_suggestion"
    assert bapi.call("GET", f"/organizations/{org['id']}/domains", params={"verified": "true"}).json[
        "total_count"] == 1
    r = bapi.call("DELETE", f"/organizations/{org['id']}/domains/{dom['id']}")
    assert r.status == 200 and r.json == {"object": "organization_domain", "id": dom["id"], "deleted": True}
    assert error(bapi.call("DELETE", f"/organizations/{org['id']}/logo"), 404) == "resource_not_found"
    r = bapi.call("DELETE", f"/organizations/{org['id']}")
    assert r.status == 200 and r.json["deleted"] is True
    assert bapi.call("GET", "/organization_invitations", params={"query": email_of(guest)}).json["total_count"] == 0


# --- bad input: every route, wrong types and missing fields ----------------------------------------------------

def test_bapi_update_organization_refuses_bad_values_and_stores_good_ones(bapi: Bapi) -> None:
    org = bapi.call("POST", "/organizations", {"name": "Typed"}).json
    path = f"/organizations/{org['id']}"
    for body, param in (({"max_allowed_memberships": ""}, "max_allowed_memberships"),
                        ({"max_allowed_memberships": "3"}, "max_allowed_memberships"),
                        ({"max_allowed_memberships": True}, "max_allowed_memberships"),
                        ({"max_allowed_memberships": 2.5}, "max_allowed_memberships"),
                        ({"max_allowed_memberships": -1}, "max_allowed_memberships"),
                        ({"admin_delete_enabled": []}, "admin_delete_enabled"),
                        ({"admin_delete_enabled": "false"}, "admin_delete_enabled"),
                        ({"admin_delete_enabled": 0}, "admin_delete_enabled"),
                        ({"name": 5}, "name"), ({"name": ""}, "name"), ({"slug": ["a"]}, "slug"),
                        ({"slug": "Not A Slug"}, "slug"), ({"role_set_key": 1}, "role_set_key")):
        r = bapi.call("PATCH", path, body)
        assert r.status == 422 and r.error()["meta"]["param_name"] == param, (body, r)
    r = bapi.call("PATCH", path, {"bogus": 1})
    assert r.status == 422 and r.error()["code"] == "form_param_unknown"
    unchanged = bapi.call("GET", path).json
    assert (unchanged["max_allowed_memberships"], unchanged["admin_delete_enabled"], unchanged["name"]) == (
        5, True, "Typed")
    r = bapi.call("PATCH", path, {"admin_delete_enabled": False, "max_allowed_memberships": 0, "name": "Typed 2"})
    assert r.status == 200
    stored = bapi.call("GET", path).json
    assert (stored["admin_delete_enabled"], stored["max_allowed_memberships"], stored["name"]) == (False, 0, "Typed 2")
    r = bapi.call("PATCH", path, {"max_allowed_memberships": None, "admin_delete_enabled": None})
    assert r.status == 200 and bapi.call("GET", path).json["admin_delete_enabled"] is False  # null: unchanged


def test_every_organization_route_refuses_wrong_types_and_missing_fields(emu: LocalProcess, bapi: Bapi,
                                                                         browsers: list[Fapi]) -> None:
    """No 5xx, a Clerk-shaped 4xx naming the problem, and nothing stored, for each route."""
    admin, admin_user = person(emu, bapi, browsers, "bad")
    org = create_org(admin)
    other = bapi.create_user()
    oid, uid = org["id"], admin_user["id"]
    inv = admin.call("POST", f"/v1/organizations/{oid}/invitations",
                     {"email_address": new_email("t"), "role": "org:member"}).response
    host = f"bad{secrets.token_hex(3)}.test"
    dom = admin.call("POST", f"/v1/organizations/{oid}/domains", {"name": host}).response
    fapi_cases: list[tuple[str, str, dict[str, Any] | None, dict[str, Any] | None, int]] = [
        ("POST", "/v1/organizations", {}, None, 422),
        ("POST", "/v1/organizations", {"name": "x", "extra": "1"}, None, 422),
        ("PATCH", f"/v1/organizations/{oid}", {"name": ""}, None, 422),
        ("PATCH", f"/v1/organizations/{oid}", {"slug": ""}, None, 422),
        ("PATCH", f"/v1/organizations/{oid}", {"max_allowed_memberships": "9"}, None, 422),
        ("GET", f"/v1/organizations/{oid}/memberships", None, {"limit": "ten"}, 422),
        ("GET", f"/v1/organizations/{oid}/memberships", None, {"limit": "0"}, 422),
        ("GET", f"/v1/organizations/{oid}/memberships", None, {"offset": "-1"}, 422),
        ("POST", f"/v1/organizations/{oid}/memberships", {"role": "org:member"}, None, 422),
        ("POST", f"/v1/organizations/{oid}/memberships", {"user_id": other["id"]}, None, 422),
        ("POST", f"/v1/organizations/{oid}/memberships", {"user_id": other["id"], "role": ""}, None, 422),
        ("PATCH", f"/v1/organizations/{oid}/memberships/{uid}", {}, None, 422),
        ("PATCH", f"/v1/organizations/{oid}/memberships/{uid}", {"role": "org:ghost"}, None, 404),
        ("PATCH", f"/v1/organizations/{oid}/memberships/{uid}", {"role": "org:admin", "x": "1"}, None, 422),
        ("POST", f"/v1/organizations/{oid}/invitations", {"role": "org:member"}, None, 422),
        ("POST", f"/v1/organizations/{oid}/invitations", {"email_address": "a@b.test", "notify": "maybe",
                                                          "role": "org:member"}, None, 422),
        ("POST", f"/v1/organizations/{oid}/invitations/bulk", {"role": "org:member"}, None, 422),
        ("POST", f"/v1/organizations/{oid}/invitations/bulk",
         {"email_address": [f"x{i}@b.test" for i in range(11)], "role": "org:member"}, None, 422),
        ("GET", f"/v1/organizations/{oid}/invitations", None, {"status": "weird"}, 422),
        ("POST", f"/v1/organizations/{oid}/domains", {}, None, 422),
        ("POST", f"/v1/organizations/{oid}/domains", {"name": "x.test", "enrollment_mode": "sometimes"}, None, 422),
        ("GET", f"/v1/organizations/{oid}/domains", None, {"verified": "perhaps"}, 422),
        ("POST", f"/v1/organizations/{oid}/domains/{dom['id']}/update_enrollment_mode", {}, None, 422),
        ("POST", f"/v1/organizations/{oid}/domains/{dom['id']}/update_enrollment_mode",
         {"enrollment_mode": "automatic_invitation", "delete_pending": "yes"}, None, 422),
        ("POST", f"/v1/organizations/{oid}/domains/{dom['id']}/prepare_affiliation_verification", {}, None, 422),
        ("POST", f"/v1/organizations/{oid}/domains/{dom['id']}/attempt_affiliation_verification", {}, None, 400),
        ("GET", "/v1/me/organization_invitations", None, {"status": "nope"}, 422),
        ("GET", "/v1/me/organization_suggestions", None, {"status": "nope"}, 422),
        ("GET", "/v1/me/organization_memberships", None, {"limit": "x"}, 422),
        ("POST", "/v1/me/organization_invitations/orginv_missing/accept", None, None, 404),
        ("POST", "/v1/me/organization_suggestions/orgsugg_missing/accept", None, None, 404),
        ("DELETE", "/v1/me/organization_memberships/org_missing", None, None, 404),
        ("POST", f"/v1/organizations/{oid}/membership_requests/orgmbrreq_missing/accept", None, None, 404),
        ("PUT", f"/v1/organizations/{oid}/logo", {"file": "not an image"}, None, 400),
        ("DELETE", f"/v1/organizations/{oid}/domains/orgdmn_missing", None, None, 404),
        ("GET", f"/v1/organizations/{oid}/roles", None, {"limit": "many"}, 422),
        ("GET", f"/v1/organizations/{oid}/invitations/pending", None, {"offset": "-3"}, 422),
        ("POST", f"/v1/organizations/{oid}/invitations/orginv_missing/revoke", None, None, 404),
        ("GET", f"/v1/organizations/{oid}/membership_requests", None, {"status": "maybe"}, 422),
        ("POST", f"/v1/organizations/{oid}/membership_requests/orgmbrreq_missing/reject", None, None, 404),
        ("GET", f"/v1/organizations/{oid}/domains/orgdmn_missing", None, None, 404),
        ("GET", f"/v1/organizations/{oid}/domains", None, {"enrollment_mode": "sometimes"}, 422),
        ("DELETE", "/v1/organizations/org_missing", None, None, 404),
        ("DELETE", f"/v1/organizations/{oid}/logo", {"extra": "1"}, None, 422),
        ("DELETE", f"/v1/me/organization_memberships/{oid}", {"extra": "1"}, None, 422),
        ("POST", f"/v1/organizations/{oid}/invitations/{inv['id']}/revoke", {"reason": "x"}, None, 422),
        ("GET", "/v1/me/organization_creation_defaults", None, None, 200),
    ]
    before = bapi.call("GET", f"/organizations/{oid}").json
    for method, path, form, params, status in fapi_cases:
        r = admin.call(method, path, form, params=params)
        assert r.status == status, (method, path, form, r)
        if status >= 400:
            assert {"code", "message", "long_message"} <= set(r.error()), (method, path, form, r)
    bapi_cases: list[tuple[str, str, Any, int]] = [
        ("POST", "/organizations", {}, 422),
        ("POST", "/organizations", {"name": 1}, 422),
        ("POST", "/organizations", {"name": "x", "max_allowed_memberships": "5"}, 422),
        ("POST", "/organizations", {"name": "x", "created_by": 7}, 422),
        ("POST", "/organizations", {"name": "x", "public_metadata": [1]}, 422),
        ("POST", "/organizations", [1, 2], 400),
        ("PATCH", f"/organizations/{oid}/metadata", {"public_metadata": "x"}, 422),
        ("PUT", f"/organizations/{oid}/metadata", {"private_metadata": 3}, 422),
        ("POST", f"/organizations/{oid}/memberships", {"user_id": other["id"]}, 422),
        ("POST", f"/organizations/{oid}/memberships", {"user_id": 1, "role": "org:member"}, 422),
        ("POST", f"/organizations/{oid}/memberships", {"user_id": other["id"], "role": "org:member",
                                                       "public_metadata": "x"}, 422),
        ("PATCH", f"/organizations/{oid}/memberships/{uid}", {"role": None}, 422),
        ("PATCH", f"/organizations/{oid}/memberships/{uid}/metadata", {"public_metadata": []}, 422),
        ("GET", f"/organizations/{oid}/memberships?created_at_after=yesterday", None, 422),
        ("GET", f"/organizations/{oid}/memberships?order_by=height", None, 422),
        ("GET", "/organizations?order_by=height", None, 422),
        ("GET", "/organizations?limit=0", None, 422),
        ("POST", f"/organizations/{oid}/invitations", {"email_address": "a@b.test"}, 422),
        ("POST", f"/organizations/{oid}/invitations", {"email_address": ["a@b.test"], "role": "org:member"}, 422),
        ("POST", f"/organizations/{oid}/invitations", {"email_address": "a@b.test", "role": "org:member",
                                                       "expires_in_days": 0}, 422),
        ("POST", f"/organizations/{oid}/invitations", {"email_address": "a@b.test", "role": "org:member",
                                                       "notify": "yes"}, 422),
        ("POST", f"/organizations/{oid}/invitations", {"email_address": "a@b.test", "role": "org:member",
                                                       "redirect_url": "javascript:x"}, 422),
        ("POST", f"/organizations/{oid}/invitations/bulk", {"email_address": "a@b.test"}, 400),
        ("POST", f"/organizations/{oid}/invitations/bulk", [], 400),
        ("POST", f"/organizations/{oid}/invitations/bulk", ["x"], 400),
        ("POST", f"/organizations/{oid}/invitations/{inv['id']}/revoke", {"requesting_user_id": 5}, 422),
        ("GET", f"/organizations/{oid}/invitations?status=weird", None, 422),
        ("GET", "/organization_invitations?order_by=size", None, 422),
        ("POST", f"/organizations/{oid}/domains", {"name": 5}, 422),
        ("POST", f"/organizations/{oid}/domains", {"name": "ok.test", "verified": "yes"}, 422),
        ("PATCH", f"/organizations/{oid}/domains/{dom['id']}", {"enrollment_mode": 1}, 422),
        ("GET", f"/organizations/{oid}/domains?verified=maybe", None, 422),
        ("GET", "/organizations/org_missing", None, 404),
        ("DELETE", f"/organizations/{oid}/memberships/user_missing", None, 404),
        ("DELETE", f"/organizations/{oid}/logo", None, 404),
        ("PATCH", f"/organizations/{oid}/memberships/user_missing/metadata", {"public_metadata": {}}, 404),
        ("GET", f"/users/{uid}/organization_invitations?status=sent", None, 422),
        ("GET", "/organization_memberships?limit=0", None, 422),
        ("GET", "/organization_invitations?status=sent", None, 422),
        ("GET", f"/organizations/{oid}/domains?enrollment_mode=sometimes", None, 422),
        ("GET", f"/organizations/{oid}/invitations/orginv_missing", None, 404),
        ("POST", f"/organizations/{oid}/invitations/orginv_missing/revoke", {}, 404),
        ("DELETE", f"/organizations/{oid}/domains/orgdmn_missing", None, 404),
        ("PATCH", f"/organizations/{oid}/domains/orgdmn_missing", {"verified": True}, 404),
    ]
    for method, target, body, status in bapi_cases:
        path, _, query = target.partition("?")
        r = bapi.call(method, path, body, params=dict(parse_qs(query)) if query else None)
        assert r.status == status and r.error()["code"], (method, path, body, r)
    after = bapi.call("GET", f"/organizations/{oid}").json
    assert {k: v for k, v in after.items() if k != "updated_at"} == {
        k: v for k, v in before.items() if k != "updated_at"}
    assert bapi.call("GET", f"/organizations/{oid}/memberships").json["total_count"] == 1


# --- property: FAPI's and BAPI's views of an organization agree ----------------------------------------------

ROLES = ("org:admin", "org:member", "org:editor")
OPERATIONS = st.lists(st.one_of(
    st.tuples(st.just("add"), st.integers(0, 2), st.sampled_from(ROLES), st.sampled_from(("fapi", "bapi"))),
    st.tuples(st.just("role"), st.integers(0, 2), st.sampled_from(ROLES), st.sampled_from(("fapi", "bapi"))),
    st.tuples(st.just("remove"), st.integers(0, 2), st.just(""), st.sampled_from(("fapi", "bapi"))),
    st.tuples(st.just("leave"), st.integers(0, 2), st.just(""), st.just("fapi")),
    st.tuples(st.just("invite"), st.integers(0, 2), st.sampled_from(ROLES), st.just("fapi")),
    st.tuples(st.just("metadata"), st.integers(0, 2), st.text("abc", min_size=1, max_size=3), st.just("bapi")),
), min_size=1, max_size=8)


def _fapi_view(browser: Fapi, org_id: str) -> tuple[Any, ...]:
    mems = browser.call("GET", f"/v1/organizations/{org_id}/memberships",
                        params={"paginated": "true", "limit": 500}).response["data"]
    org = browser.call("GET", f"/v1/organizations/{org_id}").response
    return (sorted((m["id"], m["public_user_data"]["user_id"], m["role"], m["role_name"], tuple(m["permissions"]),
                    json.dumps(m["public_metadata"], sort_keys=True), m["updated_at"]) for m in mems),
            org["members_count"], org["pending_invitations_count"], org["name"], org["updated_at"])


def _bapi_view(bapi: Bapi, org_id: str) -> tuple[Any, ...]:
    mems = bapi.call("GET", f"/organizations/{org_id}/memberships", params={"limit": 500}).json["data"]
    org = bapi.call("GET", f"/organizations/{org_id}").json
    return (sorted((m["id"], m["public_user_data"]["user_id"], m["role"], m["role_name"], tuple(m["permissions"]),
                    json.dumps(m["public_metadata"], sort_keys=True), m["updated_at"]) for m in mems),
            org["members_count"], org["pending_invitations_count"], org["name"], org["updated_at"])


def test_any_membership_sequence_leaves_both_views_equal(emu: LocalProcess, bapi: Bapi,
                                                        browsers: list[Fapi]) -> None:
    observer, observer_user = person(emu, bapi, browsers, "watch")
    pool = [person(emu, bapi, browsers, f"p{i}") for i in range(3)]

    @hypothesis_settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
    @given(OPERATIONS)
    def run(operations: list[tuple[str, int, str, str]]) -> None:
        org = create_org(observer, "Prop")  # the observer is never touched: it always may read everything
        oid = org["id"]
        bapi.call("PATCH", f"/organizations/{oid}", {"max_allowed_memberships": 0})
        expected: dict[str, str] = {observer_user["id"]: "org:admin"}
        for op, index, arg, api in operations:
            browser, user = pool[index]
            base = f"/organizations/{oid}/memberships"
            if op == "add":
                r = (observer.call("POST", "/v1" + base, {"user_id": user["id"], "role": arg}) if api == "fapi"
                     else bapi.call("POST", base, {"user_id": user["id"], "role": arg}))
                assert r.status == (400 if user["id"] in expected else 200), r
                expected.setdefault(user["id"], arg)
            elif op == "role":
                r = (observer.call("PATCH", f"/v1{base}/{user['id']}", {"role": arg}) if api == "fapi"
                     else bapi.call("PATCH", f"{base}/{user['id']}", {"role": arg}))
                assert r.status == (200 if user["id"] in expected else 404), r
                if r.status == 200:
                    expected[user["id"]] = arg
            elif op == "remove":
                r = (observer.call("DELETE", f"/v1{base}/{user['id']}") if api == "fapi"
                     else bapi.call("DELETE", f"{base}/{user['id']}"))
                assert r.status == (200 if user["id"] in expected else 404), r
                expected.pop(user["id"], None)
            elif op == "leave":
                r = browser.call("DELETE", f"/v1/me/organization_memberships/{oid}")
                assert r.status == (200 if user["id"] in expected else 404), r
                expected.pop(user["id"], None)
            elif op == "invite":
                r = observer.call("POST", f"/v1/organizations/{oid}/invitations",
                                  {"email_address": email_of(user), "role": arg})
                if user["id"] in expected:
                    assert error(r, 400) == "already_a_member_in_organization"
                    continue
                assert r.status == 200, r
                r = browser.call("POST", f"/v1/me/organization_invitations/{r.response['id']}/accept")
                assert r.status == 200, r
                expected[user["id"]] = arg
            else:
                r = bapi.call("PATCH", f"{base}/{user['id']}/metadata", {"public_metadata": {arg: index}})
                assert r.status == (200 if user["id"] in expected else 404), r
            fapi_view, bapi_view = _fapi_view(observer, oid), _bapi_view(bapi, oid)
            assert fapi_view == bapi_view
            assert {m[1]: m[2] for m in bapi_view[0]} == expected
        # Each member's own client agrees too.
        for browser, user in pool:
            mems = browser.call("GET", "/v1/me/organization_memberships",
                                params={"paginated": "true", "limit": 500}).response["data"]
            mine = {m["organization"]["id"]: m["role"] for m in mems}
            assert mine.get(oid) == expected.get(user["id"])
        bapi.call("DELETE", f"/organizations/{oid}")

    run()


PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")


def test_logo_upload_on_both_apis(emu: LocalProcess, bapi: Bapi, browsers: list[Fapi]) -> None:
    admin, _ = person(emu, bapi, browsers, "logo")
    org = create_org(admin)
    r = httpx.post(emu.fapi_url + f"/v1/organizations/{org['id']}/logo",
                   params={"_method": "PUT", "_clerk_session_id": admin.session_id},
                   files={"file": ("logo.png", PNG, "image/png")}, cookies=admin.http.cookies)
    assert r.status_code == 200, r.text
    assert r.json()["response"]["has_image"] is True
    assert httpx.get(r.json()["response"]["image_url"]).content == PNG
    r = bapi.http.put(f"/organizations/{org['id']}/logo", files={"file": ("logo.png", PNG, "image/png")})
    assert r.status_code == 200 and r.json()["has_image"] is True
    assert admin.call("DELETE", f"/v1/organizations/{org['id']}/logo").status == 200
    assert admin.call("GET", f"/v1/organizations/{org['id']}").response["has_image"] is False
