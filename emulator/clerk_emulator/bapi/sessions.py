"""Sessions and keys on the Backend API: list, create (testing), tokens, revoke, JWKS."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import model
from ..errors import ClerkError
from ..http import Ctx
from ..tokens import mint_token
from .common import (
    B,
    body,
    limit_offset,
    router,
    str_field,
)

if TYPE_CHECKING:
    from ..context import Instance


@router.add(B, "GET", "/v1/sessions")
def list_sessions(em: Instance, ctx: Ctx) -> Any:
    limit, offset = limit_offset(ctx)
    clauses, args = [], []
    for name in ("user_id", "client_id"):
        if ctx.query.get(name):
            clauses.append(f"{name}=?")
            args.append(ctx.query[name])
    if not clauses:
        raise ClerkError("form_param_missing", param="user_id",
                         long_suffix=" Give user_id or client_id.")
    rows = em.store.where("sessions", " AND ".join(clauses) + " ORDER BY created_at DESC, id DESC", tuple(args))
    status = ctx.query.get("status")
    if status:
        rows = [s for s in rows if s["status"] == status]
    page = [model.bapi_session(s) for s in rows[offset:offset + limit]]
    if ctx.query.get("paginated") == "true":
        return {"data": page, "total_count": len(rows)}
    return page


@router.add(B, "POST", "/v1/sessions")
def create_session(em: Instance, ctx: Ctx) -> Any:
    """Testing helper of BAPI: a new client with one active session for ``user_id``."""
    data = body(ctx, {"user_id", "active_organization_id"})
    user = model.load_user(em.store, str_field(data, "user_id", nullable=False) or "")
    if user["banned"]:
        raise ClerkError("user_banned")
    client = model.new_client(em.store)
    sess = model.create_session(em.store, client, user, "ticket")
    org_ref = str_field(data, "active_organization_id")
    if org_ref:
        org = model.load_org(em.store, org_ref)
        if not em.store.where("memberships", "org_id=? AND user_id=?", (org["id"], user["id"])):
            raise ClerkError("resource_not_found", "organization")
        sess["last_active_organization_id"] = org["id"]
        em.store.put_session(sess)
    return model.bapi_session(sess)


@router.add(B, "POST", "/v1/sessions/{session_id}/tokens")
def create_session_token(em: Instance, ctx: Ctx) -> Any:
    body(ctx, {"expires_in_seconds"})
    sess = em.store.get("sessions", ctx.params["session_id"])
    if sess is None:
        raise ClerkError("resource_not_found", "session", fill={"sessionID": ctx.params["session_id"]})
    if sess["status"] != "active":
        raise ClerkError("signed_out")
    return {"object": "token", "jwt": mint_token(em, sess, None, None)}


@router.add(B, "GET", "/v1/sessions/{session_id}")
def get_session(em: Instance, ctx: Ctx) -> Any:
    sess = em.store.get("sessions", ctx.params["session_id"])
    if sess is None:
        raise ClerkError("resource_not_found", "session", fill={"sessionID": ctx.params["session_id"]})
    return model.bapi_session(sess)


@router.add(B, "POST", "/v1/sessions/{session_id}/revoke")
def revoke_session(em: Instance, ctx: Ctx) -> Any:
    sess = em.store.get("sessions", ctx.params["session_id"])
    if sess is None:
        raise ClerkError("resource_not_found", "session", fill={"sessionID": ctx.params["session_id"]})
    if sess["status"] == "active":
        model.end_session(em.store, sess, "revoked")
    return model.bapi_session(sess)


@router.add(B, "GET", "/v1/jwks")
def jwks(em: Instance, ctx: Ctx) -> Any:
    return {"keys": [em.store.jwk]}
