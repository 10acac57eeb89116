"""The WebAuthn bridge for passkeys: ``navigator.credentials`` of the browser page, called from Python in Pyodide,
and the base64url JSON clerk-js sends (``serializePublicKeyCredential*``). ``clerk.webauthn``, when set, replaces
the browser (an object with :class:`BrowserWebAuthn`'s methods; tests and other embedders)."""

from __future__ import annotations

import base64
import json
import sys
from typing import Any

from .errors import ClerkRuntimeError, ClerkWebAuthnError

__all__ = ["BrowserWebAuthn", "b64url_decode", "b64url_encode"]


def b64url_encode(data: bytes) -> str:
    """Unpadded base64url, as clerk-js encodes buffers."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    """Bytes of (unpadded) base64url."""
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _bytes(value: Any) -> bytes | None:
    to_bytes = getattr(value, "to_bytes", None)  # a JS ArrayBuffer in Pyodide
    if callable(to_bytes) and not isinstance(value, int):
        return bytes(to_bytes())
    return bytes(value) if isinstance(value, (bytes, bytearray, memoryview)) else None


def _b64(value: Any) -> str | None:
    data = _bytes(value)
    return None if data is None else b64url_encode(data)


def public_key_options(nonce: str | None, *lists: str) -> dict[str, Any]:
    """The WebAuthn options a verification's ``nonce`` holds (JSON), with ``challenge``, ``user.id`` and the ids
    of the credential ``lists`` decoded from base64url to bytes."""
    if not nonce:
        raise ClerkRuntimeError("The Frontend API sent no WebAuthn options (verification nonce).",
                                code="invalid_response")
    options: dict[str, Any] = json.loads(nonce)
    options["challenge"] = b64url_decode(options["challenge"])
    if "user" in options:
        options["user"] = {**options["user"], "id": b64url_decode(options["user"]["id"])}
    for name in lists:
        options[name] = [{**c, "id": b64url_decode(c["id"])} for c in options.get(name) or ()]
    return options


def _serialize(credential: Any, response: dict[str, Any]) -> str:
    attachment = getattr(credential, "authenticatorAttachment", None)
    data = {"type": str(credential.type), "id": str(credential.id), "rawId": _b64(credential.rawId),
            "authenticatorAttachment": attachment if isinstance(attachment, str) else None, "response": response}
    return json.dumps(data, separators=(",", ":"))


def registration_json(credential: Any) -> str:
    """The ``public_key_credential`` of a passkey registration (``navigator.credentials.create()``'s result)."""
    r = credential.response
    transports = r.getTransports()
    return _serialize(credential, {
        "clientDataJSON": _b64(r.clientDataJSON), "attestationObject": _b64(r.attestationObject),
        "transports": [str(t) for t in (transports.to_py() if hasattr(transports, "to_py") else transports)]})


def assertion_json(credential: Any) -> str:
    """The ``public_key_credential`` of a passkey sign-in (``navigator.credentials.get()``'s result)."""
    r = credential.response
    return _serialize(credential, {
        "clientDataJSON": _b64(r.clientDataJSON), "authenticatorData": _b64(r.authenticatorData),
        "signature": _b64(r.signature), "userHandle": _b64(getattr(r, "userHandle", None))})


class BrowserWebAuthn:
    """``navigator.credentials`` of the page Pyodide runs in."""

    def __init__(self, window: Any) -> None:
        self._window = window
        self._abort: Any = None

    def available(self) -> bool:
        """True when the page has WebAuthn."""
        return bool(getattr(self._window, "PublicKeyCredential", None)) and hasattr(self._window.navigator,
                                                                                    "credentials")

    async def _ask(self, name: str) -> bool:
        try:
            return bool(await getattr(self._window.PublicKeyCredential, name)())
        except Exception:  # older browsers lack the method
            return False

    async def conditional_available(self) -> bool:
        """True when passkeys can be offered in the autofill of an input (conditional mediation)."""
        return await self._ask("isConditionalMediationAvailable")

    async def platform_available(self) -> bool:
        """True when a user-verifying platform authenticator is present."""
        return await self._ask("isUserVerifyingPlatformAuthenticatorAvailable")

    def _js(self, value: Any) -> Any:
        from js import Object
        from pyodide.ffi import to_js

        return to_js(value, dict_converter=Object.fromEntries)

    async def create(self, public_key: dict[str, Any]) -> Any:
        """``navigator.credentials.create({publicKey})``."""
        return await self._window.navigator.credentials.create(self._js({"publicKey": public_key}))

    async def get(self, public_key: dict[str, Any], mediation: str) -> Any:
        """``navigator.credentials.get({publicKey, mediation, signal})``; a new call aborts the previous one."""
        if self._abort is not None:
            self._abort.abort()
        self._abort = self._window.AbortController.new()
        options = self._js({"publicKey": public_key, "mediation": mediation})
        options.signal = self._abort.signal
        return await self._window.navigator.credentials.get(options)


def webauthn(clerk: Any) -> Any:
    """``clerk.webauthn``, else the browser page's; ``passkey_not_supported`` when there is none or no WebAuthn."""
    impl = getattr(clerk, "webauthn", None)
    if impl is None and sys.platform == "emscripten":
        try:
            import js

            impl = BrowserWebAuthn(js.window)
        except Exception:  # Node or a worker: no window
            impl = None
    if impl is None or not impl.available():
        raise ClerkWebAuthnError("Passkeys need WebAuthn: a browser page (Pyodide) with navigator.credentials.",
                                 code="passkey_not_supported")
    return impl


_CODES = {"AbortError": "passkey_operation_aborted", "SecurityError": "passkey_invalid_rpID_or_domain"}


async def call(work: Any, creating: bool) -> Any:
    """Await the browser's ``create``/``get``; its failures become clerk-js's :class:`ClerkWebAuthnError` codes."""
    try:
        credential = await work
    except Exception as exc:
        name = getattr(exc, "name", None)
        codes = {**_CODES, "NotAllowedError": "passkey_registration_cancelled" if creating
                 else "passkey_retrieval_cancelled"}
        if creating:
            codes["InvalidStateError"] = "passkey_already_exists"
        if name not in codes:
            raise
        raise ClerkWebAuthnError(str(getattr(exc, "message", "") or exc), code=codes[name]) from exc
    if not credential:
        raise ClerkWebAuthnError(f"Browser failed to {'create' if creating else 'get'} credential",
                                 code="passkey_registration_failed" if creating else "passkey_retrieval_failed")
    return credential
