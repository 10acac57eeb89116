"""Resources: typed Python objects over the wire models, refreshed in place.

A resource never does I/O itself: its methods assemble ``(method, path, params)`` and hand them to the
:class:`~clerk_frontend.Clerk` it was built with, which sends the request, applies the piggybacked client,
refreshes the resource in place and notifies listeners once.

Object identity: a resource is updated in place whenever new JSON for the same id arrives, and a response
older than the state held (by ``updated_at``) is ignored. In particular there is one :class:`User` object
per user id for the lifetime of a ``Clerk``, so ``clerk.user`` stays the same Python object across client
updates (clerk-js builds a new one on every update).

Attributes mirror the wire fields; ``*_at`` timestamps (milliseconds on the wire) become aware UTC
``datetime`` objects. ``raw`` holds the wire model, unknown fields included.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from operator import itemgetter
from typing import TYPE_CHECKING, Any, ClassVar, Generic, NamedTuple, TypeVar

from ._sentinels import UNSET
from .errors import ClerkAPIResponseError, ClerkRuntimeError, ClerkValidationError, MetadataRefusedError
from .fapi import encode_multipart
from .tokens import cache_key, decode_jwt_claims
from .wire import (
    ClientJSON,
    EmailAddressJSON,
    ExternalAccountJSON,
    ImageJSON,
    OrganizationJSON,
    OrganizationMembershipJSON,
    PhoneNumberJSON,
    SessionJSON,
    SignInJSON,
    SignUpJSON,
    TokenJSON,
    UserJSON,
    Wire,
)

if TYPE_CHECKING:
    from .clerk import Clerk

__all__ = [
    "Client",
    "EmailAddress",
    "ExternalAccount",
    "Organization",
    "OrganizationMembership",
    "Paginated",
    "PhoneNumber",
    "Resource",
    "Session",
    "SignIn",
    "SignUp",
    "Token",
    "User",
]

W = TypeVar("W", bound=Wire)
R = TypeVar("R", bound="Resource[Any]")
T = TypeVar("T")


_MISSING: Any = object()
_METADATA_KEYS = ("unsafe_metadata", "unsafeMetadata", "public_metadata", "publicMetadata",
                  "private_metadata", "privateMetadata")
_SIGNED_IN = ("active", "pending")
# `metadata` is imported inside the methods that use it: load() never needs it, and every module costs
# compile time in the browser.


def _ms(value: Any) -> Any:
    return datetime.fromtimestamp(value / 1000, tz=UTC) if isinstance(value, int) else value


def _params(params: Mapping[str, Any], where: str) -> dict[str, Any]:
    # Free-form FAPI parameters: scalars or lists of str only; anything else is a caller bug.
    for key, value in params.items():
        ok = value is None or isinstance(value, (str, bool, int))
        ok = ok or (isinstance(value, list) and all(isinstance(v, str) for v in value))
        if not ok:
            raise ClerkValidationError(f"{where}: parameter {key!r} has unsupported type {type(value).__name__}.")
    return dict(params)


def _strings(where: str, **values: Any) -> None:
    # Caught here, a wrong type is a clear error before sending instead of a confusing 422.
    for name, value in values.items():
        if value is not UNSET and value is not None and not isinstance(value, str):
            raise ClerkValidationError(f"{where}: {name} must be str, got {type(value).__name__}.")
        if value is None and name in ("email_address", "phone_number", "new_password", "code", "name"):
            raise ClerkValidationError(f"{where}: {name} is required.")


class Paginated(NamedTuple, Generic[T]):
    """One page of a paginated list: the items and the total count on the server."""

    data: list[T]
    total_count: int


def _getter(names: tuple[str, ...]) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
    """``d -> tuple(d[n] for n in names)``, done in C by ``itemgetter`` (which returns a bare value for one name)."""
    if len(names) > 1:
        return itemgetter(*names)

    def few(values: dict[str, Any]) -> tuple[Any, ...]:
        return tuple(values[name] for name in names)

    return few


class _Plan(NamedTuple):
    """The fields a resource class copies onto attributes: plain ones, and ``*_at`` ms timestamps."""

    plain: tuple[str, ...]
    stamps: tuple[str, ...]
    get_plain: Callable[[dict[str, Any]], tuple[Any, ...]]
    get_stamps: Callable[[dict[str, Any]], tuple[Any, ...]]


_PLANS: dict[type[Any], _Plan] = {}


def _plan(cls: type[Resource[Any]]) -> _Plan:
    plan = _PLANS.get(cls)
    if plan is None:
        names = [name for name in cls._wire.model_fields if name not in cls._nested]
        plain = tuple(n for n in names if not n.endswith("_at"))
        stamps = tuple(n for n in names if n.endswith("_at"))
        plan = _PLANS[cls] = _Plan(plain, stamps, _getter(plain), _getter(stamps))
    return plan


class Resource(Generic[W]):
    """Base of all resources: holds the owning Clerk and the latest wire model."""

    _wire: ClassVar[type[Wire]]
    # Fields a subclass turns into child resources itself (in its ``_assign``).
    _nested: ClassVar[tuple[str, ...]] = ()
    id: str

    def __init__(self, clerk: Clerk, data: W | None = None) -> None:
        self._clerk = clerk
        self._raw: W | None = None
        self._rev = 0
        self.id = ""
        if data is None:
            self._assign(self._wire(), None)  # type: ignore[arg-type]  # a blank resource still has every attribute
        else:
            self._from_json(data)

    @property
    def raw(self) -> W | None:
        """The wire model last applied (None for a blank resource)."""
        return self._raw

    def _is_stale(self, data: W) -> bool:
        old = self._raw
        if old is None:
            return False
        new, held = data.__dict__, old.__dict__
        if new.get("id") != held.get("id"):
            return False
        new_at, old_at = new.get("updated_at"), held.get("updated_at")
        return new_at is not None and old_at is not None and bool(new_at < old_at)

    def _from_json(self, data: W) -> bool:
        """Apply ``data`` in place unless it is older than what is held; True if anything changed."""
        if data is self._raw:
            return False
        if self._is_stale(data):
            return self._apply_stale(data)
        old, self._raw = self._raw, data
        if not self._assign(data, old):
            return False
        self._rev += 1
        return True

    def _apply_stale(self, data: W) -> bool:
        """What an older ``data`` still changes (nothing, except for containers of newer children)."""
        return False

    def _carried_by(self, client: dict[str, Any] | None, payload: Any) -> bool:
        """True if the piggybacked ``client`` (just applied) holds this very JSON, so it need not be read twice."""
        return False

    def _apply_payload(self, payload: Any) -> None:
        self._from_json(self._wire.model_validate(payload))  # type: ignore[arg-type]

    def _assign(self, data: W, old: W | None) -> bool:
        """Copy the fields that differ from ``old`` onto attributes; True if anything changed.

        Field by field, so an update touches (and converts) only what changed: comparing whole models
        recursively, or re-converting every timestamp, costs more than the request itself in Pyodide.
        """
        plan = _plan(type(self))
        new_values = data.__dict__
        try:
            # Plain fields are compared with the attributes themselves, so a value the caller edited in place
            # is restored to the server's; timestamps with the ms they were converted from. Whole tuples
            # first (one comparison in C): most refreshes change nothing or one or two fields.
            held = plan.get_plain(self.__dict__) if old is not None else None
            held_stamps = plan.get_stamps(old.__dict__) if old is not None else None
        except KeyError:  # an attribute the caller deleted: set everything again
            held = held_stamps = None
        changed = old is None or data.__pydantic_extra__ != old.__pydantic_extra__
        new = plan.get_plain(new_values)
        if new != held:
            for name, value, current in zip(plan.plain, new, held or (_MISSING,) * len(new), strict=True):
                if value is not current and value != current:
                    setattr(self, name, value)
            changed = True
        new_stamps = plan.get_stamps(new_values)
        if new_stamps != held_stamps:
            for name, value, before in zip(plan.stamps, new_stamps, held_stamps or (_MISSING,) * len(new_stamps),
                                           strict=True):
                if value != before:
                    setattr(self, name, _ms(value))
            changed = True
        return changed

    def _children(self, name: str, items: list[Any], factory: Callable[[Clerk, Any], R]) -> bool:
        """Refresh the child list ``name`` from ``items``, children keeping their identity by id."""
        existing: list[R] | None = self.__dict__.get(name)
        if not items and existing == []:
            return False
        existing = existing or []
        by_id = {child.id: child for child in existing}
        result = []
        changed = len(items) != len(existing)
        for i, item in enumerate(items):
            child = by_id.get(item.id)
            if child is None:
                child, changed = factory(self._clerk, item), True
            else:
                changed = child._from_json(item) or changed or existing[i] is not child
            result.append(child)
        if changed or name not in self.__dict__:
            setattr(self, name, result)
        return changed

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.id or '(new)'}>"


class Token(Resource[TokenJSON]):
    """A session token (JWT) as returned by the token endpoint."""

    _wire = TokenJSON
    jwt: str

    @property
    def claims(self) -> dict[str, Any]:
        """The JWT's claims, decoded without verification."""
        return decode_jwt_claims(self.jwt)


class _Verifiable(Resource[W]):
    _path: ClassVar[str]

    async def prepare_verification(self, *, strategy: str, **params: Any) -> None:
        """Start verification (e.g. ``strategy="email_code"`` sends a one-time code)."""
        await self._clerk._request("POST", f"{self._path}/{self.id}/prepare_verification",
                                   form={"strategy": strategy, **_params(params, "prepare_verification")}, into=self)

    async def attempt_verification(self, *, code: str) -> None:
        """Complete verification with the one-time ``code``."""
        _strings("attempt_verification", code=code)
        await self._clerk._request("POST", f"{self._path}/{self.id}/attempt_verification", form={"code": code},
                                   into=self)

    async def destroy(self) -> None:
        """Delete this identifier from the user."""
        await self._clerk._request("DELETE", f"{self._path}/{self.id}")


class EmailAddress(_Verifiable[EmailAddressJSON]):
    """An email address of the current user."""

    _wire = EmailAddressJSON
    _path = "/me/email_addresses"
    email_address: str
    reserved: bool
    verification: Any
    linked_to: list[dict[str, Any]]
    created_at: datetime | None
    updated_at: datetime | None


class PhoneNumber(_Verifiable[PhoneNumberJSON]):
    """A phone number of the current user."""

    _wire = PhoneNumberJSON
    _path = "/me/phone_numbers"
    phone_number: str
    reserved: bool
    reserved_for_second_factor: bool
    default_second_factor: bool
    verification: Any
    linked_to: list[dict[str, Any]]
    created_at: datetime | None
    updated_at: datetime | None


class ExternalAccount(Resource[ExternalAccountJSON]):
    """An OAuth account linked to the current user (read-only)."""

    _wire = ExternalAccountJSON
    provider: str | None
    provider_user_id: str | None
    email_address: str | None
    first_name: str | None
    last_name: str | None
    image_url: str | None
    username: str | None
    approved_scopes: str | None
    verification: Any


class Organization(Resource[OrganizationJSON]):
    """An organization the current user belongs to."""

    _wire = OrganizationJSON
    name: str
    slug: str | None
    image_url: str | None
    has_image: bool
    members_count: int | None
    pending_invitations_count: int | None
    max_allowed_memberships: int | None
    admin_delete_enabled: bool
    public_metadata: dict[str, Any]
    created_at: datetime | None
    updated_at: datetime | None

    async def update(self, *, name: str, slug: str | None = UNSET) -> Organization:
        """Rename the organization (``PATCH /organizations/{id}``, fields ``name`` and ``slug``)."""
        _strings("Organization.update", name=name, slug=slug)
        form: dict[str, Any] = {"name": name}
        if slug is not UNSET:
            form["slug"] = slug
        await self._clerk._request("PATCH", f"/organizations/{self.id}", form=form, into=self)
        return self

    async def get_memberships(
        self, *, initial_page: int = 1, page_size: int = 10, role: list[str] | None = None, query: str | None = None
    ) -> Paginated[OrganizationMembership]:
        """A page of this organization's memberships."""
        params = _page(initial_page, page_size)
        params += [("role", r) for r in role or ()]
        if query is not None:
            params.append(("query", query))
        payload = await self._clerk._request("GET", f"/organizations/{self.id}/memberships", query=params)
        return _paginated(self._clerk, payload, OrganizationMembership)


class OrganizationMembership(Resource[OrganizationMembershipJSON]):
    """A user's membership of an organization, with role and permissions."""

    _wire = OrganizationMembershipJSON
    role: str
    role_name: str | None
    permissions: list[str]
    public_metadata: dict[str, Any]
    organization: Organization
    public_user_data: dict[str, Any] | None
    created_at: datetime | None
    updated_at: datetime | None

    _nested = ("organization",)

    def _assign(self, data: OrganizationMembershipJSON, old: OrganizationMembershipJSON | None) -> bool:
        changed = super()._assign(data, old)
        current = getattr(self, "organization", None)
        if isinstance(current, Organization) and current.id == data.organization.id:
            return current._from_json(data.organization) or changed
        self.organization = Organization(self._clerk, data.organization)
        return True


def _page(initial_page: int, page_size: int) -> list[tuple[str, str]]:
    if initial_page < 1 or page_size < 1:
        raise ClerkValidationError("initial_page and page_size must be positive.")
    return [("limit", str(page_size)), ("offset", str((initial_page - 1) * page_size)), ("paginated", "true")]


def _paginated(clerk: Clerk, payload: Any, cls: type[R]) -> Paginated[R]:
    if isinstance(payload, list):
        items, total = payload, len(payload)
    elif isinstance(payload, dict):
        items, total = payload.get("data") or [], int(payload.get("total_count") or 0)
    else:
        raise ClerkRuntimeError("Unexpected paginated response.", code="invalid_response")
    return Paginated([cls(clerk, cls._wire.model_validate(item)) for item in items], total)


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
        """Update profile fields (``PATCH /v1/me``): only the names in :attr:`UPDATABLE`.

        Metadata is refused before any request: ``unsafe_metadata`` goes through :meth:`update_metadata`,
        ``public_metadata``/``private_metadata`` are backend-only.
        """
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
        """Deep-merge ``unsafe_metadata`` into the user's (``PATCH /v1/me/metadata``); ``None`` removes a key.

        Validated before sending (dict with str keys, plain JSON, ≤ 8 KB). Afterwards this object equals the
        server's merged result and listeners have fired once; on any failure it is unchanged.
        """
        from .metadata import refuse_backend_only, validate_metadata

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
        """Make ``unsafe_metadata`` exactly the given dict, over the merge endpoint.

        Reloads a fresh baseline (``GET /v1/me``), computes an RFC 7396 diff and sends it with
        :meth:`update_metadata`; nothing is sent when the diff is empty. **Not atomic**: a write landing
        between the reload and the patch makes the result differ from the request.
        """
        from .metadata import merge_patch_diff, validate_metadata

        validate_metadata(unsafe_metadata)
        if _has_none(unsafe_metadata):
            raise ClerkValidationError(
                "replace_metadata() cannot store None values: a merge patch uses null to delete.")
        await self.reload()
        diff = merge_patch_diff(self.unsafe_metadata, unsafe_metadata)
        if diff:
            await self.update_metadata(unsafe_metadata=diff)
        return self

    async def get_sessions(self) -> list[dict[str, Any]]:
        """The user's active sessions with their activity (``GET /v1/me/sessions/active``), as plain dicts."""
        payload = await self._clerk._request("GET", "/me/sessions/active")
        if not isinstance(payload, list):
            raise ClerkRuntimeError("Unexpected answer from /me/sessions/active.", code="invalid_response")
        return payload

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

    async def remove_password(self, *, current_password: str) -> User:
        """Remove the password (``POST /v1/me/remove_password``)."""
        _strings("remove_password", current_password=current_password)
        await self._clerk._request("POST", "/me/remove_password", form={"current_password": current_password},
                                   into=self)
        return self

    async def set_profile_image(
        self, file: bytes | None, *, filename: str = "profile.png", content_type: str = "image/png"
    ) -> dict[str, Any] | None:
        """Upload a profile image (multipart ``POST /v1/me/profile_image``), or delete it with ``None``.

        Returns the image JSON (``id``, ``name``, ``public_url``); the user is refreshed from the client.
        """
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
        payload = await self._clerk._request("GET", "/me/organization_memberships",
                                             query=_page(initial_page, page_size))
        return _paginated(self._clerk, payload, OrganizationMembership)


def _has_none(value: Any) -> bool:
    if isinstance(value, dict):
        return any(v is None or _has_none(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(_has_none(v) for v in value)
    return False


class Session(Resource[SessionJSON]):
    """A session of the client; :meth:`get_token` mints and caches its session tokens."""

    _wire = SessionJSON
    status: str
    expire_at: datetime | None
    abandon_at: datetime | None
    last_active_at: datetime | None
    last_active_token: TokenJSON | None
    last_active_organization_id: str | None
    actor: dict[str, Any] | None
    user: User | None
    public_user_data: dict[str, Any] | None
    created_at: datetime | None
    updated_at: datetime | None

    _nested = ("user",)

    def _assign(self, data: SessionJSON, old: SessionJSON | None) -> bool:
        changed = super()._assign(data, old)
        held: User | None = getattr(self, "user", None)
        held_rev = held._rev if held is not None else -1
        user = self.user = self._clerk._user_for(data.user) if data.user is not None else None
        # The user is shared (one object per id): a change to it is a change to this session too.
        changed = changed or user is not held or (user is not None and user._rev != held_rev)
        token = data.last_active_token
        if token is not None and token.jwt:
            # Seed the cache (clerk-js does too) unless a token is already held for this key.
            key = cache_key(self.id, None, data.last_active_organization_id)
            if self._clerk._tokens.get(key) is None:
                self._clerk._tokens.set(key, token.jwt)
        return changed

    @property
    def signed_in(self) -> bool:
        """True for an ``active`` or ``pending`` session."""
        return self.status in _SIGNED_IN

    async def get_token(
        self, *, template: str | None = None, organization_id: str | None = UNSET, skip_cache: bool = False
    ) -> str | None:
        """A session token (JWT), from the cache while fresh, or None without a user.

        ``organization_id`` defaults to the session's active organization (``None``: personal account).
        A cached token is served with no request until it has 5 s left; in its last 17 s a refresh is
        started in the background (async transports only). ``skip_cache`` always mints.
        """
        if self.user is None or not self.signed_in:
            return None
        org = self.last_active_organization_id if organization_id is UNSET else organization_id
        key = cache_key(self.id, template, org)
        cached = None if skip_cache else self._clerk._tokens.get(key)
        if cached is not None:
            jwt, refresh_due = cached
            if refresh_due:
                self._clerk._background(key, self._mint(key, template, org, False))
            return jwt
        return await self._mint(key, template, org, skip_cache)

    async def _mint(self, key: str, template: str | None, org: str | None, skip_cache: bool) -> str:
        path = f"/client/sessions/{self.id}/tokens" + (f"/{template}" if template else "")
        form = None if template else {"organization_id": org}
        query = [("debug", "skip_cache")] if skip_cache else []
        try:
            payload = await self._clerk._request("POST", path, query=query, form=form)
        except ClerkAPIResponseError as exc:
            expired = self._clerk._tokens.last_jwt(key)
            if exc.status != 422 or exc.code != "missing_expired_token" or expired is None:
                raise
            payload = await self._clerk._request("POST", path, query=[*query, ("expired_token", expired)], form=form)
        jwt = TokenJSON.model_validate(payload).jwt
        if not jwt:
            raise ClerkRuntimeError("The token endpoint answered without a jwt.", code="invalid_response")
        self._clerk._tokens.set(key, jwt)
        return jwt

    async def touch(self, *, intent: str | None = UNSET, active_organization_id: str | None = UNSET) -> Session:
        """Mark the session active (``POST …/touch``); optionally switch organization (None: personal)."""
        form: dict[str, Any] = {}
        if active_organization_id is not UNSET:
            form["active_organization_id"] = active_organization_id or ""
        if intent is not UNSET:
            form["intent"] = intent
        await self._clerk._request("POST", f"/client/sessions/{self.id}/touch", form=form, into=self)
        return self

    async def end(self) -> Session:
        """End the session (``POST …/end``) and forget its tokens."""
        await self._clerk._request("POST", f"/client/sessions/{self.id}/end", into=self)
        self._clerk._tokens.clear(self.id)
        return self

    async def remove(self) -> Session:
        """Remove the session from the client (``POST …/remove``) and forget its tokens."""
        await self._clerk._request("POST", f"/client/sessions/{self.id}/remove", into=self)
        self._clerk._tokens.clear(self.id)
        return self


class _Attempt(Resource[W]):
    _root: ClassVar[str]

    def _created(self) -> None:
        if not self.id:
            raise ClerkRuntimeError(f"Call create() on this {type(self).__name__} first.", code="not_created")

    async def _post(self, action: str, form: Mapping[str, Any]) -> None:
        self._created()
        await self._clerk._request("POST", f"{self._root}/{self.id}/{action}", form=form, into=self)
        self._clerk._adopt(self)

    async def _create(self, form: Mapping[str, Any]) -> None:
        await self._clerk._request("POST", self._root, form=form, into=self)
        self._clerk._adopt(self)


class SignIn(_Attempt[SignInJSON]):
    """A sign-in attempt: password in one step, or email code (create → prepare → attempt)."""

    _wire = SignInJSON
    _root = "/client/sign_ins"
    status: str | None
    identifier: str | None
    supported_identifiers: list[str]
    supported_first_factors: list[dict[str, Any]] | None
    supported_second_factors: list[dict[str, Any]] | None
    first_factor_verification: dict[str, Any] | None
    second_factor_verification: dict[str, Any] | None
    created_session_id: str | None

    async def create(self, **params: Any) -> SignIn:
        """Start a sign-in (``POST /client/sign_ins``), e.g. ``identifier=…, password=…``."""
        await self._create(_params(params, "SignIn.create"))
        return self

    async def prepare_first_factor(self, *, strategy: str, **params: Any) -> SignIn:
        """Prepare a first factor; for ``email_code`` the ``email_address_id`` defaults to the identifier's."""
        self._created()
        params = _params(params, "prepare_first_factor")
        if strategy == "email_code" and "email_address_id" not in params:
            factor = next((f for f in self.supported_first_factors or () if f.get("strategy") == strategy), None)
            if factor is None or not factor.get("email_address_id"):
                raise ClerkValidationError("This sign-in offers no email_code factor; pass email_address_id=.")
            params["email_address_id"] = factor["email_address_id"]
        await self._post("prepare_first_factor", {"strategy": strategy, **params})
        return self

    async def attempt_first_factor(self, *, strategy: str, **params: Any) -> SignIn:
        """Attempt a first factor, e.g. ``strategy="email_code", code=…`` or ``strategy="password", password=…``."""
        await self._post("attempt_first_factor", {"strategy": strategy, **_params(params, "attempt_first_factor")})
        return self

    async def prepare_second_factor(self, *, strategy: str, **params: Any) -> SignIn:
        """Prepare a second factor."""
        await self._post("prepare_second_factor", {"strategy": strategy, **_params(params, "prepare_second_factor")})
        return self

    async def attempt_second_factor(self, *, strategy: str, **params: Any) -> SignIn:
        """Attempt a second factor."""
        await self._post("attempt_second_factor", {"strategy": strategy, **_params(params, "attempt_second_factor")})
        return self


class SignUp(_Attempt[SignUpJSON]):
    """A sign-up attempt: email + password (+ unsafe_metadata), verified by email code."""

    _wire = SignUpJSON
    _root = "/client/sign_ups"
    status: str | None
    required_fields: list[str]
    missing_fields: list[str]
    unverified_fields: list[str]
    verifications: dict[str, Any] | None
    email_address: str | None
    unsafe_metadata: dict[str, Any]
    created_session_id: str | None
    created_user_id: str | None

    async def create(self, *, unsafe_metadata: dict[str, Any] = UNSET, **params: Any) -> SignUp:
        """Start a sign-up (``POST /client/sign_ups``), e.g. ``email_address=…, password=…``.

        ``unsafe_metadata`` is validated like :meth:`User.update_metadata` and sent as one JSON field;
        ``public_metadata``/``private_metadata`` are refused (backend-only).
        """
        from .metadata import refuse_backend_only, validate_metadata

        for name in params:
            if name in _METADATA_KEYS:
                raise refuse_backend_only(name) if "unsafe" not in name.lower() else ClerkValidationError(
                    "Pass unsafe_metadata= in snake_case.")
        form: dict[str, Any] = _params(params, "SignUp.create")
        if unsafe_metadata is not UNSET:
            form["unsafe_metadata"] = validate_metadata(unsafe_metadata)
        await self._create(form)
        return self

    async def prepare_email_address_verification(self) -> SignUp:
        """Send the email code (``POST …/prepare_verification``, ``strategy=email_code``)."""
        await self._post("prepare_verification", {"strategy": "email_code"})
        return self

    async def attempt_email_address_verification(self, *, code: str) -> SignUp:
        """Verify the email with ``code`` (``POST …/attempt_verification``)."""
        await self._post("attempt_verification", {"strategy": "email_code", "code": code})
        return self


class Client(Resource[ClientJSON]):
    """The browser's client: its sessions and in-progress sign-in/sign-up."""

    _wire = ClientJSON
    sessions: list[Session]
    sign_in: SignIn | None
    sign_up: SignUp | None
    last_active_session_id: str | None
    captcha_bypass: bool
    created_at: datetime | None
    updated_at: datetime | None

    def _apply_stale(self, data: ClientJSON) -> bool:
        # An older client keeps the session list, but sessions it shares may still carry newer users.
        changed = False
        for item in data.sessions:
            for session in self.sessions:
                if session.id == item.id:
                    changed = session._from_json(item) or changed
        return changed

    _nested = ("sessions", "sign_in", "sign_up")

    def _assign(self, data: ClientJSON, old: ClientJSON | None) -> bool:
        changed = super()._assign(data, old)
        changed = self._children("sessions", data.sessions, Session) or changed
        changed = self._attempt("sign_in", data.sign_in, SignIn) or changed
        return self._attempt("sign_up", data.sign_up, SignUp) or changed

    def _attempt(self, name: str, data: Any, cls: type[Resource[Any]]) -> bool:
        # The sign-in/sign-up attempt keeps its identity while its id stays the same.
        current: Resource[Any] | None = getattr(self, name, None)
        if data is None:
            setattr(self, name, None)
            return current is not None
        if current is not None and current.id == data.id:
            return current._from_json(data)
        setattr(self, name, cls(self._clerk, data))
        return True

    @property
    def signed_in_sessions(self) -> list[Session]:
        """Sessions whose status is ``active`` or ``pending``."""
        return [s for s in self.sessions if s.signed_in]

    async def destroy(self) -> None:
        """Delete the client (``DELETE /v1/client``)."""
        await self._clerk._request("DELETE", "/client")

