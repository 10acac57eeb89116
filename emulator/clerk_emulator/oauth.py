"""OAuth and enterprise SSO by redirect, shared by sign-in, sign-up and connected accounts.

A flow starts with :func:`start`, which records a *state* and returns the ``verification_oauth`` (or
``verification_saml``) object whose ``external_verification_redirect_url`` is the fake provider's authorize page
on the instance's own origin (``idp.py``). The provider sends the browser to ``/v1/oauth_callback`` with a code
(or ``error=access_denied``); the callback (``fapi/oauth.py``) reads the identity the user entered there and
hands it to the owner of the state. Account linking follows Clerk's rule: a provider-verified email equal to a
user's verified email links to that user; otherwise the attempt is transferred.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from . import attempts, model
from .errors import ClerkError
from .http import Ctx
from .redirects import check_redirect_url
from .settings import provider_name
from .store import new_id, now_ms

if TYPE_CHECKING:
    from .context import Instance

STATE_LIFETIME_MS = 10 * 60 * 1000
ENTERPRISE = "enterprise_sso"
# Scopes a provider reports as granted, as Google's and GitHub's real ones read.
DEFAULT_SCOPES = {"google": "email https://www.googleapis.com/auth/userinfo.email "
                            "https://www.googleapis.com/auth/userinfo.profile openid profile",
                  "github": "read:user user:email"}


def provider_of(strategy: str) -> str:
    """``oauth_google`` → ``google``."""
    return strategy.removeprefix("oauth_")


def check_strategy(em: Instance, strategy: str) -> None:
    """Refuse an ``oauth_*`` strategy the instance has not enabled (Clerk's ``oauth_provider_not_enabled``)."""
    if strategy not in em.settings.social():
        raise ClerkError("oauth_provider_not_enabled", param="strategy",
                         fill={"providerTitle": provider_name(strategy)})


def connection(em: Instance, *, email: str | None, connection_id: str | None) -> dict[str, Any]:
    """The enterprise connection for ``connection_id``, or the one whose domain matches ``email``."""
    found = None
    if connection_id:
        found = next((c for c in em.settings.connections() if c["id"] == connection_id), None)
    elif email:
        found = em.settings.connection_for_email(email)
    elif len(em.settings.connections()) == 1:
        found = em.settings.connections()[0]
    if found is None:
        raise ClerkError("form_param_value_invalid", param="identifier" if email else "enterprise_connection_id",
                         long_suffix=". No enterprise SSO connection matches it.")
    return found


def start(em: Instance, *, owner: str, owner_id: str, client_id: str, strategy: str, redirect_url: str,
          action_complete_redirect_url: str | None, login_hint: str | None = None,
          connection_id: str | None = None, scopes: list[str] | None = None,
          user_id: str | None = None) -> dict[str, Any]:
    """Record a state for ``owner`` (``sign_in`` | ``sign_up`` | ``external_account``) and return the
    unverified verification pointing at the provider's authorize page."""
    state = "".join(secrets.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(40))
    provider = "enterprise" if strategy == ENTERPRISE else provider_of(strategy)
    doc = {"id": state, "created_at": now_ms(), "expire_at": now_ms() + STATE_LIFETIME_MS, "owner": owner,
           "owner_id": owner_id, "client_id": client_id, "strategy": strategy, "connection_id": connection_id,
           "redirect_url": redirect_url, "action_complete_redirect_url": action_complete_redirect_url,
           "scopes": scopes or [], "user_id": user_id, "used": False, "code": None, "identity": None}
    em.store.put_record("oauth_states", doc)
    query = {"client_id": f"clerk-local-{provider}", "redirect_uri": em.fapi_url + "/v1/oauth_callback",
             "response_type": "code", "scope": " ".join(["openid", "email", "profile", *(scopes or [])]),
             "state": state}
    if login_hint:
        query["login_hint"] = login_hint
    url = f"{em.fapi_url}/__emulator/idp/{provider}/authorize?{urlencode(query)}"
    kind = "verification_saml" if strategy == ENTERPRISE else "verification_oauth"
    return attempts.redirect_verification(kind, strategy, url)


def begin(em: Instance, ctx: Ctx, *, owner: str, owner_id: str, client_id: str, strategy: str,
          email: str | None) -> dict[str, Any]:
    """:func:`start` from a request's fields: checks ``redirect_url`` and ``action_complete_redirect_url``, the
    strategy (or, for enterprise SSO, finds the connection from ``enterprise_connection_id`` or ``email``)."""
    redirect_url = check_redirect_url(em, ctx.field("redirect_url"), "redirect_url")
    complete_url = check_redirect_url(em, ctx.field("action_complete_redirect_url"), "action_complete_redirect_url",
                                      required=False)
    assert redirect_url is not None
    connection_id = None
    if strategy == ENTERPRISE:
        connection_id = connection(em, email=email, connection_id=ctx.field("enterprise_connection_id"))["id"]
    else:
        check_strategy(em, strategy)
    return start(em, owner=owner, owner_id=owner_id, client_id=client_id, strategy=strategy,
                 redirect_url=redirect_url, action_complete_redirect_url=complete_url,
                 login_hint=ctx.field("oidc_login_hint") or email, connection_id=connection_id)


def provider_user_id(provider: str, email: str) -> str:
    """The provider's stable id for an account (one per provider and email)."""
    return hashlib.sha256(f"{provider}:{email.lower()}".encode()).hexdigest()[:21]


def identity_key(identity: dict[str, Any]) -> str:
    """The identifier under which a linked account is found again (``oauth_google:<provider user id>``)."""
    return f"{identity['strategy']}:{identity['provider_user_id']}"


def find_user(em: Instance, identity: dict[str, Any]) -> tuple[dict[str, Any] | None, bool]:
    """``(user, linked)``: the user already linked to this identity, else — when the provider verified its
    email (identity providers of enterprise connections always do) — the user whose verified email equals it
    (``linked`` False), else ``(None, False)``."""
    owner = em.store.identifier_owner(identity_key(identity))
    if owner is not None:
        return model.load_user(em.store, owner), True
    by_email = em.store.identifier_owner(identity["email"])
    if by_email is None or not (identity["verified"] or identity["strategy"] == ENTERPRISE):
        return None, False
    user = model.load_user(em.store, by_email)
    item = next((e for e in user["email_addresses"] if e["email_address"].lower() == identity["email"].lower()),
                None)
    verified = item is not None and (item["verification"] or {}).get("status") == "verified"
    return (user, False) if verified else (None, False)


def email_owner_unverified(em: Instance, identity: dict[str, Any]) -> dict[str, Any] | None:
    """A user holding the identity's email, whatever its verification (for the unverified-email rule)."""
    owner = em.store.identifier_owner(identity["email"])
    return model.load_user(em.store, owner) if owner is not None else None


def link(em: Instance, user: dict[str, Any], identity: dict[str, Any]) -> dict[str, Any]:
    """Attach the identity to ``user`` as an external account (enterprise identities are not listed as
    OAuth accounts) and mark the matching email as linked. The caller saves the user."""
    item = next((e for e in user["email_addresses"] if e["email_address"].lower() == identity["email"].lower()),
                None)
    if item is None:
        item = model.add_email(em.store, user, identity["email"], verified=True,
                               strategy=f"from_{identity['strategy']}" if identity["strategy"] != ENTERPRISE
                               else "from_enterprise_sso")
    elif (item["verification"] or {}).get("status") != "verified":
        item["verification"] = model.verification("verified", f"from_{identity['strategy']}")
        if user["primary_email_address_id"] is None:
            user["primary_email_address_id"] = item["id"]
    if identity["strategy"] == ENTERPRISE:
        return item
    account = new_account(identity, item["id"])
    item.setdefault("linked_to", []).append({"type": identity["strategy"], "id": account["id"]})
    user.setdefault("external_accounts", []).append(account)
    model.claim_identifier(em.store, identity_key(identity), user["id"], "external_account", "strategy")
    return item


def find_account(user: dict[str, Any], account_id: str) -> dict[str, Any]:
    """The user's external account with this id, else 404 ``external_account_not_found``."""
    for account in user.get("external_accounts", []):
        if account["id"] == account_id:
            found: dict[str, Any] = account
            return found
    raise ClerkError("external_account_not_found")


def unlink(em: Instance, user: dict[str, Any], account: dict[str, Any]) -> None:
    """Remove an external account from the user: its provider identity is released and its email address stays,
    no longer linked to it. The caller saves the user."""
    user["external_accounts"].remove(account)
    if account["provider_user_id"]:
        em.store.drop_identifier(f"oauth_{account['provider']}:{account['provider_user_id']}")
    for item in user["email_addresses"]:
        item["linked_to"] = [link for link in item.get("linked_to", []) if link["id"] != account["id"]]


def new_account(identity: dict[str, Any], identification_id: str) -> dict[str, Any]:
    ts = now_ms()
    provider = provider_of(identity["strategy"])
    first, _, last = (identity.get("name") or "").partition(" ")
    return {
        "id": new_id("eac"), "provider": provider, "identification_id": identification_id,
        "provider_user_id": identity["provider_user_id"], "email_address": identity["email"],
        "email_address_verified": identity["verified"], "first_name": first, "last_name": last,
        "username": identity["email"].split("@")[0], "image_url": None,
        "approved_scopes": " ".join([DEFAULT_SCOPES.get(provider, "openid email profile"), *identity["scopes"]]),
        "verification": attempts.redirect_verification("verification_oauth", identity["strategy"], None,
                                                       status="verified"),
        "created_at": ts, "updated_at": ts,
    }


def access_denied(strategy: str) -> dict[str, Any]:
    """The error a verification carries when the user cancelled on the provider's page."""
    name = "your enterprise identity provider" if strategy == ENTERPRISE else provider_name(strategy)
    return attempts.error_json("oauth_access_denied", "", f"You did not grant access to your {name} account")
