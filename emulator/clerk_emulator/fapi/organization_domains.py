"""An organization's domains on the Frontend API (``org:sys_domains:read`` to read, ``…:manage`` to change).

Affiliation is proven with an e-mail code sent to an address at the domain (outbox kind
``organization_domain_code``; ``424242`` for Clerk's test addresses); a user who already has a verified address
there proves it by adding the domain. A verified domain in ``automatic_invitation`` or ``automatic_suggestion``
mode offers the organization to users with an address there (their ``/v1/me/organization_invitations`` or
``…_suggestions``). Needs ``organization_settings.domains.enabled``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import organization_domains_model as org_domains
from ..errors import ClerkError
from ..http import Ctx
from .common import F, envelope, only_fields, router
from .organizations import flag, paged, signed_in_member

if TYPE_CHECKING:
    from ..context import Instance

READ, MANAGE = "org:sys_domains:read", "org:sys_domains:manage"


def _domain(em: Instance, ctx: Ctx, *permissions: str) -> tuple[dict[str, Any], dict[str, Any]]:
    org, _mem, _user = signed_in_member(em, ctx, *permissions)
    org_domains.require_domains(em)
    return org, org_domains.load_domain(em, org, ctx.params["domain_id"])


@router.add(F, "POST", "/v1/organizations/{org_id}/domains")
def create_domain(em: Instance, ctx: Ctx) -> Any:
    only_fields(ctx, {"name", "enrollment_mode"})
    org, _mem, user = signed_in_member(em, ctx, MANAGE)
    domain = org_domains.create_domain(em, org, name=ctx.field("name"), mode=ctx.field("enrollment_mode"), user=user)
    return envelope(em, ctx, org_domains.domain_json(em, domain))


@router.add(F, "GET", "/v1/organizations/{org_id}/domains")
def list_domains(em: Instance, ctx: Ctx) -> Any:
    org, _mem, _user = signed_in_member(em, ctx, READ, MANAGE)
    org_domains.require_domains(em)
    rows = org_domains.domains(em, org["id"])
    mode = ctx.query.get("enrollment_mode")
    if mode:
        org_domains.check_enrollment_mode(em, mode)
        rows = [d for d in rows if d["enrollment_mode"] == mode]
    verified = ctx.query.get("verified")
    if verified is not None:
        if verified not in ("true", "false"):
            raise ClerkError("form_param_value_invalid", param="verified", long_suffix=". It must be true or false.")
        rows = [d for d in rows if org_domains.is_verified(d) is (verified == "true")]
    out = paged(ctx, rows)
    out["data"] = [org_domains.domain_json(em, d) for d in out["data"]]
    return envelope(em, ctx, out)


@router.add(F, "GET", "/v1/organizations/{org_id}/domains/{domain_id}")
def get_domain(em: Instance, ctx: Ctx) -> Any:
    _org, domain = _domain(em, ctx, READ, MANAGE)
    return envelope(em, ctx, org_domains.domain_json(em, domain))


@router.add(F, "DELETE", "/v1/organizations/{org_id}/domains/{domain_id}")
def delete_domain(em: Instance, ctx: Ctx) -> Any:
    only_fields(ctx, set())
    _org, domain = _domain(em, ctx, MANAGE)
    org_domains.delete_domain(em, domain)
    return envelope(em, ctx, {"object": "organization_domain", "id": domain["id"], "deleted": True})


@router.add(F, "POST", "/v1/organizations/{org_id}/domains/{domain_id}/update_enrollment_mode")
def update_enrollment_mode(em: Instance, ctx: Ctx) -> Any:
    only_fields(ctx, {"enrollment_mode", "delete_pending"})
    _org, domain = _domain(em, ctx, MANAGE)
    if not ctx.field("enrollment_mode"):
        raise ClerkError("form_param_missing", param="enrollment_mode")
    org_domains.set_enrollment_mode(em, domain, ctx.field("enrollment_mode"), bool(flag(ctx, "delete_pending")))
    return envelope(em, ctx, org_domains.domain_json(em, domain))


@router.add(F, "POST", "/v1/organizations/{org_id}/domains/{domain_id}/prepare_affiliation_verification")
def prepare_affiliation(em: Instance, ctx: Ctx) -> Any:
    only_fields(ctx, {"affiliation_email_address"})
    _org, domain = _domain(em, ctx, MANAGE)
    org_domains.prepare_affiliation(em, domain, ctx.field("affiliation_email_address"))
    return envelope(em, ctx, org_domains.domain_json(em, domain))


@router.add(F, "POST", "/v1/organizations/{org_id}/domains/{domain_id}/attempt_affiliation_verification")
def attempt_affiliation(em: Instance, ctx: Ctx) -> Any:
    only_fields(ctx, {"code"})
    _org, domain = _domain(em, ctx, MANAGE)
    org_domains.attempt_affiliation(em, domain, ctx.field("code"))
    return envelope(em, ctx, org_domains.domain_json(em, domain))
