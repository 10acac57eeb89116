"""Password digests imported through the Backend API: ``password_digest`` + ``password_hasher`` on
``POST /v1/users`` and ``PATCH /v1/users/{user_id}``.

A digest is checked against its hasher's documented form when it is imported (a malformed one is 422
``form_password_digest_invalid_code`` and nothing is stored) and kept as given, tagged with its hasher
(``imported:<hasher>:<digest>`` in the user's ``password_hash``). Every password check of the instance (sign-in,
reverification, ``/v1/me/change_password``, BAPI ``verify_password``) goes through :func:`crypto.check_password`,
which hands such a value to :func:`check`. The digest is kept after a successful sign-in (Clerk moves its insecure
schemes to bcrypt then, which nothing on the wire shows); a new password replaces it as usual.

The forms are the ones Clerk documents for ``password_hasher`` (the 2026-05-12 OpenAPI list and @clerk/backend's
``UserPasswordHashingParams``). Work factors are bounded so a digest cannot stall the single-process instance:
see the ``_MAX_*`` limits.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
from collections.abc import Callable

import argon2
import bcrypt
from argon2.low_level import Type, verify_secret
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

__all__ = [
    "HASHERS",
    "NOT_CHECKED_HERE",
    "PREFIX",
    "DigestInvalid",
    "check",
    "matches",
    "stored_value",
    "validate",
]

PREFIX = "imported:"

# Hashers Clerk names (the 2026-05-12 spec's list plus the ones @clerk/backend documents) that the local instance
# cannot check, with the reason it gives.
NOT_CHECKED_HERE = {
    "awscognito": "it signs the user in against the AWS Cognito user pool, which a local instance cannot reach",
    "md5_salted": "Clerk does not document how the salt and the password are combined",
    "sha256_salted": "Clerk does not document how the salt and the password are combined",
    "hmac_sha256_utf16_b64": "Clerk does not document the UTF-16 byte order or how the key is encoded",
}

# Work-factor limits: generous for real exports (Django's 1.2M PBKDF2 rounds, bcrypt cost 14, argon2 at 1 GiB and
# 4 passes), small enough that a single check cannot stall the instance for minutes.
_MAX_ITERATIONS = 10_000_000
_MAX_PBKDF2_SHA512_ITERATIONS = 420_000  # Clerk: "Must be an integer less than 420000"
_MAX_BCRYPT_COST = 16
_MAX_PHPASS_LOG2 = 20
_MAX_MEMORY = 1 << 30  # bytes, for scrypt and argon2

Checker = Callable[[bytes], bool]


class DigestInvalid(ValueError):
    """The digest does not have its hasher's form; the message says what is wrong."""


# --- small parsers --------------------------------------------------------------------------------
def _b64(value: str, what: str) -> bytes:
    """Standard base64, padding optional."""
    try:
        return base64.b64decode(value + "=" * (-len(value) % 4), validate=True)
    except (binascii.Error, ValueError):
        raise DigestInvalid(f"the {what} is not base64") from None


def _hex(value: str, what: str) -> bytes:
    try:
        return bytes.fromhex(value)
    except ValueError:
        raise DigestInvalid(f"the {what} is not hex") from None


def _int(value: str, what: str, low: int, high: int) -> int:
    if not value.isdigit() or not low <= int(value) <= high:
        raise DigestInvalid(f"the {what} must be a whole number from {low} to {high}")
    return int(value)


def _parts(digest: str, count: int, form: str) -> list[str]:
    parts = digest.split("$")
    if len(parts) != count or not all(parts):
        raise DigestInvalid(f"the expected form is {form}")
    return parts


def _pbkdf2(name: str, salt: bytes, rounds: int, expected: bytes) -> Checker:
    if not expected:
        raise DigestInvalid("the hash is empty")
    blocks = -(-len(expected) // hashlib.new(name).digest_size)  # PBKDF2 runs all its rounds once per output block
    if len(expected) > 1024 or rounds * blocks > _MAX_ITERATIONS:
        raise DigestInvalid(f"iterations × hash blocks must stay within {_MAX_ITERATIONS} (hash ≤ 1024 bytes) on the "
                            "local instance")
    return lambda pw: hmac.compare_digest(hashlib.pbkdf2_hmac(name, pw, salt, rounds, len(expected)), expected)


# --- bcrypt family --------------------------------------------------------------------------------
_BCRYPT = re.compile(r"\$2[aby]\$(\d\d)\$[./A-Za-z0-9]{53}")


def _bcrypt(digest: str, before: Callable[[bytes], bytes] = lambda pw: pw) -> Checker:
    if not _BCRYPT.fullmatch(digest):
        raise DigestInvalid("the expected form is $<algorithm version>$<cost>$<salt & hash> (60 characters, "
                            "version 2a, 2b or 2y)")
    _int(digest[4:6], "cost", 4, _MAX_BCRYPT_COST)
    stored = digest.encode()
    try:  # the salt's encoding, checked at the cheapest cost
        bcrypt.checkpw(b"", stored[:4] + b"04" + stored[6:])
    except ValueError:
        raise DigestInvalid("the salt is not valid bcrypt base64") from None
    # bcrypt reads at most 72 bytes of the password (the library refuses longer input instead of truncating).
    return lambda pw: bcrypt.checkpw(before(pw)[:72], stored)


def _bcrypt_sha256_django(digest: str) -> Checker:
    if not digest.startswith("bcrypt_sha256$"):
        raise DigestInvalid("the expected form is bcrypt_sha256$$<algorithm version>$<cost>$<salt & hash>")
    return _bcrypt(digest[len("bcrypt_sha256$"):], lambda pw: hashlib.sha256(pw).hexdigest().encode())


def _bcrypt_peppered(digest: str) -> Checker:
    head, sep, pepper = digest[:60], digest[60:61], digest[61:]
    if sep != "$" or not pepper:
        raise DigestInvalid("the expected form is $<algorithm version>$<cost>$<salt & hash>$<pepper>")
    return _bcrypt(head, lambda pw: pw + pepper.encode())


# --- plain digests --------------------------------------------------------------------------------
def _plain(name: str, length: int) -> Callable[[str], Checker]:
    def parse(digest: str) -> Checker:
        if not re.fullmatch(f"[0-9a-fA-F]{{{length}}}", digest):
            raise DigestInvalid(f"the expected form is a {length}-character hex string")
        expected = digest.lower()
        return lambda pw: hmac.compare_digest(hashlib.new(name, pw).hexdigest(), expected)

    return parse


# --- PBKDF2 family --------------------------------------------------------------------------------
def _pbkdf2_sha256(digest: str) -> Checker:
    _, rounds, salt, hashed = _parts(digest, 4, "pbkdf2_sha256$<iterations>$<base64 salt>$<base64 hash>")
    if not digest.startswith("pbkdf2_sha256$"):
        raise DigestInvalid("the digest must start with pbkdf2_sha256$")
    return _pbkdf2("sha256", _b64(salt, "salt"), _int(rounds, "iterations", 1, _MAX_ITERATIONS), _b64(hashed, "hash"))


def _pbkdf2_sha256_django(digest: str) -> Checker:
    _, rounds, salt, hashed = _parts(digest, 4, "pbkdf2_sha256$<iterations>$<salt>$<base64 hash>")
    if not digest.startswith("pbkdf2_sha256$"):
        raise DigestInvalid("the digest must start with pbkdf2_sha256$ (as Django exports it)")
    return _pbkdf2("sha256", salt.encode(), _int(rounds, "iterations", 1, _MAX_ITERATIONS), _b64(hashed, "hash"))


def _pbkdf2_sha1(digest: str) -> Checker:
    parts = digest.split("$")
    if parts[0] != "pbkdf2_sha1" or len(parts) not in (4, 5) or not all(parts):
        raise DigestInvalid("the expected form is pbkdf2_sha1$<iterations>$<salt>$<hex hash>[$<key length>]")
    rounds = _int(parts[1], "iterations", 1, _MAX_ITERATIONS)
    try:  # Clerk: a hex salt is decoded, any other salt is used as it is
        salt = bytes.fromhex(parts[2])
    except ValueError:
        salt = parts[2].encode()
    expected = _hex(parts[3], "hash")
    key_length = _int(parts[4], "key length", 1, 1024) if len(parts) == 5 else 32  # Clerk's default
    if len(expected) != key_length:
        raise DigestInvalid(f"the hash has {len(expected)} bytes, the key length is {key_length}")
    return _pbkdf2("sha1", salt, rounds, expected)


def _pbkdf2_sha512(digest: str) -> Checker:
    _, rounds, salt, hashed = _parts(digest, 4, "pbkdf2_sha512$<iterations>$<salt>$<hex hash>")
    if not digest.startswith("pbkdf2_sha512$"):
        raise DigestInvalid("the digest must start with pbkdf2_sha512$")
    salt_bytes, expected = salt.encode(), _hex(hashed, "hash")
    if len(salt_bytes) >= 1024 or len(expected) >= 1024:
        raise DigestInvalid("the salt and the hash must each be under 1024 bytes")
    return _pbkdf2("sha512", salt_bytes, _int(rounds, "iterations", 1, _MAX_PBKDF2_SHA512_ITERATIONS - 1), expected)


def _pbkdf2_sha512_hex(digest: str) -> Checker:
    name, rounds, salt, hashed = _parts(digest, 4, "pbkdf2_sha512_hex$<iterations>$<hex salt>$<hex hash>")
    if name not in ("pbkdf2_sha512_hex", "pbkdf2_sha512"):
        raise DigestInvalid("the digest must start with pbkdf2_sha512_hex$")
    salt_bytes, expected = _hex(salt, "salt"), _hex(hashed, "hash")
    if len(salt_bytes) >= 1024 or len(expected) >= 1024:
        raise DigestInvalid("the salt and the hash must each be under 1024 bytes")
    return _pbkdf2("sha512", salt_bytes, _int(rounds, "iterations", 1, _MAX_PBKDF2_SHA512_ITERATIONS - 1), expected)


# --- phpass (portable, MD5-based) -----------------------------------------------------------------
_ITOA64 = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def _phpass_encode(raw: bytes) -> str:
    """phpass's base64: each group of up to three bytes read little-endian, six bits at a time, low bits first."""
    out = []
    for i in range(0, len(raw), 3):
        chunk = raw[i:i + 3]
        value = int.from_bytes(chunk, "little")
        out += [_ITOA64[(value >> (6 * k)) & 63] for k in range(len(chunk) + 1)]
    return "".join(out)


def _phpass(digest: str) -> Checker:
    if not re.fullmatch(r"\$[PH]\$[./0-9A-Za-z]{31}", digest):
        raise DigestInvalid("the expected form is $P$<rounds><salt><encoded-checksum> (34 characters from "
                            "[./0-9A-Za-z])")
    log2 = _ITOA64.index(digest[3])
    if not 7 <= log2 <= _MAX_PHPASS_LOG2:
        raise DigestInvalid(f"the rounds character must stand for 2^7 to 2^{_MAX_PHPASS_LOG2} rounds")
    salt, expected = digest[4:12].encode(), digest[12:]

    def check(pw: bytes) -> bool:
        value = hashlib.md5(salt + pw).digest()
        for _ in range(1 << log2):
            value = hashlib.md5(value + pw).digest()
        return hmac.compare_digest(_phpass_encode(value), expected)

    return check


# --- scrypt family --------------------------------------------------------------------------------
def _scrypt_params(n: int, r: int, p: int) -> int:
    """``maxmem`` for hashlib.scrypt, after the parameters are checked."""
    if n < 2 or n & (n - 1):
        raise DigestInvalid("the scrypt cost N must be a power of two")
    needed = 128 * n * r * p
    if needed > _MAX_MEMORY:
        raise DigestInvalid("the scrypt parameters need more memory than the local instance allows (1 GiB)")
    return needed + (1 << 20)


def _scrypt_firebase(digest: str) -> Checker:
    hashed, salt, signer, separator, rounds, mem = _parts(
        digest, 6, "<hash>$<salt>$<signer key>$<salt separator>$<rounds>$<memory cost>")
    expected, salt_b = _b64(hashed, "hash"), _b64(salt, "salt")
    signer_b, sep_b = _b64(signer, "signer key"), _b64(separator, "salt separator")
    r, log_n = _int(rounds, "rounds", 1, 8), _int(mem, "memory cost", 1, 14)  # Firebase's ranges
    if not expected or len(expected) != len(signer_b):
        raise DigestInvalid("the hash must be as long as the signer key")
    maxmem = _scrypt_params(1 << log_n, r, 1)

    def check(pw: bytes) -> bool:
        # Firebase's variant: the scrypt key of (password, salt + separator) encrypts the signer key (AES-256-CTR,
        # zero counter block); the ciphertext is the stored hash.
        key = hashlib.scrypt(pw, salt=salt_b + sep_b, n=1 << log_n, r=r, p=1, dklen=32, maxmem=maxmem)
        enc = Cipher(algorithms.AES(key), modes.CTR(bytes(16))).encryptor()
        return hmac.compare_digest(enc.update(signer_b) + enc.finalize(), expected)

    return check


def _scrypt_werkzeug(digest: str) -> Checker:
    method, salt, hashed = _parts(digest.removeprefix("$"), 3, "scrypt:<N>:<r>:<p>$<salt>$<hash> (as Werkzeug "
                                                                 "writes it)")
    args = method.split(":")
    if args[0] != "scrypt" or len(args) not in (1, 4):
        raise DigestInvalid("the algorithm args must be scrypt or scrypt:<N>:<r>:<p>")
    n, r, p = (1 << 15, 8, 1) if len(args) == 1 else (
        _int(args[1], "N", 2, 1 << 24), _int(args[2], "r", 1, 64), _int(args[3], "p", 1, 16))
    # Werkzeug writes the hash in hex; Clerk's page says base64, so that is taken too.
    expected = _hex(hashed, "hash") if re.fullmatch(r"(?:[0-9a-f]{2})+", hashed) else _b64(hashed, "hash")
    if not expected or len(expected) > 1024:
        raise DigestInvalid("the hash must have 1 to 1024 bytes")
    maxmem = _scrypt_params(n, r, p)
    return lambda pw: hmac.compare_digest(
        hashlib.scrypt(pw, salt=salt.encode(), n=n, r=r, p=p, dklen=len(expected), maxmem=maxmem), expected)


# --- others ---------------------------------------------------------------------------------------
def _ldap_ssha(digest: str) -> Checker:
    if digest[:6].upper() != "{SSHA}":
        raise DigestInvalid("the expected form is {SSHA}<base64 of the SHA-1 hash followed by the salt>")
    raw = _b64(digest[6:], "value after {SSHA}")
    if len(raw) <= 20:
        raise DigestInvalid("there is no salt after the 20-byte SHA-1 hash")
    expected, salt = raw[:20], raw[20:]
    return lambda pw: hmac.compare_digest(hashlib.sha1(pw + salt).digest(), expected)


def _sha512_symfony(digest: str) -> Checker:
    _, rounds, salt, hashed = _parts(digest, 4, "sha512_symfony$<iterations>$<salt>$<base64 hash>")
    if not digest.startswith("sha512_symfony$"):
        raise DigestInvalid("the digest must start with sha512_symfony$")
    count, expected = _int(rounds, "iterations", 1, 1_000_000), _b64(hashed, "hash")
    if len(expected) != 64:
        raise DigestInvalid("the hash must be a base64 SHA-512 digest (64 bytes)")

    def check(pw: bytes) -> bool:
        # Symfony's MessageDigestPasswordEncoder: "password{salt}", hashed once, then (digest + salted) again.
        salted = pw + b"{" + salt.encode() + b"}"
        value = hashlib.sha512(salted).digest()
        for _ in range(count - 1):
            value = hashlib.sha512(value + salted).digest()
        return hmac.compare_digest(value, expected)

    return check


def _argon2(kind: Type) -> Callable[[str], Checker]:
    name = "argon2id" if kind is Type.ID else "argon2i"

    def parse(digest: str) -> Checker:
        if not digest.startswith(f"${name}$"):
            raise DigestInvalid(f"the expected form is ${name}$v=19$m=<memory>,t=<iterations>,p=<parallelism>$"
                                "<salt>$<hash>")
        if not digest.startswith(f"${name}$v="):  # Clerk: "version 19 is assumed"
            digest = f"${name}$v=19$" + digest[len(name) + 2:]
        try:
            params = argon2.extract_parameters(digest)
        except argon2.exceptions.InvalidHashError:
            raise DigestInvalid(f"it is not a valid {name} digest") from None
        m, t = params.memory_cost, params.time_cost
        if m * 1024 > _MAX_MEMORY or m * t > 4 * _MAX_MEMORY // 1024 or params.parallelism > 64:
            raise DigestInvalid("its parameters need more work than the local instance allows (m ≤ 1048576 KiB, "
                                "m × t ≤ 4194304, p ≤ 64)")
        stored = digest.encode()

        def check(pw: bytes) -> bool:
            try:
                return verify_secret(stored, pw, kind)
            except (argon2.exceptions.VerificationError, argon2.exceptions.InvalidHashError):
                return False

        return check

    return parse


_PARSERS: dict[str, Callable[[str], Checker]] = {
    "argon2i": _argon2(Type.I),
    "argon2id": _argon2(Type.ID),
    "bcrypt": _bcrypt,
    "bcrypt_peppered": _bcrypt_peppered,
    "bcrypt_sha256_django": _bcrypt_sha256_django,
    "ldap_ssha": _ldap_ssha,
    "md5": _plain("md5", 32),
    "md5_phpass": _phpass,
    "pbkdf2_sha1": _pbkdf2_sha1,
    "pbkdf2_sha256": _pbkdf2_sha256,
    "pbkdf2_sha256_django": _pbkdf2_sha256_django,
    "pbkdf2_sha512": _pbkdf2_sha512,
    "pbkdf2_sha512_hex": _pbkdf2_sha512_hex,
    "phpass": _phpass,
    "scrypt_firebase": _scrypt_firebase,
    "scrypt_werkzeug": _scrypt_werkzeug,
    "sha256": _plain("sha256", 64),
    "sha512_symfony": _sha512_symfony,
}
HASHERS = tuple(sorted([*_PARSERS, *NOT_CHECKED_HERE]))
"""Every ``password_hasher`` value Clerk names; the ones in :data:`NOT_CHECKED_HERE` are refused here."""


def validate(hasher: str, digest: str) -> None:
    """:class:`DigestInvalid` unless ``digest`` has the form of ``hasher`` (one of the checked hashers)."""
    _PARSERS[hasher](digest)


def matches(hasher: str, digest: str, password: str) -> bool:
    """Whether ``password`` is the one ``digest`` (of ``hasher``) was made from; False for a malformed digest."""
    parser = _PARSERS.get(hasher)
    if parser is None:
        return False
    try:
        return parser(digest)(password.encode())
    except ValueError:  # DigestInvalid, or a library's refusal: never a match, never a 5xx
        return False


def stored_value(hasher: str, digest: str) -> str:
    """The ``password_hash`` of a user with this imported digest; :class:`DigestInvalid` when the digest does not
    have the hasher's form (the caller has already refused unknown and unchecked hashers)."""
    validate(hasher, digest)
    return f"{PREFIX}{hasher}:{digest}"


def check(password: str, stored: str) -> bool:
    """Whether ``password`` matches an imported digest (a value made by :func:`stored_value`)."""
    hasher, _, digest = stored[len(PREFIX):].partition(":")
    return matches(hasher, digest, password)
