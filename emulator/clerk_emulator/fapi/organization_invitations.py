"""Joining organizations through the Frontend API: invitations (sent by members with
``org:sys_memberships:manage``, accepted by the invitee), and for verified domains suggestions (to the user) and
membership requests (to the organization).

An invitation is for one e-mail address: ``/v1/me/organization_invitations`` lists those of the user's verified
addresses, and accepting one addressed to someone else is ``organization_invitation_not_found``. Each carries a
ticket link (``url``) that the e-mail in the outbox points to.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import model
from .. import organization_domains_model as org_domains
from .. import organizations_model as orgs
from ..errors import ClerkError
from ..http import Ctx
from .common import F, current, envelope, only_fields, router
from .organizations import page_of, paged, signed_in_member, statuses

if TYPE_CHECKING:
    from ..context import Instance

INVITATION_STATUSES = ("pending", "accepted", "revoked", "expired")
MAX_BULK = 10
MANAGE = "org:sys_memberships:manage"


def _invitation_page(em: Instance, ctx: Ctx, rows: list[dict[str, Any]], *, user_side: bool) -> dict[str, Any]:
    out = paged(ctx, rows)
    out["data"] = [orgs.invitation_json(em, inv, api="fapi", user_side=user_side) for inv in out["data"]]
    return out


@router.add(F, "POST", "/v1/organizations/{org_id}/invitations")
def invite(em: Instance, ctx: Ctx) -> Any:
    only_fields(ctx, {"email_address", "role", "notify"})
    org, _mem, user = signed_in_member(em, ctx, MANAGE)
    email = orgs.check_email(ctx.field("email_address"))
    role = orgs.require_role(ctx.field("role"))
    notify = _notify(ctx)
    orgs.check_invitations(em, org, [email], bulk=False)
    inv = orgs.create_invitation(em, org, email=email, role=role, inviter=user, notify=notify)
    return envelope(em, ctx, orgs.invitation_json(em, inv, api="fapi"))


def _notify(ctx: Ctx) -> bool:
    from .organizations import flag

    value = flag(ctx, "notify")
    return True if value is None else value


@router.add(F, "POST", "/v1/organizations/{org_id}/invitations/bulk")
def invite_bulk(em: Instance, ctx: Ctx) -> Any:
    only_fields(ctx, {"email_address", "role", "notify"})
    org, _mem, user = signed_in_member(em, ctx, MANAGE)
    emails = ctx.form.get("email_address") or []
    if not emails:
        raise ClerkError("form_param_missing", param="email_address")
    if len(emails) > MAX_BULK:
        raise ClerkError("form_param_value_invalid", param="email_address",
                         long_suffix=f". At most {MAX_BULK} addresses at once.")
    emails = [orgs.check_email(e) for e in emails]
    role = orgs.require_role(ctx.field("role"))
    notify = _notify(ctx)
    orgs.check_invitations(em, org, emails, bulk=True)
    made = [orgs.create_invitation(em, org, email=e, role=role, inviter=user, notify=notify) for e in emails]
    return envelope(em, ctx, [orgs.invitation_json(em, inv, api="fapi") for inv in made])


def _admin_invitations(em: Instance, org: dict[str, Any], wanted: list[str]) -> list[dict[str, Any]]:
    # Invitations a domain made on its own (automatic enrollment) are not an admin's list.
    rows = [i for i in orgs.invitations(em, org["id"]) if not i.get("domain_id")]
    return [i for i in rows if not wanted or model.org_invitation_status(i) in wanted]


@router.add(F, "GET", "/v1/organizations/{org_id}/invitations")
def list_invitations(em: Instance, ctx: Ctx) -> Any:
    org, _mem, _user = signed_in_member(em, ctx, MANAGE)
    rows = _admin_invitations(em, org, statuses(ctx, INVITATION_STATUSES))
    return envelope(em, ctx, _invitation_page(em, ctx, rows, user_side=False))


@router.add(F, "GET", "/v1/organizations/{org_id}/invitations/pending")
def pending_invitations(em: Instance, ctx: Ctx) -> Any:
    org, _mem, _user = signed_in_member(em, ctx, MANAGE)
    rows = _admin_invitations(em, org, ["pending"])
    return envelope(em, ctx, _invitation_page(em, ctx, rows, user_side=False))


@router.add(F, "POST", "/v1/organizations/{org_id}/invitations/{invitation_id}/revoke")
def revoke(em: Instance, ctx: Ctx) -> Any:
    only_fields(ctx, set())
    org, _mem, user = signed_in_member(em, ctx, MANAGE)
    inv = orgs.load_invitation(em, org, ctx.params["invitation_id"])
    orgs.revoke_invitation(em, inv, requester=user["id"])
    return envelope(em, ctx, orgs.invitation_json(em, inv, api="fapi"))


@router.add(F, "GET", "/v1/me/organization_invitations")
def my_invitations(em: Instance, ctx: Ctx) -> Any:
    _sess, user = current(em, ctx)
    org_domains.enroll_user(em, user)
    wanted = statuses(ctx, INVITATION_STATUSES)
    rows = [i for i in orgs.invitations_for_user(em, user) if not wanted or model.org_invitation_status(i) in wanted]
    return envelope(em, ctx, _invitation_page(em, ctx, rows, user_side=True))


@router.add(F, "POST", "/v1/me/organization_invitations/{invitation_id}/accept")
def accept_invitation(em: Instance, ctx: Ctx) -> Any:
    only_fields(ctx, set())
    _sess, user = current(em, ctx)
    orgs.require_enabled(em)
    inv = em.store.get("org_invitations", ctx.params["invitation_id"])
    if inv is None:
        raise ClerkError("organization_invitation_not_found", fill={"invitationID": ctx.params["invitation_id"]})
    orgs.accept_invitation(em, inv, user)
    return envelope(em, ctx, orgs.invitation_json(em, inv, api="fapi", user_side=True))


# --- suggestions and membership requests (verified domains) -------------------------------------------------

@router.add(F, "GET", "/v1/me/organization_suggestions")
def my_suggestions(em: Instance, ctx: Ctx) -> Any:
    _sess, user = current(em, ctx)
    org_domains.enroll_user(em, user)
    wanted = statuses(ctx, ("pending", "accepted"))
    rows = em.store.where("org_suggestions", "json_extract(data, '$.user_id')=? ORDER BY created_at, id",
                          (user["id"],))
    rows = [s for s in rows if orgs.find_org(em, s["org_id"]) is not None and (not wanted or s["status"] in wanted)]
    out = paged(ctx, rows)
    out["data"] = [org_domains.suggestion_json(em, s) for s in out["data"]]
    return envelope(em, ctx, out)


@router.add(F, "POST", "/v1/me/organization_suggestions/{suggestion_id}/accept")
def accept_suggestion(em: Instance, ctx: Ctx) -> Any:
    only_fields(ctx, set())
    _sess, user = current(em, ctx)
    sug = em.store.get("org_suggestions", ctx.params["suggestion_id"])
    if sug is None or sug["user_id"] != user["id"] or orgs.find_org(em, sug["org_id"]) is None:
        raise ClerkError("resource_not_found", long_suffix=" No such organization suggestion.")
    org_domains.accept_suggestion(em, sug)
    return envelope(em, ctx, org_domains.suggestion_json(em, sug))


@router.add(F, "GET", "/v1/organizations/{org_id}/membership_requests")
def list_requests(em: Instance, ctx: Ctx) -> Any:
    org, _mem, _user = signed_in_member(em, ctx, MANAGE)
    wanted = statuses(ctx, ("pending", "accepted", "rejected"))
    page_of(ctx)
    rows = [r for r in org_domains.requests_of(em, org["id"]) if not wanted or r["status"] in wanted]
    out = paged(ctx, rows)
    out["data"] = [org_domains.request_json(em, r) for r in out["data"]]
    return envelope(em, ctx, out)


def _decide(em: Instance, ctx: Ctx, accept: bool) -> Any:
    only_fields(ctx, set())
    org, _mem, _user = signed_in_member(em, ctx, MANAGE)
    req = em.store.get("org_requests", ctx.params["request_id"])
    if req is None or req["org_id"] != org["id"]:
        raise ClerkError("resource_not_found", long_suffix=" No such membership request.")
    org_domains.decide_request(em, org, req, accept)
    return envelope(em, ctx, org_domains.request_json(em, req))


@router.add(F, "POST", "/v1/organizations/{org_id}/membership_requests/{request_id}/accept")
def accept_request(em: Instance, ctx: Ctx) -> Any:
    return _decide(em, ctx, True)


@router.add(F, "POST", "/v1/organizations/{org_id}/membership_requests/{request_id}/reject")
def reject_request(em: Instance, ctx: Ctx) -> Any:
    return _decide(em, ctx, False)
