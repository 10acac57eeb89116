"""What every FAPI route shares: the router, client and session resolution, envelopes, form checks.

The browser's client is found, in this order, from the dev-browser token
(``__clerk_db_jwt`` query parameter), an ``Authorization`` header (native
mode) or the ``__client`` cookie. The current session is ``_clerk_session_id``
when given, else the client's last active session; it must be an active
session of that same client, so no request can reach another user's data.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import model
from ..client_json import fapi_client
from ..errors import ClerkError
from ..http import Ctx, Router
from ..store import touch

if TYPE_CHECKING:
    from ..context import Instance

router = Router()
F = "fapi"

def resolve_client(em: Instance, ctx: Ctx) -> None:
    store = em.store
    db_jwt = ctx.query.get("__clerk_db_jwt")
    auth = ctx.request.headers.get("Authorization")
    if ctx.path in ("/v1/dev_browser", "/.well-known/jwks.json"):
        return
    if db_jwt:
        ctx.client_mode = "dev_browser"
        ctx.client = store.client_by_token(db_jwt)
        if ctx.client is None:
            raise ClerkError("dev_browser_unauthenticated")
    elif auth:
        ctx.client_mode = "header"
        token = auth.removeprefix("Bearer ").strip()
        ctx.client = store.client_by_token(token)
        if ctx.client is None:
            raise ClerkError("authentication_invalid")
    else:
        ctx.client_mode = "cookie"
        cookie = ctx.request.cookies.get("__client")
        ctx.client = store.client_by_token(cookie) if cookie else None


def ensure_client(em: Instance, ctx: Ctx) -> dict[str, Any]:
    if ctx.client is None:
        ctx.client = model.new_client(em.store)
        if ctx.client_mode == "cookie":
            ctx.set_cookies.append(("__client", ctx.client["token"]))
    if ctx.client_mode == "header":
        ctx.extra_headers["Authorization"] = ctx.client["token"]
    return ctx.client


def fresh_client(em: Instance, ctx: Ctx) -> dict[str, Any] | None:
    stored = em.store.get("clients", ctx.client["id"]) if ctx.client is not None else None
    return fapi_client(em, stored, ctx.request.headers.get("Origin")) if stored is not None else None


def envelope(em: Instance, ctx: Ctx, response: Any) -> dict[str, Any]:
    return {"response": response, "client": fresh_client(em, ctx)}


def current(em: Instance, ctx: Ctx) -> tuple[dict[str, Any], dict[str, Any]]:
    """The current active session and its user, or 401."""
    if ctx.client is None:
        raise ClerkError("signed_out")
    client = em.store.get("clients", ctx.client["id"]) or ctx.client
    sid = ctx.query.get("_clerk_session_id") or client["last_active_session_id"]
    if not sid:
        raise ClerkError("signed_out")
    sess = em.store.get("sessions", sid)
    if sess is None or sess["client_id"] != client["id"] or not model.is_active(em.store, sess):
        raise ClerkError("signed_out")
    user = em.store.get("users", sess["user_id"])
    if user is None:
        raise ClerkError("signed_out")
    return sess, user


def only_fields(ctx: Ctx, allowed: set[str]) -> None:
    for name in ctx.form:
        if name not in allowed:
            raise ClerkError("form_param_unknown", param=name)


def required(ctx: Ctx, name: str) -> str:
    value = ctx.field(name)
    if value is None or value == "":
        raise ClerkError("form_param_missing", param=name)
    return value


def client_session(em: Instance, ctx: Ctx) -> dict[str, Any]:
    sess = em.store.get("sessions", ctx.params["session_id"])
    if ctx.client is None or sess is None or sess["client_id"] != ctx.client["id"]:
        raise ClerkError("resource_not_found", "session", fill={"sessionID": ctx.params["session_id"]})
    return sess



def me_envelope(em: Instance, ctx: Ctx, user: dict[str, Any]) -> dict[str, Any]:
    return envelope(em, ctx, model.fapi_user(em.store, user))


def paginate(ctx: Ctx, items: list[Any]) -> tuple[list[Any], int]:
    try:
        limit = int(ctx.query.get("limit", "10"))
        offset = int(ctx.query.get("offset", "0"))
    except ValueError:
        raise ClerkError("form_param_format_invalid", param="limit") from None
    return items[offset: offset + limit], len(items)



def attach_attempt(em: Instance, kind: str, doc: dict[str, Any]) -> None:
    """Store a sign-in or sign-up attempt and make it its client's current one."""
    em.store.put_doc(f"{kind}s", doc)
    client = em.store.get("clients", doc["client_id"])
    assert client is not None
    client[f"{kind}_id"] = doc["id"]
    touch(client)
    em.store.put_client(client)


def detach_attempt(em: Instance, kind: str, doc: dict[str, Any]) -> None:
    """Take a finished attempt off its client: the request that completes a sign-in or sign-up answers a
    client whose ``sign_in``/``sign_up`` is null, as Clerk's do."""
    client = em.store.get("clients", doc["client_id"])
    if client is not None and client.get(f"{kind}_id") == doc["id"]:
        client[f"{kind}_id"] = None
        touch(client)
        em.store.put_client(client)
