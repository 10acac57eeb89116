"""Sign-up attempts: ``/v1/client/sign_ups`` — email code or link, phone code (SMS), OAuth and enterprise SSO by
redirect, invitation tickets, and the transfer of a sign-in whose OAuth account has no user yet.

A sign-up completes (user and session created) as soon as nothing is missing or unverified, whichever request
brings that about. A request that completes it answers the completed attempt and a client whose ``sign_up``
is null; a completion out of band (OAuth callback, email link) leaves the attempt on the client for the app to
find, as Clerk does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import activity, attempts, messages, model, oauth, passwords, testing
from ..attempts import fapi_sign_up
from ..crypto import hash_password
from ..errors import ClerkError
from ..http import Ctx
from ..metadata import check_size, parse_json_field, require_object
from ..redirects import check_redirect_url
from ..store import now_ms
from .common import F, attach_attempt, detach_attempt, ensure_client, envelope, required, router

if TYPE_CHECKING:
    from ..context import Instance

CREATE_FIELDS = {"email_address", "password", "first_name", "last_name", "username", "unsafe_metadata", "strategy",
                 "redirect_url", "action_complete_redirect_url", "ticket", "transfer", "legal_accepted", "locale",
                 "captcha_token", "captcha_widget_type", "captcha_error", "oidc_prompt", "oidc_login_hint",
                 "enterprise_connection_id", "identifier", "phone_number", "web3_wallet", "code", "token",
                 "email_address_or_phone_number", "external_account_strategy", "timezone"}


def _apply_fields(em: Instance, ctx: Ctx, su: dict[str, Any]) -> None:
    for name in ("public_metadata", "private_metadata"):
        if ctx.has(name):
            raise ClerkError("form_param_unknown", param=name)
    for name in ctx.form:
        if name not in CREATE_FIELDS:
            raise ClerkError("form_param_unknown", param=name)
    email = ctx.field("email_address")
    if email is not None and email != su.get("email_address"):
        if not model.EMAIL_RE.match(email):
            raise ClerkError("form_param_format_invalid", "email", param="email_address",
                             fill={"parameter": "email_address"})
        if em.store.identifier_owner(email) is not None:
            raise ClerkError("form_identifier_exists", param="email_address", fill={"param": "email address"})
        su["email_address"] = email
        su["email_verification"] = None
    phone = ctx.field("phone_number")
    if phone is not None and phone != su.get("phone_number"):
        if not model.PHONE_RE.match(phone):
            raise ClerkError("form_param_format_invalid", "phone", param="phone_number",
                             fill={"parameter": "phone_number"})
        if em.store.identifier_owner(phone) is not None:
            raise ClerkError("form_identifier_exists", param="phone_number", fill={"param": "phone number"})
        su["phone_number"] = phone
        su["phone_verification"] = None
    password = ctx.field("password")
    if password is not None:
        passwords.check(em, password)
        su["password_hash"] = hash_password(password)
    for name in ("first_name", "last_name"):
        if ctx.has(name):
            su[name] = ctx.field(name) or None
    username = ctx.field("username")
    if username:
        model.check_username(username)
        if em.store.identifier_owner(username) is not None:
            raise ClerkError("form_identifier_exists", param="username", fill={"param": "username"})
        su["username"] = username
    raw = ctx.field("unsafe_metadata")
    if raw is not None:
        value = parse_json_field("unsafe_metadata", raw)
        require_object("unsafe_metadata", value)
        check_size("unsafe_metadata", value)
        su["unsafe_metadata"] = value
    if ctx.field("legal_accepted") == "true":
        su["legal_accepted_at"] = now_ms()
    if ctx.field("locale"):
        su["locale"] = ctx.field("locale")


def _by_redirect(su: dict[str, Any]) -> bool:
    ext = su.get("external_verification")
    return ext is not None and ext["status"] == "verified"


def requirements(em: Instance, su: dict[str, Any]) -> None:
    """Recompute ``missing_fields`` and ``unverified_fields`` from the settings and what the attempt holds.

    A sign-up by OAuth or enterprise SSO needs no password, as on Clerk.
    """
    required_fields, _ = attempts.sign_up_fields(em)
    missing = []
    for name in required_fields:
        if name == "password":
            present = bool(su.get("password_hash")) or _by_redirect(su)
        elif name == "legal_accepted":
            present = su.get("legal_accepted_at") is not None
        else:
            present = bool(su.get(name))
        if not present:
            missing.append(name)
    su["missing_fields"] = missing
    unverified = []
    for name, key, default in (("email_address", "email_verification", True),
                               ("phone_number", "phone_verification", False)):
        verified = (su.get(key) or {}).get("status") == "verified"
        needs_check = em.settings.attribute(name).get("verify_at_sign_up", default)
        if su.get(name) and not verified and needs_check:
            unverified.append(name)
    su["unverified_fields"] = unverified


def finalize(em: Instance, su: dict[str, Any], *, in_band: bool) -> None:
    """Create the user and its session once nothing is missing; save the attempt either way."""
    requirements(em, su)
    if su["status"] != "missing_requirements" or su["missing_fields"] or su["unverified_fields"]:
        attach_attempt(em, "sign_up", su)
        return
    store = em.store
    user = model.new_user(store, emails=[], username=su.get("username"), first_name=su.get("first_name"),
                          last_name=su.get("last_name"), unsafe_metadata=su.get("unsafe_metadata"),
                          public_metadata=su.get("public_metadata"))
    if su.get("password_hash"):
        user["password_hash"] = su["password_hash"]
        user["password_last_updated_at"] = now_ms()
    user["legal_accepted_at"] = su.get("legal_accepted_at")
    user["locale"] = su.get("locale")
    identity = su.get("_identity")
    email_ver = su.get("email_verification") or {}
    phone_ver = su.get("phone_verification") or {}
    strategy = (email_ver.get("strategy") or (identity or {}).get("strategy") or phone_ver.get("strategy")
                or "password")
    if su.get("email_address") and (identity is None or su["email_address"].lower() != identity["email"].lower()):
        model.add_email(store, user, su["email_address"], verified=True, strategy=email_ver.get("strategy", "admin"))
    if su.get("phone_number"):
        item = model.add_phone(store, user, su["phone_number"], verified=True)
        if phone_ver.get("status") == "verified":  # proven by an SMS code, not by an admin
            item["verification"] = model.verification("verified", "phone_code", attempts=phone_ver.get("attempts"))
    if identity is not None:
        oauth.link(em, user, identity)
        strategy = identity["strategy"]
    model.save_user(store, user)
    if su.get("_invitation_id"):
        from .. import tickets

        tickets.accept_sign_up_invitation(em, su["_invitation_id"], user["id"])  # instance or organization
    client = store.get("clients", su["client_id"])
    assert client is not None
    sess = model.create_session(store, client, user, strategy)
    su.update(status="complete", created_user_id=user["id"], created_session_id=sess["id"])
    attach_attempt(em, "sign_up", su)
    if in_band:
        detach_attempt(em, "sign_up", su)


def _load(em: Instance, ctx: Ctx) -> dict[str, Any]:
    su = em.store.get("sign_ups", ctx.params["id"])
    if ctx.client is None or su is None or su["client_id"] != ctx.client["id"]:
        raise ClerkError("resource_not_found", "sign_up", fill={"id": ctx.params["id"]})
    return su


def _refuse_if_restricted(em: Instance, ctx: Ctx) -> None:
    mode = em.settings.current["sign_up"]["mode"]
    if mode != "public" and ctx.field("strategy") != "ticket":
        raise ClerkError("sign_up_mode_restricted")


def _start_redirect(em: Instance, ctx: Ctx, su: dict[str, Any], strategy: str) -> None:
    email = ctx.field("email_address") or ctx.field("identifier") or su.get("email_address")
    su["external_verification"] = oauth.begin(em, ctx, owner="sign_up", owner_id=su["id"],
                                              client_id=su["client_id"], strategy=strategy, email=email)


def _transfer(em: Instance, client: dict[str, Any], su: dict[str, Any]) -> None:
    """Take over the identity of the client's sign-in whose OAuth account had no user."""
    si = em.store.get("sign_ins", client["sign_in_id"]) if client.get("sign_in_id") else None
    ffv = (si or {}).get("first_factor_verification") or {}
    if si is None or ffv.get("status") != "transferable" or not si.get("_identity"):
        raise ClerkError("form_param_value_invalid", param="transfer",
                         long_suffix=". There is no transferable sign-in on this client.")
    _adopt_identity(em, su, si["_identity"])
    ffv["status"] = "verified"  # the sign-in is spent: its identity now belongs to the sign-up
    em.store.put_doc("sign_ins", si)
    detach_attempt(em, "sign_in", si)


def _adopt_identity(em: Instance, su: dict[str, Any], identity: dict[str, Any]) -> None:
    su["_identity"] = identity
    su["external_verification"] = attempts.redirect_verification(
        "verification_saml" if identity["strategy"] == oauth.ENTERPRISE else "verification_oauth",
        identity["strategy"], None, status="verified")
    su["email_address"] = identity["email"]
    verified = identity["verified"] or identity["strategy"] == oauth.ENTERPRISE
    if verified:
        su["email_verification"] = model.verification("verified", "from_" + identity["strategy"])  # from_oauth_…
    first, _, last = (identity.get("name") or "").partition(" ")
    su["first_name"] = su.get("first_name") or first or None
    su["last_name"] = su.get("last_name") or last or None


@router.add(F, "POST", "/v1/client/sign_ups")
def create_sign_up(em: Instance, ctx: Ctx) -> Any:
    _refuse_if_restricted(em, ctx)
    testing.check_sign_up_captcha(em, ctx)
    client = ensure_client(em, ctx)
    client["_activity"] = activity.from_request(ctx.request.headers.get("User-Agent"), ctx.request.remote)
    su = attempts.new_sign_up(client["id"], ctx.field("locale"))
    strategy = ctx.field("strategy") or ""
    if ctx.field("transfer") == "true":
        _apply_fields(em, ctx, su)
        _transfer(em, client, su)
    elif strategy == "ticket":
        from .. import tickets

        invitation = tickets.invitation_for_ticket(em, required(ctx, "ticket"))
        _apply_fields(em, ctx, su)
        su.update(email_address=invitation["email_address"], _invitation_id=invitation["id"],
                  public_metadata=invitation.get("public_metadata") or {},
                  email_verification=model.verification("verified", "ticket"))
    else:
        _apply_fields(em, ctx, su)
        if strategy.startswith("oauth_") or strategy == oauth.ENTERPRISE:
            _start_redirect(em, ctx, su, strategy)
        elif strategy in ("email_code", "email_link"):
            _prepare_email(em, ctx, su, strategy)
        elif strategy == "phone_code":
            _prepare_phone(em, su)
        elif strategy:
            raise ClerkError("form_param_value_invalid", param="strategy")
    finalize(em, su, in_band=True)
    return envelope(em, ctx, fapi_sign_up(em, su))


def _prepare_email(em: Instance, ctx: Ctx, su: dict[str, Any], strategy: str) -> None:
    if not su.get("email_address"):
        raise ClerkError("form_param_missing", param="email_address")
    if strategy not in em.settings.attribute("email_address").get("verifications", []):
        raise ClerkError("form_param_value_invalid", param="strategy")
    if strategy == "email_code":
        su["email_verification"] = messages.send_code(em, to=su["email_address"], purpose="sign_up",
                                                      strategy="email_code")
    else:
        redirect_url = check_redirect_url(em, ctx.field("redirect_url"), "redirect_url")
        su["email_verification"] = messages.send_link(em, to=su["email_address"], purpose="sign_up",
                                                      owner_id=su["id"], client_id=su["client_id"],
                                                      redirect_url=redirect_url)


def _prepare_phone(em: Instance, su: dict[str, Any]) -> None:
    if not su.get("phone_number"):
        raise ClerkError("form_param_missing", param="phone_number")
    if "phone_code" not in em.settings.attribute("phone_number").get("verifications", []) or not em.settings.enabled(
            "phone_number"):
        raise ClerkError("form_param_value_invalid", param="strategy")
    su["phone_verification"] = messages.send_code(em, to=su["phone_number"], purpose="sign_up", strategy="phone_code")


@router.add(F, "GET", "/v1/client/sign_ups/{id}")
def get_sign_up(em: Instance, ctx: Ctx) -> Any:
    return envelope(em, ctx, fapi_sign_up(em, _load(em, ctx)))


@router.add(F, "PATCH", "/v1/client/sign_ups/{id}")
def update_sign_up(em: Instance, ctx: Ctx) -> Any:
    su = _load(em, ctx)
    if su["status"] == "complete":
        raise ClerkError("session_exists")
    _apply_fields(em, ctx, su)
    strategy = ctx.field("strategy") or ""
    if strategy.startswith("oauth_") or strategy == oauth.ENTERPRISE:
        _start_redirect(em, ctx, su, strategy)
    finalize(em, su, in_band=True)
    return envelope(em, ctx, fapi_sign_up(em, su))


@router.add(F, "POST", "/v1/client/sign_ups/{id}/prepare_verification")
def prepare_sign_up(em: Instance, ctx: Ctx) -> Any:
    su = _load(em, ctx)
    if su["status"] == "complete":
        raise ClerkError("session_exists")
    strategy = required(ctx, "strategy")
    if strategy in ("email_code", "email_link"):
        _prepare_email(em, ctx, su, strategy)
    elif strategy == "phone_code":
        _prepare_phone(em, su)
    else:
        raise ClerkError("form_param_value_invalid", param="strategy")
    attach_attempt(em, "sign_up", su)
    return envelope(em, ctx, fapi_sign_up(em, su))


@router.add(F, "POST", "/v1/client/sign_ups/{id}/attempt_verification")
def attempt_sign_up(em: Instance, ctx: Ctx) -> Any:
    su = _load(em, ctx)
    if su["status"] == "complete":
        raise ClerkError("session_exists")
    strategy = ctx.field("strategy") or "email_code"
    if strategy not in ("email_code", "phone_code"):
        raise ClerkError("form_param_value_invalid", param="strategy")
    key = "email_verification" if strategy == "email_code" else "phone_verification"
    try:
        attempts.check_code(su.get(key), required(ctx, "code"), strategy)
    finally:
        em.store.put_doc("sign_ups", su)  # the attempt counts even when the code is wrong
    finalize(em, su, in_band=True)
    return envelope(em, ctx, fapi_sign_up(em, su))


def finish_redirect(em: Instance, state: dict[str, Any], identity: dict[str, Any] | None,
                    error: dict[str, Any] | None) -> str:
    """The provider came back for this sign-up; returns where the browser goes next."""
    su = em.store.get("sign_ups", state["owner_id"])
    if su is None:
        raise ClerkError("oauth_callback_invalid")
    ext = su.get("external_verification") or {}
    done_url = state["action_complete_redirect_url"] or state["redirect_url"]
    if error is not None:
        ext.update(status="failed", error=error)
    elif identity is not None:
        user, _linked = oauth.find_user(em, identity)
        if user is not None or oauth.email_owner_unverified(em, identity) is not None:
            # The account exists: clerk-js transfers this sign-up to a sign-in.
            su["_identity"] = identity
            ext.update(status="transferable", external_verification_redirect_url="", error=attempts.error_json(
                "external_account_exists", "External account exists",
                "An account already exists for this external account; sign in instead."))
        else:
            _adopt_identity(em, su, identity)
            finalize(em, su, in_band=False)
            return str(done_url if su["status"] == "complete" else state["redirect_url"])
    su["external_verification"] = ext
    attach_attempt(em, "sign_up", su)
    return str(state["redirect_url"])
