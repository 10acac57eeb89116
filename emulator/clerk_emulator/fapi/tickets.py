"""Opening a ticket link: ``GET /v1/tickets/accept?ticket=…`` (the ``url`` of sign-in tokens and invitations,
organization invitations included).

A usable ticket is answered with a 303 to the page that finishes the flow, with ``__clerk_ticket=<ticket>`` and
``__clerk_status`` appended: an invitation goes to its ``redirect_url``, else to the instance's sign-up page
(``display_config.sign_up_url``), or to the sign-in page with ``__clerk_status=sign_in`` when its email address
already has an account; a sign-in token goes to the sign-in page with ``__clerk_status=sign_in``. Nothing is
consumed here: the ticket is used by the sign-in or sign-up that page starts. A ticket that cannot be used is
answered with Clerk's error (Clerk documents no redirect for it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ..environment import environment
from ..errors import ClerkError
from ..http import Ctx, Reply
from ..tickets import (
    ST_INVITATION,
    ST_ORG_INVITATION,
    checked_invitation,
    checked_org_invitation,
    checked_sign_in_token,
    parse_ticket,
)
from .common import F, router

if TYPE_CHECKING:
    from ..context import Instance


def with_params(url: str, params: dict[str, str]) -> str:
    """``url`` with ``params`` set in its query (replacing any of the same name; other parameters kept)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in params]
    return urlunsplit(parts._replace(query=urlencode([*query, *params.items()])))


@router.add(F, "GET", "/v1/tickets/accept")
def accept_ticket(em: Instance, ctx: Ctx) -> Any:
    ticket = ctx.query.get("ticket")
    if not ticket:
        raise ClerkError("form_param_missing", param="ticket")
    claims = parse_ticket(em, ticket)
    home = ctx.request.headers.get("Origin") or em.fapi_url
    pages = environment(em.store.instance_id, home, em.settings)["display_config"]
    if claims["st"] in (ST_INVITATION, ST_ORG_INVITATION):
        invitation = checked_invitation(em, claims) if claims["st"] == ST_INVITATION else checked_org_invitation(
            em, claims)
        status = "sign_in" if em.store.identifier_owner(invitation["email_address"]) else "sign_up"
        target = invitation.get("redirect_url") or pages[f"{status}_url"]
    else:
        checked_sign_in_token(em, claims)
        status, target = "sign_in", pages["sign_in_url"]
    return Reply.redirect(with_params(target, {"__clerk_ticket": ticket, "__clerk_status": status}))
