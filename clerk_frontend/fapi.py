"""The Frontend API wire rules as pure functions: :func:`build_request` and :func:`read_response`."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any, NamedTuple
from urllib.parse import quote, quote_plus

from pydantic_core import from_json

from ._version import __version__
from .errors import ClerkAPIError, ClerkAPIResponseError, ClerkRuntimeError, ReverificationRequiredError

__all__ = [
    "API_VERSION",
    "SDK_VERSION_PARAM",
    "FapiRequest",
    "FapiResponse",
    "FapiResult",
    "backoff_delay",
    "build_request",
    "compact_json",
    "encode_form",
    "encode_multipart",
    "read_response",
]

#: The Frontend API version this SDK speaks; the only place it is written.
API_VERSION = "2026-05-12"
#: Query parameter carrying this SDK's own version marker (clerk-js uses ``_clerk_js_version``).
SDK_VERSION_PARAM = "_clerk_py_version"

FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"
_VERSION_PARAMS = (("__clerk_api_version", API_VERSION), (SDK_VERSION_PARAM, __version__))
# Characters percent-encoding leaves alone: most keys, ids and tokens consist of nothing else.
_UNRESERVED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
# Paths that identify the client rather than a session never carry _clerk_session_id.
_SESSIONLESS_ROOTS = ("/client", "/waitlist", "/environment", "/dev_browser")


# Records are NamedTuples (creating a dataclass costs ~1.5 ms at import in Pyodide); the default header
# mapping is read-only so that no instance can change another's.
_NO_HEADERS: Mapping[str, str] = MappingProxyType({})


class FapiRequest(NamedTuple):
    """One HTTP request as it goes on the wire. ``method`` is only ever GET or POST."""

    method: str
    url: str
    headers: Mapping[str, str] = _NO_HEADERS
    body: bytes | None = None


class FapiResponse(NamedTuple):
    """One HTTP response as a transport hands it back; header names are lower-case."""

    status: int
    headers: Mapping[str, str] = _NO_HEADERS
    body: bytes = b""


class FapiResult(NamedTuple):
    """A read response: the ``response`` payload, the piggybacked client, and the error if any.

    ``has_client`` tells an absent ``client`` key (nothing to apply) from ``client: null`` (no client).
    """

    status: int
    payload: Any
    has_client: bool = False
    client: dict[str, Any] | None = None
    error: ClerkAPIResponseError | None = None


def _snake(key: str) -> str:
    # camelCase -> snake_case: "_" before an ASCII capital that follows a lowercase letter or digit.
    # (A loop, not a regex: compiling a pattern at import costs milliseconds in Pyodide.)
    if key.islower():  # no capitals at all
        return key
    out = []
    prev = ""
    for ch in key:
        if "A" <= ch <= "Z" and ("a" <= prev <= "z" or "0" <= prev <= "9"):
            out.append("_")
        out.append(ch)
        prev = ch
    return "".join(out).lower()


# JSON as JSON.stringify writes it. One encoder for all calls: json.dumps() with options builds a new one each time.
compact_json = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode


def _q(value: str) -> str:
    # quote_plus() with a fast path: strip() is one C call, quote_plus() a Python loop per request.
    return quote_plus(value) if value.strip(_UNRESERVED) else value


def _urlencode(pairs: Sequence[tuple[str, str]]) -> str:
    """``urllib.parse.urlencode`` for str pairs (same output), cheaper for the usual all-safe values."""
    return "&".join(f"{_q(key)}={_q(value)}" for key, value in pairs)


# The query parameters every request carries, encoded once.
_VERSION_QUERY = _urlencode(_VERSION_PARAMS)
_PATH_SAFE = _UNRESERVED + "/:@"


def _form_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list, tuple)):
        # Nested values (metadata) travel as one field holding compact JSON, as JSON.stringify writes it.
        return compact_json(value)
    return str(value)


def encode_form(params: Mapping[str, Any]) -> str:
    """Encode a form body: camelCase keys become snake_case, ``None`` becomes ``key=``, lists repeat the
    key, dicts become one JSON field, booleans ``true``/``false``."""
    pairs: list[tuple[str, str]] = []
    for key, value in params.items():
        name = _snake(key)
        if isinstance(value, list):
            pairs.extend((name, _form_value(item)) for item in value)
        else:
            pairs.append((name, _form_value(value)))
    return _urlencode(pairs)


def build_request(
    base_url: str,
    method: str,
    path: str,
    *,
    query: Sequence[tuple[str, str]] = (),
    form: Mapping[str, Any] | None = None,
    session_id: str | None = None,
    dev_browser_jwt: str | None = None,
    retry_attempt: int = 0,
    body: bytes | None = None,
    content_type: str | None = None,
) -> FapiRequest:
    """The wire request for ``method path`` under ``base_url`` (ends in ``/v1``); query order and
    ``_method`` as in docs/sdk.md (Wire layer); ``body``/``content_type`` send a prebuilt body."""
    verb = method.upper()
    if not path.startswith("/"):
        raise ValueError(f"path must start with '/': {path!r}")
    params: list[tuple[str, str]] = []
    if verb not in ("GET", "POST"):
        params.append(("_method", verb))
    if session_id and not path.startswith(_SESSIONLESS_ROOTS):
        params.append(("_clerk_session_id", session_id))
    if dev_browser_jwt:
        params.append(("__clerk_db_jwt", dev_browser_jwt))
    if retry_attempt:
        params.append(("_clerk_retry_attempt", str(retry_attempt)))
    head = f"{_urlencode(query)}&{_VERSION_QUERY}" if query else _VERSION_QUERY
    url = f"{base_url}{quote(path, safe='/:@') if path.strip(_PATH_SAFE) else path}?{head}"
    if params:
        url = f"{url}&{_urlencode(params)}"
    if verb == "GET":
        return FapiRequest("GET", url)
    if body is not None:
        return FapiRequest("POST", url, {"content-type": content_type or "application/octet-stream"}, body)
    data = encode_form(form).encode() if form else b""
    return FapiRequest("POST", url, {"content-type": FORM_CONTENT_TYPE}, data)


def encode_multipart(field_name: str, filename: str, data: bytes, content_type: str) -> tuple[bytes, str]:
    """A one-file ``multipart/form-data`` body and its content type (a CORS-safelisted type)."""
    boundary = "clerkpy" + hashlib.sha1(data).hexdigest()[:24]
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="{field_name}"; filename="{filename}"\r\n'
        f"Content-Type: {content_type}\r\n\r\n"
    ).encode()
    return head + data + f"\r\n--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def _parse_retry_after(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def read_response(response: FapiResponse) -> FapiResult:
    """Read a response: unwrap the envelope, pick up the piggybacked client, map errors.

    The error is returned, not raised, so the caller can apply the client it carries first.
    """
    if response.status == 204 or (not response.body and response.status < 400):
        return FapiResult(response.status, None)
    try:
        # pydantic-core's parser (Rust): about a quarter faster than json.loads in Pyodide, same results.
        data: Any = from_json(response.body)
    except ValueError as exc:
        if response.status < 400:
            raise ClerkRuntimeError(
                f"The Frontend API answered {response.status} with a body that is not JSON.",
                code="invalid_response",
            ) from exc
        data = None
    has_client, client = False, None
    if isinstance(data, dict):
        meta = data.get("meta")
        if "client" in data:
            has_client, client = True, data["client"]
        elif isinstance(meta, dict) and "client" in meta:
            has_client, client = True, meta["client"]
    if client is not None and not isinstance(client, dict):
        raise ClerkRuntimeError("The piggybacked client is not an object.", code="invalid_response")
    if response.status >= 400:
        entries = data.get("errors") if isinstance(data, dict) else None
        errors = [ClerkAPIError.from_json(e) for e in entries] if isinstance(entries, list) else []
        trace = data.get("clerk_trace_id") if isinstance(data, dict) else None
        reverify = any(e.code == "session_reverification_required" for e in errors)
        error = (ReverificationRequiredError if reverify else ClerkAPIResponseError)(
            response.status,
            errors,
            retry_after=_parse_retry_after(response.headers.get("retry-after")) if response.status == 429 else None,
            clerk_trace_id=str(trace) if trace else None,
        )
        return FapiResult(response.status, None, has_client, client, error)
    payload = data["response"] if isinstance(data, dict) and "response" in data else data
    return FapiResult(response.status, payload, has_client, client)


def backoff_delay(attempt: int, jitter: float) -> float:
    """Seconds to wait before GET retry number ``attempt`` (1-based); ``jitter`` is in [0, 1).

    About 100 ms first, then 700 ms doubling, with up to 25 % jitter, capped at 5 s.
    """
    base = 0.1 if attempt <= 1 else 0.7 * 2 ** (attempt - 2)
    return min(5.0, base * (1 + 0.25 * jitter))
