"""clerk-js 6.40.0's own components as the reference of ours: the same local instance, the same settings, ours
mounted from Python in one browser context and clerk-js's (``@clerk/ui``'s ``ui.browser.js``, served by the
instance like the page) in another. Each step is saved side by side under ``test-artifacts/components/reference/``
and the visible labels and button names our components promise are looked up in both.

clerk-js 6.40.0 has no UI of its own: ``Clerk.load({ui: {ClerkUI}})`` takes the constructor that ``ui.browser.js``
defines (``window.__internal_ClerkUICtor``), which loads its chunks from its own folder, so everything stays on
127.0.0.1. The one outside address it asks for is each social provider's logo (``https://img.clerk.com/static/<id>
.svg``, hard-coded in @clerk/ui): a script run before the page's rewrites those image addresses to logos served by
the instance (a letter of our own), so no request ever names that host.
"""

from __future__ import annotations

import base64
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import components_support as kit
import httpx
import pytest
from bapi_client import PASSWORD, Backend
from browser_harness import new_page
from clerk_emulator.kit import LocalProcess
from components_support import ARTIFACTS, PAGES
from npm_deps import NODE_MODULES, unpacked
from playwright.sync_api import Browser, Locator, Page, expect

apps, backend, settings = kit.apps, kit.backend, kit.settings
OUT = ARTIFACTS / "reference"
NEW_PASSWORD = "reference-password-2"
# The settings both sides get: sign in with an email address (no username), a password, and Google alone ("Continue
# with Google"); TWO keeps GitHub too (the providers' names alone), THREE adds Microsoft (icon buttons).
TWO = {"attributes": {"username": {"enabled": False}}}
SETTINGS = {**TWO, "social": {"oauth_github": {"enabled": False}}}
THREE = {**TWO, "social": {"oauth_microsoft": {"enabled": True}}}

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>clerk-js 6.40.0 with @clerk/ui, against the local instance</title>
</head><body><main><div id="ref"></div></main>
<script src="/clerk-js/clerk.browser.js" data-clerk-publishable-key="{pk}" data-clerk-proxy-url="{proxy}"></script>
<script src="/clerk-ui/ui.browser.js"></script>
</body></html>
"""
# Before any script of the page: provider logos from the instance instead of img.clerk.com.
LOCAL_LOGOS = """(() => {
  const from = 'https://img.clerk.com/static/';
  const local = (v) => (typeof v === 'string' ? v.split(from).join('/provider-logos/') : v);
  // The logos are CSS backgrounds or masks (emotion inserts rules, or text in a style element in development)...
  const insertRule = CSSStyleSheet.prototype.insertRule;
  CSSStyleSheet.prototype.insertRule = function (rule, index) { return insertRule.call(this, local(rule), index); };
  const createTextNode = Document.prototype.createTextNode;
  Document.prototype.createTextNode = function (text) { return createTextNode.call(this, local(text)); };
  // ...or images.
  const setAttribute = Element.prototype.setAttribute;
  Element.prototype.setAttribute = function (name, value) { return setAttribute.call(this, name, local(value)); };
  const src = Object.getOwnPropertyDescriptor(HTMLImageElement.prototype, 'src');
  Object.defineProperty(HTMLImageElement.prototype, 'src', {...src, set(v) { src.set.call(this, local(v)); }});
})();"""
LOGO = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle cx="8" cy="8" r="8" fill="#888"/>'
        '<text x="8" y="12" font-size="10" text-anchor="middle" fill="#fff">{letter}</text></svg>')


@pytest.fixture(scope="module")
def emu(tmp_path_factory: pytest.TempPathFactory, bundle_dir: Path) -> Iterator[LocalProcess]:
    """The local instance serving the test pages, the bundle's Pyodide, clerk-js and @clerk/ui on one origin."""
    site = tmp_path_factory.mktemp("reference-site") / "site"
    shutil.copytree(bundle_dir / "pyodide", site / "pyodide")
    for page in PAGES.glob("*"):
        if page.is_file():
            shutil.copy(page, site / page.name)
    for folder, dist in (("clerk-js", NODE_MODULES / "@clerk" / "clerk-js" / "dist"),
                         ("clerk-ui", unpacked("@clerk/ui") / "dist")):
        (site / folder).mkdir()
        for item in dist.glob("*.js"):  # the browser builds and their chunks (not the ES modules below)
            shutil.copy(item, site / folder / item.name)
    (site / "provider-logos").mkdir()
    for provider in ("google", "github", "microsoft"):
        (site / "provider-logos" / f"{provider}.svg").write_text(LOGO.format(letter=provider[0].upper()))
    with LocalProcess(tmp_path_factory.mktemp("clerk-reference"), static_dir=site) as proc:
        (site / "clerk-js.html").write_text(PAGE.format(pk=proc.publishable_key, proxy=proc.fapi_url))
        yield proc


class ClerkJs:
    """A browser context on the clerk-js page, loaded with @clerk/ui's components."""

    def __init__(self, browser: Browser, emu: LocalProcess) -> None:
        self.context, self.page, self.recorder = new_page(browser, "about:blank")
        self.context.add_init_script(LOCAL_LOGOS)
        self.page.goto(emu.fapi_url + "/clerk-js.html")
        self.page.evaluate("async () => { await window.Clerk.load({ui: {ClerkUI: window.__internal_ClerkUICtor}}); }")
        assert self.page.evaluate("window.Clerk.loaded") is True

    def sign_in(self, email: str) -> None:
        self.page.evaluate("""async ([identifier, password]) => {
            const attempt = await window.Clerk.client.signIn.create({identifier, password});
            await window.Clerk.setActive({session: attempt.createdSessionId});
        }""", [email, PASSWORD])

    def mount(self, method: str, props: dict[str, Any] | None = None) -> None:
        self.page.evaluate("([method, props]) => window.Clerk[method](document.getElementById('ref'), props)",
                           [method, props or {}])


@pytest.fixture
def reference(browser: Browser, emu: LocalProcess) -> Iterator[Any]:
    """``reference()`` opens the clerk-js page in a fresh context."""
    opened: list[ClerkJs] = []

    def open_reference() -> ClerkJs:
        opened.append(ClerkJs(browser, emu))
        return opened[-1]

    yield open_reference
    for ref in opened:
        ref.context.close()


def control(page: Page, kind: str, name: str) -> Locator:
    """The visible control of ``kind`` (``field``: by its label; ``button``; ``action``: a button or a link)."""
    if kind == "field":
        found = page.get_by_label(name, exact=True)
    elif kind == "button":
        found = page.get_by_role("button", name=name, exact=True)
    else:
        found = page.get_by_role("button", name=name, exact=True).or_(page.get_by_role("link", name=name, exact=True))
    return found.locator("visible=true")


def same_words(ours: Page, theirs: Page, promised: list[tuple[str, str]], step: str) -> None:
    """Each promised control is shown by both, under the same name; both screens saved side by side."""
    for kind, name in promised:
        expect(control(theirs, kind, name)).to_have_count(1)  # clerk-js renders asynchronously: waits
        expect(control(ours, kind, name)).to_have_count(1)
    side_by_side(ours, theirs, step)


def side_by_side(ours: Page, theirs: Page, step: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    shots = {}
    for who, page in (("ours", ours), ("clerk-js", theirs)):
        path = OUT / f"{step}-{who}.png"
        page.screenshot(path=str(path), full_page=True)
        shots[who] = base64.b64encode(path.read_bytes()).decode()
    view = ours.context.new_page()
    view.set_content(
        "<!doctype html><body style='margin:0;display:flex;gap:16px;align-items:flex-start;font:14px sans-serif'>"
        + "".join(f"<figure style='margin:8px'><figcaption>{who}</figcaption><img src='data:image/png;base64,"
                  f"{data}'></figure>" for who, data in shots.items()) + "</body>")
    view.screenshot(path=str(OUT / f"{step}.png"), full_page=True)
    view.close()


def test_sign_in_and_sign_up_show_the_words_of_clerk_js(apps: Any, reference: Any, backend: Backend,
                                                        settings: Any) -> None:
    settings(SETTINGS)
    email, _ = backend.new_user("reference")
    ours, theirs = apps(), reference()
    ours.start("clerk.mount_sign_in('#a', sign_up_url='/sign-up')")
    theirs.mount("mountSignIn", {"signUpUrl": "/sign-up"})
    same_words(ours.page, theirs.page, [("field", "Email address"), ("button", "Continue"),
                                        ("button", "Continue with Google"), ("action", "Sign up")], "sign_in-start")
    for page in (ours.page, theirs.page):
        control(page, "field", "Email address").fill(email)
        control(page, "button", "Continue").click()
    same_words(ours.page, theirs.page, [("field", "Password"), ("action", "Forgot password?"),
                                        ("button", "Continue")], "sign_in-password")

    # SignUp on a fresh page of each (clerk-js's SignIn has moved its page's hash route on).
    ours, theirs = apps(), reference()
    ours.start("clerk.mount_sign_up('#a', sign_in_url='/sign-in')")
    theirs.mount("mountSignUp", {"signInUrl": "/sign-in"})
    same_words(ours.page, theirs.page, [("field", "Email address"), ("field", "Password"), ("button", "Continue"),
                                        ("button", "Continue with Google"), ("action", "Sign in")], "sign_up-start")


def test_social_buttons_follow_the_number_of_providers_as_clerk_js(apps: Any, reference: Any, settings: Any) -> None:
    # Two providers: block buttons with the provider's name alone (socialButtonsBlockButtonManyInView), on SignIn and
    # SignUp; three: icon buttons named "Continue with …" (socialButtonsBlockButton as their aria-label).
    settings(TWO)
    for mount, method, step in (("mount_sign_in", "mountSignIn", "sign_in"), ("mount_sign_up", "mountSignUp",
                                                                              "sign_up")):
        ours, theirs = apps(), reference()
        ours.start(f"clerk.{mount}('#a')")
        theirs.mount(method)
        same_words(ours.page, theirs.page, [("button", "Google"), ("button", "GitHub")], f"{step}-two-providers")
        for page in (ours.page, theirs.page):
            social_order(page, ["GitHub", "Google"])
    settings(THREE)
    ours, theirs = apps(), reference()
    ours.start("clerk.mount_sign_in('#a')")
    theirs.mount("mountSignIn")
    names = [("button", f"Continue with {name}") for name in ("GitHub", "Google", "Microsoft")]
    same_words(ours.page, theirs.page, names, "sign_in-three-providers")
    for page in (ours.page, theirs.page):
        social_order(page, [name for _kind, name in names])
        expect(page.get_by_text("Google", exact=True)).to_have_count(0)  # icons alone, no words

def social_order(page: Page, names: list[str]) -> None:
    """The social buttons, in this order (clerk-js sorts them by strategy), named ``names``."""
    buttons = page.locator(".cl-socialButtonsRoot button")
    expect(buttons).to_have_count(len(names))
    for index, name in enumerate(names):
        expect(buttons.nth(index)).to_have_accessible_name(name)


def test_user_button_and_user_profile_show_the_words_of_clerk_js(apps: Any, reference: Any, backend: Backend,
                                                                 settings: Any) -> None:
    settings(SETTINGS)
    email, _ = backend.new_user("reference-profile")
    ours, theirs = apps(), reference()
    ours.start(f"await clerk.client.sign_in.create(identifier={email!r}, password={PASSWORD!r})\n"
               "clerk.mount_user_button('#a')")
    theirs.sign_in(email)
    theirs.mount("mountUserButton")
    # The trigger, found by its name on both: "Open user menu", then "Close user menu" while the menu is open (read
    # from the attribute: with its menu open clerk-js leaves the rest of its page out of the accessibility tree).
    for page in (theirs.page, ours.page):
        control(page, "button", "Open user menu").click()
        expect(page.locator(".cl-userButtonTrigger")).to_have_attribute("aria-label", "Close user menu")
    same_words(ours.page, theirs.page, [("action", "Manage account"), ("action", "Sign out")], "user_button-menu")

    ours.run("clerk.unmount_user_button('#a')\nclerk.mount_user_profile('#b')")
    theirs.page.evaluate("window.Clerk.unmountUserButton(document.getElementById('ref'))")
    theirs.mount("mountUserProfile")
    same_words(ours.page, theirs.page, [("action", "Profile"), ("action", "Security")], "user_profile-account")
    # The page's titles and its sections' (clerk-js's are not all headings: looked up as visible text).
    for text in ("Profile details", "Profile", "Email addresses", "Connected accounts"):
        for page in (theirs.page, ours.page):
            expect(page.get_by_text(text, exact=True).locator("visible=true").first).to_be_visible()


def test_reverification_shows_the_words_of_clerk_js(apps: Any, reference: Any, backend: Backend, settings: Any,
                                                    emu: LocalProcess) -> None:
    settings({**SETTINGS, "reverification": {"enabled": True}})
    users = {who: backend.new_user(f"reference-reverify-{who}") for who in ("ours", "clerk-js")}
    ours, theirs = apps(), reference()
    ours.start(f"await clerk.client.sign_in.create(identifier={users['ours'][0]!r}, password={PASSWORD!r})\n"
               "clerk.mount_user_profile('#b')")
    theirs.sign_in(users["clerk-js"][0])
    theirs.mount("mountUserProfile")
    pages = {"ours": ours.page, "clerk-js": theirs.page}
    assert httpx.post(emu.fapi_url + "/__emulator/clock", json={"advance_seconds": 11 * 60}).status_code == 200
    try:
        for page in pages.values():
            control(page, "action", "Security").click()
            control(page, "action", "Update password").click()
            control(page, "field", "New password").fill(NEW_PASSWORD)
            # Under reverification (auth_config) both leave "Current password" out: the reverification stands for it.
            expect(control(page, "field", "Current password")).to_have_count(0)
            control(page, "field", "Confirm password").fill(NEW_PASSWORD)
            control(page, "button", "Save").click()
        same_words(ours.page, theirs.page, [("field", "Password"), ("button", "Continue"),
                                            ("action", "Use another method")], "reverification-password")
        for page in pages.values():
            expect(page.get_by_text("Enter your current password to continue", exact=True)).to_be_visible()
            control(page, "action", "Use another method").click()
            expect(page.get_by_text("Facing issues? You can use any of these methods for verification.",
                                    exact=True)).to_be_visible()
        for who, page in pages.items():
            expect(control(page, "button", f"Email code to {users[who][0]}")).to_have_count(1)
            expect(control(page, "action", "Back")).to_have_count(1)
        side_by_side(ours.page, theirs.page, "reverification-alternatives")
        # Back to the password, which both accept: the password change then completes on both sides.
        for page in pages.values():
            control(page, "action", "Back").click()
            control(page, "field", "Password").fill(PASSWORD)
            control(page, "button", "Continue").click()
            expect(page.get_by_text("Enter your current password to continue", exact=True)).to_have_count(0)
        for who, (_email, user_id) in users.items():
            assert password_becomes(backend, user_id, NEW_PASSWORD), f"{who}: the password was not changed"
        for page in pages.values():  # the form closed, back to the Security page
            expect(control(page, "action", "Update password")).to_have_count(1)
        side_by_side(ours.page, theirs.page, "reverification-done")
    finally:
        httpx.delete(emu.fapi_url + "/__emulator/clock")


def password_becomes(backend: Backend, user_id: str, password: str, timeout: float = 10) -> bool:
    """Whether the user's password is ``password`` within ``timeout`` seconds (the change follows the verification
    asynchronously on clerk-js's side)."""
    deadline = time.monotonic() + timeout
    while True:
        response = backend.http.post(f"/users/{user_id}/verify_password", json={"password": password})
        if response.status_code == 200 or time.monotonic() > deadline:
            return response.status_code == 200
        time.sleep(0.2)
