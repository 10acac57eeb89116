"""OrganizationProfile's pages beyond its first screen (imported when shown): Members (roles, pending invitations and
membership requests, the invitation form) and verified domains (add, prove with an emailed code, enrollment mode,
remove); every action only for a member allowed to do it."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ._dom import Scope
from ._kit import Field, Form, bound, button, link_button, run_action
from .organization_components import can, org_settings

if TYPE_CHECKING:
    from ._component import Component
    from .organization_profile import OrganizationProfile

__all__ = ["build", "build_domains", "invite_form", "load", "load_domains"]

ENROLLMENT = "organizationProfile.verifiedDomainPage.enrollmentTab"


def _person(data: Any) -> str:
    """How a member or requester is named: full name and identifier."""
    data = data or {}
    name = " ".join(n for n in (data.get("first_name"), data.get("last_name")) if n)
    identifier = str(data.get("identifier") or "")
    return f"{name} · {identifier}" if name and identifier else name or identifier


def _select(view: Component, scope: Scope, label: str, value: str, choices: list[tuple[str, str]] | None,
            on_change: Callable[[str], Any] | None = None) -> Any:
    """A labelled ``<select>`` (a member's role, a domain's enrollment mode)."""
    select = view.el("select", "formFieldInput", cls="cl-selectInput", aria_label=label)
    for key, name in choices or [(value, value)]:
        option = view.el("option", None, text=name, value=key)
        option.selected = key == value
        select.append(option)
    if on_change is not None:
        scope.listen(select, "change", lambda _e: on_change(str(select.value)))
    return select


async def _roles(org: Any) -> list[tuple[str, str]]:
    page = await org.get_roles(page_size=50)
    return [(r.key, r.name) for r in page.data]


def invite_form(view: Component, scope: Scope, org: Any, on_sent: Callable[[], Any]) -> Any:
    """Addresses (separated by spaces or commas) and a role; ``invite_members`` sends them all or none."""
    emails = Field(view, "email_address", view.t("formFieldLabel__emailAddresses"), type="email",
                   autocomplete="off")
    default = str(org_settings(view).get("domains", {}).get("default_role") or "org:member")
    holder = view.el("div", "formField")

    async def fill() -> None:
        roles = await _roles(org)
        holder.replaceChildren(view.el("label", "formFieldLabel", text=view.t("formFieldLabel__role")),
                               _select(view, scope, view.t("formFieldLabel__role"), default, roles))
    scope.spawn(fill())

    async def send(values: dict[str, str]) -> None:
        addresses = [a for a in re.split(r"[\s,;]+", values["email_address"]) if a]
        select = holder.querySelector("select")
        role = str(select.value) if select is not None else default
        await org.invite_members(email_addresses=addresses, role=role)
        on_sent()

    form = Form(view, scope, [emails], view.t("organizationProfile.invitePage.formButtonPrimary__continue"), send)
    form.node.insertBefore(holder, form.button)
    return form.node


async def load(view: OrganizationProfile, org: Any) -> dict[str, Any]:
    """What the page lists, read from the server (the lists a member may not read are left out)."""
    manage = can(view, "memberships:manage")
    data: dict[str, Any] = {"org": org.id, "members": (await org.get_memberships(page_size=100)).data,
                            "roles": await _roles(org) if manage else None}
    if manage:
        data["invitations"] = (await org.get_invitations(status=["pending"], page_size=100)).data
        if org_settings(view).get("domains", {}).get("enabled"):
            data["requests"] = (await org.get_membership_requests(status="pending", page_size=100)).data
    return data


def build(view: OrganizationProfile, main: Any, scope: Scope) -> None:
    """The Members page into ``main``."""
    org: Any = view.clerk.organization
    main.append(view.el("h2", "pageTitle", text=view.t("organizationProfile.navbar.members")))
    data = view.data
    if data is None or data.get("org") != org.id:
        main.append(view.el("p", "textSecondary", text=view.t("loading")))
        view.reload()
        return
    manage = can(view, "memberships:manage")
    if manage:
        if view.editing == "invite":
            main.append(view.section(view.t("organizationProfile.invitePage.title"), view.el(
                "p", "textSecondary", text=view.t("organizationProfile.invitePage.subtitle")),
                invite_form(view, scope, org, lambda: view.reload(view.t(
                    "organizationProfile.invitePage.successMessage"))),
                button(view, scope, view.t("userProfile.formButtonReset"), lambda _e: view.edit(None))))
        else:
            main.append(button(view, scope, view.t("organizationProfile.membersPage.action__invite"),
                               lambda _e: view.edit("invite"), "profileSectionPrimaryButton"))
    me = view.clerk.user.id if view.clerk.user else None
    rows = []
    for member in data["members"]:
        who = _person(member.public_user_data)
        mine = member.user_id == me
        if manage and not mine:
            role = _select(view, scope, view.t("organizationProfile.membersPage.roleOf", name=who), member.role,
                               data["roles"], _bound_role(view, scope, member))
            rows.append(view.item(who, role, link_button(
                view, scope, view.t("organizationProfile.membersPage.activeMembersTab.menuAction__remove"),
                bound(_act, view, member.destroy), "profileSectionItemAction")))
        else:
            rows.append(view.item(who, view.el("span", "textSecondary", text=member.role_name or member.role),
                                  badges=(view.t("badge__you"),) if mine else ()))
    main.append(view.section(view.t("organizationProfile.navbar.members"), *rows))
    if not manage:
        return
    rows = [view.item(f"{i.email_address} · {i.role_name or i.role}", link_button(
        view, scope, view.t("organizationProfile.membersPage.invitedMembersTab.menuAction__revoke"),
        bound(_act, view, i.revoke), "profileSectionItemAction")) for i in data["invitations"]]
    main.append(view.section(view.t("organizationProfile.membersPage.start.headerTitle__invitations"), *rows or [
        view.el("p", "textSecondary", text=view.t("organizationProfile.membersPage.table__emptyRow"))]))
    if "requests" in data:
        rows = [view.item(_person(r.public_user_data), *(link_button(
            view, scope, view.t(f"organizationProfile.membersPage.requestsTab.menuAction__{what}"),
            bound(_act, view, getattr(r, what.replace("approve", "accept"))), "profileSectionItemAction")
            for what in ("approve", "reject"))) for r in data["requests"]]
        main.append(view.section(view.t("organizationProfile.membersPage.start.headerTitle__requests"), *rows or [
            view.el("p", "textSecondary", text=view.t("organizationProfile.membersPage.table__emptyRow"))]))


def _bound_role(view: OrganizationProfile, scope: Scope, member: Any) -> Callable[[str], Any]:
    """The change handler of a member's role select."""
    return lambda value: scope.spawn(_act(view, lambda: member.update(role=value)))


async def _act(view: OrganizationProfile, action: Callable[[], Any],
               key: str = "organizationProfile.membersPage.successMessage") -> None:
    if await run_action(view, action()):
        view.reload(view.t(key))


async def load_domains(view: OrganizationProfile, org: Any) -> dict[str, Any]:
    """The organization's domains."""
    return {"org": org.id, "domains": (await org.get_domains(page_size=100)).data}


def _camel(mode: str) -> str:  # automatic_invitation -> automaticInvitation (clerk-js's keys)
    first, *rest = mode.split("_")
    return first + "".join(word.title() for word in rest)


def _verified(domain: Any) -> bool:
    return getattr(domain.affiliation_verification or domain.verification, "status", None) == "verified"


def build_domains(view: OrganizationProfile, main: Any, scope: Scope) -> None:
    """The section into ``main`` (read first when not read yet)."""
    org: Any = view.clerk.organization
    title = view.t("organizationProfile.profilePage.domainSection.title")
    data = view.data
    if data is None or data.get("org") != org.id:
        main.append(view.section(title, view.el("p", "textSecondary", text=view.t("loading"))))
        view.reload()
        return
    manage = can(view, "domains:manage")
    rows = []
    modes = [m for m in org_settings(view).get("domains", {}).get("enrollment_modes") or () if isinstance(m, str)]
    for domain in data["domains"]:
        verified = _verified(domain)
        if view.editing in (f"verify:{domain.id}", f"code:{domain.id}"):
            rows.append(_verify_form(view, scope, domain))
            continue
        actions = []
        if manage and not verified:
            actions.append(link_button(view, scope, view.t(
                "organizationProfile.profilePage.domainSection.menuAction__verify"),
                bound(view.edit, f"verify:{domain.id}"), "profileSectionItemAction"))
        if manage and verified and modes:
            actions.append(_select(view, scope, view.t(
                f"{ENROLLMENT}.formFieldLabel", domain=domain.name),
                domain.enrollment_mode, [(m, view.t(f"{ENROLLMENT}.{_camel(m)}Option__label")) for m in modes],
                _bound_mode(view, scope, domain)))
        if manage:
            actions.append(link_button(view, scope, view.t(
                "organizationProfile.profilePage.domainSection.menuAction__remove"),
                bound(_act, view, domain.delete), "profileSectionItemAction"))
        rows.append(view.item(domain.name, *actions, badges=(view.t(
            "badge__verified" if verified else "badge__unverified"),)))
    if manage and view.editing == "add-domain":
        field = Field(view, "name", view.t("formFieldLabel__organizationDomain"), autocomplete="off")

        async def add(values: dict[str, str]) -> None:
            domain = await org.create_domain(values["name"])
            view.data = None
            view.edit(f"verify:{domain.id}")
        rows.append(view.form(scope, [field], view.t("userProfile.formButtonPrimary__add"), add))
    elif manage:
        rows.append(link_button(view, scope, view.t("organizationProfile.profilePage.domainSection.primaryButton"),
                                bound(view.edit, "add-domain"), "profileSectionPrimaryButton"))
    main.append(view.section(title, *rows))


def _verify_form(view: OrganizationProfile, scope: Scope, domain: Any) -> Any:
    """First an address at the domain (a code is sent to it), then the code."""
    if view.editing == f"verify:{domain.id}":
        field = Field(view, "affiliation_email_address", view.t("formFieldLabel__organizationDomainEmailAddress"),
                      type="email", autocomplete="email")

        async def send(values: dict[str, str]) -> None:
            await domain.prepare_affiliation_verification(affiliation_email_address=values[field.name])
            view.edit(f"code:{domain.id}")
        hint = view.t("formFieldLabel__organizationDomainEmailAddressDescription")
        form = view.form(scope, [field], view.t("formButtonPrimary"), send)
    else:
        field = Field(view, "code", view.t("formFieldLabel__code"), autocomplete="one-time-code", code=True,
                      numeric=True)

        async def verify(values: dict[str, str]) -> None:
            await domain.attempt_affiliation_verification(code=values["code"])
            view.reload(view.t("organizationProfile.profilePage.successMessage"))
        hint = view.t("organizationProfile.verifyDomainPage.subtitleVerificationCodeScreen",
                      emailAddress=domain.affiliation_email_address or "")
        form = view.form(scope, [field], view.t("formButtonPrimary__verify"), verify)
    return view.el("div", None, view.el("p", "textSecondary", text=hint), form)


def _bound_mode(view: OrganizationProfile, scope: Scope, domain: Any) -> Callable[[str], Any]:
    return lambda value: scope.spawn(_act(view, lambda: domain.update_enrollment_mode(enrollment_mode=value),
                                          "organizationProfile.profilePage.successMessage"))
