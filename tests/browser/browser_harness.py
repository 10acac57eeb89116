"""Helpers of the browser layer: request recording and running Python in a page."""

from __future__ import annotations

import ipaddress
import json
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

from playwright.sync_api import Browser, BrowserContext, Page

LOOPBACK = ipaddress.ip_network("127.0.0.0/8")
BOOT_TIMEOUT_MS = 120_000


def is_loopback_url(url: str) -> bool:
    """True for URLs that cannot leave the machine (127.0.0.0/8, ``localhost``, or no network at all)."""
    parts = urllib.parse.urlsplit(url)
    # Chromium answers localhost with loopback itself, never asking DNS (passkey tests need a host name).
    if parts.scheme in ("data", "blob", "about", "chrome-error") or parts.hostname == "localhost":
        return True
    try:
        return ipaddress.ip_address(parts.hostname or "") in LOOPBACK
    except ValueError:  # a host name, not an address: only 127.0.0.0/8 is allowed
        return False


@dataclass
class Recorder:
    """Every request and console line of one browser context."""

    requests: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)

    def attach(self, context: BrowserContext) -> None:
        context.on("request", lambda req: self.requests.append(req.url))
        context.on("requestfailed", lambda req: self.failed.append(f"{req.url}: {req.failure}"))

    def attach_page(self, page: Page) -> None:
        page.on("console", lambda msg: self.console.append(f"[{msg.type}] {msg.text}"))
        page.on("pageerror", lambda err: self.console.append(f"[pageerror] {err}"))

    def outside(self, since: int = 0) -> list[str]:
        return [u for u in self.requests[since:] if not is_loopback_url(u)]

    def console_tail(self, n: int = 40) -> str:
        return "\n".join(self.console[-n:]) or "(no console output)"


class PythonFailure(AssertionError):
    """Python code run in the page raised; carries the traceback and the console."""


@dataclass
class PyPage:
    """A page with Pyodide booted; runs Python snippets in the page's global namespace."""

    page: Page
    recorder: Recorder
    crashed: bool = False

    def watch(self) -> None:
        """Note a renderer crash, so a fixture can boot a fresh page before the next test."""
        self.page.on("crash", lambda _page: setattr(self, "crashed", True))

    def run(self, code: str, timeout_ms: int = 60_000) -> Any:
        self.page.set_default_timeout(timeout_ms)
        result = self.page.evaluate("(code) => window.runPy(code)", code)
        if not result["ok"]:
            raise PythonFailure(
                f"Python in the page raised:\n{result['error']}\n--- browser console ---\n"
                f"{self.recorder.console_tail()}"
            )
        return json.loads(result["json"])


# Recorders of every context opened in this session; the browser conftest checks them after each test.
RECORDERS: list[Recorder] = []


def new_page(browser: Browser, url: str) -> tuple[BrowserContext, Page, Recorder]:
    """A fresh context and page at ``url``, recorded (see :data:`RECORDERS`)."""
    recorder = Recorder()
    RECORDERS.append(recorder)
    context = browser.new_context()
    recorder.attach(context)
    page = context.new_page()
    recorder.attach_page(page)
    page.goto(url)
    return context, page, recorder


def boot_harness(browser: Browser, base_url: str, query: str = "") -> tuple[BrowserContext, PyPage]:
    """Open the harness page and wait until Pyodide and clerk_frontend are loaded."""
    context, page, recorder = new_page(browser, f"{base_url}/harness.html{query}")
    page.wait_for_function("window.pyReady !== undefined", timeout=BOOT_TIMEOUT_MS)
    boot_error = page.evaluate("window.pyBootError")
    if boot_error:
        context.close()
        raise PythonFailure(f"Pyodide failed to boot: {boot_error}\n{recorder.console_tail()}")
    pypage = PyPage(page, recorder)
    pypage.watch()
    return context, pypage
