"""Organizations seen from the Frontend API: the user's memberships and organizations."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import model
from ..errors import ClerkError
from ..http import Ctx
from ..slugs import set_slug
from ..store import touch
from .common import (
    F,
    current,
    envelope,
    paginate,
    router,
)

if TYPE_CHECKING:
    from ..context import Instance


@router.add(F, "GET", "/v1/me/organization_memberships")
def my_memberships(em: Instance, ctx: Ctx) -> Any:
    _sess, user = current(em, ctx)
    mems = [model.fapi_membership(em.store, m) for m in model.memberships_of_user(em.store, user["id"])]
    page, total = paginate(ctx, mems)
    if ctx.query.get("paginated") == "true":
        return envelope(em, ctx, {"data": page, "total_count": total})
    return envelope(em, ctx, page)


@router.add(F, "DELETE", "/v1/me/organization_memberships/{org_id}")
def leave_org(em: Instance, ctx: Ctx) -> Any:
    _sess, user = current(em, ctx)
    org = model.load_org(em.store, ctx.params["org_id"])
    mems = em.store.where("memberships", "org_id=? AND user_id=?", (org["id"], user["id"]))
    if not mems:
        raise ClerkError("resource_not_found", "organization")
    em.store.delete("memberships", mems[0]["id"])
    return envelope(em, ctx, {"object": "organization_membership", "id": mems[0]["id"], "deleted": True})


def _my_org(em: Instance, ctx: Ctx, user: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    try:
        org = model.load_org(em.store, ctx.params["org_id"])
    except ClerkError:
        raise ClerkError("resource_not_found", "organization") from None
    mems = em.store.where("memberships", "org_id=? AND user_id=?", (org["id"], user["id"]))
    if not mems:  # not a member: indistinguishable from a missing organization
        raise ClerkError("resource_not_found", "organization")
    return org, mems[0]


@router.add(F, "GET", "/v1/organizations/{org_id}")
def get_org(em: Instance, ctx: Ctx) -> Any:
    _sess, user = current(em, ctx)
    org, _mem = _my_org(em, ctx, user)
    return envelope(em, ctx, model.fapi_org(em.store, org))


@router.add(F, "PATCH", "/v1/organizations/{org_id}")
def patch_org(em: Instance, ctx: Ctx) -> Any:
    _sess, user = current(em, ctx)
    org, mem = _my_org(em, ctx, user)
    for name in ctx.form:
        if name not in ("name", "slug"):
            raise ClerkError("form_param_unknown", param=name)
    if mem["role"] != "org:admin":
        raise ClerkError("authorization_invalid")
    if ctx.has("name"):
        name = (ctx.field("name") or "").strip()
        if not name:
            raise ClerkError("form_param_value_invalid", param="name")
        org["name"] = name
    if ctx.has("slug"):
        slug = ctx.field("slug") or ""
        set_slug(em, org, slug)
    touch(org)
    em.store.put_org(org)
    return envelope(em, ctx, model.fapi_org(em.store, org))


@router.add(F, "GET", "/v1/organizations/{org_id}/memberships")
def org_memberships(em: Instance, ctx: Ctx) -> Any:
    _sess, user = current(em, ctx)
    org, _mem = _my_org(em, ctx, user)
    mems = [model.fapi_membership(em.store, m) for m in model.memberships_of_org(em.store, org["id"])]
    page, total = paginate(ctx, mems)
    return envelope(em, ctx, {"data": page, "total_count": total})
