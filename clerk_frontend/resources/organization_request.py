"""Joining through a verified domain (suggestions, membership requests); creation defaults."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from ..wire_organizations import (
    OrganizationMembershipRequestJSON,
    OrganizationSuggestionJSON,
    PublicOrganizationDataJSON,
)
from ._base import Paginated, Resource, _paginated

if TYPE_CHECKING:
    from .user import User

__all__ = ["OrganizationCreationDefaults", "OrganizationMembershipRequest", "OrganizationSuggestion"]


class OrganizationMembershipRequest(Resource[OrganizationMembershipRequestJSON]):
    """A user's request to join an organization."""

    _wire = OrganizationMembershipRequestJSON
    organization_id: str
    status: str | None
    public_user_data: dict[str, Any] | None
    created_at: datetime | None
    updated_at: datetime | None

    async def accept(self) -> OrganizationMembershipRequest:
        """Let the user in."""
        await self._clerk._request(
            "POST", f"/organizations/{self.organization_id}/membership_requests/{self.id}/accept", into=self)
        return self

    async def reject(self) -> OrganizationMembershipRequest:
        """Turn the request down."""
        await self._clerk._request(
            "POST", f"/organizations/{self.organization_id}/membership_requests/{self.id}/reject", into=self)
        return self


class OrganizationSuggestion(Resource[OrganizationSuggestionJSON]):
    """An organization the user may ask to join (through a verified domain)."""

    _wire = OrganizationSuggestionJSON
    public_organization_data: PublicOrganizationDataJSON | None
    status: str | None
    created_at: datetime | None
    updated_at: datetime | None

    async def accept(self) -> OrganizationSuggestion:
        """Ask to join: the organization receives a membership request."""
        await self._clerk._request("POST", f"/me/organization_suggestions/{self.id}/accept", into=self)
        return self


async def user_suggestions(user: User, initial_page: int, page_size: int,
                           status: str | list[str] | None) -> Paginated[OrganizationSuggestion]:
    """See :meth:`User.get_organization_suggestions`."""
    from ._organization_calls import offset as _offset
    from ._organization_calls import repeated as _repeated

    params = _repeated("User.get_organization_suggestions", "status", status) + _offset(initial_page, page_size)
    payload = await user._clerk._request("GET", "/me/organization_suggestions", query=params)
    return _paginated(user._clerk, payload, OrganizationSuggestion)


class OrganizationCreationDefaults(NamedTuple):
    """``form`` (name, slug, …) and ``advisory`` (or None) for a new organization."""

    form: dict[str, Any]
    advisory: dict[str, Any] | None


async def creation_defaults(user: User) -> OrganizationCreationDefaults:
    """See :meth:`User.get_organization_creation_defaults`."""
    from ..errors import ClerkRuntimeError

    payload = await user._clerk._request("GET", "/me/organization_creation_defaults")
    if not isinstance(payload, dict):
        raise ClerkRuntimeError("Unexpected answer from /me/organization_creation_defaults.", code="invalid_response")
    form, advisory = payload.get("form"), payload.get("advisory")
    return OrganizationCreationDefaults(form if isinstance(form, dict) else {},
                                        advisory if isinstance(advisory, dict) else None)
