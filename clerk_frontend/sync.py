"""A synchronous facade over the async core (Web Workers, sync code): with a blocking transport no SDK coroutine
suspends, so :func:`run_sync` completes it in one step; :class:`SyncClerk` wraps a ``Clerk`` so every async method
is a plain call (``unwrap(obj)`` gives the async object back)."""

from __future__ import annotations

import functools
import inspect
import sys
from collections.abc import Awaitable, Callable, Generator
from typing import Any, TypeVar

from .clerk import Clerk, ClerkState
from .errors import ClerkRuntimeError
from .resources import Paginated, Resource
from .resources.email_link import EmailLinkFlow
from .transports import Transport

__all__ = ["Blocking", "SyncClerk", "run_sync", "unwrap"]

T = TypeVar("T")


def run_sync(awaitable: Awaitable[T]) -> T:
    """Run an SDK coroutine to completion without an event loop; it must never suspend.

    Raises :class:`ClerkRuntimeError` if it does (an async transport was used).
    """
    steps: Generator[Any, None, T] = awaitable.__await__()
    try:
        steps.send(None)
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]
    steps.close()
    raise ClerkRuntimeError(
        "The operation suspended: the sync facade needs a blocking transport such as SyncXHRTransport.",
        code="not_blocking",
    )


def _wrap(value: Any) -> Any:
    if isinstance(value, (Resource, Clerk, EmailLinkFlow)):
        return Blocking(value)
    if isinstance(value, list) and value and isinstance(value[0], Resource):
        return [Blocking(v) for v in value]
    if isinstance(value, Paginated):
        return Paginated([_wrap(v) for v in value.data], value.total_count)
    return value


class Blocking:
    """A synchronous view of a ``Clerk`` or resource: async methods run to completion when called."""

    def __init__(self, target: Any) -> None:
        object.__setattr__(self, "_target", target)

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._target, name)
        if inspect.iscoroutinefunction(value):

            @functools.wraps(value)
            def call(*args: Any, **kwargs: Any) -> Any:
                return _wrap(run_sync(value(*args, **kwargs)))

            return call
        if inspect.ismethod(value):
            # A plain method may return an object with async methods (e.g. an email link flow): wrap it too.
            @functools.wraps(value)
            def plain(*args: Any, **kwargs: Any) -> Any:
                return _wrap(value(*args, **kwargs))

            return plain
        return _wrap(value)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._target, name, value)

    def __eq__(self, other: object) -> bool:
        return unwrap(self) is unwrap(other)

    def __hash__(self) -> int:
        return hash(id(self._target))

    def __repr__(self) -> str:
        return f"Blocking({self._target!r})"


def unwrap(value: Any) -> Any:
    """The async object behind a :class:`Blocking` view (other values pass through)."""
    return object.__getattribute__(value, "_target") if isinstance(value, Blocking) else value


class SyncClerk(Blocking):
    """``Clerk`` with plain (blocking) methods; same arguments as :class:`~clerk_frontend.Clerk`.

    The transport defaults to ``SyncXHRTransport`` in Pyodide; elsewhere pass a blocking transport.
    """

    def __init__(self, publishable_key: str, *, transport: Transport | None = None, **options: Any) -> None:
        if transport is None:
            if sys.platform != "emscripten":
                raise ClerkRuntimeError("Outside Pyodide, pass a blocking transport to SyncClerk.", code="no_transport")
            from .transports import SyncXHRTransport

            transport = SyncXHRTransport()
        if not transport.blocking:
            raise ClerkRuntimeError("SyncClerk needs a blocking transport (blocking=True).", code="not_blocking")
        super().__init__(Clerk(publishable_key, transport=transport, **options))

    def add_listener(self, callback: Callable[[ClerkState], None], *, skip_initial: bool = False) -> Callable[[], None]:
        """Like ``Clerk.add_listener``; the state passed to ``callback`` holds blocking views."""

        def blocking_callback(state: ClerkState) -> None:
            callback(ClerkState(*(_wrap(part) for part in (state.client, state.session, state.user,
                                                           state.organization))))

        clerk: Clerk = unwrap(self)
        return clerk.add_listener(blocking_callback, skip_initial=skip_initial)
