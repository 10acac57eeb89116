"""Pydantic models of the factor objects (TOTP, backup codes, passkeys, session verifications, sessions with
activities), imported on first use like :mod:`clerk_frontend.wire_organizations`; same rules as :mod:`.wire`."""

from typing import Any

from .wire import SessionJSON, Strings, VerificationJSON, Wire


class TOTPJSON(Wire):
    id: str = ""
    object: str = "totp"
    secret: str | None = None
    uri: str | None = None
    verified: bool = False
    backup_codes: list[str] | None = None
    created_at: int | None = None
    updated_at: int | None = None


class BackupCodeJSON(Wire):
    id: str = ""
    object: str = "backup_code"
    codes: Strings = []  # noqa: RUF012  # pydantic copies defaults per instance
    created_at: int | None = None
    updated_at: int | None = None


class PasskeyJSON(Wire):
    id: str = ""
    object: str = "passkey"
    name: str | None = None
    verification: VerificationJSON | None = None
    last_used_at: int | None = None
    created_at: int | None = None
    updated_at: int | None = None


class SessionActivityJSON(Wire):
    id: str = ""
    object: str = "session_activity"
    device_type: str | None = None
    is_mobile: bool = False
    browser_name: str | None = None
    browser_version: str | None = None
    ip_address: str | None = None
    city: str | None = None
    country: str | None = None


class SessionWithActivitiesJSON(Wire):
    id: str = ""
    object: str = "session"
    status: str = ""
    latest_activity: SessionActivityJSON | None = None
    actor: dict[str, Any] | None = None
    last_active_organization_id: str | None = None
    expire_at: int | None = None
    abandon_at: int | None = None
    last_active_at: int | None = None


class SessionVerificationJSON(Wire):
    id: str = ""
    object: str = "session_verification"
    status: str | None = None
    level: str | None = None
    supported_first_factors: list[dict[str, Any]] | None = None
    supported_second_factors: list[dict[str, Any]] | None = None
    first_factor_verification: VerificationJSON | None = None
    second_factor_verification: VerificationJSON | None = None
    session: SessionJSON | None = None
