"""OAuth / enterprise SSO in a popup window, as clerk-js 6.40.0's ``authenticateWithPopup``; imported on first use.

The popup goes to the provider; the Frontend API sends it back to the Account Portal's ``/popup-callback``, which
posts ``{session}`` (the flow completed: the opener activates that session) or ``{return_url}`` (the opener's
page goes to the app's callback page, which finishes with ``handle_redirect_callback``).
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import sys
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from ..callbacks import CallbackResult
from ..errors import ClerkError, ClerkRuntimeError
from ..keys import is_loopback_host, parse_publishable_key
from ..page import set_query_param
from ._attempt import redirect_strategy

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from ..clerk import Clerk

__all__: list[str] = []

# As clerk-js's social buttons: the window they open, and how often they look whether it was closed.
_FEATURES = "width=600,height=800"
POLL_SECONDS = 0.5


def accounts_base(clerk: Clerk) -> str:
    """The Account Portal origin of the instance (clerk-js's ``buildAccountsBaseUrl``); ``http`` for a loopback
    host, as the Frontend API URL is."""
    host = parse_publishable_key(clerk.publishable_key).frontend_api
    host = re.sub(r"clerk\.accounts\.|clerk\.", "accounts.", host.replace("clerk.accountsstage.", "accountsstage.", 1),
                  count=1)
    return f"{'http' if is_loopback_host(host) else 'https'}://{host}"


def popup_urls(clerk: Clerk, intent: str, redirect_url: str, redirect_url_complete: str) -> tuple[str, str, str]:
    """``(redirect_url, action_complete_redirect_url, accounts origin)`` of the flow: both point at the Account
    Portal's ``/popup-callback``; the first carries the app's callback URL (with the force-redirect URLs and
    ``intent``) as ``return_url``."""
    where = f"{intent[0].upper()}{intent[1:]}.authenticate_with_popup"
    complete = clerk._absolute(redirect_url_complete, f"{where}: redirect_url_complete")
    back = clerk._absolute(redirect_url, f"{where}: redirect_url")
    for name, value in (("sign_in_force_redirect_url", complete), ("sign_up_force_redirect_url", complete),
                        ("intent", intent)):
        back = set_query_param(back, name, value)
    back = clerk.build_url_with_auth(back)
    base = accounts_base(clerk)
    callback = f"{base}/popup-callback"
    with_return = f"{callback}?return_url={quote(back, safe='!~*()' + chr(39))}"  # encodeURIComponent
    return _with_token(clerk, with_return), _with_token(clerk, callback), base


def _with_token(clerk: Clerk, url: str) -> str:
    # clerk-js always crosses origins to the Account Portal, so its buildUrlWithAuth always adds the dev-browser
    # token; a loopback instance serves the portal on the app's origin, where the page still needs it.
    jwt = clerk.dev_browser_jwt
    if clerk.instance_type == "production" or jwt is None:
        return url
    return set_query_param(url, "__clerk_db_jwt", jwt)


def window_of(clerk: Clerk) -> Any:
    """``clerk.window`` when set (tests), else the browser window Pyodide runs in, else None."""
    window = getattr(clerk, "window", None)
    if window is None and sys.platform == "emscripten":
        try:
            import js

            window = js.window
        except Exception:  # Node or a worker: no window
            window = None
    return window


def _listener(window: Any, handler: Callable[[Any], None]) -> Any:
    try:
        from pyodide.ffi import JsProxy, create_proxy
    except ImportError:  # CPython: a test double takes the function itself
        return handler
    return create_proxy(handler) if isinstance(window, JsProxy) else handler


def _plain(data: Any) -> Any:
    return data.to_py() if hasattr(data, "to_py") else data


async def authenticate_with_popup(
    clerk: Clerk,
    intent: str,
    popup: Any,
    strategy: object,
    start: Callable[[str, str, Callable[[str], None]], Awaitable[str]],
    redirect_url: str,
    redirect_url_complete: str,
    navigate: Any,
) -> CallbackResult:
    """Run one popup flow; ``start(redirect_url, complete_url, go)`` is the attempt's redirect flow, which sends
    the request(s) and calls ``go(provider_url)``."""
    where = f"{intent[0].upper()}{intent[1:]}.authenticate_with_popup"
    redirect_strategy(strategy, where)
    back, complete, origin = popup_urls(clerk, intent, redirect_url, redirect_url_complete)
    window = window_of(clerk)
    if window is None:
        raise ClerkRuntimeError(f"{where} needs a browser page (window.open, postMessage).",
                                code="popup_not_supported")
    if popup is None:
        # Before any await: browsers allow window.open only while the click that led here is recent.
        popup = window.open("about:blank", "", _FEATURES)
        if not popup:
            raise ClerkRuntimeError("The browser blocked the popup: open it in the click handler and pass popup=.",
                                    code="popup_blocked")
    done: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()

    def on_message(event: Any) -> None:
        # Only the Account Portal speaks here, as in clerk-js; other messages are left alone.
        if done.done() or str(getattr(event, "origin", "")) != origin:
            return
        data = _plain(getattr(event, "data", None))
        if isinstance(data, dict) and any(isinstance(data.get(k), str) and data[k] for k in ("session", "return_url")):
            done.set_result(data)

    listener = _listener(window, on_message)
    window.addEventListener("message", listener)
    try:
        def go(url: str) -> None:
            popup.location.href = url

        try:
            await start(back, complete, go)
        except BaseException:
            popup.close()
            raise
        data = await _wait(done, popup)
    finally:
        window.removeEventListener("message", listener)
        if hasattr(listener, "destroy"):
            listener.destroy()
    if data is None:
        return CallbackResult("popup_closed", None)
    session = data.get("session")
    if isinstance(session, str) and session:
        return await _activate(clerk, session, redirect_url_complete, navigate)
    target = clerk._absolute(data["return_url"], f"{where}: the popup's return_url")
    await clerk._go(target, navigate)
    return CallbackResult("continue", target)


async def _wait(done: asyncio.Future[dict[str, Any]], popup: Any) -> dict[str, Any] | None:
    # As clerk-js's buttons, look every half second whether the user closed the popup; one more look after it
    # closed lets a message posted just before closing arrive.
    closed = False
    while True:
        finished, _ = await asyncio.wait({done}, timeout=POLL_SECONDS)
        if finished:
            return done.result()
        if closed:
            done.cancel()
            return None
        closed = bool(popup.closed)


async def _activate(clerk: Clerk, session: str, redirect_url_complete: str, navigate: Any) -> CallbackResult:
    client = clerk.client
    if client is None or not any(s.id == session for s in client.sessions):
        # The popup created it: this page's client does not know it yet. As clerk-js, a failed reload is left to
        # set_active, which reports a session it cannot find.
        with contextlib.suppress(ClerkError):
            await clerk._request("GET", "/client", apply_client=True)
    await clerk.set_active(session=session)
    target = clerk._absolute(redirect_url_complete, "redirect_url_complete")
    await clerk._go(target, navigate)
    return CallbackResult("complete", target, session)
