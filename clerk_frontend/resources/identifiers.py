"""The user's identifiers: email addresses and phone numbers, with their verification."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from ..wire import EmailAddressJSON, PhoneNumberJSON
from ._base import Resource, W, _params, _strings

__all__ = ["EmailAddress", "PhoneNumber"]


class _Verifiable(Resource[W]):
    _path: ClassVar[str]

    async def prepare_verification(self, *, strategy: str, **params: Any) -> None:
        """Start verification (e.g. ``strategy="email_code"`` sends a one-time code)."""
        await self._clerk._request("POST", f"{self._path}/{self.id}/prepare_verification",
                                   form={"strategy": strategy, **_params(params, "prepare_verification")}, into=self)

    async def attempt_verification(self, *, code: str) -> None:
        """Complete verification with the one-time ``code``."""
        _strings("attempt_verification", code=code)
        await self._clerk._request("POST", f"{self._path}/{self.id}/attempt_verification", form={"code": code},
                                   into=self)

    async def destroy(self) -> None:
        """Delete this identifier from the user."""
        await self._clerk._request("DELETE", f"{self._path}/{self.id}")


class EmailAddress(_Verifiable[EmailAddressJSON]):
    """An email address of the current user."""

    _wire = EmailAddressJSON
    _path = "/me/email_addresses"
    email_address: str
    reserved: bool
    verification: Any
    linked_to: list[dict[str, Any]]
    created_at: datetime | None
    updated_at: datetime | None


class PhoneNumber(_Verifiable[PhoneNumberJSON]):
    """A phone number of the current user."""

    _wire = PhoneNumberJSON
    _path = "/me/phone_numbers"
    phone_number: str
    reserved: bool
    reserved_for_second_factor: bool
    default_second_factor: bool
    verification: Any
    linked_to: list[dict[str, Any]]
    created_at: datetime | None
    updated_at: datetime | None
