"""Organizations: the SDK over real HTTP against the local Clerk instance (two clients where two people act)."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from bapi_client import Backend
from clerk_emulator.kit import ClerkInstance
from contract_support import Harness

from clerk_frontend import (
    ClerkAPIResponseError,
    ClerkState,
    OrganizationDomain,
    OrganizationInvitation,
    Role,
    Token,
    UserOrganizationInvitation,
    decode_session_claims,
)


@pytest.fixture
def instance_settings(emu: ClerkInstance) -> Iterator[Any]:
    """PATCH the instance settings for one test; reset to the startup settings afterwards."""
    def patch(changes: dict[str, Any]) -> None:
        assert httpx.patch(emu.fapi_url + "/__emulator/settings", json=changes).status_code == 200

    yield patch
    assert httpx.delete(emu.fapi_url + "/__emulator/settings").status_code == 200


def outbox(emu: ClerkInstance, to: str) -> list[dict[str, Any]]:
    return list(httpx.get(emu.fapi_url + "/__emulator/outbox", params={"to": to}).json()["data"])


async def test_invite_accept_promote_has_and_leave(emu: ClerkInstance, backend: Backend) -> None:
    admin_email, _ = backend.new_user("orgadmin", first_name="Ada")
    member_email, member_id = backend.new_user("orgmember", first_name="Bob")
    admin, member = Harness(emu), Harness(emu)
    await admin.sign_in(admin_email)
    await member.sign_in(member_email)
    slug = "contract-" + secrets.token_hex(3)
    org = await admin.clerk.create_organization(name="Contract Co", slug=slug)
    admin.assert_requested("POST", "/organizations", form=[("name", "Contract Co"), ("slug", slug)])
    assert admin.clerk.user is not None and org is admin.clerk.user.organization_memberships[0].organization
    assert admin.clerk.organization is None  # created, not active
    before = len(admin.calls)
    await admin.clerk.set_active(organization=slug)
    assert len(admin.calls) - before == 1
    admin.assert_requested("POST", f"/client/sessions/{admin.clerk.session.id}/touch",  # type: ignore[union-attr]
                           form=[("active_organization_id", org.id), ("intent", "select_org")])
    assert admin.clerk.organization is org and admin.clerk.has(role="org:admin")
    assert admin.clerk.has(permission="org:sys_memberships:manage")
    invitation = await org.invite_member(email_address=member_email, role="org:member")
    assert isinstance(invitation, OrganizationInvitation) and invitation.status == "pending"
    assert outbox(emu, member_email)[0]["link"] == invitation.url
    # The member finds and accepts it: its memberships hold the organization at once, listeners fire once.
    seen: list[ClerkState] = []
    member.clerk.add_listener(seen.append, skip_initial=True)
    page = await member.clerk.user.get_organization_invitations(status="pending")  # type: ignore[union-attr]
    assert page.total_count == 1 and isinstance(page.data[0], UserOrganizationInvitation)
    assert page.data[0].public_organization_data is not None and page.data[0].public_organization_data.slug == slug
    await page.data[0].accept()
    assert page.data[0].status == "accepted" and len(seen) == 1
    assert [m.organization.id for m in member.clerk.user.organization_memberships] == [org.id]  # type: ignore[union-attr]
    await member.clerk.set_active(organization=org.id)
    assert member.clerk.has(permission="org:sys_memberships:read")
    assert not member.clerk.has(permission="org:sys_memberships:manage") and member.clerk.has(role="member")
    # The admin promotes the member; the member's next token says so and the SDK follows.
    memberships = await org.get_memberships(role="org:member")
    assert [m.user_id for m in memberships.data] == [member_id]
    await memberships.data[0].update(role="org:admin")
    assert memberships.data[0].role == "org:admin"
    count = len(seen)
    token = await member.clerk.session.get_token(skip_cache=True)  # type: ignore[union-attr]
    assert token is not None and decode_session_claims(Token(member.clerk, Token._wire.model_validate(
        {"jwt": token})).claims).org_role == "org:admin"
    member.assert_requested("GET", "/client")  # the disagreeing token made the SDK read the client again
    assert member.clerk.has(permission="org:sys_memberships:manage") and len(seen) == count + 1
    # The member leaves: no active organization any more, every role check fails.
    await member.clerk.user.leave_organization(org.id)  # type: ignore[union-attr]
    assert member.clerk.organization is None and member.clerk.user.organization_memberships == []  # type: ignore[union-attr]
    assert not member.clerk.has(role="org:admin")
    # The last admin may not leave.
    with pytest.raises(ClerkAPIResponseError) as caught:
        await admin.clerk.user.leave_organization(org.id)  # type: ignore[union-attr]
    assert caught.value.code == "organization_minimum_permissions_needed" and admin.clerk.organization is org
    for harness in (admin, member):
        await harness.clerk.aclose()


async def test_organization_lifecycle_roles_and_errors(emu: ClerkInstance, backend: Backend) -> None:
    email, _ = backend.new_user("lifecycle")
    outsider_email, _ = backend.new_user("outsider")
    admin, outsider = Harness(emu), Harness(emu)
    await admin.sign_in(email)
    await outsider.sign_in(outsider_email)
    org = await admin.clerk.create_organization(name="Life")
    assert org.slug and org.members_count == 1
    await org.update(name="Life 2")
    assert org.name == "Life 2"
    assert (await admin.clerk.get_organization(org.id)) is org
    await org.reload()
    roles = await org.get_roles()
    assert {r.key for r in roles.data} >= {"org:admin", "org:member"} and isinstance(roles.data[0], Role)
    assert org.has_role_set_migration is False
    await org.get_memberships(role=["org:admin", "org:member"], query="life")
    call = admin.assert_requested("GET", f"/organizations/{org.id}/memberships")
    assert call.query[:6] == [("role", "org:admin"), ("role", "org:member"), ("query", "life"),
                              ("paginated", "true"), ("limit", "10"), ("offset", "0")]
    with pytest.raises(ClerkAPIResponseError) as caught:
        await outsider.clerk.get_organization(org.id)
    assert caught.value.code == "organization_not_found_or_unauthorized" and caught.value.status == 404
    invitations = await org.invite_members(email_addresses=[f"l{secrets.token_hex(3)}@example.com",
                                                            f"m{secrets.token_hex(3)}@example.com"], role="org:member")
    assert len(invitations) == 2
    await invitations[0].revoke()
    assert invitations[0].status == "revoked"
    page = await org.get_invitations(status=["pending"])
    assert [i.id for i in page.data] == [invitations[1].id]
    await admin.clerk.set_active(organization=org)
    await org.destroy()
    assert admin.clerk.organization is None and admin.clerk.user.organization_memberships == []  # type: ignore[union-attr]
    for harness in (admin, outsider):
        await harness.clerk.aclose()


async def test_domains_and_custom_permissions(emu: ClerkInstance, backend: Backend, instance_settings: Any) -> None:
    instance_settings({"organization_settings": {
        "domains": {"enabled": True},
        "roles": {"org:writer": {"name": "Writer", "permissions": ["org:sys_memberships:read", "org:posts:edit"]}}}})
    host = f"contract{secrets.token_hex(3)}.test"
    email, _ = backend.new_user("domains")
    writer_email, writer_id = backend.new_user("writer")
    admin, writer = Harness(emu), Harness(emu)
    await admin.sign_in(email)
    await writer.sign_in(writer_email)
    org = await admin.clerk.create_organization(name="Domains")
    domain = await org.create_domain(host, enrollment_mode="manual_invitation")
    assert isinstance(domain, OrganizationDomain) and domain.affiliation_verification is None
    await domain.prepare_affiliation_verification(affiliation_email_address=f"it+clerk_test@{host}")
    assert domain.affiliation_verification is not None and domain.affiliation_verification.status == "unverified"
    with pytest.raises(ClerkAPIResponseError) as caught:
        await domain.attempt_affiliation_verification(code="000000")
    assert caught.value.code == "form_code_incorrect"
    await domain.attempt_affiliation_verification(code="424242")
    assert domain.affiliation_verification.status == "verified"  # type: ignore[union-attr]
    await domain.update_enrollment_mode(enrollment_mode="automatic_suggestion")
    listed = await org.get_domains()
    assert [d.id for d in listed.data] == [domain.id] and (await org.get_domain(domain.id)).name == host
    await domain.delete()
    assert (await org.get_domains()).total_count == 0
    # A custom role: its permission is in the token (server view) and in the membership (browser view).
    await org.add_member(user_id=writer_id, role="org:writer")
    await writer.clerk.user.reload()  # type: ignore[union-attr]
    await writer.clerk.set_active(organization=org.id)
    jwt = await writer.clerk.session.get_token()  # type: ignore[union-attr]
    server = decode_session_claims(Token(writer.clerk, Token._wire.model_validate({"jwt": jwt})).claims)
    assert server.org_permissions == ["org:posts:edit"] and server.has(permission="org:posts:edit")
    assert not server.has(permission="org:sys_memberships:read")  # system permissions never reach a token
    assert writer.clerk.has(permission="org:sys_memberships:read") and writer.clerk.has(permission="org:posts:edit")
    for harness in (admin, writer):
        await harness.clerk.aclose()
