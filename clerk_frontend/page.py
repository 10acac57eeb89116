"""The page the SDK runs in: its URL, a way to leave it, and the browser's locale and time zone.

In a browser page (Pyodide or PyScript) :func:`browser_page` reads ``window.location``, ``navigator.language``
and the ``Intl`` time zone; anywhere else (CPython, Pyodide in Node or a Web Worker) there is no page, and the
redirect flows return URLs for the caller to open instead of navigating. Tests pass their own :class:`Page`.
"""

from __future__ import annotations

import sys
from typing import Any, Protocol

__all__ = ["Page", "browser_page"]


class Page(Protocol):
    """What the SDK needs of the page it runs in (in a browser: ``window.location`` and ``navigator``)."""

    @property
    def href(self) -> str:
        """The page's current absolute URL."""
        ...

    @property
    def locale(self) -> str | None:
        """The browser's language (``navigator.language``), sent with new sign-ins and sign-ups as clerk-js does."""
        ...

    @property
    def timezone(self) -> str | None:
        """The browser's IANA time zone, sent with new sign-ins and sign-ups as clerk-js does."""
        ...

    def assign(self, url: str) -> None:
        """Leave the page for ``url`` (``window.location.assign``)."""
        ...


class _BrowserPage:
    """The real page: every read goes to ``window`` so it follows history changes."""

    def __init__(self, window: Any) -> None:
        self._window = window

    @property
    def href(self) -> str:
        return str(self._window.location.href)

    @property
    def locale(self) -> str | None:
        try:
            language = self._window.navigator.language
        except Exception:  # no navigator (unusual embedders)
            return None
        return language if isinstance(language, str) and language.strip() else None

    @property
    def timezone(self) -> str | None:
        try:
            zone = self._window.Intl.DateTimeFormat.new().resolvedOptions().timeZone
        except Exception:  # Intl missing or restricted
            return None
        return zone if isinstance(zone, str) and zone.strip() else None

    def assign(self, url: str) -> None:
        self._window.location.assign(url)

    def __repr__(self) -> str:
        return f"<browser page {self.href}>"


def browser_page() -> Page | None:
    """The browser page this Pyodide runs in, or None (CPython, Node, a Web Worker)."""
    if sys.platform != "emscripten":
        return None
    try:
        import js

        window = js.window
        str(window.location.href)
    except Exception:  # Node or a worker: no window
        return None
    return _BrowserPage(window)
