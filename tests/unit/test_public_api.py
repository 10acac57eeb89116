"""The public surface: __all__ is exact, everything public is documented."""

import inspect

import clerk_frontend


def public_names(module: object) -> set[str]:
    # dir(): most names are imported on first access (PEP 562), so they are not all in vars() yet.
    return {n for n in dir(module) if not n.startswith("_") and not inspect.ismodule(getattr(module, n))}


def test_all_matches_the_public_names() -> None:
    exported = set(clerk_frontend.__all__)
    assert len(exported) == len(clerk_frontend.__all__), "duplicates in __all__"
    assert exported == public_names(clerk_frontend) | {"__version__"}
    for name in exported:
        assert hasattr(clerk_frontend, name), name


def test_lazy_names_are_the_objects_of_their_modules() -> None:
    from clerk_frontend import metadata, resources, sync

    assert clerk_frontend.User is resources.User
    assert clerk_frontend.SyncClerk is sync.SyncClerk
    assert clerk_frontend.merge_patch is metadata.merge_patch
    try:
        clerk_frontend.NoSuchName  # noqa: B018
    except AttributeError as exc:
        assert "NoSuchName" in str(exc)
    else:
        raise AssertionError("unknown names must raise AttributeError")


def test_every_public_name_and_method_has_a_docstring() -> None:
    missing = []
    for name in clerk_frontend.__all__:
        obj = getattr(clerk_frontend, name)
        if not (inspect.isclass(obj) or inspect.isfunction(obj)):
            continue
        if not inspect.getdoc(obj):
            missing.append(name)
        if inspect.isclass(obj):
            for attr, member in vars(obj).items():
                if attr.startswith("_") or not (inspect.isfunction(member) or isinstance(member, property)):
                    continue
                if not (member.__doc__ or "").strip():
                    missing.append(f"{name}.{attr}")
    assert missing == []


def test_version_is_a_string() -> None:
    assert isinstance(clerk_frontend.__version__, str) and clerk_frontend.__version__.count(".") == 2


def test_import_and_construction_leave_the_models_to_load() -> None:
    """`import clerk_frontend` and `Clerk(pk)` import neither the resources nor the pydantic wire models:
    load() imports them while its requests are on the network. Checked on a fresh import of the package
    (the loaded modules are put back afterwards, so other tests keep their classes)."""
    import base64
    import importlib
    import sys

    saved = {name: mod for name, mod in sys.modules.items() if name.split(".")[0] == "clerk_frontend"}
    for name in saved:
        del sys.modules[name]
    try:
        fresh = importlib.import_module("clerk_frontend")
        key = "pk_test_" + base64.b64encode(b"clerk.example.com$").decode()
        fresh.Clerk(key, transport=fresh.MockTransport(lambda request: fresh.FapiResponse(500)))
        loaded = {name for name in sys.modules if name.split(".")[0] == "clerk_frontend"}
        deferred = ("clerk_frontend.resources", "clerk_frontend.wire", "clerk_frontend.metadata", "clerk_frontend.sync")
        assert not [name for name in loaded if name.startswith(deferred)], sorted(loaded)
    finally:
        for name in [n for n in sys.modules if n.split(".")[0] == "clerk_frontend"]:
            del sys.modules[name]
        sys.modules.update(saved)



def test_resource_modules_import_without_circles() -> None:
    """The resource modules' run-time imports of each other form no cycle (TYPE_CHECKING imports aside)."""
    import ast
    import pkgutil
    from pathlib import Path

    from clerk_frontend import resources

    folder = Path(resources.__path__[0])
    names = {m.name for m in pkgutil.iter_modules(resources.__path__)}
    assert {"_base", "_attempt", "client", "session", "user", "identifiers", "external_account", "organization",
            "sign_in", "sign_up"} <= names
    graph: dict[str, set[str]] = {}
    for name in names:
        tree = ast.parse((folder / f"{name}.py").read_text())
        # Module-level statements only: imports under `if TYPE_CHECKING:` and inside functions are not run at import.
        graph[name] = {node.module for node in tree.body
                       if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module in names}

    def visit(name: str, path: tuple[str, ...]) -> None:
        assert name not in path, f"import circle: {' -> '.join((*path, name))}"
        for dep in graph[name]:
            visit(dep, (*path, name))

    for name in names:
        visit(name, ())
