"""Frontend API (FAPI): form-encoded bodies, ``{response, client}`` envelopes.

The browser's client is found, in this order, from the dev-browser token
(``__clerk_db_jwt`` query parameter), an ``Authorization`` header (native
mode) or the ``__client`` cookie. The current session is ``_clerk_session_id``
when given, else the client's last active session; it must be an active
session of that same client, so no request can reach another user's data.
"""

from __future__ import annotations

import base64
import binascii
import email
import email.policy
import re
import secrets
import time
from typing import TYPE_CHECKING, Any

from . import model
from .crypto import CLOCK_SKEW_S, TOKEN_LIFETIME_S, check_password, hash_password, sign_rs256
from .environment import environment
from .errors import ClerkError
from .http import Ctx, Router
from .metadata import check_size, deep_merge, parse_json_field, require_object
from .store import new_id, now_ms, touch

if TYPE_CHECKING:
    from .server import Emulator

router = Router()
F = "fapi"

# Fields of PATCH /v1/me (2026-05-12 spec).
ME_FIELDS = {"username", "first_name", "last_name", "primary_email_address_id", "primary_phone_number_id",
             "primary_web3_wallet_id"}
METADATA_FIELDS = ("unsafe_metadata", "public_metadata", "private_metadata")


# --- client and session resolution ------------------------------------------------------------
def resolve_client(em: Emulator, ctx: Ctx) -> None:
    store = em.store
    db_jwt = ctx.query.get("__clerk_db_jwt")
    auth = ctx.request.headers.get("Authorization")
    if ctx.path in ("/v1/dev_browser", "/.well-known/jwks.json"):
        return
    if db_jwt:
        ctx.client_mode = "dev_browser"
        ctx.client = store.client_by_token(db_jwt)
        if ctx.client is None:
            raise ClerkError("dev_browser_unauthenticated")
    elif auth:
        ctx.client_mode = "header"
        token = auth.removeprefix("Bearer ").strip()
        ctx.client = store.client_by_token(token)
        if ctx.client is None:
            raise ClerkError("authentication_invalid")
    else:
        ctx.client_mode = "cookie"
        cookie = ctx.request.cookies.get("__client")
        ctx.client = store.client_by_token(cookie) if cookie else None


def ensure_client(em: Emulator, ctx: Ctx) -> dict[str, Any]:
    if ctx.client is None:
        ctx.client = model.new_client(em.store)
        if ctx.client_mode == "cookie":
            ctx.set_cookies.append(("__client", ctx.client["token"]))
    if ctx.client_mode == "header":
        ctx.extra_headers["Authorization"] = ctx.client["token"]
    return ctx.client


def fresh_client(em: Emulator, ctx: Ctx) -> dict[str, Any] | None:
    stored = em.store.get("clients", ctx.client["id"]) if ctx.client is not None else None
    return model.fapi_client(em.store, stored) if stored is not None else None


def envelope(em: Emulator, ctx: Ctx, response: Any) -> dict[str, Any]:
    return {"response": response, "client": fresh_client(em, ctx)}


def current(em: Emulator, ctx: Ctx) -> tuple[dict[str, Any], dict[str, Any]]:
    """The current active session and its user, or 401."""
    if ctx.client is None:
        raise ClerkError("signed_out")
    client = em.store.get("clients", ctx.client["id"]) or ctx.client
    sid = ctx.query.get("_clerk_session_id") or client["last_active_session_id"]
    if not sid:
        raise ClerkError("signed_out")
    sess = em.store.get("sessions", sid)
    if sess is None or sess["client_id"] != client["id"] or not model.is_active(em.store, sess):
        raise ClerkError("signed_out")
    user = em.store.get("users", sess["user_id"])
    if user is None:
        raise ClerkError("signed_out")
    return sess, user


def only_fields(ctx: Ctx, allowed: set[str]) -> None:
    for name in ctx.form:
        if name not in allowed:
            raise ClerkError("form_param_unknown", param=name)


def required(ctx: Ctx, name: str) -> str:
    value = ctx.field(name)
    if value is None or value == "":
        raise ClerkError("form_param_missing", param=name)
    return value


def client_session(em: Emulator, ctx: Ctx) -> dict[str, Any]:
    sess = em.store.get("sessions", ctx.params["session_id"])
    if ctx.client is None or sess is None or sess["client_id"] != ctx.client["id"]:
        raise ClerkError("resource_not_found", "session", fill={"sessionID": ctx.params["session_id"]})
    return sess


# --- instance-wide ----------------------------------------------------------------------------
@router.add(F, "GET", "/.well-known/jwks.json")
def jwks(em: Emulator, ctx: Ctx) -> Any:
    return {"keys": [em.store.jwk]}


@router.add(F, "POST", "/v1/dev_browser")
def dev_browser(em: Emulator, ctx: Ctx) -> Any:
    client = model.new_client(em.store)
    ctx.extra_headers["Clerk-Db-Jwt"] = client["token"]
    return {"object": "dev_browser", "id": client["token"], "client_id": client["id"]}


@router.add(F, "GET", "/v1/environment")
@router.add(F, "PATCH", "/v1/environment")
def get_environment(em: Emulator, ctx: Ctx) -> Any:
    origin = ctx.request.headers.get("Origin") or em.fapi_url
    return environment(em.store.instance_id, origin)


# --- client -----------------------------------------------------------------------------------
@router.add(F, "GET", "/v1/client")
def get_client(em: Emulator, ctx: Ctx) -> Any:
    client = fresh_client(em, ctx)
    return {"response": client, "client": client}


@router.add(F, "PUT", "/v1/client")
@router.add(F, "POST", "/v1/client")
def create_client(em: Emulator, ctx: Ctx) -> Any:
    ensure_client(em, ctx)
    client = fresh_client(em, ctx)
    return {"response": client, "client": client}


def _sign_out_all(em: Emulator, ctx: Ctx) -> Any:
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
def delete_client(em: Emulator, ctx: Ctx) -> Any:
    return _sign_out_all(em, ctx)


@router.add(F, "DELETE", "/v1/client/sessions")
def delete_sessions(em: Emulator, ctx: Ctx) -> Any:
    return _sign_out_all(em, ctx)


# --- sign-in ----------------------------------------------------------------------------------
def _load_sign_in(em: Emulator, ctx: Ctx) -> dict[str, Any]:
    si = em.store.get("sign_ins", ctx.params["id"])
    if ctx.client is None or si is None or si["client_id"] != ctx.client["id"]:
        raise ClerkError("resource_not_found", "sign_in", fill={"signInID": ctx.params["id"]})
    return si


def _complete_sign_in(em: Emulator, ctx: Ctx, si: dict[str, Any], user: dict[str, Any], strategy: str) -> None:
    client = em.store.get("clients", ctx.client["id"]) if ctx.client else None
    assert client is not None
    sess = model.create_session(em.store, client, user, strategy)
    si["status"] = "complete"
    si["created_session_id"] = sess["id"]
    em.store.put_doc("sign_ins", si)


def _attach_attempt(em: Emulator, kind: str, doc: dict[str, Any]) -> None:
    """Store a sign-in or sign-up attempt and make it its client's current one."""
    em.store.put_doc(f"{kind}s", doc)
    client = em.store.get("clients", doc["client_id"])
    assert client is not None
    client[f"{kind}_id"] = doc["id"]
    touch(client)
    em.store.put_client(client)


def _save_sign_in_on_client(em: Emulator, ctx: Ctx, si: dict[str, Any]) -> None:
    _attach_attempt(em, "sign_in", si)


@router.add(F, "POST", "/v1/client/sign_ins")
def create_sign_in(em: Emulator, ctx: Ctx) -> Any:
    client = ensure_client(em, ctx)
    identifier = required(ctx, "identifier") if ctx.field("strategy") != "ticket" else ctx.field("identifier")
    user_id = em.store.identifier_owner(identifier or "")
    if user_id is None:
        raise ClerkError("form_identifier_not_found", param="identifier")
    user = model.load_user(em.store, user_id)
    ts = now_ms()
    si: dict[str, Any] = {
        "id": new_id("sia"), "client_id": client["id"], "status": "needs_first_factor",
        "identifier": identifier, "user_id": user_id, "created_session_id": None,
        "first_factor_verification": None, "abandon_at": ts + 24 * 3600 * 1000,
    }
    _save_sign_in_on_client(em, ctx, si)
    password = ctx.field("password")
    strategy = ctx.field("strategy")
    if password is not None and strategy in (None, "", "password"):
        _attempt_password(em, ctx, si, user, password)
    elif strategy == "email_code":
        _prepare_email_code(si, user, ctx.field("email_address_id"))
        _save_sign_in_on_client(em, ctx, si)
    return envelope(em, ctx, model.fapi_sign_in(em.store, si))


def _attempt_password(em: Emulator, ctx: Ctx, si: dict[str, Any], user: dict[str, Any], password: str) -> None:
    if not check_password(password, user["password_hash"]):
        si["first_factor_verification"] = {"object": "verification_password", "status": "unverified",
                                           "strategy": "password", "attempts": 1, "expire_at": None}
        em.store.put_doc("sign_ins", si)
        raise ClerkError("form_password_incorrect", param="password")
    si["first_factor_verification"] = {"object": "verification_password", "status": "verified",
                                       "strategy": "password", "attempts": 1, "expire_at": None}
    _complete_sign_in(em, ctx, si, user, "password")


def _prepare_email_code(si: dict[str, Any], user: dict[str, Any], email_id: str | None) -> None:
    ids = [e["id"] for e in user["email_addresses"]]
    if email_id is not None and email_id not in ids:
        raise ClerkError("form_param_value_invalid", param="email_address_id")
    si["first_factor_verification"] = model.verification("unverified", "email_code", attempts=0)


@router.add(F, "GET", "/v1/client/sign_ins/{id}")
def get_sign_in(em: Emulator, ctx: Ctx) -> Any:
    return envelope(em, ctx, model.fapi_sign_in(em.store, _load_sign_in(em, ctx)))


@router.add(F, "POST", "/v1/client/sign_ins/{id}/prepare_first_factor")
def prepare_first_factor(em: Emulator, ctx: Ctx) -> Any:
    si = _load_sign_in(em, ctx)
    strategy = required(ctx, "strategy")
    user = model.load_user(em.store, si["user_id"])
    if strategy == "email_code":
        _prepare_email_code(si, user, ctx.field("email_address_id"))
    elif strategy != "password":
        raise ClerkError("form_param_value_invalid", param="strategy")
    _save_sign_in_on_client(em, ctx, si)
    return envelope(em, ctx, model.fapi_sign_in(em.store, si))


@router.add(F, "POST", "/v1/client/sign_ins/{id}/attempt_first_factor")
def attempt_first_factor(em: Emulator, ctx: Ctx) -> Any:
    si = _load_sign_in(em, ctx)
    if si["status"] == "complete":
        raise ClerkError("session_exists")
    strategy = required(ctx, "strategy")
    user = model.load_user(em.store, si["user_id"])
    if strategy == "password":
        _attempt_password(em, ctx, si, user, required(ctx, "password"))
    elif strategy == "email_code":
        ver = si.get("first_factor_verification")
        if not ver or ver.get("strategy") != "email_code":
            raise ClerkError("form_param_value_invalid", param="strategy",
                             long_suffix=". Prepare the email_code factor first.")
        code = required(ctx, "code")
        ver["attempts"] = (ver.get("attempts") or 0) + 1
        if code != model.TEST_CODE:
            em.store.put_doc("sign_ins", si)
            raise ClerkError("form_code_incorrect", param="code")
        ver["status"] = "verified"
        _complete_sign_in(em, ctx, si, user, "email_code")
    else:
        raise ClerkError("form_param_value_invalid", param="strategy")
    return envelope(em, ctx, model.fapi_sign_in(em.store, si))


# --- sign-up ----------------------------------------------------------------------------------
SIGN_UP_PROFILE = ("email_address", "password", "first_name", "last_name", "username", "unsafe_metadata")


def _apply_sign_up_fields(em: Emulator, ctx: Ctx, su: dict[str, Any]) -> None:
    email = ctx.field("email_address")
    if email is not None:
        if not model.EMAIL_RE.match(email):
            raise ClerkError("form_param_format_invalid", "email", param="email_address",
                             fill={"parameter": "email_address"})
        if em.store.identifier_owner(email) is not None:
            raise ClerkError("form_identifier_exists", param="email_address", fill={"param": "email address"})
        su["email_address"] = email
        su["email_verification"] = None
    password = ctx.field("password")
    if password is not None:
        if len(password) < model.MIN_PASSWORD:
            raise ClerkError("form_password_length_too_short", param="password")
        su["password_hash"] = hash_password(password)
    for name in ("first_name", "last_name"):
        if ctx.has(name):
            su[name] = ctx.field(name) or None
    username = ctx.field("username")
    if username:
        if em.store.identifier_owner(username) is not None:
            raise ClerkError("form_identifier_exists", param="username", fill={"param": "username"})
        su["username"] = username
    raw = ctx.field("unsafe_metadata")
    if raw is not None:
        value = parse_json_field("unsafe_metadata", raw)
        require_object("unsafe_metadata", value)
        check_size("unsafe_metadata", value)
        su["unsafe_metadata"] = value
    for name in ("public_metadata", "private_metadata"):
        if ctx.has(name):
            raise ClerkError("form_param_unknown", param=name)
    su["missing_fields"] = [f for f in ("email_address", "password")
                            if not su.get(f if f != "password" else "password_hash")]
    verified = (su.get("email_verification") or {}).get("status") == "verified"
    su["unverified_fields"] = ["email_address"] if su.get("email_address") and not verified else []


def _load_sign_up(em: Emulator, ctx: Ctx) -> dict[str, Any]:
    su = em.store.get("sign_ups", ctx.params["id"])
    if ctx.client is None or su is None or su["client_id"] != ctx.client["id"]:
        raise ClerkError("resource_not_found", "sign_up", fill={"id": ctx.params["id"]})
    return su


def _save_sign_up(em: Emulator, su: dict[str, Any]) -> None:
    _attach_attempt(em, "sign_up", su)


@router.add(F, "POST", "/v1/client/sign_ups")
def create_sign_up(em: Emulator, ctx: Ctx) -> Any:
    client = ensure_client(em, ctx)
    su: dict[str, Any] = {
        "id": new_id("sua"), "client_id": client["id"], "status": "missing_requirements",
        "email_address": None, "email_verification": None, "password_hash": None, "first_name": None,
        "last_name": None, "username": None, "unsafe_metadata": {}, "created_session_id": None,
        "created_user_id": None, "abandon_at": now_ms() + 24 * 3600 * 1000,
    }
    _apply_sign_up_fields(em, ctx, su)
    if ctx.field("strategy") == "email_code" and su["email_address"]:
        su["email_verification"] = model.verification("unverified", "email_code", attempts=0)
    _save_sign_up(em, su)
    return envelope(em, ctx, model.fapi_sign_up(su))


@router.add(F, "GET", "/v1/client/sign_ups/{id}")
def get_sign_up(em: Emulator, ctx: Ctx) -> Any:
    return envelope(em, ctx, model.fapi_sign_up(_load_sign_up(em, ctx)))


@router.add(F, "PATCH", "/v1/client/sign_ups/{id}")
def update_sign_up(em: Emulator, ctx: Ctx) -> Any:
    su = _load_sign_up(em, ctx)
    _apply_sign_up_fields(em, ctx, su)
    _save_sign_up(em, su)
    return envelope(em, ctx, model.fapi_sign_up(su))


@router.add(F, "POST", "/v1/client/sign_ups/{id}/prepare_verification")
def prepare_sign_up(em: Emulator, ctx: Ctx) -> Any:
    su = _load_sign_up(em, ctx)
    if required(ctx, "strategy") != "email_code":
        raise ClerkError("form_param_value_invalid", param="strategy")
    if not su["email_address"]:
        raise ClerkError("form_param_missing", param="email_address")
    su["email_verification"] = model.verification("unverified", "email_code", attempts=0)
    _save_sign_up(em, su)
    return envelope(em, ctx, model.fapi_sign_up(su))


@router.add(F, "POST", "/v1/client/sign_ups/{id}/attempt_verification")
def attempt_sign_up(em: Emulator, ctx: Ctx) -> Any:
    su = _load_sign_up(em, ctx)
    if su["status"] == "complete":
        raise ClerkError("session_exists")
    ver = su.get("email_verification")
    if ver is None:
        raise ClerkError("form_param_value_invalid", param="strategy",
                         long_suffix=". Prepare the email_code verification first.")
    code = required(ctx, "code")
    ver["attempts"] = (ver.get("attempts") or 0) + 1
    if code != model.TEST_CODE:
        _save_sign_up(em, su)
        raise ClerkError("form_code_incorrect", param="code")
    ver["status"] = "verified"
    su["unverified_fields"] = []
    if su["missing_fields"]:
        _save_sign_up(em, su)
        return envelope(em, ctx, model.fapi_sign_up(su))
    user = model.new_user(
        em.store, emails=[], username=su["username"], first_name=su["first_name"], last_name=su["last_name"],
        unsafe_metadata=su["unsafe_metadata"],
    )
    user["password_hash"] = su["password_hash"]
    user["password_last_updated_at"] = now_ms()
    model.add_email(em.store, user, su["email_address"], verified=True, strategy="email_code")
    model.save_user(em.store, user)
    client = em.store.get("clients", su["client_id"])
    assert client is not None
    sess = model.create_session(em.store, client, user, "email_code")
    su.update(status="complete", created_user_id=user["id"], created_session_id=sess["id"])
    _save_sign_up(em, su)
    return envelope(em, ctx, model.fapi_sign_up(su))


# --- sessions ---------------------------------------------------------------------------------
@router.add(F, "GET", "/v1/client/sessions/{session_id}")
def get_session(em: Emulator, ctx: Ctx) -> Any:
    return envelope(em, ctx, model.fapi_session(em.store, client_session(em, ctx)))


@router.add(F, "POST", "/v1/client/sessions/{session_id}/touch")
def touch_session(em: Emulator, ctx: Ctx) -> Any:
    sess = client_session(em, ctx)
    if not model.is_active(em.store, sess):
        raise ClerkError("signed_out")
    if ctx.has("active_organization_id"):
        org_ref = ctx.field("active_organization_id") or ""
        if org_ref:
            org = model.load_org(em.store, org_ref)
            if not em.store.where("memberships", "org_id=? AND user_id=?", (org["id"], sess["user_id"])):
                raise ClerkError("resource_not_found", "organization")
            sess["last_active_organization_id"] = org["id"]
        else:
            sess["last_active_organization_id"] = None
    sess["last_active_at"] = now_ms()
    touch(sess)
    em.store.put_session(sess)
    client = em.store.get("clients", sess["client_id"])
    assert client is not None
    client["last_active_session_id"] = sess["id"]
    em.store.put_client(client)
    return envelope(em, ctx, model.fapi_session(em.store, sess))


@router.add(F, "POST", "/v1/client/sessions/{session_id}/end")
def end_session(em: Emulator, ctx: Ctx) -> Any:
    sess = client_session(em, ctx)
    model.end_session(em.store, sess, "ended")
    return envelope(em, ctx, model.fapi_session(em.store, sess))


@router.add(F, "POST", "/v1/client/sessions/{session_id}/remove")
def remove_session(em: Emulator, ctx: Ctx) -> Any:
    sess = client_session(em, ctx)
    model.end_session(em.store, sess, "removed")
    return envelope(em, ctx, model.fapi_session(em.store, sess))


def mint_token(em: Emulator, sess: dict[str, Any], origin: str | None, org_field: str | None) -> str:
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


@router.add(F, "POST", "/v1/client/sessions/{session_id}/tokens")
@router.add(F, "POST", "/v1/client/sessions/{session_id}/tokens/{template}")
def session_token(em: Emulator, ctx: Ctx) -> Any:
    sess = client_session(em, ctx)
    if not model.is_active(em.store, sess):
        raise ClerkError("signed_out")
    if "template" in ctx.params:
        raise ClerkError("resource_not_found", long_suffix=f" No JWT template named {ctx.params['template']!r}.")
    jwt = mint_token(em, sess, ctx.request.headers.get("Origin"),
                     ctx.field("organization_id") if ctx.has("organization_id") else None)
    return {"object": "token", "jwt": jwt}


# --- /v1/me -----------------------------------------------------------------------------------
def me_envelope(em: Emulator, ctx: Ctx, user: dict[str, Any]) -> dict[str, Any]:
    return envelope(em, ctx, model.fapi_user(em.store, user))


@router.add(F, "GET", "/v1/me")
def get_me(em: Emulator, ctx: Ctx) -> Any:
    _sess, user = current(em, ctx)
    return me_envelope(em, ctx, user)


def refuse_removed_field(em: Emulator, name: str, replacement: str) -> ClerkError:
    code = em.config.removed_field_code
    suffix = (f" Since Clerk API version 2026-05-12, metadata is no longer accepted here; use "
              f"{replacement} instead.")
    return ClerkError(code, param=name, long_suffix=suffix)


@router.add(F, "PATCH", "/v1/me")
def patch_me(em: Emulator, ctx: Ctx) -> Any:
    _sess, user = current(em, ctx)
    for name in ctx.form:
        if name in METADATA_FIELDS:
            if ctx.metadata_removed:
                raise refuse_removed_field(em, name, "PATCH /v1/me/metadata")
            if name != "unsafe_metadata":
                raise ClerkError("form_param_unknown", param=name)
        elif name not in ME_FIELDS:
            raise ClerkError("form_param_unknown", param=name)
    if ctx.has("unsafe_metadata"):  # versions before 2026-05-12: full replace
        value = parse_json_field("unsafe_metadata", ctx.field("unsafe_metadata") or "")
        require_object("unsafe_metadata", value)
        check_size("unsafe_metadata", value)
        user["unsafe_metadata"] = value
    for name in ("first_name", "last_name"):
        if ctx.has(name):
            user[name] = ctx.field(name) or None
    if ctx.has("username"):
        new = ctx.field("username") or None
        if new != user["username"]:
            if user["username"]:
                em.store.drop_identifier(user["username"])
            if new:
                model.claim_identifier(em.store, new, user["id"], "username", "username")
            user["username"] = new
    if ctx.has("primary_email_address_id"):
        ref = ctx.field("primary_email_address_id")
        item = next((e for e in user["email_addresses"] if e["id"] == ref), None)
        if item is None or (item["verification"] or {}).get("status") != "verified":
            raise ClerkError("form_param_value_invalid", param="primary_email_address_id")
        user["primary_email_address_id"] = ref
    if ctx.has("primary_phone_number_id"):
        ref = ctx.field("primary_phone_number_id")
        item = next((p for p in user["phone_numbers"] if p["id"] == ref), None)
        if item is None or (item["verification"] or {}).get("status") != "verified":
            raise ClerkError("form_param_value_invalid", param="primary_phone_number_id")
        user["primary_phone_number_id"] = ref
    if ctx.field("primary_web3_wallet_id"):
        raise ClerkError("form_param_value_invalid", param="primary_web3_wallet_id")
    model.save_user(em.store, user)
    return me_envelope(em, ctx, user)


@router.add(F, "DELETE", "/v1/me")
def delete_me(em: Emulator, ctx: Ctx) -> Any:
    _sess, user = current(em, ctx)
    for sess in em.store.where("sessions", "user_id=?", (user["id"],)):
        if sess["status"] == "active":
            model.end_session(em.store, sess, "removed")
    em.store.drop_user(user["id"])
    return envelope(em, ctx, {"object": "user", "id": user["id"], "deleted": True})


@router.add(F, "PATCH", "/v1/me/metadata")
def patch_me_metadata(em: Emulator, ctx: Ctx) -> Any:
    _sess, user = current(em, ctx)
    for name in ctx.form:
        if name != "unsafe_metadata":
            raise ClerkError("form_param_unknown", param=name)
    raw = ctx.field("unsafe_metadata")
    if raw is None:
        raise ClerkError("form_param_missing", param="unsafe_metadata")
    patch = parse_json_field("unsafe_metadata", raw)
    require_object("unsafe_metadata", patch)
    merged = deep_merge(user["unsafe_metadata"], patch)
    check_size("unsafe_metadata", merged)
    user["unsafe_metadata"] = merged
    model.save_user(em.store, user)
    return me_envelope(em, ctx, user)


# email addresses and phone numbers
def _identification(user: dict[str, Any], kind: str, ident_id: str) -> dict[str, Any]:
    for item in user[kind]:
        if item["id"] == ident_id:
            found: dict[str, Any] = item
            return found
    raise ClerkError("resource_not_found", "identifier", fill={"identifierID": ident_id})


def _ident_json(kind: str, item: dict[str, Any]) -> dict[str, Any]:
    return model.email_json(item) if kind == "email_addresses" else model.phone_json(item)


def _register_identification_routes(kind: str, field: str, strategy: str, primary_key: str) -> None:
    base = f"/v1/me/{kind}"

    @router.add(F, "GET", base)
    def list_items(em: Emulator, ctx: Ctx) -> Any:
        _s, user = current(em, ctx)
        return [_ident_json(kind, i) for i in user[kind]]

    @router.add(F, "POST", base)
    def create_item(em: Emulator, ctx: Ctx) -> Any:
        _s, user = current(em, ctx)
        only_fields(ctx, {field})
        value = required(ctx, field)
        if kind == "email_addresses":
            item = model.add_email(em.store, user, value, verified=False, strategy=strategy)
        else:
            item = model.add_phone(em.store, user, value, verified=False)
        model.save_user(em.store, user)
        return envelope(em, ctx, _ident_json(kind, item))

    @router.add(F, "GET", base + "/{ident_id}")
    def get_item(em: Emulator, ctx: Ctx) -> Any:
        _s, user = current(em, ctx)
        return envelope(em, ctx, _ident_json(kind, _identification(user, kind, ctx.params["ident_id"])))

    @router.add(F, "DELETE", base + "/{ident_id}")
    def delete_item(em: Emulator, ctx: Ctx) -> Any:
        _s, user = current(em, ctx)
        item = _identification(user, kind, ctx.params["ident_id"])
        user[kind].remove(item)
        em.store.drop_identifier(item[field])
        if user[primary_key] == item["id"]:
            verified = [i for i in user[kind] if (i["verification"] or {}).get("status") == "verified"]
            user[primary_key] = verified[0]["id"] if verified else None
        model.save_user(em.store, user)
        return envelope(em, ctx, {"object": field, "id": item["id"], "deleted": True})

    @router.add(F, "POST", base + "/{ident_id}/prepare_verification")
    def prepare_item(em: Emulator, ctx: Ctx) -> Any:
        _s, user = current(em, ctx)
        item = _identification(user, kind, ctx.params["ident_id"])
        if (ctx.field("strategy") or strategy) != strategy:
            raise ClerkError("form_param_value_invalid", param="strategy")
        item["verification"] = model.verification("unverified", strategy, attempts=0)
        model.save_user(em.store, user)
        return envelope(em, ctx, _ident_json(kind, item))

    @router.add(F, "POST", base + "/{ident_id}/attempt_verification")
    def attempt_item(em: Emulator, ctx: Ctx) -> Any:
        _s, user = current(em, ctx)
        item = _identification(user, kind, ctx.params["ident_id"])
        if item["verification"] is None:
            raise ClerkError("form_param_value_invalid", param="strategy",
                             long_suffix=". Prepare the verification first.")
        code = required(ctx, "code")
        item["verification"]["attempts"] = (item["verification"].get("attempts") or 0) + 1
        if code != model.TEST_CODE:
            model.save_user(em.store, user)
            raise ClerkError("form_code_incorrect", param="code")
        item["verification"]["status"] = "verified"
        if user[primary_key] is None:
            user[primary_key] = item["id"]
        model.save_user(em.store, user)
        return envelope(em, ctx, _ident_json(kind, item))


_register_identification_routes("email_addresses", "email_address", "email_code", "primary_email_address_id")
_register_identification_routes("phone_numbers", "phone_number", "phone_code", "primary_phone_number_id")


@router.add(F, "POST", "/v1/me/change_password")
def change_password(em: Emulator, ctx: Ctx) -> Any:
    sess, user = current(em, ctx)
    only_fields(ctx, {"new_password", "current_password", "sign_out_of_other_sessions"})
    new = required(ctx, "new_password")
    if user["password_hash"] and not check_password(ctx.field("current_password") or "", user["password_hash"]):
        raise ClerkError("form_password_incorrect", param="current_password")
    if len(new) < model.MIN_PASSWORD:
        raise ClerkError("form_password_length_too_short", param="new_password")
    user["password_hash"] = hash_password(new)
    user["password_last_updated_at"] = now_ms()
    model.save_user(em.store, user)
    if ctx.field("sign_out_of_other_sessions") == "true":
        for other in em.store.where("sessions", "user_id=?", (user["id"],)):
            if other["id"] != sess["id"] and other["status"] == "active":
                model.end_session(em.store, other, "revoked")
    return me_envelope(em, ctx, user)


@router.add(F, "POST", "/v1/me/remove_password")
def remove_password(em: Emulator, ctx: Ctx) -> Any:
    _sess, user = current(em, ctx)
    only_fields(ctx, {"current_password"})
    if user["password_hash"] and not check_password(ctx.field("current_password") or "", user["password_hash"]):
        raise ClerkError("form_password_incorrect", param="current_password")
    user["password_hash"] = None
    user["password_last_updated_at"] = None
    model.save_user(em.store, user)
    return me_envelope(em, ctx, user)


@router.add(F, "GET", "/v1/me/sessions/active")
def active_sessions(em: Emulator, ctx: Ctx) -> Any:
    _sess, user = current(em, ctx)
    sessions = em.store.where("sessions", "user_id=? ORDER BY created_at, id", (user["id"],))
    return [model.fapi_active_session(s) for s in sessions if s["status"] == "active"]


def _paginate(ctx: Ctx, items: list[Any]) -> tuple[list[Any], int]:
    try:
        limit = int(ctx.query.get("limit", "10"))
        offset = int(ctx.query.get("offset", "0"))
    except ValueError:
        raise ClerkError("form_param_format_invalid", param="limit") from None
    return items[offset: offset + limit], len(items)


@router.add(F, "GET", "/v1/me/organization_memberships")
def my_memberships(em: Emulator, ctx: Ctx) -> Any:
    _sess, user = current(em, ctx)
    mems = [model.fapi_membership(em.store, m) for m in model.memberships_of_user(em.store, user["id"])]
    page, total = _paginate(ctx, mems)
    if ctx.query.get("paginated") == "true":
        return envelope(em, ctx, {"data": page, "total_count": total})
    return envelope(em, ctx, page)


@router.add(F, "DELETE", "/v1/me/organization_memberships/{org_id}")
def leave_org(em: Emulator, ctx: Ctx) -> Any:
    _sess, user = current(em, ctx)
    org = model.load_org(em.store, ctx.params["org_id"])
    mems = em.store.where("memberships", "org_id=? AND user_id=?", (org["id"], user["id"]))
    if not mems:
        raise ClerkError("resource_not_found", "organization")
    em.store.delete("memberships", mems[0]["id"])
    return envelope(em, ctx, {"object": "organization_membership", "id": mems[0]["id"], "deleted": True})


def _my_org(em: Emulator, ctx: Ctx, user: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    try:
        org = model.load_org(em.store, ctx.params["org_id"])
    except ClerkError:
        raise ClerkError("resource_not_found", "organization") from None
    mems = em.store.where("memberships", "org_id=? AND user_id=?", (org["id"], user["id"]))
    if not mems:  # not a member: indistinguishable from a missing organization
        raise ClerkError("resource_not_found", "organization")
    return org, mems[0]


@router.add(F, "GET", "/v1/organizations/{org_id}")
def get_org(em: Emulator, ctx: Ctx) -> Any:
    _sess, user = current(em, ctx)
    org, _mem = _my_org(em, ctx, user)
    return envelope(em, ctx, model.fapi_org(em.store, org))


@router.add(F, "PATCH", "/v1/organizations/{org_id}")
def patch_org(em: Emulator, ctx: Ctx) -> Any:
    _sess, user = current(em, ctx)
    org, mem = _my_org(em, ctx, user)
    for name in ctx.form:
        if name not in ("name", "slug"):
            raise ClerkError("form_param_unknown", param=name)
    if mem["role"] != "org:admin":
        raise ClerkError("authorization_invalid")
    if ctx.has("name"):
        name = (ctx.field("name") or "").strip()
        if not name:
            raise ClerkError("form_param_value_invalid", param="name")
        org["name"] = name
    if ctx.has("slug"):
        slug = ctx.field("slug") or ""
        set_slug(em, org, slug)
    touch(org)
    em.store.put_org(org)
    return envelope(em, ctx, model.fapi_org(em.store, org))


def set_slug(em: Emulator, org: dict[str, Any], slug: str) -> None:
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", slug):
        raise ClerkError("form_param_format_invalid", param="slug",
                         long_suffix=" Use lowercase letters, digits, '-' and '_'.")
    owner = em.store.where("organizations", "slug=?", (slug,))
    if owner and owner[0]["id"] != org["id"]:
        raise ClerkError("form_identifier_exists", param="slug", fill={"param": "slug"})
    org["slug"] = slug


@router.add(F, "GET", "/v1/organizations/{org_id}/memberships")
def org_memberships(em: Emulator, ctx: Ctx) -> Any:
    _sess, user = current(em, ctx)
    org, _mem = _my_org(em, ctx, user)
    mems = [model.fapi_membership(em.store, m) for m in model.memberships_of_org(em.store, org["id"])]
    page, total = _paginate(ctx, mems)
    return envelope(em, ctx, {"data": page, "total_count": total})


# --- profile image ----------------------------------------------------------------------------
IMAGE_TYPES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg", b"GIF87a": "image/gif",
               b"GIF89a": "image/gif"}


def _sniff_image(data: bytes) -> str | None:
    for magic, ctype in IMAGE_TYPES.items():
        if data.startswith(magic):
            return ctype
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def _upload(ctx: Ctx) -> tuple[str, bytes]:
    """(file name, bytes) from a multipart ``file`` field or an octet-stream body (raw or base64)."""
    ctype = ctx.content_type.split(";")[0].strip().lower()
    if ctype == "multipart/form-data":
        message = email.message_from_bytes(
            b"Content-Type: " + ctx.content_type.encode() + b"\r\n\r\n" + ctx.raw, policy=email.policy.HTTP)
        for part in message.iter_parts():
            if part.get_param("name", header="content-disposition") == "file":
                payload = part.get_payload(decode=True)
                name = part.get_filename() or "profile"
                return name, payload if isinstance(payload, bytes) else b""
        return "", b""
    if ctype == "application/octet-stream":
        data = ctx.raw
        text = data.strip()
        if text.startswith(b"data:") and b"," in text:
            text = text.split(b",", 1)[1]
        try:
            decoded = base64.b64decode(text, validate=True)
        except (ValueError, binascii.Error):
            decoded = b""
        return "profile", decoded if decoded and _sniff_image(decoded) else data
    return "", b""


@router.add(F, "POST", "/v1/me/profile_image")
def set_profile_image(em: Emulator, ctx: Ctx) -> Any:
    _sess, user = current(em, ctx)
    name, data = _upload(ctx)
    if not data:
        raise ClerkError("form_param_missing", "image")
    kind = _sniff_image(data)
    if kind is None:
        raise ClerkError("request_body_invalid", "image_type", fill={"imageType": "unknown"})
    em.store.drop_images(user["id"])
    image_id = new_id("img")
    em.store.put_image(image_id, user["id"], name, kind, data)
    user["image_id"] = image_id
    model.save_user(em.store, user)
    url, _has = model.user_image(user)
    return envelope(em, ctx, {"object": "image", "id": image_id, "name": name, "public_url": url})


@router.add(F, "DELETE", "/v1/me/profile_image")
def delete_profile_image(em: Emulator, ctx: Ctx) -> Any:
    _sess, user = current(em, ctx)
    image_id = user.get("image_id")
    if not image_id:
        raise ClerkError("resource_not_found", long_suffix=" The user has no profile image.")
    em.store.drop_images(user["id"])
    user["image_id"] = None
    model.save_user(em.store, user)
    return envelope(em, ctx, {"object": "image", "id": image_id, "deleted": True})
