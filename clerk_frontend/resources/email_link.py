"""Email-link flows (clerk-js's ``createEmailLinkFlow``): send the link, poll every second."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar

from ..errors import ClerkRuntimeError, ClerkValidationError
from ..wire import VerificationJSON

__all__ = ["POLL_INTERVAL", "EmailLinkFlow"]

#: Seconds between two polls (clerk-js's poller interval).
POLL_INTERVAL = 1.0

R = TypeVar("R")
_Watch = Callable[[], "VerificationJSON | None"]


class EmailLinkFlow(Generic[R]):
    """One email-link verification of a sign-in, sign-up or email address: :meth:`start`, :meth:`cancel`;
    :attr:`status` is then final (``verified``, ``expired``, ``transferable``) or None."""

    def __init__(
        self,
        resource: R,
        prepare: Callable[[str, str | None], Awaitable[_Watch]],
        terminal: tuple[str, ...],
        *,
        takes_email_address_id: bool = False,
    ) -> None:
        self.resource = resource
        self._prepare = prepare
        self._terminal = terminal
        self._takes_email_address_id = takes_email_address_id
        self._watch: _Watch | None = None
        self._running = False
        #: True once :meth:`cancel` stopped the flow.
        self.cancelled = False

    @property
    def verification(self) -> VerificationJSON | None:
        """The verification being watched (None before :meth:`start`)."""
        return self._watch() if self._watch is not None else None

    @property
    def status(self) -> str | None:
        """The watched verification's status once it is final, else None."""
        verification = self.verification
        status = verification.status if verification is not None else None
        return status if status in self._terminal else None

    @property
    def running(self) -> bool:
        """True while :meth:`start` is waiting for the link."""
        return self._running

    async def start(self, *, redirect_url: str, email_address_id: str | None = None) -> R:
        """Send the link (``redirect_url``: the page it opens) and poll every second until it is final or
        cancelled; returns the resource. ``email_address_id``: sign-ins only."""
        if self._running:
            raise ClerkRuntimeError("This email link flow is already running.", code="email_link_flow_running")
        if email_address_id is not None and not self._takes_email_address_id:
            raise ClerkValidationError("email_address_id= is only for a sign-in's email link flow.")
        if email_address_id is not None and not isinstance(email_address_id, str):
            raise ClerkValidationError("email_address_id must be a str.")
        self._running, self.cancelled = True, False
        try:
            self._watch = await self._prepare(redirect_url, email_address_id)
            resource: Any = self.resource
            clerk = resource._clerk
            while not self.cancelled:
                await resource.reload()
                if self.status is not None:
                    break
                await clerk._sleep(POLL_INTERVAL)
            return self.resource
        finally:
            self._running = False

    def cancel(self) -> None:
        """Stop polling: :meth:`start` returns after the poll or pause in progress."""
        self.cancelled = True

    def __repr__(self) -> str:
        return f"<EmailLinkFlow {self.resource!r} status={self.status!r} running={self._running}>"
