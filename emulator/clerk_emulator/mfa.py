"""Second factors of a user: TOTP (RFC 6238), backup codes, SMS codes to a reserved phone; the user's MFA flags;
account lockout after failed attempts; and the factor-verification times of sessions (``fva``).

Stored on the user document (never sent as is; ``model._user_common`` renders the public flags):

- ``totp``: ``{id, secret, verified, created_at, updated_at, last_step}``; ``last_step`` is the time step of the last
  accepted code, so a code is never accepted twice.
- ``backup_codes``: ``{id, salt, hashes, created_at, updated_at}``; only salted SHA-256 hashes of the unused codes,
  or, for codes imported as bcrypt digests through the Backend API, those digests.
- phone numbers carry ``reserved_for_second_factor`` and ``default_second_factor``.
- ``_failed_attempts`` / ``_locked_until`` (ms) for lockout.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import math
import secrets
import struct
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

from . import password_digests
from .errors import ClerkError
from .store import new_id, now_ms

if TYPE_CHECKING:
    from .context import Instance
    from .settings import Settings

__all__ = [
    "BACKUP_CODE_COUNT",
    "MAX_IMPORTED_CODES",
    "TOTP_DIGITS",
    "TOTP_PERIOD_S",
    "TOTP_SKEW_STEPS",
    "bind",
    "check_backup_code",
    "check_totp",
    "disable_all",
    "ensure_unlocked",
    "factor_verification_age",
    "has_second_factor",
    "imported_backup_codes",
    "imported_totp",
    "lock",
    "lockout_state",
    "mfa_required",
    "new_backup_codes",
    "new_totp",
    "record_failure",
    "record_success",
    "second_factors",
    "sync_mfa_flags",
    "totp_code",
    "totp_json",
    "totp_uri",
    "trust_factors",
    "two_factor_enabled",
    "unlock",
]

# RFC 6238 with the parameters of Clerk's otpauth:// URIs: HMAC-SHA1, 6 digits, 30-second steps.
TOTP_DIGITS = 6
TOTP_PERIOD_S = 30
TOTP_SKEW_STEPS = 1  # one step either side of now is accepted (clock drift of authenticator apps)
BACKUP_CODE_COUNT = 10
MAX_IMPORTED_CODES = 100  # BAPI backup_codes; each bcrypt digest among them costs a bcrypt run per attempt
_BACKUP_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"  # no 0/o, 1/l: codes are typed by hand


# --- TOTP -----------------------------------------------------------------------------------------
def _secret_bytes(secret: str) -> bytes:
    return base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))


def totp_code(secret: str, step: int) -> str:
    """The RFC 6238 code of ``secret`` (base32) for the time step ``step`` (``unix_time // 30``)."""
    digest = hmac.new(_secret_bytes(secret), struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 10 ** TOTP_DIGITS:0{TOTP_DIGITS}d}"


def totp_uri(secret: str, issuer: str, account: str) -> str:
    """``otpauth://totp/<issuer>:<account>?algorithm=SHA1&digits=6&issuer=<issuer>&period=30&secret=<secret>``."""
    label = quote(f"{issuer}:{account}", safe=":@")
    query = urlencode({"algorithm": "SHA1", "digits": TOTP_DIGITS, "issuer": issuer, "period": TOTP_PERIOD_S,
                       "secret": secret}, quote_via=quote)
    return f"otpauth://totp/{label}?{query}"


def new_totp() -> dict[str, Any]:
    """An unverified TOTP with a fresh 20-byte secret (32 base32 characters, as Clerk's)."""
    ts = now_ms()
    secret = base64.b32encode(secrets.token_bytes(20)).decode().rstrip("=")
    return {"id": new_id("totp"), "secret": secret, "verified": False, "created_at": ts, "updated_at": ts,
            "last_step": None}


def imported_totp(secret: str, param: str = "totp_secret") -> dict[str, Any]:
    """A verified TOTP with ``secret`` (base32, any case, padding optional), as BAPI's ``totp_secret`` gives one;
    422 ``invalid_totp_secret_code`` for anything else."""
    clean = secret.strip().upper().rstrip("=")
    try:
        if not clean or not _secret_bytes(clean):
            raise ValueError(secret)
    except ValueError:  # binascii.Error included
        raise ClerkError("invalid_totp_secret_code", param=param) from None
    totp = new_totp()
    totp.update(secret=clean, verified=True)
    return totp


def check_totp(totp: dict[str, Any], code: str, now_s: float | None = None) -> bool:
    """True when ``code`` is the code of the current step or one step either side, and that step is later than
    the last accepted one (a code is never accepted twice); the step is then remembered."""
    code = code.strip().replace(" ", "")
    if len(code) != TOTP_DIGITS or not code.isdigit():
        return False
    current = int((time.time() if now_s is None else now_s) // TOTP_PERIOD_S)
    last = totp.get("last_step")
    for step in range(current - TOTP_SKEW_STEPS, current + TOTP_SKEW_STEPS + 1):
        if (last is None or step > last) and hmac.compare_digest(totp_code(totp["secret"], step), code):
            totp["last_step"] = step
            return True
    return False


def totp_json(totp: dict[str, Any], *, secret: bool, backup_codes: list[str] | None = None) -> dict[str, Any]:
    """``TOTP`` as ``/v1/me/totp`` answers it; the secret and URI only while it is being set up."""
    return {"object": "totp", "id": totp["id"], "secret": totp["secret"] if secret else None,
            "uri": totp.get("uri") if secret else None, "verified": bool(totp["verified"]),
            "backup_codes": backup_codes, "created_at": totp["created_at"], "updated_at": totp["updated_at"]}


# --- backup codes ---------------------------------------------------------------------------------
def _hash_code(salt: str, code: str) -> str:
    return hashlib.sha256(f"{salt}:{code}".encode()).hexdigest()


def new_backup_codes(user: dict[str, Any]) -> list[str]:
    """Replace the user's backup codes by ten new single-use ones; only their hashes are kept."""
    codes = ["".join(secrets.choice(_BACKUP_ALPHABET) for _ in range(8)) for _ in range(BACKUP_CODE_COUNT)]
    salt = secrets.token_hex(16)
    ts = now_ms()
    user["backup_codes"] = {"id": new_id("bcode"), "salt": salt, "hashes": [_hash_code(salt, c) for c in codes],
                            "created_at": ts, "updated_at": ts}
    return codes


def _normal_code(code: str) -> str:
    return code.strip().lower().replace("-", "").replace(" ", "")


def imported_backup_codes(codes: Any, param: str = "backup_codes") -> dict[str, Any]:
    """The stored form of BAPI's ``backup_codes`` (for the user's ``backup_codes``): plain codes, kept hashed like
    the instance's own, or bcrypt digests of codes, kept as given. 422 ``form_param_value_invalid`` for anything that
    is not a non-empty list of non-empty strings, or for a malformed digest."""
    if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
        raise ClerkError("form_param_value_invalid", param=param, long_suffix=". Expected a list of strings.")
    if not codes:
        raise ClerkError("form_param_value_invalid", "not_empty", param=param)
    if len(codes) > MAX_IMPORTED_CODES:
        raise ClerkError("form_param_value_invalid", param=param,
                         long_suffix=f". At most {MAX_IMPORTED_CODES} codes are accepted.")
    salt = secrets.token_hex(16)
    kept = []
    for code in codes:
        if code.startswith("$2"):
            try:
                password_digests.validate("bcrypt", code)
            except password_digests.DigestInvalid as exc:
                raise ClerkError("form_param_value_invalid", param=param,
                                 long_suffix=f". A code starting with $2 is read as a bcrypt digest, and {exc}."
                                 ) from None
            kept.append(code)
        elif _normal_code(code):
            kept.append(_hash_code(salt, _normal_code(code)))
        else:
            raise ClerkError("form_param_value_invalid", param=param, long_suffix=". A code cannot be blank.")
    ts = now_ms()
    return {"id": new_id("bcode"), "salt": salt, "hashes": kept, "created_at": ts, "updated_at": ts}


def _code_matches(item: str, salt: str, code: str) -> bool:
    if item.startswith("$2"):  # imported bcrypt digest: the code as typed, or in the instance's normal form
        typed = code.strip()
        return password_digests.matches("bcrypt", item, typed) or (
            _normal_code(code) != typed and password_digests.matches("bcrypt", item, _normal_code(code)))
    return hmac.compare_digest(item, _hash_code(salt, _normal_code(code)))


def check_backup_code(user: dict[str, Any], code: str) -> bool:
    """True (and the code is spent) when ``code`` is one of the user's unused backup codes."""
    store = user.get("backup_codes")
    if not store or not code.strip():
        return False
    for item in store["hashes"]:
        if _code_matches(item, store["salt"], code):
            store["hashes"].remove(item)
            store["updated_at"] = now_ms()
            return True
    return False


# --- the user's second factors --------------------------------------------------------------------
def _verified(item: dict[str, Any]) -> bool:
    return (item.get("verification") or {}).get("status") == "verified"


def mfa_phones(user: dict[str, Any]) -> list[dict[str, Any]]:
    """Verified phone numbers reserved for the second factor."""
    return [p for p in user["phone_numbers"] if p.get("reserved_for_second_factor") and _verified(p)]


def two_factor_enabled(user: dict[str, Any]) -> bool:
    """A verified TOTP or a phone reserved for the second factor (backup codes alone do not count)."""
    return bool((user.get("totp") or {}).get("verified")) or bool(mfa_phones(user))


def backup_code_enabled(user: dict[str, Any]) -> bool:
    return bool((user.get("backup_codes") or {}).get("hashes"))


def second_factors(em: Instance, user: dict[str, Any]) -> list[dict[str, Any]]:
    """``supported_second_factors`` of a sign-in (or reverification) of ``user``, with what the instance allows:
    TOTP, each reserved phone (``default`` marks the default one), a passkey (when ``attributes.passkey`` is
    ``used_for_second_factor`` and the user has a verified one), backup codes, then (when the instance lists
    ``email_code`` as a second factor) each verified email address."""
    settings = em.settings
    out: list[dict[str, Any]] = []
    if settings.second_factor_enabled("authenticator_app") and (user.get("totp") or {}).get("verified"):
        out.append({"strategy": "totp"})
    if settings.second_factor_enabled("phone_number"):
        out += [{"strategy": "phone_code", "safe_identifier": p["phone_number"], "phone_number_id": p["id"],
                 "primary": p["id"] == user["primary_phone_number_id"], "default": bool(p.get("default_second_factor"))}
                for p in mfa_phones(user)]
    if settings.second_factor_enabled("passkey") and any(_verified(pk) for pk in user.get("passkeys", [])):
        out.append({"strategy": "passkey"})
    if not out:
        return []  # backup codes and email codes only complement a TOTP, SMS or passkey second factor
    if settings.second_factor_enabled("backup_code") and backup_code_enabled(user):
        out.append({"strategy": "backup_code"})
    if settings.second_factor_enabled("email_address"):
        out += [{"strategy": "email_code", "safe_identifier": e["email_address"], "email_address_id": e["id"],
                 "primary": e["id"] == user["primary_email_address_id"]}
                for e in user["email_addresses"] if _verified(e)]
    return out


def trust_factors(em: Instance, user: dict[str, Any]) -> list[dict[str, Any]]:
    """``supported_second_factors`` of a sign-in at ``needs_client_trust``: a code to each verified email address
    (primary first) and, when phone codes are on, to each verified phone number."""
    emails = sorted((e for e in user["email_addresses"] if _verified(e)),
                    key=lambda e: e["id"] != user["primary_email_address_id"])
    out = [{"strategy": "email_code", "safe_identifier": e["email_address"], "email_address_id": e["id"],
            "primary": e["id"] == user["primary_email_address_id"]} for e in emails]
    if em.settings.enabled("phone_number"):
        out += [{"strategy": "phone_code", "safe_identifier": p["phone_number"], "phone_number_id": p["id"],
                 "primary": p["id"] == user["primary_phone_number_id"]}
                for p in user["phone_numbers"] if _verified(p)]
    return out


def has_second_factor(em: Instance, user: dict[str, Any]) -> bool:
    """Whether a sign-in of ``user`` needs a second factor (the user has one the instance accepts)."""
    return bool(second_factors(em, user))


def sync_mfa_flags(user: dict[str, Any]) -> None:
    """Keep ``mfa_enabled_at`` / ``mfa_disabled_at`` and the phones' default in step with the factors; the backup
    codes go when no other second factor is left (they are usable only beside one)."""
    phones = mfa_phones(user)
    if phones and not any(p.get("default_second_factor") for p in phones):
        phones[0]["default_second_factor"] = True
    for phone in user["phone_numbers"]:
        if phone not in phones:
            phone["default_second_factor"] = False
    enabled = two_factor_enabled(user)
    if enabled and not user.get("mfa_enabled_at"):
        user["mfa_enabled_at"], user["mfa_disabled_at"] = now_ms(), None
    elif not enabled and user.get("mfa_enabled_at"):
        user["mfa_enabled_at"], user["mfa_disabled_at"] = None, now_ms()
    if not enabled:
        user["backup_codes"] = None


# --- settings read where no instance is at hand (user and session JSON) ----------------------------------
_bound: Settings | None = None


def bind(settings: Settings) -> None:
    """Make ``settings`` the source of lockout and required-MFA rules (called by ``Settings`` itself)."""
    global _bound
    _bound = settings


def _setting(*path: str) -> Any:
    from .settings import DEFAULTS

    node: Any = _bound.current if _bound is not None else DEFAULTS
    for key in path:
        node = node[key]
    return node


def mfa_required() -> bool:
    """``sign_in.second_factor.required``: sessions of users without MFA get the task ``setup-mfa``."""
    return bool(_setting("sign_in", "second_factor", "required"))


# --- lockout --------------------------------------------------------------------------------------
def _lockout(_em: Instance | None = None) -> dict[str, Any]:
    found: dict[str, Any] = _setting("attack_protection", "user_lockout")
    return found


def lockout_state(user: dict[str, Any]) -> tuple[bool, int | None, int | None]:
    """``(locked, lockout_expires_in_seconds, verification_attempts_remaining)`` for the user JSON."""
    remaining_ms = int(user.get("_locked_until") or 0) - now_ms()
    locked = remaining_ms > 0
    expires = math.ceil(remaining_ms / 1000) if locked else None
    attempts = None
    if _lockout()["enabled"]:
        attempts = max(0, int(_lockout()["max_attempts"]) - int(user.get("_failed_attempts") or 0))
    return locked, expires, attempts


def _locked_error(seconds: int | None) -> ClerkError:
    if seconds is None:
        when = "a while"
    elif seconds >= 60:
        when = f"{math.ceil(seconds / 60)} minutes"
    else:
        when = f"{seconds} seconds"
    return ClerkError("user_locked", fill={"timeRemaining": when, "support": "support"},
                      extra_meta={"lockout_expires_in_seconds": seconds})


def ensure_unlocked(em: Instance, user: dict[str, Any]) -> None:
    """403 ``user_banned`` for a banned user (BAPI ``/ban``); 403 ``user_locked`` (``meta.lockout_expires_in_seconds``)
    while the account is locked. Every sign-in, second-factor and reverification step of the user asks this."""
    if user.get("banned"):
        raise ClerkError("user_banned")
    locked, expires, _ = lockout_state(user)
    if locked:
        raise _locked_error(expires)


def record_failure(em: Instance, user: dict[str, Any]) -> None:
    """Count a failed password, code, TOTP or backup-code attempt; the one that reaches ``max_attempts`` locks the
    account for ``duration_in_minutes`` and is answered ``user_locked`` itself. The caller saves the user."""
    rules = _lockout(em)
    if not rules["enabled"]:
        return
    user["_failed_attempts"] = int(user.get("_failed_attempts") or 0) + 1
    if user["_failed_attempts"] >= int(rules["max_attempts"]):
        user["_failed_attempts"] = 0
        user["_locked_until"] = now_ms() + int(rules["duration_in_minutes"]) * 60_000
        err = _locked_error(int(rules["duration_in_minutes"]) * 60)
        err.keep_changes = True
        raise err


def record_success(user: dict[str, Any]) -> None:
    """A verified factor resets the failed-attempt count."""
    user["_failed_attempts"] = 0


def lock(em: Instance, user: dict[str, Any]) -> None:
    """Lock the account now, for the instance's ``duration_in_minutes`` (BAPI ``/lock``, ``locked`` on create); the
    failed-attempt count is kept, as Clerk's ``verification_attempts_remaining`` note says. With lockout off it is
    403 ``feature_not_enabled`` (Clerk: "requires the user lockout feature"). The caller saves the user."""
    rules = _lockout(em)
    if not rules["enabled"]:
        raise ClerkError("feature_not_enabled", long_suffix=" (attack_protection.user_lockout is off in the instance "
                                                            "settings)")
    user["_locked_until"] = now_ms() + int(rules["duration_in_minutes"]) * 60_000


def unlock(user: dict[str, Any]) -> None:
    """End a lock (BAPI ``/unlock``) and reset the failed-attempt count. The caller saves the user."""
    user["_locked_until"] = None
    user["_failed_attempts"] = 0


def disable_all(user: dict[str, Any]) -> None:
    """Remove every second factor at once (BAPI ``DELETE /mfa``): the TOTP, the phones' second-factor reservations
    (the numbers stay) and, with them, the backup codes. The caller saves the user."""
    user["totp"] = None
    for phone in user["phone_numbers"]:
        phone["reserved_for_second_factor"] = False
        phone["default_second_factor"] = False
    sync_mfa_flags(user)


# --- factor verification age of sessions ------------------------------------------------------------
def factor_verification_age(sess: dict[str, Any], now: int | None = None) -> list[int]:
    """``[fa1, fa2]``: whole minutes since the session last verified a first / second factor; ``-1`` when it never
    verified a second factor."""
    now = now_ms() if now is None else now
    first, second = sess.get("_fv") or [sess["created_at"], None]
    age = [max(0, (now - int(first)) // 60_000), -1 if second is None else max(0, (now - int(second)) // 60_000)]
    return age
