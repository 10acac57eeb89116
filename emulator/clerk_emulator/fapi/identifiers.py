"""The user's email addresses and phone numbers: ``/v1/me/email_addresses``, ``/v1/me/phone_numbers``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import attempts, messages, model
from ..errors import ClerkError
from ..http import Ctx
from ..redirects import check_redirect_url
from .common import (
    F,
    current,
    envelope,
    only_fields,
    required,
    router,
)

if TYPE_CHECKING:
    from ..context import Instance


# email addresses and phone numbers
def _identification(user: dict[str, Any], kind: str, ident_id: str) -> dict[str, Any]:
    for item in user[kind]:
        if item["id"] == ident_id:
            found: dict[str, Any] = item
            return found
    raise ClerkError("resource_not_found", "identifier", fill={"identifierID": ident_id})


def _ident_json(kind: str, item: dict[str, Any]) -> dict[str, Any]:
    return model.email_json(item) if kind == "email_addresses" else model.phone_json(item)


def _register_identification_routes(kind: str, field: str, strategy: str, primary_key: str) -> None:
    base = f"/v1/me/{kind}"

    @router.add(F, "GET", base)
    def list_items(em: Instance, ctx: Ctx) -> Any:
        _s, user = current(em, ctx)
        return [_ident_json(kind, i) for i in user[kind]]

    @router.add(F, "POST", base)
    def create_item(em: Instance, ctx: Ctx) -> Any:
        _s, user = current(em, ctx)
        only_fields(ctx, {field})
        value = required(ctx, field)
        if kind == "email_addresses":
            item = model.add_email(em.store, user, value, verified=False, strategy=strategy)
        else:
            item = model.add_phone(em.store, user, value, verified=False)
        model.save_user(em.store, user)
        return envelope(em, ctx, _ident_json(kind, item))

    @router.add(F, "GET", base + "/{ident_id}")
    def get_item(em: Instance, ctx: Ctx) -> Any:
        _s, user = current(em, ctx)
        return envelope(em, ctx, _ident_json(kind, _identification(user, kind, ctx.params["ident_id"])))

    @router.add(F, "DELETE", base + "/{ident_id}")
    def delete_item(em: Instance, ctx: Ctx) -> Any:
        _s, user = current(em, ctx)
        item = _identification(user, kind, ctx.params["ident_id"])
        user[kind].remove(item)
        em.store.drop_identifier(item[field])
        if user[primary_key] == item["id"]:
            verified = [i for i in user[kind] if (i["verification"] or {}).get("status") == "verified"]
            user[primary_key] = verified[0]["id"] if verified else None
        model.save_user(em.store, user)
        return envelope(em, ctx, {"object": field, "id": item["id"], "deleted": True})

    @router.add(F, "POST", base + "/{ident_id}/prepare_verification")
    def prepare_item(em: Instance, ctx: Ctx) -> Any:
        _s, user = current(em, ctx)
        item = _identification(user, kind, ctx.params["ident_id"])
        chosen = ctx.field("strategy") or strategy
        if chosen == "email_link" and kind == "email_addresses":
            redirect_url = check_redirect_url(em, ctx.field("redirect_url"), "redirect_url")
            item["verification"] = messages.send_link(
                em, to=item[field], purpose="verification", owner_id=item["id"],
                client_id=ctx.client["id"] if ctx.client else "", redirect_url=redirect_url, email_id=item["id"],
                user_id=user["id"])
        elif chosen == strategy:
            item["verification"] = messages.send_code(em, to=item[field], purpose="verification", strategy=strategy)
        else:
            raise ClerkError("form_param_value_invalid", param="strategy")
        model.save_user(em.store, user)
        return envelope(em, ctx, _ident_json(kind, item))

    @router.add(F, "POST", base + "/{ident_id}/attempt_verification")
    def attempt_item(em: Instance, ctx: Ctx) -> Any:
        _s, user = current(em, ctx)
        item = _identification(user, kind, ctx.params["ident_id"])
        try:
            attempts.check_code(item["verification"], required(ctx, "code"), strategy)
        finally:
            model.save_user(em.store, user)  # a wrong code still counts as an attempt
        if user[primary_key] is None:
            user[primary_key] = item["id"]
        model.save_user(em.store, user)
        return envelope(em, ctx, _ident_json(kind, item))


_register_identification_routes("email_addresses", "email_address", "email_code", "primary_email_address_id")
_register_identification_routes("phone_numbers", "phone_number", "phone_code", "primary_phone_number_id")
