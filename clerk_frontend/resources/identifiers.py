"""The user's identifiers: email addresses and phone numbers, with their verification."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from ..errors import ClerkValidationError
from ..wire import EmailAddressJSON, PhoneNumberJSON, VerificationJSON
from ._base import Resource, W, _params, _strings

if TYPE_CHECKING:
    from .email_link import EmailLinkFlow

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

    async def _reload(self) -> None:
        await self._clerk._request("GET", f"{self._path}/{self.id}", apply_client=True, into=self)


class EmailAddress(_Verifiable[EmailAddressJSON]):
    """An email address of the current user."""

    _wire = EmailAddressJSON
    _path = "/me/email_addresses"
    email_address: str
    reserved: bool
    verification: VerificationJSON | None
    linked_to: list[dict[str, Any]]
    created_at: datetime | None
    updated_at: datetime | None

    async def reload(self) -> EmailAddress:
        """Fetch this address afresh (``GET /me/email_addresses/{id}``) and apply the client it carries."""
        await self._reload()
        return self

    def create_email_link_flow(self) -> EmailLinkFlow[EmailAddress]:
        """An email-link flow verifying this address (``redirect_url``: the page the link opens)."""
        from .email_link import EmailLinkFlow

        return EmailLinkFlow(self, self._prepare_email_link, ("verified", "expired"))

    async def _prepare_email_link(self, redirect_url: str,
                                  email_address_id: str | None) -> Callable[[], VerificationJSON | None]:
        url = self._clerk._absolute(redirect_url, "email link flow: redirect_url")
        await self.prepare_verification(strategy="email_link", redirect_url=url)
        return lambda: self.verification


class PhoneNumber(_Verifiable[PhoneNumberJSON]):
    """A phone number of the current user."""

    _wire = PhoneNumberJSON
    _path = "/me/phone_numbers"
    phone_number: str
    reserved: bool
    reserved_for_second_factor: bool
    default_second_factor: bool
    backup_codes: list[str] | None
    verification: VerificationJSON | None
    linked_to: list[dict[str, Any]]
    created_at: datetime | None
    updated_at: datetime | None

    async def set_reserved_for_second_factor(self, *, reserved: bool = True) -> PhoneNumber:
        """Use (or stop using) this verified number for SMS second factors."""
        if not isinstance(reserved, bool):
            raise ClerkValidationError("reserved must be a bool.")
        return await self._patch({"reserved_for_second_factor": reserved})

    async def make_default_second_factor(self) -> PhoneNumber:
        """Make this number the default SMS second factor."""
        return await self._patch({"default_second_factor": True})

    async def _patch(self, form: dict[str, Any]) -> PhoneNumber:
        await self._clerk._request("PATCH", f"{self._path}/{self.id}", form=form, into=self)
        return self
