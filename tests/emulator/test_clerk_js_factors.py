"""clerk-js (pinned in build/versions.py), unchanged, runs the factors of issue 11 against the local Clerk instance
in Debian's Chromium: TOTP setup and the second-factor sign-in (codes computed here from the secret), backup codes,
password reset, reverification, and passkeys (first factor, and second factor after a password) through
Chromium's virtual authenticator.

The emulator serves the app (``pages/clerk_js_app.js``) beside the clerk-js bundle. Each browser context is one
device. Passkey pages are served and call FAPI on ``http://localhost:PORT`` (Chromium refuses WebAuthn on an IP
origin), report ``navigator.webdriver`` false (clerk-js refuses passkeys in an automated browser) and load clerk-js
without telemetry (the only request it would make outside loopback). Every request is recorded; one outside
127.0.0.0/8 is aborted and fails the test.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import shutil
import struct
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from clerk_emulator.kit import LocalProcess
from clerk_js_support import (
    NOT_WEBDRIVER,
    PAGE,
    Traffic,
    chromium,
    copy_clerk_js,
    guarded_context,
    virtual_authenticator,
)
from emu_support import PASSWORD, Bapi, email_of

pytestmark = [pytest.mark.emulator, pytest.mark.realclient, pytest.mark.browser]

APP_JS = Path(__file__).resolve().parent / "pages" / "clerk_js_app.js"
WAIT_MS = 15_000
NO_TELEMETRY = "<script>window.clerkLoadOptions = {telemetry: false};</script>\n"


def totp(secret: str, step: int | None = None) -> str:
    """RFC 6238 (HMAC-SHA1, 6 digits, 30 s), as an authenticator app computes it."""
    step = int(time.time() // 30) if step is None else step
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 15
    return str((struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000).zfill(6)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_clerk_js(tmp_path_factory.mktemp("clerk-js-factors-site"))
    shutil.copy2(APP_JS, root / "app.js")
    return root


@pytest.fixture(scope="module")
def served(site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalProcess]:
    with LocalProcess(tmp_path_factory.mktemp("clerk-js-factors-emu"), static_dir=site) as emu:
        app = '<script src="/app.js"></script>\n'
        (site / "index.html").write_text(PAGE.format(pk=emu.publishable_key, proxy=emu.fapi_url, extra=app))
        # The passkey page: on localhost, and clerk-js calls FAPI there too (same origin, same cookies).
        local = f"http://localhost:{emu.port}"
        (site / "local").mkdir(exist_ok=True)
        (site / "local" / "index.html").write_text(PAGE.format(pk=emu.publishable_key, proxy=local,
                                                               extra=NO_TELEMETRY + app))
        yield emu


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as b:
        yield b


@pytest.fixture(scope="module")
def bapi(served: LocalProcess) -> Iterator[Bapi]:
    with Bapi(served) as b:
        yield b


@pytest.fixture(scope="module")
def control(served: LocalProcess) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=served.fapi_url, timeout=10) as http:
        yield http


class Device:
    """One browser (a fresh context, so its own Clerk client) showing the app."""

    def __init__(self, browser: Any, emu: LocalProcess, *, passkeys: bool = False) -> None:
        self.emu = emu
        self.context, self.traffic = guarded_context(browser)
        self.context.set_default_timeout(WAIT_MS)
        self.origin = f"http://localhost:{emu.port}" if passkeys else emu.fapi_url
        self.path = "/local/" if passkeys else "/"
        if passkeys:
            self.context.add_init_script(NOT_WEBDRIVER)

    def open(self) -> Any:
        page = self.context.new_page()
        page.goto(self.origin + self.path)
        self.ready(page)
        return page

    def ready(self, page: Any) -> None:
        """Wait until the app has loaded clerk-js on ``page``; fail on what it threw."""
        page.wait_for_function("() => window.app && (window.app.ready || window.app.error !== null)")
        error = page.evaluate("() => window.app.error")
        assert error is None, self.why(f"the app threw {error}")

    def why(self, note: str) -> str:
        return f"{note}\n--- requests and console ---\n{self.traffic.log()}"

    def run(self, page: Any, script: str, arg: Any = None) -> Any:
        """Run an async function of the app in the page; a thrown Clerk error comes back as ``{"error": …}``."""
        return page.evaluate(f"""async (arg) => {{
            try {{ return await ({script})(arg, window.Clerk); }}
            catch (err) {{ return {{error: window.app.describe(err)}}; }}
        }}""", arg)

    def state(self, page: Any) -> dict[str, Any]:
        state: dict[str, Any] = page.evaluate("() => window.app.state()")
        return state

    def close(self) -> Traffic:
        self.context.close()
        return self.traffic


@pytest.fixture
def device(browser: Any, served: LocalProcess) -> Iterator[Callable[..., Device]]:
    made: list[Device] = []

    def make(**kwargs: Any) -> Device:
        made.append(Device(browser, served, **kwargs))
        return made[-1]

    yield make
    for dev in made:
        traffic = dev.close()
        assert traffic.outside == [], dev.why(f"requests outside loopback: {traffic.outside}")


def codes(result: Any) -> list[str]:
    assert isinstance(result, dict) and "error" in result, result
    return [e["code"] for e in result["error"]["errors"]]


def ok(dev: Device, result: Any) -> Any:
    assert not (isinstance(result, dict) and "error" in result), dev.why(f"clerk-js threw {result}")
    return result


PASSWORD_SIGN_IN = """async ([identifier, password], clerk) => {
    const signIn = await clerk.client.signIn.create({identifier, password});
    if (signIn.status === 'complete') await clerk.setActive({session: signIn.createdSessionId});
    return {status: signIn.status, second: (signIn.supportedSecondFactors || []).map((f) => f.strategy)};
}"""
SECOND_FACTOR = """async ([strategy, code], clerk) => {
    const signIn = await clerk.client.signIn.attemptSecondFactor({strategy, code});
    if (signIn.status === 'complete') await clerk.setActive({session: signIn.createdSessionId});
    return {status: signIn.status, sessionId: clerk.session ? clerk.session.id : null};
}"""


def signed_in(dev: Device, page: Any, user: dict[str, Any]) -> dict[str, Any]:
    state = dev.state(page)
    assert state["userId"] == user["id"] and state["sessionId"] in state["clientSessionIds"], state
    return state


def test_totp_setup_and_second_factor_sign_in(device: Callable[..., Device], bapi: Bapi) -> None:
    user = bapi.create_user()
    email = email_of(user)
    laptop = device()
    page = laptop.open()
    assert ok(laptop, laptop.run(page, PASSWORD_SIGN_IN, [email, PASSWORD]))["status"] == "complete"
    created = ok(laptop, laptop.run(page, """async (_, clerk) => {
        const totp = await clerk.user.createTOTP();
        return {secret: totp.secret, uri: totp.uri, verified: totp.verified};
    }"""))
    assert created["verified"] is False and created["uri"].startswith("otpauth://totp/")
    assert dev_state(laptop, page, reload=True)["totpEnabled"] is False  # nothing before a code is accepted
    wrong = laptop.run(page, "async (code, clerk) => clerk.user.verifyTOTP({code})",
                       "000000" if totp(created["secret"]) != "000000" else "111111")
    assert codes(wrong) == ["form_code_incorrect"]
    verified = ok(laptop, laptop.run(page, """async (code, clerk) => {
        const totp = await clerk.user.verifyTOTP({code});
        await clerk.user.reload();
        return {verified: totp.verified, backupCodes: totp.backupCodes};
    }""", totp(created["secret"])))
    assert verified["verified"] is True and len(verified["backupCodes"]) == 10
    state = dev_state(laptop, page)
    assert (state["totpEnabled"], state["twoFactorEnabled"], state["backupCodeEnabled"]) == (True, True, True)

    # Another device: the password is not enough any more.
    phone = device()
    other = phone.open()
    started = ok(phone, phone.run(other, PASSWORD_SIGN_IN, [email, PASSWORD]))
    assert started == {"status": "needs_second_factor", "second": ["totp", "backup_code"]}
    assert codes(phone.run(other, SECOND_FACTOR, ["totp", "12345"])) == ["form_code_incorrect"]
    next_step = totp(created["secret"], int(time.time() // 30) + 1)  # not yet used by the setup above
    done = ok(phone, phone.run(other, SECOND_FACTOR, ["totp", next_step]))
    assert done["status"] == "complete"
    state = signed_in(phone, other, user)
    assert state["factorVerificationAge"] == [0, 0]

    # A backup code works once.
    tablet = device()
    third = tablet.open()
    ok(tablet, tablet.run(third, PASSWORD_SIGN_IN, [email, PASSWORD]))
    assert ok(tablet, tablet.run(third, SECOND_FACTOR, ["backup_code", verified["backupCodes"][0]]))["status"] == \
        "complete"
    signed_in(tablet, third, user)
    fourth_device = device()
    fourth = fourth_device.open()
    ok(fourth_device, fourth_device.run(fourth, PASSWORD_SIGN_IN, [email, PASSWORD]))
    assert codes(fourth_device.run(fourth, SECOND_FACTOR, ["backup_code", verified["backupCodes"][0]])) == \
        ["form_code_incorrect"]
    assert fourth_device.state(fourth)["sessionId"] is None

    # Turning TOTP off again, from clerk-js.
    ok(laptop, laptop.run(page, "async (_, clerk) => { await clerk.user.disableTOTP(); await clerk.user.reload(); }"))
    state = dev_state(laptop, page)
    assert (state["totpEnabled"], state["twoFactorEnabled"], state["backupCodeEnabled"]) == (False, False, False)
    stored = bapi.call("GET", f"/users/{user['id']}").json
    assert stored["totp_enabled"] is False and stored["two_factor_enabled"] is False


def dev_state(dev: Device, page: Any, *, reload: bool = False) -> dict[str, Any]:
    if reload:
        ok(dev, dev.run(page, "async (_, clerk) => { await clerk.user.reload(); }"))
    return dev.state(page)


def test_password_reset(device: Callable[..., Device], bapi: Bapi, control: httpx.Client) -> None:
    user = bapi.create_user()
    email = email_of(user)
    old = device()
    old_page = old.open()
    ok(old, old.run(old_page, PASSWORD_SIGN_IN, [email, PASSWORD]))
    dev = device()
    page = dev.open()
    started = ok(dev, dev.run(page, """async (identifier, clerk) => {
        const signIn = await clerk.client.signIn.create({strategy: 'reset_password_email_code', identifier});
        return {status: signIn.status, ffv: signIn.firstFactorVerification.strategy};
    }""", email))
    assert started == {"status": "needs_first_factor", "ffv": "reset_password_email_code"}
    message = control.get("/__emulator/outbox", params={"to": email}).json()["data"][0]
    assert message["kind"] == "reset_password_code"
    attempt = """async (code, clerk) => {
        const signIn = await clerk.client.signIn.attemptFirstFactor({strategy: 'reset_password_email_code', code});
        return {status: signIn.status};
    }"""
    assert codes(dev.run(page, attempt, "000000" if message["code"] != "000000" else "111111")) == \
        ["form_code_incorrect"]
    assert ok(dev, dev.run(page, attempt, message["code"])) == {"status": "needs_new_password"}
    reset = """async (password, clerk) => {
        const signIn = await clerk.client.signIn.resetPassword({password, signOutOfOtherSessions: true});
        if (signIn.status === 'complete') await clerk.setActive({session: signIn.createdSessionId});
        return {status: signIn.status};
    }"""
    assert codes(dev.run(page, reset, "short")) == ["form_password_length_too_short"]
    assert ok(dev, dev.run(page, reset, "a-brand-new-password")) == {"status": "complete"}
    signed_in(dev, page, user)
    # The other browser's session was signed out.
    ok(old, old.run(old_page, "async (_, clerk) => { await clerk.client.reload(); }"))
    assert old.state(old_page)["clientSessionIds"] == []
    fresh = device()
    fresh_page = fresh.open()
    assert codes(fresh.run(fresh_page, PASSWORD_SIGN_IN, [email, PASSWORD])) == ["form_password_incorrect"]
    assert ok(fresh, fresh.run(fresh_page, PASSWORD_SIGN_IN, [email, "a-brand-new-password"]))["status"] == \
        "complete"


def test_reverification_before_a_sensitive_action(device: Callable[..., Device], bapi: Bapi,
                                                  control: httpx.Client) -> None:
    user = bapi.create_user()
    dev = device()
    page = dev.open()
    ok(dev, dev.run(page, PASSWORD_SIGN_IN, [email_of(user), PASSWORD]))
    session_id = dev.state(page)["sessionId"]
    assert control.patch("/__emulator/settings", json={"reverification": {"enabled": True}}).status_code == 200
    try:
        assert control.post(f"/__emulator/sessions/{session_id}/age", json={"minutes": 30}).status_code == 200
        change = """async ([currentPassword, newPassword], clerk) => {
            await clerk.user.updatePassword({currentPassword, newPassword});
            return 'changed';
        }"""
        assert codes(dev.run(page, change, [PASSWORD, "changed-password-1"])) == ["session_reverification_required"]
        result = ok(dev, dev.run(page, """async (password, clerk) => {
            const started = await clerk.session.startVerification({level: 'first_factor'});
            const done = await clerk.session.attemptFirstFactorVerification({strategy: 'password', password});
            await clerk.setActive({session: done.session.id});
            return {started: started.status, done: done.status, age: clerk.session.factorVerificationAge};
        }""", PASSWORD))
        assert result == {"started": "needs_first_factor", "done": "complete", "age": [0, -1]}
        assert ok(dev, dev.run(page, change, [PASSWORD, "changed-password-1"])) == "changed"
    finally:
        assert control.delete("/__emulator/settings").status_code == 200


def test_passkeys_with_the_virtual_authenticator(device: Callable[..., Device], bapi: Bapi,
                                                 served: LocalProcess) -> None:
    user = bapi.create_user()
    email = email_of(user)
    laptop = device(passkeys=True)
    page = laptop.open()
    cdp, authenticator = virtual_authenticator(laptop.context, page)
    assert page.evaluate("() => navigator.webdriver") is False
    ok(laptop, laptop.run(page, PASSWORD_SIGN_IN, [email, PASSWORD]))
    created = ok(laptop, laptop.run(page, """async (_, clerk) => {
        const passkey = await clerk.user.createPasskey();
        await clerk.user.reload();
        return {id: passkey.id, status: passkey.verification.status, name: passkey.name};
    }"""))
    assert created["status"] == "verified", created
    assert [p["id"] for p in dev_state(laptop, page)["passkeys"]] == [created["id"]]
    credentials = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"]
    assert len(credentials) == 1 and credentials[0]["rpId"] == "localhost" and credentials[0]["isResidentCredential"]
    renamed = ok(laptop, laptop.run(page, """async (id, clerk) => {
        const passkey = clerk.user.passkeys.find((p) => p.id === id);
        const updated = await passkey.update({name: 'Work laptop'});
        return updated.name;
    }""", created["id"]))
    assert renamed == "Work laptop"
    # Signed out, the same browser signs in with the passkey alone (discoverable: no identifier typed).
    with page.expect_navigation():  # clerk-js moves to the redirect URL: the passkey page again
        page.evaluate("() => { window.Clerk.signOut({redirectUrl: location.href}); }")
    laptop.ready(page)
    assert laptop.state(page)["sessionId"] is None
    flow = """async (flow, clerk) => {
        const signIn = await clerk.client.signIn.authenticateWithPasskey(flow ? {flow} : undefined);
        if (signIn.status === 'complete') await clerk.setActive({session: signIn.createdSessionId});
        return {status: signIn.status};
    }"""
    assert ok(laptop, laptop.run(page, flow, "discoverable")) == {"status": "complete"}
    state = signed_in(laptop, page, user)
    assert state["passkeys"][0]["lastUsedAt"] == 1

    # Another browser holding the same passkey (copied, with its signature counter, into its own virtual
    # authenticator, as a synced passkey): after the identifier, clerk-js prepares the passkey factor and signs in.
    credentials = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"]
    assert credentials[0]["signCount"] >= 1
    other = device(passkeys=True)
    other_page = other.open()
    other_cdp, other_authenticator = virtual_authenticator(other.context, other_page)
    other_cdp.send("WebAuthn.addCredential", {"authenticatorId": other_authenticator, "credential": credentials[0]})
    identified = """async (identifier, clerk) => {
        await clerk.client.signIn.create({identifier});
        const signIn = await clerk.client.signIn.authenticateWithPasskey();
        if (signIn.status === 'complete') await clerk.setActive({session: signIn.createdSessionId});
        return {status: signIn.status};
    }"""
    assert ok(other, other.run(other_page, identified, email)) == {"status": "complete"}
    signed_in(other, other_page, user)

    # Deleted, the passkey no longer signs anyone in.
    ok(laptop, laptop.run(page, """async (id, clerk) => {
        await clerk.user.passkeys.find((p) => p.id === id).delete();
        await clerk.user.reload();
    }""", created["id"]))
    assert dev_state(laptop, page)["passkeys"] == []
    third = device(passkeys=True)
    third_page = third.open()
    third_cdp, third_authenticator = virtual_authenticator(third.context, third_page)
    third_cdp.send("WebAuthn.addCredential", {"authenticatorId": third_authenticator, "credential": credentials[0]})
    assert codes(third.run(third_page, flow, "discoverable")) == ["passkey_not_registered"]
    assert third.state(third_page)["sessionId"] is None
    assert [s["id"] for s in bapi.call("GET", "/sessions", params={"user_id": user["id"], "status": "active"}).json]


def test_passkey_second_factor_with_the_virtual_authenticator(device: Callable[..., Device], bapi: Bapi,
                                                              control: httpx.Client) -> None:
    """clerk-js 6.40.0's passkey second factor: after a password, ``authenticateWithPasskey()`` at
    ``needs_second_factor`` prepares the listed passkey factor, asks the authenticator and attempts it."""
    user = bapi.create_user()
    laptop = device(passkeys=True)
    page = laptop.open()
    virtual_authenticator(laptop.context, page)
    ok(laptop, laptop.run(page, PASSWORD_SIGN_IN, [email_of(user), PASSWORD]))
    ok(laptop, laptop.run(page, "async (_, clerk) => { await clerk.user.createPasskey(); }"))
    changed = control.patch("/__emulator/settings", json={"attributes": {"passkey": {"used_for_second_factor": True}}})
    assert changed.status_code == 200, changed.text
    try:
        with page.expect_navigation():  # clerk-js moves to the redirect URL: the same page
            page.evaluate("() => { window.Clerk.signOut({redirectUrl: location.href}); }")
        laptop.ready(page)
        started = ok(laptop, laptop.run(page, PASSWORD_SIGN_IN, [email_of(user), PASSWORD]))
        assert started == {"status": "needs_second_factor", "second": ["passkey"]}, started
        done = ok(laptop, laptop.run(page, """async (_, clerk) => {
            const signIn = await clerk.client.signIn.authenticateWithPasskey();
            const verification = signIn.secondFactorVerification;
            if (signIn.status === 'complete') await clerk.setActive({session: signIn.createdSessionId});
            return {status: signIn.status, strategy: verification.strategy, verified: verification.status,
                    age: clerk.session.factorVerificationAge};
        }"""))
        assert done == {"status": "complete", "strategy": "passkey", "verified": "verified", "age": [0, 0]}, done
        signed_in(laptop, page, user)
    finally:
        assert control.delete("/__emulator/settings").status_code == 200
