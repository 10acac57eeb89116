"""The aiohttp application: one catch-all handler that dispatches to the FAPI and BAPI routers.

Request flow: CORS preflight → emulator control routes → static files → API
version → client resolution (FAPI) or secret key check (BAPI) → fault rule →
body parsing → handler inside one SQLite transaction (committed before the
response is written) → CORS headers.
"""

from __future__ import annotations

import base64
import ipaddress
import json
import logging
import time
from typing import Any

from aiohttp import web

from . import bapi, fapi, idp, mfa, model, organizations_model, outbox, testing
from . import store as store_module
from .context import Config
from .errors import ClerkError
from .http import (
    Cors,
    Ctx,
    FaultRule,
    Faults,
    RateLimiter,
    Reply,
    apply_latency,
    fault_error,
    parse_form,
    parse_json_body,
    select_version,
    static_response,
)
from .settings import Settings, SettingsError
from .store import Store

log = logging.getLogger("clerk_emulator")

MAX_BODY = 10 * 1024 * 1024  # Clerk's profile-image limit; also bounds every other body
CLIENT_COOKIE = "__client"
UPLOAD_PATH = "/v1/me/profile_image"
DEV_BROWSER_PARAM = "__clerk_db_jwt"
AVATAR_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64">'
    b'<rect width="64" height="64" fill="#6c47ff"/></svg>'
)


class DroppedByFault(Exception):
    """A fault rule closed the connection without an answer."""


class Emulator:
    def __init__(self, store: Store, config: Config) -> None:
        self.store = store
        self.config = config
        self.cors = Cors(config.allowed_origins, config.allow_loopback_origins)
        self.faults = Faults()
        self.limiter = RateLimiter() if config.rate_limits else None
        self.port = config.port
        self.settings = Settings(config.settings_file)

    def bound(self, port: int) -> None:
        """Record the real port (after binding) and the URLs derived from it."""
        self.port = port
        model.IMAGE_URL = self.fapi_url + "/__emulator/avatar.svg"
        self.cors.own = self.fapi_url

    # URLs (the port is known only after binding when --port 0)
    @property
    def fapi_url(self) -> str:
        host = f"[{self.config.host}]" if ":" in self.config.host else self.config.host
        return f"http://{host}:{self.port}"

    @property
    def bapi_url(self) -> str:
        return self.fapi_url + "/bapi/v1"

    @property
    def publishable_key(self) -> str:
        host = self.fapi_url.removeprefix("http://") + "$"
        return "pk_test_" + base64.b64encode(host.encode()).decode().rstrip("=")

    def make_app(self) -> web.Application:
        app = web.Application(client_max_size=MAX_BODY)
        app.router.add_route("*", "/{tail:.*}", self.handle)
        return app

    async def handle(self, request: web.Request) -> web.StreamResponse:
        origin = request.headers.get("Origin")
        path = request.path
        if request.method == "OPTIONS":
            return self.cors.preflight(request)
        if path.startswith("/__emulator/"):
            return await self.control(request)
        if path.startswith("/bapi/"):
            api, sub = "bapi", path[len("/bapi"):]
        elif path.startswith("/v1/") or path == "/v1" or path.startswith("/.well-known/"):
            api, sub = "fapi", path
        else:
            if path == idp.POPUP_CALLBACK and request.method == "GET":  # the Account Portal's popup page
                return idp.popup_callback(self, request)
            if self.config.static_dir is not None and request.method in ("GET", "HEAD"):
                resp = static_response(
                    self.config.static_dir, path, request.headers.get("Accept-Encoding", ""),
                    request.method == "HEAD",
                )
                if resp is not None:
                    return resp
            return self.error_response(
                ClerkError("resource_not_found", long_suffix=f" ({request.method} {path})"), origin
            )
        try:
            resp = await self.dispatch(request, api, sub)
        except ClerkError as err:
            resp = self.error_response(err, None)
        except DroppedByFault:
            log.info("fault injection: dropped %s %s", request.method, path)
            return web.Response(status=499)  # never sent: the transport is already closed
        except Exception:
            log.exception("internal error on %s %s", request.method, path)
            resp = self.error_response(ClerkError("internal_clerk_error"), None)
        if api == "fapi":
            self.cors.decorate(origin, resp)
        return resp

    def error_response(self, err: ClerkError, origin: str | None) -> web.Response:
        resp = json_response(err.body(), err.status, err.headers)
        if origin:
            self.cors.decorate(origin, resp)
        return resp

    async def dispatch(self, request: web.Request, api: str, path: str) -> web.StreamResponse:
        method = request.method
        query = request.query
        if api == "fapi":
            origin = request.headers.get("Origin")
            if origin and not self.cors.allows(origin):
                raise ClerkError("origin_invalid", long_suffix=f" Origin {origin!r} is not an allowed origin.")
            override = query.get("_method")
            if override and method == "POST":
                method = override.upper()
                if method not in ("PATCH", "PUT", "DELETE", "POST", "GET"):
                    raise ClerkError("malformed_request_parameters", long_suffix=f" Unknown _method {override!r}.")
        version = select_version(query, request.headers)
        router = fapi.router if api == "fapi" else bapi.router
        found = router.match(api, method, path)
        rule = self.faults.pick(method, path)
        await apply_latency(rule)
        if rule is not None and rule.drop:
            if request.transport is not None:
                request.transport.abort()
            raise DroppedByFault
        if rule is not None and rule.status is not None:
            raise fault_error(rule.status)
        if api == "bapi":
            bapi.authenticate(self, request)
        if self.limiter is not None:
            who = request.headers.get("Authorization", "") if api == "bapi" else (request.remote or "")
            self.limiter.check(api, method, path, who, time.monotonic())
        if found is None:
            raise ClerkError("resource_not_found", long_suffix=f" No route for {method} {path}.")
        if found is False:
            raise ClerkError("resource_not_found", long_suffix=f" Method {method} is not supported on {path}.")
        assert not isinstance(found, bool)
        handler, params = found
        try:
            raw = await request.read() if request.can_read_body else b""
        except web.HTTPRequestEntityTooLarge:
            err = ClerkError("request_body_too_large")
            err.fill["%d"] = str(MAX_BODY)
            raise err from None
        ctx = Ctx(request=request, method=method, api=api, path=path, params=params, query=query,
                  version=version)
        ctype = request.headers.get("Content-Type", "").split(";")[0].strip().lower()
        ctx.raw, ctx.content_type = raw, request.headers.get("Content-Type", "")
        # File uploads (profile images, organization logos) keep their raw body for the handler.
        uploads = ((api == "fapi" and path == UPLOAD_PATH) or organizations_model.is_logo_path(path)) and \
            ctype in ("multipart/form-data", "application/octet-stream")
        if api == "fapi" and not uploads:
            if raw:
                if ctype == "application/json":
                    body = parse_json_body(raw)
                    if not isinstance(body, dict):
                        raise ClerkError("request_body_invalid")
                    ctx.form = {k: [v if isinstance(v, str) else json.dumps(v)] for k, v in body.items()}
                elif ctype in ("application/x-www-form-urlencoded", "", "text/plain"):
                    ctx.form = parse_form(raw)
                else:
                    raise ClerkError("unsupported_content_type",
                                     fill={"actual": ctype, "expected": "application/x-www-form-urlencoded"})
        elif api == "bapi" and not uploads:
            if raw and ctype not in ("application/json", ""):
                raise ClerkError("unsupported_content_type", fill={"actual": ctype, "expected": "application/json"})
            ctx.body = parse_json_body(raw)
        bypass = False  # a valid __clerk_testing_token: the answer's client says captcha_bypass
        try:
            kept: ClerkError | None = None
            with self.store.tx():
                if api == "fapi":
                    fapi.resolve_client(self, ctx)
                    bypass = testing.request_bypasses_captcha(self, ctx)
                try:
                    result = handler(self, ctx)
                except ClerkError as err:
                    if not err.keep_changes:
                        raise
                    kept = err  # committed below, then answered
            if kept is not None:
                raise kept
        except ClerkError as err:
            # Read after the rollback: the client the caller gets back is the committed one.
            if api == "fapi" and ctx.client is not None:
                with self.store.tx():
                    err.client = fapi.fresh_client(self, ctx)
                if bypass and err.client is not None:
                    err.client["captcha_bypass"] = True
            raise
        if bypass:
            testing.mark_captcha_bypass(result)
        reply = result if isinstance(result, Reply) else Reply(result)
        if reply.status == 204 or (300 <= reply.status < 400 and reply.body is None):
            resp: web.StreamResponse = web.Response(status=reply.status, headers=reply.headers)
        elif reply.html is not None:
            resp = web.Response(text=reply.html, status=reply.status, headers=reply.headers, content_type="text/html")
        else:
            resp = json_response(reply.body, reply.status, reply.headers)
        for name, value in ctx.set_cookies:
            resp.set_cookie(name, value, path="/", httponly=True, samesite="Lax", max_age=365 * 24 * 3600)
        for name, value in ctx.extra_headers.items():
            resp.headers[name] = value
        return resp

    # --- control plane (loopback only) -----------------------------------------------------
    async def control(self, request: web.Request) -> web.Response:
        remote = request.remote or ""
        try:
            loopback = ipaddress.ip_address(remote).is_loopback
        except ValueError:
            loopback = False
        if not loopback:
            return web.json_response({"error": "the control API answers loopback peers only"}, status=403)
        if request.path == "/__emulator/avatar.svg":
            return web.Response(body=AVATAR_SVG, content_type="image/svg+xml")
        if request.path.startswith("/__emulator/images/"):
            with self.store.tx():
                found = self.store.image(request.path.rsplit("/", 1)[1])
            if found is None:
                return web.json_response({"error": "no such image"}, status=404)
            return web.Response(body=found[1], headers={"Content-Type": found[0], "Cache-Control": "no-cache"})
        if request.path.startswith(idp.PREFIX):
            return await idp.handle(self, request)
        if request.path == "/__emulator/health":
            return web.json_response({"ok": True, "users": self.store.count_users()})
        if request.path == "/__emulator/settings":
            return await self.settings_route(request)
        if request.path in ("/__emulator/outbox", "/__emulator/outbox.html"):
            return await self.outbox_route(request)
        if request.path.startswith("/__emulator/sessions/") and request.path.endswith("/age"):
            return await self.age_route(request)
        if request.path == "/__emulator/clock":
            return await self.clock_route(request)
        if request.path != "/__emulator/faults":
            return web.json_response({"error": f"no control route {request.path}"}, status=404)
        if request.method == "GET":
            return web.json_response({"rules": [r.to_json() for r in self.faults.rules]})
        if request.method == "DELETE":
            self.faults.rules.clear()
            return web.json_response({"rules": []})
        if request.method in ("POST", "PUT"):
            try:
                data = json.loads(await request.read() or b"{}")
                items = data.get("rules", [data]) if isinstance(data, dict) else data
                rules = [FaultRule.from_json(item) for item in items]
            except (ValueError, TypeError) as exc:
                return web.json_response({"error": f"bad fault rules: {exc}"}, status=400)
            if request.method == "PUT":
                self.faults.rules = rules
            else:
                self.faults.rules.extend(rules)
            return web.json_response({"rules": [r.to_json() for r in self.faults.rules]})
        return web.json_response({"error": "use GET, POST, PUT or DELETE"}, status=405)

    async def settings_route(self, request: web.Request) -> web.Response:
        """``GET`` the effective settings; ``PATCH`` deep-merges, ``PUT`` replaces (onto the startup
        settings), ``DELETE`` resets to the startup settings. A bad document is a 400 that changes nothing."""
        try:
            if request.method == "GET":
                doc = self.settings.current
            elif request.method == "DELETE":
                doc = self.settings.reset()
            elif request.method in ("PATCH", "POST", "PUT"):
                try:
                    data = json.loads(await request.read() or b"{}")
                except ValueError as exc:
                    raise SettingsError(f"the body is not JSON: {exc}") from None
                doc = self.settings.replace(data) if request.method == "PUT" else self.settings.patch(data)
            else:
                return web.json_response({"error": "use GET, PATCH, PUT or DELETE"}, status=405)
        except SettingsError as exc:
            return web.json_response({"error": str(exc)}, status=400)
        return web.json_response(doc)

    async def clock_route(self, request: web.Request) -> web.Response:
        """``GET /__emulator/clock``; ``POST`` ``{"advance_seconds": N}`` moves the instance's clock forward (codes,
        links and lockouts expire, factor ages grow); ``DELETE`` goes back to real time."""
        if request.method == "POST":
            try:
                seconds = json.loads(await request.read() or b"{}").get("advance_seconds")
            except (ValueError, AttributeError):
                seconds = None
            if not isinstance(seconds, int) or isinstance(seconds, bool) or not 0 <= seconds <= 366 * 24 * 3600:
                return web.json_response({"error": "the body is {\"advance_seconds\": <0..31622400>}"}, status=400)
            offset = store_module.advance_clock(seconds * 1000)
        elif request.method == "DELETE":
            store_module.reset_clock()
            offset = 0
        elif request.method == "GET":
            offset = store_module.now_ms() - int(time.time() * 1000)
        else:
            return web.json_response({"error": "use GET, POST or DELETE"}, status=405)
        return web.json_response({"offset_seconds": round(offset / 1000)})

    async def age_route(self, request: web.Request) -> web.Response:
        """``POST /__emulator/sessions/{id}/age`` ``{"minutes": N}``: the session verified its factors N minutes
        earlier than it did (for reverification tests; ``factor_verification_age`` and ``fva`` grow by N)."""
        if request.method != "POST":
            return web.json_response({"error": "use POST"}, status=405)
        try:
            minutes = json.loads(await request.read() or b"{}").get("minutes")
        except (ValueError, AttributeError):
            minutes = None
        if not isinstance(minutes, int) or isinstance(minutes, bool) or not 0 <= minutes <= 525_600:
            return web.json_response({"error": "the body is {\"minutes\": <0..525600>}"}, status=400)
        with self.store.tx():
            sess = model.age_session(self.store, request.path.split("/")[3], minutes)
            age = mfa.factor_verification_age(sess) if sess is not None else None
        if age is None:
            return web.json_response({"error": "no such session"}, status=404)
        return web.json_response({"factor_verification_age": age})

    async def outbox_route(self, request: web.Request) -> web.Response:
        """``GET /__emulator/outbox[?to=…&kind=…]`` (JSON, newest first), ``DELETE`` empties it;
        ``/__emulator/outbox.html`` is the same list as a page."""
        if request.method == "DELETE" and request.path == "/__emulator/outbox":
            with self.store.tx():
                self.store.db.execute("DELETE FROM outbox")
            return web.json_response({"data": [], "total_count": 0})
        if request.method != "GET":
            return web.json_response({"error": "use GET or DELETE"}, status=405)
        with self.store.tx():
            items = outbox.messages(self.store, to=request.query.get("to"), kind=request.query.get("kind"))
        if request.path.endswith(".html"):
            return web.Response(text=outbox.outbox_html(items), content_type="text/html")
        return web.json_response({"data": items, "total_count": len(items)})


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    """JSON with ``Content-Type: application/json`` exactly (@clerk/backend compares the header verbatim)."""
    resp = web.Response(body=json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode(), status=status,
                        headers=headers)
    resp.headers["Content-Type"] = "application/json"
    return resp


def parse_fault_specs(specs: list[str]) -> list[FaultRule]:
    """``--fault`` values (a JSON rule or a list of rules each) → rules; ValueError on bad input."""
    rules: list[FaultRule] = []
    for spec in specs:
        data: Any = json.loads(spec)
        items = data if isinstance(data, list) else [data]
        rules.extend(FaultRule.from_json(item) for item in items)
    return rules
