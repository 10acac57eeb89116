"""Backend API (BAPI) under the ``/bapi`` prefix; one module per area.

Importing the package registers every route on :data:`router`.
"""

from . import invitations, organizations, sessions, sign_in_tokens, testing_tokens, users  # noqa: F401  # routes
from .common import authenticate, router

__all__ = ["authenticate", "router"]
