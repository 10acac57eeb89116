"""Finding records and the rule catalogue (codes, titles, explanations)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

__all__ = ["RULES", "Finding", "Rule", "Severity"]

Severity = Literal["fix", "manual", "warning"]


@dataclass(frozen=True)
class Rule:
    """One finding code: what it detects and what the tool does about it."""

    code: str
    title: str
    explanation: str


@dataclass
class Finding:
    """One reported place. Lines are 1-based, columns 1-based (like ruff); ``cell`` is a notebook cell (1-based).

    ``severity``: ``fix`` (rewritten by ``--write``), ``manual`` (reported, needs a person) or ``warning``
    (attached to a rewrite whose result can differ from the old behaviour in a corner case).
    """

    path: str
    line: int
    column: int
    code: str
    message: str
    severity: Severity
    end_line: int = 0
    end_column: int = 0
    cell: int | None = None
    fixed: bool = False
    replacement: str | None = field(default=None, compare=False)

    def location(self) -> str:
        """``path:line:col`` (``path:cell N:line:col`` inside a notebook)."""
        cell = f"cell {self.cell}:" if self.cell is not None else ""
        return f"{self.path}:{cell}{self.line}:{self.column}"

    def to_json(self) -> dict[str, object]:
        """The finding as a JSON-ready dict (the ``--json`` output)."""
        return {
            "path": self.path, "cell": self.cell, "line": self.line, "column": self.column,
            "end_line": self.end_line, "end_column": self.end_column, "code": self.code,
            "severity": self.severity, "fixable": self.severity == "fix", "fixed": self.fixed,
            "message": self.message, "replacement": self.replacement,
        }


_CHANGE = ("API version 2026-05-12 removed metadata from the general update endpoints "
           "(PATCH /v1/me, PATCH /v1/users/{id}, PATCH /v1/organizations/{id}): they now answer 422.")

RULES: dict[str, Rule] = {rule.code: rule for rule in [
    Rule("CU101", "frontend User.update(unsafe_metadata={**current, ...}) -> update_metadata",
         f"{_CHANGE} A value spreading the user's current unsafe_metadata means 'change these keys'; the fix "
         "calls user.update_metadata(unsafe_metadata={only the new keys}) (PATCH /v1/me/metadata, a deep merge "
         "done by the server). Other fields passed in the same call stay in user.update()."),
    Rule("CU102", "frontend User.update(unsafe_metadata=value) -> replace_metadata",
         f"{_CHANGE} Any other value meant 'make it exactly this'; the fix calls "
         "user.replace_metadata(unsafe_metadata=value), which makes the stored value equal to it."),
    Rule("CU103", "frontend update mixing fields and metadata inside an expression",
         f"{_CHANGE} The call also sets other fields and is part of a larger expression (or its arguments "
         "cannot be reordered safely), so it cannot be split into two calls automatically; the message shows the "
         "two calls to write instead."),
    Rule("CU104", "public/private metadata passed to the frontend User.update()",
         "The Frontend API never accepted public_metadata or private_metadata; since 2026-05-12 it also "
         "rejects unsafe_metadata on PATCH /v1/me. Set public/private metadata from your backend "
         "(clerk-backend-api: users.update_metadata / users.replace_metadata)."),
    Rule("CU201", "backend users.update(<metadata>=value) -> users.replace_metadata",
         f"{_CHANGE} clerk-backend-api 6.0.0 and later dropped the metadata arguments of users.update() "
         "(old calls raise TypeError). The old endpoint replaced each given metadata field in full, so the "
         "behaviour-preserving fix is users.replace_metadata(user_id=..., <field>=value) "
         "(PUT /v1/users/{id}/metadata); other fields stay in users.update()."),
    Rule("CU202", "backend users.update(<metadata>={**current, ...}) -> users.update_metadata",
         f"{_CHANGE} A value spreading the current metadata means 'change these keys'; the fix calls "
         "users.update_metadata(user_id=..., <field>={only the new keys}) (PATCH /v1/users/{id}/metadata, "
         "deep merge)."),
    Rule("CU203", "backend organizations.update(<metadata>=value) -> organizations.replace_metadata",
         f"{_CHANGE} clerk-backend-api 6.0.0 and later dropped the metadata arguments of organizations.update(). "
         "The behaviour-preserving fix is organizations.replace_metadata(organization_id=..., <field>=value) "
         "(PUT /v1/organizations/{id}/metadata)."),
    Rule("CU204", "backend organizations.update(<metadata>={**current, ...}) -> organizations.merge_metadata",
         f"{_CHANGE} A spread of the current value means 'change these keys'; the fix calls "
         "organizations.merge_metadata(organization_id=..., <field>={only the new keys}) "
         "(PATCH /v1/organizations/{id}/metadata, deep merge). clerk-backend-api 7.0.0 names this method "
         "merge_metadata; it has no organizations.update_metadata."),
    Rule("CU205", "backend update call that cannot be rewritten automatically",
         f"{_CHANGE} The call passes metadata in a way the tool cannot rewrite safely (inside a larger "
         "expression while other fields need their own call, through an opaque request=/**kwargs value, with "
         "positional arguments, or with arguments whose evaluation order would change); the message says what "
         "to write instead."),
    Rule("CU206", "merge instead of replace differs for a nested dict or None value",
         "The old endpoints replaced the whole metadata value, the merge endpoints merge deeply: a new key whose "
         "value is a dict is merged into the stored dict instead of replacing it, and None deletes the key "
         "instead of storing null. If you relied on the old result, use the replace method with the full value."),
    Rule("CU301", "raw HTTP PATCH /v1/users/{id} with metadata",
         f"{_CHANGE} Send metadata to PUT /v1/users/{{id}}/metadata (each given field replaced in full, as the "
         "old endpoint did) or PATCH /v1/users/{id}/metadata (deep merge); keep the other fields on "
         "PATCH /v1/users/{id}."),
    Rule("CU302", "raw HTTP PATCH /v1/organizations/{id} with metadata",
         f"{_CHANGE} Send metadata to PUT /v1/organizations/{{id}}/metadata (replace) or "
         "PATCH /v1/organizations/{id}/metadata (deep merge)."),
    Rule("CU303", "raw HTTP PATCH /v1/me with metadata",
         f"{_CHANGE} Send unsafe_metadata to PATCH /v1/me/metadata (form field unsafe_metadata holding a JSON "
         "object; deep merge, null deletes a key). public/private metadata can only be written by the "
         "Backend API."),
    Rule("CU401", "looks like a pre-2026-05-12 metadata call, receiver not proven",
         "An update()/update_async() call passes metadata, but the tool cannot prove what its receiver is "
         "(a clerk_frontend User, clerk-backend-api's users/organizations, or something else), so it is "
         "reported and never rewritten. Annotate the variable (user: User, clerk: Clerk) or bind it visibly "
         "(user = clerk.user, clerk = Clerk(...)) and run again, or mark the line '# noqa: CU401'."),
]}
