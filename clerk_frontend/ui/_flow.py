"""The step machines of SignIn and SignUp (pure): the screen an attempt needs from its status, its factors and the
user's choices. A new factor is one branch here and one screen in the component."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

__all__ = [
    "Step",
    "alternative_first_factors",
    "second_factor_choices",
    "sign_in_step",
    "sign_up_step",
    "starting_first_factor",
    "starting_second_factor",
]

# Step names. SignIn:
START = "start"
PASSWORD = "password"
CODE = "code"                      # email_code / phone_code first factor
EMAIL_LINK = "email_link"          # waiting for the link
PASSKEY = "passkey"
ENTERPRISE_SSO = "enterprise_sso"  # the identifier's domain has a connection: off to its identity provider
ALTERNATIVES = "alternatives"      # "Use another method"
FORGOT_PASSWORD = "forgot_password"
RESET_CODE = "reset_code"          # reset_password_email_code / reset_password_phone_code
NEW_PASSWORD = "new_password"
SECOND_FACTOR = "second_factor"    # totp / backup_code / phone_code / email_code / passkey
SECOND_ALTERNATIVES = "second_alternatives"
CLIENT_TRUST = "client_trust"      # a new device proves an email or phone code after the password
NO_METHODS = "no_methods"
COMPLETE = "complete"
# SignUp:
CONTINUE = "continue"              # missing fields
VERIFY_EMAIL = "verify_email"      # strategy email_code or email_link
VERIFY_PHONE = "verify_phone"

# Factors a user may pick on "Use another method", in clerk-js's order.
_FIRST_ORDER = ("passkey", "email_link", "email_code", "phone_code", "password")
_RESET = ("reset_password_email_code", "reset_password_phone_code")
_SECOND_ORDER = ("totp", "phone_code", "email_code", "passkey", "backup_code")
_SECOND_DEFAULT = ("totp", "phone_code", "passkey", "email_code", "backup_code")


class Step(NamedTuple):
    """A screen: its name and, for factor screens, the strategy it proves."""

    name: str
    strategy: str | None = None


def _strategies(factors: Iterable[Mapping[str, Any]] | None) -> list[str]:
    seen: list[str] = []
    for factor in factors or ():
        strategy = factor.get("strategy")
        if isinstance(strategy, str) and strategy not in seen:
            seen.append(strategy)
    return seen


def starting_first_factor(factors: Sequence[Mapping[str, Any]] | None, preferred: str = "password") -> str | None:
    """The first factor shown first, as clerk-js decides it: enterprise SSO when the identifier's domain has a
    connection, the password when the instance prefers it, else a code or link, else the password."""
    strategies = _strategies(factors)
    if "enterprise_sso" in strategies:
        return "enterprise_sso"
    if preferred == "password" and "password" in strategies:
        return "password"
    for strategy in ("email_code", "phone_code", "email_link", "password", "passkey"):
        if strategy in strategies:
            return strategy
    return None


def starting_second_factor(factors: Sequence[Mapping[str, Any]] | None) -> str | None:
    """The second factor shown first: the user's default one, else authenticator app, phone, passkey, email, backup
    code."""
    for factor in factors or ():
        if factor.get("default") and isinstance(factor.get("strategy"), str):
            return str(factor["strategy"])
    strategies = _strategies(factors)
    return next((s for s in _SECOND_DEFAULT if s in strategies), strategies[0] if strategies else None)


def alternative_first_factors(factors: Sequence[Mapping[str, Any]] | None, current: str | None,
                              supported: Iterable[str] = _FIRST_ORDER) -> list[Mapping[str, Any]]:
    """The factors "Use another method" offers: every first factor this UI supports except the current one and the
    password-reset codes, one per strategy, in clerk-js's order."""
    usable = set(supported)
    by_strategy = {f.get("strategy"): f for f in reversed(list(factors or ())) if f.get("strategy") in usable}
    return [by_strategy[s] for s in _FIRST_ORDER if s in by_strategy and s != current]


def second_factor_choices(factors: Sequence[Mapping[str, Any]] | None, current: str | None) -> list[str]:
    """The other second factors, in clerk-js's order."""
    strategies = _strategies(factors)
    return [s for s in _SECOND_ORDER if s in strategies and s != current]


def _first_factor_step(strategy: str | None) -> Step:
    if strategy is None:
        return Step(NO_METHODS)
    if strategy == "password":
        return Step(PASSWORD, strategy)
    if strategy in ("email_code", "phone_code"):
        return Step(CODE, strategy)
    if strategy == "email_link":
        return Step(EMAIL_LINK, strategy)
    if strategy in _RESET:
        return Step(RESET_CODE, strategy)
    if strategy in ("enterprise_sso", "saml"):
        return Step(ENTERPRISE_SSO, strategy)
    if strategy == "passkey":
        return Step(PASSKEY, strategy)
    return Step(ALTERNATIVES)


def sign_in_step(status: str | None, first_factors: Sequence[Mapping[str, Any]] | None,
                 second_factors: Sequence[Mapping[str, Any]] | None, *, choice: str | None = None,
                 page: str | None = None, preferred: str = "password",
                 verifying: str | None = None) -> Step:
    """The screen a sign-in needs.

    Args:
        status: the attempt's ``status`` (None for a fresh one).
        first_factors, second_factors: its ``supported_first_factors`` / ``supported_second_factors``.
        choice: the strategy the user picked (another method, a reset code); ignored if not offered.
        page: a screen the user opened that the status does not imply: ``"alternatives"``, ``"forgot_password"``.
        preferred: ``display_config.preferred_sign_in_strategy``.
        verifying: the strategy of the attempt's first-factor verification in progress, if any (a reset code
            already sent stays on its screen).
    """
    if status == "complete":
        return Step(COMPLETE)
    if status == "needs_first_factor":
        if page == "alternatives":
            return Step(ALTERNATIVES)
        if page == "forgot_password":
            return Step(FORGOT_PASSWORD)
        offered = _strategies(first_factors)
        if choice in offered:
            return _first_factor_step(choice)
        if verifying in _RESET and verifying in offered:
            return _first_factor_step(verifying)
        return _first_factor_step(starting_first_factor(first_factors, preferred))
    if status == "needs_second_factor":
        if page == "alternatives":
            return Step(SECOND_ALTERNATIVES)
        offered = _strategies(second_factors)
        strategy = choice if choice in offered else starting_second_factor(second_factors)
        return Step(SECOND_FACTOR, strategy) if strategy else Step(NO_METHODS)
    if status == "needs_client_trust":
        offered = [s for s in _strategies(second_factors) if s in ("email_code", "phone_code")]
        strategy = choice if choice in offered else (offered[0] if offered else None)
        return Step(CLIENT_TRUST, strategy) if strategy else Step(NO_METHODS)
    if status == "needs_new_password":
        return Step(NEW_PASSWORD)
    return Step(START)


def sign_up_step(status: str | None, missing_fields: Sequence[str], unverified_fields: Sequence[str],
                 email_verification: Sequence[str] = ("email_code",), *, choice: str | None = None) -> Step:
    """The screen a sign-up needs: verification of the email (code, or link when the instance offers only that) or
    phone first, then the missing fields (``Step(CONTINUE)``; the component lists them from the attempt)."""
    if status == "complete":
        return Step(COMPLETE)
    if status != "missing_requirements":
        return Step(START)
    if "email_address" in unverified_fields:
        offered = [s for s in ("email_code", "email_link") if s in email_verification] or ["email_code"]
        return Step(VERIFY_EMAIL, choice if choice in offered else offered[0])
    if "phone_number" in unverified_fields:
        return Step(VERIFY_PHONE, "phone_code")
    return Step(CONTINUE)
