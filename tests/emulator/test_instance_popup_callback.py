"""The local instance's Account Portal page for popup flows (``/popup-callback``) over real HTTP: where the
Frontend API sends the popup after the provider, and what the page tells the window that opened it."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from clerk_emulator.kit import LocalProcess
from emu_support import Fapi, email_of

pytestmark = pytest.mark.emulator

APP = "http://127.0.0.1:5999"
RETURN = APP + "/sso-callback?sign_in_force_redirect_url=http%3A%2F%2F127.0.0.1%3A5999%2Fdone&intent=signIn"


def message(html: str) -> tuple[dict[str, Any], str]:
    """The message the page posts to its opener, and the target origin it posts to."""
    found = re.search(r"var m=(\{.*?\}),o=window\.opener;if\(o\)\{o\.postMessage\(m,(\"[^\"]*\")\)", html)
    assert found, html
    return json.loads(found.group(1)), json.loads(found.group(2))


def start(fapi: Fapi, portal: str, email: str) -> str:
    """A sign-in by popup as clerk-js starts it; returns the provider URL."""
    jwt = f"__clerk_db_jwt={fapi.db_jwt}"
    r = fapi.call("POST", "/v1/client/sign_ins", {
        "strategy": "oauth_google", "redirect_url": f"{portal}/popup-callback?return_url={quote(RETURN)}&{jwt}",
        "action_complete_redirect_url": f"{portal}/popup-callback?{jwt}", "oidc_login_hint": email})
    assert r.status == 200, r
    return str(r.response["first_factor_verification"]["external_verification_redirect_url"])


def through_provider(fapi: Fapi, url: str, email: str) -> str:
    state = parse_qs(urlsplit(url).query)["state"][0]
    decided = fapi.http.post(urlsplit(url).path.replace("/authorize", "/decide"),
                             data={"state": state, "email": email, "name": "Ada", "verified": "true",
                                   "action": "continue"})
    callback = fapi.http.get(decided.headers["location"])
    if callback.status_code == 200:  # towards the https Account Portal: a page that moves the browser on
        found = re.search(r"location\.replace\((\"[^\"]*\")\)", callback.text)
        assert found, callback.text
        return str(json.loads(found.group(1)))
    assert callback.status_code == 303, callback.text
    return str(callback.headers["location"])


@pytest.mark.parametrize("portal", ["http", "https"])
def test_a_completed_popup_sign_in_reports_its_session(emu: LocalProcess, user: dict[str, Any], portal: str) -> None:
    # clerk-js derives https://<host> as the Account Portal; the SDK keeps http for a loopback instance.
    origin = f"{portal}://{urlsplit(emu.fapi_url).netloc}"
    fapi = Fapi(emu, dev_browser=True)
    try:
        landing = through_provider(fapi, start(fapi, origin, email_of(user)), email_of(user))
        assert landing == f"{origin}/popup-callback?__clerk_db_jwt={fapi.db_jwt}"
        page = fapi.http.get(emu.fapi_url + urlsplit(landing).path, params={"__clerk_db_jwt": fapi.db_jwt})
        assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
        sid = fapi.call("GET", "/v1/client").response["last_active_session_id"]
        assert sid and message(page.text) == ({"session": sid}, "*")
        assert "window.close()" in page.text
    finally:
        fapi.close()


def test_a_popup_sign_in_that_must_continue_hands_back_the_return_url(emu: LocalProcess) -> None:
    fapi = Fapi(emu, dev_browser=True)
    try:
        landing = through_provider(fapi, start(fapi, emu.fapi_url, "popup-new@example.com"), "popup-new@example.com")
        assert urlsplit(landing).path == "/popup-callback" and parse_qs(urlsplit(landing).query)["return_url"] == [
            RETURN]
        page = fapi.http.get(landing)
        # Only the app's origin may read where it goes next.
        assert page.status_code == 200 and message(page.text) == ({"return_url": RETURN}, APP)
        assert fapi.call("GET", "/v1/client").client["sign_in"]["first_factor_verification"]["status"] == \
            "transferable"
    finally:
        fapi.close()


def test_the_page_refuses_what_it_cannot_report(emu: LocalProcess) -> None:
    fapi = Fapi(emu, dev_browser=True)
    try:
        nothing = fapi.http.get("/popup-callback", params={"__clerk_db_jwt": fapi.db_jwt})  # no session yet
        assert nothing.status_code == 400 and "postMessage" not in nothing.text
        bad = fapi.http.get("/popup-callback", params={"return_url": "javascript:alert(1)"})
        assert bad.status_code == 400 and "postMessage" not in bad.text
        assert fapi.http.get("/popup-callback").status_code == 400
    finally:
        fapi.close()


def test_only_the_instance_account_portal_is_an_allowed_https_loopback_origin(emu: LocalProcess) -> None:
    fapi = Fapi(emu, dev_browser=True)
    try:
        port = urlsplit(emu.fapi_url).port
        other = f"https://127.0.0.1:{(port or 0) + 1}/popup-callback"
        r = fapi.call("POST", "/v1/client/sign_ins", {"strategy": "oauth_google", "redirect_url": other})
        assert r.status == 422 and r.error()["code"] == "redirect_url_domain_mismatch"
    finally:
        fapi.close()
