"""clerk-frontend: Clerk's browser SDK (clerk-js) for Python in the browser (Pyodide, PyScript).

::

    from clerk_frontend import Clerk

    clerk = Clerk("pk_test_…")
    await clerk.load()
    await clerk.user.update_metadata(unsafe_metadata={"theme": "dark"})

See ``docs/sdk.md`` for the full API, the error hierarchy and the transports.
"""

from ._version import __version__
from .clerk import Clerk, ClerkState, Listener
from .errors import (
    ClerkAPIError,
    ClerkAPIResponseError,
    ClerkError,
    ClerkNetworkError,
    ClerkRuntimeError,
    ClerkValidationError,
    InvalidPublishableKeyError,
    MetadataError,
    MetadataRefusedError,
)
from .fapi import API_VERSION, FapiRequest, FapiResponse
from .keys import PublishableKey, parse_publishable_key
from .metadata import merge_patch, merge_patch_diff, validate_metadata
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
from .sync import SyncClerk, run_sync, unwrap
from .transports import HttpxTransport, MockTransport, PyfetchTransport, SyncXHRTransport, Transport

__all__ = [
    "API_VERSION",
    "Clerk",
    "ClerkAPIError",
    "ClerkAPIResponseError",
    "ClerkError",
    "ClerkNetworkError",
    "ClerkRuntimeError",
    "ClerkState",
    "ClerkValidationError",
    "Client",
    "EmailAddress",
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
    "OrganizationMembership",
    "Paginated",
    "PhoneNumber",
    "PublishableKey",
    "PyfetchTransport",
    "Session",
    "SignIn",
    "SignUp",
    "SyncClerk",
    "SyncXHRTransport",
    "Token",
    "Transport",
    "User",
    "__version__",
    "merge_patch",
    "merge_patch_diff",
    "parse_publishable_key",
    "run_sync",
    "unwrap",
    "validate_metadata",
]
