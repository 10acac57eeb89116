"""The signed-in user: ``/v1/me``, its metadata, password, sessions (with their activities) and profile image.

Changing the username, the primary identifiers or the password, revoking a session and deleting the account are
sensitive actions (``reverification.require_recent``)."""

from __future__ import annotations

import base64
import binascii
import email
import email.policy
from typing import TYPE_CHECKING, Any

from .. import client_json, model, passwords
from ..crypto import check_password, hash_password
from ..errors import ClerkError
from ..http import Ctx
from ..metadata import check_size, deep_merge, parse_json_field, require_object
from ..store import new_id, now_ms
from .common import (
    F,
    current,
    envelope,
    me_envelope,
    only_fields,
    required,
    router,
)
from .reverification import require_recent

if TYPE_CHECKING:
    from ..context import Instance

# Fields of PATCH /v1/me (2026-05-12 spec).
ME_FIELDS = {"username", "first_name", "last_name", "primary_email_address_id", "primary_phone_number_id",
             "primary_web3_wallet_id"}
METADATA_FIELDS = ("unsafe_metadata", "public_metadata", "private_metadata")


@router.add(F, "GET", "/v1/me")
def get_me(em: Instance, ctx: Ctx) -> Any:
    _sess, user = current(em, ctx)
    return me_envelope(em, ctx, user)


def refuse_removed_field(em: Instance, name: str, replacement: str) -> ClerkError:
    code = em.config.removed_field_code
    suffix = (f" Since Clerk API version 2026-05-12, metadata is no longer accepted here; use "
              f"{replacement} instead.")
    return ClerkError(code, param=name, long_suffix=suffix)


@router.add(F, "PATCH", "/v1/me")
def patch_me(em: Instance, ctx: Ctx) -> Any:
    sess, user = current(em, ctx)
    for name in ctx.form:
        if name in METADATA_FIELDS:
            if ctx.metadata_removed:
                raise refuse_removed_field(em, name, "PATCH /v1/me/metadata")
            if name != "unsafe_metadata":
                raise ClerkError("form_param_unknown", param=name)
        elif name not in ME_FIELDS:
            raise ClerkError("form_param_unknown", param=name)
    if any(ctx.has(name) for name in ("username", "primary_email_address_id", "primary_phone_number_id")):
        require_recent(em, sess, user)
    if ctx.has("unsafe_metadata"):  # versions before 2026-05-12: full replace
        value = parse_json_field("unsafe_metadata", ctx.field("unsafe_metadata") or "")
        require_object("unsafe_metadata", value)
        check_size("unsafe_metadata", value)
        user["unsafe_metadata"] = value
    for name in ("first_name", "last_name"):
        if ctx.has(name):
            user[name] = ctx.field(name) or None
    if ctx.has("username"):
        new = ctx.field("username") or None
        if new != user["username"]:
            if user["username"]:
                em.store.drop_identifier(user["username"])
            if new:
                model.claim_identifier(em.store, new, user["id"], "username", "username")
            user["username"] = new
    if ctx.has("primary_email_address_id"):
        ref = ctx.field("primary_email_address_id")
        item = next((e for e in user["email_addresses"] if e["id"] == ref), None)
        if item is None or (item["verification"] or {}).get("status") != "verified":
            raise ClerkError("form_param_value_invalid", param="primary_email_address_id")
        user["primary_email_address_id"] = ref
    if ctx.has("primary_phone_number_id"):
        ref = ctx.field("primary_phone_number_id")
        item = next((p for p in user["phone_numbers"] if p["id"] == ref), None)
        if item is None or (item["verification"] or {}).get("status") != "verified":
            raise ClerkError("form_param_value_invalid", param="primary_phone_number_id")
        user["primary_phone_number_id"] = ref
    if ctx.field("primary_web3_wallet_id"):
        raise ClerkError("form_param_value_invalid", param="primary_web3_wallet_id")
    model.save_user(em.store, user)
    return me_envelope(em, ctx, user)


@router.add(F, "DELETE", "/v1/me")
def delete_me(em: Instance, ctx: Ctx) -> Any:
    """Only while the user's ``delete_self_enabled`` (BAPI sets it) is on, else 403 ``user_delete_self_not_enabled``."""
    sess, user = current(em, ctx)
    if not user.get("delete_self_enabled", True):
        raise ClerkError("user_delete_self_not_enabled")
    require_recent(em, sess, user)
    for sess in em.store.where("sessions", "user_id=?", (user["id"],)):
        if sess["status"] == "active":
            model.end_session(em.store, sess, "removed")
    em.store.drop_user(user["id"])
    return envelope(em, ctx, {"object": "user", "id": user["id"], "deleted": True})


@router.add(F, "PATCH", "/v1/me/metadata")
def patch_me_metadata(em: Instance, ctx: Ctx) -> Any:
    _sess, user = current(em, ctx)
    for name in ctx.form:
        if name != "unsafe_metadata":
            raise ClerkError("form_param_unknown", param=name)
    raw = ctx.field("unsafe_metadata")
    if raw is None:
        raise ClerkError("form_param_missing", param="unsafe_metadata")
    patch = parse_json_field("unsafe_metadata", raw)
    require_object("unsafe_metadata", patch)
    merged = deep_merge(user["unsafe_metadata"], patch)
    check_size("unsafe_metadata", merged)
    user["unsafe_metadata"] = merged
    model.save_user(em.store, user)
    return me_envelope(em, ctx, user)


def _check_current_password(em: Instance, ctx: Ctx, user: dict[str, Any]) -> None:
    """The current password proves the caller, unless the instance protects these routes with reverification
    (then the recent factor already did, and clerk-js's forms leave the field out) or the password is marked
    compromised (clerk-js's reset-password task sends only the new one); one that is given is checked."""
    given = ctx.field("current_password")
    if not user["password_hash"] or (given is None and (em.settings.current["reverification"]["enabled"]
                                                        or user.get("password_compromised_at") is not None)):
        return
    if not check_password(given or "", user["password_hash"]):
        raise ClerkError("form_password_incorrect", param="current_password")


@router.add(F, "POST", "/v1/me/change_password")
def change_password(em: Instance, ctx: Ctx) -> Any:
    sess, user = current(em, ctx)
    only_fields(ctx, {"new_password", "current_password", "sign_out_of_other_sessions"})
    new = required(ctx, "new_password")
    require_recent(em, sess, user)
    _check_current_password(em, ctx, user)
    passwords.check(em, new, "new_password")
    user["password_hash"] = hash_password(new)
    user["password_last_updated_at"] = now_ms()
    user.pop("password_compromised_at", None)  # a new password ends the reset-password task
    model.save_user(em.store, user)
    if ctx.field("sign_out_of_other_sessions") == "true":
        model.revoke_sessions(em.store, user["id"], keep=sess["id"])
    return me_envelope(em, ctx, user)


@router.add(F, "POST", "/v1/me/remove_password")
def remove_password(em: Instance, ctx: Ctx) -> Any:
    sess, user = current(em, ctx)
    only_fields(ctx, {"current_password"})
    require_recent(em, sess, user)
    _check_current_password(em, ctx, user)
    user["password_hash"] = None
    user["password_last_updated_at"] = None
    user.pop("password_compromised_at", None)
    model.save_user(em.store, user)
    return me_envelope(em, ctx, user)


@router.add(F, "GET", "/v1/me/sessions/active")
def active_sessions(em: Instance, ctx: Ctx) -> Any:
    """Every active session of the user, on any device, with its ``latest_activity``: a bare array."""
    _sess, user = current(em, ctx)
    sessions = em.store.where("sessions", "user_id=? ORDER BY created_at, id", (user["id"],))
    return [model.fapi_active_session(s) for s in sessions if model.is_active(em.store, s)]


@router.add(F, "POST", "/v1/me/sessions/{session_id}/revoke")
def revoke_session(em: Instance, ctx: Ctx) -> Any:
    """Revoke one of the user's sessions (this one or another device's); answers it with status ``revoked``."""
    sess, user = current(em, ctx)
    target = em.store.get("sessions", ctx.params["session_id"])
    if target is None or target["user_id"] != user["id"]:
        raise ClerkError("resource_not_found", "session", fill={"sessionID": ctx.params["session_id"]})
    require_recent(em, sess, user)
    if model.is_active(em.store, target):
        model.end_session(em.store, target, "revoked")
    return envelope(em, ctx, client_json.fapi_session(em, target, ctx.request.headers.get("Origin")))


IMAGE_TYPES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg", b"GIF87a": "image/gif",
               b"GIF89a": "image/gif"}


def _sniff_image(data: bytes) -> str | None:
    for magic, ctype in IMAGE_TYPES.items():
        if data.startswith(magic):
            return ctype
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def _upload(ctx: Ctx) -> tuple[str, bytes]:
    """(file name, bytes) from a multipart ``file`` field or an octet-stream body (raw or base64)."""
    ctype = ctx.content_type.split(";")[0].strip().lower()
    if ctype == "multipart/form-data":
        message = email.message_from_bytes(
            b"Content-Type: " + ctx.content_type.encode() + b"\r\n\r\n" + ctx.raw, policy=email.policy.HTTP)
        for part in message.iter_parts():
            if part.get_param("name", header="content-disposition") == "file":
                payload = part.get_payload(decode=True)
                name = part.get_filename() or "profile"
                return name, payload if isinstance(payload, bytes) else b""
        return "", b""
    if ctype == "application/octet-stream":
        data = ctx.raw
        text = data.strip()
        if text.startswith(b"data:") and b"," in text:
            text = text.split(b",", 1)[1]
        try:
            decoded = base64.b64decode(text, validate=True)
        except (ValueError, binascii.Error):
            decoded = b""
        return "profile", decoded if decoded and _sniff_image(decoded) else data
    return "", b""


@router.add(F, "POST", "/v1/me/profile_image")
def set_profile_image(em: Instance, ctx: Ctx) -> Any:
    _sess, user = current(em, ctx)
    name, data = _upload(ctx)
    if not data:
        raise ClerkError("form_param_missing", "image")
    kind = _sniff_image(data)
    if kind is None:
        raise ClerkError("request_body_invalid", "image_type", fill={"imageType": "unknown"})
    em.store.drop_images(user["id"])
    image_id = new_id("img")
    em.store.put_image(image_id, user["id"], name, kind, data)
    user["image_id"] = image_id
    model.save_user(em.store, user)
    url, _has = model.user_image(user)
    return envelope(em, ctx, {"object": "image", "id": image_id, "name": name, "public_url": url})


@router.add(F, "DELETE", "/v1/me/profile_image")
def delete_profile_image(em: Instance, ctx: Ctx) -> Any:
    _sess, user = current(em, ctx)
    image_id = user.get("image_id")
    if not image_id:
        raise ClerkError("resource_not_found", long_suffix=" The user has no profile image.")
    em.store.drop_images(user["id"])
    user["image_id"] = None
    model.save_user(em.store, user)
    return envelope(em, ctx, {"object": "image", "id": image_id, "deleted": True})
