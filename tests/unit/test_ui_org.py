"""The organization components' surface on ``Clerk`` (as clerk-js: modals only for OrganizationProfile and
CreateOrganization) and their strings in every locale; their screens are tested in Chromium
(tests/browser/test_components_org.py)."""

from __future__ import annotations

import inspect

from clerk_frontend import Clerk
from clerk_frontend.ui import COMPONENTS
from clerk_frontend.ui.localization import LOCALES, table

ORG = ("organization_switcher", "organization_profile", "create_organization", "organization_list")


def test_mount_methods_and_modals_as_clerk_js() -> None:
    for name in ORG:
        assert name in COMPONENTS
        for verb in ("mount", "unmount"):
            method = getattr(Clerk, f"{verb}_{name}")
            assert inspect.getdoc(method), method
        has_modal = name in ("organization_profile", "create_organization")
        assert hasattr(Clerk, f"open_{name}") is has_modal, name
        assert hasattr(Clerk, f"close_{name}") is has_modal, name


def test_organization_strings_translated_in_every_locale() -> None:
    en = table("en-US")
    keys = [k for k in en if k.startswith(("organizationSwitcher.", "organizationProfile.", "createOrganization.",
                                           "organizationList."))]
    assert len(keys) > 40
    for locale in LOCALES:
        other = table(locale)
        for key in keys:
            assert other[key], (locale, key)
            if locale != "en-US":
                assert other[key] != en[key], (locale, key)
