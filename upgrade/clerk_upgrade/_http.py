"""Raw HTTP calls (httpx, requests, urllib, pyfetch) that PATCH an update endpoint with metadata: report only.

A request is recognised from what the code shows: the HTTP method (``.patch()``, ``request("PATCH", …)``,
``method="PATCH"``, or the Frontend API's ``POST … _method=PATCH``), a URL whose text ends in
``/users/{id}``, ``/organizations/{id}`` or ``/v1/me``, and a body (``json=``, ``data=``, ``content=``, ``body=``)
whose keys include a metadata field. URLs and bodies are followed through f-strings, ``+``, ``json.dumps``,
``urlencode`` and names bound once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import libcst as cst
from libcst.metadata import Assignment

from ._resolve import Resolver

METADATA_KEYS = {"public_metadata", "private_metadata", "unsafe_metadata",
                 "publicMetadata", "privateMetadata", "unsafeMetadata"}
_BODY_KEYWORDS = ("json", "data", "content", "body", "files")
_USERS = re.compile(r"/users/[^/?#]+/?$")
_ORGS = re.compile(r"/organizations/[^/?#]+/?$")
_ME = re.compile(r"(^|/)me/?$")
_TEXT_KEYS = re.compile(r"(public|private|unsafe)_?[mM]etadata")
_FETCHERS = {"pyodide.http.pyfetch", "js.fetch", "pyodide.http.pyxhr"}


@dataclass
class HttpHit:
    """A raw request to an update endpoint carrying metadata."""

    node: cst.Call
    code: str
    message: str


def check(call: cst.Call, resolver: Resolver) -> HttpHit | None:
    """The finding for ``call`` when it is a raw PATCH of an update endpoint with metadata."""
    shape = _shape(call, resolver)
    if shape is None:
        return None
    method, url, bodies = shape
    url_text = _text(url, resolver) if url is not None else ""
    path, _, query = url_text.partition("?")
    keys: set[str] = set()
    literals: dict[str, str] = {}
    for body in bodies:
        found, values = _keys(body, resolver)
        keys |= found
        literals.update(values)
    if method == "POST" and ("_method=PATCH" in query.upper().replace("_METHOD", "_method")
                             or literals.get("_method", "").upper() == "PATCH"):
        method = "PATCH"
    if method != "PATCH":
        return None
    sent = sorted(keys & METADATA_KEYS)
    if not sent:
        return None
    fields = ", ".join(sent)
    if _ORGS.search(path):
        return HttpHit(call, "CU302",
                       f"raw PATCH /v1/organizations/{{id}} sends {fields}, which API 2026-05-12 rejects (422 "
                       "form_param_deprecated): send metadata to PUT /v1/organizations/{id}/metadata (each field "
                       "replaced in full, the old behaviour) or PATCH /v1/organizations/{id}/metadata (deep merge)")
    if _USERS.search(path):
        return HttpHit(call, "CU301",
                       f"raw PATCH /v1/users/{{id}} sends {fields}, which API 2026-05-12 rejects (422 "
                       "form_param_deprecated): send metadata to PUT /v1/users/{id}/metadata (each field replaced in "
                       "full, the old behaviour) or PATCH /v1/users/{id}/metadata (deep merge); keep the other "
                       "fields on PATCH /v1/users/{id}")
    if _ME.search(path):
        return HttpHit(call, "CU303",
                       f"raw PATCH /v1/me sends {fields}, which API 2026-05-12 rejects (422 form_param_deprecated): "
                       "send unsafe_metadata to PATCH /v1/me/metadata (form field unsafe_metadata holding a JSON "
                       "object; deep merge, null deletes a key); public/private metadata are Backend-API-only")
    return None


def _keyword(call: cst.Call, name: str) -> cst.BaseExpression | None:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == name:
            return arg.value
    return None


def _positional(call: cst.Call, index: int) -> cst.BaseExpression | None:
    positional = [arg.value for arg in call.args if arg.keyword is None and not arg.star]
    return positional[index] if index < len(positional) else None


def _literal(node: cst.BaseExpression | None) -> str | None:
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


def _shape(call: cst.Call, resolver: Resolver
           ) -> tuple[str, cst.BaseExpression | None, list[cst.BaseExpression]] | None:
    """(HTTP method, URL expression, body expressions) of a request-making call, or None."""
    func = call.func
    name = func.attr.value if isinstance(func, cst.Attribute) else func.value if isinstance(func, cst.Name) else ""
    qualified = resolver.qualified_names(func)
    bodies = [value for key in _BODY_KEYWORDS if (value := _keyword(call, key)) is not None]
    params = _keyword(call, "params")
    if params is not None:
        bodies.append(params)
    if name in {"patch", "post"}:
        return name.upper(), _keyword(call, "url") or _positional(call, 0), bodies
    if name in {"request", "build_request", "Request", "stream"}:
        if "urllib.request.Request" in qualified:
            given = _literal(_keyword(call, "method")) or "GET"
            return given.upper(), _keyword(call, "url") or _positional(call, 0), bodies
        named = _literal(_keyword(call, "method") or _positional(call, 0))
        if named is None:
            return None
        return named.upper(), _keyword(call, "url") or _positional(call, 1), bodies
    if name in {"pyfetch", "fetch"} or qualified & _FETCHERS:
        options = _positional(call, 1)
        method = _literal(_keyword(call, "method"))
        if options is not None:
            _, values = _keys(options, resolver)
            method = method or values.get("method")
            body = _entry(options, "body", resolver)
            if body is not None:
                bodies.append(body)
        return (method or "GET").upper(), _keyword(call, "url") or _positional(call, 0), bodies
    return None


def _entry(node: cst.BaseExpression, key: str, resolver: Resolver, depth: int = 0) -> cst.BaseExpression | None:
    """The value under ``key`` in a fetch options object: ``{...}``, ``to_js({...})``, ``dict(...)``, a name."""
    if depth > 4:
        return None
    if isinstance(node, cst.Name):
        bound = _single_value(node, resolver)
        return _entry(bound, key, resolver, depth + 1) if bound is not None else None
    if isinstance(node, cst.Dict):
        for element in node.elements:
            if isinstance(element, cst.DictElement) and _literal(element.key) == key:
                return element.value
        return None
    if isinstance(node, cst.Call):
        for arg in node.args:
            if arg.keyword is not None and arg.keyword.value == key:
                return arg.value
            if arg.keyword is None and not arg.star:
                found = _entry(arg.value, key, resolver, depth + 1)
                if found is not None:
                    return found
    return None


def _single_value(node: cst.Name, resolver: Resolver) -> cst.BaseExpression | None:
    """The value of a name bound exactly once by a plain assignment."""
    scope = resolver.scope_of(node)
    if scope is None or node.value not in scope:
        return None
    assignments = list(scope[node.value])
    if len(assignments) != 1 or not isinstance(assignments[0], Assignment):
        return None
    target = assignments[0].node
    holder = resolver.parent(target)
    statement = resolver.parent(holder) if holder is not None else None
    if isinstance(holder, cst.AssignTarget) and isinstance(statement, cst.Assign):
        return statement.value
    if isinstance(holder, cst.AnnAssign) and holder.value is not None:
        return holder.value
    return None


def _text(node: cst.BaseExpression, resolver: Resolver, depth: int = 0) -> str:
    """The URL's text with ``{}`` for the parts that are only known at run time."""
    if depth > 8:
        return "{}"
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return value if isinstance(value, str) else value.decode("latin-1")
    if isinstance(node, cst.ConcatenatedString):
        return _text(node.left, resolver, depth + 1) + _text(node.right, resolver, depth + 1)
    if isinstance(node, cst.FormattedString):
        out = []
        for part in node.parts:
            if isinstance(part, cst.FormattedStringText):
                out.append(part.value)
            elif isinstance(part, cst.FormattedStringExpression):
                out.append(_text(part.expression, resolver, depth + 1))
        return "".join(out)
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):
        return _text(node.left, resolver, depth + 1) + _text(node.right, resolver, depth + 1)
    if isinstance(node, cst.Name):
        bound = _single_value(node, resolver)
        return _text(bound, resolver, depth + 1) if bound is not None else "{}"
    if (isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value == "format"):
        return re.sub(r"\{[^{}]*\}", "{}", _text(node.func.value, resolver, depth + 1))
    return "{}"


def _keys(node: cst.BaseExpression, resolver: Resolver, depth: int = 0) -> tuple[set[str], dict[str, str]]:
    """Keys a body carries, and the literal string values among them."""
    keys: set[str] = set()
    values: dict[str, str] = {}
    if depth > 8:
        return keys, values
    if isinstance(node, cst.Dict):
        for element in node.elements:
            if isinstance(element, cst.DictElement):
                key = _literal(element.key) if isinstance(element.key, cst.SimpleString) else None
                if key is not None:
                    keys.add(key)
                    literal = _literal(element.value)
                    if literal is not None:
                        values[key] = literal
            else:
                inner, inner_values = _keys(element.value, resolver, depth + 1)
                keys |= inner
                values.update(inner_values)
    elif isinstance(node, (cst.List, cst.Tuple)):
        for item in node.elements:  # a list of (key, value) pairs
            value = item.value
            if isinstance(value, cst.Tuple) and value.elements:
                key = _literal(value.elements[0].value)
                if key is not None:
                    keys.add(key)
                    if len(value.elements) > 1 and (literal := _literal(value.elements[1].value)) is not None:
                        values[key] = literal
    elif isinstance(node, cst.Call):
        if isinstance(node.func, cst.Attribute):  # json.dumps({...}).encode(): the keys of what is encoded
            inner, inner_values = _keys(node.func.value, resolver, depth + 1)
            keys |= inner
            values.update(inner_values)
        for arg in node.args:
            if arg.keyword is not None:
                keys.add(arg.keyword.value)
                literal = _literal(arg.value)
                if literal is not None:
                    values[arg.keyword.value] = literal
            else:
                inner, inner_values = _keys(arg.value, resolver, depth + 1)
                keys |= inner
                values.update(inner_values)
    elif isinstance(node, cst.Name):
        bound = _single_value(node, resolver)
        if bound is not None:
            return _keys(bound, resolver, depth + 1)
    elif isinstance(node, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)):
        text = _text(node, resolver, depth + 1)
        keys |= {match.group(0) for match in _TEXT_KEYS.finditer(text)}
        method = re.search(r"_method=(\w+)", text)
        if method:
            values["_method"] = method.group(1)
    return keys, values
