"""Domain objects (stored as JSON documents) and their wire shapes.

Stored documents keep only what the emulator needs; ``fapi_*`` and ``bapi_*``
functions render them in the 2026-05-12 shapes of Clerk's OpenAPI files.
Timestamps are Unix milliseconds.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from . import activity, mfa, org_roles
from .crypto import hash_password, sign_rs256
from .errors import ClerkError
from .store import Store, new_id, now_ms, touch

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE_RE = re.compile(r"^\+[1-9]\d{6,14}$")
TEST_CODE = "424242"
SESSION_LIFETIME_MS = 7 * 24 * 3600 * 1000
MIN_PASSWORD = 8


# --- users --------------------------------------------------------------------------------------
def new_user(
    store: Store,
    *,
    emails: list[str],
    phones: list[str] | None = None,
    password: str | None = None,
    username: str | None = None,
    first_name: str | None = None,
    last_name: str | None = None,
    external_id: str | None = None,
    public_metadata: Any = None,
    private_metadata: Any = None,
    unsafe_metadata: Any = None,
    email_strategy: str = "admin",
) -> dict[str, Any]:
    ts = now_ms()
    user_id = new_id("user")
    if password is not None and len(password) < MIN_PASSWORD:
        raise ClerkError("form_password_length_too_short", param="password")
    user: dict[str, Any] = {
        "id": user_id,
        "username": username,
        "first_name": first_name,
        "last_name": last_name,
        "password_hash": hash_password(password) if password else None,
        "password_last_updated_at": ts if password else None,
        "email_addresses": [],
        "phone_numbers": [],
        "primary_email_address_id": None,
        "primary_phone_number_id": None,
        "public_metadata": public_metadata if public_metadata is not None else {},
        "private_metadata": private_metadata if private_metadata is not None else {},
        "unsafe_metadata": unsafe_metadata if unsafe_metadata is not None else {},
        "external_id": external_id,
        "last_sign_in_at": None,
        "last_active_at": None,
        "created_at": ts,
        "updated_at": ts,
        "banned": False,
        "locked": False,
        "totp": None,
        "backup_codes": None,
        "passkeys": [],
        "mfa_enabled_at": None,
        "mfa_disabled_at": None,
    }
    if username:
        claim_identifier(store, username, user_id, "username", "username")
    for email in emails:
        add_email(store, user, email, verified=True, strategy=email_strategy)
    for phone in phones or []:
        add_phone(store, user, phone, verified=True)
    store.put_user(user)
    return user


# The instance's ``username_settings`` (``/v1/environment`` shows the same numbers).
USERNAME_MIN_LENGTH, USERNAME_MAX_LENGTH = 4, 64


def check_username(value: str, param: str = "username") -> None:
    """Refuse a username outside the instance's length bounds, as Clerk does on every route that sets one."""
    if not USERNAME_MIN_LENGTH <= len(value) <= USERNAME_MAX_LENGTH:
        raise ClerkError("form_username_invalid_length", param=param,
                         fill={"min": str(USERNAME_MIN_LENGTH), "max": str(USERNAME_MAX_LENGTH)})


def claim_identifier(store: Store, value: str, user_id: str, kind: str, param: str) -> None:
    if kind == "username":
        check_username(value, param)
    if store.identifier_owner(value) is not None:
        raise ClerkError("form_identifier_exists", param=param, fill={"param": param.replace("_", " ")})
    store.add_identifier(value, user_id, kind)


_VERIFICATION_OBJECTS = {"email_link": "verification_email_link", "ticket": "verification_ticket"}


def verification(status: str, strategy: str, *, attempts: int | None = None) -> dict[str, Any]:
    """A verification object as Clerk names it per strategy (``verification_otp`` for codes)."""
    if strategy == "admin":
        return {"object": "verification_admin", "status": status, "strategy": "admin", "attempts": None,
                "expire_at": None}
    if strategy == "from_enterprise_sso":  # an address an enterprise identity provider vouched for
        return {"object": "verification_saml", "status": status, "strategy": "saml",
                "external_verification_redirect_url": None, "attempts": None, "expire_at": None}
    if strategy.startswith("from_oauth_"):
        return {"object": "verification_from_oauth", "status": status, "strategy": strategy,
                "external_verification_redirect_url": None, "attempts": None, "expire_at": 0}
    if strategy in _VERIFICATION_OBJECTS:
        return {"object": _VERIFICATION_OBJECTS[strategy], "status": status, "strategy": strategy,
                "attempts": attempts, "expire_at": now_ms() + 10 * 60 * 1000}
    return {"object": "verification_otp", "status": status, "strategy": strategy, "attempts": attempts,
            "expire_at": now_ms() + 10 * 60 * 1000}


def add_email(store: Store, user: dict[str, Any], email: str, *, verified: bool, strategy: str) -> dict[str, Any]:
    if not EMAIL_RE.match(email):
        raise ClerkError("form_param_format_invalid", "email", param="email_address",
                         fill={"parameter": "email_address"})
    claim_identifier(store, email, user["id"], "email_address", "email_address")
    check = verification("verified", strategy, attempts=1) if verified else None
    return _add_identification(user, "email_address", email, check)


def add_phone(store: Store, user: dict[str, Any], phone: str, *, verified: bool) -> dict[str, Any]:
    if not PHONE_RE.match(phone):
        raise ClerkError("form_param_format_invalid", "phone", param="phone_number",
                         fill={"parameter": "phone_number"})
    claim_identifier(store, phone, user["id"], "phone_number", "phone_number")
    return _add_identification(user, "phone_number", phone, verification("verified", "admin") if verified else None)


def _add_identification(user: dict[str, Any], kind: str, value: str,
                        check: dict[str, Any] | None) -> dict[str, Any]:
    """Append an email address or phone number; a verified first one becomes the primary."""
    ts = now_ms()
    item = {"id": new_id("idn"), kind: value, "verification": check, "created_at": ts, "updated_at": ts}
    user[{"email_address": "email_addresses", "phone_number": "phone_numbers"}[kind]].append(item)
    if check is not None and user[f"primary_{kind}_id"] is None:
        user[f"primary_{kind}_id"] = item["id"]
    return item


def load_user(store: Store, user_id: str) -> dict[str, Any]:
    user = store.get("users", user_id)
    if user is None:
        raise ClerkError("resource_not_found", "user", fill={"userID": user_id})
    return user


def save_user(store: Store, user: dict[str, Any]) -> None:
    touch(user)
    store.put_user(user)


def primary_email(user: dict[str, Any]) -> str | None:
    for item in user["email_addresses"]:
        if item["id"] == user["primary_email_address_id"]:
            return str(item["email_address"])
    return None


def _public(ver: dict[str, Any] | None) -> dict[str, Any] | None:
    # Verifications keep their one-time code under a "_" key; it never leaves the server.
    return None if ver is None else {k: v for k, v in ver.items() if not k.startswith("_")}


def _email_json(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": item["id"],
        "object": "email_address",
        "email_address": item["email_address"],
        "reserved": False,
        "verification": _public(item["verification"]),
        "linked_to": item.get("linked_to", []),
        "matches_sso_connection": False,
        "created_at": item["created_at"],
        "updated_at": item["updated_at"],
    }


def _phone_json(item: dict[str, Any], backup_codes: list[str] | None = None) -> dict[str, Any]:
    return {
        "id": item["id"],
        "object": "phone_number",
        "phone_number": item["phone_number"],
        "reserved_for_second_factor": bool(item.get("reserved_for_second_factor")),
        "default_second_factor": bool(item.get("default_second_factor")),
        "reserved": False,
        "verification": _public(item["verification"]),
        "linked_to": item.get("linked_to", []),
        "backup_codes": backup_codes,
        "created_at": item["created_at"],
        "updated_at": item["updated_at"],
    }


def email_json(item: dict[str, Any]) -> dict[str, Any]:
    return _email_json(item)


def phone_json(item: dict[str, Any], backup_codes: list[str] | None = None) -> dict[str, Any]:
    """A phone number; ``backup_codes`` only in the answer that reserved it for the second factor and made codes."""
    return _phone_json(item, backup_codes)


def passkey_json(pk: dict[str, Any]) -> dict[str, Any]:
    """``Client.Passkey``; the verification carries the WebAuthn options (``nonce``) only while unverified."""
    return {
        "object": "passkey",
        "id": pk["id"],
        "name": pk["name"],
        "last_used_at": pk.get("last_used_at"),
        "verification": _public(pk["verification"]),
        "created_at": pk["created_at"],
        "updated_at": pk["updated_at"],
    }


# Replaced by Emulator.bound() with a URL on the emulator itself, so no client ever leaves loopback.
IMAGE_URL = "/__emulator/avatar.svg"


def user_image(user: dict[str, Any]) -> tuple[str, bool]:
    """(image URL, has_image): an uploaded profile image is served by the emulator at /__emulator/images/."""
    image_id = user.get("image_id")
    if image_id:
        return IMAGE_URL.replace("/avatar.svg", f"/images/{image_id}"), True
    return IMAGE_URL, False


def _user_common(user: dict[str, Any]) -> dict[str, Any]:
    image_url, has_image = user_image(user)
    locked, lockout_expires, attempts_left = mfa.lockout_state(user)
    return {
        "id": user["id"],
        "object": "user",
        "username": user["username"],
        "first_name": user["first_name"],
        "last_name": user["last_name"],
        "image_url": image_url,
        "has_image": has_image,
        "primary_email_address_id": user["primary_email_address_id"],
        "primary_phone_number_id": user["primary_phone_number_id"],
        "primary_web3_wallet_id": None,
        "password_enabled": bool(user["password_hash"]),
        "two_factor_enabled": mfa.two_factor_enabled(user),
        "totp_enabled": bool((user.get("totp") or {}).get("verified")),
        "backup_code_enabled": mfa.backup_code_enabled(user),
        "email_addresses": [_email_json(e) for e in user["email_addresses"]],
        "phone_numbers": [_phone_json(p) for p in user["phone_numbers"]],
        "web3_wallets": [],
        "passkeys": [passkey_json(pk) for pk in user.get("passkeys", [])
                     if (pk["verification"] or {}).get("status") == "verified"],
        "external_accounts": [external_account_json(a) for a in user.get("external_accounts", [])],
        "saml_accounts": [],
        "enterprise_accounts": [],
        "password_last_updated_at": user.get("password_last_updated_at"),
        "public_metadata": user["public_metadata"],
        "unsafe_metadata": user["unsafe_metadata"],
        "external_id": user["external_id"],
        "last_sign_in_at": user["last_sign_in_at"],
        "banned": user["banned"],
        "locked": locked,
        "lockout_expires_in_seconds": lockout_expires,
        "verification_attempts_remaining": attempts_left,
        "created_at": user["created_at"],
        "updated_at": user["updated_at"],
        "delete_self_enabled": user.get("delete_self_enabled", True),
        "create_organization_enabled": user.get("create_organization_enabled", True),
        "last_active_at": user["last_active_at"],
        "mfa_enabled_at": user.get("mfa_enabled_at"),
        "mfa_disabled_at": user.get("mfa_disabled_at"),
        "legal_accepted_at": user.get("legal_accepted_at"),
        "profile_image_url": image_url,
        "locale": user.get("locale"),
        "bypass_client_trust": bool(user.get("bypass_client_trust")),
        "create_organizations_limit": user.get("create_organizations_limit"),
    }


def external_account_json(account: dict[str, Any]) -> dict[str, Any]:
    """An OAuth account linked to a user (``google_account``/``provider: google`` as Clerk answers today)."""
    provider = account["provider"]
    return {
        "object": f"{provider}_account" if provider in ("google", "facebook") else "external_account",
        "id": account["id"],
        "provider": provider,
        "identification_id": account["identification_id"],
        "provider_user_id": account["provider_user_id"],
        "approved_scopes": account["approved_scopes"],
        "email_address": account["email_address"],
        "email_address_verified": account.get("email_address_verified"),
        "first_name": account["first_name"],
        "last_name": account["last_name"],
        "avatar_url": account.get("image_url") or "",
        "image_url": account.get("image_url"),
        "username": account.get("username"),
        "phone_number": None,
        "public_metadata": {},
        "label": None,
        "created_at": account["created_at"],
        "updated_at": account["updated_at"],
        "verification": _public(account["verification"]),
    }


def fapi_user(store: Store, user: dict[str, Any]) -> dict[str, Any]:
    """FAPI ``Client.User``; never carries ``private_metadata``."""
    out = _user_common(user)
    out["organization_memberships"] = [fapi_membership(store, m) for m in memberships_of_user(store, user["id"])]
    return out


def bapi_user(user: dict[str, Any]) -> dict[str, Any]:
    out = _user_common(user)
    out["private_metadata"] = user["private_metadata"]
    # The Backend API's passkeys have no timestamps but their last use (the registration until first used).
    out["passkeys"] = [{"id": p["id"], "object": "passkey", "name": p["name"],
                        "last_used_at": p["last_used_at"] or p["created_at"],
                        "verification": {"object": "verification_passkey", "status": "verified", "strategy": "passkey",
                                         "attempts": p["verification"].get("attempts"),
                                         "expire_at": p["verification"].get("expire_at")}}
                       for p in out["passkeys"]]
    # The Backend API's verification_from_oauth has no redirect URL (the Frontend API's has it, as null).
    for item in out["email_addresses"]:
        ver = item["verification"]
        if ver is not None and ver.get("object") == "verification_from_oauth":
            item["verification"] = {k: v for k, v in ver.items() if k != "external_verification_redirect_url"}
    return out


def public_user_data(user: dict[str, Any]) -> dict[str, Any]:
    image_url, has_image = user_image(user)
    return {
        "first_name": user["first_name"],
        "last_name": user["last_name"],
        "image_url": image_url,
        "has_image": has_image,
        "identifier": primary_email(user) or user["username"] or user["id"],
        "profile_image_url": image_url,
        "user_id": user["id"],
        "username": user["username"],
    }


# --- organizations ------------------------------------------------------------------------------
def load_org(store: Store, org_id: str) -> dict[str, Any]:
    org = store.get("organizations", org_id)
    if org is None:
        rows = store.where("organizations", "slug=?", (org_id,))
        org = rows[0] if rows else None
    if org is None:
        raise ClerkError("resource_not_found", "organization")
    return org


def memberships_of_user(store: Store, user_id: str) -> list[dict[str, Any]]:
    return store.where("memberships", "user_id=? ORDER BY created_at, id", (user_id,))


def memberships_of_org(store: Store, org_id: str) -> list[dict[str, Any]]:
    return store.where("memberships", "org_id=? ORDER BY created_at, id", (org_id,))


def members_count(store: Store, org_id: str) -> int:
    return int(store.db.execute("SELECT COUNT(*) FROM memberships WHERE org_id=?", (org_id,)).fetchone()[0])


def org_image(org: dict[str, Any]) -> tuple[str, bool]:
    """(image URL, has_image) of an organization: its uploaded logo, else the emulator's placeholder."""
    image_id = org.get("image_id")
    if image_id:
        return IMAGE_URL.replace("/avatar.svg", f"/images/{image_id}"), True
    return IMAGE_URL, False


def org_invitations(store: Store, org_id: str) -> list[dict[str, Any]]:
    """The organization's invitations, oldest first (any status)."""
    return store.where("org_invitations", "json_extract(data, '$.org_id')=? ORDER BY created_at, id", (org_id,))


def org_invitation_status(inv: dict[str, Any]) -> str:
    """``pending`` | ``accepted`` | ``revoked`` | ``expired`` (a pending invitation past ``expires_at``)."""
    status = str(inv["status"])
    if status == "pending" and inv["expires_at"] is not None and inv["expires_at"] <= now_ms():
        return "expired"
    return status


def pending_invitations_count(store: Store, org_id: str) -> int:
    """Pending invitations an admin sent (domain enrollment invitations are not counted)."""
    return sum(1 for inv in org_invitations(store, org_id)
               if org_invitation_status(inv) == "pending" and not inv.get("domain_id"))


def fapi_org(store: Store, org: dict[str, Any]) -> dict[str, Any]:
    image_url, has_image = org_image(org)
    return {
        "id": org["id"],
        "object": "organization",
        "name": org["name"],
        "slug": org["slug"],
        "image_url": image_url,
        "has_image": has_image,
        "members_count": members_count(store, org["id"]),
        "pending_invitations_count": pending_invitations_count(store, org["id"]),
        "max_allowed_memberships": org["max_allowed_memberships"],
        "admin_delete_enabled": bool(org.get("admin_delete_enabled", True)),
        "public_metadata": org["public_metadata"],
        "created_at": org["created_at"],
        "updated_at": org["updated_at"],
    }


def public_organization_data(org: dict[str, Any]) -> dict[str, Any]:
    image_url, has_image = org_image(org)
    return {"id": org["id"], "name": org["name"], "slug": org["slug"], "image_url": image_url,
            "has_image": has_image}


def bapi_org(store: Store, org: dict[str, Any]) -> dict[str, Any]:
    out = fapi_org(store, org)
    managers = [m for m in memberships_of_org(store, org["id"])
                if all(p in org_roles.permissions_of(m["role"]) for p in org_roles.MINIMUM_PERMISSIONS)]
    out.update({
        "private_metadata": org["private_metadata"],
        "created_by": org.get("created_by") or "",
        "missing_member_with_elevated_permissions": not managers,
    })
    return out


def role_name(role: str) -> str:
    return org_roles.role_name(role)


def fapi_membership(store: Store, mem: dict[str, Any]) -> dict[str, Any]:
    org = load_org(store, mem["org_id"])
    user = store.get("users", mem["user_id"])
    return {
        "id": mem["id"],
        "object": "organization_membership",
        "public_metadata": mem["public_metadata"],
        "role": mem["role"],
        "role_name": role_name(mem["role"]),
        "permissions": org_roles.permissions_of(mem["role"]),
        "created_at": mem["created_at"],
        "updated_at": mem["updated_at"],
        "organization": fapi_org(store, org),
        "public_user_data": public_user_data(user) if user else None,
    }


def bapi_membership(store: Store, mem: dict[str, Any]) -> dict[str, Any]:
    out = fapi_membership(store, mem)
    out["organization"] = bapi_org(store, load_org(store, mem["org_id"]))
    out["private_metadata"] = mem["private_metadata"]
    return out


# --- sessions and clients -----------------------------------------------------------------------
def new_client(store: Store) -> dict[str, Any]:
    ts = now_ms()
    client_id = new_id("client")
    # The client token (dev-browser token, __client cookie, native Authorization) is an RS256 JWT,
    # as Clerk's are; the emulator looks it up verbatim, so it cannot be forged or altered.
    token = sign_rs256(store.signing_key, store.kid, {
        "id": client_id, "rotating_token": secrets.token_hex(16), "iat": ts // 1000,
        "dev": new_id("dvb"),
    })
    client = {
        "id": client_id,
        "token": token,
        "sign_in_id": None,
        "sign_up_id": None,
        "last_active_session_id": None,
        "last_authentication_strategy": None,
        "created_at": ts,
        "updated_at": ts,
    }
    store.put_client(client)
    return client


def create_session(store: Store, client: dict[str, Any], user: dict[str, Any], strategy: str, *,
                   second_factor: bool = False) -> dict[str, Any]:
    """A new active session of ``user`` on ``client``; it has verified a first factor now (and a second one when
    ``second_factor``), which its ``factor_verification_age`` counts from. Its activity is the client's last seen
    request."""
    ts = now_ms()
    sess = {
        "id": new_id("sess"),
        "client_id": client["id"],
        "user_id": user["id"],
        "status": "active",
        "last_active_organization_id": None,
        "last_active_at": ts,
        "expire_at": ts + SESSION_LIFETIME_MS,
        "abandon_at": ts + 30 * 24 * 3600 * 1000,
        "created_at": ts,
        "updated_at": ts,
        "_fv": [ts, ts if second_factor else None],
        "_activity": client.get("_activity"),
    }
    store.put_session(sess)
    user["last_sign_in_at"] = ts
    user["last_active_at"] = ts
    save_user(store, user)
    client["last_active_session_id"] = sess["id"]
    client["last_authentication_strategy"] = strategy
    touch(client)
    store.put_client(client)
    return sess


def age_session(store: Store, session_id: str, minutes: int) -> dict[str, Any] | None:
    """Move the times the session last verified its factors ``minutes`` into the past (tests of reverification
    use it through ``POST /__emulator/sessions/{id}/age``); its remembered token is dropped so the next carries
    the new ``fva``."""
    sess = store.get("sessions", session_id)
    if sess is None:
        return None
    first, second = sess.get("_fv") or [sess["created_at"], None]
    shift = minutes * 60_000
    sess["_fv"] = [int(first) - shift, None if second is None else int(second) - shift]
    sess.pop("_token", None)
    store.put_session(sess)
    return sess


def is_active(store: Store, sess: dict[str, Any]) -> bool:
    """Active and not past ``expire_at`` (an expired session is marked ``expired`` on first sight)."""
    if sess["status"] != "active":
        return False
    if sess["expire_at"] <= now_ms():
        end_session(store, sess, "expired")
        return False
    return True


def active_sessions(store: Store, client_id: str) -> list[dict[str, Any]]:
    return [
        s for s in store.where("sessions", "client_id=? ORDER BY created_at, id", (client_id,))
        if is_active(store, s)
    ]


def revoke_sessions(store: Store, user_id: str, *, keep: str | None = None) -> None:
    """Revoke every active session of the user (but ``keep``, the caller's own, when given)."""
    for sess in store.where("sessions", "user_id=?", (user_id,)):
        if sess["status"] == "active" and sess["id"] != keep:
            end_session(store, sess, "revoked")


def end_session(store: Store, sess: dict[str, Any], status: str) -> None:
    sess["status"] = status
    touch(sess)
    store.put_session(sess)
    client = store.get("clients", sess["client_id"])
    if client and client["last_active_session_id"] == sess["id"]:
        remaining = active_sessions(store, client["id"])
        client["last_active_session_id"] = remaining[-1]["id"] if remaining else None
        touch(client)
        store.put_client(client)


def session_tasks(store: Store, sess: dict[str, Any]) -> list[dict[str, str]]:
    """What an active session must do before it is fully active: ``choose-organization`` while the instance forces
    organization selection and none is active; ``reset-password`` for a session begun after the user's password
    was marked compromised (BAPI ``password/set_compromised``) until it is changed; ``setup-mfa`` while
    ``sign_in.second_factor.required`` and the user has no second factor."""
    if sess["status"] != "active":
        return []
    tasks = []
    if (not sess.get("last_active_organization_id")
            and org_roles.organization_settings()["force_organization_selection"]):
        tasks.append({"key": "choose-organization"})
    user = store.get("users", sess["user_id"])
    marked = (user or {}).get("password_compromised_at")
    if user is not None and marked is not None and user["password_hash"] and sess["created_at"] >= marked:
        tasks.append({"key": "reset-password"})
    if mfa.mfa_required() and user is not None and not mfa.two_factor_enabled(user):
        tasks.append({"key": "setup-mfa"})
    return tasks


def session_status(store: Store, sess: dict[str, Any]) -> str:
    """The status a session is shown with: an active one with tasks left (``session_tasks``) is ``pending``."""
    if session_tasks(store, sess):
        return "pending"
    return str(sess["status"])


def _session_base(sess: dict[str, Any], status: str, tasks: list[dict[str, str]] | None = None) -> dict[str, Any]:
    return {
        "id": sess["id"],
        "object": "session",
        "status": status,
        "expire_at": sess["expire_at"],
        "abandon_at": sess["abandon_at"],
        "last_active_at": sess["last_active_at"],
        "last_active_token": None,
        "actor": None,
        "tasks": tasks or None,
    }


def fapi_session(store: Store, sess: dict[str, Any]) -> dict[str, Any]:
    user = store.get("users", sess["user_id"])
    out = _session_base(sess, session_status(store, sess), session_tasks(store, sess))
    out.update({
        "last_active_organization_id": sess["last_active_organization_id"],
        "user": fapi_user(store, user) if user else None,
        "public_user_data": public_user_data(user) if user else None,
        "factor_verification_age": mfa.factor_verification_age(sess),
        "created_at": sess["created_at"],
        "updated_at": sess["updated_at"],
    })
    if out["user"] is None:
        del out["user"]
    return out


def fapi_active_session(sess: dict[str, Any]) -> dict[str, Any]:
    """An item of ``GET /v1/me/sessions/active``: the session and its ``latest_activity``."""
    out = _session_base(sess, str(sess["status"]))
    out["latest_activity"] = activity.session_activity(sess["id"], sess.get("_activity"))
    return out


def bapi_session(sess: dict[str, Any]) -> dict[str, Any]:
    return {
        "object": "session",
        "id": sess["id"],
        "user_id": sess["user_id"],
        "client_id": sess["client_id"],
        "actor": None,
        "status": sess["status"],
        "last_active_organization_id": sess["last_active_organization_id"],
        "last_active_at": sess["last_active_at"],
        "expire_at": sess["expire_at"],
        "abandon_at": sess["abandon_at"],
        "created_at": sess["created_at"],
        "updated_at": sess["updated_at"],
    }
