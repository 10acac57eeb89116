"""The outbox: every email and SMS the instance "sends" is recorded here instead of being delivered.

Readable as JSON at ``GET /__emulator/outbox`` (newest first) and as a page at ``/__emulator/outbox.html``.
One-time codes are random, except for Clerk's test identifiers (``…+clerk_test@…`` emails and
``+1 XXX 555-0100``–``0199`` numbers), which keep ``424242`` as on Clerk's development instances.
"""

from __future__ import annotations

import html
import re
import secrets
from typing import Any

from .store import Store, new_id, now_ms

__all__ = ["TEST_CODE", "is_test_identifier", "messages", "new_code", "outbox_html", "send"]

TEST_CODE = "424242"
# Clerk's reserved test numbers: +1 (XXX) 555-0100 to 555-0199, XXX a valid US area code.
_TEST_PHONE = re.compile(r"^\+1[2-9]\d{2}55501\d{2}$")


def is_test_identifier(value: str) -> bool:
    """True for Clerk's test email addresses and phone numbers (no message is needed to sign them in)."""
    local, _, domain = value.partition("@")
    if domain:
        return "+clerk_test" in local.lower()
    return bool(_TEST_PHONE.match(value))


def new_code(identifier: str) -> str:
    """A six-digit one-time code for ``identifier``: ``424242`` for test identifiers, random otherwise."""
    return TEST_CODE if is_test_identifier(identifier) else f"{secrets.randbelow(1_000_000):06d}"


def send(store: Store, *, to: str, channel: str, kind: str, subject: str, body: str,
         code: str | None = None, link: str | None = None) -> dict[str, Any]:
    """Record one message (``channel`` is ``email`` or ``sms``) in the current transaction."""
    message: dict[str, Any] = {
        "id": new_id("msg"), "to": to, "channel": channel, "kind": kind, "subject": subject, "body": body,
        "created_at": now_ms(),
    }
    if code is not None:
        message["code"] = code
    if link is not None:
        message["link"] = link
    store.put_record("outbox", message)
    return message


def messages(store: Store, *, to: str | None = None, kind: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
    """Recorded messages, newest first, optionally only those to ``to`` (case-insensitive) or of ``kind``."""
    rows = store.where("outbox", "1 ORDER BY created_at DESC, rowid DESC")
    out = [m for m in rows if (to is None or m["to"].lower() == to.lower()) and (kind is None or m["kind"] == kind)]
    return out[:limit]


def outbox_html(items: list[dict[str, Any]]) -> str:
    """The outbox as a small readable page (links are clickable, codes stand out)."""
    rows = []
    for m in items:
        extra = ""
        if m.get("code"):
            extra += f'<p>Code: <strong class="code">{html.escape(m["code"])}</strong></p>'
        if m.get("link"):
            url = html.escape(m["link"], quote=True)
            extra += f'<p><a class="link" href="{url}">{url}</a></p>'
        rows.append(
            f'<article><h2>{html.escape(m["subject"])}</h2>'
            f'<p class="meta">{html.escape(m["channel"])} to {html.escape(m["to"])} · {html.escape(m["kind"])}</p>'
            f'<pre>{html.escape(m["body"])}</pre>{extra}</article>'
        )
    body = "\n".join(rows) or "<p>No messages yet.</p>"
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Outbox · local Clerk instance</title>'
        "<style>body{font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem}"
        "article{border:1px solid #ccc;border-radius:8px;padding:0 1rem;margin:1rem 0}"
        ".meta{color:#555}pre{white-space:pre-wrap}.code{font-size:1.4em;letter-spacing:.1em}</style></head>"
        f"<body><h1>Outbox</h1><p>Emails and text messages the local Clerk instance would have sent, newest first."
        f"</p>{body}</body></html>"
    )
