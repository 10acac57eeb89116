"""clerk-js's ``useReverification`` for Python: run an action; when it needs reverification, have the user reverify
and run it once more."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

from .errors import ClerkRuntimeError, ReverificationRequiredError

if TYPE_CHECKING:
    from .clerk import Clerk
    from .resources.factors import SessionVerification

__all__ = ["with_reverification"]

T = TypeVar("T")


def _hint_level(result: Any) -> str | None:
    # An app backend's 403 body: {"clerk_error": {"type": "forbidden", "reason": "reverification-error", …}}.
    error = result.get("clerk_error") if isinstance(result, dict) else None
    if not (isinstance(error, dict) and error.get("type") == "forbidden"
            and error.get("reason") == "reverification-error"):
        return None
    from .authorization import _reverification_config

    config = _reverification_config((error.get("metadata") or {}).get("reverification"))
    return config[1] if config else "second_factor"


async def with_reverification(clerk: Clerk, action: Callable[[], Awaitable[T]],
                              verify: Callable[[SessionVerification], Awaitable[Any]], *,
                              level: str | None = None) -> T:
    """``await action()``; if it raises :class:`~clerk_frontend.ReverificationRequiredError` (or returns an app
    backend's ``reverification-error`` hint), start a verification of the current session at ``level`` (the hint's,
    else ``second_factor``, which the server lowers to ``first_factor`` for users without one), ``await
    verify(verification)`` to complete it (e.g. ``verification.session.attempt_first_factor_verification(…)``;
    raise to cancel), then run ``action()`` once more and return its result. Cached session tokens are dropped,
    so the next one carries the new verification age."""
    try:
        result = await action()
        needed = _hint_level(result)
    except ReverificationRequiredError:
        needed = "second_factor"
    if needed is None:
        return result
    session = clerk.session
    if session is None:
        raise ClerkRuntimeError("Reverification needs a signed-in session.", code="no_session")
    verification = await session.start_verification(level=level or needed)
    if verification.status != "complete":
        await verify(verification)
    if verification.status != "complete":
        raise ClerkRuntimeError(f"The reverification was not completed (status {verification.status!r}).",
                                code="reverification_incomplete")
    clerk._tokens.clear(session.id)
    return await action()
