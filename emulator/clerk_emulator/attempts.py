"""Sign-in and sign-up attempts as Clerk shapes them, and the verification objects inside them.

Documents keep server-only fields (a one-time code, an OAuth identity waiting for a transfer) under keys that
start with ``_``; :func:`public` strips them, so no code or secret ever reaches a response.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import mfa
from .errors import ClerkError
from .store import new_id, now_ms

if TYPE_CHECKING:
    from .context import Instance

OTP_LIFETIME_MS = 10 * 60 * 1000  # codes and email links live 10 minutes
MAX_CODE_ATTEMPTS = 5  # wrong codes before the verification fails (Clerk's figure is not published)
ATTEMPT_LIFETIME_MS = 24 * 3600 * 1000


def public(doc: dict[str, Any] | None) -> dict[str, Any] | None:
    """``doc`` without its server-only (``_``-prefixed) keys."""
    if doc is None:
        return None
    return {k: v for k, v in doc.items() if not k.startswith("_")}


# --- verifications ------------------------------------------------------------------------------
def otp(strategy: str, code: str, *, channel: str | None = None) -> dict[str, Any]:
    """An unverified one-time-code verification holding ``code`` (server-side only)."""
    ver: dict[str, Any] = {"object": "verification_otp", "status": "unverified", "strategy": strategy,
                           "attempts": 0, "expire_at": now_ms() + OTP_LIFETIME_MS, "_code": code}
    if channel is not None:
        ver["channel"] = channel
    return ver


def check_code(ver: dict[str, Any] | None, code: str, strategy: str) -> None:
    """Check ``code`` against a prepared OTP verification, counting the attempt.

    Raises (keeping the counted attempt and the new status) on a missing, expired, exhausted or wrong code;
    on success the verification is ``verified``.
    """
    if ver is None or ver.get("strategy") != strategy or "_code" not in ver:
        raise ClerkError("verification_missing")
    if ver["status"] == "verified":
        raise ClerkError("verification_already_verified")
    if ver["status"] == "failed":
        raise ClerkError("verification_failed")
    if ver["status"] == "expired" or (ver.get("expire_at") or 0) < now_ms():
        ver["status"] = "expired"
        raise ClerkError("verification_expired", keep_changes=True)
    ver["attempts"] = (ver.get("attempts") or 0) + 1
    if code != ver["_code"]:
        if ver["attempts"] >= MAX_CODE_ATTEMPTS:
            ver["status"] = "failed"
            raise ClerkError("verification_failed", keep_changes=True)
        raise ClerkError("form_code_incorrect", param="code", keep_changes=True)
    ver["status"] = "verified"


def redirect_verification(kind: str, strategy: str, url: str | None, *, status: str = "unverified",
                          error: dict[str, Any] | None = None) -> dict[str, Any]:
    """An OAuth (``verification_oauth``) or enterprise SSO (``verification_saml``) verification."""
    # The spec types the URL as a string: once there is nothing to open, it is "" (as in Clerk's transfers).
    ver: dict[str, Any] = {"object": kind, "status": status, "strategy": strategy,
                           "external_verification_redirect_url": url or "", "attempts": None,
                           "expire_at": now_ms() + OTP_LIFETIME_MS}
    if error is not None:
        ver["error"] = error
    return ver


def error_json(code: str, message: str, long_message: str, **meta: Any) -> dict[str, Any]:
    """A ClerkError object as verifications carry it."""
    out: dict[str, Any] = {"code": code, "message": message, "long_message": long_message}
    if meta:
        out["meta"] = meta
    return out


# --- factors ------------------------------------------------------------------------------------
def first_factors(em: Instance, user: dict[str, Any], identifier: str | None) -> list[dict[str, Any]]:
    """Every first factor this user can use, in Clerk's order: password, phone codes, email codes, email
    links, the password-reset factor of the identifier, then linked OAuth providers."""
    settings = em.settings
    email_items = [e for e in user["email_addresses"] if (e["verification"] or {}).get("status") == "verified"]
    primary_email = next((e for e in email_items if e["id"] == user["primary_email_address_id"]), None)
    ident_email = next((e for e in email_items if identifier and e["email_address"].lower() == identifier.lower()),
                       None)
    sso_email = ident_email or primary_email
    if sso_email is not None and settings.connection_for_email(sso_email["email_address"]) is not None:
        connection = settings.connection_for_email(sso_email["email_address"])
        assert connection is not None
        return [{"strategy": "enterprise_sso", "enterprise_connection_id": connection["id"],
                 "enterprise_connection_name": connection.get("name")}]
    out: list[dict[str, Any]] = []
    if user["password_hash"] and settings.enabled("password"):
        out.append({"strategy": "password"})
    if settings.passkeys_enabled() and any((pk["verification"] or {}).get("status") == "verified"
                                           for pk in user.get("passkeys", [])):
        out.append({"strategy": "passkey"})
    phones = [p for p in user["phone_numbers"] if (p["verification"] or {}).get("status") == "verified"]
    if settings.first_factor_enabled("phone_number", "phone_code"):
        out += [{"strategy": "phone_code", "safe_identifier": p["phone_number"], "phone_number_id": p["id"],
                 "primary": p["id"] == user["primary_phone_number_id"], "default": False} for p in phones]
    for strategy in ("email_code", "email_link"):
        if settings.first_factor_enabled("email_address", strategy):
            out += [{"strategy": strategy, "safe_identifier": e["email_address"], "email_address_id": e["id"],
                     "primary": e["id"] == user["primary_email_address_id"]} for e in email_items]
    if user["password_hash"] and settings.enabled("password"):
        ident_phone = next((p for p in phones if p["phone_number"] == identifier), None)
        if ident_phone is not None:
            out.append({"strategy": "reset_password_phone_code", "safe_identifier": ident_phone["phone_number"],
                        "phone_number_id": ident_phone["id"],
                        "primary": ident_phone["id"] == user["primary_phone_number_id"]})
        elif (ident_email or primary_email) is not None:
            item = ident_email or primary_email
            assert item is not None
            out.append({"strategy": "reset_password_email_code", "safe_identifier": item["email_address"],
                        "email_address_id": item["id"], "primary": item["id"] == user["primary_email_address_id"]})
    enabled = em.settings.social()
    for account in user.get("external_accounts", []):
        strategy = "oauth_" + account["provider"]
        if strategy in enabled and {"strategy": strategy} not in out:
            out.append({"strategy": strategy})
    return out


# --- JSON ---------------------------------------------------------------------------------------
def fapi_sign_in(em: Instance, si: dict[str, Any]) -> dict[str, Any]:
    """``sign_in_attempt``: a completed one has no factors and no user data, as Clerk answers."""
    store = em.store
    user = store.get("users", si["user_id"]) if si.get("user_id") else None
    complete = si["status"] == "complete"
    factors = None if complete or user is None else first_factors(em, user, si.get("identifier"))
    if user is None and si.get("_connection_id") and not complete:
        factors = [{"strategy": "enterprise_sso", "enterprise_connection_id": si["_connection_id"]}]
    second = None
    if user is not None and si["status"] == "needs_second_factor":
        second = mfa.second_factors(em, user)
    elif user is not None and si["status"] == "needs_client_trust":
        second = mfa.trust_factors(em, user)
    return {
        "object": "sign_in_attempt",
        "id": si["id"],
        "status": si["status"],
        "supported_identifiers": identifiers(em),
        "supported_first_factors": factors,
        "supported_second_factors": second,
        "first_factor_verification": public(si.get("first_factor_verification")),
        "second_factor_verification": public(si.get("second_factor_verification")),
        "identifier": si.get("identifier"),
        # Clerk development instances with PII protection answer null here (every recording does).
        "user_data": None,
        "created_session_id": si.get("created_session_id"),
        "abandon_at": si["abandon_at"],
        "locale": si.get("locale"),
    }


def identifiers(em: Instance) -> list[str]:
    """The identifiers a sign-in accepts (``supported_identifiers``)."""
    return [n for n in ("email_address", "phone_number", "username")
            if em.settings.enabled(n) and em.settings.attribute(n).get("used_for_first_factor")]


def sign_up_fields(em: Instance) -> tuple[list[str], list[str]]:
    """``(required_fields, optional_fields)`` from the settings (optional ones list enabled OAuth strategies)."""
    required: list[str] = []
    optional: list[str] = []
    for name in ("email_address", "phone_number", "username", "first_name", "last_name", "password"):
        attr = em.settings.attribute(name)
        if attr.get("enabled"):
            (required if attr.get("required") else optional).append(name)
    if em.settings.current["sign_up"].get("legal_consent_enabled"):
        required.append("legal_accepted")
    return required, optional + sorted(em.settings.social())


def fapi_sign_up(em: Instance, su: dict[str, Any]) -> dict[str, Any]:
    required, optional = sign_up_fields(em)
    email_ver = public(su.get("email_verification"))
    if email_ver is not None:
        strategies = [s for s in em.settings.attribute("email_address").get("verifications", [])]
        email_ver = dict(email_ver, next_action="" if email_ver["status"] == "verified" else "needs_attempt",
                         supported_strategies=strategies)
    phone_ver = public(su.get("phone_verification"))
    if phone_ver is not None:
        phone_ver = dict(phone_ver, next_action="" if phone_ver["status"] == "verified" else "needs_attempt",
                         supported_strategies=list(em.settings.attribute("phone_number").get("verifications", [])))
    external = public(su.get("external_verification"))
    return {
        "object": "sign_up_attempt",
        "id": su["id"],
        "status": su["status"],
        "required_fields": required,
        "optional_fields": optional,
        "missing_fields": su["missing_fields"],
        "unverified_fields": su["unverified_fields"],
        "verifications": {
            "email_address": email_ver,
            "phone_number": phone_ver,
            "web3_wallet": None,
            "external_account": external,
        },
        "username": su.get("username"),
        "email_address": su.get("email_address"),
        "phone_number": su.get("phone_number"),
        "web3_wallet": None,
        "password_enabled": bool(su.get("password_hash")),
        "first_name": su.get("first_name"),
        "last_name": su.get("last_name"),
        "unsafe_metadata": su.get("unsafe_metadata") or {},
        "public_metadata": su.get("public_metadata") or {},
        "custom_action": False,
        "external_id": None,
        "created_session_id": su.get("created_session_id"),
        "created_user_id": su.get("created_user_id"),
        "abandon_at": su["abandon_at"],
        "legal_accepted_at": su.get("legal_accepted_at"),
        "locale": su.get("locale"),
    }


def new_sign_in(client_id: str, locale: str | None) -> dict[str, Any]:
    return {"id": new_id("sia"), "client_id": client_id, "status": "needs_identifier", "identifier": None,
            "user_id": None, "created_session_id": None, "first_factor_verification": None,
            "second_factor_verification": None, "abandon_at": now_ms() + ATTEMPT_LIFETIME_MS, "locale": locale}


def new_sign_up(client_id: str, locale: str | None) -> dict[str, Any]:
    return {"id": new_id("sua"), "client_id": client_id, "status": "missing_requirements",
            "email_address": None, "email_verification": None, "external_verification": None,
            "password_hash": None, "first_name": None, "last_name": None, "username": None,
            "unsafe_metadata": {}, "public_metadata": {}, "created_session_id": None, "created_user_id": None,
            "legal_accepted_at": None, "missing_fields": [], "unverified_fields": [],
            "abandon_at": now_ms() + ATTEMPT_LIFETIME_MS, "locale": locale}
