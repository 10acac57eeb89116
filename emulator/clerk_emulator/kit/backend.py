"""The Backend API as a test needs it: a few named calls and :meth:`BackendAPI.call` for everything else."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .http import DEFAULT_TIMEOUT_S, request

__all__ = ["BackendAPI"]


class BackendAPI:
    """Talks to a Clerk Backend API (``bapi_url`` ends in ``/v1``) with the instance's secret key.

    Every method returns the parsed JSON answer and raises :class:`~clerk_emulator.kit.ClerkAPIError` on an
    error answer, with Clerk's error code in ``.code``."""

    def __init__(self, bapi_url: str, secret_key: str, *, timeout: float = DEFAULT_TIMEOUT_S) -> None:
        self.url = bapi_url.rstrip("/")
        self.timeout = timeout
        self._headers = {"Authorization": f"Bearer {secret_key}"}

    def call(self, method: str, path: str, *, json: Any = None,
             query: Mapping[str, str] | Sequence[tuple[str, str]] | None = None) -> Any:
        """``method path`` under ``bapi_url`` (``path`` starts with ``/``, e.g. ``/users``)."""
        return request(method, self.url + path, query=query, json_body=json, headers=self._headers,
                       timeout=self.timeout).body

    # Users
    def create_user(self, **fields: Any) -> dict[str, Any]:
        """``POST /users`` with the given body fields (``email_address=[…]``, ``password=…``, …)."""
        return dict(self.call("POST", "/users", json=fields))

    def get_user(self, user_id: str) -> dict[str, Any]:
        """``GET /users/{user_id}``."""
        return dict(self.call("GET", f"/users/{user_id}"))

    def list_users(self, **query: str) -> list[dict[str, Any]]:
        """``GET /users`` (``limit``, ``offset``, ``email_address``, … as query parameters)."""
        return list(self.call("GET", "/users", query=query))

    def delete_user(self, user_id: str) -> dict[str, Any]:
        """``DELETE /users/{user_id}``."""
        return dict(self.call("DELETE", f"/users/{user_id}"))

    def update_user_metadata(self, user_id: str, **metadata: Any) -> dict[str, Any]:
        """``PATCH /users/{user_id}/metadata`` (deep merge of ``public_metadata``, ``private_metadata``,
        ``unsafe_metadata``)."""
        return dict(self.call("PATCH", f"/users/{user_id}/metadata", json=metadata))

    # Sessions, tokens, invitations
    def list_sessions(self, **query: str) -> list[dict[str, Any]]:
        """``GET /sessions`` (``user_id``, ``client_id``, ``status``)."""
        return list(self.call("GET", "/sessions", query=query))

    def create_sign_in_token(self, user_id: str, *, expires_in_seconds: int | None = None) -> dict[str, Any]:
        """``POST /sign_in_tokens``: a one-time ticket (``token``) that signs ``user_id`` in."""
        body: dict[str, Any] = {"user_id": user_id}
        if expires_in_seconds is not None:
            body["expires_in_seconds"] = expires_in_seconds
        return dict(self.call("POST", "/sign_in_tokens", json=body))

    def create_testing_token(self) -> dict[str, Any]:
        """``POST /testing_tokens``: ``{token, expires_at}``."""
        return dict(self.call("POST", "/testing_tokens"))

    def create_invitation(self, email_address: str, **fields: Any) -> dict[str, Any]:
        """``POST /invitations``."""
        return dict(self.call("POST", "/invitations", json={"email_address": email_address, **fields}))

    def __repr__(self) -> str:
        return f"BackendAPI({self.url!r})"
