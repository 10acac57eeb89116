"""Frontend API (FAPI): form-encoded bodies, ``{response, client}`` envelopes; one module per area.

Importing the package registers every route on :data:`router`.
"""

from . import client, identifiers, instance, me, organizations, sessions, sign_in, sign_up, tickets  # noqa: F401  # routes
from .common import fresh_client, resolve_client, router

__all__ = ["fresh_client", "resolve_client", "router"]
