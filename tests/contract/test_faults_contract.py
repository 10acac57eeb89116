"""Failure behaviour over real HTTP, using the local Clerk instance's fault injection."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from bapi_client import PASSWORD, Backend
from clerk_emulator.kit import ClerkInstance
from fapi_recorder import RecordingTransport

from clerk_frontend import Clerk, ClerkAPIResponseError, ClerkNetworkError, HttpxTransport


@pytest.fixture
def faults(emu: ClerkInstance) -> Iterator[Any]:
    control = httpx.Client(base_url=emu.fapi_url, timeout=10)

    def add(**rule: Any) -> None:
        response = control.post("/__emulator/faults", json=rule)
        assert response.status_code == 200, response.text

    yield add
    control.delete("/__emulator/faults")
    control.close()


async def signed_in(emu: ClerkInstance, backend: Backend, **user: Any) -> tuple[Clerk, RecordingTransport, str]:
    email, user_id = backend.new_user(**user)
    transport = RecordingTransport(HttpxTransport(timeout=10))
    waits: list[float] = []

    async def no_wait(seconds: float) -> None:
        waits.append(seconds)

    clerk = Clerk(emu.publishable_key, transport=transport, storage={}, sleep=no_wait)
    await clerk.load()
    await clerk.sign_in.create(identifier=email, password=PASSWORD)
    return clerk, transport, user_id


async def test_get_retries_dropped_connections(emu: ClerkInstance, backend: Backend, faults: Any) -> None:
    clerk, transport, _ = await signed_in(emu, backend)
    faults(path="^/v1/me$", method="GET", drop=True, times=2)
    before = len(transport.calls)
    await clerk.user.reload()  # type: ignore[union-attr]
    attempts = [c.params.get("_clerk_retry_attempt") for c in transport.calls[before:]]
    assert attempts == [None, "1", "2"]
    await clerk.aclose()


async def test_mutations_are_not_retried_and_state_is_kept(emu: ClerkInstance, backend: Backend,
                                                           faults: Any) -> None:
    clerk, transport, user_id = await signed_in(emu, backend, unsafe_metadata={"keep": 1})
    user = clerk.user
    assert user is not None
    faults(path="^/v1/me/metadata$", drop=True, times=1)
    before = len(transport.calls)
    with pytest.raises(ClerkNetworkError):
        await user.update_metadata(unsafe_metadata={"keep": 2})
    assert len(transport.calls) - before == 1
    assert user.unsafe_metadata == {"keep": 1} == backend.user(user_id)["unsafe_metadata"]

    faults(path="^/v1/me/metadata$", status=500, times=1)
    with pytest.raises(ClerkAPIResponseError) as info:
        await user.update_metadata(unsafe_metadata={"keep": 3})
    assert info.value.status == 500 and user.unsafe_metadata == {"keep": 1}

    faults(path="^/v1/me/metadata$", status=429, times=1)
    with pytest.raises(ClerkAPIResponseError) as info:
        await user.update_metadata(unsafe_metadata={"keep": 4})
    assert info.value.status == 429 and info.value.retry_after == 1
    assert user.unsafe_metadata == {"keep": 1} == backend.user(user_id)["unsafe_metadata"]
    await user.update_metadata(unsafe_metadata={"keep": 5})
    assert user.unsafe_metadata == {"keep": 5}
    await clerk.aclose()
