"""Instance-wide FAPI routes: JWKS, dev-browser tokens and the environment."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import model
from ..environment import environment
from ..http import Ctx
from .common import (
    F,
    router,
)

if TYPE_CHECKING:
    from ..context import Instance


@router.add(F, "GET", "/.well-known/jwks.json")
def jwks(em: Instance, ctx: Ctx) -> Any:
    return {"keys": [em.store.jwk]}


@router.add(F, "POST", "/v1/dev_browser")
def dev_browser(em: Instance, ctx: Ctx) -> Any:
    client = model.new_client(em.store)
    ctx.extra_headers["Clerk-Db-Jwt"] = client["token"]
    return {"object": "dev_browser", "id": client["token"], "client_id": client["id"]}


@router.add(F, "GET", "/v1/environment")
@router.add(F, "PATCH", "/v1/environment")
def get_environment(em: Instance, ctx: Ctx) -> Any:
    origin = ctx.request.headers.get("Origin") or em.fapi_url
    return environment(em.store.instance_id, origin, em.settings)
