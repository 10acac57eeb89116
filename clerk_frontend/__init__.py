"""clerk-frontend: Clerk's browser SDK (clerk-js) for Python in Pyodide and PyScript; see docs/sdk.md."""

import typing

from ._version import __version__
from .clerk import Clerk, ClerkState, ClerkStatus, Listener, StatusListener
from .errors import (
    ClerkAPIError,
    ClerkAPIResponseError,
    ClerkError,
    ClerkNetworkError,
    ClerkRuntimeError,
    ClerkValidationError,
    ClerkWebAuthnError,
    EmailLinkError,
    InvalidPublishableKeyError,
    MetadataError,
    MetadataRefusedError,
    ReverificationRequiredError,
)

if typing.TYPE_CHECKING:
    from .authorization import SessionClaimsAuth, check_authorization, decode_session_claims
    from .callbacks import CallbackOutcome, CallbackResult
    from .fapi import API_VERSION, FapiRequest, FapiResponse
    from .keys import PublishableKey, parse_publishable_key
    from .metadata import merge_patch, merge_patch_diff, validate_metadata
    from .page import Page
    from .resources import (
        Client,
        EmailAddress,
        ExternalAccount,
        Organization,
        OrganizationMembership,
        Paginated,
        PhoneNumber,
        Session,
        SignIn,
        SignUp,
        Token,
        User,
    )
    from .resources.email_link import EmailLinkFlow
    from .resources.factors import (
        TOTP,
        BackupCode,
        Passkey,
        SessionVerification,
        SessionWithActivities,
        with_reverification,
    )
    from .resources.organization_domain import OrganizationDomain
    from .resources.organization_invitation import OrganizationInvitation, UserOrganizationInvitation
    from .resources.organization_request import (
        OrganizationCreationDefaults,
        OrganizationMembershipRequest,
        OrganizationSuggestion,
    )
    from .resources.organization_role import Permission, Role
    from .sync import SyncClerk, run_sync, unwrap
    from .transports import HttpxTransport, MockTransport, PyfetchTransport, SyncXHRTransport, Transport

# Everything else is imported on first access (PEP 562): in the browser every module costs compile time
# on each page load, and `import clerk_frontend` + `Clerk(...).load()` needs only part of the package.
_LAZY = {
    "authorization": ("SessionClaimsAuth", "check_authorization", "decode_session_claims"),
    "callbacks": ("CallbackOutcome", "CallbackResult"),
    "fapi": ("API_VERSION", "FapiRequest", "FapiResponse"),
    "keys": ("PublishableKey", "parse_publishable_key"),
    "metadata": ("merge_patch", "merge_patch_diff", "validate_metadata"),
    "page": ("Page",),
    "resources": ("Client", "EmailAddress", "ExternalAccount", "Organization", "OrganizationMembership", "Paginated",
                  "PhoneNumber", "Session", "SignIn", "SignUp", "Token", "User"),
    "resources.email_link": ("EmailLinkFlow",),
    "resources.factors": ("TOTP", "BackupCode", "Passkey", "SessionVerification", "SessionWithActivities",
                          "with_reverification"),
    "resources.organization_domain": ("OrganizationDomain",),
    "resources.organization_invitation": ("OrganizationInvitation", "UserOrganizationInvitation"),
    "resources.organization_request": ("OrganizationCreationDefaults", "OrganizationMembershipRequest",
                                       "OrganizationSuggestion"),
    "resources.organization_role": ("Permission", "Role"),
    "sync": ("SyncClerk", "run_sync", "unwrap"),
    "transports": ("HttpxTransport", "MockTransport", "PyfetchTransport", "SyncXHRTransport", "Transport"),
}
_LAZY_MODULE = {name: module for module, names in _LAZY.items() for name in names}


def __getattr__(name: str) -> typing.Any:
    module = _LAZY_MODULE.get(name)
    if module is None:
        raise AttributeError(f"module 'clerk_frontend' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


__all__ = [
    "API_VERSION",
    "TOTP",
    "BackupCode",
    "CallbackOutcome",
    "CallbackResult",
    "Clerk",
    "ClerkAPIError",
    "ClerkAPIResponseError",
    "ClerkError",
    "ClerkNetworkError",
    "ClerkRuntimeError",
    "ClerkState",
    "ClerkStatus",
    "ClerkValidationError",
    "ClerkWebAuthnError",
    "Client",
    "EmailAddress",
    "EmailLinkError",
    "EmailLinkFlow",
    "ExternalAccount",
    "FapiRequest",
    "FapiResponse",
    "HttpxTransport",
    "InvalidPublishableKeyError",
    "Listener",
    "MetadataError",
    "MetadataRefusedError",
    "MockTransport",
    "Organization",
    "OrganizationCreationDefaults",
    "OrganizationDomain",
    "OrganizationInvitation",
    "OrganizationMembership",
    "OrganizationMembershipRequest",
    "OrganizationSuggestion",
    "Page",
    "Paginated",
    "Passkey",
    "Permission",
    "PhoneNumber",
    "PublishableKey",
    "PyfetchTransport",
    "ReverificationRequiredError",
    "Role",
    "Session",
    "SessionClaimsAuth",
    "SessionVerification",
    "SessionWithActivities",
    "SignIn",
    "SignUp",
    "StatusListener",
    "SyncClerk",
    "SyncXHRTransport",
    "Token",
    "Transport",
    "User",
    "UserOrganizationInvitation",
    "__version__",
    "check_authorization",
    "decode_session_claims",
    "merge_patch",
    "merge_patch_diff",
    "parse_publishable_key",
    "run_sync",
    "unwrap",
    "validate_metadata",
    "with_reverification",
]
