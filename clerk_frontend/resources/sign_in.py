"""Sign-in attempts (``/v1/client/sign_ins``)."""

from __future__ import annotations

from typing import Any

from ..errors import ClerkValidationError
from ..wire import SignInJSON
from ._attempt import _Attempt
from ._base import _params

__all__ = ["SignIn"]


class SignIn(_Attempt[SignInJSON]):
    """A sign-in attempt: password in one step, or email code (create → prepare → attempt)."""

    _wire = SignInJSON
    _root = "/client/sign_ins"
    status: str | None
    identifier: str | None
    supported_identifiers: list[str]
    supported_first_factors: list[dict[str, Any]] | None
    supported_second_factors: list[dict[str, Any]] | None
    first_factor_verification: dict[str, Any] | None
    second_factor_verification: dict[str, Any] | None
    created_session_id: str | None

    async def create(self, **params: Any) -> SignIn:
        """Start a sign-in (``POST /client/sign_ins``), e.g. ``identifier=…, password=…``."""
        await self._create(_params(params, "SignIn.create"))
        return self

    async def prepare_first_factor(self, *, strategy: str, **params: Any) -> SignIn:
        """Prepare a first factor; for ``email_code`` the ``email_address_id`` defaults to the identifier's."""
        self._created()
        params = _params(params, "prepare_first_factor")
        if strategy == "email_code" and "email_address_id" not in params:
            factor = next((f for f in self.supported_first_factors or () if f.get("strategy") == strategy), None)
            if factor is None or not factor.get("email_address_id"):
                raise ClerkValidationError("This sign-in offers no email_code factor; pass email_address_id=.")
            params["email_address_id"] = factor["email_address_id"]
        await self._post("prepare_first_factor", {"strategy": strategy, **params})
        return self

    async def attempt_first_factor(self, *, strategy: str, **params: Any) -> SignIn:
        """Attempt a first factor, e.g. ``strategy="email_code", code=…`` or ``strategy="password", password=…``."""
        await self._post("attempt_first_factor", {"strategy": strategy, **_params(params, "attempt_first_factor")})
        return self

    async def prepare_second_factor(self, *, strategy: str, **params: Any) -> SignIn:
        """Prepare a second factor."""
        await self._post("prepare_second_factor", {"strategy": strategy, **_params(params, "prepare_second_factor")})
        return self

    async def attempt_second_factor(self, *, strategy: str, **params: Any) -> SignIn:
        """Attempt a second factor."""
        await self._post("attempt_second_factor", {"strategy": strategy, **_params(params, "attempt_second_factor")})
        return self
