"""The browser fixtures in a throwaway user project: a PyScript page using clerk-frontend and a page using
clerk-js 6.40.0, served on the instance's origin (``clerk_instance.serve``) and by the app's own server on
another loopback port; signed in with every strategy, before and after the page's first load, and signed
out; a testing token applied to a page; Debian's Chromium; nothing left behind, a failing test included.
Every request the project's pages make is checked to stay on 127.0.0.1 (the project's own ``context``)."""

from __future__ import annotations

import shutil

import npm_deps
import pytest
from clerk_emulator.kit.chromium import CHROMIUM
from kit_support import Project

pytestmark = pytest.mark.browser

SDK_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>An app on clerk-frontend</title>
<script type="module" src="/pyscript/core.js"></script></head>
<body><p id="status">loading</p>
<script type="py" config='{"interpreter": "/pyodide/pyodide.mjs", "packages": ["clerk-frontend"]}'>
from clerk_frontend import Clerk
from pyodide.http import pyfetch
from pyscript import document

config = await (await pyfetch("/clerk-config.json")).json()
clerk = Clerk(config["publishable_key"])
await clerk.load()
user = clerk.user
if user is not None:
    await user.update_metadata(unsafe_metadata={"page": "sdk"})
status = document.getElementById("status")
status.textContent = f"signed-in {user.id} {user.unsafe_metadata.get('theme')}" if user else "signed-out"
</script></body></html>
"""

CLERK_JS_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>An app on clerk-js</title></head>
<body><p id="status">loading</p>
<script src="/clerk-js/clerk.browser.js" data-clerk-publishable-key="%CLERK_PUBLISHABLE_KEY%"
        data-clerk-proxy-url="%CLERK_FRONTEND_API%" crossorigin="anonymous"></script>
<script>
window.addEventListener("load", async () => {
  await window.Clerk.load();
  const user = window.Clerk.user;
  document.getElementById("status").textContent =
    user ? `signed-in ${user.id} bypass=${window.Clerk.client.captchaBypass}` : "signed-out";
});
</script></body></html>
"""

PROJECT_CONFTEST = '''
import functools
import http.server
import ipaddress
import json
import os
import pathlib
import shutil
import threading
import urllib.parse

APP = pathlib.Path(__file__).parent / "app"


def _loopback(url):
    parts = urllib.parse.urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return True
    try:
        return ipaddress.ip_address(parts.hostname or "").is_loopback
    except ValueError:
        return False


@pytest.fixture
def context(context):
    """pytest-playwright's context, with every request that would leave 127.0.0.1 aborted and failing."""
    outside = []

    def guard(route):
        if _loopback(route.request.url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    yield context
    assert outside == [], f"requests outside loopback: {outside}"


class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".mjs": "text/javascript",
                      ".js": "text/javascript", ".wasm": "application/wasm", ".json": "application/json"}

    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def own_site(clerk_instance, tmp_path_factory):
    """The app on a server of its own (another loopback port), as a user's development server serves it."""
    root = tmp_path_factory.mktemp("own-site")
    shutil.copytree(os.environ["KIT_BUNDLE"], root, dirs_exist_ok=True)
    shutil.copytree(APP, root, dirs_exist_ok=True)
    for page in root.glob("*.html"):
        text = page.read_text().replace("%CLERK_PUBLISHABLE_KEY%", clerk_instance.publishable_key)
        page.write_text(text.replace("%CLERK_FRONTEND_API%", clerk_instance.fapi_url))
    (root / "clerk-config.json").write_text(json.dumps({"publishable_key": clerk_instance.publishable_key}))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
'''

PROJECT_TESTS = '''
import os
import pathlib

from playwright.sync_api import expect

APP = pathlib.Path(__file__).parent / "app"
BUNDLE = os.environ["KIT_BUNDLE"]
BOOT_MS = 120_000  # a PyScript page boots Pyodide: seconds on a busy 2-core machine


def status(page):
    shown = page.locator("#status")
    expect(shown).not_to_have_text("loading", timeout=BOOT_MS)
    return shown.text_content()


def test_runs_the_chromium_given(browser_type_launch_args, browser):
    assert browser_type_launch_args["executable_path"] == os.environ["KIT_CHROMIUM"]
    assert "--no-sandbox" in browser_type_launch_args["args"] and browser.is_connected()


def test_sdk_page_on_the_instance_origin(clerk_instance, clerk_user, page, clerk_sign_in, clerk_sign_out):
    url = clerk_instance.serve(APP, BUNDLE)
    assert url == clerk_instance.fapi_url + "/"
    user = clerk_user(unsafe_metadata={"theme": "dark"})
    page.goto(url + "sdk.html")
    assert status(page) == "signed-out"
    session = clerk_sign_in(page, user)  # ticket: a sign-in token, no password typed
    assert status(page) == f"signed-in {user.id} dark"
    assert clerk_instance.bapi.get_user(user.id)["unsafe_metadata"] == {"theme": "dark", "page": "sdk"}
    sessions = clerk_instance.bapi.list_sessions(user_id=user.id)
    assert [(s["id"], s["status"]) for s in sessions] == [(session.id, "active")]
    assert clerk_sign_out(page) is True
    assert status(page) == "signed-out"
    assert [s["status"] for s in clerk_instance.bapi.list_sessions(user_id=user.id)] == ["ended"]


def test_clerk_js_page_password_email_code_and_testing_token(clerk_instance, clerk_user, page, clerk_sign_in,
                                                            clerk_sign_out, clerk_testing_token):
    url = clerk_instance.serve(APP, BUNDLE)
    clerk_testing_token.apply(page)
    user = clerk_user()
    page.goto(url + "clerk-js.html")
    assert status(page) == "signed-out"
    clerk_sign_in(page, user, strategy="password")
    assert status(page) == f"signed-in {user.id} bypass=true"  # the testing token reached the Frontend API
    assert clerk_sign_out(page) is True
    assert status(page) == "signed-out"
    clerk_sign_in(page, user, strategy="email_code")
    assert status(page) == f"signed-in {user.id} bypass=true"
    (message,) = clerk_instance.outbox(to=user.email)
    assert message["kind"] == "sign_in_code"


def test_signed_in_before_the_first_load_on_the_apps_own_server(clerk_instance, clerk_user, page, new_context,
                                                               clerk_sign_in, own_site):
    user = clerk_user(unsafe_metadata={"theme": "light"})
    assert page.url == "about:blank"
    clerk_sign_in(page, user)
    page.goto(own_site + "/sdk.html")
    assert status(page) == f"signed-in {user.id} light"
    page.goto(own_site + "/clerk-js.html")
    assert status(page) == f"signed-in {user.id} bypass=false"
    # A page loaded first in a fresh browser, on the app's own server: signed in, then reloaded.
    other = clerk_user()
    fresh = new_context().new_page()
    fresh.goto(own_site + "/clerk-js.html")
    assert status(fresh) == "signed-out"
    clerk_sign_in(fresh, other)
    assert status(fresh) == f"signed-in {other.id} bypass=false"
    # Signed in while the PyScript page is still starting (no waiting for it after goto).
    third = clerk_user(unsafe_metadata={"theme": "third"})
    starting = new_context().new_page()
    starting.goto(own_site + "/sdk.html")
    clerk_sign_in(starting, third)
    assert status(starting) == f"signed-in {third.id} third"


def test_single_session_instance_switches_users(clerk_instance, clerk_user, page, clerk_sign_in):
    clerk_instance.settings({"single_session_mode": True})
    url = clerk_instance.serve(APP, BUNDLE)
    first, second = clerk_user(), clerk_user()
    page.goto(url + "clerk-js.html")
    clerk_sign_in(page, first)
    assert status(page) == f"signed-in {first.id} bypass=false"
    clerk_sign_in(page, second)
    assert status(page) == f"signed-in {second.id} bypass=false"
    assert [s["status"] for s in clerk_instance.bapi.list_sessions(user_id=first.id)] == ["ended"]


def test_zz_fails_on_purpose(clerk_instance, page):
    page.goto(clerk_instance.serve(APP, BUNDLE) + "clerk-js.html")
    assert status(page) == "signed-in deliberately-wrong"
'''


def test_signed_in_pages_for_both_sdks(project: Project, bundle_dir: object,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    app = project.path / "app"
    (app / "clerk-js").mkdir(parents=True)
    (app / "sdk.html").write_text(SDK_PAGE)
    (app / "clerk-js.html").write_text(CLERK_JS_PAGE)
    for item in (npm_deps.ensure() / "@clerk" / "clerk-js" / "dist").iterdir():
        if item.is_file() and "clerk.browser" in item.name:
            shutil.copy2(item, app / "clerk-js" / item.name)
    project.pytester.makeconftest("import pytest\n" + PROJECT_CONFTEST + project.recording_conftest())
    project.pytester.makepyfile(test_app=PROJECT_TESTS)
    monkeypatch.setenv("KIT_BUNDLE", str(bundle_dir))
    link = project.path / "chromium-link"
    link.symlink_to(CHROMIUM)  # Debian's Chromium under another name: --clerk-chromium is what is launched
    monkeypatch.setenv("KIT_CHROMIUM", str(link))
    result = project.run("-v", "--clerk-chromium", str(link))
    result.assert_outcomes(passed=5, failed=1)
    result.stdout.fnmatch_lines(["*test_zz_fails_on_purpose*FAILED*"])
    assert "warnings summary" not in result.stdout.str()
    project.assert_nothing_left()


def test_a_browser_channel_is_refused(project: Project) -> None:
    project.pytester.makepyfile("def test_page(page):\n    pass\n")
    result = project.run("--browser-channel", "chrome")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*--browser-channel is not used with the Clerk testing kit*"])
    project.assert_nothing_left()
