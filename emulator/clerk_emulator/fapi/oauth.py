"""The OAuth callback (``/v1/oauth_callback``) and the user's connected accounts (``/v1/me/external_accounts``)."""

from __future__ import annotations

import html
import json
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from .. import attempts, model, oauth
from ..errors import ClerkError
from ..http import Ctx, Reply
from ..redirects import accounts_origin, add_query, check_redirect_url
from ..settings import provider_name
from ..store import new_id, now_ms
from . import sign_in, sign_up
from .common import F, current, envelope, required, router

if TYPE_CHECKING:
    from ..context import Instance


@router.add(F, "POST", "/v1/oauth_callback")
def oauth_callback_post(em: Instance, ctx: Ctx) -> Any:
    """Providers that answer with a form POST (Apple) are sent on to the GET form with the same fields."""
    fields = {k: v[0] for k, v in ctx.form.items() if v}
    return Reply.redirect(add_query(em.fapi_url + "/v1/oauth_callback", fields), 303)


@router.add(F, "GET", "/v1/oauth_callback")
def oauth_callback(em: Instance, ctx: Ctx) -> Any:
    """Read the provider's answer, update the attempt (or connected account) that started the flow, and send
    the browser back to the app. A state that is unknown, used or expired is Clerk's ``oauth_callback_invalid``."""
    state = em.store.get("oauth_states", ctx.query.get("state") or "")
    if state is None or state["used"] or state["expire_at"] < now_ms():
        raise ClerkError("oauth_callback_invalid")
    error_param = ctx.query.get("error")
    code = ctx.query.get("code")
    if error_param is None and (not code or code != state["code"] or state["identity"] is None):
        raise ClerkError("oauth_callback_invalid")
    state["used"] = True
    em.store.put_record("oauth_states", state)
    error = oauth.access_denied(state["strategy"]) if error_param is not None else None
    identity = None if error is not None else state["identity"]
    if state["owner"] == "sign_in":
        target = sign_in.finish_redirect(em, state, identity, error)
    elif state["owner"] == "sign_up":
        target = sign_up.finish_redirect(em, state, identity, error)
    else:
        target = _finish_connect(em, state, identity, error)
    if urlsplit(target).scheme == "https" and target.startswith(accounts_origin(em) + "/") and \
            not em.fapi_url.startswith("https:"):
        # The https Account Portal clerk-js derives for this http instance (its popup flows) is served by a front
        # end; Clerk's development instances may answer with a page that moves the browser on (the spec's 200),
        # which reaches that front end as a fresh navigation.
        link, quoted = html.escape(target), json.dumps(target).replace("<", "\\u003c")
        return Reply.page(f'<!doctype html><meta charset="utf-8"><title>Redirecting</title><a href="{link}">'
                          f"Continue</a><script>location.replace({quoted})</script>")
    return Reply.redirect(target, 303)


# --- connected accounts -------------------------------------------------------------------------
@router.add(F, "POST", "/v1/me/external_accounts")
def connect_account(em: Instance, ctx: Ctx) -> Any:
    """Start connecting a provider account to the signed-in user: an unverified account whose verification
    holds the provider URL; it becomes verified when the provider comes back."""
    _sess, user = current(em, ctx)
    allowed = {"strategy", "redirect_url", "action_complete_redirect_url", "additional_scope", "code", "token",
               "oidc_prompt", "oidc_login_hint", "enterprise_connection_id"}
    for name in ctx.form:
        if name not in allowed:
            raise ClerkError("form_param_unknown", param=name)
    strategy = required(ctx, "strategy")
    if not strategy.startswith("oauth_"):
        raise ClerkError("form_param_value_invalid", param="strategy")
    oauth.check_strategy(em, strategy)
    provider = oauth.provider_of(strategy)
    if any(a["provider"] == provider and a["verification"]["status"] == "verified"
           for a in user.get("external_accounts", [])):
        raise ClerkError("oauth_account_already_connected", fill={"providerTitle": provider_name(strategy)})
    redirect_url = check_redirect_url(em, ctx.field("redirect_url"), "redirect_url")
    assert redirect_url is not None
    # A pending connection for the same provider is replaced by this one.
    user["external_accounts"] = [a for a in user.get("external_accounts", [])
                                 if not (a["provider"] == provider and a["verification"]["status"] != "verified")]
    ts = now_ms()
    account: dict[str, Any] = {
        "id": new_id("eac"), "provider": provider, "identification_id": "", "provider_user_id": "",
        "email_address": "", "email_address_verified": None, "first_name": "", "last_name": "",
        "username": None, "image_url": None, "approved_scopes": "", "created_at": ts, "updated_at": ts,
    }
    account["verification"] = oauth.start(
        em, owner="external_account", owner_id=account["id"], client_id=ctx.client["id"] if ctx.client else "",
        strategy=strategy, redirect_url=redirect_url,
        action_complete_redirect_url=check_redirect_url(em, ctx.field("action_complete_redirect_url"),
                                                        "action_complete_redirect_url", required=False),
        login_hint=ctx.field("oidc_login_hint"), scopes=ctx.form.get("additional_scope", []), user_id=user["id"])
    user.setdefault("external_accounts", []).append(account)
    model.save_user(em.store, user)
    return envelope(em, ctx, model.external_account_json(account))


@router.add(F, "PATCH", "/v1/me/external_accounts/{account_id}/reauthorize")
def reauthorize_account(em: Instance, ctx: Ctx) -> Any:
    """Ask the provider again (for more scopes): the account keeps its data, its verification restarts."""
    _sess, user = current(em, ctx)
    account = oauth.find_account(user, ctx.params["account_id"])
    for name in ctx.form:
        if name not in ("additional_scope", "redirect_url", "action_complete_redirect_url", "oidc_prompt",
                        "oidc_login_hint"):
            raise ClerkError("form_param_unknown", param=name)
    redirect_url = check_redirect_url(em, ctx.field("redirect_url"), "redirect_url")
    assert redirect_url is not None
    account["verification"] = oauth.start(
        em, owner="external_account", owner_id=account["id"], client_id=ctx.client["id"] if ctx.client else "",
        strategy="oauth_" + account["provider"], redirect_url=redirect_url,
        action_complete_redirect_url=check_redirect_url(em, ctx.field("action_complete_redirect_url"),
                                                        "action_complete_redirect_url", required=False),
        login_hint=account["email_address"] or None, scopes=ctx.form.get("additional_scope", []),
        user_id=user["id"])
    account["updated_at"] = now_ms()
    model.save_user(em.store, user)
    return envelope(em, ctx, model.external_account_json(account))


@router.add(F, "DELETE", "/v1/me/external_accounts/{account_id}")
def delete_account(em: Instance, ctx: Ctx) -> Any:
    _sess, user = current(em, ctx)
    account = oauth.find_account(user, ctx.params["account_id"])
    oauth.unlink(em, user, account)
    model.save_user(em.store, user)
    return envelope(em, ctx, {"object": "external_account", "id": account["id"], "deleted": True})


def _finish_connect(em: Instance, state: dict[str, Any], identity: dict[str, Any] | None,
                    error: dict[str, Any] | None) -> str:
    user = model.load_user(em.store, state["user_id"])
    account = oauth.find_account(user, state["owner_id"])
    target = str(state["redirect_url"])
    if error is not None:
        account["verification"].update(status="failed", error=error)
    elif identity is not None:
        taken = em.store.identifier_owner(oauth.identity_key(identity))
        if taken is not None and taken != user["id"]:
            account["verification"].update(status="failed", error=attempts.error_json(
                "oauth_identification_claimed", "Identification claimed by another user",
                "The email address associated with this OAuth account is already claimed by another user."))
        else:
            fresh = oauth.new_account(identity, account["identification_id"])
            item = next((e for e in user["email_addresses"]
                         if e["email_address"].lower() == identity["email"].lower()), None)
            if item is None and em.store.identifier_owner(identity["email"]) is None:
                item = model.add_email(em.store, user, identity["email"], verified=identity["verified"],
                                       strategy=f"from_{identity['strategy']}")
            if item is not None:
                fresh["identification_id"] = item["id"]
                if not any(link["id"] == account["id"] for link in item.get("linked_to", [])):
                    item.setdefault("linked_to", []).append({"type": identity["strategy"], "id": account["id"]})
            for key in ("provider_user_id", "email_address", "email_address_verified", "first_name", "last_name",
                        "username", "approved_scopes", "identification_id", "verification"):
                account[key] = fresh[key]
            account["updated_at"] = now_ms()
            if taken is None:
                model.claim_identifier(em.store, oauth.identity_key(identity), user["id"], "external_account",
                                       "strategy")
            target = str(state["action_complete_redirect_url"] or target)
    model.save_user(em.store, user)
    return target

