"""Invitations on the Backend API: create (one or up to ten in bulk), list, revoke.

Each invitation carries a ticket (``tickets.py``) in its ``url``; with ``notify`` (the default) the invitation
email is recorded in the outbox with that url as its link.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from .. import model, outbox
from ..environment import environment
from ..errors import ClerkError
from ..http import Ctx
from ..store import new_id, now_ms, touch
from ..tickets import ST_INVITATION, invitation_status, mint_ticket, ticket_url
from .common import B, body, limit_offset, metadata_value, router, str_field

if TYPE_CHECKING:
    from ..context import Instance

CREATE_FIELDS = {"email_address", "public_metadata", "redirect_url", "notify", "ignore_existing", "expires_in_days",
                 "template_slug"}
TEMPLATES = ("invitation", "waitlist_invitation")
STATUSES = ("pending", "accepted", "revoked", "expired")
ORDER_FIELDS = ("created_at", "email_address", "expires_at")
DEFAULT_DAYS = 30
MAX_BULK = 10


def invitation_json(inv: dict[str, Any]) -> dict[str, Any]:
    """The ``Invitation`` object of the 2026-05-12 spec (``status`` ``expired`` once past ``expires_at``)."""
    status = invitation_status(inv)
    return {
        "object": "invitation",
        "id": inv["id"],
        "email_address": inv["email_address"],
        "public_metadata": inv["public_metadata"],
        "revoked": status == "revoked",
        "status": status,
        "url": inv["url"],
        "expires_at": inv["expires_at"],
        "created_at": inv["created_at"],
        "updated_at": inv["updated_at"],
    }


def _flag(data: dict[str, Any], name: str, default: bool) -> bool:
    value = data.get(name)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise ClerkError("form_param_value_invalid", param=name, long_suffix=". It must be true or false.")
    return value


def _redirect_url(data: dict[str, Any]) -> str | None:
    value = str_field(data, "redirect_url")
    if value is None:
        return None
    try:
        parts = urlsplit(value)
        ok = parts.scheme in ("http", "https") and bool(parts.hostname) and not any(c.isspace() for c in value)
    except ValueError:  # e.g. an unbalanced IPv6 bracket
        ok = False
    if not ok:
        raise ClerkError("form_param_format_invalid", param="redirect_url",
                         long_suffix=" It must be an absolute http:// or https:// URL.")
    return value


def _checked(em: Instance, data: dict[str, Any]) -> dict[str, Any]:
    """The fields of one invitation to create, validated (nothing is written)."""
    if not data.get("email_address"):
        raise ClerkError("form_param_missing", param="email_address")
    email = str_field(data, "email_address", nullable=False) or ""
    if not model.EMAIL_RE.match(email):
        raise ClerkError("form_param_format_invalid", "email", param="email_address",
                         fill={"parameter": "email_address"})
    meta = data.get("public_metadata")
    days = data.get("expires_in_days")
    if days is None:
        days = DEFAULT_DAYS
    elif not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= 365:
        raise ClerkError("form_param_value_invalid", param="expires_in_days",
                         long_suffix=". It must be a whole number of days from 1 to 365.")
    template = data.get("template_slug") or "invitation"
    if template not in TEMPLATES:
        raise ClerkError("form_param_value_invalid", param="template_slug",
                         long_suffix=f". Allowed values: {', '.join(TEMPLATES)}.")
    return {
        "email_address": email,
        "public_metadata": {} if meta is None else metadata_value("public_metadata", meta, allow_null=False),
        "redirect_url": _redirect_url(data),
        "notify": _flag(data, "notify", True),
        "ignore_existing": _flag(data, "ignore_existing", False),
        "days": days,
        "template_slug": template,
    }


def _pending_emails(em: Instance) -> set[str]:
    return {inv["email_address"].lower() for inv in em.store.where("invitations", "1")
            if invitation_status(inv) == "pending"}


def _check_conflicts(em: Instance, items: list[dict[str, Any]], *, bulk: bool) -> None:
    """Existing users (bulk: never allowed; single: unless ``ignore_existing``), then pending invitations for
    the same address, earlier items of the same request included (unless ``ignore_existing``)."""
    if not em.settings.enabled("email_address"):
        raise ClerkError("invitations_not_supported")
    for item in items:
        if em.store.identifier_owner(item["email_address"]) is not None and (bulk or not item["ignore_existing"]):
            raise ClerkError("form_identifier_exists", param="email_address", fill={"param": "email address"},
                             long_suffix=f" {item['email_address']} already belongs to a user.")
    pending = _pending_emails(em)
    duplicates: list[str] = []
    for item in items:
        key = item["email_address"].lower()
        if key in pending and not item["ignore_existing"] and item["email_address"] not in duplicates:
            duplicates.append(item["email_address"])
        pending.add(key)
    if duplicates:
        raise ClerkError("duplicate_record", "invitations", fill={"emails": ", ".join(duplicates)},
                         extra_meta={"email_addresses": duplicates})


def _create(em: Instance, item: dict[str, Any]) -> dict[str, Any]:
    ts = now_ms()
    inv: dict[str, Any] = {
        "id": new_id("inv"), "email_address": item["email_address"], "public_metadata": item["public_metadata"],
        "redirect_url": item["redirect_url"], "template_slug": item["template_slug"], "status": "pending",
        "accepted_user_id": None, "created_at": ts, "updated_at": ts,
    }
    inv["token"], exp = mint_ticket(em, sid=inv["id"], kind=ST_INVITATION, lifetime_s=item["days"] * 86400)
    inv["url"] = ticket_url(em, inv["token"])
    inv["expires_at"] = exp * 1000
    em.store.put_record("invitations", inv)
    if item["notify"]:
        app = environment(em.store.instance_id, em.fapi_url, em.settings)["display_config"]["application_name"]
        if item["template_slug"] == "waitlist_invitation":
            subject = f"You're off the waitlist for {app}"
        else:
            subject = f"You're invited to join {app}"
        outbox.send(em.store, to=inv["email_address"], channel="email", kind=item["template_slug"],
                    subject=subject,
                    body=f"{subject}. Open this link to accept the invitation (valid for {item['days']} days):\n"
                         f"{inv['url']}",
                    link=inv["url"])
    return inv


@router.add(B, "POST", "/v1/invitations")
def create_invitation(em: Instance, ctx: Ctx) -> Any:
    item = _checked(em, body(ctx, CREATE_FIELDS))
    _check_conflicts(em, [item], bulk=False)
    return invitation_json(_create(em, item))


@router.add(B, "POST", "/v1/invitations/bulk")
def create_invitations_bulk(em: Instance, ctx: Ctx) -> Any:
    data = ctx.body
    if not isinstance(data, list) or not 1 <= len(data) <= MAX_BULK:
        raise ClerkError("request_body_invalid",
                         long_suffix=f" The body must be a JSON array of 1 to {MAX_BULK} invitations.")
    items = []
    for entry in data:
        if not isinstance(entry, dict):
            raise ClerkError("request_body_invalid", long_suffix=" Each invitation must be a JSON object.")
        unknown = sorted(set(entry) - CREATE_FIELDS)
        if unknown:
            raise ClerkError("form_param_unknown", param=unknown[0])
        items.append(_checked(em, entry))
    _check_conflicts(em, items, bulk=True)
    return [invitation_json(_create(em, item)) for item in items]


def _sort_key(field: str) -> Any:
    if field == "email_address":
        return lambda inv: (inv["email_address"].lower(), inv["id"])
    return lambda inv: (inv[field], inv["id"])


@router.add(B, "GET", "/v1/invitations")
def list_invitations(em: Instance, ctx: Ctx) -> Any:
    limit, offset = limit_offset(ctx)
    status = ctx.query.get("status")
    if status is not None and status not in STATUSES:
        raise ClerkError("form_param_value_invalid", param="status",
                         long_suffix=f". Allowed values: {', '.join(STATUSES)}.")
    order = ctx.query.get("order_by") or "-created_at"
    field = order.lstrip("+-")
    if field not in ORDER_FIELDS:
        raise ClerkError("form_param_value_invalid", param="order_by",
                         long_suffix=f". Order by {', '.join(ORDER_FIELDS)}, with an optional + or - before it.")
    rows = em.store.where("invitations", "1")
    # Without a status filter the list holds every invitation that is not revoked (as the spec says).
    rows = [inv for inv in rows if (invitation_status(inv) == status if status else inv["status"] != "revoked")]
    query = (ctx.query.get("query") or "").strip().lower()
    if query:
        rows = [inv for inv in rows if query in inv["email_address"].lower() or query in inv["id"].lower()]
    rows.sort(key=_sort_key(field), reverse=order.startswith("-"))
    page = [invitation_json(inv) for inv in rows[offset:offset + limit]]
    if ctx.query.get("paginated") == "true":
        return {"data": page, "total_count": len(rows)}
    return page


@router.add(B, "POST", "/v1/invitations/{invitation_id}/revoke")
def revoke_invitation(em: Instance, ctx: Ctx) -> Any:
    inv = em.store.get("invitations", ctx.params["invitation_id"])
    if inv is None:
        raise ClerkError("resource_not_found", "invitation", fill={"invitationID": ctx.params["invitation_id"]})
    if inv["status"] == "revoked":
        raise ClerkError("invitation_already_revoked")
    if inv["status"] == "accepted":
        raise ClerkError("invitation_already_accepted")
    inv["status"] = "revoked"
    touch(inv)
    em.store.put_record("invitations", inv)
    return invitation_json(inv)
