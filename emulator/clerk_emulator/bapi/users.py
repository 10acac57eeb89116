"""Users on the Backend API: create, list, update, delete, metadata merge/replace, memberships; imported credentials
(``password_digest`` + ``password_hasher``, ``totp_secret``, ``backup_codes``) on create and update.

Profile switches the Frontend API honours: ``delete_self_enabled`` (``DELETE /v1/me``), ``create_organization_enabled``
and ``create_organizations_limit`` (0 or null: no limit), ``bypass_client_trust``; ``locale``, ``legal_accepted_at``
and ``created_at`` (RFC3339, shown as Unix milliseconds). A new user needs a password while the instance requires
one, unless ``skip_password_requirement`` (refused when a password is the only way to sign in). Web3 wallets are
refused: the local instance keeps none."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from .. import mfa, model, password_digests
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
    strings_field,
    timestamp_field,
)

if TYPE_CHECKING:
    from ..context import Instance


def _imported_password(data: dict[str, Any]) -> str | None:
    """The ``password_hash`` given by ``password_digest`` + ``password_hasher`` (None when neither is there): both
    or neither, not beside ``password``, a hasher Clerk names and the local instance can check, a digest of that
    hasher's form. Each refusal is a 422 naming the parameter."""
    digest, hasher = str_field(data, "password_digest"), str_field(data, "password_hasher")
    if digest is None and hasher is None:
        return None
    if digest is None or hasher is None:
        given, missing = ("password_hasher", "password_digest") if digest is None else \
            ("password_digest", "password_hasher")
        raise ClerkError("form_conditional_param_missing", "existence", param=missing,
                         fill={"missingParam": missing, "conditionalParam": given})
    if data.get("password") is not None:
        raise ClerkError("form_conditional_param_disallowed", param="password_digest",
                         fill={"notAllowedParam": "password_digest", "existingParam": "password"})
    if hasher not in password_digests.HASHERS:
        raise ClerkError("form_param_value_invalid", "allowed", param="password_hasher",
                         fill={"value": hasher, "allowedValues": ", ".join(password_digests.HASHERS)})
    if hasher in password_digests.NOT_CHECKED_HERE:
        raise ClerkError("form_param_value_invalid", param="password_hasher",
                         long_suffix=f" The local instance cannot check {hasher} digests: "
                         f"{password_digests.NOT_CHECKED_HERE[hasher]}.")
    try:
        return password_digests.stored_value(hasher, digest)
    except password_digests.DigestInvalid as exc:
        raise ClerkError("form_password_digest_invalid_code", param="password_digest", fill={"hasher": hasher},
                         long_suffix=f": {exc}.") from None


def _imported_factors(em: Instance, data: dict[str, Any]) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """``(totp, backup_codes)`` as stored from ``totp_secret`` and ``backup_codes`` (None when not given); each
    needs its factor on in the instance settings (else 403 ``feature_not_enabled`` naming the parameter)."""
    secret = str_field(data, "totp_secret")
    totp = codes = None
    if secret is not None:
        if not em.settings.second_factor_enabled("authenticator_app"):
            raise ClerkError("feature_not_enabled", param="totp_secret",
                             long_suffix=" (authenticator_app is off in the instance settings)")
        totp = mfa.imported_totp(secret)
    if data.get("backup_codes") is not None:
        if not em.settings.second_factor_enabled("backup_code"):
            raise ClerkError("feature_not_enabled", param="backup_codes",
                             long_suffix=" (backup_code is off in the instance settings)")
        codes = mfa.imported_backup_codes(data["backup_codes"])
    return totp, codes


def _apply_factors(user: dict[str, Any], totp: dict[str, Any] | None, codes: dict[str, Any] | None) -> None:
    """Give the user the imported TOTP (replacing any) and backup codes; codes need a second factor beside them
    (400 ``backup_codes_not_available``, as on the Frontend API)."""
    if totp is not None:
        user["totp"] = totp
        mfa.sync_mfa_flags(user)
    if codes is not None:
        if not mfa.two_factor_enabled(user):
            raise ClerkError("backup_codes_not_available", param="backup_codes")
        user["backup_codes"] = codes


# A BCP 47 language tag as Clerk's locales are written ("en-US", "fr-FR", "es").
_LOCALE_RE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


def _profile(data: dict[str, Any]) -> dict[str, Any]:
    """The stored fields given by the body's profile switches, each checked (422 naming the parameter): booleans
    (null leaves them as they are), ``create_organizations_limit``, ``locale`` and ``legal_accepted_at`` (null
    clears them), ``created_at``."""
    out: dict[str, Any] = {}
    for name in ("delete_self_enabled", "create_organization_enabled", "bypass_client_trust"):
        flag = bool_field(data, name)
        if flag is not None:
            out[name] = flag
    for name in ("skip_legal_checks", "skip_password_requirement", "skip_password_checks", "skip_user_requirement",
                 "notify_primary_email_address_changed"):
        bool_field(data, name)  # switches of the request itself: only their type is checked here
    if "create_organizations_limit" in data:
        limit = data["create_organizations_limit"]
        if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool) or limit < 0):
            raise ClerkError("form_param_value_invalid", param="create_organizations_limit",
                             long_suffix=". It must be a whole number ≥ 0 (0 or null: no limit).")
        out["create_organizations_limit"] = limit
    if "locale" in data:
        locale = str_field(data, "locale")
        if locale is not None and not _LOCALE_RE.match(locale):
            raise ClerkError("form_param_format_invalid", param="locale",
                             long_suffix=" It must be a language tag such as en-US or fr-FR.")
        out["locale"] = locale
    if "legal_accepted_at" in data:
        out["legal_accepted_at"] = timestamp_field(data, "legal_accepted_at")
    created = timestamp_field(data, "created_at")
    if created is not None:
        out["created_at"] = created
    return out


def _refuse_web3(em: Instance, data: dict[str, Any]) -> None:
    """Web3 wallets: the local instance keeps none, so a given wallet is refused (403 naming the parameter) rather
    than dropped; an empty list or null is nothing to add."""
    wallets = strings_field(data, "web3_wallet")
    primary = str_field(data, "primary_web3_wallet_id")
    for name, given in (("web3_wallet", wallets), ("primary_web3_wallet_id", primary)):
        if given:
            state = "on" if em.settings.enabled("web3_wallet") else "off"
            raise ClerkError("feature_not_enabled", param=name,
                             long_suffix=f" The local instance keeps no Web3 wallets (web3_wallet is {state} in "
                             "the instance settings).")


def _other_first_factor(em: Instance) -> bool:
    """Whether a user without a password can sign in some other way (codes, links, passkeys, social, SSO)."""
    settings = em.settings
    return (any(settings.enabled(a) and settings.attribute(a).get("first_factors")
                for a in ("email_address", "phone_number", "passkey"))
            or bool(settings.social()) or bool(settings.connections()))


def _require_password(em: Instance, data: dict[str, Any], has_password: bool) -> None:
    """A new user needs a password while the instance requires one (422 ``form_param_missing``), unless
    ``skip_password_requirement``, which is refused when a password is the only way to sign in."""
    password = em.settings.attribute("password")
    if has_password or not (password.get("enabled") and password.get("required")):
        return
    if not bool_field(data, "skip_password_requirement"):
        raise ClerkError("form_param_missing", param="password",
                         long_suffix=" The instance requires a password; send skip_password_requirement: true to "
                         "create the user without one.")
    if not _other_first_factor(em):
        raise ClerkError("form_param_value_invalid", param="skip_password_requirement",
                         long_suffix=". A password is the only way to sign in to this instance.")


@router.add(B, "POST", "/v1/users")
def create_user(em: Instance, ctx: Ctx) -> Any:
    data = body(ctx, CREATE_USER_FIELDS)
    imported_hash = _imported_password(data)  # every imported credential is checked before anything is written
    totp, codes = _imported_factors(em, data)
    if codes is not None and totp is None:
        raise ClerkError("backup_codes_not_available", param="backup_codes")
    emails = strings_field(data, "email_address")
    phones = strings_field(data, "phone_number")
    meta = {k: metadata_value(k, data[k], allow_null=True) for k in USER_METADATA if k in data}
    profile = _profile(data)
    _refuse_web3(em, data)
    banned, locked = bool_field(data, "banned"), bool_field(data, "locked")
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
    )  # a refusal below rolls the whole request back: nothing of it is kept
    if pass_hash or imported_hash:
        user["password_hash"] = pass_hash or imported_hash
        user["password_last_updated_at"] = user["created_at"]
    _apply_factors(user, totp, codes)
    user.update(profile)  # an imported created_at replaces the time of this request
    user["banned"] = bool(banned)  # created banned: cannot sign in
    if locked:
        mfa.lock(em, user)
    _require_password(em, data, bool(user["password_hash"]))
    em.store.put_user(user)  # not save_user: updated_at stays the creation time
    return model.bapi_user(user)


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
    imported_hash = _imported_password(data)
    totp, codes = _imported_factors(em, data)
    profile = _profile(data)
    _refuse_web3(em, data)
    sign_out = bool_field(data, "sign_out_of_other_sessions")
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
        user.pop("password_compromised_at", None)
    if imported_hash is not None:
        user["password_hash"] = imported_hash
        user["password_last_updated_at"] = now_ms()
        user.pop("password_compromised_at", None)
    _apply_factors(user, totp, codes)
    for key, kind in (("primary_email_address_id", "email_addresses"),
                      ("primary_phone_number_id", "phone_numbers")):
        if data.get(key) is not None:
            if not any(i["id"] == data[key] for i in user[kind]):
                raise ClerkError("form_param_value_invalid", param=key)
            user[key] = data[key]
    user.update(profile)
    model.save_user(em.store, user)
    if sign_out and (data.get("password") is not None or imported_hash is not None):
        model.revoke_sessions(em.store, user["id"])  # every session: the Backend API caller has none of its own
    return model.bapi_user(user)


@router.add(B, "DELETE", "/v1/users/{user_id}")
def delete_user(em: Instance, ctx: Ctx) -> Any:
    user = model.load_user(em.store, ctx.params["user_id"])
    model.revoke_sessions(em.store, user["id"])
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
