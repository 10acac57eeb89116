"""What the components read of the environment (pure Python): identifiers and their label, social providers,
sign-up fields, modes and URLs; nothing is shown that the instance does not enable."""

from __future__ import annotations

from typing import Any

from clerk_frontend.ui._instance import identifier_label_key, provider_name, read_instance


def environment(**attributes: dict[str, Any]) -> dict[str, Any]:
    base: dict[str, dict[str, Any]] = {
        "email_address": {"enabled": True, "required": True, "used_for_first_factor": True,
                          "verifications": ["email_code", "email_link", "phone_code"]},
        "username": {"enabled": True, "required": False, "used_for_first_factor": True},
        "phone_number": {"enabled": False},
        "first_name": {"enabled": True}, "last_name": {"enabled": False},
        "password": {"enabled": True, "required": True},
    }
    base.update(attributes)
    return {
        "auth_config": {"first_factors": ["password", "email_code"], "single_session_mode": True},
        "display_config": {"application_name": "Acme", "sign_up_url": "https://acme.test/sign-up",
                           "preferred_sign_in_strategy": "otp", "terms_url": None},
        "user_settings": {
            "attributes": base,
            "social": {"oauth_linkedin_oidc": {"enabled": True},
                       "oauth_google": {"enabled": True, "authenticatable": True, "name": "Google"},
                       "oauth_github": {"enabled": False},
                       "oauth_gitlab": {"enabled": True, "authenticatable": False},
                       "oauth_custom_acme": {"enabled": True, "not_selectable": True}},
            "sign_up": {"mode": "restricted", "legal_consent_enabled": True},
            "enterprise_sso": {"enabled": True},
            "actions": {"delete_self": False},
        },
    }


def test_read_instance() -> None:
    instance = read_instance(environment())
    assert instance.application_name == "Acme"
    assert instance.identifiers == ("email_address", "username")
    # Sorted by strategy, as clerk-js's UserSettings.authenticatableSocialStrategies.
    assert instance.social == (("oauth_google", "Google"), ("oauth_linkedin_oidc", "LinkedIn"))
    assert instance.sign_up_fields == (("first_name", False), ("username", False), ("email_address", True),
                                       ("password", True))
    assert instance.password and instance.first_factors == {"password", "email_code"}
    assert instance.email_verification == ("email_code", "email_link")
    assert (instance.sign_up_mode, instance.legal_consent, instance.single_session) == ("restricted", True, True)
    assert (instance.preferred_strategy, instance.enterprise_sso, instance.delete_self) == ("otp", True, False)
    assert instance.url("sign_up_url") == "https://acme.test/sign-up"
    assert instance.url("terms_url") is None and instance.url("nothing") is None


def test_an_identifier_not_used_for_sign_in_is_not_offered() -> None:
    instance = read_instance(environment(username={"enabled": True, "used_for_first_factor": False},
                                         phone_number={"enabled": True, "used_for_first_factor": True}))
    assert instance.identifiers == ("email_address", "phone_number")


def test_before_load_everything_is_off() -> None:
    empty = read_instance(None)
    assert empty.identifiers == () and empty.social == () and empty.sign_up_fields == ()
    assert empty.sign_up_mode == "public" and not empty.password


def test_identifier_labels_are_clerk_js_keys() -> None:
    assert identifier_label_key(("email_address",)) == "formFieldLabel__emailAddress"
    assert identifier_label_key(("email_address", "username")) == "formFieldLabel__emailAddress_username"
    assert identifier_label_key(("username", "phone_number")) == "formFieldLabel__phoneNumber_username"
    assert identifier_label_key(("username", "phone_number", "email_address")) == (
        "formFieldLabel__emailAddress_phoneNumber_username")
    assert identifier_label_key(()) == "formFieldLabel__emailAddress"
    assert provider_name("oauth_github") == "GitHub" and provider_name("oauth_custom_my_idp") == "My Idp"
