"""Metadata rules: deep merge, full replace, and the 8 KB size limit.

Size counting (documented in ``emulator/README.md``): the size of a metadata
field is the number of UTF-8 bytes of the compact JSON serialisation of the
value that would be stored (``json.dumps(value, separators=(",", ":"),
ensure_ascii=False)``), measured after the merge or replace is applied. At
most :data:`MAX_METADATA_BYTES` (8 KB = 8192 bytes) per field; the three
fields are counted separately.
"""

from __future__ import annotations

import json
from typing import Any

from .errors import ClerkError

MAX_METADATA_BYTES = 8192


def compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def size_of(value: Any) -> int:
    return len(compact(value).encode("utf-8"))


def deep_merge(stored: Any, patch: dict[str, Any]) -> dict[str, Any]:
    """Merge ``patch`` into ``stored``: objects recurse, ``null`` deletes, anything else replaces."""
    result: dict[str, Any] = dict(stored) if isinstance(stored, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        elif isinstance(value, dict):
            result[key] = deep_merge(result.get(key), value)
        else:
            result[key] = value
    return result


def parse_json_field(param: str, raw: str) -> Any:
    """Parse a form field holding JSON; a malformed value is a 422 naming the field."""
    try:
        return json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise ClerkError(
            "form_param_format_invalid",
            param=param,
            long_suffix=f" It must be a JSON object ({type(exc).__name__}: {exc}).",
        ) from None


def require_object(param: str, value: Any, *, allow_null: bool = False) -> None:
    if value is None and allow_null:
        return
    if not isinstance(value, dict):
        raise ClerkError(
            "form_param_value_invalid",
            param=param,
            long_suffix=f". It must be a JSON object, got {type(value).__name__ if value is not None else 'null'}.",
        )


def check_size(param: str, value: Any) -> None:
    size = size_of(value)
    if size > MAX_METADATA_BYTES:
        raise ClerkError(
            "form_param_exceeds_allowed_size",
            param=param,
            fill={"limit": str(MAX_METADATA_BYTES)},
            long_suffix=f" The result would be {size} bytes (UTF-8 bytes of its compact JSON).",
        )
