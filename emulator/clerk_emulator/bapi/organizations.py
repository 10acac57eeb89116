"""Organizations on the Backend API: create, list, update, delete, metadata, memberships."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import model
from ..errors import ClerkError
from ..http import Ctx
from ..metadata import check_size, deep_merge, require_object
from ..slugs import set_slug, slugify
from ..store import new_id, now_ms, touch
from .common import (
    CREATE_MEMBERSHIP_FIELDS,
    CREATE_ORG_FIELDS,
    ORG_METADATA,
    UPDATE_ORG_FIELDS,
    B,
    body,
    limit_offset,
    membership_page,
    metadata_value,
    refuse_removed,
    router,
    str_field,
)

if TYPE_CHECKING:
    from ..context import Instance


@router.add(B, "POST", "/v1/organizations")
def create_org(em: Instance, ctx: Ctx) -> Any:
    data = body(ctx, CREATE_ORG_FIELDS)
    name = str_field(data, "name", nullable=False) or ""
    if not name.strip():
        raise ClerkError("form_param_missing", param="name")
    meta = {k: metadata_value(k, data[k], allow_null=True) for k in ORG_METADATA if k in data}
    ts = now_ms()
    org: dict[str, Any] = {
        "id": new_id("org"), "name": name, "slug": "", "created_at": ts, "updated_at": ts,
        "public_metadata": meta.get("public_metadata") if "public_metadata" in meta else {},
        "private_metadata": meta.get("private_metadata") if "private_metadata" in meta else {},
        "max_allowed_memberships": int(data.get("max_allowed_memberships") or 0),
        "created_by": str_field(data, "created_by"),
    }
    slug = str_field(data, "slug") or slugify(name) + "-" + org["id"][-6:].lower()
    set_slug(em, org, slug)
    em.store.put_org(org)
    creator = org["created_by"]
    if creator:
        model.load_user(em.store, creator)
        _add_member(em, org, creator, "org:admin", {}, {})
    return model.bapi_org(em.store, org)


def _add_member(em: Instance, org: dict[str, Any], user_id: str, role: str, public: Any,
                private: Any) -> dict[str, Any]:
    if em.store.where("memberships", "org_id=? AND user_id=?", (org["id"], user_id)):
        raise ClerkError("form_identifier_exists", param="user_id", fill={"param": "membership"})
    ts = now_ms()
    mem = {"id": new_id("orgmem"), "org_id": org["id"], "user_id": user_id, "role": role,
           "public_metadata": public if public is not None else {},
           "private_metadata": private if private is not None else {}, "created_at": ts, "updated_at": ts}
    em.store.put_membership(mem)
    return mem


@router.add(B, "GET", "/v1/organizations")
def list_orgs(em: Instance, ctx: Ctx) -> Any:
    limit, offset = limit_offset(ctx)
    orgs = em.store.where("organizations", "1 ORDER BY created_at DESC, id DESC")
    return {"data": [model.bapi_org(em.store, o) for o in orgs[offset:offset + limit]], "total_count": len(orgs)}


@router.add(B, "GET", "/v1/organizations/{org_id}")
def get_org(em: Instance, ctx: Ctx) -> Any:
    return model.bapi_org(em.store, model.load_org(em.store, ctx.params["org_id"]))


@router.add(B, "PATCH", "/v1/organizations/{org_id}")
def update_org(em: Instance, ctx: Ctx) -> Any:
    data = body(ctx, UPDATE_ORG_FIELDS | set(ORG_METADATA))
    org = model.load_org(em.store, ctx.params["org_id"])
    for name in ORG_METADATA:
        if name in data:
            if ctx.metadata_removed:
                raise refuse_removed(em, name, f"PATCH or PUT /v1/organizations/{org['id']}/metadata")
            org[name] = metadata_value(name, data[name], allow_null=False)
    if "name" in data:
        name = str_field(data, "name", nullable=False) or ""
        if not name.strip():
            raise ClerkError("form_param_value_invalid", param="name")
        org["name"] = name
    if data.get("slug") is not None:
        set_slug(em, org, str_field(data, "slug") or "")
    if data.get("max_allowed_memberships") is not None:
        org["max_allowed_memberships"] = int(data["max_allowed_memberships"])
    touch(org)
    em.store.put_org(org)
    return model.bapi_org(em.store, org)


@router.add(B, "DELETE", "/v1/organizations/{org_id}")
def delete_org(em: Instance, ctx: Ctx) -> Any:
    org = model.load_org(em.store, ctx.params["org_id"])
    em.store.drop_org(org["id"])
    return {"object": "organization", "id": org["id"], "slug": org["slug"], "deleted": True}


@router.add(B, "PATCH", "/v1/organizations/{org_id}/metadata")
def merge_org_metadata(em: Instance, ctx: Ctx) -> Any:
    data = body(ctx, set(ORG_METADATA))
    org = model.load_org(em.store, ctx.params["org_id"])
    for name in ORG_METADATA:
        if name in data and data[name] is not None:
            require_object(name, data[name])
            merged = deep_merge(org[name], data[name])
            check_size(name, merged)
            org[name] = merged
    touch(org)
    em.store.put_org(org)
    return model.bapi_org(em.store, org)


@router.add(B, "PUT", "/v1/organizations/{org_id}/metadata")
def replace_org_metadata(em: Instance, ctx: Ctx) -> Any:
    data = body(ctx, set(ORG_METADATA))
    org = model.load_org(em.store, ctx.params["org_id"])
    for name in ORG_METADATA:
        if name in data:
            org[name] = metadata_value(name, data[name], allow_null=True)
    touch(org)
    em.store.put_org(org)
    return model.bapi_org(em.store, org)


@router.add(B, "POST", "/v1/organizations/{org_id}/memberships")
def create_membership(em: Instance, ctx: Ctx) -> Any:
    data = body(ctx, CREATE_MEMBERSHIP_FIELDS)
    org = model.load_org(em.store, ctx.params["org_id"])
    user_id = str_field(data, "user_id", nullable=False) or ""
    role = str_field(data, "role", nullable=False) or ""
    if role not in model.ROLE_PERMISSIONS:
        raise ClerkError("form_param_value_invalid", param="role",
                         long_suffix=f". Known roles: {', '.join(model.ROLE_PERMISSIONS)}.")
    model.load_user(em.store, user_id)
    meta = {k: metadata_value(k, data[k], allow_null=True) for k in ORG_METADATA if k in data}
    mem = _add_member(em, org, user_id, role, meta.get("public_metadata"), meta.get("private_metadata"))
    return model.bapi_membership(em.store, mem)


@router.add(B, "GET", "/v1/organizations/{org_id}/memberships")
def list_memberships(em: Instance, ctx: Ctx) -> Any:
    org = model.load_org(em.store, ctx.params["org_id"])
    return membership_page(em, ctx, model.memberships_of_org(em.store, org["id"]))
