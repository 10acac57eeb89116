"""Resources: typed objects over the wire models, one module per family (docs/sdk.md, Resources). They never do
I/O themselves, are refreshed in place when JSON for their id arrives (``clerk.user`` stays the same object), and
older answers (by ``updated_at``) are ignored."""

import typing

from ._base import Paginated, Resource
from .client import Client
from .external_account import ExternalAccount
from .identifiers import EmailAddress, PhoneNumber
from .organization import Organization, OrganizationMembership
from .session import Session, Token
from .sign_in import SignIn
from .sign_up import SignUp
from .user import User

if typing.TYPE_CHECKING:
    from .factors import TOTP, BackupCode, Passkey, SessionVerification, SessionWithActivities
    from .organization_domain import OrganizationDomain
    from .organization_invitation import OrganizationInvitation, UserOrganizationInvitation
    from .organization_request import (
        OrganizationCreationDefaults,
        OrganizationMembershipRequest,
        OrganizationSuggestion,
    )
    from .organization_role import Permission, Role

# The factors and the other organization objects are imported on first access (PEP 562): load() never needs them.
_LAZY = {
    "TOTP": "factors",
    "BackupCode": "factors",
    "Passkey": "factors",
    "SessionVerification": "factors",
    "SessionWithActivities": "factors",
    "OrganizationDomain": "organization_domain",
    "OrganizationInvitation": "organization_invitation",
    "UserOrganizationInvitation": "organization_invitation",
    "OrganizationCreationDefaults": "organization_request",
    "OrganizationMembershipRequest": "organization_request",
    "OrganizationSuggestion": "organization_request",
    "Permission": "organization_role",
    "Role": "organization_role",
}


def __getattr__(name: str) -> typing.Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'clerk_frontend.resources' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


__all__ = [
    "TOTP",
    "BackupCode",
    "Client",
    "EmailAddress",
    "ExternalAccount",
    "Organization",
    "OrganizationCreationDefaults",
    "OrganizationDomain",
    "OrganizationInvitation",
    "OrganizationMembership",
    "OrganizationMembershipRequest",
    "OrganizationSuggestion",
    "Paginated",
    "Passkey",
    "Permission",
    "PhoneNumber",
    "Resource",
    "Role",
    "Session",
    "SessionVerification",
    "SessionWithActivities",
    "SignIn",
    "SignUp",
    "Token",
    "User",
    "UserOrganizationInvitation",
]
