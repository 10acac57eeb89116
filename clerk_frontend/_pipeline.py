"""The one request pipeline, base class of :class:`~clerk_frontend.Clerk`: build, send (GETs retried), keep the
rotated dev-browser token, apply the piggybacked client (error answers too), refresh the resource, fire listeners
once."""

from __future__ import annotations

import asyncio
import contextlib
import sys
import time
from collections.abc import Awaitable, Callable, Coroutine, Iterator, Mapping, MutableMapping, Sequence
from typing import TYPE_CHECKING, Any, cast

from ._sentinels import UNSET
from .errors import ClerkAPIResponseError, ClerkError, ClerkNetworkError
from .fapi import FapiResult, backoff_delay, build_request, read_response
from .tokens import TokenCache
from .transports import Transport

if TYPE_CHECKING:
    from .clerk import Clerk
    from .resources import Client, Resource, Session, User
    from .wire import UserJSON

__all__ = ["Pipeline", "blocking_sleep", "default_storage"]


class _LocalStorage(MutableMapping[str, str]):
    # The page's localStorage, so the dev-browser identity survives reloads as it does in clerk-js.
    # Values read are kept in memory, as clerk-js keeps the token (every request reads it, and a JS call each
    # time is measurable); writes go through to both.
    def __init__(self, store: Any) -> None:
        self._store = store
        self._read: dict[str, str] = {}

    def __getitem__(self, key: str) -> str:
        value = self._read.get(key)
        if value is not None:
            return value
        value = self._store.getItem(key)
        # A missing key is JS null, which Pyodide hands over as ``jsnull``, not ``None``.
        if not isinstance(value, str):
            raise KeyError(key)
        self._read[key] = value
        return value

    def __setitem__(self, key: str, value: str) -> None:
        self._store.setItem(key, value)
        self._read[key] = value

    def __delitem__(self, key: str) -> None:
        self._read.pop(key, None)
        self._store.removeItem(key)

    def __iter__(self) -> Iterator[str]:
        return iter([str(self._store.key(i)) for i in range(int(self._store.length))])

    def __len__(self) -> int:
        return int(self._store.length)


def default_storage() -> MutableMapping[str, str]:
    if sys.platform == "emscripten":
        try:
            import js

            store = js.localStorage
            store.getItem("__clerk_probe")
            return _LocalStorage(store)
        except Exception:  # no localStorage (Web Worker, Node, privacy mode): keep it in memory
            pass
    return {}



async def blocking_sleep(seconds: float) -> None:
    time.sleep(seconds)



class Pipeline:
    """Requests and the state they update; :class:`~clerk_frontend.Clerk` adds the public API on top."""

    # Set by Clerk.__init__.
    frontend_api_url: str
    loaded: bool
    _transport: Transport
    _dev_browser: bool
    _storage: MutableMapping[str, str]
    _storage_key: str
    _sleep: Callable[[float], Awaitable[None]]
    _jitter: Callable[[], float]
    _max_get_tries: int
    _tokens: TokenCache
    _users: dict[str, User]
    _client: Client | None
    _session_id: str | None
    _tasks: dict[str, asyncio.Task[None]]

    @property
    def dev_browser_jwt(self) -> str | None:
        """The dev-browser token identifying this client (dev-browser mode), or None."""
        return self._storage.get(self._storage_key) if self._dev_browser else None

    @property
    def _owner(self) -> Clerk:
        # Resources belong to the Clerk this pipeline is the base of.
        return cast("Clerk", self)

    @property
    def session(self) -> Session | None:
        """The selected signed-in session (defined by Clerk)."""
        raise NotImplementedError

    def _emit(self) -> None:
        """Fire listeners if the observable state changed (defined by Clerk)."""
        raise NotImplementedError


    async def _gather(self, *calls: Coroutine[Any, Any, Any], meanwhile: Callable[[], None]) -> list[Any]:
        """Run ``calls`` concurrently, and ``meanwhile()`` once they have all been sent."""
        if not self._transport.blocking:
            tasks = [asyncio.ensure_future(call) for call in calls]
            await asyncio.sleep(0)  # each task runs up to its first await: the request is on the network
            meanwhile()
            return list(await asyncio.gather(*tasks))
        meanwhile()
        # No event loop to run them concurrently: one after the other, closing the rest if one fails.
        pending, results = list(calls), []
        try:
            while pending:
                results.append(await pending.pop(0))
        finally:
            for call in pending:
                call.close()
        return results

    async def _send(
        self,
        method: str,
        path: str,
        *,
        query: Sequence[tuple[str, str]] = (),
        form: Mapping[str, Any] | None = None,
        body: bytes | None = None,
        content_type: str | None = None,
        dev_browser_jwt: Any = UNSET,
    ) -> FapiResult:
        jwt = self.dev_browser_jwt if dev_browser_jwt is UNSET else dev_browser_jwt
        session = self.session
        attempt = 0
        while True:
            request = build_request(
                self.frontend_api_url, method, path, query=query, form=form, body=body, content_type=content_type,
                session_id=session.id if session else None, dev_browser_jwt=jwt, retry_attempt=attempt,
            )
            try:
                response = await self._transport.handle(request)
            except ClerkNetworkError:
                attempt += 1
                # Only reads are retried: a mutation may have reached the server.
                if method != "GET" or attempt >= self._max_get_tries:
                    raise
                await self._sleep(backoff_delay(attempt, self._jitter()))
                continue
            rotated = response.headers.get("clerk-db-jwt") if self._dev_browser else None
            if rotated:
                self._storage[self._storage_key] = rotated
            return read_response(response)

    async def _request(
        self,
        method: str,
        path: str,
        *,
        query: Sequence[tuple[str, str]] = (),
        form: Mapping[str, Any] | None = None,
        body: bytes | None = None,
        content_type: str | None = None,
        apply_client: bool | None = None,
        into: Resource[Any] | None = None,
    ) -> Any:
        """Send one request; apply the piggybacked client (error answers too), then the payload into ``into``,
        then fire listeners once, then raise the error if any. A network error changes nothing."""
        result = await self._send(method, path, query=query, form=form, body=body, content_type=content_type)
        applied = result.has_client and (method != "GET" if apply_client is None else apply_client)
        if applied:
            self._apply_client(result.client)
        if (result.error is None and into is not None and result.payload is not None
                and not (applied and into._carried_by(result.client, result.payload))):
            into._apply_payload(result.payload)
        elif result.error is not None and self._session_lost(result.error, path):
            await self._resync_client()
        self._emit()
        if result.error is not None:
            raise result.error
        return result.payload

    def _session_lost(self, error: ClerkAPIResponseError, path: str) -> bool:
        # A 401 means the server no longer accepts this client's session (clerk-js: handleUnauthenticated).
        return (error.status == 401 and self.loaded and not path.startswith("/client")
                and error.code not in ("requires_captcha", "dev_browser_unauthenticated"))

    async def _resync_client(self) -> None:
        """Re-read ``GET /v1/client`` after a 401 so local state matches the server (signed out if gone)."""
        try:
            result = await self._send("GET", "/client")
        except ClerkNetworkError:
            return  # the caller gets the original 401; state stays as it was
        if result.error is None:
            self._apply_client(result.client if result.has_client else result.payload)

    def _apply_client(self, data: dict[str, Any] | None) -> None:
        from .resources import Client
        from .wire import ClientJSON

        if data is None:
            self._client = None
        else:
            model = ClientJSON.model_validate(data)
            # One Client object, updated in place even when the server starts a new client (as clerk-js's
            # singleton): its sessions and attempts keep their identity by id.
            if self._client is not None:
                self._client._from_json(model)
            else:
                self._client = Client(self._owner, model)
        self._resolve_session()

    def _use_client(self, client: Client) -> None:
        if self._client is not client:
            self._client = client
            self._resolve_session()
            self._emit()

    def _resolve_session(self) -> None:
        client = self._client
        signed_in = {s.id for s in client.signed_in_sessions} if client else set()
        if self._session_id in signed_in:
            return
        last = client.last_active_session_id if client else None
        self._session_id = last if last in signed_in else None

    def _user_for(self, data: UserJSON) -> User:
        from .resources import User

        user = self._users.get(data.id)
        if user is None:
            user = self._users[data.id] = User(self._owner, data)
        else:
            user._from_json(data)
        return user

    def _adopt(self, attempt: Resource[Any]) -> None:
        # Keep the SignIn/SignUp the caller holds as the client's one, so later updates reach it.
        from .resources import SignIn, SignUp

        client = self._client
        if client is None:
            return
        if isinstance(attempt, SignIn) and client.sign_in is not None and client.sign_in.id == attempt.id:
            client.sign_in = attempt
        elif isinstance(attempt, SignUp) and client.sign_up is not None and client.sign_up.id == attempt.id:
            client.sign_up = attempt

    def _background(self, key: str, work: Coroutine[Any, Any, Any]) -> None:
        running = self._tasks.get(key)
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        if self._transport.blocking or loop is None or (running is not None and not running.done()):
            work.close()
            return

        async def refresh() -> None:
            # The cached token is still served; once it is evicted, get_token mints in the foreground
            # and surfaces any error there.
            with contextlib.suppress(ClerkError):
                await work

        self._tasks[key] = loop.create_task(refresh())

