"""What every BAPI route shares: the router, secret-key check, JSON body checks, pagination.

Backend API (BAPI) under the ``/bapi`` prefix: ``Authorization: Bearer sk_…``, JSON bodies.
Request bodies are checked against the field lists of the 2026-05-12 spec;
an unknown field is refused with 422 ``form_param_unknown``.
"""

from __future__ import annotations

import contextlib
import hmac
from datetime import datetime
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .. import model
from ..errors import ClerkError
from ..http import Ctx, Router
from ..metadata import check_size, require_object

if TYPE_CHECKING:
    from ..context import Instance

router = Router()
B = "bapi"

CREATE_USER_FIELDS = {
    "external_id", "first_name", "last_name", "locale", "email_address", "email_address_identification_status",
    "phone_number", "phone_number_identification_status", "web3_wallet", "username", "password",
    "password_digest", "password_hasher", "skip_password_checks", "skip_password_requirement", "totp_secret",
    "backup_codes", "public_metadata", "private_metadata", "unsafe_metadata", "delete_self_enabled",
    "legal_accepted_at", "skip_legal_checks", "skip_user_requirement", "create_organization_enabled",
    "create_organizations_limit", "created_at", "bypass_client_trust", "banned", "locked",
}
UPDATE_USER_FIELDS = {
    "external_id", "first_name", "last_name", "locale", "primary_email_address_id",
    "notify_primary_email_address_changed", "primary_phone_number_id", "primary_web3_wallet_id", "username",
    "profile_image_id", "password", "password_digest", "password_hasher", "skip_password_checks",
    "sign_out_of_other_sessions", "totp_secret", "backup_codes", "delete_self_enabled",
    "create_organization_enabled", "legal_accepted_at", "skip_legal_checks", "create_organizations_limit",
    "created_at", "bypass_client_trust",
}
USER_METADATA = ("public_metadata", "private_metadata", "unsafe_metadata")
ORG_METADATA = ("public_metadata", "private_metadata")
CREATE_ORG_FIELDS = {"name", "created_by", "private_metadata", "public_metadata", "slug",
                     "max_allowed_memberships", "created_at", "role_set_key"}
UPDATE_ORG_FIELDS = {"name", "slug", "max_allowed_memberships", "admin_delete_enabled", "created_at",
                     "role_set_key"}
CREATE_MEMBERSHIP_FIELDS = {"user_id", "role", "public_metadata", "private_metadata"}


def authenticate(em: Instance, request: web.Request) -> None:
    header = request.headers.get("Authorization")
    if not header:
        raise ClerkError("authentication_invalid")
    if not header.startswith("Bearer "):
        raise ClerkError("authorization_header_format_invalid")
    if not hmac.compare_digest(header[len("Bearer "):].strip().encode(), em.store.secret_key.encode()):
        raise ClerkError("clerk_key_invalid")


def body(ctx: Ctx, allowed: set[str]) -> dict[str, Any]:
    data = ctx.body
    if not isinstance(data, dict):
        raise ClerkError("request_body_invalid", long_suffix=" The body must be a JSON object.")
    for name in data:
        if name not in allowed:
            raise ClerkError("form_param_unknown", param=name)
    return data


def refuse_removed(em: Instance, name: str, replacement: str) -> ClerkError:
    return ClerkError(em.config.removed_field_code, param=name,
                      long_suffix=f" Since Clerk API version 2026-05-12, metadata is no longer accepted here; "
                      f"use {replacement} instead.")


def str_field(data: dict[str, Any], name: str, *, nullable: bool = True) -> str | None:
    value = data.get(name)
    if value is None and nullable:
        return None
    if not isinstance(value, str):
        raise ClerkError("form_param_value_invalid", param=name, long_suffix=". It must be a string.")
    return value


def bool_field(data: dict[str, Any], name: str) -> bool | None:
    """A boolean body field; None when absent or null, 422 ``form_param_value_invalid`` for any other type."""
    value = data.get(name)
    if value is None or isinstance(value, bool):
        return value
    raise ClerkError("form_param_value_invalid", param=name, long_suffix=". It must be true or false.")


def timestamp_field(data: dict[str, Any], name: str) -> int | None:
    """An RFC3339 date-time body field (``2012-10-20T07:15:20.902Z``) as Unix milliseconds; None when absent or
    null. Anything else (another type, no time zone, not a date) is 422 ``form_param_format_invalid``."""
    value = data.get(name)
    if value is None:
        return None
    when = None
    if isinstance(value, str) and "T" in value.upper():
        with contextlib.suppress(ValueError):
            when = datetime.fromisoformat(value.strip())
    if when is None or when.tzinfo is None:
        raise ClerkError("form_param_format_invalid", param=name,
                         long_suffix=" It must be an RFC3339 date-time with a time zone (2012-10-20T07:15:20.902Z).")
    return int(when.timestamp() * 1000)


def strings_field(data: dict[str, Any], name: str) -> list[str]:
    """A body field holding a list of strings; [] when absent or null, else 422 ``form_param_value_invalid``."""
    value = data.get(name)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ClerkError("form_param_value_invalid", param=name, long_suffix=". Expected strings.")
    return value


def metadata_value(name: str, value: Any, *, allow_null: bool) -> Any:
    require_object(name, value, allow_null=allow_null)
    check_size(name, value)
    return value


def membership_page(em: Instance, ctx: Ctx, mems: list[dict[str, Any]]) -> dict[str, Any]:
    """One ``limit``/``offset`` page of memberships in BAPI's ``{data, total_count}`` shape."""
    limit, offset = limit_offset(ctx)
    return {"data": [model.bapi_membership(em.store, m) for m in mems[offset:offset + limit]],
            "total_count": len(mems)}


def limit_offset(ctx: Ctx) -> tuple[int, int]:
    try:
        limit = int(ctx.query.get("limit", "10"))
        offset = int(ctx.query.get("offset", "0"))
    except ValueError:
        raise ClerkError("form_param_format_invalid", param="limit") from None
    if not 1 <= limit <= 500 or offset < 0:
        raise ClerkError("form_param_value_invalid", param="limit",
                         long_suffix=". limit must be 1..500 and offset ≥ 0.")
    return limit, offset


