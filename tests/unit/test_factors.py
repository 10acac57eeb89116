"""Every factor (issue 11): password reset, phone codes, second factors, Client Trust, TOTP and backup codes, SMS
second factors, passkeys through a WebAuthn double, reverification and sessions with activities — the exact
requests clerk-js 6.40.0 sends (clerk-auth-flows.md §5-§9, §12) and the local state after each answer."""

import base64
import json
import time
from types import SimpleNamespace
from typing import Any

import pytest
from fapi_recorder import Recorder, client_json, envelope, error_body, jwt, loaded, reply, session_json, user_json
from page_double import FakePage

from clerk_frontend import (
    TOTP,
    BackupCode,
    Clerk,
    ClerkAPIResponseError,
    ClerkRuntimeError,
    ClerkValidationError,
    ClerkWebAuthnError,
    Passkey,
    ReverificationRequiredError,
    SessionVerification,
    SessionWithActivities,
    with_reverification,
)
from clerk_frontend.tokens import cache_key
from clerk_frontend.webauthn import b64url_decode, b64url_encode, credential_json, public_key_options

E = dict[str, Any]
EMAIL_ID, PHONE_ID, PHONE2_ID = "idn_mail", "idn_phone", "idn_phone2"
PASSWORD = "correct horse battery"


def si(status: str, **fields: Any) -> E:
    return {"id": "sia_1", "object": "sign_in_attempt", "status": status, **fields}


def answer(attempt: E, sessions: list[E] | None = None) -> Any:
    """The attempt with the client that piggybacks it (``sign_in: null`` once complete, as real Clerk)."""
    done = attempt["status"] == "complete"
    return reply(envelope(attempt, client_json(sessions or [], sign_in=None if done else attempt)))


def otp(strategy: str, status: str = "unverified", **fields: Any) -> E:
    return {"object": "verification_otp", "status": status, "strategy": strategy, "attempts": 0, "expire_at": 9,
            **fields}


FIRST = [{"strategy": "password"},
         {"strategy": "phone_code", "safe_identifier": "+1555*", "phone_number_id": PHONE_ID},
         {"strategy": "email_code", "safe_identifier": "a***@e.test", "email_address_id": EMAIL_ID},
         {"strategy": "reset_password_email_code", "safe_identifier": "a***@e.test", "email_address_id": EMAIL_ID},
         {"strategy": "reset_password_phone_code", "safe_identifier": "+1555*", "phone_number_id": PHONE_ID}]
SECOND = [{"strategy": "totp"}, {"strategy": "backup_code"},
          {"strategy": "phone_code", "safe_identifier": "+1555*", "phone_number_id": PHONE_ID},
          {"strategy": "phone_code", "safe_identifier": "+1666*", "phone_number_id": PHONE2_ID, "default": True}]


async def signed_out(rec: Recorder, **options: Any) -> Clerk:
    return await loaded(rec, client_json([]), **options)


# -- password reset ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("strategy", "key", "value"), [("reset_password_email_code", "email_address_id", EMAIL_ID),
                                                        ("reset_password_phone_code", "phone_number_id", PHONE_ID)])
async def test_password_reset_by_code_then_new_password(strategy: str, key: str, value: str) -> None:
    rec = Recorder()
    clerk = await signed_out(rec)
    started = si("needs_first_factor", identifier="ada@e.test", supported_first_factors=FIRST)
    rec.on("POST", "/client/sign_ins", answer(started))
    sent = {**started, "first_factor_verification": otp(strategy)}
    rec.on("POST", "/client/sign_ins/sia_1/prepare_first_factor", answer(sent))
    verified = {**sent, "status": "needs_new_password", "first_factor_verification": otp(strategy, "verified")}
    rec.on("POST", "/client/sign_ins/sia_1/attempt_first_factor", answer(verified))
    done = {**verified, "status": "complete", "created_session_id": "sess_1", "supported_first_factors": None}
    rec.on("POST", "/client/sign_ins/sia_1/reset_password", answer(done, [session_json()]))

    sign_in = await clerk.sign_in.create(identifier="ada@e.test")
    await sign_in.prepare_first_factor(strategy=strategy)
    rec.assert_requested("POST", "/client/sign_ins/sia_1/prepare_first_factor",
                         form=[("strategy", strategy), (key, value)])
    await sign_in.attempt_first_factor(strategy=strategy, code="424242")
    rec.assert_requested("POST", "/client/sign_ins/sia_1/attempt_first_factor",
                         form=[("strategy", strategy), ("code", "424242")])
    assert sign_in.status == "needs_new_password" and clerk.sign_in is sign_in
    assert await sign_in.reset_password(password="n3w-passw0rd!", sign_out_of_other_sessions=True) is sign_in
    rec.assert_requested("POST", "/client/sign_ins/sia_1/reset_password",
                         form=[("password", "n3w-passw0rd!"), ("sign_out_of_other_sessions", "true")])
    assert (sign_in.status, sign_in.created_session_id) == ("complete", "sess_1")
    assert clerk.is_signed_in and clerk.sign_in is not sign_in and clerk.sign_in.id == ""


async def test_reset_password_without_the_option_sends_only_the_password_and_checks_its_input() -> None:
    rec = Recorder()
    clerk = await loaded(rec, client_json([], sign_in=si("needs_new_password")))
    for bad in ({"password": ""}, {"password": None}, {"password": "x" * 9, "sign_out_of_other_sessions": "yes"}):
        with pytest.raises(ClerkValidationError):
            await clerk.sign_in.reset_password(**bad)
    assert rec.count == 2
    failed = error_body("form_password_pwned", "Password has been found in an online data breach.")
    rec.on("POST", "/client/sign_ins/sia_1/reset_password", reply(failed, status=422))
    with pytest.raises(ClerkAPIResponseError) as info:
        await clerk.sign_in.reset_password(password="password1")
    assert info.value.code == "form_password_pwned" and clerk.sign_in.status == "needs_new_password"
    rec.assert_requested("POST", "/client/sign_ins/sia_1/reset_password", form=[("password", "password1")])


# -- phone codes ------------------------------------------------------------------------------------------------

async def test_phone_code_first_factor_takes_the_listed_phone_and_passes_the_channel() -> None:
    rec = Recorder()
    started = si("needs_first_factor", identifier="+15555550100", supported_first_factors=FIRST)
    clerk = await loaded(rec, client_json([], sign_in=started))
    sent = {**started, "first_factor_verification": otp("phone_code", channel="sms")}
    rec.on("POST", "/client/sign_ins/sia_1/prepare_first_factor", answer(sent))
    await clerk.sign_in.prepare_first_factor(strategy="phone_code", channel="sms")
    rec.assert_requested("POST", "/client/sign_ins/sia_1/prepare_first_factor",
                         form=[("strategy", "phone_code"), ("phone_number_id", PHONE_ID), ("channel", "sms")])
    assert clerk.sign_in.first_factor_verification.channel == "sms"  # type: ignore[union-attr]
    done = {**sent, "status": "complete", "created_session_id": "sess_1"}
    rec.on("POST", "/client/sign_ins/sia_1/attempt_first_factor", answer(done, [session_json()]))
    await clerk.sign_in.attempt_first_factor(strategy="phone_code", code="424242")
    assert clerk.is_signed_in


async def test_a_first_factor_the_sign_in_does_not_list_is_refused_before_any_request() -> None:
    rec = Recorder()
    clerk = await loaded(rec, client_json([], sign_in=si("needs_first_factor",
                                                         supported_first_factors=[{"strategy": "password"}])))
    for strategy in ("phone_code", "reset_password_phone_code", "reset_password_email_code"):
        with pytest.raises(ClerkValidationError, match=f"no {strategy} factor"):
            await clerk.sign_in.prepare_first_factor(strategy=strategy)
    assert rec.count == 2


async def test_phone_number_sign_up_with_its_code() -> None:
    rec = Recorder()
    clerk = await signed_out(rec)
    up = {"id": "sua_1", "object": "sign_up_attempt", "status": "missing_requirements", "phone_number": "+15555550100",
          "unverified_fields": ["phone_number"], "verifications": {"phone_number": None}}
    rec.on("POST", "/client/sign_ups", reply(envelope(up, client_json([], sign_up=up))))
    texted = {**up, "verifications": {"phone_number": otp("phone_code", channel="sms", next_action="needs_attempt")}}
    rec.on("POST", "/client/sign_ups/sua_1/prepare_verification",
           reply(envelope(texted, client_json([], sign_up=texted))))
    done = {**texted, "status": "complete", "created_session_id": "sess_1", "created_user_id": "user_1",
            "unverified_fields": [], "verifications": {"phone_number": otp("phone_code", "verified", channel="sms")}}
    rec.on("POST", "/client/sign_ups/sua_1/attempt_verification",
           reply(envelope(done, client_json([session_json()], sign_up=None))))
    sign_up = await clerk.sign_up.create(phone_number="+15555550100")
    await sign_up.prepare_phone_number_verification()
    rec.assert_requested("POST", "/client/sign_ups/sua_1/prepare_verification", form=[("strategy", "phone_code")])
    assert sign_up.verifications.phone_number.next_action == "needs_attempt"  # type: ignore[union-attr]
    await sign_up.attempt_phone_number_verification(code="424242")
    rec.assert_requested("POST", "/client/sign_ups/sua_1/attempt_verification",
                         form=[("strategy", "phone_code"), ("code", "424242")])
    assert sign_up.status == "complete" and clerk.is_signed_in


# -- second factors and Client Trust ------------------------------------------------------------------------------

def waiting(status: str = "needs_second_factor", second: list[E] | None = None) -> E:
    return si(status, identifier="ada@e.test", supported_first_factors=FIRST,
              first_factor_verification={"object": "verification_password", "status": "verified",
                                         "strategy": "password", "attempts": 1, "expire_at": None},
              supported_second_factors=SECOND if second is None else second)


async def test_password_then_totp_completes_the_sign_in() -> None:
    rec = Recorder()
    clerk = await signed_out(rec)
    rec.on("POST", "/client/sign_ins", answer(waiting()))
    sign_in = await clerk.sign_in.create(identifier="ada@e.test", password=PASSWORD)
    assert sign_in.status == "needs_second_factor" and not clerk.is_signed_in
    assert [f["strategy"] for f in sign_in.supported_second_factors or ()] == ["totp", "backup_code", "phone_code",
                                                                             "phone_code"]
    done = {**waiting(), "status": "complete", "created_session_id": "sess_1", "supported_second_factors": None,
            "second_factor_verification": {"object": "verification_totp", "status": "verified", "strategy": "totp"}}
    rec.on("POST", "/client/sign_ins/sia_1/attempt_second_factor", answer(done, [session_json()]))
    await sign_in.attempt_second_factor(strategy="totp", code="123456")
    rec.assert_requested("POST", "/client/sign_ins/sia_1/attempt_second_factor",
                         form=[("strategy", "totp"), ("code", "123456")])
    assert sign_in.second_factor_verification.status == "verified"  # type: ignore[union-attr]
    assert clerk.is_signed_in and clerk.session.id == "sess_1"  # type: ignore[union-attr]


async def test_a_wrong_code_raises_and_keeps_the_server_state() -> None:
    rec = Recorder()
    clerk = await loaded(rec, client_json([], sign_in=waiting()))
    counted = {**waiting(), "second_factor_verification": {"object": "verification_totp", "status": "unverified",
                                                           "strategy": "totp", "attempts": 1}}
    body = {**error_body("form_code_incorrect", "Incorrect code", param_name="code"),
            "meta": {"client": client_json([], sign_in=counted)}}
    rec.on("POST", "/client/sign_ins/sia_1/attempt_second_factor", reply(body, status=422))
    with pytest.raises(ClerkAPIResponseError) as info:
        await clerk.sign_in.attempt_second_factor(strategy="totp", code="000000")
    assert info.value.code == "form_code_incorrect" and info.value.errors[0].meta == {"param_name": "code"}
    assert clerk.sign_in.status == "needs_second_factor"
    assert clerk.sign_in.second_factor_verification.attempts == 1  # type: ignore[union-attr]


async def test_sms_second_factor_prefers_the_default_phone_and_backup_codes_need_no_prepare() -> None:
    rec = Recorder()
    clerk = await loaded(rec, client_json([], sign_in=waiting()))
    texted = {**waiting(), "second_factor_verification": otp("phone_code", channel="sms")}
    rec.on("POST", "/client/sign_ins/sia_1/prepare_second_factor", answer(texted))
    await clerk.sign_in.prepare_second_factor(strategy="phone_code")
    rec.assert_requested("POST", "/client/sign_ins/sia_1/prepare_second_factor",
                         form=[("strategy", "phone_code"), ("phone_number_id", PHONE2_ID)])
    rec.on("POST", "/client/sign_ins/sia_1/prepare_second_factor", answer(texted))
    await clerk.sign_in.prepare_second_factor(strategy="phone_code", phone_number_id=PHONE_ID)
    rec.assert_requested("POST", "/client/sign_ins/sia_1/prepare_second_factor",
                         form=[("strategy", "phone_code"), ("phone_number_id", PHONE_ID)])
    done = {**texted, "status": "complete", "created_session_id": "sess_1"}
    rec.on("POST", "/client/sign_ins/sia_1/attempt_second_factor", answer(done, [session_json()]))
    await clerk.sign_in.attempt_second_factor(strategy="backup_code", code="abcd1234")
    rec.assert_requested("POST", "/client/sign_ins/sia_1/attempt_second_factor",
                         form=[("strategy", "backup_code"), ("code", "abcd1234")])
    assert clerk.is_signed_in and rec.count == 5


async def test_client_trust_proves_an_email_code_on_a_new_device() -> None:
    rec = Recorder()
    clerk = await signed_out(rec)
    trust = waiting("needs_client_trust", [{"strategy": "email_code", "safe_identifier": "a***@e.test",
                                            "email_address_id": EMAIL_ID, "primary": True}])
    rec.on("POST", "/client/sign_ins", answer(trust))
    sign_in = await clerk.sign_in.create(identifier="ada@e.test", password=PASSWORD)
    assert sign_in.status == "needs_client_trust" and not clerk.is_signed_in
    sent = {**trust, "second_factor_verification": otp("email_code")}
    rec.on("POST", "/client/sign_ins/sia_1/prepare_second_factor", answer(sent))
    await sign_in.prepare_second_factor(strategy="email_code")
    rec.assert_requested("POST", "/client/sign_ins/sia_1/prepare_second_factor",
                         form=[("strategy", "email_code"), ("email_address_id", EMAIL_ID)])
    done = {**sent, "status": "complete", "created_session_id": "sess_1"}
    rec.on("POST", "/client/sign_ins/sia_1/attempt_second_factor", answer(done, [session_json()]))
    await sign_in.attempt_second_factor(strategy="email_code", code="424242")
    assert clerk.is_signed_in


async def test_the_redirect_callback_hands_client_trust_to_the_second_factor_step() -> None:
    from test_redirect_callback import callback_clerk

    clerk = await callback_clerk(Recorder(), client_json([], sign_in=waiting("needs_client_trust")), FakePage())
    result = await clerk.handle_redirect_callback(second_factor_url="/factor-two")
    assert (result.outcome, result.url) == ("factor_two", "https://app.test/factor-two")


# -- TOTP, backup codes, SMS second factor on the user -------------------------------------------------------------

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
URI = f"otpauth://totp/App:ada@e.test?algorithm=SHA1&digits=6&issuer=App&period=30&secret={SECRET}"


def me(updated_at: int = 1_000, **flags: Any) -> Any:
    """An answer carrying the signed-in user with these flags (as loaded unless ``updated_at`` is later)."""
    def build(payload: Any) -> Any:
        user = user_json(updated_at=updated_at, **flags)
        return reply(envelope(payload, client_json([session_json(user=user)])))
    return build


async def test_totp_setup_verify_and_disable_keep_the_user_flags_in_sync() -> None:
    rec = Recorder()
    clerk = await loaded(rec)
    user = clerk.user
    states: list[Any] = []
    clerk.add_listener(lambda s: states.append((s.user.totp_enabled, s.user.two_factor_enabled)), skip_initial=True)
    totp = {"object": "totp", "id": "totp_1", "secret": SECRET, "uri": URI, "verified": False, "backup_codes": None,
            "created_at": 1, "updated_at": 1}
    rec.on("POST", "/me/totp", me()(totp))
    created = await user.create_totp()  # type: ignore[union-attr]
    rec.assert_requested("POST", "/me/totp", form=[], params={"_clerk_session_id": "sess_1"})
    assert isinstance(created, TOTP) and (created.secret, created.uri, created.verified) == (SECRET, URI, False)
    assert created.uri.startswith("otpauth://totp/")  # type: ignore[union-attr]
    assert not user.totp_enabled and states == []  # type: ignore[union-attr]
    codes = ["a1b2c3d4", "e5f6g7h8"]
    rec.on("POST", "/me/totp/attempt_verification", me(2_000, totp_enabled=True, two_factor_enabled=True,
                                                       backup_code_enabled=True)(
        {**totp, "verified": True, "secret": None, "uri": None, "backup_codes": codes}))
    verified = await user.verify_totp(code="287082")  # type: ignore[union-attr]
    rec.assert_requested("POST", "/me/totp/attempt_verification", form=[("code", "287082")])
    assert verified.verified and verified.backup_codes == codes
    assert clerk.user is user and (user.totp_enabled, user.two_factor_enabled, user.backup_code_enabled) == (  # type: ignore[union-attr]
        True, True, True)
    assert states == [(True, True)]
    deleted = {"object": "totp", "id": "totp_1", "deleted": True}
    rec.on("DELETE", "/me/totp", me(3_000, backup_code_enabled=True)(deleted))
    assert await user.disable_totp() == {"object": "totp", "id": "totp_1", "deleted": True}  # type: ignore[union-attr]
    assert (user.totp_enabled, user.two_factor_enabled) == (False, False)  # type: ignore[union-attr]
    assert states == [(True, True), (False, False)]


async def test_a_wrong_totp_code_leaves_totp_off() -> None:
    rec = Recorder()
    clerk = await loaded(rec)
    rec.on("POST", "/me/totp/attempt_verification", reply(error_body("form_code_incorrect"), status=422))
    with pytest.raises(ClerkAPIResponseError, match="bad"):
        await clerk.user.verify_totp(code="000000")  # type: ignore[union-attr]
    with pytest.raises(ClerkValidationError):
        await clerk.user.verify_totp(code=None)  # type: ignore[union-attr, arg-type]
    assert not clerk.user.totp_enabled and rec.count == 3  # type: ignore[union-attr]


async def test_backup_codes_are_created_with_clerk_js_trailing_slash() -> None:
    rec = Recorder()
    clerk = await loaded(rec)
    rec.on("POST", "/me/backup_codes/", me(2_000, backup_code_enabled=True)(
        {"object": "backup_code", "id": "bc_1", "codes": ["c1", "c2"], "created_at": 5, "updated_at": 5}))
    made = await clerk.user.create_backup_code()  # type: ignore[union-attr]
    rec.assert_requested("POST", "/me/backup_codes/", form=[])
    assert isinstance(made, BackupCode) and made.codes == ["c1", "c2"]
    assert clerk.user.backup_code_enabled  # type: ignore[union-attr]


async def test_a_phone_number_becomes_the_default_sms_second_factor() -> None:
    rec = Recorder()
    phone = {"id": PHONE_ID, "object": "phone_number", "phone_number": "+15555550100", "updated_at": 1,
             "verification": {"status": "verified", "strategy": "phone_code"}}
    clerk = await loaded(rec, client_json([session_json(user=user_json(phone_numbers=[phone]))]))
    held = clerk.user.phone_numbers[0]  # type: ignore[union-attr]
    reserved = {**phone, "reserved_for_second_factor": True, "default_second_factor": True, "updated_at": 2,
                "backup_codes": ["x1", "x2"]}
    rec.on("PATCH", f"/me/phone_numbers/{PHONE_ID}", reply(envelope(reserved, client_json(
        [session_json(user=user_json(updated_at=2_000, phone_numbers=[reserved], two_factor_enabled=True))]))))
    assert await held.set_reserved_for_second_factor() is held
    rec.assert_requested("PATCH", f"/me/phone_numbers/{PHONE_ID}", form=[("reserved_for_second_factor", "true")])
    assert held.reserved_for_second_factor and held.backup_codes == ["x1", "x2"]
    assert clerk.user.phone_numbers[0] is held and clerk.user.two_factor_enabled  # type: ignore[union-attr]
    rec.on("PATCH", f"/me/phone_numbers/{PHONE_ID}", reply(envelope(reserved, client_json())))
    await held.make_default_second_factor()
    rec.assert_requested("PATCH", f"/me/phone_numbers/{PHONE_ID}", form=[("default_second_factor", "true")])
    rec.on("PATCH", f"/me/phone_numbers/{PHONE_ID}", reply(envelope(reserved, client_json())))
    await held.set_reserved_for_second_factor(reserved=False)
    rec.assert_requested("PATCH", f"/me/phone_numbers/{PHONE_ID}", form=[("reserved_for_second_factor", "false")])
    with pytest.raises(ClerkValidationError):
        await held.set_reserved_for_second_factor(reserved="yes")  # type: ignore[arg-type]


# -- passkeys -----------------------------------------------------------------------------------------------------

def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


CHALLENGE, USER_HANDLE, CRED_ID = b"\x00\xffchallenge-bytes\xfe", b"user_1-handle", b"\x01cred\xfb\xff"
CREATION = {"rp": {"id": "localhost", "name": "App"}, "user": {"id": b64(USER_HANDLE), "name": "ada@e.test",
                                                               "displayName": "Ada"},
            "challenge": b64(CHALLENGE), "pubKeyCredParams": [{"type": "public-key", "alg": -7}], "timeout": 60000,
            "excludeCredentials": [{"type": "public-key", "id": b64(b"old\xff")}],
            "authenticatorSelection": {"requireResidentKey": True, "residentKey": "required",
                                       "userVerification": "required"}, "attestation": "none"}
REQUEST = {"challenge": b64(CHALLENGE), "rpId": "localhost", "allowCredentials": [
    {"type": "public-key", "id": b64(CRED_ID), "transports": ["internal"]}], "timeout": 60000,
    "userVerification": "required"}


class DOMException(Exception):
    def __init__(self, name: str) -> None:
        super().__init__(f"{name} from the browser")
        self.name = name
        self.message = f"{name} from the browser"


class FakeWebAuthn:
    """Stands in for navigator.credentials: records the options it was given, returns fixed credentials."""

    def __init__(self, *, conditional: bool = True, platform: bool = True, fail: Exception | None = None,
                 user_handle: bytes | None = USER_HANDLE) -> None:
        self.conditional, self.platform, self.fail, self.user_handle = conditional, platform, fail, user_handle
        self.calls: list[tuple[str, Any, Any]] = []

    def available(self) -> bool:
        return True

    async def conditional_available(self) -> bool:
        return self.conditional

    async def platform_available(self) -> bool:
        return self.platform

    async def create(self, public_key: E) -> Any:
        self.calls.append(("create", public_key, None))
        if self.fail:
            raise self.fail
        return SimpleNamespace(type="public-key", id=b64(CRED_ID), rawId=CRED_ID, authenticatorAttachment="platform",
                               response=SimpleNamespace(clientDataJSON=b'{"type":"webauthn.create"}',
                                                        attestationObject=b"\xa3attestation",
                                                        getTransports=lambda: ["internal", "hybrid"]))

    async def get(self, public_key: E, mediation: str) -> Any:
        self.calls.append(("get", public_key, mediation))
        if self.fail:
            raise self.fail
        return SimpleNamespace(type="public-key", id=b64(CRED_ID), rawId=CRED_ID, authenticatorAttachment=None,
                               response=SimpleNamespace(clientDataJSON=b'{"type":"webauthn.get"}',
                                                        authenticatorData=b"\x49auth", signature=b"\x30sig",
                                                        userHandle=self.user_handle))


ID = b64(CRED_ID)
# What clerk-js's JSON.stringify of its serialized credentials gives: compact, this key order.
REGISTRATION = ('{"type":"public-key","id":"' + ID + '","rawId":"' + ID + '","authenticatorAttachment":"platform",'
                '"response":{"clientDataJSON":"' + b64(b'{"type":"webauthn.create"}') + '","attestationObject":"'
                + b64(b"\xa3attestation") + '","transports":["internal","hybrid"]}}')
ASSERTION = ('{"type":"public-key","id":"' + ID + '","rawId":"' + ID + '","authenticatorAttachment":null,'
             '"response":{"clientDataJSON":"' + b64(b'{"type":"webauthn.get"}') + '","authenticatorData":"'
             + b64(b"\x49auth") + '","signature":"' + b64(b"\x30sig") + '","userHandle":"' + b64(USER_HANDLE) + '"}}')


def passkey_json(verification: E | None, name: str = "Chrome on Linux", **fields: Any) -> E:
    return {"object": "passkey", "id": "pk_1", "name": name, "last_used_at": None, "verification": verification,
            "created_at": 1, "updated_at": fields.pop("updated_at", 1), **fields}


def test_base64url_is_unpadded_and_decodes_without_padding() -> None:
    for size in range(6):
        data = bytes(range(250, 250 + size % 6)) + b"\xfb\xff" * size
        text = b64url_encode(data)
        assert "=" not in text and "+" not in text and "/" not in text and b64url_decode(text) == data
    options = public_key_options(json.dumps(CREATION), "excludeCredentials")
    assert options["challenge"] == CHALLENGE and options["user"]["id"] == USER_HANDLE
    assert options["excludeCredentials"] == [{"type": "public-key", "id": b"old\xff"}]
    assert options["rp"] == {"id": "localhost", "name": "App"}
    request = public_key_options(json.dumps(REQUEST), "allowCredentials")
    assert request["allowCredentials"][0]["id"] == CRED_ID and "user" not in request
    with pytest.raises(ClerkRuntimeError, match="nonce"):
        public_key_options(None)


async def test_serialized_credentials_are_clerk_js_json() -> None:
    fake = FakeWebAuthn(user_handle=None)
    assert credential_json(await fake.create({}), "clientDataJSON", "attestationObject", "transports") == REGISTRATION
    assertion = ("clientDataJSON", "authenticatorData", "signature", "userHandle")
    assert json.loads(credential_json(await fake.get({}, "optional"), *assertion))["response"]["userHandle"] is None
    assert credential_json(await FakeWebAuthn().get({}, "optional"), *assertion) == ASSERTION


async def test_create_passkey_registers_it_in_the_browser() -> None:
    rec = Recorder()
    clerk = await loaded(rec)
    fake = clerk.webauthn = FakeWebAuthn()  # type: ignore[attr-defined]
    pending = {"object": "verification_passkey", "status": "unverified", "strategy": "passkey",
               "nonce": json.dumps(CREATION), "expire_at": 9}
    rec.on("POST", "/me/passkeys", reply(envelope(passkey_json(pending), client_json())))
    done = passkey_json({**pending, "status": "verified", "nonce": None}, updated_at=2)
    user = user_json(updated_at=2_000, passkeys=[done])
    rec.on("POST", "/me/passkeys/pk_1/attempt_verification", reply(envelope(done, client_json(
        [session_json(user=user)]))))
    passkey = await clerk.user.create_passkey()  # type: ignore[union-attr]
    rec.assert_requested("POST", "/me/passkeys", form=[])
    [(kind, options, _)] = fake.calls
    assert kind == "create" and options["challenge"] == CHALLENGE and options["user"]["id"] == USER_HANDLE
    rec.assert_requested("POST", "/me/passkeys/pk_1/attempt_verification",
                         form=[("strategy", "passkey"), ("public_key_credential", REGISTRATION)])
    assert isinstance(passkey, Passkey) and passkey.verification.status == "verified"  # type: ignore[union-attr]
    assert clerk.user.passkeys == [passkey] and clerk.user.passkeys[0] is passkey  # type: ignore[union-attr]
    renamed = passkey_json(None, "Work laptop", updated_at=3)
    rec.on("PATCH", "/me/passkeys/pk_1", reply(envelope(renamed, client_json(
        [session_json(user=user_json(updated_at=3_000, passkeys=[renamed]))]))))
    assert await passkey.update(name="Work laptop") is passkey
    rec.assert_requested("PATCH", "/me/passkeys/pk_1", form=[("name", "Work laptop")])
    assert passkey.name == "Work laptop" and clerk.user.passkeys[0] is passkey  # type: ignore[union-attr]
    rec.on("DELETE", "/me/passkeys/pk_1", reply(envelope({"object": "passkey", "id": "pk_1", "deleted": True},
                                                         client_json([session_json(user=user_json(updated_at=4_000))]))))
    assert (await passkey.delete())["deleted"] is True
    assert clerk.user.passkeys == []  # type: ignore[union-attr]


async def test_passkeys_without_webauthn_fail_clearly_before_any_request() -> None:
    rec = Recorder()
    clerk = await loaded(rec)
    with pytest.raises(ClerkWebAuthnError, match="WebAuthn") as info:
        await clerk.user.create_passkey()  # type: ignore[union-attr]
    assert info.value.code == "passkey_not_supported"
    for flow in (None, "discoverable", "autofill"):
        with pytest.raises(ClerkWebAuthnError):
            await clerk.sign_in.authenticate_with_passkey(flow=flow)
    assert rec.count == 2


@pytest.mark.parametrize(("name", "code"), [("NotAllowedError", "passkey_registration_cancelled"),
                                            ("InvalidStateError", "passkey_already_exists"),
                                            ("AbortError", "passkey_operation_aborted"),
                                            ("SecurityError", "passkey_invalid_rpID_or_domain")])
async def test_browser_refusals_become_clerk_js_codes_and_nothing_is_verified(name: str, code: str) -> None:
    rec = Recorder()
    clerk = await loaded(rec)
    clerk.webauthn = FakeWebAuthn(fail=DOMException(name))  # type: ignore[attr-defined]
    pending = {"status": "unverified", "strategy": "passkey", "nonce": json.dumps(CREATION)}
    rec.on("POST", "/me/passkeys", reply(envelope(passkey_json(pending), client_json())))
    with pytest.raises(ClerkWebAuthnError) as info:
        await clerk.user.create_passkey()  # type: ignore[union-attr]
    assert info.value.code == code and rec.count == 3


async def test_a_platform_only_registration_without_a_platform_authenticator_is_refused() -> None:
    rec = Recorder()
    clerk = await loaded(rec)
    fake = clerk.webauthn = FakeWebAuthn(platform=False)  # type: ignore[attr-defined]
    options = {**CREATION, "authenticatorSelection": {"authenticatorAttachment": "platform"}}
    pending = {"status": "unverified", "strategy": "passkey", "nonce": json.dumps(options)}
    rec.on("POST", "/me/passkeys", reply(envelope(passkey_json(pending), client_json())))
    with pytest.raises(ClerkWebAuthnError) as info:
        await clerk.user.create_passkey()  # type: ignore[union-attr]
    assert info.value.code == "passkey_pa_not_supported" and fake.calls == []


def passkey_sign_in(status: str = "needs_first_factor", **fields: Any) -> E:
    verification = {"object": "verification_passkey", "status": "unverified", "strategy": "passkey",
                    "nonce": json.dumps(REQUEST)}
    return si(status, first_factor_verification=verification, **fields)


@pytest.mark.parametrize(("flow", "conditional", "mediation"), [("discoverable", True, "optional"),
                                                                ("autofill", True, "conditional"),
                                                                ("autofill", False, "optional")])
async def test_discoverable_and_autofill_passkey_sign_in(flow: str, conditional: bool, mediation: str) -> None:
    rec = Recorder()
    clerk = await signed_out(rec, page=FakePage(locale="en-US"))
    fake = clerk.webauthn = FakeWebAuthn(conditional=conditional)  # type: ignore[attr-defined]
    rec.on("POST", "/client/sign_ins", answer(passkey_sign_in()))
    done = {**passkey_sign_in("complete"), "created_session_id": "sess_1"}
    rec.on("POST", "/client/sign_ins/sia_1/attempt_first_factor", answer(done, [session_json()]))
    sign_in = await clerk.sign_in.authenticate_with_passkey(flow=flow)
    rec.assert_requested("POST", "/client/sign_ins", form=[("strategy", "passkey"), ("locale", "en-US")])
    [(kind, options, used)] = fake.calls
    assert (kind, used) == ("get", mediation)
    assert options["challenge"] == CHALLENGE and options["allowCredentials"][0]["id"] == CRED_ID
    rec.assert_requested("POST", "/client/sign_ins/sia_1/attempt_first_factor",
                         form=[("strategy", "passkey"), ("public_key_credential", ASSERTION)])
    assert sign_in.status == "complete" and clerk.is_signed_in and rec.count == 4


async def test_passkey_first_factor_of_an_identified_sign_in_and_bad_flows() -> None:
    rec = Recorder()
    listed = si("needs_first_factor", supported_first_factors=[{"strategy": "passkey"}, {"strategy": "password"}])
    clerk = await loaded(rec, client_json([], sign_in=listed))
    fake = clerk.webauthn = FakeWebAuthn()  # type: ignore[attr-defined]
    with pytest.raises(ClerkValidationError, match="flow"):
        await clerk.sign_in.authenticate_with_passkey(flow="popup")
    rec.on("POST", "/client/sign_ins/sia_1/prepare_first_factor", answer(passkey_sign_in(
        supported_first_factors=listed["supported_first_factors"])))
    rec.on("POST", "/client/sign_ins/sia_1/attempt_first_factor", answer(
        {**passkey_sign_in("complete"), "created_session_id": "sess_1"}, [session_json()]))
    await clerk.sign_in.authenticate_with_passkey()
    rec.assert_requested("POST", "/client/sign_ins/sia_1/prepare_first_factor", form=[("strategy", "passkey")])
    assert fake.calls[0][2] == "optional" and clerk.is_signed_in
    rec2 = Recorder()
    clerk2 = await loaded(rec2, client_json([], sign_in=si("needs_first_factor",
                                                           supported_first_factors=[{"strategy": "password"}])))
    clerk2.webauthn = FakeWebAuthn()  # type: ignore[attr-defined]
    with pytest.raises(ClerkRuntimeError, match="no passkey") as info:
        await clerk2.sign_in.authenticate_with_passkey()
    assert info.value.code == "passkey_not_offered" and rec2.count == 2


async def test_passkey_second_factor_at_needs_second_factor() -> None:
    # clerk-js 6.40.0: without a flow, a sign-in at needs_second_factor listing a passkey uses that second factor.
    rec = Recorder()
    second = [{"strategy": "totp"}, {"strategy": "passkey"}]
    waiting = si("needs_second_factor", supported_first_factors=[{"strategy": "passkey"}],
                 supported_second_factors=second)
    clerk = await loaded(rec, client_json([], sign_in=waiting))
    fake = clerk.webauthn = FakeWebAuthn()  # type: ignore[attr-defined]
    prepared = {"object": "verification_passkey", "status": "unverified", "strategy": "passkey",
                "nonce": json.dumps(REQUEST), "attempts": 0, "expire_at": 9}
    rec.on("POST", "/client/sign_ins/sia_1/prepare_second_factor", answer(
        {**waiting, "second_factor_verification": prepared}))
    rec.on("POST", "/client/sign_ins/sia_1/attempt_second_factor", answer(
        {**si("complete"), "created_session_id": "sess_1"}, [session_json()]))
    sign_in = await clerk.sign_in.authenticate_with_passkey()
    rec.assert_requested("POST", "/client/sign_ins/sia_1/prepare_second_factor", form=[("strategy", "passkey")])
    [(kind, options, mediation)] = fake.calls
    assert (kind, mediation) == ("get", "optional") and options["challenge"] == CHALLENGE
    assert options["allowCredentials"][0]["id"] == CRED_ID
    rec.assert_requested("POST", "/client/sign_ins/sia_1/attempt_second_factor",
                         form=[("strategy", "passkey"), ("public_key_credential", ASSERTION)])
    assert sign_in.status == "complete" and clerk.is_signed_in and rec.count == 4
    # Without a passkey among the second factors, it is the first-factor path (which this sign-in has passed).
    rec2 = Recorder()
    clerk2 = await loaded(rec2, client_json([], sign_in=si("needs_second_factor",
                                                           supported_second_factors=[{"strategy": "totp"}])))
    clerk2.webauthn = FakeWebAuthn()  # type: ignore[attr-defined]
    with pytest.raises(ClerkRuntimeError) as info:
        await clerk2.sign_in.authenticate_with_passkey()
    assert info.value.code == "passkey_not_offered" and rec2.count == 2
    # A refused assertion reaches the caller as the server's error, and the sign-in stays at the second step.
    rec3 = Recorder()
    clerk3 = await loaded(rec3, client_json([], sign_in=waiting))
    clerk3.webauthn = FakeWebAuthn()  # type: ignore[attr-defined]
    rec3.on("POST", "/client/sign_ins/sia_1/prepare_second_factor", answer(
        {**waiting, "second_factor_verification": prepared}))
    rec3.on("POST", "/client/sign_ins/sia_1/attempt_second_factor", reply(
        error_body("passkey_authentication_failure", "Passkey authentication failed."), status=400))
    with pytest.raises(ClerkAPIResponseError) as failed:
        await clerk3.sign_in.authenticate_with_passkey()
    assert failed.value.code == "passkey_authentication_failure"
    assert clerk3.sign_in.status == "needs_second_factor" and not clerk3.is_signed_in


async def test_a_cancelled_passkey_prompt_sends_no_attempt() -> None:
    rec = Recorder()
    clerk = await signed_out(rec)
    clerk.webauthn = FakeWebAuthn(fail=DOMException("NotAllowedError"))  # type: ignore[attr-defined]
    rec.on("POST", "/client/sign_ins", answer(passkey_sign_in()))
    with pytest.raises(ClerkWebAuthnError) as info:
        await clerk.sign_in.authenticate_with_passkey(flow="discoverable")
    assert info.value.code == "passkey_retrieval_cancelled" and rec.count == 3


# -- reverification -----------------------------------------------------------------------------------------------

def session_verification(status: str, level: str = "second_factor", **fields: Any) -> E:
    return {"object": "session_verification", "id": "sv_1", "status": status, "level": level,
            "supported_first_factors": [{"strategy": "password"}, {"strategy": "email_code",
                                                                   "email_address_id": EMAIL_ID}],
            "supported_second_factors": [{"strategy": "totp"}], "first_factor_verification": None,
            "second_factor_verification": None, "session": session_json(), **fields}


REVERIFY = error_body("session_reverification_required", "Reverification required",
                      "You need to provide additional verification to perform this operation")


async def test_reverification_required_is_a_dedicated_error_that_says_how_to_reverify() -> None:
    rec = Recorder()
    clerk = await loaded(rec)
    rec.on("POST", "/me/totp", reply(REVERIFY, status=403))
    with pytest.raises(ReverificationRequiredError) as info:
        await clerk.user.create_totp()  # type: ignore[union-attr]
    error = info.value
    assert isinstance(error, ClerkAPIResponseError) and error.status == 403
    assert error.code == "session_reverification_required"
    assert "with_reverification" in str(error) and "start_verification" in error.message
    assert error.message.startswith("You need to provide additional verification")


async def test_session_reverification_requests_and_state() -> None:
    rec = Recorder()
    clerk = await loaded(rec)
    session = clerk.session
    rec.on("POST", "/client/sessions/sess_1/verify", reply(envelope(session_verification("needs_first_factor"),
                                                                    client_json())))
    started = await session.start_verification(level="second_factor")  # type: ignore[union-attr]
    rec.assert_requested("POST", "/client/sessions/sess_1/verify", form=[("level", "second_factor")])
    assert isinstance(started, SessionVerification) and started.session is session
    assert "_clerk_session_id" not in rec.calls[-1].params
    rec.on("POST", "/client/sessions/sess_1/verify/prepare_first_factor", reply(envelope(session_verification(
        "needs_first_factor", first_factor_verification=otp("email_code")), client_json())))
    assert await session.prepare_first_factor_verification(strategy="email_code") is started  # type: ignore[union-attr]
    rec.assert_requested("POST", "/client/sessions/sess_1/verify/prepare_first_factor",
                         form=[("strategy", "email_code"), ("email_address_id", EMAIL_ID)])
    rec.on("POST", "/client/sessions/sess_1/verify/attempt_first_factor", reply(envelope(session_verification(
        "needs_second_factor"), client_json([session_json(factor_verification_age=[0, 30])]))))
    await session.attempt_first_factor_verification(strategy="email_code", code="424242")  # type: ignore[union-attr]
    rec.assert_requested("POST", "/client/sessions/sess_1/verify/attempt_first_factor",
                         form=[("strategy", "email_code"), ("code", "424242")])
    assert started.status == "needs_second_factor" and session.factor_verification_age == [0, 30]  # type: ignore[union-attr]
    rec.on("POST", "/client/sessions/sess_1/verify/prepare_second_factor", reply(envelope(session_verification(
        "needs_second_factor"), client_json())))
    await session.prepare_second_factor_verification(strategy="phone_code", phone_number_id=PHONE_ID)  # type: ignore[union-attr]
    rec.assert_requested("POST", "/client/sessions/sess_1/verify/prepare_second_factor",
                         form=[("strategy", "phone_code"), ("phone_number_id", PHONE_ID)])
    rec.on("POST", "/client/sessions/sess_1/verify/attempt_second_factor", reply(envelope(session_verification(
        "complete"), client_json([session_json(factor_verification_age=[0, 0])]))))
    await session.attempt_second_factor_verification(strategy="totp", code="123456")  # type: ignore[union-attr]
    rec.assert_requested("POST", "/client/sessions/sess_1/verify/attempt_second_factor",
                         form=[("strategy", "totp"), ("code", "123456")])
    assert started.status == "complete" and session.factor_verification_age == [0, 0]  # type: ignore[union-attr]
    with pytest.raises(ClerkValidationError):
        await session.attempt_first_factor_verification(strategy="password", password=["x", 1])  # type: ignore[union-attr]


async def test_with_reverification_reverifies_then_retries_the_action_once() -> None:
    rec = Recorder()
    clerk = await loaded(rec)
    now = int(time.time())
    clerk._tokens.set(cache_key("sess_1", None, None), jwt(now, now + 60))
    assert clerk._tokens.get(cache_key("sess_1", None, None)) is not None
    rec.on("POST", "/me/backup_codes/", reply(REVERIFY, status=403))
    rec.on("POST", "/client/sessions/sess_1/verify", reply(envelope(session_verification("needs_first_factor"),
                                                                    client_json())))
    rec.on("POST", "/client/sessions/sess_1/verify/attempt_first_factor", reply(envelope(
        session_verification("complete"), client_json([session_json(factor_verification_age=[0, -1])]))))
    rec.on("POST", "/me/backup_codes/", me(2_000, backup_code_enabled=True)({"object": "backup_code", "id": "bc_1",
                                                                       "codes": ["c1"]}))
    seen: list[Any] = []

    async def verify(verification: SessionVerification) -> None:
        seen.append((verification.status, verification.level))
        await verification.session.attempt_first_factor_verification(strategy="password", password=PASSWORD)

    made = await with_reverification(clerk, clerk.user.create_backup_code, verify)  # type: ignore[union-attr]
    assert made.codes == ["c1"] and seen == [("needs_first_factor", "second_factor")]
    assert [(c.method, c.path) for c in rec.calls[2:]] == [
        ("POST", "/me/backup_codes/"), ("POST", "/client/sessions/sess_1/verify"),
        ("POST", "/client/sessions/sess_1/verify/attempt_first_factor"), ("POST", "/me/backup_codes/")]
    rec.assert_requested("POST", "/client/sessions/sess_1/verify", form=[("level", "second_factor")])
    assert clerk._tokens.get(cache_key("sess_1", None, None)) is None  # the next token has the new verification age


async def test_with_reverification_passes_results_through_and_stops_when_not_completed() -> None:
    rec = Recorder()
    clerk = await loaded(rec)

    async def no_verify(verification: SessionVerification) -> None:
        raise AssertionError("not needed")

    async def fine() -> str:
        return "ok"

    assert await with_reverification(clerk, fine, no_verify) == "ok" and rec.count == 2
    calls: list[str] = []

    async def gated() -> Any:
        calls.append("action")
        rec.on("POST", "/me/totp", reply(REVERIFY, status=403))
        return await clerk.user.create_totp()  # type: ignore[union-attr]

    rec.on("POST", "/client/sessions/sess_1/verify", reply(envelope(session_verification(
        "needs_first_factor", "multi_factor"), client_json())))

    async def give_up(verification: SessionVerification) -> None:
        pass

    with pytest.raises(ClerkRuntimeError) as info:
        await with_reverification(clerk, gated, give_up, level="multi_factor")
    assert info.value.code == "reverification_incomplete" and calls == ["action"]
    rec.assert_requested("POST", "/client/sessions/sess_1/verify", form=[("level", "multi_factor")])

    class Cancelled(Exception):
        pass

    async def cancel(verification: SessionVerification) -> None:
        raise Cancelled

    rec.on("POST", "/client/sessions/sess_1/verify", reply(envelope(session_verification("needs_first_factor"),
                                                                    client_json())))
    with pytest.raises(Cancelled):
        await with_reverification(clerk, gated, cancel)
    rec.assert_requested("POST", "/client/sessions/sess_1/verify", form=[("level", "second_factor")])
    assert calls == ["action", "action"]
    signed_out = await loaded(Recorder(), client_json([]))
    with pytest.raises(ReverificationRequiredError):  # no session to reverify: the error stands
        await with_reverification(signed_out, gated, cancel)


# -- sessions with activities ---------------------------------------------------------------------------------------

ACTIVITY = {"object": "session_activity", "id": "sess_activity_1", "device_type": "Macintosh", "is_mobile": False,
            "browser_name": "Chrome", "browser_version": "140.0.0.0", "ip_address": "127.0.0.1", "city": "Paris",
            "country": "FR"}


async def test_get_sessions_returns_typed_sessions_that_can_be_revoked() -> None:
    rec = Recorder()
    clerk = await loaded(rec)
    listed = [{"object": "session", "id": "sess_1", "status": "active", "last_active_at": 1_700_000_000_000,
               "expire_at": 1_800_000_000_000, "abandon_at": 1_900_000_000_000, "latest_activity": ACTIVITY,
               "actor": None, "user": None, "last_active_token": None},
              {"object": "session", "id": "sess_2", "status": "active", "latest_activity": {
                  **ACTIVITY, "id": "sess_activity_2", "is_mobile": True, "device_type": "iPhone"}}]
    rec.on("GET", "/me/sessions/active", reply(listed))
    mine, other = await clerk.user.get_sessions()  # type: ignore[union-attr]
    rec.assert_requested("GET", "/me/sessions/active", params={"_clerk_session_id": "sess_1"})
    assert isinstance(mine, SessionWithActivities) and mine.latest_activity is not None
    activity = mine.latest_activity
    assert (activity.browser_name, activity.browser_version, activity.device_type, activity.city, activity.country,
            activity.ip_address, activity.is_mobile) == ("Chrome", "140.0.0.0", "Macintosh", "Paris", "FR",
                                                         "127.0.0.1", False)
    assert mine.last_active_at is not None and mine.last_active_at.year == 2023
    assert other.latest_activity.is_mobile  # type: ignore[union-attr]
    revoked = session_json("sess_2", status="revoked")
    rec.on("POST", "/me/sessions/sess_2/revoke", reply(envelope(revoked, client_json())))
    assert await other.revoke() is other
    rec.assert_requested("POST", "/me/sessions/sess_2/revoke", form=[])
    assert other.status == "revoked" and other.latest_activity.device_type == "iPhone"  # type: ignore[union-attr]
    rec.on("POST", "/me/sessions/sess_1/revoke", reply(REVERIFY, status=403))
    with pytest.raises(ReverificationRequiredError):
        await mine.revoke()
    assert mine.status == "active"


# -- the wire table of issue 11's methods (test_wire_table checks every public method is covered) --------------

FACTOR_COVERED = {"SignIn.authenticate_with_passkey", "User.create_passkey",
                  "SignIn.reset_password", "SignUp.prepare_phone_number_verification",
                  "SignUp.attempt_phone_number_verification", "User.create_totp", "User.verify_totp",
                  "User.disable_totp", "User.create_backup_code", "PhoneNumber.set_reserved_for_second_factor",
                  "PhoneNumber.make_default_second_factor", "Passkey.update", "Passkey.delete",
                  "Session.start_verification", "Session.prepare_first_factor_verification",
                  "Session.attempt_first_factor_verification", "Session.prepare_second_factor_verification",
                  "Session.attempt_second_factor_verification", "SessionWithActivities.revoke",
                  "Session.verify_with_passkey"}  # test_session_verify_with_passkey.py
