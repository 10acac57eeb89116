"""The components under a strict Content-Security-Policy (``pages/components_csp.html``: ``script-src 'self'
'wasm-unsafe-eval'``, ``style-src 'self'``, ``img-src 'self'``, ``connect-src 'self'``, nothing inline, no eval): a
sign-in through SignIn, the UserButton and the UserProfile modal work, their styles apply (one adopted stylesheet,
built through CSSOM, and the custom properties of an ``appearance``), the page reports no violation, and no element
of the components carries a ``style`` attribute or an inline event handler.

The SDK runs on its default transport: ``PyfetchTransport`` tries its JS helpers (``pyodide.code.run_js``) once,
is refused (one ``script-src eval`` report, nothing executed) and sends every request with plain ``pyfetch``;
``SyncXHRTransport`` makes no JS from text at all."""

from __future__ import annotations

from typing import Any

import components_support as kit
from bapi_client import PASSWORD, Backend
from playwright.sync_api import expect

apps, backend, emu = kit.apps, kit.backend, kit.emu

INLINE = """() => [...document.querySelectorAll("#a *, #b *, dialog, dialog *")]
    .filter(e => e.hasAttribute("style") || [...e.attributes].some(a => a.name.startsWith("on")))
    .map(e => e.outerHTML.slice(0, 80))"""


def test_sign_in_user_button_and_profile_under_a_strict_policy(apps: Any, backend: Backend) -> None:
    email, user_id = backend.new_user("csp")
    app = apps("/components_csp.html")
    assert app.page.evaluate("document.querySelector('meta[http-equiv]').content").startswith("default-src 'none'")
    # Eval really is refused here (the policy is in force), and the default transport copes with it.
    assert "unsafe-eval" in app.run("""
from pyodide.code import run_js
from pyodide.ffi import JsException
try:
    run_js("1")
    refused = ""
except JsException as exc:
    refused = str(exc)
refused""")
    app.page.evaluate("window.cspViolations.length = 0")
    app.start("clerk.mount_sign_in('#a')\n"
              "clerk.mount_user_button('#b', appearance={'variables': {'colorPrimary': '#6c47ff'}})")
    assert app.run("type(clerk.transport).__name__") == "PyfetchTransport"
    # Its one try of eval, refused (reported by the browser, nothing run); no other violation follows.
    assert [v.split(" ")[:2] for v in app.page.evaluate("window.cspViolations")] == [["script-src", "eval"]]
    app.page.evaluate("window.cspViolations.length = 0")
    page = app.page
    button = page.get_by_role("button", name="Continue", exact=True)
    # The stylesheet applies: the primary button has the default primary colour and the card its radius.
    assert button.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(47, 48, 55)"
    assert page.locator(".cl-cardBox").evaluate("e => getComputedStyle(e).borderRadius") == "12px"
    page.get_by_label("Email address or username").fill(email)
    button.click()
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Continue", exact=True).click()
    expect(page.get_by_role("heading", name="You are signed in")).to_be_visible()
    assert app.run("clerk.user.id") == user_id
    # The appearance of the second component: its own custom properties, in a rule added through CSSOM.
    trigger = page.get_by_role("button", name="Open user menu")
    assert trigger.locator(".cl-avatarBox").evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(108, 71, 255)"
    trigger.click()
    page.get_by_role("button", name="Manage account").click()
    expect(page.get_by_role("dialog", name="Account")).to_be_visible()
    app.check("csp-user-profile")
    assert page.evaluate(INLINE) == []
    assert page.evaluate("window.cspViolations") == []
    assert page.evaluate("document.adoptedStyleSheets.length") == 1
    assert page.evaluate("document.querySelectorAll('style').length") == 0
