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

__all__ = ["DEFAULTS", "ENROLLMENT_MODES", "FIRST_FACTORS", "Settings", "SettingsError", "provider_name"]

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

    def organizations(self) -> dict[str, Any]:
        """The ``organization_settings`` in force (roles included)."""
        found: dict[str, Any] = self.current["organization_settings"]
        return found

    def connection_for_email(self, email: str) -> dict[str, Any] | None:
        domain = email.rpartition("@")[2].lower()
        return next((c for c in self.connections() if domain in (d.lower() for d in c["domains"])), None)
