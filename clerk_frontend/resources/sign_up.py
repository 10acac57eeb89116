"""Sign-up attempts (``/v1/client/sign_ups``): email + password, codes, tickets, email links and redirects."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .._sentinels import UNSET
from ..errors import ClerkValidationError
from ..wire import SignUpJSON, SignUpVerificationsJSON, VerificationJSON
from ._attempt import _Attempt, check_ticket, redirect_strategy
from ._base import _METADATA_KEYS, _params, _strings

if TYPE_CHECKING:
    from ..callbacks import CallbackResult
    from .email_link import EmailLinkFlow

__all__ = ["SignUp"]

# `metadata` is imported inside the methods that send it: load() never needs it, and every module costs compile
# time in the browser.


def _form(where: str, unsafe_metadata: Any, params: dict[str, Any]) -> dict[str, Any]:
    """Free-form sign-up fields, with ``unsafe_metadata`` validated and encoded as one JSON field."""
    from ..metadata import refuse_backend_only, validate_metadata

    for name in params:
        if name in _METADATA_KEYS:
            raise refuse_backend_only(name) if "unsafe" not in name.lower() else ClerkValidationError(
                "Pass unsafe_metadata= in snake_case.")
    form: dict[str, Any] = _params(params, where)
    check_ticket(form, where)
    if unsafe_metadata is not UNSET:
        form["unsafe_metadata"] = validate_metadata(unsafe_metadata)
    return form


class SignUp(_Attempt[SignUpJSON]):
    """A sign-up attempt; ``clerk.client.sign_up`` is always one (in progress, or fresh to :meth:`create`)."""

    _wire = SignUpJSON
    _root = "/client/sign_ups"
    _client_key = "sign_up"
    status: str | None
    required_fields: list[str]
    optional_fields: list[str]
    missing_fields: list[str]
    unverified_fields: list[str]
    verifications: SignUpVerificationsJSON | None
    username: str | None
    email_address: str | None
    phone_number: str | None
    first_name: str | None
    last_name: str | None
    unsafe_metadata: dict[str, Any]
    created_session_id: str | None
    created_user_id: str | None
    locale: str | None

    async def create(self, *, unsafe_metadata: dict[str, Any] = UNSET, **params: Any) -> SignUp:
        """Start a sign-up (``POST /client/sign_ups``); ``unsafe_metadata`` is validated and sent as JSON."""
        await self._create(_form("SignUp.create", unsafe_metadata, params))
        return self

    async def update(self, *, unsafe_metadata: dict[str, Any] = UNSET, **params: Any) -> SignUp:
        """Set fields of this sign-up (``PATCH /client/sign_ups/{id}``), e.g. a missing ``username``."""
        form = _form("SignUp.update", unsafe_metadata, params)
        if not form:
            raise ClerkValidationError("SignUp.update() needs at least one field.")
        self._created()
        await self._clerk._request("PATCH", f"{self._root}/{self.id}", form=form, into=self)
        self._clerk._adopt(self)
        return self

    async def reload(self) -> SignUp:
        """Fetch this sign-up afresh (``GET /client/sign_ups/{id}``) and apply the client it carries."""
        await self._reload()
        return self

    async def prepare_verification(self, *, strategy: str, **params: Any) -> SignUp:
        """Start verifying an identifier (``POST …/prepare_verification``), e.g. ``strategy="phone_code"``."""
        await self._post("prepare_verification", {"strategy": strategy, **_params(params, "prepare_verification")})
        return self

    async def attempt_verification(self, *, strategy: str, **params: Any) -> SignUp:
        """Complete a verification (``POST …/attempt_verification``), e.g. ``strategy="phone_code", code=…``."""
        await self._post("attempt_verification", {"strategy": strategy, **_params(params, "attempt_verification")})
        return self

    async def prepare_email_address_verification(self) -> SignUp:
        """Send the email code (``POST …/prepare_verification``, ``strategy=email_code``)."""
        await self._post("prepare_verification", {"strategy": "email_code"})
        return self

    async def attempt_email_address_verification(self, *, code: str) -> SignUp:
        """Verify the email with ``code`` (``POST …/attempt_verification``)."""
        await self._post("attempt_verification", {"strategy": "email_code", "code": code})
        return self

    async def prepare_phone_number_verification(self, **params: Any) -> SignUp:
        """Text the code to the sign-up's ``phone_number`` (``strategy=phone_code``; e.g. ``channel="whatsapp"``)."""
        return await self.prepare_verification(strategy="phone_code", **params)

    async def attempt_phone_number_verification(self, *, code: str) -> SignUp:
        """Verify the phone number with ``code``."""
        return await self.attempt_verification(strategy="phone_code", code=code)

    async def authenticate_with_redirect(
        self,
        *,
        strategy: str,
        redirect_url: str,
        redirect_url_complete: str,
        unsafe_metadata: dict[str, Any] = UNSET,
        email_address: str | None = None,
        legal_accepted: bool | None = None,
        continue_sign_up: bool = False,
        oidc_prompt: str | None = None,
        enterprise_connection_id: str | None = None,
        navigate: bool | Callable[[str], Any] = True,
    ) -> str:
        """Sign up by redirect, as :meth:`SignIn.authenticate_with_redirect` (``PATCH`` with
        ``continue_sign_up``)."""
        where = "SignUp.authenticate_with_redirect"
        strategy = redirect_strategy(strategy, where)
        _strings(where, oidc_prompt=oidc_prompt, enterprise_connection_id=enterprise_connection_id)
        if email_address is not None and not isinstance(email_address, str):
            raise ClerkValidationError(f"{where}: email_address must be str.")
        if legal_accepted is not None and not isinstance(legal_accepted, bool):
            raise ClerkValidationError(f"{where}: legal_accepted must be a bool.")
        url, complete = self._redirect_urls(redirect_url, redirect_url_complete, where)
        form: dict[str, Any] = {"strategy": strategy, "redirect_url": url, "action_complete_redirect_url": complete}
        optional = {"email_address": email_address, "legal_accepted": legal_accepted, "oidc_prompt": oidc_prompt,
                    "enterprise_connection_id": enterprise_connection_id}
        form = _form(where, unsafe_metadata, form)
        form |= {name: value for name, value in optional.items() if value is not None}
        if continue_sign_up and self.id:
            await self._clerk._request("PATCH", f"{self._root}/{self.id}", form=form, into=self)
            self._clerk._adopt(self)
        else:
            await self._create(form)
        external = self.verifications.external_account if self.verifications is not None else None
        return await self._go_to_provider(external, navigate, where)

    async def authenticate_with_popup(
        self,
        *,
        strategy: str,
        redirect_url: str,
        redirect_url_complete: str,
        popup: Any = None,
        unsafe_metadata: dict[str, Any] = UNSET,
        email_address: str | None = None,
        legal_accepted: bool | None = None,
        continue_sign_up: bool = False,
        oidc_prompt: str | None = None,
        enterprise_connection_id: str | None = None,
        navigate: bool | Callable[[str], Any] = True,
    ) -> CallbackResult:
        """Sign up through the provider in a popup window, as :meth:`SignIn.authenticate_with_popup`."""
        from .popup import authenticate_with_popup

        async def start(url: str, complete: str, go: Callable[[str], None]) -> str:
            return await self.authenticate_with_redirect(
                strategy=strategy, redirect_url=url, redirect_url_complete=complete, unsafe_metadata=unsafe_metadata,
                email_address=email_address, legal_accepted=legal_accepted, continue_sign_up=continue_sign_up,
                oidc_prompt=oidc_prompt, enterprise_connection_id=enterprise_connection_id, navigate=go)

        return await authenticate_with_popup(self._clerk, "signUp", popup, strategy, start, redirect_url,
                                             redirect_url_complete, navigate)

    def create_email_link_flow(self) -> EmailLinkFlow[SignUp]:
        """An :class:`~clerk_frontend.EmailLinkFlow` verifying this sign-up's email."""
        from .email_link import EmailLinkFlow

        return EmailLinkFlow(self, self._prepare_email_link, ("verified", "expired"))

    async def _prepare_email_link(self, redirect_url: str,
                                  email_address_id: str | None) -> Callable[[], VerificationJSON | None]:
        url = self._clerk._absolute(redirect_url, "email link flow: redirect_url")
        await self.prepare_verification(strategy="email_link", redirect_url=url)
        return lambda: self.verifications.email_address if self.verifications is not None else None
