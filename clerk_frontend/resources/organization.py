"""Organizations and memberships. Membership changes answer with the client piggybacked, applied first: the
user's memberships, ``clerk.organization`` and listeners then reflect the server. The other organization objects
live in modules of their own, imported on first use."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from .._sentinels import UNSET
from ..errors import ClerkRuntimeError, ClerkValidationError
from ..wire import OrganizationJSON, OrganizationMembershipJSON
from ._base import Paginated, Resource, _paginated, _strings

if TYPE_CHECKING:
    from .organization_domain import OrganizationDomain
    from .organization_invitation import OrganizationInvitation
    from .organization_request import OrganizationMembershipRequest
    from .organization_role import Role

__all__ = ["Organization", "OrganizationMembership"]


def _offset(initial_page: int, page_size: int) -> list[tuple[str, str]]:
    """clerk-js's paging: ``limit=page_size``, ``offset=(initial_page - 1) * page_size``."""
    for name, value in (("initial_page", initial_page), ("page_size", page_size)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ClerkValidationError(f"{name} must be a positive int.")
    return [("limit", str(page_size)), ("offset", str((initial_page - 1) * page_size))]


def _repeated(where: str, name: str, value: str | list[str] | None) -> list[tuple[str, str]]:
    """A filter sent as one ``name=`` per value (clerk-js turns arrays into repeated keys)."""
    if value is None:
        return []
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, (list, tuple)) or not all(isinstance(v, str) and v for v in values):
        raise ClerkValidationError(f"{where}: {name} must be a non-empty str or a list of them.")
    return [(name, v) for v in values]


def _required(where: str, **values: Any) -> None:
    for name, value in values.items():
        if not isinstance(value, str) or not value:
            raise ClerkValidationError(f"{where}: {name} is required (a non-empty str).")


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
        from ..fapi import encode_multipart

        path = f"/organizations/{self.id}/logo"
        if file is None:
            payload = await self._clerk._request("DELETE", path)
            if isinstance(payload, dict) and payload.get("object") == "organization":
                self._apply_payload(payload)
            else:  # a deleted object (as the spec says): take the organization from the client just applied
                self._refresh_from_memberships()
            return self
        if isinstance(file, str):
            body, ctype = file.encode(), "application/octet-stream"
        elif isinstance(file, (bytes, bytearray)):
            body, ctype = encode_multipart("file", filename, bytes(file), content_type)
        else:
            raise ClerkValidationError("Organization.set_logo() takes bytes, a str or None.")
        await self._clerk._request("PUT", path, body=body, content_type=ctype, into=self)
        return self

    def _refresh_from_memberships(self) -> None:
        user = self._clerk.user
        for membership in user.organization_memberships if user is not None else ():
            held = membership.organization
            if held.id == self.id and held is not self and held.raw is not None:
                self._from_json(held.raw)

    async def destroy(self) -> None:
        """Delete the organization (``DELETE /organizations/{id}``); its memberships end."""
        await self._clerk._request("DELETE", f"/organizations/{self.id}")

    # -- memberships ----------------------------------------------------------------------------------

    async def get_memberships(
        self, *, initial_page: int = 1, page_size: int = 10, role: str | list[str] | None = None,
        query: str | None = None,
    ) -> Paginated[OrganizationMembership]:
        """A page of memberships (``GET …/memberships``), optionally of the roles ``role`` or matching ``query``."""
        params = _repeated("Organization.get_memberships", "role", role)
        _strings("Organization.get_memberships", query=query)
        if query is not None:
            params.append(("query", query))
        params += [("paginated", "true"), *_offset(initial_page, page_size)]
        payload = await self._clerk._request("GET", f"/organizations/{self.id}/memberships", query=params)
        return _paginated(self._clerk, payload, OrganizationMembership)

    async def add_member(self, *, user_id: str, role: str) -> OrganizationMembership:
        """Add a user (``POST …/memberships``)."""
        _required("Organization.add_member", user_id=user_id, role=role)
        payload = await self._clerk._request("POST", f"/organizations/{self.id}/memberships",
                                             form={"user_id": user_id, "role": role})
        return self._membership(payload)

    async def update_member(self, *, user_id: str, role: str) -> OrganizationMembership:
        """Change a member's role (``PATCH …/memberships/{user_id}``)."""
        _required("Organization.update_member", user_id=user_id, role=role)
        payload = await self._clerk._request("PATCH", f"/organizations/{self.id}/memberships/{user_id}",
                                             form={"role": role})
        return self._membership(payload)

    async def remove_member(self, user_id: str) -> OrganizationMembership:
        """Remove a member (``DELETE …/memberships/{user_id}``); returns the removed membership."""
        _required("Organization.remove_member", user_id=user_id)
        payload = await self._clerk._request("DELETE", f"/organizations/{self.id}/memberships/{user_id}")
        return self._membership(payload)

    def _membership(self, payload: Any) -> OrganizationMembership:
        data = OrganizationMembershipJSON.model_validate(payload)
        user = self._clerk.user
        held = next((m for m in user.organization_memberships if m.id == data.id), None) if user else None
        if held is not None:  # the current user's own membership: the one object the user holds
            held._from_json(data)
            return held
        return OrganizationMembership(self._clerk, data)

    # -- invitations and membership requests -----------------------------------------------------------

    async def invite_member(self, *, email_address: str, role: str) -> OrganizationInvitation:
        """Invite an email address (``POST …/invitations``)."""
        from .organization_invitation import OrganizationInvitation

        _required("Organization.invite_member", email_address=email_address, role=role)
        payload = await self._clerk._request("POST", f"/organizations/{self.id}/invitations",
                                             form={"email_address": email_address, "role": role})
        return OrganizationInvitation(self._clerk, OrganizationInvitation._wire.model_validate(payload))

    async def invite_members(self, *, email_addresses: list[str], role: str) -> list[OrganizationInvitation]:
        """Invite several addresses at once (``POST …/invitations/bulk``); all or none."""
        from .organization_invitation import OrganizationInvitation

        where = "Organization.invite_members"
        if not isinstance(email_addresses, (list, tuple)) or not email_addresses:
            raise ClerkValidationError(f"{where}: email_addresses must be a non-empty list of str.")
        for address in email_addresses:
            _required(where, email_address=address)
        _required(where, role=role)
        payload = await self._clerk._request("POST", f"/organizations/{self.id}/invitations/bulk",
                                             form={"email_address": list(email_addresses), "role": role})
        if not isinstance(payload, list):
            raise ClerkRuntimeError("The bulk invitation endpoint answered without a list.", code="invalid_response")
        return [OrganizationInvitation(self._clerk, OrganizationInvitation._wire.model_validate(item))
                for item in payload]

    async def get_invitations(
        self, *, initial_page: int = 1, page_size: int = 10, status: str | list[str] | None = None,
    ) -> Paginated[OrganizationInvitation]:
        """A page of invitations (``GET …/invitations``), optionally of the given statuses."""
        from .organization_invitation import OrganizationInvitation

        params = _repeated("Organization.get_invitations", "status", status) + _offset(initial_page, page_size)
        payload = await self._clerk._request("GET", f"/organizations/{self.id}/invitations", query=params,
                                             apply_client=True)
        return _paginated(self._clerk, payload, OrganizationInvitation)

    async def get_membership_requests(
        self, *, initial_page: int = 1, page_size: int = 10, status: str | None = None,
    ) -> Paginated[OrganizationMembershipRequest]:
        """A page of requests to join (``GET …/membership_requests``)."""
        from .organization_request import OrganizationMembershipRequest

        _strings("Organization.get_membership_requests", status=status)
        params = ([("status", status)] if status is not None else []) + _offset(initial_page, page_size)
        payload = await self._clerk._request("GET", f"/organizations/{self.id}/membership_requests", query=params)
        return _paginated(self._clerk, payload, OrganizationMembershipRequest)

    # -- domains and roles ----------------------------------------------------------------------------

    async def create_domain(self, name: str, *, enrollment_mode: str | None = None) -> OrganizationDomain:
        """Add a domain (``POST …/domains``)."""
        from .organization_domain import OrganizationDomain

        _required("Organization.create_domain", name=name)
        _strings("Organization.create_domain", enrollment_mode=enrollment_mode)
        form: dict[str, Any] = {"name": name}
        if enrollment_mode is not None:
            form["enrollment_mode"] = enrollment_mode
        payload = await self._clerk._request("POST", f"/organizations/{self.id}/domains", form=form)
        return OrganizationDomain(self._clerk, OrganizationDomain._wire.model_validate(payload))

    async def get_domains(
        self, *, initial_page: int = 1, page_size: int = 10, enrollment_mode: str | None = None,
    ) -> Paginated[OrganizationDomain]:
        """A page of domains (``GET …/domains``)."""
        from .organization_domain import OrganizationDomain

        _strings("Organization.get_domains", enrollment_mode=enrollment_mode)
        params = _offset(initial_page, page_size)
        if enrollment_mode:
            params.append(("enrollment_mode", enrollment_mode))
        payload = await self._clerk._request("GET", f"/organizations/{self.id}/domains", query=params,
                                             apply_client=True)
        return _paginated(self._clerk, payload, OrganizationDomain)

    async def get_domain(self, domain_id: str) -> OrganizationDomain:
        """One domain (``GET …/domains/{domain_id}``)."""
        from .organization_domain import OrganizationDomain

        _required("Organization.get_domain", domain_id=domain_id)
        payload = await self._clerk._request("GET", f"/organizations/{self.id}/domains/{domain_id}")
        return OrganizationDomain(self._clerk, OrganizationDomain._wire.model_validate(payload))

    async def get_roles(self, *, initial_page: int = 1, page_size: int = 10) -> Paginated[Role]:
        """The roles members can be given (``GET …/roles``); sets :attr:`has_role_set_migration`."""
        from .organization_role import Role

        payload = await self._clerk._request("GET", f"/organizations/{self.id}/roles",
                                             query=_offset(initial_page, page_size), apply_client=True)
        if isinstance(payload, dict):
            migration = payload.get("has_role_set_migration")
            self.has_role_set_migration = migration if isinstance(migration, bool) else None
        return _paginated(self._clerk, payload, Role)


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
        _required("OrganizationMembership.update", role=role)
        await self._clerk._request("PATCH", self._path("update"), form={"role": role}, into=self)
        return self

    async def destroy(self) -> OrganizationMembership:
        """Remove this member."""
        await self._clerk._request("DELETE", self._path("destroy"), into=self)
        return self


def resolve_organization(session: Any, organization: Any, force_selection: bool) -> str | object | None:
    """The id ``set_active(organization=…)`` sends, as clerk-js picks it (a slug is looked up among the
    memberships; no match or None: personal, which is UNSET under forced selection)."""
    if isinstance(organization, Organization):
        return organization.id
    if organization is not None and not isinstance(organization, str):
        raise ClerkValidationError("set_active(): organization must be an Organization, an id, a slug or None.")
    if organization and organization.startswith("org_"):
        return organization
    found: str | None = None
    user = session.user
    if organization and user is not None:
        found = next((m.organization.id for m in user.organization_memberships
                      if m.organization.slug == organization), None)
    if found is None and force_selection:
        skip: object = UNSET
        return skip
    return found
