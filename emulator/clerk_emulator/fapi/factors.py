"""The signed-in user's own factors: TOTP (``/v1/me/totp``), backup codes (``/v1/me/backup_codes``) and passkeys
(``/v1/me/passkeys``). Phone numbers as a second factor are in ``identifiers.py``.

Nothing is half-enabled: a TOTP counts (``totp_enabled``, ``two_factor_enabled``) only once a code from its
secret was accepted, and a passkey appears on the user only once its attestation was verified. Each change that
adds or removes a factor is a sensitive action (see ``reverification.require_recent``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import mfa, model, passkeys
from ..errors import ClerkError
from ..http import Ctx
from ..store import now_ms
from .common import F, current, envelope, only_fields, required, router
from .reverification import require_recent
from .sign_in import counted

if TYPE_CHECKING:
    from ..context import Instance

ISSUER = "Local Clerk instance"  # the environment's application_name, shown by authenticator apps


def _enabled(em: Instance, attribute: str) -> None:
    if not em.settings.second_factor_enabled(attribute):
        raise ClerkError("feature_not_enabled", long_suffix=f" ({attribute} is off in the instance settings)")


def _account(user: dict[str, Any]) -> str:
    return model.primary_email(user) or user.get("username") or user["id"]


def _deletion_allowed(em: Instance, user: dict[str, Any], leaving: Any) -> None:
    """When the instance requires MFA, the user's last second factor cannot go."""
    if not em.settings.current["sign_in"]["second_factor"]["required"]:
        return
    remaining = (1 if (user.get("totp") or {}).get("verified") and leaving != "totp" else 0) + sum(
        1 for p in mfa.mfa_phones(user) if p is not leaving)
    if not remaining:
        raise ClerkError("second_factor_deletion_not_allowed")


# --- TOTP -------------------------------------------------------------------------------------------
@router.add(F, "POST", "/v1/me/totp")
def create_totp(em: Instance, ctx: Ctx) -> Any:
    """A new secret and its ``otpauth://`` URI; calling again before verifying replaces them."""
    sess, user = current(em, ctx)
    _enabled(em, "authenticator_app")
    require_recent(em, sess, user)
    if (user.get("totp") or {}).get("verified"):
        raise ClerkError("totp_already_enabled")
    totp = mfa.new_totp()
    totp["uri"] = mfa.totp_uri(totp["secret"], ISSUER, _account(user))
    user["totp"] = totp
    model.save_user(em.store, user)
    return envelope(em, ctx, mfa.totp_json(totp, secret=True))


@router.add(F, "POST", "/v1/me/totp/attempt_verification")
def verify_totp(em: Instance, ctx: Ctx) -> Any:
    """A code from the authenticator app turns TOTP on; with backup codes on and none yet, the answer carries a
    fresh set (shown this once)."""
    sess, user = current(em, ctx)
    only_fields(ctx, {"code"})
    code = required(ctx, "code")
    totp = user.get("totp")
    if totp is None:
        raise ClerkError("resource_not_found", long_suffix=" There is no TOTP to verify; create one first.")
    if totp["verified"]:
        raise ClerkError("verification_already_verified")
    require_recent(em, sess, user)
    mfa.ensure_unlocked(em, user)

    def check() -> None:
        if not mfa.check_totp(totp, code):
            raise ClerkError("form_code_incorrect", param="code", keep_changes=True)

    counted(em, user, check, lambda: model.save_user(em.store, user))
    mfa.record_success(user)
    totp.update(verified=True, updated_at=now_ms())
    mfa.sync_mfa_flags(user)
    codes = None
    if em.settings.second_factor_enabled("backup_code") and not mfa.backup_code_enabled(user):
        codes = mfa.new_backup_codes(user)
    model.save_user(em.store, user)
    return envelope(em, ctx, mfa.totp_json(totp, secret=False, backup_codes=codes))


@router.add(F, "DELETE", "/v1/me/totp")
def delete_totp(em: Instance, ctx: Ctx) -> Any:
    sess, user = current(em, ctx)
    totp = user.get("totp")
    if totp is None:
        raise ClerkError("resource_not_found", long_suffix=" The user has no TOTP.")
    require_recent(em, sess, user)
    if totp["verified"]:
        _deletion_allowed(em, user, "totp")
    user["totp"] = None
    mfa.sync_mfa_flags(user)
    model.save_user(em.store, user)
    return envelope(em, ctx, {"object": "totp", "id": totp["id"], "deleted": True})


# --- backup codes -----------------------------------------------------------------------------------
@router.add(F, "POST", "/v1/me/backup_codes")
def create_backup_codes(em: Instance, ctx: Ctx) -> Any:
    """Ten new single-use codes replace the old ones; shown in this answer only (stored hashed)."""
    sess, user = current(em, ctx)
    _enabled(em, "backup_code")
    if not mfa.two_factor_enabled(user):
        raise ClerkError("backup_codes_not_available")
    require_recent(em, sess, user)
    codes = mfa.new_backup_codes(user)
    model.save_user(em.store, user)
    stored = user["backup_codes"]
    return envelope(em, ctx, {"object": "backup_code", "id": stored["id"], "codes": codes,
                              "created_at": stored["created_at"], "updated_at": stored["updated_at"]})


# --- passkeys ---------------------------------------------------------------------------------------
@router.add(F, "POST", "/v1/me/passkeys")
def create_passkey(em: Instance, ctx: Ctx) -> Any:
    """An unverified passkey whose ``verification.nonce`` holds the WebAuthn creation options for the page's
    host (the request's ``Origin``)."""
    sess, user = current(em, ctx)
    if not em.settings.passkeys_enabled():
        raise ClerkError("feature_not_enabled", long_suffix=" (passkeys are off in the instance settings)")
    require_recent(em, sess, user)
    passkey = passkeys.registration_verification(em, ctx, user)
    model.save_user(em.store, user)
    return envelope(em, ctx, model.passkey_json(passkey))


@router.add(F, "POST", "/v1/me/passkeys/{passkey_id}/attempt_verification")
def verify_passkey(em: Instance, ctx: Ctx) -> Any:
    """``strategy=passkey``, ``public_key_credential``: the browser's attestation, JSON as clerk-js sends it."""
    _sess, user = current(em, ctx)
    only_fields(ctx, {"strategy", "public_key_credential"})
    if (ctx.field("strategy") or "passkey") != "passkey":
        raise ClerkError("form_param_value_invalid", param="strategy")
    passkey = passkeys.find(user, ctx.params["passkey_id"])
    if (passkey["verification"] or {}).get("status") == "verified":
        raise ClerkError("verification_already_verified")
    try:
        passkeys.finish_registration(em, ctx, user, passkey, ctx.field("public_key_credential"))
    finally:
        model.save_user(em.store, user)
    return envelope(em, ctx, model.passkey_json(passkey))


@router.add(F, "GET", "/v1/me/passkeys/{passkey_id}")
def get_passkey(em: Instance, ctx: Ctx) -> Any:
    _sess, user = current(em, ctx)
    return envelope(em, ctx, model.passkey_json(passkeys.find(user, ctx.params["passkey_id"])))


@router.add(F, "PATCH", "/v1/me/passkeys/{passkey_id}")
def rename_passkey(em: Instance, ctx: Ctx) -> Any:
    _sess, user = current(em, ctx)
    only_fields(ctx, {"name"})
    passkey = passkeys.find(user, ctx.params["passkey_id"])
    if (passkey["verification"] or {}).get("status") != "verified":
        raise ClerkError("passkey_identification_not_verified")
    name = (ctx.field("name") or "").strip()
    if not name or len(name) > 256:
        raise ClerkError("form_param_value_invalid", param="name")
    passkey.update(name=name, updated_at=now_ms())
    model.save_user(em.store, user)
    return envelope(em, ctx, model.passkey_json(passkey))


@router.add(F, "DELETE", "/v1/me/passkeys/{passkey_id}")
def delete_passkey(em: Instance, ctx: Ctx) -> Any:
    sess, user = current(em, ctx)
    passkey = passkeys.find(user, ctx.params["passkey_id"])
    if (passkey["verification"] or {}).get("status") == "verified":
        require_recent(em, sess, user)  # clerk-js itself deletes a registration it could not finish
    passkeys.remove(em, user, passkey)
    model.save_user(em.store, user)
    return envelope(em, ctx, {"object": "passkey", "id": passkey["id"], "deleted": True})
