"""The signed-in user: profile, metadata, password, image, identifiers and memberships."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from .._sentinels import UNSET
from ..errors import ClerkValidationError, MetadataRefusedError
from ..fapi import encode_multipart
from ..wire import ImageJSON, UserJSON
from ._attempt import redirect_strategy
from ._base import _METADATA_KEYS, Paginated, R, Resource, _paginated, _strings
from .external_account import ExternalAccount, scopes
from .identifiers import EmailAddress, PhoneNumber
from .organization import OrganizationMembership

if TYPE_CHECKING:
    from .factors import TOTP, BackupCode, Passkey, SessionWithActivities
    from .organization_invitation import UserOrganizationInvitation
    from .organization_request import OrganizationCreationDefaults, OrganizationSuggestion

__all__ = ["User"]

# `metadata` is imported inside the methods that use it: load() never needs it, and every module costs
# compile time in the browser.


def _has_none(value: Any) -> bool:
    if isinstance(value, dict):
        return any(v is None or _has_none(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(_has_none(v) for v in value)
    return False


class User(Resource[UserJSON]):
    """The signed-in user. ``clerk.user`` is always this same object for a given user id."""

    _wire = UserJSON
    #: Fields ``PATCH /v1/me`` accepts.
    UPDATABLE: ClassVar[tuple[str, ...]] = ("username", "first_name", "last_name", "primary_email_address_id",
                                            "primary_phone_number_id", "primary_web3_wallet_id")
    username: str | None
    first_name: str | None
    last_name: str | None
    image_url: str | None
    has_image: bool
    primary_email_address_id: str | None
    primary_phone_number_id: str | None
    primary_web3_wallet_id: str | None
    password_enabled: bool
    two_factor_enabled: bool
    totp_enabled: bool
    backup_code_enabled: bool
    email_addresses: list[EmailAddress]
    phone_numbers: list[PhoneNumber]
    external_accounts: list[ExternalAccount]
    organization_memberships: list[OrganizationMembership]
    public_metadata: dict[str, Any]
    unsafe_metadata: dict[str, Any]
    external_id: str | None
    banned: bool
    locked: bool
    delete_self_enabled: bool
    create_organization_enabled: bool
    last_sign_in_at: datetime | None
    last_active_at: datetime | None
    created_at: datetime | None
    updated_at: datetime | None

    _nested = ("email_addresses", "phone_numbers", "external_accounts", "organization_memberships")

    def _carried_by(self, client: dict[str, Any] | None, payload: Any) -> bool:
        # /me endpoints answer with the user, and the client they piggyback embeds the same user in its
        # session: one dict comparison (in C) instead of a second validation.
        sessions = client.get("sessions") if client else None
        for session in sessions if isinstance(sessions, list) else ():
            user = session.get("user") if isinstance(session, dict) else None
            if isinstance(user, dict) and user.get("id") == self.id:
                return bool(user == payload)
        return False

    def _assign(self, data: UserJSON, old: UserJSON | None) -> bool:
        changed = super()._assign(data, old)
        changed = self._children("email_addresses", data.email_addresses, EmailAddress) or changed
        changed = self._children("phone_numbers", data.phone_numbers, PhoneNumber) or changed
        changed = self._children("external_accounts", data.external_accounts, ExternalAccount) or changed
        return self._children("organization_memberships", data.organization_memberships,
                              OrganizationMembership) or changed

    @property
    def full_name(self) -> str | None:
        """First and last name joined, or None when both are empty."""
        return " ".join(p for p in (self.first_name, self.last_name) if p) or None

    @property
    def primary_email_address(self) -> EmailAddress | None:
        """The primary :class:`EmailAddress`, if any."""
        return next((e for e in self.email_addresses if e.id == self.primary_email_address_id), None)

    @property
    def primary_phone_number(self) -> PhoneNumber | None:
        """The primary :class:`PhoneNumber`, if any."""
        return next((p for p in self.phone_numbers if p.id == self.primary_phone_number_id), None)

    async def reload(self) -> User:
        """Fetch the user afresh (``GET /v1/me``) and apply the client it carries."""
        await self._clerk._request("GET", "/me", apply_client=True, into=self)
        return self

    async def update(self, **fields: str | None) -> User:
        """Update profile fields (``PATCH /v1/me``), only :attr:`UPDATABLE`; metadata is refused before any
        request (use :meth:`update_metadata`)."""
        for name in fields:
            if name in _METADATA_KEYS:
                backend = "unsafe" not in name.lower()
                raise MetadataRefusedError(
                    f"User.update() does not accept {name}: since API version 2026-05-12 the Frontend API rejects "
                    "metadata on PATCH /v1/me. "
                    + ("public and private metadata are backend-only; change them with the Backend API."
                       if backend else
                       "Use update_metadata(): user.update_metadata(unsafe_metadata={...}) deep-merges (None "
                       "removes a key); user.replace_metadata(unsafe_metadata={...}) replaces the whole value.")
                )
        unknown = [n for n in fields if n not in self.UPDATABLE]
        if unknown:
            raise ClerkValidationError(
                f"User.update() got unknown field(s) {unknown}; accepted: {list(self.UPDATABLE)}.")
        if not fields:
            raise ClerkValidationError("User.update() needs at least one field.")
        for name, value in fields.items():
            if value is not None and not isinstance(value, str):
                raise ClerkValidationError(f"User.update(): {name} must be str or None, got {type(value).__name__}.")
        await self._clerk._request("PATCH", "/me", form=fields, into=self)
        return self

    async def update_metadata(self, *, unsafe_metadata: dict[str, Any] = UNSET, **other: Any) -> User:
        """Deep-merge ``unsafe_metadata`` (``PATCH /v1/me/metadata``; ``None`` removes a key), validated
        first; then this object equals the server's result (unchanged on failure)."""
        from ..metadata import refuse_backend_only, validate_metadata

        for name in other:
            if name in _METADATA_KEYS and "unsafe" not in name.lower():
                raise refuse_backend_only(name)
            raise ClerkValidationError(f"update_metadata() got an unexpected argument {name!r}.")
        if unsafe_metadata is UNSET:
            raise ClerkValidationError("update_metadata() needs unsafe_metadata={...}.")
        # The form field is the compact JSON the validation already produced (encoded once, sent as is).
        text = validate_metadata(unsafe_metadata)
        await self._clerk._request("PATCH", "/me/metadata", form={"unsafe_metadata": text}, into=self)
        return self

    async def replace_metadata(self, *, unsafe_metadata: dict[str, Any]) -> User:
        """Make ``unsafe_metadata`` exactly this dict: ``GET /v1/me``, then the RFC 7396 diff through
        :meth:`update_metadata` (nothing when empty). **Not atomic.**"""
        from ..metadata import merge_patch_diff, validate_metadata

        validate_metadata(unsafe_metadata)
        if _has_none(unsafe_metadata):
            raise ClerkValidationError(
                "replace_metadata() cannot store None values: a merge patch uses null to delete.")
        await self.reload()
        diff = merge_patch_diff(self.unsafe_metadata, unsafe_metadata)
        if diff:
            await self.update_metadata(unsafe_metadata=diff)
        return self

    async def get_sessions(self) -> list[SessionWithActivities]:
        """The user's active sessions with their latest activity (``GET /v1/me/sessions/active``)."""
        from .factors import sessions_of

        return await sessions_of(self)

    @property
    def passkeys(self) -> list[Passkey]:
        """The user's passkeys."""
        from .factors import passkeys_of

        return passkeys_of(self)

    async def create_passkey(self) -> Passkey:
        """Register a passkey in the browser (``POST /v1/me/passkeys``, ``navigator.credentials.create()``)."""
        from .factors import register_passkey

        return await register_passkey(self)

    async def create_totp(self) -> TOTP:
        """Start an authenticator app (``POST /v1/me/totp``): its ``secret`` and ``otpauth://`` ``uri``."""
        from .factors import TOTP

        return await self._factor(TOTP, "/me/totp")

    async def verify_totp(self, *, code: str) -> TOTP:
        """Turn the authenticator app on with a current ``code``."""
        from .factors import TOTP

        _strings("verify_totp", code=code)
        return await self._factor(TOTP, "/me/totp/attempt_verification", {"code": code})

    async def disable_totp(self) -> dict[str, Any]:
        """Remove the authenticator app (``DELETE /v1/me/totp``)."""
        return dict(await self._clerk._request("DELETE", "/me/totp") or {})

    async def create_backup_code(self) -> BackupCode:
        """New backup codes, replacing the old ones (``POST /v1/me/backup_codes/``)."""
        from .factors import BackupCode

        return await self._factor(BackupCode, "/me/backup_codes/")

    async def _factor(self, cls: type[R], path: str, form: dict[str, Any] | None = None) -> R:
        from .factors import made

        return made(self._clerk, cls, await self._clerk._request("POST", path, form=form))

    async def create_email_address(self, email_address: str) -> EmailAddress:
        """Add an email address (``POST /v1/me/email_addresses``); verify it with its prepare/attempt methods."""
        _strings("create_email_address", email_address=email_address)
        payload = await self._clerk._request("POST", "/me/email_addresses", form={"email_address": email_address})
        return self._child(self.email_addresses, payload, EmailAddress)

    async def create_phone_number(self, phone_number: str) -> PhoneNumber:
        """Add a phone number (``POST /v1/me/phone_numbers``)."""
        _strings("create_phone_number", phone_number=phone_number)
        payload = await self._clerk._request("POST", "/me/phone_numbers", form={"phone_number": phone_number})
        return self._child(self.phone_numbers, payload, PhoneNumber)

    async def create_external_account(
        self, *, strategy: str, redirect_url: str, additional_scopes: list[str] | None = None,
        enterprise_connection_id: str | None = None, oidc_prompt: str | None = None,
        oidc_login_hint: str | None = None,
    ) -> ExternalAccount:
        """Connect an account (``POST /v1/me/external_accounts``); go to its
        ``verification.external_verification_redirect_url``."""
        where = "User.create_external_account"
        strategy = redirect_strategy(strategy, where)
        if strategy == "saml":
            raise ClerkValidationError(f"{where}: strategy must be oauth_<provider> or enterprise_sso.")
        extra = scopes(additional_scopes, where)
        optional = {"enterprise_connection_id": enterprise_connection_id, "oidc_prompt": oidc_prompt,
                    "oidc_login_hint": oidc_login_hint}
        _strings(where, **optional)
        form: dict[str, Any] = {"strategy": strategy,
                                "redirect_url": self._clerk._absolute(redirect_url, f"{where}: redirect_url"),
                                "additional_scope": extra}
        form |= {name: value for name, value in optional.items() if value is not None}
        payload = await self._clerk._request("POST", "/me/external_accounts", form=form)
        return self._child(self.external_accounts, payload, ExternalAccount)

    def _child(self, children: list[R], payload: Any, cls: type[R]) -> R:
        data = cls._wire.model_validate(payload)
        found = next((c for c in children if c.id == data.id), None)  # type: ignore[attr-defined]
        if found is not None:
            found._from_json(data)
            return found
        return cls(self._clerk, data)

    async def update_password(
        self, *, new_password: str, current_password: str | None = UNSET, sign_out_of_other_sessions: bool = UNSET
    ) -> User:
        """Set a new password (``POST /v1/me/change_password``)."""
        _strings("update_password", new_password=new_password, current_password=current_password)
        if sign_out_of_other_sessions is not UNSET and not isinstance(sign_out_of_other_sessions, bool):
            raise ClerkValidationError("update_password: sign_out_of_other_sessions must be a bool.")
        form: dict[str, Any] = {"new_password": new_password}
        if current_password is not UNSET:
            form["current_password"] = current_password
        if sign_out_of_other_sessions is not UNSET:
            form["sign_out_of_other_sessions"] = sign_out_of_other_sessions
        await self._clerk._request("POST", "/me/change_password", form=form, into=self)
        return self

    async def remove_password(self, *, current_password: str | None = UNSET) -> User:
        """Remove the password (``POST /v1/me/remove_password``); ``current_password`` may be left out where the
        instance has reverification on, as in clerk-js."""
        _strings("remove_password", current_password=current_password)
        form = {} if current_password is UNSET else {"current_password": current_password}
        await self._clerk._request("POST", "/me/remove_password", form=form, into=self)
        return self

    async def set_profile_image(
        self, file: bytes | None, *, filename: str = "profile.png", content_type: str = "image/png"
    ) -> dict[str, Any] | None:
        """Upload a profile image (multipart), or delete it with ``None``; returns the image JSON."""
        if file is None:
            await self._clerk._request("DELETE", "/me/profile_image")
            return None
        if not isinstance(file, (bytes, bytearray)):
            raise ClerkValidationError("set_profile_image() takes bytes or None.")
        body, ctype = encode_multipart("file", filename, bytes(file), content_type)
        payload = await self._clerk._request("POST", "/me/profile_image", body=body, content_type=ctype)
        return ImageJSON.model_validate(payload).model_dump()

    async def delete(self) -> None:
        """Delete the user (``DELETE /v1/me``); the client then has no session for it."""
        await self._clerk._request("DELETE", "/me")

    async def get_organization_memberships(
        self, *, initial_page: int = 1, page_size: int = 10
    ) -> Paginated[OrganizationMembership]:
        """A page of the user's organization memberships."""
        from ._organization_calls import offset as _offset

        payload = await self._clerk._request("GET", "/me/organization_memberships",
                                             query=[("paginated", "true"), *_offset(initial_page, page_size)])
        return _paginated(self._clerk, payload, OrganizationMembership)

    async def get_organization_invitations(
        self, *, initial_page: int = 1, page_size: int = 10, status: str | None = None
    ) -> Paginated[UserOrganizationInvitation]:
        """A page of invitations to the user's addresses (``GET /me/organization_invitations``)."""
        from .organization_invitation import user_invitations

        return await user_invitations(self, initial_page, page_size, status)

    async def get_organization_suggestions(
        self, *, initial_page: int = 1, page_size: int = 10, status: str | list[str] | None = None
    ) -> Paginated[OrganizationSuggestion]:
        """A page of organizations to ask to join (``GET /me/organization_suggestions``)."""
        from .organization_request import user_suggestions

        return await user_suggestions(self, initial_page, page_size, status)

    async def leave_organization(self, organization_id: str) -> dict[str, Any]:
        """Leave an organization (``DELETE /me/organization_memberships/{id}``); returns the deleted object."""
        from ._organization_calls import required as _required

        _required("User.leave_organization", organization_id=organization_id)
        payload = await self._clerk._request("DELETE", f"/me/organization_memberships/{organization_id}")
        return dict(payload) if isinstance(payload, dict) else {}

    async def get_organization_creation_defaults(self) -> OrganizationCreationDefaults:
        """Suggested name, slug and advisory for a new organization."""
        from .organization_request import creation_defaults

        return await creation_defaults(self)
