"""Sign-in attempts: ``/v1/client/sign_ins`` — password, email code and link, password reset, OAuth and
enterprise SSO by redirect, sign-in tokens (tickets), and the transfer of a sign-up whose OAuth account
already has a user.

A request that completes a sign-in answers the completed attempt (no factors, no user data) and a client
whose ``sign_in`` is null; a completion out of band (OAuth callback, email link) leaves the completed attempt
on the client, as Clerk does, so the app can find its ``created_session_id``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import attempts, messages, model, oauth
from ..attempts import fapi_sign_in
from ..crypto import check_password, hash_password
from ..errors import ClerkError
from ..http import Ctx
from ..redirects import check_redirect_url
from ..store import now_ms
from .common import F, attach_attempt, detach_attempt, ensure_client, envelope, required, router

if TYPE_CHECKING:
    from ..context import Instance

CODE_STRATEGIES = ("email_code", "phone_code", "reset_password_email_code", "reset_password_phone_code")


def _load(em: Instance, ctx: Ctx) -> dict[str, Any]:
    si = em.store.get("sign_ins", ctx.params["id"])
    if ctx.client is None or si is None or si["client_id"] != ctx.client["id"]:
        raise ClerkError("resource_not_found", "sign_in", fill={"signInID": ctx.params["id"]})
    return si


def complete(em: Instance, si: dict[str, Any], user: dict[str, Any], strategy: str, *, in_band: bool) -> None:
    """Create the session; a pending OAuth link (the provider's email needed verifying first) is made now."""
    pending = si.pop("_pending_identity", None)
    if pending is not None:
        oauth.link(em, user, pending)
        model.save_user(em.store, user)
    client = em.store.get("clients", si["client_id"])
    assert client is not None
    sess = model.create_session(em.store, client, user, strategy)
    si["status"] = "complete"
    si["created_session_id"] = sess["id"]
    attach_attempt(em, "sign_in", si)
    if in_band:
        detach_attempt(em, "sign_in", si)


def _user(em: Instance, si: dict[str, Any]) -> dict[str, Any]:
    if not si.get("user_id"):
        raise ClerkError("form_param_missing", param="identifier")
    return model.load_user(em.store, si["user_id"])


def _factor(em: Instance, si: dict[str, Any], user: dict[str, Any], strategy: str,
            ref: tuple[str, str | None] | None = None) -> dict[str, Any]:
    """The user's factor for ``strategy`` (and, when given, the identification ``ref`` names), else 400."""
    for factor in attempts.first_factors(em, user, si.get("identifier")):
        if factor["strategy"] != strategy:
            continue
        if ref is None or ref[1] is None or factor.get(ref[0]) == ref[1]:
            return factor
    raise ClerkError("strategy_for_user_invalid", param="strategy")


def _attempt_password(em: Instance, si: dict[str, Any], user: dict[str, Any], password: str) -> None:
    _factor(em, si, user, "password")
    ok = check_password(password, user["password_hash"])
    si["first_factor_verification"] = {"object": "verification_password", "status": "verified" if ok else
                                       "unverified", "strategy": "password", "attempts": 1, "expire_at": None}
    if not ok:
        attach_attempt(em, "sign_in", si)
        raise ClerkError("form_password_incorrect", param="password", keep_changes=True)
    complete(em, si, user, "password", in_band=True)


def _prepare(em: Instance, ctx: Ctx, si: dict[str, Any], strategy: str) -> None:
    """Prepare a first factor: send a code or a link, or start a redirect."""
    if strategy.startswith("oauth_") or strategy == oauth.ENTERPRISE:
        _start_redirect(em, ctx, si, strategy)
        return
    user = _user(em, si)
    if strategy in ("email_code", "email_link", "reset_password_email_code"):
        factor = _factor(em, si, user, strategy, ("email_address_id", ctx.field("email_address_id")))
        to = factor["safe_identifier"]
        if strategy == "email_link":
            redirect_url = check_redirect_url(em, ctx.field("redirect_url"), "redirect_url")
            si["first_factor_verification"] = messages.send_link(
                em, to=to, purpose="sign_in", owner_id=si["id"], client_id=si["client_id"],
                redirect_url=redirect_url, email_id=factor["email_address_id"], user_id=user["id"])
        else:
            purpose = "reset_password" if strategy.startswith("reset_password") else "sign_in"
            si["first_factor_verification"] = messages.send_code(em, to=to, purpose=purpose, strategy=strategy)
    elif strategy in ("phone_code", "reset_password_phone_code"):
        factor = _factor(em, si, user, strategy, ("phone_number_id", ctx.field("phone_number_id")))
        purpose = "reset_password" if strategy.startswith("reset_password") else "sign_in"
        si["first_factor_verification"] = messages.send_code(em, to=factor["safe_identifier"], purpose=purpose,
                                                             strategy=strategy)
    elif strategy == "password":
        _factor(em, si, user, "password")
    else:
        raise ClerkError("form_param_value_invalid", param="strategy")


def _start_redirect(em: Instance, ctx: Ctx, si: dict[str, Any], strategy: str) -> None:
    redirect_url = check_redirect_url(em, ctx.field("redirect_url"), "redirect_url")
    complete_url = check_redirect_url(em, ctx.field("action_complete_redirect_url"), "action_complete_redirect_url",
                                      required=False)
    assert redirect_url is not None
    connection_id = None
    if strategy == oauth.ENTERPRISE:
        email = ctx.field("identifier") or si.get("identifier")
        connection_id = oauth.connection(em, email=email, connection_id=ctx.field("enterprise_connection_id"))["id"]
        if email:
            si["identifier"] = email
            si["user_id"] = em.store.identifier_owner(email)
    else:
        oauth.check_strategy(em, strategy)
    si["status"] = "needs_first_factor"
    si["first_factor_verification"] = oauth.start(
        em, owner="sign_in", owner_id=si["id"], client_id=si["client_id"], strategy=strategy,
        redirect_url=redirect_url, action_complete_redirect_url=complete_url,
        login_hint=ctx.field("oidc_login_hint") or si.get("identifier"), connection_id=connection_id)


def _transfer(em: Instance, client: dict[str, Any], si: dict[str, Any]) -> None:
    """Sign in the user that the client's sign-up found behind its OAuth account."""
    su = em.store.get("sign_ups", client["sign_up_id"]) if client.get("sign_up_id") else None
    ext = (su or {}).get("external_verification") or {}
    identity = (su or {}).get("_identity")
    if su is None or ext.get("status") != "transferable" or not identity:
        raise ClerkError("form_param_value_invalid", param="transfer",
                         long_suffix=". There is no transferable sign-up on this client.")
    user, linked = oauth.find_user(em, identity)
    si["identifier"] = identity["email"]
    si["first_factor_verification"] = attempts.redirect_verification(
        "verification_saml" if identity["strategy"] == oauth.ENTERPRISE else "verification_oauth",
        identity["strategy"], None, status="verified")
    ext["status"] = "verified"  # spent: the identity now belongs to this sign-in
    em.store.put_doc("sign_ups", su)
    detach_attempt(em, "sign_up", su)
    if user is None:
        # The provider's email matches an account whose email is not verified: verify it first.
        owner = oauth.email_owner_unverified(em, identity)
        assert owner is not None
        si.update(status="needs_first_factor", user_id=owner["id"], _pending_identity=identity)
        attach_attempt(em, "sign_in", si)
        return
    si["user_id"] = user["id"]
    if not linked:
        oauth.link(em, user, identity)
        model.save_user(em.store, user)
    complete(em, si, user, identity["strategy"], in_band=True)


@router.add(F, "POST", "/v1/client/sign_ins")
def create_sign_in(em: Instance, ctx: Ctx) -> Any:
    client = ensure_client(em, ctx)
    if em.settings.current["single_session_mode"] and model.active_sessions(em.store, client["id"]):
        raise ClerkError("session_exists")
    si = attempts.new_sign_in(client["id"], ctx.field("locale"))
    strategy = ctx.field("strategy") or ""
    identifier = ctx.field("identifier")
    attach_attempt(em, "sign_in", si)
    if ctx.field("transfer") == "true":
        _transfer(em, client, si)
    elif strategy == "ticket":
        from .. import tickets

        ticket = required(ctx, "ticket")
        user = tickets.redeem_sign_in_ticket(em, ticket)
        si.update(user_id=user["id"], identifier=model.primary_email(user) or user["username"],
                  first_factor_verification=model.verification("verified", "ticket"))
        complete(em, si, user, "ticket", in_band=True)
        org_id = tickets.sign_in_ticket_organization(em, ticket)
        if org_id:  # a sign-in token made with org_id activates that organization
            sess = em.store.get("sessions", si["created_session_id"])
            assert sess is not None
            sess["last_active_organization_id"] = org_id
            em.store.put_session(sess)
    elif strategy.startswith("oauth_") or strategy == oauth.ENTERPRISE:
        _start_redirect(em, ctx, si, strategy)
        attach_attempt(em, "sign_in", si)
    elif identifier:
        user_id = em.store.identifier_owner(identifier)
        connection = em.settings.connection_for_email(identifier) if "@" in identifier else None
        if user_id is None and connection is None:
            raise ClerkError("form_identifier_not_found", param="identifier")
        si.update(identifier=identifier, user_id=user_id, status="needs_first_factor")
        if user_id is None:
            si["_connection_id"] = connection["id"] if connection else None
        password = ctx.field("password")
        if password is not None and strategy in ("", "password"):
            _attempt_password(em, si, _user(em, si), password)
        elif strategy:
            _prepare(em, ctx, si, strategy)
        if si["status"] != "complete":
            attach_attempt(em, "sign_in", si)
    elif strategy or ctx.field("password") is not None:
        raise ClerkError("form_param_missing", param="identifier")
    return envelope(em, ctx, fapi_sign_in(em, si))


@router.add(F, "GET", "/v1/client/sign_ins/{id}")
def get_sign_in(em: Instance, ctx: Ctx) -> Any:
    return envelope(em, ctx, fapi_sign_in(em, _load(em, ctx)))


@router.add(F, "POST", "/v1/client/sign_ins/{id}/prepare_first_factor")
def prepare_first_factor(em: Instance, ctx: Ctx) -> Any:
    si = _load(em, ctx)
    if si["status"] == "complete":
        raise ClerkError("session_exists")
    _prepare(em, ctx, si, required(ctx, "strategy"))
    attach_attempt(em, "sign_in", si)
    return envelope(em, ctx, fapi_sign_in(em, si))


@router.add(F, "POST", "/v1/client/sign_ins/{id}/attempt_first_factor")
def attempt_first_factor(em: Instance, ctx: Ctx) -> Any:
    si = _load(em, ctx)
    if si["status"] == "complete":
        raise ClerkError("session_exists")
    strategy = required(ctx, "strategy")
    user = _user(em, si)
    if strategy == "password":
        _attempt_password(em, si, user, required(ctx, "password"))
    elif strategy in CODE_STRATEGIES:
        try:
            attempts.check_code(si.get("first_factor_verification"), required(ctx, "code"), strategy)
        finally:
            em.store.put_doc("sign_ins", si)  # a wrong code still counts as an attempt
        if strategy.startswith("reset_password"):
            si["status"] = "needs_new_password"
            attach_attempt(em, "sign_in", si)
            new_password = ctx.field("password")
            if new_password:  # the legacy one-step form: code and new password together
                _reset(em, si, user, new_password, sign_out_others=False)
        else:
            complete(em, si, user, strategy, in_band=True)
    else:
        raise ClerkError("form_param_value_invalid", param="strategy")
    return envelope(em, ctx, fapi_sign_in(em, si))


def _reset(em: Instance, si: dict[str, Any], user: dict[str, Any], password: str, *, sign_out_others: bool) -> None:
    if len(password) < model.MIN_PASSWORD:
        raise ClerkError("form_password_length_too_short", param="password")
    user["password_hash"] = hash_password(password)
    user["password_last_updated_at"] = now_ms()
    model.save_user(em.store, user)
    if sign_out_others:
        for sess in em.store.where("sessions", "user_id=?", (user["id"],)):
            if sess["status"] == "active":
                model.end_session(em.store, sess, "revoked")
    complete(em, si, user, si["first_factor_verification"]["strategy"], in_band=True)


@router.add(F, "POST", "/v1/client/sign_ins/{id}/reset_password")
def reset_password(em: Instance, ctx: Ctx) -> Any:
    si = _load(em, ctx)
    for name in ctx.form:
        if name not in ("password", "sign_out_of_other_sessions"):
            raise ClerkError("form_param_unknown", param=name)
    if si["status"] != "needs_new_password":
        raise ClerkError("verification_missing")
    _reset(em, si, _user(em, si), required(ctx, "password"),
           sign_out_others=ctx.field("sign_out_of_other_sessions") == "true")
    return envelope(em, ctx, fapi_sign_in(em, si))


def finish_redirect(em: Instance, state: dict[str, Any], identity: dict[str, Any] | None,
                    error: dict[str, Any] | None) -> str:
    """The provider came back for this sign-in; returns where the browser goes next."""
    si = em.store.get("sign_ins", state["owner_id"])
    if si is None:
        raise ClerkError("oauth_callback_invalid")
    ffv = si.get("first_factor_verification") or {}
    next_url = str(state["redirect_url"])
    if error is not None:
        ffv.update(status="failed", error=error)
    elif identity is not None:
        user, linked = oauth.find_user(em, identity)
        connection = next((c for c in em.settings.connections() if c["id"] == state.get("connection_id")), None)
        if connection is not None and em.settings.connection_for_email(identity["email"]) is not connection:
            ffv.update(status="failed", error=attempts.error_json(
                "enterprise_sso_email_address_domain_mismatch", "Enterprise Connection email address domain mismatch",
                f"The email address returned by the provider {identity['email']} does not match the domain of the "
                f"enterprise connection {', '.join(connection['domains'])} that initiated the authentication."))
        elif user is not None:
            signed_in = [s for s in model.active_sessions(em.store, si["client_id"]) if s["user_id"] == user["id"]]
            if signed_in:
                ffv.update(status="failed", error=attempts.error_json(
                    "identifier_already_signed_in", "You're already signed in", "You're already signed in",
                    session_id=signed_in[0]["id"]))
            else:
                if not linked:
                    oauth.link(em, user, identity)
                    model.save_user(em.store, user)
                ffv.update(status="verified", external_verification_redirect_url="")
                si.update(user_id=user["id"], identifier=identity["email"])
                si["first_factor_verification"] = ffv
                complete(em, si, user, identity["strategy"], in_band=False)
                return str(state["action_complete_redirect_url"] or next_url)
        elif oauth.email_owner_unverified(em, identity) is not None:
            # The provider's email belongs to an account whose email is unverified: verify it first.
            owner = oauth.email_owner_unverified(em, identity)
            assert owner is not None
            ffv.update(status="verified")
            si.update(status="needs_first_factor", user_id=owner["id"], identifier=identity["email"],
                      _pending_identity=identity)
        else:
            # No account: the sign-in becomes transferable to a sign-up.
            si.update(status="needs_identifier", _identity=identity)
            ffv.update(status="transferable", external_verification_redirect_url="", error=attempts.error_json(
                "external_account_not_found", "Invalid external account", "The External Account was not found."))
    if ffv.get("status") == "failed" and not si.get("user_id"):
        # Back to the start, where the sign-in form shows the error (clerk-js's callback sends it there).
        si["status"] = "needs_identifier"
    si["first_factor_verification"] = ffv
    attach_attempt(em, "sign_in", si)
    return next_url
