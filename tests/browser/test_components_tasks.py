"""Session tasks on SignIn and SignUp in Chromium against the local instance: a sign-in or sign-up that leaves its
session ``pending`` shows the task at ``#/tasks/<key>`` with clerk-js's words, and moves on once it is done: choose
an organization (a membership, or a new one on SignUp), reset a password marked compromised (by keyboard, in
fr-FR too), set up an authenticator app; "Sign out" from a task screen; a pending session when the component is
mounted. axe-core on every screen, screenshots under ``test-artifacts/components/``."""

from __future__ import annotations

import re
import secrets
from typing import Any

import components_support as kit
from bapi_client import PASSWORD, Backend
from clerk_emulator.kit import LocalProcess
from components_support import App, fresh_totp, outbox_code
from playwright.sync_api import expect

apps, backend, emu, settings = kit.apps, kit.backend, kit.emu, kit.settings
SIGNED_IN = "You are signed in"
FORCE_ORG = {"organization_settings": {"force_organization_selection": True}}


def sign_in_with_password(app: App, email: str) -> None:
    page = app.page
    page.get_by_label("Email address or username").fill(email)
    page.keyboard.press("Enter")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.keyboard.press("Enter")


def test_choose_organization_after_a_sign_in(apps: Any, backend: Backend, settings: Any) -> None:
    settings(FORCE_ORG)
    email, user_id = backend.new_user("choose")
    orgs = [backend.call("POST", "/organizations", {"name": name, "created_by": user_id})
            for name in ("Acme", "Beta")]
    app = apps()
    app.start("clerk.mount_sign_in('#a')")
    page = app.page
    sign_in_with_password(app, email)
    expect(page.get_by_role("heading", name="Choose an organization")).to_be_visible()
    expect(page.get_by_text("Join an existing organization or create a new one")).to_be_visible()
    assert page.url.endswith("#/tasks/choose-organization")
    assert app.run("[clerk.session.status, clerk.is_signed_in]") == ["pending", False]
    expect(page.locator(".cl-footerAction")).to_have_text(re.compile(f"Signed in as {re.escape(email)}\\s*Sign out"))
    app.check("task-choose-organization")
    # "Create new organization" and back, by keyboard.
    page.get_by_role("button", name="Create new organization").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Setup your organization")).to_be_visible()
    assert app.focused()["label"] == "Name"
    app.check("task-choose-organization-create")
    page.get_by_role("button", name="Cancel").focus()
    page.keyboard.press("Enter")
    button = page.get_by_role("button", name="Beta")
    expect(button).to_be_visible()
    button.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=SIGNED_IN)).to_be_visible()
    assert app.run("[clerk.session.status, clerk.is_signed_in, clerk.organization.id]") == [
        "active", True, orgs[1]["id"]]
    assert "#" not in page.url


def test_sign_up_creates_its_organization_then_goes_on(apps: Any, settings: Any) -> None:
    settings(FORCE_ORG)
    app = apps()
    app.start("clerk.mount_sign_up('#a', after_sign_up_url='/harness.html?welcome=1')")
    page = app.page
    email = f"new-{secrets.token_hex(4)}@example.com"
    page.get_by_label("Email address", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD + "-new")
    page.get_by_role("button", name="Continue", exact=True).click()
    expect(page.get_by_role("heading", name="Verify your email")).to_be_visible()
    page.get_by_label("Verification code").fill(outbox_code(app.emu, email))
    page.keyboard.press("Enter")
    # No membership: the create form comes first, without "Cancel".
    expect(page.get_by_role("heading", name="Setup your organization")).to_be_visible()
    expect(page.get_by_role("button", name="Cancel")).to_have_count(0)
    assert page.url.endswith("#/tasks/choose-organization")
    page.get_by_role("button", name="Create organization").click()
    assert app.error_of("Name") == "This field is required and cannot be empty."
    app.check("task-choose-organization-first")
    page.get_by_label("Name", exact=True).fill("Newco")
    app.leave_with(lambda: page.get_by_role("button", name="Create organization").click(), r"welcome=1")
    app.booted()
    assert app.run(f"""
from clerk_frontend import Clerk
clerk = await Clerk({app.emu.publishable_key!r}).load()
[clerk.session.status, clerk.organization.name]""") == ["active", "Newco"]


def test_reset_a_compromised_password_by_keyboard(apps: Any, backend: Backend, emu: LocalProcess) -> None:
    email, user_id = backend.new_user("compromised")
    backend.call("POST", f"/users/{user_id}/password/set_compromised", {})
    app = apps()
    app.start("clerk.mount_sign_in('#a')")
    page = app.page
    sign_in_with_password(app, email)
    # The marked password no longer signs in (the instance says so at the field): another method does.
    expect(page.get_by_label("Password", exact=True)).to_have_attribute("aria-invalid", "true")
    page.get_by_role("button", name="Use another method").click()
    page.get_by_role("button", name=f"Email code to {email}").click()
    page.get_by_label("Verification code").fill(outbox_code(emu, email, "sign_in_code"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Reset your password")).to_be_visible()
    expect(page.get_by_text("Your account requires a new password before you can continue")).to_be_visible()
    assert page.url.endswith("#/tasks/reset-password")
    assert app.focused()["label"] == "New password"
    app.check("task-reset-password")
    new = PASSWORD + "-renewed"
    page.keyboard.type(new)
    page.keyboard.press("Tab")
    page.keyboard.type(new + "x")
    page.keyboard.press("Enter")
    assert app.error_of("Confirm password") == "Passwords don't match."
    app.check("task-reset-password-mismatch")
    page.get_by_label("Confirm password").fill(new)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=SIGNED_IN)).to_be_visible()
    assert app.run("[clerk.session.status, clerk.is_signed_in]") == ["active", True]
    assert "#" not in page.url
    # The new password signs in, without a task.
    app.run("await clerk.sign_out()")
    page.get_by_label("Email address or username").fill(email)
    page.keyboard.press("Enter")
    page.get_by_label("Password", exact=True).fill(new)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=SIGNED_IN)).to_be_visible()
    assert app.run("clerk.session.status") == "active"


def test_pending_on_mount_in_fr_fr_and_sign_out(apps: Any, backend: Backend, emu: LocalProcess) -> None:
    email, user_id = backend.new_user("pendingmount")
    backend.call("POST", f"/users/{user_id}/password/set_compromised", {})
    app = apps()
    # Signed in by hand with an email code: the session is pending when the component is mounted.
    app.start(f"""
sign_in = clerk.client.sign_in
await sign_in.create(identifier={email!r})
await sign_in.prepare_first_factor(strategy="email_code")
""")
    code = outbox_code(emu, email, "sign_in_code")
    app.run(f"""
await clerk.client.sign_in.attempt_first_factor(strategy="email_code", code={code!r})
await clerk.set_active(session=clerk.client.sessions[0].id)
clerk.mount_sign_in('#a', localization='fr-FR')""")
    page = app.page
    expect(page.get_by_role("heading", name="Réinitialisez votre mot de passe")).to_be_visible()
    expect(page.get_by_label("Nouveau mot de passe")).to_be_visible()
    expect(page.locator(".cl-footerAction")).to_contain_text(f"Connecté en tant que {email}")
    app.check("task-reset-password-fr")
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("heading", name=re.compile("^Connexion à"))).to_be_visible()
    assert app.run("clerk.session is None") is True


def test_set_up_an_authenticator_app(apps: Any, backend: Backend, settings: Any) -> None:
    settings({"sign_in": {"second_factor": {"required": True}}})
    email, _ = backend.new_user("setupmfa")
    app = apps()
    app.start("clerk.mount_sign_in('#a')")
    page = app.page
    sign_in_with_password(app, email)
    expect(page.get_by_role("heading", name="Set up two-step verification")).to_be_visible()
    assert page.url.endswith("#/tasks/setup-mfa")
    app.check("task-setup-mfa")
    page.get_by_role("button", name="Authenticator application").click()
    expect(page.get_by_role("heading", name="Add authenticator application")).to_be_visible()
    expect(page.locator(".cl-qrCode svg")).to_be_visible()
    secret = page.locator(".cl-totpSecret").inner_text()
    assert app.focused()["label"] == "Verification code"
    app.check("task-setup-mfa-totp")
    page.keyboard.type(fresh_totp(secret))
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("Two-step verification is now enabled")
    expect(page.locator(".cl-backupCodes li").first).to_be_visible()
    app.check("task-setup-mfa-codes")
    page.get_by_role("button", name="Continue", exact=True).click()
    expect(page.get_by_role("heading", name=SIGNED_IN)).to_be_visible()
    assert app.run("[clerk.session.status, clerk.user.two_factor_enabled]") == ["active", True]
