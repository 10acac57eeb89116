"""OrganizationSwitcher (docs/components.md); the popover and its keyboard handling are UserButton's."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from ._dom import Scope
from ._kit import Alert, bound, button, run_action
from .create_organization import org_settings, preview, select_org
from .user_button import UserButton

__all__ = ["OrganizationSwitcher"]


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
