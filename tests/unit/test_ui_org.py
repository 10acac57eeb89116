"""The organization components' surface on ``Clerk`` (as clerk-js: modals only for OrganizationProfile and
CreateOrganization) and their strings in every locale; their screens are tested in Chromium
(tests/browser/test_components_org.py)."""

from __future__ import annotations

import importlib
import inspect
import sys
import types
from collections.abc import Iterator
from typing import Any

import pytest

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


class _Anything(types.ModuleType):
    """A stand-in for the browser's modules: every attribute exists (the DOM is never touched here)."""

    def __getattr__(self, name: str) -> object:
        return None


@pytest.fixture
def members(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """``_org_members`` imported with stand-ins for ``js`` and ``pyodide`` (only its pure helpers are called); the
    modules imported for it are dropped afterwards."""
    for name in ("js", "pyodide", "pyodide.ffi"):
        monkeypatch.setitem(sys.modules, name, _Anything(name))
    before = set(sys.modules)
    try:
        yield importlib.import_module("clerk_frontend.ui._org_members")
    finally:
        for name in set(sys.modules) - before:
            del sys.modules[name]


def test_page_buttons_as_clerk_js(members: Any) -> None:
    # The first, the last, the current page and its neighbours; "..." right after a gap.
    assert members.pages(1, 1) == [1]
    assert members.pages(1, 3) == [1, 2, 3]
    assert members.pages(1, 6) == [1, 2, None, 6]
    assert members.pages(4, 8) == [1, None, 3, 4, 5, None, 8]
    assert members.pages(8, 8) == [1, None, 7, 8]
    assert members.pages(3, 4) == [1, 2, 3, 4]


def test_rows_shown_as_clerk_js(members: Any) -> None:
    assert members.SIZE == 10
    assert members.shown(1, 12) == "1 – 10"
    assert members.shown(2, 12) == "11 – 12"
    assert members.shown(2, 11) == "11 – 11"
    assert members.shown(1, 1) == "1"
    assert members.shown(1, 0) == "0"
