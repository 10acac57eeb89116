"""Organization slugs, shared by both APIs."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from .errors import ClerkError

if TYPE_CHECKING:
    from .context import Instance


def set_slug(em: Instance, org: dict[str, Any], slug: str) -> None:
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", slug):
        raise ClerkError("form_param_format_invalid", param="slug",
                         long_suffix=" Use lowercase letters, digits, '-' and '_'.")
    owner = em.store.where("organizations", "slug=?", (slug,))
    if owner and owner[0]["id"] != org["id"]:
        raise ClerkError("form_identifier_exists", param="slug", fill={"param": "slug"})
    org["slug"] = slug



def slugify(name: str) -> str:
    out = "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-")
    return out or "org"

