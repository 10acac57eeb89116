"""UserButton (docs/components.md): the avatar and its popover (manage account, switch, sign out); keyboard: Enter
opens, arrows/Home/End move, Escape closes; nothing while signed out."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import js

from ._component import Component
from ._dom import Scope, document, missing
from ._kit import Alert, bound, button, run_action
from ._user import avatar, user_identifier

__all__ = ["UserButton"]


class UserButton(Component):
    """The user button (``clerk.mount_user_button(target, **options)``; options in docs/components.md)."""

    key = "userButton"
    options = frozenset({"after_sign_out_url", "user_profile_mode", "user_profile_url", "user_profile_props",
                         "show_name", "sign_in_url", "default_open"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._open = bool(self.opts.get("default_open"))
        self._trigger: Any = None
        self._popover: Any = None
        self._box: Any = None
        self._name = ""

    def screen(self) -> Hashable:
        """What the button shows: the user's name, identifier and image, and the other signed-in accounts."""
        session = self.clerk.session
        user = self.clerk.user
        if not self.clerk.loaded or session is None or user is None:
            return ("signed_out",)
        raw = user.raw
        others = tuple((s.id, user_identifier(s.user)) for s in self._other_sessions())
        return ("signed_in", session.id, user.full_name, user_identifier(user), user.image_url,
                bool(raw is not None and raw.has_image), others)

    def _other_sessions(self) -> list[Any]:
        client = self.clerk.client
        session = self.clerk.session
        if client is None or session is None:
            return []
        return [s for s in client.signed_in_sessions if s.id != session.id and s.user is not None]

    def build(self, screen: Any, scope: Scope) -> Any:
        """The avatar button and its (hidden) popover, or nothing when signed out."""
        if screen[0] == "signed_out":
            self._open = False
            return self.el("div")
        user: Any = self.clerk.user
        popover_id = self.new_id("user-popover")
        self._trigger = self.el("button", "userButtonTrigger", avatar(self, user, "userButtonAvatarBox"),
                                type="button", aria_haspopup="dialog", aria_controls=popover_id)
        self._name = (user.full_name or screen[3]) if self.opts.get("show_name") else ""
        if self._name:
            self._trigger.append(self.el("span", "userButtonOuterIdentifier", text=self._name))
        self._popover = self._build_popover(scope, popover_id, user)
        self._box = self.el("div", "userButtonBox", self._trigger, self._popover)
        scope.listen(self._trigger, "click", self._toggle)
        scope.listen(self._box, "keydown", self._keydown)
        scope.listen(self._box, "focusout", self._focusout)
        scope.listen(document, "click", self._outside)
        self._show(self._open, focus=False)
        return self._box

    def _build_popover(self, scope: Scope, popover_id: str, user: Any) -> Any:
        identifier = user_identifier(user)
        preview = self.el("div", "userPreview", avatar(self, user, "userPreviewAvatarBox"), self.el(
            "div", "userPreviewTextContainer",
            self.el("span", "userPreviewMainIdentifier", text=user.full_name or identifier),
            *([self.el("span", "userPreviewSecondaryIdentifier", text=identifier)] if user.full_name else [])))
        actions = self.el("div", "userButtonPopoverActions")
        action = "userButtonPopoverActionButton"
        actions.append(button(self, scope, self.t("userButton.action__manageAccount"), self._manage, action,
                              data_action="manage"))
        actions.append(button(self, scope, self.t("userButton.action__signOut"), self._sign_out, action,
                              data_action="sign-out"))
        for session in self._other_sessions():
            actions.append(button(self, scope, self.t("userButton.switchAccount",
                                                      identifier=user_identifier(session.user)),
                                  bound(self._switch, session.id), action, data_action="switch"))
        if not self.instance.single_session:
            url = self.link_url("sign_in_url", "sign_in_url")
            if url:
                actions.append(self.el("a", action, cls="cl-button", text=self.t("userButton.action__addAccount"),
                                       href=url, data_action="add-account"))
            if self._other_sessions():
                actions.append(button(self, scope, self.t("userButton.action__signOutAll"), self._sign_out_all,
                                      action, data_action="sign-out-all"))
        self.alert = Alert(self)
        return self.el("div", "userButtonPopoverCard", preview, self.alert.node, actions, id=popover_id, role="dialog",
                       aria_label=self.t("userButton.popoverLabel", identifier=identifier), hidden=True)

    # -- open and close ----------------------------------------------------------------------------------

    def _actions(self) -> list[Any]:
        return list(self._popover.querySelectorAll("button, a[href]")) if self._popover is not None else []

    def _show(self, open_now: bool, *, focus: bool = True) -> None:
        self._open = open_now
        if self._trigger is None:
            return
        self._popover.hidden = not open_now
        if open_now:  # open toward the side with room: from the trigger's left edge when it sits in the left half
            box = self._trigger.getBoundingClientRect()
            start = box.left + box.width / 2 < js.window.innerWidth / 2
            self._popover.classList.toggle("cl-userButtonPopoverCard__start", start)
        self._trigger.setAttribute("aria-expanded", "true" if open_now else "false")
        # clerk-js's names; a shown name comes first (axe's label-content-name-mismatch: the visible text in the name)
        label = self.t("userButton.action__closeUserMenu" if open_now else "userButton.action__openUserMenu")
        self._trigger.setAttribute("aria-label", f"{self._name}, {label}" if self._name else label)
        if focus:
            actions = self._actions()
            if open_now and actions:
                actions[0].focus()
            elif not open_now:
                self._trigger.focus()

    def _toggle(self, _event: Any) -> None:
        self._show(not self._open)

    def _keydown(self, event: Any) -> None:
        key = event.key
        if key == "Escape" and self._open:
            event.preventDefault()
            self._show(False)
            return
        if not self._open or key not in ("ArrowDown", "ArrowUp", "Home", "End"):
            return
        actions = self._actions()
        if not actions:
            return
        event.preventDefault()
        current = next((i for i, node in enumerate(actions) if node == document.activeElement), -1)
        step = {"ArrowDown": current + 1, "ArrowUp": current - 1, "Home": 0, "End": len(actions) - 1}[key]
        actions[step % len(actions)].focus()

    def _focusout(self, event: Any) -> None:
        target = event.relatedTarget
        if self._open and not missing(target) and not self._box.contains(target):
            self._show(False, focus=False)

    def _outside(self, event: Any) -> None:
        if self._open and self._box is not None and not self._box.contains(event.target):
            self._show(False, focus=False)

    # -- actions -------------------------------------------------------------------------------------------

    def _manage(self, _event: Any) -> None:
        self._show(False)  # focus back on the avatar first: the modal gives it back there when it closes
        if self.opts.get("user_profile_mode") == "navigation":
            url = self.link_url("user_profile_url", "user_profile_url")
            if url:
                self.scope.spawn(self.go(url))
            return
        from . import components_of

        components_of(self.clerk).open("user_profile", dict(self.opts.get("user_profile_props") or {}))

    async def _sign_out(self, _event: Any) -> None:
        session = self.clerk.session
        many = len(self._other_sessions()) > 0
        if await run_action(self, self.clerk.sign_out(session_id=session.id if (many and session) else None)):
            await self._after_sign_out()

    async def _sign_out_all(self, _event: Any) -> None:
        if await run_action(self, self.clerk.sign_out()):
            await self._after_sign_out()

    async def _after_sign_out(self) -> None:
        self.announce(self.t("userButton.signedOut"))
        url = self.link_url("after_sign_out_url", "")
        if url:
            await self.go(url)

    async def _switch(self, session_id: str) -> None:
        self._show(False)
        await run_action(self, self.clerk.set_active(session=session_id))
