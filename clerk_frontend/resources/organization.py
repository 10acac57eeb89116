"""Organizations and the user's memberships of them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from .._sentinels import UNSET
from ..wire import OrganizationJSON, OrganizationMembershipJSON
from ._base import Paginated, Resource, _page, _paginated, _strings

__all__ = ["Organization", "OrganizationMembership"]


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

    async def update(self, *, name: str, slug: str | None = UNSET) -> Organization:
        """Rename the organization (``PATCH /organizations/{id}``, fields ``name`` and ``slug``)."""
        _strings("Organization.update", name=name, slug=slug)
        form: dict[str, Any] = {"name": name}
        if slug is not UNSET:
            form["slug"] = slug
        await self._clerk._request("PATCH", f"/organizations/{self.id}", form=form, into=self)
        return self

    async def get_memberships(
        self, *, initial_page: int = 1, page_size: int = 10, role: list[str] | None = None, query: str | None = None
    ) -> Paginated[OrganizationMembership]:
        """A page of this organization's memberships."""
        params = _page(initial_page, page_size)
        params += [("role", r) for r in role or ()]
        if query is not None:
            params.append(("query", query))
        payload = await self._clerk._request("GET", f"/organizations/{self.id}/memberships", query=params)
        return _paginated(self._clerk, payload, OrganizationMembership)


class OrganizationMembership(Resource[OrganizationMembershipJSON]):
    """A user's membership of an organization, with role and permissions."""

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
