"""Sign-up attempts: ``/v1/client/sign_ups``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import model
from ..crypto import hash_password
from ..errors import ClerkError
from ..http import Ctx
from ..metadata import check_size, parse_json_field, require_object
from ..store import new_id, now_ms
from .common import (
    F,
    attach_attempt,
    ensure_client,
    envelope,
    required,
    router,
)

if TYPE_CHECKING:
    from ..context import Instance


SIGN_UP_PROFILE = ("email_address", "password", "first_name", "last_name", "username", "unsafe_metadata")


def _apply_sign_up_fields(em: Instance, ctx: Ctx, su: dict[str, Any]) -> None:
    email = ctx.field("email_address")
    if email is not None:
        if not model.EMAIL_RE.match(email):
            raise ClerkError("form_param_format_invalid", "email", param="email_address",
                             fill={"parameter": "email_address"})
        if em.store.identifier_owner(email) is not None:
            raise ClerkError("form_identifier_exists", param="email_address", fill={"param": "email address"})
        su["email_address"] = email
        su["email_verification"] = None
    password = ctx.field("password")
    if password is not None:
        if len(password) < model.MIN_PASSWORD:
            raise ClerkError("form_password_length_too_short", param="password")
        su["password_hash"] = hash_password(password)
    for name in ("first_name", "last_name"):
        if ctx.has(name):
            su[name] = ctx.field(name) or None
    username = ctx.field("username")
    if username:
        if em.store.identifier_owner(username) is not None:
            raise ClerkError("form_identifier_exists", param="username", fill={"param": "username"})
        su["username"] = username
    raw = ctx.field("unsafe_metadata")
    if raw is not None:
        value = parse_json_field("unsafe_metadata", raw)
        require_object("unsafe_metadata", value)
        check_size("unsafe_metadata", value)
        su["unsafe_metadata"] = value
    for name in ("public_metadata", "private_metadata"):
        if ctx.has(name):
            raise ClerkError("form_param_unknown", param=name)
    su["missing_fields"] = [f for f in ("email_address", "password")
                            if not su.get(f if f != "password" else "password_hash")]
    verified = (su.get("email_verification") or {}).get("status") == "verified"
    su["unverified_fields"] = ["email_address"] if su.get("email_address") and not verified else []


def _load_sign_up(em: Instance, ctx: Ctx) -> dict[str, Any]:
    su = em.store.get("sign_ups", ctx.params["id"])
    if ctx.client is None or su is None or su["client_id"] != ctx.client["id"]:
        raise ClerkError("resource_not_found", "sign_up", fill={"id": ctx.params["id"]})
    return su


def _save_sign_up(em: Instance, su: dict[str, Any]) -> None:
    attach_attempt(em, "sign_up", su)


@router.add(F, "POST", "/v1/client/sign_ups")
def create_sign_up(em: Instance, ctx: Ctx) -> Any:
    client = ensure_client(em, ctx)
    su: dict[str, Any] = {
        "id": new_id("sua"), "client_id": client["id"], "status": "missing_requirements",
        "email_address": None, "email_verification": None, "password_hash": None, "first_name": None,
        "last_name": None, "username": None, "unsafe_metadata": {}, "created_session_id": None,
        "created_user_id": None, "abandon_at": now_ms() + 24 * 3600 * 1000,
    }
    _apply_sign_up_fields(em, ctx, su)
    if ctx.field("strategy") == "email_code" and su["email_address"]:
        su["email_verification"] = model.verification("unverified", "email_code", attempts=0)
    _save_sign_up(em, su)
    return envelope(em, ctx, model.fapi_sign_up(su))


@router.add(F, "GET", "/v1/client/sign_ups/{id}")
def get_sign_up(em: Instance, ctx: Ctx) -> Any:
    return envelope(em, ctx, model.fapi_sign_up(_load_sign_up(em, ctx)))


@router.add(F, "PATCH", "/v1/client/sign_ups/{id}")
def update_sign_up(em: Instance, ctx: Ctx) -> Any:
    su = _load_sign_up(em, ctx)
    _apply_sign_up_fields(em, ctx, su)
    _save_sign_up(em, su)
    return envelope(em, ctx, model.fapi_sign_up(su))


@router.add(F, "POST", "/v1/client/sign_ups/{id}/prepare_verification")
def prepare_sign_up(em: Instance, ctx: Ctx) -> Any:
    su = _load_sign_up(em, ctx)
    if required(ctx, "strategy") != "email_code":
        raise ClerkError("form_param_value_invalid", param="strategy")
    if not su["email_address"]:
        raise ClerkError("form_param_missing", param="email_address")
    su["email_verification"] = model.verification("unverified", "email_code", attempts=0)
    _save_sign_up(em, su)
    return envelope(em, ctx, model.fapi_sign_up(su))


@router.add(F, "POST", "/v1/client/sign_ups/{id}/attempt_verification")
def attempt_sign_up(em: Instance, ctx: Ctx) -> Any:
    su = _load_sign_up(em, ctx)
    if su["status"] == "complete":
        raise ClerkError("session_exists")
    ver = su.get("email_verification")
    if ver is None:
        raise ClerkError("form_param_value_invalid", param="strategy",
                         long_suffix=". Prepare the email_code verification first.")
    code = required(ctx, "code")
    ver["attempts"] = (ver.get("attempts") or 0) + 1
    if code != model.TEST_CODE:
        _save_sign_up(em, su)
        raise ClerkError("form_code_incorrect", param="code")
    ver["status"] = "verified"
    su["unverified_fields"] = []
    if su["missing_fields"]:
        _save_sign_up(em, su)
        return envelope(em, ctx, model.fapi_sign_up(su))
    user = model.new_user(
        em.store, emails=[], username=su["username"], first_name=su["first_name"], last_name=su["last_name"],
        unsafe_metadata=su["unsafe_metadata"],
    )
    user["password_hash"] = su["password_hash"]
    user["password_last_updated_at"] = now_ms()
    model.add_email(em.store, user, su["email_address"], verified=True, strategy="email_code")
    model.save_user(em.store, user)
    client = em.store.get("clients", su["client_id"])
    assert client is not None
    sess = model.create_session(em.store, client, user, "email_code")
    su.update(status="complete", created_user_id=user["id"], created_session_id=sess["id"])
    _save_sign_up(em, su)
    return envelope(em, ctx, model.fapi_sign_up(su))
