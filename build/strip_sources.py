"""Make the browser copy of the SDK smaller without changing what it does or where its lines are.

Every page downloads the ``clerk_frontend`` wheel, so the copy in the bundle leaves out what only a reader of the
source needs: comments, and the docstrings of private modules, private functions and classes (names starting
with ``_``), their members and nested functions. Public names keep their docstrings (``help()`` in a page still
works); every line stays on its line (a removed docstring becomes an empty string spanning the same lines), so
tracebacks in the browser point at the same line numbers as the repository. The published wheel is not touched.
"""

from __future__ import annotations

import ast
import base64
import hashlib
import io
import tokenize
import zipfile
from pathlib import Path

__all__ = ["strip_python", "strip_wheel"]


def _is_dunder(name: str) -> bool:
    return name.startswith("__") and name.endswith("__")


def _private_docstrings(tree: ast.Module, private_module: bool) -> list[ast.Expr]:
    """The docstring nodes to empty: of a private module, of private defs/classes and their members, of nested
    functions."""
    found: list[ast.Expr] = []

    def docstring(node: ast.AST) -> ast.Expr | None:
        body = getattr(node, "body", None)
        first = body[0] if isinstance(body, list) and body else None
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value,
                                                                                                str):
            return first
        return None

    def visit(node: ast.AST, hidden: bool) -> None:
        # ``hidden``: inside a function or a private class, where nothing is public API.
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                private = (child.name.startswith("_") and not _is_dunder(child.name)) or hidden
                doc = docstring(child)
                if private and doc is not None:
                    found.append(doc)
                visit(child, private or not isinstance(child, ast.ClassDef))
            else:
                visit(child, hidden)

    module_doc = docstring(tree)
    if private_module and module_doc is not None:
        found.append(module_doc)
    visit(tree, False)
    return found


def strip_python(source: str, *, private_module: bool) -> str:
    """``source`` without comments and private docstrings, every line kept in place (trailing spaces dropped)."""
    lines = source.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def offset(row: int, col: int) -> int:
        return starts[row - 1] + col

    def char_col(row: int, byte_col: int) -> int:
        # ast columns count UTF-8 bytes; string slicing counts characters.
        return len(lines[row - 1].encode()[:byte_col].decode())

    edits: list[tuple[int, int, str]] = []
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.COMMENT:
            edits.append((offset(*tok.start), offset(*tok.end), ""))
    for doc in _private_docstrings(ast.parse(source), private_module):
        assert doc.end_lineno is not None and doc.end_col_offset is not None
        spanned = doc.end_lineno - doc.lineno
        replacement = '"""' + "\n" * spanned + '"""' if spanned else '""'
        edits.append((offset(doc.lineno, char_col(doc.lineno, doc.col_offset)),
                      offset(doc.end_lineno, char_col(doc.end_lineno, doc.end_col_offset)), replacement))
    out = source
    for start, end, replacement in sorted(edits, reverse=True):
        out = out[:start] + replacement + out[end:]
    return "".join(line.rstrip() + ("\n" if line.endswith("\n") else "") for line in out.splitlines(keepends=True))


def _record_hash(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def strip_wheel(wheel: Path, package: str = "clerk_frontend") -> None:
    """Rewrite ``wheel`` in place with :func:`strip_python` applied to the package's modules (RECORD updated)."""
    with zipfile.ZipFile(wheel) as zf:
        entries = [(info, zf.read(info)) for info in zf.infolist()]
    files: dict[str, bytes] = {}
    for info, data in entries:
        name = info.filename
        if name.startswith(package + "/") and name.endswith(".py"):
            module = name.rsplit("/", 1)[1]
            private = module.startswith("_") and module != "__init__.py"
            data = strip_python(data.decode(), private_module=private).encode()
        files[name] = data
    record = next(n for n in files if n.endswith(".dist-info/RECORD"))
    rows = [f"{name},{_record_hash(data)},{len(data)}" for name, data in files.items() if name != record]
    files[record] = ("\n".join([*rows, f"{record},,"]) + "\n").encode()
    tmp = wheel.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for info, _ in entries:
            out.writestr(info, files[info.filename], compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    tmp.replace(wheel)
