"""Browser layer: Debian's Chromium driven by Playwright, Python running in Pyodide.

Fixtures:

* ``browser`` (module) - headless Chromium from ``/usr/bin/chromium``.
* ``open_page(path)`` - a fresh context + page on the static server, with every
  request and console line recorded.
* ``emu`` / ``backend`` (module) - a local Clerk instance and its Backend API.
* ``py_page`` (module) - the harness page with Pyodide and ``clerk_frontend``
  loaded once; ``py_page.run(code)`` runs Python (top-level ``await`` allowed)
  and returns the value of the last expression, JSON-converted, or raises
  :class:`PythonFailure` with the Python traceback and the browser console.

Every test fails if any request recorded during it went anywhere but 127.0.0.0/8.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import versions
from bapi_client import Backend
from browser_harness import RECORDERS, PyPage, Recorder, boot_harness, new_page
from clerk_emulator.kit import LocalProcess
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
from serve import StaticServer


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    # Module scope on purpose: Playwright's sync API keeps an event loop marked as running on this
    # thread while it is open, which would break the asyncio-based layers that run after this one.
    if not os.path.exists(versions.CHROMIUM):
        pytest.fail(f"{versions.CHROMIUM} is missing: run `make setup` (installs Debian's chromium)")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=versions.CHROMIUM, headless=True,
                                      args=versions.CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def emu(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalProcess]:
    """A local Clerk instance per test module (a module needing other options defines its own ``emu``)."""
    with LocalProcess(tmp_path_factory.mktemp("clerk-browser")) as proc:
        yield proc


@pytest.fixture(scope="module")
def backend(emu: LocalProcess) -> Iterator[Backend]:
    """The Backend API of this module's instance."""
    api = Backend(emu)
    yield api
    api.close()


@pytest.fixture
def open_page(browser: Browser, static_server: StaticServer) -> Iterator[Callable[[str], tuple[Page, Recorder]]]:
    """Open ``path`` of the static server in a fresh context (closed after the test)."""
    contexts: list[BrowserContext] = []

    def opener(path: str) -> tuple[Page, Recorder]:
        context, page, recorder = new_page(browser, static_server.url + path)
        contexts.append(context)
        return page, recorder

    yield opener
    for context in contexts:
        context.close()


@pytest.fixture(scope="module")
def py_page(browser: Browser, static_server: StaticServer) -> Iterator[PyPage]:
    """One booted harness page per test module (replaced in place if its renderer crashed)."""
    context, pypage = boot_harness(browser, static_server.url)
    contexts = [context]

    def revive() -> None:
        fresh_context, fresh = boot_harness(browser, static_server.url)
        contexts.append(fresh_context)
        pypage.page, pypage.recorder, pypage.crashed = fresh.page, fresh.recorder, False
        pypage.watch()

    pypage.revive = revive  # type: ignore[attr-defined]
    yield pypage
    for ctx in contexts:
        ctx.close()


@pytest.fixture(autouse=True)
def _revive_crashed_page(request: pytest.FixtureRequest) -> None:
    # A Chromium renderer crash (seen rarely on a loaded 2-core machine) kills the module's page; the
    # test is re-run once (see tests/conftest.py) and must start from a freshly booted one.
    if "py_page" in request.fixturenames:
        pypage = request.getfixturevalue("py_page")
        if pypage.crashed:
            pypage.revive()


@pytest.fixture(autouse=True)
def _only_loopback_requests(request: pytest.FixtureRequest) -> Iterator[None]:
    marks = {id(r): len(r.requests) for r in RECORDERS}
    yield
    leaks = [u for r in RECORDERS for u in r.outside(marks.get(id(r), 0))]
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
    if report.failed and RECORDERS:
        text = "\n\n".join(r.console_tail() for r in RECORDERS[-3:])
        report.sections.append(("browser console", text))
