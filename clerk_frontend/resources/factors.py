"""TOTP, backup codes, passkeys, reverification, sessions with activities; imported on first use."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from ..errors import ClerkRuntimeError, ClerkValidationError, ClerkWebAuthnError, ReverificationRequiredError
from ..webauthn import call, credential_json, public_key_options, webauthn
from ..wire import Strings, VerificationJSON, Wire
from ._attempt import with_factor_id
from ._base import R, Resource, _strings

if TYPE_CHECKING:
    from ..clerk import Clerk
    from .session import Session
    from .sign_in import SignIn
    from .user import User

__all__ = ["TOTP", "BackupCode", "Passkey", "SessionVerification", "SessionWithActivities", "with_reverification"]

T = TypeVar("T")


# Wire models: annotations stay real objects (pydantic), as in ..wire.
class TOTPJSON(Wire):
    id: str = ""
    secret: str | None = None
    uri: str | None = None
    verified: bool = False
    backup_codes: list[str] | None = None


class BackupCodeJSON(Wire):
    id: str = ""
    codes: Strings = []  # noqa: RUF012  # pydantic copies defaults per instance


class PasskeyJSON(Wire):
    id: str = ""
    name: str | None = None
    verification: VerificationJSON | None = None
    last_used_at: int | None = None
    created_at: int | None = None
    updated_at: int | None = None


class SessionActivity(Wire):
    """A session's latest activity."""

    id: str = ""
    device_type: str | None = None
    is_mobile: bool = False
    browser_name: str | None = None
    browser_version: str | None = None
    ip_address: str | None = None
    city: str | None = None
    country: str | None = None


class SessionWithActivitiesJSON(Wire):
    id: str = ""
    status: str = ""
    latest_activity: SessionActivity | None = None
    actor: dict[str, Any] | None = None
    expire_at: int | None = None
    abandon_at: int | None = None
    last_active_at: int | None = None


class SessionVerificationJSON(Wire):
    id: str = ""
    status: str | None = None
    level: str | None = None
    supported_first_factors: list[dict[str, Any]] | None = None
    supported_second_factors: list[dict[str, Any]] | None = None
    first_factor_verification: VerificationJSON | None = None
    second_factor_verification: VerificationJSON | None = None


def made(clerk: Clerk, cls: type[R], payload: Any) -> R:
    """A ``cls`` resource of ``payload``."""
    return cls(clerk, cls._wire.model_validate(payload))


class TOTP(Resource[TOTPJSON]):
    """An authenticator app: ``secret`` and ``otpauth://`` ``uri``; once verified, ``backup_codes`` (if any)."""

    _wire = TOTPJSON
    secret: str | None
    uri: str | None
    verified: bool
    backup_codes: list[str] | None


class BackupCode(Resource[BackupCodeJSON]):
    """New single-use backup ``codes``, shown once."""

    _wire = BackupCodeJSON
    codes: list[str]


class Passkey(Resource[PasskeyJSON]):
    """A passkey of the user (``user.passkeys``)."""

    _wire = PasskeyJSON
    name: str | None
    verification: VerificationJSON | None
    last_used_at: datetime | None
    created_at: datetime | None

    async def update(self, *, name: str) -> Passkey:
        """Rename it (``PATCH /me/passkeys/{id}``)."""
        _strings("Passkey.update", name=name)
        await self._clerk._request("PATCH", f"/me/passkeys/{self.id}", form={"name": name}, into=self)
        return self

    async def delete(self) -> dict[str, Any]:
        """Remove it (``DELETE /me/passkeys/{id}``); returns the deleted object."""
        return dict(await self._clerk._request("DELETE", f"/me/passkeys/{self.id}") or {})


def passkeys_of(user: User) -> list[Passkey]:
    # One object per id, refreshed in place.
    held: dict[str, Passkey] = user.__dict__.setdefault("_passkeys", {})
    result = []
    for item in (user.raw.model_extra or {}).get("passkeys") or () if user.raw else ():
        data = PasskeyJSON.model_validate(item)
        if data.id in held:
            held[data.id]._from_json(data)
        else:
            held[data.id] = Passkey(user._clerk, data)
        result.append(held[data.id])
    return result


async def register_passkey(user: User) -> Passkey:
    clerk = user._clerk
    browser = webauthn(clerk)
    passkey = made(clerk, Passkey, await clerk._request("POST", "/me/passkeys"))
    options = public_key_options(_nonce(passkey.verification), "excludeCredentials")
    if ((options.get("authenticatorSelection") or {}).get("authenticatorAttachment") == "platform"
            and not await browser.platform_available()):
        raise ClerkWebAuthnError("This passkey needs a platform authenticator; the device has none.",
                                 code="passkey_pa_not_supported")
    credential = credential_json(await call(browser.create(options), True), "clientDataJSON", "attestationObject",
                                 "transports")
    await clerk._request("POST", f"/me/passkeys/{passkey.id}/attempt_verification", into=passkey,
                         form={"strategy": "passkey", "public_key_credential": credential})
    user.__dict__.setdefault("_passkeys", {})[passkey.id] = passkey
    return passkey


def _nonce(verification: VerificationJSON | None) -> str | None:
    return verification.nonce if verification is not None else None


async def sign_in_with_passkey(sign_in: SignIn, flow: str | None) -> SignIn:
    # clerk-js's authenticateWithPasskey: without a flow, at the second step of a sign-in that lists a passkey
    # second factor, that factor (prepare, assert without conditional UI, attempt); else the first factor.
    if flow not in (None, "autofill", "discoverable"):
        raise ClerkValidationError(f"flow must be None, 'autofill' or 'discoverable', got {flow!r}.")
    browser = webauthn(sign_in._clerk)
    if not flow and sign_in.status in ("needs_second_factor", "needs_client_trust") and any(
            f.get("strategy") == "passkey" for f in sign_in.supported_second_factors or ()):
        await sign_in.prepare_second_factor(strategy="passkey")
        options = public_key_options(_nonce(sign_in.second_factor_verification), "allowCredentials")
        return await sign_in.attempt_second_factor(strategy="passkey",
                                                   public_key_credential=await _assertion(browser, options))
    if flow:
        await sign_in.create(strategy="passkey")
    elif any(f.get("strategy") == "passkey" for f in sign_in.supported_first_factors or ()):
        await sign_in.prepare_first_factor(strategy="passkey")
    else:
        raise ClerkRuntimeError("This sign-in offers no passkey; pass flow='discoverable' to use any.",
                                code="passkey_not_offered")
    options = public_key_options(_nonce(sign_in.first_factor_verification), "allowCredentials")
    mediation = "conditional" if flow == "autofill" and await browser.conditional_available() else "optional"
    return await sign_in.attempt_first_factor(strategy="passkey",
                                              public_key_credential=await _assertion(browser, options, mediation))


async def _assertion(browser: Any, options: dict[str, Any], mediation: str = "optional") -> str:
    """The browser's answer to ``navigator.credentials.get`` for ``options``, as the JSON string FAPI takes."""
    return credential_json(await call(browser.get(options, mediation), False), "clientDataJSON",
                           "authenticatorData", "signature", "userHandle")


async def session_verify_with_passkey(session: Session) -> SessionVerification:
    # clerk-js's session.verifyWithPasskey: the first factor of a reverification, without conditional UI.
    browser = webauthn(session._clerk)
    held = await session.prepare_first_factor_verification(strategy="passkey")
    options = public_key_options(_nonce(held.first_factor_verification), "allowCredentials")
    return await session.attempt_first_factor_verification(strategy="passkey",
                                                           public_key_credential=await _assertion(browser, options))


class SessionVerification(Resource[SessionVerificationJSON]):
    """A reverification of ``session`` (``status`` ``needs_first_factor``, ``needs_second_factor``, ``complete``),
    refreshed by the session's ``*_verification`` methods."""

    _wire = SessionVerificationJSON
    status: str | None
    level: str | None
    supported_first_factors: list[dict[str, Any]] | None
    supported_second_factors: list[dict[str, Any]] | None
    first_factor_verification: VerificationJSON | None
    second_factor_verification: VerificationJSON | None
    session: Session


async def session_verify(session: Session, action: str, form: dict[str, Any]) -> SessionVerification:
    held: SessionVerification | None = session.__dict__.get("_verification")
    if action.startswith("prepare") and held is not None:  # the id defaults to the listed factor's
        factors = held.supported_second_factors if "second" in action else held.supported_first_factors
        form = {"strategy": form["strategy"], **with_factor_id(factors, form["strategy"], form)}
    data = SessionVerificationJSON.model_validate(await session._clerk._request(
        "POST", f"/client/sessions/{session.id}/verify" + (f"/{action}" if action else ""), form=form))
    if held is None or held.id != data.id:
        held = session.__dict__["_verification"] = SessionVerification(session._clerk, data)
    else:
        held._from_json(data)
    held.session = session
    return held


async def with_reverification(clerk: Clerk, action: Callable[[], Awaitable[T]],
                              verify: Callable[[SessionVerification], Awaitable[Any]], *,
                              level: str = "second_factor") -> T:
    """clerk-js's ``useReverification``: run ``action()``; on :class:`~clerk_frontend.ReverificationRequiredError`
    start a verification at ``level``, ``await verify(verification)`` (raise to cancel), run ``action()`` again."""
    try:
        return await action()
    except ReverificationRequiredError:
        session = clerk.session
        if session is None:
            raise
    verification = await session.start_verification(level=level)
    if verification.status != "complete":
        await verify(verification)
    if verification.status != "complete":
        raise ClerkRuntimeError(f"The reverification ended in status {verification.status!r}.",
                                code="reverification_incomplete")
    clerk._tokens.clear(session.id)  # the next token carries the new verification age
    return await action()


class SessionWithActivities(Resource[SessionWithActivitiesJSON]):
    """An active session of the user (``user.get_sessions()``) with its :class:`SessionActivity`."""

    _wire = SessionWithActivitiesJSON
    status: str
    latest_activity: SessionActivity | None
    actor: dict[str, Any] | None
    last_active_at: datetime | None
    expire_at: datetime | None

    async def revoke(self) -> SessionWithActivities:
        """End it (``POST /me/sessions/{id}/revoke``); may need reverification."""
        payload = await self._clerk._request("POST", f"/me/sessions/{self.id}/revoke")
        if isinstance(payload, dict):  # a plain session: the activity stays
            self._from_json(self._wire.model_validate({**payload, "latest_activity": self.latest_activity}))
        return self


async def sessions_of(user: User) -> list[SessionWithActivities]:
    payload = await user._clerk._request("GET", "/me/sessions/active")  # a bare array
    if not isinstance(payload, list):
        raise ClerkRuntimeError("Unexpected answer from /me/sessions/active.", code="invalid_response")
    return [made(user._clerk, SessionWithActivities, item) for item in payload]
