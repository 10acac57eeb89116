"""The SignIn component in Chromium against the local instance, every step driven as a user would (keyboard or
mouse), axe-core on every screen and a screenshot of each under ``test-artifacts/components/``: password with errors
next to their fields, email code, OAuth through the provider's page with real redirects, password reset, an
authenticator-app second factor, an email link opened in a second tab, enterprise SSO, a sign-in token, and the
requests a sign-in sends (no more than the SDK by hand)."""

from __future__ import annotations

import re
import secrets
import time
from typing import Any

import components_support as kit
import httpx
from bapi_client import PASSWORD, Backend
from clerk_emulator.kit import LocalProcess
from components_support import App, fresh_totp, outbox_code, totp
from playwright.sync_api import expect

# The shared fixtures of the components' browser tests.
apps, backend, emu, settings = kit.apps, kit.backend, kit.emu, kit.settings
SIGNED_IN = "You are signed in"


def fapi_paths(app: App, since: int) -> list[str]:
    """Frontend API paths requested since ``since`` (query dropped)."""
    return [re.sub(r"\?.*", "", u.removeprefix(app.base)) for u in app.recorder.requests[since:]
            if u.startswith(app.base + "/v1/")]


def test_password_by_keyboard_with_errors_next_to_their_fields(apps: Any, backend: Backend) -> None:
    email, user_id = backend.new_user("kbd")
    app = apps()
    app.start("clerk.mount_sign_in('#a', sign_up_url='/sign-up')")
    page = app.page
    expect(page.get_by_role("heading", name="Sign in to Local Clerk instance")).to_be_visible()
    # Focus starts in the first field; the texts and names are clerk-js's (two providers: their names alone).
    assert app.focused()["label"] == "Email address or username"
    for name in ("Google", "GitHub", "Continue"):
        expect(page.get_by_role("button", name=name, exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Sign up")).to_have_attribute("href", "/sign-up")
    app.check("sign_in-start")

    page.keyboard.type(f"nobody-{secrets.token_hex(3)}@example.com")
    page.keyboard.press("Enter")
    expect(page.get_by_text("No account found with this identifier")).to_be_visible()
    assert app.error_of("Email address or username").startswith("No account found")
    focused = app.focused()
    assert focused["label"] == "Email address or username" and focused["invalid"] == "true"
    app.check("sign_in-start-error")

    page.keyboard.press("Control+A")
    page.keyboard.type(email)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Enter your password")).to_be_visible()
    assert app.focused()["label"] == "Password"
    expect(page.get_by_role("button", name="Forgot password?")).to_be_visible()
    expect(page.get_by_text(email)).to_be_visible()
    app.check("sign_in-password")

    page.keyboard.type("not-the-password-1")
    page.keyboard.press("Enter")
    expect(page.get_by_text("The password you entered is incorrect")).to_be_visible()
    assert app.error_of("Password").startswith("The password you entered is incorrect")
    assert app.focused()["label"] == "Password"
    app.check("sign_in-password-error")

    page.keyboard.press("Control+A")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=SIGNED_IN)).to_be_visible()
    expect(page.get_by_role("status")).to_have_text(f"Signed in as {email}")
    assert app.run("[clerk.user.id, clerk.is_signed_in]") == [user_id, True]
    app.check("sign_in-signed-in")


def test_a_sign_in_sends_what_the_sdk_sends_by_hand(apps: Any, backend: Backend) -> None:
    email, user_id = backend.new_user("requests")
    app = apps()
    app.start("clerk.mount_sign_in('#a')")
    mark = len(app.recorder.requests)
    app.page.get_by_label("Email address or username").fill(email)
    app.page.get_by_role("button", name="Continue", exact=True).click()
    app.page.get_by_label("Password", exact=True).fill(PASSWORD)
    app.page.get_by_role("button", name="Continue", exact=True).click()
    expect(app.page.get_by_role("heading", name=SIGNED_IN)).to_be_visible()
    # By hand: sign_in.create(identifier=…) then attempt_first_factor(strategy="password"): nothing else (no touch,
    # no reload, no environment).
    paths = fapi_paths(app, mark)
    assert paths[0] == "/v1/client/sign_ins" and re.fullmatch(r"/v1/client/sign_ins/sia_\w+/attempt_first_factor",
                                                               paths[1]), paths
    assert len(paths) == 2, paths
    assert app.run("clerk.user.id") == user_id


def test_email_code_with_the_mouse(apps: Any, backend: Backend, emu: LocalProcess) -> None:
    email, user_id = backend.new_user("code")
    app = apps()
    app.start("clerk.mount_sign_in('#a')")
    page = app.page
    page.get_by_label("Email address or username").click()
    page.get_by_label("Email address or username").fill(email)
    page.get_by_role("button", name="Continue", exact=True).click()
    page.get_by_role("button", name="Use another method").click()
    expect(page.get_by_role("heading", name="Use another method")).to_be_visible()
    app.check("sign_in-alternatives")
    page.get_by_role("button", name=f"Email code to {email}").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    code = outbox_code(emu, email, "sign_in_code")
    app.check("sign_in-email-code")
    wrong = "000000" if code != "000000" else "111111"
    page.get_by_label("Verification code").fill(wrong)
    page.get_by_role("button", name="Continue", exact=True).click()
    expect(page.get_by_text("Incorrect code")).to_be_visible()
    assert app.error_of("Verification code") == "Incorrect code"
    app.check("sign_in-email-code-error")
    page.get_by_label("Verification code").fill(code)
    page.get_by_role("button", name="Continue", exact=True).click()
    expect(page.get_by_role("heading", name=SIGNED_IN)).to_be_visible()
    assert app.run("clerk.user.id") == user_id
    # Signed out, the email code was the client's last strategy: the identifier field says "Last used".
    app.run("await clerk.sign_out()")
    assert app.run("clerk.client.last_authentication_strategy") == "email_code"
    expect(page.locator(".cl-formField .cl-lastAuthenticationStrategyBadge")).to_have_text("Last used")


def test_identifier_field_says_last_used_after_a_password_sign_in(apps: Any, backend: Backend,
                                                                  settings: Any) -> None:
    email, _user_id = backend.new_user("lastpw")
    app = apps()
    mount = "clerk.mount_sign_in('#a')"
    app.start(mount)
    page = app.page
    badges = page.locator(".cl-lastAuthenticationStrategyBadge")
    expect(page.get_by_role("heading", name="Sign in to Local Clerk instance")).to_be_visible()
    expect(badges).to_have_count(0)  # a fresh client has no last strategy
    page.get_by_label("Email address or username").fill(email)
    page.keyboard.press("Enter")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=SIGNED_IN)).to_be_visible()
    app.run("await clerk.sign_out()")
    assert app.run("clerk.client.last_authentication_strategy") == "password"
    # clerk-js's place: the label row of the identifier field, at its end; the social buttons have none. The field
    # keeps its name.
    expect(badges).to_have_count(1)
    row = page.locator(".cl-formFieldLabelRow")
    expect(row.locator(".cl-lastAuthenticationStrategyBadge")).to_have_text("Last used")
    expect(page.get_by_label("Email address or username", exact=True)).to_be_visible()
    label, badge = (row.locator(sel).bounding_box() or {} for sel in (".cl-formFieldLabel", ".cl-badge"))
    assert badge["x"] > label["x"] + label["width"] and abs(badge["y"] - label["y"]) < label["height"]
    app.check("sign_in-identifier-last-used")
    # With the "Use phone" switch in the label row there is no badge (as clerk-js's).
    settings({"attributes": {"phone_number": {"enabled": True, "used_for_first_factor": True,
                                              "first_factors": ["phone_code"], "verifications": ["phone_code"]}}})
    page.reload()
    app.booted().start(mount)
    expect(page.get_by_role("button", name="Use phone")).to_be_visible()
    expect(badges).to_have_count(0)


def test_oauth_through_the_provider_page_and_back(apps: Any) -> None:
    email = f"oauth-{secrets.token_hex(4)}@example.com"
    app = apps()
    mount = "clerk.mount_sign_in('#a', sign_up_url='/harness.html')"
    app.start(mount)
    app.leave_with(lambda: app.page.get_by_role("button", name="Google", exact=True).click(),
                   r"/__emulator/idp/google/authorize\?")
    app.page.get_by_label("Email", exact=True).fill(email)
    app.page.get_by_label("Name", exact=True).fill("Ada Lovelace")
    app.page.get_by_role("button", name="Continue").click()
    app.page.wait_for_url(re.compile(r"/harness\.html#/sso-callback$"))
    app.booted().start(mount)  # the page loaded again: the app mounts SignIn as on any load
    expect(app.page.get_by_role("heading", name=SIGNED_IN)).to_be_visible(timeout=20_000)
    # No account had this address: the callback turned the sign-in into a sign-up, then came back to this page.
    assert app.run("[clerk.user.primary_email_address.email_address, clerk.user.full_name]") == [email, "Ada Lovelace"]
    assert app.page.url == app.base + "/harness.html"
    app.check("sign_in-oauth-signed-in")
    # Signed out on this client, the last strategy comes first, "Continue with Google" and "Last used" (clerk-js's
    # SignIn); the one provider left says "Continue with GitHub".
    app.run("await clerk.sign_out()")
    buttons = app.page.locator(".cl-socialButtonsRoot button")
    expect(buttons).to_have_count(2)
    expect(buttons.nth(0)).to_have_accessible_name("Continue with Google Last used")
    expect(buttons.nth(1)).to_have_accessible_name("Continue with GitHub")
    app.check("sign_in-last-used")


def test_more_than_two_providers_as_icon_buttons(apps: Any, settings: Any) -> None:
    settings({"social": {"oauth_microsoft": {"enabled": True}}})
    app = apps()
    app.start("clerk.mount_sign_in('#a')")
    icons = app.page.locator(".cl-socialButtonsIconButton")
    expect(icons).to_have_count(3)
    # Three providers: icon buttons in one row, named "Continue with …" (clerk-js's aria-label), no visible words,
    # sorted by strategy as clerk-js's.
    for index, name in enumerate(("GitHub", "Google", "Microsoft")):
        expect(icons.nth(index)).to_have_accessible_name(f"Continue with {name}")
        expect(icons.nth(index)).to_have_text(name[0])
    boxes = [icons.nth(index).bounding_box() or {} for index in range(3)]
    assert len({round(box["y"]) for box in boxes}) == 1
    app.check("sign_in-icon-buttons")
    # Keyboard: Tab moves along the row, Enter goes to the provider.
    icons.nth(0).focus()
    app.page.keyboard.press("Tab")
    assert app.focused()["label"] == "Continue with Google"
    app.leave_with(lambda: app.page.keyboard.press("Enter"), r"/__emulator/idp/google/authorize\?")


def test_social_buttons_variant_from_the_appearance(apps: Any, settings: Any) -> None:
    # Two providers are blocks by default; "icon_button" makes them icons named "Continue with …".
    app = apps()
    app.start("clerk.mount_sign_in('#a', appearance={'layout': {'social_buttons_variant': 'icon_button'}})")
    page = app.page
    icons = page.locator(".cl-socialButtonsIconButton")
    expect(icons).to_have_count(2)
    expect(page.locator(".cl-socialButtonsBlockButton")).to_have_count(0)
    for index, name in enumerate(("GitHub", "Google")):
        expect(icons.nth(index)).to_have_accessible_name(f"Continue with {name}")
    app.check("sign_in-variant-icon-button")
    # Three are icons by default; "block" (clerk-js's value "blockButton" too) makes them blocks in one row.
    settings({"social": {"oauth_microsoft": {"enabled": True}}})
    page.reload()
    app.booted().start("clerk.mount_sign_in('#a', appearance={'layout': {'socialButtonsVariant': 'blockButton'}})")
    blocks = page.locator(".cl-socialButtonsBlockButton")
    expect(blocks).to_have_count(3)
    expect(icons).to_have_count(0)
    for index, name in enumerate(("GitHub", "Google", "Microsoft")):
        expect(blocks.nth(index)).to_have_accessible_name(name)
    assert len({round((blocks.nth(index).bounding_box() or {})["y"]) for index in range(3)}) == 1
    app.check("sign_in-variant-block")


def test_oauth_cancelled_shows_the_error_on_the_start_screen(apps: Any) -> None:
    app = apps()
    mount = "clerk.mount_sign_in('#a')"
    app.start(mount)
    app.leave_with(lambda: app.page.get_by_role("button", name="GitHub", exact=True).click(),
                   r"/__emulator/idp/github/authorize\?")
    app.page.get_by_role("button", name="Cancel").click()
    app.page.wait_for_url(re.compile(r"/harness\.html#/sso-callback$"))
    app.booted().start(mount)
    expect(app.page.get_by_role("heading", name="Sign in to Local Clerk instance")).to_be_visible(timeout=20_000)
    expect(app.page.get_by_role("alert")).not_to_be_empty()
    assert app.run("clerk.user") is None
    app.check("sign_in-oauth-cancelled")


def test_forgot_password_reset_code_and_new_password(apps: Any, backend: Backend, emu: LocalProcess) -> None:
    email, user_id = backend.new_user("reset")
    app = apps()
    app.start("clerk.mount_sign_in('#a')")
    page = app.page
    page.keyboard.type(email)
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Forgot password?").click()
    expect(page.get_by_role("heading", name="Forgot Password?")).to_be_visible()
    app.check("sign_in-forgot-password")
    page.get_by_role("button", name="Reset your password").click()
    expect(page.get_by_role("heading", name="Reset password")).to_be_visible()
    expect(page.get_by_text("First, enter the code sent to your email address")).to_be_visible()
    app.check("sign_in-reset-code")
    page.get_by_label("Reset password code").fill(outbox_code(emu, email, "reset_password_code"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Set new password")).to_be_visible()
    assert app.focused()["label"] == "New password"
    expect(page.get_by_role("checkbox", name="Sign out of all other devices")).to_be_checked()
    app.check("sign_in-new-password")
    page.keyboard.type("brand-new-password-7")
    page.keyboard.press("Tab")
    page.keyboard.type("brand-new-password-8")
    page.keyboard.press("Enter")
    assert app.error_of("Confirm password") == "Passwords don't match."
    app.check("sign_in-new-password-mismatch")
    page.get_by_label("Confirm password").fill("brand-new-password-7")
    page.get_by_role("button", name="Reset Password").click()
    expect(page.get_by_role("heading", name=SIGNED_IN)).to_be_visible()
    assert app.run(f"""
await clerk.sign_out()
again = await clerk.client.sign_in.create(identifier={email!r}, password="brand-new-password-7")
[again.status, clerk.user.id]""") == ["complete", user_id]


def test_authenticator_app_second_factor(apps: Any, backend: Backend) -> None:
    email, user_id = backend.new_user("totp")
    setup = apps()
    secret = setup.run(f"""
from clerk_frontend import Clerk
clerk = await Clerk({setup.emu.publishable_key!r}).load()
await clerk.client.sign_in.create(identifier={email!r}, password={PASSWORD!r})
(await clerk.user.create_totp()).secret""")
    setup.run(f"await clerk.user.verify_totp(code={fresh_totp(secret)!r})\nNone")

    app = apps()
    app.start("clerk.mount_sign_in('#a')")
    page = app.page
    page.keyboard.type(email)
    page.keyboard.press("Enter")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Two-step verification")).to_be_visible()
    assert app.focused()["label"] == "Verification code"
    app.check("sign_in-totp")
    page.get_by_role("button", name="Use another method").click()
    expect(page.get_by_role("button", name="Use a backup code")).to_be_visible()
    app.check("sign_in-second-factor-alternatives")
    page.get_by_role("button", name="Use your authenticator app").click()
    page.keyboard.type(totp(secret, int(time.time() // 30) + 1))  # a code the previous sign-in did not use
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=SIGNED_IN)).to_be_visible()
    assert app.run("[clerk.user.id, clerk.session.factor_verification_age]") == [user_id, [0, 0]]


def test_email_link_opened_in_another_tab(apps: Any, backend: Backend, emu: LocalProcess) -> None:
    email, user_id = backend.new_user("link")
    app = apps()
    mount = "clerk.mount_sign_in('#a')"
    app.start(mount)
    page = app.page
    page.keyboard.type(email)
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Use another method").click()
    page.get_by_role("button", name=f"Email link to {email}").click()
    expect(page.get_by_text("Use the verification link sent to your email")).to_be_visible()
    app.check("sign_in-email-link-waiting")
    link = outbox_code(emu, email, "sign_in_link", field="link")

    other = app.context.new_page()
    app.recorder.attach_page(other)
    other.goto(link)
    other.wait_for_url(re.compile(r"/harness\.html\?__clerk_status=verified.*#/verify$|#/verify"))
    # The first tab's wait sees the link used and signs in.
    expect(page.get_by_role("heading", name=SIGNED_IN)).to_be_visible(timeout=20_000)
    assert app.run("clerk.user.id") == user_id
    # The tab the link opened: SignIn on #/verify finishes there too.
    from browser_harness import PyPage

    landing = App.__new__(App)
    landing.emu, landing.base, landing.context, landing.recorder = emu, app.base, app.context, app.recorder
    landing.py = PyPage(other, app.recorder)
    landing.booted().start(mount)
    expect(other.get_by_role("heading", name=SIGNED_IN)).to_be_visible(timeout=20_000)
    landing.check("sign_in-email-link-landing")


def test_enterprise_sso_by_the_email_domain(apps: Any) -> None:
    email = f"sso-{secrets.token_hex(4)}@enterprise.test"
    app = apps()
    mount = "clerk.mount_sign_in('#a')"
    app.start(mount)
    app.page.keyboard.type(email)
    app.leave_with(lambda: app.page.keyboard.press("Enter"), r"/__emulator/idp/")
    app.page.get_by_label("Name", exact=True).fill("Grace Hopper")
    app.page.get_by_role("button", name="Continue").click()
    app.page.wait_for_url(re.compile(r"/harness\.html#/sso-callback$"))
    app.booted().start(mount)
    expect(app.page.get_by_role("heading", name=SIGNED_IN)).to_be_visible(timeout=20_000)
    assert app.run("clerk.user.primary_email_address.email_address") == email


def test_sign_in_token_in_the_url(apps: Any, backend: Backend, emu: LocalProcess) -> None:
    _email, user_id = backend.new_user("token")
    token = backend.call("POST", "/sign_in_tokens", {"user_id": user_id})
    app = apps()
    app.page.goto(token["url"])  # the instance sends the browser to the sign-in page of the app with the ticket
    app.page.wait_for_url(re.compile(r"__clerk_ticket="))
    app.page.goto(app.page.url.replace(emu.fapi_url + "/sign-in", app.base + "/harness.html"))
    app.booted().start("clerk.mount_sign_in('#a')")
    expect(app.page.get_by_role("heading", name=SIGNED_IN)).to_be_visible(timeout=20_000)
    assert app.run("clerk.user.id") == user_id


def test_narrow_phone_screen(apps: Any, backend: Backend) -> None:
    app = apps(viewport={"width": 360, "height": 740})
    app.start("clerk.mount_sign_in('#a', sign_up_url='/sign-up')")
    expect(app.page.get_by_role("heading", name="Sign in to Local Clerk instance")).to_be_visible()
    assert app.page.evaluate("document.documentElement.scrollWidth") <= 360
    box = app.page.locator(".cl-cardBox").bounding_box()
    assert box is not None and box["width"] <= 360
    # The two social buttons go one under the other (side by side from 480 px up), as clerk-js's.
    upper, lower = (app.page.get_by_role("button", name=name, exact=True).bounding_box() or {}
                    for name in ("GitHub", "Google"))
    assert lower["y"] >= upper["y"] + upper["height"] and lower["x"] == upper["x"]
    app.check("sign_in-360px")


def test_loading_then_ready_when_mounted_before_load(apps: Any) -> None:
    app = apps()
    app.run(f"""
import js
from clerk_frontend import Clerk
host = js.document.createElement("div"); host.id = "a"; js.document.body.append(host)
clerk = Clerk({app.emu.publishable_key!r})
clerk.mount_sign_in("#a")
[js.document.querySelector("#a").textContent]""")
    expect(app.page.get_by_text("Loading…")).to_be_visible()
    app.run("await clerk.load()\nNone")
    expect(app.page.get_by_role("heading", name="Sign in to Local Clerk instance")).to_be_visible()


def test_mount_errors_are_clear(apps: Any) -> None:
    app = apps()
    got = app.run(f"""
from clerk_frontend import Clerk, ClerkValidationError
clerk = await Clerk({app.emu.publishable_key!r}).load()
errors = []
for call in (lambda: clerk.mount_sign_in("#missing"), lambda: clerk.mount_sign_in("body", colour="red"),
             lambda: clerk.mount_sign_in("body", appearance={{"variables": {{"colorPrimary": "red;}} body{{x:y"}}}}),
             lambda: clerk.mount_sign_in("body", localization="xx-XX"),
             lambda: clerk.mount_sign_in("body", appearance={{"layout": {{"social_buttons_variant": "blocks"}}}})):
    try:
        call()
    except ClerkValidationError as exc:
        errors.append(exc.message)
errors""")
    assert len(got) == 5
    assert "no element matches '#missing'" in got[0]
    assert "unknown options ['colour']" in got[1]
    assert "colorPrimary" in got[2]
    assert "xx-XX" in got[3]
    assert "'social_buttons_variant': 'auto', 'block' or 'icon_button'}, got {'social_buttons_variant': 'blocks'}" \
        in got[4]
    assert httpx.get(app.base + "/v1/environment").status_code == 200


def test_new_device_code_when_client_trust_is_on(apps: Any, backend: Backend, emu: LocalProcess,
                                                 settings: Any) -> None:
    settings({"client_trust": {"enabled": True}})
    email, user_id = backend.new_user("trust")
    app = apps()
    app.start("clerk.mount_sign_in('#a')")
    page = app.page
    page.keyboard.type(email)
    page.keyboard.press("Enter")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_text("You're signing in from a new device.")).to_be_visible()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    app.check("sign_in-client-trust")
    page.get_by_label("Verification code").fill(outbox_code(emu, email, "second_factor_code"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=SIGNED_IN)).to_be_visible()
    assert app.run("clerk.user.id") == user_id


def test_sign_in_in_a_modal_closes_it(apps: Any, backend: Backend) -> None:
    email, user_id = backend.new_user("modal-sign-in")
    app = apps()
    app.start("opener = js.document.createElement('button')\nopener.textContent = 'Open'\n"
              "js.document.body.append(opener)")
    page = app.page
    page.get_by_role("button", name="Open").focus()
    app.run("clerk.open_sign_in()")
    dialog = page.get_by_role("dialog", name="Sign in to Local Clerk instance")
    expect(dialog).to_be_visible()
    assert app.focused()["label"] == "Email address or username"
    app.check("sign_in-modal")
    page.keyboard.type(email)
    page.keyboard.press("Enter")
    expect(dialog).to_have_count(0)  # the screen changed: the dialog is now named by the password heading
    page.get_by_role("dialog", name="Enter your password").get_by_label("Password", exact=True).fill(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("dialog")).to_have_count(0)
    assert app.focused()["text"] == "Open"  # focus back where it was
    assert app.run("clerk.user.id") == user_id
