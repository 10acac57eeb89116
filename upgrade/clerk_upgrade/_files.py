"""Which files to look at: walk the given paths, honour .gitignore files and --exclude patterns."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from pathspec import GitIgnoreSpec

__all__ = ["SUFFIXES", "Selection", "select_files"]

SUFFIXES = (".py", ".ipynb", ".html", ".htm")
# Never walked into (tool caches, virtual environments, VCS data), even without a .gitignore saying so.
_SKIP_DIRS = {".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", ".tox", ".nox", ".mypy_cache",
              ".ruff_cache", ".pytest_cache", ".ipynb_checkpoints", "site-packages", ".eggs"}


@dataclass
class Selection:
    """Files to check, and paths that could not be used (with why)."""

    files: list[Path]
    missing: list[tuple[Path, str]]


class _Ignores:
    """The .gitignore files that apply to one directory, outermost first."""

    def __init__(self, chain: tuple[tuple[Path, GitIgnoreSpec], ...] = ()) -> None:
        self.chain = chain

    def extended(self, directory: Path) -> _Ignores:
        spec = _load(directory / ".gitignore")
        return _Ignores((*self.chain, (directory, spec))) if spec is not None else self

    def ignored(self, path: Path, is_dir: bool) -> bool:
        state: bool | None = None
        for base, spec in self.chain:
            try:
                relative = path.relative_to(base).as_posix()
            except ValueError:
                continue
            result = spec.check_file(relative + ("/" if is_dir else ""))
            if result.include is not None:
                state = result.include
        return bool(state)


def _load(path: Path) -> GitIgnoreSpec | None:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    return GitIgnoreSpec.from_lines(lines)


def _repository_root(start: Path) -> Path | None:
    for candidate in (start, *start.parents):
        if (candidate / ".git").exists():
            return candidate
    return None


def _ignores_for(directory: Path) -> _Ignores:
    """The .gitignore chain above ``directory``, from the repository root (none outside a repository);
    the directory's own .gitignore is added by the walk."""
    root = _repository_root(directory)
    ignores = _Ignores()
    if root is None:
        return ignores
    exclude = _load(root / ".git" / "info" / "exclude")
    if exclude is not None:
        ignores = _Ignores(((root, exclude),))
    if directory == root:
        return ignores
    for part in [root, *reversed([p for p in directory.parents if root in p.parents])]:
        ignores = ignores.extended(part)
    return ignores


def select_files(paths: Iterable[str], *, excludes: Iterable[str] = (), gitignore: bool = True,
                 cwd: Path | None = None) -> Selection:
    """Files under ``paths`` with a known suffix. Directories are walked in sorted order; .gitignore rules
    (and the repository's .git/info/exclude) apply to what is found by walking, ``excludes`` (gitignore-style
    patterns relative to ``cwd``) to every file, named ones included."""
    base = (cwd or Path.cwd()).resolve()
    exclude_spec = GitIgnoreSpec.from_lines(list(excludes))
    files: list[Path] = []
    missing: list[tuple[Path, str]] = []
    seen: set[Path] = set()

    def excluded(path: Path, is_dir: bool) -> bool:
        resolved = path.resolve()
        try:
            relative = resolved.relative_to(base).as_posix()
        except ValueError:
            relative = resolved.as_posix().lstrip("/")
        return bool(exclude_spec.match_file(relative + ("/" if is_dir else "")))

    def add(path: Path) -> None:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            files.append(path)

    for name in paths:
        path = Path(name)
        if path.is_dir():
            if excluded(path, True):
                continue
            start = _ignores_for(path.resolve()) if gitignore else _Ignores()
            if start.ignored(path.resolve(), True):
                start = _Ignores()  # a directory named on the command line is checked even if ignored
            for found in _walk(path, start, gitignore, excluded):
                add(found)
        elif path.is_file():
            if not excluded(path, False):
                add(path)
        elif path.exists():
            missing.append((path, "not a regular file or directory"))
        else:
            missing.append((path, "no such file or directory"))
    return Selection(files, missing)


def _walk(top: Path, ignores: _Ignores, gitignore: bool, excluded: Callable[[Path, bool], bool]) -> Iterator[Path]:
    try:
        entries = sorted(os.scandir(top), key=lambda entry: entry.name)
    except OSError:
        return
    here = ignores.extended(top.resolve()) if gitignore else ignores
    for entry in entries:
        path = Path(entry.path)
        is_dir = entry.is_dir(follow_symlinks=False)
        if is_dir:
            if entry.name in _SKIP_DIRS or (gitignore and here.ignored(path.resolve(), True)) or excluded(path, True):
                continue
            yield from _walk(path, here, gitignore, excluded)
        elif entry.is_file() and entry.name.lower().endswith(SUFFIXES):
            if (gitignore and here.ignored(path.resolve(), False)) or excluded(path, False):
                continue
            yield path
