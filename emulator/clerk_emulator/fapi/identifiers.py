"""The user's email addresses and phone numbers: ``/v1/me/email_addresses``, ``/v1/me/phone_numbers`` (a verified
phone can be reserved for the second factor: ``PATCH …/{id}`` ``reserved_for_second_factor``,
``default_second_factor``). Adding and removing them are sensitive actions (``reverification.require_recent``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import attempts, messages, mfa, model
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
from .reverification import require_recent

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
        sess, user = current(em, ctx)
        only_fields(ctx, {field})
        require_recent(em, sess, user)
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
        sess, user = current(em, ctx)
        item = _identification(user, kind, ctx.params["ident_id"])
        require_recent(em, sess, user)
        if item.get("reserved_for_second_factor"):
            _last_second_factor(em, user, item)
        user[kind].remove(item)
        em.store.drop_identifier(item[field])
        if user[primary_key] == item["id"]:
            verified = [i for i in user[kind] if (i["verification"] or {}).get("status") == "verified"]
            user[primary_key] = verified[0]["id"] if verified else None
        mfa.sync_mfa_flags(user)
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


def _last_second_factor(em: Instance, user: dict[str, Any], phone: dict[str, Any]) -> None:
    """When the instance requires MFA, the user's last second factor cannot go."""
    if not em.settings.current["sign_in"]["second_factor"]["required"]:
        return
    others = [p for p in mfa.mfa_phones(user) if p is not phone]
    if not others and not (user.get("totp") or {}).get("verified"):
        raise ClerkError("second_factor_deletion_not_allowed")


def _flag(ctx: Ctx, name: str) -> bool | None:
    raw = ctx.field(name)
    if raw is None or raw == "":
        return None
    if raw not in ("true", "false"):
        raise ClerkError("form_param_format_invalid", param=name)
    return raw == "true"


@router.add(F, "PATCH", "/v1/me/phone_numbers/{ident_id}")
def update_phone(em: Instance, ctx: Ctx) -> Any:
    """Reserve a verified phone for the second factor (the first one becomes the default; with backup codes on
    and none yet, the answer's ``backup_codes`` carries a fresh set, shown once), release it, or make it the
    default. The default cannot be unset, only moved by making another phone the default."""
    sess, user = current(em, ctx)
    only_fields(ctx, {"reserved_for_second_factor", "default_second_factor"})
    item = _identification(user, "phone_numbers", ctx.params["ident_id"])
    reserve, default = _flag(ctx, "reserved_for_second_factor"), _flag(ctx, "default_second_factor")
    if reserve is None and default is None:
        return envelope(em, ctx, model.phone_json(item))
    if not em.settings.second_factor_enabled("phone_number"):
        raise ClerkError("feature_not_enabled", long_suffix=" (phone numbers are not a second factor here)")
    if (item["verification"] or {}).get("status") != "verified":
        raise ClerkError("identification_update_second_factor_unverified")
    if default is False and item.get("default_second_factor"):
        raise ClerkError("form_disable_default_second_factor_not_allowed")
    require_recent(em, sess, user)
    had_mfa = mfa.two_factor_enabled(user)
    if reserve is False and item.get("reserved_for_second_factor"):
        _last_second_factor(em, user, item)
        item.update(reserved_for_second_factor=False, default_second_factor=False)
    elif reserve:
        item["reserved_for_second_factor"] = True
    if default:
        if not item.get("reserved_for_second_factor"):
            raise ClerkError("form_param_value_invalid", param="default_second_factor",
                             long_suffix=". Only a phone number reserved for the second factor can be the default.")
        for other in user["phone_numbers"]:
            other["default_second_factor"] = other is item
    mfa.sync_mfa_flags(user)
    codes = None
    if (not had_mfa and mfa.two_factor_enabled(user) and em.settings.second_factor_enabled("backup_code")
            and not mfa.backup_code_enabled(user)):
        codes = mfa.new_backup_codes(user)
    model.save_user(em.store, user)
    return envelope(em, ctx, model.phone_json(item, codes))


_register_identification_routes("email_addresses", "email_address", "email_code", "primary_email_address_id")
_register_identification_routes("phone_numbers", "phone_number", "phone_code", "primary_phone_number_id")
