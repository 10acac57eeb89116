"""Pydantic v2 models of the Frontend API JSON (schemas of the 2026-05-12 FAPI spec).

Lenient like clerk-js: unknown fields are kept (``extra="allow"``), missing ones default. Timestamps
(``*_at``) are integer Unix **milliseconds**, as on the wire.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Wire(BaseModel):
    """Base of all wire models."""

    model_config = ConfigDict(extra="allow")


def _list() -> Any:
    return Field(default_factory=list)


def _dict() -> Any:
    return Field(default_factory=dict)


class TokenJSON(Wire):
    object: str = "token"
    jwt: str = ""


class VerificationJSON(Wire):
    status: str | None = None
    strategy: str | None = None
    attempts: int | None = None
    expire_at: int | None = None


class EmailAddressJSON(Wire):
    id: str = ""
    object: str = "email_address"
    email_address: str = ""
    reserved: bool = False
    verification: VerificationJSON | None = None
    linked_to: list[dict[str, Any]] = _list()
    created_at: int | None = None
    updated_at: int | None = None


class PhoneNumberJSON(Wire):
    id: str = ""
    object: str = "phone_number"
    phone_number: str = ""
    reserved: bool = False
    reserved_for_second_factor: bool = False
    default_second_factor: bool = False
    verification: VerificationJSON | None = None
    linked_to: list[dict[str, Any]] = _list()
    created_at: int | None = None
    updated_at: int | None = None


class ExternalAccountJSON(Wire):
    id: str = ""
    object: str = "external_account"
    provider: str | None = None
    provider_user_id: str | None = None
    email_address: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    image_url: str | None = None
    username: str | None = None
    approved_scopes: str | None = None
    verification: VerificationJSON | None = None
    created_at: int | None = None
    updated_at: int | None = None


class OrganizationJSON(Wire):
    id: str = ""
    object: str = "organization"
    name: str = ""
    slug: str | None = None
    image_url: str | None = None
    has_image: bool = False
    members_count: int | None = None
    pending_invitations_count: int | None = None
    max_allowed_memberships: int | None = None
    admin_delete_enabled: bool = False
    public_metadata: dict[str, Any] = _dict()
    created_at: int | None = None
    updated_at: int | None = None


class OrganizationMembershipJSON(Wire):
    id: str = ""
    object: str = "organization_membership"
    role: str = ""
    role_name: str | None = None
    permissions: list[str] = _list()
    public_metadata: dict[str, Any] = _dict()
    organization: OrganizationJSON = Field(default_factory=OrganizationJSON)
    public_user_data: dict[str, Any] | None = None
    created_at: int | None = None
    updated_at: int | None = None


class UserJSON(Wire):
    id: str = ""
    object: str = "user"
    username: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    image_url: str | None = None
    has_image: bool = False
    primary_email_address_id: str | None = None
    primary_phone_number_id: str | None = None
    primary_web3_wallet_id: str | None = None
    password_enabled: bool = False
    two_factor_enabled: bool = False
    totp_enabled: bool = False
    backup_code_enabled: bool = False
    email_addresses: list[EmailAddressJSON] = _list()
    phone_numbers: list[PhoneNumberJSON] = _list()
    external_accounts: list[ExternalAccountJSON] = _list()
    organization_memberships: list[OrganizationMembershipJSON] = _list()
    public_metadata: dict[str, Any] = _dict()
    unsafe_metadata: dict[str, Any] = _dict()
    external_id: str | None = None
    banned: bool = False
    locked: bool = False
    delete_self_enabled: bool = True
    create_organization_enabled: bool = False
    last_sign_in_at: int | None = None
    last_active_at: int | None = None
    password_last_updated_at: int | None = None
    legal_accepted_at: int | None = None
    created_at: int | None = None
    updated_at: int | None = None


class SessionJSON(Wire):
    id: str = ""
    object: str = "session"
    status: str = ""
    expire_at: int | None = None
    abandon_at: int | None = None
    last_active_at: int | None = None
    last_active_token: TokenJSON | None = None
    last_active_organization_id: str | None = None
    actor: dict[str, Any] | None = None
    user: UserJSON | None = None
    public_user_data: dict[str, Any] | None = None
    factor_verification_age: list[int] | None = None
    created_at: int | None = None
    updated_at: int | None = None


class SignInJSON(Wire):
    id: str = ""
    object: str = "sign_in_attempt"
    status: str | None = None
    identifier: str | None = None
    supported_identifiers: list[str] = _list()
    supported_first_factors: list[dict[str, Any]] | None = None
    supported_second_factors: list[dict[str, Any]] | None = None
    first_factor_verification: dict[str, Any] | None = None
    second_factor_verification: dict[str, Any] | None = None
    user_data: dict[str, Any] | None = None
    created_session_id: str | None = None
    abandon_at: int | None = None


class SignUpJSON(Wire):
    id: str = ""
    object: str = "sign_up_attempt"
    status: str | None = None
    required_fields: list[str] = _list()
    optional_fields: list[str] = _list()
    missing_fields: list[str] = _list()
    unverified_fields: list[str] = _list()
    verifications: dict[str, Any] | None = None
    username: str | None = None
    email_address: str | None = None
    phone_number: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    password_enabled: bool = False
    unsafe_metadata: dict[str, Any] = _dict()
    created_session_id: str | None = None
    created_user_id: str | None = None
    abandon_at: int | None = None


class ClientJSON(Wire):
    id: str = ""
    object: str = "client"
    sessions: list[SessionJSON] = _list()
    sign_in: SignInJSON | None = None
    sign_up: SignUpJSON | None = None
    last_active_session_id: str | None = None
    last_authentication_strategy: str | None = None
    cookie_expires_at: int | None = None
    captcha_bypass: bool = False
    created_at: int | None = None
    updated_at: int | None = None


class ImageJSON(Wire):
    id: str = ""
    object: str = "image"
    name: str | None = None
    public_url: str | None = None


class DeletedObjectJSON(Wire):
    id: str | None = None
    object: str = ""
    deleted: bool = False
