"""The emulator as a process: startup contract, keys, durability under SIGKILL, atomic merges,
CORS, fault injection, static files, session tokens."""

from __future__ import annotations

import base64
import gzip
import itertools
import json
import socket
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from clerk_emulator.kit import ClerkKitError, LocalProcess
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from emu_support import ALLOWED_ORIGIN, PASSWORD, Bapi, Fapi, email_of

pytestmark = pytest.mark.emulator


def _b64d(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def test_startup_lines_and_publishable_key(emu: LocalProcess) -> None:
    assert emu.fapi_url == f"http://127.0.0.1:{emu.port}"
    assert emu.bapi_url == emu.fapi_url + "/bapi/v1"
    assert emu.publishable_key.startswith("pk_test_")
    assert _b64d(emu.publishable_key.split("_", 2)[2]).decode() == f"127.0.0.1:{emu.port}$"
    assert emu.secret_key.startswith("sk_test_")
    assert (emu.demo_email, emu.demo_password) == ("demo+clerk_test@example.com", "demo-password-424242")
    browser = Fapi(emu)
    browser.sign_in(emu.demo_email, emu.demo_password)
    browser.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_restart_same_folder_same_keys_and_sigkill_durability(tmp_path: Path) -> None:
    port = _free_port()
    data = tmp_path / "store"
    first = LocalProcess(data, seed=True, port=port)
    try:
        lines1 = (first.publishable_key, first.secret_key)
        jwks1 = httpx.get(first.fapi_url + "/.well-known/jwks.json").json()
        browser = Fapi(first)
        browser.sign_in(first.demo_email or "", first.demo_password or "")
        for i in range(20):
            r = browser.call("PATCH", "/v1/me/metadata", {"unsafe_metadata": json.dumps({f"k{i}": i})},
                             validate=False)
            assert r.status == 200
        browser.close()
    finally:
        first.kill()  # SIGKILL right after the last acknowledged write
    assert first.proc.returncode == -9
    second = LocalProcess(data, seed=True, port=port)
    try:
        assert (second.publishable_key, second.secret_key) == lines1
        assert httpx.get(second.fapi_url + "/.well-known/jwks.json").json() == jwks1
        assert second.demo_email == first.demo_email
        bapi = Bapi(second)
        users = bapi.call("GET", "/users", params={"email_address": second.demo_email}).json
        assert users[0]["unsafe_metadata"] == {f"k{i}": i for i in range(20)}
        bapi.http.close()
    finally:
        assert second.stop() == 0  # SIGTERM: clean exit


def test_reset_and_no_seed(tmp_path: Path) -> None:
    data = tmp_path / "store"
    with LocalProcess(data, seed=True) as a:
        secret = a.secret_key
        with Bapi(a) as bapi_a:
            bapi_a.create_user()
    with LocalProcess(data, extra_args=["--reset"]) as b, Bapi(b) as bapi_b:
        assert b.secret_key != secret
        assert b.demo_email is None
        assert bapi_b.call("GET", "/users").json == []


def test_concurrent_merges_lose_no_key(emu: LocalProcess, bapi: Bapi) -> None:
    user = bapi.create_user()
    browser = Fapi(emu)
    browser.sign_in(email_of(user))
    cookies = dict(browser.http.cookies)
    sid = browser.session_id
    errors: list[str] = []

    def worker(n: int) -> None:
        with httpx.Client(base_url=emu.fapi_url, cookies=cookies, timeout=20) as http:
            for i in range(15):
                r = http.post("/v1/me/metadata", params={"_method": "PATCH", "_clerk_session_id": sid},
                              data={"unsafe_metadata": json.dumps({"shared": {f"w{n}_{i}": i}, f"top{n}": i})})
                if r.status_code != 200:
                    errors.append(r.text)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    stored = bapi.call("GET", f"/users/{user['id']}").json["unsafe_metadata"]
    assert stored["shared"] == {f"w{n}_{i}": i for n in range(8) for i in range(15)}
    assert {k: v for k, v in stored.items() if k != "shared"} == {f"top{n}": 14 for n in range(8)}
    browser.close()


def test_session_token_is_a_60s_rs256_v2_jwt_verified_by_jwks(emu: LocalProcess, bapi: Bapi) -> None:
    user = bapi.create_user()
    browser = Fapi(emu)
    browser.sign_in(email_of(user))
    r = browser.call("POST", f"/v1/client/sessions/{browser.session_id}/tokens",
                     headers={"Origin": ALLOWED_ORIGIN})
    jwt = r.json["jwt"]
    head_b64, claims_b64, sig_b64 = jwt.split(".")
    header, claims = json.loads(_b64d(head_b64)), json.loads(_b64d(claims_b64))
    assert header["alg"] == "RS256" and header["typ"] == "JWT"
    keys = {k["kid"]: k for k in httpx.get(emu.fapi_url + "/.well-known/jwks.json").json()["keys"]}
    assert keys == {k["kid"]: k for k in bapi.call("GET", "/jwks").json["keys"]}
    jwk = keys[header["kid"]]
    pub = rsa.RSAPublicNumbers(int.from_bytes(_b64d(jwk["e"]), "big"),
                               int.from_bytes(_b64d(jwk["n"]), "big")).public_key()
    pub.verify(_b64d(sig_b64), f"{head_b64}.{claims_b64}".encode(), padding.PKCS1v15(), hashes.SHA256())
    assert claims["v"] == 2 and claims["exp"] - claims["iat"] == 60
    assert claims["sub"] == user["id"] and claims["sid"] == browser.session_id
    assert claims["iss"] == emu.fapi_url and claims["azp"] == ALLOWED_ORIGIN
    assert claims["nbf"] <= claims["iat"] <= time.time() + 1
    assert claims["fva"] == [0, -1]
    browser.close()


def test_cors(emu: LocalProcess) -> None:
    for origin in (ALLOWED_ORIGIN, "http://127.0.0.1:5173", "http://localhost:8000"):
        pre = httpx.options(emu.fapi_url + "/v1/client", headers={
            "Origin": origin, "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type"})
        assert pre.status_code == 204
        assert pre.headers["access-control-allow-origin"] == origin
        assert pre.headers["access-control-allow-credentials"] == "true"
        assert "content-type" in pre.headers["access-control-allow-headers"]
        r = httpx.get(emu.fapi_url + "/v1/environment", headers={"Origin": origin})
        assert r.headers["access-control-allow-origin"] == origin
        assert r.headers["access-control-allow-credentials"] == "true"
    evil = "http://evil.example"
    pre = httpx.options(emu.fapi_url + "/v1/client", headers={"Origin": evil,
                                                               "Access-Control-Request-Method": "POST"})
    assert pre.status_code == 403 and "access-control-allow-origin" not in pre.headers
    r = httpx.post(emu.fapi_url + "/v1/client/sign_ins", headers={"Origin": evil},
                   data={"identifier": "x", "password": "y"})
    assert r.status_code == 400 and r.json()["errors"][0]["code"] == "origin_invalid"
    assert r.headers.get("access-control-allow-origin") in (None, "")
    for resp in (pre, r):
        assert resp.headers.get("access-control-allow-origin") != "*"


def test_fault_injection_runtime_control(emu: LocalProcess, bapi: Bapi) -> None:
    ctl = emu.fapi_url + "/__emulator/faults"
    assert httpx.get(ctl).json() == {"rules": []}
    try:
        httpx.post(ctl, json={"path": "^/v1/users/count$", "status": 503}).raise_for_status()
        r = bapi.call("GET", "/users/count", validate=False)
        assert r.status == 503 and r.json["errors"][0]["code"] == "internal_clerk_error"
        httpx.put(ctl, json={"rules": [{"path": "^/v1/environment$", "status": 429, "times": 1}]})
        first = httpx.get(emu.fapi_url + "/v1/environment")
        assert first.status_code == 429 and first.headers["retry-after"] == "1"
        assert httpx.get(emu.fapi_url + "/v1/environment").status_code == 200  # "times": 1 expired
        httpx.put(ctl, json={"rules": [{"path": "^/v1/environment$", "latency_ms": 300}]})
        t0 = time.monotonic()
        assert httpx.get(emu.fapi_url + "/v1/environment").status_code == 200
        assert time.monotonic() - t0 >= 0.3
        httpx.put(ctl, json={"rules": [{"path": "^/v1/environment$", "method": "GET", "drop": True}]})
        with pytest.raises(httpx.TransportError):
            httpx.get(emu.fapi_url + "/v1/environment")
        bad = httpx.post(ctl, json={"path": "x", "bogus": 1})
        assert bad.status_code == 400 and "bogus" in bad.text
    finally:
        httpx.delete(ctl)
    assert httpx.get(emu.fapi_url + "/v1/environment").status_code == 200


def test_fault_from_cli_and_error_code_option(tmp_path: Path) -> None:
    rule = json.dumps({"path": "^/v1/jwks$", "status": 500})
    with LocalProcess(tmp_path / "s", extra_args=["--error-code", "form_param_unknown",
                                                        "--fault", rule]) as emu, Bapi(emu) as bapi:
        assert bapi.call("GET", "/jwks", validate=False).status == 500
        user = bapi.create_user()
        r = bapi.call("PATCH", f"/users/{user['id']}", {"public_metadata": {}})
        assert r.status == 422 and r.error()["code"] == "form_param_unknown"
        browser = Fapi(emu)
        browser.sign_in(email_of(user), PASSWORD)
        r = browser.call("PATCH", "/v1/me", {"unsafe_metadata": "{}"})
        assert r.error()["code"] == "form_param_unknown" and r.error()["meta"]["param_name"] == "unsafe_metadata"
        browser.close()


def test_static_mount(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "lib").mkdir(parents=True)
    (site / "index.html").write_text("<h1>hi</h1>")
    (site / "lib" / "app.mjs").write_text("export const x = 1;")
    (site / "lib" / "mod.wasm").write_bytes(b"\0asm\1\0\0\0")
    big = b"console.log('x');\n" * 500
    (site / "lib" / "big.js").write_bytes(big)
    (site / "lib" / "big.js.gz").write_bytes(gzip.compress(big))
    with LocalProcess(tmp_path / "s", static_dir=site) as emu:
        base = emu.fapi_url
        r = httpx.get(base + "/")
        assert r.status_code == 200 and r.text == "<h1>hi</h1>" and r.headers["content-type"].startswith("text/html")
        r = httpx.get(base + "/lib/app.mjs")
        assert r.headers["content-type"].startswith("text/javascript")
        r = httpx.get(base + "/lib/mod.wasm")
        assert r.headers["content-type"] == "application/wasm" and r.content == b"\0asm\1\0\0\0"
        r = httpx.get(base + "/lib/big.js", headers={"Accept-Encoding": "gzip"})
        assert r.headers["content-encoding"] == "gzip" and r.content == big  # httpx decodes
        raw = httpx.get(base + "/lib/big.js", headers={"Accept-Encoding": "identity"})
        assert "content-encoding" not in raw.headers and raw.content == big
        assert httpx.get(base + "/../../etc/passwd").status_code == 404
        assert httpx.get(base + "/missing.js").status_code == 404
        assert httpx.get(base + "/v1/environment").status_code == 200


def test_errors_match_catalogue() -> None:
    from clerk_emulator.errors import CATALOGUE
    from clerk_openapi import SPEC_DIR

    entries = json.loads((SPEC_DIR / "api_errors.json").read_text())
    by_code: dict[str, list[dict[str, Any]]] = {}
    for e in entries:
        by_code.setdefault(e["code"], []).append(e)
    for (code, _variant), mine in CATALOGUE.items():
        if mine.seen_in:  # returned by Clerk but missing from its catalogue: must really be missing
            assert code not in by_code, code
            continue
        assert code in by_code, code
        statuses = {int(e["status"]) for e in by_code[code]}
        assert mine.status in statuses, (code, mine.status, statuses)
        if mine.own:
            assert any(e["longMessage"] == "" for e in by_code[code]), code
        else:
            assert any(e["longMessage"] == mine.long_message and e["shortMessage"] == mine.message
                       for e in by_code[code]), (code, mine)


def test_opt_in_rate_limits(tmp_path: Path) -> None:
    with LocalProcess(tmp_path / "s", extra_args=["--rate-limits"]) as emu, Bapi(emu) as bapi:
        statuses = []
        for _ in range(6):
            r = httpx.post(emu.fapi_url + "/v1/client/sign_ins", data={"identifier": "nobody@example.com"})
            statuses.append(r.status_code)
        assert statuses == [422] * 5 + [429]
        assert 1 <= int(r.headers["retry-after"]) <= 10
        body = r.json()
        assert body["errors"][0]["code"] == "too_many_requests" and body["clerk_trace_id"]
        assert httpx.get(emu.fapi_url + "/v1/environment").status_code == 200  # other routes unaffected
        codes = [bapi.call("GET", "/users/count", validate=False).status for _ in range(101)]
        assert codes[:100] == [200] * 100 and codes[100] == 429
        assert bapi.call("GET", "/jwks").status == 200  # never limited


def test_unusable_data_folder_is_a_clear_error(tmp_path: Path) -> None:
    not_a_dir = tmp_path / "file"
    not_a_dir.write_text("x")
    with pytest.raises(ClerkKitError, match="cannot open the data folder"):
        LocalProcess(not_a_dir)
    corrupt = tmp_path / "corrupt"
    corrupt.mkdir()
    (corrupt / "clerk-emulator.sqlite3").write_bytes(b"this is not a database" * 100)
    with pytest.raises(ClerkKitError, match="cannot open the data folder"):
        LocalProcess(corrupt)
    assert (corrupt / "clerk-emulator.sqlite3").read_bytes().startswith(b"this is not")  # nothing lost
    with LocalProcess(corrupt, seed=True, extra_args=["--reset"]) as emu:
        assert emu.demo_email


def test_data_folder_used_by_a_running_emulator_is_refused(tmp_path: Path) -> None:
    with LocalProcess(tmp_path / "s", seed=True) as first:
        with pytest.raises(ClerkKitError, match="another clerk-emulator is using"):
            LocalProcess(tmp_path / "s", extra_args=["--reset"])
        assert httpx.get(first.fapi_url + "/__emulator/health").json()["users"] == 1  # untouched


def test_expired_session_is_signed_out(tmp_path: Path) -> None:
    import sqlite3

    data = tmp_path / "s"
    with LocalProcess(data, seed=True) as emu:
        browser = Fapi(emu)
        browser.sign_in(emu.demo_email or "", emu.demo_password or "")
        cookies, sid = dict(browser.http.cookies), browser.session_id
        browser.close()
    db = sqlite3.connect(data / "clerk-emulator.sqlite3")
    (raw,) = db.execute("SELECT data FROM sessions WHERE id=?", (sid,)).fetchone()
    doc = json.loads(raw)
    doc["expire_at"] = int(time.time() * 1000) - 1
    db.execute("UPDATE sessions SET data=? WHERE id=?", (json.dumps(doc), sid))
    db.commit()
    db.close()
    with LocalProcess(data, seed=True) as emu, httpx.Client(base_url=emu.fapi_url, cookies=cookies) as http:
        assert http.get("/v1/me").status_code == 401
        client = http.get("/v1/client").json()["response"]
        assert client["sessions"] == [] and client["last_active_session_id"] is None
        with Bapi(emu) as bapi:
            user_id = bapi.call("GET", "/users").json[0]["id"]
            statuses = [s["status"] for s in bapi.call("GET", "/sessions", params={"user_id": user_id}).json]
        assert statuses == ["expired"]


@pytest.mark.parametrize(("args", "message"), [
    (["--fault", "{not json"], "bad --fault"),
    (["--fault", '{"path": "x", "status": 200}'], "bad --fault"),
    (["--static", "/nonexistent-folder-for-clerk-emulator"], "is not a folder"),
])
def test_bad_options_are_clear_errors(tmp_path: Path, args: list[str], message: str) -> None:
    with pytest.raises(ClerkKitError, match=message):
        LocalProcess(tmp_path / "s", extra_args=args)


def test_port_in_use_is_a_clear_error(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(ClerkKitError, match=f"cannot bind 127.0.0.1:{port}"):
            LocalProcess(tmp_path / "s", port=port)


def test_console_script_and_module_entry_points() -> None:
    import subprocess
    import sys

    script = Path(sys.executable).with_name("clerk-emulator")
    assert script.exists(), "clerk-emulator console script not installed (pip install -e ./emulator)"
    for cmd in ([str(script), "--help"], [sys.executable, "-m", "clerk_emulator", "--help"]):
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
        assert out.returncode == 0 and "--static" in out.stdout and "--error-code" in out.stdout


def test_updated_at_strictly_increases_across_rapid_writes(emu: LocalProcess, bapi: Bapi) -> None:
    """Clients order responses by updated_at: writes within one millisecond must still be ordered."""
    user = bapi.create_user()
    stamps = [bapi.call("PATCH", f"/users/{user['id']}/metadata", {"unsafe_metadata": {"n": i}}).json["updated_at"]
              for i in range(30)]
    assert all(b > a for a, b in itertools.pairwise(stamps)), stamps
