"""Organizations in the SDK: every organization call's exact wire request, and the state it leaves behind.

``ORG_ROWS`` is the organization part of the wire table (``test_wire_table`` counts these methods as covered
through :data:`ORG_COVERED`).
"""

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from fapi_recorder import Recorder, client_json, envelope, error_body, loaded, reply, session_json, user_json

from clerk_frontend import (
    ClerkAPIResponseError,
    ClerkValidationError,
    Organization,
    OrganizationDomain,
    OrganizationInvitation,
    OrganizationMembership,
    OrganizationMembershipRequest,
    OrganizationSuggestion,
    Paginated,
    Role,
    UserOrganizationInvitation,
)

ORG = {"id": "org_1", "object": "organization", "name": "Acme", "slug": "acme", "members_count": 2,
       "updated_at": 10}
MEMBERSHIP = {"id": "orgmem_1", "object": "organization_membership", "role": "org:admin", "role_name": "Admin",
              "permissions": ["org:sys_memberships:manage"], "organization": ORG, "updated_at": 10}
OTHER = {"id": "orgmem_2", "object": "organization_membership", "role": "org:member", "organization": ORG,
         "public_user_data": {"user_id": "user_2", "identifier": "b@example.com"}, "updated_at": 10}
INVITATION = {"id": "orginv_1", "object": "organization_invitation", "email_address": "b@example.com",
              "role": "org:member", "organization_id": "org_1", "status": "pending", "updated_at": 10,
              "public_organization_data": {"id": "org_1", "name": "Acme", "slug": "acme", "has_image": False}}
REQUEST = {"id": "orgmbrreq_1", "object": "organization_membership_request", "organization_id": "org_1",
           "status": "pending", "public_user_data": {"user_id": "user_3", "identifier": "c@acme.test"},
           "updated_at": 10}
SUGGESTION = {"id": "orgsugg_1", "object": "organization_suggestion", "status": "pending", "updated_at": 10,
              "public_organization_data": {"id": "org_1", "name": "Acme", "slug": "acme", "has_image": False}}
DOMAIN = {"id": "orgdmn_1", "object": "organization_domain", "organization_id": "org_1", "name": "acme.test",
          "enrollment_mode": "manual_invitation", "affiliation_verification": None, "total_pending_invitations": 0,
          "total_pending_suggestions": 0, "updated_at": 10}
ROLE = {"id": "role_1", "object": "role", "key": "org:admin", "name": "Admin", "description": "",
        "is_creator_eligible": True, "updated_at": 10,
        "permissions": [{"id": "perm_1", "object": "permission", "key": "org:sys_profile:manage", "name": "Manage",
                         "description": "", "type": "system", "updated_at": 10}]}
DELETED = {"object": "organization", "id": "org_1", "deleted": True}
PAGE: Callable[[Any], Any] = lambda item: {"data": [item], "total_count": 1}  # noqa: E731


def _with_org() -> dict[str, Any]:
    user = user_json(organization_memberships=[MEMBERSHIP])
    return client_json([session_json(user=user, last_active_organization_id="org_1")])


def _ok(response: Any) -> Any:
    return envelope(response, _with_org())


def _make(cls: Any, data: dict[str, Any]) -> Callable[[Any], Any]:
    return lambda c: cls(c, cls._wire.model_validate(data))


Action = Callable[[Any], Awaitable[Any]]
# (name, action on the loaded Clerk, logical method, path, query params beyond the fixed ones, form, response)
ORG_ROWS: list[tuple[str, Action, str, str, list[tuple[str, str]], list[tuple[str, str]] | None, Any]] = [
    ("Clerk.create_organization", lambda c: c.create_organization(name="Beta", slug="beta"), "POST",
     "/organizations", [], [("name", "Beta"), ("slug", "beta")], _ok({**ORG, "id": "org_2"})),
    ("Organization.reload", lambda c: c.organization.reload(), "GET", "/organizations/org_1", [], None, _ok(ORG)),
    ("Organization.set_logo", lambda c: c.organization.set_logo(None), "DELETE", "/organizations/org_1/logo", [],
     [], _ok({"object": "image", "id": "img_1", "deleted": True})),
    ("Organization.destroy", lambda c: c.organization.destroy(), "DELETE", "/organizations/org_1", [], [],
     _ok(DELETED)),
    ("Organization.get_memberships", lambda c: c.organization.get_memberships(role=["org:admin", "org:member"],
                                                                              query="jo"),
     "GET", "/organizations/org_1/memberships",
     [("role", "org:admin"), ("role", "org:member"), ("query", "jo"), ("paginated", "true"), ("limit", "10"),
      ("offset", "0")], None, _ok(PAGE(OTHER))),
    ("Organization.add_member", lambda c: c.organization.add_member(user_id="user_2", role="org:member"), "POST",
     "/organizations/org_1/memberships", [], [("user_id", "user_2"), ("role", "org:member")], _ok(OTHER)),
    ("Organization.update_member", lambda c: c.organization.update_member(user_id="user_2", role="org:admin"),
     "PATCH", "/organizations/org_1/memberships/user_2", [], [("role", "org:admin")], _ok(OTHER)),
    ("Organization.remove_member", lambda c: c.organization.remove_member("user_2"), "DELETE",
     "/organizations/org_1/memberships/user_2", [], [], _ok(OTHER)),
    ("Organization.invite_member", lambda c: c.organization.invite_member(email_address="b@example.com",
                                                                          role="org:member"),
     "POST", "/organizations/org_1/invitations", [], [("email_address", "b@example.com"), ("role", "org:member")],
     _ok(INVITATION)),
    ("Organization.invite_members", lambda c: c.organization.invite_members(
        email_addresses=["b@example.com", "c@example.com"], role="org:member"), "POST",
     "/organizations/org_1/invitations/bulk", [],
     [("email_address", "b@example.com"), ("email_address", "c@example.com"), ("role", "org:member")],
     _ok([INVITATION, {**INVITATION, "id": "orginv_2", "email_address": "c@example.com"}])),
    ("Organization.get_invitations", lambda c: c.organization.get_invitations(status=["pending", "expired"],
                                                                              initial_page=2, page_size=5),
     "GET", "/organizations/org_1/invitations",
     [("status", "pending"), ("status", "expired"), ("limit", "5"), ("offset", "5")], None, _ok(PAGE(INVITATION))),
    ("Organization.get_membership_requests", lambda c: c.organization.get_membership_requests(status="pending"),
     "GET", "/organizations/org_1/membership_requests", [("status", "pending"), ("limit", "10"), ("offset", "0")],
     None, _ok(PAGE(REQUEST))),
    ("Organization.create_domain", lambda c: c.organization.create_domain("acme.test",
                                                                          enrollment_mode="automatic_suggestion"),
     "POST", "/organizations/org_1/domains", [], [("name", "acme.test"), ("enrollment_mode", "automatic_suggestion")],
     _ok(DOMAIN)),
    ("Organization.get_domains", lambda c: c.organization.get_domains(enrollment_mode="manual_invitation"), "GET",
     "/organizations/org_1/domains", [("limit", "10"), ("offset", "0"), ("enrollment_mode", "manual_invitation")],
     None, _ok(PAGE(DOMAIN))),
    ("Organization.get_domain", lambda c: c.organization.get_domain("orgdmn_1"), "GET",
     "/organizations/org_1/domains/orgdmn_1", [], None, _ok(DOMAIN)),
    ("Organization.get_roles", lambda c: c.organization.get_roles(), "GET", "/organizations/org_1/roles",
     [("limit", "10"), ("offset", "0")], None, _ok({**PAGE(ROLE), "has_role_set_migration": False})),
    ("OrganizationMembership.update", lambda c: c.user.organization_memberships[0].update(role="org:member"),
     "PATCH", "/organizations/org_1/memberships/user_1", [], [("role", "org:member")], _ok(MEMBERSHIP)),
    ("OrganizationMembership.destroy", lambda c: c.user.organization_memberships[0].destroy(), "DELETE",
     "/organizations/org_1/memberships/user_1", [], [], _ok(MEMBERSHIP)),
    ("OrganizationInvitation.revoke", lambda c: _make(OrganizationInvitation, INVITATION)(c).revoke(), "POST",
     "/organizations/org_1/invitations/orginv_1/revoke", [], [], _ok({**INVITATION, "status": "revoked"})),
    ("UserOrganizationInvitation.accept", lambda c: _make(UserOrganizationInvitation, INVITATION)(c).accept(),
     "POST", "/me/organization_invitations/orginv_1/accept", [], [], _ok({**INVITATION, "status": "accepted"})),
    ("OrganizationMembershipRequest.accept", lambda c: _make(OrganizationMembershipRequest, REQUEST)(c).accept(),
     "POST", "/organizations/org_1/membership_requests/orgmbrreq_1/accept", [], [], _ok(REQUEST)),
    ("OrganizationMembershipRequest.reject", lambda c: _make(OrganizationMembershipRequest, REQUEST)(c).reject(),
     "POST", "/organizations/org_1/membership_requests/orgmbrreq_1/reject", [], [], _ok(REQUEST)),
    ("OrganizationSuggestion.accept", lambda c: _make(OrganizationSuggestion, SUGGESTION)(c).accept(), "POST",
     "/me/organization_suggestions/orgsugg_1/accept", [], [], _ok({**SUGGESTION, "status": "accepted"})),
    ("OrganizationDomain.prepare_affiliation_verification", lambda c: _make(OrganizationDomain, DOMAIN)(c)
     .prepare_affiliation_verification(affiliation_email_address="me@acme.test"), "POST",
     "/organizations/org_1/domains/orgdmn_1/prepare_affiliation_verification", [],
     [("affiliation_email_address", "me@acme.test")], _ok(DOMAIN)),
    ("OrganizationDomain.attempt_affiliation_verification", lambda c: _make(OrganizationDomain, DOMAIN)(c)
     .attempt_affiliation_verification(code="123456"), "POST",
     "/organizations/org_1/domains/orgdmn_1/attempt_affiliation_verification", [], [("code", "123456")],
     _ok(DOMAIN)),
    ("OrganizationDomain.update_enrollment_mode", lambda c: _make(OrganizationDomain, DOMAIN)(c)
     .update_enrollment_mode(enrollment_mode="automatic_invitation", delete_pending=True), "POST",
     "/organizations/org_1/domains/orgdmn_1/update_enrollment_mode", [],
     [("enrollment_mode", "automatic_invitation"), ("delete_pending", "true")], _ok(DOMAIN)),
    ("OrganizationDomain.delete", lambda c: _make(OrganizationDomain, DOMAIN)(c).delete(), "DELETE",
     "/organizations/org_1/domains/orgdmn_1", [], [], _ok({"object": "organization_domain", "deleted": True})),
    ("User.get_organization_invitations", lambda c: c.user.get_organization_invitations(status="pending"), "GET",
     "/me/organization_invitations", [("status", "pending"), ("limit", "10"), ("offset", "0")], None,
     _ok(PAGE(INVITATION))),
    ("User.get_organization_suggestions", lambda c: c.user.get_organization_suggestions(
        status=["pending", "accepted"]), "GET", "/me/organization_suggestions",
     [("status", "pending"), ("status", "accepted"), ("limit", "10"), ("offset", "0")], None, _ok(PAGE(SUGGESTION))),
    ("User.leave_organization", lambda c: c.user.leave_organization("org_1"), "DELETE",
     "/me/organization_memberships/org_1", [], [], _ok({"object": "organization_membership", "deleted": True})),
    ("User.get_organization_creation_defaults", lambda c: c.user.get_organization_creation_defaults(), "GET",
     "/me/organization_creation_defaults", [], None, _ok({"form": {"name": "Acme", "slug": "acme"},
                                                           "advisory": None})),
]
# Covered by their own tests below (multipart and octet-stream bodies).
ORG_COVERED = {row[0] for row in ORG_ROWS} | {"Organization.set_logo"}
FIXED = ["__clerk_api_version", "_clerk_py_version", "_method", "_clerk_session_id"]


@pytest.mark.parametrize(("name", "action", "method", "path", "query", "form", "body"), ORG_ROWS,
                         ids=[r[0] for r in ORG_ROWS])
async def test_organization_wire_request(name: str, action: Action, method: str, path: str,
                                         query: list[tuple[str, str]], form: list[tuple[str, str]] | None,
                                         body: Any) -> None:
    rec = Recorder()
    clerk = await loaded(rec, _with_org())
    rec.on(method, path, reply(body))
    before = rec.count
    await action(clerk)
    assert rec.count - before == 1, [(c.method, c.path) for c in rec.calls[before:]]
    call = rec.assert_requested(method, path, form=form)
    assert [(k, v) for k, v in call.query if k not in FIXED] == query
    assert [k for k, _ in call.query if k in FIXED] == (
        ["__clerk_api_version", "_clerk_py_version"] + (["_method"] if method not in ("GET", "POST") else [])
        + ["_clerk_session_id"])
    assert call.request.method == ("GET" if method == "GET" else "POST")
    if form is None:
        assert call.request.body is None


# -- create, select, state -------------------------------------------------------------------------------------

async def test_create_organization_returns_the_membership_object_and_does_not_activate_it() -> None:
    rec = Recorder()
    clerk = await loaded(rec)
    seen: list[Any] = []
    clerk.add_listener(seen.append, skip_initial=True)
    created = {**ORG, "id": "org_2", "slug": "beta", "updated_at": 20}
    user = user_json(organization_memberships=[{**MEMBERSHIP, "id": "orgmem_9", "organization": created}],
                     updated_at=2_000)
    rec.on("POST", "/organizations", reply(envelope(created, client_json([session_json(user=user)]))))
    org = await clerk.create_organization(name="Beta")
    rec.assert_requested("POST", "/organizations", form=[("name", "Beta")])
    assert clerk.user is not None and org is clerk.user.organization_memberships[0].organization
    assert clerk.organization is None and len(seen) == 1
    with pytest.raises(ClerkValidationError):
        await clerk.create_organization(name="")
    with pytest.raises(ClerkValidationError):
        await clerk.create_organization(name="X", slug=3)  # type: ignore[arg-type]
    assert rec.count == 3


@pytest.mark.parametrize(("given", "sent"), [
    ("acme", "org_1"),                # a slug of one of the user's organizations
    ("org_other", "org_other"),       # an id is sent as it is (the server checks membership)
    ("nobody", ""),                   # an unknown slug selects the personal account, as in clerk-js
    ("", ""),
    (None, ""),
])
async def test_set_active_by_id_or_slug(given: str | None, sent: str) -> None:
    rec = Recorder()
    clerk = await loaded(rec, _with_org())
    rec.on("POST", "/client/sessions/sess_1/touch", reply(envelope(session_json(), _with_org())))
    await clerk.set_active(organization=given)
    rec.assert_requested("POST", "/client/sessions/sess_1/touch",
                         form=[("active_organization_id", sent), ("intent", "select_org")])


async def test_set_active_by_object_and_forced_selection() -> None:
    rec = Recorder()
    rec.on("GET", "/environment", reply({"organization_settings": {"force_organization_selection": True}}))
    rec.on("GET", "/client", reply(envelope(_with_org(), _with_org())))
    from fapi_recorder import make_clerk

    clerk = make_clerk(rec)
    await clerk.load()
    assert clerk.organization is not None
    rec.on("POST", "/client/sessions/sess_1/touch", reply(envelope(session_json(), _with_org())))
    await clerk.set_active(organization=clerk.organization)
    rec.assert_requested("POST", "/client/sessions/sess_1/touch",
                         form=[("active_organization_id", "org_1"), ("intent", "select_org")])
    count = rec.count
    for personal in (None, "", "unknown-slug"):
        await clerk.set_active(organization=personal)  # no personal account: nothing is sent
    assert rec.count == count
    with pytest.raises(ClerkValidationError):
        await clerk.set_active(organization=3)  # type: ignore[arg-type]


async def test_leaving_the_active_organization_clears_it_and_fires_listeners_once() -> None:
    rec = Recorder()
    clerk = await loaded(rec, _with_org())
    seen: list[Any] = []
    clerk.add_listener(seen.append, skip_initial=True)
    assert clerk.organization is not None and clerk.has(role="org:admin")
    left = client_json([session_json(user=user_json(updated_at=2_000), last_active_organization_id=None,
                                     updated_at=2_000)], updated_at=2_000)
    rec.on("DELETE", "/me/organization_memberships/org_1",
           reply(envelope({"object": "organization_membership", "id": "orgmem_1", "deleted": True}, left)))
    deleted = await clerk.user.leave_organization("org_1")  # type: ignore[union-attr]
    assert deleted["deleted"] is True
    assert clerk.organization is None and clerk.user.organization_memberships == []  # type: ignore[union-attr]
    assert not clerk.has(role="org:admin")
    assert len(seen) == 1 and seen[0].organization is None


async def test_accepting_an_invitation_adds_the_membership_at_once() -> None:
    rec = Recorder()
    clerk = await loaded(rec)
    seen: list[Any] = []
    clerk.add_listener(seen.append, skip_initial=True)
    rec.on("GET", "/me/organization_invitations", reply(envelope(PAGE(INVITATION), client_json())))
    page = await clerk.user.get_organization_invitations()  # type: ignore[union-attr]
    assert isinstance(page, Paginated) and page.total_count == 1
    invitation = page.data[0]
    assert isinstance(invitation, UserOrganizationInvitation)
    assert invitation.public_organization_data is not None and invitation.public_organization_data.slug == "acme"
    joined = client_json([session_json(user=user_json(organization_memberships=[MEMBERSHIP], updated_at=2_000))],
                         updated_at=2_000)
    rec.on("POST", "/me/organization_invitations/orginv_1/accept",
           reply(envelope({**INVITATION, "status": "accepted", "updated_at": 11}, joined)))
    await invitation.accept()
    assert invitation.status == "accepted"
    assert [m.organization.id for m in clerk.user.organization_memberships] == ["org_1"]  # type: ignore[union-attr]
    assert len(seen) == 1


async def test_member_changes_return_the_users_own_membership_object() -> None:
    rec = Recorder()
    clerk = await loaded(rec, _with_org())
    own = clerk.user.organization_memberships[0]  # type: ignore[union-attr]
    demoted = {**MEMBERSHIP, "role": "org:member", "updated_at": 11, "public_user_data": {"user_id": "user_1"}}
    after = client_json([session_json(user=user_json(organization_memberships=[demoted], updated_at=2_000),
                                      last_active_organization_id="org_1", updated_at=2_000)], updated_at=2_000)
    rec.on("PATCH", "/organizations/org_1/memberships/user_1", reply(envelope(demoted, after)))
    got = await clerk.organization.update_member(user_id="user_1", role="org:member")  # type: ignore[union-attr]
    assert got is own and own.role == "org:member" and clerk.has(role="org:member")
    # Someone else's membership is a new object, addressed by its public user data.
    rec.on("PATCH", "/organizations/org_1/memberships/user_2", reply(envelope({**OTHER, "role": "org:admin",
                                                                               "updated_at": 12}, after)))
    other = await _make(OrganizationMembership, OTHER)(clerk).update(role="org:admin")
    assert other.role == "org:admin" and other is not own


async def test_membership_user_id_and_errors_before_sending() -> None:
    rec = Recorder()
    clerk = await loaded(rec, _with_org())
    own = clerk.user.organization_memberships[0]  # type: ignore[union-attr]
    assert own.user_id == "user_1"  # no public_user_data: the signed-in user's own membership
    stranger = OrganizationMembership(clerk, OrganizationMembership._wire.model_validate(
        {**OTHER, "public_user_data": None}))
    assert stranger.user_id is None
    count = rec.count
    with pytest.raises(ClerkValidationError, match="names no user"):
        await stranger.update(role="org:admin")
    org = clerk.organization
    assert org is not None
    bad: list[Callable[[], Awaitable[Any]]] = [
        lambda: org.add_member(user_id="", role="org:member"),
        lambda: org.update_member(user_id="user_2", role=None),  # type: ignore[arg-type]
        lambda: org.invite_members(email_addresses=[], role="org:member"),
        lambda: org.invite_members(email_addresses=["a@x.test", 1], role="org:member"),  # type: ignore[list-item]
        lambda: org.get_invitations(status=[""]),
        lambda: org.get_memberships(page_size=0),
        lambda: org.get_memberships(initial_page=True),
        lambda: org.get_domain(""),
        lambda: org.set_logo(3),  # type: ignore[arg-type]
        lambda: clerk.user.leave_organization(""),  # type: ignore[union-attr]
    ]
    for call in bad:
        with pytest.raises(ClerkValidationError):
            await call()
    assert rec.count == count


async def test_an_error_applies_the_servers_client_and_raises() -> None:
    rec = Recorder()
    clerk = await loaded(rec, _with_org())
    rec.on("DELETE", "/me/organization_memberships/org_1",
           reply({**error_body("organization_minimum_permissions_needed"), "meta": {"client": _with_org()}}, 400))
    with pytest.raises(ClerkAPIResponseError) as caught:
        await clerk.user.leave_organization("org_1")  # type: ignore[union-attr]
    assert caught.value.code == "organization_minimum_permissions_needed"
    assert clerk.organization is not None


# -- logo, deletes, domains, roles -----------------------------------------------------------------------------

async def test_set_logo_uploads_multipart_or_octet_stream() -> None:
    rec = Recorder()
    clerk = await loaded(rec, _with_org())
    org = clerk.organization
    assert org is not None
    rec.on("PUT", "/organizations/org_1/logo", reply(_ok({**ORG, "has_image": True, "updated_at": 11})))
    await org.set_logo(b"\x89PNG\r\n\x1a\nrest", filename="l.png")
    call = rec.assert_requested("PUT", "/organizations/org_1/logo")
    assert call.request.method == "POST" and call.params["_method"] == "PUT"
    ctype = call.request.headers["content-type"]
    assert ctype.startswith("multipart/form-data; boundary=")
    assert b'name="file"; filename="l.png"' in (call.request.body or b"")
    assert org.has_image is True
    rec.on("PUT", "/organizations/org_1/logo", reply(_ok({**ORG, "has_image": True, "updated_at": 12})))
    await org.set_logo("data:image/png;base64,iVBORw0KGgo=")
    call = rec.assert_requested("PUT", "/organizations/org_1/logo")
    assert call.request.headers["content-type"] == "application/octet-stream"
    assert call.request.body == b"data:image/png;base64,iVBORw0KGgo="


async def test_removing_the_logo_reads_the_organization_from_the_client() -> None:
    rec = Recorder()
    clerk = await loaded(rec, _with_org())
    held = clerk.organization
    detached = Organization(clerk, Organization._wire.model_validate({**ORG, "has_image": True, "updated_at": 5}))
    without = {**ORG, "has_image": False, "updated_at": 12}
    client = client_json([session_json(user=user_json(organization_memberships=[{**MEMBERSHIP,
                                                                                  "organization": without}],
                                                      updated_at=2_000), last_active_organization_id="org_1")])
    rec.on("DELETE", "/organizations/org_1/logo", reply(envelope({"object": "image", "deleted": True}, client)))
    await detached.set_logo(None)
    assert detached.has_image is False and held is not None and held.has_image is False


async def test_destroy_ends_the_membership_locally() -> None:
    rec = Recorder()
    clerk = await loaded(rec, _with_org())
    org = clerk.organization
    gone = client_json([session_json(user=user_json(updated_at=2_000), last_active_organization_id=None,
                                     updated_at=2_000)])
    rec.on("DELETE", "/organizations/org_1", reply(envelope(DELETED, gone)))
    await org.destroy()  # type: ignore[union-attr]
    assert clerk.organization is None and org is not None and org.name == "Acme"  # not overwritten by the deletion


async def test_domain_verification_aliases_and_roles() -> None:
    rec = Recorder()
    clerk = await loaded(rec, _with_org())
    legacy = {**DOMAIN, "affiliation_verification": None,
              "verification": {"status": "unverified", "strategy": "email_code", "attempts": 0,
                               "expires_at": 1_700_000_000_000, "verified_at": None}}
    plain = _make(OrganizationDomain, DOMAIN)(clerk)
    assert plain.affiliation_verification is None and plain.verification is None
    assert plain.ownership_verification is None
    domain = _make(OrganizationDomain, legacy)(clerk)
    assert domain.affiliation_verification is not None and domain.verification is domain.affiliation_verification
    assert domain.affiliation_verification.expire_at == 1_700_000_000_000
    assert domain.affiliation_verification.status == "unverified"
    rec.on("GET", "/organizations/org_1/roles", reply(_ok({**PAGE(ROLE), "has_role_set_migration": True})))
    roles = await clerk.organization.get_roles()  # type: ignore[union-attr]
    assert isinstance(roles.data[0], Role) and roles.data[0].permissions[0].key == "org:sys_profile:manage"
    assert clerk.organization.has_role_set_migration is True  # type: ignore[union-attr]
    rec.on("POST", "/organizations/org_1/invitations/bulk", reply(_ok({"not": "a list"})))
    with pytest.raises(Exception, match="without a list"):
        await clerk.organization.invite_members(email_addresses=["a@x.test"], role="org:member")  # type: ignore[union-attr]


async def test_creation_defaults() -> None:
    rec = Recorder()
    clerk = await loaded(rec, _with_org())
    rec.on("GET", "/me/organization_creation_defaults", reply(_ok(
        {"form": {"name": "Ada's org", "slug": "adas-org"},
         "advisory": {"code": "organization_already_exists", "severity": "warning", "meta": {}}})))
    defaults = await clerk.user.get_organization_creation_defaults()  # type: ignore[union-attr]
    assert defaults.form["slug"] == "adas-org" and defaults.advisory is not None


# -- wire models against the spec --------------------------------------------------------------------------------

from test_wire_models import properties, schemas  # noqa: E402, F401  # the spec fixture, shared

from clerk_frontend import wire_organizations as orgwire  # noqa: E402

ORG_MODELS = {
    orgwire.PublicOrganizationDataJSON: "Client.PublicOrganizationData",
    orgwire.OrganizationInvitationJSON: "Client.OrganizationInvitation",
    orgwire.OrganizationSuggestionJSON: "Client.OrganizationSuggestion",
    orgwire.OrganizationMembershipRequestJSON: "Client.OrganizationMembershipRequest",
    orgwire.OrganizationDomainJSON: "Client.OrganizationDomain",
    orgwire.OrganizationDomainVerificationJSON: "Client.OrganizationDomainOwnershipVerification",
    orgwire.RoleJSON: "Client.Role",
    orgwire.PermissionJSON: "Client.Permission",
}


@pytest.mark.parametrize(("model", "name"), list(ORG_MODELS.items()), ids=[m.__name__ for m in ORG_MODELS])
def test_organization_model_fields_are_spec_properties(schemas: dict[str, Any], model: Any, name: str) -> None:  # noqa: F811
    assert set(model.model_fields) - properties(schemas, schemas[name]) == set()
