"""The demo site (``make demo``) in Chromium: every page's main flow with real clicks and typing.

One demo process (``build/demo.py``: bundle + local Clerk instance + pages on one origin) is started for
the module, on a bundle built into a temporary folder and a temporary data folder. The tests run in
file order and share one browser context (so the sign-in carries from page to page, as for a visitor);
the last test restarts the demo on the same data folder and port and finds the user's metadata kept.

Screenshots of every page go to ``test-artifacts/demo/``.
"""

from __future__ import annotations

import base64
import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from browser_harness import Recorder
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "demo"
BOOT_TIMEOUT_MS = 120_000
ACTION_TIMEOUT_MS = 30_000
PHONE = {"width": 390, "height": 844}


@dataclass
class DemoProcess:
    """``build/demo.py`` as a subprocess; ``url`` and the demo user come from its printed lines."""

    site: Path
    data: Path
    port: int = 0
    url: str = ""
    email: str = ""
    password: str = ""
    output: list[str] = field(default_factory=list)
    proc: subprocess.Popen[str] | None = None
    env: dict[str, str] | None = None

    def start(self, timeout: float = 120.0) -> DemoProcess:
        cmd = [sys.executable, str(ROOT / "build" / "demo.py"), "--site", str(self.site), "--data", str(self.data),
               "--port", str(self.port)]
        self.output = []
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1,
                                     cwd=ROOT, env=self.env)
        lines: queue.Queue[str | None] = queue.Queue()

        def reader() -> None:
            assert self.proc is not None and self.proc.stdout is not None
            for line in self.proc.stdout:
                self.output.append(line)
                lines.put(line)
            lines.put(None)

        threading.Thread(target=reader, daemon=True).start()
        deadline = time.monotonic() + timeout
        ready = False
        while not ready:
            try:
                line = lines.get(timeout=max(deadline - time.monotonic(), 0.01))
            except queue.Empty:
                self.stop()
                raise AssertionError(f"demo did not start within {timeout:.0f} s:\n{''.join(self.output)}") from None
            if line is None:
                raise AssertionError(f"demo exited with {self.proc.wait()}:\n{''.join(self.output)}")
            if line.startswith("Demo: "):
                self.url = line.split(" ", 1)[1].strip().rstrip("/")
                self.port = int(self.url.rsplit(":", 1)[1])
            elif line.startswith("Demo user: "):
                self.email, _, self.password = line.split(": ", 1)[1].strip().partition(" / ")
            ready = line.startswith("Ctrl-C stops the demo.")
        assert self.url, "".join(self.output)
        return self

    def stop(self) -> int:
        """SIGTERM, as Ctrl-C or a service manager would; returns the exit code."""
        assert self.proc is not None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        time.sleep(0.1)  # let the reader thread collect the last lines
        return int(self.proc.returncode)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoProcess]:
    base = tmp_path_factory.mktemp("demo")
    process = DemoProcess(site=base / "site", data=base / "clerk-data").start()
    yield process
    process.stop()


@dataclass
class Visitor:
    """One browser context (one visitor) with every request recorded."""

    context: BrowserContext
    recorder: Recorder
    base_url: str

    def open(self, path: str, *, viewport: dict[str, int] | None = None) -> Page:
        page = self.context.new_page()
        if viewport:
            page.set_viewport_size(viewport)
        self.recorder.attach_page(page)
        page.set_default_timeout(ACTION_TIMEOUT_MS)
        page.goto(self.base_url + path)
        wait_ready(page, self.recorder)
        return page


def wait_ready(page: Page, recorder: Recorder) -> None:
    page.wait_for_function("document.body.dataset.state === 'ready' || (window.demoTimings || {}).failed",
                           timeout=BOOT_TIMEOUT_MS)
    if page.evaluate("document.body.dataset.state") != "ready":
        message = page.text_content("#boot .boot-message")
        detail = page.text_content("#boot .boot-detail")
        raise AssertionError(f"page failed to start: {message}\n{detail}\n{recorder.console_tail()}")


def new_visitor(browser: Browser, base_url: str) -> Visitor:
    recorder = Recorder()
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    recorder.attach(context)
    return Visitor(context, recorder, base_url)


@pytest.fixture(scope="module")
def visitor(browser: Browser, demo: DemoProcess) -> Iterator[Visitor]:
    """The module's main visitor: signs in once and keeps the session across pages."""
    v = new_visitor(browser, demo.url)
    yield v
    v.context.close()


@pytest.fixture(autouse=True)
def _no_outside_requests(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if "visitor" in request.fixturenames:
        v: Visitor = request.getfixturevalue("visitor")
        assert v.recorder.outside() == [], "requests left 127.0.0.0/8"


def screenshot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def handled(page: Page) -> int:
    return int(page.evaluate("document.body.dataset.handled || '0'"))


def act(page: Page, selector: str) -> None:
    """Click ``selector`` and wait until the page's Python handler for it has finished."""
    before = handled(page)
    page.click(selector)
    page.wait_for_function(f"Number(document.body.dataset.handled || 0) > {before}", timeout=ACTION_TIMEOUT_MS)


def no_horizontal_scroll(page: Page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"))


def shown_json(page: Page, selector: str) -> object:
    """The JSON a ``pre.json`` shows (its spans' text concatenates to valid JSON)."""
    return json.loads(page.text_content(selector) or "")


# -- the tests, in visiting order -------------------------------------------------------------------

def test_demo_prints_url_and_credentials_and_serves_a_public_config(demo: DemoProcess) -> None:
    assert demo.url.startswith("http://127.0.0.1:")
    assert demo.email and demo.password
    with urllib.request.urlopen(demo.url + "/demo-config.json") as response:
        config = json.load(response)
    assert config["mode"] == "local"
    assert config["publishable_key"].startswith("pk_test_")
    assert config["demo_email"] == demo.email


def test_no_secret_key_in_any_page_or_script(demo: DemoProcess) -> None:
    served = ["/", "/index.html", "/playground.html", "/examples.html", "/demo_kit.py", "/demo_examples.py",
              "/pyscript.json", "/loader.js", "/demo.css", "/demo-config.json"]
    for path in served:
        with urllib.request.urlopen(demo.url + path) as response:
            text = response.read().decode()
        assert not re.search(r"sk_(test|live)_", text), f"{path} mentions a secret key"
    # And the files the demo serves from the site folder, whatever their names.
    for path in demo.site.iterdir():
        if path.suffix in (".html", ".py", ".js", ".json", ".css"):
            assert not re.search(r"sk_(test|live)_", path.read_text()), path.name


def test_real_clerk_mode_serves_the_key_and_refuses_a_secret_key(tmp_path: Path) -> None:
    # No browser here: the pages would talk to the (made-up) instance, which this machine may not reach.
    key = "pk_test_" + base64.b64encode(b"clerk.example.test$").decode().rstrip("=")
    real = DemoProcess(site=tmp_path / "site", data=tmp_path / "unused",
                       env={**os.environ, "CLERK_PUBLISHABLE_KEY": key}).start()
    try:
        with urllib.request.urlopen(real.url + "/demo-config.json") as response:
            assert json.load(response) == {"mode": "clerk", "publishable_key": key}
        with urllib.request.urlopen(real.url + "/playground.html") as response:
            assert b"Metadata playground" in response.read()
        assert not (tmp_path / "unused").exists(), "no local Clerk instance in real-Clerk mode"
    finally:
        assert real.stop() == 0
    refused = subprocess.run(
        [sys.executable, str(ROOT / "build" / "demo.py"), "--site", str(tmp_path / "site"), "--port", "0"],
        env={**os.environ, "CLERK_PUBLISHABLE_KEY": "sk_test_not-a-real-secret"}, capture_output=True, text=True,
        timeout=120, cwd=ROOT)
    assert refused.returncode == 1
    assert "secret key" in refused.stderr and "never reach a browser" in refused.stderr


def error_of(page: Page, label: str) -> str:
    """The error text a component ties (``aria-describedby``) to the field labelled ``label``."""
    field = page.get_by_label(label, exact=True)
    expect(field).to_have_attribute("aria-invalid", "true")
    return str(page.locator(f"[id='{field.get_attribute('aria-describedby')}']").inner_text())


def test_account_sign_in_edit_name_sessions(visitor: Visitor, demo: DemoProcess) -> None:
    page = visitor.open("/")
    assert page.evaluate("[...document.querySelectorAll('#boot [data-step]')].map(e => e.dataset.state)") == \
        ["done", "done", "done", "done"]
    marks = page.evaluate("window.demoTimings")
    order = ["runtime:active", "runtime:done", "packages:done", "sdk_imported", "connected", "ready"]
    assert [marks[m] for m in order] == sorted(marks[m] for m in order), marks
    expect(page.locator("#signed-out")).to_be_visible()
    expect(page.locator("#whoami")).to_have_text("Signed out")
    # The SignIn component, its first field focused.
    expect(page.get_by_role("heading", name="Sign in to")).to_be_visible()
    expect(page.get_by_label("Email address or username")).to_be_focused()
    screenshot(page, "account-signed-out")

    page.keyboard.type(demo.email)
    page.keyboard.press("Enter")
    # A wrong password first: Clerk's message is shown at the field, nothing else happens.
    expect(page.get_by_label("Password", exact=True)).to_be_focused()
    page.keyboard.type("not the password")
    page.keyboard.press("Enter")
    assert "incorrect" in error_of(page, "Password")
    page.get_by_label("Password", exact=True).fill(demo.password)
    page.get_by_role("button", name="Continue", exact=True).click()
    expect(page.locator("#signed-in")).to_be_visible()
    expect(page.locator("#signed-out")).to_be_hidden()
    expect(page.get_by_role("heading", name="Profile details")).to_be_visible()
    expect(page.locator("#profile").get_by_text(demo.email)).to_be_visible()

    # Active devices: this browser's session, from user.get_sessions().
    page.locator("#profile").get_by_role("button", name="Security", exact=True).click()
    expect(page.get_by_text("This device")).to_be_visible()
    expect(page.locator("#profile .cl-profileSectionItem", has_text="This device")).to_have_count(1)
    page.locator("#profile").get_by_role("button", name="Profile", exact=True).click()

    # A name that is markup stays text.
    payload = '<img src=x onerror="window.__xss=3">'
    page.get_by_role("button", name="Update profile").click()
    page.get_by_label("First name").fill(payload)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_have_text("Your profile has been updated.")
    expect(page.locator("#profile").get_by_text(payload)).to_be_visible()
    assert page.locator("#signed-in img[src='x']").count() == 0
    assert page.evaluate("window.__xss") is None

    page.get_by_role("button", name="Update profile").click()
    expect(page.get_by_label("First name")).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("Grace")
    page.keyboard.press("Tab")
    page.keyboard.press("Control+A")
    page.keyboard.type("Hopper")
    page.keyboard.press("Enter")  # submits the form from the keyboard
    expect(page.get_by_role("alert")).to_have_text("Your profile has been updated.")
    expect(page.locator("#profile").get_by_text("Grace Hopper")).to_be_visible()
    expect(page.locator("#whoami")).to_have_text("Grace Hopper")
    screenshot(page, "account-profile")
    page.close()


def test_playground_merge_preview_send_and_refusal(visitor: Visitor) -> None:
    page = visitor.open("/playground.html")
    expect(page.locator("#whoami")).to_have_text("Grace Hopper")  # the name saved on the Account page
    assert shown_json(page, "#current") == {}

    editor = page.locator("#patch")
    editor.fill("")
    editor.press_sequentially('{"theme": "dark", "beta": true, "prefs": {"lang": "en"}}')
    # Live preview: every key is new.
    expect(page.locator("#preview .j-added").first).to_be_visible()
    act(page, "#send")
    expect(page.locator("#result")).to_contain_text("Merged")
    expect(page.locator("#checks li")).to_have_count(3)
    assert all(t.startswith("✓") for t in page.locator("#checks li").all_text_contents())
    assert shown_json(page, "#current") == {"theme": "dark", "beta": True, "prefs": {"lang": "en"}}

    # A patch deleting a key (null) and merging a nested one: the preview marks the deletion before sending.
    editor.fill("")
    editor.press_sequentially('{"beta": null, "prefs": {"tz": "UTC"}, "gone": null}')
    removed = page.locator("#preview .j-removed")
    expect(removed).to_have_count(1)
    expect(removed).to_contain_text('"beta"')
    expect(removed).to_contain_text("deleted by null")
    expect(page.locator("#preview .j-noop")).to_contain_text('"gone"')
    expect(page.locator("#preview .j-added")).to_contain_text('"tz"')
    screenshot(page, "playground-preview")
    act(page, "#send")
    expect(page.locator("#result")).to_contain_text("Merged")
    expect(page.locator("#checks")).not_to_contain_text("✗")
    assert shown_json(page, "#current") == {"theme": "dark", "prefs": {"lang": "en", "tz": "UTC"}}
    assert shown_json(page, "#server-result") == {"theme": "dark", "prefs": {"lang": "en", "tz": "UTC"}}

    # update(unsafe_metadata=…) is refused before any request.
    count_before = int(page.text_content("#req-count") or "0")
    act(page, "#refuse")
    expect(page.locator("#result")).to_contain_text("Refused before sending")
    expect(page.locator("#result")).to_contain_text("update_metadata(")
    expect(page.locator("#result")).to_contain_text("Requests sent: 0. Local state unchanged: yes.")
    assert int(page.text_content("#req-count") or "0") == count_before
    screenshot(page, "playground-refusal")
    page.close()


def test_playground_errors_and_replace_mode(visitor: Visitor) -> None:
    page = visitor.open("/playground.html")
    before = shown_json(page, "#current")
    editor = page.locator("#patch")

    # A new object holding a null: the preview shows what the server will store (no "b").
    editor.fill('{"fresh": {"a": 1, "b": null}}')
    expect(page.locator("#preview .j-added")).to_have_count(3)  # "fresh": {, "a": 1, }
    expect(page.locator("#preview")).not_to_contain_text('"b"')

    # Invalid JSON: said where, and nothing is sent.
    editor.fill("")
    editor.press_sequentially('{"theme": "dark",}')
    expect(page.locator("#patch-error")).to_contain_text("not valid JSON")
    expect(page.locator("#patch-error")).to_contain_text("line 1, column")
    act(page, "#send")
    expect(page.locator("#result")).to_contain_text("Nothing sent")

    # Too big: the meter warns, the SDK refuses before sending.
    page.click("[data-preset=big]")
    expect(page.locator("#preview-size")).to_have_attribute("data-over", "true")
    act(page, "#send")
    expect(page.locator("#result")).to_contain_text("Metadata not sent")
    expect(page.locator("#result")).to_contain_text("the limit is 8192")

    # Network failure: the request really fails in the browser; local state stays as it was.
    editor.fill('{"theme": "light"}')
    page.check("#offline")
    act(page, "#send")
    expect(page.locator("#result")).to_contain_text("Network error")
    expect(page.locator("#result")).to_contain_text("The request to /v1/me/metadata got no answer")
    expect(page.locator("#result")).not_to_contain_text("__clerk_db_jwt")
    expect(page.locator("#result")).to_contain_text("Local state unchanged: yes")
    expect(page.locator("#reqs li").first).to_contain_text("network error")
    expect(page.locator("#offline")).not_to_be_checked()
    assert shown_json(page, "#current") == before

    # Replace mode: the computed diff turns removed keys into null.
    page.check('input[name="mode"][value="replace"]')
    editor.fill("")
    editor.press_sequentially('{"theme": "light", "plan": "pro"}')
    expect(page.locator("#diff-box")).to_be_visible()
    assert shown_json(page, "#diff") == {"prefs": None, "theme": "light", "plan": "pro"}
    expect(page.locator("#preview .j-removed").first).to_contain_text('"prefs": {')
    screenshot(page, "playground-replace")
    editor.press("Control+Enter")  # the keyboard shortcut for Send
    expect(page.locator("#result")).to_contain_text("Replaced")
    expect(page.locator("#checks")).not_to_contain_text("✗")
    assert shown_json(page, "#current") == {"theme": "light", "plan": "pro"}
    page.close()


def test_xss_payload_in_metadata_stays_inert(visitor: Visitor) -> None:
    page = visitor.open("/playground.html")
    page.click("[data-preset=xss]")
    act(page, "#send")
    expect(page.locator("#result")).to_contain_text("Merged")
    current = shown_json(page, "#current")
    assert isinstance(current, dict)
    assert current["bio"] == '<img src=x onerror="window.__xss = 1">'
    assert current["<b>bold key</b>"].startswith("<script>")
    for where in ("#current", "#preview", "#server-result"):
        assert page.locator(f"{where} img, {where} script, {where} b").count() == 0
    page.wait_for_timeout(300)  # an injected onerror would have fired by now
    assert page.evaluate("window.__xss") is None
    # Reloaded from the server on a fresh page load: still inert.
    page.close()
    page = visitor.open("/playground.html")
    expect(page.locator("#current")).to_contain_text("<img src=x")
    assert page.locator("#current img").count() == 0
    assert page.evaluate("window.__xss") is None
    page.click("[data-preset=delete]")
    editor = page.locator("#patch")
    editor.fill('{"bio": null, "<b>bold key</b>": null}')
    act(page, "#send")
    expect(page.locator("#result")).to_contain_text("Merged")
    assert shown_json(page, "#current") == {"theme": "light", "plan": "pro"}
    page.close()


def test_examples_each_run(visitor: Visitor, demo: DemoProcess) -> None:
    page = visitor.open("/examples.html")
    expected = {
        "load": ["loaded: True", "instance: development"],
        "sign-in": [f"signed in as {demo.email}"],
        "read": ["name:     Grace Hopper", "metadata: {'theme': 'light', 'plan': 'pro'}"],
        "name": ["Ada Lovelace", "True", "PATCH /me → 200"],
        "merge": ["'prefs': {'emails': 'weekly'}", "{'emails': 'weekly', 'sms': False}"],
        "delete": ["False", "PATCH /me/metadata → 200"],
        "errors": ["refused, no request sent: metadata_refused", "too big:", "422 form_password_incorrect",
                   "1 request(s)"],
        "token": ["same token: True", "user: user_"],
    }
    assert page.locator(".example").count() == len(expected)
    for slug, needles in expected.items():
        page.click(f"#run-{slug}")
        output = page.locator(f"#out-{slug}")
        expect(output).to_have_attribute("data-state", re.compile("ok|error"))
        text = output.text_content() or ""
        assert output.get_attribute("data-state") == "ok", f"example {slug} failed:\n{text}"
        for needle in needles:
            assert needle in text, f"example {slug}: {needle!r} not in\n{text}"
    # An edited snippet runs as edited, and its error is shown.
    page.locator("#code-read").fill("print(clerk.user.first_name)\n1 / 0")
    page.click("#run-read")
    expect(page.locator("#out-read")).to_have_attribute("data-state", "error")
    expect(page.locator("#out-read")).to_contain_text("Ada")
    expect(page.locator("#out-read")).to_contain_text("ZeroDivisionError")
    screenshot(page, "examples")
    page.close()


def test_phone_width_pages_fit(visitor: Visitor) -> None:
    for path, name in (("/", "account"), ("/playground.html", "playground"), ("/examples.html", "examples")):
        page = visitor.open(path, viewport=PHONE)
        assert no_horizontal_scroll(page), f"{path} scrolls sideways at {PHONE['width']} px"
        screenshot(page, f"{name}-phone")
        page.close()


def test_sign_up_and_email_code_sign_in_by_keyboard(browser: Browser, demo: DemoProcess) -> None:
    stranger = new_visitor(browser, demo.url)
    email = "katherine+clerk_test@example.com"
    try:
        page = stranger.open("/")
        # SignIn's "Sign up" link swaps in the SignUp component.
        link = page.get_by_role("link", name="Sign up")
        link.focus()
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", name="Create your account")).to_be_visible()
        expect(page.locator("#sign-in")).to_be_hidden()
        page.get_by_label("First name").focus()
        page.keyboard.type("Katherine")
        page.keyboard.press("Tab")
        page.keyboard.type("Johnson")
        page.get_by_label("Email address", exact=True).focus()
        page.keyboard.type(email)
        page.get_by_label("Password", exact=True).focus()
        page.keyboard.type("orbit-math-1962")
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", name="Verify your email")).to_be_visible()
        expect(page.get_by_label("Verification code")).to_be_focused()
        screenshot(page, "account-sign-up-code")
        page.keyboard.type("111111")
        page.keyboard.press("Enter")
        assert error_of(page, "Verification code") == "Incorrect code"
        page.get_by_label("Verification code").fill("")
        page.get_by_label("Verification code").focus()
        page.keyboard.type("424242")
        page.keyboard.press("Enter")
        expect(page.locator("#signed-in")).to_be_visible()
        expect(page.locator("#profile").get_by_text("Katherine Johnson")).to_be_visible()
        expect(page.locator("#profile").get_by_text(email)).to_be_visible()

        # Sign out from the UserButton's menu, by keyboard.
        page.get_by_role("button", name="Open user menu").focus()
        page.keyboard.press("Enter")
        expect(page.get_by_role("button", name="Manage account")).to_be_focused()
        page.get_by_role("button", name="Sign out", exact=True).focus()
        page.keyboard.press("Enter")
        expect(page.locator("#signed-out")).to_be_visible()
        expect(page.locator("#whoami")).to_have_text("Signed out")

        # Email code sign-in, keyboard only.
        page.get_by_label("Email address or username").focus()
        page.keyboard.type(email)
        page.keyboard.press("Enter")
        page.get_by_role("button", name="Use another method").focus()
        page.keyboard.press("Enter")
        page.get_by_role("button", name=f"Email code to {email}").focus()
        page.keyboard.press("Enter")
        expect(page.get_by_label("Verification code")).to_be_focused()
        page.keyboard.type("424242")
        page.keyboard.press("Enter")
        expect(page.locator("#signed-in")).to_be_visible()
        expect(page.locator("#profile").get_by_text("Katherine Johnson")).to_be_visible()
        expect(page.locator("#whoami")).to_have_text("Katherine Johnson")
        assert stranger.recorder.outside() == []
    finally:
        stranger.context.close()


def test_playground_signed_out_points_to_sign_in(browser: Browser, demo: DemoProcess) -> None:
    stranger = new_visitor(browser, demo.url)
    try:
        page = stranger.open("/playground.html")
        expect(page.locator("#signed-out")).to_be_visible()
        expect(page.locator("#signed-in")).to_be_hidden()
        expect(page.locator("#signed-out a")).to_have_attribute("href", "/")
        expect(page.locator("#whoami")).to_have_text("Signed out")
        assert stranger.recorder.outside() == []
    finally:
        stranger.context.close()


def _corrupt_wasm(route: Route) -> None:
    route.fulfill(status=200, content_type="application/wasm", body=b"\0asm not a module")


# An aborted download may surface as an unhandled rejection or only through Pyodide's console warning
# (it depends on timing); a corrupt module always takes the second path.
@pytest.mark.parametrize("breakage", [lambda route: route.abort(), _corrupt_wasm], ids=["aborted", "corrupt"])
def test_runtime_failure_is_explained(browser: Browser, demo: DemoProcess, breakage: Callable[[Route], None]) -> None:
    v = new_visitor(browser, demo.url)
    try:
        v.context.route(re.compile(r".*/pyodide\.asm\.wasm.*"), breakage)
        page = v.context.new_page()
        v.recorder.attach_page(page)
        page.goto(demo.url + "/playground.html")
        try:
            page.wait_for_function("document.getElementById('boot').dataset.state === 'failed'",
                                   timeout=BOOT_TIMEOUT_MS)
        except Exception as exc:
            raise AssertionError(f"no failure shown:\n{v.recorder.console_tail()}") from exc
        expect(page.locator("#boot .boot-message")).to_contain_text("Python could not be loaded")
        expect(page.locator("#boot .boot-title")).to_have_text("The demo could not start")
        expect(page.locator("#boot [data-state=failed]")).to_have_count(1)
        expect(page.locator("#boot button")).to_have_text("Reload the page")
        expect(page.locator("#app")).to_be_hidden()
        screenshot(page, "boot-failure")
        assert v.recorder.outside() == []
    finally:
        v.context.close()


def test_missing_sdk_package_is_explained(browser: Browser, demo: DemoProcess) -> None:
    v = new_visitor(browser, demo.url)
    try:
        v.context.route(re.compile(r".*/pyodide/clerk_frontend-.*\.whl.*"), lambda route: route.abort())
        page = v.context.new_page()
        v.recorder.attach_page(page)
        page.goto(demo.url + "/")
        page.wait_for_function("document.getElementById('boot').dataset.state === 'failed'",
                               timeout=BOOT_TIMEOUT_MS)
        expect(page.locator("#boot .boot-message")).to_contain_text("packages of the page could not be loaded")
        expect(page.locator("#boot [data-step=packages]")).to_have_attribute("data-state", "failed")
        expect(page.locator("#boot [data-step=runtime]")).to_have_attribute("data-state", "done")
        assert v.recorder.outside() == []
    finally:
        v.context.close()


def test_restart_keeps_metadata_and_session(visitor: Visitor, demo: DemoProcess) -> None:
    page = visitor.open("/playground.html")
    before = shown_json(page, "#current")
    # What the examples left: "theme" deleted by example 6, "prefs" merged by example 5.
    assert before == {"plan": "pro", "prefs": {"emails": "weekly", "sms": False}}
    screenshot(page, "playground")
    page.close()

    code = demo.stop()
    assert code == 0, "".join(demo.output)
    assert "demo: stopped (SIGTERM)" in "".join(demo.output)
    assert not (demo.site / "demo-config.json").exists()
    demo.start()  # same data folder, same port: the browser's session is still valid
    page = visitor.open("/playground.html")
    expect(page.locator("#whoami")).to_have_text("Ada Lovelace")
    assert shown_json(page, "#current") == before
    page.close()
