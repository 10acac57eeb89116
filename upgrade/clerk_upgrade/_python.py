"""The Python rules: find pre-2026-05-12 metadata calls in one module's source and rewrite the provable ones."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import libcst as cst
from libcst.metadata import Assignment, PositionProvider

from . import _http
from ._resolve import (
    BE_ORGS,
    BE_USERS,
    FE_CLERK,
    FE_STATE,
    FE_SYNC_CLERK,
    FE_SYNC_USER,
    FE_USER,
    OTHER,
    UNKNOWN,
    Resolver,
)
from .findings import Severity

__all__ = ["Analysis", "ParseFailure", "RawFinding", "analyze"]

FRONTEND_UNSAFE = {"unsafe_metadata": "unsafe_metadata", "unsafeMetadata": "unsafe_metadata"}
FRONTEND_BACKEND_ONLY = {"public_metadata", "publicMetadata", "private_metadata", "privateMetadata"}
BACKEND_METADATA = {BE_USERS: ("public_metadata", "private_metadata", "unsafe_metadata"),
                    BE_ORGS: ("public_metadata", "private_metadata")}
BACKEND_IDS = {BE_USERS: "user_id", BE_ORGS: "organization_id"}
BACKEND_OPTIONS = {"retries", "server_url", "timeout_ms", "http_headers"}
ALL_METADATA_NAMES = set(FRONTEND_UNSAFE) | FRONTEND_BACKEND_ONLY
# Keyword arguments each candidate API accepts (clerk_frontend User.update; clerk-backend-api 7.0.0
# users.update / organizations.update, plus the metadata fields older releases took). A call using any other
# keyword cannot be one of them, which keeps unresolved receivers such as dicts out of the report.
_FRONTEND_FIELDS = {"username", "first_name", "last_name", "primary_email_address_id", "primary_phone_number_id",
                    "primary_web3_wallet_id"} | ALL_METADATA_NAMES
_USER_FIELDS = {"user_id", "external_id", "first_name", "last_name", "locale", "primary_email_address_id",
                "notify_primary_email_address_changed", "primary_phone_number_id", "primary_web3_wallet_id",
                "username", "profile_image_id", "password", "password_digest", "password_hasher",
                "skip_password_checks", "sign_out_of_other_sessions", "totp_secret", "backup_codes",
                "delete_self_enabled", "create_organization_enabled", "legal_accepted_at", "skip_legal_checks",
                "create_organizations_limit", "created_at", "bypass_client_trust", "public_metadata",
                "private_metadata", "unsafe_metadata"} | BACKEND_OPTIONS
_ORGANIZATION_FIELDS = {"organization_id", "name", "slug", "max_allowed_memberships", "admin_delete_enabled",
                        "created_at", "role_set_key", "public_metadata", "private_metadata"} | BACKEND_OPTIONS
# Frontend objects updated in place by a call: reading them later may see the call's effect.
_FRONTEND_LIVE = (FE_USER, FE_CLERK, FE_STATE, FE_SYNC_USER, FE_SYNC_CLERK)
_HTTP_FUNCTIONS = {"patch", "post", "request", "build_request", "Request", "stream", "pyfetch", "fetch"}
# What the refusal raises: code calling the old form inside a handler for these means to provoke it.
_REFUSAL_ERRORS = {"MetadataRefusedError", "MetadataError"}
_NOQA = re.compile(r"#\s*noqa(?::\s*(?P<codes>[A-Z]+[0-9]+(?:\s*,\s*[A-Z]+[0-9]+)*))?", re.IGNORECASE)


class ParseFailure(Exception):
    """The source is not valid Python; ``line``/``column`` are 1-based (0 when unknown)."""

    def __init__(self, message: str, line: int = 0, column: int = 0) -> None:
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


@dataclass
class RawFinding:
    """A finding in the analysed source: 1-based lines, 0-based columns."""

    line: int
    column: int
    end_line: int
    end_column: int
    code: str
    message: str
    severity: Severity
    replacement: str | None = None


@dataclass
class Analysis:
    """Findings of one source and, when fixing, the rewritten source (equal to the input if nothing changed)."""

    findings: list[RawFinding]
    code: str


@dataclass
class _Field:
    name: str                       # snake_case metadata field
    value: cst.BaseExpression       # the value as written
    arg: cst.Arg | None             # the original argument (None when it came from a request= dict)
    patch: cst.BaseExpression | None = None  # the merge patch when the value spreads the current value


@dataclass
class _Args:
    ident: list[cst.Arg] = field(default_factory=list)
    options: list[cst.Arg] = field(default_factory=list)
    others: list[cst.Arg] = field(default_factory=list)
    fields: list[_Field] = field(default_factory=list)
    order: list[cst.Arg] = field(default_factory=list)  # every argument in source order (synthesised ones too)
    problem: str | None = None


@dataclass
class _Plan:
    call: cst.Call
    code: str
    severity: Severity
    message: str
    new_calls: list[cst.Call] = field(default_factory=list)
    statement: cst.BaseSmallStatement | None = None
    awaited: bool = False
    replacement: str | None = None
    warnings: list[tuple[cst.CSTNode, str]] = field(default_factory=list)


def analyze(code: str, *, fix: bool = True, ignore: frozenset[str] = frozenset(),
            importer: Callable[[str], Resolver | None] | None = None) -> Analysis:
    """Find affected calls in ``code``; with ``fix``, also return it with the provable ones rewritten.

    Raises :class:`ParseFailure` when ``code`` does not parse. The rewritten code is checked to parse before it
    is returned; a rewrite that would not parse raises :class:`RuntimeError` (a bug, never silently written).
    """
    compiled = _compiles(code)
    if compiled is not None and not _worth_analyzing(compiled, code):
        return Analysis([], code)
    try:
        module = cst.parse_module(code)
    except cst.ParserSyntaxError as exc:
        line, column, message = exc.raw_line, exc.raw_column + 1, exc.message
        # libcst's tokenizer errors point at line 1: CPython's parser says where it stops, and says it better.
        try:
            compile(code, "<check>", "exec", flags=ast.PyCF_ONLY_AST | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT,
                    dont_inherit=True)
        except SyntaxError as syntax:
            line, column, message = syntax.lineno or line, syntax.offset or column, syntax.msg or message
        raise ParseFailure(message, line, column) from None
    wrapper = cst.MetadataWrapper(module, unsafe_skip_copy=True)
    resolver = Resolver(wrapper, importer)
    finder = _Finder(resolver)
    for call in resolver.calls:
        finder.check(call)
    if not finder.plans and not finder.http:
        return Analysis([], code)
    positions = wrapper.resolve(PositionProvider)
    lines = code.splitlines()

    findings: list[RawFinding] = []
    applied: list[_Plan] = []
    for plan in finder.plans:
        start = positions[plan.call].start
        end = positions[plan.call].end
        if plan.code in ignore or _suppressed(lines, start.line, end.line, plan.code):
            continue
        findings.append(RawFinding(start.line, start.column, end.line, end.column, plan.code, plan.message,
                                   plan.severity, plan.replacement))
        for node, message in plan.warnings:
            if "CU206" in ignore or _suppressed(lines, start.line, end.line, "CU206"):
                continue
            where = positions[node]
            findings.append(RawFinding(where.start.line, where.start.column, where.end.line, where.end.column,
                                       "CU206", message, "warning"))
        if plan.severity == "fix":
            applied.append(plan)
    for hit in finder.http:
        where = positions[hit.node]
        if hit.code in ignore or _suppressed(lines, where.start.line, where.end.line, hit.code):
            continue
        findings.append(RawFinding(where.start.line, where.start.column, where.end.line, where.end.column,
                                   hit.code, hit.message, "manual"))
    findings.sort(key=lambda f: (f.line, f.column, f.code))
    if not fix or not applied:
        return Analysis(findings, code)
    new_module = module.visit(_Rewriter(applied))
    new_code = new_module.code
    if compiled is not None:
        check_parses(new_code)
    else:  # syntax newer than this interpreter's (PyScript runs Python 3.14): libcst's parser is the judge
        try:
            cst.parse_module(new_code)
        except cst.ParserSyntaxError as exc:
            raise RuntimeError(f"internal error: the rewrite would not parse ({exc.message})") from exc
    return Analysis(findings, new_code)


def _compiles(code: str) -> ast.Module | None:
    """CPython's own syntax tree, or None when this interpreter cannot parse the code (an error, or syntax of a
    newer Python: libcst then decides)."""
    try:
        tree: ast.Module = compile(code, "<check>", "exec",
                                   flags=ast.PyCF_ONLY_AST | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT, dont_inherit=True)
    except (SyntaxError, ValueError):
        return None
    return tree


def _worth_analyzing(tree: ast.Module, code: str) -> bool:
    """A fast look with ``ast`` (libcst's scope analysis is slow): is there any call a rule could report?"""
    if "etadata" not in code and "clerk_backend_api" not in code:
        return False
    backend = "clerk_backend_api" in code
    provoking = _inside_pytest_raises(tree)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or id(node) in provoking:
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        if name in ("update", "update_async"):
            keywords = {keyword.arg for keyword in node.keywords}
            if None in keywords and backend:
                return True
            if node.args or not keywords & (ALL_METADATA_NAMES | {"request", "request_body"}):
                continue
            if keywords <= _FRONTEND_FIELDS | _USER_FIELDS | _ORGANIZATION_FIELDS | {"request", "request_body"}:
                return True
        elif name in _HTTP_FUNCTIONS and "etadata" in code and _maybe_patch(node, name, code) and _may_carry_metadata(
                node):
            return True
    return False


def _inside_pytest_raises(tree: ast.Module) -> set[int]:
    """Ids of the calls written inside ``with pytest.raises(...)`` blocks (deliberate, never reported)."""
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.With, ast.AsyncWith)) and any(
                isinstance(item.context_expr, ast.Call) and isinstance(item.context_expr.func, ast.Attribute)
                and item.context_expr.func.attr == "raises" and isinstance(item.context_expr.func.value, ast.Name)
                and item.context_expr.func.value.id == "pytest" for item in node.items):
            inside.update(id(call) for statement in node.body for call in ast.walk(statement)
                          if isinstance(call, ast.Call))
    return inside


def _may_carry_metadata(call: ast.Call) -> bool:
    """Does the request show metadata, or carry a body the fast look cannot see into?"""
    for node in ast.walk(call):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and "etadata" in node.value:
            return True
        if isinstance(node, ast.keyword) and node.arg is not None and "etadata" in node.arg:
            return True
    bodies = [keyword.value for keyword in call.keywords if keyword.arg in ("json", "data", "content", "body",
                                                                            "files", "params", None)]
    bodies += call.args[1:]
    return any(isinstance(body, (ast.Name, ast.Attribute, ast.Call, ast.Subscript)) for body in bodies)


def _maybe_patch(call: ast.Call, name: str, code: str) -> bool:
    """Could this request be a PATCH? Its method, URL or body must say so, or come from a name."""
    if name == "patch":
        return True
    if "PATCH" not in code.upper():
        return False
    for node in ast.walk(call):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and "PATCH" in node.value.upper():
            return True
    arguments = [*call.args, *(keyword.value for keyword in call.keywords)]
    return any(isinstance(argument, (ast.Name, ast.Attribute)) for argument in arguments[1:]) or any(
        keyword.arg == "method" and not isinstance(keyword.value, ast.Constant) for keyword in call.keywords)


def check_parses(code: str) -> None:
    """Raise RuntimeError unless ``code`` is valid Python (top-level ``await`` allowed, as in notebooks)."""
    try:
        compile(code, "<rewritten>", "exec", flags=ast.PyCF_ONLY_AST | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT,
                dont_inherit=True)
    except SyntaxError as exc:
        raise RuntimeError(f"internal error: the rewrite would not parse ({exc.msg} at line {exc.lineno})") from exc


def _suppressed(lines: Sequence[str], first: int, last: int, code: str) -> bool:
    for number in range(first, min(last, len(lines)) + 1):
        match = _NOQA.search(lines[number - 1])
        if match is None:
            continue
        codes = match.group("codes")
        if codes is None or code in {c.strip().upper() for c in codes.split(",")}:
            return True
    return False


def render(node: cst.CSTNode) -> str:
    """Source text of a node."""
    return cst.Module(body=[]).code_for_node(node)


def _same(a: cst.CSTNode, b: cst.CSTNode) -> bool:
    return re.sub(r"\s+", "", render(a)) == re.sub(r"\s+", "", render(b))


class _Finder:
    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver
        self.plans: list[_Plan] = []
        self.http: list[_http.HttpHit] = []

    def check(self, node: cst.Call) -> None:
        hit = _http.check(node, self.resolver)
        if hit is not None:
            self.http.append(hit)
            return
        func = node.func
        if not isinstance(func, cst.Attribute) or func.attr.value not in {"update", "update_async"}:
            return
        if self._deliberate(node):
            return
        receiver = self.resolver.kind(func.value)
        method = func.attr.value
        if receiver in (FE_USER, FE_SYNC_USER) and method == "update":
            plan = _frontend_plan(node, self.resolver, blocking=receiver == FE_SYNC_USER)
        elif receiver in (BE_USERS, BE_ORGS):
            plan = _backend_plan(node, receiver, self.resolver)
        elif receiver == UNKNOWN:
            plan = _unresolved_plan(node)
        else:
            plan = None
        if plan is not None:
            self.plans.append(plan)

    def _deliberate(self, node: cst.Call) -> bool:
        """Inside ``pytest.raises(...)`` or a ``try`` that catches the SDK's refusal: meant to provoke it."""
        child: cst.CSTNode = node
        for ancestor in self.resolver.ancestors(node):
            if isinstance(ancestor, cst.With):
                for item in ancestor.items:
                    if isinstance(item.item, cst.Call) and "pytest.raises" in self.resolver.qualified_names(
                            item.item.func):
                        return True
            if isinstance(ancestor, cst.Try) and child is ancestor.body:
                for handler in ancestor.handlers:
                    if handler.type is not None and _names_refusal(handler.type, self.resolver):
                        return True
            child = ancestor
        return False


def _names_refusal(node: cst.BaseExpression, resolver: Resolver) -> bool:
    if isinstance(node, cst.Tuple):
        return any(_names_refusal(element.value, resolver) for element in node.elements)
    names = resolver.qualified_names(node)
    return any(name.startswith("clerk_frontend") and name.rpartition(".")[2] in _REFUSAL_ERRORS for name in names)


# -- argument handling --------------------------------------------------------------------------------------------

def _keyword(name: str, value: cst.BaseExpression) -> cst.Arg:
    return cst.Arg(value=value, keyword=cst.Name(name),
                   equal=cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""),
                                         whitespace_after=cst.SimpleWhitespace("")))


def _dict_as_keywords(node: cst.BaseExpression) -> list[tuple[str, cst.BaseExpression]] | None:
    """A ``request=`` dict literal as keyword arguments, or None when it is not a plain literal."""
    if not isinstance(node, cst.Dict):
        return None
    out: list[tuple[str, cst.BaseExpression]] = []
    for element in node.elements:
        if not isinstance(element, cst.DictElement) or not isinstance(element.key, cst.SimpleString):
            return None
        key = element.key.evaluated_value
        if not isinstance(key, str) or not key.isidentifier():
            return None
        out.append((key, element.value))
    return out


def _with_commas(args: Sequence[cst.Arg], template: Sequence[cst.Arg]) -> list[cst.Arg]:
    """Arguments re-joined with commas, keeping the call's layout: the last one takes the original last
    argument's trailing comma and closing whitespace, and keeps its own trailing comment."""
    if not args:
        return []
    original_last = template[-1]
    out: list[cst.Arg] = []
    for index, arg in enumerate(args):
        if index < len(args) - 1:
            if isinstance(arg.comma, cst.MaybeSentinel):
                arg = arg.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
            out.append(arg)
            continue
        if arg is original_last:
            out.append(arg)
            continue
        closing = original_last.comma
        if isinstance(closing, cst.Comma):
            own = arg.comma.whitespace_after if isinstance(arg.comma, cst.Comma) else None
            after = closing.whitespace_after
            if isinstance(own, cst.ParenthesizedWhitespace) and isinstance(after, cst.ParenthesizedWhitespace):
                after = after.with_changes(first_line=own.first_line, empty_lines=own.empty_lines)
            closing = closing.with_changes(whitespace_after=after)
        out.append(arg.with_changes(comma=closing, whitespace_after_arg=original_last.whitespace_after_arg))
    return out


def _impure(node: cst.CSTNode, resolver: Resolver, receiver_names: set[str]) -> bool:
    """True when evaluating ``node`` later could give another value: calls, awaits, walruses, yields, or
    (frontend) reads of the receiver, which the first call updates in place."""
    found = False

    class Walker(cst.CSTVisitor):
        def on_visit(self, n: cst.CSTNode) -> bool:
            nonlocal found
            effect = isinstance(n, (cst.Call, cst.Await, cst.NamedExpr, cst.Yield))
            reads_receiver = isinstance(n, cst.Name) and bool(receiver_names) and (
                n.value in receiver_names or resolver.kind(n) in _FRONTEND_LIVE)
            found = found or effect or reads_receiver
            return not found

    node.visit(Walker())
    return found


def _root_names(node: cst.BaseExpression) -> set[str]:
    while isinstance(node, (cst.Attribute, cst.Subscript)):
        node = node.value
    return {node.value} if isinstance(node, cst.Name) else set()


# -- spreads of the current value ---------------------------------------------------------------------------------

def _is_current(node: cst.BaseExpression, field_names: set[str], receiver: cst.BaseExpression | None,
                resolver: Resolver, depth: int = 0) -> bool:
    """Does ``node`` read the current stored value of the metadata field (``user.unsafe_metadata``...)?"""
    if depth > 4:
        return False
    if isinstance(node, cst.BooleanOperation) and isinstance(node.operator, cst.Or):
        right = node.right
        if isinstance(right, cst.Dict) and not right.elements:
            return _is_current(node.left, field_names, receiver, resolver, depth + 1)
        return False
    if isinstance(node, cst.Attribute) and node.attr.value in field_names:
        if receiver is None:
            return True  # backend: any object's same field (a user fetched with users.get, a webhook payload)
        return _same(node.value, receiver) or resolver.kind(node.value) in (FE_USER, FE_SYNC_USER)
    if isinstance(node, cst.Subscript) and receiver is None and len(node.slice) == 1:
        index = node.slice[0].slice
        if isinstance(index, cst.Index) and isinstance(index.value, cst.SimpleString):
            return index.value.evaluated_value in field_names
    if isinstance(node, cst.Name):
        scope = resolver.scope_of(node)
        if scope is None or node.value not in scope:
            return False
        assignments = list(scope[node.value])
        if len(assignments) != 1 or not isinstance(assignments[0], Assignment):
            return False
        target = assignments[0].node
        assign_target = resolver.parent(target)
        statement = resolver.parent(assign_target) if assign_target is not None else None
        if isinstance(target, cst.Name) and isinstance(assign_target, cst.AssignTarget) and isinstance(
                statement, cst.Assign) and len(statement.targets) == 1:
            return _is_current(statement.value, field_names, receiver, resolver, depth + 1)
    return False


def _merge_patch(value: cst.BaseExpression, field_names: set[str], receiver: cst.BaseExpression | None,
                 resolver: Resolver) -> cst.BaseExpression | None:
    """For ``{**current, k: v}``, ``dict(current, k=v)`` or ``current | {k: v}``: the dict of new keys only."""
    if isinstance(value, cst.Dict) and value.elements:
        first, rest = value.elements[0], value.elements[1:]
        if (isinstance(first, cst.StarredDictElement) and _is_current(first.value, field_names, receiver, resolver)
                and not any(isinstance(element, cst.StarredDictElement) for element in rest)):
            lbrace = value.lbrace
            moved = first.comma.whitespace_after if isinstance(first.comma, cst.Comma) else None
            if moved is not None and _has_comment(moved) and not _has_comment(lbrace.whitespace_after):
                lbrace = lbrace.with_changes(whitespace_after=moved)
            return value.with_changes(elements=rest, lbrace=lbrace, lpar=[], rpar=[])
        return None
    if (isinstance(value, cst.Call) and isinstance(value.func, cst.Name) and value.func.value == "dict"
            and resolver.kind(value.func) == OTHER and value.args):
        first_arg, rest_args = value.args[0], value.args[1:]
        if (first_arg.keyword is None and not first_arg.star
                and _is_current(first_arg.value, field_names, receiver, resolver)
                and all(arg.keyword is not None and not arg.star for arg in rest_args)):
            elements = []
            for index, arg in enumerate(rest_args):
                assert arg.keyword is not None
                comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")) if index < len(rest_args) - 1 \
                    else cst.MaybeSentinel.DEFAULT
                elements.append(cst.DictElement(key=cst.SimpleString(repr(arg.keyword.value).replace("'", '"')),
                                                value=arg.value, comma=comma))
            return cst.Dict(elements=elements)
        return None
    if (isinstance(value, cst.BinaryOperation) and isinstance(value.operator, cst.BitOr)
            and _is_current(value.left, field_names, receiver, resolver) and isinstance(value.right, cst.Dict)
            and not any(isinstance(element, cst.StarredDictElement) for element in value.right.elements)):
        return value.right.with_changes(lpar=[], rpar=[])
    return None


def _has_comment(whitespace: cst.BaseParenthesizableWhitespace) -> bool:
    return "#" in render(cst.Dict(elements=[], lbrace=cst.LeftCurlyBrace(whitespace_after=whitespace)))


def _merge_warnings(patch: cst.BaseExpression, name: str, method: str) -> list[tuple[cst.CSTNode, str]]:
    """CU206: keys whose merge differs from the old shallow replace (dict values merge, None deletes)."""
    out: list[tuple[cst.CSTNode, str]] = []
    if not isinstance(patch, cst.Dict):
        return out
    for element in patch.elements:
        if not isinstance(element, cst.DictElement):
            continue
        key = render(element.key)
        value = element.value
        if _is_dict_value(value):
            out.append((value, f"{name}[{key}] is a dict: {method}() merges it into the stored {key} (keys it does "
                               f"not mention are kept), while the old call replaced {key} whole; if the old result "
                               f"matters, pass the full value to the replace method instead"))
        elif isinstance(value, cst.Name) and value.value == "None":
            out.append((value, f"{name}[{key}] is None: {method}() deletes the key {key}, while the old call stored "
                               f"null under it"))
    return out


def _is_dict_value(node: cst.BaseExpression) -> bool:
    if isinstance(node, (cst.Dict, cst.DictComp)):
        return True
    return isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and node.func.value == "dict"


# -- plans ---------------------------------------------------------------------------------------------------------

def _statement_of(call: cst.Call, resolver: Resolver) -> tuple[cst.BaseSmallStatement | None, bool]:
    """The small statement the call *is* (``await call``, ``x = call``, ``return call``...), and if awaited."""
    node: cst.CSTNode = call
    parent = resolver.parent(call)
    awaited = False
    if isinstance(parent, cst.Await) and parent.expression is call:
        awaited, node, parent = True, parent, resolver.parent(parent)
    if isinstance(parent, (cst.Expr, cst.Assign, cst.AnnAssign, cst.Return)) and parent.value is node:
        holder = resolver.parent(parent)
        if isinstance(holder, (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
            return parent, awaited
    return None, awaited


def _awaited(call: cst.Call, resolver: Resolver) -> bool:
    parent = resolver.parent(call)
    return isinstance(parent, cst.Await) and parent.expression is call


def _call_text(call: cst.Call, awaited: bool) -> str:
    return ("await " if awaited else "") + render(call)


def _sequence(plan_calls: list[tuple[str, list[cst.Arg]]], call: cst.Call) -> list[cst.Call]:
    func = call.func
    assert isinstance(func, cst.Attribute)
    return [call.with_changes(func=func.with_changes(attr=cst.Name(name)), args=_with_commas(args, call.args))
            for name, args in plan_calls]


def _order(groups: list[tuple[str, list[cst.Arg], list[cst.BaseExpression]]], receiver: cst.BaseExpression,
           ident: list[cst.Arg], resolver: Resolver, receiver_names: set[str]
           ) -> list[tuple[str, list[cst.Arg]]] | None:
    """Order the calls so that arguments evaluated after an earlier call cannot see its effect.

    ``groups``: (method, args, values that only this call evaluates). The first call evaluates its values
    before anything changed, as the old single call did; the others must be side-effect free and not read
    what the earlier calls change. The receiver and id are evaluated once per call, so they must be pure.
    """
    if len(groups) == 1:
        return [(name, args) for name, args, _ in groups]
    if _impure(receiver, resolver, set()) or any(_impure(arg.value, resolver, set()) for arg in ident):
        return None
    candidates = [groups, groups[1:] + groups[:1]]  # the update() call first (default), or last
    for candidate in candidates:
        later = [value for _, _, values in candidate[1:] for value in values]
        if not any(_impure(value, resolver, receiver_names) for value in later):
            return [(name, args) for name, args, _ in candidate]
    return None


def _frontend_plan(call: cst.Call, resolver: Resolver, blocking: bool = False) -> _Plan | None:
    func = call.func
    assert isinstance(func, cst.Attribute)
    receiver = func.value
    unsafe: _Field | None = None
    backend_only: list[str] = []
    others: list[cst.Arg] = []
    problem = None
    for arg in call.args:
        if arg.star or arg.keyword is None:
            problem = "it also passes positional or ** arguments"
            others.append(arg)
        elif arg.keyword.value in FRONTEND_UNSAFE:
            unsafe = _Field("unsafe_metadata", arg.value, arg)
        elif arg.keyword.value in FRONTEND_BACKEND_ONLY:
            backend_only.append(arg.keyword.value)
        else:
            others.append(arg)
    if backend_only:
        return _Plan(call, "CU104", "manual",
                     f"User.update() got {', '.join(backend_only)}: public and private metadata are backend-only, "
                     "the Frontend API never accepted them and since 2026-05-12 rejects all metadata on "
                     "PATCH /v1/me; write them from your backend (clerk-backend-api users.update_metadata / "
                     "users.replace_metadata)")
    if unsafe is None:
        return None
    patch = _merge_patch(unsafe.value, {"unsafe_metadata", "unsafeMetadata"}, receiver, resolver)
    awaited = _awaited(call, resolver)
    assert unsafe.arg is not None
    if patch is not None:
        code, method, new_value = "CU101", "update_metadata", patch
        what = ("the value spreads the current unsafe_metadata, i.e. 'change these keys': the fix calls "
                "user.update_metadata(unsafe_metadata={only the new keys}) (PATCH /v1/me/metadata, deep merge)")
    else:
        code, method, new_value = "CU102", "replace_metadata", unsafe.value
        what = ("any other value meant 'make it exactly this': the fix calls "
                "user.replace_metadata(unsafe_metadata=value), which makes the stored value equal to it")
    meta_arg = unsafe.arg.with_changes(keyword=cst.Name("unsafe_metadata"), value=new_value)
    head = ("User.update() no longer accepts unsafe_metadata (API 2026-05-12 removed metadata from PATCH /v1/me; "
            f"this SDK refuses it): {what}")
    warnings = _merge_warnings(patch, "unsafe_metadata", method) if patch is not None else []
    if patch is None and _literal_none_inside(unsafe.value):
        warnings.append((unsafe.value, "replace_metadata() refuses None values inside the dict (a merge patch "
                                       "cannot store null); the old call stored null"))
    if not others:
        new_calls = _sequence([(method, [meta_arg])], call)
        return _Plan(call, code, "fix", head, new_calls, replacement=_call_text(new_calls[0], awaited),
                     warnings=warnings)
    groups = [("update", others, [arg.value for arg in others]), (method, [meta_arg], [new_value])]
    statement, awaited = _statement_of(call, resolver)
    if not awaited and not blocking and problem is None:
        problem = "it is not awaited here (split calls would not run one after the other)"
    order = _order(groups, receiver, [], resolver, _root_names(receiver)) if problem is None else None
    suggested = _sequence(order or [(name, args) for name, args, _ in groups], call)
    text = " then ".join(f"`{_call_text(c, awaited)}`" for c in suggested)
    if statement is None or order is None:
        reason = problem or ("the call is part of a larger expression" if statement is None
                             else "its arguments read what the other call changes")
        if statement is not None and problem is None:
            hoisted = [_call_text(c, awaited) for c in _sequence(
                [("update", others), (method, [meta_arg.with_changes(value=cst.Name("new_metadata"))])], call)]
            text = (f"`new_metadata = {render(new_value)}` first (arguments are evaluated before the old call ran), "
                    f"then `{hoisted[0]}` then `{hoisted[1]}`")
        return _Plan(call, "CU103", "manual",
                     f"User.update() no longer accepts unsafe_metadata (API 2026-05-12) and this call also sets "
                     f"other fields, but {reason}, so it is not split automatically: write {text}",
                     replacement=text, warnings=warnings)
    return _Plan(call, code, "fix", head + "; the other fields stay in user.update(), called "
                 + ("first" if order[0][0] == "update" else "after it"),
                 suggested, statement, awaited, replacement=text, warnings=warnings)


def _literal_none_inside(node: cst.BaseExpression) -> bool:
    if isinstance(node, cst.Name) and node.value == "None":
        return True
    if isinstance(node, cst.Dict):
        return any(isinstance(e, cst.DictElement) and _literal_none_inside(e.value) for e in node.elements)
    return False


def _backend_args(call: cst.Call, kind: str) -> _Args:
    out = _Args()
    metadata_names = BACKEND_METADATA[kind]
    ident_name = BACKEND_IDS[kind]

    def add(name: str, value: cst.BaseExpression, arg: cst.Arg | None) -> None:
        real = arg if arg is not None else _keyword(name, value)
        out.order.append(real)
        if name == ident_name:
            out.ident.append(real)
        elif name in BACKEND_OPTIONS:
            out.options.append(real)
        elif name in metadata_names:
            out.fields.append(_Field(name, value, real))
        else:
            out.others.append(real)

    def expand(value: cst.BaseExpression, label: str) -> None:
        entries = _dict_as_keywords(value)
        if entries is None:
            out.problem = f"its {label} argument is not a dict literal with plain string keys"
            return
        for key, entry_value in entries:
            if key in {"request_body", "request"}:
                expand(entry_value, key + "=")
            else:
                add(key, entry_value, None)

    for arg in call.args:
        if arg.star or arg.keyword is None:
            out.problem = "it passes positional or ** arguments (clerk-backend-api 7.0.0 takes keywords only)"
            out.order.append(arg)
            out.others.append(arg)
        elif arg.keyword.value in {"request", "request_body"}:
            expand(arg.value, arg.keyword.value + "=")
        else:
            add(arg.keyword.value, arg.value, arg)
    return out


def _backend_plan(call: cst.Call, kind: str, resolver: Resolver) -> _Plan | None:
    func = call.func
    assert isinstance(func, cst.Attribute)
    suffix = "_async" if func.attr.value.endswith("_async") else ""
    args = _backend_args(call, kind)
    resource = "users" if kind == BE_USERS else "organizations"
    path = "/v1/users/{user_id}" if kind == BE_USERS else "/v1/organizations/{organization_id}"
    merge_method = ("update_metadata" if kind == BE_USERS else "merge_metadata") + suffix
    replace_method = "replace_metadata" + suffix
    if not args.fields and args.problem is None:
        return None
    if not args.fields:
        opaque = [arg for arg in call.args if arg.star or (arg.keyword is not None
                                                            and arg.keyword.value in {"request", "request_body"})]
        if not opaque:
            return None
        return _Plan(call, "CU205", "manual",
                     f"{resource}.{func.attr.value}(): {args.problem}, so the tool cannot see whether it sends "
                     f"metadata; API 2026-05-12 rejects metadata on PATCH {path} and clerk-backend-api 7.0.0 "
                     f"takes keyword arguments only: pass metadata to {resource}.{replace_method}() or "
                     f"{resource}.{merge_method}()")
    replace_fields: list[cst.Arg] = []
    merge_fields: list[cst.Arg] = []
    warnings: list[tuple[cst.CSTNode, str]] = []
    replace_values: list[cst.BaseExpression] = []
    merge_values: list[cst.BaseExpression] = []
    field_args: dict[int, cst.Arg] = {}
    for f in args.fields:
        assert f.arg is not None
        patch = _merge_patch(f.value, {f.name}, None, resolver)
        if patch is not None:
            new_arg = f.arg.with_changes(value=patch)
            merge_fields.append(new_arg)
            merge_values.append(patch)
            warnings.extend(_merge_warnings(patch, f.name, f"{resource}.{merge_method}"))
        else:
            new_arg = f.arg
            replace_fields.append(new_arg)
            replace_values.append(f.value)
        field_args[id(f.arg)] = new_arg
    names = ", ".join(f.name for f in args.fields)
    merged = bool(merge_fields)
    code = ("CU202" if merged else "CU201") if kind == BE_USERS else ("CU204" if merged else "CU203")
    parts = []
    if replace_fields:
        parts.append(f"{resource}.{replace_method}() for {', '.join(_arg_name(a) for a in replace_fields)} "
                     f"(PUT {path}/metadata: replaces each field in full, as the old call did)")
    if merge_fields:
        parts.append(f"{resource}.{merge_method}() with only the new keys for "
                     f"{', '.join(_arg_name(a) for a in merge_fields)} (the value spreads the current metadata; "
                     f"PATCH {path}/metadata deep-merges)")
    head = (f"{resource}.{func.attr.value}() no longer takes {names} (API 2026-05-12 rejects metadata on PATCH "
            f"{path}; clerk-backend-api 6.0.0+ raises TypeError): " + " and ".join(parts))
    if args.others:
        head += f"; the other fields stay in {resource}.{func.attr.value}()"

    def in_order(selected: list[cst.Arg], extra: Sequence[cst.Arg] = ()) -> list[cst.Arg]:
        chosen = {id(a) for a in selected} | {id(a) for a in extra}
        result = []
        for a in args.order:
            mapped = field_args.get(id(a), a)
            if id(a) in chosen or id(mapped) in chosen:
                result.append(mapped)
        return result

    base = args.ident + args.options
    groups: list[tuple[str, list[cst.Arg], list[cst.BaseExpression]]] = []
    if args.others:
        groups.append((func.attr.value, in_order(args.others, base), [a.value for a in args.others + args.options]))
    if replace_fields:
        groups.append((replace_method, in_order(replace_fields, base), replace_values))
    if merge_fields:
        groups.append((merge_method, in_order(merge_fields, base), merge_values))
    statement, awaited = _statement_of(call, resolver)
    unsequenced = bool(suffix) and not awaited  # coroutines handed elsewhere: split calls would not run in order
    if unsequenced and args.others and args.problem is None:
        args.problem = "it is not awaited here (split calls would not run one after the other)"
    order = None if args.problem else _order(groups, func.value, args.ident, resolver, set())
    one_call = statement is None or unsequenced
    if args.problem is None and order is not None and len(order) > 1 and one_call and not args.others:
        # Inside an expression: one call is still possible, replacing every field (the old behaviour).
        keep = {id(f.arg) for f in args.fields} | {id(a) for a in base}
        all_fields = [a for a in args.order if id(a) in keep]
        order = [(replace_method, all_fields)]
        warnings = []
        code = "CU201" if kind == BE_USERS else "CU203"
        head = (f"{resource}.{func.attr.value}() no longer takes {names} (API 2026-05-12 rejects metadata on PATCH "
                f"{path}; clerk-backend-api 6.0.0+ raises TypeError): the fix calls {resource}.{replace_method}() "
                f"(PUT {path}/metadata: replaces each field in full, as the old call did)")
    new_calls = _sequence(order or [(name, a) for name, a, _ in groups], call)
    text = " then ".join(f"`{_call_text(c, awaited)}`" for c in new_calls)
    if args.problem is not None or order is None or (len(order) > 1 and one_call):
        reason = args.problem or ("the call is part of a larger expression" if statement is None
                                  else "its receiver, id or arguments would be evaluated more than once or after "
                                       "the first call")
        if statement is not None and args.problem is None:
            text = ("bind the receiver, the id and the argument values to variables first (in their original "
                    f"order), then call {' then '.join(f'`{name}(...)`' for name, _, _ in groups)} with them")
        return _Plan(call, "CU205", "manual", f"{head}; not rewritten because {reason}: write {text}",
                     replacement=text, warnings=warnings)
    return _Plan(call, code, "fix", head, new_calls, statement if len(new_calls) > 1 else None, awaited,
                 replacement=text, warnings=warnings)


def _arg_name(arg: cst.Arg) -> str:
    return arg.keyword.value if arg.keyword is not None else "?"


def _unresolved_plan(call: cst.Call) -> _Plan | None:
    func = call.func
    assert isinstance(func, cst.Attribute)
    keywords: list[str] = []
    for arg in call.args:
        if arg.keyword is None and not arg.star:
            return None  # neither API takes positional arguments
        if arg.keyword is not None and arg.keyword.value in {"request", "request_body"}:
            keywords.extend(key for key, _ in _dict_as_keywords(arg.value) or [])
        elif arg.keyword is not None:
            keywords.append(arg.keyword.value)
    names = [name for name in keywords if name in ALL_METADATA_NAMES]
    if not names:
        return None
    used = set(keywords)
    if not (used <= _FRONTEND_FIELDS or used <= _USER_FIELDS or used <= _ORGANIZATION_FIELDS):
        return None  # a keyword none of the candidate APIs takes: some other update()
    receiver = render(func.value)
    return _Plan(call, "CU401", "manual",
                 f"`{receiver}.{func.attr.value}(…{names[0]}=…)` passes metadata, which API 2026-05-12 no longer "
                 f"accepts on the general update endpoints, but what `{receiver}` is cannot be proven (not rewritten): "
                 "if it is a clerk_frontend User use update_metadata()/replace_metadata(); if it is "
                 "clerk-backend-api's users/organizations use replace_metadata() (old behaviour) or "
                 "update_metadata()/merge_metadata() (deep merge)")


# -- rewriting -----------------------------------------------------------------------------------------------------

class _Rewriter(cst.CSTTransformer):
    def __init__(self, plans: list[_Plan]) -> None:
        super().__init__()
        self.calls = {id(plan.call): plan for plan in plans}
        self.statements = {id(plan.statement): plan for plan in plans if plan.statement is not None}

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        plan = self.calls.get(id(original_node))
        if plan is None:
            return updated_node
        return plan.new_calls[-1]

    def _expand(self, original: Sequence[cst.BaseSmallStatement], updated: Sequence[cst.BaseSmallStatement]
                ) -> list[list[cst.BaseSmallStatement]]:
        """Per original small statement: the statements that replace it (extra calls first)."""
        out: list[list[cst.BaseSmallStatement]] = []
        for before, after in zip(original, updated, strict=True):
            plan = self.statements.get(id(before))
            if plan is None:
                out.append([after])
                continue
            extra: list[cst.BaseSmallStatement] = [
                cst.Expr(value=cst.Await(expression=c) if plan.awaited else c) for c in plan.new_calls[:-1]]
            out.append([*extra, after])
        return out

    def leave_SimpleStatementLine(self, original_node: cst.SimpleStatementLine,
                                  updated_node: cst.SimpleStatementLine
                                  ) -> cst.BaseStatement | cst.FlattenSentinel[cst.BaseStatement]:
        groups = self._expand(original_node.body, updated_node.body)
        if all(len(group) == 1 for group in groups):
            return updated_node
        if len(groups) == 1:
            statements = groups[0]
            lines: list[cst.BaseStatement] = []
            for index, small in enumerate(statements):
                last = index == len(statements) - 1
                lines.append(cst.SimpleStatementLine(
                    body=[small.with_changes(semicolon=cst.MaybeSentinel.DEFAULT)],
                    leading_lines=updated_node.leading_lines if index == 0 else [],
                    trailing_whitespace=updated_node.trailing_whitespace if last else cst.TrailingWhitespace()))
            return cst.FlattenSentinel(lines)
        return updated_node.with_changes(body=_semicolons([s for group in groups for s in group]))

    def leave_SimpleStatementSuite(self, original_node: cst.SimpleStatementSuite,
                                   updated_node: cst.SimpleStatementSuite) -> cst.SimpleStatementSuite:
        groups = self._expand(original_node.body, updated_node.body)
        if all(len(group) == 1 for group in groups):
            return updated_node
        return updated_node.with_changes(body=_semicolons([s for group in groups for s in group]))


def _semicolons(statements: list[cst.BaseSmallStatement]) -> list[cst.BaseSmallStatement]:
    out = []
    for index, small in enumerate(statements):
        if index < len(statements) - 1:
            out.append(small.with_changes(semicolon=cst.Semicolon(whitespace_before=cst.SimpleWhitespace(""),
                                                                  whitespace_after=cst.SimpleWhitespace(" "))))
        else:
            out.append(small)
    return out
