"""Users on the Backend API: create, list, update, delete, metadata merge/replace, memberships."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import mfa, model
from ..crypto import hash_password
from ..errors import ClerkError
from ..http import Ctx
from ..metadata import check_size, deep_merge, require_object
from ..store import now_ms
from .common import (
    CREATE_USER_FIELDS,
    UPDATE_USER_FIELDS,
    USER_METADATA,
    B,
    body,
    bool_field,
    limit_offset,
    membership_page,
    metadata_value,
    refuse_removed,
    router,
    str_field,
)

if TYPE_CHECKING:
    from ..context import Instance


@router.add(B, "POST", "/v1/users")
def create_user(em: Instance, ctx: Ctx) -> Any:
    data = body(ctx, CREATE_USER_FIELDS)
    emails = data.get("email_address") or []
    phones = data.get("phone_number") or []
    if not isinstance(emails, list) or not all(isinstance(e, str) for e in emails):
        raise ClerkError("form_param_value_invalid", param="email_address", long_suffix=". Expected strings.")
    if not isinstance(phones, list) or not all(isinstance(p, str) for p in phones):
        raise ClerkError("form_param_value_invalid", param="phone_number", long_suffix=". Expected strings.")
    meta = {k: metadata_value(k, data[k], allow_null=True) for k in USER_METADATA if k in data}
    password = str_field(data, "password")
    if password is not None and data.get("skip_password_checks") and len(password) < model.MIN_PASSWORD:
        pass_hash: str | None = hash_password(password)
        password = None
    else:
        pass_hash = None
    user = model.new_user(
        em.store, emails=emails, phones=phones, password=password,
        username=str_field(data, "username"), first_name=str_field(data, "first_name"),
        last_name=str_field(data, "last_name"), external_id=str_field(data, "external_id"),
        public_metadata=meta.get("public_metadata"), private_metadata=meta.get("private_metadata"),
        unsafe_metadata=meta.get("unsafe_metadata"),
    )
    if pass_hash:
        user["password_hash"] = pass_hash
    _organization_switches(data, user)
    user["banned"] = bool(bool_field(data, "banned"))  # created banned: cannot sign in
    if bool_field(data, "locked"):
        mfa.lock(em, user)
    model.save_user(em.store, user)
    return model.bapi_user(user)


def _organization_switches(data: dict[str, Any], user: dict[str, Any]) -> None:
    """``create_organization_enabled`` (bool) and ``create_organizations_limit`` (whole number or null = none)."""
    if data.get("create_organization_enabled") is not None:
        if not isinstance(data["create_organization_enabled"], bool):
            raise ClerkError("form_param_value_invalid", param="create_organization_enabled",
                             long_suffix=". It must be true or false.")
        user["create_organization_enabled"] = data["create_organization_enabled"]
    if "create_organizations_limit" in data:
        limit = data["create_organizations_limit"]
        if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool) or limit < 0):
            raise ClerkError("form_param_value_invalid", param="create_organizations_limit",
                             long_suffix=". It must be a whole number ≥ 0, or null for no limit.")
        user["create_organizations_limit"] = limit


@router.add(B, "GET", "/v1/users")
def list_users(em: Instance, ctx: Ctx) -> Any:
    limit, offset = limit_offset(ctx)
    clauses, args = [], []
    ids = ctx.query.getall("user_id", [])
    if ids:
        marks = ",".join("?" * len(ids))
        clauses.append(f"id IN ({marks})")
        args.extend(ids)
    for kind in ("email_address", "phone_number", "username"):  # each given list narrows the result
        values = ctx.query.getall(kind, [])
        if values:
            marks = ",".join("?" * len(values))
            clauses.append(f"id IN (SELECT user_id FROM identifiers WHERE kind = ? AND value IN ({marks}))")
            args.extend([kind, *(v.lower() if kind == "email_address" else v for v in values)])
    order = ctx.query.get("order_by", "-created_at")
    direction = "ASC" if order.lstrip("+") == "created_at" else "DESC"
    where = " AND ".join(clauses) or "1"
    rows = em.store.where("users", f"{where} ORDER BY created_at {direction}, id {direction} LIMIT ? OFFSET ?",
                          (*args, limit, offset))
    return [model.bapi_user(u) for u in rows]


@router.add(B, "GET", "/v1/users/count")
def count_users(em: Instance, ctx: Ctx) -> Any:
    return {"object": "total_count", "total_count": em.store.count_users()}


@router.add(B, "GET", "/v1/users/{user_id}")
def get_user(em: Instance, ctx: Ctx) -> Any:
    return model.bapi_user(model.load_user(em.store, ctx.params["user_id"]))


@router.add(B, "PATCH", "/v1/users/{user_id}")
def update_user(em: Instance, ctx: Ctx) -> Any:
    allowed = UPDATE_USER_FIELDS | set(USER_METADATA)
    data = body(ctx, allowed)
    user = model.load_user(em.store, ctx.params["user_id"])
    for name in USER_METADATA:
        if name in data:
            if ctx.metadata_removed:
                raise refuse_removed(em, name, f"PATCH or PUT /v1/users/{user['id']}/metadata")
            user[name] = metadata_value(name, data[name], allow_null=False)  # old versions: full replace
    for name in ("first_name", "last_name", "external_id"):
        if name in data:
            user[name] = str_field(data, name)
    if "username" in data:
        new = str_field(data, "username")
        if new != user["username"]:
            if user["username"]:
                em.store.drop_identifier(user["username"])
            if new:
                model.claim_identifier(em.store, new, user["id"], "username", "username")
            user["username"] = new
    if data.get("password") is not None:
        password = str_field(data, "password") or ""
        if len(password) < model.MIN_PASSWORD and not data.get("skip_password_checks"):
            raise ClerkError("form_password_length_too_short", param="password")
        user["password_hash"] = hash_password(password)
        user["password_last_updated_at"] = now_ms()
    for key, kind in (("primary_email_address_id", "email_addresses"),
                      ("primary_phone_number_id", "phone_numbers")):
        if data.get(key) is not None:
            if not any(i["id"] == data[key] for i in user[kind]):
                raise ClerkError("form_param_value_invalid", param=key)
            user[key] = data[key]
    _organization_switches(data, user)
    model.save_user(em.store, user)
    return model.bapi_user(user)


@router.add(B, "DELETE", "/v1/users/{user_id}")
def delete_user(em: Instance, ctx: Ctx) -> Any:
    user = model.load_user(em.store, ctx.params["user_id"])
    for sess in em.store.where("sessions", "user_id=?", (user["id"],)):
        if sess["status"] == "active":
            model.end_session(em.store, sess, "revoked")
    em.store.drop_user(user["id"])
    return {"object": "user", "id": user["id"], "deleted": True}


@router.add(B, "PATCH", "/v1/users/{user_id}/metadata")
def merge_user_metadata(em: Instance, ctx: Ctx) -> Any:
    data = body(ctx, set(USER_METADATA))
    user = model.load_user(em.store, ctx.params["user_id"])
    for name in USER_METADATA:
        if name in data and data[name] is not None:
            require_object(name, data[name])
            merged = deep_merge(user[name], data[name])
            check_size(name, merged)
            user[name] = merged
    model.save_user(em.store, user)
    return model.bapi_user(user)


@router.add(B, "PUT", "/v1/users/{user_id}/metadata")
def replace_user_metadata(em: Instance, ctx: Ctx) -> Any:
    data = body(ctx, set(USER_METADATA))
    user = model.load_user(em.store, ctx.params["user_id"])
    for name in USER_METADATA:
        if name in data:
            user[name] = metadata_value(name, data[name], allow_null=True)
    model.save_user(em.store, user)
    return model.bapi_user(user)


@router.add(B, "GET", "/v1/users/{user_id}/organization_memberships")
def user_memberships(em: Instance, ctx: Ctx) -> Any:
    user = model.load_user(em.store, ctx.params["user_id"])
    return membership_page(em, ctx, model.memberships_of_user(em.store, user["id"]))
