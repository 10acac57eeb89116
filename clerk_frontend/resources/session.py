"""Sessions of the client and their session tokens (JWTs), with the token cache."""

from __future__ import annotations

import contextlib
from datetime import datetime
from typing import TYPE_CHECKING, Any

from .._sentinels import UNSET
from ..errors import ClerkAPIResponseError, ClerkRuntimeError
from ..tokens import cache_key, decode_jwt_claims
from ..wire import SessionJSON, TokenJSON
from ._base import Resource, _params

if TYPE_CHECKING:
    from .factors import SessionVerification
    from .user import User

__all__ = ["Session", "Token"]

_SIGNED_IN = ("active", "pending")


class Token(Resource[TokenJSON]):
    """A session token (JWT) as returned by the token endpoint."""

    _wire = TokenJSON
    jwt: str

    @property
    def claims(self) -> dict[str, Any]:
        """The JWT's claims, decoded without verification."""
        return decode_jwt_claims(self.jwt)


class Session(Resource[SessionJSON]):
    """A session of the client; :meth:`get_token` mints and caches its session tokens."""

    _wire = SessionJSON
    status: str
    expire_at: datetime | None
    abandon_at: datetime | None
    last_active_at: datetime | None
    last_active_token: TokenJSON | None
    last_active_organization_id: str | None
    #: ``[first factor, second factor]`` minutes since each was last verified (-1 = none), for reverification.
    factor_verification_age: list[int] | None
    actor: dict[str, Any] | None
    tasks: list[dict[str, Any]] | None
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
                # The token may have been minted a while ago: its age counts (from its iat) against its life.
                with contextlib.suppress(ClerkRuntimeError):  # not a JWT: nothing to seed, the next call mints
                    self._clerk._tokens.set(key, token.jwt, aged=True)
        return changed

    @property
    def current_task(self) -> dict[str, Any] | None:
        """The first pending task of a ``pending`` session (e.g. ``{"key": "choose-organization"}``), or None."""
        tasks = self.__dict__.get("tasks") or []
        return tasks[0] if tasks and isinstance(tasks[0], dict) else None

    @property
    def signed_in(self) -> bool:
        """True for an ``active`` or ``pending`` session."""
        return self.status in _SIGNED_IN

    async def get_token(
        self, *, template: str | None = None, organization_id: str | None = UNSET, skip_cache: bool = False
    ) -> str | None:
        """A session token (JWT), cached while fresh (docs/sdk.md, Session tokens), or None without a user;
        ``organization_id`` defaults to the active one."""
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
        if org == self.last_active_organization_id:
            from ..authorization import token_disagrees

            # The token is the server's word on the membership: if it says another role (or none), re-read the
            # client so memberships, clerk.organization and has() match it.
            if token_disagrees(self, jwt):
                await self._clerk._resync_client()
                self._clerk._emit()
        return jwt

    def check_authorization(self, *, role: Any = UNSET, permission: Any = UNSET, feature: Any = UNSET,
                            plan: Any = UNSET, reverification: Any = UNSET) -> bool:
        """clerk-js's ``session.checkAuthorization`` (rules: :func:`clerk_frontend.check_authorization`)."""
        from ..authorization import check_authorization, session_inputs

        return check_authorization(session_inputs(self), role=role, permission=permission, feature=feature,
                                   plan=plan, reverification=reverification)

    async def start_verification(self, *, level: str) -> SessionVerification:
        """Start a reverification at ``level`` (``first_factor``, ``second_factor``, ``multi_factor``)."""
        return await self._verify("", {"level": level})

    async def prepare_first_factor_verification(self, *, strategy: str, **params: Any) -> SessionVerification:
        """``POST …/verify/prepare_first_factor`` (e.g. ``email_code``; the id defaults to the listed one)."""
        return await self._verify("prepare_first_factor", {"strategy": strategy, **params})

    async def attempt_first_factor_verification(self, *, strategy: str, **params: Any) -> SessionVerification:
        """``POST …/verify/attempt_first_factor``, e.g. ``strategy="password", password=…``."""
        return await self._verify("attempt_first_factor", {"strategy": strategy, **params})

    async def prepare_second_factor_verification(self, *, strategy: str, **params: Any) -> SessionVerification:
        """``POST …/verify/prepare_second_factor`` (``phone_code``)."""
        return await self._verify("prepare_second_factor", {"strategy": strategy, **params})

    async def attempt_second_factor_verification(self, *, strategy: str, **params: Any) -> SessionVerification:
        """``POST …/verify/attempt_second_factor``, e.g. ``strategy="totp", code=…``."""
        return await self._verify("attempt_second_factor", {"strategy": strategy, **params})

    async def verify_with_passkey(self) -> SessionVerification:
        """Pass a reverification's first factor with a passkey (WebAuthn as for sign-in)."""
        from .factors import session_verify_with_passkey

        return await session_verify_with_passkey(self)

    async def _verify(self, action: str, form: dict[str, Any]) -> SessionVerification:
        from .factors import session_verify

        return await session_verify(self, action, _params(form, "Session verification"))

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
