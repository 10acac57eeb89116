"""Instance settings: which identifiers, factors, social providers and enterprise connections are on.

The document mirrors the parts of ``GET /v1/environment`` it switches (``attributes`` merge onto
``user_settings.attributes``, ``social`` onto ``user_settings.social``), so a settings file reads like Clerk's
own. Layers, each deep-merged onto the one before (``null`` removes a key): the defaults below, the file given
with ``--settings``, then changes made through ``/__emulator/settings`` (kept in memory until ``DELETE`` or a
restart). Every layer is validated before it is applied: a bad document changes nothing.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from .metadata import deep_merge

__all__ = ["DEFAULTS", "FIRST_FACTORS", "Settings", "SettingsError", "provider_name"]

# Strategies an attribute may list as first factors / verifications.
FIRST_FACTORS = {
    "email_address": ("email_code", "email_link"),
    "phone_number": ("phone_code",),
}
ATTRIBUTES = ("email_address", "phone_number", "username", "web3_wallet", "first_name", "last_name", "password",
              "authenticator_app", "ticket", "backup_code", "passkey")
_KNOWN_PROVIDERS = {"google": "Google", "github": "GitHub", "microsoft": "Microsoft", "apple": "Apple",
                    "facebook": "Facebook", "discord": "Discord", "gitlab": "GitLab", "linkedin_oidc": "LinkedIn",
                    "slack": "Slack", "twitter": "Twitter", "x": "X"}

DEFAULTS: dict[str, Any] = {
    "attributes": {
        "email_address": {"enabled": True, "required": True, "used_for_first_factor": True,
                          "first_factors": ["email_code", "email_link"],
                          "verifications": ["email_code", "email_link"], "verify_at_sign_up": True},
        "phone_number": {"enabled": False, "required": False, "used_for_first_factor": False,
                         "first_factors": [], "verifications": [], "verify_at_sign_up": False},
        "username": {"enabled": True, "required": False, "used_for_first_factor": True},
        "first_name": {"enabled": True, "required": False},
        "last_name": {"enabled": True, "required": False},
        "password": {"enabled": True, "required": True},
        "web3_wallet": {"enabled": False},
        "authenticator_app": {"enabled": False},
        "backup_code": {"enabled": False},
        "passkey": {"enabled": False},
        "ticket": {"enabled": True},
    },
    "social": {
        "oauth_google": {"enabled": True},
        "oauth_github": {"enabled": True},
    },
    # One enterprise connection: email addresses at its domains sign in through it.
    "enterprise_sso": {
        "enabled": True,
        "connections": [{"id": "entconn_local", "name": "Example SSO", "provider": "saml_custom",
                         "domains": ["enterprise.test"], "active": True}],
    },
    # captcha_enabled: sign-ups need a captcha token (or a valid testing token), see testing.py.
    "sign_up": {"mode": "public", "legal_consent_enabled": False, "captcha_enabled": False},
    "email_link": {"require_same_client": False},
    "single_session_mode": False,
    # Origins (besides the instance's own and, unless switched off, loopback ones) that redirect_url may use.
    "allowed_redirect_origins": [],
}


class SettingsError(ValueError):
    """A settings document that cannot be applied (the message says which key and why)."""


def provider_name(strategy: str) -> str:
    """``oauth_google`` → ``Google``; unknown providers get their name capitalised."""
    key = strategy.removeprefix("oauth_").removeprefix("custom_")
    return _KNOWN_PROVIDERS.get(key, key.replace("_", " ").title())


def _check(doc: dict[str, Any]) -> None:
    """Raise SettingsError unless ``doc`` (a full, merged document) is well-formed."""
    missing = set(DEFAULTS) - set(doc)
    if missing:
        raise SettingsError(f"setting(s) {sorted(missing)} cannot be removed; switch them off instead")
    unknown = set(doc) - set(DEFAULTS)
    if unknown:
        raise SettingsError(f"unknown setting(s): {sorted(unknown)}; known: {sorted(DEFAULTS)}")
    attrs = doc["attributes"]
    if not isinstance(attrs, dict) or set(attrs) - set(ATTRIBUTES):
        raise SettingsError(f"attributes: unknown attribute(s) {sorted(set(attrs) - set(ATTRIBUTES))}")
    for name, attr in attrs.items():
        if not isinstance(attr, dict) or not isinstance(attr.get("enabled", False), bool):
            raise SettingsError(f"attributes.{name} must be an object with a boolean 'enabled'")
        allowed = FIRST_FACTORS.get(name, ())
        for key in ("first_factors", "verifications"):
            values = attr.get(key, [])
            if not isinstance(values, list) or any(v not in allowed for v in values):
                raise SettingsError(f"attributes.{name}.{key} must be a list drawn from {list(allowed)}")
    social = doc["social"]
    if not isinstance(social, dict):
        raise SettingsError("social must be an object keyed by strategy (oauth_<provider>)")
    for strategy, cfg in social.items():
        if not strategy.startswith("oauth_") or not strategy[6:].replace("_", "").isalnum():
            raise SettingsError(f"social: {strategy!r} is not an oauth_<provider> strategy")
        if not isinstance(cfg, dict) or not isinstance(cfg.get("enabled", False), bool):
            raise SettingsError(f"social.{strategy} must be an object with a boolean 'enabled'")
    if not all(isinstance(doc["sign_up"].get(k, False), bool) for k in ("legal_consent_enabled", "captcha_enabled")):
        raise SettingsError("sign_up.legal_consent_enabled and sign_up.captcha_enabled must be booleans")
    if not isinstance(doc["email_link"], dict) or not isinstance(doc["single_session_mode"], bool):
        raise SettingsError("email_link must be an object and single_session_mode a boolean")
    sso = doc["enterprise_sso"]
    if not isinstance(sso, dict) or not isinstance(sso.get("connections", []), list):
        raise SettingsError("enterprise_sso must be an object with a 'connections' list")
    for conn in sso.get("connections", []):
        if (not isinstance(conn, dict) or not isinstance(conn.get("id"), str) or not conn["id"]
                or not isinstance(conn.get("domains"), list) or not all(isinstance(d, str) for d in conn["domains"])):
            raise SettingsError("enterprise_sso.connections[]: each needs a string 'id' and a 'domains' list")
    if not isinstance(doc["sign_up"], dict) or doc["sign_up"].get("mode") not in ("public", "restricted", "waitlist"):
        raise SettingsError("sign_up.mode must be 'public', 'restricted' or 'waitlist'")
    origins = doc["allowed_redirect_origins"]
    if not isinstance(origins, list) or not all(isinstance(o, str) and "://" in o for o in origins):
        raise SettingsError("allowed_redirect_origins must be a list of origins like 'http://127.0.0.1:3000'")


def _merge(base: dict[str, Any], patch: Any, where: str) -> dict[str, Any]:
    if not isinstance(patch, dict):
        raise SettingsError(f"{where}: a settings document must be a JSON object")
    merged = deep_merge(copy.deepcopy(base), patch)
    # Lists such as enterprise connections are replaced, never merged, so a layer says exactly what it wants.
    _check(merged)
    return merged


class Settings:
    """The effective settings of one running instance."""

    def __init__(self, file: Path | None = None) -> None:
        self.base = copy.deepcopy(DEFAULTS)
        if file is not None:
            try:
                data = json.loads(file.read_text())
            except (OSError, ValueError) as exc:
                raise SettingsError(f"cannot read settings file {file}: {exc}") from None
            self.base = _merge(self.base, data, str(file))
        self.current = copy.deepcopy(self.base)

    def patch(self, changes: Any) -> dict[str, Any]:
        """Deep-merge ``changes`` onto the current settings (``null`` removes a key); all or nothing."""
        self.current = _merge(self.current, changes, "settings")
        return self.current

    def replace(self, doc: Any) -> dict[str, Any]:
        """Make the settings the startup settings with ``doc`` merged on top (a PUT)."""
        self.current = _merge(self.base, doc, "settings")
        return self.current

    def reset(self) -> dict[str, Any]:
        """Back to the startup settings (defaults plus the ``--settings`` file)."""
        self.current = copy.deepcopy(self.base)
        return self.current

    # -- questions the APIs ask ----------------------------------------------------------------------
    def attribute(self, name: str) -> dict[str, Any]:
        found: dict[str, Any] = self.current["attributes"].get(name) or {}
        return found

    def enabled(self, name: str) -> bool:
        return bool(self.attribute(name).get("enabled"))

    def first_factor_enabled(self, attribute: str, strategy: str) -> bool:
        attr = self.attribute(attribute)
        return bool(attr.get("enabled")) and strategy in attr.get("first_factors", [])

    def social(self) -> dict[str, dict[str, Any]]:
        """Enabled social strategies → their settings."""
        return {k: v for k, v in self.current["social"].items() if v and v.get("enabled")}

    def connections(self) -> list[dict[str, Any]]:
        """Active enterprise connections (none when enterprise SSO is off)."""
        sso = self.current["enterprise_sso"]
        if not sso.get("enabled"):
            return []
        return [c for c in sso.get("connections", []) if c.get("active", True)]

    def connection_for_email(self, email: str) -> dict[str, Any] | None:
        domain = email.rpartition("@")[2].lower()
        return next((c for c in self.connections() if domain in (d.lower() for d in c["domains"])), None)
