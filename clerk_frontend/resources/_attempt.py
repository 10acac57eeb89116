"""What sign-in and sign-up attempts share: creation, actions, reload, and the checks of the redirect flows."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from ..errors import ClerkRuntimeError, ClerkValidationError
from ._base import Resource, W

__all__: list[str] = []


def redirect_strategy(strategy: object, where: str) -> str:
    """``strategy`` checked: ``oauth_<provider>``, ``oauth_custom_<name>``, ``enterprise_sso`` or ``saml``."""
    if strategy in ("enterprise_sso", "saml"):
        return str(strategy)
    if isinstance(strategy, str) and strategy.startswith("oauth_") and not strategy.startswith("oauth_token_"):
        name = strategy.removeprefix("oauth_").removeprefix("custom_")
        if name and not name.strip("abcdefghijklmnopqrstuvwxyz0123456789_"):
            return strategy
    raise ClerkValidationError(
        f"{where}: strategy must be 'oauth_<provider>' (e.g. 'oauth_google'), 'oauth_custom_<name>' or "
        f"'enterprise_sso', got {strategy!r}.", code="invalid_strategy")


def check_ticket(form: Mapping[str, Any], where: str) -> None:
    """``strategy="ticket"`` needs a non-empty ``ticket``."""
    if form.get("strategy") == "ticket" and not (isinstance(form.get("ticket"), str) and form["ticket"]):
        raise ClerkValidationError(f"{where}: strategy='ticket' needs ticket=<the __clerk_ticket value>.")


_FACTOR_KEYS = {"email_code": "email_address_id", "email_link": "email_address_id",
                "reset_password_email_code": "email_address_id", "phone_code": "phone_number_id",
                "reset_password_phone_code": "phone_number_id"}


def with_factor_id(factors: list[dict[str, Any]] | None, strategy: str, params: dict[str, Any],
                   required: bool = False) -> dict[str, Any]:
    """``params`` with the listed ``strategy`` factor's id (the ``default`` one first) when not given;
    ``required``: ClerkValidationError without one."""
    key = _FACTOR_KEYS.get(strategy)
    if key is None or key in params:
        return params
    listed = sorted((f for f in factors or () if f.get("strategy") == strategy and f.get(key)),
                    key=lambda f: not f.get("default"))
    if listed:
        return {key: listed[0][key], **params}
    if required:
        raise ClerkValidationError(f"This sign-in offers no {strategy} factor; pass {key}=.")
    return params


class _Attempt(Resource[W]):
    _root: ClassVar[str]
    # The key of this attempt in the client JSON ("sign_in" / "sign_up").
    _client_key: ClassVar[str]

    def _created(self) -> None:
        if not self.id:
            raise ClerkRuntimeError(f"Call create() on this {type(self).__name__} first.", code="not_created")

    def _carried_by(self, client: dict[str, Any] | None, payload: Any) -> bool:
        # This object is the client's attempt and the applied client held this very JSON: refreshed already.
        held = client.get(self._client_key) if client else None
        mine = getattr(self._clerk.client, self._client_key, None) is self
        return mine and isinstance(held, dict) and held == payload

    async def _post(self, action: str, form: Mapping[str, Any]) -> None:
        self._created()
        await self._clerk._request("POST", f"{self._root}/{self.id}/{action}", form=form, into=self)
        self._clerk._adopt(self)

    async def _create(self, form: Mapping[str, Any]) -> None:
        await self._clerk._request("POST", self._root, form=self._with_browser_context(form), into=self)
        self._clerk._adopt(self)

    def _with_browser_context(self, form: Mapping[str, Any]) -> dict[str, Any]:
        # clerk-js adds the browser's language and time zone to every new sign-in and sign-up.
        result = dict(form)
        page = self._clerk.page
        if page is not None:
            locale, timezone = page.locale, page.timezone
            if locale and "locale" not in result:
                result["locale"] = locale
            if timezone and "timezone" not in result:
                result["timezone"] = timezone
        return result

    async def _reload(self) -> None:
        self._created()
        # A reload applies the client it carries, as clerk-js's reload does (forceUpdateClient).
        await self._clerk._request("GET", f"{self._root}/{self.id}", apply_client=True, into=self)
        self._clerk._adopt(self)

    def _redirect_urls(self, redirect_url: str, redirect_url_complete: str, where: str) -> tuple[str, str]:
        clerk = self._clerk
        return (clerk.build_url_with_auth(clerk._absolute(redirect_url, f"{where}: redirect_url")),
                clerk._absolute(redirect_url_complete, f"{where}: redirect_url_complete"))

    async def _go_to_provider(self, verification: Any, navigate: Any, where: str) -> str:
        status = getattr(verification, "status", None)
        url = getattr(verification, "external_verification_redirect_url", None)
        if status != "unverified" or not url:
            raise ClerkRuntimeError(
                f"{where}: the Frontend API answered without a provider URL to go to (verification status "
                f"{status!r}).", code="invalid_response")
        await self._clerk._go(url, navigate)
        return str(url)
