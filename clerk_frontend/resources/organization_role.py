"""The roles of an organization's role set, and their permissions (read-only)."""

from __future__ import annotations

from datetime import datetime

from ..wire_organizations import PermissionJSON, RoleJSON
from ._base import Resource

__all__ = ["Permission", "Role"]


class Permission(Resource[PermissionJSON]):
    """A permission: ``key`` is ``org:sys_…`` (``type`` ``system``) or ``org:<feature>:<action>`` (``user``)."""

    _wire = PermissionJSON
    name: str
    key: str
    description: str
    type: str
    created_at: datetime | None
    updated_at: datetime | None


class Role(Resource[RoleJSON]):
    """A role members can be given (``key`` like ``org:admin``), with its :class:`Permission` list."""

    _wire = RoleJSON
    name: str
    key: str
    description: str
    is_creator_eligible: bool
    permissions: list[Permission]
    created_at: datetime | None
    updated_at: datetime | None

    _nested = ("permissions",)

    def _assign(self, data: RoleJSON, old: RoleJSON | None) -> bool:
        changed = super()._assign(data, old)
        return self._children("permissions", data.permissions, Permission) or changed
