"""Sign-in attempts (``/v1/client/sign_ins``): every first and second factor, redirects (OAuth, SSO)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .._sentinels import UNSET
from ..errors import ClerkValidationError
from ..wire import SignInJSON, VerificationJSON
from ._attempt import _Attempt, check_ticket, redirect_strategy, with_factor_id
from ._base import _params, _strings

if TYPE_CHECKING:
    from ..callbacks import CallbackResult
    from .email_link import EmailLinkFlow

__all__ = ["SignIn"]

_SECOND_FACTOR_STATUSES = ("needs_second_factor", "needs_client_trust")


class SignIn(_Attempt[SignInJSON]):
    """A sign-in attempt; ``clerk.client.sign_in`` is always one (in progress, or fresh to :meth:`create`)."""

    _wire = SignInJSON
    _root = "/client/sign_ins"
    _client_key = "sign_in"
    status: str | None
    identifier: str | None
    supported_identifiers: list[str]
    supported_first_factors: list[dict[str, Any]] | None
    supported_second_factors: list[dict[str, Any]] | None
    first_factor_verification: VerificationJSON | None
    second_factor_verification: VerificationJSON | None
    user_data: dict[str, Any] | None
    created_session_id: str | None
    locale: str | None

    async def create(self, **params: Any) -> SignIn:
        """Start a sign-in (``POST /client/sign_ins``), e.g. ``identifier=…, password=…``."""
        form = _params(params, "SignIn.create")
        check_ticket(form, "SignIn.create")
        await self._create(form)
        return self

    async def reload(self) -> SignIn:
        """Fetch this sign-in afresh (``GET /client/sign_ins/{id}``) and apply the client it carries."""
        await self._reload()
        return self

    async def prepare_first_factor(self, *, strategy: str, **params: Any) -> SignIn:
        """Prepare a first factor; the ``email_address_id`` / ``phone_number_id`` defaults to the listed one."""
        self._created()
        params = with_factor_id(self.supported_first_factors, strategy, _params(params, "prepare_first_factor"), True)
        await self._post("prepare_first_factor", {"strategy": strategy, **params})
        return self

    async def attempt_first_factor(self, *, strategy: str, **params: Any) -> SignIn:
        """Attempt a first factor, e.g. ``strategy="email_code", code=…`` or ``strategy="password", password=…``."""
        await self._post("attempt_first_factor", {"strategy": strategy, **_params(params, "attempt_first_factor")})
        return self

    async def prepare_second_factor(self, *, strategy: str, **params: Any) -> SignIn:
        """Prepare a second factor (``phone_code``, ``email_code``; the id defaults to the listed one)."""
        params = with_factor_id(self.supported_second_factors, strategy, _params(params, "prepare_second_factor"))
        await self._post("prepare_second_factor", {"strategy": strategy, **params})
        return self

    async def attempt_second_factor(self, *, strategy: str, **params: Any) -> SignIn:
        """Attempt a second factor, e.g. ``strategy="totp", code=…``."""
        await self._post("attempt_second_factor", {"strategy": strategy, **_params(params, "attempt_second_factor")})
        return self

    async def reset_password(self, *, password: str, sign_out_of_other_sessions: bool = UNSET) -> SignIn:
        """Set the new password once ``status`` is ``needs_new_password``."""
        if not isinstance(password, str) or not password:
            raise ClerkValidationError("reset_password: password must be a non-empty str.")
        form: dict[str, Any] = {"password": password}
        if sign_out_of_other_sessions is not UNSET:
            if not isinstance(sign_out_of_other_sessions, bool):
                raise ClerkValidationError("reset_password: sign_out_of_other_sessions must be a bool.")
            form["sign_out_of_other_sessions"] = sign_out_of_other_sessions
        await self._post("reset_password", form)
        return self

    async def authenticate_with_passkey(self, *, flow: str | None = None) -> SignIn:
        """Sign in with a passkey in the browser: ``flow="discoverable"``/``"autofill"``, or this sign-in's
        passkey factor (its second factor at ``needs_second_factor`` when listed, as clerk-js's)."""
        from .factors import sign_in_with_passkey

        return await sign_in_with_passkey(self, flow)

    async def authenticate_with_redirect(
        self,
        *,
        strategy: str,
        redirect_url: str,
        redirect_url_complete: str,
        identifier: str | None = None,
        continue_sign_in: bool = False,
        oidc_prompt: str | None = None,
        enterprise_connection_id: str | None = None,
        navigate: bool | Callable[[str], Any] = True,
    ) -> str:
        """Sign in by redirect (``oauth_<provider>``, or ``enterprise_sso`` with ``identifier``): returns the
        provider's URL and, in a browser page, goes there unless ``navigate=False`` (docs/sdk.md)."""
        where = "SignIn.authenticate_with_redirect"
        strategy = redirect_strategy(strategy, where)
        _strings(where, identifier=identifier, oidc_prompt=oidc_prompt,
                 enterprise_connection_id=enterprise_connection_id)
        url, complete = self._redirect_urls(redirect_url, redirect_url_complete, where)
        if not self.id or not continue_sign_in:
            form: dict[str, Any] = {"strategy": strategy}
            if identifier is not None:
                form["identifier"] = identifier
            form |= {"redirect_url": url, "action_complete_redirect_url": complete}
            if oidc_prompt is not None:
                form["oidc_prompt"] = oidc_prompt
            await self._create(form)
        if strategy == "enterprise_sso":
            prepare: dict[str, Any] = {"redirect_url": url, "action_complete_redirect_url": complete}
            if oidc_prompt is not None:
                prepare["oidc_prompt"] = oidc_prompt
            if enterprise_connection_id is not None:
                prepare["enterprise_connection_id"] = enterprise_connection_id
            await self._post("prepare_first_factor", {**prepare, "strategy": strategy})
        return await self._go_to_provider(self.first_factor_verification, navigate, where)

    async def authenticate_with_popup(
        self,
        *,
        strategy: str,
        redirect_url: str,
        redirect_url_complete: str,
        popup: Any = None,
        identifier: str | None = None,
        continue_sign_in: bool = False,
        oidc_prompt: str | None = None,
        enterprise_connection_id: str | None = None,
        navigate: bool | Callable[[str], Any] = True,
    ) -> CallbackResult:
        """Sign in through the provider in a popup window (``popup``: one the click handler opened, else the SDK
        opens one); waits for it and returns a :class:`~clerk_frontend.CallbackResult` (docs/sdk.md)."""
        from .popup import authenticate_with_popup

        async def start(url: str, complete: str, go: Callable[[str], None]) -> str:
            return await self.authenticate_with_redirect(
                strategy=strategy, redirect_url=url, redirect_url_complete=complete, identifier=identifier,
                continue_sign_in=continue_sign_in, oidc_prompt=oidc_prompt,
                enterprise_connection_id=enterprise_connection_id, navigate=go)

        return await authenticate_with_popup(self._clerk, "signIn", popup, strategy, start, redirect_url,
                                             redirect_url_complete, navigate)

    def create_email_link_flow(self) -> EmailLinkFlow[SignIn]:
        """An :class:`~clerk_frontend.EmailLinkFlow` (as the second factor when one is needed)."""
        from .email_link import EmailLinkFlow

        return EmailLinkFlow(self, self._prepare_email_link, ("verified", "expired", "transferable"),
                             takes_email_address_id=True)

    async def _prepare_email_link(self, redirect_url: str,
                                  email_address_id: str | None) -> Callable[[], VerificationJSON | None]:
        self._created()
        url = self._clerk._absolute(redirect_url, "email link flow: redirect_url")
        if self.status in _SECOND_FACTOR_STATUSES:
            # As clerk-js: a sign-in waiting for its second factor (or client trust) gets the link as that factor.
            form: dict[str, Any] = {} if email_address_id is None else {"email_address_id": email_address_id}
            await self.prepare_second_factor(strategy="email_link", **form, redirect_url=url)
            return lambda: self.second_factor_verification
        form = {} if email_address_id is None else {"email_address_id": email_address_id}
        await self.prepare_first_factor(strategy="email_link", **form, redirect_url=url)
        return lambda: self.first_factor_verification
