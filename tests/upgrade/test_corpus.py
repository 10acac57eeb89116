"""The corpus: each realistic snippet gives exactly the expected report and rewrite; rewrites parse, are
idempotent, and only call methods that exist in clerk-backend-api 7.0.0 and this SDK."""

from __future__ import annotations

import inspect
import re

import libcst as cst
import pytest
from clerk_backend_api.organizations_sdk import OrganizationsSDK
from clerk_backend_api.users import Users
from clerk_upgrade import check_text
from upgrade_support import Case, parses, read_corpus

from clerk_frontend import User

CASES = read_corpus()


def _report(text: str, name: str) -> list[str]:
    return [f"{f.line}:{f.column} {f.code} {f.severity}" for f in check_text(text, name).findings]


def test_corpus_is_substantial() -> None:
    codes = {line.split()[1] for case in CASES for line in case.report}
    assert len(CASES) >= 25
    assert codes >= {"CU101", "CU102", "CU103", "CU104", "CU201", "CU202", "CU203", "CU204", "CU205", "CU206",
                     "CU301", "CU302", "CU303", "CU401"}
    assert any(not case.report for case in CASES)  # traps that must stay silent


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_case(case: Case) -> None:
    result = check_text(case.before, f"{case.name}.py")
    assert not result.errors
    assert [f"{f.line}:{f.column} {f.code} {f.severity}" for f in result.findings] == case.report
    for finding in result.findings:
        if finding.severity != "warning":
            assert "2026-05-12" in finding.message, finding.message
    assert result.new_text == case.after
    if case.after is None:
        assert not any(f.severity == "fix" for f in result.findings)
        return
    # Still valid Python: for CPython whenever the input was (newer syntax, as PyScript's 3.14 allows, is
    # judged by libcst's parser alone).
    assert parses(case.after) or not parses(case.before)
    cst.parse_module(case.after)
    # Idempotent: the rewritten code has nothing left to fix, and what needed a person still does.
    again = check_text(case.after, f"{case.name}.py")
    assert again.new_text is None
    assert not any(f.severity == "fix" for f in again.findings)
    manual = sorted(f.code for f in result.findings if f.severity == "manual")
    assert sorted(f.code for f in again.findings if f.severity == "manual") == manual


def test_rewrites_call_methods_that_exist() -> None:
    """Every method a rewrite introduces exists with the keyword it is given (no guessed API names)."""
    owners = {"users": Users, "organizations": OrganizationsSDK}
    seen = set()
    for case in CASES:
        if case.after is None:
            continue
        before = set(case.before.splitlines())
        introduced = "\n".join(line for line in case.after.splitlines() if line not in before)
        for owner, method, args in re.findall(r"\.(users|organizations)\.(\w+)\(([^()]*)", introduced):
            function = getattr(owners[owner], method)
            params = inspect.signature(function).parameters
            for keyword in re.findall(r"(\w+)=", args):
                assert keyword in params, (owner, method, keyword)
            seen.add(f"{owner}.{method}")
        for method in re.findall(r"user\.(update_metadata|replace_metadata)\(", introduced):
            assert "unsafe_metadata" in inspect.signature(getattr(User, method)).parameters
            seen.add(f"User.{method}")
    assert seen >= {"users.update_metadata", "users.replace_metadata", "users.update_metadata_async",
                    "users.replace_metadata_async", "organizations.merge_metadata",
                    "organizations.replace_metadata", "organizations.replace_metadata_async",
                    "User.update_metadata", "User.replace_metadata"}
    assert not hasattr(OrganizationsSDK, "update_metadata")  # why organizations use merge_metadata


def test_messages_say_what_to_do() -> None:
    messages: dict[str, str] = {}
    for case in CASES:
        for finding in check_text(case.before, f"{case.name}.py").findings:
            messages[finding.code] = messages.get(finding.code, "") + "\n" + finding.message
    assert "`user.update(first_name=\"A\")` then `user.replace_metadata(unsafe_metadata={\"a\": 1})`" \
        in messages["CU103"]
    assert "merge_metadata" in messages["CU204"]
    assert "PUT /v1/users/{id}/metadata" in messages["CU301"]
    assert "PATCH /v1/me/metadata" in messages["CU303"]
    assert "cannot be proven" in messages["CU401"]
    assert "merges it into the stored" in messages["CU206"]


def test_unsplittable_statement_shows_the_exact_fix() -> None:
    case = next(c for c in CASES if c.name == "frontend_split_impossible")
    (finding,) = check_text(case.before, "x.py").findings
    assert ('`new_metadata = {"greeting": f"Hello {user.first_name}"}` first (arguments are evaluated before the '
            'old call ran), then `await user.update(first_name=name.title())` then '
            '`await user.replace_metadata(unsafe_metadata=new_metadata)`') in finding.message


def test_split_keeps_comments_and_layout() -> None:
    case = next(c for c in CASES if c.name == "frontend_split_statement")
    assert case.after is not None
    assert "        # name and theme in one go\n        await user.update(first_name=first)\n" in case.after
    assert '        unsafe_metadata={"step": 2},  # replace\n    )\n    return updated' in case.after


def test_unknown_names_are_reported_never_rewritten() -> None:
    source = "async def f(user):\n    await user.update(unsafe_metadata={'a': 1})\n"
    result = check_text(source, "x.py")
    assert _report(source, "x.py") == ["2:11 CU401 manual"]
    assert result.new_text is None
