"""External (OAuth) accounts linked to the user."""

from __future__ import annotations

from typing import Any

from ..wire import ExternalAccountJSON
from ._base import Resource

__all__ = ["ExternalAccount"]


class ExternalAccount(Resource[ExternalAccountJSON]):
    """An OAuth account linked to the current user (read-only)."""

    _wire = ExternalAccountJSON
    provider: str | None
    provider_user_id: str | None
    email_address: str | None
    first_name: str | None
    last_name: str | None
    image_url: str | None
    username: str | None
    approved_scopes: str | None
    verification: Any
