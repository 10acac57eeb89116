"""UserProfile, SignIn and SignUp screens around factors, in Chromium against the local instance on
``http://localhost:PORT`` (browsers refuse WebAuthn on IP-address origins; Chromium's virtual authenticator stands in
for the device): the authenticator app's QR code (segno loaded only when that screen opens), passkeys added, renamed
and removed, sign-in with a passkey, phone numbers and SMS as a second factor, the profile image, the "Verification
required" step of a sensitive action, and sign-up verified by a phone code and by an email link. axe-core on every
screen, screenshots under ``test-artifacts/components/``."""

from __future__ import annotations

import base64
import re
import secrets
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import components_support as kit
import httpx
import pytest
from bapi_client import PASSWORD, Backend
from clerk_emulator.kit import LocalProcess
from components_support import PAGES, fresh_totp, outbox_code, totp
from playwright.sync_api import expect

apps, backend, settings = kit.apps, kit.backend, kit.settings
SIGNED_IN = "You are signed in"
# A 1x1 PNG.
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJ"
                       "RU5ErkJggg==")


@pytest.fixture(scope="module")
def emu(tmp_path_factory: pytest.TempPathFactory, bundle_dir: Path) -> Iterator[LocalProcess]:
    """The local instance on localhost, serving the test pages and the bundle's Pyodide on its own origin."""
    site = tmp_path_factory.mktemp("profile-factors-site") / "site"
    shutil.copytree(bundle_dir / "pyodide", site / "pyodide")
    for page in PAGES.glob("*"):
        if page.is_file():
            shutil.copy(page, site / page.name)
    with LocalProcess(tmp_path_factory.mktemp("clerk-profile-factors"), host="localhost", static_dir=site) as proc:
        assert proc.fapi_url.startswith("http://localhost:")
        yield proc


@pytest.fixture
def clock(emu: LocalProcess) -> Iterator[Any]:
    """``clock(seconds)`` moves the instance's clock forward; put back afterwards."""
    def advance(seconds: int) -> None:
        assert httpx.post(emu.fapi_url + "/__emulator/clock", json={"advance_seconds": seconds}).status_code == 200

    yield advance
    httpx.delete(emu.fapi_url + "/__emulator/clock")


def authenticator(app: Any) -> None:
    """A platform authenticator for the app's page (CTAP2, resident keys, user verification that succeeds)."""
    cdp = app.context.new_cdp_session(app.page)
    cdp.send("WebAuthn.enable", {"enableUI": False})
    added = cdp.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "internal", "hasResidentKey": True, "hasUserVerification": True,
        "isUserVerified": True, "automaticPresenceSimulation": True}})
    app.cdp, app.authenticator = cdp, added["authenticatorId"]


def signed_in(app: Any, email: str, mounts: str) -> None:
    app.start(f"await clerk.client.sign_in.create(identifier={email!r}, password={PASSWORD!r})\n{mounts}")


def a_phone() -> str:
    return f"+1201555{secrets.randbelow(100) + 100:04d}"


def security(app: Any) -> Any:
    app.page.get_by_role("button", name="Security", exact=True).click()
    expect(app.page.get_by_role("heading", name="Security", level=2)).to_be_visible()
    return app.page


def test_authenticator_qr_code_loaded_when_its_screen_opens(apps: Any, backend: Backend) -> None:
    email, user_id = backend.new_user("qr")
    app = apps()
    signed_in(app, email, "clerk.mount_user_profile('#a')")
    page = security(app)
    assert app.run("import sys\n'segno' in sys.modules") is False
    assert not [u for u in app.recorder.requests if "segno" in u]
    page.get_by_role("button", name="Add two-step verification").click()
    qr = page.get_by_role("img", name="QR code for your authenticator app")
    expect(qr).to_be_visible()
    assert [u for u in app.recorder.requests if "segno" in u], "segno's wheel is fetched when the screen opens"
    uri = page.locator(".cl-totpUri").inner_text()
    assert uri.startswith("otpauth://totp/")
    # The drawing is the URI's QR code: segno's matrix of it, inside a four-module light border.
    expected = app.run(f"""
import segno
from clerk_frontend.ui._user_profile_security import _qr_path as qr_path
matrix = segno.make({uri!r}, error="m", micro=False).matrix
[qr_path(matrix), len(matrix)]""")
    assert qr.locator("path").get_attribute("d") == expected[0] and expected[0].startswith("M")
    size = expected[1] + 8
    assert qr.get_attribute("viewBox") == f"-4 -4 {size} {size}"
    expect(page.locator(".cl-totpSecret")).not_to_be_empty()  # the key stays readable as text
    app.check("user_profile-totp-qr")
    page.get_by_label("Verification code").fill(fresh_totp(page.locator(".cl-totpSecret").inner_text()))
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_text("Authenticator application", exact=True)).to_be_visible()
    assert backend.user(user_id)["totp_enabled"] is True


def test_passkey_added_renamed_removed_and_used_to_sign_in(apps: Any, backend: Backend) -> None:
    email, user_id = backend.new_user("passkey")
    app = apps()
    authenticator(app)
    signed_in(app, email, "clerk.mount_user_profile('#a')")
    page = security(app)
    page.get_by_role("button", name="Add a passkey").click()
    expect(page.get_by_role("button", name="Rename")).to_have_count(1)
    app.check("user_profile-passkeys")
    page.get_by_role("button", name="Rename").click()
    expect(page.get_by_role("heading", name="Rename Passkey")).to_be_visible()
    assert app.focused()["label"] == "Name of passkey"
    app.check("user_profile-passkey-rename")
    page.keyboard.press("Control+A")
    page.keyboard.type("Work laptop")
    page.keyboard.press("Enter")
    expect(page.locator(".cl-profileSectionItem", has_text="Work laptop")).to_be_visible()
    assert app.run("[p.name for p in clerk.user.passkeys]") == ["Work laptop"]
    stored = app.cdp.send("WebAuthn.getCredentials", {"authenticatorId": app.authenticator})["credentials"]
    assert len(stored) == 1 and stored[0]["rpId"] == "localhost"

    # Signed out, SignIn's passkey screen signs in with it.
    app.run("await clerk.sign_out()\nclerk.unmount_user_profile('#a')\nclerk.mount_sign_in('#b')")
    page.get_by_label("Email address or username").fill(email)
    page.get_by_role("button", name="Continue", exact=True).click()
    page.get_by_role("button", name="Use another method").click()
    page.get_by_role("button", name="Sign in with your passkey").click()
    expect(page.get_by_role("heading", name="Use your passkey")).to_be_visible()
    app.check("sign_in-passkey")
    page.get_by_role("button", name="Continue", exact=True).click()
    expect(page.get_by_role("heading", name=SIGNED_IN)).to_be_visible()
    assert app.run("clerk.user.id") == user_id

    app.run("clerk.unmount_sign_in('#b')\nclerk.mount_user_profile('#a')")
    page = security(app)
    page.locator(".cl-profileSectionItem", has_text="Work laptop").get_by_role("button", name="Remove").click()
    expect(page.get_by_role("button", name="Rename")).to_have_count(0)
    assert app.run("clerk.user.passkeys") == []


def test_passkey_as_the_second_factor_of_a_password_sign_in(apps: Any, backend: Backend, settings: Any) -> None:
    # clerk-js 6.40.0's passkey second factor: SignIn's second step offers the passkey, with TOTP as the other method.
    settings({"attributes": {"passkey": {"used_for_second_factor": True}}})
    email, user_id = backend.new_user("passkey2fa")
    app = apps()
    authenticator(app)
    signed_in(app, email, "await clerk.user.create_passkey()\nsecret = (await clerk.user.create_totp()).secret")
    secret = app.run("secret")
    app.run(f"await clerk.user.verify_totp(code={totp(secret)!r})")
    app.run("await clerk.sign_out()\nclerk.mount_sign_in('#b')")
    page = app.page
    page.get_by_label("Email address or username").fill(email)
    page.keyboard.press("Enter")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Two-step verification")).to_be_visible()  # TOTP comes first
    page.get_by_role("button", name="Use another method").click()
    page.get_by_role("button", name="Sign in with your passkey").click()
    expect(page.get_by_role("heading", name="Use your passkey")).to_be_visible()
    app.check("sign_in-passkey-second-factor")
    page.get_by_role("button", name="Continue", exact=True).click()
    expect(page.get_by_role("heading", name=SIGNED_IN)).to_be_visible()
    assert app.run("[clerk.user.id, clerk.session.factor_verification_age]") == [user_id, [0, 0]]


def test_phone_number_added_and_reserved_for_sms_codes(apps: Any, backend: Backend, settings: Any,
                                                       emu: LocalProcess) -> None:
    settings({"attributes": {"phone_number": {"enabled": True, "used_for_second_factor": True}}})
    email, user_id = backend.new_user("sms")
    phone = a_phone()
    app = apps()
    signed_in(app, email, "clerk.mount_user_profile('#a')")
    page = app.page
    page.get_by_role("button", name="Add phone number").click()
    assert app.focused()["label"] == "Phone number"
    page.keyboard.type(phone)
    page.keyboard.press("Enter")
    expect(page.get_by_label("Verification code")).to_be_focused()
    app.check("user_profile-verify-phone")
    page.keyboard.type(outbox_code(emu, phone, "verification_code"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_have_text(f"{phone} has been added to your account.")
    expect(page.locator(".cl-profileSectionItem", has_text=phone).get_by_text("Unverified")).to_have_count(0)

    page = security(app)
    page.get_by_role("button", name="Add SMS code verification").click()
    expect(page.get_by_text("Select an existing phone number")).to_be_visible()
    app.check("user_profile-sms-choose")
    page.get_by_role("button", name=phone).click()
    expect(page.get_by_role("alert")).to_contain_text("you will need to enter a verification code sent to this phone")
    row = page.locator(".cl-profileSectionItem", has_text=f"SMS code {phone}")
    expect(row).to_be_visible()
    expect(page.locator(".cl-backupCodes li").first).to_be_visible()  # the first second factor made backup codes
    app.check("user_profile-sms-reserved")
    [stored] = backend.user(user_id)["phone_numbers"]
    assert stored["reserved_for_second_factor"] is True
    if row.get_by_role("button", name="Set as default").count():
        row.get_by_role("button", name="Set as default").click()
    expect(row.get_by_text("Default", exact=True)).to_be_visible()
    assert backend.user(user_id)["phone_numbers"][0]["default_second_factor"] is True
    row.get_by_role("button", name="Remove").click()
    expect(page.get_by_role("alert")).to_have_text(f"SMS code two-step verification has been removed for {phone}")
    assert backend.user(user_id)["phone_numbers"][0]["reserved_for_second_factor"] is False


def test_profile_image_uploaded_and_removed(apps: Any, backend: Backend) -> None:
    email, user_id = backend.new_user("image")
    app = apps()
    signed_in(app, email, "clerk.mount_user_profile('#a')")
    page = app.page
    page.get_by_role("button", name="Update profile").click()
    page.get_by_label("Profile image").set_input_files(files=[{"name": "me.png", "mimeType": "image/png",
                                                               "buffer": PNG}])
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_have_text("Your profile has been updated.")
    assert backend.user(user_id)["has_image"] is True
    assert app.run("clerk.user.has_image")
    page.get_by_role("button", name="Update profile").click()
    app.check("user_profile-image")
    page.get_by_role("button", name="Remove").click()
    expect(page.get_by_role("alert")).to_have_text("Your profile has been updated.")
    assert backend.user(user_id)["has_image"] is False


def test_a_sensitive_action_asks_to_verify_and_runs_once_more(apps: Any, backend: Backend, settings: Any,
                                                              clock: Any) -> None:
    settings({"reverification": {"enabled": True}})
    email, _ = backend.new_user("reverify")
    app = apps()
    signed_in(app, email, "clerk.mount_user_profile('#a')")
    clock(11 * 60)
    page = security(app)
    # Cancelled: the action does not happen.
    page.get_by_role("button", name="Add two-step verification").click()
    step = page.locator(".cl-reverification")
    expect(step.get_by_role("heading", name="Verification required")).to_be_visible()
    expect(step.get_by_text("Enter your current password to continue")).to_be_visible()
    assert app.focused()["label"] == "Password"
    app.check("user_profile-reverification")
    step.get_by_role("button", name="Cancel").click()
    expect(step).to_have_count(0)
    expect(page.get_by_role("heading", name="Add authenticator application")).to_have_count(0)
    # Answered: a wrong password is refused at its field, the right one completes and the action runs again.
    page.get_by_role("button", name="Update password").click()
    expect(page.get_by_label("Current password")).to_have_count(0)  # reverification stands for it, as in clerk-js
    page.get_by_label("New password").fill("reverified-password-1")
    page.get_by_label("Confirm password").fill("reverified-password-1")
    page.get_by_role("button", name="Save").click()
    expect(step).to_be_visible()
    step.get_by_label("Password").fill("not-the-password-1")
    step.get_by_role("button", name="Continue").click()
    assert "incorrect" in app.error_of("Password")
    step.get_by_label("Password").fill(PASSWORD)
    step.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("alert")).to_have_text("Your password has been updated.")
    expect(step).to_have_count(0)
    assert app.run(f"""
await clerk.sign_out()
again = await clerk.client.sign_in.create(identifier={email!r}, password="reverified-password-1")
again.status""") == "complete"


def test_sign_up_verified_by_phone_code(apps: Any, settings: Any, emu: LocalProcess) -> None:
    settings({"attributes": {"phone_number": {
        "enabled": True, "required": True, "used_for_first_factor": True, "first_factors": ["phone_code"],
        "verifications": ["phone_code"], "verify_at_sign_up": True}}})
    email = f"phone-up-{secrets.token_hex(4)}@example.com"
    phone = a_phone()
    app = apps()
    app.start("clerk.mount_sign_up('#a')")
    page = app.page
    page.get_by_label("Email address", exact=True).fill(email)
    page.get_by_label("Phone number", exact=True).fill(phone)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Continue", exact=True).click()
    expect(page.get_by_role("heading", name="Verify your email")).to_be_visible()
    page.keyboard.type(outbox_code(emu, email, "sign_up_code"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Verify your phone")).to_be_visible()
    expect(page.get_by_text(phone)).to_be_visible()
    assert app.focused()["label"] == "Verification code"
    app.check("sign_up-phone-code")
    page.keyboard.type(outbox_code(emu, phone, "sign_up_code"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=SIGNED_IN)).to_be_visible()
    assert app.run("[clerk.user.primary_email_address.email_address, clerk.user.phone_numbers[0].phone_number]") == [
        email, phone]


def test_sign_up_verified_by_an_email_link(apps: Any, settings: Any, emu: LocalProcess) -> None:
    settings({"attributes": {"email_address": {"verifications": ["email_link"]}}})
    email = f"link-up-{secrets.token_hex(4)}@example.com"
    app = apps()
    app.start("clerk.mount_sign_up('#a')")
    page = app.page
    page.get_by_label("Email address", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Continue", exact=True).click()
    expect(page.get_by_text("Use the verification link sent to your email address")).to_be_visible()
    app.check("sign_up-email-link-waiting")
    link = outbox_code(emu, email, None, field="link")
    other = app.context.new_page()
    app.recorder.attach_page(other)
    other.goto(link)
    other.wait_for_url(re.compile(r"/harness\.html.*"))
    # The first tab's wait sees the address verified and finishes the sign-up.
    expect(page.get_by_role("heading", name=SIGNED_IN)).to_be_visible(timeout=20_000)
    assert app.run("clerk.user.primary_email_address.email_address") == email


def test_reverification_asks_for_the_second_factor_of_a_user_with_one(apps: Any, backend: Backend, settings: Any,
                                                                       clock: Any) -> None:
    settings({"reverification": {"enabled": True}})
    email, _ = backend.new_user("reverify2")
    app = apps()
    signed_in(app, email, "clerk.mount_user_profile('#a')")
    secret = app.run("(await clerk.user.create_totp()).secret")
    app.run(f"await clerk.user.verify_totp(code={fresh_totp(secret)!r})\nNone")
    clock(11 * 60)
    page = security(app)
    page.get_by_role("button", name="Regenerate").click()
    step = page.locator(".cl-reverification")
    # Level second_factor for a user with one: the authenticator app's code (the next step's: the setup's code is
    # never accepted twice).
    expect(step.get_by_text("Enter the code generated by your authenticator app to continue")).to_be_visible()
    expect(step.get_by_label("Verification code")).to_be_focused()
    app.check("user_profile-reverification-totp")
    page.keyboard.type(totp(secret, int(time.time() // 30) + 1))
    page.keyboard.press("Enter")
    expect(page.locator(".cl-backupCodes li").first).to_be_visible()  # the action ran once more
    expect(step).to_have_count(0)
