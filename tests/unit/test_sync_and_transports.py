"""The sync facade over the async core, and transport behaviour that needs no network."""

import asyncio
import gc
import sys
import warnings

import pytest
from fapi_recorder import PK, MetadataServer, Recorder, client_json, envelope, error_body, reply

from clerk_frontend import (
    ClerkAPIResponseError,
    ClerkNetworkError,
    ClerkRuntimeError,
    FapiRequest,
    FapiResponse,
    MockTransport,
    SyncClerk,
    User,
    run_sync,
    unwrap,
)
from clerk_frontend.sync import Blocking
from clerk_frontend.transports import default_transport


def test_sync_facade_runs_the_same_core_without_an_event_loop() -> None:
    rec = Recorder(blocking=True)
    server = MetadataServer({"a": 1})
    client = server.wrapped()["client"]
    rec.on("GET", "/environment", reply({}))
    rec.on("GET", "/client", reply(envelope(client, client)))
    rec.on("PATCH", "/me/metadata", server.patch)
    clerk = SyncClerk(PK, transport=rec.transport, dev_browser=False, storage={})
    seen: list[object] = []
    clerk.add_listener(seen.append, skip_initial=True)
    assert clerk.load() == clerk
    assert rec.count == 2  # sequential without a loop, still two requests
    user = clerk.user
    assert isinstance(unwrap(user), User) and unwrap(user) is unwrap(clerk.user)
    user.update_metadata(unsafe_metadata={"b": 2, "a": None})
    assert user.unsafe_metadata == {"b": 2} == server.metadata
    assert len(seen) == 2 and rec.count == 3  # load + update
    state = seen[-1]
    assert isinstance(state.user, Blocking) and unwrap(state.user) is unwrap(user)  # type: ignore[attr-defined]


def test_sync_facade_retries_with_a_blocking_sleep() -> None:
    rec = Recorder(blocking=True)
    rec.on("GET", "/environment", reply({}))
    rec.on("GET", "/client", OSError("refused"))
    rec.on("GET", "/client", reply(envelope(client_json(), client_json())))
    waited: list[float] = []

    async def no_wait(seconds: float) -> None:
        waited.append(seconds)

    clerk = SyncClerk(PK, transport=rec.transport, dev_browser=False, storage={}, sleep=no_wait)
    clerk.load()
    assert len(waited) == 1 and clerk.user.first_name == "Ada"


def test_sync_load_failure_raises_and_leaves_nothing_unawaited() -> None:
    rec = Recorder(blocking=True)
    # The environment request fails in a way that fails the load (a 5xx would only degrade it): the client
    # request, not yet sent, must be closed rather than left unawaited.
    rec.on("GET", "/environment", reply(error_body("dev_browser_unauthenticated"), 401))
    clerk = SyncClerk(PK, transport=rec.transport, dev_browser=False, storage={})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(ClerkAPIResponseError):
            clerk.load()
        gc.collect()
    assert rec.count == 1 and not clerk.loaded
    assert not [w for w in caught if "never awaited" in str(w.message)]


def test_sync_facade_refuses_async_transports() -> None:
    with pytest.raises(ClerkRuntimeError, match="blocking"):
        SyncClerk(PK, transport=MockTransport(lambda r: reply({})), storage={})
    if sys.platform != "emscripten":
        with pytest.raises(ClerkRuntimeError, match="blocking transport"):
            SyncClerk(PK)


def test_run_sync_detects_suspension() -> None:
    async def suspends() -> int:
        await asyncio.sleep(0)
        return 1

    async def plain() -> int:
        return 2

    assert run_sync(plain()) == 2
    with pytest.raises(ClerkRuntimeError, match="suspended"):
        run_sync(suspends())


async def test_mock_transport_records_and_accepts_async_handlers() -> None:
    async def handler(request: FapiRequest) -> FapiResponse:
        return FapiResponse(204)

    transport = MockTransport(handler)
    request = FapiRequest("GET", "http://127.0.0.1:1/v1/client")
    assert (await transport.handle(request)).status == 204 and transport.requests == [request]


def test_default_transport_by_platform() -> None:
    if sys.platform == "emscripten":
        assert type(default_transport()).__name__ == "PyfetchTransport"
    else:
        assert type(default_transport()).__name__ == "HttpxTransport"


async def test_httpx_transport_maps_transport_errors_only() -> None:
    httpx = pytest.importorskip("httpx")
    from clerk_frontend import HttpxTransport

    def refuse(request: object) -> object:
        raise httpx.ConnectError("refused")

    transport = HttpxTransport(client=httpx.AsyncClient(transport=httpx.MockTransport(refuse)))
    with pytest.raises(ClerkNetworkError) as info:
        await transport.handle(FapiRequest("GET", "http://127.0.0.1:1/v1/client"))
    assert isinstance(info.value.__cause__, httpx.ConnectError)

    def answer(request: object) -> object:
        return httpx.Response(422, headers={"Retry-After": "3", "set-cookie": "a=b"}, content=b"{}")

    transport = HttpxTransport(client=httpx.AsyncClient(transport=httpx.MockTransport(answer)))
    response = await transport.handle(FapiRequest("POST", "http://127.0.0.1:1/v1/me", {"content-type": "x"}, b"a=1"))
    assert response.status == 422 and response.headers["retry-after"] == "3" and response.body == b"{}"
    await transport.aclose()

    def bug(request: object) -> object:
        raise KeyError("a bug, not the network")

    transport = HttpxTransport(client=httpx.AsyncClient(transport=httpx.MockTransport(bug)))
    with pytest.raises(KeyError):
        await transport.handle(FapiRequest("GET", "http://127.0.0.1:1/v1/client"))
