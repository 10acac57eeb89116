"""Testing tokens and the captcha (bot sign-up protection) they bypass.

``POST /v1/testing_tokens`` (BAPI) issues a short-lived token ``<unix seconds>-<random>``; a FAPI request that
carries a valid one as the ``__clerk_testing_token`` query parameter is treated as a test run: its answer says
``captcha_bypass: true`` on the client (:func:`mark_captcha_bypass`), and a sign-up needs no captcha
(:func:`check_sign_up_captcha`).

Captcha is off unless the instance settings say ``sign_up.captcha_enabled: true``. With it on, a sign-up must
carry a captcha token, as clerk-js sends one: there is no Turnstile offline, so the only token accepted is the
one Cloudflare's Turnstile test site keys produce (:data:`TURNSTILE_TEST_TOKEN`); a ``captcha_error`` (what
clerk-js sends when the widget cannot load) is ``captcha_invalid``; nothing at all is ``captcha_missing_token``.
"""

from __future__ import annotations

import re
import secrets
import time
from typing import TYPE_CHECKING, Any

from .errors import ClerkError
from .http import Ctx, Reply
from .store import now_ms

if TYPE_CHECKING:
    from .context import Instance

__all__ = [
    "TESTING_TOKEN_LIFETIME_S",
    "TESTING_TOKEN_PARAM",
    "TURNSTILE_TEST_TOKEN",
    "captcha_enabled",
    "check_sign_up_captcha",
    "issue_testing_token",
    "mark_captcha_bypass",
    "request_bypasses_captcha",
    "testing_token_valid",
]

TESTING_TOKEN_PARAM = "__clerk_testing_token"
TESTING_TOKEN_LIFETIME_S = 3600  # Clerk's documented example expires one hour after the time in the token
TURNSTILE_TEST_TOKEN = "XXXX.DUMMY.TOKEN.XXXX"
_TOKEN_SHAPE = re.compile(r"^\d{1,12}-[A-Za-z0-9_-]{16,128}$")


def issue_testing_token(em: Instance) -> dict[str, Any]:
    """Store a new testing token and return it as BAPI answers it: ``{object, token, expires_at}``
    (``expires_at`` in Unix seconds). Tokens that have expired are dropped on the way."""
    issued = int(time.time())
    for old in em.store.where("testing_tokens", "created_at < ?", ((issued - TESTING_TOKEN_LIFETIME_S) * 1000,)):
        em.store.delete("testing_tokens", old["id"])
    token = f"{issued}-{secrets.token_urlsafe(32)}"
    record = {"id": token, "expires_at": issued + TESTING_TOKEN_LIFETIME_S, "created_at": now_ms()}
    em.store.put_record("testing_tokens", record)
    return {"object": "testing_token", "token": token, "expires_at": record["expires_at"]}


def testing_token_valid(em: Instance, token: str | None) -> bool:
    """True for a testing token this instance issued that has not expired."""
    if not token or not _TOKEN_SHAPE.match(token):
        return False
    record = em.store.get("testing_tokens", token)
    return record is not None and time.time() < record["expires_at"]


def request_bypasses_captcha(em: Instance, ctx: Ctx) -> bool:
    """True when the FAPI request carries a valid ``__clerk_testing_token`` query parameter."""
    return testing_token_valid(em, ctx.query.get(TESTING_TOKEN_PARAM))


def mark_captcha_bypass(result: Any) -> None:
    """Set ``captcha_bypass: true`` on every client object of a FAPI answer (the ``client`` of an envelope, a
    ``response`` that is the client itself, and ``meta.client`` of an error body)."""
    body = result.body if isinstance(result, Reply) else result
    if not isinstance(body, dict):
        return
    meta = body.get("meta")
    for holder in (body, meta if isinstance(meta, dict) else {}):
        for key in ("client", "response"):
            value = holder.get(key)
            if isinstance(value, dict) and value.get("object") == "client":
                value["captcha_bypass"] = True


def captcha_enabled(em: Instance) -> bool:
    """Whether the settings switch bot sign-up protection on (``sign_up.captcha_enabled: true``)."""
    return em.settings.current["sign_up"].get("captcha_enabled") is True


def check_sign_up_captcha(em: Instance, ctx: Ctx) -> None:
    """Refuse a ``POST /v1/client/sign_ups`` that captcha protection would stop; call it before the sign-up
    is created. Nothing is checked when captcha is off or the request carries a valid testing token."""
    if not captcha_enabled(em) or request_bypasses_captcha(em, ctx):
        return
    if ctx.field("captcha_error"):
        raise ClerkError("captcha_invalid", "client_side")
    token = ctx.field("captcha_token")
    if not token:
        raise ClerkError("captcha_missing_token")
    if token != TURNSTILE_TEST_TOKEN:
        raise ClerkError("captcha_invalid")
