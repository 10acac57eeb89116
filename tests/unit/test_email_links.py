"""Email links (issue 10 §3): the flows that send a link and poll every second (sign-in, sign-up, an added email
address), cancel, and clerk.handle_email_link_verification() on the page the link opens (clerk-auth-flows.md
§3.1-§3.3)."""

import asyncio
from typing import Any

import pytest
from fapi_recorder import (
    PK,
    Call,
    Recorder,
    client_json,
    envelope,
    error_body,
    loaded,
    reply,
    session_json,
    signed_out_client,
    user_json,
)
from page_double import FakePage

from clerk_frontend import (
    CallbackResult,
    Clerk,
    ClerkAPIResponseError,
    ClerkRuntimeError,
    ClerkValidationError,
    EmailLinkError,
    EmailLinkFlow,
    SignIn,
    SyncClerk,
)

E = dict[str, Any]
LINK = {"object": "verification_email_link", "status": "unverified", "strategy": "email_link", "attempts": None,
        "expire_at": 1}


class Sleeps:
    """The Clerk's sleep: records each pause, and lets the event loop run (as asyncio.sleep does)."""

    def __init__(self) -> None:
        self.seconds: list[float] = []
        self.hook: Any = None

    async def __call__(self, seconds: float) -> None:
        self.seconds.append(seconds)
        if self.hook is not None:
            self.hook(len(self.seconds))
        await asyncio.sleep(0)


def sign_in(status: str = "needs_first_factor", ffv: E | None = None, **fields: Any) -> E:
    return {"id": "sia_1", "object": "sign_in_attempt", "status": status, "identifier": "ada@example.com",
            "supported_first_factors": [{"strategy": "email_code", "email_address_id": "idn_1"},
                                        {"strategy": "email_link", "email_address_id": "idn_1"}],
            "first_factor_verification": ffv, **fields}


async def started_sign_in(rec: Recorder, sleeps: Sleeps, **options: Any) -> Any:
    clerk = await loaded(rec, client_json([], sign_in=sign_in()), sleep=sleeps, **options)
    return clerk


def poll(rec: Recorder, attempt: E, client: E) -> None:
    rec.on("GET", "/client/sign_ins/sia_1", reply(envelope(attempt, client)))


async def test_sign_in_email_link_prepares_then_polls_every_second_until_verified() -> None:
    rec, sleeps = Recorder(), Sleeps()
    page = FakePage("https://app.test/sign-in")
    clerk = await started_sign_in(rec, sleeps, page=page)
    sent = sign_in(ffv=LINK)
    rec.on("POST", "/client/sign_ins/sia_1/prepare_first_factor", reply(envelope(sent, client_json([], sign_in=sent))))
    poll(rec, sent, client_json([], sign_in=sent))
    poll(rec, sent, client_json([], sign_in=sent))
    done = sign_in("complete", {**LINK, "status": "verified", "verified_at_client": "client_1"},
                   created_session_id="sess_1", supported_first_factors=None)
    # Completed out of band: a later GET still shows the complete sign-in, with the new session.
    poll(rec, done, client_json(sign_in=done))
    flow = clerk.client.sign_in.create_email_link_flow()
    assert isinstance(flow, EmailLinkFlow) and flow.status is None and not flow.running
    result = await flow.start(redirect_url="/verify")
    rec.assert_requested("POST", "/client/sign_ins/sia_1/prepare_first_factor", form=[
        ("strategy", "email_link"), ("email_address_id", "idn_1"), ("redirect_url", "https://app.test/verify")])
    polls = [c for c in rec.calls if c.path == "/client/sign_ins/sia_1"]
    assert len(polls) == 3 and all(c.method == "GET" for c in polls)
    assert sleeps.seconds == [1.0, 1.0]  # clerk-js's interval, none after the last poll
    assert result is clerk.client.sign_in and flow.status == "verified" and not flow.running
    assert flow.verification is not None and flow.verification.verified_at_client == "client_1"
    assert clerk.client.sessions[0].id == "sess_1"  # the polled client was applied


@pytest.mark.parametrize("final", ["expired", "transferable"])
async def test_sign_in_email_link_stops_on_expired_or_transferable(final: str) -> None:
    rec, sleeps = Recorder(), Sleeps()
    clerk = await started_sign_in(rec, sleeps)
    sent = sign_in(ffv=LINK)
    rec.on("POST", "/client/sign_ins/sia_1/prepare_first_factor", reply(envelope(sent, client_json([], sign_in=sent))))
    ended = sign_in(ffv={**LINK, "status": final})
    poll(rec, ended, client_json([], sign_in=ended))
    flow = clerk.client.sign_in.create_email_link_flow()
    await flow.start(redirect_url="https://app.test/verify", email_address_id="idn_7")
    rec.assert_requested("POST", "/client/sign_ins/sia_1/prepare_first_factor", form=[
        ("strategy", "email_link"), ("email_address_id", "idn_7"), ("redirect_url", "https://app.test/verify")])
    assert flow.status == final and sleeps.seconds == []


async def test_a_sign_in_waiting_for_its_second_factor_gets_the_link_as_that_factor() -> None:
    rec, sleeps = Recorder(), Sleeps()
    waiting = sign_in("needs_client_trust", {"status": "verified", "strategy": "password"},
                      supported_second_factors=[{"strategy": "email_link", "email_address_id": "idn_1"}])
    clerk = await loaded(rec, client_json([], sign_in=waiting), sleep=sleeps)
    sent = {**waiting, "second_factor_verification": LINK}
    rec.on("POST", "/client/sign_ins/sia_1/prepare_second_factor",
           reply(envelope(sent, client_json([], sign_in=sent))))
    done = {**sent, "status": "complete", "created_session_id": "sess_1",
            "second_factor_verification": {**LINK, "status": "verified"}}
    poll(rec, done, client_json(sign_in=done))
    flow = clerk.client.sign_in.create_email_link_flow()
    await flow.start(redirect_url="https://app.test/verify", email_address_id="idn_1")
    rec.assert_requested("POST", "/client/sign_ins/sia_1/prepare_second_factor", form=[
        ("strategy", "email_link"), ("email_address_id", "idn_1"), ("redirect_url", "https://app.test/verify")])
    assert flow.status == "verified" and flow.verification is not None
    assert flow.verification is clerk.client.sign_in.second_factor_verification


async def test_cancel_stops_polling_after_the_pause_in_progress() -> None:
    rec, sleeps = Recorder(), Sleeps()
    clerk = await started_sign_in(rec, sleeps)
    sent = sign_in(ffv=LINK)
    rec.on("POST", "/client/sign_ins/sia_1/prepare_first_factor", reply(envelope(sent, client_json([], sign_in=sent))))
    rec.on("GET", "/client/sign_ins/sia_1", reply(envelope(sent, client_json([], sign_in=sent))), always=True)
    flow = clerk.client.sign_in.create_email_link_flow()
    sleeps.hook = lambda n: flow.cancel() if n == 2 else None
    result = await flow.start(redirect_url="https://app.test/verify")
    assert result is clerk.client.sign_in and flow.cancelled and flow.status is None and not flow.running
    assert sum(c.path == "/client/sign_ins/sia_1" for c in rec.calls) == 2 and sleeps.seconds == [1.0, 1.0]


async def test_polling_does_not_block_the_page() -> None:
    rec, sleeps = Recorder(), Sleeps()
    clerk = await started_sign_in(rec, sleeps)
    sent = sign_in(ffv=LINK)
    rec.on("POST", "/client/sign_ins/sia_1/prepare_first_factor", reply(envelope(sent, client_json([], sign_in=sent))))
    rec.on("GET", "/client/sign_ins/sia_1", reply(envelope(sent, client_json([], sign_in=sent))), always=True)
    flow = clerk.client.sign_in.create_email_link_flow()
    ticks: list[int] = []

    async def page_work() -> None:
        for i in range(5):
            ticks.append(i)
            await asyncio.sleep(0)
        flow.cancel()

    task = asyncio.ensure_future(flow.start(redirect_url="https://app.test/verify"))
    await asyncio.sleep(0)
    assert flow.running
    with pytest.raises(ClerkRuntimeError, match="already running"):
        await flow.start(redirect_url="https://app.test/verify")
    await page_work()
    await task
    assert ticks == [0, 1, 2, 3, 4] and flow.cancelled and len(sleeps.seconds) >= 2


async def test_an_error_while_polling_stops_the_flow_and_is_raised() -> None:
    rec, sleeps = Recorder(), Sleeps()
    clerk = await started_sign_in(rec, sleeps)
    sent = sign_in(ffv=LINK)
    rec.on("POST", "/client/sign_ins/sia_1/prepare_first_factor", reply(envelope(sent, client_json([], sign_in=sent))))
    rec.on("GET", "/client/sign_ins/sia_1", reply(error_body("resource_not_found"), 404))
    flow = clerk.client.sign_in.create_email_link_flow()
    with pytest.raises(ClerkAPIResponseError):
        await flow.start(redirect_url="https://app.test/verify")
    assert not flow.running and sleeps.seconds == []


async def test_flow_arguments_are_checked_before_any_request() -> None:
    rec, sleeps = Recorder(), Sleeps()
    clerk = await started_sign_in(rec, sleeps)
    flow = clerk.client.sign_in.create_email_link_flow()
    with pytest.raises(ClerkValidationError, match="relative"):
        await flow.start(redirect_url="/verify")  # no page to resolve it against
    with pytest.raises(ClerkValidationError):
        await flow.start(redirect_url="https://app.test/verify", email_address_id=5)  # type: ignore[arg-type]
    with pytest.raises(ClerkValidationError, match="only for a sign-in"):
        await clerk.client.sign_up.create_email_link_flow().start(redirect_url="https://app.test/v",
                                                                  email_address_id="idn_1")
    with pytest.raises(ClerkRuntimeError, match="create"):
        await SignIn(clerk).create_email_link_flow().start(redirect_url="https://app.test/v")
    no_link = await loaded(Recorder(), client_json([], sign_in={"id": "sia_2", "status": "needs_first_factor",
                                                                "supported_first_factors": [{"strategy": "password"}]}))
    with pytest.raises(ClerkValidationError, match="no email_link factor"):
        await no_link.client.sign_in.create_email_link_flow().start(redirect_url="https://app.test/v")
    assert rec.count == 2


async def test_sign_up_email_link_polls_the_sign_up_until_its_email_is_verified() -> None:
    rec, sleeps = Recorder(), Sleeps()
    pending = {"id": "sua_1", "object": "sign_up_attempt", "status": "missing_requirements",
               "unverified_fields": ["email_address"], "verifications": {"email_address": None}}
    clerk = await loaded(rec, client_json([], sign_up=pending), sleep=sleeps, page=FakePage("https://app.test/up"))
    sent = {**pending, "verifications": {"email_address": {**LINK, "next_action": "needs_attempt"}}}
    rec.on("POST", "/client/sign_ups/sua_1/prepare_verification", reply(envelope(sent, client_json([], sign_up=sent))))
    rec.on("GET", "/client/sign_ups/sua_1", reply(envelope(sent, client_json([], sign_up=sent))))
    done = {**sent, "status": "complete", "created_session_id": "sess_1", "unverified_fields": [],
            "verifications": {"email_address": {**LINK, "status": "verified", "next_action": ""}}}
    rec.on("GET", "/client/sign_ups/sua_1", reply(envelope(done, client_json(sign_up=done))))
    flow = clerk.client.sign_up.create_email_link_flow()
    result = await flow.start(redirect_url="/verify")
    rec.assert_requested("POST", "/client/sign_ups/sua_1/prepare_verification", form=[
        ("strategy", "email_link"), ("redirect_url", "https://app.test/verify")])
    assert flow.status == "verified" and result.status == "complete" and sleeps.seconds == [1.0]
    assert clerk.user is not None


async def test_an_added_email_address_is_verified_by_link() -> None:
    rec, sleeps = Recorder(), Sleeps()
    email = {"id": "idn_2", "object": "email_address", "email_address": "new@example.com", "updated_at": 1,
             "verification": None}
    user = user_json(email_addresses=[email])
    clerk = await loaded(rec, client_json([session_json(user=user)]), sleep=sleeps)
    address = clerk.user.email_addresses[0]  # type: ignore[union-attr]
    sent = {**email, "updated_at": 2, "verification": LINK}
    carrying = client_json([session_json(user=user_json(email_addresses=[sent], updated_at=2_000))])
    rec.on("POST", "/me/email_addresses/idn_2/prepare_verification", reply(envelope(sent, carrying)))
    rec.on("GET", "/me/email_addresses/idn_2", reply(envelope(sent, carrying)))
    verified = {**email, "updated_at": 3, "verification": {**LINK, "status": "verified"}}
    newer = client_json([session_json(user=user_json(email_addresses=[verified], updated_at=3_000))])
    rec.on("GET", "/me/email_addresses/idn_2", reply(envelope(verified, newer)))
    flow = address.create_email_link_flow()
    assert await flow.start(redirect_url="https://app.test/profile") is address
    rec.assert_requested("POST", "/me/email_addresses/idn_2/prepare_verification", form=[
        ("strategy", "email_link"), ("redirect_url", "https://app.test/profile")],
        params={"_clerk_session_id": "sess_1"})
    assert rec.assert_requested("GET", "/me/email_addresses/idn_2").params["_clerk_session_id"] == "sess_1"
    assert flow.status == "verified" and address.verification is not None
    assert address.verification.status == "verified" and clerk.user.email_addresses[0] is address  # type: ignore


def test_the_flow_runs_in_the_sync_facade() -> None:
    rec = Recorder(blocking=True)
    sent = sign_in(ffv=LINK)
    done = sign_in("complete", {**LINK, "status": "verified"}, created_session_id="sess_1")
    rec.on("GET", "/environment", reply({}))
    rec.on("GET", "/client", reply(envelope(client_json([], sign_in=sign_in()), client_json([], sign_in=sign_in()))))
    rec.on("POST", "/client/sign_ins/sia_1/prepare_first_factor", reply(envelope(sent, client_json([], sign_in=sent))))
    rec.on("GET", "/client/sign_ins/sia_1", reply(envelope(sent, client_json([], sign_in=sent))))
    rec.on("GET", "/client/sign_ins/sia_1", reply(envelope(done, client_json(sign_in=done))))
    paused: list[float] = []

    async def blocking_sleep(seconds: float) -> None:  # never suspends, as a blocking sleep
        paused.append(seconds)

    clerk = SyncClerk(PK, transport=rec.transport, dev_browser=False, storage={}, sleep=blocking_sleep)
    clerk.load()
    flow = clerk.client.sign_in.create_email_link_flow()
    flow.start(redirect_url="https://app.test/verify")
    assert flow.status == "verified" and paused == [1.0] and clerk.user is not None


# -- handle_email_link_verification -----------------------------------------------------------------------------

VERIFY = "https://app.test/verify?__clerk_status={status}&__clerk_created_session={sid}"


def touched(call: Call) -> Any:
    return reply(envelope(session_json(), client_json()))


async def test_verified_on_this_device_activates_the_session_and_goes_on() -> None:
    rec = Recorder()
    page = FakePage(VERIFY.format(status="verified", sid="sess_1"))
    clerk = await loaded(rec, client_json(sign_in=None), page=page)
    rec.on("POST", "/client/sessions/sess_1/touch", touched)
    result = await clerk.handle_email_link_verification(redirect_url_complete="/dashboard")
    rec.assert_requested("POST", "/client/sessions/sess_1/touch", form=[("intent", "select_session")])
    assert result == CallbackResult("complete", "https://app.test/dashboard", "sess_1")
    assert page.visited == ["https://app.test/dashboard"]
    quiet = FakePage(VERIFY.format(status="verified", sid="sess_1"))
    rec2 = Recorder()
    clerk2 = await loaded(rec2, client_json(), page=quiet)
    rec2.on("POST", "/client/sessions/sess_1/touch", touched)
    assert await clerk2.handle_email_link_verification() == CallbackResult("complete", None, "sess_1")
    assert quiet.visited == []


@pytest.mark.parametrize(("status", "code"), [("expired", "expired"), ("client_mismatch", "client_mismatch"),
                                              ("failed", "failed"), ("bogus", "failed"), ("", "failed")])
async def test_a_link_that_did_not_verify_raises_email_link_error(status: str, code: str) -> None:
    rec = Recorder()
    clerk = await loaded(rec, signed_out_client())
    with pytest.raises(EmailLinkError) as info:
        await clerk.handle_email_link_verification(url=f"https://app.test/verify?__clerk_status={status}")
    assert info.value.code == code and rec.count == 2


async def test_verified_for_a_sign_in_that_needs_more_continues_here() -> None:
    rec = Recorder()
    page = FakePage(VERIFY.format(status="verified", sid=""))
    clerk = await loaded(rec, client_json([], sign_in=sign_in("needs_second_factor")), page=page)
    result = await clerk.handle_email_link_verification(redirect_url="/sign-in#/factor-two")
    assert result == CallbackResult("continue", "https://app.test/sign-in#/factor-two") and rec.count == 2
    assert page.visited == [result.url]
    up = {"id": "sua_1", "object": "sign_up_attempt", "status": "missing_requirements", "missing_fields": ["username"]}
    clerk2 = await loaded(Recorder(), client_json([], sign_up=up), page=FakePage(VERIFY.format(status="verified",
                                                                                               sid="")))
    assert (await clerk2.handle_email_link_verification()).outcome == "continue"


async def test_verified_for_another_device_calls_back() -> None:
    rec = Recorder()
    clerk = await loaded(rec, signed_out_client(), page=FakePage(VERIFY.format(status="verified", sid="sess_other")))
    called: list[str] = []

    async def on_other() -> None:
        called.append("async")

    result = await clerk.handle_email_link_verification(on_verified_on_other_device=on_other)
    assert result == CallbackResult("verified_on_other_device", None) and called == ["async"] and rec.count == 2
    result2 = await clerk.handle_email_link_verification(
        url="https://app.test/verify?__clerk_status=transferable", on_verified_on_other_device=lambda: called.append(
            "sync"))
    assert result2 == CallbackResult("transferable", None) and called == ["async", "sync"]


async def test_verification_needs_a_loaded_clerk_and_a_url() -> None:
    rec = Recorder()
    clerk = await loaded(rec, signed_out_client())
    with pytest.raises(ClerkValidationError, match="url="):
        await clerk.handle_email_link_verification()
    with pytest.raises(ClerkRuntimeError, match="load") as info:
        await Clerk(PK, transport=rec.transport, storage={}).handle_email_link_verification(url=VERIFY)
    assert info.value.code == "not_loaded"
