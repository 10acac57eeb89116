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


def _doc_findings(doc: Path) -> list[tuple[int, str, str]]:
    """(line in the document, code, the line) for each finding in the document's Python code blocks."""
    found = []
    text = doc.read_text(encoding="utf-8")
    for block in re.finditer(r"^```(?:python|py|python3)\n(.*?)^```", text, re.S | re.M):
        first_line = text[: block.start()].count("\n") + 2
        result = check_text(block.group(1), f"{doc.name}.py")
        assert not result.errors, (doc, result.errors)
        for finding in result.findings:
            line = first_line + finding.line - 1
            found.append((line, finding.code, text.split("\n")[line - 1]))
    return found


def test_upgrade_docs_examples_give_the_codes_they_show() -> None:
    """docs/upgrade.md shows old calls on purpose: each is marked '# before (CODE)', and that is what the
    tool reports for it; the 'after' lines report nothing."""
    doc = ROOT / "docs" / "upgrade.md"
    found = [(line, code) for line, code, _ in _doc_findings(doc)]
    marked = [(number, match.group(1))
              for number, text in enumerate(doc.read_text(encoding="utf-8").split("\n"), 1)
              if (match := re.search(r"# before \((CU\d+)\)", text))]
    assert len(marked) >= 6
    assert found == marked


def test_docs_examples_are_clean_but_for_the_refusal_they_show() -> None:
    """Python code blocks of the README and the other docs: the only finding is the README's line that shows,
    on purpose, that update(unsafe_metadata=...) raises."""
    found = []
    docs = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), ROOT / "emulator" / "README.md"]
    for doc in [d for d in docs if d.name != "upgrade.md"]:
        found += [(doc.relative_to(ROOT).as_posix(), code, text) for _, code, text in _doc_findings(doc)]
    assert len(found) == 1, found
    path, code, line = found[0]
    assert (path, code) == ("README.md", "CU102")
    assert "await user.update(unsafe_metadata={})" in line and "raises before any request" in line
