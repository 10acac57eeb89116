"""What the instance "sends": one-time codes and email links, recorded in the outbox (``outbox.py``)."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any

from . import attempts, outbox
from .store import now_ms

if TYPE_CHECKING:
    from .context import Instance

_SUBJECTS = {
    "sign_in": ("sign-in", "sign in"),
    "sign_up": ("sign-up", "finish signing up"),
    "verification": ("verification", "verify this email address"),
    "reset_password": ("password reset", "reset your password"),
    "second_factor": ("two-step verification", "finish signing in"),
    "reverification": ("verification", "confirm it is you"),
}


def send_code(em: Instance, *, to: str, purpose: str, strategy: str) -> dict[str, Any]:
    """Send a one-time code to ``to`` (an email address, or a phone number by SMS) and return the unverified
    verification that holds it. ``purpose`` is ``sign_in`` | ``sign_up`` | ``verification`` | ``reset_password`` |
    ``second_factor`` (a second factor or a new device's check at sign-in) | ``reverification``; the outbox kind is
    ``<purpose>_code``."""
    code = outbox.new_code(to)
    sms = "@" not in to
    label, _ = _SUBJECTS[purpose]
    outbox.send(em.store, to=to, channel="sms" if sms else "email", kind=f"{purpose}_code",
                subject=f"{code} is your {label} code",
                body=f"{code} is your {label} code for the local Clerk instance. It expires in 10 minutes.",
                code=code)
    return attempts.otp(strategy, code, channel="sms" if sms else None)


def send_link(em: Instance, *, to: str, purpose: str, owner_id: str, client_id: str, redirect_url: str | None,
              email_id: str | None = None, user_id: str | None = None) -> dict[str, Any]:
    """Email a verification link (``GET /v1/verify?token=…``) and return the unverified ``email_link``
    verification; the token remembers what it verifies and where the browser goes afterwards."""
    token = secrets.token_urlsafe(32)
    expire_at = now_ms() + attempts.OTP_LIFETIME_MS
    em.store.put_record("link_tokens", {
        "id": token, "created_at": now_ms(), "expire_at": expire_at, "purpose": purpose, "owner_id": owner_id,
        "client_id": client_id, "redirect_url": redirect_url, "email_id": email_id, "user_id": user_id,
        "used": False,
    })
    link = f"{em.fapi_url}/v1/verify?token={token}"
    _, action = _SUBJECTS[purpose]
    outbox.send(em.store, to=to, channel="email", kind=f"{purpose}_link", subject=f"Your link to {action}",
                body=f"Open this link to {action} on the local Clerk instance (valid for 10 minutes):\n{link}",
                link=link)
    return {"object": "verification_email_link", "status": "unverified", "strategy": "email_link",
            "attempts": None, "expire_at": expire_at, "_token": token}
