"""SignUp (docs/components.md): follows ``clerk.client.sign_up``; ``_flow.sign_up_step`` picks the screen. The first
screen (fields the instance enables, social buttons, consent) is here, the rest in ``_sign_up_steps``."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import js

from ..page import query_param
from ._component import Component
from ._dom import Scope
from ._kit import Card, Checkbox, Field, Form, divider, footer, link, run_action, social_buttons

__all__ = ["SignUp"]

# Hash routes a redirect flow comes back to, with the sign-up in progress.
_ADOPT_ROUTES = ("continue", "verify-email-address", "verify-phone-number")
# Field name -> (label key, input type, autocomplete).
FIELDS = {
    "first_name": ("formFieldLabel__firstName", "text", "given-name"),
    "last_name": ("formFieldLabel__lastName", "text", "family-name"),
    "username": ("formFieldLabel__username", "text", "username"),
    "email_address": ("formFieldLabel__emailAddress", "email", "email"),
    "phone_number": ("formFieldLabel__phoneNumber", "tel", "tel"),
    "password": ("formFieldLabel__password", "password", "new-password"),
}


class SignUp(Component):
    """The sign-up component (``clerk.mount_sign_up(target, **options)``; options in docs/components.md)."""

    key = "signUp"
    options = frozenset({"after_sign_up_url", "sign_in_url", "initial_values", "unsafe_metadata"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.attempt_id: str | None = None
        self.choice: str | None = None
        self.notice: str | None = None
        self.landing: str | None = None
        self.started: set[str] = set()
        self.prepared: set[tuple[str, str]] = set()
        self.task_state: Any = None  # what the user chose on a session task's screen (``_tasks``)

    @property
    def attempt(self) -> Any:
        """The SDK's sign-up in progress (``clerk.client.sign_up``)."""
        return self.clerk.sign_up

    def attach(self, host: Any) -> None:
        """Render, adopting the sign-up a redirect flow came back with, and start an invitation's sign-up."""
        self._adopt_route()
        super().attach(host)
        ticket = self.clerk.ticket_from_url() if self.routing == "hash" else None
        if ticket and query_param(str(js.location.href), "__clerk_status") == "sign_in":
            ticket = None  # a sign-in token, or an invitation whose address has an account: SignIn's
        if ticket and self.clerk.loaded and self.clerk.session is None and "ticket" not in self.started:
            self.started.add("ticket")
            self.scope.spawn(self._ticket(ticket))

    def route_changed(self) -> None:
        """A callback moved the page to another step of this sign-up."""
        self._adopt_route()
        self.refresh()

    def _adopt_route(self) -> None:
        if self.route() in _ADOPT_ROUTES and self.clerk.client is not None and self.attempt.id:
            self.attempt_id = self.attempt.id
            self.focus_on_next_screen()

    def screen(self) -> Hashable:
        """The screen for the current state (see ``_flow.sign_up_step``)."""
        clerk = self.clerk
        if not clerk.loaded:
            return ("loading",)
        route = self.route()
        if route in ("sso-callback", "verify"):
            return (route.replace("-", "_"), self.notice, self.landing)
        attempt = self.attempt
        following = bool(attempt.id) and attempt.id == self.attempt_id and attempt.status != "complete"
        if clerk.session is not None and (clerk.session.status == "pending" or self.task_state) and not following:
            from ._tasks import screen_key

            return screen_key(self)
        if clerk.session is not None and not following:
            return ("signed_in", clerk.session.id)
        if not following:
            if self.instance.sign_up_mode != "public" and not clerk.ticket_from_url():
                return ("restricted",)
            return ("start", self.notice)
        from ._flow import sign_up_step

        step = sign_up_step(attempt.status, attempt.missing_fields, attempt.unverified_fields,
                            self.instance.email_verification, choice=self.choice)
        return (step.name, step.strategy, attempt.id, tuple(attempt.missing_fields))

    def build(self, screen: Any, scope: Scope) -> Any:
        """The element of ``screen`` (start, loading, signed-in and restricted here, the rest in the steps module)."""
        return self._build_step(screen, scope, "_tasks" if screen[0] == "task" else "_sign_up_steps")

    # -- moving on -----------------------------------------------------------------------------------------

    def after_url(self) -> str:
        """Where a completed sign-up goes: ``after_sign_up_url``, else this page."""
        return str(self.link_url("after_sign_up_url", "") or self.page_url())

    def restart(self, _event: Any = None) -> None:
        """Back to the first screen."""
        self.attempt_id = self.choice = None
        self.focus_on_next_screen()
        self.refresh()

    async def advance(self, attempt: Any) -> None:
        """After any step: finish, or show the next screen."""
        if attempt.status == "complete":
            await self.complete(attempt)
            return
        self.attempt_id = attempt.id
        self.focus_on_next_screen()
        self.refresh()

    async def complete(self, attempt: Any) -> None:
        """The sign-up completed: make its session the current one (if it is not already) and move on."""
        session_id = attempt.created_session_id
        if session_id and (self.clerk.session is None or self.clerk.session.id != session_id):
            await self.clerk.set_active(session=session_id)
        self.attempt_id = self.choice = None
        await self.signed_in()

    async def signed_in(self) -> None:
        """The session is set: its tasks first (``_tasks``), then say so and go to ``after_sign_up_url``."""
        from ._tasks import show_next

        if await show_next(self):
            return
        self.announce(self.t("signUp.emailLink.verified.title"))
        if self.on_done is not None:
            self.on_done()
        if self.opts.get("after_sign_up_url"):
            await self.go(self.after_url())
        self.refresh()

    def metadata(self) -> dict[str, Any]:
        """``unsafe_metadata=`` given to the component (sent with the new sign-up)."""
        value = self.opts.get("unsafe_metadata")
        return {"unsafe_metadata": value} if value is not None else {}

    # -- screens -------------------------------------------------------------------------------------------

    def screen_loading(self, scope: Scope, _arg: Any = None) -> Any:
        """The screen before ``clerk.load()`` finished."""
        return self.el("div", "cardBox", self.el("div", "card", self.el("p", "textSecondary", text=self.t("loading"))),
                       aria_busy="true")

    _screen_loading = screen_loading

    def _screen_signed_in(self, scope: Scope, _arg: Any = None) -> Any:
        from ._user import user_identifier

        return Card(self, self.t("signUp.signedIn.title"),
                    self.t("signUp.signedIn.subtitle", identifier=user_identifier(self.clerk.user))).node

    def _screen_restricted(self, scope: Scope, _arg: Any = None) -> Any:
        card = Card(self, self.t("signUp.restrictedAccess.title"), self.t("signUp.restrictedAccess.subtitle"))
        self._sign_in_footer(card)
        return card.node

    def _sign_in_footer(self, card: Card) -> None:
        url = self.link_url("sign_in_url", "sign_in_url")
        if url:
            card.footer(footer(self, self.t("signUp.start.actionText"), link(self, self.t("signUp.start.actionLink"),
                                                                            url)))

    def field(self, name: str, required: bool, value: str | None = None) -> Field:
        """The input of sign-up field ``name``."""
        label, kind, autocomplete = FIELDS[name]
        return Field(self, name, self.t(label), type=kind, autocomplete=autocomplete, required=required,
                     optional_text=self.t("formFieldHintText__optional"), value=value)

    def legal(self) -> Checkbox:
        """The legal consent checkbox, with links to the instance's terms and privacy policy when it has them."""
        return Checkbox(self, "legal_accepted", self.t("formFieldLabel__legalConsent"), required=True)

    def legal_links(self) -> Any:
        """Links to the terms and the privacy policy (``display_config``), or None."""
        links = [link(self, self.t(key), url, "footerPageLink") for key, url in (
            ("footerPageLink__terms", self.instance.url("terms_url")),
            ("footerPageLink__privacy", self.instance.url("privacy_policy_url"))) if url]
        return self.el("p", "footerPages", *links) if links else None

    def _screen_start(self, scope: Scope, _arg: Any = None) -> Any:
        instance = self.instance
        card = Card(self, self.t("signUp.start.title"), self.t("signUp.start.subtitle"))
        if self.notice:
            card.alert.show(self.notice)
        if instance.social:
            card.add(social_buttons(self, scope, instance.social, self.social))
        initial = self.opts.get("initial_values") or {}
        fields: list[Any] = [self.field(name, required, initial.get(name))
                             for name, required in instance.sign_up_fields]
        if fields:
            if instance.social:
                card.add(divider(self))
            if instance.legal_consent:
                fields.append(self.legal())
            extra = [node for node in (self.legal_links(),) if node is not None]
            card.add(Form(self, scope, fields, self.t("formButtonPrimary"), self._submit, extra=extra).node)
        self._sign_in_footer(card)
        return card.node

    async def _submit(self, values: dict[str, str]) -> None:
        self.notice = None
        form: dict[str, Any] = {name: value for name, value in values.items() if value and name != "legal_accepted"}
        if values.get("legal_accepted"):
            form["legal_accepted"] = True
        attempt = self.attempt
        await attempt.create(**form, **self.metadata())
        await self.advance(attempt)

    async def social(self, strategy: str) -> None:
        """A social button: off to the provider (the page comes back to ``#/sso-callback``)."""
        await run_action(self, self.attempt.authenticate_with_redirect(
            strategy=strategy, redirect_url=self.page_url("sso-callback"), redirect_url_complete=self.after_url(),
            **self.metadata()))

    async def _ticket(self, ticket: str) -> None:
        attempt = self.attempt
        if await run_action(self, attempt.create(strategy="ticket", ticket=ticket, **self.metadata())):
            await self.advance(attempt)
