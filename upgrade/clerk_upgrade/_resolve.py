"""What a name or expression holds, proven from imports, assignments, annotations and call sites.

The resolver answers with a *kind*: one of the SDK objects the rules care about (``fe.*`` for this SDK,
``clerk_frontend``; ``be.*`` for clerk-backend-api), ``class:<kind>`` for the class itself, ``other`` when the
value is provably something else (a literal, an instance of a class defined in the file, a builtin), or
``unknown`` when nothing can be proven. Every binding of a name must agree, so a reassignment anywhere makes
it ``unknown``: nothing is guessed from a variable's name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

import libcst as cst
from libcst.metadata import (
    Access,
    Assignment,
    BuiltinAssignment,
    FunctionScope,
    ImportAssignment,
    QualifiedNameSource,
    Scope,
    ScopeProvider,
)

UNKNOWN = "unknown"
OTHER = "other"

FE_CLERK = "fe.Clerk"
FE_USER = "fe.User"
FE_STATE = "fe.ClerkState"
FE_CLIENT = "fe.Client"
FE_SESSION = "fe.Session"
FE_ATTEMPT = "fe.Attempt"  # SignIn / SignUp: their update() legitimately takes unsafe_metadata
FE_SYNC_CLERK = "fe.SyncClerk"  # the blocking facade: its resources' methods return results, not coroutines
FE_SYNC_USER = "fe.SyncUser"
BE_CLERK = "be.Clerk"
BE_USERS = "be.Users"
BE_ORGS = "be.Organizations"

# Fully qualified class names -> kind. The SDK's own module layout may move (resources.py became a
# package), so clerk_frontend names are also matched by their last component below.
_CLASSES = {
    "clerk_backend_api.Clerk": BE_CLERK,
    "clerk_backend_api.sdk.Clerk": BE_CLERK,
    "clerk_backend_api.users.Users": BE_USERS,
    "clerk_backend_api.organizations_sdk.OrganizationsSDK": BE_ORGS,
}
_FRONTEND_CLASSES = {"Clerk": FE_CLERK, "SyncClerk": FE_SYNC_CLERK, "User": FE_USER, "ClerkState": FE_STATE,
                     "Client": FE_CLIENT, "Session": FE_SESSION, "SignUp": FE_ATTEMPT, "SignIn": FE_ATTEMPT}

# kind -> attribute -> kind of the attribute's value (other attributes of these kinds are plain data).
_ATTRIBUTES = {
    FE_CLERK: {"user": FE_USER, "client": FE_CLIENT, "session": FE_SESSION, "sign_up": FE_ATTEMPT,
               "sign_in": FE_ATTEMPT},
    FE_STATE: {"user": FE_USER, "client": FE_CLIENT, "session": FE_SESSION},
    FE_CLIENT: {"sign_up": FE_ATTEMPT, "sign_in": FE_ATTEMPT},
    FE_SESSION: {"user": FE_USER},
    FE_SYNC_CLERK: {"user": FE_SYNC_USER},
    BE_CLERK: {"users": BE_USERS, "organizations": BE_ORGS},
}
_SDK_KINDS = {FE_CLERK, FE_USER, FE_STATE, FE_CLIENT, FE_SESSION, FE_ATTEMPT, FE_SYNC_CLERK, FE_SYNC_USER,
              BE_CLERK, BE_USERS, BE_ORGS}
# Context managers whose __enter__/__aenter__ returns the object itself.
_SELF_ENTERING = {FE_CLERK, FE_SYNC_CLERK, BE_CLERK}
_MAX_DEPTH = 24


def join(kinds: Sequence[str]) -> str:
    """All bindings must agree; ``unknown`` when they do not (or there are none)."""
    if not kinds:
        return UNKNOWN
    first = kinds[0]
    return first if all(kind == first for kind in kinds) else UNKNOWN


def qualified_kind(name: str) -> str | None:
    """The class kind for a fully qualified name, or None when it names no known SDK class."""
    if name in _CLASSES:
        return "class:" + _CLASSES[name]
    head, _, last = name.rpartition(".")
    if (head == "clerk_frontend" or head.startswith("clerk_frontend.")) and last in _FRONTEND_CLASSES:
        return "class:" + _FRONTEND_CLASSES[last]
    return None


def instance_of(kind: str) -> str:
    """The kind of an instance of a ``class:`` kind (calling the class)."""
    if kind.startswith("class:local"):
        return OTHER
    if kind.startswith("class:"):
        return kind[len("class:"):]
    return UNKNOWN


class Resolver:
    """Kinds of expressions of one module, from libcst's scope, qualified-name and parent metadata."""

    def __init__(self, wrapper: cst.MetadataWrapper,
                 importer: Callable[[str], Resolver | None] | None = None) -> None:
        self.module = wrapper.module
        self.importer = importer
        # One libcst metadata pass (scopes; qualified names are asked of the scope on demand). Parents come
        # from a plain walk over the children, several times cheaper than ParentNodeProvider's visit.
        self.scopes = wrapper.resolve(ScopeProvider)
        self.parents: dict[cst.CSTNode, cst.CSTNode] = {}
        self.calls: list[cst.Call] = []
        stack: list[cst.CSTNode] = [wrapper.module]
        while stack:
            node = stack.pop()
            for child in node.children:
                self.parents[child] = node
                if isinstance(child, cst.Call):
                    self.calls.append(child)
                stack.append(child)
        self._cache: dict[int, str] = {}
        self._active: set[int] = set()

    # -- helpers ---------------------------------------------------------------------------------------------
    def parent(self, node: cst.CSTNode) -> cst.CSTNode | None:
        return self.parents.get(node)

    def ancestors(self, node: cst.CSTNode) -> Iterator[cst.CSTNode]:
        current = self.parents.get(node)
        while current is not None:
            yield current
            current = self.parents.get(current)

    def qualified_names(self, node: cst.CSTNode) -> set[str]:
        """Fully qualified names an imported name or attribute chain refers to (``clerk_backend_api.Clerk``)."""
        scope = self.scope_of(node)
        if scope is None:
            return set()
        try:
            names = scope.get_qualified_names_for(node)
        except Exception:  # libcst raises for nodes it does not track; they have no qualified name
            return set()
        return {q.name for q in names if q.source is QualifiedNameSource.IMPORT}

    def scope_of(self, node: cst.CSTNode) -> Scope | None:
        scope: Scope | None = _eager(self.scopes.get(node))
        return scope

    # -- inference -------------------------------------------------------------------------------------------
    def kind(self, node: cst.BaseExpression, depth: int = 0) -> str:
        """The kind of the value ``node`` evaluates to."""
        key = id(node)
        if key in self._cache:
            return self._cache[key]
        if key in self._active or depth > _MAX_DEPTH:
            return UNKNOWN
        self._active.add(key)
        try:
            result = self._kind(node, depth + 1)
        finally:
            self._active.discard(key)
        if node in self.parents:  # synthesised nodes have no metadata, and their ids may be reused
            self._cache[key] = result
        return result

    def _kind(self, node: cst.BaseExpression, depth: int) -> str:
        if isinstance(node, (cst.Name, cst.Attribute)):
            names = self.qualified_names(node)
            for name in names:
                found = qualified_kind(name)
                if found is not None:
                    return found
            imported = [self._imported_kind(name, depth) for name in names]
            if imported and all(kind != UNKNOWN for kind in imported):
                return join(imported)
        if isinstance(node, cst.Name):
            return self._name_kind(node, depth)
        if isinstance(node, cst.Attribute):
            return self._attribute_kind(node, depth)
        if isinstance(node, cst.Call):
            return self._call_kind(node, depth)
        if isinstance(node, cst.Await):
            inner = self.kind(node.expression, depth)
            if inner.startswith("awaitable:"):
                return inner[len("awaitable:"):]
            return OTHER if inner == OTHER else UNKNOWN
        if isinstance(node, cst.IfExp):
            return join([self.kind(node.body, depth), self.kind(node.orelse, depth)])
        if isinstance(node, cst.BooleanOperation):
            return join([self.kind(node.left, depth), self.kind(node.right, depth)])
        if isinstance(node, cst.NamedExpr):
            return self.kind(node.value, depth)
        if isinstance(node, (cst.BaseString, cst.Integer, cst.Float, cst.Imaginary, cst.Dict, cst.List, cst.Tuple,
                             cst.Set, cst.DictComp, cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.Lambda,
                             cst.BinaryOperation, cst.UnaryOperation, cst.Comparison)):
            return OTHER
        return UNKNOWN

    def _name_kind(self, node: cst.Name, depth: int) -> str:
        scope = self.scope_of(node)
        if scope is None:
            return UNKNOWN
        if node.value not in scope:
            return UNKNOWN
        assignments = scope[node.value]
        if not assignments:
            return UNKNOWN
        kinds = [self._assignment_kind(assignment, depth) for assignment in assignments]
        return join(kinds)

    def _assignment_kind(self, assignment: object, depth: int) -> str:
        if isinstance(assignment, BuiltinAssignment):
            return OTHER
        if isinstance(assignment, ImportAssignment):
            return UNKNOWN  # a recognised SDK import was answered from its qualified name already
        if not isinstance(assignment, Assignment):
            return UNKNOWN
        bound = assignment.node
        if isinstance(bound, cst.ClassDef):
            return "class:local:" + bound.name.value
        if isinstance(bound, cst.FunctionDef):
            return self.function_kind(bound, depth)
        if isinstance(bound, cst.Param):
            return self._param_kind(bound, depth)
        if isinstance(bound, cst.Name):
            return self._target_kind(bound, depth)
        return UNKNOWN

    def _target_kind(self, target: cst.Name, depth: int) -> str:
        parent = self.parent(target)
        if isinstance(parent, cst.AssignTarget):
            statement = self.parent(parent)
            if isinstance(statement, cst.Assign):
                return self.kind(statement.value, depth)
        if isinstance(parent, cst.AnnAssign) and parent.target is target:
            from_annotation = self.annotation_kind(parent.annotation.annotation)
            if parent.value is not None:
                value_kind = self.kind(parent.value, depth)
                return value_kind if value_kind != UNKNOWN else from_annotation
            return from_annotation
        if isinstance(parent, cst.NamedExpr) and parent.target is target:
            return self.kind(parent.value, depth)
        if isinstance(parent, cst.AsName):
            item = self.parent(parent)
            if isinstance(item, cst.WithItem):
                entered = self.kind(item.item, depth)
                return entered if entered in _SELF_ENTERING else (OTHER if entered == OTHER else UNKNOWN)
            return UNKNOWN
        if isinstance(parent, cst.ExceptHandler):
            return OTHER
        return UNKNOWN

    def annotation_kind(self, annotation: cst.BaseExpression) -> str:
        """The kind an annotation promises: ``User``, ``Clerk | None``, ``Optional[Clerk]``..."""
        if isinstance(annotation, cst.BinaryOperation) and isinstance(annotation.operator, cst.BitOr):
            sides = [side for side in (annotation.left, annotation.right) if not _is_none(side)]
            return join([self.annotation_kind(side) for side in sides])
        if isinstance(annotation, cst.Subscript):
            base = self.qualified_names(annotation.value)
            if base & {"typing.Optional", "typing.Union"}:
                parts = [element.slice.value for element in annotation.slice
                         if isinstance(element.slice, cst.Index) and not _is_none(element.slice.value)]
                return join([self.annotation_kind(part) for part in parts])
            return OTHER
        if isinstance(annotation, (cst.Name, cst.Attribute)):
            for name in self.qualified_names(annotation):
                found = qualified_kind(name)
                if found is not None:
                    return instance_of(found)
            if isinstance(annotation, cst.Name) and annotation.value in {"str", "int", "dict", "list", "float",
                                                                          "bool", "bytes", "tuple", "set"}:
                return OTHER
            kind = self.kind(annotation)
            return OTHER if kind.startswith("class:local") else UNKNOWN
        return UNKNOWN

    def _param_kind(self, param: cst.Param, depth: int) -> str:
        if param.annotation is not None:
            return self.annotation_kind(param.annotation.annotation)
        function = next((node for node in self.ancestors(param) if isinstance(node, cst.FunctionDef)), None)
        if function is None or function.decorators:
            return UNKNOWN
        if self._is_method(function):
            return UNKNOWN
        return self._call_site_kind(function, param, depth)

    def _is_method(self, function: cst.FunctionDef) -> bool:
        parent = self.parent(function)
        if isinstance(parent, cst.IndentedBlock):
            parent = self.parent(parent)
        return isinstance(parent, cst.ClassDef)

    def _call_site_kind(self, function: cst.FunctionDef, param: cst.Param, depth: int) -> str:
        """A parameter without annotation: every call of the function in this file must pass the same kind."""
        posonly, ordinary = list(function.params.posonly_params), list(function.params.params)
        position: int | None = None  # keyword-only
        if param in posonly:
            position = posonly.index(param)
        elif param in ordinary:
            position = len(posonly) + ordinary.index(param)
        defining = self.scope_of(function)
        if defining is None:
            return UNKNOWN
        accesses: list[Access] = []
        for assignment in defining.assignments[function.name.value]:
            if isinstance(assignment, Assignment) and assignment.node is function:
                accesses.extend(assignment.references)
            else:
                return UNKNOWN  # the name is rebound: calls may reach another function
        if not accesses:
            return UNKNOWN
        kinds: list[str] = []
        for access in accesses:
            call = self.parent(access.node)
            if not isinstance(call, cst.Call) or call.func is not access.node:
                return UNKNOWN  # passed around: its callers are out of sight
            argument = _argument_for(call, param.name.value, position)
            if argument is None:
                if param.default is None:
                    return UNKNOWN
                kinds.append(self.kind(param.default, depth))
            elif argument is _STARRED:
                return UNKNOWN
            else:
                assert isinstance(argument, cst.BaseExpression)
                kinds.append(self.kind(argument, depth))
        return join(kinds)

    def _attribute_kind(self, node: cst.Attribute, depth: int) -> str:
        base = node.value
        if isinstance(base, cst.Name):
            self_kind = self._self_attribute_kind(base, node.attr.value, depth)
            if self_kind is not None:
                return self_kind
        base_kind = self.kind(base, depth)
        attributes = _ATTRIBUTES.get(base_kind)
        if attributes is not None:
            return attributes.get(node.attr.value, OTHER)
        if base_kind in _SDK_KINDS:
            return OTHER
        return UNKNOWN

    def _self_attribute_kind(self, base: cst.Name, attr: str, depth: int) -> str | None:
        """``self.x`` inside a method: every ``self.x = value`` in the class must agree."""
        scope = self.scope_of(base)
        if not isinstance(scope, FunctionScope) or base.value not in scope:
            return None
        assignments = list(scope[base.value])
        if len(assignments) != 1 or not isinstance(assignments[0], Assignment):
            return None
        param = assignments[0].node
        if not isinstance(param, cst.Param):
            return None
        function = next((node for node in self.ancestors(param) if isinstance(node, cst.FunctionDef)), None)
        if function is None or not self._is_method(function) or not function.params.params:
            return None
        if function.params.params[0] is not param:
            return None
        class_def = next(node for node in self.ancestors(function) if isinstance(node, cst.ClassDef))
        values: list[str] = []
        for assign in _self_assignments(class_def, attr):
            values.append(self.kind(assign, depth))
        return join(values) if values else UNKNOWN

    def _call_kind(self, node: cst.Call, depth: int) -> str:
        func_kind = self.kind(node.func, depth)
        if func_kind.startswith("class:"):
            return instance_of(func_kind)
        if func_kind.startswith("returns:"):
            return func_kind[len("returns:"):]
        if func_kind.startswith("async-returns:"):
            return "awaitable:" + func_kind[len("async-returns:"):]
        if func_kind == OTHER:
            return OTHER  # a builtin (dict(), str(), ...)
        if isinstance(node.func, cst.Attribute) and self.kind(node.func.value, depth) in _SDK_KINDS:
            return OTHER  # SDK methods return models and coroutines, never clients
        return UNKNOWN

    def function_kind(self, function: cst.FunctionDef, depth: int = 0) -> str:
        """``returns:<kind>`` (``async-returns:<kind>``) from the return annotation, or from every ``return``
        agreeing; ``unknown`` for decorated functions (a decorator may return anything)."""
        if function.decorators:
            return UNKNOWN
        prefix = "async-returns:" if function.asynchronous else "returns:"
        if function.returns is not None:
            return prefix + self.annotation_kind(function.returns.annotation)
        if function.asynchronous:
            return UNKNOWN
        returns = [node.value for node in _own_returns(function)]
        if not returns or any(value is None for value in returns):
            return UNKNOWN
        return prefix + join([self.kind(value, depth) for value in returns if value is not None])

    def module_level_kind(self, name: str, depth: int = 0) -> str:
        """The kind of a top-level name of this module, as another module importing it sees it."""
        scopes = [scope for scope in (self.scope_of(statement) for statement in self.module.body)
                  if scope is not None]
        if not scopes or name not in scopes[0]:
            return UNKNOWN
        assignments = scopes[0].assignments[name]
        if not assignments:
            return UNKNOWN
        kinds = []
        for assignment in assignments:
            if isinstance(assignment, ImportAssignment):
                return UNKNOWN  # re-exported: followed no further
            kinds.append(self._assignment_kind(assignment, depth))
        return join(kinds)

    def _imported_kind(self, qualified: str, depth: int) -> str:
        """A name imported from a module of the project itself (found next to the file or above it)."""
        if self.importer is None or depth > _MAX_DEPTH // 2:
            return UNKNOWN
        module, _, name = qualified.rpartition(".")
        if not module:
            return UNKNOWN
        other = self.importer(module)
        if other is None:
            return UNKNOWN
        return other.module_level_kind(name, depth + 1)


_STARRED = object()


def _eager(value: Any) -> Any:
    """libcst hands some metadata out as lazy values (callables computing it on first use)."""
    return value() if callable(value) else value


def _argument_for(call: cst.Call, name: str, position: int | None) -> cst.BaseExpression | object | None:
    positional = 0
    for arg in call.args:
        if arg.star:
            return _STARRED
        if arg.keyword is not None:
            if arg.keyword.value == name:
                return arg.value
            continue
        if position is not None and positional == position:
            return arg.value
        positional += 1
    return None


def _is_none(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Name) and node.value == "None"


def _self_assignments(class_def: cst.ClassDef, attr: str) -> list[cst.BaseExpression]:
    """Values assigned to ``self.<attr>`` (or ``<first param>.<attr>``) in the class's own methods."""
    values: list[cst.BaseExpression] = []

    class Collector(cst.CSTVisitor):
        def __init__(self, receiver: str) -> None:
            self.receiver = receiver

        def visit_ClassDef(self, node: cst.ClassDef) -> bool:
            return False  # nested classes have their own self

        def visit_Assign(self, node: cst.Assign) -> None:
            for target in node.targets:
                if _is_attr(target.target, self.receiver, attr):
                    values.append(node.value)

        def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
            if _is_attr(node.target, self.receiver, attr) and node.value is not None:
                values.append(node.value)

        def visit_AugAssign(self, node: cst.AugAssign) -> None:
            if _is_attr(node.target, self.receiver, attr):
                values.append(cst.Name("__rebound__"))

    for statement in class_def.body.body:
        if isinstance(statement, cst.FunctionDef) and statement.params.params:
            receiver = statement.params.params[0].name.value
            for child in statement.body.children:
                child.visit(Collector(receiver))
    return values


def _is_attr(node: cst.BaseExpression, receiver: str, attr: str) -> bool:
    return (isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name)
            and node.value.value == receiver and node.attr.value == attr)


def _own_returns(function: cst.FunctionDef) -> list[cst.Return]:
    found: list[cst.Return] = []

    class Collector(cst.CSTVisitor):
        def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
            return node is function

        def visit_Lambda(self, node: cst.Lambda) -> bool:
            return False

        def visit_ClassDef(self, node: cst.ClassDef) -> bool:
            return False

        def visit_Return(self, node: cst.Return) -> None:
            found.append(node)

    function.visit(Collector())
    return found
