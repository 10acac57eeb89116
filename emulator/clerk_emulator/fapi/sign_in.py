"""Sign-in attempts: ``/v1/client/sign_ins`` — password, email and phone codes, email link, passkeys, password
reset (email or phone), OAuth and enterprise SSO by redirect, sign-in tokens (tickets), the transfer of a sign-up
whose OAuth account already has a user; then the second step: a second factor (TOTP, backup code, SMS or email
code) for users with MFA, or a code proving a new device (Client Trust).

A request that completes a sign-in answers the completed attempt (no factors, no user data) and a client
whose ``sign_in`` is null; a completion out of band (OAuth callback, email link) leaves the completed attempt
on the client, as Clerk does, so the app can find its ``created_session_id``.

Failed passwords, codes, TOTP codes and backup codes count towards the user's lockout (``mfa.record_failure``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .. import activity, attempts, messages, mfa, model, oauth, passkeys, passwords
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
SECOND_STEP = ("needs_second_factor", "needs_client_trust")
COUNTED = ("form_code_incorrect", "verification_failed", "form_password_incorrect")


def _load(em: Instance, ctx: Ctx) -> dict[str, Any]:
    si = em.store.get("sign_ins", ctx.params["id"])
    if ctx.client is None or si is None or si["client_id"] != ctx.client["id"]:
        raise ClerkError("resource_not_found", "sign_in", fill={"signInID": ctx.params["id"]})
    return si


def complete(em: Instance, si: dict[str, Any], user: dict[str, Any], strategy: str, *, in_band: bool,
             second_factor: bool = False) -> None:
    """Create the session; a pending OAuth link (the provider's email needed verifying first) is made now."""
    pending = si.pop("_pending_identity", None)
    if pending is not None:
        oauth.link(em, user, pending)
        model.save_user(em.store, user)
    client = em.store.get("clients", si["client_id"])
    assert client is not None
    sess = model.create_session(em.store, client, user, strategy, second_factor=second_factor)
    si["status"] = "complete"
    si["created_session_id"] = sess["id"]
    attach_attempt(em, "sign_in", si)
    if in_band:
        detach_attempt(em, "sign_in", si)


def new_device(em: Instance, client_id: str, user: dict[str, Any]) -> bool:
    """Client Trust's "new device": this client (browser) never had a session of this user, in any status."""
    return not em.store.where("sessions", "client_id=? AND user_id=?", (client_id, user["id"]))


def _needs_client_trust(em: Instance, si: dict[str, Any], user: dict[str, Any], strategy: str) -> bool:
    return (strategy == "password" and bool(em.settings.current["client_trust"]["enabled"])
            and not user.get("bypass_client_trust") and new_device(em, si["client_id"], user)
            and bool(mfa.trust_factors(em, user)))


def first_factor_done(em: Instance, si: dict[str, Any], user: dict[str, Any], strategy: str, *, in_band: bool,
                      passkey: bool = False) -> None:
    """The first factor passed: complete the sign-in, or ask for the second step — a second factor when the user
    has one the instance accepts (a passkey skips it when ``passkey_settings.satisfies_second_factor``), else a
    code proving a new device after a password (Client Trust). A banned or locked user gets no further (tickets,
    transfers and links reach here without another check)."""
    mfa.ensure_unlocked(em, user)
    mfa.record_success(user)
    model.save_user(em.store, user)
    si["_first_strategy"] = strategy
    skip = passkey and em.settings.current["passkey_settings"]["satisfies_second_factor"]
    if not skip and mfa.has_second_factor(em, user):
        si.update(status="needs_second_factor", second_factor_verification=None)
    elif _needs_client_trust(em, si, user, strategy):
        si.update(status="needs_client_trust", second_factor_verification=None)
    else:
        # A passkey that stands in for the second factor counts as one for factor_verification_age.
        complete(em, si, user, strategy, in_band=in_band, second_factor=bool(skip and mfa.has_second_factor(em, user)))
        return
    attach_attempt(em, "sign_in", si)


def counted(em: Instance, user: dict[str, Any], check: Callable[[], None], save: Callable[[], None]) -> None:
    """Run a password or code check; a failure is saved (the attempt counts) and counts towards the lockout."""
    try:
        check()
    except ClerkError as err:
        save()
        if err.keep_changes and err.code in COUNTED:
            try:
                mfa.record_failure(em, user)
            finally:
                model.save_user(em.store, user)
        raise


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
    mfa.ensure_unlocked(em, user)
    ok = check_password(password, user["password_hash"])
    si["first_factor_verification"] = {"object": "verification_password", "status": "verified" if ok else
                                       "unverified", "strategy": "password", "attempts": 1, "expire_at": None}

    def check() -> None:
        if not ok:
            raise ClerkError("form_password_incorrect", param="password", keep_changes=True)

    counted(em, user, check, lambda: attach_attempt(em, "sign_in", si))
    if user.get("password_compromised_at") is not None:  # BAPI set_compromised: another factor, then a reset
        raise ClerkError("form_password_compromised", param="password")
    first_factor_done(em, si, user, "password", in_band=True)


def _prepare(em: Instance, ctx: Ctx, si: dict[str, Any], strategy: str) -> None:
    """Prepare a first factor: send a code or a link, or start a redirect."""
    if strategy.startswith("oauth_") or strategy == oauth.ENTERPRISE:
        _start_redirect(em, ctx, si, strategy)
        return
    if strategy == "passkey":
        _prepare_passkey(em, ctx, si)
        return
    user = _user(em, si)
    mfa.ensure_unlocked(em, user)
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


def _prepare_passkey(em: Instance, ctx: Ctx, si: dict[str, Any]) -> None:
    """Request options for the user's passkeys (after an identifier), or for any discoverable passkey."""
    if not em.settings.passkeys_enabled():
        raise ClerkError("strategy_for_user_invalid", param="strategy")
    user = model.load_user(em.store, si["user_id"]) if si.get("user_id") else None
    if user is not None:
        _factor(em, si, user, "passkey")
        mfa.ensure_unlocked(em, user)
    si["first_factor_verification"] = passkeys.authentication_verification(em, ctx, user)


def _attempt_passkey(em: Instance, ctx: Ctx, si: dict[str, Any]) -> None:
    ffv = si.get("first_factor_verification")
    try:
        user, _passkey = passkeys.finish_authentication(em, ctx, ffv, ctx.field("public_key_credential"),
                                                        si.get("user_id"))
    finally:
        em.store.put_doc("sign_ins", si)  # the attempt counts
    mfa.ensure_unlocked(em, user)
    si["user_id"] = user["id"]
    si["identifier"] = si.get("identifier") or model.primary_email(user) or user["username"]
    first_factor_done(em, si, user, "passkey", in_band=True, passkey=True)


def _start_redirect(em: Instance, ctx: Ctx, si: dict[str, Any], strategy: str) -> None:
    email = ctx.field("identifier") or si.get("identifier") if strategy == oauth.ENTERPRISE else None
    si["first_factor_verification"] = oauth.begin(em, ctx, owner="sign_in", owner_id=si["id"],
                                                  client_id=si["client_id"], strategy=strategy, email=email)
    if email:
        si["identifier"] = email
        si["user_id"] = em.store.identifier_owner(email)
    si["status"] = "needs_first_factor"


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
    first_factor_done(em, si, user, identity["strategy"], in_band=True)


@router.add(F, "POST", "/v1/client/sign_ins")
def create_sign_in(em: Instance, ctx: Ctx) -> Any:
    client = ensure_client(em, ctx)
    if em.settings.current["single_session_mode"] and model.active_sessions(em.store, client["id"]):
        raise ClerkError("session_exists")
    client["_activity"] = activity.from_request(ctx.request.headers.get("User-Agent"), ctx.request.remote)
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
        first_factor_done(em, si, user, "ticket", in_band=True)
        org_id = tickets.sign_in_ticket_organization(em, ticket)
        if org_id and si["status"] != "complete":
            si["_ticket_org_id"] = org_id  # activated once the second factor completes the sign-in
            attach_attempt(em, "sign_in", si)
        elif org_id:  # a sign-in token made with org_id activates that organization
            sess = em.store.get("sessions", si["created_session_id"])
            assert sess is not None
            sess["last_active_organization_id"] = org_id
            em.store.put_session(sess)
    elif strategy.startswith("oauth_") or strategy == oauth.ENTERPRISE:
        _start_redirect(em, ctx, si, strategy)
        attach_attempt(em, "sign_in", si)
    elif strategy == "passkey" and not identifier:
        # Discoverable passkeys (clerk-js's autofill and discoverable flows): the assertion names the user.
        _prepare_passkey(em, ctx, si)
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
    if strategy == "passkey":
        _attempt_passkey(em, ctx, si)
        return envelope(em, ctx, fapi_sign_in(em, si))
    user = _user(em, si)
    if strategy == "password":
        _attempt_password(em, si, user, required(ctx, "password"))
    elif strategy in CODE_STRATEGIES:
        mfa.ensure_unlocked(em, user)
        code = required(ctx, "code")
        counted(em, user, lambda: attempts.check_code(si.get("first_factor_verification"), code, strategy),
                 lambda: em.store.put_doc("sign_ins", si))  # a wrong code still counts as an attempt
        if strategy.startswith("reset_password"):
            mfa.record_success(user)
            model.save_user(em.store, user)
            si["status"] = "needs_new_password"
            attach_attempt(em, "sign_in", si)
            new_password = ctx.field("password")
            if new_password:  # the legacy one-step form: code and new password together
                _reset(em, si, user, new_password, sign_out_others=True)
        else:
            first_factor_done(em, si, user, strategy, in_band=True)
    else:
        raise ClerkError("form_param_value_invalid", param="strategy")
    return envelope(em, ctx, fapi_sign_in(em, si))


def _reset(em: Instance, si: dict[str, Any], user: dict[str, Any], password: str, *, sign_out_others: bool) -> None:
    """Set the new password (the instance's policy applies); then the sign-in completes, or asks users with MFA
    for their second factor. ``sign_out_others`` revokes the user's other sessions."""
    passwords.check(em, password)
    user["password_hash"] = hash_password(password)
    user["password_last_updated_at"] = now_ms()
    user.pop("password_compromised_at", None)
    model.save_user(em.store, user)
    if sign_out_others:
        model.revoke_sessions(em.store, user["id"])
    first_factor_done(em, si, user, si["first_factor_verification"]["strategy"], in_band=True)


@router.add(F, "POST", "/v1/client/sign_ins/{id}/reset_password")
def reset_password(em: Instance, ctx: Ctx) -> Any:
    """``password`` and ``sign_out_of_other_sessions`` (default true, as clerk-js's SignInFuture and Clerk's UI)."""
    si = _load(em, ctx)
    for name in ctx.form:
        if name not in ("password", "sign_out_of_other_sessions"):
            raise ClerkError("form_param_unknown", param=name)
    if si["status"] != "needs_new_password":
        raise ClerkError("verification_missing")
    flag = ctx.field("sign_out_of_other_sessions")
    if flag not in (None, "", "true", "false"):
        raise ClerkError("form_param_format_invalid", param="sign_out_of_other_sessions")
    _reset(em, si, _user(em, si), required(ctx, "password"), sign_out_others=flag != "false")
    return envelope(em, ctx, fapi_sign_in(em, si))


# --- the second step: a second factor, or Client Trust ------------------------------------------------------
def _second_factor(em: Instance, si: dict[str, Any], user: dict[str, Any], strategy: str,
                   ref: tuple[str, str | None] | None = None) -> dict[str, Any]:
    """The entry of ``supported_second_factors`` for ``strategy`` (the default phone, or the primary email, when
    no id is given), else 400 ``no_second_factors``."""
    listed: list[dict[str, Any]] = fapi_sign_in(em, si)["supported_second_factors"] or []
    factors = [f for f in listed if f["strategy"] == strategy]
    if ref is not None and ref[1]:
        factors = [f for f in factors if f.get(ref[0]) == ref[1]]
    factors.sort(key=lambda f: not (f.get("default") or f.get("primary")))
    if si["status"] not in SECOND_STEP or not factors:
        raise ClerkError("no_second_factors", fill={"strategy": strategy})
    return factors[0]


def _second_step(em: Instance, ctx: Ctx) -> tuple[dict[str, Any], dict[str, Any]]:
    si = _load(em, ctx)
    if si["status"] == "complete":
        raise ClerkError("session_exists")
    user = _user(em, si)
    mfa.ensure_unlocked(em, user)
    return si, user


@router.add(F, "POST", "/v1/client/sign_ins/{id}/prepare_second_factor")
def prepare_second_factor(em: Instance, ctx: Ctx) -> Any:
    """Send the code of ``phone_code`` (``phone_number_id``, default: the default 2FA phone) or ``email_code``
    (``email_address_id``, default: the primary address), or (Client Trust) an ``email_link`` with
    ``redirect_url``; ``passkey`` gives request options for the user's passkeys (the verification's ``nonce``);
    TOTP and backup codes need no preparation."""
    si, user = _second_step(em, ctx)
    strategy = required(ctx, "strategy")
    if strategy == "passkey":
        _second_factor(em, si, user, strategy)
        si["second_factor_verification"] = passkeys.authentication_verification(em, ctx, user)
        attach_attempt(em, "sign_in", si)
        return envelope(em, ctx, fapi_sign_in(em, si))
    if strategy == "phone_code":
        factor = _second_factor(em, si, user, strategy, ("phone_number_id", ctx.field("phone_number_id")))
    elif strategy == "email_code":
        factor = _second_factor(em, si, user, strategy, ("email_address_id", ctx.field("email_address_id")))
    elif strategy == "email_link" and si["status"] == "needs_client_trust" and em.settings.first_factor_enabled(
            "email_address", "email_link"):
        # Client Trust by email link (clerk-js's createEmailLinkFlow at needs_client_trust): opening the link in
        # any browser completes this sign-in, which the app finds by polling it.
        factor = _second_factor(em, si, user, "email_code", ("email_address_id", ctx.field("email_address_id")))
        redirect_url = check_redirect_url(em, ctx.field("redirect_url"), "redirect_url")
        si["second_factor_verification"] = messages.send_link(
            em, to=factor["safe_identifier"], purpose="second_factor", owner_id=si["id"], client_id=si["client_id"],
            redirect_url=redirect_url, email_id=factor["email_address_id"], user_id=user["id"])
        attach_attempt(em, "sign_in", si)
        return envelope(em, ctx, fapi_sign_in(em, si))
    else:
        raise ClerkError("form_param_value_invalid", param="strategy")
    si["second_factor_verification"] = messages.send_code(em, to=factor["safe_identifier"], purpose="second_factor",
                                                          strategy=strategy)
    attach_attempt(em, "sign_in", si)
    return envelope(em, ctx, fapi_sign_in(em, si))


def check_stored_factor(holder: dict[str, Any], key: str, user: dict[str, Any], strategy: str, code: str) -> None:
    """A TOTP or backup code checked against what the user holds; the verification (``holder[key]``) is made by
    the first attempt and counts the attempts. Unlike sent codes it never fails (Clerk's ``verification_totp`` and
    ``verification_backup_code`` are only ``unverified`` or ``verified``): the account lockout bounds the tries."""
    ver = holder.get(key)
    if ver is None or ver.get("strategy") != strategy:
        ver = {"object": f"verification_{strategy}", "status": "unverified", "strategy": strategy, "attempts": 0,
               "expire_at": None}
        holder[key] = ver
    ver["attempts"] += 1
    ok = (mfa.check_totp(user["totp"], code) if strategy == "totp" else mfa.check_backup_code(user, code))
    if not ok:
        raise ClerkError("form_code_incorrect", param="code", keep_changes=True)
    ver["status"] = "verified"


@router.add(F, "POST", "/v1/client/sign_ins/{id}/attempt_second_factor")
def attempt_second_factor(em: Instance, ctx: Ctx) -> Any:
    """``totp``, ``backup_code`` (spent when accepted), ``phone_code`` or ``email_code`` with ``code``, or
    ``passkey`` with ``public_key_credential`` (an assertion of one of the user's passkeys for the prepared
    challenge, checked as the first-factor passkey is)."""
    si, user = _second_step(em, ctx)
    strategy = required(ctx, "strategy")
    if strategy not in ("totp", "backup_code", "phone_code", "email_code", "passkey"):
        raise ClerkError("form_param_value_invalid", param="strategy")
    _second_factor(em, si, user, strategy)
    code = "" if strategy == "passkey" else required(ctx, "code")

    def save() -> None:
        em.store.put_doc("sign_ins", si)
        model.save_user(em.store, user)  # a TOTP step or a backup code is spent even when the request fails later

    if strategy == "passkey":
        try:  # the user of the assertion is this one (checked), with the passkey's new sign count
            user, _passkey = passkeys.finish_authentication(em, ctx, si.get("second_factor_verification"),
                                                            ctx.field("public_key_credential"), user["id"])
        finally:
            em.store.put_doc("sign_ins", si)  # the attempt counts
    elif strategy in ("totp", "backup_code"):
        counted(em, user, lambda: check_stored_factor(si, "second_factor_verification", user, strategy, code),
                 save)
    else:
        counted(em, user, lambda: attempts.check_code(si.get("second_factor_verification"), code, strategy), save)
    mfa.record_success(user)
    model.save_user(em.store, user)
    trust = si["status"] == "needs_client_trust"
    complete(em, si, user, si.get("_first_strategy") or strategy, in_band=True, second_factor=not trust)
    _activate_ticket_organization(em, si)
    return envelope(em, ctx, fapi_sign_in(em, si))


def _activate_ticket_organization(em: Instance, si: dict[str, Any]) -> None:
    org_id = si.pop("_ticket_org_id", None)
    if org_id and si.get("created_session_id"):
        sess = em.store.get("sessions", si["created_session_id"])
        assert sess is not None
        sess["last_active_organization_id"] = org_id
        em.store.put_session(sess)
        em.store.put_doc("sign_ins", si)


def _refusal(em: Instance, user: dict[str, Any]) -> dict[str, Any] | None:
    """The error object of ``user_banned`` / ``user_locked`` when the user may not sign in now, else None."""
    try:
        mfa.ensure_unlocked(em, user)
    except ClerkError as err:
        item: dict[str, Any] = err.body()["errors"][0]
        return item
    return None


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
            refusal = _refusal(em, user)
            if signed_in:
                ffv.update(status="failed", error=attempts.error_json(
                    "identifier_already_signed_in", "You're already signed in", "You're already signed in",
                    session_id=signed_in[0]["id"]))
            elif refusal is not None:  # banned or locked: the error rides on the verification, as clerk-js reads it
                ffv.update(status="failed", error=refusal)
            else:
                if not linked:
                    oauth.link(em, user, identity)
                    model.save_user(em.store, user)
                ffv.update(status="verified", external_verification_redirect_url="")
                si.update(user_id=user["id"], identifier=identity["email"])
                si["first_factor_verification"] = ffv
                first_factor_done(em, si, user, identity["strategy"], in_band=False)
                if si["status"] != "complete":  # the app's callback page continues with the second factor
                    return next_url
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
