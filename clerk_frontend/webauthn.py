"""Passkeys' WebAuthn bridge: the page's ``navigator.credentials`` from Python, with clerk-js's base64url JSON;
``clerk.webauthn`` (an object with :class:`BrowserWebAuthn`'s methods) replaces the browser."""

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
    """Bytes of unpadded base64url."""
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _b64(value: Any) -> str | None:
    if hasattr(value, "to_bytes") and not isinstance(value, int):  # a JS ArrayBuffer
        value = value.to_bytes()
    return b64url_encode(bytes(value)) if isinstance(value, (bytes, bytearray, memoryview)) else None


def public_key_options(nonce: str | None, *lists: str) -> dict[str, Any]:
    """The options JSON of a ``nonce``; the challenge, user id and ids in ``lists`` as bytes."""
    if not nonce:
        raise ClerkRuntimeError("The answer has no WebAuthn options (verification nonce).", code="invalid_response")
    options: dict[str, Any] = json.loads(nonce)
    options["challenge"] = b64url_decode(options["challenge"])
    if "user" in options:
        options["user"] = {**options["user"], "id": b64url_decode(options["user"]["id"])}
    for name in lists:
        options[name] = [{**c, "id": b64url_decode(c["id"])} for c in options.get(name) or ()]
    return options


def credential_json(credential: Any, *fields: str) -> str:
    """clerk-js's JSON of a credential with these response ``fields``."""
    r, response = credential.response, dict[str, Any]()
    for name in fields:
        if name == "transports":
            value = r.getTransports()
            response[name] = list(value.to_py() if hasattr(value, "to_py") else value)
        else:
            response[name] = _b64(getattr(r, name, None))
    attachment = getattr(credential, "authenticatorAttachment", None)
    return json.dumps({"type": credential.type, "id": credential.id, "rawId": _b64(credential.rawId),
                       "authenticatorAttachment": attachment if isinstance(attachment, str) else None,
                       "response": response}, separators=(",", ":"))


class BrowserWebAuthn:
    """``navigator.credentials`` of the page Pyodide runs in."""

    def __init__(self, window: Any) -> None:
        self._window = window
        self._abort: Any = None

    def available(self) -> bool:
        """True when the page has WebAuthn."""
        return bool(getattr(self._window, "PublicKeyCredential", None))

    async def _ask(self, name: str) -> bool:
        try:
            return bool(await getattr(self._window.PublicKeyCredential, name)())
        except Exception:  # an older browser without the method
            return False

    async def conditional_available(self) -> bool:
        """True when passkeys may be offered in an input's autofill."""
        return await self._ask("isConditionalMediationAvailable")

    async def platform_available(self) -> bool:
        """True when the device has a user-verifying platform authenticator."""
        return await self._ask("isUserVerifyingPlatformAuthenticatorAvailable")

    async def create(self, public_key: dict[str, Any]) -> Any:
        """``navigator.credentials.create({publicKey})``."""
        return await self._call("create", {"publicKey": public_key})

    async def get(self, public_key: dict[str, Any], mediation: str) -> Any:
        """``navigator.credentials.get(…)``; a new call aborts the previous one."""
        if self._abort is not None:
            self._abort.abort()
        self._abort = self._window.AbortController.new()
        return await self._call("get", {"publicKey": public_key, "mediation": mediation,
                                        "signal": self._abort.signal})

    async def _call(self, name: str, options: dict[str, Any]) -> Any:
        from js import Object
        from pyodide.ffi import to_js

        # Bytes become Uint8Arrays, dicts plain objects.
        return await getattr(self._window.navigator.credentials, name)(
            to_js(options, dict_converter=Object.fromEntries))


def webauthn(clerk: Any) -> Any:
    """``clerk.webauthn``, else the page's; ``passkey_not_supported`` without one."""
    impl = getattr(clerk, "webauthn", None)
    if impl is None and sys.platform == "emscripten":
        try:
            import js

            impl = BrowserWebAuthn(js.window)
        except Exception:  # Node or a worker: no window
            pass
    if impl is None or not impl.available():
        raise ClerkWebAuthnError("Passkeys need WebAuthn: a browser page with navigator.credentials.",
                                 code="passkey_not_supported")
    return impl


async def call(work: Any, creating: bool) -> Any:
    """Await ``create``/``get``; failures become clerk-js's :class:`ClerkWebAuthnError` codes."""
    verb = "registration" if creating else "retrieval"
    try:
        credential = await work
    except Exception as exc:
        code = {"AbortError": "passkey_operation_aborted", "SecurityError": "passkey_invalid_rpID_or_domain",
                "NotAllowedError": f"passkey_{verb}_cancelled",
                "InvalidStateError": "passkey_already_exists" if creating else None}.get(str(getattr(exc, "name", "")))
        if code is None:
            raise
        raise ClerkWebAuthnError(str(getattr(exc, "message", exc)), code=code) from exc
    if not credential:
        raise ClerkWebAuthnError("The browser returned no credential.", code=f"passkey_{verb}_failed")
    return credential
