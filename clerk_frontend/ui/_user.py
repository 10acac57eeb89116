"""What the components show of a user: the avatar (an uploaded image, else initials) and the identifier."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._component import Component

__all__ = ["avatar", "initials", "user_identifier"]


def initials(user: Any) -> str:
    """One or two letters for an avatar without an image."""
    names = [n for n in (getattr(user, "first_name", None), getattr(user, "last_name", None)) if n]
    if names:
        return "".join(n[0] for n in names).upper()
    email = getattr(getattr(user, "primary_email_address", None), "email_address", None)
    name = getattr(user, "username", None) or email or "?"
    return str(name)[:1].upper()


def avatar(view: Component, user: Any, key: str = "avatarBox") -> Any:
    """The user's image (only an uploaded one, ``has_image``), else initials; decorative (``aria-hidden``)."""
    box = view.el("span", key, cls="cl-avatarBox" if key != "avatarBox" else None, aria_hidden="true")
    raw = getattr(user, "raw", None)
    url = getattr(user, "image_url", None)
    if url and getattr(raw, "has_image", False):
        box.append(view.el("img", "avatarImage", src=url, alt=""))
    else:
        # Drawn by the stylesheet from the attribute: not text of the button, whose name is its aria-label.
        box.setAttribute("data-initials", initials(user))
    return box


def user_identifier(user: Any) -> str:
    """What the components call a user: the primary email, else phone, username or name."""
    email = getattr(user.primary_email_address, "email_address", None) if user is not None else None
    phone = getattr(user.primary_phone_number, "phone_number", None) if user is not None else None
    return str(email or phone or (user.username if user is not None else None) or (
        user.full_name if user is not None else None) or "")
