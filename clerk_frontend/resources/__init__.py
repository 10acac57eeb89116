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
| ``sign_in`` / ``sign_up`` | :class:`SignIn` / :class:`SignUp` (their shared base in ``_attempt``) |

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

from ._base import Paginated, Resource
from .client import Client
from .external_account import ExternalAccount
from .identifiers import EmailAddress, PhoneNumber
from .organization import Organization, OrganizationMembership
from .session import Session, Token
from .sign_in import SignIn
from .sign_up import SignUp
from .user import User

__all__ = [
    "Client",
    "EmailAddress",
    "ExternalAccount",
    "Organization",
    "OrganizationMembership",
    "Paginated",
    "PhoneNumber",
    "Resource",
    "Session",
    "SignIn",
    "SignUp",
    "Token",
    "User",
]
