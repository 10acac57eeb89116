"""The demo's Organizations page (``demo_site/organizations.html``) in Chromium, on the demo process as
``test_demo.py`` runs it: signed out it offers SignIn; signed in, an organization created from the OrganizationList
becomes active, the OrganizationSwitcher and the mounted OrganizationProfile follow, a member is invited (the
invitation reaches the instance's outbox), and switching back to the personal account empties the profile; the
header links every page; no request leaves 127.0.0.0/8. Screenshots under ``test-artifacts/demo/``."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect
from test_demo import PHONE, DemoProcess, Visitor, new_visitor, no_horizontal_scroll, screenshot


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoProcess]:
    base = tmp_path_factory.mktemp("demo-orgs")
    process = DemoProcess(site=base / "site", data=base / "clerk-data").start()
    yield process
    process.stop()


@pytest.fixture
def visitor(browser: Browser, demo: DemoProcess) -> Iterator[Visitor]:
    # A fresh visitor per test: a re-run after a renderer crash must start signed out again.
    v = new_visitor(browser, demo.url)
    yield v
    v.context.close()


def test_every_page_links_the_organizations_page(demo: DemoProcess) -> None:
    for path in ("/", "/playground.html", "/examples.html", "/organizations.html"):
        with urllib.request.urlopen(demo.url + path) as response:
            assert b'<a href="/organizations.html"' in response.read(), path


def test_organizations_page_on_the_components(visitor: Visitor, demo: DemoProcess) -> None:
    page = visitor.open("/organizations.html")
    expect(page.locator("nav[aria-label='Demo pages'] [aria-current=page]")).to_have_text("Organizations")
    expect(page.locator("#signed-out")).to_be_visible()
    page.get_by_label("Email address or username").fill(demo.email)
    page.get_by_role("button", name="Continue", exact=True).click()
    page.get_by_label("Password", exact=True).fill(demo.password)
    page.get_by_role("button", name="Continue", exact=True).click()

    expect(page.locator("#signed-in")).to_be_visible()
    expect(page.locator("#no-org")).to_be_visible()
    expect(page.get_by_role("heading", name="Choose an account")).to_be_visible()
    expect(page.get_by_role("button", name="Personal account, open organization switcher")).to_be_visible()
    screenshot(page, "organizations-signed-in")

    page.locator("#org-list").get_by_role("button", name="Create organization").click()
    page.locator("#org-list").get_by_label("Name", exact=True).fill("Demo Org")
    page.locator("#org-list").get_by_role("button", name="Create organization").click()
    switcher = page.get_by_role("button", name="Demo Org, open organization switcher")
    expect(switcher).to_be_visible()
    profile = page.locator("#org-profile")
    expect(profile.get_by_role("heading", name="General")).to_be_visible()
    expect(page.locator("#no-org")).to_be_hidden()

    profile.get_by_role("button", name="Members").click()
    profile.get_by_role("button", name="Invite").click()
    invitee = "demo-invitee+clerk_test@example.com"
    profile.get_by_label("Email addresses").fill(invitee)
    profile.get_by_role("button", name="Send invitations").click()
    expect(profile.get_by_role("button", name="Revoke invitation")).to_be_visible()
    with urllib.request.urlopen(f"{demo.url}/__emulator/outbox?to={invitee.replace('+', '%2B')}") as response:
        assert json.load(response)["total_count"] == 1
    screenshot(page, "organizations-members")

    switcher.click()
    page.get_by_role("dialog", name="Organizations").get_by_role("button", name="Personal account").click()
    expect(page.locator("#no-org")).to_be_visible()
    expect(profile.locator(".cl-navbar")).to_have_count(0)
    expect(page.get_by_role("button", name="Personal account, open organization switcher")).to_be_visible()

    phone = visitor.open("/organizations.html", viewport=PHONE)
    expect(phone.get_by_role("button", name="Demo Org")).to_be_visible()
    screenshot(phone, "organizations-phone")
    assert no_horizontal_scroll(phone), phone.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
        .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).slice(0, 8)""")
    phone.close()
    assert visitor.recorder.outside() == [], "requests left 127.0.0.0/8"
