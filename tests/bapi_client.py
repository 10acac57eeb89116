"""A minimal Backend API caller (Bearer secret key, JSON) used by tests to arrange and check server state."""

from __future__ import annotations

import itertools
import os
from typing import Any

import httpx
from clerk_emulator.kit import ClerkInstance, LocalProcess

PASSWORD = "test-password-4242"
_ids = itertools.count(1)


class Backend:
    """Talks to the local Clerk instance's Backend API the way a server would."""

    def __init__(self, emu: LocalProcess | ClerkInstance) -> None:
        self.http = httpx.Client(base_url=emu.bapi_url, headers={"Authorization": f"Bearer {emu.secret_key}"},
                                 timeout=10)

    def call(self, method: str, path: str, json: Any = None) -> Any:
        response = self.http.request(method, path, json=json)
        assert response.status_code < 300, f"{method} {path} -> {response.status_code}: {response.text}"
        return response.json()

    def new_user(self, prefix: str = "user", **fields: Any) -> tuple[str, str]:
        """Create a user with a unique test email and :data:`PASSWORD`; returns ``(email, user_id)``."""
        email = f"{prefix}{next(_ids)}-{os.getpid()}-{id(self)}+clerk_test@example.com"
        user = self.call("POST", "/users", {"email_address": [email], "password": PASSWORD, **fields})
        return email, str(user["id"])

    def user(self, user_id: str) -> dict[str, Any]:
        return dict(self.call("GET", f"/users/{user_id}"))

    def close(self) -> None:
        self.http.close()
