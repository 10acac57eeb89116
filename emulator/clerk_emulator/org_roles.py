"""Organization roles and permissions of the running instance, from its settings (``organization_settings.roles``).

The instance's :class:`~clerk_emulator.settings.Settings` binds itself here when it is created, so that every
place rendering a membership (FAPI client JSON, BAPI memberships, session tokens) reads the same, current role
table without being handed the settings (one instance runs per process, as for ``model.IMAGE_URL``).

System permissions (``org:sys_*``) are Clerk's fixed set; any other key is a custom permission
``org:<feature>:<action>``. Only custom permissions go into session tokens.
"""

from __future__ import annotations

import hashlib
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .settings import Settings

__all__ = ["MINIMUM_PERMISSIONS", "SYSTEM_PERMISSIONS", "bind", "organization_settings", "permission_json",
           "permissions_of", "role_json", "role_name", "roles"]

#: Clerk's system permissions: key → (name, description).
SYSTEM_PERMISSIONS: dict[str, tuple[str, str]] = {
    "org:sys_profile:manage": ("Manage organization", "Permission to manage an organization."),
    "org:sys_profile:delete": ("Delete organization", "Permission to delete an organization."),
    "org:sys_memberships:read": ("Read members", "Permission to read the members of an organization."),
    "org:sys_memberships:manage": ("Manage members", "Permission to manage the members of an organization."),
    "org:sys_domains:read": ("Read domains", "Permission to read the domains of an organization."),
    "org:sys_domains:manage": ("Manage domains", "Permission to manage the domains of an organization."),
    "org:sys_billing:read": ("Read billing", "Permission to read the billing of an organization."),
    "org:sys_billing:manage": ("Manage billing", "Permission to manage the billing of an organization."),
}
#: What the creator role must hold, and what at least one member must keep (Clerk's "minimum permissions").
MINIMUM_PERMISSIONS = ("org:sys_memberships:manage", "org:sys_memberships:read", "org:sys_profile:delete")
# Role and permission objects carry timestamps; the table has none of its own, so they say when it was loaded.
_LOADED_AT = int(time.time() * 1000)
_bound: Settings | None = None


def bind(settings: Settings) -> None:
    """Make ``settings`` the source of the role table (called by ``Settings`` itself)."""
    global _bound
    _bound = settings


def organization_settings() -> dict[str, Any]:
    """The ``organization_settings`` in force (the defaults before any ``Settings`` exists)."""
    from .settings import DEFAULTS

    source = _bound.current if _bound is not None else DEFAULTS
    found: dict[str, Any] = source["organization_settings"]
    return found


def roles() -> dict[str, dict[str, Any]]:
    """Role key → ``{"name", "description", "permissions"}`` as the settings define them."""
    found: dict[str, dict[str, Any]] = organization_settings()["roles"]
    return found


def permissions_of(role: str) -> list[str]:
    """The permission keys of ``role`` (system and custom, in the settings' order); ``[]`` for an unknown role."""
    found = roles().get(role) or {}
    return list(found.get("permissions", []))


def role_name(role: str) -> str:
    """The role's display name (``org:billing_manager`` → ``Billing Manager`` unless the settings name it)."""
    found = roles().get(role) or {}
    name = found.get("name")
    return str(name) if name else role.split(":", 1)[-1].replace("_", " ").title()


def _id(prefix: str, key: str) -> str:
    # Stable across restarts: derived from the key.
    return prefix + "_" + hashlib.sha256(key.encode()).hexdigest()[:27]


def permission_json(key: str) -> dict[str, Any]:
    """A ``permission`` object (FAPI ``Client.Permission``)."""
    system = SYSTEM_PERMISSIONS.get(key)
    if system is not None:
        name, description = system
    else:
        parts = key.split(":")
        name = " ".join(p.replace("_", " ") for p in parts[1:]).capitalize() or key
        description = f"Custom permission {key}."
    return {"object": "permission", "id": _id("perm", key), "name": name, "key": key, "description": description,
            "type": "system" if key in SYSTEM_PERMISSIONS else "user", "created_at": _LOADED_AT,
            "updated_at": _LOADED_AT}


def role_json(key: str) -> dict[str, Any]:
    """A ``role`` object (FAPI ``Client.Role``) with its permissions."""
    found = roles().get(key) or {}
    perms = permissions_of(key)
    return {"object": "role", "id": _id("role", key), "name": role_name(key), "key": key,
            "description": str(found.get("description") or ""),
            "is_creator_eligible": all(p in perms for p in MINIMUM_PERMISSIONS),
            "permissions": [permission_json(p) for p in perms], "created_at": _LOADED_AT, "updated_at": _LOADED_AT}
