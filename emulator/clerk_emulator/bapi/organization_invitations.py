"""Organization invitations on the Backend API: create (one, or 1–10 in bulk), list (per organization, per user,
instance-wide), get, revoke. Same rules as the Frontend API's (``organizations_model.py``): no invitation to a
member, no second pending invitation for an address, members plus pending invitations within
``max_allowed_memberships``; with ``notify`` (the default) the invitation e-mail goes to the outbox."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import model
from .. import organizations_model as orgs
from ..errors import ClerkError
from ..http import Ctx
from .common import B, limit_offset, metadata_value, router
from .invitations import _redirect_url
from .organizations import check_types, load_org, typed

if TYPE_CHECKING:
    from ..context import Instance

FIELDS = {"email_address", "inviter_user_id", "role", "public_metadata", "private_metadata", "redirect_url",
          "expires_in_days", "notify"}
TYPES = {"email_address": "str", "inviter_user_id": "str", "role": "str", "public_metadata": "object",
         "private_metadata": "object", "redirect_url": "str", "expires_in_days": "int", "notify": "bool"}
STATUSES = ("pending", "accepted", "revoked", "expired")
MAX_BULK = 10


def _checked(em: Instance, org: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    """One invitation's fields, validated (nothing written)."""
    check_types(data, TYPES, ("email_address", "role"))
    email = orgs.check_email(data["email_address"])
    role = orgs.require_role(data["role"])
    inviter = None
    if data.get("inviter_user_id"):
        inviter = model.load_user(em.store, data["inviter_user_id"])
        mem = orgs.membership(em, org["id"], inviter["id"])
        if mem is None:
            raise ClerkError("organization_not_found_or_unauthorized")
        orgs.require_permission(mem, "org:sys_memberships:manage")
    days = data.get("expires_in_days")
    if days is not None and not 1 <= days <= 365:
        raise ClerkError("form_param_value_invalid", param="expires_in_days",
                         long_suffix=". It must be a whole number of days from 1 to 365.")
    return {"email": email, "role": role, "inviter": inviter,
            "public": metadata_value("public_metadata", data["public_metadata"], allow_null=True)
            if data.get("public_metadata") is not None else None,
            "private": metadata_value("private_metadata", data["private_metadata"], allow_null=True)
            if data.get("private_metadata") is not None else None,
            "redirect_url": _redirect_url(data), "days": days or orgs.INVITATION_DAYS,
            "notify": True if data.get("notify") is None else data["notify"]}


def _create(em: Instance, org: dict[str, Any], item: dict[str, Any]) -> dict[str, Any]:
    return orgs.create_invitation(em, org, email=item["email"], role=item["role"], inviter=item["inviter"],
                                  public=item["public"], private=item["private"], redirect_url=item["redirect_url"],
                                  days=item["days"], notify=item["notify"])


@router.add(B, "POST", "/v1/organizations/{org_id}/invitations")
def create_invitation(em: Instance, ctx: Ctx) -> Any:
    data = typed(ctx, TYPES, FIELDS)
    org = load_org(em, ctx.params["org_id"])
    item = _checked(em, org, data)
    orgs.check_invitations(em, org, [item["email"]], bulk=False)
    return orgs.invitation_json(em, _create(em, org, item), api="bapi")


@router.add(B, "POST", "/v1/organizations/{org_id}/invitations/bulk")
def create_invitations_bulk(em: Instance, ctx: Ctx) -> Any:
    data = ctx.body
    if not isinstance(data, list) or not 1 <= len(data) <= MAX_BULK:
        raise ClerkError("request_body_invalid",
                         long_suffix=f" The body must be a JSON array of 1 to {MAX_BULK} invitations.")
    org = load_org(em, ctx.params["org_id"])
    items = []
    for entry in data:
        if not isinstance(entry, dict):
            raise ClerkError("request_body_invalid", long_suffix=" Each invitation must be a JSON object.")
        unknown = sorted(set(entry) - FIELDS)
        if unknown:
            raise ClerkError("form_param_unknown", param=unknown[0])
        items.append(_checked(em, org, entry))
    orgs.check_invitations(em, org, [i["email"] for i in items], bulk=True)
    made = [orgs.invitation_json(em, _create(em, org, item), api="bapi") for item in items]
    return {"data": made, "total_count": len(made)}


def _statuses(ctx: Ctx) -> list[str]:
    values = ctx.query.getall("status", [])
    if any(v not in STATUSES for v in values):
        raise ClerkError("form_param_value_invalid", param="status",
                         long_suffix=f". Allowed values: {', '.join(STATUSES)}.")
    return values


def _ordered(ctx: Ctx, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    order = ctx.query.get("order_by") or "-created_at"
    key = order.lstrip("+-")
    if key not in ("created_at", "email_address"):
        raise ClerkError("form_param_value_invalid", param="order_by",
                         long_suffix=". Order by created_at or email_address, with an optional + or -.")
    return sorted(rows, key=lambda i: (i[key].lower() if key == "email_address" else i[key], i["id"]),
                  reverse=order.startswith("-"))


def _page(em: Instance, ctx: Ctx, rows: list[dict[str, Any]], *, user_side: bool) -> dict[str, Any]:
    limit, offset = limit_offset(ctx)
    rows = _ordered(ctx, rows)
    return {"data": [orgs.invitation_json(em, i, api="bapi", user_side=user_side) for i in rows[offset:offset + limit]],
            "total_count": len(rows)}


def _filtered(rows: list[dict[str, Any]], wanted: list[str]) -> list[dict[str, Any]]:
    return [i for i in rows if not wanted or model.org_invitation_status(i) in wanted]


@router.add(B, "GET", "/v1/organizations/{org_id}/invitations")
def list_invitations(em: Instance, ctx: Ctx) -> Any:
    org = load_org(em, ctx.params["org_id"])
    # Invitations made by a verified domain on its own are not listed here (as in Clerk).
    rows = _filtered([i for i in orgs.invitations(em, org["id"]) if not i.get("domain_id")], _statuses(ctx))
    email = (ctx.query.get("email_address") or "").strip().lower()
    if email:
        rows = [i for i in rows if i["email_address"].lower() == email]
    return _page(em, ctx, rows, user_side=False)


@router.add(B, "GET", "/v1/organizations/{org_id}/invitations/pending")
def pending_invitations(em: Instance, ctx: Ctx) -> Any:
    org = load_org(em, ctx.params["org_id"])
    rows = _filtered([i for i in orgs.invitations(em, org["id"]) if not i.get("domain_id")], ["pending"])
    return _page(em, ctx, rows, user_side=False)


@router.add(B, "GET", "/v1/organizations/{org_id}/invitations/{invitation_id}")
def get_invitation(em: Instance, ctx: Ctx) -> Any:
    org = load_org(em, ctx.params["org_id"])
    return orgs.invitation_json(em, orgs.load_invitation(em, org, ctx.params["invitation_id"]), api="bapi")


@router.add(B, "POST", "/v1/organizations/{org_id}/invitations/{invitation_id}/revoke")
def revoke_invitation(em: Instance, ctx: Ctx) -> Any:
    data = typed(ctx, {"requesting_user_id": "str"}, {"requesting_user_id"})
    org = load_org(em, ctx.params["org_id"])
    inv = orgs.load_invitation(em, org, ctx.params["invitation_id"])
    requester = data.get("requesting_user_id")
    if requester:
        mem = orgs.membership(em, org["id"], model.load_user(em.store, requester)["id"])
        if mem is None:
            raise ClerkError("organization_not_found_or_unauthorized")
        orgs.require_permission(mem, "org:sys_memberships:manage")
    orgs.revoke_invitation(em, inv, requester=requester)
    return orgs.invitation_json(em, inv, api="bapi")


@router.add(B, "GET", "/v1/users/{user_id}/organization_invitations")
def user_invitations(em: Instance, ctx: Ctx) -> Any:
    user = model.load_user(em.store, ctx.params["user_id"])
    rows = [i for i in orgs.invitations_for_user(em, user) if orgs.find_org(em, i["org_id"]) is not None]
    return _page(em, ctx, _filtered(rows, _statuses(ctx)), user_side=True)


@router.add(B, "GET", "/v1/organization_invitations")
def instance_invitations(em: Instance, ctx: Ctx) -> Any:
    orgs.require_enabled(em)
    rows = _filtered([i for i in em.store.where("org_invitations", "1 ORDER BY created_at, id")
                      if not i.get("org_deleted")], _statuses(ctx))
    needle = (ctx.query.get("query") or "").strip().lower()
    if needle:
        rows = [i for i in rows if needle in i["email_address"].lower() or needle in i["id"].lower()]
    return _page(em, ctx, rows, user_side=True)
