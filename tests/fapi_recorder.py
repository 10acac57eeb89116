"""Recorder-style mock of the Frontend API and the one assertion vocabulary shared with the contract layer.

``Recorder`` answers requests from routes registered with :meth:`Recorder.on` and records every request;
``assert_requested(method, path, query=..., params=..., form=...)`` checks what went on the wire, with the
logical verb (PATCH travels as POST + ``_method=PATCH``). The contract tests wrap a real transport in
:class:`RecordingTransport` and use the same assertions.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from clerk_frontend import API_VERSION, Clerk, ClerkNetworkError, FapiRequest, FapiResponse, MockTransport, merge_patch
from clerk_frontend._version import __version__

PK = "pk_test_" + base64.b64encode(b"127.0.0.1:8790$").decode().rstrip("=")
BASE = "http://127.0.0.1:8790/v1"
VERSION_PARAMS = [("__clerk_api_version", API_VERSION), ("_clerk_py_version", __version__)]


@dataclass(frozen=True)
class Call:
    """One recorded request, decoded: logical method, path under /v1, query pairs, form pairs."""

    method: str
    path: str
    query: list[tuple[str, str]]
    form: list[tuple[str, str]] | None
    request: FapiRequest

    @property
    def params(self) -> dict[str, str]:
        return dict(self.query)


def decode(request: FapiRequest) -> Call:
    """Turn a wire request back into a :class:`Call`."""
    parts = urlsplit(request.url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    method = dict(query).get("_method", request.method)
    path = parts.path.split("/v1", 1)[1]
    form = None
    if request.method == "POST" and request.headers.get("content-type") == "application/x-www-form-urlencoded":
        form = parse_qsl((request.body or b"").decode(), keep_blank_values=True)
    return Call(method, path, query, form, request)


def assert_requested(
    calls: list[Call],
    method: str,
    path: str,
    *,
    query: list[tuple[str, str]] | None = None,
    params: dict[str, str] | None = None,
    form: list[tuple[str, str]] | dict[str, str] | None = None,
    index: int = -1,
) -> Call:
    """Assert a ``method path`` request was made (the ``index``-th of them) with this query/params/form."""
    matching = [c for c in calls if c.method == method and c.path == path]
    seen = [(c.method, c.path) for c in calls]
    assert matching, f"no {method} {path} among {seen}"
    call = matching[index]
    if query is not None:
        assert call.query == query, f"query {call.query} != {query}"
    if params is not None:
        subset = {k: v for k, v in call.params.items() if k in params}
        assert subset == params, f"params {call.params} lack {params}"
    if form is not None:
        got: Any = call.form if isinstance(form, list) else dict(call.form or [])
        assert got == form, f"form {call.form} != {form}"
    return call


Reply = Callable[[Call], "FapiResponse | Awaitable[FapiResponse]"]


def reply(body: Any = None, status: int = 200, headers: dict[str, str] | None = None) -> FapiResponse:
    """A JSON response (``body=None`` with 204 gives an empty body)."""
    data = b"" if body is None else json.dumps(body).encode()
    return FapiResponse(status, {"content-type": "application/json", **(headers or {})}, data)


def error_body(code: str, message: str = "bad", long_message: str | None = None, **meta: Any) -> dict[str, Any]:
    """An FAPI error body with one entry."""
    entry: dict[str, Any] = {"code": code, "message": message, "long_message": long_message or message}
    if meta:
        entry["meta"] = meta
    return {"errors": [entry], "clerk_trace_id": "trace_123"}


class Recorder:
    """A Frontend API double: routes keyed by (logical method, path), answered in registration order."""

    def __init__(self, *, blocking: bool = False) -> None:
        self.routes: dict[tuple[str, str], list[Reply]] = {}
        self.sticky: dict[tuple[str, str], Reply] = {}
        self.calls: list[Call] = []
        self.transport = MockTransport(self._handle_sync if blocking else self._handle, blocking=blocking)

    def on(self, method: str, path: str, answer: Reply | FapiResponse | Exception, *, always: bool = False) -> None:
        """Answer the next ``method path`` with ``answer`` (every one with ``always=True``)."""
        fn: Reply
        if isinstance(answer, FapiResponse):
            fn = lambda _c, r=answer: r  # noqa: E731
        elif isinstance(answer, Exception):
            def fn(call: Call, exc: Exception = answer) -> FapiResponse:
                raise ClerkNetworkError(call.request.url, str(exc)) from exc
        else:
            fn = answer
        if always:
            self.sticky[(method, path)] = fn
        else:
            self.routes.setdefault((method, path), []).append(fn)

    def _route(self, request: FapiRequest) -> tuple[Call, Reply]:
        call = decode(request)
        self.calls.append(call)
        queue = self.routes.get((call.method, call.path))
        if queue:
            return call, queue.pop(0)
        if (call.method, call.path) in self.sticky:
            return call, self.sticky[(call.method, call.path)]
        raise AssertionError(f"unexpected request {call.method} {call.path}")

    async def _handle(self, request: FapiRequest) -> FapiResponse:
        call, fn = self._route(request)
        result = fn(call)
        if not isinstance(result, FapiResponse):
            result = await result
        return result

    def _handle_sync(self, request: FapiRequest) -> FapiResponse:
        call, fn = self._route(request)
        result = fn(call)
        assert isinstance(result, FapiResponse)
        return result

    def assert_requested(self, method: str, path: str, **kwargs: Any) -> Call:
        """See :func:`assert_requested`."""
        return assert_requested(self.calls, method, path, **kwargs)

    @property
    def count(self) -> int:
        """Requests made so far."""
        return len(self.calls)


class RecordingTransport:
    """Wraps a real transport and records decoded calls, for the contract layer."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.blocking = inner.blocking
        self.calls: list[Call] = []

    async def handle(self, request: FapiRequest) -> FapiResponse:
        self.calls.append(decode(request))
        response: FapiResponse = await self.inner.handle(request)
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


# -- wire JSON builders --------------------------------------------------------------------------------

def jwt(iat: int, exp: int, sid: str = "sess_1", **claims: Any) -> str:
    """An unsigned JWT with the given times (the SDK never verifies signatures)."""
    def part(obj: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")

    return f"{part({'alg': 'RS256', 'typ': 'JWT'})}.{part({'iat': iat, 'exp': exp, 'sid': sid, **claims})}.sig"


def user_json(uid: str = "user_1", updated_at: int = 1_000, **fields: Any) -> dict[str, Any]:
    return {"id": uid, "object": "user", "first_name": "Ada", "last_name": "Lovelace", "unsafe_metadata": {},
            "public_metadata": {}, "email_addresses": [], "phone_numbers": [], "created_at": 500,
            "updated_at": updated_at, **fields}


def session_json(sid: str = "sess_1", user: dict[str, Any] | None = None, status: str = "active",
                 **fields: Any) -> dict[str, Any]:
    return {"id": sid, "object": "session", "status": status, "user": user if user is not None else user_json(),
            "last_active_organization_id": None, "updated_at": 1_000, **fields}


def client_json(sessions: list[dict[str, Any]] | None = None, cid: str = "client_1", updated_at: int = 1_000,
                **fields: Any) -> dict[str, Any]:
    sessions = [session_json()] if sessions is None else sessions
    last = next((s["id"] for s in sessions if s["status"] == "active"), None)
    return {"id": cid, "object": "client", "sessions": sessions, "sign_in": None, "sign_up": None,
            "last_active_session_id": last, "updated_at": updated_at, **fields}


def signed_out_client() -> dict[str, Any]:
    return client_json(sessions=[])


def envelope(response: Any, client: Any) -> dict[str, Any]:
    return {"response": response, "client": client}


class MetadataServer:
    """Stands in for FAPI's merge endpoint: deep-merges, bumps updated_at, returns the wrapped user."""

    def __init__(self, metadata: dict[str, Any] | None = None) -> None:
        self.metadata = metadata or {}
        self.updated_at = 1_000

    def user(self) -> dict[str, Any]:
        return user_json(updated_at=self.updated_at, unsafe_metadata=self.metadata)

    def wrapped(self) -> dict[str, Any]:
        user = self.user()
        return envelope(user, client_json([session_json(user=user)], updated_at=self.updated_at))

    def patch(self, call: Call) -> Any:
        patch = json.loads(dict(call.form or [])["unsafe_metadata"])
        self.metadata = merge_patch(self.metadata, patch)
        self.updated_at += 1
        return reply(self.wrapped())


def make_clerk(rec: Recorder, **options: Any) -> Clerk:
    """A Clerk on the recorder's transport, in-memory storage, dev browser off unless asked."""
    options.setdefault("dev_browser", False)
    options.setdefault("storage", {})
    return Clerk(PK, transport=rec.transport, **options)


async def loaded(rec: Recorder, client: dict[str, Any] | None = None, **options: Any) -> Clerk:
    """A loaded Clerk (its two load requests are answered here)."""
    client = client_json() if client is None else client
    rec.on("GET", "/environment", reply({"auth_config": {}}))
    rec.on("GET", "/client", reply(envelope(client, client)))
    clerk = make_clerk(rec, **options)
    await clerk.load()
    return clerk
