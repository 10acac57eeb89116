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


API = strip_sources.public_api({str(p.relative_to(SDK.parent)): p.read_text() for p in SOURCES})


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(SDK)))
def test_stripping_keeps_code_and_lines(path: Path) -> None:
    source = path.read_text()
    private = path.name.startswith("_") and path.name != "__init__.py"
    api = API.get(str(path.relative_to(SDK.parent)))
    stripped = strip_sources.strip_python(source, private_module=private, api=api)
    assert stripped.count("\n") == source.count("\n")  # every line where it was
    tokens = list(tokenize.generate_tokens(io.StringIO(stripped).readline))
    assert not [t for t in tokens if t.type == tokenize.COMMENT]
    # The same program: the original's AST with exactly the private docstrings emptied.
    original = ast.parse(source)
    emptied = {id(d) for d in strip_sources._private_docstrings(original, private, api)}
    assert ast.dump(ast.parse(stripped), include_attributes=False) == _without_docstrings(original, emptied)
    # Public classes and functions keep their docstrings (in a private module: those that are public API).
    for node in ast.walk(ast.parse(stripped)):
        if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and not node.name.startswith("_"):
            before = next(n for n in ast.walk(original) if isinstance(n, type(node)) and n.name == node.name
                          and n.lineno == node.lineno)
            if ast.get_docstring(before) and id(before.body[0]) not in emptied:
                assert ast.get_docstring(node) == ast.get_docstring(before)
    if api is not None:  # what a private module keeps documented is exactly its public API's top-level names
        kept = {n.name for n in ast.parse(stripped).body if isinstance(n, (ast.ClassDef, ast.FunctionDef,
                                                                              ast.AsyncFunctionDef))
                and ast.get_docstring(n)}
        assert kept <= api


def test_the_public_api_of_private_modules() -> None:
    package = {
        "pkg/__init__.py": "from ._core import Client\nfrom .public import Widget\n__all__ = ['Client', 'Widget']\n",
        "pkg/_core.py": "from ._base import _Root\nclass Client(_Root):\n    pass\ndef helper():\n    pass\n",
        "pkg/_base.py": "from typing import Generic, TypeVar\nT = TypeVar('T')\n"
                        "class _Root(Generic[T]):\n    pass\nclass Unused:\n    pass\n",
        "pkg/public.py": "from .ui._kit import Base\nclass Widget(Base):\n    pass\n",
        "pkg/ui/__init__.py": "",
        "pkg/ui/_kit.py": "from .._base import Unused as Base\nclass Field:\n    pass\n",
    }
    assert strip_sources.public_api(package) == {
        "pkg/_core.py": {"Client"},  # re-exported by the package's __all__
        "pkg/_base.py": {"_Root", "Unused"},  # bases of public classes, at any depth, followed through aliases
        "pkg/ui/_kit.py": set(),  # ``Base`` is only an alias there; ``Field`` is internal
    }
    out = strip_sources.strip_python('class Field:\n    """Internal."""\n    def go(self):\n        """Too."""\n',
                                     private_module=True, api=set())
    assert out == 'class Field:\n ""\n def go(self):\n  ""\n'
    kept = strip_sources.strip_python('class _Root:\n    """Kept."""\n', private_module=True, api={"_Root"})
    assert kept == 'class _Root:\n """Kept."""\n'


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
