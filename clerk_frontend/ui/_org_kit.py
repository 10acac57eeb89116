"""What the organization components share: an organization's logo (or initial), a row showing an organization or
the personal account, the instance's organization settings and the active member's permissions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._user import avatar

if TYPE_CHECKING:
    from ._component import Component

__all__ = ["can", "org_avatar", "org_settings", "preview", "select_org"]


def org_settings(view: Component) -> dict[str, Any]:
    """``environment["organization_settings"]`` (empty when absent)."""
    return dict((view.clerk.environment or {}).get("organization_settings") or {})


def can(view: Component, permission: str) -> bool:
    """Whether the member may ``permission`` in the active organization (``"memberships:manage"`` ->
    ``org:sys_memberships:manage``): only what the server would allow is offered."""
    return bool(view.clerk.has(permission=f"org:sys_{permission}"))


def org_avatar(view: Component, org: Any) -> Any:
    """The organization's uploaded logo, else its initial; decorative."""
    box = view.el("span", "organizationAvatarBox", cls="cl-avatarBox cl-orgAvatar", aria_hidden="true")
    if getattr(org, "has_image", False) and getattr(org, "image_url", None):
        box.append(view.el("img", "avatarImage", src=org.image_url, alt=""))
    else:
        box.setAttribute("data-initials", (getattr(org, "name", None) or "?")[:1].upper())
    return box


def preview(view: Component, org: Any, secondary: str | None = None) -> Any:
    """A row: the organization's logo and name (``org`` None: the user's avatar and "Personal account")."""
    if org is None:
        picture, name = avatar(view, view.clerk.user), view.t("organizationSwitcher.personalWorkspace")
    else:
        picture, name = org_avatar(view, org), str(org.name)
    text = view.el("span", "organizationPreviewTextContainer",
                   view.el("span", "organizationPreviewMainIdentifier", text=name))
    if secondary:
        text.append(view.el("span", "organizationPreviewSecondaryIdentifier", text=secondary))
    return view.el("span", "organizationPreview", picture, text)


async def select_org(view: Component, org_id: str | None, url_option: str) -> None:
    """Make ``org_id`` (None: the personal account) active, say so, then go to the option's URL if given."""
    await view.clerk.set_active(organization=org_id)
    org = view.clerk.organization
    view.announce(view.t("organizationSwitcher.selected", name=org.name if org is not None else view.t(
        "organizationSwitcher.personalWorkspace")))
    url = view.link_url(url_option, "")
    if url:
        await view.go(url.replace(":slug", str(getattr(org, "slug", "") or "")).replace(":id", org_id or ""))
