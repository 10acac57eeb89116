"""The DOM layer (browser only): elements from ``createElement`` with text as text (never HTML), listeners owned by a
:class:`Scope` that removes them and frees their proxies, and the one adopted stylesheet. No ``style`` attribute and
no inline handler is ever written."""

from __future__ import annotations

import asyncio
import itertools
import traceback
from collections.abc import Callable, Coroutine
from typing import Any

import js
from pyodide import ffi
from pyodide.ffi import create_proxy

from ._styles import BASE_CSS, Theme, split_rules

__all__ = ["Builder", "Scope", "document", "install_theme", "missing", "new_id", "report", "resolve_target"]

document: Any = js.document
_JSNULL = getattr(ffi, "jsnull", None)


def missing(value: Any) -> bool:
    """True for JavaScript's ``null`` (``pyodide.ffi.jsnull``) and ``undefined`` (None)."""
    return value is None or value is _JSNULL


_ids = itertools.count(1)
#: An event handler: sync, or async (then run as a task).
Handler = Callable[[Any], Any]


def new_id(prefix: str) -> str:
    """A document-unique id for ``for=``/``aria-*`` references."""
    return f"cl-{prefix}-{next(_ids)}"


def report(exc: BaseException) -> None:
    """Print an unexpected exception of a handler to the browser console (it is never swallowed)."""
    js.console.error("".join(traceback.format_exception(exc)))


def _destroy(proxies: list[Any]) -> None:
    for proxy in proxies:
        proxy.destroy()


class Scope:
    """The listeners and tasks of one screen; :meth:`close` removes the listeners and frees their proxies. Tasks run
    on unless spawned with ``cancel_on_close`` (an action's own success usually replaces its screen)."""

    def __init__(self, on_error: Callable[[BaseException], None] = report) -> None:
        self._listeners: list[tuple[Any, str, Any]] = []
        self._cancellable: set[asyncio.Task[Any]] = set()
        self._on_error = on_error
        self.closed = False

    def listen(self, target: Any, event: str, handler: Handler, *, prevent_default: bool = False) -> None:
        """``handler(event)`` (sync, or async: then run as a task) on ``event`` of ``target``."""

        def listener(evt: Any) -> None:
            if prevent_default:
                evt.preventDefault()  # now: a submit would navigate before an async handler runs
            if self.closed:
                return
            try:
                result = handler(evt)
            except Exception as exc:  # shown to the developer, the screen stays usable
                self._on_error(exc)
                return
            if asyncio.iscoroutine(result):
                self.spawn(result)

        proxy = create_proxy(listener)
        target.addEventListener(event, proxy)
        self._listeners.append((target, event, proxy))

    def spawn(self, coro: Coroutine[Any, Any, Any], *, cancel_on_close: bool = False) -> asyncio.Task[Any]:
        """Run ``coro`` as a task whose failure is reported."""
        task = asyncio.ensure_future(coro)
        if cancel_on_close:
            self._cancellable.add(task)
        task.add_done_callback(self._done)
        return task

    def _done(self, task: asyncio.Task[Any]) -> None:
        self._cancellable.discard(task)
        if not task.cancelled() and task.exception() is not None:
            self._on_error(task.exception())  # type: ignore[arg-type]

    def close(self) -> None:
        """Remove the listeners (their proxies are freed on the next tick: one may be running now) and cancel the
        tasks spawned with ``cancel_on_close``."""
        self.closed = True
        proxies = []
        for target, event, proxy in self._listeners:
            target.removeEventListener(event, proxy)
            proxies.append(proxy)
        self._listeners.clear()
        if proxies:
            asyncio.get_event_loop().call_soon(_destroy, proxies)
        for task in list(self._cancellable):
            task.cancel()


class Builder:
    """Makes the components' elements: ``el("button", "formButtonPrimary", text="Continue", type="submit")`` gives
    ``<button class="cl-button cl-formButtonPrimary …app classes">`` with the text as a text node."""

    def __init__(self, theme: Theme) -> None:
        self.theme = theme

    def el(self, tag: str, key: str | None = None, *children: Any, text: str | None = None,
           cls: str | None = None, **attrs: Any) -> Any:
        """A new element. ``key`` is its element key (class ``cl-<key>`` plus the app's classes for it), ``cls`` more
        classes of ours, ``attrs`` attributes (``aria_label`` -> ``aria-label``, ``for_`` -> ``for``; True sets an
        empty value, False and None leave it out), ``children`` elements or strings (as text)."""
        node = document.createElement(tag)
        classes = []
        if cls:
            classes.append(cls)
        if key:
            classes.append(f"cl-{key}")
            classes.extend(self.theme.classes(key))
        if classes:
            node.className = " ".join(classes)
        for name, value in attrs.items():
            if value is None or value is False:
                continue
            node.setAttribute(name.rstrip("_").replace("_", "-"), "" if value is True else str(value))
        if text is not None:
            node.textContent = text
        if children:
            node.append(*children)
        return node


# -- the stylesheet ---------------------------------------------------------------------------------------

_sheet: list[Any] = []
_installed: set[str] = set()


def _stylesheet() -> Any:
    if _sheet:
        return _sheet[0]
    css = BASE_CSS
    try:
        # A constructed, adopted sheet: allowed by a Content-Security-Policy without 'unsafe-inline'.
        sheet = js.CSSStyleSheet.new()
        sheet.replaceSync(css)
        sheets = js.Array.new()
        for existing in document.adoptedStyleSheets:
            sheets.push(existing)
        sheets.push(sheet)
        document.adoptedStyleSheets = sheets
    except Exception:  # a browser without constructable stylesheets: a <style> element filled through CSSOM
        style = document.createElement("style")
        document.head.append(style)
        sheet = style.sheet
        for rule in split_rules(css):
            sheet.insertRule(rule, sheet.cssRules.length)
    _sheet.append(sheet)
    return sheet


def install_theme(theme: Theme) -> None:
    """Make sure the stylesheet exists and holds the rule of ``theme``'s custom properties."""
    sheet = _stylesheet()
    rule = theme.rule()
    if rule is not None and theme.scope not in _installed:
        sheet.insertRule(rule, sheet.cssRules.length)
        _installed.add(theme.scope)


def resolve_target(target: Any, where: str) -> Any:
    """A DOM element from a CSS selector or an element."""
    from ..errors import ClerkValidationError

    if isinstance(target, str):
        try:
            found = document.querySelector(target)
        except Exception as exc:
            raise ClerkValidationError(f"{where}: {target!r} is not a valid CSS selector.") from exc
        if missing(found):
            raise ClerkValidationError(f"{where}: no element matches {target!r}.")
        return found
    if target is None or not hasattr(target, "appendChild"):
        raise ClerkValidationError(f"{where}: pass a CSS selector or a DOM element, got {type(target).__name__}.")
    return target
