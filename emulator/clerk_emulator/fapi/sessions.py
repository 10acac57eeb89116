"""The client's sessions: select, end, remove, and session tokens."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import activity, model, organizations_model
from ..client_json import fapi_session
from ..errors import ClerkError
from ..http import Ctx
from ..store import now_ms, touch
from ..tokens import mint_token
from .common import (
    F,
    client_session,
    envelope,
    router,
)

if TYPE_CHECKING:
    from ..context import Instance


def _seen(ctx: Ctx) -> dict[str, Any]:
    """The session's latest activity: this request's browser and address."""
    return activity.from_request(ctx.request.headers.get("User-Agent"), ctx.request.remote)


@router.add(F, "GET", "/v1/client/sessions/{session_id}")
def get_session(em: Instance, ctx: Ctx) -> Any:
    return envelope(em, ctx, fapi_session(em, client_session(em, ctx), ctx.request.headers.get("Origin")))


@router.add(F, "POST", "/v1/client/sessions/{session_id}/touch")
def touch_session(em: Instance, ctx: Ctx) -> Any:
    sess = client_session(em, ctx)
    if not model.is_active(em.store, sess):
        raise ClerkError("signed_out")
    if ctx.has("active_organization_id"):
        # An id or a slug; empty selects the personal account, except under forced organization selection,
        # where it keeps the organization in use.
        org_ref = ctx.field("active_organization_id") or ""
        if org_ref:
            user = model.load_user(em.store, sess["user_id"])
            org, _mem = organizations_model.member_org(em, org_ref, user)
            sess["last_active_organization_id"] = org["id"]
        elif not organizations_model.settings(em)["force_organization_selection"]:
            sess["last_active_organization_id"] = None
    sess["last_active_at"] = now_ms()
    sess["_activity"] = _seen(ctx)
    touch(sess)
    em.store.put_session(sess)
    client = em.store.get("clients", sess["client_id"])
    assert client is not None
    client["last_active_session_id"] = sess["id"]
    em.store.put_client(client)
    return envelope(em, ctx, fapi_session(em, sess, ctx.request.headers.get("Origin")))


@router.add(F, "POST", "/v1/client/sessions/{session_id}/end")
def end_session(em: Instance, ctx: Ctx) -> Any:
    sess = client_session(em, ctx)
    model.end_session(em.store, sess, "ended")
    return envelope(em, ctx, fapi_session(em, sess, ctx.request.headers.get("Origin")))


@router.add(F, "POST", "/v1/client/sessions/{session_id}/remove")
def remove_session(em: Instance, ctx: Ctx) -> Any:
    sess = client_session(em, ctx)
    model.end_session(em.store, sess, "removed")
    return envelope(em, ctx, fapi_session(em, sess, ctx.request.headers.get("Origin")))


@router.add(F, "POST", "/v1/client/sessions/{session_id}/tokens")
@router.add(F, "POST", "/v1/client/sessions/{session_id}/tokens/{template}")
def session_token(em: Instance, ctx: Ctx) -> Any:
    sess = client_session(em, ctx)
    if not model.is_active(em.store, sess):
        raise ClerkError("signed_out")
    if "template" in ctx.params:
        raise ClerkError("resource_not_found", long_suffix=f" No JWT template named {ctx.params['template']!r}.")
    sess["_activity"] = _seen(ctx)
    em.store.put_session(sess)
    jwt = mint_token(em, sess, ctx.request.headers.get("Origin"),
                     ctx.field("organization_id") if ctx.has("organization_id") else None)
    return {"object": "token", "jwt": jwt}
