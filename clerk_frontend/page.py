"""The page the SDK runs in (URL, navigation, locale, time zone) and the URL helpers of the flows."""

from __future__ import annotations

import sys
from typing import Any, Protocol
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from .errors import ClerkValidationError

__all__ = ["Page", "browser_page"]


class Page(Protocol):
    """What the SDK needs of the page it runs in (in a browser: ``window.location`` and ``navigator``)."""

    @property
    def href(self) -> str:
        """The page's current absolute URL."""
        ...

    @property
    def locale(self) -> str | None:
        """``navigator.language``, sent with new sign-ins and sign-ups (as clerk-js)."""
        ...

    @property
    def timezone(self) -> str | None:
        """The IANA time zone, sent with new sign-ins and sign-ups (as clerk-js)."""
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


# -- URL helpers of the redirect flows ------------------------------------------------------------------

_SCHEMES = ("http", "https")


def origin_of(url: str) -> str:
    """``scheme://host[:port]`` of an absolute URL (lower-cased as browsers compare origins)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def absolute_url(url: object, page_href: str | None, where: str) -> str:
    """``url`` made absolute against the page; ClerkValidationError unless it is http(s)."""
    if not isinstance(url, str) or not url.strip():
        raise ClerkValidationError(f"{where} must be a non-empty URL string, got {url!r}.")
    text = url.strip()
    if not urlsplit(text).scheme:
        if page_href is None:
            raise ClerkValidationError(
                f"{where} {text!r} is relative and there is no browser page to resolve it against: pass an absolute "
                "http(s) URL.")
        text = urljoin(page_href, text)
    parts = urlsplit(text)
    if parts.scheme.lower() not in _SCHEMES or not parts.netloc:
        raise ClerkValidationError(f"{where} must be an http(s) URL, got {url!r}.")
    return text


def query_param(url: str, name: str) -> str | None:
    """The first non-empty value of query parameter ``name`` in ``url``, or None."""
    for key, value in parse_qsl(urlsplit(url).query, keep_blank_values=True):
        if key == name and value:
            return value
    return None


def set_query_param(url: str, name: str, value: str) -> str:
    """``url`` with ``name=value`` in its query, replacing earlier values of ``name``."""
    parts = urlsplit(url)
    pairs = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != name]
    pairs.append((name, value))
    return urlunsplit(parts._replace(query=urlencode(pairs)))


def _join_paths(first: str, second: str) -> str:
    joined = f"{first}/{second}"
    while "//" in joined:
        joined = joined.replace("//", "/")
    return joined


def with_hash_path(base: str | None, hash_path: str, page_href: str | None) -> str:
    """clerk-js's ``buildURL({base, hashPath})``: ``https://a.test/sign-in`` + ``/factor-one`` -> ``…#/factor-one``."""
    url = base or ""
    if page_href is not None:
        url = urljoin(page_href, url)
    parts = urlsplit(url)
    inner = urlsplit(parts.fragment)
    path = _join_paths(inner.path if inner.path.startswith("/") else "/" + inner.path, hash_path)
    fragment = path + (f"?{inner.query}" if inner.query else "")
    if fragment == "/":
        return url
    return urlunsplit(parts._replace(fragment=fragment))
