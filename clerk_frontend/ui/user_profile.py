"""UserProfile (docs/components.md): Profile and Security pages, and the app's custom pages. The page and the open
form are the only state kept; the rest is read from ``clerk.user`` at each render."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable
from typing import Any

from ..errors import ClerkValidationError
from ._component import Component
from ._dom import Scope
from ._kit import Alert, Field, Form, bound, button, link_button, run_action, social_buttons
from ._user import avatar

__all__ = ["UserProfile"]


def _verified(resource: Any) -> bool:
    verification = getattr(resource, "verification", None)
    return getattr(verification, "status", None) == "verified"


class UserProfile(Component):
    """The user profile (``clerk.mount_user_profile(target)`` or ``clerk.open_user_profile()``)."""

    key = "userProfile"
    options = frozenset({"custom_pages", "additional_oauth_scopes"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        pages = self.opts.get("custom_pages") or []
        for page in pages:
            if not (isinstance(page, dict) and isinstance(page.get("label"), str) and isinstance(page.get("url"), str)
                    and callable(page.get("render"))):
                raise ClerkValidationError(
                    f"{type(self).__name__}: custom_pages entries are "
                    "{'label': str, 'url': str, 'render': callable(element)}.")
        self.custom: list[dict[str, Any]] = list(pages)
        self.page = "account"
        self.editing: str | None = None
        self.message: str | None = None
        self.sessions: list[Any] | None = None  # the answer of get_sessions() for the Security page
        self.secret: Any = None  # the TOTP being set up (shown until verified)
        self.codes: list[str] | None = None  # backup codes just made (shown once)
        self.main: Any = None  # the page's element (the reverification step goes on top)

    @property
    def user(self) -> Any:
        """``clerk.user`` (the pages are built only while there is one)."""
        return self.clerk.user

    def screen(self) -> Hashable:
        """The page, the open form and what the page shows of the user."""
        user = self.user
        if not self.clerk.loaded or user is None:
            return ("signed_out",)
        raw = user.raw
        emails = tuple((e.id, e.email_address, _verified(e)) for e in user.email_addresses)
        phones = tuple((p.id, p.phone_number, _verified(p), p.reserved_for_second_factor, p.default_second_factor)
                       for p in user.phone_numbers)
        accounts = tuple((a.id, a.provider, a.email_address, _verified(a)) for a in user.external_accounts)
        passkeys = tuple((p.id, p.name) for p in getattr(user, "passkeys", ()))
        return ("page", self.page, self.editing, self.message, user.id, user.first_name, user.last_name,
                user.username, user.image_url, raw.has_image if raw else False, raw.password_enabled if raw else False,
                raw.totp_enabled if raw else False, raw.backup_code_enabled if raw else False,
                user.primary_email_address_id if raw else None, emails, phones, accounts, passkeys,
                id(self.sessions), id(self.codes), id(self.secret))

    def _go_to(self, page: str) -> None:
        self.page, self.editing, self.message, self.codes = page, None, None, None
        if page == "security":
            self.sessions = None
        self.focus_on_next_screen()
        self.refresh()

    def edit(self, what: str | None, message: str | None = None) -> None:
        """Open the form ``what`` (None: close it) and show ``message`` (a success) above the page."""
        self.editing, self.message = what, message
        if message:
            self.announce(message)
        self.focus_on_next_screen()
        self.refresh()

    # -- the frame -------------------------------------------------------------------------------------------

    def build(self, screen: Any, scope: Scope) -> Any:
        """The navigation and the current page."""
        if screen[0] == "signed_out":
            if self.on_done is not None:  # a modal with no one to show (signed out, or the account was deleted)
                asyncio.get_event_loop().call_soon(self.on_done)
            return self.el("div")
        nav = self.el("nav", "navbar", self.el("h1", "navbarTitle", text=self.t("userProfile.navbar.title"),
                                                id=self.new_id("title")),
                      aria_label=self.t("userProfile.navbar.title"))
        entries = [("account", self.t("userProfile.navbar.account")),
                   ("security", self.t("userProfile.navbar.security"))]
        entries += [(f"custom:{page['url']}", str(page["label"])) for page in self.custom]
        for page, label in entries:
            node = button(self, scope, label, bound(self._go_to, page), "navbarButton",
                          aria_current="page" if page == self.page else None)
            nav.append(node)
        self.alert = Alert(self)
        main = self.main = self.el("div", "scrollBox", self.alert.node)
        if self.message:
            self.alert.show(self.message, "success")
        if self.page == "security":
            self._security(main, scope)
        elif self.page.startswith("custom:"):
            self._custom(main, scope)
        else:
            self._account(main, scope)
        return self.el("div", "cardBox", nav, main)

    async def guard(self, action: Callable[[], Awaitable[Any]]) -> Any:
        """``action()``, through a "Verification required" step if the Frontend API asks for one."""
        from ..resources.factors import with_reverification

        async def verify(verification: Any) -> None:
            from ._user_profile_security import ask

            await ask(self, verification)

        return await with_reverification(self.clerk, action, verify)

    def section(self, title: str, *content: Any) -> Any:
        """A titled section of a page."""
        return self.el("section", "profileSection", self.el("h3", "profileSectionTitle", text=title),
                       self.el("div", "profileSectionContent", *content))

    def item(self, text: str, *actions: Any, badges: tuple[str, ...] = ()) -> Any:
        """A row: a value, its badges and its actions."""
        label = self.el("span", "profileSectionItemText", text=text)
        for badge in badges:
            label.append(self.el("span", "badge", text=badge))
        return self.el("div", "profileSectionItem", label, self.el("div", "profileSectionItemActions", *actions))

    def form(self, scope: Scope, fields: list[Any], submit: str, action: Callable[[dict[str, str]], Any]) -> Any:
        """An inline form with Save/Cancel."""
        cancel = button(self, scope, self.t("userProfile.formButtonReset"), lambda _e: self.edit(None),
                        "formButtonReset")
        form = Form(self, scope, fields, submit, action, extra=[cancel])
        return form.node

    # -- Profile ---------------------------------------------------------------------------------------------------

    def _account(self, main: Any, scope: Scope) -> None:
        user = self.user
        instance = self.instance
        attributes = (self.clerk.environment or {}).get("user_settings", {}).get("attributes", {})
        main.append(self.el("h2", "pageTitle", text=self.t("userProfile.start.headerTitle__account")))
        if self.editing == "profile":
            content = self._profile_form(scope, attributes)
        else:
            content = self.el("div", "profileSectionItem", self.el(
                "span", "profileSectionItemText", avatar(self, user), " ", user.full_name or ""), button(
                self, scope, self.t("userProfile.start.profileSection.primaryButton"),
                lambda _e: self.edit("profile"), "profileSectionPrimaryButton"))
        main.append(self.section(self.t("userProfile.start.profileSection.title"), content))
        if attributes.get("username", {}).get("enabled"):
            main.append(self._username(scope))
        if attributes.get("email_address", {}).get("enabled"):
            main.append(self._identifiers(scope, "email"))
        if attributes.get("phone_number", {}).get("enabled"):
            main.append(self._identifiers(scope, "phone"))
        if instance.social:
            main.append(self._connected(scope))

    def _profile_form(self, scope: Scope, attributes: dict[str, Any]) -> Any:
        user = self.user
        fields = [Field(self, name, self.t(label), required=False, value=getattr(user, name) or "",
                        autocomplete=auto)
                  for name, label, auto in (("first_name", "formFieldLabel__firstName", "given-name"),
                                            ("last_name", "formFieldLabel__lastName", "family-name"))
                  if attributes.get(name, {}).get("enabled")]
        image = self.el("input", "formFieldInput", type="file", accept="image/*", id=self.new_id("image"))
        image_row = self.el("div", "formField", self.el("label", "formFieldLabel", text=self.t(
            "userProfile.profilePage.imageFormTitle"), for_=image.id), image)
        remove = None
        if user.raw is not None and user.raw.has_image:
            remove = button(self, scope, self.t("userProfile.profilePage.imageFormDestructiveActionSubtitle"),
                            self._remove_image, "profileSectionButton")

        async def save(values: dict[str, str]) -> None:
            files = image.files
            if files is not None and files.length:
                file = files.item(0)
                data = (await file.arrayBuffer()).to_bytes()
                await user.set_profile_image(data, filename=str(file.name), content_type=str(file.type or ""))
            changes = {k: v or None for k, v in values.items() if v != (getattr(user, k) or "")}
            if changes:
                await user.update(**changes)
            self.edit(None, self.t("userProfile.profilePage.successMessage"))

        node = self.form(scope, fields, self.t("userProfile.formButtonPrimary__save"), save)
        node.insertBefore(image_row, node.querySelector("button"))
        return self.el("div", None, node, *([remove] if remove is not None else []))

    async def _remove_image(self, _event: Any) -> None:
        if await run_action(self, self.user.set_profile_image(None)):
            self.edit(None, self.t("userProfile.profilePage.successMessage"))

    def _username(self, scope: Scope) -> Any:
        user = self.user
        title = self.t("userProfile.start.usernameSection.title")
        if self.editing == "username":
            field = Field(self, "username", self.t("formFieldLabel__username"), value=user.username or "",
                          autocomplete="username")

            async def save(values: dict[str, str]) -> None:
                await user.update(username=values["username"])
                self.edit(None, self.t("userProfile.usernamePage.successMessage"))

            return self.section(title, self.form(scope, [field], self.t("userProfile.formButtonPrimary__save"), save))
        key = "primaryButton__updateUsername" if user.username else "primaryButton__setUsername"
        return self.section(title, self.item(user.username or "", button(
            self, scope, self.t(f"userProfile.start.usernameSection.{key}"), lambda _e: self.edit("username"),
            "profileSectionPrimaryButton")))

    def _identifiers(self, scope: Scope, kind: str) -> Any:
        """Email addresses (``kind="email"``) or phone numbers: list, add, verify, make primary, remove."""
        user = self.user
        email = kind == "email"
        section = "emailAddressesSection" if email else "phoneNumbersSection"
        items = user.email_addresses if email else user.phone_numbers
        primary = user.primary_email_address_id if email else user.primary_phone_number_id
        rows: list[Any] = []
        for resource in items:
            value = resource.email_address if email else resource.phone_number
            if self.editing == f"verify:{resource.id}":
                rows.append(self._verify_form(scope, resource, value, email))
                continue
            badges = tuple(b for b, on in ((self.t("badge__primary"), resource.id == primary),
                                           (self.t("badge__unverified"), not _verified(resource))) if on)
            actions = []
            if not _verified(resource):
                actions.append(link_button(self, scope, self.t(
                    f"userProfile.start.{section}.detailsAction__unverified"),
                    bound(self._send_code, resource, email), "profileSectionItemAction"))
            elif resource.id != primary:
                primary_field = "primary_email_address_id" if email else "primary_phone_number_id"
                actions.append(link_button(self, scope, self.t(
                    f"userProfile.start.{section}.detailsAction__nonPrimary"),
                    bound(self._make_primary, primary_field, resource.id), "profileSectionItemAction"))
            if resource.id != primary:  # the primary identifier is replaced, not removed
                actions.append(link_button(self, scope, self.t(f"userProfile.start.{section}.destructiveAction"),
                                           bound(self._remove, resource, value), "profileSectionItemAction"))
            rows.append(self.item(value, *actions, badges=badges))
        if self.editing == f"add:{kind}":
            field = Field(self, "email_address" if email else "phone_number", self.t(
                "formFieldLabel__emailAddress" if email else "formFieldLabel__phoneNumber"),
                type="email" if email else "tel", autocomplete="email" if email else "tel")

            async def add(values: dict[str, str]) -> None:
                value = next(iter(values.values()))
                created = await self.guard(lambda: user.create_email_address(value) if email
                                           else user.create_phone_number(value))
                await self._prepare(created, email)
                self.edit(f"verify:{created.id}")

            rows.append(self.form(scope, [field], self.t("userProfile.formButtonPrimary__add"), add))
        else:
            rows.append(button(self, scope, self.t(f"userProfile.start.{section}.primaryButton"),
                               lambda _e: self.edit(f"add:{kind}"), "profileSectionPrimaryButton"))
        return self.section(self.t(f"userProfile.start.{section}.title"), *rows)

    async def _prepare(self, resource: Any, email: bool) -> None:
        await resource.prepare_verification(strategy="email_code" if email else "phone_code")

    async def _send_code(self, resource: Any, email: bool) -> None:
        if await run_action(self, self._prepare(resource, email)):
            self.edit(f"verify:{resource.id}")

    def _verify_form(self, scope: Scope, resource: Any, value: str, email: bool) -> Any:
        code = Field(self, "code", self.t("formFieldLabel__code"), autocomplete="one-time-code", code=True,
                     numeric=True)

        async def verify(values: dict[str, str]) -> None:
            await resource.attempt_verification(code=values["code"])
            key = "emailAddressPage.emailCode" if email else "phoneNumberPage"
            self.edit(None, self.t(f"userProfile.{key}.successMessage", identifier=value))

        hint = self.el("p", "textSecondary", text=self.t("userProfile.emailAddressPage.emailCode.formSubtitle",
                                                         identifier=value))
        return self.el("div", None, hint, self.form(scope, [code], self.t("formButtonPrimary__verify"), verify))

    async def _remove(self, resource: Any, value: str) -> None:
        if await run_action(self, self.guard(resource.destroy)):
            self.edit(None, self.t("userProfile.emailAddressPage.removeResource.successMessage", emailAddress=value))

    async def _make_primary(self, field: str, resource_id: str) -> None:
        if await run_action(self, self.guard(lambda: self.user.update(**{field: resource_id}))):
            self.edit(None)

    def _connected(self, scope: Scope) -> Any:
        user = self.user
        names = dict(self.instance.social)
        rows: list[Any] = []
        for account in user.external_accounts:
            name = names.get(f"oauth_{account.provider}", names.get(account.provider, account.provider))
            rows.append(self.item(f"{name} · {account.email_address or ''}", link_button(
                self, scope, self.t("userProfile.start.connectedAccountsSection.destructiveActionTitle"),
                bound(self._disconnect, account, name), "profileSectionItemAction")))
        if self.editing == "connect":
            linked = {f"oauth_{a.provider}" for a in user.external_accounts} | {
                a.provider for a in user.external_accounts}
            providers = [(s, n) for s, n in self.instance.social if s not in linked]
            rows.append(self.el("p", "textSecondary", text=self.t("userProfile.connectedAccountPage.formHint")))
            rows.append(social_buttons(self, scope, providers, self._connect,
                                       "userProfile.connectedAccountPage.socialButtonsBlockButton"))
            rows.append(button(self, scope, self.t("userProfile.formButtonReset"), lambda _e: self.edit(None),
                               "formButtonReset"))
        else:
            rows.append(button(self, scope, self.t("userProfile.start.connectedAccountsSection.primaryButton"),
                               lambda _e: self.edit("connect"), "profileSectionPrimaryButton"))
        return self.section(self.t("userProfile.start.connectedAccountsSection.title"), *rows)

    async def _connect(self, strategy: str) -> None:
        async def connect() -> None:
            account = await self.user.create_external_account(
                strategy=strategy, redirect_url=self.page_url(),
                additional_scopes=list(self.opts.get("additional_oauth_scopes") or []) or None)
            await self.clerk.navigate(account.verification.external_verification_redirect_url)

        await run_action(self, connect())

    async def _disconnect(self, account: Any, name: str) -> None:
        if await run_action(self, self.guard(account.destroy)):
            self.edit(None, self.t("userProfile.connectedAccountPage.removeResource.successMessage",
                                   connectedAccount=name))

    # -- Security ------------------------------------------------------------------------------------------------

    def _security(self, main: Any, scope: Scope) -> None:
        from . import _user_profile_security as security

        security.build(self, main, scope)

    # -- custom pages -----------------------------------------------------------------------------------------------

    def _custom(self, main: Any, scope: Scope) -> None:
        url = self.page.removeprefix("custom:")
        page = next(p for p in self.custom if p["url"] == url)
        main.append(self.el("h2", "pageTitle", text=str(page["label"])))
        body = self.el("div", "customPage")
        main.append(body)
        result = page["render"](body)
        if asyncio.iscoroutine(result):
            scope.spawn(run_action(self, result))
