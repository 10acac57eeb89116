"""Session-token cache with clerk-js's timing, on the local clock from each token's arrival (docs/sdk.md,
Session tokens)."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any, NamedTuple

from .errors import ClerkRuntimeError

__all__ = ["TokenCache", "decode_jwt_claims"]

EVICT_WITHIN = 5.0
REFRESH_WITHIN = 17.0


def decode_jwt_claims(jwt: str) -> dict[str, Any]:
    """The claims of a JWT, decoded without verifying its signature (the server verifies it)."""
    try:
        payload = jwt.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError) as exc:
        raise ClerkRuntimeError("The session token is not a JWT.", code="invalid_token") from exc
    if not isinstance(claims, dict):
        raise ClerkRuntimeError("The session token's claims are not an object.", code="invalid_token")
    return claims


class _Entry(NamedTuple):
    jwt: str
    received: float
    lifetime: float


def cache_key(session_id: str, template: str | None, organization_id: str | None) -> str:
    """clerk-js's key: ``clerk::<session>[-<template>][-<organization>]::``."""
    parts = [session_id, *(p for p in (template, organization_id) if p)]
    return f"clerk::{'-'.join(parts)}::"


class TokenCache:
    """Session tokens by key; ``clock`` returns seconds (``time.time`` by default in Clerk)."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._entries: dict[str, _Entry] = {}
        self._last: dict[str, str] = {}

    def set(self, key: str, jwt: str, *, aged: bool = False) -> None:
        """Cache ``jwt`` under ``key`` for its ``exp - iat``; ``aged=True`` (a ``last_active_token``) counts the
        time since its ``iat`` against that."""
        claims = decode_jwt_claims(jwt)
        iat, exp = claims.get("iat"), claims.get("exp")
        now = received = self._clock()
        lifetime = 0.0
        if isinstance(iat, (int, float)) and isinstance(exp, (int, float)):
            lifetime = float(exp - iat)
            if aged:
                received = now - min(max(now - float(iat), 0.0), lifetime)
        self._entries[key] = _Entry(jwt, received, lifetime)
        self._last[key] = jwt

    def last_jwt(self, key: str) -> str | None:
        """The last token cached under ``key``, even if evicted (for ``expired_token`` retries)."""
        return self._last.get(key)

    def get(self, key: str) -> tuple[str, bool] | None:
        """``(jwt, refresh_due)`` for a usable token, or None (evicting one about to expire)."""
        entry = self._entries.get(key)
        if entry is None:
            return None
        remaining = entry.lifetime - (self._clock() - entry.received)
        if remaining <= EVICT_WITHIN:
            del self._entries[key]
            return None
        return entry.jwt, remaining <= REFRESH_WITHIN

    def clear(self, session_id: str | None = None) -> None:
        """Forget every token, or only those of ``session_id``."""
        for store in (self._entries, self._last):
            if session_id is None:
                store.clear()
                continue
            prefix = f"clerk::{session_id}"
            for key in [k for k in store if k.startswith((prefix + "-", prefix + "::"))]:
                del store[key]
