"""Make the browser copy of the SDK smaller without changing what it does or where its lines are.

Every page downloads the ``clerk_frontend`` wheel, so the copy in the bundle leaves out what only a reader of the
source needs: comments; the docstrings of private modules, private functions and classes (names starting with
``_``), their members and nested functions, and in private modules of everything that is not public API elsewhere
(see :func:`public_api`); the parameter and return annotations of functions; and three of every four indentation
spaces. Public API keeps its docstrings (``help()`` in a page still works); every line stays on its line (a
removed docstring becomes an empty string spanning the same lines), so tracebacks in the browser point at the same
line numbers as the repository. The published wheel is not touched.
"""

from __future__ import annotations

import ast
import base64
import hashlib
import io
import tokenize
import zipfile
from collections.abc import Collection, Mapping
from pathlib import Path

__all__ = ["is_private", "module_name", "public_api", "strip_python", "strip_wheel"]


def _is_dunder(name: str) -> bool:
    return name.startswith("__") and name.endswith("__")


def _private_docstrings(tree: ast.Module, private_module: bool,
                        api: Collection[str] | None = None) -> list[ast.Expr]:
    """The docstring nodes to empty: of a private module, of private defs/classes and their members, of nested
    functions; with ``api`` (a private module's top-level names that are public API elsewhere), also of every
    other top-level def/class of the module and its members."""
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
                if api is not None and node is tree:  # a base class like ``_Attempt`` can be public API
                    private = child.name not in api
                else:
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


class _Positions:
    """Turns ast (row, UTF-8 byte column) positions into offsets of the source string."""

    def __init__(self, source: str) -> None:
        self.lines = source.splitlines(keepends=True)
        self.starts = [0]
        for line in self.lines:
            self.starts.append(self.starts[-1] + len(line))

    def offset(self, row: int, col: int) -> int:
        return self.starts[row - 1] + col

    def at(self, row: int, byte_col: int) -> int:
        # ast columns count UTF-8 bytes; string slicing counts characters.
        return self.starts[row - 1] + len(self.lines[row - 1].encode()[:byte_col].decode())


def _apply(source: str, edits: list[tuple[int, int, str]]) -> str:
    out = source
    for start, end, replacement in sorted(edits, reverse=True):
        out = out[:start] + replacement + out[end:]
    return out


def strip_python(source: str, *, private_module: bool, api: Collection[str] | None = None) -> str:
    """``source`` without comments, private docstrings and function annotations, indented by one space per level;
    every line kept in place (trailing spaces dropped). ``api``: see :func:`public_api`."""
    out = _strip_comments_and_docstrings(source, private_module, api)
    return _shrink_indentation(_strip_signature_annotations(out))


def _strip_signature_annotations(source: str) -> str:
    """Parameter and return annotations of every function, which nothing reads at run time in the browser, and
    annotations of assignments inside functions, which Python never evaluates (class-level annotations stay:
    pydantic models and dataclasses need them). Annotations spanning lines stay too, so that no line moves."""
    pos = _Positions(source)
    edits: list[tuple[int, int, str]] = []
    functions = [n for n in ast.walk(ast.parse(source)) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    for node in functions:
        for sub in _own_statements(node):
            # Inside a function an annotation is never evaluated: ``x: T = v`` is ``x = v``.
            if isinstance(sub, ast.AnnAssign) and sub.value is not None and sub.annotation.end_lineno == sub.lineno:
                target = sub.target
                edits.append((pos.at(target.lineno, target.end_col_offset or 0),
                              pos.at(sub.lineno, sub.annotation.end_col_offset or 0), ""))
        args = node.args
        for arg in [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]:
            note = arg.annotation if arg is not None else None
            if arg is None or note is None or note.end_lineno != arg.lineno:
                continue
            start = pos.at(arg.lineno, arg.col_offset) + len(arg.arg)
            end = pos.at(arg.lineno, note.end_col_offset or 0)
            default = source.startswith(" = ", end)  # ``x: T = v`` becomes ``x=v``, as PEP 8 writes it
            edits.append((start, end + 3 if default else end, "=" if default else ""))
        ret = node.returns
        if ret is not None and ret.end_lineno == ret.lineno:
            arrow = source.rfind("->", 0, pos.at(ret.lineno, ret.col_offset))
            while source[arrow - 1] == " ":
                arrow -= 1
            edits.append((arrow, pos.at(ret.lineno, ret.end_col_offset or 0), ""))
    return _apply(source, edits)


def _own_statements(function: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.stmt]:
    """The statements of ``function``'s body, at any depth, but not those of nested functions or classes."""
    found: list[ast.stmt] = []
    todo: list[ast.AST] = list(function.body)
    while todo:
        node = todo.pop()
        if isinstance(node, ast.stmt):
            found.append(node)
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            todo.extend(ast.iter_child_nodes(node))
    return found


def _shrink_indentation(source: str) -> str:
    """One space per indentation level instead of four (deflate still pays for every run of spaces). Lines that
    continue a multi-line string keep theirs: it is part of the string."""
    inside: set[int] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.Constant, ast.JoinedStr)) and node.end_lineno and node.end_lineno > node.lineno:
            inside.update(range(node.lineno + 1, node.end_lineno + 1))
    out = []
    for row, line in enumerate(source.splitlines(keepends=True), 1):
        text = line.lstrip(" ")
        width = len(line) - len(text)
        out.append(line if row in inside else " " * (width // 4 + width % 4) + text)
    return "".join(out)


def _strip_comments_and_docstrings(source: str, private_module: bool, api: Collection[str] | None) -> str:
    pos = _Positions(source)
    edits: list[tuple[int, int, str]] = []
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.COMMENT:
            edits.append((pos.offset(*tok.start), pos.offset(*tok.end), ""))
    for doc in _private_docstrings(ast.parse(source), private_module, api):
        assert doc.end_lineno is not None and doc.end_col_offset is not None
        spanned = doc.end_lineno - doc.lineno
        replacement = '"""' + "\n" * spanned + '"""' if spanned else '""'
        edits.append((pos.at(doc.lineno, doc.col_offset), pos.at(doc.end_lineno, doc.end_col_offset), replacement))
    out = _apply(source, edits)
    return "".join(line.rstrip() + ("\n" if line.endswith("\n") else "") for line in out.splitlines(keepends=True))


def module_name(path: str) -> str:
    """``pkg/sub/_mod.py`` -> ``pkg.sub._mod``; ``pkg/sub/__init__.py`` -> ``pkg.sub``."""
    parts = path[: -len(".py")].split("/")
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_private(module: str) -> bool:
    """A module whose dotted name has a part starting with ``_``."""
    return any(part.startswith("_") for part in module.split("."))


def public_api(sources: Mapping[str, str]) -> dict[str, set[str]]:
    """For each private module (path -> source in ``sources``, e.g. ``pkg/_mod.py``), the top-level names it
    defines that are public API elsewhere: listed in a public module's ``__all__`` (followed through
    ``from … import``), or a base class, at any depth, of such a class or of a public class a public module
    defines. ``help()`` shows their docstrings, so they keep them; the rest of a private module is internal."""
    defs: dict[str, dict[str, ast.stmt]] = {}
    imports: dict[str, dict[str, tuple[str, str]]] = {}
    exported: dict[str, list[str]] = {}
    for path, source in sources.items():
        module, folder = module_name(path), path.split("/")[:-1]
        tree = ast.parse(source)
        defs[module] = {n.name: n for n in tree.body
                        if isinstance(n, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))}
        imports[module] = {}
        for node in ast.walk(tree):  # lazy and TYPE_CHECKING imports count too: they say where a name lives
            if isinstance(node, ast.ImportFrom):
                anchor = folder[: len(folder) - node.level + 1] if node.level else []
                source_module = ".".join([*anchor, *([node.module] if node.module else [])])
                for alias in node.names:
                    imports[module].setdefault(alias.asname or alias.name, (source_module, alias.name))
            elif isinstance(node, ast.Assign) and isinstance(node.value, (ast.List, ast.Tuple)) and any(
                    isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
                exported[module] = [e.value for e in node.value.elts
                                    if isinstance(e, ast.Constant) and isinstance(e.value, str)]

    def resolve(module: str, name: str, hops: int = 0) -> tuple[str, str] | None:
        if module not in defs or hops > len(defs):
            return None
        if name in defs[module]:
            return module, name
        return resolve(*imports[module][name], hops + 1) if name in imports[module] else None

    todo: list[tuple[str, str]] = []
    for module, names in defs.items():
        if not is_private(module):
            todo += [(module, n) for n in exported.get(module, [])]
            todo += [(module, n) for n, d in names.items() if isinstance(d, ast.ClassDef) and n[0] != "_"]
    found: set[tuple[str, str]] = set()
    while todo:
        where = resolve(*todo.pop())
        if where is None or where in found:
            continue
        found.add(where)
        node = defs[where[0]][where[1]]
        for written in node.bases if isinstance(node, ast.ClassDef) else []:
            parent = written.value if isinstance(written, ast.Subscript) else written  # ``Base[T]``
            if isinstance(parent, ast.Name):
                todo.append((where[0], parent.id))
    return {path: {name for module, name in found if module == module_name(path)}
            for path in sources if is_private(module_name(path))}


def _record_hash(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def strip_wheel(wheel: Path, package: str = "clerk_frontend") -> None:
    """Rewrite ``wheel`` in place with :func:`strip_python` applied to the package's modules (RECORD updated)."""
    with zipfile.ZipFile(wheel) as zf:
        entries = [(info, zf.read(info)) for info in zf.infolist()]
    sources = {info.filename: data.decode() for info, data in entries
               if info.filename.startswith(package + "/") and info.filename.endswith(".py")}
    api = public_api(sources)
    files: dict[str, bytes] = {}
    for info, data in entries:
        name = info.filename
        if name in sources:
            module = name.rsplit("/", 1)[1]
            private = module.startswith("_") and module != "__init__.py"
            data = strip_python(sources[name], private_module=private, api=api.get(name)).encode()
        files[name] = data
    record = next(n for n in files if n.endswith(".dist-info/RECORD"))
    rows = [f"{name},{_record_hash(data)},{len(data)}" for name, data in files.items() if name != record]
    files[record] = ("\n".join([*rows, f"{record},,"]) + "\n").encode()
    tmp = wheel.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for info, _ in entries:
            out.writestr(info, files[info.filename], compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    tmp.replace(wheel)
