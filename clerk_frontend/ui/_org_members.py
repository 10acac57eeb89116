"""OrganizationProfile's pages beyond its first screen (imported when shown): Members (roles, pending invitations and
membership requests, the invitation form) and verified domains (add, prove with an emailed code, enrollment mode,
remove); every action only for a member allowed to do it."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import js

from ._dom import Scope
from ._kit import Checkbox, Field, Form, bound, button, link_button, run_action
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


SIZE = 10  # clerk-js's page size of the Members page's lists
M = "organizationProfile.membersPage"


def pages(page: int, count: int) -> list[int | None]:
    """The page buttons clerk-js shows: the first, the last, the current one and its neighbours; None is "..."."""
    out: list[int | None] = []
    for p in range(1, count + 1):
        if abs(page - p) < 2 or p in (1, count):
            out.append(p)
        elif abs(page - p) == 2:
            out.append(None)
    return out


def shown(page: int, total: int) -> str:
    """The rows a page shows, as clerk-js writes them: "11 – 20", or "1" (and "0") alone."""
    first = (page - 1) * SIZE + 1 if total else 0
    last = min(page * SIZE, total)
    return str(first) if first == last and first < 2 else f"{first} – {last}"


async def _fetch(view: OrganizationProfile, org: Any, kind: str) -> Any:
    """A page of one list; a page emptied by a removal gives way to the last one."""
    while True:
        page = view.at.get(kind, 1)
        if kind == "members":
            got = await org.get_memberships(initial_page=page, page_size=SIZE, query=view.query or None)
        elif kind == "invitations":
            got = await org.get_invitations(initial_page=page, page_size=SIZE, status=["pending"])
        else:
            got = await org.get_membership_requests(initial_page=page, page_size=SIZE, status="pending")
        if got.data or page == 1:
            return got
        view.at[kind] = max(1, min(page - 1, -(-got.total_count // SIZE)))  # an earlier page each time


async def load(view: OrganizationProfile, org: Any, only: str | None = None) -> dict[str, Any]:
    """What the page lists, read from the server (the lists a member may not read are left out); ``only``: that
    list again, the others kept."""
    if only:
        return {**(view.data or {}), only: await _fetch(view, org, only)}
    manage = can(view, "memberships:manage")
    data: dict[str, Any] = {"org": org.id, "members": await _fetch(view, org, "members"),
                            "roles": await _roles(org) if manage else None}
    if manage:
        data["invitations"] = await _fetch(view, org, "invitations")
        if org_settings(view).get("domains", {}).get("enabled"):
            data["requests"] = await _fetch(view, org, "requests")
    return data


def _since(view: Component, key: str, when: Any) -> Any:
    """A label and a date ("Joined 12/7/2025"), in the component's locale and the browser's time zone."""
    day = js.Date.new(when.timestamp() * 1000).toLocaleDateString(view.strings.locale) if when else ""
    return view.el("span", "formattedDate", cls="cl-textSecondary", text=f"{view.t(key)} {day}")


async def _again(view: OrganizationProfile, kind: str, keep: str) -> None:
    """Read list ``kind`` again, then focus the control ``keep``."""
    async def fetch() -> None:
        view.data = await load(view, view.clerk.organization, kind)
        view.keep = keep
        view.refresh()
    await run_action(view, fetch())


def _turn(view: OrganizationProfile, kind: str, page: int, keep: str) -> Callable[[Any], Any]:
    def turn(_event: Any) -> Any:
        view.at[kind] = page
        return _again(view, kind, keep)
    return turn


def _section(view: OrganizationProfile, scope: Scope, data: dict[str, Any], kind: str, title: str, empty: str,
             rows: list[Any]) -> Any:
    """A list's section: its rows (or ``empty``) and, past one page, "Displaying 1 – 10 of 12" and its buttons."""
    total = data[kind].total_count
    count = -(-total // SIZE)
    node = view.section(view.t(title), *rows or [view.el("p", "textSecondary", text=view.t(empty))])
    if count > 1:
        page = view.at.get(kind, 1)
        buttons = [button(view, scope, view.t(f"paginationButton__{name}"), _turn(view, kind, to, f"{kind}:{name}"),
                          "paginationButton", disabled=not 0 < to <= count, data_k=f"{kind}:{name}")
                   for name, to in (("previous", page - 1), ("next", page + 1))]
        for p in pages(page, count):
            buttons.insert(-1, view.el("span", None, text="...") if p is None else button(
                view, scope, str(p), _turn(view, kind, p, f"{kind}:{p}"), "paginationButton",
                aria_current="page" if p == page else None, data_k=f"{kind}:{p}"))
        text = " ".join((view.t("paginationRowText__displaying"), shown(page, total),
                         view.t("paginationRowText__of"), str(total)))
        node.lastChild.append(view.el("div", "profileSectionItem", view.el(
            "p", "paginationRowText", cls="cl-textSecondary", text=text), view.el(
            "div", "profileSectionItemActions", *buttons)))
    return node


def _search(view: OrganizationProfile, scope: Scope) -> Any:
    """clerk-js's "Search" box: the members matching it, read 500 ms after the last keystroke (at once on Enter or
    when emptied)."""
    label = view.t(f"{M}.action__search")
    box = view.el("input", "organizationProfileMembersSearchInput", cls="cl-formFieldInput", type="search",
                  aria_label=label, placeholder=label, data_k="search", value=view.typed)

    def find(now: bool) -> None:
        if view.waiting is not None:
            view.waiting.cancel()
        view.typed = text = str(box.value)

        async def later() -> None:
            if not now and text:
                await asyncio.sleep(0.5)
            view.query, view.at["members"] = text.strip(), 1
            await _again(view, "members", "search")
        view.waiting = view.scope.spawn(later())
    scope.listen(box, "input", lambda _e: find(False))
    form = view.el("form", None, box, role="search")
    scope.listen(form, "submit", lambda _e: find(True), prevent_default=True)
    return form


def build(view: OrganizationProfile, main: Any, scope: Scope) -> None:
    """The Members page into ``main``."""
    org: Any = view.clerk.organization
    main.append(view.el("h2", "pageTitle", text=view.t("organizationProfile.navbar.members")))
    data = view.data
    if data is None or data.get("org") != org.id:  # first shown, or another organization: from its first pages
        view.query = view.typed = ""
        view.at = {}
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
            main.append(button(view, scope, view.t(f"{M}.action__invite"),
                               lambda _e: view.edit("invite"), "profileSectionPrimaryButton"))
    main.append(_search(view, scope))
    me = view.clerk.user.id if view.clerk.user else None
    rows = []
    for member in data["members"].data:
        who = _person(member.public_user_data)
        mine = member.user_id == me
        joined = _since(view, f"{M}.activeMembersTab.tableHeader__joined", member.created_at)
        if manage and not mine:
            role = _select(view, scope, view.t(f"{M}.roleOf", name=who), member.role,
                           data["roles"], _bound_role(view, scope, member))
            rows.append(view.item(who, joined, role, link_button(
                view, scope, view.t(f"{M}.activeMembersTab.menuAction__remove"),
                bound(_act, view, member.destroy), "profileSectionItemAction")))
        else:
            rows.append(view.item(who, joined, view.el("span", "textSecondary", text=member.role_name or member.role),
                                  badges=(view.t("badge__you"),) if mine else ()))
    main.append(_section(view, scope, data, "members", "organizationProfile.navbar.members",
                         f"{M}.detailsTitle__emptyRow", rows))
    if not manage:
        return
    rows = [view.item(f"{i.email_address} · {i.role_name or i.role}", _since(
        view, f"{M}.invitedMembersTab.tableHeader__invited", i.created_at), link_button(
        view, scope, view.t(f"{M}.invitedMembersTab.menuAction__revoke"),
        bound(_act, view, i.revoke), "profileSectionItemAction")) for i in data["invitations"].data]
    main.append(_section(view, scope, data, "invitations", f"{M}.start.headerTitle__invitations",
                         f"{M}.invitationsTab.table__emptyRow", rows))
    if "requests" in data:
        rows = [view.item(_person(r.public_user_data), _since(
            view, f"{M}.requestsTab.tableHeader__requested", r.created_at), *(link_button(
                view, scope, view.t(f"{M}.requestsTab.menuAction__{what}"),
                bound(_act, view, getattr(r, what.replace("approve", "accept"))), "profileSectionItemAction")
                for what in ("approve", "reject"))) for r in data["requests"].data]
        main.append(_section(view, scope, data, "requests", f"{M}.start.headerTitle__requests",
                             f"{M}.requestsTab.table__emptyRow", rows))


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
        badges = (view.t("badge__verified" if verified else "badge__unverified"),)
        if view.editing in (f"verify:{domain.id}", f"code:{domain.id}"):
            rows.append(_verify_form(view, scope, domain))
            continue
        if view.editing == f"mode:{domain.id}":
            rows += [view.item(domain.name, badges=badges), _mode_form(view, scope, domain, modes)]
            continue
        actions = []
        if manage and (modes or not verified):
            what, step = ("manage", "mode") if verified else ("verify", "verify")
            actions.append(link_button(view, scope, view.t(
                f"organizationProfile.profilePage.domainSection.menuAction__{what}"),
                bound(view.edit, f"{step}:{domain.id}"), "profileSectionItemAction"))
        if manage:
            actions.append(link_button(view, scope, view.t(
                "organizationProfile.profilePage.domainSection.menuAction__remove"),
                bound(_act, view, domain.delete, "organizationProfile.profilePage.successMessage"),
                "profileSectionItemAction"))
        rows.append(view.item(domain.name, *actions, badges=badges))
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
    """First an address at the domain (a code is sent to it), then the code (sent again on "Resend")."""
    extra = []
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
        extra.append(link_button(view, scope, view.t("organizationProfile.verifyDomainPage.resendButton"), lambda _e: (
            run_action(view, domain.prepare_affiliation_verification(
                affiliation_email_address=domain.affiliation_email_address))), "formResendCodeLink"))
    return view.el("div", None, view.el("p", "textSecondary", text=hint), form, *extra)


def _mode_form(view: OrganizationProfile, scope: Scope, domain: Any, modes: list[str]) -> Any:
    """clerk-js's enrollment options: the mode and, when it becomes manual, whether to delete the invitations and
    suggestions still pending (their counts shown first)."""
    select = _select(view, scope, view.t(f"{ENROLLMENT}.formFieldLabel", domain=domain.name), domain.enrollment_mode,
                     [(m, view.t(f"{ENROLLMENT}.{_camel(m)}Option__label")) for m in modes])
    box = Checkbox(view, "delete_pending", view.t("formFieldLabel__organizationDomainDeletePending"))

    def follow(_event: Any = None) -> None:
        box.node.hidden = select.value != "manual_invitation"
    follow()
    scope.listen(select, "change", follow)

    async def save(values: dict[str, str]) -> None:
        await domain.update_enrollment_mode(enrollment_mode=str(select.value),
                                            delete_pending=bool(values["delete_pending"]) and not box.node.hidden)
        view.reload(view.t("organizationProfile.profilePage.successMessage"))
    form = view.form(scope, [box], view.t("userProfile.formButtonPrimary__save"), save)
    form.prepend(select)
    notes = [view.t(f"{ENROLLMENT}.subtitle")]
    invited, suggested = domain.total_pending_invitations, domain.total_pending_suggestions
    if invited or suggested:
        notes += [view.t(f"{ENROLLMENT}.calloutInfoLabel"),
                  view.t(f"{ENROLLMENT}.calloutInvitationCountLabel", count=invited),
                  view.t(f"{ENROLLMENT}.calloutSuggestionCountLabel", count=suggested)]
    return view.el("div", None, *(view.el("p", "textSecondary", text=note) for note in notes), form)
