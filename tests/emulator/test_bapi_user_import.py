"""Imported credentials on the Backend API over raw HTTP, every response checked against Clerk's OpenAPI file:
``password_digest`` + ``password_hasher`` (a digest of each hasher the local instance checks, made here with
bcrypt, argon2-cffi and hashlib or taken from the hashers' published test vectors, then signed in with through the
Frontend API), ``totp_secret`` and ``backup_codes`` (plain and bcrypt digests) through the second-factor step of a
sign-in. Bad digests, hashers, secrets and codes are Clerk-shaped 4xx naming the parameter, and nothing is written.
One user is created through @clerk/backend's ``users.createUser`` and updated through ``users.updateUser``."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import argon2
import bcrypt
import pytest
from clerk_emulator.kit import LocalProcess
from emu_support import PASSWORD, Bapi, Fapi, Reply, email_of
from test_instance_factors import enable_totp, totp, unused_step_code

pytestmark = pytest.mark.emulator

NODE_DIR = Path(__file__).resolve().parent / "node"
PW = PASSWORD.encode()


def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def new_email() -> str:
    return f"import-{secrets.token_hex(4)}+clerk_test@example.com"


def error(reply: Reply, status: int) -> tuple[str, str | None]:
    """``(code, meta.param_name)`` of a refusal with ``status``."""
    assert reply.status == status, reply
    err = reply.error()
    return str(err["code"]), (err.get("meta") or {}).get("param_name")


def sign_in(emu: LocalProcess, identifier: str, password: str) -> Reply:
    device = Fapi(emu)
    try:
        return device.call("POST", "/v1/client/sign_ins", {"identifier": identifier, "password": password})
    finally:
        device.close()


def second_factor(emu: LocalProcess, email: str, password: str, strategy: str, code: str) -> tuple[Reply, list[str]]:
    """A password sign-in that stops at the second factor, then ``strategy`` with ``code``: the answer and the
    second factors the sign-in offered."""
    device = Fapi(emu)
    try:
        r = device.call("POST", "/v1/client/sign_ins", {"identifier": email, "password": password})
        assert r.status == 200 and r.response["status"] == "needs_second_factor", r
        offered = [f["strategy"] for f in r.response["supported_second_factors"]]
        path = f"/v1/client/sign_ins/{r.response['id']}/attempt_second_factor"
        return device.call("POST", path, {"strategy": strategy, "code": code}), offered
    finally:
        device.close()


def completed(reply: Reply) -> bool:
    assert reply.status == 200, reply
    return reply.response["status"] == "complete" and bool(reply.response["created_session_id"])


def user_count(bapi: Bapi) -> int:
    r = bapi.call("GET", "/users/count")
    assert r.status == 200, r
    return int(r.json["total_count"])


def fetch(bapi: Bapi, user_id: str) -> dict[str, Any]:
    r = bapi.call("GET", f"/users/{user_id}")
    assert r.status == 200, r
    return dict(r.json)


# --- digests of PASSWORD, one per hasher (or a published test vector with its own password) ---------------------
def _pbkdf2(name: str, salt: bytes, rounds: int, length: int | None = None) -> bytes:
    return hashlib.pbkdf2_hmac(name, PW, salt, rounds, length)


def _symfony(salt: str, rounds: int) -> str:
    salted = PW + b"{" + salt.encode() + b"}"
    value = hashlib.sha512(salted).digest()
    for _ in range(rounds - 1):
        value = hashlib.sha512(value + salted).digest()
    return f"sha512_symfony${rounds}${salt}${b64(value)}"


def _bcrypt(raw: bytes) -> str:
    return bcrypt.hashpw(raw, bcrypt.gensalt(4)).decode()


def _argon2(kind: argon2.Type) -> str:
    return argon2.PasswordHasher(time_cost=2, memory_cost=1024, parallelism=2, type=kind).hash(PASSWORD)


# Firebase's published example (firebase/scrypt README): project parameters, then one user's salt and hash.
FIREBASE = ("lSrfV15cpx95/sZS2W9c9Kp6i/LVgQNDNC/qzrCnh1SAyZvqmZqAjTdn3aoItz+VHjoZilo78198JAdRuid5lQ==$42xEC+ixf3L2lw==$"
            "jxspr8Ki0RYycVU8zykbdLGjFQ3McFUH0uiiTvC8pVMXAn210wjLNmdZJzxUECKbm0QsEmYUSDzZvpjeJ9WmXA==$Bw==$8$14",
            "user1password")
# phpass's own test vector (its test.php).
PHPASS = ("$P$9IQRaTwmfeRo7ud9Fh4E2PdI0S3r.L0", "test12345")
SALT = secrets.token_bytes(12)

DIGESTS: dict[str, Callable[[], tuple[str, str, str]]] = {
    # case id: () -> (hasher, digest, password)
    "bcrypt": lambda: ("bcrypt", _bcrypt(PW), PASSWORD),
    "bcrypt_2a": lambda: ("bcrypt", "$2a$" + _bcrypt(PW)[4:], PASSWORD),
    "bcrypt_2y": lambda: ("bcrypt", "$2y$" + _bcrypt(PW)[4:], PASSWORD),
    "bcrypt_sha256_django": lambda: (
        "bcrypt_sha256_django", "bcrypt_sha256$" + _bcrypt(hashlib.sha256(PW).hexdigest().encode()), PASSWORD),
    "bcrypt_peppered": lambda: ("bcrypt_peppered", _bcrypt(PW + b"pepper!") + "$pepper!", PASSWORD),
    "argon2i": lambda: ("argon2i", _argon2(argon2.Type.I), PASSWORD),
    "argon2id": lambda: ("argon2id", _argon2(argon2.Type.ID), PASSWORD),
    "argon2id_without_version": lambda: ("argon2id", _argon2(argon2.Type.ID).replace("$v=19$", "$"), PASSWORD),
    "md5": lambda: ("md5", hashlib.md5(PW).hexdigest(), PASSWORD),
    "md5_upper_case": lambda: ("md5", hashlib.md5(PW).hexdigest().upper(), PASSWORD),
    "sha256": lambda: ("sha256", hashlib.sha256(PW).hexdigest(), PASSWORD),
    "pbkdf2_sha256": lambda: (
        "pbkdf2_sha256", f"pbkdf2_sha256$30000${b64(SALT)}${b64(_pbkdf2('sha256', SALT, 30000))}", PASSWORD),
    "pbkdf2_sha256_django": lambda: (
        "pbkdf2_sha256_django", f"pbkdf2_sha256$1200000$SoMeSaLt123${b64(_pbkdf2('sha256', b'SoMeSaLt123', 1200000))}",
        PASSWORD),
    "pbkdf2_sha1_hex_salt": lambda: (
        "pbkdf2_sha1", f"pbkdf2_sha1$1000${SALT.hex()}${_pbkdf2('sha1', SALT, 1000, 32).hex()}", PASSWORD),
    "pbkdf2_sha1_raw_salt_key_length": lambda: (
        "pbkdf2_sha1", f"pbkdf2_sha1$1000$plain-salt${_pbkdf2('sha1', b'plain-salt', 1000, 20).hex()}$20", PASSWORD),
    "pbkdf2_sha512": lambda: (
        "pbkdf2_sha512", f"pbkdf2_sha512$10000$saltstring${_pbkdf2('sha512', b'saltstring', 10000).hex()}", PASSWORD),
    "pbkdf2_sha512_hex": lambda: (
        "pbkdf2_sha512_hex", f"pbkdf2_sha512_hex$10000${SALT.hex()}${_pbkdf2('sha512', SALT, 10000).hex()}", PASSWORD),
    "phpass": lambda: ("phpass", *PHPASS),
    "phpass_h_prefix": lambda: ("phpass", "$H$" + PHPASS[0][3:], PHPASS[1]),
    "md5_phpass": lambda: ("md5_phpass", *PHPASS),
    "scrypt_firebase": lambda: ("scrypt_firebase", *FIREBASE),
    "scrypt_werkzeug": lambda: (
        "scrypt_werkzeug",
        "scrypt:16384:8:1$wErKzEuGsAlT$" + hashlib.scrypt(PW, salt=b"wErKzEuGsAlT", n=16384, r=8, p=1, dklen=64).hex(),
        PASSWORD),
    "ldap_ssha": lambda: ("ldap_ssha", "{SSHA}" + b64(hashlib.sha1(PW + SALT).digest() + SALT), PASSWORD),
    "sha512_symfony": lambda: ("sha512_symfony", _symfony("symfonysalt", 5000), PASSWORD),
}


@pytest.mark.parametrize("case", sorted(DIGESTS))
def test_sign_in_with_an_imported_digest(emu: LocalProcess, bapi: Bapi, case: str) -> None:
    hasher, digest, password = DIGESTS[case]()
    email = new_email()
    r = bapi.call("POST", "/users", {"email_address": [email], "password_digest": digest, "password_hasher": hasher})
    assert r.status == 200, r
    user = r.json
    assert user["password_enabled"] is True and user["password_last_updated_at"] == user["created_at"]
    assert error(sign_in(emu, email, password + "x"), 422) == ("form_password_incorrect", "password")
    assert completed(sign_in(emu, email, password))
    # The digest is kept: the password still works, on the Frontend API and on BAPI's verify_password.
    assert completed(sign_in(emu, email, password))
    r = bapi.call("POST", f"/users/{user['id']}/verify_password", {"password": password})
    assert r.status == 200 and r.json == {"verified": True}, r


def test_a_digest_on_update_replaces_the_password(emu: LocalProcess, bapi: Bapi) -> None:
    user = bapi.create_user()
    new = "an-imported-password"
    digest = bcrypt.hashpw(new.encode(), bcrypt.gensalt(4)).decode()
    r = bapi.call("PATCH", f"/users/{user['id']}", {"password_digest": digest, "password_hasher": "bcrypt"})
    assert r.status == 200 and r.json["password_enabled"] is True, r
    assert r.json["password_last_updated_at"] >= user["created_at"]
    assert error(sign_in(emu, email_of(user), PASSWORD), 422)[0] == "form_password_incorrect"
    assert completed(sign_in(emu, email_of(user), new))
    # A plain password set later replaces the imported digest again.
    r = bapi.call("PATCH", f"/users/{user['id']}", {"password": PASSWORD})
    assert r.status == 200, r
    assert completed(sign_in(emu, email_of(user), PASSWORD))
    assert error(sign_in(emu, email_of(user), new), 422)[0] == "form_password_incorrect"


def test_the_user_changes_an_imported_password(emu: LocalProcess, bapi: Bapi) -> None:
    email = new_email()
    digest = argon2.PasswordHasher(time_cost=1, memory_cost=1024).hash(PASSWORD)
    r = bapi.call("POST", "/users",
                  {"email_address": [email], "password_digest": digest, "password_hasher": "argon2id"})
    assert r.status == 200, r
    me = Fapi(emu)
    try:
        me.sign_in(email)
        wrong = me.call("POST", "/v1/me/change_password", {"current_password": "nope-nope", "new_password": "x" * 12})
        assert error(wrong, 422)[0] == "form_password_incorrect"
        r = me.call("POST", "/v1/me/change_password", {"current_password": PASSWORD, "new_password": "brand-new-pw-1"})
        assert r.status == 200, r
    finally:
        me.close()
    assert completed(sign_in(emu, email, "brand-new-pw-1"))


BAD_PASSWORD_IMPORTS: list[tuple[str, dict[str, Any], int, str, str]] = [
    # id, body (beside an email address), status, code, param_name
    ("digest_without_hasher", {"password_digest": hashlib.md5(PW).hexdigest()}, 422,
     "form_conditional_param_missing", "password_hasher"),
    ("hasher_without_digest", {"password_hasher": "md5"}, 422, "form_conditional_param_missing", "password_digest"),
    ("digest_beside_password", {"password": PASSWORD, "password_digest": hashlib.md5(PW).hexdigest(),
                                "password_hasher": "md5"}, 422, "form_conditional_param_disallowed", "password_digest"),
    ("unknown_hasher", {"password_digest": hashlib.sha1(PW).hexdigest(), "password_hasher": "sha1"}, 422,
     "form_param_value_invalid", "password_hasher"),
    ("awscognito", {"password_digest": "awscognito#pool#client#someone", "password_hasher": "awscognito"}, 422,
     "form_param_value_invalid", "password_hasher"),
    ("md5_salted", {"password_digest": "salt$" + hashlib.md5(b"salt" + PW).hexdigest(),
                    "password_hasher": "md5_salted"}, 422, "form_param_value_invalid", "password_hasher"),
    ("digest_not_a_string", {"password_digest": 12345, "password_hasher": "md5"}, 422, "form_param_value_invalid",
     "password_digest"),
    ("empty_digest", {"password_digest": "", "password_hasher": "bcrypt"}, 422, "form_password_digest_invalid_code",
     "password_digest"),
    ("bcrypt_garbage", {"password_digest": "not-a-bcrypt-digest", "password_hasher": "bcrypt"}, 422,
     "form_password_digest_invalid_code", "password_digest"),
    ("bcrypt_cost_too_high", {"password_digest": "$2b$31$" + "a" * 53, "password_hasher": "bcrypt"}, 422,
     "form_password_digest_invalid_code", "password_digest"),
    ("bcrypt_bad_salt", {"password_digest": "$2b$04$" + "z" * 53, "password_hasher": "bcrypt"}, 422,
     "form_password_digest_invalid_code", "password_digest"),
    ("bcrypt_digest_as_django", {"password_digest": _bcrypt(PW), "password_hasher": "bcrypt_sha256_django"}, 422,
     "form_password_digest_invalid_code", "password_digest"),
    ("argon2i_digest_as_argon2id", {"password_digest": _argon2(argon2.Type.I), "password_hasher": "argon2id"}, 422,
     "form_password_digest_invalid_code", "password_digest"),
    ("argon2_too_much_memory", {"password_digest": _argon2(argon2.Type.ID).replace("m=1024", "m=4194304"),
                                "password_hasher": "argon2id"}, 422, "form_password_digest_invalid_code",
     "password_digest"),
    ("argon2_too_many_passes", {"password_digest": _argon2(argon2.Type.ID).replace("m=1024,t=2", "m=1048576,t=8"),
                                "password_hasher": "argon2id"}, 422, "form_password_digest_invalid_code",
     "password_digest"),
    ("pbkdf2_too_much_work", {"password_digest": f"pbkdf2_sha256$6000000${b64(SALT)}${b64(b'x' * 64)}",
                              "password_hasher": "pbkdf2_sha256"}, 422, "form_password_digest_invalid_code",
     "password_digest"),
    ("md5_too_short", {"password_digest": hashlib.md5(PW).hexdigest()[1:], "password_hasher": "md5"}, 422,
     "form_password_digest_invalid_code", "password_digest"),
    ("sha256_not_hex", {"password_digest": "g" * 64, "password_hasher": "sha256"}, 422,
     "form_password_digest_invalid_code", "password_digest"),
    ("pbkdf2_sha256_salt_not_base64", {"password_digest": "pbkdf2_sha256$1000$#salt#$" + b64(b"x" * 32),
                                       "password_hasher": "pbkdf2_sha256"}, 422,
     "form_password_digest_invalid_code", "password_digest"),
    ("pbkdf2_sha256_django_three_parts", {"password_digest": "pbkdf2_sha256$1000$salt",
                                          "password_hasher": "pbkdf2_sha256_django"}, 422,
     "form_password_digest_invalid_code", "password_digest"),
    ("pbkdf2_sha1_key_length_mismatch", {"password_digest": f"pbkdf2_sha1$1000$salt${'ab' * 20}",
                                         "password_hasher": "pbkdf2_sha1"}, 422,
     "form_password_digest_invalid_code", "password_digest"),
    ("pbkdf2_sha512_too_many_iterations", {"password_digest": f"pbkdf2_sha512$420000$salt${'ab' * 64}",
                                           "password_hasher": "pbkdf2_sha512"}, 422,
     "form_password_digest_invalid_code", "password_digest"),
    ("pbkdf2_sha512_hex_salt_not_hex", {"password_digest": f"pbkdf2_sha512_hex$1000$salty${'ab' * 64}",
                                        "password_hasher": "pbkdf2_sha512_hex"}, 422,
     "form_password_digest_invalid_code", "password_digest"),
    ("phpass_wrong_prefix", {"password_digest": "$X$" + PHPASS[0][3:], "password_hasher": "phpass"}, 422,
     "form_password_digest_invalid_code", "password_digest"),
    ("scrypt_firebase_five_parts", {"password_digest": FIREBASE[0].rsplit("$", 1)[0],
                                    "password_hasher": "scrypt_firebase"}, 422,
     "form_password_digest_invalid_code", "password_digest"),
    ("scrypt_werkzeug_pbkdf2_method", {"password_digest": "pbkdf2:sha256:600000$salt$" + "ab" * 32,
                                       "password_hasher": "scrypt_werkzeug"}, 422,
     "form_password_digest_invalid_code", "password_digest"),
    ("scrypt_werkzeug_n_not_power_of_two", {"password_digest": "scrypt:1000:8:1$salt$" + "ab" * 32,
                                            "password_hasher": "scrypt_werkzeug"}, 422,
     "form_password_digest_invalid_code", "password_digest"),
    ("ldap_ssha_without_scheme", {"password_digest": b64(hashlib.sha1(PW + SALT).digest() + SALT),
                                  "password_hasher": "ldap_ssha"}, 422, "form_password_digest_invalid_code",
     "password_digest"),
    ("sha512_symfony_short_hash", {"password_digest": "sha512_symfony$5000$salt$" + b64(b"x" * 32),
                                   "password_hasher": "sha512_symfony"}, 422, "form_password_digest_invalid_code",
     "password_digest"),
]


@pytest.mark.parametrize(("body", "status", "code", "param"), [c[1:] for c in BAD_PASSWORD_IMPORTS],
                         ids=[c[0] for c in BAD_PASSWORD_IMPORTS])
def test_bad_password_imports_are_refused_and_write_nothing(emu: LocalProcess, bapi: Bapi, body: dict[str, Any],
                                                           status: int, code: str, param: str) -> None:
    email = new_email()
    before = user_count(bapi)
    r = bapi.call("POST", "/users", {"email_address": [email], **body})
    assert error(r, status) == (code, param)
    assert r.error()["long_message"] and r.error()["message"]
    assert user_count(bapi) == before
    assert bapi.call("GET", "/users", params={"email_address": email}).json == []
    # The same on update: the user keeps the password it had.
    user = bapi.create_user()
    r = bapi.call("PATCH", f"/users/{user['id']}", body)
    assert error(r, status) == (code, param)
    after = fetch(bapi, user["id"])
    assert after["updated_at"] == user["updated_at"] and after["password_last_updated_at"] == \
        user["password_last_updated_at"]
    assert completed(sign_in(emu, email_of(user), PASSWORD))


def test_refusals_say_what_is_wrong(bapi: Bapi) -> None:
    def long_message(body: dict[str, Any]) -> str:
        r = bapi.call("POST", "/users", {"email_address": [new_email()], **body})
        assert r.status == 422, r
        return str(r.error()["long_message"])

    allowed = long_message({"password_digest": "x", "password_hasher": "sha1"})
    assert allowed.startswith("sha1 does not match the allowed values for parameter password_hasher. Allowed values:")
    assert "argon2id" in allowed and "scrypt_firebase" in allowed and "pbkdf2_sha512_hex" in allowed
    assert "AWS Cognito" in long_message({"password_digest": "awscognito#a#b#c", "password_hasher": "awscognito"})
    assert long_message({"password_digest": "$2b$04$short", "password_hasher": "bcrypt"}).startswith(
        "password_digest is not a valid bcrypt digest: the expected form is $<algorithm version>$<cost>$<salt & hash>")
    assert long_message({"password_hasher": "md5"}) == \
        "`password_digest` is required when `password_hasher` is present."
    assert long_message({"password": PASSWORD, "password_digest": "x", "password_hasher": "md5"}) == \
        "`password_digest` isn't allowed when `password` is present."


def test_unknown_user_is_404_before_the_digest_is_read(bapi: Bapi) -> None:
    r = bapi.call("PATCH", "/users/user_doesnotexist", {"password_digest": "x", "password_hasher": "bcrypt"})
    assert error(r, 404)[0] == "resource_not_found"


# --- TOTP --------------------------------------------------------------------------------------------------------
SECRET = base64.b32encode(b"imported-totp-secret").decode()  # 20 bytes, 32 characters, no padding


def test_totp_secret_gives_a_verified_totp(emu: LocalProcess, bapi: Bapi) -> None:
    email = new_email()
    # Any case, padding optional: normalised to Clerk's upper-case form.
    r = bapi.call("POST", "/users", {"email_address": [email], "password": PASSWORD, "totp_secret": SECRET.lower()})
    assert r.status == 200, r
    user = r.json
    assert user["totp_enabled"] is True and user["two_factor_enabled"] is True
    assert user["backup_code_enabled"] is False and user["mfa_enabled_at"]
    wrong, offered = second_factor(emu, email, PASSWORD, "totp", "000000" if totp(SECRET) != "000000" else "111111")
    assert offered == ["totp"]  # no backup codes were imported
    assert error(wrong, 422) == ("form_code_incorrect", "code")
    ok, _ = second_factor(emu, email, PASSWORD, "totp", totp(SECRET))
    assert completed(ok)
    r = bapi.call("POST", f"/users/{user['id']}/verify_totp", {"code": unused_step_code(SECRET)})
    assert r.status == 200 and r.json == {"verified": True, "code_type": "totp"}, r


def test_totp_secret_on_update_replaces_the_users_totp(emu: LocalProcess, bapi: Bapi) -> None:
    user = bapi.create_user()
    me = Fapi(emu)
    try:
        me.sign_in(email_of(user))
        old_secret, _codes = enable_totp(me)
    finally:
        me.close()
    padded = base64.b32encode(b"another-totp-secret!").decode() + "===="
    r = bapi.call("PATCH", f"/users/{user['id']}", {"totp_secret": padded})
    assert r.status == 200 and r.json["totp_enabled"] is True, r
    old_code = unused_step_code(old_secret)
    assert error(second_factor(emu, email_of(user), PASSWORD, "totp", old_code)[0], 422)[0] == "form_code_incorrect"
    ok, offered = second_factor(emu, email_of(user), PASSWORD, "totp", totp(padded.rstrip("=")))
    assert offered == ["totp", "backup_code"]  # the codes made by the Frontend API stay
    assert completed(ok)


@pytest.mark.parametrize("secret", ["not base32!", "A", "", "JBSWY3DP1", "JBSW Y3DP", "JB=SWY3DP"])
def test_bad_totp_secrets_are_refused(bapi: Bapi, secret: str) -> None:
    email = new_email()
    before = user_count(bapi)
    r = bapi.call("POST", "/users", {"email_address": [email], "password": PASSWORD, "totp_secret": secret})
    assert error(r, 422) == ("invalid_totp_secret_code", "totp_secret")
    assert r.error()["long_message"] == "The TOTP secret is invalid, please provide a valid one base32 encoded"
    assert user_count(bapi) == before
    user = bapi.create_user()
    r = bapi.call("PATCH", f"/users/{user['id']}", {"totp_secret": secret, "first_name": "Changed"})
    assert error(r, 422) == ("invalid_totp_secret_code", "totp_secret")
    after = fetch(bapi, user["id"])
    assert after["totp_enabled"] is False and after["first_name"] == user["first_name"]


def test_totp_secret_needs_totp_on_the_instance(bapi: Bapi, settings: Callable[[dict[str, Any]], None]) -> None:
    settings({"attributes": {"authenticator_app": {"enabled": False}}})
    before = user_count(bapi)
    r = bapi.call("POST", "/users", {"email_address": [new_email()], "password": PASSWORD, "totp_secret": SECRET})
    assert error(r, 403) == ("feature_not_enabled", "totp_secret")
    assert user_count(bapi) == before


# --- backup codes ------------------------------------------------------------------------------------------------
def test_imported_backup_codes_are_single_use(emu: LocalProcess, bapi: Bapi) -> None:
    email = new_email()
    hashed_code = bcrypt.hashpw(b"HASHED-CODE-7", bcrypt.gensalt(4)).decode()
    body = {"email_address": [email], "password": PASSWORD, "totp_secret": SECRET,
            "backup_codes": ["plain-code-1", "plaincode2", hashed_code]}
    r = bapi.call("POST", "/users", body)
    assert r.status == 200, r
    assert r.json["backup_code_enabled"] is True and r.json["totp_enabled"] is True
    # A plain code, typed in another case and without its dash.
    ok, offered = second_factor(emu, email, PASSWORD, "backup_code", "PLAINCODE1")
    assert offered == ["totp", "backup_code"]
    assert completed(ok)
    spent, _ = second_factor(emu, email, PASSWORD, "backup_code", "plain-code-1")
    assert error(spent, 422)[0] == "form_code_incorrect"
    # A code given as a bcrypt digest: the code as the source issued it.
    assert completed(second_factor(emu, email, PASSWORD, "backup_code", "HASHED-CODE-7")[0])
    assert error(second_factor(emu, email, PASSWORD, "backup_code", "HASHED-CODE-7")[0], 422)[0] == \
        "form_code_incorrect"
    # BAPI's verify_totp spends the last one.
    r = bapi.call("POST", f"/users/{r.json['id']}/verify_totp", {"code": "plaincode2"})
    assert r.status == 200 and r.json == {"verified": True, "code_type": "backup_code"}, r


def test_a_lower_case_bcrypt_code_digest_matches_the_code_typed_in_upper_case(emu: LocalProcess, bapi: Bapi) -> None:
    email = new_email()
    digest = bcrypt.hashpw(b"abcd1234", bcrypt.gensalt(4)).decode()
    r = bapi.call("POST", "/users", {"email_address": [email], "password": PASSWORD, "totp_secret": SECRET,
                                     "backup_codes": [digest]})
    assert r.status == 200, r
    assert completed(second_factor(emu, email, PASSWORD, "backup_code", "ABCD-1234")[0])


def test_backup_codes_on_update_replace_the_old_ones(emu: LocalProcess, bapi: Bapi) -> None:
    user = bapi.create_user()
    me = Fapi(emu)
    try:
        me.sign_in(email_of(user))
        _secret, old_codes = enable_totp(me)
    finally:
        me.close()
    r = bapi.call("PATCH", f"/users/{user['id']}", {"backup_codes": ["fresh-one", "fresh-two"]})
    assert r.status == 200 and r.json["backup_code_enabled"] is True, r
    assert error(second_factor(emu, email_of(user), PASSWORD, "backup_code", old_codes[0])[0], 422)[0] == \
        "form_code_incorrect"
    assert completed(second_factor(emu, email_of(user), PASSWORD, "backup_code", "fresh-two")[0])


BAD_CODES: list[tuple[str, Any, int, str]] = [
    ("empty_list", [], 422, "form_param_value_invalid"),
    ("not_a_list", "code-1", 422, "form_param_value_invalid"),
    ("not_strings", ["code-1", 7], 422, "form_param_value_invalid"),
    ("blank_code", ["code-1", " - "], 422, "form_param_value_invalid"),
    ("bad_bcrypt_digest", ["$2b$04$tooshort"], 422, "form_param_value_invalid"),
    ("too_many", [f"code-{i}" for i in range(101)], 422, "form_param_value_invalid"),
]


@pytest.mark.parametrize(("codes", "status", "code"), [c[1:] for c in BAD_CODES], ids=[c[0] for c in BAD_CODES])
def test_bad_backup_codes_are_refused(bapi: Bapi, codes: Any, status: int, code: str) -> None:
    before = user_count(bapi)
    r = bapi.call("POST", "/users", {"email_address": [new_email()], "password": PASSWORD, "totp_secret": SECRET,
                                     "backup_codes": codes})
    assert error(r, status) == (code, "backup_codes")
    assert user_count(bapi) == before


def test_backup_codes_need_another_second_factor(emu: LocalProcess, bapi: Bapi) -> None:
    before = user_count(bapi)
    r = bapi.call("POST", "/users", {"email_address": [new_email()], "password": PASSWORD, "backup_codes": ["a-code"]})
    assert error(r, 400) == ("backup_codes_not_available", "backup_codes")
    assert user_count(bapi) == before
    user = bapi.create_user()
    r = bapi.call("PATCH", f"/users/{user['id']}", {"backup_codes": ["a-code"]})
    assert error(r, 400) == ("backup_codes_not_available", "backup_codes")
    assert fetch(bapi, user["id"])["backup_code_enabled"] is False
    # With the TOTP in the same request it works, on update too.
    r = bapi.call("PATCH", f"/users/{user['id']}", {"backup_codes": ["a-code"], "totp_secret": SECRET})
    assert r.status == 200 and r.json["backup_code_enabled"] is True and r.json["totp_enabled"] is True, r
    assert completed(second_factor(emu, email_of(user), PASSWORD, "backup_code", "a-code")[0])


def test_backup_codes_need_backup_codes_on_the_instance(bapi: Bapi,
                                                        settings: Callable[[dict[str, Any]], None]) -> None:
    settings({"attributes": {"backup_code": {"enabled": False}}})
    before = user_count(bapi)
    r = bapi.call("POST", "/users", {"email_address": [new_email()], "password": PASSWORD, "totp_secret": SECRET,
                                     "backup_codes": ["a-code"]})
    assert error(r, 403) == ("feature_not_enabled", "backup_codes")
    assert user_count(bapi) == before


# --- @clerk/backend ----------------------------------------------------------------------------------------------
@pytest.mark.realclient
def test_clerk_backend_node_imports_a_user(emu: LocalProcess, bapi: Bapi, node_modules: Path) -> None:
    email = new_email()
    state = {"email": email, "digest": bcrypt.hashpw(PW, bcrypt.gensalt(4)).decode(), "totpSecret": SECRET,
             "backupCodes": ["node-code-1", bcrypt.hashpw(b"node-code-2", bcrypt.gensalt(4)).decode()],
             "newDigest": hashlib.sha256(b"after-the-update").hexdigest()}
    env = {**os.environ, "CLERK_NODE_MODULES": str(node_modules), "CLERK_API_URL": emu.fapi_url + "/bapi",
           "CLERK_SECRET_KEY": emu.secret_key, "STATE": json.dumps(state)}
    proc = subprocess.run(["node", str(NODE_DIR / "user_import_client.mjs")], env=env, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
    results = json.loads(proc.stdout.strip().splitlines()[-1])
    user_id = results["created"]["id"]
    assert results["created"] == {"id": user_id, "passwordEnabled": True, "totpEnabled": True,
                                  "backupCodeEnabled": True, "twoFactorEnabled": True}
    assert results["badDigest"] == {"status": 422, "code": "form_password_digest_invalid_code",
                                    "param": "password_digest"}
    # updateUser({passwordDigest, passwordHasher}) replaced the password; the TOTP and the codes are the imported ones.
    assert results["updated"] == {"id": user_id, "passwordEnabled": True}
    assert error(sign_in(emu, email, PASSWORD), 422)[0] == "form_password_incorrect"
    ok, offered = second_factor(emu, email, "after-the-update", "backup_code", "node-code-2")
    assert offered == ["totp", "backup_code"] and completed(ok)
    assert completed(second_factor(emu, email, "after-the-update", "backup_code", "node-code-1")[0])
    assert completed(second_factor(emu, email, "after-the-update", "totp", totp(SECRET))[0])
