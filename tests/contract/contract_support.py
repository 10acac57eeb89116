"""Helpers of the contract layer: a Backend API caller and a recording Clerk harness."""

from __future__ import annotations

import itertools
import sys
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "unit"))

from emulator_proc import EmulatorProcess
from fapi_recorder import RecordingTransport, assert_requested

from clerk_frontend import Clerk, ClerkNetworkError, FapiRequest, FapiResponse, HttpxTransport, User

PASSWORD = "contract-password-1"
_ids = itertools.count(1)


class Backend:
    """Minimal Backend API caller (Bearer secret key, JSON) to arrange and check server state."""

    def __init__(self, emu: EmulatorProcess) -> None:
        self.http = httpx.Client(base_url=emu.bapi_url, headers={"Authorization": f"Bearer {emu.secret_key}"},
                                 timeout=10)

    def call(self, method: str, path: str, json: Any = None) -> Any:
        response = self.http.request(method, path, json=json)
        assert response.status_code < 300, response.text
        return response.json()

    def new_user(self, **fields: Any) -> tuple[str, str]:
        email = f"contract{next(_ids)}-{id(self)}+clerk_test@example.com"
        user = self.call("POST", "/users", {"email_address": [email], "password": PASSWORD, **fields})
        return email, str(user["id"])

    def user(self, user_id: str) -> dict[str, Any]:
        return dict(self.call("GET", f"/users/{user_id}"))


class Harness:
    """A fresh Clerk on a recording HttpxTransport, plus the recorded calls."""

    def __init__(self, emu: EmulatorProcess) -> None:
        self.emu = emu
        self.transport = RecordingTransport(HttpxTransport(timeout=10))
        self.clerk = Clerk(emu.publishable_key, transport=self.transport, storage={})

    @property
    def calls(self) -> list[Any]:
        return self.transport.calls

    def assert_requested(self, method: str, path: str, **kwargs: Any) -> Any:
        return assert_requested(self.calls, method, path, **kwargs)

    async def sign_in(self, email: str, password: str = PASSWORD) -> User:
        if not self.clerk.loaded:
            await self.clerk.load()
        await self.clerk.sign_in.create(identifier=email, password=password)
        user = self.clerk.user
        assert user is not None
        return user


class BlockingHttpxTransport:
    """A blocking transport over ``httpx.Client``: stands in for SyncXHRTransport on CPython, so the sync
    facade can be exercised over real HTTP (cookie-less, like HttpxTransport)."""

    blocking = True

    def __init__(self) -> None:
        self.http = httpx.Client(timeout=10)

    async def handle(self, request: FapiRequest) -> FapiResponse:
        try:
            response = self.http.request(request.method, request.url, headers=request.headers, content=request.body)
        except httpx.TransportError as exc:
            raise ClerkNetworkError(request.url, str(exc)) from exc
        finally:
            self.http.cookies.clear()
        return FapiResponse(response.status_code, {k.lower(): v for k, v in response.headers.items()},
                            response.content)
