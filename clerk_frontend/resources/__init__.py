"""Resources: typed Python objects over the wire models, refreshed in place. One module per resource family.

| module | classes |
|---|---|
| ``_base`` | :class:`Resource` (in-place refresh), :class:`Paginated`, shared validation and paging helpers |
| ``client`` | :class:`Client` |
| ``session`` | :class:`Session`, :class:`Token` |
| ``user`` | :class:`User` |
| ``identifiers`` | :class:`EmailAddress`, :class:`PhoneNumber` |
| ``external_account`` | :class:`ExternalAccount` |
| ``organization`` | :class:`Organization`, :class:`OrganizationMembership` |
| ``organization_invitation`` | :class:`OrganizationInvitation`, :class:`UserOrganizationInvitation` |
| ``organization_request`` | :class:`OrganizationMembershipRequest`, :class:`OrganizationSuggestion`, and more |
| ``organization_domain`` | :class:`OrganizationDomain` |
| ``organization_role`` | :class:`Role`, :class:`Permission` |
| ``sign_in`` / ``sign_up`` | :class:`SignIn` / :class:`SignUp` (their shared base in ``_attempt``) |
| ``factors`` | :class:`TOTP`, :class:`BackupCode`, :class:`Passkey`, :class:`SessionVerification`, and more |

A resource never does I/O itself: its methods assemble ``(method, path, params)`` and hand them to the
:class:`~clerk_frontend.Clerk` it was built with, which sends the request, applies the piggybacked client,
refreshes the resource in place and notifies listeners once.

Object identity: a resource is updated in place whenever new JSON for the same id arrives, and a response
older than the state held (by ``updated_at``) is ignored. In particular there is one :class:`User` object
per user id for the lifetime of a ``Clerk``, so ``clerk.user`` stays the same Python object across client
updates (clerk-js builds a new one on every update).

Attributes mirror the wire fields; ``*_at`` timestamps (milliseconds on the wire) become aware UTC
``datetime`` objects. ``raw`` holds the wire model, unknown fields included.
"""

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
