"""A small synchronous HTTP client for the kit (standard library only): JSON for the Backend API, form bodies
for the Frontend API, Clerk-shaped errors raised as :class:`ClerkAPIError`.

The kit runs inside the user's test process next to Playwright's sync API, so it cannot use an event loop;
``urllib`` needs no extra dependency. Proxies from the environment are ignored for loopback hosts, where a
local instance always is.
"""

from __future__ import annotations

import ipaddress
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["ClerkAPIError", "ClerkKitError", "Response", "is_loopback", "request"]

DEFAULT_TIMEOUT_S = 30.0


class ClerkKitError(Exception):
    """The testing kit could not do what was asked (misconfiguration, an instance that is not running, an
    operation a real Clerk instance does not offer, a sign-in that did not complete)."""


class ClerkAPIError(ClerkKitError):
    """An HTTP error answer from Clerk (the local instance or a real one).

    ``status`` is the HTTP status, ``errors`` the ``errors`` list of the body (dicts with ``code``, ``message``,
    ``long_message``, ``meta``), ``code`` the first error's code (or ``None``), ``body`` the parsed body."""

    def __init__(self, method: str, url: str, status: int, body: Any) -> None:
        self.method, self.url, self.status, self.body = method, url, status, body
        errors = body.get("errors") if isinstance(body, dict) else None
        listed = errors if isinstance(errors, list) else []
        self.errors: list[dict[str, Any]] = [e for e in listed if isinstance(e, dict)]
        self.code: str | None = self.errors[0].get("code") if self.errors else None
        first = self.errors[0] if self.errors else {}
        detail = first.get("long_message") or first.get("message") or (body if isinstance(body, str) else "")
        path = urllib.parse.urlsplit(url).path
        super().__init__(f"{method} {path} -> {status} {self.code or ''}: {detail}".replace("  ", " "))


class Response:
    """A decoded answer: ``status``, ``headers`` (lower-case names; repeated headers joined by a newline)
    and ``body`` (parsed JSON, text, or ``None`` when empty)."""

    def __init__(self, status: int, headers: dict[str, str], body: Any) -> None:
        self.status, self.headers, self.body = status, headers, body

    def __repr__(self) -> str:
        return f"Response(status={self.status}, body={self.body!r:.200})"


def is_loopback(url: str) -> bool:
    """True when ``url``'s host is a loopback address or ``localhost``."""
    host = urllib.parse.urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))
_DEFAULT = urllib.request.build_opener()


def _decode(raw: bytes, content_type: str) -> Any:
    if not raw:
        return None
    text = raw.decode("utf-8", errors="replace")
    if "json" in content_type:
        try:
            return json.loads(text)
        except ValueError:
            return text
    return text


def request(method: str, url: str, *, query: Mapping[str, str] | Sequence[tuple[str, str]] | None = None,
            json_body: Any = None, form: Mapping[str, str] | None = None, headers: Mapping[str, str] | None = None,
            timeout: float = DEFAULT_TIMEOUT_S, ok_statuses: tuple[int, ...] = ()) -> Response:
    """Send one request; return the :class:`Response` for a status below 400 (or one in ``ok_statuses``), else
    raise :class:`ClerkAPIError`. A refused connection or timeout raises :class:`ClerkKitError`."""
    if query:
        items = list(query.items()) if isinstance(query, Mapping) else list(query)
        url += ("&" if "?" in url else "?") + urllib.parse.urlencode(items)
    data: bytes | None = None
    sent = {"Accept": "application/json", **(headers or {})}
    if json_body is not None:
        data = json.dumps(json_body).encode()
        sent["Content-Type"] = "application/json"
    elif form is not None:
        data = urllib.parse.urlencode(list(form.items())).encode()
        sent["Content-Type"] = "application/x-www-form-urlencoded"
    req = urllib.request.Request(url, data=data, headers=sent, method=method)
    opener = _DIRECT if is_loopback(url) else _DEFAULT
    try:
        with opener.open(req, timeout=timeout) as resp:
            status, raw, got = resp.status, resp.read(), resp.headers
    except urllib.error.HTTPError as err:
        status, raw, got = err.code, err.read(), err.headers
    except (urllib.error.URLError, OSError) as err:
        reason = getattr(err, "reason", err)
        raise ClerkKitError(f"{method} {url} failed: {reason} (is the Clerk instance running?)") from err
    joined: dict[str, str] = {}
    for name, value in got.items():
        key = name.lower()
        joined[key] = f"{joined[key]}\n{value}" if key in joined else value
    body = _decode(raw, joined.get("content-type", ""))
    if status >= 400 and status not in ok_statuses:
        raise ClerkAPIError(method, url, status, body)
    return Response(status, joined, body)
