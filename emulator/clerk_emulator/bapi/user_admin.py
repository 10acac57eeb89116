"""Administering a user on the Backend API: ban and unban, lock and unlock, checking a password or a TOTP/backup
code for the app's own flows, marking the password compromised, and removing the user's password, second factors,
passkeys and external accounts.

What the Frontend API makes of it: a banned user's sessions are revoked at once, and every later sign-in step is
403 ``user_banned`` (a redirect sign-in carries the error on its verification); a locked user gets 403
``user_locked`` until the lock ends or ``/unlock``. The checks here are the server's own: a wrong password or code
does not count towards the user's lockout.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import mfa, model, oauth, outbox, passkeys
from ..crypto import check_password
from ..errors import ClerkError
from ..http import Ctx
from ..store import now_ms
from .common import B, body, bool_field, router

if TYPE_CHECKING:
    from ..context import Instance

def _user(em: Instance, ctx: Ctx, fields: set[str] | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
    """The request's body (only ``fields`` allowed; none by default) and the user of the path, else 404."""
    data = body(ctx, fields or set())
    return data, model.load_user(em.store, ctx.params["user_id"])


def _required_str(data: dict[str, Any], name: str) -> str:
    if data.get(name) is None:
        raise ClerkError("form_param_missing", param=name)
    value = data[name]
    if not isinstance(value, str):
        raise ClerkError("form_param_value_invalid", param=name, long_suffix=". It must be a string.")
    return value


def _saved(em: Instance, user: dict[str, Any]) -> dict[str, Any]:
    model.save_user(em.store, user)
    return model.bapi_user(user)


# --- ban, lock ----------------------------------------------------------------------------------------------------
@router.add(B, "POST", "/v1/users/{user_id}/ban")
def ban_user(em: Instance, ctx: Ctx) -> Any:
    """``banned: true``, and every session of the user is revoked (tokens stop with them)."""
    _data, user = _user(em, ctx)
    user["banned"] = True
    model.revoke_sessions(em.store, user["id"])
    return _saved(em, user)


@router.add(B, "POST", "/v1/users/{user_id}/unban")
def unban_user(em: Instance, ctx: Ctx) -> Any:
    """``banned: false``; the revoked sessions stay revoked (the user signs in again)."""
    _data, user = _user(em, ctx)
    user["banned"] = False
    return _saved(em, user)


@router.add(B, "POST", "/v1/users/{user_id}/lock")
def lock_user(em: Instance, ctx: Ctx) -> Any:
    """Locked from now for ``user_lockout.duration_in_minutes`` (``lockout_expires_in_seconds`` counts down)."""
    _data, user = _user(em, ctx)
    mfa.lock(em, user)
    return _saved(em, user)


@router.add(B, "POST", "/v1/users/{user_id}/unlock")
def unlock_user(em: Instance, ctx: Ctx) -> Any:
    """The lock ends and ``verification_attempts_remaining`` is back to ``max_attempts``."""
    _data, user = _user(em, ctx)
    mfa.unlock(user)
    return _saved(em, user)


# --- checks for the app's own flows ---------------------------------------------------------------------------
@router.add(B, "POST", "/v1/users/{user_id}/verify_password")
def verify_password(em: Instance, ctx: Ctx) -> Any:
    """``{verified: true}``; 400 ``no_password_set``, 422 ``incorrect_password``."""
    data, user = _user(em, ctx, {"password"})
    password = _required_str(data, "password")
    if not user["password_hash"]:
        raise ClerkError("no_password_set")
    if not check_password(password, user["password_hash"]):
        raise ClerkError("incorrect_password")
    return {"verified": True}


@router.add(B, "POST", "/v1/users/{user_id}/verify_totp")
def verify_totp(em: Instance, ctx: Ctx) -> Any:
    """A six-digit code is checked against the user's TOTP (a step is accepted once), anything else against the
    unused backup codes (spent when it matches): ``{verified: true, code_type: "totp" | "backup_code"}``. No TOTP
    (and no backup codes) → 400 ``totp_disabled``; a wrong code → 422 ``totp_incorrect_code``; neither six
    characters nor a backup code → 422 ``totp_invalid_length``."""
    data, user = _user(em, ctx, {"code"})
    code = _required_str(data, "code").strip().replace(" ", "")
    totp = user.get("totp") if (user.get("totp") or {}).get("verified") else None
    has_codes = mfa.backup_code_enabled(user)
    if totp is None and not has_codes:
        raise ClerkError("totp_disabled")
    if len(code) == mfa.TOTP_DIGITS and code.isdigit():
        if totp is None:
            raise ClerkError("totp_disabled")
        if not mfa.check_totp(totp, code):
            raise ClerkError("totp_incorrect_code")
        model.save_user(em.store, user)  # the accepted step is remembered: the same code is refused next time
        return {"verified": True, "code_type": "totp"}
    if has_codes and mfa.check_backup_code(user, code):
        model.save_user(em.store, user)
        return {"verified": True, "code_type": "backup_code"}
    if has_codes or len(code) == mfa.TOTP_DIGITS:
        raise ClerkError("totp_incorrect_code")
    raise ClerkError("totp_invalid_length")


# --- removing credentials -------------------------------------------------------------------------------------
@router.add(B, "POST", "/v1/users/{user_id}/remove_password")
def remove_password(em: Instance, ctx: Ctx) -> Any:
    """No current password needed, even when nothing else signs the user in; ``sign_out_of_other_sessions: true``
    revokes the user's active sessions. A user without a password is answered unchanged."""
    data, user = _user(em, ctx, {"sign_out_of_other_sessions"})
    sign_out = bool_field(data, "sign_out_of_other_sessions")
    if not user["password_hash"]:
        return model.bapi_user(user)
    user["password_hash"] = None
    user["password_last_updated_at"] = None
    user.pop("password_compromised_at", None)
    if sign_out:
        model.revoke_sessions(em.store, user["id"])
    return _saved(em, user)


# --- compromised passwords ----------------------------------------------------------------------------------------
@router.add(B, "POST", "/v1/users/{user_id}/password/set_compromised")
def set_password_compromised(em: Instance, ctx: Ctx) -> Any:
    """The password can no longer sign in (422 ``form_password_compromised`` when it is right): the user signs in
    another way or resets it, and sessions begun from now have the ``reset-password`` task until the password is
    changed. ``revoke_all_sessions: true`` revokes the user's active sessions. 400 ``no_password_set`` without a
    password; 403 ``password_disabled`` while the instance has passwords off."""
    data, user = _user(em, ctx, {"revoke_all_sessions"})
    revoke = bool_field(data, "revoke_all_sessions")
    if not em.settings.enabled("password"):
        raise ClerkError("password_disabled")
    if not user["password_hash"]:
        raise ClerkError("no_password_set")
    user.setdefault("password_compromised_at", now_ms())  # marked again: the first mark stands
    if revoke:
        model.revoke_sessions(em.store, user["id"])
    return _saved(em, user)


@router.add(B, "POST", "/v1/users/{user_id}/password/unset_compromised")
def unset_password_compromised(em: Instance, ctx: Ctx) -> Any:
    """The password signs in again and the ``reset-password`` task is gone (an unmarked user is answered as is)."""
    _data, user = _user(em, ctx)
    if user.pop("password_compromised_at", None) is None:
        return model.bapi_user(user)
    return _saved(em, user)


@router.add(B, "DELETE", "/v1/users/{user_id}/mfa")
def disable_mfa(em: Instance, ctx: Ctx) -> Any:
    """TOTP, backup codes and the phones' second-factor reservations go (the phone numbers stay): ``{user_id}``.
    Allowed even where the instance requires MFA (the user's sessions then get the ``setup-mfa`` task)."""
    _data, user = _user(em, ctx)
    mfa.disable_all(user)
    model.save_user(em.store, user)
    return {"user_id": user["id"]}


@router.add(B, "DELETE", "/v1/users/{user_id}/backup_code")
def delete_backup_codes(em: Instance, ctx: Ctx) -> Any:
    """Every backup code goes (there may be none): ``{user_id}``."""
    _data, user = _user(em, ctx)
    user["backup_codes"] = None
    model.save_user(em.store, user)
    return {"user_id": user["id"]}


@router.add(B, "DELETE", "/v1/users/{user_id}/totp")
def delete_totp(em: Instance, ctx: Ctx) -> Any:
    """The TOTP goes (verified or still being set up); without another second factor the backup codes go too."""
    _data, user = _user(em, ctx)
    user["totp"] = None
    mfa.sync_mfa_flags(user)
    model.save_user(em.store, user)
    return {"user_id": user["id"]}


@router.add(B, "DELETE", "/v1/users/{user_id}/passkeys/{passkey_identification_id}")
def delete_passkey(em: Instance, ctx: Ctx) -> Any:
    """The passkey can no longer sign in; the user's primary address gets an email saying so (outbox kind
    ``passkey_removed``)."""
    _data, user = _user(em, ctx)
    passkey = passkeys.find(user, ctx.params["passkey_identification_id"])
    passkeys.remove(em, user, passkey)
    to = model.primary_email(user)
    if to is not None and (passkey["verification"] or {}).get("status") == "verified":
        outbox.send(em.store, to=to, channel="email", kind="passkey_removed",
                    subject="A passkey was removed from your account",
                    body=f"The passkey \"{passkey['name']}\" was removed from your account on the local Clerk "
                    "instance. It can no longer be used to sign in.")
    model.save_user(em.store, user)
    return {"object": "passkey", "id": passkey["id"], "deleted": True}


@router.add(B, "DELETE", "/v1/users/{user_id}/external_accounts/{external_account_id}")
def delete_external_account(em: Instance, ctx: Ctx) -> Any:
    """The provider no longer signs the user in; the email address it brought stays on the user."""
    _data, user = _user(em, ctx)
    account = oauth.find_account(user, ctx.params["external_account_id"])
    oauth.unlink(em, user, account)
    model.save_user(em.store, user)
    return {"object": "external_account", "id": account["id"], "deleted": True}
