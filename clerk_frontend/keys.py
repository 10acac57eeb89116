"""Publishable keys (``pk_test_``/``pk_live_`` + unpadded base64 of ``<host>$``) and the Frontend API URL:
``http://`` for loopback hosts, else ``https://``."""

from __future__ import annotations

import base64
import binascii
import ipaddress
from typing import Literal, NamedTuple
from urllib.parse import urlsplit

from .errors import ClerkValidationError, InvalidPublishableKeyError

__all__ = ["PublishableKey", "frontend_api_base", "is_loopback_host", "parse_publishable_key"]

InstanceType = Literal["development", "production"]


class PublishableKey(NamedTuple):
    """A parsed publishable key: the instance type and the Frontend API host (``host[:port]``)."""

    key: str
    instance_type: InstanceType
    frontend_api: str


def parse_publishable_key(key: object) -> PublishableKey:
    """Parse and validate a publishable key, raising :class:`InvalidPublishableKeyError` if malformed."""
    if not isinstance(key, str) or not key:
        raise InvalidPublishableKeyError(f"A publishable key must be a non-empty str, got {type(key).__name__}.")
    if key.startswith("sk_"):
        # Never echo the value: it is a credential.
        raise InvalidPublishableKeyError(
            "This is a secret key (sk_…). Secret keys grant full backend access and must never reach a "
            "browser; pass the publishable key (pk_test_… or pk_live_…) instead."
        )
    parts = key.split("_")
    if len(parts) != 3 or parts[0] != "pk" or parts[1] not in ("test", "live") or not parts[2]:
        raise InvalidPublishableKeyError(
            "A publishable key looks like pk_test_<base64> or pk_live_<base64>; "
            f"got one starting with {key[:8]!r}."
        )
    encoded = parts[2]
    try:
        decoded = base64.b64decode(encoded + "=" * (-len(encoded) % 4), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise InvalidPublishableKeyError("The publishable key's payload is not valid base64.") from exc
    host = decoded[:-1]
    if not decoded.endswith("$") or not host or "$" in host:
        raise InvalidPublishableKeyError("The publishable key's payload must be a host followed by one '$'.")
    if "." not in host and not is_loopback_host(host):
        raise InvalidPublishableKeyError(f"The publishable key decodes to {host!r}, which is not a host name.")
    return PublishableKey(key, "production" if parts[1] == "live" else "development", host)


def is_loopback_host(host: str) -> bool:
    """True for ``localhost``, ``127.0.0.0/8`` and ``::1``, with or without a ``:port``."""
    name = urlsplit("//" + host).hostname or ""
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def frontend_api_base(
    key: PublishableKey,
    *,
    frontend_api_url: str | None = None,
    proxy_url: str | None = None,
    page_origin: str | None = None,
) -> str:
    """The URL paths are appended to (ends in ``/v1``): the key's host, ``frontend_api_url``, or
    ``proxy_url`` (may be relative to ``page_origin``)."""
    if frontend_api_url is not None and proxy_url is not None:
        raise ClerkValidationError("Pass either frontend_api_url= or proxy_url=, not both.")
    if proxy_url is not None:
        url = proxy_url
        if url.startswith("/"):
            if page_origin is None:
                raise ClerkValidationError(f"proxy_url={proxy_url!r} is relative and there is no page origin.")
            url = page_origin.rstrip("/") + url
    elif frontend_api_url is not None:
        url = frontend_api_url
    else:
        scheme = "http" if is_loopback_host(key.frontend_api) else "https"
        url = f"{scheme}://{key.frontend_api}"
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ClerkValidationError(f"{url!r} is not an absolute http(s) URL without query or fragment.")
    return url.rstrip("/") + "/v1"
