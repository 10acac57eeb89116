"""@clerk/clerk-js (pinned in build/versions.py), unchanged, in Debian's Chromium against the local Clerk instance.

The page and the clerk-js bundle are served by the emulator's ``--static`` mount, so the page, FAPI and
cookies share one origin. clerk-js reaches the http emulator through its ``proxyUrl`` option (the
``data-clerk-proxy-url`` script attribute): with a proxy it builds ``<proxy>/v1/...`` URLs instead of
``https://<host from the publishable key>/v1/...``. Every request the browser makes is recorded; any
request to a host outside 127.0.0.0/8 is aborted and fails the test.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from clerk_emulator.kit import LocalProcess
from clerk_js_support import PAGE, chromium, copy_clerk_js, guarded_context
from emu_support import Bapi, email_of

pytestmark = [pytest.mark.emulator, pytest.mark.realclient, pytest.mark.browser]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_clerk_js(tmp_path_factory.mktemp("clerk-js-site"))


@pytest.fixture(scope="module")
def served(site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalProcess]:
    with LocalProcess(tmp_path_factory.mktemp("clerk-js-emu"), static_dir=site) as emu:
        (site / "index.html").write_text(PAGE.format(pk=emu.publishable_key, proxy=emu.fapi_url, extra=""))
        yield emu


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as b:
        yield b


def test_clerk_js_load_sign_in_update_metadata(served: LocalProcess, browser: Any) -> None:
    bapi = Bapi(served)
    user = bapi.create_user(unsafe_metadata={"seed": {"keep": 1, "drop": 2}})
    context, traffic = guarded_context(browser)
    page = context.new_page()
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
    log = traffic.log()
    assert traffic.outside == [], f"requests outside loopback: {traffic.outside}\n{log}"
    fapi_calls = [r for r in traffic.requests if "/v1/" in r]
    assert any("/v1/me/metadata" in r and "_method=PATCH" in r for r in fapi_calls), log
    assert any("__clerk_api_version=2026-08-20" in r for r in fapi_calls), log
