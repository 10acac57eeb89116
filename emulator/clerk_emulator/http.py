"""HTTP plumbing: request context, routing table, API versions, CORS, faults, static files."""

from __future__ import annotations

import asyncio
import json
import mimetypes
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from aiohttp import web
from multidict import MultiMapping

from .errors import ClerkError

# --- API versions -----------------------------------------------------------------------------
KNOWN_VERSIONS = (
    "2021-02-05",
    "2024-10-01",
    "2025-03-12",
    "2025-04-10",
    "2025-11-10",
    "2026-05-12",
    "2026-08-20",  # sent by @clerk/clerk-js 6.40.0; treated like 2026-05-12
)
DEFAULT_VERSION = "2026-05-12"
METADATA_REMOVED_IN = "2026-05-12"
VERSION_HEADER = "Clerk-API-Version"
VERSION_PARAM = "__clerk_api_version"


def select_version(query: MultiMapping[str], headers: Any) -> str:
    from_query = query.getall(VERSION_PARAM, [])
    from_header = headers.getall(VERSION_HEADER, []) if hasattr(headers, "getall") else []
    if from_query and from_header:
        raise ClerkError(
            "api_version_invalid",
            fill={"reason": f"give the version either as the {VERSION_HEADER} header or as the "
                  f"{VERSION_PARAM} query parameter, not both"},
        )
    values = from_query or from_header
    if not values:
        return DEFAULT_VERSION
    if len(values) > 1:
        raise ClerkError("api_version_invalid", fill={"reason": "more than one version given"})
    version = values[0].strip()
    if version not in KNOWN_VERSIONS:
        raise ClerkError(
            "api_version_invalid",
            fill={"reason": f"unknown version {version!r}; known versions: {', '.join(KNOWN_VERSIONS)}"},
        )
    return version


# --- request context --------------------------------------------------------------------------
@dataclass
class Reply:
    """A handler's answer when it is not a plain 200 JSON body: another status, headers, a redirect
    (:meth:`redirect`) or an HTML page (:meth:`page`)."""

    body: Any
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    html: str | None = None

    @classmethod
    def redirect(cls, location: str, status: int = 303) -> Reply:
        return cls(None, status, {"Location": location, "Cache-Control": "no-store"})

    @classmethod
    def page(cls, html: str, status: int = 200) -> Reply:
        return cls(None, status, {"Cache-Control": "no-store"}, html=html)


@dataclass
class Ctx:
    request: web.Request
    method: str
    api: str  # "fapi" | "bapi"
    path: str
    params: dict[str, str]
    query: MultiMapping[str]
    version: str
    form: dict[str, list[str]] = field(default_factory=dict)
    body: Any = None
    raw: bytes = b""
    content_type: str = ""
    set_cookies: list[tuple[str, str]] = field(default_factory=list)
    client: dict[str, Any] | None = None
    client_mode: str = "cookie"  # "dev_browser" | "cookie" | "header"
    extra_headers: dict[str, str] = field(default_factory=dict)

    @property
    def metadata_removed(self) -> bool:
        return self.version >= METADATA_REMOVED_IN

    # FAPI form access
    def field(self, name: str) -> str | None:
        values = self.form.get(name)
        return values[0] if values else None

    def has(self, name: str) -> bool:
        return name in self.form


Handler = Callable[[Any, Ctx], Any]


class Router:
    def __init__(self) -> None:
        self.routes: list[tuple[str, str, re.Pattern[str], Handler]] = []

    def add(self, api: str, method: str, pattern: str) -> Callable[[Handler], Handler]:
        regex = re.compile("^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", pattern) + "/?$")

        def deco(fn: Handler) -> Handler:
            self.routes.append((api, method, regex, fn))
            return fn

        return deco

    def match(self, api: str, method: str, path: str) -> tuple[Handler, dict[str, str]] | bool | None:
        """The handler and path params; ``False`` if the path exists with another method; ``None``."""
        path_seen = False
        for r_api, r_method, regex, fn in self.routes:
            if r_api != api:
                continue
            m = regex.match(path)
            if m:
                path_seen = True
                if r_method == method:
                    return fn, m.groupdict()
        return False if path_seen else None


def parse_form(raw: bytes) -> dict[str, list[str]]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ClerkError("malformed_request_parameters") from None
    return parse_qs(text, keep_blank_values=True, strict_parsing=False)


def parse_json_body(raw: bytes) -> Any:
    if not raw.strip():
        return {}
    try:
        return json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise ClerkError(
            "request_body_invalid", long_suffix=f" The body is not valid JSON: {exc}."
        ) from None


# --- CORS -------------------------------------------------------------------------------------
LOOPBACK_ORIGIN = re.compile(r"^http://(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$")


class Cors:
    def __init__(self, allowed: list[str], allow_loopback: bool) -> None:
        self.allowed = {o.rstrip("/") for o in allowed}
        self.allow_loopback = allow_loopback
        self.own: str | None = None  # the emulator's own origin (static mount pages) is always allowed

    def allows(self, origin: str) -> bool:
        return (origin in self.allowed or origin == self.own
                or (self.allow_loopback and bool(LOOPBACK_ORIGIN.match(origin))))

    def decorate(self, origin: str | None, resp: web.StreamResponse) -> None:
        if origin and self.allows(origin):
            resp.headers["Access-Control-Allow-Origin"] = origin
            resp.headers["Access-Control-Allow-Credentials"] = "true"
            resp.headers["Access-Control-Expose-Headers"] = "Clerk-Db-Jwt, Authorization, Retry-After"
        resp.headers.add("Vary", "Origin")

    def preflight(self, request: web.Request) -> web.Response:
        origin = request.headers.get("Origin")
        resp = web.Response(status=204)
        if origin and self.allows(origin):
            resp.headers["Access-Control-Allow-Origin"] = origin
            resp.headers["Access-Control-Allow-Credentials"] = "true"
            resp.headers["Access-Control-Allow-Methods"] = "GET, POST, PUT, PATCH, DELETE, OPTIONS"
            requested = request.headers.get("Access-Control-Request-Headers")
            resp.headers["Access-Control-Allow-Headers"] = requested or "Content-Type"
            resp.headers["Access-Control-Max-Age"] = "600"
        else:
            resp.set_status(403)
        resp.headers.add("Vary", "Origin")
        return resp


# --- rate limits (opt-in, --rate-limits) ------------------------------------------------------
class RateLimiter:
    """Fixed windows of 10 s, with the development-instance limits of Clerk's system-limits page:
    FAPI create sign-in/sign-up 5 per IP, attempts 3 per IP; BAPI 100 per secret key (``/v1/jwks`` free)."""

    WINDOW_S = 10.0

    def __init__(self) -> None:
        self.counters: dict[tuple[str, str], tuple[float, int]] = {}

    @staticmethod
    def bucket(api: str, method: str, path: str) -> tuple[str, int] | None:
        if api == "bapi":
            return (None if path == "/v1/jwks" else ("bapi", 100))
        if method != "POST":
            return None
        if path in ("/v1/client/sign_ins", "/v1/client/sign_ups"):
            return ("create", 5)
        if path.endswith(("/attempt_first_factor", "/attempt_second_factor", "/attempt_verification")):
            return ("attempt", 3)
        return None

    def check(self, api: str, method: str, path: str, who: str, now: float) -> None:
        bucket = self.bucket(api, method, path)
        if bucket is None:
            return
        name, limit = bucket
        start, count = self.counters.get((name, who), (now, 0))
        if now - start >= self.WINDOW_S:
            start, count = now, 0
        if count >= limit:
            retry = max(1, int(start + self.WINDOW_S - now + 0.999))
            err = ClerkError("too_many_requests", extra_meta={"resets_in": retry})
            err.headers["Retry-After"] = str(retry)
            raise err
        self.counters[(name, who)] = (start, count + 1)


# --- fault injection --------------------------------------------------------------------------
@dataclass
class FaultRule:
    path: str  # regular expression matched (search) against the request path, e.g. "^/v1/me/metadata$"
    method: str | None = None  # effective method (after _method); None = any
    latency_ms: int = 0
    status: int | None = None
    drop: bool = False
    times: int | None = None  # apply to this many matching requests, then expire; None = forever

    @classmethod
    def from_json(cls, data: Any) -> FaultRule:
        if not isinstance(data, dict) or not isinstance(data.get("path"), str):
            raise ValueError("a fault rule is an object with at least a string 'path' (a regular expression)")
        unknown = set(data) - {"path", "method", "latency_ms", "status", "drop", "times"}
        if unknown:
            raise ValueError(f"unknown fault rule field(s): {sorted(unknown)}")
        re.compile(data["path"])
        rule = cls(
            path=data["path"],
            method=(data.get("method") or None) and str(data["method"]).upper(),
            latency_ms=int(data.get("latency_ms", 0)),
            status=int(data["status"]) if data.get("status") is not None else None,
            drop=bool(data.get("drop", False)),
            times=int(data["times"]) if data.get("times") is not None else None,
        )
        if rule.status is not None and not 400 <= rule.status <= 599:
            raise ValueError("fault 'status' must be 400..599")
        if rule.latency_ms < 0 or rule.latency_ms > 60_000:
            raise ValueError("fault 'latency_ms' must be 0..60000")
        return rule

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "method": self.method, "latency_ms": self.latency_ms, "status": self.status,
                "drop": self.drop, "times": self.times}


class Faults:
    def __init__(self) -> None:
        self.rules: list[FaultRule] = []

    def pick(self, method: str, path: str) -> FaultRule | None:
        for rule in self.rules:
            if (rule.method is None or rule.method == method) and re.search(rule.path, path):
                if rule.times is not None:
                    rule.times -= 1
                    if rule.times <= 0:
                        self.rules.remove(rule)
                return rule
        return None


STATUS_CODES = {429: "too_many_requests", 500: "internal_clerk_error", 401: "authentication_invalid",
                403: "authorization_invalid", 404: "resource_not_found", 400: "request_body_invalid"}


def fault_error(status: int) -> ClerkError:
    code = STATUS_CODES.get(status, "internal_clerk_error")
    err = ClerkError(code, status_override=status)
    if status == 429:
        err.headers["Retry-After"] = "1"
    return err


async def apply_latency(rule: FaultRule | None) -> None:
    if rule is not None and rule.latency_ms:
        await asyncio.sleep(rule.latency_ms / 1000)


# --- static files -----------------------------------------------------------------------------
MIME_OVERRIDES = {
    ".mjs": "text/javascript",
    ".js": "text/javascript",
    ".wasm": "application/wasm",
    ".json": "application/json",
    ".whl": "application/zip",
    ".zip": "application/zip",
    ".html": "text/html",
    ".css": "text/css",
    ".svg": "image/svg+xml",
    ".map": "application/json",
    ".py": "text/x-python",
    ".tar": "application/x-tar",
}


def static_response(root: Path, path: str, accept_encoding: str, head: bool) -> web.StreamResponse | None:
    rel = path.lstrip("/")
    target = (root / rel).resolve()
    if target != root and root not in target.parents:
        return None
    if target.is_dir():
        target = target / "index.html"
    gz = target.with_name(target.name + ".gz")
    wants_gzip = "gzip" in accept_encoding.lower()
    chosen: Path | None = None
    encoding = None
    if wants_gzip and gz.is_file():
        chosen, encoding = gz, "gzip"
    elif target.is_file():
        chosen = target
    if chosen is None:
        return None
    ctype = MIME_OVERRIDES.get(target.suffix) or mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    data = chosen.read_bytes()
    resp = web.Response(body=b"" if head else data, headers={"Content-Type": ctype})
    if head:
        resp.headers["Content-Length"] = str(len(data))
    if encoding:
        resp.headers["Content-Encoding"] = encoding
    resp.headers["Vary"] = "Accept-Encoding"
    resp.headers["Cache-Control"] = "no-cache"
    return resp
