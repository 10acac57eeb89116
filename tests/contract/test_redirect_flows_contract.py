"""Redirect and link flows over real HTTP: the SDK (CPython, no page, so ``navigate=False`` hands back the URLs)
against the local Clerk instance, the test playing the user on the fake provider's page and opening emailed links.

A "page load" after a redirect is a new ``Clerk`` on the same dev-browser identity, as a browser tab reloading
the app would be.
"""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from bapi_client import PASSWORD, Backend
from clerk_emulator.kit import ClerkInstance
from contract_support import Harness

from clerk_frontend import (
    Clerk,
    ClerkAPIResponseError,
    ClerkValidationError,
    EmailLinkError,
    ExternalAccount,
    HttpxTransport,
)

APP = "http://127.0.0.1:5998"


def provider(url: str, email: str, *, name: str = "Ada Lovelace", action: str = "continue",
             verified: bool = True) -> str:
    """The user on the provider's page (form posted as a browser would), then the callback: where the app lands."""
    with httpx.Client(timeout=10) as browser:
        page = browser.get(url)
        assert page.status_code == 200 and '<label for="email">Email</label>' in page.text
        form = {"state": parse_qs(urlsplit(url).query)["state"][0], "email": email, "name": name, "action": action}
        if verified:
            form["verified"] = "true"
        decided = browser.post(url.split("?")[0].replace("/authorize", "/decide"), data=form)
        assert decided.status_code == 303, decided.text
        back = browser.get(decided.headers["location"])
        assert back.status_code == 303, back.text
        return str(back.headers["location"])


async def reload(harness: Harness) -> Clerk:
    """The page the provider sent the browser back to: a new Clerk on the same client, loaded."""
    clerk = Clerk(harness.emu.publishable_key, transport=HttpxTransport(timeout=10),
                  dev_browser_jwt=harness.clerk.dev_browser_jwt, storage={})
    await clerk.load()
    return clerk


def outbox(emu: ClerkInstance, to: str) -> dict[str, Any]:
    items = httpx.get(emu.fapi_url + "/__emulator/outbox", params={"to": to}).json()["data"]
    assert items, f"no message to {to}"
    return dict(items[0])


def fresh_email(tag: str) -> str:
    return f"{tag}-{secrets.token_hex(4)}@example.com"


async def test_oauth_sign_in_of_a_new_user_ends_signed_in(harness: Harness, backend: Backend) -> None:
    clerk = await harness.clerk.load()
    email = fresh_email("oauth-new")
    url = await clerk.client.sign_in.authenticate_with_redirect(
        strategy="oauth_google", redirect_url=APP + "/sso-callback", redirect_url_complete=APP + "/home",
        navigate=False)
    sent = dict(harness.assert_requested("POST", "/client/sign_ins").form or [])
    assert sent["strategy"] == "oauth_google" and sent["redirect_url"] == APP + "/sso-callback"
    assert sent["action_complete_redirect_url"] == APP + "/home"
    assert url.startswith(harness.emu.fapi_url + "/__emulator/idp/google/authorize?")
    assert provider(url, email) == APP + "/sso-callback"

    page = await reload(harness)
    result = await page.handle_redirect_callback(navigate=False)
    assert result.outcome == "complete" and result.url == "/" and result.session_id
    assert page.user is not None and page.user.primary_email_address is not None
    assert page.user.primary_email_address.email_address == email
    account = page.user.external_accounts[0]
    assert isinstance(account, ExternalAccount) and account.provider in ("google", "oauth_google")
    assert account.email_address == email and account.verification is not None
    assert account.verification.status == "verified"
    assert (page.user.first_name, page.user.last_name) == ("Ada", "Lovelace")
    assert backend.user(page.user.id)["external_accounts"][0]["email_address"] == email
    await page.aclose()
    await clerk.aclose()


async def test_oauth_sign_in_of_an_existing_user_completes_at_the_provider(harness: Harness,
                                                                           backend: Backend) -> None:
    email, user_id = backend.new_user("linked")
    clerk = await harness.clerk.load()
    url = await clerk.client.sign_in.authenticate_with_redirect(
        strategy="oauth_github", redirect_url=APP + "/sso-callback", redirect_url_complete=APP + "/home",
        navigate=False)
    assert provider(url, email) == APP + "/home"  # the provider round trip completed the sign-in
    page = await reload(harness)
    assert page.user is not None and page.user.id == user_id
    result = await page.handle_redirect_callback(navigate=False, sign_in_fallback_redirect_url="/dashboard")
    assert result.outcome == "complete" and result.url == "/dashboard"
    await page.aclose()
    await clerk.aclose()


async def test_oauth_sign_up_with_missing_requirements(harness: Harness, emu: ClerkInstance) -> None:
    httpx.patch(emu.fapi_url + "/__emulator/settings", json={"attributes": {"username": {"required": True}}})
    try:
        clerk = await harness.clerk.load()
        url = await clerk.client.sign_up.authenticate_with_redirect(
            strategy="oauth_google", redirect_url=APP + "/sso-callback", redirect_url_complete=APP + "/home",
            unsafe_metadata={"plan": "free"}, navigate=False)
        assert provider(url, fresh_email("needs-username")) == APP + "/sso-callback"
        page = await reload(harness)
        result = await page.handle_redirect_callback(navigate=False, continue_sign_up_url="/sign-up/continue")
        assert result.outcome == "continue_sign_up" and result.url == "/sign-up/continue"
        sign_up = page.client.sign_up
        assert sign_up.status == "missing_requirements" and sign_up.missing_fields == ["username"]
        await sign_up.update(username="ada_" + secrets.token_hex(3))
        assert sign_up.status == "complete" and page.user is not None
        assert page.user.unsafe_metadata == {"plan": "free"}
        await page.aclose()
        await clerk.aclose()
    finally:
        httpx.delete(emu.fapi_url + "/__emulator/settings")


async def test_oauth_sign_up_of_an_existing_account_is_transferred_to_sign_in(harness: Harness,
                                                                               backend: Backend) -> None:
    email, user_id = backend.new_user("exists")
    clerk = await harness.clerk.load()
    url = await clerk.client.sign_up.authenticate_with_redirect(
        strategy="oauth_google", redirect_url=APP + "/sso-callback", redirect_url_complete=APP + "/home",
        navigate=False)
    assert provider(url, email) == APP + "/sso-callback"
    page = await reload(harness)
    result = await page.handle_redirect_callback(navigate=False)
    assert result.outcome == "complete" and page.user is not None and page.user.id == user_id
    await page.aclose()
    await clerk.aclose()


async def test_cancelled_provider_page_and_already_signed_in(harness: Harness, backend: Backend) -> None:
    email, _ = backend.new_user("cancel")
    clerk = await harness.clerk.load()
    url = await clerk.client.sign_in.authenticate_with_redirect(
        strategy="oauth_google", redirect_url=APP + "/sso-callback", redirect_url_complete=APP + "/home",
        navigate=False)
    assert provider(url, email, action="cancel") == APP + "/sso-callback"
    page = await reload(harness)
    result = await page.handle_redirect_callback(navigate=False, sign_in_url="/sign-in")
    assert result.outcome == "sign_in" and page.user is None  # nothing signed in, the form shows the error
    assert page.client.sign_in.first_factor_verification is not None
    assert page.client.sign_in.first_factor_verification.error["code"] == "oauth_access_denied"

    # Signed in, then the same account again through the provider: that session is activated instead.
    await harness.sign_in(email)
    url = await clerk.client.sign_in.authenticate_with_redirect(
        strategy="oauth_google", redirect_url=APP + "/sso-callback", redirect_url_complete=APP + "/home",
        navigate=False)
    assert provider(url, email) == APP + "/sso-callback"
    again = await reload(harness)
    result = await again.handle_redirect_callback(navigate=False)
    assert result.outcome == "complete" and result.session_id == clerk.session.id
    for each in (page, again, clerk):
        await each.aclose()


async def test_bad_redirect_input_is_refused_cleanly(harness: Harness) -> None:
    clerk = await harness.clerk.load()
    before = len(harness.calls)
    with pytest.raises(ClerkValidationError):
        await clerk.client.sign_in.authenticate_with_redirect(strategy="password", redirect_url=APP + "/cb",
                                                              redirect_url_complete=APP, navigate=False)
    with pytest.raises(ClerkValidationError):  # no page here: a relative URL cannot be made absolute
        await clerk.client.sign_in.authenticate_with_redirect(strategy="oauth_google", redirect_url="/cb",
                                                              redirect_url_complete="/", navigate=False)
    assert len(harness.calls) == before  # refused before any request
    with pytest.raises(ClerkAPIResponseError) as caught:
        await clerk.client.sign_in.authenticate_with_redirect(
            strategy="oauth_google", redirect_url="https://elsewhere.example.com/cb", redirect_url_complete=APP,
            navigate=False)
    assert caught.value.code == "redirect_url_domain_mismatch"
    with pytest.raises(ClerkAPIResponseError) as caught:
        await clerk.client.sign_in.authenticate_with_redirect(
            strategy="oauth_unknownprovider", redirect_url=APP + "/cb", redirect_url_complete=APP, navigate=False)
    assert caught.value.code == "oauth_provider_not_enabled"
    assert clerk.client.sign_in.id == "" and clerk.user is None  # local state as the server's: nothing started
    await clerk.aclose()


async def test_enterprise_sso(harness: Harness) -> None:
    clerk = await harness.clerk.load()
    email = f"grace-{secrets.token_hex(3)}@enterprise.test"
    url = await clerk.client.sign_in.authenticate_with_redirect(
        strategy="enterprise_sso", identifier=email, redirect_url=APP + "/sso-callback",
        redirect_url_complete=APP + "/home", navigate=False)
    sent = harness.assert_requested("POST", "/client/sign_ins/" + clerk.client.sign_in.id + "/prepare_first_factor")
    assert dict(sent.form or [])["strategy"] == "enterprise_sso"
    assert "/__emulator/idp/enterprise/authorize" in url
    assert provider(url, email, name="Grace Hopper") == APP + "/sso-callback"
    page = await reload(harness)
    result = await page.handle_redirect_callback(navigate=False)
    assert result.outcome == "complete" and page.user is not None and page.user.first_name == "Grace"
    await page.aclose()
    await clerk.aclose()


async def test_connected_account(harness: Harness, backend: Backend) -> None:
    email, _ = backend.new_user("connect")
    user = await harness.sign_in(email)
    account = await user.create_external_account(strategy="oauth_github", redirect_url=APP + "/account",
                                                  additional_scopes=["repo"])
    assert account in user.external_accounts and account.verification.status == "unverified"
    url = account.verification.external_verification_redirect_url
    assert provider(url, "octo-" + email) == APP + "/account"
    await user.reload()
    assert account.verification.status == "verified" and "repo" in (account.approved_scopes or "").split()
    await account.reauthorize(redirect_url=APP + "/account", additional_scopes=["gist"])
    provider(account.verification.external_verification_redirect_url, "octo-" + email)
    await user.reload()
    assert "gist" in (account.approved_scopes or "").split()
    await account.destroy()
    assert user.external_accounts == []
    await harness.clerk.aclose()


async def test_email_link_sign_in(harness: Harness, backend: Backend, emu: ClerkInstance) -> None:
    email, user_id = backend.new_user("link")
    clerk = await harness.clerk.load()
    sign_in = await clerk.client.sign_in.create(identifier=email)
    flow = sign_in.create_email_link_flow()
    opened: list[str] = []

    async def open_link_while_polling(seconds: float) -> None:
        # The Clerk's sleep between polls: the user opens the emailed link in another browser meanwhile.
        if not opened:
            link = outbox(emu, email)["link"]
            landed = httpx.get(link)
            opened.append(landed.headers["location"])

    clerk._sleep = open_link_while_polling  # the poll interval, driven by the test
    await flow.start(redirect_url=APP + "/verify")
    assert flow.status == "verified" and sign_in.status == "complete"
    landed = urlsplit(opened[0])
    assert landed.path == "/verify" and parse_qs(landed.query)["__clerk_status"] == ["verified"]
    await clerk.set_active(session=sign_in.created_session_id)
    assert clerk.user is not None and clerk.user.id == user_id

    # The link's page, in this same client: handle_email_link_verification activates the session.
    result = await clerk.handle_email_link_verification(redirect_url_complete=APP + "/home", url=opened[0],
                                                        navigate=False)
    assert result.outcome == "complete"
    # Opened twice: failed.
    second = httpx.get(outbox(emu, email)["link"]).headers["location"]
    with pytest.raises(EmailLinkError) as caught:
        await clerk.handle_email_link_verification(url=second, navigate=False)
    assert caught.value.code == "failed"
    await clerk.aclose()


async def test_email_link_sign_up(harness: Harness, emu: ClerkInstance) -> None:
    email = fresh_email("link-up")
    clerk = await harness.clerk.load()
    sign_up = await clerk.client.sign_up.create(email_address=email, password=PASSWORD)
    flow = sign_up.create_email_link_flow()

    async def open_link(seconds: float) -> None:
        httpx.get(outbox(emu, email)["link"])

    clerk._sleep = open_link
    await flow.start(redirect_url=APP + "/verify")
    assert flow.status == "verified" and sign_up.status == "complete"
    await clerk.set_active(session=sign_up.created_session_id)
    assert clerk.user is not None and clerk.user.primary_email_address.email_address == email
    await clerk.aclose()


async def test_tickets(harness: Harness, backend: Backend, emu: ClerkInstance) -> None:
    _email, user_id = backend.new_user("ticket")
    token = backend.call("POST", "/sign_in_tokens", {"user_id": user_id})["token"]
    clerk = await harness.clerk.load()
    await clerk.client.sign_in.create(strategy="ticket", ticket=token)
    assert clerk.user is not None and clerk.user.id == user_id
    await clerk.sign_out()
    with pytest.raises(ClerkAPIResponseError) as caught:
        await clerk.client.sign_in.create(strategy="ticket", ticket=token)
    assert caught.value.code == "sign_in_token_already_used_code" and clerk.user is None
    with pytest.raises(ClerkValidationError):
        await clerk.client.sign_in.create(strategy="ticket", ticket="")

    invited = fresh_email("invited")
    invitation = backend.call("POST", "/invitations", {"email_address": invited, "public_metadata": {"team": "a"},
                                                       "redirect_url": APP + "/accept"})
    accept = httpx.get(invitation["url"])
    landing = accept.headers["location"]
    assert landing.startswith(APP + "/accept")
    ticket = clerk.ticket_from_url(landing)
    assert ticket
    sign_up = await clerk.client.sign_up.create(strategy="ticket", ticket=ticket, password=PASSWORD)
    assert sign_up.status == "complete" and clerk.user is not None
    assert clerk.user.public_metadata == {"team": "a"} and clerk.user.primary_email_address.email_address == invited
    with pytest.raises(ClerkAPIResponseError) as caught:
        await clerk.client.sign_up.create(strategy="ticket", ticket=ticket, password=PASSWORD)
    assert caught.value.code == "invitation_already_accepted"
    await clerk.aclose()
