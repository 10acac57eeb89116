"""OAuth in a popup with the SDK in Pyodide in Chromium: a click in the app page opens the popup (the SDK opens
it, or the click handler does and passes it in), Playwright is the user on the local instance's provider page in
that popup, the popup comes back through ``/v1/oauth_callback`` to the instance's ``/popup-callback``, tells the
opener and closes; the opener is then signed in (``{session}``) or continues on its callback page
(``{return_url}``). Every request of the context, the popup's included, must stay on 127.0.0.1.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator

import pytest
from bapi_client import Backend
from clerk_emulator.kit import LocalProcess
from playwright.sync_api import Browser, Page
from serve import StaticServer
from test_redirect_flows_browser import App as RedirectApp
from test_redirect_flows_browser import load


class App(RedirectApp):
    """One browser context with the harness page booted, and the popups it opens."""

    def click_for_popup(self, selector: str) -> Page:
        """Click as a user does (the gesture browsers require for window.open); the popup that opens."""
        with self.page.expect_popup() as opened:
            self.page.click(selector)
        popup = opened.value
        self.recorder.attach_page(popup)
        return popup


@pytest.fixture
def app(browser: Browser, static_server: StaticServer) -> Iterator[App]:
    made = App(browser, static_server.url)
    yield made
    made.context.close()




def button(call: str, *, open_in_handler: bool) -> str:
    """Python for the page: a button whose click starts ``call`` (``popup`` in scope) as a task ``flow``."""
    opener = 'js.window.open("about:blank", "", "width=600,height=800")' if open_in_handler else "None"
    return f"""
import asyncio
import js
from pyodide.ffi import create_proxy

def on_click(event):
    global flow
    popup = {opener}  # in the click handler itself, as clerk-js asks of its callers
    flow = asyncio.ensure_future({call})

button = js.document.createElement("button")
button.id, button.textContent = "social", "Continue with Google"
js.document.body.appendChild(button)
button.addEventListener("click", create_proxy(on_click))
"""


def on_provider(popup: Page, provider: str, email: str, name: str) -> None:
    popup.wait_for_url(re.compile(rf"/__emulator/idp/{provider}/authorize\?"))
    popup.get_by_label("Email", exact=True).fill(email)
    popup.get_by_label("Name", exact=True).fill(name)
    popup.get_by_role("button", name="Continue").click()


def closes(popup: Page) -> None:
    """Wait for the popup to close itself; if it does not, say where it stopped."""
    try:
        if not popup.is_closed():  # it may close while the click on Continue is still settling
            popup.wait_for_event("close", timeout=30_000)
    except Exception as exc:
        raise AssertionError(f"the popup stayed open on {popup.url}:\n{popup.content()[:2000]}") from exc


def test_sdk_opened_popup_signs_the_opener_in(app: App, emu: LocalProcess, backend: Backend) -> None:
    email, user_id = backend.new_user("popup-known")
    app.py.run(load(emu) + button(
        'clerk.client.sign_in.authenticate_with_popup(strategy="oauth_google", redirect_url="/harness.html?step=cb",'
        ' redirect_url_complete="/harness.html?step=done", popup=popup, navigate=False)', open_in_handler=False))
    popup = app.click_for_popup("#social")
    on_provider(popup, "google", email, "Known User")
    closes(popup)  # the Account Portal page closes itself after telling the opener
    got = app.py.run("""
result = await asyncio.wait_for(flow, 30)
[result.outcome, result.url, result.session_id == clerk.session.id, clerk.user.id, js.location.search]
""")
    assert got == ["complete", app.base + "/harness.html?step=done", True, user_id, ""]
    portal = [u for u in app.recorder.requests if "/popup-callback" in u]
    assert len(portal) == 1 and "return_url" not in portal[0] and "__clerk_db_jwt=" in portal[0]
    assert any(u.startswith(emu.fapi_url + "/v1/client/sessions/") and "/touch" in u for u in app.recorder.requests)


def test_popup_passed_in_hands_a_new_user_to_the_callback_page(app: App, emu: LocalProcess) -> None:
    email = f"popup-new-{secrets.token_hex(4)}@example.com"
    app.py.run(load(emu) + button(
        'clerk.client.sign_in.authenticate_with_popup(strategy="oauth_github", popup=popup,'
        ' redirect_url="/harness.html?step=callback", redirect_url_complete="/harness.html?step=done")',
        open_in_handler=True))
    popup = app.click_for_popup("#social")
    on_provider(popup, "github", email, "Grace Hopper")
    closes(popup)
    # No account yet: the popup hands back the callback URL and the SDK moves the opener there.
    app.page.wait_for_url(re.compile(r"/harness\.html\?step=callback&.*intent=signIn"), timeout=30_000)
    assert "sign_in_force_redirect_url=" in app.page.url
    got = app.booted().run(load(emu) + """
result = await clerk.handle_redirect_callback(navigate=False)
[result.outcome, clerk.user.primary_email_address.email_address, clerk.user.full_name]
""")
    assert got == ["complete", email, "Grace Hopper"]


def test_closing_the_popup_ends_the_flow(app: App, emu: LocalProcess) -> None:
    app.py.run(load(emu) + button(
        'clerk.client.sign_up.authenticate_with_popup(strategy="oauth_google", redirect_url="/harness.html?step=cb",'
        ' redirect_url_complete="/", popup=popup)', open_in_handler=False))
    popup = app.click_for_popup("#social")
    popup.wait_for_url(re.compile(r"/__emulator/idp/google/authorize\?"))
    popup.close()
    got = app.py.run("""
result = await asyncio.wait_for(flow, 10)
[result.outcome, result.url, clerk.user, js.location.search]
""")
    assert got == ["popup_closed", None, None, ""]
