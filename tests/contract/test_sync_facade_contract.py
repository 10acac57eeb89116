"""The sync facade over real HTTP: no event loop anywhere in this test."""

from __future__ import annotations

from bapi_client import PASSWORD, Backend
from clerk_emulator.kit import ClerkInstance
from contract_support import BlockingHttpxTransport
from fapi_recorder import RecordingTransport, assert_requested

from clerk_frontend import SyncClerk, unwrap


def test_sync_clerk_signs_in_and_updates_metadata(emu: ClerkInstance, backend: Backend) -> None:
    email, user_id = backend.new_user(unsafe_metadata={"keep": 1})
    transport = RecordingTransport(BlockingHttpxTransport())
    clerk = SyncClerk(emu.publishable_key, transport=transport, storage={})
    clerk.load()
    assert [c.path for c in transport.calls] == ["/dev_browser", "/environment", "/client"]
    clerk.sign_in.create(identifier=email, password=PASSWORD)
    user = clerk.user
    assert user.id == user_id
    seen: list[object] = []
    clerk.add_listener(seen.append, skip_initial=True)
    user.update_metadata(unsafe_metadata={"theme": "dark", "keep": None})
    assert_requested(transport.calls, "PATCH", "/me/metadata",
                     form=[("unsafe_metadata", '{"theme":"dark","keep":null}')])
    assert user.unsafe_metadata == {"theme": "dark"} == backend.user(user_id)["unsafe_metadata"]
    assert unwrap(clerk.user) is unwrap(user) and len(seen) == 1
    token = clerk.session.get_token()
    before = len(transport.calls)
    assert clerk.session.get_token() == token and len(transport.calls) == before
    clerk.sign_out()
    assert clerk.user is None
    transport.inner.http.close()
