"""Organizations on the Backend API: create, list, get (by id or slug), update, delete, metadata, logo,
memberships and their metadata, as @clerk/backend 3.25.0 calls them.

Every body field is type-checked (wrong type → 422 ``form_param_value_invalid`` naming the field; missing
required field → 422 ``form_param_missing``; unknown field → 422 ``form_param_unknown``): nothing is stored from
a request that fails. Unlike the Frontend API, the Backend API may leave an organization without a member holding
the minimum permissions (``missing_member_with_elevated_permissions`` then says so).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import model
from .. import organizations_model as orgs
from ..errors import ClerkError
from ..http import Ctx
from ..metadata import check_size, deep_merge, require_object
from .common import (
    CREATE_MEMBERSHIP_FIELDS,
    CREATE_ORG_FIELDS,
    ORG_METADATA,
    UPDATE_ORG_FIELDS,
    B,
    body,
    limit_offset,
    metadata_value,
    refuse_removed,
    router,
)

if TYPE_CHECKING:
    from ..context import Instance

_KINDS = {"str": (str,), "bool": (bool,), "int": (int,), "object": (dict,)}
ORG_TYPES = {"name": "str", "slug": "str", "created_by": "str", "max_allowed_memberships": "int",
             "admin_delete_enabled": "bool", "created_at": "str", "role_set_key": "str",
             "public_metadata": "object", "private_metadata": "object"}
MEMBERSHIP_TYPES = {"user_id": "str", "role": "str", "public_metadata": "object", "private_metadata": "object"}


def typed(ctx: Ctx, types: dict[str, str], allowed: set[str], required: tuple[str, ...] = ()) -> dict[str, Any]:
    """The JSON body, checked: only ``allowed`` fields, ``required`` ones present and not empty, each given value
    (``null`` aside) of its type (an int that is not a bool, a str, an object …)."""
    data = body(ctx, allowed)
    return check_types(data, types, required)


def check_types(data: dict[str, Any], types: dict[str, str], required: tuple[str, ...] = ()) -> dict[str, Any]:
    for name in required:
        if data.get(name) is None or data.get(name) == "":
            raise ClerkError("form_param_missing", param=name)
    for name, value in data.items():
        kind = types.get(name)
        if value is None or kind is None:
            continue
        ok = isinstance(value, _KINDS[kind]) and not (kind == "int" and isinstance(value, bool))
        if not ok:
            article = "an" if kind[0] in "aeiou" else "a"
            raise ClerkError("form_param_value_invalid", param=name,
                             long_suffix=f". It must be {article} {'integer' if kind == 'int' else kind}, "
                                         f"not {type(value).__name__ if value is not None else 'null'}.")
    return data


def _limit(name: str, value: Any) -> int:
    if value < 0:
        raise ClerkError("form_param_value_invalid", param=name, long_suffix=". It must be ≥ 0 (0 = unlimited).")
    return int(value)


def _user(em: Instance, user_id: str) -> dict[str, Any]:
    return model.load_user(em.store, user_id)


def load_org(em: Instance, ref: str) -> dict[str, Any]:
    orgs.require_enabled(em)
    return model.load_org(em.store, ref)


# --- organizations -------------------------------------------------------------------------------------------

@router.add(B, "POST", "/v1/organizations")
def create_org(em: Instance, ctx: Ctx) -> Any:
    data = typed(ctx, ORG_TYPES, CREATE_ORG_FIELDS, ("name",))
    creator = _user(em, data["created_by"]) if data.get("created_by") else None
    meta = {k: metadata_value(k, data[k], allow_null=True) for k in ORG_METADATA if k in data}
    limit = data.get("max_allowed_memberships")
    org = orgs.create_org(em, name=data["name"], slug=data.get("slug") or None, creator=creator, api="bapi",
                          max_allowed=None if limit is None else _limit("max_allowed_memberships", limit),
                          public=meta.get("public_metadata"), private=meta.get("private_metadata"))
    return model.bapi_org(em.store, org)


_ORDERS = {"name": lambda o: o["name"].lower(), "created_at": lambda o: o["created_at"]}


@router.add(B, "GET", "/v1/organizations")
def list_orgs(em: Instance, ctx: Ctx) -> Any:
    orgs.require_enabled(em)
    limit, offset = limit_offset(ctx)
    rows = em.store.where("organizations", "1 ORDER BY created_at DESC, id DESC")
    ids = ctx.query.getall("organization_id", [])
    if ids:
        rows = [o for o in rows if o["id"] in ids or o["slug"] in ids]
    users = ctx.query.getall("user_id", [])
    if users:
        member_of = {m["org_id"] for u in users for m in model.memberships_of_user(em.store, u)}
        rows = [o for o in rows if o["id"] in member_of]
    needle = (ctx.query.get("query") or "").strip().lower()
    if needle:
        rows = [o for o in rows if needle in o["name"].lower() or needle in o["slug"] or needle in o["id"].lower()]
    order = ctx.query.get("order_by") or "-created_at"
    key = order.lstrip("+-")
    if key == "members_count":
        rows.sort(key=lambda o: (model.members_count(em.store, o["id"]), o["id"]), reverse=order.startswith("-"))
    elif key in _ORDERS:
        rows.sort(key=lambda o: (_ORDERS[key](o), o["id"]), reverse=order.startswith("-"))
    else:
        raise ClerkError("form_param_value_invalid", param="order_by",
                         long_suffix=". Order by name, created_at or members_count, with an optional + or -.")
    return {"data": [model.bapi_org(em.store, o) for o in rows[offset:offset + limit]], "total_count": len(rows)}


@router.add(B, "GET", "/v1/organizations/{org_id}")
def get_org(em: Instance, ctx: Ctx) -> Any:
    return model.bapi_org(em.store, load_org(em, ctx.params["org_id"]))


@router.add(B, "PATCH", "/v1/organizations/{org_id}")
def update_org(em: Instance, ctx: Ctx) -> Any:
    data = body(ctx, UPDATE_ORG_FIELDS | set(ORG_METADATA))
    org = load_org(em, ctx.params["org_id"])
    for name in ORG_METADATA:
        if name in data and ctx.metadata_removed:
            raise refuse_removed(em, name, f"PATCH or PUT /v1/organizations/{org['id']}/metadata")
    check_types(data, ORG_TYPES)
    for name in ORG_METADATA:
        if name in data:
            org[name] = metadata_value(name, data[name], allow_null=False)
    if data.get("name") is not None:
        org["name"] = orgs.check_name(data["name"])
    if data.get("slug") is not None:
        orgs.update_slug(em, org, data["slug"])
    if data.get("max_allowed_memberships") is not None:
        org["max_allowed_memberships"] = _limit("max_allowed_memberships", data["max_allowed_memberships"])
    if data.get("admin_delete_enabled") is not None:
        org["admin_delete_enabled"] = data["admin_delete_enabled"]
    orgs.save_org(em, org)
    return model.bapi_org(em.store, org)


@router.add(B, "DELETE", "/v1/organizations/{org_id}")
def delete_org(em: Instance, ctx: Ctx) -> Any:
    org = load_org(em, ctx.params["org_id"])
    orgs.delete_org(em, org)
    return {"object": "organization", "id": org["id"], "slug": org["slug"], "deleted": True}


@router.add(B, "PATCH", "/v1/organizations/{org_id}/metadata")
def merge_org_metadata(em: Instance, ctx: Ctx) -> Any:
    data = body(ctx, set(ORG_METADATA))
    org = load_org(em, ctx.params["org_id"])
    for name in ORG_METADATA:
        if name in data and data[name] is not None:
            require_object(name, data[name])
            merged = deep_merge(org[name], data[name])
            check_size(name, merged)
            org[name] = merged
    orgs.save_org(em, org)
    return model.bapi_org(em.store, org)


@router.add(B, "PUT", "/v1/organizations/{org_id}/metadata")
def replace_org_metadata(em: Instance, ctx: Ctx) -> Any:
    data = body(ctx, set(ORG_METADATA))
    org = load_org(em, ctx.params["org_id"])
    for name in ORG_METADATA:
        if name in data:
            org[name] = metadata_value(name, data[name], allow_null=True)
    orgs.save_org(em, org)
    return model.bapi_org(em.store, org)


@router.add(B, "PUT", "/v1/organizations/{org_id}/logo")
def put_logo(em: Instance, ctx: Ctx) -> Any:
    from ..fapi.organizations import logo_upload

    org = load_org(em, ctx.params["org_id"])
    name, kind, data = logo_upload(ctx)
    orgs.set_logo(em, org, name, kind, data)
    return model.bapi_org(em.store, org)


@router.add(B, "DELETE", "/v1/organizations/{org_id}/logo")
def delete_logo(em: Instance, ctx: Ctx) -> Any:
    org = load_org(em, ctx.params["org_id"])
    if not org.get("image_id"):
        raise ClerkError("resource_not_found", long_suffix=" The organization has no logo.")
    orgs.remove_logo(em, org)
    return model.bapi_org(em.store, org)


# --- memberships ---------------------------------------------------------------------------------------------

@router.add(B, "POST", "/v1/organizations/{org_id}/memberships")
def create_membership(em: Instance, ctx: Ctx) -> Any:
    data = typed(ctx, MEMBERSHIP_TYPES, CREATE_MEMBERSHIP_FIELDS, ("user_id", "role"))
    org = load_org(em, ctx.params["org_id"])
    role = orgs.require_role(data["role"])
    user = _user(em, data["user_id"])
    meta = {k: metadata_value(k, data[k], allow_null=True) for k in ORG_METADATA if k in data}
    mem = orgs.add_member(em, org, user, role, public=meta.get("public_metadata"),
                          private=meta.get("private_metadata"))
    return model.bapi_membership(em.store, mem)


def _text(ctx: Ctx, name: str) -> str | None:
    value = ctx.query.get(name)
    return value.strip().lower() if value else None


def _int_query(ctx: Ctx, name: str) -> int | None:
    value = ctx.query.get(name)
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        raise ClerkError("form_param_format_invalid", param=name,
                         long_suffix=" It must be a Unix timestamp in milliseconds.") from None


_MEMBER_ORDERS = ("created_at", "first_name", "last_name", "email_address", "phone_number", "username")


def filter_memberships(em: Instance, ctx: Ctx, mems: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """@clerk/backend's ``getOrganizationMembershipList`` filters and ``order_by``."""
    def user_of(m: dict[str, Any]) -> dict[str, Any]:
        return em.store.get("users", m["user_id"]) or {"email_addresses": [], "phone_numbers": []}

    def emails(u: dict[str, Any]) -> list[str]:
        return [e["email_address"].lower() for e in u.get("email_addresses", [])]

    def phones(u: dict[str, Any]) -> list[str]:
        return [p["phone_number"] for p in u.get("phone_numbers", [])]

    exact = {name: ctx.query.getall(name, []) for name in ("user_id", "email_address", "phone_number", "username",
                                                           "role", "web3_wallet")}
    if exact["user_id"]:
        mems = [m for m in mems if m["user_id"] in exact["user_id"]]
    if exact["role"]:
        mems = [m for m in mems if m["role"] in exact["role"]]
    if exact["email_address"]:
        wanted = {e.lower() for e in exact["email_address"]}
        mems = [m for m in mems if wanted & set(emails(user_of(m)))]
    if exact["phone_number"]:
        mems = [m for m in mems if set(exact["phone_number"]) & set(phones(user_of(m)))]
    if exact["username"]:
        mems = [m for m in mems if user_of(m).get("username") in exact["username"]]
    if exact["web3_wallet"]:
        mems = []  # the emulator has no web3 wallets
    texts = {name: _text(ctx, name) for name in ("query", "email_address_query", "phone_number_query",
                                                 "username_query", "name_query")}
    if texts["query"]:
        needle = texts["query"]
        mems = [m for m in mems if any(needle in v.lower() for v in (
            m["user_id"], user_of(m).get("username") or "", user_of(m).get("first_name") or "",
            user_of(m).get("last_name") or "", *emails(user_of(m)), *phones(user_of(m))))]
    if texts["email_address_query"]:
        mems = [m for m in mems if any(texts["email_address_query"] in e for e in emails(user_of(m)))]
    if texts["phone_number_query"]:
        mems = [m for m in mems if any(texts["phone_number_query"] in p for p in phones(user_of(m)))]
    if texts["username_query"]:
        mems = [m for m in mems if texts["username_query"] in (user_of(m).get("username") or "").lower()]
    if texts["name_query"]:
        mems = [m for m in mems if texts["name_query"] in
                f"{user_of(m).get('first_name') or ''} {user_of(m).get('last_name') or ''}".lower()]
    for name, field, before in (("created_at_before", "created_at", True), ("created_at_after", "created_at", False),
                                ("last_active_at_before", "last_active_at", True),
                                ("last_active_at_after", "last_active_at", False)):
        bound = _int_query(ctx, name)
        if bound is None:
            continue
        def stamp(m: dict[str, Any], field: str = field) -> int:
            return int((m if field == "created_at" else user_of(m)).get(field) or 0)
        mems = [m for m in mems if (stamp(m) < bound if before else stamp(m) > bound)]
    order = ctx.query.get("order_by") or "created_at"
    key = order.lstrip("+-")
    if key not in _MEMBER_ORDERS:
        raise ClerkError("form_param_value_invalid", param="order_by",
                         long_suffix=f". Order by {', '.join(_MEMBER_ORDERS)}, with an optional + or -.")

    def sort_key(m: dict[str, Any]) -> tuple[Any, str]:
        if key == "created_at":
            return (m["created_at"], m["id"])
        u = user_of(m)
        value = (emails(u) or [""])[0] if key == "email_address" else (
            (phones(u) or [""])[0] if key == "phone_number" else (u.get(key) or ""))
        return (str(value).lower(), m["id"])

    return sorted(mems, key=sort_key, reverse=order.startswith("-"))


def membership_list(em: Instance, ctx: Ctx, mems: list[dict[str, Any]]) -> dict[str, Any]:
    limit, offset = limit_offset(ctx)
    rows = filter_memberships(em, ctx, mems)
    return {"data": [model.bapi_membership(em.store, m) for m in rows[offset:offset + limit]],
            "total_count": len(rows)}


@router.add(B, "GET", "/v1/organizations/{org_id}/memberships")
def list_memberships(em: Instance, ctx: Ctx) -> Any:
    org = load_org(em, ctx.params["org_id"])
    return membership_list(em, ctx, model.memberships_of_org(em.store, org["id"]))


@router.add(B, "GET", "/v1/organization_memberships")
def instance_memberships(em: Instance, ctx: Ctx) -> Any:
    orgs.require_enabled(em)
    return membership_list(em, ctx, em.store.where("memberships", "1 ORDER BY created_at, id"))


@router.add(B, "PATCH", "/v1/organizations/{org_id}/memberships/{user_id}")
def update_membership(em: Instance, ctx: Ctx) -> Any:
    data = typed(ctx, MEMBERSHIP_TYPES, {"role"}, ("role",))
    org = load_org(em, ctx.params["org_id"])
    mem = orgs.find_member(em, org, ctx.params["user_id"])
    orgs.update_member(em, mem, data["role"], api="bapi")
    return model.bapi_membership(em.store, mem)


@router.add(B, "DELETE", "/v1/organizations/{org_id}/memberships/{user_id}")
def delete_membership(em: Instance, ctx: Ctx) -> Any:
    org = load_org(em, ctx.params["org_id"])
    mem = orgs.find_member(em, org, ctx.params["user_id"])
    rendered = model.bapi_membership(em.store, mem)
    orgs.remove_member(em, mem, api="bapi")
    rendered["updated_at"] = mem["updated_at"]
    rendered["organization"]["members_count"] = model.members_count(em.store, org["id"])
    return rendered


@router.add(B, "PATCH", "/v1/organizations/{org_id}/memberships/{user_id}/metadata")
def merge_membership_metadata(em: Instance, ctx: Ctx) -> Any:
    data = body(ctx, set(ORG_METADATA))
    org = load_org(em, ctx.params["org_id"])
    mem = orgs.find_member(em, org, ctx.params["user_id"])
    for name in ORG_METADATA:
        if name in data and data[name] is not None:
            require_object(name, data[name])
            merged = deep_merge(mem[name], data[name])
            check_size(name, merged)
            mem[name] = merged
    from ..store import touch

    touch(mem)
    em.store.put_membership(mem)
    return model.bapi_membership(em.store, mem)
