"""The base of every component. A component renders *screens*: ``screen()`` computes a hashable key from the SDK's
current objects and the user's choices in it (never a copy of SDK state), and ``build()`` makes the screen's
element when the key changes; SDK listeners call :meth:`Component.refresh`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlsplit

import js

from ..errors import ClerkValidationError
from ._dom import Builder, Scope, document, install_theme, missing, new_id, report
from ._instance import Instance, read_instance
from ._styles import DEFAULT_THEME
from .localization import Strings

if TYPE_CHECKING:
    from ..clerk import Clerk

__all__ = ["Component", "Navigator"]

#: Options every component takes.
COMMON_OPTIONS = frozenset({"appearance", "localization", "routing", "autofocus"})
Navigator = Callable[[str], Any]


class Component:
    """Base class: subclasses set ``key`` (root class ``cl-<key>``), ``options`` (accepted option names) and implement
    :meth:`screen` and :meth:`build`."""

    key: ClassVar[str]
    options: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, clerk: Clerk, options: Mapping[str, Any], *, defaults: Mapping[str, Any],
                 navigate: Navigator, on_done: Callable[[], None] | None = None) -> None:
        unknown = set(options) - self.options - COMMON_OPTIONS
        if unknown:
            known = sorted(self.options | COMMON_OPTIONS)
            raise ClerkValidationError(f"{type(self).__name__}: unknown options {sorted(unknown)}; known: {known}.")
        self.clerk = clerk
        self.opts = dict(options)
        self.strings = Strings(defaults.get("localization"), options.get("localization"))
        theme = DEFAULT_THEME
        if defaults.get("appearance") is not None or options.get("appearance") is not None:
            from .appearance import resolve  # validation and merging: only when there is an appearance

            theme = resolve(defaults.get("appearance"), options.get("appearance"))
        install_theme(theme)
        self.builder = Builder(theme)
        self.el = self.builder.el
        self.t = self.strings
        self.routing = str(options.get("routing") or "hash")
        if self.routing not in ("hash", "virtual"):
            raise ClerkValidationError(f"{type(self).__name__}: routing must be 'hash' or 'virtual'.")
        self._navigate = navigate
        #: Called when the component finished its job (a modal closes then).
        self.on_done = on_done
        self.scope = Scope(self.show_unexpected)
        self._screen: Hashable = object()
        self._screen_scope: Scope | None = None
        self._autofocus = bool(options.get("autofocus", True))
        self._focus_next = False
        self.root = self.el("div", "rootBox", cls=f"cl-{self.key} {theme.scope} cl-theme-{theme.theme}",
                            lang=self.strings.locale)
        self.content = self.el("div")
        self.live = self.el("div", None, cls="cl-srOnly", role="status", aria_live="polite")
        self.root.append(self.content, self.live)
        self.host: Any = None
        self._unsubscribe: list[Callable[[], None]] = []
        self.alert: Any = None  # the alert of the current screen (kit.Card sets it)
        self.modal: Any = None  # the kit.Modal showing this component, if any
        self._instance: tuple[Any, Instance] | None = None

    # -- life cycle -------------------------------------------------------------------------------------

    def attach(self, host: Any) -> None:
        """Render into ``host`` and follow the SDK from now on."""
        self.host = host
        host.replaceChildren(self.root)
        self._unsubscribe = [self.clerk.add_listener(lambda _state: self.refresh(), skip_initial=True),
                             self.clerk.add_status_listener(lambda _status: self.refresh())]
        self.refresh()

    def destroy(self) -> None:
        """Stop following the SDK, remove listeners, take the root out of the page."""
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe = []
        if self._screen_scope is not None:
            self._screen_scope.close()
        self.scope.close()
        self.root.remove()
        self.host = None

    @property
    def instance(self) -> Instance:
        """What the instance enables (``clerk.environment``, read again when it changes)."""
        environment = self.clerk.environment
        if self._instance is None or self._instance[0] is not environment:
            self._instance = (environment, read_instance(environment))
        return self._instance[1]

    # -- rendering ----------------------------------------------------------------------------------------

    def screen(self) -> Hashable:
        """The key of the screen the current state needs."""
        raise NotImplementedError

    def build(self, screen: Any, scope: Scope) -> Any:
        """The element of ``screen``; listeners go on ``scope`` (closed when the screen is replaced)."""
        raise NotImplementedError

    def _build_step(self, screen: Any, scope: Scope, steps: str) -> Any:
        # ``screen[0]`` names a ``_screen_<name>`` method, else ``screen_<name>`` of the module ``steps`` (imported
        # on first use, so a component's first screen compiles only what it shows).
        argument = screen[1] if len(screen) > 1 else None
        local = getattr(self, f"_screen_{screen[0]}", None)
        if local is not None:
            return local(scope, argument)
        from importlib import import_module

        return getattr(import_module(f".{steps}", __package__), f"screen_{screen[0]}")(self, scope, argument)

    def refresh(self, *, force: bool = False) -> None:
        """Rebuild the screen if the state now needs another one (or ``force``)."""
        if self.host is None:
            return
        try:
            screen = self.screen()
            if screen == self._screen and not force:
                return
            where = self._focus_where()
            old = self._screen_scope
            scope = Scope(self.show_unexpected)
            self.alert = None
            node = self.build(screen, scope)
            self._screen, self._screen_scope = screen, scope
            self.content.replaceChildren(node)
            if old is not None:
                old.close()
            if self.modal is not None:
                self.modal.label()
            if self._focus_next or where == "inside" or (where == "body" and self._autofocus):
                self.focus_first()
            self._focus_next = False
        except Exception as exc:
            report(exc)
            raise

    def _focus_where(self) -> str:
        active = document.activeElement
        if missing(active) or active == document.body:
            return "body"
        return "inside" if self.root.contains(active) else "outside"

    def focus_first(self) -> None:
        """Focus the screen's first field, else its heading (so a screen reader reads the new screen)."""
        target = self.content.querySelector("input:not([type=hidden]):not([hidden]):not([disabled]), select, textarea")
        if missing(target):
            target = self.content.querySelector("h1, h2")
        if not missing(target):
            target.focus()

    def focus_on_next_screen(self) -> None:
        """The next rebuild moves focus into it (the user acted here)."""
        self._focus_next = True

    def announce(self, text: str) -> None:
        """Say ``text`` through the polite live region."""
        self.live.textContent = ""
        self.live.textContent = text

    def show_unexpected(self, exc: BaseException) -> None:
        """An unexpected error of a handler: logged, and shown generically on the current screen."""
        report(exc)
        if self.alert is not None:
            self.alert.show(self.t("unstable__errors.unexpected"))

    # -- pages and routes -----------------------------------------------------------------------------------

    def route_changed(self) -> None:
        """The page's hash route changed (a callback moved on to another step): look again."""
        self.refresh()

    def route(self) -> str:
        """The page's hash route (``#/factor-one`` -> ``factor-one``), or "" (always "" with ``routing="virtual"``)."""
        if self.routing != "hash":
            return ""
        fragment = str(js.location.hash)
        return fragment[2:].split("?")[0].strip("/") if fragment.startswith("#/") else ""

    def page_url(self, route: str = "") -> str:
        """This page's URL with hash route ``route`` (none when empty)."""
        href = str(js.location.href).split("#", 1)[0]
        return f"{href}#/{route}" if route else href

    async def go(self, url: str) -> None:
        """Go to ``url`` (same page, other route: no reload)."""
        result = self._navigate(url)
        if isinstance(result, Awaitable):
            await result

    def link_url(self, option: str, display: str) -> str | None:
        """The URL of option ``option``, else ``display_config[display]``; only http(s) or relative URLs."""
        value = self.opts.get(option) or self.instance.url(display)
        if not isinstance(value, str) or not value:
            return None
        if urlsplit(value).scheme.lower() not in ("", "http", "https"):
            raise ClerkValidationError(f"{type(self).__name__}: {option} must be an http(s) or relative URL.")
        return value

    def new_id(self, prefix: str) -> str:
        """A document-unique element id."""
        return new_id(prefix)
