"""Testing tokens: a Frontend API request carrying one is a test run (no bot protection, ``captcha_bypass``)."""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page, Route

__all__ = ["TESTING_TOKEN_PARAM", "TestingToken", "with_testing_token"]

TESTING_TOKEN_PARAM = "__clerk_testing_token"


def with_testing_token(url: str, token: str) -> str:
    """``url`` with ``__clerk_testing_token=<token>`` set in its query."""
    parts = urllib.parse.urlsplit(url)
    query = [(k, v) for k, v in urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
             if k != TESTING_TOKEN_PARAM]
    query.append((TESTING_TOKEN_PARAM, token))
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))


@dataclass(frozen=True)
class TestingToken:
    """A testing token from ``POST /v1/testing_tokens``: ``token``, ``expires_at`` (Unix seconds) and the
    Frontend API it is for. ``str(token)`` is the token itself."""

    __test__ = False  # not a test class, whatever pytest's name patterns say

    token: str
    expires_at: int
    fapi_url: str

    def __str__(self) -> str:
        return self.token

    @property
    def params(self) -> dict[str, str]:
        """The query parameter to add to a Frontend API request: ``{"__clerk_testing_token": token}``."""
        return {TESTING_TOKEN_PARAM: self.token}

    def apply(self, target: Page | BrowserContext) -> None:
        """Add the token to every Frontend API request of a Playwright page or browser context (what
        ``@clerk/testing``'s ``setupClerkTestingToken`` does), from now on."""
        prefix = self.fapi_url.rstrip("/") + "/v1/"

        def handle(route: Route) -> None:
            route.continue_(url=with_testing_token(route.request.url, self.token))

        target.route(lambda url: url.startswith(prefix), handle)
