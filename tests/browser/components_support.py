"""Support of the prebuilt components' browser tests (``test_components_*.py``).

The local instance serves the page and the Frontend API on one origin (``--static`` with a copy of the bundle's
Pyodide and the test pages), as an app would: OAuth and email links come back to it through real navigations.
Every test gets a fresh browser context (a new client). :class:`App` boots the harness page, mounts components
from Python, runs axe-core on each screen (no serious or critical violation allowed) and saves screenshots under
``test-artifacts/components/``. Codes are read from the instance's outbox; TOTP codes are computed here.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import shutil
import struct
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from bapi_client import Backend
from browser_harness import BOOT_TIMEOUT_MS, PyPage, PythonFailure, new_page
from clerk_emulator.kit import LocalProcess
from npm_deps import NODE_MODULES
from playwright.sync_api import Browser, BrowserContext, Page, expect

ROOT = Path(__file__).resolve().parents[2]
PAGES = Path(__file__).resolve().parent / "pages"
ARTIFACTS = ROOT / "test-artifacts" / "components"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
# Serious and critical violations fail a test; minor and moderate ones (e.g. the bare test page has no landmarks)
# are the page's business, not the components'.
FAILING_IMPACTS = ("serious", "critical")


def fresh_totp(secret: str) -> str:
    """The current code, computed at least three seconds before its 30-second window ends (so it is still the
    current one when the server checks it)."""
    left = 30 - time.time() % 30
    if left < 3:
        time.sleep(left + 0.1)
    return totp(secret)


def totp(secret: str, step: int | None = None) -> str:
    """RFC 6238 as Clerk uses it: HMAC-SHA1 over the 30-second step, 6 digits."""
    step = int(time.time() // 30) if step is None else step
    digest = hmac.new(base64.b32decode(secret + "=" * (-len(secret) % 8)), struct.pack(">Q", step),
                      hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return str((struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000).zfill(6)


@pytest.fixture(scope="module")
def emu(tmp_path_factory: pytest.TempPathFactory, bundle_dir: Path) -> Iterator[LocalProcess]:
    """The local instance, serving the test pages and the bundle's Pyodide on its own origin."""
    site = tmp_path_factory.mktemp("components-site") / "site"
    shutil.copytree(bundle_dir / "pyodide", site / "pyodide")
    for page in PAGES.glob("*"):
        if page.is_file():
            shutil.copy(page, site / page.name)
    with LocalProcess(tmp_path_factory.mktemp("clerk-components"), static_dir=site) as proc:
        yield proc


@pytest.fixture(scope="module")
def backend(emu: LocalProcess) -> Iterator[Backend]:
    api = Backend(emu)
    yield api
    api.close()


@pytest.fixture
def settings(emu: LocalProcess) -> Iterator[Any]:
    """``settings({...})`` PATCHes the instance settings for one test; they are put back afterwards."""
    def patch(changes: dict[str, Any]) -> None:
        response = httpx.patch(emu.fapi_url + "/__emulator/settings", json=changes)
        assert response.status_code == 200, response.text

    yield patch
    httpx.delete(emu.fapi_url + "/__emulator/settings")


class App:
    """One browser context with the harness page of the local instance booted (Pyodide and the SDK loaded)."""

    def __init__(self, browser: Browser, emu: LocalProcess, path: str = "/harness.html",
                 viewport: dict[str, int] | None = None) -> None:
        self.emu = emu
        self.base = emu.fapi_url
        self.context: BrowserContext
        self.context, page, self.recorder = new_page(browser, "about:blank")
        if viewport:
            page.set_viewport_size(viewport)
        page.goto(self.base + path)
        self.py = PyPage(page, self.recorder)
        self.booted()

    @property
    def page(self) -> Page:
        return self.py.page

    def booted(self) -> App:
        """Wait until the page (after a navigation) has Pyodide and the SDK loaded again."""
        # Polled with evaluate (devtools protocol), not wait_for_function: Playwright's polling evaluates a string,
        # which the strict policy of components_csp.html refuses.
        deadline = time.monotonic() + BOOT_TIMEOUT_MS / 1000
        while self.page.evaluate("window.pyReady") is not True:
            assert time.monotonic() < deadline, "Pyodide did not boot"
            self.page.wait_for_timeout(100)
        error = self.page.evaluate("window.pyBootError")
        if error:
            raise PythonFailure(f"Pyodide failed to boot: {error}")
        return self

    def run(self, code: str) -> Any:
        return self.py.run(code)

    def start(self, mounts: str, *, options: str = "") -> Any:
        """Load a Clerk and mount components: ``mounts`` is Python run after ``clerk`` exists; hosts ``#a``..``#d``."""
        return self.run(f"""
import js
from clerk_frontend import Clerk
for host in ("a", "b", "c", "d"):
    if not js.document.getElementById(host):
        node = js.document.createElement("div"); node.id = host; js.document.body.append(node)
clerk = Clerk({self.emu.publishable_key!r}{options})
await clerk.load()
{mounts}
None
""")

    def leave_with(self, action: Any, url_pattern: str) -> None:
        """Do ``action`` (which makes the page leave), then wait for ``url_pattern``."""
        action()
        self.page.wait_for_url(re.compile(url_pattern), timeout=30_000)

    # -- checks -------------------------------------------------------------------------------------------

    def axe(self, where: str = "document") -> list[dict[str, Any]]:
        """The serious and critical axe-core violations on the page (``where``: a CSS selector or the document)."""
        if not self.page.evaluate("typeof window.axe === 'object'"):
            self.page.evaluate(AXE.read_text())  # evaluated by the devtools protocol: allowed under any CSP
        found: list[dict[str, Any]] = self.page.evaluate("""async (where) => {
            const context = where === "document" ? document : document.querySelector(where);
            const result = await axe.run(context, {resultTypes: ["violations"]});
            return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                               nodes: v.nodes.slice(0, 5).map(n => n.target.join(" "))}));
        }""", where)
        return [v for v in found if v["impact"] in FAILING_IMPACTS]

    def check(self, name: str, where: str = "document") -> None:
        """Screenshot ``name`` and assert axe finds no serious or critical violation."""
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        violations = self.axe(where)
        assert not violations, f"axe on {name}: {violations}"

    def focused(self) -> dict[str, Any]:
        """The focused element: tag, accessible hints and text."""
        result: dict[str, Any] = self.page.evaluate("""() => {
            const e = document.activeElement;
            return {tag: e.tagName.toLowerCase(), name: e.getAttribute("name"), id: e.id,
                    label: e.labels && e.labels[0] ? e.labels[0].textContent : e.getAttribute("aria-label"),
                    text: e.textContent, invalid: e.getAttribute("aria-invalid"),
                    describedby: e.getAttribute("aria-describedby")};
        }""")
        return result

    def error_of(self, label: str) -> str:
        """The text of the error tied (``aria-describedby``) to the field labelled ``label``."""
        field = self.page.get_by_label(label, exact=True)
        expect(field).to_have_attribute("aria-invalid", "true")  # the submit handler runs as a task: wait for it
        ids = (field.get_attribute("aria-describedby") or "").split()
        assert ids, f"{label} has no aria-describedby"
        return str(self.page.locator(f"[id='{ids[0]}']").inner_text())

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def apps(browser: Browser, emu: LocalProcess) -> Iterator[Any]:
    """``apps(path="/harness.html", viewport=None)`` opens a fresh context on the instance's page."""
    opened: list[App] = []

    def open_app(path: str = "/harness.html", viewport: dict[str, int] | None = None) -> App:
        opened.append(App(browser, emu, path, viewport))
        return opened[-1]

    yield open_app
    for app in opened:
        app.close()


def outbox_code(emu: LocalProcess, to: str, kind: str | None = None, *, field: str = "code") -> str:
    """The newest code (or ``field="link"``) sent to ``to``, waiting for it to arrive."""
    params = {"to": to} | ({"kind": kind} if kind else {})
    for _ in range(100):
        items = httpx.get(emu.fapi_url + "/__emulator/outbox", params=params).json()["data"]
        if items and items[0].get(field):
            return str(items[0][field])
        time.sleep(0.1)
    raise AssertionError(f"no {kind or 'message'} for {to} in the outbox")


def outbox_count(emu: LocalProcess, to: str) -> int:
    return int(httpx.get(emu.fapi_url + "/__emulator/outbox", params={"to": to}).json()["total_count"])
