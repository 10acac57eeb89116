"""The ``GET|PATCH /v1/environment`` document of the emulated development instance.

Shaped as Clerk shapes it; what is switched on comes from the instance settings (``settings.py``): identifiers
and their factors, social providers, enterprise SSO, sign-up mode, organizations. No captcha.
"""

from __future__ import annotations

from typing import Any

from . import model
from .settings import SECOND_FACTORS, Settings, provider_name


def _attr(name: str, cfg: dict[str, Any]) -> dict[str, Any]:
    enabled = bool(cfg.get("enabled"))
    first = list(cfg.get("first_factors", [])) if enabled else []
    verifications = list(cfg.get("verifications", [])) if enabled else []
    second = list(SECOND_FACTORS.get(name, ())) if enabled and cfg.get("used_for_second_factor") else []
    return {
        "enabled": enabled,
        "required": enabled and bool(cfg.get("required")),
        "used_for_first_factor": enabled and bool(cfg.get("used_for_first_factor", bool(first))),
        "first_factors": first,
        "used_for_second_factor": bool(second),
        "second_factors": second,
        "verifications": verifications,
        "verify_at_sign_up": enabled and bool(cfg.get("verify_at_sign_up", bool(verifications))),
        "immutable": False,
    }


def first_factor_strategies(settings: Settings) -> list[str]:
    """``auth_config.first_factors``: every first-factor strategy the instance accepts."""
    out: list[str] = []
    attrs = settings.current["attributes"]
    for name in ("email_address", "phone_number"):
        out += [s for s in _attr(name, attrs.get(name, {}))["first_factors"] if s not in out]
    if settings.enabled("password"):
        out.append("password")
        if settings.enabled("email_address"):
            out.append("reset_password_email_code")
        if settings.enabled("phone_number"):
            out.append("reset_password_phone_code")
    if settings.passkeys_enabled():
        out.append("passkey")
    out += sorted(settings.social())
    if settings.connections():
        out.append("enterprise_sso")
    if settings.enabled("ticket"):
        out.append("ticket")
    return out


def social_json(settings: Settings) -> dict[str, Any]:
    """``user_settings.social``: one entry per configured provider, enabled or not."""
    out = {}
    for strategy, cfg in settings.current["social"].items():
        if not cfg:
            continue
        out[strategy] = {
            "enabled": bool(cfg.get("enabled")),
            "required": False,
            "authenticatable": bool(cfg.get("authenticatable", True)),
            "block_email_subaddresses": False,
            "strategy": strategy,
            "not_selectable": False,
            "deprecated": False,
            "name": cfg.get("name") or provider_name(strategy),
            "logo_url": cfg.get("logo_url") or f"https://img.clerk.com/static/{strategy[6:]}.png",
        }
    return out


def organization_settings(settings: Settings) -> dict[str, Any]:
    """``organization_settings`` as Clerk sends it. ``force_organization_selection`` and
    ``organization_creation_defaults`` (read by clerk-js, absent from the spec) are sent only when switched on,
    as Clerk omits them for instances without the feature."""
    orgs = settings.organizations()
    domains = orgs["domains"]
    out: dict[str, Any] = {
        "enabled": orgs["enabled"],
        "max_allowed_memberships": orgs["max_allowed_memberships"],
        "actions": {"admin_delete": orgs["actions"]["admin_delete"]},
        "domains": {"enabled": domains["enabled"],
                    "enrollment_modes": list(domains["enrollment_modes"]) if domains["enabled"] else [],
                    "default_role": domains["default_role"]},
        "slug": {"disabled": orgs["slug"]["disabled"]},
        "creator_role": orgs["creator_role"],
    }
    if orgs["force_organization_selection"]:
        out["force_organization_selection"] = True
    if orgs["organization_creation_defaults"]["enabled"]:
        out["organization_creation_defaults"] = {"enabled": True}
    return out


def environment(instance_id: str, home_url: str, settings: Settings) -> dict[str, Any]:
    urls = {
        "home_url": home_url,
        "sign_in_url": home_url + "/sign-in",
        "sign_up_url": home_url + "/sign-up",
        "user_profile_url": home_url + "/user",
        "waitlist_url": home_url + "/waitlist",
        "oauth_consent_url": home_url + "/oauth-consent",
        "after_sign_in_url": home_url,
        "after_sign_up_url": home_url,
        "after_sign_out_one_url": home_url,
        "after_sign_out_all_url": home_url,
        "after_switch_session_url": home_url,
        "after_join_waitlist_url": home_url,
        "organization_profile_url": home_url + "/organization",
        "create_organization_url": home_url + "/create-organization",
        "after_leave_organization_url": home_url,
        "after_create_organization_url": home_url,
        "logo_link_url": home_url,
    }
    attributes = {name: _attr(name, cfg) for name, cfg in settings.current["attributes"].items()}
    identifiers = [n for n in ("email_address", "phone_number", "username")
                   if attributes.get(n, {}).get("used_for_first_factor")]
    sso_enabled = bool(settings.connections())
    sign_up = settings.current["sign_up"]
    password = settings.current["password_settings"]
    return {
        "auth_config": {
            "object": "auth_config",
            "id": "aac_" + instance_id[4:],
            **{name: "on" if attributes[name]["enabled"] else "off" for name in ("first_name", "last_name")},
            **{name: ("required" if attributes[name]["required"] else "on") if attributes[name]["enabled"] else "off"
               for name in ("email_address", "phone_number", "username", "password")},
            "identification_requirements": [[name] for name in identifiers],
            "identification_strategies": identifiers + sorted(settings.social()),
            "first_factors": first_factor_strategies(settings),
            "second_factors": settings.second_factor_strategies(),
            "email_address_verification_strategies": attributes["email_address"]["verifications"],
            "single_session_mode": settings.current["single_session_mode"],
            "cookieless_dev": False,
            "enhanced_email_deliverability": False,
            "test_mode": True,
            "url_based_session_syncing": True,
            "claimed_at": None,
            "reverification": bool(settings.current["reverification"]["enabled"]),
            "native_settings": {
                "object": "native_settings",
                "api_enabled": True,
                "trusted_device_sign_in_enabled": False,
                "trusted_device_enrollment_prompt_after_sign_in_enabled": False,
                "trusted_device_enrollment_prompt_after_sign_up_enabled": False,
            },
        },
        "display_config": {
            "object": "display_config",
            "id": "display_config_" + instance_id[4:],
            "instance_environment_type": "development",
            "application_name": "Local Clerk instance",
            "theme": {},
            "preferred_sign_in_strategy": "password",
            **urls,
            "support_email": None,
            "branded": False,
            "experimental_force_oauth_first": False,
            "clerk_js_version": None,
            "show_devmode_warning": False,
            "google_one_tap_client_id": None,
            "help_url": None,
            "privacy_policy_url": None,
            "terms_url": None,
            "logo_url": None,
            "favicon_url": None,
            "logo_image_url": None,
            "favicon_image_url": None,
            "logo_image": None,
            "favicon_image": None,
            "captcha_public_key": None,
            "captcha_widget_type": None,
            "captcha_public_key_invisible": None,
            "captcha_provider": None,
            "captcha_oauth_bypass": [],
        },
        "user_settings": {
            "attributes": attributes,
            "social": social_json(settings),
            "saml": {"enabled": False},
            "enterprise_sso": {"enabled": sso_enabled, "self_serve_sso": False},
            "sign_in": {"second_factor": {"required": bool(settings.current["sign_in"]["second_factor"]["required"])}},
            "sign_up": {
                "captcha_enabled": bool(sign_up.get("captcha_enabled")),
                "captcha_widget_type": "smart",
                "custom_action_required": False,
                "progressive": True,
                "mode": sign_up["mode"],
                "legal_consent_enabled": bool(sign_up.get("legal_consent_enabled")),
            },
            "restrictions": {
                "allowlist": {"enabled": False},
                "blocklist": {"enabled": False},
                "allowlist_blocklist_disabled_on_sign_in": {"enabled": False},
                "block_email_subaddresses": {"enabled": False},
                "block_disposable_email_domains": {"enabled": False},
            },
            "password_settings": {
                "disable_hibp": password["disable_hibp"],
                "disable_password_reverification": True,
                "min_length": password["min_length"],
                "max_length": password["max_length"],
                "require_special_char": password["require_special_char"],
                "require_numbers": password["require_numbers"],
                "require_uppercase": password["require_uppercase"],
                "require_lowercase": password["require_lowercase"],
                "show_zxcvbn": False,
                "min_zxcvbn_strength": 0,
                "enforce_hibp_on_sign_in": False,
                "allowed_special_characters": "!\"#$%&'()*+,-./:;<=>?@[]^_`{|}~",
            },
            "username_settings": {
                "min_length": model.USERNAME_MIN_LENGTH,
                "max_length": model.USERNAME_MAX_LENGTH,
                "allow_extended_special_characters": False,
                "allow_numeric_usernames": True,
            },
            "actions": {"delete_self": True, "create_organization": True, "create_organizations_limit": None},
            "attack_protection": {
                "user_lockout": dict(settings.current["attack_protection"]["user_lockout"]),
                "pii": {"enabled": False},
                "email_link": {"require_same_client": bool(settings.current["email_link"].get("require_same_client"))},
                "enumeration_protection": {"enabled": False},
            },
            "passkey_settings": dict(settings.current["passkey_settings"]),
        },
        "organization_settings": organization_settings(settings),
        "fraud_settings": {"native": {"device_attestation_mode": "disabled"}},
        "commerce_settings": {"billing": {}},
        "api_keys_settings": {"enabled": False, "user_api_keys_enabled": False, "orgs_api_keys_enabled": False},
        "protect_config": {},
        "client_debug_mode": False,
        "partitioned_cookies": False,
        "maintenance_mode": False,
    }
