"""clerk-js (pinned in build/versions.py), unchanged, runs its OAuth popup flow (``authenticateWithPopup``) against
the local Clerk instance in Debian's Chromium: a click opens the popup (as clerk-js requires of its callers),
the person answers the fake provider in it, the Frontend API sends it to the Account Portal's ``/popup-callback``,
which tells the opener and closes.

clerk-js derives the Account Portal as ``https://<host of the publishable key>`` and listens only to messages from
that origin; it decorates URLs to another origin with its dev-browser token, which it keeps only for Clerk's own
development hosts. So the app runs on that origin, as an app on the Account Portal's domain would: this browser
context serves ``https://127.0.0.1:<port>`` from the local instance (Playwright fulfils those requests from it,
the Origin header mapped to the instance's), and clerk-js's ``proxyUrl`` points there too. Every request stays on
127.0.0.0/8; one outside is aborted and fails the test.
"""

from __future__ import annotations

import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from clerk_emulator.kit import LocalProcess
from clerk_js_support import PAGE, Traffic, chromium, copy_clerk_js, guarded_context
from emu_support import Bapi, email_of

pytestmark = [pytest.mark.emulator, pytest.mark.realclient, pytest.mark.browser]

APP_JS = Path(__file__).resolve().parent / "pages" / "clerk_js_app.js"
WAIT_MS = 20_000
# The app's button: clerk-js asks for the popup opened in the click handler itself (popup blockers).
BUTTON = """([resource, strategy]) => {
    const button = document.createElement('button');
    button.id = 'social';
    button.textContent = 'Continue';
    button.onclick = () => {
        const popup = window.open('about:blank', '', 'width=600,height=800');
        window.Clerk.client[resource].authenticateWithPopup({
            strategy, popup,
            redirectUrl: location.origin + '/sso-callback', redirectUrlComplete: location.origin + '/done',
        }).catch((err) => { window.app.error = window.app.describe(err); });
    };
    document.body.appendChild(button);
}"""


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalProcess]:
    site = copy_clerk_js(tmp_path_factory.mktemp("clerk-js-popup-site"))
    shutil.copy2(APP_JS, site / "app.js")
    with LocalProcess(tmp_path_factory.mktemp("clerk-js-popup-emu"), static_dir=site) as emu:
        html = PAGE.format(pk=emu.publishable_key, proxy=portal_of(emu), extra='<script src="/app.js"></script>\n')
        for route in ("", "sso-callback", "done", "sign-in", "sign-up", "continue"):
            (site / route).mkdir(parents=True, exist_ok=True)
            (site / route / "index.html").write_text(html)
        yield emu


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as b:
        yield b


@pytest.fixture
def tab(browser: Any, served: LocalProcess) -> Iterator[tuple[Any, Any, Traffic]]:
    """A fresh context showing the app, with the Account Portal origin served by the instance."""
    context, traffic = guarded_context(browser)
    context.set_default_timeout(WAIT_MS)
    portal = portal_of(served)

    def from_instance(route: Any) -> None:
        headers = route.request.all_headers()
        if "origin" in headers:
            headers["origin"] = served.fapi_url
        route.fulfill(response=route.fetch(url=served.fapi_url + route.request.url[len(portal):], headers=headers))

    context.route(portal + "/**", from_instance)  # registered last: runs before the loopback guard
    page = context.new_page()
    page.goto(portal + "/")
    ready(page, traffic)
    yield context, page, traffic
    context.close()
    assert traffic.outside == [], f"requests outside loopback: {traffic.outside}"


def portal_of(emu: LocalProcess) -> str:
    """The Account Portal origin clerk-js derives from the instance's publishable key."""
    return "https://" + urlsplit(emu.fapi_url).netloc


def ready(page: Any, traffic: Traffic) -> None:
    page.wait_for_function("() => window.app && (window.app.ready || window.app.error !== null)")
    error = page.evaluate("() => window.app.error")
    assert error is None, f"the app on {page.url} threw {error}\n{traffic.log()}"


def through_popup(page: Any, traffic: Traffic, resource: str, provider: str, email: str) -> None:
    page.evaluate(BUTTON, [resource, f"oauth_{provider}"])
    with page.expect_popup() as opened:
        page.click("#social")
    popup = opened.value
    try:
        popup.wait_for_url(lambda url: urlsplit(url).path == f"/__emulator/idp/{provider}/authorize")
    except Exception as exc:
        error = page.evaluate("() => window.app.error")
        raise AssertionError(f"clerk-js left the popup on {popup.url} ({error})\n{traffic.log()}") from exc
    popup.get_by_label("Email", exact=True).fill(email)
    popup.get_by_label("Name", exact=True).fill("Ada Lovelace")
    popup.get_by_role("button", name="Continue", exact=True).click()
    try:
        if not popup.is_closed():  # it may close while the click on Continue is still settling
            popup.wait_for_event("close")
    except Exception as exc:
        raise AssertionError(f"the popup stayed open on {popup.url}\n{traffic.log()}") from exc


def landed(page: Any, traffic: Traffic) -> dict[str, Any]:
    try:
        page.wait_for_url(lambda url: urlsplit(url).path.rstrip("/") == "/done")
    except Exception as exc:
        error = page.evaluate("() => window.app && window.app.error")
        raise AssertionError(f"the tab stayed on {page.url} ({error})\n{traffic.log()}") from exc
    page.wait_for_load_state()
    ready(page, traffic)
    state: dict[str, Any] = page.evaluate("() => window.app.state()")
    return state


def test_clerk_js_popup_signs_in_a_known_user(tab: tuple[Any, Any, Traffic], served: LocalProcess) -> None:
    _context, page, traffic = tab
    with Bapi(served) as bapi:
        user = bapi.create_user()
    through_popup(page, traffic, "signIn", "google", email_of(user))
    # {session}: clerk-js reloads its client, activates the session and goes to redirectUrlComplete.
    state = landed(page, traffic)
    assert state["userId"] == user["id"] and state["sessionId"] in state["clientSessionIds"], state
    portal = [r for r in traffic.requests if "/popup-callback" in r]
    assert portal and all(r.startswith("GET https://") and "return_url" not in r for r in portal), portal


def test_clerk_js_popup_transfers_a_new_user_on_its_callback_page(tab: tuple[Any, Any, Traffic]) -> None:
    _context, page, traffic = tab
    email = f"popup-js-{secrets.token_hex(4)}@example.com"
    through_popup(page, traffic, "signIn", "github", email)
    # {return_url}: the tab goes to /sso-callback (intent=signIn), whose handleRedirectCallback transfers the
    # sign-in to a sign-up and lands on /done.
    state = landed(page, traffic)
    assert state["email"] == email and state["sessionId"], state
    assert any("/sso-callback" in url and "intent=signIn" in url for url in traffic.navigations), traffic.navigations
