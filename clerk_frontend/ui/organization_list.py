"""OrganizationList (docs/components.md)."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from ._component import Component
from ._dom import Scope
from ._kit import Card, bound, button, run_action
from ._org_kit import org_settings, preview, select_org

__all__ = ["OrganizationList"]


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
            from .create_organization import create_form

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
            card.add(button(self, scope, self.t("organizationList.action__createOrganization"),
                            bound(self._create, True), "organizationListCreateOrganizationActionButton"))
        return card.node

    def _create(self, on: bool) -> None:
        self.creating = on
        self.focus_on_next_screen()
        self.refresh()

    async def _created(self, org: Any) -> None:
        self.creating = False
        url = self.link_url("after_create_organization_url", "") or self.link_url("after_select_organization_url", "")
        if url:
            await self.go(url.replace(":slug", str(org.slug or "")).replace(":id", org.id))
        self.focus_on_next_screen()
        self.refresh()

    async def _select(self, org_id: str | None) -> None:
        option = "after_select_organization_url" if org_id else "after_select_personal_url"
        await run_action(self, select_org(self, org_id, option))

    async def _accept(self, offer: Any) -> None:
        if await run_action(self, offer.accept()):
            self.announce(self.t("organizationList.accepted", name=getattr(offer.public_organization_data, "name", "")))
            self._load()
