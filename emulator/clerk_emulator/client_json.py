"""The FAPI ``client`` object: sessions (with their last active token), the sign-in and sign-up in progress."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import attempts, model
from .tokens import last_active_token

if TYPE_CHECKING:
    from .context import Instance


def fapi_session(em: Instance, sess: dict[str, Any], origin: str | None) -> dict[str, Any]:
    """A session as FAPI answers it; an active one carries ``last_active_token`` as real Clerk's do."""
    out = model.fapi_session(em.store, sess)
    if sess["status"] == "active" and out.get("user") is not None:
        out["last_active_token"] = last_active_token(em, sess, origin)
    return out


def fapi_client(em: Instance, client: dict[str, Any] | None, origin: str | None) -> dict[str, Any] | None:
    if client is None:
        return None
    store = em.store
    sessions = model.active_sessions(store, client["id"])  # may expire sessions and so change the client
    client = store.get("clients", client["id"]) or client
    si = store.get("sign_ins", client["sign_in_id"]) if client.get("sign_in_id") else None
    su = store.get("sign_ups", client["sign_up_id"]) if client.get("sign_up_id") else None
    return {
        "object": "client",
        "id": client["id"],
        "sessions": [fapi_session(em, s, origin) for s in sessions],
        "sign_in": attempts.fapi_sign_in(em, si) if si else None,
        "sign_up": attempts.fapi_sign_up(em, su) if su else None,
        "last_active_session_id": client["last_active_session_id"],
        "last_authentication_strategy": client["last_authentication_strategy"],
        "cookie_expires_at": None,
        "captcha_bypass": False,
        "created_at": client["created_at"],
        "updated_at": client["updated_at"],
    }
