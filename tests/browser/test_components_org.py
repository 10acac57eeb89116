"""The organization components in Chromium against the local instance: an admin creates an organization from the
OrganizationSwitcher (CreateOrganization in a modal, then its invitation step), switches organizations and a mounted
OrganizationProfile follows, renames, invites and revokes, deletes with the typed confirmation; a plain member sees
only what the role allows and leaves; OrganizationList joins by invitation and selects, in fr-FR at 360 px; verified
domains with the emailed code. axe-core on every step, screenshots under ``test-artifacts/``."""

from __future__ import annotations

import base64
import re
from typing import Any

import components_support as kit
from bapi_client import PASSWORD, Backend
from playwright.sync_api import expect

apps, backend, emu, settings = kit.apps, kit.backend, kit.emu, kit.settings


def signed_in(email: str) -> str:
    return f"await clerk.client.sign_in.create(identifier={email!r}, password={PASSWORD!r})\n"


def test_switcher_creates_switches_and_a_mounted_profile_follows(apps: Any, backend: Backend, emu: Any) -> None:
    email, _ = backend.new_user("orgadmin", first_name="Ada", last_name="Admin")
    invitee = email.replace("orgadmin", "invitee")
    app = apps()
    app.start(signed_in(email) + "clerk.mount_organization_switcher('#a')\nclerk.mount_organization_profile('#b')")
    page = app.page
    trigger = page.get_by_role("button", name="Personal account, open organization switcher")
    expect(trigger).to_be_visible()
    expect(page.locator("#b .cl-navbar")).to_have_count(0)  # no active organization: the profile shows nothing
    trigger.focus()
    page.keyboard.press("Enter")
    popover = page.get_by_role("dialog", name="Organizations")
    expect(popover).to_be_visible()
    assert app.focused()["text"] == "Create organization"
    app.check("org_switcher-open")
    page.keyboard.press("Enter")

    expect(page.get_by_role("dialog", name="Create organization")).to_be_visible()
    dialog = page.locator("dialog")  # named by its heading, which changes with the step
    assert app.focused()["label"] == "Name"
    dialog.get_by_role("button", name="Create organization").click()
    assert app.error_of("Name") == "This field is required and cannot be empty."
    dialog.get_by_label("Name", exact=True).fill("Acme Labs")
    expect(dialog.get_by_label("Slug")).to_have_value("acme-labs")
    app.check("create_organization-form")
    dialog.get_by_role("button", name="Create organization").click()
    expect(dialog.get_by_role("heading", name="Invite new members")).to_be_visible()
    app.check("create_organization-invite")
    dialog.get_by_label("Email addresses").fill(invitee)
    expect(dialog.get_by_label("Role")).to_have_value("org:member")
    dialog.get_by_role("button", name="Send invitations").click()
    expect(dialog).to_have_count(0)
    assert kit.outbox_count(emu, invitee) == 1
    assert app.run("clerk.organization.slug") == "acme-labs"

    # The mounted profile follows the SDK: the new active organization, every action of an admin.
    profile = page.locator("#b")
    expect(profile.get_by_role("heading", name="General")).to_be_visible()
    expect(profile.get_by_text("Acme Labs")).to_be_visible()
    expect(page.get_by_role("button", name="Acme Labs, open organization switcher")).to_be_visible()
    app.check("org_profile-general")
    app.run("await clerk.create_organization(name='Beta')")
    page.get_by_role("button", name="Acme Labs, open organization switcher").click()
    page.get_by_role("dialog", name="Organizations").get_by_role("button", name="Beta").click()
    expect(page.locator("#a [role=status]")).to_have_text("Beta is now active.")
    expect(profile.get_by_text("Beta", exact=True)).to_be_visible()

    profile.get_by_role("button", name="Update profile").click()
    assert app.focused()["label"] == "Name"
    profile.get_by_label("Name", exact=True).fill("Beta Team")
    profile.get_by_role("button", name="Save").click()
    expect(profile.get_by_role("alert")).to_have_text("The organization has been updated.")
    expect(page.get_by_role("button", name="Beta Team, open organization switcher")).to_be_visible()

    # "Manage" opens the same profile in a modal; Escape closes it and gives focus back to the trigger.
    page.get_by_role("button", name="Beta Team, open organization switcher").click()
    page.get_by_role("button", name="Manage").click()
    modal = page.get_by_role("dialog", name="Organization")
    expect(modal.get_by_role("heading", name="General")).to_be_visible()
    app.check("org_profile-modal")
    page.keyboard.press("Escape")
    expect(modal).to_have_count(0)
    assert app.focused()["label"] == "Beta Team, open organization switcher"

    profile.get_by_role("button", name="Members").click()
    expect(profile.get_by_text("Ada Admin")).to_be_visible()
    expect(profile.get_by_text("No invitations to display")).to_be_visible()
    app.check("org_profile-members")
    # Back to Acme: the open Members page reads Acme's lists; the invitation is revoked.
    page.get_by_role("button", name="Beta Team, open organization switcher").click()
    page.get_by_role("dialog", name="Organizations").get_by_role("button", name="Acme Labs").click()
    revoke = profile.get_by_role("button", name="Revoke invitation")
    expect(revoke).to_be_visible()
    expect(profile.get_by_text(invitee, exact=False)).to_be_visible()
    revoke.click()
    expect(profile.get_by_text("No invitations to display")).to_be_visible()
    expect(profile.locator("[role=status]")).to_have_text("The members were updated.")

    # Strict-CSP-safe: no style attribute and no inline handler anywhere in the components.
    assert page.evaluate("""[...document.querySelectorAll('.cl-rootBox, .cl-rootBox *')].filter(
        e => e.hasAttribute('style') || [...e.attributes].some(a => a.name.startsWith('on'))).length""") == 0
    profile.get_by_role("button", name="General").click()
    profile.get_by_role("button", name="Delete organization").click()
    field = profile.get_by_label('Type "Acme Labs" below to continue.')
    field.fill("Acme")
    profile.get_by_role("button", name="Delete organization").click()
    assert app.error_of('Type "Acme Labs" below to continue.') == "The value entered is invalid. Please correct it."
    app.check("org_profile-delete")
    field.fill("Acme Labs")
    profile.get_by_role("button", name="Delete organization").click()
    expect(profile.locator(".cl-navbar")).to_have_count(0)
    expect(page.get_by_role("button", name="Personal account, open organization switcher")).to_be_visible()
    assert app.run("[m.organization.name for m in clerk.user.organization_memberships]") == ["Beta Team"]


def test_a_member_sees_only_what_the_role_allows_and_leaves(apps: Any, backend: Backend) -> None:
    _, admin_id = backend.new_user("owner", first_name="Olga", last_name="Owner")
    email, user_id = backend.new_user("member", first_name="Max", last_name="Member")
    org = backend.call("POST", "/organizations", {"name": "Gamma", "created_by": admin_id})
    backend.call("POST", f"/organizations/{org['id']}/memberships", {"user_id": user_id, "role": "org:member"})
    app = apps(viewport={"width": 360, "height": 740})
    app.start(signed_in(email) + f"await clerk.set_active(organization={org['id']!r})\n"
              "clerk.open_organization_profile()")
    page = app.page
    dialog = page.get_by_role("dialog", name="Organization")
    expect(dialog.get_by_text("Gamma")).to_be_visible()
    expect(dialog.get_by_role("button", name="Update profile")).to_have_count(0)
    expect(dialog.get_by_role("button", name="Delete organization")).to_have_count(0)
    dialog.get_by_role("button", name="Members").click()
    expect(dialog.get_by_text("Olga Owner")).to_be_visible()
    expect(dialog.get_by_role("button", name="Invite")).to_have_count(0)
    expect(dialog.get_by_role("combobox")).to_have_count(0)
    expect(dialog.get_by_role("button", name="Remove member")).to_have_count(0)
    assert page.evaluate("document.querySelector('dialog').scrollWidth <= 360")
    app.check("org_profile-member-view")
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)

    app.run("clerk.open_organization_profile()")
    dialog.get_by_role("button", name="Leave organization").click()
    dialog.get_by_label('Type "Gamma" below to continue.').fill("Gamma")
    dialog.get_by_role("button", name="Leave organization").click()
    expect(dialog).to_have_count(0)  # nothing left to show: the modal closes
    assert app.run("[clerk.organization, len(clerk.user.organization_memberships)]") == [None, 0]
    assert backend.call("GET", f"/organizations/{org['id']}/memberships")["total_count"] == 1


def test_organization_list_joins_by_invitation_in_fr_fr_at_360px(apps: Any, backend: Backend) -> None:
    _, admin_id = backend.new_user("inviter")
    email, _ = backend.new_user("joiner")
    org = backend.call("POST", "/organizations", {"name": "Delta", "created_by": admin_id})
    backend.call("POST", f"/organizations/{org['id']}/invitations",
                 {"email_address": email, "role": "org:member", "inviter_user_id": admin_id})
    app = apps(viewport={"width": 360, "height": 740})
    app.start(signed_in(email) + "clerk.mount_organization_list('#a', localization='fr-FR')")
    page = app.page
    expect(page.get_by_role("heading", name="Choisissez un compte")).to_be_visible()
    join = page.get_by_role("button", name="Rejoindre Delta")
    expect(join).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    app.check("org_list-fr-invitation")
    join.click()
    select = page.get_by_role("button", name="Delta")
    expect(select).to_be_visible()
    expect(join).to_have_count(0)
    select.click()
    expect(page.locator("#a [role=status]")).to_have_text("Delta est maintenant active.")
    expect(select).to_have_attribute("aria-current", "true")
    assert app.run("clerk.organization.name") == "Delta"
    page.get_by_role("button", name="Créer une organisation").click()
    expect(page.get_by_label("Nom", exact=True)).to_be_focused()
    app.check("org_list-fr-create")
    page.get_by_label("Nom", exact=True).fill("Epsilon")
    page.get_by_role("button", name="Créer une organisation").click()  # the form's submit now
    expect(page.get_by_role("button", name="Epsilon")).to_have_attribute("aria-current", "true")
    assert "Epsilon" in app.page.locator("body").inner_text()
    assert "Personal account" not in page.locator("#a").inner_text()


def test_verified_domain_with_an_emailed_code(apps: Any, backend: Backend, emu: Any, settings: Any) -> None:
    settings({"organization_settings": {"domains": {"enabled": True}}})
    email, _ = backend.new_user("domains")
    # Someone at the domain: an automatic mode sends this user a pending invitation.
    backend.call("POST", "/users", {"email_address": ["sam@zeta-labs.test"], "password": PASSWORD})
    app = apps()
    app.start(signed_in(email) + "org = await clerk.create_organization(name='Zeta')\n"
              "await clerk.set_active(organization=org)\nclerk.mount_organization_profile('#a')")
    page = app.page
    page.get_by_role("button", name="Add domain").click()
    page.get_by_label("Domain").fill("zeta-labs.test")
    page.get_by_role("button", name="Add").click()
    page.get_by_label("Verification email address").fill("owner@zeta-labs.test")
    page.get_by_role("button", name="Continue", exact=True).click()
    first = kit.outbox_code(emu, "owner@zeta-labs.test")
    page.get_by_role("button", name="Didn't receive a code? Resend").click()
    for _ in range(100):  # the resent code replaces the first one
        if kit.outbox_count(emu, "owner@zeta-labs.test") == 2:
            break
        page.wait_for_timeout(100)
    code = kit.outbox_code(emu, "owner@zeta-labs.test")
    assert code != first
    page.get_by_label("Verification code").fill(code)
    app.check("org_profile-domain-code")
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("alert")).to_have_text("The organization has been updated.")
    expect(page.get_by_text("Verified", exact=True)).to_be_visible()

    # "Manage": the enrollment mode, saved; an automatic mode invites the user at the domain.
    page.get_by_role("button", name="Manage").click()
    mode = page.get_by_label("Enrollment mode of zeta-labs.test")
    expect(mode).to_be_focused()
    drop = page.get_by_label("Delete pending invitations and suggestions")
    expect(drop).to_be_visible()  # the mode is manual: offers made under the old mode may go
    mode.select_option("automatic_invitation")
    expect(drop).to_be_hidden()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#a [role=status]")).to_have_text("The organization has been updated.")
    domain = "(await clerk.organization.get_domains()).data[0]"
    assert app.run(f"[{domain}.enrollment_mode, {domain}.total_pending_invitations]") == ["automatic_invitation", 1]

    # Back to manual, deleting what is pending (clerk-js's delete_pending).
    page.get_by_role("button", name="Manage").click()
    expect(page.get_by_text("Pending invitations sent to users: 1")).to_be_visible()
    expect(page.get_by_text("Changing the enrollment mode will only affect new users.")).to_be_visible()
    mode.select_option("manual_invitation")
    drop.check()
    app.check("org_profile-domain-enrollment")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#a [role=status]")).to_have_text("The organization has been updated.")
    assert app.run(f"[{domain}.enrollment_mode, {domain}.total_pending_invitations]") == ["manual_invitation", 0]
    app.check("org_profile-domains")


NOTES = """
def notes(element):
    label = js.document.createElement("label")
    label.textContent = "Team notes " + clerk.organization.name
    label.append(js.document.createElement("input"))
    element.append(label)
"""


def test_members_search_pages_dates_in_two_locales_and_a_custom_page(apps: Any, backend: Backend) -> None:
    email, admin_id = backend.new_user("lead", first_name="Lea", last_name="Lead")
    org = backend.call("POST", "/organizations", {"name": "Sigma", "created_by": admin_id,
                                                  "max_allowed_memberships": 0})
    for n in range(12):
        _, user_id = backend.new_user("crew", first_name=f"Crew{n:02d}", last_name="Zed" if n == 7 else "Mate")
        backend.call("POST", f"/organizations/{org['id']}/memberships", {"user_id": user_id, "role": "org:member"})
    tag = org["id"][-8:].lower()
    for first in (0, 10):  # 11 invitations, at most 10 a call
        backend.call("POST", f"/organizations/{org['id']}/invitations/bulk", [
            {"email_address": f"guest{n}-{tag}@example.com", "role": "org:member", "inviter_user_id": admin_id}
            for n in range(first, min(first + 10, 11))])
    app = apps()
    app.start(signed_in(email) + f"await clerk.set_active(organization={org['id']!r})\n" + NOTES +
              "clerk.mount_organization_profile('#a', custom_pages=[{'label': 'Notes', 'url': 'notes', "
              "'render': notes}])")
    page = app.page
    profile = page.locator("#a")
    profile.get_by_role("button", name="Members").click()
    members = profile.locator("section", has=page.get_by_role("heading", name="Members", level=3))
    expect(members.get_by_text("Displaying 1 – 10 of 13")).to_be_visible()
    today = page.evaluate("new Date().toLocaleDateString('en-US')")
    expect(members.get_by_text(f"Joined {today}")).to_have_count(10)
    app.check("org_profile-members-pages")

    # Keyboard: "Next" reads page 2; it is then disabled, so focus stays on the page's own button.
    members.get_by_role("button", name="Next").focus()
    page.keyboard.press("Enter")
    expect(members.get_by_text("Displaying 11 – 13 of 13")).to_be_visible()
    expect(members.get_by_role("button", name="Next")).to_be_disabled()
    assert app.focused()["text"] == "2"
    page.keyboard.press("Shift+Tab")
    assert app.focused()["text"] == "1"
    page.keyboard.press("Enter")
    expect(members.get_by_text("Displaying 1 – 10 of 13")).to_be_visible()
    assert app.focused()["text"] == "1"

    # "Search": the instance filters (the memberships' query parameter); the box keeps focus and its text.
    search = profile.get_by_role("searchbox", name="Search")
    search.fill("zed")
    expect(members.get_by_text(re.compile(r"^Crew07 Zed"))).to_be_visible()
    expect(members.get_by_text(re.compile(r"^Joined"))).to_have_count(1)
    expect(members.get_by_text(re.compile(r"^Displaying"))).to_have_count(0)
    expect(search).to_be_focused()
    expect(search).to_have_value("zed")
    app.check("org_profile-members-search")
    search.fill("nobody-here")
    search.press("Enter")
    expect(members.get_by_text("No members to display")).to_be_visible()
    search.fill("")
    expect(members.get_by_text("Displaying 1 – 10 of 13")).to_be_visible()

    # Invitations have pages too; a page emptied by a revocation gives way to the one before.
    invitations = profile.locator("section", has=page.get_by_role("heading", name="Invitations", level=3))
    expect(invitations.get_by_text("Displaying 1 – 10 of 11")).to_be_visible()
    invitations.get_by_role("button", name="2", exact=True).click()
    expect(invitations.get_by_text("Displaying 11 – 11 of 11")).to_be_visible()
    expect(invitations.get_by_text(f"Invited {today}")).to_have_count(1)
    invitations.get_by_role("button", name="Revoke invitation").click()
    expect(invitations.get_by_text(f"Invited {today}")).to_have_count(10)
    expect(invitations.get_by_text(re.compile(r"^Displaying"))).to_have_count(0)

    # fr-FR: the same page, its words and dates in French.
    app.run("clerk.mount_organization_profile('#b', localization='fr-FR')")
    french = page.locator("#b")
    french.get_by_role("button", name="Membres").click()
    expect(french.get_by_text("Affichage 1 – 10 sur 13")).to_be_visible()
    aujourdhui = page.evaluate("new Date().toLocaleDateString('fr-FR')")
    expect(french.get_by_text(f"Membre depuis le {aujourdhui}")).to_have_count(10)
    expect(french.get_by_role("searchbox", name="Rechercher")).to_be_visible()
    expect(french.get_by_role("button", name="Suivant")).to_be_visible()
    app.check("org_profile-members-fr")

    # The app's own page, rendered by its callback into the page's element.
    profile.get_by_role("button", name="Notes").click()
    expect(profile.get_by_role("heading", name="Notes")).to_be_visible()
    expect(profile.get_by_label("Team notes Sigma")).to_be_focused()
    expect(profile.get_by_role("button", name="Notes")).to_have_attribute("aria-current", "page")
    app.check("org_profile-custom-page")
    error = app.run("""
try:
    clerk.mount_organization_profile('#c', custom_pages=[{'label': 'Broken'}])
    result = None
except Exception as exc:
    result = f"{type(exc).__name__}: {exc}"
result""")
    assert error.startswith("ClerkValidationError: OrganizationProfile: custom_pages entries are {'label'")


def test_an_admin_changes_a_role_and_removes_a_member(apps: Any, backend: Backend) -> None:
    email, admin_id = backend.new_user("boss", first_name="Bea", last_name="Boss")
    _, user_id = backend.new_user("staff", first_name="Sam", last_name="Staff")
    org = backend.call("POST", "/organizations", {"name": "Kappa", "created_by": admin_id})
    backend.call("POST", f"/organizations/{org['id']}/memberships", {"user_id": user_id, "role": "org:member"})
    app = apps()
    app.start(signed_in(email) + f"await clerk.set_active(organization={org['id']!r})\n"
              "clerk.mount_organization_profile('#a')")
    page = app.page
    page.get_by_role("button", name="Members").click()
    role = page.get_by_role("combobox", name=re.compile(r"^Role of Sam Staff"))
    expect(role).to_have_value("org:member")
    app.check("org_profile-admin-members")
    role.select_option("org:admin")
    expect(page.locator("#a [role=status]")).to_have_text("The members were updated.")
    members = backend.call("GET", f"/organizations/{org['id']}/memberships")["data"]
    assert {m["public_user_data"]["user_id"]: m["role"] for m in members}[user_id] == "org:admin"
    page.get_by_role("button", name="Remove member").click()
    expect(page.get_by_text("Sam Staff")).to_have_count(0)
    assert backend.call("GET", f"/organizations/{org['id']}/memberships")["total_count"] == 1


def test_a_suggestion_becomes_a_request_the_admin_approves(apps: Any, backend: Backend, settings: Any) -> None:
    settings({"organization_settings": {"domains": {"enabled": True}}})
    admin_email, admin_id = backend.new_user("approver")
    org = backend.call("POST", "/organizations", {"name": "Omega", "created_by": admin_id})
    backend.call("POST", f"/organizations/{org['id']}/domains",
                 {"name": "omega-labs.test", "enrollment_mode": "automatic_suggestion", "verified": True})
    email = f"sam{org['id'][-6:].lower()}@omega-labs.test"
    backend.call("POST", "/users", {"email_address": [email], "password": PASSWORD, "first_name": "Sam"})
    user = apps()
    user.start(signed_in(email) + "clerk.mount_organization_list('#a')")
    page = user.page
    ask = page.get_by_role("button", name="Request to join Omega")
    expect(ask).to_be_visible()
    user.check("org_list-suggestion")
    ask.click()
    expect(page.get_by_text("Pending approval")).to_be_visible()

    admin = apps()
    admin.start(signed_in(admin_email) + f"await clerk.set_active(organization={org['id']!r})\n"
                "clerk.mount_organization_profile('#a')")
    profile = admin.page
    profile.get_by_role("button", name="Members").click()
    expect(profile.get_by_role("heading", name="Requests")).to_be_visible()
    admin.check("org_profile-requests")
    profile.get_by_role("button", name="Approve").click()
    expect(profile.get_by_text("Sam · " + email)).to_be_visible()  # now a member
    expect(profile.get_by_role("button", name="Approve")).to_have_count(0)
    members = backend.call("GET", f"/organizations/{org['id']}/memberships")["data"]
    assert len(members) == 2


PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5Er"
                       "kJggg==")


def test_the_logo_is_uploaded_and_removed(apps: Any, backend: Backend) -> None:
    email, _ = backend.new_user("logo")
    app = apps()
    app.start(signed_in(email) + "org = await clerk.create_organization(name='Lambda')\n"
              "await clerk.set_active(organization=org)\nclerk.mount_organization_profile('#a')")
    page = app.page
    page.get_by_role("button", name="Update profile").click()
    page.get_by_label("Logo").set_input_files(files=[{"name": "logo.png", "mimeType": "image/png", "buffer": PNG}])
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_have_text("The organization has been updated.")
    expect(page.locator("#a .cl-orgAvatar img")).to_have_count(1)
    assert app.run("clerk.organization.has_image") is True
    page.get_by_role("button", name="Update profile").click()
    page.get_by_role("button", name="Remove logo").click()
    expect(page.get_by_role("alert")).to_have_text("The organization has been updated.")
    expect(page.locator("#a .cl-orgAvatar img")).to_have_count(0)
    assert app.run("clerk.organization.has_image") is False
