"""has() / check_authorization: Clerk's documented rules as tables, the fpm test vector, the two views of a token.

Rows come from Clerk's shared authorization logic and docs (clerk-organizations.md §5): prefix normalisation,
AND across dimensions, fail-closed on missing or malformed data, scopes of features and plans, reverification
levels with their graceful downgrades.
"""

import base64
import json
from typing import Any

import pytest
from fapi_recorder import Recorder, client_json, envelope, jwt, loaded, reply, session_json, user_json

from clerk_frontend import SessionClaimsAuth, check_authorization, decode_session_claims
from clerk_frontend.authorization import AuthorizationInputs, org_permissions_from_claims, split_by_scope

ADMIN = AuthorizationInputs("user_1", "org_1", "org:admin",
                            ["org:sys_memberships:manage", "org:sys_profile:delete", "org:posts:edit"],
                            [3, -1], "o:teams,u:free_feature,ou:both", "u:free,o:pro")

ORG_ROWS: list[tuple[dict[str, Any], bool]] = [
    ({"role": "org:admin"}, True),
    ({"role": "admin"}, True),                       # the prefix is added
    ({"role": "org:org:admin"}, True),               # a run of prefixes counts as one
    ({"role": "org:member"}, False),
    ({"role": ""}, False),
    ({"role": None}, False),                         # not a string: fail closed
    ({"role": 1}, False),
    ({"permission": "org:sys_memberships:manage"}, True),   # system permissions count in the browser
    ({"permission": "sys_memberships:manage"}, True),
    ({"permission": "org:posts:edit"}, True),
    ({"permission": "org:posts:delete"}, False),
    ({"permission": None}, False),
    ({"role": "org:admin", "permission": "org:posts:edit"}, True),   # both asked: both must hold
    ({"role": "org:admin", "permission": "org:posts:delete"}, False),
    ({"role": "org:member", "permission": "org:posts:edit"}, False),
    ({}, False),                                     # nothing asked: nothing passed
]

BILLING_ROWS: list[tuple[dict[str, Any], bool]] = [
    ({"feature": "teams"}, True),                    # no scope: org and user entries together
    ({"feature": "o:teams"}, True),
    ({"feature": "org:teams"}, True),
    ({"feature": "organization:teams"}, True),
    ({"feature": "u:teams"}, False),                 # an org entry is not a user entry
    ({"feature": "u:free_feature"}, True),
    ({"feature": "user:free_feature"}, True),
    ({"feature": "o:free_feature"}, False),
    ({"feature": "both"}, True), ({"feature": "u:both"}, True), ({"feature": "o:both"}, True),  # ou: is both
    ({"feature": "x:teams"}, False),                 # unknown scope
    ({"feature": "o:teams:extra"}, True),            # a third segment is ignored
    ({"feature": "nothing"}, False),
    ({"feature": None}, False),
    ({"plan": "pro"}, True), ({"plan": "o:pro"}, True), ({"plan": "u:pro"}, False), ({"plan": "u:free"}, True),
    ({"plan": "free", "feature": "teams"}, True),
    ({"plan": "gold", "feature": "teams"}, False),
    ({"role": "org:admin", "plan": "pro"}, True),    # across dimensions: AND
    ({"role": "org:member", "plan": "pro"}, False),
    ({"role": "org:admin", "plan": "gold"}, False),
]

# (factor_verification_age, reverification, expected)
REVERIFICATION_ROWS: list[tuple[Any, Any, bool]] = [
    ([3, -1], "strict", True),            # no second factor: the first decides (graceful downgrade)
    ([30, -1], "strict", False),
    ([30, -1], "moderate", True),
    ([3, 20], "strict", False),           # second factor enrolled: it decides for second_factor
    ([30, 5], "strict", True),
    ([-1, 5], "strict", True),
    ([-1, 5], {"level": "first_factor", "after_minutes": 10}, False),
    ([5, 5], "strict_mfa", True),
    ([5, 20], "strict_mfa", False),
    ([-1, 5], "strict_mfa", False),       # a second factor without a first cannot satisfy multi_factor
    ([5, -1], "strict_mfa", True),
    ([1439, -1], "lax", True), ([1440, -1], "lax", False),   # fresh means strictly younger
    ([-1, -1], "lax", False),             # nothing enrolled: fail closed
    ([5, -1], {"level": "first_factor", "after_minutes": 10}, True),
    ([5, -1], {"level": "first_factor", "afterMinutes": 10}, True),   # clerk-js's spelling is read too
    ([5, -1], {"level": "first_factor", "after_minutes": 0}, False),
    ([5, -1], {"level": "fourth_factor", "after_minutes": 10}, False),
    ([5, -1], "stricter", False),
    ([5, -1], None, False),
    ([5, -1], "", False),
    (None, "lax", False),
    ([5], "lax", False),                  # a one-item age (seen from real Clerk in 2024) fails every check
    ([5, -2], "lax", False),
    ([5, True], "lax", False),
    ([float("nan"), -1], "lax", False),
]


@pytest.mark.parametrize(("params", "expected"), ORG_ROWS + BILLING_ROWS,
                         ids=[repr(r[0]) for r in ORG_ROWS + BILLING_ROWS])
def test_organization_and_billing_rules(params: dict[str, Any], expected: bool) -> None:
    assert check_authorization(ADMIN, **params) is expected


@pytest.mark.parametrize(("ages", "config", "expected"), REVERIFICATION_ROWS,
                         ids=[f"{r[0]}-{r[1]}" for r in REVERIFICATION_ROWS])
def test_reverification_rules(ages: Any, config: Any, expected: bool) -> None:
    inputs = ADMIN._replace(factor_verification_age=ages)
    assert check_authorization(inputs, reverification=config) is expected


def test_missing_data_fails_closed() -> None:
    assert check_authorization(ADMIN._replace(user_id=None), role="org:admin") is False
    assert check_authorization(ADMIN._replace(org_id=None), role="org:admin") is False
    assert check_authorization(ADMIN._replace(org_id=None), feature="u:free_feature") is True   # billing needs no org
    assert check_authorization(ADMIN._replace(org_role=""), role="org:admin") is False
    assert check_authorization(ADMIN._replace(org_permissions=None), permission="org:posts:edit") is False
    assert check_authorization(ADMIN._replace(features=""), feature="teams") is False
    assert check_authorization(ADMIN._replace(features="teams"), feature="teams") is False   # entry without a scope
    assert check_authorization(ADMIN._replace(plans=None), plan="pro") is False
    # Permissions in the list are compared as they are (only the asked one is normalised).
    assert check_authorization(ADMIN._replace(org_permissions=["posts:edit"]), permission="org:posts:edit") is False


def test_split_by_scope() -> None:
    assert split_by_scope("o:a, u:b ,ou:c,uo:d,x:e") == (["a", "c", "d"], ["b", "c", "d"])
    assert split_by_scope("") == ([], [])
    with pytest.raises(ValueError, match="missing colon"):
        split_by_scope("o:a,b")


# -- the fpm encoding and the server-side view -----------------------------------------------------------------

def test_fpm_test_vector_of_clerks_parser() -> None:
    claims = {"v": 2, "fea": "o:impersonation,o:memberships", "o": {"id": "org_1", "per": "read,manage",
                                                                      "fpm": "1,3"}}
    assert org_permissions_from_claims(claims) == ["org:impersonation:read", "org:memberships:read",
                                                   "org:memberships:manage"]
    # zero masks keep the alignment; user-scoped features are skipped when counting org features
    claims = {"v": 2, "fea": "u:x,o:a,o:b,o:c", "o": {"per": "read,manage", "fpm": "1,0,2"}}
    assert org_permissions_from_claims(claims) == ["org:a:read", "org:c:manage"]


def test_documented_worked_example() -> None:
    claims = {"v": 2, "fea": "o:dashboard,o:teams", "o": {"id": "org_1", "rol": "admin", "slg": "acme",
                                                           "per": "manage,read", "fpm": "3,2"}}
    assert org_permissions_from_claims(claims) == ["org:dashboard:manage", "org:dashboard:read", "org:teams:read"]


@pytest.mark.parametrize(("org_claim", "fea", "expected"), [
    ({"per": "", "fpm": "1"}, "o:a", []),
    ({"per": "read"}, "o:a", []),
    ({"per": "read", "fpm": "x"}, "o:a", []),                # a non-decimal mask grants nothing
    ({"per": "read", "fpm": "1,1"}, "o:a", ["org:a:read"]),  # more masks than features: extra ignored
    ({"per": "read", "fpm": "1"}, "o:a,o:b", ["org:a:read"]),  # fewer masks than features
    ({"per": "a,b", "fpm": "18446744073709551619"}, "o:f", ["org:f:a", "org:f:b"]),  # arbitrary length
    ({"per": "read", "fpm": "2"}, "o:a", []),                # bits beyond the permissions are ignored
], ids=["empty-per", "no-fpm", "garbled", "extra-mask", "missing-mask", "long", "high-bit"])
def test_permission_decoding_edges(org_claim: dict[str, Any], fea: str, expected: list[str]) -> None:
    assert org_permissions_from_claims({"v": 2, "fea": fea, "o": org_claim}) == expected


def test_decode_session_claims_v2_and_v1() -> None:
    claims = {"v": 2, "sub": "user_1", "sid": "sess_1", "sts": "active", "fva": [2, -1], "fea": "o:posts",
              "pla": "o:pro", "o": {"id": "org_1", "slg": "acme", "rol": "admin", "per": "edit,read", "fpm": "3"}}
    auth = decode_session_claims(claims)
    assert auth == SessionClaimsAuth("user_1", "sess_1", "active", None, "org_1", "org:admin", "acme",
                                     ["org:posts:edit", "org:posts:read"], [2, -1], "o:posts", "o:pro")
    # Server side: custom permissions only, so a system permission is never granted by a token.
    assert auth.has(permission="org:posts:edit") and auth.has(role="admin") and auth.has(plan="pro")
    assert not auth.has(permission="org:sys_memberships:manage")
    assert auth.has(reverification="strict")
    no_org = decode_session_claims({"v": 2, "sub": "user_1"})
    assert (no_org.org_id, no_org.org_role, no_org.org_permissions) == (None, None, None)
    assert not no_org.has(role="org:admin")
    v1 = decode_session_claims({"sub": "user_1", "org_id": "org_9", "org_role": "org:member", "org_slug": "s",
                                "org_permissions": ["org:x:y"]})
    assert (v1.org_id, v1.org_role, v1.org_permissions) == ("org_9", "org:member", ["org:x:y"])
    assert v1.has(permission="org:x:y")


# -- the browser-side view: Session.check_authorization and Clerk.has ------------------------------------------

def _token(**claims: Any) -> str:
    return jwt(1_000, 1_060, **claims)


def _membership(role: str, permissions: list[str], org: str = "org_1") -> dict[str, Any]:
    return {"id": f"orgmem_{org}", "role": role, "permissions": permissions,
            "organization": {"id": org, "name": org, "slug": org.replace("_", "-"), "updated_at": 1}}


async def test_session_check_reads_the_membership_token_and_session() -> None:
    rec = Recorder()
    user = user_json(organization_memberships=[_membership("org:admin", ["org:sys_memberships:manage"]),
                                               _membership("org:member", ["org:sys_memberships:read"], "org_2")])
    session = session_json(user=user, last_active_organization_id="org_1", factor_verification_age=[2, -1],
                           last_active_token={"object": "token", "jwt": _token(fea="o:teams", pla="u:free")})
    clerk = await loaded(rec, client_json([session]))
    assert clerk.has(permission="org:sys_memberships:manage")      # system permission, from the membership
    assert clerk.has(role="admin") and not clerk.has(role="org:member")
    assert clerk.has(feature="teams") and clerk.has(plan="u:free") and not clerk.has(plan="o:free")
    assert clerk.has(reverification="strict") and not clerk.has(reverification={"level": "first_factor",
                                                                                  "after_minutes": 1})
    assert clerk.session is not None and clerk.session.check_authorization(role="org:admin", feature="teams")
    assert not clerk.has()
    # Another active organization: its membership's role and permissions answer.
    switched = session_json(user=user, last_active_organization_id="org_2", updated_at=2_000)
    rec.on("POST", "/client/sessions/sess_1/touch", reply(envelope(switched, client_json([switched]))))
    await clerk.set_active(organization="org_2")
    assert clerk.has(role="org:member") and not clerk.has(permission="org:sys_memberships:manage")
    assert not clerk.has(feature="teams")  # no token for org_2 is held yet: no features
    # Personal account: every role or permission check fails.
    personal = session_json(user=user, last_active_organization_id=None, updated_at=3_000)
    rec.on("POST", "/client/sessions/sess_1/touch", reply(envelope(personal, client_json([personal]))))
    await clerk.set_active(organization=None)
    assert not clerk.has(role="org:member")


async def test_has_is_false_signed_out_before_load_and_for_pending_sessions() -> None:
    rec = Recorder()
    pending = session_json(status="pending", tasks=[{"key": "choose-organization"}],
                           user=user_json(organization_memberships=[_membership("org:admin", [])]),
                           last_active_organization_id="org_1")
    clerk = await loaded(rec, client_json([pending], last_active_session_id="sess_1"))
    assert clerk.session is not None and clerk.session.status == "pending"
    assert not clerk.has(role="org:admin")
    assert clerk.has(role="org:admin", treat_pending_as_signed_out=False)
    signed_out = await loaded(Recorder(), client_json([]))
    assert not signed_out.has(role="org:admin")


async def test_the_newest_minted_token_feeds_feature_checks() -> None:
    rec = Recorder()
    session = session_json(user=user_json(), last_active_token={"object": "token", "jwt": _token(fea="u:a")})
    clerk = await loaded(rec, client_json([session]))
    assert clerk.has(feature="a") and not clerk.has(feature="b")
    rec.on("POST", "/client/sessions/sess_1/tokens", reply({"object": "token", "jwt": _token(fea="u:b")}))
    assert clerk.session is not None
    await clerk.session.get_token(skip_cache=True)
    assert clerk.has(feature="b") and not clerk.has(feature="a")


async def test_a_token_naming_another_role_makes_the_client_be_read_again() -> None:
    """The member's role changed elsewhere: the next token says so, the SDK re-reads the client once, and has()
    and listeners follow (once)."""
    rec = Recorder()
    member = _membership("org:member", ["org:sys_memberships:read"])
    session = session_json(user=user_json(organization_memberships=[member]), last_active_organization_id="org_1")
    clerk = await loaded(rec, client_json([session]))
    seen: list[Any] = []
    clerk.add_listener(seen.append, skip_initial=True)
    assert not clerk.has(permission="org:sys_memberships:manage")
    promoted = {**member, "role": "org:admin", "permissions": ["org:sys_memberships:manage"], "updated_at": 5}
    fresh = session_json(user=user_json(organization_memberships=[promoted], updated_at=2_000),
                         last_active_organization_id="org_1", updated_at=2_000)
    rec.on("POST", "/client/sessions/sess_1/tokens",
           reply({"object": "token", "jwt": _token(v=2, o={"id": "org_1", "rol": "admin", "slg": "org-1"})}))
    after = client_json([fresh], updated_at=2_000)
    rec.on("GET", "/client", reply(envelope(after, after)))
    assert clerk.session is not None
    await clerk.session.get_token(skip_cache=True)
    rec.assert_requested("GET", "/client")
    assert clerk.has(permission="org:sys_memberships:manage") and clerk.has(role="org:admin")
    assert len(seen) == 1
    # A token that agrees with the local state costs no extra request.
    count = rec.count
    rec.on("POST", "/client/sessions/sess_1/tokens",
           reply({"object": "token", "jwt": _token(v=2, o={"id": "org_1", "rol": "admin", "slg": "org-1"})}))
    await clerk.session.get_token(skip_cache=True)
    assert rec.count == count + 1


async def test_a_token_without_the_membership_means_it_ended() -> None:
    rec = Recorder()
    session = session_json(user=user_json(organization_memberships=[_membership("org:admin", [])]),
                           last_active_organization_id="org_1")
    clerk = await loaded(rec, client_json([session]))
    assert clerk.organization is not None
    gone = session_json(user=user_json(updated_at=2_000), last_active_organization_id=None, updated_at=2_000)
    rec.on("POST", "/client/sessions/sess_1/tokens", reply({"object": "token", "jwt": _token(v=2)}))
    after = client_json([gone], updated_at=2_000)
    rec.on("GET", "/client", reply(envelope(after, after)))
    assert clerk.session is not None
    await clerk.session.get_token(skip_cache=True)
    assert clerk.organization is None and not clerk.has(role="org:admin")


def test_claims_decoder_reads_a_real_token_layout() -> None:
    payload = {"v": 2, "sub": "user_1", "sid": "sess_1", "fea": "o:posts",
               "o": {"id": "org_1", "rol": "editor", "slg": "acme", "per": "edit", "fpm": "1"}}
    token = "e30." + base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=") + ".sig"
    from clerk_frontend.tokens import decode_jwt_claims

    auth = decode_session_claims(decode_jwt_claims(token))
    assert auth.org_role == "org:editor" and auth.org_permissions == ["org:posts:edit"]
