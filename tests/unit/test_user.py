"""User: exact wire requests, update() refusal, update_metadata consistency, replace_metadata."""

import asyncio
import random
from typing import Any

import pytest
from fapi_recorder import (
    Call,
    MetadataServer,
    Recorder,
    client_json,
    envelope,
    error_body,
    loaded,
    reply,
    session_json,
    user_json,
)

from clerk_frontend import (
    ClerkAPIResponseError,
    ClerkNetworkError,
    ClerkState,
    ClerkValidationError,
    MetadataError,
    MetadataRefusedError,
    User,
)


async def signed_in(rec: Recorder, server: MetadataServer | None = None) -> tuple[Any, User]:
    server = server or MetadataServer()
    body = server.wrapped()
    clerk = await loaded(rec, body["client"])
    assert clerk.user is not None
    return clerk, clerk.user


async def test_update_sends_only_fapi_fields() -> None:
    rec = Recorder()
    clerk, user = await signed_in(rec)
    rec.on("PATCH", "/me", reply(envelope(user_json(updated_at=2_000, first_name="Grace", username=None),
                                          client_json())))
    assert await user.update(first_name="Grace", username=None) is user
    rec.assert_requested("PATCH", "/me", form=[("first_name", "Grace"), ("username", "")],
                         query=[("__clerk_api_version", "2026-05-12"), ("_clerk_py_version", "0.1.0"),
                                ("_method", "PATCH"), ("_clerk_session_id", "sess_1")])
    assert user.first_name == "Grace" and clerk.user is user


@pytest.mark.parametrize("name", ["unsafe_metadata", "unsafeMetadata", "public_metadata", "publicMetadata",
                                  "private_metadata", "privateMetadata"])
async def test_update_refuses_metadata_before_any_request(name: str) -> None:
    rec = Recorder()
    _, user = await signed_in(rec)
    before = rec.count
    with pytest.raises(MetadataRefusedError, match=r"User\.update\(\) does not accept") as info:
        await user.update(**{name: {"a": 1}})  # type: ignore[arg-type]
    assert ("update_metadata()" in str(info.value)) is ("unsafe" in name.lower())
    assert ("backend-only" in str(info.value)) is ("unsafe" not in name.lower())
    assert rec.count == before and user.unsafe_metadata == {}


async def test_update_rejects_unknown_or_empty() -> None:
    rec = Recorder()
    _, user = await signed_in(rec)
    with pytest.raises(ClerkValidationError, match="unknown field"):
        await user.update(nickname="x")
    with pytest.raises(ClerkValidationError, match="at least one"):
        await user.update()
    with pytest.raises(ClerkValidationError, match="must be str"):
        await user.update(first_name=3)  # type: ignore[arg-type]
    assert rec.count == 2


async def test_update_metadata_one_request_state_sync_and_one_listener_call() -> None:
    rec = Recorder()
    server = MetadataServer({"theme": "light", "old": 1, "nested": {"a": 1, "b": 2}})
    clerk, user = await signed_in(rec, server)
    seen: list[ClerkState] = []
    clerk.add_listener(seen.append, skip_initial=True)
    rec.on("PATCH", "/me/metadata", server.patch)
    before = rec.count
    await user.update_metadata(unsafe_metadata={"theme": "dark", "old": None, "nested": {"b": None, "c": 3}})
    assert rec.count - before == 1
    rec.assert_requested("PATCH", "/me/metadata",
                         form=[("unsafe_metadata", '{"theme":"dark","old":null,"nested":{"b":null,"c":3}}')],
                         params={"_method": "PATCH", "_clerk_session_id": "sess_1"})
    assert user.unsafe_metadata == {"theme": "dark", "nested": {"a": 1, "c": 3}} == server.metadata
    assert clerk.user is user and len(seen) == 1 and seen[0].user is user


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [({"unsafe_metadata": [1]}, MetadataError), ({"unsafe_metadata": {"a": float("nan")}}, MetadataError),
     ({"public_metadata": {"a": 1}}, MetadataError), ({"private_metadata": {}}, MetadataError),
     ({}, ClerkValidationError), ({"nickname": 1}, ClerkValidationError)],
)
async def test_update_metadata_validates_before_sending(kwargs: dict[str, Any], error: type[Exception]) -> None:
    rec = Recorder()
    _, user = await signed_in(rec)
    before = rec.count
    with pytest.raises(error):
        await user.update_metadata(**kwargs)
    assert rec.count == before and user.unsafe_metadata == {}


@pytest.mark.parametrize("failure", ["network", "422", "500"])
async def test_failure_leaves_local_state_unchanged_and_is_not_retried(failure: str) -> None:
    rec = Recorder()
    server = MetadataServer({"keep": True})
    clerk, user = await signed_in(rec, server)
    seen: list[ClerkState] = []
    clerk.add_listener(seen.append, skip_initial=True)
    if failure == "network":
        rec.on("PATCH", "/me/metadata", OSError("reset"))
        expected: type[Exception] = ClerkNetworkError
    else:
        # The error carries the (unchanged) client, as FAPI's envelope does.
        body = {**error_body("form_param_value_invalid"), "client": server.wrapped()["client"]}
        rec.on("PATCH", "/me/metadata", reply(body, int(failure)))
        expected = ClerkAPIResponseError
    before = rec.count
    with pytest.raises(expected):
        await user.update_metadata(unsafe_metadata={"keep": False})
    assert rec.count - before == 1
    assert user.unsafe_metadata == {"keep": True} and clerk.user is user and seen == []


async def test_client_on_error_response_is_applied() -> None:
    rec = Recorder()
    clerk, user = await signed_in(rec)
    newer = client_json([session_json(user=user_json(updated_at=9_000, first_name="Server"))], updated_at=9_000)
    rec.on("PATCH", "/me", reply({**error_body("form_param_format_invalid"), "client": newer}, 422))
    with pytest.raises(ClerkAPIResponseError) as info:
        await user.update(first_name="x")
    assert info.value.errors[0].code == "form_param_format_invalid"
    assert user.first_name == "Server" and clerk.user is user


@pytest.mark.parametrize("seed", range(20))
async def test_concurrent_update_metadata_ends_at_server_state(seed: int) -> None:
    rec = Recorder()
    server = MetadataServer({})
    clerk, user = await signed_in(rec, server)
    order = random.Random(seed)
    gates: list[asyncio.Event] = []

    async def slow_patch(call: Call) -> Any:
        response = server.patch(call)  # the server applies in arrival order...
        gate = asyncio.Event()
        gates.append(gate)
        await gate.wait()  # ...but answers reach the client in a shuffled order
        return response

    count = 2 + seed % 5
    for _ in range(count):
        rec.on("PATCH", "/me/metadata", slow_patch)
    seen: list[ClerkState] = []
    clerk.add_listener(seen.append, skip_initial=True)
    tasks = [asyncio.ensure_future(user.update_metadata(unsafe_metadata={f"k{i}": i, "last": i}))
             for i in range(count)]
    while len(gates) < count:
        await asyncio.sleep(0)
    for gate in order.sample(gates, len(gates)):
        gate.set()
        await asyncio.sleep(0)
    await asyncio.gather(*tasks)
    assert user.unsafe_metadata == server.metadata and clerk.user is user
    assert 1 <= len(seen) <= count


async def test_replace_metadata_reloads_diffs_and_patches() -> None:
    rec = Recorder()
    server = MetadataServer({"a": 1, "b": {"x": 1, "y": 2}, "c": [1]})
    _, user = await signed_in(rec, MetadataServer({"stale": True}))  # local copy is stale on purpose
    rec.on("GET", "/me", lambda call: reply(server.wrapped()))
    rec.on("PATCH", "/me/metadata", server.patch)
    await user.replace_metadata(unsafe_metadata={"b": {"x": 1, "z": 3}, "c": [1], "d": "new"})
    rec.assert_requested("GET", "/me")
    rec.assert_requested("PATCH", "/me/metadata",
                         form=[("unsafe_metadata", '{"a":null,"b":{"y":null,"z":3},"d":"new"}')])
    assert user.unsafe_metadata == server.metadata == {"b": {"x": 1, "z": 3}, "c": [1], "d": "new"}


async def test_replace_metadata_sends_nothing_when_equal() -> None:
    rec = Recorder()
    server = MetadataServer({"a": 1})
    _, user = await signed_in(rec, server)
    rec.on("GET", "/me", lambda call: reply(server.wrapped()))
    before = rec.count
    await user.replace_metadata(unsafe_metadata={"a": 1})
    assert [c.method + " " + c.path for c in rec.calls[before:]] == ["GET /me"]


async def test_replace_metadata_refuses_none_values() -> None:
    rec = Recorder()
    _, user = await signed_in(rec)
    with pytest.raises(ClerkValidationError, match="None"):
        await user.replace_metadata(unsafe_metadata={"a": {"b": None}})
    assert rec.count == 2


async def test_other_user_methods_wire_requests() -> None:
    rec = Recorder()
    clerk, user = await signed_in(rec)
    wrapped = envelope(user_json(updated_at=2_000), client_json())
    email = {"id": "idn_1", "object": "email_address", "email_address": "b@example.com", "updated_at": 1}
    phone = {"id": "idn_2", "object": "phone_number", "phone_number": "+15555550100", "updated_at": 1}

    rec.on("GET", "/me", reply(wrapped))
    await user.reload()
    rec.assert_requested("GET", "/me", params={"_clerk_session_id": "sess_1"})

    rec.on("GET", "/me/sessions/active", reply([{"id": "sess_1", "status": "active"}]))
    [listed] = await user.get_sessions()
    assert (listed.id, listed.status, listed.latest_activity) == ("sess_1", "active", None)

    rec.on("POST", "/me/email_addresses", reply(envelope(email, client_json())))
    address = await user.create_email_address("b@example.com")
    rec.assert_requested("POST", "/me/email_addresses", form=[("email_address", "b@example.com")])
    assert address.email_address == "b@example.com"
    rec.on("POST", "/me/email_addresses/idn_1/prepare_verification", reply(envelope(email, client_json())))
    await address.prepare_verification(strategy="email_code")
    rec.assert_requested("POST", "/me/email_addresses/idn_1/prepare_verification", form=[("strategy", "email_code")])
    verified = {**email, "verification": {"status": "verified", "strategy": "email_code"}, "updated_at": 2}
    rec.on("POST", "/me/email_addresses/idn_1/attempt_verification", reply(envelope(verified, client_json())))
    await address.attempt_verification(code="424242")
    rec.assert_requested("POST", "/me/email_addresses/idn_1/attempt_verification", form=[("code", "424242")])
    assert address.verification is not None and address.verification.status == "verified"

    rec.on("POST", "/me/phone_numbers", reply(envelope(phone, client_json())))
    number = await user.create_phone_number("+15555550100")
    rec.assert_requested("POST", "/me/phone_numbers", form=[("phone_number", "+15555550100")])
    assert number.phone_number == "+15555550100"

    rec.on("POST", "/me/change_password", reply(wrapped))
    await user.update_password(new_password="n3w-Secret!", current_password="old", sign_out_of_other_sessions=True)
    rec.assert_requested("POST", "/me/change_password", form=[("new_password", "n3w-Secret!"),
                                                              ("current_password", "old"),
                                                              ("sign_out_of_other_sessions", "true")])
    rec.on("POST", "/me/remove_password", reply(wrapped))
    await user.remove_password(current_password="old")
    rec.assert_requested("POST", "/me/remove_password", form=[("current_password", "old")])
    # Under reverification clerk-js sends neither the current password: both calls may leave it out.
    rec.on("POST", "/me/remove_password", reply(wrapped))
    await user.remove_password()
    rec.assert_requested("POST", "/me/remove_password", form=[])
    rec.on("POST", "/me/change_password", reply(wrapped))
    await user.update_password(new_password="n3w-Secret!")
    rec.assert_requested("POST", "/me/change_password", form=[("new_password", "n3w-Secret!")])

    image = {"id": "img_1", "object": "image", "name": "p.png", "public_url": "http://127.0.0.1/p.png"}
    rec.on("POST", "/me/profile_image", reply(envelope(image, client_json())))
    assert (await user.set_profile_image(b"\x89PNG"))["public_url"] == "http://127.0.0.1/p.png"  # type: ignore[index]
    upload = rec.assert_requested("POST", "/me/profile_image")
    assert upload.request.headers["content-type"].startswith("multipart/form-data; boundary=")
    rec.on("DELETE", "/me/profile_image", reply(envelope({"deleted": True, "object": "image"}, client_json())))
    assert await user.set_profile_image(None) is None

    memberships = {"data": [{"id": "orgmem_1", "role": "org:admin", "organization": {"id": "org_1", "name": "Acme"}}],
                   "total_count": 7}
    rec.on("GET", "/me/organization_memberships", reply(envelope(memberships, client_json())))
    page = await user.get_organization_memberships(initial_page=2, page_size=3)
    rec.assert_requested("GET", "/me/organization_memberships",
                         query=[("paginated", "true"), ("limit", "3"), ("offset", "3"),
                                ("__clerk_api_version", "2026-05-12"), ("_clerk_py_version", "0.1.0"),
                                ("_clerk_session_id", "sess_1")])
    assert page.total_count == 7 and page.data[0].organization.name == "Acme"

    signed_out = client_json(sessions=[], updated_at=10_000)
    rec.on("DELETE", "/me", reply(envelope({"object": "user", "id": "user_1", "deleted": True}, signed_out)))
    await user.delete()
    rec.assert_requested("DELETE", "/me", params={"_method": "DELETE"})
    assert clerk.user is None and clerk.session is None


@pytest.mark.parametrize(
    "call",
    [lambda u: u.create_email_address(42), lambda u: u.create_email_address(None),
     lambda u: u.create_phone_number(b"+1"), lambda u: u.update_password(new_password=123456789),
     lambda u: u.update_password(new_password="x" * 9, sign_out_of_other_sessions="yes"),
     lambda u: u.remove_password(current_password=1)],
)
async def test_wrong_argument_types_are_refused_before_sending(call: Any) -> None:
    rec = Recorder()
    _, user = await signed_in(rec)
    with pytest.raises(ClerkValidationError):
        await call(user)
    assert rec.count == 2


async def test_a_get_that_does_not_apply_its_client_still_applies_the_user() -> None:
    # A GET does not apply its piggybacked client by default, so even when that client carries the very same
    # user JSON, the user must come from the payload (the skip is only for a client that was applied).
    rec = Recorder()
    clerk, user = await signed_in(rec)
    for first_name, updated_at, apply_client in (("Fresh", 5_000, None), ("Again", 6_000, True)):
        fresh = user_json(updated_at=updated_at, first_name=first_name)
        rec.on("GET", "/me", reply(envelope(fresh, client_json([session_json(user=fresh)]))))
        await clerk._request("GET", "/me", apply_client=apply_client, into=user)
        assert user.first_name == first_name and user.updated_at.timestamp() * 1000 == updated_at


async def test_the_response_user_is_read_once_when_the_client_carries_the_same_json(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from clerk_frontend.wire import UserJSON

    rec = Recorder()
    server = MetadataServer({"a": 1})
    _, user = await signed_in(rec, server)
    rec.on("PATCH", "/me/metadata", server.patch)
    validated: list[Any] = []
    original = UserJSON.model_validate
    monkeypatch.setattr(UserJSON, "model_validate", classmethod(lambda cls, data: validated.append(data) or
                                                                original(data)))
    await user.update_metadata(unsafe_metadata={"b": 2})
    assert validated == [] and user.unsafe_metadata == {"a": 1, "b": 2} == server.metadata


async def test_a_response_user_that_differs_from_the_clients_copy_is_applied() -> None:
    # The piggybacked client may lag (or lead) the response object; the payload is read whenever it differs.
    rec = Recorder()
    _, user = await signed_in(rec)
    older_copy = user_json(updated_at=1_000)
    rec.on("PATCH", "/me", reply(envelope(user_json(updated_at=2_000, first_name="New"),
                                          client_json([session_json(user=older_copy)]))))
    await user.update(first_name="New")
    assert user.first_name == "New"


async def test_an_unchanged_refresh_keeps_attribute_objects_and_fires_no_listener() -> None:
    rec = Recorder()
    server = MetadataServer({"nested": {"x": 1}})
    clerk, user = await signed_in(rec, server)
    seen: list[ClerkState] = []
    clerk.add_listener(seen.append, skip_initial=True)
    metadata, emails, created = user.unsafe_metadata, user.email_addresses, user.created_at
    same = server.wrapped()["client"]
    rec.on("GET", "/environment", reply({"auth_config": {}}))
    rec.on("GET", "/client", reply(envelope(same, same)))
    await clerk.load()
    assert user.unsafe_metadata is metadata and user.email_addresses is emails and user.created_at is created
    assert seen == []


async def test_a_refresh_reverts_local_edits_to_the_servers_value() -> None:
    # Resources are updated in place; whatever the caller changed in them, the next refresh restores the server's.
    rec = Recorder()
    server = MetadataServer({"nested": {"x": 1}})
    clerk, user = await signed_in(rec, server)
    user.unsafe_metadata["nested"]["x"] = 99
    user.unsafe_metadata["local"] = True
    same = server.wrapped()["client"]
    rec.on("GET", "/environment", reply({"auth_config": {}}))
    rec.on("GET", "/client", reply(envelope(same, same)))
    await clerk.load()
    assert user.unsafe_metadata == {"nested": {"x": 1}} == server.metadata
