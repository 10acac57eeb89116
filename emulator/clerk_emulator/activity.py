"""Session activities: what ``GET /v1/me/sessions/active`` reports about the device behind each session.

The activity is taken from the request that signed the session in (and refreshed by later requests of that
session): the ``User-Agent`` parsed into browser, version, device type and whether it is a mobile device, and the
peer's IP address. There is no geolocation offline, so ``city`` and ``country`` are left out.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["from_request", "parse_user_agent", "session_activity"]

# Most specific first: Edge and Opera also say "Chrome", Chrome also says "Safari".
_BROWSERS = (
    ("Edge", re.compile(r"Edg(?:e|A|iOS)?/([\d.]+)")),
    ("Opera", re.compile(r"(?:OPR|Opera)/([\d.]+)")),
    ("Samsung Internet", re.compile(r"SamsungBrowser/([\d.]+)")),
    ("Firefox", re.compile(r"(?:Firefox|FxiOS)/([\d.]+)")),
    ("Chrome", re.compile(r"(?:HeadlessChrome|Chrome|CriOS)/([\d.]+)")),
    ("Safari", re.compile(r"Version/([\d.]+).*Safari/")),
)
# (device type, pattern, mobile)
_DEVICES = (
    ("iPad", re.compile(r"iPad"), True),
    ("iPhone", re.compile(r"iPhone"), True),
    ("Android", re.compile(r"Android"), True),
    ("Windows", re.compile(r"Windows"), False),
    ("Macintosh", re.compile(r"Macintosh|Mac OS X"), False),
    ("Chrome OS", re.compile(r"CrOS"), False),
    ("Linux", re.compile(r"Linux|X11"), False),
)


def parse_user_agent(ua: str) -> dict[str, Any]:
    """``{browser_name, browser_version, device_type, is_mobile}`` from a ``User-Agent`` header; unknown parts are
    left out (``is_mobile`` is always there)."""
    out: dict[str, Any] = {"is_mobile": False}
    for name, pattern in _BROWSERS:
        match = pattern.search(ua)
        if match:
            out["browser_name"], out["browser_version"] = name, match.group(1)
            break
    for device, pattern, mobile in _DEVICES:
        if pattern.search(ua):
            out["device_type"] = device
            out["is_mobile"] = mobile or "Mobi" in ua
            break
    else:
        out["is_mobile"] = "Mobi" in ua
    return out


def from_request(user_agent: str | None, remote: str | None) -> dict[str, Any]:
    """What a session remembers of the request that made or used it."""
    return {"user_agent": user_agent or "", "ip_address": remote or ""}


def session_activity(session_id: str, seen: dict[str, Any] | None) -> dict[str, Any]:
    """``latest_activity`` (``session_activity``) of a session from what it remembers."""
    seen = seen or {}
    out: dict[str, Any] = {"object": "session_activity", "id": "sess_activity_" + session_id.removeprefix("sess_")}
    out.update(parse_user_agent(seen.get("user_agent") or ""))
    if seen.get("ip_address"):
        out["ip_address"] = seen["ip_address"]
    return out
