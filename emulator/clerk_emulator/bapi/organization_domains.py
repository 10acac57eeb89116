"""Organization domains on the Backend API: list, create (``verified`` skips the e-mail proof; @clerk/backend
sends ``true`` by default), update the enrollment mode or verification, delete."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import organization_domains_model as org_domains
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
    org_domains.require_domains(em)
    limit, offset = limit_offset(ctx)
    rows = org_domains.domains(em, org["id"])
    verified = ctx.query.get("verified")
    if verified is not None:
        if verified not in ("true", "false"):
            raise ClerkError("form_param_value_invalid", param="verified", long_suffix=". It must be true or false.")
        rows = [d for d in rows if org_domains.is_verified(d) is (verified == "true")]
    mode = ctx.query.get("enrollment_mode")
    if mode:
        org_domains.check_enrollment_mode(em, mode)
        rows = [d for d in rows if d["enrollment_mode"] == mode]
    return {"data": [org_domains.domain_json(em, d) for d in rows[offset:offset + limit]], "total_count": len(rows)}


@router.add(B, "POST", "/v1/organizations/{org_id}/domains")
def create_domain(em: Instance, ctx: Ctx) -> Any:
    data = typed(ctx, TYPES, set(TYPES), ("name",))
    org = load_org(em, ctx.params["org_id"])
    domain = org_domains.create_domain(em, org, name=data["name"], mode=data.get("enrollment_mode"), user=None,
                                verified=data.get("verified") is not False)
    return org_domains.domain_json(em, domain)


@router.add(B, "PATCH", "/v1/organizations/{org_id}/domains/{domain_id}")
def update_domain(em: Instance, ctx: Ctx) -> Any:
    data = typed(ctx, TYPES, {"enrollment_mode", "verified"})
    org = load_org(em, ctx.params["org_id"])
    org_domains.require_domains(em)
    domain = org_domains.load_domain(em, org, ctx.params["domain_id"])
    if data.get("enrollment_mode") is not None:
        domain["enrollment_mode"] = org_domains.check_enrollment_mode(em, data["enrollment_mode"])
    if data.get("verified") is True and not org_domains.is_verified(domain):
        domain["affiliation"] = {"status": "verified", "strategy": "admin", "attempts": None, "expire_at": None,
                                 "verified_at": now_ms()}
    elif data.get("verified") is False:
        domain["affiliation"] = None
    org_domains.save_domain(em, domain)
    org_domains.enroll_domain(em, domain)
    return org_domains.domain_json(em, domain)


@router.add(B, "DELETE", "/v1/organizations/{org_id}/domains/{domain_id}")
def delete_domain(em: Instance, ctx: Ctx) -> Any:
    org = load_org(em, ctx.params["org_id"])
    domain = org_domains.load_domain(em, org, ctx.params["domain_id"])
    org_domains.delete_domain(em, domain)
    return {"object": "organization_domain", "id": domain["id"], "deleted": True}
