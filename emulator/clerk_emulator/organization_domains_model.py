"""Organization domains, the suggestions they make and membership requests (the Frontend and Backend APIs'
domain routes use these; ``organizations_model`` holds organizations, memberships and invitations)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import model, outbox
from .errors import ClerkError
from .organizations_model import (
    _DOMAIN_RE,
    CODE_LIFETIME_MS,
    COMMON_DOMAINS,
    MAX_CODE_ATTEMPTS,
    MAX_DOMAINS,
    add_member,
    check_email,
    create_invitation,
    find_org,
    invitations,
    membership,
    revoke_invitation,
    settings,
    verified_emails,
)
from .store import new_id, now_ms, touch

if TYPE_CHECKING:
    from .context import Instance


def domains(em: Instance, org_id: str) -> list[dict[str, Any]]:
    return em.store.where("org_domains", "json_extract(data, '$.org_id')=? ORDER BY created_at, id", (org_id,))


def require_domains(em: Instance) -> None:
    if not settings(em)["domains"]["enabled"]:
        raise ClerkError("organization_domains_not_enabled")


def check_enrollment_mode(em: Instance, mode: Any) -> str:
    allowed = settings(em)["domains"]["enrollment_modes"]
    if not isinstance(mode, str) or mode not in ("manual_invitation", "automatic_invitation",
                                                 "automatic_suggestion"):
        raise ClerkError("form_param_value_invalid", param="enrollment_mode",
                         long_suffix=". Use manual_invitation, automatic_invitation or automatic_suggestion.")
    if mode != "manual_invitation" and mode not in allowed:
        raise ClerkError("organization_domain_enrollment_mode_not_enabled", fill={"enrollmentMode": mode})
    return mode


def _verification(status: str, strategy: str, *, attempts: int | None = None, expire_at: int | None = None,
                  verified_at: int | None = None) -> dict[str, Any]:
    return {"status": status, "strategy": strategy, "attempts": attempts, "expire_at": expire_at,
            "verified_at": verified_at}


def is_verified(domain: dict[str, Any]) -> bool:
    return (domain.get("affiliation") or {}).get("status") == "verified"


def create_domain(em: Instance, org: dict[str, Any], *, name: Any, mode: Any, user: dict[str, Any] | None,
                  verified: bool = False) -> dict[str, Any]:
    """A new domain. It is verified at once when ``verified`` (BAPI) or when the user creating it already has a
    verified address there."""
    require_domains(em)
    if name is None or name == "":
        raise ClerkError("form_param_missing", param="name")
    if not isinstance(name, str) or not _DOMAIN_RE.match(name.strip().lower()):
        raise ClerkError("form_param_format_invalid", param="name", long_suffix=" It must be a domain name.")
    name = name.strip().lower()
    mode = check_enrollment_mode(em, mode if mode is not None else "manual_invitation")
    if name in COMMON_DOMAINS:
        raise ClerkError("organization_domain_common", param="name")
    own = domains(em, org["id"])
    if any(d["name"] == name for d in own):
        raise ClerkError("organization_domain_already_exists_same_organization", param="name")
    others = em.store.where("org_domains", "json_extract(data, '$.name')=?", (name,))
    if any(is_verified(d) for d in others):
        raise ClerkError("organization_domain_already_exists", param="name")
    if len(own) >= MAX_DOMAINS:
        err = ClerkError("organization_domain_quota_exceeded")
        err.fill["%d"] = str(MAX_DOMAINS)
        raise err
    ts = now_ms()
    domain: dict[str, Any] = {"id": new_id("orgdmn"), "org_id": org["id"], "name": name, "enrollment_mode": mode,
                              "affiliation_email_address": None, "affiliation": None, "created_at": ts,
                              "updated_at": ts}
    proof = next((e for e in verified_emails(user) if e.lower().endswith("@" + name)), None) if user else None
    if verified or proof:
        domain["affiliation_email_address"] = proof
        domain["affiliation"] = _verification("verified", "email_code" if proof else "admin", verified_at=ts)
    em.store.put_record("org_domains", domain)
    enroll_domain(em, domain)
    return domain


def load_domain(em: Instance, org: dict[str, Any], domain_id: str) -> dict[str, Any]:
    domain = em.store.get("org_domains", domain_id)
    if domain is None or domain["org_id"] != org["id"]:
        raise ClerkError("resource_not_found", long_suffix=f" No domain {domain_id} in this organization.")
    return domain


def save_domain(em: Instance, domain: dict[str, Any]) -> None:
    touch(domain)
    em.store.put_record("org_domains", domain)


def domain_json(em: Instance, domain: dict[str, Any]) -> dict[str, Any]:
    affiliation = domain.get("affiliation")
    public = None if affiliation is None else {k: v for k, v in affiliation.items() if not k.startswith("_")}
    org = find_org(em, domain["org_id"])
    pending_inv = sum(1 for i in invitations(em, domain["org_id"])
                      if i.get("domain_id") == domain["id"] and model.org_invitation_status(i) == "pending")
    pending_sug = sum(1 for s in suggestions_of_domain(em, domain["id"]) if s["status"] == "pending")
    return {
        "object": "organization_domain", "id": domain["id"], "organization_id": domain["org_id"],
        "name": domain["name"], "enrollment_mode": domain["enrollment_mode"],
        "affiliation_email_address": domain["affiliation_email_address"],
        "affiliation_verification": public, "verification": public, "ownership_verification": None,
        "total_pending_invitations": pending_inv, "total_pending_suggestions": pending_sug,
        "public_organization_data": model.public_organization_data(org) if org is not None else None,
        "created_at": domain["created_at"], "updated_at": domain["updated_at"],
    }


def prepare_affiliation(em: Instance, domain: dict[str, Any], email: Any) -> None:
    email = check_email(email, "affiliation_email_address")
    if not email.lower().endswith("@" + domain["name"]):
        raise ClerkError("organization_domain_mismatch", param="affiliation_email_address")
    if is_verified(domain):
        raise ClerkError("verification_already_verified")
    code = outbox.new_code(email)
    domain["affiliation_email_address"] = email
    domain["affiliation"] = _verification("unverified", "email_code", attempts=0,
                                          expire_at=now_ms() + CODE_LIFETIME_MS)
    domain["affiliation"]["_code"] = code
    save_domain(em, domain)
    outbox.send(em.store, to=email, channel="email", kind="organization_domain_code",
                subject=f"{code} is your verification code for {domain['name']}",
                body=f"Enter {code} to verify that you belong to {domain['name']}. It expires in 10 minutes.",
                code=code)


def attempt_affiliation(em: Instance, domain: dict[str, Any], code: Any) -> None:
    check = domain.get("affiliation")
    if check is None or "_code" not in check:
        raise ClerkError("verification_already_verified" if is_verified(domain) else "verification_missing")
    if not isinstance(code, str) or not code:
        raise ClerkError("form_param_missing", param="code")
    if check["status"] == "failed":
        raise ClerkError("verification_failed")
    if check["expire_at"] <= now_ms():
        raise ClerkError("verification_expired")
    check["attempts"] = int(check["attempts"] or 0) + 1
    if code != check["_code"]:
        if check["attempts"] >= MAX_CODE_ATTEMPTS:
            check["status"] = "failed"
        save_domain(em, domain)
        err = ClerkError("verification_failed" if check["status"] == "failed" else "form_code_incorrect",
                         param=None if check["status"] == "failed" else "code")
        err.keep_changes = True  # a wrong code still counts as an attempt
        raise err
    del check["_code"]
    check.update(status="verified", verified_at=now_ms())
    save_domain(em, domain)
    enroll_domain(em, domain)


def set_enrollment_mode(em: Instance, domain: dict[str, Any], mode: Any, delete_pending: bool) -> None:
    domain["enrollment_mode"] = check_enrollment_mode(em, mode)
    if delete_pending:
        drop_pending_enrollment(em, domain)
    save_domain(em, domain)
    enroll_domain(em, domain)


def drop_pending_enrollment(em: Instance, domain: dict[str, Any]) -> None:
    for inv in invitations(em, domain["org_id"]):
        if inv.get("domain_id") == domain["id"] and model.org_invitation_status(inv) == "pending":
            revoke_invitation(em, inv)
    for sug in suggestions_of_domain(em, domain["id"]):
        if sug["status"] == "pending":
            em.store.delete("org_suggestions", sug["id"])


def delete_domain(em: Instance, domain: dict[str, Any]) -> None:
    drop_pending_enrollment(em, domain)
    em.store.delete("org_domains", domain["id"])


def suggestions_of_domain(em: Instance, domain_id: str) -> list[dict[str, Any]]:
    return em.store.where("org_suggestions", "json_extract(data, '$.domain_id')=? ORDER BY created_at, id",
                          (domain_id,))


def _enroll(em: Instance, domain: dict[str, Any], user: dict[str, Any]) -> None:
    """Offer ``domain``'s organization to ``user`` as its enrollment mode says, once."""
    org = find_org(em, domain["org_id"])
    if org is None or membership(em, org["id"], user["id"]) is not None:
        return
    email = next((e for e in verified_emails(user) if e.lower().endswith("@" + domain["name"])), None)
    if email is None:
        return
    ts = now_ms()
    if domain["enrollment_mode"] == "automatic_suggestion":
        seen = em.store.where("org_suggestions", "json_extract(data, '$.org_id')=? AND "
                              "json_extract(data, '$.user_id')=?", (org["id"], user["id"]))
        if not seen:
            em.store.put_record("org_suggestions", {
                "id": new_id("orgsugg"), "org_id": org["id"], "user_id": user["id"], "domain_id": domain["id"],
                "status": "pending", "created_at": ts, "updated_at": ts})
    elif domain["enrollment_mode"] == "automatic_invitation" and not any(
            i["email_address"].lower() == email.lower() and i["status"] in ("pending", "accepted")
            for i in invitations(em, org["id"])):
        create_invitation(em, org, email=email, role=settings(em)["domains"]["default_role"], inviter=None,
                              notify=False, domain_id=domain["id"])


def enroll_domain(em: Instance, domain: dict[str, Any]) -> None:
    """A verified domain in an automatic mode offers its organization to every user with an address there."""
    if not is_verified(domain) or domain["enrollment_mode"] == "manual_invitation":
        return
    rows = em.store.db.execute("SELECT DISTINCT user_id FROM identifiers WHERE kind='email_address' AND value LIKE ?",
                               ("%@" + domain["name"],)).fetchall()
    for (user_id,) in rows:
        user = em.store.get("users", user_id)
        if user is not None:
            _enroll(em, domain, user)


def enroll_user(em: Instance, user: dict[str, Any]) -> None:
    """Offers for ``user`` from every verified domain of its addresses (users who arrived after the domain)."""
    if not settings(em)["domains"]["enabled"]:
        return
    for email in verified_emails(user):
        host = email.rpartition("@")[2].lower()
        for domain in em.store.where("org_domains", "json_extract(data, '$.name')=?", (host,)):
            if is_verified(domain):
                _enroll(em, domain, user)


def suggestion_json(em: Instance, sug: dict[str, Any]) -> dict[str, Any]:
    org = find_org(em, sug["org_id"])
    return {"object": "organization_suggestion", "id": sug["id"],
            "public_organization_data": model.public_organization_data(org) if org else None,
            "status": sug["status"], "created_at": sug["created_at"], "updated_at": sug["updated_at"]}


def accept_suggestion(em: Instance, sug: dict[str, Any]) -> None:
    """The user asks to join: a pending membership request for the organization's managers."""
    if sug["status"] != "pending":
        raise ClerkError("organization_suggestion_already_accepted")
    sug["status"] = "accepted"
    touch(sug)
    em.store.put_record("org_suggestions", sug)
    ts = now_ms()
    em.store.put_record("org_requests", {"id": new_id("orgmbrreq"), "org_id": sug["org_id"],
                                         "user_id": sug["user_id"], "status": "pending", "created_at": ts,
                                         "updated_at": ts})


def requests_of(em: Instance, org_id: str) -> list[dict[str, Any]]:
    return em.store.where("org_requests", "json_extract(data, '$.org_id')=? ORDER BY created_at, id", (org_id,))


def request_json(em: Instance, req: dict[str, Any]) -> dict[str, Any]:
    user = em.store.get("users", req["user_id"])
    return {"object": "organization_membership_request", "id": req["id"], "organization_id": req["org_id"],
            "status": req["status"], "public_user_data": model.public_user_data(user) if user else None,
            "created_at": req["created_at"], "updated_at": req["updated_at"]}


def decide_request(em: Instance, org: dict[str, Any], req: dict[str, Any], accept: bool) -> None:
    if req["status"] != "pending":
        raise ClerkError("resource_not_found", long_suffix=f" The request is {req['status']}, not pending.")
    if accept:
        user = em.store.get("users", req["user_id"])
        if user is None:
            raise ClerkError("resource_not_found", "user", fill={"userID": req["user_id"]})
        if membership(em, org["id"], user["id"]) is None:
            add_member(em, org, user, settings(em)["domains"]["default_role"])
    req["status"] = "accepted" if accept else "rejected"
    touch(req)
    em.store.put_record("org_requests", req)


