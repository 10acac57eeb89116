"""Old names of the testing kit's :class:`clerk_emulator.kit.LocalProcess` and its error, still imported by
``build/bench_*.py``. Tests start instances with ``LocalProcess`` itself; this file holds no process logic."""

from clerk_emulator.kit import ClerkKitError as EmulatorStartError
from clerk_emulator.kit import LocalProcess as EmulatorProcess

__all__ = ["EmulatorProcess", "EmulatorStartError"]
