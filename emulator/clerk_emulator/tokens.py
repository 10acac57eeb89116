"""Session tokens (RS256 JWTs) as both APIs mint them."""

from __future__ import annotations

import secrets
import time
from typing import TYPE_CHECKING, Any

from . import model
from .crypto import CLOCK_SKEW_S, TOKEN_LIFETIME_S, sign_rs256
from .errors import ClerkError

if TYPE_CHECKING:
    from .context import Instance


def mint_token(em: Instance, sess: dict[str, Any], origin: str | None, org_field: str | None) -> str:
    if org_field is not None:
        if org_field:
            org = model.load_org(em.store, org_field)
            if not em.store.where("memberships", "org_id=? AND user_id=?", (org["id"], sess["user_id"])):
                raise ClerkError("resource_not_found", "organization")
            sess["last_active_organization_id"] = org["id"]
        else:
            sess["last_active_organization_id"] = None
        em.store.put_session(sess)
    issued = int(time.time())
    claims: dict[str, Any] = {
        "azp": origin,
        "exp": issued + TOKEN_LIFETIME_S,
        "fva": [0, -1],
        "iat": issued,
        "iss": em.fapi_url,
        "jti": secrets.token_hex(10),
        "nbf": issued - CLOCK_SKEW_S,
        "sid": sess["id"],
        "sub": sess["user_id"],
        "v": 2,
    }
    if origin is None:
        del claims["azp"]
    org_id = sess.get("last_active_organization_id")
    if org_id:
        org_doc = em.store.get("organizations", org_id)
        mems = em.store.where("memberships", "org_id=? AND user_id=?", (org_id, sess["user_id"]))
        if org_doc and mems:
            role = mems[0]["role"]
            claims["o"] = {"id": org_id, "slg": org_doc["slug"], "rol": role.split(":", 1)[-1],
                           "per": ",".join(p.split(":", 1)[-1] for p in model.ROLE_PERMISSIONS.get(role, [])),
                           "fpm": ""}
    return sign_rs256(em.store.signing_key, em.store.kid, claims)

