"""Where an error is shown (pure): next to the field its ``meta.param_name`` names, else above the form; localized
(``unstable__errors.<code>__<param>``, ``unstable__errors.<code>``), else the server's message, as clerk-js."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import NamedTuple

from ..errors import ClerkAPIResponseError, ClerkNetworkError
from .localization import Strings

__all__ = ["Shown", "describe"]

# A parameter the API names differently from the field that shows it.
_ALIASES = {"emailAddress": "email_address", "phoneNumber": "phone_number", "firstName": "first_name",
            "lastName": "last_name", "newPassword": "new_password", "currentPassword": "current_password"}


class Shown(NamedTuple):
    """Messages by field name, and the message for above the form (None when every error has its field)."""

    fields: Mapping[str, str]
    general: str | None


def describe(exc: BaseException, strings: Strings, fields: Collection[str] = ()) -> Shown:
    """Where and how to show ``exc`` in a form that has ``fields``."""
    if isinstance(exc, ClerkAPIResponseError) and exc.errors:
        by_field: dict[str, str] = {}
        general: list[str] = []
        for error in exc.errors:
            raw = error.meta.get("param_name")
            param = _ALIASES.get(str(raw), str(raw)) if raw else ""
            keys = ([f"unstable__errors.{error.code}__{param}"] if param else []) + [f"unstable__errors.{error.code}"]
            key = next((k for k in keys if strings.get(k) is not None), None)
            if key is not None:
                message = strings(key, **{k: v for k, v in error.meta.items() if isinstance(v, (str, int))})
            else:
                message = error.long_message or error.message or strings("unstable__errors.unexpected")
            if param in fields:
                by_field.setdefault(param, message)
            elif message not in general:
                general.append(message)
        return Shown(by_field, " ".join(general) or None)
    if isinstance(exc, ClerkNetworkError):
        return Shown({}, strings("unstable__errors.network_error"))
    return Shown({}, strings("unstable__errors.unexpected"))
