"""Backend API (BAPI) under the ``/bapi`` prefix: ``Authorization: Bearer sk_…``, JSON bodies.

Request bodies are checked against the field lists of the 2026-05-12 spec;
an unknown field is refused with 422 ``form_param_unknown``.
"""

from __future__ import annotations

import hmac
from typing import TYPE_CHECKING, Any

from aiohttp import web

from . import model
from .crypto import hash_password
from .errors import ClerkError
from .fapi import set_slug
from .http import Ctx, Router
from .metadata import check_size, deep_merge, require_object
from .store import new_id, now_ms, touch

if TYPE_CHECKING:
    from .server import Emulator

router = Router()
B = "bapi"

CREATE_USER_FIELDS = {
    "external_id", "first_name", "last_name", "locale", "email_address", "email_address_identification_status",
    "phone_number", "phone_number_identification_status", "web3_wallet", "username", "password",
    "password_digest", "password_hasher", "skip_password_checks", "skip_password_requirement", "totp_secret",
    "backup_codes", "public_metadata", "private_metadata", "unsafe_metadata", "delete_self_enabled",
    "legal_accepted_at", "skip_legal_checks", "skip_user_requirement", "create_organization_enabled",
    "create_organizations_limit", "created_at", "bypass_client_trust", "banned", "locked",
}
UPDATE_USER_FIELDS = {
    "external_id", "first_name", "last_name", "locale", "primary_email_address_id",
    "notify_primary_email_address_changed", "primary_phone_number_id", "primary_web3_wallet_id", "username",
    "profile_image_id", "password", "password_digest", "password_hasher", "skip_password_checks",
    "sign_out_of_other_sessions", "totp_secret", "backup_codes", "delete_self_enabled",
    "create_organization_enabled", "legal_accepted_at", "skip_legal_checks", "create_organizations_limit",
    "created_at", "bypass_client_trust",
}
USER_METADATA = ("public_metadata", "private_metadata", "unsafe_metadata")
ORG_METADATA = ("public_metadata", "private_metadata")
CREATE_ORG_FIELDS = {"name", "created_by", "private_metadata", "public_metadata", "slug",
                     "max_allowed_memberships", "created_at", "role_set_key"}
UPDATE_ORG_FIELDS = {"name", "slug", "max_allowed_memberships", "admin_delete_enabled", "created_at",
                     "role_set_key"}
CREATE_MEMBERSHIP_FIELDS = {"user_id", "role", "public_metadata", "private_metadata"}


def authenticate(em: Emulator, request: web.Request) -> None:
    header = request.headers.get("Authorization")
    if not header:
        raise ClerkError("authentication_invalid")
    if not header.startswith("Bearer "):
        raise ClerkError("authorization_header_format_invalid")
    if not hmac.compare_digest(header[len("Bearer "):].strip().encode(), em.store.secret_key.encode()):
        raise ClerkError("clerk_key_invalid")


def body(ctx: Ctx, allowed: set[str]) -> dict[str, Any]:
    data = ctx.body
    if not isinstance(data, dict):
        raise ClerkError("request_body_invalid", long_suffix=" The body must be a JSON object.")
    for name in data:
        if name not in allowed:
            raise ClerkError("form_param_unknown", param=name)
    return data


def refuse_removed(em: Emulator, name: str, replacement: str) -> ClerkError:
    return ClerkError(em.config.removed_field_code, param=name,
                      long_suffix=f" Since Clerk API version 2026-05-12, metadata is no longer accepted here; "
                      f"use {replacement} instead.")


def _str(data: dict[str, Any], name: str, *, nullable: bool = True) -> str | None:
    value = data.get(name)
    if value is None and nullable:
        return None
    if not isinstance(value, str):
        raise ClerkError("form_param_value_invalid", param=name, long_suffix=". It must be a string.")
    return value


def _metadata_value(name: str, value: Any, *, allow_null: bool) -> Any:
    require_object(name, value, allow_null=allow_null)
    check_size(name, value)
    return value


def _membership_page(em: Emulator, ctx: Ctx, mems: list[dict[str, Any]]) -> dict[str, Any]:
    """One ``limit``/``offset`` page of memberships in BAPI's ``{data, total_count}`` shape."""
    limit, offset = _limit_offset(ctx)
    return {"data": [model.bapi_membership(em.store, m) for m in mems[offset:offset + limit]],
            "total_count": len(mems)}


def _limit_offset(ctx: Ctx) -> tuple[int, int]:
    try:
        limit = int(ctx.query.get("limit", "10"))
        offset = int(ctx.query.get("offset", "0"))
    except ValueError:
        raise ClerkError("form_param_format_invalid", param="limit") from None
    if not 1 <= limit <= 500 or offset < 0:
        raise ClerkError("form_param_value_invalid", param="limit",
                         long_suffix=". limit must be 1..500 and offset ≥ 0.")
    return limit, offset


# --- users ------------------------------------------------------------------------------------
@router.add(B, "POST", "/v1/users")
def create_user(em: Emulator, ctx: Ctx) -> Any:
    data = body(ctx, CREATE_USER_FIELDS)
    emails = data.get("email_address") or []
    phones = data.get("phone_number") or []
    if not isinstance(emails, list) or not all(isinstance(e, str) for e in emails):
        raise ClerkError("form_param_value_invalid", param="email_address", long_suffix=". Expected strings.")
    if not isinstance(phones, list) or not all(isinstance(p, str) for p in phones):
        raise ClerkError("form_param_value_invalid", param="phone_number", long_suffix=". Expected strings.")
    meta = {k: _metadata_value(k, data[k], allow_null=True) for k in USER_METADATA if k in data}
    password = _str(data, "password")
    if password is not None and data.get("skip_password_checks") and len(password) < model.MIN_PASSWORD:
        pass_hash: str | None = hash_password(password)
        password = None
    else:
        pass_hash = None
    user = model.new_user(
        em.store, emails=emails, phones=phones, password=password,
        username=_str(data, "username"), first_name=_str(data, "first_name"),
        last_name=_str(data, "last_name"), external_id=_str(data, "external_id"),
        public_metadata=meta.get("public_metadata"), private_metadata=meta.get("private_metadata"),
        unsafe_metadata=meta.get("unsafe_metadata"),
    )
    if pass_hash:
        user["password_hash"] = pass_hash
        model.save_user(em.store, user)
    return model.bapi_user(user)


@router.add(B, "GET", "/v1/users")
def list_users(em: Emulator, ctx: Ctx) -> Any:
    limit, offset = _limit_offset(ctx)
    clauses, args = [], []
    ids = ctx.query.getall("user_id", [])
    if ids:
        marks = ",".join("?" * len(ids))
        clauses.append(f"id IN ({marks})")
        args.extend(ids)
    emails = ctx.query.getall("email_address", [])
    if emails:
        marks = ",".join("?" * len(emails))
        clauses.append(f"id IN (SELECT user_id FROM identifiers WHERE value IN ({marks}))")
        args.extend(e.lower() for e in emails)
    order = ctx.query.get("order_by", "-created_at")
    direction = "ASC" if order.lstrip("+") == "created_at" else "DESC"
    where = " AND ".join(clauses) or "1"
    rows = em.store.where("users", f"{where} ORDER BY created_at {direction}, id {direction} LIMIT ? OFFSET ?",
                          (*args, limit, offset))
    return [model.bapi_user(u) for u in rows]


@router.add(B, "GET", "/v1/users/count")
def count_users(em: Emulator, ctx: Ctx) -> Any:
    return {"object": "total_count", "total_count": em.store.count_users()}


@router.add(B, "GET", "/v1/users/{user_id}")
def get_user(em: Emulator, ctx: Ctx) -> Any:
    return model.bapi_user(model.load_user(em.store, ctx.params["user_id"]))


@router.add(B, "PATCH", "/v1/users/{user_id}")
def update_user(em: Emulator, ctx: Ctx) -> Any:
    allowed = UPDATE_USER_FIELDS | set(USER_METADATA)
    data = body(ctx, allowed)
    user = model.load_user(em.store, ctx.params["user_id"])
    for name in USER_METADATA:
        if name in data:
            if ctx.metadata_removed:
                raise refuse_removed(em, name, f"PATCH or PUT /v1/users/{user['id']}/metadata")
            user[name] = _metadata_value(name, data[name], allow_null=False)  # old versions: full replace
    for name in ("first_name", "last_name", "external_id"):
        if name in data:
            user[name] = _str(data, name)
    if "username" in data:
        new = _str(data, "username")
        if new != user["username"]:
            if user["username"]:
                em.store.drop_identifier(user["username"])
            if new:
                model.claim_identifier(em.store, new, user["id"], "username", "username")
            user["username"] = new
    if data.get("password") is not None:
        password = _str(data, "password") or ""
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
    model.save_user(em.store, user)
    return model.bapi_user(user)


@router.add(B, "DELETE", "/v1/users/{user_id}")
def delete_user(em: Emulator, ctx: Ctx) -> Any:
    user = model.load_user(em.store, ctx.params["user_id"])
    for sess in em.store.where("sessions", "user_id=?", (user["id"],)):
        if sess["status"] == "active":
            model.end_session(em.store, sess, "revoked")
    em.store.drop_user(user["id"])
    return {"object": "user", "id": user["id"], "deleted": True}


@router.add(B, "PATCH", "/v1/users/{user_id}/metadata")
def merge_user_metadata(em: Emulator, ctx: Ctx) -> Any:
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
def replace_user_metadata(em: Emulator, ctx: Ctx) -> Any:
    data = body(ctx, set(USER_METADATA))
    user = model.load_user(em.store, ctx.params["user_id"])
    for name in USER_METADATA:
        if name in data:
            user[name] = _metadata_value(name, data[name], allow_null=True)
    model.save_user(em.store, user)
    return model.bapi_user(user)


@router.add(B, "GET", "/v1/users/{user_id}/organization_memberships")
def user_memberships(em: Emulator, ctx: Ctx) -> Any:
    user = model.load_user(em.store, ctx.params["user_id"])
    return _membership_page(em, ctx, model.memberships_of_user(em.store, user["id"]))


# --- organizations ----------------------------------------------------------------------------
@router.add(B, "POST", "/v1/organizations")
def create_org(em: Emulator, ctx: Ctx) -> Any:
    data = body(ctx, CREATE_ORG_FIELDS)
    name = _str(data, "name", nullable=False) or ""
    if not name.strip():
        raise ClerkError("form_param_missing", param="name")
    meta = {k: _metadata_value(k, data[k], allow_null=True) for k in ORG_METADATA if k in data}
    ts = now_ms()
    org: dict[str, Any] = {
        "id": new_id("org"), "name": name, "slug": "", "created_at": ts, "updated_at": ts,
        "public_metadata": meta.get("public_metadata") if "public_metadata" in meta else {},
        "private_metadata": meta.get("private_metadata") if "private_metadata" in meta else {},
        "max_allowed_memberships": int(data.get("max_allowed_memberships") or 0),
        "created_by": _str(data, "created_by"),
    }
    slug = _str(data, "slug") or _slugify(name) + "-" + org["id"][-6:].lower()
    set_slug(em, org, slug)
    em.store.put_org(org)
    creator = org["created_by"]
    if creator:
        model.load_user(em.store, creator)
        _add_member(em, org, creator, "org:admin", {}, {})
    return model.bapi_org(em.store, org)


def _slugify(name: str) -> str:
    out = "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-")
    return out or "org"


def _add_member(em: Emulator, org: dict[str, Any], user_id: str, role: str, public: Any,
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
def list_orgs(em: Emulator, ctx: Ctx) -> Any:
    limit, offset = _limit_offset(ctx)
    orgs = em.store.where("organizations", "1 ORDER BY created_at DESC, id DESC")
    return {"data": [model.bapi_org(em.store, o) for o in orgs[offset:offset + limit]], "total_count": len(orgs)}


@router.add(B, "GET", "/v1/organizations/{org_id}")
def get_org(em: Emulator, ctx: Ctx) -> Any:
    return model.bapi_org(em.store, model.load_org(em.store, ctx.params["org_id"]))


@router.add(B, "PATCH", "/v1/organizations/{org_id}")
def update_org(em: Emulator, ctx: Ctx) -> Any:
    data = body(ctx, UPDATE_ORG_FIELDS | set(ORG_METADATA))
    org = model.load_org(em.store, ctx.params["org_id"])
    for name in ORG_METADATA:
        if name in data:
            if ctx.metadata_removed:
                raise refuse_removed(em, name, f"PATCH or PUT /v1/organizations/{org['id']}/metadata")
            org[name] = _metadata_value(name, data[name], allow_null=False)
    if "name" in data:
        name = _str(data, "name", nullable=False) or ""
        if not name.strip():
            raise ClerkError("form_param_value_invalid", param="name")
        org["name"] = name
    if data.get("slug") is not None:
        set_slug(em, org, _str(data, "slug") or "")
    if data.get("max_allowed_memberships") is not None:
        org["max_allowed_memberships"] = int(data["max_allowed_memberships"])
    touch(org)
    em.store.put_org(org)
    return model.bapi_org(em.store, org)


@router.add(B, "DELETE", "/v1/organizations/{org_id}")
def delete_org(em: Emulator, ctx: Ctx) -> Any:
    org = model.load_org(em.store, ctx.params["org_id"])
    em.store.drop_org(org["id"])
    return {"object": "organization", "id": org["id"], "slug": org["slug"], "deleted": True}


@router.add(B, "PATCH", "/v1/organizations/{org_id}/metadata")
def merge_org_metadata(em: Emulator, ctx: Ctx) -> Any:
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
def replace_org_metadata(em: Emulator, ctx: Ctx) -> Any:
    data = body(ctx, set(ORG_METADATA))
    org = model.load_org(em.store, ctx.params["org_id"])
    for name in ORG_METADATA:
        if name in data:
            org[name] = _metadata_value(name, data[name], allow_null=True)
    touch(org)
    em.store.put_org(org)
    return model.bapi_org(em.store, org)


@router.add(B, "POST", "/v1/organizations/{org_id}/memberships")
def create_membership(em: Emulator, ctx: Ctx) -> Any:
    data = body(ctx, CREATE_MEMBERSHIP_FIELDS)
    org = model.load_org(em.store, ctx.params["org_id"])
    user_id = _str(data, "user_id", nullable=False) or ""
    role = _str(data, "role", nullable=False) or ""
    if role not in model.ROLE_PERMISSIONS:
        raise ClerkError("form_param_value_invalid", param="role",
                         long_suffix=f". Known roles: {', '.join(model.ROLE_PERMISSIONS)}.")
    model.load_user(em.store, user_id)
    meta = {k: _metadata_value(k, data[k], allow_null=True) for k in ORG_METADATA if k in data}
    mem = _add_member(em, org, user_id, role, meta.get("public_metadata"), meta.get("private_metadata"))
    return model.bapi_membership(em.store, mem)


@router.add(B, "GET", "/v1/organizations/{org_id}/memberships")
def list_memberships(em: Emulator, ctx: Ctx) -> Any:
    org = model.load_org(em.store, ctx.params["org_id"])
    return _membership_page(em, ctx, model.memberships_of_org(em.store, org["id"]))


# --- sessions and keys ------------------------------------------------------------------------
@router.add(B, "GET", "/v1/sessions")
def list_sessions(em: Emulator, ctx: Ctx) -> Any:
    limit, offset = _limit_offset(ctx)
    clauses, args = [], []
    for name in ("user_id", "client_id"):
        if ctx.query.get(name):
            clauses.append(f"{name}=?")
            args.append(ctx.query[name])
    if not clauses:
        raise ClerkError("form_param_missing", param="user_id",
                         long_suffix=" Give user_id or client_id.")
    rows = em.store.where("sessions", " AND ".join(clauses) + " ORDER BY created_at DESC, id DESC", tuple(args))
    status = ctx.query.get("status")
    if status:
        rows = [s for s in rows if s["status"] == status]
    page = [model.bapi_session(s) for s in rows[offset:offset + limit]]
    if ctx.query.get("paginated") == "true":
        return {"data": page, "total_count": len(rows)}
    return page


@router.add(B, "POST", "/v1/sessions")
def create_session(em: Emulator, ctx: Ctx) -> Any:
    """Testing helper of BAPI: a new client with one active session for ``user_id``."""
    data = body(ctx, {"user_id", "active_organization_id"})
    user = model.load_user(em.store, _str(data, "user_id", nullable=False) or "")
    client = model.new_client(em.store)
    sess = model.create_session(em.store, client, user, "ticket")
    org_ref = _str(data, "active_organization_id")
    if org_ref:
        org = model.load_org(em.store, org_ref)
        if not em.store.where("memberships", "org_id=? AND user_id=?", (org["id"], user["id"])):
            raise ClerkError("resource_not_found", "organization")
        sess["last_active_organization_id"] = org["id"]
        em.store.put_session(sess)
    return model.bapi_session(sess)


@router.add(B, "POST", "/v1/sessions/{session_id}/tokens")
def create_session_token(em: Emulator, ctx: Ctx) -> Any:
    from .fapi import mint_token

    body(ctx, {"expires_in_seconds"})
    sess = em.store.get("sessions", ctx.params["session_id"])
    if sess is None:
        raise ClerkError("resource_not_found", "session", fill={"sessionID": ctx.params["session_id"]})
    if sess["status"] != "active":
        raise ClerkError("signed_out")
    return {"object": "token", "jwt": mint_token(em, sess, None, None)}


@router.add(B, "GET", "/v1/sessions/{session_id}")
def get_session(em: Emulator, ctx: Ctx) -> Any:
    sess = em.store.get("sessions", ctx.params["session_id"])
    if sess is None:
        raise ClerkError("resource_not_found", "session", fill={"sessionID": ctx.params["session_id"]})
    return model.bapi_session(sess)


@router.add(B, "POST", "/v1/sessions/{session_id}/revoke")
def revoke_session(em: Emulator, ctx: Ctx) -> Any:
    sess = em.store.get("sessions", ctx.params["session_id"])
    if sess is None:
        raise ClerkError("resource_not_found", "session", fill={"sessionID": ctx.params["session_id"]})
    if sess["status"] == "active":
        model.end_session(em.store, sess, "revoked")
    return model.bapi_session(sess)


@router.add(B, "GET", "/v1/jwks")
def jwks(em: Emulator, ctx: Ctx) -> Any:
    return {"keys": [em.store.jwk]}
