"""Sentinels shared by the modules (kept apart so that ``clerk`` need not import ``resources`` to use them)."""

from __future__ import annotations

from typing import Any


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


#: Default of optional keyword arguments: "not given", as distinct from an explicit None.
UNSET: Any = _Unset()
