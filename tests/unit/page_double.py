"""A stand-in for the browser page (``clerk_frontend.Page``): its URL, locale, time zone, and the navigations."""

from __future__ import annotations


class FakePage:
    """Records every ``assign(url)``; ``href`` follows them, as ``window.location`` does."""

    def __init__(self, href: str = "https://app.test/", *, locale: str | None = None,
                 timezone: str | None = None) -> None:
        self.href = href
        self.locale = locale
        self.timezone = timezone
        self.visited: list[str] = []

    def assign(self, url: str) -> None:
        self.visited.append(url)
        self.href = url
