"""Sign-in attempts: ``/v1/client/sign_ins``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import model
from ..crypto import check_password
from ..errors import ClerkError
from ..http import Ctx
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


def _load_sign_in(em: Instance, ctx: Ctx) -> dict[str, Any]:
    si = em.store.get("sign_ins", ctx.params["id"])
    if ctx.client is None or si is None or si["client_id"] != ctx.client["id"]:
        raise ClerkError("resource_not_found", "sign_in", fill={"signInID": ctx.params["id"]})
    return si


def _complete_sign_in(em: Instance, ctx: Ctx, si: dict[str, Any], user: dict[str, Any], strategy: str) -> None:
    client = em.store.get("clients", ctx.client["id"]) if ctx.client else None
    assert client is not None
    sess = model.create_session(em.store, client, user, strategy)
    si["status"] = "complete"
    si["created_session_id"] = sess["id"]
    em.store.put_doc("sign_ins", si)


def _save_sign_in_on_client(em: Instance, ctx: Ctx, si: dict[str, Any]) -> None:
    attach_attempt(em, "sign_in", si)


@router.add(F, "POST", "/v1/client/sign_ins")
def create_sign_in(em: Instance, ctx: Ctx) -> Any:
    client = ensure_client(em, ctx)
    identifier = required(ctx, "identifier") if ctx.field("strategy") != "ticket" else ctx.field("identifier")
    user_id = em.store.identifier_owner(identifier or "")
    if user_id is None:
        raise ClerkError("form_identifier_not_found", param="identifier")
    user = model.load_user(em.store, user_id)
    ts = now_ms()
    si: dict[str, Any] = {
        "id": new_id("sia"), "client_id": client["id"], "status": "needs_first_factor",
        "identifier": identifier, "user_id": user_id, "created_session_id": None,
        "first_factor_verification": None, "abandon_at": ts + 24 * 3600 * 1000,
    }
    _save_sign_in_on_client(em, ctx, si)
    password = ctx.field("password")
    strategy = ctx.field("strategy")
    if password is not None and strategy in (None, "", "password"):
        _attempt_password(em, ctx, si, user, password)
    elif strategy == "email_code":
        _prepare_email_code(si, user, ctx.field("email_address_id"))
        _save_sign_in_on_client(em, ctx, si)
    return envelope(em, ctx, model.fapi_sign_in(em.store, si))


def _attempt_password(em: Instance, ctx: Ctx, si: dict[str, Any], user: dict[str, Any], password: str) -> None:
    if not check_password(password, user["password_hash"]):
        si["first_factor_verification"] = {"object": "verification_password", "status": "unverified",
                                           "strategy": "password", "attempts": 1, "expire_at": None}
        em.store.put_doc("sign_ins", si)
        raise ClerkError("form_password_incorrect", param="password")
    si["first_factor_verification"] = {"object": "verification_password", "status": "verified",
                                       "strategy": "password", "attempts": 1, "expire_at": None}
    _complete_sign_in(em, ctx, si, user, "password")


def _prepare_email_code(si: dict[str, Any], user: dict[str, Any], email_id: str | None) -> None:
    ids = [e["id"] for e in user["email_addresses"]]
    if email_id is not None and email_id not in ids:
        raise ClerkError("form_param_value_invalid", param="email_address_id")
    si["first_factor_verification"] = model.verification("unverified", "email_code", attempts=0)


@router.add(F, "GET", "/v1/client/sign_ins/{id}")
def get_sign_in(em: Instance, ctx: Ctx) -> Any:
    return envelope(em, ctx, model.fapi_sign_in(em.store, _load_sign_in(em, ctx)))


@router.add(F, "POST", "/v1/client/sign_ins/{id}/prepare_first_factor")
def prepare_first_factor(em: Instance, ctx: Ctx) -> Any:
    si = _load_sign_in(em, ctx)
    strategy = required(ctx, "strategy")
    user = model.load_user(em.store, si["user_id"])
    if strategy == "email_code":
        _prepare_email_code(si, user, ctx.field("email_address_id"))
    elif strategy != "password":
        raise ClerkError("form_param_value_invalid", param="strategy")
    _save_sign_in_on_client(em, ctx, si)
    return envelope(em, ctx, model.fapi_sign_in(em.store, si))


@router.add(F, "POST", "/v1/client/sign_ins/{id}/attempt_first_factor")
def attempt_first_factor(em: Instance, ctx: Ctx) -> Any:
    si = _load_sign_in(em, ctx)
    if si["status"] == "complete":
        raise ClerkError("session_exists")
    strategy = required(ctx, "strategy")
    user = model.load_user(em.store, si["user_id"])
    if strategy == "password":
        _attempt_password(em, ctx, si, user, required(ctx, "password"))
    elif strategy == "email_code":
        ver = si.get("first_factor_verification")
        if not ver or ver.get("strategy") != "email_code":
            raise ClerkError("form_param_value_invalid", param="strategy",
                             long_suffix=". Prepare the email_code factor first.")
        code = required(ctx, "code")
        ver["attempts"] = (ver.get("attempts") or 0) + 1
        if code != model.TEST_CODE:
            em.store.put_doc("sign_ins", si)
            raise ClerkError("form_code_incorrect", param="code")
        ver["status"] = "verified"
        _complete_sign_in(em, ctx, si, user, "email_code")
    else:
        raise ClerkError("form_param_value_invalid", param="strategy")
    return envelope(em, ctx, model.fapi_sign_in(em.store, si))
