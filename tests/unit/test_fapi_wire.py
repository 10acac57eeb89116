"""The pure Frontend API layer: request building and response reading."""

import json

import pytest
from fapi_recorder import BASE, VERSION_PARAMS, decode
from hypothesis import given
from hypothesis import strategies as st

from clerk_frontend import API_VERSION, ClerkAPIResponseError, ClerkRuntimeError, FapiResponse
from clerk_frontend.fapi import backoff_delay, build_request, encode_form, encode_multipart, read_response


def test_api_version_is_the_pinned_one() -> None:
    assert API_VERSION == "2026-05-12"


def test_clerk_js_form_vector() -> None:
    params = {"definedValue": "test", "nullValue": None, "falseValue": False, "zeroValue": 0, "emptyString": ""}
    assert encode_form(params) == "defined_value=test&null_value=&false_value=false&zero_value=0&empty_string="


def test_lists_repeat_and_dicts_become_one_json_field() -> None:
    assert encode_form({"additional_scope": ["a", "b"]}) == "additional_scope=a&additional_scope=b"
    assert encode_form({"unsafe_metadata": {"theme": "dark"}}) == "unsafe_metadata=%7B%22theme%22%3A%22dark%22%7D"
    # Compact, non-ASCII kept as UTF-8 (as JSON.stringify + URL encoding do).
    assert encode_form({"m": {"a": [1, "é"]}}) == "m=%7B%22a%22%3A%5B1%2C%22%C3%A9%22%5D%7D"


def test_get_query_order_and_no_body() -> None:
    request = build_request(BASE, "GET", "/me/organization_memberships",
                            query=[("limit", "10"), ("offset", "0")], session_id="sess_1", dev_browser_jwt="dvb_1")
    assert request.method == "GET" and request.body is None and request.headers == {}
    call = decode(request)
    assert call.query == [("limit", "10"), ("offset", "0"), *VERSION_PARAMS, ("_clerk_session_id", "sess_1"),
                          ("__clerk_db_jwt", "dvb_1")]
    assert request.url.startswith("http://127.0.0.1:8790/v1/me/organization_memberships?")


@pytest.mark.parametrize("verb", ["PATCH", "PUT", "DELETE"])
def test_other_verbs_travel_as_post_with_method(verb: str) -> None:
    request = build_request(BASE, verb, "/me", form={"first_name": "A"}, session_id="sess_1")
    assert request.method == "POST"
    assert request.headers == {"content-type": "application/x-www-form-urlencoded"}
    assert decode(request).query == [*VERSION_PARAMS, ("_method", verb), ("_clerk_session_id", "sess_1")]
    assert request.body == b"first_name=A"


@pytest.mark.parametrize("path", ["/client", "/client/sessions/sess_1/touch", "/waitlist", "/environment"])
def test_client_paths_never_carry_session_id(path: str) -> None:
    assert "_clerk_session_id" not in decode(build_request(BASE, "POST", path, session_id="sess_1")).params


def test_retry_attempt_param_and_path_quoting() -> None:
    call = decode(build_request(BASE, "GET", "/client", retry_attempt=2))
    assert call.query[-1] == ("_clerk_retry_attempt", "2")
    assert "/tokens/my%20template?" in build_request(BASE, "POST", "/client/sessions/s/tokens/my template").url


def test_empty_post_has_empty_form_body() -> None:
    request = build_request(BASE, "POST", "/client/sessions/s/end")
    assert request.body == b"" and request.headers["content-type"] == "application/x-www-form-urlencoded"


def test_multipart_body() -> None:
    body, ctype = encode_multipart("file", "a.png", b"\x89PNG", "image/png")
    boundary = ctype.split("boundary=")[1]
    assert ctype.startswith("multipart/form-data; boundary=")
    assert body.startswith(f"--{boundary}\r\n".encode()) and body.endswith(f"\r\n--{boundary}--\r\n".encode())
    assert b'name="file"; filename="a.png"' in body and b"\x89PNG" in body
    request = build_request(BASE, "POST", "/me/profile_image", body=body, content_type=ctype)
    assert request.headers == {"content-type": ctype} and request.body == body


def resp(body: object, status: int = 200, **headers: str) -> FapiResponse:
    return FapiResponse(status, dict(headers), json.dumps(body).encode())


def test_envelope_and_piggyback() -> None:
    result = read_response(resp({"response": {"id": "user_1"}, "client": {"id": "client_1"}}))
    assert result.payload == {"id": "user_1"} and result.has_client and result.client == {"id": "client_1"}
    meta = read_response(resp({"response": {"id": "x"}, "meta": {"client": {"id": "c"}}}))
    assert meta.has_client and meta.client == {"id": "c"}
    null = read_response(resp({"response": None, "client": None}))
    assert null.payload is None and null.has_client and null.client is None


def test_bare_payloads_and_204() -> None:
    token = read_response(resp({"object": "token", "jwt": "a.b.c"}))
    assert token.payload == {"object": "token", "jwt": "a.b.c"} and not token.has_client
    assert read_response(resp([{"id": "s"}])).payload == [{"id": "s"}]
    empty = read_response(FapiResponse(204, {}, b""))
    assert empty.payload is None and not empty.has_client and empty.error is None


def test_error_mapping_keeps_piggybacked_client() -> None:
    body = {"errors": [{"code": "form_param_unknown", "message": "is unknown", "long_message": "x is not valid",
                        "meta": {"param_name": "x"}}], "clerk_trace_id": "tr_1", "client": {"id": "client_1"}}
    result = read_response(resp(body, 422))
    assert result.has_client and result.client == {"id": "client_1"}
    error = result.error
    assert isinstance(error, ClerkAPIResponseError)
    assert (error.status, error.code, error.message, error.clerk_trace_id) == (422, "form_param_unknown",
                                                                               "x is not valid", "tr_1")
    assert error.errors[0].meta == {"param_name": "x"} and error.retry_after is None
    assert "tr_1" in str(error) and "422" in str(error)


def test_retry_after_only_on_429() -> None:
    body = {"errors": [{"code": "too_many_requests", "message": "Too many", "long_message": "retry later"}]}
    assert read_response(resp(body, 429, **{"retry-after": "7"})).error.retry_after == 7  # type: ignore[union-attr]
    assert read_response(resp(body, 503, **{"retry-after": "7"})).error.retry_after is None  # type: ignore[union-attr]


def test_error_without_json_body() -> None:
    error = read_response(FapiResponse(502, {}, b"<html>bad gateway</html>")).error
    assert error is not None and error.status == 502 and error.errors == [] and error.message == "HTTP 502"


def test_success_without_json_is_a_runtime_error_not_a_network_error() -> None:
    with pytest.raises(ClerkRuntimeError, match="not JSON") as info:
        read_response(FapiResponse(200, {}, b"oops"))
    assert info.value.code == "invalid_response"


def test_backoff_schedule() -> None:
    assert backoff_delay(1, 0.0) == pytest.approx(0.1)
    assert backoff_delay(2, 0.0) == pytest.approx(0.7)
    assert backoff_delay(3, 0.0) == pytest.approx(1.4)
    assert backoff_delay(3, 0.999) < 1.4 * 1.25 + 1e-9
    assert backoff_delay(20, 0.5) == 5.0


@given(st.lists(st.tuples(st.text(max_size=8), st.text(max_size=40)), max_size=5))
def test_query_and_form_encoding_equals_urlencode(pairs: list[tuple[str, str]]) -> None:
    # The SDK's encoder has a fast path for all-unreserved values; its output must not change.
    from urllib.parse import urlencode

    from clerk_frontend.fapi import _urlencode

    assert _urlencode(pairs) == urlencode(pairs)
