"""What a request handler sees of the running instance, apart from the aiohttp server.

Both APIs import this module (never ``server``), so ``server → fapi/bapi → context`` has no cycle.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from .settings import Settings
from .store import Store

__all__ = ["Config", "Instance"]


@dataclass
class Config:
    """Command-line configuration of one instance."""

    host: str = "127.0.0.1"
    port: int = 8790
    static_dir: Path | None = None
    allowed_origins: list[str] = field(default_factory=list)
    allow_loopback_origins: bool = True
    removed_field_code: str = "form_param_deprecated"
    rate_limits: bool = False
    settings_file: Path | None = None


class Instance(Protocol):
    """The running instance as handlers use it: its store, configuration, settings and public URL."""

    store: Store
    config: Config
    settings: Settings

    @property
    def fapi_url(self) -> str:
        """The Frontend API origin (``http://127.0.0.1:<port>``)."""
        ...
