import base64

import pytest

from clerk_frontend import Clerk, ClerkValidationError, InvalidPublishableKeyError, MockTransport, parse_publishable_key
from clerk_frontend.keys import frontend_api_base, is_loopback_host


def pk(host: str, kind: str = "test") -> str:
    return f"pk_{kind}_" + base64.b64encode(f"{host}$".encode()).decode().rstrip("=")


def test_parses_development_and_production_keys() -> None:
    dev = parse_publishable_key(pk("foo-bar-13.clerk.accounts.dev"))
    assert (dev.instance_type, dev.frontend_api) == ("development", "foo-bar-13.clerk.accounts.dev")
    live = parse_publishable_key(pk("clerk.example.com", "live"))
    assert (live.instance_type, live.frontend_api) == ("production", "clerk.example.com")


def test_unpadded_base64_is_repadded() -> None:
    # len("ab.c$") = 5 -> base64 needs one "=" of padding, which keys drop.
    assert parse_publishable_key(pk("ab.c")).frontend_api == "ab.c"


@pytest.mark.parametrize(
    ("key", "fragment"),
    [
        ("", "non-empty"),
        ("pk_test", "pk_test_<base64>"),
        ("pk_prod_" + base64.b64encode(b"a.b$").decode(), "pk_test_<base64>"),
        ("pk_test_a_b", "pk_test_<base64>"),
        ("pk_test_!!!", "base64"),
        ("pk_test_YS5i$", "base64"),
        ("pk_test_" + base64.b64encode(b"a.b").decode(), "one '$'"),
        ("pk_test_" + base64.b64encode(b"a.b$$").decode(), "one '$'"),
        ("pk_test_" + base64.b64encode(b"nodots$").decode(), "not a host"),
    ],
)
def test_malformed_keys_get_clear_errors(key: str, fragment: str) -> None:
    with pytest.raises(InvalidPublishableKeyError, match=None) as info:
        parse_publishable_key(key)
    assert fragment in str(info.value)


def test_non_str_key() -> None:
    with pytest.raises(InvalidPublishableKeyError, match="non-empty str"):
        parse_publishable_key(None)


def test_secret_key_is_refused_without_echoing_it() -> None:
    secret = "sk_test_SECRETVALUE123"
    with pytest.raises(InvalidPublishableKeyError, match="must never reach a browser") as info:
        Clerk(secret, transport=MockTransport(lambda r: None))  # type: ignore[arg-type,return-value]
    assert "SECRETVALUE" not in str(info.value)


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1:8790", True), ("127.5.6.7", True), ("localhost:3000", True), ("[::1]:80", True),
     ("128.0.0.1", False), ("clerk.example.com", False), ("localhost.example.com", False)],
)
def test_loopback_detection(host: str, loopback: bool) -> None:
    assert is_loopback_host(host) is loopback


def test_scheme_http_for_loopback_https_otherwise() -> None:
    assert frontend_api_base(parse_publishable_key(pk("127.0.0.1:8790"))) == "http://127.0.0.1:8790/v1"
    assert frontend_api_base(parse_publishable_key(pk("localhost:8790"))) == "http://localhost:8790/v1"
    assert frontend_api_base(parse_publishable_key(pk("clerk.example.com", "live"))) == "https://clerk.example.com/v1"


def test_overrides() -> None:
    key = parse_publishable_key(pk("clerk.example.com"))
    assert frontend_api_base(key, frontend_api_url="http://127.0.0.1:9/") == "http://127.0.0.1:9/v1"
    assert frontend_api_base(key, proxy_url="https://app.example.com/__clerk/") == "https://app.example.com/__clerk/v1"
    assert (frontend_api_base(key, proxy_url="/__clerk", page_origin="http://127.0.0.1:8000")
            == "http://127.0.0.1:8000/__clerk/v1")
    with pytest.raises(ClerkValidationError, match="relative"):
        frontend_api_base(key, proxy_url="/__clerk")
    with pytest.raises(ClerkValidationError, match="not both"):
        frontend_api_base(key, proxy_url="https://a.b", frontend_api_url="https://c.d")
    with pytest.raises(ClerkValidationError, match="absolute"):
        frontend_api_base(key, frontend_api_url="ftp://x.y")
