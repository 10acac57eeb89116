"""Session tokens (cache timing with a fake clock), sign-in, sign-up, sign-out and set_active."""

import asyncio
from typing import Any

import pytest
from fapi_recorder import (
    Recorder,
    client_json,
    envelope,
    error_body,
    jwt,
    loaded,
    make_clerk,
    reply,
    session_json,
    signed_out_client,
    user_json,
)

from clerk_frontend import ClerkAPIResponseError, ClerkValidationError, MetadataError, SignIn, SignUp
from clerk_frontend.tokens import TokenCache, cache_key


class Clock:
    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def token_reply(iat: int, exp: int) -> Any:
    return reply({"object": "token", "jwt": jwt(iat, exp)})


async def test_get_token_mints_then_serves_from_cache_with_no_request() -> None:
    rec, clock = Recorder(), Clock()
    clerk = await loaded(rec, clock=clock)
    session = clerk.session
    assert session is not None
    rec.on("POST", "/client/sessions/sess_1/tokens", token_reply(100, 160))
    first = await session.get_token()
    rec.assert_requested("POST", "/client/sessions/sess_1/tokens", form=[("organization_id", "")],
                         query=[("__clerk_api_version", "2026-05-12"), ("_clerk_py_version", "0.1.0")])
    count = rec.count
    clock.now += 30  # 30 s left of 60: fresh, no refresh due
    assert await session.get_token() == first
    assert rec.count == count


async def test_token_evicted_with_five_seconds_left() -> None:
    rec, clock = Recorder(), Clock()
    clerk = await loaded(rec, clock=clock)
    session = clerk.session
    assert session is not None
    rec.on("POST", "/client/sessions/sess_1/tokens", token_reply(100, 160))
    rec.on("POST", "/client/sessions/sess_1/tokens", token_reply(155, 215))
    first = await session.get_token()
    clock.now += 55  # exactly 5 s left: evicted, minted in the foreground
    second = await session.get_token()
    assert second != first and sum(c.path.endswith("/tokens") for c in rec.calls) == 2


async def test_refresh_window_serves_cached_token_and_refreshes_in_background() -> None:
    rec, clock = Recorder(), Clock()
    clerk = await loaded(rec, clock=clock)
    session = clerk.session
    assert session is not None
    rec.on("POST", "/client/sessions/sess_1/tokens", token_reply(100, 160))
    refreshed = jwt(145, 205)
    rec.on("POST", "/client/sessions/sess_1/tokens", reply({"object": "token", "jwt": refreshed}))
    first = await session.get_token()
    clock.now += 45  # 15 s left: inside the 17 s refresh window
    assert await session.get_token() == first
    assert await session.get_token() == first  # no second background refresh while one runs
    for _ in range(5):
        await asyncio.sleep(0)
    assert sum(c.path.endswith("/tokens") for c in rec.calls) == 2
    assert await session.get_token() == refreshed
    await clerk.aclose()


async def test_template_org_and_skip_cache() -> None:
    rec, clock = Recorder(), Clock()
    clerk = await loaded(rec, client_json([session_json(last_active_organization_id="org_1")]), clock=clock)
    session = clerk.session
    assert session is not None
    rec.on("POST", "/client/sessions/sess_1/tokens/supabase", token_reply(1, 61))
    await session.get_token(template="supabase")
    call = rec.assert_requested("POST", "/client/sessions/sess_1/tokens/supabase", form=[])
    assert call.request.body == b""
    rec.on("POST", "/client/sessions/sess_1/tokens", token_reply(1, 61), always=True)
    await session.get_token()
    rec.assert_requested("POST", "/client/sessions/sess_1/tokens", form=[("organization_id", "org_1")])
    await session.get_token(organization_id=None)
    rec.assert_requested("POST", "/client/sessions/sess_1/tokens", form=[("organization_id", "")])
    before = rec.count
    await session.get_token()  # cached per (session, template, org)
    assert rec.count == before
    await session.get_token(skip_cache=True)
    rec.assert_requested("POST", "/client/sessions/sess_1/tokens", params={"debug": "skip_cache"})
    assert rec.count == before + 1


async def test_last_active_token_seeds_the_cache() -> None:
    rec, clock = Recorder(), Clock()
    seeded = jwt(int(clock.now) - 10, int(clock.now) + 50)
    clerk = await loaded(rec, client_json([session_json(last_active_token={"object": "token", "jwt": seeded})]),
                         clock=clock)
    assert clerk.session is not None and await clerk.session.get_token() == seeded
    assert rec.count == 2


async def test_missing_expired_token_retries_with_the_last_jwt() -> None:
    rec, clock = Recorder(), Clock()
    clerk = await loaded(rec, clock=clock)
    session = clerk.session
    assert session is not None
    old = jwt(100, 160)
    rec.on("POST", "/client/sessions/sess_1/tokens", reply({"object": "token", "jwt": old}))
    await session.get_token()
    clock.now += 120
    rec.on("POST", "/client/sessions/sess_1/tokens", reply(error_body("missing_expired_token"), 422))
    rec.on("POST", "/client/sessions/sess_1/tokens", token_reply(220, 280))
    await session.get_token()
    rec.assert_requested("POST", "/client/sessions/sess_1/tokens", params={"expired_token": old})


async def test_no_token_without_user() -> None:
    rec = Recorder()
    clerk = await loaded(rec, signed_out_client())
    assert clerk.session is None
    pending = client_json([session_json(status="ended")])
    rec2 = Recorder()
    clerk2 = await loaded(rec2, pending)
    ended = clerk2.client.sessions[0]  # type: ignore[union-attr]
    assert await ended.get_token() is None and rec2.count == 2


def test_token_cache_keys_and_clear() -> None:
    clock = Clock(0)
    cache = TokenCache(clock)
    assert cache_key("sess_1", None, None) == "clerk::sess_1::"
    assert cache_key("sess_1", "tpl", "org_1") == "clerk::sess_1-tpl-org_1::"
    cache.set(cache_key("sess_1", None, None), jwt(0, 60))
    cache.set(cache_key("sess_10", None, None), jwt(0, 60))
    cache.clear("sess_1")
    assert cache.get("clerk::sess_1::") is None and cache.get("clerk::sess_10::") is not None


async def test_session_touch_end_remove_wire() -> None:
    rec = Recorder()
    clerk = await loaded(rec)
    session = clerk.session
    assert session is not None
    touched = session_json(updated_at=2_000)
    rec.on("POST", "/client/sessions/sess_1/touch", reply(envelope(touched, client_json([touched]))))
    await session.touch(intent="focus", active_organization_id="org_1")
    rec.assert_requested("POST", "/client/sessions/sess_1/touch",
                         form=[("active_organization_id", "org_1"), ("intent", "focus")])
    assert "_clerk_session_id" not in rec.calls[-1].params
    ended = session_json(status="ended", updated_at=3_000)
    rec.on("POST", "/client/sessions/sess_1/end", reply(envelope(ended, client_json([ended]))))
    await session.end()
    rec.assert_requested("POST", "/client/sessions/sess_1/end", form=[])
    assert clerk.session is None and session.status == "ended"
    removed = session_json(status="removed", updated_at=4_000)
    rec.on("POST", "/client/sessions/sess_1/remove", reply(envelope(removed, client_json([removed]))))
    await session.remove()
    rec.assert_requested("POST", "/client/sessions/sess_1/remove")


async def test_sign_out_clears_only_after_server_agrees() -> None:
    rec, clock = Recorder(), Clock()
    clerk = await loaded(rec, clock=clock)
    session = clerk.session
    assert session is not None
    rec.on("POST", "/client/sessions/sess_1/tokens", token_reply(100, 160))
    await session.get_token()
    rec.on("DELETE", "/client/sessions", reply(error_body("internal"), 500))
    with pytest.raises(ClerkAPIResponseError):
        await clerk.sign_out()
    assert clerk.user is not None
    before = rec.count
    assert await session.get_token() is not None and rec.count == before  # token kept
    seen: list[Any] = []
    clerk.add_listener(seen.append, skip_initial=True)
    ended = client_json([session_json(status="ended")], updated_at=5_000)
    rec.on("DELETE", "/client/sessions", reply(envelope(ended, ended)))
    await clerk.sign_out()
    rec.assert_requested("DELETE", "/client/sessions", params={"_method": "DELETE"})
    assert "_clerk_session_id" not in rec.calls[-1].params
    assert clerk.user is None and clerk.session is None and len(seen) == 1 and seen[0].user is None


async def test_sign_out_one_of_several_sessions_removes_it() -> None:
    rec = Recorder()
    two = client_json([session_json("sess_a", user_json("user_a")), session_json("sess_b", user_json("user_b"))],
                      last_active_session_id="sess_a")
    clerk = await loaded(rec, two)
    removed = client_json([session_json("sess_a", user_json("user_a")),
                           session_json("sess_b", user_json("user_b"), status="removed", updated_at=2_000)],
                          last_active_session_id="sess_a", updated_at=2_000)
    rec.on("POST", "/client/sessions/sess_b/remove", reply(envelope(removed["sessions"][1], removed)))
    await clerk.sign_out(session_id="sess_b")
    assert clerk.session is not None and clerk.session.id == "sess_a"


async def test_set_active_selects_session_and_organization() -> None:
    rec = Recorder()
    two = client_json([session_json("sess_a", user_json("user_a")), session_json("sess_b", user_json("user_b"))],
                      last_active_session_id="sess_a")
    clerk = await loaded(rec, two)
    seen: list[Any] = []
    clerk.add_listener(seen.append, skip_initial=True)
    rec.on("POST", "/client/sessions/sess_b/touch", reply(envelope(two["sessions"][1], two)))
    await clerk.set_active(session="sess_b", organization=None)
    rec.assert_requested("POST", "/client/sessions/sess_b/touch",
                         form=[("active_organization_id", ""), ("intent", "select_session")])
    assert clerk.session is not None and clerk.session.id == "sess_b" and clerk.user.id == "user_b"  # type: ignore[union-attr]
    assert len(seen) == 1
    rec.on("POST", "/client/sessions/sess_a/touch", reply(error_body("x"), 404))
    with pytest.raises(ClerkAPIResponseError):
        await clerk.set_active(session="sess_a")
    assert clerk.session.id == "sess_b"
    with pytest.raises(ClerkValidationError):
        await clerk.set_active(session="sess_zzz")
    await clerk.set_active(session=None)
    assert clerk.session is None and clerk.user is None


async def test_organization_resolves_from_memberships() -> None:
    rec = Recorder()
    membership = {"id": "orgmem_1", "role": "org:admin",
                  "organization": {"id": "org_1", "name": "Acme", "updated_at": 1}}
    user = user_json(organization_memberships=[membership])
    clerk = await loaded(rec, client_json([session_json(user=user, last_active_organization_id="org_1")]))
    org = clerk.organization
    assert org is not None and org.name == "Acme"
    rec.on("PATCH", "/organizations/org_1", reply(envelope({"id": "org_1", "name": "Acme 2", "slug": "acme",
                                                            "updated_at": 2}, client_json())))
    await org.update(name="Acme 2", slug="acme")
    rec.assert_requested("PATCH", "/organizations/org_1", form=[("name", "Acme 2"), ("slug", "acme")],
                         params={"_clerk_session_id": "sess_1"})
    assert org.name == "Acme 2"
    rec.on("GET", "/organizations/org_1/memberships", reply(envelope({"data": [membership], "total_count": 1},
                                                                     client_json())))
    page = await org.get_memberships(role=["org:admin"], query="ada")
    rec.assert_requested("GET", "/organizations/org_1/memberships",
                         query=[("role", "org:admin"), ("query", "ada"), ("paginated", "true"), ("limit", "10"),
                                ("offset", "0"), ("__clerk_api_version", "2026-05-12"),
                                ("_clerk_py_version", "0.1.0"), ("_clerk_session_id", "sess_1")])
    assert page.total_count == 1


def sign_in_json(status: str, **fields: Any) -> dict[str, Any]:
    return {"id": "sia_1", "object": "sign_in_attempt", "status": status, "identifier": "ada@example.com",
            "supported_first_factors": [{"strategy": "email_code", "email_address_id": "idn_1"},
                                        {"strategy": "password"}], **fields}


async def test_sign_in_with_password() -> None:
    rec = Recorder()
    clerk = await loaded(rec, signed_out_client())
    sign_in = clerk.sign_in
    done = sign_in_json("complete", created_session_id="sess_1")
    rec.on("POST", "/client/sign_ins", reply(envelope(done, client_json(sign_in=done))))
    await sign_in.create(identifier="ada@example.com", password="pw")
    rec.assert_requested("POST", "/client/sign_ins", form=[("identifier", "ada@example.com"), ("password", "pw")])
    assert "_clerk_session_id" not in rec.calls[-1].params
    assert sign_in.status == "complete" and sign_in.created_session_id == "sess_1"
    assert clerk.sign_in is sign_in and clerk.user is not None


async def test_sign_in_with_email_code() -> None:
    rec = Recorder()
    clerk = await loaded(rec, signed_out_client())
    sign_in: SignIn = clerk.sign_in
    with pytest.raises(Exception, match="create"):
        await sign_in.prepare_first_factor(strategy="email_code")
    first = sign_in_json("needs_first_factor")
    rec.on("POST", "/client/sign_ins", reply(envelope(first, client_json([], sign_in=first))))
    await sign_in.create(identifier="ada@example.com")
    rec.on("POST", "/client/sign_ins/sia_1/prepare_first_factor",
           reply(envelope(first, client_json([], sign_in=first))))
    await sign_in.prepare_first_factor(strategy="email_code")
    rec.assert_requested("POST", "/client/sign_ins/sia_1/prepare_first_factor",
                         form=[("strategy", "email_code"), ("email_address_id", "idn_1")])
    done = sign_in_json("complete", created_session_id="sess_1")
    rec.on("POST", "/client/sign_ins/sia_1/attempt_first_factor", reply(envelope(done, client_json(sign_in=done))))
    await sign_in.attempt_first_factor(strategy="email_code", code="424242")
    rec.assert_requested("POST", "/client/sign_ins/sia_1/attempt_first_factor",
                         form=[("strategy", "email_code"), ("code", "424242")])
    assert sign_in.status == "complete" and clerk.user is not None
    rec.on("POST", "/client/sessions/sess_1/touch", reply(envelope(session_json(), client_json())))
    await clerk.set_active(session=sign_in.created_session_id)
    assert clerk.session is not None and clerk.session.id == "sess_1"


async def test_sign_up_with_metadata_and_email_code() -> None:
    rec = Recorder()
    clerk = await loaded(rec, signed_out_client())
    sign_up: SignUp = clerk.sign_up
    with pytest.raises(MetadataError):
        await sign_up.create(email_address="a@b.c", unsafe_metadata={"x": {1, 2}})
    with pytest.raises(MetadataError, match="backend-only"):
        await sign_up.create(email_address="a@b.c", public_metadata={"x": 1})
    assert rec.count == 2
    pending = {"id": "sua_1", "object": "sign_up_attempt", "status": "missing_requirements",
               "unverified_fields": ["email_address"], "unsafe_metadata": {"plan": "pro"}}
    rec.on("POST", "/client/sign_ups", reply(envelope(pending, client_json([], sign_up=pending))))
    await sign_up.create(email_address="new@example.com", password="pw", unsafe_metadata={"plan": "pro"})
    rec.assert_requested("POST", "/client/sign_ups", form=[("email_address", "new@example.com"), ("password", "pw"),
                                                           ("unsafe_metadata", '{"plan":"pro"}')])
    rec.on("POST", "/client/sign_ups/sua_1/prepare_verification", reply(envelope(pending, client_json([]))))
    await sign_up.prepare_email_address_verification()
    rec.assert_requested("POST", "/client/sign_ups/sua_1/prepare_verification", form=[("strategy", "email_code")])
    done = {**pending, "status": "complete", "created_session_id": "sess_1", "created_user_id": "user_1"}
    rec.on("POST", "/client/sign_ups/sua_1/attempt_verification", reply(envelope(done, client_json(sign_up=done))))
    await sign_up.attempt_email_address_verification(code="424242")
    rec.assert_requested("POST", "/client/sign_ups/sua_1/attempt_verification",
                         form=[("strategy", "email_code"), ("code", "424242")])
    assert sign_up.status == "complete" and clerk.sign_up is sign_up and clerk.user is not None


async def test_client_destroy_wire() -> None:
    rec = Recorder()
    clerk = make_clerk(rec)
    rec.on("GET", "/environment", reply({}))
    rec.on("GET", "/client", reply(envelope(client_json(), client_json())))
    await clerk.load()
    rec.on("DELETE", "/client", reply(envelope(None, None)))
    await clerk.client.destroy()  # type: ignore[union-attr]
    rec.assert_requested("DELETE", "/client", params={"_method": "DELETE"})
    assert clerk.client is None and clerk.user is None


async def test_401_resyncs_the_client_then_raises() -> None:
    rec = Recorder()
    clerk = await loaded(rec)
    user = clerk.user
    seen: list[Any] = []
    clerk.add_listener(seen.append, skip_initial=True)
    rec.on("PATCH", "/me", reply(error_body("authentication_invalid"), 401))
    gone = client_json([session_json(status="revoked")], updated_at=9_000)
    rec.on("GET", "/client", reply(envelope(gone, gone)))
    with pytest.raises(ClerkAPIResponseError) as info:
        await user.update(first_name="x")  # type: ignore[union-attr]
    assert info.value.status == 401 and info.value.code == "authentication_invalid"
    assert [c.path for c in rec.calls[-2:]] == ["/me", "/client"]
    assert clerk.user is None and len(seen) == 1


async def test_401_resync_failure_keeps_state_and_raises_the_401() -> None:
    rec = Recorder()
    clerk = await loaded(rec, max_get_tries=1)
    rec.on("PATCH", "/me", reply(error_body("authentication_invalid"), 401))
    rec.on("GET", "/client", OSError("down"))
    with pytest.raises(ClerkAPIResponseError):
        await clerk.user.update(first_name="x")  # type: ignore[union-attr]
    assert clerk.user is not None and clerk.user.first_name == "Ada"
