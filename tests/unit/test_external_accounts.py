"""Connected accounts (issue 10 §3): create_external_account, reauthorize, destroy; typed fields that read both
recorded shapes (``google_account``/``google`` and ``external_account``/``oauth_google``)."""

from typing import Any

import pytest
from fapi_recorder import Recorder, client_json, envelope, loaded, reply, session_json, user_json
from page_double import FakePage

from clerk_frontend import ClerkState, ClerkValidationError, ExternalAccount

PROVIDER = "http://127.0.0.1:8790/oauth/authorize?state=st_2"
NEW_SHAPE = {"id": "eac_1", "object": "google_account", "provider": "google", "provider_user_id": "g-123",
             "email_address": "ada@gmail.com", "approved_scopes": "email openid profile", "first_name": "Ada",
             "identification_id": "idn_9", "label": None, "public_metadata": {},
             "verification": {"object": "verification_oauth", "status": "verified", "strategy": "oauth_google",
                              "external_verification_redirect_url": None, "error": None, "expire_at": 1},
             "created_at": 1_000, "updated_at": 1_000}
OLD_SHAPE = {"id": "eac_2", "object": "external_account", "provider": "oauth_github", "provider_user_id": "77",
             "email_address": "ada@github.test", "approved_scopes": "read:user", "verification": None,
             "updated_at": 1_000}


def with_accounts(*accounts: dict[str, Any], updated_at: int = 1_000) -> dict[str, Any]:
    return client_json([session_json(user=user_json(external_accounts=list(accounts), updated_at=updated_at))])


async def test_both_recorded_shapes_are_read_as_one_typed_account() -> None:
    rec = Recorder()
    clerk = await loaded(rec, with_accounts(NEW_SHAPE, OLD_SHAPE))
    google, github = clerk.user.external_accounts  # type: ignore[union-attr]
    assert isinstance(google, ExternalAccount) and google.provider == "google" and google.strategy == "oauth_google"
    assert google.provider_user_id == "g-123" and google.email_address == "ada@gmail.com"
    assert google.scopes == ["email", "openid", "profile"] and google.identification_id == "idn_9"
    assert google.verification is not None and google.verification.status == "verified"
    assert google.created_at is not None and google.created_at.timestamp() == 1.0
    assert github.provider == "github" and github.strategy == "oauth_github" and github.verification is None
    assert github.raw is not None and github.raw.provider == "oauth_github"
    # The same JSON again changes nothing: the provider's normal form is not a change.
    seen: list[ClerkState] = []
    clerk.add_listener(seen.append, skip_initial=True)
    rec.on("GET", "/me", reply(envelope(with_accounts(NEW_SHAPE, OLD_SHAPE)["sessions"][0]["user"],
                                        with_accounts(NEW_SHAPE, OLD_SHAPE))))
    await clerk.user.reload()  # type: ignore[union-attr]
    assert seen == [] and clerk.user.external_accounts[0] is google  # type: ignore[union-attr]


async def test_create_external_account_sends_clerk_js_request_and_returns_the_unverified_account() -> None:
    rec = Recorder()
    clerk = await loaded(rec, with_accounts(NEW_SHAPE), page=FakePage("https://app.test/account"))
    user = clerk.user
    assert user is not None
    pending = {**OLD_SHAPE, "id": "eac_3", "object": "github_account", "provider": "github",
               "verification": {"object": "verification_oauth", "status": "unverified", "strategy": "oauth_github",
                                "external_verification_redirect_url": PROVIDER, "expire_at": 2}}
    newer = with_accounts(NEW_SHAPE, pending, updated_at=2_000)
    rec.on("POST", "/me/external_accounts", reply(envelope(pending, newer)))
    account = await user.create_external_account(strategy="oauth_github", redirect_url="/account",
                                                 additional_scopes=["repo"], oidc_login_hint="ada@example.com")
    rec.assert_requested("POST", "/me/external_accounts", form=[
        ("strategy", "oauth_github"), ("redirect_url", "https://app.test/account"), ("additional_scope", "repo"),
        ("oidc_login_hint", "ada@example.com")], params={"_clerk_session_id": "sess_1"})
    assert account.provider == "github" and account.verification is not None
    assert account.verification.status == "unverified"
    assert account.verification.external_verification_redirect_url == PROVIDER
    assert user.external_accounts[1] is account  # the user's list holds the very same object
    assert await clerk.navigate(PROVIDER) == PROVIDER
    assert clerk.page.visited == [PROVIDER]  # type: ignore[union-attr]


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"strategy": "google"}, "strategy"),
    ({"strategy": "oauth_token_google"}, "strategy"),
    ({"strategy": "saml"}, "strategy"),
    ({"additional_scopes": "repo"}, "additional_scopes"),
    ({"additional_scopes": ["repo", 3]}, "additional_scopes"),
    ({"redirect_url": "/relative"}, "relative"),
    ({"redirect_url": "data:text/html,x"}, "redirect_url"),
    ({"enterprise_connection_id": 5}, "enterprise_connection_id"),
])
async def test_create_external_account_checks_before_any_request(kwargs: dict[str, Any], match: str) -> None:
    rec = Recorder()
    clerk = await loaded(rec, with_accounts())
    args = {"strategy": "oauth_google", "redirect_url": "https://app.test/account", **kwargs}
    with pytest.raises(ClerkValidationError, match=match):
        await clerk.user.create_external_account(**args)  # type: ignore[union-attr]
    assert rec.count == 2


async def test_reauthorize_asks_for_more_scopes_and_destroy_disconnects() -> None:
    rec = Recorder()
    clerk = await loaded(rec, with_accounts(NEW_SHAPE))
    google = clerk.user.external_accounts[0]  # type: ignore[union-attr]
    asking = {**NEW_SHAPE, "updated_at": 2_000,
              "verification": {"status": "unverified", "strategy": "oauth_google",
                               "external_verification_redirect_url": PROVIDER}}
    rec.on("PATCH", "/me/external_accounts/eac_1/reauthorize", reply(envelope(asking, with_accounts(asking,
                                                                                                    updated_at=2_000))))
    assert await google.reauthorize(redirect_url="https://app.test/account", oidc_prompt="consent",
                                    additional_scopes=["https://www.googleapis.com/auth/drive"]) is google
    rec.assert_requested("PATCH", "/me/external_accounts/eac_1/reauthorize", form=[
        ("additional_scope", "https://www.googleapis.com/auth/drive"), ("redirect_url", "https://app.test/account"),
        ("oidc_prompt", "consent")], params={"_method": "PATCH", "_clerk_session_id": "sess_1"})
    assert google.verification is not None and google.verification.external_verification_redirect_url == PROVIDER
    with pytest.raises(ClerkValidationError):
        await google.reauthorize(redirect_url="https://app.test/", additional_scopes="drive")  # type: ignore[arg-type]
    rec.on("DELETE", "/me/external_accounts/eac_1",
           reply(envelope({"object": "google_account", "id": "eac_1", "deleted": True},
                          with_accounts(updated_at=3_000))))
    await google.destroy()
    rec.assert_requested("DELETE", "/me/external_accounts/eac_1", form=[])
    assert clerk.user.external_accounts == []  # type: ignore[union-attr]
