"""Browser layer: Debian's Chromium driven by Playwright, Python running in Pyodide.

Fixtures:

* ``browser`` (session) - headless Chromium from ``/usr/bin/chromium``.
* ``open_page(path)`` - a fresh context + page on the static server, with every
  request and console line recorded.
* ``py_page`` (module) - the harness page with Pyodide and ``clerk_frontend``
  loaded once; ``py_page.run(code)`` runs Python (top-level ``await`` allowed)
  and returns the value of the last expression, JSON-converted, or raises
  :class:`PythonFailure` with the Python traceback and the browser console.

Every test fails if any request recorded during it went anywhere but 127.0.0.0/8.
"""

from __future__ import annotations

import ipaddress
import json
import os
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import versions
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
from serve import StaticServer

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
BOOT_TIMEOUT_MS = 120_000


def is_loopback_url(url: str) -> bool:
    """True for URLs that cannot leave the machine (127.0.0.0/8 or no network at all)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme in ("data", "blob", "about", "chrome-error"):
        return True
    try:
        return ipaddress.ip_address(parts.hostname or "").version == 4 and \
            ipaddress.ip_address(parts.hostname or "") in ipaddress.ip_network("127.0.0.0/8")
    except ValueError:
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


_recorders: list[Recorder] = []


class PythonFailure(AssertionError):
    """Python code run in the page raised; carries the traceback and the console."""


@dataclass
class PyPage:
    """A page with Pyodide booted; runs Python snippets in the page's global namespace."""

    page: Page
    recorder: Recorder

    def run(self, code: str, timeout_ms: int = 60_000) -> Any:
        self.page.set_default_timeout(timeout_ms)
        result = self.page.evaluate("(code) => window.runPy(code)", code)
        if not result["ok"]:
            raise PythonFailure(
                f"Python in the page raised:\n{result['error']}\n--- browser console ---\n"
                f"{self.recorder.console_tail()}"
            )
        return json.loads(result["json"])


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not os.path.exists(versions.CHROMIUM):
        pytest.fail(f"{versions.CHROMIUM} is missing: run `make setup` (installs Debian's chromium)")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=versions.CHROMIUM, headless=True,
                                      args=versions.CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _new_page(browser: Browser, url: str) -> tuple[BrowserContext, Page, Recorder]:
    recorder = Recorder()
    _recorders.append(recorder)
    context = browser.new_context()
    recorder.attach(context)
    page = context.new_page()
    recorder.attach_page(page)
    page.goto(url)
    return context, page, recorder


@pytest.fixture
def open_page(browser: Browser, static_server: StaticServer) -> Iterator[Callable[[str], tuple[Page, Recorder]]]:
    """Open ``path`` of the static server in a fresh context (closed after the test)."""
    contexts: list[BrowserContext] = []

    def opener(path: str) -> tuple[Page, Recorder]:
        context, page, recorder = _new_page(browser, static_server.url + path)
        contexts.append(context)
        return page, recorder

    yield opener
    for context in contexts:
        context.close()


def boot_harness(browser: Browser, base_url: str, query: str = "") -> tuple[BrowserContext, PyPage]:
    """Open the harness page and wait until Pyodide and clerk_frontend are loaded."""
    context, page, recorder = _new_page(browser, f"{base_url}/harness.html{query}")
    page.wait_for_function("window.pyReady !== undefined", timeout=BOOT_TIMEOUT_MS)
    boot_error = page.evaluate("window.pyBootError")
    if boot_error:
        context.close()
        raise PythonFailure(f"Pyodide failed to boot: {boot_error}\n{recorder.console_tail()}")
    return context, PyPage(page, recorder)


@pytest.fixture(scope="module")
def py_page(browser: Browser, static_server: StaticServer) -> Iterator[PyPage]:
    """One booted harness page per test module."""
    context, pypage = boot_harness(browser, static_server.url)
    yield pypage
    context.close()


@pytest.fixture(autouse=True)
def _only_loopback_requests(request: pytest.FixtureRequest) -> Iterator[None]:
    marks = {id(r): len(r.requests) for r in _recorders}
    yield
    leaks = [u for r in _recorders for u in r.outside(marks.get(id(r), 0))]
    if leaks:
        pytest.fail(f"requests left 127.0.0.1 during {request.node.name}: {leaks[:10]}")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """On a failure, attach the console of every context seen so far to the report."""
    outcome = yield
    report = outcome.get_result()
    if report.failed and _recorders:
        text = "\n\n".join(r.console_tail() for r in _recorders[-3:])
        report.sections.append(("browser console", text))
