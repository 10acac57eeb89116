"""An organization's domains (verified by an e-mail code to an address there)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..errors import ClerkValidationError
from ..wire_organizations import OrganizationDomainJSON, OrganizationDomainVerificationJSON, PublicOrganizationDataJSON
from ._base import Resource, _strings

__all__ = ["OrganizationDomain"]


def _verification(data: OrganizationDomainVerificationJSON | None) -> OrganizationDomainVerificationJSON | None:
    # clerk-js reads expires_at where the spec says expire_at: take whichever is there.
    if data is not None and data.expire_at is None:
        other = (data.__pydantic_extra__ or {}).get("expires_at")
        if isinstance(other, int) and not isinstance(other, bool):
            return data.model_copy(update={"expire_at": other})
    return data


class OrganizationDomain(Resource[OrganizationDomainJSON]):
    """A domain of an organization; ``affiliation_verification`` is its e-mail-code proof."""

    _wire = OrganizationDomainJSON
    organization_id: str
    name: str
    enrollment_mode: str
    affiliation_email_address: str | None
    affiliation_verification: OrganizationDomainVerificationJSON | None
    ownership_verification: OrganizationDomainVerificationJSON | None
    verification: OrganizationDomainVerificationJSON | None
    total_pending_invitations: int
    total_pending_suggestions: int
    public_organization_data: PublicOrganizationDataJSON | None
    created_at: datetime | None
    updated_at: datetime | None

    # Set here rather than copied field by field: the deprecated alias and the expires_at spelling are folded in.
    _nested = ("affiliation_verification", "ownership_verification", "verification")

    def _assign(self, data: OrganizationDomainJSON, old: OrganizationDomainJSON | None) -> bool:
        changed = super()._assign(data, old)
        held = self.__dict__
        affiliation = _verification(data.affiliation_verification or data.verification)
        if "affiliation_verification" not in held or held["affiliation_verification"] != affiliation:
            self.affiliation_verification = self.verification = affiliation
            changed = True
        ownership = _verification(data.ownership_verification)
        if "ownership_verification" not in held or held["ownership_verification"] != ownership:
            self.ownership_verification = ownership
            changed = True
        return changed

    @property
    def _path(self) -> str:
        return f"/organizations/{self.organization_id}/domains/{self.id}"

    async def prepare_affiliation_verification(self, *, affiliation_email_address: str) -> OrganizationDomain:
        """Send a code to an address at this domain."""
        _strings("OrganizationDomain.prepare_affiliation_verification", email_address=affiliation_email_address)
        await self._clerk._request("POST", f"{self._path}/prepare_affiliation_verification",
                                   form={"affiliation_email_address": affiliation_email_address}, into=self)
        return self

    async def attempt_affiliation_verification(self, *, code: str) -> OrganizationDomain:
        """Check the code: the domain becomes verified."""
        _strings("OrganizationDomain.attempt_affiliation_verification", code=code)
        await self._clerk._request("POST", f"{self._path}/attempt_affiliation_verification", form={"code": code},
                                   into=self)
        return self

    async def update_enrollment_mode(self, *, enrollment_mode: str,
                                     delete_pending: bool | None = None) -> OrganizationDomain:
        """Change how matching users join; ``delete_pending`` drops offers made under the old mode."""
        _strings("OrganizationDomain.update_enrollment_mode", enrollment_mode=enrollment_mode)
        if not enrollment_mode:
            raise ClerkValidationError("OrganizationDomain.update_enrollment_mode: enrollment_mode is required.")
        form: dict[str, Any] = {"enrollment_mode": enrollment_mode}
        if delete_pending is not None:
            if not isinstance(delete_pending, bool):
                raise ClerkValidationError("OrganizationDomain.update_enrollment_mode: delete_pending must be a bool.")
            form["delete_pending"] = delete_pending
        await self._clerk._request("POST", f"{self._path}/update_enrollment_mode", form=form, into=self)
        return self

    async def delete(self) -> None:
        """Remove the domain."""
        await self._clerk._request("DELETE", self._path)
