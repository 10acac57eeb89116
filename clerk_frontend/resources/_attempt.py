"""What sign-in and sign-up attempts share: creation and posting an action, adopted by the client."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from ..errors import ClerkRuntimeError
from ._base import Resource, W

__all__: list[str] = []


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
