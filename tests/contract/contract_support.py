"""Helpers of the contract layer: a recording Clerk harness (the Backend API caller is `bapi_client`)."""

from __future__ import annotations

from typing import Any

import httpx
from bapi_client import PASSWORD
from clerk_emulator.kit import ClerkInstance
from fapi_recorder import RecordingTransport, assert_requested

from clerk_frontend import Clerk, ClerkNetworkError, FapiRequest, FapiResponse, HttpxTransport, User


class Harness:
    """A fresh Clerk on a recording HttpxTransport, plus the recorded calls."""

    def __init__(self, emu: ClerkInstance) -> None:
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
