"""The command line: file selection (.gitignore, --exclude), output, --diff/--write/--json, exit codes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from clerk_upgrade import cli
from clerk_upgrade._files import select_files
from upgrade_support import parses

FRONTEND = '''from clerk_frontend import Clerk

clerk = Clerk("pk_test_x")


async def save() -> None:
    user = clerk.user
    await user.update(unsafe_metadata={**user.unsafe_metadata, "theme": "dark"})
'''
FIXED = FRONTEND.replace('user.update(unsafe_metadata={**user.unsafe_metadata, "theme": "dark"})',
                         'user.update_metadata(unsafe_metadata={"theme": "dark"})')
MANUAL = "async def f(user):\n    await user.update(unsafe_metadata={'a': 1})\n"
CLEAN = "print('nothing to see')\n"


def _project(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli.main(args)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return _project(tmp_path, {"app/settings.py": FRONTEND, "app/legacy.py": MANUAL, "app/clean.py": CLEAN})


def _names(paths: list[Path], root: Path) -> list[str]:
    return sorted(p.resolve().relative_to(root.resolve()).as_posix() for p in paths)


def test_gitignore_and_excludes(tmp_path: Path) -> None:
    (tmp_path / ".git" / "info").mkdir(parents=True)
    (tmp_path / ".git" / "info" / "exclude").write_text("private.py\n")
    _project(tmp_path, {
        ".gitignore": "build/\n*.gen.py\n!keep.gen.py\n",
        "a.py": CLEAN, "keep.gen.py": CLEAN, "x.gen.py": CLEAN, "private.py": CLEAN,
        "build/out.py": CLEAN,
        "pkg/.gitignore": "local_*.py\n!local_ok.py\n",
        "pkg/local_1.py": CLEAN, "pkg/local_ok.py": CLEAN, "pkg/mod.py": CLEAN, "pkg/page.html": "<p></p>",
        "pkg/nb.ipynb": "{}", "pkg/notes.txt": "x", "pkg/data.json": "{}",
        ".venv/lib/site.py": CLEAN, "node_modules/x/y.py": CLEAN, "sub/__pycache__/c.py": CLEAN,
        "legacy/old.py": CLEAN, "legacy/deep/old2.py": CLEAN, "tests/test_a.py": CLEAN,
    })
    found = select_files([str(tmp_path)], cwd=tmp_path).files
    assert _names(found, tmp_path) == ["a.py", "keep.gen.py", "legacy/deep/old2.py", "legacy/old.py",
                                        "pkg/local_ok.py", "pkg/mod.py", "pkg/nb.ipynb", "pkg/page.html",
                                        "tests/test_a.py"]
    # A subdirectory given alone still sees the .gitignore files above it, up to the repository root.
    assert _names(select_files([str(tmp_path / "pkg")], cwd=tmp_path).files, tmp_path) == [
        "pkg/local_ok.py", "pkg/mod.py", "pkg/nb.ipynb", "pkg/page.html"]
    excluded = select_files([str(tmp_path)], cwd=tmp_path, excludes=["legacy/", "tests/*.py", "*.html"]).files
    assert _names(excluded, tmp_path) == ["a.py", "keep.gen.py", "pkg/local_ok.py", "pkg/mod.py", "pkg/nb.ipynb"]
    everything = _names(select_files([str(tmp_path)], cwd=tmp_path, gitignore=False).files, tmp_path)
    assert {"build/out.py", "x.gen.py", "private.py", "pkg/local_1.py"} <= set(everything)
    assert ".venv/lib/site.py" not in everything
    # Named files are checked even when ignored; --exclude still applies to them.
    named = select_files([str(tmp_path / "x.gen.py"), str(tmp_path / "missing.py")], cwd=tmp_path)
    assert _names(named.files, tmp_path) == ["x.gen.py"]
    assert [reason for _, reason in named.missing] == ["no such file or directory"]
    assert select_files([str(tmp_path / "x.gen.py")], cwd=tmp_path, excludes=["*.gen.py"]).files == []
    # So are the files of a directory named on the command line that .gitignore excludes.
    assert _names(select_files([str(tmp_path / "build")], cwd=tmp_path).files, tmp_path) == ["build/out.py"]


def test_report_and_check(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["app"], capsys)
    assert code == 0  # a report alone never fails
    lines = out.splitlines()
    assert lines[0].startswith("app/legacy.py:2:11: CU401 `user.update(…unsafe_metadata=…)`")
    assert lines[1].startswith("app/settings.py:8:11: CU101 [*] User.update() no longer accepts unsafe_metadata "
                               "(API 2026-05-12")
    assert lines[-1] == ("Found 2 findings in 2 of 3 files (1 fixable with --write, 1 to change by hand).")
    assert _run(["--check", "app"], capsys)[0] == 1
    assert _run(["--check", "app/clean.py"], capsys)[:2] == (
        0, "No pre-2026-05-12 metadata calls found in 1 file.\n")
    assert _run(["--check", "--ignore", "CU401,CU101", "app"], capsys)[0] == 0
    assert _run(["--check", "--exclude", "app/*.py", "app"], capsys)[0] == 0
    assert (project / "app/settings.py").read_text() == FRONTEND  # reporting never writes


def test_diff_then_write_then_idempotent(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(["--diff", "app"], capsys)
    assert code == 0
    assert out.startswith("--- a/app/settings.py\n+++ b/app/settings.py\n")
    assert '-    await user.update(unsafe_metadata={**user.unsafe_metadata, "theme": "dark"})\n' in out
    assert '+    await user.update_metadata(unsafe_metadata={"theme": "dark"})\n' in out
    assert "CU101" in err and "Found 2 findings" in err  # findings go to stderr beside a diff
    assert (project / "app/settings.py").read_text() == FRONTEND
    if shutil.which("patch"):
        subprocess.run(["patch", "-p1", "--dry-run"], input=out, text=True, check=True, cwd=project,
                       capture_output=True)

    code, out, _ = _run(["--write", "app"], capsys)
    assert code == 0
    assert "app/settings.py:8:11: CU101 [fixed]" in out
    assert out.splitlines()[-1] == ("Found 2 findings in 2 of 3 files (1 fixed in 1 file, 1 to change by "
                                    "hand).")
    assert (project / "app/settings.py").read_text() == FIXED
    assert parses(FIXED)
    assert _run(["--write", "--check", "app"], capsys)[0] == 1  # the manual one remains
    before = {p: p.read_bytes() for p in project.rglob("*.py")}
    code, out, _ = _run(["--write", "app"], capsys)
    assert {p: p.read_bytes() for p in project.rglob("*.py")} == before  # a second --write changes nothing
    assert "fixed" not in out.split("\n")[0]
    assert _run(["--check", "app/settings.py"], capsys)[0] == 0


def test_json(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["--json", "--diff", "app"], capsys)
    assert code == 0
    document = json.loads(out)
    assert document["tool"] == "clerk-upgrade"
    assert document["summary"] == {"files_checked": 3, "files_with_findings": 2, "findings": 2, "fixable": 1,
                                   "fixed": 0, "files_rewritten": 0, "manual": 1, "warnings": 0, "errors": 0}
    first = document["findings"][1]
    assert {k: first[k] for k in ("path", "cell", "line", "column", "end_line", "code", "severity", "fixable",
                                  "fixed")} == {
        "path": "app/settings.py", "cell": None, "line": 8, "column": 11, "end_line": 8, "code": "CU101",
        "severity": "fix", "fixable": True, "fixed": False}
    assert first["replacement"] == 'await user.update_metadata(unsafe_metadata={"theme": "dark"})'
    assert list(document["diffs"]) == ["app/settings.py"]
    assert _run(["--json", "--check", "app"], capsys)[0] == 1


def test_unreadable_and_undecodable_files_exit_2_untouched(project: Path, capsys: pytest.CaptureFixture[str],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    latin = "# caf\xe9\n" + FRONTEND
    (project / "app/latin1.py").write_bytes(latin.encode("latin-1"))
    (project / "app/broken.py").write_text(FRONTEND + "def (:\n")
    code, out, err = _run(["--write", "app", "nowhere"], capsys)
    assert code == 2
    assert "app/latin1.py: error: not UTF-8 (byte 0xe9 at line 1); not checked, left untouched" in err
    assert "app/broken.py:9:5: error: cannot parse as Python (invalid syntax); not checked, left untouched" in err
    assert "nowhere: error: no such file or directory" in err
    assert (project / "app/latin1.py").read_bytes() == latin.encode("latin-1")
    assert (project / "app/broken.py").read_text() == FRONTEND + "def (:\n"
    assert (project / "app/settings.py").read_text() == FIXED  # good files are still fixed
    assert out.splitlines()[-1].endswith("3 paths could not be checked (left untouched).")

    (project / "app/settings.py").write_text(FRONTEND)
    real = Path.read_bytes

    def deny(self: Path) -> bytes:
        if self.name == "settings.py":
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", deny)
    code, _, err = _run(["--write", "app/settings.py"], capsys)
    assert code == 2
    assert "app/settings.py: error: cannot read: Permission denied; left untouched" in err
    monkeypatch.undo()
    assert (project / "app/settings.py").read_text() == FRONTEND


def test_bom_crlf_and_mode_are_kept(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = project / "app/settings.py"
    path.write_bytes(b"\xef\xbb\xbf" + FRONTEND.replace("\n", "\r\n").encode())
    path.chmod(0o754)
    assert _run(["--write", str(path)], capsys)[0] == 0
    assert path.read_bytes() == b"\xef\xbb\xbf" + FIXED.replace("\n", "\r\n").encode()
    assert path.stat().st_mode & 0o777 == 0o754
    assert not [p for p in path.parent.iterdir() if "clerk-upgrade" in p.name]  # no temporary file left


def test_explain_and_usage(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["--explain", "cu204"], capsys)
    assert code == 0 and out.startswith("CU204: ") and "merge_metadata" in out
    assert _run(["--explain", "CU999"], capsys)[0] == 2
    assert _run(["--ignore", "XX1", "."], capsys)[0] == 2


def test_console_script_end_to_end(tmp_path: Path) -> None:
    """The installed ``clerk-upgrade`` script on a small project: check, write, check again."""
    script = Path(sys.executable).with_name("clerk-upgrade")
    assert script.exists(), "clerk-upgrade is installed by build/setup.sh (pip install -e ./upgrade)"
    _project(tmp_path, {
        "app.py": FRONTEND,
        "backend.py": ("from clerk_backend_api import Clerk\n\nwith Clerk(bearer_auth='sk') as clerk:\n"
                       "    clerk.users.update(user_id='u', first_name='Ada', public_metadata={'plan': 'pro'})\n"),
        "notebook.ipynb": json.dumps({"cells": [{"cell_type": "code", "metadata": {}, "outputs": [],
                                                 "execution_count": None, "source": FRONTEND}],
                                      "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=1) + "\n",
        "ignored/old.py": FRONTEND, ".gitignore": "ignored/\n",
    })
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(script), *args], cwd=tmp_path, capture_output=True, text=True, env=env,
                              timeout=120)

    checked = run("--check", ".")
    assert checked.returncode == 1, checked.stderr
    assert "backend.py:4:5: CU201 [*]" in checked.stdout
    assert "notebook.ipynb:cell 1:8:11: CU101 [*]" in checked.stdout
    assert "ignored/" not in checked.stdout
    written = run("--write", ".")
    assert written.returncode == 0, written.stderr
    assert "3 fixed in 3 files" in written.stdout
    assert (tmp_path / "backend.py").read_text().splitlines()[3:] == [
        "    clerk.users.update(user_id='u', first_name='Ada')",
        "    clerk.users.replace_metadata(user_id='u', public_metadata={'plan': 'pro'})"]
    assert json.loads((tmp_path / "notebook.ipynb").read_text())["cells"][0]["source"] == FIXED
    again = run("--check", ".")
    assert again.returncode == 0, again.stdout
    assert again.stdout.strip() == "No pre-2026-05-12 metadata calls found in 3 files."
    assert (tmp_path / "ignored/old.py").read_text() == FRONTEND
    module = subprocess.run([sys.executable, "-m", "clerk_upgrade", "--version"], capture_output=True, text=True)
    assert module.stdout.startswith("clerk-upgrade ")


def test_names_imported_from_project_modules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    """A client made in one module and used in another is resolved through the import (absolute or relative)."""
    monkeypatch.chdir(tmp_path)
    _project(tmp_path, {
        "app/__init__.py": "",
        "app/clients.py": ("from clerk_backend_api import Clerk\nfrom clerk_frontend import Clerk as Browser\n\n"
                           "backend = Clerk(bearer_auth='sk')\nbrowser = Browser('pk_test_x')\n"
                           "maybe = Clerk(bearer_auth='sk') if backend else None\n\n\n"
                           "async def signed_in() -> Browser:\n    return browser\n"),
        "app/views.py": ("from app.clients import backend, maybe\nfrom . import clients\n"
                         "from .clients import signed_in\n\n\nasync def view(uid):\n"
                         "    backend.users.update(user_id=uid, public_metadata={'a': 1})\n"
                         "    clients.browser.user.update(unsafe_metadata={'b': 2})\n"
                         "    clerk = await signed_in()\n"
                         "    await clerk.user.update(unsafe_metadata={'c': 3})\n"
                         "    maybe.users.update(user_id=uid, public_metadata={'d': 4})\n"),
    })
    code, out, _ = _run(["--write", "app"], capsys)
    assert code == 0, out
    assert (tmp_path / "app/views.py").read_text().splitlines()[6:] == [
        "    backend.users.replace_metadata(user_id=uid, public_metadata={'a': 1})",
        "    clients.browser.user.replace_metadata(unsafe_metadata={'b': 2})",
        "    clerk = await signed_in()",
        "    await clerk.user.replace_metadata(unsafe_metadata={'c': 3})",
        "    maybe.users.update(user_id=uid, public_metadata={'d': 4})",  # Clerk or None: not proven
    ]
    assert "app/views.py:11:5: CU401" in out


def test_a_rewrite_that_would_not_parse_is_never_written(project: Path, capsys: pytest.CaptureFixture[str],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """The last guard: rewritten code is parsed before anything is written (a broken rewrite is simulated)."""
    import libcst as cst

    monkeypatch.setattr(cst.Module, "code", property(lambda self: "await user.update_metadata(\n"))
    code, _, err = _run(["--write", "app"], capsys)
    assert code == 2
    assert "app/settings.py: error: internal error: the rewrite would not parse" in err
    assert (project / "app/settings.py").read_text() == FRONTEND
