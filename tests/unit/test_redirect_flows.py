"""OAuth / enterprise SSO by redirect (issue 10 §3): authenticate_with_redirect on sign-in and sign-up, exact wire
requests, URL and strategy checks, navigation of the page, the dev-browser token on cross-origin URLs, tickets."""

import base64
from typing import Any

import pytest
from fapi_recorder import Recorder, client_json, envelope, loaded, reply, signed_out_client
from page_double import FakePage

from clerk_frontend import Clerk, ClerkRuntimeError, ClerkValidationError, MetadataError

PROVIDER = "http://127.0.0.1:8790/oauth/authorize?client_id=c&state=st_1"
OAUTH = {"object": "verification_oauth", "status": "unverified", "strategy": "oauth_google",
         "external_verification_redirect_url": PROVIDER, "expire_at": 1}


def sign_in(status: str = "needs_first_factor", **fields: Any) -> dict[str, Any]:
    return {"id": "sia_1", "object": "sign_in_attempt", "status": status, "first_factor_verification": OAUTH,
            **fields}


def sign_up(**fields: Any) -> dict[str, Any]:
    return {"id": "sua_1", "object": "sign_up_attempt", "status": "missing_requirements",
            "verifications": {"external_account": OAUTH}, **fields}


async def test_sign_in_redirect_in_a_page_sends_clerk_js_request_and_goes_to_the_provider() -> None:
    rec = Recorder()
    page = FakePage("https://app.test/sign-in?x=1", locale="en-US", timezone="Europe/Paris")
    clerk = await loaded(rec, signed_out_client(), page=page)
    rec.on("POST", "/client/sign_ins", reply(envelope(sign_in(), client_json([], sign_in=sign_in()))))
    url = await clerk.client.sign_in.authenticate_with_redirect(  # type: ignore[union-attr]
        strategy="oauth_google", redirect_url="/sso-callback", redirect_url_complete="done")
    rec.assert_requested("POST", "/client/sign_ins", form=[
        ("strategy", "oauth_google"), ("redirect_url", "https://app.test/sso-callback"),
        ("action_complete_redirect_url", "https://app.test/done"), ("locale", "en-US"),
        ("timezone", "Europe/Paris")])
    assert url == PROVIDER and page.visited == [PROVIDER]
    assert clerk.client.sign_in.id == "sia_1"  # type: ignore[union-attr]


async def test_outside_a_browser_the_url_is_returned_and_relative_urls_are_refused() -> None:
    rec = Recorder()
    clerk = await loaded(rec, signed_out_client())
    assert clerk.page is None
    with pytest.raises(ClerkValidationError, match="relative"):
        await clerk.sign_in.authenticate_with_redirect(strategy="oauth_github", redirect_url="/cb",
                                                       redirect_url_complete="https://app.test/")
    assert rec.count == 2
    rec.on("POST", "/client/sign_ins", reply(envelope(sign_in(), client_json([], sign_in=sign_in()))))
    url = await clerk.sign_in.authenticate_with_redirect(strategy="oauth_github", redirect_url="https://app.test/cb",
                                                         redirect_url_complete="https://app.test/")
    rec.assert_requested("POST", "/client/sign_ins", form=[
        ("strategy", "oauth_github"), ("redirect_url", "https://app.test/cb"),
        ("action_complete_redirect_url", "https://app.test/")])
    assert url == PROVIDER


@pytest.mark.parametrize("strategy", ["google", "oauth_", "oauth_token_google", "password", "email_link",
                                      "oauth_Google", "oauth_goo gle", "", None, 3])
async def test_an_unknown_strategy_is_refused_before_any_request(strategy: Any) -> None:
    rec = Recorder()
    clerk = await loaded(rec, signed_out_client())
    for attempt in (clerk.sign_in, clerk.sign_up):
        with pytest.raises(ClerkValidationError, match="strategy") as info:
            await attempt.authenticate_with_redirect(strategy=strategy, redirect_url="https://app.test/cb",
                                                     redirect_url_complete="https://app.test/")
        assert info.value.code == "invalid_strategy"
    assert rec.count == 2


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://app.test/cb", "", "   ", "https://", None, 5])
async def test_a_bad_url_is_refused_before_any_request(url: Any) -> None:
    rec = Recorder()
    clerk = await loaded(rec, signed_out_client(), page=FakePage())
    for field in ("redirect_url", "redirect_url_complete"):
        urls = {"redirect_url": "/cb", "redirect_url_complete": "/", field: url}
        with pytest.raises(ClerkValidationError, match=field):
            await clerk.sign_in.authenticate_with_redirect(strategy="oauth_google", **urls)
        with pytest.raises(ClerkValidationError, match=field):
            await clerk.sign_up.authenticate_with_redirect(strategy="oauth_google", **urls)
    assert rec.count == 2


async def test_enterprise_sso_creates_then_prepares_the_first_factor() -> None:
    rec = Recorder()
    page = FakePage("https://app.test/")
    clerk = await loaded(rec, signed_out_client(), page=page)
    saml = {**OAUTH, "object": "verification_saml", "strategy": "enterprise_sso"}
    created = sign_in(first_factor_verification=None, supported_first_factors=[{"strategy": "enterprise_sso"}])
    prepared = sign_in(first_factor_verification=saml)
    rec.on("POST", "/client/sign_ins", reply(envelope(created, client_json([], sign_in=created))))
    rec.on("POST", "/client/sign_ins/sia_1/prepare_first_factor",
           reply(envelope(prepared, client_json([], sign_in=prepared))))
    url = await clerk.sign_in.authenticate_with_redirect(
        strategy="enterprise_sso", identifier="ada@corp.test", redirect_url="/sso-callback",
        redirect_url_complete="/", oidc_prompt="login", enterprise_connection_id="ent_1")
    rec.assert_requested("POST", "/client/sign_ins", form=[
        ("strategy", "enterprise_sso"), ("identifier", "ada@corp.test"),
        ("redirect_url", "https://app.test/sso-callback"), ("action_complete_redirect_url", "https://app.test/"),
        ("oidc_prompt", "login")])
    rec.assert_requested("POST", "/client/sign_ins/sia_1/prepare_first_factor", form=[
        ("redirect_url", "https://app.test/sso-callback"), ("action_complete_redirect_url", "https://app.test/"),
        ("oidc_prompt", "login"), ("enterprise_connection_id", "ent_1"), ("strategy", "enterprise_sso")])
    assert url == PROVIDER and page.visited == [PROVIDER] and rec.count == 4


async def test_continue_sign_in_reuses_the_attempt() -> None:
    rec = Recorder()
    page = FakePage()
    clerk = await loaded(rec, client_json([], sign_in=sign_in()), page=page)
    url = await clerk.sign_in.authenticate_with_redirect(strategy="oauth_google", redirect_url="/cb",
                                                         redirect_url_complete="/", continue_sign_in=True)
    assert url == PROVIDER and rec.count == 2 and page.visited == [PROVIDER]


async def test_an_answer_without_a_provider_url_is_an_invalid_response() -> None:
    rec = Recorder()
    page = FakePage()
    clerk = await loaded(rec, signed_out_client(), page=page)
    odd = sign_in(first_factor_verification={**OAUTH, "status": "verified"})
    rec.on("POST", "/client/sign_ins", reply(envelope(odd, client_json([], sign_in=odd))))
    with pytest.raises(ClerkRuntimeError, match="provider URL") as info:
        await clerk.sign_in.authenticate_with_redirect(strategy="oauth_google", redirect_url="/cb",
                                                       redirect_url_complete="/")
    assert info.value.code == "invalid_response" and page.visited == []


async def test_navigation_can_be_turned_off_or_routed() -> None:
    rec = Recorder()
    page = FakePage()
    clerk = await loaded(rec, signed_out_client(), page=page)
    for _ in range(2):
        rec.on("POST", "/client/sign_ins", reply(envelope(sign_in(), client_json([], sign_in=sign_in()))))
    assert await clerk.sign_in.authenticate_with_redirect(
        strategy="oauth_google", redirect_url="/cb", redirect_url_complete="/", navigate=False) == PROVIDER
    routed: list[str] = []

    async def router(url: str) -> None:
        routed.append(url)

    await clerk.sign_in.authenticate_with_redirect(strategy="oauth_google", redirect_url="/cb",
                                                   redirect_url_complete="/", navigate=router)
    assert page.visited == [] and routed == [PROVIDER]


async def test_cross_origin_redirect_urls_carry_the_dev_browser_token_in_development() -> None:
    rec = Recorder()
    page = FakePage("https://app.test/")
    clerk = await loaded(rec, signed_out_client(), page=page, dev_browser=True, dev_browser_jwt="dvb_1")
    assert clerk.build_url_with_auth("/cb") == "https://app.test/cb"
    assert clerk.build_url_with_auth("https://other.test/cb?a=1") == "https://other.test/cb?a=1&__clerk_db_jwt=dvb_1"
    assert clerk.build_url_with_auth("https://other.test/cb?__clerk_db_jwt=mine") == (
        "https://other.test/cb?__clerk_db_jwt=mine")
    rec.on("POST", "/client/sign_ins", reply(envelope(sign_in(), client_json([], sign_in=sign_in()))))
    await clerk.sign_in.authenticate_with_redirect(strategy="oauth_google", redirect_url="https://other.test/cb",
                                                   redirect_url_complete="https://other.test/done")
    call = rec.assert_requested("POST", "/client/sign_ins")
    assert dict(call.form or [])["redirect_url"] == "https://other.test/cb?__clerk_db_jwt=dvb_1"
    assert dict(call.form or [])["action_complete_redirect_url"] == "https://other.test/done"
    live = "pk_live_" + base64.b64encode(b"clerk.app.test$").decode()
    production = Clerk(live, transport=Recorder().transport, page=page, dev_browser=True, dev_browser_jwt="dvb_1",
                       storage={})
    assert production.build_url_with_auth("https://other.test/cb") == "https://other.test/cb"


async def test_sign_up_redirect_sends_metadata_and_consent_then_goes_to_the_provider() -> None:
    rec = Recorder()
    page = FakePage("https://app.test/sign-up", locale="de")
    clerk = await loaded(rec, signed_out_client(), page=page)
    with pytest.raises(MetadataError):
        await clerk.sign_up.authenticate_with_redirect(strategy="oauth_github", redirect_url="/cb",
                                                       redirect_url_complete="/", unsafe_metadata={"a": {1}})
    assert rec.count == 2
    rec.on("POST", "/client/sign_ups", reply(envelope(sign_up(), client_json([], sign_up=sign_up()))))
    url = await clerk.client.sign_up.authenticate_with_redirect(  # type: ignore[union-attr]
        strategy="oauth_github", redirect_url="/sso-callback", redirect_url_complete="/welcome",
        unsafe_metadata={"plan": "pro"}, email_address="ada@example.com", legal_accepted=True)
    rec.assert_requested("POST", "/client/sign_ups", form=[
        ("strategy", "oauth_github"), ("redirect_url", "https://app.test/sso-callback"),
        ("action_complete_redirect_url", "https://app.test/welcome"), ("unsafe_metadata", '{"plan":"pro"}'),
        ("email_address", "ada@example.com"), ("legal_accepted", "true"), ("locale", "de")])
    assert url == PROVIDER and page.visited == [PROVIDER]
    assert clerk.client.sign_up.id == "sua_1"  # type: ignore[union-attr]


async def test_continue_sign_up_patches_the_sign_up_in_progress() -> None:
    rec = Recorder()
    page = FakePage(locale="en")
    pending = {"id": "sua_1", "object": "sign_up_attempt", "status": "missing_requirements",
               "missing_fields": ["enterprise_sso"]}
    clerk = await loaded(rec, client_json([], sign_up=pending), page=page)
    rec.on("PATCH", "/client/sign_ups/sua_1", reply(envelope(sign_up(), client_json([], sign_up=sign_up()))))
    await clerk.sign_up.authenticate_with_redirect(strategy="enterprise_sso", redirect_url="/cb",
                                                   redirect_url_complete="/", continue_sign_up=True)
    rec.assert_requested("PATCH", "/client/sign_ups/sua_1", form=[
        ("strategy", "enterprise_sso"), ("redirect_url", "https://app.test/cb"),
        ("action_complete_redirect_url", "https://app.test/")], params={"_method": "PATCH"})
    assert page.visited == [PROVIDER]


# -- tickets ---------------------------------------------------------------------------------------------------

async def test_ticket_sign_in_and_sign_up_and_the_ticket_of_the_page() -> None:
    rec = Recorder()
    page = FakePage("https://app.test/accept?__clerk_ticket=tkt_abc&__clerk_status=sign_up")
    clerk = await loaded(rec, signed_out_client(), page=page)
    assert clerk.ticket_from_url() == "tkt_abc"
    assert clerk.ticket_from_url("https://app.test/?__clerk_invitation_token=inv_tok") == "inv_tok"
    assert clerk.ticket_from_url("https://app.test/?__clerk_ticket=") is None
    for attempt in (clerk.sign_in, clerk.sign_up):
        with pytest.raises(ClerkValidationError, match="ticket"):
            await attempt.create(strategy="ticket")
        with pytest.raises(ClerkValidationError, match="ticket"):
            await attempt.create(strategy="ticket", ticket="")
    assert rec.count == 2
    done = {"id": "sia_1", "object": "sign_in_attempt", "status": "complete", "created_session_id": "sess_1"}
    rec.on("POST", "/client/sign_ins", reply(envelope(done, client_json(sign_in=None))))
    signed = await clerk.sign_in.create(strategy="ticket", ticket=clerk.ticket_from_url())
    rec.assert_requested("POST", "/client/sign_ins", form=[("strategy", "ticket"), ("ticket", "tkt_abc")])
    assert signed.status == "complete" and clerk.user is not None
    up = {"id": "sua_1", "object": "sign_up_attempt", "status": "missing_requirements", "missing_fields": ["password"]}
    rec.on("POST", "/client/sign_ups", reply(envelope(up, client_json(sign_up=up))))
    await clerk.sign_up.create(strategy="ticket", ticket="tkt_abc", first_name="Ada")
    rec.assert_requested("POST", "/client/sign_ups", form=[("strategy", "ticket"), ("ticket", "tkt_abc"),
                                                           ("first_name", "Ada")])
    assert clerk.client.sign_up.missing_fields == ["password"]  # type: ignore[union-attr]
    assert (await loaded(Recorder(), signed_out_client())).ticket_from_url() is None  # no page
