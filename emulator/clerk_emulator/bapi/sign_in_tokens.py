"""Sign-in tokens on the Backend API: create one for a user, revoke it. The FAPI redeems them with
``strategy=ticket`` (see ``tickets.py``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import model
from ..errors import ClerkError
from ..http import Ctx
from ..store import new_id, now_ms, touch
from ..tickets import ST_SIGN_IN_TOKEN, mint_ticket, ticket_url
from .common import B, body, router, str_field

if TYPE_CHECKING:
    from ..context import Instance

CREATE_FIELDS = {"user_id", "org_id", "expires_in_seconds"}
DEFAULT_LIFETIME_S = 30 * 24 * 3600
MAX_LIFETIME_S = 100 * 365 * 24 * 3600  # the spec sets no maximum; this only keeps timestamps sane


def sign_in_token_json(record: dict[str, Any]) -> dict[str, Any]:
    """The ``SignInToken`` object of the 2026-05-12 spec."""
    return {
        "object": "sign_in_token",
        "id": record["id"],
        "status": record["status"],
        "user_id": record["user_id"],
        "token": record["token"],
        "url": record["url"],
        "created_at": record["created_at"],
        "updated_at": record["updated_at"],
    }


def lifetime(data: dict[str, Any]) -> int:
    value = data.get("expires_in_seconds")
    if value is None:
        return DEFAULT_LIFETIME_S
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= MAX_LIFETIME_S:
        raise ClerkError("form_param_value_invalid", param="expires_in_seconds",
                         long_suffix=f". It must be a whole number of seconds from 1 to {MAX_LIFETIME_S}.")
    return value


@router.add(B, "POST", "/v1/sign_in_tokens")
def create_sign_in_token(em: Instance, ctx: Ctx) -> Any:
    data = body(ctx, CREATE_FIELDS)
    if not data.get("user_id"):
        raise ClerkError("form_param_missing", param="user_id")
    user = model.load_user(em.store, str_field(data, "user_id", nullable=False) or "")
    seconds = lifetime(data)
    org_ref = str_field(data, "org_id")
    org_id = None
    if org_ref:
        org_id = model.load_org(em.store, org_ref)["id"]
        if not em.store.where("memberships", "org_id=? AND user_id=?", (org_id, user["id"])):
            raise ClerkError("form_param_value_invalid", param="org_id",
                             long_suffix=". The user is not a member of this organization.")
    ts = now_ms()
    record: dict[str, Any] = {"id": new_id("sit"), "user_id": user["id"], "org_id": org_id, "status": "pending",
                              "created_at": ts, "updated_at": ts}
    record["token"], exp = mint_ticket(em, sid=record["id"], kind=ST_SIGN_IN_TOKEN, lifetime_s=seconds)
    record["url"] = ticket_url(em, record["token"])
    record["expires_at"] = exp * 1000
    em.store.put_record("sign_in_tokens", record)
    return sign_in_token_json(record)


@router.add(B, "POST", "/v1/sign_in_tokens/{sign_in_token_id}/revoke")
def revoke_sign_in_token(em: Instance, ctx: Ctx) -> Any:
    token_id = ctx.params["sign_in_token_id"]
    record = em.store.get("sign_in_tokens", token_id)
    if record is None:
        raise ClerkError("resource_not_found", long_suffix=f" No sign-in token has id {token_id}.")
    if record["status"] != "pending":
        raise ClerkError("sign_in_token_cannot_be_revoked_code", fill={"status": record["status"]})
    record["status"] = "revoked"
    touch(record)
    em.store.put_record("sign_in_tokens", record)
    return sign_in_token_json(record)
