"""Testing tokens over real HTTP: issued by the Backend API, honoured on Frontend API requests as
``__clerk_testing_token`` (the client says ``captcha_bypass: true``; a sign-up needs no captcha)."""

from __future__ import annotations

import json
import re
import secrets
import sqlite3
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from clerk_emulator.kit import LocalProcess
from emu_support import PASSWORD, Bapi, Fapi

pytestmark = pytest.mark.emulator

TURNSTILE_TEST_TOKEN = "XXXX.DUMMY.TOKEN.XXXX"


def new_email(tag: str) -> str:
    return f"{tag}-{secrets.token_hex(4)}+clerk_test@example.com"


def new_testing_token(bapi: Bapi) -> dict[str, Any]:
    r = bapi.call("POST", "/testing_tokens")
    assert r.status == 200, r
    return dict(r.json)


def test_testing_token_shape(bapi: Bapi) -> None:
    before = int(time.time())
    first, second = new_testing_token(bapi), new_testing_token(bapi)
    assert first["object"] == "testing_token"
    assert re.fullmatch(r"\d+-[A-Za-z0-9_-]{40,}", first["token"]), first
    issued = int(first["token"].split("-")[0])
    assert before <= issued <= int(time.time())
    assert first["expires_at"] == issued + 3600  # Unix seconds, one hour later
    assert first["token"] != second["token"]
    r = bapi.call("POST", "/testing_tokens", {"ttl": 5})
    assert r.status == 422 and r.error()["code"] == "form_param_unknown"


def client_with(fapi: Fapi, token: str | None) -> Any:
    params = {"__clerk_testing_token": token} if token is not None else {}
    r = fapi.call("GET", "/v1/client", params=params)
    assert r.status == 200, r
    return r


def test_valid_testing_token_sets_captcha_bypass(emu: LocalProcess, bapi: Bapi) -> None:
    fapi = Fapi(emu, dev_browser=True)  # a browser that already has a client
    try:
        token = new_testing_token(bapi)["token"]
        r = client_with(fapi, token)
        assert r.response["captcha_bypass"] is True and r.client["captcha_bypass"] is True
        assert client_with(fapi, None).response["captcha_bypass"] is False  # only for the request carrying it
        never_issued = f"{int(time.time())}-{'A' * 43}"
        for bad in (never_issued, "garbage", ""):
            assert client_with(fapi, bad).response["captcha_bypass"] is False, bad
        # Envelopes of other routes carry the flag too.
        env = fapi.call("POST", "/v1/client/sign_ins", {"identifier": "nobody+clerk_test@example.com"},
                        params={"__clerk_testing_token": token})
        assert env.status == 422 and env.json["meta"]["client"]["captcha_bypass"] is True
    finally:
        fapi.close()


def test_expired_testing_token_is_ignored(emu: LocalProcess, bapi: Bapi) -> None:
    token = new_testing_token(bapi)["token"]
    # Age the stored token instead of waiting an hour.
    with sqlite3.connect(emu.data_dir / "clerk-emulator.sqlite3", timeout=10) as conn:
        data = json.loads(conn.execute("SELECT data FROM testing_tokens WHERE id=?", (token,)).fetchone()[0])
        data["expires_at"] = int(time.time()) - 1
        conn.execute("UPDATE testing_tokens SET data=? WHERE id=?", (json.dumps(data), token))
    fapi = Fapi(emu, dev_browser=True)
    try:
        assert client_with(fapi, token).response["captcha_bypass"] is False
    finally:
        fapi.close()


@pytest.fixture
def captcha_on(emu: LocalProcess) -> Iterator[None]:
    settings = emu.fapi_url + "/__emulator/settings"
    before = httpx.get(settings).json()
    assert httpx.patch(settings, json={"sign_up": {"captcha_enabled": True}}).status_code == 200
    try:
        yield
    finally:
        assert httpx.put(settings, json=before).status_code == 200


def sign_up(emu: LocalProcess, token: str | None = None, **fields: str) -> Any:
    fapi = Fapi(emu)
    try:
        params = {"__clerk_testing_token": token} if token else {}
        return fapi.call("POST", "/v1/client/sign_ups",
                         {"email_address": new_email("captcha"), "password": PASSWORD, **fields}, params=params)
    finally:
        fapi.close()


def test_sign_up_without_captcha_when_it_is_off(emu: LocalProcess) -> None:
    r = sign_up(emu)
    assert r.status == 200 and r.response["status"] in ("missing_requirements", "complete"), r


def test_captcha_enforced_on_sign_up(emu: LocalProcess, bapi: Bapi, captcha_on: None) -> None:
    missing = sign_up(emu)
    assert missing.status == 400 and missing.error()["code"] == "captcha_missing_token", missing
    failed = sign_up(emu, captcha_error="300030,300030")
    assert failed.status == 400 and failed.error()["code"] == "captcha_invalid", failed
    assert failed.error()["message"] == "Error loading CAPTCHA"
    wrong = sign_up(emu, captcha_token="0.not-a-turnstile-token", captcha_widget_type="invisible")
    assert wrong.status == 400 and wrong.error()["code"] == "captcha_invalid", wrong
    passed = sign_up(emu, captcha_token=TURNSTILE_TEST_TOKEN, captcha_widget_type="smart")
    assert passed.status == 200, passed
    bypassed = sign_up(emu, new_testing_token(bapi)["token"])
    assert bypassed.status == 200, bypassed
    assert bypassed.client["captcha_bypass"] is True
    stale = f"{int(time.time())}-{'B' * 43}"
    assert sign_up(emu, stale).error()["code"] == "captcha_missing_token"
