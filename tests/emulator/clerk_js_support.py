"""What the clerk-js browser tests share: the pinned @clerk/clerk-js bundle copied from the npm cache into a
folder the emulator serves (``--static``), Debian's Chromium, and a guard that records every request a browser
context makes and aborts any that leaves 127.0.0.0/8."""

from __future__ import annotations

import ipaddress
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]

# A page that loads clerk-js from the emulator's own origin. clerk-js reaches the http emulator through its
# ``proxyUrl`` option (``data-clerk-proxy-url``): with a proxy it builds ``<proxy>/v1/...`` URLs instead of
# ``https://<host from the publishable key>/v1/...``. ``{extra}`` is more markup after the clerk-js script.
PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>clerk-js against the local Clerk instance</title></head>
<body>
<script src="/clerk-js/clerk.browser.js" data-clerk-publishable-key="{pk}" data-clerk-proxy-url="{proxy}"
        crossorigin="anonymous"></script>
{extra}</body></html>
"""


def build_modules() -> Any:
    """``(versions, npm_deps)`` from ``build/`` (the pinned versions and the npm installer)."""
    sys.path.insert(0, str(ROOT / "build"))
    try:
        import npm_deps
        import versions
    finally:
        sys.path.pop(0)
    return versions, npm_deps


def is_loopback(url: str) -> bool:
    """True for URLs a test may reach: 127.0.0.0/8, localhost and in-browser schemes."""
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about", "chrome-error"):
        return True
    host = parts.hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host) in ipaddress.ip_network("127.0.0.0/8")
    except ValueError:
        return False


def copy_clerk_js(root: Path) -> Path:
    """Copy the browser build of the pinned clerk-js (and its lazily loaded chunks) to ``root/clerk-js``."""
    _versions, npm_deps = build_modules()
    dist = Path(npm_deps.ensure()) / "@clerk" / "clerk-js" / "dist"
    (root / "clerk-js").mkdir(parents=True, exist_ok=True)
    for item in dist.iterdir():
        if item.is_file() and "clerk.browser" in item.name:
            shutil.copy2(item, root / "clerk-js" / item.name)
    return root


@contextmanager
def chromium() -> Iterator[Any]:
    """Headless Debian Chromium (never a downloaded one) with the project's launch flags."""
    from playwright.sync_api import sync_playwright

    versions, _ = build_modules()
    if not Path(versions.CHROMIUM).exists():
        raise RuntimeError(f"Chromium not found at {versions.CHROMIUM} (Debian package 'chromium')")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=versions.CHROMIUM, args=versions.CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Traffic:
    """Every request of one browser context (``METHOD url``, with the form body of POSTs), what the guard
    aborted, the pages' console lines and the URLs their main frames showed."""

    requests: list[str] = field(default_factory=list)
    bodies: list[tuple[str, str]] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    navigations: list[str] = field(default_factory=list)

    def log(self) -> str:
        return "\n".join(self.requests + self.console)

    def watch_page(self, page: Any) -> Any:
        page.on("console", lambda msg: self.console.append(f"{msg.type}: {msg.text}"))
        page.on("pageerror", lambda err: self.console.append(f"pageerror: {err}"))
        page.on("framenavigated", lambda frame: frame.parent_frame is None and self.navigations.append(frame.url))
        return page


def guarded_context(browser: Any) -> tuple[Any, Traffic]:
    """A fresh browser context whose requests are recorded and may only reach loopback addresses."""
    context = browser.new_context()
    traffic = Traffic()

    def guard(route: Any) -> None:
        url = route.request.url
        if is_loopback(url):
            route.continue_()
        else:
            traffic.outside.append(url)
            route.abort()

    def record(req: Any) -> None:
        traffic.requests.append(f"{req.method} {req.url}")
        if req.method == "POST":
            traffic.bodies.append((req.url, req.post_data or ""))

    context.route("**/*", guard)
    context.on("request", record)
    context.on("page", traffic.watch_page)
    return context, traffic


# Playwright sets navigator.webdriver, and clerk-js refuses passkeys (passkey_not_supported) in a browser that
# says it is automated; pages that use passkeys report false instead (before any script of the page runs).
NOT_WEBDRIVER = "Object.defineProperty(Navigator.prototype, 'webdriver', {get: () => false, configurable: true});"


def virtual_authenticator(context: Any, page: Any) -> tuple[Any, str]:
    """Give ``page`` a platform authenticator through the Chrome DevTools Protocol (``WebAuthn.enable``,
    ``WebAuthn.addVirtualAuthenticator``): CTAP2, resident keys, user verification that always succeeds, presence
    simulated. Returns the CDP session and the authenticator id."""
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable", {"enableUI": False})
    added = cdp.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "internal", "hasResidentKey": True, "hasUserVerification": True,
        "isUserVerified": True, "automaticPresenceSimulation": True}})
    return cdp, str(added["authenticatorId"])
