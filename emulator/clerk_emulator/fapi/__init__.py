"""Frontend API (FAPI): form-encoded bodies, ``{response, client}`` envelopes; one module per area.

Importing the package registers every route on :data:`router`.
"""

from . import (  # noqa: F401  # registers the routes
    client,
    factors,
    identifiers,
    instance,
    me,
    oauth,
    organization_domains,
    organization_invitations,
    organizations,
    reverification,
    sessions,
    sign_in,
    sign_up,
    tickets,
    verify,
)
from .common import fresh_client, resolve_client, router

__all__ = ["fresh_client", "resolve_client", "router"]
