"""What the components read of ``clerk.environment`` (pure): identifiers, factors, social providers, sign-up fields,
modes and URLs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["Instance", "identifier_label_key", "provider_name", "read_instance"]

_IDENTIFIERS = ("email_address", "username", "phone_number")
_SIGN_UP_ORDER = ("first_name", "last_name", "username", "email_address", "phone_number", "password")
_CAMEL = {"email_address": "emailAddress", "phone_number": "phoneNumber", "username": "username"}
# clerk-js's display names of well-known providers (the environment's `name` wins when it sends one).
_PROVIDER_NAMES = {"github": "GitHub", "gitlab": "GitLab", "linkedin_oidc": "LinkedIn", "hubspot": "HubSpot",
                   "tiktok": "TikTok", "x": "X / Twitter", "box": "Box", "huggingface": "Hugging Face"}


class Instance:
    """The parts of the environment the components use (a plain class: creating a NamedTuple class costs about
    half a millisecond in Pyodide, on every page that mounts a component)."""

    def __init__(self, application_name: str, identifiers: tuple[str, ...], first_factors: frozenset[str],
                 social: tuple[tuple[str, str], ...], enterprise_sso: bool,
                 sign_up_fields: tuple[tuple[str, bool], ...], sign_up_mode: str, legal_consent: bool,
                 email_verification: tuple[str, ...], single_session: bool, preferred_strategy: str,
                 delete_self: bool, display: Mapping[str, Any]) -> None:
        self.application_name = application_name
        #: Sign-in identifiers: ``email_address``, ``username``, ``phone_number`` (in that order).
        self.identifiers = identifiers
        self.first_factors = first_factors
        #: ``(strategy, display name)`` of every enabled social provider.
        self.social = social
        self.enterprise_sso = enterprise_sso
        #: ``(field name, required)`` of the sign-up fields, in clerk-js's order.
        self.sign_up_fields = sign_up_fields
        self.sign_up_mode = sign_up_mode
        self.legal_consent = legal_consent
        self.email_verification = email_verification
        self.single_session = single_session
        self.preferred_strategy = preferred_strategy
        self.delete_self = delete_self
        self.display = display

    @property
    def password(self) -> bool:
        """Password sign-in is on."""
        return "password" in self.first_factors

    def url(self, name: str) -> str | None:
        """A ``display_config`` URL (``sign_in_url``, ``sign_up_url``, ``terms_url``, …), or None."""
        value = self.display.get(name)
        return value if isinstance(value, str) and value else None


def _dict(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def provider_name(strategy: str, entry: Mapping[str, Any] | None = None) -> str:
    """``oauth_google`` -> ``Google``; the environment's name when it has one."""
    name = (entry or {}).get("name")
    if isinstance(name, str) and name:
        return name
    key = strategy.removeprefix("oauth_").removeprefix("custom_")
    return _PROVIDER_NAMES.get(key, key.replace("_", " ").title())


def read_instance(environment: Mapping[str, Any] | None) -> Instance:
    """The :class:`Instance` of an environment (an empty one before ``load()``)."""
    env = _dict(environment)
    auth = _dict(env.get("auth_config"))
    display = _dict(env.get("display_config"))
    settings = _dict(env.get("user_settings"))
    attributes = _dict(settings.get("attributes"))

    def attribute(name: str) -> Mapping[str, Any]:
        return _dict(attributes.get(name))

    identifiers = tuple(n for n in _IDENTIFIERS if attribute(n).get("enabled") and attribute(n).get(
        "used_for_first_factor"))
    social = tuple(  # in clerk-js's order: sorted by strategy
        (strategy, provider_name(strategy, entry))
        for strategy, entry in sorted(_dict(settings.get("social")).items())
        if isinstance(entry, Mapping) and entry.get("enabled") and entry.get("authenticatable", True)
        and not entry.get("not_selectable"))
    fields = tuple((n, bool(attribute(n).get("required"))) for n in _SIGN_UP_ORDER if attribute(n).get("enabled"))
    sign_up = _dict(settings.get("sign_up"))
    email = attribute("email_address")
    verifications = tuple(str(s) for s in email.get("verifications") or () if s in ("email_code", "email_link"))
    return Instance(
        application_name=str(display.get("application_name") or ""),
        identifiers=identifiers,
        first_factors=frozenset(str(f) for f in auth.get("first_factors") or ()),
        social=social,
        enterprise_sso=bool(_dict(settings.get("enterprise_sso")).get("enabled")),
        sign_up_fields=fields,
        sign_up_mode=str(sign_up.get("mode") or "public"),
        legal_consent=bool(sign_up.get("legal_consent_enabled")),
        email_verification=verifications,
        single_session=bool(auth.get("single_session_mode")),
        preferred_strategy=str(display.get("preferred_sign_in_strategy") or "password"),
        delete_self=bool(_dict(settings.get("actions")).get("delete_self", True)),
        display=display,
    )


def identifier_label_key(identifiers: tuple[str, ...]) -> str:
    """clerk-js's label of the sign-in identifier field: ``formFieldLabel__emailAddress_username`` and so on
    (email, phone, username in that order); an empty tuple gives the email label."""
    order = [n for n in ("email_address", "phone_number", "username") if n in identifiers] or ["email_address"]
    return "formFieldLabel__" + "_".join(_CAMEL[n] for n in order)
