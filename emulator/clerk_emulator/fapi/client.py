"""The client: ``/v1/client`` and signing out every session of it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import model
from ..http import Ctx
from ..store import touch
from .common import (
    F,
    ensure_client,
    fresh_client,
    router,
)

if TYPE_CHECKING:
    from ..context import Instance


@router.add(F, "GET", "/v1/client")
def get_client(em: Instance, ctx: Ctx) -> Any:
    client = fresh_client(em, ctx)
    return {"response": client, "client": client}


@router.add(F, "PUT", "/v1/client")
@router.add(F, "POST", "/v1/client")
def create_client(em: Instance, ctx: Ctx) -> Any:
    ensure_client(em, ctx)
    client = fresh_client(em, ctx)
    return {"response": client, "client": client}


def _sign_out_all(em: Instance, ctx: Ctx) -> Any:
    if ctx.client is not None:
        for sess in model.active_sessions(em.store, ctx.client["id"]):
            model.end_session(em.store, sess, "ended")
        client = em.store.get("clients", ctx.client["id"])
        if client:
            client["sign_in_id"] = client["sign_up_id"] = None
            client["last_active_session_id"] = None
            touch(client)
            em.store.put_client(client)
    client_json = fresh_client(em, ctx)
    return {"response": client_json, "client": client_json}


@router.add(F, "DELETE", "/v1/client")
def delete_client(em: Instance, ctx: Ctx) -> Any:
    return _sign_out_all(em, ctx)


@router.add(F, "DELETE", "/v1/client/sessions")
def delete_sessions(em: Instance, ctx: Ctx) -> Any:
    return _sign_out_all(em, ctx)
