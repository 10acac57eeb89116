"""Pydantic models of the organization objects FAPI answers besides organizations and memberships (2026-05-12).

Kept apart from :mod:`clerk_frontend.wire` so that ``load()`` never defines them: they are imported with the
resources that use them, on first use. Same rules as there: lenient (unknown fields kept, missing ones
defaulted), timestamps in milliseconds, real objects as annotations.
"""

from typing import Any

from .wire import Wire


class PublicOrganizationDataJSON(Wire):
    id: str = ""
    name: str = ""
    slug: str | None = None
    image_url: str | None = None
    has_image: bool = False


class OrganizationInvitationJSON(Wire):
    id: str = ""
    object: str = "organization_invitation"
    email_address: str = ""
    role: str = ""
    role_name: str | None = None
    organization_id: str | None = None
    public_organization_data: PublicOrganizationDataJSON | None = None
    status: str | None = None
    public_metadata: dict[str, Any] = {}  # noqa: RUF012  # pydantic copies defaults per instance
    url: str | None = None
    expires_at: int | None = None
    created_at: int | None = None
    updated_at: int | None = None


class OrganizationSuggestionJSON(Wire):
    id: str = ""
    object: str = "organization_suggestion"
    public_organization_data: PublicOrganizationDataJSON | None = None
    status: str | None = None
    created_at: int | None = None
    updated_at: int | None = None


class OrganizationMembershipRequestJSON(Wire):
    id: str = ""
    object: str = "organization_membership_request"
    organization_id: str = ""
    status: str | None = None
    public_user_data: dict[str, Any] | None = None
    created_at: int | None = None
    updated_at: int | None = None


class OrganizationDomainVerificationJSON(Wire):
    """Affiliation (e-mail code) or ownership (DNS) verification of a domain."""

    status: str | None = None
    strategy: str | None = None
    attempts: int | None = None
    # The spec says expire_at; clerk-js reads expires_at for the affiliation verification: both are read.
    expire_at: int | None = None
    verified_at: int | None = None
    txt_record_name: str | None = None
    txt_record_value: str | None = None


class OrganizationDomainJSON(Wire):
    id: str = ""
    object: str = "organization_domain"
    organization_id: str = ""
    name: str = ""
    enrollment_mode: str = ""
    affiliation_email_address: str | None = None
    affiliation_verification: OrganizationDomainVerificationJSON | None = None
    ownership_verification: OrganizationDomainVerificationJSON | None = None
    verification: OrganizationDomainVerificationJSON | None = None
    total_pending_invitations: int = 0
    total_pending_suggestions: int = 0
    public_organization_data: PublicOrganizationDataJSON | None = None
    created_at: int | None = None
    updated_at: int | None = None


class PermissionJSON(Wire):
    id: str = ""
    object: str = "permission"
    name: str = ""
    key: str = ""
    description: str = ""
    type: str = ""
    created_at: int | None = None
    updated_at: int | None = None


class RoleJSON(Wire):
    id: str = ""
    object: str = "role"
    name: str = ""
    key: str = ""
    description: str = ""
    is_creator_eligible: bool = False
    permissions: list[PermissionJSON] = []  # noqa: RUF012  # as above
    created_at: int | None = None
    updated_at: int | None = None
