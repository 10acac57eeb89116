"""Email links: ``GET /v1/verify?token=…``, the page an emailed link opens.

The link verifies what it was sent for (a sign-in's first factor or its Client Trust step, a sign-up's email, a
user's email address)
and sends the browser to the ``redirect_url`` given when the link was prepared, with ``__clerk_status``
(``verified``, ``expired``, ``failed``, ``client_mismatch``) and, when a session was created,
``__clerk_created_session``. The session belongs to the client that started the flow, whichever browser opens
the link. A link works once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import model
from ..errors import ClerkError
from ..http import Ctx, Reply
from ..redirects import add_query
from ..store import now_ms
from . import sign_in, sign_up
from .common import F, attach_attempt, router

if TYPE_CHECKING:
    from ..context import Instance

_DONE_PAGE = ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title></head>"
              "<body><main><h1>{title}</h1><p>{text}</p></main></body></html>")
_TEXTS = {
    "verified": ("Verified", "You can return to the original tab to continue."),
    "expired": ("This link has expired", "Go back to the original tab and ask for a new link."),
    "failed": ("This link cannot be used", "It was already used or is not valid. Ask for a new link."),
    "client_mismatch": ("Open the link in the same browser",
                        "This link must be opened on the device and browser that asked for it."),
}


def _finish(doc: dict[str, Any] | None, status: str, session_id: str | None = None) -> Reply:
    target = doc.get("redirect_url") if doc else None
    if target:
        params = {"__clerk_status": status}
        if session_id:
            params["__clerk_created_session"] = session_id
        return Reply.redirect(add_query(target, params), 303)
    title, text = _TEXTS[status]
    return Reply.page(_DONE_PAGE.format(title=title, text=text), 200 if status == "verified" else 400)


def _verification(em: Instance, doc: dict[str, Any]) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """The document holding the link's verification and that verification (None if it was replaced)."""
    purpose = doc["purpose"]
    if purpose in ("sign_in", "second_factor"):
        si = em.store.get("sign_ins", doc["owner_id"])
        key = "first_factor_verification" if purpose == "sign_in" else "second_factor_verification"
        ver = (si or {}).get(key)
        return si, ver if ver and ver.get("_token") == doc["id"] else None
    if purpose == "sign_up":
        su = em.store.get("sign_ups", doc["owner_id"])
        ver = (su or {}).get("email_verification")
        return su, ver if ver and ver.get("_token") == doc["id"] else None
    user = em.store.get("users", doc["user_id"]) if doc.get("user_id") else None
    item = next((e for e in (user or {}).get("email_addresses", []) if e["id"] == doc["email_id"]), None)
    ver = (item or {}).get("verification")
    return user, ver if ver and ver.get("_token") == doc["id"] else None


@router.add(F, "GET", "/v1/verify")
def verify(em: Instance, ctx: Ctx) -> Any:
    token = ctx.query.get("token") or ""
    if not token:
        raise ClerkError("form_param_missing", param="token")
    doc = em.store.get("link_tokens", token)
    if doc is None:
        return _finish(None, "failed")
    owner, ver = _verification(em, doc)
    if doc["used"] or owner is None or ver is None or ver["status"] == "verified":
        return _finish(doc, "failed")
    if doc["expire_at"] < now_ms():
        ver["status"] = "expired"
        _save(em, doc, owner)
        return _finish(doc, "expired")
    visiting = ctx.client["id"] if ctx.client else None
    if em.settings.current["email_link"].get("require_same_client") and visiting != doc["client_id"]:
        return _finish(doc, "client_mismatch")
    doc["used"] = True
    em.store.put_record("link_tokens", doc)
    ver.update(status="verified", verified_at_client=doc["client_id"])
    session_id = None
    if doc["purpose"] == "sign_in":
        user = model.load_user(em.store, owner["user_id"])
        sign_in.first_factor_done(em, owner, user, "email_link", in_band=False)  # may still need a second factor
        session_id = owner.get("created_session_id")
    elif doc["purpose"] == "sign_up":
        sign_up.finalize(em, owner, in_band=False)
        session_id = owner.get("created_session_id")
    elif doc["purpose"] == "second_factor":  # a new device proven by an email link (Client Trust)
        user = model.load_user(em.store, owner["user_id"])
        sign_in.complete(em, owner, user, owner.get("_first_strategy") or "password", in_band=False)
        session_id = owner["created_session_id"]
    else:
        if owner["primary_email_address_id"] is None:
            owner["primary_email_address_id"] = doc["email_id"]
        model.save_user(em.store, owner)
    return _finish(doc, "verified", session_id)


def _save(em: Instance, doc: dict[str, Any], owner: dict[str, Any]) -> None:
    if doc["purpose"] in ("sign_in", "second_factor"):
        attach_attempt(em, "sign_in", owner)
    elif doc["purpose"] == "sign_up":
        attach_attempt(em, "sign_up", owner)
    else:
        model.save_user(em.store, owner)
