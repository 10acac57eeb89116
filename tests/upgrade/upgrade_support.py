"""Helpers of the clerk-upgrade tests: the corpus reader and a parse check for rewritten code."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

CORPUS = Path(__file__).with_name("corpus.txt")


@dataclass
class Case:
    name: str
    before: str
    after: str | None
    report: list[str]


def read_corpus() -> list[Case]:
    """The cases of corpus.txt (format described at its top)."""
    cases: list[Case] = []
    for chunk in CORPUS.read_text(encoding="utf-8").split("\n=== ")[1:]:
        name, _, body = chunk.partition("\n")
        sections: dict[str, list[str]] = {}
        current = ""
        for line in body.split("\n"):
            if line in ("--- before", "--- after", "--- report"):
                current = line[4:]
                sections[current] = []
            elif current:
                sections[current].append(line)
        before = "\n".join(sections["before"]) + "\n"
        after = "\n".join(sections["after"]) + "\n" if "after" in sections else None
        report = [line for line in sections["report"] if line.strip()]
        cases.append(Case(name.strip(), before, after, report))
    return cases


def parses(code: str) -> bool:
    """Valid Python, top-level await allowed (notebooks, PyScript)."""
    try:
        compile(code, "<test>", "exec", flags=ast.PyCF_ONLY_AST | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT, dont_inherit=True)
    except SyntaxError:
        return False
    return True
