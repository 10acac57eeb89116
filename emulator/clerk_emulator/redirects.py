"""Which URLs the instance will send a browser back to (``redirect_url`` and friends)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import urlencode, urlsplit, urlunsplit

from .errors import ClerkError
from .http import LOOPBACK_ORIGIN

if TYPE_CHECKING:
    from .context import Instance

__all__ = ["accounts_origin", "add_query", "check_redirect_url"]


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def accounts_origin(em: Instance) -> str:
    """The Account Portal origin clerk-js derives from the instance's host (``buildAccountsBaseUrl``: always
    https, ``clerk.`` becoming ``accounts.``); its popup flows come back to ``/popup-callback`` there."""
    host = urlsplit(em.fapi_url).netloc.lower()
    host = re.sub(r"clerk\.accounts\.|clerk\.", "accounts.", host.replace("clerk.accountsstage.", "accountsstage.", 1),
                  count=1)
    return f"https://{host}"


def check_redirect_url(em: Instance, value: str | None, param: str, *, required: bool = True) -> str | None:
    """``value`` if it is an absolute http(s) URL on an allowed origin, else a Clerk-shaped 422.

    Allowed: the instance's own origin and its Account Portal one, ``--allowed-origin`` ones, the settings'
    ``allowed_redirect_origins`` and loopback origins (unless ``--no-loopback-origins``), as a development instance
    allows localhost.
    """
    if value is None or value == "":
        if required:
            raise ClerkError("form_param_missing", param=param)
        return None
    try:
        parts = urlsplit(value)
    except ValueError:
        raise ClerkError("invalid_redirect_url", param=param) from None
    if parts.scheme.lower() not in ("http", "https"):
        if parts.scheme:
            raise ClerkError("prohibited_redirect_url", param=param)
        raise ClerkError("invalid_redirect_url", param=param)
    if not parts.netloc or len(value) > 4096:
        raise ClerkError("invalid_redirect_url", param=param)
    origin = _origin(value)
    allowed = {_origin(em.fapi_url), accounts_origin(em), *(o.lower().rstrip("/") for o in em.config.allowed_origins),
               *(o.lower().rstrip("/") for o in em.settings.current["allowed_redirect_origins"])}
    if origin in allowed or (em.config.allow_loopback_origins and LOOPBACK_ORIGIN.match(origin)):
        return value
    raise ClerkError("redirect_url_domain_mismatch", param=param,
                     long_suffix=f" {origin} is not an allowed origin of this instance.")


def add_query(url: str, params: dict[str, str]) -> str:
    """``url`` with ``params`` appended to its query string (the fragment kept last)."""
    parts = urlsplit(url)
    query = "&".join(p for p in (parts.query, urlencode(params)) if p)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))
