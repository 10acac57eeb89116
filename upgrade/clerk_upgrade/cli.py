"""The ``clerk-upgrade`` command line.

Exit codes: 0 = nothing found (or found without ``--check``), 1 = ``--check`` and something still needs a change,
2 = a path or file could not be checked (missing, unreadable, not UTF-8, not parseable; such files are never
written), or bad usage.
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from . import __version__
from ._files import select_files
from ._imports import ModuleFinder
from .engine import FileError, FileResult, check_file, write_atomically
from .findings import RULES, Finding

__all__ = ["main"]

EXIT_CLEAN, EXIT_FOUND, EXIT_ERROR = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="clerk-upgrade",
        description="Find (and with --write, rewrite) Clerk metadata calls that API version 2026-05-12 no longer "
                    "accepts, in .py files, Jupyter notebooks and PyScript/Pyodide HTML pages.",
        epilog="Exit codes: 0 clean (or findings without --check), 1 --check found something to change, "
               "2 a file could not be checked or bad usage. Rules: clerk-upgrade --explain CODE.")
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files or directories (default: .)")
    parser.add_argument("--check", action="store_true",
                        help="exit 1 when anything is found (after --write: anything left), 0 when clean")
    parser.add_argument("--diff", action="store_true",
                        help="print a unified diff of the rewrite (findings then go to stderr)")
    parser.add_argument("--write", action="store_true", help="rewrite the files in place")
    parser.add_argument("--json", action="store_true", help="print one JSON document for tools")
    parser.add_argument("--exclude", action="append", default=[], metavar="GLOB",
                        help="gitignore-style pattern relative to the current directory (repeatable)")
    parser.add_argument("--ignore", action="append", default=[], metavar="CODES",
                        help="comma-separated codes to skip, e.g. CU401 (repeatable)")
    parser.add_argument("--no-gitignore", action="store_true", help="also look at files .gitignore excludes")
    parser.add_argument("--explain", metavar="CODE", help="explain a finding code and exit")
    parser.add_argument("--version", action="version", version=f"clerk-upgrade {__version__}")
    return parser


def _display(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def _line(finding: Finding) -> str:
    mark = " [fixed]" if finding.fixed else " [*]" if finding.severity == "fix" else ""
    label = " warning:" if finding.severity == "warning" else ""
    return f"{finding.location()}: {finding.code}{mark}{label} {finding.message}"


def _diff(result: FileResult) -> str:
    assert result.text is not None and result.new_text is not None
    return "".join(difflib.unified_diff(result.text.splitlines(keepends=True),
                                        result.new_text.splitlines(keepends=True),
                                        fromfile=f"a/{result.path.lstrip('/')}", tofile=f"b/{result.path.lstrip('/')}"))


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _summary(results: list[FileResult], errors: list[FileError], write: bool) -> dict[str, int]:
    findings = [f for r in results for f in r.findings]
    return {
        "files_checked": len(results),
        "files_with_findings": sum(1 for r in results if r.findings),
        "findings": len(findings),
        "fixable": sum(1 for f in findings if f.severity == "fix" and not f.fixed),
        "fixed": sum(1 for f in findings if f.fixed),
        "files_rewritten": sum(1 for r in results if write and r.changed and not r.errors),
        "manual": sum(1 for f in findings if f.severity == "manual"),
        "warnings": sum(1 for f in findings if f.severity == "warning"),
        "errors": len(errors),
    }


def _summary_line(summary: dict[str, int], write: bool) -> str:
    if summary["findings"] == 0:
        text = f"No pre-2026-05-12 metadata calls found in {_plural(summary['files_checked'], 'file')}."
    else:
        parts = []
        if write:
            parts.append(f"{summary['fixed']} fixed in {_plural(summary['files_rewritten'], 'file')}")
        else:
            parts.append(f"{summary['fixable']} fixable with --write")
        parts.append(f"{summary['manual']} to change by hand")
        if summary["warnings"]:
            parts.append(_plural(summary["warnings"], "warning"))
        text = (f"Found {_plural(summary['findings'], 'finding')} in {summary['files_with_findings']} of "
                f"{_plural(summary['files_checked'], 'file')} ({', '.join(parts)}).")
    if summary["errors"]:
        text += f" {_plural(summary['errors'], 'path')} could not be checked (left untouched)."
    return text


def _explain(code: str, out: TextIO) -> int:
    rule = RULES.get(code.upper())
    if rule is None:
        print(f"clerk-upgrade: unknown code {code!r}; known: {', '.join(RULES)}", file=sys.stderr)
        return EXIT_ERROR
    print(f"{rule.code}: {rule.title}\n\n{rule.explanation}", file=out)
    return EXIT_CLEAN


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; returns the exit code (the console script exits with it)."""
    args = _parser().parse_args(argv)
    out = sys.stdout
    if args.explain:
        return _explain(args.explain, out)
    ignore = frozenset(code.strip().upper() for value in args.ignore for code in value.split(",") if code.strip())
    unknown = sorted(ignore - set(RULES))
    if unknown:
        print(f"clerk-upgrade: unknown code(s) in --ignore: {', '.join(unknown)}", file=sys.stderr)
        return EXIT_ERROR
    selection = select_files(args.paths or ["."], excludes=args.exclude, gitignore=not args.no_gitignore)
    errors = [FileError(_display(path), reason) for path, reason in selection.missing]
    results: list[FileResult] = []
    modules = ModuleFinder()
    for path in selection.files:
        result = check_file(path, display=_display(path), fix=args.write or args.diff, ignore=ignore,
                            modules=modules)
        results.append(result)
        errors.extend(result.errors)
        if args.write and result.changed and not result.errors:
            assert result.new_text is not None
            try:
                write_atomically(path, result.new_text)
            except OSError as exc:
                errors.append(FileError(result.path, f"cannot write: {exc.strerror or exc}; left untouched"))
                continue
            for finding in result.findings:
                if finding.severity == "fix":
                    finding.fixed = True
    summary = _summary(results, errors, args.write)
    diffs = {r.path: _diff(r) for r in results if (args.diff and r.changed and not r.errors)}
    findings = sorted((f for r in results for f in r.findings),
                      key=lambda f: (f.path, f.cell or 0, f.line, f.column, f.code))
    if args.json:
        document: dict[str, object] = {
            "tool": "clerk-upgrade", "version": __version__,
            "findings": [f.to_json() for f in findings],
            "errors": [e.to_json() for e in errors],
            "summary": summary,
        }
        if args.diff:
            document["diffs"] = diffs
        json.dump(document, out, indent=2, ensure_ascii=False)
        out.write("\n")
    else:
        report = sys.stderr if args.diff else out
        for finding in findings:
            print(_line(finding), file=report)
        for error in errors:
            print(str(error), file=sys.stderr)
        for text in diffs.values():
            out.write(text)
        print(_summary_line(summary, args.write), file=report)
    if errors:
        return EXIT_ERROR
    remaining = [f for f in findings if f.severity != "warning" and not f.fixed]
    if args.check and remaining:
        return EXIT_FOUND
    return EXIT_CLEAN
