"""The SignUp component in Chromium against the local instance: email + password verified by a code from the
outbox (keyboard), errors next to their fields (taken address, short password, empty required fields), a missing
field after an OAuth sign-up through the provider's page (``#/continue``), an invitation (ticket) and restricted
sign-up; axe-core on every screen, screenshots under ``test-artifacts/components/``."""

from __future__ import annotations

import re
import secrets
from typing import Any

import components_support as kit
from bapi_client import PASSWORD, Backend
from clerk_emulator.kit import LocalProcess
from components_support import outbox_code
from playwright.sync_api import expect

apps, backend, emu, settings = kit.apps, kit.backend, kit.emu, kit.settings
SIGNED_IN = "You are signed in"


def test_email_and_password_verified_by_code_by_keyboard(apps: Any, backend: Backend, emu: LocalProcess) -> None:
    taken, _ = backend.new_user("taken")
    email = f"new-{secrets.token_hex(4)}@example.com"
    app = apps()
    app.start("clerk.mount_sign_up('#a', sign_in_url='/sign-in', unsafe_metadata={'plan': 'free'})")
    page = app.page
    expect(page.get_by_role("heading", name="Create your account")).to_be_visible()
    for label in ("First name", "Last name", "Username", "Email address", "Password"):
        expect(page.get_by_label(label, exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Sign in")).to_have_attribute("href", "/sign-in")
    assert app.focused()["label"] == "First name"
    app.check("sign_up-start")

    # Nothing filled in: the required fields say so, focus goes to the first of them; nothing is sent.
    mark = len(app.recorder.requests)
    page.get_by_role("button", name="Continue", exact=True).focus()
    page.keyboard.press("Enter")
    assert app.error_of("Email address") == "This field is required and cannot be empty."
    assert app.error_of("Password") == "This field is required and cannot be empty."
    assert app.focused()["label"] == "Email address"
    assert not [u for u in app.recorder.requests[mark:] if "/v1/" in u]
    app.check("sign_up-required")

    page.keyboard.type(taken)
    page.keyboard.press("Tab")
    page.keyboard.type("short")
    page.keyboard.press("Enter")
    expect(page.get_by_text("This email address is taken")).to_be_visible()
    assert app.error_of("Email address") == "This email address is taken. Please try another."
    assert app.focused()["label"] == "Email address"
    app.check("sign_up-taken")

    page.keyboard.press("Control+A")
    page.keyboard.type(email)
    page.keyboard.press("Enter")
    expect(page.get_by_text("Your password is too short")).to_be_visible()
    assert app.error_of("Password").startswith("Your password is too short")
    assert app.focused()["label"] == "Password"

    page.keyboard.press("Control+A")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Verify your email")).to_be_visible()
    expect(page.get_by_text(email)).to_be_visible()
    assert app.focused()["label"] == "Verification code"
    app.check("sign_up-email-code")
    page.keyboard.type(outbox_code(emu, email, "sign_up_code"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=SIGNED_IN)).to_be_visible()
    assert app.run("[clerk.user.primary_email_address.email_address, clerk.user.unsafe_metadata]") == [
        email, {"plan": "free"}]
    app.check("sign_up-signed-in")


def test_missing_username_after_oauth_through_the_provider(apps: Any, settings: Any, backend: Backend) -> None:
    settings({"attributes": {"username": {"enabled": True, "required": True}}})
    taken = f"taken{secrets.token_hex(3)}"
    backend.new_user("named", username=taken)
    email = f"oauth-up-{secrets.token_hex(4)}@example.com"
    app = apps()
    mount = "clerk.mount_sign_up('#a')"
    app.start(mount)
    expect(app.page.get_by_label("Username", exact=True)).to_have_attribute("required", "")
    app.leave_with(lambda: app.page.get_by_role("button", name="Google", exact=True).click(),
                   r"/__emulator/idp/google/authorize\?")
    app.page.get_by_label("Email", exact=True).fill(email)
    app.page.get_by_label("Name", exact=True).fill("Alan Turing")
    app.page.get_by_role("button", name="Continue").click()
    app.page.wait_for_url(re.compile(r"/harness\.html#/sso-callback$"))
    app.booted().start(mount)
    expect(app.page.get_by_role("heading", name="Fill in missing fields")).to_be_visible(timeout=20_000)
    assert app.page.url.endswith("#/continue")
    assert app.focused()["label"] == "Username"
    app.check("sign_up-continue")
    app.page.keyboard.type(taken)
    app.page.keyboard.press("Enter")
    assert app.error_of("Username") == "This username is taken. Please try another."
    app.page.get_by_label("Username", exact=True).fill(f"alan{secrets.token_hex(3)}")
    app.page.keyboard.press("Enter")
    expect(app.page.get_by_role("heading", name=SIGNED_IN)).to_be_visible()
    assert app.run("[clerk.user.primary_email_address.email_address, clerk.user.full_name]") == [email, "Alan Turing"]


def test_invitation_ticket(apps: Any, backend: Backend, emu: LocalProcess) -> None:
    invited = f"invited-{secrets.token_hex(4)}@example.com"
    app = apps()
    invitation = backend.call("POST", "/invitations", {"email_address": invited,
                                                       "redirect_url": app.base + "/harness.html"})
    app.page.goto(invitation["url"])
    app.page.wait_for_url(re.compile(r"/harness\.html\?.*__clerk_ticket="))
    app.booted().start("clerk.mount_sign_up('#a')")
    # The invitation verifies the address; the password is the one field left.
    expect(app.page.get_by_role("heading", name="Fill in missing fields")).to_be_visible(timeout=20_000)
    expect(app.page.get_by_text(invited)).to_have_count(0)
    app.check("sign_up-invitation")
    app.page.get_by_label("Password", exact=True).fill(PASSWORD)
    app.page.keyboard.press("Enter")
    expect(app.page.get_by_role("heading", name=SIGNED_IN)).to_be_visible()
    assert app.run("clerk.user.primary_email_address.email_address") == invited
    assert backend.call("GET", f"/invitations?query={invited}")[0]["status"] == "accepted"


def test_restricted_sign_up(apps: Any, settings: Any) -> None:
    settings({"sign_up": {"mode": "restricted"}})
    app = apps()
    app.start("clerk.mount_sign_up('#a', sign_in_url='/sign-in')")
    expect(app.page.get_by_role("heading", name="Access restricted")).to_be_visible()
    expect(app.page.get_by_role("textbox")).to_have_count(0)
    app.check("sign_up-restricted")


def test_legal_consent_required(apps: Any, settings: Any, emu: LocalProcess) -> None:
    settings({"sign_up": {"legal_consent_enabled": True}})
    email = f"legal-{secrets.token_hex(4)}@example.com"
    app = apps()
    app.start("clerk.mount_sign_up('#a')")
    page = app.page
    page.get_by_label("Email address", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Continue", exact=True).click()
    checkbox = page.get_by_role("checkbox", name="I agree to the terms and the privacy policy")
    expect(checkbox).to_have_attribute("aria-invalid", "true")
    app.check("sign_up-legal")
    checkbox.check()
    page.get_by_role("button", name="Continue", exact=True).click()
    expect(page.get_by_role("heading", name="Verify your email")).to_be_visible()
    page.get_by_label("Verification code").fill(outbox_code(emu, email, "sign_up_code"))
    page.get_by_role("button", name="Continue", exact=True).click()
    expect(page.get_by_role("heading", name=SIGNED_IN)).to_be_visible()
    assert app.run("clerk.user.raw.legal_accepted_at is not None") is True
