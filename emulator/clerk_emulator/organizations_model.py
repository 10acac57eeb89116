"""Organizations: the rules both APIs share (settings, permissions, members, invitations, domains, requests).

Stored documents: ``organizations`` and ``memberships`` (``store.py``), and the record tables
``org_invitations``, ``org_domains``, ``org_requests``, ``org_suggestions``. Handlers of the two APIs check the
request's shape and who may ask; everything that changes organization state goes through this module, so FAPI
and BAPI cannot disagree about it.

Differences between the APIs (``api`` arguments): the Frontend API refuses to leave an organization without a
member holding Clerk's minimum permissions (``organization_minimum_permissions_needed``); the Backend API allows
it and reports ``missing_member_with_elevated_permissions`` on the organization instead.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from . import model, org_roles, outbox
from .errors import ClerkError
from .slugs import set_slug, slugify
from .store import new_id, now_ms, touch

if TYPE_CHECKING:
    from .context import Instance

MAX_DOMAINS = 10
INVITATION_DAYS = 30
CODE_LIFETIME_MS = 10 * 60 * 1000
MAX_CODE_ATTEMPTS = 5
MAX_NAME = 256
ST_ORG_INVITATION = "organization_invitation"
# Public e-mail providers cannot be an organization's domain.
COMMON_DOMAINS = frozenset({
    "gmail.com", "googlemail.com", "yahoo.com", "outlook.com", "hotmail.com", "live.com", "msn.com", "icloud.com",
    "me.com", "aol.com", "protonmail.com", "proton.me", "gmx.com", "gmx.de", "mail.com", "yandex.com",
    "zoho.com", "fastmail.com",
})
# Logo uploads (multipart or octet-stream bodies), on both APIs.
LOGO_PATH = re.compile(r"^/v1/organizations/[^/]+/logo/?$")
_DOMAIN_RE = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
_URL_OR_HTML = re.compile(r"(?i)(://|\bwww\.|<\s*/?\s*[a-z!][^>]*>)")


def is_logo_path(path: str) -> bool:
    """True for ``/v1/organizations/{id}/logo``, whose ``PUT`` takes a multipart ``file`` or an octet-stream body
    (``server.py`` must hand such bodies to the handler unparsed, as it does for ``/v1/me/profile_image``)."""
    return bool(LOGO_PATH.match(path))


# --- settings and access ------------------------------------------------------------------------------------

def settings(em: Instance) -> dict[str, Any]:
    return em.settings.organizations()


def require_enabled(em: Instance) -> None:
    if not settings(em)["enabled"]:
        raise ClerkError("organization_not_enabled_in_instance")


def find_org(em: Instance, ref: str) -> dict[str, Any] | None:
    try:
        return model.load_org(em.store, ref)
    except ClerkError:
        return None


def membership(em: Instance, org_id: str, user_id: str) -> dict[str, Any] | None:
    found = em.store.where("memberships", "org_id=? AND user_id=?", (org_id, user_id))
    return found[0] if found else None


def member_org(em: Instance, ref: str, user: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The organization ``ref`` and the user's membership of it; not a member is indistinguishable from a missing
    organization (``organization_not_found_or_unauthorized``)."""
    require_enabled(em)
    org = find_org(em, ref)
    mem = membership(em, org["id"], user["id"]) if org is not None else None
    if org is None or mem is None:
        raise ClerkError("organization_not_found_or_unauthorized")
    return org, mem


def require_permission(mem: dict[str, Any], *permissions: str) -> None:
    """Any one of ``permissions`` (a ``…:manage`` permission implies its ``…:read``), else 403."""
    held = org_roles.permissions_of(mem["role"])
    if not any(p in held for p in permissions):
        raise ClerkError("missing_organization_permission", extra_meta={"permissions": list(permissions)})


def require_role(role: Any) -> str:
    if not isinstance(role, str) or not role:
        raise ClerkError("form_param_missing", param="role")
    if role not in org_roles.roles():
        raise ClerkError("resource_not_found", "role", param="role",
                         long_suffix=f" ({role}; roles: {', '.join(org_roles.roles())}).")
    return role


def has_minimum(role: str) -> bool:
    held = org_roles.permissions_of(role)
    return all(p in held for p in org_roles.MINIMUM_PERMISSIONS)


def _keeps_a_manager(em: Instance, org_id: str, leaving: str) -> bool:
    """Whether a member other than ``leaving`` (a membership id) keeps the minimum permissions."""
    return any(m["id"] != leaving and has_minimum(m["role"]) for m in model.memberships_of_org(em.store, org_id))


def _check_minimum(em: Instance, mem: dict[str, Any], new_role: str | None) -> None:
    if has_minimum(mem["role"]) and (new_role is None or not has_minimum(new_role)) and not _keeps_a_manager(
            em, mem["org_id"], mem["id"]):
        raise ClerkError("organization_minimum_permissions_needed")


# --- validation ---------------------------------------------------------------------------------------------

def check_name(name: Any) -> str:
    if name is None or name == "":
        raise ClerkError("form_param_missing", param="name")
    if not isinstance(name, str):
        raise ClerkError("form_param_value_invalid", param="name", long_suffix=". It must be a string.")
    if not name.strip():
        raise ClerkError("form_param_value_invalid", "not_empty", param="name")
    if len(name) > MAX_NAME:
        raise ClerkError("form_param_value_invalid", "org_name", param="name",
                         fill={"%q": json.dumps(name[:40] + "…"), "name": f"longer than {MAX_NAME} characters"})
    if _URL_OR_HTML.search(name):
        raise ClerkError("form_param_value_invalid", "org_name", param="name",
                         fill={"%q": json.dumps(name), "name": "it may not contain URLs or HTML"})
    return name.strip()


def _apply_slug(em: Instance, org: dict[str, Any], slug: str | None, *, generated: bool) -> None:
    if slug is not None and not generated and settings(em)["slug"]["disabled"]:
        raise ClerkError("organization_slugs_disabled")
    if slug is None or slug == "":
        slug = slugify(org["name"]) + "-" + org["id"][-6:].lower()
    set_slug(em, org, slug)


def check_email(value: Any, param: str = "email_address") -> str:
    if value is None or value == "":
        raise ClerkError("form_param_missing", param=param)
    if not isinstance(value, str) or not model.EMAIL_RE.match(value):
        raise ClerkError("form_param_format_invalid", "email", param=param, fill={"parameter": param})
    return value


# --- organizations ------------------------------------------------------------------------------------------

def create_org(em: Instance, *, name: Any, slug: str | None, creator: dict[str, Any] | None, api: str,
               max_allowed: int | None = None, public: Any = None, private: Any = None) -> dict[str, Any]:
    """A new organization; ``creator`` becomes its first member with the instance's creator role."""
    require_enabled(em)
    name = check_name(name)
    conf = settings(em)
    if creator is not None and api == "fapi":
        if creator.get("create_organization_enabled") is False:
            raise ClerkError("user_create_organization_not_enabled")
        limit = creator.get("create_organizations_limit")
        made = [o for o in em.store.where("organizations", "json_extract(data, '$.created_by')=?",
                                          (creator["id"],))]
        if isinstance(limit, int) and limit > 0 and len(made) >= limit:  # 0 means no limit, as null
            raise ClerkError("org_creation_limit_exceeded")
    ts = now_ms()
    org: dict[str, Any] = {
        "id": new_id("org"), "name": name, "slug": "", "created_at": ts, "updated_at": ts,
        "public_metadata": public if public is not None else {},
        "private_metadata": private if private is not None else {},
        "max_allowed_memberships": conf["max_allowed_memberships"] if max_allowed is None else max_allowed,
        "admin_delete_enabled": conf["actions"]["admin_delete"],
        "created_by": creator["id"] if creator is not None else None, "image_id": None,
    }
    _apply_slug(em, org, slug, generated=False)
    em.store.put_org(org)
    if creator is not None:
        add_member(em, org, creator, conf["creator_role"], quota=False)
    return org


def save_org(em: Instance, org: dict[str, Any]) -> None:
    touch(org)
    em.store.put_org(org)


def update_slug(em: Instance, org: dict[str, Any], slug: Any) -> None:
    if not isinstance(slug, str) or not slug:
        raise ClerkError("form_param_value_invalid", "not_empty", param="slug")
    _apply_slug(em, org, slug, generated=False)


def delete_org(em: Instance, org: dict[str, Any]) -> None:
    """Remove the organization with its memberships, invitations, domains, requests, suggestions and logo;
    sessions that had it active lose it."""
    store = em.store
    users = [m["user_id"] for m in model.memberships_of_org(store, org["id"])]
    for table in ("org_domains", "org_requests", "org_suggestions"):
        store.db.execute(f"DELETE FROM {table} WHERE json_extract(data, '$.org_id')=?", (org["id"],))
    # Invitations are kept, marked, so that their tickets say "deleted organization" rather than "invalid".
    for inv in invitations(em, org["id"]):
        inv["org_deleted"] = True
        if inv["status"] == "pending":
            inv["status"] = "revoked"
        touch(inv)
        store.put_record("org_invitations", inv)
    if org.get("image_id"):
        store.drop_images(org["id"])
    store.drop_org(org["id"])
    for user_id in users:
        _memberships_changed(em, user_id, ended=org["id"])


def set_logo(em: Instance, org: dict[str, Any], name: str, kind: str, data: bytes) -> None:
    em.store.drop_images(org["id"])
    image_id = new_id("img")
    em.store.put_image(image_id, org["id"], name, kind, data)
    org["image_id"] = image_id
    save_org(em, org)


def remove_logo(em: Instance, org: dict[str, Any]) -> str | None:
    image_id = org.get("image_id")
    em.store.drop_images(org["id"])
    org["image_id"] = None
    save_org(em, org)
    return str(image_id) if image_id else None


# --- memberships --------------------------------------------------------------------------------------------

def _memberships_changed(em: Instance, user_id: str, *, ended: str | None = None) -> None:
    """After a membership of ``user_id`` changed: its sessions' remembered tokens carry stale ``o`` claims and
    are dropped; a session whose active organization was ``ended`` falls back to the personal account."""
    for sess in em.store.where("sessions", "user_id=?", (user_id,)):
        changed = sess.pop("_token", None) is not None
        if ended is not None and sess.get("last_active_organization_id") == ended:
            sess["last_active_organization_id"] = None
            touch(sess)
            changed = True
        if changed:
            em.store.put_session(sess)


def seats_taken(em: Instance, org: dict[str, Any]) -> int:
    """Members plus pending invitations: what ``max_allowed_memberships`` limits."""
    return model.members_count(em.store, org["id"]) + model.pending_invitations_count(em.store, org["id"])


def check_quota(em: Instance, org: dict[str, Any], adding: int = 1) -> None:
    limit = int(org.get("max_allowed_memberships") or 0)
    if limit and seats_taken(em, org) + adding > limit:
        err = ClerkError("organization_membership_quota_exceeded")
        err.fill["%d"] = str(limit)
        raise err


def identifier_of(user: dict[str, Any]) -> str:
    return model.primary_email(user) or user.get("username") or user["id"]


def add_member(em: Instance, org: dict[str, Any], user: dict[str, Any], role: str, *, public: Any = None,
               private: Any = None, quota: bool = True) -> dict[str, Any]:
    role = require_role(role)
    if membership(em, org["id"], user["id"]) is not None:
        raise ClerkError("already_a_member_in_organization", fill={"user": identifier_of(user)})
    if quota:
        check_quota(em, org)
    ts = now_ms()
    mem = {"id": new_id("orgmem"), "org_id": org["id"], "user_id": user["id"], "role": role,
           "public_metadata": public if public is not None else {},
           "private_metadata": private if private is not None else {}, "created_at": ts, "updated_at": ts}
    em.store.put_membership(mem)
    _memberships_changed(em, user["id"])
    return mem


def find_member(em: Instance, org: dict[str, Any], user_id: str) -> dict[str, Any]:
    mem = membership(em, org["id"], user_id)
    if mem is None:
        raise ClerkError("resource_not_found", long_suffix=f" {user_id} is not a member of {org['id']}.")
    return mem


def update_member(em: Instance, mem: dict[str, Any], role: Any, *, api: str) -> dict[str, Any]:
    role = require_role(role)
    if api == "fapi":
        _check_minimum(em, mem, role)
    mem["role"] = role
    touch(mem)
    em.store.put_membership(mem)
    _memberships_changed(em, mem["user_id"])
    return mem


def remove_member(em: Instance, mem: dict[str, Any], *, api: str) -> dict[str, Any]:
    if api == "fapi":
        _check_minimum(em, mem, None)
    em.store.delete("memberships", mem["id"])
    touch(mem)
    _memberships_changed(em, mem["user_id"], ended=mem["org_id"])
    return mem


def leave(em: Instance, org: dict[str, Any], mem: dict[str, Any]) -> None:
    """The user leaves: refused for the last manager, and under forced organization selection for the user's
    last organization."""
    if settings(em)["force_organization_selection"] and len(model.memberships_of_user(em.store,
                                                                                       mem["user_id"])) == 1:
        raise ClerkError("personal_accounts_not_allowed")
    remove_member(em, mem, api="fapi")


# --- invitations --------------------------------------------------------------------------------------------

def invitations(em: Instance, org_id: str) -> list[dict[str, Any]]:
    return model.org_invitations(em.store, org_id)


def invitation_json(em: Instance, inv: dict[str, Any], *, api: str, user_side: bool = False) -> dict[str, Any]:
    """``organization_invitation`` as FAPI (org side or, with ``user_side``, the invitee's) or BAPI shape it."""
    org = find_org(em, inv["org_id"])
    out: dict[str, Any] = {
        "object": "organization_invitation", "id": inv["id"], "email_address": inv["email_address"],
        "role": inv["role"], "role_name": org_roles.role_name(inv["role"]), "organization_id": inv["org_id"],
        "status": model.org_invitation_status(inv), "public_metadata": inv["public_metadata"], "url": inv["url"],
        "expires_at": inv["expires_at"], "created_at": inv["created_at"], "updated_at": inv["updated_at"],
    }
    if api == "fapi" and org is not None:
        out["public_organization_data"] = model.public_organization_data(org)
    if api == "bapi":
        inviter = em.store.get("users", inv["inviter_id"]) if inv.get("inviter_id") else None
        out["inviter_id"] = inv.get("inviter_id")
        out["public_inviter_data"] = None if inviter is None else {
            "user_id": inviter["id"], "first_name": inviter["first_name"], "last_name": inviter["last_name"],
            "image_url": model.user_image(inviter)[0], "has_image": model.user_image(inviter)[1],
            "identifier": identifier_of(inviter)}
        out["private_metadata"] = inv["private_metadata"]
        if user_side and org is not None:
            out["public_organization_data"] = model.public_organization_data(org)
    return out


def _member_by_email(em: Instance, org: dict[str, Any], email: str) -> dict[str, Any] | None:
    owner = em.store.identifier_owner(email)
    if owner is None or membership(em, org["id"], owner) is None:
        return None
    return em.store.get("users", owner)


def check_invitations(em: Instance, org: dict[str, Any], emails: list[str], *, bulk: bool) -> None:
    """Refuse invitations to members, duplicates of pending ones, and ones over the member limit."""
    for email in emails:
        member = _member_by_email(em, org, email)
        if member is not None:
            raise ClerkError("already_a_member_in_organization", fill={"user": email})
    pending = {i["email_address"].lower() for i in invitations(em, org["id"])
               if model.org_invitation_status(i) == "pending"}
    seen: set[str] = set()
    duplicates = []
    for email in emails:
        if email.lower() in pending or email.lower() in seen:
            duplicates.append(email)
        seen.add(email.lower())
    if duplicates and bulk:
        raise ClerkError("duplicate_record", "invitations", fill={"emails": ", ".join(duplicates)},
                         extra_meta={"email_addresses": duplicates})
    if duplicates:
        raise ClerkError("organization_invitation_not_unique")
    check_quota(em, org, adding=len(emails))


def create_invitation(em: Instance, org: dict[str, Any], *, email: str, role: str, inviter: dict[str, Any] | None,
                      public: Any = None, private: Any = None, redirect_url: str | None = None,
                      days: int = INVITATION_DAYS, notify: bool = True, domain_id: str | None = None,
                      ) -> dict[str, Any]:
    """Store one invitation (checked by :func:`check_invitations` first) with its ticket; e-mail it when
    ``notify``."""
    from .tickets import mint_ticket, ticket_url

    ts = now_ms()
    inv: dict[str, Any] = {
        "id": new_id("orginv"), "org_id": org["id"], "email_address": email, "role": role, "status": "pending",
        "public_metadata": public if public is not None else {},
        "private_metadata": private if private is not None else {},
        "inviter_id": inviter["id"] if inviter is not None else None, "redirect_url": redirect_url,
        "domain_id": domain_id, "accepted_user_id": None, "created_at": ts, "updated_at": ts,
    }
    token, exp = mint_ticket(em, sid=inv["id"], kind=ST_ORG_INVITATION, lifetime_s=days * 86400)
    inv.update(token=token, url=ticket_url(em, token), expires_at=exp * 1000)
    em.store.put_record("org_invitations", inv)
    if notify:
        who = f"{inviter['first_name']} ({identifier_of(inviter)})" if inviter and inviter.get("first_name") else (
            identifier_of(inviter) if inviter else "An administrator")
        subject = f"{who} invited you to join {org['name']}"
        outbox.send(em.store, to=email, channel="email", kind="organization_invitation", subject=subject,
                    body=f"{subject} as {org_roles.role_name(role)}. Open this link to accept the invitation "
                         f"(valid for {days} days):\n{inv['url']}", link=inv["url"])
    return inv


def load_invitation(em: Instance, org: dict[str, Any], inv_id: str) -> dict[str, Any]:
    inv = em.store.get("org_invitations", inv_id)
    if inv is None or inv["org_id"] != org["id"]:
        raise ClerkError("organization_invitation_not_found", fill={"invitationID": inv_id})
    return inv


def revoke_invitation(em: Instance, inv: dict[str, Any], *, requester: str | None = None) -> dict[str, Any]:
    if model.org_invitation_status(inv) != "pending":
        raise ClerkError("organization_invitation_not_pending")
    inv["status"] = "revoked"
    inv["revoked_by"] = requester
    touch(inv)
    em.store.put_record("org_invitations", inv)
    return inv


def verified_emails(user: dict[str, Any]) -> list[str]:
    return [e["email_address"] for e in user["email_addresses"]
            if (e.get("verification") or {}).get("status") == "verified"]


def invitations_for_user(em: Instance, user: dict[str, Any]) -> list[dict[str, Any]]:
    """Invitations addressed to one of the user's verified addresses, oldest first (not those of deleted
    organizations)."""
    addresses = [e.lower() for e in verified_emails(user)]
    if not addresses:
        return []
    marks = ",".join("?" * len(addresses))
    rows = em.store.where(
        "org_invitations", f"lower(json_extract(data, '$.email_address')) IN ({marks}) ORDER BY created_at, id",
        tuple(addresses))
    return [inv for inv in rows if not inv.get("org_deleted")]


def accept_invitation(em: Instance, inv: dict[str, Any], user: dict[str, Any], *, ticket: bool = False,
                      ) -> dict[str, Any]:
    """The user joins through the invitation: the membership gets the invitation's role and metadata. The
    invitation must be for one of the user's verified addresses and still pending."""
    if inv["email_address"].lower() not in {e.lower() for e in verified_emails(user)}:
        raise ClerkError("organization_invitation_not_found", fill={"invitationID": inv["id"]})
    org = find_org(em, inv["org_id"])
    if org is None or inv.get("org_deleted"):
        raise ClerkError("organization_invitation_to_deleted_organization")
    status = model.org_invitation_status(inv)
    if status != "pending":
        if ticket:
            raise ClerkError({"revoked": "organization_invitation_revoked_code",
                              "accepted": "organization_invitation_already_accepted"}.get(status,
                                                                                          "ticket_expired_code"))
        raise ClerkError("organization_invitation_not_pending")
    if membership(em, org["id"], user["id"]) is None:
        add_member(em, org, user, inv["role"] if inv["role"] in org_roles.roles() else settings(em)["domains"][
            "default_role"], public=inv["public_metadata"], private=inv["private_metadata"], quota=False)
    inv["status"] = "accepted"
    inv["accepted_user_id"] = user["id"]
    touch(inv)
    em.store.put_record("org_invitations", inv)
    return inv


# --- roles and creation defaults (domains, suggestions, requests: organization_domains_model.py) ---------------

def creation_defaults(em: Instance, user: dict[str, Any]) -> dict[str, Any]:
    """The clerk-js shape: ``form`` (name and slug to start from) and an ``advisory`` when an organization of the
    user's e-mail domain exists already."""
    email = model.primary_email(user) or ""
    host = email.rpartition("@")[2].lower()
    base = host.split(".")[0].capitalize() if host and host not in COMMON_DOMAINS else ""
    name = base or (f"{user['first_name']}'s Organization" if user.get("first_name") else "My Organization")
    advisory = None
    matches = [d for d in em.store.where("org_domains", "json_extract(data, '$.name')=?", (host,))
               if (d.get("affiliation") or {}).get("status") == "verified"]  # a verified domain
    existing = find_org(em, matches[0]["org_id"]) if matches else None
    if existing is not None:
        advisory = {"code": "organization_already_exists", "severity": "warning",
                    "meta": {"organization_name": existing["name"], "organization_domain": host}}
    return {"form": {"name": name, "slug": slugify(name), "logo": None, "blur_hash": None}, "advisory": advisory}
