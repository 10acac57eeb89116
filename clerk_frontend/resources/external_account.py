"""External (OAuth / enterprise SSO) accounts connected to the user: reauthorize with more scopes, remove."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..errors import ClerkValidationError
from ..wire import ExternalAccountJSON, VerificationJSON
from ._base import Resource, _strings

__all__ = ["ExternalAccount"]


def scopes(value: object, where: str) -> list[str]:
    """``additional_scopes`` checked: None or a list of non-empty str (sent as repeated ``additional_scope``)."""
    if value is None:
        return []
    if isinstance(value, str) or not isinstance(value, (list, tuple)) or not all(
            isinstance(v, str) and v for v in value):
        raise ClerkValidationError(f"{where}: additional_scopes must be a list of scope strings, got {value!r}.")
    return list(value)


class ExternalAccount(Resource[ExternalAccountJSON]):
    """An OAuth / SSO account of the user; ``provider`` is ``"google"`` whichever recorded shape arrives."""

    _wire = ExternalAccountJSON
    _nested = ("provider",)
    provider: str
    identification_id: str | None
    provider_user_id: str | None
    email_address: str | None
    phone_number: str | None
    first_name: str | None
    last_name: str | None
    image_url: str | None
    username: str | None
    label: str | None
    approved_scopes: str | None
    public_metadata: dict[str, Any] | None
    verification: VerificationJSON | None
    created_at: datetime | None
    updated_at: datetime | None

    def _assign(self, data: ExternalAccountJSON, old: ExternalAccountJSON | None) -> bool:
        changed = super()._assign(data, old)
        provider = (data.provider or "").removeprefix("oauth_")
        if self.__dict__.get("provider") != provider:
            self.provider = provider
            changed = True
        return changed

    @property
    def strategy(self) -> str:
        """The strategy that connects this account, e.g. ``"oauth_google"`` (as clerk-js's UI derives it)."""
        verification = self.verification
        if verification is not None and verification.strategy:
            return verification.strategy
        return f"oauth_{self.provider}"

    @property
    def scopes(self) -> list[str]:
        """``approved_scopes`` as a list."""
        return (self.approved_scopes or "").split()

    async def reauthorize(
        self, *, redirect_url: str, additional_scopes: list[str] | None = None, oidc_prompt: str | None = None,
        oidc_login_hint: str | None = None,
    ) -> ExternalAccount:
        """Ask the provider again, e.g. for more scopes (``PATCH /me/external_accounts/{id}/reauthorize``); then go
        to ``verification.external_verification_redirect_url`` (``await clerk.navigate(url)``)."""
        where = "ExternalAccount.reauthorize"
        extra = scopes(additional_scopes, where)
        _strings(where, oidc_prompt=oidc_prompt, oidc_login_hint=oidc_login_hint)
        form: dict[str, Any] = {"additional_scope": extra,
                                "redirect_url": self._clerk._absolute(redirect_url, f"{where}: redirect_url")}
        optional = {"oidc_prompt": oidc_prompt, "oidc_login_hint": oidc_login_hint}
        form |= {name: value for name, value in optional.items() if value is not None}
        await self._clerk._request("PATCH", f"/me/external_accounts/{self.id}/reauthorize", form=form, into=self)
        return self

    async def destroy(self) -> None:
        """Disconnect the account from the user (``DELETE /me/external_accounts/{id}``)."""
        await self._clerk._request("DELETE", f"/me/external_accounts/{self.id}")
