"""Helpers for the local Clerk instance's own tests: browser-like FAPI and BAPI callers that check every
response against the OpenAPI files. (A module of its own: ``conftest`` names collide across test folders.)"""

from __future__ import annotations

import itertools
import json
import secrets
from pathlib import Path
from typing import Any

import clerk_openapi
import httpx
from clerk_emulator.kit import LocalProcess

ALLOWED_ORIGIN = "http://app.allowed.test"
PASSWORD = "correct-horse-battery"
_counter = itertools.count()





class Reply:
    def __init__(self, resp: httpx.Response) -> None:
        self.status = resp.status_code
        self.headers = resp.headers
        self.raw = resp
        self.json: Any = resp.json() if resp.content else None

    @property
    def response(self) -> Any:
        return self.json["response"]

    @property
    def client(self) -> Any:
        return self.json["client"]

    def error(self) -> dict[str, Any]:
        assert "errors" in self.json, self.json
        return dict(self.json["errors"][0])

    def __repr__(self) -> str:
        return f"Reply({self.status}, {json.dumps(self.json)[:400]})"


class Fapi:
    """A browser-like FAPI caller: GET/POST only (`_method` for the rest), form bodies, a cookie jar."""

    def __init__(self, emu: LocalProcess, *, dev_browser: bool = False) -> None:
        self.emu = emu
        self.http = httpx.Client(base_url=emu.fapi_url, timeout=10)
        self.db_jwt: str | None = None
        self.session_id: str | None = None
        if dev_browser:
            r = self.http.post("/v1/dev_browser")
            assert r.status_code == 200, r.text
            self.db_jwt = r.json()["id"]
            self.http.cookies.clear()

    def call(self, method: str, path: str, form: dict[str, Any] | None = None, *,
             params: dict[str, Any] | None = None, validate: bool = True, session: bool = True,
             headers: dict[str, str] | None = None) -> Reply:
        query: dict[str, Any] = dict(params or {})
        if self.db_jwt:
            query["__clerk_db_jwt"] = self.db_jwt
        if method not in ("GET", "POST"):
            query["_method"] = method
        if session and self.session_id and path.startswith(("/v1/me", "/v1/organizations")):
            query["_clerk_session_id"] = self.session_id
        wire = "GET" if method == "GET" else "POST"
        resp = self.http.request(wire, path, params=query, data=form, headers=headers)
        reply = Reply(resp)
        if validate and resp.content and resp.status_code != 204:
            template = clerk_openapi.template_for("fapi", path)
            status = resp.status_code
            try:
                clerk_openapi.response_ref(clerk_openapi.FAPI_SPEC, method, template, status)
            except KeyError:
                if status < 400:
                    raise
                status = 0  # undocumented error status: still check the error shape below
            if status:
                clerk_openapi.validate("fapi", method, template, status, reply.json)
            if resp.status_code >= 400:
                assert {"message", "long_message", "code"} <= set(reply.json["errors"][0]), reply
                assert reply.json.get("clerk_trace_id"), reply
        return reply

    def sign_in(self, identifier: str, password: str = PASSWORD) -> Reply:
        r = self.call("POST", "/v1/client/sign_ins", {"identifier": identifier, "password": password})
        assert r.status == 200, r
        assert r.response["status"] == "complete", r
        self.session_id = r.response["created_session_id"]
        return r

    def close(self) -> None:
        self.http.close()


class Bapi:
    def __init__(self, emu: LocalProcess, key: str | None = None) -> None:
        self.http = httpx.Client(
            base_url=emu.bapi_url, timeout=10,
            headers={"Authorization": f"Bearer {key or emu.secret_key}"},
        )

    def call(self, method: str, path: str, body: Any = None, *, params: dict[str, Any] | None = None,
             headers: dict[str, str] | None = None, validate: bool = True) -> Reply:
        resp = self.http.request(method, path, params=params, headers=headers,
                                 content=None if body is None else json.dumps(body),
                                 )
        reply = Reply(resp)
        if validate and resp.content:
            template = clerk_openapi.template_for("bapi", path)
            try:
                clerk_openapi.response_ref(clerk_openapi.BAPI_SPEC, method, template, resp.status_code)
                documented = True
            except KeyError:
                documented = resp.status_code < 400
            if documented:
                clerk_openapi.validate("bapi", method, template, resp.status_code, reply.json)
            if resp.status_code >= 400:
                assert reply.json.get("clerk_trace_id"), reply
        return reply

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> Bapi:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def create_user(self, **extra: Any) -> dict[str, Any]:
        email = f"user{next(_counter)}-{secrets.token_hex(3)}+clerk_test@example.com"
        body = {"email_address": [email], "password": PASSWORD, **extra}
        r = self.call("POST", "/users", body)
        assert r.status == 200, r
        return dict(r.json)


def email_of(user: dict[str, Any]) -> str:
    return str(user["email_addresses"][0]["email_address"])


def repo_root() -> Path:
    return Path(__file__).resolve().parents[2]
