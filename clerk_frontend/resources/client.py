"""The browser's client: its sessions and the sign-in/sign-up in progress."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..wire import ClientJSON
from ._base import Resource
from .session import Session
from .sign_in import SignIn
from .sign_up import SignUp

__all__ = ["Client"]


class Client(Resource[ClientJSON]):
    """The browser's client: its sessions and in-progress sign-in/sign-up."""

    _wire = ClientJSON
    sessions: list[Session]
    sign_in: SignIn | None
    sign_up: SignUp | None
    last_active_session_id: str | None
    captcha_bypass: bool
    created_at: datetime | None
    updated_at: datetime | None

    def _apply_stale(self, data: ClientJSON) -> bool:
        # An older client keeps the session list, but sessions it shares may still carry newer users.
        changed = False
        for item in data.sessions:
            for session in self.sessions:
                if session.id == item.id:
                    changed = session._from_json(item) or changed
        return changed

    _nested = ("sessions", "sign_in", "sign_up")

    def _assign(self, data: ClientJSON, old: ClientJSON | None) -> bool:
        changed = super()._assign(data, old)
        changed = self._children("sessions", data.sessions, Session) or changed
        changed = self._attempt("sign_in", data.sign_in, SignIn) or changed
        return self._attempt("sign_up", data.sign_up, SignUp) or changed

    def _attempt(self, name: str, data: Any, cls: type[Resource[Any]]) -> bool:
        # The sign-in/sign-up attempt keeps its identity while its id stays the same.
        current: Resource[Any] | None = getattr(self, name, None)
        if data is None:
            setattr(self, name, None)
            return current is not None
        if current is not None and current.id == data.id:
            return current._from_json(data)
        setattr(self, name, cls(self._clerk, data))
        return True

    @property
    def signed_in_sessions(self) -> list[Session]:
        """Sessions whose status is ``active`` or ``pending``."""
        return [s for s in self.sessions if s.signed_in]

    async def destroy(self) -> None:
        """Delete the client (``DELETE /v1/client``)."""
        await self._clerk._request("DELETE", "/client")
