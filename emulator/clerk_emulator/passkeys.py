"""Passkeys: WebAuthn registration and assertion, verified with the ``webauthn`` library (py_webauthn).

The relying party is the page: its id is the host of the request's ``Origin`` (``X-Original-Host`` when a proxy
sends it; the instance's own host without either), and an answer is accepted only from that same origin. Options
go to the browser as the verification's ``nonce``, a JSON string of ``PublicKeyCredentialCreationOptionsJSON`` /
``PublicKeyCredentialRequestOptionsJSON`` (base64url without padding), as Clerk sends them. The challenge is kept
server-side and is spent by the first answer that passes, so a replayed answer is refused.

A user's passkeys live on the user document (``passkeys``): ``{id, name, credential_id, public_key, sign_count,
transports, rp_id, verification, last_used_at, created_at, updated_at}``; the credential id is also claimed in the
identifiers table (``passkey:<hex of the id>``), so an assertion finds its user.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import exceptions as webauthn_errors
from webauthn.helpers.cose import COSEAlgorithmIdentifier
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    AuthenticatorTransport,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from . import activity
from .errors import ClerkError
from .store import Store, new_id, now_ms

if TYPE_CHECKING:
    from .context import Instance
    from .http import Ctx

__all__ = ["MAX_PASSKEYS", "authentication_verification", "find", "finish_authentication", "finish_registration",
           "passkey_owner", "registration_verification", "relying_party", "remove"]

MAX_PASSKEYS = 10  # per user, as Clerk's quota
RP_NAME = "Local Clerk instance"  # the environment's application_name
OPTIONS_TIMEOUT_MS = 5 * 60 * 1000  # how long the browser may take, and how long the challenge lives
ALGORITHMS = [COSEAlgorithmIdentifier.ECDSA_SHA_256, COSEAlgorithmIdentifier.RSASSA_PKCS1_v1_5_SHA_256]
# Malformed input (422 passkey_invalid_public_key_credential) as opposed to a well-formed answer that fails.
_MALFORMED = (webauthn_errors.InvalidJSONStructure, webauthn_errors.InvalidCBORData,
              webauthn_errors.InvalidAuthenticatorDataStructure, webauthn_errors.InvalidAttestationObjectStructure,
              webauthn_errors.InvalidPublicKeyStructure, ValueError, KeyError, TypeError, binascii.Error)


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def relying_party(em: Instance, ctx: Ctx) -> tuple[str, str]:
    """``(rp_id, origin)``: the page's host and origin, from ``Origin`` (or ``X-Original-Host``)."""
    origin = (ctx.request.headers.get("Origin") or em.fapi_url).rstrip("/")
    original = ctx.request.headers.get("X-Original-Host")
    host = original.split(":")[0] if original else urlsplit(origin).hostname
    return (host or "localhost"), origin


def _index_key(credential_id: bytes) -> str:
    # Identifiers are stored lowercased; hex keeps distinct base64url ids distinct.
    return "passkey:" + credential_id.hex()


def passkey_owner(store: Store, credential_id: bytes) -> str | None:
    return store.identifier_owner(_index_key(credential_id))


def _verified(pk: dict[str, Any]) -> bool:
    return (pk["verification"] or {}).get("status") == "verified"


def _descriptors(user: dict[str, Any], rp_id: str) -> list[PublicKeyCredentialDescriptor]:
    out = []
    for pk in user.get("passkeys", []):
        if _verified(pk) and pk.get("rp_id") == rp_id:
            transports = [AuthenticatorTransport(t) for t in pk.get("transports") or []
                          if t in {item.value for item in AuthenticatorTransport}]
            out.append(PublicKeyCredentialDescriptor(id=_unb64url(pk["credential_id"]), transports=transports or None))
    return out


def _identifier(user: dict[str, Any]) -> str:
    for item in user["email_addresses"]:
        if item["id"] == user["primary_email_address_id"]:
            return str(item["email_address"])
    return str(user.get("username") or user["id"])


def _verification(options_json: str, challenge: bytes, rp_id: str) -> dict[str, Any]:
    return {"object": "verification_passkey", "status": "unverified", "strategy": "passkey", "attempts": 0,
            "expire_at": now_ms() + OPTIONS_TIMEOUT_MS, "nonce": options_json, "_challenge": _b64url(challenge),
            "_rp_id": rp_id}


# --- registration ---------------------------------------------------------------------------------
def registration_verification(em: Instance, ctx: Ctx, user: dict[str, Any]) -> dict[str, Any]:
    """A new, unverified passkey of ``user`` whose verification holds the creation options."""
    if sum(1 for pk in user.get("passkeys", []) if _verified(pk)) >= MAX_PASSKEYS:
        raise ClerkError("passkey_quota_exceeded", fill={"%d": str(MAX_PASSKEYS)})
    rp_id, _origin = relying_party(em, ctx)
    identifier = _identifier(user)
    display = " ".join(n for n in (user.get("first_name"), user.get("last_name")) if n) or identifier
    options = generate_registration_options(
        rp_id=rp_id, rp_name=RP_NAME,
        user_id=user["id"].encode(), user_name=identifier, user_display_name=display, timeout=OPTIONS_TIMEOUT_MS,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED, require_resident_key=True,
            user_verification=UserVerificationRequirement.REQUIRED),
        exclude_credentials=_descriptors(user, rp_id), supported_pub_key_algs=ALGORITHMS)
    seen = activity.parse_user_agent(ctx.request.headers.get("User-Agent", ""))
    name = " on ".join(p for p in (seen.get("browser_name"), seen.get("device_type")) if p) or "Passkey"
    ts = now_ms()
    passkey: dict[str, Any] = {
        "id": new_id("idn"), "name": name, "credential_id": None, "public_key": None, "sign_count": 0,
        "transports": [], "rp_id": rp_id, "last_used_at": None, "created_at": ts, "updated_at": ts,
        "verification": _verification(options_to_json(options), options.challenge, rp_id)}
    # Earlier registrations that never finished are dropped: nothing half-registered stays around.
    user["passkeys"] = [pk for pk in user.get("passkeys", []) if _verified(pk)] + [passkey]
    return passkey


def _parse_credential(raw: str | None) -> dict[str, Any]:
    try:
        data = json.loads(raw or "")
    except ValueError:
        data = None
    if not isinstance(data, dict) or not isinstance(data.get("id"), str) or not isinstance(data.get("response"),
                                                                                         dict):
        raise ClerkError("passkey_invalid_public_key_credential", param="public_key_credential")
    return data


def _client_challenge(credential: dict[str, Any]) -> str:
    try:
        client_data = json.loads(_unb64url(str(credential["response"]["clientDataJSON"])))
        return str(client_data["challenge"])
    except _MALFORMED:
        raise ClerkError("passkey_invalid_public_key_credential", param="public_key_credential") from None


def _check_open(ver: dict[str, Any] | None, credential: dict[str, Any]) -> dict[str, Any]:
    """The verification must be waiting for this very challenge (else the answer is stale or replayed)."""
    if ver is None or ver.get("strategy") != "passkey" or not ver.get("_challenge"):
        raise ClerkError("passkey_invalid_verification")
    if ver["status"] != "unverified" or _client_challenge(credential) != ver["_challenge"]:
        raise ClerkError("passkey_invalid_verification")
    if int(ver["expire_at"]) < now_ms():
        ver["status"] = "expired"
        raise ClerkError("verification_expired", keep_changes=True)
    return ver


def finish_registration(em: Instance, ctx: Ctx, user: dict[str, Any], passkey: dict[str, Any],
                        raw_credential: str | None) -> None:
    """Verify the browser's attestation for ``passkey`` (same origin and RP id as the options, our challenge, user
    verification) and store its public key; the passkey is then verified and usable."""
    credential = _parse_credential(raw_credential)
    ver = _check_open(passkey["verification"], credential)
    _rp_id, origin = relying_party(em, ctx)
    try:
        done = verify_registration_response(
            credential=credential, expected_challenge=_unb64url(ver["_challenge"]), expected_rp_id=ver["_rp_id"],
            expected_origin=origin, require_user_verification=True, supported_pub_key_algs=ALGORITHMS)
    except webauthn_errors.InvalidRegistrationResponse as exc:
        raise ClerkError("passkey_registration_failure", long_suffix=f" ({exc})") from None
    except _MALFORMED:
        raise ClerkError("passkey_invalid_public_key_credential", param="public_key_credential") from None
    if passkey_owner(em.store, done.credential_id) is not None:
        raise ClerkError("passkey_registration_failure", long_suffix=" (this credential is already registered)")
    em.store.add_identifier(_index_key(done.credential_id), user["id"], "passkey")
    transports = credential["response"].get("transports")
    passkey.update(credential_id=_b64url(done.credential_id), public_key=_b64url(done.credential_public_key),
                   sign_count=done.sign_count, updated_at=now_ms(),
                   transports=[t for t in transports if isinstance(t, str)] if isinstance(transports, list) else [])
    passkey["verification"] = {"object": "verification_passkey", "status": "verified", "strategy": "passkey",
                               "attempts": 1, "expire_at": ver["expire_at"]}


def forget(em: Instance, passkey: dict[str, Any]) -> None:
    """Release a deleted passkey's credential id."""
    if passkey.get("credential_id"):
        em.store.drop_identifier(_index_key(_unb64url(passkey["credential_id"])))


def find(user: dict[str, Any], passkey_id: str) -> dict[str, Any]:
    """The user's passkey (verified or still being registered) with this id, else 404 ``resource_not_found``."""
    for pk in user.get("passkeys", []):
        if pk["id"] == passkey_id:
            found: dict[str, Any] = pk
            return found
    raise ClerkError("resource_not_found", long_suffix=f" No passkey was found with id {passkey_id}.")


def remove(em: Instance, user: dict[str, Any], passkey: dict[str, Any]) -> None:
    """Delete the passkey from the user and release its credential id. The caller saves the user."""
    forget(em, passkey)
    user["passkeys"] = [pk for pk in user["passkeys"] if pk is not passkey]


# --- authentication -------------------------------------------------------------------------------
def authentication_verification(em: Instance, ctx: Ctx, user: dict[str, Any] | None) -> dict[str, Any]:
    """An unverified passkey verification holding request options: for ``user``'s passkeys, or for any
    discoverable credential (``allowCredentials: []``) when the user is not known yet."""
    rp_id, _origin = relying_party(em, ctx)
    allowed = _descriptors(user, rp_id) if user is not None else []
    if user is not None and not allowed:
        raise ClerkError("no_passkeys_found_for_user")
    options = generate_authentication_options(rp_id=rp_id, timeout=OPTIONS_TIMEOUT_MS, allow_credentials=allowed,
                                              user_verification=UserVerificationRequirement.REQUIRED)
    return _verification(options_to_json(options), options.challenge, rp_id)


def finish_authentication(em: Instance, ctx: Ctx, ver: dict[str, Any] | None, raw_credential: str | None,
                          expected_user_id: str | None) -> tuple[dict[str, Any], dict[str, Any]]:
    """Verify an assertion against ``ver``: our unexpired challenge, the same origin and RP id, a registered
    credential (of ``expected_user_id`` when the sign-in already names its user), a valid signature. Returns the
    user and the passkey; the verification is then ``verified`` and its challenge spent."""
    credential = _parse_credential(raw_credential)
    ver = _check_open(ver, credential)
    ver["attempts"] = int(ver.get("attempts") or 0) + 1
    try:
        raw_id = _unb64url(str(credential.get("rawId") or credential["id"]))
    except _MALFORMED:
        raise ClerkError("passkey_invalid_public_key_credential", param="public_key_credential") from None
    owner_id = passkey_owner(em.store, raw_id)
    user = em.store.get("users", owner_id) if owner_id else None
    passkey = next((pk for pk in (user or {}).get("passkeys", []) if pk.get("credential_id") == _b64url(raw_id)),
                   None)
    if user is None or passkey is None or not _verified(passkey):
        raise ClerkError("passkey_not_registered", keep_changes=True)
    handle = credential["response"].get("userHandle")
    if (expected_user_id is not None and user["id"] != expected_user_id) or (
            isinstance(handle, str) and handle and _unb64url(handle) != user["id"].encode()):
        raise ClerkError("passkey_authentication_failure", long_suffix=" (the passkey belongs to another account)",
                         keep_changes=True)
    _rp_id, origin = relying_party(em, ctx)
    if passkey.get("rp_id") != ver["_rp_id"]:
        raise ClerkError("passkey_authentication_failure", long_suffix=" (the passkey is for another domain)",
                         keep_changes=True)
    try:
        done = verify_authentication_response(
            credential=credential, expected_challenge=_unb64url(ver["_challenge"]), expected_rp_id=ver["_rp_id"],
            expected_origin=origin, credential_public_key=_unb64url(passkey["public_key"]),
            credential_current_sign_count=int(passkey.get("sign_count") or 0), require_user_verification=True)
    except webauthn_errors.InvalidAuthenticationResponse as exc:
        raise ClerkError("passkey_authentication_failure", long_suffix=f" ({exc})", keep_changes=True) from None
    except _MALFORMED:
        raise ClerkError("passkey_invalid_public_key_credential", param="public_key_credential") from None
    ts = now_ms()
    passkey.update(sign_count=done.new_sign_count, last_used_at=ts, updated_at=ts)
    ver.pop("_challenge", None)
    ver.pop("nonce", None)
    ver["status"] = "verified"
    return user, passkey
