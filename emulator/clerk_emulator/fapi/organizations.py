"""Organizations seen from the Frontend API: create, read, update, delete, logo, members, roles, leaving.

Every answer is the ``{response, client}`` envelope; the client carries the user's updated memberships. Who may
do what (Clerk's permissions, checked against the caller's membership): reading needs membership, members
``org:sys_memberships:read``, changing the organization ``org:sys_profile:manage``, deleting it
``org:sys_profile:delete`` (and the organization's ``admin_delete_enabled``), changing members
``org:sys_memberships:manage``. A non-member gets ``organization_not_found_or_unauthorized``, as for a missing
organization. Invitations, requests and suggestions are in ``organization_invitations.py``, domains in
``organization_domains.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import model, org_roles
from .. import organizations_model as orgs
from ..errors import ClerkError
from ..http import Ctx
from .common import F, current, envelope, only_fields, router

if TYPE_CHECKING:
    from ..context import Instance

MAX_LIMIT = 500


# --- request helpers shared by the organization modules --------------------------------------------------------

def page_of(ctx: Ctx) -> tuple[int, int]:
    """``limit`` (1–500, default 10) and ``offset`` (≥ 0, default 0) of the query."""
    try:
        limit = int(ctx.query.get("limit", "10"))
        offset = int(ctx.query.get("offset", "0"))
    except ValueError:
        raise ClerkError("form_param_format_invalid", param="limit",
                         long_suffix=" limit and offset must be whole numbers.") from None
    if not 1 <= limit <= MAX_LIMIT or offset < 0:
        raise ClerkError("form_param_value_invalid", param="limit",
                         long_suffix=f". limit must be 1..{MAX_LIMIT} and offset ≥ 0.")
    return limit, offset


def paged(ctx: Ctx, items: list[Any]) -> dict[str, Any]:
    limit, offset = page_of(ctx)
    return {"data": items[offset:offset + limit], "total_count": len(items)}


def flag(ctx: Ctx, name: str) -> bool | None:
    """A boolean form field (``true``/``false``), None when absent."""
    value = ctx.field(name)
    if value is None:
        return None
    if value not in ("true", "false"):
        raise ClerkError("form_param_value_invalid", param=name, long_suffix=". It must be true or false.")
    return value == "true"


def statuses(ctx: Ctx, allowed: tuple[str, ...]) -> list[str]:
    values = ctx.query.getall("status", [])
    bad = [v for v in values if v not in allowed]
    if bad:
        raise ClerkError("form_param_value_invalid", param="status",
                         long_suffix=f". Allowed values: {', '.join(allowed)}.")
    return values


def signed_in_member(em: Instance, ctx: Ctx, *permissions: str) -> tuple[dict[str, Any], dict[str, Any],
                                                                          dict[str, Any]]:
    """(organization, membership, user) of the caller for ``{org_id}``, with one of ``permissions`` if given."""
    _sess, user = current(em, ctx)
    org, mem = orgs.member_org(em, ctx.params["org_id"], user)
    if permissions:
        orgs.require_permission(mem, *permissions)
    return org, mem, user


def org_envelope(em: Instance, ctx: Ctx, org: dict[str, Any]) -> dict[str, Any]:
    return envelope(em, ctx, model.fapi_org(em.store, org))


# --- the organization --------------------------------------------------------------------------------------------

@router.add(F, "POST", "/v1/organizations")
def create_org(em: Instance, ctx: Ctx) -> Any:
    _sess, user = current(em, ctx)
    only_fields(ctx, {"name", "slug"})
    # No slug (or an empty one): the server makes one from the name, as Clerk always answers with a slug.
    org = orgs.create_org(em, name=ctx.field("name"), slug=ctx.field("slug") or None, creator=user, api="fapi")
    return org_envelope(em, ctx, org)


@router.add(F, "GET", "/v1/organizations/{org_id}")
def get_org(em: Instance, ctx: Ctx) -> Any:
    org, _mem, _user = signed_in_member(em, ctx)
    return org_envelope(em, ctx, org)


@router.add(F, "PATCH", "/v1/organizations/{org_id}")
def patch_org(em: Instance, ctx: Ctx) -> Any:
    only_fields(ctx, {"name", "slug"})
    org, _mem, _user = signed_in_member(em, ctx, "org:sys_profile:manage")
    if ctx.has("name"):
        org["name"] = orgs.check_name(ctx.field("name"))
    if ctx.has("slug"):
        orgs.update_slug(em, org, ctx.field("slug"))
    orgs.save_org(em, org)
    return org_envelope(em, ctx, org)


@router.add(F, "DELETE", "/v1/organizations/{org_id}")
def delete_org(em: Instance, ctx: Ctx) -> Any:
    only_fields(ctx, set())  # these take no fields: any sent is refused, not ignored
    org, _mem, _user = signed_in_member(em, ctx, "org:sys_profile:delete")
    if not org.get("admin_delete_enabled", True):
        raise ClerkError("organization_admin_delete_not_enabled")
    orgs.delete_org(em, org)
    return envelope(em, ctx, {"object": "organization", "id": org["id"], "slug": org["slug"], "deleted": True})


@router.add(F, "PUT", "/v1/organizations/{org_id}/logo")
def put_logo(em: Instance, ctx: Ctx) -> Any:
    org, _mem, _user = signed_in_member(em, ctx, "org:sys_profile:manage")
    name, kind, data = logo_upload(ctx)
    orgs.set_logo(em, org, name, kind, data)
    return org_envelope(em, ctx, org)


def logo_upload(ctx: Ctx) -> tuple[str, str, bytes]:
    """(file name, image type, bytes) of a logo upload: a multipart ``file`` field or an octet-stream body;
    PNG, JPEG, GIF or WebP, as for profile images."""
    from .me import _sniff_image, _upload

    name, data = _upload(ctx)
    if not data:
        raise ClerkError("form_param_missing", "image")
    kind = _sniff_image(data)
    if kind is None:
        raise ClerkError("request_body_invalid", "image_type", fill={"imageType": "unknown"})
    return name if name != "profile" else "logo", kind, data


@router.add(F, "DELETE", "/v1/organizations/{org_id}/logo")
def delete_logo(em: Instance, ctx: Ctx) -> Any:
    only_fields(ctx, set())
    org, _mem, _user = signed_in_member(em, ctx, "org:sys_profile:manage")
    image_id = orgs.remove_logo(em, org)
    return envelope(em, ctx, {"object": "image", "id": image_id or org["id"], "deleted": True})


@router.add(F, "GET", "/v1/organizations/{org_id}/roles")
def org_roles_list(em: Instance, ctx: Ctx) -> Any:
    _org, _mem, _user = signed_in_member(em, ctx)
    out = paged(ctx, [org_roles.role_json(key) for key in org_roles.roles()])
    out["has_role_set_migration"] = False
    return envelope(em, ctx, out)


# --- members -------------------------------------------------------------------------------------------------

def _matches(em: Instance, mem: dict[str, Any], needle: str) -> bool:
    user = em.store.get("users", mem["user_id"]) or {}
    hay = [mem["user_id"], user.get("username") or "", user.get("first_name") or "", user.get("last_name") or "",
           *(e["email_address"] for e in user.get("email_addresses", [])),
           *(p["phone_number"] for p in user.get("phone_numbers", []))]
    return any(needle in value.lower() for value in hay)


@router.add(F, "GET", "/v1/organizations/{org_id}/memberships")
def org_memberships(em: Instance, ctx: Ctx) -> Any:
    org, _mem, _user = signed_in_member(em, ctx, "org:sys_memberships:read", "org:sys_memberships:manage")
    mems = model.memberships_of_org(em.store, org["id"])
    roles = ctx.query.getall("role", [])
    if roles:
        mems = [m for m in mems if m["role"] in roles]
    # clerk-js splits every query value holding a comma into repeated keys: put them back together.
    needle = ",".join(ctx.query.getall("query", [])).strip().lower()
    if needle:
        mems = [m for m in mems if _matches(em, m, needle)]
    out = paged(ctx, mems)
    out["data"] = [model.fapi_membership(em.store, m) for m in out["data"]]
    if ctx.query.get("paginated") == "true":
        return envelope(em, ctx, out)
    return envelope(em, ctx, out["data"])


@router.add(F, "POST", "/v1/organizations/{org_id}/memberships")
def add_membership(em: Instance, ctx: Ctx) -> Any:
    only_fields(ctx, {"user_id", "role"})
    org, _mem, _user = signed_in_member(em, ctx, "org:sys_memberships:manage")
    user_id = ctx.field("user_id")
    if not user_id:
        raise ClerkError("form_param_missing", param="user_id")
    role = orgs.require_role(ctx.field("role"))
    member = em.store.get("users", user_id)
    if member is None:
        raise ClerkError("resource_not_found", "user", fill={"userID": user_id})
    mem = orgs.add_member(em, org, member, role)
    return envelope(em, ctx, model.fapi_membership(em.store, mem))


@router.add(F, "PATCH", "/v1/organizations/{org_id}/memberships/{user_id}")
def update_membership(em: Instance, ctx: Ctx) -> Any:
    only_fields(ctx, {"role"})
    org, _mem, _user = signed_in_member(em, ctx, "org:sys_memberships:manage")
    target = orgs.find_member(em, org, ctx.params["user_id"])
    orgs.update_member(em, target, ctx.field("role"), api="fapi")
    return envelope(em, ctx, model.fapi_membership(em.store, target))


@router.add(F, "DELETE", "/v1/organizations/{org_id}/memberships/{user_id}")
def remove_membership(em: Instance, ctx: Ctx) -> Any:
    only_fields(ctx, set())
    org, _mem, _user = signed_in_member(em, ctx, "org:sys_memberships:manage")
    target = orgs.find_member(em, org, ctx.params["user_id"])
    rendered = model.fapi_membership(em.store, target)
    orgs.remove_member(em, target, api="fapi")
    rendered["updated_at"] = target["updated_at"]
    return envelope(em, ctx, rendered)


# --- the user's side -----------------------------------------------------------------------------------------

@router.add(F, "GET", "/v1/me/organization_memberships")
def my_memberships(em: Instance, ctx: Ctx) -> Any:
    _sess, user = current(em, ctx)
    out = paged(ctx, model.memberships_of_user(em.store, user["id"]))
    out["data"] = [model.fapi_membership(em.store, m) for m in out["data"]]
    if ctx.query.get("paginated") == "true":
        return envelope(em, ctx, out)
    return envelope(em, ctx, out["data"])


@router.add(F, "DELETE", "/v1/me/organization_memberships/{org_id}")
def leave_org(em: Instance, ctx: Ctx) -> Any:
    only_fields(ctx, set())
    _sess, user = current(em, ctx)
    org, mem = orgs.member_org(em, ctx.params["org_id"], user)
    orgs.leave(em, org, mem)
    return envelope(em, ctx, {"object": "organization_membership", "id": mem["id"], "deleted": True})


@router.add(F, "GET", "/v1/me/organization_creation_defaults")
def creation_defaults(em: Instance, ctx: Ctx) -> Any:
    _sess, user = current(em, ctx)
    orgs.require_enabled(em)
    return envelope(em, ctx, orgs.creation_defaults(em, user))
