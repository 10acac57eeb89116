"""Sign-up attempts (``/v1/client/sign_ups``)."""

from __future__ import annotations

from typing import Any

from .._sentinels import UNSET
from ..errors import ClerkValidationError
from ..wire import SignUpJSON
from ._attempt import _Attempt
from ._base import _METADATA_KEYS, _params

__all__ = ["SignUp"]

# `metadata` is imported inside create(): load() never needs it, and every module costs compile time in the browser.


class SignUp(_Attempt[SignUpJSON]):
    """A sign-up attempt: email + password (+ unsafe_metadata), verified by email code."""

    _wire = SignUpJSON
    _root = "/client/sign_ups"
    status: str | None
    required_fields: list[str]
    missing_fields: list[str]
    unverified_fields: list[str]
    verifications: dict[str, Any] | None
    email_address: str | None
    unsafe_metadata: dict[str, Any]
    created_session_id: str | None
    created_user_id: str | None

    async def create(self, *, unsafe_metadata: dict[str, Any] = UNSET, **params: Any) -> SignUp:
        """Start a sign-up (``POST /client/sign_ups``), e.g. ``email_address=…, password=…``.

        ``unsafe_metadata`` is validated like :meth:`User.update_metadata` and sent as one JSON field;
        ``public_metadata``/``private_metadata`` are refused (backend-only).
        """
        from ..metadata import refuse_backend_only, validate_metadata

        for name in params:
            if name in _METADATA_KEYS:
                raise refuse_backend_only(name) if "unsafe" not in name.lower() else ClerkValidationError(
                    "Pass unsafe_metadata= in snake_case.")
        form: dict[str, Any] = _params(params, "SignUp.create")
        if unsafe_metadata is not UNSET:
            form["unsafe_metadata"] = validate_metadata(unsafe_metadata)
        await self._create(form)
        return self

    async def prepare_email_address_verification(self) -> SignUp:
        """Send the email code (``POST …/prepare_verification``, ``strategy=email_code``)."""
        await self._post("prepare_verification", {"strategy": "email_code"})
        return self

    async def attempt_email_address_verification(self, *, code: str) -> SignUp:
        """Verify the email with ``code`` (``POST …/attempt_verification``)."""
        await self._post("attempt_verification", {"strategy": "email_code", "code": code})
        return self
