"""Pydantic v2 models of the FAPI 2026-05-12 JSON, lenient like clerk-js (unknown fields kept, missing ones
defaulted); ``*_at`` are Unix milliseconds. For import speed in the browser: real annotations (no string
annotations to compile), plain literal defaults (pydantic copies them), ``defer_build`` (built once, in
``ClientJSON``)."""

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict


class Wire(BaseModel):
    """Base of all wire models."""

    model_config = ConfigDict(extra="allow", defer_build=True)


def _no_null(value: Any) -> Any:
    return [] if value is None else value


# A list real Clerk may send as null (e.g. on a completed attempt): read as [].
Strings = Annotated[list[str], BeforeValidator(_no_null)]


class TokenJSON(Wire):
    object: str = "token"
    jwt: str = ""


class VerificationJSON(Wire):
    """A verification of any strategy; keys only some strategies carry default to None."""

    object: str | None = None
    status: str | None = None
    strategy: str | None = None
    attempts: int | None = None
    expire_at: int | None = None
    # oauth_*, saml, enterprise_sso: the provider's page, and the error a failed or transferable one carries.
    external_verification_redirect_url: str | None = None
    error: dict[str, Any] | None = None
    # email_link: the client the link was opened on.
    verified_at_client: str | None = None
    # passkey / web3
    nonce: str | None = None
    message: str | None = None
    # sign-up verifications only
    next_action: str | None = None
    supported_strategies: list[str] | None = None


class SignUpVerificationsJSON(Wire):
    email_address: VerificationJSON | None = None
    phone_number: VerificationJSON | None = None
    web3_wallet: VerificationJSON | None = None
    external_account: VerificationJSON | None = None


class EmailAddressJSON(Wire):
    id: str = ""
    object: str = "email_address"
    email_address: str = ""
    reserved: bool = False
    verification: VerificationJSON | None = None
    linked_to: list[dict[str, Any]] = []
    created_at: int | None = None
    updated_at: int | None = None


class PhoneNumberJSON(Wire):
    id: str = ""
    object: str = "phone_number"
    phone_number: str = ""
    reserved: bool = False
    reserved_for_second_factor: bool = False
    default_second_factor: bool = False
    backup_codes: list[str] | None = None
    verification: VerificationJSON | None = None
    linked_to: list[dict[str, Any]] = []
    created_at: int | None = None
    updated_at: int | None = None


class ExternalAccountJSON(Wire):
    id: str = ""
    # "external_account" (provider "oauth_google") or "google_account" (provider "google"): both are recorded.
    object: str = "external_account"
    provider: str | None = None
    identification_id: str | None = None
    provider_user_id: str | None = None
    email_address: str | None = None
    phone_number: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    image_url: str | None = None
    username: str | None = None
    label: str | None = None
    approved_scopes: str | None = None
    public_metadata: dict[str, Any] | None = None
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
    public_metadata: dict[str, Any] = {}
    created_at: int | None = None
    updated_at: int | None = None


class OrganizationMembershipJSON(Wire):
    id: str = ""
    object: str = "organization_membership"
    role: str = ""
    role_name: str | None = None
    permissions: list[str] = []
    public_metadata: dict[str, Any] = {}
    organization: OrganizationJSON = OrganizationJSON()
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
    email_addresses: list[EmailAddressJSON] = []
    phone_numbers: list[PhoneNumberJSON] = []
    external_accounts: list[ExternalAccountJSON] = []
    organization_memberships: list[OrganizationMembershipJSON] = []
    public_metadata: dict[str, Any] = {}
    unsafe_metadata: dict[str, Any] = {}
    external_id: str | None = None
    banned: bool = False
    locked: bool = False
    delete_self_enabled: bool = True
    create_organization_enabled: bool = False
    create_organizations_limit: int | None = None
    # Sent by real Clerk, absent from the 2026-05-12 spec.
    locale: str | None = None
    bypass_client_trust: bool | None = None
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
    tasks: list[dict[str, Any]] | None = None
    created_at: int | None = None
    updated_at: int | None = None


class SignInJSON(Wire):
    id: str = ""
    object: str = "sign_in_attempt"
    status: str | None = None
    identifier: str | None = None
    supported_identifiers: Strings = []
    # null on a completed sign-in
    supported_first_factors: list[dict[str, Any]] | None = None
    supported_second_factors: list[dict[str, Any]] | None = None
    first_factor_verification: VerificationJSON | None = None
    second_factor_verification: VerificationJSON | None = None
    user_data: dict[str, Any] | None = None
    created_session_id: str | None = None
    client_trust_state: str | None = None
    abandon_at: int | None = None
    # Sent by real Clerk, absent from the 2026-05-12 spec.
    locale: str | None = None


class SignUpJSON(Wire):
    id: str = ""
    object: str = "sign_up_attempt"
    status: str | None = None
    required_fields: Strings = []
    optional_fields: Strings = []
    missing_fields: Strings = []
    unverified_fields: Strings = []
    verifications: SignUpVerificationsJSON | None = None
    username: str | None = None
    email_address: str | None = None
    phone_number: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    password_enabled: bool = False
    unsafe_metadata: dict[str, Any] = {}
    created_session_id: str | None = None
    created_user_id: str | None = None
    legal_accepted_at: int | None = None
    abandon_at: int | None = None
    # Sent by real Clerk, absent from the 2026-05-12 spec.
    locale: str | None = None


class ClientJSON(Wire):
    id: str = ""
    object: str = "client"
    sessions: list[SessionJSON] = []
    sign_in: SignInJSON | None = None
    sign_up: SignUpJSON | None = None
    last_active_session_id: str | None = None
    last_authentication_strategy: str | None = None
    cookie_expires_at: int | None = None
    captcha_bypass: bool = False
    created_at: int | None = None
    updated_at: int | None = None


def build_validators() -> None:
    """Build the validators ``load()`` needs now rather than on first use (the nested models come with it)."""
    ClientJSON.model_rebuild()


class ImageJSON(Wire):
    id: str = ""
    object: str = "image"
    name: str | None = None
    public_url: str | None = None


class DeletedObjectJSON(Wire):
    id: str | None = None
    object: str = ""
    deleted: bool = False
