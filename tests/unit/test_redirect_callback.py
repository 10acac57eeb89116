"""clerk.handle_redirect_callback(): every branch of clerk-js's decision table (clerk-auth-flows.md §2.4, clerk-js
6.40.0), with the exact requests it sends, the result it returns and the page it opens."""

from typing import Any

import pytest
from fapi_recorder import PK, Recorder, client_json, envelope, error_body, make_clerk, reply, session_json, user_json
from page_double import FakePage

from clerk_frontend import CallbackResult, Clerk, ClerkAPIError, ClerkRuntimeError, ClerkValidationError

E = dict[str, Any]
# The instance's pages (display_config), on another origin than the app, as on Clerk's Account Portal.
ACCOUNTS_IN = "https://accounts.app.test/sign-in"
ACCOUNTS_UP = "https://accounts.app.test/sign-up"


async def callback_clerk(rec: Recorder, client: E, page: FakePage | None) -> Clerk:
    """A Clerk loaded on the callback page: the environment names the sign-in and sign-up pages."""
    rec.on("GET", "/environment", reply({"display_config": {"sign_in_url": ACCOUNTS_IN, "sign_up_url": ACCOUNTS_UP,
                                                            "after_sign_in_url": "https://accounts.app.test/x"}}))
    rec.on("GET", "/client", reply(envelope(client, client)))
    clerk = make_clerk(rec, page=page)
    await clerk.load()
    return clerk


def si(status: str, ffv: E | None = None, **fields: Any) -> E:
    return {"id": "sia_1", "object": "sign_in_attempt", "status": status, "first_factor_verification": ffv,
            **fields}


def su(status: str, ext: E | None = None, **fields: Any) -> E:
    return {"id": "sua_1", "object": "sign_up_attempt", "status": status,
            "verifications": {"external_account": ext, "email_address": None}, **fields}


def verification(status: str, code: str | None = None, **meta: Any) -> E:
    error = None if code is None else {"code": code, "message": code, "long_message": code,
                                       **({"meta": meta} if meta else {})}
    return {"object": "verification_oauth", "status": status, "strategy": "oauth_google",
            "external_verification_redirect_url": "", "error": error}


def touched(sid: str = "sess_1", **session: Any) -> Any:
    s = session_json(sid, **session)
    return reply(envelope(s, client_json([s], sign_in=None, sign_up=None)))


def assert_touched(rec: Recorder, sid: str = "sess_1") -> None:
    rec.assert_requested("POST", f"/client/sessions/{sid}/touch", form=[("intent", "select_session")])


async def test_a_completed_sign_in_activates_its_session_and_goes_after_sign_in() -> None:
    rec, page = Recorder(), FakePage("https://app.test/sso-callback")
    clerk = await callback_clerk(rec, client_json(sign_in=si("complete", created_session_id="sess_1")), page)
    rec.on("POST", "/client/sessions/sess_1/touch", touched())
    result = await clerk.handle_redirect_callback()
    assert_touched(rec)
    assert result == CallbackResult("complete", "https://app.test/", "sess_1")
    assert page.visited == ["https://app.test/"] and clerk.is_signed_in


async def test_a_pending_session_goes_to_its_task() -> None:
    rec, page = Recorder(), FakePage("https://app.test/sso-callback")
    pending = session_json(status="pending", tasks=[{"key": "choose-organization"}])
    clerk = await callback_clerk(rec, client_json([pending], sign_in=si("complete", created_session_id="sess_1")),
                                 page)
    rec.on("POST", "/client/sessions/sess_1/touch", touched(status="pending", tasks=[{"key": "choose-organization"}]))
    result = await clerk.handle_redirect_callback()
    assert result == CallbackResult("task", f"{ACCOUNTS_IN}#/tasks/choose-organization", "sess_1")
    assert page.visited == [result.url]


@pytest.mark.parametrize(("status", "outcome", "url"), [
    ("needs_first_factor", "factor_one", f"{ACCOUNTS_IN}#/factor-one"),
    ("needs_second_factor", "factor_two", f"{ACCOUNTS_IN}#/factor-two"),
    ("needs_new_password", "reset_password", f"{ACCOUNTS_IN}#/reset-password"),
])
async def test_an_existing_account_met_by_a_sign_up_is_transferred_to_a_sign_in(status: str, outcome: str,
                                                                                url: str) -> None:
    rec, page = Recorder(), FakePage("https://app.test/sso-callback", locale="en")
    up = su("missing_requirements", verification("transferable", "external_account_exists"))
    clerk = await callback_clerk(rec, client_json([], sign_up=up), page)
    answer = si(status, supported_first_factors=[{"strategy": "email_code"}])
    rec.on("POST", "/client/sign_ins", reply(envelope(answer, client_json([], sign_in=answer))))
    result = await clerk.handle_redirect_callback()
    rec.assert_requested("POST", "/client/sign_ins", form=[("transfer", "true"), ("locale", "en")])
    assert result == CallbackResult(outcome, url) and page.visited == [url]  # type: ignore[arg-type]


async def test_a_transfer_to_sign_in_that_completes_activates_the_session() -> None:
    rec, page = Recorder(), FakePage("https://app.test/sso-callback")
    up = su("missing_requirements", verification("transferable", "external_account_exists"))
    clerk = await callback_clerk(rec, client_json([], sign_up=up), page)
    done = si("complete", created_session_id="sess_1")
    rec.on("POST", "/client/sign_ins", reply(envelope(done, client_json(sign_in=None))))
    rec.on("POST", "/client/sessions/sess_1/touch", touched())
    result = await clerk.handle_redirect_callback(sign_in_force_redirect_url="/dashboard")
    assert result == CallbackResult("complete", "https://app.test/dashboard", "sess_1")
    assert_touched(rec)
    rec2 = Recorder()
    clerk2 = await callback_clerk(rec2, client_json([], sign_up=up), FakePage())
    odd = si("needs_identifier")
    rec2.on("POST", "/client/sign_ins", reply(envelope(odd, client_json([], sign_in=odd))))
    with pytest.raises(ClerkRuntimeError, match="needs_identifier"):
        await clerk2.handle_redirect_callback()


async def test_a_new_account_met_by_a_sign_in_is_transferred_to_a_sign_up_that_completes() -> None:
    rec, page = Recorder(), FakePage("https://app.test/sso-callback")
    ffv = verification("transferable", "external_account_not_found")
    clerk = await callback_clerk(rec, client_json([], sign_in=si("needs_identifier", ffv)), page)
    done = su("complete", verification("verified"), created_session_id="sess_1", created_user_id="user_1")
    rec.on("POST", "/client/sign_ups", reply(envelope(done, client_json(sign_up=None))))
    rec.on("POST", "/client/sessions/sess_1/touch", touched())
    result = await clerk.handle_redirect_callback(unsafe_metadata={"source": "google"},
                                                  sign_up_fallback_redirect_url="/welcome")
    rec.assert_requested("POST", "/client/sign_ups", form=[("transfer", "true"),
                                                           ("unsafe_metadata", '{"source":"google"}')])
    assert result == CallbackResult("complete", "https://app.test/welcome", "sess_1")
    assert page.visited == ["https://app.test/welcome"]


@pytest.mark.parametrize(("fields", "outcome", "hash_path"), [
    ({"missing_fields": ["username"]}, "continue_sign_up", "/continue"),
    ({"missing_fields": ["legal_accepted", "phone_number"]}, "continue_sign_up", "/continue"),
    ({"unverified_fields": ["email_address"]}, "verify_email_address", "/verify-email-address"),
    ({"unverified_fields": ["phone_number"]}, "verify_phone_number", "/verify-phone-number"),
    ({"missing_fields": ["enterprise_sso"]}, "enterprise_connections", "/enterprise-connections"),
])
async def test_a_transfer_missing_requirements_goes_to_the_next_sign_up_step(fields: E, outcome: str,
                                                                             hash_path: str) -> None:
    rec, page = Recorder(), FakePage("https://app.test/sso-callback")
    ffv = verification("transferable", "external_account_not_found")
    clerk = await callback_clerk(rec, client_json([], sign_in=si("needs_identifier", ffv)), page)
    pending = su("missing_requirements", verification("verified"), **fields)
    rec.on("POST", "/client/sign_ups", reply(envelope(pending, client_json([], sign_up=pending))))
    result = await clerk.handle_redirect_callback()
    assert result == CallbackResult(outcome, f"{ACCOUNTS_UP}#{hash_path}")  # type: ignore[arg-type]
    assert page.visited == [result.url] and rec.count == 3


async def test_transferable_false_goes_back_to_sign_in_without_a_request() -> None:
    rec, page = Recorder(), FakePage("https://app.test/sso-callback")
    ffv = verification("transferable", "external_account_not_found")
    clerk = await callback_clerk(rec, client_json([], sign_in=si("needs_identifier", ffv)), page)
    result = await clerk.handle_redirect_callback(transferable=False)
    assert result.outcome == "sign_in" and result.url == ACCOUNTS_IN and rec.count == 2
    assert result.error is not None and result.error.code == "external_account_not_found"


@pytest.mark.parametrize(("where", "outcome", "url"), [("sign_up", "sign_up", ACCOUNTS_UP),
                                                       ("sign_in", "sign_in", ACCOUNTS_IN)])
async def test_a_locked_user_goes_back_to_the_form_with_the_error(where: str, outcome: str, url: str) -> None:
    rec = Recorder()
    locked = verification("failed", "user_locked", lockout_expires_in_seconds=1800)
    # The sign-in beside it also needs a first factor: the lock is checked first.
    factors = {"supported_first_factors": [{"strategy": "email_code"}]}
    client = (client_json([], sign_up=su("missing_requirements", locked), sign_in=si("needs_first_factor", **factors))
              if where == "sign_up" else client_json([], sign_in=si("needs_first_factor", locked, **factors)))
    clerk = await callback_clerk(rec, client, FakePage())
    result = await clerk.handle_redirect_callback()
    assert result.outcome == outcome and result.url == url and rec.count == 2
    assert result.error == ClerkAPIError("user_locked", "user_locked", "user_locked",
                                         {"lockout_expires_in_seconds": 1800})


async def test_an_unverified_provider_email_needs_a_first_factor_unless_only_sso_is_offered() -> None:
    rec = Recorder()
    factors = [{"strategy": "email_code", "email_address_id": "idn_1"}]
    clerk = await callback_clerk(rec, client_json([], sign_in=si("needs_first_factor", verification("verified"),
                                                                 supported_first_factors=factors)), FakePage())
    assert await clerk.handle_redirect_callback() == CallbackResult("factor_one", f"{ACCOUNTS_IN}#/factor-one")
    sso_only = si("needs_first_factor", None, supported_first_factors=[{"strategy": "enterprise_sso"}])
    clerk2 = await callback_clerk(Recorder(), client_json([], sign_in=sso_only), FakePage())
    assert (await clerk2.handle_redirect_callback()).outcome == "sign_in"
    several = [{"strategy": "enterprise_sso", "enterprise_connection_id": f"ent_{i}",
                "enterprise_connection_name": f"Corp {i}"} for i in (1, 2)]
    choose = si("needs_first_factor", None, supported_first_factors=several)
    clerk3 = await callback_clerk(Recorder(), client_json([], sign_in=choose), FakePage())
    assert (await clerk3.handle_redirect_callback()).outcome == "factor_one"


async def test_second_factor_and_new_password_hand_over_to_their_steps() -> None:
    clerk = await callback_clerk(Recorder(), client_json([], sign_in=si("needs_second_factor",
                                                                        verification("verified"))), FakePage())
    assert await clerk.handle_redirect_callback(second_factor_url="/mfa") == CallbackResult(
        "factor_two", "https://app.test/mfa")
    clerk2 = await callback_clerk(Recorder(), client_json([], sign_in=si("needs_new_password")), FakePage())
    assert (await clerk2.handle_redirect_callback()).url == f"{ACCOUNTS_IN}#/reset-password"


async def test_a_completed_sign_up_activates_its_session_and_goes_after_sign_up() -> None:
    rec, page = Recorder(), FakePage("https://app.test/sso-callback")
    done = su("complete", verification("verified"), created_session_id="sess_1")
    clerk = await callback_clerk(rec, client_json(sign_up=done), page)
    rec.on("POST", "/client/sessions/sess_1/touch", touched())
    result = await clerk.handle_redirect_callback(sign_up_force_redirect_url="https://app.test/onboarding",
                                                  sign_up_fallback_redirect_url="/ignored")
    assert result == CallbackResult("complete", "https://app.test/onboarding", "sess_1")
    assert_touched(rec)


@pytest.mark.parametrize(("where", "status"), [("sign_up", "failed"), ("sign_up", "unverified"),
                                               ("sign_in", "failed")])
async def test_an_identifier_already_signed_in_selects_that_session(where: str, status: str) -> None:
    rec, page = Recorder(), FakePage("https://app.test/sso-callback")
    signed_in = verification(status, "identifier_already_signed_in", session_id="sess_2")
    other = session_json("sess_2", user_json("user_2"))
    sessions = [session_json(), other]
    client = (client_json(sessions, sign_up=su("missing_requirements", signed_in)) if where == "sign_up" else
              client_json(sessions, sign_in=si("needs_identifier", signed_in)))
    clerk = await callback_clerk(rec, client, page)
    assert clerk.session is not None and clerk.session.id == "sess_1"
    rec.on("POST", "/client/sessions/sess_2/touch", reply(envelope(other, client_json(sessions))))
    result = await clerk.handle_redirect_callback()
    assert_touched(rec, "sess_2")
    assert result == CallbackResult("complete", "https://app.test/", "sess_2")
    assert clerk.session is not None and clerk.session.id == "sess_2"


@pytest.mark.parametrize("code", ["external_account_not_found", "oauth_access_denied", "not_allowed_to_sign_up",
                                  "sign_up_mode_restricted"])
async def test_an_external_account_error_goes_to_the_sign_up_page_with_it(code: str) -> None:
    rec, page = Recorder(), FakePage()
    clerk = await callback_clerk(rec, client_json([], sign_up=su("missing_requirements",
                                                                 verification("failed", code))), page)
    result = await clerk.handle_redirect_callback(sign_up_url="/register")
    assert result.outcome == "sign_up" and result.url == "https://app.test/register"
    assert result.error is not None and result.error.code == code and page.visited == [result.url]


async def test_a_verified_account_with_missing_fields_continues_the_sign_up() -> None:
    pending = su("missing_requirements", verification("verified"), missing_fields=["username"])
    clerk = await callback_clerk(Recorder(), client_json([], sign_up=pending), FakePage())
    assert await clerk.handle_redirect_callback(continue_sign_up_url="/username") == CallbackResult(
        "continue_sign_up", "https://app.test/username")


async def test_nothing_to_finish_goes_to_sign_in_or_to_the_current_sessions_task() -> None:
    rec, page = Recorder(), FakePage()
    clerk = await callback_clerk(rec, client_json([]), page)
    assert await clerk.handle_redirect_callback() == CallbackResult("sign_in", ACCOUNTS_IN)
    pending = session_json(status="pending", tasks=[{"key": "setup-mfa"}])
    clerk2 = await callback_clerk(Recorder(), client_json([pending], last_active_session_id="sess_1"), FakePage())
    assert await clerk2.handle_redirect_callback() == CallbackResult("task", f"{ACCOUNTS_IN}#/tasks/setup-mfa",
                                                                     "sess_1")


async def test_intent_reloads_the_attempt_first_and_its_failure_is_ignored() -> None:
    rec, page = Recorder(), FakePage("https://app.test/sso-callback?intent=signIn")
    clerk = await callback_clerk(rec, client_json([], sign_in=si("needs_identifier")), page)
    done = si("complete", created_session_id="sess_1")
    rec.on("GET", "/client/sign_ins/sia_1", reply(envelope(done, client_json(sign_in=None))))
    rec.on("POST", "/client/sessions/sess_1/touch", touched())
    result = await clerk.handle_redirect_callback()
    rec.assert_requested("GET", "/client/sign_ins/sia_1")
    assert result.outcome == "complete" and rec.count == 4
    rec2 = Recorder()
    clerk2 = await callback_clerk(rec2, client_json([], sign_up=su("missing_requirements")), FakePage())
    rec2.on("GET", "/client/sign_ups/sua_1", reply(error_body("resource_not_found"), 404))
    result2 = await clerk2.handle_redirect_callback(reload_resource="sign_up")
    rec2.assert_requested("GET", "/client/sign_ups/sua_1")
    assert result2.outcome == "sign_in"
    with pytest.raises(ClerkValidationError, match="reload_resource"):
        await clerk2.handle_redirect_callback(reload_resource="signIn")  # type: ignore[arg-type]


async def test_navigation_off_or_routed_and_outside_a_browser() -> None:
    page = FakePage()
    clerk = await callback_clerk(Recorder(), client_json([]), page)
    assert (await clerk.handle_redirect_callback(navigate=False)).url == ACCOUNTS_IN and page.visited == []
    routed: list[str] = []
    await clerk.handle_redirect_callback(navigate=routed.append)
    assert routed == [ACCOUNTS_IN] and page.visited == []
    rec = Recorder()
    bare = await callback_clerk(rec, client_json(sign_in=si("complete", created_session_id="sess_1")), None)
    rec.on("POST", "/client/sessions/sess_1/touch", touched())
    assert await bare.handle_redirect_callback() == CallbackResult("complete", "/", "sess_1")


async def test_it_needs_a_loaded_clerk() -> None:
    rec = Recorder()
    clerk = Clerk(PK, transport=rec.transport, storage={}, page=FakePage())
    with pytest.raises(ClerkRuntimeError, match="load") as info:
        await clerk.handle_redirect_callback()
    assert info.value.code == "not_loaded" and rec.count == 0


async def test_a_protect_check_is_done_first_for_the_intended_resource() -> None:
    clerk = await callback_clerk(Recorder(), client_json([], sign_in=si("needs_protect_check")), FakePage())
    assert await clerk.handle_redirect_callback() == CallbackResult("protect_check", f"{ACCOUNTS_IN}#/protect-check")
    gated = su("missing_requirements", verification("unverified"), protect_check={"status": "pending"})
    rec = Recorder()
    clerk2 = await callback_clerk(rec, client_json([], sign_up=gated), FakePage())
    rec.on("GET", "/client/sign_ups/sua_1", reply(envelope(gated, client_json([], sign_up=gated))))
    assert await clerk2.handle_redirect_callback(reload_resource="sign_up") == CallbackResult(
        "protect_check", f"{ACCOUNTS_UP}#/protect-check")
    # A stale sign-in gate does not hijack a sign-up callback.
    stale = client_json([], sign_in=si("needs_protect_check"), sign_up=su("missing_requirements",
                                                                         verification("verified"),
                                                                         missing_fields=["username"]))
    rec3 = Recorder()
    clerk3 = await callback_clerk(rec3, stale, FakePage())
    rec3.on("GET", "/client/sign_ups/sua_1", reply(envelope(stale["sign_up"], stale)))
    assert (await clerk3.handle_redirect_callback(reload_resource="sign_up")).outcome == "continue_sign_up"
