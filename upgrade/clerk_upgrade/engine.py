"""Check one file's text or one file on disk: findings, the rewritten text, or why it could not be checked."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ._imports import ModuleFinder
from ._python import ParseFailure, analyze
from ._sources import FileFormatError, load_source
from .findings import Finding

__all__ = ["FileError", "FileResult", "check_file", "check_text", "write_atomically"]

_BOM = "\ufeff"


@dataclass
class FileError:
    """A file that could not be checked (unreadable, not UTF-8, not parseable); it is never written."""

    path: str
    message: str
    line: int = 0
    column: int = 0
    cell: int | None = None

    def __str__(self) -> str:
        where = self.path
        if self.cell is not None:
            where += f":cell {self.cell}"
        if self.line:
            where += f":{self.line}:{self.column}"
        return f"{where}: error: {self.message}"

    def to_json(self) -> dict[str, object]:
        """The error as a JSON-ready dict."""
        return {"path": self.path, "cell": self.cell, "line": self.line, "column": self.column,
                "message": self.message}


@dataclass
class FileResult:
    """What checking one file found; ``new_text`` is set when the fix changes it."""

    path: str
    findings: list[Finding] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    text: str | None = None
    new_text: str | None = None

    @property
    def changed(self) -> bool:
        """True when the rewrite changes the file."""
        return self.new_text is not None and self.new_text != self.text


def check_text(text: str, name: str, *, fix: bool = True, ignore: frozenset[str] = frozenset(),
               path: Path | None = None, modules: ModuleFinder | None = None) -> FileResult:
    """Check ``text`` as the file called ``name`` (its suffix picks .py, .ipynb or HTML handling).

    ``path``: where the file lives, so that names imported from the project's own modules next to it or
    above it can be resolved (``modules`` caches those modules across files).
    """
    result = FileResult(name, text=text)
    importer = (modules or ModuleFinder()).importer_for(path) if path is not None else None
    try:
        source = load_source(name, text)
    except FileFormatError as exc:
        result.errors.append(FileError(name, str(exc)))
        return result
    new_codes: list[str] = []
    for segment in source.segments:
        try:
            analysis = analyze(segment.code, fix=fix and segment.fixable, ignore=ignore, importer=importer)
        except ParseFailure as exc:
            if segment.note is not None and not segment.fixable and "runPython" in segment.note:
                new_codes.append(segment.code)  # JavaScript strings that are not whole programs: nothing to say
                continue
            cell, line, column = segment.position(exc.line, max(exc.column - 1, 0))
            result.errors.append(FileError(name, f"cannot parse as Python ({exc.message.strip()}); not checked, "
                                                 "left untouched", line, column, cell))
            new_codes.append(segment.code)
            continue
        except RuntimeError as exc:
            result.errors.append(FileError(name, f"{exc}; left untouched"))
            return result
        for raw in analysis.findings:
            cell, line, column = segment.position(raw.line, raw.column)
            _, end_line, end_column = segment.position(raw.end_line, raw.end_column)
            severity = raw.severity
            message = raw.message
            if not segment.fixable and severity == "fix":
                severity = "manual"
            if segment.note is not None:
                message = f"{segment.note}: {message}"
            result.findings.append(Finding(name, line, column, raw.code, message, severity, end_line, end_column,
                                           cell, replacement=raw.replacement))
        new_codes.append(analysis.code)
    result.findings.sort(key=lambda f: (f.cell or 0, f.line, f.column, f.code))
    if fix and not result.errors and any(new != seg.code for new, seg in zip(new_codes, source.segments,
                                                                             strict=True)):
        try:
            result.new_text = source.render(new_codes)
        except FileFormatError as exc:
            result.errors.append(FileError(name, str(exc)))
    return result


def check_file(path: Path, *, display: str | None = None, fix: bool = True, ignore: frozenset[str] = frozenset(),
               modules: ModuleFinder | None = None) -> FileResult:
    """Read ``path`` (strict UTF-8, an optional BOM kept) and check it; nothing is written here."""
    name = display or str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return FileResult(name, errors=[FileError(name, f"cannot read: {exc.strerror or exc}; left untouched")])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return FileResult(name, errors=[FileError(
            name, f"not UTF-8 (byte 0x{data[exc.start]:02x} at line {line}); not checked, left untouched")])
    bom = text.startswith(_BOM)
    result = check_text(text[1:] if bom else text, name, fix=fix, ignore=ignore, path=path, modules=modules)
    if bom:
        result.text = text
        if result.new_text is not None:
            result.new_text = _BOM + result.new_text
    return result


def write_atomically(path: Path, text: str) -> None:
    """Replace ``path``'s content in one step (temp file + rename), keeping its permission bits."""
    mode = path.stat().st_mode & 0o7777
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".clerk-upgrade", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise
