"""Tickets: the signed JWTs behind sign-in tokens and invitations, and what the Frontend API does with them.

A ticket is an RS256 JWT signed with the instance key (``kid`` of ``/.well-known/jwks.json``) whose claims are
``{eis, exp, iid, sid, st}`` as in Clerk's: ``eis`` the lifetime in seconds, ``exp`` the expiry (Unix seconds),
``iid`` the instance id, ``sid`` the id of the record (``sit_…`` / ``inv_…``) and ``st`` its type
(``sign_in_token`` | ``invitation``). The record in the store decides the rest (pending, used, revoked).

The FAPI calls :func:`redeem_sign_in_ticket` for ``strategy=ticket`` sign-ins, :func:`invitation_for_ticket` when a
sign-up starts with a ticket and :func:`accept_invitation` when that sign-up creates its user. Every handler runs
inside one transaction, so a ticket marked used by a sign-in that fails afterwards is restored by the rollback.
"""

from __future__ import annotations

import base64
import binascii
import json
import time
from typing import TYPE_CHECKING, Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from . import model
from .crypto import sign_rs256
from .errors import ClerkError
from .store import now_ms, touch

if TYPE_CHECKING:
    from .context import Instance

__all__ = [
    "ST_INVITATION",
    "ST_ORG_INVITATION",
    "ST_SIGN_IN_TOKEN",
    "accept_invitation",
    "accept_sign_up_invitation",
    "checked_invitation",
    "checked_org_invitation",
    "checked_sign_in_token",
    "invitation_for_ticket",
    "invitation_status",
    "mint_ticket",
    "parse_ticket",
    "redeem_sign_in_ticket",
    "sign_in_ticket_organization",
    "ticket_url",
]

ST_SIGN_IN_TOKEN = "sign_in_token"
ST_INVITATION = "invitation"
ST_ORG_INVITATION = "organization_invitation"
_MAX_TICKET_CHARS = 8192  # far above any ticket the instance mints; longer input is not worth decoding


def mint_ticket(em: Instance, *, sid: str, kind: str, lifetime_s: int) -> tuple[str, int]:
    """A new ticket for record ``sid`` of type ``kind``; returns it and its expiry in Unix seconds."""
    exp = int(time.time()) + lifetime_s
    claims = {"eis": lifetime_s, "exp": exp, "iid": em.store.instance_id, "sid": sid, "st": kind}
    return sign_rs256(em.store.signing_key, em.store.kid, claims), exp


def ticket_url(em: Instance, ticket: str) -> str:
    """Where the ticket is opened: ``<fapi>/v1/tickets/accept?ticket=<JWT>`` (JWTs need no escaping)."""
    return f"{em.fapi_url}/v1/tickets/accept?ticket={ticket}"


def _b64decode(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def parse_ticket(em: Instance, ticket: str | None) -> dict[str, Any]:
    """The claims of a ticket this instance signed: ``ticket_invalid_code`` for anything garbled, signed by
    another key or instance, or of an unknown type; ``ticket_expired_code`` once ``exp`` has passed."""
    invalid = ClerkError("ticket_invalid_code")
    if not ticket or len(ticket) > _MAX_TICKET_CHARS or not ticket.isascii():
        raise invalid
    parts = ticket.split(".")
    if len(parts) != 3:
        raise invalid
    try:
        header = json.loads(_b64decode(parts[0]))
        claims = json.loads(_b64decode(parts[1]))
        signature = _b64decode(parts[2])
    except (ValueError, binascii.Error):
        raise invalid from None
    if (not isinstance(header, dict) or header.get("alg") != "RS256" or header.get("kid") != em.store.kid
            or not isinstance(claims, dict)):
        raise invalid
    try:
        em.store.signing_key.public_key().verify(
            signature, f"{parts[0]}.{parts[1]}".encode(), padding.PKCS1v15(), hashes.SHA256()
        )
    except InvalidSignature:
        raise invalid from None
    exp = claims.get("exp")
    if (claims.get("iid") != em.store.instance_id
            or claims.get("st") not in (ST_SIGN_IN_TOKEN, ST_INVITATION, ST_ORG_INVITATION)
            or not isinstance(claims.get("sid"), str) or not isinstance(exp, int) or isinstance(exp, bool)):
        raise invalid
    if time.time() >= exp:
        raise ClerkError("ticket_expired_code")
    return claims


def invitation_status(invitation: dict[str, Any]) -> str:
    """``pending`` | ``accepted`` | ``revoked`` | ``expired`` (a pending invitation past ``expires_at``)."""
    status = str(invitation["status"])
    if status == "pending" and invitation["expires_at"] <= now_ms():
        return "expired"
    return status


def checked_sign_in_token(em: Instance, claims: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The sign-in token record of valid ``sign_in_token`` claims and its user, if still usable (not accepted)."""
    record = em.store.get("sign_in_tokens", claims["sid"])
    if record is None:
        raise ClerkError("ticket_invalid_code")
    if record["status"] == "revoked":
        raise ClerkError("sign_in_token_revoked_code")
    if record["status"] == "accepted":
        raise ClerkError("sign_in_token_already_used_code")
    user = em.store.get("users", record["user_id"])
    if user is None:  # the user was deleted after the token was made
        raise ClerkError("ticket_invalid_code")
    return record, user


def checked_invitation(em: Instance, claims: dict[str, Any]) -> dict[str, Any]:
    """The invitation of valid ``invitation`` claims, if still pending. A missing record means it was removed,
    which Clerk's catalogue reports as ``revoked_invitation``."""
    invitation = em.store.get("invitations", claims["sid"])
    if invitation is None:
        raise ClerkError("revoked_invitation")
    _check_pending(invitation)
    return invitation


def _check_pending(invitation: dict[str, Any]) -> None:
    status = invitation_status(invitation)
    if status == "revoked":
        raise ClerkError("revoked_invitation")
    if status == "accepted":
        raise ClerkError("invitation_already_accepted")
    if status == "expired":
        raise ClerkError("ticket_expired_code")


def _mark_accepted(em: Instance, invitation: dict[str, Any], user_id: str) -> None:
    invitation["status"] = "accepted"
    invitation["accepted_user_id"] = user_id
    touch(invitation)
    em.store.put_record("invitations", invitation)


def checked_org_invitation(em: Instance, claims: dict[str, Any]) -> dict[str, Any]:
    """The organization invitation of valid ``organization_invitation`` claims, if still pending (and its
    organization still there)."""
    invitation = em.store.get("org_invitations", claims["sid"])
    if invitation is None:
        raise ClerkError("ticket_invalid_code")
    if invitation.get("org_deleted"):
        raise ClerkError("organization_invitation_to_deleted_organization")
    status = model.org_invitation_status(invitation)
    if status != "pending":
        raise ClerkError({"revoked": "organization_invitation_revoked_code",
                          "accepted": "organization_invitation_already_accepted"}.get(status, "ticket_expired_code"))
    return invitation


def redeem_sign_in_ticket(em: Instance, ticket: str) -> dict[str, Any]:
    """Use a ticket to sign in; returns the user document.

    A sign-in token is marked ``accepted`` (single use). An invitation ticket whose email address already
    belongs to a user signs that user in and accepts the invitation (Clerk's invitation link sends existing
    accounts to sign-in); with no such user it is ``invitation_account_not_exists``. An organization invitation
    ticket does the same and makes the user a member.
    """
    claims = parse_ticket(em, ticket)
    if claims["st"] == ST_ORG_INVITATION:
        from . import organizations_model

        org_invitation = checked_org_invitation(em, claims)
        owner = em.store.identifier_owner(org_invitation["email_address"])
        if owner is None:
            raise ClerkError("invitation_account_not_exists")
        user = model.load_user(em.store, owner)
        organizations_model.accept_invitation(em, org_invitation, user, ticket=True)
        return user
    if claims["st"] == ST_INVITATION:
        invitation = checked_invitation(em, claims)
        owner = em.store.identifier_owner(invitation["email_address"])
        if owner is None:
            raise ClerkError("invitation_account_not_exists")
        user = model.load_user(em.store, owner)
        _mark_accepted(em, invitation, owner)
        return user
    record, user = checked_sign_in_token(em, claims)
    record["status"] = "accepted"
    touch(record)
    em.store.put_record("sign_in_tokens", record)
    return user


def sign_in_ticket_organization(em: Instance, ticket: str) -> str | None:
    """The organization a sign-in token asks to activate (``org_id`` at creation), if the user is still a
    member; ``None`` otherwise. Call it after :func:`redeem_sign_in_ticket` (it does not check the status)."""
    try:
        claims = parse_ticket(em, ticket)
    except ClerkError:
        return None
    if claims["st"] == ST_ORG_INVITATION:  # the organization the invitation made the user a member of
        invitation = em.store.get("org_invitations", claims["sid"])
        if invitation is None or not invitation.get("accepted_user_id"):
            return None
        record: dict[str, Any] | None = {"org_id": invitation["org_id"], "user_id": invitation["accepted_user_id"]}
    else:
        record = em.store.get("sign_in_tokens", claims["sid"]) if claims["st"] == ST_SIGN_IN_TOKEN else None
    if record is None or not record.get("org_id"):
        return None
    org_id = str(record["org_id"])
    if not em.store.where("memberships", "org_id=? AND user_id=?", (org_id, record["user_id"])):
        return None
    return org_id


def invitation_for_ticket(em: Instance, ticket: str) -> dict[str, Any]:
    """The pending invitation a sign-up ticket stands for, without accepting it.

    Errors: ``ticket_invalid_code`` / ``ticket_expired_code``, ``sign_in_token_not_in_sign_in_code`` for a
    sign-in token, ``revoked_invitation``, ``invitation_already_accepted``, and ``invitation_account_exists``
    when a user already has the invited email address.
    """
    claims = parse_ticket(em, ticket)
    if claims["st"] == ST_SIGN_IN_TOKEN:
        raise ClerkError("sign_in_token_not_in_sign_in_code")
    if claims["st"] == ST_ORG_INVITATION:
        org_invitation = checked_org_invitation(em, claims)
        if em.store.identifier_owner(org_invitation["email_address"]) is not None:
            raise ClerkError("invitation_account_exists")
        # Its public metadata belongs to the membership, not to the user: accept_sign_up_invitation copies it.
        return {"id": org_invitation["id"], "email_address": org_invitation["email_address"], "public_metadata": {}}
    invitation = checked_invitation(em, claims)
    if em.store.identifier_owner(invitation["email_address"]) is not None:
        raise ClerkError("invitation_account_exists")
    return invitation


def accept_invitation(em: Instance, invitation: dict[str, Any], user_id: str) -> None:
    """Mark an invitation accepted by ``user_id`` (when the sign-up that used it creates the user). Re-read
    and re-checked: it may have been revoked or used by another sign-up since the sign-up started."""
    current = em.store.get("invitations", invitation["id"])
    if current is None:
        raise ClerkError("revoked_invitation")
    _check_pending(current)
    _mark_accepted(em, current, user_id)


def accept_sign_up_invitation(em: Instance, invitation_id: str, user_id: str) -> None:
    """Accept the invitation a ticket sign-up started with, once the sign-up has created its user: an instance
    invitation (``inv_…``) is marked accepted; an organization invitation (``orginv_…``) also makes the user a
    member with the invitation's role and metadata. Re-checked here: it may have been revoked since."""
    if invitation_id.startswith("orginv_"):
        from . import organizations_model

        org_invitation = em.store.get("org_invitations", invitation_id)
        if org_invitation is None or org_invitation.get("org_deleted"):
            raise ClerkError("organization_invitation_to_deleted_organization")
        organizations_model.accept_invitation(em, org_invitation, model.load_user(em.store, user_id), ticket=True)
        return
    invitation = em.store.get("invitations", invitation_id)
    if invitation is not None:
        accept_invitation(em, invitation, user_id)
