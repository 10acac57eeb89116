"""CreateOrganization (docs/components.md)."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Hashable
from typing import Any

from ._component import Component
from ._dom import Scope
from ._kit import Card, Field, Form, link_button
from ._org_kit import can, org_settings

__all__ = ["CreateOrganization", "create_form"]


def create_form(view: Component, scope: Scope, on_created: Callable[[Any], Awaitable[None]]) -> Any:
    """The form: creates the organization, makes it active, then ``on_created(org)``."""
    name = Field(view, "name", view.t("formFieldLabel__organizationName"), autocomplete="organization",
                 placeholder=view.t("formFieldInputPlaceholder__organizationName"))
    fields = [name]
    slug: Field | None = None
    if not (org_settings(view).get("slug", {}).get("disabled") or view.opts.get("hide_slug")):
        slug = Field(view, "slug", view.t("formFieldLabel__organizationSlug"), required=False,
                     placeholder=view.t("formFieldInputPlaceholder__organizationSlug"))
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
        view.announce(view.t("createOrganization.successMessage", name=org.name))
        await on_created(org)

    return Form(view, scope, fields, view.t("createOrganization.formButtonSubmit"), submit).node


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
        org = self.clerk.organization
        url = self.link_url("after_create_organization_url", "")
        if url:
            slug = str(getattr(org, "slug", "") or "")
            await self.go(url.replace(":slug", slug).replace(":id", org.id if org else ""))
        elif self.on_done is not None:
            self.on_done()
        else:
            self.focus_on_next_screen()
            self.refresh()
