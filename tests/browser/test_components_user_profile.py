"""The UserProfile component in Chromium against the local instance: name, an added email verified by a code from
the outbox, made primary, the old one removed; the password with its error next to "Current password"; an
authenticator app set up with a code computed from its secret; active devices; a custom page rendered by a Python
callback; deleting the account. axe-core on every screen, screenshots under ``test-artifacts/components/``."""

from __future__ import annotations

import re
import secrets
from typing import Any

import components_support as kit
from bapi_client import PASSWORD, Backend
from clerk_emulator.kit import LocalProcess
from components_support import fresh_totp, outbox_code
from playwright.sync_api import expect

apps, backend, emu = kit.apps, kit.backend, kit.emu


def signed_in(app: Any, email: str, mounts: str) -> None:
    app.start(f"await clerk.client.sign_in.create(identifier={email!r}, password={PASSWORD!r})\n{mounts}")


def test_name_email_and_password(apps: Any, backend: Backend, emu: LocalProcess) -> None:
    email, user_id = backend.new_user("profile")
    app = apps()
    signed_in(app, email, "clerk.mount_user_profile('#a')")
    page = app.page
    expect(page.get_by_role("heading", name="Profile details")).to_be_visible()
    expect(page.get_by_role("button", name="Profile", exact=True)).to_have_attribute("aria-current", "page")
    app.check("user_profile-account")

    page.get_by_role("button", name="Update profile").click()
    assert app.focused()["label"] == "First name"
    page.keyboard.type("Ada")
    page.keyboard.press("Tab")
    page.keyboard.type("Lovelace")
    app.check("user_profile-update-profile")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_have_text("Your profile has been updated.")
    expect(page.get_by_text("Ada Lovelace")).to_be_visible()
    assert backend.user(user_id)["first_name"] == "Ada"

    added = f"second-{secrets.token_hex(4)}@example.com"
    page.get_by_role("button", name="Add email address").click()
    page.keyboard.type(added)
    page.keyboard.press("Enter")
    expect(page.get_by_text(f"Enter the verification code sent to {added}")).to_be_visible()
    assert app.focused()["label"] == "Verification code"
    app.check("user_profile-verify-email")
    page.keyboard.type(outbox_code(emu, added, "verification_code"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_have_text(f"The email {added} has been added to your account.")
    page.get_by_role("button", name="Set as primary").click()
    expect(page.locator(".cl-profileSectionItem", has_text=added).get_by_text("Primary")).to_be_visible()
    page.locator(".cl-profileSectionItem", has_text=email).get_by_role("button", name="Remove email").click()
    expect(page.get_by_role("alert")).to_have_text(f"{email} has been removed from your account.")
    assert [e["email_address"] for e in backend.user(user_id)["email_addresses"]] == [added]

    page.get_by_role("button", name="Security", exact=True).click()
    expect(page.get_by_role("heading", name="Security", level=2)).to_be_visible()
    expect(page.get_by_text("This device")).to_be_visible()
    app.check("user_profile-security")
    page.get_by_role("button", name="Update password").click()
    page.get_by_label("Current password").fill("not-my-password-1")
    page.get_by_label("New password").fill("a-new-password-77")
    page.get_by_label("Confirm password").fill("a-new-password-77")
    page.get_by_role("checkbox", name="Sign out of all other devices").uncheck()
    page.get_by_role("button", name="Save").click()
    assert "incorrect" in app.error_of("Current password")
    app.check("user_profile-password-error")
    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_have_text("Your password has been updated.")
    assert app.run(f"""
await clerk.sign_out()
again = await clerk.client.sign_in.create(identifier={added!r}, password="a-new-password-77")
again.status""") == "complete"


def test_authenticator_app_and_backup_codes(apps: Any, backend: Backend) -> None:
    email, user_id = backend.new_user("mfa")
    app = apps()
    signed_in(app, email, "clerk.mount_user_profile('#a')")
    page = app.page
    page.get_by_role("button", name="Security", exact=True).click()
    page.get_by_role("button", name="Add two-step verification").click()
    expect(page.get_by_role("heading", name="Add authenticator application")).to_be_visible()
    secret = page.locator(".cl-totpSecret").inner_text()
    assert page.locator(".cl-totpUri").inner_text().startswith("otpauth://totp/")
    app.check("user_profile-totp-setup")
    page.get_by_label("Verification code").fill(fresh_totp(secret))
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_text("Authenticator application", exact=True)).to_be_visible()  # the enabled row
    assert backend.user(user_id)["totp_enabled"] is True
    page.get_by_role("button", name="Regenerate").click()
    expect(page.locator(".cl-backupCodes li").first).to_be_visible()
    assert page.locator(".cl-backupCodes li").count() >= 5
    app.check("user_profile-backup-codes")
    page.locator(".cl-profileSectionItem", has_text="Authenticator application").get_by_role(
        "button", name="Remove").click()
    expect(page.get_by_role("button", name="Add two-step verification")).to_be_visible()
    assert backend.user(user_id)["totp_enabled"] is False


def test_custom_page_in_french(apps: Any, backend: Backend) -> None:
    email, _ = backend.new_user("custom")
    app = apps()
    signed_in(app, email, """
import js
from pyodide.ffi import create_proxy

def preferences(element):
    button = js.document.createElement("button")
    button.textContent = "Dark theme"
    async def dark(_event):
        await clerk.user.update_metadata(unsafe_metadata={"theme": "dark"})
        button.textContent = "Saved"
    button.addEventListener("click", create_proxy(dark))
    element.append(button)

clerk.mount_user_profile('#a', localization="fr-FR",
                         custom_pages=[{"label": "Preferences", "url": "preferences", "render": preferences}])""")
    page = app.page
    expect(page.get_by_role("heading", name="Détails du profil")).to_be_visible()
    for name in ("Profil", "Sécurité", "Preferences"):
        expect(page.get_by_role("button", name=name, exact=True)).to_be_visible()
    page.get_by_role("button", name="Preferences").click()
    expect(page.get_by_role("heading", name="Preferences", level=2)).to_be_visible()
    page.get_by_role("button", name="Dark theme").click()
    expect(page.get_by_role("button", name="Saved")).to_be_visible()
    assert app.run("clerk.user.unsafe_metadata") == {"theme": "dark"}
    app.check("user_profile-custom-page-fr")


def test_delete_account(apps: Any, backend: Backend) -> None:
    email, user_id = backend.new_user("delete")
    app = apps()
    signed_in(app, email, "clerk.mount_user_profile('#a')\nclerk.mount_sign_in('#b')")
    page = app.page
    page.get_by_role("button", name="Security", exact=True).click()
    page.locator("#a").get_by_role("button", name="Delete account").click()
    expect(page.get_by_text("Are you sure you want to delete your account?")).to_be_visible()
    page.get_by_label("Confirmation").fill("delete it")
    page.locator("#a form").get_by_role("button", name="Delete account").click()
    assert app.error_of("Confirmation") == 'Type "Delete account" below to continue.'
    app.check("user_profile-delete")
    page.get_by_label("Confirmation").fill("Delete account")
    page.locator("#a form").get_by_role("button", name="Delete account").click()
    expect(page.get_by_role("heading", name="Sign in to Local Clerk instance")).to_be_visible()
    expect(page.locator("#a .cl-navbar")).to_have_count(0)
    response = backend.http.get(f"/users/{user_id}")
    assert response.status_code == 404


def test_connect_an_account_through_the_provider_page(apps: Any, backend: Backend) -> None:
    email, user_id = backend.new_user("connect")
    app = apps()
    mount = "clerk.mount_user_profile('#a')"
    signed_in(app, email, mount)
    page = app.page
    page.get_by_role("button", name="Connect account").click()
    expect(page.get_by_text("Select a provider to connect your account.")).to_be_visible()
    app.check("user_profile-connect")
    app.leave_with(lambda: page.get_by_role("button", name="GitHub", exact=True).click(),
                   r"/__emulator/idp/github/authorize\?")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Name", exact=True).fill("Connected User")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r"/harness\.html$"))
    app.booted().start(mount)  # the same client, signed in: the profile lists the new account
    row = page.locator(".cl-profileSectionItem", has_text="GitHub")
    expect(row).to_contain_text(email)
    assert [a["provider"] for a in backend.user(user_id)["external_accounts"]] in (["github"], ["oauth_github"])
    row.get_by_role("button", name="Remove").click()
    expect(page.get_by_role("alert")).to_have_text("GitHub has been removed from your account.")
    assert backend.user(user_id)["external_accounts"] == []


def test_the_profile_modal_closes_when_the_account_is_deleted(apps: Any, backend: Backend) -> None:
    email, _ = backend.new_user("modal-delete")
    app = apps()
    signed_in(app, email, "clerk.open_user_profile()")
    page = app.page
    dialog = page.get_by_role("dialog", name="Account")
    dialog.get_by_role("button", name="Security", exact=True).click()
    dialog.get_by_role("button", name="Delete account").click()
    dialog.get_by_label("Confirmation").fill("Delete account")
    dialog.locator("form").get_by_role("button", name="Delete account").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    assert app.run("clerk.user") is None
