"""The components under a strict Content-Security-Policy (``pages/components_csp.html``: ``script-src 'self'
'wasm-unsafe-eval'``, ``style-src 'self'``, ``img-src 'self'``, ``connect-src 'self'``, nothing inline, no eval): a
sign-in through SignIn, the UserButton and the UserProfile modal work, their styles apply (one adopted stylesheet,
built through CSSOM, and the custom properties of an ``appearance``), the page reports no violation, and no element
of the components carries a ``style`` attribute or an inline event handler.

The SDK's default ``PyfetchTransport`` makes its JS helpers with ``pyodide.code.run_js``, which such a policy refuses
(it needs ``'unsafe-eval'``; see docs/components.md). Pyodide and the components need nothing of the kind, which
this test proves with a transport on plain ``pyfetch`` given through the SDK's public ``transport=`` option."""

from __future__ import annotations

from typing import Any

import components_support as kit
from bapi_client import PASSWORD, Backend
from playwright.sync_api import expect

apps, backend, emu = kit.apps, kit.backend, kit.emu

# A transport on pyodide.http.pyfetch alone (no JS made from text), as any app may give the SDK.
PLAIN_FETCH = """
from pyodide.http import pyfetch
from clerk_frontend import FapiResponse

class PlainFetch:
    blocking = False

    async def handle(self, request):
        body = request.body.decode("latin-1") if request.body is not None else None
        response = await pyfetch(request.url, method=request.method, headers=dict(request.headers), body=body,
                                 credentials="include")
        return FapiResponse(response.status, response.headers, await response.bytes())
"""

INLINE = """() => [...document.querySelectorAll("#a *, #b *, dialog, dialog *")]
    .filter(e => e.hasAttribute("style") || [...e.attributes].some(a => a.name.startsWith("on")))
    .map(e => e.outerHTML.slice(0, 80))"""


def test_sign_in_user_button_and_profile_under_a_strict_policy(apps: Any, backend: Backend) -> None:
    email, user_id = backend.new_user("csp")
    app = apps("/components_csp.html")
    assert app.page.evaluate("document.querySelector('meta[http-equiv]').content").startswith("default-src 'none'")
    # The default transport's eval is refused here, with a clear error (the policy is really in force).
    refused = app.run(f"""
from clerk_frontend import Clerk, ClerkNetworkError
try:
    await Clerk({app.emu.publishable_key!r}).load()
    refused = None
except Exception as exc:
    refused = str(exc)
refused""")
    assert refused is not None and "unsafe-eval" in refused
    app.page.evaluate("window.cspViolations.length = 0")
    app.run(PLAIN_FETCH)
    app.start("clerk.mount_sign_in('#a')\n"
              "clerk.mount_user_button('#b', appearance={'variables': {'colorPrimary': '#6c47ff'}})",
              options=", transport=PlainFetch()")
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
    trigger = page.get_by_role("button", name="Open user button")
    assert trigger.locator(".cl-avatarBox").evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(108, 71, 255)"
    trigger.click()
    page.get_by_role("button", name="Manage account").click()
    expect(page.get_by_role("dialog", name="Account")).to_be_visible()
    app.check("csp-user-profile")
    assert page.evaluate(INLINE) == []
    assert page.evaluate("window.cspViolations") == []
    assert page.evaluate("document.adoptedStyleSheets.length") == 1
    assert page.evaluate("document.querySelectorAll('style').length") == 0
