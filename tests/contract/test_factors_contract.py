"""Every factor over real HTTP (issue 11): the SDK (CPython) against the local Clerk instance — password reset,
phone codes and phone sign-up, TOTP computed from the secret (RFC 6238 here, with hmac), backup codes, SMS second
factor, Client Trust, passkeys with real WebAuthn signatures (a software authenticator stands in for
``navigator.credentials``), reverification with ``with_reverification``, sessions with activities.

Codes are read from the instance's outbox; users get addresses outside Clerk's test range, so codes are random.
After each assertion the local state is compared with the server's (the Backend API's view of the user).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import struct
import time
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import cbor2
import httpx
import pytest
from bapi_client import PASSWORD, Backend
from clerk_emulator.kit import ClerkInstance
from contract_support import Harness
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from fapi_recorder import RecordingTransport

from clerk_frontend import (
    TOTP,
    Clerk,
    ClerkAPIResponseError,
    ClerkWebAuthnError,
    HttpxTransport,
    Passkey,
    ReverificationRequiredError,
    SessionVerification,
    SessionWithActivities,
    SignIn,
    with_reverification,
)

PHONE = {"attributes": {"phone_number": {"enabled": True, "used_for_first_factor": True,
                                         "first_factors": ["phone_code"], "verifications": ["phone_code"],
                                         "used_for_second_factor": True}}}
CHROME_MAC = ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
              "Chrome/126.0.6478.127 Safari/537.36")


# -- helpers --------------------------------------------------------------------------------------------------

def totp(secret: str, step: int | None = None) -> str:
    """RFC 6238 with Clerk's parameters: HMAC-SHA1 of the 30-second step, 6 digits."""
    step = int(time.time() // 30) if step is None else step
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return str((struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000).zfill(6)


def code_for(emu: ClerkInstance, to: str, kind: str | None = None) -> str:
    """The code of the newest message the instance sent to ``to`` (of ``kind``)."""
    params = {"to": to, **({"kind": kind} if kind else {})}
    items = httpx.get(emu.fapi_url + "/__emulator/outbox", params=params).json()["data"]
    assert items, f"no {kind or 'message'} to {to}"
    return str(items[0]["code"])


@pytest.fixture
def instance(emu: ClerkInstance) -> Iterator[Any]:
    """Change the instance's settings (or clock) for one test; both are put back afterwards."""

    def settings(changes: dict[str, Any]) -> None:
        r = httpx.patch(emu.fapi_url + "/__emulator/settings", json=changes)
        assert r.status_code == 200, r.text

    def advance(seconds: int) -> None:
        assert httpx.post(emu.fapi_url + "/__emulator/clock", json={"advance_seconds": seconds}).status_code == 200

    yield SimpleNamespace(settings=settings, advance=advance)
    assert httpx.delete(emu.fapi_url + "/__emulator/settings").status_code == 200
    assert httpx.delete(emu.fapi_url + "/__emulator/clock").status_code == 200


def new_user(backend: Backend, **fields: Any) -> tuple[str, str]:
    """A user whose email is outside Clerk's test range (a random code per message); ``(email, id)``."""
    email = f"factors-{secrets.token_hex(5)}@example.com"
    user = backend.call("POST", "/users", {"email_address": [email], "password": PASSWORD, **fields})
    return email, str(user["id"])


async def device(emu: ClerkInstance, user_agent: str | None = None) -> Harness:
    """A browser of its own (a new client), loaded."""
    harness = Harness(emu)
    if user_agent:
        harness.transport = RecordingTransport(HttpxTransport(client=httpx.AsyncClient(
            timeout=10, headers={"User-Agent": user_agent})))
        harness.clerk = Clerk(emu.publishable_key, transport=harness.transport, storage={})
    await harness.clerk.load()
    return harness


async def password_sign_in(harness: Harness, email: str, password: str = PASSWORD) -> SignIn:
    return await harness.clerk.sign_in.create(identifier=email, password=password)


async def enable_totp(harness: Harness) -> tuple[str, TOTP]:
    user = harness.clerk.user
    assert user is not None
    created = await user.create_totp()
    assert created.secret is not None
    return created.secret, await user.verify_totp(code=totp(created.secret))


# -- password reset --------------------------------------------------------------------------------------------

async def test_password_reset_by_email_code(emu: ClerkInstance, backend: Backend, instance: Any) -> None:
    email, user_id = new_user(backend)
    other = await device(emu)
    await password_sign_in(other, email)
    assert other.clerk.is_signed_in
    harness = await device(emu)
    sign_in = await harness.clerk.sign_in.create(identifier=email)
    assert "reset_password_email_code" in [f["strategy"] for f in sign_in.supported_first_factors or ()]
    await sign_in.prepare_first_factor(strategy="reset_password_email_code")
    address = next(f["email_address_id"] for f in sign_in.supported_first_factors or ()
                   if f["strategy"] == "reset_password_email_code")
    harness.assert_requested("POST", f"/client/sign_ins/{sign_in.id}/prepare_first_factor",
                             form=[("strategy", "reset_password_email_code"), ("email_address_id", address)])
    code = code_for(emu, email, "reset_password_code")
    wrong = "000000" if code != "000000" else "111111"
    with pytest.raises(ClerkAPIResponseError) as info:
        await sign_in.attempt_first_factor(strategy="reset_password_email_code", code=wrong)
    assert info.value.status == 422 and info.value.code == "form_code_incorrect"
    assert sign_in.status == "needs_first_factor" and sign_in.first_factor_verification.attempts == 1  # type: ignore[union-attr]
    await sign_in.attempt_first_factor(strategy="reset_password_email_code", code=code)
    assert sign_in.status == "needs_new_password" and not harness.clerk.is_signed_in
    with pytest.raises(ClerkAPIResponseError) as info:
        await sign_in.reset_password(password="short")
    assert info.value.status == 422 and info.value.code.startswith("form_password")
    assert sign_in.status == "needs_new_password"
    await sign_in.reset_password(password="a-brand-new-password-7", sign_out_of_other_sessions=True)
    harness.assert_requested("POST", f"/client/sign_ins/{sign_in.id}/reset_password",
                             form=[("password", "a-brand-new-password-7"), ("sign_out_of_other_sessions", "true")])
    assert sign_in.status == "complete" and harness.clerk.is_signed_in
    assert harness.clerk.user.id == user_id  # type: ignore[union-attr]
    await other.clerk.load()  # the other browser's session ended with the reset
    assert not other.clerk.is_signed_in
    with pytest.raises(ClerkAPIResponseError) as info:
        await password_sign_in(await device(emu), email)
    assert info.value.code == "form_password_incorrect"
    assert (await password_sign_in(await device(emu), email, "a-brand-new-password-7")).status == "complete"


async def test_reset_codes_expire_and_fail_after_too_many_attempts(emu: ClerkInstance, backend: Backend,
                                                                     instance: Any) -> None:
    email, _ = new_user(backend)
    harness = await device(emu)
    sign_in = await harness.clerk.sign_in.create(identifier=email)
    await sign_in.prepare_first_factor(strategy="reset_password_email_code")
    code = code_for(emu, email, "reset_password_code")
    instance.advance(11 * 60)
    with pytest.raises(ClerkAPIResponseError) as info:
        await sign_in.attempt_first_factor(strategy="reset_password_email_code", code=code)
    assert (info.value.status, info.value.code) == (400, "verification_expired")
    await sign_in.reload()
    assert sign_in.first_factor_verification.status == "expired"  # type: ignore[union-attr]
    await sign_in.prepare_first_factor(strategy="reset_password_email_code")
    codes = []
    for _ in range(6):
        with pytest.raises(ClerkAPIResponseError) as info:
            await sign_in.attempt_first_factor(strategy="reset_password_email_code", code="000001")
        codes.append(info.value.code)
    assert codes[0] == "form_code_incorrect" and codes[-1] == "verification_failed"
    with pytest.raises(ClerkAPIResponseError):
        await sign_in.attempt_first_factor(strategy="reset_password_email_code",
                                           code=code_for(emu, email, "reset_password_code"))
    assert sign_in.status == "needs_first_factor" and not harness.clerk.is_signed_in


# -- phone ----------------------------------------------------------------------------------------------------

async def test_phone_code_sign_in_and_phone_sign_up(emu: ClerkInstance, backend: Backend, instance: Any) -> None:
    instance.settings(PHONE)
    number = f"+1415{secrets.randbelow(10**7):07d}"
    _, user_id = new_user(backend, phone_number=[number])
    harness = await device(emu)
    sign_in = await harness.clerk.sign_in.create(identifier=number)
    await sign_in.prepare_first_factor(strategy="phone_code")
    phone_id = next(f["phone_number_id"] for f in sign_in.supported_first_factors or ()
                    if f["strategy"] == "phone_code")
    harness.assert_requested("POST", f"/client/sign_ins/{sign_in.id}/prepare_first_factor",
                             form=[("strategy", "phone_code"), ("phone_number_id", phone_id)])
    assert sign_in.first_factor_verification.channel == "sms"  # type: ignore[union-attr]
    await sign_in.attempt_first_factor(strategy="phone_code", code=code_for(emu, number))
    assert harness.clerk.is_signed_in and harness.clerk.user.id == user_id  # type: ignore[union-attr]

    instance.settings({"attributes": {"phone_number": {"verify_at_sign_up": True}, "email_address": {
        "required": False}}})
    fresh = f"+1628{secrets.randbelow(10**7):07d}"
    newcomer = await device(emu)
    sign_up = await newcomer.clerk.sign_up.create(phone_number=fresh, password=PASSWORD)
    assert sign_up.unverified_fields == ["phone_number"]
    await sign_up.prepare_phone_number_verification()
    assert sign_up.verifications.phone_number.status == "unverified"  # type: ignore[union-attr]
    with pytest.raises(ClerkAPIResponseError) as info:
        await sign_up.attempt_phone_number_verification(code="000000" if code_for(emu, fresh) != "000000" else "1")
    assert info.value.code == "form_code_incorrect"
    await sign_up.attempt_phone_number_verification(code=code_for(emu, fresh))
    assert sign_up.status == "complete" and newcomer.clerk.is_signed_in
    server = backend.user(str(sign_up.created_user_id))
    assert [p["phone_number"] for p in server["phone_numbers"]] == [fresh]
    assert newcomer.clerk.user.primary_phone_number.phone_number == fresh  # type: ignore[union-attr]


# -- TOTP, backup codes, SMS ------------------------------------------------------------------------------------

async def test_totp_setup_then_password_and_totp_sign_in(emu: ClerkInstance, backend: Backend,
                                                         instance: Any) -> None:
    email, user_id = new_user(backend)
    harness = await device(emu)
    await password_sign_in(harness, email)
    user = harness.clerk.user
    assert user is not None
    created = await user.create_totp()
    assert created.uri and created.uri.startswith("otpauth://totp/") and f"secret={created.secret}" in created.uri
    assert not created.verified and not user.totp_enabled and not backend.user(user_id)["totp_enabled"]
    with pytest.raises(ClerkAPIResponseError) as info:
        await user.verify_totp(code="000000" if totp(created.secret or "") != "000000" else "111111")
    assert info.value.code == "form_code_incorrect"
    assert (user.totp_enabled, backend.user(user_id)["totp_enabled"]) == (False, False)  # nothing half-enabled
    secret = created.secret or ""
    verified = await user.verify_totp(code=totp(secret))
    assert verified.verified and verified.backup_codes
    server = backend.user(user_id)
    assert (user.totp_enabled, user.two_factor_enabled, user.backup_code_enabled) == (
        server["totp_enabled"], server["two_factor_enabled"], server["backup_code_enabled"]) == (True, True, True)

    laptop = await device(emu)
    sign_in = await password_sign_in(laptop, email)
    assert sign_in.status == "needs_second_factor" and not laptop.clerk.is_signed_in
    assert {"totp", "backup_code"} <= {f["strategy"] for f in sign_in.supported_second_factors or ()}
    now = int(time.time() // 30)
    with pytest.raises(ClerkAPIResponseError) as info:  # a code of another period
        await sign_in.attempt_second_factor(strategy="totp", code=totp(secret, now - 20))
    assert info.value.code == "form_code_incorrect" and sign_in.status == "needs_second_factor"
    await sign_in.attempt_second_factor(strategy="totp", code=totp(secret, now + 1))
    laptop.assert_requested("POST", f"/client/sign_ins/{sign_in.id}/attempt_second_factor",
                            form=[("strategy", "totp"), ("code", totp(secret, now + 1))])
    assert sign_in.status == "complete" and laptop.clerk.user.id == user_id  # type: ignore[union-attr]
    assert laptop.clerk.session.factor_verification_age == [0, 0]  # type: ignore[union-attr]

    await user.disable_totp()
    server = backend.user(user_id)
    assert (user.totp_enabled, user.two_factor_enabled) == (server["totp_enabled"], server["two_factor_enabled"]) \
        == (False, False)


async def test_backup_code_signs_in_once(emu: ClerkInstance, backend: Backend, instance: Any) -> None:
    email, user_id = new_user(backend)
    harness = await device(emu)
    await password_sign_in(harness, email)
    await enable_totp(harness)
    codes = (await harness.clerk.user.create_backup_code()).codes  # type: ignore[union-attr]
    assert len(codes) >= 2 and len(set(codes)) == len(codes)
    first = await password_sign_in(await device(emu), email)
    await first.attempt_second_factor(strategy="backup_code", code=codes[0])
    assert first.status == "complete"
    again = await password_sign_in(await device(emu), email)
    with pytest.raises(ClerkAPIResponseError) as info:
        await again.attempt_second_factor(strategy="backup_code", code=codes[0])
    assert info.value.code == "form_code_incorrect" and again.status == "needs_second_factor"
    await again.attempt_second_factor(strategy="backup_code", code=codes[1])
    assert again.status == "complete" and again._clerk.user.id == user_id  # type: ignore[union-attr]


async def test_sms_second_factor_on_a_reserved_phone(emu: ClerkInstance, backend: Backend, instance: Any) -> None:
    instance.settings(PHONE)
    number = f"+1212{secrets.randbelow(10**7):07d}"
    email, user_id = new_user(backend, phone_number=[number])
    harness = await device(emu)
    await password_sign_in(harness, email)
    user = harness.clerk.user
    assert user is not None and not user.two_factor_enabled
    phone = user.phone_numbers[0]
    await phone.set_reserved_for_second_factor()
    assert phone.reserved_for_second_factor and phone.default_second_factor and phone.backup_codes
    assert user.phone_numbers[0] is phone and user.two_factor_enabled and backend.user(user_id)["two_factor_enabled"]
    await phone.make_default_second_factor()
    harness.assert_requested("PATCH", f"/me/phone_numbers/{phone.id}", form=[("default_second_factor", "true")])

    laptop = await device(emu)
    sign_in = await password_sign_in(laptop, email)
    assert sign_in.status == "needs_second_factor"
    await sign_in.prepare_second_factor(strategy="phone_code")
    laptop.assert_requested("POST", f"/client/sign_ins/{sign_in.id}/prepare_second_factor",
                            form=[("strategy", "phone_code"), ("phone_number_id", phone.id)])
    await sign_in.attempt_second_factor(strategy="phone_code", code=code_for(emu, number))
    assert sign_in.status == "complete" and laptop.clerk.is_signed_in

    await phone.set_reserved_for_second_factor(reserved=False)
    assert not phone.reserved_for_second_factor and not user.two_factor_enabled
    assert not backend.user(user_id)["two_factor_enabled"]


# -- Client Trust ---------------------------------------------------------------------------------------------

async def test_client_trust_on_a_new_device(emu: ClerkInstance, backend: Backend, instance: Any) -> None:
    instance.settings({"client_trust": {"enabled": True}})
    email, _ = new_user(backend)
    harness = await device(emu)
    sign_in = await password_sign_in(harness, email)
    assert sign_in.status == "needs_client_trust" and not harness.clerk.is_signed_in
    await sign_in.prepare_second_factor(strategy="email_code")
    address = (sign_in.supported_second_factors or [{}])[0]["email_address_id"]
    harness.assert_requested("POST", f"/client/sign_ins/{sign_in.id}/prepare_second_factor",
                             form=[("strategy", "email_code"), ("email_address_id", address)])
    await sign_in.attempt_second_factor(strategy="email_code", code=code_for(emu, email))
    assert sign_in.status == "complete" and harness.clerk.is_signed_in
    await harness.clerk.sign_out()
    assert (await password_sign_in(harness, email)).status == "complete"  # a known device now
    assert (await password_sign_in(await device(emu), email)).status == "needs_client_trust"


# -- passkeys -------------------------------------------------------------------------------------------------

def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class SoftWebAuthn:
    """``navigator.credentials`` with one software passkey (ES256, ``none`` attestation): receives the options the
    SDK decoded (bytes) and answers credential objects with bytes, as the browser bridge does; the instance verifies
    the signatures. ``rp_id`` makes it sign for another relying party."""

    def __init__(self, origin: str, rp_id: str | None = None) -> None:
        self.origin, self.rp_id = origin, rp_id
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = os.urandom(16)
        self.user_handle = b""
        self.count = 0
        self.mediations: list[str] = []

    def available(self) -> bool:
        return True

    async def conditional_available(self) -> bool:
        return False

    async def platform_available(self) -> bool:
        return True

    def _client_data(self, kind: str, challenge: bytes) -> bytes:
        return json.dumps({"type": kind, "challenge": _b64(challenge), "origin": self.origin}).encode()

    def _credential(self, response: dict[str, Any]) -> Any:
        return SimpleNamespace(type="public-key", id=_b64(self.credential_id), rawId=self.credential_id,
                               authenticatorAttachment="platform", response=SimpleNamespace(**response))

    async def create(self, options: dict[str, Any]) -> Any:
        assert isinstance(options["challenge"], bytes) and isinstance(options["user"]["id"], bytes)
        self.user_handle = options["user"]["id"]
        numbers = self.key.public_key().public_numbers()
        cose = cbor2.dumps({1: 2, 3: -7, -1: 1, -2: numbers.x.to_bytes(32, "big"), -3: numbers.y.to_bytes(32, "big")})
        rp = self.rp_id or options["rp"]["id"]
        auth = (hashlib.sha256(rp.encode()).digest() + bytes([0x45]) + struct.pack(">I", 0) + bytes(16)
                + struct.pack(">H", len(self.credential_id)) + self.credential_id + cose)
        return self._credential({"clientDataJSON": self._client_data("webauthn.create", options["challenge"]),
                                 "attestationObject": cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth}),
                                 "getTransports": lambda: ["internal"]})

    async def get(self, options: dict[str, Any], mediation: str) -> Any:
        self.mediations.append(mediation)
        self.count += 1
        auth = hashlib.sha256((self.rp_id or options["rpId"]).encode()).digest() + bytes([0x05]) + struct.pack(
            ">I", self.count)
        client_data = self._client_data("webauthn.get", options["challenge"])
        signature = self.key.sign(auth + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256()))
        return self._credential({"clientDataJSON": client_data, "authenticatorData": auth, "signature": signature,
                                 "userHandle": self.user_handle})


async def test_passkey_registration_rename_sign_in_and_delete(emu: ClerkInstance, backend: Backend,
                                                              instance: Any) -> None:
    email, user_id = new_user(backend)
    harness = await device(emu)
    await password_sign_in(harness, email)
    user = harness.clerk.user
    assert user is not None
    with pytest.raises(ClerkWebAuthnError) as refused:  # CPython has no browser
        await user.create_passkey()
    assert refused.value.code == "passkey_not_supported"
    authenticator = SoftWebAuthn(emu.fapi_url)
    harness.clerk.webauthn = authenticator  # type: ignore[attr-defined]
    passkey = await user.create_passkey()
    assert isinstance(passkey, Passkey) and passkey.verification.status == "verified"  # type: ignore[union-attr]
    sent = dict(harness.assert_requested("POST", f"/me/passkeys/{passkey.id}/attempt_verification").form or [])
    credential = json.loads(sent["public_key_credential"])
    assert list(credential) == ["type", "id", "rawId", "authenticatorAttachment", "response"]
    assert credential["rawId"] == _b64(authenticator.credential_id) and "=" not in sent["public_key_credential"]
    assert user.passkeys == [passkey]
    await passkey.update(name="Work laptop")
    assert passkey.name == "Work laptop" and user.passkeys[0] is passkey

    for flow in ("discoverable", "autofill", None):
        browser = await device(emu)
        browser.clerk.webauthn = authenticator  # type: ignore[attr-defined]
        if flow is None:
            await browser.clerk.sign_in.create(identifier=email)
        sign_in = await browser.clerk.sign_in.authenticate_with_passkey(flow=flow)
        assert sign_in.status == "complete" and browser.clerk.user.id == user_id, flow  # type: ignore[union-attr]
    assert authenticator.mediations == ["optional"] * 3  # no conditional UI here: autofill falls back

    stranger = await device(emu)
    stranger.clerk.webauthn = SoftWebAuthn(emu.fapi_url, rp_id="evil.example")  # type: ignore[attr-defined]
    stranger.clerk.webauthn.credential_id = authenticator.credential_id  # type: ignore[attr-defined]
    with pytest.raises(ClerkAPIResponseError) as info:
        await stranger.clerk.sign_in.authenticate_with_passkey(flow="discoverable")
    assert info.value.code == "passkey_authentication_failure" and not stranger.clerk.is_signed_in

    other_email, _ = new_user(backend)
    owner = await device(emu)
    await password_sign_in(owner, other_email)
    owner.clerk.webauthn = other_key = SoftWebAuthn(emu.fapi_url)  # type: ignore[attr-defined]
    await owner.clerk.user.create_passkey()  # type: ignore[union-attr]
    thief = await device(emu)
    thief.clerk.webauthn = other_key  # type: ignore[attr-defined]
    await thief.clerk.sign_in.create(identifier=email)
    with pytest.raises(ClerkAPIResponseError) as info:  # another user's passkey for this user's sign-in
        await thief.clerk.sign_in.authenticate_with_passkey()
    assert info.value.code == "passkey_authentication_failure" and not thief.clerk.is_signed_in

    deleted = await passkey.delete()
    assert deleted["deleted"] is True and user.passkeys == []
    late = await device(emu)
    late.clerk.webauthn = authenticator  # type: ignore[attr-defined]
    with pytest.raises(ClerkAPIResponseError) as info:
        await late.clerk.sign_in.authenticate_with_passkey(flow="discoverable")
    assert info.value.code == "passkey_not_registered"


# -- reverification -------------------------------------------------------------------------------------------

async def test_reverification_gated_action(emu: ClerkInstance, backend: Backend, instance: Any) -> None:
    instance.settings({"reverification": {"enabled": True}})
    email, _ = new_user(backend)
    harness = await device(emu)
    await password_sign_in(harness, email)
    user, session = harness.clerk.user, harness.clerk.session
    assert user is not None and session is not None
    instance.advance(11 * 60)
    with pytest.raises(ReverificationRequiredError) as info:
        await user.create_totp()
    assert info.value.status == 403 and "with_reverification" in str(info.value)

    asked: list[str | None] = []

    async def verify(verification: SessionVerification) -> None:
        asked.append(verification.level)
        await verification.session.attempt_first_factor_verification(strategy="password", password=PASSWORD)

    created = await with_reverification(harness.clerk, user.create_totp, verify)
    assert isinstance(created, TOTP) and created.secret and asked == ["first_factor"]  # no second factor yet
    assert session.factor_verification_age == [0, -1]
    token = await session.get_token()
    claims = json.loads(base64.urlsafe_b64decode((token or "").split(".")[1] + "=="))
    assert claims["fva"] == [0, -1]

    instance.advance(11 * 60)
    verification = await session.start_verification(level="first_factor")
    assert verification.status == "needs_first_factor"
    await session.prepare_first_factor_verification(strategy="email_code")
    address = next(f["email_address_id"] for f in verification.supported_first_factors or ()
                   if f["strategy"] == "email_code")
    harness.assert_requested("POST", f"/client/sessions/{session.id}/verify/prepare_first_factor",
                             form=[("strategy", "email_code"), ("email_address_id", address)])
    with pytest.raises(ClerkAPIResponseError):
        await session.attempt_first_factor_verification(strategy="email_code", code="000000")
    same = await session.attempt_first_factor_verification(strategy="email_code", code=code_for(emu, email))
    assert same is verification and verification.status == "complete"
    assert (await user.create_totp()).secret  # allowed again


# -- sessions with activities ---------------------------------------------------------------------------------

async def test_sessions_with_activities_and_revoke(emu: ClerkInstance, backend: Backend, instance: Any) -> None:
    email, _ = new_user(backend)
    laptop, phone = await device(emu, CHROME_MAC), await device(emu)
    await password_sign_in(laptop, email)
    await password_sign_in(phone, email)
    listed = await laptop.clerk.user.get_sessions()  # type: ignore[union-attr]
    assert all(isinstance(s, SessionWithActivities) for s in listed)
    by_id = {s.id: s for s in listed}
    mine = by_id[laptop.clerk.session.id]  # type: ignore[union-attr]
    activity = mine.latest_activity
    assert activity is not None and (activity.browser_name, activity.device_type, activity.is_mobile,
                                     activity.ip_address) == ("Chrome", "Macintosh", False, "127.0.0.1")
    assert activity.browser_version == "126.0.6478.127" and mine.last_active_at is not None
    other = by_id[phone.clerk.session.id]  # type: ignore[union-attr]
    await other.revoke()
    assert other.status == "revoked" and other.latest_activity is not None
    assert [s.id for s in await laptop.clerk.user.get_sessions()] == [mine.id]  # type: ignore[union-attr]
    await phone.clerk.load()
    assert not phone.clerk.is_signed_in
