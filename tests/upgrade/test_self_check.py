"""``clerk-upgrade --check`` on this repository: its own code, tests, demo pages and docs examples are clean."""

from __future__ import annotations

import re
from pathlib import Path

from clerk_upgrade import check_file, check_text
from clerk_upgrade._files import select_files
from clerk_upgrade._imports import ModuleFinder

ROOT = Path(__file__).resolve().parents[2]


def test_repository_is_clean() -> None:
    selection = select_files([str(ROOT)], cwd=ROOT)
    names = {path.resolve().relative_to(ROOT).as_posix() for path in selection.files}
    # What the check covers: the SDK, the local Clerk instance, tooling, the demo (Python and PyScript pages),
    # the tests and this tool itself.
    assert {"clerk_frontend/clerk.py", "emulator/clerk_emulator/__main__.py", "build/build_bundle.py",
            "demo_site/playground.html", "demo_site/demo_kit.py", "upgrade/clerk_upgrade/cli.py"} <= names
    assert not any(name.startswith(("dist/", ".venv/", ".cache/")) for name in names)
    modules = ModuleFinder()
    problems = []
    for path in selection.files:
        result = check_file(path, display=path.relative_to(ROOT).as_posix(), fix=False, modules=modules)
        problems += [f"{f.location()}: {f.code} {f.message}" for f in result.findings]
        problems += [str(error) for error in result.errors]
    assert problems == []


def test_docs_examples_are_clean_but_for_the_refusal_they_show() -> None:
    """Python code blocks of the README and docs: the only finding is the README's line that shows, on
    purpose, that update(unsafe_metadata=...) raises."""
    found = []
    for doc in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), ROOT / "emulator" / "README.md"]:
        text = doc.read_text(encoding="utf-8")
        for block in re.finditer(r"^```(?:python|py|python3)\n(.*?)^```", text, re.S | re.M):
            first_line = text[: block.start()].count("\n") + 2
            result = check_text(block.group(1), f"{doc.name}.py")
            assert not result.errors, (doc, result.errors)
            for finding in result.findings:
                line = first_line + finding.line - 1
                found.append((doc.relative_to(ROOT).as_posix(), finding.code, text.split("\n")[line - 1]))
    assert len(found) == 1, found
    path, code, line = found[0]
    assert (path, code) == ("README.md", "CU102")
    assert "await user.update(unsafe_metadata={})" in line and "raises before any request" in line
