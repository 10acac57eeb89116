"""OAuth / SSO in a popup (clerk-js 6.40.0's authenticateWithPopup): the exact requests, the Account Portal
``/popup-callback`` URLs they carry, the popup's navigation, and what the opener does with the popup's message
(``{session}``: reload + touch + go to the complete URL; ``{return_url}``: go there). A fake window stands in for
the browser's (``window.open``, ``message`` listeners); the mock transport for the Frontend API."""

import asyncio
import base64
from typing import Any
from urllib.parse import quote

import pytest
from fapi_recorder import PK, Recorder, client_json, envelope, error_body, loaded, reply, session_json
from fapi_recorder import signed_out_client as signed_out
from page_double import FakePage

from clerk_frontend import CallbackResult, Clerk, ClerkAPIResponseError, ClerkRuntimeError, ClerkValidationError
from clerk_frontend.resources.popup import accounts_base

PORTAL = "http://127.0.0.1:8790"  # the accounts origin of PK's loopback host
PROVIDER = "http://127.0.0.1:8790/oauth/authorize?state=st_1"
OAUTH = {"object": "verification_oauth", "status": "unverified", "strategy": "oauth_google",
         "external_verification_redirect_url": PROVIDER, "expire_at": 1}
BACK = ("https://app.test/sso-callback?sign_in_force_redirect_url=https%3A%2F%2Fapp.test%2Fdone"
        "&sign_up_force_redirect_url=https%3A%2F%2Fapp.test%2Fdone&intent=")


class FakePopup:
    """A window opened for the flow: records where it was sent; ``then`` runs once it goes to the provider."""

    def __init__(self) -> None:
        self.visited: list[str] = []
        self.closed = False
        self.then: Any = None
        popup = self

        class Location:
            @property
            def href(self) -> str:
                return popup.visited[-1] if popup.visited else "about:blank"

            @href.setter
            def href(self, url: str) -> None:
                popup.visited.append(url)
                if popup.then is not None:
                    asyncio.get_running_loop().call_later(0.01, popup.then)

        self.location = Location()

    def close(self) -> None:
        self.closed = True


class FakeWindow:
    """The opener: ``open`` hands out ``popup`` (None: blocked) and ``post`` delivers a message event."""

    def __init__(self, popup: FakePopup | None) -> None:
        self.popup = popup
        self.opened: list[tuple[str, str, str]] = []
        self.listeners: list[Any] = []

    def open(self, url: str, name: str, features: str) -> FakePopup | None:
        self.opened.append((url, name, features))
        return self.popup

    def addEventListener(self, kind: str, fn: Any) -> None:  # the DOM's names
        assert kind == "message"
        self.listeners.append(fn)

    def removeEventListener(self, kind: str, fn: Any) -> None:
        self.listeners.remove(fn)

    def post(self, origin: str, data: Any) -> None:
        event = type("MessageEvent", (), {"origin": origin, "data": data})()
        for fn in list(self.listeners):
            fn(event)


def sign_in(**fields: Any) -> dict[str, Any]:
    return {"id": "sia_1", "object": "sign_in_attempt", "status": "needs_first_factor",
            "first_factor_verification": OAUTH, **fields}


def sign_up(**fields: Any) -> dict[str, Any]:
    return {"id": "sua_1", "object": "sign_up_attempt", "status": "missing_requirements",
            "verifications": {"external_account": OAUTH}, **fields}


async def opener(rec: Recorder, popup: FakePopup | None, **options: Any) -> tuple[Clerk, FakePage, FakeWindow]:
    page = FakePage("https://app.test/sign-in", locale="en-US")
    clerk = await loaded(rec, signed_out(), page=page, **options)
    window = clerk.window = FakeWindow(popup)  # type: ignore[attr-defined]
    return clerk, page, window


async def test_sign_in_popup_completes_with_the_session_the_portal_reports() -> None:
    rec, popup = Recorder(), FakePopup()
    clerk, page, window = await opener(rec, popup, dev_browser=True, dev_browser_jwt="dvb_1")
    rec.on("POST", "/client/sign_ins", reply(envelope(sign_in(), client_json([], sign_in=sign_in()))))
    # The popup created sess_2 on this browser's client: the opener reloads the client, then selects it.
    new = session_json("sess_2")
    rec.on("GET", "/client", reply(envelope(client_json([new]), client_json([new]))))
    rec.on("POST", "/client/sessions/sess_2/touch", reply(envelope(new, client_json([new]))))

    def portal_answers() -> None:
        window.post("https://evil.test", {"session": "sess_666"})  # not the portal: ignored
        window.post(PORTAL, {"unrelated": True})                    # the portal, but no news: ignored
        window.post(PORTAL, {"session": "sess_2"})
        popup.close()

    popup.then = portal_answers
    result = await clerk.sign_in.authenticate_with_popup(
        strategy="oauth_google", redirect_url="/sso-callback", redirect_url_complete="/done", popup=popup)

    back = BACK + "signIn"
    rec.assert_requested("POST", "/client/sign_ins", form=[
        ("strategy", "oauth_google"),
        ("redirect_url", f"{PORTAL}/popup-callback?return_url={quote(back, safe='')}&__clerk_db_jwt=dvb_1"),
        ("action_complete_redirect_url", f"{PORTAL}/popup-callback?__clerk_db_jwt=dvb_1"),
        ("locale", "en-US")])
    rec.assert_requested("GET", "/client")
    rec.assert_requested("POST", "/client/sessions/sess_2/touch", form=[("intent", "select_session")])
    assert rec.count == 2 + 3
    assert popup.visited == [PROVIDER] and window.opened == []
    assert result == CallbackResult("complete", "https://app.test/done", "sess_2")
    assert page.visited == ["https://app.test/done"] and clerk.session is not None and clerk.session.id == "sess_2"
    assert window.listeners == []


async def test_sign_up_popup_opened_by_the_sdk_hands_the_page_to_the_return_url() -> None:
    rec, popup = Recorder(), FakePopup()
    clerk, page, window = await opener(rec, popup)
    rec.on("POST", "/client/sign_ups", reply(envelope(sign_up(), client_json([], sign_up=sign_up()))))
    back = BACK + "signUp"
    popup.then = lambda: window.post(PORTAL, {"return_url": back})
    routed: list[str] = []
    result = await clerk.sign_up.authenticate_with_popup(
        strategy="oauth_github", redirect_url="https://app.test/sso-callback", redirect_url_complete="/done",
        unsafe_metadata={"plan": "pro"}, legal_accepted=True, navigate=routed.append)
    rec.assert_requested("POST", "/client/sign_ups", form=[
        ("strategy", "oauth_github"), ("redirect_url", f"{PORTAL}/popup-callback?return_url={quote(back, safe='')}"),
        ("action_complete_redirect_url", f"{PORTAL}/popup-callback"), ("unsafe_metadata", '{"plan":"pro"}'),
        ("legal_accepted", "true"), ("locale", "en-US")])
    assert rec.count == 3  # nothing more: the callback page continues the flow
    assert window.opened == [("about:blank", "", "width=600,height=800")] and popup.visited == [PROVIDER]
    assert result == CallbackResult("continue", back) and routed == [back] and page.visited == []
    assert window.listeners == []


async def test_closing_the_popup_ends_the_wait_without_more_requests() -> None:
    rec, popup = Recorder(), FakePopup()
    clerk, page, window = await opener(rec, popup)
    rec.on("POST", "/client/sign_ins", reply(envelope(sign_in(), client_json([], sign_in=sign_in()))))
    popup.then = popup.close
    result = await clerk.sign_in.authenticate_with_popup(strategy="oauth_google", redirect_url="/cb",
                                                         redirect_url_complete="/")
    assert result == CallbackResult("popup_closed", None)
    assert rec.count == 3 and page.visited == [] and window.listeners == []


async def test_bad_arguments_open_no_popup_and_send_nothing() -> None:
    rec, popup = Recorder(), FakePopup()
    clerk, _page, window = await opener(rec, popup)
    with pytest.raises(ClerkValidationError, match="strategy"):
        await clerk.sign_in.authenticate_with_popup(strategy="password", redirect_url="/cb", redirect_url_complete="/")
    with pytest.raises(ClerkValidationError, match="redirect_url_complete"):
        await clerk.sign_up.authenticate_with_popup(strategy="oauth_google", redirect_url="/cb",
                                                    redirect_url_complete="javascript:alert(1)")
    assert window.opened == [] and rec.count == 2


async def test_a_refused_request_closes_the_popup_and_raises() -> None:
    rec, popup = Recorder(), FakePopup()
    clerk, _page, window = await opener(rec, popup)
    rec.on("POST", "/client/sign_ins", reply(error_body("oauth_provider_not_enabled"), 422))
    with pytest.raises(ClerkAPIResponseError) as info:
        await clerk.sign_in.authenticate_with_popup(strategy="oauth_gitlab", redirect_url="/cb",
                                                    redirect_url_complete="/")
    assert info.value.code == "oauth_provider_not_enabled"
    assert popup.closed and popup.visited == [] and window.listeners == []


async def test_a_blocked_popup_and_a_page_without_window_are_clear_errors() -> None:
    rec = Recorder()
    clerk, _page, _window = await opener(rec, None)
    with pytest.raises(ClerkRuntimeError) as info:
        await clerk.sign_in.authenticate_with_popup(strategy="oauth_google", redirect_url="/cb",
                                                    redirect_url_complete="/")
    assert info.value.code == "popup_blocked"
    bare = await loaded(Recorder(), signed_out(), page=FakePage())
    with pytest.raises(ClerkRuntimeError) as info:
        await bare.sign_up.authenticate_with_popup(strategy="oauth_google", redirect_url="/cb",
                                                   redirect_url_complete="/", popup=FakePopup())
    assert info.value.code == "popup_not_supported"
    assert rec.count == 2


def test_the_account_portal_origin_follows_clerk_js() -> None:
    def portal(host: str, kind: str = "test") -> str:
        key = f"pk_{kind}_" + base64.b64encode(f"{host}$".encode()).decode().rstrip("=")
        return accounts_base(Clerk(key, transport=Recorder().transport, storage={}, page=None))

    assert portal("clerk.example.com", "live") == "https://accounts.example.com"
    assert portal("happy-otter-12.clerk.accounts.dev") == "https://happy-otter-12.accounts.dev"
    assert portal("clerk.accountsstage.dev") == "https://accountsstage.dev"
    assert portal("127.0.0.1:8790") == PORTAL == accounts_base(Clerk(PK, transport=Recorder().transport, storage={}))

