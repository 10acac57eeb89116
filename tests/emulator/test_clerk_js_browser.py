"""@clerk/clerk-js (pinned in build/versions.py), unchanged, in Debian's Chromium against the local Clerk instance.

The page and the clerk-js bundle are served by the emulator's ``--static`` mount, so the page, FAPI and
cookies share one origin. clerk-js reaches the http emulator through its ``proxyUrl`` option (the
``data-clerk-proxy-url`` script attribute): with a proxy it builds ``<proxy>/v1/...`` URLs instead of
``https://<host from the publishable key>/v1/...``. Every request the browser makes is recorded; any
request to a host outside 127.0.0.0/8 is aborted and fails the test.
"""

from __future__ import annotations

import ipaddress
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from emu_support import Bapi, email_of
from emulator_proc import EmulatorProcess

pytestmark = [pytest.mark.emulator, pytest.mark.realclient, pytest.mark.browser]

ROOT = Path(__file__).resolve().parents[2]

PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>clerk-js against the local Clerk instance</title></head>
<body>
<script src="/clerk-js/clerk.browser.js" data-clerk-publishable-key="{pk}" data-clerk-proxy-url="{proxy}"
        crossorigin="anonymous"></script>
</body></html>
"""


def _versions() -> Any:
    sys.path.insert(0, str(ROOT / "build"))
    try:
        import npm_deps
        import versions
    finally:
        sys.path.pop(0)
    return versions, npm_deps


def _is_loopback(url: str) -> bool:
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


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    _versions_mod, npm_deps = _versions()
    dist = Path(npm_deps.ensure()) / "@clerk" / "clerk-js" / "dist"
    root = tmp_path_factory.mktemp("clerk-js-site")
    (root / "clerk-js").mkdir()
    for item in dist.iterdir():
        if item.is_file() and "clerk.browser" in item.name:
            shutil.copy2(item, root / "clerk-js" / item.name)
    return root


@pytest.fixture(scope="module")
def served(site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmulatorProcess]:
    with EmulatorProcess(tmp_path_factory.mktemp("clerk-js-emu"), "--static", str(site)) as emu:
        (site / "index.html").write_text(PAGE.format(pk=emu.publishable_key, proxy=emu.fapi_url))
        yield emu


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    versions, _ = _versions()
    if not Path(versions.CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {versions.CHROMIUM} (Debian package 'chromium')")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=versions.CHROMIUM, args=versions.CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


def test_clerk_js_load_sign_in_update_metadata(served: EmulatorProcess, browser: Any) -> None:
    bapi = Bapi(served)
    user = bapi.create_user(unsafe_metadata={"seed": {"keep": 1, "drop": 2}})
    context = browser.new_context()
    requests: list[str] = []
    outside: list[str] = []
    console: list[str] = []

    def guard(route: Any) -> None:
        url = route.request.url
        if _is_loopback(url):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    context.route("**/*", guard)
    context.on("request", lambda req: requests.append(f"{req.method} {req.url}"))
    page = context.new_page()
    page.on("console", lambda msg: console.append(f"{msg.type}: {msg.text}"))
    page.on("pageerror", lambda err: console.append(f"pageerror: {err}"))
    try:
        page.goto(served.fapi_url + "/index.html")
        loaded = page.evaluate("""async () => {
            await window.Clerk.load();
            return {loaded: window.Clerk.loaded, status: window.Clerk.status, user: window.Clerk.user ?? null};
        }""")
        assert loaded["loaded"] is True and loaded["user"] is None, loaded
        signed = page.evaluate("""async ([identifier, password]) => {
            const si = await window.Clerk.client.signIn.create({identifier, password});
            await window.Clerk.setActive({session: si.createdSessionId});
            const token = await window.Clerk.session.getToken();
            return {status: si.status, userId: window.Clerk.user.id, token};
        }""", [email_of(user), "correct-horse-battery"])
        assert signed["status"] == "complete" and signed["userId"] == user["id"], signed
        assert signed["token"].count(".") == 2
        merged = page.evaluate("""async () => {
            const u = await window.Clerk.user.updateMetadata({unsafeMetadata: {seed: {drop: null}, added: [1, 2]}});
            return u.unsafeMetadata;
        }""")
        expected = {"seed": {"keep": 1}, "added": [1, 2]}
        assert merged == expected
        assert bapi.call("GET", f"/users/{user['id']}").json["unsafe_metadata"] == expected
        # The deprecated replace path: clerk-js diffs against a fresh read and merges the patch.
        replaced = page.evaluate("""async () => {
            const u = await window.Clerk.user.update({firstName: "Browser", unsafeMetadata: {only: "this"}});
            return {meta: u.unsafeMetadata, firstName: u.firstName};
        }""")
        assert replaced == {"meta": {"only": "this"}, "firstName": "Browser"}
        stored = bapi.call("GET", f"/users/{user['id']}").json
        assert stored["unsafe_metadata"] == {"only": "this"} and stored["first_name"] == "Browser"
        # A reload keeps the session (the __client cookie), then sign-out ends it on the server.
        page.reload()
        reloaded = page.evaluate("async () => { await window.Clerk.load(); return window.Clerk.user?.id ?? null; }")
        assert reloaded == user["id"]
        with page.expect_navigation():  # signOut() ends the session, then goes to after_sign_out_url
            page.evaluate("() => { window.Clerk.signOut(); return null; }")
        after = page.evaluate("async () => { await window.Clerk.load(); return window.Clerk.user?.id ?? null; }")
        assert after is None
        sessions = bapi.call("GET", "/sessions", params={"user_id": user["id"]}).json
        assert [s["status"] for s in sessions] == ["ended"]
    finally:
        context.close()
        bapi.http.close()
    log = "\n".join(requests + console)
    assert outside == [], f"requests outside loopback: {outside}\n{log}"
    fapi_calls = [r for r in requests if "/v1/" in r]
    assert any("/v1/me/metadata" in r and "_method=PATCH" in r for r in fapi_calls), log
    assert any("__clerk_api_version=2026-08-20" in r for r in fapi_calls), log
