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
    """The browser's client; ``sign_in`` / ``sign_up`` are always objects (the attempt in progress, or a
    fresh one to ``create()``), as in clerk-js."""

    _wire = ClientJSON
    sessions: list[Session]
    sign_in: SignIn
    sign_up: SignUp
    last_active_session_id: str | None
    last_authentication_strategy: str | None
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

    def _carried_by(self, client: dict[str, Any] | None, payload: Any) -> bool:
        return client is not None and client == payload

    def _assign(self, data: ClientJSON, old: ClientJSON | None) -> bool:
        changed = super()._assign(data, old)
        changed = self._children("sessions", data.sessions, Session) or changed
        changed = self._attempt("sign_in", data.sign_in, SignIn) or changed
        return self._attempt("sign_up", data.sign_up, SignUp) or changed

    def _attempt(self, name: str, data: Any, cls: type[Resource[Any]]) -> bool:
        current: Resource[Any] | None = self.__dict__.get(name)
        if data is None:
            # No attempt in progress: a fresh, unsaved one (kept while there is still none).
            if current is not None and not current.id:
                return False
            setattr(self, name, cls(self._clerk))
            return current is not None
        if current is not None and (current.id == data.id or not current.id):
            # The same attempt, or the fresh one being created: refreshed in place.
            return current._from_json(data)
        setattr(self, name, cls(self._clerk, data))
        return True

    @property
    def signed_in_sessions(self) -> list[Session]:
        """Sessions whose status is ``active`` or ``pending``."""
        return [s for s in self.sessions if s.signed_in]

    async def create(self) -> Client:
        """A new client for this browser (``PUT /v1/client``); this object becomes it."""
        await self._clerk._request("PUT", "/client", into=self)
        self._clerk._use_client(self)
        return self

    async def destroy(self) -> None:
        """Delete the client (``DELETE /v1/client``)."""
        await self._clerk._request("DELETE", "/client")
