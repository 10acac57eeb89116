"""What the organization methods do, kept out of ``organization.py`` (which ``load()`` imports): this module is
compiled on the first organization call, not on every page load."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .._sentinels import UNSET
from ..errors import ClerkRuntimeError, ClerkValidationError
from ..wire import OrganizationMembershipJSON
from ._base import Paginated, _paginated, _strings
from .organization import Organization, OrganizationMembership

if TYPE_CHECKING:
    from .organization_domain import OrganizationDomain
    from .organization_invitation import OrganizationInvitation
    from .organization_request import OrganizationMembershipRequest
    from .organization_role import Role


def offset(initial_page: int, page_size: int) -> list[tuple[str, str]]:
    """clerk-js's paging: ``limit=page_size``, ``offset=(initial_page - 1) * page_size``."""
    for name, value in (("initial_page", initial_page), ("page_size", page_size)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ClerkValidationError(f"{name} must be a positive int.")
    return [("limit", str(page_size)), ("offset", str((initial_page - 1) * page_size))]


def repeated(where: str, name: str, value: str | list[str] | None) -> list[tuple[str, str]]:
    """A filter sent as one ``name=`` per value (clerk-js turns arrays into repeated keys)."""
    if value is None:
        return []
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, (list, tuple)) or not all(isinstance(v, str) and v for v in values):
        raise ClerkValidationError(f"{where}: {name} must be a non-empty str or a list of them.")
    return [(name, v) for v in values]


def required(where: str, **values: Any) -> None:
    for name, value in values.items():
        if not isinstance(value, str) or not value:
            raise ClerkValidationError(f"{where}: {name} is required (a non-empty str).")


def resolve_organization(session: Any, organization: Any, force_selection: bool) -> str | object | None:
    """The id ``set_active(organization=…)`` sends, as clerk-js picks it: an ``Organization``'s id; a str starting
    with ``org_`` as is; another str is a slug looked up among the user's memberships (no match: personal);
    None or "": personal. Under forced selection a personal choice is :data:`UNSET` (nothing is sent)."""
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


async def set_logo(org: Organization, file: bytes | str | None, filename: str, content_type: str) -> None:
    from ..fapi import encode_multipart

    clerk = org._clerk
    path = f"/organizations/{org.id}/logo"
    if file is None:
        payload = await clerk._request("DELETE", path)
        if isinstance(payload, dict) and payload.get("object") == "organization":
            org._apply_payload(payload)
            return
        # A deleted object, as the spec says: the organization is read from the client just applied.
        user = clerk.user
        for membership in user.organization_memberships if user is not None else ():
            held = membership.organization
            if held.id == org.id and held is not org and held.raw is not None:
                org._from_json(held.raw)
        return
    if isinstance(file, str):
        body, ctype = file.encode(), "application/octet-stream"
    elif isinstance(file, (bytes, bytearray)):
        body, ctype = encode_multipart("file", filename, bytes(file), content_type)
    else:
        raise ClerkValidationError("Organization.set_logo() takes bytes, a str or None.")
    await clerk._request("PUT", path, body=body, content_type=ctype, into=org)


async def get_memberships(org: Organization, initial_page: int, page_size: int, role: str | list[str] | None,
                          query: str | None) -> Paginated[OrganizationMembership]:
    params = repeated("Organization.get_memberships", "role", role)
    _strings("Organization.get_memberships", query=query)
    if query is not None:
        params.append(("query", query))
    params += [("paginated", "true"), *offset(initial_page, page_size)]
    payload = await org._clerk._request("GET", f"/organizations/{org.id}/memberships", query=params)
    return _paginated(org._clerk, payload, OrganizationMembership)


def _membership(org: Organization, payload: Any) -> OrganizationMembership:
    data = OrganizationMembershipJSON.model_validate(payload)
    user = org._clerk.user
    held = next((m for m in user.organization_memberships if m.id == data.id), None) if user else None
    if held is not None:  # the current user's own membership: the one object the user holds
        held._from_json(data)
        return held
    return OrganizationMembership(org._clerk, data)


async def member_call(org: Organization, where: str, method: str, user_id: str,
                      role: str | None) -> OrganizationMembership:
    """``add_member`` (POST), ``update_member`` (PATCH) and ``remove_member`` (DELETE)."""
    required(f"Organization.{where}", user_id=user_id, **({"role": role} if method != "DELETE" else {}))
    base = f"/organizations/{org.id}/memberships"
    if method == "POST":
        payload = await org._clerk._request("POST", base, form={"user_id": user_id, "role": role})
    else:
        payload = await org._clerk._request(method, f"{base}/{user_id}",
                                            form={"role": role} if method == "PATCH" else None)
    return _membership(org, payload)


async def invite(org: Organization, email_addresses: list[str] | None, email_address: str | None,
                 role: str) -> Any:
    """``invite_member`` (one address) or ``invite_members`` (``email_addresses``, a list back)."""
    from .organization_invitation import OrganizationInvitation

    def made(item: Any) -> OrganizationInvitation:
        return OrganizationInvitation(org._clerk, OrganizationInvitation._wire.model_validate(item))

    if email_addresses is None:
        required("Organization.invite_member", email_address=email_address, role=role)
        payload = await org._clerk._request("POST", f"/organizations/{org.id}/invitations",
                                            form={"email_address": email_address, "role": role})
        return made(payload)
    where = "Organization.invite_members"
    if not isinstance(email_addresses, (list, tuple)) or not email_addresses:
        raise ClerkValidationError(f"{where}: email_addresses must be a non-empty list of str.")
    for address in email_addresses:
        required(where, email_address=address)
    required(where, role=role)
    payload = await org._clerk._request("POST", f"/organizations/{org.id}/invitations/bulk",
                                        form={"email_address": list(email_addresses), "role": role})
    if not isinstance(payload, list):
        raise ClerkRuntimeError("The bulk invitation endpoint answered without a list.", code="invalid_response")
    return [made(item) for item in payload]


async def get_invitations(org: Organization, initial_page: int, page_size: int,
                          status: str | list[str] | None) -> Paginated[OrganizationInvitation]:
    from .organization_invitation import OrganizationInvitation

    params = repeated("Organization.get_invitations", "status", status) + offset(initial_page, page_size)
    payload = await org._clerk._request("GET", f"/organizations/{org.id}/invitations", query=params,
                                        apply_client=True)
    return _paginated(org._clerk, payload, OrganizationInvitation)


async def get_membership_requests(org: Organization, initial_page: int, page_size: int,
                                  status: str | None) -> Paginated[OrganizationMembershipRequest]:
    from .organization_request import OrganizationMembershipRequest

    _strings("Organization.get_membership_requests", status=status)
    params = ([("status", status)] if status is not None else []) + offset(initial_page, page_size)
    payload = await org._clerk._request("GET", f"/organizations/{org.id}/membership_requests", query=params)
    return _paginated(org._clerk, payload, OrganizationMembershipRequest)


async def create_domain(org: Organization, name: str, enrollment_mode: str | None) -> OrganizationDomain:
    from .organization_domain import OrganizationDomain

    required("Organization.create_domain", name=name)
    _strings("Organization.create_domain", enrollment_mode=enrollment_mode)
    form: dict[str, Any] = {"name": name}
    if enrollment_mode is not None:
        form["enrollment_mode"] = enrollment_mode
    payload = await org._clerk._request("POST", f"/organizations/{org.id}/domains", form=form)
    return OrganizationDomain(org._clerk, OrganizationDomain._wire.model_validate(payload))


async def get_domains(org: Organization, initial_page: int, page_size: int,
                      enrollment_mode: str | None) -> Paginated[OrganizationDomain]:
    from .organization_domain import OrganizationDomain

    _strings("Organization.get_domains", enrollment_mode=enrollment_mode)
    params = offset(initial_page, page_size)
    if enrollment_mode:
        params.append(("enrollment_mode", enrollment_mode))
    payload = await org._clerk._request("GET", f"/organizations/{org.id}/domains", query=params, apply_client=True)
    return _paginated(org._clerk, payload, OrganizationDomain)


async def get_domain(org: Organization, domain_id: str) -> OrganizationDomain:
    from .organization_domain import OrganizationDomain

    required("Organization.get_domain", domain_id=domain_id)
    payload = await org._clerk._request("GET", f"/organizations/{org.id}/domains/{domain_id}")
    return OrganizationDomain(org._clerk, OrganizationDomain._wire.model_validate(payload))


async def get_roles(org: Organization, initial_page: int, page_size: int) -> Paginated[Role]:
    from .organization_role import Role

    payload = await org._clerk._request("GET", f"/organizations/{org.id}/roles",
                                        query=offset(initial_page, page_size), apply_client=True)
    if isinstance(payload, dict):
        migration = payload.get("has_role_set_migration")
        org.has_role_set_migration = migration if isinstance(migration, bool) else None
    return _paginated(org._clerk, payload, Role)
