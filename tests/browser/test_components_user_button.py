"""The UserButton in Chromium against the local instance: nothing while signed out, the avatar after a sign-in
through a mounted SignIn, the popover driven by keyboard (Enter, arrows, Escape), sign-out from it updating the
mounted SignIn, "Manage account" opening UserProfile in a modal that keeps Tab inside and closes on Escape, and
switching between two signed-in accounts; axe-core on every screen, screenshots under ``test-artifacts/``."""

from __future__ import annotations

from typing import Any

import components_support as kit
from bapi_client import PASSWORD, Backend
from playwright.sync_api import expect

apps, backend, emu = kit.apps, kit.backend, kit.emu


def sign_in_with(app: Any, email: str) -> None:
    page = app.page
    page.get_by_label("Email address or username").fill(email)
    page.get_by_role("button", name="Continue", exact=True).click()
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Continue", exact=True).click()


def test_sign_out_from_the_user_button_updates_a_mounted_sign_in(apps: Any, backend: Backend) -> None:
    email, user_id = backend.new_user("button", first_name="Ada", last_name="Lovelace")
    app = apps()
    app.start("clerk.mount_user_button('#a')\nclerk.mount_sign_in('#b')")
    page = app.page
    trigger = page.get_by_role("button", name="Open user menu")
    expect(trigger).to_have_count(0)  # signed out: nothing at all
    sign_in_with(app, email)
    expect(page.get_by_role("heading", name="You are signed in")).to_be_visible()
    expect(trigger).to_be_visible()
    expect(trigger).to_have_attribute("aria-expanded", "false")
    app.check("user_button-closed")

    trigger.focus()
    page.keyboard.press("Enter")
    close = page.get_by_role("button", name="Close user menu")
    expect(close).to_have_attribute("aria-expanded", "true")
    popover = page.get_by_role("dialog", name=f"Account of {email}")
    expect(popover).to_be_visible()
    expect(popover.get_by_text("Ada Lovelace")).to_be_visible()
    assert app.focused()["text"] == "Manage account"
    app.check("user_button-open")
    page.keyboard.press("ArrowDown")
    assert app.focused()["text"] == "Sign out"
    page.keyboard.press("Escape")
    expect(popover).to_be_hidden()
    assert app.focused()["label"] == "Open user menu"

    page.keyboard.press("Enter")
    page.keyboard.press("End")
    page.keyboard.press("Home")
    page.keyboard.press("ArrowDown")
    assert app.focused()["text"] == "Sign out"
    page.keyboard.press("Enter")
    # The SignIn mounted on the same page follows the SDK: back to its first screen; the button is gone.
    expect(page.get_by_role("heading", name="Sign in to Local Clerk instance")).to_be_visible()
    expect(page.get_by_role("button", name="Open user menu")).to_have_count(0)
    expect(page.locator("#a [role=status]")).to_have_text("You are signed out")
    assert app.run("[clerk.user, clerk.session]") == [None, None]
    assert backend.call("GET", f"/sessions?user_id={user_id}&status=active") == []
    app.check("user_button-signed-out")


def test_manage_account_opens_the_profile_in_a_modal(apps: Any, backend: Backend) -> None:
    email, _ = backend.new_user("modal")
    app = apps()
    app.start(f"await clerk.client.sign_in.create(identifier={email!r}, password={PASSWORD!r})\n"
              "clerk.mount_user_button('#a')")
    page = app.page
    page.get_by_role("button", name="Open user menu").click()
    page.get_by_role("button", name="Manage account").click()
    dialog = page.get_by_role("dialog", name="Account")
    expect(dialog).to_be_visible()
    expect(dialog).to_have_attribute("aria-modal", "true")
    expect(dialog.get_by_role("heading", name="Profile details")).to_be_visible()
    app.check("user_profile-modal")
    # Tab and Shift+Tab stay inside the dialog.
    for key in ["Tab"] * 12 + ["Shift+Tab"] * 12:
        page.keyboard.press(key)
        assert page.evaluate("document.querySelector('dialog').contains(document.activeElement)"), key
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    assert app.focused()["label"] == "Open user menu"
    # And the close button closes it too.
    app.run("clerk.open_user_profile()")
    expect(page.get_by_role("dialog", name="Account")).to_be_visible()
    page.get_by_role("button", name="Close").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    # show_name: the name shown on the trigger starts its accessible name (axe: the visible label in the name).
    app.run("clerk.mount_user_button('#b', show_name=True)")
    named = page.get_by_role("button", name=f"{email}, Open user menu", exact=True)
    expect(named).to_contain_text(email)
    app.check("user_button-show-name")
    named.click()
    expect(page.get_by_role("button", name=f"{email}, Close user menu", exact=True)).to_be_visible()


def test_switch_between_two_signed_in_accounts(apps: Any, backend: Backend) -> None:
    first, first_id = backend.new_user("first")
    second, second_id = backend.new_user("second")
    app = apps()
    app.start("clerk.mount_user_button('#a')\nclerk.mount_sign_in('#b')")
    page = app.page
    sign_in_with(app, first)
    page.get_by_role("button", name="Sign in to another account").click()
    sign_in_with(app, second)
    subtitle = page.locator("#b .cl-headerSubtitle")
    expect(subtitle).to_have_text(f"Signed in as {second}")
    assert app.run("clerk.user.id") == second_id
    page.get_by_role("button", name="Open user menu").click()
    switch = page.get_by_role("button", name=f"Switch to {first}")
    expect(switch).to_be_visible()
    expect(page.get_by_role("button", name="Sign out of all accounts")).to_be_visible()
    app.check("user_button-two-accounts")
    switch.click()
    expect(subtitle).to_have_text(f"Signed in as {first}")
    assert app.run("clerk.user.id") == first_id
    page.get_by_role("button", name="Open user menu").click()
    page.get_by_role("button", name="Sign out of all accounts").click()
    expect(page.get_by_role("heading", name="Sign in to Local Clerk instance")).to_be_visible()
    assert app.run("len(clerk.client.signed_in_sessions)") == 0
