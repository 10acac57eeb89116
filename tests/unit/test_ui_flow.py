"""The step machines of SignIn and SignUp (pure Python): which screen each attempt status, factor list and user
choice leads to."""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

import pytest

from clerk_frontend.ui import _flow as flow
from clerk_frontend.ui._flow import Step, sign_in_step, sign_up_step

EMAIL = {"strategy": "email_code", "safe_identifier": "a***@example.com", "email_address_id": "idn_1"}
LINK = {"strategy": "email_link", "safe_identifier": "a***@example.com", "email_address_id": "idn_1"}
PASSWORD = {"strategy": "password"}
RESET = {"strategy": "reset_password_email_code", "email_address_id": "idn_1"}
PHONE = {"strategy": "phone_code", "safe_identifier": "+1***0100", "phone_number_id": "idn_2"}
FIRST = [PASSWORD, EMAIL, LINK, RESET]


def test_fresh_and_unknown_statuses_start() -> None:
    for status in (None, "needs_identifier", "abandoned", "something_new"):
        assert sign_in_step(status, None, None) == Step(flow.START)


def test_first_factor_follows_the_preferred_strategy() -> None:
    assert sign_in_step("needs_first_factor", FIRST, None) == Step(flow.PASSWORD, "password")
    assert sign_in_step("needs_first_factor", FIRST, None, preferred="otp") == Step(flow.CODE, "email_code")
    assert sign_in_step("needs_first_factor", [LINK, RESET], None) == Step(flow.EMAIL_LINK, "email_link")
    assert sign_in_step("needs_first_factor", [PHONE], None) == Step(flow.CODE, "phone_code")
    sso = [{"strategy": "enterprise_sso", "enterprise_connection_id": "ec_1"}]
    assert sign_in_step("needs_first_factor", sso + FIRST, None) == Step(flow.ENTERPRISE_SSO, "enterprise_sso")
    assert sign_in_step("needs_first_factor", [RESET], None) == Step(flow.NO_METHODS)
    assert sign_in_step("needs_first_factor", [], None) == Step(flow.NO_METHODS)
    assert sign_in_step("needs_first_factor", [{"strategy": "passkey"}], None) == Step(flow.PASSKEY, "passkey")


def test_choices_and_pages() -> None:
    assert sign_in_step("needs_first_factor", FIRST, None, choice="email_link") == Step(flow.EMAIL_LINK, "email_link")
    # A strategy the sign-in does not offer is ignored.
    assert sign_in_step("needs_first_factor", FIRST, None, choice="phone_code") == Step(flow.PASSWORD, "password")
    assert sign_in_step("needs_first_factor", FIRST, None, page="alternatives") == Step(flow.ALTERNATIVES)
    assert sign_in_step("needs_first_factor", FIRST, None, page="forgot_password") == Step(flow.FORGOT_PASSWORD)
    assert sign_in_step("needs_first_factor", FIRST, None, choice="reset_password_email_code") == Step(
        flow.RESET_CODE, "reset_password_email_code")
    # A reset code already sent stays on its screen (e.g. after a page load on #/factor-one).
    assert sign_in_step("needs_first_factor", FIRST, None, verifying="reset_password_email_code") == Step(
        flow.RESET_CODE, "reset_password_email_code")
    assert sign_in_step("needs_new_password", FIRST, None) == Step(flow.NEW_PASSWORD)
    assert sign_in_step("complete", None, None) == Step(flow.COMPLETE)


def test_second_factor_and_client_trust() -> None:
    second: list[dict[str, Any]] = [{"strategy": "backup_code"}, {"strategy": "phone_code", "default": False},
                                    {"strategy": "totp"}]
    assert sign_in_step("needs_second_factor", None, second) == Step(flow.SECOND_FACTOR, "totp")
    marked: list[dict[str, Any]] = [{"strategy": "totp"}, {"strategy": "phone_code", "default": True}]
    assert sign_in_step("needs_second_factor", None, marked) == Step(flow.SECOND_FACTOR, "phone_code")
    assert sign_in_step("needs_second_factor", None, second, choice="backup_code") == Step(
        flow.SECOND_FACTOR, "backup_code")
    assert sign_in_step("needs_second_factor", None, second, page="alternatives") == Step(flow.SECOND_ALTERNATIVES)
    assert sign_in_step("needs_second_factor", None, []) == Step(flow.NO_METHODS)
    trust: list[dict[str, Any]] = [{"strategy": "email_code", "email_address_id": "idn_1"}, {"strategy": "phone_code"}]
    assert sign_in_step("needs_client_trust", None, trust) == Step(flow.CLIENT_TRUST, "email_code")
    assert sign_in_step("needs_client_trust", None, trust, choice="phone_code") == Step(
        flow.CLIENT_TRUST, "phone_code")
    assert sign_in_step("needs_client_trust", None, [{"strategy": "totp"}]) == Step(flow.NO_METHODS)
    assert flow.second_factor_choices(second, "totp") == ["phone_code", "backup_code"]


def test_passkey_second_factor() -> None:
    # clerk-js 6.40.0's passkey second factor: after TOTP and phone codes, before email and backup codes.
    only: list[dict[str, Any]] = [{"strategy": "passkey"}]
    assert sign_in_step("needs_second_factor", None, only) == Step(flow.SECOND_FACTOR, "passkey")
    listed: list[dict[str, Any]] = [{"strategy": "backup_code"}, {"strategy": "email_code"}, {"strategy": "passkey"}]
    assert sign_in_step("needs_second_factor", None, listed) == Step(flow.SECOND_FACTOR, "passkey")
    assert sign_in_step("needs_second_factor", None, [{"strategy": "totp"}, *listed]) == Step(
        flow.SECOND_FACTOR, "totp")
    assert flow.second_factor_choices([{"strategy": "totp"}, *listed], "totp") == [
        "email_code", "passkey", "backup_code"]
    assert flow.second_factor_choices(only, "passkey") == []


def test_another_method_lists_one_button_per_strategy_without_the_current_one_or_resets() -> None:
    doubled = [PASSWORD, EMAIL, dict(EMAIL, email_address_id="idn_3"), LINK, RESET, {"strategy": "oauth_google"}]
    listed = flow.alternative_first_factors(doubled, "password")
    assert [f["strategy"] for f in listed] == ["email_link", "email_code"]
    assert listed[1]["email_address_id"] == "idn_1"  # the first one the sign-in lists
    assert [f["strategy"] for f in flow.alternative_first_factors(doubled, None, ("password",))] == ["password"]


def test_sign_up_steps() -> None:
    assert sign_up_step(None, [], []) == Step(flow.START)
    assert sign_up_step("abandoned", [], []) == Step(flow.START)
    assert sign_up_step("missing_requirements", ["username"], ["email_address"]) == Step(
        flow.VERIFY_EMAIL, "email_code")
    assert sign_up_step("missing_requirements", [], ["email_address"], ("email_link",)) == Step(
        flow.VERIFY_EMAIL, "email_link")
    assert sign_up_step("missing_requirements", [], ["email_address"], ("email_code", "email_link"),
                        choice="email_link") == Step(flow.VERIFY_EMAIL, "email_link")
    assert sign_up_step("missing_requirements", [], ["phone_number"]) == Step(flow.VERIFY_PHONE, "phone_code")
    assert sign_up_step("missing_requirements", ["username", "password"], []) == Step(flow.CONTINUE)
    assert sign_up_step("complete", [], []) == Step(flow.COMPLETE)


class _Anything(types.ModuleType):
    """A stand-in for the browser's modules: every attribute exists (the DOM is never touched here)."""

    def __getattr__(self, name: str) -> object:
        return None


def test_identifier_field_last_used_as_clerk_js(monkeypatch: pytest.MonkeyPatch) -> None:
    # sign_in imports the browser's modules: stand-ins do (only its pure helper is called), dropped afterwards.
    for name in ("js", "pyodide", "pyodide.ffi"):
        monkeypatch.setitem(sys.modules, name, _Anything(name))
    before = set(sys.modules)
    try:
        last_used = importlib.import_module("clerk_frontend.ui.sign_in")._last_used
    finally:
        for name in set(sys.modules) - before:
            del sys.modules[name]
    email, both = ("email_address",), ("email_address", "username")
    for strategy in ("email_address", "email_code", "email_link", "password"):
        assert last_used(email, strategy) and last_used(both, strategy), strategy
    assert last_used(both, "username") and not last_used(email, "username")
    assert last_used(("username",), "password") and not last_used(("username",), "email_code")
    assert last_used(("phone_number",), "phone_code") and last_used(("phone_number",), "password")
    assert not last_used(("phone_number",), "email_code") and not last_used(email, "phone_code")
    for other in (None, "oauth_google", "passkey", "ticket", "saml_okta", "web3_metamask_signature"):
        assert not last_used(both, other) and not last_used(("phone_number",), other), other
