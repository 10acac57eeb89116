"""The unit-layer scenarios again, over real HTTP against the local Clerk instance."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from bapi_client import PASSWORD, Backend
from contract_support import Harness

from clerk_frontend import (
    ClerkAPIResponseError,
    ClerkState,
    ClerkValidationError,
    MetadataError,
    MetadataRefusedError,
)


async def test_load_is_two_requests_plus_dev_browser_the_first_time(harness: Harness) -> None:
    clerk = harness.clerk
    await clerk.load()
    assert [(c.method, c.path) for c in harness.calls[:1]] == [("POST", "/dev_browser")]
    assert sorted(c.path for c in harness.calls[1:]) == ["/client", "/environment"]
    jwt = clerk.dev_browser_jwt
    assert jwt and harness.assert_requested("GET", "/client").params["__clerk_db_jwt"] == jwt
    assert clerk.loaded and clerk.client is not None and clerk.user is None
    before = len(harness.calls)
    await clerk.load()  # the dev browser is kept: two more requests only
    assert len(harness.calls) - before == 2
    await clerk.aclose()


async def test_sign_in_with_password_and_identity(harness: Harness, backend: Backend) -> None:
    email, user_id = backend.new_user(first_name="Ada")
    user = await harness.sign_in(email)
    harness.assert_requested("POST", "/client/sign_ins", form=[("identifier", email), ("password", PASSWORD)])
    clerk = harness.clerk
    assert user.id == user_id and user.first_name == "Ada" and clerk.sign_in.status == "complete"
    assert clerk.session is not None and clerk.session.user is user
    await clerk.load()
    assert clerk.user is user  # the same Python object across client updates
    await clerk.aclose()


async def test_sign_in_with_email_code(harness: Harness, backend: Backend) -> None:
    email, user_id = backend.new_user()
    await harness.clerk.load()
    sign_in = harness.clerk.sign_in
    await sign_in.create(identifier=email)
    assert sign_in.status == "needs_first_factor"
    await sign_in.prepare_first_factor(strategy="email_code")
    await sign_in.attempt_first_factor(strategy="email_code", code="424242")
    assert sign_in.status == "complete" and sign_in.created_session_id
    await harness.clerk.set_active(session=sign_in.created_session_id)
    assert harness.clerk.user is not None and harness.clerk.user.id == user_id
    await harness.clerk.aclose()


async def test_sign_up_with_unsafe_metadata_and_email_code(harness: Harness, backend: Backend) -> None:
    await harness.clerk.load()
    sign_up = harness.clerk.sign_up
    email = f"signup-{id(harness)}+clerk_test@example.com"
    await sign_up.create(email_address=email, password=PASSWORD, unsafe_metadata={"plan": "pro", "n": [1, 2]})
    harness.assert_requested("POST", "/client/sign_ups", form={"email_address": email, "password": PASSWORD,
                                                               "unsafe_metadata": '{"plan":"pro","n":[1,2]}'})
    await sign_up.prepare_email_address_verification()
    await sign_up.attempt_email_address_verification(code="424242")
    assert sign_up.status == "complete"
    user = harness.clerk.user
    assert user is not None and user.unsafe_metadata == {"plan": "pro", "n": [1, 2]}
    assert backend.user(user.id)["unsafe_metadata"] == {"plan": "pro", "n": [1, 2]}
    await harness.clerk.aclose()


async def test_update_refuses_metadata_without_a_request(harness: Harness, backend: Backend) -> None:
    email, _ = backend.new_user()
    user = await harness.sign_in(email)
    before = len(harness.calls)
    with pytest.raises(MetadataRefusedError, match=r"update_metadata\(\)"):
        await user.update(unsafe_metadata={"a": 1})  # type: ignore[arg-type]
    with pytest.raises(MetadataError):
        await user.update_metadata(unsafe_metadata={"big": "x" * 9000})
    assert len(harness.calls) == before
    await user.update(first_name="Grace", last_name=None)
    harness.assert_requested("PATCH", "/me", form=[("first_name", "Grace"), ("last_name", "")])
    assert user.first_name == "Grace" and user.last_name is None
    await harness.clerk.aclose()


async def test_update_metadata_merges_deletes_syncs_and_fires_once(harness: Harness, backend: Backend) -> None:
    email, user_id = backend.new_user(unsafe_metadata={"theme": "light", "old": 1, "nested": {"a": 1, "b": 2}})
    user = await harness.sign_in(email)
    seen: list[ClerkState] = []
    harness.clerk.add_listener(seen.append, skip_initial=True)
    before = len(harness.calls)
    await user.update_metadata(unsafe_metadata={"theme": "dark", "old": None, "nested": {"b": None, "c": 3}})
    assert len(harness.calls) - before == 1
    harness.assert_requested("PATCH", "/me/metadata",
                             form=[("unsafe_metadata", '{"theme":"dark","old":null,"nested":{"b":null,"c":3}}')],
                             params={"_method": "PATCH"})
    expected = {"theme": "dark", "nested": {"a": 1, "c": 3}}
    assert user.unsafe_metadata == expected == backend.user(user_id)["unsafe_metadata"]
    assert harness.clerk.user is user and len(seen) == 1
    await harness.clerk.aclose()


async def test_server_error_leaves_state_equal_to_server(harness: Harness, backend: Backend) -> None:
    email, user_id = backend.new_user(first_name="Keep")
    user = await harness.sign_in(email)
    with pytest.raises(ClerkAPIResponseError) as info:
        await user.update(primary_email_address_id="idn_does_not_exist")
    assert 400 <= info.value.status < 500 and info.value.errors
    assert user.first_name == "Keep" == backend.user(user_id)["first_name"]
    await harness.clerk.aclose()


async def test_concurrent_update_metadata_ends_at_server_state(harness: Harness, backend: Backend) -> None:
    email, user_id = backend.new_user()
    user = await harness.sign_in(email)
    await asyncio.gather(*(user.update_metadata(unsafe_metadata={f"k{i}": i, "last": i}) for i in range(8)))
    server = backend.user(user_id)["unsafe_metadata"]
    assert {f"k{i}" for i in range(8)} <= server.keys()
    assert user.unsafe_metadata == server and harness.clerk.user is user
    await harness.clerk.aclose()


async def test_replace_metadata_diffs_against_a_fresh_baseline(harness: Harness, backend: Backend) -> None:
    email, user_id = backend.new_user(unsafe_metadata={"a": 1})
    user = await harness.sign_in(email)
    # Another writer changes the server after our copy was loaded.
    backend.call("PATCH", f"/users/{user_id}/metadata", {"unsafe_metadata": {"b": {"x": 1, "y": 2}, "c": [1]}})
    before = len(harness.calls)
    await user.replace_metadata(unsafe_metadata={"b": {"x": 1}, "d": "new"})
    assert [(c.method, c.path) for c in harness.calls[before:]] == [("GET", "/me"), ("PATCH", "/me/metadata")]
    harness.assert_requested("PATCH", "/me/metadata",
                             form=[("unsafe_metadata", '{"a":null,"c":null,"b":{"y":null},"d":"new"}')])
    assert user.unsafe_metadata == {"b": {"x": 1}, "d": "new"} == backend.user(user_id)["unsafe_metadata"]
    before = len(harness.calls)
    await user.replace_metadata(unsafe_metadata={"b": {"x": 1}, "d": "new"})
    assert [(c.method, c.path) for c in harness.calls[before:]] == [("GET", "/me")]
    await harness.clerk.aclose()


async def test_get_token_is_cached(harness: Harness, backend: Backend) -> None:
    email, user_id = backend.new_user()
    await harness.sign_in(email)
    session = harness.clerk.session
    assert session is not None
    first = await session.get_token(skip_cache=True)
    assert first is not None
    before = len(harness.calls)
    assert await session.get_token() == first
    assert len(harness.calls) == before
    from clerk_frontend.tokens import decode_jwt_claims

    claims = decode_jwt_claims(first)
    assert claims["sub"] == user_id and claims["sid"] == session.id
    await harness.clerk.aclose()


async def test_user_methods(harness: Harness, backend: Backend) -> None:
    email, _ = backend.new_user()
    user = await harness.sign_in(email)
    await user.reload()
    harness.assert_requested("GET", "/me", params={"_clerk_session_id": harness.clerk.session.id})  # type: ignore[union-attr]
    sessions = await user.get_sessions()
    assert any(s.id == harness.clerk.session.id for s in sessions)  # type: ignore[union-attr]
    address = await user.create_email_address(f"second-{id(harness)}+clerk_test@example.com")
    await address.prepare_verification(strategy="email_code")
    await address.attempt_verification(code="424242")
    assert address.verification is not None and address.verification.status == "verified"
    assert any(e is address for e in user.email_addresses)
    await user.update_password(new_password="a-new-password-2", current_password=PASSWORD)
    harness.assert_requested("POST", "/me/change_password",
                             form=[("new_password", "a-new-password-2"), ("current_password", PASSWORD)])
    page = await user.get_organization_memberships()
    assert page.total_count == 0 and page.data == []
    await harness.clerk.aclose()


async def test_organization_selection_and_update(harness: Harness, backend: Backend) -> None:
    email, user_id = backend.new_user()
    org = backend.call("POST", "/organizations", {"name": "Acme", "created_by": user_id})
    await harness.sign_in(email)
    clerk = harness.clerk
    await clerk.user.reload()  # type: ignore[union-attr]
    await clerk.set_active(organization=org["id"])
    assert clerk.organization is not None and clerk.organization.id == org["id"]
    token = await clerk.session.get_token()  # type: ignore[union-attr]
    from clerk_frontend.tokens import decode_jwt_claims

    assert token is not None and decode_jwt_claims(token).get("o", {}).get("id") == org["id"]
    await clerk.organization.update(name="Acme 2")
    assert clerk.organization.name == "Acme 2"
    members = await clerk.organization.get_memberships()
    assert members.total_count == 1
    await clerk.set_active(organization=None)
    assert clerk.organization is None
    await clerk.aclose()


async def test_sign_out(harness: Harness, backend: Backend) -> None:
    email, _ = backend.new_user()
    await harness.sign_in(email)
    seen: list[Any] = []
    harness.clerk.add_listener(seen.append, skip_initial=True)
    await harness.clerk.sign_out()
    harness.assert_requested("DELETE", "/client/sessions", params={"_method": "DELETE"})
    assert harness.clerk.user is None and harness.clerk.session is None and len(seen) == 1
    await harness.clerk.load()
    assert harness.clerk.user is None
    with pytest.raises(ClerkValidationError):
        await harness.clerk.set_active(session="sess_nope")
    await harness.clerk.aclose()


async def test_delete_user(harness: Harness, backend: Backend) -> None:
    email, user_id = backend.new_user()
    user = await harness.sign_in(email)
    await user.delete()
    assert harness.clerk.user is None
    response = backend.http.get(f"/users/{user_id}")
    assert response.status_code == 404
    await harness.clerk.aclose()


async def test_phone_number_email_destroy_and_password_removal(harness: Harness, backend: Backend) -> None:
    email, user_id = backend.new_user()
    user = await harness.sign_in(email)
    phone = await user.create_phone_number("+15555550123")
    harness.assert_requested("POST", "/me/phone_numbers", form=[("phone_number", "+15555550123")])
    await phone.prepare_verification(strategy="phone_code")
    await phone.attempt_verification(code="424242")
    assert phone.verification is not None and phone.verification.status == "verified"
    assert [p.phone_number for p in user.phone_numbers] == ["+15555550123"] and user.phone_numbers[0] is phone
    extra = await user.create_email_address(f"extra-{id(harness)}+clerk_test@example.com")
    await extra.destroy()
    harness.assert_requested("DELETE", f"/me/email_addresses/{extra.id}", params={"_method": "DELETE"})
    assert all(e.id != extra.id for e in user.email_addresses)
    await user.remove_password(current_password=PASSWORD)
    assert user.password_enabled is False and backend.user(user_id)["password_enabled"] is False
    await harness.clerk.aclose()


async def test_session_touch_and_end(harness: Harness, backend: Backend) -> None:
    email, _ = backend.new_user()
    await harness.sign_in(email)
    session = harness.clerk.session
    assert session is not None
    await session.touch(intent="focus")
    harness.assert_requested("POST", f"/client/sessions/{session.id}/touch", form=[("intent", "focus")])
    await session.end()
    assert session.status == "ended" and harness.clerk.session is None and harness.clerk.user is None
    await harness.clerk.aclose()
