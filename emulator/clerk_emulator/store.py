"""SQLite storage in the data folder.

Every object is one JSON document in its table, with a few indexed columns
for lookups. All work of one request runs in one ``BEGIN IMMEDIATE``
transaction (see :meth:`Store.tx`), committed before the response is sent.
The database runs in WAL mode; ``synchronous=NORMAL`` by default, which
survives a killed process (SIGKILL) because a committed transaction is in
the WAL file in the OS page cache; ``fsync=True`` selects ``FULL`` for
power-loss durability too.
"""

from __future__ import annotations

import base64
import fcntl
import json
import secrets
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS users (id TEXT PRIMARY KEY, created_at INTEGER NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS users_created ON users (created_at, id);
CREATE TABLE IF NOT EXISTS identifiers (value TEXT PRIMARY KEY, user_id TEXT NOT NULL, kind TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS identifiers_user ON identifiers (user_id);
CREATE TABLE IF NOT EXISTS clients (id TEXT PRIMARY KEY, token TEXT UNIQUE NOT NULL, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY, client_id TEXT NOT NULL, user_id TEXT NOT NULL, created_at INTEGER NOT NULL,
    data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS sessions_client ON sessions (client_id);
CREATE INDEX IF NOT EXISTS sessions_user ON sessions (user_id);
CREATE TABLE IF NOT EXISTS sign_ins (id TEXT PRIMARY KEY, client_id TEXT NOT NULL, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sign_ups (id TEXT PRIMARY KEY, client_id TEXT NOT NULL, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS organizations (
    id TEXT PRIMARY KEY, slug TEXT UNIQUE NOT NULL, created_at INTEGER NOT NULL, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS memberships (
    id TEXT PRIMARY KEY, org_id TEXT NOT NULL, user_id TEXT NOT NULL, created_at INTEGER NOT NULL,
    data TEXT NOT NULL, UNIQUE (org_id, user_id));
CREATE INDEX IF NOT EXISTS memberships_user ON memberships (user_id);
-- Records with no index of their own beyond time: the outbox, sign-in tokens, invitations, testing tokens,
-- OAuth states and email-link tokens (one table each, same shape).
CREATE TABLE IF NOT EXISTS outbox (id TEXT PRIMARY KEY, created_at INTEGER NOT NULL, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sign_in_tokens (id TEXT PRIMARY KEY, created_at INTEGER NOT NULL, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS invitations (id TEXT PRIMARY KEY, created_at INTEGER NOT NULL, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS testing_tokens (id TEXT PRIMARY KEY, created_at INTEGER NOT NULL, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS oauth_states (id TEXT PRIMARY KEY, created_at INTEGER NOT NULL, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS link_tokens (id TEXT PRIMARY KEY, created_at INTEGER NOT NULL, data TEXT NOT NULL);
-- Organization invitations, domains, membership requests and suggestions (organizations_model.py).
CREATE TABLE IF NOT EXISTS org_invitations (id TEXT PRIMARY KEY, created_at INTEGER NOT NULL, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS org_domains (id TEXT PRIMARY KEY, created_at INTEGER NOT NULL, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS org_requests (id TEXT PRIMARY KEY, created_at INTEGER NOT NULL, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS org_suggestions (id TEXT PRIMARY KEY, created_at INTEGER NOT NULL, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS images (
    id TEXT PRIMARY KEY, user_id TEXT NOT NULL, name TEXT NOT NULL, content_type TEXT NOT NULL,
    data BLOB NOT NULL, created_at INTEGER NOT NULL);
"""

DB_NAME = "clerk-emulator.sqlite3"


class DataFolderBusy(OSError):
    """The data folder is locked by another running emulator."""

# Characters used by Clerk-style ids (base62 after a type prefix).
_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def new_id(prefix: str) -> str:
    return prefix + "_" + "".join(secrets.choice(_ALPHABET) for _ in range(27))


_clock_offset_ms = 0  # moved forward by POST /__emulator/clock (tests of expiry); 0 in normal use


def now_ms() -> int:
    """The instance's clock in Unix milliseconds: real time plus the offset tests may add (code, link, lockout
    and session expiry and factor ages read it; token timestamps and TOTP steps stay on real time)."""
    return int(time.time() * 1000) + _clock_offset_ms


def advance_clock(ms: int) -> int:
    """Move the instance's clock ``ms`` forward; returns the total offset."""
    global _clock_offset_ms
    _clock_offset_ms += ms
    return _clock_offset_ms


def reset_clock() -> None:
    """Back to real time."""
    global _clock_offset_ms
    _clock_offset_ms = 0


def touch(record: dict[str, Any]) -> None:
    """Stamp a write: ``updated_at`` strictly increases per record, even within one millisecond, so
    clients can order responses by it (writes to one record are serialized by its transaction)."""
    record["updated_at"] = max(now_ms(), int(record.get("updated_at") or 0) + 1)


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Store:
    def __init__(self, data_dir: Path, *, reset: bool = False, fsync: bool = False) -> None:
        self.data_dir = data_dir
        data_dir.mkdir(parents=True, exist_ok=True)
        self._lock = (data_dir / "clerk-emulator.lock").open("a+")
        try:
            fcntl.flock(self._lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._lock.close()
            raise DataFolderBusy(f"another clerk-emulator is using {data_dir}") from None
        if reset:
            for name in (DB_NAME, DB_NAME + "-wal", DB_NAME + "-shm"):
                (data_dir / name).unlink(missing_ok=True)
        self.db = sqlite3.connect(
            data_dir / DB_NAME, isolation_level=None, check_same_thread=False, cached_statements=256
        )
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute(f"PRAGMA synchronous={'FULL' if fsync else 'NORMAL'}")
        self.db.execute("PRAGMA busy_timeout=5000")
        self.db.executescript(SCHEMA)
        self._depth = 0
        # Documents read or written in the current transaction, by (table, id): one request reads the same
        # client, session and user several times; every mutation is followed by a put, which refreshes it.
        self._docs: dict[tuple[str, str], dict[str, Any]] = {}
        with self.tx():
            self.secret_key = self._meta_default("secret_key", lambda: "sk_test_" + secrets.token_urlsafe(36))
            self.instance_id = self._meta_default("instance_id", lambda: new_id("ins"))
            pem = self._meta_default("signing_key_pem", _new_rsa_pem)
            self.kid = self._meta_default("signing_kid", lambda: new_id("ins").replace("ins_", "ins_k"))
        key = serialization.load_pem_private_key(pem.encode(), password=None)
        assert isinstance(key, rsa.RSAPrivateKey)
        self.signing_key: rsa.RSAPrivateKey = key
        numbers = key.public_key().public_numbers()
        self.jwk: dict[str, str] = {
            "kid": self.kid,
            "alg": "RS256",
            "use": "sig",
            "kty": "RSA",
            "n": _b64url(numbers.n.to_bytes((numbers.n.bit_length() + 7) // 8, "big")),
            "e": _b64url(numbers.e.to_bytes((numbers.e.bit_length() + 7) // 8, "big")),
        }

    # --- transactions ---------------------------------------------------------
    @contextmanager
    def tx(self) -> Iterator[None]:
        """One ``BEGIN IMMEDIATE`` transaction; nested calls join the outer one."""
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self.db.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield
        except BaseException:
            self._depth = 0
            self._docs.clear()
            self.db.execute("ROLLBACK")
            raise
        self._depth = 0
        self._docs.clear()
        self.db.execute("COMMIT")

    def close(self) -> None:
        self.db.close()
        self._lock.close()

    # --- meta -----------------------------------------------------------------
    def _meta_default(self, key: str, make: Any) -> str:
        row = self.db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        if row:
            return str(row[0])
        value = str(make())
        self.db.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (key, value))
        return value

    def meta_get(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def meta_set(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    # --- generic documents ----------------------------------------------------
    def _remember(self, table: str, doc: dict[str, Any]) -> dict[str, Any]:
        if not self._depth:
            return doc
        return self._docs.setdefault((table, doc["id"]), doc)

    def _written(self, table: str, doc: dict[str, Any]) -> None:
        if self._depth:
            self._docs[(table, doc["id"])] = doc

    def get(self, table: str, id_: str) -> dict[str, Any] | None:
        cached = self._docs.get((table, id_))
        if cached is not None:
            return cached
        row = self.db.execute(f"SELECT data FROM {table} WHERE id=?", (id_,)).fetchone()
        return None if row is None else self._remember(table, json.loads(row[0]))

    def where(self, table: str, clause: str, args: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
        rows = self.db.execute(f"SELECT data FROM {table} WHERE {clause}", args).fetchall()
        return [self._remember(table, json.loads(r[0])) for r in rows]

    def delete(self, table: str, id_: str) -> None:
        self._docs.pop((table, id_), None)
        self.db.execute(f"DELETE FROM {table} WHERE id=?", (id_,))

    # users
    def put_user(self, user: dict[str, Any]) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO users (id, created_at, data) VALUES (?, ?, ?)",
            (user["id"], user["created_at"], json.dumps(user)),
        )
        self._written("users", user)

    def count_users(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM users").fetchone()[0])

    def identifier_owner(self, value: str) -> str | None:
        row = self.db.execute("SELECT user_id FROM identifiers WHERE value=?", (value.lower(),)).fetchone()
        return None if row is None else str(row[0])

    def add_identifier(self, value: str, user_id: str, kind: str) -> None:
        self.db.execute(
            "INSERT INTO identifiers (value, user_id, kind) VALUES (?, ?, ?)", (value.lower(), user_id, kind)
        )

    def drop_identifier(self, value: str) -> None:
        self.db.execute("DELETE FROM identifiers WHERE value=?", (value.lower(),))

    def put_image(self, image_id: str, user_id: str, name: str, content_type: str, data: bytes) -> None:
        self.db.execute(
            "INSERT INTO images (id, user_id, name, content_type, data, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            (image_id, user_id, name, content_type, data, now_ms()),
        )

    def image(self, image_id: str) -> tuple[str, bytes] | None:
        row = self.db.execute("SELECT content_type, data FROM images WHERE id=?", (image_id,)).fetchone()
        return None if row is None else (str(row[0]), bytes(row[1]))

    def drop_images(self, user_id: str) -> None:
        self.db.execute("DELETE FROM images WHERE user_id=?", (user_id,))

    def drop_user(self, user_id: str) -> None:
        self.drop_images(user_id)
        self._docs = {k: v for k, v in self._docs.items()
                      if not (k == ("users", user_id) or (k[0] == "memberships" and v.get("user_id") == user_id))}
        self.db.execute("DELETE FROM users WHERE id=?", (user_id,))
        self.db.execute("DELETE FROM identifiers WHERE user_id=?", (user_id,))
        self.db.execute("DELETE FROM memberships WHERE user_id=?", (user_id,))

    # clients
    def put_client(self, client: dict[str, Any]) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO clients (id, token, data) VALUES (?, ?, ?)",
            (client["id"], client["token"], json.dumps(client)),
        )
        self._written("clients", client)

    def client_by_token(self, token: str) -> dict[str, Any] | None:
        row = self.db.execute("SELECT data FROM clients WHERE token=?", (token,)).fetchone()
        return None if row is None else self._remember("clients", json.loads(row[0]))

    # sessions
    def put_session(self, sess: dict[str, Any]) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO sessions (id, client_id, user_id, created_at, data) VALUES (?, ?, ?, ?, ?)",
            (sess["id"], sess["client_id"], sess["user_id"], sess["created_at"], json.dumps(sess)),
        )
        self._written("sessions", sess)

    def put_doc(self, table: str, doc: dict[str, Any]) -> None:
        """sign_ins / sign_ups (keyed by client)."""
        self.db.execute(
            f"INSERT OR REPLACE INTO {table} (id, client_id, data) VALUES (?, ?, ?)",
            (doc["id"], doc["client_id"], json.dumps(doc)),
        )
        self._written(table, doc)

    def put_record(self, table: str, doc: dict[str, Any]) -> None:
        """A document of a plain ``(id, created_at, data)`` table (outbox, tokens, invitations, states)."""
        self.db.execute(
            f"INSERT OR REPLACE INTO {table} (id, created_at, data) VALUES (?, ?, ?)",
            (doc["id"], doc["created_at"], json.dumps(doc)),
        )
        self._written(table, doc)

    # organizations
    def put_org(self, org: dict[str, Any]) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO organizations (id, slug, created_at, data) VALUES (?, ?, ?, ?)",
            (org["id"], org["slug"], org["created_at"], json.dumps(org)),
        )
        self._written("organizations", org)

    def drop_org(self, org_id: str) -> None:
        self._docs = {k: v for k, v in self._docs.items()
                      if not (k == ("organizations", org_id) or (k[0] == "memberships" and v.get("org_id") == org_id))}
        self.db.execute("DELETE FROM memberships WHERE org_id=?", (org_id,))
        self.db.execute("DELETE FROM organizations WHERE id=?", (org_id,))

    def put_membership(self, mem: dict[str, Any]) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO memberships (id, org_id, user_id, created_at, data) VALUES (?, ?, ?, ?, ?)",
            (mem["id"], mem["org_id"], mem["user_id"], mem["created_at"], json.dumps(mem)),
        )
        self._written("memberships", mem)


def _new_rsa_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
