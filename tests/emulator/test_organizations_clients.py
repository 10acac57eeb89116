"""Clerk's own clients, unchanged, through the organization story against the local Clerk instance:
@clerk/backend 3.25.0 (Node) and clerk-backend-api 7.0.0 (Python) on the Backend API, and @clerk/clerk-js
6.40.0 in Chromium on the Frontend API (two browser contexts: an admin and the member it invites).

Story: an admin creates an organization and invites a second user, who signs in and accepts; the admin changes
the member's role; ``has(permission=…)`` flips once the member's token is refreshed; the member leaves.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from clerk_emulator.kit import LocalProcess
from emu_support import PASSWORD, Bapi, Fapi, email_of

pytestmark = [pytest.mark.emulator, pytest.mark.realclient]

ROOT = Path(__file__).resolve().parents[2]
NODE_DIR = Path(__file__).resolve().parent / "node"
# A custom role with a custom permission, so that the token's o.per / o.fpm / fea claims carry something.
SETTINGS = {"organization_settings": {"domains": {"enabled": True}, "roles": {
    "org:editor": {"name": "Editor", "permissions": ["org:sys_memberships:read", "org:posts:edit"]}}}}


def _npm() -> Any:
    sys.path.insert(0, str(ROOT / "build"))
    try:
        import npm_deps
        import versions
    finally:
        sys.path.pop(0)
    return npm_deps, versions


@pytest.fixture(scope="module")
def emu(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalProcess]:
    folder = tmp_path_factory.mktemp("clerk-org-clients")
    (folder / "settings.json").write_text(json.dumps(SETTINGS))
    site = folder / "site"
    site.mkdir()
    with LocalProcess(folder / "data", settings_file=folder / "settings.json", static_dir=site) as proc:
        proc.site = site  # type: ignore[attr-defined]
        yield proc


def _node(emu: LocalProcess, node_modules: Path, phase: str, state: dict[str, Any]) -> dict[str, Any]:
    env = {**os.environ, "CLERK_NODE_MODULES": str(node_modules), "CLERK_API_URL": emu.fapi_url + "/bapi",
           "CLERK_SECRET_KEY": emu.secret_key, "CLERK_PUBLISHABLE_KEY": emu.publishable_key, "PHASE": phase,
           "STATE": json.dumps(state)}
    proc = subprocess.run(["node", str(NODE_DIR / "organizations_client.mjs")], env=env, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, f"phase {phase}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def _token(browser: Fapi) -> str:
    r = browser.call("POST", f"/v1/client/sessions/{browser.session_id}/tokens")
    assert r.status == 200, r
    return str(r.json["jwt"])


def test_clerk_backend_node_organization_story(emu: LocalProcess, node_modules: Path) -> None:
    with Bapi(emu) as bapi:
        admin_user = bapi.create_user(first_name="Admin")
        member_user = bapi.create_user(first_name="Member")
    member = Fapi(emu)
    member.sign_in(email_of(member_user))
    state: dict[str, Any] = {"adminId": admin_user["id"], "memberId": member_user["id"],
                             "memberEmail": email_of(member_user), "domain": f"node{secrets.token_hex(3)}.test"}
    state.update(_node(emu, node_modules, "setup", state))
    # The member accepts in the browser (FAPI) and makes the organization active.
    r = member.call("POST", f"/v1/me/organization_invitations/{state['invitationId']}/accept")
    assert r.status == 200, r
    member.call("POST", f"/v1/client/sessions/{member.session_id}/touch",
                {"active_organization_id": state["organizationId"]})
    state["memberToken"] = _token(member)
    results = _node(emu, node_modules, "member", state)
    assert results == {"memberHasMemberRole": True, "memberCanEditPosts": False, "systemPermissionServerSide": False}
    state["memberToken"] = _token(member)  # after the promotion by the backend
    assert _node(emu, node_modules, "promoted", state) == {"editorCanEditPosts": True, "editorHasMemberRole": False}
    r = member.call("DELETE", f"/v1/me/organization_memberships/{state['organizationId']}")
    assert r.status == 200, r
    assert _node(emu, node_modules, "left", state) == {"deleted": True}
    member.close()


@pytest.mark.filterwarnings("ignore::DeprecationWarning:clerk_backend_api")
@pytest.mark.filterwarnings("ignore:.*DEPRECATED.*:DeprecationWarning")  # list_pending: deprecated, still served
def test_clerk_backend_api_python_organizations(emu: LocalProcess) -> None:
    from clerk_backend_api import Clerk
    from clerk_backend_api.models import ClerkErrors

    with Bapi(emu) as bapi:
        admin_user, member_user = bapi.create_user(), bapi.create_user()
    with Clerk(bearer_auth=emu.secret_key, server_url=emu.bapi_url) as clerk:
        org = clerk.organizations.create(request={"name": "Py Org", "created_by": admin_user["id"],
                                                  "public_metadata": {"a": {"b": 1}}})
        assert org.name == "Py Org" and org.members_count == 1
        assert clerk.organizations.get(organization_id=org.slug).id == org.id
        updated = clerk.organizations.update(organization_id=org.id, name="Py Org 2", admin_delete_enabled=False,
                                             max_allowed_memberships=4)
        assert (updated.name, updated.admin_delete_enabled, updated.max_allowed_memberships) == (
            "Py Org 2", False, 4)
        merged = clerk.organizations.merge_metadata(organization_id=org.id,
                                                    public_metadata={"a": {"b": None, "c": 2}})
        assert merged.public_metadata == {"a": {"c": 2}}
        replaced = clerk.organizations.replace_metadata(organization_id=org.id, private_metadata={"p": 1})
        assert replaced.private_metadata == {"p": 1} and replaced.public_metadata == {"a": {"c": 2}}
        listed = clerk.organizations.list(query="Py Org 2")
        assert listed is not None and [o.id for o in listed.data] == [org.id]
        mem = clerk.organization_memberships.create(organization_id=org.id, user_id=member_user["id"],
                                                    role="org:member")
        assert mem.role == "org:member"
        mem = clerk.organization_memberships.update(organization_id=org.id, user_id=member_user["id"],
                                                    role="org:editor")
        assert mem.role == "org:editor" and "org:posts:edit" in (mem.permissions or [])
        mem = clerk.organization_memberships.update_metadata(organization_id=org.id, user_id=member_user["id"],
                                                             public_metadata={"team": "red"})
        assert mem.public_metadata == {"team": "red"}
        page = clerk.organization_memberships.list(organization_id=org.id)
        assert page is not None and page.total_count == 2
        invite_to = f"py-{secrets.token_hex(3)}@example.com"
        inv = clerk.organization_invitations.create(organization_id=org.id, email_address=invite_to,
                                                    role="org:member", inviter_user_id=admin_user["id"])
        assert inv.status == "pending" and inv.organization_id == org.id
        bulk = clerk.organization_invitations.bulk_create(organization_id=org.id, request_body=[
            {"email_address": f"py2-{secrets.token_hex(3)}@example.com", "role": "org:member", "notify": False}])
        assert bulk.total_count == 1
        pending = clerk.organization_invitations.list_pending(organization_id=org.id)
        assert pending is not None and pending.total_count == 2
        assert clerk.organization_invitations.get(organization_id=org.id, invitation_id=inv.id).id == inv.id
        revoked = clerk.organization_invitations.revoke(organization_id=org.id, invitation_id=inv.id)
        assert revoked.status == "revoked"
        everyone = clerk.organization_invitations.get_all(status="revoked")
        assert everyone is not None and inv.id in [i.id for i in everyone.data]
        domain = clerk.organization_domains.create(organization_id=org.id, name=f"py{secrets.token_hex(3)}.test",
                                                   enrollment_mode="manual_invitation", verified=True)
        assert domain.enrollment_mode == "manual_invitation"
        domain = clerk.organization_domains.update(organization_id=org.id, domain_id=domain.id,
                                                   enrollment_mode="automatic_suggestion")
        assert domain.enrollment_mode == "automatic_suggestion"
        domains = clerk.organization_domains.list(organization_id=org.id)
        assert domains.total_count == 1
        clerk.organization_domains.delete(organization_id=org.id, domain_id=domain.id)
        with pytest.raises(ClerkErrors) as excinfo:
            clerk.organization_memberships.create(organization_id=org.id, user_id=member_user["id"],
                                                  role="org:member")
        assert excinfo.value.data.errors[0].code == "already_a_member_in_organization"
        removed = clerk.organization_memberships.delete(organization_id=org.id, user_id=member_user["id"])
        assert removed.role == "org:editor"
        deleted = clerk.organizations.delete(organization_id=org.id)
        assert deleted.deleted is True


PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>clerk-js organizations</title></head>
<body>
<script src="/clerk-js/clerk.browser.js" data-clerk-publishable-key="{pk}" data-clerk-proxy-url="{proxy}"
        crossorigin="anonymous"></script>
</body></html>
"""


@pytest.fixture(scope="module")
def chromium(emu: LocalProcess) -> Iterator[Any]:
    """Chromium (Debian's) with the pinned clerk-js bundle served by the instance itself (one origin)."""
    from playwright.sync_api import sync_playwright

    npm_deps, versions = _npm()
    dist = Path(npm_deps.ensure()) / "@clerk" / "clerk-js" / "dist"
    site: Path = emu.site  # type: ignore[attr-defined]
    (site / "clerk-js").mkdir(exist_ok=True)
    for item in dist.iterdir():
        if item.is_file() and "clerk.browser" in item.name:
            shutil.copy2(item, site / "clerk-js" / item.name)
    (site / "index.html").write_text(PAGE.format(pk=emu.publishable_key, proxy=emu.fapi_url))
    if not Path(versions.CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {versions.CHROMIUM} (Debian package 'chromium')")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=versions.CHROMIUM, args=versions.CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


def _clerk_js_page(chromium: Any, emu: LocalProcess, email: str) -> tuple[Any, Any, list[str]]:
    """A fresh browser context with clerk-js loaded and ``email`` signed in; only loopback traffic allowed."""
    from urllib.parse import urlsplit

    context = chromium.new_context()
    outside: list[str] = []

    def guard(route: Any) -> None:
        host = urlsplit(route.request.url).hostname or ""
        if route.request.url.startswith(("data:", "blob:")) or host == "127.0.0.1":
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.goto(emu.fapi_url + "/index.html")
    signed = page.evaluate("""async ([identifier, password]) => {
        await window.Clerk.load();
        const si = await window.Clerk.client.signIn.create({identifier, password});
        await window.Clerk.setActive({session: si.createdSessionId});
        return window.Clerk.user.id;
    }""", [email, PASSWORD])
    assert signed
    return context, page, outside


@pytest.mark.browser
def test_clerk_js_organization_story_in_chromium(emu: LocalProcess, chromium: Any) -> None:
    with Bapi(emu) as bapi:
        admin_user, member_user = bapi.create_user(), bapi.create_user()
        admin_ctx, admin, outside_a = _clerk_js_page(chromium, emu, email_of(admin_user))
        member_ctx, member, outside_m = _clerk_js_page(chromium, emu, email_of(member_user))
        try:
            created = admin.evaluate("""async (memberEmail) => {
                const org = await window.Clerk.createOrganization({name: "clerk-js Org"});
                await window.Clerk.setActive({organization: org.id});
                const invitation = await window.Clerk.organization.inviteMember({emailAddress: memberEmail,
                                                                                 role: "org:member"});
                const invitations = await window.Clerk.organization.getInvitations({status: ["pending"]});
                return {id: org.id, slug: org.slug, active: window.Clerk.organization?.id,
                        invitation: invitation.status, listed: invitations.total_count,
                        canManage: window.Clerk.session.checkAuthorization({permission: "org:sys_memberships:manage"})};
            }""", email_of(member_user))
            assert created["active"] == created["id"] and created["invitation"] == "pending"
            assert created["listed"] == 1 and created["canManage"] is True
            joined = member.evaluate("""async (orgSlug) => {
                const page = await window.Clerk.user.getOrganizationInvitations();
                const invitation = page.data[0];
                await invitation.accept();
                await window.Clerk.setActive({organization: orgSlug});  // by slug, as clerk-js allows
                const s = window.Clerk.session;
                return {total: page.total_count, org: invitation.publicOrganizationData.id,
                        active: window.Clerk.organization?.id,
                        read: s.checkAuthorization({permission: "org:sys_memberships:read"}),
                        manage: s.checkAuthorization({permission: "org:sys_memberships:manage"}),
                        role: s.checkAuthorization({role: "org:member"})};
            }""", created["slug"])
            assert joined == {"total": 1, "org": created["id"], "active": created["id"], "read": True,
                              "manage": False, "role": True}
            promoted = admin.evaluate("""async (memberId) => {
                const page = await window.Clerk.organization.getMemberships();
                const membership = page.data.find(m => m.publicUserData.userId === memberId);
                const updated = await membership.update({role: "org:editor"});
                return {count: page.total_count, role: updated.role};
            }""", member_user["id"])
            assert promoted == {"count": 2, "role": "org:editor"}
            after = member.evaluate("""async () => {
                const token = await window.Clerk.session.getToken({skipCache: true});
                const claims = JSON.parse(atob(token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
                await window.Clerk.user.reload();  // clerk-js reads roles from the user's memberships
                const s = window.Clerk.session;
                return {rol: claims.o.rol, per: claims.o.per, fea: claims.fea,
                        edit: s.checkAuthorization({permission: "org:posts:edit"}),
                        member: s.checkAuthorization({role: "org:member"})};
            }""")
            assert after == {"rol": "editor", "per": "edit", "fea": "o:posts", "edit": True, "member": False}
            left = member.evaluate("""async (orgId) => {
                await window.Clerk.user.leaveOrganization(orgId);
                return {memberships: window.Clerk.user.organizationMemberships.length,
                        active: window.Clerk.organization?.id ?? null,
                        edit: window.Clerk.session.checkAuthorization({permission: "org:posts:edit"})};
            }""", created["id"])
            assert left == {"memberships": 0, "active": None, "edit": False}
            remaining = bapi.call("GET", f"/organizations/{created['id']}/memberships").json
            assert [m["public_user_data"]["user_id"] for m in remaining["data"]] == [admin_user["id"]]
            assert outside_a == [] and outside_m == []
        finally:
            admin_ctx.close()
            member_ctx.close()
