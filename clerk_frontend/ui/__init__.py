"""Prebuilt components in Python (docs/components.md), imported by the first ``Clerk.mount_*``/``open_*`` call,
never by ``load()``. A new component: a module with a ``Component`` subclass and a line in :data:`COMPONENTS`."""

from __future__ import annotations

from collections.abc import Mapping
from importlib import import_module
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from ..errors import ClerkValidationError

if TYPE_CHECKING:
    from ..clerk import Clerk
    from ._component import Component
    from ._modal import Modal

__all__ = ["COMPONENTS", "Components", "components_of", "configure"]

#: Component name -> (module, class). Modules are imported on the first mount of their component.
COMPONENTS: dict[str, tuple[str, str]] = {
    "sign_in": ("sign_in", "SignIn"),
    "sign_up": ("sign_up", "SignUp"),
    "user_button": ("user_button", "UserButton"),
    "user_profile": ("user_profile", "UserProfile"),
    # organization components
    "organization_switcher": ("organization_components", "OrganizationSwitcher"),
    "organization_profile": ("organization_profile", "OrganizationProfile"),
    "create_organization": ("organization_components", "CreateOrganization"),
    "organization_list": ("organization_components", "OrganizationList"),
}

_REGISTRIES: WeakKeyDictionary[Clerk, Components] = WeakKeyDictionary()


def components_of(clerk: Clerk) -> Components:
    """The :class:`Components` of ``clerk`` (made on first use)."""
    registry = _REGISTRIES.get(clerk)
    if registry is None:
        registry = _REGISTRIES[clerk] = Components(clerk)
    return registry


def configure(clerk: Clerk, *, appearance: Mapping[str, Any] | None = None,
              localization: str | Mapping[str, Any] | None = None) -> None:
    """Defaults for every component of ``clerk`` mounted from now on (clerk-js's ``Clerk.load({appearance,
    localization})``); options of a mount are applied on top of them."""
    registry = components_of(clerk)
    if appearance is not None:
        from .appearance import resolve

        resolve(appearance)  # a bad value fails here, not at the next mount
        registry.defaults["appearance"] = appearance
    if localization is not None:
        from .localization import Strings

        Strings(localization)
        registry.defaults["localization"] = localization


_idle_collect: list[Any] = []


def _collect_when_idle() -> None:
    """One full garbage collection when the page is next idle (once per page), so the collection the mount put off
    does not land on the user's first click."""
    if _idle_collect:
        return
    import gc

    import js
    from pyodide.ffi import create_once_callable

    callback = create_once_callable(lambda *_args: gc.collect())
    _idle_collect.append(callback)
    idle = getattr(js, "requestIdleCallback", None)
    if idle is not None:
        idle(callback)
    else:
        js.setTimeout(callback, 0)


def _component_class(name: str) -> type[Component]:
    module, cls = COMPONENTS[name]
    found: type[Component] = getattr(import_module(f".{module}", __name__), cls)
    return found


class Components:
    """The components mounted for one ``Clerk``: in elements of the page, and at most one modal of each kind."""

    def __init__(self, clerk: Clerk) -> None:
        self.clerk = clerk
        self.defaults: dict[str, Any] = {}
        self.mounted: list[tuple[str, Any, Component]] = []
        self.modals: dict[str, tuple[Component, Modal]] = {}
        self._hash_listener: Any = None

    def _make(self, name: str, options: Mapping[str, Any], on_done: Any = None) -> Component:
        if name not in COMPONENTS:
            raise ClerkValidationError(f"unknown component {name!r}")
        return _component_class(name)(self.clerk, options, defaults=self.defaults, navigate=self.navigate,
                                      on_done=on_done)

    def mount(self, name: str, target: Any, options: Mapping[str, Any]) -> None:
        """Render component ``name`` into ``target`` (replacing one already there)."""
        from ._dom import resolve_target

        host = resolve_target(target, f"mount_{name}")
        # Mounting is synchronous and its first call compiles the components; a full collection of what load() left
        # (~30-90 ms in Pyodide) would otherwise land right here, so it waits until the form is on screen.
        import gc

        paused = gc.isenabled()
        gc.disable()
        try:
            component = self._make(name, options)
            self.unmount(name, host)
            self.mounted.append((name, host, component))
            self._follow_hash()
            component.attach(host)
        finally:
            if paused:
                gc.enable()
                _collect_when_idle()

    def unmount(self, name: str, target: Any) -> None:
        """Remove component ``name`` from ``target`` (nothing happens if it is not there)."""
        from ._dom import resolve_target

        host = resolve_target(target, f"unmount_{name}")
        for entry in [e for e in self.mounted if e[0] == name and e[1] == host]:
            self.mounted.remove(entry)
            entry[2].destroy()

    def open(self, name: str, options: Mapping[str, Any]) -> None:
        """Open component ``name`` in a modal dialog (replacing one of the same kind)."""
        from ._modal import Modal

        self.close(name)
        component = self._make(name, options, on_done=lambda: self.close(name))
        modal = Modal(component, lambda: self._closed(name))
        self.modals[name] = (component, modal)
        self._follow_hash()
        component.modal = modal
        component.attach(modal.host)
        modal.open()
        component.focus_first()

    def close(self, name: str) -> None:
        """Close the modal of component ``name`` if open."""
        entry = self.modals.get(name)
        if entry is not None:
            entry[1].close()

    def _closed(self, name: str) -> None:
        entry = self.modals.pop(name, None)
        if entry is not None:
            entry[0].destroy()

    def all(self) -> list[Component]:
        """Every live component (mounted, then modals)."""
        return [c for _, _, c in self.mounted] + [c for c, _ in self.modals.values()]

    def _follow_hash(self) -> None:
        if self._hash_listener is not None:
            return
        import js
        from pyodide.ffi import create_proxy

        self._hash_listener = create_proxy(lambda _event: self.route_changed())
        js.window.addEventListener("hashchange", self._hash_listener)

    def route_changed(self) -> None:
        """The page's hash route changed: every component looks again."""
        for component in self.all():
            component.route_changed()

    def navigate(self, url: str) -> None:
        """Go to ``url``: within this page (another hash route, or none) without a reload, else a real navigation."""
        import js

        here = str(js.location.href).split("#", 1)[0]
        if url.split("#", 1)[0] == here or url.startswith("#"):
            js.history.replaceState(None, "", url)
            self.route_changed()
        else:
            js.location.assign(url)
