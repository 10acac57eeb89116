"""Tickets over real HTTP: sign-in tokens and invitations on the Backend API, the ticket link
(``GET /v1/tickets/accept``), ticket sign-in and sign-up on the Frontend API, and Clerk's official backend
clients against these routes. Every response is checked against the 2026-05-12 OpenAPI files."""

from __future__ import annotations

import base64
import json
import os
import secrets
import sqlite3
import subprocess
import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import clerk_openapi
import httpx
import pytest
from clerk_emulator.kit import LocalProcess
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from emu_support import PASSWORD, Bapi, Fapi, email_of

pytestmark = pytest.mark.emulator

NODE_DIR = Path(__file__).resolve().parent / "node"


# --- helpers ----------------------------------------------------------------------------------------
def new_email(tag: str) -> str:
    return f"{tag}-{secrets.token_hex(4)}+clerk_test@example.com"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def jwt_parts(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    head, body, _sig = token.split(".")
    return json.loads(unb64(head)), json.loads(unb64(body))


def sign(key: rsa.RSAPrivateKey, kid: str, claims: dict[str, Any]) -> str:
    head = b64url(json.dumps({"alg": "RS256", "kid": kid, "typ": "JWT"}).encode())
    body = b64url(json.dumps(claims).encode())
    sig = key.sign(f"{head}.{body}".encode(), padding.PKCS1v15(), hashes.SHA256())
    return f"{head}.{body}.{b64url(sig)}"


def db(emu: LocalProcess) -> sqlite3.Connection:
    return sqlite3.connect(emu.data_dir / "clerk-emulator.sqlite3", timeout=10)


def instance_key(emu: LocalProcess) -> tuple[rsa.RSAPrivateKey, str, str]:
    """The instance's signing key, kid and instance id, read from its data folder (to craft tickets that only
    the instance itself could have signed)."""
    with db(emu) as conn:
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
    key = serialization.load_pem_private_key(meta["signing_key_pem"].encode(), password=None)
    assert isinstance(key, rsa.RSAPrivateKey)
    return key, meta["signing_kid"], meta["instance_id"]


def age_record(emu: LocalProcess, table: str, record_id: str, **changes: Any) -> None:
    """Rewrite fields of a stored record: the only way to have an invitation expire without waiting a day."""
    with db(emu) as conn:
        row = conn.execute(f"SELECT data FROM {table} WHERE id=?", (record_id,)).fetchone()
        data = json.loads(row[0])
        data.update(changes)
        conn.execute(f"UPDATE {table} SET data=? WHERE id=?", (json.dumps(data), record_id))


def verify_with_jwks(emu: LocalProcess, token: str) -> None:
    jwk = httpx.get(emu.fapi_url + "/.well-known/jwks.json").json()["keys"][0]
    head, body, sig = token.split(".")
    assert json.loads(unb64(head))["kid"] == jwk["kid"]
    public = rsa.RSAPublicNumbers(int.from_bytes(unb64(jwk["e"]), "big"),
                                  int.from_bytes(unb64(jwk["n"]), "big")).public_key()
    public.verify(unb64(sig), f"{head}.{body}".encode(), padding.PKCS1v15(), hashes.SHA256())


def outbox(emu: LocalProcess, to: str) -> list[dict[str, Any]]:
    r = httpx.get(emu.fapi_url + "/__emulator/outbox", params={"to": to})
    assert r.status_code == 200
    return list(r.json()["data"])


def sign_in_token(bapi: Bapi, user_id: str, **extra: Any) -> dict[str, Any]:
    r = bapi.call("POST", "/sign_in_tokens", {"user_id": user_id, **extra})
    assert r.status == 200, r
    return dict(r.json)


def invite(bapi: Bapi, email: str, **extra: Any) -> dict[str, Any]:
    r = bapi.call("POST", "/invitations", {"email_address": email, **extra})
    assert r.status == 200, r
    return dict(r.json)


def ticket_of(record: dict[str, Any]) -> str:
    return parse_qs(urlsplit(record["url"]).query)["ticket"][0]


def accept(fapi: Fapi, ticket: str | None) -> tuple[Any, dict[str, list[str]], str]:
    """``GET /v1/tickets/accept``: the reply, the query of its Location and the Location without its query."""
    r = fapi.call("GET", "/v1/tickets/accept", params={} if ticket is None else {"ticket": ticket})
    location = r.headers.get("location") or ""
    parts = urlsplit(location)
    return r, parse_qs(parts.query), location.split("?")[0]


def error_code(r: Any, status: int) -> str:
    assert r.status == status, r
    return str(r.error()["code"])


def list_invitations(bapi: Bapi, **params: Any) -> Any:
    r = bapi.call("GET", "/invitations", params=params, validate="paginated" not in params)
    assert r.status == 200, r
    if "paginated" in params:  # {data, total_count}: the spec documents only the array; check each item
        for item in r.json["data"]:
            clerk_openapi.validate("bapi", "POST", "/invitations", 200, item)
    return r.json


# --- sign-in tokens on the Backend API ----------------------------------------------------------------
def test_sign_in_token_is_a_signed_ticket_with_its_accept_url(emu: LocalProcess, bapi: Bapi,
                                                              user: dict[str, Any]) -> None:
    before = int(time.time())
    tok = sign_in_token(bapi, user["id"])
    assert tok["object"] == "sign_in_token" and tok["id"].startswith("sit_")
    assert (tok["status"], tok["user_id"]) == ("pending", user["id"])
    assert tok["url"] == f"{emu.fapi_url}/v1/tickets/accept?ticket={tok['token']}"
    header, claims = jwt_parts(tok["token"])
    assert header["alg"] == "RS256"
    assert set(claims) == {"eis", "exp", "iid", "sid", "st"}
    assert (claims["sid"], claims["st"], claims["eis"]) == (tok["id"], "sign_in_token", 30 * 24 * 3600)
    assert claims["iid"].startswith("ins_")
    assert before + 2592000 <= claims["exp"] <= int(time.time()) + 2592000
    verify_with_jwks(emu, tok["token"])
    short = sign_in_token(bapi, user["id"], expires_in_seconds=120)
    assert jwt_parts(short["token"])[1]["eis"] == 120


@pytest.mark.parametrize(("body", "status", "code", "param"), [
    ({"user_id": None}, 422, "form_param_missing", "user_id"),
    ({"user_id": ""}, 422, "form_param_missing", "user_id"),
    ({"user_id": 5}, 422, "form_param_value_invalid", "user_id"),
    ({"user_id": "user_missing"}, 404, "resource_not_found", None),
    ({"expires_in_seconds": 0}, 422, "form_param_value_invalid", "expires_in_seconds"),
    ({"expires_in_seconds": "60"}, 422, "form_param_value_invalid", "expires_in_seconds"),
    ({"expires_in_seconds": True}, 422, "form_param_value_invalid", "expires_in_seconds"),
    ({"org_id": "org_missing"}, 404, "resource_not_found", None),
    ({"ticket": "x"}, 422, "form_param_unknown", "ticket"),
])
def test_sign_in_token_bad_input(bapi: Bapi, user: dict[str, Any], body: dict[str, Any], status: int, code: str,
                                 param: str | None) -> None:
    r = bapi.call("POST", "/sign_in_tokens", {"user_id": user["id"], **body})
    assert error_code(r, status) == code
    assert r.error().get("meta", {}).get("param_name") == param


def test_sign_in_token_org_must_be_a_membership(bapi: Bapi, user: dict[str, Any]) -> None:
    other = bapi.create_user()
    org = bapi.call("POST", "/organizations", {"name": "Ticket Org", "created_by": other["id"]}).json
    r = bapi.call("POST", "/sign_in_tokens", {"user_id": user["id"], "org_id": org["id"]})
    assert error_code(r, 422) == "form_param_value_invalid" and r.error()["meta"]["param_name"] == "org_id"
    assert sign_in_token(bapi, other["id"], org_id=org["id"])["status"] == "pending"


def test_sign_in_token_revoke(bapi: Bapi, user: dict[str, Any]) -> None:
    tok = sign_in_token(bapi, user["id"])
    r = bapi.call("POST", f"/sign_in_tokens/{tok['id']}/revoke")
    assert r.status == 200, r
    assert r.json["status"] == "revoked" and r.json["id"] == tok["id"] and r.json["updated_at"] > tok["updated_at"]
    again = bapi.call("POST", f"/sign_in_tokens/{tok['id']}/revoke")
    assert error_code(again, 400) == "sign_in_token_cannot_be_revoked_code"
    assert again.error()["long_message"] == ("Sign in token cannot be revoked because its status is revoked. "
                                             "Only pending tokens can be revoked.")
    missing = bapi.call("POST", "/sign_in_tokens/sit_missing/revoke")
    assert error_code(missing, 404) == "resource_not_found"


# --- the ticket link ------------------------------------------------------------------------------------
def test_accept_sign_in_token_redirects_to_sign_in(emu: LocalProcess, bapi: Bapi, fapi: Fapi,
                                                   user: dict[str, Any]) -> None:
    tok = sign_in_token(bapi, user["id"])
    r, query, target = accept(fapi, tok["token"])
    assert r.status == 303, r
    assert target == emu.fapi_url + "/sign-in"
    assert query == {"__clerk_ticket": [tok["token"]], "__clerk_status": ["sign_in"]}
    r2, _, _ = accept(fapi, tok["token"])  # opening the link uses nothing up
    assert r2.status == 303


def test_accept_refuses_unusable_tickets(emu: LocalProcess, bapi: Bapi, fapi: Fapi,
                                         user: dict[str, Any]) -> None:
    tok = sign_in_token(bapi, user["id"])
    bapi.call("POST", f"/sign_in_tokens/{tok['id']}/revoke")
    r, _, _ = accept(fapi, tok["token"])
    assert error_code(r, 400) == "sign_in_token_revoked_code"
    assert r.error()["long_message"] == "This sign in token has been revoked and cannot be used anymore."
    assert "location" not in r.headers
    for garbled in ("abc", "a.b.c", tok["token"][:-4] + "AAAA", tok["token"] + "x", "é.é.é"):
        r, _, _ = accept(fapi, garbled)
        assert error_code(r, 400) == "ticket_invalid_code", garbled
    r, _, _ = accept(fapi, None)
    assert error_code(r, 422) == "form_param_missing" and r.error()["meta"]["param_name"] == "ticket"


def test_ticket_signed_by_another_key_is_invalid(bapi: Bapi, fapi: Fapi, user: dict[str, Any]) -> None:
    tok = sign_in_token(bapi, user["id"])
    header, claims = jwt_parts(tok["token"])
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    for forged_claims in (claims, {**claims, "exp": int(time.time()) - 60}):
        forged = sign(stranger, header["kid"], forged_claims)
        r, _, _ = accept(fapi, forged)
        assert error_code(r, 400) == "ticket_invalid_code"  # the signature is checked before the expiry


def test_ticket_claims_are_checked(emu: LocalProcess, bapi: Bapi, fapi: Fapi, user: dict[str, Any]) -> None:
    key, kid, iid = instance_key(emu)
    tok = sign_in_token(bapi, user["id"])
    _header, claims = jwt_parts(tok["token"])
    cases = [
        ({**claims, "iid": "ins_other"}, "ticket_invalid_code"),
        ({**claims, "st": "organization_invitation"}, "ticket_invalid_code"),
        ({**claims, "sid": "sit_unknown"}, "ticket_invalid_code"),
        ({k: v for k, v in claims.items() if k != "exp"}, "ticket_invalid_code"),
        ({**claims, "exp": int(time.time()) - 1}, "ticket_expired_code"),
        ({**claims, "sid": "inv_unknown", "st": "invitation"}, "revoked_invitation"),
    ]
    for forged_claims, code in cases:
        r, _, _ = accept(fapi, sign(key, kid, forged_claims))
        assert error_code(r, 400) == code, forged_claims
    assert claims["iid"] == iid
    r, _, _ = accept(fapi, sign(key, "ins_kother", claims))
    assert error_code(r, 400) == "ticket_invalid_code"


def test_sign_in_token_expires(bapi: Bapi, fapi: Fapi, user: dict[str, Any]) -> None:
    tok = sign_in_token(bapi, user["id"], expires_in_seconds=1)
    exp = jwt_parts(tok["token"])[1]["exp"]
    time.sleep(max(0.0, exp - time.time()) + 0.05)
    r, _, _ = accept(fapi, tok["token"])
    assert error_code(r, 400) == "ticket_expired_code"
    assert r.error()["long_message"] == "This ticket has expired and cannot be used anymore."


def test_accept_invitation_redirects(emu: LocalProcess, bapi: Bapi, fapi: Fapi) -> None:
    custom = invite(bapi, new_email("redir"), notify=False,
                    redirect_url="http://127.0.0.1:5173/accept?from=mail&__clerk_ticket=stale#top")
    ticket = ticket_of(custom)
    r, query, target = accept(fapi, ticket)
    assert r.status == 303, r
    assert target == "http://127.0.0.1:5173/accept"
    assert query == {"from": ["mail"], "__clerk_ticket": [ticket], "__clerk_status": ["sign_up"]}
    assert r.headers["location"].endswith("#top")
    plain = invite(bapi, new_email("plain"), notify=False)
    r, query, target = accept(fapi, ticket_of(plain))
    assert (r.status, target) == (303, emu.fapi_url + "/sign-up")
    assert query["__clerk_status"] == ["sign_up"] and query["__clerk_ticket"] == [ticket_of(plain)]
    # An address that has an account by now goes to sign-in.
    existing = bapi.create_user()
    inv = invite(bapi, email_of(existing), notify=False, ignore_existing=True)
    r, query, target = accept(fapi, ticket_of(inv))
    assert (r.status, target, query["__clerk_status"]) == (303, emu.fapi_url + "/sign-in", ["sign_in"])


def test_accept_invitation_refusals(emu: LocalProcess, bapi: Bapi, fapi: Fapi) -> None:
    revoked = invite(bapi, new_email("rev"), notify=False)
    bapi.call("POST", f"/invitations/{revoked['id']}/revoke")
    r, _, _ = accept(fapi, ticket_of(revoked))
    assert error_code(r, 400) == "revoked_invitation"
    key, kid, _iid = instance_key(emu)
    live = invite(bapi, new_email("exp"), notify=False)
    _h, claims = jwt_parts(ticket_of(live))
    r, _, _ = accept(fapi, sign(key, kid, {**claims, "exp": int(time.time()) - 5}))
    assert error_code(r, 400) == "ticket_expired_code"


# --- invitations on the Backend API ---------------------------------------------------------------------
def test_invitation_create_and_outbox_email(emu: LocalProcess, bapi: Bapi) -> None:
    email = new_email("invitee")
    before = int(time.time() * 1000)
    inv = invite(bapi, email, public_metadata={"plan": "pro", "seats": [1, 2]},
                 redirect_url="https://app.example.com/welcome", expires_in_days=7)
    assert inv["object"] == "invitation" and inv["id"].startswith("inv_")
    assert (inv["email_address"], inv["status"], inv["revoked"]) == (email, "pending", False)
    assert inv["public_metadata"] == {"plan": "pro", "seats": [1, 2]}
    assert inv["url"].startswith(emu.fapi_url + "/v1/tickets/accept?ticket=")
    ticket = ticket_of(inv)
    verify_with_jwks(emu, ticket)
    _h, claims = jwt_parts(ticket)
    assert (claims["sid"], claims["st"], claims["eis"]) == (inv["id"], "invitation", 7 * 86400)
    assert inv["expires_at"] == claims["exp"] * 1000
    assert before + 7 * 86400_000 - 1000 <= inv["expires_at"] <= int(time.time() * 1000) + 7 * 86400_000
    mails = outbox(emu, email)
    assert len(mails) == 1
    mail = mails[0]
    assert (mail["to"], mail["channel"], mail["kind"]) == (email, "email", "invitation")
    assert mail["link"] == inv["url"] and inv["url"] in mail["body"]
    assert "invited" in mail["subject"] and "code" not in mail
    assert mail["created_at"] >= before
    default = invite(bapi, new_email("default"), notify=None)
    assert jwt_parts(ticket_of(default))[1]["eis"] == 30 * 86400
    assert len(outbox(emu, default["email_address"])) == 1


def test_invitation_notify_false_and_waitlist_template(emu: LocalProcess, bapi: Bapi) -> None:
    quiet = invite(bapi, new_email("quiet"), notify=False)
    assert outbox(emu, quiet["email_address"]) == []
    wait = invite(bapi, new_email("waitlist"), template_slug="waitlist_invitation")
    [mail] = outbox(emu, wait["email_address"])
    assert mail["kind"] == "waitlist_invitation" and mail["link"] == wait["url"]


@pytest.mark.parametrize(("body", "status", "code", "param"), [
    ({"email_address": None}, 422, "form_param_missing", "email_address"),
    ({"email_address": "not-an-email"}, 422, "form_param_format_invalid", "email_address"),
    ({"email_address": ["a@example.com"]}, 422, "form_param_value_invalid", "email_address"),
    ({"public_metadata": [1]}, 422, "form_param_value_invalid", "public_metadata"),
    ({"redirect_url": "/relative/path"}, 422, "form_param_format_invalid", "redirect_url"),
    ({"redirect_url": "javascript:alert(1)"}, 422, "form_param_format_invalid", "redirect_url"),
    ({"redirect_url": "ftp://example.com/x"}, 422, "form_param_format_invalid", "redirect_url"),
    ({"redirect_url": "http://[::1/x"}, 422, "form_param_format_invalid", "redirect_url"),
    ({"expires_in_days": 0}, 422, "form_param_value_invalid", "expires_in_days"),
    ({"expires_in_days": 366}, 422, "form_param_value_invalid", "expires_in_days"),
    ({"notify": "yes"}, 422, "form_param_value_invalid", "notify"),
    ({"template_slug": "welcome"}, 422, "form_param_value_invalid", "template_slug"),
    ({"role": "admin"}, 422, "form_param_unknown", "role"),
])
def test_invitation_bad_input(emu: LocalProcess, bapi: Bapi, body: dict[str, Any], status: int, code: str,
                              param: str) -> None:
    email = new_email("bad")
    r = bapi.call("POST", "/invitations", {"email_address": email, **body})
    assert error_code(r, status) == code
    assert r.error()["meta"]["param_name"] == param
    assert list_invitations(bapi, query=email) == [] and outbox(emu, email) == []


def test_invitation_conflicts(emu: LocalProcess, bapi: Bapi) -> None:
    existing = bapi.create_user()
    r = bapi.call("POST", "/invitations", {"email_address": email_of(existing).upper()})
    assert error_code(r, 422) == "form_identifier_exists"
    assert r.error()["meta"]["param_name"] == "email_address"
    assert invite(bapi, email_of(existing), ignore_existing=True, notify=False)["status"] == "pending"
    email = new_email("dup")
    first = invite(bapi, email, notify=False)
    r = bapi.call("POST", "/invitations", {"email_address": email})
    assert error_code(r, 400) == "duplicate_record"
    assert r.error()["long_message"] == (
        f"There are already pending invitations for the following email addresses: {email}")
    assert r.error()["meta"]["email_addresses"] == [email]
    second = invite(bapi, email, ignore_existing=True, notify=False)
    assert {i["id"] for i in list_invitations(bapi, query=email)} == {first["id"], second["id"]}
    # A revoked invitation is no obstacle to a new one.
    other = new_email("again")
    gone = invite(bapi, other, notify=False)
    bapi.call("POST", f"/invitations/{gone['id']}/revoke")
    assert invite(bapi, other, notify=False)["id"] != gone["id"]


def test_invitations_need_email_addresses(emu: LocalProcess, bapi: Bapi) -> None:
    settings = emu.fapi_url + "/__emulator/settings"
    before = httpx.get(settings).json()
    assert httpx.patch(settings, json={"attributes": {"email_address": {"enabled": False, "required": False,
                                                                        "first_factors": [], "verifications": []},
                                                      "username": {"required": True}}}).status_code == 200
    try:
        r = bapi.call("POST", "/invitations", {"email_address": new_email("nomail")})
        assert error_code(r, 400) == "invitations_not_supported"
    finally:
        assert httpx.put(settings, json=before).status_code == 200


def test_invitation_list_filters_order_and_pages(emu: LocalProcess, bapi: Bapi) -> None:
    tag = f"lst{secrets.token_hex(3)}"
    emails = [f"{tag}-{c}+clerk_test@example.com" for c in "cab"]
    invs = [invite(bapi, e, notify=False) for e in emails]
    revoked = bapi.call("POST", f"/invitations/{invs[1]['id']}/revoke").json
    listed = list_invitations(bapi, query=tag)
    assert [i["id"] for i in listed] == [invs[2]["id"], invs[0]["id"]]  # newest first, no revoked ones
    assert [i["id"] for i in list_invitations(bapi, query=tag, status="revoked")] == [revoked["id"]]
    assert [i["id"] for i in list_invitations(bapi, query=tag, status="pending")] == [invs[2]["id"], invs[0]["id"]]
    by_email = list_invitations(bapi, query=tag, order_by="email_address")
    assert [i["email_address"] for i in by_email] == [emails[2], emails[0]]
    by_email_desc = list_invitations(bapi, query=tag, order_by="-email_address")
    assert [i["email_address"] for i in by_email_desc] == [emails[0], emails[2]]
    oldest_first = list_invitations(bapi, query=tag, order_by="+created_at")
    assert [i["id"] for i in oldest_first] == [invs[0]["id"], invs[2]["id"]]
    page = list_invitations(bapi, query=tag, paginated="true", limit=1, offset=1)
    assert page["total_count"] == 2 and [i["id"] for i in page["data"]] == [invs[0]["id"]]
    assert [i["id"] for i in list_invitations(bapi, query=invs[0]["id"])] == [invs[0]["id"]]
    for params, param in (({"status": "gone"}, "status"), ({"order_by": "name"}, "order_by"),
                          ({"limit": 0}, "limit")):
        r = bapi.call("GET", "/invitations", params=params)
        assert error_code(r, 422) == "form_param_value_invalid" and r.error()["meta"]["param_name"] == param


def test_expired_invitation_is_listed_as_expired_and_refused(emu: LocalProcess, bapi: Bapi, fapi: Fapi) -> None:
    email = new_email("aged")
    inv = invite(bapi, email, notify=False)
    age_record(emu, "invitations", inv["id"], expires_at=int(time.time() * 1000) - 1000)
    [listed] = list_invitations(bapi, query=email)
    assert listed["status"] == "expired" and listed["revoked"] is False
    assert list_invitations(bapi, query=email, status="pending") == []
    assert [i["id"] for i in list_invitations(bapi, query=email, status="expired")] == [inv["id"]]
    r, _, _ = accept(fapi, ticket_of(inv))  # the JWT is still valid; the record says it has expired
    assert error_code(r, 400) == "ticket_expired_code"
    assert invite(bapi, email, notify=False)["status"] == "pending"  # an expired one is no duplicate


def test_invitation_revoke(bapi: Bapi) -> None:
    inv = invite(bapi, new_email("revoke"), notify=False)
    r = bapi.call("POST", f"/invitations/{inv['id']}/revoke")
    assert r.status == 200, r
    assert (r.json["status"], r.json["revoked"], r.json["id"]) == ("revoked", True, inv["id"])
    again = bapi.call("POST", f"/invitations/{inv['id']}/revoke")
    assert error_code(again, 400) == "invitation_already_revoked"
    missing = bapi.call("POST", "/invitations/inv_missing/revoke")
    assert error_code(missing, 404) == "resource_not_found"
    assert missing.error()["long_message"] == "No invitation was found with id inv_missing."


def test_invitation_bulk(emu: LocalProcess, bapi: Bapi) -> None:
    tag = f"blk{secrets.token_hex(3)}"
    emails = [f"{tag}-{i}+clerk_test@example.com" for i in range(3)]
    r = bapi.call("POST", "/invitations/bulk", [{"email_address": emails[0], "public_metadata": {"i": 0}},
                                                {"email_address": emails[1], "notify": False}])
    assert r.status == 200, r
    assert [i["email_address"] for i in r.json] == emails[:2] and r.json[0]["public_metadata"] == {"i": 0}
    assert len(outbox(emu, emails[0])) == 1 and outbox(emu, emails[1]) == []
    # Any conflict refuses the whole request: nothing is created or sent.
    existing = bapi.create_user()
    for items, status, code in (
        ([{"email_address": emails[2]}, {"email_address": email_of(existing), "ignore_existing": True}],
         422, "form_identifier_exists"),
        ([{"email_address": emails[2]}, {"email_address": emails[0]}], 400, "duplicate_record"),
        ([{"email_address": emails[2]}, {"email_address": emails[2]}], 400, "duplicate_record"),
        ([{"email_address": emails[2]}, {"email_address": "nope"}], 422, "form_param_format_invalid"),
        ([{"email_address": emails[2]}, {"email": emails[2]}], 422, "form_param_unknown"),
        ([{"email_address": emails[2]}, "x"], 400, "request_body_invalid"),
        ([], 400, "request_body_invalid"),
        ([{"email_address": f"{tag}-{i}-x+clerk_test@example.com"} for i in range(11)], 400, "request_body_invalid"),
        ({"email_address": emails[2]}, 400, "request_body_invalid"),
    ):
        r = bapi.call("POST", "/invitations/bulk", items)
        assert error_code(r, status) == code, items
    dup = bapi.call("POST", "/invitations/bulk", [{"email_address": emails[2]}, {"email_address": emails[0]}])
    assert dup.error()["meta"]["email_addresses"] == [emails[0]]
    assert outbox(emu, emails[2]) == []
    assert {i["email_address"] for i in list_invitations(bapi, query=tag)} == set(emails[:2])
    ok = bapi.call("POST", "/invitations/bulk", [{"email_address": emails[0], "ignore_existing": True}])
    assert ok.status == 200 and ok.json[0]["status"] == "pending"


# --- ticket sign-in and sign-up on the Frontend API --------------------------------------------------------
def ticket_sign_in(fapi: Fapi, ticket: str) -> Any:
    return fapi.call("POST", "/v1/client/sign_ins", {"strategy": "ticket", "ticket": ticket})


def test_ticket_sign_in_completes_once(emu: LocalProcess, bapi: Bapi, fapi: Fapi, user: dict[str, Any]) -> None:
    tok = sign_in_token(bapi, user["id"])
    r = ticket_sign_in(fapi, tok["token"])
    assert r.status == 200, r
    si = r.response
    assert si["status"] == "complete" and si["created_session_id"]
    assert si["first_factor_verification"]["status"] == "verified"
    assert si["first_factor_verification"]["strategy"] == "ticket"
    assert si["first_factor_verification"]["object"] == "verification_ticket"
    assert r.client["sign_in"] is None
    session = next(s for s in r.client["sessions"] if s["id"] == si["created_session_id"])
    assert session["user"]["id"] == user["id"]
    fapi.session_id = si["created_session_id"]
    assert fapi.call("GET", "/v1/me").response["id"] == user["id"]
    revoke = bapi.call("POST", f"/sign_in_tokens/{tok['id']}/revoke")  # it is used up now
    assert error_code(revoke, 400) == "sign_in_token_cannot_be_revoked_code"
    assert "status is accepted" in revoke.error()["long_message"]
    other = Fapi(emu)
    try:
        again = ticket_sign_in(other, tok["token"])
        assert error_code(again, 400) == "sign_in_token_already_used_code"
        client = again.json.get("meta", {}).get("client")
        assert client is None or client["sessions"] == []
    finally:
        other.close()


@pytest.mark.parametrize("case", ["revoked", "expired", "garbled", "deleted_user", "invitation_without_account"])
def test_ticket_sign_in_refusals(bapi: Bapi, fapi: Fapi, case: str) -> None:
    user = bapi.create_user()
    if case == "invitation_without_account":
        ticket, code = ticket_of(invite(bapi, new_email("noacct"), notify=False)), "invitation_account_not_exists"
    else:
        tok = sign_in_token(bapi, user["id"], expires_in_seconds=1 if case == "expired" else 600)
        ticket, code = tok["token"], "ticket_invalid_code"
        if case == "revoked":
            bapi.call("POST", f"/sign_in_tokens/{tok['id']}/revoke")
            code = "sign_in_token_revoked_code"
        elif case == "expired":
            time.sleep(max(0.0, jwt_parts(ticket)[1]["exp"] - time.time()) + 0.05)
            code = "ticket_expired_code"
        elif case == "garbled":
            ticket = ticket[:-6] + "AAAAAA"
        elif case == "deleted_user":
            assert bapi.call("DELETE", f"/users/{user['id']}").status == 200
    r = ticket_sign_in(fapi, ticket)
    assert error_code(r, 400) == code
    client = fapi.call("GET", "/v1/client").json["response"]
    assert client is None or (client["sessions"] == [] and client["sign_in"] is None)


def test_invitation_ticket_signs_in_an_existing_account(bapi: Bapi, fapi: Fapi) -> None:
    existing = bapi.create_user()
    inv = invite(bapi, email_of(existing), ignore_existing=True, notify=False)
    r = ticket_sign_in(fapi, ticket_of(inv))
    assert r.status == 200 and r.response["status"] == "complete", r
    [listed] = list_invitations(bapi, query=inv["id"], status="accepted")
    assert listed["id"] == inv["id"]
    revoke = bapi.call("POST", f"/invitations/{inv['id']}/revoke")
    assert error_code(revoke, 400) == "invitation_already_accepted"


def test_sign_in_token_with_org_activates_it(bapi: Bapi, fapi: Fapi, user: dict[str, Any]) -> None:
    org = bapi.call("POST", "/organizations", {"name": "Ticket Landing", "created_by": user["id"]}).json
    tok = sign_in_token(bapi, user["id"], org_id=org["id"])
    r = ticket_sign_in(fapi, tok["token"])
    assert r.status == 200, r
    session = next(s for s in r.client["sessions"] if s["id"] == r.response["created_session_id"])
    assert session["last_active_organization_id"] == org["id"]


def ticket_sign_up(fapi: Fapi, ticket: str, **fields: str) -> Any:
    return fapi.call("POST", "/v1/client/sign_ups", {"strategy": "ticket", "ticket": ticket, **fields})


def test_ticket_sign_up_completes_with_invitation_metadata(bapi: Bapi, fapi: Fapi) -> None:
    email = new_email("joiner")
    inv = invite(bapi, email, public_metadata={"plan": "team", "role": "editor"}, notify=False)
    r = ticket_sign_up(fapi, ticket_of(inv), password=PASSWORD, first_name="Ada")
    assert r.status == 200, r
    su = r.response
    assert su["status"] == "complete" and su["created_user_id"] and su["created_session_id"]
    assert su["email_address"] == email
    verification = su["verifications"]["email_address"]
    assert (verification["status"], verification["strategy"]) == ("verified", "ticket")
    assert verification["object"] == "verification_ticket"
    assert r.client["sign_up"] is None
    user = bapi.call("GET", f"/users/{su['created_user_id']}").json
    assert user["public_metadata"] == {"plan": "team", "role": "editor"}
    assert user["first_name"] == "Ada" and email_of(user) == email
    assert user["email_addresses"][0]["verification"]["status"] == "verified"
    assert [i["status"] for i in list_invitations(bapi, query=inv["id"], status="accepted")] == ["accepted"]
    fapi.sign_in(email)  # the password works


def test_ticket_sign_up_missing_password_keeps_invitation_pending(bapi: Bapi, fapi: Fapi) -> None:
    email = new_email("halfway")
    inv = invite(bapi, email, public_metadata={"tier": 2}, notify=False)
    r = ticket_sign_up(fapi, ticket_of(inv))
    assert r.status == 200, r
    su = r.response
    assert su["status"] == "missing_requirements" and "password" in su["missing_fields"]
    assert su["email_address"] == email and su["unverified_fields"] == []
    assert su["verifications"]["email_address"]["status"] == "verified"
    assert [i["status"] for i in list_invitations(bapi, query=inv["id"])] == ["pending"]
    done = fapi.call("PATCH", f"/v1/client/sign_ups/{su['id']}", {"password": PASSWORD})
    assert done.status == 200 and done.response["status"] == "complete", done
    assert [i["id"] for i in list_invitations(bapi, query=inv["id"], status="accepted")] == [inv["id"]]
    user = bapi.call("GET", f"/users/{done.response['created_user_id']}").json
    assert user["public_metadata"] == {"tier": 2}


def test_ticket_sign_up_refusals(emu: LocalProcess, bapi: Bapi, fapi: Fapi, user: dict[str, Any]) -> None:
    used = invite(bapi, new_email("used"), notify=False)
    first = ticket_sign_up(fapi, ticket_of(used), password=PASSWORD)
    assert first.status == 200 and first.response["status"] == "complete", first
    cases: list[tuple[str, str]] = [(ticket_of(used), "invitation_already_accepted")]
    revoked = invite(bapi, new_email("revoked"), notify=False)
    bapi.call("POST", f"/invitations/{revoked['id']}/revoke")
    cases.append((ticket_of(revoked), "revoked_invitation"))
    taken = invite(bapi, email_of(user), ignore_existing=True, notify=False)
    cases.append((ticket_of(taken), "invitation_account_exists"))
    cases.append((sign_in_token(bapi, user["id"])["token"], "sign_in_token_not_in_sign_in_code"))
    key, kid, _iid = instance_key(emu)
    live = invite(bapi, new_email("late"), notify=False)
    cases.append((sign(key, kid, {**jwt_parts(ticket_of(live))[1], "exp": int(time.time()) - 1}),
                  "ticket_expired_code"))
    cases.append(("not.a.ticket", "ticket_invalid_code"))
    for ticket, code in cases:
        browser = Fapi(emu)
        try:
            r = ticket_sign_up(browser, ticket, password=PASSWORD)
            assert error_code(r, 400) == code, ticket
            client = browser.call("GET", "/v1/client").json["response"]
            assert client is None or (client["sign_up"] is None and client["sessions"] == [])
        finally:
            browser.close()
    assert [i["status"] for i in list_invitations(bapi, query=taken["id"])] == ["pending"]


def test_invitation_revoked_during_sign_up_stops_completion(bapi: Bapi, fapi: Fapi) -> None:
    email = new_email("racer")
    inv = invite(bapi, email, notify=False)
    su = ticket_sign_up(fapi, ticket_of(inv)).response
    assert su["status"] == "missing_requirements"
    bapi.call("POST", f"/invitations/{inv['id']}/revoke")
    r = fapi.call("PATCH", f"/v1/client/sign_ups/{su['id']}", {"password": PASSWORD})
    assert error_code(r, 400) == "revoked_invitation"
    assert bapi.call("GET", "/users", params={"email_address": email}).json == []  # no user was left behind


# --- Clerk's official backend clients ------------------------------------------------------------------
@pytest.mark.realclient
@pytest.mark.filterwarnings("ignore::DeprecationWarning:clerk_backend_api")
def test_clerk_backend_api_python_tickets(emu: LocalProcess, bapi: Bapi) -> None:
    from clerk_backend_api import Clerk
    from clerk_backend_api.models import ClerkErrors

    user = bapi.create_user()
    email = new_email("pysdk")
    with Clerk(bearer_auth=emu.secret_key, server_url=emu.bapi_url) as clerk:
        tok = clerk.sign_in_tokens.create(request={"user_id": user["id"], "expires_in_seconds": 600})
        assert tok.status == "pending" and tok.user_id == user["id"]
        assert tok.url == f"{emu.fapi_url}/v1/tickets/accept?ticket={tok.token}"
        assert clerk.sign_in_tokens.revoke(sign_in_token_id=tok.id).status == "revoked"
        inv = clerk.invitations.create(request={"email_address": email, "public_metadata": {"plan": "pro"},
                                                "redirect_url": "http://127.0.0.1:5173/accept", "notify": True})
        assert (inv.email_address, inv.status, inv.public_metadata) == (email, "pending", {"plan": "pro"})
        assert inv.url is not None and inv.url.startswith(emu.fapi_url + "/v1/tickets/accept?ticket=")
        assert [i.id for i in clerk.invitations.list(query=email)] == [inv.id]
        with pytest.raises(ClerkErrors) as excinfo:
            clerk.invitations.create(request={"email_address": email})
        assert excinfo.value.data.errors[0].code == "duplicate_record"
        revoked = clerk.invitations.revoke(invitation_id=inv.id)
        assert revoked.status == "revoked" and revoked.id == inv.id
        assert clerk.invitations.list(query=email) == []
        assert [i.id for i in clerk.invitations.list(query=email, status="revoked")] == [inv.id]
        bulk = clerk.invitations.bulk_create(request=[{"email_address": new_email("pybulk"), "notify": False}])
        assert len(bulk) == 1 and bulk[0].status == "pending"
        testing = clerk.testing_tokens.create()
        assert testing.object == "testing_token"
        issued, _, rest = testing.token.partition("-")
        assert rest and abs(int(issued) - time.time()) < 60 and testing.expires_at == int(issued) + 3600
    [mail] = outbox(emu, email)
    assert mail["kind"] == "invitation" and mail["link"] == inv.url


@pytest.mark.realclient
def test_clerk_backend_node_tickets(emu: LocalProcess, fapi: Fapi, node_modules: Path) -> None:
    env = {**os.environ, "CLERK_NODE_MODULES": str(node_modules), "CLERK_API_URL": emu.fapi_url + "/bapi",
           "CLERK_SECRET_KEY": emu.secret_key, "CLERK_FAPI_URL": emu.fapi_url}
    proc = subprocess.run(["node", str(NODE_DIR / "tickets_client.mjs")], env=env, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
    results: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    assert results["signInToken"]["status"] == "pending" and results["signInToken"]["revoked"] == "revoked"
    assert results["invitation"] == {"created": "pending", "revoked": "revoked", "listed": 1}
    assert results["duplicate"] == "duplicate_record"
    # What the client was given really is what the instance honours.
    r, _, _ = accept(fapi, results["signInToken"]["token"])
    assert error_code(r, 400) == "sign_in_token_revoked_code"
    issued = int(results["testingToken"]["token"].split("-")[0])
    assert results["testingToken"]["expiresAt"] == issued + 3600
