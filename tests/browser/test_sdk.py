"""The SDK in Pyodide in Chromium against the local Clerk instance.

The page (static server) and the Frontend API (emulator) are two loopback origins on one host, so the
browser applies real credentialed CORS. Every test builds its own ``Clerk`` with fresh in-memory storage
(a new dev-browser client) and signs in a user of its own, created through the Backend API; the server's
state is then read back through the Backend API to compare with what the SDK holds.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from bapi_client import PASSWORD, Backend
from browser_harness import PyPage, boot_harness, new_page
from clerk_emulator.kit import LocalProcess
from playwright.sync_api import Browser
from serve import StaticServer

PAGES = Path(__file__).resolve().parent / "pages"


@pytest.fixture
def signed_in(py_page: PyPage, emu: LocalProcess, backend: Backend) -> str:
    """A fresh user signed in through a fresh ``clerk`` in the page; returns the user id."""
    email, user_id = backend.new_user("browser")
    py_page.run(f"""
from clerk_frontend import Clerk
clerk = Clerk({emu.publishable_key!r}, storage={{}})
await clerk.load()
await clerk.sign_in.create(identifier={email!r}, password={PASSWORD!r})
user = clerk.user
assert user is not None and user.id == {user_id!r}, user
""")
    return user_id


def fapi_calls(page: PyPage, emu: LocalProcess, since: int = 0) -> list[str]:
    """Frontend API requests the page made (paths with query), from the browser's own record."""
    prefix = emu.fapi_url
    return [u[len(prefix):] for u in page.recorder.requests[since:] if u.startswith(prefix)]


def test_load_and_password_sign_in(py_page: PyPage, emu: LocalProcess, backend: Backend) -> None:
    email, user_id = backend.new_user("signin", first_name="Grace")
    start = len(py_page.recorder.requests)
    got = py_page.run(f"""
from clerk_frontend import Clerk
clerk = Clerk({emu.publishable_key!r}, storage={{}})
await clerk.load()
before = [clerk.loaded, clerk.user]
await clerk.sign_in.create(identifier={email!r}, password={PASSWORD!r})
[before, clerk.user.id, clerk.user.first_name, clerk.user.primary_email_address.email_address,
 clerk.session.status, clerk.user is clerk.session.user]
""")
    assert got == [[True, None], user_id, "Grace", email, "active", True]
    calls = fapi_calls(py_page, emu, start)
    # load() = dev browser (first time) + environment and client; then the sign-in.
    assert calls[0].startswith("/v1/dev_browser?")
    assert sorted(c.split("?")[0] for c in calls[1:3]) == ["/v1/client", "/v1/environment"]
    assert calls[3].startswith("/v1/client/sign_ins?")
    assert all("__clerk_api_version=2026-05-12" in c for c in calls)


def test_update_refuses_unsafe_metadata_before_any_request(py_page: PyPage, emu: LocalProcess,
                                                            signed_in: str) -> None:
    start = len(py_page.recorder.requests)
    got = py_page.run("""
from clerk_frontend import MetadataRefusedError
before = dict(user.unsafe_metadata)
try:
    await user.update(first_name="Ada", unsafe_metadata={"theme": "dark"})
    outcome = None
except MetadataRefusedError as exc:
    outcome = [type(exc).__name__, str(exc)]
[outcome, user.first_name, user.unsafe_metadata == before]
""")
    outcome, first_name, unchanged = got
    assert outcome[0] == "MetadataRefusedError"
    assert "update_metadata()" in outcome[1]
    assert first_name != "Ada" and unchanged
    assert fapi_calls(py_page, emu, start) == []


def test_update_metadata_merges_deletes_and_keeps_local_state_equal_to_the_server(
        py_page: PyPage, emu: LocalProcess, backend: Backend, signed_in: str) -> None:
    py_page.run("""await user.update_metadata(unsafe_metadata={"a": 1, "nested": {"x": 1, "y": 2}, "old": True})""")
    start = len(py_page.recorder.requests)
    got = py_page.run("""
fired = []
unsubscribe = clerk.add_listener(lambda state: fired.append(state.user.unsafe_metadata), skip_initial=True)
same = user
await user.update_metadata(unsafe_metadata={"nested": {"y": None, "z": 3}, "old": None, "b": [1, 2]})
unsubscribe()
[user.unsafe_metadata, len(fired), same is clerk.user]
""")
    expected = {"a": 1, "nested": {"x": 1, "z": 3}, "b": [1, 2]}
    local, listener_calls, same_object = got
    assert local == expected
    assert backend.user(signed_in)["unsafe_metadata"] == expected
    assert listener_calls == 1
    assert same_object
    calls = fapi_calls(py_page, emu, start)
    assert len(calls) == 1 and calls[0].startswith("/v1/me/metadata?")
    assert "_method=PATCH" in calls[0]


def test_concurrent_update_metadata_calls_end_equal_to_the_server(
        py_page: PyPage, backend: Backend, signed_in: str) -> None:
    local = py_page.run("""
import asyncio
await asyncio.gather(*(user.update_metadata(unsafe_metadata={f"k{i}": i, "last": i}) for i in range(8)))
user.unsafe_metadata
""")
    server = backend.user(signed_in)["unsafe_metadata"]
    assert local == server
    assert {f"k{i}": i for i in range(8)}.items() <= server.items()


def test_replace_metadata_diffs_against_a_fresh_baseline(
        py_page: PyPage, emu: LocalProcess, backend: Backend, signed_in: str) -> None:
    py_page.run("""await user.update_metadata(unsafe_metadata={"a": 1, "b": {"c": 2, "d": 3}})""")
    # A write the page has not seen: replace_metadata must still remove it.
    backend.call("PATCH", f"/users/{signed_in}/metadata", {"unsafe_metadata": {"server_side": True}})
    start = len(py_page.recorder.requests)
    local = py_page.run("""
await user.replace_metadata(unsafe_metadata={"a": 2, "b": {"c": 2}})
user.unsafe_metadata
""")
    assert local == {"a": 2, "b": {"c": 2}}
    assert backend.user(signed_in)["unsafe_metadata"] == local
    calls = [c.split("?")[0] for c in fapi_calls(py_page, emu, start)]
    assert calls == ["/v1/me", "/v1/me/metadata"]
    start = len(py_page.recorder.requests)
    py_page.run("""await user.replace_metadata(unsafe_metadata={"a": 2, "b": {"c": 2}})""")
    assert [c.split("?")[0] for c in fapi_calls(py_page, emu, start)] == ["/v1/me"], "an empty diff sends nothing"


def test_get_token_is_cached_until_near_expiry(py_page: PyPage, emu: LocalProcess, signed_in: str) -> None:
    start = len(py_page.recorder.requests)
    got = py_page.run("""
import base64, json
session = clerk.session
first = await session.get_token()
second = await session.get_token()
payload = first.split(".")[1]
claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
[first == second, claims["sub"], claims["sid"] == session.id, claims["exp"] - claims["iat"]]
""")
    assert got == [True, signed_in, True, 60]
    # The sign-in answered a session carrying its last active token, which seeds the cache: no token request.
    tokens = [c for c in fapi_calls(py_page, emu, start) if "/tokens" in c]
    assert tokens == [], tokens
    start = len(py_page.recorder.requests)
    py_page.run("await clerk.session.get_token(skip_cache=True)")
    assert len([c for c in fapi_calls(py_page, emu, start) if "/tokens" in c]) == 1


def test_sign_out_ends_the_session_on_the_server(py_page: PyPage, emu: LocalProcess, backend: Backend,
                                                 signed_in: str) -> None:
    session_id = py_page.run("clerk.session.id")
    got = py_page.run("""
await clerk.sign_out()
[clerk.user, clerk.session]
""")
    assert got == [None, None]
    sessions = backend.call("GET", f"/sessions?user_id={signed_in}")
    sessions = sessions["data"] if isinstance(sessions, dict) else sessions
    status = {s["id"]: s["status"] for s in sessions}
    assert status[session_id] != "active"


@pytest.fixture(scope="module")
def isolated_server(bundle_dir: Path) -> Iterator[StaticServer]:
    """PyScript workers need a cross-origin isolated page for their bridge to the DOM."""
    server = StaticServer([bundle_dir, PAGES], isolated=True)
    server.start_in_thread()
    yield server
    server.shutdown()
    server.server_close()


def test_sync_facade_in_a_pyscript_worker(browser: Browser, isolated_server: StaticServer,
                                          emu: LocalProcess, backend: Backend) -> None:
    email, user_id = backend.new_user("worker")
    params = json.dumps({"pk": emu.publishable_key, "email": email, "password": PASSWORD})
    context, page, recorder = new_page(browser, f"{isolated_server.url}/worker.html#{params}")
    try:
        page.wait_for_function("document.getElementById('out').dataset.done === '1'", timeout=120_000)
        out = json.loads(page.text_content("#out") or "{}")
    finally:
        context.close()
    assert "error" not in out, f"{out.get('error')}\n{recorder.console_tail()}"
    assert out["user_id"] == user_id
    assert out["metadata"] == {"from": "worker", "n": 1}
    assert out["token_sub"] == user_id
    assert backend.user(user_id)["unsafe_metadata"] == {"from": "worker", "n": 1}
    assert any(u.startswith(emu.fapi_url + "/v1/me/metadata") for u in recorder.requests)


def test_default_storage_keeps_the_client_across_a_page_reload(browser: Browser, static_server: StaticServer,
                                                               emu: LocalProcess, backend: Backend) -> None:
    """Without ``storage=``, the dev-browser token lives in localStorage, so a reload stays signed in."""
    email, user_id = backend.new_user("reload")
    context, page = boot_harness(browser, static_server.url)
    try:
        page.run(f"""
from clerk_frontend import Clerk
clerk = Clerk({emu.publishable_key!r})
await clerk.load()
await clerk.sign_in.create(identifier={email!r}, password={PASSWORD!r})
""")
        page.page.reload()
        page.page.wait_for_function("window.pyReady !== undefined", timeout=120_000)
        mark = len(page.recorder.requests)
        got = page.run(f"""
from clerk_frontend import Clerk
clerk = Clerk({emu.publishable_key!r})
await clerk.load()
clerk.user.id
""")
        assert got == user_id
        paths = sorted(c.split("?")[0] for c in fapi_calls(page, emu, mark))
        assert paths == ["/v1/client", "/v1/environment"], "no new dev browser after a reload"
    finally:
        context.close()


def test_a_slow_answer_times_out_as_a_network_error_and_changes_nothing(
        py_page: PyPage, emu: LocalProcess, backend: Backend, signed_in: str) -> None:
    """PyfetchTransport's timeout is the browser's AbortSignal timer: the fetch is aborted for real."""
    py_page.run("""await user.update_metadata(unsafe_metadata={"kept": 1})""")
    with httpx.Client(base_url=emu.fapi_url, timeout=10) as control:
        control.post("/__emulator/faults",
                     json={"path": "^/v1/me/metadata$", "latency_ms": 5000, "times": 1}).raise_for_status()
        try:
            got = py_page.run("""
import time
from clerk_frontend import ClerkNetworkError
clerk.transport.timeout = 0.3
t0 = time.perf_counter()
try:
    await user.update_metadata(unsafe_metadata={"lost": 1})
    outcome = "answered"
except ClerkNetworkError as exc:
    outcome = type(exc).__name__
finally:
    clerk.transport.timeout = 30.0
[outcome, round(time.perf_counter() - t0, 1), user.unsafe_metadata]
""")
        finally:
            control.delete("/__emulator/faults")
    outcome, seconds, local = got
    assert outcome == "ClerkNetworkError"
    assert seconds < 4, "aborted by the 0.3 s timer, long before the 5 s answer"
    assert local == {"kept": 1}


def test_pyfetch_transport_reads_status_body_and_headers_in_the_browser(py_page: PyPage, emu: LocalProcess) -> None:
    """The transport's JS side (fetcher with timeout, body read in JS, headers on demand) in real Chromium."""
    got = py_page.run(f"""
from clerk_frontend import FapiRequest, PyfetchTransport
transport = PyfetchTransport(timeout=5)
made = await transport.handle(FapiRequest("POST", {emu.fapi_url + "/v1/dev_browser"!r}))
missing = await transport.handle(FapiRequest("GET", {emu.fapi_url + "/v1/no_such_path"!r}))
import json
token = json.loads(made.body)["id"]
[made.status, made.headers.get("clerk-db-jwt") == token, made.headers.get("retry-after", "none"),
 "content-type" in dict(made.headers), missing.status, json.loads(missing.body)["errors"][0]["code"]]
""")
    assert got == [200, True, "none", True, 404, "resource_not_found"]
