"""Testing tokens on the Backend API: ``POST /v1/testing_tokens`` (no body). See ``testing.py`` for what a
token does on the Frontend API."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..http import Ctx
from ..testing import issue_testing_token
from .common import B, body, router

if TYPE_CHECKING:
    from ..context import Instance


@router.add(B, "POST", "/v1/testing_tokens")
def create_testing_token(em: Instance, ctx: Ctx) -> Any:
    body(ctx, set())
    return issue_testing_token(em)
