"""CreateOrganization and OrganizationList (docs/components.md), and what the organization components share: an
organization's logo or initial, a row showing it (or the personal account), the instance's organization settings
and the active member's permissions."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Hashable
from typing import Any

from ._component import Component
from ._dom import Scope
from ._kit import Card, Field, Form, bound, button, link_button, run_action
from ._user import avatar

__all__ = ["CreateOrganization", "OrganizationList", "can", "create_form", "go_after", "org_avatar", "org_settings",
           "preview", "select_org"]


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
