"""OrganizationSwitcher (on UserButton's popover and keyboard handling), CreateOrganization and OrganizationList
(docs/components.md), and what the organization components share: an organization's logo or initial, a row showing
it (or the personal account), the instance's organization settings and the active member's permissions."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Hashable
from typing import Any

from ._component import Component
from ._dom import Scope
from ._kit import Alert, Card, Field, Form, bound, button, link_button, run_action
from ._user import avatar
from .user_button import UserButton

__all__ = ["CreateOrganization", "OrganizationList", "OrganizationSwitcher", "can", "create_form", "go_after",
           "org_avatar", "org_settings", "preview", "select_org"]


def org_settings(view: Component) -> dict[str, Any]:
    """``environment["organization_settings"]`` (empty when absent)."""
    return dict((view.clerk.environment or {}).get("organization_settings") or {})


def can(view: Component, permission: str) -> bool:
    """Whether the member may ``permission`` in the active organization (``"memberships:manage"`` ->
    ``org:sys_memberships:manage``): only what the server would allow is offered."""
    return bool(view.clerk.has(permission=f"org:sys_{permission}"))


def org_avatar(view: Component, org: Any) -> Any:
    """The organization's uploaded logo, else its initial; decorative."""
    box = view.el("span", "organizationAvatarBox", cls="cl-avatarBox cl-orgAvatar", aria_hidden="true")
    if getattr(org, "has_image", False) and getattr(org, "image_url", None):
        box.append(view.el("img", "avatarImage", src=org.image_url, alt=""))
    else:
        box.setAttribute("data-initials", (getattr(org, "name", None) or "?")[:1].upper())
    return box


def preview(view: Component, org: Any) -> Any:
    """A row: the organization's logo and name (``org`` None: the user's avatar and "Personal account")."""
    if org is None:
        picture, name = avatar(view, view.clerk.user), view.t("organizationSwitcher.personalWorkspace")
    else:
        picture, name = org_avatar(view, org), str(org.name)
    return view.el("span", "organizationPreview", picture, view.el("span", "organizationPreviewMainIdentifier",
                                                                    text=name))


async def select_org(view: Component, org_id: str | None, url_option: str) -> None:
    """Make ``org_id`` (None: the personal account) active, say so, then go to the option's URL if given."""
    await view.clerk.set_active(organization=org_id)
    org = view.clerk.organization
    view.announce(view.t("organizationSwitcher.selected", name=org.name if org is not None else view.t(
        "organizationSwitcher.personalWorkspace")))
    await go_after(view, url_option)


async def go_after(view: Component, *options: str) -> bool:
    """Go to the first of the URL ``options`` given (``:slug`` and ``:id`` of the active organization replaced)."""
    url = next(filter(None, (view.link_url(option, "") for option in options)), None)
    if url:
        org = view.clerk.organization
        await view.go(url.replace(":slug", str(getattr(org, "slug", "") or "")).replace(":id", org.id if org else ""))
    return bool(url)


def create_form(view: Component, scope: Scope, on_created: Callable[[Any], Awaitable[None]]) -> Any:
    """The form: creates the organization, makes it active, then ``on_created(org)``."""
    name = Field(view, "name", view.t("formFieldLabel__organizationName"), autocomplete="organization")
    fields = [name]
    slug: Field | None = None
    if not (org_settings(view).get("slug", {}).get("disabled") or view.opts.get("hide_slug")):
        slug = Field(view, "slug", view.t("formFieldLabel__organizationSlug"), required=False)
        fields.append(slug)
        edited: list[bool] = []
        scope.listen(slug.input, "input", lambda _e: edited.append(True))

        def follow(_event: Any) -> None:  # the slug follows the name until the user edits it
            if not edited and slug is not None:
                slug.input.value = re.sub(r"[^a-z0-9]+", "-", name.value.lower()).strip("-")
        scope.listen(name.input, "input", follow)

    async def submit(values: dict[str, str]) -> None:
        org = await view.clerk.create_organization(name=values["name"], **(
            {"slug": values["slug"]} if values.get("slug") else {}))
        await view.clerk.set_active(organization=org.id)
        view.announce(view.t("organizationSwitcher.selected", name=org.name))
        await on_created(org)

    return Form(view, scope, fields, view.t("createOrganization.title"), submit).node


class CreateOrganization(Component):
    """``clerk.mount_create_organization(target)`` or ``clerk.open_create_organization()``."""

    key = "createOrganization"
    options = frozenset({"after_create_organization_url", "skip_invitation_screen", "hide_slug"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.created: str | None = None  # the organization just made (its invitation step is shown)

    def screen(self) -> Hashable:
        if not self.clerk.loaded or self.clerk.user is None:
            return ("signed_out",)
        org = self.clerk.organization
        if self.created and org is not None and org.id == self.created:
            return ("invite", org.id)
        return ("form",)

    def build(self, screen: Any, scope: Scope) -> Any:
        if screen[0] == "signed_out":
            return self.el("div")
        if screen[0] == "invite":
            from ._org_members import invite_form

            card = Card(self, self.t("organizationProfile.invitePage.title"),
                        self.t("organizationProfile.invitePage.subtitle"))
            return card.add(invite_form(self, scope, self.clerk.organization, self._finish),
                            link_button(self, scope, self.t("createOrganization.invitePage.formButtonReset"),
                                        lambda _e: self._finish(), "formButtonReset")).node
        card = Card(self, self.t("createOrganization.title"))
        return card.add(create_form(self, scope, self._created)).node

    async def _created(self, org: Any) -> None:
        if not self.opts.get("skip_invitation_screen") and can(self, "memberships:manage"):
            self.created = org.id
            self.focus_on_next_screen()
            self.refresh()
        else:
            await self._done()

    def _finish(self) -> None:
        self.scope.spawn(self._done())

    async def _done(self) -> None:
        self.created = None
        if await go_after(self, "after_create_organization_url"):
            pass
        elif self.on_done is not None:
            self.on_done()
        else:
            self.focus_on_next_screen()
            self.refresh()


class OrganizationList(Component):
    """``clerk.mount_organization_list(target, **options)``."""

    key = "organizationList"
    options = frozenset({"hide_personal", "after_select_organization_url", "after_select_personal_url",
                         "after_create_organization_url", "skip_invitation_screen", "hide_slug"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.creating = False
        self.offers: tuple[list[Any], list[Any]] | None = None  # pending invitations and suggestions
        self._offers_of: str | None = None

    def screen(self) -> Hashable:
        user = self.clerk.user
        if not self.clerk.loaded or user is None:
            return ("signed_out",)
        orgs = tuple((m.organization.id, m.organization.name, m.organization.image_url, m.role_name)
                     for m in user.organization_memberships)
        org = self.clerk.organization
        return ("list", user.id, orgs, org.id if org else None, self.creating, id(self.offers),
                user.create_organization_enabled)

    def _load(self) -> None:
        user: Any = self.clerk.user
        self._offers_of = user.id

        async def read() -> None:
            invitations = (await user.get_organization_invitations(status="pending")).data
            suggestions: list[Any] = []
            if org_settings(self).get("domains", {}).get("enabled"):
                suggestions = (await user.get_organization_suggestions(status=["pending", "accepted"])).data
            self.offers = (invitations, suggestions)
            self.refresh()
        self.scope.spawn(run_action(self, read()))

    def build(self, screen: Any, scope: Scope) -> Any:
        if screen[0] == "signed_out":
            self.offers = None
            return self.el("div")
        user: Any = self.clerk.user
        hide = bool(self.opts.get("hide_personal") or org_settings(self).get("force_organization_selection"))
        if self.creating:
            card = Card(self, self.t("createOrganization.title"))
            return card.add(create_form(self, scope, self._created), button(
                self, scope, self.t("userProfile.formButtonReset"), bound(self._create, False))).node
        card = Card(self, self.t("organizationList.titleWithoutPersonal" if hide else "organizationList.title"),
                    self.t("organizationList.subtitle", applicationName=self.instance.application_name))
        items = self.el("ul", "organizationListPreviewItems")
        active = self.clerk.organization
        choices: list[tuple[str | None, Any]] = [] if hide else [(None, None)]
        for org_id, org in choices + [(m.organization.id, m.organization) for m in user.organization_memberships]:
            current = (active.id if active else None) == org_id
            node = self.el("button", "organizationListPreviewButton", preview(self, org), cls="cl-button",
                           type="button", aria_current="true" if current else None)
            scope.listen(node, "click", bound(self._select, org_id))
            items.append(self.el("li", "organizationListPreviewItem", node))
        if self.offers is None or self._offers_of != user.id:
            self.offers = None
            self._load()
        else:
            invitations, suggestions = self.offers
            for offer in [*invitations, *suggestions]:
                name = str(getattr(offer.public_organization_data, "name", "") or "")
                row = self.el("li", "organizationListPreviewItem", self.el(
                    "span", "organizationPreview", self.el("span", "organizationPreviewMainIdentifier",
                                                           text=name)))
                if getattr(offer, "status", None) == "accepted":
                    row.append(self.el("span", "badge", text=self.t("organizationList.suggestionsAcceptedLabel")))
                else:
                    key = "invitationAccept" if offer in invitations else "suggestionsAccept"
                    row.append(button(self, scope, self.t(f"organizationList.action__{key}"),
                                      bound(self._accept, offer), "organizationListPreviewItemActionButton",
                                      aria_label=self.t(f"organizationList.action__{key}") + f" {name}"))
                items.append(row)
        card.add(items)
        if user.create_organization_enabled:
            card.add(button(self, scope, self.t("createOrganization.title"),
                            bound(self._create, True), "organizationListCreateOrganizationActionButton"))
        return card.node

    def _create(self, on: bool) -> None:
        self.creating = on
        self.focus_on_next_screen()
        self.refresh()

    async def _created(self, org: Any) -> None:
        self.creating = False
        await go_after(self, "after_create_organization_url", "after_select_organization_url")
        self.focus_on_next_screen()
        self.refresh()

    async def _select(self, org_id: str | None) -> None:
        option = "after_select_organization_url" if org_id else "after_select_personal_url"
        await run_action(self, select_org(self, org_id, option))

    async def _accept(self, offer: Any) -> None:
        if await run_action(self, offer.accept()):
            self._load()


class OrganizationSwitcher(UserButton):
    """``clerk.mount_organization_switcher(target, **options)``."""

    key = "organizationSwitcher"
    options = frozenset({"hide_personal", "after_select_organization_url", "after_select_personal_url",
                         "organization_profile_mode", "organization_profile_url", "organization_profile_props",
                         "create_organization_mode", "create_organization_url", "create_organization_props",
                         "after_leave_organization_url", "default_open"})

    def screen(self) -> Hashable:
        user = self.clerk.user
        if not self.clerk.loaded or user is None:
            return ("signed_out",)
        org = self.clerk.organization
        orgs = tuple((m.organization.id, m.organization.name, m.organization.image_url, m.role)
                     for m in user.organization_memberships)
        return ("signed_in", org.id if org else None, orgs, user.create_organization_enabled, user.image_url)

    def _hide_personal(self) -> bool:
        return bool(self.opts.get("hide_personal") or org_settings(self).get("force_organization_selection"))

    def build(self, screen: Any, scope: Scope) -> Any:
        if screen[0] == "signed_out":
            self._open = False
            return self.el("div")
        org = self.clerk.organization
        user: Any = self.clerk.user
        popover_id = self.new_id("org-popover")
        if org is None and self._hide_personal():
            current = self.el("span", "organizationPreview", text=self.t("organizationSwitcher.notSelected"))
        else:
            current = preview(self, org)
        self._name = current.textContent
        self._trigger = self.el("button", "organizationSwitcherTrigger", current, type="button",
                                aria_haspopup="dialog", aria_controls=popover_id)
        self.alert = Alert(self)
        actions = self.el("div", "organizationSwitcherPopoverActions", cls="cl-userButtonPopoverActions")
        head = self.el("div", "organizationSwitcherPopoverHeader", current.cloneNode(True), cls="cl-userPreview")
        if org is not None:
            head.append(button(self, scope, self.t("organizationSwitcher.action__manageOrganization"), self._manage,
                               "organizationSwitcherPopoverActionButton__manageOrganization",
                               cls="cl-button cl-orgManage"))
        choices: list[tuple[str | None, Any]] = [] if self._hide_personal() or org is None else [(None, None)]
        choices += [(m.organization.id, m.organization) for m in user.organization_memberships
                    if org is None or m.organization.id != org.id]
        for org_id, other in choices:
            node = self.el("button", "organizationSwitcherPreviewButton", preview(self, other),
                           cls="cl-button cl-userButtonPopoverActionButton", type="button")
            scope.listen(node, "click", bound(self._switch_to, org_id))
            actions.append(node)
        if user.create_organization_enabled:
            actions.append(button(self, scope, self.t("createOrganization.title"),
                                  self._create, "organizationSwitcherPopoverActionButton__createOrganization",
                                  cls="cl-button cl-userButtonPopoverActionButton"))
        self._popover = self.el("div", "organizationSwitcherPopoverCard", head, self.alert.node, actions,
                                cls="cl-userButtonPopoverCard", id=popover_id, role="dialog",
                                aria_label=self.t("organizationSwitcher.popoverLabel"), hidden=True)
        self._box = self.el("div", "organizationSwitcherBox", self._trigger, self._popover, cls="cl-userButtonBox")
        scope.listen(self._trigger, "click", self._toggle)
        scope.listen(self._box, "keydown", self._keydown)
        scope.listen(self._box, "focusout", self._focusout)
        from ._dom import document

        scope.listen(document, "click", self._outside)
        self._show(self._open, focus=False)
        return self._box

    def _show(self, open_now: bool, *, focus: bool = True) -> None:
        super()._show(open_now, focus=focus)
        if self._trigger is not None:  # the name starts with what the trigger shows (axe: label in name)
            self._trigger.setAttribute("aria-label", self.t(
                "organizationSwitcher.trigger__close" if open_now else "organizationSwitcher.trigger__open",
                name=self._name))

    def _open_or_go(self, name: str, mode: str, url_option: str) -> None:
        self._show(False)
        if self.opts.get(mode) == "navigation":
            url = self.link_url(url_option, "")
            if url:
                self.scope.spawn(self.go(url))
            return
        from . import components_of

        components_of(self.clerk).open(name, dict(self.opts.get(url_option.replace("_url", "_props")) or {}))

    def _manage(self, _event: Any) -> None:
        self._open_or_go("organization_profile", "organization_profile_mode", "organization_profile_url")

    def _create(self, _event: Any) -> None:
        self._open_or_go("create_organization", "create_organization_mode", "create_organization_url")

    async def _switch_to(self, org_id: str | None) -> None:
        self._show(False)
        option = "after_select_organization_url" if org_id else "after_select_personal_url"
        await run_action(self, select_org(self, org_id, option))
