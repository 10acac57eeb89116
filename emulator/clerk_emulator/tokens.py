"""Session tokens (RS256 JWTs) as both APIs mint them."""

from __future__ import annotations

import secrets
import time
from typing import TYPE_CHECKING, Any

from . import mfa, model, org_roles
from .crypto import CLOCK_SKEW_S, TOKEN_LIFETIME_S, sign_rs256
from .errors import ClerkError

if TYPE_CHECKING:
    from .context import Instance


def org_claims(role: str) -> dict[str, str]:
    """``per``, ``fpm`` and ``fea`` for a member with ``role``: its custom permissions only (system ones never go
    into a token). Features and actions are numbered in first-seen order; ``fpm[i]`` has bit ``j`` set when
    ``org:<feature i>:<action j>`` is granted. Empty claims are left out."""
    custom = [p.split(":") for p in org_roles.permissions_of(role) if not p.startswith("org:sys_")]
    features = list(dict.fromkeys(parts[1] for parts in custom))
    actions = list(dict.fromkeys(parts[2] for parts in custom))
    if not custom:
        return {}
    masks = [sum(1 << actions.index(parts[2]) for parts in custom if parts[1] == feature) for feature in features]
    return {"per": ",".join(actions), "fpm": ",".join(str(m) for m in masks),
            "fea": ",".join(f"o:{f}" for f in features)}


def mint_token(em: Instance, sess: dict[str, Any], origin: str | None, org_field: str | None) -> str:
    """A session token. ``org_field`` (the ``organization_id`` form field): absent → the session's active
    organization; ``""`` → the personal account; an id or slug → that organization (the user must be a member).
    Minting for another organization does not change the session's active one (clerk-js treats such tokens as
    side tokens)."""
    org_id = sess.get("last_active_organization_id")
    if org_field is not None:
        org_id = None
        if org_field:
            try:
                org = model.load_org(em.store, org_field)
            except ClerkError:
                raise ClerkError("organization_not_found_or_unauthorized") from None
            if not em.store.where("memberships", "org_id=? AND user_id=?", (org["id"], sess["user_id"])):
                raise ClerkError("organization_not_found_or_unauthorized")
            org_id = org["id"]
    issued = int(time.time())
    claims: dict[str, Any] = {
        "azp": origin,
        "exp": issued + TOKEN_LIFETIME_S,
        "fva": mfa.factor_verification_age(sess),
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
    if org_id:
        org_doc = em.store.get("organizations", org_id)
        mems = em.store.where("memberships", "org_id=? AND user_id=?", (org_id, sess["user_id"]))
        if org_doc and mems:
            role = mems[0]["role"]
            extra = org_claims(role)
            claims["o"] = {"id": org_id, "slg": org_doc["slug"], "rol": role.split(":", 1)[-1]}
            claims["o"].update({k: v for k, v in extra.items() if k != "fea"})
            if "fea" in extra:
                claims["fea"] = extra["fea"]
    if model.session_status(em.store, sess) == "pending":
        claims["sts"] = "pending"
    jwt = sign_rs256(em.store.signing_key, em.store.kid, claims)
    if org_id == sess.get("last_active_organization_id"):
        # Remembered as the session's last active token (clients read it from the session JSON).
        sess["_token"] = {"jwt": jwt, "exp": claims["exp"], "org": org_id, "azp": origin, "sts": claims.get("sts")}
        em.store.put_session(sess)
    return jwt


def last_active_token(em: Instance, sess: dict[str, Any], origin: str | None) -> dict[str, Any]:
    """``{object: "token", jwt}`` for an active session: the last minted token while it has 30 s or more
    left for the same organization and origin, else a new one (Clerk's clients seed their token cache from it)."""
    held = sess.get("_token")
    fresh = (held is not None and held["exp"] - time.time() >= 30 and held["azp"] == origin
             and held["org"] == sess.get("last_active_organization_id")
             and held.get("sts") == ("pending" if model.session_status(em.store, sess) == "pending" else None))
    jwt = held["jwt"] if fresh and held is not None else mint_token(em, sess, origin, None)
    return {"object": "token", "jwt": jwt}

