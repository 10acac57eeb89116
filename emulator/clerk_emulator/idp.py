"""The fake identity provider: OAuth (``oauth_google``, ``oauth_github``, any ``oauth_<name>`` the settings
enable) and enterprise SSO, served on the instance's own origin under ``/__emulator/idp/<provider>/``.

Its authorize page is a real form: **Email** (pre-filled from ``login_hint``), **Name**, a checkbox saying
whether the provider has verified the address, and the buttons **Continue** (the provider says yes: back to
``/v1/oauth_callback`` with a code) and **Cancel** (back with ``error=access_denied``, as a provider answers
when the user refuses). Nothing here talks to a real provider.

It also serves the page Clerk's Account Portal shows at ``/popup-callback``, where the popup flows of clerk-js
(``authenticateWithPopup``) and of the SDK come back: it tells the window that opened the popup
``{session}`` (the flow completed) or ``{return_url}`` (the app's callback page continues it) with
``postMessage``, then closes itself.
"""

from __future__ import annotations

import html
import json
import secrets
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit

from aiohttp import web

from . import model, oauth
from .settings import provider_name
from .store import now_ms

if TYPE_CHECKING:
    from .context import Instance

PREFIX = "/__emulator/idp/"
POPUP_CALLBACK = "/popup-callback"

_STYLE = (
    "body{font-family:system-ui,sans-serif;background:#f4f4f6;margin:0}"
    "main{max-width:24rem;margin:3rem auto;background:#fff;border-radius:12px;padding:1.5rem 2rem;"
    "box-shadow:0 2px 12px #0002}label{display:block;margin:.8rem 0 .3rem}"
    "input[type=email],input[type=text]{width:100%;box-sizing:border-box;padding:.5rem;font-size:1rem}"
    ".check{display:flex;gap:.5rem;align-items:center}.row{display:flex;gap:.5rem;margin-top:1.2rem}"
    "button{flex:1;padding:.6rem;font-size:1rem;border-radius:6px;border:1px solid #888;cursor:pointer}"
    "button[value=continue]{background:#222;color:#fff}.note{color:#555;font-size:.9rem}.error{color:#b00020}"
)


def _title(em: Instance, state: dict[str, Any]) -> str:
    if state["strategy"] == oauth.ENTERPRISE:
        conn = next((c for c in em.settings.connections() if c["id"] == state.get("connection_id")), None)
        return str(conn.get("name") or "your organization") if conn else "your organization"
    return provider_name(state["strategy"])


def _page(title: str, body: str, status: int = 200) -> web.Response:
    doc = (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" '
           f'content="width=device-width"><title>{html.escape(title)}</title><style>{_STYLE}</style></head>'
           f"<body><main>{body}</main></body></html>")
    return web.Response(text=doc, status=status, content_type="text/html", headers={"Cache-Control": "no-store"})


def _form(em: Instance, provider: str, state: dict[str, Any], email: str, name: str, error: str = "") -> str:
    title = _title(em, state)
    esc = html.escape
    problem = f'<p class="error" role="alert">{esc(error)}</p>' if error else ""
    return (
        f"<h1>Sign in with {esc(title)}</h1>"
        f'<p class="note">Local identity provider of your Clerk instance: no real {esc(title)} account is used. '
        f"Enter the account to continue as.</p>{problem}"
        f'<form method="post" action="{PREFIX}{esc(provider)}/decide">'
        f'<input type="hidden" name="state" value="{esc(state["id"])}">'
        f'<label for="email">Email</label>'
        f'<input id="email" name="email" type="email" autocomplete="email" value="{esc(email)}">'
        f'<label for="name">Name</label>'
        f'<input id="name" name="name" type="text" autocomplete="name" value="{esc(name)}">'
        f'<label class="check"><input type="checkbox" name="verified" value="true" checked> '
        f"The provider has verified this address</label>"
        f'<div class="row"><button type="submit" name="action" value="cancel">Cancel</button>'
        f'<button type="submit" name="action" value="continue">Continue</button></div></form>'
    )


def _live_state(em: Instance, state_id: str, provider: str) -> dict[str, Any] | None:
    state = em.store.get("oauth_states", state_id)
    expected = "enterprise" if state and state["strategy"] == oauth.ENTERPRISE else \
        oauth.provider_of(state["strategy"]) if state else None
    if state is None or state["used"] or state["code"] or state["expire_at"] < now_ms() or expected != provider:
        return None
    return state


async def handle(em: Instance, request: web.Request) -> web.Response:
    """``GET …/<provider>/authorize`` shows the form; ``POST …/<provider>/decide`` answers it."""
    provider, _, action = request.path[len(PREFIX):].partition("/")
    gone = _page("Sign-in link expired", "<h1>This sign-in request is no longer valid</h1><p>It was already used "
                 "or has expired. Go back to the application and start again.</p>", 400)
    if action == "authorize" and request.method == "GET":
        with em.store.tx():
            state = _live_state(em, request.query.get("state", ""), provider)
        if state is None or request.query.get("redirect_uri") != em.fapi_url + "/v1/oauth_callback":
            return gone
        return _page(f"Sign in with {_title(em, state)}",
                     _form(em, provider, state, request.query.get("login_hint", ""), ""))
    if action != "decide" or request.method != "POST":
        return _page("Not found", "<h1>Not found</h1>", 404)
    form = await request.post()
    fields = {k: str(v) for k, v in form.items()}
    callback = em.fapi_url + "/v1/oauth_callback"
    with em.store.tx():
        state = _live_state(em, fields.get("state", ""), provider)
        if state is None:
            return gone
        if fields.get("action") == "cancel":
            query = {"error": "access_denied", "error_description": "The user denied the request.",
                     "state": state["id"]}
            raise web.HTTPSeeOther(f"{callback}?{urlencode(query)}")
        email = fields.get("email", "").strip()
        if not model.EMAIL_RE.match(email):
            return _page(f"Sign in with {_title(em, state)}",
                         _form(em, provider, state, email, fields.get("name", ""),
                               "Enter a valid email address."), 400)
        strategy = state["strategy"]
        state["identity"] = {
            "strategy": strategy, "email": email, "name": fields.get("name", "").strip(),
            "verified": fields.get("verified") == "true" or strategy == oauth.ENTERPRISE,
            "provider_user_id": oauth.provider_user_id(provider, email), "scopes": state["scopes"],
        }
        state["code"] = secrets.token_urlsafe(24)
        em.store.put_record("oauth_states", state)
    query = {"code": state["code"], "state": state["id"], "scope": " ".join(["openid", "email", "profile",
                                                                              *state["scopes"]])}
    raise web.HTTPSeeOther(f"{callback}?{urlencode(query)}")


def popup_callback(em: Instance, request: web.Request) -> web.Response:
    """``GET /popup-callback[?return_url=…]``: the Account Portal's popup page. With ``return_url`` it passes that
    URL to the opener; without, the session the flow created on the browser's client (found from
    ``__clerk_db_jwt``, else the ``__client`` cookie)."""
    return_url = request.query.get("return_url", "")
    if return_url:
        parts = urlsplit(return_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            return _page("Sign-in", "<h1>This sign-in cannot continue</h1><p>The return address is not valid.</p>",
                         400)
        # Only the app's own origin may read where it goes next.
        message: dict[str, str] = {"return_url": return_url}
        target = f"{parts.scheme}://{parts.netloc}"
    else:
        token = request.query.get("__clerk_db_jwt") or request.cookies.get("__client") or ""
        with em.store.tx():
            client = em.store.client_by_token(token) if token else None
            sid = client["last_active_session_id"] if client else None
            sess = em.store.get("sessions", sid) if sid else None
            active = sess is not None and model.is_active(em.store, sess)
        if not active or sid is None:
            return _page("Sign-in", "<h1>No sign-in to report</h1><p>This browser has no session from this sign-in. "
                         "Close this window and start again from the application.</p>", 400)
        # The opener's origin is unknown here (Clerk's page posts to any); a session id alone grants nothing.
        message, target = {"session": sid}, "*"
    data = json.dumps(message).replace("<", "\\u003c")
    script = (f"<script>(function(){{var m={data},o=window.opener;"
              f"if(o){{o.postMessage(m,{json.dumps(target)});window.close();}}"
              f"else if(m.return_url){{location.replace(m.return_url);}}}})();</script>")
    return _page("Signing in…", "<h1>Signing in…</h1><p>You can close this window.</p>" + script)
