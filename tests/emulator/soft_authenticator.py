"""A software WebAuthn authenticator for the instance's HTTP tests: ES256 keys, ``none`` attestation, and the
credential JSON exactly as clerk-js posts it (``public_key_credential``: base64url without padding).

Not a mock of the instance: it plays the browser's and the authenticator's part, so the instance verifies real
signatures with its WebAuthn library. It can also misbehave as the tests need (another relying party, another
origin)."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import struct
from typing import Any

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

FLAG_UP, FLAG_UV, FLAG_AT = 0x01, 0x04, 0x40


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class SoftAuthenticator:
    """One passkey (a key pair and a credential id), made by :meth:`register`."""

    def __init__(self) -> None:
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = os.urandom(16)
        self.sign_count = 0
        self.user_handle: bytes | None = None
        self.rp_id: str | None = None

    def _cose_key(self) -> bytes:
        numbers = self.key.public_key().public_numbers()
        return cbor2.dumps({1: 2, 3: -7, -1: 1, -2: numbers.x.to_bytes(32, "big"), -3: numbers.y.to_bytes(32, "big")})

    def _client_data(self, kind: str, challenge: str, origin: str) -> bytes:
        return json.dumps({"type": kind, "challenge": challenge, "origin": origin, "crossOrigin": False}).encode()

    def register(self, nonce: str, origin: str, *, rp_id: str | None = None) -> str:
        """Answer ``navigator.credentials.create`` for the creation options in ``nonce``; the JSON string that
        clerk-js sends as ``public_key_credential``."""
        options = json.loads(nonce)
        self.rp_id = rp_id or options["rp"]["id"]
        self.user_handle = unb64url(options["user"]["id"])
        client_data = self._client_data("webauthn.create", options["challenge"], origin)
        attested = bytes(16) + struct.pack(">H", len(self.credential_id)) + self.credential_id + self._cose_key()
        auth_data = (hashlib.sha256(self.rp_id.encode()).digest() + bytes([FLAG_UP | FLAG_UV | FLAG_AT])
                     + struct.pack(">I", self.sign_count) + attested)
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        return json.dumps({
            "type": "public-key", "id": b64url(self.credential_id), "rawId": b64url(self.credential_id),
            "authenticatorAttachment": "platform",
            "response": {"clientDataJSON": b64url(client_data), "attestationObject": b64url(attestation),
                         "transports": ["internal"]},
        })

    def assertion(self, nonce: str, origin: str, *, rp_id: str | None = None) -> str:
        """Answer ``navigator.credentials.get`` for the request options in ``nonce`` (signed for ``rp_id``, by
        default the options' one)."""
        options = json.loads(nonce)
        self.sign_count += 1
        relying_party = rp_id or options["rpId"]
        client_data = self._client_data("webauthn.get", options["challenge"], origin)
        auth_data = (hashlib.sha256(relying_party.encode()).digest() + bytes([FLAG_UP | FLAG_UV])
                     + struct.pack(">I", self.sign_count))
        signature = self.key.sign(auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256()))
        return json.dumps({
            "type": "public-key", "id": b64url(self.credential_id), "rawId": b64url(self.credential_id),
            "authenticatorAttachment": "platform",
            "response": {"clientDataJSON": b64url(client_data), "authenticatorData": b64url(auth_data),
                         "signature": b64url(signature),
                         "userHandle": b64url(self.user_handle) if self.user_handle else None},
        })


def parsed(value: Any) -> dict[str, Any]:
    """A verification's ``nonce`` as the browser reads it."""
    return dict(json.loads(value))
