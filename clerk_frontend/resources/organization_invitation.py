"""Invitations to organizations: the organization's side and the invited user's side."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..wire_organizations import OrganizationInvitationJSON, PublicOrganizationDataJSON
from ._base import Paginated, Resource, _paginated, _strings

if TYPE_CHECKING:
    from .user import User

__all__ = ["OrganizationInvitation", "UserOrganizationInvitation"]


class _Invitation(Resource[OrganizationInvitationJSON]):
    _wire = OrganizationInvitationJSON
    email_address: str
    role: str
    role_name: str | None
    organization_id: str | None
    public_organization_data: PublicOrganizationDataJSON | None
    status: str | None
    public_metadata: dict[str, Any]
    url: str | None
    expires_at: datetime | None
    created_at: datetime | None
    updated_at: datetime | None


class OrganizationInvitation(_Invitation):
    """An invitation to join an organization, as its admins see it."""

    async def revoke(self) -> OrganizationInvitation:
        """Revoke a pending invitation."""
        await self._clerk._request("POST", f"/organizations/{self.organization_id}/invitations/{self.id}/revoke",
                                   into=self)
        return self


class UserOrganizationInvitation(_Invitation):
    """An invitation to one of the signed-in user's addresses."""

    async def accept(self) -> UserOrganizationInvitation:
        """Join the organization; the user's memberships hold it at once."""
        await self._clerk._request("POST", f"/me/organization_invitations/{self.id}/accept", into=self)
        return self


async def user_invitations(user: User, initial_page: int, page_size: int,
                           status: str | None) -> Paginated[UserOrganizationInvitation]:
    """See :meth:`User.get_organization_invitations`."""
    from ._organization_calls import offset as _offset

    _strings("User.get_organization_invitations", status=status)
    params = ([("status", status)] if status is not None else []) + _offset(initial_page, page_size)
    payload = await user._clerk._request("GET", "/me/organization_invitations", query=params)
    return _paginated(user._clerk, payload, UserOrganizationInvitation)
