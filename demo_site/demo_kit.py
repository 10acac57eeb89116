"""Shared Python of the demo pages (loaded into each page by PyScript's ``files``).

* boot: progress steps, reading ``/demo-config.json``, creating and loading the ``Clerk`` object;
* DOM helpers that only ever set ``textContent`` (names and metadata are data, never markup);
* error messages for every kind of :class:`clerk_frontend.ClerkError`;
* a request log: a transport wrapper that lists every Frontend API request the page sends, and can
  make the next one fail the way an offline browser does;
* JSON rendering, including the merge/replace previews of the metadata playground.
"""

from __future__ import annotations

import asyncio
import dataclasses
import importlib.util
import json
import time
import traceback
import urllib.parse
from collections.abc import Awaitable, Callable
from typing import Any, NoReturn

import js
from pyodide.ffi import create_proxy, to_js
from pyodide.http import pyfetch

document = js.document
window = js.window

#: Where a request goes when "simulate offline" is on: an address browsers refuse to connect to (port 9
#: is on the Fetch standard's list of bad ports), so ``fetch`` rejects as it does offline.
UNREACHABLE_ORIGIN = "http://127.0.0.1:9"

_proxies: list[Any] = []  # event handlers must stay alive as long as the page


# -- DOM ------------------------------------------------------------------------------------------

def q(selector: str, root: Any = None) -> Any:
    """The first element matching ``selector`` (raises if there is none: a page bug)."""
    found = (root or document).querySelector(selector)
    if found is None:
        raise LookupError(f"no element matches {selector!r}")
    return found


def el(tag: str, text: str | None = None, cls: str | None = None, **attrs: str) -> Any:
    """A new element; ``text`` goes in as text, never as HTML."""
    node = document.createElement(tag)
    if text is not None:
        node.textContent = text
    if cls:
        node.className = cls
    for name, value in attrs.items():
        node.setAttribute(name.rstrip("_").replace("_", "-"), value)
    return node


def clear(node: Any) -> Any:
    """Remove every child of ``node``."""
    node.replaceChildren()
    return node


def set_text(selector: str, text: str) -> None:
    q(selector).textContent = text


def show(selector_or_node: Any, visible: bool = True) -> None:
    node = q(selector_or_node) if isinstance(selector_or_node, str) else selector_or_node
    node.hidden = not visible


def on(target: Any, event: str, handler: Callable[[Any], Awaitable[None] | None]) -> None:
    """Attach ``handler`` (sync or async) to ``event`` of ``target`` (a node or a selector).

    A ``submit`` never navigates (its default is prevented at once). Exceptions that escape an async
    handler are shown in the page's status line, never lost.
    """
    node = q(target) if isinstance(target, str) else target

    def listener(evt: Any) -> None:
        if event == "submit":
            # Must happen now: an async handler runs after the browser has started the form's navigation.
            evt.preventDefault()
        result = handler(evt)
        if asyncio.iscoroutine(result):
            task = asyncio.ensure_future(result)
            task.add_done_callback(_report_crash)
            task.add_done_callback(lambda _: _count_handled())
        else:
            _count_handled()

    proxy = create_proxy(listener)
    _proxies.append(proxy)
    node.addEventListener(event, proxy)


def _count_handled() -> None:
    # body[data-handled] counts finished event handlers, so tests (and scripts) can wait for an action.
    body = document.body
    body.setAttribute("data-handled", str(int(body.getAttribute("data-handled") or "0") + 1))


def _report_crash(task: asyncio.Future[Any]) -> None:
    if task.cancelled() or task.exception() is None:
        return
    exc = task.exception()
    js.console.error("".join(traceback.format_exception(exc)))
    status = document.getElementById("page-status")
    if status is not None:
        status.textContent = f"Something went wrong: {type(exc).__name__}: {exc}"
        status.hidden = False


class Busy:
    """``async with Busy(button, "Saving…"):`` disables the button and shows progress text."""

    def __init__(self, button: Any, label: str) -> None:
        self.button = button
        self.label = label
        self.original = ""

    async def __aenter__(self) -> Busy:
        self.original = self.button.textContent
        self.button.disabled = True
        self.button.setAttribute("aria-busy", "true")
        self.button.textContent = self.label
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.button.disabled = False
        self.button.removeAttribute("aria-busy")
        self.button.textContent = self.original


# -- errors ---------------------------------------------------------------------------------------

def describe_error(exc: BaseException) -> tuple[str, str]:
    """A short title and an explanation for ``exc``, in words a newcomer can act on."""
    from clerk_frontend import (
        ClerkAPIResponseError,
        ClerkError,
        ClerkNetworkError,
        ClerkRuntimeError,
        MetadataError,
        MetadataRefusedError,
    )

    if isinstance(exc, MetadataRefusedError):
        return "Refused before sending (no request was made)", exc.message
    if isinstance(exc, MetadataError):
        return "Metadata not sent (checked before any request)", exc.message
    if isinstance(exc, ClerkAPIResponseError):
        first = exc.errors[0] if exc.errors else None
        detail = first.long_message if first else exc.message
        param = first.meta.get("param_name") if first else None
        where = f" (field {param})" if param else ""
        return f"Clerk answered {exc.status}: {exc.code}", f"{detail}{where}"
    if isinstance(exc, ClerkNetworkError):
        # The URL carries the dev-browser token in its query: show the path only.
        path = urllib.parse.urlsplit(exc.url).path
        reason = exc.message.rsplit(" - ", 1)[-1]
        return ("Network error: Clerk could not be reached",
                f"The request to {path} got no answer ({reason}). Nothing was changed. Check your connection "
                "(or that `make demo` is still running) and try again.")
    if isinstance(exc, ClerkRuntimeError):
        return "Could not do that", exc.message
    if isinstance(exc, ClerkError):
        return "Not accepted", exc.message
    return f"Unexpected error: {type(exc).__name__}", str(exc)


def show_error(box: Any, exc: BaseException | str, detail: str = "") -> None:
    """Fill an error box (``role="alert"``) with a title and explanation, as text."""
    title, text = (exc, detail) if isinstance(exc, str) else describe_error(exc)
    clear(box)
    box.append(el("strong", title))
    if text:
        box.append(el("p", text))
    box.dataset.kind = "error"
    box.hidden = False


def show_ok(box: Any, title: str, text: str = "") -> None:
    clear(box)
    box.append(el("strong", title))
    if text:
        box.append(el("p", text))
    box.dataset.kind = "ok"
    box.hidden = False


def hide(box: Any) -> None:
    box.hidden = True
    clear(box)


# -- request log ----------------------------------------------------------------------------------

@dataclasses.dataclass
class LoggedRequest:
    method: str
    path: str
    status: int | None  # None: no HTTP answer (network error)
    ms: float


class LoggingTransport:
    """Wraps the SDK's browser transport: records every request; can make the next one fail."""

    blocking = False

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.entries: list[LoggedRequest] = []
        self.listeners: list[Callable[[LoggedRequest], None]] = []
        self.fail_next = False

    async def handle(self, request: Any) -> Any:
        parts = urllib.parse.urlsplit(request.url)
        query = dict(urllib.parse.parse_qsl(parts.query))
        method = query.get("_method", request.method)
        path = parts.path.removeprefix("/v1") or "/"
        if self.fail_next:
            self.fail_next = False
            request = request._replace(url=UNREACHABLE_ORIGIN + parts.path + "?" + parts.query)
        started = time.perf_counter()
        status: int | None = None
        try:
            response = await self.inner.handle(request)
            status = response.status
            return response
        finally:
            entry = LoggedRequest(method, path, status, (time.perf_counter() - started) * 1000)
            self.entries.append(entry)
            for listener in self.listeners:
                listener(entry)


def attach_request_log(transport: LoggingTransport, list_selector: str, count_selector: str | None = None) -> None:
    """Render each request of ``transport`` as a line in the ``<ol>`` at ``list_selector``."""
    target = q(list_selector)

    def add(entry: LoggedRequest) -> None:
        outcome = "network error" if entry.status is None else str(entry.status)
        kind = "fail" if entry.status is None or entry.status >= 400 else "ok"
        item = el("li", cls=f"req req-{kind}")
        item.append(el("span", entry.method, "req-method"))
        item.append(el("span", entry.path, "req-path"))
        item.append(el("span", outcome, "req-status"))
        item.append(el("span", f"{entry.ms:.0f} ms", "req-ms"))
        target.prepend(item)
        while target.children.length > 30:
            target.lastElementChild.remove()
        if count_selector:
            set_text(count_selector, str(len(transport.entries)))

    transport.listeners.append(add)


# -- boot -----------------------------------------------------------------------------------------

class BootFailure(Exception):
    """The page cannot start; ``message`` is for the reader, ``detail`` for the curious."""

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail


def step(name: str, state: str) -> None:
    window.demoBoot.setStep(name, state)


def mark(name: str) -> None:
    setattr(window.demoTimings, name, js.performance.now())


async def load_config() -> dict[str, str]:
    """The page config written by ``build/demo.py``: ``mode``, ``publishable_key`` and maybe demo credentials."""
    try:
        response = await pyfetch("/demo-config.json", cache="no-store")
    except Exception as exc:
        raise BootFailure("The demo server did not answer. Is `make demo` still running?", repr(exc)) from exc
    if response.status != 200:
        raise BootFailure("This page has no Clerk configuration (/demo-config.json). Start it with `make demo`.",
                          f"GET /demo-config.json answered {response.status}")
    config = await response.json()
    if not isinstance(config, dict) or not str(config.get("publishable_key", "")).startswith("pk_"):
        raise BootFailure("/demo-config.json has no publishable key.", str(config))
    return {str(k): str(v) for k, v in config.items()}


class Demo:
    """What every page gets after boot: the config, the loaded ``Clerk`` and its request log."""

    def __init__(self, config: dict[str, str], clerk: Any, transport: LoggingTransport) -> None:
        self.config = config
        self.clerk = clerk
        self.transport = transport

    @property
    def local(self) -> bool:
        return self.config.get("mode") == "local"


async def start() -> Demo:
    """Import the SDK, read the config, load Clerk; drive the boot steps; show the page or a failure."""
    try:
        await _load_packages()
        step("sdk", "active")
        import clerk_frontend
        from clerk_frontend import Clerk, PyfetchTransport

        mark("sdk_imported")
        step("sdk", "done")
        step("connect", "active")
        config = await load_config()
        transport = LoggingTransport(PyfetchTransport())
        clerk = Clerk(config["publishable_key"], transport=transport)
        try:
            await clerk.load()
        except clerk_frontend.ClerkError as exc:
            title, text = describe_error(exc)
            raise BootFailure(f"Could not connect to Clerk. {title}.", text) from exc
        mark("connected")
        step("connect", "done")
    except BootFailure as exc:
        window.demoBoot.fail(exc.message, exc.detail)
        await _halt(exc)
    except Exception as exc:
        window.demoBoot.fail("The page's Python failed while starting.", "".join(traceback.format_exception(exc)))
        await _halt(exc)
    demo = Demo(config, clerk, transport)
    mode = "local Clerk instance (emulator)" if demo.local else "Clerk development instance"
    set_text("#mode", f"Connected to a {mode} at {clerk.frontend_api_url.removesuffix('/v1')}")
    clerk.add_listener(lambda state: _show_whoami(state.user))
    return demo


async def _load_packages() -> None:
    # Pyodide's own loader, straight from the bundle's lock file (PyScript's "packages" setting would go
    # through micropip, which is slower).
    import pyodide_js

    step("packages", "active")
    errors: list[str] = []
    note = create_proxy(lambda message: window.demoBoot.setStep("packages", "active", _package_note(str(message))))
    failure = create_proxy(lambda message: errors.append(str(message)))
    options = to_js({"messageCallback": note, "errorCallback": failure}, dict_converter=js.Object.fromEntries)
    try:
        await pyodide_js.loadPackage("clerk-frontend", options)
    finally:
        note.destroy()
        failure.destroy()
    if errors or importlib.util.find_spec("clerk_frontend") is None:
        raise BootFailure("The Python packages of the page could not be loaded. Reload the page; if it keeps "
                          "failing, rebuild the bundle (make bundle).",
                          "\n".join(errors) or "clerk-frontend is not installed")
    mark("packages_loaded")
    step("packages", "done")


def _package_note(message: str) -> str:
    # "Loading annotated-types, clerk-frontend, pydantic, …" -> "loading 7 packages"
    verb, _, names = message.partition(" ")
    count = len([n for n in names.split(",") if n.strip()])
    return f"{verb.lower()} {count} package{'s' if count != 1 else ''}" if count else message.lower()


async def _halt(exc: BaseException) -> NoReturn:
    # The failure card says what happened; the page's script stops here for good (the traceback goes
    # to the console for developers) instead of raising into PyScript's own error banner.
    js.console.error("".join(traceback.format_exception(exc)))
    await asyncio.Event().wait()
    raise AssertionError("unreachable")


def ready() -> None:
    """Hide the loading card and show the page."""
    show("#boot", False)
    show("#app", True)
    document.body.dataset.state = "ready"
    window.demoBoot.done()


def _show_whoami(user: Any) -> None:
    box = clear(q("#whoami"))
    if user is None:
        box.append(el("span", "Signed out", "pill pill-muted"))
        return
    email = user.primary_email_address.email_address if user.primary_email_address else user.id
    box.append(el("span", user.full_name or email, "pill", title=email))


# -- JSON rendering -------------------------------------------------------------------------------

Part = tuple[str, str]  # (text, css class)


class Line:
    """One line of rendered JSON: its indent, parts and a highlight (added/removed/changed/noop)."""

    def __init__(self, depth: int, parts: list[Part], mark: str = "", note: str = "") -> None:
        self.depth = depth
        self.parts = parts
        self.mark = mark
        self.note = note


def _scalar(value: Any) -> Part:
    if value is None:
        return ("null", "j-null")
    if isinstance(value, bool):
        return ("true" if value else "false", "j-bool")
    if isinstance(value, (int, float)):
        return (json.dumps(value), "j-num")
    return (json.dumps(value, ensure_ascii=False), "j-str")


def value_lines(value: Any, depth: int = 0, key: str | None = None, comma: bool = False,
                mark: str = "", note: str = "") -> list[Line]:
    """``value`` pretty-printed as lines (2-space indent), every line carrying ``mark``."""
    head: list[Part] = [(json.dumps(key, ensure_ascii=False), "j-key"), (": ", "j-punct")] if key is not None else []
    tail: list[Part] = [(",", "j-punct")] if comma else []
    if isinstance(value, dict) and value:
        lines = [Line(depth, [*head, ("{", "j-punct")], mark, note)]
        items = list(value.items())
        for i, (k, v) in enumerate(items):
            lines += value_lines(v, depth + 1, k, i < len(items) - 1, mark)
        return [*lines, Line(depth, [("}", "j-punct"), *tail], mark)]
    if isinstance(value, list) and value:
        lines = [Line(depth, [*head, ("[", "j-punct")], mark, note)]
        for i, v in enumerate(value):
            lines += value_lines(v, depth + 1, None, i < len(value) - 1, mark)
        return [*lines, Line(depth, [("]", "j-punct"), *tail], mark)]
    if isinstance(value, dict):
        return [Line(depth, [*head, ("{}", "j-punct"), *tail], mark, note)]
    if isinstance(value, list):
        return [Line(depth, [*head, ("[]", "j-punct"), *tail], mark, note)]
    return [Line(depth, [*head, _scalar(value), *tail], mark, note)]


def merge_lines(current: Any, patch: Any, depth: int = 0, key: str | None = None,
                comma: bool = False) -> list[Line]:
    """The RFC 7396 merge of ``patch`` into ``current``, with every change marked.

    Kept keys are plain, new keys ``added``, replaced values ``changed`` (with the old value as a note),
    keys the patch deletes (``None``) are shown ``removed`` with their old value, and a ``None`` for a
    key that does not exist is shown as ``noop``.
    """
    if not isinstance(patch, dict) or not isinstance(current, dict):
        old = json.dumps(current, ensure_ascii=False) if current is not None else None
        return value_lines(_stored(patch), depth, key, comma, "changed" if old is not None else "added",
                           f"was {old}" if old is not None else "")
    head: list[Part] = [(json.dumps(key, ensure_ascii=False), "j-key"), (": ", "j-punct")] if key is not None else []
    tail: list[Part] = [(",", "j-punct")] if comma else []
    keys = list(current) + [k for k in patch if k not in current]
    entries: list[tuple[str, str]] = []  # (key, kind)
    for k in keys:
        if k in patch and patch[k] is None:
            entries.append((k, "removed" if k in current else "noop"))
        elif k in patch:
            entries.append((k, "merge" if k in current else "added"))
        else:
            entries.append((k, "kept"))
    kept_count = sum(1 for _, kind in entries if kind not in ("removed", "noop"))
    lines = [Line(depth, [*head, ("{", "j-punct")])]
    shown = 0
    for k, kind in entries:
        if kind in ("removed", "noop"):
            old = current.get(k)
            lines += value_lines(old, depth + 1, k, False, kind,
                                 "deleted by null" if kind == "removed" else "null: key absent, nothing to delete")
            continue
        shown += 1
        more = shown < kept_count
        if kind == "kept":
            lines += value_lines(current[k], depth + 1, k, more)
        elif kind == "added":
            lines += value_lines(_stored(patch[k]), depth + 1, k, more, "added")
        elif isinstance(current[k], dict) and isinstance(patch[k], dict):
            lines += merge_lines(current[k], patch[k], depth + 1, k, more)
        elif _same(current[k], patch[k]):
            lines += value_lines(current[k], depth + 1, k, more)
        else:
            lines += value_lines(_stored(patch[k]), depth + 1, k, more, "changed",
                                 f"was {json.dumps(current[k], ensure_ascii=False)}")
    lines.append(Line(depth, [("}", "j-punct"), *tail]))
    return lines


def _stored(value: Any) -> Any:
    # What the server stores for a patch value that replaces (not merges): nulls inside it are dropped.
    from clerk_frontend import merge_patch

    return merge_patch(None, value)


def _same(a: Any, b: Any) -> bool:
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def render_lines(container: Any, lines: list[Line]) -> None:
    """Draw ``lines`` into ``container`` (a ``<pre>``) as spans with text only."""
    clear(container)
    for line in lines:
        row = el("span", cls=f"j-line {'j-' + line.mark if line.mark else ''}".strip())
        if line.mark in ("added", "removed", "changed", "noop"):
            sign = {"added": "+", "removed": "−", "changed": "~", "noop": "·"}[line.mark]
            row.setAttribute("data-sign", sign)
        row.append(el("span", "  " * line.depth, "j-indent"))
        for text, cls in line.parts:
            row.append(el("span", text, cls))
        if line.note:
            row.append(el("span", f"  {line.note}", "j-note"))
        container.append(row)


def render_json(container: Any, value: Any) -> None:
    render_lines(container, value_lines(value))


def parse_json_object(text: str, what: str = "The patch") -> dict[str, Any]:
    """Parse ``text`` as a JSON object, or raise ValueError with line and column in plain words."""
    if not text.strip():
        raise ValueError(f"{what} is empty: type a JSON object such as {{\"theme\": \"dark\"}}.")
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"{what} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}.") from None
    if not isinstance(value, dict):
        raise ValueError(f"{what} must be a JSON object ({{…}}) at the top level, not {type(value).__name__}.")
    return value


def json_size(value: Any) -> int:
    """UTF-8 bytes of the compact JSON, the way the 8 KB metadata limit counts."""
    return len(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode())
