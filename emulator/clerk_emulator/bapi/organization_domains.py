"""Organization domains on the Backend API: list, create (``verified`` skips the e-mail proof; @clerk/backend
sends ``true`` by default), update the enrollment mode or verification, delete."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import organizations_model as orgs
from ..errors import ClerkError
from ..http import Ctx
from ..store import now_ms
from .common import B, limit_offset, router
from .organizations import load_org, typed

if TYPE_CHECKING:
    from ..context import Instance

TYPES = {"name": "str", "enrollment_mode": "str", "verified": "bool"}


@router.add(B, "GET", "/v1/organizations/{org_id}/domains")
def list_domains(em: Instance, ctx: Ctx) -> Any:
    org = load_org(em, ctx.params["org_id"])
    orgs.require_domains(em)
    limit, offset = limit_offset(ctx)
    rows = orgs.domains(em, org["id"])
    verified = ctx.query.get("verified")
    if verified is not None:
        if verified not in ("true", "false"):
            raise ClerkError("form_param_value_invalid", param="verified", long_suffix=". It must be true or false.")
        rows = [d for d in rows if orgs.is_verified(d) is (verified == "true")]
    mode = ctx.query.get("enrollment_mode")
    if mode:
        orgs.check_enrollment_mode(em, mode)
        rows = [d for d in rows if d["enrollment_mode"] == mode]
    return {"data": [orgs.domain_json(em, d) for d in rows[offset:offset + limit]], "total_count": len(rows)}


@router.add(B, "POST", "/v1/organizations/{org_id}/domains")
def create_domain(em: Instance, ctx: Ctx) -> Any:
    data = typed(ctx, TYPES, set(TYPES), ("name",))
    org = load_org(em, ctx.params["org_id"])
    domain = orgs.create_domain(em, org, name=data["name"], mode=data.get("enrollment_mode"), user=None,
                                verified=data.get("verified") is not False)
    return orgs.domain_json(em, domain)


@router.add(B, "PATCH", "/v1/organizations/{org_id}/domains/{domain_id}")
def update_domain(em: Instance, ctx: Ctx) -> Any:
    data = typed(ctx, TYPES, {"enrollment_mode", "verified"})
    org = load_org(em, ctx.params["org_id"])
    orgs.require_domains(em)
    domain = orgs.load_domain(em, org, ctx.params["domain_id"])
    if data.get("enrollment_mode") is not None:
        domain["enrollment_mode"] = orgs.check_enrollment_mode(em, data["enrollment_mode"])
    if data.get("verified") is True and not orgs.is_verified(domain):
        domain["affiliation"] = {"status": "verified", "strategy": "admin", "attempts": None, "expire_at": None,
                                 "verified_at": now_ms()}
    elif data.get("verified") is False:
        domain["affiliation"] = None
    orgs.save_domain(em, domain)
    orgs.enroll_domain(em, domain)
    return orgs.domain_json(em, domain)


@router.add(B, "DELETE", "/v1/organizations/{org_id}/domains/{domain_id}")
def delete_domain(em: Instance, ctx: Ctx) -> Any:
    org = load_org(em, ctx.params["org_id"])
    domain = orgs.load_domain(em, org, ctx.params["domain_id"])
    orgs.delete_domain(em, domain)
    return {"object": "organization_domain", "id": domain["id"], "deleted": True}
