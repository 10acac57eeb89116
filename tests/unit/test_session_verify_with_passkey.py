"""``session.verify_with_passkey()``: clerk-js's ``verifyWithPasskey`` for a reverification's first factor — the
prepare, the WebAuthn request built from its nonce, the attempt with clerk-js's JSON of the assertion, and the
browser's refusal as a ``ClerkWebAuthnError`` with nothing attempted."""

import json
from typing import Any

import pytest
from fapi_recorder import Recorder, client_json, envelope, loaded, reply
from test_factors import ASSERTION, CHALLENGE, CRED_ID, REQUEST, DOMException, FakeWebAuthn, session_verification

from clerk_frontend import ClerkWebAuthnError


def passkey_step(status: str = "needs_first_factor") -> Any:
    verification = {"object": "verification_passkey", "status": "unverified", "strategy": "passkey",
                    "nonce": json.dumps(REQUEST), "attempts": None, "expire_at": 9}
    return reply(envelope(session_verification(status, level="first_factor", first_factor_verification=verification),
                          client_json()))


async def test_prepare_then_the_browser_then_attempt() -> None:
    rec = Recorder()
    clerk = await loaded(rec)
    fake = clerk.webauthn = FakeWebAuthn()  # type: ignore[attr-defined]
    session = clerk.session
    assert session is not None
    rec.on("POST", "/client/sessions/sess_1/verify", reply(envelope(session_verification("needs_first_factor"),
                                                                    client_json())))
    started = await session.start_verification(level="first_factor")
    rec.on("POST", "/client/sessions/sess_1/verify/prepare_first_factor", passkey_step())
    rec.on("POST", "/client/sessions/sess_1/verify/attempt_first_factor", reply(envelope(
        session_verification("complete", level="first_factor"), client_json())))
    assert await session.verify_with_passkey() is started and started.status == "complete"
    rec.assert_requested("POST", "/client/sessions/sess_1/verify/prepare_first_factor", form=[("strategy", "passkey")])
    rec.assert_requested("POST", "/client/sessions/sess_1/verify/attempt_first_factor",
                         form=[("strategy", "passkey"), ("public_key_credential", ASSERTION)])
    [(kind, options, mediation)] = fake.calls
    assert (kind, mediation) == ("get", "optional")  # never the autofill (conditional) request
    assert options["challenge"] == CHALLENGE and options["allowCredentials"][0]["id"] == CRED_ID


async def test_a_refusal_of_the_browser_attempts_nothing() -> None:
    rec = Recorder()
    clerk = await loaded(rec)
    clerk.webauthn = FakeWebAuthn(fail=DOMException("NotAllowedError"))  # type: ignore[attr-defined]
    session = clerk.session
    assert session is not None
    rec.on("POST", "/client/sessions/sess_1/verify", reply(envelope(session_verification("needs_first_factor"),
                                                                    client_json())))
    await session.start_verification(level="first_factor")
    rec.on("POST", "/client/sessions/sess_1/verify/prepare_first_factor", passkey_step())
    with pytest.raises(ClerkWebAuthnError) as info:
        await session.verify_with_passkey()
    assert info.value.code == "passkey_retrieval_cancelled"
    assert not [c for c in rec.calls if c.path.endswith("/attempt_first_factor")]
