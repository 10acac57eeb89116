"""clerk-upgrade: find and rewrite Clerk metadata calls that API version 2026-05-12 no longer accepts.

Command line: ``clerk-upgrade PATH…`` (see :mod:`clerk_upgrade.cli`). Library use::

    from clerk_upgrade import check_text
    result = check_text(source, "app.py")
    result.findings      # list[Finding]
    result.new_text      # the rewritten text, or None when nothing changes
"""

from __future__ import annotations

__version__ = "0.1.0"

from .engine import FileError, FileResult, check_file, check_text
from .findings import RULES, Finding, Rule

__all__ = ["RULES", "FileError", "FileResult", "Finding", "Rule", "__version__", "check_file", "check_text"]
