"""Modules of the project itself, found the way ``import`` would find them from the file being checked.

A name imported from such a module (``from app.auth import clerk``, ``import helpers as h``) is resolved in
that module: its top-level assignments, functions' return annotations and classes. Modules are searched in
the importing file's directory and the directories above it (up to the repository root); anything else
(installed packages, missing files, files that do not parse) stays unknown.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import libcst as cst

from ._resolve import Resolver

__all__ = ["ModuleFinder"]

_MAX_LEVELS = 8


class ModuleFinder:
    """Resolvers for project modules, parsed once per run and shared by every file that imports them."""

    def __init__(self) -> None:
        self._cache: dict[Path, Resolver | None] = {}

    def importer_for(self, path: Path | None) -> Callable[[str], Resolver | None]:
        """A callable ``module name -> Resolver | None`` for code in the file ``path``."""
        roots = _roots(path)

        def importer(module: str) -> Resolver | None:
            dots = len(module) - len(module.lstrip("."))
            if dots:  # a relative import: from the file's package, or one above per extra dot
                if path is None or dots > len(path.resolve().parents):
                    return None
                base = path.resolve().parents[dots - 1]
                search = [base]
                module = module[dots:]
            else:
                search = roots
            if not module:
                return None
            relative = Path(*module.split("."))
            for root in search:
                for candidate in (root / relative.with_suffix(".py"), root / relative / "__init__.py"):
                    if candidate.is_file():
                        return self._load(candidate.resolve())
            return None

        return importer

    def _load(self, path: Path) -> Resolver | None:
        if path in self._cache:
            return self._cache[path]
        self._cache[path] = None  # an import cycle sees the module as unknown
        try:
            module = cst.parse_module(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, cst.ParserSyntaxError):
            return None
        resolver = Resolver(cst.MetadataWrapper(module, unsafe_skip_copy=True), self.importer_for(path))
        self._cache[path] = resolver
        return resolver


def _roots(path: Path | None) -> list[Path]:
    if path is None:
        return []
    directory = path.resolve().parent
    roots = [directory]
    for parent in directory.parents:
        if len(roots) >= _MAX_LEVELS:
            break
        roots.append(parent)
        if (parent / ".git").exists():
            break
    if (directory / ".git").exists():
        roots = [directory]
    return roots
