"""clerk-js idioms (issue 10 §2): attempts that always exist, status, is_signed_in, Client.create, SignUp.update,
get_organization, the token cache seeded from last_active_token, and real Clerk's extra or null fields (§5)."""

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

from clerk_frontend import (
    ClerkAPIResponseError,
    ClerkRuntimeError,
    ClerkState,
    ClerkValidationError,
    MetadataError,
    SignIn,
    SignUp,
)

NOW = 1_000_000


class Clock:
    def __init__(self, now: float = NOW) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def sign_in_json(status: str, **fields: Any) -> dict[str, Any]:
    return {"id": "sia_1", "object": "sign_in_attempt", "status": status, "identifier": "ada@example.com",
            "supported_first_factors": [{"strategy": "password"}], **fields}


# -- clerk.client.sign_in / sign_up are always objects ---------------------------------------------------

async def test_client_sign_in_is_always_an_object_that_becomes_the_created_attempt() -> None:
    rec = Recorder()
    clerk = await loaded(rec, signed_out_client())
    assert clerk.client is not None
    fresh = clerk.client.sign_in
    assert isinstance(fresh, SignIn) and fresh.id == "" and fresh.status is None
    assert clerk.client.sign_in is fresh and clerk.sign_in is fresh  # the same fresh one until it is created
    assert isinstance(clerk.client.sign_up, SignUp) and clerk.client.sign_up.id == ""

    first = sign_in_json("needs_first_factor")
    rec.on("POST", "/client/sign_ins", reply(envelope(first, client_json([], sign_in=first))))
    created = await clerk.client.sign_in.create(identifier="ada@example.com")
    rec.assert_requested("POST", "/client/sign_ins", form=[("identifier", "ada@example.com")])
    assert created is fresh and clerk.client.sign_in is fresh and fresh.id == "sia_1"

    # Real Clerk nulls client.sign_in once a sign-in completes; the attempt returned keeps its answer.
    done = sign_in_json("complete", created_session_id="sess_1", supported_first_factors=None, user_data=None,
                        locale="en-US")
    rec.on("POST", "/client/sign_ins/sia_1/attempt_first_factor", reply(envelope(done, client_json(sign_in=None))))
    await fresh.attempt_first_factor(strategy="password", password="pw")
    assert fresh.status == "complete" and fresh.created_session_id == "sess_1" and fresh.locale == "en-US"
    assert fresh.supported_first_factors is None
    after = clerk.client.sign_in
    assert after is not fresh and after.id == "" and after.status is None and clerk.client.sign_in is after
    assert clerk.user is not None and clerk.is_signed_in


async def test_a_sign_up_created_through_the_client_stays_its_sign_up() -> None:
    rec = Recorder()
    clerk = await loaded(rec, signed_out_client())
    assert clerk.client is not None
    pending = {"id": "sua_1", "object": "sign_up_attempt", "status": "missing_requirements",
               "missing_fields": ["username"], "locale": None}
    rec.on("POST", "/client/sign_ups", reply(envelope(pending, client_json([], sign_up=pending))))
    sign_up = await clerk.client.sign_up.create(email_address="new@example.com")
    assert clerk.client.sign_up is sign_up and sign_up.missing_fields == ["username"]
    # A later client that still carries it refreshes the same object.
    again = {**pending, "missing_fields": None}
    rec.on("GET", "/client/sign_ups/sua_1", reply(envelope(again, client_json([], sign_up=again))))
    assert await sign_up.reload() is sign_up
    rec.assert_requested("GET", "/client/sign_ups/sua_1", query=None)
    assert clerk.client.sign_up is sign_up and sign_up.missing_fields == []


# -- status ----------------------------------------------------------------------------------------------

async def test_status_goes_loading_then_ready_and_listeners_hear_each_change_once() -> None:
    rec = Recorder()
    clerk = make_clerk(rec)
    heard: list[str] = []
    now: list[str] = []
    unsubscribe = clerk.add_status_listener(heard.append)
    clerk.add_status_listener(now.append, notify=True)
    assert clerk.status == "loading" and not clerk.loaded and heard == [] and now == ["loading"]
    rec.on("GET", "/environment", reply({}), always=True)
    rec.on("GET", "/client", reply(envelope(client_json(), client_json())), always=True)
    await clerk.load()
    assert clerk.status == "ready" and clerk.loaded and heard == ["ready"] and now == ["loading", "ready"]
    await clerk.load()  # unchanged: nobody is called
    assert heard == ["ready"]
    unsubscribe()
    assert heard == ["ready"]


@pytest.mark.parametrize("failure", ["environment 500", "environment network", "client 503", "client network"])
async def test_a_missing_environment_or_client_degrades_the_load(failure: str) -> None:
    rec = Recorder()
    what, how = failure.split()
    client = client_json()
    answers: dict[str, Any] = {"/environment": reply({"display_config": {}}),
                               "/client": reply(envelope(client, client))}
    answers[f"/{what}"] = OSError("refused") if how == "network" else reply(error_body("internal"), int(how))
    for path, answer in answers.items():
        rec.on("GET", path, answer, always=True)

    async def no_wait(seconds: float) -> None:
        pass

    clerk = make_clerk(rec, sleep=no_wait)
    seen: list[ClerkState] = []
    clerk.add_listener(seen.append)
    await clerk.load()
    assert clerk.status == "degraded" and clerk.loaded and len(seen) == 1
    if what == "environment":
        assert clerk.environment is None and clerk.user is not None  # the client still applied
    else:
        assert clerk.environment == {"display_config": {}} and clerk.client is None and clerk.user is None


async def test_a_4xx_on_the_client_is_an_error_and_a_retry_recovers() -> None:
    rec = Recorder()
    rec.on("GET", "/environment", reply({}), always=True)
    rec.on("GET", "/client", reply(error_body("client_blocked"), 403))
    clerk = make_clerk(rec)
    heard: list[str] = []
    clerk.add_status_listener(heard.append)
    with pytest.raises(ClerkAPIResponseError):
        await clerk.load()
    assert clerk.status == "error" and not clerk.loaded and heard == ["error"]
    rec.on("GET", "/client", reply(envelope(signed_out_client(), signed_out_client())))
    await clerk.load()
    assert clerk.status == "ready" and heard == ["error", "loading", "ready"]
    # Once loaded, a failing reload leaves the status (and the state) as they were.
    rec.on("GET", "/client", reply(error_body("client_blocked"), 403))
    with pytest.raises(ClerkAPIResponseError):
        await clerk.load()
    assert clerk.status == "ready" and clerk.loaded


async def test_is_signed_in_follows_the_selected_session_and_pending_is_not_signed_in() -> None:
    rec = Recorder()
    assert not make_clerk(rec).is_signed_in
    assert (await loaded(rec, client_json())).is_signed_in
    assert not (await loaded(rec, signed_out_client())).is_signed_in
    pending = client_json([session_json(status="pending", tasks=[{"key": "choose-organization"}])],
                          last_active_session_id="sess_1")
    clerk = await loaded(rec, pending)
    assert clerk.session is not None and not clerk.is_signed_in
    assert clerk.session.current_task == {"key": "choose-organization"}


# -- Client.create, SignUp.update, get_organization -------------------------------------------------------

async def test_client_create_puts_a_new_client_and_keeps_the_object() -> None:
    rec = Recorder()
    clerk = await loaded(rec)
    client = clerk.client
    assert client is not None and clerk.user is not None
    fresh = signed_out_client() | {"id": "client_2", "updated_at": 2_000}
    rec.on("PUT", "/client", reply(envelope(fresh, fresh)))
    assert await client.create() is client
    call = rec.assert_requested("PUT", "/client", form=[])
    assert call.request.method == "POST" and call.params["_method"] == "PUT"
    assert "_clerk_session_id" not in call.params
    assert clerk.client is client and client.id == "client_2" and client.sessions == [] and clerk.user is None


async def test_sign_up_update_patches_fields_and_validates_metadata_like_create() -> None:
    rec = Recorder()
    pending = {"id": "sua_1", "object": "sign_up_attempt", "status": "missing_requirements",
               "missing_fields": ["username"]}
    clerk = await loaded(rec, client_json([], sign_up=pending))
    sign_up = clerk.client.sign_up  # type: ignore[union-attr]
    before = rec.count
    with pytest.raises(MetadataError):
        await sign_up.update(unsafe_metadata={"when": {1}})
    with pytest.raises(MetadataError, match="backend-only"):
        await sign_up.update(public_metadata={"x": 1})
    with pytest.raises(ClerkValidationError, match="at least one"):
        await sign_up.update()
    assert rec.count == before
    done = {**pending, "status": "complete", "missing_fields": [], "username": "ada",
            "created_session_id": "sess_1", "created_user_id": "user_1"}
    rec.on("PATCH", "/client/sign_ups/sua_1", reply(envelope(done, client_json(sign_up=None))))
    assert await sign_up.update(username="ada", unsafe_metadata={"plan": "pro"}) is sign_up
    rec.assert_requested("PATCH", "/client/sign_ups/sua_1",
                         form=[("username", "ada"), ("unsafe_metadata", '{"plan":"pro"}')],
                         params={"_method": "PATCH"})
    assert sign_up.status == "complete" and sign_up.username == "ada" and clerk.user is not None
    with pytest.raises(ClerkRuntimeError, match="create"):
        await SignUp(clerk).update(username="x")


async def test_get_organization_refreshes_the_membership_organization() -> None:
    rec = Recorder()
    membership = {"id": "orgmem_1", "role": "org:admin", "organization": {"id": "org_1", "name": "Acme",
                                                                          "updated_at": 1}}
    clerk = await loaded(rec, client_json([session_json(user=user_json(organization_memberships=[membership]))]))
    held = clerk.user.organization_memberships[0].organization  # type: ignore[union-attr]
    rec.on("GET", "/organizations/org_1", reply(envelope({"id": "org_1", "name": "Acme Inc", "members_count": 3,
                                                          "updated_at": 2}, client_json())))
    org = await clerk.get_organization("org_1")
    rec.assert_requested("GET", "/organizations/org_1", params={"_clerk_session_id": "sess_1"})
    assert org is held and org.name == "Acme Inc" and org.members_count == 3
    rec.on("GET", "/organizations/org_2", reply(envelope({"id": "org_2", "name": "Other"}, client_json())))
    other = await clerk.get_organization("org_2")
    assert other.id == "org_2" and other is not held
    with pytest.raises(ClerkValidationError):
        await clerk.get_organization("")


# -- the token cache seeded from last_active_token ------------------------------------------------------

def token(iat: float, exp: float, **claims: Any) -> dict[str, Any]:
    return {"object": "token", "jwt": jwt(int(iat), int(exp), **claims)}


async def test_first_get_token_after_load_sends_nothing_while_the_seeded_token_is_fresh() -> None:
    rec, clock = Recorder(), Clock()
    seeded = token(NOW - 5, NOW + 55)
    clerk = await loaded(rec, client_json([session_json(last_active_token=seeded)]), clock=clock)
    before = rec.count
    assert await clerk.session.get_token() == seeded["jwt"]  # type: ignore[union-attr]
    assert rec.count == before == 2


async def test_an_aged_last_active_token_is_not_served() -> None:
    rec, clock = Recorder(), Clock()
    # Minted 58 s ago for 60 s: 2 s left, under the 5 s margin.
    clerk = await loaded(rec, client_json([session_json(last_active_token=token(NOW - 58, NOW + 2))]), clock=clock)
    fresh = token(NOW, NOW + 60)
    rec.on("POST", "/client/sessions/sess_1/tokens", reply(fresh))
    assert await clerk.session.get_token() == fresh["jwt"]  # type: ignore[union-attr]
    assert rec.count == 3


async def test_the_seed_holds_after_a_sign_in_and_after_switching_organization() -> None:
    rec, clock = Recorder(), Clock()
    clerk = await loaded(rec, signed_out_client(), clock=clock)
    seeded = token(NOW, NOW + 60)
    done = sign_in_json("complete", created_session_id="sess_1")
    rec.on("POST", "/client/sign_ins", reply(envelope(done, client_json([session_json(last_active_token=seeded)]))))
    await clerk.client.sign_in.create(identifier="ada@example.com", password="pw")  # type: ignore[union-attr]
    before = rec.count
    assert await clerk.session.get_token() == seeded["jwt"]  # type: ignore[union-attr]
    assert rec.count == before
    # The session's organization changes: its token is the one for that organization, seeded too.
    org_token = token(NOW, NOW + 60, org_id="org_1")
    switched = session_json(last_active_organization_id="org_1", last_active_token=org_token, updated_at=2_000)
    rec.on("POST", "/client/sessions/sess_1/touch", reply(envelope(switched, client_json([switched]))))
    await clerk.set_active(organization="org_1")
    before = rec.count
    assert await clerk.session.get_token() == org_token["jwt"]  # type: ignore[union-attr]
    assert rec.count == before


async def test_a_last_active_token_that_is_not_a_jwt_is_skipped() -> None:
    rec, clock = Recorder(), Clock()
    clerk = await loaded(rec, client_json([session_json(last_active_token={"object": "token", "jwt": "nope"})]),
                         clock=clock)
    rec.on("POST", "/client/sessions/sess_1/tokens", reply(token(NOW, NOW + 60)))
    assert await clerk.session.get_token() is not None  # type: ignore[union-attr]
    assert rec.count == 3


# -- real Clerk's extra and null fields ---------------------------------------------------------------------

async def test_real_clerk_fields_present_or_absent_are_read() -> None:
    rec = Recorder()
    user = user_json(locale="en-GB", bypass_client_trust=False, create_organizations_limit=None)
    session = session_json(user=user, last_active_token=token(NOW, NOW + 60), factor_verification_age=[0, -1])
    clerk = await loaded(rec, client_json([session], sign_in=None, sign_up=None,
                                          last_authentication_strategy="password"))
    assert clerk.user is not None and clerk.user.locale == "en-GB" and clerk.user.bypass_client_trust is False
    assert clerk.client is not None and clerk.client.last_authentication_strategy == "password"
    bare = await loaded(Recorder(), client_json([session_json(user={"id": "user_1"})]))
    assert bare.user is not None and bare.user.locale is None and bare.user.create_organizations_limit is None
