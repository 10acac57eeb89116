"""Organizations with the SDK in Pyodide in Chromium against the local Clerk instance, two people in two browser
contexts: an admin creates an organization and invites a second user, who signs in and accepts; the admin
changes the member's role; ``has(permission=…)`` flips once the member's token is refreshed; the member leaves.
Server state is read back through the Backend API; every request must stay on 127.0.0.1.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from bapi_client import PASSWORD, Backend
from browser_harness import PyPage, boot_harness
from clerk_emulator.kit import LocalProcess
from playwright.sync_api import Browser
from serve import StaticServer

# A custom role whose custom permission reaches the session token (o.per / o.fpm / fea).
SETTINGS = {"organization_settings": {"roles": {
    "org:editor": {"name": "Editor", "permissions": ["org:sys_memberships:read", "org:posts:edit"]}}}}


@pytest.fixture(scope="module")
def emu(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalProcess]:
    folder = tmp_path_factory.mktemp("clerk-browser-orgs")
    (folder / "settings.json").write_text(json.dumps(SETTINGS))
    with LocalProcess(folder / "data", settings_file=folder / "settings.json") as proc:
        yield proc


@pytest.fixture(scope="module")
def backend(emu: LocalProcess) -> Iterator[Backend]:
    api = Backend(emu)
    yield api
    api.close()


@pytest.fixture(scope="module")
def second_page(browser: Browser, static_server: StaticServer) -> Iterator[PyPage]:
    """Another browser context (another person, another dev-browser client) with Pyodide booted."""
    context, page = boot_harness(browser, static_server.url)
    yield page
    context.close()


def _sign_in(page: PyPage, emu: LocalProcess, email: str) -> None:
    page.run(f"""
from clerk_frontend import Clerk
clerk = Clerk({emu.publishable_key!r}, storage={{}})
await clerk.load()
await clerk.sign_in.create(identifier={email!r}, password={PASSWORD!r})
seen = []
clerk.add_listener(lambda state: seen.append(state.organization.id if state.organization else None),
                   skip_initial=True)
""")


def test_create_invite_accept_promote_has_and_leave(py_page: PyPage, second_page: PyPage, emu: LocalProcess,
                                                    backend: Backend) -> None:
    admin_email, admin_id = backend.new_user("orgadmin", first_name="Ada")
    member_email, member_id = backend.new_user("orgmember", first_name="Bob")
    _sign_in(py_page, emu, admin_email)
    created = py_page.run(f"""
org = await clerk.create_organization(name="Pyodide Org")
before = clerk.organization
await clerk.set_active(organization=org.slug)
invitation = await org.invite_member(email_address={member_email!r}, role="org:member")
[org.id, org.slug, before is None, clerk.organization is org, invitation.status,
 clerk.has(permission="org:sys_memberships:manage"), org is clerk.user.organization_memberships[0].organization]
""")
    org_id, slug = created[0], created[1]
    assert created[2:] == [True, True, "pending", True, True]
    mail = httpx.get(emu.fapi_url + "/__emulator/outbox", params={"to": member_email}).json()["data"][0]
    assert mail["kind"] == "organization_invitation" and "Pyodide Org" in mail["subject"]
    _sign_in(second_page, emu, member_email)  # the invited user signs in, in another browser context
    joined = second_page.run(f"""
page = await clerk.user.get_organization_invitations(status="pending")
invitation = page.data[0]
await invitation.accept()
await clerk.set_active(organization={slug!r})
[page.total_count, invitation.status, [m.organization.id for m in clerk.user.organization_memberships],
 clerk.organization.id, clerk.has(role="org:member"), clerk.has(permission="org:sys_memberships:read"),
 clerk.has(permission="org:posts:edit"), list(seen)]
""")
    # Listeners fired once for the accepted invitation (a new membership, none active) and once for the switch.
    assert joined == [1, "accepted", [org_id], org_id, True, True, False, [None, org_id]]
    promoted = py_page.run(f"""
members = await org.get_memberships(role="org:member")
member = next(m for m in members.data if m.user_id == {member_id!r})
await member.update(role="org:editor")
[members.total_count, member.role, org.members_count]
""")
    assert promoted == [1, "org:editor", 2]
    flipped = second_page.run("""
from clerk_frontend import decode_session_claims
from clerk_frontend.tokens import decode_jwt_claims

before = clerk.has(permission="org:posts:edit")
jwt = await clerk.session.get_token(skip_cache=True)
server = decode_session_claims(decode_jwt_claims(jwt))
[before, clerk.has(permission="org:posts:edit"), clerk.has(role="org:editor"), server.org_role,
 server.org_permissions, server.has(permission="org:posts:edit"), len(seen)]
""")
    assert flipped == [False, True, True, "org:editor", ["org:posts:edit"], True, 3]
    left = second_page.run("""
deleted = await clerk.user.leave_organization(clerk.organization.id)
[deleted["deleted"], clerk.organization, clerk.user.organization_memberships, clerk.has(role="org:editor"),
 seen[-1], len(seen)]
""")
    assert left == [True, None, [], False, None, 4]
    members = backend.call("GET", f"/organizations/{org_id}/memberships")
    assert [m["public_user_data"]["user_id"] for m in members["data"]] == [admin_id]
    # The admin sees the member gone once the organization is read again.
    assert py_page.run("await org.reload()\norg.members_count") == 1


def test_roles_and_errors_in_the_browser(py_page: PyPage, emu: LocalProcess, backend: Backend) -> None:
    email, _ = backend.new_user("orgroles")
    _sign_in(py_page, emu, email)
    got: Any = py_page.run("""
from clerk_frontend import ClerkAPIResponseError

org = await clerk.create_organization(name="Roles")
roles = await org.get_roles()
try:
    await clerk.user.leave_organization(org.id)
    code = None
except ClerkAPIResponseError as exc:
    code = exc.code
[sorted(r.key for r in roles.data), code, [m.organization.id for m in clerk.user.organization_memberships] == [org.id]]
""")
    assert got == [["org:admin", "org:editor", "org:member"], "organization_minimum_permissions_needed", True]
