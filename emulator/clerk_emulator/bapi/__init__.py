"""Backend API (BAPI) under the ``/bapi`` prefix; one module per area.

Importing the package registers every route on :data:`router`.
"""

from . import (  # noqa: F401  # registers the routes
    invitations,
    organization_domains,
    organization_invitations,
    organizations,
    sessions,
    sign_in_tokens,
    testing_tokens,
    user_admin,
    users,
)
from .common import authenticate, router

__all__ = ["authenticate", "router"]
