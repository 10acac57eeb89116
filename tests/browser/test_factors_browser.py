"""Every factor with the SDK in Pyodide in Chromium (issue 11): a full password reset, password + TOTP computed from
the secret, a backup code (then the same code refused), Client Trust in a fresh browser context, passkeys with
Chromium's virtual authenticator (Playwright's CDP session: ``WebAuthn.enable`` + ``WebAuthn.addVirtualAuthenticator``)
and a reverification-gated action.

Chromium refuses WebAuthn on an IP-address origin, so the local instance serves both the page (``--static``) and
the Frontend API on ``http://localhost:PORT`` (``--host localhost``): one origin, and the relying party is
``localhost``. Codes are read from the instance's outbox; TOTP codes are computed here (RFC 6238 with hmac).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import shutil
import struct
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from bapi_client import PASSWORD, Backend
from browser_harness import BOOT_TIMEOUT_MS, PyPage, PythonFailure, new_page
from clerk_emulator.kit import LocalProcess
from playwright.sync_api import Browser, BrowserContext

PAGES = Path(__file__).resolve().parent / "pages"


def totp(secret: str, step: int | None = None) -> str:
    """RFC 6238 as Clerk uses it: HMAC-SHA1 over the 30-second step, 6 digits."""
    step = int(time.time() // 30) if step is None else step
    digest = hmac.new(base64.b32decode(secret + "=" * (-len(secret) % 8)), struct.pack(">Q", step),
                      hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return str((struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000).zfill(6)


@pytest.fixture(scope="module")
def emu(tmp_path_factory: pytest.TempPathFactory, bundle_dir: Path) -> Iterator[LocalProcess]:
    """The local instance on localhost, serving the bundle and the harness page on its own origin."""
    # A copy: the instance serves nothing outside its folder (symlinks would point outside), and the shared
    # bundle may be rebuilt meanwhile.
    site = tmp_path_factory.mktemp("factors-site") / "site"
    shutil.copytree(bundle_dir / "pyodide", site / "pyodide")
    shutil.copy(PAGES / "harness.html", site / "harness.html")
    with LocalProcess(tmp_path_factory.mktemp("clerk-factors"), host="localhost", static_dir=site) as proc:
        assert proc.fapi_url.startswith("http://localhost:")
        yield proc


@pytest.fixture(scope="module")
def backend(emu: LocalProcess) -> Iterator[Backend]:
    api = Backend(emu)
    yield api
    api.close()


@pytest.fixture
def instance(emu: LocalProcess) -> Iterator[Any]:
    """PATCH the instance settings for one test (or move its clock); both are put back afterwards."""
    def settings(changes: dict[str, Any]) -> None:
        assert httpx.patch(emu.fapi_url + "/__emulator/settings", json=changes).status_code == 200

    def advance(seconds: int) -> None:
        assert httpx.post(emu.fapi_url + "/__emulator/clock", json={"advance_seconds": seconds}).status_code == 200

    yield SimpleNamespace(settings=settings, advance=advance)
    httpx.delete(emu.fapi_url + "/__emulator/settings")
    httpx.delete(emu.fapi_url + "/__emulator/clock")


class Tab:
    """A browser context (a browser profile of its own) with the harness page booted on the instance's origin."""

    def __init__(self, browser: Browser, emu: LocalProcess) -> None:
        self.context: BrowserContext
        self.context, page, recorder = new_page(browser, emu.fapi_url + "/harness.html")
        page.wait_for_function("window.pyReady === true", timeout=BOOT_TIMEOUT_MS)
        error = page.evaluate("window.pyBootError")
        if error:
            raise PythonFailure(f"Pyodide failed to boot: {error}")
        self.py = PyPage(page, recorder)
        self.py.run(f"from clerk_frontend import *\nclerk = await Clerk({emu.publishable_key!r}).load()\nNone")

    def run(self, code: str) -> Any:
        return self.py.run(code)

    def authenticator(self) -> str:
        """A platform authenticator for this page (CTAP2, resident keys, user verification that succeeds)."""
        cdp = self.context.new_cdp_session(self.py.page)
        cdp.send("WebAuthn.enable", {"enableUI": False})
        added = cdp.send("WebAuthn.addVirtualAuthenticator", {"options": {
            "protocol": "ctap2", "transport": "internal", "hasResidentKey": True, "hasUserVerification": True,
            "isUserVerified": True, "automaticPresenceSimulation": True}})
        self.cdp = cdp
        return str(added["authenticatorId"])


@pytest.fixture
def tabs(browser: Browser, emu: LocalProcess) -> Iterator[Any]:
    opened: list[Tab] = []

    def open_tab() -> Tab:
        opened.append(Tab(browser, emu))
        return opened[-1]

    yield open_tab
    for tab in opened:
        tab.context.close()


def new_user(backend: Backend, **fields: Any) -> tuple[str, str]:
    email = f"browser-factors-{secrets.token_hex(5)}@example.com"
    user = backend.call("POST", "/users", {"email_address": [email], "password": PASSWORD, **fields})
    return email, str(user["id"])


def code_for(emu: LocalProcess, to: str) -> str:
    items = httpx.get(emu.fapi_url + "/__emulator/outbox", params={"to": to}).json()["data"]
    assert items, f"no message to {to}"
    return str(items[0]["code"])


def signs_in(email: str, password: str = PASSWORD) -> str:
    return f"sign_in = await clerk.sign_in.create(identifier={email!r}, password={password!r})\n"


def test_full_password_reset(tabs: Any, emu: LocalProcess, backend: Backend, instance: Any) -> None:
    email, user_id = new_user(backend)
    tab = tabs()
    assert tab.run(f"""
sign_in = await clerk.sign_in.create(identifier={email!r})
await sign_in.prepare_first_factor(strategy="reset_password_email_code")
sign_in.first_factor_verification.status""") == "unverified"
    code = code_for(emu, email)
    wrong = "000000" if code != "000000" else "111111"
    assert tab.run(f"""
try:
    await sign_in.attempt_first_factor(strategy="reset_password_email_code", code={wrong!r})
except ClerkAPIResponseError as exc:
    refused = exc.code
await sign_in.attempt_first_factor(strategy="reset_password_email_code", code={code!r})
[refused, sign_in.status, clerk.is_signed_in]""") == ["form_code_incorrect", "needs_new_password", False]
    assert tab.run("""
await sign_in.reset_password(password="browser-new-password-9", sign_out_of_other_sessions=True)
[sign_in.status, clerk.is_signed_in, clerk.user.id]""") == ["complete", True, user_id]
    other = tabs()
    assert other.run(signs_in(email, "browser-new-password-9") + "[sign_in.status, clerk.user.id]") == [
        "complete", user_id]


def test_password_and_totp_then_backup_code_once(tabs: Any, emu: LocalProcess, backend: Backend,
                                                instance: Any) -> None:
    email, user_id = new_user(backend)
    tab = tabs()
    secret, uri = tab.run(signs_in(email) + "totp = await clerk.user.create_totp()\n[totp.secret, totp.uri]")
    assert uri.startswith("otpauth://totp/") and tab.run("clerk.user.totp_enabled") is False
    assert tab.run(f"""
verified = await clerk.user.verify_totp(code={totp(secret)!r})
codes = (await clerk.user.create_backup_code()).codes
[verified.verified, clerk.user.totp_enabled, clerk.user.two_factor_enabled, clerk.user.backup_code_enabled]
""") == [True, True, True, True]
    codes = tab.run("codes")
    assert backend.user(user_id)["totp_enabled"] is True

    laptop = tabs()
    assert laptop.run(signs_in(email) + "[sign_in.status, [f['strategy'] for f in sign_in.supported_second_factors]]"
                      )[0] == "needs_second_factor"
    next_step = totp(secret, int(time.time() // 30) + 1)
    assert laptop.run(f"""
await sign_in.attempt_second_factor(strategy="totp", code={next_step!r})
[sign_in.status, clerk.is_signed_in, clerk.user.id, clerk.session.factor_verification_age]
""") == ["complete", True, user_id, [0, 0]]

    phone = tabs()
    assert phone.run(signs_in(email) + f"""
await sign_in.attempt_second_factor(strategy="backup_code", code={codes[0]!r})
[sign_in.status, clerk.is_signed_in]""") == ["complete", True]
    again = tabs()
    assert again.run(signs_in(email) + f"""
try:
    await sign_in.attempt_second_factor(strategy="backup_code", code={codes[0]!r})
except ClerkAPIResponseError as exc:
    refused = exc.code
[refused, sign_in.status, clerk.is_signed_in]""") == ["form_code_incorrect", "needs_second_factor", False]


def test_client_trust_on_a_fresh_browser_context(tabs: Any, emu: LocalProcess, backend: Backend,
                                                 instance: Any) -> None:
    instance.settings({"client_trust": {"enabled": True}})
    email, user_id = new_user(backend)
    tab = tabs()
    assert tab.run(signs_in(email) + """
await sign_in.prepare_second_factor(strategy="email_code")
[sign_in.status, sign_in.second_factor_verification.strategy, clerk.is_signed_in]""") == [
        "needs_client_trust", "email_code", False]
    assert tab.run(f"""
await sign_in.attempt_second_factor(strategy="email_code", code={code_for(emu, email)!r})
await clerk.sign_out()
again = await clerk.sign_in.create(identifier={email!r}, password={PASSWORD!r})
[sign_in.status, again.status, clerk.user.id]""") == ["complete", "complete", user_id]
    fresh = tabs()
    assert fresh.run(signs_in(email) + "sign_in.status") == "needs_client_trust"


def test_passkey_registration_and_sign_in_with_the_virtual_authenticator(tabs: Any, emu: LocalProcess,
                                                                         backend: Backend, instance: Any) -> None:
    email, user_id = new_user(backend)
    tab = tabs()
    authenticator = tab.authenticator()
    got = tab.run(signs_in(email) + """
passkey = await clerk.user.create_passkey()
await passkey.update(name="Chromium virtual")
[passkey.verification.status, passkey.name, [p.id for p in clerk.user.passkeys] == [passkey.id]]""")
    assert got == ["verified", "Chromium virtual", True]
    stored = tab.cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"]
    assert len(stored) == 1 and stored[0]["rpId"] == "localhost" and stored[0]["isResidentCredential"]
    assert tab.run("""
await clerk.sign_out()
sign_in = await clerk.sign_in.authenticate_with_passkey(flow="discoverable")
[sign_in.status, clerk.user.id, clerk.user.passkeys[0].last_used_at is not None]""") == [
        "complete", user_id, True]
    # With the identifier first, the sign-in's passkey factor is used; the credential lives in this page only.
    assert tab.run(f"""
await clerk.sign_out()
await clerk.sign_in.create(identifier={email!r})
sign_in = await clerk.sign_in.authenticate_with_passkey()
[sign_in.status, clerk.user.id]""") == ["complete", user_id]
    # A browser without the passkey: the browser says no, clerk-js's code, nothing sent.
    other = tabs()
    other.authenticator()
    assert other.run("""
try:
    await clerk.sign_in.authenticate_with_passkey(flow="discoverable")
except ClerkWebAuthnError as exc:
    code = exc.code
[code, clerk.is_signed_in]""") == ["passkey_retrieval_cancelled", False]
    assert tab.run("""
await clerk.user.passkeys[0].delete()
clerk.user.passkeys""") == []


def test_reverification_gated_action(tabs: Any, emu: LocalProcess, backend: Backend, instance: Any) -> None:
    instance.settings({"reverification": {"enabled": True}})
    email, _ = new_user(backend)
    tab = tabs()
    tab.run(signs_in(email) + "None")
    instance.advance(11 * 60)
    assert tab.run(f"""
try:
    await clerk.user.update_password(new_password="reverified-password-1", current_password={PASSWORD!r})
except ReverificationRequiredError as exc:
    first = (exc.status, exc.code, "with_reverification" in exc.message)
asked = []
async def verify(verification):
    asked.append(verification.level)
    await verification.session.attempt_first_factor_verification(strategy="password", password={PASSWORD!r})
await with_reverification(clerk, lambda: clerk.user.update_password(new_password="reverified-password-1",
                                                                     current_password={PASSWORD!r}), verify)
[first, asked, clerk.session.factor_verification_age]""") == [[403, "session_reverification_required", True],
                                                              ["first_factor"], [0, -1]]
    other = tabs()
    assert other.run(signs_in(email, "reverified-password-1") + "sign_in.status") == "complete"
