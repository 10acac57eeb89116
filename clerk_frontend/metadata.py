"""Metadata checks before sending (only ``unsafe_metadata``; plain JSON, ≤ :data:`MAX_METADATA_BYTES`) and
RFC 7396 merge patches."""

from __future__ import annotations

import math
from typing import Any

from .errors import MetadataError
from .fapi import compact_json

__all__ = ["MAX_METADATA_BYTES", "merge_patch", "merge_patch_diff", "validate_metadata"]

#: Clerk's documented metadata size limit, applied to the serialized value the SDK sends.
MAX_METADATA_BYTES = 8 * 1024

_BACKEND_ONLY = ("public_metadata", "private_metadata", "publicMetadata", "privateMetadata")


def refuse_backend_only(name: str) -> MetadataError:
    """The error for a frontend write of ``public_metadata``/``private_metadata``."""
    return MetadataError(
        f"{name} is backend-only: the Frontend API can read it but never write it. Update it from your "
        "server with the Backend API (secret key); only unsafe_metadata is writable from the frontend.",
        code="metadata_backend_only",
    )


def _check(value: Any, where: str) -> None:
    if value is None or isinstance(value, (str, bool, int)):
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            raise MetadataError(f"{where} is {value!r}; JSON has no NaN or Infinity.")
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise MetadataError(f"{where} has the key {key!r} of type {type(key).__name__}; keys must be str.")
            _check(item, f"{where}[{key!r}]")
        return
    if isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            _check(item, f"{where}[{index}]")
        return
    raise MetadataError(
        f"{where} is a {type(value).__name__}, which is not JSON (use dict, list, str, number, bool or None)."
    )


def validate_metadata(value: Any, name: str = "unsafe_metadata") -> str:
    """Check ``value`` against the metadata rules and return its compact JSON, or raise :class:`MetadataError`."""
    if name in _BACKEND_ONLY:
        raise refuse_backend_only(name)
    if not isinstance(value, dict):
        raise MetadataError(f"{name} must be a dict at the top level, got {type(value).__name__}.")
    _check(value, name)
    text = compact_json(value)
    size = len(text.encode("utf-8"))
    if size > MAX_METADATA_BYTES:
        raise MetadataError(
            f"{name} serializes to {size} bytes; the limit is {MAX_METADATA_BYTES}.", code="metadata_too_large"
        )
    return text


def merge_patch(target: Any, patch: Any) -> Any:
    """Apply an RFC 7396 merge patch: dicts merge recursively, ``None`` deletes, anything else replaces.

    Inputs are never mutated; a new value is returned.
    """
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def merge_patch_diff(current: dict[str, Any], desired: dict[str, Any]) -> dict[str, Any]:
    """The RFC 7396 patch turning ``current`` into ``desired`` (removed keys -> None)."""
    patch: dict[str, Any] = {key: None for key in current if key not in desired}
    for key, want in desired.items():
        have = current.get(key, _MISSING)
        if isinstance(have, dict) and isinstance(want, dict):
            sub = merge_patch_diff(have, want)
            if sub:
                patch[key] = sub
        elif have is _MISSING or not _same_json(have, want):
            patch[key] = want
    return patch


_MISSING: Any = object()


def _same_json(a: Any, b: Any) -> bool:
    # JSON equality: True != 1 and 1.0 == 1, as the server sees them after a round trip.
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same_json(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same_json(x, y) for x, y in zip(a, b, strict=True))
    return bool(type(a) is type(b) and a == b) or (
        isinstance(a, (int, float)) and isinstance(b, (int, float)) and a == b
    )
