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
    jwt = sign_rs256(em.store.signing_key, em.store.kid, claims)
    # Remembered as the session's last active token (clients read it from the session JSON).
    sess["_token"] = {"jwt": jwt, "exp": claims["exp"], "org": org_id, "azp": origin}
    em.store.put_session(sess)
    return jwt


def last_active_token(em: Instance, sess: dict[str, Any], origin: str | None) -> dict[str, Any]:
    """``{object: "token", jwt}`` for an active session: the last minted token while it has 30 s or more
    left for the same organization and origin, else a new one (Clerk's clients seed their token cache from it)."""
    held = sess.get("_token")
    fresh = (held is not None and held["exp"] - time.time() >= 30 and held["azp"] == origin
             and held["org"] == sess.get("last_active_organization_id"))
    jwt = held["jwt"] if fresh and held is not None else mint_token(em, sess, origin, None)
    return {"object": "token", "jwt": jwt}

