"""Reverification: ``/v1/client/sessions/{id}/verify`` and its factor steps, and the check sensitive routes make.

With ``reverification.enabled``, a sensitive action (see :func:`require_recent`) needs a factor verified by the
session within ``reverification.max_age_minutes`` (10 by default): the second factor for users who have one, else
the first factor. Otherwise it is answered 403 ``session_reverification_required`` and the app reverifies:

``POST …/verify level`` → ``…/verify/prepare_first_factor`` / ``…/verify/attempt_first_factor`` (password,
email or phone code, passkey) → ``…/verify/prepare_second_factor`` / ``…/verify/attempt_second_factor`` (SMS code,
TOTP, backup code). Each answers ``{response: session_reverification, client}``; on ``complete`` the session's
``factor_verification_age`` (and its next token's ``fva``) start again from zero.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import attempts, messages, mfa, model, passkeys
from ..attempts import public
from ..client_json import fapi_session
from ..crypto import check_password
from ..errors import ClerkError
from ..http import Ctx
from ..store import new_id, now_ms
from .common import F, client_session, envelope, required, router
from .sign_in import check_stored_factor, counted

if TYPE_CHECKING:
    from ..context import Instance

__all__ = ["require_recent"]

LEVELS = ("first_factor", "second_factor", "multi_factor")


def require_recent(em: Instance, sess: dict[str, Any], user: dict[str, Any]) -> None:
    """403 ``session_reverification_required`` unless the session verified a factor recently enough (the second
    factor for users who have one, else the first) — only while the instance turns reverification on."""
    rules = em.settings.current["reverification"]
    if not rules["enabled"]:
        return
    first, second = mfa.factor_verification_age(sess)
    age = second if mfa.has_second_factor(em, user) else first
    if not 0 <= age < int(rules["max_age_minutes"]):
        raise ClerkError("session_reverification_required")


def _first_factors(em: Instance, user: dict[str, Any]) -> list[dict[str, Any]]:
    """Password, passkey, then a code to each verified email address and phone number."""
    out: list[dict[str, Any]] = []
    if user["password_hash"] and em.settings.enabled("password"):
        out.append({"strategy": "password"})
    if em.settings.passkeys_enabled() and any((pk["verification"] or {}).get("status") == "verified"
                                              for pk in user.get("passkeys", [])):
        out.append({"strategy": "passkey"})
    out += [{"strategy": "email_code", "safe_identifier": e["email_address"], "email_address_id": e["id"],
             "primary": e["id"] == user["primary_email_address_id"]}
            for e in user["email_addresses"] if (e["verification"] or {}).get("status") == "verified"]
    out += [{"strategy": "phone_code", "safe_identifier": p["phone_number"], "phone_number_id": p["id"],
             "primary": p["id"] == user["primary_phone_number_id"], "default": False}
            for p in user["phone_numbers"] if (p["verification"] or {}).get("status") == "verified"]
    return out


def _second_factors(em: Instance, user: dict[str, Any]) -> list[dict[str, Any]]:
    return [f for f in mfa.second_factors(em, user) if f["strategy"] in ("totp", "phone_code", "backup_code")]


def _json(em: Instance, ctx: Ctx, sess: dict[str, Any], user: dict[str, Any]) -> dict[str, Any]:
    rv = sess["_reverification"]
    return {
        "object": "session_reverification",
        "id": rv["id"],
        "status": rv["status"],
        "level": rv["level"],
        "supported_first_factors": _first_factors(em, user),
        "supported_second_factors": _second_factors(em, user),
        "first_factor_verification": public(rv.get("first_factor_verification")),
        "second_factor_verification": public(rv.get("second_factor_verification")),
        "session": fapi_session(em, sess, ctx.request.headers.get("Origin")),
    }


def _session(em: Instance, ctx: Ctx) -> tuple[dict[str, Any], dict[str, Any]]:
    sess = client_session(em, ctx)
    if not model.is_active(em.store, sess):
        raise ClerkError("signed_out")
    return sess, model.load_user(em.store, sess["user_id"])


def _open(sess: dict[str, Any], status: str, action: str) -> dict[str, Any]:
    rv: dict[str, Any] | None = sess.get("_reverification")
    if rv is None:
        raise ClerkError("session_reverification_missing")
    if rv["status"] != status:
        wanted = "a first factor" if status == "needs_first_factor" else "a second factor"
        raise ClerkError("invalid_action_for_session_reverification", fill={"action": action, "resolution": wanted})
    return rv


def _factor(factors: list[dict[str, Any]], strategy: str, key: str, ref: str | None) -> dict[str, Any]:
    found = [f for f in factors if f["strategy"] == strategy and (not ref or f.get(key) == ref)]
    found.sort(key=lambda f: not (f.get("default") or f.get("primary")))
    if not found:
        raise ClerkError("strategy_for_user_invalid", param="strategy")
    return found[0]


def _verified(em: Instance, sess: dict[str, Any], user: dict[str, Any], which: int) -> None:
    """A factor of the reverification passed: restart its age; complete when nothing is left."""
    rv = sess["_reverification"]
    fv = list(sess.get("_fv") or [sess["created_at"], None])
    fv[which] = now_ms()
    sess["_fv"] = fv
    mfa.record_success(user)
    model.save_user(em.store, user)
    needs_second = rv["level"] in ("second_factor", "multi_factor") and _second_factors(em, user)
    rv["status"] = "needs_second_factor" if which == 0 and needs_second else "complete"
    sess.pop("_token", None)  # the next token carries the new fva
    em.store.put_session(sess)


@router.add(F, "POST", "/v1/client/sessions/{session_id}/verify")
def start(em: Instance, ctx: Ctx) -> Any:
    """``level``: ``first_factor``, ``second_factor`` or ``multi_factor``; users without a second factor fall back
    to ``first_factor``."""
    sess, user = _session(em, ctx)
    level = required(ctx, "level")
    if level not in LEVELS:
        raise ClerkError("form_param_value_invalid", param="level")
    if level != "first_factor" and not _second_factors(em, user):
        level = "first_factor"
    status = "needs_second_factor" if level == "second_factor" else "needs_first_factor"
    sess["_reverification"] = {"id": new_id("sessver"), "level": level, "status": status,
                               "first_factor_verification": None, "second_factor_verification": None}
    em.store.put_session(sess)
    return envelope(em, ctx, _json(em, ctx, sess, user))


@router.add(F, "POST", "/v1/client/sessions/{session_id}/verify/prepare_first_factor")
def prepare_first_factor(em: Instance, ctx: Ctx) -> Any:
    sess, user = _session(em, ctx)
    rv = _open(sess, "needs_first_factor", "prepare the first factor")
    mfa.ensure_unlocked(em, user)
    strategy = required(ctx, "strategy")
    factors = _first_factors(em, user)
    if strategy == "email_code":
        factor = _factor(factors, strategy, "email_address_id", ctx.field("email_address_id"))
    elif strategy == "phone_code":
        factor = _factor(factors, strategy, "phone_number_id", ctx.field("phone_number_id"))
    elif strategy == "passkey":
        _factor(factors, strategy, "", None)
        rv["first_factor_verification"] = passkeys.authentication_verification(em, ctx, user)
        em.store.put_session(sess)
        return envelope(em, ctx, _json(em, ctx, sess, user))
    else:
        raise ClerkError("form_param_value_invalid", param="strategy")
    rv["first_factor_verification"] = messages.send_code(em, to=factor["safe_identifier"], purpose="reverification",
                                                         strategy=strategy)
    em.store.put_session(sess)
    return envelope(em, ctx, _json(em, ctx, sess, user))


@router.add(F, "POST", "/v1/client/sessions/{session_id}/verify/attempt_first_factor")
def attempt_first_factor(em: Instance, ctx: Ctx) -> Any:
    sess, user = _session(em, ctx)
    rv = _open(sess, "needs_first_factor", "attempt the first factor")
    mfa.ensure_unlocked(em, user)
    strategy = required(ctx, "strategy")
    _factor(_first_factors(em, user), strategy, "", None)

    def save() -> None:
        em.store.put_session(sess)
        model.save_user(em.store, user)

    if strategy == "password":
        password = required(ctx, "password")
        ok = check_password(password, user["password_hash"])
        rv["first_factor_verification"] = {"object": "verification_password", "strategy": "password",
                                           "status": "verified" if ok else "unverified", "attempts": 1,
                                           "expire_at": None}

        def check() -> None:
            if not ok:
                raise ClerkError("form_password_incorrect", param="password", keep_changes=True)

        counted(em, user, check, save)
    elif strategy in ("email_code", "phone_code"):
        code = required(ctx, "code")
        counted(em, user, lambda: attempts.check_code(rv.get("first_factor_verification"), code, strategy), save)
    elif strategy == "passkey":
        try:
            passkeys.finish_authentication(em, ctx, rv.get("first_factor_verification"),
                                           ctx.field("public_key_credential"), user["id"])
        finally:
            save()
    else:
        raise ClerkError("form_param_value_invalid", param="strategy")
    _verified(em, sess, user, 0)
    return envelope(em, ctx, _json(em, ctx, sess, user))


@router.add(F, "POST", "/v1/client/sessions/{session_id}/verify/prepare_second_factor")
def prepare_second_factor(em: Instance, ctx: Ctx) -> Any:
    sess, user = _session(em, ctx)
    rv = _open(sess, "needs_second_factor", "prepare the second factor")
    mfa.ensure_unlocked(em, user)
    if (ctx.field("strategy") or "phone_code") != "phone_code":
        raise ClerkError("form_param_value_invalid", param="strategy")
    factor = _factor(_second_factors(em, user), "phone_code", "phone_number_id", ctx.field("phone_number_id"))
    rv["second_factor_verification"] = messages.send_code(em, to=factor["safe_identifier"], purpose="reverification",
                                                          strategy="phone_code")
    em.store.put_session(sess)
    return envelope(em, ctx, _json(em, ctx, sess, user))


@router.add(F, "POST", "/v1/client/sessions/{session_id}/verify/attempt_second_factor")
def attempt_second_factor(em: Instance, ctx: Ctx) -> Any:
    sess, user = _session(em, ctx)
    rv = _open(sess, "needs_second_factor", "attempt the second factor")
    mfa.ensure_unlocked(em, user)
    strategy = required(ctx, "strategy")
    if strategy not in ("phone_code", "totp", "backup_code"):
        raise ClerkError("form_param_value_invalid", param="strategy")
    _factor(_second_factors(em, user), strategy, "", None)
    code = required(ctx, "code")

    def save() -> None:
        em.store.put_session(sess)
        model.save_user(em.store, user)

    if strategy == "phone_code":
        counted(em, user, lambda: attempts.check_code(rv.get("second_factor_verification"), code, strategy), save)
    else:
        counted(em, user, lambda: check_stored_factor(rv, "second_factor_verification", user, strategy, code), save)
    _verified(em, sess, user, 1)
    return envelope(em, ctx, _json(em, ctx, sess, user))
