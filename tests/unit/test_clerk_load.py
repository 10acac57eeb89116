"""Clerk.load(), the dev browser, state selection, listeners and object identity."""

import asyncio

import pytest
from fapi_recorder import (
    Call,
    Recorder,
    client_json,
    envelope,
    error_body,
    loaded,
    make_clerk,
    reply,
    session_json,
    signed_out_client,
    user_json,
)

from clerk_frontend import ClerkAPIResponseError, ClerkNetworkError, ClerkState


async def test_load_makes_two_concurrent_requests() -> None:
    rec = Recorder()
    in_flight: list[str] = []
    peak = 0

    def answer(body: object):  # type: ignore[no-untyped-def]
        async def handler(call: Call):  # type: ignore[no-untyped-def]
            nonlocal peak
            in_flight.append(call.path)
            peak = max(peak, len(in_flight))
            await asyncio.sleep(0.001)
            in_flight.remove(call.path)
            return reply(body)
        return handler

    client = client_json()
    rec.on("GET", "/environment", answer({"auth_config": {"single_session_mode": True}}))
    rec.on("GET", "/client", answer(envelope(client, client)))
    clerk = make_clerk(rec)
    assert not clerk.loaded and clerk.user is None
    await clerk.load()
    assert rec.count == 2 and peak == 2
    rec.assert_requested("GET", "/environment", params={"__clerk_api_version": "2026-05-12"})
    rec.assert_requested("GET", "/client")
    assert clerk.loaded and clerk.environment == {"auth_config": {"single_session_mode": True}}
    assert clerk.session is not None and clerk.session.id == "sess_1"
    assert clerk.user is not None and clerk.user.first_name == "Ada" and clerk.user is clerk.session.user


async def test_dev_browser_is_minted_once_then_reused() -> None:
    rec = Recorder()
    storage: dict[str, str] = {}
    rec.on("POST", "/dev_browser", reply({"id": "dvb_abc"}))
    rec.on("GET", "/environment", reply({}), always=True)
    rec.on("GET", "/client", reply(envelope(signed_out_client(), signed_out_client())), always=True)
    clerk = make_clerk(rec, dev_browser=True, storage=storage)
    await clerk.load()
    assert rec.count == 3
    first = rec.assert_requested("POST", "/dev_browser")
    assert "__clerk_db_jwt" not in first.params
    assert rec.assert_requested("GET", "/client").params["__clerk_db_jwt"] == "dvb_abc"
    assert clerk.dev_browser_jwt == "dvb_abc" and list(storage.values()) == ["dvb_abc"]
    # A second Clerk on the same storage (a page reload) skips the dev-browser request.
    again = make_clerk(rec, dev_browser=True, storage=storage)
    await again.load()
    assert rec.count == 5


async def test_development_keys_default_to_dev_browser() -> None:
    rec = Recorder()
    assert make_clerk(rec, dev_browser=None).dev_browser_jwt is None
    clerk = make_clerk(rec, dev_browser=None, dev_browser_jwt="dvb_given")
    assert clerk.dev_browser_jwt == "dvb_given"


async def test_dev_browser_unauthenticated_resets_and_retries_once() -> None:
    rec = Recorder()
    rec.on("GET", "/environment", reply({}), always=True)
    rec.on("GET", "/client", reply(error_body("dev_browser_unauthenticated"), 401))
    rec.on("POST", "/dev_browser", reply({"id": "dvb_new"}))
    rec.on("GET", "/client", reply(envelope(signed_out_client(), signed_out_client())))
    clerk = make_clerk(rec, dev_browser=True, dev_browser_jwt="dvb_old")
    await clerk.load()
    assert clerk.loaded and clerk.dev_browser_jwt == "dvb_new"
    assert rec.assert_requested("GET", "/client", index=-1).params["__clerk_db_jwt"] == "dvb_new"


async def test_rotated_dev_browser_header_is_adopted() -> None:
    rec = Recorder()
    client = client_json()
    rec.on("GET", "/environment", reply({}))
    rec.on("GET", "/client", reply(envelope(client, client), headers={"clerk-db-jwt": "dvb_rotated"}))
    clerk = make_clerk(rec, dev_browser=True, dev_browser_jwt="dvb_1")
    await clerk.load()
    assert clerk.dev_browser_jwt == "dvb_rotated"


async def test_load_failure_leaves_clerk_unloaded() -> None:
    rec = Recorder()
    rec.on("GET", "/environment", reply({}))
    rec.on("GET", "/client", reply(error_body("authorization_invalid"), 403))
    clerk = make_clerk(rec)
    with pytest.raises(ClerkAPIResponseError):
        await clerk.load()
    assert not clerk.loaded and clerk.user is None


async def test_get_retries_network_errors_with_backoff_then_gives_up() -> None:
    rec = Recorder()
    sleeps: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        sleeps.append(seconds)

    rec.on("GET", "/environment", reply({}))
    for _ in range(3):
        rec.on("GET", "/client", OSError("connection refused"))
    rec.on("GET", "/client", reply(envelope(signed_out_client(), signed_out_client())))
    clerk = make_clerk(rec, sleep=fake_sleep, jitter=lambda: 0.0)
    await clerk.load()
    attempts = [c.params.get("_clerk_retry_attempt") for c in rec.calls if c.path == "/client"]
    assert attempts == [None, "1", "2", "3"]
    assert sleeps == pytest.approx([0.1, 0.7, 1.4])

    rec2 = Recorder()
    rec2.on("GET", "/environment", reply({}), always=True)
    rec2.on("GET", "/client", OSError("down"), always=True)
    failing = make_clerk(rec2, sleep=fake_sleep, max_get_tries=2)
    await failing.load()  # the client never arrived: loaded, but "degraded" (clerk-js)
    assert failing.status == "degraded" and failing.loaded and failing.client is None
    assert sum(c.path == "/client" for c in rec2.calls) == 2


async def test_a_get_that_keeps_failing_raises_the_network_error() -> None:
    rec = Recorder()
    clerk = await loaded(rec, max_get_tries=2, sleep=lambda s: asyncio.sleep(0))
    rec.on("GET", "/me", OSError("down"), always=True)
    with pytest.raises(ClerkNetworkError, match="Network error") as info:
        await clerk.user.reload()  # type: ignore[union-attr]
    assert info.value.code == "network_error" and isinstance(info.value.__cause__, OSError)
    assert sum(c.path == "/me" for c in rec.calls) == 2


async def test_http_errors_are_not_retried() -> None:
    rec = Recorder()
    rec.on("GET", "/environment", reply({}))
    rec.on("GET", "/client", reply(error_body("internal"), 500))
    clerk = make_clerk(rec)
    await clerk.load()  # a 5xx on the client degrades the load (clerk-js), and is not retried
    assert rec.count == 2 and clerk.status == "degraded"
    rec2 = Recorder()
    rec2.on("GET", "/environment", reply({}))
    rec2.on("GET", "/client", reply(error_body("client_blocked"), 403))
    with pytest.raises(ClerkAPIResponseError):
        await make_clerk(rec2).load()
    assert rec2.count == 2


async def test_signed_out_client_has_no_user_and_picks_last_active_session() -> None:
    rec = Recorder()
    clerk = await loaded(rec, signed_out_client())
    assert clerk.client is not None and clerk.session is None and clerk.user is None and clerk.organization is None
    rec2 = Recorder()
    two = client_json([session_json("sess_a", user_json("user_a")), session_json("sess_b", user_json("user_b"))],
                      last_active_session_id="sess_b")
    clerk2 = await loaded(rec2, two)
    assert clerk2.session is not None and clerk2.session.id == "sess_b" and clerk2.user.id == "user_b"  # type: ignore[union-attr]


async def test_listeners_initial_emit_and_unsubscribe() -> None:
    rec = Recorder()
    seen: list[ClerkState] = []
    clerk = make_clerk(rec)
    unsubscribe = clerk.add_listener(seen.append)
    assert seen == []  # not loaded yet: nothing to report
    client = client_json()
    rec.on("GET", "/environment", reply({}))
    rec.on("GET", "/client", reply(envelope(client, client)))
    await clerk.load()
    assert len(seen) == 1 and seen[0].user is clerk.user
    late: list[ClerkState] = []
    clerk.add_listener(late.append)
    clerk.add_listener(late.append, skip_initial=True)
    assert len(late) == 1
    unsubscribe()
    rec.on("GET", "/me", reply(envelope(user_json(updated_at=2_000, first_name="B"), client)))
    await clerk.user.reload()  # type: ignore[union-attr]
    assert len(seen) == 1 and len(late) == 3


async def test_user_is_the_same_object_across_client_updates() -> None:
    rec = Recorder()
    clerk = await loaded(rec)
    user = clerk.user
    emails = [{"id": "idn_1", "object": "email_address", "email_address": "ada@example.com", "updated_at": 1}]
    newer = client_json([session_json(user=user_json(updated_at=3_000, first_name="Grace",
                                                    email_addresses=emails))], updated_at=3_000)
    rec.on("GET", "/client", reply(envelope(newer, newer)))
    rec.on("GET", "/environment", reply({}))
    await clerk.load()
    assert clerk.user is user and user is not None and user.first_name == "Grace"
    email = user.email_addresses[0]
    again = client_json([session_json(user=user_json(updated_at=4_000, first_name="Grace",
                                                    email_addresses=emails))], updated_at=4_000)
    rec.on("GET", "/client", reply(envelope(again, again)))
    rec.on("GET", "/environment", reply({}))
    await clerk.load()
    assert clerk.user is user and user.email_addresses[0] is email
    assert user.created_at is not None and user.created_at.timestamp() == 0.5  # ms on the wire


async def test_stale_client_never_overwrites_newer_user() -> None:
    rec = Recorder()
    clerk = await loaded(rec, client_json([session_json(user=user_json(updated_at=5_000, first_name="New"))]))
    old = client_json([session_json(user=user_json(updated_at=4_000, first_name="Old"))], updated_at=900)
    rec.on("GET", "/me", reply(envelope(user_json(updated_at=4_000, first_name="Old"), old)))
    await clerk.user.reload()  # type: ignore[union-attr]
    assert clerk.user is not None and clerk.user.first_name == "New"

