"""Test users made through the Backend API, and removed again after the test."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from .http import ClerkAPIError

if TYPE_CHECKING:
    from .backend import BackendAPI

__all__ = ["ClerkUser", "UserFactory", "UserMaker", "new_test_email"]

_GENERATE: Any = object()  # clerk_user's default password: a random one


def new_test_email(prefix: str = "user") -> str:
    """A fresh address in Clerk's test form (``…+clerk_test@example.com``): on a real development instance
    its email code is always 424242 and nothing is sent."""
    return f"{prefix}-{secrets.token_hex(5)}+clerk_test@example.com"


@dataclass(frozen=True)
class ClerkUser:
    """A user made for a test: ``id`` (``user_…``), ``email``, ``password`` (``None`` without one),
    ``phone``, ``username`` and ``data``, the Backend API's user JSON at creation (read fresh state with
    ``clerk_instance.bapi.get_user(user.id)``)."""

    id: str
    email: str | None = None
    password: str | None = None
    phone: str | None = None
    username: str | None = None
    data: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)


class UserFactory(Protocol):
    """The ``clerk_user`` fixture: ``clerk_user(email=None, *, password=…, phone=None, username=None,
    **fields)``."""

    def __call__(self, email: str | None = None, *, password: str | None = ..., phone: str | None = None,
                 username: str | None = None, **fields: Any) -> ClerkUser: ...


class UserMaker:
    """Creates users and remembers them, so :meth:`cleanup` deletes exactly those."""

    def __init__(self, bapi: BackendAPI) -> None:
        self.bapi = bapi
        self.created: list[str] = []

    def __call__(self, email: str | None = None, *, password: str | None = _GENERATE, phone: str | None = None,
                 username: str | None = None, **fields: Any) -> ClerkUser:
        """Create a user: ``email`` defaults to a fresh test address, ``password`` to a random one (``None``
        makes a user without a password), other keyword arguments are Backend API fields
        (``first_name``, ``unsafe_metadata``, ``public_metadata``, ``private_metadata``, …)."""
        email = email or new_test_email()
        if password is _GENERATE:
            password = "kit-" + secrets.token_urlsafe(12)
        body: dict[str, Any] = {"email_address": [email], **fields}
        if password is None:
            body["skip_password_requirement"] = True
        else:
            body["password"] = password
        if phone:
            body["phone_number"] = [phone]
        if username:
            body["username"] = username
        data = self.bapi.create_user(**body)
        self.created.append(str(data["id"]))
        return ClerkUser(id=str(data["id"]), email=email, password=password, phone=phone, username=username,
                         data=data)

    def cleanup(self) -> None:
        """Delete every user this maker created (those already gone are skipped)."""
        while self.created:
            user_id = self.created.pop()
            try:
                self.bapi.delete_user(user_id)
            except ClerkAPIError as err:
                if err.status != 404:
                    raise
