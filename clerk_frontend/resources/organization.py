"""Organizations and memberships. Membership changes answer with the client piggybacked, applied first: the
user's memberships, ``clerk.organization`` and listeners then reflect the server. ``load()`` imports this module,
so the methods only delegate: their work (and the other organization objects) is imported on first use."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from .._sentinels import UNSET
from ..errors import ClerkValidationError
from ..wire import OrganizationJSON, OrganizationMembershipJSON
from ._base import Paginated, Resource, _strings

if TYPE_CHECKING:
    from types import ModuleType

    from .organization_domain import OrganizationDomain
    from .organization_invitation import OrganizationInvitation
    from .organization_request import OrganizationMembershipRequest
    from .organization_role import Role

__all__ = ["Organization", "OrganizationMembership"]


def _calls() -> ModuleType:
    from . import _organization_calls

    return _organization_calls


class Organization(Resource[OrganizationJSON]):
    """An organization the current user belongs to."""

    _wire = OrganizationJSON
    name: str
    slug: str | None
    image_url: str | None
    has_image: bool
    members_count: int | None
    pending_invitations_count: int | None
    max_allowed_memberships: int | None
    admin_delete_enabled: bool
    public_metadata: dict[str, Any]
    created_at: datetime | None
    updated_at: datetime | None
    #: ``has_role_set_migration`` of the last :meth:`get_roles` answer (role pickers should be disabled while
    #: True); None before any.
    has_role_set_migration: bool | None = None

    async def reload(self) -> Organization:
        """Fetch the organization afresh (``GET /organizations/{id}``)."""
        await self._clerk._request("GET", f"/organizations/{self.id}", apply_client=True, into=self)
        return self

    async def update(self, *, name: str, slug: str | None = UNSET) -> Organization:
        """Rename the organization (``PATCH /organizations/{id}``, fields ``name`` and ``slug``)."""
        _strings("Organization.update", name=name, slug=slug)
        form: dict[str, Any] = {"name": name}
        if slug is not UNSET:
            form["slug"] = slug
        await self._clerk._request("PATCH", f"/organizations/{self.id}", form=form, into=self)
        return self

    async def set_logo(self, file: bytes | str | None, *, filename: str = "logo.png",
                       content_type: str = "image/png") -> Organization:
        """Upload the logo (``PUT …/logo``; bytes: multipart ``file``, str: octet-stream); None removes it."""
        await _calls().set_logo(self, file, filename, content_type)
        return self

    async def destroy(self) -> None:
        """Delete the organization (``DELETE /organizations/{id}``); its memberships end."""
        await self._clerk._request("DELETE", f"/organizations/{self.id}")

    async def get_memberships(
        self, *, initial_page: int = 1, page_size: int = 10, role: str | list[str] | None = None,
        query: str | None = None,
    ) -> Paginated[OrganizationMembership]:
        """A page of memberships (``GET …/memberships``), optionally of the roles ``role`` or matching ``query``."""
        result: Paginated[OrganizationMembership] = await _calls().get_memberships(self, initial_page, page_size,
                                                                                  role, query)
        return result

    async def add_member(self, *, user_id: str, role: str) -> OrganizationMembership:
        """Add a user (``POST …/memberships``)."""
        result: OrganizationMembership = await _calls().member_call(self, "add_member", "POST", user_id, role)
        return result

    async def update_member(self, *, user_id: str, role: str) -> OrganizationMembership:
        """Change a member's role (``PATCH …/memberships/{user_id}``)."""
        result: OrganizationMembership = await _calls().member_call(self, "update_member", "PATCH", user_id, role)
        return result

    async def remove_member(self, user_id: str) -> OrganizationMembership:
        """Remove a member (``DELETE …/memberships/{user_id}``); returns the removed membership."""
        result: OrganizationMembership = await _calls().member_call(self, "remove_member", "DELETE", user_id, None)
        return result

    async def invite_member(self, *, email_address: str, role: str) -> OrganizationInvitation:
        """Invite an email address (``POST …/invitations``)."""
        result: OrganizationInvitation = await _calls().invite(self, None, email_address, role)
        return result

    async def invite_members(self, *, email_addresses: list[str], role: str) -> list[OrganizationInvitation]:
        """Invite several addresses at once (``POST …/invitations/bulk``); all or none."""
        result: list[OrganizationInvitation] = await _calls().invite(self, email_addresses, None, role)
        return result

    async def get_invitations(
        self, *, initial_page: int = 1, page_size: int = 10, status: str | list[str] | None = None,
    ) -> Paginated[OrganizationInvitation]:
        """A page of invitations (``GET …/invitations``), optionally of the given statuses."""
        result: Paginated[OrganizationInvitation] = await _calls().get_invitations(self, initial_page, page_size,
                                                                                  status)
        return result

    async def get_membership_requests(
        self, *, initial_page: int = 1, page_size: int = 10, status: str | None = None,
    ) -> Paginated[OrganizationMembershipRequest]:
        """A page of requests to join (``GET …/membership_requests``)."""
        result: Paginated[OrganizationMembershipRequest] = await _calls().get_membership_requests(
            self, initial_page, page_size, status)
        return result

    async def create_domain(self, name: str, *, enrollment_mode: str | None = None) -> OrganizationDomain:
        """Add a domain (``POST …/domains``)."""
        result: OrganizationDomain = await _calls().create_domain(self, name, enrollment_mode)
        return result

    async def get_domains(
        self, *, initial_page: int = 1, page_size: int = 10, enrollment_mode: str | None = None,
    ) -> Paginated[OrganizationDomain]:
        """A page of domains (``GET …/domains``)."""
        result: Paginated[OrganizationDomain] = await _calls().get_domains(self, initial_page, page_size,
                                                                          enrollment_mode)
        return result

    async def get_domain(self, domain_id: str) -> OrganizationDomain:
        """One domain (``GET …/domains/{domain_id}``)."""
        result: OrganizationDomain = await _calls().get_domain(self, domain_id)
        return result

    async def get_roles(self, *, initial_page: int = 1, page_size: int = 10) -> Paginated[Role]:
        """The roles members can be given (``GET …/roles``); sets :attr:`has_role_set_migration`."""
        result: Paginated[Role] = await _calls().get_roles(self, initial_page, page_size)
        return result


class OrganizationMembership(Resource[OrganizationMembershipJSON]):
    """A user's membership of an organization, with role and permissions (system ones included)."""

    _wire = OrganizationMembershipJSON
    role: str
    role_name: str | None
    permissions: list[str]
    public_metadata: dict[str, Any]
    organization: Organization
    public_user_data: dict[str, Any] | None
    created_at: datetime | None
    updated_at: datetime | None

    _nested = ("organization",)

    def _assign(self, data: OrganizationMembershipJSON, old: OrganizationMembershipJSON | None) -> bool:
        changed = super()._assign(data, old)
        current = getattr(self, "organization", None)
        if isinstance(current, Organization) and current.id == data.organization.id:
            return current._from_json(data.organization) or changed
        self.organization = Organization(self._clerk, data.organization)
        return True

    @property
    def user_id(self) -> str | None:
        """The member's user id (``public_user_data``, else the signed-in user's for its own membership)."""
        public = self.public_user_data or {}
        found = public.get("user_id") if isinstance(public, dict) else None
        if isinstance(found, str) and found:
            return found
        user = self._clerk.user
        if user is not None and any(m is self or m.id == self.id for m in user.organization_memberships):
            return user.id
        return None

    def _path(self, where: str) -> str:
        user_id = self.user_id
        if not user_id:
            raise ClerkValidationError(f"OrganizationMembership.{where}: the membership names no user.")
        return f"/organizations/{self.organization.id}/memberships/{user_id}"

    async def update(self, *, role: str) -> OrganizationMembership:
        """Change this member's role."""
        _calls().required("OrganizationMembership.update", role=role)
        await self._clerk._request("PATCH", self._path("update"), form={"role": role}, into=self)
        return self

    async def destroy(self) -> OrganizationMembership:
        """Remove this member."""
        await self._clerk._request("DELETE", self._path("destroy"), into=self)
        return self
