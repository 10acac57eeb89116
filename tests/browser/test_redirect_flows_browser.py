"""Redirect and link flows with the SDK in Pyodide in Chromium, through real navigations: the page goes to the
local instance's identity-provider page, Playwright fills it in as a user would, the browser comes back through
``/v1/oauth_callback`` to the app page, which boots again and finishes with ``handle_redirect_callback``. Email
links are opened from the outbox in a second tab; tickets come from the Backend API.

The app page is the harness on the static server (one loopback origin), the Frontend API the emulator (another):
the dev-browser identity survives the navigations in the page's localStorage, as it does with clerk-js.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from bapi_client import PASSWORD, Backend
from browser_harness import BOOT_TIMEOUT_MS, PyPage, PythonFailure, new_page
from clerk_emulator.kit import LocalProcess
from playwright.sync_api import Browser, BrowserContext, Page
from serve import StaticServer


class App:
    """One browser context: the app page (the harness) and what it loads after each navigation."""

    def __init__(self, browser: Browser, base: str) -> None:
        self.base = base
        self.context: BrowserContext
        self.context, page, self.recorder = new_page(browser, base + "/harness.html")
        self.py = PyPage(page, self.recorder)
        self.booted()

    @property
    def page(self) -> Page:
        return self.py.page

    def booted(self) -> PyPage:
        """Wait until the page (after a navigation) has Pyodide and the SDK loaded again."""
        self.page.wait_for_function("window.pyReady === true", timeout=BOOT_TIMEOUT_MS)
        error = self.page.evaluate("window.pyBootError")
        if error:
            raise PythonFailure(f"Pyodide failed to boot: {error}")
        return self.py

    def leave_with(self, code: str, url_pattern: str) -> None:
        """Run ``code`` (which moves the page) without waiting for it in the page, then wait for ``url_pattern``."""
        self.page.evaluate("(code) => { window.runPy(code); }", code)
        self.page.wait_for_url(re.compile(url_pattern), timeout=30_000)


@pytest.fixture
def app(browser: Browser, static_server: StaticServer) -> Iterator[App]:
    made = App(browser, static_server.url)
    yield made
    made.context.close()


def load(emu: LocalProcess) -> str:
    return f"""
from clerk_frontend import Clerk
clerk = Clerk({emu.publishable_key!r})
await clerk.load()
"""


def start_oauth(strategy: str) -> str:
    """Python for the page: start an OAuth sign-in; the SDK then moves the page to the provider."""
    return f"""
await clerk.client.sign_in.authenticate_with_redirect(
    strategy={strategy!r}, redirect_url="/harness.html?step=callback",
    redirect_url_complete="/harness.html?step=done")
"""


def on_provider(page: Page, email: str, name: str, *, button: str = "Continue") -> None:
    """Be the user on the provider's page: the Email field comes pre-filled when the app gave a hint."""
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_role("button", name=button).click()


def test_oauth_sign_up_through_the_provider_page(app: App, emu: LocalProcess, backend: Backend) -> None:
    email = f"oauth-{secrets.token_hex(4)}@example.com"
    app.py.run(load(emu))
    app.leave_with(start_oauth("oauth_google"), r"/__emulator/idp/google/authorize\?")
    assert app.page.get_by_role("heading", name="Sign in with Google").is_visible()
    on_provider(app.page, email, "Ada Lovelace")
    app.page.wait_for_url(re.compile(r"/harness\.html\?step=callback$"))
    py = app.booted()
    got = py.run(load(emu) + """
result = await clerk.handle_redirect_callback(navigate=False)
[result.outcome, result.url, clerk.user.primary_email_address.email_address, clerk.user.full_name,
 [a.provider for a in clerk.user.external_accounts], clerk.session.id == result.session_id]
""")
    # In a page, URLs are absolute against it.
    assert got == ["complete", app.base + "/", email, "Ada Lovelace", [got[4][0]], True]
    assert got[4][0] in ("google", "oauth_google")
    user_id = py.run("clerk.user.id")
    assert backend.user(user_id)["external_accounts"][0]["provider"] in ("google", "oauth_google")
    # The callback's default navigation: the page goes to the after-sign-up URL.
    app.leave_with("await clerk.navigate('/harness.html?step=home')", r"step=home$")
    assert app.booted().run(load(emu) + "clerk.user.id") == user_id


def test_oauth_existing_user_lands_on_the_complete_url(app: App, emu: LocalProcess, backend: Backend) -> None:
    email, user_id = backend.new_user("oauth-known")
    app.py.run(load(emu))
    app.leave_with(start_oauth("oauth_github"), r"/__emulator/idp/github/authorize\?")
    on_provider(app.page, email, "Known User")
    app.page.wait_for_url(re.compile(r"step=done$"))
    assert app.booted().run(load(emu) + "[clerk.user.id, clerk.is_signed_in]") == [user_id, True]


def test_cancel_on_the_provider_page(app: App, emu: LocalProcess) -> None:
    app.py.run(load(emu))
    app.leave_with(start_oauth("oauth_google"), r"/__emulator/idp/google/authorize\?")
    app.page.get_by_role("button", name="Cancel").click()
    app.page.wait_for_url(re.compile(r"step=callback$"))
    got = app.booted().run(load(emu) + """
result = await clerk.handle_redirect_callback(navigate=False, sign_in_url="/sign-in")
[result.outcome, result.url, result.error.code if result.error else None, clerk.user]
""")
    assert got == ["sign_in", app.base + "/sign-in", "oauth_access_denied", None]


def test_email_link_opened_from_the_outbox(app: App, emu: LocalProcess, backend: Backend, browser: Browser,
                                           static_server: StaticServer) -> None:
    email, user_id = backend.new_user("link")
    app.py.run(load(emu) + f"""
import asyncio
sign_in = await clerk.client.sign_in.create(identifier={email!r})
flow = sign_in.create_email_link_flow()
waiting = asyncio.ensure_future(flow.start(redirect_url="/harness.html?step=verify"))
""")
    message: dict[str, Any] = {}
    for _ in range(50):  # the page's prepare request lands in the outbox
        items = httpx.get(emu.fapi_url + "/__emulator/outbox", params={"to": email, "kind": "sign_in_link"}).json()
        if items["data"]:
            message = items["data"][0]
            break
        app.page.wait_for_timeout(100)
    assert message.get("link"), "no sign-in link in the outbox"
    # Another tab of the same browser opens the link; the first tab's poll sees the sign-in complete.
    other = app.context.new_page()
    app.recorder.attach_page(other)
    other.goto(message["link"])
    other.wait_for_url(re.compile(r"step=verify&__clerk_status=verified&__clerk_created_session=sess_"))
    got = app.py.run("""
await asyncio.wait_for(waiting, 15)
await clerk.set_active(session=sign_in.created_session_id)
[flow.status, sign_in.status, clerk.user.id]
""")
    assert got == ["verified", "complete", user_id]
    other.wait_for_function("window.pyReady === true", timeout=BOOT_TIMEOUT_MS)
    verify = PyPage(other, app.recorder)
    got = verify.run(load(emu) + """
result = await clerk.handle_email_link_verification(redirect_url_complete="/harness.html?step=home", navigate=False)
[result.outcome, clerk.user.id]
""")
    assert got == ["complete", user_id]
    # The same link again: the verification page reports a failed link.
    other.goto(message["link"])
    other.wait_for_url(re.compile(r"__clerk_status=failed"))
    other.wait_for_function("window.pyReady === true", timeout=BOOT_TIMEOUT_MS)
    got = PyPage(other, app.recorder).run(load(emu) + """
from clerk_frontend import EmailLinkError
try:
    await clerk.handle_email_link_verification(navigate=False)
    code = None
except EmailLinkError as exc:
    code = exc.code
code
""")
    assert got == "failed"


def test_ticket_sign_in_and_invitation_sign_up(app: App, emu: LocalProcess, backend: Backend) -> None:
    _email, user_id = backend.new_user("ticket")
    token = backend.call("POST", "/sign_in_tokens", {"user_id": user_id})["token"]
    got = app.py.run(load(emu) + f"""
await clerk.client.sign_in.create(strategy="ticket", ticket={token!r})
first = clerk.user.id
await clerk.sign_out()
from clerk_frontend import ClerkAPIResponseError
try:
    await clerk.client.sign_in.create(strategy="ticket", ticket={token!r})
except ClerkAPIResponseError as exc:
    reused = exc.code
[first, reused, clerk.user]
""")
    assert got == [user_id, "sign_in_token_already_used_code", None]

    invited = f"invited-{secrets.token_hex(4)}@example.com"
    invitation = backend.call("POST", "/invitations", {
        "email_address": invited, "redirect_url": app.base + "/harness.html?step=accept"})
    app.page.goto(invitation["url"])  # the emailed link: the instance sends the browser to the app with a ticket
    app.page.wait_for_url(re.compile(r"step=accept&__clerk_ticket="))
    got = app.booted().run(load(emu) + f"""
ticket = clerk.ticket_from_url()
sign_up = await clerk.client.sign_up.create(strategy="ticket", ticket=ticket, password={PASSWORD!r})
[sign_up.status, clerk.user.primary_email_address.email_address]
""")
    assert got == ["complete", invited]
