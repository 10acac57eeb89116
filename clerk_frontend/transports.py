"""Transports, the one place a request leaves the process: ``async handle(request) -> FapiResponse`` and
``blocking``; any HTTP answer is returned, :class:`ClerkNetworkError` raised only without one. Browser transports
send no custom header (requests stay CORS-simple) and always send credentials (docs/sdk.md, Transports)."""

from __future__ import annotations

import inspect
import sys
from collections.abc import Awaitable, Callable, Iterator, Mapping
from typing import Any, Protocol

from .errors import ClerkNetworkError
from .fapi import FapiRequest, FapiResponse

__all__ = [
    "HttpxTransport",
    "MockTransport",
    "PyfetchTransport",
    "SyncXHRTransport",
    "Transport",
    "default_transport",
]


class Transport(Protocol):
    """What :class:`~clerk_frontend.Clerk` needs from a transport."""

    #: True when ``handle`` never suspends (sync XHR): the SDK then runs without an event loop.
    blocking: bool

    async def handle(self, request: FapiRequest) -> FapiResponse:
        """Send ``request``; return the HTTP answer or raise :class:`ClerkNetworkError`."""
        ...


Handler = Callable[[FapiRequest], "FapiResponse | Awaitable[FapiResponse]"]


class MockTransport:
    """A transport answering from ``handler(request)`` (sync or async); records every request.

    ``blocking=True`` lets a sync handler stand in for :class:`SyncXHRTransport` in tests.
    """

    def __init__(self, handler: Handler, *, blocking: bool = False) -> None:
        self.handler = handler
        self.blocking = blocking
        self.requests: list[FapiRequest] = []

    async def handle(self, request: FapiRequest) -> FapiResponse:
        """Record ``request`` and answer it with the handler."""
        self.requests.append(request)
        result = self.handler(request)
        if inspect.isawaitable(result):
            if self.blocking:
                raise TypeError("a blocking MockTransport needs a synchronous handler")
            result = await result
        assert isinstance(result, FapiResponse), f"handler returned {type(result).__name__}"
        return result


class _FetchHeaders(Mapping[str, str]):
    """A fetch response's ``Headers``, read from JS only when asked (each JS access costs)."""

    def __init__(self, response: Any, header: Callable[[Any, str], Any]) -> None:
        self._response = response
        self._header = header  # JS (response, name) => value: one crossing per read
        self._all: dict[str, str] | None = None

    def get(self, key: str, default: Any = None) -> Any:
        value = self._header(self._response, key)
        return value if isinstance(value, str) else default  # a missing header is JS null

    def __getitem__(self, key: str) -> str:
        value = self._header(self._response, key)
        if not isinstance(value, str):
            raise KeyError(key)
        return value

    def _every(self) -> dict[str, str]:
        if self._all is None:
            import js

            self._all = js.Object.fromEntries(self._response.headers).to_py()  # names already lower-case
        return self._all

    def __iter__(self) -> Iterator[str]:
        return iter(self._every())

    def __len__(self) -> int:
        return len(self._every())

    def __repr__(self) -> str:
        return f"_FetchHeaders({self._every()!r})"


# The browser side of a request, as JS functions made once per transport. ``fetcher`` is what pyfetch calls
# with the Request it built (carrying pyfetch's own abort signal, so cancelling the Python task still
# aborts). It adds the timeout timer (a ``signal=`` argument would make pyfetch merge signals through
# several Python/JS crossings) and reads the body before resolving, so the answer comes back to Python
# whole, in one wake-up of the event loop instead of two.
_BROWSER_JS = """(() => ({
  fetcher: (ms) => async (request, init) => {
    const response = await fetch(request, ms === null ? init : {
      ...init, signal: AbortSignal.any([request.signal, AbortSignal.timeout(ms)]) });
    return { status: response.status, body: await response.arrayBuffer(), response };
  },
  header: (response, name) => response.headers.get(name),
}))()"""


# Set when the page's Content-Security-Policy refused ``run_js`` (no 'unsafe-eval'): tried once per process,
# since each refused eval is also reported as a violation.
_eval_refused = False


def _header(response: Any, name: str) -> Any:
    return response.headers.get(name)


class PyfetchTransport:
    """The browser's ``fetch`` through ``pyodide.http.pyfetch``, with ``credentials="include"``.

    ``timeout`` (seconds, None for none) is enforced by the browser's own timer, body included. Where the page's
    Content-Security-Policy forbids eval, plain ``pyfetch`` is used instead of the JS helpers.
    """

    blocking = False

    def __init__(self, *, timeout: float | None = 30.0) -> None:
        self.timeout = timeout
        self._browser: Any = None  # (pyfetch, JsException, to_js, JS helpers), imported on first use
        self._fetcher: tuple[int | None, Any] = (None, None)  # (timeout ms, JS fetcher) last made

    def _fetcher_for(self, helpers: Any) -> Any:
        ms = None if self.timeout is None else max(0, round(self.timeout * 1000))
        made_for, fetcher = self._fetcher
        if fetcher is None or made_for != ms:
            fetcher = helpers.fetcher(ms)
            self._fetcher = (ms, fetcher)
        return fetcher

    async def handle(self, request: FapiRequest) -> FapiResponse:
        """Send ``request`` with ``fetch``; network, CORS and timeout failures become ClerkNetworkError."""
        global _eval_refused
        if self._browser is None:
            from pyodide.code import run_js
            from pyodide.ffi import JsException, to_js
            from pyodide.http import pyfetch

            helpers = None
            if not _eval_refused:
                try:
                    helpers = run_js(_BROWSER_JS)
                except JsException:  # EvalError: the policy has no 'unsafe-eval'
                    _eval_refused = True
            self._browser = (pyfetch, JsException, to_js, helpers)
        pyfetch, js_exception, to_js, helpers = self._browser
        options: dict[str, Any] = {"method": request.method, "credentials": "include"}
        if request.headers:
            options["headers"] = dict(request.headers)
        if request.body is not None:
            options["body"] = request.body.decode("latin-1") if request.body.isascii() else to_js(request.body)
        if helpers is None:
            return await self._plain(pyfetch, js_exception, request, options)
        try:
            # pyfetch aborts the fetch itself if this task is cancelled while it waits.
            answer = (await pyfetch(request.url, fetcher=self._fetcher_for(helpers), **options)).js_response
        except (OSError, TimeoutError, js_exception) as exc:
            raise ClerkNetworkError(request.url, str(exc) or type(exc).__name__) from exc
        # ``answer`` is the fetcher's {status, body, response}, not a Response.
        return FapiResponse(answer.status, _FetchHeaders(answer.response, helpers.header), answer.body.to_bytes())

    async def _plain(
        self, pyfetch: Any, js_exception: Any, request: FapiRequest, options: dict[str, Any]
    ) -> FapiResponse:
        # Without eval: pyfetch's own Request and signal, the body read in a second step.
        if self.timeout is not None:
            import js

            options["signal"] = js.AbortSignal.timeout(max(0, round(self.timeout * 1000)))
        try:
            response = await pyfetch(request.url, **options)
            body = await response.bytes()
        except (OSError, TimeoutError, js_exception) as exc:
            raise ClerkNetworkError(request.url, str(exc) or type(exc).__name__) from exc
        return FapiResponse(response.status, _FetchHeaders(response.js_response, _header), body)


class _CredXHR:
    """Stands in for ``XMLHttpRequest`` while pyodide-http sends (it calls ``XMLHttpRequest.new()``): pyodide-http
    never sets withCredentials, this does, so the FAPI cookies travel on synchronous requests too. Plain Python,
    so no eval is needed (a strict Content-Security-Policy holds)."""

    def __init__(self, original: Any) -> None:
        self.original = original

    def new(self) -> Any:
        xhr = self.original.new()
        xhr.withCredentials = True
        return xhr


class SyncXHRTransport:
    """Synchronous credentialed XHR (pyodide-http) for Web Workers and sync code; ``handle`` never suspends
    (see :mod:`clerk_frontend.sync`). The timeout applies only inside a worker."""

    blocking = True

    def __init__(self, *, timeout: float = 30.0) -> None:
        self.timeout = timeout
        self._xhr_class: Any = None  # a JS proxy of a _CredXHR, made on first use

    async def handle(self, request: FapiRequest) -> FapiResponse:
        """Send ``request`` as a synchronous, credentialed XMLHttpRequest."""
        import js
        from pyodide.ffi import JsException, create_proxy
        from pyodide_http import _core

        original = js.XMLHttpRequest
        if self._xhr_class is None:
            self._xhr_class = create_proxy(_CredXHR(original))
        # pyodide-http looks XMLHttpRequest up on the global object at each call: swap ours in around it.
        js.XMLHttpRequest = self._xhr_class
        try:
            answer = _core.send(
                _core.Request(
                    method=request.method,
                    url=request.url,
                    body=request.body,
                    headers=dict(request.headers),
                    timeout=self.timeout,
                )
            )
        except JsException as exc:
            raise ClerkNetworkError(request.url, str(exc)) from exc
        finally:
            js.XMLHttpRequest = original
        if answer.status_code == 0:
            # XHR reports CORS and connection failures as status 0 in some engines instead of throwing.
            raise ClerkNetworkError(request.url, "no response (status 0)")
        return FapiResponse(answer.status_code, {k.lower(): v for k, v in answer.headers.items()}, answer.body)


class HttpxTransport:
    """CPython transport over ``httpx.AsyncClient`` (``client`` to supply one), cookie-less: the client
    identity is the dev-browser token."""

    blocking = False

    def __init__(self, *, timeout: float = 30.0, client: Any = None) -> None:
        import httpx

        self._httpx = httpx
        self._client = client if client is not None else httpx.AsyncClient(timeout=timeout)

    async def handle(self, request: FapiRequest) -> FapiResponse:
        """Send ``request``; httpx transport errors become ClerkNetworkError."""
        try:
            response = await self._client.request(
                request.method, request.url, headers=request.headers, content=request.body
            )
        except self._httpx.TransportError as exc:
            raise ClerkNetworkError(request.url, str(exc) or type(exc).__name__) from exc
        finally:
            self._client.cookies.clear()
        return FapiResponse(response.status_code, {k.lower(): v for k, v in response.headers.items()}, response.content)

    async def aclose(self) -> None:
        """Close the underlying connection pool."""
        await self._client.aclose()


def default_transport() -> Transport:
    """``PyfetchTransport`` inside Pyodide, ``HttpxTransport`` elsewhere."""
    if sys.platform == "emscripten":
        return PyfetchTransport()
    return HttpxTransport()
