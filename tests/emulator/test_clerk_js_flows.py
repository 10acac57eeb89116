"""clerk-js (pinned in build/versions.py), unchanged, runs the redirect, link and ticket flows against the local
Clerk instance in Debian's Chromium: the proof that the instance behaves like Clerk, not like our SDK.

The emulator serves a small app (``pages/clerk_js_app.js``) on its own origin, beside the clerk-js bundle, at
every path the flows visit (``/``, ``/sso-callback``, ``/done``, ``/continue``, ``/verify``, ``/sign-in`` …).
Each test is a fresh browser context (one "device"); every navigation is real: the app calls
``authenticateWithRedirect``, the browser goes to the fake provider's page, the test fills it in as a person
would, the provider goes back through ``/v1/oauth_callback``, and the app's callback page runs
``Clerk.handleRedirectCallback``. Email links are opened from the outbox, tickets come from the Backend API.
Every request is recorded; one outside 127.0.0.0/8 is aborted and fails the test.
"""

from __future__ import annotations

import secrets
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import clerk_openapi
import httpx
import pytest
from clerk_emulator.kit import LocalProcess
from clerk_js_support import PAGE, Traffic, chromium, copy_clerk_js, guarded_context
from emu_support import PASSWORD, Bapi, email_of
from playwright.sync_api import Error as PlaywrightError

pytestmark = [pytest.mark.emulator, pytest.mark.realclient, pytest.mark.browser]

APP_JS = Path(__file__).resolve().parent / "pages" / "clerk_js_app.js"
# Every page the flows can land on serves the app; handleRedirectCallback is told these paths.
ROUTES = ("", "sso-callback", "done", "continue", "verify", "sign-in", "sign-in/factor-one", "sign-in/factor-two",
          "sign-up")
WAIT_MS = 15_000


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_clerk_js(tmp_path_factory.mktemp("clerk-js-flows-site"))
    shutil.copy2(APP_JS, root / "app.js")
    return root


@pytest.fixture(scope="module")
def served(site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalProcess]:
    with LocalProcess(tmp_path_factory.mktemp("clerk-js-flows-emu"), static_dir=site) as emu:
        html = PAGE.format(pk=emu.publishable_key, proxy=emu.fapi_url, extra='<script src="/app.js"></script>\n')
        for route in ROUTES:
            (site / route).mkdir(parents=True, exist_ok=True)
            (site / route / "index.html").write_text(html)
        yield emu


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as b:
        yield b


@pytest.fixture(scope="module")
def bapi(served: LocalProcess) -> Iterator[Bapi]:
    with Bapi(served) as b:
        yield b


@pytest.fixture(scope="module")
def control(served: LocalProcess) -> Iterator[httpx.Client]:
    """The instance's loopback control API (``/__emulator/...``)."""
    with httpx.Client(base_url=served.fapi_url, timeout=10) as http:
        yield http


def _path(url: str) -> str:
    return urlsplit(url).path.rstrip("/") or "/"


class Device:
    """One browser (a fresh context: its own cookies, so its own Clerk client) showing the app."""

    def __init__(self, browser: Any, emu: LocalProcess) -> None:
        self.emu = emu
        self.context, self.traffic = guarded_context(browser)
        self.context.set_default_timeout(WAIT_MS)

    def visit(self, path_or_url: str) -> Any:
        """A new tab navigated to ``path_or_url`` (the page may move on by itself)."""
        page = self.context.new_page()
        page.goto(path_or_url if "://" in path_or_url else self.emu.fapi_url + path_or_url)
        return page

    def open(self, path_or_url: str) -> Any:
        """A new tab at ``path_or_url``, for a page that stays: returns once it has loaded clerk-js."""
        page = self.visit(path_or_url)
        self.ready(page)
        return page

    def why(self, note: str) -> str:
        return (f"{note}\nnavigations: {self.traffic.navigations}\n--- requests and console ---\n"
                f"{self.traffic.log()}")

    def ready(self, page: Any) -> None:
        """Wait for the app's work on this page (load, then its callback) and fail on what it threw."""
        page.wait_for_function("() => window.app && (window.app.ready || window.app.error !== null)")
        error = page.evaluate("() => window.app.error")
        assert error is None, self.why(f"the app on {page.url} threw {error}")

    def land(self, page: Any, path: str) -> dict[str, Any]:
        """Wait until the tab shows ``path`` (after any redirects clerk-js makes) and return clerk-js's state;
        fail as soon as the app on a page on the way throws."""
        deadline = time.monotonic() + WAIT_MS / 1000
        while _path(page.url) != path:
            try:
                error = page.evaluate("() => window.app ? window.app.error : null")
            except PlaywrightError:  # the page is being replaced by the next one
                error = None
            assert error is None, self.why(f"the app on {page.url} threw {error}")
            assert time.monotonic() < deadline, self.why(f"the tab never reached {path}; it shows {page.url}")
            page.wait_for_timeout(50)
        page.wait_for_load_state()
        self.ready(page)
        return self.state(page)

    def state(self, page: Any) -> dict[str, Any]:
        state: dict[str, Any] = page.evaluate("() => window.app.state()")
        return state

    def authenticate_with_redirect(self, page: Any, resource: str, strategy: str) -> None:
        """``Clerk.client.<resource>.authenticateWithRedirect`` as an app's "Continue with …" button calls it;
        clerk-js then moves the tab to the provider."""
        page.evaluate("""([resource, strategy]) => {
            window.Clerk.client[resource].authenticateWithRedirect({
                strategy,
                redirectUrl: location.origin + '/sso-callback',
                redirectUrlComplete: location.origin + '/done',
            }).catch((err) => { window.app.error = window.app.describe(err); });
        }""", [resource, strategy])

    def provider_page(self, page: Any, provider: str, *, email: str, name: str, button: str = "Continue") -> None:
        """Answer the fake provider's page as a person would."""
        try:
            page.wait_for_url(lambda url: _path(url) == f"/__emulator/idp/{provider}/authorize")
        except Exception as exc:
            error = page.evaluate("() => window.app && window.app.error")
            raise AssertionError(self.why(f"clerk-js did not open the provider page ({error})")) from exc
        page.get_by_label("Email", exact=True).fill(email)
        page.get_by_label("Name", exact=True).fill(name)
        assert page.get_by_label("The provider has verified this address").is_checked()
        page.get_by_role("button", name=button, exact=True).click()

    def posted(self, path: str) -> list[str]:
        """Form bodies of the POSTs made to FAPI ``path`` (any query string)."""
        return [body for url, body in self.traffic.bodies if _path(url) == path]

    def close(self) -> Traffic:
        self.context.close()
        return self.traffic


@pytest.fixture
def device(browser: Any, served: LocalProcess) -> Iterator[Callable[[], Device]]:
    """Make fresh devices; each is closed after the test, which fails if any of them left loopback."""
    made: list[Device] = []

    def make() -> Device:
        made.append(Device(browser, served))
        return made[-1]

    yield make
    for dev in made:
        traffic = dev.close()
        assert traffic.outside == [], dev.why(f"requests outside loopback: {traffic.outside}")


def _new_email(tag: str) -> str:
    return f"{tag}-{secrets.token_hex(4)}@example.com"


def _bapi_user(bapi: Bapi, user_id: str) -> dict[str, Any]:
    """The user as the Backend API answers it; a test checks it against the spec last (``_matches_spec``)."""
    reply = bapi.call("GET", f"/users/{user_id}", validate=False)
    assert reply.status == 200, reply
    return dict(reply.json)


def _matches_spec(user: dict[str, Any]) -> None:
    """The BAPI user matches the spec (called last, once the test has checked what clerk-js holds)."""
    clerk_openapi.validate("bapi", "GET", "/users/{user_id}", 200, user)


def _active_sessions(bapi: Bapi, user_id: str) -> list[str]:
    reply = bapi.call("GET", "/sessions", params={"user_id": user_id, "status": "active"})
    assert reply.status == 200, reply
    return [s["id"] for s in reply.json]


def _last_message(control: httpx.Client, to: str) -> dict[str, Any]:
    resp = control.get("/__emulator/outbox", params={"to": to})
    assert resp.status_code == 200, resp.text
    data = resp.json()["data"]
    assert data, f"nothing in the outbox for {to}"
    return dict(data[0])


def _assert_signed_in(state: dict[str, Any], email: str) -> None:
    assert state["email"] == email and state["sessionId"] and state["userId"], state
    assert state["sessionId"] in state["clientSessionIds"], state


def _linked(bapi: Bapi, user_id: str, provider: str, email: str) -> dict[str, Any]:
    """The Backend API shows ``email`` verified and linked to exactly one verified ``provider`` account."""
    user = _bapi_user(bapi, user_id)
    accounts = user["external_accounts"]
    assert len(accounts) == 1, accounts
    account = accounts[0]
    assert account["provider"].removeprefix("oauth_") == provider, account
    assert account["email_address"] == email and account["verification"]["status"] == "verified", account
    item = next(e for e in user["email_addresses"] if e["email_address"] == email)
    assert item["verification"]["status"] == "verified", item
    assert [link["id"] for link in item["linked_to"]] == [account["id"]], item
    return user


# --- OAuth by redirect --------------------------------------------------------------------------
def test_oauth_sign_in_of_a_new_user_is_transferred_to_a_sign_up(device: Callable[[], Device],
                                                                  bapi: Bapi) -> None:
    dev = device()
    page = dev.open("/")
    email = _new_email("oauth-new")
    dev.authenticate_with_redirect(page, "signIn", "oauth_google")
    dev.provider_page(page, "google", email=email, name="Ada Lovelace")
    state = dev.land(page, "/done")
    _assert_signed_in(state, email)
    assert (state["firstName"], state["lastName"]) == ("Ada", "Lovelace"), state
    assert [(a["provider"], a["emailAddress"], a["verification"]["status"]) for a in state["externalAccounts"]] == \
        [("google", email, "verified")], state
    # No account: the instance sent the browser to the callback page with a transferable sign-in, and
    # handleRedirectCallback turned it into a sign-up (POST /v1/client/sign_ups transfer=true).
    paths = [_path(u) for u in dev.traffic.navigations]
    assert "/sso-callback" in paths, dev.why("the callback page was never shown")
    assert any("transfer=true" in body for body in dev.posted("/v1/client/sign_ups")), dev.why("no transfer")
    assert _active_sessions(bapi, state["userId"]) == [state["sessionId"]]
    _matches_spec(_linked(bapi, state["userId"], "google", email))


def test_oauth_sign_in_links_an_existing_user_by_verified_email(device: Callable[[], Device], bapi: Bapi) -> None:
    user = bapi.create_user()
    email = email_of(user)
    dev = device()
    page = dev.open("/")
    dev.authenticate_with_redirect(page, "signIn", "oauth_github")
    dev.provider_page(page, "github", email=email, name="Grace Hopper")
    state = dev.land(page, "/done")
    _assert_signed_in(state, email)
    assert state["userId"] == user["id"], state
    assert dev.posted("/v1/client/sign_ups") == [], dev.why("an existing user must not be signed up")
    assert _active_sessions(bapi, user["id"]) == [state["sessionId"]]
    _matches_spec(_linked(bapi, user["id"], "github", email))


def test_oauth_sign_up_with_sign_up_authenticate_with_redirect(device: Callable[[], Device], bapi: Bapi) -> None:
    dev = device()
    page = dev.open("/")
    email = _new_email("oauth-signup")
    dev.authenticate_with_redirect(page, "signUp", "oauth_google")
    dev.provider_page(page, "google", email=email, name="Katherine Johnson")
    state = dev.land(page, "/done")
    _assert_signed_in(state, email)
    assert (state["firstName"], state["lastName"]) == ("Katherine", "Johnson"), state
    assert not any("transfer=true" in b for b in dev.posted("/v1/client/sign_ups") + dev.posted("/v1/client/sign_ins"))
    _matches_spec(_linked(bapi, state["userId"], "google", email))


def test_oauth_sign_up_of_an_existing_user_is_transferred_to_a_sign_in(device: Callable[[], Device],
                                                                       bapi: Bapi) -> None:
    user = bapi.create_user()
    email = email_of(user)
    dev = device()
    page = dev.open("/")
    dev.authenticate_with_redirect(page, "signUp", "oauth_google")
    dev.provider_page(page, "google", email=email, name="Existing Person")
    state = dev.land(page, "/done")
    _assert_signed_in(state, email)
    assert state["userId"] == user["id"], state
    # The sign-up's external account came back transferable (external_account_exists); clerk-js signed in.
    assert any("transfer=true" in body for body in dev.posted("/v1/client/sign_ins")), dev.why("no transfer")
    listed = bapi.call("GET", "/users", params={"email_address": email}).json
    assert [u["id"] for u in listed] == [user["id"]], listed
    _matches_spec(_linked(bapi, user["id"], "google", email))


@pytest.fixture
def username_required(control: httpx.Client) -> Iterator[None]:
    resp = control.patch("/__emulator/settings", json={"attributes": {"username": {"required": True}}})
    assert resp.status_code == 200, resp.text
    try:
        yield
    finally:
        reset = control.delete("/__emulator/settings")
        assert reset.status_code == 200, reset.text


def test_oauth_sign_up_missing_a_username_continues_on_the_continue_page(
        device: Callable[[], Device], bapi: Bapi, username_required: None) -> None:
    dev = device()
    page = dev.open("/")
    email = _new_email("oauth-continue")
    dev.authenticate_with_redirect(page, "signIn", "oauth_google")
    dev.provider_page(page, "google", email=email, name="Mary Jackson")
    state = dev.land(page, "/continue")
    assert state["sessionId"] is None, state
    assert state["signUp"]["status"] == "missing_requirements", state
    assert state["signUp"]["missingFields"] == ["username"], state
    assert state["signUp"]["unverifiedFields"] == [], state
    assert state["signUp"]["emailAddress"] == email, state
    assert state["signUp"]["externalAccount"]["status"] == "verified", state
    username = f"mary{secrets.token_hex(3)}"
    done = page.evaluate("""async (username) => {
        const su = await window.Clerk.client.signUp.update({username});
        await window.Clerk.setActive({session: su.createdSessionId});
        return {status: su.status, createdSessionId: su.createdSessionId};
    }""", username)
    assert done["status"] == "complete" and done["createdSessionId"], done
    state = dev.state(page)
    _assert_signed_in(state, email)
    assert state["username"] == username and state["sessionId"] == done["createdSessionId"], state
    stored = _linked(bapi, state["userId"], "google", email)
    assert stored["username"] == username, stored
    _matches_spec(stored)


def test_oauth_cancel_on_the_provider_page_leaves_the_error_on_the_attempt(device: Callable[[], Device],
                                                                          bapi: Bapi) -> None:
    dev = device()
    page = dev.open("/")
    email = _new_email("oauth-cancel")
    dev.authenticate_with_redirect(page, "signIn", "oauth_google")
    dev.provider_page(page, "google", email=email, name="Nobody", button="Cancel")
    page.wait_for_url(lambda url: _path(url) not in ("/", "/__emulator/idp/google/authorize", "/v1/oauth_callback",
                                                     "/sso-callback"))
    state = dev.land(page, _path(page.url))
    assert state["sessionId"] is None and state["clientSessionIds"] == [], state
    ffv = state["signIn"]["firstFactorVerification"]
    assert ffv["strategy"] == "oauth_google" and ffv["error"]["code"] == "oauth_access_denied", state
    assert "/sso-callback" in [_path(u) for u in dev.traffic.navigations], dev.why("no callback page")
    # handleRedirectCallback sends a failed OAuth sign-in back to the sign-in page, where Clerk's <SignIn/>
    # shows the attempt's error; "/sign-in/factor-one" is only for a provider email that needs verifying.
    assert state["path"] == "/sign-in", state
    assert bapi.call("GET", "/users", params={"email_address": email}).json == []


# --- email links ----------------------------------------------------------------------------------
def _start_sign_in_link_flow(page: Any, email: str) -> None:
    """signIn.create + createEmailLinkFlow().startEmailLinkFlow, left polling as an app leaves it; when the
    poll sees the link opened the app activates the session (window.app.linkFlow holds the outcome)."""
    page.evaluate("""async (identifier) => {
        const signIn = await window.Clerk.client.signIn.create({identifier});
        const factor = signIn.supportedFirstFactors.find((f) => f.strategy === 'email_link');
        const {startEmailLinkFlow} = signIn.createEmailLinkFlow();
        startEmailLinkFlow({emailAddressId: factor.emailAddressId, redirectUrl: location.origin + '/verify'})
            .then(async (res) => {
                const ffv = res.firstFactorVerification;
                const outcome = {status: res.status, verification: ffv.status, createdSessionId: res.createdSessionId,
                                 sameClient: ffv.verifiedFromTheSameClient()};
                if (res.status === 'complete') await window.Clerk.setActive({session: res.createdSessionId});
                window.app.linkFlow = outcome;
            }, (err) => { window.app.error = window.app.describe(err); });
    }""", email)


def _wait_link_flow(dev: Device, page: Any) -> dict[str, Any]:
    try:
        page.wait_for_function("() => window.app.linkFlow || window.app.error")
    except PlaywrightError as exc:
        raise AssertionError(dev.why("the email link flow never finished polling")) from exc
    outcome: dict[str, Any] = page.evaluate("() => window.app.linkFlow || window.app.error")
    return outcome


def test_email_link_sign_in_opened_in_a_second_tab(device: Callable[[], Device], bapi: Bapi,
                                                     control: httpx.Client) -> None:
    user = bapi.create_user()
    email = email_of(user)
    dev = device()
    page = dev.open("/")
    _start_sign_in_link_flow(page, email)
    page.wait_for_function("() => window.Clerk.client.signIn.firstFactorVerification.status === 'unverified'")
    message = _last_message(control, email)
    assert message["kind"] == "sign_in_link" and message["channel"] == "email", message
    assert urlsplit(message["link"]).path == "/v1/verify", message
    # The person opens the link in another tab of the same browser: that tab finishes it too.
    tab = dev.visit(message["link"])
    tab_state = dev.land(tab, "/done")
    outcome = _wait_link_flow(dev, page)
    assert outcome["status"] == "complete" and outcome["verification"] == "verified", outcome
    assert outcome["sameClient"] is True, outcome
    state = dev.state(page)
    _assert_signed_in(state, email)
    assert state["sessionId"] == outcome["createdSessionId"] == tab_state["sessionId"], (state, tab_state)
    verify_page = next(u for u in dev.traffic.navigations if _path(u) == "/verify")
    assert f"__clerk_created_session={outcome['createdSessionId']}" in verify_page, verify_page
    assert "__clerk_status=verified" in verify_page, verify_page
    assert _active_sessions(bapi, user["id"]) == [state["sessionId"]]


def test_email_link_opened_twice_fails_the_second_time(device: Callable[[], Device], bapi: Bapi,
                                                       control: httpx.Client) -> None:
    user = bapi.create_user()
    email = email_of(user)
    dev = device()
    page = dev.open("/")
    _start_sign_in_link_flow(page, email)
    page.wait_for_function("() => window.Clerk.client.signIn.firstFactorVerification.status === 'unverified'")
    link = _last_message(control, email)["link"]
    first = dev.visit(link)
    dev.land(first, "/done")
    assert _wait_link_flow(dev, page)["status"] == "complete"
    # The same link again (another device this time): handleEmailLinkVerification throws EmailLinkError 'failed'.
    other = device()
    again = other.visit(link)
    again.wait_for_function("() => window.app && (window.app.ready || window.app.error !== null)")
    assert _path(again.url) == "/verify" and "__clerk_status=failed" in again.url, again.url
    assert "__clerk_created_session" not in again.url, again.url
    error = again.evaluate("() => window.app.error")
    assert error is not None and error["name"] == "EmailLinkError" and error["code"] == "failed", error
    assert other.state(again)["sessionId"] is None
    assert _active_sessions(bapi, user["id"]) == [dev.state(page)["sessionId"]]


def test_email_link_sign_up_verified_on_another_device(device: Callable[[], Device], bapi: Bapi,
                                                       control: httpx.Client) -> None:
    email = _new_email("link-signup")
    dev = device()
    page = dev.open("/")
    page.evaluate("""async ([emailAddress, password]) => {
        const signUp = await window.Clerk.client.signUp.create({emailAddress, password});
        const {startEmailLinkFlow} = signUp.createEmailLinkFlow();
        startEmailLinkFlow({redirectUrl: location.origin + '/verify'}).then(async (res) => {
            const outcome = {status: res.status, verification: res.verifications.emailAddress.status,
                             createdSessionId: res.createdSessionId, createdUserId: res.createdUserId};
            if (res.status === 'complete') await window.Clerk.setActive({session: res.createdSessionId});
            window.app.linkFlow = outcome;
        }, (err) => { window.app.error = window.app.describe(err); });
    }""", [email, PASSWORD])
    page.wait_for_function(
        "() => window.Clerk.client.signUp.verifications.emailAddress.status === 'unverified'")
    message = _last_message(control, email)
    assert message["kind"] == "sign_up_link", message
    # Opened on a phone: that browser has its own client, so clerk-js reports "verified on another device"
    # and signs nobody in there; the tab that asked for the link completes the sign-up.
    phone = device()
    tab = phone.open(message["link"])
    assert _path(tab.url) == "/verify" and "__clerk_status=verified" in tab.url, tab.url
    assert tab.evaluate("() => window.app.otherDevice") is True
    assert phone.state(tab)["sessionId"] is None
    outcome = _wait_link_flow(dev, page)
    assert outcome["status"] == "complete" and outcome["verification"] == "verified", outcome
    state = dev.state(page)
    _assert_signed_in(state, email)
    assert state["userId"] == outcome["createdUserId"], state
    user = _bapi_user(bapi, state["userId"])
    assert [(e["email_address"], e["verification"]["status"]) for e in user["email_addresses"]] == \
        [(email, "verified")], user
    assert user["password_enabled"] is True, user
    _matches_spec(user)


# --- tickets --------------------------------------------------------------------------------------
def test_ticket_sign_in_with_a_sign_in_token_and_its_reuse(device: Callable[[], Device], bapi: Bapi) -> None:
    user = bapi.create_user()
    reply = bapi.call("POST", "/sign_in_tokens", {"user_id": user["id"]})
    assert reply.status == 200, reply
    token = reply.json["token"]
    dev = device()
    # The token's url is what an app emails; it lands on the sign-in page with __clerk_ticket.
    page = dev.open(reply.json["url"])
    assert _path(page.url) == "/sign-in", page.url
    ticket = page.evaluate("() => new URL(location.href).searchParams.get('__clerk_ticket')")
    assert ticket == token
    signed = page.evaluate("""async (ticket) => {
        const signIn = await window.Clerk.client.signIn.create({strategy: 'ticket', ticket});
        await window.Clerk.setActive({session: signIn.createdSessionId});
        return {status: signIn.status, createdSessionId: signIn.createdSessionId};
    }""", ticket)
    assert signed["status"] == "complete", signed
    state = dev.state(page)
    _assert_signed_in(state, email_of(user))
    assert state["userId"] == user["id"] and state["sessionId"] == signed["createdSessionId"], state
    # The same ticket on another device: Clerk's sign_in_token_already_used_code, and nothing changes.
    other = device()
    again = other.open("/")
    error = again.evaluate("""async (ticket) => {
        try { await window.Clerk.client.signIn.create({strategy: 'ticket', ticket}); return null; }
        catch (err) { return window.app.describe(err); }
    }""", token)
    assert error is not None and [e["code"] for e in error["errors"]] == ["sign_in_token_already_used_code"], error
    assert other.state(again)["sessionId"] is None
    assert _active_sessions(bapi, user["id"]) == [state["sessionId"]]


def test_invitation_sign_up_with_its_ticket(device: Callable[[], Device], bapi: Bapi, control: httpx.Client,
                                            served: LocalProcess) -> None:
    email = _new_email("invited")
    reply = bapi.call("POST", "/invitations", {"email_address": email, "public_metadata": {"plan": "team"},
                                               "redirect_url": served.fapi_url + "/sign-up"})
    assert reply.status == 200, reply
    invitation = reply.json
    message = _last_message(control, email)
    assert message["kind"] == "invitation" and message["link"] == invitation["url"], message
    dev = device()
    page = dev.open(message["link"])
    assert _path(page.url) == "/sign-up", page.url
    query = dev.state(page)["query"]
    assert query.get("__clerk_status") == "sign_up" and query.get("__clerk_ticket"), query
    signed = page.evaluate("""async ([ticket, password]) => {
        const signUp = await window.Clerk.client.signUp.create({strategy: 'ticket', ticket, password});
        if (signUp.status === 'complete') await window.Clerk.setActive({session: signUp.createdSessionId});
        return {status: signUp.status, missingFields: signUp.missingFields, createdUserId: signUp.createdUserId};
    }""", [query["__clerk_ticket"], PASSWORD])
    assert signed["status"] == "complete", signed
    state = dev.state(page)
    _assert_signed_in(state, email)
    user = _bapi_user(bapi, state["userId"])
    _matches_spec(user)
    assert user["public_metadata"] == {"plan": "team"}, user
    assert user["email_addresses"][0]["verification"]["status"] == "verified", user
    accepted = bapi.call("GET", "/invitations", params={"status": "accepted"}).json
    assert invitation["id"] in [i["id"] for i in accepted], accepted
    # The invitation is spent: its ticket cannot sign anyone up again.
    other = device()
    again = other.open("/")
    error = again.evaluate("""async ([ticket, password]) => {
        try { await window.Clerk.client.signUp.create({strategy: 'ticket', ticket, password}); return null; }
        catch (err) { return window.app.describe(err); }
    }""", [query["__clerk_ticket"], PASSWORD])
    assert error is not None and [e["code"] for e in error["errors"]] == ["invitation_already_accepted"], error
