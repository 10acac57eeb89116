"""``has()`` / ``check_authorization()`` with Clerk's shared authorization rules, and the server-side reading
of a session token's organization claims.

In the browser (:meth:`Session.check_authorization`) role and permissions, system ones included, come from the
active organization's membership; on a server (:func:`decode_session_claims`) from the token's ``o`` claim,
which carries custom permissions only. See docs/sdk.md, "Organizations".
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from ._sentinels import UNSET

if TYPE_CHECKING:
    from .resources.session import Session

__all__ = [
    "REVERIFICATION_PRESETS",
    "AuthorizationInputs",
    "SessionClaimsAuth",
    "check_authorization",
    "decode_session_claims",
    "org_permissions_from_claims",
    "split_by_scope",
]

#: Named reverification levels: ``(after_minutes, level)``.
REVERIFICATION_PRESETS: dict[str, tuple[int, str]] = {
    "strict_mfa": (10, "multi_factor"),
    "strict": (10, "second_factor"),
    "moderate": (60, "second_factor"),
    "lax": (1_440, "second_factor"),
}
_LEVELS = ("first_factor", "second_factor", "multi_factor")
_ORG_SCOPES = ("o", "org", "organization")
_USER_SCOPES = ("u", "user")
_PASS, _FAIL, _SKIP = "pass", "fail", "skip"
_ORG_PREFIX = re.compile(r"^(org:)*")


class AuthorizationInputs(NamedTuple):
    """What a check reads (``factor_verification_age``: minutes since each factor, -1 = none)."""

    user_id: str | None
    org_id: str | None
    org_role: str | None
    org_permissions: list[str] | None
    factor_verification_age: Any
    features: str | None
    plans: str | None


def _with_org(value: str) -> str:
    # Any run of leading "org:" becomes exactly one: "admin", "org:admin" and "org:org:admin" are equal.
    return _ORG_PREFIX.sub("org:", value, count=1)


def split_by_scope(claim: str | None) -> tuple[list[str], list[str]]:
    """``(org entries, user entries)`` of a ``fea``/``pla`` claim like ``"o:teams,u:free"``; ValueError without
    a scope."""
    org: list[str] = []
    user: list[str] = []
    if not claim:
        return org, user
    for raw in claim.split(","):
        part = raw.strip()
        scope, colon, value = part.partition(":")
        if not colon:
            raise ValueError(f"Invalid claim element (missing colon): {part}")
        if scope == "o":
            org.append(value)
        elif scope == "u":
            user.append(value)
        elif scope in ("ou", "uo"):
            org.append(value)
            user.append(value)
    return org, user


def _has_entry(claim: str, asked: str) -> bool:
    org, user = split_by_scope(claim)
    parts = asked.split(":")
    raw_scope = parts[0]
    raw_id = parts[1] if len(parts) > 1 else None  # a third segment is ignored, as in Clerk
    wanted = raw_id or raw_scope
    if raw_id is not None:
        if raw_scope in _ORG_SCOPES:
            return wanted in org
        if raw_scope in _USER_SCOPES:
            return wanted in user
        raise ValueError(f"Invalid scope: {raw_scope}")
    # Organization entries exist only while an organization is active, so one search is safe.
    return wanted in org + user


def _check_org(role: Any, permission: Any, inputs: AuthorizationInputs) -> str:
    if role is UNSET and permission is UNSET:
        return _SKIP
    if (role is not UNSET and not isinstance(role, str)) or (permission is not UNSET and not isinstance(permission,
                                                                                                          str)):
        return _FAIL
    if not inputs.org_id:
        return _FAIL
    if role is not UNSET:
        if not isinstance(inputs.org_role, str) or not inputs.org_role:
            return _FAIL
        if _with_org(inputs.org_role) != _with_org(role):
            return _FAIL
    if permission is not UNSET and (not isinstance(inputs.org_permissions, list)
                                    or _with_org(permission) not in inputs.org_permissions):
        return _FAIL
    return _PASS


def _check_billing(feature: Any, plan: Any, inputs: AuthorizationInputs) -> str:
    if feature is UNSET and plan is UNSET:
        return _SKIP
    if (feature is not UNSET and not isinstance(feature, str)) or (plan is not UNSET and not isinstance(plan, str)):
        return _FAIL
    for asked, claim in ((feature, inputs.features), (plan, inputs.plans)):
        if asked is UNSET:
            continue
        if not isinstance(claim, str) or not claim:
            return _FAIL
        try:
            if not _has_entry(claim, asked):
                return _FAIL
        except ValueError:
            return _FAIL
    return _PASS


def _is_age(value: Any) -> bool:
    return (isinstance(value, (int, float)) and not isinstance(value, bool) and value == value
            and value not in (float("inf"), float("-inf")) and (value == -1 or value >= 0))


def _reverification_config(config: Any) -> tuple[float, str] | None:
    if not config:
        return None
    if isinstance(config, str):
        return REVERIFICATION_PRESETS.get(config)
    if isinstance(config, Mapping):
        level = config.get("level")
        minutes = config.get("after_minutes", config.get("afterMinutes"))
        if (level in _LEVELS and isinstance(minutes, (int, float)) and not isinstance(minutes, bool)
                and minutes > 0):
            return float(minutes), str(level)
    return None


def _check_reverification(reverification: Any, inputs: AuthorizationInputs) -> str:
    if reverification is UNSET:
        return _SKIP
    ages = inputs.factor_verification_age
    if not ages or not isinstance(ages, (list, tuple)) or len(ages) != 2 or not all(_is_age(a) for a in ages):
        return _FAIL
    config = _reverification_config(reverification)
    if config is None:
        return _FAIL
    after, level = config
    first, second = ages
    if first == -1 and second == -1:  # neither factor group is enabled: nothing can be verified
        return _FAIL
    first_fresh = first != -1 and after > first
    second_fresh = second != -1 and after > second
    if level == "first_factor":
        ok = first_fresh
    elif level == "second_factor":
        # Prefer the second factor; with one factor group missing, the other one decides.
        ok = first_fresh if second == -1 else second_fresh
    else:  # multi_factor: no second factor falls back to the first; a second factor without a first fails
        ok = first_fresh if second == -1 else (first != -1 and first_fresh and second_fresh)
    return _PASS if ok else _FAIL


def check_authorization(inputs: AuthorizationInputs, *, role: Any = UNSET, permission: Any = UNSET,
                        feature: Any = UNSET, plan: Any = UNSET, reverification: Any = UNSET) -> bool:
    """Clerk's ``createCheckAuthorization(inputs)(params)``: True only if at least one asked dimension
    (organization, billing, reverification) passes and none fails; missing or malformed data fails."""
    if not inputs.user_id:
        return False
    results = (_check_org(role, permission, inputs), _check_billing(feature, plan, inputs),
               _check_reverification(reverification, inputs))
    return _PASS in results and all(r in (_PASS, _SKIP) for r in results)


# -- the session-token claims, read as Clerk's backend reads them ----------------------------------------------

def _bits(decimal: str, minimum: int) -> list[int]:
    if not decimal.isdigit() or not decimal.isascii():
        return []
    value = int(decimal)
    bits = [(value >> i) & 1 for i in range(max(value.bit_length(), 1))]
    return bits + [0] * (minimum - len(bits))


def org_permissions_from_claims(claims: Mapping[str, Any]) -> list[str]:
    """The custom permissions (``org:<feature>:<action>``) a v2 token's ``o.per`` / ``o.fpm`` / ``fea`` grant."""
    org_claim = claims.get("o")
    if not isinstance(org_claim, Mapping):
        return []
    per, fpm = org_claim.get("per"), org_claim.get("fpm")
    if not isinstance(per, str) or not isinstance(fpm, str) or not per or not fpm:
        return []
    names = [p.strip() for p in per.split(",")]
    masks = [_bits(item.strip(), len(names)) for item in fpm.split(",")]
    features, _user = split_by_scope(claims.get("fea") if isinstance(claims.get("fea"), str) else None)
    granted = []
    for index, feature in enumerate(features):
        if index >= len(masks):
            break
        for bit, name in zip(masks[index], names, strict=False):
            if bit:
                granted.append(f"org:{feature}:{name}")
    return granted


class SessionClaimsAuth(NamedTuple):
    """A session token as Clerk's backend reads it: see :func:`decode_session_claims`."""

    user_id: str | None
    session_id: str | None
    session_status: str | None
    actor: Any
    org_id: str | None
    org_role: str | None
    org_slug: str | None
    org_permissions: list[str] | None
    factor_verification_age: Any
    features: str | None
    plans: str | None

    def has(self, *, role: Any = UNSET, permission: Any = UNSET, feature: Any = UNSET, plan: Any = UNSET,
            reverification: Any = UNSET) -> bool:
        """:func:`check_authorization` on these claims: custom permissions only, as on a server."""
        inputs = AuthorizationInputs(self.user_id, self.org_id, self.org_role, self.org_permissions,
                                     self.factor_verification_age, self.features, self.plans)
        return check_authorization(inputs, role=role, permission=permission, feature=feature, plan=plan,
                                   reverification=reverification)


def decode_session_claims(claims: Mapping[str, Any]) -> SessionClaimsAuth:
    """Decoded session-token claims read as ``@clerk/backend`` reads them (v2 ``o`` claim, or v1 ``org_*``
    claims). The signature is not checked here: verify the token first."""
    org_id = org_role = org_slug = None
    org_permissions: list[str] | None = None
    if claims.get("v") == 2:
        org_claim = claims.get("o")
        if isinstance(org_claim, Mapping) and org_claim:
            org_id, org_slug = org_claim.get("id"), org_claim.get("slg")
            org_role = f"org:{org_claim['rol']}" if org_claim.get("rol") else None
            org_permissions = org_permissions_from_claims(claims)
    else:
        org_id, org_role, org_slug = claims.get("org_id"), claims.get("org_role"), claims.get("org_slug")
        raw = claims.get("org_permissions")
        org_permissions = list(raw) if isinstance(raw, list) else None
    fea, pla = claims.get("fea"), claims.get("pla")
    return SessionClaimsAuth(
        claims.get("sub"), claims.get("sid"), claims.get("sts"), claims.get("act"), org_id, org_role, org_slug,
        org_permissions, claims.get("fva"), fea if isinstance(fea, str) else None,
        pla if isinstance(pla, str) else None)


# -- the browser-side view ---------------------------------------------------------------------------------------

def _token_claims(session: Session) -> dict[str, Any]:
    from .tokens import cache_key, decode_jwt_claims

    # The newest token held for the session's organization (clerk-js's lastActiveToken), else the server's.
    jwt = session._clerk._tokens.last_jwt(cache_key(session.id, None, session.last_active_organization_id))
    if jwt is None and session.last_active_token is not None:
        jwt = session.last_active_token.jwt
    if not jwt:
        return {}
    try:
        return decode_jwt_claims(jwt)
    except Exception:  # a token that is not a JWT carries no claims: billing checks fail closed
        return {}


def session_inputs(session: Session) -> AuthorizationInputs:
    """The inputs clerk-js's ``Session.checkAuthorization`` uses (the browser-side view)."""
    user = session.user
    org_id = session.last_active_organization_id
    membership = next((m for m in user.organization_memberships if m.organization.id == org_id),
                      None) if user is not None else None
    claims = _token_claims(session)
    fea, pla = claims.get("fea"), claims.get("pla")
    return AuthorizationInputs(
        user.id if user is not None else None,
        membership.organization.id if membership is not None else None,
        membership.role if membership is not None else None,
        list(membership.permissions) if membership is not None else None,
        session.__dict__.get("factor_verification_age"),
        fea if isinstance(fea, str) else "",
        pla if isinstance(pla, str) else "",
    )


def token_disagrees(session: Session, jwt: str) -> bool:
    """True when a new v2 token disagrees with the local membership of the active organization."""
    from .tokens import decode_jwt_claims

    try:
        claims = decode_jwt_claims(jwt)
    except Exception:
        return False
    if claims.get("v") != 2 or session.user is None:
        return False
    org_id = session.last_active_organization_id
    org_claim = claims.get("o")
    token_org = org_claim.get("id") if isinstance(org_claim, Mapping) else None
    token_role = org_claim.get("rol") if isinstance(org_claim, Mapping) else None
    membership = next((m for m in session.user.organization_memberships if m.organization.id == org_id), None)
    if membership is None or not org_id:
        return token_org is not None and token_org == org_id
    return token_org != org_id or _with_org(str(token_role or "")) != _with_org(membership.role)

