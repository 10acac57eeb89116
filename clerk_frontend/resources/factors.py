"""Authentication factors: TOTP, backup codes, passkeys (registration, sign-in, reverification), session
verifications and the sessions-with-activities list. Imported on first use: ``load()`` never needs it."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..errors import ClerkRuntimeError, ClerkValidationError
from ..webauthn import assertion_json, call, public_key_options, registration_json, webauthn
from ..wire import VerificationJSON
from ..wire_factors import (
    TOTPJSON,
    BackupCodeJSON,
    PasskeyJSON,
    SessionActivityJSON,
    SessionVerificationJSON,
    SessionWithActivitiesJSON,
)
from ._attempt import with_factor_id
from ._base import R, Resource, _strings

if TYPE_CHECKING:
    from ..clerk import Clerk
    from .session import Session
    from .sign_in import SignIn
    from .user import User

__all__ = ["TOTP", "BackupCode", "Passkey", "SessionVerification", "SessionWithActivities"]


def made(clerk: Clerk, cls: type[R], payload: Any) -> R:
    """A ``cls`` resource of ``payload``."""
    return cls(clerk, cls._wire.model_validate(payload))


class TOTP(Resource[TOTPJSON]):
    """An authenticator-app (TOTP) factor: ``secret`` and its ``otpauth://`` ``uri`` (for a QR code) until verified;
    ``backup_codes`` (shown once) after verification when the instance has them."""

    _wire = TOTPJSON
    secret: str | None
    uri: str | None
    verified: bool
    backup_codes: list[str] | None
    created_at: datetime | None
    updated_at: datetime | None


class BackupCode(Resource[BackupCodeJSON]):
    """A new set of single-use backup ``codes`` (shown once; each call replaces the set)."""

    _wire = BackupCodeJSON
    codes: list[str]
    created_at: datetime | None
    updated_at: datetime | None


class Passkey(Resource[PasskeyJSON]):
    """A passkey of the user (``user.passkeys``, ``user.create_passkey()``)."""

    _wire = PasskeyJSON
    name: str | None
    verification: VerificationJSON | None
    last_used_at: datetime | None
    created_at: datetime | None
    updated_at: datetime | None

    async def update(self, *, name: str) -> Passkey:
        """Rename the passkey (``PATCH /me/passkeys/{id}``)."""
        _strings("Passkey.update", name=name)
        await self._clerk._request("PATCH", f"/me/passkeys/{self.id}", form={"name": name}, into=self)
        return self

    async def delete(self) -> dict[str, Any]:
        """Remove the passkey (``DELETE /me/passkeys/{id}``); returns the deleted object."""
        payload = await self._clerk._request("DELETE", f"/me/passkeys/{self.id}")
        return dict(payload) if isinstance(payload, dict) else {}


def passkeys_of(user: User) -> list[Passkey]:
    """``user.passkeys``: one object per passkey id, refreshed in place."""
    raw = user.raw
    items = (raw.model_extra or {}).get("passkeys") if raw is not None else None
    held: dict[str, Passkey] = user.__dict__.setdefault("_passkeys", {})
    result = []
    for item in items if isinstance(items, list) else ():
        data = PasskeyJSON.model_validate(item)
        passkey = held.get(data.id)
        if passkey is None:
            passkey = held[data.id] = Passkey(user._clerk, data)
        else:
            passkey._from_json(data)
        result.append(passkey)
    return result


async def register_passkey(user: User) -> Passkey:
    """``POST /me/passkeys``, ``navigator.credentials.create()`` with its options, then ``attempt_verification``."""
    clerk = user._clerk
    browser = webauthn(clerk)
    passkey = made(clerk, Passkey, await clerk._request("POST", "/me/passkeys"))
    options = public_key_options(_nonce(passkey.verification), "excludeCredentials")
    selection = options.get("authenticatorSelection") or {}
    if selection.get("authenticatorAttachment") == "platform" and not await browser.platform_available():
        from ..errors import ClerkWebAuthnError

        raise ClerkWebAuthnError("Registration requires a platform authenticator but the device does not support "
                                 "it.", code="passkey_pa_not_supported")
    credential = await call(browser.create(options), True)
    await clerk._request("POST", f"/me/passkeys/{passkey.id}/attempt_verification", into=passkey,
                         form={"strategy": "passkey", "public_key_credential": registration_json(credential)})
    user.__dict__.setdefault("_passkeys", {})[passkey.id] = passkey
    return passkey


def _nonce(verification: VerificationJSON | None) -> str | None:
    return verification.nonce if verification is not None else None


async def _assertion(clerk: Clerk, verification: VerificationJSON | None, conditional: bool = False) -> str:
    browser = webauthn(clerk)
    options = public_key_options(_nonce(verification), "allowCredentials")
    mediation = "conditional" if conditional and await browser.conditional_available() else "optional"
    return assertion_json(await call(browser.get(options, mediation), False))


async def sign_in_with_passkey(sign_in: SignIn, flow: str | None) -> SignIn:
    """clerk-js 6.40.0's ``authenticateWithPasskey``."""
    if flow not in (None, "autofill", "discoverable"):
        raise ClerkValidationError(f"flow must be None, 'autofill' or 'discoverable', got {flow!r}.")
    clerk = sign_in._clerk
    webauthn(clerk)
    second = sign_in.status in ("needs_second_factor", "needs_client_trust")
    if flow is None and second and any(f.get("strategy") == "passkey" for f in sign_in.supported_second_factors or ()):
        await sign_in.prepare_second_factor(strategy="passkey")
        credential = await _assertion(clerk, sign_in.second_factor_verification)
        return await sign_in.attempt_second_factor(strategy="passkey", public_key_credential=credential)
    if flow is not None:
        await sign_in.create(strategy="passkey")
    elif any(f.get("strategy") == "passkey" for f in sign_in.supported_first_factors or ()):
        await sign_in.prepare_first_factor(strategy="passkey")
    else:
        raise ClerkRuntimeError("This sign-in offers no passkey: create it with an identifier whose user has one, "
                                "or pass flow='discoverable'.", code="passkey_not_offered")
    credential = await _assertion(clerk, sign_in.first_factor_verification, flow == "autofill")
    return await sign_in.attempt_first_factor(strategy="passkey", public_key_credential=credential)


class SessionVerification(Resource[SessionVerificationJSON]):
    """A reverification of ``session`` (``session.start_verification()``): ``status`` is ``needs_first_factor``,
    ``needs_second_factor`` or ``complete``; the session's ``*_verification`` methods refresh this object."""

    _wire = SessionVerificationJSON
    _nested = ("session",)
    status: str | None
    level: str | None
    supported_first_factors: list[dict[str, Any]] | None
    supported_second_factors: list[dict[str, Any]] | None
    first_factor_verification: VerificationJSON | None
    second_factor_verification: VerificationJSON | None
    session: Session


async def session_verify(session: Session, action: str, form: dict[str, Any]) -> SessionVerification:
    """``POST /client/sessions/{id}/verify[/action]``; factor ids default from the verification in progress."""
    held: SessionVerification | None = session.__dict__.get("_verification")
    if action.startswith("prepare") and held is not None:
        factors = held.supported_second_factors if "second" in action else held.supported_first_factors
        form = {"strategy": form["strategy"], **with_factor_id(factors, form["strategy"], form)}
    path = f"/client/sessions/{session.id}/verify" + (f"/{action}" if action else "")
    payload = await session._clerk._request("POST", path, form=form)
    data = SessionVerificationJSON.model_validate(payload)
    if held is None or held.id != data.id:
        held = session.__dict__["_verification"] = SessionVerification(session._clerk, data)
    else:
        held._from_json(data)
    held.session = session
    return held


async def verify_with_passkey(session: Session, level: str) -> SessionVerification:
    """clerk-js 6.40.0's ``session.verifyWithPasskey({level})``."""
    if level not in ("first_factor", "second_factor"):
        raise ClerkValidationError(f"level must be 'first_factor' or 'second_factor', got {level!r}.")
    webauthn(session._clerk)
    kind = level.split("_")[0]
    verification = await session_verify(session, f"prepare_{kind}_factor", {"strategy": "passkey"})
    credential = await _assertion(session._clerk, getattr(verification, f"{kind}_factor_verification"))
    return await session_verify(session, f"attempt_{kind}_factor",
                                {"strategy": "passkey", "public_key_credential": credential})


class SessionWithActivities(Resource[SessionWithActivitiesJSON]):
    """An active session of the user (``user.get_sessions()``) with its ``latest_activity``: ``device_type``,
    ``is_mobile``, ``browser_name``, ``browser_version``, ``ip_address``, ``city``, ``country``."""

    _wire = SessionWithActivitiesJSON
    status: str
    latest_activity: SessionActivityJSON | None
    actor: dict[str, Any] | None
    last_active_organization_id: str | None
    expire_at: datetime | None
    abandon_at: datetime | None
    last_active_at: datetime | None

    async def revoke(self) -> SessionWithActivities:
        """End this session (``POST /me/sessions/{id}/revoke``); needs a recent verification (reverification)."""
        payload = await self._clerk._request("POST", f"/me/sessions/{self.id}/revoke")
        if isinstance(payload, dict):  # the answer is a plain session: the activity stays as it was
            self._from_json(self._wire.model_validate(
                {**payload, "latest_activity": payload.get("latest_activity") or self.latest_activity}))
        return self


async def sessions_of(user: User) -> list[SessionWithActivities]:
    """``GET /me/sessions/active`` (a bare array)."""
    payload = await user._clerk._request("GET", "/me/sessions/active")
    if not isinstance(payload, list):
        raise ClerkRuntimeError("Unexpected answer from /me/sessions/active.", code="invalid_response")
    return [made(user._clerk, SessionWithActivities, item) for item in payload]
