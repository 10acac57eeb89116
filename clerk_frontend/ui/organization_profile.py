"""OrganizationProfile (docs/components.md), on UserProfile's frame; it follows ``clerk.organization``."""

from __future__ import annotations

import asyncio
from collections.abc import Hashable
from typing import Any

from ._dom import Scope, missing
from ._kit import Alert, Field, Form, bound, button, run_action
from .organization_components import can, go_after, org_avatar, org_settings
from .user_profile import UserProfile

__all__ = ["OrganizationProfile"]


class OrganizationProfile(UserProfile):
    """``clerk.mount_organization_profile(target)`` or ``clerk.open_organization_profile()``."""

    key = "organizationProfile"
    options = frozenset({"after_leave_organization_url", "custom_pages"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.page = "general"
        self.data: dict[str, Any] | None = None  # the lists of the page, read from the server
        # The Members page: the search sent and the one typed, each list's page, a search waiting for the typing to
        # stop, and the control to focus after a list is read again.
        self.query = self.typed = ""
        self.at: dict[str, int] = {}
        self.waiting: asyncio.Task[Any] | None = None
        self.keep: str | None = None

    def _domains_shown(self) -> bool:
        return bool(org_settings(self).get("domains", {}).get("enabled")) and can(self, "domains:read")

    def screen(self) -> Hashable:
        user, org = self.clerk.user, self.clerk.organization
        if not self.clerk.loaded or user is None or org is None:
            return ("signed_out",)
        member = next((m for m in user.organization_memberships if m.organization.id == org.id), None)
        return ("page", self.page, self.editing, self.message, org.id, org.name, org.slug, org.image_url,
                org.has_image, org.admin_delete_enabled, member.role if member else None,
                tuple(member.permissions) if member else (), id(self.data))

    def _go_to(self, page: str) -> None:
        self.data = None
        super()._go_to(page)

    def focus_first(self) -> None:
        """After a list is read again: the control used (a page button, else the current page's), else the first
        field."""
        keep, self.keep = self.keep, None
        if keep:
            for selector in (f"[data-k='{keep}']:not([disabled])", f"[data-k^='{keep.split(':')[0]}'][aria-current]"):
                node = self.content.querySelector(selector)
                if not missing(node):
                    node.focus()
                    return
        super().focus_first()

    def reload(self, message: str | None = None) -> None:
        """Read the page's lists again (after a change), then show ``message``."""
        if message:
            self.editing, self.message = None, message
            self.announce(message)
        org = self.clerk.organization

        async def load() -> None:
            from . import _org_members as pages

            self.data = await (pages.load if self.page == "members" else pages.load_domains)(self, org)
            self.refresh()
        self.scope.spawn(run_action(self, load()))

    def build(self, screen: Any, scope: Scope) -> Any:
        if screen[0] == "signed_out":
            if self.on_done is not None:
                asyncio.get_event_loop().call_soon(self.on_done)
            return self.el("div")
        title = self.t("organizationProfile.navbar.title")
        nav = self.el("nav", "navbar", self.el("h1", "navbarTitle", text=title, id=self.new_id("title")),
                      aria_label=title)
        entries = [("general", self.t("organizationProfile.navbar.general"))]
        if can(self, "memberships:read"):
            entries.append(("members", self.t("organizationProfile.navbar.members")))
        for page, label in entries + [(f"custom:{p['url']}", str(p["label"])) for p in self.custom]:
            nav.append(button(self, scope, label, bound(self._go_to, page), "navbarButton",
                              aria_current="page" if page == self.page else None))
        self.alert = Alert(self)
        main = self.el("div", "scrollBox", self.alert.node)
        if self.message:
            self.alert.show(self.message, "success")
        if self.page == "members" and can(self, "memberships:read"):
            from . import _org_members

            _org_members.build(self, main, scope)
        elif self.page.startswith("custom:"):
            self._custom(main, scope)
        else:
            self._general(main, scope)
        return self.el("div", "cardBox", nav, main)

    # -- General -------------------------------------------------------------------------------------------

    def _general(self, main: Any, scope: Scope) -> None:
        org: Any = self.clerk.organization
        main.append(self.el("h2", "pageTitle", text=self.t("organizationProfile.navbar.general")))
        if self.editing == "profile":
            content = self._profile_form(scope, org)
        else:
            manage = [button(self, scope, self.t("organizationProfile.start.profileSection.primaryButton"),
                             lambda _e: self.edit("profile"), "profileSectionPrimaryButton")]
            content = self.item(org.name, *(manage if can(self, "profile:manage") else []))
            content.firstChild.prepend(org_avatar(self, org), " ")
        main.append(self.section(self.t("organizationProfile.start.profileSection.title"), content))
        if self._domains_shown():
            from ._org_members import build_domains

            build_domains(self, main, scope)
        danger = []
        for action in ("leave", "delete"):
            if action == "delete" and not (can(self, "profile:delete") and org.admin_delete_enabled):
                continue
            base = f"organizationProfile.profilePage.dangerSection.{action}Organization"
            if self.editing == action:
                danger.append(self._confirm(scope, org, base, action))
            else:
                danger.append(button(self, scope, self.t(f"{base}.title"), bound(self.edit, action),
                                     "profileSectionButton", cls="cl-button cl-buttonDanger"))
        main.append(self.section(self.t("organizationProfile.profilePage.dangerSection.title"), *danger))

    def _profile_form(self, scope: Scope, org: Any) -> Any:
        fields = [Field(self, "name", self.t("formFieldLabel__organizationName"), value=org.name,
                        autocomplete="organization")]
        if not org_settings(self).get("slug", {}).get("disabled"):
            fields.append(Field(self, "slug", self.t("formFieldLabel__organizationSlug"), value=org.slug or "",
                                required=False))
        logo = self.el("input", "formFieldInput", type="file", accept="image/*", id=self.new_id("logo"))
        row = self.el("div", "formField", self.el("label", "formFieldLabel", text=self.t(
            "organizationProfile.start.profileSection.uploadAction__title"), for_=logo.id), logo)

        async def save(values: dict[str, str]) -> None:
            files = logo.files
            if files is not None and files.length:
                file = files.item(0)
                await org.set_logo((await file.arrayBuffer()).to_bytes(), filename=str(file.name),
                                   content_type=str(file.type or "image/png"))
            changes = {k: v for k, v in values.items() if v and v != (getattr(org, k) or "")}
            if changes:
                await org.update(**changes)
            self.edit(None, self.t("organizationProfile.profilePage.successMessage"))

        node = self.form(scope, fields, self.t("userProfile.formButtonPrimary__save"), save)
        node.insertBefore(row, node.querySelector("button"))
        extra = []
        if org.has_image:
            extra.append(button(self, scope, self.t("organizationProfile.profilePage.removeLogo"),
                                bound(self._remove_logo, org), "profileSectionButton"))
        return self.el("div", None, node, *extra)

    async def _remove_logo(self, org: Any) -> None:
        if await run_action(self, org.set_logo(None)):
            self.edit(None, self.t("organizationProfile.profilePage.successMessage"))

    def _confirm(self, scope: Scope, org: Any, base: str, action: str) -> Any:
        """Leaving or deleting: the member types the organization's name to confirm."""
        field = Field(self, "confirmation", self.t("organizationProfile.profilePage.dangerSection.actionDescription",
                                                organizationName=org.name),
                      autocomplete="off")

        async def confirm(values: dict[str, str]) -> None:
            if values["confirmation"] != org.name:
                field.set_error(self.t("unstable__errors.form_param_value_invalid"))
                field.focus()
                return
            if action == "leave":
                await self.user.leave_organization(org.id)
            else:
                await org.destroy()
            self.announce(self.t(f"{base}.successMessage"))
            await go_after(self, "after_leave_organization_url")

        cancel = button(self, scope, self.t("userProfile.formButtonReset"), lambda _e: self.edit(None))
        form = Form(self, scope, [field], self.t(f"{base}.title"), confirm, extra=[cancel])
        return self.el("div", None, self.el("p", "textSecondary", text=self.t(f"{base}.messageLine1")), form.node)
