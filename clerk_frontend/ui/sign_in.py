"""SignIn (docs/components.md): follows ``clerk.client.sign_in``; ``_flow.sign_in_step`` picks the screen. The first
screen is built here, the others in ``_sign_in_steps`` (imported when the sign-in moves on)."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import js

from ..page import query_param
from ._component import Component
from ._dom import Scope
from ._instance import identifier_label_key
from ._kit import Card, Field, Form, divider, footer, link, link_button, run_action, social_buttons

__all__ = ["SignIn"]

# Hash routes the redirect and link flows come back to (clerk-js's names).
_ADOPT_ROUTES = ("factor-one", "factor-two", "reset-password")
# Last strategies that mark each identifier "Last used" (clerk-js's per field, each with password; email and
# username: the union).
_LAST_USED = {"email_address": ("email_address", "email_code", "email_link"), "username": ("username",),
              "phone_number": ("phone_code",)}


def _last_used(shown: tuple[str, ...], last: str | None) -> bool:
    """Whether the client's last strategy ``last`` was the identifier field showing ``shown`` (clerk-js's badge)."""
    return last == "password" or any(last in _LAST_USED[name] for name in shown)


class SignIn(Component):
    """The sign-in component (``clerk.mount_sign_in(target, **options)``; options in docs/components.md)."""

    key = "signIn"
    options = frozenset({"after_sign_in_url", "after_sign_up_url", "sign_up_url", "initial_values", "transferable"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # What the user chose here; never a copy of the attempt, which is read from the SDK on every render.
        self._attempt_id: str | None = None
        self.choice: str | None = None
        self._page: str | None = None
        self._phone = False
        self._adding = False
        self.notice: str | None = None
        self.landing: str | None = None  # the outcome shown on #/verify
        self.started: set[str] = set()  # one-shot jobs: "callback", "verify", "ticket"
        self.prepared: set[tuple[str, str, str]] = set()
        self.task_state: Any = None  # what the user chose on a session task's screen (``_tasks``)

    # -- state -------------------------------------------------------------------------------------------

    @property
    def attempt(self) -> Any:
        """The SDK's sign-in in progress (``clerk.client.sign_in``)."""
        return self.clerk.sign_in

    def attach(self, host: Any) -> None:
        """Render, adopting the sign-in a redirect flow came back with."""
        self._adopt_route()
        super().attach(host)
        ticket = self.clerk.ticket_from_url() if self.routing == "hash" else None
        # An invitation for an address without an account is SignUp's (the instance says __clerk_status=sign_up).
        if ticket and query_param(str(js.location.href), "__clerk_status") == "sign_up":
            ticket = None
        if ticket and self.clerk.loaded and self.clerk.session is None and "ticket" not in self.started:
            self.started.add("ticket")
            self.scope.spawn(self._ticket(ticket))

    def route_changed(self) -> None:
        """A callback moved the page to another step of this sign-in."""
        self._adopt_route()
        self.refresh()

    def _adopt_route(self) -> None:
        if self.route() in _ADOPT_ROUTES and self.clerk.client is not None and self.attempt.id:
            self._attempt_id = self.attempt.id
            self.choice = self._page = None
            self.focus_on_next_screen()

    def screen(self) -> Hashable:
        """The screen for the current state (see ``_flow.sign_in_step``)."""
        clerk = self.clerk
        if not clerk.loaded:
            return ("loading",)
        route = self.route()
        if route == "sso-callback":
            return ("callback", self.notice)
        if route == "verify":
            return ("verify", self.landing)
        attempt = self.attempt
        following = bool(attempt.id) and attempt.id == self._attempt_id and attempt.status != "complete"
        if clerk.session is not None and (clerk.session.status == "pending" or self.task_state) and not following:
            from ._tasks import screen_key

            return screen_key(self)
        if clerk.session is not None and not self._adding and not following:
            return ("signed_in", clerk.session.id)
        if not following:
            return ("start", self._phone, self.notice)
        from . import _flow as flow

        verification = attempt.first_factor_verification
        step = flow.sign_in_step(
            attempt.status, attempt.supported_first_factors, attempt.supported_second_factors, choice=self.choice,
            page=self._page, preferred=self.instance.preferred_strategy,
            verifying=verification.strategy if verification is not None else None)
        return (step.name, step.strategy, attempt.id)

    def build(self, screen: Any, scope: Scope) -> Any:
        """The element of ``screen``: start, loading and signed-in are built here, the rest by ``_sign_in_steps``."""
        return self._build_step(screen, scope, "_tasks" if screen[0] == "task" else "_sign_in_steps")

    # -- navigation helpers ----------------------------------------------------------------------------------

    def after_url(self) -> str:
        """Where a completed sign-in goes: ``after_sign_in_url``, else this page."""
        return str(self.link_url("after_sign_in_url", "") or self.page_url())

    def restart(self, _event: Any = None) -> None:
        """Back to the first screen (the identifier stays filled in)."""
        self._attempt_id = self.choice = self._page = None
        self.focus_on_next_screen()
        self.refresh()

    def choose(self, strategy: str | None, page: str | None = None) -> None:
        """The user picked a factor (``strategy``) or a screen (``page``: ``"alternatives"``, ``"forgot_password"``)."""
        self.choice, self._page = strategy, page
        self.focus_on_next_screen()
        self.refresh()

    async def complete(self, attempt: Any) -> None:
        """The attempt completed: make its session the current one (only if it is not already) and move on."""
        session_id = attempt.created_session_id
        if session_id and (self.clerk.session is None or self.clerk.session.id != session_id):
            await self.clerk.set_active(session=session_id)
        self._attempt_id = self.choice = self._page = None
        self._adding = False
        await self.signed_in()

    async def signed_in(self) -> None:
        """The session is set: its tasks first (``_tasks``), then say so and go to ``after_sign_in_url``."""
        from ._tasks import show_next
        from ._user import user_identifier

        if await show_next(self):
            return
        self.announce(self.t("signIn.signedIn.subtitle", identifier=user_identifier(self.clerk.user)))
        if self.on_done is not None:
            self.on_done()
        after = self.opts.get("after_sign_in_url")
        if after:
            await self.go(str(self.link_url("after_sign_in_url", "")))
        self.refresh()

    async def advance(self, attempt: Any) -> None:
        """After any step: finish, follow an enterprise connection, or show the next screen."""
        if attempt.status == "complete":
            await self.complete(attempt)
            return
        self._attempt_id = attempt.id
        self.choice = self._page = None
        self.focus_on_next_screen()
        factors = attempt.supported_first_factors or ()
        if attempt.status == "needs_first_factor" and any(f.get("strategy") == "enterprise_sso" for f in factors):
            await attempt.authenticate_with_redirect(
                strategy="enterprise_sso", identifier=attempt.identifier, continue_sign_in=True,
                redirect_url=self.page_url("sso-callback"), redirect_url_complete=self.after_url())
            return
        self.refresh()

    # -- screens -------------------------------------------------------------------------------------------------

    def screen_loading(self, scope: Scope, _arg: Any = None) -> Any:
        """The screen before ``clerk.load()`` finished."""
        return self.el("div", "cardBox", self.el("div", "card", self.el("p", "textSecondary", text=self.t("loading"))),
                       aria_busy="true")

    _screen_loading = screen_loading

    def _screen_signed_in(self, scope: Scope, _arg: Any = None) -> Any:
        from ._user import user_identifier

        card = Card(self, self.t("signIn.signedIn.title"),
                    self.t("signIn.signedIn.subtitle", identifier=user_identifier(self.clerk.user)))
        if not self.instance.single_session:
            card.add(link_button(self, scope, self.t("signIn.signedIn.actionLink"), self._add_account))
        return card.node

    def _add_account(self, _event: Any) -> None:
        self._adding = True
        self._attempt_id = None
        self.focus_on_next_screen()
        self.refresh()

    def _screen_start(self, scope: Scope, _arg: Any = None) -> Any:
        instance = self.instance
        card = Card(self, self.t("signIn.start.title", applicationName=instance.application_name),
                    self.t("signIn.start.subtitle"))
        if self.notice:
            card.alert.show(self.notice)
        if instance.social:
            card.add(social_buttons(self, scope, instance.social, self.social, last=self.last_strategy))
        identifiers = instance.identifiers
        if identifiers:
            if instance.social:
                card.add(divider(self))
            card.add(self._identifier_form(scope, identifiers))
        sign_up_url = self.link_url("sign_up_url", "sign_up_url")
        if sign_up_url and instance.sign_up_mode == "public":
            card.footer(footer(self, self.t("signIn.start.actionText"),
                               link(self, self.t("signIn.start.actionLink"), sign_up_url)))
        return card.node

    def _identifier_form(self, scope: Scope, identifiers: tuple[str, ...]) -> Any:
        has_phone = "phone_number" in identifiers
        others = tuple(i for i in identifiers if i != "phone_number")
        phone = has_phone and (self._phone or not others)
        shown = ("phone_number",) if phone else others
        toggle = None
        if has_phone and others:
            key = "actionLink__use_email_username" if len(others) > 1 else (
                "actionLink__use_email" if others == ("email_address",) else "actionLink__use_username")
            text = self.t("signIn.start.actionLink__use_phone" if not phone else f"signIn.start.{key}")
            toggle = link_button(self, scope, text, self._toggle_phone, "formFieldAction")
        kind = "tel" if phone else ("email" if shown == ("email_address",) else "text")
        placeholder = {"email": "formFieldInputPlaceholder__emailAddress",
                       "tel": "formFieldInputPlaceholder__phoneNumber"}.get(kind)
        if shown == ("email_address", "username"):
            placeholder = "formFieldInputPlaceholder__emailAddress_username"
        # As clerk-js: not beside the "Use phone" switch, and only when there is another way to sign in.
        if toggle is None and len(identifiers) + len(self.instance.social) > 1 and _last_used(
                shown, self.last_strategy):
            toggle = self.el("span", "lastAuthenticationStrategyBadge", cls="cl-badge",
                             text=self.t("lastAuthenticationStrategy"))
        initial = self.opts.get("initial_values") or {}
        value = self.attempt.identifier or initial.get("phone_number" if phone else "identifier")
        field = Field(self, "identifier", self.t(identifier_label_key(shown)), type=kind,
                      autocomplete="tel" if phone else "username", action=toggle,
                      placeholder=self.t(placeholder) if placeholder else None, value=value)
        return Form(self, scope, [field], self.t("formButtonPrimary"), self._submit_identifier).node

    def _toggle_phone(self, _event: Any) -> None:
        self._phone = not self._phone
        self.focus_on_next_screen()
        self.refresh(force=True)

    async def _submit_identifier(self, values: dict[str, str]) -> None:
        self.notice = None
        attempt = self.attempt
        await attempt.create(identifier=values["identifier"])
        await self.advance(attempt)

    @property
    def last_strategy(self) -> str | None:
        """The client's last sign-in strategy (its social button comes first, "Last used")."""
        return getattr(self.clerk.client, "last_authentication_strategy", None)

    async def social(self, strategy: str) -> None:
        """A social button: off to the provider (the page comes back to ``#/sso-callback``)."""
        await run_action(self, self.attempt.authenticate_with_redirect(
            strategy=strategy, redirect_url=self.page_url("sso-callback"), redirect_url_complete=self.after_url()))

    async def _ticket(self, ticket: str) -> None:
        attempt = self.attempt
        if await run_action(self, attempt.create(strategy="ticket", ticket=ticket)):
            await self.advance(attempt)
