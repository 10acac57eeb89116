"""The browser copy of the SDK: comments, private docstrings, function annotations and most indentation out;
behaviour and line numbers unchanged."""

from __future__ import annotations

import ast
import base64
import hashlib
import io
import tokenize
import zipfile
from pathlib import Path

import pytest
import strip_sources

SDK = Path(__file__).resolve().parents[2] / "clerk_frontend"
SOURCES = sorted(SDK.rglob("*.py"))


class _LocalAnnotationsOut(ast.NodeTransformer):
    """What the browser copy promises about annotations, written independently of the stripper: every one-line
    parameter/return annotation and every one-line annotated assignment with a value inside a function is gone."""

    def __init__(self) -> None:
        self.depth = 0  # > 0 inside a function body (a class inside a function counts as inside)

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> ast.AST:
        args = node.args
        for arg in [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]:
            if arg is not None and arg.annotation is not None and arg.annotation.end_lineno == arg.lineno:
                arg.annotation = None
        if node.returns is not None and node.returns.end_lineno == node.returns.lineno:
            node.returns = None
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1
        return node

    visit_FunctionDef = visit_AsyncFunctionDef = _function

    def visit_ClassDef(self, node: ast.ClassDef) -> ast.AST:
        saved, self.depth = self.depth, 0  # a class body's own annotations stay
        self.generic_visit(node)
        self.depth = saved
        return node

    def visit_AnnAssign(self, node: ast.AnnAssign) -> ast.AST:
        if self.depth and node.value is not None and node.annotation.end_lineno == node.lineno:
            return ast.Assign(targets=[node.target], value=node.value)
        return node


def _without_docstrings(tree: ast.AST, nodes: set[int]) -> str:
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and id(body[0]) in nodes:
            spanned = (body[0].end_lineno or body[0].lineno) - body[0].lineno  # kept as that many newlines
            body[0] = ast.Expr(ast.Constant("\n" * spanned))
    return ast.dump(_LocalAnnotationsOut().visit(tree), include_attributes=False)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(SDK)))
def test_stripping_keeps_code_and_lines(path: Path) -> None:
    source = path.read_text()
    private = path.name.startswith("_") and path.name != "__init__.py"
    stripped = strip_sources.strip_python(source, private_module=private)
    assert stripped.count("\n") == source.count("\n")  # every line where it was
    tokens = list(tokenize.generate_tokens(io.StringIO(stripped).readline))
    assert not [t for t in tokens if t.type == tokenize.COMMENT]
    # The same program: the original's AST with exactly the private docstrings emptied.
    original = ast.parse(source)
    emptied = {id(d) for d in strip_sources._private_docstrings(original, private)}
    assert ast.dump(ast.parse(stripped), include_attributes=False) == _without_docstrings(original, emptied)
    # Public classes and functions keep their docstrings.
    for node in ast.walk(ast.parse(stripped)):
        if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and not node.name.startswith("_"):
            before = next(n for n in ast.walk(original) if isinstance(n, type(node)) and n.name == node.name
                          and n.lineno == node.lineno)
            if ast.get_docstring(before) and id(before.body[0]) not in emptied:
                assert ast.get_docstring(node) == ast.get_docstring(before)


def test_public_docstrings_survive_in_a_private_module() -> None:
    source = '"""Module."""\n\nclass Public:\n    """Kept."""\n\n    def _hidden(self):\n        """Gone."""\n' \
             '        def inner():\n            """Gone too."""\n        return inner  # a comment\n'
    out = strip_sources.strip_python(source, private_module=True)
    assert out.splitlines() == ['""', "", "class Public:", ' """Kept."""', "", " def _hidden(self):",
                                '  ""', "  def inner():", '   ""', "  return inner"]
    multi = strip_sources.strip_python('def _f():\n    """a\n    b"""\n    return 1\n', private_module=False)
    assert multi == 'def _f():\n """\n"""\n return 1\n'


def test_annotations_and_indentation_go_but_strings_and_class_fields_stay() -> None:
    source = (
        "class Model:\n"
        "    name: str = 'x'\n"
        "    def method(self, a: int, *rest: str, key: dict[str, int] | None = None, **kw: Any) -> list[int]:\n"
        "        total: int = a\n"
        "        text = '''keep\n"
        "        this    indent'''\n"
        '        return [total, len(text), f"""{a}\n'
        '    too"""]\n'
        "    def wide(self) -> dict[\n"
        "        str, int]:\n"
        "        return {}\n"
    )
    out = strip_sources.strip_python(source, private_module=False)
    assert out.splitlines() == [
        "class Model:",
        " name: str = 'x'",
        " def method(self, a, *rest, key=None, **kw):",
        "  total = a",
        "  text = '''keep",
        "        this    indent'''",
        '  return [total, len(text), f"""{a}',
        '    too"""]',
        " def wide(self) -> dict[",  # an annotation over two lines stays, so no line moves
        "  str, int]:",
        "  return {}",
    ]


def test_the_bundle_wheel_is_stripped_and_its_record_matches(bundle_dir: Path) -> None:
    wheel = next((bundle_dir / "pyodide").glob("clerk_frontend-*-py3-none-any.whl"))
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        record = next(n for n in names if n.endswith(".dist-info/RECORD"))
        rows = [line.split(",") for line in zf.read(record).decode().splitlines()]
        for name, digest, size in rows:
            if name == record:
                continue
            data = zf.read(name)
            assert int(size) == len(data), name
            assert digest == "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(
                b"=").decode(), name
        clerk_py = zf.read("clerk_frontend/clerk.py").decode()
    assert {r[0] for r in rows} == set(names)
    assert "# " not in "".join(line for line in clerk_py.splitlines() if line.lstrip().startswith("#"))
    assert clerk_py.count("\n") == (SDK / "clerk.py").read_text().count("\n")
