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

__all__ = ["DEFAULTS", "ENROLLMENT_MODES", "FIRST_FACTORS", "SECOND_FACTORS", "Settings", "SettingsError",
           "provider_name"]

# Strategies an attribute may list as first factors / verifications.
FIRST_FACTORS = {
    "email_address": ("email_code", "email_link"),
    "phone_number": ("phone_code",),
    "passkey": ("passkey",),
}
# The second factor each attribute gives once ``used_for_second_factor`` is on (Clerk's environment names).
SECOND_FACTORS = {
    "phone_number": ("phone_code",),
    "authenticator_app": ("totp",),
    "backup_code": ("backup_code",),
    "email_address": ("email_code",),
    "passkey": ("passkey",),  # clerk-js 6.40.0's passkey second factor; off unless used_for_second_factor
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
        # Multi-factor methods: users who enrol them get a second step at sign-in.
        "authenticator_app": {"enabled": True, "used_for_second_factor": True},
        "backup_code": {"enabled": True, "used_for_second_factor": True},
        "passkey": {"enabled": True, "used_for_first_factor": True, "first_factors": ["passkey"]},
        "ticket": {"enabled": True},
    },
    # user_settings.sign_in: second_factor.required gives sessions of users without MFA the task setup-mfa.
    "sign_in": {"second_factor": {"required": False}},
    # Device (Client) Trust: a password sign-in of a user without MFA on a client that never had a session
    # of that user must also prove an email or phone code (needs_client_trust). Off by default here.
    "client_trust": {"enabled": False},
    # auth_config.reverification: sensitive /v1/me actions need a factor verified within max_age_minutes
    # at level second_factor (the first factor for users without MFA), else 403 session_reverification_required.
    "reverification": {"enabled": False, "max_age_minutes": 10},
    # user_settings.password_settings (the policy every new password must meet).
    "password_settings": {"min_length": 8, "max_length": 72, "require_special_char": False,
                          "require_numbers": False, "require_uppercase": False, "require_lowercase": False,
                          "disable_hibp": True},
    # user_settings.attack_protection.user_lockout: failed attempts (passwords, codes, TOTP, backup codes)
    # before the account is locked for duration_in_minutes.
    "attack_protection": {"user_lockout": {"enabled": True, "max_attempts": 100, "duration_in_minutes": 60}},
    # user_settings.passkey_settings.
    "passkey_settings": {"allow_autofill": True, "show_sign_in_button": True, "satisfies_second_factor": True},
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
    # Organizations, shaped as GET /v1/environment's organization_settings, plus the roles members can have
    # (key -> name, description, permissions: Clerk's org:sys_* ones and custom org:<feature>:<action> ones).
    "organization_settings": {
        "enabled": True,
        "max_allowed_memberships": 5,  # per organization, members + pending invitations; 0 = unlimited
        "actions": {"admin_delete": True},
        "domains": {"enabled": False,
                    "enrollment_modes": ["manual_invitation", "automatic_invitation", "automatic_suggestion"],
                    "default_role": "org:member"},
        "slug": {"disabled": False},
        "creator_role": "org:admin",
        "force_organization_selection": False,
        "organization_creation_defaults": {"enabled": False},
        "roles": {
            "org:admin": {"name": "Admin", "description": "Role with elevated permissions.",
                          "permissions": ["org:sys_profile:manage", "org:sys_profile:delete",
                                          "org:sys_memberships:read", "org:sys_memberships:manage",
                                          "org:sys_domains:read", "org:sys_domains:manage"]},
            "org:member": {"name": "Member", "description": "Role with non-privileged permissions.",
                           "permissions": ["org:sys_memberships:read"]},
        },
    },
}
ENROLLMENT_MODES = ("manual_invitation", "automatic_invitation", "automatic_suggestion")


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
        for key in ("used_for_first_factor", "used_for_second_factor", "required", "verify_at_sign_up"):
            if not isinstance(attr.get(key, False), bool):
                raise SettingsError(f"attributes.{name}.{key} must be a boolean")
        if attr.get("used_for_second_factor") and name not in SECOND_FACTORS:
            raise SettingsError(f"attributes.{name} cannot be a second factor (only {sorted(SECOND_FACTORS)})")
    _check_factors(doc)
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
    _check_organizations(doc["organization_settings"])


def _bool_at(doc: dict[str, Any], *path: str) -> None:
    node: Any = doc
    for key in path:
        node = node.get(key) if isinstance(node, dict) else None
    if not isinstance(node, bool):
        raise SettingsError(f"{'.'.join(path)} must be a boolean")


def _int_at(doc: dict[str, Any], low: int, high: int, *path: str) -> None:
    node: Any = doc
    for key in path:
        node = node.get(key) if isinstance(node, dict) else None
    if not isinstance(node, int) or isinstance(node, bool) or not low <= node <= high:
        raise SettingsError(f"{'.'.join(path)} must be a whole number from {low} to {high}")


def _check_factors(doc: dict[str, Any]) -> None:
    """The settings of second factors, device trust, reverification, passwords, lockout and passkeys."""
    _bool_at(doc, "sign_in", "second_factor", "required")
    _bool_at(doc, "client_trust", "enabled")
    _bool_at(doc, "reverification", "enabled")
    _int_at(doc, 1, 10_080, "reverification", "max_age_minutes")
    for key in ("require_special_char", "require_numbers", "require_uppercase", "require_lowercase", "disable_hibp"):
        _bool_at(doc, "password_settings", key)
    _int_at(doc, 1, 72, "password_settings", "min_length")
    _int_at(doc, 1, 72, "password_settings", "max_length")
    if doc["password_settings"]["min_length"] > doc["password_settings"]["max_length"]:
        raise SettingsError("password_settings.min_length must not exceed max_length")
    _bool_at(doc, "attack_protection", "user_lockout", "enabled")
    _int_at(doc, 1, 10_000, "attack_protection", "user_lockout", "max_attempts")
    _int_at(doc, 1, 525_600, "attack_protection", "user_lockout", "duration_in_minutes")
    for key in ("allow_autofill", "show_sign_in_button", "satisfies_second_factor"):
        _bool_at(doc, "passkey_settings", key)


def _check_organizations(orgs: Any) -> None:
    from .org_roles import MINIMUM_PERMISSIONS

    where = "organization_settings"
    if not isinstance(orgs, dict):
        raise SettingsError(f"{where} must be an object")
    known = set(DEFAULTS[where])
    if set(orgs) != known:
        raise SettingsError(f"{where}: unknown or missing key(s) {sorted(set(orgs) ^ known)}")
    flags = {"enabled": orgs["enabled"], "force_organization_selection": orgs["force_organization_selection"]}
    for key in ("actions", "domains", "slug", "organization_creation_defaults"):
        if not isinstance(orgs[key], dict):
            raise SettingsError(f"{where}.{key} must be an object")
    flags.update({"actions.admin_delete": orgs["actions"].get("admin_delete"),
                  "domains.enabled": orgs["domains"].get("enabled"), "slug.disabled": orgs["slug"].get("disabled"),
                  "organization_creation_defaults.enabled": orgs["organization_creation_defaults"].get("enabled")})
    for name, value in flags.items():
        if not isinstance(value, bool):
            raise SettingsError(f"{where}.{name} must be a boolean")
    limit = orgs["max_allowed_memberships"]
    if not isinstance(limit, int) or isinstance(limit, bool) or limit < 0:
        raise SettingsError(f"{where}.max_allowed_memberships must be a whole number ≥ 0 (0 = unlimited)")
    modes = orgs["domains"].get("enrollment_modes")
    if not isinstance(modes, list) or any(m not in ENROLLMENT_MODES for m in modes):
        raise SettingsError(f"{where}.domains.enrollment_modes must be a list drawn from {list(ENROLLMENT_MODES)}")
    roles = orgs["roles"]
    if not isinstance(roles, dict) or not roles:
        raise SettingsError(f"{where}.roles must be an object of at least one role")
    for key, role in roles.items():
        perms = role.get("permissions") if isinstance(role, dict) else None
        if (not key.startswith("org:") or len(key) < 5 or not isinstance(perms, list)
                or not all(isinstance(p, str) and p.startswith("org:") and p.count(":") == 2 for p in perms)):
            raise SettingsError(f"{where}.roles.{key}: a role key is org:<name> and holds a 'permissions' list "
                                "of org:<feature>:<action> keys")
    for name in ("creator_role", "domains.default_role"):
        value = orgs["creator_role"] if name == "creator_role" else orgs["domains"].get("default_role")
        if value not in roles:
            raise SettingsError(f"{where}.{name} must name one of the roles {sorted(roles)}")
    missing = [p for p in MINIMUM_PERMISSIONS if p not in roles[orgs["creator_role"]]["permissions"]]
    if missing:
        raise SettingsError(f"{where}.creator_role {orgs['creator_role']} lacks {missing}: the creator role must "
                            f"hold {list(MINIMUM_PERMISSIONS)}")


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
        from . import org_roles

        org_roles.bind(self)  # memberships and tokens read the roles of these settings
        from . import mfa

        mfa.bind(self)  # user and session JSON read the lockout and required-MFA settings

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

    def second_factor_enabled(self, attribute: str) -> bool:
        """Whether the attribute's second factor (``SECOND_FACTORS``) is on."""
        attr = self.attribute(attribute)
        return bool(attr.get("enabled")) and bool(attr.get("used_for_second_factor")) and attribute in SECOND_FACTORS

    def second_factor_strategies(self) -> list[str]:
        """``auth_config.second_factors``: every second-factor strategy the instance accepts."""
        return [SECOND_FACTORS[name][0] for name in ("authenticator_app", "phone_number", "backup_code",
                                                       "email_address", "passkey") if self.second_factor_enabled(name)]

    def passkeys_enabled(self) -> bool:
        return self.first_factor_enabled("passkey", "passkey")

    def social(self) -> dict[str, dict[str, Any]]:
        """Enabled social strategies → their settings."""
        return {k: v for k, v in self.current["social"].items() if v and v.get("enabled")}

    def connections(self) -> list[dict[str, Any]]:
        """Active enterprise connections (none when enterprise SSO is off)."""
        sso = self.current["enterprise_sso"]
        if not sso.get("enabled"):
            return []
        return [c for c in sso.get("connections", []) if c.get("active", True)]

    def organizations(self) -> dict[str, Any]:
        """The ``organization_settings`` in force (roles included)."""
        found: dict[str, Any] = self.current["organization_settings"]
        return found

    def connection_for_email(self, email: str) -> dict[str, Any] | None:
        domain = email.rpartition("@")[2].lower()
        return next((c for c in self.connections() if domain in (d.lower() for d in c["domains"])), None)
