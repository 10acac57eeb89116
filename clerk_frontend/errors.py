"""The error hierarchy of clerk-frontend (the tree is in docs/sdk.md, Errors). Anything else (a ``TypeError``, a
pydantic ``ValidationError`` on a malformed answer) is a bug and surfaces as itself."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, ClassVar, NamedTuple

__all__ = [
    "ClerkAPIError",
    "ClerkAPIResponseError",
    "ClerkError",
    "ClerkNetworkError",
    "ClerkRuntimeError",
    "ClerkValidationError",
    "ClerkWebAuthnError",
    "EmailLinkError",
    "InvalidPublishableKeyError",
    "MetadataError",
    "MetadataRefusedError",
    "ReverificationRequiredError",
]


class ClerkError(Exception):
    """Root of every error raised by clerk-frontend.

    ``code`` is a short machine-readable identifier, ``message`` a one-line summary and ``long_message``
    an explanation meant for developers.
    """

    def __init__(self, message: str, *, code: str = "clerk_error", long_message: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.long_message = long_message or message


class ClerkAPIError(NamedTuple):
    """One entry of the ``errors`` list of a Frontend API error response."""

    code: str
    message: str
    long_message: str
    meta: Mapping[str, Any] = MappingProxyType({})

    @classmethod
    def from_json(cls, data: Any) -> ClerkAPIError:
        """Build an entry from its wire JSON, tolerating missing keys."""
        if not isinstance(data, dict):
            return cls(code="unknown", message=str(data), long_message=str(data))
        message = str(data.get("message") or "")
        meta = data.get("meta")
        return cls(
            code=str(data.get("code") or "unknown"),
            message=message,
            long_message=str(data.get("long_message") or message),
            meta=meta if isinstance(meta, dict) else {},
        )


class ClerkAPIResponseError(ClerkError):
    """The Frontend API answered status >= 400: ``status``, ``errors``, ``retry_after`` (429), ``clerk_trace_id``."""

    def __init__(
        self,
        status: int,
        errors: list[ClerkAPIError],
        *,
        retry_after: int | None = None,
        clerk_trace_id: str | None = None,
    ) -> None:
        first = errors[0] if errors else None
        message = (first.long_message if first else "") or f"HTTP {status}"
        super().__init__(message, code=first.code if first else f"http_{status}", long_message=message)
        self.status = status
        self.errors = errors
        self.retry_after = retry_after
        self.clerk_trace_id = clerk_trace_id

    def __str__(self) -> str:
        text = f"{self.status} {self.code}: {self.message}"
        return f"{text} (clerk_trace_id={self.clerk_trace_id})" if self.clerk_trace_id else text


class ReverificationRequiredError(ClerkAPIResponseError):
    """403 ``session_reverification_required``: the action needs a recent verification of the session."""

    def __init__(self, status: int, errors: list[ClerkAPIError], **kwargs: Any) -> None:
        super().__init__(status, errors, **kwargs)
        self.message = self.long_message = self.args[0] + (
            " Reverify first: with_reverification(clerk, action, verify) does and retries the action once; or "
            "session.start_verification(level=…), then its factors (docs/sdk.md, Reverification).")
        self.args = (self.message,)


class ClerkRuntimeError(ClerkError):
    """The SDK could not carry out a request (not loaded, no session, unreadable answer, …)."""


class ClerkNetworkError(ClerkRuntimeError):
    """The request got no HTTP answer: connection refused, CORS failure, DNS, timeout.

    ``url`` is the request URL; the transport's own exception is chained as ``__cause__``.
    """

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f'Network error at "{url}" - {reason}', code="network_error")
        self.url = url


class ClerkWebAuthnError(ClerkRuntimeError):
    """A passkey operation failed in the browser (clerk-js's codes: ``passkey_not_supported``, …)."""


class EmailLinkError(ClerkError):
    """An email link did not verify (clerk-js's ``EmailLinkError``): ``code`` ``expired``, ``client_mismatch``
    or ``failed``."""

    _MESSAGES: ClassVar[dict[str, str]] = {
        "expired": "The email link has expired.",
        "client_mismatch": "The email link was opened in another browser than the one that asked for it.",
        "failed": "The email link could not be verified.",
    }

    def __init__(self, code: str) -> None:
        super().__init__(self._MESSAGES.get(code, self._MESSAGES["failed"]), code=code)


class ClerkValidationError(ClerkError, ValueError):
    """Input the SDK refuses before sending anything; local state is untouched."""

    def __init__(self, message: str, *, code: str = "validation_error") -> None:
        super().__init__(message, code=code)


class InvalidPublishableKeyError(ClerkValidationError):
    """The publishable key is malformed, or is a secret key that must never reach a browser."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code="invalid_publishable_key")


class MetadataError(ClerkValidationError):
    """Metadata that cannot be sent: wrong kind, not JSON, too large."""

    def __init__(self, message: str, *, code: str = "invalid_metadata") -> None:
        super().__init__(message, code=code)


class MetadataRefusedError(MetadataError):
    """Metadata passed to ``User.update()``, which API version 2026-05-12 no longer accepts."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code="metadata_refused")
