"""UserProfile's "Verification required" step with "Use another method", in Chromium against the local instance on
``http://localhost:PORT`` (WebAuthn refuses IP-address origins; Chromium's virtual authenticator is the device):
a password change (no "Current password" under reverification, as in clerk-js's form) reverified with the email
code instead of the password (reached with the keyboard alone), a sensitive action reverified with a
backup code instead of the authenticator app (in fr-FR), and with a passkey, the factor clerk-js starts with when the
user has one. Every step is checked by axe-core and saved under ``test-artifacts/components/``."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import components_support as kit
import httpx
import pytest
from bapi_client import PASSWORD, Backend
from clerk_emulator.kit import LocalProcess
from components_support import PAGES, fresh_totp, outbox_code
from playwright.sync_api import expect

apps, backend, settings = kit.apps, kit.backend, kit.settings
NEW_PASSWORD = "reverified-password-2"


@pytest.fixture(scope="module")
def emu(tmp_path_factory: pytest.TempPathFactory, bundle_dir: Path) -> Iterator[LocalProcess]:
    """The local instance on localhost, serving the test pages and the bundle's Pyodide on its own origin."""
    site = tmp_path_factory.mktemp("reverification-site") / "site"
    shutil.copytree(bundle_dir / "pyodide", site / "pyodide")
    for page in PAGES.glob("*"):
        if page.is_file():
            shutil.copy(page, site / page.name)
    with LocalProcess(tmp_path_factory.mktemp("clerk-reverification"), host="localhost", static_dir=site) as proc:
        yield proc


@pytest.fixture
def stale(emu: LocalProcess, settings: Any) -> Iterator[Any]:
    """Reverification on; ``stale()`` moves the instance's clock past its 10 minutes (put back afterwards)."""
    settings({"reverification": {"enabled": True}})

    def advance() -> None:
        assert httpx.post(emu.fapi_url + "/__emulator/clock", json={"advance_seconds": 11 * 60}).status_code == 200

    yield advance
    httpx.delete(emu.fapi_url + "/__emulator/clock")


def profile(app: Any, email: str, options: str = "") -> Any:
    """Signed in with the password, UserProfile mounted on ``#a``."""
    app.start(f"await clerk.client.sign_in.create(identifier={email!r}, password={PASSWORD!r})\n"
              f"clerk.mount_user_profile('#a'{options})")
    return app.page


def change_password(app: Any, *, save: str = "Save") -> None:
    """The password form, which under reverification asks no current password (as clerk-js's: the reverification
    stands for it); the new one then works (``signs_in_with_the_new_password``)."""
    page = app.page
    page.get_by_role("button", name="Security", exact=True).click()
    page.get_by_role("button", name="Update password").click()
    expect(page.get_by_label("New password")).to_be_focused()
    expect(page.get_by_label("Current password")).to_have_count(0)
    page.get_by_label("New password").fill(NEW_PASSWORD)
    page.get_by_label("Confirm password").fill(NEW_PASSWORD)
    app.check("user_profile-password-under-reverification")
    page.get_by_role("button", name=save).click()


def signs_in_with_the_new_password(app: Any, email: str) -> None:
    assert app.run(f"""
await clerk.sign_out()
(await clerk.client.sign_in.create(identifier={email!r}, password={NEW_PASSWORD!r})).status""") == "complete"


def test_the_email_code_instead_of_the_password_with_the_keyboard(apps: Any, backend: Backend, emu: LocalProcess,
                                                                  stale: Any) -> None:
    email, _ = backend.new_user("reverify-email")
    app = apps()
    page = profile(app, email)
    stale()
    change_password(app)
    step = page.locator(".cl-reverification")
    expect(step.get_by_text("Enter your current password to continue")).to_be_visible()
    assert app.focused()["label"] == "Password"
    # Password field, Continue, then "Use another method".
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert app.focused()["text"] == "Use another method"
    page.keyboard.press("Enter")
    expect(step.get_by_role("heading", name="Use another method")).to_be_focused()
    expect(step.get_by_text("Facing issues? You can use any of these methods for verification.")).to_be_visible()
    methods = step.locator(".cl-alternativeMethodsBlockButton")
    expect(methods).to_have_text([f"Email code to {email}"])  # the current factor (password) is not listed
    app.check("user_profile-reverification-alternatives")
    # Back to the password, then the email code.
    step.get_by_role("button", name="Back").click()
    expect(step.get_by_label("Password")).to_be_focused()
    assert kit.outbox_count(emu, email) == 0  # nothing is sent before the code is chosen
    step.get_by_role("button", name="Use another method").click()
    methods.first.focus()
    page.keyboard.press("Enter")
    expect(step.get_by_text("Enter the code sent to your email to continue")).to_be_visible()
    expect(step.get_by_text(email, exact=True)).to_be_visible()
    expect(step.get_by_label("Verification code")).to_be_focused()
    expect(step.get_by_role("button", name="Didn't receive a code? Resend")).to_be_visible()
    app.check("user_profile-reverification-email-code")
    # Back and forth does not send the code twice (clerk-js keeps the one prepared).
    step.get_by_role("button", name="Use another method").click()
    expect(methods).to_have_text(["Continue with your password"])
    methods.first.click()
    expect(step.get_by_label("Password")).to_be_focused()
    step.get_by_role("button", name="Use another method").click()
    step.get_by_role("button", name=f"Email code to {email}").click()
    expect(step.get_by_label("Verification code")).to_be_focused()
    assert kit.outbox_count(emu, email) == 1
    # A wrong code is refused at its field; the right one completes and the action runs once more.
    page.keyboard.type("000000")
    page.keyboard.press("Enter")
    assert app.error_of("Verification code")
    step.get_by_label("Verification code").fill(outbox_code(emu, email, "reverification_code"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_have_text("Your password has been updated.")
    expect(step).to_have_count(0)
    signs_in_with_the_new_password(app, email)


def test_a_backup_code_instead_of_the_authenticator_app_in_french(apps: Any, backend: Backend, stale: Any) -> None:
    email, _ = backend.new_user("reverify-backup")
    app = apps()
    page = profile(app, email, ", localization='fr-FR'")
    secret = app.run("(await clerk.user.create_totp()).secret")
    codes = app.run(f"(await clerk.user.verify_totp(code={fresh_totp(secret)!r})).backup_codes")
    stale()
    page.get_by_role("button", name="Sécurité", exact=True).click()
    page.get_by_role("button", name="Régénérer").click()
    step = page.locator(".cl-reverification")
    expect(step.get_by_label("Code de vérification")).to_be_focused()  # the authenticator app first
    step.get_by_role("button", name="Utiliser une autre méthode").click()
    expect(step.get_by_role("heading", name="Utiliser une autre méthode")).to_be_focused()
    expect(step.locator(".cl-alternativeMethodsBlockButton")).to_have_text(["Utiliser un code de secours"])
    app.check("user_profile-reverification-alternatives-fr")
    step.get_by_role("button", name="Utiliser un code de secours").click()
    expect(step.get_by_role("heading", name="Saisissez un code de secours")).to_be_visible()
    expect(step.get_by_label("Code de secours")).to_be_focused()
    app.check("user_profile-reverification-backup-code-fr")
    page.keyboard.type(codes[0])
    page.keyboard.press("Enter")
    expect(page.locator(".cl-backupCodes li").first).to_be_visible()  # the action ran once more
    expect(step).to_have_count(0)
    assert codes[0] not in page.locator(".cl-backupCodes").inner_text()  # a new set


def test_a_passkey_first_then_another_method_and_back(apps: Any, backend: Backend, stale: Any) -> None:
    email, _ = backend.new_user("reverify-passkey")
    app = apps()
    cdp = app.context.new_cdp_session(app.page)
    cdp.send("WebAuthn.enable", {"enableUI": False})
    cdp.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "internal", "hasResidentKey": True, "hasUserVerification": True,
        "isUserVerified": True, "automaticPresenceSimulation": True}})
    page = profile(app, email)
    app.run("await clerk.user.create_passkey()\nNone")
    stale()
    change_password(app)
    step = page.locator(".cl-reverification")
    expect(step.get_by_role("heading", name="Use your passkey")).to_be_visible()
    expect(step.get_by_role("button", name="Use your passkey")).to_be_focused()
    app.check("user_profile-reverification-passkey")
    step.get_by_role("button", name="Use another method").click()
    expect(step.locator(".cl-alternativeMethodsBlockButton")).to_have_text(
        [f"Email code to {email}", "Continue with your password"])
    step.get_by_role("button", name="Back").click()
    step.get_by_role("button", name="Use your passkey").click()
    expect(page.get_by_role("alert")).to_have_text("Your password has been updated.")
    expect(step).to_have_count(0)
    signs_in_with_the_new_password(app, email)
